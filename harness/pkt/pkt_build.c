/* pkt_build.c: struct pkt to bytes with libnet (build only, never injects). */
/*
 * The only file that uses libnet. Each call builds in its own LIBNET_NONE context, so
 * calls are independent and thread safe. libnet computes every checksum but that of
 * a fragment's IPv4 header (base/cksum.c).
 * Defaults: TTL/hop limit 64 when pkt.ttl is 0 and not set; the window, sequence
 * numbers and ICMP id are taken as given (pkt_parse fills the notation's defaults); the
 * IPv4 id, unless given, derived from the ports and sequence number; DF as given. An
 * ICMP error quotes the IPv4 header plus 8 bytes (IPv6: 40 + 8) of a packet built from
 * pkt.quote (TCP seq 0, UDP empty). Next-hop MTU fields of need-frag / packet-too-big
 * are 0.
 * What libnet does not place as the notation says is set on its bytes afterwards
 * (finish()): TCP options (in the order given, before the data), IPv4 options after
 * the fixed header, a transport checksum covering a source route's final address (as
 * receivers compute it), `cksum bad`. `frag N` packets and a `PROTO frag` fragment are
 * cut by hand from the whole packet (pkt_build_frag_*, piece()); IPv6 fragments carry
 * a fragment header whose id, unless given, is derived as IPv4's id.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <libnet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* <netinet/ip_icmp.h> (through libnet.h) defines icmp_seq as a macro: not ours. */
#undef icmp_seq

#include "base/cksum.h"
#include "base/diag.h"
#include "pkt.h"
#include "pkt_impl.h"

#define QUOTE_MAX	64

static struct libnet_in6_addr
in6(const struct pkt_addr *a)
{
	struct libnet_in6_addr r;

	memcpy(&r, a->a, 16);
	return (r);
}

static uint32_t
in4(const struct pkt_addr *a)
{
	uint32_t r;

	memcpy(&r, a->a, 4);	/* libnet wants network order */
	return (r);
}

static libnet_t *
ctx(char *err, size_t errlen)
{
	char eb[LIBNET_ERRBUF_SIZE];
	libnet_t *l;

	if ((l = libnet_init(LIBNET_NONE, NULL, eb)) == NULL)
		diag_errf(err, errlen, "libnet: %s", eb);
	return (l);
}

/* Copy the coalesced packet out of l. Returns its length or -1. */
static int
cull(libnet_t *l, uint8_t *buf, size_t cap, char *err, size_t errlen)
{
	uint8_t *p;
	uint32_t n;

	if (libnet_pblock_coalesce(l, &p, &n) == -1) {
		diag_errf(err, errlen, "libnet: %s", libnet_geterror(l));
		return (-1);
	}
	if (n > cap) {
		libnet_adv_free_packet(l, p);
		diag_errf(err, errlen, "packet of %u bytes does not fit in %zu", n, cap);
		return (-1);
	}
	memcpy(buf, p, n);
	libnet_adv_free_packet(l, p);
	return ((int)n);
}

static int	whole_l3(const struct pkt *, uint8_t *, size_t, char *, size_t);

/* The start of the packet an ICMP error quotes. Returns its length or -1. */
static int
quote_bytes(const struct pkt *k, uint8_t *q, char *err, size_t errlen)
{
	struct pkt qp;
	uint8_t full[PKT_FRAME_MAX];
	int n, keep;

	memset(&qp, 0, sizeof(qp));
	qp.proto = k->quote.proto;
	qp.src = k->quote.src;
	qp.dst = k->quote.dst;
	qp.sport = k->quote.sport;
	qp.dport = k->quote.dport;
	qp.win = 65535;
	if (qp.proto == IPPROTO_ICMP || qp.proto == IPPROTO_ICMPV6)
		qp.icmp = k->quote.icmp == PKT_ICMP_ECHO_REPLY ? PKT_ICMP_ECHO_REPLY :
		    PKT_ICMP_ECHO_REQUEST;	/* its id is sport */
	if (qp.src.af != k->src.af || qp.dst.af != k->src.af) {
		diag_errf(err, errlen, "quoted packet of another address family");
		return (-1);
	}
	if ((n = whole_l3(&qp, full, sizeof(full), err, errlen)) == -1)
		return (-1);
	keep = (k->src.af == AF_INET ? 20 : 40) + 8;
	if (keep > n)
		keep = n;
	memcpy(q, full, keep);
	return (keep);
}

