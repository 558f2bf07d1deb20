/* pfm_synproxy.c: `synproxy state` as pf_create_state and pf_synproxy do it: pf
 * completes the client's handshake itself, then opens the connection to the server
 * with the client's ISN and MSS, and from then on translates sequence numbers between
 * the two handshakes (seqdiff, pfm_tcp.c). */
/*
 * The packets (pf_send_tcp; "back" is towards the sender of the packet under test):
 *   client SYN, state created     -> back:   SYN|ACK, pf's ISN, win 0, MSS     (skips pf)
 *   PROXY_SRC: same SYN again     -> back:   the same SYN|ACK again            (skips pf)
 *   client ACK of it (PROXY_DST)  -> onward: SYN, the client's ISN, win 0, MSS (through pf)
 *   server SYN|ACK                -> back:   ACK to the server, client's window (through pf)
 *                                    onward: ACK to the client, server's window (skips pf)
 * Everything else in the proxy states is dropped with reason synproxy. The packet under
 * test never goes on while the state is a proxy. The SYN to the server and the ACK to
 * it leave through ip_output, so pf sees them on their way (FreeBSD passes them no
 * M_SKIP_FIREWALL), unless the server is the host itself (a jail's address): then
 * pf_intr hands them to ip_input with M_SKIP_FIREWALL (pf_isforlocal), and pf does not
 * see them again (FreeBSD 14 sys/netpfil/pf/pf.c, pf_intr; tests/sys/netpfil/pf/
 * synproxy.sh local, local_v6).
 */
#include <string.h>

#include "pfm_impl.h"

#define TCP_MSSDFLT	536		/* net.inet.tcp.mssdflt */
#define MTU_LOOPBACK	16384		/* lo0: where a route to a local address goes */
#define MTU_ETHER	1500		/* anything else (the model knows no MTU) */

/* 1 when a is an address of one of the host's interfaces. */
static int
is_local(const struct pfm *pf, const uint8_t *a, int af)
{
	const struct pfm_ifaddr *ia;
	int i, j, n = af == 4 ? 4 : 16;

	for (i = 0; i < pf->host.niface; i++)
		for (j = 0; j < pf->host.iface[i].naddr; j++) {
			ia = &pf->host.iface[i].addr[j];
			if (pfm_af46(ia->af) == af && memcmp(ia->addr, a, n) == 0)
				return (1);
		}
	return (0);
}

/* pf_calc_mss: the offer bounded by the MTU of the route to addr (never below
 * mssdflt for the route, never below 64 in all). Routes to the host's own addresses
 * go over lo0; the model takes every other route as Ethernet's 1500. */
static uint16_t
calc_mss(const struct pfm *pf, const uint8_t *addr, int af, uint16_t offer)
{
	int mtu = is_local(pf, addr, af) ? MTU_LOOPBACK : MTU_ETHER;
	int mss = mtu - (af == 4 ? 20 : 40) - 20;

	if (mss < TCP_MSSDFLT)
		mss = TCP_MSSDFLT;
	if (mss > offer)
		mss = offer;
	if (mss < 64)
		mss = 64;
	return ((uint16_t)mss);
}

/* Queue one segment pf sends; dropped silently (as a failed m_gethdr) when the
 * verdict has no room left, which the callers never cause. */
static void
emit(struct pfm_verdict *v, enum pfm_emit_to to, int skip, int af, const uint8_t *src,
    const uint8_t *dst, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
    uint8_t flags, uint16_t win, uint16_t mss)
{
	struct pfm_emit *e;

	if (v->nemit == PFM_EMIT_MAX)
		return;
	e = &v->emit[v->nemit];
	e->to = to;
	e->skip = skip;
	e->len = pfm_tcp_build(e->pkt, sizeof(e->pkt), af, src, dst, sport, dport, seq,
	    ack, flags, win, mss, 0);
	if (e->len > 0)
		v->nemit++;
}

/* The packet goes no further, counted under res; the rules are not charged. */
static int
refused(struct pfm *pf, const struct pfm_pd *pd, struct pfm_state *s,
    struct pfm_verdict *v, enum pfm_res res)
{
	pf->counters[res]++;
	pf->pcounters[pd->af == 6][pd->dir == PFM_OUT][1]++;
	v->action = PFM_DROP;
	v->reason = pfm_res_name[res];
	v->state_hit = 1;
	v->state = s;
	v->trans = s->nat_rule;
	v->filter = s->rule;
	return (1);
}

/* The packet is consumed: PF_DROP (`sent` 0) or PF_SYNPROXY_DROP (pf answered it).
 * Either way the synproxy counter goes up. */
static int
consumed(struct pfm *pf, const struct pfm_pd *pd, struct pfm_state *s,
    struct pfm_verdict *v)
{
	return (refused(pf, pd, s, v, PFM_RES_SYNPROXY));
}

/* The SYN|ACK to the client, from the address it sent its SYN to. k: the key the
 * client's packets show (wire when the state was made inbound), sidx its side. */
static void
send_synack(struct pfm_state *s, const struct pfm_skey *k, int sidx,
    struct pfm_verdict *v)
{
	emit(v, PFM_EMIT_BACK, 1, k->af, k->addr[!sidx], k->addr[sidx], k->port[!sidx],
	    k->port[sidx], s->src.seqhi, s->src.seqlo + 1, TH_SYN | TH_ACK, 0, s->mss);
}

