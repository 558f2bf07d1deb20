/* target_linux_test.c: the linux target builds its namespaces, runs real packets
 * through the NFQUEUE hook and the pf model, and leaves nothing behind. Needs root. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "target/linux/netns.h"
#include "scn/scn.h"
#include "target/target.h"
#include "tests.h"
#include "tutil.h"

#define PREFIX	"pfhtl"

static const char world[] =
    "scenario \"linux target test\"\n"
    "host em0 203.0.113.1/24\n"
    "loopback lo1 10.99.0.0/28\n"
    "jail tom 10.99.0.1 listen tcp/80,udp/53\n"
    "client 198.51.100.7 listen tcp/443\n"
    "pf <<EOF\n"
    "pass all\n"
    "block return in on em0 proto tcp from any to any port 111\n"
    "block drop in on em0 proto tcp from any to any port 112\n"
    "block drop out on em0 proto tcp from any to any port 113\n"
    "EOF\n";

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6);
}

static int
ns_exists(const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return (stat(path, &st) == 0);
}

static struct scn *
parse_world(void)
{
	return (tut_scn_text("target_linux_test.scn", world));
}

/* The world a test brought up and has not brought down: teardown brings it down after
 * a fatal failure, so that the next test starts without it. */
static struct target *live;

static struct target *
bring_up(const struct scn *s, int load, int sink)
{
	struct target_opts o;
	struct target *t = NULL;
	struct diag d = { 0 };

	memset(&o, 0, sizeof(o));
	o.prefix = PREFIX;
	if (target_linux_ops.up(&t, s, &o, &d) == -1 ||
	    (load && target_linux_ops.load_rules(t, s, &d) != 0) ||
	    (sink && target_linux_ops.start_sink(t, s, &d) == -1)) {
		fprintf(stderr, "target_linux: %s", diag_text(&d));
		if (t != NULL)
			target_linux_ops.down(t);
		t = NULL;
	}
	diag_free(&d);
	return (live = t);
}

static void
bring_down(struct target *t)
{
	target_linux_ops.down(t);
	live = NULL;
}

