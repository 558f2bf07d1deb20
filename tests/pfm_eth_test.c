/* pfm_eth_test.c: FreeBSD 14's ether rules in the model (harness/pf/eval/pfm_eth.c)
 * against pf.c's pf_test_eth_rule: last match unless quick, interface and direction,
 * the EtherType of an IP packet, l3 addresses and tables, inline, named and wildcard
 * anchors (an anchor's quick has no effect, a quick rule inside ends the walk), tags
 * that reach the IP rules, default pass, loopbacks untouched; the refusal of what the
 * model cannot evaluate, pfctl -s ether (pfctl_show_eth_rules) and -F ethernet. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"
#include "tutil.h"

static struct pfm_verdict v;

#define PING4	"icmp echo-request 198.51.100.1 > 203.0.113.1 id 7 seq 1"
#define PING4B	"icmp echo-request 198.51.100.3 > 203.0.113.1 id 7 seq 1"
#define PING6	"icmp6 echo-request 2001:db8::7 > 2001:db8::1 id 7 seq 1"
#define REPLY4	"icmp echo-reply 203.0.113.1 > 198.51.100.3 id 7 seq 1"

/* The verdict of one packet: "pass" or "block". */
static const char *
verdict(struct pfm *pf, enum pfm_dir dir, const char *ifname, const char *pkt)
{
	if (tu_send(pf, dir, ifname, pkt, 1000, &v, NULL) != 0)
		return ("error");
	return (v.action == PFM_PASS ? "pass" : "block");
}

static const char *
in_em0(struct pfm *pf, const char *pkt)
{
	return (verdict(pf, PFM_IN, "em0", pkt));
}

