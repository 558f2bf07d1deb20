/* pfm_addr.c: host specifications to addresses as pfctl resolves them: literals, CIDR,
 * interface names and groups (with :network, :broadcast, :peer, :0) against the host's
 * interfaces, and the few names the resolver knows (localhost). */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"

#define AFLAG_MODEMASK	(PFM_IFTL_NETWORK | PFM_IFTL_BROADCAST | PFM_IFTL_PEER)

void
pfm_set_ipmask(struct node_host *h, int b)
{
	uint8_t *m = h->addr.mask;
	int i;

	memset(m, 0, 16);
	for (i = 0; i < b && i < 128; i++)
		m[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	if (h->addr.type == PFM_ADDR_MASK)
		for (i = 0; i < 16; i++)
			h->addr.addr[i] &= m[i];
}

int
pfm_unmask(const uint8_t *m)
{
	int b = 0, i, j;

	for (i = 0; i < 16 && m[i] == 0xff; i++)
		b += 8;
	/* pf counts the ones of the first 32-bit word that is not all ones */
	if (i < 16) {
		int w = i / 4;

		for (j = i; j < (w + 1) * 4; j++) {
			int bit;

			for (bit = 7; bit >= 0; bit--) {
				if (!(m[j] & (1 << bit)))
					return (b);
				b++;
			}
		}
	}
	return (b);
}

/* Nodes belong to the parse's arena: nothing to do. */
void
pfm_free_hosts(struct node_host *h)
{
	(void)h;
}

static struct node_host *
host_new(struct pfm_pctx *c, int af)
{
	struct node_host *h;

	if ((h = pfm_nalloc(c, sizeof(*h))) == NULL)
		return (NULL);
	h->af = af;
	h->addr.af = af;
	h->addr.type = PFM_ADDR_MASK;
	h->tail = h;
	return (h);
}

static void
host_append(struct node_host **head, struct node_host *n)
{
	if (*head == NULL)
		*head = n;
	else {
		(*head)->tail->next = n;
		(*head)->tail = n->tail;
	}
}

static int
if_loopback(const struct pfm_if *i)
{
	int g;

	if (strncmp(i->name, "lo", 2) == 0 && isdigit((unsigned char)i->name[2]))
		return (1);
	for (g = 0; g < i->ngroup; g++)
		if (strcmp(i->group[g], "lo") == 0)
			return (1);
	return (0);
}

static int
is_group(const struct pfm_host *h, const char *name)
{
	int i, g;

	if (strcmp(name, "all") == 0)
		return (0);
	for (i = 0; i < h->niface; i++)
		for (g = 0; g < h->iface[i].ngroup; g++)
			if (strcmp(h->iface[i].group[g], name) == 0)
				return (1);
	return (0);
}

/* ifa_exists: an interface or group of that name; *loopback for an interface. */
int
pfm_ifa_exists(const struct pfm_host *h, const char *name, int *loopback)
{
	int i;

	if (loopback != NULL)
		*loopback = 0;
	if (is_group(h, name))
		return (1);
	for (i = 0; i < h->niface; i++)
		if (strncmp(h->iface[i].name, name, PFM_IFNAMSIZ) == 0) {
			if (loopback != NULL)
				*loopback = if_loopback(&h->iface[i]);
			return (1);
		}
	return (0);
}

static int
skip_if(const char *filter, const char *ifname)
{
	size_t n;

	if (filter == NULL || !*filter)
		return (0);
	if (strcmp(ifname, filter) == 0)
		return (0);
	n = strlen(filter);
	if (n < 1 || n >= PFM_IFNAMSIZ)
		return (1);
	if (filter[n - 1] >= '0' && filter[n - 1] <= '9')
		return (1);
	if (strncmp(ifname, filter, n) != 0)
		return (1);
	return (ifname[n] < '0' || ifname[n] > '9');
}

static int
ll6(const struct pfm_ifaddr *a)
{
	return (a->af == AF_INET6 && a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80);
}

static struct node_host *
ifa_one(struct pfm_pctx *c, const struct pfm_if *ifp, const struct pfm_ifaddr *a, int flags)
{
	struct node_host *n;
	struct node_host tmp;
	int i;

	if ((n = host_new(c, a->af)) == NULL)
		return (NULL);
	memcpy(n->addr.addr, a->addr, 16);
	if (flags & PFM_IFTL_BROADCAST) {
		memset(&tmp, 0, sizeof(tmp));
		tmp.addr.type = PFM_ADDR_DYNIFTL;
		pfm_set_ipmask(&tmp, a->plen);
		for (i = 0; i < 4; i++)
			n->addr.addr[i] = a->addr[i] | (uint8_t)~tmp.addr.mask[i];
	}
	if (flags & PFM_IFTL_NETWORK)
		pfm_set_ipmask(n, a->plen);
	else
		pfm_set_ipmask(n, a->af == AF_INET ? 32 : 128);
	if (ll6(a))
		snprintf(n->ifindex, sizeof(n->ifindex), "%s", ifp->name);
	n->ifname = pfm_nstrdup(c, ifp->name);
	n->loopback = if_loopback(ifp);
	return (n);
}

/* ifa_lookup: the addresses of an interface, group, or "self", as flags select. */
struct node_host *
pfm_ifa_lookup(struct pfm_pctx *c, const char *name, int flags)
{
	const struct pfm_host *hst = c->host;
	struct node_host *h = NULL, *n;
	const char *filter = name;
	int i, j, g;

	if (is_group(hst, name)) {
		for (i = 0; i < hst->niface; i++)
			for (g = 0; g < hst->iface[i].ngroup; g++)
				if (strcmp(hst->iface[i].group[g], name) == 0) {
					n = pfm_ifa_lookup(c, hst->iface[i].name, flags);
					if (n != NULL)
						host_append(&h, n);
					break;
				}
		return (h);
	}
	if (strcmp(name, "self") == 0)
		filter = NULL;
	for (i = 0; i < hst->niface; i++) {
		const struct pfm_if *ifp = &hst->iface[i];
		int got4 = 0, got6 = 0;

		if (skip_if(filter, ifp->name))
			continue;
		for (j = 0; j < ifp->naddr; j++) {
			const struct pfm_ifaddr *a = &ifp->addr[j];

			if ((flags & PFM_IFTL_BROADCAST) &&
			    (a->af != AF_INET || if_loopback(ifp)))
				continue;
			if (flags & PFM_IFTL_PEER)
				continue;	/* no point-to-point interfaces */
			if ((flags & PFM_IFTL_NETWORK) && ll6(a))
				continue;
			if ((flags & PFM_IFTL_NOALIAS) && a->af == AF_INET && got4)
				continue;
			if ((flags & PFM_IFTL_NOALIAS) && ll6(a))
				continue;
			if ((flags & PFM_IFTL_NOALIAS) && a->af == AF_INET6 && got6)
				continue;
			if (a->af == AF_INET)
				got4 = 1;
			else
				got6 = 1;
			if ((n = ifa_one(c, ifp, a, flags)) != NULL)
				host_append(&h, n);
		}
	}
	return (h);
}

static struct node_host *
host_if(struct pfm_pctx *c, const char *s, int mask)
{
	char ps[256], *p;
	struct node_host *h = NULL, *n;
	int flags = 0;

	snprintf(ps, sizeof(ps), "%s", s);
	while ((p = strrchr(ps, ':')) != NULL) {
		if (!strcmp(p + 1, "network"))
			flags |= PFM_IFTL_NETWORK;
		else if (!strcmp(p + 1, "broadcast"))
			flags |= PFM_IFTL_BROADCAST;
		else if (!strcmp(p + 1, "peer"))
			flags |= PFM_IFTL_PEER;
		else if (!strcmp(p + 1, "0"))
			flags |= PFM_IFTL_NOALIAS;
		else
			return (NULL);
		*p = '\0';
	}
	if (flags & (flags - 1) & AFLAG_MODEMASK) {
		pfm_raw(c, "illegal combination of interface modifiers");
		return (NULL);
	}
	if ((flags & (PFM_IFTL_NETWORK | PFM_IFTL_BROADCAST)) && mask > -1) {
		pfm_raw(c, "network or broadcast lookup, but extra netmask given");
		return (NULL);
	}
	if (pfm_ifa_exists(c->host, ps, NULL) || strcmp(ps, "self") == 0) {
		h = pfm_ifa_lookup(c, ps, flags);
		for (n = h; n != NULL && mask > -1; n = n->next)
			pfm_set_ipmask(n, mask);
	}
	return (h);
}

/* inet_net_pton(AF_INET) as BSD libc: "a[.b[.c[.d]]]/bits", numbers decimal or 0x hex.
 * Returns the bits or -1. */
static int
net_pton4(const char *s, uint8_t *a)
{
	int n = 0, bits;
	char *end;
	unsigned long v;

	memset(a, 0, 4);
	for (;;) {
		if (*s < '0' || *s > '9')
			return (-1);
		v = strtoul(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ?
		    16 : 10);
		if (v > 255 || n == 4)
			return (-1);
		a[n++] = (uint8_t)v;
		s = end;
		if (*s == '.') {
			s++;
			continue;
		}
		break;
	}
	if (*s != '/' || s[1] < '0' || s[1] > '9')
		return (-1);
	bits = (int)strtol(s + 1, &end, 10);
	if (*end != '\0' || bits > 32)
		return (-1);
	return (bits);
}

static struct node_host *
host_v4(struct pfm_pctx *c, const char *s)
{
	struct node_host *h;
	uint8_t a[4] = { 0, 0, 0, 0 };
	int bits = 32;

	if (strchr(s, '/') != NULL) {
		if ((bits = net_pton4(s, a)) == -1)
			return (NULL);
	} else if (inet_pton(AF_INET, s, a) != 1)
		return (NULL);
	if ((h = host_new(c, AF_INET)) == NULL)
		return (NULL);
	memcpy(h->addr.addr, a, 4);
	pfm_set_ipmask(h, bits);
	return (h);
}

static struct node_host *
host_v6(struct pfm_pctx *c, const char *s, int mask)
{
	char buf[256], *pct;
	struct node_host *h;
	uint8_t a[16];
	char scope[PFM_IFNAMSIZ] = "";

	snprintf(buf, sizeof(buf), "%s", s);
	if ((pct = strchr(buf, '%')) != NULL) {
		*pct++ = '\0';
		if (isdigit((unsigned char)*pct)) {
			int idx = atoi(pct);

			if (idx < 1 || idx > c->host->niface)
				return (NULL);
			snprintf(scope, sizeof(scope), "%s", c->host->iface[idx - 1].name);
		} else {
			int i, found = 0;

			for (i = 0; i < c->host->niface; i++)
				if (strcmp(c->host->iface[i].name, pct) == 0)
					found = 1;
			if (!found)
				return (NULL);
			snprintf(scope, sizeof(scope), "%s", pct);
		}
	}
	if (inet_pton(AF_INET6, buf, a) != 1)
		return (NULL);
	if ((h = host_new(c, AF_INET6)) == NULL)
		return (NULL);
	memcpy(h->addr.addr, a, 16);
	memcpy(h->ifindex, scope, sizeof(scope));
	pfm_set_ipmask(h, mask);
	return (h);
}

/* The resolver: localhost (::1 first, as FreeBSD's hosts file), and numbers inet_aton
 * accepts; nothing else resolves offline. */
static struct node_host *
host_dns(struct pfm_pctx *c, const char *s, int v4mask, int v6mask)
{
	char ps[256], *p;
	struct node_host *h = NULL, *n;
	struct in_addr ina;

	snprintf(ps, sizeof(ps), "%s", s);
	if ((p = strrchr(ps, ':')) != NULL && !strcmp(p, ":0"))
		*p = '\0';
	if (strcmp(ps, "localhost") == 0) {
		if ((n = host_new(c, AF_INET6)) != NULL) {
			n->addr.addr[15] = 1;
			pfm_set_ipmask(n, v6mask);
			host_append(&h, n);
		}
		if ((n = host_new(c, AF_INET)) != NULL) {
			n->addr.addr[0] = 127;
			n->addr.addr[3] = 1;
			pfm_set_ipmask(n, v4mask);
			host_append(&h, n);
		}
		return (h);
	}
	if (inet_aton(ps, &ina) == 1 && (n = host_new(c, AF_INET)) != NULL) {
		memcpy(n->addr.addr, &ina, 4);
		pfm_set_ipmask(n, v4mask);
		return (n);
	}
	return (NULL);
}

/* host(): NULL after pfctl's message when nothing matches. */
struct node_host *
pfm_host(struct pfm_pctx *c, const char *s)
{
	struct node_host *h = NULL;
	char *ps;
	const char *p;
	int mask = -1, v4mask = 32, v6mask = 128;

	/* a copy of any length, as pfctl's strdup (a fixed buffer cut long words) */
	if ((ps = strdup(s)) == NULL) {
		pfm_raw(c, "out of memory");
		return (NULL);
	}
	if ((p = strrchr(s, '/')) != NULL) {
		char *q;
		long m = strtol(p + 1, &q, 0);

		if (!q || *q || m > 128 || q == p + 1) {
			pfm_raw(c, "invalid netmask '%s'", p);
			free(ps);
			return (NULL);
		}
		mask = (int)m;
		ps[p - s] = '\0';
		v4mask = v6mask = mask;
	}
	if ((h = host_v4(c, s)) == NULL &&
	    (h = host_v6(c, ps, v6mask)) == NULL &&
	    (h = host_if(c, ps, mask)) == NULL)
		h = host_dns(c, ps, v4mask, v6mask);
	free(ps);
	if (h == NULL) {
		pfm_raw(c, "no IP address found for %s", s);
		return (NULL);
	}
	return (h);
}

/* check_netmask: a dynamic address of an IPv4 rule gets /32 (every node, as pfctl on
 * FreeBSD main); the IPv4 netmask check looks at the first node only, as pfctl does. */
static int
check_netmask(struct pfm_pctx *c, struct node_host *h, int af, int clamp)
{
	struct node_host *n;
	uint8_t *m;
	int i, big;

	for (n = h; n != NULL; n = n->next) {
		if (n->addr.type == PFM_ADDR_TABLE)
			continue;
		if (clamp && af == AF_INET && n->addr.type == PFM_ADDR_DYNIFTL &&
		    pfm_unmask(n->addr.mask) > 32)
			pfm_set_ipmask(n, 32);
		m = h->addr.mask;
		for (big = 0, i = 4; i < 16; i++)
			if (m[i])
				big = 1;
		/* a dynamic address the caller clamps in its own copy */
		if (!clamp && h->addr.type == PFM_ADDR_DYNIFTL)
			big = 0;
		if (af == AF_INET && big) {
			pfm_raw(c, "netmask %u invalid for IPv4 address",
			    (unsigned)pfm_unmask(m));
			return (1);
		}
	}
	return (0);
}

int
pfm_check_netmask(struct pfm_pctx *c, struct node_host *h, int af)
{
	return (check_netmask(c, h, af, 1));
}

int
pfm_check_netmask_keep(struct pfm_pctx *c, struct node_host *h, int af)
{
	return (check_netmask(c, h, af, 0));
}
