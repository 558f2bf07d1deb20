/* pfm_fb15_test.c: FreeBSD 15's filter evaluation in the pf model (pfm_fb15.c):
 * match rules' translation and options, nat-to and rdr-to on pass and match rules,
 * the clash with an old translation rule, once, max-pkt-size, max-pkt-rate, the
 * rule counters of match rules (pfm_count15.c), quick anchors with nested anchors
 * (pfm_match.c); 14 unchanged beside it. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"

static struct pfm_verdict v;
static struct pkt out;

static struct pfm *
load15(const char *conf)
{
	struct pfm_load_opts o;
	struct pfm *pf;

	tu_opts(&o, "stdin", PFM_FREEBSD_15);
	pf = tu_load(conf, &o);
	CU_ASSERT_FATAL(pf != NULL);
	return (pf);
}

/* The packet's addresses and ports as tu_send left them, "a:p > b:q". */
static const char *
addrs(void)
{
	static char s[192];
	char a[64], b[64];

	inet_ntop(AF_INET, tu_buf + 12, a, sizeof(a));
	inet_ntop(AF_INET, tu_buf + 16, b, sizeof(b));
	snprintf(s, sizeof(s), "%s:%u > %s:%u", a, pfm_get16(tu_buf + 20), b,
	    pfm_get16(tu_buf + 22));
	return (s);
}

/* A match rule's rdr-to translates at once: the pass rule written for the new
 * destination decides, the state holds the translation (its reply is translated
 * back), the match rule is the state's translation rule. */
static void
test_match_rdr_to(void)
{
	struct pfm *pf = load15("block in on em0\n"
	    "match in on em0 proto tcp to 203.0.113.1 port 81 rdr-to 10.99.0.3 port 80\n"
	    "pass in on em0 proto tcp to 10.99.0.3 port 80\n");

	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:81 S", 1000, &v,
	    &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(addrs(), "198.51.100.7:40001 > 10.99.0.3:80");
	CU_ASSERT(v.state_created && v.rewritten);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v.trans);
	CU_ASSERT_EQUAL(v.trans->action, PFM_R_MATCH);
	CU_ASSERT_EQUAL(v.filter->action, PFM_R_PASS);
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.3:80 > 198.51.100.7:40001 SA", 1001, &v,
	    &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	CU_ASSERT_STRING_EQUAL(addrs(), "203.0.113.1:81 > 198.51.100.7:40001");
	pfm_free(pf);
}

/* A match rule never decides: after a block rule the packet is blocked, and a match
 * rule as the last rule leaves the default pass (no state). */
static void
test_match_never_decides(void)
{
	struct pfm *pf = load15("block in on em0 proto tcp to port 85\n"
	    "match in on em0 proto tcp to port 85\n"
	    "match in on em0 proto tcp to port 86\n");

	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:85 S", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(v.filter->action, PFM_R_BLOCK);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:86 S", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_PTR_NULL(v.filter);
	CU_ASSERT_EQUAL(v.state_created, 0);
	pfm_free(pf);
}

/* allow-opts on a match rule stays with the packet and its state (15's
 * pf_rule_actions): IP options pass, on the first packet and on the state's later
 * ones; without the match rule they are dropped. 14's pfctl refuses allow-opts on
 * a match rule. */
static void
test_match_allow_opts(void)
{
	static const char conf[] = "match in on em0 proto tcp from any port 40005 "
	    "allow-opts\npass in on em0 proto tcp\n";
	struct pfm *pf = load15(conf);
	char *text;
	int ok;

	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40005 > 203.0.113.1:80 S ipopt ra",
	    1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(v.state_created);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40005 > 203.0.113.1:80 A ipopt ra",
	    1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40006 > 203.0.113.1:80 S ipopt ra",
	    1002, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "ip-option"), 1);
	pfm_free(pf);
	text = tu_parse(conf, NULL, NULL, &ok);
	CU_ASSERT_EQUAL(ok, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "allow-opts can only be specified for pass "
	    "rules"));
	free(text);
}

