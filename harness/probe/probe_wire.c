/* probe_wire.c: the world as a scenario writes it (probe_world_print), a scenario's
 * world taken as it is (--world), and what the generator asks of it: its jails and
 * clients, which wire an address is on, which addresses are the host's. A format v2
 * world keeps every statement; the probes say which ones they send nothing from or
 * through. */
#include <sys/socket.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_impl.h"

void
probe_world_say(struct probe_world *w, int limit, const char *fmt, ...)
{
	char **arr = limit ? w->limit : w->note;
	int *n = limit ? &w->nlimit : &w->nnote;
	va_list ap;
	char *s;

	if (*n == PROBE_NOTES_MAX)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) != -1)
		arr[(*n)++] = s;
	va_end(ap);
}

int
probe_world_jail(const struct probe_world *w, const struct pkt_addr *a)
{
	int i;

	for (i = 0; i < w->njail; i++)
		if (pkt_addr_eq(&w->jail[i].addr, a))
			return (i);
	return (-1);
}

int
probe_world_lojail(const struct probe_world *w, const struct pkt_addr *a)
{
	int i = probe_world_jail(w, a);

	return (i != -1 && !w->jail[i].vnet && !w->jail[i].pub ? i : -1);
}

int
probe_world_client(struct probe_world *w, const struct pkt_addr *a)
{
	int i;

	for (i = 0; i < w->nclient; i++)
		if (pkt_addr_eq(&w->client[i].addr, a))
			return (i);
	if (w->nclient == PROBE_CLIENTS_MAX)
		return (-1);
	if (w->nclient == w->cclient) {
		struct probe_client *nc;
		int cap = w->cclient ? w->cclient * 2 : 16;

		if ((nc = realloc(w->client, (size_t)cap * sizeof(*nc))) == NULL)
			return (-1);
		w->client = nc;
		w->cclient = cap;
	}
	memset(&w->client[w->nclient], 0, sizeof(w->client[0]));
	w->client[w->nclient].addr = *a;
	return (w->nclient++);
}

static void
print_listen(FILE *f, const struct scn_port *l, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%s/%u", i ? "," : " listen ", l[i].proto == 6 ? "tcp" : "udp",
		    l[i].port);
}

/* The default gateway a `host IF ADDR/LEN` line without `gateway` gets (the subnet's
 * last usable address, scn_world.c), to write `gateway` only when another was given. */
static int
default_gw(const struct scn_ifaddr *ia, const struct pkt_addr *gw)
{
	struct pkt_addr g = ia->addr;
	int i, n = ia->addr.af == AF_INET6 ? 16 : 4;

	for (i = ia->plen; i < n * 8; i++)
		g.a[i / 8] |= (uint8_t)(1 << (7 - i % 8));
	if (ia->addr.af == AF_INET && ia->plen < 31) {
		for (i = n - 1; i >= 0 && g.a[i] == 0; i--)
			g.a[i] = 0xff;
		g.a[i]--;
	}
	return (pkt_addr_eq(&g, gw));
}

/* `host ...` lines of external interface k: its address, aliases, inet6, mtu. */
static void
print_if(FILE *f, const struct scn *s, int k)
{
	const struct scn_if *ifp = &s->iface[k];
	const struct pkt_addr *gw;
	char a[64], g[80], b[64];
	int i, first4 = 1, first6 = 1, first;

	if (ifp->down)
		fprintf(f, "host %s down\n", ifp->name);
	for (i = 0; i < ifp->naddr; i++) {
		const struct scn_ifaddr *ia = &ifp->addr[i];

		first = ia->addr.af == AF_INET6 ? first6 : first4;
		if (ia->addr.af == AF_INET6)
			first6 = 0;
		else
			first4 = 0;
		pkt_addr_format(&ia->addr, a, sizeof(a));
		gw = ia->addr.af == AF_INET6 ? &ifp->gw6 : &ifp->gw4;
		g[0] = '\0';
		if (k == 0 && first && gw->af != 0 && !default_gw(ia, gw))
			snprintf(g, sizeof(g), " gateway %s", pkt_addr_format(gw, b,
			    sizeof(b)));
		if (i == 0)
			fprintf(f, "host %s %s/%d%s\n", ifp->name, a, ia->plen, g);
		else
			fprintf(f, "host %s %s %s/%d%s\n", ifp->name, ia->addr.af ==
			    AF_INET6 ? "inet6" : "alias", a, ia->plen, g);
	}
	if (ifp->mtu != 0)
		fprintf(f, "host %s mtu %d\n", ifp->name, ifp->mtu);
}

