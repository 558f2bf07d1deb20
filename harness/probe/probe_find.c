/* probe_find.c: a packet inside what a rule decides that the world can send (the
 * hooks' vantages, probe_vant.c), tried on the model until one is decided by that
 * rule: a client's on the wire the host routes it by, a jail's connection or ping.
 * A filter rule's packets are what pf's filter sees, so a packet is also looked for
 * before the translation that brings it there. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_ctx.h"

#define FIND_TRIES	12

/* Preferred values: plain ones first (the public address, the first client, a web
 * port, a SYN), so that probes read like what an admin would try. */
struct prefs {
	struct pval	v[PD_N][PROBE_JAILS_MAX + 8];
	int		n[PD_N];
};

static void
pref(struct prefs *p, enum pdim d, struct pval v)
{
	if (p->n[d] < (int)(sizeof(p->v[d]) / sizeof(p->v[d][0])))
		p->v[d][p->n[d]++] = v;
}

/* The first address of af of external interface `wire` into a. 0, or -1: none. */
static int
wire_addr(const struct probe_world *w, int wire, int af, struct pkt_addr *a)
{
	const struct scn_if *ifp;
	int k;

	if (w->as_run == NULL || wire >= w->as_run->niface)
		return (-1);
	ifp = &w->as_run->iface[wire];
	for (k = 0; k < ifp->naddr; k++)
		if (ifp->addr[k].addr.af == af) {
			*a = ifp->addr[k].addr;
			return (0);
		}
	return (-1);
}

static void
prefs_make(const struct gen *G, const struct ghook *h, int plain, struct prefs *p)
{
	static const uint16_t ports[] = { 80, 443, 22, 25, 53, 8080 };
	const struct probe_world *w = G->w;
	struct pkt_addr c;
	size_t i;
	int k;

	memset(p->n, 0, sizeof(p->n));
	pref(p, PD_SPORT, pval_u(G->next_port));
	pref(p, PD_FLAGS, pval_u(PKT_TH_SYN));
	pref(p, PD_FLAGS, pval_u(PKT_TH_ACK));
	pref(p, PD_ITYPE, pval_u(G->af == AF_INET ? 8 : 128));
	pref(p, PD_ICODE, pval_u(0));
	if (plain)
		return;
	pref(p, PD_PROTO, pval_u(IPPROTO_TCP));
	pref(p, PD_PROTO, pval_u(IPPROTO_UDP));
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		pref(p, PD_DPORT, pval_u(ports[i]));
	(void)pkt_addr_parse(G->af == AF_INET ? "198.51.100.7" : "2001:db8:2::7", &c);
	if (h->vant == HV_SEND) {
		for (k = 0; k < w->nclient; k++)
			if (w->client[k].addr.af == G->af)
				pref(p, PD_SRC, pval_addr(G->af, w->client[k].addr.a));
		pref(p, PD_SRC, pval_addr(G->af, c.a));
		if (h->wire > 0 && wire_addr(w, h->wire, G->af, &c) == 0)
			pref(p, PD_DST, pval_addr(G->af, c.a));
		pref(p, PD_DST, pval_addr(G->af, w->host_addr.a));
		for (k = 0; k < w->njail; k++)
			if (w->jail[k].addr.af == G->af)
				pref(p, PD_DST, pval_addr(G->af, w->jail[k].addr.a));
	} else {
		for (k = 0; k < w->njail; k++)
			if (w->jail[k].addr.af == G->af)
				pref(p, PD_SRC, pval_addr(G->af, w->jail[k].addr.a));
		for (k = 0; h->fwd && k < w->nclient; k++)
			if (w->client[k].addr.af == G->af)
				pref(p, PD_SRC, pval_addr(G->af, w->client[k].addr.a));
		for (k = 0; k < w->nclient; k++)
			if (w->client[k].addr.af == G->af)
				pref(p, PD_DST, pval_addr(G->af, w->client[k].addr.a));
		pref(p, PD_DST, pval_addr(G->af, c.a));
		pref(p, PD_DST, pval_addr(G->af, w->host_addr.a));
		for (k = w->njail - 1; k >= 0; k--)
			if (w->jail[k].addr.af == G->af)
				pref(p, PD_DST, pval_addr(G->af, w->jail[k].addr.a));
	}
}

static const int icmp_kinds[][3] = {
	/* type (v4), type (v6), notation */
	{ 8, 128, PKT_ICMP_ECHO_REQUEST },
	{ 0, 129, PKT_ICMP_ECHO_REPLY },
};

