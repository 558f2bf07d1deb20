/* pkt_var_test.c: `$NAME` variables (harness/pkt/pkt_var.c): bound by the first
 * expectation that meets them, checked by the later ones, taken by sends; offsets;
 * nothing bound by a packet that does not match; every wrong use named. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pkt/pkt.h"
#include "tests.h"
#include "tutil.h"

/* A packet in the notation, as a capture would hold it (built, then decoded). */
static void
seen(const char *text, struct pkt *d)
{
	uint8_t b[PKT_FRAME_MAX];
	struct pkt k;
	char err[256];
	int n;

	tut_pkt(text, &k);
	n = pkt_build_l3(&k, b, sizeof(b), err, sizeof(err));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(b, (size_t)n, d), 0);
}

static const struct pkt_var *
var(const struct pkt_vars *v, const char *name)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i].name, name) == 0)
			return (&v->v[i]);
	return (NULL);
}

static void
test_bind_then_check(void)
{
	struct pkt_vars *v = calloc(1, sizeof(*v));
	struct pkt_pat p;
	struct pkt d;
	char why[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	seen("tcp 203.0.113.1:50001 > 198.51.100.7:443 S seq 77", &d);
	tut_pat("tcp 203.0.113.1:$p > 198.51.100.7:443 S seq $s", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 3, why, sizeof(why)), 1);
	CU_ASSERT_EQUAL(v->n, 2);
	CU_ASSERT_EQUAL_FATAL(var(v, "p") != NULL && var(v, "s") != NULL, 1);
	CU_ASSERT_EQUAL(var(v, "p")->num, 50001);
	CU_ASSERT_EQUAL(var(v, "p")->line, 3);
	CU_ASSERT(!var(v, "p")->is_addr);
	CU_ASSERT_EQUAL(var(v, "s")->num, 77);
	/* later: the same value holds, another does not (and binds nothing) */
	seen("tcp 203.0.113.1:50001 > 198.51.100.7:443 A seq 78 ack 9", &d);
	tut_pat("tcp 203.0.113.1:$p > 198.51.100.7:443 A seq $s+1 ack $a", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 4, why, sizeof(why)), 1);
	CU_ASSERT_EQUAL(v->n, 3);
	CU_ASSERT_EQUAL(var(v, "a")->num, 9);
	seen("tcp 203.0.113.1:50002 > 198.51.100.7:443 A seq 78 ack 9", &d);
	tut_pat("tcp 203.0.113.1:$p > 198.51.100.7:443 A seq $new", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 5, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "field tcp.sport: expected $p (50001, bound at line 3) "
	    "vs actual 50002");
	CU_ASSERT_EQUAL(v->n, 3);
	CU_ASSERT_PTR_NULL(var(v, "new"));
	seen("tcp 203.0.113.1:50001 > 198.51.100.7:443 A seq 79", &d);
	tut_pat("tcp 203.0.113.1:$p > 198.51.100.7:443 A seq $s+1", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 6, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "field tcp.seq: expected $s+1 (78, bound at line 3) vs "
	    "actual 79");
	/* a pattern that fails on another field binds nothing either */
	seen("tcp 203.0.113.1:50001 > 198.51.100.7:444 A seq 79", &d);
	tut_pat("tcp 203.0.113.1:$p > 198.51.100.7:443 A win $w", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 7, why, sizeof(why)), 0);
	CU_ASSERT_PTR_NULL(var(v, "w"));
	free(v);
}

/* Sequence numbers wrap: $s+1 of 4294967295 is 0, and binding subtracts. */
static void
test_offsets(void)
{
	struct pkt_vars *v = calloc(1, sizeof(*v));
	struct pkt_pat p;
	struct pkt d, k;
	char why[256], err[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	seen("tcp 1.1.1.1:1 > 2.2.2.2:2 A seq 0 ack 5", &d);
	tut_pat("tcp 1.1.1.1:1 > 2.2.2.2:2 A seq $s+1 ack $a-5", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 1, why, sizeof(why)), 1);
	CU_ASSERT_EQUAL(var(v, "s")->num, 4294967295U);
	CU_ASSERT_EQUAL(var(v, "a")->num, 10);
	tut_pkt("tcp 2.2.2.2:2 > 1.1.1.1:1 A seq $a+1000 ack $s+2", &k);
	CU_ASSERT_EQUAL(pkt_vars_subst(&k, v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(k.seq, 1010);
	CU_ASSERT_EQUAL(k.ack, 1);
	free(v);
}

/* The same variable twice in one pattern: both places hold the same value. */
static void
test_twice_in_one(void)
{
	struct pkt_pat p;
	struct pkt d;
	char why[256];

	tut_pat("udp 1.1.1.1:$x > 2.2.2.2:$x", &p);
	seen("udp 1.1.1.1:53 > 2.2.2.2:53", &d);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 1);
	seen("udp 1.1.1.1:53 > 2.2.2.2:54", &d);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "field udp.dport: expected $x (53, bound at line 0) vs "
	    "actual 54");
}

