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

/* `$NAME` when the pattern names a variable for field f, else NULL. */
static const char *
var_of(const struct pkt_pat *p, enum pkt_field f, char *buf, size_t len)
{
	int i;

	if (p == NULL)
		return (NULL);
	for (i = 0; i < p->nvar; i++)
		if (p->var[i].field == f) {
			if (p->var[i].add == 0)
				snprintf(buf, len, "$%s", p->var[i].name);
			else if (p->var[i].add < 0x80000000U)
				snprintf(buf, len, "$%s+%u", p->var[i].name, p->var[i].add);
			else
				snprintf(buf, len, "$%s-%u", p->var[i].name,
				    0U - p->var[i].add);
			return (buf);
		}
	return (NULL);
}

/* A value: the variable, `*` when not written, N or LOW-HIGH. */
static char *
val_str(const struct pkt_pat *p, enum pkt_field f, const struct pkt_range *r, char *buf,
    size_t len)
{
	if (var_of(p, f, buf, len) != NULL)
		return (buf);
	if (!r->set)
		snprintf(buf, len, "*");
	else if (r->lo == r->hi)
		snprintf(buf, len, "%u", r->lo);
	else
		snprintf(buf, len, "%u-%u", r->lo, r->hi);
	return (buf);
}

/* 1 when a quote of protocol proto is an ICMP(v6) echo (its id written `id N`). */
static int
quote_echo(int proto)
{
	return (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6);
}

/* " echo-reply" for a quoted echo reply, "" otherwise: a quoted echo request is
 * written without its type, as before types could be written. */
static const char *
quote_type(int proto, enum pkt_icmp t)
{
	return (quote_echo(proto) && t == PKT_ICMP_ECHO_REPLY ? " echo-reply" : "");
}

/* ADDR or [ADDR] (IPv6 with a port), `*`, `$NAME`; with `:PORT` when with_port (2:
 * only when the port is written). */
static void
endpoint_format(const struct pkt_pat *p, enum pkt_field fa, enum pkt_field fp,
    const struct pkt_addr *a, int any, const struct pkt_range *port, int with_port,
    char *buf, size_t len)
{
	char as[INET6_ADDRSTRLEN + 2], ps[32];
	int br;

	if (var_of(p, fa, as, sizeof(as)) != NULL)
		br = 0;
	else if (any) {
		snprintf(as, sizeof(as), "*");
		br = 0;
	} else {
		pkt_addr_format(a, as, sizeof(as));
		br = a->af == AF_INET6;
	}
	if (with_port == 2 && !port->set && var_of(p, fp, ps, sizeof(ps)) == NULL)
		with_port = 0;
	if (!with_port) {
		snprintf(buf, len, br ? "[%s]" : "%s", as);
		return;
	}
	val_str(p, fp, port, ps, sizeof(ps));
	snprintf(buf, len, br ? "[%s]:%s" : "%s:%s", as, ps);
}

static void
range_app(char *buf, size_t len, size_t *o, const struct pkt_pat *p, enum pkt_field f,
    const char *name, const struct pkt_range *r)
{
	char v[32];

	if (r->set || var_of(p, f, v, sizeof(v)) != NULL)
		app(buf, len, o, " %s %s", name, val_str(p, f, r, v, sizeof(v)));
}

static void
head_format(int proto, int ipfrag, enum pkt_icmp icmp, uint8_t type, uint8_t code,
    const char *s, const char *d, char *buf, size_t len, size_t *o)
{
	const char *n = pkt_icmp_name(icmp);

	app(buf, len, o, "%s%s", pkt_proto_name(proto), ipfrag ? " frag" : "");
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP || (ipfrag && icmp ==
	    PKT_ICMP_NONE))
		app(buf, len, o, " %s > %s", s, d);
	else if (n != NULL)
		app(buf, len, o, " %s %s > %s", n, s, d);
	else
		app(buf, len, o, " type-%u/%u %s > %s", type, code, s, d);
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

/* The IP header's fields a packet holds that are not the defaults. */
static void
ip_fields(const struct pkt *k, char *buf, size_t len, size_t *o)
{
	int v6 = k->src.af == AF_INET6, icmp = k->proto == IPPROTO_ICMP ||
	    k->proto == IPPROTO_ICMPV6;
	char opt[256];

	if (k->ttl_set || (k->ttl != 0 && k->ttl != 64))
		app(buf, len, o, " %s %u", v6 ? "hlim" : "ttl", k->ttl);
	if (k->tos != 0)
		app(buf, len, o, " %s 0x%02x", v6 ? "tclass" : "tos", k->tos);
	if (k->id_set || k->ipfrag)
		app(buf, len, o, " %s %u", icmp ? "ipid" : "id", k->id);
	if (k->df)
		app(buf, len, o, " df");
	if (k->ipfrag) {
		app(buf, len, o, " off %u%s", k->off, k->mf ? " mf" : "");
		if (k->iplen != 0)
			app(buf, len, o, " iplen %u", k->iplen);
	}
	if (k->ipopt_len > 0) {
		pkt_ipopt_format(k->ipopt, k->ipopt_len, opt, sizeof(opt));
		app(buf, len, o, " ipopt %s", opt[0] != '\0' ? opt : "eol");
	}
	if (k->cksum_bad)
		app(buf, len, o, " cksum bad");
	if (k->cksum_none)
		app(buf, len, o, " cksum none");
}

