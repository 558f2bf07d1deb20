/* pfm_optimize_test.c: pfctl's ruleset optimizer at its default level, basic (FreeBSD
 * 14 sbin/pfctl/pfctl_optimize.c, run by pfctl_load_ruleset on filter rules): rules
 * another takes in go, six or more that differ in one address become one rule on an
 * automatic table, the rest are ordered for skip steps; -o none and `set
 * ruleset-optimization` turn it off or on. FreeBSD's table.sh pr259689 and automatic
 * rely on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"

#define SIX	"{ 1.1.1.1, 1.1.1.2, 2.2.2.2, 2.2.2.3, 4.4.4.4, 4.4.4.5 }"
#define SIX_TBL	"{ 1.1.1.1 1.1.1.2 2.2.2.2 2.2.2.3 4.4.4.4 4.4.4.5 }"

/* What `pfctl -nvf` prints for conf with opts (PFM_OPT_*: -o, -n) on the test host;
 * "ERR: ..." when it does not parse. Freed by the next call. */
static const char *
nv_rel(const char *conf, int opts, int freebsd)
{
	static char *last;
	struct pfm_load_opts o;
	struct pfm_ruleset *rs;
	struct pfm_host h;
	struct diag d = { 0 };
	size_t len = 0;
	FILE *fp;
	int ok;

	memset(&o, 0, sizeof(o));
	o.file = "stdin";
	o.opts = opts;
	o.freebsd = freebsd;
	tu_host(&h);
	free(last);
	last = NULL;
	rs = pfm_ruleset_parse_all(conf, &o, &h, &d, &ok);
	if ((fp = open_memstream(&last, &len)) != NULL) {
		if (ok)
			pfm_ruleset_print(rs, fp, 1, NULL);
		else
			fprintf(fp, "ERR: %s", diag_text(&d));
		fclose(fp);
	}
	pfm_ruleset_free(rs);
	diag_free(&d);
	return (last != NULL ? last : "");
}

static const char *
nv(const char *conf, int opts)
{
	return (nv_rel(conf, opts, PFM_FREEBSD_14));
}

#define BASIC	(PFM_OPT_OPTIMIZE_BASIC | PFM_OPT_NOACTION)

/* FreeBSD 15's max-pkt-rate, max-pkt-size and once are fields pf_rule_desc does not
 * list: rules that differ in one are not the same rule, none is taken in by the
 * other. */
static void
test_fb15_fields(void)
{
	CU_ASSERT_STRING_EQUAL(nv_rel("pass in proto icmp max-pkt-rate 2/2\n"
	    "pass in proto icmp\n", BASIC, PFM_FREEBSD_15),
	    "pass in proto icmp all max-pkt-rate 2/2 keep state\n"
	    "pass in proto icmp all keep state\n");
	CU_ASSERT_STRING_EQUAL(nv_rel("pass in proto icmp max-pkt-rate 2/2\n"
	    "pass in proto icmp max-pkt-rate 3/2\n", BASIC, PFM_FREEBSD_15),
	    "pass in proto icmp all max-pkt-rate 2/2 keep state\n"
	    "pass in proto icmp all max-pkt-rate 3/2 keep state\n");
	CU_ASSERT_STRING_EQUAL(nv_rel("pass in proto icmp max-pkt-size 100\n"
	    "pass in proto icmp once\npass in proto icmp\n", BASIC, PFM_FREEBSD_15),
	    "pass in proto icmp all max-pkt-size 100 keep state\n"
	    "pass in proto icmp all keep state once\n"
	    "pass in proto icmp all keep state\n");
	/* the same rule twice is still one */
	CU_ASSERT_STRING_EQUAL(nv_rel("pass in proto icmp max-pkt-rate 2/2\n"
	    "pass in proto icmp max-pkt-rate 2/2\n", BASIC, PFM_FREEBSD_15),
	    "pass in proto icmp all max-pkt-rate 2/2 keep state\n");
}

/* table.sh pr259689: six addresses in a list, the rules differ in the source alone:
 * one rule on a table, printed (print_tabledef) before the filter rules load; five
 * stay five rules (TABLE_THRESHOLD). */
