/* pfm_anchor_test.c: anchors in the pf model: how pfctl parses and prints them
 * (inline, nested, wildcard, nat-/rdr-/binat-anchor, load anchor, pfctl's errors) and
 * how pf walks them (pf_step_into_anchor: last match across the anchor, quick inside,
 * `anchor ... quick`, wildcards, translation anchors, anchors never loaded). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"
#include "tutil.h"

static struct pfm_verdict v;
static struct pkt out;

/* A pf for the test host with conf loaded (files relative to the test's own folder);
 * NULL, with the messages on stderr, when it does not load. */
static struct pfm *
load(const char *conf)
{
	struct pfm_load_opts o;

	memset(&o, 0, sizeof(o));
	o.file = "t.conf";
	o.basedir = tut_tmp_dir();
	return (tu_load(conf, &o));
}

/* What `pfctl -o none -nvf` prints for conf, or the errors when it does not parse. */
static char *
parse(const char *conf, int *ok)
{
	struct pfm_load_opts o;

	memset(&o, 0, sizeof(o));
	o.file = "stdin";
	o.basedir = tut_tmp_dir();
	return (tu_parse(conf, &o, NULL, ok));
}

static void
put_file(const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *fp;

	tut_tmp_path(path, sizeof(path), name);
	CU_ASSERT_FATAL((fp = fopen(path, "w")) != NULL);
	fputs(text, fp);
	fclose(fp);
}

static const char *
verdict(struct pfm *pf, const char *pkt)
{
	if (tu_send(pf, PFM_IN, "em0", pkt, 1000, &v, &out) != 0)
		return ("error");
	return (v.action == PFM_PASS ? "pass" : "block");
}

static int
filter_line(void)
{
	int line = 0;

	pfm_rule_origin(v.filter, &line);
	return (line);
}

static void
test_print_inline(void)
{
	int ok;
	char *s = parse("anchor on em0 {\n"
	    "\tanchor foo out {\n"
	    "\t\tpass proto tcp to port 1234\n"
	    "\t\tanchor proto tcp to port 2413 label \"foo\" {\n"
	    "\t\t\tblock\n"
	    "\t\t}\n"
	    "\t}\n"
	    "\tpass in proto tcp to port 1234\n"
	    "}\n"
	    "anchor \"a/b\"\n"
	    "anchor \"relayd/*\" in quick\n", &ok);

	CU_ASSERT(ok);
	CU_ASSERT_STRING_EQUAL(s,
	    "anchor on em0 all {\n"
	    "  anchor \"foo\" out all {\n"
	    "    pass proto tcp from any to any port = 1234 flags S/SA keep state\n"
	    "    anchor proto tcp from any to any port = 2413 label \"foo\" {\n"
	    "      block drop all\n"
	    "    }\n"
	    "  }\n"
	    "  pass in proto tcp from any to any port = 1234 flags S/SA keep state\n"
	    "}\n"
	    "anchor \"a/b\" all\n"
	    "anchor \"relayd/*\" in quick all\n");
	free(s);
}

static void
test_print_translation(void)
{
	int ok;
	char *s = parse("nat-anchor \"n\" on em0 inet from 10.0.0.0/8\n"
	    "rdr-anchor \"r\" on em0 proto tcp to port 80\n"
	    "binat-anchor \"b\" inet proto tcp\n"
	    "anchor \"f\"\n", &ok);

	CU_ASSERT(ok);
	CU_ASSERT_STRING_EQUAL(s,
	    "nat-anchor \"n\" on em0 inet from 10.0.0.0/8 to any\n"
	    "rdr-anchor \"r\" on em0 proto tcp from any to any port = http\n"
	    "binat-anchor \"b\" inet proto tcp all\n"
	    "anchor \"f\" all\n");
	free(s);
}

