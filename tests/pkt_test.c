/* pkt_test.c: packet notation, libnet build -> decode round trips, checksums, matching. */
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

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

/* Every concrete form prints back as written (the canonical form). */
static const char *canon[] = {
	"tcp 198.51.100.7:40001 > 203.0.113.1:81 S seq 1000 win 65535",
	"tcp 203.0.113.1:81 > 198.51.100.7:40001 SA seq 7 ack 1001 win 29200",
	"tcp 10.99.0.1:3306 > 198.51.100.7:1 RA seq 0 ack 1 win 0",
	"tcp 10.0.0.1:1 > 10.0.0.2:2 FPA seq 1 ack 2 win 3 \"GET /\\n\"",
	"tcp 10.0.0.1:1 > 10.0.0.2:2 . seq 1 win 3 len 20",
	"tcp [2001:db8::1]:80 > [2001:db8::2]:1234 SA seq 5 ack 6 win 100 \"hi\\x00\"",
	"udp 198.51.100.7:53 > 203.0.113.1:1000 \"hello \\\"x\\\"\"",
	"udp [2001:db8::1]:53 > [2001:db8::2]:1 len 3",
	"icmp echo-request 198.51.100.7 > 203.0.113.1 id 7 seq 9 len 10",
	"icmp echo-reply 203.0.113.1 > 198.51.100.7 id 1 seq 1",
	"icmp6 echo-request [2001:db8::1] > [2001:db8::2] id 1 seq 1",
	"icmp unreach-port 203.0.113.1 > 198.51.100.7 quote udp 198.51.100.7:40000 > 203.0.113.1:53",
	"icmp unreach-host 203.0.113.1 > 198.51.100.7 quote tcp 198.51.100.7:1 > 10.0.0.9:2",
	"icmp unreach-needfrag 203.0.113.1 > 198.51.100.7 quote tcp 198.51.100.7:1 > 10.0.0.9:2",
	"icmp timex 192.0.2.1 > 198.51.100.7 quote icmp 198.51.100.7 > 203.0.113.1",
	"icmp timex 192.0.2.1 > 198.51.100.7 quote icmp 198.51.100.7 > 203.0.113.1 id 77",
	"icmp unreach-host 192.0.2.2 > 198.51.100.3 quote icmp echo-reply 198.51.100.2 > 192.0.2.2",
	"icmp6 timex [2001:db8::1] > [2001:db8::2] quote icmp6 echo-reply [2001:db8::2] > [2001:db8::1] id 9",
	"icmp6 unreach-port [2001:db8::1] > [2001:db8::2] quote udp [2001:db8::2]:4 > [2001:db8::1]:53",
	"icmp6 unreach-needfrag [2001:db8::1] > [2001:db8::2] quote tcp [2001:db8::2]:4 > [2001:db8::1]:5",
	"icmp6 timex [2001:db8::1] > [2001:db8::2] quote tcp [2001:db8::2]:4 > [2001:db8::1]:5",
	"icmp unreach-net 203.0.113.1 > 198.51.100.7 quote udp 198.51.100.7:40000 > 203.0.113.1:53",
	"icmp6 unreach-net [2001:db8::1] > [2001:db8::2] quote udp [2001:db8::2]:4 > [2001:db8::1]:53",
	"udp 198.51.100.7:53 > 203.0.113.1:1000 \"z\" cksum none",
};

static void
test_canonical(void)
{
	struct pkt k;
	char err[128], buf[512];
	size_t i;

	for (i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL_FATAL(pkt_parse(canon[i], &k, err, sizeof(err)), 0);
		CU_ASSERT_STRING_EQUAL(pkt_format(&k, buf, sizeof(buf)), canon[i]);
		if (strcmp(buf, canon[i]) != 0)
			fprintf(stderr, "\n  want %s\n  got  %s\n", canon[i], buf);
	}
}

