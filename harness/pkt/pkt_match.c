/* pkt_match.c: does a packet meet an expectation; the first field that does not, named
 * (the fields written `$NAME` are pkt_var.c's). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "pkt.h"
#include "pkt_impl.h"

static int
range_ok(const struct pkt_range *r, uint32_t v)
{
	return (!r->set || (v >= r->lo && v <= r->hi));
}

static void
range_str(const struct pkt_range *r, char *buf, size_t len)
{
	if (r->lo == r->hi)
		snprintf(buf, len, "%u", r->lo);
	else
		snprintf(buf, len, "%u-%u", r->lo, r->hi);
}

/* One range field: 1 matches, else 0 with `why`. */
static int
mrange(const char *field, const struct pkt_range *r, uint32_t v, char *why, size_t wl)
{
	char e[32];

	if (range_ok(r, v))
		return (1);
	range_str(r, e, sizeof(e));
	diag_errf(why, wl, "field %s: expected %s vs actual %u", field, e, v);
	return (0);
}

static int
maddr(const char *field, int any, const struct pkt_addr *e, const struct pkt_addr *a,
    char *why, size_t wl)
{
	char es[INET6_ADDRSTRLEN], as[INET6_ADDRSTRLEN];

	if (any || pkt_addr_eq(e, a))
		return (1);
	diag_errf(why, wl, "field %s: expected %s vs actual %s", field,
	    pkt_addr_format(e, es, sizeof(es)), pkt_addr_format(a, as, sizeof(as)));
	return (0);
}

static int
match_quote(const struct pkt_pat *p, const struct pkt *k, char *why, size_t wl)
{
	int tcp = k->quote.proto == IPPROTO_TCP;

	if (!k->has_quote) {
		diag_errf(why, wl, "field quote: expected %s vs actual none",
		    p->quote_proto != 0 ? pkt_proto_name(p->quote_proto) : "a quote");
		return (0);
	}
	if (p->quote_proto != 0 && p->quote_proto != k->quote.proto) {
		diag_errf(why, wl, "field quote.proto: expected %s vs actual %s",
		    pkt_proto_name(p->quote_proto), pkt_proto_name(k->quote.proto));
		return (0);
	}
	if (!maddr("quote.ip.src", p->quote_src_any || p->quote_src.af == 0, &p->quote_src,
	    &k->quote.src, why, wl) ||
	    !maddr("quote.ip.dst", p->quote_dst_any || p->quote_dst.af == 0, &p->quote_dst,
	    &k->quote.dst, why, wl))
		return (0);
	if (p->quote_proto == IPPROTO_ICMP || p->quote_proto == IPPROTO_ICMPV6) {
		/* a quoted echo: its type when written, its id */
		if (p->quote_icmp != PKT_ICMP_NONE && p->quote_icmp != k->quote.icmp) {
			diag_errf(why, wl, "field quote.icmp.type: expected %s vs actual %s",
			    pkt_icmp_name(p->quote_icmp), k->quote.icmp == PKT_ICMP_OTHER ?
			    "another type" : pkt_icmp_name(k->quote.icmp));
			return (0);
		}
		return (mrange("quote.icmp.id", &p->quote_sport, k->quote.sport, why, wl));
	}
	if (p->quote_proto == 0 || (k->quote.proto != IPPROTO_TCP &&
	    k->quote.proto != IPPROTO_UDP))
		return (1);
	return (mrange(tcp ? "quote.tcp.sport" : "quote.udp.sport", &p->quote_sport,
	    k->quote.sport, why, wl) &&
	    mrange(tcp ? "quote.tcp.dport" : "quote.udp.dport", &p->quote_dport,
	    k->quote.dport, why, wl));
}

static int
match_sums(const struct pkt_pat *p, const struct pkt *k, char *why, size_t wl)
{
	const char *l4 = k->proto == IPPROTO_TCP ? "tcp.sum" :
	    k->proto == IPPROTO_UDP ? "udp.sum" :
	    k->proto == IPPROTO_ICMP ? "icmp.sum" : "icmp6.sum";

	if (!k->ip_sum_ok) {
		diag_errf(why, wl, "field ip.sum: bad checksum");
		return (0);
	}
	if (p->cksum_bad && k->l4_sum_ok && !k->no_l4) {
		diag_errf(why, wl, "field %s: expected bad vs actual good", l4);
		return (0);
	}
	if (p->cksum_none && !k->cksum_none) {
		diag_errf(why, wl, "field %s: expected none (0) vs actual a checksum", l4);
		return (0);
	}
	if (!p->cksum_bad && !k->l4_sum_ok) {
		diag_errf(why, wl, "field %s: bad checksum", l4);
		return (0);
	}
	if (k->has_quote && !k->quote_sum_ok) {
		diag_errf(why, wl, "field quote.ip.sum: bad checksum");
		return (0);
	}
	return (1);
}