/* Last match wins unless quick; no match passes (the IP rules then decide). */
static void
test_last_match(void)
{
	struct pfm *pf;

	pf = tu_must_load("ether block\nether pass\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	CU_ASSERT_PTR_NOT_NULL(v.eth);
	pfm_free(pf);
	pf = tu_must_load("ether pass\nether block\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v.eth);
	CU_ASSERT_EQUAL(v.eth->action, PFM_R_BLOCK);
	CU_ASSERT_PTR_NULL(v.filter);	/* the IP rules never saw it */
	pfm_free(pf);
	pf = tu_must_load("ether block quick\nether pass\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	pfm_free(pf);
	/* nothing matches: pass, and the IP rules decide */
	pf = tu_must_load("ether block on em1\nblock in all\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	CU_ASSERT_PTR_NULL(v.eth);
	CU_ASSERT_PTR_NOT_NULL(v.filter);
	pfm_free(pf);
}

/* Interface (and group, and !), direction; loopbacks have no Ethernet hook. */
static void
test_interface_direction(void)
{
	struct pfm *pf;

	pf = tu_must_load("ether block out on em0\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	CU_ASSERT_STRING_EQUAL(verdict(pf, PFM_OUT, "em0", REPLY4), "block");
	pfm_free(pf);
	pf = tu_must_load("ether block in on ! em0\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	pfm_free(pf);
	pf = tu_must_load("ether block\n");
	CU_ASSERT_STRING_EQUAL(verdict(pf, PFM_IN, "lo0",
	    "icmp echo-request 127.0.0.1 > 127.0.0.1 id 7 seq 1"), "pass");
	CU_ASSERT_PTR_NULL(v.eth);
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	pfm_free(pf);
}

/* The EtherType of an IP packet: 0x0800 or 0x86dd; ARP's never comes here. */
static void
test_proto(void)
{
	struct pfm *pf;

	pf = tu_must_load("ether block proto 0x0800\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING6), "pass");
	pfm_free(pf);
	pf = tu_must_load("ether block proto { 0x86dd, 0x0806 }\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING6), "block");
	pfm_free(pf);
	pf = tu_must_load("ether block proto 0x0810\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	pfm_free(pf);
}

/* l3 from/to: addresses (the rule's family sets its EtherType), negation, tables. */
static void
test_l3(void)
{
	struct pfm *pf;

	pf = tu_must_load("ether pass\nether block in l3 from 198.51.100.1\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4B), "pass");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING6), "pass");
	pfm_free(pf);
	pf = tu_must_load("ether block in l3 from ! 198.51.100.0/31\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4B), "block");
	pfm_free(pf);
	pf = tu_must_load("table <bad> { 198.51.100.3 2001:db8::7 }\n"
	    "ether block l3 from <bad>\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4B), "block");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING6), "block");
	pfm_free(pf);
	pf = tu_must_load("ether block out l3 to 198.51.100.3\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4B), "pass");
	CU_ASSERT_STRING_EQUAL(verdict(pf, PFM_OUT, "em0", REPLY4), "block");
	pfm_free(pf);
}

/* Anchors: an inline one's rules in place when the anchor rule matches; a quick
 * rule inside ends the walk; the anchor rule's own quick does nothing (the frame is
 * never marked matched in pf_test_eth_rule). */
static void
test_anchor(void)
{
	struct pfm *pf;

	pf = tu_must_load("ether anchor \"foo\" in on lo0 {\n\tether block\n}\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	pfm_free(pf);
	pf = tu_must_load("ether block in\nether anchor \"foo\" in on em0 {\n"
	    "\tether pass\n}\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	pfm_free(pf);
	pf = tu_must_load("ether pass\nether anchor \"bar\" in on em0 {\n"
	    "\tether block\n}\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	pfm_free(pf);
	pf = tu_must_load("ether anchor {\n\tether pass quick\n}\nether block\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	pfm_free(pf);
	pf = tu_must_load("ether anchor quick {\n\tether pass\n}\nether block\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	pfm_free(pf);
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

/* A named anchor takes the ether rules of the anchor of its path (a `load anchor`
 * file's); a wildcard each child in name order. */
static void
test_named_anchor(void)
{
	struct pfm_load_opts o;
	struct pfm *pf;

	tu_opts(&o, "t.conf", 0);
	o.basedir = tut_tmp_dir();
	put_file("eb.conf", "ether block l3 from 198.51.100.1\n");
	put_file("ep.conf", "ether pass\n");
	pf = tu_load("ether anchor \"e\"\nload anchor \"e\" from \"eb.conf\"\n", &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4B), "pass");
	pfm_free(pf);
	/* w/a then w/b, whatever the load order: b's block is the last match for .1,
	 * a's pass for .3 */
	pf = tu_load("ether anchor \"w/*\"\nload anchor \"w/b\" from \"eb.conf\"\n"
	    "load anchor \"w/a\" from \"ep.conf\"\n", &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4B), "pass");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v.eth);
	CU_ASSERT_EQUAL(v.eth->action, PFM_R_PASS);
	pfm_free(pf);
}

/* A passing rule's tag reaches the IP rules' tagged; a blocking or unmatched walk
 * tags nothing; tagged in an ether rule sees the packet's tag (none on entry). */
static void
test_tag(void)
{
	struct pfm *pf;

	pf = tu_must_load("ether pass tag L2\nblock in all\npass in tagged L2\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	CU_ASSERT_STRING_EQUAL(pfm_tag_name(pf, v.tag), "L2");
	pfm_free(pf);
	pf = tu_must_load("ether pass\nblock in all\npass in tagged L2\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	pfm_free(pf);
	/* a later rule's tag replaces an earlier one's; a rule that tags and does
	 * not decide still tags (pf_test_eth_rule keeps the tag of every match) */
	pf = tu_must_load("ether pass tag A\nether pass tag B\n"
	    "block in all\npass in tagged B\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	pfm_free(pf);
	pf = tu_must_load("ether pass tag A\nether pass\nblock in all\npass in tagged A\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	pfm_free(pf);
	pf = tu_must_load("ether block tag A\nblock in all\npass in tagged A\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	CU_ASSERT_EQUAL(v.tag, 0);
	pfm_free(pf);
	pf = tu_must_load("ether block\nether pass tagged X\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	pfm_free(pf);
	pf = tu_must_load("ether block\nether pass ! tagged X\n");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	pfm_free(pf);
}

/* MAC addresses and bridge-to cannot be evaluated: the load is refused at the line,
 * not as a syntax error; the previous ruleset stays. */
static void
test_refuse(void)
{
	struct pfm_load_opts o;
	struct pfm *pf = tu_must_load("ether block\n");

	tu_opts(&o, "pf.conf", 0);
	CU_ASSERT_EQUAL(tu_load_into(pf, "ether pass\nether pass from 00:01:02:03:04:05\n",
	    &o), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_msgs, "pf.conf:2: ether rule: "
	    "'from/to MAC address' is not modelled"));
	CU_ASSERT_PTR_NULL(strstr(tu_msgs, "syntax error"));
	CU_ASSERT_EQUAL(pfm_load_refused15(pf), 1);
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");	/* the old one */
	CU_ASSERT_EQUAL(tu_load_into(pf, "ether anchor {\n\tether block to "
	    "00:01:02:03:04:05/24\n}\n", &o), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_msgs, "pf.conf:2: ether rule"));
	CU_ASSERT_EQUAL(tu_load_into(pf, "ether pass bridge-to em1\n", &o), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_msgs, "pf.conf:1: ether rule: "
	    "'bridge-to' is not modelled"));
	pfm_free(pf);
}

/* pfctl -s ether: print_eth_rule's lines, an unnamed inline anchor in braces, the
 * counters with -v (evaluations, packets and bytes of the frame: 14 + IP length,
 * 28 for this ping). */
static void
test_show(void)
{
	struct pfm *pf = tu_must_load("ether pass in on em0 proto 0x0800\n"
	    "ether anchor {\n\tether block l3 from 198.51.100.3\n}\n");
	struct tu_run r = { 0 };

	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	CU_ASSERT_EQUAL(tu_pfctl(pf, 2000, "pfctl -s ether", NULL, &r), 0);
	CU_ASSERT_STRING_EQUAL(r.out,
	    "ether pass in on em0 proto 0x0800 l3 all\n"
	    "ether anchor l3 all {\n"
	    "  ether block proto 0x0800 l3 from 198.51.100.3 to any\n"
	    "}\n");
	CU_ASSERT_EQUAL(tu_pfctl(pf, 2000, "pfctl -v -s ether", NULL, &r), 0);
	CU_ASSERT_STRING_EQUAL(r.out,
	    "ether pass in on em0 proto 0x0800 l3 all\n"
	    "  [ Evaluations: 1         Packets: 1         Bytes: 42        ]\n"
	    "ether anchor l3 all {\n"
	    "  [ Evaluations: 1         Packets: 0         Bytes: 0         ]\n"
	    "ether block proto 0x0800 l3 from 198.51.100.3 to any\n"
	    "  [ Evaluations: 1         Packets: 0         Bytes: 0         ]\n"
	    "}\n");
	free(r.out);
	free(r.err);
	pfm_free(pf);
}

/* pfctl -F ethernet (and -F all) clears the ether rules: the packet they blocked
 * passes; the IP rules stay. */
static void
test_flush(void)
{
	struct pfm *pf = tu_must_load("ether block l3 from 198.51.100.1\n"
	    "block in from 198.51.100.3\n");
	struct tu_run r = { 0 };

	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	CU_ASSERT_EQUAL(tu_pfctl(pf, 2000, "pfctl -F ethernet", NULL, &r), 0);
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4B), "block");
	free(r.out);
	free(r.err);
	pfm_free(pf);
}

/* pfctl -a NAME -f: the file's ether rules go into the anchor of that path (an
 * `ether anchor "NAME"` then walks them), replace what it held, stay across a
 * reload of the main ruleset; a MAC rule there is refused as at a load. */
static void
test_runtime_anchor(void)
{
	struct pfm *pf = tu_must_load("ether anchor \"e\"\n");
	struct tu_run r = { 0 };

	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	CU_ASSERT_EQUAL(tu_pfctl(pf, 2000, "pfctl -a e -f -",
	    "ether block l3 from 198.51.100.1\n", &r), 0);
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "block");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4B), "pass");
	CU_ASSERT_EQUAL(tu_pfctl(pf, 2000, "pfctl -a e -f -",
	    "ether block l3 from 198.51.100.3\n", &r), 0);
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4), "pass");
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4B), "block");
	CU_ASSERT_EQUAL(tu_pfctl(pf, 2000, "pfctl -f -", "ether anchor \"e\"\npass\n",
	    &r), 0);
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4B), "block");
	CU_ASSERT_NOT_EQUAL(tu_pfctl(pf, 2000, "pfctl -a e -f -",
	    "ether pass from 00:01:02:03:04:05\n", &r), 0);
	CU_ASSERT_STRING_EQUAL(in_em0(pf, PING4B), "block");
	free(r.out);
	free(r.err);
	pfm_free(pf);
}

int
pfm_eth_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("pfm_eth", NULL, NULL,
	    tut_tmp_setup, tut_tmp_teardown);

	if (s == NULL ||
	    CU_add_test(s, "last match, quick, default pass", test_last_match) == NULL ||
	    CU_add_test(s, "interface, direction, loopback", test_interface_direction) ==
	    NULL ||
	    CU_add_test(s, "proto: the EtherType of IP", test_proto) == NULL ||
	    CU_add_test(s, "l3 from/to, tables", test_l3) == NULL ||
	    CU_add_test(s, "inline anchors and quick", test_anchor) == NULL ||
	    CU_add_test(s, "named and wildcard anchors", test_named_anchor) == NULL ||
	    CU_add_test(s, "tag reaches tagged", test_tag) == NULL ||
	    CU_add_test(s, "MAC and bridge-to refused", test_refuse) == NULL ||
	    CU_add_test(s, "pfctl -s ether", test_show) == NULL ||
	    CU_add_test(s, "pfctl -F ethernet", test_flush) == NULL ||
	    CU_add_test(s, "pfctl -a NAME -f with ether rules", test_runtime_anchor) == NULL)
		return (-1);
	return (0);
}
