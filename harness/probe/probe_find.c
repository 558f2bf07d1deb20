/* probe_find.c: a packet inside what a rule decides that the world can send, tried
 * on the model until one is decided by that rule. The world sends from its clients
 * (in on the external interface: any address that is not the host's side) and its
 * jails (connections: out on the external interface to a client, or over a loopback
 * to a jail or the host's address). A filter rule's packets are what pf's filter sees,
 * so a packet is also looked for before the translation that brings it there. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_ctx.h"

#define FIND_TRIES	12

static int
add_addr(struct pset *s, const struct pkt_addr *a)
{
	struct pval v = pval_addr(a->af, a->a);

	return (pset_add(s, v, v));
}

/* The addresses of net/plen (af) into s; inner: without the first and last. */
static int
add_net(struct pset *s, const struct pkt_addr *net, int plen, int inner)
{
	uint8_t lo[16], hi[16];
	int i, n = net->af == AF_INET ? 4 : 16, bits;
	struct pval a, b;

	for (i = 0; i < n; i++) {
		bits = plen - 8 * i;
		uint8_t m = bits >= 8 ? 0xff : bits > 0 ? (uint8_t)(0xff << (8 - bits)) : 0;

		lo[i] = net->a[i] & m;
		hi[i] = net->a[i] | (uint8_t)~m;
	}
	a = pval_addr(net->af, lo);
	b = pval_addr(net->af, hi);
	if (inner && pval_cmp(a, b) < 0) {
		if (++a.lo == 0)
			a.hi++;
		if (b.lo-- == 0)
			b.hi--;
	}
	return (pset_add(s, a, b));
}

static int
add_str(struct pset *s, const char *net, int plen)
{
	struct pkt_addr a;

	if (pkt_addr_parse(net, &a) == -1)
		return (-1);
	return (add_net(s, &a, plen, 0));
}

/* Addresses no client may have nor be sent to: unspecified, loopback, link-local,
 * multicast, reserved and broadcast (the kernels drop them as martians). */
static int
martians(int af, struct pset *s)
{
	if (af == AF_INET)
		return (add_str(s, "0.0.0.0", 8) | add_str(s, "127.0.0.0", 8) |
		    add_str(s, "169.254.0.0", 16) | add_str(s, "224.0.0.0", 3));
	return (add_str(s, "::", 8) | add_str(s, "fe80::", 10) | add_str(s, "ff00::", 8));
}

/* The addresses of the world's sides: jails, the host's own, outside (clients may be
 * there), good destinations for a client's packet, and what each external
 * interface's wire reaches (wire[k]: as_run->iface[k]'s). */
struct wsets {
	struct pset	jails, local, outside, dst;
	struct pset	wire[SCN_IFS_MAX];
	int		nwire;
};

/* The host's own addresses of af in s (interfaces, bridges, public jails), and what
 * no client may be (those, bridges' and VNET jails' networks, routers, routes' next
 * hops) into bad; each subnet's own and broadcast addresses into edge. */
static int
v2_sides(const struct scn *s, int af, struct pset *local, struct pset *bad,
    struct pset *edge)
{
	struct pset all, in;
	int i, k, rc = 0;

	pset_init(&all);
	pset_init(&in);
	for (i = 0; i < s->niface; i++)
		for (k = 0; k < s->iface[i].naddr; k++) {
			const struct scn_ifaddr *ia = &s->iface[i].addr[k];

			if (ia->addr.af != af)
				continue;
			rc |= add_addr(local, &ia->addr);
			if (ia->plen >= (af == AF_INET ? 31 : 127))
				continue;
			all.n = in.n = 0;
			rc |= add_net(&all, &ia->addr, ia->plen, 0);
			rc |= add_net(&in, &ia->addr, ia->plen, 1);
			rc |= pset_minus(&all, &all, &in);
			rc |= pset_add_set(edge, &all);
		}
	for (i = 0; i < s->nbridge; i++)
		if (s->bridge[i].addr.af == af) {
			rc |= add_addr(local, &s->bridge[i].addr);
			rc |= add_net(bad, &s->bridge[i].addr, s->bridge[i].plen, 0);
		}
	for (i = 0; i < s->njail; i++)
		for (k = 0; k < s->jail[i].naddr; k++)
			if (s->jail[i].addr[k].af == af && s->jail[i].kind != SCN_JAIL_LO) {
				rc |= add_addr(bad, &s->jail[i].addr[k]);
				if (s->jail[i].kind == SCN_JAIL_PUBLIC)
					rc |= add_addr(local, &s->jail[i].addr[k]);
			}
	for (i = 0; i < s->nrouter; i++)
		if (s->router[i].addr.af == af)
			rc |= add_addr(bad, &s->router[i].addr);
	for (i = 0; i < s->nroute; i++)
		if (s->route[i].via.af == af)
			rc |= add_addr(bad, &s->route[i].via);
	if (s->niface > 0 && (af == AF_INET6 ? s->iface[0].gw6.af : s->iface[0].gw4.af))
		rc |= add_addr(bad, af == AF_INET6 ? &s->iface[0].gw6 : &s->iface[0].gw4);
	rc |= pset_add_set(bad, local);
	pset_free(&all);
	pset_free(&in);
	return (rc);
}

