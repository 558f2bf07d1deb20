/* pfm_nat_review_test.c: translation (pfm_nat.c) held to FreeBSD 14's pf_lb.c where
 * a review found the model different: rdr bitmask pools, ICMPv6 echo ids under nat,
 * and the address search of a random nat pool that is out of ports; then what the
 * mutation check (tests/mutations.txt) found untested: the default port range, binat
 * before nat, a round-robin pool's wrap; where a fresh round-robin pool starts and
 * in which order it walks a table or an interface's addresses. */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"

static struct pfm_verdict v;
static struct pkt out;

/* pf_get_translation, PF_RDR: after pf_map_addr_sn, a bitmask pool grafts its
 * network over the *destination* (PF_POOLMASK(naddr, naddr, mask, daddr)), so each
 * public address maps to the same host of the inner net, whoever the client is. */
static void
test_rdr_bitmask_destination(void)
{
	struct pfm *pf = tu_must_load("rdr on em0 proto tcp from any to 203.0.113.0/24 port 80 "
	    "-> 10.99.0.0/28 bitmask\n"
	    "pass all\n");

	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.5:80 S", 1000, &v,
	    &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&out.dst), "10.99.0.5");
	CU_ASSERT_STRING_EQUAL(tu_ntop(&out.src), "198.51.100.7");
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.9:40001 > 203.0.113.3:80 S", 1000, &v,
	    &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&out.dst), "10.99.0.3");
	/* nat bitmask still grafts over the source (pf_map_addr, PF_POOL_BITMASK) */
	pfm_free(pf);
	pf = tu_must_load("nat on em0 from 10.99.0.0/28 to any -> 203.0.113.16/28 bitmask\n"
	    "pass all\n");
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.6:40001 > 198.51.100.7:443 S", 1000, &v,
	    &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&out.src), "203.0.113.22");
	pfm_free(pf);
}

/* pf_get_sport searches ports only for TCP, UDP and ICMP: any other protocol, ICMPv6
 * included, keeps its source port (the echo id) and only the address changes; when
 * that tuple is taken, a pool that is neither random nor round-robin fails the
 * mapping (map-failed, the packet dropped). */
static void
test_icmp6_echo_id_kept(void)
{
	struct pfm *pf = tu_must_load("nat on em0 inet6 from 2001:db8:1::/64 to any -> 2001:db8::1\n"
	    "pass all\n");

	tu_send(pf, PFM_OUT, "em0", "icmp6 echo-request 2001:db8:1::5 > 2001:db8:2::9 "
	    "id 777 seq 1", 1000, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&out.src), "2001:db8::1");
	CU_ASSERT_EQUAL(out.sport, 777);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	/* the reply comes back through the state to the inner host */
	tu_send(pf, PFM_IN, "em0", "icmp6 echo-reply 2001:db8:2::9 > 2001:db8::1 "
	    "id 777 seq 1", 1000, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&out.dst), "2001:db8:1::5");
	/* another inner host with the same id towards the same peer: no free tuple */
	tu_send(pf, PFM_OUT, "em0", "icmp6 echo-request 2001:db8:1::6 > 2001:db8:2::9 "
	    "id 777 seq 1", 1000, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_info(pf), "map-failed"));
	pfm_free(pf);
}

/* pf_get_sport: out of ports on one address of a random pool, pf_map_addr steps the
 * pool counter (PF_AINC) and takes the next address of the netblock, until it is
 * back at the first one; only then does the mapping fail. With a /31 and one port,
 * the second connection to a peer always gets the other address. */
static void
test_random_pool_next_address(void)
{
	struct pfm *pf = tu_must_load("nat on em0 from 10.99.0.0/28 to any -> 203.0.113.8/31 "
	    "port 50001 random\n"
	    "pass all\n");
	char p[128], first[64];
	int i;

	for (i = 0; i < 24; i++) {
		snprintf(p, sizeof(p), "tcp 10.99.0.2:%d > 198.51.100.%d:443 S", 40000 + i,
		    10 + i);
		tu_send(pf, PFM_OUT, "em0", p, 1000, &v, &out);
		CU_ASSERT_EQUAL(v.action, PFM_PASS);
		CU_ASSERT_EQUAL(out.sport, 50001);
		snprintf(first, sizeof(first), "%s", tu_ntop(&out.src));
		snprintf(p, sizeof(p), "tcp 10.99.0.3:%d > 198.51.100.%d:443 S", 41000 + i,
		    10 + i);
		tu_send(pf, PFM_OUT, "em0", p, 1000, &v, &out);
		CU_ASSERT_EQUAL(v.action, PFM_PASS);
		CU_ASSERT_EQUAL(out.sport, 50001);
		CU_ASSERT_STRING_NOT_EQUAL(tu_ntop(&out.src), first);
		/* a third one to the same peer: both addresses are taken */
		snprintf(p, sizeof(p), "tcp 10.99.0.4:%d > 198.51.100.%d:443 S", 42000 + i,
		    10 + i);
		tu_send(pf, PFM_OUT, "em0", p, 1000, &v, &out);
		CU_ASSERT_EQUAL(v.action, PFM_DROP);
	}
	pfm_free(pf);
}

