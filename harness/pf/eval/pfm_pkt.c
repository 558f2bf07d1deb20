/* pfm_pkt.c: the pf model's view of a packet: bounds-checked parse of IPv4/IPv6 and
 * TCP/UDP/ICMP into a pfm_pd, and incremental checksum updates on every rewrite. */
#include <stdint.h>
#include <string.h>

#include "base/cksum.h"
#include "pfm_impl.h"

#define IPPROTO_HOPOPTS_	0
#define IPPROTO_ICMP_		1
#define IPPROTO_TCP_		6
#define IPPROTO_UDP_		17
#define IPPROTO_ROUTING_	43
#define IPPROTO_FRAGMENT_	44
#define IPPROTO_AH_		51
#define IPPROTO_ICMPV6_		58
#define IPPROTO_DSTOPTS_	60

uint16_t
pfm_get16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

void
pfm_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

uint32_t
pfm_get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

void
pfm_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* The checksum at `at` (0: none) after a word went from old to new. Inline, with
 * cksum_fixup16, so that the IPv4 header's (udp 0) folds to its plain form. */
static inline void
fix(uint8_t *pkt, size_t at, uint16_t old, uint16_t new, int udp)
{
	if (at != 0)
		pfm_put16(pkt + at, cksum_fixup16(pfm_get16(pkt + at), old, new, udp));
}

void
pfm_pkt_set_addr(uint8_t *pkt, size_t at, const uint8_t *na, int af, size_t ipsum,
    size_t sum, int udp)
{
	int i, n = af == 4 ? 2 : 8;
	uint16_t o, v;

	for (i = 0; i < n; i++) {
		o = pfm_get16(pkt + at + 2 * i);
		v = pfm_get16(na + 2 * i);
		if (o == v)
			continue;
		fix(pkt, ipsum, o, v, 0);
		fix(pkt, sum, o, v, udp);
		pfm_put16(pkt + at + 2 * i, v);
	}
}

void
pfm_pkt_set_port(uint8_t *pkt, size_t at, uint16_t np, size_t sum, int udp)
{
	/* np is in network order, as stored in a key. */
	uint16_t o = pfm_get16(pkt + at), v = pfm_get16((const uint8_t *)&np);

	if (o == v)
		return;
	fix(pkt, sum, o, v, udp);
	pfm_put16(pkt + at, v);
}

void
pfm_pkt_set_byte16(uint8_t *pkt, size_t at, uint16_t nv, size_t sum, int udp)
{
	uint16_t o = pfm_get16(pkt + at);

	if (o == nv)
		return;
	fix(pkt, sum, o, nv, udp);
	pfm_put16(pkt + at, nv);
}

/* pf_test_state_icmp's state_icmp: the types whose body quotes another packet. IPv6:
 * destination unreachable, packet too big, time exceeded, parameter problem only; the
 * other types below 128 (unassigned) are looked up as queries, by their id. */
int
pfm_is_icmp_error(int af, int type)
{
	if (af == 4)
		return (type == 3 || type == 4 || type == 5 || type == 11 || type == 12);
	return (type >= 1 && type <= 4);
}

static uint16_t
raw16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return (v);
}

/* L4 header at pd->off within pd->len; proto set. */
static int
parse_l4(struct pfm_pd *pd, enum pfm_res *res)
{
	const uint8_t *p = pd->pkt + pd->off;
	size_t rem;

	if (pd->off > pd->len)
		goto shortpkt;
	rem = pd->len - pd->off;
	switch (pd->proto) {
	case IPPROTO_TCP_:
		if (rem < 20)
			goto shortpkt;
		pd->thoff = (p[12] >> 4) * 4;
		if (pd->thoff < 20 || pd->thoff > rem) {
			*res = PFM_RES_BADOFF;
			return (-1);
		}
		pd->sport = raw16(p);
		pd->dport = raw16(p + 2);
		pd->sport_off = pd->off;
		pd->dport_off = pd->off + 2;
		pd->seq = pfm_get32(p + 4);
		pd->ack = pfm_get32(p + 8);
		pd->tcp_flags = p[13] & 0x3f;
		pd->win = pfm_get16(p + 14);
		pd->sum_off = pd->off + 16;
		pd->sum_pseudo = 1;
		pd->p_len = rem - pd->thoff;
		break;
	case IPPROTO_UDP_:
		if (rem < 8)
			goto shortpkt;
		pd->sport = raw16(p);
		pd->dport = raw16(p + 2);
		pd->sport_off = pd->off;
		pd->dport_off = pd->off + 2;
		pd->sum_off = pd->off + 6;
		pd->sum_udp = 1;
		pd->sum_pseudo = 1;
		pd->p_len = rem - 8;
		break;
	case IPPROTO_ICMP_:
	case IPPROTO_ICMPV6_:
		if ((pd->proto == IPPROTO_ICMP_) != (pd->af == 4))
			return (0);	/* pf ignores ICMP of the other family */
		if (rem < 8)
			goto shortpkt;
		pd->icmp_type = p[0];
		pd->icmp_code = p[1];
		pd->sum_off = pd->off + 2;
		pd->sum_pseudo = pd->proto == IPPROTO_ICMPV6_;
		pd->icmp_err = pfm_is_icmp_error(pd->af, p[0]);
		pd->icmp_id = raw16(p + 4);
		if (!pd->icmp_err) {
			pd->sport = pd->dport = pd->icmp_id;
			pd->sport_off = pd->dport_off = pd->off + 4;
		}
		pd->p_len = rem - 8;
		break;
	default:
		break;
	}
	return (0);
shortpkt:
	*res = PFM_RES_SHORT;
	return (-1);
}