/* ICMP/ICMPv6 header and data. Returns the ptag or -1. */
static int
build_icmp(const struct pkt *k, libnet_t *l, char *err, size_t errlen)
{
	uint8_t q[QUOTE_MAX];
	int v6 = k->proto == IPPROTO_ICMPV6, qn = 0;
	uint8_t *pl = (uint8_t *)(uintptr_t)k->payload;

	if (k->icmp != PKT_ICMP_ECHO_REQUEST && k->icmp != PKT_ICMP_ECHO_REPLY &&
	    k->has_quote && (qn = quote_bytes(k, q, err, errlen)) == -1)
		return (-1);
	switch (k->icmp) {
	case PKT_ICMP_ECHO_REQUEST:
	case PKT_ICMP_ECHO_REPLY:
		if (v6)
			return (libnet_build_icmpv6_echo(k->icmp ==
			    PKT_ICMP_ECHO_REQUEST ? 128 : 129, 0, 0, k->sport, k->icmp_seq,
			    pl, k->len, l, 0));
		return (libnet_build_icmpv4_echo(k->icmp == PKT_ICMP_ECHO_REQUEST ? 8 : 0,
		    0, 0, k->sport, k->icmp_seq, pl, k->len, l, 0));
	case PKT_ICMP_UNREACH_PORT:
		return (v6 ? libnet_build_icmpv6_unreach(1, 4, 0, q, qn, l, 0) :
		    libnet_build_icmpv4_unreach(3, 3, 0, q, qn, l, 0));
	case PKT_ICMP_UNREACH_HOST:
		return (v6 ? libnet_build_icmpv6_unreach(1, 3, 0, q, qn, l, 0) :
		    libnet_build_icmpv4_unreach(3, 1, 0, q, qn, l, 0));
	case PKT_ICMP_UNREACH_NEEDFRAG:
		return (v6 ? libnet_build_icmpv6_unreach(2, 0, 0, q, qn, l, 0) :
		    libnet_build_icmpv4_unreach(3, 4, 0, q, qn, l, 0));
	case PKT_ICMP_TIMEX:
		return (v6 ? libnet_build_icmpv6_unreach(3, 0, 0, q, qn, l, 0) :
		    libnet_build_icmpv4_timeexceed(11, 0, 0, q, qn, l, 0));
	case PKT_ICMP_UNREACH_NET:
		return (v6 ? libnet_build_icmpv6_unreach(1, 0, 0, q, qn, l, 0) :
		    libnet_build_icmpv4_unreach(3, 0, 0, q, qn, l, 0));
	case PKT_ICMP_NONE:
	case PKT_ICMP_OTHER:
		break;
	}
	diag_errf(err, errlen, "cannot build this icmp type");
	return (-1);
}

/* The IPv4 id or IPv6 fragment id: as given, else derived from ports and seq. */
static uint32_t
ip_id(const struct pkt *k)
{
	if (k->id_set)
		return (k->id);
	return ((uint16_t)(k->sport ^ k->dport ^ k->seq ^ (k->seq >> 16)));
}