static void
test_defaults(void)
{
	struct pkt k;
	char err[128], buf[256];

	CU_ASSERT_EQUAL(pkt_parse("tcp 198.51.100.7:40001 > 203.0.113.1:81 SA", &k, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(k.flags, PKT_TH_SYN | PKT_TH_ACK);
	CU_ASSERT_EQUAL(k.seq, 1000);
	CU_ASSERT_EQUAL(k.ack, 0);
	CU_ASSERT_EQUAL(k.win, 65535);
	CU_ASSERT_EQUAL(k.ttl, 0);
	CU_ASSERT_EQUAL(pkt_parse("icmp6 echo-request 2001:db8::1 > 2001:db8::2", &k, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(k.proto, IPPROTO_ICMPV6);
	CU_ASSERT_STRING_EQUAL(pkt_format(&k, buf, sizeof(buf)),
	    "icmp6 echo-request [2001:db8::1] > [2001:db8::2] id 1 seq 1");
}

static void
test_bad_notation(void)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
		{ "", "empty packet" },
		{ "sctp 1.2.3.4:1 > 5.6.7.8:2", "unknown protocol \"sctp\"" },
		{ "tcp 1.2.3.4 > 5.6.7.8:2", "missing port in \"1.2.3.4\"" },
		{ "tcp 1.2.3.4:70000 > 5.6.7.8:2", "bad port in \"1.2.3.4:70000\"" },
		{ "tcp 1.2.3.400:1 > 5.6.7.8:2", "bad address \"1.2.3.400:1\"" },
		{ "tcp 1.2.3.4:1 5.6.7.8:2", "expected \"SRC > DST\"" },
		{ "tcp 1.2.3.4:1 > [2001:db8::1]:2", "address families do not match" },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 SX", "unexpected \"SX\"" },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 seq", "bad value for seq: \"\"" },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 seq -1", "bad value for seq: \"-1\"" },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 \"abc", "unterminated string" },
		{ "udp 1.2.3.4:1 > 5.6.7.8:2 len 2 \"abc\"",
		    "len 2 does not match the payload (3 bytes)" },
		{ "icmp ping 1.2.3.4 > 5.6.7.8", "unknown icmp type \"ping\"" },
		{ "icmp echo-request [2001:db8::1] > [2001:db8::2]",
		    "address families do not match" },
		{ "icmp echo-request 1.2.3.4 > 5.6.7.8 quote udp 1.1.1.1:1 > 2.2.2.2:2",
		    "an echo quotes nothing" },
		{ "icmp timex 1.2.3.4 > 5.6.7.8 quote udp 1.1.1.1:1", 
		    "expected \"quote PROTO SRC > DST\" (a quoted echo: \"quote icmp "
		    "[echo-request|echo-reply] SRC > DST [id N]\")" },
		{ "icmp timex 1.2.3.4 > 5.6.7.8 quote udp 1.1.1.1:1 > 2.2.2.2:2 id 3",
		    "expected \"quote PROTO SRC > DST\" (a quoted echo: \"quote icmp "
		    "[echo-request|echo-reply] SRC > DST [id N]\")" },
		{ "icmp timex 1.2.3.4 > 5.6.7.8 quote icmp timex 1.1.1.1 > 2.2.2.2",
		    "expected \"quote PROTO SRC > DST\" (a quoted echo: \"quote icmp "
		    "[echo-request|echo-reply] SRC > DST [id N]\")" },
		{ "icmp timex 1.2.3.4 > 5.6.7.8 quote icmp 1.1.1.1 > 2.2.2.2 id 70000",
		    "bad value for id: \"70000\"" },
		{ "tcp 1.2.3.4:* > 5.6.7.8:2", "`*` is only for expectations" },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 seq 1-5", "ranges are only for expectations" },
		{ "tcp 1.2.3.4:1 > 5.6.7.8:2 *", "`*` is only for expectations" },
	};
	struct pkt k;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL(pkt_parse(bad[i].text, &k, err, sizeof(err)), -1);
		CU_ASSERT_STRING_EQUAL(err, bad[i].err);
		if (strcmp(err, bad[i].err) != 0)
			fprintf(stderr, "\n  %s: got \"%s\"\n", bad[i].text, err);
	}
}

