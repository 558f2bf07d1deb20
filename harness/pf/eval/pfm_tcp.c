/* pfm_tcp.c: TCP sequence tracking as pf_tcp_track_full does it: per peer seqlo,
 * seqhi, max_win and window scale; peer states and the timeout class they select
 * (pf_tcp_track_sloppy's flags-only tracking for `keep state (sloppy)`);
 * `modulate state` (and synproxy after its handshake): each side's sequence numbers
 * shifted by its seqdiff on the way through, acks and SACK blocks shifted back. */
#include <stdint.h>

#include "pfm_impl.h"

#define SEQ_LT(a, b)	((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b)	((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b)	((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b)	((int32_t)((a) - (b)) >= 0)

#define MAXACKWINDOW	(0xffff + 1500)
#define TCPOPT_EOL	0
#define TCPOPT_NOP	1
#define TCPOPT_MAXSEG	2
#define TCPOPT_WINDOW	3
#define TCPOPT_SACK	5
#define TCPOLEN_SACK	8		/* one block: two sequence numbers */
#define TCP_MSSDFLT	536		/* net.inet.tcp.mssdflt */
#define TCP_MAX_WINSHIFT 14

/* The walk of pf_get_wscale and pf_get_mss: options while at least `need` bytes are
 * left; EOL is stepped over like NOP and a length below 2 taken as 2, as pf does.
 * The last option of `kind` (its `need` bytes are inside the header), NULL: none. */
static const uint8_t *
tcp_opt(const struct pfm_pd *pd, uint8_t kind, int need)
{
	const uint8_t *opt = pd->pkt + pd->off + 20, *found = NULL;
	int hlen = (int)pd->thoff - 20;

	while (hlen >= need) {
		if (opt[0] == TCPOPT_EOL || opt[0] == TCPOPT_NOP) {
			opt++;
			hlen--;
			continue;
		}
		if (opt[0] == kind)
			found = opt;
		hlen -= opt[1] < 2 ? 2 : opt[1];
		opt += opt[1] < 2 ? 2 : opt[1];
	}
	return (found);
}

/* The window scale option of a SYN, PFM_WSCALE_FLAG set when present. */
uint8_t
pfm_tcp_wscale(const struct pfm_pd *pd)
{
	const uint8_t *o;
	int wscale;

	if (!(pd->tcp_flags & TH_SYN) || (o = tcp_opt(pd, TCPOPT_WINDOW, 3)) == NULL)
		return (0);
	wscale = o[2] > TCP_MAX_WINSHIFT ? TCP_MAX_WINSHIFT : o[2];
	return ((uint8_t)(wscale | PFM_WSCALE_FLAG));
}

/* pf_get_mss: the MSS option, net.inet.tcp.mssdflt when there are options but no
 * MSS among them, and 0 for a header without options (pf returns early there, and
 * pf_calc_mss then settles on its floor of 64). */
uint16_t
pfm_tcp_mss(const struct pfm_pd *pd)
{
	const uint8_t *o;

	if (pd->thoff <= 20)
		return (0);
	if ((o = tcp_opt(pd, TCPOPT_MAXSEG, 4)) == NULL)
		return (TCP_MSSDFLT);
	return (pfm_get16(o + 2));
}

/* A 32-bit field of the TCP header at `at` becomes v, the checksum fixed as it goes. */
static void
set32(const struct pfm_pd *pd, size_t at, uint32_t v)
{
	pfm_pkt_set_byte16(pd->pkt, at, (uint16_t)(v >> 16), pd->sum_off, 0);
	pfm_pkt_set_byte16(pd->pkt, at + 2, (uint16_t)v, pd->sum_off, 0);
}

/* pf_create_state's TCP part: the creating side is SYN_SENT, the other CLOSED. A
 * `modulate state` rule replaces the ISN of a SYN (pf_tcp_iss: a keyed hash there, the
 * model's random here) and remembers the difference. */
