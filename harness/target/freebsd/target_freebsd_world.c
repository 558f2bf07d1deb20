/* target_freebsd_world.c: the freebsd target's links and its world of format v2, built
 * with FreeBSD's own commands, each undone at down: the epairs of the external
 * interfaces (tfb_epair_make, the first one's too), more external interfaces with
 * their aliases, IPv6 addresses, MTUs and link state, bridges, interface groups, the
 * public jails' aliases and jails, the VNET jails (an epair whose a side is a bridge
 * member, `jail -c vnet vnet.interface=`), the host's routes and its forwarding. */
/*
 * Names: an epair's a side is renamed as the scenario names the interface (em1); a
 * VNET jail's a side as the other targets name it, epair<N>a (N the jail's number
 * among the VNET jails, pfhost_vnet_index), whatever unit `ifconfig epair create` gave
 * it: the wires' b sides keep their unit names (epair0b...), never an a side's, and
 * the unit stays taken while they live. A bridge is renamed as the scenario names it.
 * Each external interface's b side is a wire of the probes (target_freebsd_probe.c);
 * the VNET jails' services are the sink's sockets made inside each jail
 * (sink_freebsd.c). The commands follow FreeBSD's own pf tests (tests/sys/common/
 * vnet.subr: `ifconfig epair create`, `jail -c name=... persist vnet
 * vnet.interface=...`, then `jexec` to set the jail's addresses and routes).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target/pfhost.h"
#include "tfb.h"

#define IFN	TFB_IFN

static void
chomp(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* "inet" or "inet6", and ADDR/LEN into buf. */
static const char *
fam_addr(const struct pkt_addr *a, int plen, char *buf, size_t len)
{
	char s[64];

	pkt_addr_format(a, s, sizeof(s));
	snprintf(buf, len, "%s/%d", s, plen);
	return (a->af == AF_INET6 ? "inet6" : "inet");
}

/* `ifconfig IF FAM ADDR/LEN alias`. 0 or -1. */
static int
alias(struct tfb_cmd *c, const char *ifname, const struct pkt_addr *a, int plen,
    struct diag *d)
{
	char ad[80];
	const char *fam = fam_addr(a, plen, ad, sizeof(ad));

	return (tfb_run(c, NULL, d, "ifconfig", ifname, fam, ad, "alias", NULL));
}

/* An epair: the a side renamed `name`, in the group `prefix`, given a/plen (a NULL:
 * no address) and up, the b side up; its name into bside (IFN bytes). */
int
tfb_epair_make(struct tfb_cmd *c, const char *prefix, const char *name,
    const struct pkt_addr *a, int plen, char *bside, struct diag *d)
{
	char *out = NULL, ea[IFN], ad[80];
	const char *fam;
	size_t n;

	if (tfb_run(c, &out, d, "ifconfig", "epair", "create", NULL) == -1)
		return (-1);
	chomp(out);
	n = strlen(out);
	if (n == 0 || n >= sizeof(ea) || out[n - 1] != 'a') {
		diag_add(d, NULL, 0, "ifconfig epair create: unexpected answer \"%s\"", out);
		free(out);
		return (-1);
	}
	memcpy(ea, out, n + 1);
	memcpy(bside, out, n + 1);
	bside[n - 1] = 'b';
	free(out);
	if (tfb_undo_push(c, "ifconfig", ea, "destroy", NULL) == -1 ||
	    tfb_run(c, NULL, d, "ifconfig", ea, "name", name, NULL) == -1 ||
	    tfb_undo_replace(c, "ifconfig", name, "destroy", NULL) == -1 ||
	    tfb_run(c, NULL, d, "ifconfig", name, "group", prefix, NULL))
		return (-1);
	if (a != NULL) {
		fam = fam_addr(a, plen, ad, sizeof(ad));
		if (tfb_run(c, NULL, d, "ifconfig", name, fam, ad, "up", NULL))
			return (-1);
	} else if (tfb_run(c, NULL, d, "ifconfig", name, "up", NULL))
		return (-1);
	/* The b side is the harness's, seen through BPF only: no IPv6 on it, so that the
	 * host's multicast (neighbour solicitations, MLD), which is not M_PROMISC there,
	 * is dropped by ip6_input before pf's hook (ND6_IFF_IFDISABLED is its first test,
	 * sys/netinet6/ip6_input.c) instead of being evaluated `in on` the b side. */
	return (tfb_run(c, NULL, d, "ifconfig", bside, "inet6", "ifdisabled", "up", NULL));
}

