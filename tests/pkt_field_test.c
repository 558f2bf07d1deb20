/* pkt_field_test.c: the header-field words of the packet notation (harness/pkt/
 * pkt_field.c and pkt_opt.c): written back as read, built into the right bytes, decoded
 * back, matched field by field, fragments cut and read, every wrong word named. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "base/cksum.h"
#include "pkt/pkt.h"
#include "tests.h"
#include "tutil.h"

/* Each reads and writes back as written (the canonical order of pkt_format). */
static const char *canon[] = {
	"tcp 198.51.100.7:1 > 203.0.113.1:2 S seq 1000 win 65535 mss 1460 sackOK ts 1 0 "
	    "nop wscale 7 ttl 3 tos 0x10 id 5 df",
	"tcp 198.51.100.7:1 > 203.0.113.1:2 SU seq 1 win 2 urg 7 ipopt nop lsrr 10.0.0.1 "
	    "10.0.0.2 cksum bad",
	"tcp 198.51.100.7:1 > 203.0.113.1:2 A seq 1 ack 2 win 3 nop nop sack 1-2 3-4",
	"tcp 198.51.100.7:1 > 203.0.113.1:2 SEW seq 1 win 2 mss 1460 eol",
	"tcp 198.51.100.7:1 > 203.0.113.1:2 S seq 1 win 2 ttl 0",
	"tcp 198.51.100.7:1 > 203.0.113.1:2 S seq 1 win 2 ipopt ra",
	"tcp [2001:db8::1]:1 > [2001:db8::2]:2 S seq 1 win 2 hlim 9 tclass 0x20",
	"udp 198.51.100.7:1 > 203.0.113.1:2 \"abc\" ttl 1 id 65535 cksum bad",
	"udp frag 198.51.100.7:1 > 203.0.113.1:2 len 100 id 9 off 0 mf iplen 60",
	"udp frag 198.51.100.7 > 203.0.113.1 len 100 id 9 off 40",
	"udp frag [2001:db8::1]:1 > [2001:db8::2]:2 len 100 id 70000 off 0 mf iplen 88",
	"icmp echo-request 198.51.100.7 > 203.0.113.1 id 1 seq 1 ttl 1 ipid 7",
	"icmp frag echo-request 198.51.100.7 > 203.0.113.1 id 1 seq 1 len 100 ipid 8 off 0 "
	    "mf iplen 44",
};

static void
test_canonical(void)
{
	struct pkt k;
	char err[256], buf[512];
	size_t i;

	for (i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL_FATAL(pkt_parse(canon[i], &k, err, sizeof(err)), 0);
		CU_ASSERT_STRING_EQUAL(pkt_format(&k, buf, sizeof(buf)), canon[i]);
		if (strcmp(buf, canon[i]) != 0)
			fprintf(stderr, "\n  want %s\n  got  %s\n", canon[i], buf);
	}
}

/* Build the L3 bytes of text into b; their length. */
static int
build(const char *text, uint8_t *b, size_t cap)
{
	struct pkt k;
	char err[256];
	int n;

	tut_pkt(text, &k);
	if ((n = pkt_build_l3(&k, b, cap, err, sizeof(err))) == -1)
		CU_FAIL(err);
	return (n);
}

static unsigned
g16(const uint8_t *b)
{
	return ((unsigned)b[0] << 8 | b[1]);
}

