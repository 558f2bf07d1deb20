/* pfm_parse_test.c: the pf.conf parser and printer: pfctl's messages, expansion, macros
 * and -D, section order, tables, ports, address forms, translation pools. */
#include <sys/socket.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "pf/pfm_rule.h"
#include "pfm_tutil.h"
#include "tests.h"
#include "tutil.h"

/* Parse text (with optional -D definitions) and return what `pfctl -nv` would print,
 * or, when the load fails, the error text; caller frees. */
static char *
run(const char *text, const struct pfm_define *def, int ndef, const struct pfm_host *h,
    int *ok)
{
	struct pfm_load_opts lo;

	memset(&lo, 0, sizeof(lo));
	lo.define = def;
	lo.ndefine = ndef;
	return (tu_parse(text, &lo, h, ok));
}

static void
expect_out(const char *text, const char *want)
{
	int ok;
	char *got = run(text, NULL, 0, NULL, &ok);

	CU_ASSERT_TRUE(ok);
	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n--- input\n%s--- got\n%s--- want\n%s", text, got, want);
	free(got);
}

static void
expect_err(const char *text, const char *want)
{
	int ok;
	char *got = run(text, NULL, 0, NULL, &ok);

	CU_ASSERT_FALSE(ok);
	CU_ASSERT_PTR_NOT_NULL(strstr(got, want));
	if (strstr(got, want) == NULL)
		fprintf(stderr, "\n--- input\n%s--- got\n%s--- want\n%s\n", text, got, want);
	free(got);
}

static void
test_thin(void)
{
	expect_out("pass in all\n", "pass in all flags S/SA keep state\n");
	expect_out("block in proto tcp from any to any port 25\n",
	    "block drop in proto tcp from any to any port = smtp\n");
	expect_out("pass out on em0 proto udp from 10.0.0.0/8 to any port 53 keep state\n",
	    "pass out on em0 inet proto udp from 10.0.0.0/8 to any port = domain "
	    "keep state\n");
}

/* Every message PF-REFERENCE lists, with `file:line:`. */
static void
test_errors(void)
{
	expect_err("pass in proto icmp from any port 80 to any\n",
	    "stdin:1: port only applies to tcp/udp\n");
	expect_err("\npass in proto udp all flags S/SA\n", "stdin:2: flags only apply to tcp\n");
	expect_err("block return-rst in proto udp all\n",
	    "stdin:1: return-rst can only be applied to TCP rules\n");
	expect_err("block in all keep state\n",
	    "stdin:1: keep state is great, but only for pass rules\n");
	expect_err("nat on em0 from 10.0.0.0/8 to any\n",
	    "stdin:1: translation rule requires '-> address'\n");
	expect_err("no nat on em0 from 10.0.0.0/8 to any -> 1.2.3.4\n",
	    "stdin:1: translation rule with 'no' does not need '->'\n");
	expect_err("no rdr pass on em0 from any to any\n",
	    "stdin:1: \"pass\" not valid with \"no\"\n");
	expect_err("rdr on em0 proto tcp from any to any port 80 -> 10.0.0.1 static-port\n",
	    "stdin:1: the 'static-port' option is only valid with nat rules\n");
	expect_err("pass in inet from ::1 to any\n",
	    "stdin:1: rule expands to no valid combination\n");
	expect_err("pass out on em0 from 10.0.0.0/8 to any nat-to 203.0.113.1\n",
	    "stdin:1: syntax error\n");
	expect_err("rdr on em0 proto tcp from any to any port 80 rdr-to 10.0.0.1\n",
	    "stdin:1: syntax error\n");
	/* parse.y's lists end on an item: `{ a, }` is a syntax error, os_list too */
	expect_err("pass in proto tcp from any port { 22, } to any\n",
	    "stdin:1: syntax error\n");
	expect_err("pass in proto tcp from any os { \"OpenBSD\", } to any\n",
	    "stdin:1: syntax error\n");
	expect_err("rdr on em0 proto tcp from any to any port > 80 -> 10.0.0.1\n",
	    "stdin:1: invalid port operator for rdr destination port\n");
	expect_err("set skip on ! lo0\n",
	    "stdin:1: skip on ! <interface> is not supported\n");
	expect_err("pass in proto foo all\n", "stdin:1: unknown protocol foo\n");
	expect_err("pass in proto tcp to port nosuchport\n", "stdin:1: unknown port nosuchport\n");
	expect_err("pass in from $nomacro\n", "stdin:1: macro 'nomacro' not defined\n");
	expect_err("pass in from nosuchhost.invalid\n",
	    "no IP address found for nosuchhost.invalid\n"
	    "stdin:1: could not parse host specification\n");
	/* errors on several lines are all reported */
	expect_err("pass in proto icmp from any port 80\n\n\nblock in all keep state\n",
	    "stdin:4: keep state is great, but only for pass rules\n");
}