/* Fill the ports lo..hi of 203.0.113.1 towards 198.51.100.7:443 with states of the
 * host's own connections (untranslated: their wire keys are what nat would make). */
static void
hold_ports(struct pfm *pf, int lo, int hi)
{
	char p[128];
	int port, bad = 0;

	for (port = lo; port <= hi; port++) {
		snprintf(p, sizeof(p), "tcp 203.0.113.1:%d > 198.51.100.7:443 S", port);
		tu_send(pf, PFM_OUT, "em0", p, 1000, &v, NULL);
		bad += !v.state_created;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* `nat on em0 from 10.99.0.0/28 to any -> 203.0.113.1` and `pass all`: loaded from
 * pf.conf (pfctl writes the default port range into the rule, as tu_rule does), or
 * handed over with no range (proxy ports 0:0), which the model takes as the default. */
static struct pfm *
nat_pf(int loaded)
{
	struct pfm_ruleset *rs;
	struct pfm_rule *r;

	if (loaded)
		return (tu_must_load("nat on em0 from 10.99.0.0/28 to any -> 203.0.113.1\n"
		    "pass all\n"));
	rs = tu_rs();
	r = tu_rule(rs, PFM_R_NAT);
	snprintf(r->ifname, sizeof(r->ifname), "em0");
	tu_addr(&r->src, "10.99.0.0/28", NULL);
	r->af = AF_INET;
	tu_pool(r, "203.0.113.1");
	r->rpool.proxy_port[0] = r->rpool.proxy_port[1] = 0;
	tu_keep(tu_rule(rs, PFM_R_PASS));
	return (tu_pf(rs));
}

/* The default nat port range is 50001-65535 (pfctl's PF_NAT_PROXY_PORT_LOW and HIGH),
 * searched from a random start up, then down: with every other port of the range
 * held, nat finds the one left at either end, and no port outside the range. */
static void
test_nat_default_port_range(void)
{
	struct pfm *pf;
	int loaded;

	for (loaded = 0; loaded < 2; loaded++) {
		pf = nat_pf(loaded);
		hold_ports(pf, 50002, 65535);
		tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.2:40001 > 198.51.100.7:443 S", 1000,
		    &v, &out);
		CU_ASSERT_EQUAL(v.action, PFM_PASS);
		CU_ASSERT_EQUAL(out.sport, 50001);
		/* the range is full now; 50000 and below stay unused */
		tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.2:40002 > 198.51.100.7:443 S", 1000,
		    &v, &out);
		CU_ASSERT_EQUAL(v.action, PFM_DROP);
		CU_ASSERT_STRING_EQUAL(v.reason, "map-failed");
		pfm_free(pf);

		pf = nat_pf(loaded);
		hold_ports(pf, 50001, 65534);
		tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.2:40001 > 198.51.100.7:443 S", 1000,
		    &v, &out);
		CU_ASSERT_EQUAL(v.action, PFM_PASS);
		CU_ASSERT_EQUAL(out.sport, 65535);
		pfm_free(pf);
	}
}

/* pf_get_translation: outbound the binat rules come before the nat rules, inbound the
 * rdr rules before the binat rules, whatever their order in the file; binat keeps
 * the ports. */
static void
test_binat_before_nat(void)
{
	struct pfm *pf = tu_must_load("nat on em0 from 10.99.0.0/28 to any -> 203.0.113.1\n"
	    "rdr on em0 proto tcp to 203.0.113.9 port 80 -> 10.99.0.4\n"
	    "binat on em0 from 10.99.0.3 to any -> 203.0.113.9\n"
	    "pass all\n");

	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.3:40001 > 198.51.100.7:443 S", 1000, &v,
	    &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&out.src), "203.0.113.9");
	CU_ASSERT_EQUAL(out.sport, 40001);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40002 > 203.0.113.9:80 S", 1000, &v,
	    &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&out.dst), "10.99.0.4");
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40003 > 203.0.113.9:22 S", 1000, &v,
	    &out);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&out.dst), "10.99.0.3");
	pfm_free(pf);
}

/* pf_map_addr, PF_POOL_ROUNDROBIN over a netblock: each connection gets the next
 * address, network and broadcast addresses included, and after the last the first. */
