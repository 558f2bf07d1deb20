/* cksum_test.c: base/cksum.c gives, bit for bit, what each checksum routine it
 * replaced gave (kept below as references), on random buffers of odd lengths at
 * unaligned starts. */
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "base/cksum.h"
#include "tests.h"

#define ROUNDS	20000
#define BUFMAX	1600

/*
 * The routines cksum.c replaced, as they were, so that the replacement is checked
 * against them rather than against itself: the model's sum (pfm_pkt.c pfm_cksum) and
 * update (pfm_cksum_fixup), the model's reply pseudo header (pfm_reply.c pseudo), the
 * decoder's transport check (pkt_decode.c l4_sum_ok's sum), the IPv4 header sum of the
 * builder's fragments and the host stack's reassembly (pkt_build.c, hoststack.c: one
 * loop), the bench generator's update (gen_tmpl.c gen_cksum_adjust).
 */
static uint16_t
ref_model_sum(const void *buf, size_t len, uint32_t init)
{
	const uint8_t *p = buf;
	uint64_t sum = init;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum >> 16) + (sum & 0xffff);
	return ((uint16_t)~sum);
}

static uint16_t
ref_model_fixup(uint16_t sum, uint16_t old, uint16_t new, int udp)
{
	uint32_t l;

	if (udp && sum == 0)
		return (0);
	l = (uint32_t)(uint16_t)~sum + (uint16_t)~old + new;
	l = (l >> 16) + (l & 0xffff);
	l = (l >> 16) + (l & 0xffff);
	l = ~l & 0xffff;
	if (udp && l == 0)
		l = 0xffff;
	return ((uint16_t)l);
}

static uint32_t
ref_reply_pseudo(const uint8_t *src, const uint8_t *dst, int af, uint8_t proto,
    uint32_t len)
{
	uint32_t s = 0;
	int i, n = af == 4 ? 4 : 16;

	for (i = 0; i < n; i += 2)
		s += (uint32_t)(src[i] << 8 | src[i + 1]) +
		    (uint32_t)(dst[i] << 8 | dst[i + 1]);
	return (s + proto + (len >> 16) + (len & 0xffff));
}

static uint32_t
ref_decode_add(uint32_t sum, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	return (sum);
}

/* The folded sum l4_sum_ok compared with 0xffff. */
static uint16_t
ref_decode_fold(const uint8_t *src, const uint8_t *dst, size_t alen, int proto,
    const uint8_t *l4, size_t len)
{
	uint8_t ph[4];
	uint32_t sum;

	sum = ref_decode_add(0, src, alen);
	sum = ref_decode_add(sum, dst, alen);
	ph[0] = 0;
	ph[1] = (uint8_t)proto;
	ph[2] = (uint8_t)(len >> 8);
	ph[3] = (uint8_t)len;
	sum = ref_decode_add(sum, ph, 4);
	sum = ref_decode_add(sum, l4, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)sum);
}

static uint16_t
ref_header_sum(const uint8_t *buf, int hl)
{
	unsigned sum;
	int n;

	for (sum = 0, n = 0; n < hl; n += 2)
		sum += (unsigned)(buf[n] << 8 | buf[n + 1]);
	while (sum >> 16)
		sum = (sum >> 16) + (sum & 0xffff);
	return ((uint16_t)~sum);
}

static uint16_t
ref_gen_adjust(uint16_t sum, uint16_t old, uint16_t new)
{
	uint32_t s;

	s = (uint16_t)~sum + (uint16_t)~old + new;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return ((uint16_t)~s);
}

/* xorshift32: the same "random" buffers on every run, so a failure repeats. */
static uint32_t rnd_state;

static uint32_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return (rnd_state);
}

/* Random bytes, but every fourth round all 0xff or all 0: the sums that fold most. */
static void
fill(uint8_t *b, size_t n, int round)
{
	size_t i;

	if (round % 4 == 1 || round % 4 == 2) {
		memset(b, round % 4 == 1 ? 0xff : 0, n);
		return;
	}
	for (i = 0; i < n; i++)
		b[i] = (uint8_t)rnd();
}

/* One of the values where one's complement arithmetic has its corners, or any. */
static uint16_t
word(void)
{
	static const uint16_t edge[] = { 0, 1, 0x7fff, 0x8000, 0xfffe, 0xffff };
	uint32_t r = rnd();

	return (r % 3 == 0 ? edge[(r >> 8) % 6] : (uint16_t)(r >> 8));
}