static void
test_order(void)
{
	expect_err("pass in all\nnat on em0 from 10.0.0.0/8 to any -> 203.0.113.1\n",
	    "stdin:2: Rules must be in order: options, ethernet, normalization, "
	    "queueing, translation, filtering\n");
	expect_err("pass in all\nset block-policy return\n", "stdin:2: Rules must be in order");
	expect_err("rdr on em0 proto tcp to port 80 -> 10.0.0.1\nscrub in all\n",
	    "stdin:2: Rules must be in order");
	/* the first seed article's ruleset: block before rdr */
	expect_err("block on em0 proto tcp from any to 203.0.113.1 port 111\n"
	    "rdr pass on em0 proto tcp from any to 203.0.113.1 port 81 -> 10.99.0.3 port 80\n",
	    "stdin:2: Rules must be in order");
	expect_out("set require-order no\npass in all\n"
	    "nat on em0 from 10.0.0.0/8 to any -> 203.0.113.1\n",
	    "set require-order no\n"
	    "nat on em0 inet from 10.0.0.0/8 to any -> 203.0.113.1\n"
	    "pass in all flags S/SA keep state\n");
}

static void
test_macros(void)
{
	struct pfm_define def[] = { { "svc", "www" } };
	char *got;
	int ok;

	expect_out("a=\"ssh\"\nb=\"ftp\"\nc=$a $b\npass in proto tcp to port { $c }\n",
	    "a = \"ssh\"\nb = \"ftp\"\nc = \"ssh ftp\"\n"
	    "pass in proto tcp from any to any port = ssh flags S/SA keep state\n"
	    "pass in proto tcp from any to any port = ftp flags S/SA keep state\n");
	/* -D wins over the file's definition */
	got = run("svc = \"ssh\"\npass in proto tcp to port $svc\n", def, 1, NULL, &ok);
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_PTR_NOT_NULL(strstr(got, "port = http flags"));
	free(got);
	/* macros are not expanded inside quotes */
	expect_out("x=\"1\"\npass in all label \"$x\"\n",
	    "x = \"1\"\npass in all flags S/SA keep state label \"$x\"\n");
}

