/* target_freebsd_wire_test.c: the freebsd target's probes (target_freebsd_probe.c) with
 * the real wire (libpcap) and the real sink, a Linux kernel without pf playing the
 * FreeBSD host behind a veth (two, routing between them): the ARP sentinels, the
 * clients' and a router's answers, the sink's sync and a jail's connect, for real. Two
 * namespaces pfhtest<pid>fh/fw; root only. */
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "target/freebsd/tfb.h"
#include "tests.h"
#include "tutil.h"

extern char **environ;

/* The running test's fixture: made by setup, gone after teardown. */
static char ns_h[32], ns_w[32];
static int ns_made, pinned;
static struct tfb_io io;
static cpu_set_t cpus;		/* the affinity before the test pinned itself */

static int
ip(const char *a0, ...)
{
	const char *argv[24] = { "ip" };
	posix_spawn_file_actions_t fa;
	va_list ap;
	pid_t pid;
	int i = 1, st;

	argv[i++] = a0;
	va_start(ap, a0);
	while (i < 23 && (argv[i] = va_arg(ap, const char *)) != NULL)
		i++;
	va_end(ap);
	argv[i] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "ip", &fa, NULL, (char *const *)argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return (-1);
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st))
		return (-1);
	return (WEXITSTATUS(st));
}

/* The real wire and sink, opened in the test's namespaces instead of the host's. */
static struct wire *
ns_wire_open(const char *netns, const char *ifname, char *err, size_t errlen)
{
	(void)netns;
	return (wire_open(ns_w, ifname, err, errlen));
}

static struct sink *
ns_sink_start(const char *netns, const char (*jailns)[64], const struct scn *s, char *err,
    size_t errlen)
{
	(void)netns;
	return (sink_start_world(ns_h, jailns, s, err, errlen));
}

static void
teardown(void)
{
	if (ns_made) {
		(void)ip("netns", "del", ns_h, NULL);
		(void)ip("netns", "del", ns_w, NULL);
		ns_made = 0;
	}
	target_freebsd_set_io(NULL);
	if (pinned)
		(void)sched_setaffinity(0, sizeof(cpus), &cpus);
	pinned = 0;
	tut_tmp_teardown();
}

/* fh: em0 203.0.113.1/24, lo1 (a bridge, as the linux target makes it) 10.99.0.3/32,
 * the client via the gateway; fw: wire0, the harness's end. A folder for the pcap. */
static void
setup(void)
{
	snprintf(ns_h, sizeof(ns_h), "pfhtest%ldfh", (long)getpid());
	snprintf(ns_w, sizeof(ns_w), "pfhtest%ldfw", (long)getpid());
	ns_made = 1;
	if (ip("netns", "add", ns_h, NULL) != 0 || ip("netns", "add", ns_w, NULL) != 0 ||
	    ip("-n", ns_h, "link", "add", "em0", "address", "02:70:66:66:00:0a", "type",
	    "veth", "peer", "name", "wire0", "address", "02:70:66:66:00:0b", "netns", ns_w,
	    NULL) != 0 ||
	    ip("-n", ns_h, "addr", "add", "203.0.113.1/24", "dev", "em0", NULL) != 0 ||
	    ip("-n", ns_h, "link", "set", "em0", "up", NULL) != 0 ||
	    ip("-n", ns_h, "link", "set", "lo", "up", NULL) != 0 ||
	    ip("-n", ns_h, "link", "add", "lo1", "type", "bridge", NULL) != 0 ||
	    ip("-n", ns_h, "addr", "add", "10.99.0.3/32", "dev", "lo1", NULL) != 0 ||
	    ip("-n", ns_h, "link", "set", "lo1", "up", NULL) != 0 ||
	    ip("-n", ns_h, "route", "add", "198.51.100.7/32", "via", "203.0.113.254",
	    NULL) != 0 ||
	    ip("-n", ns_w, "link", "set", "wire0", "up", NULL) != 0)
		/* the test runs on and fails at its first use of the namespaces */
		CU_FAIL("cannot make the test's namespaces");
	tut_tmp_setup();
	io = tfb_io_real;
	io.wire_open = ns_wire_open;
	io.sink_start = ns_sink_start;
}

