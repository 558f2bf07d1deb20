/* pfm_parse15_test.c: the pf.conf parser and printer as FreeBSD 15's pfctl (--freebsd
 * 15): nat-to, rdr-to, binat-to and af-to on match and pass rules, once, max-pkt-rate,
 * max-pkt-size, log (matches), prefer-ipv6-nexthop, 15's messages; the same words as
 * 14's syntax errors under 14; and the evaluator refusing what it does not model. */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pf/pfm.h"
#include "pf/pfm_rule.h"
#include "pfm_tutil.h"
#include "tests.h"

/* What `pfctl -nv` prints for text as release `freebsd`, or the errors; *ok set. */
static char *
run(const char *text, int freebsd, int *ok)
{
	struct pfm_load_opts lo;

	memset(&lo, 0, sizeof(lo));
	lo.freebsd = freebsd;
	return (tu_parse(text, &lo, NULL, ok));
}

static void
expect_out(int freebsd, const char *text, const char *want)
{
	int ok;
	char *got = run(text, freebsd, &ok);

	CU_ASSERT_TRUE(ok);
	CU_ASSERT_STRING_EQUAL(got, want);
	if (!ok || strcmp(got, want) != 0)
		fprintf(stderr, "\n--- %d input\n%s--- got\n%s--- want\n%s", freebsd, text,
		    got, want);
	free(got);
}

/* The load fails and its messages hold want. */
static void
expect_err(int freebsd, const char *text, const char *want)
{
	int ok;
	char *got = run(text, freebsd, &ok);

	CU_ASSERT_FALSE(ok);
	CU_ASSERT_PTR_NOT_NULL(strstr(got, want));
	if (ok || strstr(got, want) == NULL)
		fprintf(stderr, "\n--- %d input\n%s--- got\n%s--- want\n%s\n", freebsd, text,
		    got, want);
	free(got);
}

/* Every word 15 added is no keyword for 14: its grammar stops with a syntax error
 * there, as 14's pfctl does, and 15 reads the same line. */
static void
test_words_14(void)
{
	static const char *const lines[] = {
		"match out on lo0 all nat-to 127.0.0.1\n",
		"match in on lo0 proto tcp to port 80 rdr-to 127.0.0.2\n",
		"match on lo0 from 10.0.0.1 binat-to 127.0.0.3\n",
		"pass in inet af-to inet6 from 2001:db8::1\n",
		"pass inet from (lo0)/24 once\n",
		"pass in proto icmp max-pkt-rate 100/10\n",
		"pass in proto icmp max-pkt-size 128\n",
		"match log (matches) inet proto tcp\n",
		"pass in on lo0 route-to (lo0 ::1) prefer-ipv6-nexthop inet\n",
	};
	size_t i;
	int ok;
	char *got;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		expect_err(PFM_FREEBSD_14, lines[i], "stdin:1: syntax error");
		got = run(lines[i], PFM_FREEBSD_15, &ok);
		CU_ASSERT_TRUE(ok);
		if (!ok)
			fprintf(stderr, "\n--- 15 refused\n%s--- got\n%s", lines[i], got);
		free(got);
	}
	/* 0 (the default) is 14 */
	expect_err(0, lines[0], "stdin:1: syntax error");
}

