/* pfm_src15_test.c: FreeBSD 15's source tracking on the model (pfm_src15.c and the
 * 15 branches of pfm_src.c): max-src-states counted as main's pf_insert_src_node
 * counts it, `source-track global` sharing one node across rules, nodes by type
 * (limit, NAT/RDR sticky, route sticky) and how pfctl -vsS and -vss print them, a
 * route node whose gateway left its table replaced; 14's behaviour beside each. */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"

static struct pfm_verdict v;
static struct pkt out;
static struct tu_run run;

static struct pfm *
load(const char *conf, int freebsd)
{
	struct pfm_load_opts o;
	struct pfm *pf;

	memset(&o, 0, sizeof(o));
	o.file = "stdin";
	o.freebsd = freebsd;
	pf = tu_load(conf, &o);
	CU_ASSERT_FATAL(pf != NULL);
	return (pf);
}

static int
syn(struct pfm *pf, const char *src, int sport, int dport)
{
	char p[160];

	snprintf(p, sizeof(p), "tcp %s:%d > 203.0.113.1:%d S seq 1000", src, sport, dport);
	tu_send(pf, PFM_IN, "em0", p, 1000, &v, &out);
	return (v.action == PFM_PASS);
}

/* What pfctl prints for words (the model's pfctl, at the tests' clock). */
static const char *
ctl(struct pfm *pf, const char *words)
{
	tu_pfctl(pf, 1000, words, NULL, &run);
	return (run.out != NULL ? run.out : "");
}

/* 15 compares the node's states before counting the new one: max-src-states 3 gives
 * a source three states (14: two). */
static void
test_max_src_states(void)
{
	static const char conf[] = "pass in on em0 proto tcp to port 80 keep state "
	    "(max-src-states 3, source-track rule)\n";
	struct pfm *pf;
	int ver, i, got;

	for (ver = PFM_FREEBSD_14; ver <= PFM_FREEBSD_15; ver++) {
		if (ver != PFM_FREEBSD_14 && ver != PFM_FREEBSD_15)
			continue;
		pf = load(conf, ver);
		for (got = 0, i = 0; i < 5; i++)
			got += syn(pf, "198.51.100.7", 40001 + i, 80);
		CU_ASSERT_EQUAL(got, ver == PFM_FREEBSD_15 ? 3 : 2);
		CU_ASSERT_STRING_EQUAL(v.reason, "src-limit");
		/* another source has its own node */
		CU_ASSERT(syn(pf, "198.51.100.8", 40010, 80));
		pfm_free(pf);
	}
}

/* source-track global: 15 keys the limit node by the default rule, so two rules
 * share a source's node and each holds its own max-src-states against it; 14 keeps
 * one node per rule. `source-track rule` shares nothing in either. */
static void
test_global_shared(void)
{
	static const char global[] =
	    "pass in on em0 proto tcp to port 80 keep state (max-src-states 3, "
	    "source-track global)\n"
	    "pass in on em0 proto tcp to port 81 keep state (max-src-states 4, "
	    "source-track global)\n";
	static const char rule[] =
	    "pass in on em0 proto tcp to port 80 keep state (max-src-states 3, "
	    "source-track rule)\n"
	    "pass in on em0 proto tcp to port 81 keep state (max-src-states 4, "
	    "source-track rule)\n";
	struct pfm *pf;

	pf = load(global, PFM_FREEBSD_15);
	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80));
	CU_ASSERT(syn(pf, "198.51.100.7", 40002, 80));
	CU_ASSERT(syn(pf, "198.51.100.7", 40003, 80));
	CU_ASSERT(!syn(pf, "198.51.100.7", 40004, 80));	/* rule 0's 3 reached */
	CU_ASSERT(syn(pf, "198.51.100.7", 40005, 81));	/* rule 1's 4 not yet */
	CU_ASSERT(!syn(pf, "198.51.100.7", 40006, 81));
	CU_ASSERT_EQUAL(pfm_src_count(pf), 1);
	/* the default rule's node: no rule number, typed */
	CU_ASSERT_PTR_NOT_NULL(strstr(ctl(pf, "pfctl -sS -v"),
	    "198.51.100.7 -> 0.0.0.0 ( states 4, connections 0, rate 0.0/0s )\n"
	    "   age 00:00:00, 4 pkts, 160 bytes, limit source-track\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctl(pf, "pfctl -ss -v"),
	    ", rule 0, limit source-track global\n"));
	pfm_free(pf);

	pf = load(global, PFM_FREEBSD_14);
	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80));
	CU_ASSERT(syn(pf, "198.51.100.7", 40002, 80));
	CU_ASSERT(!syn(pf, "198.51.100.7", 40003, 80));
	CU_ASSERT(syn(pf, "198.51.100.7", 40005, 81));
	CU_ASSERT_EQUAL(pfm_src_count(pf), 2);
	CU_ASSERT_PTR_NULL(strstr(ctl(pf, "pfctl -sS -v"), "source-track"));
	pfm_free(pf);

	pf = load(rule, PFM_FREEBSD_15);
	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80));
	CU_ASSERT(syn(pf, "198.51.100.7", 40002, 80));
	CU_ASSERT(syn(pf, "198.51.100.7", 40003, 80));
	CU_ASSERT(syn(pf, "198.51.100.7", 40005, 81));
	CU_ASSERT_EQUAL(pfm_src_count(pf), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctl(pf, "pfctl -sS -v"),
	    ", filter rule 1, limit source-track\n"));
	pfm_free(pf);
}

