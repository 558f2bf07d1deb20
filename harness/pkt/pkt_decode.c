/* pkt_decode.c: bytes to struct pkt through bounds-checked reads, every checksum verified. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include "base/cksum.h"
#include "pkt.h"
#include "pkt_impl.h"

#define ETHERTYPE_IP4	0x0800
#define ETHERTYPE_ARP4	0x0806
#define ETHERTYPE_IP6	0x86dd
#define ETHERTYPE_VLAN8021Q	0x8100

/* A window on the bytes: every read is checked against len, as tcpdump's ND_TCHECK. */
struct cur {
	const uint8_t	*p;
	size_t		 len;
};

static int
has(const struct cur *c, size_t off, size_t n)
{
	return (off <= c->len && n <= c->len - off);
}

static uint8_t
g8(const struct cur *c, size_t off)
{
	return (has(c, off, 1) ? c->p[off] : 0);
}

static uint16_t
g16(const struct cur *c, size_t off)
{
	return (has(c, off, 2) ? (uint16_t)(c->p[off] << 8 | c->p[off + 1]) : 0);
}

static uint32_t
g32(const struct cur *c, size_t off)
{
	return (has(c, off, 4) ? (uint32_t)g16(c, off) << 16 | g16(c, off + 2) : 0);
}

static struct cur
sub(const struct cur *c, size_t off)
{
	struct cur s = { c->p + (off <= c->len ? off : c->len),
	    off <= c->len ? c->len - off : 0 };

	return (s);
}

/* 1 when the transport checksum (pseudo header included) verifies. */
static int
l4_sum_ok(const struct pkt *k, int proto, const struct cur *l4)
{
	size_t alen = k->src.af == AF_INET ? 4 : 16;
	const uint8_t *dst = pkt_ipopt_final_dst(k->ipopt, k->ipopt_len);

	/* a source route's checksum covers its final address (RFC 791) */
	return (cksum_sum(l4->p, l4->len, cksum_pseudo(k->src.a, dst != NULL ? dst :
	    k->dst.a, alen, (uint8_t)proto, (uint32_t)l4->len)) == 0);
}

static void
icmp_kind(struct pkt *k, int v6)
{
	uint8_t t = k->icmp_type, c = k->icmp_code;

	k->icmp = PKT_ICMP_OTHER;
	if (!v6) {
		if (t == 8)
			k->icmp = PKT_ICMP_ECHO_REQUEST;
		else if (t == 0)
			k->icmp = PKT_ICMP_ECHO_REPLY;
		else if (t == 3 && c == 3)
			k->icmp = PKT_ICMP_UNREACH_PORT;
		else if (t == 3 && c == 1)
			k->icmp = PKT_ICMP_UNREACH_HOST;
		else if (t == 3 && c == 4)
			k->icmp = PKT_ICMP_UNREACH_NEEDFRAG;
		else if (t == 3 && c == 0)
			k->icmp = PKT_ICMP_UNREACH_NET;
		else if (t == 11)
			k->icmp = PKT_ICMP_TIMEX;
		return;
	}
	if (t == 128)
		k->icmp = PKT_ICMP_ECHO_REQUEST;
	else if (t == 129)
		k->icmp = PKT_ICMP_ECHO_REPLY;
	else if (t == 1 && c == 4)
		k->icmp = PKT_ICMP_UNREACH_PORT;
	else if (t == 1 && c == 3)
		k->icmp = PKT_ICMP_UNREACH_HOST;
	else if (t == 1 && c == 0)
		k->icmp = PKT_ICMP_UNREACH_NET;
	else if (t == 2)
		k->icmp = PKT_ICMP_UNREACH_NEEDFRAG;
	else if (t == 3)
		k->icmp = PKT_ICMP_TIMEX;
}

