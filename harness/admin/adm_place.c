/* adm_place.c: where each piece of the world goes in a scenario (DESIGN.md, format v2,
 * "The world"): a jail on the jails' loopback, on an external interface or on a bridge
 * (VNET); which interfaces are external; the jails' loopback and its network; the
 * primary interface, and the one the host's address would be on. adm_scn.c writes
 * what these decide. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include "adm_impl.h"

/* net/plen of a (host bits cleared) into out. */
void
adm_addr_masked(const struct adm_addr *a, int plen, struct adm_addr *out)
{
	int i;

	*out = *a;
	out->plen = plen;
	for (i = plen; i < (a->af == AF_INET ? 32 : 128); i++)
		out->a[i / 8] &= (uint8_t)~(1 << (7 - i % 8));
}

/* The longest prefix a and b share. */
static int
common(const struct adm_addr *a, const struct adm_addr *b)
{
	int i, max = a->af == AF_INET ? 32 : 128;

	for (i = 0; i < max; i++)
		if (((a->a[i / 8] ^ b->a[i / 8]) >> (7 - i % 8)) & 1)
			break;
	return (i);
}

/* Where jail j lives in the scenario, and on which interface. */
enum adm_where
adm_where(const struct adm_world *w, const struct adm_jail *j, const struct adm_if **ifp)
{
	*ifp = NULL;
	if (j->vnet) {
		*ifp = j->bridge[0] != '\0' ? adm_world_iface(w, j->bridge) : NULL;
		return (j->naddr > 0 ? ADM_W_VNET : ADM_W_NONE);
	}
	if (j->naddr == 0 || j->addr[0].ifname[0] == '\0' ||
	    (*ifp = adm_world_iface(w, j->addr[0].ifname)) == NULL)
		return (ADM_W_NONE);
	if ((*ifp)->kind == ADM_IF_LOOPBACK)
		return (ADM_W_LOOP);
	return (ADM_W_EXT);
}

/* 1 when some VNET jail's epair joins bridge ifp. */
static int
vnet_on(const struct adm_world *w, const struct adm_if *ifp)
{
	int i;

	for (i = 0; i < w->njail; i++)
		if (w->jail[i].vnet && strcmp(w->jail[i].bridge, ifp->name) == 0)
			return (1);
	return (0);
}

/* A bridge of the host's NICs (a member not an epair) that no VNET jail joins: pf sees
 * the traffic to and through the host on the bridge (net.link.bridge.pfil_bridge,
 * pfil_local_phys default 0 in if_bridge.c; pfil_member filters only what passes
 * between its members), so the world has it as an external interface. */
int
adm_nic_bridge(const struct adm_world *w, const struct adm_if *ifp)
{
	int k;

	if (ifp->kind != ADM_IF_BRIDGE || vnet_on(w, ifp))
		return (0);
	for (k = 0; k < ifp->nmember; k++)
		if (strncmp(ifp->member[k], "epair", 5) != 0)
			return (1);
	return (0);
}

/* 1 when the world has no VNET jail: an epair end with an address is then the NIC
 * of a VNET jail whose own files these are. */
static int
no_vnet(const struct adm_world *w)
{
	int i;

	for (i = 0; i < w->njail; i++)
		if (w->jail[i].vnet)
			return (0);
	return (1);
}

/* 1 when ifp is built as an external interface (a wire). */
int
adm_external(const struct adm_world *w, const struct adm_if *ifp)
{
	if (ifp->kind == ADM_IF_EPAIR)
		return (ifp->naddr > 0 && no_vnet(w));
	if (ifp->kind == ADM_IF_BRIDGE)
		return (adm_nic_bridge(w, ifp));
	return ((ifp->kind == ADM_IF_ETHER || ifp->kind == ADM_IF_TUNNEL) &&
	    (ifp->naddr > 0 || ifp->up || ifp->dhcp || ifp->given));
}

/* The jails' loopback: the first cloned loopback a jail lives on (else the first one
 * rc.conf gives an address), and its network into *net: the smallest that holds its
 * jails' addresses and its own, widened to /24 (/64) unless that meets another
 * network. NULL (net untouched) when there is none. */
