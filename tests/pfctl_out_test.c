/* pfctl_out_test.c: the pfctl -ss/-si/-sr -vv/-sS/-T show and vmstat -z parsers on
 * FreeBSD 14's formats (PF-REFERENCE.md "What pfctl prints"; outputs written from
 * FreeBSD 14's sources in tests/fake/out/). */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "fake_tutil.h"
#include "pfctl/pfctl_out.h"
#include "tests.h"

static const char *
addr(const struct pfctl_host *h, char *buf)
{
	return (pkt_addr_format(&h->addr, buf, 64));
}

static void
test_state_rdr(void)
{
	const char *line = "all tcp 10.99.0.3:80 (203.0.113.1:81) <- 198.51.100.7:40001"
	    "       ESTABLISHED:ESTABLISHED";
	struct pfctl_state s;
	char b[64], out[256];

	CU_ASSERT_EQUAL_FATAL(pfctl_state_parse_line(line, &s), 0);
	CU_ASSERT_STRING_EQUAL(s.ifname, "all");
	CU_ASSERT_EQUAL(s.proto, IPPROTO_TCP);
	CU_ASSERT_EQUAL(s.dir_out, 0);
	CU_ASSERT_STRING_EQUAL(addr(&s.a, b), "10.99.0.3");
	CU_ASSERT_EQUAL(s.a.port, 80);
	CU_ASSERT_TRUE(s.has_b);
	CU_ASSERT_STRING_EQUAL(addr(&s.b, b), "203.0.113.1");
	CU_ASSERT_EQUAL(s.b.port, 81);
	CU_ASSERT_STRING_EQUAL(addr(&s.c, b), "198.51.100.7");
	CU_ASSERT_EQUAL(s.c.port, 40001);
	CU_ASSERT_FALSE(s.has_d);
	CU_ASSERT_STRING_EQUAL(s.src_state, "ESTABLISHED");
	CU_ASSERT_STRING_EQUAL(s.dst_state, "ESTABLISHED");
	CU_ASSERT_STRING_EQUAL(pfctl_state_format(&s, out, sizeof(out)), line);
}

static void
test_state_nat(void)
{
	const char *line = "all tcp 203.0.113.1:53011 (10.99.0.1:41234) -> "
	    "198.51.100.7:443       SYN_SENT:CLOSED";
	struct pfctl_state s;
	char b[64], out[256];

	CU_ASSERT_EQUAL_FATAL(pfctl_state_parse_line(line, &s), 0);
	CU_ASSERT_EQUAL(s.dir_out, 1);
	CU_ASSERT_EQUAL(s.a.port, 53011);
	CU_ASSERT_STRING_EQUAL(addr(&s.b, b), "10.99.0.1");
	CU_ASSERT_EQUAL(s.b.port, 41234);
	CU_ASSERT_STRING_EQUAL(s.src_state, "SYN_SENT");
	CU_ASSERT_STRING_EQUAL(s.dst_state, "CLOSED");
	CU_ASSERT_STRING_EQUAL(pfctl_state_format(&s, out, sizeof(out)), line);
}

