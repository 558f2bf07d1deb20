/* pfm_eval_test.c: the pf model's packet path, one test per PF-REFERENCE rule: skip,
 * state before rules, translation, filtering, state creation, block return, IPv6. */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"

static struct pfm_verdict v;
static struct pkt out;
static char fmt[512];

#define PKTSTR()	pkt_format(&out, fmt, sizeof(fmt))

/* The first seed article's ruleset, built by hand (as pfctl would hand it over). */
static struct pfm_ruleset *
seed1(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	static const uint16_t dick[] = { 21, 80, 443 };
	size_t i;

	r = tu_rule(rs, PFM_R_SCRUB);
	r->direction = PFM_RDIR_IN;
	r = tu_rule(rs, PFM_R_NAT);
	r->pass_trans = 1;
	snprintf(r->ifname, sizeof(r->ifname), "em0");
	tu_addr(&r->src, "10.99.0.0/28", NULL);
	r->af = AF_INET;
	tu_pool(r, "203.0.113.1");
	r = tu_rule(rs, PFM_R_RDR);
	r->pass_trans = 1;
	snprintf(r->ifname, sizeof(r->ifname), "em0");
	r->proto = 6;
	r->af = AF_INET;
	tu_addr(&r->dst, "203.0.113.1", NULL);
	tu_port(&r->dst, PFM_OP_EQ, 3306, 0);
	tu_pool(r, "10.99.0.1");
	for (i = 0; i < 3; i++) {
		r = tu_rule(rs, PFM_R_RDR);
		r->pass_trans = 1;
		snprintf(r->ifname, sizeof(r->ifname), "em0");
		r->proto = 6;
		r->af = AF_INET;
		tu_addr(&r->dst, "203.0.113.1", NULL);
		tu_port(&r->dst, PFM_OP_EQ, dick[i], 0);
		tu_pool(r, "10.99.0.2");
	}
	r = tu_rule(rs, PFM_R_RDR);
	r->pass_trans = 1;
	snprintf(r->ifname, sizeof(r->ifname), "em0");
	r->proto = 6;
	r->af = AF_INET;
	tu_addr(&r->dst, "203.0.113.1", NULL);
	tu_port(&r->dst, PFM_OP_EQ, 81, 0);
	tu_pool(r, "10.99.0.3");
	r->rpool.port_op = PFM_OP_EQ;
	r->rpool.proxy_port[0] = 80;
	r = tu_rule(rs, PFM_R_BLOCK);
	snprintf(r->ifname, sizeof(r->ifname), "em0");
	r->proto = 6;
	r->af = AF_INET;
	tu_addr(&r->dst, "203.0.113.1", NULL);
	tu_port(&r->dst, PFM_OP_EQ, 111, 0);
	return (rs);
}

static void
test_seed1(void)
{
	struct pfm *pf = tu_pf(seed1());

	CU_ASSERT_FATAL(pf != NULL);
	/* port 81 reaches harry's port 80 */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:81 S seq 1000",
	    1000, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(v.state_created && v.rewritten && v.trans != NULL && v.filter == NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(PKTSTR(), "tcp 198.51.100.7:40001 > 10.99.0.3:80 S seq 1000"));
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.3:80 > 198.51.100.7:40001 SA seq 5000 ack 1001",
	    1010, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	CU_ASSERT_EQUAL(out.sport, 81);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:81 A seq 1001 ack 5001",
	    1020, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	CU_ASSERT_STRING_EQUAL(tu_states(pf),
	    "all tcp 10.99.0.3:80 (203.0.113.1:81) <- 198.51.100.7:40001       ESTABLISHED:ESTABLISHED\n");
	/* rpc is blocked */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40002 > 203.0.113.1:111 S", 1030, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT(v.filter != NULL && v.filter->action == PFM_R_BLOCK && !v.state_created);
	CU_ASSERT_EQUAL(v.reply_len, 0);
	/* tom reaches the outside through nat */
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:41234 > 198.51.100.7:443 S seq 77", 1040,
	    &v, &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	CU_ASSERT(out.src.a[0] == 203 && out.src.a[3] == 1);
	CU_ASSERT(out.sport >= 50001);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	{
		char txt[128];
		uint16_t np = out.sport;

		snprintf(txt, sizeof(txt),
		    "tcp 198.51.100.7:443 > 203.0.113.1:%u SA seq 9 ack 78", np);
		tu_send(pf, PFM_IN, "em0", txt, 1050, &v, &out);
		CU_ASSERT(v.action == PFM_PASS && v.state_hit);
		CU_ASSERT_EQUAL(out.dport, 41234);
		CU_ASSERT(out.dst.a[0] == 10 && out.dst.a[3] == 1);
		snprintf(txt, sizeof(txt), "all tcp 203.0.113.1:%u (10.99.0.1:41234) -> "
		    "198.51.100.7:443       ESTABLISHED:SYN_SENT\n", np);
		CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), txt));
	}
	pfm_free(pf);
}

