/* pfm_src_test.c: the pf model's source tracking (pfm_src.c): max-src-states and
 * max-src-nodes refuse states, set limit src-nodes, max-src-conn and
 * max-src-conn-rate with overload tables and flush (of `pass in` and `pass out` rules),
 * connections given back when their state goes, sticky-address, node expiry after
 * src.track, max (per rule), and the counters pfctl -si shows. */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"

static struct pfm_verdict v;
static struct pkt out;

/* A pf for the test host with conf loaded (NULL and a failed assertion if it does
 * not load). */
static int
syn(struct pfm *pf, const char *src, int sport, int dport, uint64_t now)
{
	char p[160];

	snprintf(p, sizeof(p), "tcp %s:%d > 203.0.113.1:%d S seq 1000", src, sport, dport);
	tu_send(pf, PFM_IN, "em0", p, now, &v, &out);
	return (v.action == PFM_PASS);
}

/* A whole handshake from src:sport to the public address; the verdict of the client's
 * ACK (the packet pf_src_connlimit judges) stays in v. 1 when the SYN passed. */
static int
connect3(struct pfm *pf, const char *src, int sport, int dport, uint64_t now)
{
	char p[160];

	if (!syn(pf, src, sport, dport, now))
		return (0);
	snprintf(p, sizeof(p), "tcp 203.0.113.1:%d > %s:%d SA seq 5000 ack 1001", dport,
	    src, sport);
	tu_send(pf, PFM_OUT, "em0", p, now, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	snprintf(p, sizeof(p), "tcp %s:%d > 203.0.113.1:%d A seq 1001 ack 5001", src,
	    sport, dport);
	tu_send(pf, PFM_IN, "em0", p, now, &v, &out);
	return (1);
}

static const struct pfm_table *
table(struct pfm *pf, const char *name)
{
	const struct pfm_table *t;

	for (t = pf->rs->tables; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0)
			return (t);
	return (NULL);
}

/* max-src-states: FreeBSD 14's pf_find_src_node counts the new state before
 * pf_insert_src_node compares, so with max-src-states 3 a source gets two states, the
 * third is refused (src-limit); another source still gets its states. */
static void
test_max_src_states(void)
{
	struct pfm *pf = tu_must_load("pass in on em0 proto tcp to port 80 keep state "
	    "(max-src-states 3)\n");

	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80, 1000));
	CU_ASSERT(syn(pf, "198.51.100.7", 40002, 80, 1001));
	CU_ASSERT(!syn(pf, "198.51.100.7", 40003, 80, 1002));
	CU_ASSERT_STRING_EQUAL(v.reason, "src-limit");
	CU_ASSERT_EQUAL(v.state_created, 0);
	CU_ASSERT(syn(pf, "198.51.100.8", 40004, 80, 1003));
	CU_ASSERT_EQUAL(pf->counters[PFM_RES_SRCLIMIT], 1);
	CU_ASSERT_EQUAL(pf->lcounters[1], 1);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 3);
	pfm_free(pf);
	/* max-src-states 2 and 1 both leave a source one state */
	pf = tu_must_load("pass in on em0 proto tcp to port 80 keep state (max-src-states 2)\n"
	    "pass in on em0 proto tcp to port 81 keep state (max-src-states 1)\n");
	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80, 1000));
	CU_ASSERT(!syn(pf, "198.51.100.7", 40002, 80, 1000));
	CU_ASSERT(syn(pf, "198.51.100.7", 40003, 81, 1000));
	CU_ASSERT(!syn(pf, "198.51.100.7", 40004, 81, 1000));
	CU_ASSERT_EQUAL(pf->lcounters[1], 2);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 2);
	pfm_free(pf);
}

/* FreeBSD 14 keys every source node by its rule: `source-track global` (what
 * max-src-states alone gives) shares no node between two rules, any more than
 * `source-track rule` does. */
