/* pfm_state_test.c: the pf model's state table: TCP windows, RST, state reuse,
 * timeouts and expiry, UDP/ICMP states, ICMP errors, NAT ports, limits, counters. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"
#include "tutil.h"

static struct pfm_verdict v;
static struct pkt out;

/* pass out keep state (+ scrub when asked) with nat on em0 for 10.99.0.0/28. */
static struct pfm *
pf_out(int scrub, int nat_lo, int nat_hi, int static_port)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;

	if (scrub)
		tu_rule(rs, PFM_R_SCRUB);
	r = tu_rule(rs, PFM_R_NAT);
	snprintf(r->ifname, sizeof(r->ifname), "em0");
	tu_addr(&r->src, "10.99.0.0/28", NULL);
	r->af = AF_INET;
	tu_pool(r, "203.0.113.1");
	if (nat_lo) {
		r->rpool.proxy_port[0] = (uint16_t)nat_lo;
		r->rpool.proxy_port[1] = (uint16_t)nat_hi;
	}
	r->rpool.static_port = static_port;
	tu_rule(rs, PFM_R_BLOCK);
	r = tu_rule(rs, PFM_R_PASS);
	r->direction = PFM_RDIR_OUT;
	tu_keep(r);
	return (tu_pf(rs));
}

/* Open 10.99.0.1:1000 -> 198.51.100.7:80 (seq 100 / 5000); returns the NAT port. */
static unsigned
handshake(struct pfm *pf)
{
	char t[128];
	unsigned np;

	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:1000 > 198.51.100.7:80 S seq 100 win 1000",
	    1000, &v, &out);
	np = out.sport;
	snprintf(t, sizeof(t), "tcp 198.51.100.7:80 > 203.0.113.1:%u SA seq 5000 ack 101 win 1000",
	    np);
	tu_send(pf, PFM_IN, "em0", t, 1001, &v, &out);
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:1000 > 198.51.100.7:80 A seq 101 ack 5001 win 1000",
	    1002, &v, &out);
	return (np);
}

static void
test_tcp_window(void)
{
	struct pfm *pf = pf_out(0, 0, 0, 0);
	char t[128];
	unsigned np = handshake(pf);

	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "ESTABLISHED:ESTABLISHED"));
	snprintf(t, sizeof(t), "tcp 198.51.100.7:80 > 203.0.113.1:%u A seq 5001 ack 101 len 500",
	    np);
	tu_send(pf, PFM_IN, "em0", t, 1003, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && out.dport == 1000);
	/* far beyond what the jail's window allows */
	snprintf(t, sizeof(t), "tcp 198.51.100.7:80 > 203.0.113.1:%u A seq 900000 ack 101 len 10",
	    np);
	tu_send(pf, PFM_IN, "em0", t, 1004, &v, &out);
	CU_ASSERT(v.action == PFM_DROP && v.state_hit);
	CU_ASSERT_STRING_EQUAL(v.reason, "state-mismatch");
	CU_ASSERT_EQUAL(pf->counters[PFM_RES_BADSTATE], 1);
	/* acking data never sent */
	snprintf(t, sizeof(t), "tcp 198.51.100.7:80 > 203.0.113.1:%u A seq 5501 ack 300000", np);
	tu_send(pf, PFM_IN, "em0", t, 1005, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_free(pf);
}

