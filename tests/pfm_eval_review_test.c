/* pfm_eval_review_test.c: what pf_test does around the rules, held to FreeBSD 14's
 * pf.c where the model once differed: ICMP errors whose quote pf gives up on
 * (pf_test_state_icmp), which ICMPv6 types are errors, pf_test's UDP and ICMP family
 * checks, and the packets pf_return / pf_send_icmp leave unanswered (fragments, bad
 * TCP checksums, multicast), with the counters pfctl -si shows for each. */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "base/cksum.h"
#include "pfm_tutil.h"
#include "tests.h"

static struct pfm_verdict v;
static struct pkt out;

/* The IPv4 header checksum of buf, recomputed after a hand edit. */
static void
ip4_sum(uint8_t *buf)
{
	pfm_put16(buf + 10, 0);
	pfm_put16(buf + 10, cksum_sum(buf, 20, 0));
}

/* A UDP state out of the public address to 198.51.100.7:53, for errors to quote. */
static struct pfm *
udp_state_pf(void)
{
	struct pfm *pf = tu_must_load("block in on em0 all\n"
	    "pass out on em0 proto udp all keep state\n");

	tu_send(pf, PFM_OUT, "em0", "udp 203.0.113.1:5000 > 198.51.100.7:53 \"q\"", 1, &v,
	    &out);
	CU_ASSERT_FATAL(v.action == PFM_PASS && v.state_created);
	return (pf);
}

/* pf_test_state_icmp: an error whose quoted source is not its own destination is
 * "BAD ICMP outer dst": no state lookup, state-mismatch counted, the rules decide. */
static void
test_icmp_outer_dst(void)
{
	struct pfm *pf = udp_state_pf();
	long bad = tu_counter(tu_info(pf), "state-mismatch");

	tu_send(pf, PFM_IN, "em0", "icmp unreach-port 198.51.100.9 > 203.0.113.1 quote udp "
	    "203.0.113.1:5000 > 198.51.100.7:53", 2, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	tu_send(pf, PFM_IN, "em0", "icmp unreach-port 198.51.100.9 > 203.0.113.77 quote udp "
	    "203.0.113.1:5000 > 198.51.100.7:53", 3, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);	/* block in on em0 */
	CU_ASSERT_FALSE(v.state_hit);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "state-mismatch"), bad + 1);
	pfm_free(pf);
}

/* A quote pf cannot use: a non-first fragment (fragment counted) or one cut short
 * before the quoted ports (short counted); no lookup either way, the rules decide. */
static void
test_icmp_quote_unusable(void)
{
	struct pfm *pf = udp_state_pf();
	uint8_t b[256];
	size_t n;
	long frag = tu_counter(tu_info(pf), "fragment"), shrt = tu_counter(tu_info(pf), "short");

	n = tu_l3("icmp unreach-port 198.51.100.9 > 203.0.113.1 quote udp "
	    "203.0.113.1:5000 > 198.51.100.7:53", 0, b, sizeof(b));
	pfm_put16(b + 28 + 6, 0x0010);	/* quoted header: fragment offset 128 */
	pfm_test(pf, PFM_IN, "em0", b, n, 2, &v);
	CU_ASSERT(v.action == PFM_DROP && !v.state_hit);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "fragment"), frag + 1);
	n = tu_l3("icmp unreach-port 198.51.100.9 > 203.0.113.1 quote udp "
	    "203.0.113.1:5000 > 198.51.100.7:53", 0, b, sizeof(b));
	pfm_put16(b + 2, 20 + 8 + 20 + 4);	/* half the quoted UDP header */
	ip4_sum(b);
	pfm_test(pf, PFM_IN, "em0", b, 20 + 8 + 20 + 4, 3, &v);
	CU_ASSERT(v.action == PFM_DROP && !v.state_hit);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "short"), shrt + 1);
	pfm_free(pf);
}

/* An error quoting another protocol is looked up with ports 0 (pf_test_state_icmp's
 * default case), so a GRE state lets its errors in. */
static void
test_icmp_quote_other_proto(void)
{
	struct pfm *pf = tu_must_load("block in on em0 all\n"
	    "pass out on em0 proto gre all keep state\n");
	uint8_t b[256];
	size_t n;

	n = tu_l3("udp 203.0.113.1:5000 > 198.51.100.7:53 \"gre!\"", 0, b, sizeof(b));
	b[9] = 47;
	ip4_sum(b);
	pfm_test(pf, PFM_OUT, "em0", b, n, 1, &v);
	CU_ASSERT_FATAL(v.action == PFM_PASS && v.state_created);
	n = tu_l3("icmp unreach-port 198.51.100.9 > 203.0.113.1 quote udp "
	    "203.0.113.1:5000 > 198.51.100.7:53", 0, b, sizeof(b));
	b[28 + 9] = 47;
	pfm_test(pf, PFM_IN, "em0", b, n, 2, &v);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	pfm_free(pf);
}

