/* pfm_synproxy_test.c: `synproxy state` and `modulate state` in the pf model: the
 * packets pf sends (flags, seq/ack, window, MSS, checksums, which way and whether pf
 * sees them), the whole proxied handshake and the translation after it, sequence
 * modulation both ways with SACK blocks and ICMP quotes, pfctl -ss state names. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "base/cksum.h"
#include "pfm_tutil.h"
#include "tests.h"
#include "tutil.h"

#define CLIENT	"198.51.100.7"
#define PUB	"203.0.113.1"
#define JAIL	"10.99.0.3"

static struct pfm_verdict v;
static struct pkt out;
static char txt[256];

/* rdr PUB:81 -> JAIL:80 and a pass rule for JAIL:80 with `keep`: flags S/SA, or
 * flags any when `any`. */
static struct pfm *
rdr_pf2(enum pfm_keep keep, int proto, int any)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;

	r = tu_rule(rs, PFM_R_RDR);
	snprintf(r->ifname, sizeof(r->ifname), "em0");
	r->proto = (uint8_t)proto;
	r->af = AF_INET;
	tu_addr(&r->dst, PUB, NULL);
	tu_port(&r->dst, PFM_OP_EQ, 81, 0);
	tu_pool(r, JAIL);
	r->rpool.port_op = PFM_OP_EQ;
	r->rpool.proxy_port[0] = 80;
	r = tu_rule(rs, PFM_R_PASS);
	r->direction = PFM_RDIR_IN;
	snprintf(r->ifname, sizeof(r->ifname), "em0");
	r->proto = (uint8_t)proto;
	tu_addr(&r->dst, JAIL, NULL);
	tu_port(&r->dst, PFM_OP_EQ, 80, 0);
	tu_keep(r);
	r->keep = keep;
	if (any)
		r->flags = r->flagset = 0;
	return (tu_pf(rs));
}

static struct pfm *
rdr_pf(enum pfm_keep keep, int proto)
{
	return (rdr_pf2(keep, proto, 0));
}

/* A packet in notation through pf; returns the verdict's action. */
static int
tsend(struct pfm *pf, enum pfm_dir dir, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
tsend(struct pfm *pf, enum pfm_dir dir, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(txt, sizeof(txt), fmt, ap);
	va_end(ap);
	memset(&v, 0, sizeof(v));
	CU_ASSERT_EQUAL_FATAL(tu_send(pf, dir, "em0", txt, 1000, &v, &out), 0);
	return (v.action);
}

/* Emitted packet i decoded into p, its checksums checked. */
static void
emitted(int i, struct pkt *p)
{
	CU_ASSERT_FATAL(i < v.nemit);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(v.emit[i].pkt, v.emit[i].len, p), 0);
	CU_ASSERT(p->ip_sum_ok && p->l4_sum_ok);
	CU_ASSERT(tu_sums_ok(v.emit[i].pkt, v.emit[i].len));
}

static int
addr_is(const struct pkt_addr *a, const char *s)
{
	struct pkt_addr b;

	return (pkt_addr_parse(s, &b) == 0 && pkt_addr_eq(a, &b));
}

static uint64_t
synproxy_count(struct pfm *pf)
{
	return (pf->counters[PFM_RES_SYNPROXY]);
}