/* A flag written set (PKT_YES) or clear (PKT_NO) against the packet's. */
static int
mflag(const char *field, uint8_t want, int have, char *why, size_t wl)
{
	if (want == 0 || (want == PKT_YES) == (have != 0))
		return (1);
	diag_errf(why, wl, "field %s: expected %s vs actual %s", field,
	    want == PKT_YES ? "set" : "clear", have ? "set" : "clear");
	return (0);
}

/* The IP header's fields: fragment or not, TTL, TOS, id, DF, offset, MF, length, options. */
static int
match_ip(const struct pkt_pat *p, const struct pkt *k, char *why, size_t wl)
{
	int v6 = k->src.af == AF_INET6;
	char e[256], a[256];

	if (p->ipfrag != k->ipfrag) {
		diag_errf(why, wl, "field ip.frag: expected %s vs actual %s",
		    p->ipfrag ? "a fragment" : "a whole packet",
		    k->ipfrag ? "a fragment" : "a whole packet");
		return (0);
	}
	if (!mrange(v6 ? "ip6.hlim" : "ip.ttl", &p->ttl, k->ttl, why, wl) ||
	    !mrange(v6 ? "ip6.tclass" : "ip.tos", &p->tos, k->tos, why, wl) ||
	    !mrange(v6 ? "ip6.frag.id" : "ip.id", &p->id, k->id, why, wl) ||
	    !mflag("ip.df", p->df, k->df, why, wl) ||
	    !mrange(v6 ? "ip6.frag.off" : "ip.off", &p->off, k->off, why, wl) ||
	    !mflag(v6 ? "ip6.frag.mf" : "ip.mf", p->mf, k->mf, why, wl) ||
	    !mrange(v6 ? "ip6.len" : "ip.len", &p->iplen, k->iplen, why, wl))
		return (0);
	if (p->ipopt_set && (p->ipopt_len != k->ipopt_len ||
	    memcmp(p->ipopt, k->ipopt, p->ipopt_len) != 0)) {
		pkt_ipopt_format(p->ipopt, p->ipopt_len, e, sizeof(e));
		pkt_ipopt_format(k->ipopt, k->ipopt_len, a, sizeof(a));
		diag_errf(why, wl, "field ip.opt: expected %s vs actual %s",
		    e[0] != '\0' ? e : "none", a[0] != '\0' ? a : "none");
		return (0);
	}
	return (1);
}

/* One TCP option the pattern names: present, and its values in range. */
static int
match_topt(const struct pkt_pat *p, uint8_t kind, const struct pkt_tcpopts *t,
    char *why, size_t wl)
{
	static const char *const names[] = { [PKT_TCPOPT_MSS] = "tcp.mss",
	    [PKT_TCPOPT_WSCALE] = "tcp.wscale", [PKT_TCPOPT_SACKOK] = "tcp.sackOK",
	    [PKT_TCPOPT_SACK] = "tcp.sack", [PKT_TCPOPT_TS] = "tcp.ts" };
	int has = kind == PKT_TCPOPT_MSS ? t->has_mss : kind == PKT_TCPOPT_WSCALE ?
	    t->has_wscale : kind == PKT_TCPOPT_SACKOK ? t->sackok : kind ==
	    PKT_TCPOPT_SACK ? t->nsack > 0 : t->has_ts;
	char e[128], a[128];
	size_t o;
	int i;

	if (!has) {
		diag_errf(why, wl, "field %s: expected %s vs actual none", names[kind],
		    kind == PKT_TCPOPT_SACKOK ? "present" : "an option");
		return (0);
	}
	switch (kind) {
	case PKT_TCPOPT_MSS:
		return (mrange("tcp.mss", &p->mss, t->mss, why, wl));
	case PKT_TCPOPT_WSCALE:
		return (mrange("tcp.wscale", &p->wscale, t->wscale, why, wl));
	case PKT_TCPOPT_TS:
		return (mrange("tcp.tsval", &p->tsval, t->tsval, why, wl) &&
		    mrange("tcp.tsecr", &p->tsecr, t->tsecr, why, wl));
	case PKT_TCPOPT_SACK:
		if (p->nsack == t->nsack) {
			for (i = 0; i < p->nsack; i++)
				if (p->sack[i][0] != t->sack[i][0] ||
				    p->sack[i][1] != t->sack[i][1])
					break;
			if (i == p->nsack)
				return (1);
		}
		for (i = 0, o = 0; i < p->nsack && o < sizeof(e); i++)
			o += (size_t)snprintf(e + o, sizeof(e) - o, "%s%u-%u", i ? " " : "",
			    p->sack[i][0], p->sack[i][1]);
		for (i = 0, o = 0; i < t->nsack && o < sizeof(a); i++)
			o += (size_t)snprintf(a + o, sizeof(a) - o, "%s%u-%u", i ? " " : "",
			    t->sack[i][0], t->sack[i][1]);
		diag_errf(why, wl, "field tcp.sack: expected %s vs actual %s", e, a);
		return (0);
	}
	return (1);
}

