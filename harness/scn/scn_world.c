/* scn_world.c: the world's statements (DESIGN.md, format v2 "The world"): external
 * interfaces and their addresses, groups, the host's services, public-address and VNET
 * jails, bridges, clients, routers and routes (their checks: scn_wcheck.c). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_impl.h"

#define SCN_MTU_MIN	576
#define SCN_MTU_MAX	9000

static const char *const host_usage = "usage: host IF ADDR/LEN [gateway ADDR] | "
    "host IF alias ADDR/LEN | host IF inet6 ADDR/LEN [gateway ADDR] | host IF mtu N | "
    "host IF down | host listen PROTO/PORT,...";

int
scn_if_find(const struct scn *s, const char *name)
{
	int i;

	for (i = 0; i < s->niface; i++)
		if (strcmp(s->iface[i].name, name) == 0)
			return (i);
	return (-1);
}

int
scn_bridge_find(const struct scn *s, const char *name)
{
	int i;

	for (i = 0; i < s->nbridge; i++)
		if (strcmp(s->bridge[i].name, name) == 0)
			return (i);
	return (-1);
}

const char *
scn_party_name(const struct scn *s, int jail)
{
	if (jail == SCN_HOST)
		return ("host");
	return (jail >= 0 && jail < s->njail ? s->jail[jail].name : "?");
}

int
scn_host_has(const struct scn *s, const struct pkt_addr *a)
{
	int i, k;

	if (s->host_addr.af != 0 && pkt_addr_eq(&s->host_addr, a))
		return (1);
	for (i = 0; i < s->niface; i++)
		for (k = 0; k < s->iface[i].naddr; k++)
			if (pkt_addr_eq(&s->iface[i].addr[k].addr, a))
				return (1);
	for (i = 0; i < s->nbridge; i++)
		if (pkt_addr_eq(&s->bridge[i].addr, a))
			return (1);
	return (0);
}

int
scn_forwarding(const struct scn *s, int af)
{
	const char *name = af == AF_INET6 ? "net.inet6.ip6.forwarding" :
	    "net.inet.ip.forwarding";
	int i, on = s->nbridge > 0 || s->nrouter > 0 || s->nroute > 0;

	for (i = 0; i < s->nsysctl; i++)
		if (strcmp(s->sysctl[i].name, name) == 0)
			on = strcmp(s->sysctl[i].value, "0") != 0;
	return (on);
}

int
scn_sysctl_is_host(const char *name)
{
	return (strcmp(name, "net.inet.ip.forwarding") == 0 ||
	    strcmp(name, "net.inet6.ip6.forwarding") == 0);
}

/* The error for an element that did not fit. */
static void *
grow(struct parser *p, void *arr, int *n, size_t sz)
{
	void *na;

	if ((na = scn_grow(arr, n, sz)) == NULL)
		scn_perr(p, p->line, "out of memory");
	return (na);
}

/* ---- host ---- */

/* A new external interface; the primary one (the first with an address) goes first. */
static struct scn_if *
if_new(struct parser *p, const char *name, int primary)
{
	struct scn *s = p->s;
	struct scn_if *ni;
	int k;

	if ((k = scn_if_find(s, name)) != -1) {
		scn_perr(p, p->line, "interface %s already declared at line %d (more "
		    "addresses: host %s alias ADDR/LEN)", name, s->iface[k].line, name);
		return (NULL);
	}
	if (s->niface == SCN_IFS_MAX) {
		scn_perr(p, p->line, "more than %d external interfaces", SCN_IFS_MAX);
		return (NULL);
	}
	if ((ni = grow(p, s->iface, &s->niface, sizeof(*ni))) == NULL)
		return (NULL);
	s->iface = ni;
	if (primary) {
		memmove(&ni[1], &ni[0], (size_t)(s->niface - 1) * sizeof(*ni));
		memset(&ni[0], 0, sizeof(*ni));
	} else
		ni = &ni[s->niface - 1];
	snprintf(ni->name, sizeof(ni->name), "%s", name);
	ni->line = p->line;
	return (ni);
}

