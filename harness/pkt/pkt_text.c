/* pkt_text.c: the packet notation: parse packets and expectation patterns (a line as
 * tcpdump prints it goes to pkt_tcpdump.c; the header-field words to pkt_field.c). */
/*
 * Notation (DESIGN.md, "Scenario format"), one packet per string:
 *   tcp [frag] SRC:PORT > DST:PORT [FLAGS] [seq N] [ack N] [win N] [len N] ["payload"]
 *   udp [frag] SRC:PORT > DST:PORT [len N] ["payload"]
 *   icmp [frag] TYPE SRC > DST [id N] [seq N] [len N] [quote PROTO SRC[:PORT] > DST[:PORT]]
 *                 (a quoted echo: quote icmp [echo-request|echo-reply] SRC > DST [id N])
 *   icmp6 ...         (the same, IPv6 addresses)
 * then any header field of pkt_field.c (ttl, tos, id, df, off, mf, iplen, ipopt, mss,
 * wscale, sackOK, ts, sack, nop, eol, urg, cksum bad, payload), in any order (TCP
 * options are built in the order written); `quote` comes last.
 * FLAGS are letters from S F R P A U E W (written in that order: SA, RA, FA, FPA) or `.`
 * for none. TYPE: echo-request echo-reply unreach-port unreach-host unreach-needfrag
 * timex unreach-net (IPv4 net unreachable, IPv6 no route). IPv6 addresses go in brackets when a port follows: [2001:db8::1]:80.
 * `quote` describes the header an ICMP error carries (the packet that caused it); in an
 * expectation its PROTO may be `*` (then its ports are not written).
 * `frag` after the protocol: the packet is one IP fragment (`id`, `off` in bytes, `mf`)
 * of the whole packet the rest describes; ports may then be left out (0).
 * `frag N [reverse]` after the addresses (packets to send, not expectations): send the
 * packet as IP fragments carrying N bytes of IP payload each (N a multiple of 8,
 * 8-1480; the last fragment carries the rest), first to last, or last to first.
 * Payload strings take C escapes: \n \r \t \\ \" \xHH.
 * In patterns an address, port or number may be `*` and a number LOW-HIGH;
 * a field not written matches anything. Anywhere a value may be `$NAME` (pkt_var.c).
 * Defaults of a concrete packet when not written: seq 1000, ack 0, win 65535, no flags,
 * ICMP echo id 1 seq 1, payload empty (`len N` alone: N zero bytes), TTL 64, TOS 0,
 * no DF, no options.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "pkt.h"
#include "pkt_impl.h"

#define PKT_TOK_MAX	64

struct tokens {
	char	*tok[PKT_TOK_MAX];
	int	 n, i;
	char	 store[4096];
};

/* Split into tokens; a double-quoted string is one token (kept with its quotes). */
static int
tokenize(const char *text, struct tokens *t, char *err, size_t errlen)
{
	const char *p = text;
	char *o = t->store, *end = t->store + sizeof(t->store) - 1;

	t->n = t->i = 0;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			return (0);
		if (t->n == PKT_TOK_MAX) {
			diag_errf(err, errlen, "too many words");
			return (-1);
		}
		t->tok[t->n++] = o;
		if (*p == '"') {
			*o++ = *p++;
			while (*p != '\0' && *p != '"' && o < end) {
				if (*p == '\\' && p[1] != '\0')
					*o++ = *p++;
				*o++ = *p++;
			}
			if (*p != '"') {
				diag_errf(err, errlen, "unterminated string");
				return (-1);
			}
			*o++ = *p++;
		} else
			while (*p != '\0' && !isspace((unsigned char)*p) && o < end)
				*o++ = *p++;
		if (o >= end) {
			diag_errf(err, errlen, "packet text too long");
			return (-1);
		}
		*o++ = '\0';
	}
}