/* nat-to on a pass rule: the source becomes the pool's address and a port of its
 * range, the state is a nat state of that rule; the rule is counted once per packet
 * (it is both the filter and the translation rule). */
static void
test_pass_nat_to(void)
{
	struct pfm *pf = load15("pass out on em0 from 10.99.0.0/28 to any nat-to "
	    "203.0.113.1 port 40000:40009\n");
	unsigned int port;
	char reply[128];

	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:20443 > 198.51.100.7:443 S", 1000, &v,
	    &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(v.state_created);
	CU_ASSERT_PTR_EQUAL(v.trans, v.filter);
	CU_ASSERT(memcmp(tu_buf + 12, "\xcb\x00\x71\x01", 4) == 0);
	port = pfm_get16(tu_buf + 20);
	CU_ASSERT(port >= 40000 && port <= 40009);
	CU_ASSERT_EQUAL(pf->rs->rules->packets[1], 1);
	snprintf(reply, sizeof(reply), "tcp 198.51.100.7:443 > 203.0.113.1:%u SA", port);
	tu_send(pf, PFM_IN, "em0", reply, 1001, &v, &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	CU_ASSERT_STRING_EQUAL(addrs(), "198.51.100.7:443 > 10.99.0.1:20443");
	CU_ASSERT_EQUAL(pf->rs->rules->packets[0] + pf->rs->rules->packets[1], 2);
	pfm_free(pf);
}

/* The translation comes once: an old nat rule's, then a pass rule's nat-to, fails
 * the packet (translate); so does a second nat-to after a match rule's. pfctl -si
 * counts translate under 15 only. */
static void
test_translate_twice(void)
{
	struct pfm *pf = load15("nat on em0 from 10.99.0.2 to any -> 203.0.113.1\n"
	    "match out on em0 proto tcp to port 444 nat-to 203.0.113.1 port 40020\n"
	    "pass out on em0 proto tcp from 203.0.113.1 to port 444 nat-to 203.0.113.1 "
	    "port 40010\n");

	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.2:20445 > 198.51.100.7:444 S", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "translate");
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.5:20446 > 198.51.100.7:444 S", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "translate"), 2);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 0);
	pfm_free(pf);
	pf = tu_must_load("pass\n");
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "translate"), -1);
	pfm_free(pf);
}

/* once: the pass rule decides its first packet, whose state lives on; then it is
 * expired, passed over by the walk (the next SYN meets the block rule) and hidden
 * from pfctl -sr but for -vv. */
static void
test_once(void)
{
	struct pfm *pf = load15("block in on em0 proto tcp\n"
	    "pass in on em0 proto tcp to port 22 once\n");
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:22 S", 1000, &v,
	    NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:22 A", 1001, &v,
	    NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40002 > 203.0.113.1:22 S", 1002, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(v.filter->action, PFM_R_BLOCK);
	CU_ASSERT_PTR_NULL(strstr(tu_rules(pf), "once"));
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_rules_vv(pf), "@1 pass in on em0 "));
	pfm_free(pf);
}

/* binat-to: pfctl's pair of rules, nat-to out and rdr-to in, each translating as
 * an old binat rule does (the address mapped, the port kept). */
static void
test_binat_to(void)
{
	struct pfm *pf = load15("pass on em0 from 10.99.0.3 to any binat-to "
	    "203.0.113.9\n");

	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.3:20443 > 198.51.100.7:443 S", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(addrs(), "203.0.113.9:20443 > 198.51.100.7:443");
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.9:22 S", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(addrs(), "198.51.100.7:40001 > 10.99.0.3:22");
	pfm_free(pf);
}

/* max-pkt-size (15's pf_test, pf_rule_actions): a packet longer than the limit is
 * dropped as normalize; a match rule's limit holds for the packet and for its
 * state's later packets; a packet within it passes. */
