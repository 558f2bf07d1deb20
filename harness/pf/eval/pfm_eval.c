/* pfm_eval.c: pf_test for the model: set skip, scrub, the state lookup (pfm_hit.c
 * holds the state-hit path and ICMP errors through their quote), translation,
 * filtering (the rule walks are in pfm_match.c), state creation, block return
 * replies, pf_route, counters. No allocation on the state-hit path. */
#include <arpa/inet.h>
#include <string.h>

#include "base/cksum.h"
#include "pfm_impl.h"

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
	v->eth = NULL;
	v->state = NULL;
	v->reason = pfm_res_name[PFM_RES_MATCH];
	v->reply_len = 0;
	v->nemit = 0;
	v->reass = NULL;
	v->reass_len = 0;
	v->afto = NULL;
	v->afto_len = 0;
	v->tag = 0;
	v->route = PFM_ROUTE_NONE;
	v->rt_ifname[0] = '\0';
	memset(v->rt_addr, 0, sizeof(v->rt_addr));
}

/* pf_route (FreeBSD 14 pf.c), for a packet pf passed: the state's route (s->rt,
 * rt_addr, rt_kif, chosen by pf_map_addr when it was made) or, with no state, the
 * rule's, chosen now. dup-to: a copy leaves by the route, the packet goes on.
 * route-to routes the packets of the state's (the rule's) direction, reply-to those
 * of the other one: the packet leaves by rt_kif to rt_addr (its own destination
 * when that is zero), tested `out` on rt_kif first when it came in; a drop there
 * drops it. The model sends nothing: the verdict says so (v->route). pf's copy of a
 * dup-to packet that came in is tested `out` too; the model's is not. */
static void
route(struct pfm *pf, struct pfm_pd *pd, const struct pfm_state *s, struct pfm_rule *r,
    struct pfm_verdict *v)
{
	struct pfm_verdict v2;
	uint8_t addr[16];
	const char *ifn = NULL;
	int rt, same_dir, entry;

	if (v->action != PFM_PASS)
		return;
	memset(addr, 0, sizeof(addr));
	if (s != NULL) {
		if (!(s->cold & PFM_SC_ROUTE))
			return;
		rt = s->rt;
		same_dir = s->direction == pd->dir;
		memcpy(addr, s->rt_addr, sizeof(addr));
		if (s->rt_kif != PFM_KIF_ALL)
			ifn = pf->ifn[s->rt_kif];
	} else {
		if (r == NULL || r->rt == PFM_RT_NONE)
			return;
		rt = r->rt;
		same_dir = (r->direction == PFM_RDIR_IN && pd->dir == PFM_IN) ||
		    (r->direction == PFM_RDIR_OUT && pd->dir == PFM_OUT);
		if (rt != PFM_RT_DUPTO && (rt == PFM_RT_REPLYTO) == same_dir)
			return;
		if (pfm_map_addr(pf, r, pd->pkt + pd->src_off, pd->af, addr, &entry) == -1)
			return;	/* no pool address: pf's route has no interface */
		if (r->rpool.ifname != NULL && r->rpool.ifname[entry < 0 ? 0 : entry][0])
			ifn = r->rpool.ifname[entry < 0 ? 0 : entry];
	}
	if (rt != PFM_RT_DUPTO && (rt == PFM_RT_REPLYTO) == same_dir)
		return;		/* pf_dummynet: the packet goes its way */
	if (ifn == NULL) {
		/* pf_route: no interface, the packet is dropped (route-to), the copy
		 * is (dup-to) */
		if (rt != PFM_RT_DUPTO) {
			v->action = PFM_DROP;
			pfm_count_act(pf, pd, PFM_DROP);
		}
		return;
	}
	v->route = rt == PFM_RT_DUPTO ? PFM_ROUTE_DUP : PFM_ROUTE_TO;
	snprintf(v->rt_ifname, sizeof(v->rt_ifname), "%s", ifn);
	memcpy(v->rt_addr, addr, sizeof(v->rt_addr));
	if (rt == PFM_RT_DUPTO || pd->dir != PFM_IN)
		return;
	/* pf_route: a packet that came in is tested out on its new interface */
	if (pfm_test(pf, PFM_OUT, ifn, pd->pkt, pd->len, pf->now_ms, &v2) != 0 ||
	    v2.action != PFM_PASS) {
		v->action = PFM_DROP;
		v->route = PFM_ROUTE_NONE;
	}
	v->rewritten |= v2.rewritten;
}