/* pfctl's messages for anchors it refuses. */
static void
test_errors(void)
{
	static const struct { const char *conf, *msg; } c[] = {
		{ "anchor\n", "stdin:1: anchors without explicit rules must specify a "
		    "name" },
		{ "anchor \"_x\"\n", "stdin:1: anchor names beginning with '_' are "
		    "reserved for internal use" },
		{ "anchor \"a/_x\"\n", "reserved for internal use" },
		{ "anchor \"a\" keep state\n", "stdin:1: cannot specify state handling "
		    "on anchors" },
		{ "anchor \"a/b\" {\npass\n}\n", "stdin:3: anchor paths containing '/' "
		    "cannot be used for inline anchors." },
		{ "anchor \"a\" {\npass\n}\nanchor \"a\" {\npass\n}\n",
		    "inline anchor 'a' already exists" },
		{ "rdr-anchor \"r\" proto tcp from any port 80\n", "source port "
		    "parameter not supported in rdr-anchor" },
		{ "rdr-anchor \"r\" proto tcp to port > 80\n", "destination port "
		    "operators not supported in rdr-anchor" },
		{ "binat-anchor \"b\" from 10.0.0.1\n", "fromto parameter not supported "
		    "in binat-anchor" },
		{ "anchor \"a\" { pass }\n", "stdin:1: syntax error" },
		{ "anchor \"a\" proto udp flags S/SA\n", "flags only apply to tcp" },
		{ "pass\nnat-anchor \"n\"\n", "Rules must be in order" },
		/* rule_label checks an anchor rule's label as a filter rule's */
		{ "anchor \"a\" label \"0123456789012345678901234567890123456789"
		    "012345678901234567890123\"\n",
		    "stdin:1: rule label too long (max 63 chars)" },
	};
	size_t i;
	int ok;
	char *s;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		s = parse(c[i].conf, &ok);
		CU_ASSERT(!ok);
		if (strstr(s, c[i].msg) == NULL)
			fprintf(stderr, "case %zu: want \"%s\" in:\n%s", i, c[i].msg, s);
		CU_ASSERT(strstr(s, c[i].msg) != NULL);
		free(s);
	}
}

/* A match inside an anchor is the last match so far: later main rules still count. */
static void
test_last_match_continues(void)
{
	struct pfm *pf = load(
	    "anchor \"a\" in on em0 proto tcp {\n"
	    "  pass in proto tcp to port 80\n"		/* line 2 */
	    "}\n"
	    "block in on em0 proto tcp to port 80\n");	/* line 4 */

	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40001 > 203.0.113.1:80 S"),
	    "block");
	CU_ASSERT_EQUAL(filter_line(), 4);
	pfm_free(pf);
	pf = load("block in on em0\n"
	    "anchor \"a\" in on em0 proto tcp {\n"
	    "  pass in proto tcp to port 80\n"
	    "}\n");
	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40002 > 203.0.113.1:80 S"),
	    "pass");
	CU_ASSERT_EQUAL(filter_line(), 3);
	CU_ASSERT_STRING_EQUAL(pfm_rule_anchor(v.filter), "a");
	CU_ASSERT(v.state_created);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40003 > 203.0.113.1:81 S"),
	    "block");
	CU_ASSERT_STRING_EQUAL(pfm_rule_anchor(v.filter), "");
	pfm_free(pf);
}

/* quick inside an anchor ends the whole evaluation. */
static void
test_quick_inside(void)
{
	struct pfm *pf = load(
	    "anchor \"a\" {\n"
	    "  block in quick proto tcp to port 81\n"
	    "}\n"
	    "pass in all\n");

	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40001 > 203.0.113.1:81 S"),
	    "block");
	CU_ASSERT_EQUAL(filter_line(), 2);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40001 > 203.0.113.1:82 S"),
	    "pass");
	CU_ASSERT_EQUAL(filter_line(), 4);
	pfm_free(pf);
}

/* anchor ... quick: evaluation ends after the anchor when one of its rules matched,
 * and goes on when none did. */
static void
test_anchor_quick(void)
{
	struct pfm *pf = load(
	    "anchor \"q\" in quick on em0 proto tcp {\n"
	    "  pass in proto tcp to port 82\n"
	    "}\n"
	    "block in on em0 all\n");

	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40001 > 203.0.113.1:82 S"),
	    "pass");
	CU_ASSERT_EQUAL(filter_line(), 2);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40002 > 203.0.113.1:83 S"),
	    "block");
	CU_ASSERT_EQUAL(filter_line(), 4);
	pfm_free(pf);
}

/* An anchor rule that does not match the packet skips its rules; an anchor named but
 * never loaded is empty (no `pfctl -a` in the model). */
static void
test_anchor_rule_match_and_empty(void)
{
	struct pfm *pf = load(
	    "block in all\n"
	    "anchor \"u\" in on em0 proto udp {\n"
	    "  pass in all\n"
	    "}\n"
	    "anchor \"never/loaded\" quick\n"
	    "anchor \"wild/*\" quick\n");

	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40001 > 203.0.113.1:80 S"),
	    "block");
	CU_ASSERT_EQUAL(filter_line(), 1);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "udp 198.51.100.7:40001 > 203.0.113.1:53"),
	    "pass");
	CU_ASSERT_EQUAL(filter_line(), 3);
	pfm_free(pf);
}

/* pf_step_out_of_anchor: the match flag is reset when stepping into an anchor, so a
 * quick outer anchor whose own rule matched before an inner anchor that matched
 * nothing does not end the evaluation. */