static int
parse_v6_ext(struct pfm_pd *pd, size_t *off, uint8_t *nxt, enum pfm_res *res)
{
	for (;;) {
		const uint8_t *p = pd->pkt + *off;

		switch (*nxt) {
		case IPPROTO_HOPOPTS_:
		case IPPROTO_ROUTING_:
		case IPPROTO_DSTOPTS_:
		case IPPROTO_AH_:
			if (*off + 8 > pd->len)
				goto shortpkt;
			*off += *nxt == IPPROTO_AH_ ? ((size_t)p[1] + 2) * 4 :
			    ((size_t)p[1] + 1) * 8;
			/* pf_walk_header6: a header whose length runs past the packet
			 * cannot be pulled; the packet is short */
			if (*off > pd->len)
				goto shortpkt;
			*nxt = p[0];
			break;
		case IPPROTO_FRAGMENT_:
			if (*off + 8 > pd->len)
				goto shortpkt;
			*nxt = p[0];
			if ((pfm_get16(p + 2) & 0xfff9) != 0)
				pd->frag = 1;
			*off += 8;
			break;
		default:
			return (0);
		}
	}
shortpkt:
	*res = PFM_RES_SHORT;
	return (-1);
}

int
pfm_pkt_parse(struct pfm_pd *pd, uint8_t *pkt, size_t len, enum pfm_res *res)
{
	size_t hl, tot, off;
	uint8_t nxt;

	memset(pd, 0, sizeof(*pd));
	pd->pkt = pkt;
	*res = PFM_RES_SHORT;
	if (len < 1)
		return (-1);
	switch (pkt[0] >> 4) {
	case 4:
		if (len < 20)
			return (-1);
		hl = (size_t)(pkt[0] & 0x0f) * 4;
		tot = pfm_get16(pkt + 2);
		if (hl < 20 || hl > len || tot < hl || tot > len) {
			*res = hl < 20 ? PFM_RES_BADOFF : PFM_RES_SHORT;
			return (-1);
		}
		pd->af = 4;
		pd->len = tot;
		pd->tot_len = tot;
		pd->proto = pkt[9];
		pd->src_off = 12;
		pd->dst_off = 16;
		pd->ipsum_off = 10;
		pd->off = hl;
		if (pfm_get16(pkt + 6) & 0x3fff) {
			pd->frag = 1;
			return (0);
		}
		break;
	case 6:
		if (len < 40)
			return (-1);
		tot = 40 + (size_t)pfm_get16(pkt + 4);
		if (tot > len)
			return (-1);
		pd->af = 6;
		pd->len = tot;
		pd->tot_len = tot;
		pd->src_off = 8;
		pd->dst_off = 24;
		off = 40;
		nxt = pkt[6];
		if (parse_v6_ext(pd, &off, &nxt, res) == -1)
			return (-1);
		pd->proto = nxt;
		pd->off = off;
		if (pd->frag)
			return (0);
		break;
	default:
		return (-1);
	}
	*res = PFM_RES_MATCH;
	return (parse_l4(pd, res));
}

/* The IPv6 extension headers of a quote, as pf_test_state_icmp walks them: off and
 * nxt advance to the upper-layer header. PFM_RES_MATCH, PFM_RES_SHORT (a header cut
 * off) or PFM_RES_FRAG (a fragment header: ICMPv6 errors do not refer to fragments). */
static int
quote_v6_ext(const struct pfm_pd *pd, size_t *off, uint8_t *nxt)
{
	const uint8_t *p;

	for (;;) {
		switch (*nxt) {
		case IPPROTO_FRAGMENT_:
			return (PFM_RES_FRAG);
		case IPPROTO_AH_:
		case IPPROTO_HOPOPTS_:
		case IPPROTO_ROUTING_:
		case IPPROTO_DSTOPTS_:
			if (*off + 8 > pd->len)
				return (PFM_RES_SHORT);
			p = pd->pkt + *off;
			*off += *nxt == IPPROTO_AH_ ? ((size_t)p[1] + 2) * 4 :
			    ((size_t)p[1] + 1) * 8;
			if (*off > pd->len)
				return (PFM_RES_SHORT);
			*nxt = p[0];
			break;
		default:
			return (PFM_RES_MATCH);
		}
	}
}