/* A port: N, `*`, LOW-HIGH or `$NAME`. */
static int
port_parse(struct pkt_pat *p, enum pkt_field f, const char *s, struct pkt_range *r)
{
	return (pkt_value_parse(p, f, "port", s, 65535, r, NULL, 0));
}

/* ADDR, [ADDR], `*` or `$NAME`, with `:PORT` when want_port (2: the port may be left
 * out). The address and port fields fa, fp name a variable's place. */
static int
endpoint_parse(struct pkt_pat *p, const char *s, int want_port, enum pkt_field fa,
    enum pkt_field fp, int *any, struct pkt_addr *a, struct pkt_range *port,
    char *err, size_t errlen)
{
	char host[64];
	const char *ps = NULL, *close;
	size_t hl;

	*any = 0;
	memset(a, 0, sizeof(*a));
	if (s[0] == '[') {
		if ((close = strchr(s, ']')) == NULL)
			goto bad;
		hl = close - s - 1;
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		if (close[1] == ':')
			ps = close + 2;
		else if (close[1] != '\0')
			goto bad;
		if (host[0] == '$') {
			if (pkt_var_ref(p, fa, host, err, errlen) == -1)
				return (-1);
		} else if (pkt_addr_parse(host, a) == -1 || a->af != AF_INET6)
			goto bad;
	} else {
		const char *colon = strrchr(s, ':');

		if (want_port && colon != NULL && strchr(s, ':') == colon) {
			hl = colon - s;
			ps = colon + 1;
		} else
			hl = strlen(s);
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, s, hl);
		host[hl] = '\0';
		if (strcmp(host, "*") == 0)
			*any = 1;
		else if (host[0] == '$') {
			if (pkt_var_ref(p, fa, host, err, errlen) == -1)
				return (-1);
		} else if (pkt_addr_parse(host, a) == -1 ||
		    (want_port && ps != NULL && a->af == AF_INET6))
			goto bad;
	}
	if (want_port) {
		if (ps == NULL && want_port == 1) {
			diag_errf(err, errlen, "missing port in \"%s\"", s);
			return (-1);
		}
		if (ps != NULL && port_parse(p, fp, ps, port) == -1) {
			diag_errf(err, errlen, "bad port in \"%s\"", s);
			return (-1);
		}
	} else if (ps != NULL) {
		diag_errf(err, errlen, "no port expected in \"%s\"", s);
		return (-1);
	}
	return (0);
bad:
	diag_errf(err, errlen, "bad address \"%s\"", s);
	return (-1);
}

/* The `quote PROTO SRC[:PORT] > DST[:PORT]` tail; a quoted ICMP echo (what an error
 * about a ping quotes) may name its type and id: `quote icmp [echo-request|echo-reply]
 * SRC > DST [id N]`. */
static int
quote_parse(struct tokens *t, struct pkt_pat *p, char *err, size_t errlen)
{
	int wp, echo;
	enum pkt_icmp e;

	if (t->n - t->i < 4)
		goto usage;
	if (strcmp(t->tok[t->i], "*") == 0)
		p->quote_proto = 0;	/* any: an expectation's (tcpdump does not say) */
	else if ((p->quote_proto = pkt_proto_parse(t->tok[t->i])) == -1) {
		diag_errf(err, errlen, "unknown protocol \"%s\"", t->tok[t->i]);
		return (-1);
	}
	t->i++;
	echo = p->quote_proto == IPPROTO_ICMP || p->quote_proto == IPPROTO_ICMPV6;
	if (echo && ((e = pkt_icmp_parse(t->tok[t->i])) == PKT_ICMP_ECHO_REQUEST ||
	    e == PKT_ICMP_ECHO_REPLY)) {
		p->quote_icmp = e;
		t->i++;
	}
	if (t->n - t->i < 3 || strcmp(t->tok[t->i + 1], ">") != 0)
		goto usage;
	wp = p->quote_proto == IPPROTO_TCP || p->quote_proto == IPPROTO_UDP;
	if (endpoint_parse(p, t->tok[t->i], wp, PKT_F_QSRC, PKT_F_QSPORT,
	    &p->quote_src_any, &p->quote_src, &p->quote_sport, err, errlen) == -1 ||
	    endpoint_parse(p, t->tok[t->i + 2], wp, PKT_F_QDST, PKT_F_QDPORT,
	    &p->quote_dst_any, &p->quote_dst, &p->quote_dport, err, errlen) == -1)
		return (-1);
	t->i += 3;
	if (echo && t->n - t->i == 2 && strcmp(t->tok[t->i], "id") == 0) {
		if (pkt_value_parse(p, PKT_F_QSPORT, "id", t->tok[t->i + 1], 65535,
		    &p->quote_sport, err, errlen) == -1)
			return (-1);
		t->i += 2;
	}
	if (t->i != t->n)
		goto usage;
	p->quote_set = 1;
	return (0);
usage:
	diag_errf(err, errlen, "expected \"quote PROTO SRC > DST\" (a quoted echo: \"quote "
	    "icmp [echo-request|echo-reply] SRC > DST [id N]\")");
	return (-1);
}