static int
if_add_addr(struct parser *p, struct scn_if *ifp, const struct pkt_addr *a, int plen,
    int alias)
{
	struct scn_ifaddr *ia;

	if (ifp->naddr == SCN_IFADDRS_MAX) {
		scn_perr(p, p->line, "more than %d addresses on %s", SCN_IFADDRS_MAX,
		    ifp->name);
		return (-1);
	}
	ia = &ifp->addr[ifp->naddr++];
	ia->addr = *a;
	ia->plen = plen;
	ia->alias = alias;
	ia->line = p->line;
	return (0);
}

/* The primary interface's default gateway of a's family: `gateway ADDR` (word gw,
 * NULL: not written) or the subnet's last usable address, as format v1 has it. */
static void
if_gateway(struct parser *p, struct scn_if *ifp, const struct pkt_addr *a, int plen,
    const char *prefix, const char *gw)
{
	struct pkt_addr g;
	char b[64];

	if (gw != NULL) {
		if (pkt_addr_parse(gw, &g) == -1 || g.af != a->af) {
			scn_perr(p, p->line, "bad gateway address \"%s\"", gw);
			return;
		}
		if (!scn_in_net(&g, a, plen))
			scn_perr(p, p->line, "gateway %s is not in %s", gw, prefix);
	} else if (scn_last_usable(a, plen, &g) == -1) {
		scn_perr(p, p->line, "%s has no address left for the gateway", prefix);
		return;
	}
	if (pkt_addr_eq(&g, a))
		scn_perr(p, p->line, "the gateway %s is the host's own address; name another "
		    "with `gateway ADDR`", pkt_addr_format(&g, b, sizeof(b)));
	if (a->af == AF_INET6)
		ifp->gw6 = g;
	else
		ifp->gw4 = g;
}

/* `host IF ADDR/LEN [gateway ADDR]`: a new interface with its address. */
static void
host_decl(struct parser *p, struct words *w)
{
	struct scn *s = p->s;
	struct scn_if *ifp;
	struct pkt_addr a;
	int plen, primary = s->host_line == 0;

	if ((w->n != 3 && w->n != 5) || (w->n == 5 && strcmp(w->w[3], "gateway") != 0)) {
		scn_perr(p, p->line, "%s", host_usage);
		return;
	}
	if (scn_prefix_parse(w->w[2], &a, &plen) == -1) {
		scn_perr(p, p->line, "bad address \"%s\" (expected ADDR/LEN)", w->w[2]);
		return;
	}
	if (w->n == 5 && !primary) {
		scn_perr(p, p->line, "only the first host interface (%s, line %d) has the "
		    "default gateway; route through %s with `route NET/LEN via ADDR` or "
		    "`router ADDR on %s routes NET/LEN`", s->host_if, s->host_line, w->w[1],
		    w->w[1]);
		return;
	}
	if ((ifp = if_new(p, w->w[1], primary)) == NULL || if_add_addr(p, ifp, &a, plen,
	    0) == -1)
		return;
	if (!primary)
		return;
	snprintf(s->host_if, sizeof(s->host_if), "%s", w->w[1]);
	s->host_addr = a;
	s->host_plen = plen;
	s->host_line = p->line;
	if_gateway(p, ifp, &a, plen, w->w[2], w->n == 5 ? w->w[4] : NULL);
	s->gateway = a.af == AF_INET6 ? ifp->gw6 : ifp->gw4;
}

/* `host IF alias ADDR/LEN`, `host IF inet6 ADDR/LEN [gateway ADDR]`. */
static void
host_more(struct parser *p, struct words *w, struct scn_if *ifp)
{
	int inet6 = strcmp(w->w[2], "inet6") == 0, plen, i, first;
	struct pkt_addr a;

	if ((w->n != 4 && w->n != 6) || (w->n == 6 && (!inet6 ||
	    strcmp(w->w[4], "gateway") != 0))) {
		scn_perr(p, p->line, "usage: host IF %s ADDR/LEN%s", w->w[2], inet6 ?
		    " [gateway ADDR]" : "");
		return;
	}
	if (scn_prefix_parse(w->w[3], &a, &plen) == -1 || (inet6 && a.af != AF_INET6)) {
		scn_perr(p, p->line, "bad address \"%s\" (expected %sADDR/LEN)", w->w[3],
		    inet6 ? "an IPv6 " : "");
		return;
	}
	if (ifp->down) {
		scn_perr(p, p->line, "interface %s is down (line %d): it has no address",
		    ifp->name, ifp->line);
		return;
	}
	if (w->n == 6 && ifp != &p->s->iface[0]) {
		scn_perr(p, p->line, "only the first host interface (%s) has the default "
		    "gateway", p->s->host_if);
		return;
	}
	for (i = 0, first = 1; i < ifp->naddr; i++)
		if (ifp->addr[i].addr.af == a.af)
			first = 0;
	if (if_add_addr(p, ifp, &a, plen, !inet6 || !first) == -1)
		return;
	/* the primary's first address of a family routes that family by default */
	if (ifp == &p->s->iface[0] && first)
		if_gateway(p, ifp, &a, plen, w->w[3], w->n == 6 ? w->w[5] : NULL);
	else if (w->n == 6)
		scn_perr(p, p->line, "%s already has an IPv6 address, and its gateway",
		    ifp->name);
}

