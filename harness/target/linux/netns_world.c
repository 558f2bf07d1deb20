/* netns_world.c: the linux target's world written as the commands that build it: the
 * `ip -batch` script of the host namespace (veths, addresses, bridges, VNET jails'
 * epairs, routes, neighbours), the iptables rules, and the names and MACs of what it
 * makes. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "netns_world.h"
#include "target/pfhost.h"
#include "target/target_wire.h"

const uint8_t netns_wire_mac[6] = { 0x02, 0x70, 0x66, 0x68, 0x00, 0x02 };
const uint8_t netns_host_mac[6] = { 0x02, 0x70, 0x66, 0x68, 0x00, 0x01 };

void
netns_wire_if(int wire, char *name)
{
	snprintf(name, 16, "wire%d", wire % 1000);
}

void
netns_macs(int wire, uint8_t host[6], uint8_t far[6])
{
	memcpy(host, netns_host_mac, 6);
	memcpy(far, netns_wire_mac, 6);
	host[4] = far[4] = (uint8_t)wire;
}

void
netns_router_mac(int r, uint8_t mac[6])
{
	tw_router_mac(r, mac);
}

void
netns_jail_name(const char *host, const struct scn *s, int jail, char *name)
{
	size_t n = strlen(host);

	snprintf(name, 64, "%.*sj%d", (int)(n > 0 ? n - 1 : 0), host,
	    pfhost_vnet_index(s, jail));
}

void
netns_script_add(struct netns_script *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->len, sizeof(s->buf) - s->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(s->buf) - s->len)
		s->overflow = 1;
	else
		s->len += n;
}


static const char *
mac_str(const uint8_t m[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
	    m[5]);
	return (buf);
}

const char *
netns_nodad(const struct pkt_addr *a)
{
	return (a->af == AF_INET6 ? " nodad" : "");
}

/* The external interfaces: a veth each (host end IF, wire end wireN in the wire
 * namespace), its MTU, addresses (and the public jails'), link state. */
static void
host_ifaces(struct netns_script *sc, const char *wire, const struct scn *s)
{
	uint8_t hm[6], wm[6];
	char a[64], h[32], w[32], wn[16], mtu[32];
	int i, k, j;

	for (i = 0; i < s->niface; i++) {
		netns_macs(i, hm, wm);
		netns_wire_if(i, wn);
		mtu[0] = '\0';
		if (s->iface[i].mtu != 0)
			snprintf(mtu, sizeof(mtu), " mtu %d", s->iface[i].mtu);
		/* the wire's end takes any frame; the host's drops those beyond its MTU */
		netns_script_add(sc, "link add %s address %s%s type veth peer name %s address %s "
		    "mtu 9000 netns %s\n", s->iface[i].name, mac_str(hm, h, sizeof(h)), mtu,
		    wn, mac_str(wm, w, sizeof(w)), wire);
		if (s->iface[i].down)
			continue;
		netns_script_add(sc, "link set %s up\n", s->iface[i].name);
		for (k = 0; k < s->iface[i].naddr; k++)
			netns_script_add(sc, "addr add %s/%d dev %s%s\n",
			    pkt_addr_format(&s->iface[i].addr[k].addr, a, sizeof(a)),
			    s->iface[i].addr[k].plen, s->iface[i].name,
			    netns_nodad(&s->iface[i].addr[k].addr));
	}
	for (j = 0; j < s->njail; j++)
		for (k = 0; s->jail[j].kind == SCN_JAIL_PUBLIC && k < s->jail[j].naddr; k++)
			netns_script_add(sc, "addr add %s/%d dev %s%s\n",
			    pkt_addr_format(&s->jail[j].addr[k], a, sizeof(a)),
			    s->jail[j].addr[k].af == AF_INET6 ? 128 : 32, s->jail[j].on,
			    netns_nodad(&s->jail[j].addr[k]));
}