/* `frag N [reverse]`, the word `frag` taken: N bytes of IP payload per fragment. */
static int
frag_parse(struct tokens *t, struct pkt_pat *p, char *err, size_t errlen)
{
	const char *v = t->i < t->n ? t->tok[t->i] : "";
	char *end;
	unsigned long n;

	n = strtoul(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 8 || n > 1480 || n % 8 != 0) {
		diag_errf(err, errlen, "bad value for frag: \"%s\" (fragment payload bytes: a "
		    "multiple of 8 from 8 to 1480)", v);
		return (-1);
	}
	p->frag = (uint16_t)n;
	t->i++;
	if (t->i < t->n && strcmp(t->tok[t->i], "reverse") == 0) {
		p->frag_reverse = 1;
		t->i++;
	}
	return (0);
}

/* The words after the addresses: flags, seq/ack/win/len/id N, "payload", quote, frag N,
 * and the header fields of pkt_field.c. */
static int
options_parse(struct tokens *t, struct pkt_pat *p, char *err, size_t errlen)
{
	int is_icmp = p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6, rc;
	int echo = p->icmp == PKT_ICMP_ECHO_REQUEST || p->icmp == PKT_ICMP_ECHO_REPLY;

	while (t->i < t->n) {
		const char *w = t->tok[t->i], *v = t->i + 1 < t->n ? t->tok[t->i + 1] : NULL;
		struct pkt_range *r = NULL;
		enum pkt_field f = PKT_F_SEQ;
		uint32_t max = 0xffffffffU;

		if (w[0] == '"') {
			if ((is_icmp && !echo) || pkt_string_parse(w, p->payload,
			    sizeof(p->payload), &p->payload_len) == -1) {
				diag_errf(err, errlen, "bad payload %s", w);
				return (-1);
			}
			p->payload_set = 1;
			t->i++;
			continue;
		}
		if (p->proto == IPPROTO_TCP && !p->flags_set && pkt_is_flags(w)) {
			p->flags_set = strcmp(w, "*") != 0;
			pkt_flags_parse(p->flags_set ? w : ".", &p->flags);
			t->i++;
			continue;
		}
		if (is_icmp && strcmp(w, "quote") == 0) {
			if (echo) {
				diag_errf(err, errlen, "an echo quotes nothing");
				return (-1);
			}
			t->i++;
			return (quote_parse(t, p, err, errlen));
		}
		if (strcmp(w, "seq") == 0 && p->proto != IPPROTO_UDP) {
			r = &p->seq;
			max = is_icmp ? 65535 : max;
		} else if (strcmp(w, "ack") == 0 && p->proto == IPPROTO_TCP) {
			r = &p->ack;
			f = PKT_F_ACK;
		} else if (strcmp(w, "win") == 0 && p->proto == IPPROTO_TCP) {
			r = &p->win;
			f = PKT_F_WIN;
			max = 65535;
		} else if (strcmp(w, "id") == 0 && is_icmp) {
			r = &p->sport;
			f = PKT_F_SPORT;
			max = 65535;
		} else if (strcmp(w, "len") == 0) {
			r = &p->len;
			f = PKT_F_LEN;
			max = PKT_PAYLOAD_MAX;
		} else if (strcmp(w, "frag") == 0) {
			t->i++;
			if (frag_parse(t, p, err, errlen) == -1)
				return (-1);
			continue;
		} else if ((rc = pkt_field_parse(p, t->tok, t->n, &t->i, err, errlen)) != 0) {
			if (rc == -1)
				return (-1);
			continue;
		} else {
			diag_errf(err, errlen, "unexpected \"%s\"", w);
			return (-1);
		}
		if (pkt_value_parse(p, f, w, v, max, r, err, errlen) == -1)
			return (-1);
		t->i += 2;
	}
	return (0);
}