static void
test_up_down(void)
{
	struct scn *s = parse_world();
	struct target *t;
	char host[64], wire[64];
	pid_t pids[16];
	int n, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	snprintf(host, sizeof(host), PREFIX "%ldh", (long)getpid());
	snprintf(wire, sizeof(wire), PREFIX "%ldw", (long)getpid());
	t = bring_up(s, 0, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT(ns_exists(host));
	CU_ASSERT(ns_exists(wire));
	n = netns_pids(host, pids, 16);
	CU_ASSERT(n >= 1);		/* the sink */
	bring_down(t);
	CU_ASSERT(!ns_exists(host));
	CU_ASSERT(!ns_exists(wire));
	for (i = 0; i < n; i++)
		CU_ASSERT(kill(pids[i], 0) == -1 && errno == ESRCH);
	target_linux_ops.down(NULL);
	scn_free(s);
}

/* test_stale's namespaces and its process inside one: made by the test, gone after it
 * whatever happened (a live pid's namespace would otherwise stay for good). */
static char stale_dead[64], stale_live[64], stale_vnet[64], stale_other[64];
static pid_t stale_in;

static void
setup(void)
{
	stale_dead[0] = stale_live[0] = stale_vnet[0] = stale_other[0] = '\0';
	stale_in = 0;
	live = NULL;
}

static void
teardown(void)
{
	if (live != NULL)
		target_linux_ops.down(live);
	if (stale_in > 0) {
		(void)kill(stale_in, SIGKILL);
		(void)waitpid(stale_in, NULL, 0);
	}
	if (stale_live[0] != '\0')
		(void)netns_delete(stale_live);
	if (stale_dead[0] != '\0')
		(void)netns_delete(stale_dead);
	if (stale_vnet[0] != '\0')
		(void)netns_delete(stale_vnet);
	if (stale_other[0] != '\0')
		(void)netns_delete(stale_other);
	setup();
}

/* A dead pid's namespaces go, with the processes inside; a live pid's stay. */
static void
test_stale(void)
{
	char *addns[] = { "ip", "netns", "add", NULL, NULL };
	char path[256], err[512];
	int status, fd;
	pid_t pid;

	if ((pid = fork()) == 0)
		_exit(0);
	CU_ASSERT_FATAL(pid > 0);
	waitpid(pid, NULL, 0);
	snprintf(stale_dead, sizeof(stale_dead), PREFIX "%ldh", (long)pid);
	addns[3] = stale_dead;
	CU_ASSERT_EQUAL_FATAL(netns_run(addns, NULL, err, sizeof(err)), 0);
	snprintf(stale_live, sizeof(stale_live), PREFIX "1w");
	addns[3] = stale_live;
	CU_ASSERT_EQUAL(netns_run(addns, NULL, err, sizeof(err)), 0);
	/* A leftover process inside the stale namespace. */
	snprintf(path, sizeof(path), "/run/netns/%s", stale_dead);
	if ((stale_in = fork()) == 0) {
		if ((fd = open(path, O_RDONLY)) == -1 || setns(fd, CLONE_NEWNET) == -1)
			_exit(1);
		for (;;)
			pause();
	}
	CU_ASSERT_FATAL(stale_in > 0);
	while (netns_pids(stale_dead, &pid, 1) < 1)
		usleep(1000);
	/* a VNET jail's namespace of the dead run goes too; a name not of ours stays */
	snprintf(stale_vnet, sizeof(stale_vnet), "%.*sj3", (int)strlen(stale_dead) - 1,
	    stale_dead);
	addns[3] = stale_vnet;
	CU_ASSERT_EQUAL(netns_run(addns, NULL, err, sizeof(err)), 0);
	snprintf(stale_other, sizeof(stale_other), "%.*sjx", (int)strlen(stale_dead) - 1,
	    stale_dead);
	addns[3] = stale_other;
	CU_ASSERT_EQUAL(netns_run(addns, NULL, err, sizeof(err)), 0);
	target_linux_ops.cleanup_stale(PREFIX);
	CU_ASSERT(!ns_exists(stale_dead));
	CU_ASSERT(!ns_exists(stale_vnet));
	CU_ASSERT(ns_exists(stale_other));
	CU_ASSERT_EQUAL(netns_delete(stale_other), 0);
	CU_ASSERT(ns_exists(stale_live));
	CU_ASSERT_EQUAL(waitpid(stale_in, &status, 0), stale_in);
	stale_in = 0;
	CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CU_ASSERT_EQUAL(netns_delete(stale_live), 0);
	CU_ASSERT_EQUAL(netns_delete(stale_dead), 0);	/* gone already: still 0 */
}

static struct pkt
syn(uint16_t sport, const char *dst, uint16_t dport)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.proto = IPPROTO_TCP;
	pkt_addr_parse("198.51.100.7", &p.src);
	pkt_addr_parse(dst, &p.dst);
	p.sport = sport;
	p.dport = dport;
	p.flags = PKT_TH_SYN;
	p.seq = 1000;
	p.win = 65535;
	return (p);
}

/* Send one packet and settle; the settle time in ms, or -1. */
static double
probe(struct target *t, const struct pkt *p)
{
	struct diag d = { 0 };
	double t0;
	int rc;

	CU_ASSERT_EQUAL(target_linux_ops.probe_begin(t, NULL, &d), 0);
	t0 = now_ms();
	rc = target_linux_ops.send(t, p, &d);
	if (rc == 0)
		rc = target_linux_ops.settle(t, 3000, &d);
	t0 = now_ms() - t0;
	if (rc != 0)
		fprintf(stderr, "target_linux: %s", diag_text(&d));
	diag_free(&d);
	return (rc == 0 ? t0 : -1);
}