static void
test_nested_match_flag(void)
{
	struct pfm *pf = load(
	    "anchor \"o\" quick {\n"
	    "  pass in proto tcp to port 80\n"
	    "  anchor \"i\" {\n"
	    "    pass in proto udp\n"
	    "  }\n"
	    "}\n"
	    "block in proto tcp to port 80\n");

	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40001 > 203.0.113.1:80 S"),
	    "block");
	CU_ASSERT_EQUAL(filter_line(), 7);
	pfm_free(pf);
}

/* Wildcard anchors walk each child in name order; load anchor fills them. */
static void
test_wildcard_and_load(void)
{
	struct pfm *pf;
	char *s;
	int ok;

	put_file("b.conf", "pass in proto tcp to port 80\n");
	put_file("a.conf", "block in proto tcp to port 80\n");
	pf = load("block in all\n"
	    "anchor \"jails/*\"\n"
	    "load anchor \"jails/b\" from \"b.conf\"\n"
	    "load anchor \"jails/a\" from \"a.conf\"\n");
	CU_ASSERT_FATAL(pf != NULL);
	/* jails/a then jails/b: the last match is b's pass */
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40001 > 203.0.113.1:80 S"),
	    "pass");
	CU_ASSERT_STRING_EQUAL(pfm_rule_anchor(v.filter), "jails/b");
	pfm_free(pf);
	s = parse("anchor \"jails/*\"\nload anchor \"jails/b\" from \"b.conf\"\n", &ok);
	CU_ASSERT(ok);
	CU_ASSERT_STRING_EQUAL(s, "anchor \"jails/*\" all\n"
	    "pass in proto tcp from any to any port = http flags S/SA keep state\n");
	free(s);
	s = parse("load anchor \"x\" from \"missing.conf\"\n", &ok);
	CU_ASSERT(!ok);
	CU_ASSERT(strstr(s, "load anchors") != NULL);
	free(s);
}

/* rdr-anchor and nat-anchor: the translation rulesets step into anchors too, first
 * match wins inside them. */
static void
test_translation_anchors(void)
{
	struct pfm *pf;

	put_file("rdr.conf", "rdr on em0 proto tcp to port 8080 -> 10.99.0.3 port 80\n"
	    "no rdr on em0 proto tcp to port 8081\n"
	    "rdr on em0 proto tcp to port 8081 -> 10.99.0.3 port 81\n");
	put_file("nat.conf", "nat on em0 from 10.99.0.0/28 -> 203.0.113.1\n");
	pf = load("rdr-anchor \"jails\" on em0\n"
	    "nat-anchor \"out\"\n"
	    "load anchor \"jails\" from \"rdr.conf\"\n"
	    "load anchor \"out\" from \"nat.conf\"\n"
	    "pass all\n");
	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40001 > 203.0.113.1:8080 S"),
	    "pass");
	CU_ASSERT_FATAL(v.trans != NULL);
	CU_ASSERT_STRING_EQUAL(pfm_rule_anchor(v.trans), "jails");
	CU_ASSERT_STRING_EQUAL(pkt_format(&out, (char[256]){ 0 }, 256),
	    "tcp 198.51.100.7:40001 > 10.99.0.3:80 S seq 1000 win 65535");
	CU_ASSERT_STRING_EQUAL(verdict(pf, "tcp 198.51.100.7:40001 > 203.0.113.1:8081 S"),
	    "pass");
	CU_ASSERT(v.trans == NULL);	/* no rdr matched first */
	CU_ASSERT_EQUAL(tu_send(pf, PFM_OUT, "em0", "tcp 10.99.0.2:40000 > 198.51.100.7:443 S",
	    2000, &v, &out), 0);
	CU_ASSERT_FATAL(v.trans != NULL);
	CU_ASSERT_STRING_EQUAL(pfm_rule_anchor(v.trans), "out");
	pfm_free(pf);
	/* rdr-anchor "jails" on em0 does not apply on lo1 */
	pf = load("rdr-anchor \"jails\" on em0\nload anchor \"jails\" from \"rdr.conf\"\n");
	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "lo1", "tcp 10.99.0.2:40000 > 203.0.113.1:8080 S",
	    1000, &v, &out), 0);
	CU_ASSERT(v.trans == NULL);
	pfm_free(pf);
}

/* pfctl -sr -vv: an anchor's rules in braces after it, with their counters. */
static void
test_show_rules(void)
{
	struct pfm *pf = load("anchor \"a\" in {\n  pass in proto tcp to port 80\n}\n");
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	CU_ASSERT_FATAL(pf != NULL);
	verdict(pf, "tcp 198.51.100.7:40001 > 203.0.113.1:80 S");
	fp = open_memstream(&buf, &len);
	pfm_show_rules(pf, fp, 0);
	fclose(fp);
	CU_ASSERT_STRING_EQUAL(buf, "anchor \"a\" in all {\n"
	    "  pass in proto tcp from any to any port = http flags S/SA keep state\n"
	    "}\n");
	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	pfm_show_rules(pf, fp, 1);
	fclose(fp);
	CU_ASSERT(strstr(buf, "@0 anchor \"a\" in all {\n  [ Evaluations: 1 ") != NULL);
	CU_ASSERT(strstr(buf, "@0 pass in proto tcp from any to any port = http flags "
	    "S/SA keep state\n  [ Evaluations: 1         Packets: 1 ") != NULL);
	CU_ASSERT(strstr(buf, "]\n}\n") != NULL);
	free(buf);
	pfm_free(pf);
}

