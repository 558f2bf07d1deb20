/* adm_scn.c: a world as scenario statements (DESIGN.md, format v2, "The world"): the
 * external interfaces with their addresses, aliases, IPv6, MTU and groups, the jails'
 * loopback and its network, the jails on it, on an external interface or on a bridge
 * (VNET), routes, forwarding, the ruleset and Bastille's rdr anchors; each statement
 * followed by the file and line it comes from. What a scenario cannot hold is said.
 * Where each piece goes is adm_place.c's; the text read back, adm_origin.c's. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm_impl.h"

/* What format v2 holds (scn.h: SCN_IFS_MAX, SCN_IFADDRS_MAX, SCN_ADDRS_MAX,
 * SCN_NAME_MAX; scn_world.c: SCN_MTU_MIN, SCN_MTU_MAX). */
#define SCN_IFS		8
#define SCN_IFADDRS	16
#define SCN_JADDRS	8
#define SCN_JNAME	32
#define SCN_MTU_MIN	576
#define SCN_MTU_MAX	9000
#define SCN_GROUP_IFS	16

struct emit {
	struct adm_world *w;
	FILE		*out;
	int		 problems;
	const struct adm_if *lo;	/* the jails' loopback, or NULL */
	struct adm_addr	 lo_net;
	const struct adm_if *primary;
	char		 built[64][ADM_IFNAMSIZ];	/* interfaces the scenario has */
	int		 nbuilt;
};

