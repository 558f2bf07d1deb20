/* pfm_tcp_review_test.c: the model held to FreeBSD 14 where a review of its TCP
 * tracking and state timeouts against pf.c (pf_tcp_track_full, pf_tcp_track_sloppy,
 * pf_test_state_tcp, pf_state_expires) found it different; then the bounds no test
 * pinned (scaled window, ack skew, the SYN in seqhi, tcp.opening). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "base/cksum.h"
#include "pfm_tutil.h"
#include "tests.h"
#include "tutil.h"

/* The host's end and the far end of every connection below. */
#define ME	"203.0.113.1:40000"
#define PEER	"198.51.100.7:80"
#define OUT_(f)	"tcp " ME " > " PEER " " f
#define IN_(f)	"tcp " PEER " > " ME " " f

static struct pfm_verdict v;
static struct pkt out;

static int
send_out(struct pfm *pf, const char *text, uint64_t ms)
{
	tu_send(pf, PFM_OUT, "em0", text, ms, &v, &out);
	return (v.action);
}

static int
send_in(struct pfm *pf, const char *text, uint64_t ms)
{
	tu_send(pf, PFM_IN, "em0", text, ms, &v, &out);
	return (v.action);
}

/* SYN seq 100, SYN|ACK seq 5000, ACK: both windows 1000, no scaling. The host's
 * side may send up to 1101, the peer's up to 6001. */
static void
handshake(struct pfm *pf)
{
	CU_ASSERT_EQUAL(send_out(pf, OUT_("S seq 100 win 1000"), 1000), PFM_PASS);
	CU_ASSERT_EQUAL(send_in(pf, IN_("SA seq 5000 ack 101 win 1000"), 1001), PFM_PASS);
	CU_ASSERT_EQUAL(send_out(pf, OUT_("A seq 101 ack 5001 win 1000"), 1002), PFM_PASS);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "ESTABLISHED:ESTABLISHED"));
}

/*
 * pf_tcp_track_full: a RST must sit exactly on seqlo (or +-1), scrub or not. The
 * (pd->flags & PFDESC_IP_REAS) == 0 escape of older releases let any in-window RST
 * through when pf had not reassembled the packet; 14's source has none, so a blind
 * RST two bytes off is a state mismatch, and the state stays.
 */
static void
test_rst_exact_without_scrub(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto tcp all\n");

	handshake(pf);
	CU_ASSERT_EQUAL(send_in(pf, IN_("R seq 5003"), 1003), PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "state-mismatch");
	CU_ASSERT(v.state_hit);
	CU_ASSERT_EQUAL(pf->counters[PFM_RES_BADSTATE], 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "ESTABLISHED:ESTABLISHED"));
	CU_ASSERT_EQUAL(send_in(pf, IN_("R seq 4999"), 1004), PFM_DROP);
	/* exactly on seqlo: the reset goes through and closes both ends */
	CU_ASSERT_EQUAL(send_in(pf, IN_("R seq 5001"), 1005), PFM_PASS);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "TIME_WAIT:TIME_WAIT"));
	pfm_free(pf);
}

/*
 * 14's window test is SEQ_GEQ(src->seqhi, end) with end counting the FIN; the model
 * had OpenBSD's data_end (FIN not counted), which let a FIN one past the window in.
 */
static void
test_fin_counts_in_window(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto tcp all\n");

	handshake(pf);
	/* 1000 bytes fill the peer's window to 6001; the FIN would be 6002 */
	CU_ASSERT_EQUAL(send_in(pf, IN_("FA seq 5001 ack 101 len 1000"), 1003), PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "state-mismatch");
	CU_ASSERT_EQUAL(send_in(pf, IN_("FA seq 5001 ack 101 len 999"), 1004), PFM_PASS);
	CU_ASSERT(strstr(tu_states(pf), "ESTABLISHED:CLOSING") != NULL ||
	    strstr(tu_states(pf), "CLOSING:ESTABLISHED") != NULL);
	pfm_free(pf);
}

/* The IPv4 TCP segment in notation `text`, which ends in `len 4`, with those 4 payload
 * bytes made a window scale option. */