static void
print_jail(FILE *f, const struct probe_jail *j)
{
	char a[64];

	if (j->vnet) {
		fprintf(f, "vnet jail %s %s/%d on %s", j->name, pkt_addr_format(&j->addr, a,
		    sizeof(a)), j->plen, j->on);
		if (j->gateway.af != 0)
			fprintf(f, " gateway %s", pkt_addr_format(&j->gateway, a,
			    sizeof(a)));
	} else
		fprintf(f, "jail %s %s%s%s", j->name, pkt_addr_format(&j->addr, a,
		    sizeof(a)), j->pub ? " on " : "", j->pub ? j->on : "");
	print_listen(f, j->listen, j->nlisten);
	fprintf(f, "\n");
}

/* A format v2 scenario's statements before its loopback, and after its jails. */
static void
print_v2_top(FILE *f, const struct scn *s)
{
	int i, k;

	for (i = 0; i < s->niface; i++)
		print_if(f, s, i);
	for (i = 0; i < s->ngroup; i++) {
		fprintf(f, "group %s", s->group[i].name);
		for (k = 0; k < s->group[i].nif; k++)
			fprintf(f, " %s", s->group[i].ifname[k]);
		fprintf(f, "\n");
	}
	if (s->nhost_listen > 0) {
		fprintf(f, "host");
		print_listen(f, s->host_listen, s->nhost_listen);
		fprintf(f, "\n");
	}
}

static void
print_v2_routes(FILE *f, const struct scn *s)
{
	char a[64];
	int i, k;

	for (i = 0; i < s->nrouter; i++) {
		fprintf(f, "router %s on %s routes", pkt_addr_format(&s->router[i].addr, a,
		    sizeof(a)), s->router[i].on);
		for (k = 0; k < s->router[i].nnet; k++)
			fprintf(f, "%s%s/%d", k ? "," : " ", pkt_addr_format(
			    &s->router[i].net[k].addr, a, sizeof(a)), s->router[i].net[k].plen);
		fprintf(f, "\n");
	}
	for (i = 0; i < s->nroute; i++) {
		fprintf(f, "route %s/%d", pkt_addr_format(&s->route[i].net.addr, a,
		    sizeof(a)), s->route[i].net.plen);
		fprintf(f, " via %s\n", pkt_addr_format(&s->route[i].via, a, sizeof(a)));
	}
}

void
probe_world_print(const struct probe_world *w, FILE *f)
{
	const struct scn *s = w->scn;
	char a[64];
	int i;

	if (s != NULL)
		print_v2_top(f, s);
	else
		fprintf(f, "host %s %s/%d\n", w->ext_if, pkt_addr_format(&w->host_addr, a,
		    sizeof(a)), w->host_plen);
	if (w->lo_if[0] != '\0')
		fprintf(f, "loopback %s %s/%d\n", w->lo_if, pkt_addr_format(&w->lo_net, a,
		    sizeof(a)), w->lo_plen);
	for (i = 0; s != NULL && i < s->nbridge; i++)
		fprintf(f, "bridge %s %s/%d\n", s->bridge[i].name, pkt_addr_format(
		    &s->bridge[i].addr, a, sizeof(a)), s->bridge[i].plen);
	for (i = 0; i < w->njail; i++)
		print_jail(f, &w->jail[i]);
	if (s != NULL)
		print_v2_routes(f, s);
	for (i = 0; i < w->nclient; i++) {
		fprintf(f, "client %s", pkt_addr_format(&w->client[i].addr, a, sizeof(a)));
		if (w->client[i].on[0] != '\0')
			fprintf(f, " on %s", w->client[i].on);
		print_listen(f, w->client[i].listen, w->client[i].nlisten);
		fprintf(f, "\n");
	}
	for (i = 0; i < w->ndefine; i++)
		fprintf(f, "define %s\n", w->define[i]);
	for (i = 0; i < w->nsysctl; i++)
		fprintf(f, "sysctl %s\n", w->sysctl[i]);
	if (w->freebsd != 0)
		fprintf(f, "freebsd %d\n", w->freebsd);
}

