/* pkt_format.c: the packet notation written back: a packet or an expectation pattern
 * as text that pkt_parse / pkt_pat_parse read (pkt_text.c says the notation). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pkt.h"
#include "pkt_impl.h"

/* Append to buf at *o, never past len. */
static void
app(char *buf, size_t len, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*o >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *o, len - *o, fmt, ap);
	va_end(ap);
	if (n > 0)
		*o += (size_t)n < len - *o ? (size_t)n : len - *o - 1;
}

static void
endpoint_format(const struct pkt_addr *a, int any, const struct pkt_range *port,
    int with_port, char *buf, size_t len)
{
	char as[INET6_ADDRSTRLEN], ps[24];

	if (any)
		snprintf(as, sizeof(as), "*");
	else
		pkt_addr_format(a, as, sizeof(as));
	if (!with_port) {
		snprintf(buf, len, a->af == AF_INET6 && !any ? "[%s]" : "%s", as);
		return;
	}
	if (!port->set)
		snprintf(ps, sizeof(ps), "*");
	else if (port->lo == port->hi)
		snprintf(ps, sizeof(ps), "%u", port->lo);
	else
		snprintf(ps, sizeof(ps), "%u-%u", port->lo, port->hi);
	snprintf(buf, len, a->af == AF_INET6 && !any ? "[%s]:%s" : "%s:%s", as, ps);
}

static void
range_app(char *buf, size_t len, size_t *o, const char *name, const struct pkt_range *r)
{
	if (!r->set)
		return;
	if (r->lo == r->hi)
		app(buf, len, o, " %s %u", name, r->lo);
	else
		app(buf, len, o, " %s %u-%u", name, r->lo, r->hi);
}

static void
head_format(int proto, enum pkt_icmp icmp, uint8_t type, uint8_t code, const char *s,
    const char *d, char *buf, size_t len, size_t *o)
{
	const char *n = pkt_icmp_name(icmp);

	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP)
		app(buf, len, o, "%s %s > %s", pkt_proto_name(proto), s, d);
	else if (n != NULL)
		app(buf, len, o, "%s %s %s > %s", pkt_proto_name(proto), n, s, d);
	else
		app(buf, len, o, "%s type-%u/%u %s > %s", pkt_proto_name(proto), type, code, s, d);
}

static int
all_zero(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return (0);
	return (1);
}

char *
pkt_format(const struct pkt *k, char *buf, size_t len)
{
	char s[64], d[64], f[8], str[PKT_PAYLOAD_MAX * 4 + 3];
	struct pkt_range sp = { 1, k->sport, k->sport }, dp = { 1, k->dport, k->dport };
	int wp = k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP;
	size_t o = 0;

	if (len == 0)
		return (buf);
	buf[0] = '\0';
	endpoint_format(&k->src, 0, &sp, wp, s, sizeof(s));
	endpoint_format(&k->dst, 0, &dp, wp, d, sizeof(d));
	head_format(k->proto, k->icmp, k->icmp_type, k->icmp_code, s, d, buf, len, &o);
	if (k->proto == IPPROTO_TCP) {
		app(buf, len, &o, " %s seq %u", pkt_flags_format(k->flags, f), k->seq);
		if (k->ack != 0 || (k->flags & PKT_TH_ACK))
			app(buf, len, &o, " ack %u", k->ack);
		app(buf, len, &o, " win %u", k->win);
	}
	if (k->icmp == PKT_ICMP_ECHO_REQUEST || k->icmp == PKT_ICMP_ECHO_REPLY)
		app(buf, len, &o, " id %u seq %u", k->sport, k->icmp_seq);
	if (k->len > 0 && (k->icmp != PKT_ICMP_NONE || all_zero(k->payload, k->len)))
		app(buf, len, &o, " len %zu", k->len);
	else if (k->len > 0) {
		pkt_string_format(k->payload, k->len, str, sizeof(str));
		app(buf, len, &o, " %s", str);
	}
	if (k->frag)
		app(buf, len, &o, " frag %u%s", k->frag, k->frag_reverse ? " reverse" : "");
	if (k->has_quote) {
		int qp = k->quote.proto == IPPROTO_TCP || k->quote.proto == IPPROTO_UDP;

		sp.lo = sp.hi = k->quote.sport;
		dp.lo = dp.hi = k->quote.dport;
		endpoint_format(&k->quote.src, 0, &sp, qp, s, sizeof(s));
		endpoint_format(&k->quote.dst, 0, &dp, qp, d, sizeof(d));
		app(buf, len, &o, " quote %s %s > %s", pkt_proto_name(k->quote.proto), s, d);
	}
	return (buf);
}

char *
pkt_pat_format(const struct pkt_pat *p, char *buf, size_t len)
{
	char s[64], d[64], f[8], str[PKT_PAYLOAD_MAX * 4 + 3];
	int wp = p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP;
	int is_icmp = p->icmp != PKT_ICMP_NONE;
	size_t o = 0;

	if (len == 0)
		return (buf);
	buf[0] = '\0';
	endpoint_format(&p->src, p->src_any, &p->sport, wp, s, sizeof(s));
	endpoint_format(&p->dst, p->dst_any, &p->dport, wp, d, sizeof(d));
	head_format(p->proto, p->icmp, 0, 0, s, d, buf, len, &o);
	if (p->flags_set)
		app(buf, len, &o, " %s", pkt_flags_format(p->flags, f));
	if (is_icmp)
		range_app(buf, len, &o, "id", &p->sport);
	range_app(buf, len, &o, "seq", &p->seq);
	range_app(buf, len, &o, "ack", &p->ack);
	range_app(buf, len, &o, "win", &p->win);
	range_app(buf, len, &o, "len", &p->len);
	if (p->payload_set) {
		pkt_string_format(p->payload, p->payload_len, str, sizeof(str));
		app(buf, len, &o, " %s", str);
	}
	if (p->quote_set) {
		int qp = p->quote_proto == IPPROTO_TCP || p->quote_proto == IPPROTO_UDP;

		endpoint_format(&p->quote_src, p->quote_src_any, &p->quote_sport, qp,
		    s, sizeof(s));
		endpoint_format(&p->quote_dst, p->quote_dst_any, &p->quote_dport, qp,
		    d, sizeof(d));
		app(buf, len, &o, " quote %s %s > %s", pkt_proto_name(p->quote_proto), s, d);
	}
	return (buf);
}