static size_t
with_wscale(uint8_t *b, size_t cap, const char *text, uint8_t shift)
{
	uint8_t *t = b + 20;
	size_t n, tl;

	n = tu_l3(text, 0, b, cap);
	tl = n - 20;
	/* the 4 payload bytes become the option: NOP, WS len 3, shift */
	t[12] = 6 << 4;
	t[20] = 1;
	t[21] = 3;
	t[22] = 3;
	t[23] = shift;
	pfm_put16(t + 16, 0);
	pfm_put16(t + 16, cksum_sum(t, tl, cksum_pseudo(b + 12, b + 16, 4, 6,
	    (uint32_t)tl)));
	return (n);
}

/* An IPv4 TCP SYN from ME to PEER whose header carries a window scale option. */
static size_t
syn_wscale(uint8_t *b, size_t cap, uint32_t seq, uint16_t win, uint8_t shift)
{
	char text[128];

	snprintf(text, sizeof(text), "tcp " ME " > " PEER " S seq %u win %u len 4", seq,
	    win);
	return (with_wscale(b, cap, text, shift));
}

/*
 * A SYN with window scaling answered by a SYN|ACK without it: pf_tcp_track_full
 * undoes the scale on the SYN side's window with `dst->max_win <<= wscale`, and
 * max_win is 16 bits. A SYN of window 65535, shift 6 keeps 1024 (scaled down); 1024
 * << 6 is 65536, which 14 stores as 0, so the answering side may send nothing past
 * its SYN until the other end's ACK opens the window (OpenBSD clamps to 65535).
 */
static void
test_wscale_fixup_truncates(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto tcp all\n");
	uint8_t b[128];
	size_t n = syn_wscale(b, sizeof(b), 100, 65535, 6);

	CU_ASSERT_EQUAL(pfm_test(pf, PFM_OUT, "em0", b, n, 1000, &v), 0);
	CU_ASSERT_FATAL(v.action == PFM_PASS && v.state_created);
	CU_ASSERT_EQUAL(v.state->src.max_win, 1024);
	CU_ASSERT_EQUAL(send_in(pf, IN_("SA seq 5000 ack 101 win 1000"), 1001), PFM_PASS);
	CU_ASSERT_EQUAL(v.state->src.max_win, 0);
	CU_ASSERT_EQUAL(v.state->src.wscale, 0);
	CU_ASSERT_EQUAL(v.state->dst.seqhi, 5002);
	CU_ASSERT_EQUAL(send_in(pf, IN_("A seq 5001 ack 101 win 1000 len 100"), 1002),
	    PFM_DROP);
	/* the host's ACK slides the peer's window open */
	CU_ASSERT_EQUAL(send_out(pf, OUT_("A seq 101 ack 5001 win 1000"), 1003), PFM_PASS);
	CU_ASSERT_EQUAL(send_in(pf, IN_("A seq 5001 ack 101 win 1000 len 100"), 1004),
	    PFM_PASS);
	pfm_free(pf);
}

/*
 * "BAD state" while both peers are SYN_SENT (a SYN|ACK acking what was never sent):
 * besides the drop (state-mismatch), pf_tcp_track_full sends the segment's sender a
 * RST (seq = its ack, no ACK flag, not filtered) and resets that peer's seqlo,
 * seqhi and max_win, so that its next SYN|ACK is taken as its first.
 */
