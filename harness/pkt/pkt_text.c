/* pkt_text.c: the packet notation: parse packets and expectation patterns, and the
 * names both directions share (pkt_format.c writes them back). */
/*
 * Notation (DESIGN.md, "Scenario format"), one packet per string:
 *   tcp SRC:PORT > DST:PORT [FLAGS] [seq N] [ack N] [win N] [len N] ["payload"]
 *   udp SRC:PORT > DST:PORT [len N] ["payload"]
 *   icmp TYPE SRC > DST [id N] [seq N] [len N] [quote PROTO SRC[:PORT] > DST[:PORT]]
 *   icmp6 ...         (the same, IPv6 addresses)
 * FLAGS are letters from S F R P A U (written in that order: SA, RA, FA, FPA) or `.`
 * for none. TYPE: echo-request echo-reply unreach-port unreach-host unreach-needfrag
 * timex. IPv6 addresses go in brackets when a port follows: [2001:db8::1]:80.
 * `quote` describes the header an ICMP error carries (the packet that caused it).
 * `frag N [reverse]` (packets to send, not expectations): send the packet as IP
 * fragments carrying N bytes of IP payload each (N a multiple of 8, 8-1480; the last
 * fragment carries the rest), first to last, or last to first with `reverse`.
 * Payload strings take C escapes: \n \r \t \\ \" \xHH.
 * In patterns an address, port or number may be `*` and a number LOW-HIGH;
 * a field not written matches anything.
 * Defaults of a concrete packet when not written: seq 1000, ack 0, win 65535, no flags,
 * ICMP echo id 1 seq 1, payload empty (`len N` alone: N zero bytes).
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

#define PKT_TOK_MAX	48

static const struct {
	const char	*name;
	enum pkt_icmp	 type;
} icmp_names[] = {
	{ "echo-request", PKT_ICMP_ECHO_REQUEST },
	{ "echo-reply", PKT_ICMP_ECHO_REPLY },
	{ "unreach-port", PKT_ICMP_UNREACH_PORT },
	{ "unreach-host", PKT_ICMP_UNREACH_HOST },
	{ "unreach-needfrag", PKT_ICMP_UNREACH_NEEDFRAG },
	{ "timex", PKT_ICMP_TIMEX },
};

static const char flag_letters[] = "SFRPAU";
static const uint8_t flag_bits[] = { PKT_TH_SYN, PKT_TH_FIN, PKT_TH_RST, PKT_TH_PUSH,
    PKT_TH_ACK, PKT_TH_URG };

struct tokens {
	char	*tok[PKT_TOK_MAX];
	int	 n, i;
	char	 store[4096];
};

const char *
pkt_icmp_name(enum pkt_icmp t)
{
	size_t i;

	for (i = 0; i < sizeof(icmp_names) / sizeof(icmp_names[0]); i++)
		if (icmp_names[i].type == t)
			return (icmp_names[i].name);
	return (NULL);
}

const char *
pkt_proto_name(int proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return ("tcp");
	case IPPROTO_UDP:
		return ("udp");
	case IPPROTO_ICMP:
		return ("icmp");
	case IPPROTO_ICMPV6:
		return ("icmp6");
	}
	return ("?");
}

static int
proto_parse(const char *s)
{
	if (strcmp(s, "tcp") == 0)
		return (IPPROTO_TCP);
	if (strcmp(s, "udp") == 0)
		return (IPPROTO_UDP);
	if (strcmp(s, "icmp") == 0)
		return (IPPROTO_ICMP);
	if (strcmp(s, "icmp6") == 0)
		return (IPPROTO_ICMPV6);
	return (-1);
}

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

int
pkt_addr_parse(const char *s, struct pkt_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->a) == 1) {
		a->af = AF_INET;
		return (0);
	}
	if (inet_pton(AF_INET6, s, a->a) == 1) {
		a->af = AF_INET6;
		return (0);
	}
	return (-1);
}

char *
pkt_addr_format(const struct pkt_addr *a, char *buf, size_t len)
{
	if (len == 0)
		return (buf);
	if ((a->af != AF_INET && a->af != AF_INET6) ||
	    inet_ntop(a->af, a->a, buf, len) == NULL)
		snprintf(buf, len, "?");
	return (buf);
}

int
pkt_addr_eq(const struct pkt_addr *x, const struct pkt_addr *y)
{
	if (x->af != y->af)
		return (0);
	return (memcmp(x->a, y->a, x->af == AF_INET ? 4 : 16) == 0);
}

static int
num_parse(const char *s, uint32_t max, uint32_t *v)
{
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)*s))
		return (-1);
	n = strtoul(s, &end, 10);
	if (*end != '\0' || n > max)
		return (-1);
	*v = (uint32_t)n;
	return (0);
}

/* N, `*` or LOW-HIGH. */
static int
range_parse(const char *s, uint32_t max, struct pkt_range *r)
{
	char lo[16];
	const char *dash;

	memset(r, 0, sizeof(*r));
	if (strcmp(s, "*") == 0)
		return (0);
	r->set = 1;
	if ((dash = strchr(s, '-')) != NULL) {
		if ((size_t)(dash - s) >= sizeof(lo))
			return (-1);
		memcpy(lo, s, dash - s);
		lo[dash - s] = '\0';
		if (num_parse(lo, max, &r->lo) == -1 ||
		    num_parse(dash + 1, max, &r->hi) == -1 || r->lo > r->hi)
			return (-1);
		return (0);
	}
	if (num_parse(s, max, &r->lo) == -1)
		return (-1);
	r->hi = r->lo;
	return (0);
}

