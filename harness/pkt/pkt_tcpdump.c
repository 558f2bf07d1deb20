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
#include "pkt_td.h"

static int	td_parse(const char *, struct pkt_pat *, int, char *, size_t);

int
pkt_tcpdump_is(const char *text)
{
	char w[64];
	const char *s = text;

	while (isspace((unsigned char)*s))
		s++;
	s = td_word(s, w, sizeof(w));
	if (td_is_date(w))
		s = td_word(s, w, sizeof(w));
	if (!td_is_mac(w) && td_is_time(w))
		td_word(s, w, sizeof(w));
	return (strcmp(w, "IP") == 0 || strcmp(w, "IP6") == 0 || td_is_mac(w));
}

/* The time, the -e prefix, `IP` or `IP6`. */
static int
prefix(struct td *t)
{
	char w[64], *e;
	const char *s = t->p;

	s = td_word(s, w, sizeof(w));
	if (td_is_date(w))
		s = td_word(s, w, sizeof(w));
	if (!td_is_mac(w) && td_is_time(w)) {
		t->p = (char *)(uintptr_t)s;
		s = td_word(s, w, sizeof(w));
	}
	if (td_is_mac(w)) {
		/* -e: the link layer; the last ethertype says the family (VLANs) */
		const char *et = NULL, *q = t->p;

		while ((q = strstr(q, "ethertype ")) != NULL)
			et = q++;
		if (et == NULL)
			return (td_bad(t, "%s", "expected \"ethertype\" after the MACs (-e)"));
		td_word(et + 10, w, sizeof(w));
		if (strcmp(w, "IPv4") == 0)
			t->af = AF_INET;
		else if (strcmp(w, "IPv6") == 0)
			t->af = AF_INET6;
		else
			return (td_bad(t, "ethertype %s is not IP", w));
		if ((e = strstr(et, ": ")) == NULL)
			return (td_bad(t, "%s", "expected \"length N:\" after the ethertype"));
		t->p = e + 2;
		return (0);
	}
	if (strcmp(w, "IP") == 0 || strcmp(w, "IP6") == 0) {
		t->af = w[2] == '6' ? AF_INET6 : AF_INET;
		t->p = (char *)(uintptr_t)s;
		return (0);
	}
	return (td_bad(t, "expected IP or IP6, not \"%s\"", w));
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
			return (td_bad(t, "IP option \"%s\" is not one the notation writes (RA, "
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
			return (rc == -1 ? -1 : td_bad(t, "%s", "bad IP options"));
	}
	return (0);
}

/* One item of -v's IPv4 header. */
static int
v4_item(struct td *t, char *it)
{
	struct pkt_pat *p = t->pat;
	char *close;

	if (td_starts(it, "tos ")) {
		it[strcspn(it, ",")] = '\0';	/* ECN's ",ECT(0)" */
		return (td_value(t, PKT_F_TOS, "tos", it + 4, 255, &p->tos));
	}
	if (td_starts(it, "ttl ")) {
		t->ttl_seen = 1;
		return (td_value(t, PKT_F_TTL, "ttl", it + 4, 255, &p->ttl));
	}
	if (td_starts(it, "id "))
		return (td_value(t, PKT_F_ID, "id", it + 3, 65535, &p->id));
	if (td_starts(it, "offset ")) {
		if (td_value(t, PKT_F_OFF, "offset", it + 7, 65535, &p->off) == -1)
			return (-1);
		if (p->off.set && p->off.lo > 0)
			p->ipfrag = 1;
		return (0);
	}
	if (td_starts(it, "flags [")) {
		if ((close = strchr(it, ']')) == NULL)
			return (td_bad(t, "%s", "unclosed flags ["));
		*close = '\0';
		if (strcmp(it + 7, "*") == 0)
			return (0);	/* the notation's `*`: neither checked */
		p->df = strstr(it, "DF") != NULL ? PKT_YES : PKT_NO;
		p->mf = strchr(it, '+') != NULL ? PKT_YES : PKT_NO;
		if (p->mf == PKT_YES)
			p->ipfrag = 1;
		return (0);
	}
	if (td_starts(it, "proto ")) {
		if ((close = strrchr(it, '(')) == NULL)
			return (td_bad(t, "%s", "expected \"proto NAME (N)\""));
		t->vproto = atoi(close + 1);
		return (0);
	}
	if (td_starts(it, "length "))
		return (td_value(t, PKT_F_IPLEN, "length", it + 7, 65535, &p->iplen));
	if (td_starts(it, "options (")) {
		if ((close = strrchr(it, ')')) == NULL)
			return (td_bad(t, "%s", "unclosed options ("));
		*close = '\0';
		return (v4_options(t, it + 9));
	}
	if (td_starts(it, "bad cksum"))
		return (td_bad(t, "%s", "a wrong IPv4 header checksum cannot be written (`cksum "
		    "bad` is the transport's)"));
	return (td_bad(t, "cannot read \"%s\" in the IP header", it));
}

/* One item of -v's IPv6 header. */
static int
v6_item(struct td *t, char *it)
{
	struct pkt_pat *p = t->pat;
	char *q;

	if (td_starts(it, "class "))
		return (td_value(t, PKT_F_TOS, "class", it + 6, 255, &p->tos));
	if (td_starts(it, "flowlabel "))
		return (0);	/* not in the notation: neither sent nor checked */
	if (td_starts(it, "hlim ")) {
		t->ttl_seen = 1;
		return (td_value(t, PKT_F_TTL, "hlim", it + 5, 255, &p->ttl));
	}
	if (td_starts(it, "next-header ")) {
		if ((q = strchr(it, '(')) == NULL)
			return (td_bad(t, "%s", "expected \"next-header NAME (N)\""));
		t->vproto = atoi(q + 1);
		if ((q = strstr(it, "payload length: ")) != NULL) {
			uint32_t n;

			if (pkt_num_parse(q + 16, 65535 - 40, &n) == -1)
				return (td_bad(t, "bad payload length \"%s\"", q + 16));
			p->iplen.set = 1;
			p->iplen.lo = p->iplen.hi = 40 + n;
		}
		if (t->vproto != IPPROTO_TCP && t->vproto != IPPROTO_UDP &&
		    t->vproto != IPPROTO_ICMPV6 && t->vproto != 44)
			return (td_bad(t, "%s", "an IPv6 extension header other than a fragment's "
			    "cannot be written"));
		return (0);
	}
	return (td_bad(t, "cannot read \"%s\" in the IPv6 header", it));
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
		return (td_bad(t, "%s", "unclosed ( of the IP header (-v)"));
	q[-1] = '\0';
	t->p = *q == ' ' ? q + 1 : q;
	t->verbose = 1;
	if ((n = td_split(s, it, TD_ITEMS)) == -1)
		return (td_bad(t, "%s", "too many items in the IP header"));
	for (i = 0; i < n; i++)
		if ((t->af == AF_INET6 ? v6_item(t, it[i]) : v4_item(t, it[i])) == -1)
			return (-1);
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
			return (td_bad(t, "expected ADDR.PORT, not \"%s\"", s));
		*dot = '\0';
		if (td_value(t, fp, "port", dot + 1, 65535, port) == -1)
			return (-1);
	}
	return (td_address(t, s, fa, any, a));
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
		if (td_starts(it, "TS val ")) {
			q = strstr(it, " ecr ");
			if (q == NULL)
				return (td_bad(t, "expected \"TS val N ecr N\", not \"%s\"", it));
			snprintf(wb[0], sizeof(wb[0]), "ts");
			snprintf(wb[1], sizeof(wb[1]), "%.*s", (int)(q - it - 7), it + 7);
			snprintf(wb[2], sizeof(wb[2]), "%s", q + 5);
			w[0] = wb[0], w[1] = wb[1], w[2] = wb[2];
			i = 0;
			if ((rc = pkt_field_parse(p, w, 3, &i, t->err, t->errlen)) != 1)
				return (rc == -1 ? -1 : td_bad(t, "bad option \"%s\"", it));
			continue;
		}
		if (td_starts(it, "sack ")) {
			/* sack N {L:R}{L:R}: the notation's sack L-R L-R */
			char blk[PKT_SACK_MAX][48], *wp[PKT_SACK_MAX + 1];
			int nb = 0;

			wp[0] = (char *)(uintptr_t)"sack";
			for (br = strchr(it, '{'); br != NULL && nb < PKT_SACK_MAX;
			    br = strchr(br + 1, '{')) {
				snprintf(blk[nb], sizeof(blk[nb]), "%.*s", (int)strcspn(br + 1,
				    "}"), br + 1);
				if ((q = strchr(blk[nb], ':')) == NULL)
					return (td_bad(t, "bad sack block in \"%s\"", it));
				*q = '-';
				wp[nb + 1] = blk[nb];
				nb++;
			}
			i = 0;
			if ((rc = pkt_field_parse(p, wp, nb + 1, &i, t->err, t->errlen)) != 1)
				return (rc == -1 ? -1 : td_bad(t, "bad option \"%s\"", it));
			continue;
		}
		if (strcmp(it, "sackOK") == 0 || strcmp(it, "nop") == 0 ||
		    strcmp(it, "eol") == 0 || td_starts(it, "mss ") || td_starts(it, "wscale ")) {
			snprintf(wb[0], sizeof(wb[0]), "%.*s", (int)strcspn(it, " "), it);
			snprintf(wb[1], sizeof(wb[1]), "%s", it + strcspn(it, " ") +
			    (it[strcspn(it, " ")] == ' '));
			w[0] = wb[0], w[1] = wb[1];
			i = 0;
			if ((rc = pkt_field_parse(p, w, wb[1][0] != '\0' ? 2 : 1, &i, t->err,
			    t->errlen)) != 1)
				return (rc == -1 ? -1 : td_bad(t, "bad option \"%s\"", it));
			continue;
		}
		return (td_bad(t, "TCP option \"%s\" is not one the notation writes (mss, wscale, "
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
			return (td_bad(t, "bad TCP flags \"%s\"", s));
		}
	return (0);
}

/* `length N` closing a TCP or UDP line (what follows a colon is a decoded payload). */
static int
data_length(struct td *t, char *s)
{
	s[strcspn(s, ": [")] = '\0';
	return (td_value(t, PKT_F_LEN, "length", s, PKT_PAYLOAD_MAX, &t->pat->len));
}

static int
tcp_body(struct td *t, char *body)
{
	struct pkt_pat *p = t->pat;
	char *it[TD_ITEMS], *q;
	uint32_t a, b;
	int n, i, have_len = -1;

	p->proto = IPPROTO_TCP;
	if (td_starts(body, "tcp "))	/* -q */
		return (data_length(t, body + 4));
	if ((n = td_split(body, it, TD_ITEMS)) == -1)
		return (td_bad(t, "%s", "too many items in the TCP part"));
	for (i = 0; i < n; i++) {
		if (td_starts(it[i], "Flags [")) {
			if ((q = strchr(it[i], ']')) == NULL)
				return (td_bad(t, "%s", "unclosed Flags ["));
			*q = '\0';
			if (tcp_flags(t, it[i] + 7) == -1)
				return (-1);
		} else if (td_starts(it[i], "cksum ")) {
			if (strstr(it[i], "(incorrect") != NULL)
				p->cksum_bad = 1;
		} else if (td_starts(it[i], "seq ")) {
			q = strchr(it[i] + 4, ':');
			if (q != NULL && (*q = '\0', pkt_num_parse(it[i] + 4, 0xffffffffU,
			    &a) == 0) && pkt_num_parse(q + 1, 0xffffffffU, &b) == 0)
				have_len = (int)(b - a);
			if (td_value(t, PKT_F_SEQ, "seq", it[i] + 4, 0xffffffffU, &p->seq) == -1)
				return (-1);
		} else if (td_starts(it[i], "ack ")) {
			if (td_value(t, PKT_F_ACK, "ack", it[i] + 4, 0xffffffffU, &p->ack) == -1)
				return (-1);
		} else if (td_starts(it[i], "win ")) {
			if (td_value(t, PKT_F_WIN, "win", it[i] + 4, 65535, &p->win) == -1)
				return (-1);
		} else if (td_starts(it[i], "urg ")) {
			if (td_value(t, PKT_F_URG, "urg", it[i] + 4, 65535, &p->urg) == -1)
				return (-1);
		} else if (td_starts(it[i], "options [")) {
			if ((q = strrchr(it[i], ']')) == NULL)
				return (td_bad(t, "%s", "unclosed options ["));
			*q = '\0';
			if (tcp_options(t, it[i] + 9) == -1)
				return (-1);
		} else if (td_starts(it[i], "length ")) {
			if (data_length(t, it[i] + 7) == -1)
				return (-1);
			break;		/* what follows is the payload, decoded */
		} else
			return (td_bad(t, "cannot read \"%s\" in the TCP part", it[i]));
	}
	if (have_len >= 0 && p->len.set && p->len.lo != (uint32_t)have_len)
		return (td_bad(t, "%s", "seq N:M does not span the length"));
	return (0);
}

static int
udp_body(struct td *t, char *body)
{
	char *q;

	t->pat->proto = IPPROTO_UDP;
	if (td_starts(body, "[udp sum ok] "))
		body += 13;
	else if (td_starts(body, "[bad udp cksum ")) {
		if ((q = strstr(body, "] ")) == NULL)
			return (td_bad(t, "%s", "unclosed [bad udp cksum"));
		t->pat->cksum_bad = 1;
		body = q + 2;
	}
	if (td_starts(body, "UDP, length "))
		return (data_length(t, body + 12));
	if (td_starts(body, "UDP, bad length "))
		return (data_length(t, body + 16));
	return (td_bad(t, "cannot read \"%s\": tcpdump decoded the payload of a known port; "
	    "paste a line of tcpdump -q", body));
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
		return (td_bad(t, "expected \"frag (OFF|LEN)\", not \"%s\"", body));
	*close = *bar = '\0';
	p->ipfrag = 1;
	if ((colon = strchr(in, ':')) != NULL) {
		*colon = '\0';
		if (pkt_num_parse(in, 0xffffffffU, &id) == -1)
			return (td_bad(t, "bad fragment id \"%s\"", in));
		p->id.set = 1;
		p->id.lo = p->id.hi = id;
		in = colon + 1;
	}
	if (pkt_num_parse(in, 65535, &off) == -1 || pkt_num_parse(bar + 1, 65535, &len) == -1)
		return (td_bad(t, "bad fragment offset or length in \"%s\"", body));
	p->off.set = 1;
	p->off.lo = p->off.hi = off;
	p->iplen.set = 1;
	p->iplen.lo = p->iplen.hi = 40 + 8 + len;
	rest = close + 1 + (close[1] == ' ');
	if (*rest == '\0') {
		/* tcpdump does not say the protocol past the first fragment */
		if (t->vproto == -1 || t->vproto == 44)
			return (td_bad(t, "%s", "tcpdump does not print the protocol of an IPv6 "
			    "fragment past the first: write it as `PROTO frag ...`"));
		p->proto = t->vproto;
		t->no_l4 = 1;
		return (td_address(t, src, PKT_F_SRC, &p->src_any, &p->src) == -1 ||
		    td_address(t, dst, PKT_F_DST, &p->dst_any, &p->dst) == -1 ? -1 : 0);
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

	if (td_starts(body, "frag ("))
		return (frag6(t, src, dst, body));
	if (td_starts(body, "Flags [") || td_starts(body, "tcp "))
		rc = tcp_body(t, body);
	else if (td_starts(body, "UDP, ") || td_starts(body, "[udp sum ok] ") ||
	    td_starts(body, "[bad udp cksum "))
		rc = udp_body(t, body);
	else if (td_starts(body, "ICMP "))
		rc = td_icmp_body(t, body);
	else if (td_starts(body, "ICMP6, ") || td_starts(body, "[icmp6 sum ok] ICMP6, ") ||
	    td_starts(body, "[bad icmp6 cksum ")) {
		if (body[0] == '[') {
			if (td_starts(body, "[bad"))
				p->cksum_bad = 1;
			body = strstr(body, "ICMP6, ");
			if (body == NULL)
				return (td_bad(t, "%s", "expected \"ICMP6,\""));
		}
		rc = td_icmp6_body(t, body);
	} else if (td_starts(body, "ip-proto-")) {
		/* an IPv4 fragment past the first: no transport header */
		if (!t->verbose)
			return (td_bad(t, "%s", "tcpdump prints a fragment's offset and length "
			    "only with -v: paste the lines of tcpdump -v"));
		p->ipfrag = 1;
		t->no_l4 = 1;
		p->proto = atoi(body + 9);
		if (p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP &&
		    p->proto != IPPROTO_ICMP)
			return (td_bad(t, "protocol %s is not one the notation writes", body + 9));
		rc = 0;
	} else if (t->quoted && (t->vproto == IPPROTO_TCP || t->vproto == IPPROTO_UDP)) {
		/* a quote's transport part: 8 bytes, tcpdump's `[|tcp]` or a payload it
		 * decoded; its ports are all that counts */
		p->proto = t->vproto;
		rc = 0;
	} else if (t->vproto == IPPROTO_UDP)
		rc = udp_body(t, body);
	else
		return (td_bad(t, "cannot read \"%s\" (TCP, UDP, ICMP and ICMP6 lines; for "
		    "a payload tcpdump decoded, paste a line of tcpdump -q)", body));
	if (rc == -1)
		return (-1);
	if (t->vproto != -1 && t->vproto != 44 && t->vproto != p->proto)
		return (td_bad(t, "%s", "the IP header's protocol is not the one the line "
		    "shows"));
	ports = (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP) &&
	    !td_starts(body, "ip-proto-");
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
			return (td_bad(t, "%s", "line too long"));
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
	t->parse = td_parse;
	if (squeeze(t, text) == -1 || prefix(t) == -1)
		goto out;
	if (*t->p == '(' && vheader(t) == -1)
		goto out;
	if (t->verbose && *t->p == '\0') {
		td_bad(t, "%s", "tcpdump -v prints the addresses on the next line: paste it too");
		goto out;
	}
	if ((gt = strstr(t->p, " > ")) == NULL) {
		td_bad(t, "%s", "expected \"SRC > DST: \"");
		goto out;
	}
	src = t->p;
	*gt = '\0';
	dst = gt + 3;
	if ((colon = strstr(dst, ": ")) == NULL) {
		td_bad(t, "%s", "expected \"SRC > DST: \"");
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
	q = td_word(s, w, sizeof(w));
	if (td_is_date(w))
		q = td_word(q, w, sizeof(w));
	if (!td_is_mac(w) && td_is_time(w))
		q = td_word(q, w, sizeof(w));
	if (td_is_mac(w)) {
		if ((q = strstr(q, "ethertype ")) == NULL || (q = strstr(q, ": ")) == NULL)
			return (0);
		q += 2;
	}
	if (*q != '(' || (q = td_past_parens(q)) == NULL)
		return (0);
	while (isspace((unsigned char)*q))
		q++;
	if (*q == '\0')
		return (1);		/* -v's first line: the addresses follow */
	/* an IPv4 ICMP error of -v: the quoted packet's two lines follow it */
	if ((strstr(q, ": ICMP ") == NULL || (strstr(q, " unreachable") == NULL &&
	    strstr(q, " time exceeded") == NULL)))
		return (0);
	if ((s = td_quote_start(q)) == NULL)
		return (1);
	s = strchr(s, '(');
	if ((s = td_past_parens(s)) == NULL)
		return (0);
	while (isspace((unsigned char)*s))
		s++;
	return (*s == '\0');
}
