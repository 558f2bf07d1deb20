/* pfm_ctl_test.c: pfctl's emulation (harness/pf/ctl) against what FreeBSD 14's pfctl
 * prints and returns, read from sbin/pfctl/pfctl.c, pfctl_table.c, pfctl_radix.c and
 * the kernel's answers (pf_ioctl.c, pf_table.c); FreeBSD's tests/sys/netpfil/pf relies
 * on several of them (pass_block.sh enable_disable, killstate.sh, table.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"

/* The last pfctl run (tu_pfctl). */
static struct tu_run last;

static uint64_t ctl_now = 1000;	/* the clock pfctl runs at */

static int
pfctl(struct pfm *pf, const char *words, const char *input)
{
	return (tu_pfctl(pf, ctl_now, words, input, &last));
}

static struct pfm *
fresh(const char *conf)
{
	return (tu_must_load(conf));
}

/* pass_block.sh enable_disable: -d on a disabled pf fails, -e enables, -e again fails,
 * -d disables; pfctl_enable/pfctl_disable's words. */
static void
test_enable_disable(void)
{
	struct pfm *pf = fresh("pass all\n");

	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -d", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "pf disabled\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -d", NULL), 1);
	CU_ASSERT_STRING_EQUAL(last.err, "pfctl: pf not enabled\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -s Running", NULL), 1);
	CU_ASSERT_STRING_EQUAL(last.out, "Disabled\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -q -e", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -e", NULL), 1);
	CU_ASSERT_STRING_EQUAL(last.err, "pfctl: pf already enabled\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -s R", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "Enabled\n");
	pfm_free(pf);
}

/* pfctl_table.c: summaries ending in ".", every failure 255, -T test 2 on a miss. */
static void
test_tables(void)
{
	struct pfm *pf = fresh("pass all\n");

	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T add 192.0.2.1 192.0.2.0/24", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "1 table created.\n2/2 addresses added.\n");
	/* -v: pfctl_test_altqsupport speaks first on a kernel without ALTQ */
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T add -v 192.0.2.1 192.0.2.9", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "No ALTQ support in kernel\n"
	    "ALTQ related functions disabled\n1/2 addresses added.\n");
	CU_ASSERT_STRING_EQUAL(last.out, "A  192.0.2.9\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T add !192.0.2.1", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "0/1 addresses added.\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T add 10.0.0.1/8", NULL), 255);
	CU_ASSERT_STRING_EQUAL(last.err, "pfctl: Invalid argument.\n");
	/* -T show: IPv4 by address, the more specific first */
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T show", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   192.0.2.0/24\n   192.0.2.1\n   192.0.2.9\n");
	/* longest prefix decides; 198.51.100.1 matches nothing */
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T test 192.0.2.77 198.51.100.1", NULL), 2);
	CU_ASSERT_STRING_EQUAL(last.err, "1/2 addresses match.\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T test 192.0.2.77", NULL), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T test 192.0.2.0/24", NULL), 255);
	CU_ASSERT_STRING_EQUAL(last.err,
	    "pfctl: cannot decode 192.0.2.0/24: Invalid argument\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T replace 192.0.2.1 !192.0.2.0/24 "
	    "198.51.100.0/24", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "1 addresses added.\n1 addresses deleted.\n"
	    "1 addresses changed.\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T test 192.0.2.77", NULL), 2);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T replace 192.0.2.1 !192.0.2.0/24 "
	    "198.51.100.0/24", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "no changes.\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T delete 192.0.2.1 192.0.2.200", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "1/2 addresses deleted.\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T flush", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "2 addresses deleted.\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T kill", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "1 table deleted.\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T show", NULL), 255);
	CU_ASSERT_STRING_EQUAL(last.err, "pfctl: Table does not exist.\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T delete 192.0.2.1", NULL), 255);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T zero", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "0 table/stats cleared.\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t t -T frobnicate", NULL), 1);
	CU_ASSERT(strncmp(last.err, "pfctl: Unknown table command 'frobnicate'\nusage: "
	    "pfctl", 50) == 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -n -t u -T add 192.0.2.1", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "1 table created (dummy).\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t u -T show", NULL), 255);
	pfm_free(pf);
}

/* table.sh anchor: a table added in an anchor serves its rules; the main one does
 * not (and the anchor's falls back to the main table while it is not active). */