static void
test_skip(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;

	snprintf(rs->skip[rs->nskip++], PFM_IFNAMSIZ, "lo");
	r = tu_rule(rs, PFM_R_BLOCK);
	pf = tu_pf(rs);
	tu_send(pf, PFM_OUT, "lo1", "tcp 10.99.0.1:1 > 10.99.0.2:2 S", 1, &v, NULL);
	CU_ASSERT(v.skipped && v.action == PFM_PASS && !v.state_hit);
	tu_send(pf, PFM_IN, "lo0", "udp 127.0.0.1:1 > 127.0.0.1:2", 1, &v, NULL);
	CU_ASSERT(v.skipped && v.action == PFM_PASS);
	CU_ASSERT_EQUAL(pf->fcounters[PFM_FCNT_SEARCH], 0);
	CU_ASSERT_EQUAL(pf->counters[PFM_RES_MATCH], 0);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:1 > 203.0.113.1:2", 1, &v, NULL);
	CU_ASSERT(!v.skipped && v.action == PFM_DROP);
	(void)r;
	pfm_free(pf);
}

static void
test_state_before_rules(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;

	r = tu_rule(rs, PFM_R_BLOCK);
	r = tu_rule(rs, PFM_R_PASS);
	r->direction = PFM_RDIR_OUT;
	tu_keep(r);
	pf = tu_pf(rs);
	tu_send(pf, PFM_OUT, "em0", "udp 203.0.113.1:5000 > 198.51.100.7:53", 1, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:53 > 203.0.113.1:5000", 2, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:53 > 203.0.113.1:5001", 3, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_free(pf);
}

static void
test_translation_first_match(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;

	r = tu_rule(rs, PFM_R_NORDR);
	r->proto = 6;
	tu_addr(&r->src, "198.51.100.9", NULL);
	r->af = AF_INET;
	r = tu_rule(rs, PFM_R_RDR);
	r->proto = 6;
	tu_port(&r->dst, PFM_OP_EQ, 80, 0);
	tu_pool(r, "10.99.0.2");
	r = tu_rule(rs, PFM_R_RDR);
	r->proto = 6;
	tu_port(&r->dst, PFM_OP_EQ, 80, 0);
	tu_pool(r, "10.99.0.3");
	r = tu_rule(rs, PFM_R_RDR);		/* changes nothing: no translation */
	r->proto = 6;
	tu_port(&r->dst, PFM_OP_EQ, 25, 0);
	tu_pool(r, "203.0.113.1");
	pf = tu_pf(rs);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:1000 > 203.0.113.1:80 S", 1, &v, &out);
	CU_ASSERT(v.trans != NULL && v.trans->line == 2);
	CU_ASSERT_EQUAL(out.dst.a[3], 2);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.9:1000 > 203.0.113.1:80 S", 1, &v, &out);
	CU_ASSERT(v.trans == NULL && !v.rewritten);
	CU_ASSERT_EQUAL(out.dst.a[3], 1);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:1001 > 203.0.113.1:25 S", 1, &v, &out);
	CU_ASSERT(v.trans == NULL && !v.rewritten);
	/* rdr applies inbound only: the same packet going out is not translated */
	tu_send(pf, PFM_OUT, "em0", "tcp 198.51.100.7:1002 > 203.0.113.1:80 S", 1, &v, &out);
	CU_ASSERT(v.trans == NULL);
	pfm_free(pf);
}

static void
test_filter_last_match(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *b, *q;
	struct pfm *pf;

	tu_rule(rs, PFM_R_PASS);
	tu_rule(rs, PFM_R_MATCH);
	q = tu_rule(rs, PFM_R_PASS);
	q->quick = 1;
	q->proto = 17;
	tu_port(&q->dst, PFM_OP_EQ, 53, 0);
	b = tu_rule(rs, PFM_R_BLOCK);
	tu_rule(rs, PFM_R_MATCH);
	pf = tu_pf(rs);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:1 > 203.0.113.1:53", 1, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.filter == q && !v.state_created);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:1 > 203.0.113.1:54", 1, &v, NULL);
	CU_ASSERT(v.filter == b);
	pfm_free(pf);
	/* no rule at all: the default rule passes without state */
	pf = tu_pf(tu_rs());
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:1 > 203.0.113.1:22 S", 1, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.filter == NULL && !v.state_created);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 0);
	pfm_free(pf);
}