static void
test_ipv4_bytes(void)
{
	uint8_t b[PKT_FRAME_MAX];
	int n;

	n = build("tcp 198.51.100.7:1 > 203.0.113.1:2 S ttl 3 tos 0x10 id 5 df", b,
	    sizeof(b));
	CU_ASSERT_EQUAL(n, 40);
	CU_ASSERT_EQUAL(b[1], 0x10);
	CU_ASSERT_EQUAL(g16(b + 4), 5);
	CU_ASSERT_EQUAL(g16(b + 6), 0x4000);
	CU_ASSERT_EQUAL(b[8], 3);
	CU_ASSERT_EQUAL(cksum_sum(b, 20, 0), 0);
	n = build("tcp 198.51.100.7:1 > 203.0.113.1:2 S ttl 0", b, sizeof(b));
	CU_ASSERT_EQUAL(b[8], 0);
	CU_ASSERT_EQUAL(g16(b + 6), 0);
	/* options: after the fixed header, padded, header length and checksum right */
	n = build("tcp 198.51.100.7:1 > 203.0.113.1:2 S ipopt ra", b, sizeof(b));
	CU_ASSERT_EQUAL(n, 44);
	CU_ASSERT_EQUAL(b[0], 0x46);
	CU_ASSERT_EQUAL(g16(b + 2), 44);
	CU_ASSERT(memcmp(b + 20, "\x94\x04\x00\x00", 4) == 0);
	CU_ASSERT_EQUAL(cksum_sum(b, 24, 0), 0);
	n = build("udp 198.51.100.7:1 > 203.0.113.1:2 ipopt nop lsrr 10.0.0.1", b, sizeof(b));
	CU_ASSERT_EQUAL(n, 20 + 8 + 8);
	CU_ASSERT(memcmp(b + 20, "\x01\x83\x07\x04\x0a\x00\x00\x01", 8) == 0);
}

static void
test_tcp_bytes(void)
{
	uint8_t b[PKT_FRAME_MAX];
	struct pkt d;
	int n;

	n = build("tcp 198.51.100.7:1 > 203.0.113.1:2 S mss 1460 sackOK ts 1 2 nop wscale 7 "
	    "\"hi\"", b, sizeof(b));
	CU_ASSERT_EQUAL(n, 20 + 40 + 2);
	CU_ASSERT_EQUAL(b[32] >> 4, 10);		/* 40 bytes of TCP header */
	CU_ASSERT(memcmp(b + 40, "\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x00\x01"
	    "\x00\x00\x00\x02\x01\x03\x03\x07", 20) == 0);
	CU_ASSERT(memcmp(b + 60, "hi", 2) == 0);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(b, (size_t)n, &d), 0);
	CU_ASSERT(d.l4_sum_ok);
	CU_ASSERT_EQUAL(d.len, 2);
	/* padding: mss and wscale are 7 bytes, an EOL makes 8 */
	n = build("tcp 198.51.100.7:1 > 203.0.113.1:2 S mss 1 wscale 2 urg 9", b, sizeof(b));
	CU_ASSERT_EQUAL(n, 48);
	CU_ASSERT_EQUAL(b[47], 0);
	CU_ASSERT_EQUAL(g16(b + 38), 9);
	/* a wrong checksum, seen as wrong */
	n = build("tcp 198.51.100.7:1 > 203.0.113.1:2 S cksum bad", b, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(b, (size_t)n, &d), 0);
	CU_ASSERT(!d.l4_sum_ok && d.cksum_bad && d.ip_sum_ok);
	n = build("udp 198.51.100.7:1 > 203.0.113.1:2 \"x\" cksum bad", b, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(b, (size_t)n, &d), 0);
	CU_ASSERT(!d.l4_sum_ok);
	CU_ASSERT(g16(b + 26) != 0);		/* not "no checksum" */
	/* a source route: the checksum covers its final address, as receivers check */
	n = build("tcp 198.51.100.7:1 > 203.0.113.1:2 S ipopt lsrr 10.0.0.1 10.0.0.9", b,
	    sizeof(b));
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(b, (size_t)n, &d), 0);
	CU_ASSERT(d.l4_sum_ok);
}

static void
test_ipv6_bytes(void)
{
	uint8_t b[PKT_FRAME_MAX];
	int n;

	n = build("tcp [2001:db8::1]:1 > [2001:db8::2]:2 S hlim 9 tclass 0x20", b, sizeof(b));
	CU_ASSERT_EQUAL(n, 60);
	CU_ASSERT_EQUAL(b[0], 0x62);
	CU_ASSERT_EQUAL(b[1] >> 4, 0);
	CU_ASSERT_EQUAL(b[7], 9);
}