static void
test_anchor_table(void)
{
	struct pfm *pf = fresh("anchor \"a\"\npass all\n");
	struct pfm_verdict v;

	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a a -f -", "table <bad> persist\n"
	    "block in quick from <bad>\n"), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -t bad -T add 198.51.100.7", NULL), 0);
	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > "
	    "203.0.113.1:80 S", 2000, &v, NULL), 0);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a a -t bad -T add 198.51.100.7", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "1/1 addresses added.\n");
	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40002 > "
	    "203.0.113.1:80 S", 3000, &v, NULL), 0);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a a -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "bad\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "bad\n");
	pfm_free(pf);
}

/* pfctl.c main: -F all's steps and words in order (no -q). */
static void
test_flush_all(void)
{
	struct pfm *pf = fresh("table <t> { 192.0.2.1 }\npass all\n");
	struct pfm_verdict v;

	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:40001 > "
	    "203.0.113.1:53", 2000, &v, NULL), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -F all", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "Ethernet rules cleared\nrules cleared\n"
	    "nat cleared\n1 tables deleted.\n1 states cleared\n"
	    "source tracking entries cleared\npf: statistics cleared\n"
	    "pf: interface flags reset\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -F bogus", NULL), 1);
	CU_ASSERT(strncmp(last.err, "pfctl: Unknown flush modifier 'bogus'\n", 37) == 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a _x -F rules", NULL), 1);
	CU_ASSERT_STRING_EQUAL(last.err, "pfctl: anchor names beginning with '_' cannot "
	    "be modified from the command line\n");
	pfm_free(pf);
}

/* pfctl_net_kill_states and pfctl_label_kill_states; the wire key decides. */
static void
test_kill(void)
{
	struct pfm *pf = fresh("pass all label \"web\"\n");
	struct pfm_verdict v;

	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:40001 > "
	    "203.0.113.1:53", 2000, &v, NULL), 0);
	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", "udp 198.51.100.8:40001 > "
	    "203.0.113.1:53", 2000, &v, NULL), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k 198.51.100.7 -k 192.0.2.1", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err,
	    "killed 0 states from 1 sources and 1 destinations\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k 198.51.100.7 -k 2001:db8::1", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err,
	    "killed 0 states from 1 sources and 0 destinations\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k 198.51.100.0/24", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err,
	    "killed 2 states from 1 sources and 0 destinations\n");
	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:40002 > "
	    "203.0.113.1:53", 3000, &v, NULL), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k label -k web", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "killed 1 states\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k label", NULL), 1);
	CU_ASSERT(strncmp(last.err, "pfctl: no label specified\nusage:", 32) == 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k 198.51.100.7/33", NULL), 1);
	CU_ASSERT_STRING_EQUAL(last.err, "pfctl: prefix too long for AF_INET\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k a -k b -k c", NULL), 1);
	CU_ASSERT(strncmp(last.err, "pfctl: can only specify -k twice\n", 33) == 0);
	pfm_free(pf);
}

/* A connection forwarded from em0 out of em1 through nat: two states. */
static void
forwarded(struct pfm *pf, int sport, uint64_t now)
{
	struct pfm_verdict v;
	char pkt[128];

	snprintf(pkt, sizeof(pkt), "tcp 192.0.2.1:%d > 198.51.100.2:7 S", sport);
	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", pkt, now, &v, NULL), 0);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	CU_ASSERT_EQUAL(tu_send(pf, PFM_OUT, "em1", pkt, now, &v, NULL), 0);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
}

/* killstate.sh match: -M kills each state's match, the state of the other direction
 * holding its key reversed (pf_killstates_row, pf_clear_states, kill_match); without
 * -M the NAT state on em1 outlives the client's. -M reaches -k HOST, -k label and
 * -F states (pfctl.c: PF_OPT_KILLMATCH in each). */
static void
test_kill_match(void)
{
	struct pfm *pf = fresh("nat on em1 from 192.0.2.0/24 to any -> 198.51.100.1\n"
	    "pass in on em0 label \"in\"\npass out on em1\n");

	forwarded(pf, 40001, 1000);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k 192.0.2.1", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err,
	    "killed 1 states from 1 sources and 0 destinations\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -F states", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "1 states cleared\n");
	forwarded(pf, 40002, 2000);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -M -k 192.0.2.1", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err,
	    "killed 2 states from 1 sources and 0 destinations\n");
	forwarded(pf, 40003, 3000);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -M -k label -k in", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "killed 2 states\n");
	forwarded(pf, 40004, 4000);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -i em0 -F states", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "1 states cleared\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -F states", NULL), 0);
	forwarded(pf, 40005, 5000);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -M -i em0 -F states", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "2 states cleared\n");
	pfm_free(pf);
}

