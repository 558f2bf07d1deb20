/* pkt_name.c: the notation's small words both directions share: protocols, ICMP types,
 * TCP flags, quoted strings, addresses. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkt.h"
#include "pkt_impl.h"

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
	{ "unreach-net", PKT_ICMP_UNREACH_NET },
};

/* Written in this order; `E` ECE and `W` CWR as tcpdump names them. */
static const char flag_letters[] = "SFRPAUEW";
static const uint8_t flag_bits[] = { PKT_TH_SYN, PKT_TH_FIN, PKT_TH_RST, PKT_TH_PUSH,
    PKT_TH_ACK, PKT_TH_URG, PKT_TH_ECE, PKT_TH_CWR };

const char *
pkt_icmp_name(enum pkt_icmp t)
{
	size_t i;

	for (i = 0; i < sizeof(icmp_names) / sizeof(icmp_names[0]); i++)
		if (icmp_names[i].type == t)
			return (icmp_names[i].name);
	return (NULL);
}

enum pkt_icmp
pkt_icmp_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(icmp_names) / sizeof(icmp_names[0]); i++)
		if (strcmp(s, icmp_names[i].name) == 0)
			return (icmp_names[i].type);
	return (PKT_ICMP_NONE);
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

int
pkt_proto_parse(const char *s)
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

int
pkt_flags_parse(const char *s, uint8_t *flags)
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

int
pkt_is_flags(const char *s)
{
	return (strcmp(s, "*") == 0 || strcmp(s, ".") == 0 ||
	    (s[0] != '\0' && strspn(s, flag_letters) == strlen(s)));
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

int
pkt_string_parse(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = 0, sl = strlen(s);
	const char *p, *end = s + sl - 1;
	char hex[3];

	if (sl < 2 || s[0] != '"' || *end != '"')
		return (-1);
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