/* The quoted IP header: pd2's addresses and protocol, *l4 its upper-layer header.
 * PFM_RES_MATCH, a pf counter (short, fragment), or -1: not a quote of pd's family. */
static int
quote_ip(const struct pfm_pd *pd, struct pfm_pd *pd2, size_t *l4)
{
	size_t ip2 = (size_t)pd->off + 8, hl;
	const uint8_t *p = pd->pkt + ip2;
	uint8_t nxt;
	int rc;

	if (ip2 + (pd->af == 4 ? 20 : 40) > pd->len)
		return (PFM_RES_SHORT);
	if (pd->af == 4) {
		hl = (size_t)(p[0] & 0x0f) * 4;
		if ((p[0] >> 4) != 4 || hl < 20)
			return (-1);
		if (pfm_get16(p + 6) & 0x1fff)
			return (PFM_RES_FRAG);	/* not the first fragment */
		pd2->af = 4;
		pd2->proto = p[9];
		pd2->src_off = ip2 + 12;
		pd2->dst_off = ip2 + 16;
		pd2->ipsum_off = ip2 + 10;
		*l4 = ip2 + hl;
		return (PFM_RES_MATCH);
	}
	if ((p[0] >> 4) != 6)
		return (-1);
	*l4 = ip2 + 40;
	nxt = p[6];
	if ((rc = quote_v6_ext(pd, l4, &nxt)) != PFM_RES_MATCH)
		return (rc);
	pd2->af = 6;
	pd2->proto = nxt;
	pd2->src_off = ip2 + 8;
	pd2->dst_off = ip2 + 24;
	return (PFM_RES_MATCH);
}

/* The quoted packet inside an ICMP error: another pd over the same bytes, bounded by
 * the outer packet, as pf_test_state_icmp reads it: the IP header, then only the first
 * 8 bytes of TCP/UDP/ICMP (what pf pulls). Returns 0 (PFM_RES_MATCH) when pd2 can be
 * looked up (another protocol: by its addresses, ports 0); -1 when there is nothing
 * to look up (an ICMP error about an ICMP error); else the counter pf bumps when it
 * gives up on the quote, PFM_RES_SHORT or PFM_RES_FRAG. pd2's addresses are set once
 * the IP header is read, also when the upper-layer header is then found short. */
int
pfm_pkt_parse_quote(const struct pfm_pd *pd, struct pfm_pd *pd2)
{
	const uint8_t *p;
	size_t l4 = 0;
	int rc;

	memset(pd2, 0, sizeof(*pd2));
	pd2->pkt = pd->pkt;
	pd2->len = pd->len;
	if ((rc = quote_ip(pd, pd2, &l4)) != PFM_RES_MATCH)
		return (rc);
	pd2->off = l4;
	if (pd2->proto != IPPROTO_TCP_ && pd2->proto != IPPROTO_UDP_ &&
	    pd2->proto != IPPROTO_ICMP_ && pd2->proto != IPPROTO_ICMPV6_)
		return (PFM_RES_MATCH);	/* pf_test_state_icmp's default: ports 0 */
	if (l4 + 8 > pd->len)
		return (PFM_RES_SHORT);
	p = pd->pkt + l4;
	switch (pd2->proto) {
	case IPPROTO_TCP_:
		pd2->sport = raw16(p);
		pd2->dport = raw16(p + 2);
		pd2->sport_off = l4;
		pd2->dport_off = l4 + 2;
		pd2->seq = pfm_get32(p + 4);
		break;
	case IPPROTO_UDP_:
		pd2->sport = raw16(p);
		pd2->dport = raw16(p + 2);
		pd2->sport_off = l4;
		pd2->dport_off = l4 + 2;
		pd2->sum_off = l4 + 6;
		pd2->sum_udp = 1;
		pd2->sum_pseudo = 1;
		break;
	default:	/* ICMP, ICMPv6 */
		pd2->icmp_type = p[0];
		pd2->icmp_code = p[1];
		pd2->icmp_err = pfm_is_icmp_error(pd2->af, p[0]);
		if (pd2->icmp_err)
			return (-1);	/* an error about an error: no state has it */
		pd2->icmp_id = raw16(p + 4);
		pd2->sport = pd2->dport = pd2->icmp_id;
		pd2->sport_off = pd2->dport_off = l4 + 4;
		break;
	}
	return (PFM_RES_MATCH);
}