static void
report(const char *what, int round, size_t len, size_t off, unsigned want,
    unsigned got)
{
	fprintf(stderr, "\n  %s: round %d, %zu bytes at +%zu: want 0x%04x, got 0x%04x\n",
	    what, round, len, off, want, got);
}

static void
report_fix(const char *what, int round, uint16_t sum, uint16_t old, uint16_t new,
    int udp, unsigned want, unsigned got)
{
	fprintf(stderr, "\n  %s: round %d, 0x%04x with 0x%04x -> 0x%04x%s: want 0x%04x, "
	    "got 0x%04x\n", what, round, sum, old, new, udp ? " (udp)" : "", want, got);
}

/* cksum_sum as the model's pfm_cksum and the builder's/host stack's header sum; a
 * chain of cksum_add split at an even offset as the whole. */
static void
test_sum(void)
{
	uint8_t buf[BUFMAX + 8];
	uint32_t init, part;
	size_t len, off, k;
	uint16_t want, got;
	int i, bad = 0;

	rnd_state = 0x9e3779b9;
	for (i = 0; i < ROUNDS; i++) {
		len = rnd() % BUFMAX;
		off = rnd() % 8;
		/* Partial sums as callers passed them: unfolded pseudo headers, up to
		 * 21 bits. */
		init = i % 8 == 0 ? 0 : rnd() & 0x1fffff;
		fill(buf + off, len, i);
		want = ref_model_sum(buf + off, len, init);
		if ((got = cksum_sum(buf + off, len, init)) != want && bad++ == 0)
			report("cksum_sum", i, len, off, want, got);
		k = (rnd() % (len + 1)) & ~(size_t)1;
		part = cksum_add(init, buf + off, k);
		if (part > 0xffff && bad++ == 0)
			report("cksum_add not folded", i, k, off, 0xffff, part);
		got = (uint16_t)~cksum_add(part, buf + off + k, len - k);
		if (got != want && bad++ == 0)
			report("cksum_add split", i, len, off, want, got);
		if (len >= 20 && len % 2 == 0 && len <= 60) {
			want = ref_header_sum(buf + off, (int)len);
			if ((got = cksum_sum(buf + off, len, 0)) != want && bad++ == 0)
				report("header sum", i, len, off, want, got);
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* RFC 1071's example (section 3): 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2. */
	CU_ASSERT_EQUAL(cksum_sum("\x00\x01\xf2\x03\xf4\xf5\xf6\xf7", 8, 0),
	    (uint16_t)~0xddf2);
	CU_ASSERT_EQUAL(cksum_sum("", 0, 0), 0xffff);
}

/* cksum_pseudo as the model's reply pseudo header and the decoder's, with an odd
 * transport length at an odd start; a right checksum sums to 0 for both. */
static void
test_pseudo(void)
{
	static const uint8_t protos[] = { 6, 17, 58 };
	uint8_t src[16], dst[16], l4[BUFMAX + 8], *p;
	size_t alen, len, off;
	uint32_t ps;
	uint16_t want, got, c;
	uint8_t proto;
	int i, bad = 0;

	rnd_state = 0x2545f491;
	for (i = 0; i < ROUNDS; i++) {
		alen = i % 2 ? 16 : 4;
		proto = protos[rnd() % 3];
		len = 18 + rnd() % (BUFMAX - 18);	/* a TCP header and more */
		off = rnd() % 8;
		p = l4 + off;
		fill(src, alen, i);
		fill(dst, alen, i + 1);
		fill(p, len, i);
		ps = cksum_pseudo(src, dst, alen, proto, (uint32_t)len);
		if (ps > 0xffff && bad++ == 0)
			report("cksum_pseudo not folded", i, len, off, 0xffff, ps);
		want = ref_model_sum(p, len, ref_reply_pseudo(src, dst, alen == 4 ? 4 : 6,
		    proto, (uint32_t)len));
		if ((got = cksum_sum(p, len, ps)) != want && bad++ == 0)
			report("pseudo vs the model's reply", i, len, off, want, got);
		want = ref_decode_fold(src, dst, alen, proto, p, len);
		if ((got = (uint16_t)~cksum_sum(p, len, ps)) != want && bad++ == 0)
			report("pseudo vs the decoder", i, len, off, want, got);
		/* Plant the checksum where TCP keeps it (UDP's and ICMP's are earlier:
		 * the place does not matter to the sum). */
		p[16] = p[17] = 0;
		c = cksum_sum(p, len, ps);
		p[16] = (uint8_t)(c >> 8);
		p[17] = (uint8_t)c;
		if ((got = cksum_sum(p, len, ps)) != 0 && bad++ == 0)
			report("planted checksum", i, len, off, 0, got);
		want = ref_decode_fold(src, dst, alen, proto, p, len);
		if (want != 0xffff && bad++ == 0)
			report("planted checksum, decoder", i, len, off, 0xffff, want);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* The generator's chain: three words of a UDP or TCP checksum updated with
 * ref_gen_adjust, then UDP's 0 sent as 0xffff and a template's 0 (no checksum) kept. */
static uint16_t
ref_gen_chain(uint16_t sum, const uint16_t *old, const uint16_t *new, int udp)
{
	uint16_t s = sum;
	int i;

	for (i = 0; i < 3; i++)
		s = ref_gen_adjust(s, old[i], new[i]);
	if (udp && s == 0)
		s = 0xffff;
	return (udp && sum == 0 ? 0 : s);
}

/* cksum_fixup16 as the model's and the bench generator's updates (one, and the
 * generator's chain of three), and as summing the whole again after the word changed. */
static void
test_fixup(void)
{
	uint8_t buf[BUFMAX + 8], *p;
	uint16_t sum, old, new, want, got, c, olds[3], news[3];
	size_t len, off, at;
	int i, j, udp, bad = 0;

	rnd_state = 0x6b43a9b5;
	for (i = 0; i < ROUNDS; i++) {
		sum = word();
		old = word();
		new = word();
		udp = (int)(rnd() & 1);
		want = ref_model_fixup(sum, old, new, udp);
		if ((got = cksum_fixup16(sum, old, new, udp)) != want && bad++ == 0)
			report_fix("fixup vs the model's", i, sum, old, new, udp, want,
			    got);
		want = ref_gen_adjust(sum, old, new);
		if ((got = cksum_fixup16(sum, old, new, 0)) != want && bad++ == 0)
			report_fix("fixup vs the generator's", i, sum, old, new, 0, want,
			    got);
		for (j = 0, got = sum; j < 3; j++) {
			olds[j] = word();
			news[j] = word();
			got = cksum_fixup16(got, olds[j], news[j], udp);
		}
		want = ref_gen_chain(sum, olds, news, udp);
		if (got != want && bad++ == 0)
			report_fix("fixups vs the generator's chain", i, sum, olds[0],
			    news[0], udp, want, got);

		/* A word of a packet changes: the updated checksum still sums to 0. */
		len = 2 + (rnd() % (BUFMAX / 2 - 1)) * 2;
		off = rnd() % 8;
		p = buf + off;
		fill(p, len, i);
		c = cksum_sum(p, len, 0);
		at = (rnd() % (len / 2)) * 2;
		old = (uint16_t)(p[at] << 8 | p[at + 1]);
		p[at] = (uint8_t)(new >> 8);
		p[at + 1] = (uint8_t)new;
		c = cksum_fixup16(c, old, new, 0);
		/* All zeros is the one case eqn. 3 gives 0 where the sum says 0xffff. */
		if (cksum_add(0, p, len) == 0)
			continue;
		if ((got = cksum_sum(p, len, 0)) != c && bad++ == 0)
			report("fixup vs summing again", i, len, off, got, c);
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* RFC 1624 section 4: 0xdd2f, a word 0x5555 -> 0x3285, gives 0x0000, not -0. */
	CU_ASSERT_EQUAL(cksum_fixup16(0xdd2f, 0x5555, 0x3285, 0), 0x0000);
	CU_ASSERT_EQUAL(cksum_fixup16(0, 0x1234, 0x4321, 1), 0);
	/* words 1234 5678: sum ~68ac = 9753; 1234 -> 4321: ~9999 = 6666 */
	CU_ASSERT_EQUAL(cksum_fixup16(0x9753, 0x1234, 0x4321, 0), 0x6666);
}

int
cksum_test_register(void)
{
	CU_pSuite s = CU_add_suite("cksum", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "sums as the replaced routines", test_sum) == NULL ||
	    CU_add_test(s, "pseudo headers as the model and the decoder",
	    test_pseudo) == NULL ||
	    CU_add_test(s, "incremental updates (RFC 1624)", test_fixup) == NULL)
		return (-1);
	return (0);
}