/* An external interface's addresses past first, its MTU, its link state. */
static int
iface_rest(struct tfb_cmd *c, const struct scn_if *ifp, int first, struct diag *d)
{
	char mtu[16];
	int k;

	for (k = first; k < ifp->naddr; k++)
		if (alias(c, ifp->name, &ifp->addr[k].addr, ifp->addr[k].plen, d) == -1)
			return (-1);
	if (ifp->mtu != 0) {
		snprintf(mtu, sizeof(mtu), "%d", ifp->mtu);
		if (tfb_run(c, NULL, d, "ifconfig", ifp->name, "mtu", mtu, NULL) == -1)
			return (-1);
	}
	if (ifp->down)
		return (tfb_run(c, NULL, d, "ifconfig", ifp->name, "down", NULL));
	return (0);
}

/* A cloned interface (`ifconfig TYPE create`), renamed `name`, in group prefix; its
 * destroy on the undo list. 0, or -1 with d. */
static int
clone_named(struct tfb_cmd *c, const char *type, const char *prefix, const char *name,
    struct diag *d)
{
	char *out = NULL, made[IFN];

	if (tfb_run(c, &out, d, "ifconfig", type, "create", NULL) == -1)
		return (-1);
	chomp(out);
	if (out[0] == '\0' || strlen(out) >= sizeof(made)) {
		diag_add(d, NULL, 0, "ifconfig %s create: unexpected answer \"%s\"", type,
		    out);
		free(out);
		return (-1);
	}
	snprintf(made, sizeof(made), "%s", out);
	free(out);
	if (tfb_undo_push(c, "ifconfig", made, "destroy", NULL) == -1)
		return (-1);
	if (strcmp(made, name) != 0 &&
	    (tfb_run(c, NULL, d, "ifconfig", made, "name", name, NULL) == -1 ||
	    tfb_undo_replace(c, "ifconfig", name, "destroy", NULL) == -1))
		return (-1);
	return (tfb_run(c, NULL, d, "ifconfig", name, "group", prefix, NULL));
}

int
tfb_world_links(struct tfb_cmd *c, const char *prefix, const struct scn *s,
    char (*wires)[TFB_IFN], struct diag *d)
{
	const struct scn_if *ifp;
	const struct scn_jail *j;
	char ad[80];
	int i, k;

	if (s->niface > 0 && iface_rest(c, &s->iface[0], 1, d) == -1)
		return (-1);
	for (i = 1; i < s->niface; i++) {
		ifp = &s->iface[i];
		if (tfb_epair_make(c, prefix, ifp->name, ifp->naddr > 0 ?
		    &ifp->addr[0].addr : NULL, ifp->naddr > 0 ? ifp->addr[0].plen : 0,
		    wires[i], d) == -1 || iface_rest(c, ifp, 1, d) == -1)
			return (-1);
	}
	for (i = 0; i < s->njail; i++) {
		j = &s->jail[i];
		for (k = 0; j->kind == SCN_JAIL_PUBLIC && k < j->naddr; k++)
			if (alias(c, j->on, &j->addr[k], j->addr[k].af == AF_INET6 ? 128 : 32,
			    d) == -1)
				return (-1);
	}
	for (i = 0; i < s->nbridge; i++) {
		const char *fam = fam_addr(&s->bridge[i].addr, s->bridge[i].plen, ad,
		    sizeof(ad));

		if (clone_named(c, "bridge", prefix, s->bridge[i].name, d) == -1 ||
		    tfb_run(c, NULL, d, "ifconfig", s->bridge[i].name, fam, ad, "up",
		    NULL) == -1)
			return (-1);
	}
	return (0);
}