static void
test_filter_sees_translated(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r, *b, *p;
	struct pfm *pf;

	r = tu_rule(rs, PFM_R_NAT);
	snprintf(r->ifname, sizeof(r->ifname), "em0");
	tu_addr(&r->src, "10.99.0.0/28", NULL);
	r->af = AF_INET;
	tu_pool(r, "203.0.113.1");
	p = tu_rule(rs, PFM_R_PASS);
	p->direction = PFM_RDIR_OUT;
	tu_addr(&p->src, "203.0.113.1", NULL);
	p->af = AF_INET;
	p->keep = PFM_KEEP_NONE;		/* no state: nat still makes one */
	b = tu_rule(rs, PFM_R_BLOCK);
	b->direction = PFM_RDIR_OUT;
	tu_addr(&b->src, "10.99.0.0/28", NULL);
	b->af = AF_INET;
	pf = tu_pf(rs);
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.2:5353 > 198.51.100.7:53", 1, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && v.filter == p && v.trans == r);
	CU_ASSERT(v.state_created);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	pfm_free(pf);
}

static void
test_natpass_skips_filter(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;

	r = tu_rule(rs, PFM_R_RDR);
	r->pass_trans = 1;
	r->proto = 6;
	tu_port(&r->dst, PFM_OP_EQ, 80, 0);
	tu_pool(r, "10.99.0.2");
	tu_rule(rs, PFM_R_BLOCK);
	pf = tu_pf(rs);
	/* even a mid-stream ACK: the default rule has no flags to check */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:1 > 203.0.113.1:80 A seq 5 ack 6", 1, &v,
	    NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created && v.filter == NULL);
	pfm_free(pf);
}

static void
test_flags_sa(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;

	tu_rule(rs, PFM_R_BLOCK);
	r = tu_rule(rs, PFM_R_PASS);
	r->proto = 6;
	tu_keep(r);
	pf = tu_pf(rs);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:1 > 203.0.113.1:22 A seq 5 ack 6", 1, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:1 > 203.0.113.1:22 S seq 5", 1, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	pfm_free(pf);
}

static void
test_block_return_rst(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;
	struct pkt rp;

	r = tu_rule(rs, PFM_R_RDR);
	r->proto = 6;
	tu_port(&r->dst, PFM_OP_EQ, 80, 0);
	tu_pool(r, "10.99.0.2");
	r = tu_rule(rs, PFM_R_BLOCK);
	r->block = PFM_BLOCK_RETURN;
	pf = tu_pf(rs);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4000 > 203.0.113.1:80 S seq 100 ack 7",
	    1, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_FATAL(v.reply_len == 40);
	/* NAT undone: the RST comes from the address the client spoke to */
	CU_ASSERT_EQUAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT_STRING_EQUAL(pkt_format(&rp, fmt, sizeof(fmt)),
	    "tcp 203.0.113.1:80 > 198.51.100.7:4000 RA seq 7 ack 101 win 0 tos 0x10 df");
	CU_ASSERT(rp.ip_sum_ok && rp.l4_sum_ok);
	CU_ASSERT_EQUAL(v.reply[8], 64);		/* TTL */
	CU_ASSERT_EQUAL(v.reply[6], 0x40);		/* DF */
	/* payload and FIN count in the ack */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4000 > 203.0.113.1:22 FA seq 100 ack 7 len 10",
	    1, &v, &out);
	CU_ASSERT_EQUAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT_EQUAL(rp.ack, 111);
	/* an RST gets ICMP port unreachable under block return */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4000 > 203.0.113.1:22 R seq 100", 1, &v,
	    &out);
	CU_ASSERT_EQUAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT_EQUAL(rp.icmp, PKT_ICMP_UNREACH_PORT);
	pfm_free(pf);
}