/* The packet an ICMP error quotes: its IP header and the start of its transport. */
static void
decode_quote(struct pkt *k, const struct cur *q)
{
	size_t hl, tl;
	struct cur t;
	int v = g8(q, 0) >> 4;

	if (v == 4 && has(q, 0, 20)) {
		hl = (size_t)(g8(q, 0) & 0x0f) * 4;
		if (hl < 20 || !has(q, 0, hl))
			return;
		k->quote.proto = g8(q, 9);
		k->quote.src.af = k->quote.dst.af = AF_INET;
		memcpy(k->quote.src.a, q->p + 12, 4);
		memcpy(k->quote.dst.a, q->p + 16, 4);
		k->quote_sum_ok = cksum_sum(q->p, hl, 0) == 0;
	} else if (v == 6 && has(q, 0, 40)) {
		hl = 40;
		k->quote.proto = g8(q, 6);
		k->quote.src.af = k->quote.dst.af = AF_INET6;
		memcpy(k->quote.src.a, q->p + 8, 16);
		memcpy(k->quote.dst.a, q->p + 24, 16);
		k->quote_sum_ok = 1;	/* IPv6 has no header checksum */
	} else
		return;
	k->has_quote = 1;
	t = sub(q, hl);
	tl = t.len;
	if ((k->quote.proto == IPPROTO_TCP || k->quote.proto == IPPROTO_UDP) && tl >= 4) {
		k->quote.sport = g16(&t, 0);
		k->quote.dport = g16(&t, 2);
	} else if ((k->quote.proto == IPPROTO_ICMP || k->quote.proto == IPPROTO_ICMPV6) &&
	    tl >= 6) {
		k->quote.sport = g16(&t, 4);	/* echo id */
		switch (g8(&t, 0)) {
		case 8:
		case 128:
			k->quote.icmp = PKT_ICMP_ECHO_REQUEST;
			break;
		case 0:
		case 129:
			k->quote.icmp = PKT_ICMP_ECHO_REPLY;
			break;
		default:
			k->quote.icmp = PKT_ICMP_OTHER;
			break;
		}
	}
}

static int
decode_icmp(struct pkt *k, const struct cur *l4, int v6)
{
	struct cur data;

	if (!has(l4, 0, 8))
		return (-1);
	k->icmp_type = g8(l4, 0);
	k->icmp_code = g8(l4, 1);
	icmp_kind(k, v6);
	if (v6)
		k->l4_sum_ok = l4_sum_ok(k, IPPROTO_ICMPV6, l4);
	else
		k->l4_sum_ok = cksum_sum(l4->p, l4->len, 0) == 0;
	data = sub(l4, 8);
	switch (k->icmp) {
	case PKT_ICMP_ECHO_REQUEST:
	case PKT_ICMP_ECHO_REPLY:
		k->sport = g16(l4, 4);
		k->icmp_seq = g16(l4, 6);
		k->len = data.len;
		memcpy(k->payload, data.p, data.len < PKT_PAYLOAD_MAX ?
		    data.len : PKT_PAYLOAD_MAX);
		break;
	case PKT_ICMP_UNREACH_PORT:
	case PKT_ICMP_UNREACH_HOST:
	case PKT_ICMP_UNREACH_NEEDFRAG:
	case PKT_ICMP_TIMEX:
	case PKT_ICMP_UNREACH_NET:
		decode_quote(k, &data);
		break;
	case PKT_ICMP_NONE:
	case PKT_ICMP_OTHER:
		break;
	}
	return (0);
}

/* A fragment's transport header, when it is in the fragment: the ports (TCP: the
 * header's fields and options) without a checksum verdict (it covers the whole packet). */
static int
decode_frag_l4(struct pkt *k, int proto, const struct cur *l4)
{
	struct cur data;
	size_t off = 0;

	k->proto = proto;
	k->l4_sum_ok = 1;
	if (k->off == 0 && proto == IPPROTO_TCP && has(l4, 0, 20) &&
	    (off = (size_t)(g8(l4, 12) >> 4) * 4) >= 20 && has(l4, 0, off)) {
		k->sport = g16(l4, 0);
		k->dport = g16(l4, 2);
		k->seq = g32(l4, 4);
		k->ack = g32(l4, 8);
		k->flags = g8(l4, 13);
		k->win = g16(l4, 14);
		k->urg = g16(l4, 18);
		k->tcpopt_len = (uint8_t)(off - 20);
		memcpy(k->tcpopt, l4->p + 20, off - 20);
	} else if (k->off == 0 && proto == IPPROTO_UDP && has(l4, 0, 8)) {
		off = 8;
		k->sport = g16(l4, 0);
		k->dport = g16(l4, 2);
	} else if (k->off == 0 && (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) &&
	    has(l4, 0, 8)) {
		off = 8;
		k->icmp_type = g8(l4, 0);
		k->icmp_code = g8(l4, 1);
		icmp_kind(k, proto == IPPROTO_ICMPV6);
		if (k->icmp == PKT_ICMP_ECHO_REQUEST || k->icmp == PKT_ICMP_ECHO_REPLY) {
			k->sport = g16(l4, 4);
			k->icmp_seq = g16(l4, 6);
		}
	} else
		k->no_l4 = 1;
	data = sub(l4, off);
	k->len = data.len;
	memcpy(k->payload, data.p, data.len < PKT_PAYLOAD_MAX ? data.len : PKT_PAYLOAD_MAX);
	return (0);
}