/* Nodes by type: a state of a route-to sticky-address rule with max-src-states
 * behind a sticky rdr rule holds three nodes (with the addresses round-robin gave
 * it), each printed with its rule and type, one source's newest first; -vss lists the types on the state. A filter rule's
 * sticky-address without route-to makes no node in 15 (14: one). */
static void
test_types(void)
{
	static const char conf[] =
	    "rdr on em0 proto tcp to port 80 -> { 10.99.0.2, 10.99.0.3 } round-robin "
	    "sticky-address\n"
	    "pass in on em0 route-to { (em0 203.0.113.9), (em0 203.0.113.10) } "
	    "round-robin sticky-address proto tcp keep state (max-src-states 3, "
	    "source-track rule)\n";
	static const char plain[] = "pass in on em0 proto tcp keep state\n"
	    "pass in on em0 proto tcp to port 80 keep state\n";
	const char *o;
	struct pfm *pf;

	pf = load(conf, PFM_FREEBSD_15);
	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80));
	CU_ASSERT_EQUAL(pfm_src_count(pf), 3);
	o = ctl(pf, "pfctl -sS -v");
	CU_ASSERT_STRING_EQUAL(o,
	    "198.51.100.7 -> 10.99.0.3 ( states 1, connections 0, rate 0.0/0s )\n"
	    "   age 00:00:00, 1 pkts, 40 bytes, rdr rule 0, NAT/RDR sticky-address\n"
	    "198.51.100.7 -> 203.0.113.10 ( states 1, connections 0, rate 0.0/0s )\n"
	    "   age 00:00:00, 1 pkts, 40 bytes, filter rule 0, route sticky-address\n"
	    "198.51.100.7 -> 0.0.0.0 ( states 1, connections 0, rate 0.0/0s )\n"
	    "   age 00:00:00, 1 pkts, 40 bytes, filter rule 0, limit source-track\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(ctl(pf, "pfctl -ss -v"), ", rule 0, limit "
	    "source-track, NAT/RDR sticky-address, route sticky-address\n"));
	/* the same source keeps both addresses (the nodes are found again), where
	 * round-robin would have moved on */
	CU_ASSERT(syn(pf, "198.51.100.7", 40002, 80));
	CU_ASSERT_EQUAL(pfm_src_count(pf), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctl(pf, "pfctl -sS"),
	    "198.51.100.7 -> 203.0.113.10 ( states 2,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "198.51.100.7 -> 10.99.0.3 ( states 2,"));
	pfm_free(pf);

	/* 14: the filter rule's node is limit and route in one; no types printed */
	pf = load(conf, PFM_FREEBSD_14);
	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80));
	CU_ASSERT_EQUAL(pfm_src_count(pf), 2);
	CU_ASSERT_PTR_NULL(strstr(ctl(pf, "pfctl -sS -v"), "sticky-address"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctl(pf, "pfctl -ss -v"),
	    ", rule 0, source-track, sticky-address\n"));
	pfm_free(pf);

	pf = load(plain, PFM_FREEBSD_15);
	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80));
	CU_ASSERT_EQUAL(pfm_src_count(pf), 0);
	pfm_free(pf);
}