static void
test_global_vs_rule(void)
{
	static const char *const conf[2] = {
	    "pass in on em0 proto tcp to port 80 keep state (max-src-states 3)\n"
	    "pass in on em0 proto tcp to port 81 keep state (max-src-states 3)\n",
	    "pass in on em0 proto tcp to port 80 keep state (source-track rule, "
	    "max-src-states 3)\n"
	    "pass in on em0 proto tcp to port 81 keep state (source-track rule, "
	    "max-src-states 3)\n" };
	struct pfm *pf;
	int i;

	for (i = 0; i < 2; i++) {
		if ((pf = tu_must_load(conf[i])) == NULL)
			return;
		CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80, 1000));
		CU_ASSERT(syn(pf, "198.51.100.7", 40002, 80, 1000));
		CU_ASSERT(syn(pf, "198.51.100.7", 40003, 81, 1000));
		CU_ASSERT(!syn(pf, "198.51.100.7", 40004, 80, 1000));
		CU_ASSERT(syn(pf, "198.51.100.7", 40005, 81, 1000));
		CU_ASSERT_EQUAL(pfm_src_count(pf), 2);
		pfm_free(pf);
	}
}

/* max-src-nodes: a third source is refused; a known source still passes. */
static void
test_max_src_nodes(void)
{
	struct pfm *pf = tu_must_load("pass in on em0 proto tcp to port 80 keep state "
	    "(max-src-nodes 2)\n");

	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80, 1000));
	CU_ASSERT(syn(pf, "198.51.100.8", 40002, 80, 1000));
	CU_ASSERT(!syn(pf, "198.51.100.9", 40003, 80, 1000));
	CU_ASSERT_STRING_EQUAL(v.reason, "src-limit");
	CU_ASSERT(syn(pf, "198.51.100.7", 40004, 80, 1000));
	CU_ASSERT_EQUAL(pf->lcounters[2], 1);
	pfm_free(pf);
}

/* set limit src-nodes bounds every node (pf's source node zone). */
static void
test_limit_src_nodes(void)
{
	struct pfm *pf = tu_must_load("set limit src-nodes 1\n"
	    "pass in on em0 proto tcp to port 80 keep state (source-track)\n");

	CU_ASSERT_EQUAL(pf->limit_src_nodes, 1);
	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80, 1000));
	CU_ASSERT(!syn(pf, "198.51.100.8", 40002, 80, 1000));
	CU_ASSERT_STRING_EQUAL(v.reason, "src-limit");
	pfm_free(pf);
	pf = tu_must_load("pass in on em0 proto tcp to port 80 keep state (source-track)\n");
	if (pf != NULL)
		CU_ASSERT_EQUAL(pf->limit_src_nodes, 10000);
	pfm_free(pf);
}

/* max N is the rule's state limit: state-limit, not src-limit. */
static void
test_max_states(void)
{
	struct pfm *pf = tu_must_load("pass in on em0 proto tcp to port 80 keep state (max 2)\n");

	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80, 1000));
	CU_ASSERT(syn(pf, "198.51.100.8", 40002, 80, 1000));
	CU_ASSERT(!syn(pf, "198.51.100.9", 40003, 80, 1000));
	CU_ASSERT_STRING_EQUAL(v.reason, "state-limit");
	CU_ASSERT_EQUAL(pf->lcounters[0], 1);
	CU_ASSERT_EQUAL(pf->counters[PFM_RES_SRCLIMIT], 0);
	pfm_free(pf);
}

/* max-src-conn counts a connection when its handshake completes (the client's ACK):
 * SYNs beyond the limit pass, the ACK that crosses it is dropped and its state
 * killed. */
static void
test_conn_counted_at_handshake(void)
{
	struct pfm *pf = tu_must_load("pass in on em0 proto tcp to port 22 keep state "
	    "(max-src-conn 1)\n");

	CU_ASSERT(connect3(pf, "198.51.100.7", 40001, 22, 1000));
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(connect3(pf, "198.51.100.7", 40002, 22, 1001));
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "src-limit");
	CU_ASSERT_EQUAL(pf->lcounters[3], 1);
	/* the killed state is gone for the next packet, which meets the rules (a bare
	 * ACK does not match flags S/SA: the default rule passes it without state) */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40002 > 203.0.113.1:22 A seq 1001 "
	    "ack 5001", 1002, &v, &out);
	CU_ASSERT_EQUAL(v.state_hit, 0);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 1);
	/* the first connection still counts: one more is refused again */
	CU_ASSERT(connect3(pf, "198.51.100.7", 40003, 22, 1003));
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_free(pf);
}

static const char *const bruteforce =
    "block quick from <bruteforce>\n"
    "pass in on em0 proto tcp to port 22 keep state (max-src-conn 3, "
    "overload <bruteforce> %s)\n"
    "pass in on em0 proto tcp to port 80\n";

/* The brute-force guard: connections 1-3 pass, the 4th is killed, its source goes to
 * the overload table, flush global kills its states of every rule, and later packets
 * from it meet `block quick from <bruteforce>`; another source still passes. */