static void
test_max_pkt_size(void)
{
	struct pfm *pf = load15("match in on em0 proto udp to port 53 max-pkt-size 100\n"
	    "pass in on em0 proto udp\n");
	char big[160];
	int i, port;

	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:40001 > 203.0.113.1:53 \"q\"", 1000,
	    &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	for (port = 40001; port <= 40002; port++) {
		/* 40001: its state's limit; 40002: no state, the rules' limit */
		snprintf(big, sizeof(big), "udp 198.51.100.7:%d > 203.0.113.1:53 \"", port);
		for (i = 0; i < 80; i++)
			strcat(big, "x");
		strcat(big, "\"");
		tu_send(pf, PFM_IN, "em0", big, 1001, &v, NULL);
		CU_ASSERT(v.action == PFM_DROP && v.state_hit == (port == 40001));
		CU_ASSERT_STRING_EQUAL(v.reason, "normalize");
	}
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "normalize"), 2);
	pfm_free(pf);
}

/* An echo request to 203.0.113.`dst` of ICMP id `id` at time `ms`, as a ping's
 * first packet. */
static void
ping(struct pfm *pf, int dst, int id, uint64_t ms)
{
	char to[32];

	snprintf(to, sizeof(to), "203.0.113.%d", dst);
	tu_echo(pf, PFM_IN, 0, "198.51.100.7", to, id, 1, ms, &v);
}

/* max-pkt-rate 2/2 as max_pkt_rate.sh basic has it (15's pf_match_rule): the first
 * two pings pass and make states, the third is not the rule's and the block rule
 * drops it (counted as match), a packet of an existing state is not counted and
 * passes, and when the 2 s window that began with the first packet is over a
 * new ping passes again. */
static void
test_max_pkt_rate(void)
{
	struct pfm *pf = load15("block\npass in on em0 proto icmp max-pkt-rate 2/2\n");
	long m0;

	ping(pf, 1, 1, 1000);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	ping(pf, 1, 2, 1100);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	m0 = tu_counter(tu_info(pf), "match");
	ping(pf, 1, 3, 1200);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v.filter);
	CU_ASSERT_EQUAL(v.filter->action, PFM_R_BLOCK);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "match"), m0 + 1);
	/* ping 1's state: not counted, passes although the rule is over its rate */
	ping(pf, 1, 1, 1300);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	/* still the window of the first packet: over */
	ping(pf, 1, 4, 2999);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	/* 2 s after the first packet the window restarts */
	ping(pf, 1, 5, 3000);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	ping(pf, 1, 6, 3001);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	ping(pf, 1, 7, 3002);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_free(pf);
}

/* A rule over its rate is passed over like a rule that does not match: with no
 * other rule the default pass takes the packet (no state). A rule counts every
 * packet that reaches it, also one a later rule decides. */
static void
test_max_pkt_rate_skips_rule(void)
{
	struct pfm *pf = load15("pass in on em0 proto icmp max-pkt-rate 1/60\n"
	    "block in on em0 proto icmp to 203.0.113.9\n");

	ping(pf, 1, 1, 1000);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	CU_ASSERT_PTR_NOT_NULL(v.filter);
	/* counted by the pass rule though the block rule decides it */
	ping(pf, 9, 2, 1001);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	ping(pf, 1, 3, 1002);
	CU_ASSERT(v.action == PFM_PASS && !v.state_created);
	CU_ASSERT_PTR_NULL(v.filter);	/* the default rule */
	pfm_free(pf);
}

/* NAT46 (af-to inet6) loads and is evaluated (pfm_afto.c; pfm_afto_test.c tests the
 * packets); an af-to address of the packet's own family is refused at its line, as
 * 15's pfctl refuses it. */