/* pf's SYN|ACK to a client SYN without options: bytes as pf_build_tcp lays them. */
static void
test_synack_bytes(void)
{
	struct pfm *pf = rdr_pf(PFM_KEEP_SYNPROXY, 6);
	const uint8_t *b, *t;
	struct pkt p;

	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_EQUAL(tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 S seq 1000"),
	    PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "synproxy");
	CU_ASSERT(v.state_created);
	CU_ASSERT_EQUAL(v.reply_len, 0);
	/* the SYN itself is not passed on, and pf_undo_nat restored it */
	CU_ASSERT(addr_is(&out.dst, PUB) && out.dport == 81);
	CU_ASSERT_EQUAL_FATAL(v.nemit, 1);
	CU_ASSERT_EQUAL(v.emit[0].to, PFM_EMIT_BACK);
	CU_ASSERT_EQUAL(v.emit[0].skip, 1);
	CU_ASSERT_EQUAL(v.emit[0].len, 20 + 24);
	b = v.emit[0].pkt;
	t = b + 20;
	CU_ASSERT_EQUAL(b[0], 0x45);
	CU_ASSERT_EQUAL(b[1], 0x10);		/* IPTOS_LOWDELAY */
	CU_ASSERT_EQUAL(b[6], 0x40);		/* DF */
	CU_ASSERT_EQUAL(b[8], 64);		/* net.inet.ip.ttl */
	CU_ASSERT_EQUAL(b[9], 6);
	CU_ASSERT_EQUAL(t[12], 6 << 4);		/* 24-byte header: the MSS option */
	CU_ASSERT_EQUAL(t[13], 0x12);		/* SYN|ACK */
	CU_ASSERT_EQUAL(t[20], 2);
	CU_ASSERT_EQUAL(t[21], 4);
	/* no options at all: pf_get_mss returns 0 before its walk, and pf_calc_mss
	 * settles on its floor of 64 */
	CU_ASSERT_EQUAL(t[22] << 8 | t[23], 64);
	CU_ASSERT_EQUAL(v.state->mss, 64);
	emitted(0, &p);
	CU_ASSERT(addr_is(&p.src, PUB) && addr_is(&p.dst, CLIENT));
	CU_ASSERT_EQUAL(p.sport, 81);
	CU_ASSERT_EQUAL(p.dport, 40001);
	CU_ASSERT_EQUAL(p.ack, 1001);
	CU_ASSERT_EQUAL(p.win, 0);
	CU_ASSERT_EQUAL(p.seq, v.state->src.seqhi);
	CU_ASSERT_EQUAL(synproxy_count(pf), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "PROXY:SRC"));
	pfm_free(pf);
}

/* IPv6: pf's SYN|ACK has the default hop limit and the IPv6 pseudo-header sum. */
static void
test_synack_ipv6(void)
{
	struct pfm_ruleset *rs = tu_rs();
	struct pfm_rule *r;
	struct pfm *pf;
	struct pkt p;

	r = tu_rule(rs, PFM_R_PASS);
	r->direction = PFM_RDIR_IN;
	snprintf(r->ifname, sizeof(r->ifname), "em0");
	r->proto = 6;
	r->af = AF_INET6;
	tu_addr(&r->dst, "2001:db8::1", NULL);
	tu_port(&r->dst, PFM_OP_EQ, 80, 0);
	tu_keep(r);
	r->keep = PFM_KEEP_SYNPROXY;
	CU_ASSERT_FATAL((pf = tu_pf(rs)) != NULL);
	CU_ASSERT_EQUAL(tsend(pf, PFM_IN, "tcp [2001:db8::99]:40001 > [2001:db8::1]:80 S "
	    "seq 77"), PFM_DROP);
	CU_ASSERT_EQUAL_FATAL(v.nemit, 1);
	CU_ASSERT_EQUAL(v.emit[0].len, 40 + 24);
	CU_ASSERT_EQUAL(v.emit[0].pkt[0] >> 4, 6);
	CU_ASSERT_EQUAL(v.emit[0].pkt[6], 6);
	CU_ASSERT_EQUAL(v.emit[0].pkt[7], 64);
	emitted(0, &p);
	CU_ASSERT(addr_is(&p.src, "2001:db8::1") && addr_is(&p.dst, "2001:db8::99"));
	CU_ASSERT(p.flags == 0x12 && p.ack == 78 && p.win == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "PROXY:SRC"));
	pfm_free(pf);
}

/* A raw IPv4 TCP packet with options (olen bytes) and dlen bytes of payload. */
static size_t
mk4(uint8_t *b, const char *src, uint16_t sport, const char *dst, uint16_t dport,
    uint32_t seq, uint32_t ack, uint8_t flags, const uint8_t *opt, size_t olen,
    size_t dlen)
{
	size_t tl = 20 + olen + dlen;
	uint8_t *t = b + 20;

	memset(b, 0, 20 + tl);
	b[0] = 0x45;
	pfm_put16(b + 2, (uint16_t)(20 + tl));
	b[8] = 64;
	b[9] = 6;
	inet_pton(AF_INET, src, b + 12);
	inet_pton(AF_INET, dst, b + 16);
	pfm_put16(b + 10, cksum_sum(b, 20, 0));
	pfm_put16(t, sport);
	pfm_put16(t + 2, dport);
	pfm_put32(t + 4, seq);
	pfm_put32(t + 8, ack);
	t[12] = (uint8_t)(((20 + olen) / 4) << 4);
	t[13] = flags;
	pfm_put16(t + 14, 65535);
	memcpy(t + 20, opt, olen);
	pfm_put16(t + 16, cksum_sum(t, tl, cksum_pseudo(b + 12, b + 16, 4, 6,
	    (uint32_t)tl)));
	return (20 + tl);
}

