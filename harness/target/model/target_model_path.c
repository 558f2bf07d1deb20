/* target_model_path.c: the model target's packet path: pf at each point FreeBSD runs it,
 * the host's routes, forwarding, the wires with their clients, the VNET jails' stacks. */
/*
 * Paths (PF-REFERENCE "Where pf sees packets"); one simulated millisecond per hop:
 *   wire w -> (longer than w's MTU: not received) -> pf in on w's interface -> a local
 *           address: the host's stack (hoststack.c); else forwarded when
 *           net.inet.ip.forwarding (net.inet6.ip6.forwarding) is on, else dropped
 *   the host's stack -> tm_route: a loopback jail's address -> the jails' loopback,
 *           another local address -> lo0 (pf out, then pf in on the same loopback,
 *           then the stack); an external interface -> pf out on it -> its wire
 *           (IPv4 without DF fragmented to its MTU; with DF, or IPv6, longer than the
 *           MTU: dropped, EMSGSIZE), where the clients answer (client.c); a bridge ->
 *           pf out on it -> the VNET jail holding the destination; no route: the
 *           socket fails (ENETUNREACH)
 *   a VNET jail's stack -> itself or 127/8: its own stack; another VNET jail on its
 *           bridge: that jail's stack, unseen by pf (bridged: FreeBSD with
 *           net.link.bridge.pfil_member=1 and pfil_bridge=1 would filter it on both
 *           members and the bridge; the linux target does not either, see README);
 *           the host (the bridge's address, or any destination through its gateway
 *           when the gateway is the bridge's address) -> `in on BRIDGE` (if_bridge.c,
 *           GRAB_OUR_PACKETS: rcvif becomes the bridge; pfil_local_phys=0) -> as from
 *           a wire; anything else: dropped (nobody answers ARP)
 *   forwarding (in the order Linux's ip_forward has, so that both targets agree):
 *           TTL (hop limit) of 1 or less -> ICMP time exceeded; no route -> dropped;
 *           longer than the out interface's MTU with DF (IPv6: always) -> ICMP
 *           need-frag (packet too big), pf out never sees it (FreeBSD's ip_output runs
 *           pf out first, then finds the MTU: see README); the TTL decremented; pf out
 *           on the route's interface; out. The ICMP errors the host sends come from
 *           the in interface's first address of the family (icmp_reflect).
 *   net.pf.filter_local=1: pf also tests every packet delivered to the host's stack
 *           as `in on lo0` (FreeBSD 14's local pfil hook), unless it just came in on lo0
 *   block return: pf's reply skips pf (M_SKIP_FIREWALL) and goes where its
 *           destination routes; synproxy: the packets pf sends itself (v->emit) go the
 *           same way when they skip pf, else leave as the host's own (ip_output).
 * Every frame on a wire (both ways) goes into the probe's pcap of that wire.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "base/cksum.h"
#include "target/target_wire.h"
#include "target_model_impl.h"

/* The host's and the wire's MACs in a wire's pcap: byte 4 is the wire's number. */
static void
tm_macs(int wire, uint8_t host[6], uint8_t far[6])
{
	static const uint8_t base[6] = { 0x02, 0x70, 0x66, 0x00, 0x00, 0x01 };

	memcpy(host, base, 6);
	memcpy(far, base, 6);
	host[4] = far[4] = (uint8_t)wire;
	far[5] = 0x02;
}

void
tm_push(struct target *t, enum tm_where where, int wire, const char *ifname, int jail,
    const uint8_t *buf, size_t len)
{
	struct tm_item *it;

	if (t->qlen == TM_QUEUE_MAX || len > sizeof(it->buf)) {
		t->overflow = 1;
		return;
	}
	it = &t->queue[(t->qhead + t->qlen++) % TM_QUEUE_MAX];
	it->where = where;
	it->wire = wire;
	it->ifname = ifname;
	it->jail = jail;
	memcpy(it->buf, buf, len);
	it->len = len;
}

void
tm_emit(struct target *t, enum tm_where where, int wire, int jail, const struct pkt *p)
{
	uint8_t buf[PKT_FRAME_MAX];
	char err[256];
	int n;

	if ((n = pkt_build_l3(p, buf, sizeof(buf), err, sizeof(err))) == -1) {
		t->overflow = 1;	/* reported by tm_run */
		return;
	}
	tm_push(t, where, wire, NULL, jail, buf, (size_t)n);
}