static void
test_afto_refused(void)
{
	struct pfm_load_opts o;
	struct pfm *pf = tu_new(NULL);

	tu_opts(&o, "stdin", PFM_FREEBSD_15);
	CU_ASSERT_EQUAL(tu_load_into(pf, "pass in on em0 inet from any to 198.51.100.0/24 "
	    "af-to inet6 from 2001:db8::1 to 64:ff9b::/96\n", &o), 0);
	CU_ASSERT_EQUAL(pfm_load_refused15(pf), 0);
	CU_ASSERT_EQUAL(tu_load_into(pf, "pass in on em0 inet from any to 198.51.100.0/24 "
	    "af-to inet6 from 192.0.2.1\n", &o), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_msgs, "stdin:1: af-to addresses must be in the "
	    "target address family"));
	pfm_free(pf);
}

/* The af-to packet the verdict carries, decoded (stops the test when there is none
 * or it does not decode); its checksums must hold. */
static struct pkt afto;

static void
take_afto(const struct pfm_verdict *vv)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(vv->afto);
	CU_ASSERT_FATAL(pkt_decode_l3(vv->afto, vv->afto_len, &afto) == 0);
	CU_ASSERT(tu_sums_ok(vv->afto, vv->afto_len));
}

#define NAT64 "pass in on em0 inet6 from any to 64:ff9b::/96 af-to inet from 203.0.113.1\n"

/* af-to under if-bound states (nat64.sh tcp_in_if_bound): the state is bound to the
 * IPv4 interface the translated packet leaves by, origif the IPv6 one, and the IPv4
 * answer coming in there finds it; without the binding the answer would meet no
 * state and `block` would drop it. */
static void
test_afto_if_bound(void)
{
	struct pfm_load_opts o;
	struct pfm_host h;
	struct pfm *pf;
	char err[128], line[160];
	const char *st;

	pfm_host_default(&h);
	CU_ASSERT_EQUAL_FATAL(pfm_host_add(&h, "em0=2001:db8::1/64", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(pfm_host_add(&h, "em1=192.0.2.1/24", err, sizeof(err)), 0);
	pf = tu_new(&h);
	tu_opts(&o, "stdin", PFM_FREEBSD_15);
	CU_ASSERT_FATAL(tu_load_into(pf, "set state-policy if-bound\nblock\n"
	    "pass in on em0 inet6 from any to 64:ff9b::/96 af-to inet from 192.0.2.1\n",
	    &o) == 0);
	tu_send(pf, PFM_IN, "em0", "tcp [2001:db8::2]:40001 > [64:ff9b::c000:202]:1234 S",
	    1000, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	take_afto(&v);
	st = tu_states(pf);
	snprintf(line, sizeof(line), "em1 tcp 192.0.2.1:%u (2001:db8::2[40001]) -> "
	    "192.0.2.2:1234", afto.sport);
	CU_ASSERT_PTR_NOT_NULL(strstr(st, line));
	snprintf(line, sizeof(line), "tcp 192.0.2.2:1234 > 192.0.2.1:%u SA ack 1",
	    afto.sport);
	tu_send(pf, PFM_IN, "em1", line, 1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	pfm_free(pf);
}

/* af-to inet: an IPv6 SYN to 64:ff9b::198.51.100.9 leaves as IPv4 from the pool
 * address and a port of the nat range to the embedded address (RFC 6052 /96), 20
 * bytes shorter, TTL kept; the state's wire key is IPv6, its stack key IPv4, and
 * the IPv4 reply comes back as IPv6 to the client's own address and port. */
static void
test_afto_tcp(void)
{
	struct pfm *pf = load15(NAT64);
	char line[160];
	uint16_t nport;
	size_t len6;

	tu_send(pf, PFM_IN, "em0", "tcp [2001:db8::7]:40001 > [64:ff9b::c633:6409]:80 S "
	    "ttl 50", 1000, &v, NULL);
	len6 = tu_len;
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(v.state_created && v.rewritten);
	take_afto(&v);
	CU_ASSERT_EQUAL(v.afto_len, len6 - 20);
	CU_ASSERT_EQUAL(afto.src.af, AF_INET);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&afto.src), "203.0.113.1");
	CU_ASSERT_STRING_EQUAL(tu_ntop(&afto.dst), "198.51.100.9");
	CU_ASSERT_EQUAL(afto.proto, IPPROTO_TCP);
	CU_ASSERT_EQUAL(afto.dport, 80);
	CU_ASSERT_EQUAL(afto.ttl, 50);
	nport = afto.sport;
	CU_ASSERT(nport >= 50001);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v.state);
	CU_ASSERT_PTR_EQUAL(v.trans, v.filter);
	/* pfctl -ss (15's print_state): each key in its family, the wire key's
	 * sides swapped, the arrow outward */
	snprintf(line, sizeof(line), "all tcp 203.0.113.1:%u (2001:db8::7[40001]) -> "
	    "198.51.100.9:80 (64:ff9b::c633:6409[80])", nport);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), line));
	snprintf(line, sizeof(line), "tcp 198.51.100.9:80 > 203.0.113.1:%u SA ack 1 "
	    "ttl 60", nport);
	tu_send(pf, PFM_IN, "em0", line, 1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	take_afto(&v);
	CU_ASSERT_EQUAL(v.afto_len, tu_len + 20);
	CU_ASSERT_EQUAL(afto.src.af, AF_INET6);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&afto.src), "64:ff9b::c633:6409");
	CU_ASSERT_STRING_EQUAL(tu_ntop(&afto.dst), "2001:db8::7");
	CU_ASSERT_EQUAL(afto.sport, 80);
	CU_ASSERT_EQUAL(afto.dport, 40001);
	CU_ASSERT_EQUAL(afto.ttl, 60);
	/* the client's next segment goes through the state, translated again */
	tu_send(pf, PFM_IN, "em0", "tcp [2001:db8::7]:40001 > [64:ff9b::c633:6409]:80 A "
	    "ack 1", 1002, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	take_afto(&v);
	CU_ASSERT_EQUAL(afto.sport, nport);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&afto.dst), "198.51.100.9");
	/* an IPv4 packet that is no reply has no state and no af-to */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.9:80 > 203.0.113.1:1234 SA ack 1", 1003,
	    &v, NULL);
	CU_ASSERT(!v.state_hit && v.afto == NULL);
	pfm_free(pf);
}