static void
test_pattern_format(void)
{
	static const char *pats[] = {
		"tcp 203.0.113.1:50001-65535 > 198.51.100.7:443 S",
		"tcp *:* > 198.51.100.7:* RA seq 0-10 ack * win 0",
		"tcp 203.0.113.1:81 > 198.51.100.7:40001",
		"udp [2001:db8::1]:53 > *:1000-2000 len 5",
		"icmp echo-reply 203.0.113.1 > 198.51.100.7 id 1-65535 seq 1",
		"icmp unreach-port * > 198.51.100.7 quote udp 198.51.100.7:* > 203.0.113.1:53",
		"icmp timex * > 198.51.100.7 quote icmp echo-request 198.51.100.7 > * id 1-9",
		"icmp timex * > 198.51.100.7 quote icmp echo-reply * > 192.0.2.1 id $i",
		"icmp timex * > 198.51.100.7 quote icmp 198.51.100.7 > *",
	};
	struct pkt_pat p;
	char err[128], buf[512];
	size_t i;

	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(pkt_pat_parse(pats[i], &p, err, sizeof(err)), 0);
		CU_ASSERT_STRING_EQUAL(pkt_pat_format(&p, buf, sizeof(buf)),
		    strcmp(pats[i], "tcp *:* > 198.51.100.7:* RA seq 0-10 ack * win 0") == 0 ?
		    "tcp *:* > 198.51.100.7:* RA seq 0-10 win 0" : pats[i]);
	}
}

static void
build_decode(const char *text, struct pkt *out, uint8_t *frame, int *n)
{
	struct pkt k;
	char err[128];

	CU_ASSERT_EQUAL_FATAL(pkt_parse(text, &k, err, sizeof(err)), 0);
	*n = pkt_build_frame(&k, mac_a, mac_b, frame, PKT_FRAME_MAX, err, sizeof(err));
	CU_ASSERT_FATAL(*n > 0);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_frame(frame, *n, out), 0);
}

/* Built with libnet, decoded by hand: the same packet, every checksum good. */
static void
test_build_decode(void)
{
	uint8_t frame[PKT_FRAME_MAX], l3[PKT_FRAME_MAX];
	struct pkt k, d;
	char err[128], buf[512];
	size_t i;
	int n;

	for (i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		build_decode(canon[i], &d, frame, &n);
		CU_ASSERT_EQUAL(frame[12], (d.src.af == AF_INET ? 0x08 : 0x86));
		CU_ASSERT_EQUAL(memcmp(frame, mac_b, 6), 0);
		CU_ASSERT_EQUAL(memcmp(frame + 6, mac_a, 6), 0);
		CU_ASSERT_EQUAL(d.ttl, 64);
		CU_ASSERT(d.ip_sum_ok && d.l4_sum_ok);
		CU_ASSERT(!d.has_quote || d.quote_sum_ok);
		CU_ASSERT_STRING_EQUAL(pkt_format(&d, buf, sizeof(buf)), canon[i]);
		/* The L3 form is the frame without its Ethernet header. */
		CU_ASSERT_EQUAL_FATAL(pkt_parse(canon[i], &k, err, sizeof(err)), 0);
		k.ttl = 3;
		CU_ASSERT_EQUAL(pkt_build_l3(&k, l3, sizeof(l3), err, sizeof(err)), n - 14);
		CU_ASSERT_EQUAL(memcmp(l3 + 12, frame + 14 + 12, n - 14 - 12), 0);
		CU_ASSERT_EQUAL(pkt_decode_l3(l3, n - 14, &d), 0);
		CU_ASSERT_EQUAL(d.ttl, 3);
	}
	/* Too small a buffer is an error, not an overflow. */
	CU_ASSERT_EQUAL(pkt_build_l3(&k, l3, 10, err, sizeof(err)), -1);
}

