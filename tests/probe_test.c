/* probe_test.c: the probe generator's core (harness/probe/): value sets and box
 * subtraction, a rule's match set less earlier rules', and the verdicts it reaches
 * on small rulesets: probed (with a packet inside the rule), shadowed by an earlier
 * quick rule, by a later rule, by translation, by `set skip`, empty tables, anchors'
 * conditions and quick scope; a format v2 world's wires, router and VNET jail; and
 * probe_outcome, which `pfharness diff` compares. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "probe/probe.h"
#include "probe/probe_impl.h"
#include "tests.h"

static struct pval
v4(const char *s)
{
	struct pkt_addr a;

	CU_ASSERT_FATAL(pkt_addr_parse(s, &a) == 0);
	return (pval_addr(AF_INET, a.a));
}

static void
test_sets(void)
{
	struct pset a, b, c;
	struct pval v, w;

	pset_init(&a);
	pset_init(&b);
	pset_init(&c);
	CU_ASSERT(pset_add(&a, pval_u(10), pval_u(20)) == 0);
	CU_ASSERT(pset_add(&a, pval_u(21), pval_u(30)) == 0);	/* adjacent: merged */
	CU_ASSERT(a.n == 1 && a.iv[0].a.lo == 10 && a.iv[0].b.lo == 30);
	CU_ASSERT(pset_add(&a, pval_u(40), pval_u(50)) == 0);
	CU_ASSERT(pset_add(&a, pval_u(0), pval_u(2)) == 0);	/* in front */
	CU_ASSERT(a.n == 3 && a.iv[0].b.lo == 2 && a.iv[2].a.lo == 40);
	CU_ASSERT(pset_add(&b, pval_u(15), pval_u(45)) == 0);
	CU_ASSERT(pset_minus(&c, &a, &b) == 0);
	CU_ASSERT(c.n == 3 && c.iv[0].b.lo == 2 && c.iv[1].a.lo == 10 &&
	    c.iv[1].b.lo == 14 && c.iv[2].a.lo == 46 && c.iv[2].b.lo == 50);
	CU_ASSERT(pset_and(&c, &a, &b) == 0);
	CU_ASSERT(c.n == 2 && c.iv[0].a.lo == 15 && c.iv[0].b.lo == 30 &&
	    c.iv[1].a.lo == 40 && c.iv[1].b.lo == 45);
	CU_ASSERT(pset_within(&c, &a) && !pset_within(&b, &a));
	CU_ASSERT(pset_has(&a, pval_u(41)) && !pset_has(&a, pval_u(35)));
	/* a network's own address and port 0 are not picked when there is more */
	pset_free(&a);
	CU_ASSERT(pset_add(&a, v4("10.0.0.0"), v4("10.0.0.255")) == 0);
	CU_ASSERT(pset_pick(&a, NULL, 0, &v) == 0 && pval_cmp(v, v4("10.0.0.1")) == 0);
	w = v4("10.0.0.9");
	CU_ASSERT(pset_pick(&a, &w, 1, &v) == 0 && pval_cmp(v, w) == 0);
	/* the top of the address space does not wrap */
	CU_ASSERT(pset_full(&b, pdim_max(PD_SRC, AF_INET6)) == 0);
	CU_ASSERT(pset_minus(&c, &b, &b) == 0 && pset_empty(&c));
	pset_free(&a);
	pset_free(&b);
	pset_free(&c);
}

/* 1 when the packet (proto, src, dst, dport; sport 1000, flags S) is in r. */
static int
has(const struct pregion *r, int proto, const char *src, const char *dst, int dport)
{
	struct pval p[PD_N];
	int i, d, in;

	p[PD_PROTO] = pval_u((uint64_t)proto);
	p[PD_SRC] = v4(src);
	p[PD_SPORT] = pval_u(1000);
	p[PD_DST] = v4(dst);
	p[PD_DPORT] = pval_u((uint64_t)dport);
	p[PD_FLAGS] = pval_u(proto == IPPROTO_TCP ? 2 : 0);
	p[PD_ITYPE] = pval_u(0);
	p[PD_ICODE] = pval_u(0);
	for (i = 0; i < r->n; i++) {
		for (d = 0, in = 1; d < PD_N && in; d++)
			in = pset_has(&r->b[i].d[d], p[d]);
		if (in)
			return (1);
	}
	return (0);
}

