/* pcapfile_test.c: the hand-written pcap file has tcpdump's layout, byte for byte. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "wire/pcapfile.h"
#include "tests.h"

static void
test_layout(void)
{
	static const uint8_t src[6] = { 2, 0, 0, 0, 0, 1 }, dst[6] = { 2, 0, 0, 0, 0, 2 };
	uint8_t ip4[20] = { 0x45 }, ip6[40] = { 0x60 }, *buf;
	uint32_t words[128];	/* aligned for the header's fields */
	uint32_t rec[4];
	char path[64], err[256];
	struct pcapfile *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/tmp/pfh-pcapfile-test-%ld.pcap", (long)getpid());
	p = pcapfile_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(pcapfile_write_l3(p, ip4, sizeof(ip4), src, dst, 1500000123), 0);
	CU_ASSERT_EQUAL(pcapfile_write_l3(p, ip6, sizeof(ip6), dst, src, 7), 0);
	CU_ASSERT_EQUAL(pcapfile_write_l3(p, ip4, 0, src, dst, 7), -1);
	CU_ASSERT_EQUAL(pcapfile_close(p), 0);
	CU_ASSERT_EQUAL(pcapfile_close(NULL), 0);

	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	buf = (uint8_t *)words;
	n = fread(buf, 1, sizeof(words), f);
	fclose(f);
	unlink(path);
	CU_ASSERT_EQUAL_FATAL(n, 24 + 16 + 14 + 20 + 16 + 14 + 40);
	CU_ASSERT_EQUAL(*(uint32_t *)buf, 0xa1b2c3d4u);
	CU_ASSERT_EQUAL(*(uint16_t *)(buf + 4), 2);
	CU_ASSERT_EQUAL(*(uint16_t *)(buf + 6), 4);
	CU_ASSERT_EQUAL(*(uint32_t *)(buf + 20), 1);		/* EN10MB */
	memcpy(rec, buf + 24, sizeof(rec));
	CU_ASSERT_EQUAL(rec[0], 1500);
	CU_ASSERT_EQUAL(rec[1], 123);
	CU_ASSERT_EQUAL(rec[2], 34);
	CU_ASSERT_EQUAL(rec[3], 34);
	CU_ASSERT(memcmp(buf + 40, dst, 6) == 0);
	CU_ASSERT(memcmp(buf + 46, src, 6) == 0);
	CU_ASSERT(buf[52] == 0x08 && buf[53] == 0x00);
	CU_ASSERT_EQUAL(buf[54], 0x45);
	CU_ASSERT(buf[74 + 16 + 12] == 0x86 && buf[74 + 16 + 13] == 0xdd);
	CU_ASSERT_EQUAL(pcapfile_open("/nonexistent/dir/x.pcap", err, sizeof(err)), NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/dir/x.pcap: "));
}

int
pcapfile_test_register(void)
{
	CU_pSuite s = CU_add_suite("pcapfile", NULL, NULL);

	if (s == NULL || CU_add_test(s, "file layout", test_layout) == NULL)
		return (-1);
	return (0);
}
