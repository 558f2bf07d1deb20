/* pfm_hit.c: pf_test's packets of an existing state (pf_test_state_tcp, _udp, _icmp,
 * _other): the state looked up, its peers tracked, the packet translated back and
 * counted; and ICMP errors, whose quote is looked up as a packet of the other
 * direction (pf_test_state_icmp's error branch). No allocation here: this is the
 * path most packets take. pf_route, which may test the packet again, stays with
 * pf_test (pfm_eval.c), which calls these. */
#include <string.h>

#include "base/cksum.h"
#include "pfm_impl.h"

void
pfm_count_act(struct pfm *pf, const struct pfm_pd *pd, enum pfm_action a)
{
	pf->pcounters[pd->af == 6][pd->dir == PFM_OUT][a == PFM_DROP]++;
	if (a == PFM_PASS)
		pf->bcounters[pd->af == 6][pd->dir == PFM_OUT] += pd->tot_len;
}

int
pfm_drop(struct pfm *pf, const struct pfm_pd *pd, struct pfm_verdict *v, enum pfm_res r)
{
	pf->counters[r]++;
	v->action = PFM_DROP;
	v->reason = pfm_res_name[r];
	pfm_count_act(pf, pd, PFM_DROP);
	return (0);
}

static void
udp_update(struct pfm_state *s, struct pfm_peer *src, struct pfm_peer *dst, int udp)
{
	if (src->state < PFM_UDPS_SINGLE)
		src->state = PFM_UDPS_SINGLE;
	if (dst->state == PFM_UDPS_SINGLE)
		dst->state = PFM_UDPS_MULTIPLE;
	if (src->state == PFM_UDPS_MULTIPLE && dst->state == PFM_UDPS_MULTIPLE)
		s->timeout = udp ? PFM_TM_UDP_MULTIPLE : PFM_TM_OTHER_MULTIPLE;
	else
		s->timeout = udp ? PFM_TM_UDP_SINGLE : PFM_TM_OTHER_SINGLE;
}

/* pf_test's counters for a packet that passed through state s: the state's rule
 * (r = s->rule), its anchor rule (a = s->anchor), its translation rule, the state. */
static void
state_count(struct pfm *pf, struct pfm_state *s, const struct pfm_pd *pd)
{
	int d = pd->dir == s->direction ? 0 : 1;

	if (s->cold & PFM_SC_SRC)
		pfm_src_count_pkt(pf, s, pd);	/* s->src_node, s->nat_src_node */
	s->packets[d]++;
	s->bytes[d] += pd->tot_len;
	pfm_rule_count((struct pfm_rule *)(uintptr_t)s->rule, pd);
	if (s->cold & PFM_SC_ANCHOR)
		pfm_rule_count((struct pfm_rule *)(uintptr_t)s->anchor, pd);
	if (s->nat_rule != NULL || (s->cold & PFM_SC_MATCH))	/* its nat, match rules */
		pfm15_count_state(s, pd);
	pfm_table_count(pf, pd, s->rule, s->nat_rule, s);
}

/* pf_tcp_track_full's "BAD state" during the handshake (both peers SYN_SENT): pf
 * answers the segment's sender with a RST (seq = the segment's ack, as the tracker
 * left it; no ACK flag), from the addresses the segment shows before translation,
 * never filtered itself. A RST gets none. */
static void
handshake_rst(const struct pfm_state *s, const struct pfm_pd *pd,
    struct pfm_verdict *v)
{
	struct pfm_emit *e;

	if (s->src.state != PFM_TCPS_SYN_SENT || s->dst.state != PFM_TCPS_SYN_SENT ||
	    (pd->tcp_flags & TH_RST) || v->nemit == PFM_EMIT_MAX)
		return;
	e = &v->emit[v->nemit];
	e->to = PFM_EMIT_BACK;
	e->skip = 1;
	e->len = pfm_tcp_build(e->pkt, sizeof(e->pkt), pd->af, pd->pkt + pd->dst_off,
	    pd->pkt + pd->src_off, pd->dport, pd->sport,
	    pfm_get32(pd->pkt + pd->off + 8), 0, TH_RST, 0, 0,
	    s->rule != NULL ? (uint8_t)s->rule->return_ttl : 0);
	if (e->len > 0)
		v->nemit++;
}

