/* probe_flat.c: a ruleset's lists as the generator walks them: anchors' rules in
 * place of the anchor rule that calls them, as pf_step_into_anchor evaluates them. */
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "probe_impl.h"


int
probe_rule_list(const struct pfm_rule *r)
{
	switch (r->action) {
	case PFM_R_NAT:
	case PFM_R_NONAT:
		return (PL_NAT);
	case PFM_R_RDR:
	case PFM_R_NORDR:
		return (PL_RDR);
	case PFM_R_BINAT:
	case PFM_R_NOBINAT:
		return (PL_BINAT);
	case PFM_R_PASS:
	case PFM_R_BLOCK:
	case PFM_R_MATCH:
	case PFM_R_SCRUB:
	case PFM_R_NOSCRUB:
		break;
	}
	return (PL_FILTER);
}

static int
push(struct gset *s, int l, const struct pfm_rule *r, const char *anchor,
    const struct pfm_rule *const *calls, int ncall)
{
	struct grule *g, *ng;

	if (s->n[l] == s->cap[l]) {
		if ((ng = realloc(s->g[l], (size_t)(s->cap[l] ? s->cap[l] * 2 : 8) *
		    sizeof(*ng))) == NULL)
			return (-1);
		s->g[l] = ng;
		s->cap[l] = s->cap[l] ? s->cap[l] * 2 : 8;
	}
	g = &s->g[l][s->n[l]];
	memset(g, 0, sizeof(*g));
	g->r = r;
	g->list = l;
	g->anchor = anchor;
	g->index = s->n[l]++;
	g->scope_end = -1;
	memcpy(g->call, calls, (size_t)ncall * sizeof(*calls));
	g->ncall = ncall;
	if (r->anchor != NULL)
		return (0);	/* the call itself decides nothing */
	if (l == PL_FILTER) {
		g->deciding = r->action == PFM_R_PASS || r->action == PFM_R_BLOCK;
		g->quick = r->quick;
	} else {
		g->deciding = 1;
		g->quick = 1;	/* translation is first match */
		g->translates = r->action == PFM_R_NAT || r->action == PFM_R_RDR ||
		    r->action == PFM_R_BINAT;
	}
	return (0);
}

static int flat_list(struct gset *, int, const struct pfm_anchor *,
    const struct pfm_rule **, int);

/* The anchors an anchor rule steps into: its anchor, or with `/ *` each child. */
static int
flat_call(struct gset *s, int l, const struct pfm_rule *r, const struct pfm_rule **calls,
    int ncall)
{
	const struct pfm_anchor *a;
	size_t n;

	if (!r->anchor_wildcard)
		return (flat_list(s, l, r->anchor, calls, ncall));
	n = strlen(r->anchor->path);
	for (a = s->rs->anchors; a != NULL; a = a->next)
		if (strncmp(a->path, r->anchor->path, n) == 0 && a->path[n] == '/' &&
		    strchr(a->path + n + 1, '/') == NULL &&
		    flat_list(s, l, a, calls, ncall) == -1)
			return (-1);
	return (0);
}

static int
flat_list(struct gset *s, int l, const struct pfm_anchor *a, const struct pfm_rule **calls,
    int ncall)
{
	const struct pfm_rule *r;
	int start, i;

	if (ncall >= PROBE_ANCHOR_DEPTH)
		return (0);
	for (r = pfm_anchor_list(s->rs, a, l); r != NULL; r = r->next) {
		if (push(s, l, r, a != NULL ? a->path : "", calls, ncall) == -1)
			return (-1);
		if (r->anchor == NULL)
			continue;
		start = s->n[l];
		calls[ncall] = r;
		if (flat_call(s, l, r, calls, ncall + 1) == -1)
			return (-1);
		/* pf_step_out_of_anchor: a quick anchor rule one of whose rules
		 * matched ends the evaluation (the nearest quick one counts) */
		if (r->quick && l == PL_FILTER)
			for (i = start; i < s->n[l]; i++)
				if (s->g[l][i].scope_end == -1)
					s->g[l][i].scope_end = s->n[l];
	}
	return (0);
}