void
tm_emit_frags(struct target *t, int wire, const struct pkt *p)
{
	uint8_t buf[PKT_FRAME_MAX];
	char err[256];
	int i, n, nf;

	if ((nf = pkt_build_nfrag(p, err, sizeof(err))) == -1) {
		t->overflow = 1;
		return;
	}
	for (i = 0; i < nf; i++) {
		if ((n = pkt_build_frag_l3(p, i, buf, sizeof(buf), err, sizeof(err))) == -1) {
			t->overflow = 1;
			return;
		}
		tm_push(t, TM_FROM_WIRE, wire, NULL, -1, buf, (size_t)n);
	}
}

void
tm_stack_emit(void *arg, const struct pkt *p)
{
	tm_emit(arg, TM_FROM_STACK, -1, -1, p);
}

void
tm_vnet_emit(void *arg, const struct pkt *p)
{
	struct tm_varg *va = arg;

	tm_emit(va->t, TM_FROM_VNET, -1, va->jail, p);
}

/* ---- raw IP headers ---- */

/* The packet's family and destination; 0, or -1 when it is not IP. */
static int
ip_dst(const uint8_t *b, size_t len, struct pkt_addr *dst)
{
	memset(dst, 0, sizeof(*dst));
	if (len >= 20 && (b[0] >> 4) == 4) {
		dst->af = AF_INET;
		memcpy(dst->a, b + 16, 4);
		return (0);
	}
	if (len >= 40 && (b[0] >> 4) == 6) {
		dst->af = AF_INET6;
		memcpy(dst->a, b + 24, 16);
		return (0);
	}
	return (-1);
}

static int
ip_ttl(const uint8_t *b)
{
	return ((b[0] >> 4) == 4 ? b[8] : b[7]);
}

/* IPv4 DF; IPv6 never fragments on the way: as if always set. */
static int
ip_df(const uint8_t *b)
{
	return ((b[0] >> 4) == 6 || (b[6] & 0x40) != 0);
}

static void
ip4_sum(uint8_t *b)
{
	size_t hl = (size_t)(b[0] & 0x0f) * 4;
	uint16_t sum;

	b[10] = b[11] = 0;
	sum = cksum_sum(b, hl, 0);
	b[10] = (uint8_t)(sum >> 8);
	b[11] = (uint8_t)sum;
}

static void
ip_ttl_dec(uint8_t *b)
{
	if ((b[0] >> 4) == 6) {
		b[7]--;
		return;
	}
	b[8]--;
	ip4_sum(b);
}

/* ---- where things are ---- */

static int
tm_mtu(const struct target *t, int wire)
{
	return (t->scn->iface[wire].mtu != 0 ? t->scn->iface[wire].mtu : TM_MTU);
}

/* The first address of family af of the interface named ifname (external or bridge);
 * 0, or -1 when it has none. */
static int
tm_ifaddr(const struct target *t, const char *ifname, int af, struct pkt_addr *out)
{
	const struct scn *s = t->scn;
	int i, k;

	for (i = 0; i < s->niface; i++)
		for (k = 0; strcmp(s->iface[i].name, ifname) == 0 && k < s->iface[i].naddr;
		    k++)
			if (s->iface[i].addr[k].addr.af == af) {
				*out = s->iface[i].addr[k].addr;
				return (0);
			}
	for (i = 0; i < s->nbridge; i++)
		if (strcmp(s->bridge[i].name, ifname) == 0 && s->bridge[i].addr.af == af) {
			*out = s->bridge[i].addr;
			return (0);
		}
	return (-1);
}

/* The source a connection out of wire w towards next hop nh takes: the address whose
 * network holds nh, else the wire's first of the family. */
static void
tm_src_on(const struct target *t, int w, const struct pkt_addr *nh, struct pkt_addr *src)
{
	const struct scn_if *ifp = &t->scn->iface[w];
	int k;

	for (k = 0; k < ifp->naddr; k++)
		if (scn_in_net(nh, &ifp->addr[k].addr, ifp->addr[k].plen)) {
			*src = ifp->addr[k].addr;
			return;
		}
	(void)tm_ifaddr(t, ifp->name, nh->af, src);
}

/* The external interface whose network holds a, or -1. */
static int
tm_onlink(const struct target *t, const struct pkt_addr *a)
{
	const struct scn *s = t->scn;
	int i, k;

	for (i = 0; i < s->niface; i++)
		for (k = 0; !s->iface[i].down && k < s->iface[i].naddr; k++)
			if (scn_in_net(a, &s->iface[i].addr[k].addr, s->iface[i].addr[k].plen))
				return (i);
	return (-1);
}