static void
test_roundrobin_wraps(void)
{
	static const char *const want[] = { "203.0.113.8", "203.0.113.9", "203.0.113.10",
	    "203.0.113.11", "203.0.113.8", "203.0.113.9" };
	struct pfm *pf = tu_must_load("nat on em0 from 10.99.0.0/28 to any -> "
	    "203.0.113.8/30 round-robin\n"
	    "pass all\n");
	char p[128];
	int i;

	for (i = 0; i < 6; i++) {
		snprintf(p, sizeof(p), "tcp 10.99.0.2:%d > 198.51.100.7:443 S", 40001 + i);
		tu_send(pf, PFM_OUT, "em0", p, 1000, &v, &out);
		CU_ASSERT_EQUAL(v.action, PFM_PASS);
		CU_ASSERT_STRING_EQUAL(tu_ntop(&out.src), want[i]);
	}
	pfm_free(pf);
}

/* The source address of n connections of 10.99.0.2's through pf into want[]. */
static void
rr_picks(struct pfm *pf, int n, const char *const *want)
{
	char p[128];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "tcp 10.99.0.2:%d > 198.51.100.7:443 S", 41001 + i);
		tu_send(pf, PFM_OUT, "em0", p, 1000, &v, &out);
		CU_ASSERT_EQUAL(v.action, PFM_PASS);
		CU_ASSERT_STRING_EQUAL(tu_ntop(&out.src), want[i]);
	}
}

/* FreeBSD 14's pf_map_addr (pf_lb.c), PF_POOL_ROUNDROBIN, on a fresh rule (rpool.cur
 * the first entry, counter and tblidx zero): a list of addresses starts at its second
 * (pf_match_addr misses the zero counter, try_next moves on), a table and an
 * interface too (pfr_pool_get uses the zero counter as a position in entry 0, misses,
 * takes entry 1), and a table or an interface is walked in its radix tree's order,
 * by address, whatever order the entries were written or added in. */
static void
test_roundrobin_start(void)
{
	static const char *const list[] = { "203.0.113.7", "203.0.113.5", "203.0.113.7" };
	static const char *const tbl[] = { "203.0.113.5", "203.0.113.6", "203.0.113.4",
	    "203.0.113.5" };
	static const char *const ifs[] = { "203.0.113.2", "203.0.113.3", "203.0.113.1",
	    "203.0.113.2" };
	struct pfm_host h;
	struct pfm *pf;

	pf = tu_must_load("nat on em0 from 10.99.0.0/28 to any -> "
	    "{ 203.0.113.5, 203.0.113.7 } round-robin\n");
	rr_picks(pf, 3, list);
	pfm_free(pf);
	pf = tu_must_load("table <pub> { 203.0.113.6, 203.0.113.4, 203.0.113.5 }\n"
	    "nat on em0 from 10.99.0.0/28 to any -> <pub> round-robin\n");
	rr_picks(pf, 4, tbl);
	pfm_free(pf);

	/* em0 holds .1, then the aliases .3 and .2, in that order */
	tu_host(&h);
	h.iface[0].addr[h.iface[0].naddr] = h.iface[0].addr[0];
	inet_pton(AF_INET, "203.0.113.3", h.iface[0].addr[h.iface[0].naddr++].addr);
	h.iface[0].addr[h.iface[0].naddr] = h.iface[0].addr[0];
	inet_pton(AF_INET, "203.0.113.2", h.iface[0].addr[h.iface[0].naddr++].addr);
	pf = tu_new(&h);
	CU_ASSERT_EQUAL_FATAL(tu_load_into(pf, "nat on em0 from 10.99.0.0/28 to any -> "
	    "(em0)\n", NULL), 0);
	rr_picks(pf, 4, ifs);
	pfm_free(pf);
}

/* map-e-portset 2/12/0x342 (FreeBSD 14 pf_lb.c pf_get_mape_sport; nat.sh
 * map_e_compat): a port is A (2 bits, 1-3) | PSID 0x342 (12 bits) | j (2 bits), so
 * the set has 3 * 4 = 12 ports, all found whatever A the search starts from (the
 * random start, so a few seeds); the 13th connection to one server finds none. */
