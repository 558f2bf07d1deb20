/* bench_freebsd_test.c: the FreeBSD bench against the recorded FreeBSD commands of
 * tests/fake/: its world (bench/bench_world_freebsd.c: build, pf off, pf on with a
 * workload's ruleset, the state table's counters and zones, teardown, failures) and its
 * workloads (bench/bench_run_freebsd.c, with a fake generator and counters that log
 * into the same plan). The plans are golden files, tests/freebsd/bench-*.plan
 * (PFH_UPDATE_GOLDEN=1 rewrites them). Runs on every platform. */
#include <sys/stat.h>

#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "bench/bench_run_freebsd.h"
#include "bench/bench_world_freebsd.h"
#include "bench/csv.h"
#include "bench/work_def.h"
#include "fake_tutil.h"
#include "target/freebsd/tfb.h"
#include "tests.h"
#include "tutil.h"

/* The running test's fixture: made before it, gone after it (tests share nothing). */
static struct fake_env fe;
static char epairs[PATH_MAX + 16];

static const char *const knobs[] = { "PFH_FAKE_FAIL", "PFH_FAKE_UNAME", "PFH_FAKE_JLS",
    "PFH_FAKE_GROUP", "PFH_FAKE_PFLOAD", "PFH_FAKE_DHCLIENT", NULL };

static void
setup(void)
{
	if (fake_env_init(&fe, "bench_freebsd") == -1) {
		CU_FAIL("cannot make the fakes' folder");
		return;
	}
	snprintf(epairs, sizeof(epairs), "%s/epairs", fe.tmpdir);
	setenv("PFH_FAKE_EPAIRS", epairs, 1);
}

static void
teardown(void)
{
	int i;

	for (i = 0; knobs[i] != NULL; i++)
		unsetenv(knobs[i]);
	unsetenv("PFH_FAKE_EPAIRS");
	fake_env_clean(&fe);
}

/* A fresh plan: empty log, epairs counted from 0, pf disabled, no knob set. */
static void
fresh(void)
{
	char p[PATH_MAX + 32];
	int i;

	if (!fe.made)
		TUT_FATAL("no fakes for this test (see above)");
	unlink(fe.logpath);
	unlink(epairs);
	snprintf(p, sizeof(p), "%s/pf-enabled", fe.tmpdir);
	unlink(p);
	for (i = 0; knobs[i] != NULL; i++)
		unsetenv(knobs[i]);
}

/* 1 when pf is enabled in the fake's state (pfctl -e and -d keep it). */
static int
pf_enabled(void)
{
	char p[PATH_MAX + 32];

	snprintf(p, sizeof(p), "%s/pf-enabled", fe.tmpdir);
	return (access(p, F_OK) == 0);
}

/* No MAC the plan gives an interface (`ifconfig IF ether M`) is a far end's in a static
 * ARP entry (`arp -s IP M`): the host would take the frames it forwards to that far end
 * for itself and forward them again, lap after lap (bench_world_freebsd.c). */
static void
check_far_ends(const char *logpath)
{
	char *log = fake_slurp(logpath), *line, *save = NULL, ifm[64][32];
	char a[64], b[64], m[32];
	int n = 0, i, narp = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "ifconfig %63s ether %31s", a, m) == 2 && n < 64)
			snprintf(ifm[n++], sizeof(ifm[0]), "%s", m);
	free(log);
	log = fake_slurp(logpath);
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "arp -s %63s %63s", a, b) != 2)
			continue;
		narp++;
		for (i = 0; i < n; i++)
			if (strcmp(ifm[i], b) == 0) {
				fprintf(stderr, "\nfar end %s has %s, an interface's MAC\n", a, b);
				CU_FAIL("a far end's MAC belongs to an interface of the host");
			}
	}
	CU_ASSERT_EQUAL(narp, 2);
	free(log);
}

/* A bench run's plan: leftovers removed, the world built, pf off for the nopf points,
 * pf on with rdr-in's ruleset, the state table read, the world removed. */
