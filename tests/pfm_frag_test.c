/* pfm_frag_test.c: the pf model's fragment reassembly and scrub options (pfm_frag.c),
 * through pfm_test as a caller sees them: held fragments, the whole packet handed back,
 * overlaps and duplicates as pf_fillup_fragment treats them, bad fragments and their
 * counters, the frag timeout by the caller's clock, `set limit frags`, IPv6, and no
 * reassembly without scrub. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "base/cksum.h"
#include "pfm_tutil.h"
#include "tests.h"
#include "tutil.h"

static const char *const UDP4 = "udp 198.51.100.7:40000 > 203.0.113.1:5353 len 600";
static const char *const UDP6 = "udp [2001:db8::7]:40000 > [2001:db8::1]:5353 len 600";

/* A pf for the test host with a ruleset in pf.conf text (parsed as pfctl would). */
static struct pfm *
frag_pf(const char *conf)
{
	struct pfm *pf = tu_load(conf, NULL);

	CU_ASSERT_FATAL(pf != NULL);
	return (pf);
}

/* An IPv4 fragment of w: payload bytes [off, off + len) (fill >= 0: that byte instead
 * of w's data), MF as given; its header checksum set. Its length. */
static size_t
frag4(const uint8_t *w, size_t wlen, unsigned off, unsigned len, int mf, int fill,
    uint8_t *out)
{
	size_t hl = (size_t)(w[0] & 0x0f) * 4;
	uint16_t o = (uint16_t)(off / 8 | (mf ? 0x2000 : 0));

	CU_ASSERT_FATAL(hl + off + len <= wlen || fill >= 0);
	memcpy(out, w, hl);
	if (fill >= 0)
		memset(out + hl, fill, len);
	else
		memcpy(out + hl, w + hl + off, len);
	pfm_put16(out + 2, (uint16_t)(hl + len));
	pfm_put16(out + 6, o);
	pfm_put16(out + 10, 0);
	pfm_put16(out + 10, cksum_sum(out, hl, 0));
	return (hl + len);
}

/* IPv6: a fragment header after the fixed header, id 0x1234. */
static size_t
frag6(const uint8_t *w, unsigned off, unsigned len, int mf, uint8_t *out)
{
	memcpy(out, w, 40);
	out[6] = 44;
	out[40] = w[6];
	out[41] = 0;
	pfm_put16(out + 42, (uint16_t)(off | (mf ? 1 : 0)));
	pfm_put32(out + 44, 0x1234);
	memcpy(out + 48, w + 40 + off, len);
	pfm_put16(out + 4, (uint16_t)(8 + len));
	return (48 + len);
}

static int
test4(struct pfm *pf, uint8_t *f, size_t n, uint64_t now, struct pfm_verdict *v)
{
	return (pfm_test(pf, PFM_IN, "em0", f, n, now, v));
}

static void
t_in_order(void)
{
	struct pfm *pf = frag_pf("scrub in on em0 all\n");
	uint8_t w[2048], f[2048];
	struct pfm_verdict v;
	size_t wl = tu_l3(UDP4, 1, w, sizeof(w)), n;

	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 1000, &v) == 0 && v.action == PFM_HELD && !v.reass);
	CU_ASSERT(pfm_frag_count(pf) == 1);
	n = frag4(w, wl, 256, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 1001, &v) == 0 && v.action == PFM_HELD);
	CU_ASSERT(pfm_frag_count(pf) == 2);
	n = frag4(w, wl, 512, (unsigned)(wl - 20 - 512), 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 1002, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT_FATAL(v.reass != NULL);
	CU_ASSERT(v.reass_len == wl && memcmp(v.reass, w, wl) == 0);
	CU_ASSERT(tu_sums_ok(v.reass, v.reass_len));
	CU_ASSERT(pfm_frag_count(pf) == 0);
	pfm_free(pf);
}