static int	pat_parse(const char *, struct pkt_pat *, char *, size_t);

int
pkt_pat_parse(const char *text, struct pkt_pat *p, char *err, size_t errlen)
{
	if (pat_parse(text, p, err, errlen) == -1)
		return (-1);
	if (p->frag) {
		diag_errf(err, errlen, "`frag N` is only for packets to send (an expected "
		    "fragment is written `%s frag ...`)", pkt_proto_name(p->proto));
		return (-1);
	}
	if (p->ipfrag && p->len.set) {
		if (pkt_tcpdump_is(text)) {
			/* tcpdump's length of a first fragment is the whole datagram's:
			 * nothing to check in the fragment */
			memset(&p->len, 0, sizeof(p->len));
			return (0);
		}
		diag_errf(err, errlen, "len is the whole packet's; a fragment's size is "
		    "iplen");
		return (-1);
	}
	return (0);
}

/* 1 when the pattern names a variable for field f. */
static int
has_var(const struct pkt_pat *p, enum pkt_field f)
{
	int i;

	for (i = 0; i < p->nvar; i++)
		if (p->var[i].field == f)
			return (1);
	return (0);
}

/* The notation's own words (not a tcpdump line), after the tokens are made. */
static int
native_parse(struct tokens *t, struct pkt_pat *p, char *err, size_t errlen)
{
	int wp;

	if ((p->proto = pkt_proto_parse(t->tok[t->i++])) == -1) {
		diag_errf(err, errlen, "unknown protocol \"%s\"", t->tok[0]);
		return (-1);
	}
	if (t->i < t->n && strcmp(t->tok[t->i], "frag") == 0) {
		p->ipfrag = 1;
		t->i++;
	}
	wp = p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP;
	if (!wp) {
		if (t->i < t->n)
			p->icmp = pkt_icmp_parse(t->tok[t->i]);
		if (p->icmp != PKT_ICMP_NONE)
			t->i++;
		else if (!p->ipfrag || (t->i + 1 < t->n &&
		    strcmp(t->tok[t->i + 1], ">") != 0)) {
			/* a fragment past the first may leave the type out */
			diag_errf(err, errlen, "unknown icmp type \"%s\"",
			    t->i < t->n ? t->tok[t->i] : "");
			return (-1);
		}
	}
	if (t->n - t->i < 3 || strcmp(t->tok[t->i + 1], ">") != 0) {
		diag_errf(err, errlen, "expected \"SRC > DST\"");
		return (-1);
	}
	if (wp && p->ipfrag)
		wp = 2;
	if (endpoint_parse(p, t->tok[t->i], wp, PKT_F_SRC, PKT_F_SPORT, &p->src_any,
	    &p->src, &p->sport, err, errlen) == -1 ||
	    endpoint_parse(p, t->tok[t->i + 2], wp, PKT_F_DST, PKT_F_DPORT, &p->dst_any,
	    &p->dst, &p->dport, err, errlen) == -1)
		return (-1);
	t->i += 3;
	return (options_parse(t, p, err, errlen));
}