/* Another source of box b than *v (the destination picked), the preferred first, into
 * *v. 0, or -1 when b has no other. */
static int
other_src(const struct pbox *b, const struct prefs *p, struct pval *v)
{
	struct pset one, rest;
	int rc;

	pset_init(&one);
	pset_init(&rest);
	rc = pset_add(&one, *v, *v) == -1 || pset_minus(&rest, &b->d[PD_SRC], &one) == -1 ||
	    pset_pick(&rest, p->v[PD_SRC], p->n[PD_SRC], v) == -1 ? -1 : 0;
	pset_free(&one);
	pset_free(&rest);
	return (rc);
}

/* A point of box b as the case's packet. 0, or -1 when b yields none. */
static int
point(const struct gen *G, const struct ghook *h, const struct pbox *b,
    const struct prefs *p, struct probe_case *c, int *score)
{
	static const int weight[PD_N] = {
		[PD_PROTO] = 4, [PD_SRC] = 2, [PD_SPORT] = 1, [PD_DST] = 8,
		[PD_DPORT] = 2, [PD_FLAGS] = 4, [PD_ITYPE] = 1, [PD_ICODE] = 1 };
	struct pval v[PD_N];
	size_t i;
	int d, k;

	*score = 0;
	for (d = 0; d < PD_N; d++) {
		if (pset_pick(&b->d[d], p->v[d], p->n[d], &v[d]) == -1)
			return (-1);
		for (k = 0; k < p->n[d]; k++)
			if (pval_cmp(p->v[d][k], v[d]) == 0) {
				*score += weight[d] * (p->n[d] - k) * 64 / p->n[d];
				break;
			}
	}
	if (pval_cmp(v[PD_SRC], v[PD_DST]) == 0 && other_src(b, p, &v[PD_SRC]) == -1)
		return (-1);		/* a packet to its own source: none */
	memset(&c->pkt, 0, sizeof(c->pkt));
	c->pkt.proto = (int)v[PD_PROTO].lo;
	c->pkt.src.af = c->pkt.dst.af = G->af;
	pval_to_addr(v[PD_SRC], G->af, c->pkt.src.a);
	pval_to_addr(v[PD_DST], G->af, c->pkt.dst.a);
	if (pkt_addr_eq(&c->pkt.src, &c->pkt.dst))
		return (-1);
	c->via = h->vant == HV_SEND ? PV_SEND : PV_CONNECT;
	if ((h->vant == HV_BOTH || h->fwd) && pset_has(&G->jail_srcs, v[PD_SRC]) == 0)
		c->via = PV_SEND;
	if (c->pkt.proto == IPPROTO_ICMP || c->pkt.proto == IPPROTO_ICMPV6) {
		for (i = 0; i < sizeof(icmp_kinds) / sizeof(icmp_kinds[0]); i++)
			if (v[PD_ITYPE].lo == (uint64_t)icmp_kinds[i][G->af == AF_INET6])
				c->pkt.icmp = (enum pkt_icmp)icmp_kinds[i][2];
		if (c->pkt.icmp == PKT_ICMP_NONE || (c->via == PV_CONNECT &&
		    c->pkt.icmp != PKT_ICMP_ECHO_REQUEST))
			return (-1);
		/* the echo id: one per probe; a jail's ping has the harness's own */
		c->pkt.sport = c->via == PV_CONNECT ? PROBE_PING_ID : G->next_port;
	} else if (c->pkt.proto == IPPROTO_TCP || c->pkt.proto == IPPROTO_UDP) {
		c->pkt.sport = (uint16_t)v[PD_SPORT].lo;
		c->pkt.dport = (uint16_t)v[PD_DPORT].lo;
		c->pkt.flags = (uint8_t)v[PD_FLAGS].lo;
	} else
		return (-1);
	c->jail = -1;
	if (c->via == PV_CONNECT && (c->jail = probe_world_jail(G->w, &c->pkt.src)) == -1 &&
	    !G->relaxed)
		return (-1);
	/* the wire the host really routes: a client's, on the hook's wire; a jail's
	 * connection out of an external interface, to that interface's wire */
	c->wire = 0;
	if (c->via == PV_SEND && ((c->wire = probe_world_wire(G->w, &c->pkt.src)) == -1 ||
	    (h->in && h->wire >= 0 && c->wire != h->wire) ||
	    (!h->in && h->wire >= 0 && c->wire == h->wire)))
		return (-1);
	if (!h->in && h->wire >= 0 && probe_world_wire(G->w, &c->pkt.dst) != h->wire)
		return (-1);
	return (0);
}