static int
decode_l4(struct pkt *k, int proto, const struct cur *l4)
{
	struct cur data;
	size_t off;

	k->proto = proto;
	switch (proto) {
	case IPPROTO_TCP:
		if (!has(l4, 0, 20))
			return (-1);
		off = (size_t)(g8(l4, 12) >> 4) * 4;
		if (off < 20 || !has(l4, 0, off))
			return (-1);
		k->sport = g16(l4, 0);
		k->dport = g16(l4, 2);
		k->seq = g32(l4, 4);
		k->ack = g32(l4, 8);
		k->flags = g8(l4, 13);
		k->win = g16(l4, 14);
		k->urg = g16(l4, 18);
		k->tcpopt_len = (uint8_t)(off - 20);
		memcpy(k->tcpopt, l4->p + 20, off - 20);
		k->l4_sum_ok = l4_sum_ok(k, proto, l4);
		break;
	case IPPROTO_UDP:
		if (!has(l4, 0, 8) || g16(l4, 4) < 8 || g16(l4, 4) > l4->len)
			return (-1);
		off = 8;
		k->sport = g16(l4, 0);
		k->dport = g16(l4, 2);
		/* IPv4 UDP may go without a checksum (0); IPv6 UDP may not. */
		k->cksum_none = k->src.af == AF_INET && g16(l4, 6) == 0;
		k->l4_sum_ok = k->cksum_none || l4_sum_ok(k, proto, l4);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return (decode_icmp(k, l4, proto == IPPROTO_ICMPV6));
	default:
		return (-1);
	}
	data = sub(l4, off);
	k->len = data.len;
	memcpy(k->payload, data.p, data.len < PKT_PAYLOAD_MAX ? data.len : PKT_PAYLOAD_MAX);
	return (0);
}

/* An IPv4 packet; a fragment (MF or an offset) only when frag. */
static int
decode_ip4(const struct cur *c, struct pkt *k, int frag)
{
	size_t hl, tot;
	struct cur l4;

	if (!has(c, 0, 20))
		return (-1);
	hl = (size_t)(g8(c, 0) & 0x0f) * 4;
	tot = g16(c, 2);
	if (hl < 20 || tot < hl || tot > c->len)
		return (-1);
	if ((g16(c, 6) & 0x3fff) && !frag)
		return (-1);
	k->tos = g8(c, 1);
	k->iplen = (uint16_t)tot;
	k->id = g16(c, 4);
	k->df = (g16(c, 6) & 0x4000) != 0;
	k->mf = (g16(c, 6) & 0x2000) != 0;
	k->off = (uint16_t)((g16(c, 6) & 0x1fff) * 8);
	k->ipfrag = k->mf || k->off != 0;
	k->ipopt_len = (uint8_t)(hl - 20);
	memcpy(k->ipopt, c->p + 20, hl - 20);
	k->ttl = g8(c, 8);
	k->src.af = k->dst.af = AF_INET;
	memcpy(k->src.a, c->p + 12, 4);
	memcpy(k->dst.a, c->p + 16, 4);
	k->ip_sum_ok = cksum_sum(c->p, hl, 0) == 0;
	l4.p = c->p + hl;
	l4.len = tot - hl;		/* Ethernet padding is not ours */
	if (k->ipfrag)
		return (decode_frag_l4(k, g8(c, 9), &l4));
	return (decode_l4(k, g8(c, 9), &l4));
}

/* An IPv6 packet; one with a fragment header only when frag. */
static int
decode_ip6(const struct cur *c, struct pkt *k, int frag)
{
	size_t off = 40, plen;
	int nh;
	struct cur l4;

	if (!has(c, 0, 40))
		return (-1);
	plen = g16(c, 4);
	if (!has(c, 40, plen))
		return (-1);
	nh = g8(c, 6);
	k->tos = (uint8_t)(g32(c, 0) >> 20);
	k->iplen = (uint16_t)(40 + plen);
	k->ttl = g8(c, 7);
	k->src.af = k->dst.af = AF_INET6;
	memcpy(k->src.a, c->p + 8, 16);
	memcpy(k->dst.a, c->p + 24, 16);
	k->ip_sum_ok = 1;		/* IPv6 has no header checksum */
	/* Hop-by-hop, routing and destination options are skipped; fragments are not ours. */
	while (nh == 0 || nh == 43 || nh == 60) {
		if (!has(c, off, 8))
			return (-1);
		nh = g8(c, off);
		off += ((size_t)g8(c, off + 1) + 1) * 8;
		if (off > 40 + plen)
			return (-1);
	}
	if (nh == 44 && frag && has(c, off, 8)) {
		/* a fragment header: its id, offset and M flag */
		k->ipfrag = 1;
		k->id = g32(c, off + 4);
		k->off = (uint16_t)(g16(c, off + 2) & 0xfff8);
		k->mf = g16(c, off + 2) & 1;
		nh = g8(c, off);
		off += 8;
		if (off > 40 + plen)
			return (-1);
	}
	l4.p = c->p + off;
	l4.len = 40 + plen - off;
	if (k->ipfrag)
		return (decode_frag_l4(k, nh, &l4));
	return (decode_l4(k, nh, &l4));
}