/* ICMPv6 echo becomes ICMP echo (type, id from the nat range, checksum without a
 * pseudo header) and the ICMP echo reply ICMPv6's, with the client's id. */
static void
test_afto_icmp(void)
{
	struct pfm *pf = load15(NAT64);
	char line[160];

	tu_send(pf, PFM_IN, "em0", "icmp6 echo-request 2001:db8::7 > 64:ff9b::c633:6409 "
	    "id 7 seq 1", 1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	take_afto(&v);
	CU_ASSERT_EQUAL(afto.proto, IPPROTO_ICMP);
	CU_ASSERT_EQUAL(afto.icmp, PKT_ICMP_ECHO_REQUEST);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&afto.dst), "198.51.100.9");
	CU_ASSERT_EQUAL(afto.icmp_seq, 1);
	snprintf(line, sizeof(line), "icmp echo-reply 198.51.100.9 > 203.0.113.1 id %u "
	    "seq 1", afto.sport);
	tu_send(pf, PFM_IN, "em0", line, 1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	take_afto(&v);
	CU_ASSERT_EQUAL(afto.proto, IPPROTO_ICMPV6);
	CU_ASSERT_EQUAL(afto.icmp, PKT_ICMP_ECHO_REPLY);
	CU_ASSERT_EQUAL(afto.sport, 7);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&afto.src), "64:ff9b::c633:6409");
	CU_ASSERT_STRING_EQUAL(tu_ntop(&afto.dst), "2001:db8::7");
	pfm_free(pf);
}

/* The destination: embedded under the rule's own prefix (RFC 6052 /64 skips the u
 * octet), or the `to` address when given; UDP. */