static void
test_overload_flush_global(void)
{
	char conf[512];
	const struct pfm_table *t;
	struct pfm *pf;
	int i;

	snprintf(conf, sizeof(conf), bruteforce, "flush global");
	if ((pf = tu_must_load(conf)) == NULL)
		return;
	CU_ASSERT(connect3(pf, "198.51.100.7", 40080, 80, 1000));
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(connect3(pf, "198.51.100.8", 41000, 22, 1000));
	for (i = 1; i <= 3; i++) {
		CU_ASSERT(connect3(pf, "198.51.100.7", 40000 + i, 22, 1000 + i));
		CU_ASSERT_EQUAL(v.action, PFM_PASS);
	}
	CU_ASSERT_EQUAL(pfm_state_count(pf), 5);
	CU_ASSERT(connect3(pf, "198.51.100.7", 40004, 22, 1010));
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "src-limit");
	t = table(pf, "bruteforce");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->nent, 1);
	CU_ASSERT_EQUAL(t->ent[0].plen, 32);
	CU_ASSERT_EQUAL(pf->lcounters[5], 1);
	CU_ASSERT_EQUAL(pf->lcounters[6], 1);
	/* every state of .7 went, of both rules; .8's stays */
	pfm_expire(pf, 1011);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 1);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40080 > 203.0.113.1:80 A seq 1001 "
	    "ack 5001", 1012, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL(v.state_hit, 0);
	CU_ASSERT_PTR_NOT_NULL(v.filter);
	if (v.filter != NULL)
		CU_ASSERT_EQUAL(v.filter->action, PFM_R_BLOCK);
	CU_ASSERT(!syn(pf, "198.51.100.7", 40005, 22, 1013));
	CU_ASSERT(syn(pf, "198.51.100.9", 40006, 22, 1014));
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.8:41000 > 203.0.113.1:22 A seq 1001 "
	    "ack 5001", 1015, &v, &out);
	CU_ASSERT_EQUAL(v.state_hit, 1);
	pfm_free(pf);
}

/* `flush` without global: only the states of the limiting rule go. */
static void
test_overload_flush_rule(void)
{
	char conf[512];
	struct pfm *pf;
	int i;

	snprintf(conf, sizeof(conf), bruteforce, "flush");
	if ((pf = tu_must_load(conf)) == NULL)
		return;
	CU_ASSERT(connect3(pf, "198.51.100.7", 40080, 80, 1000));
	for (i = 1; i <= 4; i++)
		CU_ASSERT(connect3(pf, "198.51.100.7", 40000 + i, 22, 1000 + i));
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_expire(pf, 1010);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 1);
	/* the port 80 connection keeps its state, the table notwithstanding */
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:40080 > 203.0.113.1:80 A seq 1001 "
	    "ack 5001", 1011, &v, &out);
	CU_ASSERT_EQUAL(v.state_hit, 1);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	pfm_free(pf);
	/* without flush nothing else goes, and an overload table no rule names is made */
	pf = tu_must_load("pass in on em0 proto tcp to port 22 keep state (max-src-conn 1, "
	    "overload <fresh>)\n");
	CU_ASSERT_PTR_NULL(table(pf, "fresh"));
	CU_ASSERT(connect3(pf, "198.51.100.7", 40001, 22, 1000));
	CU_ASSERT(connect3(pf, "198.51.100.7", 40002, 22, 1001));
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_PTR_NOT_NULL(table(pf, "fresh"));
	pfm_expire(pf, 1002);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 1);
	CU_ASSERT_EQUAL(pf->lcounters[6], 0);
	pfm_free(pf);
}

/* max-src-conn-rate N/S over the caller's clock: pf_threshold's count decays
 * linearly over S seconds. 2/10: at 0 s and 5 s the count is 1 and 1.5, at 6 s
 * 2.35 > 2 and the connection is killed; spaced 10 s apart they all pass. */
