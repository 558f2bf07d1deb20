/* pfm_opts_test.c: the filter options the pf model honours beyond addresses and
 * ports (tag/tagged, on states and translation rules too, tos, probability,
 * allow-opts, fragment, prio), and the warnings for the options it does not model. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "base/cksum.h"
#include "pfm_tutil.h"
#include "tests.h"

static struct pfm_verdict v;

/* An IPv4 UDP packet 203.0.113.9:sport > 203.0.113.1:53 with TOS tos, optlen bytes of
 * IP options (router alert, then NOPs) and, when mf, the more-fragments bit. */
static size_t
ip4(uint8_t *b, uint8_t tos, int optlen, uint16_t sport, int mf)
{
	size_t hl = 20 + (size_t)optlen, len = hl + 16;
	int i;

	memset(b, 0, len);
	b[0] = (uint8_t)(0x40 | hl / 4);
	b[1] = tos;
	pfm_put16(b + 2, (uint16_t)len);
	pfm_put16(b + 6, mf ? 0x2000 : 0);
	b[8] = 64;
	b[9] = 17;
	memcpy(b + 12, "\xcb\x00\x71\x09", 4);
	memcpy(b + 16, "\xcb\x00\x71\x01", 4);
	for (i = 0; i < optlen; i++)
		b[20 + i] = 1;	/* NOP */
	if (optlen >= 4)
		memcpy(b + 20, "\x94\x04\x00\x00", 4);	/* router alert */
	pfm_put16(b + 10, (uint16_t)~cksum_sum(b, hl, 0));
	pfm_put16(b + hl, sport);
	pfm_put16(b + hl + 2, 53);
	pfm_put16(b + hl + 4, 16);
	return (len);
}

/* An IPv6 UDP packet 2001:db8::9 > 2001:db8::1 port 53, traffic class tc, with a
 * routing header of type rt (-1: none). */