/* The MSS pf offers: the client's, bounded by the route's MTU (1500 to a client);
 * options without an MSS give tcp_mssdflt. pf_get_mss walks on over EOL as over
 * NOP, so an MSS after an EOL still counts. */
static void
test_synack_mss(void)
{
	static const struct {
		uint8_t		opt[8];
		size_t		olen;
		uint16_t	want;
	} c[] = {
		{ { 2, 4, 0x05, 0xb4 }, 4, 1460 },
		{ { 2, 4, 0x23, 0x28 }, 4, 1460 },	/* 9000 */
		{ { 2, 4, 0x00, 0x64 }, 4, 100 },
		{ { 1, 1, 1, 1 }, 4, 536 },
		{ { 3, 3, 7, 0 }, 4, 536 },		/* window scale, EOL */
		{ { 0, 1, 1, 1, 2, 4, 0x04, 0x00 }, 8, 1024 },
	};
	struct pfm *pf = rdr_pf(PFM_KEEP_SYNPROXY, 6);
	uint8_t b[128];
	const uint8_t *t;
	size_t i, n;

	CU_ASSERT_FATAL(pf != NULL);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		n = mk4(b, CLIENT, (uint16_t)(40010 + i), PUB, 81, 1000, 0, 0x02,
		    c[i].opt, c[i].olen, 0);
		CU_ASSERT_EQUAL(pfm_test(pf, PFM_IN, "em0", b, n, 1000, &v), 0);
		CU_ASSERT_EQUAL_FATAL(v.nemit, 1);
		t = v.emit[0].pkt + 20;
		CU_ASSERT_EQUAL(t[22] << 8 | t[23], c[i].want);
		CU_ASSERT_EQUAL(v.state->mss, c[i].want);
	}
	pfm_free(pf);
}

/* The whole handshake: client SYN, retransmission, wrong ISN, bad ACKs, the ACK that
 * sends the SYN to the jail, the jail's SYN|ACK and both ACKs, then translation. */