/* `host listen PROTO/PORT,...`: the host's own services, on all its addresses. */
static void
host_listen(struct parser *p, struct words *w)
{
	struct scn *s = p->s;

	if (w->n < 3) {
		scn_perr(p, p->line, "usage: host listen PROTO/PORT,...");
		return;
	}
	if (s->host_listen_line == 0)
		s->host_listen_line = p->line;
	(void)scn_listen_parse(p, w, 2, s->host_listen, &s->nhost_listen);
}

void
scn_st_host(struct parser *p, struct words *w)
{
	struct scn *s = p->s;
	struct scn_if *ifp;
	const char *k;
	char *end;
	long mtu;
	int i;

	if (w->n >= 2 && strcmp(w->w[1], "listen") == 0) {
		host_listen(p, w);
		return;
	}
	if (w->n < 3) {
		scn_perr(p, p->line, "%s", host_usage);
		return;
	}
	if (!scn_ifname_ok(p, w->w[1]))
		return;
	k = w->w[2];
	if (strcmp(k, "down") == 0) {
		if (w->n != 3)
			scn_perr(p, p->line, "usage: host IF down");
		else if ((ifp = if_new(p, w->w[1], 0)) != NULL)
			ifp->down = 1;
		return;
	}
	if (strcmp(k, "alias") != 0 && strcmp(k, "inet6") != 0 && strcmp(k, "mtu") != 0) {
		host_decl(p, w);
		return;
	}
	if ((i = scn_if_find(s, w->w[1])) == -1) {
		scn_perr(p, p->line, "host %s %s: no `host %s ADDR/LEN` (or `host %s down`) "
		    "before this line", w->w[1], k, w->w[1], w->w[1]);
		return;
	}
	ifp = &s->iface[i];
	if (strcmp(k, "mtu") != 0) {
		host_more(p, w, ifp);
		return;
	}
	if (w->n != 4) {
		scn_perr(p, p->line, "usage: host IF mtu N");
		return;
	}
	mtu = strtol(w->w[3], &end, 10);
	if (!isdigit((unsigned char)w->w[3][0]) || *end != '\0' || mtu < SCN_MTU_MIN ||
	    mtu > SCN_MTU_MAX)
		scn_perr(p, p->line, "bad mtu \"%s\" (%d to %d)", w->w[3], SCN_MTU_MIN,
		    SCN_MTU_MAX);
	else if (ifp->mtu != 0)
		scn_perr(p, p->line, "the mtu of %s was already given", ifp->name);
	else
		ifp->mtu = (int)mtu;
}

/* ---- group, bridge ---- */