/* A route of prefix length plen through wire w (next hop nh) when it is the longest
 * so far. */
static void
tm_route_wire(const struct target *t, struct tm_rt *rt, int *best, int plen, int w,
    const struct pkt_addr *nh)
{
	if (w < 0 || plen <= *best)
		return;
	*best = plen;
	rt->kind = TM_RT_WIRE;
	rt->idx = w;
	tm_src_on(t, w, nh, &rt->src);
}

void
tm_route(const struct target *t, const struct pkt_addr *dst, struct tm_rt *rt)
{
	const struct scn *s = t->scn;
	const struct pkt_addr *gw;
	int i, k, j, best = -1;

	memset(rt, 0, sizeof(*rt));
	if (hoststack_is_local(t->hs, dst)) {
		rt->kind = TM_RT_LOCAL;
		rt->src = *dst;
		j = hoststack_jail_of(t->hs, dst);
		rt->ifname = j >= 0 && s->jail[j].kind == SCN_JAIL_LO ? t->jail_if : TM_LO0;
		return;
	}
	for (i = 0; i < s->niface; i++)
		for (k = 0; !s->iface[i].down && k < s->iface[i].naddr; k++)
			if (scn_in_net(dst, &s->iface[i].addr[k].addr, s->iface[i].addr[k].plen))
				tm_route_wire(t, rt, &best, s->iface[i].addr[k].plen, i, dst);
	for (i = 0; i < s->nbridge; i++)
		if (s->bridge[i].plen > best && scn_in_net(dst, &s->bridge[i].addr,
		    s->bridge[i].plen)) {
			best = s->bridge[i].plen;
			rt->kind = TM_RT_BRIDGE;
			rt->idx = i;
			rt->src = s->bridge[i].addr;
		}
	for (i = 0; i < s->nrouter; i++)
		for (k = 0; k < s->router[i].nnet; k++)
			if (scn_in_net(dst, &s->router[i].net[k].addr, s->router[i].net[k].plen))
				tm_route_wire(t, rt, &best, s->router[i].net[k].plen,
				    s->router[i].wire, &s->router[i].addr);
	for (i = 0; i < s->nroute; i++)
		if (scn_in_net(dst, &s->route[i].net.addr, s->route[i].net.plen))
			tm_route_wire(t, rt, &best, s->route[i].net.plen,
			    tm_onlink(t, &s->route[i].via), &s->route[i].via);
	if (best == -1 && s->niface > 0) {
		gw = dst->af == AF_INET6 ? &s->iface[0].gw6 : &s->iface[0].gw4;
		if (gw->af != 0)
			tm_route_wire(t, rt, &best, 0, 0, gw);
	}
	if (rt->kind == TM_RT_WIRE)
		rt->ifname = s->iface[rt->idx].name;
	else if (rt->kind == TM_RT_BRIDGE)
		rt->ifname = s->bridge[rt->idx].name;
}

/* ---- out of the host ---- */

static void
tm_pcap(struct target *t, int wire, const uint8_t *buf, size_t len, int from_host)
{
	uint8_t host[6], far[6];
	struct pkt_addr a;
	int r;

	if (t->pcap == NULL || t->pcap[wire] == NULL)
		return;
	tm_macs(wire, host, far);
	/* a client behind a router: the router's MAC, as on the linux target's wire */
	memset(&a, 0, sizeof(a));
	if (len >= 20 && (buf[0] >> 4) == 4) {
		a.af = AF_INET;
		memcpy(a.a, buf + (from_host ? 16 : 12), 4);
	} else if (len >= 40 && (buf[0] >> 4) == 6) {
		a.af = AF_INET6;
		memcpy(a.a, buf + (from_host ? 24 : 8), 16);
	}
	if ((r = tw_router_of(t->scn, &a)) >= 0)
		tw_router_mac(r, far);
	(void)wire_pcap_write_l3(t->pcap[wire], buf, len, from_host ? host : far,
	    from_host ? far : host, t->wall0_us + t->now_ms * 1000);
}