/* What each external interface's wire reaches: the others' subnets, routers' and
 * routes' networks and clients `on` them; the primary's, all the rest. probe_find's
 * points are checked against the route the host really takes (probe_world_wire). */
static int
wire_sets(const struct scn *s, int af, struct wsets *ws)
{
	struct pset others;
	int i, k, w, rc = 0;

	ws->nwire = s != NULL && s->niface > 1 ? s->niface : 1;
	for (i = 0; i < ws->nwire; i++)
		pset_init(&ws->wire[i]);
	pset_init(&others);
	for (i = 1; i < ws->nwire; i++) {
		for (k = 0; k < s->iface[i].naddr; k++)
			if (s->iface[i].addr[k].addr.af == af)
				rc |= add_net(&ws->wire[i], &s->iface[i].addr[k].addr,
				    s->iface[i].addr[k].plen, 0);
		for (k = 0; k < s->nrouter; k++)
			for (w = 0; w < s->router[k].nnet; w++)
				if (s->router[k].wire == i && s->router[k].net[w].addr.af == af)
					rc |= add_net(&ws->wire[i], &s->router[k].net[w].addr,
					    s->router[k].net[w].plen, 0);
		for (k = 0; k < s->nroute; k++)
			if (s->route[k].net.addr.af == af &&
			    scn_wire_of(s, &s->route[k].via, NULL) == i)
				rc |= add_net(&ws->wire[i], &s->route[k].net.addr,
				    s->route[k].net.plen, 0);
		for (k = 0; k < s->nclient; k++)
			if (s->client[k].wire == i && s->client[k].addr.af == af)
				rc |= add_addr(&ws->wire[i], &s->client[k].addr);
		rc |= pset_add_set(&others, &ws->wire[i]);
	}
	rc |= pset_full(&ws->wire[0], pdim_max(PD_DST, af));
	rc |= pset_minus(&ws->wire[0], &ws->wire[0], &others);
	pset_free(&others);
	return (rc);
}

static int
world_sets(const struct gen *G, struct wsets *ws)
{
	const struct probe_world *w = G->w;
	struct pset bad, edge;
	int i, rc = 0;

	pset_init(&ws->jails);
	pset_init(&ws->local);
	pset_init(&ws->outside);
	pset_init(&ws->dst);
	pset_init(&bad);
	pset_init(&edge);
	if (G->relaxed)
		rc |= add_net(&ws->jails, &w->lo_net, w->lo_plen, 1);
	for (i = 0; i < w->njail; i++)
		if (w->jail[i].addr.af == G->af && !w->jail[i].vnet)
			rc |= add_addr(&ws->jails, &w->jail[i].addr);
	rc |= add_addr(&ws->local, &w->host_addr);
	rc |= martians(G->af, &bad);
	rc |= pset_full(&ws->dst, pdim_max(PD_DST, G->af));
	rc |= pset_minus(&ws->dst, &ws->dst, &bad);
	if (w->host_plen < (G->af == AF_INET ? 31 : 127)) {
		/* the host's subnet's own and broadcast addresses */
		struct pset all;

		pset_init(&all);
		rc |= add_net(&all, &w->host_addr, w->host_plen, 0);
		rc |= add_net(&edge, &w->host_addr, w->host_plen, 1);
		rc |= pset_minus(&edge, &all, &edge);
		pset_free(&all);
	}
	if (w->as_run != NULL)
		rc |= v2_sides(w->as_run, G->af, &ws->local, &bad, &edge);
	rc |= pset_minus(&ws->dst, &ws->dst, &edge);
	rc |= pset_copy(&ws->outside, &ws->dst);
	rc |= add_addr(&bad, &w->host_addr);
	rc |= add_addr(&bad, &w->gateway);
	if (w->lo_if[0] != '\0')
		rc |= add_net(&bad, &w->lo_net, w->lo_plen, 0);
	for (i = 0; i < w->njail; i++)
		if (w->jail[i].addr.af == G->af)
			rc |= add_addr(&bad, &w->jail[i].addr);
	rc |= pset_minus(&ws->outside, &ws->outside, &bad);
	rc |= wire_sets(w->as_run, G->af, ws);
	pset_free(&bad);
	pset_free(&edge);
	return (rc ? -1 : 0);
}