void
scn_st_group(struct parser *p, struct words *w)
{
	struct scn *s = p->s;
	struct scn_group *g = NULL, *ng;
	size_t len;
	int i, k;

	if (w->n < 3) {
		scn_perr(p, p->line, "usage: group NAME IF...");
		return;
	}
	if (!scn_name_ok(p, "group", w->w[1]))
		return;
	len = strlen(w->w[1]);
	/* ifconfig(8): "group names may not end in a digit" (if_addgroup: EINVAL) */
	if (len > SCN_IFNAME_LEN || isdigit((unsigned char)w->w[1][len - 1])) {
		scn_perr(p, p->line, "bad group name \"%s\" (at most %d characters, not "
		    "ending in a digit, as ifconfig wants)", w->w[1], SCN_IFNAME_LEN);
		return;
	}
	for (i = 0; i < s->ngroup; i++)
		if (strcmp(s->group[i].name, w->w[1]) == 0)
			g = &s->group[i];
	if (g == NULL) {
		if ((ng = grow(p, s->group, &s->ngroup, sizeof(*ng))) == NULL)
			return;
		s->group = ng;
		g = &ng[s->ngroup - 1];
		snprintf(g->name, sizeof(g->name), "%s", w->w[1]);
		g->line = p->line;
	}
	for (i = 2; i < w->n; i++) {
		if (!scn_ifname_ok(p, w->w[i]))
			return;
		for (k = 0; k < g->nif; k++)
			if (strcmp(g->ifname[k], w->w[i]) == 0)
				break;
		if (k < g->nif)
			continue;
		if (g->nif == SCN_GROUP_IFS) {
			scn_perr(p, p->line, "more than %d interfaces in group %s",
			    SCN_GROUP_IFS, g->name);
			return;
		}
		snprintf(g->ifname[g->nif++], SCN_NAME_MAX, "%s", w->w[i]);
	}
}

void
scn_st_bridge(struct parser *p, struct words *w)
{
	struct scn *s = p->s;
	struct scn_bridge *nb, *b;
	struct pkt_addr a;
	int plen, k;

	if (w->n != 3) {
		scn_perr(p, p->line, "usage: bridge IF ADDR/LEN");
		return;
	}
	if (!scn_ifname_ok(p, w->w[1]))
		return;
	if ((k = scn_bridge_find(s, w->w[1])) != -1) {
		scn_perr(p, p->line, "bridge %s already declared at line %d", w->w[1],
		    s->bridge[k].line);
		return;
	}
	if (scn_prefix_parse(w->w[2], &a, &plen) == -1) {
		scn_perr(p, p->line, "bad address \"%s\" (expected ADDR/LEN)", w->w[2]);
		return;
	}
	if ((nb = grow(p, s->bridge, &s->nbridge, sizeof(*nb))) == NULL)
		return;
	s->bridge = nb;
	b = &nb[s->nbridge - 1];
	snprintf(b->name, sizeof(b->name), "%s", w->w[1]);
	b->addr = a;
	b->plen = plen;
	b->line = p->line;
}

/* ---- jails ---- */

/* A jail named w->w[at], appended; NULL after an error. */
static struct scn_jail *
jail_new(struct parser *p, struct words *w, int at)
{
	struct scn_jail *nj, *j;
	int k;

	if (!scn_name_ok(p, "jail", w->w[at]))
		return (NULL);
	if (strcmp(w->w[at], "host") == 0) {
		scn_perr(p, p->line, "\"host\" names the host itself (`host listen`, "
		    "`connect host`); call the jail something else");
		return (NULL);
	}
	if ((k = scn_jail_find(p->s, w->w[at])) != -1) {
		scn_perr(p, p->line, "jail \"%s\" already declared at line %d", w->w[at],
		    p->s->jail[k].line);
		return (NULL);
	}
	if ((nj = grow(p, p->s->jail, &p->s->njail, sizeof(*nj))) == NULL)
		return (NULL);
	p->s->jail = nj;
	j = &nj[p->s->njail - 1];
	snprintf(j->name, sizeof(j->name), "%s", w->w[at]);
	j->line = p->line;
	j->bridge = j->iface = -1;
	return (j);
}