static void
test_state_untranslated(void)
{
	struct pfctl_state s;
	char b[64], out[256];
	const char *udp = "all udp 10.99.0.2:53 <- 198.51.100.7:5353       "
	    "MULTIPLE:SINGLE";
	const char *icmp = "em0 icmp 203.0.113.1:18143 <- 198.51.100.7:18143       0:0";
	const char *v6 = "all ipv6-icmp 2001:db8::1[4660] <- 2001:db8::7[4660"
	    "]       0:0";
	const char *v6tcp = "all tcp 2001:db8:1::3[80] (2001:db8::1[81]) <- "
	    "2001:db8::7[40001]       SYN_SENT:ESTABLISHED";

	CU_ASSERT_EQUAL_FATAL(pfctl_state_parse_line(udp, &s), 0);
	CU_ASSERT_EQUAL(s.proto, IPPROTO_UDP);
	CU_ASSERT_FALSE(s.has_b);
	CU_ASSERT_STRING_EQUAL(s.src_state, "MULTIPLE");
	CU_ASSERT_STRING_EQUAL(s.dst_state, "SINGLE");
	CU_ASSERT_STRING_EQUAL(pfctl_state_format(&s, out, sizeof(out)), udp);

	CU_ASSERT_EQUAL_FATAL(pfctl_state_parse_line(icmp, &s), 0);
	CU_ASSERT_EQUAL(s.proto, IPPROTO_ICMP);
	CU_ASSERT_STRING_EQUAL(s.ifname, "em0");
	CU_ASSERT_EQUAL(s.a.port, 18143);
	CU_ASSERT_STRING_EQUAL(s.src_state, "0");
	CU_ASSERT_STRING_EQUAL(pfctl_state_format(&s, out, sizeof(out)), icmp);

	CU_ASSERT_EQUAL_FATAL(pfctl_state_parse_line(v6, &s), 0);
	CU_ASSERT_EQUAL(s.proto, IPPROTO_ICMPV6);
	CU_ASSERT_EQUAL(s.a.addr.af, AF_INET6);
	CU_ASSERT_EQUAL(s.c.port, 4660);

	CU_ASSERT_EQUAL_FATAL(pfctl_state_parse_line(v6tcp, &s), 0);
	CU_ASSERT_STRING_EQUAL(addr(&s.b, b), "2001:db8::1");
	CU_ASSERT_EQUAL(s.b.port, 81);
	CU_ASSERT_STRING_EQUAL(pfctl_state_format(&s, out, sizeof(out)), v6tcp);
}

static void
test_state_not_lines(void)
{
	struct pfctl_state s;

	/* -v continuation lines, titles, blanks and garbage are not states */
	CU_ASSERT_EQUAL(pfctl_state_parse_line("", &s), -1);
	CU_ASSERT_EQUAL(pfctl_state_parse_line("   [1000 + 65535]  [2000 + 65535]", &s), -1);
	CU_ASSERT_EQUAL(pfctl_state_parse_line("   age 00:00:03, expires in 23:59:57, "
	    "3:2 pkts, 180:112 bytes, rule 0", &s), -1);
	CU_ASSERT_EQUAL(pfctl_state_parse_line("STATES:", &s), -1);
	CU_ASSERT_EQUAL(pfctl_state_parse_line("all tcp 10.0.0.1:80 => 10.0.0.2:1 "
	    "ESTABLISHED:ESTABLISHED", &s), -1);
	CU_ASSERT_EQUAL(pfctl_state_parse_line("all tcp 10.0.0.1:80 <- 10.0.0.2:1 "
	    "ESTABLISHED:BOGUS", &s), -1);
	CU_ASSERT_EQUAL(pfctl_state_parse_line("all tcp 10.0.0.1:99999 <- 10.0.0.2:1 "
	    "ESTABLISHED:ESTABLISHED", &s), -1);
	CU_ASSERT_EQUAL(pfctl_state_parse_line("all tcp 10.0.0.1:80 <- 2001:db8::1[1] "
	    "ESTABLISHED:ESTABLISHED", &s), -1);
	CU_ASSERT_EQUAL(pfctl_state_parse_line("all tcp 10.0.0.1:80 <- 10.0.0.2:1", &s), -1);
}

static void
pat(struct scn_state_pat *p, int proto, int out, const char *a, int ap, const char *b,
    int bp, const char *c, int clo, int chi)
{
	memset(p, 0, sizeof(*p));
	p->proto = proto;
	p->dir_out = out;
	pkt_addr_parse(a, &p->a);
	p->ap.set = ap >= 0, p->ap.lo = p->ap.hi = (uint32_t)ap;
	if (b != NULL) {
		p->has_b = 1;
		pkt_addr_parse(b, &p->b);
		p->bp.set = bp >= 0, p->bp.lo = p->bp.hi = (uint32_t)bp;
	}
	pkt_addr_parse(c, &p->c);
	p->cp.set = clo >= 0, p->cp.lo = (uint32_t)clo, p->cp.hi = (uint32_t)chi;
}

