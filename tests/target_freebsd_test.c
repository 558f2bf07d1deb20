/* target_freebsd_test.c: the freebsd target against recorded FreeBSD commands
 * (tests/fake/ on PATH): its command plans for the first seed scenario are golden files
 * (tests/freebsd/NAME.plan; PFH_UPDATE_GOLDEN=1 rewrites them), its refusals and teardowns. */
#include <sys/stat.h>
#include <netinet/in.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "fake_tutil.h"
#include "pfctl/pfctl_out.h"
#include "target/target.h"
#include "target/freebsd/tfb.h"
#include "tests.h"
#include "tutil.h"
#include "tfb_fakeio.h"

#define SEED	"tests/freebsd/seed.scn"

/* The running test's fixture: made before it, gone after it (tests share nothing). */
static struct fake_env fe;
static struct scn *seed;

static const char *const knobs[] = { "PFH_FAKE_FAIL", "PFH_FAKE_UNAME", "PFH_FAKE_IFLIST",
    "PFH_FAKE_JLS", "PFH_FAKE_GROUP", "PFH_FAKE_PFLOAD", "PFH_FAKE_IFDEFAULT",
    "PFH_FAKE_DHCLIENT", "PFH_FAKE_RELEASE", NULL };

/* The test's own folder and fakes, the seed parsed anew, the fake host playing it. */
static void
setup(void)
{
	if (fake_env_init(&fe, "target_freebsd") == -1)
		CU_FAIL("cannot make the fakes' folder");
	seed = tut_scn_file(SEED);
	target_freebsd_set_io(&tfb_fakeio);
	if (seed != NULL)
		tfb_fakeio_host(seed);
}

static void
teardown(void)
{
	int i;

	for (i = 0; knobs[i] != NULL; i++)
		unsetenv(knobs[i]);
	fake_env_clean(&fe);
	target_freebsd_set_io(NULL);
	scn_free(seed);
	seed = NULL;
}

