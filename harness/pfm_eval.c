/* pfm_eval.c: pf_test for the model: set skip, scrub, state lookup (TCP/UDP/ICMP and
 * ICMP errors via their quote), translation, last-match filtering, state creation,
 * block return replies, counters. No allocation on the state-hit path. */
#include <arpa/inet.h>
#include <string.h>

#include "pfm_impl.h"

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PUSH	0x08
#define TH_ACK	0x10
#define TH_URG	0x20

#define SAVE_MAX	256	/* bytes of the original packet kept for undo/reply */

struct pfm_ctx {
	struct pfm_pd	pd;
	uint8_t		save[SAVE_MAX];
	size_t		nsave;
};

static void
verdict_reset(struct pfm_verdict *v)
{
	v->action = PFM_PASS;
	v->skipped = v->state_hit = v->state_created = v->rewritten = 0;
	v->trans = v->filter = NULL;
	v->state = NULL;
	v->reason = pfm_res_name[PFM_RES_MATCH];
	v->reply_len = 0;
	v->nemit = 0;
	v->reass = NULL;
	v->reass_len = 0;
	v->tag = 0;
}

static void
count(struct pfm *pf, const struct pfm_pd *pd, enum pfm_action a)
{
	pf->pcounters[pd->af == 6][pd->dir == PFM_OUT][a == PFM_DROP]++;
	if (a == PFM_PASS)
		pf->bcounters[pd->af == 6][pd->dir == PFM_OUT] += pd->tot_len;
}

static int
drop(struct pfm *pf, const struct pfm_pd *pd, struct pfm_verdict *v, enum pfm_res r)
{
	pf->counters[r]++;
	v->action = PFM_DROP;
	v->reason = pfm_res_name[r];
	count(pf, pd, PFM_DROP);
	return (0);
}

static void
rule_count(struct pfm_rule *r, const struct pfm_pd *pd)
{
	if (r == NULL)
		return;
	r->packets[pd->dir == PFM_OUT]++;
	r->bytes[pd->dir == PFM_OUT] += pd->tot_len;
}

/* What every rule looks at, taken from the packet once: IPv4 addresses as words,
 * dir/af/proto as one word, ports in host order (0x10000: the packet has none to
 * match, a fragment or not TCP/UDP), the interface as a bit. */
struct pfm_pkey {
	uint64_t	kbit;
	uint32_t	s4, d4, dap;
	uint32_t	sp, dp;
	uint16_t	sslow, dslow;	/* PFM_CR_* bits sending an address to caddr */
};

static void
pkey_init(const struct pfm_pd *pd, struct pfm_pkey *k)
{
	int ports = !pd->frag && pd->proto != 1 && pd->proto != 58;

	k->kbit = (uint64_t)1 << pd->kif;
	k->s4 = k->d4 = 0;
	k->sslow = pd->af == 4 ? PFM_CR_SSLOW4 : PFM_CR_SSLOW4 | PFM_CR_SSLOW6;
	k->dslow = pd->af == 4 ? PFM_CR_DSLOW4 : PFM_CR_DSLOW4 | PFM_CR_DSLOW6;
	if (pd->af == 4) {
		memcpy(&k->s4, pd->pkt + pd->src_off, 4);
		memcpy(&k->d4, pd->pkt + pd->dst_off, 4);
	}
	k->dap = (uint32_t)(pd->dir + 1) << 16 | (uint32_t)pd->af << 8 | pd->proto;
	k->sp = ports && pd->sport_off ? ntohs(pd->sport) : 0x10000;
	k->dp = ports && pd->dport_off ? ntohs(pd->dport) : 0x10000;
}

/* pf_match_port as a range test: p in [lo, lo + span], negated by neg. */
static inline int
port_miss(uint32_t p, uint16_t lo, uint16_t span, int neg)
{
	return (p > 0xffff || ((uint32_t)(p - lo) <= span) == neg);
}