static void
t_out_of_order(void)
{
	struct pfm *pf = frag_pf("scrub in all fragment reassemble\n");
	uint8_t w[2048], f[2048];
	struct pfm_verdict v;
	size_t wl = tu_l3(UDP4, 1, w, sizeof(w)), n;

	n = frag4(w, wl, 512, (unsigned)(wl - 20 - 512), 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 256, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT(v.reass != NULL && v.reass_len == wl &&
	    memcmp(v.reass, w, wl) == 0);
	pfm_free(pf);
}

/* The whole packet goes through rdr and the state table; its checksums and length are
 * right after the translation; the fragment's own buffer is left alone. */
static void
t_rdr_whole(void)
{
	struct pfm *pf = frag_pf("scrub in on em0 all\n"
	    "rdr pass on em0 proto udp from any to 203.0.113.1 port 5353 -> "
	    "10.99.0.3 port 53\n");
	uint8_t w[2048], f[2048], keep[2048];
	struct pfm_verdict v;
	struct pkt p;
	size_t wl = tu_l3(UDP4, 1, w, sizeof(w)), n;

	n = frag4(w, wl, 0, 304, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 304, (unsigned)(wl - 20 - 304), 0, -1, f);
	memcpy(keep, f, n);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT(v.state_created && v.trans != NULL);
	CU_ASSERT(memcmp(keep, f, n) == 0);
	CU_ASSERT_FATAL(v.reass != NULL && v.reass_len == wl);
	CU_ASSERT(tu_sums_ok(v.reass, v.reass_len));
	CU_ASSERT_FATAL(pkt_decode_l3(v.reass, v.reass_len, &p) == 0);
	CU_ASSERT(p.dport == 53 && p.dst.a[3] == 3 && p.len == 600);
	CU_ASSERT(p.payload[599] == (uint8_t)599);
	CU_ASSERT(pfm_state_count(pf) == 1);
	pfm_free(pf);
}

/* Without scrub rules IPv4 fragments pass one by one (IP-level rules only). */
static void
t_no_scrub(void)
{
	struct pfm *pf = frag_pf("block in on em0 proto udp to port 5353\n");
	uint8_t w[2048], f[2048];
	struct pfm_verdict v;
	size_t wl = tu_l3(UDP4, 1, w, sizeof(w)), n;

	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS && !v.reass);
	n = frag4(w, wl, 256, (unsigned)(wl - 20 - 256), 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS && !v.reass);
	CU_ASSERT(pfm_frag_count(pf) == 0);
	/* the whole datagram meets the port rule */
	CU_ASSERT(test4(pf, w, wl, 0, &v) == 0 && v.action == PFM_DROP);
	pfm_free(pf);
	/* a scrub rule that does not match, or `no scrub`, or no reassemble: the same */
	pf = frag_pf("no scrub in on em0 from 198.51.100.7\nscrub in all\n");
	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS);
	pfm_free(pf);
	/* `set reassemble yes` without scrub rules: reassembled (no-df: DF cleared) */
	pf = frag_pf("set reassemble yes no-df\n");
	n = frag4(w, wl, 0, 256, 1, -1, f);
	pfm_put16(f + 6, pfm_get16(f + 6) | 0x4000);
	pfm_put16(f + 10, 0);
	pfm_put16(f + 10, cksum_sum(f, 20, 0));
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	CU_ASSERT(pfm_frag_count(pf) == 1);
	pfm_free(pf);
	pf = frag_pf("set reassemble yes\nscrub in from 192.0.2.1\n");
	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS);
	pfm_free(pf);
	pf = frag_pf("scrub in all fragment no reassemble\n");
	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT(pfm_frag_count(pf) == 0);
	pfm_free(pf);
}

/* pf_fillup_fragment: an overlap is cut from the front of the new fragment (the data
 * already queued wins); fragments after it lose their front (the new data wins). */