char *
pkt_format(const struct pkt *k, char *buf, size_t len)
{
	char s[64], d[64], f[10], str[PKT_PAYLOAD_MAX * 4 + 3], opt[256];
	struct pkt_range sp = { 1, k->sport, k->sport }, dp = { 1, k->dport, k->dport };
	int wp = k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP;
	int l4 = !k->no_l4;
	size_t o = 0;

	if (len == 0)
		return (buf);
	buf[0] = '\0';
	if (k->ipfrag && (!l4 || (k->sport == 0 && k->dport == 0)))
		sp.set = dp.set = 0;
	endpoint_format(NULL, PKT_F_SRC, PKT_F_SPORT, &k->src, 0, &sp, wp ? 2 : 0, s,
	    sizeof(s));
	endpoint_format(NULL, PKT_F_DST, PKT_F_DPORT, &k->dst, 0, &dp, wp ? 2 : 0, d,
	    sizeof(d));
	head_format(k->proto, k->ipfrag, l4 ? k->icmp : PKT_ICMP_NONE, k->icmp_type,
	    k->icmp_code, s, d, buf, len, &o);
	if (k->proto == IPPROTO_TCP && l4) {
		app(buf, len, &o, " %s seq %u", pkt_flags_format(k->flags, f), k->seq);
		if (k->ack != 0 || (k->flags & PKT_TH_ACK))
			app(buf, len, &o, " ack %u", k->ack);
		app(buf, len, &o, " win %u", k->win);
		if (k->urg != 0)
			app(buf, len, &o, " urg %u", k->urg);
		if (k->tcpopt_len > 0) {
			pkt_tcpopt_format(k->tcpopt, k->tcpopt_len, opt, sizeof(opt));
			app(buf, len, &o, " %s", opt[0] != '\0' ? opt : "eol");
		}
	}
	if (l4 && (k->icmp == PKT_ICMP_ECHO_REQUEST || k->icmp == PKT_ICMP_ECHO_REPLY))
		app(buf, len, &o, " id %u seq %u", k->sport, k->icmp_seq);
	if (k->len > 0 && (k->icmp != PKT_ICMP_NONE || all_zero(k->payload, k->len)))
		app(buf, len, &o, " len %zu", k->len);
	else if (k->len > 0) {
		pkt_string_format(k->payload, k->len, str, sizeof(str));
		app(buf, len, &o, " %s", str);
	}
	ip_fields(k, buf, len, &o);
	if (k->frag)
		app(buf, len, &o, " frag %u%s", k->frag, k->frag_reverse ? " reverse" : "");
	if (k->has_quote) {
		int qp = k->quote.proto == IPPROTO_TCP || k->quote.proto == IPPROTO_UDP;

		sp.set = dp.set = 1;
		sp.lo = sp.hi = k->quote.sport;
		dp.lo = dp.hi = k->quote.dport;
		endpoint_format(NULL, PKT_F_QSRC, PKT_F_QSPORT, &k->quote.src, 0, &sp, qp,
		    s, sizeof(s));
		endpoint_format(NULL, PKT_F_QDST, PKT_F_QDPORT, &k->quote.dst, 0, &dp, qp,
		    d, sizeof(d));
		app(buf, len, &o, " quote %s%s %s > %s", pkt_proto_name(k->quote.proto),
		    quote_type(k->quote.proto, k->quote.icmp), s, d);
		if (quote_echo(k->quote.proto) && k->quote.sport != 0)
			app(buf, len, &o, " id %u", k->quote.sport);
	}
	return (buf);
}

/* The header fields of a pattern, in the order pkt_format writes them. */
static void
pat_fields(const struct pkt_pat *p, char *buf, size_t len, size_t *o)
{
	int v6 = p->src.af == AF_INET6 || p->dst.af == AF_INET6;
	int icmp = p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6;
	char opt[256];

	range_app(buf, len, o, p, PKT_F_TTL, v6 ? "hlim" : "ttl", &p->ttl);
	range_app(buf, len, o, p, PKT_F_TOS, v6 ? "tclass" : "tos", &p->tos);
	range_app(buf, len, o, p, PKT_F_ID, icmp ? "ipid" : "id", &p->id);
	if (p->df)
		app(buf, len, o, " %sdf", p->df == PKT_NO ? "no-" : "");
	range_app(buf, len, o, p, PKT_F_OFF, "off", &p->off);
	if (p->mf)
		app(buf, len, o, " %smf", p->mf == PKT_NO ? "no-" : "");
	range_app(buf, len, o, p, PKT_F_IPLEN, "iplen", &p->iplen);
	if (p->ipopt_set) {
		pkt_ipopt_format(p->ipopt, p->ipopt_len, opt, sizeof(opt));
		app(buf, len, o, " ipopt %s", p->ipopt_len == 0 ? "none" :
		    opt[0] != '\0' ? opt : "eol");
	}
	if (p->cksum_bad)
		app(buf, len, o, " cksum bad");
	if (p->cksum_none)
		app(buf, len, o, " cksum none");
}