static void
test_block_return_icmp(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;
	struct pkt rp;

	r = tu_rule(rs, PFM_R_BLOCK);
	rs->block_policy = PFM_BLOCK_RETURN;	/* set block-policy return */
	pf = tu_pf(rs);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:4000 > 203.0.113.1:111 \"x\"", 1, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(v.reply_len, 20 + 8 + 20 + 8);
	CU_ASSERT_EQUAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT_EQUAL(rp.icmp, PKT_ICMP_UNREACH_PORT);
	CU_ASSERT(rp.ip_sum_ok && rp.l4_sum_ok);
	CU_ASSERT(rp.has_quote && rp.quote.sport == 4000 && rp.quote.dport == 111);
	CU_ASSERT_EQUAL(memcmp(v.reply + 28, tu_buf, 28), 0);
	tu_send(pf, PFM_IN, "em0", "udp [2001:db8::7]:4000 > [2001:db8::1]:111", 1, &v, &out);
	CU_ASSERT_EQUAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT(rp.proto == 58 && rp.icmp_type == 1 && rp.icmp_code == 4);
	CU_ASSERT(rp.l4_sum_ok);
	/* no ICMP about ICMP */
	tu_send(pf, PFM_IN, "em0", "icmp echo-request 198.51.100.7 > 203.0.113.1", 1, &v, &out);
	CU_ASSERT(v.action == PFM_DROP && v.reply_len == 0);
	(void)r;
	pfm_free(pf);
}

/* An ICMP error's source as icmp_reflect/icmp6_reflect pick it (FreeBSD 14; return.py
 * test_udp): the destination when the host owns it; else the host's address on the
 * route back to the sender (here em0's, where the packet came in); for a packet the
 * host sent, its own source. A RST always comes from the original destination. */
static void
test_block_return_icmp_source(void)
{
	struct pfm *pf = tu_must_load("block return in on em0 proto { tcp, udp }\n"
	    "block return out on em0 proto udp to 192.0.2.0/24\n");
	struct pkt rp, a;

	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:4000 > 192.0.2.9:53", 1, &v, &out);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT_EQUAL(rp.icmp, PKT_ICMP_UNREACH_PORT);
	CU_ASSERT(pkt_addr_parse("203.0.113.1", &a.src) == 0 && pkt_addr_eq(&rp.src, &a.src));
	CU_ASSERT(rp.ip_sum_ok && rp.l4_sum_ok);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:4000 > 10.99.0.1:53", 1, &v, &out);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT(pkt_addr_parse("10.99.0.1", &a.src) == 0 && pkt_addr_eq(&rp.src, &a.src));
	tu_send(pf, PFM_IN, "em0", "udp [2001:db8:1::7]:4000 > [2001:db8:2::9]:53", 1, &v,
	    &out);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT(pkt_addr_parse("2001:db8::1", &a.src) == 0 && pkt_addr_eq(&rp.src, &a.src));
	CU_ASSERT(rp.proto == 58 && rp.l4_sum_ok);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4000 > 192.0.2.9:80 S", 1, &v, &out);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT(pkt_addr_parse("192.0.2.9", &a.src) == 0 && pkt_addr_eq(&rp.src, &a.src));
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.1:4000 > 192.0.2.9:53", 1, &v, &out);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT(pkt_addr_parse("10.99.0.1", &a.src) == 0 && pkt_addr_eq(&rp.src, &a.src));
	pfm_free(pf);
}

/* received-on (FreeBSD 14 pf_match_rcvif; pass_block.sh received_on): the receiving
 * interface or one of its groups, never a packet the host sends itself. */
