/* pfctl_views.c: the pfctl views bookkeeping expectations read besides the state
 * table and the counters: `pfctl -sS` (source nodes, pf_print_state.c's
 * print_src_node) and `pfctl -t T -T show` (pfctl_table.c's print_astats without -v:
 * three blanks, `!` for a negated entry, the address, `/LEN` unless a host). */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfctl_out.h"

/* Append one element of size sz to *v (*n of *cap); the new slot, or NULL. */
static void *
grow(void *v, int *n, int *cap, size_t sz, void **out)
{
	char *nv;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		if ((nv = realloc(v, (size_t)*cap * sz)) == NULL)
			return (NULL);
		v = nv;
	}
	*out = v;
	return ((char *)v + (size_t)(*n)++ * sz);
}

/* The next line of *p into buf (cut to len - 1), *p moved past it; 0 at the end. */
static int
next_line(const char **p, char *buf, size_t len)
{
	const char *nl;
	size_t n;

	if (**p == '\0')
		return (0);
	nl = strchr(*p, '\n');
	n = nl != NULL ? (size_t)(nl - *p) : strlen(*p);
	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), *p);
	*p = nl != NULL ? nl + 1 : *p + n;
	return (1);
}

/* ADDR or ADDR/LEN: the address, its prefix length (a host's when none); 0 or -1. */
static int
prefix(const char *s, struct pkt_addr *a, int *plen)
{
	char buf[128], *slash, *end;
	long n;

	snprintf(buf, sizeof(buf), "%s", s);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (pkt_addr_parse(buf, a) == -1)
		return (-1);
	*plen = a->af == AF_INET ? 32 : 128;
	if (slash != NULL) {
		n = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || n < 0 || n > *plen)
			return (-1);
		*plen = (int)n;
	}
	return (0);
}

int
pfctl_srcnodes_parse(const char *text, struct pfctl_srcnode **out, int *n)
{
	struct pfctl_srcnode sn, *slot;
	char line[512], a[128], b[128];
	const char *p = text;
	unsigned long long states, conn;
	void *v = NULL;
	int cap = 0, plen;

	*out = NULL;
	*n = 0;
	while (next_line(&p, line, sizeof(line))) {
		memset(&sn, 0, sizeof(sn));
		if (sscanf(line, "%127s -> %127s ( states %llu, connections %llu", a, b,
		    &states, &conn) != 4 || prefix(a, &sn.addr, &plen) == -1 ||
		    prefix(b, &sn.raddr, &plen) == -1)
			continue;
		sn.states = states;
		sn.conn = conn;
		if ((slot = grow(v, n, &cap, sizeof(sn), &v)) == NULL) {
			free(v);
			*n = 0;
			return (-1);
		}
		*slot = sn;
	}
	*out = v;
	return (0);
}

int
pfctl_table_parse(const char *text, struct pfctl_tentry **out, int *n)
{
	struct pfctl_tentry e, *slot;
	char line[512], word[256];
	const char *p = text, *w;
	void *v = NULL;
	int cap = 0;

	*out = NULL;
	*n = 0;
	while (next_line(&p, line, sizeof(line))) {
		memset(&e, 0, sizeof(e));
		if (sscanf(line, "%255s", word) != 1)
			continue;
		w = word;
		if (*w == '!') {
			e.neg = 1;
			w++;
		}
		if (prefix(w, &e.addr, &e.plen) == -1)
			continue;
		if ((slot = grow(v, n, &cap, sizeof(e), &v)) == NULL) {
			free(v);
			*n = 0;
			return (-1);
		}
		*slot = e;
	}
	*out = v;
	return (0);
}