/* A fresh plan: empty log, pf disabled, no knob set. */
static void
fresh(void)
{
	char p[PATH_MAX + 32];
	int i;

	if (!fe.made || seed == NULL)
		TUT_FATAL("no fakes or no seed scenario for this test (see above)");
	unlink(fe.logpath);
	snprintf(p, sizeof(p), "%s/pf-enabled", fe.tmpdir);
	unlink(p);
	for (i = 0; knobs[i] != NULL; i++)
		unsetenv(knobs[i]);
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

/* up, load, what a probe reads (states, counters, rules), down. */
static void
test_plan_seed(void)
{
	const struct target_ops *ops = &target_freebsd_ops;
	struct target_opts o = opts();
	struct pfctl_state *st;
	struct pfctl_info in;
	struct target *t;
	struct diag d = { 0 };
	char *text, err[128], *conf;
	int n;

	fresh();
	/* the VM's own NIC on DHCP is no harness interface: no refusal */
	setenv("PFH_FAKE_DHCLIENT", "512 dhclient: vtnet0 [priv]\\n513 dhclient: vtnet0", 1);
	setenv("PFH_FAKE_IFDEFAULT", "", 1);
	CU_ASSERT_EQUAL_FATAL(ops->up(&t, seed, &o, &d), 0);
	CU_ASSERT_EQUAL(ops->load_rules(t, seed, &d), 0);
	conf = fake_slurp("tests/freebsd/seed.scn");
	text = NULL;
	if (conf != NULL) {
		char p[PATH_MAX + 32];
		snprintf(p, sizeof(p), "%s/pf.conf", fe.tmpdir);
		text = fake_slurp(p);
		CU_ASSERT_PTR_NOT_NULL(text);
		CU_ASSERT_TRUE(text != NULL && strcmp(text, seed->pf_text) == 0);
	}
	free(text);
	free(conf);
	text = ops->states(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(pfctl_states_parse(text, &st, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_TRUE(n == 2 && pfctl_state_match(&seed->probe[0].step[3].state, &st[0]));
	free(st);
	free(text);
	text = ops->counters(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(pfctl_info_parse(text, &in, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(in.enabled, 1);		/* the target enabled pf */
	free(text);
	text = ops->nat(t);	/* 14's -sr lists no translation rule: -sn does */
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "@0 nat pass on em0 inet from 10.99.0.0/28"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "rdr pass on em0 inet proto tcp"));
	free(text);
	text = ops->rules(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "block drop on em0"));
	CU_ASSERT_PTR_NULL(strstr(text, "rdr pass"));
	free(text);
	ops->down(t);
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	fake_check_plan(&fe, "tests/freebsd/seed-up-down.plan");
	diag_free(&d);
}

/* One probe's settle; its frames and deliveries. */
static void
settled(struct target *t, int *nframe, const struct target_frame **fr, int *ndeliv,
    const struct target_delivery **dl)
{
	struct diag d = { 0 };

	CU_ASSERT_EQUAL(target_freebsd_ops.settle(t, 1000, &d), 0);
	if (d.count)
		fprintf(stderr, "\nsettle: %s", diag_text(&d));
	*fr = target_freebsd_ops.frames(t, nframe);
	*dl = target_freebsd_ops.deliveries(t, ndeliv);
	diag_free(&d);
}

/* The whole probe path on the fake wire and sink (tests/tfb_fakeio.c): the sink starts
 * after ARP taught the wire the host's MAC; the seed's first probe (SYN to port 81,
 * SYN-ACK, the clients' ACK, one more sentinel round, the sink's sync with harry's
 * accept); a jail's connect to a client; a SYN-ACK held by the host until the harness
 * answered its ARP for the gateway. */
static void
test_plan_probe(void)
{
	const struct target_ops *ops = &target_freebsd_ops;
	const struct target_frame *fr;
	const struct target_delivery *dl;
	struct target_opts o = opts();
	struct target *t;
	struct diag d = { 0 };
	char pcap[PATH_MAX + 32], a[64];
	int nf, nd;

	fresh();
	tfb_fakeio_host(seed);
	CU_ASSERT_EQUAL_FATAL(ops->up(&t, seed, &o, &d), 0);
	CU_ASSERT_EQUAL(ops->load_rules(t, seed, &d), 0);
	CU_ASSERT_EQUAL_FATAL(ops->start_sink(t, seed, &d), 0);
	snprintf(pcap, sizeof(pcap), "%s/probe01-freebsd.pcap", fe.tmpdir);
	CU_ASSERT_EQUAL(ops->probe_begin(t, pcap, &d), 0);
	CU_ASSERT_EQUAL(ops->send(t, &seed->probe[0].step[0].pkt, &d), 0);
	settled(t, &nf, &fr, &nd, &dl);
	CU_ASSERT_EQUAL(nf, 1);
	CU_ASSERT_TRUE(nf == 1 && fr[0].decoded && fr[0].pkt.sport == 81 &&
	    fr[0].pkt.flags == (PKT_TH_SYN | PKT_TH_ACK));
	CU_ASSERT_EQUAL(nd, 1);
	CU_ASSERT_TRUE(nd == 1 && dl[0].jail == 2 && dl[0].lport == 80 &&
	    dl[0].pport == 40001);
	CU_ASSERT_EQUAL(ops->connect_outcome(t), -1);
	ops->probe_end(t);

	CU_ASSERT_EQUAL(ops->probe_begin(t, NULL, &d), 0);
	CU_ASSERT_EQUAL(ops->jail_connect(t, 0, IPPROTO_TCP, &seed->client[0].addr, 443,
	    NULL, 0, &d), 0);
	settled(t, &nf, &fr, &nd, &dl);
	CU_ASSERT_EQUAL(ops->connect_outcome(t), SCN_CONN_OK);
	CU_ASSERT_EQUAL(nf, 2);		/* the SYN and the ACK, NATed */
	CU_ASSERT_TRUE(nf == 2 && strcmp(pkt_addr_format(&fr[1].pkt.src, a, sizeof(a)),
	    "203.0.113.1") == 0 && fr[1].pkt.flags == PKT_TH_ACK);
	CU_ASSERT_EQUAL(nd, 0);
	ops->probe_end(t);

	tfb_fakeio_neighbour = 1;
	CU_ASSERT_EQUAL(ops->probe_begin(t, NULL, &d), 0);
	CU_ASSERT_EQUAL(ops->send(t, &seed->probe[0].step[0].pkt, &d), 0);
	settled(t, &nf, &fr, &nd, &dl);
	CU_ASSERT_EQUAL(nf, 1);
	CU_ASSERT_EQUAL(nd, 1);
	ops->probe_end(t);
	ops->down(t);
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	/* the host addressed its neighbours, never epairNb itself: pf saw each packet once */
	CU_ASSERT_EQUAL(tfb_fakeio_up_on_wire, 0);
	fake_check_plan(&fe, "tests/freebsd/seed-probe.plan");
	diag_free(&d);
}

/* A host that never answers the sentinel: settle fails, it does not pass. */
static void
test_settle_timeout(void)
{
	const struct target_ops *ops = &target_freebsd_ops;
	struct target_opts o = opts();
	struct target *t;
	struct diag d = { 0 };

	fresh();
	tfb_fakeio_host(seed);
	CU_ASSERT_EQUAL_FATAL(ops->up(&t, seed, &o, &d), 0);
	CU_ASSERT_EQUAL(ops->load_rules(t, seed, &d), 0);
	CU_ASSERT_EQUAL_FATAL(ops->start_sink(t, seed, &d), 0);
	tfb_fakeio_arp_mute = 1;
	CU_ASSERT_EQUAL(ops->probe_begin(t, NULL, &d), 0);
	CU_ASSERT_EQUAL(ops->send(t, &seed->probe[0].step[0].pkt, &d), 0);
	CU_ASSERT_EQUAL(ops->settle(t, 100, &d), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "the sentinel (ARP for em0) did not "
	    "come back within 100 ms"));
	ops->probe_end(t);
	ops->down(t);
	diag_free(&d);
	/* a host that never answers ARP: no sink, no probe */
	fresh();
	tfb_fakeio_host(seed);
	tfb_fakeio_arp_mute = 1;
	CU_ASSERT_EQUAL_FATAL(ops->up(&t, seed, &o, &d), 0);
	CU_ASSERT_EQUAL(ops->start_sink(t, seed, &d), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "em0 did not answer ARP"));
	ops->down(t);
	diag_free(&d);
	tfb_fakeio_arp_mute = 0;
}

/* pf's own replies come from its software interrupt, after the sentinel: settle waits
 * for them when the ruleset has `return` (and only then). */
static void
test_settle_pf_late(void)
{
	const struct target_ops *ops = &target_freebsd_ops;
	const struct target_frame *fr;
	const struct target_delivery *dl;
	struct target_opts o = opts();
	struct target *t;
	struct diag d = { 0 };
	struct pkt syn;
	char *text;
	int nf, nd;

	fresh();
	text = seed->pf_text;
	tfb_fakeio_host(seed);
	tfb_fakeio_pf_late_ms = 5;
	tut_pkt("tcp 198.51.100.7:40002 > 203.0.113.1:111 S", &syn);
	CU_ASSERT_EQUAL_FATAL(ops->up(&t, seed, &o, &d), 0);
	seed->pf_text = "block return in on em0 proto tcp to port 111\n";
	CU_ASSERT_EQUAL(ops->load_rules(t, seed, &d), 0);
	seed->pf_text = text;
	CU_ASSERT_EQUAL_FATAL(ops->start_sink(t, seed, &d), 0);
	CU_ASSERT_EQUAL(ops->probe_begin(t, NULL, &d), 0);
	CU_ASSERT_EQUAL(ops->send(t, &syn, &d), 0);
	settled(t, &nf, &fr, &nd, &dl);
	CU_ASSERT_EQUAL(nf, 1);
	CU_ASSERT_TRUE(nf == 1 && fr[0].pkt.flags == (PKT_TH_RST | PKT_TH_ACK));
	ops->probe_end(t);
	/* without `return` in the ruleset settle does not wait: a late RST is missed */
	tfb_fakeio_pf_late_ms = 300;
	CU_ASSERT_EQUAL(ops->load_rules(t, seed, &d), 0);
	CU_ASSERT_EQUAL(ops->probe_begin(t, NULL, &d), 0);
	CU_ASSERT_EQUAL(ops->send(t, &syn, &d), 0);
	settled(t, &nf, &fr, &nd, &dl);
	CU_ASSERT_EQUAL(nf, 0);
	ops->probe_end(t);
	ops->down(t);
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	diag_free(&d);
	tfb_fakeio_pf_late_ms = 0;
}

/* A pf tunable this FreeBSD lacks: the scenario's error at its line, nothing set. */
static void
test_sysctl_missing(void)
{
	struct target_opts o = opts();
	struct target *t;
	struct diag d = { 0 };
	char *name;

	fresh();
	CU_ASSERT_EQUAL_FATAL(target_freebsd_ops.up(&t, seed, &o, &d), 0);
	name = seed->sysctl[0].name;
	seed->sysctl[0].name = "net.pf.no_such_tunable";
	CU_ASSERT_EQUAL(target_freebsd_ops.load_rules(t, seed, &d), -1);
	seed->sysctl[0].name = name;
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), SEED ":11: sysctl "
	    "net.pf.no_such_tunable: this FreeBSD has no such sysctl"));
	target_freebsd_ops.down(t);
	fake_check_plan(&fe, "tests/freebsd/seed-sysctl-missing.plan");
	diag_free(&d);
}