static void
test_synproxy_handshake(void)
{
	struct pfm *pf = rdr_pf(PFM_KEEP_SYNPROXY, 6);
	uint32_t pf_isn_c, pf_isn_s;
	struct pkt p;

	CU_ASSERT_FATAL(pf != NULL);
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 S seq 1000 win 8192");
	emitted(0, &p);
	pf_isn_c = p.seq;
	/* the SYN again: the same SYN|ACK */
	CU_ASSERT_EQUAL(tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 S seq 1000"),
	    PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "synproxy");
	CU_ASSERT(v.state_hit);
	emitted(0, &p);
	CU_ASSERT_EQUAL(p.seq, pf_isn_c);
	CU_ASSERT_EQUAL(p.flags, 0x12);
	/* a SYN with another ISN: dropped, no answer */
	CU_ASSERT_EQUAL(tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 S seq 5000"),
	    PFM_DROP);
	CU_ASSERT_EQUAL(v.nemit, 0);
	/* an ACK of something else, and one with the wrong seq: dropped */
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 A seq 1001 ack %u",
	    pf_isn_c + 2);
	CU_ASSERT(v.action == PFM_DROP && v.nemit == 0);
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 A seq 1002 ack %u",
	    pf_isn_c + 1);
	CU_ASSERT(v.action == PFM_DROP && v.nemit == 0);
	/* nothing from the jail's side gets through yet */
	CU_ASSERT_EQUAL(tsend(pf, PFM_OUT, "tcp " JAIL ":80 > " CLIENT ":40001 SA seq 1 ack 1001"),
	    PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "synproxy");
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "PROXY:SRC"));
	/* the client's ACK: pf opens the connection to the jail (its own ISN, the MSS
	 * it offered the client), through pf */
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 A seq 1001 ack %u win 4000",
	    pf_isn_c + 1);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL_FATAL(v.nemit, 1);
	CU_ASSERT_EQUAL(v.emit[0].to, PFM_EMIT_ONWARD);
	CU_ASSERT_EQUAL(v.emit[0].skip, 0);
	emitted(0, &p);
	CU_ASSERT(addr_is(&p.src, CLIENT) && addr_is(&p.dst, JAIL));
	CU_ASSERT(p.sport == 40001 && p.dport == 80);
	CU_ASSERT_EQUAL(p.flags, 0x02);
	CU_ASSERT_EQUAL(p.ack, 0);
	CU_ASSERT_EQUAL(p.win, 0);
	/* the client's SYN had no options: pf's MSS is 64 (pf_get_mss, pf_calc_mss) */
	CU_ASSERT_EQUAL(v.emit[0].pkt[20 + 22] << 8 | v.emit[0].pkt[20 + 23], 64);
	pf_isn_s = p.seq;
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "PROXY:DST"));
	/* the ACK again: the SYN again, same ISN */
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 A seq 1001 ack %u win 4000",
	    pf_isn_c + 1);
	emitted(0, &p);
	CU_ASSERT(p.flags == 0x02 && p.seq == pf_isn_s);
	/* a SYN|ACK acking something else: dropped */
	tsend(pf, PFM_OUT, "tcp " JAIL ":80 > " CLIENT ":40001 SA seq 7000 ack %u",
	    pf_isn_s + 2);
	CU_ASSERT(v.action == PFM_DROP && v.nemit == 0);
	/* the jail's SYN|ACK: an ACK to the jail (through pf, the client's window) and
	 * one to the client (skipping pf, the jail's window) */
	tsend(pf, PFM_OUT, "tcp " JAIL ":80 > " CLIENT ":40001 SA seq 7000 ack %u win 29200",
	    pf_isn_s + 1);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_EQUAL_FATAL(v.nemit, 2);
	CU_ASSERT(v.emit[0].to == PFM_EMIT_BACK && !v.emit[0].skip);
	emitted(0, &p);
	CU_ASSERT(addr_is(&p.src, CLIENT) && addr_is(&p.dst, JAIL));
	CU_ASSERT(p.sport == 40001 && p.dport == 80);
	CU_ASSERT(p.flags == 0x10 && p.seq == pf_isn_s + 1 && p.ack == 7001);
	CU_ASSERT_EQUAL(p.win, 4000);
	CU_ASSERT_EQUAL(v.emit[0].len, 40);	/* no options */
	CU_ASSERT(v.emit[1].to == PFM_EMIT_ONWARD && v.emit[1].skip);
	emitted(1, &p);
	CU_ASSERT(addr_is(&p.src, PUB) && addr_is(&p.dst, CLIENT));
	CU_ASSERT(p.sport == 81 && p.dport == 40001);
	CU_ASSERT(p.flags == 0x10 && p.seq == pf_isn_c + 1 && p.ack == 1001);
	CU_ASSERT_EQUAL(p.win, 29200);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "ESTABLISHED:ESTABLISHED"));
	CU_ASSERT_EQUAL(synproxy_count(pf), 10);
	/* from now on: translated, both ways, checksums right */
	CU_ASSERT_EQUAL(tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 PA seq 1001 "
	    "ack %u len 10", pf_isn_c + 1), PFM_PASS);
	CU_ASSERT(v.rewritten && tu_sums_ok(tu_buf, tu_len));
	CU_ASSERT(addr_is(&out.dst, JAIL) && out.dport == 80);
	CU_ASSERT_EQUAL(out.seq, pf_isn_s + 1);
	CU_ASSERT_EQUAL(out.ack, 7001);
	CU_ASSERT_EQUAL(tsend(pf, PFM_OUT, "tcp " JAIL ":80 > " CLIENT ":40001 PA seq 7001 "
	    "ack %u len 5", pf_isn_s + 11), PFM_PASS);
	CU_ASSERT(v.rewritten && tu_sums_ok(tu_buf, tu_len));
	CU_ASSERT(addr_is(&out.src, PUB) && out.sport == 81);
	CU_ASSERT_EQUAL(out.seq, pf_isn_c + 1);
	CU_ASSERT_EQUAL(out.ack, 1011);
	CU_ASSERT_EQUAL(synproxy_count(pf), 10);
	pfm_free(pf);
}

/* modulate state: the client's ISN replaced on its SYN, the jail's on its SYN|ACK, and
 * every later seq/ack shifted both ways with valid checksums. */