/* Transport and IP headers into l. Returns 0 or -1. */
static int
build_ip(const struct pkt *k, libnet_t *l, char *err, size_t errlen)
{
	uint8_t ttl = k->ttl || k->ttl_set ? k->ttl : 64, seg[PKT_OPT_MAX + PKT_PAYLOAD_MAX];
	uint32_t l4len;
	size_t sl;
	int t;

	if (k->len > PKT_PAYLOAD_MAX || (k->src.af != AF_INET && k->src.af != AF_INET6) ||
	    k->src.af != k->dst.af || k->tcpopt_len > PKT_OPT_MAX || k->tcpopt_len % 4 ||
	    k->ipopt_len > PKT_OPT_MAX || k->ipopt_len % 4) {
		diag_errf(err, errlen, "bad packet: payload or options length, or address "
		    "family");
		return (-1);
	}
	switch (k->proto) {
	case IPPROTO_TCP:
		/* the options go as the start of the data; finish() makes them options */
		memcpy(seg, k->tcpopt, k->tcpopt_len);
		memcpy(seg + k->tcpopt_len, k->payload, k->len);
		sl = k->tcpopt_len + k->len;
		t = libnet_build_tcp(k->sport, k->dport, k->seq, k->ack, k->flags, k->win,
		    0, k->urg, LIBNET_TCP_H + sl, sl ? seg : NULL, sl, l, 0);
		break;
	case IPPROTO_UDP:
		t = libnet_build_udp(k->sport, k->dport, LIBNET_UDP_H + k->len, 0,
		    k->len ? k->payload : NULL, k->len, l, 0);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if ((k->proto == IPPROTO_ICMP) != (k->src.af == AF_INET)) {
			diag_errf(err, errlen, "icmp and icmp6 need IPv4 and IPv6");
			return (-1);
		}
		t = build_icmp(k, l, err, errlen);
		break;
	default:
		diag_errf(err, errlen, "cannot build protocol %d", k->proto);
		return (-1);
	}
	if (t == -1) {
		if (err != NULL && err[0] == '\0')
			diag_errf(err, errlen, "libnet: %s", libnet_geterror(l));
		return (-1);
	}
	l4len = libnet_getpacket_size(l);
	if (k->src.af == AF_INET)
		t = libnet_build_ipv4(LIBNET_IPV4_H + l4len, k->tos, (uint16_t)ip_id(k),
		    k->df ? 0x4000 : 0, ttl, (uint8_t)k->proto, 0, in4(&k->src),
		    in4(&k->dst), NULL, 0, l, 0);
	else
		t = libnet_build_ipv6(k->tos, 0, (uint16_t)l4len, (uint8_t)k->proto, ttl,
		    in6(&k->src), in6(&k->dst), NULL, 0, l, 0);
	if (t == -1) {
		diag_errf(err, errlen, "libnet: %s", libnet_geterror(l));
		return (-1);
	}
	return (0);
}

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The address a transport checksum covers: the last of a source route, else dst. */
static const uint8_t *
final_dst(const uint8_t *ip, size_t hl)
{
	const uint8_t *f = pkt_ipopt_final_dst(ip + 20, hl - 20);

	return (f != NULL ? f : ip + 16);
}

/* The transport checksum of the L3 packet of n bytes at b (header length hl) set
 * again; the offset of the checksum, or 0 when the protocol has none here. */
static size_t
l4_resum(uint8_t *b, size_t n, size_t hl, int proto)
{
	int v6 = (b[0] >> 4) == 6;
	size_t at = proto == IPPROTO_TCP ? 16 : proto == IPPROTO_UDP ? 6 :
	    proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6 ? 2 : 0;
	uint32_t init = 0;
	uint16_t sum;

	if (at == 0 || n < hl + at + 2)
		return (0);
	put16(b + hl + at, 0);
	if (proto != IPPROTO_ICMP)
		init = cksum_pseudo(v6 ? b + 8 : b + 12, v6 ? b + 24 : final_dst(b, hl),
		    v6 ? 16 : 4, (uint8_t)proto, (uint32_t)(n - hl));
	sum = cksum_sum(b + hl, n - hl, init);
	if (proto == IPPROTO_UDP && sum == 0)
		sum = 0xffff;
	put16(b + hl + at, sum);
	return (hl + at);
}

/* What libnet did not place: TCP options, IPv4 options, a source route's checksum,
 * `cksum bad`, on the n bytes at b (room for cap). The new length, or -1. */