/* `sysctl NAME=VALUE`, the value it had put back at down. 0 or -1. */
static int
sysctl_set(struct tfb_cmd *c, const char *name, const char *value, struct diag *d)
{
	char *old = NULL, set[128], back[128];

	if (tfb_run(c, &old, d, "sysctl", "-n", name, NULL) == -1)
		return (-1);
	chomp(old);
	snprintf(set, sizeof(set), "%s=%s", name, value);
	snprintf(back, sizeof(back), "%s=%s", name, old);
	free(old);
	if (tfb_run(c, NULL, d, "sysctl", set, NULL) == -1)
		return (-1);
	return (tfb_undo_push(c, "sysctl", back, NULL));
}

/* A route to net/plen through via; its delete on the undo list. */
static int
route_add(struct tfb_cmd *c, const struct scn_net *n, const struct pkt_addr *via,
    struct diag *d)
{
	char net[80], gw[64];
	const char *fam = n->addr.af == AF_INET6 ? "-inet6" : "-inet";

	(void)fam_addr(&n->addr, n->plen, net, sizeof(net));
	pkt_addr_format(via, gw, sizeof(gw));
	if (tfb_run(c, NULL, d, "route", "-n", "add", fam, "-net", net, gw, NULL) == -1)
		return (-1);
	return (tfb_undo_push(c, "route", "-n", "delete", fam, "-net", net, NULL));
}

/* A public jail: its addresses are em0's aliases (tfb_world_links), the jail is as
 * the loopback jails are. */
static int
public_jail(struct tfb_cmd *c, const char *prefix, const struct scn_jail *j,
    struct diag *d)
{
	char name[80], host[80], ip4[512] = "ip4.addr=", ip6[512] = "ip6.addr=";
	const char *argv[10];
	char *l;
	int k, n = 0;

	snprintf(name, sizeof(name), "name=%s_%s", prefix, j->name);
	snprintf(host, sizeof(host), "host.hostname=%s", j->name);
	for (k = 0; k < j->naddr; k++) {
		l = j->addr[k].af == AF_INET6 ? ip6 : ip4;
		if (l[strlen(l) - 1] != '=')
			strcat(l, ",");
		pkt_addr_format(&j->addr[k], l + strlen(l), 64);
	}
	argv[n++] = "jail", argv[n++] = "-c", argv[n++] = name;
	argv[n++] = "path=/", argv[n++] = host;
	if (strcmp(ip4, "ip4.addr=") != 0)
		argv[n++] = ip4;
	if (strcmp(ip6, "ip6.addr=") != 0)
		argv[n++] = ip6;
	argv[n++] = "persist", argv[n] = NULL;
	if (tfb_runv(c, argv, NULL, NULL, d) != 0) {
		diag_add(d, NULL, 0, "jail -c %s failed", name + 5);
		return (-1);
	}
	return (tfb_undo_push(c, "jail", "-r", name + 5, NULL));
}

/* A VNET jail: an epair, its a side epair<N>a a member of the bridge, its b side in a
 * new `jail -c vnet` with the jail's address, lo0 and its default route. The b side
 * keeps its name: renamed in the jail, it would come back to the host under a name
 * the host may hold already (a wire's epair0b) when the jail goes. */
static int
vnet_jail(struct tfb_cmd *c, const char *prefix, const struct scn *s, int ji,
    struct diag *d)
{
	const struct scn_jail *j = &s->jail[ji];
	char *out = NULL, made[IFN], ea[IFN], name[80], host[80], via[80];
	char ad[80], gw[64];
	const char *fam;
	size_t len;
	int n = pfhost_vnet_index(s, ji);