static void
test_plan_run(void)
{
	const char *conf = "rdr pass on em0 proto udp from any to 203.0.113.1 port 5001 "
	    "-> 10.99.1.1 port 5001\n";		/* rdr-in's */
	struct bench_world w;
	struct pfctl_info in;
	struct diag d = { 0 };
	uint64_t bytes;
	char p[PATH_MAX + 32], *text;

	fresh();
	setenv("PFH_FAKE_JLS", "pfhbench_sink\\nwww", 1);
	setenv("PFH_FAKE_GROUP", "em1", 1);
	CU_ASSERT_EQUAL_FATAL(bench_world_up(&w, fe.tmpdir, &d), 0);
	CU_ASSERT_STRING_EQUAL(w.ifname[BW_WIRE0], "epair0b");
	CU_ASSERT_STRING_EQUAL(w.ifname[BW_WIRE1], "epair1b");
	CU_ASSERT_STRING_EQUAL(w.ifname[BW_GEN0], "epair2b");
	CU_ASSERT_TRUE(pf_enabled());
	CU_ASSERT_EQUAL(bench_world_pf(&w, 0, NULL, &d), 0);
	CU_ASSERT_FALSE(pf_enabled());
	CU_ASSERT_EQUAL(bench_world_pf(&w, 0, NULL, &d), 0);	/* already off: no-op */
	CU_ASSERT_EQUAL(bench_world_pf(&w, 1, conf, &d), 0);
	CU_ASSERT_TRUE(pf_enabled());
	snprintf(p, sizeof(p), "%s/pf.conf", fe.tmpdir);
	text = fake_slurp(p);
	CU_ASSERT_TRUE(text != NULL && strcmp(text, conf) == 0);
	free(text);
	CU_ASSERT_EQUAL(bench_world_info(&w, &in, &d), 0);
	CU_ASSERT_EQUAL(in.states, 2);
	CU_ASSERT_EQUAL(in.inserts, 2);
	CU_ASSERT_EQUAL(bench_world_state_bytes(&w, &bytes, &d), 0);
	CU_ASSERT_EQUAL(bytes, 2 * 320 + 3 * 88);
	bench_world_down(&w);
	bench_world_down(&w);		/* twice: nothing more */
	CU_ASSERT_FALSE(pf_enabled());	/* as it was before the run */
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	check_far_ends(fe.logpath);
	fake_check_plan(&fe, "tests/freebsd/bench-run.plan");
	diag_free(&d);
}

/* A failure while pf is off (the bench stops on an error or SIGINT during a nopf
 * point): pf is enabled again before the target's undo list runs, so that its
 * `pfctl -d` finds pf as it left it. */
static void
test_plan_down_pf_off(void)
{
	struct bench_world w;
	struct diag d = { 0 };

	fresh();
	CU_ASSERT_EQUAL_FATAL(bench_world_up(&w, fe.tmpdir, &d), 0);
	CU_ASSERT_EQUAL(bench_world_pf(&w, 0, NULL, &d), 0);
	bench_world_down(&w);
	CU_ASSERT_FALSE(pf_enabled());
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	fake_check_plan(&fe, "tests/freebsd/bench-down-pf-off.plan");
	diag_free(&d);
}

/* em1 cannot be made: what was built goes, newest first, and up says why. */
static void
test_plan_fail_em1(void)
{
	struct bench_world w;
	struct diag d = { 0 };

	fresh();
	setenv("PFH_FAKE_FAIL", "ifconfig epair1a name em1", 1);
	CU_ASSERT_EQUAL(bench_world_up(&w, fe.tmpdir, &d), -1);
	CU_ASSERT_PTR_NULL(w.t);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "ifconfig epair1a name em1: exit 1"));
	fake_check_plan(&fe, "tests/freebsd/bench-fail-em1.plan");
	diag_free(&d);
}

