/* scn_test.c: the scenario parser: DESIGN.md's example, every statement, the errors
 * (tests/scn/NAME.scn against tests/scn/NAME.ok, run from the top of the tree). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "fake_tutil.h"
#include "scn/scn.h"
#include "tests.h"

/* DESIGN.md's example, verbatim. */
static const char design_example[] =
"scenario \"tom, dick and harry behind one public address\"\n"
"tag seed nat rdr block\n"
"\n"
"host em0 203.0.113.1/24          # the external interface and the public address\n"
"loopback lo1 10.99.0.0/28        # the jails' loopback network\n"
"jail tom   10.99.0.1 listen tcp/3306\n"
"jail dick  10.99.0.2 listen tcp/21,tcp/80,tcp/443\n"
"jail harry 10.99.0.3 listen tcp/80\n"
"client 198.51.100.7 listen tcp/443   # an outside host the harness speaks for\n"
"\n"
"pf <<EOF\n"
"INT = \"em0\"\n"
"PUB_IP = \"203.0.113.1\"\n"
"JAIL_NET = \"10.99.0.0/28\"\n"
"TOM = \"10.99.0.1\"\n"
"DICK = \"10.99.0.2\"\n"
"HARRY = \"10.99.0.3\"\n"
"scrub in all\n"
"nat pass on $INT from $JAIL_NET to any -> $PUB_IP\n"
"rdr pass on $INT proto tcp from any to $PUB_IP port 3306 -> $TOM\n"
"rdr pass on $INT proto tcp from any to $PUB_IP port {21,80,443} -> $DICK\n"
"rdr pass on $INT proto tcp from any to $PUB_IP port 81 -> $HARRY port 80\n"
"block on $INT proto tcp from any to $PUB_IP port 111\n"
"EOF\n"
"\n"
"probe \"port 81 reaches harry's port 80\"\n"
"  send tcp 198.51.100.7:40001 > 203.0.113.1:81 S\n"
"  expect reply tcp 203.0.113.1:81 > 198.51.100.7:40001 SA\n"
"  expect delivered harry:80 from 198.51.100.7:40001\n"
"\n"
"probe \"rpc is blocked\"\n"
"  send tcp 198.51.100.7:40002 > 203.0.113.1:111 S\n"
"  expect no reply\n"
"  expect not delivered\n"
"\n"
"probe \"tom reaches the outside through nat\"\n"
"  connect tom tcp 198.51.100.7:443\n"
"  expect wire tcp 203.0.113.1:50001-65535 > 198.51.100.7:443 S\n"
"  expect connect ok\n";

static char *
addr(const struct pkt_addr *a)
{
	static char buf[4][64];
	static int i;

	i = (i + 1) % 4;
	return (pkt_addr_format(a, buf[i], sizeof(buf[i])));
}