/* `jail NAME ADDR... [on IF] [listen PROTO/PORT,...]` */
void
scn_st_jail(struct parser *p, struct words *w)
{
	struct scn_jail *j;
	int i;

	if (w->n < 3) {
		scn_perr(p, p->line, "usage: jail NAME ADDR... [on IF] [listen "
		    "PROTO/PORT,...]");
		return;
	}
	if ((j = jail_new(p, w, 1)) == NULL)
		return;
	for (i = 2; i < w->n && strcmp(w->w[i], "listen") != 0 &&
	    strcmp(w->w[i], "on") != 0; i++) {
		if (j->naddr == SCN_ADDRS_MAX) {
			scn_perr(p, p->line, "more than %d addresses", SCN_ADDRS_MAX);
			goto drop;
		}
		if (pkt_addr_parse(w->w[i], &j->addr[j->naddr]) == -1) {
			scn_perr(p, p->line, "bad address \"%s\"", w->w[i]);
			goto drop;
		}
		j->naddr++;
	}
	if (j->naddr == 0)
		scn_perr(p, p->line, "jail %s has no address", j->name);
	if (i < w->n && strcmp(w->w[i], "on") == 0) {
		if (i + 1 >= w->n || !scn_ifname_ok(p, w->w[i + 1])) {
			if (i + 1 >= w->n)
				scn_perr(p, p->line, "jail %s: on what interface?", j->name);
			goto drop;
		}
		j->kind = SCN_JAIL_PUBLIC;
		snprintf(j->on, sizeof(j->on), "%s", w->w[i + 1]);
		i += 2;
		if (i < w->n && strcmp(w->w[i], "listen") != 0) {
			scn_perr(p, p->line, "jail %s: unexpected \"%s\" after on %s", j->name,
			    w->w[i], j->on);
			goto drop;
		}
	}
	if (i < w->n)
		(void)scn_listen_parse(p, w, i + 1, j->listen, &j->nlisten);
	return;
drop:
	/* gone, so that the world's checks add no noise about it */
	p->s->njail--;
}

/* `vnet jail NAME ADDR/LEN on BRIDGE [gateway ADDR] [listen PROTO/PORT,...]` */
void
scn_st_vnet(struct parser *p, struct words *w)
{
	struct scn_jail *j;
	int i = 6;

	if (w->n < 6 || strcmp(w->w[1], "jail") != 0 || strcmp(w->w[4], "on") != 0 ||
	    (w->n > 6 && strcmp(w->w[6], "gateway") != 0 &&
	    strcmp(w->w[6], "listen") != 0) ||
	    (w->n > 6 && strcmp(w->w[6], "gateway") == 0 && w->n < 8)) {
		scn_perr(p, p->line, "usage: vnet jail NAME ADDR/LEN on BRIDGE [gateway "
		    "ADDR] [listen PROTO/PORT,...]");
		return;
	}
	if ((j = jail_new(p, w, 2)) == NULL)
		return;
	j->kind = SCN_JAIL_VNET;
	if (scn_prefix_parse(w->w[3], &j->addr[0], &j->plen) == -1) {
		scn_perr(p, p->line, "bad address \"%s\" (expected ADDR/LEN)", w->w[3]);
		goto drop;
	}
	j->naddr = 1;
	if (!scn_ifname_ok(p, w->w[5]))
		goto drop;
	snprintf(j->on, sizeof(j->on), "%s", w->w[5]);
	if (i < w->n && strcmp(w->w[i], "gateway") == 0) {
		if (pkt_addr_parse(w->w[i + 1], &j->gateway) == -1 ||
		    j->gateway.af != j->addr[0].af) {
			scn_perr(p, p->line, "bad gateway address \"%s\"", w->w[i + 1]);
			goto drop;
		}
		i += 2;
	}
	if (i < w->n && strcmp(w->w[i], "listen") != 0) {
		scn_perr(p, p->line, "jail %s: unexpected \"%s\"", j->name, w->w[i]);
		goto drop;
	}
	if (i < w->n)
		(void)scn_listen_parse(p, w, i + 1, j->listen, &j->nlisten);
	return;
drop:
	p->s->njail--;
}

/* ---- clients, routers, routes ---- */

/* `client ADDR [on IF] [listen PROTO/PORT,...]` */
void
scn_st_client(struct parser *p, struct words *w)
{
	struct scn_client *c, *nc;
	struct pkt_addr a;
	int i, at = 2;

	if (w->n < 2 || (w->n > 2 && strcmp(w->w[2], "listen") != 0 &&
	    strcmp(w->w[2], "on") != 0) || (w->n > 2 && strcmp(w->w[2], "on") == 0 &&
	    (w->n < 4 || (w->n > 4 && strcmp(w->w[4], "listen") != 0)))) {
		scn_perr(p, p->line, "usage: client ADDR [on IF] [listen PROTO/PORT,...]");
		return;
	}
	if (pkt_addr_parse(w->w[1], &a) == -1) {
		scn_perr(p, p->line, "bad address \"%s\"", w->w[1]);
		return;
	}
	for (i = 0; i < p->s->nclient; i++)
		if (pkt_addr_eq(&p->s->client[i].addr, &a)) {
			scn_perr(p, p->line, "client %s already declared at line %d", w->w[1],
			    p->s->client[i].line);
			return;
		}
	if (w->n > 2 && strcmp(w->w[2], "on") == 0 && !scn_ifname_ok(p, w->w[3]))
		return;
	if ((nc = grow(p, p->s->client, &p->s->nclient, sizeof(*nc))) == NULL)
		return;
	p->s->client = nc;
	c = &nc[p->s->nclient - 1];
	c->addr = a;
	c->line = p->line;
	c->router = -1;
	if (w->n > 2 && strcmp(w->w[2], "on") == 0) {
		snprintf(c->on, sizeof(c->on), "%s", w->w[3]);
		at = 4;
	}
	if (w->n > at)
		(void)scn_listen_parse(p, w, at + 1, c->listen, &c->nlisten);
}

