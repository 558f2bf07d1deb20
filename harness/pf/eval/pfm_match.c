/* pfm_match.c: which rule a packet matches: the filter rules walked as pf_test_rule
 * walks them (skip steps, last match, quick, anchors), and the scrub rules with what
 * they do to a packet (pf_normalize_ip/ip6 and pf_normalize_tcp's rule half). */
#include <arpa/inet.h>
#include <string.h>

#include "pfm_impl.h"

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
	if (c->r->expired)
		return (0);	/* FreeBSD 15: a once rule that decided a packet */
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
	/* received-on (pf_match_rcvif, FreeBSD 14 pf.c, after tagged): the interface
	 * the packet came in on, or one of its groups; a packet the host sends has
	 * none, so only `! received-on` matches it. The model's host forwards nothing:
	 * a packet tested `in` was received there, one tested `out` was not received. */
	if (c->rcv && (pd->dir == PFM_IN && (c->rcvmask >> pd->kif & 1)) ==
	    (c->r->rcvifnot != 0))
		return (0);
	/* FreeBSD 15's max-pkt-rate, pf_match_rule's last check (pfm_fb15.c) */
	if (c->r->max_pkt_rate[0] && pfm15_pkt_rate(c->r, pf->now_ms))
		return (0);
	return (1);
}

/* Last match, `quick` of the match so far stops; match rules only count (and under
 * FreeBSD 15, x not NULL, translate and add their options: pfm15_match; a failed
 * translation ends the walk with no rule). Anchor rules that match are stepped
 * into: their rules are evaluated in place, a quick rule inside ends the walk, and
 * so does a quick anchor rule one of whose rules matched (pf_test_rule). The anchor
 * rule of the match is the caller's to count: pf_test counts it with the rule, and
 * only when it counts the rule.
 * FreeBSD 15 (quick15) walks anchors by recursion (pf_match_rule calls
 * pf_step_into_anchor, which calls pf_match_rule on the anchor's ruleset), and its
 * pf_match_rule sets the walk's status to PF_TEST_QUICK as it steps into a quick
 * anchor rule, before the anchor's rules are evaluated; every ruleset's walk returns
 * that status, and a caller whose pf_step_into_anchor does not return PF_TEST_OK
 * stops. So once the walk entered a quick anchor it ends where the first anchor
 * ruleset ends, the quick one's or one nested in it (a wildcard's first child),
 * whether a rule inside matched or not: a nested anchor no longer clears the
 * quick (anchor.sh quick_nested), and an empty quick anchor ends the walk at once.
 * A wildcard anchor with no child is the exception: its pf_step_into_anchor
 * returns PF_TEST_OK whatever the status, so the walk goes on after it (and ends
 * at the next anchor ruleset's end, the status being quick).
 * Read: pf_match_rule, pf_step_into_anchor in the HardenedBSD-src mirror of main
 * at 07f6ef0 (FreeBSD review D50579). 14 keeps pfm_anchor.c's stack walk, where
 * the quick of an anchor whose rules did not match (a nested anchor stepped into
 * resets the match) is lost. */
struct pfm_crule *
pfm_filter(struct pfm *pf, struct pfm_pd *pd, int *tag, struct pfm_rule **amp,
    struct pfm_act15 *x)
{
	struct pfm_clist *cl = &pf->list[PFM_L_FILTER];
	struct pfm_crule *c, *rm = NULL, *am = NULL, *a = NULL;
	struct pfm_astack as;
	struct pfm_pkey k;
	int i = 0, n, match = 0, done = 0, quick15 = 0;

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
				/* pf_step_into_anchor: `a` is the anchor rule stepped
				 * into from the main ruleset (depth 0) */
				if (as.depth == 0)
					a = c;
				n = as.depth;
				pfm_anchor_step_in(pf, &as, PFM_L_FILTER, &cl, &i, &match);
				if (x != NULL && c->r->quick) {
					quick15 = 1;
					if (as.depth == n)
						goto out;	/* 15: empty, quick */
				}
				continue;
			}
			if (c->action == PFM_R_MATCH) {
				if (x != NULL) {
					if ((n = pfm15_match(pf, pd, c->r, x)) == -1) {
						rm = am = NULL;
						goto out;
					}
					if (n == 1)
						pkey_init(pd, &k);	/* translated */
				}
				/* pf_test_rule (14 and 15): a match rule's
				 * pf_rule_to_actions, its scrub options among them */
				pfm_frag_act_add(&pd->act, c->r);
				/* 14 counts it now; 15 when the packet is decided, on
				 * x's list (pfm_count15.c) */
				if (x == NULL)
					pfm_rule_count(c->r, pd);
			} else {
				/* pf_test_rule: *rm = r; *am = a (pf_step_out_of_anchor
				 * cleared a back at depth 0) */
				rm = c;
				am = as.depth > 0 ? a : NULL;
				match = 1;
			}
			if (rm != NULL && rm->r->quick)
				goto out;
			i++;
		}
		/* 15: the end of an anchor's rules after a quick one ends the walk;
		 * a wildcard with no child returns PF_TEST_OK: the walk goes on */
		if (quick15 && as.depth > 0 && (as.f[as.depth - 1].child != NULL ||
		    !as.f[as.depth - 1].cl->r[as.f[as.depth - 1].i].r->anchor_wildcard))
			break;
		if (pfm_anchor_step_out(pf, &as, PFM_L_FILTER, &cl, &i, &match, &done))
			break;
	}
out:
	*amp = am != NULL ? am->r : NULL;
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
const struct pfm_rule *
pfm_scrub_match(struct pfm *pf, const struct pfm_pd *pd)
{
	struct pfm_clist *cl = &pf->list[PFM_L_SCRUB];
	struct pfm_pkey k;
	int i = 0, n;

	pkey_init(pd, &k);
	while (i < cl->n) {
		cl->evaluations[i]++;
		if ((n = scrub_ip_step(&cl->r[i], i, pd, &k)) == -1) {
			if (cl->r[i].action != PFM_R_NOSCRUB)
				pfm_rule_count(cl->r[i].r, pd);
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
 * bits cleared, a stale urgent pointer removed; the rule's options join pd->act
 * (FreeBSD 14 lowers the MSS in pf_test, after the verdict). 0 pass, -1 drop. */
int
pfm_scrub(struct pfm *pf, struct pfm_pd *pd)
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
		pfm_rule_count(c->r, pd);
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
	/* pf_normalize_tcp: pf_rule_to_actions(rm, &pd->act); the max-mss is
	 * applied after the verdict (pfm_frag_act_pass) */
	if (c != NULL)
		pfm_frag_act_add(&pd->act, c->r);
	return (0);
}

void
pfm_rule_count(struct pfm_rule *r, const struct pfm_pd *pd)
{
	if (r == NULL)
		return;
	r->packets[pd->dir == PFM_OUT]++;
	r->bytes[pd->dir == PFM_OUT] += pd->tot_len;
}