static void
t_overlap(void)
{
	struct pfm *pf = frag_pf("scrub in all\n");
	uint8_t w[2048], f[2048];
	struct pfm_verdict v;
	size_t wl = tu_l3("udp 198.51.100.7:1 > 203.0.113.1:2 len 40", 1, w, sizeof(w)), n;

	/* payload 48 bytes: [0,24) then [16,40) of 0xaa then [40,48) */
	n = frag4(w, wl, 0, 24, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 16, 24, 1, 0xaa, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 40, 8, 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT_FATAL(v.reass != NULL && v.reass_len == wl);
	CU_ASSERT(memcmp(v.reass + 20, w + 20, 24) == 0);
	CU_ASSERT(v.reass[20 + 24] == 0xaa && v.reass[20 + 39] == 0xaa);
	CU_ASSERT(memcmp(v.reass + 60, w + 60, 8) == 0);
	/* [16,32) first, then [8,24) of 0xbb: [16,24) goes from the older one */
	w[4] ^= 0x55;		/* another IP id: another queue */
	n = frag4(w, wl, 16, 16, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 8, 16, 1, 0xbb, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 32, 16, 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 0, 8, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT_FATAL(v.reass != NULL && v.reass_len == wl);
	CU_ASSERT(v.reass[20 + 8] == 0xbb && v.reass[20 + 23] == 0xbb);
	CU_ASSERT(memcmp(v.reass + 20 + 24, w + 20 + 24, 24) == 0);
	CU_ASSERT(pfm_frag_count(pf) == 0);
	pfm_free(pf);
}

/* A duplicate, and a fragment the queued data covers, are bad fragments. */
static void
t_duplicate(void)
{
	struct pfm *pf = frag_pf("scrub in all\n");
	uint8_t w[2048], f[2048];
	struct pfm_verdict v;
	size_t wl = tu_l3(UDP4, 1, w, sizeof(w)), n;

	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "fragment");
	n = frag4(w, wl, 8, 64, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_DROP);
	CU_ASSERT(pfm_frag_count(pf) == 1);
	CU_ASSERT(strstr(tu_info(pf), "fragment                               2") != NULL);
	/* the queue is intact: the rest completes it */
	n = frag4(w, wl, 256, (unsigned)(wl - 20 - 256), 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS && v.reass);
	pfm_free(pf);
}

/* pf_normalize_ip's checks and pf_fillup_fragment's end checks. */
static void
t_bad(void)
{
	struct pfm *pf = frag_pf("scrub in all\n");
	uint8_t w[2048], f[2048];
	struct pfm_verdict v;
	size_t wl = tu_l3(UDP4, 1, w, sizeof(w)), n;

	n = frag4(w, wl, 0, 100, 1, -1, f);	/* not a multiple of 8 */
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "fragment");
	n = frag4(w, wl, 0, 256, 1, -1, f);	/* DF on a fragment */
	pfm_put16(f + 6, pfm_get16(f + 6) | 0x4000);
	pfm_put16(f + 10, 0);
	pfm_put16(f + 10, cksum_sum(f, 20, 0));
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_DROP);
	n = frag4(w, wl, 65528, 16, 0, 1, f);	/* ends past 65535 */
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_DROP);
	CU_ASSERT(pfm_frag_count(pf) == 0);
	/* the final fragment seen: data past it, or a second final one, are bad */
	n = frag4(w, wl, 256, 64, 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 320, 8, 1, 1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_DROP);
	n = frag4(w, wl, 128, 64, 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_DROP);
	CU_ASSERT(strstr(tu_info(pf), "fragment                               5") != NULL);
	pfm_free(pf);
	/* no-df lets the DF fragment in */
	pf = frag_pf("scrub in all no-df\n");
	n = frag4(w, wl, 0, 256, 1, -1, f);
	pfm_put16(f + 6, pfm_get16(f + 6) | 0x4000);
	pfm_put16(f + 10, 0);
	pfm_put16(f + 10, cksum_sum(f, 20, 0));
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	pfm_free(pf);
}

/* A queue lives `timeout frag` seconds after its last fragment, by the caller's clock:
 * pfm_expire and pfm_test both purge. */