static void
test_handshake_mismatch_rst(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto tcp all\n");
	struct pkt r;

	CU_ASSERT_EQUAL(send_out(pf, OUT_("S seq 100 win 1000"), 1000), PFM_PASS);
	CU_ASSERT_EQUAL(send_in(pf, IN_("SA seq 5000 ack 999999 win 1000"), 1001),
	    PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "state-mismatch");
	CU_ASSERT_EQUAL_FATAL(v.nemit, 1);
	CU_ASSERT(v.emit[0].to == PFM_EMIT_BACK && v.emit[0].skip);
	CU_ASSERT_EQUAL_FATAL(pkt_decode_l3(v.emit[0].pkt, v.emit[0].len, &r), 0);
	CU_ASSERT(r.ip_sum_ok && r.l4_sum_ok);
	CU_ASSERT(r.src.a[0] == 203 && r.src.a[3] == 1 && r.sport == 40000);
	CU_ASSERT(r.dst.a[0] == 198 && r.dst.a[3] == 7 && r.dport == 80);
	CU_ASSERT_EQUAL(r.flags, TH_RST);
	CU_ASSERT_EQUAL(r.seq, 999999);
	CU_ASSERT_EQUAL(r.ack, 0);
	CU_ASSERT(v.state->dst.seqlo == 0 && v.state->dst.seqhi == 1 &&
	    v.state->dst.max_win == 1);
	/* the peer's proper SYN|ACK now opens its side afresh */
	CU_ASSERT_EQUAL(send_in(pf, IN_("SA seq 7000 ack 101 win 1000"), 1002), PFM_PASS);
	CU_ASSERT_EQUAL(v.nemit, 0);
	CU_ASSERT_EQUAL(v.state->dst.seqlo, 7001);
	CU_ASSERT_EQUAL(send_out(pf, OUT_("A seq 101 ack 7001 win 1000"), 1003), PFM_PASS);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "ESTABLISHED:ESTABLISHED"));
	/* once one side is past SYN_SENT a mismatch gets no RST */
	CU_ASSERT_EQUAL(send_in(pf, IN_("A seq 900000 ack 101 len 10"), 1004), PFM_DROP);
	CU_ASSERT_EQUAL(v.nemit, 0);
	pfm_free(pf);
}

/*
 * The loose match (shotgunned SYNs, streams picked up mid-way) passes a packet but
 * leaves the state's expiry alone ("We don't update the TTL here"): only packets
 * inside the window keep a state alive.
 */
static void
test_loose_match_keeps_expiry(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto tcp all\n");

	CU_ASSERT_EQUAL(send_out(pf, OUT_("S seq 100 win 1000"), 1000), PFM_PASS);
	/* a second SYN with another ISN: past seqhi, within MAXACKWINDOW */
	CU_ASSERT_EQUAL(send_out(pf, OUT_("S seq 50000 win 1000"), 100000), PFM_PASS);
	CU_ASSERT(v.state_hit);
	/* tcp.first (120 s) still counts from the first SYN */
	pfm_expire(pf, 120999);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 1);
	pfm_expire(pf, 121000);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 0);
	pfm_free(pf);
}

/* An ICMP port unreachable from PEER quoting the host's segment (quoted seq 0). */
static int
send_icmp_quote(struct pfm *pf, uint64_t ms)
{
	struct pkt p;
	char err[128];
	int n;

	tut_pkt("icmp unreach-port 198.51.100.7 > 203.0.113.1", &p);
	p.has_quote = 1;
	p.quote.proto = 6;
	pkt_addr_parse("203.0.113.1", &p.quote.src);
	pkt_addr_parse("198.51.100.7", &p.quote.dst);
	p.quote.sport = 40000;
	p.quote.dport = 80;
	n = pkt_build_l3(&p, tu_buf, sizeof(tu_buf), err, sizeof(err));
	CU_ASSERT_FATAL(n > 0);
	pfm_test(pf, PFM_IN, "em0", tu_buf, (size_t)n, ms, &v);
	return (v.action);
}

/*
 * `keep state (sloppy)`: pf_tcp_track_sloppy checks no sequence numbers, moves the
 * peers by the flags alone (an ACK after a SYN with nothing from the other end
 * establishes both), and pf_test_state_icmp skips the quoted sequence check.
 */