static int
pat_parse(const char *text, struct pkt_pat *p, char *err, size_t errlen)
{
	struct tokens *t;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if (pkt_tcpdump_is(text)) {
		if (pkt_tcpdump_parse(text, p, err, errlen) == -1)
			return (-1);
	} else {
		if ((t = malloc(sizeof(*t))) == NULL) {
			diag_errf(err, errlen, "out of memory");
			return (-1);
		}
		if (tokenize(text, t, err, errlen) == 0) {
			if (t->n == 0)
				diag_errf(err, errlen, "empty packet");
			else
				rc = native_parse(t, p, err, errlen);
		}
		free(t);
		if (rc == -1)
			return (-1);
	}
	if ((p->src.af != 0 && p->dst.af != 0 && p->src.af != p->dst.af) ||
	    (p->proto == IPPROTO_ICMP && (p->src.af == AF_INET6 || p->dst.af == AF_INET6)) ||
	    (p->proto == IPPROTO_ICMPV6 && (p->src.af == AF_INET || p->dst.af == AF_INET))) {
		diag_errf(err, errlen, "address families do not match");
		return (-1);
	}
	if (pkt_field_check(p, err, errlen) == -1)
		return (-1);
	if (p->payload_set && p->len.set &&
	    (p->len.lo != p->payload_len || p->len.hi != p->payload_len)) {
		diag_errf(err, errlen, "len %u does not match the payload (%zu bytes)",
		    p->len.lo, p->payload_len);
		return (-1);
	}
	return (0);
}

static int
exact(const struct pkt_range *r, uint32_t dflt, uint32_t *v)
{
	if (!r->set) {
		*v = dflt;
		return (0);
	}
	*v = r->lo;
	return (r->lo == r->hi ? 0 : -1);
}

/* A `*` word, address or port: not for a concrete packet. */
static int
has_star(const char *text)
{
	struct tokens *t;
	int i, star = 0;
	size_t n;

	if ((t = malloc(sizeof(*t))) == NULL || tokenize(text, t, NULL, 0) == -1) {
		free(t);
		return (0);
	}
	for (i = 0; i < t->n && !star; i++) {
		n = strlen(t->tok[i]);
		star = t->tok[i][0] == '*' || (n > 1 && t->tok[i][0] != '"' &&
		    t->tok[i][n - 1] == '*');
	}
	free(t);
	return (star);
}

/* The IP payload the builder makes of k: the L4 header and data (an ICMP error
 * quotes an IP header and 8 bytes). */
static size_t
l4_len(const struct pkt *k)
{
	switch (k->proto) {
	case IPPROTO_TCP:
		return (20 + k->tcpopt_len + k->len);
	case IPPROTO_UDP:
		return (8 + k->len);
	default:
		if (k->icmp == PKT_ICMP_ECHO_REQUEST || k->icmp == PKT_ICMP_ECHO_REPLY)
			return (8 + k->len);
		return (8 + (k->has_quote ? (k->src.af == AF_INET ? 28 : 48) : 0));
	}
}

