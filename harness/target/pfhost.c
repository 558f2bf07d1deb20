/* pfhost.c: a scenario's host as pf sees it (pfhost.h). */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfhost.h"

#define PFHOST_LO0	"lo0"

/* Add a to ifp; 0, or -1 with the scenario line that asked for one too many. */
static int
add(struct pfm_if *ifp, const struct pkt_addr *a, int plen, const struct scn *s,
    int line, struct diag *d)
{
	if (pfm_host_addr(ifp, a->af, a->a, plen) == 0)
		return (0);
	diag_add(d, s->path, line, "more than %d addresses on %s", PFM_IF_ADDRS,
	    ifp->name);
	return (-1);
}

/* The interface `name`, added when new; NULL with d when the model holds no more. */
static struct pfm_if *
iface(struct pfm_host *h, const char *name, const struct scn *s, int line,
    struct diag *d)
{
	struct pfm_if *ifp;

	if ((ifp = pfm_host_if(h, name)) == NULL)
		diag_add(d, s->path, line, "interface %s: the model holds %d interfaces at "
		    "most", name, PFM_HOST_IFS);
	return (ifp);
}

/* ifp in group g; 0, or -1 with d. */
static int
group(struct pfm_if *ifp, const char *g, const struct scn *s, int line, struct diag *d)
{
	if (pfm_host_group(ifp, g) == 0)
		return (0);
	diag_add(d, s->path, line, "interface %s: the model holds %d groups of an "
	    "interface at most", ifp->name, (int)(sizeof(ifp->group) /
	    sizeof(ifp->group[0])));
	return (-1);
}

static int
plen_of(const struct pkt_addr *a)
{
	return (a->af == AF_INET6 ? 128 : 32);
}

int
pfhost_vnet_index(const struct scn *s, int jail)
{
	int i, n = 0;

	if (jail < 0 || jail >= s->njail || s->jail[jail].kind != SCN_JAIL_VNET)
		return (-1);
	for (i = 0; i < jail; i++)
		n += s->jail[i].kind == SCN_JAIL_VNET;
	return (n);
}

/* The external interfaces with their addresses and the public jails'. */
static int
external(const struct scn *s, struct pfm_host *h, struct diag *d)
{
	const struct scn_jail *j;
	struct pfm_if *ifp;
	int i, k;

	for (i = 0; i < s->niface; i++) {
		if ((ifp = iface(h, s->iface[i].name, s, s->iface[i].line, d)) == NULL)
			return (-1);
		for (k = 0; k < s->iface[i].naddr; k++)
			if (add(ifp, &s->iface[i].addr[k].addr, s->iface[i].addr[k].plen, s,
			    s->iface[i].addr[k].line, d) == -1)
				return (-1);
	}
	for (i = 0; i < s->njail; i++) {
		j = &s->jail[i];
		if (j->kind != SCN_JAIL_PUBLIC || (ifp = pfm_host_if(h, j->on)) == NULL)
			continue;
		for (k = 0; k < j->naddr; k++)
			if (add(ifp, &j->addr[k], plen_of(&j->addr[k]), s, j->line, d) == -1)
				return (-1);
	}
	return (0);
}

/* lo0, and the jails' loopback (in group lo) with the loopback jails' addresses. */
static int
loopbacks(const struct scn *s, struct pfm_host *h, char *jail_if, struct diag *d)
{
	static const char *const lo0[][2] = {
		{ "127.0.0.1", "8" }, { "::1", "128" }, { "fe80::1", "64" } };
	struct pfm_if *lo, *jl;
	struct pkt_addr a;
	size_t i;
	int j, k;

	if ((lo = iface(h, PFHOST_LO0, s, 0, d)) == NULL)
		return (-1);
	for (i = 0; i < sizeof(lo0) / sizeof(lo0[0]); i++) {
		(void)pkt_addr_parse(lo0[i][0], &a);
		(void)add(lo, &a, (int)strtol(lo0[i][1], NULL, 10), s, 0, d);
	}
	jl = lo;
	if (s->lo_if[0] != '\0' && strcmp(s->lo_if, PFHOST_LO0) != 0) {
		if (scn_if_find(s, s->lo_if) != -1) {
			diag_add(d, s->path, s->lo_line,
			    "loopback %s has the name of the host interface", s->lo_if);
			return (-1);
		}
		if ((jl = iface(h, s->lo_if, s, s->lo_line, d)) == NULL ||
		    group(jl, "lo", s, s->lo_line, d) == -1)
			return (-1);
	}
	snprintf(jail_if, PFM_IFNAMSIZ, "%s", jl->name);
	for (j = 0; j < s->njail; j++)
		for (k = 0; s->jail[j].kind == SCN_JAIL_LO && k < s->jail[j].naddr; k++)
			if (add(jl, &s->jail[j].addr[k], plen_of(&s->jail[j].addr[k]), s,
			    s->jail[j].line, d) == -1)
				return (-1);
	return (0);
}

/* Bridges and the VNET jails' epairs: cloned interfaces, each in the group of its
 * driver's name (if_clone.c, if_clone_createif: if_addgroup(ifp, ifc->ifc_name)). */
static int
bridges(const struct scn *s, struct pfm_host *h, struct diag *d)
{
	struct pfm_if *ifp;
	char name[32];
	int i;

	for (i = 0; i < s->nbridge; i++)
		if ((ifp = iface(h, s->bridge[i].name, s, s->bridge[i].line, d)) == NULL ||
		    add(ifp, &s->bridge[i].addr, s->bridge[i].plen, s,
		    s->bridge[i].line, d) == -1 ||
		    group(ifp, "bridge", s, s->bridge[i].line, d) == -1)
			return (-1);
	for (i = 0; i < s->njail; i++) {
		if (s->jail[i].kind != SCN_JAIL_VNET)
			continue;
		snprintf(name, sizeof(name), "epair%da", pfhost_vnet_index(s, i));
		if ((ifp = iface(h, name, s, s->jail[i].line, d)) == NULL ||
		    group(ifp, "epair", s, s->jail[i].line, d) == -1)
			return (-1);
	}
	return (0);
}

int
target_pfhost(const struct scn *s, struct pfm_host *h, char *jail_if, struct diag *d)
{
	struct pfm_if *ifp;
	int i, k;

	memset(h, 0, sizeof(*h));
	if (external(s, h, d) == -1 || loopbacks(s, h, jail_if, d) == -1 ||
	    bridges(s, h, d) == -1)
		return (-1);
	for (i = 0; i < s->ngroup; i++)
		for (k = 0; k < s->group[i].nif; k++) {
			if ((ifp = pfm_host_if(h, s->group[i].ifname[k])) == NULL) {
				diag_add(d, s->path, s->group[i].line, "group %s: no "
				    "interface %s", s->group[i].name, s->group[i].ifname[k]);
				return (-1);
			}
			if (group(ifp, s->group[i].name, s, s->group[i].line, d) == -1)
				return (-1);
		}
	return (0);
}