/* pfctl_show_rules: named anchors one line unless -a ends in "*"; -v without indent. */
static void
test_show_recursion(void)
{
	struct pfm *pf = fresh("anchor \"foo\" {\n  anchor \"bar\" {\n"
	    "    pass on em0\n  }\n}\n");

	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "anchor \"foo\" all\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sr -a *", NULL), 0);
	/* anchor.sh nested_anchor's expected text */
	CU_ASSERT_STRING_EQUAL(last.out, "anchor \"foo\" all {\n  anchor \"bar\" all {\n"
	    "    pass on em0 all flags S/SA keep state\n  }\n}\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a foo -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "anchor \"bar\" all\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a nothere -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "pfctl: DIOCGETRULES: Invalid argument\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sA", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "  foo\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sA -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "  foo\n  foo/bar\n");
	CU_ASSERT_STRING_EQUAL(last.err, "No ALTQ support in kernel\n"
	    "ALTQ related functions disabled\n");
	pfm_free(pf);
}

/* pfctl -f keeps states; -sr before -f shows the old rules (pfctl.c main's order);
 * a syntax error names stdin and the line, nothing changes. */
static void
test_load_order(void)
{
	struct pfm *pf = fresh("pass all\n");

	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sr -f -", "block all\n"), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "pass all flags S/SA keep state\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "block drop all\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -f -", "pass all\nfrob\n"), 1);
	CU_ASSERT_STRING_EQUAL(last.err, "stdin:2: syntax error\n"
	    "pfctl: Syntax error in config file: pf rules not loaded\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "block drop all\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -nf -", "frob\n"), 1);
	CU_ASSERT_STRING_EQUAL(last.err, "stdin:1: syntax error\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -x loud", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "debug level set to 'loud'\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -si", NULL), 0);
	CU_ASSERT(strstr(last.out, "Debug: Loud") != NULL);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -s frob", NULL), 1);
	CU_ASSERT(strncmp(last.err, "pfctl: Unknown show modifier 'frob'\nusage: pfctl "
	    "[-AdeghMmNnOPqRrvz]", 64) == 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl stray", NULL), 1);
	CU_ASSERT(strncmp(last.err, "pfctl: unknown command line argument: stray ...\n",
	    48) == 0);
	pfm_free(pf);
}

/* -sl's columns; -z with -sr prints the counters, then clears them. */
static void
test_labels_zero(void)
{
	struct pfm *pf = fresh("pass in proto udp label \"dns\"\npass out\n");
	struct pfm_verdict v;

	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:40001 > "
	    "203.0.113.1:53 len 8", 2000, &v, NULL), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sl", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "dns 1 1 36 1 36 0 0 1\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -z -sl", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "dns 1 1 36 1 36 0 0 1\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sl", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "dns 0 0 0 0 0 0 0 1\n");
	pfm_free(pf);
	/* anchor.sh nested_label: -sl descends into the anchors -sr would expand: an
	 * unnamed one always, a named one under -a '*' (FreeBSD 14.1's pfctl) */
	pf = fresh("anchor \"foo\" {\n  pass in quick proto icmp label \"icmp\"\n"
	    "  anchor \"bar\" {\n    pass in proto tcp label \"tcp\"\n  }\n}\n"
	    "anchor {\n  pass out label \"anon\"\n}\npass quick label \"all\"\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sl", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "anon 0 0 0 0 0 0 0 0\nall 0 0 0 0 0 0 0 0\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a * -sl", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "icmp 0 0 0 0 0 0 0 0\ntcp 0 0 0 0 0 0 0 0\n"
	    "anon 0 0 0 0 0 0 0 0\nall 0 0 0 0 0 0 0 0\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a foo -sl", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "icmp 0 0 0 0 0 0 0 0\n");
	pfm_free(pf);
}

/* anchor.sh recursive_flush: a reload that only calls an anchor keeps its rules;
 * limits.sh zero: `set limit states 0` is no limit, and -sm says 0. */