static void
test_expansion(void)
{
	/* one rule per combination, in pfctl's order: proto, src, sport, dst, dport */
	expect_out("block in proto { tcp udp } from { 10.0.0.1 10.0.0.2 } port { 1 2 } "
	    "to 10.1.1.1 port { 3 4 }\n",
	    "block drop in inet proto tcp from 10.0.0.1 port = tcpmux to 10.1.1.1 port = compressnet\n"
	    "block drop in inet proto tcp from 10.0.0.1 port = tcpmux to 10.1.1.1 port = 4\n"
	    "block drop in inet proto tcp from 10.0.0.1 port = compressnet to 10.1.1.1 port = compressnet\n"
	    "block drop in inet proto tcp from 10.0.0.1 port = compressnet to 10.1.1.1 port = 4\n"
	    "block drop in inet proto tcp from 10.0.0.2 port = tcpmux to 10.1.1.1 port = compressnet\n"
	    "block drop in inet proto tcp from 10.0.0.2 port = tcpmux to 10.1.1.1 port = 4\n"
	    "block drop in inet proto tcp from 10.0.0.2 port = compressnet to 10.1.1.1 port = compressnet\n"
	    "block drop in inet proto tcp from 10.0.0.2 port = compressnet to 10.1.1.1 port = 4\n"
	    "block drop in inet proto udp from 10.0.0.1 port = tcpmux to 10.1.1.1 port = compressnet\n"
	    "block drop in inet proto udp from 10.0.0.1 port = tcpmux to 10.1.1.1 port = 4\n"
	    "block drop in inet proto udp from 10.0.0.1 port = compressnet to 10.1.1.1 port = compressnet\n"
	    "block drop in inet proto udp from 10.0.0.1 port = compressnet to 10.1.1.1 port = 4\n"
	    "block drop in inet proto udp from 10.0.0.2 port = tcpmux to 10.1.1.1 port = compressnet\n"
	    "block drop in inet proto udp from 10.0.0.2 port = tcpmux to 10.1.1.1 port = 4\n"
	    "block drop in inet proto udp from 10.0.0.2 port = compressnet to 10.1.1.1 port = compressnet\n"
	    "block drop in inet proto udp from 10.0.0.2 port = compressnet to 10.1.1.1 port = 4\n");
	/* mixed address families: combinations across families are dropped */
	expect_out("pass in on { em0 em1 } from { 10.0.0.1 ::1 } to { 10.0.0.2 ::2 }\n",
	    "pass in on em0 inet from 10.0.0.1 to 10.0.0.2 flags S/SA keep state\n"
	    "pass in on em0 inet6 from ::1 to ::2 flags S/SA keep state\n"
	    "pass in on em1 inet from 10.0.0.1 to 10.0.0.2 flags S/SA keep state\n"
	    "pass in on em1 inet6 from ::1 to ::2 flags S/SA keep state\n");
	/* antispoof expands as pfctl does (lo0 is a loopback: no second rule) */
	expect_out("antispoof for lo0\n",
	    "block drop in on ! lo0 inet6 from ::1 to any\n"
	    "block drop in on ! lo0 inet from 127.0.0.0/8 to any\n");
}

static void
test_ports(void)
{
	expect_out("pass in proto tcp from any port { = 1, != 2, < 3, <= 4, > 5, >= 6 } to any "
	    "port { 7:9, 10 >< 20, 30 <> 40 }\n",
	    "pass in proto tcp from any port = tcpmux to any port 7:9 flags S/SA keep state\n"
	    "pass in proto tcp from any port = tcpmux to any port 10 >< 20 flags S/SA keep state\n"
	    "pass in proto tcp from any port = tcpmux to any port 30 <> 40 flags S/SA keep state\n"
	    "pass in proto tcp from any port != compressnet to any port 7:9 flags S/SA keep state\n"
	    "pass in proto tcp from any port != compressnet to any port 10 >< 20 flags S/SA keep state\n"
	    "pass in proto tcp from any port != compressnet to any port 30 <> 40 flags S/SA keep state\n"
	    "pass in proto tcp from any port < 3 to any port 7:9 flags S/SA keep state\n"
	    "pass in proto tcp from any port < 3 to any port 10 >< 20 flags S/SA keep state\n"
	    "pass in proto tcp from any port < 3 to any port 30 <> 40 flags S/SA keep state\n"
	    "pass in proto tcp from any port <= 4 to any port 7:9 flags S/SA keep state\n"
	    "pass in proto tcp from any port <= 4 to any port 10 >< 20 flags S/SA keep state\n"
	    "pass in proto tcp from any port <= 4 to any port 30 <> 40 flags S/SA keep state\n"
	    "pass in proto tcp from any port > 5 to any port 7:9 flags S/SA keep state\n"
	    "pass in proto tcp from any port > 5 to any port 10 >< 20 flags S/SA keep state\n"
	    "pass in proto tcp from any port > 5 to any port 30 <> 40 flags S/SA keep state\n"
	    "pass in proto tcp from any port >= 6 to any port 7:9 flags S/SA keep state\n"
	    "pass in proto tcp from any port >= 6 to any port 10 >< 20 flags S/SA keep state\n"
	    "pass in proto tcp from any port >= 6 to any port 30 <> 40 flags S/SA keep state\n");
	expect_err("pass in proto tcp to port 70000\n", "stdin:1: illegal port value 70000\n");
	expect_err("pass in proto tcp to port > 1:2\n",
	    "stdin:1: ':' cannot be used with an other port operator\n");
}

