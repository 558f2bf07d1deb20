/* pkt_tcpdump.c: a line as `tcpdump -n` prints it (with or without -v, -e, -q, the
 * time) read as a packet: what a user captured, pasted into a scenario. */
/*
 * Read (tcpdump 4.99's output):
 *   [TIME] [MAC > MAC, ethertype IPv4|IPv6 (0x...), length N:] [IP|IP6] [(-v header)]
 *   SRC[.PORT] > DST[.PORT]: BODY
 * -v header, IPv4: tos 0xN[,ECN], ttl N, id N, offset N, flags [DF|+|none], proto P (N),
 * length N, options (RA,NOP,EOL,LSRR A...,SSRR A...); IPv6: class 0xN, flowlabel (not
 * kept), hlim N, next-header P (N) payload length: N. Its fields become ttl, tos, id,
 * df, off, mf, iplen; a TTL tcpdump leaves out (it does for 0) is 0.
 * BODY: TCP `Flags [S.], cksum 0x... (correct|incorrect -> 0x...), seq N[:M], ack N,
 * win N, urg N, options [mss N,wscale N,sackOK,TS val N ecr N,sack N {L:R}...,nop,eol],
 * length N` or -q's `tcp N`; UDP `[udp sum ok|bad udp cksum ...] UDP, length N`;
 * ICMP `ICMP echo request|reply, id N, seq N, length N`, `ICMP A udp|tcp port P
 * unreachable`, `ICMP host A unreachable`, `ICMP A unreachable - need to frag [(mtu N)]`,
 * `ICMP time exceeded in-transit` (-v adds the quoted packet's line after them);
 * ICMP6 `ICMP6, echo request|reply, id N, seq N, length N`, `ICMP6, destination
 * unreachable, unreachable port, A udp|tcp port P`, `..., unreachable address A`,
 * `ICMP6, packet too big, mtu N`, `ICMP6, time exceeded in-transit [for A]`; an IPv4
 * fragment past the first `ip-proto-N`; an IPv6 fragment `frag ([0xID:]OFF|LEN) ...`.
 * A value may be written `*`, LOW-HIGH or `$NAME` as in the notation. What tcpdump did
 * not print is not checked in an expectation and takes the notation's default in a
 * packet to send (-S prints absolute sequence numbers: without it they are relative).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "pkt.h"
#include "pkt_impl.h"

#define TD_ITEMS	32

/* One line being read. */
struct td {
	char		 buf[2048];	/* the line, blanks squeezed to one space */
	char		*p;		/* what is left to read */
	struct pkt_pat	*pat;
	char		*err;
	size_t		 errlen;
	int		 af;		/* AF_INET, AF_INET6, 0: not said yet */
	int		 vproto;	/* the -v header's protocol number, or -1 */
	int		 verbose;	/* a -v header was read */
	int		 ttl_seen;
	int		 quote_src;	/* the quote's source came from -v's line */
	int		 quoted;	/* the quoted packet of an ICMP error (-v): its
					 * payload, cut at 8 bytes, need not be read */
	int		 no_l4;		/* a fragment past the first */
};

static int	td_parse(const char *, struct pkt_pat *, int, char *, size_t);
static const char *quote_start(const char *);

static int
bad(struct td *t, const char *fmt, const char *what)
{
	char m[256];

	snprintf(m, sizeof(m), fmt, what);
	diag_errf(t->err, t->errlen, "tcpdump line: %s", m);
	return (-1);
}

static int
starts(const char *s, const char *w)
{
	return (strncmp(s, w, strlen(w)) == 0);
}

/* A word of s: up to a blank or the end, into w. */
static const char *
word(const char *s, char *w, size_t len)
{
	size_t n = strcspn(s, " ");

	snprintf(w, len, "%.*s", (int)(n < len ? n : len - 1), s);
	return (s + n + (s[n] == ' '));
}

/* Split s in place at ", " outside (), [] and {}; the items into it. How many, or -1. */
static int
split(char *s, char **it, int max)
{
	int n = 0, depth = 0;
	char *q;

	if (*s == '\0')
		return (0);
	it[n++] = s;
	for (q = s; *q != '\0'; q++) {
		if (*q == '(' || *q == '[' || *q == '{')
			depth++;
		else if ((*q == ')' || *q == ']' || *q == '}') && depth > 0)
			depth--;
		else if (depth == 0 && q[0] == ',' && q[1] == ' ') {
			if (n == max)
				return (-1);
			*q = '\0';
			it[n++] = q + 2;
			q++;
		}
	}
	return (n);
}

static int
is_time(const char *w)
{
	return (w[0] != '\0' && strspn(w, "0123456789:.") == strlen(w) &&
	    strpbrk(w, ":.") != NULL);
}

static int
is_date(const char *w)
{
	return (strlen(w) == 10 && w[4] == '-' && w[7] == '-' &&
	    strspn(w, "0123456789-") == 10);
}

static int
is_mac(const char *w)
{
	int i;

	if (strlen(w) < 17)
		return (0);
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? w[i] != ':' : !isxdigit((unsigned char)w[i]))
			return (0);
	return (w[17] == '\0' || w[17] == ',');
}

int
pkt_tcpdump_is(const char *text)
{
	char w[64];
	const char *s = text;

	while (isspace((unsigned char)*s))
		s++;
	s = word(s, w, sizeof(w));
	if (is_date(w))
		s = word(s, w, sizeof(w));
	if (!is_mac(w) && is_time(w))
		word(s, w, sizeof(w));
	return (strcmp(w, "IP") == 0 || strcmp(w, "IP6") == 0 || is_mac(w));
}