/* pfctl refuses a workload's ruleset: an error, and the world still comes down. */
static void
test_plan_load_refused(void)
{
	struct bench_world w;
	struct diag d = { 0 };

	fresh();
	CU_ASSERT_EQUAL_FATAL(bench_world_up(&w, fe.tmpdir, &d), 0);
	setenv("PFH_FAKE_PFLOAD", "tests/fake/out/pfctl-f-order.txt", 1);
	CU_ASSERT_EQUAL(bench_world_pf(&w, 1, "pass all\n", &d), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "pfctl refused the bench's ruleset"));
	bench_world_down(&w);
	fake_check_plan(&fe, "tests/freebsd/bench-load-refused.plan");
	diag_free(&d);
}

/* A dhclient on one of the bench's own epairs: refused, and the world comes down. */
static void
test_plan_dhclient(void)
{
	struct bench_world w;
	struct diag d = { 0 };

	fresh();
	setenv("PFH_FAKE_DHCLIENT", "812 dhclient: em1 [priv]", 1);
	CU_ASSERT_EQUAL(bench_world_up(&w, fe.tmpdir, &d), -1);
	CU_ASSERT_PTR_NULL(w.t);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "refusing: a dhclient runs on em1"));
	fake_check_plan(&fe, "tests/freebsd/bench-dhclient.plan");
	diag_free(&d);
}

/* Not FreeBSD: refused before anything is built. */
static void
test_plan_refuse_linux(void)
{
	struct bench_world w;
	struct diag d = { 0 };

	fresh();
	setenv("PFH_FAKE_UNAME", "Linux", 1);
	CU_ASSERT_EQUAL(bench_world_up(&w, fe.tmpdir, &d), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "the freebsd target runs on FreeBSD "
	    "only (this is Linux)"));
	fake_check_plan(&fe, "tests/freebsd/bench-refuse-linux.plan");
	diag_free(&d);
}

/* Memory per state comes from the two zones' USED x SIZE. */
static void
test_zone_bytes(void)
{
	char *text = fake_slurp("tests/fake/out/vmstat-z.txt");
	uint64_t b = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(bench_world_zone_bytes(text, &b), 0);
	CU_ASSERT_EQUAL(b, 2 * 320 + 3 * 88);
	CU_ASSERT_EQUAL(bench_world_zone_bytes("ITEM SIZE LIMIT USED FREE REQ FAIL SLEEP\n"
	    "pf states:    320, 100000, 2, 22, 11, 0, 0, 0\n", &b), -1);
	free(text);
}

/*
 * The workloads with a fake generator and fake counters: every call is a plan line;
 * the generator "sends" 1000 frames per timed send in 10 ms, the counters receive
 * deliver_pct percent of them. The rates are checked in the rows, not in the plan.
 */
static char fake_obj;
static int nsend, fail_send, stop_send, deliver_pct;
static uint64_t delivered;
static volatile sig_atomic_t stopflag;

static struct bench_gen *
fake_gen_open(const char *ifname, const struct gen_spec *sp, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	fake_log("(gen) open %s: %d.%d.%d.%d > %d.%d.%d.%d:%u, %llu flows, to "
	    "%02x:%02x:%02x:%02x:%02x:%02x", ifname, sp->pkt.src.a[0], sp->pkt.src.a[1],
	    sp->pkt.src.a[2], sp->pkt.src.a[3], sp->pkt.dst.a[0], sp->pkt.dst.a[1],
	    sp->pkt.dst.a[2], sp->pkt.dst.a[3], sp->pkt.dport,
	    (unsigned long long)sp->nflows, sp->dst_mac[0], sp->dst_mac[1],
	    sp->dst_mac[2], sp->dst_mac[3], sp->dst_mac[4], sp->dst_mac[5]);
	return ((struct bench_gen *)(void *)&fake_obj);
}

