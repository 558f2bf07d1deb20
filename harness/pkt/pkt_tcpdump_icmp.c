/* pkt_tcpdump_icmp.c: the ICMP and ICMPv6 parts of tcpdump's lines: echoes, port and
 * host unreachables, need to frag and packet too big, time exceeded, and the packet an
 * error quotes (its destination from the words; with -v, its own line). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkt.h"
#include "pkt_impl.h"
#include "pkt_td.h"

/* A quote's destination from an ICMP error's words: ADDR (and the port). */
static int
td_quote_dst(struct td *t, int proto, const char *addr, const char *port)
{
	struct pkt_pat *p = t->pat;

	p->quote_set = 1;
	p->quote_proto = proto;
	p->quote_src_any = 1;
	if (td_address(t, addr, PKT_F_QDST, &p->quote_dst_any, &p->quote_dst) == -1)
		return (-1);
	if (port != NULL && td_value(t, PKT_F_QDPORT, "port", port, 65535,
	    &p->quote_dport) == -1)
		return (-1);
	return (0);
}

/* The quoted packet -v prints after an ICMP error: another tcpdump line. */
static int
td_icmp_quote(struct td *t, const char *text)
{
	struct pkt_pat *q;
	struct pkt_pat *p = t->pat;
	int rc = -1;

	if ((q = malloc(sizeof(*q))) == NULL)
		return (td_bad(t, "%s", "out of memory"));
	memset(q, 0, sizeof(*q));
	if (t->parse(text, q, 1, t->err, t->errlen) == 0) {
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
int
td_icmp_body(struct td *t, char *body)
{
	struct pkt_pat *p = t->pat;
	char *it[TD_ITEMS], *q, a[64], pr[8], port[16];
	int n, i;

	p->proto = IPPROTO_ICMP;
	if ((q = (char *)(uintptr_t)td_quote_start(body)) != NULL) {
		char line[1100];

		/* -e leaves out `IP `; the quote is read as a line of its own */
		snprintf(line, sizeof(line), "%s%s", q[1] == '(' ? (t->af == AF_INET6 ?
		    "IP6 " : "IP ") : "", q + 1);
		*q = '\0';
		if (td_icmp_quote(t, line) == -1)
			return (-1);
	}
	if ((n = td_split(body + 5, it, TD_ITEMS)) < 1)
		return (td_bad(t, "%s", "expected an ICMP message after \"ICMP\""));
	if (strcmp(it[0], "echo request") == 0)
		p->icmp = PKT_ICMP_ECHO_REQUEST;
	else if (strcmp(it[0], "echo reply") == 0)
		p->icmp = PKT_ICMP_ECHO_REPLY;
	else if (strcmp(it[0], "time exceeded in-transit") == 0)
		p->icmp = PKT_ICMP_TIMEX;
	else if (sscanf(it[0], "host %63s unreachable", a) == 1) {
		p->icmp = PKT_ICMP_UNREACH_HOST;
		if (!p->quote_set && td_quote_dst(t, 0, a, NULL) == -1)
			return (-1);
	} else if (sscanf(it[0], "%63s %7s port %15s unreachable", a, pr, port) == 3 &&
	    (strcmp(pr, "udp") == 0 || strcmp(pr, "tcp") == 0)) {
		p->icmp = PKT_ICMP_UNREACH_PORT;
		if (!p->quote_set && td_quote_dst(t, pr[0] == 'u' ? IPPROTO_UDP : IPPROTO_TCP,
		    a, port) == -1)
			return (-1);
	} else if (sscanf(it[0], "%63s unreachable - need to frag", a) == 1 &&
	    strstr(it[0], "need to frag") != NULL) {
		p->icmp = PKT_ICMP_UNREACH_NEEDFRAG;
		if (!p->quote_set && td_quote_dst(t, 0, a, NULL) == -1)
			return (-1);
	} else
		return (td_bad(t, "ICMP \"%s\" is not one the notation writes (echo request, "
		    "echo reply, port or host unreachable, need to frag, time exceeded)",
		    it[0]));
	for (i = 1; i < n; i++)
		if (td_starts(it[i], "id ")) {
			if (td_value(t, PKT_F_SPORT, "id", it[i] + 3, 65535, &p->sport) == -1)
				return (-1);
		} else if (td_starts(it[i], "seq ")) {
			if (td_value(t, PKT_F_SEQ, "seq", it[i] + 4, 65535, &p->seq) == -1)
				return (-1);
		} else if (td_starts(it[i], "length ")) {
			uint32_t l;

			/* the ICMP message's length: an echo's data is 8 bytes less */
			if ((p->icmp == PKT_ICMP_ECHO_REQUEST || p->icmp ==
			    PKT_ICMP_ECHO_REPLY) && pkt_num_parse(it[i] + 7, 65535, &l) == 0) {
				if (l < 8 || l - 8 > PKT_PAYLOAD_MAX)
					return (td_bad(t, "bad length \"%s\"", it[i] + 7));
				p->len.set = 1;
				p->len.lo = p->len.hi = l - 8;
			}
		} else
			return (td_bad(t, "cannot read \"%s\" in the ICMP part", it[i]));
	return (0);
}

/* `ICMP6, ...`. */
int
td_icmp6_body(struct td *t, char *body)
{
	struct pkt_pat *p = t->pat;
	char *it[TD_ITEMS], a[64], pr[8], port[16];
	int n, i;

	p->proto = IPPROTO_ICMPV6;
	if ((n = td_split(body, it, TD_ITEMS)) < 2)
		return (td_bad(t, "%s", "expected an ICMP6 message after \"ICMP6,\""));
	i = 2;
	if (strcmp(it[1], "echo request") == 0)
		p->icmp = PKT_ICMP_ECHO_REQUEST;
	else if (strcmp(it[1], "echo reply") == 0)
		p->icmp = PKT_ICMP_ECHO_REPLY;
	else if (strcmp(it[1], "packet too big") == 0)
		p->icmp = PKT_ICMP_UNREACH_NEEDFRAG;
	else if (td_starts(it[1], "time exceeded in-transit")) {
		p->icmp = PKT_ICMP_TIMEX;
		if (sscanf(it[1], "time exceeded in-transit for %63s", a) == 1 &&
		    td_quote_dst(t, 0, a, NULL) == -1)
			return (-1);
	} else if (strcmp(it[1], "destination unreachable") == 0 && n > 2) {
		i = 3;
		if (sscanf(it[2], "unreachable address %63s", a) == 1) {
			p->icmp = PKT_ICMP_UNREACH_HOST;
			if (td_quote_dst(t, 0, a, NULL) == -1)
				return (-1);
		} else if (strcmp(it[2], "unreachable port") == 0 && n > 3 &&
		    sscanf(it[3], "%63s %7s port %15s", a, pr, port) == 3 &&
		    (strcmp(pr, "udp") == 0 || strcmp(pr, "tcp") == 0)) {
			p->icmp = PKT_ICMP_UNREACH_PORT;
			i = 4;
			if (td_quote_dst(t, pr[0] == 'u' ? IPPROTO_UDP : IPPROTO_TCP, a,
			    port) == -1)
				return (-1);
		} else
			return (td_bad(t, "ICMP6 \"%s\" is not one the notation writes "
			    "(unreachable port, unreachable address)", it[2]));
	} else
		return (td_bad(t, "ICMP6 \"%s\" is not one the notation writes (echo request, "
		    "echo reply, destination unreachable, packet too big, time exceeded)",
		    it[1]));
	for (; i < n; i++)
		if (td_starts(it[i], "id ")) {
			if (td_value(t, PKT_F_SPORT, "id", it[i] + 3, 65535, &p->sport) == -1)
				return (-1);
		} else if (td_starts(it[i], "seq ")) {
			if (td_value(t, PKT_F_SEQ, "seq", it[i] + 4, 65535, &p->seq) == -1)
				return (-1);
		} else if (td_starts(it[i], "mtu ")) {
			continue;	/* the builder's next-hop MTU is 0 */
		} else if (td_starts(it[i], "length ")) {
			uint32_t l;

			if ((p->icmp == PKT_ICMP_ECHO_REQUEST || p->icmp ==
			    PKT_ICMP_ECHO_REPLY) && pkt_num_parse(it[i] + 7, 65535, &l) == 0) {
				if (l < 8 || l - 8 > PKT_PAYLOAD_MAX)
					return (td_bad(t, "bad length \"%s\"", it[i] + 7));
				p->len.set = 1;
				p->len.lo = p->len.hi = l - 8;
			}
		} else
			return (td_bad(t, "cannot read \"%s\" in the ICMP6 part", it[i]));
	return (0);
}