static void
test_threshold(void)
{
	CU_ASSERT_STRING_EQUAL(nv("pass in\nblock in inet from " SIX "\n", BASIC),
	    "table <__automatic_0> const " SIX_TBL "\n"
	    "pass in all flags S/SA keep state\n"
	    "block drop in inet from <__automatic_0> to any\n");
	CU_ASSERT_STRING_EQUAL(nv("block in inet from "
	    "{ 1.1.1.1, 1.1.1.2, 2.2.2.2, 2.2.2.3, 4.4.4.4 }\n", BASIC),
	    "block drop in inet from 1.1.1.1 to any\n"
	    "block drop in inet from 1.1.1.2 to any\n"
	    "block drop in inet from 2.2.2.2 to any\n"
	    "block drop in inet from 2.2.2.3 to any\n"
	    "block drop in inet from 4.4.4.4 to any\n");
	/* the destination side, a port kept, `!` kept outside the table */
	CU_ASSERT_STRING_EQUAL(nv("pass out proto tcp to " SIX " port 22\n", BASIC),
	    "table <__automatic_0> const " SIX_TBL "\n"
	    "pass out inet proto tcp from any to <__automatic_0> port = ssh "
	    "flags S/SA keep state\n");
	CU_ASSERT_STRING_EQUAL(nv("block in from { ! 1.1.1.1, ! 1.1.1.2, ! 2.2.2.2, "
	    "! 2.2.2.3, ! 4.4.4.4, ! 4.4.4.5 }\n", BASIC),
	    "table <__automatic_0> const " SIX_TBL "\n"
	    "block drop in inet from ! <__automatic_0> to any\n");
	/* pfctl -f (not -n) names it with the run's identifier */
	CU_ASSERT_STRING_EQUAL(nv("block in from " SIX "\n", PFM_OPT_OPTIMIZE_BASIC),
	    "table <__automatic_6f5e3d2c_0> const " SIX_TBL "\n"
	    "block drop in inet from <__automatic_6f5e3d2c_0> to any\n");
}

/* What does not combine: a label (a barrier), different ports, different actions
 * (two superblocks). */
static void
test_no_combine(void)
{
	const char *out;

	out = nv("block in from " SIX " label \"x\"\n", BASIC);
	CU_ASSERT(strstr(out, "table") == NULL);
	CU_ASSERT(strstr(out, "block drop in inet from 4.4.4.5 to any label \"x\"\n") !=
	    NULL);
	out = nv("block in proto tcp from { 1.1.1.1, 1.1.1.2, 1.1.1.3 } to any port 1\n"
	    "block in proto tcp from { 1.1.1.4, 1.1.1.5, 1.1.1.6 } to any port 2\n", BASIC);
	CU_ASSERT(strstr(out, "table") == NULL);
	out = nv("block in from { 1.1.1.1, 1.1.1.2, 1.1.1.3 }\n"
	    "pass in from { 1.1.1.4, 1.1.1.5, 1.1.1.6 }\n", BASIC);
	CU_ASSERT(strstr(out, "table") == NULL);
}

/* The level: -o none, `set ruleset-optimization none` (the first one counts), and -o
 * over the file's setting. */
static void
test_level(void)
{
	const char *six_rules =
	    "block drop in inet from 1.1.1.1 to any\n"
	    "block drop in inet from 1.1.1.2 to any\n"
	    "block drop in inet from 2.2.2.2 to any\n"
	    "block drop in inet from 2.2.2.3 to any\n"
	    "block drop in inet from 4.4.4.4 to any\n"
	    "block drop in inet from 4.4.4.5 to any\n";
	const char *table =
	    "table <__automatic_0> const " SIX_TBL "\n"
	    "block drop in inet from <__automatic_0> to any\n";

	CU_ASSERT_STRING_EQUAL(nv("block in from " SIX "\n",
	    PFM_OPT_OPTIMIZE_NONE | PFM_OPT_NOACTION), six_rules);
	/* no -o: the file decides, else basic */
	CU_ASSERT_STRING_EQUAL(nv("block in from " SIX "\n", PFM_OPT_NOACTION), table);
	CU_ASSERT_STRING_EQUAL(nv("set ruleset-optimization none\n"
	    "set ruleset-optimization basic\nblock in from " SIX "\n", PFM_OPT_NOACTION),
	    six_rules);
	CU_ASSERT_STRING_EQUAL(nv("set ruleset-optimization basic\nblock in from " SIX "\n",
	    PFM_OPT_NOACTION), table);
	CU_ASSERT_STRING_EQUAL(nv("set ruleset-optimization none\nblock in from " SIX "\n",
	    BASIC), table);
	CU_ASSERT_STRING_EQUAL(nv("set ruleset-optimization basic\nblock in from " SIX "\n",
	    PFM_OPT_OPTIMIZE_NONE | PFM_OPT_NOACTION), six_rules);
}

/* remove_identical_rules: a duplicate goes, and so does a rule another of the same
 * superblock takes in, whichever comes first. */
static void
test_identical(void)
{
	CU_ASSERT_STRING_EQUAL(nv("block in proto tcp to port 22\n"
	    "block in proto tcp to port 22\n", BASIC),
	    "block drop in proto tcp from any to any port = ssh\n");
	CU_ASSERT_STRING_EQUAL(nv("pass in all\npass in proto tcp to port 80\n", BASIC),
	    "pass in all flags S/SA keep state\n");
	CU_ASSERT_STRING_EQUAL(nv("pass in proto tcp to port 80\npass in all\n", BASIC),
	    "pass in all flags S/SA keep state\n");
	CU_ASSERT_STRING_EQUAL(nv("block in from 10.0.0.0/8\nblock in from 10.1.2.3\n",
	    BASIC), "block drop in inet from 10.0.0.0/8 to any\n");
	/* not when they differ in something else (keep state: another superblock) */
	CU_ASSERT_STRING_EQUAL(nv("pass in all\npass in proto tcp to port 80 no state\n",
	    BASIC), "pass in all flags S/SA keep state\n"
	    "pass in proto tcp from any to any port = http no state\n");
}

