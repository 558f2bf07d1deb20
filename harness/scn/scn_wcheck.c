/* scn_wcheck.c: the checks of the whole world once every statement is read: names,
 * addresses where their statements want them, which wire each client is on. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_impl.h"

#define SCN_MTU_INET6	1280	/* IPv6's minimum link MTU (RFC 8200 5) */

/* The external interface a is on-link on (in one of its subnets), or -1. */
static int
onlink_if(const struct scn *s, const struct pkt_addr *a)
{
	int i, k;

	for (i = 0; i < s->niface; i++)
		for (k = 0; k < s->iface[i].naddr; k++)
			if (scn_in_net(a, &s->iface[i].addr[k].addr, s->iface[i].addr[k].plen))
				return (i);
	return (-1);
}

int
scn_wire_of(const struct scn *s, const struct pkt_addr *a, int *router)
{
	int i, k, best = -1, wire = -1, rt = -1;

	for (i = 0; i < s->nrouter; i++)
		for (k = 0; k < s->router[i].nnet; k++)
			if (s->router[i].net[k].plen > best &&
			    scn_in_net(a, &s->router[i].net[k].addr,
			    s->router[i].net[k].plen)) {
				best = s->router[i].net[k].plen;
				wire = s->router[i].wire;
				rt = i;
			}
	for (i = 0; i < s->nroute; i++)
		if (s->route[i].net.plen > best && scn_in_net(a,
		    &s->route[i].net.addr, s->route[i].net.plen)) {
			best = s->route[i].net.plen;
			wire = onlink_if(s, &s->route[i].via);
			rt = -1;
		}
	if (router != NULL)
		*router = rt;
	if (wire != -1)
		return (wire);
	if ((wire = onlink_if(s, a)) != -1)
		return (wire);
	if (s->niface > 0 && (a->af == AF_INET6 ? s->iface[0].gw6.af :
	    s->iface[0].gw4.af) != 0)
		return (0);
	return (-1);
}

/* Where a client sits: `on IF`, else where the host's route to it goes. */
static int
client_wire(const struct scn *s, struct scn_client *c)
{
	int wire = scn_wire_of(s, &c->addr, &c->router);

	if (c->on[0] != '\0')
		return (scn_if_find(s, c->on));
	return (wire);
}

static int
is_loopback_name(const char *n)
{
	return (strncmp(n, "lo", 2) == 0 && (n[2] == '\0' || isdigit((unsigned char)n[2])));
}

/* Interface names: distinct, external ones and bridges not loopbacks. */
static void
check_ifnames(struct parser *p)
{
	struct scn *s = p->s;
	int i, k;

	for (i = 0; i < s->niface; i++) {
		if (is_loopback_name(s->iface[i].name))
			scn_perr(p, s->iface[i].line, "the external interface cannot be a "
			    "loopback (%s)", s->iface[i].name);
		if (s->lo_line && strcmp(s->iface[i].name, s->lo_if) == 0)
			scn_perr(p, s->lo_line, "interface %s is both the host's (line %d) "
			    "and the loopback", s->lo_if, s->iface[i].line);
	}
	if (s->lo_line && (strcmp(s->lo_if, "lo0") == 0 || strcmp(s->lo_if, "lo") == 0))
		scn_perr(p, s->lo_line, "%s is the system loopback; the jails need a cloned "
		    "one (e.g. lo1)", s->lo_if);
	for (i = 0; i < s->nbridge; i++) {
		if (is_loopback_name(s->bridge[i].name))
			scn_perr(p, s->bridge[i].line, "a bridge cannot be a loopback (%s)",
			    s->bridge[i].name);
		if ((k = scn_if_find(s, s->bridge[i].name)) != -1)
			scn_perr(p, s->bridge[i].line, "interface %s is both a bridge and "
			    "external (line %d)", s->bridge[i].name, s->iface[k].line);
		if (s->lo_line && strcmp(s->bridge[i].name, s->lo_if) == 0)
			scn_perr(p, s->bridge[i].line, "interface %s is both a bridge and the "
			    "loopback", s->bridge[i].name);
		if (strncmp(s->bridge[i].name, "epair", 5) == 0)
			scn_perr(p, s->bridge[i].line, "epair names are the VNET jails' "
			    "(the harness names them epair0a, epair1a...)");
	}
	for (i = 0; i < s->niface; i++)
		if (strncmp(s->iface[i].name, "epair", 5) == 0)
			scn_perr(p, s->iface[i].line, "epair names are the VNET jails' (the "
			    "harness names them epair0a, epair1a...)");
}