static void
test_box_minus(void)
{
	struct pregion r, q;

	pregion_init(&r);
	pregion_init(&q);
	CU_ASSERT_FATAL(probe_space(AF_INET, &r) == 0);
	CU_ASSERT(has(&r, IPPROTO_TCP, "10.1.1.1", "10.2.2.2", 22));
	CU_ASSERT_FATAL(probe_space(AF_INET, &q) == 0);
	/* q: tcp to 10/8 port 22 (its tcp box narrowed) */
	pset_free(&q.b[0].d[PD_DST]);
	CU_ASSERT(pset_add(&q.b[0].d[PD_DST], v4("10.0.0.0"), v4("10.255.255.255")) == 0);
	pset_free(&q.b[0].d[PD_DPORT]);
	CU_ASSERT(pset_add(&q.b[0].d[PD_DPORT], pval_u(22), pval_u(22)) == 0);
	CU_ASSERT(pregion_minus(&r, &q.b[0]) == 0);
	CU_ASSERT(!has(&r, IPPROTO_TCP, "10.1.1.1", "10.2.2.2", 22));
	CU_ASSERT(has(&r, IPPROTO_TCP, "10.1.1.1", "10.2.2.2", 23));
	CU_ASSERT(has(&r, IPPROTO_TCP, "10.1.1.1", "11.2.2.2", 22));
	CU_ASSERT(has(&r, IPPROTO_UDP, "10.1.1.1", "10.2.2.2", 22));
	pregion_free(&q);
	CU_ASSERT_FATAL(probe_space(AF_INET, &q) == 0);
	for (int i = 0; i < q.n; i++)
		CU_ASSERT(pregion_minus(&r, &q.b[i]) == 0);
	CU_ASSERT(pregion_empty(&r));
	pregion_free(&r);
	pregion_free(&q);
}

/* A rule's match set minus an earlier quick rule's: what is left is exactly the
 * first less the second. */
static void
test_match_minus_earlier(void)
{
	static const char conf[] =
	    "pass in proto tcp from 10.0.0.0/8 to any port 1:1000\n"
	    "block in quick proto tcp from 10.1.0.0/16 to any port 22\n"
	    "pass in proto udp from ! 10.0.0.0/8 to <t>\n"
	    "table <t> { 192.0.2.0/24 !192.0.2.7 }\n";
	struct pfm_load_opts lo;
	struct pfm_ruleset *rs;
	struct pregion a, b;
	struct diag d = { 0 };
	int inexact = 0;

	memset(&lo, 0, sizeof(lo));
	lo.file = "t.conf";
	rs = pfm_ruleset_parse(conf, &lo, NULL, &d);
	if (rs == NULL)
		fputs(diag_text(&d), stderr);
	CU_ASSERT_FATAL(rs != NULL);
	pregion_init(&a);
	pregion_init(&b);
	CU_ASSERT(probe_rule_match(rs->rules, AF_INET, 1, NULL, &a, &inexact) == 0);
	CU_ASSERT(probe_rule_match(rs->rules->next, AF_INET, 1, NULL, &b, &inexact) == 0);
	CU_ASSERT(!inexact);
	CU_ASSERT(has(&a, IPPROTO_TCP, "10.1.2.3", "192.0.2.1", 22));
	CU_ASSERT(!has(&a, IPPROTO_UDP, "10.1.2.3", "192.0.2.1", 22));
	CU_ASSERT(!has(&a, IPPROTO_TCP, "11.1.2.3", "192.0.2.1", 22));
	CU_ASSERT(!has(&a, IPPROTO_TCP, "10.1.2.3", "192.0.2.1", 1001));
	for (int i = 0; i < b.n; i++)
		CU_ASSERT(pregion_minus(&a, &b.b[i]) == 0);
	CU_ASSERT(!has(&a, IPPROTO_TCP, "10.1.2.3", "192.0.2.1", 22));
	CU_ASSERT(has(&a, IPPROTO_TCP, "10.1.2.3", "192.0.2.1", 23));
	CU_ASSERT(has(&a, IPPROTO_TCP, "10.2.2.3", "192.0.2.1", 22));
	CU_ASSERT(has(&a, IPPROTO_TCP, "10.1.2.3", "198.51.100.1", 21));
	pregion_free(&a);
	/* negation and a table with a negated entry */
	CU_ASSERT(probe_rule_match(rs->rules->next->next, AF_INET, 1, NULL, &a,
	    &inexact) == 0);
	CU_ASSERT(has(&a, IPPROTO_UDP, "11.0.0.1", "192.0.2.8", 53));
	CU_ASSERT(!has(&a, IPPROTO_UDP, "10.0.0.1", "192.0.2.8", 53));
	CU_ASSERT(!has(&a, IPPROTO_UDP, "11.0.0.1", "192.0.2.7", 53));
	CU_ASSERT(!has(&a, IPPROTO_UDP, "11.0.0.1", "192.0.3.8", 53));
	CU_ASSERT(!inexact);
	pregion_free(&a);
	pregion_free(&b);
	pfm_ruleset_free(rs);
	diag_free(&d);
}