static int
fake_gen_send(struct bench_gen *g, uint64_t count, double pps, double max_s,
    volatile sig_atomic_t *stop, struct gen_result *r, char *err, size_t errlen)
{
	(void)g, (void)max_s;
	nsend++;
	/* a paced rate depends on the clock (the fill's), so only "paced" is logged */
	fake_log("(gen) send %s%llu%s, %s", count == UINT64_MAX ? "for " : "",
	    count == UINT64_MAX ? 10ULL : (unsigned long long)count,
	    count == UINT64_MAX ? " ms" : " frames", pps > 0 ? "paced" : "full offer");
	if (nsend == fail_send) {
		snprintf(err, errlen, "fake generator: injected failure");
		return (-1);
	}
	if (nsend == stop_send)
		*stop = 1;
	r->sent = count == UINT64_MAX ? 1000 : count;
	r->seconds = 0.01;
	delivered += r->sent * (uint64_t)deliver_pct / 100;
	return (0);
}

static void
fake_gen_rewind(struct bench_gen *g)
{
	(void)g;
	fake_log("(gen) rewind");
}

static void
fake_gen_close(struct bench_gen *g)
{
	(void)g;
	fake_log("(gen) close");
}

static struct recv_counter *
fake_recv_start(const struct recv_spec *rs, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	if (rs->kind == RECV_UDP)
		fake_log("(recv) udp sink in jail %s, port %u", rs->netns, rs->port);
	else
		fake_log("(recv) wire counter on %s, port %u", rs->ifname, rs->port);
	return ((struct recv_counter *)(void *)&fake_obj);
}

static uint64_t
fake_recv_count(struct recv_counter *c)
{
	(void)c;
	return (delivered);
}

static void
fake_recv_stop(struct recv_counter *c)
{
	(void)c;
	fake_log("(recv) stop");
}

static const struct bench_io fake_io = {
	fake_gen_open, fake_gen_send, fake_gen_rewind, fake_gen_close, fake_recv_start,
	fake_recv_count, fake_recv_stop
};

static struct bench_cfg
run_cfg(const char *only)
{
	struct bench_cfg c;

	memset(&c, 0, sizeof(c));
	c.runs = 1;
	c.dur = 0.01;
	c.trial = 0.01;
	c.steps = 1;
	c.only = only;
	c.stop = &stopflag;
	nsend = fail_send = stop_send = 0;
	delivered = 0;
	stopflag = 0;
	return (c);
}

/* Run workload `only` into tmpdir/bench.csv, pct percent delivered, the fail'th send
 * failing and the stop'th setting *stop (0: none); the rows read back into t. */
static int
run(const char *only, int pct, int fail, int stop, struct bench_table *t, char *err,
    size_t errlen)
{
	struct bench_cfg c = run_cfg(only);
	struct bench_csv_ctx ctx;
	struct bench_csv *csv;
	struct diag d = { 0 };
	char path[PATH_MAX + 32];
	int rc;

	deliver_pct = pct;
	fail_send = fail;
	stop_send = stop;
	snprintf(path, sizeof(path), "%s/bench.csv", fe.tmpdir);
	bench_csv_ctx_init(&ctx, "freebsd");
	if ((csv = bench_csv_create(path, &ctx, err, errlen)) == NULL)
		return (-2);
	rc = bench_fbsd_run(&c, csv, &fake_io, fe.tmpdir, err, errlen);
	bench_csv_close(csv);
	memset(t, 0, sizeof(*t));
	if (bench_csv_read(path, t, &d) == -1)
		fprintf(stderr, "%s", diag_text(&d));
	diag_free(&d);
	return (rc);
}

/* The value of one row, or -1 when it is missing. */
static double
value(const struct bench_table *t, const char *mode, long size, const char *metric)
{
	int i;

	for (i = 0; i < t->nrow; i++)
		if (strcmp(t->row[i].mode, mode) == 0 && t->row[i].size == size &&
		    strcmp(t->row[i].metric, metric) == 0)
			return (t->row[i].value);
	return (-1);
}

/* The states workload's plan: pf off for the generator alone and pf off, then per
 * size a ruleset load (fresh table), pf's counters and zones around the fill, the
 * lookup run and the loss-free search; the rows of the Linux schema. */