/* 1 when name is an interface of the world (external, bridge, loopback, lo0 or a VNET
 * jail's epairNa). */
static int
if_known(const struct scn *s, const char *name)
{
	char e[SCN_NAME_MAX];
	int i, n = 0;

	if (scn_if_find(s, name) != -1 || scn_bridge_find(s, name) != -1 ||
	    strcmp(name, "lo0") == 0 || (s->lo_line && strcmp(name, s->lo_if) == 0))
		return (1);
	for (i = 0; i < s->njail; i++)
		if (s->jail[i].kind == SCN_JAIL_VNET) {
			snprintf(e, sizeof(e), "epair%da", n++);
			if (strcmp(e, name) == 0)
				return (1);
		}
	return (0);
}

/* Each host address once; networks of different interfaces apart; MTU and IPv6. */
static void
check_ifaddrs(struct parser *p)
{
	struct scn *s = p->s;
	const struct scn_ifaddr *x, *y;
	char a[64], b[64];
	int i, k, m, n, v6;

	for (i = 0; i < s->niface; i++) {
		for (k = 0, v6 = 0; k < s->iface[i].naddr; k++) {
			x = &s->iface[i].addr[k];
			v6 |= x->addr.af == AF_INET6;
			for (m = 0; m <= i; m++)
				for (n = 0; n < (m == i ? k : s->iface[m].naddr); n++) {
					y = &s->iface[m].addr[n];
					pkt_addr_format(&x->addr, a, sizeof(a));
					if (pkt_addr_eq(&x->addr, &y->addr))
						scn_perr(p, x->line, "%s is already an address of "
						    "%s (line %d)", a, s->iface[m].name, y->line);
					else if (m != i && (scn_in_net(&x->addr, &y->addr,
					    y->plen) || scn_in_net(&y->addr, &x->addr,
					    x->plen)))
						scn_perr(p, x->line, "%s/%d on %s overlaps %s's "
						    "%s/%d (line %d)", a, x->plen,
						    s->iface[i].name, s->iface[m].name,
						    pkt_addr_format(&y->addr, b, sizeof(b)),
						    y->plen, y->line);
				}
		}
		if (v6 && s->iface[i].mtu != 0 && s->iface[i].mtu < SCN_MTU_INET6)
			scn_perr(p, s->iface[i].line, "%s has an IPv6 address: its mtu must "
			    "be at least %d", s->iface[i].name, SCN_MTU_INET6);
	}
	for (i = 0; i < s->nbridge; i++) {
		pkt_addr_format(&s->bridge[i].addr, a, sizeof(a));
		if (scn_host_has(s, &s->bridge[i].addr) && onlink_if(s,
		    &s->bridge[i].addr) != -1)
			scn_perr(p, s->bridge[i].line, "bridge %s: %s is another interface's "
			    "address", s->bridge[i].name, a);
		else if (onlink_if(s, &s->bridge[i].addr) != -1)
			scn_perr(p, s->bridge[i].line, "bridge %s: %s/%d overlaps an external "
			    "interface's network", s->bridge[i].name, a, s->bridge[i].plen);
		for (k = 0; k < i; k++)
			if (scn_in_net(&s->bridge[i].addr, &s->bridge[k].addr,
			    s->bridge[k].plen))
				scn_perr(p, s->bridge[i].line, "bridge %s: %s/%d overlaps "
				    "bridge %s's network", s->bridge[i].name, a,
				    s->bridge[i].plen, s->bridge[k].name);
	}
}