static void
t_timeout(void)
{
	struct pfm *pf = frag_pf("set timeout frag 20\nscrub in all\n");
	uint8_t w[2048], f[2048];
	struct pfm_verdict v;
	size_t wl = tu_l3(UDP4, 1, w, sizeof(w)), n;

	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 1000, &v) == 0 && v.action == PFM_HELD);
	pfm_expire(pf, 20999);
	CU_ASSERT(pfm_frag_count(pf) == 1);
	pfm_expire(pf, 21000);
	CU_ASSERT(pfm_frag_count(pf) == 0);
	/* through pfm_test's clock: the first fragment has gone, the last one waits */
	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 30000, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 256, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 49999, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 512, (unsigned)(wl - 20 - 512), 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 69998, &v) == 0 && v.action == PFM_PASS && v.reass);
	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 70000, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 256, (unsigned)(wl - 20 - 256), 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 90000, &v) == 0 && v.action == PFM_HELD);
	CU_ASSERT(pfm_frag_count(pf) == 1);
	pfm_free(pf);
	/* the default: 30 s */
	pf = frag_pf("scrub in all\n");
	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	pfm_expire(pf, 29999);
	CU_ASSERT(pfm_frag_count(pf) == 1);
	pfm_expire(pf, 30000);
	CU_ASSERT(pfm_frag_count(pf) == 0);
	pfm_free(pf);
}

/* `set limit frags`: at the limit the oldest queues go (pf_flush_fragments) so that the
 * new fragment fits; the datagram whose queue went never completes. */
static void
t_limit(void)
{
	struct pfm *pf = frag_pf("set limit frags 4\nscrub in all\n");
	uint8_t w[2048], f[2048];
	struct pfm_verdict v;
	size_t wl = tu_l3(UDP4, 1, w, sizeof(w)), n;
	int i;

	for (i = 0; i < 5; i++) {
		w[5] = (uint8_t)i;	/* IP id: one queue each */
		n = frag4(w, wl, 0, 256, 1, -1, f);
		CU_ASSERT(test4(pf, f, n, (uint64_t)i, &v) == 0 && v.action == PFM_HELD);
	}
	CU_ASSERT(pfm_frag_count(pf) == 4);
	w[5] = 0;		/* the oldest: flushed */
	n = frag4(w, wl, 256, (unsigned)(wl - 20 - 256), 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 10, &v) == 0 && v.action == PFM_HELD);
	w[5] = 4;		/* the newest: still there */
	n = frag4(w, wl, 256, (unsigned)(wl - 20 - 256), 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 11, &v) == 0 && v.action == PFM_PASS && v.reass);
	CU_ASSERT(strstr(tu_info(pf), "memory                                 0") != NULL);
	pfm_free(pf);
}