static size_t
ip6(uint8_t *b, uint8_t tc, int rt)
{
	size_t off = 40, len;

	memset(b, 0, 40 + 8 + 8 + 4);
	b[0] = (uint8_t)(0x60 | tc >> 4);
	b[1] = (uint8_t)(tc << 4);
	b[6] = rt >= 0 ? 43 : 17;
	b[7] = 64;
	memcpy(b + 8, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x09", 16);
	memcpy(b + 24, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	if (rt >= 0) {
		b[off] = 17;		/* next header */
		b[off + 1] = 0;		/* 8 bytes */
		b[off + 2] = (uint8_t)rt;
		b[off + 3] = 0;		/* segments left */
		off += 8;
	}
	pfm_put16(b + off, 4000);
	pfm_put16(b + off + 2, 53);
	pfm_put16(b + off + 4, 12);
	pfm_put16(b + off + 6, 0xffff);
	len = off + 12;
	pfm_put16(b + 4, (uint16_t)(len - 40));
	return (len);
}

static int
send_raw(struct pfm *pf, uint8_t *b, size_t len)
{
	CU_ASSERT_EQUAL_FATAL(pfm_test(pf, PFM_IN, "em0", b, len, 1, &v), 0);
	return (v.action == PFM_PASS);
}

static int
send_udp(struct pfm *pf, enum pfm_dir dir, const char *text)
{
	CU_ASSERT_EQUAL_FATAL(tu_send(pf, dir, "em0", text, 1, &v, NULL), 0);
	return (v.action == PFM_PASS);
}

/* A tag set by a matching rule is what a later rule's `tagged` sees (pf_test_rule's
 * tag), even when the tagging rule does not decide. */
static void
test_tag_tagged(void)
{
	struct pfm *pf;
	int line;

	pf = tu_load("pass in all no state\n"
	    "match in proto udp to port 53 tag DNS\n"
	    "block in tagged DNS\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_FALSE(send_udp(pf, PFM_IN, "udp 203.0.113.9:5 > 203.0.113.1:53"));
	CU_ASSERT_TRUE(send_udp(pf, PFM_IN, "udp 203.0.113.9:5 > 203.0.113.1:54"));
	CU_ASSERT_EQUAL(v.tag, 0);
	pfm_free(pf);

	pf = tu_load("block in all\n"
	    "match in proto udp to port 53 tag DNS\n"
	    "pass in ! tagged DNS no state\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_FALSE(send_udp(pf, PFM_IN, "udp 203.0.113.9:5 > 203.0.113.1:53"));
	CU_ASSERT_TRUE(send_udp(pf, PFM_IN, "udp 203.0.113.9:5 > 203.0.113.1:54"));
	pfm_free(pf);

	/* the pass rule with the tag does not decide; the one matching it does, and
	 * the packet leaves with the tag */
	pf = tu_load("pass in proto udp tag A no state\n"
	    "pass in tagged A no state\n"
	    "block in tagged B\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_TRUE(send_udp(pf, PFM_IN, "udp 203.0.113.9:5 > 203.0.113.1:53"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(v.filter);
	pfm_rule_origin(v.filter, &line);
	CU_ASSERT_EQUAL(line, 2);
	CU_ASSERT_STRING_EQUAL(pfm_tag_name(pf, v.tag), "A");
	/* ICMP has no tagging rule: untagged, passed by default */
	CU_ASSERT_TRUE(send_udp(pf, PFM_IN, "icmp echo-request 203.0.113.9 > 203.0.113.1"));
	CU_ASSERT_EQUAL(v.tag, 0);
	pfm_free(pf);
}

/* A state keeps the tag of the rules that made it, and its later packets (both ways)
 * leave pf with it; a translation rule tags the packet before the filter runs. */
static void
test_tag_state_nat(void)
{
	struct pfm *pf;
	char text[96];
	uint16_t dns, port;

	pf = tu_load("block all\npass in proto udp to port 53 tag DNS keep state\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_TRUE(send_udp(pf, PFM_IN, "udp 203.0.113.9:5 > 203.0.113.1:53"));
	CU_ASSERT_EQUAL(v.state_created, 1);
	dns = v.tag;
	CU_ASSERT_STRING_EQUAL(pfm_tag_name(pf, dns), "DNS");
	CU_ASSERT_TRUE(send_udp(pf, PFM_OUT, "udp 203.0.113.1:53 > 203.0.113.9:5"));
	CU_ASSERT_EQUAL(v.state_hit, 1);
	CU_ASSERT_EQUAL(v.tag, dns);
	CU_ASSERT_TRUE(send_udp(pf, PFM_IN, "udp 203.0.113.9:5 > 203.0.113.1:53"));
	CU_ASSERT_EQUAL(v.state_hit, 1);
	CU_ASSERT_EQUAL(v.tag, dns);
	pfm_free(pf);

	/* nat tags; the filter's `tagged` sees it, and so the state keeps it */
	pf = tu_load("nat on em0 from 10.99.0.0/28 to any tag NATTED -> (em0)\n"
	    "block out all\npass out tagged NATTED keep state\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_TRUE(send_udp(pf, PFM_OUT, "udp 10.99.0.2:5000 > 198.51.100.7:53"));
	CU_ASSERT_PTR_NOT_NULL(v.trans);
	CU_ASSERT_STRING_EQUAL(pfm_tag_name(pf, v.tag), "NATTED");
	CU_ASSERT_EQUAL(v.state_created, 1);
	port = pfm_get16(tu_buf + 20);	/* the NAT source port */
	CU_ASSERT_FALSE(send_udp(pf, PFM_OUT, "udp 203.0.113.1:5000 > 198.51.100.7:53"));
	snprintf(text, sizeof(text), "udp 198.51.100.7:53 > 203.0.113.1:%u", port);
	CU_ASSERT_TRUE(send_udp(pf, PFM_IN, text));
	CU_ASSERT_EQUAL(v.state_hit, 1);
	CU_ASSERT_STRING_EQUAL(pfm_tag_name(pf, v.tag), "NATTED");
	pfm_free(pf);

	/* `tagged` on a translation rule: packets enter pf untagged */
	pf = tu_load("nat on em0 from 10.99.0.0/28 to any tagged Q -> (em0)\n"
	    "nat on em0 from 10.99.0.3 to any ! tagged Q -> 203.0.113.7\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_TRUE(send_udp(pf, PFM_OUT, "udp 10.99.0.2:5000 > 198.51.100.7:53"));
	CU_ASSERT_PTR_NULL(v.trans);
	CU_ASSERT_TRUE(send_udp(pf, PFM_OUT, "udp 10.99.0.3:5000 > 198.51.100.7:53"));
	CU_ASSERT_PTR_NOT_NULL(v.trans);
	pfm_free(pf);
}

/* tos compares the TOS/traffic class without its ECN bits. */
static void
test_tos(void)
{
	uint8_t b[128];
	struct pfm *pf;

	pf = tu_load("block in all\npass in tos 0x10 no state\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_TRUE(send_raw(pf, b, ip4(b, 0x10, 0, 4000, 0)));
	CU_ASSERT_TRUE(send_raw(pf, b, ip4(b, 0x13, 0, 4000, 0)));	/* ECN set */
	CU_ASSERT_FALSE(send_raw(pf, b, ip4(b, 0x00, 0, 4000, 0)));
	CU_ASSERT_FALSE(send_raw(pf, b, ip4(b, 0x08, 0, 4000, 0)));
	CU_ASSERT_TRUE(send_raw(pf, b, ip6(b, 0x10, -1)));
	CU_ASSERT_TRUE(send_raw(pf, b, ip6(b, 0x12, -1)));
	CU_ASSERT_FALSE(send_raw(pf, b, ip6(b, 0x20, -1)));
	pfm_free(pf);
}

/* The verdicts of n stateless packets against `probability p`, as a bit string. */
static int
prob_run(const char *conf, int n, char *bits)
{
	struct pfm *pf = tu_load(conf, NULL);
	char text[96];
	int i, pass = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	for (i = 0; i < n; i++) {
		snprintf(text, sizeof(text), "udp 203.0.113.9:%d > 203.0.113.1:53",
		    1024 + i);
		bits[i] = send_udp(pf, PFM_IN, text) ? '1' : '0';
		pass += bits[i] == '1';
	}
	bits[n] = '\0';
	pfm_free(pf);
	return (pass);
}

/* probability: 0% (pf's 1 in 2^32) never, 100% always, 50% about half, and the same
 * sequence again for the same ruleset (pfm_random is seeded per pf). */
static void
test_probability(void)
{
	static char a[1001], b[1001];
	int n;

	CU_ASSERT_EQUAL(prob_run("block in all\npass in probability 0% no state\n", 1000,
	    a), 0);
	CU_ASSERT_EQUAL(prob_run("block in all\npass in probability 100% no state\n", 1000,
	    a), 1000);
	n = prob_run("block in all\npass in probability 50% no state\n", 1000, a);
	CU_ASSERT(n > 420 && n < 580);
	CU_ASSERT_EQUAL(prob_run("block in all\npass in probability 50% no state\n", 1000,
	    b), n);
	CU_ASSERT_STRING_EQUAL(a, b);
	n = prob_run("block in all\npass in probability 10% no state\n", 1000, a);
	CU_ASSERT(n > 50 && n < 150);
}

/* allow-opts: IPv4 options and an IPv6 routing header pass only with the deciding
 * rule's (or the state's rule's) allow-opts; a type 0 routing header never. */
static void
test_allow_opts(void)
{
	uint8_t b[128];
	struct pfm *pf;

	pf = tu_load("", NULL);		/* the default pass rule has none */
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_TRUE(send_raw(pf, b, ip4(b, 0, 0, 4000, 0)));
	CU_ASSERT_FALSE(send_raw(pf, b, ip4(b, 0, 4, 4000, 0)));
	CU_ASSERT_STRING_EQUAL(v.reason, "ip-option");
	CU_ASSERT_TRUE(send_raw(pf, b, ip6(b, 0, -1)));
	CU_ASSERT_FALSE(send_raw(pf, b, ip6(b, 0, 4)));
	CU_ASSERT_STRING_EQUAL(v.reason, "ip-option");
	pfm_free(pf);

	pf = tu_load("pass in all no state\npass in proto udp from port 4001 allow-opts "
	    "no state\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_FALSE(send_raw(pf, b, ip4(b, 0, 8, 4000, 0)));
	CU_ASSERT_TRUE(send_raw(pf, b, ip4(b, 0, 8, 4001, 0)));
	CU_ASSERT_TRUE(send_raw(pf, b, ip4(b, 0, 0, 4000, 0)));
	pfm_free(pf);

	pf = tu_load("pass in all allow-opts no state\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_TRUE(send_raw(pf, b, ip6(b, 0, 4)));
	CU_ASSERT_FALSE(send_raw(pf, b, ip6(b, 0, 0)));	/* rthdr0: always */
	CU_ASSERT_STRING_EQUAL(v.reason, "ip-option");
	pfm_free(pf);

	/* a state's later packets: its rule's allow-opts decides */
	pf = tu_load("pass in proto udp from port 4000 keep state\n"
	    "pass in proto udp from port 4001 allow-opts keep state\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_TRUE(send_raw(pf, b, ip4(b, 0, 0, 4000, 0)));
	CU_ASSERT_EQUAL(v.state_created, 1);
	CU_ASSERT_FALSE(send_raw(pf, b, ip4(b, 0, 4, 4000, 0)));
	CU_ASSERT_EQUAL(v.state_hit, 1);
	CU_ASSERT_STRING_EQUAL(v.reason, "ip-option");
	CU_ASSERT_TRUE(send_raw(pf, b, ip4(b, 0, 0, 4001, 0)));
	CU_ASSERT_TRUE(send_raw(pf, b, ip4(b, 0, 4, 4001, 0)));
	CU_ASSERT_EQUAL(v.state_hit, 1);
	pfm_free(pf);
}

/* `fragment` rules match fragments only; a `prio` rule never matches (no 802.1Q tag
 * on the model's packets, pf_match_ieee8021q_pcp). */
static void
test_fragment_prio(void)
{
	uint8_t b[128];
	struct pfm *pf;

	pf = tu_load("block in all\npass in fragment no state\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_FALSE(send_raw(pf, b, ip4(b, 0, 0, 4000, 0)));
	CU_ASSERT_TRUE(send_raw(pf, b, ip4(b, 0, 0, 4000, 1)));
	pfm_free(pf);

	pf = tu_load("pass in all no state\nblock in prio 0\nblock in prio 3\n", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_TRUE(send_raw(pf, b, ip4(b, 0, 0, 4000, 0)));
	pfm_free(pf);
}

/* The options the model does not act on: one warning per rule as written and option,
 * `pfharness: file:line: 'opt' is not modelled: ...`; the ruleset still loads. */
static void
test_warnings(void)
{
	struct pfm_load_opts o;
	struct diag d = { 0 };
	struct pfm_host h;
	struct pfm *pf;
	const char *t;

	memset(&o, 0, sizeof(o));
	o.file = "w.conf";
	tu_host(&h);
	pf = pfm_new(&h);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_EQUAL(pfm_load(pf,
	    "pass in on em0 route-to (em0 203.0.113.2) os Windows keep state\n"
	    "pass in proto tcp from {1.2.3.4, 5.6.7.8} port {22 80} dnpipe 3 rtable 1\n"
	    "pass in reply-to (em0 203.0.113.3) proto udp user root tag OK\n"
	    "pass out proto udp divert-to 127.0.0.1 port 700 set prio 2 queue q\n"
	    "pass out dup-to (em0 203.0.113.4) proto tcp keep state (sloppy)\n"
	    "pass in tos 0x10 probability 50% tagged OK allow-opts\n", &o, &d), 0);
	t = diag_text(&d);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "pfharness: w.conf:1: 'route-to' is not "
	    "modelled: pf keeps the next hop, but the packet takes the host's routing "
	    "table\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "pfharness: w.conf:1: 'os' is not modelled"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "pfharness: w.conf:2: 'dnpipe' is not modelled"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "pfharness: w.conf:2: 'rtable' is not modelled"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "pfharness: w.conf:3: 'user' is not modelled"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "pfharness: w.conf:3: 'reply-to' is not "
	    "modelled"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "pfharness: w.conf:4: 'divert-to' is not "
	    "modelled"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "pfharness: w.conf:4: 'set prio' is not "
	    "modelled"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "pfharness: w.conf:4: 'queue' is not modelled"));
	CU_ASSERT_PTR_NULL(strstr(t, "'sloppy'"));	/* pfm_tcp.c tracks it */
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "pfharness: w.conf:5: 'dup-to' is not modelled"));
	/* rule 2 expands to four rules: still one warning per option */
	CU_ASSERT_PTR_NULL(strstr(strstr(t, "'dnpipe'") + 1, "'dnpipe'"));
	/* what the model honours warns nothing */
	CU_ASSERT_PTR_NULL(strstr(t, "w.conf:6:"));
	CU_ASSERT_PTR_NULL(strstr(t, "'tag'"));
	CU_ASSERT_EQUAL(d.count, 10);
	diag_free(&d);
	CU_ASSERT_EQUAL(pfm_load(pf, "pass in all\nblock in tagged X allow-opts\n", &o,
	    &d), -1);	/* allow-opts is for pass rules: a parse error, not a warning */
	diag_free(&d);
	CU_ASSERT_EQUAL(pfm_load(pf, "block in all\npass in proto tcp to port 22 tag S\n",
	    &o, &d), 0);
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	diag_free(&d);
	pfm_free(pf);
}

/* pf_route: a state keeps the next hop and interface pf_map_addr chose; route-to
 * routes the packets of the state's direction, reply-to the others; dup-to sends a
 * copy; a packet routed after coming in is tested out on the new interface first
 * (a drop there drops it); with no state the rule's pool is used for each packet. */
static void
test_route(void)
{
	struct pfm *pf = tu_must_load("pass in on em0 reply-to (em0 203.0.113.254) "
	    "proto icmp\npass out route-to (lo1 10.99.0.9) proto udp\n"
	    "pass out dup-to (lo1 10.99.0.5) proto tcp no state\n"
	    "pass in route-to lo1 proto tcp to port 80\n"
	    "block out on lo1 proto tcp to port 81\n"
	    "pass in route-to lo1 proto tcp to port 81\n");
	const struct pfm_state *s;
	char ip[64];

	tu_send(pf, PFM_IN, "em0", "icmp echo-request 198.51.100.7 > 203.0.113.1 id 5",
	    1000, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created && v.route == PFM_ROUTE_NONE);
	CU_ASSERT_FATAL((s = v.state) != NULL);
	CU_ASSERT_EQUAL(s->rt, PFM_RT_REPLYTO);
	inet_ntop(AF_INET, s->rt_addr, ip, sizeof(ip));
	CU_ASSERT_STRING_EQUAL(ip, "203.0.113.254");
	CU_ASSERT_STRING_EQUAL(pf->ifn[s->rt_kif], "em0");
	tu_send(pf, PFM_OUT, "em0", "icmp echo-reply 203.0.113.1 > 198.51.100.7 id 5",
	    1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit && v.route == PFM_ROUTE_TO);
	CU_ASSERT_STRING_EQUAL(v.rt_ifname, "em0");
	CU_ASSERT(memcmp(v.rt_addr, "\xcb\x00\x71\xfe", 4) == 0);
	/* route-to on an outbound rule: the packet is routed, its reply is not */
	tu_send(pf, PFM_OUT, "em0", "udp 203.0.113.1:5353 > 198.51.100.7:53", 1002, &v,
	    NULL);
	CU_ASSERT(v.action == PFM_PASS && v.route == PFM_ROUTE_TO);
	CU_ASSERT_STRING_EQUAL(v.rt_ifname, "lo1");
	CU_ASSERT(memcmp(v.rt_addr, "\x0a\x63\x00\x09", 4) == 0);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:53 > 203.0.113.1:5353", 1003, &v,
	    NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit && v.route == PFM_ROUTE_NONE);
	/* dup-to with no state: a copy for each packet */
	tu_send(pf, PFM_OUT, "em0", "tcp 203.0.113.1:40000 > 198.51.100.7:25 A", 1004,
	    &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.route == PFM_ROUTE_DUP && !v.state_created);
	CU_ASSERT_STRING_EQUAL(v.rt_ifname, "lo1");
	/* an interface alone: the packet's own destination, tested out on lo1 */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:80 S", 1005,
	    &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.route == PFM_ROUTE_TO);
	CU_ASSERT_STRING_EQUAL(v.rt_ifname, "lo1");
	CU_ASSERT(memcmp(v.rt_addr, "\0\0\0\0", 4) == 0);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40002 > 203.0.113.1:81 S", 1006,
	    &v, NULL);
	CU_ASSERT(v.action == PFM_DROP && v.route == PFM_ROUTE_NONE);
	pfm_free(pf);
}

int
pfm_opts_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_opts", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "tag set by one rule, tagged / ! tagged by a later one",
	    test_tag_tagged) == NULL ||
	    CU_add_test(s, "tag kept by the state; translation rules tag",
	    test_tag_state_nat) == NULL ||
	    CU_add_test(s, "tos without ECN, IPv4 and IPv6", test_tos) == NULL ||
	    CU_add_test(s, "probability 0/100/50/10%, reproducible", test_probability) ==
	    NULL ||
	    CU_add_test(s, "allow-opts: rule, state, IPv6 routing header", test_allow_opts) ==
	    NULL ||
	    CU_add_test(s, "fragment rules, prio without 802.1Q", test_fragment_prio) ==
	    NULL ||
	    CU_add_test(s, "warnings for options the model does not act on",
	    test_warnings) == NULL ||
	    CU_add_test(s, "route-to, reply-to, dup-to (pf_route)", test_route) == NULL)
		return (-1);
	return (0);
}