/* The generator on conf in the world em0 203.0.113.1/24, lo1 with jails .1-.3. */
static struct probe_world W;
static struct probe_list L;

static int
gen(const char *conf)
{
	char if1[] = "em0=203.0.113.1/24", if2[] = "lo1=10.99.0.1/28,10.99.0.2/28,"
	    "10.99.0.3/28";
	const char *name = "t.conf";
	struct probe_wopts o;
	struct pfm_load_opts lo;
	struct diag d = { 0 };
	int rc;

	probe_list_free(&L);
	probe_world_free(&W);
	memset(&o, 0, sizeof(o));
	CU_ASSERT(probe_wopt(&o, PROBE_OPT_IF, if1, "test") == 1);
	CU_ASSERT(probe_wopt(&o, PROBE_OPT_IF, if2, "test") == 1);
	memset(&lo, 0, sizeof(lo));
	lo.file = name;
	rc = probe_world_make(&W, &o, &conf, &name, 1, &d);
	if (rc == 0)
		rc = probe_generate(conf, &lo, &W, &L, &d);
	if (rc != 0)
		fputs(diag_text(&d), stderr);
	diag_free(&d);
	return (rc);
}

/* The case of the rule on line `line` whose text holds `part`. */
static const struct probe_case *
rule_at(int line, const char *part)
{
	int i;

	for (i = 0; i < L.n; i++)
		if (L.c[i].line == line && strstr(L.c[i].text, part) != NULL)
			return (&L.c[i]);
	return (NULL);
}

static void
test_shadowed_quick(void)
{
	const struct probe_case *c;

	CU_ASSERT_FATAL(gen("block in quick on em0 proto tcp to port 22\n"
	    "pass in on em0 proto tcp to port 22\n"
	    "pass in on em0 proto tcp to port 23\n") == 0);
	CU_ASSERT_FATAL((c = rule_at(1, "block")) != NULL);
	CU_ASSERT(c->kind == PK_PROBED && c->pkt.dport == 22 && c->via == PV_SEND);
	CU_ASSERT_FATAL((c = rule_at(2, "pass")) != NULL);
	CU_ASSERT(c->kind == PK_SHADOWED);
	CU_ASSERT(strstr(c->why, "earlier rules") != NULL &&
	    strstr(c->why, "t.conf:1") != NULL);
	CU_ASSERT_FATAL((c = rule_at(3, "pass")) != NULL);
	CU_ASSERT(c->kind == PK_PROBED && c->pkt.dport == 23 && c->passed);
}

static void
test_shadowed_later(void)
{
	const struct probe_case *c;

	CU_ASSERT_FATAL(gen("block in all\n"
	    "pass in on em0 proto tcp to port 24\n"
	    "block in on em0 proto tcp to port 24\n"
	    "pass in on em0 proto tcp to port 22\n") == 0);
	CU_ASSERT_FATAL((c = rule_at(1, "block")) != NULL);
	/* block in all decides a packet no later rule matches */
	CU_ASSERT(c->kind == PK_PROBED && !c->passed &&
	    !(c->pkt.proto == IPPROTO_TCP && (c->pkt.dport == 22 || c->pkt.dport == 24)));
	CU_ASSERT_FATAL((c = rule_at(2, "pass")) != NULL);
	CU_ASSERT(c->kind == PK_SHADOWED && strstr(c->why, "later rules") != NULL &&
	    strstr(c->why, "t.conf:3") != NULL);
	CU_ASSERT_FATAL((c = rule_at(3, "block")) != NULL);
	CU_ASSERT(c->kind == PK_PROBED && c->pkt.dport == 24 && !c->passed);
	CU_ASSERT_FATAL((c = rule_at(4, "pass")) != NULL);
	CU_ASSERT(c->kind == PK_PROBED && c->pkt.dport == 22 && c->passed);
}