/* reorder_rules: the largest group of rules sharing a skip step field first (three
 * tcp rules: a block of their own, ordered by interface), the rest after. */
static void
test_reorder(void)
{
	CU_ASSERT_STRING_EQUAL(nv("pass in on em0 proto tcp to port 22\n"
	    "pass in on lo1 proto udp to port 53\n"
	    "pass in on em0 proto tcp to port 80\n"
	    "pass in on lo1 proto tcp to port 25\n", BASIC),
	    "pass in on em0 proto tcp from any to any port = ssh flags S/SA keep state\n"
	    "pass in on em0 proto tcp from any to any port = http flags S/SA keep state\n"
	    "pass in on lo1 proto tcp from any to any port = smtp flags S/SA keep state\n"
	    "pass in on lo1 proto udp from any to any port = domain keep state\n");
	/* as written under -o none */
	CU_ASSERT_STRING_EQUAL(nv("pass in on em0 proto tcp to port 22\n"
	    "pass in on lo1 proto udp to port 53\n"
	    "pass in on em0 proto tcp to port 80\n",
	    PFM_OPT_OPTIMIZE_NONE | PFM_OPT_NOACTION),
	    "pass in on em0 proto tcp from any to any port = ssh flags S/SA keep state\n"
	    "pass in on lo1 proto udp from any to any port = domain keep state\n"
	    "pass in on em0 proto tcp from any to any port = http flags S/SA keep state\n");
	/* an interface group breaks the superblock (superblock_inclusive): no moves */
	CU_ASSERT_STRING_EQUAL(nv("pass in on em0 proto tcp to port 22\n"
	    "pass in on lo proto udp to port 53\n"
	    "pass in on em0 proto tcp to port 80\n", BASIC),
	    "pass in on em0 proto tcp from any to any port = ssh flags S/SA keep state\n"
	    "pass in on lo proto udp from any to any port = domain keep state\n"
	    "pass in on em0 proto tcp from any to any port = http flags S/SA keep state\n");
}

/* The rules of an inline anchor are optimized on their own; the table prints after
 * the anchor's brace. */
static void
test_anchor(void)
{
	CU_ASSERT_STRING_EQUAL(nv("anchor \"a\" {\n  block in from " SIX "\n}\n", BASIC),
	    "anchor \"a\" all {\n"
	    "table <__automatic_0> const " SIX_TBL "\n"
	    "  block drop in inet from <__automatic_0> to any\n"
	    "}\n");
}

/* The rule on the table matches as the six did; pfctl -sr -vv shows the table's
 * address count (pf_tbladdr_copyout), `*` for a table that is not active. */
static void
test_match(void)
{
	struct pfm_verdict v;
	struct pfm *pf = tu_must_load("pass in all no state\n"
	    "block in inet from " SIX "\n"
	    "pass in from <nothere>\n"
	    "table <two> { 10.0.0.1 10.0.0.2 }\npass out to <two>\n");

	tu_send(pf, PFM_IN, "em0", "udp 2.2.2.3:1000 > 203.0.113.1:53", 1000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	tu_send(pf, PFM_IN, "em0", "udp 2.2.2.4:1000 > 203.0.113.1:53", 1001, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(strstr(tu_rules_vv(pf), "@1 block drop in inet from "
	    "<__automatic_6f5e3d2c_0:6> to any\n") != NULL);
	CU_ASSERT(strstr(tu_rules_vv(pf), "from <nothere:*> to any") != NULL);
	CU_ASSERT(strstr(tu_rules_vv(pf), "to <two:2> flags") != NULL);
	pfm_free(pf);
}

int
pfm_optimize_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_optimize", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "six addresses become a table, five do not", test_threshold) ==
	    NULL ||
	    CU_add_test(s, "labels, ports, actions keep rules apart", test_no_combine) ==
	    NULL ||
	    CU_add_test(s, "-o and set ruleset-optimization", test_level) == NULL ||
	    CU_add_test(s, "rules another takes in go", test_identical) == NULL ||
	    CU_add_test(s, "reordered for skip steps", test_reorder) == NULL ||
	    CU_add_test(s, "inline anchors optimized on their own", test_anchor) == NULL ||
	    CU_add_test(s, "the table rule matches; -sr -vv counts", test_match) == NULL ||
	    CU_add_test(s, "15's max-pkt-rate, max-pkt-size, once keep rules apart",
	    test_fb15_fields) == NULL)
		return (-1);
	return (0);
}