void
pfm_synproxy_start(struct pfm *pf, struct pfm_state *s, const struct pfm_pd *pd,
    struct pfm_verdict *v)
{
	int in = pd->dir == PFM_IN, sidx = in ? 0 : 1;
	const struct pfm_skey *k = PFM_ST_KEY(s, in ? PFM_SK_WIRE : PFM_SK_STACK);
	uint16_t mss;

	/* pf_undo_nat: the answer comes from the address the client wrote */
	s->src.state = PFM_TCPS_PROXY_SRC;
	s->src.seqhi = pfm_random(pf);
	mss = pfm_tcp_mss(pd);
	mss = calc_mss(pf, k->addr[sidx], k->af, mss);
	mss = calc_mss(pf, k->addr[!sidx], k->af, mss);
	s->mss = mss;
	s->packets[0] = 0;	/* PF_SYNPROXY_DROP: pf_counters_inc charges nothing */
	s->bytes[0] = 0;
	send_synack(s, k, sidx, v);
	pf->counters[PFM_RES_SYNPROXY]++;
	pf->pcounters[pd->af == 6][pd->dir == PFM_OUT][1]++;
	v->action = PFM_DROP;
	v->reason = pfm_res_name[PFM_RES_SYNPROXY];
}

/* PROXY_DST: the client's ACK (again) sends the SYN to the server; the server's
 * SYN|ACK completes both ends. */
static int
proxy_dst(struct pfm *pf, struct pfm_state *s, const struct pfm_pd *pd,
    struct pfm_verdict *v)
{
	/* pf's sk = state->key[pd->didx]: the key on the far side of the translation */
	int sidx = pd->dir == PFM_IN ? 0 : 1, didx = !sidx;
	const struct pfm_skey *sk = PFM_ST_KEY(s, didx);
	const uint8_t *psrc = pd->pkt + pd->src_off, *pdst = pd->pkt + pd->dst_off;
	uint8_t f = pd->tcp_flags;

	if (pd->dir == s->direction) {
		if ((f & (TH_SYN | TH_ACK)) != TH_ACK || pd->ack != s->src.seqhi + 1 ||
		    pd->seq != s->src.seqlo + 1)
			return (consumed(pf, pd, s, v));
		s->src.max_win = pd->win > 1 ? pd->win : 1;
		if (s->dst.seqhi == 1)
			s->dst.seqhi = pfm_random(pf);
		emit(v, PFM_EMIT_ONWARD, is_local(pf, sk->addr[didx], sk->af), sk->af,
		    sk->addr[sidx], sk->addr[didx], sk->port[sidx], sk->port[didx],
		    s->dst.seqhi, 0, TH_SYN, 0, s->mss);
		return (consumed(pf, pd, s, v));
	}
	if ((f & (TH_SYN | TH_ACK)) != (TH_SYN | TH_ACK) || pd->ack != s->dst.seqhi + 1)
		return (consumed(pf, pd, s, v));
	s->dst.max_win = pd->win > 1 ? pd->win : 1;
	s->dst.seqlo = pd->seq;
	/* the server's handshake ends: its SYN|ACK acked on the client's behalf */
	emit(v, PFM_EMIT_BACK, is_local(pf, psrc, pd->af), pd->af, pdst, psrc, pd->dport,
	    pd->sport, pd->ack, pd->seq + 1, TH_ACK, s->src.max_win, 0);
	/* the client learns the server's window */
	emit(v, PFM_EMIT_ONWARD, 1, sk->af, sk->addr[sidx], sk->addr[didx],
	    sk->port[sidx], sk->port[didx], s->src.seqhi + 1, s->src.seqlo + 1, TH_ACK,
	    s->dst.max_win, 0);
	s->src.seqdiff = s->dst.seqhi - s->src.seqlo;
	s->dst.seqdiff = s->src.seqhi - s->dst.seqlo;
	s->src.seqhi = s->src.seqlo + s->dst.max_win;
	s->dst.seqhi = s->dst.seqlo + s->src.max_win;
	s->src.wscale = s->dst.wscale = 0;
	s->src.state = s->dst.state = PFM_TCPS_ESTABLISHED;
	return (consumed(pf, pd, s, v));
}

int
pfm_synproxy(struct pfm *pf, struct pfm_state *s, const struct pfm_pd *pd,
    struct pfm_verdict *v)
{
	int sidx = pd->dir == PFM_IN ? 0 : 1;
	uint8_t f = pd->tcp_flags;

	if (s->src.state == PFM_TCPS_PROXY_SRC) {
		if (pd->dir != s->direction)
			return (consumed(pf, pd, s, v));
		if (f & TH_SYN) {
			/* a retransmitted SYN gets the same SYN|ACK; another ISN nothing */
			if (pd->seq == s->src.seqlo)
				send_synack(s, PFM_ST_KEY(s, sidx ? PFM_SK_STACK :
				    PFM_SK_WIRE), sidx, v);
			return (consumed(pf, pd, s, v));
		}
		if ((f & (TH_ACK | TH_RST | TH_FIN)) != TH_ACK ||
		    pd->ack != s->src.seqhi + 1 || pd->seq != s->src.seqlo + 1)
			return (consumed(pf, pd, s, v));
		/* the client completed the handshake with pf: pf_src_connlimit counts
		 * it here (max-src-conn, overload) before the server is asked */
		if (pfm_state_connlimit(pf, s))
			return (refused(pf, pd, s, v, PFM_RES_SRCLIMIT));
		s->src.state = PFM_TCPS_PROXY_DST;
	}
	if (s->src.state == PFM_TCPS_PROXY_DST)
		return (proxy_dst(pf, s, pd, v));
	return (0);
}