static void
test_bad_checksums(void)
{
	uint8_t f[PKT_FRAME_MAX];
	struct pkt d;
	int n;

	build_decode("tcp 198.51.100.7:40001 > 203.0.113.1:81 S \"data\"", &d, f, &n);
	f[n - 1] ^= 0x40;		/* payload byte: TCP sum */
	CU_ASSERT_EQUAL(pkt_decode_frame(f, n, &d), 0);
	CU_ASSERT(d.ip_sum_ok && !d.l4_sum_ok);
	f[n - 1] ^= 0x40;
	f[14 + 8] = 1;			/* TTL: IP header sum only */
	CU_ASSERT_EQUAL(pkt_decode_frame(f, n, &d), 0);
	CU_ASSERT(!d.ip_sum_ok && d.l4_sum_ok);
	f[14 + 8] = 64;
	f[14 + 15] ^= 1;		/* source address: both (pseudo header) */
	CU_ASSERT_EQUAL(pkt_decode_frame(f, n, &d), 0);
	CU_ASSERT(!d.ip_sum_ok && !d.l4_sum_ok);

	build_decode("udp [2001:db8::1]:53 > [2001:db8::2]:1 \"x\"", &d, f, &n);
	f[14 + 39] ^= 1;		/* IPv6 destination: UDP pseudo header */
	CU_ASSERT_EQUAL(pkt_decode_frame(f, n, &d), 0);
	CU_ASSERT(d.ip_sum_ok && !d.l4_sum_ok);

	build_decode("icmp6 echo-request [2001:db8::1] > [2001:db8::2]", &d, f, &n);
	f[14 + 8] ^= 1;			/* ICMPv6 has a pseudo header too */
	CU_ASSERT_EQUAL(pkt_decode_frame(f, n, &d), 0);
	CU_ASSERT(!d.l4_sum_ok);

	build_decode("icmp unreach-port 203.0.113.1 > 198.51.100.7 quote udp "
	    "198.51.100.7:40000 > 203.0.113.1:53", &d, f, &n);
	f[14 + 20 + 8 + 12] ^= 1;	/* quoted source: quoted IP sum and ICMP sum */
	CU_ASSERT_EQUAL(pkt_decode_frame(f, n, &d), 0);
	CU_ASSERT(d.ip_sum_ok && !d.l4_sum_ok && !d.quote_sum_ok);
}

/* Every truncation of every packet decodes or fails, never reads past the end. */
static void
test_truncation(void)
{
	uint8_t f[PKT_FRAME_MAX], *cut;
	struct pkt d;
	size_t i;
	int n, m;

	for (i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		build_decode(canon[i], &d, f, &n);
		for (m = 0; m < n; m++) {
			/* A heap copy of exactly m bytes, so ASan sees any overread. */
			cut = malloc(m ? m : 1);
			memcpy(cut, f, m);
			CU_ASSERT_EQUAL(pkt_decode_frame(cut, m, &d), -1);
			free(cut);
		}
	}
}