/* A number field: tcpdump's digits (or the notation's `*`, LOW-HIGH, `$NAME`). */
static int
value(struct td *t, enum pkt_field f, const char *what, const char *s, uint32_t max,
    struct pkt_range *r)
{
	char v[64];

	word(s, v, sizeof(v));
	if (pkt_value_parse(t->pat, f, what, v, max, r, NULL, 0) == -1) {
		char m[128];

		snprintf(m, sizeof(m), "bad %s \"%s\"", what, v);
		return (bad(t, "%s", m));
	}
	return (0);
}

/* The time, the -e prefix, `IP` or `IP6`. */
static int
prefix(struct td *t)
{
	char w[64], *e;
	const char *s = t->p;

	s = word(s, w, sizeof(w));
	if (is_date(w))
		s = word(s, w, sizeof(w));
	if (!is_mac(w) && is_time(w)) {
		t->p = (char *)(uintptr_t)s;
		s = word(s, w, sizeof(w));
	}
	if (is_mac(w)) {
		/* -e: the link layer; the last ethertype says the family (VLANs) */
		const char *et = NULL, *q = t->p;

		while ((q = strstr(q, "ethertype ")) != NULL)
			et = q++;
		if (et == NULL)
			return (bad(t, "%s", "expected \"ethertype\" after the MACs (-e)"));
		word(et + 10, w, sizeof(w));
		if (strcmp(w, "IPv4") == 0)
			t->af = AF_INET;
		else if (strcmp(w, "IPv6") == 0)
			t->af = AF_INET6;
		else
			return (bad(t, "ethertype %s is not IP", w));
		if ((e = strstr(et, ": ")) == NULL)
			return (bad(t, "%s", "expected \"length N:\" after the ethertype"));
		t->p = e + 2;
		return (0);
	}
	if (strcmp(w, "IP") == 0 || strcmp(w, "IP6") == 0) {
		t->af = w[2] == '6' ? AF_INET6 : AF_INET;
		t->p = (char *)(uintptr_t)s;
		return (0);
	}
	return (bad(t, "expected IP or IP6, not \"%s\"", w));
}

/* -v's IPv4 options: RA, NOP, EOL, LSRR A..., SSRR A... */
static int
v4_options(struct td *t, char *list)
{
	char *w[PKT_OPT_MAX + 2], *it, *sp, *save = NULL;
	int n = 0, i, rc;

	for (it = strtok_r(list, ", ", &save); it != NULL && n < PKT_OPT_MAX;
	    it = strtok_r(NULL, ", ", &save)) {
		for (sp = it; *sp != '\0'; sp++)
			*sp = (char)tolower((unsigned char)*sp);
		if (strcmp(it, "ra") != 0 && strcmp(it, "nop") != 0 &&
		    strcmp(it, "eol") != 0 && strcmp(it, "lsrr") != 0 &&
		    strcmp(it, "ssrr") != 0 && !isdigit((unsigned char)it[0]))
			return (bad(t, "IP option \"%s\" is not one the notation writes (RA, "
			    "NOP, EOL, LSRR, SSRR)", it));
		w[n++] = it;
	}
	w[n] = NULL;
	i = 0;
	{
		char *all[PKT_OPT_MAX + 3];

		all[0] = (char *)(uintptr_t)"ipopt";
		for (i = 0; i < n; i++)
			all[i + 1] = w[i];
		i = 0;
		rc = pkt_field_parse(t->pat, all, n + 1, &i, t->err, t->errlen);
		if (rc != 1 || i != n + 1)
			return (rc == -1 ? -1 : bad(t, "%s", "bad IP options"));
	}
	return (0);
}

/* One item of -v's IPv4 header. */
static int
v4_item(struct td *t, char *it)
{
	struct pkt_pat *p = t->pat;
	char *close;

	if (starts(it, "tos ")) {
		it[strcspn(it, ",")] = '\0';	/* ECN's ",ECT(0)" */
		return (value(t, PKT_F_TOS, "tos", it + 4, 255, &p->tos));
	}
	if (starts(it, "ttl ")) {
		t->ttl_seen = 1;
		return (value(t, PKT_F_TTL, "ttl", it + 4, 255, &p->ttl));
	}
	if (starts(it, "id "))
		return (value(t, PKT_F_ID, "id", it + 3, 65535, &p->id));
	if (starts(it, "offset ")) {
		if (value(t, PKT_F_OFF, "offset", it + 7, 65535, &p->off) == -1)
			return (-1);
		if (p->off.set && p->off.lo > 0)
			p->ipfrag = 1;
		return (0);
	}
	if (starts(it, "flags [")) {
		if ((close = strchr(it, ']')) == NULL)
			return (bad(t, "%s", "unclosed flags ["));
		*close = '\0';
		if (strcmp(it + 7, "*") == 0)
			return (0);	/* the notation's `*`: neither checked */
		p->df = strstr(it, "DF") != NULL ? PKT_YES : PKT_NO;
		p->mf = strchr(it, '+') != NULL ? PKT_YES : PKT_NO;
		if (p->mf == PKT_YES)
			p->ipfrag = 1;
		return (0);
	}
	if (starts(it, "proto ")) {
		if ((close = strrchr(it, '(')) == NULL)
			return (bad(t, "%s", "expected \"proto NAME (N)\""));
		t->vproto = atoi(close + 1);
		return (0);
	}
	if (starts(it, "length "))
		return (value(t, PKT_F_IPLEN, "length", it + 7, 65535, &p->iplen));
	if (starts(it, "options (")) {
		if ((close = strrchr(it, ')')) == NULL)
			return (bad(t, "%s", "unclosed options ("));
		*close = '\0';
		return (v4_options(t, it + 9));
	}
	if (starts(it, "bad cksum"))
		return (bad(t, "%s", "a wrong IPv4 header checksum cannot be written (`cksum "
		    "bad` is the transport's)"));
	return (bad(t, "cannot read \"%s\" in the IP header", it));
}