static void
test_run_states(void)
{
	struct bench_table t;
	char err[512] = "";

	fresh();
	CU_ASSERT_EQUAL(run("states", 50, 0, 0, &t, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_EQUAL(t.nrow, 1 + 4 + 2 * 6);
	CU_ASSERT_DOUBLE_EQUAL(value(&t, "gen", 0, "tx_pps"), 100000, 1);
	CU_ASSERT_DOUBLE_EQUAL(value(&t, "nopf", 0, "rx_pps"), 50000, 1);
	CU_ASSERT_DOUBLE_EQUAL(value(&t, "nopf", 0, "loss"), 50, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(value(&t, "nopf", 0, "lossfree_pps"), 0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(value(&t, "pf", 1000, "states"), 2, 1e-9);	/* pfctl -si */
	CU_ASSERT_DOUBLE_EQUAL(value(&t, "pf", 10000, "state_mem"), 0, 1e-9);
	CU_ASSERT_TRUE(value(&t, "pf", 10000, "insert_rate") >= 0);
	CU_ASSERT_TRUE(value(&t, "pf", 10000, "lossfree_pps") >= 0);
	CU_ASSERT_FALSE(pf_enabled());
	bench_table_free(&t);
	fake_check_plan(&fe, "tests/freebsd/bench-states.plan");
}

/* The generator fails during the pf-off point: the error comes back, pf is enabled
 * again and the world comes down. */
static void
test_run_fail_nopf(void)
{
	struct bench_table t;
	char err[512] = "";

	fresh();
	/* send 1: the generator alone, 2: pf off */
	CU_ASSERT_EQUAL(run("forward", 100, 2, 0, &t, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(t.nrow, 1);
	bench_table_free(&t);
	CU_ASSERT_STRING_EQUAL(err, "fake generator: injected failure");
	CU_ASSERT_FALSE(pf_enabled());
	fake_check_plan(&fe, "tests/freebsd/bench-fail-nopf.plan");
}

/* SIGINT (*stop set) during a pf-on point: "interrupted", and the world comes down. */
static void
test_run_interrupted(void)
{
	struct bench_table t;
	const char *last = "\nifconfig em0 destroy\n";	/* the first object goes last */
	char err[512] = "", *log;
	size_t n;

	fresh();
	/* send 1: the generator alone, 2: pf off, 3: pf on */
	CU_ASSERT_EQUAL(run("rdr-in", 100, 0, 3, &t, err, sizeof(err)), -1);
	bench_table_free(&t);
	CU_ASSERT_STRING_EQUAL(err, "interrupted");
	CU_ASSERT_FALSE(pf_enabled());
	log = fake_slurp(fe.logpath);
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	n = strlen(log);
	CU_ASSERT_TRUE(n > strlen(last) && strcmp(log + n - strlen(last), last) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "(recv) udp sink in jail pfhbench_sink, port 5001"));
	free(log);
}

int
bench_freebsd_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("bench_world_freebsd", NULL, NULL,
	    setup, teardown);
	CU_pSuite r = CU_add_suite_with_setup_and_teardown("bench_run_freebsd", NULL, NULL,
	    setup, teardown);

	if (s == NULL || r == NULL ||
	    CU_add_test(s, "plan: a bench run", test_plan_run) == NULL ||
	    CU_add_test(s, "plan: down while pf is off", test_plan_down_pf_off) == NULL ||
	    CU_add_test(s, "plan: em1 fails", test_plan_fail_em1) == NULL ||
	    CU_add_test(s, "plan: pfctl refuses", test_plan_load_refused) == NULL ||
	    CU_add_test(s, "plan: not FreeBSD", test_plan_refuse_linux) == NULL ||
	    CU_add_test(s, "plan: a dhclient on em1", test_plan_dhclient) == NULL ||
	    CU_add_test(s, "zone bytes", test_zone_bytes) == NULL ||
	    CU_add_test(r, "plan: the states workload", test_run_states) == NULL ||
	    CU_add_test(r, "plan: the generator fails, pf off", test_run_fail_nopf) == NULL ||
	    CU_add_test(r, "plan: interrupted", test_run_interrupted) == NULL)
		return (-1);
	return (0);
}
