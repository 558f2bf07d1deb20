/* wire_test.c: capture and injection on a real veth pair between two namespaces
 * (pfhtest<pid>a and pfhtest<pid>b, made for each test and deleted after it); root
 * only. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "pkt/pkt.h"
#include "tests.h"
#include "tutil.h"
#include "wire/wire.h"

extern char **environ;

/* The running test's fixture: made by setup, gone after teardown. */
static char ns_a[32], ns_b[32];
static int ns_made;
static const uint8_t mac_a[6] = { 0x02, 0x70, 0x66, 0x74, 0x00, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0x70, 0x66, 0x74, 0x00, 0x0b };

/* Run `ip ARGS...` quietly; its exit status, or -1. */
static int
ip(const char *a0, ...)
{
	const char *argv[24] = { "ip" };
	va_list ap;
	pid_t pid;
	int i = 1, st;
	posix_spawn_file_actions_t fa;

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

static void
teardown(void)
{
	if (ns_made) {
		(void)ip("netns", "del", ns_a, NULL);
		(void)ip("netns", "del", ns_b, NULL);
		ns_made = 0;
	}
	tut_tmp_teardown();
}

/* Namespace a holds `va` (192.0.2.1/24), b holds its peer `vb`; a folder for pcaps. */
static void
setup(void)
{
	snprintf(ns_a, sizeof(ns_a), "pfhtest%lda", (long)getpid());
	snprintf(ns_b, sizeof(ns_b), "pfhtest%ldb", (long)getpid());
	ns_made = 1;
	if (ip("netns", "add", ns_a, NULL) != 0 || ip("netns", "add", ns_b, NULL) != 0 ||
	    ip("-n", ns_a, "link", "add", "va", "address", "02:70:66:74:00:0a", "type",
	    "veth", "peer", "name", "vb", "address", "02:70:66:74:00:0b", "netns", ns_b,
	    NULL) != 0 ||
	    ip("-n", ns_a, "addr", "add", "192.0.2.1/24", "dev", "va", NULL) != 0 ||
	    ip("-n", ns_a, "link", "set", "va", "up", NULL) != 0 ||
	    ip("-n", ns_b, "link", "set", "vb", "up", NULL) != 0)
		/* the test runs on and fails at its first use of the namespaces */
		CU_FAIL("cannot make the test's namespaces");
	tut_tmp_setup();
}

/* The first frame within timeout_ms that decodes as IP, skipping IPv6 chatter; 1 or 0. */
static int
next_ip(struct wire *w, int timeout_ms, struct pkt *k, struct wire_frame *f, int v4)
{
	char err[256];

	while (wire_wait(w, timeout_ms, f, err, sizeof(err)) == 1)
		if (pkt_decode_frame(f->data, f->len, k) == 0 &&
		    (!v4 || k->src.af == AF_INET))
			return (1);
	return (0);
}

static void
test_inject_capture(void)
{
	struct wire *a, *b;
	struct wire_frame f;
	struct pkt k, d;
	uint8_t frame[PKT_FRAME_MAX];
	char err[256];
	int n, got = 0;

	a = wire_open_in_netns(ns_a, "va", NULL, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	b = wire_open(ns_b, "vb", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(memcmp(wire_mac(a), mac_a, 6), 0);
	CU_ASSERT_EQUAL(memcmp(wire_mac(b), mac_b, 6), 0);
	CU_ASSERT(wire_fd(b) >= 0);
	/* The caller is still in its own namespace: no `va` here. */
	CU_ASSERT_PTR_NULL(wire_open(NULL, "va", err, sizeof(err)));

	tut_pkt("udp 192.0.2.7:5353 > 192.0.2.8:9999 \"over the wire\"", &k);
	n = pkt_build_frame(&k, mac_a, mac_b, frame, sizeof(frame), err, sizeof(err));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL(wire_inject(a, frame, (size_t)n, err, sizeof(err)), 0);
	while (!got && next_ip(b, 1000, &d, &f, 1))
		if (d.proto == IPPROTO_UDP && d.dport == 9999) {
			got = 1;
			CU_ASSERT_EQUAL(f.len, (size_t)n);
			CU_ASSERT_EQUAL(memcmp(f.data, frame, (size_t)n), 0);
			CU_ASSERT(d.ip_sum_ok && d.l4_sum_ok);
			CU_ASSERT(f.t_us > 0 && f.wall_us > 0);
		}
	CU_ASSERT(got);
	/* Sent from a, so a's inbound-only capture... a was opened for both ways, but a
	 * capture never sees what it injected itself. */
	while (next_ip(a, 50, &d, &f, 1))
		CU_ASSERT_FALSE(d.proto == IPPROTO_UDP && d.dport == 9999);
	wire_close(a);
	wire_close(b);
}

/* The kernel behind va answers a SYN to a closed port: ARP first (answered by the
 * wire), then an RST whose every checksum must be right. */
static void
test_kernel_reply(void)
{
	struct wire *b;
	struct wire_frame f;
	struct pkt k, d;
	struct pkt_pat pat;
	struct pkt_addr me;
	uint8_t frame[PKT_FRAME_MAX];
	char err[256], why[256];
	int n, answered = 0, got = 0, rc;

	b = wire_open_in_netns(ns_b, "vb", "arp or tcp", WIRE_IN_ONLY, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	pkt_addr_parse("192.0.2.2", &me);
	tut_pkt("tcp 192.0.2.2:40000 > 192.0.2.1:9 S", &k);
	n = pkt_build_frame(&k, mac_b, mac_a, frame, sizeof(frame), err, sizeof(err));
	CU_ASSERT_EQUAL(wire_inject(b, frame, (size_t)n, err, sizeof(err)), 0);
	tut_pat("tcp 192.0.2.1:9 > 192.0.2.2:40000 RA seq 0 ack 1001", &pat);
	while (!got && wire_wait(b, 2000, &f, err, sizeof(err)) == 1) {
		rc = wire_answer_neighbour(b, f.data, f.len, mac_b, &me, 1, err, sizeof(err));
		CU_ASSERT(rc >= 0);
		if (rc == 1) {
			answered = 1;
			continue;
		}
		if (pkt_decode_frame(f.data, f.len, &d) == 0 && d.proto == IPPROTO_TCP) {
			got = 1;
			CU_ASSERT_EQUAL(pkt_match(&pat, &d, why, sizeof(why)), 1);
			if (!pkt_match(&pat, &d, why, sizeof(why)))
				fprintf(stderr, "\n  kernel reply: %s\n", why);
		}
	}
	CU_ASSERT(answered);
	CU_ASSERT(got);
	wire_close(b);
}

static void
test_filter_and_dump(void)
{
	struct wire *a, *b;
	struct wire_frame f;
	struct pkt k;
	uint8_t frame[PKT_FRAME_MAX], head[24];
	char err[256], path[PATH_MAX];
	struct stat st;
	FILE *fp;
	int n, seen = 0;

	tut_tmp_path(path, sizeof(path), "dump.pcap");
	a = wire_open_in_netns(ns_a, "va", NULL, 0, err, sizeof(err));
	b = wire_open_in_netns(ns_b, "vb", "udp port 7", WIRE_IN_ONLY, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL_FATAL(wire_dump_open(b, path, err, sizeof(err)), 0);
	tut_pkt("udp 192.0.2.7:1 > 192.0.2.8:8 \"no\"", &k);
	n = pkt_build_frame(&k, mac_a, mac_b, frame, sizeof(frame), err, sizeof(err));
	CU_ASSERT_EQUAL(wire_inject(a, frame, (size_t)n, err, sizeof(err)), 0);
	k.dport = 7;
	n = pkt_build_frame(&k, mac_a, mac_b, frame, sizeof(frame), err, sizeof(err));
	CU_ASSERT_EQUAL(wire_inject(a, frame, (size_t)n, err, sizeof(err)), 0);
	while (wire_wait(b, 300, &f, err, sizeof(err)) == 1) {
		seen++;
		CU_ASSERT_EQUAL(f.len, (size_t)n);	/* only the port 7 one */
	}
	CU_ASSERT_EQUAL(seen, 1);
	CU_ASSERT_EQUAL(wire_drain(b), 0);
	wire_dump_close(b);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 24 + 16 + n);	/* file header, one record */
	if ((fp = fopen(path, "rb")) != NULL) {
		CU_ASSERT_EQUAL(fread(head, 1, sizeof(head), fp), sizeof(head));
		CU_ASSERT(head[0] == 0xd4 && head[1] == 0xc3 && head[2] == 0xb2);
		CU_ASSERT_EQUAL(head[20], 1);		/* DLT_EN10MB */
		fclose(fp);
	}
	wire_close(a);
	wire_close(b);
}

static void
test_open_errors(void)
{
	char err[256] = "";

	CU_ASSERT_PTR_NULL(wire_open("pfhtest-no-such-ns", "vb", err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "pfhtest-no-such-ns"));
	CU_ASSERT_PTR_NULL(wire_open(ns_b, "nosuch0", err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "nosuch0"));
	CU_ASSERT_PTR_NULL(wire_open_in_netns(ns_b, "vb", "this is not bpf", 0, err,
	    sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "filter"));
	wire_close(NULL);
}

int
wire_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("wire", NULL, NULL, setup,
	    teardown);
	CU_pTest t[4];
	int i;

	if (s == NULL ||
	    (t[0] = CU_add_test(s, "inject and capture", test_inject_capture)) == NULL ||
	    (t[1] = CU_add_test(s, "a kernel's reply, ARP answered",
	    test_kernel_reply)) == NULL ||
	    (t[2] = CU_add_test(s, "filter and dump", test_filter_and_dump)) == NULL ||
	    (t[3] = CU_add_test(s, "open errors", test_open_errors)) == NULL)
		return (-1);
	for (i = 0; i < 4 && geteuid() != 0; i++)
		if (tut_skip(s, t[i], "not root (the test needs network namespaces)") == -1)
			return (-1);
	return (0);
}