static void
test_modulate(void)
{
	struct pfm *pf = rdr_pf(PFM_KEEP_MODULATE, 6);
	uint32_t c_isn, s_isn;

	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_EQUAL(tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 S seq 1000"),
	    PFM_PASS);
	CU_ASSERT(v.state_created && v.rewritten && tu_sums_ok(tu_buf, tu_len));
	CU_ASSERT(addr_is(&out.dst, JAIL));
	c_isn = out.seq;
	CU_ASSERT_NOT_EQUAL(c_isn, 1000);
	CU_ASSERT_EQUAL(v.state->src.seqdiff, c_isn - 1000);
	/* the jail answers the ISN it saw; the client gets an ack of its own */
	CU_ASSERT_EQUAL(tsend(pf, PFM_OUT, "tcp " JAIL ":80 > " CLIENT ":40001 SA seq 5000 "
	    "ack %u", c_isn + 1), PFM_PASS);
	CU_ASSERT(v.rewritten && tu_sums_ok(tu_buf, tu_len));
	CU_ASSERT_EQUAL(out.ack, 1001);
	s_isn = out.seq;
	CU_ASSERT_NOT_EQUAL(s_isn, 5000);
	CU_ASSERT_EQUAL(v.state->dst.seqdiff, s_isn - 5000);
	CU_ASSERT_EQUAL(tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 A seq 1001 "
	    "ack %u", s_isn + 1), PFM_PASS);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	CU_ASSERT(out.seq == c_isn + 1 && out.ack == 5001);
	CU_ASSERT_EQUAL(tsend(pf, PFM_OUT, "tcp " JAIL ":80 > " CLIENT ":40001 PA seq 5001 "
	    "ack %u len 20", c_isn + 1), PFM_PASS);
	CU_ASSERT(tu_sums_ok(tu_buf, tu_len));
	CU_ASSERT(out.seq == s_isn + 1 && out.ack == 1001);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "ESTABLISHED:ESTABLISHED"));
	/* an ack the client never could have seen is still checked in its own space */
	CU_ASSERT_EQUAL(tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 A seq 1001 "
	    "ack %u", s_isn + 21 + 200000), PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "state-mismatch");
	pfm_free(pf);
}

/* A SACK block from the client names the jail's bytes in the modulated space: pf
 * shifts it back (pf_modulate_sack), checksums kept. */
static void
test_modulate_sack(void)
{
	struct pfm *pf = rdr_pf(PFM_KEEP_MODULATE, 6);
	uint8_t b[128], opt[12] = { 1, 1, 5, 10 };
	uint32_t c_isn, s_isn;
	const uint8_t *t;
	size_t n;

	CU_ASSERT_FATAL(pf != NULL);
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 S seq 1000");
	c_isn = out.seq;
	tsend(pf, PFM_OUT, "tcp " JAIL ":80 > " CLIENT ":40001 SA seq 5000 ack %u", c_isn + 1);
	s_isn = out.seq;
	pfm_put32(opt + 4, s_isn + 101);
	pfm_put32(opt + 8, s_isn + 201);
	n = mk4(b, CLIENT, 40001, PUB, 81, 1001, s_isn + 1, 0x10, opt, 12, 0);
	CU_ASSERT_EQUAL(pfm_test(pf, PFM_IN, "em0", b, n, 1000, &v), 0);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(v.rewritten && tu_sums_ok(b, n));
	t = b + 20;
	CU_ASSERT_EQUAL(pfm_get32(t + 4), c_isn + 1);
	CU_ASSERT_EQUAL(pfm_get32(t + 8), 5001);
	CU_ASSERT(t[20] == 1 && t[21] == 1 && t[22] == 5 && t[23] == 10);
	CU_ASSERT_EQUAL(pfm_get32(t + 24), 5101);
	CU_ASSERT_EQUAL(pfm_get32(t + 28), 5201);
	pfm_free(pf);
}

/* Only a SYN gets a modulator; UDP under modulate state is kept state. */
static void
test_modulate_edges(void)
{
	struct pfm *pf = rdr_pf(PFM_KEEP_MODULATE, 17);

	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_EQUAL(tsend(pf, PFM_IN, "udp " CLIENT ":40001 > " PUB ":81 \"hi\""),
	    PFM_PASS);
	CU_ASSERT(v.state_created);
	CU_ASSERT(addr_is(&out.dst, JAIL) && out.dport == 80);
	pfm_free(pf);

	/* flags any: a state made by an ACK is not modulated, nor is its other side */
	pf = rdr_pf2(PFM_KEEP_MODULATE, 6, 1);
	CU_ASSERT_FATAL(pf != NULL);
	CU_ASSERT_EQUAL(tsend(pf, PFM_IN, "tcp " CLIENT ":40002 > " PUB ":81 A seq 3000 "
	    "ack 9000"), PFM_PASS);
	CU_ASSERT(v.state_created);
	CU_ASSERT_EQUAL(v.state->src.seqdiff, 0);
	CU_ASSERT_EQUAL(out.seq, 3000);
	CU_ASSERT_EQUAL(tsend(pf, PFM_OUT, "tcp " JAIL ":80 > " CLIENT ":40002 A seq 9000 "
	    "ack 3000"), PFM_PASS);
	CU_ASSERT_EQUAL(out.seq, 9000);
	CU_ASSERT_EQUAL(v.state->dst.seqdiff, 0);
	pfm_free(pf);
}

