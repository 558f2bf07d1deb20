/* pfm_core.c: what every part of the model reads: pf's reason names, the model's
 * random numbers, tag ids, and the host's interfaces as pf's kifs (index, groups,
 * `set skip`, each rule's interface mask). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

const char *const pfm_res_name[PFM_RES_MAX] = {
	"match", "bad-offset", "fragment", "short", "normalize", "memory",
	"bad-timestamp", "congestion", "ip-option", "proto-cksum", "state-mismatch",
	"state-insert", "state-limit", "src-limit", "synproxy", "map-failed",
	"translate"
};

uint32_t
pfm_random(struct pfm *pf)
{
	/* xorshift64*: the model's arc4random, seeded per pf */
	pf->rng ^= pf->rng >> 12;
	pf->rng ^= pf->rng << 25;
	pf->rng ^= pf->rng >> 27;
	return ((uint32_t)((pf->rng * 0x2545f4914f6cdd1dULL) >> 32));
}

uint16_t
pfm_tag_id(struct pfm *pf, const char *name)
{
	char (*nt)[64];
	int i;

	if (name == NULL || name[0] == '\0')
		return (0);
	for (i = 0; i < pf->ntag; i++)
		if (strcmp(pf->tagname[i], name) == 0)
			return ((uint16_t)(i + 1));
	/* pf's TAGID_MAX is 50000 */
	if (pf->ntag >= 50000 ||
	    (nt = realloc(pf->tagname, (size_t)(pf->ntag + 1) * sizeof(*nt))) == NULL)
		return (0);
	pf->tagname = nt;
	snprintf(nt[pf->ntag], sizeof(nt[0]), "%s", name);
	return ((uint16_t)++pf->ntag);
}

const char *
pfm_tag_name(const struct pfm *pf, uint16_t id)
{
	if (id == 0 || id > pf->ntag)
		return ("");
	return (pf->tagname[id - 1]);
}

/* A loopback by its name (lo0, lo1...): member of group `lo`. */
int
pfm_if_loopback(const char *name)
{
	return (strncmp(name, "lo", 2) == 0 && name[2] >= '0' && name[2] <= '9');
}

/* pfi_kkif_match: the interface itself, or one of its groups. */
int
pfm_if_in(const struct pfm *pf, int idx, const char *want)
{
	const char *name = pf->ifn[idx];
	int i, g;

	if (strcmp(name, want) == 0)
		return (1);
	if (strcmp(want, "lo") == 0 && pfm_if_loopback(name))
		return (1);
	for (i = 0; i < pf->host.niface; i++) {
		if (strcmp(pf->host.iface[i].name, name) != 0)
			continue;
		for (g = 0; g < pf->host.iface[i].ngroup; g++)
			if (strcmp(pf->host.iface[i].group[g], want) == 0)
				return (1);
	}
	return (0);
}

void
pfm_if_resolve(struct pfm *pf)
{
	int i, j, l;
	uint64_t m;

	pf->ifskip = 0;
	for (i = 0; i < pf->nifn; i++)
		for (j = 0; pf->rs != NULL && j < pf->rs->nskip; j++)
			if (pfm_if_in(pf, i, pf->rs->skip[j]))
				pf->ifskip |= 1ULL << i;
	for (l = 0; l < PFM_L_MAX * (1 + pf->nalist); l++) {
		struct pfm_clist *cl = l < PFM_L_MAX ? &pf->list[l] :
		    &pf->alist[l - PFM_L_MAX];	/* the anchors' lists follow */

		for (j = 0; j < cl->n; j++) {
			struct pfm_crule *c = &cl->r[j];

			for (i = 0, m = 0; c->rcv && i < PFM_MAXIF; i++)
				if (i < pf->nifn && pfm_if_in(pf, i, c->r->rcv_ifname))
					m |= 1ULL << i;
			c->rcvmask = m;
			if (c->r->ifname[0] == '\0') {
				c->ifmask = ~0ULL;
				continue;
			}
			for (i = 0, m = 0; i < PFM_MAXIF; i++)
				if (i < pf->nifn && pfm_if_in(pf, i, c->r->ifname))
					m |= 1ULL << i;
			c->ifmask = c->r->ifnot ? ~m : m;
		}
	}
}

int
pfm_if_index(struct pfm *pf, const char *name)
{
	int i;

	/* callers reuse buffers: compare the name, not the pointer */
	if (pf->last_kif >= 0 && strcmp(pf->ifn[pf->last_kif], name) == 0)
		return (pf->last_kif);
	for (i = 0; i < pf->nifn; i++)
		if (strcmp(pf->ifn[i], name) == 0)
			goto found;
	if (pf->nifn == PFM_MAXIF)
		return (PFM_MAXIF - 1);	/* shares the last slot */
	i = pf->nifn++;
	snprintf(pf->ifn[i], sizeof(pf->ifn[i]), "%s", name);
	pfm_if_resolve(pf);
found:
	pf->last_kif = i;
	return (i);
}