/* NET/LEN with no host bits, into n; 0, or -1 after an error. */
static int
net_parse(struct parser *p, const char *word, struct scn_net *n)
{
	struct pkt_addr m;
	int i;

	if (scn_prefix_parse(word, &n->addr, &n->plen) == -1) {
		scn_perr(p, p->line, "bad network \"%s\" (expected NET/LEN)", word);
		return (-1);
	}
	m = n->addr;
	for (i = n->plen; i < scn_plen_max(m.af); i++)
		m.a[i / 8] &= (uint8_t)~(1 << (7 - i % 8));
	if (!pkt_addr_eq(&m, &n->addr)) {
		scn_perr(p, p->line, "%s has host bits set", word);
		return (-1);
	}
	return (0);
}

/* `router ADDR on IF routes NET/LEN,...` */
void
scn_st_router(struct parser *p, struct words *w)
{
	struct scn_router *nr, *r;
	char all[1024] = "", *tok, *save;
	size_t len, n0 = 0;
	int i;

	if (w->n < 6 || strcmp(w->w[2], "on") != 0 || strcmp(w->w[4], "routes") != 0) {
		scn_perr(p, p->line, "usage: router ADDR on IF routes NET/LEN,...");
		return;
	}
	if ((nr = grow(p, p->s->router, &p->s->nrouter, sizeof(*nr))) == NULL)
		return;
	p->s->router = nr;
	r = &nr[p->s->nrouter - 1];
	r->line = p->line;
	r->wire = -1;
	if (pkt_addr_parse(w->w[1], &r->addr) == -1) {
		scn_perr(p, p->line, "bad address \"%s\"", w->w[1]);
		goto drop;
	}
	if (!scn_ifname_ok(p, w->w[3]))
		goto drop;
	snprintf(r->on, sizeof(r->on), "%s", w->w[3]);
	for (i = 5; i < w->n; i++) {
		len = strlen(w->w[i]);
		if (n0 + len + 1 >= sizeof(all))
			break;
		memcpy(all + n0, w->w[i], len + 1);
		n0 += len;
	}
	for (tok = strtok_r(all, ",", &save); tok != NULL; tok = strtok_r(NULL, ",",
	    &save)) {
		if (r->nnet == SCN_NETS_MAX) {
			scn_perr(p, p->line, "more than %d networks behind one router",
			    SCN_NETS_MAX);
			goto drop;
		}
		if (net_parse(p, tok, &r->net[r->nnet]) == -1)
			goto drop;
		r->nnet++;
	}
	return;
drop:
	p->s->nrouter--;
}

/* `route NET/LEN via ADDR` */
void
scn_st_route(struct parser *p, struct words *w)
{
	struct scn_route *nr, *r;
	struct scn_net n;
	struct pkt_addr via;

	if (w->n != 4 || strcmp(w->w[2], "via") != 0) {
		scn_perr(p, p->line, "usage: route NET/LEN via ADDR");
		return;
	}
	if (net_parse(p, w->w[1], &n) == -1)
		return;
	if (pkt_addr_parse(w->w[3], &via) == -1 || via.af != n.addr.af) {
		scn_perr(p, p->line, "bad gateway address \"%s\"", w->w[3]);
		return;
	}
	if ((nr = grow(p, p->s->route, &p->s->nroute, sizeof(*nr))) == NULL)
		return;
	p->s->route = nr;
	r = &nr[p->s->nroute - 1];
	r->net = n;
	r->via = via;
	r->line = p->line;
}