/* The bridges with their addresses, and each VNET jail's epair: the host's end a
 * member of the jail's bridge, the jail's end in the jail's namespace. */
static void
host_bridges(struct netns_script *sc, const char *host, const struct scn *s)
{
	char a[64], m[32], jn[64];
	uint8_t mac[6] = { 0x02, 0x70, 0x66, 0x62, 0x00, 0x01 };
	int i, n;

	for (i = 0; i < s->nbridge; i++) {
		mac[4] = (uint8_t)i;
		netns_script_add(sc, "link add %s address %s type bridge\n", s->bridge[i].name,
		    mac_str(mac, m, sizeof(m)));
		netns_script_add(sc, "link set %s up\n", s->bridge[i].name);
		netns_script_add(sc, "addr add %s/%d dev %s%s\n", pkt_addr_format(
		    &s->bridge[i].addr, a, sizeof(a)), s->bridge[i].plen,
		    s->bridge[i].name, netns_nodad(&s->bridge[i].addr));
	}
	for (i = 0; i < s->njail; i++) {
		if (s->jail[i].kind != SCN_JAIL_VNET)
			continue;
		n = pfhost_vnet_index(s, i);
		netns_jail_name(host, s, i, jn);
		mac[3] = 0x65;
		mac[4] = (uint8_t)n;
		mac[5] = 0x0a;
		netns_script_add(sc, "link add epair%da address %s type veth ", n,
		    mac_str(mac, m, sizeof(m)));
		mac[5] = 0x0b;
		netns_script_add(sc, "peer name epair%db address %s netns %s\n", n,
		    mac_str(mac, m, sizeof(m)), jn);
		netns_script_add(sc, "link set epair%da master %s\n", n, s->jail[i].on);
		netns_script_add(sc, "link set epair%da up\n", n);
		mac[3] = 0x62;
		mac[5] = 0x01;
	}
}

/* A static neighbour: addr is at mac on ifname. */
static void
neighbour(struct netns_script *sc, const struct pkt_addr *addr, const uint8_t mac[6],
    const char *ifname)
{
	char a[64], m[32];

	netns_script_add(sc, "neigh replace %s lladdr %s dev %s nud permanent\n",
	    pkt_addr_format(addr, a, sizeof(a)), mac_str(mac, m, sizeof(m)), ifname);
}

/* Routes (default, static, the routers'), and the neighbours the wires answer for:
 * gateways, on-link clients and next hops with the wire's MAC, routers with theirs. */
static void
host_routes(struct netns_script *sc, const struct scn *s)
{
	const struct scn_if *ifp;
	uint8_t hm[6], wm[6], rm[6];
	char a[64], b[64];
	int i, k, w;

	for (w = 0; w < s->niface; w++) {
		ifp = &s->iface[w];
		netns_macs(w, hm, wm);
		if (ifp->gw4.af != 0)
			neighbour(sc, &ifp->gw4, wm, ifp->name);
		if (ifp->gw6.af != 0)
			neighbour(sc, &ifp->gw6, wm, ifp->name);
		for (i = 0; !ifp->down && i < s->nclient; i++)
			for (k = 0; s->client[i].wire == w && k < ifp->naddr; k++)
				if (scn_in_net(&s->client[i].addr, &ifp->addr[k].addr,
				    ifp->addr[k].plen)) {
					neighbour(sc, &s->client[i].addr, wm, ifp->name);
					break;
				}
	}
	if (s->niface > 0 && s->iface[0].gw4.af != 0)
		netns_script_add(sc, "route add default via %s dev %s\n", pkt_addr_format(
		    &s->iface[0].gw4, a, sizeof(a)), s->iface[0].name);
	if (s->niface > 0 && s->iface[0].gw6.af != 0)
		netns_script_add(sc, "route add default via %s dev %s\n", pkt_addr_format(
		    &s->iface[0].gw6, a, sizeof(a)), s->iface[0].name);
	for (i = 0; i < s->nrouter; i++) {
		netns_router_mac(i, rm);
		w = s->router[i].wire;
		neighbour(sc, &s->router[i].addr, rm, s->iface[w].name);
		for (k = 0; k < s->router[i].nnet; k++)
			netns_script_add(sc, "route add %s/%d via %s dev %s\n", pkt_addr_format(
			    &s->router[i].net[k].addr, a, sizeof(a)),
			    s->router[i].net[k].plen, pkt_addr_format(&s->router[i].addr, b,
			    sizeof(b)), s->iface[w].name);
	}
	for (i = 0; i < s->nroute; i++) {
		for (w = 0; w < s->niface; w++)
			for (k = 0; k < s->iface[w].naddr; k++)
				if (scn_in_net(&s->route[i].via, &s->iface[w].addr[k].addr,
				    s->iface[w].addr[k].plen))
					goto found;
		continue;
found:
		netns_macs(w, hm, wm);
		neighbour(sc, &s->route[i].via, wm, s->iface[w].name);
		netns_script_add(sc, "route add %s/%d via %s dev %s\n", pkt_addr_format(
		    &s->route[i].net.addr, a, sizeof(a)), s->route[i].net.plen,
		    pkt_addr_format(&s->route[i].via, b, sizeof(b)), s->iface[w].name);
	}
}

