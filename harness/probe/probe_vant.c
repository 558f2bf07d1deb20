/* probe_vant.c: what the world can send at each of the generator's hooks, as boxes
 * of packets: clients on their wire (any address their wire's routes reach, not the
 * host's side), jails' connections and pings (on the loopback or an external
 * interface) out of the interface their route takes, VNET jails' into their bridge,
 * and what the host forwards out of an external interface or a bridge. probe_find.c
 * picks points of these and has the model judge them. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_ctx.h"

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
 * multicast, reserved and broadcast (the kernels drop them as martians). The
 * NAT64 well-known prefix 64:ff9b::/96 (RFC 6052), inside the reserved ::/8, is
 * routed: a client sends to it through a NAT64 gateway (FreeBSD 15's af-to). */
static int
martians(int af, struct pset *s)
{
	struct pset nat64;
	int rc;

	if (af == AF_INET)
		return (add_str(s, "0.0.0.0", 8) | add_str(s, "127.0.0.0", 8) |
		    add_str(s, "169.254.0.0", 16) | add_str(s, "224.0.0.0", 3));
	pset_init(&nat64);
	rc = add_str(s, "::", 8) | add_str(s, "fe80::", 10) | add_str(s, "ff00::", 8) |
	    add_str(&nat64, "64:ff9b::", 96);
	rc |= pset_minus(s, s, &nat64);
	pset_free(&nat64);
	return (rc);
}

/* The addresses of the world's sides: jails, the host's own, outside (clients may be
 * there), good destinations for a client's packet, and what each external
 * interface's wire reaches (wire[k]: as_run->iface[k]'s). */
struct wsets {
	struct pset	jails, lojails, local, outside, dst;
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
	pset_init(&ws->lojails);
	pset_init(&ws->local);
	pset_init(&ws->outside);
	pset_init(&ws->dst);
	pset_init(&bad);
	pset_init(&edge);
	if (G->relaxed)
		rc |= add_net(&ws->lojails, &w->lo_net, w->lo_plen, 1);
	for (i = 0; i < w->njail; i++)
		if (w->jail[i].addr.af == G->af && !w->jail[i].vnet && !w->jail[i].pub)
			rc |= add_addr(&ws->lojails, &w->jail[i].addr);
	/* a jail on an external interface connects from the host's stack as one on
	 * the loopback does: its packets take the route to their destination */
	rc |= pset_copy(&ws->jails, &ws->lojails);
	for (i = 0; i < w->njail; i++)
		if (w->jail[i].addr.af == G->af && w->jail[i].pub)
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
	pset_free(&ws->lojails);
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
				rc |= pset_copy(&dst, &ws->lojails);
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