static void
test_roundtrip(void)
{
	struct scn *s = parse_world();
	const struct target_frame *f;
	const struct target_delivery *dl;
	struct target *t;
	struct pkt p;
	struct diag d = { 0 };
	char *states;
	double ms;
	int nf, nd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	t = bring_up(s, 1, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);

	/* Positive: the jail's port answers SYN-ACK and the sink accepts. */
	p = syn(40001, "10.99.0.1", 80);
	CU_ASSERT((ms = probe(t, &p)) >= 0);
	f = target_linux_ops.frames(t, &nf);
	dl = target_linux_ops.deliveries(t, &nd);
	CU_ASSERT_EQUAL(nf, 1);
	if (nf >= 1) {
		CU_ASSERT(f[0].decoded);
		CU_ASSERT_EQUAL(f[0].pkt.flags, PKT_TH_SYN | PKT_TH_ACK);
		CU_ASSERT_EQUAL(f[0].pkt.ack, 1001);
		CU_ASSERT(f[0].pkt.ip_sum_ok && f[0].pkt.l4_sum_ok);
	}
	CU_ASSERT_EQUAL(nd, 1);
	if (nd >= 1) {
		CU_ASSERT_EQUAL(dl[0].jail, 0);
		CU_ASSERT_EQUAL(dl[0].lport, 80);
		CU_ASSERT_EQUAL(dl[0].pport, 40001);
	}
	states = target_linux_ops.states(t);
	CU_ASSERT_PTR_NOT_NULL(states);
	CU_ASSERT(states != NULL && strstr(states, "10.99.0.1:80") != NULL);
	free(states);

	/* Negative: pf drops it; the sentinel ends the wait quickly. */
	p = syn(40002, "203.0.113.1", 112);
	CU_ASSERT((ms = probe(t, &p)) >= 0 && ms < 200);
	target_linux_ops.frames(t, &nf);
	target_linux_ops.deliveries(t, &nd);
	CU_ASSERT_EQUAL(nf, 0);
	CU_ASSERT_EQUAL(nd, 0);

	/* block return: pf's RST, sent past the hook, with good checksums. */
	p = syn(40003, "203.0.113.1", 111);
	CU_ASSERT(probe(t, &p) >= 0);
	f = target_linux_ops.frames(t, &nf);
	CU_ASSERT_EQUAL(nf, 1);
	if (nf >= 1) {
		CU_ASSERT_EQUAL(f[0].pkt.flags, PKT_TH_RST | PKT_TH_ACK);
		CU_ASSERT(f[0].pkt.ip_sum_ok && f[0].pkt.l4_sum_ok);
	}

	/* A jail's connect that pf drops on its way out fails at once, as on FreeBSD. */
	CU_ASSERT_EQUAL(target_linux_ops.probe_begin(t, NULL, &d), 0);
	pkt_addr_parse("198.51.100.7", &p.dst);
	CU_ASSERT_EQUAL(target_linux_ops.jail_connect(t, 0, IPPROTO_TCP, &p.dst, 113,
	    NULL, 0, &d), 0);
	ms = now_ms();
	CU_ASSERT_EQUAL(target_linux_ops.settle(t, 3000, &d), 0);
	CU_ASSERT(now_ms() - ms < 200);
	CU_ASSERT_EQUAL(target_linux_ops.connect_outcome(t), SCN_CONN_FAILED);

	/* And one that reaches a listening client completes. */
	CU_ASSERT_EQUAL(target_linux_ops.probe_begin(t, NULL, &d), 0);
	CU_ASSERT_EQUAL(target_linux_ops.jail_connect(t, 0, IPPROTO_TCP, &p.dst, 443,
	    NULL, 0, &d), 0);
	CU_ASSERT_EQUAL(target_linux_ops.settle(t, 3000, &d), 0);
	CU_ASSERT_EQUAL(target_linux_ops.connect_outcome(t), SCN_CONN_OK);
	target_linux_ops.probe_end(t);
	if (d.count)
		fprintf(stderr, "target_linux: %s", diag_text(&d));
	diag_free(&d);
	bring_down(t);
	scn_free(s);
}

/* Bad interface names are refused before anything is built. */
static void
test_bad_names(void)
{
	struct diag d = { 0 };
	struct target_opts o;
	struct target *t = NULL;
	struct scn *s = parse_world();
	char host[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	snprintf(s->lo_if, sizeof(s->lo_if), "%s", s->host_if);
	memset(&o, 0, sizeof(o));
	o.prefix = PREFIX;
	CU_ASSERT_EQUAL(target_linux_ops.up(&t, s, &o, &d), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "target_linux_test.scn:3:"));
	snprintf(host, sizeof(host), PREFIX "%ldh", (long)getpid());
	CU_ASSERT(!ns_exists(host));
	diag_free(&d);
	scn_free(s);
}

int
target_linux_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("target_linux", NULL, NULL, setup,
	    teardown);
	CU_pTest t[4];
	int i;

	if (s == NULL ||
	    (t[0] = CU_add_test(s, "up and down leave nothing", test_up_down)) == NULL ||
	    (t[1] = CU_add_test(s, "stale namespaces removed", test_stale)) == NULL ||
	    (t[2] = CU_add_test(s, "packets through the hook", test_roundtrip)) == NULL ||
	    (t[3] = CU_add_test(s, "bad interface names", test_bad_names)) == NULL)
		return (-1);
	for (i = 0; i < 4 && geteuid() != 0; i++)
		if (tut_skip(s, t[i], "not root (the test needs network namespaces)") == -1)
			return (-1);
	return (0);
}