/* pf_test counts the anchor rule a match was made in (the main ruleset's, pf's `a`)
 * with the rule: on the packet that made the state and on every packet through it
 * (s->anchor), and the state in its States (STATE_INC_COUNTERS). A nested anchor
 * rule is only evaluated. */
static void
test_anchor_counters(void)
{
	struct pfm *pf = load("anchor \"foo\" {\n  anchor \"bar\" {\n    pass\n  }\n}\n"
	    "anchor \"blk\" {\n  block proto udp\n}\n");
	const struct pfm_rule *foo, *bar, *blk;

	CU_ASSERT_FATAL(pf != NULL);
	foo = pf->rs->rules;
	blk = foo->next;
	bar = foo->anchor->rules;
	CU_ASSERT_FATAL(bar != NULL && blk != NULL);
	CU_ASSERT_STRING_EQUAL(verdict(pf, "icmp echo-request 198.51.100.7 > 203.0.113.1 "
	    "id 7 seq 1"), "pass");
	CU_ASSERT_EQUAL(tu_send(pf, PFM_OUT, "em0", "icmp echo-reply 203.0.113.1 > "
	    "198.51.100.7 id 7 seq 1", 1001, &v, &out), 0);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(v.state_hit);
	tu_rules_vv(pf);	/* the views copy the evaluations onto the rules */
	CU_ASSERT_EQUAL(foo->evaluations, 1);
	CU_ASSERT_EQUAL(foo->packets[0], 1);
	CU_ASSERT_EQUAL(foo->packets[1], 1);
	CU_ASSERT_EQUAL(foo->bytes[0] + foo->bytes[1], 2 * 28);
	CU_ASSERT_EQUAL(foo->states_cur, 1);
	CU_ASSERT_EQUAL(foo->states_tot, 1);
	CU_ASSERT_EQUAL(bar->evaluations, 1);
	CU_ASSERT_EQUAL(bar->packets[0] + bar->packets[1], 0);
	CU_ASSERT_EQUAL(bar->states_tot, 0);
	pfm_flush_states(pf);
	CU_ASSERT_EQUAL(foo->states_cur, 0);
	CU_ASSERT_EQUAL(foo->states_tot, 1);
	/* a block inside an anchor counts its anchor rule too, and only the anchor of
	 * the last match counts (foo's pass matched first) */
	CU_ASSERT_STRING_EQUAL(verdict(pf, "udp 198.51.100.7:4000 > 203.0.113.1:53"),
	    "block");
	CU_ASSERT_EQUAL(blk->packets[0], 1);
	CU_ASSERT_EQUAL(foo->packets[0], 1);
	pfm_free(pf);
}

int
pfm_anchor_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("pfm_anchor", NULL, NULL,
	    tut_tmp_setup, tut_tmp_teardown);

	if (s == NULL ||
	    CU_add_test(s, "inline, nested, named and wildcard anchors print as pfctl",
	    test_print_inline) == NULL ||
	    CU_add_test(s, "nat-/rdr-/binat-anchor print as pfctl",
	    test_print_translation) == NULL ||
	    CU_add_test(s, "pfctl's anchor errors", test_errors) == NULL ||
	    CU_add_test(s, "a match inside an anchor is last match so far",
	    test_last_match_continues) == NULL ||
	    CU_add_test(s, "quick inside an anchor ends evaluation",
	    test_quick_inside) == NULL ||
	    CU_add_test(s, "anchor quick ends after a matching anchor",
	    test_anchor_quick) == NULL ||
	    CU_add_test(s, "anchor rule must match; unloaded anchors are empty",
	    test_anchor_rule_match_and_empty) == NULL ||
	    CU_add_test(s, "the match flag across nested anchors",
	    test_nested_match_flag) == NULL ||
	    CU_add_test(s, "wildcard anchors and load anchor",
	    test_wildcard_and_load) == NULL ||
	    CU_add_test(s, "rdr-anchor and nat-anchor", test_translation_anchors) == NULL ||
	    CU_add_test(s, "pfctl -sr shows anchor contents", test_show_rules) == NULL ||
	    CU_add_test(s, "an anchor rule counts the packets and states of its match",
	    test_anchor_counters) == NULL)
		return (-1);
	return (0);
}
