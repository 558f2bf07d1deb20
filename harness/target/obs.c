/* obs.c: a probe's observations on a wire-based target, in growable arrays. */
#include <stdlib.h>
#include <string.h>

#include "obs.h"

/* Make room for one more element of sz bytes in *arr (*n used of *cap). 0 or -1. */
static int
grow(void **arr, int n, int *cap, size_t sz)
{
	void *na;
	int nc;

	if (n < *cap)
		return (0);
	nc = *cap ? *cap * 2 : 16;
	if ((na = realloc(*arr, (size_t)nc * sz)) == NULL)
		return (-1);
	*arr = na;
	*cap = nc;
	return (0);
}

void
obs_add_frame(struct obs *o, const struct pkt *p, uint64_t t_us)
{
	struct target_frame *f;

	if (grow((void **)&o->frame, o->nframe, &o->cframe, sizeof(*f)) == -1)
		return;
	f = &o->frame[o->nframe++];
	if (p != NULL)
		f->pkt = *p;
	else
		memset(&f->pkt, 0, sizeof(f->pkt));
	f->t_us = t_us;
	f->decoded = p != NULL;
	f->wire = 0;		/* the caller names another wire */
}

void
obs_add_delivery(struct obs *o, const struct sink_report *r)
{
	struct target_delivery *d;

	if (grow((void **)&o->deliv, o->ndeliv, &o->cdeliv, sizeof(*d)) == -1)
		return;
	d = &o->deliv[o->ndeliv++];
	d->jail = r->jail;
	d->proto = r->proto;
	d->local = r->local;
	d->peer = r->peer;
	d->lport = r->lport;
	d->pport = r->pport;
	d->icmp = (enum pkt_icmp)r->icmp;
}

void
obs_clear(struct obs *o)
{
	o->nframe = o->ndeliv = 0;
}

void
obs_free(struct obs *o)
{
	free(o->frame);
	free(o->deliv);
	memset(o, 0, sizeof(*o));
}