static void
test_tables(void)
{
	struct pfm_load_opts lo;
	struct pfm_ruleset *rs;
	struct pfm_table *t;
	struct diag d = { 0 };
	char path[PATH_MAX], text[PATH_MAX + 256];
	FILE *fp;

	tut_tmp_path(path, sizeof(path), "jails.txt");
	fp = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs("# comment\n192.0.2.0/24\n!192.0.2.7\n2001:db8::1\n", fp);
	fclose(fp);
	snprintf(text, sizeof(text),
	    "table <bad> persist\n"
	    "table <jails> const { 10.99.0.1 10.99.0.2, !10.99.0.3 } file \"%s\"\n"
	    "block in quick from <bad>\npass in from <jails> to <nowhere>\n", path);
	memset(&lo, 0, sizeof(lo));
	rs = pfm_ruleset_parse(text, &lo, NULL, &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rs);
	for (t = rs->tables; t != NULL && strcmp(t->name, "jails"); t = t->next)
		;
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_TRUE(t->konst);
	CU_ASSERT_FALSE(t->persist);
	CU_ASSERT_EQUAL(t->nent, 6);
	CU_ASSERT_EQUAL(t->ent[2].neg, 1);
	CU_ASSERT_EQUAL(t->ent[3].plen, 24);
	CU_ASSERT_EQUAL(t->ent[4].neg, 1);
	CU_ASSERT_EQUAL(t->ent[5].af, AF_INET6);
	CU_ASSERT_EQUAL(rs->rules->src.addr.type, PFM_ADDR_TABLE);
	CU_ASSERT_STRING_EQUAL(rs->rules->src.addr.table->name, "bad");
	CU_ASSERT_STRING_EQUAL(rs->rules->next->dst.addr.table->name, "nowhere");
	pfm_ruleset_free(rs);
	diag_free(&d);
	expect_out("table <t> { 10/8 !10.1.2.3 lo0 }\n",
	    "table <t> { 10.0.0.0/8 !10.1.2.3 ::1 fe80::1 127.0.0.1 }\n");
	expect_err("table <t> { (em0) }\n",
	    "stdin:1: dynamic addresses are not permitted inside tables\n");
	expect_err("table <t> file \"/nonexistent/x\"\n",
	    "stdin:1: cannot load \"/nonexistent/x\": No such file or directory\n");
}

static void
test_addresses(void)
{
	struct pfm_host h;
	struct pfm_if *em;
	char *got;
	int ok;

	pfm_host_default(&h);
	em = &h.iface[h.niface++];
	memset(em, 0, sizeof(*em));
	snprintf(em->name, sizeof(em->name), "em0");
	em->addr[0].af = AF_INET;
	em->addr[0].addr[0] = 203;
	em->addr[0].addr[2] = 113;
	em->addr[0].addr[3] = 1;
	em->addr[0].plen = 24;
	em->addr[1] = em->addr[0];
	em->addr[1].addr[3] = 2;
	em->naddr = 2;
	got = run("pass in on em0 from em0:network to em0\n"
	    "pass in from any to em0:0\n"
	    "pass in from ! (em0) to (em0:network)\n"
	    "pass in from no-route to self\n"
	    "pass in from <t> to em0:broadcast\n"
	    "pass in from 203.0.113.1 - 203.0.113.9\n", NULL, 0, &h, &ok);
	CU_ASSERT_TRUE(ok);
	/* one rule per interface address: :network and :broadcast repeat per address,
	 * and a link-local address binds the rule to its interface, as with pfctl */
	CU_ASSERT_STRING_EQUAL(got,
	    "pass in on em0 inet from 203.0.113.0/24 to 203.0.113.1 flags S/SA keep state\n"
	    "pass in on em0 inet from 203.0.113.0/24 to 203.0.113.2 flags S/SA keep state\n"
	    "pass in on em0 inet from 203.0.113.0/24 to 203.0.113.1 flags S/SA keep state\n"
	    "pass in on em0 inet from 203.0.113.0/24 to 203.0.113.2 flags S/SA keep state\n"
	    "pass in inet from any to 203.0.113.1 flags S/SA keep state\n"
	    "pass in from ! (em0) to (em0:network) flags S/SA keep state\n"
	    "pass in inet6 from no-route to ::1 flags S/SA keep state\n"
	    "pass in on lo0 inet6 from no-route to fe80::1 flags S/SA keep state\n"
	    "pass in inet from no-route to 127.0.0.1 flags S/SA keep state\n"
	    "pass in inet from no-route to 203.0.113.1 flags S/SA keep state\n"
	    "pass in inet from no-route to 203.0.113.2 flags S/SA keep state\n"
	    "pass in inet from <t> to 203.0.113.255 flags S/SA keep state\n"
	    "pass in inet from <t> to 203.0.113.255 flags S/SA keep state\n"
	    "pass in inet from 203.0.113.1 - 203.0.113.9 to any flags S/SA keep state\n");
	free(got);
}