/* match and pass rules with nat-to and rdr-to, printed last, nat-to first. */
static void
test_natto_rdrto(void)
{
	expect_out(PFM_FREEBSD_15,
	    "match in on lo0 proto tcp from any to 1.2.3.4/32 port 2222 "
	    "rdr-to 10.0.0.10 port 22\n",
	    "match in on lo0 inet proto tcp from any to 1.2.3.4 port = 2222 "
	    "rdr-to 10.0.0.10 port 22\n");
	expect_out(PFM_FREEBSD_15,
	    "pass in on lo0 proto tcp to 1.2.3.4 port 2222 rdr-to 10.0.0.10 "
	    "nat-to 10.0.0.2 port 22\n",
	    "pass in on lo0 inet proto tcp from any to 1.2.3.4 port = 2222 flags S/SA "
	    "keep state nat-to 10.0.0.2 port 22 rdr-to 10.0.0.10\n");
	/* the pool takes the rule's family; an interface its addresses, round-robin */
	expect_out(PFM_FREEBSD_15, "match out on lo0 inet all tag x nat-to lo0\n",
	    "match out on lo0 inet all tag x nat-to 127.0.0.1\n");
	expect_out(PFM_FREEBSD_15, "match out on lo0 inet6 all nat-to lo0\n",
	    "match out on lo0 inet6 all nat-to { ::1, fe80::1 } round-robin\n");
	/* a port range of nat-to, static-port, a list with its pool type */
	expect_out(PFM_FREEBSD_15,
	    "match out on lo0 from 10.0.0.0/24 nat-to 127.0.0.1 port 1024:2047\n"
	    "match out on lo0 from 10.0.1.0/24 nat-to 127.0.0.1 static-port\n"
	    "match out on lo0 from 10.0.2.0/24 nat-to { 10.0.1.1, 10.0.1.2 } "
	    "round-robin sticky-address\n",
	    "match out on lo0 inet from 10.0.0.0/24 to any nat-to 127.0.0.1 "
	    "port 1024:2047\n"
	    "match out on lo0 inet from 10.0.1.0/24 to any nat-to 127.0.0.1 "
	    "static-port\n"
	    "match out on lo0 inet from 10.0.2.0/24 to any nat-to { 10.0.1.1, 10.0.1.2 } "
	    "round-robin sticky-address\n");
	/* rdr-to's "port a:*" keeps each expanded rule's range width; the rule takes
	 * the family of the address */
	expect_out(PFM_FREEBSD_15,
	    "match in on lo0 proto tcp to port { 80:89, 100:104 } rdr-to 10.0.0.1 "
	    "port 8000:*\n",
	    "match in on lo0 inet proto tcp from any to any port 80:89 rdr-to 10.0.0.1 "
	    "port 8000:8009\n"
	    "match in on lo0 inet proto tcp from any to any port 100:104 rdr-to 10.0.0.1 "
	    "port 8000:8004\n");
}

/* binat-to: out with nat-to (static-port), and a rule in that sends the replies'
 * destination back with rdr-to (parse.y's add_binat_rdr_rule). */
static void
test_binatto(void)
{
	expect_out(PFM_FREEBSD_15,
	    "pass on lo0 from 10.0.0.1 to any binat-to 127.0.0.3\n",
	    "pass out on lo0 inet from 10.0.0.1 to any flags S/SA keep state "
	    "nat-to 127.0.0.3 static-port\n"
	    "pass in on lo0 inet from any to 127.0.0.3 flags S/SA keep state "
	    "rdr-to 10.0.0.1\n");
	expect_err(PFM_FREEBSD_15, "pass out on lo0 from 10.0.0.1 binat-to 127.0.0.3\n",
	    "stdin:1: binat-to cannot be specified with a direction");
}

/* af-to: the rule's family and the one translated to, route-to in the latter. */
static void
test_afto(void)
{
	expect_out(PFM_FREEBSD_15, "pass in from 10.0.0.0/8 af-to inet6 from 2001:db8::1\n",
	    "pass in inet from 10.0.0.0/8 to any flags S/SA keep state af-to inet6 "
	    "from 2001:db8::1\n");
	expect_out(PFM_FREEBSD_15,
	    "pass in on lo0 inet6 from any to 64:ff9b::/96 af-to inet from 203.0.113.1 "
	    "to 203.0.113.2\n",
	    "pass in on lo0 inet6 from any to 64:ff9b::/96 flags S/SA keep state af-to "
	    "inet from 203.0.113.1 to 203.0.113.2\n");
	expect_out(PFM_FREEBSD_15,
	    "pass in on lo0 route-to (em1 192.0.2.2) inet6 to 64:ff9b::/96 af-to inet "
	    "from (em1)\n",
	    "pass in on lo0 route-to (em1 192.0.2.2) inet6 from any to 64:ff9b::/96 "
	    "flags S/SA keep state af-to inet from (em1) round-robin\n");
	expect_err(PFM_FREEBSD_15, "pass in inet af-to inet from 192.0.2.1\n",
	    "stdin:1: must indicate different address family with af-to");
	expect_err(PFM_FREEBSD_15, "match in inet af-to inet6 from 2001:db8::1\n",
	    "stdin:1: af-to is not supported on match rules");
	expect_err(PFM_FREEBSD_15, "pass in inet af-to inet6 from 192.0.2.1\n",
	    "stdin:1: af-to addresses must be in the target address family");
	expect_err(PFM_FREEBSD_15, "pass in inet af-to from 192.0.2.1\n",
	    "stdin:1: no address family specified");
	expect_err(PFM_FREEBSD_15, "pass out on lo0 dup-to (lo0 ::1) inet af-to inet6 "
	    "from 2001:db8::1\n", "stdin:1: dup-to must not be used on af-to rules");
}

/* once, max-pkt-rate, max-pkt-size, log (matches), prefer-ipv6-nexthop: where 15's
 * print_rule puts them. */