static int
finish(const struct pkt *k, uint8_t *b, size_t n, size_t cap, char *err,
    size_t errlen)
{
	int v4 = (b[0] >> 4) == 4;
	size_t hl = v4 ? 20 : 40, at;
	uint16_t sum;

	if (k->proto == IPPROTO_TCP && k->tcpopt_len > 0)
		b[hl + 12] = (uint8_t)((20 + k->tcpopt_len) / 4 << 4);
	if (v4 && k->ipopt_len > 0) {
		if (n + k->ipopt_len > cap) {
			diag_errf(err, errlen, "packet does not fit in %zu bytes", cap);
			return (-1);
		}
		memmove(b + 20 + k->ipopt_len, b + 20, n - 20);
		memcpy(b + 20, k->ipopt, k->ipopt_len);
		n += k->ipopt_len;
		hl += k->ipopt_len;
		b[0] = (uint8_t)(0x40 | hl / 4);
		put16(b + 2, (unsigned)n);
		put16(b + 10, 0);
		put16(b + 10, cksum_sum(b, hl, 0));
	}
	at = l4_resum(b, n, hl, k->proto);
	if (k->cksum_bad && at != 0) {
		/* wrong, and not 0: a UDP checksum of 0 would mean none */
		sum = (uint16_t)(b[at] << 8 | b[at + 1]);
		sum ^= (sum ^ 0x0101) == 0 ? 0x0202 : 0x0101;
		put16(b + at, sum);
	}
	if (k->cksum_none && k->proto == IPPROTO_UDP && v4 && at != 0)
		put16(b + at, 0);	/* RFC 768: no checksum */
	return ((int)n);
}

/* The whole packet, `frag` ignored. Its length or -1. */
static int
whole_l3(const struct pkt *k, uint8_t *buf, size_t cap, char *err, size_t errlen)
{
	libnet_t *l;
	int n = -1;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((l = ctx(err, errlen)) == NULL)
		return (-1);
	if (build_ip(k, l, err, errlen) == 0)
		n = cull(l, buf, cap, err, errlen);
	libnet_destroy(l);
	if (n > 0)
		n = finish(k, buf, (size_t)n, cap, err, errlen);
	return (n);
}

/* A `PROTO frag` packet: the piece of the whole packet w (n bytes) its offset and
 * iplen say, as one fragment into buf. Its length or -1. */
static int
piece(const struct pkt *k, const uint8_t *w, int n, uint8_t *buf, size_t cap, char *err,
    size_t errlen)
{
	int v4 = (w[0] >> 4) == 4;
	size_t hl = v4 ? (size_t)(w[0] & 0x0f) * 4 : 40, whole = (size_t)n - hl;
	size_t at = hl + (v4 ? 0 : 8), fl;
	unsigned f;

	if (k->off > whole || (k->iplen != 0 && (k->iplen < at ||
	    k->off + (k->iplen - at) > whole))) {
		diag_errf(err, errlen, "the fragment does not fit the packet's %zu bytes of "
		    "IP payload", whole);
		return (-1);
	}
	fl = k->iplen != 0 ? k->iplen - at : whole - k->off;
	if (at + fl > cap) {
		diag_errf(err, errlen, "fragment does not fit in %zu bytes", cap);
		return (-1);
	}
	memcpy(buf, w, hl);
	memcpy(buf + at, w + hl + k->off, fl);
	if (v4) {
		put16(buf + 2, (unsigned)(hl + fl));
		f = k->off / 8 | (k->mf ? 0x2000 : 0) | (k->df ? 0x4000 : 0);
		put16(buf + 6, f);
		put16(buf + 10, 0);
		put16(buf + 10, cksum_sum(buf, hl, 0));
		return ((int)(at + fl));
	}
	put16(buf + 4, (unsigned)(8 + fl));
	buf[6] = 44;
	buf[40] = w[6];
	buf[41] = 0;
	put16(buf + 42, (k->off & 0xfff8) | (k->mf ? 1 : 0));
	put16(buf + 44, ip_id(k) >> 16);
	put16(buf + 46, ip_id(k));
	return ((int)(at + fl));
}

/* The packet's L3 bytes: whole, or the one fragment `PROTO frag` says. */
static int
one_l3(const struct pkt *k, uint8_t *buf, size_t cap, char *err, size_t errlen)
{
	uint8_t w[PKT_FRAME_MAX];
	int n;

	if (!k->ipfrag)
		return (whole_l3(k, buf, cap, err, errlen));
	if ((n = whole_l3(k, w, sizeof(w), err, errlen)) == -1)
		return (-1);
	return (piece(k, w, n, buf, cap, err, errlen));
}

/* A packet whose `$NAME` fields pkt_vars_subst has not filled cannot be built. */
static int
unbound(const struct pkt *k, char *err, size_t errlen)
{
	if (k->nvar == 0)
		return (0);
	diag_errf(err, errlen, "$%s: variables are bound by a scenario's expectations",
	    k->var[0].name);
	return (-1);
}