	snprintf(ea, sizeof(ea), "epair%da", n);
	if (tfb_run(c, &out, d, "ifconfig", "epair", "create", NULL) == -1)
		return (-1);
	chomp(out);
	len = strlen(out);
	if (len == 0 || len >= sizeof(made) || out[len - 1] != 'a') {
		diag_add(d, NULL, 0, "ifconfig epair create: unexpected answer \"%s\"", out);
		free(out);
		return (-1);
	}
	snprintf(made, sizeof(made), "%s", out);
	free(out);
	if (tfb_undo_push(c, "ifconfig", made, "destroy", NULL) == -1 ||
	    (strcmp(made, ea) != 0 &&
	    (tfb_run(c, NULL, d, "ifconfig", made, "name", ea, NULL) == -1 ||
	    tfb_undo_replace(c, "ifconfig", ea, "destroy", NULL) == -1)) ||
	    tfb_run(c, NULL, d, "ifconfig", ea, "group", prefix, NULL) == -1 ||
	    tfb_run(c, NULL, d, "ifconfig", j->on, "addm", ea, NULL) == -1 ||
	    tfb_run(c, NULL, d, "ifconfig", ea, "up", NULL) == -1)
		return (-1);
	made[strlen(made) - 1] = 'b';
	snprintf(name, sizeof(name), "name=%s_%s", prefix, j->name);
	snprintf(host, sizeof(host), "host.hostname=%s", j->name);
	snprintf(via, sizeof(via), "vnet.interface=%s", made);
	if (tfb_run(c, NULL, d, "jail", "-c", name, "path=/", host, "vnet", via, "persist",
	    NULL) == -1 || tfb_undo_push(c, "jail", "-r", name + 5, NULL) == -1)
		return (-1);
	fam = fam_addr(&j->addr[0], j->plen, ad, sizeof(ad));
	pkt_addr_format(&j->gateway, gw, sizeof(gw));
	if (tfb_run(c, NULL, d, "jexec", name + 5, "ifconfig", "lo0", "inet",
	    "127.0.0.1/8", "up", NULL) == -1 ||
	    tfb_run(c, NULL, d, "jexec", name + 5, "ifconfig", made, fam, ad, "up",
	    NULL) == -1)
		return (-1);
	if (j->gateway.af != 0 && tfb_run(c, NULL, d, "jexec", name + 5, "route", "-n",
	    "add", j->gateway.af == AF_INET6 ? "-inet6" : "-inet", "default", gw,
	    NULL) == -1)
		return (-1);
	return (0);
}

int
tfb_world_routed(const struct scn *s, const struct pkt_addr *a)
{
	int i, k;

	for (i = 0; i < s->nrouter; i++)
		for (k = 0; k < s->router[i].nnet; k++)
			if (scn_in_net(a, &s->router[i].net[k].addr, s->router[i].net[k].plen))
				return (1);
	for (i = 0; i < s->nroute; i++)
		if (scn_in_net(a, &s->route[i].net.addr, s->route[i].net.plen))
			return (1);
	return (0);
}

int
tfb_world_rest(struct tfb_cmd *c, const char *prefix, const struct scn *s,
    struct diag *d)
{
	int i, k, v6 = 0;

	for (i = 0; i < s->ngroup; i++)
		for (k = 0; k < s->group[i].nif; k++)
			if (tfb_run(c, NULL, d, "ifconfig", s->group[i].ifname[k], "group",
			    s->group[i].name, NULL) == -1)
				return (-1);
	for (i = 0; i < s->niface; i++)
		for (k = 0; k < s->iface[i].naddr; k++)
			v6 |= s->iface[i].addr[k].addr.af == AF_INET6;
	if (scn_forwarding(s, AF_INET) && sysctl_set(c, "net.inet.ip.forwarding", "1",
	    d) == -1)
		return (-1);
	if (v6 && scn_forwarding(s, AF_INET6) && sysctl_set(c,
	    "net.inet6.ip6.forwarding", "1", d) == -1)
		return (-1);
	for (i = 0; i < s->nrouter; i++)
		for (k = 0; k < s->router[i].nnet; k++)
			if (route_add(c, &s->router[i].net[k], &s->router[i].addr, d) == -1)
				return (-1);
	for (i = 0; i < s->nroute; i++)
		if (route_add(c, &s->route[i].net, &s->route[i].via, d) == -1)
			return (-1);
	for (i = 0; i < s->njail; i++) {
		if (s->jail[i].kind == SCN_JAIL_PUBLIC &&
		    public_jail(c, prefix, &s->jail[i], d) == -1)
			return (-1);
		if (s->jail[i].kind == SCN_JAIL_VNET && vnet_jail(c, prefix, s, i, d) == -1)
			return (-1);
	}
	return (0);
}