static void
test_conn_rate(void)
{
	struct pfm *pf = tu_must_load("pass in on em0 proto tcp to port 22 keep state "
	    "(max-src-conn-rate 2/10)\n");

	CU_ASSERT(connect3(pf, "198.51.100.7", 40001, 22, 100000));
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(connect3(pf, "198.51.100.7", 40002, 22, 105000));
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_STRING_EQUAL(tu_srcnodes(pf),
	    "198.51.100.7 -> 0.0.0.0 ( states 2, connections 2, rate 1.5/10s )\n");
	CU_ASSERT(connect3(pf, "198.51.100.7", 40003, 22, 106000));
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "src-limit");
	CU_ASSERT_EQUAL(pf->lcounters[4], 1);
	pfm_free(pf);
	pf = tu_must_load("pass in on em0 proto tcp to port 22 keep state "
	    "(max-src-conn-rate 2/10)\n");
	CU_ASSERT(connect3(pf, "198.51.100.7", 40001, 22, 100000));
	CU_ASSERT(connect3(pf, "198.51.100.7", 40002, 22, 110000));
	CU_ASSERT(connect3(pf, "198.51.100.7", 40003, 22, 120000));
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_EQUAL(pf->lcounters[4], 0);
	pfm_free(pf);
}

/* The address a SYN from src to port 80 was redirected to, as text. */
static const char *
rdr_to(struct pfm *pf, const char *src, int sport, uint64_t now)
{
	static char a[64];

	CU_ASSERT(syn(pf, src, sport, 80, now));
	return (pkt_addr_format(&out.dst, a, sizeof(a)));
}

/* sticky-address on a round-robin pool: a source keeps its address while its node
 * lives; without it the pool turns for every connection. A fresh rule's pool starts at
 * its second entry (pf_lb.c, pf_map_addr: see pfm_nat.c). */
static void
test_sticky(void)
{
	static const char conf[] = "rdr on em0 proto tcp to 203.0.113.1 port 80 -> "
	    "{ 10.99.0.2, 10.99.0.3 } round-robin%s\n";
	char c[256];
	struct pfm *pf;

	snprintf(c, sizeof(c), conf, "");
	if ((pf = tu_must_load(c)) == NULL)
		return;
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.7", 40001, 1000), "10.99.0.3");
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.7", 40002, 1000), "10.99.0.2");
	pfm_free(pf);
	snprintf(c, sizeof(c), conf, " sticky-address");
	if ((pf = tu_must_load(c)) == NULL)
		return;
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.7", 40001, 1000), "10.99.0.3");
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.7", 40002, 1000), "10.99.0.3");
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.8", 40003, 1000), "10.99.0.2");
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.7", 40004, 1000), "10.99.0.3");
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.8", 40005, 1000), "10.99.0.2");
	CU_ASSERT_STRING_EQUAL(tu_srcnodes(pf),
	    "198.51.100.7 -> 10.99.0.3 ( states 3, connections 0, rate 0.0/0s )\n"
	    "198.51.100.8 -> 10.99.0.2 ( states 2, connections 0, rate 0.0/0s )\n");
	/* src.track 0 (the default): the node goes with its last state */
	pfm_flush_states(pf);
	CU_ASSERT_EQUAL(pfm_src_count(pf), 0);
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.7", 40006, 1001), "10.99.0.3");
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.7", 40007, 1001), "10.99.0.3");
	pfm_flush_states(pf);
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.7", 40008, 1002), "10.99.0.2");
	pfm_free(pf);
}

/* The same for nat: a jail keeps its public address (the node is keyed by the
 * source before translation and remembers the address after). */
static void
test_sticky_nat(void)
{
	struct pfm *pf = tu_must_load("nat on em0 from 10.99.0.0/28 -> "
	    "{ 203.0.113.1, 203.0.113.2 } round-robin sticky-address\n");
	char a[64];
	int i;

	for (i = 0; i < 3; i++) {
		char p[128];

		snprintf(p, sizeof(p), "tcp 10.99.0.%d:%d > 198.51.100.7:443 S seq 1",
		    i == 1 ? 3 : 2, 41000 + i);
		tu_send(pf, PFM_OUT, "em0", p, 1000, &v, &out);
		CU_ASSERT_EQUAL(v.action, PFM_PASS);
		CU_ASSERT_STRING_EQUAL(pkt_addr_format(&out.src, a, sizeof(a)),
		    i == 1 ? "203.0.113.1" : "203.0.113.2");
	}
	CU_ASSERT_STRING_EQUAL(tu_srcnodes(pf),
	    "10.99.0.2 -> 203.0.113.2 ( states 2, connections 0, rate 0.0/0s )\n"
	    "10.99.0.3 -> 203.0.113.1 ( states 1, connections 0, rate 0.0/0s )\n");
	pfm_free(pf);
}

