/* scn_addr.c: the address forms of scenarios: ADDR/LEN, ADDR:PORT, subnets. */
#include <sys/socket.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_impl.h"

int
scn_plen_max(int af)
{
	return (af == AF_INET ? 32 : 128);
}

/* ADDR/LEN into address and prefix length. */
int
scn_prefix_parse(const char *s, struct pkt_addr *a, int *plen)
{
	char buf[64], *slash, *end;
	long n;

	if (strlen(s) >= sizeof(buf))
		return (-1);
	strcpy(buf, s);
	if ((slash = strchr(buf, '/')) == NULL)
		return (-1);
	*slash++ = '\0';
	if (pkt_addr_parse(buf, a) == -1 || !isdigit((unsigned char)*slash))
		return (-1);
	n = strtol(slash, &end, 10);
	if (*end != '\0' || n < 0 || n > scn_plen_max(a->af))
		return (-1);
	*plen = (int)n;
	return (0);
}

/* Bit i (from the most significant) of the address. */
static int
bit(const struct pkt_addr *a, int i)
{
	return ((a->a[i / 8] >> (7 - i % 8)) & 1);
}

int
scn_in_net(const struct pkt_addr *a, const struct pkt_addr *net, int plen)
{
	int i;

	if (a->af != net->af)
		return (0);
	for (i = 0; i < plen; i++)
		if (bit(a, i) != bit(net, i))
			return (0);
	return (1);
}

/* The last usable address: all host bits set (IPv4: minus the broadcast). -1 if none. */
int
scn_last_usable(const struct pkt_addr *net, int plen, struct pkt_addr *out)
{
	int i, n = scn_plen_max(net->af) / 8;

	*out = *net;
	for (i = plen; i < n * 8; i++)
		out->a[i / 8] |= (uint8_t)(1 << (7 - i % 8));
	if (net->af == AF_INET6 || plen >= 31)
		return (plen == scn_plen_max(net->af) ? -1 : 0);
	for (i = n - 1; i >= 0 && out->a[i] == 0; i--)
		out->a[i] = 0xff;
	out->a[i]--;
	return (0);
}

/* ADDR:PORT or [ADDR]:PORT; the port may be a range or `*` when ranges is set. */
int
scn_hostport_parse(const char *s, int ranges, struct pkt_addr *a, struct pkt_range *r)
{
	struct pkt_pat pat;
	char buf[128];

	/* The packet notation's endpoint grammar, borrowed through a pattern. */
	if (snprintf(buf, sizeof(buf), "tcp %s > 0.0.0.0:0", s) >= (int)sizeof(buf))
		return (-1);
	if (pkt_pat_parse(buf, &pat, NULL, 0) == -1) {
		if (snprintf(buf, sizeof(buf), "tcp %s > [::]:0", s) >= (int)sizeof(buf) ||
		    pkt_pat_parse(buf, &pat, NULL, 0) == -1)
			return (-1);
	}
	if (pat.src_any || pat.nvar > 0 ||
	    (!ranges && (!pat.sport.set || pat.sport.lo != pat.sport.hi)))
		return (-1);
	*a = pat.src;
	*r = pat.sport;
	return (0);
}