static void
test_design_example(void)
{
	struct diag d = { 0 };
	struct scn *s = scn_parse_text("seed/first.scn", design_example, &d);
	const struct scn_step *t;
	char buf[256];

	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->name, "first");
	CU_ASSERT_STRING_EQUAL(s->title, "tom, dick and harry behind one public address");
	CU_ASSERT_EQUAL(s->ntag, 4);
	CU_ASSERT(scn_has_tag(s, "rdr") && !scn_has_tag(s, "bench"));
	CU_ASSERT_STRING_EQUAL(s->host_if, "em0");
	CU_ASSERT_STRING_EQUAL(addr(&s->host_addr), "203.0.113.1");
	CU_ASSERT_EQUAL(s->host_plen, 24);
	CU_ASSERT_STRING_EQUAL(addr(&s->gateway), "203.0.113.254");
	CU_ASSERT_EQUAL(s->host_line, 4);
	CU_ASSERT_STRING_EQUAL(s->lo_if, "lo1");
	CU_ASSERT_STRING_EQUAL(addr(&s->lo_net), "10.99.0.0");
	CU_ASSERT_EQUAL(s->lo_plen, 28);

	CU_ASSERT_EQUAL_FATAL(s->njail, 3);
	CU_ASSERT_EQUAL(scn_jail_find(s, "dick"), 1);
	CU_ASSERT_EQUAL(scn_jail_find(s, "bob"), -1);
	CU_ASSERT_EQUAL(s->jail[1].naddr, 1);
	CU_ASSERT_STRING_EQUAL(addr(&s->jail[1].addr[0]), "10.99.0.2");
	CU_ASSERT_EQUAL_FATAL(s->jail[1].nlisten, 3);
	CU_ASSERT_EQUAL(s->jail[1].listen[2].proto, IPPROTO_TCP);
	CU_ASSERT_EQUAL(s->jail[1].listen[2].port, 443);
	CU_ASSERT_EQUAL(s->jail[2].line, 8);
	CU_ASSERT_EQUAL_FATAL(s->nclient, 1);
	CU_ASSERT_STRING_EQUAL(addr(&s->client[0].addr), "198.51.100.7");
	CU_ASSERT_EQUAL(s->client[0].nlisten, 1);

	/* pf.conf line N is scenario line pf_line0 + N: line 8 (nat) is line 19. */
	CU_ASSERT_STRING_EQUAL(s->pf_file, "seed/first.scn");
	CU_ASSERT_EQUAL(s->pf_line0, 11);
	CU_ASSERT_EQUAL(strncmp(s->pf_text, "INT = \"em0\"\n", 12), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(s->pf_text, "port 111\n"));
	CU_ASSERT_PTR_NULL(strstr(s->pf_text, "EOF"));
	CU_ASSERT_PTR_NULL(s->load_error);

	CU_ASSERT_EQUAL_FATAL(s->nprobe, 3);
	CU_ASSERT_STRING_EQUAL(s->probe[0].title, "port 81 reaches harry's port 80");
	CU_ASSERT_EQUAL(s->probe[0].line, 26);
	CU_ASSERT_EQUAL_FATAL(s->probe[0].nstep, 3);
	t = s->probe[0].step;
	CU_ASSERT_EQUAL(t[0].kind, SCN_SEND);
	CU_ASSERT_EQUAL(t[0].line, 27);
	CU_ASSERT_STRING_EQUAL(t[0].text, "send tcp 198.51.100.7:40001 > 203.0.113.1:81 S");
	CU_ASSERT_STRING_EQUAL(pkt_format(&t[0].pkt, buf, sizeof(buf)),
	    "tcp 198.51.100.7:40001 > 203.0.113.1:81 S seq 1000 win 65535");
	CU_ASSERT_EQUAL(t[1].kind, SCN_EXPECT_REPLY);
	CU_ASSERT_STRING_EQUAL(pkt_pat_format(&t[1].pat, buf, sizeof(buf)),
	    "tcp 203.0.113.1:81 > 198.51.100.7:40001 SA");
	CU_ASSERT_EQUAL(t[2].kind, SCN_EXPECT_DELIVERED);
	CU_ASSERT_EQUAL(t[2].jail, 2);
	CU_ASSERT_EQUAL(t[2].port, 80);
	CU_ASSERT(t[2].has_from);
	CU_ASSERT_STRING_EQUAL(addr(&t[2].from), "198.51.100.7");
	CU_ASSERT(t[2].from_port.set && t[2].from_port.lo == 40001 &&
	    t[2].from_port.hi == 40001);

	t = s->probe[1].step;
	CU_ASSERT_EQUAL(s->probe[1].nstep, 3);
	CU_ASSERT_EQUAL(t[1].kind, SCN_EXPECT_NO_REPLY);
	CU_ASSERT_EQUAL(t[2].kind, SCN_EXPECT_NOT_DELIVERED);

	t = s->probe[2].step;
	CU_ASSERT_EQUAL_FATAL(s->probe[2].nstep, 3);
	CU_ASSERT_EQUAL(t[0].kind, SCN_CONNECT);
	CU_ASSERT_EQUAL(t[0].jail, 0);
	CU_ASSERT_EQUAL(t[0].proto, IPPROTO_TCP);
	CU_ASSERT_STRING_EQUAL(addr(&t[0].addr), "198.51.100.7");
	CU_ASSERT_EQUAL(t[0].port, 443);
	CU_ASSERT_FALSE(t[0].has_from);
	CU_ASSERT_EQUAL(t[1].kind, SCN_EXPECT_WIRE);
	CU_ASSERT(t[1].pat.sport.lo == 50001 && t[1].pat.sport.hi == 65535);
	CU_ASSERT_EQUAL(t[2].kind, SCN_EXPECT_CONNECT);
	CU_ASSERT_EQUAL(t[2].outcome, SCN_CONN_OK);
	scn_free(s);
	diag_free(&d);
	scn_free(NULL);
}