/* A node outlives its last state by src.track: the sticky address holds until then,
 * and a node-limited rule refuses other sources until then. */
static void
test_expiry_src_track(void)
{
	struct pfm *pf = tu_must_load("set timeout src.track 30\n"
	    "rdr on em0 proto tcp to 203.0.113.1 port 80 -> { 10.99.0.2, 10.99.0.3 } "
	    "round-robin sticky-address\n"
	    "pass in on em0 proto udp to port 53 keep state (max-src-nodes 1)\n");

	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.7", 40001, 1000), "10.99.0.3");
	pfm_flush_states(pf);		/* at 1000 ms: the node lives until 31 s */
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.7", 40002, 30000), "10.99.0.3");
	pfm_flush_states(pf);		/* at 30 s: until 60 s */
	pfm_expire(pf, 59999);
	CU_ASSERT_EQUAL(pfm_src_count(pf), 1);
	pfm_expire(pf, 60000);
	CU_ASSERT_EQUAL(pfm_src_count(pf), 0);
	CU_ASSERT_STRING_EQUAL(rdr_to(pf, "198.51.100.7", 40003, 60001), "10.99.0.2");

	/* udp.first is 60 s: the state of .7 expires at 161 s, its node at 191 s */
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:5000 > 203.0.113.1:53 \"q\"", 101000,
	    &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.8:5000 > 203.0.113.1:53 \"q\"", 102000,
	    &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	pfm_expire(pf, 161000);
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.8:5000 > 203.0.113.1:53 \"q\"", 190999,
	    &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "src-limit");
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.8:5000 > 203.0.113.1:53 \"q\"", 191000,
	    &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	pfm_free(pf);
}

/* pfctl -si shows src-limit among the counters; -v adds the source tracking table
 * and the limit counters. */
static void
test_counters_shown(void)
{
	struct pfm *pf = tu_must_load("pass in on em0 proto tcp to port 80 keep state "
	    "(max-src-states 1)\n");
	const char *s;

	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "src-limit"), 0);
	CU_ASSERT(syn(pf, "198.51.100.7", 40001, 80, 1000));
	CU_ASSERT(!syn(pf, "198.51.100.7", 40002, 80, 1000));
	CU_ASSERT(!syn(pf, "198.51.100.7", 40003, 80, 1000));
	s = tu_info(pf);
	CU_ASSERT_EQUAL(tu_counter(s, "src-limit"), 2);
	CU_ASSERT_PTR_NULL(strstr(s, "Source Tracking Table"));
	s = tu_info_v(pf);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "Source Tracking Table\n  current entries"
	    "                        1"));
	CU_ASSERT(strstr(s, "Source Tracking Table") < strstr(s, "Counters\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "Limit Counters\n"));
	CU_ASSERT_EQUAL(tu_counter(s, "max-src-states"), 2);
	CU_ASSERT_EQUAL(tu_counter(s, "src-limit"), 2);
	pfm_free(pf);
}

/* synproxy: the client's handshake is with pf, so pf_src_connlimit judges the client's
 * ACK of pf's SYN|ACK: the second connection is refused there (src-limit), before pf
 * asks the server, and sends nothing. */
static void
test_synproxy_conn(void)
{
	struct pfm *pf = tu_must_load("pass in on em0 proto tcp to port 22 synproxy state "
	    "(max-src-conn 1)\n");
	char p[160];
	int i;

	for (i = 0; i < 2; i++) {
		CU_ASSERT(!syn(pf, "198.51.100.7", 40001 + i, 22, 1000 + i));
		CU_ASSERT_STRING_EQUAL(v.reason, "synproxy");
		CU_ASSERT_EQUAL_FATAL(v.nemit, 1);
		CU_ASSERT_FATAL(pkt_decode_l3(v.emit[0].pkt, v.emit[0].len, &out) == 0);
		snprintf(p, sizeof(p), "tcp 198.51.100.7:%d > 203.0.113.1:22 A seq 1001 "
		    "ack %u", 40001 + i, out.seq + 1);
		tu_send(pf, PFM_IN, "em0", p, 1000 + i, &v, &out);
		CU_ASSERT_EQUAL(v.action, PFM_DROP);
		if (i == 0) {
			/* the first goes on: pf sends its SYN to the server */
			CU_ASSERT_STRING_EQUAL(v.reason, "synproxy");
			CU_ASSERT_EQUAL(v.nemit, 1);
		} else {
			CU_ASSERT_STRING_EQUAL(v.reason, "src-limit");
			CU_ASSERT_EQUAL(v.nemit, 0);
		}
	}
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "src-limit"), 1);
	pfm_free(pf);
}