static void
test_shadowed_translation(void)
{
	const struct probe_case *c;
	struct pkt_addr x;

	CU_ASSERT_FATAL(gen("rdr on em0 proto tcp to 203.0.113.1 port 81 -> 10.99.0.3 "
	    "port 80\n"
	    "pass in on em0 proto tcp to 203.0.113.1 port 81\n"
	    "pass in on em0 proto tcp to 10.99.0.3 port 80\n") == 0);
	CU_ASSERT_FATAL((c = rule_at(1, "rdr")) != NULL);
	CU_ASSERT(c->kind == PK_PROBED && c->pkt.dport == 81 &&
	    c->after.dport == 80);
	CU_ASSERT_FATAL((c = rule_at(2, "pass")) != NULL);
	CU_ASSERT(c->kind == PK_SHADOWED && strstr(c->why, "translation") != NULL);
	/* the rule on the translated address is probed through the rdr */
	CU_ASSERT_FATAL((c = rule_at(3, "pass")) != NULL);
	CU_ASSERT(c->kind == PK_PROBED && c->pkt.dport == 81 && c->after.dport == 80);
	/* with a `no rdr` first, the filter rule sees that client's packets */
	CU_ASSERT_FATAL(gen("no rdr on em0 proto tcp from 198.51.100.99 to any\n"
	    "rdr on em0 proto tcp to 203.0.113.1 port 81 -> 10.99.0.3 port 80\n"
	    "pass in on em0 proto tcp to 203.0.113.1 port 81\n") == 0);
	CU_ASSERT_FATAL((c = rule_at(3, "pass")) != NULL);
	(void)pkt_addr_parse("198.51.100.99", &x);
	CU_ASSERT(c->kind == PK_PROBED && pkt_addr_eq(&c->pkt.src, &x));
	CU_ASSERT_FATAL((c = rule_at(1, "no rdr")) != NULL);
	CU_ASSERT(c->kind == PK_PROBED && pkt_addr_eq(&c->pkt.src, &x));
}

static void
test_empty_skip_outside(void)
{
	const struct probe_case *c;

	CU_ASSERT_FATAL(gen("table <t> persist\nset skip on lo1\n"
	    "block in quick from <t>\n"
	    "pass in on lo1 proto tcp\n"
	    "pass in on wg0 proto udp to port 51820\n"
	    "pass in on em0 inet6 proto tcp to port 443\n") == 0);
	CU_ASSERT((c = rule_at(3, "block")) != NULL && c->kind == PK_EMPTY &&
	    strstr(c->why, "<t>") != NULL);
	CU_ASSERT((c = rule_at(4, "pass")) != NULL && c->kind == PK_SHADOWED &&
	    strstr(c->why, "set skip") != NULL);
	CU_ASSERT((c = rule_at(5, "pass")) != NULL && c->kind == PK_OUTSIDE &&
	    strstr(c->why, "wg0") != NULL);
	CU_ASSERT((c = rule_at(6, "pass")) != NULL && c->kind == PK_OUTSIDE &&
	    strstr(c->why, "inet6") != NULL);
}

static void
test_anchors(void)
{
	const struct probe_case *c;

	/* the anchor rule's `on em0` holds for its rules: the later block shadows */
	CU_ASSERT_FATAL(gen("anchor \"w\" in on em0 {\n"
	    " pass in proto tcp to port 25\n"
	    "}\n"
	    "block in on em0 proto tcp to port 25\n") == 0);
	CU_ASSERT((c = rule_at(2, "pass")) != NULL && c->kind == PK_SHADOWED);
	/* a quick anchor ends the evaluation after its match: not shadowed */
	CU_ASSERT_FATAL(gen("anchor \"q\" quick on em0 {\n"
	    " pass in proto tcp to port 25\n"
	    "}\n"
	    "block in on em0 proto tcp to port 25\n") == 0);
	CU_ASSERT((c = rule_at(2, "pass")) != NULL && c->kind == PK_PROBED &&
	    c->pkt.dport == 25 && c->passed);
	/* the block takes what the pass's flags S/SA do not: not a SYN */
	CU_ASSERT((c = rule_at(4, "block")) != NULL && c->kind == PK_PROBED &&
	    c->pkt.dport == 25 && (c->pkt.flags & (PKT_TH_SYN | PKT_TH_ACK)) !=
	    PKT_TH_SYN && !c->passed);
}