/* One item of -v's IPv6 header. */
static int
v6_item(struct td *t, char *it)
{
	struct pkt_pat *p = t->pat;
	char *q;

	if (starts(it, "class "))
		return (value(t, PKT_F_TOS, "class", it + 6, 255, &p->tos));
	if (starts(it, "flowlabel "))
		return (0);	/* not in the notation: neither sent nor checked */
	if (starts(it, "hlim ")) {
		t->ttl_seen = 1;
		return (value(t, PKT_F_TTL, "hlim", it + 5, 255, &p->ttl));
	}
	if (starts(it, "next-header ")) {
		if ((q = strchr(it, '(')) == NULL)
			return (bad(t, "%s", "expected \"next-header NAME (N)\""));
		t->vproto = atoi(q + 1);
		if ((q = strstr(it, "payload length: ")) != NULL) {
			uint32_t n;

			if (pkt_num_parse(q + 16, 65535 - 40, &n) == -1)
				return (bad(t, "bad payload length \"%s\"", q + 16));
			p->iplen.set = 1;
			p->iplen.lo = p->iplen.hi = 40 + n;
		}
		if (t->vproto != IPPROTO_TCP && t->vproto != IPPROTO_UDP &&
		    t->vproto != IPPROTO_ICMPV6 && t->vproto != 44)
			return (bad(t, "%s", "an IPv6 extension header other than a fragment's "
			    "cannot be written"));
		return (0);
	}
	return (bad(t, "cannot read \"%s\" in the IPv6 header", it));
}

/* -v's header: `(...)` at t->p. */
static int
vheader(struct td *t)
{
	char *s = t->p + 1, *q, *it[TD_ITEMS];
	int depth = 1, n, i;

	for (q = s; *q != '\0' && depth > 0; q++)
		depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
	if (depth > 0)
		return (bad(t, "%s", "unclosed ( of the IP header (-v)"));
	q[-1] = '\0';
	t->p = *q == ' ' ? q + 1 : q;
	t->verbose = 1;
	if ((n = split(s, it, TD_ITEMS)) == -1)
		return (bad(t, "%s", "too many items in the IP header"));
	for (i = 0; i < n; i++)
		if ((t->af == AF_INET6 ? v6_item(t, it[i]) : v4_item(t, it[i])) == -1)
			return (-1);
	return (0);
}

/* An address, `*` or `$NAME`, into the pattern's field fa. */
static int
address(struct td *t, const char *s, enum pkt_field fa, int *any, struct pkt_addr *a)
{
	*any = 0;
	memset(a, 0, sizeof(*a));
	if (strcmp(s, "*") == 0) {
		*any = 1;
		return (0);
	}
	if (s[0] == '$')
		return (pkt_var_ref(t->pat, fa, s, t->err, t->errlen));
	if (pkt_addr_parse(s, a) == -1 || (t->af != 0 && a->af != t->af))
		return (bad(t, "bad address \"%s\"", s));
	return (0);
}

/* SRC or DST as tcpdump writes it: ADDR, or ADDR.PORT when with_port. */
static int
endpoint(struct td *t, char *s, int with_port, enum pkt_field fa, enum pkt_field fp,
    int *any, struct pkt_addr *a, struct pkt_range *port)
{
	char *dot;

	if (with_port) {
		if ((dot = strrchr(s, '.')) == NULL || (t->af == AF_INET &&
		    s[0] != '$' && s[0] != '*' && strchr(s, '.') == dot))
			return (bad(t, "expected ADDR.PORT, not \"%s\"", s));
		*dot = '\0';
		if (value(t, fp, "port", dot + 1, 65535, port) == -1)
			return (-1);
	}
	return (address(t, s, fa, any, a));
}

