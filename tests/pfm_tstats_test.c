/* pfm_tstats_test.c: tables' per-address statistics on the model against FreeBSD 14:
 * what pf_test counts through pfr_update_stats (pf.c; pf_table.c), what `pfctl -T
 * show -v` prints of it (pfctl_table.c print_astats), -T zero, and what a reload or
 * -T add keeps (pfr_commit_ktable, pfr_setflags_ktable); table.sh v4_counters,
 * v6_counters, precreate and zero_all rely on them; and FreeBSD 15's pfctl's -T zero
 * ADDRESS and -T reset (zero_one, reset_nonzero). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tests.h"

static struct tu_run last;

/* pfctl words (split on blanks) at pf's clock now; input for `-f -`. */
static int
pfctl(struct pfm *pf, uint64_t now, const char *words, const char *input)
{
	return (tu_pfctl(pf, now, words, input, &last));
}

/* The Cleared times below are read in UTC: pf's clock 0 is 1700000000 unless a
 * target sets the wall clock. */
static int
setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	return (0);
}

static int
teardown(void)
{
	free(last.out);
	free(last.err);
	memset(&last, 0, sizeof(last));
	return (0);
}

/* One ping from host (id 7, seq) answered through the state: in on em0, out. */
static void
ping(struct pfm *pf, const char *host, int seq, uint64_t now, enum pfm_action want)
{
	struct pfm_verdict v;

	tu_echo(pf, PFM_IN, 0, host, "203.0.113.1", 7, seq, now, &v);
	CU_ASSERT_EQUAL(v.action, want);
	if (want != PFM_PASS)
		return;
	tu_echo(pf, PFM_OUT, 1, "203.0.113.1", host, 7, seq, now, &v);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
}

#define ZERO6 \
	"\tIn/Block:    [ Packets: 0                  Bytes: 0                  ]\n" \
	"\tIn/Pass:     [ Packets: 0                  Bytes: 0                  ]\n" \
	"\tIn/XPass:    [ Packets: 0                  Bytes: 0                  ]\n" \
	"\tOut/Block:   [ Packets: 0                  Bytes: 0                  ]\n" \
	"\tOut/Pass:    [ Packets: 0                  Bytes: 0                  ]\n" \
	"\tOut/XPass:   [ Packets: 0                  Bytes: 0                  ]\n"

/* table.sh v4_counters: a request passed in by `from <foo>` counts In/Pass, its reply
 * (through the state, whose source is the table's address) Out/Pass; 28-byte pings. */