static void
wsets_free(struct wsets *ws)
{
	int i;

	pset_free(&ws->jails);
	pset_free(&ws->local);
	pset_free(&ws->outside);
	pset_free(&ws->dst);
	for (i = 0; i < ws->nwire; i++)
		pset_free(&ws->wire[i]);
	ws->nwire = 0;
}

/* A box of one protocol class into r: proto, src, sport, dst, dport, flags, itype. */
static int
vbox(struct pregion *r, const struct pset *proto, const struct pset *src,
    const struct pset *sp, const struct pset *dst, const struct pset *dp,
    const struct pset *fl, const struct pset *it)
{
	struct pbox b;
	int rc;

	pbox_init(&b);
	rc = pset_copy(&b.d[PD_PROTO], proto) | pset_copy(&b.d[PD_SRC], src) |
	    pset_copy(&b.d[PD_SPORT], sp) | pset_copy(&b.d[PD_DST], dst) |
	    pset_copy(&b.d[PD_DPORT], dp) | pset_copy(&b.d[PD_FLAGS], fl) |
	    pset_copy(&b.d[PD_ITYPE], it) | pset_add(&b.d[PD_ICODE], pval_u(0), pval_u(0));
	if (rc == 0)
		rc = pregion_add(r, &b);
	pbox_free(&b);
	return (rc);
}

static int
set1(struct pset *s, uint64_t a, uint64_t b)
{
	s->n = 0;
	return (pset_add(s, pval_u(a), pval_u(b)));
}

/* The addresses of af of the VNET jails on bridge b (-1: on any) into out. */
static int
vnet_addrs(const struct probe_world *w, int af, int b, struct pset *out)
{
	int i, rc = 0;

	for (i = 0; i < w->njail; i++)
		if (w->jail[i].vnet && w->jail[i].addr.af == af && (b < 0 ||
		    (w->as_run != NULL && b < w->as_run->nbridge &&
		    strcmp(w->jail[i].on, w->as_run->bridge[b].name) == 0)))
			rc |= add_addr(out, &w->jail[i].addr);
	return (rc);
}

/* Boxes of what a client sends (tcp with the flags the notation writes, udp, icmp
 * echo) from src to dst, into r. */
static int
client_boxes(const struct gen *G, struct pregion *r, const struct pset *src,
    const struct pset *dst)
{
	struct pset p, sp, dp, fl, it, z;
	int rc = 0, icmp = G->af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;

	pset_init(&p); pset_init(&sp); pset_init(&dp); pset_init(&fl); pset_init(&it);
	pset_init(&z);
	rc |= set1(&z, 0, 0) | set1(&dp, 1, 65535);
	rc |= set1(&sp, 1, 65535) | set1(&fl, 0, 0x3f);
	rc |= set1(&p, IPPROTO_TCP, IPPROTO_TCP);
	rc |= vbox(r, &p, src, &sp, dst, &dp, &fl, &z);
	rc |= set1(&p, IPPROTO_UDP, IPPROTO_UDP);
	rc |= vbox(r, &p, src, &sp, dst, &dp, &z, &z);
	rc |= set1(&p, icmp, icmp);
	rc |= pset_add(&it, pval_u(G->af == AF_INET ? 8 : 128),
	    pval_u(G->af == AF_INET ? 8 : 128));
	rc |= pset_add(&it, pval_u(G->af == AF_INET ? 0 : 129),
	    pval_u(G->af == AF_INET ? 0 : 129));
	rc |= vbox(r, &p, src, &z, dst, &z, &z, &it);
	pset_free(&p); pset_free(&sp); pset_free(&dp); pset_free(&fl); pset_free(&it);
	pset_free(&z);
	return (rc);
}

/* Boxes of a jail's connection (a SYN or a datagram from a port of its own, or a
 * ping's echo request) from src to dst, into r. */