static int
create_state(struct pfm *pf, struct pfm_pd *pd, struct pfm_crule *rm,
    struct pfm_rule *a, struct pfm_rule *nr, const struct pfm_skey *skw,
    const struct pfm_skey *sks, int tag, struct pfm_verdict *v)
{
	struct pfm_rule *r = rm != NULL ? rm->r : NULL;
	struct pfm_state *s;
	struct pfm_srcref ref;
	enum pfm_res res;
	uint8_t rt_addr[16];
	int rt_entry = -1;

	if (r != NULL && r->max_states && r->states_cur >= r->max_states) {
		pf->lcounters[0]++;
		return (PFM_RES_MAXSTATES);
	}
	/* source nodes (max-src-*, source-track, sticky-address) before the state */
	if ((res = pfm_src_track(pf, pd, r, nr, skw, sks, &ref)) != PFM_RES_MATCH)
		return (res);
	if (pf->limit_states != 0 && pf->st.count >= pf->limit_states)
		return (pfm_src_undo(pf, &ref, PFM_RES_MAXSTATES));
	/* pf_create_state: route-to, reply-to, dup-to pick the state's next hop and
	 * interface from the pool (pf_map_addr; a sticky pool's is the filter rule's
	 * source node's); none: the state is refused */
	memset(rt_addr, 0, sizeof(rt_addr));
	if (r != NULL && r->rt != PFM_RT_NONE) {
		if (pfm_map_addr(pf, r, pd->pkt + pd->src_off, pd->af, rt_addr,
		    &rt_entry) == -1)
			return (pfm_src_undo(pf, &ref, PFM_RES_MAPFAILED));
		if (r->rpool.sticky)
			pfm_src_set_raddr(&ref, pfm_sn_pool_type(pf, r, &r->rpool), rt_addr);
	}
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
	/* pf_create_state: s->anchor.ptr = a; STATE_INC_COUNTERS counts its states */
	s->anchor = a;
	if (a != NULL)
		s->cold |= PFM_SC_ANCHOR;
	s->direction = pd->dir;
	s->orig_kif = pd->kif;
	/* BOUND_IFACE(r, kif): the rule's own flag (pfctl gives a keep state rule the
	 * state-policy unless it says if-bound or floating); the default rule a nat/rdr
	 * pass state gets is floating */
	s->kif = r != NULL && r->if_bound ? pd->kif : PFM_KIF_ALL;
	s->tag = tag > 0 ? (uint16_t)tag : 0;
	if (s->tag != 0)
		s->cold |= PFM_SC_TAG;
	pfm_frag_act_keep(s, pd);
	s->rt_kif = PFM_KIF_ALL;
	if (r != NULL && r->rt != PFM_RT_NONE) {
		s->rt = (uint8_t)r->rt;
		memcpy(s->rt_addr, rt_addr, sizeof(s->rt_addr));
		if (rt_entry < 0)
			rt_entry = 0;
		if (r->rpool.ifname != NULL && rt_entry < r->rpool.naddr &&
		    r->rpool.ifname[rt_entry][0] != '\0')
			s->rt_kif = (uint16_t)pfm_if_index(pf, r->rpool.ifname[rt_entry]);
		s->cold |= PFM_SC_ROUTE;
	}
	s->expire_ms = s->creation_ms = pf->now_ms;
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
	pfm_udpmap_commit(pf, s);
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

/* pf_test's checks of the upper-layer header before any state lookup: a UDP datagram
 * to port 0 or whose length field does not fit the packet is dropped as short (1);
 * ICMP in IPv6 or ICMPv6 in IPv4 is dropped without a counter (-1); 0 go on. */
static int
l4_check(const struct pfm_pd *pd)
{
	uint16_t ulen;

	if (pd->proto == 17) {
		ulen = pfm_get16(pd->pkt + pd->off + 4);
		if (pd->dport == 0 || ulen > pd->len - pd->off || ulen < 8)
			return (1);
	}
	if ((pd->af == 4 && pd->proto == 58) || (pd->af == 6 && pd->proto == 1))
		return (-1);
	return (0);
}

static void
undo(struct pfm_ctx *cx, struct pfm_verdict *v)
{
	memcpy(cx->pd.pkt, cx->save, cx->nsave);
	v->rewritten = 0;
}

/* pf_return, on the packet with NAT undone (the first SAVE_MAX bytes restored, the
 * rest never rewritten): a TCP segment that would get a RST first has its checksum
 * verified (pf_check_proto_cksum); a bad one gets nothing and counts proto-cksum. */
static void
block_reply(struct pfm *pf, struct pfm_ctx *cx, const struct pfm_rule *r,
    enum pfm_block how, struct pfm_verdict *v)
{
	struct pfm_pd *pd = &cx->pd;
	const uint8_t *p = pd->pkt;
	uint8_t isrc[16];
	uint32_t ph;

	if (pd->proto == 6 && !(pd->tcp_flags & TH_RST) &&
	    (how == PFM_BLOCK_RETURN || how == PFM_BLOCK_RETURN_RST)) {
		ph = cksum_pseudo(p + pd->src_off, p + pd->dst_off,
		    pd->af == 4 ? 4 : 16, 6, (uint32_t)(pd->len - pd->off));
		if (cksum_sum(p + pd->off, pd->len - pd->off, ph) != 0) {
			pf->counters[PFM_RES_PROTCKSUM]++;
			return;
		}
	}
	pfm_icmp_source(pf, pd, cx->save, isrc);
	v->reply_len = pfm_reply_build(cx->save, cx->nsave, pd, r, how, isrc, v->reply,
	    sizeof(v->reply));
}

/* pf_test_rule: translation (first match), then the filter on the translated packet,
 * then the state. */
static int
test_rule_body(struct pfm *pf, struct pfm_ctx *cx, struct pfm_verdict *v)
{
	struct pfm_pd *pd = &cx->pd;
	struct pfm_skey skw, sks;
	struct pfm_rule *nr = NULL, *r, *a = NULL;
	struct pfm_crule *rm = NULL;
	struct pfm_act15 x15, *x = NULL;	/* FreeBSD 15's walk (pfm_fb15.c) */
	enum pfm_res res = PFM_RES_MATCH;
	enum pfm_block how;
	int tag = -1;	/* pf_test_rule's tag: -1 none so far */

	cx->nsave = pd->len < SAVE_MAX ? pd->len : SAVE_MAX;
	memcpy(cx->save, pd->pkt, cx->nsave);
	if (!pd->icmp_err && !pd->frag) {
		nr = pfm_nat_match(pf, pd, &skw, &sks, &res);
		if (res != PFM_RES_MATCH) {
			v->trans = nr;
			return (pfm_drop(pf, pd, v, res));
		}
		if (nr != NULL) {
			v->trans = nr;
			v->rewritten = pfm_nat_apply(pd, pd->dir == PFM_IN ? &sks : &skw,
			    pd->dir == PFM_IN ? 0 : 1);
		}
	}
	if (nr == NULL || !nr->pass_trans) {
		if (pfm_is15(pf))
			pfm15_begin(x = &x15, nr);
		rm = pfm_filter(pf, pd, &tag, &a, x);
	}
	r = rm != NULL ? rm->r : NULL;
	v->filter = r;
	if (x != NULL) {
		/* pf_test_rule (15): the deciding rule's actions and nat-to/rdr-to */
		if (pfm15_decide(pf, pd, r, x) == -1) {
			v->trans = x->nr;
			undo(cx, v);
			return (pfm_drop(pf, pd, v, x->res));
		}
		if (x->filter_nat) {
			nr = x->nr;
			skw = x->skw;
			sks = x->sks;
			v->trans = nr;
			v->rewritten |= x->rewritten;
		}
		/* af-to on the deciding pass rule: its keys (pfm_afto.c); the
		 * packet is rebuilt once its state is made */
		if (r != NULL && r->afto && r->action == PFM_R_PASS) {
			if (pd->icmp_err || pd->frag || x->nr != NULL ||
			    pfm_afto_keys(pf, rm, pd, &skw, &sks, &res) == -1) {
				v->trans = r;
				undo(cx, v);
				return (pfm_drop(pf, pd, v, x->nr != NULL ?
				    PFM_RES_TRANSLATE : PFM_RES_MAPFAILED));
			}
			nr = x->nr = r;
			x->filter_nat = 1;
			v->trans = r;
		}
	}
	pf->counters[PFM_RES_MATCH]++;
	pfm_frag_act_add(&pd->act, r);	/* pf_test_rule: pf_rule_to_actions(r) */
	if (r != NULL && r->action == PFM_R_BLOCK) {
		/* pf_test counts r and a when r->action == PF_DROP */
		pfm_rule_count(r, pd);
		pfm_rule_count(a, pd);
		if (x != NULL)
			pfm15_count_walk(x, pd);	/* 15: its match rules */
		pfm_table_count(pf, pd, r, nr, NULL);
		undo(cx, v);
		how = r->block == PFM_BLOCK_DEFAULT ? pf->block_policy : r->block;
		/* pf_test_fragment never calls pf_return: no fragment gets a reply */
		if (how != PFM_BLOCK_DROP && !pd->frag)
			block_reply(pf, cx, r, how, v);
		v->action = PFM_DROP;
		pfm_count_act(pf, pd, PFM_DROP);
		return (0);
	}
	if (tag > 0)
		pd->tag = (uint16_t)tag;	/* pf_tag_packet */
	if (!pd->icmp_err && !pd->frag &&
	    ((r != NULL && r->keep != PFM_KEEP_NONE) || nr != NULL)) {
		res = create_state(pf, pd, rm, a, nr, &skw, &sks, tag, v);
		/* 15: the state takes s->act and the match rules (pfm_fb15.c) */
		if (x != NULL && pfm15_state(pf, v, res, x) == -1)
			res = PFM_RES_MEMORY;
		if (res == PFM_RES_SYNPROXY) {
			undo(cx, v);
			return (0);
		}
		if (res != PFM_RES_MATCH) {
			/* pf_test_rule: a pass rule under `set fail-policy return`
			 * (PFRULE_RETURN) answers the packet its state was refused */
			undo(cx, v);
			if (r != NULL && r->block == PFM_BLOCK_RETURN)
				block_reply(pf, cx, r, PFM_BLOCK_RETURN, v);
			return (pfm_drop(pf, pd, v, res));
		}
	}
	if (pd->badopts && (r == NULL || !r->allow_opts) &&
	    !(x != NULL && x->allow_opts)) {
		/* pf_test: a passed packet with IP options (IPv6: a routing header)
		 * is dropped unless the deciding rule has allow-opts; a state just
		 * made stays */
		undo(cx, v);
		return (pfm_drop(pf, pd, v, PFM_RES_IPOPTIONS));
	}
	if (x != NULL && pfm15_too_long(pd, x->max_pkt_size)) {
		undo(cx, v);
		return (pfm_drop(pf, pd, v, PFM_RES_NORM));
	}
	/* pf_test: the state's tag, else the deciding rule's */
	if (v->state_created && v->state->tag)
		pd->tag = v->state->tag;
	else if (!v->state_created && rm != NULL && rm->tag)
		pd->tag = rm->tag;
	v->tag = pd->tag;
	/* pf_test: action PF_PASS counts r, a and the translation rule */
	pfm_rule_count(r, pd);
	pfm_rule_count(a, pd);
	if (x == NULL || !x->filter_nat)	/* 15: pf_counters_inc, old rules */
		pfm_rule_count(nr, pd);
	if (x != NULL)
		pfm15_count_walk(x, pd);	/* 15: the match rules (the state's) */
	pfm_table_count(pf, pd, r, nr, v->state_created ? v->state : NULL);
	if (v->state_created && (v->state->cold & PFM_SC_SRC))
		pfm_src_count_pkt(pf, v->state, pd);
	pfm_count_act(pf, pd, PFM_PASS);
	pfm_frag_act_pass(pf, pd, NULL, v);
	if (nr != NULL && nr->afto && v->state_created) {
		/* pf_test: PF_AFRT, pf_translate_af, then pf_route/pf_route6 */
		pfm_afto_bind(pf, (struct pfm_state *)(uintptr_t)v->state);
		if (pfm_afto_pass(pf, pd, v->state, v) == -1)
			return (pfm_drop(pf, pd, v, PFM_RES_MAPFAILED));
		return (0);
	}
	route(pf, pd, v->state_created ? v->state : NULL, r, v);
	return (0);
}

/* pf_test: an ACK with no state that carries a valid syncookie. The SYN rebuilt from
 * it is tested as a packet of its own (it makes the state, by the rules); the ACK
 * then goes through that state and, as synproxy's PROXY_DST, makes pf open the
 * server's side (pfm_synproxy.c). 1 handled (v filled), 0 not such an ACK. */
static int
syncookie_ack(struct pfm *pf, struct pfm_pd *pd, struct pfm_verdict *v)
{
	struct pfm_verdict v2;
	struct pfm_skey key;
	struct pfm_state *s;
	struct pfm_peer *src, *dst;
	enum pfm_res res = PFM_RES_MATCH;
	uint8_t syn[PFM_EMIT_LEN];
	size_t len;
	int i;

	if (pd->dir != PFM_IN || (pd->tcp_flags & (TH_SYN | TH_ACK | TH_RST)) != TH_ACK ||
	    pf->sc_nested || !pfm_syncookie_validate(pf, pd))
		return (0);
	if ((len = pfm_syncookie_syn(pd, syn, sizeof(syn))) == 0) {
		v->action = PFM_DROP;
		pfm_count_act(pf, pd, PFM_DROP);
		return (1);
	}
	pf->sc_nested = 1;
	(void)pfm_test(pf, PFM_IN, pf->ifn[pd->kif], syn, len, pf->now_ms, &v2);
	pf->sc_nested = 0;
	/* what pf sent while testing the SYN goes out too */
	for (i = 0; i < v2.nemit && v->nemit < PFM_EMIT_MAX; i++)
		v->emit[v->nemit++] = v2.emit[i];
	if (v2.reply_len > 0) {
		memcpy(v->reply, v2.reply, v2.reply_len);
		v->reply_len = v2.reply_len;
	}
	if (v2.action != PFM_PASS) {
		v->action = PFM_DROP;
		v->reason = v2.reason;
		pfm_count_act(pf, pd, PFM_DROP);
		return (1);
	}
	pfm_key_from_pd(pd, &key, 0);
	if ((s = pfm_state_find(pf, &key, PFM_SK_WIRE, pd->kif)) == NULL) {
		v->action = PFM_DROP;
		pfm_count_act(pf, pd, PFM_DROP);
		return (1);
	}
	src = s->direction == pd->dir ? &s->src : &s->dst;
	dst = s->direction == pd->dir ? &s->dst : &s->src;
	if (pfm_tcp_track(pf, s, pd, src, dst, &res) == -1) {
		v->state_hit = 1;
		v->state = s;
		return (pfm_drop(pf, pd, v, res) + 1);
	}
	s->src.seqhi = pd->ack - 1;	/* pf's ISN: the cookie */
	s->src.seqlo = pd->seq - 1;
	s->src.state = PFM_TCPS_PROXY_DST;
	return (pfm_synproxy(pf, s, pd, v));
}

/* An endpoint-independent mapping the packet made lives on only with a state. */
static int
test_rule(struct pfm *pf, struct pfm_ctx *cx, struct pfm_verdict *v)
{
	int rc = test_rule_body(pf, cx, v);

	pfm_udpmap_discard(pf);
	return (rc);
}

static int	test_packet(struct pfm *, enum pfm_dir, const char *, uint8_t *, size_t,
		    uint64_t, struct pfm_verdict *, int *);

int
pfm_test(struct pfm *pf, enum pfm_dir dir, const char *ifname, uint8_t *pkt, size_t len,
    uint64_t now_ms, struct pfm_verdict *v)
{
	int normalized = 0, rc;

	rc = test_packet(pf, dir, ifname, pkt, len, now_ms, v, &normalized);
	/* what scrub changed (max-mss, set-tos, min-ttl, no-df, random-id, the TCP
	 * reserved bits, a stale urgent pointer) is a rewrite like NAT's, even when
	 * nothing later touches the packet */
	if (normalized && v->action == PFM_PASS && v->reass == NULL)
		v->rewritten = 1;
	return (rc);
}

/* pfm_test's body; *normalized: 1 when normalisation changed the packet's headers. */
static int
test_packet(struct pfm *pf, enum pfm_dir dir, const char *ifname, uint8_t *pkt,
    size_t len, uint64_t now_ms, struct pfm_verdict *v, int *normalized)
{
	struct pfm_ctx cx;
	enum pfm_res res;
	uint8_t head[SAVE_MAX];
	size_t nhead;
	int kif, hit;

	verdict_reset(v);
	if (!pf->clock_set) {
		pf->since_ms = now_ms;
		pf->clock_set = 1;
	}
	pf->now_ms = now_ms;
	if (pf->disabled) {
		/* pfctl -d: pf's hooks are off, nothing is tested or counted */
		v->disabled = 1;
		return (0);
	}
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
	/* the link layer's hook runs first: ether rules (pfm_eth.c) */
	if (pfm_eth_test(pf, &cx.pd, &v->eth) == PFM_DROP) {
		v->action = PFM_DROP;
		return (0);
	}
	/* the headers normalisation may change: IP (options included) and TCP */
	nhead = len < sizeof(head) ? len : sizeof(head);
	memcpy(head, pkt, nhead);
	if (pf->list[PFM_L_SCRUB].n > 0 || cx.pd.frag || pf->reass_opt ||
	    (cx.pd.af == 6 && pkt[6] == 44)) {
		/* pf_normalize_ip/ip6: checks, scrub options, reassembly (pfm_frag.c) */
		switch (pfm_frag_normalize(pf, &cx.pd, pf->list[PFM_L_SCRUB].n > 0 ?
		    pfm_scrub_match(pf, &cx.pd) : NULL, pf->list[PFM_L_SCRUB].n > 0, &res)) {
		case PFM_FRAG_HELD:
			v->action = PFM_HELD;
			return (0);
		case PFM_FRAG_DROP:
			return (pfm_drop(pf, &cx.pd, v, res));
		case PFM_FRAG_DONE:
			v->reass = cx.pd.pkt;
			v->reass_len = cx.pd.len;
			break;
		default:
			break;
		}
	}
	if (pfm_scrub(pf, &cx.pd) == -1)
		return (pfm_drop(pf, &cx.pd, v, PFM_RES_NORM));
	*normalized = cx.pd.pkt == pkt && memcmp(head, pkt, nhead) != 0;
	switch (ip_opts(&cx.pd)) {
	case -1:
		return (pfm_drop(pf, &cx.pd, v, PFM_RES_IPOPTIONS));
	case 1:
		cx.pd.badopts = 1;
		break;
	}
	if (cx.pd.frag) {
		/* IP-level rules only, no state (pf_test_fragment) */
		return (test_rule(pf, &cx, v));
	}
	switch (l4_check(&cx.pd)) {
	case 1:
		return (pfm_drop(pf, &cx.pd, v, PFM_RES_SHORT));
	case -1:
		/* dropped, no reason counted */
		v->action = PFM_DROP;
		pfm_count_act(pf, &cx.pd, PFM_DROP);
		return (0);
	}
	if (cx.pd.icmp_err) {
		if ((hit = pfm_hit_icmp_error(pf, &cx.pd, v)) == 2)
			route(pf, &cx.pd, v->state, NULL, v);
		if (hit)
			return (0);
		return (test_rule(pf, &cx, v));
	}
	if (cx.pd.proto == 6 && dir == PFM_IN &&
	    (cx.pd.tcp_flags & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN &&
	    pfm_synflood_check(pf)) {
		/* pf_test: pf answers the SYN with a syncookie, keeps nothing */
		pfm_syncookie_send(pf, &cx.pd, v);
		v->action = PFM_DROP;
		pfm_count_act(pf, &cx.pd, PFM_DROP);
		return (0);
	}
	if ((hit = pfm_hit_state(pf, &cx.pd, v)) == 2)
		route(pf, &cx.pd, v->state, NULL, v);
	if (hit)
		return (0);
	if (syncookie_ack(pf, &cx.pd, v))
		return (0);
	return (test_rule(pf, &cx, v));
}
