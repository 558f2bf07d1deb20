/* pfm_act_test.c: the scrub actions of FreeBSD 14's pf_test (pfm_frag.c: act): a pass
 * rule's scrub (...) and set (tos) options and the scrub rules' gathered per packet
 * (pf_rule_to_actions), kept by the state the packet makes (pf_create_state), applied
 * after the verdict to the packets of that state in both directions, the state's
 * replacing what the scrub rules gave a later packet (pf_test: pd.act = s->act). */
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"
#include "tutil.h"

/* The MSS option of a decoded TCP segment; 0: none. */
static unsigned
mss_of(const struct pkt *p)
{
	int i = 0;

	while (i + 1 < p->tcpopt_len) {
		if (p->tcpopt[i] == 0)
			break;
		if (p->tcpopt[i] == 1) {
			i++;
			continue;
		}
		if (p->tcpopt[i] == 2 && p->tcpopt[i + 1] == 4 && i + 3 < p->tcpopt_len)
			return ((unsigned)p->tcpopt[i + 2] << 8 | p->tcpopt[i + 3]);
		if (p->tcpopt[i + 1] < 2)
			break;
		i += p->tcpopt[i + 1];
	}
	return (0);
}

/* A pass rule's scrub options and set tos, on the SYN that makes the state and on
 * the answer that comes back through it: TTL raised to min-ttl, TOS set (the two ECN
 * bits kept), MSS lowered to max-mss (the NOP in front of it leaves it unaligned),
 * DF cleared, checksums right, the packet marked rewritten. */
static void
t_pass_rule_v4(void)
{
	struct pfm *pf = tu_must_load("pass on em0 scrub (no-df min-ttl 70 max-mss 1300) "
	    "set ( tos 0x42 )\n");
	struct pfm_verdict v;
	struct pkt p;

	tu_send(pf, PFM_OUT, "em0", "tcp 203.0.113.1:40000 > 198.51.100.7:443 S "
	    "nop mss 1460", 1000, &v, &p);
	CU_ASSERT(v.action == PFM_PASS && v.state_created && v.rewritten);
	CU_ASSERT_EQUAL(p.ttl, 70);
	CU_ASSERT_EQUAL(p.tos, 0x42);
	CU_ASSERT_EQUAL(mss_of(&p), 1300);
	CU_ASSERT_EQUAL(p.df, 0);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	/* the answer, through the state: the same options; ECN bits 0x03 stay */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:443 > 203.0.113.1:40000 SA ack 1001 "
	    "ttl 30 tos 0x13 mss 1460", 1001, &v, &p);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit && v.rewritten);
	CU_ASSERT_EQUAL(p.ttl, 70);
	CU_ASSERT_EQUAL(p.tos, 0x43);
	CU_ASSERT_EQUAL(mss_of(&p), 1300);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	/* pfctl -ss -v lists them as the state's */
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_state_v(pf, v.state),
	    ", no-df, set-tos 0x42, min-ttl 70, max-mss 1300\n"));
	/* a TTL above min-ttl and an MSS below max-mss are left alone */
	tu_send(pf, PFM_OUT, "em0", "tcp 203.0.113.1:40001 > 198.51.100.7:443 S ttl 90 "
	    "tos 0x42 no-df mss 1200", 1002, &v, &p);
	CU_ASSERT(v.action == PFM_PASS && !v.rewritten);
	CU_ASSERT(p.ttl == 90 && mss_of(&p) == 1200);
	pfm_free(pf);

	/* a rule without them changes nothing */
	pf = tu_must_load("pass on em0\n");
	tu_send(pf, PFM_OUT, "em0", "tcp 203.0.113.1:40000 > 198.51.100.7:443 S mss 1460",
	    1000, &v, &p);
	CU_ASSERT(v.action == PFM_PASS && !v.rewritten);
	CU_ASSERT(p.ttl == 64 && p.tos == 0 && mss_of(&p) == 1460);
	CU_ASSERT_PTR_NULL(strstr(tu_state_v(pf, v.state), "min-ttl"));
	pfm_free(pf);
}

/* IPv6: min-ttl raises the hop limit; set tos sets the traffic class, its ECN bits
 * kept (pf_scrub_ip6); max-mss as for IPv4. */
static void
t_pass_rule_v6(void)
{
	struct pfm *pf = tu_must_load("pass on em0 scrub (min-ttl 70 max-mss 1300) "
	    "set ( tos 0x42 )\n");
	struct pfm_verdict v;
	struct pkt p;

	tu_send(pf, PFM_OUT, "em0", "tcp [2001:db8::1]:40000 > [2001:db8::7]:443 S "
	    "tclass 0x01 mss 1460", 1000, &v, &p);
	CU_ASSERT(v.action == PFM_PASS && v.state_created && v.rewritten);
	CU_ASSERT_EQUAL(p.ttl, 70);
	CU_ASSERT_EQUAL(p.tos, 0x43);
	CU_ASSERT_EQUAL(mss_of(&p), 1300);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	tu_send(pf, PFM_IN, "em0", "tcp [2001:db8::7]:443 > [2001:db8::1]:40000 SA ack 1001 "
	    "hlim 3", 1001, &v, &p);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	CU_ASSERT(p.ttl == 70 && p.tos == 0x42);
	pfm_free(pf);
}

/* pf_test replaces what the scrub rules gave a packet of a state by the state's
 * actions. A state made by a packet that `scrub out` does not match (in on em0)
 * has none: its answer out on em0 keeps its TTL and TOS, though `scrub out`
 * matches it (no-df, pf_normalize_ip's own work, still clears DF). A state made by
 * a packet `scrub out` matches keeps that rule's options for the answers coming in,
 * which the rule does not match. */