static void
test_afto_dst(void)
{
	struct pfm *pf = load15("pass in on em0 inet6 proto udp to 64:ff9b:1:2::/64 "
	    "af-to inet from 203.0.113.1\n"
	    "pass in on em0 inet6 proto udp to 2001:db8:5::/64 af-to inet from "
	    "203.0.113.1 to 198.51.100.50\n");

	tu_send(pf, PFM_IN, "em0", "udp [2001:db8::7]:5000 > [64:ff9b:1:2:c6:3364:900:0]:53",
	    1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	take_afto(&v);
	CU_ASSERT_EQUAL(afto.proto, IPPROTO_UDP);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&afto.dst), "198.51.100.9");
	CU_ASSERT_EQUAL(afto.dport, 53);
	tu_send(pf, PFM_IN, "em0", "udp [2001:db8::7]:5000 > [2001:db8:5::9]:53", 1001, &v,
	    NULL);
	take_afto(&v);
	CU_ASSERT_STRING_EQUAL(tu_ntop(&afto.dst), "198.51.100.50");
	pfm_free(pf);
}

/* Filter rule n of the main ruleset (0: the first). */
static struct pfm_rule *
nth(struct pfm *pf, int n)
{
	struct pfm_rule *r = pf->rs->rules;

	while (n-- > 0 && r != NULL)
		r = r->next;
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return (r);
}

static uint64_t
pkts(const struct pfm_rule *r)
{
	return (r->packets[0] + r->packets[1]);
}

/* 15's pf_counters_inc: a match rule counts the packet that makes a state and every
 * later packet of the state, and the state (STATE_INC_COUNTERS), until the state
 * goes; 14 counted it as the walk met it, once. */
static void
test_match_counts_state(void)
{
	static const char conf[] = "match in on em0 proto tcp\n"
	    "pass in on em0 proto tcp keep state\n";
	struct pfm *pf = load15(conf);

	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:80 S seq 1000",
	    1000, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	tu_send(pf, PFM_OUT, "em0", "tcp 203.0.113.1:80 > 198.51.100.7:40001 SA seq 5000 "
	    "ack 1001", 1001, &v, NULL);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:80 A seq 1001 "
	    "ack 5001", 1002, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	CU_ASSERT_EQUAL(pkts(nth(pf, 0)), 3);
	CU_ASSERT_EQUAL(nth(pf, 0)->bytes[0] + nth(pf, 0)->bytes[1], 120);
	CU_ASSERT_EQUAL(pkts(nth(pf, 1)), 3);
	CU_ASSERT_EQUAL(nth(pf, 0)->states_cur, 1);
	CU_ASSERT_EQUAL(nth(pf, 0)->states_tot, 1);
	pfm_flush_states(pf);
	CU_ASSERT_EQUAL(nth(pf, 0)->states_cur, 0);
	CU_ASSERT_EQUAL(nth(pf, 0)->states_tot, 1);
	pfm_free(pf);
	pf = tu_must_load(conf);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:80 S seq 1000",
	    1000, &v, NULL);
	tu_send(pf, PFM_OUT, "em0", "tcp 203.0.113.1:80 > 198.51.100.7:40001 SA seq 5000 "
	    "ack 1001", 1001, &v, NULL);
	CU_ASSERT_EQUAL(pkts(nth(pf, 0)), 1);
	CU_ASSERT_EQUAL(nth(pf, 0)->states_cur, 0);
	CU_ASSERT_EQUAL(pkts(nth(pf, 1)), 2);
	pfm_free(pf);
}

/* A packet that a block rule drops counts on the match rules before it; one whose
 * pass rule is refused a state (max 1) counts on none of them, nor on the pass
 * rule; with no state the match rules count each passed packet. */