/* What the evaluator relies on: pools, ports, pass flags, states. */
static void
test_translation(void)
{
	struct pfm_load_opts lo;
	struct pfm_ruleset *rs;
	struct pfm_rule *r;
	struct diag d = { 0 };

	memset(&lo, 0, sizeof(lo));
	rs = pfm_ruleset_parse("INT = \"em0\"\n"
	    "scrub in all\n"
	    "nat pass on $INT from 10.99.0.0/28 to any -> 203.0.113.1\n"
	    "nat on $INT from 10.99.0.4 to any -> 203.0.113.1 static-port\n"
	    "rdr pass on $INT proto tcp from any to 203.0.113.1 port 81 -> 10.99.0.3 port 80\n"
	    "rdr on $INT proto tcp from any to 203.0.113.1 port 8000:8010 -> 10.99.0.2 "
	    "port 9000:*\n"
	    "rdr on $INT proto tcp to port { 21 80 } -> { 10.99.0.1 10.99.0.2 } "
	    "round-robin\n"
	    "block on $INT proto tcp from any to 203.0.113.1 port 111\n", &lo, NULL, &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rs);
	CU_ASSERT_EQUAL(rs->nscrub, 1);
	CU_ASSERT_EQUAL(rs->nnat, 2);
	CU_ASSERT_EQUAL(rs->nrdr, 4);
	CU_ASSERT_EQUAL(rs->nrules, 1);
	r = rs->nat;
	CU_ASSERT_EQUAL(r->action, PFM_R_NAT);
	CU_ASSERT_TRUE(r->pass_trans);
	CU_ASSERT_EQUAL(r->rpool.proxy_port[0], 50001);
	CU_ASSERT_EQUAL(r->rpool.proxy_port[1], 65535);
	CU_ASSERT_EQUAL(r->rpool.naddr, 1);
	CU_ASSERT_EQUAL(r->line, 3);
	CU_ASSERT_TRUE(r->next->rpool.static_port);
	r = rs->rdr;
	CU_ASSERT_EQUAL(r->dst.port_op, PFM_OP_EQ);
	CU_ASSERT_EQUAL(r->dst.port[0], 81);
	CU_ASSERT_EQUAL(r->rpool.proxy_port[0], 80);
	CU_ASSERT_EQUAL(r->rpool.port_op, PFM_OP_EQ);
	r = r->next;
	CU_ASSERT_EQUAL(r->rpool.proxy_port[0], 9000);
	CU_ASSERT_EQUAL(r->rpool.proxy_port[1], 9010);
	CU_ASSERT_EQUAL(r->rpool.port_op, PFM_OP_RRG);
	r = r->next;
	CU_ASSERT_EQUAL(r->rpool.type, PFM_POOL_ROUNDROBIN);
	CU_ASSERT_EQUAL(r->rpool.naddr, 2);
	r = rs->rules;
	CU_ASSERT_EQUAL(r->block, PFM_BLOCK_DROP);
	CU_ASSERT_EQUAL(r->keep, PFM_KEEP_NONE);
	pfm_ruleset_free(rs);
	diag_free(&d);
	expect_out("nat on em0 from 10.0.0.0/8 to any -> 203.0.113.1 port 1024:2048\n"
	    "rdr on em0 proto tcp from any to any port 8000:8010 -> 10.0.0.1 port 9000:*\n"
	    "binat on em0 from 10.0.0.5 to any -> 203.0.113.5\n",
	    "nat on em0 inet from 10.0.0.0/8 to any -> 203.0.113.1 port 1024:2048\n"
	    "rdr on em0 inet proto tcp from any to any port 8000:8010 -> 10.0.0.1 "
	    "port 9000:9010\n"
	    "binat on em0 inet from 10.0.0.5 to any -> 203.0.113.5\n");
}

