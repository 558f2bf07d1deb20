/* pfm_afto.c: FreeBSD 15's af-to, IPv6 to IPv4 (NAT64) and IPv4 to IPv6 (NAT46): a
 * pass rule's af-to makes a state with a key of each family (on an in rule the wire
 * key is the packet's, on an out rule its stack key), and the packet leaves rebuilt
 * in the other family; replies through the state go back the other way. pf's af-to
 * came from OpenBSD into FreeBSD 15: read in OpenBSD's sys/net/pf.c (pf_translate_af,
 * pf_translate_icmp_af, pf_state_key_setup's af-to branch), pf_lb.c's
 * pf_get_transaddr_af with inet_nat64/inet_nat46 (netinet/inet_nat64.c), and
 * FreeBSD's pfvar.h (PF_REVERSED_KEY, with 15's check of the state's direction), with
 * FreeBSD's tests/sys/netpfil/pf/nat64.sh for the rules it uses; FreeBSD main's pf.c
 * (pf_test_state's af-to part, pf_route/pf_route6) for out rules. ICMP errors through
 * af-to states: pfm_afto_icmp.c. Not modelled: protocols other than TCP, UDP and ICMP
 * echo (dropped, map-failed), and the out test pf_route gives the translated packets
 * of an inbound state on their new interface (an outbound state's replies have it:
 * the verdict's afto_test). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "base/cksum.h"
#include "pfm_impl.h"

#define AFTO_NAT_LOW	50001	/* the nat pool's default ports (pfctl's) */
#define AFTO_NAT_HIGH	65535

int
pfm_afto_state(const struct pfm_state *s)
{
	return (!s->wkey.both && s->wkey.af != s->skey.af);
}

/* RFC 6052 2.2: the IPv4 address embedded in a6 under a prefix of plen bits (32, 40,
 * 48, 56, 64 or 96); the octet at bits 64-71 is skipped (inet_nat64's layout). */
static void
rfc6052_extract(const uint8_t *a6, int plen, uint8_t *a4)
{
	int i, at = plen / 8;

	if (plen != 32 && plen != 40 && plen != 48 && plen != 56 && plen != 64)
		at = 12;	/* /96, and any other length taken as /96 */
	for (i = 0; i < 4; i++, at++) {
		if (at == 8)
			at++;
		a4[i] = a6[at];
	}
}

/* The prefix length of a compiled IPv6 address mask (96 when it is not one). */
static int
mask_plen(const struct pfm_caddr *ca)
{
	int i, n = 0;

	if (ca->type != PFM_CA_MASK || ca->af != 6)
		return (96);
	for (i = 0; i < 4; i++)
		n += __builtin_popcount(ca->mask[i]);
	return (n);
}

/* inet_nat64_inet6 (OpenBSD's netinet/inet_nat64.c), which pf_get_transaddr_af calls
 * for NAT46: the IPv4 address a4 embedded in a6, which holds the prefix, under plen
 * bits. 32, 40, 48, 56, 64, 96: RFC 6052 2.2 (octet 8 set to zero and skipped);
 * 97-128: the low 32 bits are a4's under the prefix's last plen - 96 bits (/128: the
 * address itself); any other length: -1 (pf's inet_nat64 refuses it; the model
 * fails the map and drops). */
static int
rfc6052_embed(const uint8_t *a4, int plen, uint8_t *a6)
{
	uint32_t m, v4, low;
	int i, at = plen / 8;

	if (plen > 96 && plen <= 128) {
		m = 0xffffffffu << (128 - plen);
		v4 = pfm_get32(a4);
		low = pfm_get32(a6 + 12);
		pfm_put32(a6 + 12, (v4 & ~m) | (low & m));
		return (0);
	}
	if (plen != 32 && plen != 40 && plen != 48 && plen != 56 && plen != 64 &&
	    plen != 96)
		return (-1);
	a6[8] = 0;
	for (i = 0; i < 4; i++, at++) {
		if (at == 8)
			at++;
		a6[at] = a4[i];
	}
	return (0);
}

/* The prefix length of a pool's first address (IPv6 mask). */
static int
pool_plen(const struct pfm_pool *pool)
{
	int i, n = 0;

	for (i = 0; i < 16; i++)
		n += __builtin_popcount(pool->addr[0].mask[i]);
	return (n);
}

/* pf_get_sport's search for the translated source port (ICMP: the echo id), from a
 * random start up then down in the pool's range: a port is free when no state has
 * that key in the translated key's role (stack inbound, wire outbound). */