static void
test_state_match(void)
{
	struct pfctl_state rdr, nat;
	struct scn_state_pat p;

	CU_ASSERT_EQUAL_FATAL(pfctl_state_parse_line("all tcp 10.99.0.3:80 "
	    "(203.0.113.1:81) <- 198.51.100.7:40001       ESTABLISHED:ESTABLISHED", &rdr), 0);
	CU_ASSERT_EQUAL_FATAL(pfctl_state_parse_line("all tcp 203.0.113.1:53011 "
	    "(10.99.0.1:41234) -> 198.51.100.7:443       SYN_SENT:CLOSED", &nat), 0);

	pat(&p, IPPROTO_TCP, 0, "10.99.0.3", 80, "203.0.113.1", 81, "198.51.100.7",
	    40001, 40001);
	CU_ASSERT_TRUE(pfctl_state_match(&p, &rdr));
	CU_ASSERT_FALSE(pfctl_state_match(&p, &nat));
	p.bp.lo = p.bp.hi = 82;
	CU_ASSERT_FALSE(pfctl_state_match(&p, &rdr));
	/* written without the translation: pfctl would print none, so no match */
	pat(&p, IPPROTO_TCP, 0, "10.99.0.3", 80, NULL, 0, "198.51.100.7", 40001, 40001);
	CU_ASSERT_FALSE(pfctl_state_match(&p, &rdr));
	/* `*` and ranges */
	pat(&p, IPPROTO_TCP, 1, "203.0.113.1", -1, "10.99.0.1", -1, "198.51.100.7",
	    443, 443);
	CU_ASSERT_TRUE(pfctl_state_match(&p, &nat));
	p.ap.set = 1, p.ap.lo = 50001, p.ap.hi = 65535;
	CU_ASSERT_TRUE(pfctl_state_match(&p, &nat));
	p.ap.lo = 1024, p.ap.hi = 50000;
	CU_ASSERT_FALSE(pfctl_state_match(&p, &nat));
	pat(&p, IPPROTO_UDP, 1, "203.0.113.1", -1, "10.99.0.1", -1, "198.51.100.7",
	    443, 443);
	CU_ASSERT_FALSE(pfctl_state_match(&p, &nat));
}