/* The TCP header's urgent pointer and options. */
static int
match_tcp(const struct pkt_pat *p, const struct pkt *k, char *why, size_t wl)
{
	struct pkt_tcpopts t;
	int i;

	if (!mrange("tcp.urg", &p->urg, k->urg, why, wl))
		return (0);
	if (p->ntopt == 0)
		return (1);
	if (pkt_tcpopt_read(k->tcpopt, k->tcpopt_len, &t) == -1) {
		diag_errf(why, wl, "field tcp.options: malformed");
		return (0);
	}
	for (i = 0; i < p->ntopt; i++)
		if (p->topt[i] != PKT_TCPOPT_NOP && p->topt[i] != PKT_TCPOPT_EOL &&
		    !match_topt(p, p->topt[i], &t, why, wl))
			return (0);
	return (1);
}

/* A fragment without its transport header: the pattern may not ask for it. */
static int
match_no_l4(const struct pkt_pat *p, const struct pkt *k, char *why, size_t wl)
{
	const char *pn = pkt_proto_name(p->proto), *what = NULL;

	if (p->sport.set)
		what = "sport";
	else if (p->dport.set)
		what = "dport";
	else if (p->flags_set || p->seq.set || p->ack.set || p->win.set || p->urg.set ||
	    p->ntopt > 0)
		what = "header";
	else if (p->icmp != PKT_ICMP_NONE)
		what = "type";
	if (what == NULL)
		return (1);
	diag_errf(why, wl, "field %s.%s: expected one vs actual none (a fragment at offset "
	    "%u carries no %s header)", pn, what, k->off, pn);
	return (0);
}

int
pkt_match_fields(const struct pkt_pat *p, const struct pkt *k, char *why, size_t wl)
{
	const char *pn = pkt_proto_name(p->proto);
	char f1[10], f2[10], fs[16];
	int is_icmp = p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6;

	if (p->proto != k->proto) {
		diag_errf(why, wl, "field proto: expected %s vs actual %s", pn,
		    pkt_proto_name(k->proto));
		return (0);
	}
	if (!maddr("ip.src", p->src_any || p->src.af == 0, &p->src, &k->src, why, wl) ||
	    !maddr("ip.dst", p->dst_any || p->dst.af == 0, &p->dst, &k->dst, why, wl) ||
	    !match_ip(p, k, why, wl))
		return (0);
	if (k->no_l4) {
		if (!match_no_l4(p, k, why, wl))
			return (0);
		goto data;
	}
	if (is_icmp && p->icmp != PKT_ICMP_NONE && p->icmp != k->icmp) {
		const char *a = pkt_icmp_name(k->icmp);
		char other[16];

		if (a == NULL) {
			snprintf(other, sizeof(other), "type-%u/%u", k->icmp_type,
			    k->icmp_code);
			a = other;
		}
		diag_errf(why, wl, "field %s.type: expected %s vs actual %s", pn,
		    pkt_icmp_name(p->icmp), a);
		return (0);
	}
	snprintf(fs, sizeof(fs), "%s.%s", pn, is_icmp ? "id" : "sport");
	if (!mrange(fs, &p->sport, k->sport, why, wl))
		return (0);
	snprintf(fs, sizeof(fs), "%s.dport", pn);
	if (!is_icmp && !mrange(fs, &p->dport, k->dport, why, wl))
		return (0);
	if (p->flags_set && p->flags != k->flags) {
		diag_errf(why, wl, "field tcp.flags: expected %s vs actual %s",
		    pkt_flags_format(p->flags, f1), pkt_flags_format(k->flags, f2));
		return (0);
	}
	snprintf(fs, sizeof(fs), "%s.seq", pn);
	if (!mrange(fs, &p->seq, is_icmp ? k->icmp_seq : k->seq, why, wl) ||
	    !mrange("tcp.ack", &p->ack, k->ack, why, wl) ||
	    !mrange("tcp.win", &p->win, k->win, why, wl) ||
	    (p->proto == IPPROTO_TCP && !match_tcp(p, k, why, wl)))
		return (0);
data:
	if (!mrange("len", &p->len, (uint32_t)k->len, why, wl))
		return (0);
	if (p->payload_set && (p->payload_len != k->len ||
	    memcmp(p->payload, k->payload, k->len) != 0)) {
		char e[128], a[128];

		pkt_string_format(p->payload, p->payload_len, e, sizeof(e));
		pkt_string_format(k->payload, k->len, a, sizeof(a));
		diag_errf(why, wl, "field payload: expected %s vs actual %s", e, a);
		return (0);
	}
	if (p->quote_set && !match_quote(p, k, why, wl))
		return (0);
	return (match_sums(p, k, why, wl));
}
