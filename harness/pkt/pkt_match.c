/* pkt_match.c: does a packet meet an expectation; the first field that does not, named. */
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
		    pkt_proto_name(p->quote_proto));
		return (0);
	}
	if (p->quote_proto != k->quote.proto) {
		diag_errf(why, wl, "field quote.proto: expected %s vs actual %s",
		    pkt_proto_name(p->quote_proto), pkt_proto_name(k->quote.proto));
		return (0);
	}
	if (!maddr("quote.ip.src", p->quote_src_any, &p->quote_src, &k->quote.src, why, wl) ||
	    !maddr("quote.ip.dst", p->quote_dst_any, &p->quote_dst, &k->quote.dst, why, wl))
		return (0);
	if (k->quote.proto != IPPROTO_TCP && k->quote.proto != IPPROTO_UDP)
		return (1);
	return (mrange(tcp ? "quote.tcp.sport" : "quote.udp.sport", &p->quote_sport,
	    k->quote.sport, why, wl) &&
	    mrange(tcp ? "quote.tcp.dport" : "quote.udp.dport", &p->quote_dport,
	    k->quote.dport, why, wl));
}

static int
match_sums(const struct pkt *k, char *why, size_t wl)
{
	const char *l4 = k->proto == IPPROTO_TCP ? "tcp.sum" :
	    k->proto == IPPROTO_UDP ? "udp.sum" :
	    k->proto == IPPROTO_ICMP ? "icmp.sum" : "icmp6.sum";

	if (!k->ip_sum_ok) {
		diag_errf(why, wl, "field ip.sum: bad checksum");
		return (0);
	}
	if (!k->l4_sum_ok) {
		diag_errf(why, wl, "field %s: bad checksum", l4);
		return (0);
	}
	if (k->has_quote && !k->quote_sum_ok) {
		diag_errf(why, wl, "field quote.ip.sum: bad checksum");
		return (0);
	}
	return (1);
}

int
pkt_match(const struct pkt_pat *p, const struct pkt *k, char *why, size_t wl)
{
	const char *pn = pkt_proto_name(p->proto);
	char f1[8], f2[8], fs[16];
	int is_icmp = p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6;

	if (p->proto != k->proto) {
		diag_errf(why, wl, "field proto: expected %s vs actual %s", pn,
		    pkt_proto_name(k->proto));
		return (0);
	}
	if (!maddr("ip.src", p->src_any, &p->src, &k->src, why, wl) ||
	    !maddr("ip.dst", p->dst_any, &p->dst, &k->dst, why, wl))
		return (0);
	if (is_icmp && p->icmp != k->icmp) {
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
	    !mrange("len", &p->len, (uint32_t)k->len, why, wl))
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
	return (match_sums(k, why, wl));
}