static void
test_reload_limits(void)
{
	struct pfm *pf = fresh("block\nanchor \"foo\" {\n  pass\n}\n");
	struct pfm_verdict v;

	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -f -", "set limit states 0\nblock\n"
	    "anchor \"foo\"\n"), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a foo -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "pass all flags S/SA keep state\n");
	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:40001 > "
	    "203.0.113.1:53", 2000, &v, NULL), 0);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(v.state_created);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sm", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "states        hard limit        0\n"
	    "src-nodes     hard limit    10000\nfrags         hard limit     5000\n"
	    "table-entries hard limit   200000\n");
	/* -P: ports as numbers, as Bastille lists its anchors */
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -f -", "pass in proto tcp to port 80\n"), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "pass in proto tcp from any to any port = http "
	    "flags S/SA keep state\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -P -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "pass in proto tcp from any to any port = 80 "
	    "flags S/SA keep state\n");
	pfm_free(pf);
}

static void
free_last(void)
{
	free(last.out);
	free(last.err);
	memset(&last, 0, sizeof(last));
}

static int
teardown(void)
{
	free_last();
	return (0);
}

/* The counters of pfctl -sr -v's first rule line of the main ruleset or anchor. */
static void
counts(struct pfm *pf, const char *anchor, unsigned *ev, unsigned *pk, unsigned *by)
{
	char cmd[128];
	const char *p;

	snprintf(cmd, sizeof(cmd), "pfctl%s%s -sr -v", anchor ? " -a " : "",
	    anchor ? anchor : "");
	CU_ASSERT_EQUAL_FATAL(pfctl(pf, cmd, NULL), 0);
	CU_ASSERT_FATAL((p = strstr(last.out, "[ Evaluations: ")) != NULL);
	CU_ASSERT_EQUAL_FATAL(sscanf(p, "[ Evaluations: %u Packets: %u Bytes: %u", ev, pk,
	    by), 3);
}

/* An echo request of a new id each time: no state of an earlier one (whose rule
 * would count it, pf's states keep their rule) takes it. */
static void
ping(struct pfm *pf)
{
	static int id = 100;
	struct pfm_verdict v;
	char pkt[96];

	snprintf(pkt, sizeof(pkt), "icmp echo-request 198.51.100.7 > 203.0.113.1 id %d",
	    id++);
	tu_send(pf, PFM_IN, "em0", pkt, 1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(v.state_created);
}

/* rules_counter.sh keepcounters: pf_commit_rules adds the counters of the identical
 * old rule (pf_krule_compare on pf_hash_rule's fields) when the load set
 * keepcounters (pfctl_load_options, every main load); a rule that differs starts at
 * zero; so does every rule without it. An anchor loaded with -a keeps them under
 * the setting of the last main load. */
static void
test_keepcounters(void)
{
	struct pfm *pf = fresh("pass all\nanchor \"a\"\n");
	unsigned ev, pk, by;

	ping(pf);
	counts(pf, NULL, &ev, &pk, &by);
	CU_ASSERT(ev == 1 && pk == 1 && by == 28);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -f -", "pass all\nanchor \"a\"\n"), 0);
	counts(pf, NULL, &ev, &pk, &by);
	CU_ASSERT(ev == 0 && pk == 0 && by == 0);
	ping(pf);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -f -", "set keepcounters\npass all\n"
	    "anchor \"a\"\n"), 0);
	counts(pf, NULL, &ev, &pk, &by);
	CU_ASSERT(ev == 1 && pk == 1 && by == 28);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -f -", "set keepcounters\npass inet all\n"
	    "anchor \"a\"\n"), 0);
	counts(pf, NULL, &ev, &pk, &by);
	CU_ASSERT(ev == 0 && pk == 0 && by == 0);
	/* an anchor reloaded under the main ruleset's keepcounters */
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a a -f -", "pass in proto icmp\n"), 0);
	ping(pf);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a a -f -", "pass in proto icmp\n"), 0);
	counts(pf, "a", &ev, &pk, &by);
	CU_ASSERT(ev == 1 && pk == 1);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -f -", "pass inet all\nanchor \"a\"\n"), 0);
	ping(pf);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a a -f -", "pass in proto icmp\n"), 0);
	counts(pf, "a", &ev, &pk, &by);
	CU_ASSERT(ev == 0 && pk == 0);
	pfm_free(pf);
}

/* print_state -v and -vv (pf_print_state.c), print_src_node -v (pfctl_parser.c): the
 * TCP windows, age and expiry (the state's timeout from its last packet), packets
 * and bytes each way, anchor and rule numbers, flags from the rule and its source
 * nodes; the id from pf's counter, the creator (hostid), origif of a floating state;
 * a node's age, packets, bytes and rule. */