static int
no_frag(const struct pkt *k, char *err, size_t errlen)
{
	if (unbound(k, err, errlen) == -1)
		return (-1);
	if (k->frag == 0)
		return (0);
	diag_errf(err, errlen, "frag: this sender cannot send fragments");
	return (-1);
}

int
pkt_build_l3(const struct pkt *k, uint8_t *buf, size_t cap, char *err, size_t errlen)
{
	if (no_frag(k, err, errlen) == -1)
		return (-1);
	return (one_l3(k, buf, cap, err, errlen));
}

/* `frag N`: fragments of the whole packet, built by hand (libnet has no fragmenter). */
static int
frag_count(const uint8_t *w, int n, unsigned fsz)
{
	int hl = (w[0] >> 4) == 4 ? (w[0] & 0x0f) * 4 : 40;

	return ((int)(((unsigned)(n - hl) + fsz - 1) / fsz));
}

int
pkt_build_nfrag(const struct pkt *k, char *err, size_t errlen)
{
	uint8_t w[PKT_FRAME_MAX];
	int n;

	if (unbound(k, err, errlen) == -1)
		return (-1);
	if (k->frag == 0)
		return (1);
	if ((n = whole_l3(k, w, sizeof(w), err, errlen)) == -1)
		return (-1);
	return (frag_count(w, n, k->frag));
}

int
pkt_build_frag_l3(const struct pkt *k, int i, uint8_t *buf, size_t cap, char *err,
    size_t errlen)
{
	uint8_t w[PKT_FRAME_MAX];
	int n, nf, hl, v4, at;
	unsigned off, fl, fsz = k->frag, sum;
	uint32_t id;

	if (unbound(k, err, errlen) == -1)
		return (-1);
	if (k->frag == 0) {
		if (i != 0) {
			diag_errf(err, errlen, "no fragment %d", i);
			return (-1);
		}
		return (one_l3(k, buf, cap, err, errlen));
	}
	if ((n = whole_l3(k, w, sizeof(w), err, errlen)) == -1)
		return (-1);
	v4 = (w[0] >> 4) == 4;
	hl = v4 ? (w[0] & 0x0f) * 4 : 40;
	nf = frag_count(w, n, fsz);
	if (i < 0 || i >= nf) {
		diag_errf(err, errlen, "no fragment %d", i);
		return (-1);
	}
	if (k->frag_reverse)
		i = nf - 1 - i;
	off = (unsigned)i * fsz;
	fl = (unsigned)(n - hl) - off < fsz ? (unsigned)(n - hl) - off : fsz;
	at = hl + (v4 ? 0 : 8);
	if ((size_t)at + fl > cap) {
		diag_errf(err, errlen, "fragment does not fit in %zu bytes", cap);
		return (-1);
	}
	memcpy(buf, w, (size_t)hl);
	memcpy(buf + at, w + hl + off, fl);
	if (v4) {
		buf[2] = (uint8_t)((hl + fl) >> 8);
		buf[3] = (uint8_t)(hl + fl);
		sum = off / 8 | (off + fl < (unsigned)(n - hl) ? 0x2000 : 0);
		buf[6] = (uint8_t)(sum >> 8);
		buf[7] = (uint8_t)sum;
		buf[10] = buf[11] = 0;
		sum = cksum_sum(buf, (size_t)hl, 0);
		buf[10] = (uint8_t)(sum >> 8);
		buf[11] = (uint8_t)sum;
		return (at + (int)fl);
	}
	/* IPv6: a fragment header, its id as given or taken from the ports as IPv4's */
	id = ip_id(k);
	buf[4] = (uint8_t)((8 + fl) >> 8);
	buf[5] = (uint8_t)(8 + fl);
	buf[6] = 44;
	buf[40] = w[6];
	buf[41] = 0;
	sum = off | (off + fl < (unsigned)(n - hl) ? 1 : 0);
	buf[42] = (uint8_t)(sum >> 8);
	buf[43] = (uint8_t)sum;
	put16(buf + 44, id >> 16);
	put16(buf + 46, id);
	return (at + (int)fl);
}