static void
test_states_file(void)
{
	char *text = fake_slurp("tests/fake/out/pfctl-ss.txt");
	struct pfctl_state *v;
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(pfctl_states_parse(text, &v, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	if (n == 2) {
		CU_ASSERT_EQUAL(v[0].dir_out, 0);
		CU_ASSERT_EQUAL(v[1].dir_out, 1);
	}
	free(v);
	/* -v output: continuation lines are skipped */
	CU_ASSERT_EQUAL(pfctl_states_parse("all tcp 10.99.0.3:80 <- 198.51.100.7:40001"
	    "       ESTABLISHED:ESTABLISHED\n   [1 + 2]  [3 + 4]\n   age 00:00:01, expires"
	    " in 23:59:59, 3:2 pkts, 180:112 bytes, rule 0\n", &v, &n), 0);
	CU_ASSERT_EQUAL(n, 1);
	free(v);
	free(text);
}

static void
test_info(void)
{
	char *text = fake_slurp("tests/fake/out/pfctl-si.txt"), err[128];
	struct pfctl_info in;
	uint64_t v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(pfctl_info_parse(text, &in, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(in.enabled, 1);
	CU_ASSERT_EQUAL(in.states, 2);
	CU_ASSERT_EQUAL(in.searches, 37);
	CU_ASSERT_EQUAL(in.inserts, 2);
	CU_ASSERT_EQUAL(in.removals, 0);
	CU_ASSERT_EQUAL(pfctl_info_get(&in, "Counters", "match", &v), 0);
	CU_ASSERT_EQUAL(v, 19);
	CU_ASSERT_EQUAL(pfctl_info_get(&in, NULL, "map-failed", &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(pfctl_info_get(&in, "State Table", "match", &v), -1);
	free(text);

	text = fake_slurp("tests/fake/out/pfctl-si-disabled.txt");
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(pfctl_info_parse(text, &in, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(in.enabled, 0);
	free(text);

	/* -siv adds Source Tracking and Limit Counters sections */
	CU_ASSERT_EQUAL(pfctl_info_parse("Status: Enabled for 1 days 02:03:04"
	    "             Debug: Urgent\n\nHostid:   0x12345678\n"
	    "State Table                          Total             Rate\n"
	    "  current entries                      100               \n"
	    "Source Tracking Table\n"
	    "  current entries                        0               \n"
	    "  searches                               5            0.0/s\n"
	    "Counters\n  match                                  7            0.0/s\n"
	    "Limit Counters\n"
	    "  max states per rule                    3            0.0/s\n",
	    &in, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(in.states, 100);
	CU_ASSERT_EQUAL(in.searches, 0);	/* not the source-tracking one */
	CU_ASSERT_EQUAL(pfctl_info_get(&in, "Limit Counters", "max states per rule", &v), 0);
	CU_ASSERT_EQUAL(v, 3);
	CU_ASSERT_EQUAL(pfctl_info_parse("pfctl: /dev/pf: No such file or directory\n",
	    &in, err, sizeof(err)), -1);
}

static void
test_rules(void)
{
	char *text = fake_slurp("tests/fake/out/pfctl-sr-vv.txt"), err[128];
	struct pfctl_rule_stat *r;
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(pfctl_rules_parse(text, &r, &n, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(r[0].nr, 0);
	CU_ASSERT_STRING_EQUAL(r[0].text, "scrub in all fragment reassemble");
	CU_ASSERT_EQUAL(r[0].evaluations, 6);
	CU_ASSERT_EQUAL(r[0].bytes, 336);
	CU_ASSERT_STRING_EQUAL(r[1].text, "block drop on em0 proto tcp from any to "
	    "203.0.113.1 port = sunrpc");
	CU_ASSERT_TRUE(r[1].has_counters);
	CU_ASSERT_EQUAL(r[1].evaluations, 4);
	CU_ASSERT_EQUAL(r[1].packets, 1);
	CU_ASSERT_EQUAL(r[1].bytes, 60);
	CU_ASSERT_EQUAL(r[1].states, 0);
	pfctl_rules_free(r, n);
	free(text);

	/* wide counters fill the column; Last Active Time lines are skipped */
	CU_ASSERT_EQUAL_FATAL(pfctl_rules_parse("@7 pass in on em0 all flags S/SA keep "
	    "state\n  [ Evaluations: 123456789  Packets: 98765432  Bytes: 12345678901  "
	    "States: 1234567]\n  [ Inserted: uid 0 pid 1 State Creations: 9     ]\n"
	    "  [ Last Active Time: N/A ]\n", &r, &n, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(r[0].nr, 7);
	CU_ASSERT_EQUAL(r[0].evaluations, 123456789);
	CU_ASSERT_EQUAL(r[0].bytes, 12345678901ULL);
	CU_ASSERT_EQUAL(r[0].states, 1234567);
	pfctl_rules_free(r, n);

	/* an inline anchor: its rule is this ruleset's, the rules in its braces are not */
	CU_ASSERT_EQUAL_FATAL(pfctl_rules_parse("@0 block drop all\n"
	    "  [ Evaluations: 9  Packets: 1  Bytes: 40  States: 0 ]\n"
	    "@1 anchor \"_1\" in on em0 all {\n"
	    "  [ Evaluations: 8  Packets: 0  Bytes: 0  States: 0 ]\n"
	    "@0 pass in proto tcp from any to any port = 22 flags S/SA keep state\n"
	    "  [ Evaluations: 8  Packets: 7  Bytes: 420  States: 1 ]\n"
	    "@1 anchor \"_2\" all {\n"
	    "@0 pass all flags S/SA keep state\n"
	    "}\n"
	    "}\n"
	    "@2 pass out all flags S/SA keep state\n"
	    "  [ Evaluations: 5  Packets: 5  Bytes: 300  States: 2 ]\n", &r, &n, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_EQUAL(r[1].nr, 1);
	CU_ASSERT_STRING_EQUAL(r[1].text, "anchor \"_1\" in on em0 all");
	CU_ASSERT_EQUAL(r[1].evaluations, 8);
	CU_ASSERT_EQUAL(r[2].nr, 2);
	CU_ASSERT_EQUAL(r[2].states, 2);
	pfctl_rules_free(r, n);

	CU_ASSERT_EQUAL(pfctl_rules_parse("  [ Evaluations: 1  Packets: 1  Bytes: 1  "
	    "States: 0     ]\n", &r, &n, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 1"));
	pfctl_rules_free(NULL, 0);
}

/* -s info -v (pfctl_parser.c print_status with PF_OPT_VERBOSE): Hostid, Checksum,
 * Source Tracking Table, Limit Counters, Syncookies, Reassemble. */
static void
test_info_verbose(void)
{
	char *text = fake_slurp("tests/fake/out/pfctl-si-v.txt"), err[128];
	struct pfctl_info in;
	uint64_t v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(pfctl_info_parse(text, &in, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(in.enabled, 1);
	CU_ASSERT_EQUAL(in.states, 0);
	CU_ASSERT_EQUAL(in.searches, 41);
	CU_ASSERT_EQUAL(in.removals, 2);
	/* a name in two sections: the state table's comes first */
	CU_ASSERT_EQUAL(pfctl_info_get(&in, NULL, "searches", &v), 0);
	CU_ASSERT_EQUAL(v, 41);
	CU_ASSERT_EQUAL(pfctl_info_get(&in, "Source Tracking Table", "searches", &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(pfctl_info_get(&in, NULL, "match", &v), 0);
	CU_ASSERT_EQUAL(v, 23);
	CU_ASSERT_EQUAL(pfctl_info_get(&in, "Limit Counters", "overload table insertion",
	    &v), 0);
	CU_ASSERT_EQUAL(pfctl_info_get(&in, NULL, "syncookies validated", &v), 0);
	/* words, not counters */
	CU_ASSERT_EQUAL(pfctl_info_get(&in, NULL, "mode", &v), -1);
	CU_ASSERT_EQUAL(pfctl_info_get(&in, NULL, "Reassemble", &v), -1);
	CU_ASSERT_EQUAL(pfctl_info_get(&in, NULL, "Hostid:", &v), -1);
	free(text);
}

/* -s Sources (print_src_node): `ADDR -> RADDR ( states N, connections N, rate
 * N.N/Ns )`, with -v an age line under each. */
static void
test_sources(void)
{
	char *text = fake_slurp("tests/fake/out/pfctl-sS.txt"), a[64];
	struct pfctl_srcnode *sn;
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(pfctl_srcnodes_parse(text, &sn, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(pkt_addr_format(&sn[0].addr, a, sizeof(a)), "198.51.100.7");
	CU_ASSERT_STRING_EQUAL(pkt_addr_format(&sn[0].raddr, a, sizeof(a)), "0.0.0.0");
	CU_ASSERT_EQUAL(sn[0].states, 1);
	CU_ASSERT_STRING_EQUAL(pkt_addr_format(&sn[1].raddr, a, sizeof(a)), "203.0.113.1");
	CU_ASSERT_EQUAL(sn[1].states, 2);
	free(sn);
	free(text);
	CU_ASSERT_EQUAL_FATAL(pfctl_srcnodes_parse("2001:db8::7 -> :: ( states 3, "
	    "connections 1, rate 0.0/0s )\n   age 00:01:02, 5 pkts, 300 bytes, filter "
	    "rule 1\nNo ALTQ support in kernel\n", &sn, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(sn[0].addr.af, AF_INET6);
	CU_ASSERT_EQUAL(sn[0].states, 3);
	CU_ASSERT_EQUAL(sn[0].conn, 1);
	free(sn);
}

/* -t T -T show (print_addrx: result letter, `!` or a blank, the address, /LEN unless
 * a host), -v's Cleared and counter lines under each entry. */
static void
test_table_show(void)
{
	struct pfctl_tentry *e;
	char a[64];
	int n;

	CU_ASSERT_EQUAL_FATAL(pfctl_table_parse("   10.99.0.5\n  !10.0.0.0/8\n"
	    "   2001:db8::/32\n\tCleared:     Sat Jun  7 10:41:03 2025\n"
	    "\tIn/Block:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "   192.0.2.1\t(host.example)\n", &e, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_STRING_EQUAL(pkt_addr_format(&e[0].addr, a, sizeof(a)), "10.99.0.5");
	CU_ASSERT_EQUAL(e[0].plen, 32);
	CU_ASSERT_EQUAL(e[0].neg, 0);
	CU_ASSERT_EQUAL(e[1].neg, 1);
	CU_ASSERT_EQUAL(e[1].plen, 8);
	CU_ASSERT_EQUAL(e[2].addr.af, AF_INET6);
	CU_ASSERT_EQUAL(e[2].plen, 32);
	CU_ASSERT_EQUAL(e[3].plen, 32);
	free(e);
	CU_ASSERT_EQUAL(pfctl_table_parse("", &e, &n), 0);
	CU_ASSERT_EQUAL(n, 0);
	free(e);
}

static void
test_zones(void)
{
	char *text = fake_slurp("tests/fake/out/vmstat-z.txt");
	struct pfctl_zone z;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(pfctl_zone_find(text, "pf states", &z), 0);
	CU_ASSERT_EQUAL(z.size, 320);
	CU_ASSERT_EQUAL(z.limit, 100000);
	CU_ASSERT_EQUAL(z.used, 2);
	CU_ASSERT_EQUAL(z.free, 22);
	CU_ASSERT_EQUAL(z.req, 11);
	CU_ASSERT_EQUAL_FATAL(pfctl_zone_find(text, "pf state keys", &z), 0);
	CU_ASSERT_EQUAL(z.size, 88);
	CU_ASSERT_EQUAL(z.used, 3);
	CU_ASSERT_EQUAL(pfctl_zone_find(text, "pf state", &z), -1);
	CU_ASSERT_EQUAL(pfctl_zone_find(text, "pf nothing", &z), -1);
	/* 13.x-style: seven columns */
	CU_ASSERT_EQUAL(pfctl_zone_find("pf states:              296, 100000,       5,"
	    "     100,     105,   0,   0\n", "pf states", &z), 0);
	CU_ASSERT_EQUAL(z.size, 296);
	CU_ASSERT_EQUAL(z.used, 5);
	free(text);
}

int
pfctl_out_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfctl_out", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "-ss rdr line", test_state_rdr) == NULL ||
	    CU_add_test(s, "-ss nat line", test_state_nat) == NULL ||
	    CU_add_test(s, "-ss udp/icmp/inet6", test_state_untranslated) == NULL ||
	    CU_add_test(s, "-ss non-state lines", test_state_not_lines) == NULL ||
	    CU_add_test(s, "expect state match", test_state_match) == NULL ||
	    CU_add_test(s, "-ss recorded output", test_states_file) == NULL ||
	    CU_add_test(s, "-si", test_info) == NULL ||
	    CU_add_test(s, "-sr -vv", test_rules) == NULL ||
	    CU_add_test(s, "-s info -v", test_info_verbose) == NULL ||
	    CU_add_test(s, "-s Sources", test_sources) == NULL ||
	    CU_add_test(s, "-T show", test_table_show) == NULL ||
	    CU_add_test(s, "vmstat -z zones", test_zones) == NULL)
		return (-1);
	return (0);
}