/* ICMPv6 errors are types 1-4 only (pf_test_state_icmp, pf_test_rule's state_icmp):
 * an unassigned type below 128 is a query with an id, and keep state makes its state. */
static void
test_icmp6_error_types(void)
{
	struct pfm *pf = tu_must_load("pass in on em0 inet6 proto icmp6 all keep state\n");
	uint8_t b[256];
	size_t n;

	n = tu_l3("icmp6 echo-request 2001:db8::7 > 2001:db8::1", 0, b, sizeof(b));
	b[40] = 100;
	pfm_test(pf, PFM_IN, "em0", b, n, 1, &v);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	pfm_free(pf);
}

/* pf_test: UDP to port 0 or with a length field that does not fit is dropped as short
 * before any state or rule; ICMPv6 in IPv4 is dropped, no counter. */
static void
test_l4_checks(void)
{
	struct pfm *pf = tu_must_load("pass all\n");
	uint8_t b[256];
	size_t n;
	long shrt = tu_counter(tu_info(pf), "short"), match;

	n = tu_l3("udp 198.51.100.7:4000 > 203.0.113.1:53 \"abcd\"", 0, b, sizeof(b));
	pfm_put16(b + 22, 0);
	pfm_test(pf, PFM_IN, "em0", b, n, 1, &v);
	CU_ASSERT(v.action == PFM_DROP && !v.state_created);
	CU_ASSERT_STRING_EQUAL(v.reason, "short");
	n = tu_l3("udp 198.51.100.7:4000 > 203.0.113.1:53 \"abcd\"", 0, b, sizeof(b));
	pfm_put16(b + 24, 8 + 40);
	pfm_test(pf, PFM_IN, "em0", b, n, 1, &v);
	CU_ASSERT(v.action == PFM_DROP && !v.state_created);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "short"), shrt + 2);
	n = tu_l3("udp 198.51.100.7:4000 > 203.0.113.1:53 \"abcd\"", 0, b, sizeof(b));
	pfm_test(pf, PFM_IN, "em0", b, n, 1, &v);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	match = tu_counter(tu_info(pf), "match");
	n = tu_l3("udp 198.51.100.7:4001 > 203.0.113.1:53 \"abcd\"", 0, b, sizeof(b));
	b[9] = 58;
	ip4_sum(b);
	pfm_test(pf, PFM_IN, "em0", b, n, 1, &v);
	CU_ASSERT(v.action == PFM_DROP && !v.state_created);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "match"), match);
	pfm_free(pf);
}

/* pf_test_fragment never calls pf_return: a fragment a `block return` rule matches
 * gets no answer, while the whole datagram gets its port unreachable. */
static void
test_fragment_no_reply(void)
{
	struct pfm *pf = tu_must_load("block return in on em0 from 198.51.100.7 to any\n");
	uint8_t b[256];
	size_t n;

	n = tu_l3("udp 198.51.100.7:4000 > 203.0.113.1:53 \"abcdefgh\"", 0, b, sizeof(b));
	pfm_test(pf, PFM_IN, "em0", b, n, 1, &v);
	CU_ASSERT(v.action == PFM_DROP && v.reply_len > 0);
	pfm_put16(b + 6, 0x2000);	/* MF: the first fragment */
	ip4_sum(b);
	pfm_test(pf, PFM_IN, "em0", b, n, 1, &v);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(v.reply_len, 0);
	pfm_free(pf);
}

/* pf_return checks the TCP checksum before its RST (pf_check_proto_cksum): a bad one
 * gets nothing and counts proto-cksum. */
static void
test_rst_bad_cksum(void)
{
	struct pfm *pf = tu_must_load("block return-rst in on em0 proto tcp all\n");
	uint8_t b[256];
	size_t n;
	long ck = tu_counter(tu_info(pf), "proto-cksum");

	n = tu_l3("tcp 198.51.100.7:4000 > 203.0.113.1:22 S seq 100", 0, b, sizeof(b));
	pfm_test(pf, PFM_IN, "em0", b, n, 1, &v);
	CU_ASSERT(v.action == PFM_DROP && v.reply_len == 40);
	n = tu_l3("tcp 198.51.100.7:4000 > 203.0.113.1:22 S seq 100", 0, b, sizeof(b));
	b[20 + 16] ^= 0x55;
	pfm_test(pf, PFM_IN, "em0", b, n, 1, &v);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(v.reply_len, 0);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "proto-cksum"), ck + 1);
	pfm_free(pf);
}

/* icmp_error / icmp6_error send nothing about a packet to a multicast or the limited
 * broadcast address, nor from a multicast or unspecified one. */