/* The host sends a frame on wire w: record it and let the clients answer. */
static void
tm_wire_frame(struct target *t, int w, const uint8_t *buf, size_t len)
{
	struct target_frame *f;
	struct pkt ans[TM_ANSWERS_MAX];
	int i, n, ncap;

	tm_pcap(t, w, buf, len, 1);
	if (t->nframe == t->cframe) {
		ncap = t->cframe ? t->cframe * 2 : 16;
		if ((f = realloc(t->frame, (size_t)ncap * sizeof(*f))) == NULL) {
			t->overflow = 1;
			return;
		}
		t->frame = f;
		t->cframe = ncap;
	}
	f = &t->frame[t->nframe++];
	memset(f, 0, sizeof(*f));
	f->t_us = t->now_ms * 1000;
	f->wire = w;
	/* a whole packet, or one fragment (tm_wire_out's, or one forwarded as it came) */
	f->decoded = pkt_decode_l3(buf, len, &f->pkt) == 0 ||
	    pkt_decode_frag_l3(buf, len, &f->pkt) == 0;
	if (!f->decoded)
		return;
	n = client_answer_on(t->cl, w, &f->pkt, ans, TM_ANSWERS_MAX);
	for (i = 0; i < n; i++)
		tm_emit(t, TM_FROM_WIRE, w, -1, &ans[i]);
}

/* Onto wire w within its MTU: IPv4 without DF in fragments (ip_fragment), anything
 * else longer dropped. */
static void
tm_wire_out(struct target *t, int w, const uint8_t *buf, size_t len)
{
	uint8_t f[PKT_FRAME_MAX];
	size_t mtu = (size_t)tm_mtu(t, w), hl, data, step, off, n, off0;

	if (len <= mtu) {
		tm_wire_frame(t, w, buf, len);
		return;
	}
	if (ip_df(buf))
		return;
	hl = (size_t)(buf[0] & 0x0f) * 4;
	data = len - hl;
	step = (mtu - hl) / 8 * 8;
	off0 = (size_t)((buf[6] & 0x1f) << 8 | buf[7]);
	for (off = 0; off < data; off += step) {
		n = data - off < step ? data - off : step;
		memcpy(f, buf, hl);
		memcpy(f + hl, buf + hl + off, n);
		f[2] = (uint8_t)((hl + n) >> 8);
		f[3] = (uint8_t)(hl + n);
		f[6] = (uint8_t)((buf[6] & 0x20) | (off + n < data ? 0x20 : 0) |
		    (((off0 + off / 8) >> 8) & 0x1f));
		f[7] = (uint8_t)(off0 + off / 8);
		ip4_sum(f);
		tm_wire_frame(t, w, f, hl + n);
	}
}

/* A packet for VNET jail j's stack (reassembled there when a fragment). */
static void
tm_vnet_in(struct target *t, int j, const uint8_t *buf, size_t len)
{
	uint8_t whole[PKT_FRAME_MAX];
	struct pkt p;
	int n;

	if (pkt_decode_l3(buf, len, &p) == -1) {
		if ((n = hoststack_reass(t->vnet[j], buf, len, whole, sizeof(whole))) <= 0 ||
		    pkt_decode_l3(whole, (size_t)n, &p) == -1)
			return;
	}
	hoststack_input(t->vnet[j], &p);
}

/* Out of bridge b: to the VNET jail holding the destination, if any. */
static void
tm_bridge_out(struct target *t, int b, const uint8_t *buf, size_t len)
{
	const struct scn *s = t->scn;
	struct pkt_addr dst;
	int j;

	if (ip_dst(buf, len, &dst) == -1)
		return;
	for (j = 0; j < s->njail; j++)
		if (s->jail[j].kind == SCN_JAIL_VNET && s->jail[j].bridge == b &&
		    pkt_addr_eq(&s->jail[j].addr[0], &dst)) {
			tm_vnet_in(t, j, buf, len);
			return;
		}
}

static void	tm_stack_in(struct target *, uint8_t *, size_t, const char *);

/* A packet pf sends that skips pf: it goes where its destination routes. */
static void
tm_skip_out(struct target *t, uint8_t *buf, size_t len)
{
	struct pkt_addr dst;
	struct tm_rt rt;

	if (ip_dst(buf, len, &dst) == -1)
		return;
	tm_route(t, &dst, &rt);
	switch (rt.kind) {
	case TM_RT_LOCAL:
		tm_stack_in(t, buf, len, NULL);
		break;
	case TM_RT_WIRE:
		tm_wire_out(t, rt.idx, buf, len);
		break;
	case TM_RT_BRIDGE:
		tm_bridge_out(t, rt.idx, buf, len);
		break;
	case TM_RT_NONE:
		break;
	}
}