/* Skip step f of rule i: when it is the next rule (skip1), i + 1 is known without
 * waiting for the load of skip[f], so the walk does not stall rule after rule. */
static inline int
skip_to(const struct pfm_crule *c, int i, int f)
{
	if (c->skip1 & (1u << f))
		return (i + 1);
	return (c->skip[f]);
}

/* The packet against one compiled rule, with skip steps: the next index to look at,
 * or -1 when the rule matches. IPv4 addresses and ports are compared inline from
 * the rule's first cache line; other addresses go through pfm_match_caddr. */
static inline int
rule_step(const struct pfm_crule *c, int i, const struct pfm_pd *pd,
    const struct pfm_pkey *k)
{
	uint32_t x;

	if (!(c->ifmask & k->kbit))
		return (skip_to(c, i, PFM_SKIP_IFP));
	if ((x = (k->dap & c->dap_mask) ^ c->dap_want) != 0)
		return (skip_to(c, i, x & 0xff0000 ? PFM_SKIP_DIR : x & 0xff00 ?
		    PFM_SKIP_AF : PFM_SKIP_PROTO));
	if (!(c->hot & k->sslow) ? (k->s4 & c->src_m4) != c->src_a4 :
	    !c->src_any && !pfm_match_caddr(&c->src, pd->pkt + pd->src_off, pd->af))
		return (skip_to(c, i, PFM_SKIP_SRC_ADDR));
	if ((c->hot & PFM_CR_SPORT) &&
	    port_miss(k->sp, c->sp_lo, c->sp_span, (c->hot & PFM_CR_SNEG) != 0))
		return (skip_to(c, i, PFM_SKIP_SRC_PORT));
	if (!(c->hot & k->dslow) ? (k->d4 & c->dst_m4) != c->dst_a4 :
	    !c->dst_any && !pfm_match_caddr(&c->dst, pd->pkt + pd->dst_off, pd->af))
		return (skip_to(c, i, PFM_SKIP_DST_ADDR));
	if ((c->hot & PFM_CR_DPORT) &&
	    port_miss(k->dp, c->dp_lo, c->dp_span, (c->hot & PFM_CR_DNEG) != 0))
		return (skip_to(c, i, PFM_SKIP_DST_PORT));
	if (!(c->hot & PFM_CR_EXTRA))
		return (-1);
	if (pd->frag && (c->flagset || c->type || c->code))
		return (i + 1);
	if (pd->proto == 6 && (c->flagset & pd->tcp_flags) != c->flags)
		return (i + 1);
	if (c->type && (pd->proto != 1 && pd->proto != 58 ? 1 :
	    c->type != pd->icmp_type + 1))
		return (i + 1);
	if (c->code && c->code != pd->icmp_code + 1)
		return (i + 1);
	return (-1);
}

/* The DSCP/TOS byte a tos rule compares, ECN bits off (pd->tos in pf_setup_pdesc:
 * ip_tos & ~IPTOS_ECN_MASK, IPV6_DSCP for IPv6). */
static inline uint8_t
pkt_tos(const struct pfm_pd *pd)
{
	const uint8_t *p = pd->pkt;

	return ((uint8_t)((pd->af == 4 ? p[1] : (p[0] << 4 | p[1] >> 4)) & 0xfc));
}

/* pf_test_rule's checks after the flags, in its order, for a rule whose other fields
 * matched (c->more set): 1 the rule matches. *tag is pf_test_rule's tag so far (-1:
 * none yet), which a `tagged` rule compares as pf_match_tag does: the packet's own tag
 * until a matching rule with `tag` set one. */