/* ADDR, [ADDR], `*`, with `:PORT` when want_port. */
static int
endpoint_parse(const char *s, int want_port, int *any, struct pkt_addr *a,
    struct pkt_range *port, char *err, size_t errlen)
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
		if (pkt_addr_parse(host, a) == -1 || a->af != AF_INET6)
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
		else if (pkt_addr_parse(host, a) == -1 ||
		    (want_port && a->af == AF_INET6))
			goto bad;
	}
	if (want_port) {
		if (ps == NULL) {
			diag_errf(err, errlen, "missing port in \"%s\"", s);
			return (-1);
		}
		if (range_parse(ps, 65535, port) == -1) {
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

static int
flags_parse(const char *s, uint8_t *flags)
{
	const char *p, *l;

	*flags = 0;
	if (strcmp(s, ".") == 0)
		return (0);
	for (p = s; *p != '\0'; p++) {
		if ((l = strchr(flag_letters, *p)) == NULL)
			return (-1);
		*flags |= flag_bits[l - flag_letters];
	}
	return (p == s ? -1 : 0);
}

char *
pkt_flags_format(uint8_t flags, char *buf)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(flag_bits); i++)
		if (flags & flag_bits[i])
			buf[n++] = flag_letters[i];
	if (n == 0)
		buf[n++] = '.';
	buf[n] = '\0';
	return (buf);
}

static int
is_flags(const char *s)
{
	return (strcmp(s, "*") == 0 || strcmp(s, ".") == 0 ||
	    (s[0] != '\0' && strspn(s, flag_letters) == strlen(s)));
}

/* A quoted token with C escapes into bytes. */
static int
string_parse(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = 0, sl = strlen(s);
	const char *p, *end = s + sl - 1;
	char hex[3];

	for (p = s + 1; p < end; p++) {
		uint8_t c = (uint8_t)*p;

		if (c == '\\') {
			p++;
			switch (*p) {
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case '0': c = '\0'; break;
			case 'x':
				if (p + 2 >= end + 1 || !isxdigit((unsigned char)p[1]) ||
				    !isxdigit((unsigned char)p[2]))
					return (-1);
				hex[0] = p[1];
				hex[1] = p[2];
				hex[2] = '\0';
				c = (uint8_t)strtoul(hex, NULL, 16);
				p += 2;
				break;
			default:
				c = (uint8_t)*p;
			}
		}
		if (n == cap)
			return (-1);
		out[n++] = c;
	}
	*len = n;
	return (0);
}

