/* pfm_tcp.c: TCP sequence tracking as pf_tcp_track_full does it: per peer seqlo,
 * seqhi, max_win and window scale; peer states and the timeout class they select. */
#include <stdint.h>

#include "pfm_impl.h"

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_ACK	0x10

#define SEQ_LT(a, b)	((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b)	((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b)	((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b)	((int32_t)((a) - (b)) >= 0)

#define MAXACKWINDOW	(0xffff + 1500)
#define TCP_MAXWIN	65535
#define TCP_MAX_WINSHIFT 14

/* The window scale option of a SYN, PFM_WSCALE_FLAG set when present. */
uint8_t
pfm_tcp_wscale(const struct pfm_pd *pd)
{
	const uint8_t *opt = pd->pkt + pd->off + 20;
	int olen = pd->thoff - 20, wscale = 0, i = 0;

	if (!(pd->tcp_flags & TH_SYN))
		return (0);
	while (i < olen) {
		if (opt[i] == 0)
			break;
		if (opt[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= olen || opt[i + 1] < 2 || i + opt[i + 1] > olen)
			break;
		if (opt[i] == 3 && opt[i + 1] >= 3) {
			wscale = opt[i + 2];
			if (wscale > TCP_MAX_WINSHIFT)
				wscale = TCP_MAX_WINSHIFT;
			wscale |= PFM_WSCALE_FLAG;
		}
		i += opt[i + 1];
	}
	return ((uint8_t)wscale);
}

/* pf_create_state's TCP part: the creating side is SYN_SENT, the other CLOSED. */
void
pfm_tcp_state_init(struct pfm_state *s, const struct pfm_pd *pd)
{
	uint32_t win;

	s->src.seqlo = pd->seq;
	s->src.seqhi = pd->seq + pd->p_len + 1;
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
				/* fix the other window; in case of a retransmitted SYN|ACK */
				uint32_t w = (uint32_t)dst->max_win <<
				    (dst->wscale & PFM_WSCALE_MASK);
				dst->max_win = w > TCP_MAXWIN ? TCP_MAXWIN : (uint16_t)w;
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

static void
update_states(struct pfm_state *s, struct pfm_peer *src, struct pfm_peer *dst,
    const struct pfm_pd *pd)
{
	uint8_t f = pd->tcp_flags;

	if (f & TH_SYN && src->state < PFM_TCPS_SYN_SENT)
		src->state = PFM_TCPS_SYN_SENT;
	if (f & TH_FIN && src->state < PFM_TCPS_CLOSING)
		src->state = PFM_TCPS_CLOSING;
	if (f & TH_ACK) {
		if (dst->state == PFM_TCPS_SYN_SENT) {
			dst->state = PFM_TCPS_ESTABLISHED;
			if (src->state == PFM_TCPS_ESTABLISHED)
				s->timeout = PFM_TM_TCP_ESTABLISHED;
		} else if (dst->state == PFM_TCPS_CLOSING)
			dst->state = PFM_TCPS_FIN_WAIT_2;
	}
	if (f & TH_RST)
		src->state = dst->state = PFM_TCPS_TIME_WAIT;

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

/* pf_tcp_track_full: PF_PASS (0) or PF_DROP (-1, reason state-mismatch). src is the
 * peer that sent the packet. */
int
pfm_tcp_track(struct pfm *pf, struct pfm_state *s, struct pfm_pd *pd,
    struct pfm_peer *src, struct pfm_peer *dst, enum pfm_res *reason)
{
	uint32_t seq, orig_seq, ack, end, data_end, win = pd->win;
	int32_t ackskew;
	uint16_t sws, dws;
	uint8_t f = pd->tcp_flags;

	(void)pf;
	if (src->wscale && dst->wscale && !(f & TH_SYN)) {
		sws = src->wscale & PFM_WSCALE_MASK;
		dws = dst->wscale & PFM_WSCALE_MASK;
	} else
		sws = dws = 0;

	orig_seq = seq = pd->seq;
	if (src->seqlo == 0) {
		/* first packet from this end: set its state */
		first_from_end(src, dst, pd, &win, seq, &end, &sws, &dws);
		data_end = end;
		if (f & TH_FIN)
			end++;
		src->seqlo = seq;
		if (src->state < PFM_TCPS_SYN_SENT)
			src->state = PFM_TCPS_SYN_SENT;
		/* may need to slide the window (seqhi set by a crappy stack check) */
		{
			uint32_t w = dst->max_win << dws;

			if (src->seqhi == 1 || SEQ_GEQ(end + (w > 1 ? w : 1), src->seqhi))
				src->seqhi = end + (w > 1 ? w : 1);
		}
		if (win > src->max_win)
			src->max_win = (uint16_t)win;
	} else {
		end = seq + pd->p_len;
		if (f & TH_SYN)
			end++;
		data_end = end;
		if (f & TH_FIN)
			end++;
	}
	ack = pd->ack;
	if ((f & TH_ACK) == 0)
		ack = dst->seqlo;	/* let it pass the ack skew check */
	else if ((ack == 0 && (f & (TH_ACK | TH_RST)) == (TH_ACK | TH_RST)) ||
	    dst->state < PFM_TCPS_SYN_SENT)
		ack = dst->seqlo;	/* broken stacks do not set ack */
	if (seq == end) {
		/* ease sequencing restrictions on no data packets */
		seq = src->seqlo;
		data_end = end = seq;
	}
	ackskew = (int32_t)(dst->seqlo - ack);

	if (SEQ_GEQ(src->seqhi, data_end) &&
	    /* last octet inside the other's window space */
	    SEQ_GEQ(seq, src->seqlo - ((uint32_t)dst->max_win << dws)) &&
	    /* retransmission: not more than one window back */
	    ackskew >= -MAXACKWINDOW &&
	    /* acking not more than one reassembled fragment backwards */
	    ackskew <= (MAXACKWINDOW << sws) &&
	    /* acking not more than one window forward */
	    ((f & TH_RST) == 0 || orig_seq == src->seqlo ||
	    orig_seq == src->seqlo + 1 || orig_seq + 1 == src->seqlo ||
	    !pd->reas)) {
		/* require an exact (+-1) sequence match on resets when possible */
		slide(src, dst, win, sws, ack, end);
		update_states(s, src, dst, pd);
		return (0);
	}
	if ((dst->state < PFM_TCPS_SYN_SENT || dst->state >= PFM_TCPS_FIN_WAIT_2 ||
	    src->state >= PFM_TCPS_FIN_WAIT_2) &&
	    SEQ_GEQ(src->seqhi + MAXACKWINDOW, data_end) &&
	    /* within a window forward of the originating packet */
	    SEQ_GEQ(seq, src->seqlo - MAXACKWINDOW)) {
		/* within a window backward: shotgunned SYNs, streams picked up
		 * mid-way, funny packets right after a close */
		slide(src, dst, win, sws, ack, end);
		if (f & TH_FIN && src->state < PFM_TCPS_CLOSING)
			src->state = PFM_TCPS_CLOSING;
		if (f & TH_RST)
			src->state = dst->state = PFM_TCPS_TIME_WAIT;
		return (0);
	}
	*reason = PFM_RES_BADSTATE;
	return (-1);
}