int
pfm_hit_state(struct pfm *pf, struct pfm_pd *pd, struct pfm_verdict *v)
{
	struct pfm_skey key;
	struct pfm_state *s;
	struct pfm_peer *src, *dst;
	enum pfm_res res = PFM_RES_MATCH;
	int sidx = pd->dir == PFM_IN ? 0 : 1, rw = 0, rev = 0;

	pfm_key_from_pd(pd, &key, sidx);
	s = pfm_state_find(pf, &key, pd->dir == PFM_IN ? PFM_SK_WIRE : PFM_SK_STACK,
	    pd->kif);
	if (s == NULL && (s = pfm_afto_find(pf, pd, &key)) != NULL)
		rev = 1;	/* an af-to reply: it comes from the state's far side */
	if (s == NULL)
		return (0);
	src = s->direction == pd->dir && !rev ? &s->src : &s->dst;
	dst = s->direction == pd->dir && !rev ? &s->dst : &s->src;
	switch (pd->proto) {
	case 6:
		if (s->src.state >= PFM_TCPS_PROXY_SRC && pfm_synproxy(pf, s, pd, v))
			return (1);
		if ((pd->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN &&
		    dst->state >= PFM_TCPS_FIN_WAIT_2 &&
		    src->state >= PFM_TCPS_FIN_WAIT_2) {
			/* state reuse: the old one goes, the rules decide */
			src->state = dst->state = PFM_TCPS_CLOSED;
			pfm_state_unlink(pf, s);
			return (0);
		}
		if ((rw = pfm_tcp_track(pf, s, pd, src, dst, &res)) == -1) {
			v->state_hit = 1;
			v->state = s;
			v->trans = s->nat_rule;
			v->filter = s->rule;
			if (res == PFM_RES_BADSTATE)
				handshake_rst(s, pd, v);
			return (pfm_drop(pf, pd, v, res) + 1);
		}
		break;
	case 17:
		udp_update(s, src, dst, 1);
		break;
	case 1:
	case 58:
		s->timeout = PFM_TM_ICMP_ERROR;
		break;
	default:
		udp_update(s, src, dst, 0);
		break;
	}
	if (pd->proto != 6)	/* TCP's tracker refreshed it, or not */
		s->expire_ms = pf->now_ms;
	if (pd->badopts && (s->rule == NULL || !s->rule->allow_opts) &&
	    !(s->cold & PFM_SC_OPTS)) {
		/* pf_test: IP options pass only with the state's rule's allow-opts */
		v->state_hit = 1;
		v->state = s;
		v->trans = s->nat_rule;
		v->filter = s->rule;
		return (pfm_drop(pf, pd, v, PFM_RES_IPOPTIONS) + 1);
	}
	if ((s->cold & PFM_SC_MAXPKT) && pfm15_too_long(pd, s->max_pkt)) {
		v->state_hit = 1;
		v->state = s;
		v->trans = s->nat_rule;
		v->filter = s->rule;
		return (pfm_drop(pf, pd, v, PFM_RES_NORM) + 1);
	}
	if (s->cold & PFM_SC_TAG)
		pd->tag = s->tag;	/* pf_test re-applies the state's tag */
	v->tag = pd->tag;
	v->rewritten = rw;	/* modulated sequence numbers */
	if (pfm_afto_state(s)) {
		/* af-to: rebuilt in the other key's family (pf_test_state, PF_AFRT),
		 * or passed as it is (pfm_afto.c says which) */
		if (pfm_afto_pass(pf, pd, s, v) == -1) {
			v->state_hit = 1;
			v->state = s;
			v->trans = s->nat_rule;
			v->filter = s->rule;
			return (pfm_drop(pf, pd, v, PFM_RES_MAPFAILED) + 1);
		}
	} else if (!s->wkey.both)
		v->rewritten |= pfm_nat_apply(pd, PFM_SKEY(s, pd->dir == PFM_IN ?
		    PFM_SK_STACK : PFM_SK_WIRE), sidx);
	state_count(pf, s, pd);
	v->state_hit = 1;
	v->state = s;
	v->trans = s->nat_rule;
	v->filter = s->rule;
	pfm_count_act(pf, pd, PFM_PASS);
	pfm_frag_act_pass(pf, pd, s, v);	/* pf_scrub_ip, pf_normalize_mss */
	return (2);	/* the caller routes it (pf_route) */
}

/* Rewrite one 16-bit word inside an ICMP error's quote, keeping the quoted IPv4
 * header checksum (h2c) and the ICMP checksum right; pc: the quoted UDP checksum. */
static void
quote_word(struct pfm_pd *pd, size_t at, uint16_t nv, size_t h2c, size_t pc, int fix_pc)
{
	uint8_t *p = pd->pkt;
	uint16_t o = pfm_get16(p + at), oc, nc;

	if (o == nv)
		return;
	if (fix_pc && pc != 0) {
		oc = pfm_get16(p + pc);
		nc = cksum_fixup16(oc, o, nv, 1);
		pfm_put16(p + pc, nc);
		pfm_put16(p + pd->sum_off, cksum_fixup16(pfm_get16(p + pd->sum_off),
		    oc, nc, 0));
	}
	if (h2c != 0) {
		oc = pfm_get16(p + h2c);
		nc = cksum_fixup16(oc, o, nv, 0);
		pfm_put16(p + h2c, nc);
		pfm_put16(p + pd->sum_off, cksum_fixup16(pfm_get16(p + pd->sum_off),
		    oc, nc, 0));
	}
	pfm_put16(p + pd->sum_off, cksum_fixup16(pfm_get16(p + pd->sum_off), o, nv, 0));
	pfm_put16(p + at, nv);
}

/* pf_change_icmp: the quoted address (and port) become na/np, and so does the outer
 * address oa that names the same host. */
static void
change_icmp(struct pfm_pd *pd, struct pfm_pd *pd2, size_t ia, size_t ip,
    size_t oa, const uint8_t *na, uint16_t np)
{
	int i, n = pd->af == 4 ? 2 : 8;

	if (ip != 0)
		quote_word(pd, ip, pfm_get16((const uint8_t *)&np), 0, pd2->sum_off, 1);
	for (i = 0; i < n; i++)
		quote_word(pd, ia + 2 * i, pfm_get16(na + 2 * i), pd2->ipsum_off, 0, 0);
	pfm_pkt_set_addr(pd->pkt, oa, na, pd->af, pd->ipsum_off,
	    pd->sum_pseudo ? pd->sum_off : 0, 0);
}

/* An ICMP error: its quote is looked up as a packet of the opposite direction.
 * 1 handled, 0 no state (the rules decide, no state is created). As in
 * pf_test_state_icmp, a quote pf cannot use (cut short, a non-first fragment) or one
 * whose source is not the error's destination bumps its counter and is left to the
 * rules without a lookup. */
int
pfm_hit_icmp_error(struct pfm *pf, struct pfm_pd *pd, struct pfm_verdict *v)
{
	struct pfm_pd pd2;
	struct pfm_skey key;
	struct pfm_state *s;
	const struct pfm_skey *nk;
	struct pfm_peer *src, *dst;
	int sidx2 = pd->dir == PFM_IN ? 1 : 0, alen = pd->af == 4 ? 4 : 16, rc, rev = 0;
	uint32_t seq;
	uint16_t dws;

	if ((rc = pfm_pkt_parse_quote(pd, &pd2)) == -1)
		return (0);
	if (pd2.src_off != 0 &&
	    memcmp(pd->pkt + pd->dst_off, pd->pkt + pd2.src_off, alen) != 0)
		rc = PFM_RES_BADSTATE;	/* "BAD ICMP outer dst" */
	if (rc != PFM_RES_MATCH) {
		pf->counters[rc]++;
		return (0);
	}
	pfm_key_from_pd(&pd2, &key, sidx2);
	s = pfm_state_find(pf, &key, pd->dir == PFM_IN ? PFM_SK_WIRE : PFM_SK_STACK,
	    pd->kif);
	if (s == NULL && (s = pfm_afto_find(pf, pd, &key)) != NULL)
		rev = 1;	/* PF_REVERSED_KEY: about a packet af-to translated */
	if (s == NULL)
		return (0);
	v->state_hit = 1;
	v->state = s;
	v->trans = s->nat_rule;
	v->filter = s->rule;
	if (pd2.proto == 6) {
		src = (pd->dir == s->direction) != rev ? &s->dst : &s->src;
		dst = (pd->dir == s->direction) != rev ? &s->src : &s->dst;
		dws = src->wscale && dst->wscale ? dst->wscale & PFM_WSCALE_MASK : 0;
		seq = pd2.seq - src->seqdiff;	/* demodulate the quoted seq */
		if (src->seqdiff) {
			quote_word(pd, pd2.off + 4, (uint16_t)(seq >> 16), 0, 0, 0);
			quote_word(pd, pd2.off + 6, (uint16_t)seq, 0, 0, 0);
			v->rewritten = 1;
		}
		/* a sloppy state (PFSTATE_SLOPPY) has no windows to check */
		if ((s->rule == NULL || !s->rule->sloppy) &&
		    ((int32_t)(src->seqhi - seq) < 0 ||
		    (int32_t)(seq - (src->seqlo - ((uint32_t)dst->max_win << dws))) < 0))
			return (pfm_drop(pf, pd, v, PFM_RES_BADSTATE) + 1);
	}
	if (pfm_afto_state(s) && pfm_afto_icmp(pf, pd, &pd2, s, v) == -1)
		return (pfm_drop(pf, pd, v, PFM_RES_MATCH) + 1);	/* pf: no reason set */
	if (!s->wkey.both && !pfm_afto_state(s)) {
		nk = PFM_SKEY(s, pd->dir == PFM_IN ? PFM_SK_STACK : PFM_SK_WIRE);
		if (memcmp(pd->pkt + pd2.src_off, nk->addr[sidx2], alen) != 0 ||
		    (pd2.sport_off && pd2.sport != nk->port[sidx2])) {
			change_icmp(pd, &pd2, pd2.src_off, pd2.sport_off, pd->dst_off,
			    nk->addr[sidx2], nk->port[sidx2]);
			v->rewritten = 1;
		}
		if (memcmp(pd->pkt + pd2.dst_off, nk->addr[!sidx2], alen) != 0 ||
		    (pd2.dport_off && pd2.dport_off != pd2.sport_off &&
		    pd2.dport != nk->port[!sidx2])) {
			change_icmp(pd, &pd2, pd2.dst_off, pd2.dport_off != pd2.sport_off ?
			    pd2.dport_off : 0, pd->src_off, nk->addr[!sidx2],
			    nk->port[!sidx2]);
			v->rewritten = 1;
		}
	}
	if (pd->badopts && (s->rule == NULL || !s->rule->allow_opts) &&
	    !(s->cold & PFM_SC_OPTS))
		return (pfm_drop(pf, pd, v, PFM_RES_IPOPTIONS) + 1);
	if ((s->cold & PFM_SC_MAXPKT) && pfm15_too_long(pd, s->max_pkt))
		return (pfm_drop(pf, pd, v, PFM_RES_NORM) + 1);
	if (s->cold & PFM_SC_TAG)
		pd->tag = s->tag;
	v->tag = pd->tag;
	state_count(pf, s, pd);
	pfm_count_act(pf, pd, PFM_PASS);
	pfm_frag_act_pass(pf, pd, s, v);
	return (2);	/* the caller routes it (pf_route) */
}