/* The header fields of a concrete packet: exact values only. 0 or -1. */
static int
fields_exact(const struct pkt_pat *p, struct pkt *k, char *err, size_t errlen)
{
	uint32_t v[6];
	int n;

	if (exact(&p->ttl, 0, &v[0]) == -1 || exact(&p->tos, 0, &v[1]) == -1 ||
	    exact(&p->id, 0, &v[2]) == -1 || exact(&p->off, 0, &v[3]) == -1 ||
	    exact(&p->iplen, 0, &v[4]) == -1 || exact(&p->urg, 0, &v[5]) == -1 ||
	    (p->mss.set && p->mss.lo != p->mss.hi) ||
	    (p->wscale.set && p->wscale.lo != p->wscale.hi) ||
	    (p->tsval.set && p->tsval.lo != p->tsval.hi) ||
	    (p->tsecr.set && p->tsecr.lo != p->tsecr.hi)) {
		diag_errf(err, errlen, "ranges are only for expectations");
		return (-1);
	}
	k->ttl = (uint8_t)v[0];
	k->ttl_set = p->ttl.set || has_var(p, PKT_F_TTL);
	k->tos = (uint8_t)v[1];
	k->id = v[2];
	k->id_set = p->id.set || has_var(p, PKT_F_ID);
	k->off = (uint16_t)v[3];
	k->iplen = (uint16_t)v[4];
	k->urg = (uint16_t)v[5];
	k->df = p->df == PKT_YES;
	k->mf = p->mf == PKT_YES;
	k->ipfrag = p->ipfrag;
	k->cksum_bad = p->cksum_bad;
	k->cksum_none = p->cksum_none;
	memcpy(k->ipopt, p->ipopt, p->ipopt_len);
	k->ipopt_len = p->ipopt_len;
	if (p->ntopt > 0) {
		if ((n = pkt_tcpopt_build(p, k->tcpopt, err, errlen)) == -1)
			return (-1);
		k->tcpopt_len = (uint8_t)n;
	}
	memcpy(k->var, p->var, sizeof(k->var));
	k->nvar = p->nvar;
	return (0);
}

/* The sizes a packet must be consistent with: `iplen` of a whole packet, the piece of
 * a fragment. 0 or -1. */
static int
sizes_check(const struct pkt *k, char *err, size_t errlen)
{
	size_t l4 = l4_len(k), hl = k->src.af == AF_INET ? 20 + (size_t)k->ipopt_len :
	    40 + (k->ipfrag ? 8 : 0);

	if (!k->ipfrag) {
		if (k->iplen != 0 && k->iplen != hl + l4) {
			diag_errf(err, errlen, "iplen %u does not match the packet (%zu bytes)",
			    k->iplen, hl + l4);
			return (-1);
		}
		return (0);
	}
	if (k->off > l4) {
		diag_errf(err, errlen, "off %u is past the packet's %zu bytes of IP payload",
		    k->off, l4);
		return (-1);
	}
	if (k->iplen != 0 && (k->iplen < hl || k->off + (k->iplen - hl) > l4)) {
		diag_errf(err, errlen, "iplen %u: the fragment (%zu bytes of header, from "
		    "off %u) does not fit the packet's %zu bytes of IP payload", k->iplen,
		    hl, k->off, l4);
		return (-1);
	}
	return (0);
}

/* Everything but `*` and ranges in place: the pattern as a concrete packet. */
static int
to_pkt(const struct pkt_pat *p, struct pkt *k, char *err, size_t errlen)
{
	uint32_t v[7];
	int echo = p->icmp == PKT_ICMP_ECHO_REQUEST || p->icmp == PKT_ICMP_ECHO_REPLY;

	if (exact(&p->sport, echo ? 1 : 0, &v[0]) == -1 ||
	    exact(&p->dport, 0, &v[1]) == -1 ||
	    exact(&p->seq, echo ? 1 : 1000, &v[2]) == -1 ||
	    exact(&p->ack, 0, &v[3]) == -1 ||
	    exact(&p->win, 65535, &v[4]) == -1 ||
	    exact(&p->quote_sport, 0, &v[5]) == -1 ||
	    exact(&p->quote_dport, 0, &v[6]) == -1 ||
	    (p->len.set && p->len.lo != p->len.hi)) {
		diag_errf(err, errlen, "ranges are only for expectations");
		return (-1);
	}
	k->proto = p->proto;
	k->src = p->src;
	k->dst = p->dst;
	k->sport = (uint16_t)v[0];
	k->dport = (uint16_t)v[1];
	k->flags = p->flags;
	k->icmp = p->icmp;
	if (p->icmp != PKT_ICMP_NONE) {
		k->icmp_seq = (uint16_t)v[2];
	} else {
		k->seq = v[2];
		k->ack = v[3];
		k->win = (uint16_t)v[4];
	}
	if (p->payload_set) {
		k->len = p->payload_len;
		memcpy(k->payload, p->payload, p->payload_len);
	} else if (p->len.set)
		k->len = p->len.lo;	/* zero bytes */
	if (p->quote_set) {
		k->has_quote = 1;
		k->quote.proto = p->quote_proto;
		k->quote.src = p->quote_src;
		k->quote.dst = p->quote_dst;
		k->quote.sport = (uint16_t)v[5];
		k->quote.dport = (uint16_t)v[6];
		/* a quoted echo is a request unless written otherwise, as decoded */
		k->quote.icmp = p->quote_icmp != PKT_ICMP_NONE ? p->quote_icmp :
		    p->quote_proto == IPPROTO_ICMP || p->quote_proto == IPPROTO_ICMPV6 ?
		    PKT_ICMP_ECHO_REQUEST : PKT_ICMP_NONE;
	}
	return (fields_exact(p, k, err, errlen));
}

