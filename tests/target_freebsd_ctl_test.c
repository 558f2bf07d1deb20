/* target_freebsd_ctl_test.c: the freebsd target's runtime steps (pfctl, sysctl, wait)
 * and the views the expectations read, against the fake FreeBSD commands (tests/fake):
 * the command plan of tests/freebsd/runtime.scn played step by step as the runner plays
 * it (tests/freebsd/runtime.plan; PFH_UPDATE_GOLDEN=1 rewrites it), each expectation
 * checked by the verdict code on what the fake pfctl printed; pfctl's messages renamed
 * to the scenario's lines; the teardown of what the steps changed. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "fake_tutil.h"
#include "pfctl/pfctl_out.h"
#include "target/target.h"
#include "target/freebsd/tfb.h"
#include "tests.h"
#include "tfb_fakeio.h"
#include "tutil.h"
#include "verdict/verify.h"

#define RUNTIME	"tests/freebsd/runtime.scn"

static struct fake_env fe;
static struct scn *scn;

static int
fake_sleep(uint64_t ms)
{
	fake_log("(sleep) %llu ms", (unsigned long long)ms);
	return (0);
}

static void
setup(void)
{
	if (fake_env_init(&fe, "target_freebsd_ctl") == -1)
		CU_FAIL("cannot make the fakes' folder");
	scn = tut_scn_file(RUNTIME);
	target_freebsd_set_io(&tfb_fakeio);
	target_freebsd_set_sleep(fake_sleep);
	if (scn != NULL)
		tfb_fakeio_host(scn);
}

static void
teardown(void)
{
	fake_env_clean(&fe);
	target_freebsd_set_io(NULL);
	target_freebsd_set_sleep(NULL);
	scn_free(scn);
	scn = NULL;
}

static struct target *
world(void)
{
	struct target_opts o;
	struct target *t = NULL;
	struct diag d = { 0 };

	if (!fe.made || scn == NULL)
		TUT_FATAL("no fakes or no scenario for this test (see above)");
	memset(&o, 0, sizeof(o));
	o.run_dir = fe.tmpdir;
	o.prefix = "pfh";
	if (target_freebsd_ops.up(&t, scn, &o, &d) != 0 ||
	    target_freebsd_ops.load_rules(t, scn, &d) != 0)
		TUT_FATAL("up and load: %s", diag_text(&d));
	diag_free(&d);
	return (t);
}

/* One expectation as the runner checks it: the views it reads through the pfctl op,
 * then the verdict. 1 when it holds. */
static int
expect(struct target *t, const struct scn_probe *p, const struct scn_step *st,
    const struct target_pfctl *last, struct diag *d)
{
	const char *av[VERIFY_VIEWS][VERIFY_ARGS];
	struct target_pfctl views[VERIFY_VIEWS];
	struct verify_obs o;
	struct scn_pfctl c;
	int i, n, ok;

	memset(&o, 0, sizeof(o));
	memset(views, 0, sizeof(views));
	o.outcome = -1;
	o.last_pfctl = last;
	n = verify_views(st, av);
	for (i = 0; i < n; i++) {
		memset(&c, 0, sizeof(c));
		c.argv = (char **)(uintptr_t)av[i];
		for (c.argc = 0; av[i][c.argc] != NULL; c.argc++)
			;
		CU_ASSERT_EQUAL_FATAL(target_freebsd_ops.pfctl(t, &c, &views[i], d), 0);
		o.view[i] = &views[i];
	}
	ok = verify_step(scn, p, st, &o, d);
	for (i = 0; i < n; i++)
		target_pfctl_free(&views[i]);
	return (ok);
}

/* Every step of every probe; each expectation must hold. The last pfctl step's
 * result into *last (the caller frees it). */
static void
play(struct target *t, struct target_pfctl *last)
{
	const struct target_ops *ops = &target_freebsd_ops;
	const struct scn_step *st;
	struct diag d = { 0 };
	int i, k;

	for (i = 0; i < scn->nprobe; i++)
		for (k = 0; k < scn->probe[i].nstep; k++) {
			st = &scn->probe[i].step[k];
			switch (st->kind) {
			case SCN_PFCTL:
				target_pfctl_free(last);
				CU_ASSERT_EQUAL_FATAL(ops->pfctl(t, &st->pfctl, last, &d), 0);
				if (last->status != 0 && (k + 1 == scn->probe[i].nstep ||
				    scn->probe[i].step[k + 1].kind != SCN_EXPECT_LOAD_ERROR))
					TUT_FATAL("%s:%d: %s: exit %d: %s", scn->path, st->line,
					    st->text, last->status, last->err);
				break;
			case SCN_SYSCTL:
				CU_ASSERT_EQUAL(ops->sysctl(t, st->name, st->value, &d), 0);
				break;
			case SCN_WAIT:
				CU_ASSERT_EQUAL(ops->wait(t, st->wait_ms, &d), 0);
				break;
			default:
				if (!expect(t, &scn->probe[i], st, last, &d))
					TUT_FATAL("%s", diag_text(&d));
				break;
			}
		}
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	diag_free(&d);
}

/* The step of probe pn, kind k, the n-th of that kind. */
static struct scn_step *
step(int pn, enum scn_step_kind k, int n)
{
	int i;

	for (i = 0; i < scn->probe[pn].nstep; i++)
		if (scn->probe[pn].step[i].kind == k && n-- == 0)
			return (&scn->probe[pn].step[i]);
	TUT_FATAL("%s: probe %d has no such step", RUNTIME, pn + 1);
	return (NULL);
}