/* The host namespace's `ip -batch` script. */
void
netns_host_script(struct netns_script *sc, const char *host, const char *wire, const struct scn *s)
{
	char a[64];
	int i, j, v6;

	netns_script_add(sc, "link set lo up\n");
	host_ifaces(sc, wire, s);
	if (s->lo_if[0] != '\0') {
		netns_script_add(sc, "link add %s type bridge\n", s->lo_if);
		netns_script_add(sc, "link set %s up\n", s->lo_if);
	}
	for (i = 0; i < s->njail; i++)
		for (j = 0; s->jail[i].kind == SCN_JAIL_LO && j < s->jail[i].naddr; j++) {
			v6 = s->jail[i].addr[j].af == AF_INET6;
			netns_script_add(sc, "addr add %s/%d dev %s%s\n",
			    pkt_addr_format(&s->jail[i].addr[j], a, sizeof(a)), v6 ? 128 : 32,
			    s->lo_if[0] != '\0' ? s->lo_if : "lo", v6 ? " nodad" : "");
		}
	host_bridges(sc, host, s);
	host_routes(sc, s);
}

/* iptables-restore input: conntrack off, every packet to the queue but ours; with
 * forwarding off (fwd 0), whatever is to be forwarded dropped after pf in, silently. */
void
netns_rules_script(struct netns_script *sc, int fwd)
{
	if (!fwd)
		netns_script_add(sc, "*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -j DROP\n"
		    "COMMIT\n");
	netns_script_add(sc, "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
	    "-A PREROUTING -j CT --notrack\n-A OUTPUT -j CT --notrack\nCOMMIT\n");
	/* INPUT: net.pf.filter_local's `in on lo0` (nfq.c passes at once when off). */
	netns_script_add(sc, "*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n"
	    ":POSTROUTING ACCEPT [0:0]\n"
	    "-A PREROUTING -m mark --mark 0x%x -j ACCEPT\n"
	    "-A PREROUTING -j NFQUEUE --queue-num %d\n"
	    "-A INPUT -m mark --mark 0x%x -j ACCEPT\n"
	    "-A INPUT -j NFQUEUE --queue-num %d\n"
	    "-A POSTROUTING -m mark --mark 0x%x -j ACCEPT\n"
	    "-A POSTROUTING -j NFQUEUE --queue-num %d\nCOMMIT\n",
	    NETNS_MARK_SKIP, NETNS_QUEUE, NETNS_MARK_SKIP, NETNS_QUEUE, NETNS_MARK_SKIP,
	    NETNS_QUEUE);
}