static void
test_sloppy(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto tcp all keep state (sloppy)\n");

	handshake(pf);
	CU_ASSERT_EQUAL(send_in(pf, IN_("A seq 900000 ack 101 len 10"), 1003), PFM_PASS);
	CU_ASSERT(v.state_hit);
	CU_ASSERT_EQUAL(send_in(pf, IN_("R seq 123"), 1004), PFM_PASS);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "TIME_WAIT:TIME_WAIT"));
	CU_ASSERT_EQUAL(v.state->timeout, PFM_TM_TCP_CLOSED);
	pfm_free(pf);

	/* one direction only: SYN then ACK establish the state */
	pf = tu_must_load("pass out on em0 proto tcp all keep state (sloppy)\n");
	CU_ASSERT_EQUAL(send_out(pf, OUT_("S seq 100"), 1000), PFM_PASS);
	CU_ASSERT_EQUAL(send_out(pf, OUT_("A seq 101 ack 777"), 1001), PFM_PASS);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "ESTABLISHED:ESTABLISHED"));
	CU_ASSERT_EQUAL(v.state->timeout, PFM_TM_TCP_ESTABLISHED);
	/* its FIN|ACK closes the half never seen too (dst seqlo 0), the next ACK
	 * takes that half to FIN_WAIT_2 */
	CU_ASSERT_EQUAL(send_out(pf, OUT_("FA seq 101 ack 777"), 1002), PFM_PASS);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "CLOSING:CLOSING"));
	CU_ASSERT_EQUAL(send_out(pf, OUT_("A seq 102 ack 777"), 1003), PFM_PASS);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "CLOSING:FIN_WAIT_2"));
	CU_ASSERT_EQUAL(v.state->timeout, PFM_TM_TCP_FINWAIT);
	/* an ICMP error about it passes whatever sequence number it quotes */
	CU_ASSERT_EQUAL(send_icmp_quote(pf, 1004), PFM_PASS);
	CU_ASSERT(v.state_hit);
	pfm_free(pf);

	/* the same error about a fully tracked state whose window is far from 0 is
	 * a mismatch */
	pf = tu_must_load("pass out on em0 proto tcp all\n");
	CU_ASSERT_EQUAL(send_out(pf, OUT_("S seq 100000 win 1000"), 1000), PFM_PASS);
	CU_ASSERT_EQUAL(send_in(pf, IN_("SA seq 5000 ack 100001 win 1000"), 1001),
	    PFM_PASS);
	CU_ASSERT_EQUAL(send_icmp_quote(pf, 1003), PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "state-mismatch");
	pfm_free(pf);
}

/*
 * pf_tcp_track_full's lower bound is seq >= seqlo - (max_win << dws): with window
 * scaling on both ends the receiver's largest window counts scaled, so a
 * retransmission from further back than that window unscaled still passes.
 */
static void
test_scaled_window_back(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto tcp all\n");
	uint8_t b[128];
	size_t n;

	n = with_wscale(b, sizeof(b), OUT_("S seq 100 win 65535 len 4"), 7);
	CU_ASSERT_EQUAL(pfm_test(pf, PFM_OUT, "em0", b, n, 1000, &v), 0);
	CU_ASSERT_EQUAL_FATAL(v.action, PFM_PASS);
	CU_ASSERT_EQUAL(v.state->src.max_win, 512);	/* 65535 bytes, scaled down */
	n = with_wscale(b, sizeof(b), IN_("SA seq 5000 ack 101 win 65535 len 4"), 7);
	CU_ASSERT_EQUAL(pfm_test(pf, PFM_IN, "em0", b, n, 1001, &v), 0);
	CU_ASSERT_EQUAL(v.action, PFM_PASS);
	CU_ASSERT_EQUAL(send_out(pf, OUT_("A seq 101 ack 5001 win 512"), 1002), PFM_PASS);
	/* 2000 bytes from the peer, then the first 1000 again: 2000 bytes back is more
	 * than 512 and less than 512 << 7 */
	CU_ASSERT_EQUAL(send_in(pf, IN_("A seq 5001 ack 101 win 512 len 1000"), 1003),
	    PFM_PASS);
	CU_ASSERT_EQUAL(send_in(pf, IN_("A seq 6001 ack 101 win 512 len 1000"), 1004),
	    PFM_PASS);
	CU_ASSERT_EQUAL(send_in(pf, IN_("A seq 5001 ack 101 win 512 len 1000"), 1005),
	    PFM_PASS);
	CU_ASSERT(v.state_hit);
	pfm_free(pf);
}

/*
 * The ack skew bounds of pf_tcp_track_full, MAXACKWINDOW = 65535 + 1500 either way
 * of what the other end has sent (its seqlo, 5001 after the handshake): on the
 * bound passes, one past is a mismatch.
 */