/* Run the case on the model: 1 when g decides it at hook h. A `no` translation rule
 * leaves no trace in the verdict: that hook did not translate the packet, and the
 * packet is one the sets say the `no` rule matches first. */
static int
judge(struct gen *G, const struct grule *g, const struct ghook *h, struct probe_case *c)
{
	struct phop hop[PROBE_HOPS];
	const struct pfm_rule *t;
	int i, nh, ok = 0;

	pfm_flush_states(G->pf);
	G->now += 10;
	if ((nh = probe_eval(G->pf, G->w, c, G->now, hop)) == 0)
		return (0);
	if (nh > 1 && hop[0].v.action != PFM_PASS && hop[0].v.nemit > 0)
		G->answered = 1;	/* syncookies: the rules come at the ACK */
	for (i = 0; i < nh; i++) {
		if (!g->translates && g->list != PL_FILTER)
			ok |= (hop[i].dir == PFM_IN) == (h->in != 0) &&
			    strcmp(hop[i].ifname, h->ifname) == 0 && !hop[i].v.skipped &&
			    hop[i].v.trans == NULL;
		else
			ok |= probe_hop_decides(&hop[i], g->list, g->anchor, g->r->nr);
	}
	if (!ok)
		return (0);
	c->after = hop[nh - 1].after;
	c->passed = 1;
	for (i = 0; i < nh; i++)
		c->passed &= hop[i].v.action == PFM_PASS;
	for (i = 0; i < nh; i++) {
		t = hop[i].v.trans;
		if (t != NULL && (t->action == PFM_R_NAT || t->action == PFM_R_BINAT) &&
		    !t->rpool.static_port && hop[i].after.sport != hop[i].before.sport) {
			c->nat_lo = t->rpool.proxy_port[0];
			c->nat_hi = t->rpool.proxy_port[1];
			break;
		}
	}
	return (1);
}

/* The fields translation rule x rewrites (rdr: destination and its port; nat: source
 * and its port; binat: the address), as masks over the box's dimensions. */
static int
rewrites(const struct grule *x, int in, enum pdim d)
{
	switch (x->r->action) {
	case PFM_R_RDR:
		return (d == PD_DST || d == PD_DPORT);
	case PFM_R_NAT:
		return (d == PD_SRC || d == PD_SPORT);
	case PFM_R_BINAT:
		return (d == (in ? PD_DST : PD_SRC));
	default:
		return (0);
	}
}

/* The packets before translation x that land in r: x's match, r's values on the
 * fields x does not rewrite. */
static int
before_x(struct gen *G, struct grule *x, const struct ghook *h, const struct pregion *r,
    struct pregion *out)
{
	const struct pregion *xm;
	struct pregion pre;
	int i, d, rc = 0;

	if ((xm = probe_grule_match(&G->s, x, G->af, h->in)) == NULL)
		return (-1);
	pregion_init(&pre);
	for (i = 0; i < r->n && rc == 0; i++) {
		struct pbox b;

		pbox_init(&b);
		rc = pbox_copy(&b, &r->b[i]);
		for (d = 0; d < PD_N && rc == 0; d++)
			if (rewrites(x, h->in, (enum pdim)d))
				rc = pset_full(&b.d[d], pdim_max((enum pdim)d, G->af));
		if (rc == 0)
			rc = pregion_add(&pre, &b);
		pbox_free(&b);
	}
	if (rc == 0)
		rc = pregion_and_region(out, &pre, xm);
	pregion_free(&pre);
	return (rc);
}

/* A point of a box and how well it reads (probe_find tries the best first). */
struct cpoint {
	int		box, plain, score;
};

static int
cmp_point(const void *a, const void *b)
{
	const struct cpoint *x = a, *y = b;

	if (x->score != y->score)
		return (y->score - x->score);
	return (x->box - y->box);
}

/* Try the boxes of cand (what the world sends) on the model, the points that read
 * best first: 1 found. */
static int
try_boxes(struct gen *G, struct grule *g, const struct ghook *h,
    const struct pregion *cand, struct probe_case *c, int *tries)
{
	struct prefs p[2];
	struct cpoint *pt;
	int i, k, n = 0, found = 0;

	if (cand->n == 0)
		return (0);
	if ((pt = calloc((size_t)cand->n * 2, sizeof(*pt))) == NULL)
		return (-1);
	prefs_make(G, h, 0, &p[0]);
	prefs_make(G, h, 1, &p[1]);
	for (k = 0; k < 2; k++)
		for (i = 0; i < cand->n; i++) {
			if (point(G, h, &cand->b[i], &p[k], c, &pt[n].score) == -1)
				continue;
			pt[n].box = i;
			pt[n++].plain = k;
		}
	qsort(pt, (size_t)n, sizeof(*pt), cmp_point);
	for (i = 0; i < n && *tries < FIND_TRIES && !found; i++) {
		(void)point(G, h, &cand->b[pt[i].box], &p[pt[i].plain], c, &k);
		++*tries;
		found = judge(G, g, h, c);
	}
	free(pt);
	return (found);
}

