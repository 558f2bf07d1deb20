/* wire_pcap_test.c: pcap files written by wire_pcap.c read back with libpcap
 * (pcap_open_offline): link type, snap length, every frame and its timestamp. */
#include <sys/types.h>
#include <sys/stat.h>

#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "wire/wire_pcap.h"
#include "tests.h"

static const uint8_t src[6] = { 2, 0, 0, 0, 0, 1 }, dst[6] = { 2, 0, 0, 0, 0, 2 };

/* The next record of r: its header and bytes, or NULL at the end (a failure). */
static const u_char *
next(pcap_t *r, struct pcap_pkthdr **h)
{
	const u_char *data;

	return (pcap_next_ex(r, h, &data) == 1 ? data : NULL);
}

/* The next record of r, which must be a whole frame of len bytes stamped sec.usec: its
 * bytes, or NULL when there is none. */
static const u_char *
record(pcap_t *r, long sec, long usec, size_t len)
{
	struct pcap_pkthdr *h;
	const u_char *d;

	if ((d = next(r, &h)) == NULL)
		return (NULL);
	CU_ASSERT_EQUAL(h->ts.tv_sec, sec);
	CU_ASSERT_EQUAL(h->ts.tv_usec, usec);
	CU_ASSERT_EQUAL(h->caplen, len);
	CU_ASSERT_EQUAL(h->len, len);
	return (d);
}

static void
test_read_back(void)
{
	uint8_t ip4[20] = { 0x45, 0, 0, 20 }, ip6[41] = { 0x60 }, frame[60];
	char path[64], err[256], eb[PCAP_ERRBUF_SIZE];
	struct wire_pcap *p;
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *r;
	size_t i;

	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(0xa0 + i);
	ip4[19] = 0x7f;
	ip6[40] = 0x33;			/* an odd length, its last byte seen */
	snprintf(path, sizeof(path), "/tmp/pfh-wire-pcap-test-%ld.pcap", (long)getpid());
	p = wire_pcap_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(wire_pcap_write_l3(p, ip4, sizeof(ip4), src, dst, 1500000123), 0);
	CU_ASSERT_EQUAL(wire_pcap_write_l3(p, ip6, sizeof(ip6), dst, src, 7), 0);
	CU_ASSERT_EQUAL(wire_pcap_write_l3(p, ip4, 0, src, dst, 7), -1);
	CU_ASSERT_EQUAL(wire_pcap_write(p, frame, sizeof(frame), 1783000000999999ULL), 0);
	CU_ASSERT_EQUAL(wire_pcap_close(p), 0);
	CU_ASSERT_EQUAL(wire_pcap_close(NULL), 0);

	r = pcap_open_offline(path, eb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(pcap_datalink(r), DLT_EN10MB);
	CU_ASSERT_EQUAL(pcap_snapshot(r), WIRE_PCAP_SNAPLEN);
	CU_ASSERT_EQUAL(pcap_major_version(r), 2);
	CU_ASSERT_EQUAL(pcap_minor_version(r), 4);

	/* IPv4, src -> dst, at 1500.000123 s */
	CU_ASSERT_PTR_NOT_NULL_FATAL(d = record(r, 1500, 123, 14 + sizeof(ip4)));
	CU_ASSERT(memcmp(d, dst, 6) == 0 && memcmp(d + 6, src, 6) == 0);
	CU_ASSERT(d[12] == 0x08 && d[13] == 0x00);
	CU_ASSERT(memcmp(d + 14, ip4, sizeof(ip4)) == 0);

	/* IPv6, dst -> src, at 0.000007 s */
	CU_ASSERT_PTR_NOT_NULL_FATAL(d = record(r, 0, 7, 14 + sizeof(ip6)));
	CU_ASSERT(memcmp(d, src, 6) == 0 && memcmp(d + 6, dst, 6) == 0);
	CU_ASSERT(d[12] == 0x86 && d[13] == 0xdd);
	CU_ASSERT(memcmp(d + 14, ip6, sizeof(ip6)) == 0);

	/* A whole frame as given; the rejected ones left no record. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(d = record(r, 1783000000, 999999, sizeof(frame)));
	CU_ASSERT(memcmp(d, frame, sizeof(frame)) == 0);
	CU_ASSERT_PTR_NULL(next(r, &h));
	pcap_close(r);
	unlink(path);
}

/* A frame longer than the snap length is cut there, its record keeping the length; an
 * L3 packet too long for the snap length with its Ethernet header is refused. */
static void
test_snaplen(void)
{
	static uint8_t big[WIRE_PCAP_SNAPLEN + 100];
	char path[64], err[256], eb[PCAP_ERRBUF_SIZE];
	struct wire_pcap *p;
	struct pcap_pkthdr *h;
	const u_char *d;
	struct stat st;
	pcap_t *r;

	memset(big, 0x5a, sizeof(big));
	snprintf(path, sizeof(path), "/tmp/pfh-wire-pcap-big-%ld.pcap", (long)getpid());
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = wire_pcap_open(path, err, sizeof(err)));
	CU_ASSERT_EQUAL(wire_pcap_write(p, big, sizeof(big), 1), 0);
	CU_ASSERT_EQUAL(wire_pcap_write_l3(p, big, WIRE_PCAP_SNAPLEN - 13, src, dst, 2),
	    -1);
	CU_ASSERT_EQUAL(wire_pcap_close(p), 0);
	/* libpcap's reader would hide a longer record: the file's size shows the cut. */
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 24 + 16 + WIRE_PCAP_SNAPLEN);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r = pcap_open_offline(path, eb));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d = next(r, &h));
	CU_ASSERT_EQUAL(h->caplen, WIRE_PCAP_SNAPLEN);
	CU_ASSERT_EQUAL(h->len, sizeof(big));
	CU_ASSERT_EQUAL(d[WIRE_PCAP_SNAPLEN - 1], 0x5a);
	CU_ASSERT_PTR_NULL(next(r, &h));
	pcap_close(r);
	unlink(path);
}

static void
test_errors(void)
{
	char err[256] = "";

	CU_ASSERT_PTR_NULL(wire_pcap_open("/nonexistent/dir/x.pcap", err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/dir/x.pcap: "));
}

int
wire_pcap_test_register(void)
{
	CU_pSuite s = CU_add_suite("wire_pcap", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "frames and timestamps read back", test_read_back) == NULL ||
	    CU_add_test(s, "cut at the snap length", test_snaplen) == NULL ||
	    CU_add_test(s, "a file that cannot be made", test_errors) == NULL)
		return (-1);
	return (0);
}