static void
test_new_options(void)
{
	expect_out(PFM_FREEBSD_15,
	    "pass in proto icmp max-pkt-rate 100/10\n"
	    "pass in proto icmp max-pkt-size 128\n"
	    "pass in proto tcp prio 3 max-pkt-rate 5/1 dnpipe 4 once tag t\n"
	    "match log(matches) inet from 192.0.2.0/24\n"
	    "pass in on lo0 route-to ( lo1 2001:db8::1 ) prefer-ipv6-nexthop inet\n",
	    "pass in proto icmp all max-pkt-rate 100/10 keep state\n"
	    "pass in proto icmp all max-pkt-size 128 keep state\n"
	    "pass in proto tcp all flags S/SA prio 3 max-pkt-rate 5/1 keep state "
	    "dnpipe 4 once tag t\n"
	    "match log (matches) inet from 192.0.2.0/24 to any\n"
	    "pass in on lo0 route-to (lo1 2001:db8::1) prefer-ipv6-nexthop inet all "
	    "flags S/SA keep state\n");
	expect_err(PFM_FREEBSD_15, "pass in max-pkt-size 70000\n",
	    "stdin:1: only positive values permitted");
	expect_err(PFM_FREEBSD_15, "pass in max-pkt-rate 1/1 max-pkt-rate 2/1\n",
	    "stdin:1: cannot respecify max-pkt-rate");
	expect_err(PFM_FREEBSD_15, "nat on lo0 from any to any -> 127.0.0.1 "
	    "prefer-ipv6-nexthop\n", "stdin:1: The prefer-ipv6-nexthop option can't be "
	    "used for nat/rdr/binat pools");
	/* without prefer-ipv6-nexthop the other family's hop is dropped, as in 14 */
	expect_err(PFM_FREEBSD_15, "pass in on lo0 route-to (lo1 2001:db8::1) inet\n",
	    "stdin:1: no routing address with matching address family found.");
}

/* 15's checks and wording where 14 says otherwise or nothing. */
static void
test_messages(void)
{
	expect_err(PFM_FREEBSD_15, "pass out on lo0 all no state nat-to 127.0.0.1\n",
	    "stdin:1: nat-to and rdr-to require keep state");
	expect_err(PFM_FREEBSD_15, "pass on lo0 all rdr-to 127.0.0.1\n",
	    "stdin:1: nat-to and rdr-to require a direction");
	expect_err(PFM_FREEBSD_15, "pass out all nat-to 127.0.0.1 nat-to 127.0.0.2\n",
	    "stdin:1: cannot respecify nat-to/binat-to");
	expect_err(PFM_FREEBSD_15, "pass in all rdr-to 127.0.0.1 rdr-to 127.0.0.2\n",
	    "stdin:1: cannot respecify rdr-to");
	expect_err(PFM_FREEBSD_15, "match in proto tcp rdr-to 127.0.0.1 static-port\n",
	    "stdin:1: the 'static-port' option is only valid with nat rules");
	expect_err(PFM_FREEBSD_15, "match in proto tcp rdr-to 127.0.0.1 port 90:80\n",
	    "stdin:1: invalid rdr-to port range");
	/* route-to on block: refused by 15, loaded by 14 */
	expect_err(PFM_FREEBSD_15, "block in route-to (lo0 127.0.0.1)\n",
	    "stdin:1: route-to, reply-to and dup-to are not supported on block rules");
	expect_out(PFM_FREEBSD_14, "block in route-to (lo0 127.0.0.1)\n",
	    "block drop in route-to (lo0 127.0.0.1) inet all\n");
	/* an empty port range: refused by 15, loaded by 14 */
	expect_err(PFM_FREEBSD_15, "pass in proto tcp from any port 500:100 to any\n",
	    "stdin:1: invalid port range");
	expect_err(PFM_FREEBSD_15, "pass in proto tcp to port 500 >< 500\n",
	    "stdin:1: invalid port range");
	expect_out(PFM_FREEBSD_14, "pass in proto tcp from any port 500:100 to any\n",
	    "pass in proto tcp from any port 500:100 to any flags S/SA keep state\n");
	/* a table in a bitmask pool: both refuse it, each in its words */
	expect_err(PFM_FREEBSD_15, "nat on lo0 from 10.0.0.1 to any -> <t> bitmask\n",
	    "stdin:1: tables are not supported by pool type");
	expect_err(PFM_FREEBSD_14, "nat on lo0 from 10.0.0.1 to any -> <t> bitmask\n",
	    "stdin:1: tables are only supported in round-robin redirection pools");
	expect_err(PFM_FREEBSD_15, "nat on lo0 from 10.0.0.1 to any -> (lo1) bitmask\n",
	    "stdin:1: interface (lo1) is not supported by pool type");
	/* a table in a random pool: 15 takes it, 14 does not */
	expect_out(PFM_FREEBSD_15, "nat on lo0 from 10.0.0.1 to any -> <t> random\n",
	    "nat on lo0 inet from 10.0.0.1 to any -> <t> random\n");
	expect_err(PFM_FREEBSD_14, "nat on lo0 from 10.0.0.1 to any -> <t> random\n",
	    "stdin:1: tables are only supported in round-robin redirection pools");
	/* several addresses: 15 asks for round-robin in its own words */
	expect_err(PFM_FREEBSD_15, "nat on lo0 from any to any -> { 10.0.0.1, 10.0.0.2 } "
	    "random\n", "stdin:1: r.route.opts must be PF_POOL_ROUNDROBIN");
	/* allow-opts on match rules: 15 takes it */
	expect_out(PFM_FREEBSD_15, "match in all allow-opts\n",
	    "match in all allow-opts\n");
	expect_err(PFM_FREEBSD_14, "match in all allow-opts\n",
	    "stdin:1: allow-opts can only be specified for pass rules");
	/* SCTP ports are ports to 15 (printed with udp's names, as pfctl does) */
	expect_out(PFM_FREEBSD_15, "pass in proto sctp to port 9\n",
	    "pass in proto sctp from any to any port = discard keep state\n");
	expect_err(PFM_FREEBSD_15, "pass in proto icmp to port 9\n",
	    "stdin:1: port only applies to tcp/udp/sctp");
}