static void
test_tcp_rst(void)
{
	struct pfm *pf = pf_out(1, 0, 0, 0);	/* scrub: pf checks RSTs exactly */
	char t[128];
	unsigned np = handshake(pf);

	snprintf(t, sizeof(t), "tcp 198.51.100.7:80 > 203.0.113.1:%u R seq 5003", np);
	tu_send(pf, PFM_IN, "em0", t, 1003, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	snprintf(t, sizeof(t), "tcp 198.51.100.7:80 > 203.0.113.1:%u R seq 5002", np);
	tu_send(pf, PFM_IN, "em0", t, 1004, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);	/* +1 */
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "TIME_WAIT:TIME_WAIT"));
	pfm_free(pf);
	pf = pf_out(1, 0, 0, 0);
	np = handshake(pf);
	snprintf(t, sizeof(t), "tcp 198.51.100.7:80 > 203.0.113.1:%u R seq 5001", np);
	tu_send(pf, PFM_IN, "em0", t, 1004, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);	/* exact */
	pfm_free(pf);
	/* without scrub too: FreeBSD 14 insists on the exact sequence number
	 * (pfm_tcp_review_test.c has the details) */
	pf = pf_out(0, 0, 0, 0);
	np = handshake(pf);
	snprintf(t, sizeof(t), "tcp 198.51.100.7:80 > 203.0.113.1:%u R seq 5003", np);
	tu_send(pf, PFM_IN, "em0", t, 1003, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_free(pf);
}

static void
test_tcp_reuse(void)
{
	struct pfm *pf = pf_out(0, 0, 0, 0);
	char t[128];
	unsigned np = handshake(pf);

	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:1000 > 198.51.100.7:80 FA seq 101 ack 5001",
	    1003, &v, &out);
	snprintf(t, sizeof(t), "tcp 198.51.100.7:80 > 203.0.113.1:%u FA seq 5001 ack 102", np);
	tu_send(pf, PFM_IN, "em0", t, 1004, &v, &out);
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:1000 > 198.51.100.7:80 A seq 102 ack 5002",
	    1005, &v, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "FIN_WAIT_2:FIN_WAIT_2"));
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:1000 > 198.51.100.7:80 S seq 90000", 1006,
	    &v, &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_created && !v.state_hit);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "SYN_SENT:CLOSED"));
	pfm_free(pf);
}

static void
test_timeouts(void)
{
	struct pfm *pf = pf_out(0, 0, 0, 0);
	unsigned np;
	char t[128];

	/* udp.first 60 s: gone at 60 s, there at 59.999 s */
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.1:5000 > 198.51.100.7:53", 0, &v, &out);
	np = out.sport;
	pfm_expire(pf, 59999);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "SINGLE:NO_TRAFFIC"));
	snprintf(t, sizeof(t), "udp 198.51.100.7:53 > 203.0.113.1:%u", np);
	tu_send(pf, PFM_IN, "em0", t, 59999, &v, &out);
	CU_ASSERT(v.state_hit && out.dport == 5000);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "MULTIPLE:SINGLE"));
	/* udp.single 30 s now, then udp.multiple 60 s once both sides talked twice */
	pfm_expire(pf, 59999 + 30000);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 0);
	/* a state the clock has passed does not match even before a purge */
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.1:5001 > 198.51.100.7:53", 100000, &v, &out);
	np = out.sport;
	snprintf(t, sizeof(t), "udp 198.51.100.7:53 > 203.0.113.1:%u", np);
	tu_send(pf, PFM_IN, "em0", t, 100000 + 60000, &v, &out);
	CU_ASSERT(!v.state_hit && v.action == PFM_DROP);
	/* tcp.first 120 s for a lone SYN */
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:7 > 198.51.100.7:80 S seq 1", 200000, &v,
	    &out);
	pfm_expire(pf, 200000 + 119999);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 1);
	pfm_expire(pf, 200000 + 120000);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 0);
	pfm_free(pf);
}

static void
test_adaptive(void)
{
	struct pfm *pf = pf_out(0, 0, 0, 0);
	struct pfm_state s;

	memset(&s, 0, sizeof(s));
	s.timeout = PFM_TM_TCP_ESTABLISHED;
	pf->timeout[PFM_TM_ADAPTIVE_START] = 0;
	pf->timeout[PFM_TM_ADAPTIVE_END] = 0;
	CU_ASSERT_EQUAL(pfm_state_timeout_ms(pf, &s), 86400u * 1000);
	/* 90000 states between 60000 and 120000: half the timeout */
	pf->timeout[PFM_TM_ADAPTIVE_START] = 60000;
	pf->timeout[PFM_TM_ADAPTIVE_END] = 120000;
	pf->st.count = 90000;
	CU_ASSERT_EQUAL(pfm_state_timeout_ms(pf, &s), 43200u * 1000);
	pf->st.count = 120000;
	CU_ASSERT_EQUAL(pfm_state_timeout_ms(pf, &s), 0);
	pf->st.count = 0;
	pfm_free(pf);
}