/* IPv6: reassembled without scrub rules (14.x), the fragment header removed. */
static void
t_ipv6(void)
{
	struct pfm *pf = frag_pf("pass in all\n");
	uint8_t w[2048], f[2048];
	struct pfm_verdict v;
	size_t wl = tu_l3(UDP6, 1, w, sizeof(w)), n;

	n = frag6(w, 256, (unsigned)(wl - 40 - 256), 0, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	n = frag6(w, 0, 256, 1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT_FATAL(v.reass != NULL);
	CU_ASSERT(v.reass_len == wl && memcmp(v.reass, w, wl) == 0);
	CU_ASSERT(v.reass[6] == 17 && pfm_get16(v.reass + 4) == wl - 40);
	CU_ASSERT(tu_sums_ok(v.reass, v.reass_len));
	CU_ASSERT(v.state_created);
	pfm_free(pf);
	/* scrub rules, none matching: not reassembled */
	pf = frag_pf("scrub in from 2001:db8::9\npass in all\n");
	n = frag6(w, 0, 256, 1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_PASS && !v.reass);
	CU_ASSERT(pfm_frag_count(pf) == 0);
	pfm_free(pf);
	/* a matching one: reassembled */
	pf = frag_pf("scrub in from 2001:db8::7\n");
	n = frag6(w, 0, 256, 1, f);
	CU_ASSERT(test4(pf, f, n, 0, &v) == 0 && v.action == PFM_HELD);
	pfm_free(pf);
}

/* The packet notation's `frag N [reverse]` builds what the model reassembles. */
static void
t_notation(void)
{
	struct pfm *pf = frag_pf("scrub in all\n");
	uint8_t w[2048], f[2048];
	struct pfm_verdict v;
	struct pkt p;
	struct pkt_pat pat;
	char err[256], txt[512];
	size_t wl;
	int i, nf, n;

	CU_ASSERT(pkt_parse("udp 198.51.100.7:1 > 203.0.113.1:2 len 600 frag 100", &p, err,
	    sizeof(err)) == -1);
	CU_ASSERT(strstr(err, "multiple of 8") != NULL);
	CU_ASSERT(pkt_parse("udp 198.51.100.7:1 > 203.0.113.1:2 len 10 frag 64", &p, err,
	    sizeof(err)) == -1);
	CU_ASSERT(strstr(err, "one fragment") != NULL);
	CU_ASSERT(pkt_pat_parse("udp 198.51.100.7:1 > 203.0.113.1:2 frag 64", &pat, err,
	    sizeof(err)) == -1);	/* not in expectations */
	tut_pkt("udp 198.51.100.7:1 > 203.0.113.1:2 len 600 frag 256 reverse", &p);
	CU_ASSERT(strstr(pkt_format(&p, txt, sizeof(txt)), "frag 256 reverse") != NULL);
	CU_ASSERT(pkt_build_l3(&p, f, sizeof(f), err, sizeof(err)) == -1);
	nf = pkt_build_nfrag(&p, err, sizeof(err));
	CU_ASSERT_FATAL(nf == 3);
	p.frag = 0;
	wl = (size_t)pkt_build_l3(&p, w, sizeof(w), err, sizeof(err));
	p.frag = 256;
	for (i = 0; i < nf; i++) {
		n = pkt_build_frag_l3(&p, i, f, sizeof(f), err, sizeof(err));
		CU_ASSERT_FATAL(n > 0);
		CU_ASSERT(cksum_sum(f, 20, 0) == 0);
		if (i == 0)
			CU_ASSERT(pfm_get16(f + 6) == 512 / 8);	/* last first, no MF */
		CU_ASSERT(test4(pf, f, (size_t)n, 0, &v) == 0);
		CU_ASSERT(v.action == (i < nf - 1 ? PFM_HELD : PFM_PASS));
	}
	CU_ASSERT(v.reass != NULL && v.reass_len == wl && memcmp(v.reass, w, wl) == 0);
	pfm_free(pf);
}

/* Scrub options on a whole packet: no-df, min-ttl, random-id, max-mss. */
static void
t_options(void)
{
	struct pfm *pf = frag_pf("scrub in all no-df random-id min-ttl 30 max-mss 1200\n");
	uint8_t b[2048];
	struct pfm_verdict v;
	struct pkt p;
	char err[256];
	int n;
	uint16_t id;

	tut_pkt("udp 198.51.100.7:1 > 203.0.113.1:2 len 20", &p);
	p.ttl = 5;
	n = pkt_build_l3(&p, b, sizeof(b), err, sizeof(err));
	CU_ASSERT_FATAL(n > 0);
	pfm_put16(b + 6, 0x4000);
	pfm_put16(b + 10, 0);
	pfm_put16(b + 10, cksum_sum(b, 20, 0));
	id = pfm_get16(b + 4);
	CU_ASSERT(test4(pf, b, (size_t)n, 0, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT(pfm_get16(b + 6) == 0 && b[8] == 30);
	CU_ASSERT(pfm_get16(b + 4) != id);
	CU_ASSERT(tu_sums_ok(b, (size_t)n));
	CU_ASSERT(v.rewritten == 1);	/* the caller must send the changed bytes */
	/* an MSS option of 1460 in a SYN becomes 1200, the checksum kept right */
	tut_pkt("tcp 198.51.100.7:1000 > 203.0.113.1:80 S", &p);
	n = pkt_build_l3(&p, b, sizeof(b), err, sizeof(err));
	CU_ASSERT_FATAL(n == 40);
	b[40] = 2;
	b[41] = 4;
	pfm_put16(b + 42, 1460);
	b[32] = (uint8_t)(6 << 4);	/* data offset 24 */
	pfm_put16(b + 2, 44);
	pfm_put16(b + 10, 0);
	pfm_put16(b + 10, cksum_sum(b, 20, 0));
	pfm_put16(b + 36, 0);
	pfm_put16(b + 36, cksum_sum(b + 20, 24, cksum_pseudo(b + 12, b + 16, 4, 6, 24)));
	CU_ASSERT_FATAL(tu_sums_ok(b, 44));
	CU_ASSERT(test4(pf, b, 44, 0, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT(pfm_get16(b + 42) == 1200);
	CU_ASSERT(tu_sums_ok(b, 44));
	CU_ASSERT(v.rewritten == 1);
	pfm_free(pf);
	/* max-mss alone: the SYN with MSS 1200 has nothing left to change, so nothing
	 * is rewritten; with 1460 again it is */
	pf = frag_pf("scrub in all max-mss 1200\n");
	CU_ASSERT(test4(pf, b, 44, 0, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT(pfm_get16(b + 42) == 1200 && v.rewritten == 0);
	pfm_put16(b + 42, 1460);
	pfm_put16(b + 36, 0);
	pfm_put16(b + 36, cksum_sum(b + 20, 24, cksum_pseudo(b + 12, b + 16, 4, 6, 24)));
	CU_ASSERT(test4(pf, b, 44, 0, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT(pfm_get16(b + 42) == 1200 && v.rewritten == 1);
	pfm_free(pf);
}

/* pf_normalize_ip matches scrub rules on interface, direction, address family,
 * protocol and addresses only, so a rule naming a port reassembles every fragment of
 * its protocol (fragments carry no ports to compare). pf_normalize_tcp, which only
 * TCP segments reach, walks the scrub rules a second time: a UDP packet counts once
 * on the rule, a TCP segment twice. */
static void
t_scrub_match(void)
{
	struct pfm *pf = frag_pf("scrub in on em0 proto udp from any to any port 9\n");
	const struct pfm_clist *cl = &pf->list[PFM_L_SCRUB];
	uint8_t w[2048], f[2048];
	struct pfm_verdict v;
	size_t wl = tu_l3(UDP4, 1, w, sizeof(w)), n;

	CU_ASSERT_FATAL(cl->n == 1);
	n = frag4(w, wl, 0, 256, 1, -1, f);
	CU_ASSERT(test4(pf, f, n, 1000, &v) == 0 && v.action == PFM_HELD);
	n = frag4(w, wl, 256, (unsigned)(wl - 20 - 256), 0, -1, f);
	CU_ASSERT(test4(pf, f, n, 1001, &v) == 0 && v.action == PFM_PASS);
	CU_ASSERT(v.reass != NULL && v.reass_len == wl);
	CU_ASSERT_EQUAL(cl->evaluations[0], 2);
	CU_ASSERT_EQUAL(cl->r[0].r->packets[0], 2);
	pfm_free(pf);

	pf = frag_pf("scrub in on em0 all\n");
	cl = &pf->list[PFM_L_SCRUB];
	tu_send(pf, PFM_IN, "em0", "udp 198.51.100.7:4000 > 203.0.113.1:53", 1000, &v,
	    NULL);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_EQUAL(cl->evaluations[0], 1);
	CU_ASSERT_EQUAL(cl->r[0].r->packets[0], 1);
	tu_send(pf, PFM_IN, "em0", "tcp 198.51.100.7:4000 > 203.0.113.1:80 S", 1001, &v,
	    NULL);
	CU_ASSERT_EQUAL(cl->evaluations[0], 3);
	CU_ASSERT_EQUAL(cl->r[0].r->packets[0], 3);
	pfm_free(pf);
}

/* An IPv4 TCP segment in notation, th[12..13] (data offset/reserved, flags) replaced
 * by hdr, urgent pointer urp, its TCP checksum made right again. Its length. */
static size_t
tcp4(const char *text, uint16_t hdr, uint16_t urp, uint8_t *b, size_t cap)
{
	size_t n = tu_l3(text, 1, b, cap);

	pfm_put16(b + 20 + 12, hdr);
	pfm_put16(b + 20 + 18, urp);
	pfm_put16(b + 20 + 16, 0);
	pfm_put16(b + 20 + 16, cksum_sum(b + 20, n - 20, cksum_pseudo(b + 12, b + 16, 4, 6,
	    (uint32_t)(n - 20))));
	CU_ASSERT_FATAL(tu_sums_ok(b, n));
	return (n);
}

/* pf_normalize_tcp runs for every TCP segment; with no scrub rule loaded FreeBSD 14
 * normalises them all ("just like in OpenBSD"): SYN+FIN and FIN without ACK are
 * dropped (normalize), a stale urgent pointer is zeroed. Of the 12 flag bits only
 * RES1/RES2 trigger the rewrite, which clears RES1..RES3; AE, CWR and ECE stay. */
static void
t_tcp_normalize(void)
{
	static const char *const conf[2] = { "pass all\n", "scrub in all\npass all\n" };
	static const char *const seg = "tcp 198.51.100.7:4000 > 203.0.113.1:80 S";
	struct pfm_verdict v;
	uint8_t b[256];
	struct pfm *pf;
	size_t n;
	int i;

	for (i = 0; i < 2; i++) {
		pf = frag_pf(conf[i]);
		n = tcp4(seg, 0x5000 | 0x03, 0, b, sizeof(b));	/* SYN+FIN */
		CU_ASSERT(test4(pf, b, n, 0, &v) == 0 && v.action == PFM_DROP);
		CU_ASSERT_STRING_EQUAL(v.reason, "normalize");
		n = tcp4(seg, 0x5000 | 0x01, 0, b, sizeof(b));	/* FIN alone */
		CU_ASSERT(test4(pf, b, n, 0, &v) == 0 && v.action == PFM_DROP);
		CU_ASSERT_EQUAL(pf->counters[PFM_RES_NORM], 2);
		/* SYN|ECE|CWR with AE and RES1: RES1 goes, the rest stays */
		n = tcp4(seg, 0x5000 | 0x0900 | 0xc2, 7, b, sizeof(b));
		CU_ASSERT(test4(pf, b, n, 0, &v) == 0 && v.action == PFM_PASS);
		CU_ASSERT_EQUAL(pfm_get16(b + 20 + 12), 0x5000 | 0x0100 | 0xc2);
		CU_ASSERT_EQUAL(pfm_get16(b + 20 + 18), 0);
		CU_ASSERT(tu_sums_ok(b, n));
		/* RES3 alone does not trigger the rewrite */
		n = tcp4("tcp 198.51.100.7:4001 > 203.0.113.1:80 S", 0x5000 | 0x0200 | 0x02,
		    0, b, sizeof(b));
		CU_ASSERT(test4(pf, b, n, 0, &v) == 0 && v.action == PFM_PASS);
		CU_ASSERT_EQUAL(pfm_get16(b + 20 + 12), 0x5000 | 0x0200 | 0x02);
		pfm_free(pf);
	}
}

int
pfm_frag_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_frag", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "in order", t_in_order) == NULL ||
	    CU_add_test(s, "out of order", t_out_of_order) == NULL ||
	    CU_add_test(s, "whole packet through rdr", t_rdr_whole) == NULL ||
	    CU_add_test(s, "no reassembly without scrub", t_no_scrub) == NULL ||
	    CU_add_test(s, "overlaps", t_overlap) == NULL ||
	    CU_add_test(s, "duplicates", t_duplicate) == NULL ||
	    CU_add_test(s, "bad fragments", t_bad) == NULL ||
	    CU_add_test(s, "frag timeout", t_timeout) == NULL ||
	    CU_add_test(s, "limit frags", t_limit) == NULL ||
	    CU_add_test(s, "IPv6", t_ipv6) == NULL ||
	    CU_add_test(s, "notation frag N", t_notation) == NULL ||
	    CU_add_test(s, "scrub options", t_options) == NULL ||
	    CU_add_test(s, "scrub rule match and counters", t_scrub_match) == NULL ||
	    CU_add_test(s, "TCP normalisation, with and without scrub rules",
	    t_tcp_normalize) == NULL)
		return (-1);
	return (0);
}