/* A bare interface as a route-to hop: 15 prints its unset address as "?"
 * (pfctl test pf1005), 14 the interface alone. */
static void
test_bare_route_if(void)
{
	expect_out(PFM_FREEBSD_15, "pass out quick on lo0 route-to lo0 from any to any\n",
	    "pass out quick on lo0 route-to (lo0 ?) all flags S/SA keep state\n");
	expect_out(PFM_FREEBSD_14, "pass out quick on lo0 route-to lo0 from any to any\n",
	    "pass out quick on lo0 route-to lo0 all flags S/SA keep state\n");
}

/* A 15 ruleset loads with af-to inet6 (NAT46) and max-pkt-rate, both evaluated now,
 * and with 15's match rules; a parse error is no refusal. */
static void
test_eval_refuses(void)
{
	struct pfm_host h;
	struct pfm_load_opts lo;
	struct diag d = { 0 };
	struct pfm *pf;

	pfm_host_default(&h);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf = pfm_new(&h));
	memset(&lo, 0, sizeof(lo));
	lo.freebsd = PFM_FREEBSD_15;
	lo.file = "t.conf";
	CU_ASSERT_EQUAL(pfm_load(pf, "pass all\npass in inet to 198.51.100.0/24 "
	    "af-to inet6 from ::1 to 64:ff9b::/96\npass in proto icmp max-pkt-rate 10/1\n", &lo, &d), 0);
	CU_ASSERT_EQUAL(pfm_load_refused15(pf), 0);
	/* af-to inet6 (pfm_afto.c) and max-pkt-rate (pfm_fb15.c) are evaluated */
	CU_ASSERT_PTR_NULL(strstr(diag_text(&d), "t.conf:2:"));
	CU_ASSERT_PTR_NULL(strstr(diag_text(&d), "t.conf:3:"));
	diag_free(&d);
	CU_ASSERT_EQUAL(pfm_load(pf, "match in log (matches) all\npass all\n"
	    "match out on lo0 nat-to 127.0.0.1\npass in proto icmp max-pkt-rate 10/1\n",
	    &lo, &d), 0);
	CU_ASSERT_EQUAL(pfm_load_refused15(pf), 0);
	diag_free(&d);
	/* a parse error is no refusal */
	CU_ASSERT_EQUAL(pfm_load(pf, "pass bogus\n", &lo, &d), -1);
	CU_ASSERT_EQUAL(pfm_load_refused15(pf), 0);
	diag_free(&d);
	pfm_free(pf);
}

int
pfm_parse15_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_parse15", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "15's words are 14's syntax errors", test_words_14) == NULL ||
	    CU_add_test(s, "nat-to and rdr-to", test_natto_rdrto) == NULL ||
	    CU_add_test(s, "binat-to", test_binatto) == NULL ||
	    CU_add_test(s, "af-to", test_afto) == NULL ||
	    CU_add_test(s, "once, max-pkt-*, log (matches), prefer-ipv6-nexthop",
	    test_new_options) == NULL ||
	    CU_add_test(s, "15's checks and wording", test_messages) == NULL ||
	    CU_add_test(s, "a bare route-to interface", test_bare_route_if) == NULL ||
	    CU_add_test(s, "the evaluator refuses 15's translation", test_eval_refuses) ==
	    NULL)
		return (-1);
	return (0);
}