/* route-to with one address (no pool type) and sticky-address: the route node is
 * still made (pf_create_state asks only for sticky-address), holding the gateway. */
static void
test_sticky_one_addr(void)
{
	static const char sticky[] =
	    "pass in on em0 route-to (em0 203.0.113.9) sticky-address proto tcp "
	    "keep state\n";
	struct pfm *pf;

	pf = load(sticky, PFM_FREEBSD_15);
	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80));
	CU_ASSERT_STRING_EQUAL(ctl(pf, "pfctl -sS -v"),
	    "198.51.100.7 -> 203.0.113.9 ( states 1, connections 0, rate 0.0/0s )\n"
	    "   age 00:00:00, 1 pkts, 40 bytes, filter rule 0, route sticky-address\n");
	pfm_free(pf);
}

/* check_valid: the route node's gateway leaves the table: the next state of the
 * source drops that node (its old state keeps no link) and makes a new one with
 * the new gateway; 14 keeps the old gateway while the node lives. */
static void
test_check_valid(void)
{
	static const char conf[] = "table <gw> { 203.0.113.9 }\n"
	    "pass in on em0 route-to (em0 <gw>) sticky-address proto tcp keep state\n";
	struct pfm *pf;
	int ver;

	for (ver = PFM_FREEBSD_14; ver <= PFM_FREEBSD_15; ver++) {
		if (ver != PFM_FREEBSD_14 && ver != PFM_FREEBSD_15)
			continue;
		pf = load(conf, ver);
		CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80));
		CU_ASSERT_PTR_NOT_NULL(strstr(ctl(pf, "pfctl -sS"),
		    "198.51.100.7 -> 203.0.113.9 ( states 1,"));
		CU_ASSERT_EQUAL(tu_pfctl(pf, 1000, "pfctl -t gw -T replace 203.0.113.10",
		    NULL, &run), 0);
		CU_ASSERT(syn(pf, "198.51.100.7", 40002, 80));
		CU_ASSERT(syn(pf, "198.51.100.7", 40003, 80));
		CU_ASSERT_EQUAL(pfm_src_count(pf), 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(ctl(pf, "pfctl -sS"), ver == PFM_FREEBSD_15 ?
		    "198.51.100.7 -> 203.0.113.10 ( states 2," :
		    "198.51.100.7 -> 203.0.113.9 ( states 3,"));
		pfm_free(pf);
	}
}

/* The same for a sticky rdr pool: 15's pf_map_addr_sn finds the NAT node's address
 * gone from the table and maps the source anew. */
static void
test_check_valid_rdr(void)
{
	static const char conf[] = "table <srv> { 10.99.0.2 }\n"
	    "rdr on em0 proto tcp to port 80 -> <srv> round-robin sticky-address\n"
	    "pass in on em0 proto tcp keep state\n";
	struct pfm *pf;
	int ver;

	for (ver = PFM_FREEBSD_14; ver <= PFM_FREEBSD_15; ver++) {
		if (ver != PFM_FREEBSD_14 && ver != PFM_FREEBSD_15)
			continue;
		pf = load(conf, ver);
		CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80));
		CU_ASSERT_EQUAL(tu_pfctl(pf, 1000, "pfctl -t srv -T replace 10.99.0.3",
		    NULL, &run), 0);
		CU_ASSERT(syn(pf, "198.51.100.7", 40002, 80));
		CU_ASSERT_EQUAL(pfm_src_count(pf), 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(ctl(pf, "pfctl -sS"), ver == PFM_FREEBSD_15 ?
		    "198.51.100.7 -> 10.99.0.3 ( states 1," :
		    "198.51.100.7 -> 10.99.0.2 ( states 2,"));
		pfm_free(pf);
	}
}

int
pfm_src15_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_src15", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "max-src-states (15: all of them)", test_max_src_states) == NULL ||
	    CU_add_test(s, "source-track global shared", test_global_shared) == NULL ||
	    CU_add_test(s, "node types and their printing", test_types) == NULL ||
	    CU_add_test(s, "route-to sticky, one address", test_sticky_one_addr) == NULL ||
	    CU_add_test(s, "stale route node replaced", test_check_valid) == NULL ||
	    CU_add_test(s, "stale rdr node replaced", test_check_valid_rdr) == NULL)
		return (-1);
	return (0);
}