/* A scenario for another release than the host's: up says 1 (the run skips it) with
 * the reason at the scenario's `freebsd` line, having built nothing; the same release
 * builds; a release the run was given with --freebsd is named as the option. */
static void
test_release(void)
{
	const struct target_ops *ops = &target_freebsd_ops;
	struct target_opts o = opts();
	struct target *t = NULL;
	struct diag d = { 0 };
	char *log;

	fresh();
	seed->freebsd = 15;
	seed->freebsd_line = 3;
	CU_ASSERT_EQUAL(ops->up(&t, seed, &o, &d), 1);
	CU_ASSERT_PTR_NULL(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), SEED ":3: written for FreeBSD 15 "
	    "and this host runs 14.3-RELEASE: run it in a FreeBSD 15 VM"));
	log = fake_slurp(fe.logpath);
	CU_ASSERT_TRUE(log != NULL && strcmp(log, "uname -s\nfreebsd-version -k\n") == 0);
	free(log);
	diag_free(&d);

	fresh();
	setenv("PFH_FAKE_RELEASE", "15.0-RELEASE-p2", 1);
	CU_ASSERT_EQUAL(ops->up(&t, seed, &o, &d), 0);
	if (t != NULL)
		ops->down(t);
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	diag_free(&d);

	fresh();	/* 14 from --freebsd (no line of the scenario) on a 15 host */
	setenv("PFH_FAKE_RELEASE", "15.0-RELEASE", 1);
	seed->freebsd = 14;
	seed->freebsd_line = 0;
	t = NULL;
	CU_ASSERT_EQUAL(ops->up(&t, seed, &o, &d), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "the run follows FreeBSD 14 "
	    "(--freebsd) and this host runs 15.0-RELEASE: give --freebsd 15"));
	diag_free(&d);

	fresh();	/* a scenario that says nothing runs on any release */
	setenv("PFH_FAKE_RELEASE", "15.0-RELEASE", 1);
	seed->freebsd = 0;
	t = NULL;
	CU_ASSERT_EQUAL(ops->up(&t, seed, &o, &d), 0);
	if (t != NULL)
		ops->down(t);
	diag_free(&d);
}