/* An ICMP error quoting a modulated packet: the quoted seq is shifted back for the
 * side that sent it (pf_test_state_icmp), the ICMP checksum kept. */
static void
test_modulate_icmp(void)
{
	struct pfm *pf = rdr_pf(PFM_KEEP_MODULATE, 6);
	struct pkt q;
	uint32_t c_isn;
	uint8_t b[128];
	size_t n;
	char err[128];

	CU_ASSERT_FATAL(pf != NULL);
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":81 S seq 1000");
	c_isn = out.seq;
	/* the jail's host says the modulated SYN needed fragmenting */
	memset(&q, 0, sizeof(q));
	tut_pkt("icmp unreach-needfrag " JAIL " > " CLIENT " quote tcp " CLIENT ":40001 > "
	    JAIL ":80", &q);
	CU_ASSERT_FATAL((n = (size_t)pkt_build_l3(&q, b, sizeof(b), err, sizeof(err))) > 28);
	/* the quoted TCP header's seq (pkt_build writes 1000): make it the wire's */
	pfm_put32(b + 28 + 20 + 4, c_isn);
	pfm_put16(b + 22, 0);
	pfm_put16(b + 22, cksum_sum(b + 20, n - 20, 0));
	CU_ASSERT_EQUAL(pfm_test(pf, PFM_OUT, "em0", b, n, 1000, &v), 0);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT(v.state_hit && v.rewritten);
	CU_ASSERT_EQUAL(pfm_get32(b + 28 + 20 + 4), 1000);
	CU_ASSERT_EQUAL(cksum_sum(b + 20, n - 20, 0), 0);
	pfm_free(pf);
}

/* synproxy to the host's own address (FreeBSD 14 pf_intr: pf's packets for a local
 * destination go to ip_input with M_SKIP_FIREWALL; synproxy.sh local): the SYN to the
 * server and pf's ACK to it skip pf, as the packets to the client always do. */
static void
test_synproxy_local(void)
{
	struct pfm *pf = tu_must_load("pass in on em0 proto tcp to " PUB " port 80 "
	    "synproxy state\n");
	uint32_t isn_c, isn_s;
	struct pkt p;

	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":80 S seq 1000 win 8192");
	emitted(0, &p);
	CU_ASSERT(v.emit[0].to == PFM_EMIT_BACK && v.emit[0].skip);
	isn_c = p.seq;
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":80 A seq 1001 ack %u win 4000",
	    isn_c + 1);
	CU_ASSERT_EQUAL_FATAL(v.nemit, 1);
	CU_ASSERT(v.emit[0].to == PFM_EMIT_ONWARD && v.emit[0].skip);
	emitted(0, &p);
	CU_ASSERT(addr_is(&p.src, CLIENT) && addr_is(&p.dst, PUB) && p.flags == 0x02);
	isn_s = p.seq;
	/* the host's SYN|ACK leaves on em0: pf's ACK back to the host skips pf too */
	tsend(pf, PFM_OUT, "tcp " PUB ":80 > " CLIENT ":40001 SA seq 7000 ack %u win 29200",
	    isn_s + 1);
	CU_ASSERT_EQUAL_FATAL(v.nemit, 2);
	CU_ASSERT(v.emit[0].to == PFM_EMIT_BACK && v.emit[0].skip);
	emitted(0, &p);
	CU_ASSERT(addr_is(&p.dst, PUB) && p.flags == 0x10 && p.ack == 7001);
	CU_ASSERT(v.emit[1].to == PFM_EMIT_ONWARD && v.emit[1].skip);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "ESTABLISHED:ESTABLISHED"));
	pfm_free(pf);
}

/* set syncookies always (FreeBSD 14 pf_syncookies.c, pf_test; syncookie.sh basic):
 * pf answers the SYN itself (window 0, MSS at least mssdflt) and keeps nothing; a
 * forged ACK is left to the rules; the client's ACK of the cookie makes the state by
 * the rules from the rebuilt SYN and opens the server's side; the server's SYN|ACK
 * completes both ends. */