/* Adaptive bounds as pfctl loads them: 60%/120% of `set limit states` unless written;
 * a written 0 stays 0 (adaptive off). */
static uint32_t
loaded_timeout(const char *conf, int tm)
{
	struct pfm_host h;
	struct pfm_load_opts o;
	struct diag d = { 0 };
	struct pfm *pf;
	uint32_t v = 0xffffffff;

	memset(&h, 0, sizeof(h));
	memset(&o, 0, sizeof(o));
	o.file = "stdin";
	pf = pfm_new(&h);
	if (pf != NULL && pfm_load(pf, conf, &o, &d) == 0)
		v = pf->timeout[tm];
	diag_free(&d);
	pfm_free(pf);
	return (v);
}

static void
test_adaptive_load(void)
{
	CU_ASSERT_EQUAL(loaded_timeout("pass all\n", PFM_TM_ADAPTIVE_START), 60000);
	CU_ASSERT_EQUAL(loaded_timeout("set limit states 1000\n",
	    PFM_TM_ADAPTIVE_START), 600);
	CU_ASSERT_EQUAL(loaded_timeout("set limit states 1000\n",
	    PFM_TM_ADAPTIVE_END), 1200);
	CU_ASSERT_EQUAL(loaded_timeout("set limit states 1000\n"
	    "set timeout adaptive.end 5000\n", PFM_TM_ADAPTIVE_START), 60000);
	CU_ASSERT_EQUAL(loaded_timeout("set timeout adaptive.start 0\n",
	    PFM_TM_ADAPTIVE_START), 0);
	CU_ASSERT_EQUAL(loaded_timeout("set timeout udp.first 0\n", PFM_TM_UDP_FIRST), 0);
}

static void
test_icmp_echo_nat(void)
{
	struct pfm *pf = pf_out(0, 0, 0, 0);
	char t[128];
	unsigned id;

	tu_send(pf, PFM_OUT, "em0", "icmp echo-request 10.99.0.2 > 198.51.100.7", 1, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_created && v.rewritten);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	id = out.sport;
	CU_ASSERT(id >= 1);
	snprintf(t, sizeof(t), "all icmp 203.0.113.1:%u (10.99.0.2:", id);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), t));
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "   0:0\n"));
	pkt_format(&out, t, sizeof(t));
	tu_send(pf, PFM_IN, "em0", "icmp echo-reply 198.51.100.7 > 203.0.113.1", 2, &v, &out);
	/* the notation's default id may not be the NAT id: build the reply by hand */
	{
		struct pkt p;
		char err[128];
		int n;

		tut_pkt("icmp echo-reply 198.51.100.7 > 203.0.113.1", &p);
		p.sport = (uint16_t)id;
		n = pkt_build_l3(&p, tu_buf, sizeof(tu_buf), err, sizeof(err));
		CU_ASSERT_FATAL(n > 0);
		pfm_test(pf, PFM_IN, "em0", tu_buf, (size_t)n, 3, &v);
		CU_ASSERT(v.action == PFM_PASS && v.state_hit);
		CU_ASSERT(tu_sums_ok(tu_buf, (size_t)n));
		pkt_decode_l3(tu_buf, (size_t)n, &out);
		CU_ASSERT(out.dst.a[0] == 10 && out.dst.a[3] == 2);
	}
	pfm_free(pf);
}