static int
afto_port(struct pfm *pf, const struct pfm_pool *pool, struct pfm_skey *k, int icmp,
    int role)
{
	uint32_t low = pool->proxy_port[0], high = pool->proxy_port[1], cut, p;

	if (pool->static_port) {
		return (pfm_state_exists(pf, k, role) ? -1 : 0);
	}
	if (low == 0 && high == 0) {
		low = AFTO_NAT_LOW;
		high = AFTO_NAT_HIGH;
	}
	if (low > high) {
		p = low;
		low = high;
		high = p;
	}
	cut = low == high ? low : pfm_random(pf) % (1 + high - low) + low;
	for (p = cut; p <= high; p++) {
		k->port[1] = htons((uint16_t)p);
		if (icmp)
			k->port[0] = k->port[1];
		if (!pfm_state_exists(pf, k, role))
			return (0);
	}
	for (p = cut - 1; p >= low && p > 0; p--) {
		k->port[1] = htons((uint16_t)p);
		if (icmp)
			k->port[0] = k->port[1];
		if (!pfm_state_exists(pf, k, role))
			return (0);
	}
	return (-1);
}

int
pfm_afto_keys(struct pfm *pf, const struct pfm_crule *c, struct pfm_pd *pd,
    struct pfm_skey *skw, struct pfm_skey *sks, enum pfm_res *res)
{
	struct pfm_rule *r = c->r;
	const uint8_t *src = pd->pkt + pd->src_off, *dst = pd->pkt + pd->dst_off;
	int icmp = pd->proto == 58 || pd->proto == 1, out = pd->dir == PFM_OUT;
	int to4 = r->naf == AF_INET, naf = to4 ? 4 : 6, plen;
	struct pfm_skey *pk = out ? sks : skw, *tk = out ? skw : sks;

	*res = PFM_RES_MAPFAILED;
	if (pd->af == naf || (r->naf != AF_INET && r->naf != AF_INET6))
		return (-1);
	if (!(pd->proto == 6 || pd->proto == 17 ||
	    (icmp && pd->icmp_type == (pd->af == 6 ? 128 : 8))))
		return (-1);
	/* pf_create_state: the packet's key is the wire key of a state made
	 * inbound, the stack key of one made outbound (FreeBSD 15 takes af-to on
	 * out rules: nat64.sh's *_out cases); the translated key is the other */
	pfm_key_from_pd(pd, pk, out ? 1 : 0);
	/* pf_state_key_setup, af-to: the translated key has the other family, the
	 * new source at [1] and destination at [0] both ways (an inbound state's
	 * sides swapped against its wire key's), so that the reply, which comes
	 * in, finds it as it is */
	memset(tk, 0, sizeof(*tk));
	tk->af = (uint8_t)naf;
	tk->proto = icmp ? (to4 ? 1 : 58) : pd->proto;
	/* pf_get_transaddr_af: the source from the `from` pool */
	if (pfm_map_pool(pf, r, &r->natpool, src, naf, tk->addr[1]) == -1)
		return (-1);
	if (r->rdrpool.naddr > 0) {
		/* the destination from the `to` pool; NAT46: the IPv4 destination
		 * embedded in it under the pool address's prefix length (inet_nat64) */
		if (pfm_map_pool(pf, r, &r->rdrpool, src, naf, tk->addr[0]) == -1)
			return (-1);
		if (!to4 && rfc6052_embed(dst, pool_plen(&r->rdrpool), tk->addr[0]) == -1)
			return (-1);
	} else if (to4)
		/* NAT64: taken out of the IPv6 destination by the rule's
		 * destination prefix (RFC 6052) */
		rfc6052_extract(dst, mask_plen(&c->dst), tk->addr[0]);
	else {
		/* NAT46 with no `to`: embedded in the nat address under its prefix
		 * length, at most 96 (pf_get_transaddr_af's last branch) */
		memcpy(tk->addr[0], tk->addr[1], 16);
		plen = pool_plen(&r->natpool);
		if (rfc6052_embed(dst, plen > 96 ? 96 : plen, tk->addr[0]) == -1)
			return (-1);
	}
	tk->port[0] = icmp ? 0 : pd->dport;
	if (r->rdrpool.naddr > 0 && !icmp && r->rdrpool.proxy_port[0] != 0)
		tk->port[0] = htons(r->rdrpool.proxy_port[0]);
	tk->port[1] = pd->sport;
	if (icmp)
		tk->port[0] = pd->sport;
	if (afto_port(pf, &r->natpool, tk, icmp, out ? PFM_SK_WIRE : PFM_SK_STACK) == -1)
		return (-1);
	*res = PFM_RES_MATCH;
	return (0);
}