/* What the probes leave out of scenario s's world (path for the messages): one line
 * in w->limit per statement. */
static void
limits(struct probe_world *w, const struct scn *s, const char *path)
{
	char a[64];
	int i, k, af = s->host_addr.af;

	for (i = 1; i < s->niface; i++) {
		for (k = 0; k < s->iface[i].naddr; k++)
			if (s->iface[i].addr[k].addr.af == af)
				break;
		if (s->iface[i].down)
			probe_world_say(w, 1, "%s:%d: host %s down: no packet arrives on it; "
			    "its rules get no probe", path, s->iface[i].line, s->iface[i].name);
		else if (k == s->iface[i].naddr)
			probe_world_say(w, 1, "%s:%d: host %s has no %s address: the probes "
			    "(%s) send nothing on its wire", path, s->iface[i].line,
			    s->iface[i].name, af == AF_INET6 ? "inet6" : "inet",
			    af == AF_INET6 ? "inet6" : "inet");
	}
	if (s->nbridge > 0 && !scn_forwarding(s, af))
		probe_world_say(w, 0, "%s: the host does not forward (%s=0): the VNET "
		    "jails reach the host only, and clients reach them not", path,
		    af == AF_INET6 ? "net.inet6.ip6.forwarding" : "net.inet.ip.forwarding");
	if (s->nhost_listen > 0)
		probe_world_say(w, 1, "%s:%d: host listen: probes go to the host's services; "
		    "the host connects to nothing (its own outbound packets get no probe)",
		    path, s->host_listen_line);
	if (s->host_addr.af == AF_INET)
		for (i = 0; i < s->niface; i++)
			for (k = 0; k < s->iface[i].naddr; k++)
				if (s->iface[i].addr[k].addr.af == AF_INET6) {
					probe_world_say(w, 1, "%s:%d: host %s inet6 %s: the "
					    "probes are inet (the primary interface's first "
					    "address); inet6 rules get no probe", path,
					    s->iface[i].addr[k].line, s->iface[i].name,
					    pkt_addr_format(&s->iface[i].addr[k].addr, a,
					    sizeof(a)));
					return;
				}
}