static void
test_connect_probes(void)
{
	const struct probe_case *c;

	CU_ASSERT_FATAL(gen("nat on em0 from 10.99.0.0/28 to any -> 203.0.113.1\n"
	    "block out on em0 proto tcp to port 25\n"
	    "pass on lo1 proto tcp from 10.99.0.1 to 10.99.0.2 port 3306\n") == 0);
	CU_ASSERT((c = rule_at(1, "nat")) != NULL && c->kind == PK_PROBED &&
	    c->via == PV_CONNECT && c->jail >= 0 && c->nat_lo == 50001 &&
	    c->nat_hi == 65535);
	CU_ASSERT((c = rule_at(2, "block")) != NULL && c->kind == PK_PROBED &&
	    c->via == PV_CONNECT && c->pkt.dport == 25 && !c->passed);
	CU_ASSERT((c = rule_at(3, "pass")) != NULL && c->kind == PK_PROBED &&
	    c->via == PV_CONNECT && c->pkt.dport == 3306 && c->jail == 0);
}

/* A format v2 world (--world): a second uplink with a router's LAN behind it, a
 * bridge with a VNET jail, a public jail, an interface down. */
static const char world_v2[] =
    "scenario \"v2\"\n"
    "host em0 203.0.113.1/24\n"
    "host em1 192.0.2.1/24\n"
    "host em2 down\n"
    "loopback lo1 10.99.0.0/28\n"
    "jail db 10.99.0.3\n"
    "jail web 203.0.113.10 on em0 listen tcp/80\n"
    "bridge bridge0 10.0.0.1/24\n"
    "vnet jail app 10.0.0.2/24 on bridge0\n"
    "router 192.0.2.254 on em1 routes 172.16.0.0/16\n"
    "client 198.51.100.7\n"
    "pf <<EOF\n"
    "nat on em0 from 172.16.0.0/16 to any -> (em0)\n"
    "nat on em0 from bridge0:network to any -> (em0)\n"
    "nat on em2 from any to any -> (em2)\n"
    "block in quick on bridge0 proto tcp to port 25\n"
    "pass in quick on em1 proto tcp to (em1) port 22\n"
    "pass out quick on em0 proto tcp from 203.0.113.10 port 1024:1030\n"
    "pass\n"
    "EOF\n";

static void
test_world_v2(void)
{
	char path[] = "/tmp/pfh-probe-test.XXXXXX", step[600];
	const char *conf = "nat on em0 from 172.16.0.0/16 to any -> (em0)\n"
	    "nat on em0 from bridge0:network to any -> (em0)\n"
	    "nat on em2 from any to any -> (em2)\n"
	    "block in quick on bridge0 proto tcp to port 25\n"
	    "pass in quick on em1 proto tcp to (em1) port 22\n"
	    "pass out quick on em0 proto tcp from 203.0.113.10 port 1024:1030\n"
	    "pass\n", *name = "t.conf";
	const struct probe_case *c;
	struct probe_wopts o;
	struct pfm_load_opts lo;
	struct diag d = { 0 };
	struct pkt_addr app;
	FILE *f;
	int fd, i, down = 0;

	probe_list_free(&L);
	probe_world_free(&W);
	CU_ASSERT_FATAL((fd = mkstemp(path)) != -1);
	CU_ASSERT_FATAL((f = fdopen(fd, "w")) != NULL);
	fputs(world_v2, f);
	fclose(f);
	memset(&o, 0, sizeof(o));
	o.world = path;
	memset(&lo, 0, sizeof(lo));
	lo.file = name;
	CU_ASSERT_FATAL(probe_world_make(&W, &o, &conf, &name, 1, &d) == 0);
	CU_ASSERT_FATAL(probe_generate(conf, &lo, &W, &L, &d) == 0);
	unlink(path);
	diag_free(&d);
	(void)pkt_addr_parse("10.0.0.2", &app);
	/* the LAN behind em1's router: sent on em1, forwarded out em0 with nat */
	CU_ASSERT_FATAL((c = rule_at(1, "172.16.0.0/16")) != NULL);
	CU_ASSERT(c->kind == PK_PROBED && c->via == PV_SEND && c->wire == 1 &&
	    c->pkt.src.a[0] == 172 && c->pkt.src.a[1] == 16 && c->nat_lo == 50001);
	CU_ASSERT(strncmp(probe_step_text(&W, c, step, sizeof(step)), "send on em1 ",
	    12) == 0);
	/* the VNET jail connects out through the bridge and nat */
	CU_ASSERT_FATAL((c = rule_at(2, "10.0.0.0/24")) != NULL);
	CU_ASSERT(c->kind == PK_PROBED && c->via == PV_CONNECT && c->jail >= 0 &&
	    W.jail[c->jail].vnet && pkt_addr_eq(&c->pkt.src, &app));
	/* em2 is down: no packet goes out on it */
	CU_ASSERT((c = rule_at(3, "em2")) != NULL && c->kind == PK_OUTSIDE &&
	    strstr(c->why, "down") != NULL);
	/* what a VNET jail sends comes in on its bridge */
	CU_ASSERT((c = rule_at(4, "block")) != NULL && c->kind == PK_PROBED &&
	    c->via == PV_CONNECT && c->pkt.dport == 25 && !c->passed);
	/* a client of em1's own subnet, to the host's address there */
	CU_ASSERT((c = rule_at(5, "em1")) != NULL && c->kind == PK_PROBED &&
	    c->via == PV_SEND && c->wire == 1 && c->pkt.dport == 22 && c->passed);
	/* a jail on em0 connects out as one on the loopback does */
	CU_ASSERT((c = rule_at(6, "203.0.113.10")) != NULL && c->kind == PK_PROBED &&
	    c->via == PV_CONNECT && c->jail >= 0 && W.jail[c->jail].pub);
	/* what the probes leave out is said, file:line first: em2 is down */
	for (i = 0; i < W.nlimit; i++)
		down |= strstr(W.limit[i], ":4: host em2 down") != NULL;
	CU_ASSERT(down);
}