struct pfm_state *
pfm_afto_find(struct pfm *pf, const struct pfm_pd *pd, const struct pfm_skey *key)
{
	struct pfm_state *s;

	/* PF_REVERSED_KEY (15): a packet coming in that is of the stack key's family
	 * belongs to an af-to state made by a packet that came in */
	if (pd->dir != PFM_IN || pf->st.count == 0)
		return (NULL);
	s = pfm_state_find(pf, key, PFM_SK_STACK, pd->kif);
	if (s == NULL || !pfm_afto_state(s) || s->wkey.af == pd->af ||
	    s->direction != PFM_IN)
		return (NULL);
	return (s);
}

/* The interface whose connected network of af holds a (pass 0), or that owns a
 * (pass 1); NULL: none. */
static const char *
if_holding(const struct pfm *pf, int af, const uint8_t *a, int pass)
{
	const struct pfm_ifaddr *ia;
	int i, j;

	for (i = 0; i < pf->host.niface; i++)
		for (j = 0; j < pf->host.iface[i].naddr; j++) {
			ia = &pf->host.iface[i].addr[j];
			if (pfm_af46(ia->af) != af)
				continue;
			if (pass == 0 ? pfm_ifaddr_holds(ia, a) :
			    memcmp(ia->addr, a, af == 4 ? 4 : 16) == 0)
				return (pf->host.iface[i].name);
		}
	return (NULL);
}

/* FreeBSD 15's nat64.sh tcp_in_if_bound: under if-bound states the state an inbound
 * af-to packet makes is listed on the IPv4 interface the translated packet leaves
 * by, with `origif:` the IPv6 one it came in on, and the IPv4 answers arriving there
 * find it. The model has no routing table: the interface with a connected network
 * holding the translated destination (the stack key's addr[0]), else the one that
 * owns the translated source (the pool's address, addr[1]); neither: left as made. */
void
pfm_afto_bind(struct pfm *pf, struct pfm_state *s)
{
	const char *name;

	if (s->kif == PFM_KIF_ALL || s->direction != PFM_IN || !pfm_afto_state(s))
		return;
	if ((name = if_holding(pf, s->skey.af, s->skey.addr[0], 0)) == NULL &&
	    (name = if_holding(pf, s->skey.af, s->skey.addr[1], 1)) == NULL)
		return;
	s->kif = (uint16_t)pfm_if_index(pf, name);
}

/* Room for the rebuilt packet in pf's buffer. */
uint8_t *
pfm_afto_buf(struct pfm *pf, size_t len)
{
	uint8_t *b;

	if (len > pf->afto_cap) {
		if ((b = realloc(pf->afto_buf, len)) == NULL)
			return (NULL);
		pf->afto_buf = b;
		pf->afto_cap = len;
	}
	return (pf->afto_buf);
}