/* Groups name interfaces of the world. */
static void
check_groups(struct parser *p)
{
	const struct scn_group *g;
	int i, k;

	for (i = 0; i < p->s->ngroup; i++) {
		g = &p->s->group[i];
		for (k = 0; k < g->nif; k++)
			if (!if_known(p->s, g->ifname[k]))
				scn_perr(p, g->line, "group %s: no interface %s in this "
				    "world", g->name, g->ifname[k]);
	}
}

/* 1 when a belongs to a jail other than jail `skip` (-1: any). */
static int
jail_owner(const struct scn *s, const struct pkt_addr *a, int upto)
{
	int i, k;

	for (i = 0; i < upto; i++)
		for (k = 0; k < s->jail[i].naddr; k++)
			if (pkt_addr_eq(&s->jail[i].addr[k], a))
				return (i);
	return (-1);
}

/* One jail's addresses where its kind wants them. */
static void
check_jail(struct parser *p, int i)
{
	struct scn *s = p->s;
	struct scn_jail *j = &s->jail[i];
	char a[64];
	int k, o;

	if (j->kind == SCN_JAIL_PUBLIC) {
		j->iface = scn_if_find(s, j->on);
		if (j->iface == -1 || s->iface[j->iface].down)
			scn_perr(p, j->line, "jail %s: %s is not an external interface with "
			    "an address (`host %s ADDR/LEN`)", j->name, j->on, j->on);
	}
	if (j->kind == SCN_JAIL_VNET) {
		if ((j->bridge = scn_bridge_find(s, j->on)) == -1) {
			scn_perr(p, j->line, "jail %s: no bridge %s (`bridge %s ADDR/LEN`)",
			    j->name, j->on, j->on);
			return;
		}
		if (j->gateway.af == 0)
			j->gateway = s->bridge[j->bridge].addr;
		if (!scn_in_net(&j->gateway, &j->addr[0], j->plen))
			scn_perr(p, j->line, "jail %s: its gateway %s is not in its network",
			    j->name, pkt_addr_format(&j->gateway, a, sizeof(a)));
		if (!scn_in_net(&j->addr[0], &s->bridge[j->bridge].addr,
		    s->bridge[j->bridge].plen))
			scn_perr(p, j->line, "jail %s: %s is outside bridge %s's network",
			    j->name, pkt_addr_format(&j->addr[0], a, sizeof(a)), j->on);
	}
	for (k = 0; k < j->naddr; k++) {
		pkt_addr_format(&j->addr[k], a, sizeof(a));
		if (j->kind == SCN_JAIL_LO && s->lo_line && !scn_in_net(&j->addr[k],
		    &s->lo_net, s->lo_plen))
			scn_perr(p, j->line, "jail %s: %s is outside the loopback network",
			    j->name, a);
		if (j->kind != SCN_JAIL_LO && s->lo_line && scn_in_net(&j->addr[k],
		    &s->lo_net, s->lo_plen))
			scn_perr(p, j->line, "jail %s: %s is in the loopback network (a "
			    "loopback jail has no `on`)", j->name, a);
		if (scn_host_has(s, &j->addr[k]))
			scn_perr(p, j->line, "jail %s: %s is the host's address", j->name, a);
		if ((o = jail_owner(s, &j->addr[k], i)) != -1)
			scn_perr(p, j->line, "jail %s: %s is already jail %s's", j->name, a,
			    s->jail[o].name);
		else if (j->kind == SCN_JAIL_LO)
			for (o = 0; o < k; o++)
				if (pkt_addr_eq(&j->addr[o], &j->addr[k]))
					scn_perr(p, j->line, "jail %s: %s is already jail "
					    "%s's", j->name, a, j->name);
	}
}

