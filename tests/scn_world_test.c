/* scn_world_test.c: format v2's world statements and steps parsed into struct scn: the
 * interfaces in order, addresses and gateways, groups, the jails' kinds, where each
 * client is, routers and routes, the steps' wires and parties (the errors are
 * tests/scn/world-*.scn against their .ok). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "scn/scn.h"
#include "tests.h"

static const char world[] =
"scenario \"a whole world\"\n"
"host em2 down\n"
"host em1 192.0.2.1/24\n"
"host em0 203.0.113.1/24\n"
"host em0 alias 203.0.113.2/32\n"
"host em0 inet6 2001:db8::1/64\n"
"host em1 mtu 1400\n"
"host listen tcp/22,udp/53\n"
"group egress em0\n"
"group lan em1 lo1\n"
"group lan bridge0\n"
"loopback lo1 10.99.0.0/28\n"
"bridge bridge0 10.0.0.1/24\n"
"jail tom 10.99.0.1 listen tcp/80\n"
"jail web 203.0.113.10 on em0 listen tcp/443\n"
"vnet jail app 10.0.0.2/24 on bridge0 listen tcp/8080\n"
"vnet jail db 10.0.0.3/24 on bridge0 gateway 10.0.0.1\n"
"router 192.0.2.254 on em1 routes 172.16.0.0/16,172.17.0.0/16\n"
"route 198.18.0.0/15 via 192.0.2.253\n"
"client 198.51.100.7 listen tcp/443\n"
"client 192.0.2.50\n"
"client 172.16.5.5\n"
"client 198.18.0.9\n"
"client 100.64.0.1 on em1\n"
"pf <<EOF\n"
"pass\n"
"EOF\n"
"probe \"steps\"\n"
"  send tcp 172.16.5.5:1 > 203.0.113.1:22 S\n"
"  send on em0 tcp 192.0.2.50:1 > 203.0.113.1:22 S\n"
"  expect wire on em1 tcp 203.0.113.1:22 > 192.0.2.50:1 RA\n"
"  expect no wire on em0\n"
"  expect wire tcp 203.0.113.1:22 > 192.0.2.50:1 RA\n"
"  connect host tcp 198.51.100.7:443 from 203.0.113.2:2000\n"
"  connect app icmp 198.51.100.7\n"
"  expect connect unreachable\n"
"  expect delivered host:22 from 172.16.5.5:1\n"
"  expect delivered app icmp unreach-port from 198.51.100.7\n";

static struct scn *
parse(const char *text)
{
	struct diag d = { 0 };
	struct scn *s = scn_parse_text("world.scn", text, &d);

	if (s == NULL)
		fprintf(stderr, "\n%s", diag_text(&d));
	diag_free(&d);
	return (s);
}

static int
addr_is(const struct pkt_addr *a, const char *want)
{
	char buf[64];

	return (strcmp(pkt_addr_format(a, buf, sizeof(buf)), want) == 0);
}

static void
test_interfaces(void)
{
	struct scn *s = parse(world);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* the first with an address is first, whatever was declared before it */
	CU_ASSERT_EQUAL(s->niface, 3);
	CU_ASSERT_STRING_EQUAL(s->iface[0].name, "em1");
	CU_ASSERT_STRING_EQUAL(s->iface[1].name, "em2");
	CU_ASSERT_STRING_EQUAL(s->iface[2].name, "em0");
	CU_ASSERT_STRING_EQUAL(s->host_if, "em1");
	CU_ASSERT(addr_is(&s->host_addr, "192.0.2.1"));
	CU_ASSERT(addr_is(&s->gateway, "192.0.2.254"));
	CU_ASSERT(addr_is(&s->iface[0].gw4, "192.0.2.254"));
	CU_ASSERT_EQUAL(s->iface[0].gw6.af, 0);
	CU_ASSERT_EQUAL(s->iface[0].mtu, 1400);
	CU_ASSERT(s->iface[1].down && s->iface[1].naddr == 0);
	/* no gateway but the primary's */
	CU_ASSERT_EQUAL(s->iface[2].gw4.af, 0);
	CU_ASSERT_EQUAL(s->iface[2].naddr, 3);
	CU_ASSERT(addr_is(&s->iface[2].addr[1].addr, "203.0.113.2"));
	CU_ASSERT_EQUAL(s->iface[2].addr[1].plen, 32);
	CU_ASSERT(s->iface[2].addr[1].alias && !s->iface[2].addr[0].alias);
	CU_ASSERT(addr_is(&s->iface[2].addr[2].addr, "2001:db8::1"));
	CU_ASSERT_EQUAL(scn_if_find(s, "em0"), 2);
	CU_ASSERT_EQUAL(scn_if_find(s, "lo1"), -1);
	CU_ASSERT_EQUAL(s->nhost_listen, 2);
	CU_ASSERT_EQUAL(s->host_listen[1].proto, IPPROTO_UDP);
	/* two lines of one group merge */
	CU_ASSERT_EQUAL(s->ngroup, 2);
	CU_ASSERT_STRING_EQUAL(s->group[1].name, "lan");
	CU_ASSERT_EQUAL(s->group[1].nif, 3);
	CU_ASSERT_STRING_EQUAL(s->group[1].ifname[2], "bridge0");
	CU_ASSERT(scn_host_has(s, &s->iface[2].addr[1].addr));
	CU_ASSERT(scn_host_has(s, &s->bridge[0].addr));
	CU_ASSERT(!scn_host_has(s, &s->jail[0].addr[0]));
	scn_free(s);
}