static void
test_mape_portset(void)
{
	struct pfm *pf;
	unsigned int seen, port;
	char pkt[128];
	int i, seed;

	for (seed = 1; seed <= 8; seed++) {
		pf = tu_must_load("nat on em0 inet from 10.99.0.0/28 to any -> "
		    "203.0.113.1 map-e-portset 2/12/0x342\npass all\n");
		pf->rng = 0x9e3779b97f4a7c15ULL * (uint64_t)seed;
		seen = 0;
		for (i = 0; i < 12; i++) {
			snprintf(pkt, sizeof(pkt), "tcp 10.99.0.3:%d > 198.51.100.7:80 S",
			    40000 + i);
			tu_send(pf, PFM_OUT, "em0", pkt, 1000, &v, &out);
			CU_ASSERT_EQUAL_FATAL(v.action, PFM_PASS);
			CU_ASSERT_STRING_EQUAL(tu_ntop(&out.src), "203.0.113.1");
			port = out.sport;
			CU_ASSERT_EQUAL(port >> 2 & 0xfff, 0x342);
			CU_ASSERT(port >> 14 != 0);
			seen |= 1u << ((port >> 14) * 4 + (port & 3));
		}
		CU_ASSERT_EQUAL(seen, 0xfff0u);	/* every port of the set, once */
		tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.3:40100 > 198.51.100.7:80 S", 1000,
		    &v, &out);
		CU_ASSERT_EQUAL(v.action, PFM_DROP);
		CU_ASSERT_STRING_EQUAL(v.reason, "map-failed");
		/* UDP to another server: the set again */
		tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.3:5000 > 198.51.100.9:53", 1000, &v,
		    &out);
		CU_ASSERT_EQUAL(v.action, PFM_PASS);
		CU_ASSERT_EQUAL(out.sport >> 2 & 0xfff, 0x342);
		pfm_free(pf);
	}
}

/* endpoint-independent (FreeBSD 14.2 pf_get_sport, PF_POOL_ENDPI; nat.sh
 * endpoint_independent): one inside UDP endpoint keeps its outside port whatever the
 * destination, another endpoint never gets it, and the mapping ends with its last
 * state. A rule without it maps each destination on its own. */
static void
test_endpoint_independent(void)
{
	struct pfm *pf = tu_must_load("nat on em0 inet proto udp from 10.99.0.0/28 to any "
	    "-> 203.0.113.1 endpoint-independent\npass all\n");
	uint16_t p1;

	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.3:5000 > 198.51.100.7:53", 1000, &v, &out);
	CU_ASSERT_EQUAL_FATAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&out.src), "203.0.113.1");
	p1 = out.sport;
	CU_ASSERT(p1 >= 50001);
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.3:5000 > 198.51.100.9:1234", 1000, &v,
	    &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_EQUAL(out.sport, p1);
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.4:5000 > 198.51.100.7:53", 1000, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_NOT_EQUAL(out.sport, p1);
	CU_ASSERT_PTR_NOT_NULL(pf->udpmaps);
	/* the mapping outlives one of its states, not the last */
	pfm_flush_states(pf);
	CU_ASSERT_PTR_NULL(pf->udpmaps);
	/* a datagram pf blocks leaves no mapping */
	pfm_free(pf);
	pf = tu_must_load("nat on em0 inet proto udp from 10.99.0.0/28 to any "
	    "-> 203.0.113.1 endpoint-independent\nblock out proto udp to port 7\n");
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.3:5000 > 198.51.100.7:7", 1000, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_PTR_NULL(pf->udpmaps);
	CU_ASSERT_PTR_NULL(pf->udpmap_pend);
	pfm_free(pf);
	/* without it: a port per destination, searched by states */
	pf = tu_must_load("nat on em0 inet proto udp from 10.99.0.0/28 to any "
	    "-> 203.0.113.1 port 50001:50002\npass all\n");
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.3:5000 > 198.51.100.7:53", 1000, &v, &out);
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.4:5000 > 198.51.100.9:53", 1000, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_PTR_NULL(pf->udpmaps);
	pfm_free(pf);
	/* with it, two inside endpoints can never share the two outside ports' one */
	pf = tu_must_load("nat on em0 inet proto udp from 10.99.0.0/28 to any "
	    "-> 203.0.113.1 port 50001:50002 endpoint-independent\npass all\n");
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.3:5000 > 198.51.100.7:53", 1000, &v, &out);
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.4:5000 > 198.51.100.9:53", 1000, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.5:5000 > 198.51.100.11:53", 1000, &v,
	    &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "map-failed");
	pfm_free(pf);
}

int
pfm_nat_review_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_nat_review", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "rdr bitmask grafts over the destination",
	    test_rdr_bitmask_destination) == NULL ||
	    CU_add_test(s, "nat keeps ICMPv6 echo ids", test_icmp6_echo_id_kept) == NULL ||
	    CU_add_test(s, "random pool: next address when out of ports",
	    test_random_pool_next_address) == NULL ||
	    CU_add_test(s, "default nat port range 50001-65535",
	    test_nat_default_port_range) == NULL ||
	    CU_add_test(s, "binat before nat, rdr before binat", test_binat_before_nat) ==
	    NULL ||
	    CU_add_test(s, "round-robin pool wraps", test_roundrobin_wraps) == NULL ||
	    CU_add_test(s, "round-robin: a fresh pool's start, radix order",
	    test_roundrobin_start) == NULL ||
	    CU_add_test(s, "map-e-portset: ports from the port set", test_mape_portset) ==
	    NULL ||
	    CU_add_test(s, "endpoint-independent UDP mapping", test_endpoint_independent) ==
	    NULL)
		return (-1);
	return (0);
}