/* What pf sends itself after a verdict: the block-return reply, then synproxy's
 * packets in order (those that do not skip pf leave as the host's own). */
static void
tm_reply(struct target *t, struct pfm_verdict *v)
{
	int i;

	if (v->reply_len > 0)
		tm_skip_out(t, v->reply, v->reply_len);
	for (i = 0; i < v->nemit; i++) {
		if (v->emit[i].skip)
			tm_skip_out(t, v->emit[i].pkt, v->emit[i].len);
		else
			tm_push(t, TM_FROM_STACK, -1, NULL, -1, v->emit[i].pkt,
			    v->emit[i].len);
	}
}

/* Run pf on the packet; 1 when it passes (the packet may have been rewritten). v may
 * hold a block-return reply or packets pf sends (synproxy) for tm_reply. */
static int
tm_pf(struct target *t, enum pfm_dir dir, const char *ifname, uint8_t *buf, size_t len,
    struct pfm_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (pfm_test(t->pf, dir, ifname, buf, len, t->now_ms, v) == -1) {
		v->reply_len = 0;
		v->nemit = 0;
		return (0);
	}
	return (v->action == PFM_PASS);
}

/* pf reassembled the packet this fragment completed (v->reass): the whole packet, as
 * pf tested and rewrote it, takes the fragment's place in buf (PKT_FRAME_MAX bytes).
 * 1, or 0 when it does not fit. */
static int
tm_take_reass(struct target *t, uint8_t *buf, size_t *len, const struct pfm_verdict *v)
{
	if (v->reass == NULL)
		return (1);
	if (v->reass_len > PKT_FRAME_MAX) {
		t->overflow = 1;
		return (0);
	}
	memcpy(buf, v->reass, v->reass_len);
	*len = v->reass_len;
	return (1);
}

/* A packet for a local address, arrived on `ifname` (NULL: pf's own reply, which
 * skips pf). */
static void
tm_stack_in(struct target *t, uint8_t *buf, size_t len, const char *ifname)
{
	struct pfm_verdict v;
	struct pkt p;

	if (pfm_filter_local(t->pf) && ifname != NULL && strcmp(ifname, TM_LO0) != 0 &&
	    !tm_pf(t, PFM_IN, TM_LO0, buf, len, &v)) {
		tm_reply(t, &v);
		return;
	}
	if (pkt_decode_l3(buf, len, &p) == 0)
		hoststack_input(t->hs, &p);
}

/* The ICMP error (time exceeded, need-frag) the host sends about a packet it was to
 * forward, from the address of the interface it came in on. */
static void
tm_icmp_error(struct target *t, const uint8_t *buf, size_t len, enum pkt_icmp type,
    const char *in_if)
{
	struct pkt p, o;

	if (pkt_decode_l3(buf, len, &p) == -1 || ((p.proto == IPPROTO_ICMP ||
	    p.proto == IPPROTO_ICMPV6) && p.icmp != PKT_ICMP_ECHO_REQUEST &&
	    p.icmp != PKT_ICMP_ECHO_REPLY))
		return;		/* no error about an error (RFC 1812 4.3.2.7) */
	memset(&o, 0, sizeof(o));
	if (tm_ifaddr(t, in_if, p.src.af, &o.src) == -1)
		return;
	o.proto = p.src.af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	o.dst = p.src;
	o.icmp = type;
	o.has_quote = 1;
	o.quote.proto = p.proto;
	o.quote.src = p.src;
	o.quote.dst = p.dst;
	o.quote.sport = p.sport;
	o.quote.dport = p.dport;
	tm_emit(t, TM_FROM_STACK, -1, -1, &o);
}

static void tm_afto_out(struct target *, const struct pfm_verdict *);