static void
test_match_counts_decided(void)
{
	struct pfm *pf = load15("match in on em0 proto tcp\n"
	    "block in on em0 proto tcp to port 81\n"
	    "pass in on em0 proto tcp to port 82 keep state (max 1)\n"
	    "pass in on em0 proto tcp to port 83 no state\n");

	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:81 S", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(pkts(nth(pf, 0)), 1);
	CU_ASSERT_EQUAL(pkts(nth(pf, 1)), 1);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40002 > 203.0.113.1:82 S", 1001, &v,
	    NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40003 > 203.0.113.1:82 S", 1002, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "state-limit");
	CU_ASSERT_EQUAL(pkts(nth(pf, 0)), 2);
	CU_ASSERT_EQUAL(pkts(nth(pf, 2)), 1);
	CU_ASSERT_EQUAL(nth(pf, 0)->states_cur, 1);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40004 > 203.0.113.1:83 S", 1003, &v,
	    NULL);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40004 > 203.0.113.1:83 A", 1004, &v,
	    NULL);
	CU_ASSERT(v.action == PFM_PASS && !v.state_hit);
	CU_ASSERT_EQUAL(pkts(nth(pf, 0)), 4);
	CU_ASSERT_EQUAL(pkts(nth(pf, 3)), 2);
	pfm_free(pf);
}

/* A match rule's nat-to is the state's translation rule and one of its match rules:
 * it counts each packet once and the state once; an old nat rule before the filter
 * counts them too (15's pf_counters_inc: old-style translation rules, then the
 * match rules). */
static void
test_match_nat_counts_once(void)
{
	struct pfm *pf = load15("nat on em0 from 10.99.0.2 to any -> 203.0.113.1\n"
	    "match out on em0 proto tcp from 10.99.0.1 nat-to 203.0.113.1\n"
	    "match out on em0 proto tcp\n"
	    "pass out on em0 proto tcp keep state\n");
	char reply[128];

	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.1:20443 > 198.51.100.7:443 S", 1000, &v,
	    &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	CU_ASSERT_PTR_EQUAL(v.trans, nth(pf, 0));
	snprintf(reply, sizeof(reply), "tcp 198.51.100.7:443 > 203.0.113.1:%u SA",
	    pfm_get16(tu_buf + 20));
	tu_send(pf, PFM_IN, "em0", reply, 1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	CU_ASSERT_EQUAL(pkts(nth(pf, 0)), 2);
	CU_ASSERT_EQUAL(pkts(nth(pf, 1)), 2);
	CU_ASSERT_EQUAL(pkts(nth(pf, 2)), 2);
	CU_ASSERT_EQUAL(nth(pf, 0)->states_cur, 1);
	CU_ASSERT_EQUAL(nth(pf, 0)->states_tot, 1);
	CU_ASSERT_EQUAL(nth(pf, 1)->states_cur, 1);
	tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.2:20444 > 198.51.100.7:443 S", 1002, &v,
	    &out);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	CU_ASSERT_EQUAL(pf->rs->nat->packets[1], 1);
	CU_ASSERT_EQUAL(pf->rs->nat->states_cur, 1);
	CU_ASSERT_EQUAL(pkts(nth(pf, 0)), 2);
	CU_ASSERT_EQUAL(pkts(nth(pf, 1)), 3);
	pfm_flush_states(pf);
	CU_ASSERT_EQUAL(nth(pf, 0)->states_cur, 0);
	CU_ASSERT_EQUAL(nth(pf, 1)->states_cur, 0);
	pfm_free(pf);
}

/* 15's pf_match_rule marks the walk quick as it steps into a quick anchor: the walk
 * ends where the first anchor ruleset inside it ends, so a nested anchor no longer
 * clears the quick (anchor.sh quick_nested), a quick anchor whose rules did not
 * match ends the walk too (the default rule passes), and so does an empty one; a
 * quick rule inside a nested anchor ends it as in 14. 14 keeps its walk: the nested
 * anchor cleared the match and the final block applies. */