static int
rule_more(struct pfm *pf, const struct pfm_crule *c, const struct pfm_pd *pd, int *tag)
{
	if (c->tos && c->tos != pkt_tos(pd))
		return (0);
	if (c->fragment && !pd->frag)
		return (0);	/* PFRULE_FRAGMENT: fragments only */
	if (c->prio)
		return (0);	/* pf_match_ieee8021q_pcp: the packet has no 802.1Q tag */
	if (c->prob && c->prob <= pfm_random(pf))
		return (0);
	if (c->match_tag) {
		if (*tag == -1)
			*tag = pd->tag;
		if ((c->match_tag == *tag) == c->match_tag_not)
			return (0);
	}
	return (1);
}

/* Last match, `quick` of the match so far stops; match rules only count. Anchor
 * rules that match are stepped into: their rules are evaluated in place, a quick
 * rule inside ends the walk, and so does a quick anchor rule one of whose rules
 * matched (pf_test_rule). */
static struct pfm_crule *
filter(struct pfm *pf, const struct pfm_pd *pd, int *tag)
{
	struct pfm_clist *cl = &pf->list[PFM_L_FILTER];
	struct pfm_crule *c, *rm = NULL, *am = NULL, *a = NULL;
	struct pfm_astack as;
	struct pfm_pkey k;
	int i = 0, n, match = 0, done = 0;

	as.depth = 0;
	pkey_init(pd, &k);
	while (!done) {
		while (i < cl->n) {
			c = &cl->r[i];
			cl->evaluations[i]++;
			if ((n = rule_step(c, i, pd, &k)) != -1) {
				i = n;
				continue;
			}
			if (c->more && !rule_more(pf, c, pd, tag)) {
				i++;
				continue;
			}
			if (c->tag)
				*tag = c->tag;	/* match and anchor rules tag too */
			if (c->r->anchor != NULL) {
				if (as.depth == 0)
					a = c;	/* the main ruleset's anchor rule */
				pfm_anchor_step_in(pf, &as, PFM_L_FILTER, &cl, &i, &match);
				continue;
			}
			if (c->action == PFM_R_MATCH)
				rule_count(c->r, pd);
			else {
				rm = c;
				am = as.depth > 0 ? a : NULL;
				match = 1;
			}
			if (rm != NULL && rm->r->quick)
				goto out;
			i++;
		}
		if (pfm_anchor_step_out(pf, &as, PFM_L_FILTER, &cl, &i, &match, &done))
			break;
	}
out:
	if (am != NULL)
		rule_count(am->r, pd);	/* pf counts the anchor rule of the match */
	return (rm);
}

/* pf_normalize_ip's and pf_normalize_ip6's walk of the scrub rules: interface,
 * direction, address family, protocol (not for IPv6, whose header chain pf does not
 * follow there) and addresses only; ports, TCP flags and ICMP types are looked at
 * by pf_normalize_tcp alone. Skip steps stay valid: each field skipped here is one
 * that no rule is skipped on. */
static int
scrub_ip_step(const struct pfm_crule *c, int i, const struct pfm_pd *pd,
    const struct pfm_pkey *k)
{
	uint32_t mask = pd->af == 6 ? c->dap_mask & ~(uint32_t)0xff : c->dap_mask;
	uint32_t x;

	if (!(c->ifmask & k->kbit))
		return (skip_to(c, i, PFM_SKIP_IFP));
	if ((x = (k->dap & mask) ^ (c->dap_want & mask)) != 0)
		return (skip_to(c, i, x & 0xff0000 ? PFM_SKIP_DIR : x & 0xff00 ?
		    PFM_SKIP_AF : PFM_SKIP_PROTO));
	if (!(c->hot & k->sslow) ? (k->s4 & c->src_m4) != c->src_a4 :
	    !c->src_any && !pfm_match_caddr(&c->src, pd->pkt + pd->src_off, pd->af))
		return (i + 1);
	if (!(c->hot & k->dslow) ? (k->d4 & c->dst_m4) != c->dst_a4 :
	    !c->dst_any && !pfm_match_caddr(&c->dst, pd->pkt + pd->dst_off, pd->af))
		return (i + 1);
	return (-1);
}