static void
test_state_verbose(void)
{
	struct pfm *pf = fresh("set hostid 0x00000042\nanchor \"a\" {\n"
	    "  pass in proto tcp to port 80 keep state (source-track rule, if-bound)\n"
	    "}\npass in proto udp allow-opts\n");
	struct pfm_verdict v;

	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40001 > "
	    "203.0.113.1:80 S seq 1000 win 512", 1000, &v, NULL), 0);
	CU_ASSERT(v.state_created);
	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:40002 > "
	    "203.0.113.1:53 len 8", 1500, &v, NULL), 0);
	ctl_now = 61000;
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -ss -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out,
	    "em0 tcp 203.0.113.1:80 <- 198.51.100.7:40001       CLOSED:SYN_SENT\n"
	    "   [0 + 1]  [1000 + 2]\n"
	    "   age 00:01:00, expires in 00:01:00, 1:0 pkts, 40:0 bytes, anchor 0, rule 0, "
	    "source-track\n"
	    "all udp 203.0.113.1:53 <- 198.51.100.7:40002       NO_TRAFFIC:SINGLE\n"
	    "   age 00:00:59, expires in 00:00:00, 1:0 pkts, 36:0 bytes, rule 1, "
	    "allow-opts\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -ss -vv", NULL), 0);
	CU_ASSERT(strstr(last.out, "source-track\n   id: 000000006553f100 creatorid: "
	    "00000042\nall udp") != NULL);
	CU_ASSERT(strstr(last.out, "allow-opts\n   id: 000000006553f101 creatorid: "
	    "00000042\n   origif: em0\n") != NULL);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sS -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "198.51.100.7 -> 0.0.0.0 ( states 1, "
	    "connections 0, rate 0.0/0s )\n   age 00:01:00, 1 pkts, 40 bytes, filter rule 0\n");
	ctl_now = 1000;
	pfm_free(pf);
}

/* killstate.sh gateway and id: -k gateway kills the states whose route-to/reply-to
 * next hop (rt_addr) is in the address given, -k id the state of that id (and
 * creator); -ss -vv shows the next hop and its interface. */
static void
test_kill_gateway_id(void)
{
	struct pfm *pf = fresh("pass in reply-to (em0 203.0.113.254) proto icmp\n"
	    "pass in proto udp\n");
	struct pfm_verdict v;

	tu_send(pf, PFM_IN, "em0", "icmp echo-request 198.51.100.7 > 203.0.113.1 id 9",
	    1000, &v, NULL);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:4000 > 203.0.113.1:53", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -ss -vv", NULL), 0);
	CU_ASSERT(strstr(last.out, "   id: 000000006553f100 creatorid: 2f7a1c35 "
	    "reply-to: 203.0.113.254@em0\n") != NULL);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k gateway", NULL), 1);
	CU_ASSERT(strncmp(last.err, "pfctl: no gateway specified\nusage: ", 35) == 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k gateway -k 203.0.113.1", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "killed 0 states\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k gateway -k 203.0.113.0/24", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "killed 1 states\n");
	CU_ASSERT_EQUAL(pfm_state_count(pf), 1);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k id -k 0", NULL), 1);
	CU_ASSERT(strncmp(last.err, "pfctl: cannot kill id 0\n", 24) == 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k id -k 6553f101/1", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "killed 0 states\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -k id -k 6553f101", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "killed 1 states\n");
	CU_ASSERT_EQUAL(pfm_state_count(pf), 0);
	pfm_free(pf);
}

/* -o (pfctl's main: none off, basic and profile on; an unknown word is refused before
 * anything runs), the optimizer on a main and an anchor load, and a reload's
 * automatic table holding the new list. */
static void
test_optimizer(void)
{
	const char *six = "block in from { 1.1.1.1 1.1.1.2 2.2.2.2 2.2.2.3 4.4.4.4 "
	    "4.4.4.5 }\n", *other = "block in from { 1.1.1.1 1.1.1.2 2.2.2.2 2.2.2.3 "
	    "4.4.4.4 5.5.5.5 }\n";
	struct pfm *pf = fresh("pass all\n");
	struct pfm_verdict v;

	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -o bogus -f -", six), 1);
	CU_ASSERT(strncmp(last.err, "pfctl: Unknown optimization 'bogus'\nusage: ",
	    43) == 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -o none -f -", six), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sr", NULL), 0);
	CU_ASSERT(strstr(last.out, "block drop in inet from 4.4.4.5 to any\n") != NULL);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -f -", six), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out,
	    "block drop in inet from <__automatic_6f5e3d2c_0> to any\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -o b -f -", other), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out,
	    "block drop in inet from <__automatic_6f5e3d2c_0> to any\n");
	tu_send(pf, PFM_IN, "em0", "udp 5.5.5.5:1 > 203.0.113.1:53", 1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	tu_send(pf, PFM_IN, "em0", "udp 4.4.4.5:1 > 203.0.113.1:53", 1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	/* an anchor's load: its own table */
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -f -", "pass all\nanchor foo\n"), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a foo -f -", six), 0);
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -a foo -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out,
	    "block drop in inet from <__automatic_6f5e3d2c_0> to any\n");
	tu_send(pf, PFM_IN, "em0", "udp 4.4.4.5:1 > 203.0.113.1:53", 1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_free(pf);
}