static void
test_icmp_error(void)
{
	struct pfm *pf = pf_out(0, 0, 0, 0);
	struct pkt p;
	char err[128];
	int n;
	size_t states;
	unsigned np;

	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.1:5000 > 198.51.100.7:53", 1, &v, &out);
	np = out.sport;
	states = pfm_state_count(pf);
	/* the far end says port unreachable, quoting the NATed datagram */
	tut_pkt("icmp unreach-port 198.51.100.7 > 203.0.113.1", &p);
	p.has_quote = 1;
	p.quote.proto = 17;
	pkt_addr_parse("203.0.113.1", &p.quote.src);
	pkt_addr_parse("198.51.100.7", &p.quote.dst);
	p.quote.sport = (uint16_t)np;
	p.quote.dport = 53;
	n = pkt_build_l3(&p, tu_buf, sizeof(tu_buf), err, sizeof(err));
	CU_ASSERT_FATAL(n > 0);
	pfm_test(pf, PFM_IN, "em0", tu_buf, (size_t)n, 2, &v);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit && v.rewritten);
	CU_ASSERT_EQUAL(pfm_state_count(pf), states);
	CU_ASSERT_EQUAL(pkt_decode_l3(tu_buf, (size_t)n, &out), 0);
	CU_ASSERT(out.ip_sum_ok && out.l4_sum_ok);
	CU_ASSERT(out.dst.a[0] == 10 && out.dst.a[3] == 1);		/* outer */
	CU_ASSERT(out.quote.src.a[0] == 10 && out.quote.sport == 5000);	/* inner */
	/* an ICMP error matching no state never creates one */
	p.quote.sport = 1;
	n = pkt_build_l3(&p, tu_buf, sizeof(tu_buf), err, sizeof(err));
	pfm_test(pf, PFM_IN, "em0", tu_buf, (size_t)n, 3, &v);
	CU_ASSERT(!v.state_hit && !v.state_created);
	pfm_free(pf);
}

static void
test_nat_ports(void)
{
	struct pfm *pf = pf_out(0, 50001, 50003, 0);
	char t[128];
	int i, seen[3] = { 0 };

	for (i = 0; i < 3; i++) {
		snprintf(t, sizeof(t), "tcp 10.99.0.1:%d > 198.51.100.7:80 S seq 1", 1000 + i);
		tu_send(pf, PFM_OUT, "em0", t, 1, &v, &out);
		CU_ASSERT(v.action == PFM_PASS && out.sport >= 50001 && out.sport <= 50003);
		if (out.sport >= 50001 && out.sport <= 50003)
			seen[out.sport - 50001]++;
	}
	CU_ASSERT(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:1003 > 198.51.100.7:80 S seq 1", 1, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "map-failed");
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_info(pf), "  map-failed                             1"));
	/* towards another destination the same ports are free again */
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:1003 > 198.51.100.8:80 S seq 1", 1, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && out.sport >= 50001 && out.sport <= 50003);
	pfm_free(pf);
	/* static-port keeps the port, and fails when it is taken */
	pf = pf_out(0, 0, 0, 1);
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:1234 > 198.51.100.7:80 S seq 1", 1, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && out.sport == 1234);
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.2:1234 > 198.51.100.7:80 S seq 1", 1, &v, &out);
	CU_ASSERT(v.action == PFM_DROP && strcmp(v.reason, "map-failed") == 0);
	pfm_free(pf);
}

static void
test_rdr_ports(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;

	r = tu_rule(rs, PFM_R_RDR);
	r->proto = 6;
	tu_port(&r->dst, PFM_OP_RRG, 80, 90);
	tu_pool(r, "10.99.0.2");
	r->rpool.port_op = PFM_OP_RRG;		/* -> 10.99.0.2 port 8000:* */
	r->rpool.proxy_port[0] = 8000;
	r = tu_rule(rs, PFM_R_PASS);
	tu_keep(r);
	pf = tu_pf(rs);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4000 > 203.0.113.1:85 S seq 1", 1, &v, &out);
	CU_ASSERT_EQUAL(out.dport, 8005);
	/* the jail already talks from 10.99.0.2:8005 to 198.51.100.7:4001 */
	tu_send(pf, PFM_OUT, "lo1", "tcp 10.99.0.2:8005 > 198.51.100.7:4001 S seq 1", 2, &v,
	    &out);
	CU_ASSERT(v.state_created);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4001 > 203.0.113.1:85 S seq 1", 3, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && out.dport == 8005);
	CU_ASSERT(out.sport >= 50001);			/* source port rewritten */
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	pfm_free(pf);
}