int
pkt_build_frag_frame(const struct pkt *k, int i, const uint8_t src_mac[6],
    const uint8_t dst_mac[6], uint8_t *buf, size_t cap, char *err, size_t errlen)
{
	int n;

	if (cap < 14) {
		diag_errf(err, errlen, "no room for a frame");
		return (-1);
	}
	if ((n = pkt_build_frag_l3(k, i, buf + 14, cap - 14, err, errlen)) == -1)
		return (-1);
	memcpy(buf, dst_mac, 6);
	memcpy(buf + 6, src_mac, 6);
	buf[12] = k->src.af == AF_INET ? 0x08 : 0x86;
	buf[13] = k->src.af == AF_INET ? 0x00 : 0xdd;
	return (14 + n);
}

int
pkt_build_frame(const struct pkt *k, const uint8_t src_mac[6], const uint8_t dst_mac[6],
    uint8_t *buf, size_t cap, char *err, size_t errlen)
{
	if (no_frag(k, err, errlen) == -1)
		return (-1);
	return (pkt_build_frag_frame(k, 0, src_mac, dst_mac, buf, cap, err, errlen));
}

int
pkt_build_arp_reply(const uint8_t mac[6], const struct pkt_addr *ip,
    const uint8_t to_mac[6], const struct pkt_addr *to_ip,
    uint8_t *buf, size_t cap, char *err, size_t errlen)
{
	libnet_t *l;
	int n = -1;

	if (ip->af != AF_INET || to_ip->af != AF_INET) {
		diag_errf(err, errlen, "ARP is for IPv4 addresses");
		return (-1);
	}
	if ((l = ctx(err, errlen)) == NULL)
		return (-1);
	if (libnet_build_arp(ARPHRD_ETHER, ETHERTYPE_IP, 6, 4, ARPOP_REPLY, mac, ip->a,
	    to_mac, to_ip->a, NULL, 0, l, 0) == -1 ||
	    libnet_build_ethernet(to_mac, mac, ETHERTYPE_ARP, NULL, 0, l, 0) == -1)
		diag_errf(err, errlen, "libnet: %s", libnet_geterror(l));
	else
		n = cull(l, buf, cap, err, errlen);
	libnet_destroy(l);
	return (n);
}

int
pkt_build_na(const uint8_t mac[6], const struct pkt_addr *ip,
    const uint8_t to_mac[6], const struct pkt_addr *to_ip,
    uint8_t *buf, size_t cap, char *err, size_t errlen)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	struct pkt_addr dst = *to_ip;
	uint8_t opt[6];
	libnet_t *l;
	int n = -1, t;
	uint32_t flags = ND_NA_FLAG_SOLICITED | ND_NA_FLAG_OVERRIDE;

	if (ip->af != AF_INET6 || to_ip->af != AF_INET6) {
		diag_errf(err, errlen, "neighbour discovery is for IPv6 addresses");
		return (-1);
	}
	if (IN6_IS_ADDR_UNSPECIFIED((const struct in6_addr *)(const void *)to_ip->a)) {
		memcpy(dst.a, all_nodes, 16);	/* RFC 4861 7.2.4: to all nodes */
		flags = ND_NA_FLAG_OVERRIDE;
	}
	if ((l = ctx(err, errlen)) == NULL)
		return (-1);
	memcpy(opt, mac, 6);
	t = libnet_build_icmpv6_ndp_opt(ND_OPT_TARGET_LINKADDR, opt, 6, l, 0);
	if (t != -1)
		t = libnet_build_icmpv6_ndp_nadv(ND_NEIGHBOR_ADVERT, 0, 0, flags,
		    in6(ip), NULL, 0, l, 0);
	if (t != -1)
		t = libnet_build_ipv6(0, 0, (uint16_t)libnet_getpacket_size(l),
		    IPPROTO_ICMPV6, 255, in6(ip), in6(&dst), NULL, 0, l, 0);
	if (t != -1)
		t = libnet_build_ethernet(to_mac, mac, ETHERTYPE_IPV6, NULL, 0, l, 0);
	if (t == -1)
		diag_errf(err, errlen, "libnet: %s", libnet_geterror(l));
	else
		n = cull(l, buf, cap, err, errlen);
	libnet_destroy(l);
	return (n);
}