static void
test_options(void)
{
	struct pfm_load_opts lo;
	struct pfm_ruleset *rs;
	struct diag d = { 0 };

	memset(&lo, 0, sizeof(lo));
	rs = pfm_ruleset_parse("set skip on { lo lo1 }\nset block-policy return\n"
	    "set limit states 2000\nset state-policy if-bound\n"
	    "set timeout { tcp.established 600, udp.first 5 }\n"
	    "set optimization aggressive\nset loginterface em0\nblock in all\n"
	    "pass out all\n", &lo, NULL, &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rs);
	CU_ASSERT_EQUAL(rs->nskip, 2);
	CU_ASSERT_STRING_EQUAL(rs->skip[0], "lo");
	CU_ASSERT_EQUAL(rs->block_policy, PFM_BLOCK_RETURN);
	CU_ASSERT_EQUAL(rs->rules->block, PFM_BLOCK_RETURN);
	CU_ASSERT_EQUAL(rs->limit_states, 2000);
	CU_ASSERT_TRUE(rs->if_bound);
	CU_ASSERT_TRUE(rs->rules->next->if_bound);
	CU_ASSERT_EQUAL(rs->timeout[PFM_TM_TCP_ESTABLISHED], 18000);	/* aggressive */
	CU_ASSERT_EQUAL(rs->timeout[PFM_TM_UDP_FIRST], 5);
	CU_ASSERT_STRING_EQUAL(rs->preamble, "set skip on { lo lo1 }\n"
	    "set block-policy return\nset limit states 2000\n"
	    "set state-policy if-bound\nset timeout tcp.established 600\n"
	    "set timeout udp.first 5\nset optimization aggressive\n"
	    "set loginterface em0\n");
	pfm_ruleset_free(rs);
	diag_free(&d);
	expect_err("set limit bogus 5\n", "pfctl: Bad pool name.\n"
	    "stdin:1: unable to set limit bogus 5\n");
	expect_err("set timeout bogus 5\n", "stdin:1: unknown timeout bogus\n");
}

/* altq and queue lines as pfctl -nv prints them (pfctl_altq.c): tbrsize from the
 * bandwidth and FreeBSD's MTU 1500, flags in pfctl's order, the interface's scheduler
 * deciding what a queue prints; the load says queues are not modelled. */
static void
test_queues(void)
{
	struct pfm_load_opts lo;
	struct pfm_ruleset *rs;
	struct diag d = { 0 };

	expect_out("altq on em0 cbq(default codel) bandwidth 20Mb queue qmain\n"
	    "queue qmain { q1 q2 }\n"
	    "queue q1 priority 1 bandwidth 60%\n"
	    "queue q2 priority 2 bandwidth 40% qlimit 100\n"
	    "pass on em0 queue q1\n",
	    "altq on em0 cbq( codel default ) bandwidth 20Mb tbrsize 12000 "
	    "queue { qmain }\n"
	    "queue qmain { q1 q2 }\n"
	    "queue q1 bandwidth 60% \n"
	    "queue q2 bandwidth 40% priority 2 qlimit 100 \n"
	    "pass on em0 all flags S/SA keep state queue q1\n");
	expect_out("altq on em0 priq bandwidth 3Gb tbrsize 9000 queue { a b }\n"
	    "queue a priority 7 priq(red)\nqueue b bandwidth 10Mb\n",
	    "altq on em0 priq bandwidth 3Gb tbrsize 9000 queue { a b }\n"
	    "queue a priority 7 priq( red ) \n"
	    "queue b \n");
	expect_err("altq on em0 cbq bandwidth 10Mb\n", "stdin:1: syntax error");
	expect_err("altq on em0 bandwidth 10Mb queue q\n", "no scheduler specified!");
	expect_err("altq on em0 cbq bandwidth 10Mb queue\n", "no child queues specified");
	expect_err("altq on em0 cbq bandwidth 10Mb queue q\nqueue q tbrsize 5\n",
	    "cannot specify tbrsize for queue");
	expect_err("altq on em0 cbq bandwidth 10Mb queue q\nqueue q priq\n",
	    "exactly one scheduler type per interface allowed");
	expect_err("altq on em0 cbq(default foo) bandwidth 1Mb queue q\n",
	    "unknown cbq flag \"foo\"");
	expect_err("altq on em0 cbq bandwidth 10Xb queue q\n", "stdin:1: unknown unit X\n");
	expect_err("altq on em0 cbq queue q\n", "altq bandwidth must be absolute");
	expect_err("altq on em0 hfsc(linkshare 10%) bandwidth 10Mb queue q\n",
	    "this scheduler option is not modelled");
	expect_err("pass all\naltq on em0 cbq bandwidth 10Mb queue q\n",
	    "Rules must be in order");
	memset(&lo, 0, sizeof(lo));
	rs = pfm_ruleset_parse("altq on em0 cbq bandwidth 1Mb queue q\nqueue q\n", &lo,
	    NULL, &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rs);
	CU_ASSERT_EQUAL(rs->nqueues, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "stdin:1: altq queues are parsed "
	    "but not modelled"));
	pfm_ruleset_free(rs);
	diag_free(&d);
}