/* The first scrub rule matching pd at the IP level (`no scrub` too), counted as
 * pf_normalize_ip counts it; NULL: none. */
static const struct pfm_rule *
scrub_match(struct pfm *pf, const struct pfm_pd *pd)
{
	struct pfm_clist *cl = &pf->list[PFM_L_SCRUB];
	struct pfm_pkey k;
	int i = 0, n;

	pkey_init(pd, &k);
	while (i < cl->n) {
		cl->evaluations[i]++;
		if ((n = scrub_ip_step(&cl->r[i], i, pd, &k)) == -1) {
			if (cl->r[i].action != PFM_R_NOSCRUB)
				rule_count(cl->r[i].r, pd);
			return (cl->r[i].r);
		}
		i = n;
	}
	return (NULL);
}

/* pf_normalize_tcp, which pf_test calls for TCP segments that are not fragments
 * only: a second walk of the scrub rules, ports included, that counts the rule
 * again. With scrub rules loaded, only a segment that a scrub rule (not `no scrub`)
 * matches is normalised, and IPv4 then gets PFDESC_IP_REAS; without any scrub rule
 * FreeBSD 14 normalises every segment ("just like in OpenBSD"). Normalising: SYN+RST,
 * SYN+FIN, flagless segments and FIN/PSH/URG without ACK are dropped, the reserved
 * bits cleared, a stale urgent pointer removed, an MSS above the rule's max-mss
 * lowered. 0 pass, -1 drop. */