/* 1 when a is on the host's side: its address, the loopback network, a jail's, a
 * bridge's network. */
static int
host_side(const struct scn *s, const struct pkt_addr *a)
{
	int i;

	if (scn_host_has(s, a) || jail_owner(s, a, s->njail) != -1 ||
	    (s->lo_line && scn_in_net(a, &s->lo_net, s->lo_plen)))
		return (1);
	for (i = 0; i < s->nbridge; i++)
		if (scn_in_net(a, &s->bridge[i].addr, s->bridge[i].plen))
			return (1);
	return (0);
}

static void
check_routers(struct parser *p)
{
	struct scn *s = p->s;
	struct scn_router *r;
	char a[64];
	int i, k;

	for (i = 0; i < s->nrouter; i++) {
		r = &s->router[i];
		pkt_addr_format(&r->addr, a, sizeof(a));
		if ((k = scn_if_find(s, r->on)) == -1 || s->iface[k].down) {
			scn_perr(p, r->line, "router %s: %s is not an external interface with "
			    "an address", a, r->on);
			continue;
		}
		r->wire = k;
		if (onlink_if(s, &r->addr) != k)
			scn_perr(p, r->line, "router %s is not in a network of %s", a, r->on);
		else if (host_side(s, &r->addr))
			scn_perr(p, r->line, "router %s is an address of the host's side", a);
	}
	for (i = 0; i < s->nroute; i++) {
		pkt_addr_format(&s->route[i].via, a, sizeof(a));
		if ((k = onlink_if(s, &s->route[i].via)) == -1 || s->iface[k].down)
			scn_perr(p, s->route[i].line, "route via %s: %s is in no network of "
			    "an external interface", a, a);
		else if (host_side(s, &s->route[i].via))
			scn_perr(p, s->route[i].line, "route via %s: an address of the "
			    "host's side", a);
	}
}

static void
check_clients(struct parser *p)
{
	struct scn *s = p->s;
	struct scn_client *c;
	char a[64];
	int i;

	for (i = 0; i < s->nclient; i++) {
		c = &s->client[i];
		pkt_addr_format(&c->addr, a, sizeof(a));
		if (host_side(s, &c->addr)) {
			scn_perr(p, c->line, "client %s is on the host side (the host's "
			    "address or the loopback network)", a);
			continue;
		}
		if ((c->wire = client_wire(s, c)) == -1) {
			if (c->on[0] != '\0')
				scn_perr(p, c->line, "client %s: no external interface %s",
				    a, c->on);
			else if (s->niface > 0)
				scn_perr(p, c->line, "client %s: the host has no route to it "
				    "(no gateway of its family: say `on IF`)", a);
			c->wire = 0;
		} else if (s->iface[c->wire].down)
			scn_perr(p, c->line, "client %s: interface %s is down", a,
			    s->iface[c->wire].name);
	}
}

void
scn_world_validate(struct parser *p)
{
	struct scn *s = p->s;
	int i, lo = 0;

	for (i = 0; i < s->njail; i++)
		lo |= s->jail[i].kind == SCN_JAIL_LO;
	if (!s->host_line && !p->world_only)
		scn_perr(p, 0, "no `host IF ADDR/LEN` statement");
	if (!s->lo_line && lo)
		scn_perr(p, 0, "no `loopback IF NET/LEN` statement");
	check_ifnames(p);
	check_ifaddrs(p);
	check_groups(p);
	check_routers(p);
	for (i = 0; i < s->njail; i++)
		check_jail(p, i);
	check_clients(p);
	if (s->gateway.af != 0 && host_side(s, &s->gateway) &&
	    !pkt_addr_eq(&s->gateway, &s->host_addr))
		scn_perr(p, s->host_line, "the gateway is an address of the host's side");
}