/* probe_outcome: the same packet, two rulesets: the words differ where pf's verdict
 * does, and only there. */
static void
test_outcome(void)
{
	static const char *confs[] = { "pass in on em0 proto tcp to port 22\n",
	    "block in on em0 proto tcp to port 22\n" };
	struct pfm_load_opts lo;
	struct pfm *pf[2];
	struct diag d = { 0 };
	char out[2][2048], rules[2048];
	int i;

	CU_ASSERT_FATAL(gen(confs[0]) == 0);
	CU_ASSERT_FATAL(L.n == 1 && L.c[0].kind == PK_PROBED);
	memset(&lo, 0, sizeof(lo));
	lo.file = "t.conf";
	for (i = 0; i < 2; i++) {
		CU_ASSERT_FATAL((pf[i] = pfm_new(&W.host)) != NULL);
		CU_ASSERT_FATAL(pfm_load(pf[i], confs[i], &lo, &d) == 0);
		probe_outcome(pf[i], &W, &L.c[0], out[i], sizeof(out[i]), rules,
		    sizeof(rules));
		CU_ASSERT(strstr(rules, "t.conf:1: ") != NULL);
	}
	CU_ASSERT(strncmp(out[0], "in on em0: pass, state all tcp 203.0.113.1:22 <- ",
	    48) == 0);
	CU_ASSERT(strcmp(out[1], "in on em0: block") == 0);
	probe_outcome(pf[0], &W, &L.c[0], out[1], sizeof(out[1]), NULL, 0);
	CU_ASSERT_STRING_EQUAL(out[0], out[1]);
	for (i = 0; i < 2; i++)
		pfm_free(pf[i]);
	diag_free(&d);
}

static int
cleanup(void)
{
	probe_list_free(&L);
	probe_world_free(&W);
	return (0);
}

int
probe_test_register(void)
{
	CU_pSuite s = CU_add_suite("probe", NULL, cleanup);

	if (s == NULL ||
	    CU_add_test(s, "value sets: union, difference, intersection, pick",
	    test_sets) == NULL ||
	    CU_add_test(s, "a box less another", test_box_minus) == NULL ||
	    CU_add_test(s, "a rule's match set less an earlier quick rule's",
	    test_match_minus_earlier) == NULL ||
	    CU_add_test(s, "shadowed by an earlier quick rule", test_shadowed_quick) == NULL ||
	    CU_add_test(s, "shadowed by a later rule (last match)",
	    test_shadowed_later) == NULL ||
	    CU_add_test(s, "shadowed by translation; probed through it",
	    test_shadowed_translation) == NULL ||
	    CU_add_test(s, "empty tables, set skip, outside the world",
	    test_empty_skip_outside) == NULL ||
	    CU_add_test(s, "anchors: their rules' conditions, quick scope",
	    test_anchors) == NULL ||
	    CU_add_test(s, "jails' connections: nat, out, jail to jail",
	    test_connect_probes) == NULL ||
	    CU_add_test(s, "a format v2 world: wires, a router, a VNET jail, down",
	    test_world_v2) == NULL ||
	    CU_add_test(s, "what pf does with a probe, in words (diff)",
	    test_outcome) == NULL)
		return (-1);
	return (0);
}