static void
test_syncookies_always(void)
{
	struct pfm *pf = tu_must_load("set syncookies always\nblock all\n"
	    "pass in on em0 proto tcp to " PUB " port 80\npass out all\n");
	uint32_t iss, isn_s;
	struct pkt p;

	CU_ASSERT_PTR_NOT_NULL(strstr(tu_info_v(pf), "active                    active"));
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":80 S seq 1000 win 8192");
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT(!v.state_created);
	CU_ASSERT_EQUAL_FATAL(v.nemit, 1);
	CU_ASSERT(v.emit[0].to == PFM_EMIT_BACK && v.emit[0].skip);
	emitted(0, &p);
	CU_ASSERT(addr_is(&p.src, PUB) && addr_is(&p.dst, CLIENT));
	CU_ASSERT(p.sport == 80 && p.dport == 40001 && p.flags == 0x12);
	CU_ASSERT(p.ack == 1001 && p.win == 0);
	/* no MSS in the SYN: net.inet.tcp.mssdflt */
	CU_ASSERT_EQUAL(v.emit[0].pkt[20 + 22] << 8 | v.emit[0].pkt[20 + 23], 536);
	iss = p.seq;
	CU_ASSERT_EQUAL(pf->st.count, 0);
	CU_ASSERT_EQUAL(tu_counter(tu_info_v(pf), "syncookies sent"), 1);
	/* a forged cookie (its flags byte right, the hash not): no state, the rules
	 * (flags S/SA) drop it */
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":80 A seq 1001 ack %u",
	    iss + 0x101);
	CU_ASSERT(v.action == PFM_DROP && v.nemit == 0 && pf->st.count == 0);
	/* the client's ACK: the state, and pf's SYN to the server (local: skips pf) */
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":80 A seq 1001 ack %u win 4000",
	    iss + 1);
	CU_ASSERT_EQUAL(v.action, PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "synproxy");
	CU_ASSERT_EQUAL(tu_counter(tu_info_v(pf), "syncookies validated"), 1);
	CU_ASSERT_EQUAL_FATAL(v.nemit, 1);
	CU_ASSERT(v.emit[0].to == PFM_EMIT_ONWARD && v.emit[0].skip);
	emitted(0, &p);
	CU_ASSERT(addr_is(&p.src, CLIENT) && addr_is(&p.dst, PUB) && p.flags == 0x02);
	CU_ASSERT(p.dport == 80 && p.sport == 40001 && p.win == 0);
	CU_ASSERT_EQUAL(v.emit[0].len, 40);	/* no MSS: not a synproxy rule */
	isn_s = p.seq;
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "PROXY:DST"));
	/* the server answers: pf acks it and tells the client the server's window */
	tsend(pf, PFM_OUT, "tcp " PUB ":80 > " CLIENT ":40001 SA seq 7000 ack %u win 29200",
	    isn_s + 1);
	CU_ASSERT_EQUAL_FATAL(v.nemit, 2);
	emitted(1, &p);
	CU_ASSERT(addr_is(&p.dst, CLIENT) && p.flags == 0x10 && p.seq == iss + 1 &&
	    p.ack == 1001 && p.win == 29200);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "ESTABLISHED:ESTABLISHED"));
	CU_ASSERT_EQUAL(tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":80 PA seq 1001 "
	    "ack %u len 10", iss + 1), PFM_PASS);
	CU_ASSERT_EQUAL(out.ack, 7001);
	pfm_free(pf);
	/* the keys rotate every 15 s: a cookie holds one period more, not two (the
	 * key of its parity is new then, whatever else is in flight) */
	pf = tu_must_load("set syncookies always\npass in on em0 proto tcp to " PUB
	    " port 80\n");
	tsend(pf, PFM_IN, "tcp " CLIENT ":40002 > " PUB ":80 S seq 2000");
	emitted(0, &p);
	iss = p.seq;
	tsend(pf, PFM_IN, "tcp " CLIENT ":40003 > " PUB ":80 S seq 3000");
	emitted(0, &p);
	isn_s = p.seq;
	snprintf(txt, sizeof(txt), "tcp " CLIENT ":40002 > " PUB ":80 A seq 2001 ack %u",
	    iss + 1);
	memset(&v, 0, sizeof(v));
	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", txt, 17000, &v, &out), 0);
	CU_ASSERT(v.nemit == 1 && pf->st.count == 1);
	memset(&v, 0, sizeof(v));
	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", "tcp " CLIENT ":40004 > " PUB
	    ":80 S seq 4000", 32000, &v, &out), 0);
	CU_ASSERT_EQUAL(v.nemit, 1);
	snprintf(txt, sizeof(txt), "tcp " CLIENT ":40003 > " PUB ":80 A seq 3001 ack %u",
	    isn_s + 1);
	memset(&v, 0, sizeof(v));
	CU_ASSERT_EQUAL(tu_send(pf, PFM_IN, "em0", txt, 32000, &v, &out), 0);
	CU_ASSERT(v.nemit == 0 && pf->st.count == 1);
	pfm_free(pf);
	/* a cookie is good once: its ACK again, its state gone, finds none in flight */
	pf = tu_must_load("set syncookies always\npass in on em0 proto tcp to " PUB
	    " port 80\n");
	tsend(pf, PFM_IN, "tcp " CLIENT ":40005 > " PUB ":80 S seq 5000");
	emitted(0, &p);
	tsend(pf, PFM_IN, "tcp " CLIENT ":40005 > " PUB ":80 A seq 5001 ack %u", p.seq + 1);
	CU_ASSERT(v.nemit == 1 && pf->st.count == 1);
	pfm_flush_states(pf);
	tsend(pf, PFM_IN, "tcp " CLIENT ":40005 > " PUB ":80 A seq 5001 ack %u", p.seq + 1);
	CU_ASSERT(v.nemit == 0 && pf->st.count == 0);
	pfm_free(pf);
	/* never (the default): the SYN makes its state */
	pf = tu_must_load("pass in on em0 proto tcp to " PUB " port 80\n");
	tsend(pf, PFM_IN, "tcp " CLIENT ":40001 > " PUB ":80 S seq 1000 win 8192");
	CU_ASSERT(v.action == PFM_PASS && v.state_created && v.nemit == 0);
	pfm_free(pf);
}