/* The TCP options of a pattern, in the order written. */
static void
pat_tcpopts(const struct pkt_pat *p, char *buf, size_t len, size_t *o)
{
	char a[32], b[32];
	int i, k;

	for (i = 0; i < p->ntopt; i++)
		switch (p->topt[i]) {
		case PKT_TCPOPT_EOL:
			app(buf, len, o, " eol");
			break;
		case PKT_TCPOPT_NOP:
			app(buf, len, o, " nop");
			break;
		case PKT_TCPOPT_MSS:
			range_app(buf, len, o, p, PKT_F_MSS, "mss", &p->mss);
			break;
		case PKT_TCPOPT_WSCALE:
			range_app(buf, len, o, p, PKT_F_WSCALE, "wscale", &p->wscale);
			break;
		case PKT_TCPOPT_SACKOK:
			app(buf, len, o, " sackOK");
			break;
		case PKT_TCPOPT_TS:
			app(buf, len, o, " ts %s %s",
			    val_str(p, PKT_F_TSVAL, &p->tsval, a, sizeof(a)),
			    val_str(p, PKT_F_TSECR, &p->tsecr, b, sizeof(b)));
			break;
		case PKT_TCPOPT_SACK:
			app(buf, len, o, " sack");
			for (k = 0; k < p->nsack; k++)
				app(buf, len, o, " %u-%u", p->sack[k][0], p->sack[k][1]);
			break;
		}
}

char *
pkt_pat_format(const struct pkt_pat *p, char *buf, size_t len)
{
	char s[64], d[64], f[10], str[PKT_PAYLOAD_MAX * 4 + 3];
	int wp = p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP;
	int is_icmp = p->icmp != PKT_ICMP_NONE;
	size_t o = 0;

	if (len == 0)
		return (buf);
	buf[0] = '\0';
	endpoint_format(p, PKT_F_SRC, PKT_F_SPORT, &p->src, p->src_any, &p->sport,
	    wp ? (p->ipfrag ? 2 : 1) : 0, s, sizeof(s));
	endpoint_format(p, PKT_F_DST, PKT_F_DPORT, &p->dst, p->dst_any, &p->dport,
	    wp ? (p->ipfrag ? 2 : 1) : 0, d, sizeof(d));
	head_format(p->proto, p->ipfrag, p->icmp, 0, 0, s, d, buf, len, &o);
	if (p->flags_set)
		app(buf, len, &o, " %s", pkt_flags_format(p->flags, f));
	if (is_icmp)
		range_app(buf, len, &o, p, PKT_F_SPORT, "id", &p->sport);
	range_app(buf, len, &o, p, PKT_F_SEQ, "seq", &p->seq);
	range_app(buf, len, &o, p, PKT_F_ACK, "ack", &p->ack);
	range_app(buf, len, &o, p, PKT_F_WIN, "win", &p->win);
	range_app(buf, len, &o, p, PKT_F_URG, "urg", &p->urg);
	pat_tcpopts(p, buf, len, &o);
	range_app(buf, len, &o, p, PKT_F_LEN, "len", &p->len);
	if (p->payload_set) {
		pkt_string_format(p->payload, p->payload_len, str, sizeof(str));
		app(buf, len, &o, " %s", str);
	}
	pat_fields(p, buf, len, &o);
	if (p->quote_set) {
		int qp = p->quote_proto == IPPROTO_TCP || p->quote_proto == IPPROTO_UDP;

		endpoint_format(p, PKT_F_QSRC, PKT_F_QSPORT, &p->quote_src,
		    p->quote_src_any, &p->quote_sport, qp, s, sizeof(s));
		endpoint_format(p, PKT_F_QDST, PKT_F_QDPORT, &p->quote_dst,
		    p->quote_dst_any, &p->quote_dport, qp, d, sizeof(d));
		app(buf, len, &o, " quote %s%s %s > %s", p->quote_proto == 0 ? "*" :
		    pkt_proto_name(p->quote_proto), p->quote_icmp == PKT_ICMP_ECHO_REQUEST ?
		    " echo-request" : quote_type(p->quote_proto, p->quote_icmp), s, d);
		if (quote_echo(p->quote_proto))
			range_app(buf, len, &o, p, PKT_F_QSPORT, "id", &p->quote_sport);
	}
	return (buf);
}