/* The system record written beside the scenarios' folders on the first up. */
static void
test_system_record(void)
{
	char p[PATH_MAX + 32], *text;
	struct diag d = { 0 };

	fresh();
	CU_ASSERT_EQUAL(target_freebsd_record_system(fe.tmpdir, &d), 0);
	snprintf(p, sizeof(p), "%s/system.txt", fe.tmpdir);
	text = fake_slurp(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "harness: pfharness "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "14.3-RELEASE\n14.3-RELEASE\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "ident\tGENERIC"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "net.pf.states_hashsize: 131072"));
	free(text);
	diag_free(&d);
}

/* The second jail cannot be created: everything made so far goes, newest first. */
static void
test_plan_fail_jail(void)
{
	struct target_opts o = opts();
	struct target *t = (struct target *)1;
	struct diag d = { 0 };

	fresh();
	setenv("PFH_FAKE_FAIL", "jail -c name=pfh_dick *", 1);
	CU_ASSERT_EQUAL(target_freebsd_ops.up(&t, seed, &o, &d), -1);
	CU_ASSERT_PTR_NULL(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), SEED ":8: jail -c pfh_dick: exit 1"));
	fake_check_plan(&fe, "tests/freebsd/seed-fail-jail.plan");
	diag_free(&d);
}