/* A port, written or a variable's, for each place a concrete packet needs one. */
static int
ports_given(const struct pkt_pat *p)
{
	int wp = p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP;
	int qp = p->quote_set && (p->quote_proto == IPPROTO_TCP ||
	    p->quote_proto == IPPROTO_UDP);

	if (wp && !p->ipfrag && ((!p->sport.set && !has_var(p, PKT_F_SPORT)) ||
	    (!p->dport.set && !has_var(p, PKT_F_DPORT))))
		return (0);
	if (qp && ((!p->quote_sport.set && !has_var(p, PKT_F_QSPORT)) ||
	    (!p->quote_dport.set && !has_var(p, PKT_F_QDPORT))))
		return (0);
	return (1);
}

int
pkt_parse(const char *text, struct pkt *k, char *err, size_t errlen)
{
	struct pkt_pat *p;
	int rc = -1;

	memset(k, 0, sizeof(*k));
	if ((p = malloc(sizeof(*p))) == NULL) {
		diag_errf(err, errlen, "out of memory");
		return (-1);
	}
	if (pat_parse(text, p, err, errlen) == -1)
		goto out;
	if (pkt_tcpdump_is(text) && p->quote_set && (p->quote_src_any ||
	    p->quote_proto == 0 || !ports_given(p))) {
		diag_errf(err, errlen, "tcpdump line: the quoted packet's source and its port "
		    "are in tcpdump -v's lines only: paste those");
		goto out;
	}
	if (p->src_any || p->dst_any || (p->quote_set &&
	    (p->quote_src_any || p->quote_dst_any || p->quote_proto == 0)) ||
	    !ports_given(p) || has_star(text)) {
		diag_errf(err, errlen, "`*` is only for expectations");
		goto out;
	}
	if ((p->src.af == 0 && !has_var(p, PKT_F_SRC)) ||
	    (p->dst.af == 0 && !has_var(p, PKT_F_DST))) {
		diag_errf(err, errlen, "a packet to send needs its addresses");
		goto out;
	}
	if ((p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6) &&
	    p->icmp == PKT_ICMP_NONE) {
		diag_errf(err, errlen, "an ICMP packet to send needs its type (the whole "
		    "packet a fragment is cut from)");
		goto out;
	}
	if (to_pkt(p, k, err, errlen) == -1 || sizes_check(k, err, errlen) == -1)
		goto out;
	if (p->frag && p->frag >= l4_len(k)) {
		diag_errf(err, errlen, "frag %u: the packet's %zu bytes of IP payload fit in "
		    "one fragment", p->frag, l4_len(k));
		goto out;
	}
	k->frag = p->frag;
	k->frag_reverse = p->frag_reverse;
	/* No bytes yet, so no checksum can be wrong. */
	k->ip_sum_ok = k->l4_sum_ok = k->quote_sum_ok = 1;
	rc = 0;
out:
	free(p);
	return (rc);
}