/* The statements the example does not use. */
static void
test_other_statements(void)
{
	static const char text[] =
	    "host em0 2001:db8::1/64\n"
	    "loopback lo1 fd00:99::/120\n"
	    "jail a fd00:99::1 fd00:99::2 listen udp/53, tcp/53\n"
	    "client 2001:db8:1::7\n"
	    "pf <<END\n"
	    "pass\n"
	    "END\n"
	    "define PUB=2001:db8::1\n"
	    "sysctl net.pf.filter_local=1\n"
	    "expect load error \"syntax error\"\n"
	    "probe \"six\"\n"
	    "  connect a udp [2001:db8:1::7]:53 from [fd00:99::2]:5353\n"
	    "  send udp [2001:db8:1::7]:1 > [2001:db8::1]:53 \"q # not a comment\"\n"
	    "  expect wire udp [2001:db8::1]:* > [2001:db8:1::7]:53\n"
	    "  expect no wire\n"
	    "  expect delivered a:53 from [2001:db8:1::7]:1-1024\n"
	    "  expect connect failed\n"
	    "  expect state tcp 10.99.0.3:80 (203.0.113.1:81) <- 198.51.100.7:40001\n"
	    "  expect state all udp 203.0.113.1:50001-65535 -> 198.51.100.7:*\n";
	struct diag d = { 0 };
	struct scn *s = scn_parse_text("v6.scn", text, &d);
	const struct scn_step *t;
	const struct scn_state_pat *sp;

	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(addr(&s->gateway), "2001:db8::ffff:ffff:ffff:ffff");
	CU_ASSERT_EQUAL(s->jail[0].naddr, 2);
	CU_ASSERT_EQUAL(s->jail[0].nlisten, 2);
	CU_ASSERT_EQUAL(s->jail[0].listen[0].proto, IPPROTO_UDP);
	CU_ASSERT_EQUAL(s->pf_line0, 5);
	CU_ASSERT_STRING_EQUAL(s->pf_text, "pass\n");
	CU_ASSERT_EQUAL_FATAL(s->ndefine, 1);
	CU_ASSERT_STRING_EQUAL(s->define[0].name, "PUB");
	CU_ASSERT_STRING_EQUAL(s->define[0].value, "2001:db8::1");
	CU_ASSERT_EQUAL(s->define[0].line, 8);
	CU_ASSERT_EQUAL_FATAL(s->nsysctl, 1);
	CU_ASSERT_STRING_EQUAL(s->sysctl[0].name, "net.pf.filter_local");
	CU_ASSERT_STRING_EQUAL(s->sysctl[0].value, "1");
	CU_ASSERT_STRING_EQUAL(s->load_error, "syntax error");
	CU_ASSERT_EQUAL(s->load_error_line, 10);
	CU_ASSERT_EQUAL_FATAL(s->probe[0].nstep, 8);
	t = s->probe[0].step;
	CU_ASSERT(t[0].has_from && t[0].from_port.lo == 5353 && t[0].proto == IPPROTO_UDP);
	CU_ASSERT_STRING_EQUAL(addr(&t[0].from), "fd00:99::2");
	CU_ASSERT_EQUAL(t[1].pkt.len, 17);
	CU_ASSERT_EQUAL(t[2].kind, SCN_EXPECT_WIRE);
	CU_ASSERT_EQUAL(t[3].kind, SCN_EXPECT_NO_WIRE);
	CU_ASSERT(t[4].from_port.lo == 1 && t[4].from_port.hi == 1024);
	CU_ASSERT_EQUAL(t[5].outcome, SCN_CONN_FAILED);
	sp = &t[6].state;
	CU_ASSERT(sp->proto == IPPROTO_TCP && sp->has_b && !sp->dir_out);
	CU_ASSERT_STRING_EQUAL(addr(&sp->b), "203.0.113.1");
	CU_ASSERT(sp->bp.lo == 81 && sp->cp.lo == 40001 && sp->ap.lo == 80);
	sp = &t[7].state;
	CU_ASSERT(sp->proto == IPPROTO_UDP && !sp->has_b && sp->dir_out);
	CU_ASSERT(sp->ap.lo == 50001 && sp->ap.hi == 65535 && !sp->cp.set);
	scn_free(s);
	diag_free(&d);
}

/* `pf file PATH` is relative to the scenario and pf.conf lines are its own. */
static void
test_pf_file(void)
{
	struct diag d = { 0 };
	struct scn *s = scn_parse_file("tests/scn/pf-file.scn", &d);

	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->pf_file, "tests/scn/pf/ok.conf");
	CU_ASSERT_EQUAL(s->pf_line0, 0);
	CU_ASSERT_STRING_EQUAL(s->pf_text, "# a ruleset in its own file\npass all\n");
	CU_ASSERT_EQUAL(s->nprobe, 0);
	scn_free(s);
	diag_free(&d);
	CU_ASSERT_PTR_NULL(scn_parse_file("tests/scn/no-such.scn", &d));
	CU_ASSERT_STRING_EQUAL(diag_text(&d),
	    "tests/scn/no-such.scn: No such file or directory\n");
	diag_free(&d);
}