/* TCP options as -v and plain print them: [mss 1460,sackOK,TS val 1 ecr 0,...]. */
static int
tcp_options(struct td *t, char *list)
{
	struct pkt_pat *p = t->pat;
	char *it, *save = NULL, *w[4], *q, *br;
	int i, rc;

	for (it = strtok_r(list, ",", &save); it != NULL; it = strtok_r(NULL, ",", &save)) {
		char wb[4][64];

		while (*it == ' ')
			it++;
		if (starts(it, "TS val ")) {
			q = strstr(it, " ecr ");
			if (q == NULL)
				return (bad(t, "expected \"TS val N ecr N\", not \"%s\"", it));
			snprintf(wb[0], sizeof(wb[0]), "ts");
			snprintf(wb[1], sizeof(wb[1]), "%.*s", (int)(q - it - 7), it + 7);
			snprintf(wb[2], sizeof(wb[2]), "%s", q + 5);
			w[0] = wb[0], w[1] = wb[1], w[2] = wb[2];
			i = 0;
			if ((rc = pkt_field_parse(p, w, 3, &i, t->err, t->errlen)) != 1)
				return (rc == -1 ? -1 : bad(t, "bad option \"%s\"", it));
			continue;
		}
		if (starts(it, "sack ")) {
			/* sack N {L:R}{L:R}: the notation's sack L-R L-R */
			char blk[PKT_SACK_MAX][48], *wp[PKT_SACK_MAX + 1];
			int nb = 0;

			wp[0] = (char *)(uintptr_t)"sack";
			for (br = strchr(it, '{'); br != NULL && nb < PKT_SACK_MAX;
			    br = strchr(br + 1, '{')) {
				snprintf(blk[nb], sizeof(blk[nb]), "%.*s", (int)strcspn(br + 1,
				    "}"), br + 1);
				if ((q = strchr(blk[nb], ':')) == NULL)
					return (bad(t, "bad sack block in \"%s\"", it));
				*q = '-';
				wp[nb + 1] = blk[nb];
				nb++;
			}
			i = 0;
			if ((rc = pkt_field_parse(p, wp, nb + 1, &i, t->err, t->errlen)) != 1)
				return (rc == -1 ? -1 : bad(t, "bad option \"%s\"", it));
			continue;
		}
		if (strcmp(it, "sackOK") == 0 || strcmp(it, "nop") == 0 ||
		    strcmp(it, "eol") == 0 || starts(it, "mss ") || starts(it, "wscale ")) {
			snprintf(wb[0], sizeof(wb[0]), "%.*s", (int)strcspn(it, " "), it);
			snprintf(wb[1], sizeof(wb[1]), "%s", it + strcspn(it, " ") +
			    (it[strcspn(it, " ")] == ' '));
			w[0] = wb[0], w[1] = wb[1];
			i = 0;
			if ((rc = pkt_field_parse(p, w, wb[1][0] != '\0' ? 2 : 1, &i, t->err,
			    t->errlen)) != 1)
				return (rc == -1 ? -1 : bad(t, "bad option \"%s\"", it));
			continue;
		}
		return (bad(t, "TCP option \"%s\" is not one the notation writes (mss, wscale, "
		    "sackOK, TS, sack, nop, eol)", it));
	}
	return (0);
}

/* tcpdump's TCP flags: S F R P U E W, `.` for ACK, `none`. */
static int
tcp_flags(struct td *t, const char *s)
{
	struct pkt_pat *p = t->pat;
	const char *c;

	if (strcmp(s, "*") == 0)
		return (0);
	p->flags_set = 1;
	if (strcmp(s, "none") == 0)
		return (0);
	for (c = s; *c != '\0'; c++)
		switch (*c) {
		case 'S': p->flags |= PKT_TH_SYN; break;
		case 'F': p->flags |= PKT_TH_FIN; break;
		case 'R': p->flags |= PKT_TH_RST; break;
		case 'P': p->flags |= PKT_TH_PUSH; break;
		case 'U': p->flags |= PKT_TH_URG; break;
		case 'E': p->flags |= PKT_TH_ECE; break;
		case 'W': p->flags |= PKT_TH_CWR; break;
		case '.': p->flags |= PKT_TH_ACK; break;
		default:
			return (bad(t, "bad TCP flags \"%s\"", s));
		}
	return (0);
}

/* `length N` closing a TCP or UDP line (what follows a colon is a decoded payload). */
static int
data_length(struct td *t, char *s)
{
	s[strcspn(s, ": [")] = '\0';
	return (value(t, PKT_F_LEN, "length", s, PKT_PAYLOAD_MAX, &t->pat->len));
}

static int
tcp_body(struct td *t, char *body)
{
	struct pkt_pat *p = t->pat;
	char *it[TD_ITEMS], *q;
	uint32_t a, b;
	int n, i, have_len = -1;

	p->proto = IPPROTO_TCP;
	if (starts(body, "tcp "))	/* -q */
		return (data_length(t, body + 4));
	if ((n = split(body, it, TD_ITEMS)) == -1)
		return (bad(t, "%s", "too many items in the TCP part"));
	for (i = 0; i < n; i++) {
		if (starts(it[i], "Flags [")) {
			if ((q = strchr(it[i], ']')) == NULL)
				return (bad(t, "%s", "unclosed Flags ["));
			*q = '\0';
			if (tcp_flags(t, it[i] + 7) == -1)
				return (-1);
		} else if (starts(it[i], "cksum ")) {
			if (strstr(it[i], "(incorrect") != NULL)
				p->cksum_bad = 1;
		} else if (starts(it[i], "seq ")) {
			q = strchr(it[i] + 4, ':');
			if (q != NULL && (*q = '\0', pkt_num_parse(it[i] + 4, 0xffffffffU,
			    &a) == 0) && pkt_num_parse(q + 1, 0xffffffffU, &b) == 0)
				have_len = (int)(b - a);
			if (value(t, PKT_F_SEQ, "seq", it[i] + 4, 0xffffffffU, &p->seq) == -1)
				return (-1);
		} else if (starts(it[i], "ack ")) {
			if (value(t, PKT_F_ACK, "ack", it[i] + 4, 0xffffffffU, &p->ack) == -1)
				return (-1);
		} else if (starts(it[i], "win ")) {
			if (value(t, PKT_F_WIN, "win", it[i] + 4, 65535, &p->win) == -1)
				return (-1);
		} else if (starts(it[i], "urg ")) {
			if (value(t, PKT_F_URG, "urg", it[i] + 4, 65535, &p->urg) == -1)
				return (-1);
		} else if (starts(it[i], "options [")) {
			if ((q = strrchr(it[i], ']')) == NULL)
				return (bad(t, "%s", "unclosed options ["));
			*q = '\0';
			if (tcp_options(t, it[i] + 9) == -1)
				return (-1);
		} else if (starts(it[i], "length ")) {
			if (data_length(t, it[i] + 7) == -1)
				return (-1);
			break;		/* what follows is the payload, decoded */
		} else
			return (bad(t, "cannot read \"%s\" in the TCP part", it[i]));
	}
	if (have_len >= 0 && p->len.set && p->len.lo != (uint32_t)have_len)
		return (bad(t, "%s", "seq N:M does not span the length"));
	return (0);
}