/* A packet that came in on in_if for someone else (ip_forward). */
static void
tm_forward(struct target *t, uint8_t *buf, size_t len, const char *in_if)
{
	struct pfm_verdict v;
	struct pkt_addr dst;
	struct tm_rt rt;
	size_t mtu;

	if (ip_dst(buf, len, &dst) == -1 || !(dst.af == AF_INET6 ? t->fwd6 : t->fwd4))
		return;
	if (ip_ttl(buf) <= 1) {
		tm_icmp_error(t, buf, len, PKT_ICMP_TIMEX, in_if);
		return;
	}
	tm_route(t, &dst, &rt);
	if (rt.kind != TM_RT_WIRE && rt.kind != TM_RT_BRIDGE)
		return;
	mtu = rt.kind == TM_RT_WIRE ? (size_t)tm_mtu(t, rt.idx) : TM_MTU;
	if (len > mtu && ip_df(buf)) {
		tm_icmp_error(t, buf, len, PKT_ICMP_UNREACH_NEEDFRAG, in_if);
		return;
	}
	ip_ttl_dec(buf);
	if (tm_pf(t, PFM_OUT, rt.ifname, buf, len, &v) &&
	    (v.afto != NULL || tm_take_reass(t, buf, &len, &v))) {
		if (v.afto != NULL)
			tm_afto_out(t, &v);	/* af-to on an out rule (FreeBSD 15) */
		else if (rt.kind == TM_RT_WIRE)
			tm_wire_out(t, rt.idx, buf, len);
		else
			tm_bridge_out(t, rt.idx, buf, len);
	}
	tm_reply(t, &v);
}

/* af-to (FreeBSD 15): pf rebuilt the packet that came in in the other family and
 * sends it itself (pf_route/pf_route6): out of the interface its destination's route
 * takes, not up the stack and not forwarded (no TTL decrement). */
static void
tm_afto_out(struct target *t, const struct pfm_verdict *v)
{
	uint8_t buf[PKT_FRAME_MAX];
	struct pfm_verdict v2;
	struct pkt_addr dst;
	struct tm_rt rt;
	int ok;

	if (v->afto_len > sizeof(buf)) {
		t->overflow = 1;
		return;
	}
	memcpy(buf, v->afto, v->afto_len);
	if (ip_dst(buf, v->afto_len, &dst) == -1)
		return;
	tm_route(t, &dst, &rt);
	if (v->afto_test && (rt.kind == TM_RT_WIRE || rt.kind == TM_RT_BRIDGE)) {
		/* pf_route: tested out there first (the verdict's afto_test) */
		ok = tm_pf(t, PFM_OUT, rt.ifname, buf, v->afto_len, &v2);
		tm_reply(t, &v2);
		if (!ok)
			return;
	}
	if (rt.kind == TM_RT_WIRE)
		tm_wire_out(t, rt.idx, buf, v->afto_len);
	else if (rt.kind == TM_RT_BRIDGE)
		tm_bridge_out(t, rt.idx, buf, v->afto_len);
	else if (rt.kind == TM_RT_LOCAL)
		tm_stack_in(t, buf, v->afto_len, NULL);
}

/* pf passed a packet in on `ifname`: the stack takes it if it is for a local address,
 * else it is forwarded. A fragment pf let through (no scrub) is reassembled by the
 * stack first (ip_reass, before the local pfil hook of filter_local). */
static void
tm_arrived(struct target *t, uint8_t *buf, size_t len, const char *ifname)
{
	uint8_t whole[PKT_FRAME_MAX];
	struct pkt_addr dst;
	struct pkt p;
	int n;

	if (ip_dst(buf, len, &dst) == -1)
		return;
	if (!hoststack_is_local(t->hs, &dst)) {
		tm_forward(t, buf, len, ifname);
		return;
	}
	if (pkt_decode_l3(buf, len, &p) == -1) {
		if ((n = hoststack_reass(t->hs, buf, len, whole, sizeof(whole))) <= 0)
			return;
		buf = whole;
		len = (size_t)n;
	}
	tm_stack_in(t, buf, len, ifname);
}

/* VNET jail j's stack sends a packet: where its own routes take it. */
static void
tm_vnet_out(struct target *t, struct tm_item *it)
{
	const struct scn *s = t->scn;
	const struct scn_jail *jl = &s->jail[it->jail];
	const struct scn_bridge *b = &s->bridge[jl->bridge];
	const struct pkt_addr *nh;
	struct pkt_addr dst;
	int k;

	if (ip_dst(it->buf, it->len, &dst) == -1)
		return;
	if (hoststack_is_local(t->vnet[it->jail], &dst)) {
		tm_vnet_in(t, it->jail, it->buf, it->len);
		return;
	}
	nh = scn_in_net(&dst, &jl->addr[0], jl->plen) ? &dst : &jl->gateway;
	if (pkt_addr_eq(nh, &b->addr)) {
		tm_push(t, TM_IN_IF, -1, b->name, -1, it->buf, it->len);
		return;
	}
	for (k = 0; k < s->njail; k++)
		if (k != it->jail && s->jail[k].kind == SCN_JAIL_VNET &&
		    s->jail[k].bridge == jl->bridge && pkt_addr_eq(&s->jail[k].addr[0], nh)) {
			if (pkt_addr_eq(nh, &dst))
				tm_vnet_in(t, k, it->buf, it->len);
			return;	/* a jail does not forward */
		}
}