static void
test_received_on(void)
{
	struct pfm *pf = tu_must_load("block all\n"
	    "pass in quick proto udp received-on em0\n"
	    "pass in quick proto tcp received-on lo\n"
	    "pass out quick proto udp ! received-on em0\n");

	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:4000 > 203.0.113.1:53", 1, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	tu_send(pf, PFM_IN, "lo1", "udp 10.99.0.1:4000 > 10.99.0.1:53", 1, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	tu_send(pf, PFM_IN, "lo1", "tcp 10.99.0.1:4000 > 10.99.0.1:80 S", 1, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4000 > 203.0.113.1:80 S", 1, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	tu_send(pf, PFM_OUT, "em0", "udp 203.0.113.1:4000 > 198.51.100.7:53", 1, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	pfm_free(pf);
}

/* return-icmp(CODE): the rule's type and code, not always port unreachable; pfctl gives
 * `return-icmp(host-unr)` the IPv4 default 3/3 as its ICMPv6 half (parse.y), so an
 * IPv6 packet gets ICMPv6 type 3 code 3; TCP gets ICMP too (no RST without `return`). */
static void
test_block_return_icmp_code(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;
	struct pkt rp;

	r = tu_rule(rs, PFM_R_BLOCK);
	r->block = PFM_BLOCK_RETURN_ICMP;
	r->return_icmp = 3 << 8 | 1;		/* host-unr */
	r->return_icmp6 = 3 << 8 | 3;
	pf = tu_pf(rs);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4000 > 203.0.113.1:114 S", 1, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT(rp.proto == 1 && rp.icmp_type == 3 && rp.icmp_code == 1);
	CU_ASSERT_EQUAL(rp.icmp, PKT_ICMP_UNREACH_HOST);
	CU_ASSERT(rp.ip_sum_ok && rp.l4_sum_ok);
	CU_ASSERT(rp.has_quote && rp.quote.proto == 6 && rp.quote.dport == 114);
	tu_send(pf, PFM_IN, "em0", "udp [2001:db8::7]:4000 > [2001:db8::1]:111", 1, &v, &out);
	CU_ASSERT_EQUAL(pkt_decode_l3(v.reply, v.reply_len, &rp), 0);
	CU_ASSERT(rp.proto == 58 && rp.icmp_type == 3 && rp.icmp_code == 3);
	CU_ASSERT(rp.l4_sum_ok);
	pfm_free(pf);
}

static void
test_ipv6(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;

	tu_rule(rs, PFM_R_BLOCK);
	r = tu_rule(rs, PFM_R_PASS);
	r->af = AF_INET6;
	r->proto = 6;
	tu_addr(&r->dst, "2001:db8::1", NULL);
	tu_port(&r->dst, PFM_OP_EQ, 22, 0);
	tu_keep(r);
	pf = tu_pf(rs);
	tu_send(pf, PFM_IN, "em0", "tcp [2001:db8::7]:4000 > [2001:db8::1]:22 S seq 1", 1, &v,
	    NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	tu_send(pf, PFM_OUT, "em0", "tcp [2001:db8::1]:22 > [2001:db8::7]:4000 SA seq 9 ack 2",
	    2, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	CU_ASSERT_STRING_EQUAL(tu_states(pf),
	    "all tcp 2001:db8::1[22] <- 2001:db8::7[4000]       SYN_SENT:ESTABLISHED\n");
	tu_send(pf, PFM_IN, "em0", "tcp [2001:db8::7]:4000 > [2001:db8::1]:23 S seq 1", 1, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_free(pf);
}

static void
test_if_bound(void)
{
	struct pfm_ruleset *rs;
	struct pfm_rule *r;
	struct pfm *pf;
	int i;

	/* the rule's flag decides, not the ruleset's policy (pfctl copies the policy
	 * into keep state rules that name neither): i bit 0 rule, bit 1 policy */
	for (i = 0; i < 4; i++) {
		rs = tu_rs();
		rs->if_bound = i >> 1;
		tu_rule(rs, PFM_R_BLOCK);
		r = tu_rule(rs, PFM_R_PASS);
		r->direction = PFM_RDIR_OUT;
		r->if_bound = i & 1;
		tu_keep(r);
		pf = tu_pf(rs);
		tu_send(pf, PFM_OUT, "em0", "udp 203.0.113.1:5 > 198.51.100.7:53", 1, &v, NULL);
		tu_send(pf, PFM_IN, "em1", "udp 198.51.100.7:53 > 203.0.113.1:5", 2, &v, NULL);
		CU_ASSERT_EQUAL(v.action, i & 1 ? PFM_DROP : PFM_PASS);
		CU_ASSERT_EQUAL(strstr(tu_states(pf), "em0 udp ") != NULL, i & 1);
		pfm_free(pf);
	}
}

/* A nat pass / rdr pass state belongs to the default rule, whose flag is never set:
 * floating even under set state-policy if-bound (BOUND_IFACE(r, kif), pf.c). */
static void
test_if_bound_natpass(void)
{
	struct pfm *pf = tu_load("set state-policy if-bound\n"
	    "rdr pass on em0 proto udp to 203.0.113.1 port 53 -> 10.99.0.3\n"
	    "block in on em1\n", NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:5 > 203.0.113.1:53", 1, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "all udp "));
	tu_send(pf, PFM_OUT, "em1", "udp 10.99.0.3:53 > 198.51.100.7:5", 2, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	pfm_free(pf);
}

static void
test_scrub_normalize(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm *pf;

	tu_rule(rs, PFM_R_SCRUB);
	pf = tu_pf(rs);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:1 > 203.0.113.1:22 SR seq 1", 1, &v, NULL);
	CU_ASSERT(v.action == PFM_DROP && strcmp(v.reason, "normalize") == 0);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:1 > 203.0.113.1:22 seq 1", 1, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	/* SYN+FIN: dropped by 14.x (pf_norm.c: "Illegal packet"), not stripped */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:1 > 203.0.113.1:22 SF seq 1", 1, &v, &out);
	CU_ASSERT(v.action == PFM_DROP && strcmp(v.reason, "normalize") == 0);
	/* a plain SYN passes, checksum intact */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:1 > 203.0.113.1:22 S seq 1", 1, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && out.flags == 0x02);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	pfm_free(pf);
}

/* The compiled rule's inline checks (port ranges, masked IPv4 words, the slow path
 * for negated and IPv6 addresses) decide as pfm_match_port/pfm_match_caddr do. */
static void
test_compiled_match(void)
{
	static const uint16_t b[] = { 0, 1, 79, 80, 81, 65534, 65535 };
	struct pfm_ruleset *rs;
	struct pfm_rule *r;
	struct pfm *pf;
	char pk[128];
	int op, i, j, k, bad = 0;

	for (op = PFM_OP_IRG; op <= PFM_OP_RRG; op++)
		for (i = 0; i < 7; i++)
			for (j = 0; j < 7; j++) {
				rs = tu_rs();
				r = tu_rule(rs, PFM_R_BLOCK);
				r->quick = 1;
				r->proto = 17;
				tu_port(&r->dst, (enum pfm_op)op, b[i], b[j]);
				pf = tu_pf(rs);
				for (k = 0; k < 7; k++) {
					snprintf(pk, sizeof(pk),
					    "udp 198.51.100.7:7 > 203.0.113.1:%u", b[k]);
					tu_send(pf, PFM_IN, "em0", pk, 1, &v, NULL);
					/* pf_test drops UDP to port 0 as short */
					bad += (v.action == PFM_DROP) != (b[k] == 0 ||
					    pfm_match_port(op, b[i], b[j], b[k]));
				}
				pfm_free(pf);
			}
	CU_ASSERT_EQUAL(bad, 0);
	rs = tu_rs();
	r = tu_rule(rs, PFM_R_BLOCK);
	r->quick = 1;
	r->af = AF_INET;
	tu_addr(&r->src, "198.51.100.0/24", NULL);
	r->src.addr.neg = 1;
	r = tu_rule(rs, PFM_R_BLOCK);
	r->quick = 1;
	tu_addr(&r->dst, "2001:db8::/64", NULL);
	pf = tu_pf(rs);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:1 > 203.0.113.1:2", 1, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	tu_send(pf, PFM_IN, "em0", "udp 192.0.2.7:1 > 203.0.113.1:2", 1, &v, NULL);
	CU_ASSERT(v.action == PFM_DROP && v.filter == rs->rules);
	tu_send(pf, PFM_IN, "em0", "udp [2001:db8:1::7]:1 > [2001:db8::1]:2", 1, &v, NULL);
	CU_ASSERT(v.action == PFM_DROP && v.filter == rs->rules->next);
	tu_send(pf, PFM_IN, "em0", "udp [2001:db8:1::7]:1 > [2001:db8:2::1]:2", 1, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	pfm_free(pf);
}

/* pf_test_state_icmp: every packet that matches an ICMP echo state sets its timeout
 * to icmp.error (10 s); only the packet that made the state gives icmp.first (20 s). */
static void
test_icmp_state_timeout(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto icmp all\n");

	tu_send(pf, PFM_OUT, "em0", "icmp echo-request 203.0.113.1 > 198.51.100.7 id 9 seq 1",
	    1000, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	tu_send(pf, PFM_IN, "em0", "icmp echo-reply 198.51.100.7 > 203.0.113.1 id 9 seq 1",
	    2000, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	pfm_expire(pf, 11999);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 1);
	pfm_expire(pf, 12000);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 0);
	pfm_free(pf);
}

/* pf_normalize_tcp drops a SYN that carries FIN, ACK or not. A FIN without ACK is
 * dropped anyway, so SYN|FIN|ACK is the segment that only the SYN check stops; with
 * or without a scrub rule (14 normalises every segment when none is loaded). */
static void
test_scrub_synfin_ack(void)
{
	static const char *const conf[2] = { "pass all\n", "scrub in all\npass all\n" };
	struct pfm *pf;
	int i;

	for (i = 0; i < 2; i++) {
		pf = tu_must_load(conf[i]);
		tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:1 > 203.0.113.1:22 SFA seq 1 ack 1",
		    1, &v, NULL);
		CU_ASSERT_EQUAL(v.action, PFM_DROP);
		CU_ASSERT_STRING_EQUAL(v.reason, "normalize");
		pfm_free(pf);
	}
}

int
pfm_eval_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_eval", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "seed article 1 end to end", test_seed1) == NULL ||
	    CU_add_test(s, "set skip (lo group): no lookup, no counters", test_skip) == NULL ||
	    CU_add_test(s, "state lookup before rules", test_state_before_rules) == NULL ||
	    CU_add_test(s, "translation: first match, no rdr, no-op", test_translation_first_match) == NULL ||
	    CU_add_test(s, "filter: last match, quick, match, default", test_filter_last_match) == NULL ||
	    CU_add_test(s, "filter sees translated packet; nat state with no state", test_filter_sees_translated) == NULL ||
	    CU_add_test(s, "rdr pass skips the filter and keeps state", test_natpass_skips_filter) == NULL ||
	    CU_add_test(s, "keep state flags S/SA", test_flags_sa) == NULL ||
	    CU_add_test(s, "block return: RST|ACK byte by byte, NAT undone", test_block_return_rst) == NULL ||
	    CU_add_test(s, "block-policy return: ICMP / ICMPv6 port unreachable", test_block_return_icmp) == NULL ||
	    CU_add_test(s, "return-icmp(code): the rule's type and code", test_block_return_icmp_code) == NULL ||
	    CU_add_test(s, "IPv6 filtering and state", test_ipv6) == NULL ||
	    CU_add_test(s, "state-policy if-bound vs floating", test_if_bound) == NULL ||
	    CU_add_test(s, "rdr pass states float under if-bound", test_if_bound_natpass) == NULL ||
	    CU_add_test(s, "scrub: TCP normalisation", test_scrub_normalize) == NULL ||
	    CU_add_test(s, "compiled rules match as the reference matchers",
	    test_compiled_match) == NULL ||
	    CU_add_test(s, "icmp state hit: icmp.error timeout", test_icmp_state_timeout) ==
	    NULL ||
	    CU_add_test(s, "scrub: SYN|FIN|ACK dropped", test_scrub_synfin_ack) == NULL ||
	    CU_add_test(s, "block return: the ICMP error's source",
	    test_block_return_icmp_source) == NULL ||
	    CU_add_test(s, "received-on", test_received_on) == NULL)
		return (-1);
	return (0);
}