static void
test_binat(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;

	r = tu_rule(rs, PFM_R_BINAT);
	snprintf(r->ifname, sizeof(r->ifname), "em0");
	r->af = AF_INET;
	tu_addr(&r->src, "10.99.0.3", NULL);
	tu_pool(r, "203.0.113.3");
	pf = tu_pf(rs);
	tu_send(pf, PFM_OUT, "em0", "udp 10.99.0.3:9 > 198.51.100.7:9", 1, &v, &out);
	CU_ASSERT(v.trans == r && out.src.a[3] == 3 && out.src.a[0] == 203 && out.sport == 9);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:9 > 203.0.113.3:22 S seq 1", 1, &v, &out);
	CU_ASSERT(v.trans == r && out.dst.a[0] == 10 && out.dst.a[3] == 3);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	pfm_free(pf);
}

static void
test_limit(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;

	rs->limit_states = 2;
	r = tu_rule(rs, PFM_R_PASS);
	tu_keep(r);
	pf = tu_pf(rs);
	tu_send(pf, PFM_OUT, "em0", "udp 203.0.113.1:1 > 198.51.100.7:53", 1, &v, NULL);
	tu_send(pf, PFM_OUT, "em0", "udp 203.0.113.1:2 > 198.51.100.7:53", 1, &v, NULL);
	CU_ASSERT(v.state_created);
	tu_send(pf, PFM_OUT, "em0", "udp 203.0.113.1:3 > 198.51.100.7:53", 1, &v, NULL);
	CU_ASSERT(v.action == PFM_DROP && strcmp(v.reason, "state-limit") == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_info(pf), "  state-limit                            1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_info(pf), "  current entries                        2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_info(pf), "  inserts                                2"));
	pfm_free(pf);
}

/* The hash table under churn: thousands of states (some with two keys, many equal
 * keys in other roles) inserted and removed at random, through growth and the
 * backward shifts of deletion; every live key is found, every removed one is not. */
static void
test_table_churn(void)
{
	enum { N = 6000 };
	static struct pfm_state *st[N];
	struct pfm *pf = tu_pf(NULL);
	struct pfm_skey k;
	uint32_t x = 1, a;
	int i, j, live = 0, bad = 0;

	CU_ASSERT(pfm_state_timeout_ms(pf, &(struct pfm_state){ .timeout =
	    PFM_TM_UDP_FIRST }) > 0);
	for (i = 0; i < N; i++) {
		st[i] = pfm_state_alloc(pf);
		a = htonl(0x0a000000u + (uint32_t)(i % 97));
		for (j = 0; j < 2; j++) {
			memcpy(PFM_SKEY(st[i], j)->addr[0], &a, 4);
			PFM_SKEY(st[i], j)->port[0] = htons((uint16_t)(i + j));
			PFM_SKEY(st[i], j)->port[1] = htons(80);
			PFM_SKEY(st[i], j)->af = 4;
			PFM_SKEY(st[i], j)->proto = 17;
		}
		st[i]->wkey.both = i % 3 != 0;
		st[i]->kif = PFM_KIF_ALL;
		st[i]->direction = i & 1 ? PFM_IN : PFM_OUT;
		st[i]->timeout = PFM_TM_UDP_FIRST;	/* now is 0: live */
		if (pfm_state_insert(pf, st[i]) == -1) {
			bad++;
			st[i] = NULL;
		}
		x = x * 1103515245 + 12345;
		j = (int)((x >> 8) % (uint32_t)(i + 1));
		if (x & 0x100000 && st[j] != NULL) {
			pfm_state_unlink(pf, st[j]);
			st[j] = NULL;
		}
	}
	for (i = 0; i < N; i++) {
		a = htonl(0x0a000000u + (uint32_t)(i % 97));
		memset(&k, 0, sizeof(k));
		memcpy(k.addr[0], &a, 4);
		k.port[0] = htons((uint16_t)i);
		k.port[1] = htons(80);
		k.af = 4;
		k.proto = 17;
		bad += (pfm_state_find(pf, &k, PFM_SK_WIRE, 0) == st[i] &&
		    (st[i] == NULL || pfm_state_exists(pf, &k, PFM_SK_WIRE))) ? 0 : 1;
		live += st[i] != NULL;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(pfm_state_count(pf), (size_t)live);
	pfm_flush_states(pf);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 0);
	pfm_free(pf);
}