/* The whole scenario: its plan, the rename of the refused load's message, and that
 * the expectations read what the fake printed (a wrong one fails). */
static void
test_runtime_plan(void)
{
	struct target *t = world();
	struct target_pfctl last = { 0 }, ok = { 0, "", "" };
	struct scn_step *st;
	struct diag d = { 0 };
	char want[128];
	uint32_t lo;

	play(t, &last);
	/* the refused load: pfctl's stdin:2: is the heredoc's second line */
	st = step(3, SCN_PFCTL, 0);
	snprintf(want, sizeof(want), "%s:%d: syntax error\n", RUNTIME, st->line + 2);
	CU_ASSERT_EQUAL(last.status, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last.err, want));
	CU_ASSERT_PTR_NULL(strstr(last.err, "stdin:"));
	/* the expectations are held against the views: wrong ones fail */
	st = step(1, SCN_EXPECT_TABLE, 1);
	lo = st->book.value.lo;
	st->book.value.lo = st->book.value.hi = 2;
	CU_ASSERT_EQUAL(expect(t, &scn->probe[1], st, NULL, &d), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "field count: expected 2 vs actual 1"));
	st->book.value.lo = st->book.value.hi = lo;
	st = step(2, SCN_EXPECT_COUNTER, 0);
	st->book.value.lo = st->book.value.hi = 1;
	CU_ASSERT_EQUAL(expect(t, &scn->probe[2], st, NULL, &d), 0);
	st->book.value.lo = st->book.value.hi = 0;
	st = step(0, SCN_EXPECT_VIEW, 1);
	free(st->book.line[1]);
	st->book.line[1] = strdup("rdr-anchor \"rdr/*\" on em0 all");
	CU_ASSERT_EQUAL(expect(t, &scn->probe[0], st, NULL, &d), 0);
	CU_ASSERT_EQUAL(expect(t, &scn->probe[3], step(3, SCN_EXPECT_LOAD_ERROR, 0), &ok,
	    &d), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "but the load succeeded"));
	diag_free(&d);
	fake_log("(down)");
	target_freebsd_ops.down(t);
	target_pfctl_free(&last);
	fake_check_plan(&fe, "tests/freebsd/runtime.plan");
}

/* Steps the scenario parser did not read: a relative -f FILE (the scenario's folder's,
 * its messages naming it as written); -d at run time, undone at teardown. */
static void
test_runtime_file_disable(void)
{
	char *load[] = { "pfctl", "-a", "lab", "-f", "runtime-bad.conf", NULL };
	char *off[] = { "pfctl", "-d", NULL };
	struct scn_pfctl c = { 0 };
	struct target_pfctl r = { 0 };
	struct target *t = world();
	struct diag d = { 0 };

	c.argv = load, c.argc = 5;
	CU_ASSERT_EQUAL_FATAL(target_freebsd_ops.pfctl(t, &c, &r, &d), 0);
	CU_ASSERT_EQUAL(r.status, 1);
	CU_ASSERT_EQUAL(strncmp(r.err, "runtime-bad.conf:3: syntax error\n", 33), 0);
	target_pfctl_free(&r);
	c.argv = off, c.argc = 2;
	CU_ASSERT_EQUAL_FATAL(target_freebsd_ops.pfctl(t, &c, &r, &d), 0);
	CU_ASSERT_EQUAL(r.status, 0);
	CU_ASSERT_STRING_EQUAL(r.err, "pf disabled\n");
	target_pfctl_free(&r);
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	diag_free(&d);
	fake_log("(down)");
	target_freebsd_ops.down(t);
	fake_check_plan(&fe, "tests/freebsd/runtime-file-disable.plan");
}

/* A tunable this FreeBSD lacks, at run time: refused, nothing set. */
static void
test_runtime_sysctl_missing(void)
{
	struct target *t = world();
	struct diag d = { 0 };

	CU_ASSERT_EQUAL(target_freebsd_ops.sysctl(t, "net.pf.no_such_tunable", "1", &d),
	    -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "sysctl net.pf.no_such_tunable: "
	    "this FreeBSD has no such sysctl"));
	CU_ASSERT_EQUAL(target_freebsd_ops.sysctl(t, "kern.hz", "100", &d), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "only pf's tunables"));
	diag_free(&d);
	target_freebsd_ops.down(t);
}

/* pfctl's messages: only `NAME:N:` at a line's start is renamed. */
static void
test_rename(void)
{
	char *t = tfb_pfctl_rename("stdin:2: syntax error\nstdin: nothing\n"
	    "pfctl: Syntax error in config file: pf rules not loaded\nstdin:4: x",
	    "stdin", "a.scn", 10);

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_STRING_EQUAL(t, "a.scn:12: syntax error\nstdin: nothing\n"
	    "pfctl: Syntax error in config file: pf rules not loaded\na.scn:14: x");
	free(t);
	t = tfb_pfctl_rename("", "stdin", "a.scn", 1);
	CU_ASSERT_STRING_EQUAL(t, "");
	free(t);
}

int
target_freebsd_ctl_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("target_freebsd_ctl", NULL,
	    NULL, setup, teardown);

	if (s == NULL ||
	    CU_add_test(s, "plan: runtime steps and views", test_runtime_plan) == NULL ||
	    CU_add_test(s, "plan: relative -f, -d undone", test_runtime_file_disable) ==
	    NULL ||
	    CU_add_test(s, "a sysctl refused at run time", test_runtime_sysctl_missing) ==
	    NULL ||
	    CU_add_test(s, "pfctl messages renamed", test_rename) == NULL)
		return (-1);
	return (0);
}
