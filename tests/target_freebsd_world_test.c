/* target_freebsd_world_test.c: the freebsd target's world of format v2 against the
 * recorded FreeBSD commands (tests/fake/ on PATH): the command plans of up and down and
 * of a failure half-way are golden files (tests/freebsd/world-*.plan;
 * PFH_UPDATE_GOLDEN=1 rewrites them). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "fake_tutil.h"
#include "target/target.h"
#include "target/freebsd/tfb.h"
#include "tests.h"
#include "tfb_fakeio.h"
#include "tutil.h"

#define WORLD	"tests/freebsd/world.scn"

static struct fake_env fe;
static struct scn *world;

static void
setup(void)
{
	if (fake_env_init(&fe, "target_freebsd_world") == -1)
		CU_FAIL("cannot make the fakes' folder");
	world = tut_scn_file(WORLD);
	target_freebsd_set_io(&tfb_fakeio);
	if (world != NULL)
		tfb_fakeio_host(world);
}

static void
teardown(void)
{
	unsetenv("PFH_FAKE_FAIL");
	unsetenv("PFH_FAKE_EPAIRS");
	fake_env_clean(&fe);
	target_freebsd_set_io(NULL);
	scn_free(world);
	world = NULL;
}

/* A fresh plan, the epairs counted from epair0 (the fake answers epair0a, epair1a ...). */
static void
fresh(void)
{
	char p[PATH_MAX + 32];

	if (!fe.made || world == NULL)
		TUT_FATAL("no fakes or no world scenario for this test (see above)");
	unlink(fe.logpath);
	snprintf(p, sizeof(p), "%s/epairs", fe.tmpdir);
	unlink(p);
	setenv("PFH_FAKE_EPAIRS", p, 1);
}

static struct target_opts
opts(void)
{
	struct target_opts o;

	memset(&o, 0, sizeof(o));
	o.run_dir = fe.tmpdir;
	o.prefix = "pfh";
	return (o);
}

/* up and down: every interface, alias, group, route, sysctl and jail, each undone. */
static void
test_plan_world(void)
{
	struct target_opts o = opts();
	struct target *t;
	struct diag d = { 0 };

	fresh();
	if (target_freebsd_ops.up(&t, world, &o, &d) != 0) {
		fprintf(stderr, "\n%s", diag_text(&d));
		CU_FAIL_FATAL("up");
	}
	target_freebsd_ops.down(t);
	fake_check_plan(&fe, "tests/freebsd/world-up-down.plan");
	diag_free(&d);
}

/* The VNET jail cannot be created: everything made so far goes, newest first. */
static void
test_plan_world_fail(void)
{
	struct target_opts o = opts();
	struct target *t = (struct target *)1;
	struct diag d = { 0 };

	fresh();
	setenv("PFH_FAKE_FAIL", "jail -c name=pfh_app *", 1);
	CU_ASSERT_EQUAL(target_freebsd_ops.up(&t, world, &o, &d), -1);
	CU_ASSERT_PTR_NULL(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "jail -c name=pfh_app"));
	fake_check_plan(&fe, "tests/freebsd/world-fail-vnet.plan");
	diag_free(&d);
}

int
target_freebsd_world_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("target_freebsd_world", NULL,
	    NULL, setup, teardown);

	if (s == NULL ||
	    CU_add_test(s, "plan: a world of v2, up and down", test_plan_world) == NULL ||
	    CU_add_test(s, "plan: the VNET jail fails", test_plan_world_fail) == NULL)
		return (-1);
	return (0);
}