static int
decode_l3(const uint8_t *buf, size_t len, struct pkt *k, int frag)
{
	struct cur c = { buf, len };
	int rc = -1;

	memset(k, 0, sizeof(*k));
	switch (g8(&c, 0) >> 4) {
	case 4:
		rc = decode_ip4(&c, k, frag);
		break;
	case 6:
		rc = decode_ip6(&c, k, frag);
		break;
	}
	k->cksum_bad = !k->l4_sum_ok;
	return (rc);
}

int
pkt_decode_l3(const uint8_t *buf, size_t len, struct pkt *k)
{
	return (decode_l3(buf, len, k, 0));
}

int
pkt_decode_frag_l3(const uint8_t *buf, size_t len, struct pkt *k)
{
	if (decode_l3(buf, len, k, 1) == -1)
		return (-1);
	return (k->ipfrag ? 0 : -1);
}

/* The ethertype and the offset of the payload, past one VLAN tag; -1 if short. */
static int
ether(const struct cur *c, size_t *off)
{
	int type;

	if (!has(c, 0, 14))
		return (-1);
	type = g16(c, 12);
	*off = 14;
	if (type == ETHERTYPE_VLAN8021Q) {
		if (!has(c, 0, 18))
			return (-1);
		type = g16(c, 16);
		*off = 18;
	}
	return (type);
}

int
pkt_decode_frame(const uint8_t *buf, size_t len, struct pkt *k)
{
	struct cur c = { buf, len }, l3;
	size_t off;
	int type = ether(&c, &off);

	memset(k, 0, sizeof(*k));
	if (type != ETHERTYPE_IP4 && type != ETHERTYPE_IP6)
		return (-1);
	l3 = sub(&c, off);
	return (pkt_decode_l3(l3.p, l3.len, k));
}

int
pkt_decode_frag_frame(const uint8_t *buf, size_t len, struct pkt *k)
{
	struct cur c = { buf, len }, l3;
	size_t off;
	int type = ether(&c, &off);

	memset(k, 0, sizeof(*k));
	if (type != ETHERTYPE_IP4 && type != ETHERTYPE_IP6)
		return (-1);
	l3 = sub(&c, off);
	return (pkt_decode_frag_l3(l3.p, l3.len, k));
}

int
pkt_decode_arp_request(const uint8_t *buf, size_t len, struct pkt_addr *target,
    uint8_t sender_mac[6], struct pkt_addr *sender_ip)
{
	struct cur c = { buf, len }, a;
	size_t off;

	if (ether(&c, &off) != ETHERTYPE_ARP4)
		return (0);
	a = sub(&c, off);
	/* Ethernet, IPv4, 6-byte and 4-byte addresses, a request. */
	if (!has(&a, 0, 28) || g16(&a, 0) != 1 || g16(&a, 2) != ETHERTYPE_IP4 ||
	    g8(&a, 4) != 6 || g8(&a, 5) != 4 || g16(&a, 6) != 1)
		return (0);
	memcpy(sender_mac, a.p + 8, 6);
	memset(sender_ip, 0, sizeof(*sender_ip));
	sender_ip->af = AF_INET;
	memcpy(sender_ip->a, a.p + 14, 4);
	memset(target, 0, sizeof(*target));
	target->af = AF_INET;
	memcpy(target->a, a.p + 24, 4);
	return (1);
}

int
pkt_decode_ns(const uint8_t *buf, size_t len, struct pkt_addr *target,
    uint8_t sender_mac[6], struct pkt_addr *sender_ip)
{
	struct cur c = { buf, len }, ip, icmp;
	size_t off, o;
	struct pkt k;

	if (ether(&c, &off) != ETHERTYPE_IP6)
		return (0);
	ip = sub(&c, off);
	if (pkt_decode_l3(ip.p, ip.len, &k) == -1 || k.proto != IPPROTO_ICMPV6 ||
	    k.icmp_type != 135 || k.icmp_code != 0 || !k.l4_sum_ok ||
	    g8(&ip, 6) != IPPROTO_ICMPV6)
		return (0);
	icmp = sub(&ip, 40);
	if (!has(&icmp, 0, 24))
		return (0);
	memset(target, 0, sizeof(*target));
	target->af = AF_INET6;
	memcpy(target->a, icmp.p + 8, 16);
	*sender_ip = k.src;
	memcpy(sender_mac, c.p + 6, 6);
	/* The source link-layer address option, when present, names the asker. */
	for (o = 24; has(&icmp, o, 8) && g8(&icmp, o + 1) != 0;
	    o += (size_t)g8(&icmp, o + 1) * 8)
		if (g8(&icmp, o) == 1)
			memcpy(sender_mac, icmp.p + o + 2, 6);
	return (1);
}