static void
test_jails_clients(void)
{
	struct scn *s = parse(world);
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->jail[0].kind, SCN_JAIL_LO);
	CU_ASSERT_EQUAL(s->jail[1].kind, SCN_JAIL_PUBLIC);
	CU_ASSERT_EQUAL(s->jail[1].iface, 2);
	CU_ASSERT_EQUAL(s->jail[2].kind, SCN_JAIL_VNET);
	CU_ASSERT_EQUAL(s->jail[2].plen, 24);
	CU_ASSERT_EQUAL(s->jail[2].bridge, 0);
	/* a VNET jail's gateway: the bridge's address unless given */
	CU_ASSERT(addr_is(&s->jail[2].gateway, "10.0.0.1"));
	CU_ASSERT(addr_is(&s->jail[3].gateway, "10.0.0.1"));
	CU_ASSERT_EQUAL(s->nrouter, 1);
	CU_ASSERT_EQUAL(s->router[0].wire, 0);
	CU_ASSERT_EQUAL(s->router[0].nnet, 2);
	CU_ASSERT_EQUAL(s->nroute, 1);
	/* default route, on-link, behind the router, behind the route, on IF */
	i = 0;
	CU_ASSERT_EQUAL(s->client[i].wire, 0);
	CU_ASSERT_EQUAL(s->client[i].router, -1);
	CU_ASSERT_EQUAL(s->client[++i].wire, 0);
	CU_ASSERT_EQUAL(s->client[++i].wire, 0);
	CU_ASSERT_EQUAL(s->client[i].router, 0);
	CU_ASSERT_EQUAL(s->client[++i].wire, 0);
	CU_ASSERT_EQUAL(s->client[i].router, -1);
	CU_ASSERT_EQUAL(s->client[++i].wire, 0);
	CU_ASSERT_STRING_EQUAL(s->client[i].on, "em1");
	CU_ASSERT_STRING_EQUAL(scn_party_name(s, SCN_HOST), "host");
	CU_ASSERT_STRING_EQUAL(scn_party_name(s, 2), "app");
	scn_free(s);
}

static void
test_steps(void)
{
	struct scn *s = parse(world);
	struct scn_step *t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->probe[0].nstep, 10);
	t = s->probe[0].step;
	CU_ASSERT_EQUAL(t[0].wire, 0);		/* the source client's wire */
	CU_ASSERT_EQUAL(t[1].wire, 2);		/* send on em0 */
	CU_ASSERT_EQUAL(t[2].kind, SCN_EXPECT_WIRE);
	CU_ASSERT_EQUAL(t[2].wire, 0);
	CU_ASSERT_EQUAL(t[3].kind, SCN_EXPECT_NO_WIRE);
	CU_ASSERT_EQUAL(t[3].wire, 2);
	CU_ASSERT_EQUAL(t[4].wire, -1);		/* every wire */
	CU_ASSERT_EQUAL(t[5].jail, SCN_HOST);
	CU_ASSERT(t[5].has_from && addr_is(&t[5].from, "203.0.113.2"));
	CU_ASSERT_EQUAL(t[6].jail, 2);
	CU_ASSERT_EQUAL(t[6].proto, IPPROTO_ICMP);
	CU_ASSERT(addr_is(&t[6].addr, "198.51.100.7"));
	CU_ASSERT_EQUAL(t[7].outcome, SCN_CONN_UNREACHABLE);
	CU_ASSERT_EQUAL(t[8].jail, SCN_HOST);
	CU_ASSERT_EQUAL(t[8].port, 22);
	CU_ASSERT_EQUAL(t[9].kind, SCN_EXPECT_DELIVERED);
	CU_ASSERT_EQUAL(t[9].proto, IPPROTO_ICMP);
	CU_ASSERT_EQUAL(t[9].icmp, PKT_ICMP_UNREACH_PORT);
	CU_ASSERT(t[9].has_from && addr_is(&t[9].from, "198.51.100.7"));
	scn_free(s);
}