static void
test_v4_counters(void)
{
	struct pfm *pf = tu_must_load("table <foo> counters { 198.51.100.7 }\n"
	    "block all\npass in from <foo> to any\npass out from any to <foo>\n");
	int i;

	for (i = 1; i <= 3; i++)
		ping(pf, "198.51.100.7", i, 2000 + (uint64_t)i, PFM_PASS);
	CU_ASSERT_EQUAL(pfctl(pf, 5000, "pfctl -t foo -T show -vv", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   198.51.100.7\n"
	    "\tCleared:     Tue Nov 14 22:13:20 2023\n"
	    "\tIn/Block:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tIn/Pass:     [ Packets: 3                  Bytes: 84                 ]\n"
	    "\tIn/XPass:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Block:   [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Pass:    [ Packets: 3                  Bytes: 84                 ]\n"
	    "\tOut/XPass:   [ Packets: 0                  Bytes: 0                  ]\n");
	/* -sT -v: the C flag */
	CU_ASSERT_EQUAL(pfctl(pf, 5000, "pfctl -sT -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "--a-r-C\tfoo\n");
	pfm_free(pf);
}

/* IPv6, and a rule's destination table: a ping from the host out to the address
 * counts Out/Pass on the way out and In/Pass on the reply. */
static void
test_v6_dst(void)
{
	struct pfm *pf = tu_must_load("table <foo6> counters { 2001:db8:42::1 }\n"
	    "block all\npass out inet6 proto icmp6 from any to <foo6>\n");
	struct pfm_verdict v;

	tu_send(pf, PFM_OUT, "em0", "icmp6 echo-request 2001:db8::1 > 2001:db8:42::1 id 9 "
	    "seq 1", 3000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	tu_send(pf, PFM_IN, "em0", "icmp6 echo-reply 2001:db8:42::1 > 2001:db8::1 id 9 "
	    "seq 1", 3000, &v, NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_EQUAL(pfctl(pf, 4000, "pfctl -t foo6 -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   2001:db8:42::1\n"
	    "\tCleared:     Tue Nov 14 22:13:20 2023\n"
	    "\tIn/Block:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tIn/Pass:     [ Packets: 1                  Bytes: 48                 ]\n"
	    "\tIn/XPass:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Block:   [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Pass:    [ Packets: 1                  Bytes: 48                 ]\n"
	    "\tOut/XPass:   [ Packets: 0                  Bytes: 0                  ]\n");
	pfm_free(pf);
}

/* A blocking rule counts Block; a table without `counters` shows the Cleared line
 * alone (PFR_FB_NOCOUNT); an address the table no longer holds as the state's rule
 * expected is an XPass, which no entry counts. */
static void
test_block_nocount_xpass(void)
{
	struct pfm *pf = tu_must_load("table <bad> counters { 198.51.100.7 }\n"
	    "table <plain> { 198.51.100.8 }\n"
	    "table <net> counters { 198.51.100.0/24 }\n"
	    "block in quick from <bad>\nblock in quick from <plain>\n"
	    "pass in from <net> to any\npass out all\n");

	ping(pf, "198.51.100.7", 1, 2000, PFM_DROP);
	ping(pf, "198.51.100.8", 1, 2000, PFM_DROP);
	CU_ASSERT_EQUAL(pfctl(pf, 2500, "pfctl -t bad -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   198.51.100.7\n"
	    "\tCleared:     Tue Nov 14 22:13:20 2023\n"
	    "\tIn/Block:    [ Packets: 1                  Bytes: 28                 ]\n"
	    "\tIn/Pass:     [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tIn/XPass:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Block:   [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Pass:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/XPass:   [ Packets: 0                  Bytes: 0                  ]\n");
	CU_ASSERT_EQUAL(pfctl(pf, 2500, "pfctl -t plain -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   198.51.100.8\n"
	    "\tCleared:     Tue Nov 14 22:13:20 2023\n");
	/* a state made while .9 was in <net>; then !198.51.100.9 goes in at 7 s */
	ping(pf, "198.51.100.9", 1, 3000, PFM_PASS);
	CU_ASSERT_EQUAL(pfctl(pf, 7000, "pfctl -t net -T add !198.51.100.9", NULL), 0);
	ping(pf, "198.51.100.9", 2, 8000, PFM_PASS);
	CU_ASSERT_EQUAL(pfctl(pf, 9000, "pfctl -t net -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   198.51.100.0/24\n"
	    "\tCleared:     Tue Nov 14 22:13:20 2023\n"
	    "\tIn/Block:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tIn/Pass:     [ Packets: 1                  Bytes: 28                 ]\n"
	    "\tIn/XPass:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Block:   [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Pass:    [ Packets: 1                  Bytes: 28                 ]\n"
	    "\tOut/XPass:   [ Packets: 0                  Bytes: 0                  ]\n"
	    "  !198.51.100.9\n"
	    "\tCleared:     Tue Nov 14 22:13:27 2023\n" ZERO6);
	pfm_free(pf);
}

/* table.sh precreate: -T add makes a table without counters; a load that declares it
 * `counters persist` with no addresses keeps the entry (its Cleared time: the add's)
 * and turns counters on, all zero. */
static void
test_precreate(void)
{
	struct pfm *pf = tu_must_load("");

	CU_ASSERT_EQUAL(pfctl(pf, 61000, "pfctl -t foo -T add 192.0.2.1", NULL), 0);
	CU_ASSERT_EQUAL(pfctl(pf, 61000, "pfctl -t foo -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   192.0.2.1\n"
	    "\tCleared:     Tue Nov 14 22:14:21 2023\n");
	CU_ASSERT_EQUAL(pfctl(pf, 125000, "pfctl -f -",
	    "table <foo> counters persist\npass in from <foo>\n"), 0);
	CU_ASSERT_EQUAL(pfctl(pf, 126000, "pfctl -t foo -T show -vv", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   192.0.2.1\n"
	    "\tCleared:     Tue Nov 14 22:14:21 2023\n" ZERO6);
	pfm_free(pf);
}

/* table.sh zero_all: -T zero clears every entry's counters, and their Cleared time
 * becomes the zero's. */
static void
test_zero_all(void)
{
	struct pfm *pf = tu_must_load("table <foo> counters { 198.51.100.7, 198.51.100.8 }\n"
	    "block all\npass in from <foo> to any\npass out from any to <foo>\n");

	ping(pf, "198.51.100.7", 1, 2000, PFM_PASS);
	ping(pf, "198.51.100.8", 1, 2000, PFM_PASS);
	CU_ASSERT_EQUAL(pfctl(pf, 3600000, "pfctl -t foo -T zero", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "1 table/stats cleared.\n");
	CU_ASSERT_EQUAL(pfctl(pf, 3600000, "pfctl -t foo -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out,
	    "   198.51.100.7\n\tCleared:     Tue Nov 14 23:13:20 2023\n" ZERO6
	    "   198.51.100.8\n\tCleared:     Tue Nov 14 23:13:20 2023\n" ZERO6);
	pfm_free(pf);
}

/* A reload that lists the table's addresses again keeps the counters and Cleared time
 * of those it held (pfr_commit_ktable); one whose `!` flips starts over; dropping
 * `counters` drops them, and turning it on again starts from zero. */
static void
test_reload_keeps(void)
{
	const char *conf = "table <foo> counters { 198.51.100.7, 198.51.100.8 }\n"
	    "pass in from <foo> to any\npass out all\n";
	struct pfm *pf = tu_must_load(conf);

	ping(pf, "198.51.100.7", 1, 2000, PFM_PASS);
	CU_ASSERT_EQUAL(pfctl(pf, 10000, "pfctl -f -", "table <foo> counters "
	    "{ 198.51.100.7, !198.51.100.8, 198.51.100.9 }\n"
	    "pass in from <foo> to any\npass out all\n"), 0);
	CU_ASSERT_EQUAL(pfctl(pf, 11000, "pfctl -t foo -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   198.51.100.7\n"
	    "\tCleared:     Tue Nov 14 22:13:20 2023\n"
	    "\tIn/Block:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tIn/Pass:     [ Packets: 1                  Bytes: 28                 ]\n"
	    "\tIn/XPass:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Block:   [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Pass:    [ Packets: 1                  Bytes: 28                 ]\n"
	    "\tOut/XPass:   [ Packets: 0                  Bytes: 0                  ]\n"
	    "  !198.51.100.8\n\tCleared:     Tue Nov 14 22:13:30 2023\n" ZERO6
	    "   198.51.100.9\n\tCleared:     Tue Nov 14 22:13:30 2023\n" ZERO6);
	CU_ASSERT_EQUAL(pfctl(pf, 12000, "pfctl -f -", "table <foo> persist\n"
	    "pass in from <foo> to any\npass out all\n"), 0);
	CU_ASSERT_EQUAL(pfctl(pf, 12000, "pfctl -t foo -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out,
	    "   198.51.100.7\n\tCleared:     Tue Nov 14 22:13:20 2023\n"
	    "  !198.51.100.8\n\tCleared:     Tue Nov 14 22:13:30 2023\n"
	    "   198.51.100.9\n\tCleared:     Tue Nov 14 22:13:30 2023\n");
	CU_ASSERT_EQUAL(pfctl(pf, 13000, "pfctl -f -", "table <foo> counters persist\n"
	    "pass in from <foo> to any\npass out all\n"), 0);
	CU_ASSERT_EQUAL(pfctl(pf, 13000, "pfctl -t foo -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out,
	    "   198.51.100.7\n\tCleared:     Tue Nov 14 22:13:20 2023\n" ZERO6
	    "  !198.51.100.8\n\tCleared:     Tue Nov 14 22:13:30 2023\n" ZERO6
	    "   198.51.100.9\n\tCleared:     Tue Nov 14 22:13:30 2023\n" ZERO6);
	/* a listed definition without `counters`: the addresses, no counters */
	CU_ASSERT_EQUAL(pfctl(pf, 14000, "pfctl -f -", "table <foo> { 198.51.100.7 }\n"
	    "pass in from <foo> to any\npass out all\n"), 0);
	CU_ASSERT_EQUAL(pfctl(pf, 14000, "pfctl -t foo -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   198.51.100.7\n"
	    "\tCleared:     Tue Nov 14 22:13:20 2023\n");
	pfm_free(pf);
}

/* An anchor loaded at run time: its table's addresses are cleared at the load, and
 * its rules count on it. */
static void
test_anchor(void)
{
	struct pfm *pf = tu_must_load("block all\npass out all\nanchor a\n");

	CU_ASSERT_EQUAL(pfctl(pf, 60000, "pfctl -a a -f -",
	    "table <t> counters { 198.51.100.7 }\npass in from <t> to any\n"), 0);
	ping(pf, "198.51.100.7", 1, 61000, PFM_PASS);
	CU_ASSERT_EQUAL(pfctl(pf, 62000, "pfctl -a a -t t -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   198.51.100.7\n"
	    "\tCleared:     Tue Nov 14 22:14:20 2023\n"
	    "\tIn/Block:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tIn/Pass:     [ Packets: 1                  Bytes: 28                 ]\n"
	    "\tIn/XPass:    [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Block:   [ Packets: 0                  Bytes: 0                  ]\n"
	    "\tOut/Pass:    [ Packets: 1                  Bytes: 28                 ]\n"
	    "\tOut/XPass:   [ Packets: 0                  Bytes: 0                  ]\n");
	/* the anchor reloaded with the same address: it keeps its statistics */
	CU_ASSERT_EQUAL(pfctl(pf, 70000, "pfctl -a a -f -",
	    "table <t> counters { 198.51.100.7 }\npass in from <t> to any\n"), 0);
	CU_ASSERT_EQUAL(pfctl(pf, 71000, "pfctl -a a -t t -T show -v", NULL), 0);
	CU_ASSERT(strstr(last.out, "22:14:20 2023\n") != NULL);
	CU_ASSERT(strstr(last.out, "In/Pass:     [ Packets: 1 ") != NULL);
	pfm_free(pf);
}

/* A target's wall clock: pf's clock 5000 is 2024-01-01 00:00:05 UTC. */
static void
test_wallclock(void)
{
	struct pfm *pf = tu_must_load("");

	pfm_set_wallclock(pf, 5000, 1704067205000LL);
	CU_ASSERT_EQUAL(pfm_time_second(pf, 5000), 1704067205);
	CU_ASSERT_EQUAL(pfctl(pf, 65000, "pfctl -t t -T add 192.0.2.1", NULL), 0);
	CU_ASSERT_EQUAL(pfctl(pf, 65000, "pfctl -t t -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   192.0.2.1\n"
	    "\tCleared:     Mon Jan  1 00:01:05 2024\n");
	pfm_free(pf);
}

/* FreeBSD 15's pfctl and pf (the load options a 15 target passes). */
static const struct pfm_load_opts lo15 = { .freebsd = PFM_FREEBSD_15 };

static int
pfctl15(struct pfm *pf, uint64_t now, const char *words, const char *input)
{
	return (tu_pfctl_lo(pf, now, words, input, &lo15, &last));
}

static struct pfm *
load15(const char *conf)
{
	struct pfm *pf = tu_load(conf, &lo15);

	CU_ASSERT_FATAL(pf != NULL);
	return (pf);
}

#define FOO78 \
	"table <foo> counters { 198.51.100.7, 198.51.100.8 }\n" \
	"block all\npass in from <foo> to any\npass out from any to <foo>\n"
#define PASS1 \
	"\tIn/Block:    [ Packets: 0                  Bytes: 0                  ]\n" \
	"\tIn/Pass:     [ Packets: 1                  Bytes: 28                 ]\n" \
	"\tIn/XPass:    [ Packets: 0                  Bytes: 0                  ]\n" \
	"\tOut/Block:   [ Packets: 0                  Bytes: 0                  ]\n" \
	"\tOut/Pass:    [ Packets: 1                  Bytes: 28                 ]\n" \
	"\tOut/XPass:   [ Packets: 0                  Bytes: 0                  ]\n"

/* table.sh zero_one (FreeBSD 15): -T zero ADDRESS clears that entry's counters and
 * gives it the zero's Cleared time (pfr_clr_astats); the other entry keeps both. An
 * address the table lacks is not cleared; -v says which were (Z). 14's pfctl takes
 * no address after -T zero (usage). */
static void
test_zero_one(void)
{
	struct pfm *pf = load15(FOO78);

	ping(pf, "198.51.100.7", 1, 2000, PFM_PASS);
	ping(pf, "198.51.100.8", 2, 2001, PFM_PASS);
	CU_ASSERT_EQUAL(pfctl15(pf, 3600000, "pfctl -t foo -T zero 198.51.100.8", NULL),
	    0);
	CU_ASSERT_STRING_EQUAL(last.err, "1/1 addresses cleared.\n");
	CU_ASSERT_EQUAL(pfctl15(pf, 3600000, "pfctl -t foo -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   198.51.100.7\n"
	    "\tCleared:     Tue Nov 14 22:13:20 2023\n" PASS1
	    "   198.51.100.8\n"
	    "\tCleared:     Tue Nov 14 23:13:20 2023\n" ZERO6);
	CU_ASSERT_EQUAL(pfctl15(pf, 3600000, "pfctl -v -t foo -T zero 198.51.100.8 "
	    "192.0.2.9", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "No ALTQ support in kernel\nALTQ related "
	    "functions disabled\n1/2 addresses cleared.\n");
	CU_ASSERT_STRING_EQUAL(last.out, "Z  198.51.100.8\n");
	CU_ASSERT_EQUAL(pfctl15(pf, 3600000, "pfctl -t nope -T zero 192.0.2.9", NULL),
	    255);
	CU_ASSERT_STRING_EQUAL(last.err, "pfctl: Table does not exist.\n");
	/* 14: usage, nothing cleared */
	CU_ASSERT_EQUAL(pfctl(pf, 3600000, "pfctl -t foo -T zero 198.51.100.7", NULL), 1);
	CU_ASSERT(strncmp(last.err, "usage: pfctl", 12) == 0);
	CU_ASSERT_EQUAL(pfctl(pf, 3600000, "pfctl -t foo -T show -v", NULL), 0);
	CU_ASSERT(strstr(last.out, PASS1) != NULL);
	pfm_free(pf);
}

/* table.sh reset_nonzero (FreeBSD 15): -T reset on a missing table fails as -T show;
 * it clears only the entries that counted, which alone get a new Cleared time, and
 * says how many of the table's entries. 14's pfctl knows no reset. */
static void
test_reset_nonzero(void)
{
	struct pfm *pf = load15(FOO78 "table <bar> counters { }\n"
	    "pass on em0 from <bar> to <bar>\n");

	CU_ASSERT_EQUAL(pfctl15(pf, 1000, "pfctl -t nonexistent -T reset", NULL), 255);
	CU_ASSERT_STRING_EQUAL(last.err, "pfctl: Table does not exist.\n");
	CU_ASSERT_EQUAL(pfctl15(pf, 1000, "pfctl -t bar -T reset", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "0/0 stats cleared.\n");
	CU_ASSERT_EQUAL(pfctl15(pf, 1000, "pfctl -t foo -T reset", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "0/2 stats cleared.\n");
	ping(pf, "198.51.100.8", 1, 2000, PFM_PASS);
	CU_ASSERT_EQUAL(pfctl15(pf, 3600000, "pfctl -t foo -T reset", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.err, "1/2 stats cleared.\n");
	CU_ASSERT_EQUAL(pfctl15(pf, 3600000, "pfctl -t foo -T show -v", NULL), 0);
	CU_ASSERT_STRING_EQUAL(last.out, "   198.51.100.7\n"
	    "\tCleared:     Tue Nov 14 22:13:20 2023\n" ZERO6
	    "   198.51.100.8\n"
	    "\tCleared:     Tue Nov 14 23:13:20 2023\n" ZERO6);
	CU_ASSERT_EQUAL(pfctl15(pf, 3600000, "pfctl -t foo -T reset 198.51.100.7", NULL),
	    1);
	CU_ASSERT(strncmp(last.err, "usage: pfctl", 12) == 0);
	/* 14 */
	CU_ASSERT_EQUAL(pfctl(pf, 3600000, "pfctl -t foo -T reset", NULL), 1);
	CU_ASSERT(strncmp(last.err, "pfctl: Unknown table command 'reset'\nusage: ",
	    44) == 0);
	pfm_free(pf);
}

int
pfm_tstats_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_tstats", setup, teardown);

	if (s == NULL ||
	    CU_add_test(s, "v4_counters: In/Pass and Out/Pass", test_v4_counters) == NULL ||
	    CU_add_test(s, "IPv6, a destination table", test_v6_dst) == NULL ||
	    CU_add_test(s, "Block, no counters, XPass", test_block_nocount_xpass) == NULL ||
	    CU_add_test(s, "precreate: counters turned on", test_precreate) == NULL ||
	    CU_add_test(s, "zero_all: -T zero", test_zero_all) == NULL ||
	    CU_add_test(s, "zero_one: -T zero ADDRESS (15)", test_zero_one) == NULL ||
	    CU_add_test(s, "reset_nonzero: -T reset (15)", test_reset_nonzero) == NULL ||
	    CU_add_test(s, "a reload keeps the held addresses' stats",
	    test_reload_keeps) == NULL ||
	    CU_add_test(s, "a runtime anchor's table", test_anchor) == NULL ||
	    CU_add_test(s, "the wall clock a target sets", test_wallclock) == NULL)
		return (-1);
	return (0);
}