static int
udp_body(struct td *t, char *body)
{
	char *q;

	t->pat->proto = IPPROTO_UDP;
	if (starts(body, "[udp sum ok] "))
		body += 13;
	else if (starts(body, "[bad udp cksum ")) {
		if ((q = strstr(body, "] ")) == NULL)
			return (bad(t, "%s", "unclosed [bad udp cksum"));
		t->pat->cksum_bad = 1;
		body = q + 2;
	}
	if (starts(body, "UDP, length "))
		return (data_length(t, body + 12));
	if (starts(body, "UDP, bad length "))
		return (data_length(t, body + 16));
	return (bad(t, "cannot read \"%s\": tcpdump decoded the payload of a known port; "
	    "paste a line of tcpdump -q", body));
}

/* A quote's destination from an ICMP error's words: ADDR (and the port). */
static int
quote_dst(struct td *t, int proto, const char *addr, const char *port)
{
	struct pkt_pat *p = t->pat;

	p->quote_set = 1;
	p->quote_proto = proto;
	p->quote_src_any = 1;
	if (address(t, addr, PKT_F_QDST, &p->quote_dst_any, &p->quote_dst) == -1)
		return (-1);
	if (port != NULL && value(t, PKT_F_QDPORT, "port", port, 65535,
	    &p->quote_dport) == -1)
		return (-1);
	return (0);
}

/* The quoted packet -v prints after an ICMP error: another tcpdump line. */
static int
icmp_quote(struct td *t, const char *text)
{
	struct pkt_pat *q;
	struct pkt_pat *p = t->pat;
	int rc = -1;

	if ((q = malloc(sizeof(*q))) == NULL)
		return (bad(t, "%s", "out of memory"));
	memset(q, 0, sizeof(*q));
	if (td_parse(text, q, 1, t->err, t->errlen) == 0) {
		p->quote_set = 1;
		p->quote_proto = q->proto;
		p->quote_src = q->src;
		p->quote_dst = q->dst;
		p->quote_src_any = q->src_any;
		p->quote_dst_any = q->dst_any;
		p->quote_sport = q->sport;
		p->quote_dport = q->dport;
		t->quote_src = 1;
		rc = 0;
	}
	free(q);
	return (rc);
}

/* `ICMP ...` (IPv4). */
static int
icmp_body(struct td *t, char *body)
{
	struct pkt_pat *p = t->pat;
	char *it[TD_ITEMS], *q, a[64], pr[8], port[16];
	int n, i;

	p->proto = IPPROTO_ICMP;
	if ((q = (char *)(uintptr_t)quote_start(body)) != NULL) {
		char line[1100];

		/* -e leaves out `IP `; the quote is read as a line of its own */
		snprintf(line, sizeof(line), "%s%s", q[1] == '(' ? (t->af == AF_INET6 ?
		    "IP6 " : "IP ") : "", q + 1);
		*q = '\0';
		if (icmp_quote(t, line) == -1)
			return (-1);
	}
	if ((n = split(body + 5, it, TD_ITEMS)) < 1)
		return (bad(t, "%s", "expected an ICMP message after \"ICMP\""));
	if (strcmp(it[0], "echo request") == 0)
		p->icmp = PKT_ICMP_ECHO_REQUEST;
	else if (strcmp(it[0], "echo reply") == 0)
		p->icmp = PKT_ICMP_ECHO_REPLY;
	else if (strcmp(it[0], "time exceeded in-transit") == 0)
		p->icmp = PKT_ICMP_TIMEX;
	else if (sscanf(it[0], "host %63s unreachable", a) == 1) {
		p->icmp = PKT_ICMP_UNREACH_HOST;
		if (!p->quote_set && quote_dst(t, 0, a, NULL) == -1)
			return (-1);
	} else if (sscanf(it[0], "%63s %7s port %15s unreachable", a, pr, port) == 3 &&
	    (strcmp(pr, "udp") == 0 || strcmp(pr, "tcp") == 0)) {
		p->icmp = PKT_ICMP_UNREACH_PORT;
		if (!p->quote_set && quote_dst(t, pr[0] == 'u' ? IPPROTO_UDP : IPPROTO_TCP,
		    a, port) == -1)
			return (-1);
	} else if (sscanf(it[0], "%63s unreachable - need to frag", a) == 1 &&
	    strstr(it[0], "need to frag") != NULL) {
		p->icmp = PKT_ICMP_UNREACH_NEEDFRAG;
		if (!p->quote_set && quote_dst(t, 0, a, NULL) == -1)
			return (-1);
	} else
		return (bad(t, "ICMP \"%s\" is not one the notation writes (echo request, "
		    "echo reply, port or host unreachable, need to frag, time exceeded)",
		    it[0]));
	for (i = 1; i < n; i++)
		if (starts(it[i], "id ")) {
			if (value(t, PKT_F_SPORT, "id", it[i] + 3, 65535, &p->sport) == -1)
				return (-1);
		} else if (starts(it[i], "seq ")) {
			if (value(t, PKT_F_SEQ, "seq", it[i] + 4, 65535, &p->seq) == -1)
				return (-1);
		} else if (starts(it[i], "length ")) {
			uint32_t l;

			/* the ICMP message's length: an echo's data is 8 bytes less */
			if ((p->icmp == PKT_ICMP_ECHO_REQUEST || p->icmp ==
			    PKT_ICMP_ECHO_REPLY) && pkt_num_parse(it[i] + 7, 65535, &l) == 0) {
				if (l < 8 || l - 8 > PKT_PAYLOAD_MAX)
					return (bad(t, "bad length \"%s\"", it[i] + 7));
				p->len.set = 1;
				p->len.lo = p->len.hi = l - 8;
			}
		} else
			return (bad(t, "cannot read \"%s\" in the ICMP part", it[i]));
	return (0);
}