int
probe_gset_make(struct gset *s, struct pfm_ruleset *rs, const struct pfm_host *h)
{
	int l;

	memset(s, 0, sizeof(*s));
	s->rs = rs;
	s->host = h;
	const struct pfm_rule *calls[PROBE_ANCHOR_DEPTH];

	for (l = 0; l < PL_N; l++)
		if (flat_list(s, l, NULL, calls, 0) == -1) {
			probe_gset_free(s);
			return (-1);
		}
	return (0);
}

void
probe_gset_free(struct gset *s)
{
	int l, i, a, d;

	for (l = 0; l < PL_N; l++) {
		for (i = 0; i < s->n[l]; i++)
			for (a = 0; a < 2; a++)
				for (d = 0; d < 2; d++) {
					pregion_free(&s->g[l][i].m[a][d]);
					pregion_free(&s->g[l][i].img[a][d]);
				}
		free(s->g[l]);
	}
	memset(s, 0, sizeof(*s));
}

const struct pregion *
probe_grule_match(struct gset *s, struct grule *g, int af, int in)
{
	int a = af == AF_INET6, d = g->list == PL_BINAT ? in : 0, inexact = 0;

	struct pregion c, x;
	int i;

	if (g->have[a][d])
		return (&g->m[a][d]);
	if (probe_rule_match(g->r, af, d, s->host, &g->m[a][d], &inexact) == -1)
		return (NULL);
	for (i = 0; i < g->ncall && g->m[a][d].n > 0; i++) {
		/* an anchor's rules see only what its anchor rules matched */
		pregion_init(&c);
		pregion_init(&x);
		if (probe_rule_match(g->call[i], af, d, s->host, &c, &inexact) == -1 ||
		    pregion_and_region(&x, &g->m[a][d], &c) == -1) {
			pregion_free(&c);
			pregion_free(&x);
			return (NULL);
		}
		pregion_free(&g->m[a][d]);
		g->m[a][d] = x;
		pregion_free(&c);
	}
	g->inexact |= inexact;
	g->have[a][d] = 1;
	return (&g->m[a][d]);
}

const struct pregion *
probe_grule_image(struct gset *s, struct grule *g, int af, int in)
{
	int a = af == AF_INET6, d = g->list == PL_BINAT ? in : 0;

	if (!g->have_img[a][d]) {
		if (probe_rule_image(g->r, af, d, s->host, &g->img[a][d]) == -1)
			return (NULL);
		g->have_img[a][d] = 1;
	}
	return (&g->img[a][d]);
}

/* Direction and interface of rule r (a rule of list l, or an anchor rule calling
 * into one) against a hook. */
static int
on_hook(const struct gset *s, const struct pfm_rule *r, int l, int in, const char *ifname)
{
	switch (l) {
	case PL_NAT:
		if (in)
			return (0);
		break;
	case PL_RDR:
		if (!in)
			return (0);
		break;
	case PL_BINAT:
		break;
	case PL_FILTER:
		if ((r->direction == PFM_RDIR_IN && !in) ||
		    (r->direction == PFM_RDIR_OUT && in))
			return (0);
		break;
	}
	return (probe_rule_on(r, s->host, ifname));
}

int
probe_grule_applies(const struct gset *s, const struct grule *g, int in,
    const char *ifname)
{
	int i;

	for (i = 0; i < g->ncall; i++)
		if (!on_hook(s, g->call[i], g->list, in, ifname))
			return (0);
	return (on_hook(s, g->r, g->list, in, ifname));
}

int
probe_skipped(const struct gset *s, const char *ifname)
{
	int i;

	for (i = 0; i < s->rs->nskip; i++)
		if (probe_if_member(s->host, ifname, s->rs->skip[i]))
			return (1);
	return (0);
}