/* FreeBSD 15's pfctl (the load options a 15 target passes). */
static const struct pfm_load_opts lo15 = { .freebsd = PFM_FREEBSD_15 };

static int
pfctl15(struct pfm *pf, const char *words, const char *input)
{
	return (tu_pfctl_lo(pf, ctl_now, words, input, &lo15, &last));
}

/* table.sh show_recursive: 15's -a '*' -sT shows the tables of every anchor (the
 * walk's anchors last found first, then the ruleset named), an anchor's as
 * NAME@ANCHOR; 14's shows the named ruleset's only, the anchor after a tab with -v. */
static void
test_show_tables15(void)
{
	struct pfm *pf = tu_load("table <foo> counters { 198.51.100.7 }\n"
	    "pass in from <foo>\nanchor anchorage\nanchor a\n", &lo15);

	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -a anchorage -f -",
	    "table <bar> persist\nblock in quick from <bar> to any\n"), 0);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -v -a * -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "-pa-r--\tbar@anchorage\n--a-r-C\tfoo\n");
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -a * -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "bar@anchorage\nfoo\n");
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -v -a anchorage -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "-pa-r--\tbar@anchorage\n");
	/* nested anchors: the walk finds a, a/b, a-z, anchorage (a's children before
	 * a-z); shown from the last found */
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -a a -f -",
	    "table <t1> persist\nanchor b\n"), 0);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -a a/b -f -", "table <t2> persist\n"), 0);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -a a-z -f -", "table <t3> persist\n"), 0);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -a * -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out,
	    "bar@anchorage\nt3@a-z\nt2@a/b\nt1@a\nfoo\n");
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -a a/* -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "t2@a/b\nt1@a\n");
	/* 14 */
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -v -a * -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "--a-r-C\tfoo\n");
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -v -a anchorage -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "-pa-r--\tbar\tanchorage\n");
	/* 14 too: an anchor file's persistent table no rule names is the anchor's */
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -v -a a/b -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "-pa----\tt2\ta/b\n");
	pfm_free(pf);
}

/* table.sh load (PR 291318): 15's -T load -f, -t or not, loads the tables the file
 * defines and nothing else of it; a table neither persistent nor named by a running
 * rule does not stay; one a running rule names does, and an address it held keeps its
 * statistics. 14's pfctl wants -t (usage). */
static void
test_table_load15(void)
{
	const char *file = "table <private> persist { 172.16/12 }\n"
	    "table <gone> { 192.0.2.1 }\ntable <used> counters { 198.51.100.7 }\n"
	    "block\npass in from <private>\n";
	struct pfm *pf = tu_load("block in\npass in from <used>\npass out\n", &lo15);
	struct pfm_verdict v;

	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -T load -f -", file), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "");
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -sr", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "block drop in all\n"
	    "pass in from <used> to any flags S/SA keep state\n"
	    "pass out all flags S/SA keep state\n");
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -t private -T show", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   172.16.0.0/12\n");
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -t gone -T show", NULL), 255);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -v -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "-pa----\tprivate\n--a-r-C\tused\n");
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:1 > 203.0.113.1:53", 1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.8:1 > 203.0.113.1:53", 1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	/* again, with -t (ignored) and one more address: the held one keeps its count */
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -t x -T l -f -",
	    "table <used> counters { 198.51.100.7, 198.51.100.8 }\n"), 0);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -t used -T show -v", NULL), 0);
	CU_ASSERT(strstr(last.out, "   198.51.100.7\n\tCleared:") != NULL);
	CU_ASSERT(strstr(last.out, "In/Pass:     [ Packets: 1 ") != NULL);
	CU_ASSERT(strstr(last.out, "   198.51.100.8\n") != NULL);
	/* a file that does not parse changes nothing */
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -T load -f -", "table <private> {\n"), 1);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -t private -T show", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   172.16.0.0/12\n");
	/* 14 */
	CU_ASSERT_EQUAL(pfctl(pf, "pfctl -T load -f -", file), 1);
	CU_ASSERT(strncmp(last.err, "usage: pfctl", 12) == 0);
	pfm_free(pf);
}