static void
test_addresses(void)
{
	struct pkt_vars *v = calloc(1, sizeof(*v));
	struct pkt_pat p;
	struct pkt d, k;
	char why[256], err[256], a[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	seen("udp 10.0.0.7:53 > 2.2.2.2:9", &d);
	tut_pat("udp $src:53 > 2.2.2.2:$port", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 2, why, sizeof(why)), 1);
	CU_ASSERT(var(v, "src")->is_addr);
	CU_ASSERT_STRING_EQUAL(pkt_addr_format(&var(v, "src")->addr, a, sizeof(a)),
	    "10.0.0.7");
	tut_pkt("udp 2.2.2.2:$port > $src:53", &k);
	CU_ASSERT_EQUAL(pkt_vars_subst(&k, v, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(pkt_addr_format(&k.dst, a, sizeof(a)), "10.0.0.7");
	CU_ASSERT_EQUAL(k.sport, 9);
	/* an address where a number goes, and the other way */
	seen("udp 10.0.0.7:53 > 2.2.2.2:9", &d);
	tut_pat("udp 10.0.0.7:$src > 2.2.2.2:9", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 3, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "field udp.sport: $src holds the address 10.0.0.7 "
	    "(bound at line 2), not a number");
	tut_pkt("udp 2.2.2.2:9 > 10.0.0.7:$src", &k);
	CU_ASSERT_EQUAL(pkt_vars_subst(&k, v, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "$src holds an address (bound at line 2), udp.dport "
	    "needs a number");
	free(v);
}

static void
test_subst(void)
{
	struct pkt_vars *v = calloc(1, sizeof(*v));
	struct pkt_pat p;
	struct pkt d, k;
	uint8_t b[PKT_FRAME_MAX];
	char why[256], err[256];
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	tut_pkt("tcp 1.1.1.1:1 > 2.2.2.2:$q S", &k);
	CU_ASSERT_EQUAL(pkt_vars_subst(&k, v, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "$q is not bound: no expectation before this send saw "
	    "it");
	seen("tcp 1.1.1.1:1 > 2.2.2.2:2 SA seq 70000 ack 1 win 9 mss 1400 ts 11 22 ttl 9", &d);
	tut_pat("tcp 1.1.1.1:1 > 2.2.2.2:2 SA seq $big mss $m ts $tv $te ttl $t", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 1, why, sizeof(why)), 1);
	tut_pkt("tcp 2.2.2.2:$big > 1.1.1.1:1 A", &k);
	CU_ASSERT_EQUAL(pkt_vars_subst(&k, v, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "$big holds 70000 (bound at line 1): 70000 is more than "
	    "tcp.sport takes (65535)");
	/* options take the values in their bytes */
	tut_pkt("tcp 2.2.2.2:2 > 1.1.1.1:1 SA mss $m ts $te $tv+1 ttl $t", &k);
	CU_ASSERT_EQUAL(pkt_vars_subst(&k, v, err, sizeof(err)), 0);
	n = pkt_build_l3(&k, b, sizeof(b), err, sizeof(err));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(b, (size_t)n, &d), 0);
	tut_pat("tcp 2.2.2.2:2 > 1.1.1.1:1 SA mss 1400 ts 22 12 ttl 9", &p);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 1);
	/* a field the packet lacks */
	seen("tcp 1.1.1.1:1 > 2.2.2.2:2 S", &d);
	tut_pat("tcp 1.1.1.1:1 > 2.2.2.2:2 S mss $m2", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 1, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "field tcp.mss: expected an option vs actual none");
	tut_pat("tcp 1.1.1.1:1 > 2.2.2.2:2 S ts $a $b", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 1, why, sizeof(why)), 0);
	/* a translated echo id, bound on the wire, quoted by the error a router sends */
	seen("icmp echo-request 203.0.113.1 > 192.0.2.1 id 4321", &d);
	tut_pat("icmp echo-request 203.0.113.1 > 192.0.2.1 id $i", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 1, why, sizeof(why)), 1);
	tut_pkt("icmp timex 203.0.113.2 > 203.0.113.1 quote icmp 203.0.113.1 > 192.0.2.1 id $i",
	    &k);
	CU_ASSERT_EQUAL(pkt_vars_subst(&k, v, err, sizeof(err)), 0);
	n = pkt_build_l3(&k, b, sizeof(b), err, sizeof(err));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(b, (size_t)n, &d), 0);
	CU_ASSERT(d.has_quote && d.quote.icmp == PKT_ICMP_ECHO_REQUEST);
	CU_ASSERT_EQUAL(d.quote.sport, 4321);
	tut_pat("icmp timex * > * quote icmp echo-request 203.0.113.1 > * id $i", &p);
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 2, why, sizeof(why)), 1);
	d.quote.sport = 4322;
	CU_ASSERT_EQUAL(pkt_vars_match(&p, &d, v, 2, why, sizeof(why)), 0);
	free(v);
}