static void
test_no_icmp_multicast(void)
{
	struct pfm *pf = tu_must_load("block return in on em0 all\n");

	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:5353 > 224.0.0.251:5353", 1, &v, &out);
	CU_ASSERT(v.action == PFM_DROP && v.reply_len == 0);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:68 > 255.255.255.255:67", 1, &v, &out);
	CU_ASSERT(v.action == PFM_DROP && v.reply_len == 0);
	tu_send(pf, PFM_IN, "em0", "udp 0.0.0.0:68 > 203.0.113.1:67", 1, &v, &out);
	CU_ASSERT(v.action == PFM_DROP && v.reply_len == 0);
	tu_send(pf, PFM_IN, "em0", "udp [2001:db8::7]:5353 > [ff02::fb]:5353", 1, &v, &out);
	CU_ASSERT(v.action == PFM_DROP && v.reply_len == 0);
	tu_send(pf, PFM_IN, "em0", "udp [::]:546 > [2001:db8::1]:547", 1, &v, &out);
	CU_ASSERT(v.action == PFM_DROP && v.reply_len == 0);
	tu_send(pf, PFM_IN, "em0", "udp [2001:db8::7]:5353 > [2001:db8::1]:5353", 1, &v, &out);
	CU_ASSERT(v.action == PFM_DROP && v.reply_len > 0);
	pfm_free(pf);
}

/* set fail-policy return: a pass rule whose state is refused (max) answers the packet
 * as block return would (pf_test_rule calls pf_return on PFRULE_RETURN). */
static void
test_fail_policy_return(void)
{
	struct pfm *pf = tu_must_load("set fail-policy return\n"
	    "pass in on em0 proto { tcp udp } all keep state (max 1)\n");
	struct pkt rp;

	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4000 > 203.0.113.1:22 S seq 100", 1, &v,
	    &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4001 > 203.0.113.1:22 S seq 100", 1, &v,
	    &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "state-limit");
	CU_ASSERT_FATAL(v.reply_len == 40);
	CU_ASSERT_EQUAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT(rp.flags == (TH_RST | TH_ACK) && rp.ack == 101);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:4001 > 203.0.113.1:53", 1, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:4002 > 203.0.113.1:53", 1, &v, &out);
	CU_ASSERT_FATAL(v.action == PFM_DROP && v.reply_len > 0);
	CU_ASSERT_EQUAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT_EQUAL(rp.icmp, PKT_ICMP_UNREACH_PORT);
	pfm_free(pf);
	/* without it the refused packet is dropped silently */
	pf = tu_must_load("pass in on em0 proto tcp all keep state (max 1)\n");
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4000 > 203.0.113.1:22 S seq 100", 1, &v,
	    &out);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4001 > 203.0.113.1:22 S seq 100", 1, &v,
	    &out);
	CU_ASSERT(v.action == PFM_DROP && v.reply_len == 0);
	pfm_free(pf);
}

/* pf_test's UDP length check is exact: a length field one byte longer than the
 * datagram is short. */
static void
test_udp_len_one_over(void)
{
	struct pfm *pf = tu_must_load("pass all\n");
	uint8_t b[256];
	size_t n;

	n = tu_l3("udp 198.51.100.7:4000 > 203.0.113.1:53 \"abcd\"", 0, b, sizeof(b));
	pfm_put16(b + 24, 8 + 4 + 1);
	pfm_put16(b + 26, 0);		/* no checksum */
	pfm_test(pf, PFM_IN, "em0", b, n, 1, &v);
	CU_ASSERT(v.action == PFM_DROP && !v.state_created);
	CU_ASSERT_STRING_EQUAL(v.reason, "short");
	pfm_free(pf);
}

int
pfm_eval_review_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_eval_review", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "ICMP error: outer dst must be the quoted src",
	    test_icmp_outer_dst) == NULL ||
	    CU_add_test(s, "ICMP error: fragment / short quote counted",
	    test_icmp_quote_unusable) == NULL ||
	    CU_add_test(s, "ICMP error quoting another protocol",
	    test_icmp_quote_other_proto) == NULL ||
	    CU_add_test(s, "ICMPv6 errors are types 1-4", test_icmp6_error_types) == NULL ||
	    CU_add_test(s, "UDP short, ICMP of the other family", test_l4_checks) == NULL ||
	    CU_add_test(s, "no block return reply to a fragment",
	    test_fragment_no_reply) == NULL ||
	    CU_add_test(s, "no RST for a bad TCP checksum", test_rst_bad_cksum) == NULL ||
	    CU_add_test(s, "no ICMP about multicast/broadcast",
	    test_no_icmp_multicast) == NULL ||
	    CU_add_test(s, "set fail-policy return", test_fail_policy_return) == NULL ||
	    CU_add_test(s, "UDP length one byte over", test_udp_len_one_over) == NULL)
		return (-1);
	return (0);
}