static void
test_match(void)
{
	static const struct {
		const char *pat, *pkt, *why;
	} m[] = {
		{ "tcp 203.0.113.1:81 > 198.51.100.7:40001 SA",
		  "tcp 10.99.0.1:81 > 198.51.100.7:40001 SA",
		  "field ip.src: expected 203.0.113.1 vs actual 10.99.0.1" },
		{ "tcp 203.0.113.1:81 > 198.51.100.7:40001 SA",
		  "tcp 203.0.113.1:81 > 198.51.100.8:40001 SA",
		  "field ip.dst: expected 198.51.100.7 vs actual 198.51.100.8" },
		{ "tcp 203.0.113.1:50001-65535 > 198.51.100.7:443 S",
		  "tcp 203.0.113.1:41234 > 198.51.100.7:443 S",
		  "field tcp.sport: expected 50001-65535 vs actual 41234" },
		{ "tcp 203.0.113.1:81 > 198.51.100.7:40001 SA",
		  "tcp 203.0.113.1:81 > 198.51.100.7:40002 SA",
		  "field tcp.dport: expected 40001 vs actual 40002" },
		{ "tcp 203.0.113.1:81 > 198.51.100.7:40001 SA",
		  "tcp 203.0.113.1:81 > 198.51.100.7:40001 RA",
		  "field tcp.flags: expected SA vs actual RA" },
		{ "tcp 203.0.113.1:81 > 198.51.100.7:40001 . seq 5",
		  "tcp 203.0.113.1:81 > 198.51.100.7:40001 S",
		  "field tcp.flags: expected . vs actual S" },
		{ "tcp *:* > *:* seq 1-2", "tcp 1.1.1.1:1 > 2.2.2.2:2 seq 3",
		  "field tcp.seq: expected 1-2 vs actual 3" },
		{ "tcp *:* > *:* ack 1001", "tcp 1.1.1.1:1 > 2.2.2.2:2 A ack 1000",
		  "field tcp.ack: expected 1001 vs actual 1000" },
		{ "tcp *:* > *:* win 0", "tcp 1.1.1.1:1 > 2.2.2.2:2",
		  "field tcp.win: expected 0 vs actual 65535" },
		{ "udp *:53 > *:*", "tcp 1.1.1.1:53 > 2.2.2.2:2",
		  "field proto: expected udp vs actual tcp" },
		{ "udp *:53 > *:*", "udp 1.1.1.1:54 > 2.2.2.2:2",
		  "field udp.sport: expected 53 vs actual 54" },
		{ "udp *:* > *:* len 1-3", "udp 1.1.1.1:54 > 2.2.2.2:2 len 4",
		  "field len: expected 1-3 vs actual 4" },
		{ "udp *:* > *:* \"ab\"", "udp 1.1.1.1:54 > 2.2.2.2:2 \"ac\"",
		  "field payload: expected \"ab\" vs actual \"ac\"" },
		{ "icmp echo-reply * > *", "icmp echo-request 1.1.1.1 > 2.2.2.2",
		  "field icmp.type: expected echo-reply vs actual echo-request" },
		{ "icmp echo-reply * > * id 5", "icmp echo-reply 1.1.1.1 > 2.2.2.2 id 6",
		  "field icmp.id: expected 5 vs actual 6" },
		{ "icmp6 echo-reply * > * seq 2", "icmp6 echo-reply 2001:db8::1 > 2001:db8::2",
		  "field icmp6.seq: expected 2 vs actual 1" },
		{ "icmp6 echo-reply [2001:db8::3] > *", "icmp6 echo-reply 2001:db8::1 > 2001:db8::2",
		  "field ip.src: expected 2001:db8::3 vs actual 2001:db8::1" },
		{ "icmp unreach-port * > * quote udp 10.0.0.1:* > *:53",
		  "icmp unreach-port 1.1.1.1 > 2.2.2.2 quote udp 10.0.0.2:5 > 1.1.1.1:53",
		  "field quote.ip.src: expected 10.0.0.1 vs actual 10.0.0.2" },
		{ "icmp unreach-port * > * quote udp *:* > *:53",
		  "icmp unreach-port 1.1.1.1 > 2.2.2.2 quote udp 10.0.0.2:5 > 1.1.1.1:54",
		  "field quote.udp.dport: expected 53 vs actual 54" },
		{ "icmp unreach-port * > * quote udp *:* > *:53",
		  "icmp unreach-port 1.1.1.1 > 2.2.2.2 quote tcp 10.0.0.2:5 > 1.1.1.1:53",
		  "field quote.proto: expected udp vs actual tcp" },
		{ "icmp timex * > * quote icmp echo-reply * > *",
		  "icmp timex 1.1.1.1 > 2.2.2.2 quote icmp 2.2.2.2 > 3.3.3.3",
		  "field quote.icmp.type: expected echo-reply vs actual echo-request" },
		{ "icmp timex * > * quote icmp * > * id 5",
		  "icmp timex 1.1.1.1 > 2.2.2.2 quote icmp echo-reply 2.2.2.2 > 3.3.3.3 id 6",
		  "field quote.icmp.id: expected 5 vs actual 6" },
	};
	struct pkt_pat p;
	struct pkt k;
	char err[128], why[256];
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(pkt_pat_parse(m[i].pat, &p, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL_FATAL(pkt_parse(m[i].pkt, &k, err, sizeof(err)), 0);
		why[0] = '\0';
		CU_ASSERT_EQUAL(pkt_match(&p, &k, why, sizeof(why)), 0);
		CU_ASSERT_STRING_EQUAL(why, m[i].why);
		if (strcmp(why, m[i].why) != 0)
			fprintf(stderr, "\n  %s: got \"%s\"\n", m[i].pat, why);
	}
	/* Wildcards, ranges and unwritten fields match. */
	CU_ASSERT_EQUAL(pkt_pat_parse("tcp *:* > 198.51.100.7:440-450 SA seq *",
	    &p, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(pkt_parse("tcp 9.9.9.9:1 > 198.51.100.7:443 SA seq 77 ack 3",
	    &k, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(pkt_match(&p, &k, why, sizeof(why)), 1);
	CU_ASSERT_EQUAL(pkt_pat_parse("tcp 9.9.9.9:1 > 198.51.100.7:443", &p, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(pkt_match(&p, &k, why, sizeof(why)), 1);
}

/* A frame whose fields match but whose checksum is wrong does not match. */
static void
test_match_checksum(void)
{
	uint8_t f[PKT_FRAME_MAX];
	struct pkt_pat p;
	struct pkt d;
	char err[128], why[128];
	int n;

	CU_ASSERT_EQUAL(pkt_pat_parse("tcp 203.0.113.1:81 > 198.51.100.7:40001 SA",
	    &p, err, sizeof(err)), 0);
	build_decode("tcp 203.0.113.1:81 > 198.51.100.7:40001 SA", &d, f, &n);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 1);
	f[n - 1] ^= 0xff;		/* the TCP urgent pointer: sum only */
	CU_ASSERT_EQUAL(pkt_decode_frame(f, n, &d), 0);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "field tcp.sum: bad checksum");
	f[n - 1] ^= 0xff;
	f[14 + 8] = 63;
	CU_ASSERT_EQUAL(pkt_decode_frame(f, n, &d), 0);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "field ip.sum: bad checksum");

	CU_ASSERT_EQUAL(pkt_pat_parse("udp *:* > *:*", &p, err, sizeof(err)), 0);
	build_decode("udp 1.1.1.1:2 > 3.3.3.3:4 \"z\"", &d, f, &n);
	f[n - 1] = 'y';
	CU_ASSERT_EQUAL(pkt_decode_frame(f, n, &d), 0);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "field udp.sum: bad checksum");

	/* `cksum none`: IPv4 UDP sent with a checksum of 0, which only `cksum none`
	 * matches; ICMP unreach-net is 3/0, ICMPv6's 1/0 */
	CU_ASSERT_EQUAL(pkt_pat_parse("udp *:* > *:* cksum none", &p, err, sizeof(err)), 0);
	build_decode("udp 1.1.1.1:2 > 3.3.3.3:4 \"z\" cksum none", &d, f, &n);
	CU_ASSERT_EQUAL(f[n - 3] | f[n - 2], 0);
	CU_ASSERT(d.l4_sum_ok && d.cksum_none);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 1);
	build_decode("udp 1.1.1.1:2 > 3.3.3.3:4 \"z\"", &d, f, &n);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "field udp.sum: expected none (0) vs actual a checksum");
	CU_ASSERT_NOT_EQUAL(pkt_pat_parse("tcp *:* > *:* cksum none", &p, err, sizeof(err)), 0);
	build_decode("icmp unreach-net 1.1.1.1 > 3.3.3.3 quote udp 3.3.3.3:4 > 5.5.5.5:6", &d,
	    f, &n);
	CU_ASSERT(f[14 + 20] == 3 && f[14 + 21] == 0 && d.icmp == PKT_ICMP_UNREACH_NET);
	build_decode("icmp6 unreach-net 2001:db8::1 > 2001:db8::2 quote udp [2001:db8::2]:4 > "
	    "[2001:db8::3]:6", &d, f, &n);
	CU_ASSERT(f[14 + 40] == 1 && f[14 + 41] == 0 && d.icmp == PKT_ICMP_UNREACH_NET);

	/* a fragment: its UDP checksum covers the whole datagram, not judged; its IP
	 * header's is */
	CU_ASSERT_EQUAL(pkt_pat_parse("udp frag 1.1.1.1:2 > 3.3.3.3:4 id 9 off 0 mf", &p,
	    err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(pkt_parse("udp frag 1.1.1.1:2 > 3.3.3.3:4 len 600 id 9 off 0 mf "
	    "iplen 340", &d, err, sizeof(err)), 0);
	n = pkt_build_frame(&d, mac_a, mac_b, f, PKT_FRAME_MAX, err, sizeof(err));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_frag_frame(f, n, &d), 0);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 1);
	f[14 + 8] ^= 1;
	CU_ASSERT_EQUAL_FATAL(pkt_decode_frag_frame(f, n, &d), 0);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "field ip.sum: bad checksum");
}