static int
scrub(struct pfm *pf, struct pfm_pd *pd)
{
	struct pfm_clist *cl = &pf->list[PFM_L_SCRUB];
	struct pfm_crule *c = NULL;
	uint8_t *th, f;
	struct pfm_pkey k;
	int i = 0, n;

	if (pd->proto != 6 || pd->frag)
		return (0);
	if (cl->n > 0) {
		pkey_init(pd, &k);
		while (i < cl->n) {
			c = &cl->r[i];
			cl->evaluations[i]++;
			if ((n = rule_step(c, i, pd, &k)) == -1)
				break;
			i = n;
			c = NULL;
		}
		if (c == NULL || c->action == PFM_R_NOSCRUB)
			return (0);
		rule_count(c->r, pd);
		if (pd->af == 4)
			pd->reas = 1;
	}
	th = pd->pkt + pd->off;
	f = pd->tcp_flags;
	if (f & TH_SYN) {
		/* FreeBSD 14's pf_normalize_tcp drops SYN+FIN (OpenBSD strips the
		 * FIN, and PF-REFERENCE says so; 14's source is followed here) */
		if (f & (TH_RST | TH_FIN))
			return (-1);
	} else if (!(f & (TH_ACK | TH_RST)))
		return (-1);
	if (!(f & TH_ACK) && (f & (TH_FIN | TH_PUSH | TH_URG)))
		return (-1);
	/* tcp_get_flags' 12 bits: RES1 or RES2 set (pf tests TH_RES2 twice, never
	 * TH_RES3) clears RES1..RES3; AE, CWR and ECE are flags and stay */
	if (th[12] & 0x0c)
		pfm_pkt_set_byte16(pd->pkt, pd->off + 12,
		    (uint16_t)(pfm_get16(th + 12) & ~0x0e00), pd->sum_off, 0);
	if (!(f & TH_URG) && pfm_get16(th + 18) != 0)
		pfm_pkt_set_byte16(pd->pkt, pd->off + 18, 0, pd->sum_off, 0);
	if (c != NULL)
		pfm_frag_scrub_tcp(pd, c->r);
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

static void
state_count(struct pfm_state *s, const struct pfm_pd *pd)
{
	int d = pd->dir == s->direction ? 0 : 1;

	s->packets[d]++;
	s->bytes[d] += pd->tot_len;
	rule_count((struct pfm_rule *)(uintptr_t)s->rule, pd);
	rule_count((struct pfm_rule *)(uintptr_t)s->nat_rule, pd);
}

/* A state for a TCP/UDP/ICMP/other packet: 1 handled (v filled), 0 none (rules). */
static int
test_state(struct pfm *pf, struct pfm_pd *pd, struct pfm_verdict *v)
{
	struct pfm_skey key;
	struct pfm_state *s;
	struct pfm_peer *src, *dst;
	enum pfm_res res = PFM_RES_MATCH;
	int sidx = pd->dir == PFM_IN ? 0 : 1, rw = 0;

	pfm_key_from_pd(pd, &key, sidx);
	s = pfm_state_find(pf, &key, pd->dir == PFM_IN ? PFM_SK_WIRE : PFM_SK_STACK,
	    pd->kif);
	if (s == NULL)
		return (0);
	src = s->direction == pd->dir ? &s->src : &s->dst;
	dst = s->direction == pd->dir ? &s->dst : &s->src;
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
			return (drop(pf, pd, v, res) + 1);
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
	s->expire_ms = pf->now_ms;
	if (pd->badopts && (s->rule == NULL || !s->rule->allow_opts)) {
		/* pf_test: IP options pass only with the state's rule's allow-opts */
		v->state_hit = 1;
		v->state = s;
		v->trans = s->nat_rule;
		v->filter = s->rule;
		return (drop(pf, pd, v, PFM_RES_IPOPTIONS) + 1);
	}
	if (s->tagged)
		pd->tag = s->tag;	/* pf_test re-applies the state's tag */
	v->tag = pd->tag;
	v->rewritten = rw;	/* modulated sequence numbers */
	if (!s->wkey.both)
		v->rewritten |= pfm_nat_apply(pd, PFM_SKEY(s, pd->dir == PFM_IN ?
		    PFM_SK_STACK : PFM_SK_WIRE), sidx);
	state_count(s, pd);
	v->state_hit = 1;
	v->state = s;
	v->trans = s->nat_rule;
	v->filter = s->rule;
	count(pf, pd, PFM_PASS);
	return (1);
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
		nc = pfm_cksum_fixup(oc, o, nv, 1);
		pfm_put16(p + pc, nc);
		pfm_put16(p + pd->sum_off, pfm_cksum_fixup(pfm_get16(p + pd->sum_off),
		    oc, nc, 0));
	}
	if (h2c != 0) {
		oc = pfm_get16(p + h2c);
		nc = pfm_cksum_fixup(oc, o, nv, 0);
		pfm_put16(p + h2c, nc);
		pfm_put16(p + pd->sum_off, pfm_cksum_fixup(pfm_get16(p + pd->sum_off),
		    oc, nc, 0));
	}
	pfm_put16(p + pd->sum_off, pfm_cksum_fixup(pfm_get16(p + pd->sum_off), o, nv, 0));
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
 * 1 handled, 0 no state (the rules decide, no state is created). */
static int
test_icmp_error(struct pfm *pf, struct pfm_pd *pd, struct pfm_verdict *v)
{
	struct pfm_pd pd2;
	struct pfm_skey key;
	struct pfm_state *s;
	const struct pfm_skey *nk;
	struct pfm_peer *src, *dst;
	int sidx2 = pd->dir == PFM_IN ? 1 : 0, alen = pd->af == 4 ? 4 : 16;
	uint32_t seq;
	uint16_t dws;

	if (pfm_pkt_parse_quote(pd, &pd2) == -1 || pd2.af != pd->af)
		return (0);
	pfm_key_from_pd(&pd2, &key, sidx2);
	s = pfm_state_find(pf, &key, pd->dir == PFM_IN ? PFM_SK_WIRE : PFM_SK_STACK,
	    pd->kif);
	if (s == NULL)
		return (0);
	v->state_hit = 1;
	v->state = s;
	v->trans = s->nat_rule;
	v->filter = s->rule;
	if (pd2.proto == 6) {
		src = pd->dir == s->direction ? &s->dst : &s->src;
		dst = pd->dir == s->direction ? &s->src : &s->dst;
		dws = src->wscale && dst->wscale ? dst->wscale & PFM_WSCALE_MASK : 0;
		seq = pd2.seq - src->seqdiff;	/* demodulate the quoted seq */
		if (src->seqdiff) {
			quote_word(pd, pd2.off + 4, (uint16_t)(seq >> 16), 0, 0, 0);
			quote_word(pd, pd2.off + 6, (uint16_t)seq, 0, 0, 0);
			v->rewritten = 1;
		}
		if ((int32_t)(src->seqhi - seq) < 0 ||
		    (int32_t)(seq - (src->seqlo - ((uint32_t)dst->max_win << dws))) < 0)
			return (drop(pf, pd, v, PFM_RES_BADSTATE) + 1);
	}
	if (!s->wkey.both) {
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
	if (pd->badopts && (s->rule == NULL || !s->rule->allow_opts))
		return (drop(pf, pd, v, PFM_RES_IPOPTIONS) + 1);
	if (s->tagged)
		pd->tag = s->tag;
	v->tag = pd->tag;
	state_count(s, pd);
	count(pf, pd, PFM_PASS);
	return (1);
}

static int
create_state(struct pfm *pf, struct pfm_pd *pd, struct pfm_crule *rm,
    struct pfm_rule *nr, const struct pfm_skey *skw, const struct pfm_skey *sks,
    int tag, struct pfm_verdict *v)
{
	struct pfm_rule *r = rm != NULL ? rm->r : NULL;
	struct pfm_state *s;
	struct pfm_srcref ref;
	enum pfm_res res;

	if (r != NULL && r->max_states && r->states_cur >= r->max_states) {
		pf->lcounters[0]++;
		return (PFM_RES_MAXSTATES);
	}
	/* source nodes (max-src-*, source-track, sticky-address) before the state */
	if ((res = pfm_src_track(pf, pd, r, nr, skw, sks, &ref)) != PFM_RES_MATCH)
		return (res);
	if (pf->st.count >= pf->limit_states)
		return (pfm_src_undo(pf, &ref, PFM_RES_MAXSTATES));
	if ((s = pfm_state_alloc(pf)) == NULL)
		return (pfm_src_undo(pf, &ref, PFM_RES_MEMORY));
	if (nr != NULL) {
		s->wkey = *skw;
		s->skey = *sks;
	} else {
		pfm_key_from_pd(pd, &s->wkey, pd->dir == PFM_IN ? 0 : 1);
		s->wkey.both = 1;
	}
	s->rule = r;
	s->nat_rule = nr;
	s->direction = pd->dir;
	s->orig_kif = pd->kif;
	/* BOUND_IFACE(r, kif): the rule's own flag (pfctl gives a keep state rule the
	 * state-policy unless it says if-bound or floating); the default rule a nat/rdr
	 * pass state gets is floating */
	s->kif = r != NULL && r->if_bound ? pd->kif : PFM_KIF_ALL;
	s->tag = tag > 0 ? (uint16_t)tag : 0;
	s->tagged = s->tag != 0;
	s->expire_ms = pf->now_ms;
	switch (pd->proto) {
	case 6:
		v->rewritten |= pfm_tcp_state_init(pf, s, pd);
		break;
	case 17:
		s->src.state = PFM_UDPS_SINGLE;
		s->timeout = PFM_TM_UDP_FIRST;
		break;
	case 1:
	case 58:
		s->timeout = PFM_TM_ICMP_FIRST;
		break;
	default:
		s->src.state = PFM_UDPS_SINGLE;
		s->timeout = PFM_TM_OTHER_FIRST;
		break;
	}
	if (pfm_state_insert(pf, s) == -1)
		return (pfm_src_undo(pf, &ref, PFM_RES_STATEINS));
	pfm_src_bind(pf, s, &ref);
	s->packets[0] = 1;
	s->bytes[0] = pd->tot_len;
	v->state = s;
	v->state_created = 1;
	if (pd->proto == 6 && r != NULL && r->keep == PFM_KEEP_SYNPROXY &&
	    (pd->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN) {
		/* pf answers the SYN itself; the caller undoes NAT on the packet */
		pfm_synproxy_start(pf, s, pd, v);
		return (PFM_RES_SYNPROXY);
	}
	return (PFM_RES_MATCH);
}

/* What pf_test counts as IP options (FreeBSD 14): an IPv4 header longer than 20
 * bytes; for IPv6 a routing header met before any fragment header (pf_test6's
 * rh_cnt). 0 none, 1 options (dropped unless allow-opts), -1 a type 0 or a second
 * routing header, which pf drops whatever the rules say. */
static int
ip_opts(const struct pfm_pd *pd)
{
	const uint8_t *p = pd->pkt;
	size_t off = 40, hl;
	uint8_t nxt;
	int rh = 0;

	if (pd->af == 4)
		return ((p[0] & 0x0f) > 5);
	for (nxt = p[6]; off + 8 <= pd->len; off += hl) {
		switch (nxt) {
		case 43:	/* routing */
			if (rh++ > 0 || p[off + 2] == 0)
				return (-1);
			/* FALLTHROUGH */
		case 0:		/* hop-by-hop */
		case 60:	/* destination options */
		case 51:	/* AH */
			hl = nxt == 51 ? ((size_t)p[off + 1] + 2) * 4 :
			    ((size_t)p[off + 1] + 1) * 8;
			nxt = p[off];
			break;
		default:	/* fragment (pf_test_fragment), or the payload */
			return (rh > 0);
		}
	}
	return (rh > 0);
}

static void
undo(struct pfm_ctx *cx, struct pfm_verdict *v)
{
	memcpy(cx->pd.pkt, cx->save, cx->nsave);
	v->rewritten = 0;
}

/* pf_test_rule: translation (first match), then the filter on the translated packet,
 * then the state. */
static int
test_rule(struct pfm *pf, struct pfm_ctx *cx, struct pfm_verdict *v)
{
	struct pfm_pd *pd = &cx->pd;
	struct pfm_skey skw, sks;
	struct pfm_rule *nr = NULL, *r;
	struct pfm_crule *rm = NULL;
	enum pfm_res res = PFM_RES_MATCH;
	enum pfm_block how;
	int tag = -1;	/* pf_test_rule's tag: -1 none so far */

	cx->nsave = pd->len < SAVE_MAX ? pd->len : SAVE_MAX;
	memcpy(cx->save, pd->pkt, cx->nsave);
	if (!pd->icmp_err && !pd->frag) {
		nr = pfm_nat_match(pf, pd, &skw, &sks, &res);
		if (res != PFM_RES_MATCH) {
			v->trans = nr;
			return (drop(pf, pd, v, res));
		}
		if (nr != NULL) {
			v->trans = nr;
			v->rewritten = pfm_nat_apply(pd, pd->dir == PFM_IN ? &sks : &skw,
			    pd->dir == PFM_IN ? 0 : 1);
		}
	}
	if (nr == NULL || !nr->pass_trans)
		rm = filter(pf, pd, &tag);
	r = rm != NULL ? rm->r : NULL;
	v->filter = r;
	pf->counters[PFM_RES_MATCH]++;
	if (r != NULL && r->action == PFM_R_BLOCK) {
		rule_count(r, pd);
		undo(cx, v);
		how = r->block == PFM_BLOCK_DEFAULT ? pf->block_policy : r->block;
		if (how != PFM_BLOCK_DROP)
			v->reply_len = pfm_reply_build(cx->save, cx->nsave, pd, r, how,
			    v->reply, sizeof(v->reply));
		v->action = PFM_DROP;
		count(pf, pd, PFM_DROP);
		return (0);
	}
	if (tag > 0)
		pd->tag = (uint16_t)tag;	/* pf_tag_packet */
	if (!pd->icmp_err && !pd->frag &&
	    ((r != NULL && r->keep != PFM_KEEP_NONE) || nr != NULL)) {
		res = create_state(pf, pd, rm, nr, &skw, &sks, tag, v);
		if (res == PFM_RES_SYNPROXY) {
			undo(cx, v);
			return (0);
		}
		if (res != PFM_RES_MATCH) {
			undo(cx, v);
			return (drop(pf, pd, v, res));
		}
	}
	if (pd->badopts && (r == NULL || !r->allow_opts)) {
		/* pf_test: a passed packet with IP options (IPv6: a routing header)
		 * is dropped unless the deciding rule has allow-opts; a state just
		 * made stays */
		undo(cx, v);
		return (drop(pf, pd, v, PFM_RES_IPOPTIONS));
	}
	/* pf_test: the state's tag, else the deciding rule's */
	if (v->state_created && v->state->tag)
		pd->tag = v->state->tag;
	else if (!v->state_created && rm != NULL && rm->tag)
		pd->tag = rm->tag;
	v->tag = pd->tag;
	rule_count(r, pd);
	rule_count(nr, pd);
	count(pf, pd, PFM_PASS);
	return (0);
}

int
pfm_test(struct pfm *pf, enum pfm_dir dir, const char *ifname, uint8_t *pkt, size_t len,
    uint64_t now_ms, struct pfm_verdict *v)
{
	struct pfm_ctx cx;
	enum pfm_res res;
	int kif;

	verdict_reset(v);
	if (!pf->clock_set) {
		pf->since_ms = now_ms;
		pf->clock_set = 1;
	}
	pf->now_ms = now_ms;
	kif = pfm_if_index(pf, ifname);
	if (pf->ifskip >> kif & 1) {
		v->skipped = 1;
		return (0);
	}
	if (pfm_pkt_parse(&cx.pd, pkt, len, &res) == -1) {
		pf->counters[res]++;
		v->action = PFM_DROP;
		v->reason = pfm_res_name[res];
		return (-1);
	}
	cx.pd.dir = dir;
	cx.pd.kif = (uint16_t)kif;
	if (pf->list[PFM_L_SCRUB].n > 0 || cx.pd.frag || pf->reass_opt ||
	    (cx.pd.af == 6 && pkt[6] == 44)) {
		/* pf_normalize_ip/ip6: checks, scrub options, reassembly (pfm_frag.c) */
		switch (pfm_frag_normalize(pf, &cx.pd, pf->list[PFM_L_SCRUB].n > 0 ?
		    scrub_match(pf, &cx.pd) : NULL, pf->list[PFM_L_SCRUB].n > 0, &res)) {
		case PFM_FRAG_HELD:
			v->action = PFM_HELD;
			return (0);
		case PFM_FRAG_DROP:
			return (drop(pf, &cx.pd, v, res));
		case PFM_FRAG_DONE:
			v->reass = cx.pd.pkt;
			v->reass_len = cx.pd.len;
			break;
		default:
			break;
		}
	}
	if (scrub(pf, &cx.pd) == -1)
		return (drop(pf, &cx.pd, v, PFM_RES_NORM));
	switch (ip_opts(&cx.pd)) {
	case -1:
		return (drop(pf, &cx.pd, v, PFM_RES_IPOPTIONS));
	case 1:
		cx.pd.badopts = 1;
		break;
	}
	if (cx.pd.frag) {
		/* IP-level rules only, no state (pf_test_fragment) */
		return (test_rule(pf, &cx, v));
	}
	if (cx.pd.icmp_err) {
		if (test_icmp_error(pf, &cx.pd, v))
			return (0);
		return (test_rule(pf, &cx, v));
	}
	if (test_state(pf, &cx.pd, v))
		return (0);
	return (test_rule(pf, &cx, v));
}