const struct adm_if *
adm_pick_loopback(const struct adm_world *w, struct adm_addr *net)
{
	const struct adm_if *ifp, *x, *lo = NULL;
	struct adm_addr first = { 0 };
	int i, k, m, plen = -1, wide;

	for (i = 0; i < w->njail && lo == NULL; i++)
		if (adm_where(w, &w->jail[i], &ifp) == ADM_W_LOOP && strcmp(ifp->name, "lo0") != 0)
			lo = ifp;
	for (i = 0; i < w->nifs && lo == NULL; i++)
		if (w->ifs[i].kind == ADM_IF_LOOPBACK && strcmp(w->ifs[i].name, "lo0") != 0 &&
		    w->ifs[i].cloned)
			lo = &w->ifs[i];
	if (lo == NULL)
		return (NULL);
	for (i = 0; i < w->njail; i++) {
		if (adm_where(w, &w->jail[i], &ifp) != ADM_W_LOOP || ifp != lo)
			continue;
		for (k = 0; k < w->jail[i].naddr; k++) {
			const struct adm_addr *a = &w->jail[i].addr[k].a;

			if (strcmp(w->jail[i].addr[k].ifname, lo->name) != 0)
				continue;
			if (first.af == 0)
				first = *a, plen = a->af == AF_INET ? 32 : 128;
			if (a->af == first.af && common(a, &first) < plen)
				plen = common(a, &first);
		}
	}
	for (k = 0; k < lo->naddr; k++) {
		struct adm_addr n;

		if (first.af == 0)
			first = lo->addr[k], plen = lo->addr[k].plen;
		if (lo->addr[k].af != first.af)
			continue;
		adm_addr_masked(&lo->addr[k], lo->addr[k].plen, &n);
		if (common(&n, &first) < plen)
			plen = common(&n, &first);
		if (lo->addr[k].plen < plen)
			plen = lo->addr[k].plen;
	}
	if (first.af == 0) {
		/* a loopback with nothing on it yet: a network of its own */
		memset(&first, 0, sizeof(first));
		first.af = AF_INET;
		first.a[0] = 127;
		first.a[1] = 99;
		plen = 24;
	}
	wide = first.af == AF_INET ? 24 : 64;
	if (plen > wide) {
		struct adm_addr n;

		adm_addr_masked(&first, wide, &n);
		for (i = 0, m = 0; i < w->nifs && !m; i++) {
			x = &w->ifs[i];
			if (x == lo || x->kind == ADM_IF_LOOPBACK)
				continue;
			for (k = 0; k < x->naddr && !m; k++)
				m = adm_addr_in(&x->addr[k], n.a, n.af, wide) ||
				    adm_addr_in(&n, x->addr[k].a, x->addr[k].af, x->addr[k].plen);
		}
		if (!m)
			plen = wide;
	}
	adm_addr_masked(&first, plen, net);
	return (lo);
}

/* The primary interface: the one whose network holds the default router, else the
 * first with an IPv4 network, else the first built. */
const struct adm_if *
adm_pick_primary(const struct adm_world *w)
{
	const struct adm_if *ifp, *any = NULL, *v4 = NULL;
	int i, k;

	for (i = 0; i < w->nifs; i++) {
		ifp = &w->ifs[i];
		if (!adm_external(w, ifp) || ifp->naddr == 0)
			continue;
		for (k = 0; k < ifp->naddr; k++) {
			if (w->defrouter[0].af != 0 && adm_addr_in(&w->defrouter[0],
			    ifp->addr[k].a, ifp->addr[k].af, ifp->addr[k].plen))
				return (ifp);
			if (ifp->addr[k].af == AF_INET && ifp->addr[k].plen <= 30 && v4 == NULL)
				v4 = ifp;
		}
		if (any == NULL)
			any = ifp;
	}
	return (v4 != NULL ? v4 : any);
}

/* The interface the host's address would be on: the first that takes one from DHCP,
 * else the first NIC (or tunnel, or epair end) the files name, else the first
 * interface but lo0; NULL when they name none. */
const struct adm_if *
adm_first_named(const struct adm_world *w)
{
	const struct adm_if *nic = NULL, *any = NULL, *ifp;
	int i;

	for (i = 0; i < w->nifs; i++) {
		ifp = &w->ifs[i];
		if (strcmp(ifp->name, "lo0") == 0 || ifp->at.file == NULL)
			continue;
		if (ifp->dhcp)
			return (ifp);
		if (nic == NULL && (ifp->kind == ADM_IF_ETHER || ifp->kind ==
		    ADM_IF_TUNNEL || ifp->kind == ADM_IF_EPAIR))
			nic = ifp;
		if (any == NULL)
			any = ifp;
	}
	return (nic != NULL ? nic : any);
}