/* `ICMP6, ...`. */
static int
icmp6_body(struct td *t, char *body)
{
	struct pkt_pat *p = t->pat;
	char *it[TD_ITEMS], a[64], pr[8], port[16];
	int n, i;

	p->proto = IPPROTO_ICMPV6;
	if ((n = split(body, it, TD_ITEMS)) < 2)
		return (bad(t, "%s", "expected an ICMP6 message after \"ICMP6,\""));
	i = 2;
	if (strcmp(it[1], "echo request") == 0)
		p->icmp = PKT_ICMP_ECHO_REQUEST;
	else if (strcmp(it[1], "echo reply") == 0)
		p->icmp = PKT_ICMP_ECHO_REPLY;
	else if (strcmp(it[1], "packet too big") == 0)
		p->icmp = PKT_ICMP_UNREACH_NEEDFRAG;
	else if (starts(it[1], "time exceeded in-transit")) {
		p->icmp = PKT_ICMP_TIMEX;
		if (sscanf(it[1], "time exceeded in-transit for %63s", a) == 1 &&
		    quote_dst(t, 0, a, NULL) == -1)
			return (-1);
	} else if (strcmp(it[1], "destination unreachable") == 0 && n > 2) {
		i = 3;
		if (sscanf(it[2], "unreachable address %63s", a) == 1) {
			p->icmp = PKT_ICMP_UNREACH_HOST;
			if (quote_dst(t, 0, a, NULL) == -1)
				return (-1);
		} else if (strcmp(it[2], "unreachable port") == 0 && n > 3 &&
		    sscanf(it[3], "%63s %7s port %15s", a, pr, port) == 3 &&
		    (strcmp(pr, "udp") == 0 || strcmp(pr, "tcp") == 0)) {
			p->icmp = PKT_ICMP_UNREACH_PORT;
			i = 4;
			if (quote_dst(t, pr[0] == 'u' ? IPPROTO_UDP : IPPROTO_TCP, a,
			    port) == -1)
				return (-1);
		} else
			return (bad(t, "ICMP6 \"%s\" is not one the notation writes "
			    "(unreachable port, unreachable address)", it[2]));
	} else
		return (bad(t, "ICMP6 \"%s\" is not one the notation writes (echo request, "
		    "echo reply, destination unreachable, packet too big, time exceeded)",
		    it[1]));
	for (; i < n; i++)
		if (starts(it[i], "id ")) {
			if (value(t, PKT_F_SPORT, "id", it[i] + 3, 65535, &p->sport) == -1)
				return (-1);
		} else if (starts(it[i], "seq ")) {
			if (value(t, PKT_F_SEQ, "seq", it[i] + 4, 65535, &p->seq) == -1)
				return (-1);
		} else if (starts(it[i], "mtu ")) {
			continue;	/* the builder's next-hop MTU is 0 */
		} else if (starts(it[i], "length ")) {
			uint32_t l;

			if ((p->icmp == PKT_ICMP_ECHO_REQUEST || p->icmp ==
			    PKT_ICMP_ECHO_REPLY) && pkt_num_parse(it[i] + 7, 65535, &l) == 0) {
				if (l < 8 || l - 8 > PKT_PAYLOAD_MAX)
					return (bad(t, "bad length \"%s\"", it[i] + 7));
				p->len.set = 1;
				p->len.lo = p->len.hi = l - 8;
			}
		} else
			return (bad(t, "cannot read \"%s\" in the ICMP6 part", it[i]));
	return (0);
}

/* The protocol's part of the line, given SRC and DST (ports split off by it). */
static int	body_parse(struct td *, char *, char *, char *);