static void
batch_done(struct pfm_batch *b, void *arg)
{
	int *next = arg;

	/* in order, once each, right after the packet's own test */
	CU_ASSERT_EQUAL((int)(intptr_t)b->arg, *next);
	CU_ASSERT(b->v->reason != NULL);
	(*next)++;
}

/* pfm_test_batch gives what the same packets one by one give: verdicts, rewritten
 * bytes and states, also where a packet's state is made by an earlier packet of the
 * same group, across group boundaries, and for packets no lookup is hinted for. */
static void
test_batch(void)
{
	static const char *const conv[] = {
	    "O tcp 10.99.0.%d:%d > 198.51.100.7:80 S seq 100 win 1000",
	    "I tcp 198.51.100.7:80 > 203.0.113.1:%d SA seq 5000 ack 101 win 1000",
	    "O tcp 10.99.0.%d:%d > 198.51.100.7:80 A seq 101 ack 5001 win 1000",
	    "O udp 10.99.0.%d:%d > 198.51.100.9:53",
	    "I tcp 198.51.100.7:80 > 203.0.113.1:%d R seq 1",
	};
	static uint8_t seq[80][128], bat[80][128];
	static char ss[65536];
	static struct pfm_verdict sv[80], bv[80];
	struct pfm_batch b[80];
	struct pfm *pa = pf_out(0, 0, 0, 1), *pb = pf_out(0, 0, 0, 1);
	size_t len[80];
	char t[128], err[128];
	struct pkt p;
	int i, n, rc[80], next = 0;

	for (i = 0; i < 80; i++) {
		/* static-port, so the inbound packets can name the NAT port ahead */
		if (conv[i % 5][0] == 'I')
			snprintf(t, sizeof(t), conv[i % 5] + 2, 2000 + i / 5);
		else
			snprintf(t, sizeof(t), conv[i % 5] + 2, i / 5 % 14 + 1, 2000 + i / 5);
		tut_pkt(t, &p);
		n = pkt_build_l3(&p, seq[i], sizeof(seq[i]), err, sizeof(err));
		CU_ASSERT_FATAL(n > 0);
		len[i] = (size_t)n;
		if (i == 77)
			len[i] = 3;	/* not an IP packet pf would parse */
		memcpy(bat[i], seq[i], len[i]);
		rc[i] = pfm_test(pa, conv[i % 5][0] == 'I' ? PFM_IN : PFM_OUT, "em0",
		    seq[i], len[i], 7, &sv[i]);
		b[i].dir = conv[i % 5][0] == 'I' ? PFM_IN : PFM_OUT;
		b[i].ifname = "em0";
		b[i].pkt = bat[i];
		b[i].len = len[i];
		b[i].v = &bv[i];
		b[i].arg = (void *)(intptr_t)i;
		bv[i].reason = NULL;
	}
	pfm_test_batch(pb, b, 80, 7, batch_done, &next);
	CU_ASSERT_EQUAL(next, 80);
	for (i = 0; i < 80; i++) {
		CU_ASSERT_EQUAL(b[i].rc, rc[i]);
		CU_ASSERT_EQUAL(bv[i].action, sv[i].action);
		CU_ASSERT_EQUAL(bv[i].state_hit, sv[i].state_hit);
		CU_ASSERT_EQUAL(bv[i].state_created, sv[i].state_created);
		CU_ASSERT_STRING_EQUAL(bv[i].reason, sv[i].reason);
		CU_ASSERT(memcmp(bat[i], seq[i], len[i]) == 0);
	}
	/* the conversation really used states: hits and creations both happened */
	CU_ASSERT(sv[1].state_hit && sv[2].state_hit && sv[0].state_created);
	CU_ASSERT_EQUAL(sv[77].action, PFM_DROP);
	CU_ASSERT_EQUAL(pfm_state_count(pa), pfm_state_count(pb));
	snprintf(ss, sizeof(ss), "%s", tu_states(pa));
	CU_ASSERT_STRING_EQUAL(ss, tu_states(pb));
	pfm_free(pa);
	pfm_free(pb);
}