/* pfctl refuses the ruleset: 1, and its message names the scenario's line. */
static void
test_plan_load_error(void)
{
	struct target_opts o = opts();
	struct target *t;
	struct diag d = { 0 };

	fresh();
	setenv("PFH_FAKE_PFLOAD", "tests/fake/out/pfctl-f-order.txt", 1);
	CU_ASSERT_EQUAL_FATAL(target_freebsd_ops.up(&t, seed, &o, &d), 0);
	CU_ASSERT_EQUAL(target_freebsd_ops.load_rules(t, seed, &d), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), SEED ":26: Rules must be in order: "
	    "options, ethernet, normalization, queueing, translation, filtering\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "pfctl: Syntax error in config file"));
	target_freebsd_ops.down(t);
	fake_check_plan(&fe, "tests/freebsd/seed-load-error.plan");
	diag_free(&d);
}

static void
refused(const char *knob, const char *value, const char *msg, const char *plan)
{
	struct target_opts o = opts();
	struct target *t;
	struct diag d = { 0 };

	fresh();
	if (knob != NULL)
		setenv(knob, value, 1);
	CU_ASSERT_EQUAL(target_freebsd_ops.up(&t, seed, &o, &d), -1);
	if (strstr(diag_text(&d), msg) == NULL) {
		fprintf(stderr, "\nwanted \"%s\" in:\n%s", msg, diag_text(&d));
		CU_FAIL("refusal message");
	}
	fake_check_plan(&fe, plan);
	diag_free(&d);
}

static void
test_refusals(void)
{
	refused("PFH_FAKE_UNAME", "Linux", "the freebsd target runs on FreeBSD only "
	    "(this is Linux)", "tests/freebsd/refuse-linux.plan");
	refused("PFH_FAKE_IFLIST", "vtnet0 em0 lo0", SEED ":5: interface em0 exists on "
	    "this host", "tests/freebsd/refuse-em0.plan");
	refused("PFH_FAKE_IFDEFAULT", "SYNCDHCP", "refusing: rc.conf has "
	    "ifconfig_DEFAULT=\"SYNCDHCP\", so devd would start dhclient on the harness's "
	    "epairs", "tests/freebsd/refuse-dhcp-default.plan");
	refused("PFH_FAKE_DHCLIENT", "512 dhclient: vtnet0 [priv]\\n"
	    "730 dhclient: epair0b [priv]", "refusing: a dhclient runs on epair0b, an "
	    "interface of the harness (730 dhclient: epair0b [priv])",
	    "tests/freebsd/refuse-dhclient.plan");
	target_freebsd_set_marker("tests/fake/no-such-marker");
	refused(NULL, NULL, "refusing to change pf, jails and interfaces: "
	    "tests/fake/no-such-marker is missing", "tests/freebsd/refuse-marker.plan");
	target_freebsd_set_marker("tests/fake/throwaway");
}

/* A crashed run's jails and interfaces go; nothing else does. */
static void
test_plan_stale(void)
{
	fresh();
	setenv("PFH_FAKE_JLS", "pfh_tom\\nwww\\npfh_harry", 1);
	setenv("PFH_FAKE_GROUP", "em0 lo1", 1);
	target_freebsd_ops.cleanup_stale("pfh");
	fake_check_plan(&fe, "tests/freebsd/stale.plan");
}

int
target_freebsd_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("target_freebsd", NULL, NULL,
	    setup, teardown);

	if (s == NULL ||
	    CU_add_test(s, "plan: seed up, load, read, down", test_plan_seed) == NULL ||
	    CU_add_test(s, "system record", test_system_record) == NULL ||
	    CU_add_test(s, "plan: second jail fails", test_plan_fail_jail) == NULL ||
	    CU_add_test(s, "plan: pfctl refuses the ruleset", test_plan_load_error) == NULL ||
	    CU_add_test(s, "refusals", test_refusals) == NULL ||
	    CU_add_test(s, "a sysctl this FreeBSD lacks", test_sysctl_missing) == NULL ||
	    CU_add_test(s, "the scenario's release and the host's", test_release) == NULL ||
	    CU_add_test(s, "plan: stale objects", test_plan_stale) == NULL ||
	    CU_add_test(s, "plan: probes on the fake wire", test_plan_probe) == NULL ||
	    CU_add_test(s, "settle without the sentinel", test_settle_timeout) == NULL ||
	    CU_add_test(s, "settle waits for pf's own replies", test_settle_pf_late) == NULL)
		return (-1);
	return (0);
}