/* IPv6's `frag ([0xID:]OFF|LEN) [SPORT > DPORT: BODY]`. */
static int
frag6(struct td *t, char *src, char *dst, char *body)
{
	struct pkt_pat *p = t->pat;
	char *close = strchr(body, ')'), *in = body + 6, *bar, *colon, *rest, *gt;
	uint32_t off, len, id;

	if (close == NULL || (bar = strchr(in, '|')) == NULL || bar > close)
		return (bad(t, "expected \"frag (OFF|LEN)\", not \"%s\"", body));
	*close = *bar = '\0';
	p->ipfrag = 1;
	if ((colon = strchr(in, ':')) != NULL) {
		*colon = '\0';
		if (pkt_num_parse(in, 0xffffffffU, &id) == -1)
			return (bad(t, "bad fragment id \"%s\"", in));
		p->id.set = 1;
		p->id.lo = p->id.hi = id;
		in = colon + 1;
	}
	if (pkt_num_parse(in, 65535, &off) == -1 || pkt_num_parse(bar + 1, 65535, &len) == -1)
		return (bad(t, "bad fragment offset or length in \"%s\"", body));
	p->off.set = 1;
	p->off.lo = p->off.hi = off;
	p->iplen.set = 1;
	p->iplen.lo = p->iplen.hi = 40 + 8 + len;
	rest = close + 1 + (close[1] == ' ');
	if (*rest == '\0') {
		/* tcpdump does not say the protocol past the first fragment */
		if (t->vproto == -1 || t->vproto == 44)
			return (bad(t, "%s", "tcpdump does not print the protocol of an IPv6 "
			    "fragment past the first: write it as `PROTO frag ...`"));
		p->proto = t->vproto;
		t->no_l4 = 1;
		return (address(t, src, PKT_F_SRC, &p->src_any, &p->src) == -1 ||
		    address(t, dst, PKT_F_DST, &p->dst_any, &p->dst) == -1 ? -1 : 0);
	}
	if (off == 0)
		p->mf = PKT_YES;
	if ((gt = strstr(rest, " > ")) != NULL && (colon = strstr(gt, ": ")) != NULL &&
	    isdigit((unsigned char)rest[0])) {
		/* the first fragment: the ports, then the transport's part */
		char s[128], d[128];

		*gt = *colon = '\0';
		snprintf(s, sizeof(s), "%s.%s", src, rest);
		snprintf(d, sizeof(d), "%s.%s", dst, gt + 3);
		return (body_parse(t, s, d, colon + 2));
	}
	return (body_parse(t, src, dst, rest));
}

static int
body_parse(struct td *t, char *src, char *dst, char *body)
{
	struct pkt_pat *p = t->pat;
	int rc, ports;

	if (starts(body, "frag ("))
		return (frag6(t, src, dst, body));
	if (starts(body, "Flags [") || starts(body, "tcp "))
		rc = tcp_body(t, body);
	else if (starts(body, "UDP, ") || starts(body, "[udp sum ok] ") ||
	    starts(body, "[bad udp cksum "))
		rc = udp_body(t, body);
	else if (starts(body, "ICMP "))
		rc = icmp_body(t, body);
	else if (starts(body, "ICMP6, ") || starts(body, "[icmp6 sum ok] ICMP6, ") ||
	    starts(body, "[bad icmp6 cksum ")) {
		if (body[0] == '[') {
			if (starts(body, "[bad"))
				p->cksum_bad = 1;
			body = strstr(body, "ICMP6, ");
			if (body == NULL)
				return (bad(t, "%s", "expected \"ICMP6,\""));
		}
		rc = icmp6_body(t, body);
	} else if (starts(body, "ip-proto-")) {
		/* an IPv4 fragment past the first: no transport header */
		if (!t->verbose)
			return (bad(t, "%s", "tcpdump prints a fragment's offset and length "
			    "only with -v: paste the lines of tcpdump -v"));
		p->ipfrag = 1;
		t->no_l4 = 1;
		p->proto = atoi(body + 9);
		if (p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP &&
		    p->proto != IPPROTO_ICMP)
			return (bad(t, "protocol %s is not one the notation writes", body + 9));
		rc = 0;
	} else if (t->quoted && (t->vproto == IPPROTO_TCP || t->vproto == IPPROTO_UDP)) {
		/* a quote's transport part: 8 bytes, tcpdump's `[|tcp]` or a payload it
		 * decoded; its ports are all that counts */
		p->proto = t->vproto;
		rc = 0;
	} else if (t->vproto == IPPROTO_UDP)
		rc = udp_body(t, body);
	else
		return (bad(t, "cannot read \"%s\" (TCP, UDP, ICMP and ICMP6 lines; for "
		    "a payload tcpdump decoded, paste a line of tcpdump -q)", body));
	if (rc == -1)
		return (-1);
	if (t->vproto != -1 && t->vproto != 44 && t->vproto != p->proto)
		return (bad(t, "%s", "the IP header's protocol is not the one the line "
		    "shows"));
	ports = (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP) &&
	    !starts(body, "ip-proto-");
	if (endpoint(t, src, ports, PKT_F_SRC, PKT_F_SPORT, &p->src_any, &p->src,
	    &p->sport) == -1 ||
	    endpoint(t, dst, ports, PKT_F_DST, PKT_F_DPORT, &p->dst_any, &p->dst,
	    &p->dport) == -1)
		return (-1);
	if (p->quote_set && !t->quote_src && p->quote_src_any && p->dst.af != 0) {
		/* the packet an error quotes came from the one the error goes to */
		p->quote_src = p->dst;
		p->quote_src_any = 0;
	}
	return (0);
}

/* The data length tcpdump did not print, from -v's IP length: an echo's (ICMP6 -v
 * prints no length), and that of the whole packet a fragment past the first comes
 * from (its bytes up to the fragment's end; the content is not in the line). */