/* A connection from the host to peer:22, its handshake complete: the host's ACK (the
 * packet pf_src_connlimit judges for a `pass out` rule) leaves its verdict in v. */
static void
connect_out(struct pfm *pf, const char *peer, int sport, uint64_t now)
{
	char p[160];

	snprintf(p, sizeof(p), "tcp 203.0.113.1:%d > %s:22 S seq 1000", sport, peer);
	tu_send(pf, PFM_OUT, "em0", p, now, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	snprintf(p, sizeof(p), "tcp %s:22 > 203.0.113.1:%d SA seq 5000 ack 1001", peer,
	    sport);
	tu_send(pf, PFM_IN, "em0", p, now, &v, &out);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	snprintf(p, sizeof(p), "tcp 203.0.113.1:%d > %s:22 A seq 1001 ack 5001", sport,
	    peer);
	tu_send(pf, PFM_OUT, "em0", p, now, &v, &out);
}

/* pf_overload_task's flush for a rule that passes `out`: the source is the second
 * address of the state's wire key (the first is the peer), so the host's other
 * connections of that rule go. */
static void
test_overload_flush_out(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto tcp to port 22 keep state "
	    "(max-src-conn 1, overload <bad> flush)\n");

	connect_out(pf, "198.51.100.7", 40001, 1000);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	connect_out(pf, "198.51.100.8", 40002, 1001);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "src-limit");
	CU_ASSERT_EQUAL(pf->lcounters[6], 1);
	pfm_expire(pf, 1002);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 0);
	tu_send(pf, PFM_OUT, "em0", "tcp 203.0.113.1:40001 > 198.51.100.7:22 A seq 1001 "
	    "ack 5001", 1003, &v, &out);
	CU_ASSERT_EQUAL(v.state_hit, 0);
	pfm_free(pf);
}

/* pf_src_tree_remove_state: a state that counted as an established connection gives
 * it back to its source node when it goes, so under max-src-conn 1 a source whose
 * node lives on (src.track) may connect again. */
static void
test_conn_given_back(void)
{
	struct pfm *pf = tu_must_load("set timeout src.track 60\n"
	    "pass in on em0 proto tcp to port 22 keep state (max-src-conn 1)\n");

	CU_ASSERT(connect3(pf, "198.51.100.7", 40001, 22, 1000));
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	pfm_flush_states(pf);
	CU_ASSERT_EQUAL(pfm_src_count(pf), 1);
	CU_ASSERT(connect3(pf, "198.51.100.7", 40002, 22, 2000));
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_EQUAL(pf->lcounters[3], 0);
	pfm_free(pf);
}

int
pfm_src_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_src", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "max-src-states refuses", test_max_src_states) == NULL ||
	    CU_add_test(s, "global vs rule tracking", test_global_vs_rule) == NULL ||
	    CU_add_test(s, "max-src-nodes refuses", test_max_src_nodes) == NULL ||
	    CU_add_test(s, "set limit src-nodes", test_limit_src_nodes) == NULL ||
	    CU_add_test(s, "max (per rule states)", test_max_states) == NULL ||
	    CU_add_test(s, "max-src-conn at handshake",
	    test_conn_counted_at_handshake) == NULL ||
	    CU_add_test(s, "overload + flush global", test_overload_flush_global) == NULL ||
	    CU_add_test(s, "overload + flush (rule)", test_overload_flush_rule) == NULL ||
	    CU_add_test(s, "max-src-conn-rate over the clock", test_conn_rate) == NULL ||
	    CU_add_test(s, "sticky-address", test_sticky) == NULL ||
	    CU_add_test(s, "sticky-address (nat)", test_sticky_nat) == NULL ||
	    CU_add_test(s, "node expiry after src.track", test_expiry_src_track) == NULL ||
	    CU_add_test(s, "src-limit counter in -si", test_counters_shown) == NULL ||
	    CU_add_test(s, "max-src-conn with synproxy", test_synproxy_conn) == NULL ||
	    CU_add_test(s, "overload + flush of a pass out rule", test_overload_flush_out) ==
	    NULL ||
	    CU_add_test(s, "max-src-conn: a closed connection is given back",
	    test_conn_given_back) == NULL)
		return (-1);
	return (0);
}