/* FreeBSD 14's SCTP timeouts: named, printed, kept per rule. */
static void
test_sctp_timeouts(void)
{
	expect_out("set timeout sctp.first 11\nset timeout { sctp.closed 15 }\n"
	    "pass proto tcp keep state (sctp.established 13)\n",
	    "set timeout sctp.first 11\nset timeout sctp.closed 15\n"
	    "pass proto tcp all flags S/SA keep state (sctp.established 13)\n");
}

/* A host list that holds any is any (parse.y host_list, FreeBSD pass_block.sh
 * optimize_any): the rule matches every source, not the other entries only. */
static void
test_any_in_list(void)
{
	expect_out("pass in inet from { any, 192.0.2.3 }\n",
	    "pass in inet all flags S/SA keep state\n");
	expect_out("pass in inet from { 192.0.2.3, any } to 192.0.2.4\n",
	    "pass in inet from any to 192.0.2.4 flags S/SA keep state\n");
	expect_out("pass in inet from { 192.0.2.3, 192.0.2.5 }\n",
	    "pass in inet from 192.0.2.3 to any flags S/SA keep state\n"
	    "pass in inet from 192.0.2.5 to any flags S/SA keep state\n");
}

/* FreeBSD 14's received-on, keep state (pflow) and endpoint-independent. */
static void
test_fbsd14_options(void)
{
	expect_out("pass in received-on lo0\n",
	    "pass in all received-on lo0 flags S/SA keep state\n");
	expect_out("block out ! received-on lo0\n",
	    "block drop out all !received-on lo0\n");
	expect_err("pass in received-on lo0 received-on lo0\n",
	    "stdin:1: cannot respecify received-on");
	expect_out("pass proto udp keep state (pflow)\n",
	    "pass proto udp all keep state (pflow)\n");
	expect_out("nat on lo0 inet proto udp from 10.0.0.0/8 to any -> 127.0.0.1 "
	    "endpoint-independent\n",
	    "nat on lo0 inet proto udp from 10.0.0.0/8 to any -> 127.0.0.1 "
	    "endpoint-independent\n");
	expect_err("nat on lo0 from any to any -> 127.0.0.1 endpoint-independent "
	    "endpoint-independent\n", "endpoint-independent cannot be redefined");
}

/* FreeBSD 14's ether rules, printed as print_eth_rule prints them (conformance
 * cases 1007-1009, 1013-1017), in pfctl's load order (after scrub, before nat). */