/* Forwarding: on by default in a world with a bridge, router or route; `sysctl`
 * decides otherwise; the two sysctls are the host's, not pf's. */
static void
test_forwarding(void)
{
	static const char v1[] = "host em0 203.0.113.1/24\nloopback lo1 10.99.0.0/28\n"
	    "pf <<E\npass\nE\n";
	static const char off[] = "host em0 203.0.113.1/24\nbridge b0 10.0.0.1/24\n"
	    "sysctl net.inet.ip.forwarding=0\npf <<E\npass\nE\n";
	struct scn *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s = parse(v1));
	CU_ASSERT_EQUAL(scn_forwarding(s, AF_INET), 0);
	scn_free(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = parse(world));
	CU_ASSERT_EQUAL(scn_forwarding(s, AF_INET), 1);
	CU_ASSERT_EQUAL(scn_forwarding(s, AF_INET6), 1);
	scn_free(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = parse(off));
	CU_ASSERT_EQUAL(scn_forwarding(s, AF_INET), 0);
	CU_ASSERT_EQUAL(scn_forwarding(s, AF_INET6), 1);
	scn_free(s);
	CU_ASSERT(scn_sysctl_is_host("net.inet.ip.forwarding"));
	CU_ASSERT(scn_sysctl_is_host("net.inet6.ip6.forwarding"));
	CU_ASSERT(!scn_sysctl_is_host("net.pf.filter_local"));
}

/* scn_parse_world: the world alone (what `pfharness world` writes) needs no ruleset,
 * probe or host address; what its checks refuse is said, the rest kept. */
static void
test_world_only(void)
{
	struct diag d = { 0 };
	struct scn *s;
	int nerr = -1;

	s = scn_parse_world("w", "host em0 down\nbridge bridge0 10.0.0.1/24\n"
	    "vnet jail app 10.0.0.2/24 on bridge0\n", &d, &nerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(nerr, 0);
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	CU_ASSERT_EQUAL(s->niface, 1);
	CU_ASSERT_EQUAL(s->nbridge, 1);
	CU_ASSERT_EQUAL(s->njail, 1);
	scn_free(s);
	diag_free(&d);

	s = scn_parse_world("w", "host em0 192.0.2.1/24\nhost em1 192.0.2.129/25\n"
	    "host epair3b 10.3.0.2/24\n", &d, &nerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(nerr, 2);
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "w:2: 192.0.2.129/25 on em1 overlaps em0's "
	    "192.0.2.1/24 (line 1)\nw:3: epair names are the VNET jails' (the harness "
	    "names them epair0a, epair1a...)\n");
	CU_ASSERT_EQUAL(s->niface, 3);	/* kept: the checks come after */
	scn_free(s);
	diag_free(&d);

	/* the same text as a scenario wants a ruleset */
	CU_ASSERT_PTR_NULL(scn_parse_text("w", "host em0 192.0.2.1/24\n", &d));
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "w: no ruleset (`pf <<EOF` or `pf file "
	    "PATH`)\n");
	diag_free(&d);
}

int
scn_world_test_register(void)
{
	CU_pSuite s = CU_add_suite("scn_world", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "interfaces, addresses, groups", test_interfaces) == NULL ||
	    CU_add_test(s, "jails, clients, routers", test_jails_clients) == NULL ||
	    CU_add_test(s, "steps: wires and parties", test_steps) == NULL ||
	    CU_add_test(s, "forwarding", test_forwarding) == NULL ||
	    CU_add_test(s, "a world's statements alone", test_world_only) == NULL)
		return (-1);
	return (0);
}