static void
whole_len(struct td *t)
{
	struct pkt_pat *p = t->pat;
	uint32_t hl, l4, end;

	if (p->len.set || p->payload_set || !p->iplen.set || p->iplen.lo != p->iplen.hi)
		return;
	hl = t->af == AF_INET6 ? 40 + (p->ipfrag ? 8 : 0) : 20 + p->ipopt_len;
	l4 = p->proto == IPPROTO_TCP ? 20 : 8;
	if (p->iplen.lo < hl)
		return;
	if (t->no_l4 && p->off.set && p->off.lo == p->off.hi)
		end = p->off.lo + p->iplen.lo - hl;
	else if (!p->ipfrag && (p->icmp == PKT_ICMP_ECHO_REQUEST ||
	    p->icmp == PKT_ICMP_ECHO_REPLY))
		end = p->iplen.lo - hl;
	else
		return;
	if (end < l4 || end - l4 > PKT_PAYLOAD_MAX)
		return;
	p->len.set = 1;
	p->len.lo = p->len.hi = end - l4;
}

/* The line with blanks (tabs, the newline between -v's two lines) squeezed. */
static int
squeeze(struct td *t, const char *text)
{
	size_t o = 0;
	const char *s;

	for (s = text; *s != '\0'; s++) {
		if (isspace((unsigned char)*s)) {
			if (o == 0 || t->buf[o - 1] == ' ')
				continue;
			t->buf[o++] = ' ';
		} else
			t->buf[o++] = *s;
		if (o + 1 >= sizeof(t->buf))
			return (bad(t, "%s", "line too long"));
	}
	while (o > 0 && t->buf[o - 1] == ' ')
		o--;
	t->buf[o] = '\0';
	t->p = t->buf;
	return (0);
}

int
pkt_tcpdump_parse(const char *text, struct pkt_pat *p, char *err, size_t errlen)
{
	return (td_parse(text, p, 0, err, errlen));
}

static int
td_parse(const char *text, struct pkt_pat *p, int quoted, char *err, size_t errlen)
{
	struct td *t;
	char *gt, *colon, *src, *dst;
	int rc = -1;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		diag_errf(err, errlen, "out of memory");
		return (-1);
	}
	t->pat = p;
	t->err = err;
	t->errlen = errlen;
	t->vproto = -1;
	t->quoted = quoted;
	if (squeeze(t, text) == -1 || prefix(t) == -1)
		goto out;
	if (*t->p == '(' && vheader(t) == -1)
		goto out;
	if (t->verbose && *t->p == '\0') {
		bad(t, "%s", "tcpdump -v prints the addresses on the next line: paste it too");
		goto out;
	}
	if ((gt = strstr(t->p, " > ")) == NULL) {
		bad(t, "%s", "expected \"SRC > DST: \"");
		goto out;
	}
	src = t->p;
	*gt = '\0';
	dst = gt + 3;
	if ((colon = strstr(dst, ": ")) == NULL) {
		bad(t, "%s", "expected \"SRC > DST: \"");
		goto out;
	}
	*colon = '\0';
	if (body_parse(t, src, dst, colon + 2) == -1)
		goto out;
	if (t->verbose && !t->ttl_seen) {
		/* tcpdump leaves out a TTL of 0 */
		p->ttl.set = 1;
		p->ttl.lo = p->ttl.hi = 0;
	}
	whole_len(t);
	if (!p->ipfrag && p->mf == PKT_NO)
		p->mf = 0;
	if (!p->ipfrag && p->off.set && p->off.lo == 0 && p->off.hi == 0)
		memset(&p->off, 0, sizeof(p->off));
	rc = 0;
out:
	free(t);
	return (rc);
}

/* Past the `(...)` at s (s at the `(`), or NULL when it does not close. */
static const char *
past_parens(const char *s)
{
	int depth = 0;

	for (; *s != '\0'; s++) {
		depth += *s == '(' ? 1 : *s == ')' ? -1 : 0;
		if (depth == 0)
			return (s + 1);
	}
	return (NULL);
}

/* Where an ICMP error's quoted packet starts in s (-v), or NULL. */
static const char *
quote_start(const char *s)
{
	static const char *const marks[] = { " IP (", " IP6 (", " (tos ", " (class ",
	    " (hlim ", " (flowlabel " };
	const char *q, *best = NULL;
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if ((q = strstr(s, marks[i])) != NULL && (best == NULL || q < best))
			best = q;
	return (best);
}

int
pkt_tcpdump_wants_more(const char *text)
{
	const char *s = text, *q;
	char w[64];

	if (!pkt_tcpdump_is(text))
		return (0);
	while (isspace((unsigned char)*s))
		s++;
	/* the IP header of -v: after `IP `, `IP6 ` or -e's `length N: ` */
	q = word(s, w, sizeof(w));
	if (is_date(w))
		q = word(q, w, sizeof(w));
	if (!is_mac(w) && is_time(w))
		q = word(q, w, sizeof(w));
	if (is_mac(w)) {
		if ((q = strstr(q, "ethertype ")) == NULL || (q = strstr(q, ": ")) == NULL)
			return (0);
		q += 2;
	}
	if (*q != '(' || (q = past_parens(q)) == NULL)
		return (0);
	while (isspace((unsigned char)*q))
		q++;
	if (*q == '\0')
		return (1);		/* -v's first line: the addresses follow */
	/* an IPv4 ICMP error of -v: the quoted packet's two lines follow it */
	if ((strstr(q, ": ICMP ") == NULL || (strstr(q, " unreachable") == NULL &&
	    strstr(q, " time exceeded") == NULL)))
		return (0);
	if ((s = quote_start(q)) == NULL)
		return (1);
	s = strchr(s, '(');
	if ((s = past_parens(s)) == NULL)
		return (0);
	while (isspace((unsigned char)*s))
		s++;
	return (*s == '\0');
}