void
pkt_string_format(const uint8_t *b, size_t n, char *buf, size_t len)
{
	size_t i, o = 0;

	if (len < 3) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	buf[o++] = '"';
	for (i = 0; i < n && o + 6 < len; i++) {
		if (b[i] == '"' || b[i] == '\\')
			o += snprintf(buf + o, len - o, "\\%c", b[i]);
		else if (b[i] == '\n')
			o += snprintf(buf + o, len - o, "\\n");
		else if (isprint(b[i]))
			buf[o++] = (char)b[i];
		else
			o += snprintf(buf + o, len - o, "\\x%02x", b[i]);
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

/* The `quote PROTO SRC[:PORT] > DST[:PORT]` tail. */
static int
quote_parse(struct tokens *t, struct pkt_pat *p, char *err, size_t errlen)
{
	int wp;

	if (t->n - t->i != 4 || strcmp(t->tok[t->i + 2], ">") != 0) {
		diag_errf(err, errlen, "expected \"quote PROTO SRC > DST\"");
		return (-1);
	}
	if ((p->quote_proto = proto_parse(t->tok[t->i])) == -1) {
		diag_errf(err, errlen, "unknown protocol \"%s\"", t->tok[t->i]);
		return (-1);
	}
	wp = p->quote_proto == IPPROTO_TCP || p->quote_proto == IPPROTO_UDP;
	if (endpoint_parse(t->tok[t->i + 1], wp, &p->quote_src_any, &p->quote_src,
	    &p->quote_sport, err, errlen) == -1 ||
	    endpoint_parse(t->tok[t->i + 3], wp, &p->quote_dst_any, &p->quote_dst,
	    &p->quote_dport, err, errlen) == -1)
		return (-1);
	p->quote_set = 1;
	t->i = t->n;
	return (0);
}

/* Options after the addresses: flags, seq/ack/win/len/id N, "payload", quote. */
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

static int
options_parse(struct tokens *t, struct pkt_pat *p, char *err, size_t errlen)
{
	int is_icmp = p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6;

	while (t->i < t->n) {
		const char *w = t->tok[t->i++], *v = t->i < t->n ? t->tok[t->i] : NULL;
		struct pkt_range *r = NULL;
		uint32_t max = 0xffffffffU;

		if (w[0] == '"') {
			if (p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6 ||
			    string_parse(w, p->payload, sizeof(p->payload),
			    &p->payload_len) == -1) {
				diag_errf(err, errlen, "bad payload %s", w);
				return (-1);
			}
			p->payload_set = 1;
			continue;
		}
		if (p->proto == IPPROTO_TCP && !p->flags_set && is_flags(w)) {
			p->flags_set = strcmp(w, "*") != 0;
			flags_parse(p->flags_set ? w : ".", &p->flags);
			continue;
		}
		if (is_icmp && strcmp(w, "quote") == 0) {
			if (p->icmp == PKT_ICMP_ECHO_REQUEST || p->icmp == PKT_ICMP_ECHO_REPLY) {
				diag_errf(err, errlen, "an echo quotes nothing");
				return (-1);
			}
			return (quote_parse(t, p, err, errlen));
		}
		if (strcmp(w, "seq") == 0 && p->proto != IPPROTO_UDP) {
			r = &p->seq;
			max = is_icmp ? 65535 : max;
		} else if (strcmp(w, "ack") == 0 && p->proto == IPPROTO_TCP)
			r = &p->ack;
		else if (strcmp(w, "win") == 0 && p->proto == IPPROTO_TCP) {
			r = &p->win;
			max = 65535;
		} else if (strcmp(w, "id") == 0 && is_icmp) {
			r = &p->sport;
			max = 65535;
		} else if (strcmp(w, "len") == 0) {
			r = &p->len;
			max = PKT_PAYLOAD_MAX;
		} else if (strcmp(w, "frag") == 0) {
			if (frag_parse(t, p, err, errlen) == -1)
				return (-1);
			continue;
		} else {
			diag_errf(err, errlen, "unexpected \"%s\"", w);
			return (-1);
		}
		if (v == NULL || range_parse(v, max, r) == -1) {
			diag_errf(err, errlen, "bad value for %s: \"%s\"", w, v ? v : "");
			return (-1);
		}
		t->i++;
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
		diag_errf(err, errlen, "`frag` is only for packets to send (a captured "
		    "fragment is not decoded)");
		return (-1);
	}
	return (0);
}

static int
pat_parse(const char *text, struct pkt_pat *p, char *err, size_t errlen)
{
	struct tokens *t;
	int wp, rc = -1;
	size_t k;

	memset(p, 0, sizeof(*p));
	if ((t = malloc(sizeof(*t))) == NULL) {
		diag_errf(err, errlen, "out of memory");
		return (-1);
	}
	if (tokenize(text, t, err, errlen) == -1)
		goto out;
	if (t->n == 0) {
		diag_errf(err, errlen, "empty packet");
		goto out;
	}
	if ((p->proto = proto_parse(t->tok[t->i++])) == -1) {
		diag_errf(err, errlen, "unknown protocol \"%s\"", t->tok[0]);
		goto out;
	}
	wp = p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP;
	if (!wp) {
		if (t->i < t->n)
			for (k = 0; k < sizeof(icmp_names) / sizeof(icmp_names[0]); k++)
				if (strcmp(t->tok[t->i], icmp_names[k].name) == 0)
					p->icmp = icmp_names[k].type;
		if (p->icmp == PKT_ICMP_NONE) {
			diag_errf(err, errlen, "unknown icmp type \"%s\"",
			    t->i < t->n ? t->tok[t->i] : "");
			goto out;
		}
		t->i++;
	}
	if (t->n - t->i < 3 || strcmp(t->tok[t->i + 1], ">") != 0) {
		diag_errf(err, errlen, "expected \"SRC > DST\"");
		goto out;
	}
	if (endpoint_parse(t->tok[t->i], wp, &p->src_any, &p->src, &p->sport,
	    err, errlen) == -1 ||
	    endpoint_parse(t->tok[t->i + 2], wp, &p->dst_any, &p->dst, &p->dport,
	    err, errlen) == -1)
		goto out;
	t->i += 3;
	if ((!p->src_any && !p->dst_any && p->src.af != p->dst.af) ||
	    (p->proto == IPPROTO_ICMP && (p->src.af == AF_INET6 || p->dst.af == AF_INET6)) ||
	    (p->proto == IPPROTO_ICMPV6 && (p->src.af == AF_INET || p->dst.af == AF_INET))) {
		diag_errf(err, errlen, "address families do not match");
		goto out;
	}
	if (options_parse(t, p, err, errlen) == -1)
		goto out;
	if (p->payload_set && p->len.set &&
	    (p->len.lo != p->payload_len || p->len.hi != p->payload_len)) {
		diag_errf(err, errlen, "len %u does not match the payload (%zu bytes)",
		    p->len.lo, p->payload_len);
		goto out;
	}
	rc = 0;
out:
	free(t);
	return (rc);
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
		return (20 + k->len);
	case IPPROTO_UDP:
		return (8 + k->len);
	default:
		if (k->icmp == PKT_ICMP_ECHO_REQUEST || k->icmp == PKT_ICMP_ECHO_REPLY)
			return (8 + k->len);
		return (8 + (k->has_quote ? (k->src.af == AF_INET ? 28 : 48) : 0));
	}
}

int
pkt_parse(const char *text, struct pkt *k, char *err, size_t errlen)
{
	struct pkt_pat *p;
	uint32_t v[7];
	int rc = -1, echo, wp;

	memset(k, 0, sizeof(*k));
	if ((p = malloc(sizeof(*p))) == NULL) {
		diag_errf(err, errlen, "out of memory");
		return (-1);
	}
	if (pat_parse(text, p, err, errlen) == -1)
		goto out;
	if (p->src_any || p->dst_any || (p->quote_set &&
	    (p->quote_src_any || p->quote_dst_any))) {
		diag_errf(err, errlen, "`*` is only for expectations");
		goto out;
	}
	echo = p->icmp == PKT_ICMP_ECHO_REQUEST || p->icmp == PKT_ICMP_ECHO_REPLY;
	wp = p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP;
	if ((wp && (!p->sport.set || !p->dport.set)) ||
	    (p->quote_set && (p->quote_proto == IPPROTO_TCP ||
	    p->quote_proto == IPPROTO_UDP) &&
	    (!p->quote_sport.set || !p->quote_dport.set)) ||
	    has_star(text)) {
		diag_errf(err, errlen, "`*` is only for expectations");
		goto out;
	}
	if (exact(&p->sport, echo ? 1 : 0, &v[0]) == -1 ||
	    exact(&p->dport, 0, &v[1]) == -1 ||
	    exact(&p->seq, echo ? 1 : 1000, &v[2]) == -1 ||
	    exact(&p->ack, 0, &v[3]) == -1 ||
	    exact(&p->win, 65535, &v[4]) == -1 ||
	    exact(&p->quote_sport, 0, &v[5]) == -1 ||
	    exact(&p->quote_dport, 0, &v[6]) == -1 ||
	    (p->len.set && p->len.lo != p->len.hi)) {
		diag_errf(err, errlen, "ranges are only for expectations");
		goto out;
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
	}
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