static void
test_arp_ns(void)
{
	static const uint8_t req[42] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x0a, 0x08, 0x06,
	    0, 1, 0x08, 0, 6, 4, 0, 1, 0x02, 0, 0, 0, 0, 0x0a, 203, 0, 113, 1,
	    0, 0, 0, 0, 0, 0, 198, 51, 100, 7 };
	uint8_t f[PKT_FRAME_MAX], mac[6];
	struct pkt_addr t, s, me, asker;
	struct pkt d;
	char err[128], as[64];
	uint16_t sum;
	int n;

	CU_ASSERT_EQUAL(pkt_decode_arp_request(req, sizeof(req), &t, mac, &s), 1);
	CU_ASSERT_STRING_EQUAL(pkt_addr_format(&t, as, sizeof(as)), "198.51.100.7");
	CU_ASSERT_STRING_EQUAL(pkt_addr_format(&s, as, sizeof(as)), "203.0.113.1");
	CU_ASSERT_EQUAL(memcmp(mac, mac_a, 6), 0);
	CU_ASSERT_EQUAL(pkt_decode_arp_request(req, sizeof(req) - 1, &t, mac, &s), 0);
	CU_ASSERT_EQUAL(pkt_decode_frame(req, sizeof(req), &d), -1);

	/* The reply: the asker's question answered, and not itself a request. */
	n = pkt_build_arp_reply(mac_b, &t, mac, &s, f, sizeof(f), err, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(n, 42);
	CU_ASSERT_EQUAL(memcmp(f, mac_a, 6), 0);
	CU_ASSERT_EQUAL(f[21], 2);
	CU_ASSERT_EQUAL(memcmp(f + 22, mac_b, 6), 0);
	CU_ASSERT_EQUAL(memcmp(f + 28, t.a, 4), 0);
	CU_ASSERT_EQUAL(memcmp(f + 38, s.a, 4), 0);
	CU_ASSERT_EQUAL(pkt_decode_arp_request(f, n, &t, mac, &s), 0);

	/* A neighbour advertisement decodes as ICMPv6 136 with a good checksum. */
	pkt_addr_parse("2001:db8::7", &me);
	pkt_addr_parse("2001:db8::1", &asker);
	n = pkt_build_na(mac_b, &me, mac_a, &asker, f, sizeof(f), err, sizeof(err));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL(pkt_decode_frame(f, n, &d), 0);
	CU_ASSERT_EQUAL(d.icmp_type, 136);
	CU_ASSERT(d.l4_sum_ok);
	CU_ASSERT_EQUAL(f[14 + 7], 255);		/* hop limit */
	CU_ASSERT_EQUAL(f[14 + 40 + 4], 0x60);		/* solicited, override */
	CU_ASSERT_EQUAL(memcmp(f + 14 + 40 + 8, me.a, 16), 0);
	CU_ASSERT_EQUAL(memcmp(f + n - 6, mac_b, 6), 0);	/* target ll option */
	CU_ASSERT_EQUAL(pkt_decode_ns(f, n, &t, mac, &s), 0);
	/* Turn it into a solicitation: type 136 -> 135 and option 2 -> 1 (target ->
	 * source link-layer), both high bytes of their words. */
	sum = (uint16_t)(f[14 + 40 + 2] << 8 | f[14 + 40 + 3]);
	sum = cksum_fixup16(sum, 136 << 8 | f[14 + 40 + 1], 135 << 8 | f[14 + 40 + 1], 0);
	sum = cksum_fixup16(sum, 2 << 8 | f[14 + 40 + 25], 1 << 8 | f[14 + 40 + 25], 0);
	f[14 + 40] = 135;
	f[14 + 40 + 24] = 1;
	f[14 + 40 + 2] = (uint8_t)(sum >> 8);
	f[14 + 40 + 3] = (uint8_t)sum;
	CU_ASSERT_EQUAL(pkt_decode_ns(f, n, &t, mac, &s), 1);
	CU_ASSERT_EQUAL(memcmp(t.a, me.a, 16), 0);
	CU_ASSERT_EQUAL(memcmp(mac, mac_b, 6), 0);
}