int
pfm_tcp_state_init(struct pfm *pf, struct pfm_state *s, const struct pfm_pd *pd)
{
	uint32_t win;
	int rw = 0;

	s->src.seqlo = pd->seq;
	s->src.seqhi = pd->seq + pd->p_len + 1;
	s->src.seqdiff = s->dst.seqdiff = 0;
	if ((pd->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN && s->rule != NULL &&
	    s->rule->keep == PFM_KEEP_MODULATE) {
		if ((s->src.seqdiff = pfm_random(pf) - s->src.seqlo) == 0)
			s->src.seqdiff = 1;
		set32(pd, pd->off + 4, s->src.seqlo + s->src.seqdiff);
		rw = 1;
	}
	if (pd->tcp_flags & TH_SYN) {
		s->src.seqhi++;
		s->src.wscale = pfm_tcp_wscale(pd);
	}
	s->src.max_win = pd->win > 1 ? pd->win : 1;
	if (s->src.wscale & PFM_WSCALE_MASK) {
		/* remove the scale factor from the initial window */
		win = s->src.max_win;
		win += 1u << (s->src.wscale & PFM_WSCALE_MASK);
		s->src.max_win = (uint16_t)((win - 1) >> (s->src.wscale & PFM_WSCALE_MASK));
	}
	if (pd->tcp_flags & TH_FIN)
		s->src.seqhi++;
	s->dst.seqhi = 1;
	s->dst.max_win = 1;
	s->src.state = PFM_TCPS_SYN_SENT;
	s->dst.state = PFM_TCPS_CLOSED;
	s->timeout = PFM_TM_TCP_FIRST;
	return (rw);
}

/* pf_modulate_sack: the SACK blocks of a packet towards a modulated side are in that
 * side's shifted space; shift them back. 1 when bytes changed. */
static int
modulate_sack(const struct pfm_pd *pd, const struct pfm_peer *dst)
{
	size_t base = pd->off + 20, at, i;
	int hlen = pd->thoff - 20, olen, rw = 0;
	const uint8_t *opt;

	at = base;
	while (hlen >= 2 + TCPOLEN_SACK) {
		opt = pd->pkt + at;
		olen = opt[1];
		switch (opt[0]) {
		case TCPOPT_EOL:
		case TCPOPT_NOP:
			at++;
			hlen--;
			continue;
		case TCPOPT_SACK:
			if (olen > hlen)
				olen = hlen;
			if (olen >= 2 + TCPOLEN_SACK) {
				for (i = 2; i + TCPOLEN_SACK <= (size_t)olen;
				    i += TCPOLEN_SACK) {
					set32(pd, at + i, pfm_get32(opt + i) - dst->seqdiff);
					set32(pd, at + i + 4,
					    pfm_get32(opt + i + 4) - dst->seqdiff);
				}
				rw = 1;
			}
			break;
		default:
			break;
		}
		if (olen < 2)
			olen = 2;
		hlen -= olen;
		at += (size_t)olen;
	}
	return (rw);
}

static void
first_from_end(struct pfm_peer *src, struct pfm_peer *dst, const struct pfm_pd *pd,
    uint32_t *win, uint32_t seq, uint32_t *end, uint16_t *sws, uint16_t *dws)
{
	*end = seq + pd->p_len;
	if (pd->tcp_flags & TH_SYN) {
		(*end)++;
		if (dst->wscale & PFM_WSCALE_FLAG) {
			src->wscale = pfm_tcp_wscale(pd);
			if (src->wscale & PFM_WSCALE_FLAG) {
				*sws = src->wscale & PFM_WSCALE_MASK;
				*win = (*win + (1u << *sws) - 1) >> *sws;
				*dws = dst->wscale & PFM_WSCALE_MASK;
			} else {
				/* fix the other window (in case of a retransmitted
				 * SYN|ACK); 14's `max_win <<= wscale` keeps only the
				 * low 16 bits of the product (OpenBSD clamps it to
				 * TCP_MAXWIN instead) */
				dst->max_win = (uint16_t)((uint32_t)dst->max_win <<
				    (dst->wscale & PFM_WSCALE_MASK));
				dst->wscale = 0;
			}
		}
	}
}

static void
slide(struct pfm_peer *src, struct pfm_peer *dst, uint32_t win, uint16_t sws,
    uint32_t ack, uint32_t end)
{
	uint32_t w = win << sws;

	if (win > src->max_win)
		src->max_win = (uint16_t)win;
	if (SEQ_GT(end, src->seqlo))
		src->seqlo = end;
	/* slide the window of what the other end can send */
	if (SEQ_GEQ(ack + w, dst->seqhi))
		dst->seqhi = ack + (w > 1 ? w : 1);
}

/* The timeout class the peers' states select, as pf_tcp_track_full and
 * pf_tcp_track_sloppy pick it after each packet they accept. */
static void
set_timeout(struct pfm_state *s, const struct pfm_peer *src, const struct pfm_peer *dst)
{
	if (src->state >= PFM_TCPS_FIN_WAIT_2 && dst->state >= PFM_TCPS_FIN_WAIT_2)
		s->timeout = PFM_TM_TCP_CLOSED;
	else if (src->state >= PFM_TCPS_CLOSING && dst->state >= PFM_TCPS_CLOSING)
		s->timeout = PFM_TM_TCP_FINWAIT;
	else if (src->state < PFM_TCPS_ESTABLISHED || dst->state < PFM_TCPS_ESTABLISHED)
		s->timeout = PFM_TM_TCP_OPENING;
	else if (src->state >= PFM_TCPS_CLOSING || dst->state >= PFM_TCPS_CLOSING)
		s->timeout = PFM_TM_TCP_CLOSING;
	else
		s->timeout = PFM_TM_TCP_ESTABLISHED;
}

/* pf_src_connlimit where pf calls it: the handshake just completed (dst went from
 * SYN_SENT to ESTABLISHED while src is ESTABLISHED). 1: the state was killed. */
static int
connlimit(struct pfm *pf, struct pfm_state *s, const struct pfm_peer *src)
{
	return (src->state == PFM_TCPS_ESTABLISHED && pfm_state_connlimit(pf, s));
}

/* The peer state updates of pf_tcp_track_full for a packet inside the window, or
 * of pf_tcp_track_sloppy (`keep state (sloppy)`: no sequence windows at all, the
 * peer states from the flags alone, so that a connection seen one way only still
 * establishes and closes); then the timeout and the expiry (only these paths refresh
 * it: the loose match does not, so a flood cannot keep a state alive). 0, or -1
 * (reason src-limit) when pf_src_connlimit killed the state. */
static int
update_states(struct pfm *pf, struct pfm_state *s, struct pfm_peer *src,
    struct pfm_peer *dst, const struct pfm_pd *pd, int sloppy, enum pfm_res *reason)
{
	uint8_t f = pd->tcp_flags;

	if (f & TH_SYN && src->state < PFM_TCPS_SYN_SENT)
		src->state = PFM_TCPS_SYN_SENT;
	if (f & TH_FIN && src->state < PFM_TCPS_CLOSING)
		src->state = PFM_TCPS_CLOSING;
	if (f & TH_ACK) {
		if (dst->state == PFM_TCPS_SYN_SENT) {
			dst->state = PFM_TCPS_ESTABLISHED;
			if (connlimit(pf, s, src))
				goto limited;
		} else if (dst->state == PFM_TCPS_CLOSING) {
			dst->state = PFM_TCPS_FIN_WAIT_2;
		} else if (sloppy && src->state == PFM_TCPS_SYN_SENT &&
		    dst->state < PFM_TCPS_SYN_SENT) {
			/* an ACK after the SYN, nothing seen from the other end */
			src->state = dst->state = PFM_TCPS_ESTABLISHED;
			if (pfm_state_connlimit(pf, s))
				goto limited;
		} else if (sloppy && src->state == PFM_TCPS_CLOSING &&
		    dst->state == PFM_TCPS_ESTABLISHED && dst->seqlo == 0) {
			/* a half connection closing without the other FIN */
			dst->state = PFM_TCPS_CLOSING;
		}
	}
	if (f & TH_RST)
		src->state = dst->state = PFM_TCPS_TIME_WAIT;
	s->expire_ms = pf->now_ms;
	set_timeout(s, src, dst);
	return (0);
limited:
	*reason = PFM_RES_SRCLIMIT;
	return (-1);
}

/* One packet as pf_tcp_track_full sees it: its sequence span (end counts SYN and
 * FIN; 14 has no separate data end), its ack in the receiver's space, its window
 * and the two scales. */
struct tcp_seg {
	uint32_t	seq, ack, end, win;
	uint16_t	sws, dws;
};

/* The first packet from src: a deferred modulator's ISN, the scale a SYN negotiates,
 * and src's seqlo and seqhi set from it. 1 when bytes changed. */
static int
track_first(struct pfm *pf, struct pfm_pd *pd, struct pfm_peer *src,
    struct pfm_peer *dst, struct tcp_seg *g)
{
	uint32_t w;
	int rw = 0;

	if (dst->seqdiff && !src->seqdiff) {
		/* deferred modulator: a random ISN for the responder too */
		while ((src->seqdiff = pfm_random(pf) - g->seq) == 0)
			;
		g->ack = pd->ack - dst->seqdiff;
		set32(pd, pd->off + 4, g->seq + src->seqdiff);
		set32(pd, pd->off + 8, g->ack);
		rw = 1;
	} else
		g->ack = pd->ack;
	first_from_end(src, dst, pd, &g->win, g->seq, &g->end, &g->sws, &g->dws);
	if (pd->tcp_flags & TH_FIN)
		g->end++;
	src->seqlo = g->seq;
	if (src->state < PFM_TCPS_SYN_SENT)
		src->state = PFM_TCPS_SYN_SENT;
	/* may need to slide the window (seqhi set by a crappy stack check) */
	w = (uint32_t)dst->max_win << g->dws;
	if (src->seqhi == 1 || SEQ_GEQ(g->end + (w > 1 ? w : 1), src->seqhi))
		src->seqhi = g->end + (w > 1 ? w : 1);
	if (g->win > src->max_win)
		src->max_win = (uint16_t)g->win;
	return (rw);
}

/* A later packet from src: modulated seq and ack rewritten, its span computed. 1 when
 * bytes changed. */
static int
track_next(struct pfm_pd *pd, const struct pfm_peer *src, const struct pfm_peer *dst,
    struct tcp_seg *g)
{
	int rw = 0;

	g->ack = pd->ack - dst->seqdiff;
	if (src->seqdiff) {
		/* modulate: the sender's seq shifted, its ack shifted back */
		set32(pd, pd->off + 4, g->seq + src->seqdiff);
		set32(pd, pd->off + 8, g->ack);
		rw = 1;
	}
	g->end = g->seq + pd->p_len;
	if (pd->tcp_flags & TH_SYN)
		g->end++;
	if (pd->tcp_flags & TH_FIN)
		g->end++;
	return (rw);
}

/* pf_tcp_track_full's strict test: the packet inside src's window, its ack within a
 * window of what dst sent, and a reset exactly (or +-1) on seqlo. 14 asks the last
 * of every RST: older releases' `(pd->flags & PFDESC_IP_REAS) == 0` escape, which
 * let any in-window RST of a packet pf had not reassembled through, is gone. */
static int
in_window(const struct pfm_pd *pd, const struct pfm_peer *src,
    const struct pfm_peer *dst, const struct tcp_seg *g, uint32_t orig_seq)
{
	int32_t ackskew = (int32_t)(dst->seqlo - g->ack);

	return (SEQ_GEQ(src->seqhi, g->end) &&
	    /* last octet inside the other's window space */
	    SEQ_GEQ(g->seq, src->seqlo - ((uint32_t)dst->max_win << g->dws)) &&
	    /* retransmission: not more than one window back */
	    ackskew >= -MAXACKWINDOW &&
	    /* acking not more than one reassembled fragment backwards */
	    ackskew <= (MAXACKWINDOW << g->sws) &&
	    /* acking not more than one window forward */
	    ((pd->tcp_flags & TH_RST) == 0 || orig_seq == src->seqlo ||
	    orig_seq == src->seqlo + 1 || orig_seq + 1 == src->seqlo));
}

/* pf_tcp_track_full's last branch: PF_DROP, state-mismatch. While both peers are
 * SYN_SENT (the handshake) pf also answers the sender with a RST (pfm_test sends it,
 * see test_state) and forgets what it learnt of the sender, so that its next
 * segment is taken as its first. */
static int
bad_state(struct pfm_state *s, struct pfm_peer *src, enum pfm_res *reason)
{
	if (s->src.state == PFM_TCPS_SYN_SENT && s->dst.state == PFM_TCPS_SYN_SENT) {
		src->seqlo = 0;
		src->seqhi = 1;
		src->max_win = 1;
	}
	*reason = PFM_RES_BADSTATE;
	return (-1);
}

/* pf_tcp_track_full (pf_tcp_track_sloppy for a sloppy rule's state): PF_PASS (0, 1
 * with bytes rewritten) or PF_DROP (-1, *reason set). src is the peer that sent the
 * packet. */
int
pfm_tcp_track(struct pfm *pf, struct pfm_state *s, struct pfm_pd *pd,
    struct pfm_peer *src, struct pfm_peer *dst, enum pfm_res *reason)
{
	struct tcp_seg g;
	uint32_t orig_seq;
	uint8_t f = pd->tcp_flags;
	int rw;

	if (s->rule != NULL && s->rule->sloppy)	/* nothing modulated */
		return (update_states(pf, s, src, dst, pd, 1, reason));
	g.win = pd->win;
	if (src->wscale && dst->wscale && !(f & TH_SYN)) {
		g.sws = src->wscale & PFM_WSCALE_MASK;
		g.dws = dst->wscale & PFM_WSCALE_MASK;
	} else
		g.sws = g.dws = 0;

	orig_seq = g.seq = pd->seq;
	if (src->seqlo == 0)	/* first packet from this end: set its state */
		rw = track_first(pf, pd, src, dst, &g);
	else
		rw = track_next(pd, src, dst, &g);
	if ((f & TH_ACK) == 0)
		g.ack = dst->seqlo;	/* let it pass the ack skew check */
	else if ((g.ack == 0 && (f & (TH_ACK | TH_RST)) == (TH_ACK | TH_RST)) ||
	    dst->state < PFM_TCPS_SYN_SENT)
		g.ack = dst->seqlo;	/* broken stacks do not set ack */
	if (g.seq == g.end) {
		/* ease sequencing restrictions on no data packets */
		g.seq = src->seqlo;
		g.end = g.seq;
	}
	if (dst->seqdiff && pd->thoff > 20 && modulate_sack(pd, dst))
		rw = 1;

	if (in_window(pd, src, dst, &g, orig_seq)) {
		slide(src, dst, g.win, g.sws, g.ack, g.end);
		if (update_states(pf, s, src, dst, pd, 0, reason) == -1)
			return (-1);
		return (rw);
	}
	if ((dst->state < PFM_TCPS_SYN_SENT || dst->state >= PFM_TCPS_FIN_WAIT_2 ||
	    src->state >= PFM_TCPS_FIN_WAIT_2) &&
	    SEQ_GEQ(src->seqhi + MAXACKWINDOW, g.end) &&
	    /* within a window forward of the originating packet */
	    SEQ_GEQ(g.seq, src->seqlo - MAXACKWINDOW)) {
		/* within a window backward: shotgunned SYNs, streams picked up
		 * mid-way, funny packets right after a close; no new expiry */
		slide(src, dst, g.win, g.sws, g.ack, g.end);
		if (f & TH_FIN && src->state < PFM_TCPS_CLOSING)
			src->state = PFM_TCPS_CLOSING;
		if (f & TH_RST)
			src->state = dst->state = PFM_TCPS_TIME_WAIT;
		return (rw);
	}
	return (bad_state(s, src, reason));
}