/* table.sh in_anchor: under 15 a table declared in an inline anchor's braces is the
 * anchor's (rules there name it), apart from a main table of the name; 14's grammar
 * refuses it. Loaded into a runtime anchor, it is the inline anchor's below it. */
static void
test_in_anchor15(void)
{
	const char *conf = "table <bar> persist { 192.0.2.9 }\nblock all\n"
	    "anchor \"foo\" {\n  table <bar> counters { 198.51.100.7 }\n"
	    "  pass in from <bar>\n}\n";
	struct pfm *pf = tu_load(conf, &lo15);
	struct pfm_verdict v;

	CU_ASSERT_FATAL(pf != NULL);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:1 > 203.0.113.1:53", 1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	tu_send(pf, PFM_IN, "em0", "udp 192.0.2.9:1 > 203.0.113.1:53", 1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -a foo -t bar -T show -v", NULL), 0);
	CU_ASSERT(strncmp(last.out, "   198.51.100.7\n\tCleared:", 25) == 0);
	CU_ASSERT(strstr(last.out, "In/Pass:     [ Packets: 1 ") != NULL);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -t bar -T show", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   192.0.2.9\n");
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -v -a * -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "--a-r-C\tbar@foo\n-pa----\tbar\n");
	pfm_free(pf);
	/* 14: a syntax error at the table line */
	CU_ASSERT_PTR_NULL(tu_load(conf, NULL));
	/* a runtime anchor's file: the table is the inline anchor's below it */
	pf = tu_load("block all\nanchor rt\n", &lo15);
	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -a rt -f -", "anchor \"foo\" {\n"
	    "  table <bar> { 198.51.100.7 }\n  pass in from <bar>\n}\n"), 0);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:1 > 203.0.113.1:53", 1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_EQUAL(pfctl15(pf, "pfctl -a * -sT", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "bar@rt/foo\n");
	pfm_free(pf);
}

int
pfm_ctl_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_ctl", NULL, teardown);

	if (s == NULL ||
	    CU_add_test(s, "-e and -d: words and statuses", test_enable_disable) == NULL ||
	    CU_add_test(s, "-T: summaries, feedback, 255 and 2", test_tables) == NULL ||
	    CU_add_test(s, "tables of a runtime anchor", test_anchor_table) == NULL ||
	    CU_add_test(s, "-F all in pfctl's order", test_flush_all) == NULL ||
	    CU_add_test(s, "-k hosts, nets, labels", test_kill) == NULL ||
	    CU_add_test(s, "-M: the matching states too", test_kill_match) == NULL ||
	    CU_add_test(s, "-sr recursion, -sA", test_show_recursion) == NULL ||
	    CU_add_test(s, "15: -a '*' -sT, name@anchor", test_show_tables15) == NULL ||
	    CU_add_test(s, "15: -T load -f", test_table_load15) == NULL ||
	    CU_add_test(s, "15: a table in an anchor's braces", test_in_anchor15) == NULL ||
	    CU_add_test(s, "-f after -s; errors keep the ruleset; -x",
	    test_load_order) == NULL ||
	    CU_add_test(s, "-sl and -z", test_labels_zero) == NULL ||
	    CU_add_test(s, "a reload keeps a called anchor; limit 0",
	    test_reload_limits) == NULL ||
	    CU_add_test(s, "set keepcounters across reloads", test_keepcounters) == NULL ||
	    CU_add_test(s, "-ss -v / -vv and -sS -v detail lines", test_state_verbose) ==
	    NULL ||
	    CU_add_test(s, "-k gateway, -k id", test_kill_gateway_id) == NULL ||
	    CU_add_test(s, "-o and the optimizer on loads", test_optimizer) == NULL)
		return (-1);
	return (0);
}