int
probe_world_from_scn(struct probe_world *w, const char *path, struct diag *d)
{
	struct scn *s;
	int i, k;

	if ((s = scn_parse_file(path, d)) == NULL)
		return (-1);
	w->scn = s;
	snprintf(w->ext_if, sizeof(w->ext_if), "%.*s", PFM_IFNAMSIZ - 1, s->host_if);
	w->host_addr = s->host_addr;
	w->host_plen = s->host_plen;
	if (s->lo_line) {
		snprintf(w->lo_if, sizeof(w->lo_if), "%.*s", PFM_IFNAMSIZ - 1, s->lo_if);
		w->lo_net = s->lo_net;
		w->lo_plen = s->lo_plen;
	}
	for (i = 0; i < s->njail && w->njail < PROBE_JAILS_MAX; i++)
		for (k = 0; k < s->jail[i].naddr && w->njail < PROBE_JAILS_MAX; k++) {
			const struct scn_jail *sj = &s->jail[i];
			struct probe_jail *j = &w->jail[w->njail++];

			memset(j, 0, sizeof(*j));
			snprintf(j->name, sizeof(j->name), "%s", sj->name);
			if (k > 0)
				snprintf(j->name, sizeof(j->name), "%.24s_%d", sj->name,
				    (k + 1) % 100);
			j->addr = sj->addr[k];
			memcpy(j->listen, sj->listen, sizeof(j->listen));
			j->nlisten = sj->nlisten;
			snprintf(j->why, sizeof(j->why), "from %s", path);
			memcpy(j->on, sj->on, sizeof(j->on));
			j->pub = sj->kind == SCN_JAIL_PUBLIC;
			if (sj->kind != SCN_JAIL_VNET)
				continue;
			j->vnet = 1;
			j->plen = sj->plen;
			if (sj->gateway.af != 0 && (sj->bridge < 0 ||
			    !pkt_addr_eq(&sj->gateway, &s->bridge[sj->bridge].addr)))
				j->gateway = sj->gateway;
		}
	for (i = 0; i < s->nclient; i++) {
		if ((k = probe_world_client(w, &s->client[i].addr)) == -1)
			break;
		memcpy(w->client[k].listen, s->client[i].listen,
		    sizeof(s->client[i].listen));
		w->client[k].nlisten = s->client[i].nlisten;
		memcpy(w->client[k].on, s->client[i].on, sizeof(w->client[k].on));
	}
	for (i = 0; i < s->ndefine && w->ndefine < PROBE_KV_MAX; i++)
		if (asprintf(&w->define[w->ndefine], "%s=%s", s->define[i].name,
		    s->define[i].value) != -1)
			w->ndefine++;
	for (i = 0; i < s->nsysctl && w->nsysctl < PROBE_KV_MAX; i++)
		if (asprintf(&w->sysctl[w->nsysctl], "%s=%s", s->sysctl[i].name,
		    s->sysctl[i].value) != -1)
			w->nsysctl++;
	if (w->freebsd == 0)		/* --freebsd wins over the scenario's */
		w->freebsd = s->freebsd;
	w->fixed = 1;
	probe_world_say(w, 0, "the world of %s, as it is", path);
	limits(w, s, path);
	return (0);
}

int
probe_world_wire(const struct probe_world *w, const struct pkt_addr *a)
{
	int i;

	if (w->as_run == NULL)
		return (0);
	for (i = 0; i < w->as_run->nclient; i++)
		if (pkt_addr_eq(&w->as_run->client[i].addr, a))
			return (w->as_run->client[i].wire);
	return (scn_wire_of(w->as_run, a, NULL));
}

const char *
probe_world_ifname(const struct probe_world *w, int wire)
{
	if (wire > 0 && w->as_run != NULL && wire < w->as_run->niface)
		return (w->as_run->iface[wire].name);
	return (w->ext_if);
}

int
probe_world_local(const struct probe_world *w, const struct pkt_addr *a)
{
	const struct scn *s = w->as_run;
	int i, k;

	if (pkt_addr_eq(a, &w->host_addr))
		return (1);
	if (s == NULL)
		return (0);
	if (scn_host_has(s, a))
		return (1);
	for (i = 0; i < s->njail; i++)
		for (k = 0; k < s->jail[i].naddr; k++)
			if (s->jail[i].kind == SCN_JAIL_PUBLIC &&
			    pkt_addr_eq(&s->jail[i].addr[k], a))
				return (1);
	return (0);
}

const char *
probe_world_party(const struct probe_world *w, int idx)
{
	if (idx == SCN_HOST)
		return ("host");
	if (w->as_run != NULL && idx >= 0 && idx < w->as_run->njail)
		return (w->as_run->jail[idx].name);
	return (idx >= 0 && idx < w->njail ? w->jail[idx].name : NULL);
}

int
probe_world_bridge(const struct probe_world *w, const struct pkt_addr *a)
{
	const struct scn *s = w->as_run;
	int i;

	for (i = 0; s != NULL && i < s->nbridge; i++)
		if (scn_in_net(a, &s->bridge[i].addr, s->bridge[i].plen) &&
		    !pkt_addr_eq(a, &s->bridge[i].addr))
			return (i);
	return (-1);
}

int
probe_world_forwards(const struct probe_world *w, int af)
{
	return (w->as_run != NULL && scn_forwarding(w->as_run, af));
}