static void
settle_ok(struct tfb_probe *p, int *nf, const struct target_frame **fr, int *nd,
    const struct target_delivery **dl)
{
	struct diag d = { 0 };

	CU_ASSERT_EQUAL(tfb_probe_settle(p, 2000, &d), 0);
	if (d.count)
		fprintf(stderr, "\nsettle: %s", diag_text(&d));
	diag_free(&d);
	*fr = tfb_probe_frames(p, nf);
	*dl = tfb_probe_deliveries(p, nd);
}

static void
test_probes(void)
{
	const struct target_frame *fr;
	const struct target_delivery *dl;
	struct diag d = { 0 };
	static const char *const ifs[] = { "wire0", NULL };
	struct tfb_probe *p;
	struct pkt syn, rst;
	struct scn *s;
	cpu_set_t one;
	char pcap[PATH_MAX];
	int nf, nd, i, seen;

	tut_tmp_path(pcap, sizeof(pcap), "probe01.pcap");
	s = tut_scn_file("tests/freebsd/wire.scn");
	/* as the linux target does: one CPU, so injected frames keep their order */
	CU_ASSERT_EQUAL_FATAL(sched_getaffinity(0, sizeof(cpus), &cpus), 0);
	pinned = 1;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	(void)sched_setaffinity(0, sizeof(one), &one);
	target_freebsd_set_io(&io);
	p = tfb_probe_open(s, ifs, NULL, &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(tfb_probe_sink(p, &d), 0);

	/* a SYN to harry: SYN-ACK, the client's ACK, harry's accept */
	CU_ASSERT_EQUAL(tfb_probe_begin(p, pcap, &d), 0);
	CU_ASSERT_EQUAL(tfb_probe_send(p, &s->probe[0].step[0].pkt, &d), 0);
	settle_ok(p, &nf, &fr, &nd, &dl);
	for (i = 0, seen = 0; i < nf; i++)
		if (fr[i].decoded && fr[i].pkt.sport == 80 &&
		    fr[i].pkt.flags == (PKT_TH_SYN | PKT_TH_ACK))
			seen++;
	CU_ASSERT_EQUAL(seen, 1);
	CU_ASSERT_EQUAL(nd, 1);
	CU_ASSERT_TRUE(nd == 1 && dl[0].jail == 0 && dl[0].lport == 80 &&
	    dl[0].pport == 40001);
	tfb_probe_end(p);
	CU_ASSERT_EQUAL(access(pcap, F_OK), 0);
	unlink(pcap);

	/* nothing listens on the public address: the host's reset, nothing delivered */
	tut_pkt("tcp 198.51.100.7:40002 > 203.0.113.1:81 S", &syn);
	CU_ASSERT_EQUAL(tfb_probe_begin(p, NULL, &d), 0);
	CU_ASSERT_EQUAL(tfb_probe_send(p, &syn, &d), 0);
	settle_ok(p, &nf, &fr, &nd, &dl);
	CU_ASSERT_EQUAL(nf, 1);
	tut_pkt("tcp 203.0.113.1:81 > 198.51.100.7:40002 RA", &rst);
	CU_ASSERT_TRUE(nf == 1 && fr[0].pkt.flags == rst.flags);
	CU_ASSERT_EQUAL(nd, 0);
	tfb_probe_end(p);

	/* harry connects to the client, which answers on tcp/443 */
	CU_ASSERT_EQUAL(tfb_probe_begin(p, NULL, &d), 0);
	CU_ASSERT_EQUAL(tfb_probe_connect(p, 0, IPPROTO_TCP, &s->client[0].addr, 443,
	    NULL, 0, &d), 0);
	settle_ok(p, &nf, &fr, &nd, &dl);
	CU_ASSERT_EQUAL(tfb_probe_outcome(p), SCN_CONN_OK);
	CU_ASSERT_TRUE(nf >= 2 && fr[0].pkt.flags == PKT_TH_SYN && fr[0].pkt.dport == 443);
	tfb_probe_end(p);

	tfb_probe_close(p);
	if (d.count)
		fprintf(stderr, "\n%s", diag_text(&d));
	CU_ASSERT_EQUAL(d.count, 0);
	diag_free(&d);
	scn_free(s);
}

/* Two wires, the Linux host routing between them (tests/freebsd/wire2.scn): em1's
 * sentinel is asked by its router (no gateway, no on-link client there), a SYN sent on
 * em1 from the LAN behind the router leaves on em0, the client's SYN-ACK comes back
 * out of em1 to the router's MAC, and the LAN's ACK leaves on em0 again: each frame
 * recorded with its wire, all before settle returns. */
static void
test_two_wires(void)
{
	static const char *const ifs[] = { "wire0", "wire1", NULL };
	const struct target_frame *fr;
	const struct target_delivery *dl;
	struct diag d = { 0 };
	struct tfb_probe *p;
	struct scn *s;
	cpu_set_t one;
	char a[64];
	int nf, nd, i, syn0 = 0, sa1 = 0, ack0 = 0;

	if (ip("-n", ns_h, "link", "add", "em1", "address", "02:70:66:66:01:0a", "type",
	    "veth", "peer", "name", "wire1", "address", "02:70:66:66:01:0b", "netns", ns_w,
	    NULL) != 0 ||
	    ip("-n", ns_h, "addr", "add", "192.0.2.1/24", "dev", "em1", NULL) != 0 ||
	    ip("-n", ns_h, "link", "set", "em1", "up", NULL) != 0 ||
	    ip("-n", ns_w, "link", "set", "wire1", "up", NULL) != 0 ||
	    ip("-n", ns_h, "route", "add", "172.16.0.0/16", "via", "192.0.2.254", NULL) !=
	    0 ||
	    ip("netns", "exec", ns_h, "sysctl", "-qw", "net.ipv4.ip_forward=1", NULL) != 0)
		CU_FAIL_FATAL("cannot make the second wire");
	s = tut_scn_file("tests/freebsd/wire2.scn");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(sched_getaffinity(0, sizeof(cpus), &cpus), 0);
	pinned = 1;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	(void)sched_setaffinity(0, sizeof(one), &one);
	target_freebsd_set_io(&io);
	p = tfb_probe_open(s, ifs, NULL, &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(tfb_probe_sink(p, &d), 0);
	CU_ASSERT_EQUAL(tfb_probe_begin(p, NULL, &d), 0);
	CU_ASSERT_EQUAL(s->probe[0].step[0].wire, 1);
	CU_ASSERT_EQUAL(tfb_probe_send_on(p, 1, &s->probe[0].step[0].pkt, &d), 0);
	settle_ok(p, &nf, &fr, &nd, &dl);
	for (i = 0; i < nf; i++) {
		pkt_addr_format(&fr[i].pkt.src, a, sizeof(a));
		syn0 += fr[i].wire == 0 && fr[i].pkt.flags == PKT_TH_SYN &&
		    strcmp(a, "172.16.5.5") == 0;
		sa1 += fr[i].wire == 1 && fr[i].pkt.flags == (PKT_TH_SYN | PKT_TH_ACK) &&
		    strcmp(a, "198.51.100.7") == 0;
		ack0 += fr[i].wire == 0 && fr[i].pkt.flags == PKT_TH_ACK &&
		    strcmp(a, "172.16.5.5") == 0;
	}
	CU_ASSERT_EQUAL(syn0, 1);
	CU_ASSERT_EQUAL(sa1, 1);
	CU_ASSERT_EQUAL(ack0, 1);
	tfb_probe_end(p);
	tfb_probe_close(p);
	if (d.count)
		fprintf(stderr, "\n%s", diag_text(&d));
	CU_ASSERT_EQUAL(d.count, 0);
	diag_free(&d);
	scn_free(s);
}

int
target_freebsd_wire_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("target_freebsd_wire", NULL,
	    NULL, setup, teardown);
	CU_pTest t;

	if (s == NULL ||
	    (t = CU_add_test(s, "probes on a real wire, Linux as the host", test_probes)) ==
	    NULL)
		return (-1);
	if (geteuid() != 0 &&
	    tut_skip(s, t, "not root (the test needs network namespaces)") == -1)
		return (-1);
	if ((t = CU_add_test(s, "two wires, Linux routing between them", test_two_wires)) ==
	    NULL)
		return (-1);
	if (geteuid() != 0 &&
	    tut_skip(s, t, "not root (the test needs network namespaces)") == -1)
		return (-1);
	return (0);
}