/* What decode gives back is what was written. */
static void
test_decode(void)
{
	uint8_t b[PKT_FRAME_MAX];
	struct pkt d;
	char buf[512];
	int n;

	n = build("tcp 198.51.100.7:1 > 203.0.113.1:2 SA seq 1 ack 2 win 3 mss 1460 nop "
	    "wscale 7 ttl 3 tos 0x10 df ipopt ra", b, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(b, (size_t)n, &d), 0);
	CU_ASSERT_EQUAL(d.ttl, 3);
	CU_ASSERT_EQUAL(d.tos, 0x10);
	CU_ASSERT(d.df);
	CU_ASSERT_EQUAL(d.iplen, n);
	CU_ASSERT_EQUAL(d.ipopt_len, 4);
	CU_ASSERT_EQUAL(d.tcpopt_len, 8);
	CU_ASSERT_STRING_EQUAL(pkt_format(&d, buf, sizeof(buf)),
	    "tcp 198.51.100.7:1 > 203.0.113.1:2 SA seq 1 ack 2 win 3 mss 1460 nop wscale 7 "
	    "ttl 3 tos 0x10 df ipopt ra");
	n = build("tcp [2001:db8::1]:1 > [2001:db8::2]:2 S hlim 9 tclass 0x20", b, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(b, (size_t)n, &d), 0);
	CU_ASSERT_EQUAL(d.ttl, 9);
	CU_ASSERT_EQUAL(d.tos, 0x20);
	CU_ASSERT_EQUAL(d.iplen, 60);
}

/* `PROTO frag`: the piece of the whole packet, its header, and how it reads back. */
static void
test_fragments(void)
{
	uint8_t b[PKT_FRAME_MAX], w[PKT_FRAME_MAX];
	struct pkt d;
	char buf[512];
	int n, nw;

	nw = build("udp 198.51.100.7:1 > 203.0.113.1:2 \"0123456789abcdefghij\" id 9", w,
	    sizeof(w));
	n = build("udp frag 198.51.100.7:1 > 203.0.113.1:2 \"0123456789abcdefghij\" id 9 "
	    "off 0 mf iplen 36", b, sizeof(b));
	CU_ASSERT_EQUAL(n, 36);
	CU_ASSERT_EQUAL(g16(b + 6), 0x2000);
	CU_ASSERT(memcmp(b + 20, w + 20, 16) == 0);	/* the UDP header of the whole */
	CU_ASSERT_EQUAL(cksum_sum(b, 20, 0), 0);
	CU_ASSERT_EQUAL(pkt_decode_l3(b, (size_t)n, &d), -1);	/* not a whole packet */
	CU_ASSERT_EQUAL_FATAL(pkt_decode_frag_l3(b, (size_t)n, &d), 0);
	CU_ASSERT(d.ipfrag && d.mf && !d.no_l4);
	CU_ASSERT_EQUAL(d.sport, 1);
	CU_ASSERT_EQUAL(d.len, 8);
	CU_ASSERT_STRING_EQUAL(pkt_format(&d, buf, sizeof(buf)),
	    "udp frag 198.51.100.7:1 > 203.0.113.1:2 \"01234567\" id 9 off 0 mf iplen 36");
	n = build("udp frag 198.51.100.7:1 > 203.0.113.1:2 \"0123456789abcdefghij\" id 9 "
	    "off 16", b, sizeof(b));
	CU_ASSERT_EQUAL(n, 20 + nw - 20 - 16);
	CU_ASSERT_EQUAL(g16(b + 6), 2);
	CU_ASSERT(memcmp(b + 20, w + 36, (size_t)(nw - 36)) == 0);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_frag_l3(b, (size_t)n, &d), 0);
	CU_ASSERT(d.no_l4 && !d.mf);
	CU_ASSERT_EQUAL(d.off, 16);
	CU_ASSERT_STRING_EQUAL(pkt_format(&d, buf, sizeof(buf)),
	    "udp frag 198.51.100.7 > 203.0.113.1 \"89abcdefghij\" id 9 off 16 iplen 32");
	/* IPv6: a fragment header with the id */
	n = build("udp frag [2001:db8::1]:1 > [2001:db8::2]:2 len 100 id 70000 off 0 mf "
	    "iplen 88", b, sizeof(b));
	CU_ASSERT_EQUAL(n, 88);
	CU_ASSERT_EQUAL(b[6], 44);
	CU_ASSERT_EQUAL(b[40], IPPROTO_UDP);
	CU_ASSERT_EQUAL(g16(b + 42), 1);
	CU_ASSERT_EQUAL(g16(b + 44) << 16 | g16(b + 46), 70000);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_frag_l3(b, (size_t)n, &d), 0);
	CU_ASSERT_EQUAL(d.id, 70000);
	CU_ASSERT_EQUAL(d.iplen, 88);
}