static void
test_ether(void)
{
	expect_out("ether block out on igb0 to 00:01:02:03:04:05/24\n",
	    "ether block out on igb0 to 00:01:02:03:04:05/24 l3 all\n");
	expect_out("ether block out on igb0 to 00:01:02:03:04:05&ff:ff:ff:00:00:ff\n",
	    "ether block out on igb0 to 00:01:02:03:04:05&ff:ff:ff:00:00:ff l3 all\n");
	expect_out("ether pass to 00:01:02:03:04:05&ff:ff:00:00:00:00 label \"a\" "
	    "label \"b\" ridentifier 7\n",
	    "ether pass to 00:01:02:03:04:05/16 l3 all label \"a\" label \"b\" "
	    "ridentifier 7\n");
	expect_out("ether pass in quick on ! em0 bridge-to em1 proto { 0x0800, 2054 } "
	    "from ! 02:00:00:00:00:01 tag t1 ! tagged t2 dnqueue 4 queue q\n",
	    "ether pass in quick on ! em0 bridge-to em1 proto 0x0800 from ! "
	    "02:00:00:00:00:01 l3 all queue q tag t1 ! tagged t2 dnqueue 4\n"
	    "ether pass in quick on ! em0 bridge-to em1 proto 0x0806 from ! "
	    "02:00:00:00:00:01 l3 all queue q tag t1 ! tagged t2 dnqueue 4\n");
	/* an l3 address sets the EtherType; IPv4 prints as such under 0x0800 only */
	expect_out("ether match l3 from 10.0.0.1 to { 10.0.0.2, 10.0.0.3 }\n",
	    "ether match proto 0x0800 l3 from 10.0.0.1 to 10.0.0.2\n"
	    "ether match proto 0x0800 l3 from 10.0.0.1 to 10.0.0.3\n");
	expect_out("ether anchor \"a/b\"\nether anchor in {\n ether block\n "
	    "ether anchor \"x\" {\n  ether pass proto 0x86dd\n }\n}\n",
	    "ether anchor \"b\" l3 all\nether anchor in l3 all {\n"
	    "  ether block l3 all\n  ether anchor \"x\" l3 all {\n"
	    "    ether pass proto 0x86dd l3 all\n  }\n}\n");
	/* written ether, scrub (check_rulestate); loaded scrub, ether (pfctl_rules) */
	expect_out("ether pass\nscrub in all\nnat on lo0 from any to any -> 127.0.0.1\n"
	    "pass\n",
	    "scrub in all fragment reassemble\nether pass l3 all\n"
	    "nat on lo0 inet all -> 127.0.0.1\npass all flags S/SA keep state\n");
	expect_err("pass\nether pass\n", "stdin:2: Rules must be in order: options, "
	    "ethernet, normalization, queueing, translation, filtering");
	expect_err("ether pass to 00:01:02:03:04\n", "stdin:1: invalid MAC address");
	expect_err("ether pass to 00:01:02:03:04:05/49\n",
	    "stdin:1: invalid MAC mask length");
	expect_err("ether pass to 00:01:02:03:04:05&ff:ff\n", "stdin:1: invalid MAC mask");
	expect_err("ether pass proto 0\n", "stdin:1: proto 0 cannot be used");
	expect_err("ether pass proto 70000\n", "stdin:1: protocol outside range");
	expect_err("ether pass proto 0xzz\n", "stdin:1: invalid EtherType hex");
	expect_err("ether pass proto arp\n",
	    "stdin:1: Symbolic EtherType not yet supported");
	expect_err("ether pass l3 from (lo0)\n",
	    "stdin:1: from must be an address or table");
	expect_err("ether anchor\n",
	    "stdin:1: anchors without explicit rules must specify a name");
	expect_err("ether anchor \"_x\"\n",
	    "stdin:1: anchor names beginning with '_' are reserved");
	expect_err("ether pass label a label b label c label d label e label f\n",
	    "stdin:1: label can only be used 5 times");
}

int
pfm_parse_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("pfm_parse", NULL, NULL,
	    tut_tmp_setup, tut_tmp_teardown);

	if (s == NULL ||
	    CU_add_test(s, "thin path", test_thin) == NULL ||
	    CU_add_test(s, "pfctl's error messages", test_errors) == NULL ||
	    CU_add_test(s, "section order", test_order) == NULL ||
	    CU_add_test(s, "macros and -D", test_macros) == NULL ||
	    CU_add_test(s, "list expansion", test_expansion) == NULL ||
	    CU_add_test(s, "port operators", test_ports) == NULL ||
	    CU_add_test(s, "tables", test_tables) == NULL ||
	    CU_add_test(s, "address forms", test_addresses) == NULL ||
	    CU_add_test(s, "translation pools", test_translation) == NULL ||
	    CU_add_test(s, "options", test_options) == NULL ||
	    CU_add_test(s, "altq and queues", test_queues) == NULL ||
	    CU_add_test(s, "sctp timeouts", test_sctp_timeouts) == NULL ||
	    CU_add_test(s, "any in a host list", test_any_in_list) == NULL ||
	    CU_add_test(s, "received-on, pflow, endpoint-independent",
	    test_fbsd14_options) == NULL ||
	    CU_add_test(s, "ether rules", test_ether) == NULL)
		return (-1);
	return (0);
}
