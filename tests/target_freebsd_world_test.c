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

static void
settled(struct target *t, int *nframe, const struct target_frame **fr)
{
	struct diag d = { 0 };

	CU_ASSERT_EQUAL(target_freebsd_ops.settle(t, 1000, &d), 0);
	if (d.count)
		fprintf(stderr, "\nsettle: %s", diag_text(&d));
	*fr = target_freebsd_ops.frames(t, nframe);
	diag_free(&d);
}

/* The probes on every wire (tests/tfb_fakeio.c plays a host that forwards between
 * them): the host's MAC learnt by ARP on each wire with an IPv4 neighbour; the VNET
 * jail's listener made in its jail; a SYN sent on em1 from the LAN behind its router
 * is forwarded out of em0 and captured there; the client's SYN-ACK goes back out of em1
 * once the host learnt the router's MAC (the harness answers its ARP with the router's
 * MAC), and the LAN's ACK follows: sentinels on the wires injected on, then on every
 * wire, until a round passes with no answer. A send on em2 (down, no IPv4 neighbour)
 * is refused; `frag N` goes out as its fragments. */
static void
test_plan_world_probe(void)
{
	const struct target_ops *ops = &target_freebsd_ops;
	const struct target_frame *fr;
	struct target_opts o = opts();
	struct target *t;
	struct diag d = { 0 };
	char pcap[PATH_MAX + 32], a[64];
	int nf, i, on0 = 0, on1 = 0;

	fresh();
	CU_ASSERT_EQUAL_FATAL(ops->up(&t, world, &o, &d), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ops->send_on);
	CU_ASSERT_EQUAL(ops->load_rules(t, world, &d), 0);
	CU_ASSERT_EQUAL_FATAL(ops->start_sink(t, world, &d), 0);
	snprintf(pcap, sizeof(pcap), "%s/probe02-freebsd.pcap", fe.tmpdir);
	CU_ASSERT_EQUAL(ops->probe_begin(t, pcap, &d), 0);
	CU_ASSERT_EQUAL(world->probe[1].step[0].wire, 1);
	CU_ASSERT_EQUAL(ops->send_on(t, world->probe[1].step[0].wire,
	    &world->probe[1].step[0].pkt, &d), 0);
	settled(t, &nf, &fr);
	for (i = 0; i < nf; i++) {
		pkt_addr_format(&fr[i].pkt.src, a, sizeof(a));
		if (fr[i].wire == 0 && strcmp(a, "172.16.5.5") == 0 &&
		    fr[i].pkt.flags == PKT_TH_SYN)
			on0++;
		if (fr[i].wire == 1 && strcmp(a, "198.51.100.7") == 0 &&
		    fr[i].pkt.flags == (PKT_TH_SYN | PKT_TH_ACK))
			on1++;
	}
	CU_ASSERT_EQUAL(on0, 1);
	CU_ASSERT_EQUAL(on1, 1);
	CU_ASSERT_EQUAL(nf, 3);		/* and the LAN's ACK, out of em0 */
	ops->probe_end(t);
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	CU_ASSERT_EQUAL(ops->probe_begin(t, NULL, &d), 0);
	CU_ASSERT_EQUAL(ops->send_on(t, 2, &world->probe[1].step[0].pkt, &d), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "send on em2: the wire does not know "
	    "the host's MAC"));
	ops->probe_end(t);
	diag_free(&d);
	/* `frag 256`: three fragments on em1, in order */
	CU_ASSERT_EQUAL(ops->probe_begin(t, NULL, &d), 0);
	CU_ASSERT_EQUAL(ops->send_on(t, 1, &world->probe[2].step[0].pkt, &d), 0);
	settled(t, &nf, &fr);
	CU_ASSERT_EQUAL(nf, 0);		/* the fake host forwards whole packets only */
	ops->probe_end(t);
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	ops->down(t);
	CU_ASSERT_EQUAL(tfb_fakeio_up_on_wire, 0);
	fake_check_plan(&fe, "tests/freebsd/world-probe.plan");
	diag_free(&d);
}

int
target_freebsd_world_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("target_freebsd_world", NULL,
	    NULL, setup, teardown);

	if (s == NULL ||
	    CU_add_test(s, "plan: a world of v2, up and down", test_plan_world) == NULL ||
	    CU_add_test(s, "plan: the VNET jail fails", test_plan_world_fail) == NULL ||
	    CU_add_test(s, "plan: probes on every wire", test_plan_world_probe) == NULL)
		return (-1);
	return (0);
}