/* The host's stack sends a packet: pf out on its route's interface, then onwards. */
static void
tm_stack_out(struct target *t, struct tm_item *it)
{
	struct pfm_verdict v;
	struct tm_rt rt;
	struct pkt p;

	if (pkt_decode_l3(it->buf, it->len, &p) == -1)
		return;
	tm_route(t, &p.dst, &rt);
	if (rt.kind == TM_RT_NONE) {
		hoststack_output_dropped(t->hs, &p);	/* ENETUNREACH */
		return;
	}
	if (!tm_pf(t, PFM_OUT, rt.ifname, it->buf, it->len, &v)) {
		/* The socket sees the output error before pf's reply. */
		hoststack_output_dropped(t->hs, &p);
		tm_reply(t, &v);
		return;
	}
	switch (rt.kind) {
	case TM_RT_LOCAL:
		tm_push(t, TM_IN_IF, -1, rt.ifname, -1, it->buf, it->len);
		break;
	case TM_RT_WIRE:
		if (it->len > (size_t)tm_mtu(t, rt.idx) && ip_df(it->buf))
			hoststack_output_dropped(t->hs, &p);	/* EMSGSIZE */
		tm_wire_out(t, rt.idx, it->buf, it->len);
		break;
	case TM_RT_BRIDGE:
		tm_bridge_out(t, rt.idx, it->buf, it->len);
		break;
	case TM_RT_NONE:
		break;
	}
	tm_reply(t, &v);
}

static void
tm_hop(struct target *t, struct tm_item *it)
{
	struct pfm_verdict v;
	const char *ifname;

	switch (it->where) {
	case TM_FROM_WIRE:
		tm_pcap(t, it->wire, it->buf, it->len, 0);
		if (it->len > (size_t)tm_mtu(t, it->wire))
			return;
		ifname = t->scn->iface[it->wire].name;
		if (tm_pf(t, PFM_IN, ifname, it->buf, it->len, &v) && v.afto != NULL)
			tm_afto_out(t, &v);
		else if (v.action == PFM_PASS && tm_take_reass(t, it->buf, &it->len, &v))
			tm_arrived(t, it->buf, it->len, ifname);
		tm_reply(t, &v);
		return;
	case TM_FROM_STACK:
		tm_stack_out(t, it);
		return;
	case TM_IN_IF:
		if (tm_pf(t, PFM_IN, it->ifname, it->buf, it->len, &v) && v.afto != NULL)
			tm_afto_out(t, &v);
		else if (v.action == PFM_PASS && tm_take_reass(t, it->buf, &it->len, &v))
			tm_arrived(t, it->buf, it->len, it->ifname);
		tm_reply(t, &v);
		return;
	case TM_FROM_VNET:
		tm_vnet_out(t, it);
		return;
	}
}

int
tm_run(struct target *t, struct diag *d)
{
	struct tm_item *it;
	int hops = 0, j;

	/* An item is handled in place: a hop only appends, and the queue never wraps onto
	 * the slot being handled because tm_push refuses a full queue. */
	while (t->qlen > 0 && hops++ < TM_HOPS_MAX) {
		it = &t->queue[t->qhead];
		t->now_ms++;
		tm_hop(t, it);
		t->qhead = (t->qhead + 1) % TM_QUEUE_MAX;
		t->qlen--;
	}
	if (hoststack_error(t->hs))
		t->overflow = 1;
	for (j = 0; j < t->scn->njail; j++)
		if (t->vnet[j] != NULL && hoststack_error(t->vnet[j]))
			t->overflow = 1;
	if (t->qlen > 0) {
		diag_add(d, t->scn->path, 0, "model: packets still moving after %d hops",
		    TM_HOPS_MAX);
		t->qlen = 0;
		t->overflow = 0;
		return (-1);
	}
	if (t->overflow) {
		diag_add(d, t->scn->path, 0,
		    "model: a packet could not be built or recorded (out of room)");
		t->overflow = 0;
		return (-1);
	}
	return (0);
}