static void
test_quick_nested(void)
{
	static const char nested[] = "anchor quick {\n pass\n anchor {\n  block proto tcp\n"
	    " }\n}\nblock\n";
	struct pfm *pf = load15(nested);

	tu_send(pf, PFM_IN, "em0", "icmp echo-request 198.51.100.7 > 203.0.113.1 id 7 seq 1",
	    1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v.filter);
	CU_ASSERT_EQUAL(v.filter->action, PFM_R_PASS);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:80 S", 1001, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);	/* the nested block decides */
	pfm_free(pf);
	pf = tu_must_load(nested);
	tu_send(pf, PFM_IN, "em0", "icmp echo-request 198.51.100.7 > 203.0.113.1 id 7 seq 1",
	    1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_free(pf);
	pf = load15("anchor quick {\n pass proto tcp\n}\nblock\n");
	tu_send(pf, PFM_IN, "em0", "icmp echo-request 198.51.100.7 > 203.0.113.1 id 8 seq 1",
	    1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_PTR_NULL(v.filter);
	pfm_free(pf);
	pf = load15("block\nanchor \"a\" quick\npass proto tcp\n");
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:80 S", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_free(pf);
	/* a wildcard with no child: PF_TEST_OK, the walk goes on to the block; the
	 * next anchor's end then ends it (the status stays quick) */
	pf = load15("pass\nanchor \"w/*\" quick\nblock proto tcp\nanchor \"b\"\n"
	    "block proto udp\n");
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:80 S", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:40001 > 203.0.113.1:53", 1001, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	pfm_free(pf);
	pf = load15("anchor {\n anchor {\n  pass quick proto tcp\n }\n}\nblock\n");
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > 203.0.113.1:80 S", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	tu_send(pf, PFM_IN, "em0", "icmp echo-request 198.51.100.7 > 203.0.113.1 id 9 seq 1",
	    1001, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_free(pf);
}

int
pfm_fb15_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_fb15", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "match rdr-to: later rules see it, the state keeps it",
	    test_match_rdr_to) == NULL ||
	    CU_add_test(s, "match rules never decide", test_match_never_decides) == NULL ||
	    CU_add_test(s, "match allow-opts stays with the packet and state",
	    test_match_allow_opts) == NULL ||
	    CU_add_test(s, "pass nat-to: pool, port range, one count",
	    test_pass_nat_to) == NULL ||
	    CU_add_test(s, "a second translation fails the packet (translate)",
	    test_translate_twice) == NULL ||
	    CU_add_test(s, "once: expires after deciding one packet", test_once) == NULL ||
	    CU_add_test(s, "binat-to: nat-to out, rdr-to in", test_binat_to) == NULL ||
	    CU_add_test(s, "max-pkt-size: rules' and state's limit",
	    test_max_pkt_size) == NULL ||
	    CU_add_test(s, "max-pkt-rate: the basic test's pings, the window restarts",
	    test_max_pkt_rate) == NULL ||
	    CU_add_test(s, "max-pkt-rate: a rule over its rate does not match",
	    test_max_pkt_rate_skips_rule) == NULL ||
	    CU_add_test(s, "af-to inet6 (NAT46) loads; a wrong family refused",
	    test_afto_refused) == NULL ||
	    CU_add_test(s, "af-to inet: TCP both ways, two families' keys",
	    test_afto_tcp) == NULL ||
	    CU_add_test(s, "af-to inet: ICMPv6 echo <-> ICMP echo", test_afto_icmp) == NULL ||
	    CU_add_test(s, "af-to inet: RFC 6052 /64, `to` address", test_afto_dst) == NULL ||
	    CU_add_test(s, "af-to inet, if-bound: the state on the IPv4 interface",
	    test_afto_if_bound) == NULL ||
	    CU_add_test(s, "counters: match rules count a state's packets and it",
	    test_match_counts_state) == NULL ||
	    CU_add_test(s, "counters: match rules count what is decided, not what fails",
	    test_match_counts_decided) == NULL ||
	    CU_add_test(s, "counters: a match nat-to counts once, an old nat rule too",
	    test_match_nat_counts_once) == NULL ||
	    CU_add_test(s, "anchors: a nested anchor does not clear quick (15)",
	    test_quick_nested) == NULL)
		return (-1);
	return (0);
}