/* A pattern against a packet: the first field that differs, named. */
static void
test_match(void)
{
	static const struct {
		const char *pat, *pkt, *why;
	} m[] = {
		{ "tcp *:* > *:* ttl 64", "tcp 1.1.1.1:1 > 2.2.2.2:2 S ttl 3",
		    "field ip.ttl: expected 64 vs actual 3" },
		{ "tcp *:* > *:* tos 0x10", "tcp 1.1.1.1:1 > 2.2.2.2:2 S",
		    "field ip.tos: expected 16 vs actual 0" },
		{ "tcp *:* > *:* df", "tcp 1.1.1.1:1 > 2.2.2.2:2 S",
		    "field ip.df: expected set vs actual clear" },
		{ "tcp *:* > *:* no-df", "tcp 1.1.1.1:1 > 2.2.2.2:2 S df",
		    "field ip.df: expected clear vs actual set" },
		{ "tcp *:* > *:* id 1-10", "tcp 1.1.1.1:1 > 2.2.2.2:2 S id 11",
		    "field ip.id: expected 1-10 vs actual 11" },
		{ "tcp *:* > *:* ipopt ra", "tcp 1.1.1.1:1 > 2.2.2.2:2 S",
		    "field ip.opt: expected ra vs actual none" },
		{ "tcp *:* > *:* ipopt none", "tcp 1.1.1.1:1 > 2.2.2.2:2 S ipopt nop ra",
		    "field ip.opt: expected none vs actual nop ra" },
		{ "tcp *:* > *:* iplen 44", "tcp 1.1.1.1:1 > 2.2.2.2:2 S",
		    "field ip.len: expected 44 vs actual 40" },
		{ "tcp *:* > *:* mss 1200", "tcp 1.1.1.1:1 > 2.2.2.2:2 S mss 1460",
		    "field tcp.mss: expected 1200 vs actual 1460" },
		{ "tcp *:* > *:* mss *", "tcp 1.1.1.1:1 > 2.2.2.2:2 S",
		    "field tcp.mss: expected an option vs actual none" },
		{ "tcp *:* > *:* sackOK", "tcp 1.1.1.1:1 > 2.2.2.2:2 S mss 1",
		    "field tcp.sackOK: expected present vs actual none" },
		{ "tcp *:* > *:* wscale 7", "tcp 1.1.1.1:1 > 2.2.2.2:2 S wscale 8",
		    "field tcp.wscale: expected 7 vs actual 8" },
		{ "tcp *:* > *:* ts * 5", "tcp 1.1.1.1:1 > 2.2.2.2:2 A ts 9 6",
		    "field tcp.tsecr: expected 5 vs actual 6" },
		{ "tcp *:* > *:* sack 1-2", "tcp 1.1.1.1:1 > 2.2.2.2:2 A sack 3-4",
		    "field tcp.sack: expected 1-2 vs actual 3-4" },
		{ "tcp *:* > *:* urg 1", "tcp 1.1.1.1:1 > 2.2.2.2:2 AU urg 2",
		    "field tcp.urg: expected 1 vs actual 2" },
		{ "tcp *:* > *:* cksum bad", "tcp 1.1.1.1:1 > 2.2.2.2:2 S",
		    "field tcp.sum: expected bad vs actual good" },
		{ "tcp *:* > *:* S", "tcp 1.1.1.1:1 > 2.2.2.2:2 S cksum bad",
		    "field tcp.sum: bad checksum" },
		{ "udp frag *:* > *:* off 0", "udp 1.1.1.1:1 > 2.2.2.2:2",
		    "field ip.frag: expected a fragment vs actual a whole packet" },
		{ "udp *:* > *:*", "udp frag 1.1.1.1:1 > 2.2.2.2:2 len 100 off 0 mf iplen 60",
		    "field ip.frag: expected a whole packet vs actual a fragment" },
		{ "udp frag *:* > *:* mf", "udp frag 1.1.1.1:1 > 2.2.2.2:2 len 100 off 40",
		    "field ip.mf: expected set vs actual clear" },
		{ "udp frag *:53 > *:*", "udp frag 1.1.1.1:1 > 2.2.2.2:2 len 100 off 40",
		    "field udp.sport: expected one vs actual none (a fragment at offset 40 "
		    "carries no udp header)" },
		{ "udp frag [2001:db8::1] > * id 5",
		    "udp frag [2001:db8::1]:1 > [2001:db8::2]:2 len 100 id 6 off 0 mf iplen 88",
		    "field ip6.frag.id: expected 5 vs actual 6" },
		{ "tcp *:* > *:* hlim 64", "tcp [2001:db8::1]:1 > [2001:db8::2]:2 S hlim 1",
		    "field ip6.hlim: expected 64 vs actual 1" },
	};
	uint8_t b[PKT_FRAME_MAX];
	struct pkt_pat pat;
	struct pkt d;
	char why[256];
	size_t i;
	int n;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		n = build(m[i].pkt, b, sizeof(b));
		if (pkt_decode_l3(b, (size_t)n, &d) == -1)
			CU_ASSERT_EQUAL_FATAL(pkt_decode_frag_l3(b, (size_t)n, &d), 0);
		tut_pat(m[i].pat, &pat);
		why[0] = '\0';
		CU_ASSERT_EQUAL(pkt_match(&pat, &d, why, sizeof(why)), 0);
		CU_ASSERT_STRING_EQUAL(why, m[i].why);
		if (strcmp(why, m[i].why) != 0)
			fprintf(stderr, "\n  %s vs %s: got \"%s\"\n", m[i].pat, m[i].pkt, why);
		/* and the packet matches a pattern written from itself (a fragment's
		 * `len` is the whole packet's: not for an expectation) */
		if (strstr(m[i].pkt, "cksum bad") != NULL || strstr(m[i].pkt, " frag ") !=
		    NULL)
			continue;
		tut_pat(m[i].pkt, &pat);
		CU_ASSERT_EQUAL(pkt_match(&pat, &d, why, sizeof(why)), 1);
	}
}