static void
t_state_over_scrub_rule(void)
{
	struct pfm *pf = tu_must_load("scrub out on em0 all no-df min-ttl 100 "
	    "set-tos 0x20\npass on em0\n");
	struct pfm_verdict v;
	struct pkt p;

	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40000 > 203.0.113.1:80 S", 1000, &v,
	    &p);
	CU_ASSERT(v.action == PFM_PASS && v.state_created && !v.rewritten);
	tu_send(pf, PFM_OUT, "em0", "tcp 203.0.113.1:80 > 198.51.100.7:40000 SA ack 1001",
	    1001, &v, &p);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	CU_ASSERT(p.ttl == 64 && p.tos == 0 && p.df == 0);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));

	tu_send(pf, PFM_OUT, "em0", "tcp 203.0.113.1:40001 > 198.51.100.7:443 S", 1002, &v,
	    &p);
	CU_ASSERT(v.action == PFM_PASS && v.state_created && v.rewritten);
	CU_ASSERT(p.ttl == 100 && p.tos == 0x20 && p.df == 0);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:443 > 203.0.113.1:40001 SA ack 1001",
	    1003, &v, &p);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit && v.rewritten);
	CU_ASSERT(p.ttl == 100 && p.tos == 0x20);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	/* the state shows the scrub rule's set-tos and min-ttl (not its no-df, which
	 * pf_rule_to_actions does not translate) */
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_state_v(pf, v.state), ", set-tos 0x20, min-ttl 100\n"));
	CU_ASSERT_PTR_NULL(strstr(tu_state_v(pf, v.state), "no-df"));
	pfm_free(pf);

	/* a later rule's value overrides the scrub rule's (pf_rule_to_actions) */
	pf = tu_must_load("scrub out on em0 all min-ttl 100 set-tos 0x20\n"
	    "pass out on em0 scrub (min-ttl 120)\n");
	tu_send(pf, PFM_OUT, "em0", "tcp 203.0.113.1:40001 > 198.51.100.7:443 S", 1000, &v,
	    &p);
	CU_ASSERT(v.action == PFM_PASS && p.ttl == 120 && p.tos == 0x20);
	pfm_free(pf);
}

/* A match rule's scrub options gather with the deciding rule's (pf_test_rule's
 * pf_rule_to_actions for match rules, 14 and 15): a later rule's max-mss and min-ttl
 * override an earlier one's, flags add up; the state keeps them for both ways. */
static void
t_match_rule(void)
{
	struct pfm *pf = tu_must_load("match out on em0 scrub (no-df max-mss 1440 "
	    "min-ttl 60)\npass out on em0 scrub (max-mss 1300)\n");
	struct pfm_verdict v;
	struct pkt p;

	tu_send(pf, PFM_OUT, "em0", "tcp 203.0.113.1:40000 > 198.51.100.7:443 S "
	    "ttl 20 mss 1460", 1000, &v, &p);
	CU_ASSERT(v.action == PFM_PASS && v.state_created && v.rewritten);
	CU_ASSERT_EQUAL(p.ttl, 60);
	CU_ASSERT_EQUAL(mss_of(&p), 1300);	/* the pass rule's, after the match's */
	CU_ASSERT_EQUAL(p.df, 0);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:443 > 203.0.113.1:40000 SA ack 1001 "
	    "ttl 30 mss 1460", 1001, &v, &p);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	CU_ASSERT(p.ttl == 60 && mss_of(&p) == 1300 && p.df == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_state_v(pf, v.state),
	    ", no-df, min-ttl 60, max-mss 1300\n"));
	pfm_free(pf);
}

/* Without a state pd->act is the deciding rule's alone, packet by packet; random-id
 * changes an IPv4 id but not a fragment's; a blocked packet is left as it was. */
static void
t_no_state(void)
{
	struct pfm *pf = tu_must_load("block in on em0 proto udp to port 9\n"
	    "pass on em0 proto udp no state scrub (min-ttl 50 random-id)\n"
	    "block in on em0 proto udp to port 7 scrub (min-ttl 60)\n");
	struct pfm_verdict v;
	struct pkt p;

	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:4000 > 203.0.113.1:53 ttl 9 id 77", 1000,
	    &v, &p);
	CU_ASSERT(v.action == PFM_PASS && !v.state_created && v.rewritten);
	CU_ASSERT(p.ttl == 50 && p.id != 77);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	tu_send(pf, PFM_IN, "em0", "udp frag 198.51.100.7:4000 > 203.0.113.1:53 len 600 "
	    "ttl 9 id 77 off 0 mf iplen 340", 1001, &v, &p);
	CU_ASSERT(v.action == PFM_PASS && v.rewritten);
	CU_ASSERT(tu_buf[8] == 50 && pfm_get16(tu_buf + 4) == 77);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:4000 > 203.0.113.1:7 ttl 9", 1002, &v,
	    &p);
	CU_ASSERT(v.action == PFM_DROP && p.ttl == 9);
	pfm_free(pf);
}

int
pfm_act_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_act", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "a pass rule's scrub options, IPv4, both ways",
	    t_pass_rule_v4) == NULL ||
	    CU_add_test(s, "a pass rule's scrub options, IPv6", t_pass_rule_v6) == NULL ||
	    CU_add_test(s, "the state's actions over the scrub rules'",
	    t_state_over_scrub_rule) == NULL ||
	    CU_add_test(s, "no state: the rule's, packet by packet", t_no_state) == NULL ||
	    CU_add_test(s, "a match rule's, with the deciding rule's", t_match_rule) == NULL)
		return (-1);
	return (0);
}