static void
test_format(void)
{
	struct pkt_pat p;
	char buf[256];

	tut_pat("tcp $a:$p > 198.51.100.7:443 S seq $s+1 ack $t-2 ts $v *", &p);
	CU_ASSERT_STRING_EQUAL(pkt_pat_format(&p, buf, sizeof(buf)),
	    "tcp $a:$p > 198.51.100.7:443 S seq $s+1 ack $t-2 ts $v *");
	tut_pat("icmp unreach-port 1.1.1.1 > 2.2.2.2 quote udp 2.2.2.2:$sp > 1.1.1.1:53", &p);
	CU_ASSERT_STRING_EQUAL(pkt_pat_format(&p, buf, sizeof(buf)),
	    "icmp unreach-port 1.1.1.1 > 2.2.2.2 quote udp 2.2.2.2:$sp > 1.1.1.1:53");
}

static void
test_bad(void)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
		{ "tcp 1.1.1.1:$1x > 2.2.2.2:2", "bad port in \"1.1.1.1:$1x\"" },
		{ "tcp 1.1.1.1:1 > 2.2.2.2:2 seq $s+", "bad variable \"$s+\" ($ then a letter "
		    "or _, then letters, digits or _, at most 23; +N or -N after it)" },
		{ "tcp $a+1:1 > 2.2.2.2:2", "$a+1: an address takes no +N or -N" },
		{ "tcp 1.1.1.1:1 > 2.2.2.2:2 seq $s ack $s ttl $a tos $b id $c urg $d mss $e "
		    "wscale $f ts $g $h", "more than 8 variables in one packet" },
		{ "tcp 1.1.1.1:1 > 2.2.2.2:2 ttl $a ttl $b", "$b written twice" },
	};
	struct pkt_pat p;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL(pkt_pat_parse(bad[i].text, &p, err, sizeof(err)), -1);
		CU_ASSERT_STRING_EQUAL(err, bad[i].err);
		if (strcmp(err, bad[i].err) != 0)
			fprintf(stderr, "\n  %s: got \"%s\"\n", bad[i].text, err);
	}
}

int
pkt_var_test_register(void)
{
	CU_pSuite s = CU_add_suite("pkt_var", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "bound once, checked after", test_bind_then_check) == NULL ||
	    CU_add_test(s, "$NAME+N and $NAME-N, modulo 2^32", test_offsets) == NULL ||
	    CU_add_test(s, "twice in one pattern", test_twice_in_one) == NULL ||
	    CU_add_test(s, "addresses", test_addresses) == NULL ||
	    CU_add_test(s, "sends take the values", test_subst) == NULL ||
	    CU_add_test(s, "written back", test_format) == NULL ||
	    CU_add_test(s, "wrong variables named", test_bad) == NULL)
		return (-1);
	return (0);
}