static void
test_addr(void)
{
	struct pkt_addr a, b;
	char s[64];

	CU_ASSERT_EQUAL(pkt_addr_parse("10.99.0.1", &a), 0);
	CU_ASSERT_EQUAL(a.af, AF_INET);
	CU_ASSERT_EQUAL(pkt_addr_parse("2001:db8::1", &b), 0);
	CU_ASSERT_EQUAL(b.af, AF_INET6);
	CU_ASSERT_FALSE(pkt_addr_eq(&a, &b));
	CU_ASSERT_EQUAL(pkt_addr_parse("[2001:db8::1]", &b), -1);
	CU_ASSERT_EQUAL(pkt_addr_parse("10.99.0.1/24", &b), -1);
	CU_ASSERT_EQUAL(pkt_addr_parse("10.99.0.1", &b), 0);
	CU_ASSERT_TRUE(pkt_addr_eq(&a, &b));
	CU_ASSERT_STRING_EQUAL(pkt_addr_format(&a, s, sizeof(s)), "10.99.0.1");
}

int
pkt_test_register(void)
{
	CU_pSuite s = CU_add_suite("pkt", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "notation round trips", test_canonical) == NULL ||
	    CU_add_test(s, "notation defaults", test_defaults) == NULL ||
	    CU_add_test(s, "bad notation", test_bad_notation) == NULL ||
	    CU_add_test(s, "pattern format", test_pattern_format) == NULL ||
	    CU_add_test(s, "build -> decode", test_build_decode) == NULL ||
	    CU_add_test(s, "bad checksums detected", test_bad_checksums) == NULL ||
	    CU_add_test(s, "truncated frames", test_truncation) == NULL ||
	    CU_add_test(s, "mismatch messages", test_match) == NULL ||
	    CU_add_test(s, "checksums in matching", test_match_checksum) == NULL ||
	    CU_add_test(s, "arp and neighbour discovery", test_arp_ns) == NULL ||
	    CU_add_test(s, "addresses", test_addr) == NULL)
		return (-1);
	return (0);
}