/* What the translation rules after g at hook h match (pf's order: inbound rdr then
 * binat, outbound binat then nat). */
static int
later_translations(struct gen *G, const struct grule *g, const struct ghook *h,
    struct pregion *out)
{
	const struct pregion *xm;
	struct grule *x;
	int l[2], i, k, after = 0;

	l[0] = h->in ? PL_RDR : PL_BINAT;
	l[1] = h->in ? PL_BINAT : PL_NAT;
	for (i = 0; i < 2; i++)
		for (k = 0; k < G->s.n[l[i]]; k++) {
			x = &G->s.g[l[i]][k];
			if (x == g) {
				after = 1;
				continue;
			}
			if (!after || !x->translates ||
			    !probe_grule_applies(&G->s, x, h->in, h->ifname))
				continue;
			if ((xm = probe_grule_match(&G->s, x, G->af, h->in)) == NULL ||
			    pregion_add_region(out, xm) == -1)
				return (-1);
		}
	return (0);
}

int
probe_find(struct gen *G, struct grule *g, const struct ghook *h, const struct pregion *r,
    struct probe_case *c)
{
	struct pregion direct, cand, pre, back;
	const struct pregion *xi;
	struct grule *x;
	int l[2], i, k, tries = 0, sendable = 0, rc = -1;

	if (h->v.n == 0)
		return (2);
	pregion_init(&direct);
	pregion_init(&cand);
	pregion_init(&pre);
	pregion_init(&back);
	if (pregion_and_region(&direct, r, &h->v) == -1)
		goto out;
	sendable = direct.n > 0;
	if (!g->translates && g->list != PL_FILTER && direct.n > 0) {
		/* a `no` rule: first where a later rule would have translated */
		if (later_translations(G, g, h, &pre) == -1 ||
		    pregion_and_region(&back, &direct, &pre) == -1 ||
		    (rc = try_boxes(G, g, h, &back, c, &tries)) == -1)
			goto out;
		if (rc == 1)
			goto found;
	}
	l[0] = h->in ? PL_RDR : PL_BINAT;
	l[1] = h->in ? PL_BINAT : PL_NAT;
	for (i = 0; i < 2 && g->list == PL_FILTER; i++)
		for (k = 0; k < G->s.n[l[i]] && tries < FIND_TRIES; k++) {
			/* through a translation that brings packets into r first: the
			 * packet as a client or jail sends it, not as pf rewrote it */
			x = &G->s.g[l[i]][k];
			if (!x->translates || x->r->pass_trans ||
			    !probe_grule_applies(&G->s, x, h->in, h->ifname))
				continue;
			if ((xi = probe_grule_image(&G->s, x, G->af, h->in)) == NULL)
				goto out;
			pregion_free(&pre);
			pregion_free(&back);
			pregion_free(&cand);
			if (pregion_and_region(&pre, r, xi) == -1)
				goto out;
			if (pre.n == 0)
				continue;
			if (before_x(G, x, h, &pre, &back) == -1 ||
			    pregion_and_region(&cand, &back, &h->v) == -1)
				goto out;
			sendable |= cand.n > 0;
			if ((rc = try_boxes(G, g, h, &cand, c, &tries)) == -1)
				goto out;
			if (rc == 1)
				goto found;
		}
	if ((rc = try_boxes(G, g, h, &direct, c, &tries)) == -1)
		goto out;
	if (rc == 1)
		goto found;
	/* sets the world can send from but no packet it sends (a jail to itself) */
	rc = sendable && tries > 0 ? 0 : 2;
	goto out;
found:
	G->next_port++;
	if (c->via == PV_CONNECT && c->jail == -1 && G->nhint < GEN_HINTS) {
		for (i = 0; i < G->nhint; i++)
			if (pkt_addr_eq(&G->hint[i], &c->pkt.src))
				break;
		if (i == G->nhint)
			G->hint[G->nhint++] = c->pkt.src;
	}
out:
	pregion_free(&direct);
	pregion_free(&cand);
	pregion_free(&pre);
	pregion_free(&back);
	return (rc);
}