static void
test_bad_fields(void)
{
	static const struct {
		const char *text, *err;
		int pattern;		/* 1: read as an expectation */
	} bad[] = {
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 ttl 300", "bad value for ttl: \"300\"", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 tos 0xfff", "bad value for tos: \"0xfff\"", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 mss", "bad value for mss: \"\"", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 mss 1 mss 2", "mss written twice", 0 },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 mss 1", "mss is a TCP option", 0 },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 sackOK", "sackOK is a TCP option", 0 },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 urg 5", "urg is TCP's", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 ts 1", "bad value for ts: \"\"", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 sack", "sack needs blocks LEFT-RIGHT", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 sack 1-2 3-4 5-6 7-8 9-10",
		    "more than 4 sack blocks", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 sack 1-x", "bad value for sack: \"1-x\"", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 ipopt",
		    "ipopt needs options (ra, nop, eol, lsrr ADDR..., ssrr ADDR...) or none", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 ipopt lsrr",
		    "ipopt lsrr needs IPv4 addresses", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 ipopt ra ipopt nop", "ipopt written twice", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 ipopt lsrr 1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4 "
		    "5.5.5.5 6.6.6.6 7.7.7.7 8.8.8.8 9.9.9.9 10.10.10.10",
		    "IP options longer than 40 bytes", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 ts 1 2 ts 3 4", "ts written twice", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 mss 1 wscale 2 ts 1 2 sack 1-2 3-4 5-6",
		    "TCP options longer than 40 bytes", 0 },
		{ "tcp [2001:db8::1]:1 > [2001:db8::2]:2 df",
		    "df is IPv4's (IPv6 has no DF flag)", 0 },
		{ "tcp [2001:db8::1]:1 > [2001:db8::2]:2 ipopt ra",
		    "ipopt is IPv4's (IPv6 has no IP options)", 0 },
		{ "tcp [2001:db8::1]:1 > [2001:db8::2]:2 id 5",
		    "an IPv6 packet has an id only in a fragment header: write `tcp frag ...`",
		    0 },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 mf", "mf is a fragment's: write `udp frag ...`", 0 },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 off 8", "off is a fragment's: write `udp frag ...`",
		    0 },
		{ "udp frag 1.2.3.4:1 > 5.6.7.8:2 len 100 off 5", "off 5 is not a multiple of 8",
		    0 },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 id 70000",
		    "bad value for id: 70000 (IPv4 ids are 16 bits)", 0 },
		{ "udp frag 1.2.3.4:1 > 5.6.7.8:2 len 100 off 0 frag 64",
		    "a fragment (`frag` after the protocol) cannot be cut into fragments again "
		    "(`frag N`)", 0 },
		{ "udp frag 1.2.3.4:1 > 5.6.7.8:2 len 100 off 800",
		    "off 800 is past the packet's 108 bytes of IP payload", 0 },
		{ "udp frag 1.2.3.4:1 > 5.6.7.8:2 len 100 off 0 iplen 200",
		    "iplen 200: the fragment (20 bytes of header, from off 0) does not fit the "
		    "packet's 108 bytes of IP payload", 0 },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 len 3 iplen 30",
		    "iplen 30 does not match the packet (31 bytes)", 0 },
		{ "icmp frag 1.2.3.4 > 5.6.7.8 off 8",
		    "an ICMP packet to send needs its type (the whole packet a fragment is cut "
		    "from)", 0 },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 cksum good", "cksum takes `bad` (UDP also `none`)", 0 },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 payload 4g",
		    "bad value for payload: \"4g\" (hex digits, two a byte, or \"TEXT\")", 0 },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 payload 123",
		    "bad value for payload: \"123\" (hex digits, two a byte, or \"TEXT\")", 0 },
		{ "icmp unreach-port 1.2.3.4 > 5.6.7.8 payload 00",
		    "an ICMP error's payload is its quote", 0 },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 ttl 1-5", "ranges are only for expectations", 0 },
		{ "udp frag 1.2.3.4:1 > 5.6.7.8:2 len 5",
		    "len is the whole packet's; a fragment's size is iplen", 1 },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 frag 64",
		    "`frag N` is only for packets to send (an expected fragment is written "
		    "`udp frag ...`)", 1 },
	};
	struct pkt k;
	struct pkt_pat p;
	char err[256];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		rc = bad[i].pattern ? pkt_pat_parse(bad[i].text, &p, err, sizeof(err)) :
		    pkt_parse(bad[i].text, &k, err, sizeof(err));
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_STRING_EQUAL(err, bad[i].err);
		if (strcmp(err, bad[i].err) != 0)
			fprintf(stderr, "\n  %s: got \"%s\"\n", bad[i].text, err);
	}
}