/* A rule's own adaptive bounds (pfctl gives `max 10` adaptive.start 6 and .end 12)
 * count that rule's states: eight states of another rule leave its udp.first at
 * 60 s, where the table's nine would have cut it to 30 s. */
static void
test_adaptive_rule_states(void)
{
	struct pfm *pf = tu_must_load("pass in on em0 proto udp to port 53 keep state "
	    "(max 10)\n"
	    "pass in on em0 proto udp to port 54\n");
	char t[128];
	int i;

	for (i = 0; i < 8; i++) {
		snprintf(t, sizeof(t), "udp 198.51.100.7:%d > 203.0.113.1:54", 5000 + i);
		tu_send(pf, PFM_IN, "em0", t, 0, &v, NULL);
	}
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:6000 > 203.0.113.1:53", 0, &v, NULL);
	CU_ASSERT(v.state_created);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 9);
	tu_send(pf, PFM_OUT, "em0", "udp 203.0.113.1:53 > 198.51.100.7:6000", 45000, &v,
	    NULL);
	CU_ASSERT(v.state_hit);
	pfm_free(pf);
}

int
pfm_state_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_state", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "tcp: in-window, out-of-window, bad ack", test_tcp_window) == NULL ||
	    CU_add_test(s, "tcp: RST exact/+-1, with scrub or without", test_tcp_rst) == NULL ||
	    CU_add_test(s, "tcp: SYN on FIN_WAIT_2 state replaces it", test_tcp_reuse) == NULL ||
	    CU_add_test(s, "timeouts and expiry by the caller's clock", test_timeouts) == NULL ||
	    CU_add_test(s, "adaptive timeouts", test_adaptive) == NULL ||
	    CU_add_test(s, "adaptive bounds from set limit states", test_adaptive_load) == NULL ||
	    CU_add_test(s, "icmp echo state with nat of the id", test_icmp_echo_nat) == NULL ||
	    CU_add_test(s, "icmp error translated inside and out", test_icmp_error) == NULL ||
	    CU_add_test(s, "nat ports: exhaustion, reuse, static-port", test_nat_ports) == NULL ||
	    CU_add_test(s, "rdr port 8000:* and source-port rewrite", test_rdr_ports) == NULL ||
	    CU_add_test(s, "binat out and in", test_binat) == NULL ||
	    CU_add_test(s, "set limit states", test_limit) == NULL ||
	    CU_add_test(s, "hash table churn: growth, deletion shifts", test_table_churn) == NULL ||
	    CU_add_test(s, "pfm_test_batch equals pfm_test one by one", test_batch) == NULL ||
	    CU_add_test(s, "adaptive timeouts of a rule with max", test_adaptive_rule_states) ==
	    NULL)
		return (-1);
	return (0);
}