void
pfm_afto_iphdr(struct pfm *pf, uint8_t *b, int af, const struct pfm_pd *pd,
    uint8_t proto, const uint8_t *src, const uint8_t *dst, size_t dlen)
{
	const uint8_t *p = pd != NULL ? pd->pkt : NULL;
	uint8_t tos = 0, ttl = 0;

	/* pf_translate_af: tos/traffic class and TTL/hop limit carry over (an
	 * inner header of pf_change_icmp_af: none, pd NULL) */
	if (p != NULL && pd->af == 4) {
		tos = p[1];
		ttl = p[8];
	} else if (p != NULL) {
		tos = (uint8_t)(((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16) >> 20);
		ttl = p[7];
	}
	if (af == 4) {
		memset(b, 0, 20);
		b[0] = 0x45;
		b[1] = tos;
		pfm_put16(b + 2, (uint16_t)(20 + dlen));
		/* ip_id: pf draws ip_randomid(); the model takes its own generator */
		pfm_put16(b + 4, (uint16_t)pfm_random(pf));
		pfm_put16(b + 6, 0x4000);	/* IP_DF */
		b[8] = ttl;
		b[9] = proto;
		memcpy(b + 12, src, 4);
		memcpy(b + 16, dst, 4);
		pfm_put16(b + 10, cksum_sum(b, 20, 0));
		return;
	}
	memset(b, 0, 40);
	b[0] = (uint8_t)(0x60 | tos >> 4);
	b[1] = (uint8_t)(tos << 4);
	pfm_put16(b + 4, (uint16_t)dlen);
	b[6] = proto;
	b[7] = ttl == 0 || ttl > 64 ? 64 : ttl;	/* IPV6_DEFHLIM */
	memcpy(b + 8, src, 16);
	memcpy(b + 24, dst, 16);
}

int
pfm_afto_rebuild(struct pfm *pf, const struct pfm_pd *pd, const struct pfm_skey *k,
    struct pfm_verdict *v)
{
	const uint8_t *p = pd->pkt;
	size_t dlen = pd->tot_len - pd->off, hlen = k->af == 4 ? 20 : 40, alen, so;
	uint8_t *b;
	uint32_t ph = 0;
	uint16_t sum;
	int icmp = pd->proto == 1 || pd->proto == 58;
	uint8_t proto = k->proto;

	if (pd->icmp_err || pd->frag || pd->tot_len < pd->off)
		return (-1);	/* errors: pfm_afto_icmp.c */
	if (icmp && !(pd->icmp_type == 8 || pd->icmp_type == 0 ||
	    pd->icmp_type == 128 || pd->icmp_type == 129))
		return (-1);
	if ((b = pfm_afto_buf(pf, hlen + dlen)) == NULL)
		return (-1);
	/* pf_translate_af: the old network header goes, a new one of the other
	 * family takes its place */
	memcpy(b + hlen, p + pd->off, dlen);
	pfm_afto_iphdr(pf, b, k->af, pd, proto, k->addr[1], k->addr[0], dlen);
	alen = k->af == 4 ? 4 : 16;
	/* the transport header: the ports (ICMP: echo id and type), the checksum
	 * computed anew over the new pseudo header (ICMPv4 has none) */
	so = hlen;
	switch (proto) {
	case 6:
	case 17:
		if (dlen < (proto == 6 ? 20u : 8u))
			return (-1);
		memcpy(b + so, &k->port[1], 2);
		memcpy(b + so + 2, &k->port[0], 2);
		so += proto == 6 ? 16 : 6;
		break;
	case 1:
	case 58:
		if (dlen < 8)
			return (-1);
		if (proto == 1)
			b[hlen] = pd->icmp_type == 128 ? 8 : 0;
		else
			b[hlen] = pd->icmp_type == 8 ? 128 : 129;
		memcpy(b + hlen + 4, &k->port[1], 2);
		so += 2;
		break;
	default:
		return (-1);
	}
	pfm_put16(b + so, 0);
	if (proto != 1)
		ph = cksum_pseudo(b + (k->af == 4 ? 12 : 8), b + (k->af == 4 ? 16 : 24),
		    alen, proto, (uint32_t)dlen);
	sum = cksum_sum(b + hlen, dlen, ph);
	if (proto == 17 && sum == 0)
		sum = 0xffff;
	pfm_put16(b + so, sum);
	v->afto = b;
	v->afto_len = hlen + dlen;
	v->afto_test = 0;
	v->rewritten = 1;
	return (0);
}

int
pfm_afto_pass(struct pfm *pf, const struct pfm_pd *pd, const struct pfm_state *s,
    struct pfm_verdict *v)
{
	/* pf_test_state: nk, the state's key of the other family (PF_REVERSED_KEY:
	 * the wire key for a packet of the stack key's family found by it) */
	const struct pfm_skey *nk = s->wkey.af == pd->af ? &s->skey : &s->wkey;
	struct pfm_skey k;
	int sidx = pd->dir == PFM_IN ? 0 : 1;

	/* translated: every packet coming in, and one going out through a state made
	 * outbound (its stack family's); a packet of an inbound state going out is
	 * the translated one itself (pf_route's out test), which passes as it is */
	if (pd->dir != PFM_IN && (s->direction != PFM_OUT || pd->af != s->skey.af))
		return (0);
	/* the new source at nk's sidx, the destination at didx; an inbound state's
	 * sides swapped (pf_test_state's afto && direction == PF_IN) */
	if (s->direction == PFM_IN)
		sidx = !sidx;
	memcpy(k.addr[1], nk->addr[sidx], 16);
	memcpy(k.addr[0], nk->addr[!sidx], 16);
	k.port[1] = nk->port[sidx];
	k.port[0] = nk->port[!sidx];
	k.af = nk->af;
	k.proto = nk->proto;
	if (pfm_afto_rebuild(pf, pd, &k, v) == -1)
		return (-1);
	/* pf_route/pf_route6 test a packet that came in `out` on its new interface
	 * (pf_test(PF_OUT)): the reply through an outbound state meets the IPv6
	 * state there (nat64.sh tcp_out_*: its counters count the replies out).
	 * Not modelled for an inbound state's packets, which pass as they are */
	v->afto_test = pd->dir == PFM_IN && s->direction == PFM_OUT;
	return (1);
}