static void
test_ack_skew_bounds(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto tcp all\n");

	handshake(pf);
	CU_ASSERT_EQUAL(send_out(pf, OUT_("A seq 101 ack 72037 win 1000"), 1003), PFM_DROP);
	CU_ASSERT_STRING_EQUAL(v.reason, "state-mismatch");
	CU_ASSERT_EQUAL(send_out(pf, OUT_("A seq 101 ack 72036 win 1000"), 1004), PFM_PASS);
	pfm_free(pf);
	pf = tu_must_load("pass out on em0 proto tcp all\n");
	handshake(pf);
	/* 5001 - 67035 and one less, modulo 2^32 */
	CU_ASSERT_EQUAL(send_out(pf, OUT_("A seq 101 ack 4294905261 win 1000"), 1003),
	    PFM_DROP);
	CU_ASSERT_EQUAL(send_out(pf, OUT_("A seq 101 ack 4294905262 win 1000"), 1004),
	    PFM_PASS);
	pfm_free(pf);
}

/*
 * The timeout classes during the handshake: tcp.first (120 s) for the SYN alone,
 * tcp.opening (30 s) once the SYN|ACK has made one end ESTABLISHED and the other is
 * still SYN_SENT.
 */
static void
test_opening_timeout(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto tcp all\n");

	CU_ASSERT_EQUAL(send_out(pf, OUT_("S seq 100 win 1000"), 1000), PFM_PASS);
	CU_ASSERT_EQUAL(send_in(pf, IN_("SA seq 5000 ack 101 win 1000"), 2000), PFM_PASS);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), "ESTABLISHED:SYN_SENT"));
	pfm_expire(pf, 31999);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 1);
	pfm_expire(pf, 32000);
	CU_ASSERT_EQUAL(pfm_state_count(pf), 0);
	pfm_free(pf);
}

/*
 * pf_create_state: a SYN counts one in its sender's sequence space (seqhi = seq +
 * len + 1, one more for the SYN), so data right behind the SYN, before any answer,
 * is inside the window and tracked in full: the state's timeout becomes tcp.opening
 * (the loose match would leave tcp.first).
 */
static void
test_syn_counts_one(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto tcp all\n");

	CU_ASSERT_EQUAL(send_out(pf, OUT_("S seq 100 win 1000"), 1000), PFM_PASS);
	CU_ASSERT_EQUAL_FATAL(v.state_created, 1);
	CU_ASSERT_EQUAL(v.state->src.seqhi, 102);
	CU_ASSERT_EQUAL(send_out(pf, OUT_("A seq 101 ack 1 win 1000 len 1"), 1001),
	    PFM_PASS);
	CU_ASSERT_EQUAL(v.state->timeout, PFM_TM_TCP_OPENING);
	pfm_free(pf);
}

int
pfm_tcp_review_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_tcp_review", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "RST exact or +-1 also without scrub",
	    test_rst_exact_without_scrub) == NULL ||
	    CU_add_test(s, "the FIN counts in the window test", test_fin_counts_in_window) ==
	    NULL ||
	    CU_add_test(s, "wscale fix-up keeps 16 bits", test_wscale_fixup_truncates) ==
	    NULL ||
	    CU_add_test(s, "handshake mismatch: RST and a fresh start",
	    test_handshake_mismatch_rst) == NULL ||
	    CU_add_test(s, "loose match keeps the expiry", test_loose_match_keeps_expiry) ==
	    NULL ||
	    CU_add_test(s, "keep state (sloppy)", test_sloppy) == NULL ||
	    CU_add_test(s, "scaled window: a retransmission from far back",
	    test_scaled_window_back) == NULL ||
	    CU_add_test(s, "ack skew bounds", test_ack_skew_bounds) == NULL ||
	    CU_add_test(s, "tcp.opening during the handshake", test_opening_timeout) ==
	    NULL ||
	    CU_add_test(s, "a SYN counts one in the window", test_syn_counts_one) == NULL)
		return (-1);
	return (0);
}