/* set syncookies adaptive (start 10%, end 5%) with 100 states (syncookie.sh
 * adaptive): past 10 half-open states pf answers SYNs itself, so no more states;
 * the flood is counted once. */
static void
test_syncookies_adaptive(void)
{
	struct pfm *pf = tu_must_load("set limit states 100\n"
	    "set syncookies adaptive (start 10%, end 5%)\n"
	    "pass in on em0 proto tcp to " PUB " port 80\n");
	int i;

	CU_ASSERT_EQUAL(pf->sc_active, 0);
	for (i = 0; i < 30; i++)
		tsend(pf, PFM_IN, "tcp " CLIENT ":%d > " PUB ":80 S seq 1000", 40000 + i);
	CU_ASSERT_EQUAL(pf->st.count, 11);
	CU_ASSERT_EQUAL(pf->sc_active, 1);
	CU_ASSERT_EQUAL(tu_counter(tu_info_v(pf), "synfloods detected"), 1);
	CU_ASSERT_EQUAL(tu_counter(tu_info_v(pf), "syncookies sent"), 19);
	/* below 5 half-open states again: off */
	pfm_flush_states(pf);
	tsend(pf, PFM_IN, "tcp " CLIENT ":41000 > " PUB ":80 S seq 1000");
	CU_ASSERT(v.state_created && pf->sc_active == 0);
	pfm_free(pf);
}

int
pfm_synproxy_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_synproxy", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "synproxy: pf's SYN|ACK, byte by byte", test_synack_bytes) == NULL ||
	    CU_add_test(s, "synproxy: MSS offered, route-bounded", test_synack_mss) == NULL ||
	    CU_add_test(s, "synproxy: IPv6 SYN|ACK", test_synack_ipv6) == NULL ||
	    CU_add_test(s, "synproxy: a local server, packets skip pf",
	    test_synproxy_local) == NULL ||
	    CU_add_test(s, "syncookies always", test_syncookies_always) == NULL ||
	    CU_add_test(s, "syncookies adaptive", test_syncookies_adaptive) == NULL ||
	    CU_add_test(s, "synproxy: the whole handshake and after",
	    test_synproxy_handshake) == NULL ||
	    CU_add_test(s, "modulate: seq/ack both ways, checksums", test_modulate) == NULL ||
	    CU_add_test(s, "modulate: SACK blocks shifted back", test_modulate_sack) == NULL ||
	    CU_add_test(s, "modulate: UDP and non-SYN states", test_modulate_edges) == NULL ||
	    CU_add_test(s, "modulate: ICMP error quote demodulated",
	    test_modulate_icmp) == NULL)
		return (-1);
	return (0);
}