static void
problem(struct emit *e, const struct adm_at *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Something the scenario cannot hold: an error, said once per world. */
static void
problem(struct emit *e, const struct adm_at *at, const char *fmt, ...)
{
	char m[1024];
	va_list ap;

	e->problems++;
	if (e->w->written)
		return;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	adm_err(e->w, at != NULL ? at->file : NULL, at != NULL ? at->line : 0, "%s", m);
}

/* A line and its origin, as a comment after it. */
static void
line(struct emit *e, const struct adm_at *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
line(struct emit *e, const struct adm_at *at, const char *fmt, ...)
{
	char m[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	n = fprintf(e->out, "%s", m);
	if (at != NULL && at->file != NULL) {
		fprintf(e->out, "%*s# %s", n < 40 ? 40 - n : 1, "", at->file);
		if (at->line > 0)
			fprintf(e->out, ":%d", at->line);
		if (at->what[0] != '\0')
			fprintf(e->out, " %s", at->what);
	}
	fputc('\n', e->out);
}

static void
built(struct emit *e, const char *name)
{
	if (e->nbuilt < 64)
		snprintf(e->built[e->nbuilt++], ADM_IFNAMSIZ, "%s", name);
}

static int
is_built(const struct emit *e, const char *name)
{
	int i;

	for (i = 0; i < e->nbuilt; i++)
		if (strcmp(e->built[i], name) == 0)
			return (1);
	return (strcmp(name, "lo0") == 0);
}


/* The gateway of the primary interface's first address: the default router when it
 * is in the network; else none written, unless the harness's default (the last usable
 * address) is the host's own: then the first usable one. */
static void
gateway(struct emit *e, const struct adm_addr *a, char *out, size_t cap,
    struct adm_at *at)
{
	const struct adm_addr *g = &e->w->defrouter[a->af == AF_INET6];
	struct adm_addr n;
	char b[64];
	int max = a->af == AF_INET ? 32 : 128, i;

	out[0] = '\0';
	if (g->af != 0 && adm_addr_in(g, a->a, a->af, a->plen)) {
		snprintf(out, cap, " gateway %s", adm_addr_str(g, b, sizeof(b)));
		*at = g->at;
		return;
	}
	if (a->plen >= max - 1)
		return;
	/* the last usable address: all host bits set (IPv4: but the broadcast's last) */
	adm_addr_masked(a, a->plen, &n);
	for (i = a->plen; i < max; i++)
		n.a[i / 8] |= (uint8_t)(1 << (7 - i % 8));
	if (a->af == AF_INET)
		n.a[3]--;
	if (adm_addr_eq(&n, a)) {
		adm_addr_masked(a, a->plen, &n);
		n.a[a->af == AF_INET ? 3 : 15] |= 1;
		snprintf(out, cap, " gateway %s", adm_addr_str(&n, b, sizeof(b)));
	}
}

static void
external_if(struct emit *e, const struct adm_if *ifp, int primary)
{
	const struct adm_world *w = e->w;
	char b[64], gw[96];
	struct adm_at gat;
	int k, first4 = -1, first6 = -1, n = 0;

	for (k = 0; k < ifp->naddr; k++) {
		if (ifp->addr[k].af == AF_INET && first4 == -1)
			first4 = k;
		if (ifp->addr[k].af == AF_INET6 && first6 == -1 &&
		    !(ifp->addr[k].a[0] == 0xfe && (ifp->addr[k].a[1] & 0xc0) == 0x80))
			first6 = k;
	}
	built(e, ifp->name);
	if (adm_nic_bridge(w, ifp) && !w->written)
		adm_warn(e->w, ifp->at.file, ifp->at.line, "%s: bridge %s of the host's NICs "
		    "is written as one external interface: pf sees the host's traffic on "
		    "it; what passes between its members is not modelled", ifp->at.what,
		    ifp->name);
	if (first4 == -1 && first6 == -1) {
		line(e, &ifp->at, "host %s down", ifp->name);
		return;
	}
	k = first4 != -1 ? first4 : first6;
	gw[0] = '\0';
	gat = ifp->addr[k].at;
	if (primary)
		gateway(e, &ifp->addr[k], gw, sizeof(gw), &gat);
	line(e, &ifp->addr[k].at, "host %s %s/%d%s", ifp->name, adm_addr_str(&ifp->addr[k],
	    b, sizeof(b)), ifp->addr[k].plen, gw);
	n++;
	for (k = 0; k < ifp->naddr; k++) {
		const struct adm_addr *a = &ifp->addr[k];

		if (k == first4 || (first4 == -1 && k == first6))
			continue;
		if (a->af == AF_INET6 && a->a[0] == 0xfe && (a->a[1] & 0xc0) == 0x80)
			continue;	/* link-local: every IPv6 interface has its own */
		if (++n > SCN_IFADDRS) {
			problem(e, &a->at, "%s: %s has more than %d addresses: a scenario holds "
			    "%d of one interface; %s and the ones after it are left out",
			    a->at.what, ifp->name, SCN_IFADDRS, SCN_IFADDRS,
			    adm_addr_str(a, b, sizeof(b)));
			break;
		}
		gw[0] = '\0';
		if (a->af == AF_INET6 && k == first6 && first4 != -1 && primary)
			gateway(e, a, gw, sizeof(gw), &gat);
		line(e, &a->at, "host %s %s %s/%d%s", ifp->name, a->af == AF_INET6 &&
		    k == first6 ? "inet6" : "alias", adm_addr_str(a, b, sizeof(b)), a->plen,
		    gw);
	}
	if (ifp->mtu != 0 && ifp->mtu != 1500) {
		if (ifp->mtu < SCN_MTU_MIN || ifp->mtu > SCN_MTU_MAX)
			problem(e, &ifp->mtu_at, "%s: mtu %d of %s: a scenario's is %d to %d",
			    ifp->mtu_at.what, ifp->mtu, ifp->name, SCN_MTU_MIN, SCN_MTU_MAX);
		else
			line(e, &ifp->mtu_at, "host %s mtu %d", ifp->name, ifp->mtu);
	}
}

static void
externals(struct emit *e)
{
	const struct adm_world *w = e->w;
	const struct adm_if *ifp;
	int i, n = 0;

	e->primary = adm_pick_primary(w);
	if (e->primary != NULL) {
		external_if(e, e->primary, 1);
		n++;
	} else if ((ifp = adm_first_named(w)) != NULL && ifp->dhcp)
		e->problems++;	/* said: its address comes from DHCP, give it with --if */
	else if (ifp != NULL)
		problem(e, &ifp->at, "%s: the host has no interface with an address: a "
		    "scenario needs one (give it with --if %s=ADDR/LEN)", ifp->at.what,
		    ifp->name);
	else
		problem(e, NULL, "the files give the host no interface: a scenario needs one "
		    "with an address (give it with --if IF=ADDR/LEN)");
	for (i = 0; i < w->nifs; i++) {
		ifp = &w->ifs[i];
		if (ifp == e->primary || !adm_external(w, ifp))
			continue;
		if (ifp->kind == ADM_IF_ETHER && strncmp(ifp->name, "epair", 5) == 0)
			continue;
		if (++n > SCN_IFS) {
			problem(e, &ifp->at, "%s: a scenario holds %d external interfaces: %s "
			    "is left out", ifp->at.what, SCN_IFS, ifp->name);
			continue;
		}
		external_if(e, ifp, 0);
	}
	if (w->defrouter[0].af != 0 && e->primary != NULL) {
		int k, in = 0;

		for (k = 0; k < e->primary->naddr; k++)
			in |= adm_addr_in(&w->defrouter[0], e->primary->addr[k].a,
			    e->primary->addr[k].af, e->primary->addr[k].plen);
		if (!in)
			problem(e, &w->defrouter[0].at, "defaultrouter: no network of the "
			    "host's interfaces holds it");
	}
}

/* A jail's name as a scenario's (a letter, then letters, digits, _ or -). */
static void
jail_name(const char *in, char *out, size_t cap)
{
	size_t i, n = 0;

	if (!isalpha((unsigned char)in[0]) && cap > 2)
		out[n++] = 'j';
	for (i = 0; in[i] != '\0' && n + 1 < cap && n + 1 < SCN_JNAME; i++)
		out[n++] = isalnum((unsigned char)in[i]) || in[i] == '-' ? in[i] : '_';
	out[n] = '\0';
}

static void
jail_addrs(struct emit *e, const struct adm_jail *j, const struct adm_if *on,
    char *buf, size_t cap, int loop)
{
	char b[64];
	size_t n = 0;
	int k, c = 0;

	buf[0] = '\0';
	for (k = 0; k < j->naddr; k++) {
		const struct adm_jaddr *x = &j->addr[k];

		adm_addr_str(&x->a, b, sizeof(b));
		if (strcmp(x->ifname, on->name) != 0) {
			problem(e, &x->a.at, "jail %s: %s is on %s, its other addresses on %s: "
			    "a scenario's jail is on one interface; %s is left out", j->name, b,
			    x->ifname[0] ? x->ifname : "no interface", on->name, b);
			continue;
		}
		if (loop && !adm_addr_in(&x->a, e->lo_net.a, e->lo_net.af, e->lo_net.plen)) {
			problem(e, &x->a.at, "jail %s: %s is outside the loopback network the "
			    "scenario gives %s (one family, one network): it is left out",
			    j->name, b, on->name);
			continue;
		}
		if (++c > SCN_JADDRS) {
			problem(e, &x->a.at, "jail %s: a scenario's jail has %d addresses at "
			    "most; %s is left out", j->name, SCN_JADDRS, b);
			continue;
		}
		n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, " %s", b);
	}
}

static void
jails(struct emit *e)
{
	const struct adm_world *w = e->w;
	const struct adm_jail *j;
	const struct adm_if *ifp;
	char name[SCN_JNAME + 2], addrs[1024], b[64], gw[96];
	int i, k;

	for (i = 0; i < w->njail; i++) {
		j = &w->jail[i];
		jail_name(j->name, name, sizeof(name));
		switch (adm_where(w, j, &ifp)) {
		case ADM_W_NONE:
			break;
		case ADM_W_LOOP:
			if (ifp != e->lo) {
				problem(e, &j->at, "jail %s is on %s, other jails on %s: a "
				    "scenario has one loopback for its jails; %s is left out",
				    j->name, ifp->name, e->lo->name, j->name);
				break;
			}
			jail_addrs(e, j, ifp, addrs, sizeof(addrs), 1);
			if (addrs[0] != '\0')
				line(e, &j->at, "jail %s%s", name, addrs);
			break;
		case ADM_W_EXT:
			if (!is_built(e, ifp->name) || ifp->kind == ADM_IF_BRIDGE ||
			    strcmp(ifp->name, "lo0") == 0) {
				problem(e, &j->addr[0].a.at, "jail %s: its addresses are on %s, "
				    "which a scenario does not build as an external interface; "
				    "it is left out", j->name, ifp->name);
				break;
			}
			jail_addrs(e, j, ifp, addrs, sizeof(addrs), 0);
			if (addrs[0] != '\0')
				line(e, &j->at, "jail %s%s on %s", name, addrs, ifp->name);
			break;
		case ADM_W_VNET:
			if (j->external[0] != '\0' || ifp == NULL || !is_built(e, ifp->name))
				break;	/* said: no bridge */
			for (k = 1; k < j->naddr; k++)
				problem(e, &j->addr[k].a.at, "jail %s: a scenario's VNET jail "
				    "has one address; %s is left out", j->name,
				    adm_addr_str(&j->addr[k].a, b, sizeof(b)));
			gw[0] = '\0';
			if (j->gw.af != 0) {
				int own = 0;

				for (k = 0; k < ifp->naddr; k++)
					own |= adm_addr_eq(&j->gw, &ifp->addr[k]);
				if (!own)
					snprintf(gw, sizeof(gw), " gateway %s",
					    adm_addr_str(&j->gw, b, sizeof(b)));
			}
			line(e, &j->at, "vnet jail %s %s/%d on %s%s", name,
			    adm_addr_str(&j->addr[0].a, b, sizeof(b)), j->addr[0].a.plen,
			    ifp->name, gw);
			break;
		}
	}
}

/* Bridges with the host's address: `bridge IF ADDR/LEN`. */
static void
bridges(struct emit *e)
{
	const struct adm_world *w = e->w;
	const struct adm_if *ifp;
	char b[64];
	int i, k, first;

	for (i = 0; i < w->nifs; i++) {
		ifp = &w->ifs[i];
		if (ifp->kind != ADM_IF_BRIDGE || adm_nic_bridge(w, ifp))
			continue;
		for (k = 0; k < ifp->nmember; k++)
			if (strncmp(ifp->member[k], "epair", 5) != 0)
				problem(e, &ifp->at, "%s: bridge %s has member %s and VNET "
				    "jails: jails on the NIC's wire are not a world the harness "
				    "builds (the bridge is built with the jails' epairs only)",
				    ifp->at.what, ifp->name, ifp->member[k]);
		for (k = 0, first = -1; k < ifp->naddr && first == -1; k++)
			if (ifp->addr[k].af == AF_INET)
				first = k;
		if (first == -1) {
			/* a bridge of NICs (addm em1) without an address of the host: it
			 * exists, pf sees it, no jail reaches the host through it */
			line(e, &ifp->at, "host %s down", ifp->name);
			built(e, ifp->name);
			continue;
		}
		line(e, &ifp->addr[first].at, "bridge %s %s/%d", ifp->name,
		    adm_addr_str(&ifp->addr[first], b, sizeof(b)), ifp->addr[first].plen);
		built(e, ifp->name);
		for (k = 0; k < ifp->naddr; k++)
			if (k != first && !(ifp->addr[k].af == AF_INET6 &&
			    ifp->addr[k].a[0] == 0xfe))
				problem(e, &ifp->addr[k].at, "%s: a scenario's bridge has one "
				    "address; %s is left out", ifp->addr[k].at.what,
				    adm_addr_str(&ifp->addr[k], b, sizeof(b)));
	}
}

static void
loopback(struct emit *e)
{
	const struct adm_world *w = e->w;
	char b[64];
	int i, k;

	if (e->lo == NULL)
		return;
	line(e, &e->lo->at, "loopback %s %s/%d", e->lo->name, adm_addr_str(&e->lo_net, b,
	    sizeof(b)), e->lo_net.plen);
	built(e, e->lo->name);
	for (k = 0; k < e->lo->naddr && !w->written; k++)
		adm_warn(e->w, e->lo->addr[k].at.file, e->lo->addr[k].at.line, "%s: %s/%d is "
		    "the host's own address on %s: the harness's loopback holds the jails' "
		    "addresses only (pf's %s:network is theirs)", e->lo->addr[k].at.what,
		    adm_addr_str(&e->lo->addr[k], b, sizeof(b)), e->lo->addr[k].plen,
		    e->lo->name, e->lo->name);
	for (i = 0; i < w->nifs; i++)
		if (w->ifs[i].kind == ADM_IF_LOOPBACK && &w->ifs[i] != e->lo &&
		    strcmp(w->ifs[i].name, "lo0") != 0)
			problem(e, &w->ifs[i].at, "%s: a scenario has one loopback for its jails "
			    "(%s): %s is left out", w->ifs[i].at.what, e->lo->name,
			    w->ifs[i].name);
}

/* 1 when the scenario puts ifp in group g itself: a loopback in lo, a bridge it
 * builds as one (`bridge IF ADDR/LEN`) in bridge (pfhost.c). */
static int
implied(const struct emit *e, const struct adm_if *ifp, const char *g)
{
	if (strcmp(g, "lo") == 0)
		return (ifp->kind == ADM_IF_LOOPBACK);
	if (strcmp(g, "bridge") == 0)
		return (ifp->kind == ADM_IF_BRIDGE && !adm_nic_bridge(e->w, ifp));
	return (0);
}

/* 1 when ifp is in group g. */
static int
in_group(const struct adm_if *ifp, const char *g)
{
	int y;

	for (y = 0; y < ifp->ngroup; y++)
		if (strcmp(ifp->group[y], g) == 0)
			return (1);
	return (0);
}

/* Groups of the built interfaces: rc.conf's and --group's, and the cloners' groups a
 * scenario does not add itself. */
static void
groups(struct emit *e)
{
	const struct adm_world *w = e->w;
	char seen[64][ADM_IFNAMSIZ], list[1024];
	const struct adm_if *x;
	const char *g;
	size_t n;
	int i, k, m, ns = 0, c;

	for (i = 0; i < w->nifs; i++)
		for (k = 0; k < w->ifs[i].ngroup; k++) {
			g = w->ifs[i].group[k];
			for (m = 0; m < ns && strcmp(seen[m], g) != 0; m++)
				;
			if (m < ns || ns == 64)
				continue;
			snprintf(seen[ns++], ADM_IFNAMSIZ, "%s", g);
			list[0] = '\0';
			for (m = 0, n = 0, c = 0; m < w->nifs; m++) {
				x = &w->ifs[m];
				if (!in_group(x, g) || implied(e, x, g) || !is_built(e, x->name) ||
				    c == SCN_GROUP_IFS)
					continue;
				c++;
				n += (size_t)snprintf(list + n, n < sizeof(list) ? sizeof(list) - n :
				    0, " %s", x->name);
			}
			if (list[0] != '\0')
				line(e, &w->ifs[i].group_at[k], "group %s%s", g, list);
		}
}

static void
routes(struct emit *e)
{
	const struct adm_world *w = e->w;
	char a[64], b[64];
	int i;

	for (i = 0; i < w->nroute; i++)
		line(e, &w->route[i].net.at, "route %s/%d via %s", adm_addr_str(
		    &w->route[i].net, a, sizeof(a)), w->route[i].net.plen,
		    adm_addr_str(&w->route[i].via, b, sizeof(b)));
}

static void
forwarding(struct emit *e)
{
	static const char *const names[] = { "net.inet.ip.forwarding",
	    "net.inet6.ip6.forwarding" };
	static const char *const knobs[] = { "gateway_enable", "ipv6_gateway_enable" };
	const struct adm_world *w = e->w;
	int af, bridge = 0, i;

	for (i = 0; i < w->nifs; i++)
		bridge |= w->ifs[i].kind == ADM_IF_BRIDGE && w->ifs[i].naddr > 0;
	for (af = 0; af < 2; af++) {
		if (w->forward[af] == 1)
			line(e, &w->forward_at[af], "sysctl %s=1", names[af]);
		else if (bridge || w->nroute > 0) {
			/* a scenario forwards by default when it has a bridge or a route;
			 * FreeBSD does not unless the knob says so */
			struct adm_at at = w->forward_at[af];

			if (at.file == NULL)
				adm_at_set(&at, "/etc/defaults/rc.conf", 0, knobs[af]);
			line(e, &at, "sysctl %s=0", names[af]);
		}
	}
}

static void
ruleset(struct emit *e)
{
	struct adm_world *w = e->w;
	char *path, *real;
	FILE *f;

	if (w->pf_given)
		return;
	if (!w->pf_enable) {
		fprintf(e->out, "# pf_enable is not YES: pf does not run on this host\n");
		return;
	}
	if ((path = adm_world_pf_path(w)) == NULL)
		return;
	if ((f = fopen(path, "r")) == NULL) {
		const struct adm_at *at = w->pf_rules_at.line > 0 ? &w->pf_rules_at :
		    &w->pf_at;

		if (!w->written)
			adm_warn(w, at->file, at->line, "%s: the ruleset %s is not there%s: "
			    "no `pf file` written", at->what, path, w->root != NULL ?
			    " (under --root)" : "");
		free(path);
		return;
	}
	fclose(f);
	real = realpath(path, NULL);
	line(e, &w->pf_rules_at, "pf file %s", real != NULL ? real : path);
	free(real);
	free(path);
}

static void
anchors(struct emit *e)
{
	struct adm_world *w = e->w;
	char *text, name[SCN_JNAME + 2];
	const char *table;
	int i;

	if ((text = adm_bastille_table(w, &table)) != NULL) {
		fprintf(e->out, "\n# Bastille adds its jails' addresses to <%s> when it "
		    "starts them\npfctl -t %s -T add %s\n", table, table, text);
		free(text);
	}
	for (i = 0; i < w->njail; i++) {
		if ((text = adm_jail_rdr(w, &w->jail[i])) == NULL)
			continue;
		jail_name(w->jail[i].name, name, sizeof(name));
		fprintf(e->out, "\n# %s: what `bastille rdr %s` loads\n",
		    w->jail[i].rdr_at.file, w->jail[i].name);
		fprintf(e->out, "pfctl -a rdr/%s -f <<EOF\n%sEOF\n", w->jail[i].name, text);
		free(text);
	}
}

int
adm_world_scn(struct adm_world *w, FILE *out)
{
	struct emit e;

	adm_world_finish(w);
	memset(&e, 0, sizeof(e));
	e.w = w;
	e.out = out;
	e.lo = adm_pick_loopback(w, &e.lo_net);
	externals(&e);
	bridges(&e);
	loopback(&e);
	groups(&e);
	jails(&e);
	routes(&e);
	forwarding(&e);
	ruleset(&e);
	anchors(&e);
	w->written = 1;
	return (e.problems);
}