/* Every tests/scn/NAME.scn gives exactly the messages of NAME.ok (none: it parses). */
static void
test_golden(void)
{
	DIR *dir = opendir("tests/scn");
	struct dirent *e;
	char path[512], okp[512], *ok;
	struct diag d;
	struct scn *s;
	size_t n;
	int count = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	while ((e = readdir(dir)) != NULL) {
		n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".scn") != 0)
			continue;
		snprintf(path, sizeof(path), "tests/scn/%s", e->d_name);
		snprintf(okp, sizeof(okp), "tests/scn/%.*s.ok", (int)(n - 4), e->d_name);
		ok = fake_slurp(okp);
		CU_ASSERT_PTR_NOT_NULL(ok);
		if (ok == NULL)
			continue;
		memset(&d, 0, sizeof(d));
		s = scn_parse_file(path, &d);
		CU_ASSERT_EQUAL(s == NULL, ok[0] != '\0');
		CU_ASSERT_STRING_EQUAL(diag_text(&d), ok);
		if (strcmp(diag_text(&d), ok) != 0)
			fprintf(stderr, "\n%s: got\n%s", path, diag_text(&d));
		scn_free(s);
		diag_free(&d);
		free(ok);
		count++;
	}
	closedir(dir);
	CU_ASSERT(count >= 10);
}

/* The seed scenarios parse. */
static void
test_seeds(void)
{
	static const char *seeds[] = {
		"scenarios/seed/three-jails.scn",
		"scenarios/seed/three-jails-published-order.scn",
		"scenarios/seed/vps-lo100.scn",
	};
	struct diag d = { 0 };
	struct scn *s;
	size_t i;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		s = scn_parse_file(seeds[i], &d);
		CU_ASSERT_PTR_NOT_NULL(s);
		CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
		CU_ASSERT(s == NULL || scn_has_tag(s, "seed"));
		scn_free(s);
		diag_free(&d);
	}
}

/* A packet over tcpdump -v's lines is one step at its first line, the lines after it
 * counted; variables of packets and states are kept for the run. */
static void
test_packet_lines(void)
{
	static const char text[] =
	    "host em0 203.0.113.1/24\n"
	    "loopback lo1 10.99.0.0/28\n"
	    "jail tom 10.99.0.1\n"
	    "client 198.51.100.7\n"
	    "pf <<END\n"
	    "pass\n"
	    "END\n"
	    "probe \"p\"\n"
	    "  connect tom tcp 198.51.100.7:443\n"
	    "  expect wire IP (tos 0x0, ttl 64, id *, offset 0, flags [DF], proto TCP (6), "
	    "length *)\n"
	    "      203.0.113.1.$p > 198.51.100.7.443: Flags [S], seq $s, win *, length 0\n"
	    "  expect state tcp 203.0.113.1:$p ($jail:$jp) -> 198.51.100.7:443\n"
	    "  send IP 198.51.100.7.443 > 203.0.113.1.$p: Flags [S.], seq 9, ack $s+1, win 9, "
	    "length 0\n"
	    "  expect wire tcp 203.0.113.1:$p > 198.51.100.7:443 A\n";
	struct diag d = { 0 };
	struct scn *s = scn_parse_text("lines.scn", text, &d);
	const struct scn_step *t;
	char buf[512];

	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->probe[0].nstep, 5);
	t = s->probe[0].step;
	CU_ASSERT_EQUAL(t[1].line, 10);
	CU_ASSERT_EQUAL(t[2].line, 12);
	CU_ASSERT_EQUAL(t[4].line, 14);
	CU_ASSERT_STRING_EQUAL(pkt_pat_format(&t[1].pat, buf, sizeof(buf)),
	    "tcp 203.0.113.1:$p > 198.51.100.7:443 S seq $s len 0 ttl 64 tos 0 df");
	CU_ASSERT_PTR_NOT_NULL(strstr(t[1].text, "Flags [S], seq $s"));
	CU_ASSERT_EQUAL(t[2].state.nvar, 3);
	CU_ASSERT(t[2].state.var[0].which == SCN_ST_AP &&
	    strcmp(t[2].state.var[0].name, "p") == 0);
	CU_ASSERT(t[2].state.var[1].which == SCN_ST_B &&
	    strcmp(t[2].state.var[1].name, "jail") == 0);
	CU_ASSERT(t[2].state.var[2].which == SCN_ST_BP);
	CU_ASSERT_EQUAL(t[3].pkt.nvar, 2);
	scn_free(s);
	diag_free(&d);
}

int
scn_test_register(void)
{
	CU_pSuite s = CU_add_suite("scn", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "DESIGN.md example", test_design_example) == NULL ||
	    CU_add_test(s, "other statements, IPv6", test_other_statements) == NULL ||
	    CU_add_test(s, "pf file", test_pf_file) == NULL ||
	    CU_add_test(s, "errors (tests/scn/*.ok)", test_golden) == NULL ||
	    CU_add_test(s, "tcpdump -v's lines; variables", test_packet_lines) == NULL ||
	    CU_add_test(s, "seed scenarios", test_seeds) == NULL)
		return (-1);
	return (0);
}