/* Payloads: hex or text after `payload`, as a bare "TEXT" is. */
static void
test_payload(void)
{
	struct pkt k;

	tut_pkt("udp 1.2.3.4:1 > 5.6.7.8:2 payload 0x48690a", &k);
	CU_ASSERT_EQUAL(k.len, 3);
	CU_ASSERT(memcmp(k.payload, "Hi\n", 3) == 0);
	tut_pkt("udp 1.2.3.4:1 > 5.6.7.8:2 payload \"Hi\"", &k);
	CU_ASSERT_EQUAL(k.len, 2);
}

int
pkt_field_test_register(void)
{
	CU_pSuite s = CU_add_suite("pkt_field", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "fields written back as read", test_canonical) == NULL ||
	    CU_add_test(s, "IPv4 header and options bytes", test_ipv4_bytes) == NULL ||
	    CU_add_test(s, "TCP options, urg, checksums", test_tcp_bytes) == NULL ||
	    CU_add_test(s, "IPv6 header bytes", test_ipv6_bytes) == NULL ||
	    CU_add_test(s, "fields decoded back", test_decode) == NULL ||
	    CU_add_test(s, "fragments cut and read", test_fragments) == NULL ||
	    CU_add_test(s, "a mismatch names its field", test_match) == NULL ||
	    CU_add_test(s, "wrong fields named", test_bad_fields) == NULL ||
	    CU_add_test(s, "payload HEX and TEXT", test_payload) == NULL)
		return (-1);
	return (0);
}