static int
conn_boxes(const struct gen *G, struct pregion *r, const struct pset *src,
    const struct pset *dst)
{
	struct pset p, sp, dp, fl, z, it;
	int rc = 0, icmp = G->af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;

	pset_init(&p); pset_init(&sp); pset_init(&dp); pset_init(&fl); pset_init(&z);
	pset_init(&it);
	rc |= set1(&z, 0, 0) | set1(&dp, 1, 65535);
	rc |= set1(&sp, 1024, 65535) | set1(&fl, PKT_TH_SYN, PKT_TH_SYN);
	rc |= set1(&p, IPPROTO_TCP, IPPROTO_TCP);
	rc |= vbox(r, &p, src, &sp, dst, &dp, &fl, &z);
	rc |= set1(&p, IPPROTO_UDP, IPPROTO_UDP);
	rc |= vbox(r, &p, src, &sp, dst, &dp, &z, &z);
	rc |= set1(&p, icmp, icmp) | set1(&it, G->af == AF_INET ? 8 : 128,
	    G->af == AF_INET ? 8 : 128);
	rc |= vbox(r, &p, src, &z, dst, &z, &z, &it);
	pset_free(&p); pset_free(&sp); pset_free(&dp); pset_free(&fl); pset_free(&z);
	pset_free(&it);
	return (rc);
}

/* What the world sends at hook h into h->v: clients on the hook's wire, jails to
 * where the hook's interface leads, VNET jails into their bridge, and what the host
 * forwards out of an external interface or a bridge. */
static int
vantage(const struct gen *G, const struct wsets *ws, struct ghook *h)
{
	const struct probe_world *w = G->w;
	const struct scn_bridge *br = h->bridge >= 0 ? &w->as_run->bridge[h->bridge] : NULL;
	struct pset src, dst, t;
	int rc = 0;

	pset_init(&src); pset_init(&dst); pset_init(&t);
	if (h->vant == HV_SEND || h->vant == HV_BOTH) {
		if (h->wire >= 0 && h->wire < ws->nwire)
			rc |= pset_and(&src, &ws->outside, &ws->wire[h->wire]);
		else
			rc |= pset_copy(&src, &ws->outside);
		rc |= client_boxes(G, &h->v, &src, &ws->dst);
	}
	if (h->vant == HV_CONN || h->vant == HV_BOTH) {
		rc |= pset_copy(&src, &ws->jails);
		dst.n = 0;
		if (br != NULL && h->in) {
			/* a VNET jail's packet to the host or through it */
			src.n = 0;
			rc |= vnet_addrs(w, G->af, h->bridge, &src);
			rc |= add_net(&t, &br->addr, br->plen, 0);
			rc |= pset_minus(&dst, &ws->dst, &t);
			rc |= add_addr(&dst, &br->addr);
		} else if (br != NULL)
			rc |= vnet_addrs(w, G->af, h->bridge, &dst);
		else if (h->wire >= 0 && h->wire < ws->nwire) {
			rc |= pset_and(&dst, &ws->outside, &ws->wire[h->wire]);
			if (h->fwd)
				rc |= vnet_addrs(w, G->af, -1, &src);
		} else {
			if (w->lo_if[0] != '\0' && strcmp(h->ifname, w->lo_if) == 0)
				rc |= pset_copy(&dst, &ws->jails);
			if (strcmp(h->ifname, "lo0") == 0)
				rc |= pset_copy(&dst, &ws->local);
		}
		rc |= conn_boxes(G, &h->v, &src, &dst);
	}
	if (h->fwd) {
		/* clients' packets the host forwards: from another wire, or to a VNET
		 * jail */
		src.n = dst.n = 0;
		if (br != NULL) {
			rc |= pset_copy(&src, &ws->outside);
			rc |= vnet_addrs(w, G->af, h->bridge, &dst);
		} else if (h->wire >= 0 && h->wire < ws->nwire) {
			rc |= pset_minus(&src, &ws->outside, &ws->wire[h->wire]);
			rc |= pset_and(&dst, &ws->outside, &ws->wire[h->wire]);
		}
		rc |= client_boxes(G, &h->v, &src, &dst);
	}
	pset_free(&src); pset_free(&dst); pset_free(&t);
	return (rc ? -1 : 0);
}

int
probe_vantages(struct gen *G)
{
	struct wsets ws;
	int i, rc = 0;

	if (world_sets(G, &ws) == -1) {
		wsets_free(&ws);
		return (-1);
	}
	pset_init(&G->jail_srcs);
	rc = pset_copy(&G->jail_srcs, &ws.jails);
	rc |= vnet_addrs(G->w, G->af, -1, &G->jail_srcs);
	for (i = 0; i < G->nhook && rc == 0; i++) {
		pregion_init(&G->hook[i].v);
		if (G->hook[i].world)
			rc = vantage(G, &ws, &G->hook[i]);
	}
	wsets_free(&ws);
	return (rc);
}

void
probe_vantages_free(struct gen *G)
{
	int i;

	for (i = 0; i < G->nhook; i++)
		pregion_free(&G->hook[i].v);
	pset_free(&G->jail_srcs);
}

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
