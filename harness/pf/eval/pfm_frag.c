/* pfm_frag.c: scrub's IP normalisation for the model: fragment reassembly
 * (pf_normalize_ip/ip6, pf_reassemble/6, pf_fillup_fragment of FreeBSD 14's pf_norm.c)
 * and the scrub options (no-df, min-ttl, set-tos, random-id, max-mss) of scrub and
 * filter rules, as pf_rule_to_actions gathers them and pf_test applies them. */
/*
 * What is modelled, read from FreeBSD 14's sys/netpfil/pf/pf_norm.c:
 *  - IPv4 is reassembled when a scrub rule (not `no scrub`, not `fragment no
 *    reassemble`) matches; without scrub rules only under `set reassemble yes`
 *    (`no-df` also clears DF then).
 *    IPv6 is reassembled when a scrub rule matches, and always when the ruleset has no
 *    scrub rules at all (pf_normalize_ip6: "Fragment reassembly always performed for
 *    IPv6").
 *  - A fragment is checked before it is queued, an IPv4 one even with no scrub rule
 *    (it then passes unqueued): DF set (after no-df), a non-final fragment whose
 *    length is not a multiple of 8, or one ending past 65535 bytes is a bad fragment
 *    (counter `fragment`); an IPv4 header longer than the packet is `normalize`.
 *  - pf_fillup_fragment: an empty fragment, a fragment that contradicts the end already
 *    seen (data past a final fragment, a second final fragment, a short non-final
 *    one), and one the data before it already covers (a duplicate) are bad
 *    (`fragment`). An overlap is cut from the front of the new fragment; fragments it
 *    covers after it are cut at their front or dropped when covered whole. At most 64
 *    fragments per 4096-byte slice of the packet, else `fragment`.
 *  - `set limit frags` counts fragment entries; at the limit the oldest queues are
 *    flushed until 90% of the entries remain (pf_flush_fragments), and only when that
 *    frees nothing is the fragment dropped (`memory`).
 *  - A queue lives `set timeout frag` seconds (30) after its last fragment, measured by
 *    the caller's clock at each pfm_test and pfm_expire (pf's purge thread runs every
 *    few seconds, so real pf may keep a queue a little longer).
 *  - The reassembled packet takes the first fragment's header; IPv4 gets its length,
 *    offset/MF cleared (DF kept) and its header checksum fixed; IPv6 loses the fragment
 *    header, its next-header field takes the first fragment's. A result over 65535
 *    bytes is dropped (`short`).
 *  - Scrub options (pf.c, stable/14): the matching scrub rule's (pf_normalize_ip/ip6,
 *    pf_normalize_tcp) and the deciding filter rule's (pf_test_rule) are gathered in
 *    pd->act by pf_rule_to_actions; pf_create_state copies them into s->act; pf_test
 *    then takes s->act for any packet of a state, both ways, and applies pd.act after
 *    the verdict (pf_scrub_ip/ip6, pf_normalize_mss). A scrub rule's no-df is not
 *    gathered: pf_normalize_ip clears DF itself.
 * Not modelled: pf_refragment6 (an IPv6 packet reassembled on the way out is handed
 * back whole, not cut again to the largest fragment's size); reassemble tcp
 * (pf_normalize_tcp_stateful). A match rule's options gather as the deciding rule's
 * (pf_test_rule, pfm_match.c).
 */
#include <stdlib.h>
#include <string.h>

#include "base/cksum.h"
#include "pfm_impl.h"

#define FRAG_ENTRY_POINTS	16	/* PF_FRAG_ENTRY_POINTS */
#define FRAG_ENTRY_LIMIT	64	/* PF_FRAG_ENTRY_LIMIT */
#define IP_MAXPACKET_		65535
#define IP_DF_			0x4000
#define IP_MF_			0x2000
#define IP_OFFMASK_		0x1fff

/* One queued fragment: a copy of the whole packet; its data are the len bytes from
 * hdrlen + cut (cut: bytes an overlap took from the front). */
struct frent {
	uint8_t		*buf;
	uint16_t	hdrlen;		/* IPv4 header; IPv6 up to the end of the frag header */
	uint16_t	extoff;		/* IPv6: the last extension header before it, 0: none */
	uint16_t	off, len;	/* payload offset and length in the whole packet */
	uint16_t	cut;
	uint8_t		mff;
};

struct fragq {
	uint8_t		af;
	uint8_t		proto;		/* IPv4 only; 0 for IPv6, as pf keys it */
	uint32_t	id;
	uint8_t		src[16], dst[16];
	struct frent	*fe;		/* sorted by off, not overlapping */
	int		n, cap;
	uint8_t		entries[FRAG_ENTRY_POINTS];
	uint16_t	maxlen;		/* the largest fragment (pf_refragment6) */
	uint64_t	touched_ms;
	struct fragq	*newer, *older;	/* LRU: pf's fragqueue */
};

struct pfm_fragtab {
	struct fragq	*newest, *oldest;
	size_t		nfrent;		/* fragment entries held (set limit frags) */
	uint8_t		*out;		/* the last reassembled packet */
	size_t		outcap;
};

static int
frent_index(uint16_t off)
{
	return (off / (0x10000 / FRAG_ENTRY_POINTS));
}

static void
lru_unlink(struct pfm_fragtab *ft, struct fragq *q)
{
	if (q->newer != NULL)
		q->newer->older = q->older;
	else
		ft->newest = q->older;
	if (q->older != NULL)
		q->older->newer = q->newer;
	else
		ft->oldest = q->newer;
	q->newer = q->older = NULL;
}

static void
lru_front(struct pfm_fragtab *ft, struct fragq *q)
{
	q->older = ft->newest;
	q->newer = NULL;
	if (ft->newest != NULL)
		ft->newest->newer = q;
	ft->newest = q;
	if (ft->oldest == NULL)
		ft->oldest = q;
}

static void
fragq_free(struct pfm_fragtab *ft, struct fragq *q)
{
	int i;

	lru_unlink(ft, q);
	for (i = 0; i < q->n; i++)
		free(q->fe[i].buf);
	ft->nfrent -= (size_t)q->n;
	free(q->fe);
	free(q);
}

/* Remove entry i from q (its buffer freed). */
static void
frent_remove(struct pfm_fragtab *ft, struct fragq *q, int i)
{
	q->entries[frent_index(q->fe[i].off)]--;
	free(q->fe[i].buf);
	memmove(&q->fe[i], &q->fe[i + 1], (size_t)(q->n - i - 1) * sizeof(q->fe[0]));
	q->n--;
	ft->nfrent--;
}

static struct pfm_fragtab *
fragtab(struct pfm *pf)
{
	if (pf->frag == NULL)
		pf->frag = calloc(1, sizeof(*pf->frag));
	return (pf->frag);
}

void
pfm_frag_purge(struct pfm *pf, uint64_t now_ms)
{
	struct pfm_fragtab *ft = pf->frag;
	uint64_t life = (uint64_t)pf->timeout[PFM_TM_FRAG] * 1000;

	if (ft == NULL)
		return;
	while (ft->oldest != NULL && now_ms - ft->oldest->touched_ms >= life)
		fragq_free(ft, ft->oldest);
}

void
pfm_frag_free(struct pfm *pf)
{
	struct pfm_fragtab *ft = pf->frag;

	if (ft == NULL)
		return;
	while (ft->oldest != NULL)
		fragq_free(ft, ft->oldest);
	free(ft->out);
	free(ft);
	pf->frag = NULL;
}

size_t
pfm_frag_count(const struct pfm *pf)
{
	return (pf->frag != NULL ? pf->frag->nfrent : 0);
}

/* pf_create_fragment: room for one more entry under `set limit frags`; at the limit
 * the oldest queues go until 90% of the entries remain. 0, or -1 (memory). */
static int
frent_room(struct pfm *pf, struct pfm_fragtab *ft)
{
	size_t goal;

	if (ft->nfrent < pf->limit_frags)
		return (0);
	goal = ft->nfrent * 9 / 10;
	while (goal < ft->nfrent && ft->oldest != NULL)
		fragq_free(ft, ft->oldest);
	return (ft->nfrent < pf->limit_frags ? 0 : -1);
}

static struct fragq *
fragq_find(struct pfm_fragtab *ft, const struct fragq *key)
{
	struct fragq *q;
	size_t alen = key->af == 4 ? 4 : 16;

	for (q = ft->newest; q != NULL; q = q->older)
		if (q->id == key->id && q->proto == key->proto && q->af == key->af &&
		    memcmp(q->src, key->src, alen) == 0 &&
		    memcmp(q->dst, key->dst, alen) == 0)
			return (q);
	return (NULL);
}

/* Insert fe at position at; -1 when its slice already holds FRAG_ENTRY_LIMIT. */
static int
frent_insert(struct pfm_fragtab *ft, struct fragq *q, int at, const struct frent *fe)
{
	struct frent *n;
	int idx = frent_index(fe->off), cap;

	if (q->entries[idx] >= FRAG_ENTRY_LIMIT)
		return (-1);
	if (q->n == q->cap) {
		cap = q->cap ? q->cap * 2 : 8;
		if ((n = realloc(q->fe, (size_t)cap * sizeof(*n))) == NULL)
			return (-1);
		q->fe = n;
		q->cap = cap;
	}
	memmove(&q->fe[at + 1], &q->fe[at], (size_t)(q->n - at) * sizeof(q->fe[0]));
	q->fe[at] = *fe;
	q->n++;
	q->entries[idx]++;
	ft->nfrent++;
	return (0);
}

/* A new queue for key holding fe, at the front of the LRU; NULL with *res set. */
static struct fragq *
fragq_new(struct pfm *pf, struct pfm_fragtab *ft, const struct fragq *key,
    const struct frent *fe, enum pfm_res *res)
{
	struct fragq *q;

	if ((q = calloc(1, sizeof(*q))) == NULL) {
		*res = PFM_RES_MEMORY;
		return (NULL);
	}
	*q = *key;
	q->fe = NULL;
	q->n = q->cap = 0;
	memset(q->entries, 0, sizeof(q->entries));
	q->maxlen = fe->len;
	q->touched_ms = pf->now_ms;
	lru_front(ft, q);
	if (frent_insert(ft, q, 0, fe) == -1) {
		fragq_free(ft, q);
		*res = PFM_RES_MEMORY;
		return (NULL);
	}
	return (q);
}

/* The entries from i on that a new fragment ending at end overlaps: cut at their
 * front, or removed when covered whole. -1 when a cut entry moves into a full slice
 * (it is dropped then). */
static int
cut_following(struct pfm_fragtab *ft, struct fragq *q, int i, uint32_t end)
{
	struct frent *a;
	uint16_t cut;
	int oi, ni;

	while (i < q->n && end > q->fe[i].off) {
		a = &q->fe[i];
		cut = (uint16_t)(end - a->off);
		if (cut < a->len) {
			oi = frent_index(a->off);
			a->cut += cut;
			a->off += cut;
			a->len -= cut;
			ni = frent_index(a->off);
			if (oi != ni) {
				q->entries[oi]--;
				if (q->entries[ni] >= FRAG_ENTRY_LIMIT) {
					q->entries[ni]++;
					frent_remove(ft, q, i);
					return (-1);
				}
				q->entries[ni]++;
			}
			break;
		}
		frent_remove(ft, q, i);	/* covered whole: lost */
	}
	return (0);
}

/* pf_fillup_fragment: queue fe (its buffer is the queue's on success). The queue, or
 * NULL with *res set (fe->buf is then still the caller's). */
static struct fragq *
fillup(struct pfm *pf, struct pfm_fragtab *ft, const struct fragq *key,
    struct frent *fe, enum pfm_res *res)
{
	struct fragq *q;
	struct frent *last;
	uint32_t total, end = (uint32_t)fe->off + fe->len;
	int prev;
	uint16_t cut;

	*res = PFM_RES_FRAG;
	if (fe->len == 0 || (fe->mff && (fe->len & 7)) || end > IP_MAXPACKET_)
		return (NULL);
	if ((q = fragq_find(ft, key)) == NULL)
		return (fragq_new(pf, ft, key, fe, res));
	/* pf_find_fragment refreshes the queue's time and moves it to the front. */
	q->touched_ms = pf->now_ms;
	lru_unlink(ft, q);
	lru_front(ft, q);
	if (fe->len > q->maxlen)
		q->maxlen = fe->len;
	last = &q->fe[q->n - 1];
	total = (uint32_t)last->off + last->len;
	if (end < total && !fe->mff)
		return (NULL);
	if (!last->mff) {
		if (end > total || (end == total && fe->mff))
			return (NULL);
	} else if (end == total && !fe->mff)
		return (NULL);
	/* prev: the last entry starting at or before fe (pf_frent_previous). */
	for (prev = q->n - 1; prev >= 0 && q->fe[prev].off > fe->off; prev--)
		;
	if (prev >= 0 && (uint32_t)q->fe[prev].off + q->fe[prev].len > fe->off) {
		cut = (uint16_t)(q->fe[prev].off + q->fe[prev].len - fe->off);
		if (cut >= fe->len)
			return (NULL);	/* nothing new: a duplicate */
		fe->cut += cut;
		fe->off += cut;
		fe->len -= cut;
	}
	if (cut_following(ft, q, prev + 1, (uint32_t)fe->off + fe->len) == -1)
		return (NULL);
	if (frent_insert(ft, q, prev + 1, fe) == -1)
		return (NULL);
	return (q);
}

/* Every byte from 0 to the final fragment's end is there. */
static int
fragq_complete(const struct fragq *q)
{
	uint32_t next = 0;
	int i;

	for (i = 0; i < q->n; i++) {
		if (q->fe[i].off != next)
			return (0);
		next += q->fe[i].len;
	}
	return (q->n > 0 && !q->fe[q->n - 1].mff);
}

/* pf_join_fragment and the header fix-up of pf_reassemble/6: the whole packet into
 * ft->out; the queue is freed. Its length, or 0 with *res set. */
static size_t
join(struct pfm_fragtab *ft, struct fragq *q, enum pfm_res *res)
{
	const struct frent *f0 = &q->fe[0], *last = &q->fe[q->n - 1];
	uint32_t total = (uint32_t)last->off + last->len;
	size_t hdr = f0->hdrlen, at, need;
	uint8_t *p, proto;
	uint16_t o, n;
	int i;

	if (q->af == 6)
		hdr -= 8;	/* the fragment header goes */
	need = hdr + total;
	if (need > ft->outcap) {
		if ((p = realloc(ft->out, need)) == NULL) {
			fragq_free(ft, q);
			*res = PFM_RES_MEMORY;
			return (0);
		}
		ft->out = p;
		ft->outcap = need;
	}
	p = ft->out;
	memcpy(p, f0->buf, hdr);
	at = hdr;
	for (i = 0; i < q->n; i++) {
		memcpy(p + at, q->fe[i].buf + q->fe[i].hdrlen + q->fe[i].cut, q->fe[i].len);
		at += q->fe[i].len;
	}
	if (q->af == 4) {
		fragq_free(ft, q);
		if (need > IP_MAXPACKET_) {
			*res = PFM_RES_SHORT;
			return (0);
		}
		o = pfm_get16(p + 2);
		pfm_put16(p + 10, cksum_fixup16(pfm_get16(p + 10), o, (uint16_t)need, 0));
		pfm_put16(p + 2, (uint16_t)need);
		o = pfm_get16(p + 6);
		n = o & ~(IP_MF_ | IP_OFFMASK_);
		pfm_put16(p + 10, cksum_fixup16(pfm_get16(p + 10), o, n, 0));
		pfm_put16(p + 6, n);
		return (need);
	}
	proto = f0->buf[hdr];	/* the first fragment's frag header: next header */
	if (f0->extoff != 0)
		p[f0->extoff] = proto;
	else
		p[6] = proto;
	fragq_free(ft, q);
	if (need - 40 > IP_MAXPACKET_) {
		*res = PFM_RES_SHORT;
		return (0);
	}
	pfm_put16(p + 4, (uint16_t)(need - 40));
	return (need);
}

/* Queue one fragment; PFM_FRAG_HELD, PFM_FRAG_DONE (*outlen set), PFM_FRAG_DROP. */
static int
reassemble(struct pfm *pf, const struct fragq *key, const uint8_t *pkt, size_t len,
    struct frent *fe, size_t *outlen, enum pfm_res *res)
{
	struct pfm_fragtab *ft;
	struct fragq *q;

	if ((ft = fragtab(pf)) == NULL || frent_room(pf, ft) == -1 ||
	    (fe->buf = malloc(len)) == NULL) {
		*res = PFM_RES_MEMORY;
		return (PFM_FRAG_DROP);
	}
	memcpy(fe->buf, pkt, len);
	if ((q = fillup(pf, ft, key, fe, res)) == NULL) {
		free(fe->buf);
		return (PFM_FRAG_DROP);
	}
	if (!fragq_complete(q))
		return (PFM_FRAG_HELD);
	if ((*outlen = join(ft, q, res)) == 0)
		return (PFM_FRAG_DROP);
	return (PFM_FRAG_DONE);
}

/* pf_rule_to_actions (FreeBSD 14 pf.c), its scrub part: a later rule's min-ttl,
 * max-mss and set-tos override, flags add up. A filter rule's no-df and random-id
 * are PFSTATE_ flags (parse.y pfrule: scrub_flags); a scrub rule's are PFRULE_
 * flags, of which only PFRULE_RANDOMID (and PFRULE_SET_TOS) are translated: a scrub
 * rule's no-df is pf_normalize_ip's own work (normalize_ip4), on every packet it
 * matches. */
void
pfm_frag_act_add(struct pfm_act *a, const struct pfm_rule *r)
{
	if (r == NULL)
		return;
	if ((r->scrub_flags & PFM_SCRUB_NODF) && r->action != PFM_R_SCRUB)
		a->flags |= PFM_ACT_NODF;
	if (r->scrub_flags & PFM_SCRUB_RANDOM_ID)
		a->flags |= PFM_ACT_RANDOMID;
	if ((r->scrub_flags & PFM_SCRUB_REASSEMBLE_TCP) && r->action != PFM_R_SCRUB)
		a->flags |= PFM_ACT_SCRUB_TCP;
	if (r->has_set_tos) {
		a->flags |= PFM_ACT_SETTOS;
		a->set_tos = r->set_tos;
	}
	if (r->min_ttl)
		a->min_ttl = (uint8_t)r->min_ttl;
	if (r->max_mss)
		a->max_mss = (uint16_t)r->max_mss;
}

static int
act_empty(const struct pfm_act *a)
{
	return (a->flags == 0 && a->min_ttl == 0 && a->max_mss == 0);
}

/* pf_create_state (FreeBSD 14 pf.c): memcpy(&s->act, &pd->act): the scrub rules'
 * and the deciding rule's options go with the state, to both directions. */
void
pfm_frag_act_keep(struct pfm_state *s, const struct pfm_pd *pd)
{
	if (act_empty(&pd->act))
		return;
	s->act = pd->act;
	s->cold |= PFM_SC_ACT;
}

/* pf_scrub_ip (FreeBSD 14 pf_norm.c): no-df, min-ttl, set-tos (the two ECN bits
 * kept), random-id but not for a fragment; the header checksum fixed for each. */
static void
scrub_ip4(struct pfm *pf, uint8_t *p, const struct pfm_act *a)
{
	uint16_t o, n;

	if ((a->flags & PFM_ACT_NODF) && (pfm_get16(p + 6) & IP_DF_))
		pfm_pkt_set_byte16(p, 6, pfm_get16(p + 6) & ~IP_DF_, 10, 0);
	if (a->min_ttl && p[8] < a->min_ttl) {
		n = (uint16_t)((unsigned)a->min_ttl << 8 | p[9]);
		pfm_pkt_set_byte16(p, 8, n, 10, 0);
	}
	if (a->flags & PFM_ACT_SETTOS) {
		o = pfm_get16(p);
		n = (uint16_t)((o & 0xff00) | a->set_tos | (o & 0x03));
		pfm_pkt_set_byte16(p, 0, n, 10, 0);
	}
	if ((a->flags & PFM_ACT_RANDOMID) && !(pfm_get16(p + 6) & ~IP_DF_))
		pfm_pkt_set_byte16(p, 4, (uint16_t)pfm_random(pf), 10, 0);
}

/* pf_scrub_ip6 (FreeBSD 14 pf_norm.c): min-ttl raises the hop limit; set-tos sets
 * the traffic class (ip6_flow bits 20-27) to set_tos | the packet's ECN bits
 * (IPV6_ECN), version and flow label kept. No header checksum in IPv6; no-df and
 * random-id do not apply. */
static void
scrub_ip6(uint8_t *p, const struct pfm_act *a)
{
	unsigned tc;

	if (a->min_ttl && p[7] < a->min_ttl)
		p[7] = a->min_ttl;
	if (a->flags & PFM_ACT_SETTOS) {
		tc = ((unsigned)(p[0] & 0x0f) << 4 | p[1] >> 4);
		tc = (a->set_tos | (tc & 0x03)) & 0xff;
		p[0] = (uint8_t)((p[0] & 0xf0) | tc >> 4);
		p[1] = (uint8_t)((p[1] & 0x0f) | (tc & 0x0f) << 4);
	}
}

/* pf_normalize_mss: an MSS option above max-mss is lowered to it. */
static void
scrub_mss(struct pfm_pd *pd, uint16_t max_mss)
{
	uint8_t *o = pd->pkt + pd->off + 20;
	int cnt = (int)pd->thoff - 20, olen;

	for (; cnt > 0; cnt -= olen, o += olen) {
		if (o[0] == 0)
			break;
		if (o[0] == 1) {
			olen = 1;
			continue;
		}
		if (cnt < 2 || (olen = o[1]) < 2 || olen > cnt)
			break;
		if (o[0] == 2 && olen >= 4 && pfm_get16(o + 2) > max_mss) {
			/* The checksum fix needs a 16-bit aligned word of the header. */
			size_t at = (size_t)(o + 2 - pd->pkt);

			if (((at - pd->off) & 1) == 0)
				pfm_pkt_set_byte16(pd->pkt, at, max_mss, pd->sum_off, 0);
			else {
				uint16_t w0 = pfm_get16(pd->pkt + at - 1);
				uint16_t w1 = pfm_get16(pd->pkt + at + 1);

				pfm_pkt_set_byte16(pd->pkt, at - 1,
				    (uint16_t)((w0 & 0xff00) | max_mss >> 8), pd->sum_off, 0);
				pfm_pkt_set_byte16(pd->pkt, at + 1,
				    (uint16_t)((max_mss & 0xff) << 8 | (w1 & 0xff)),
				    pd->sum_off, 0);
			}
		}
	}
}

/* pf_test (FreeBSD 14 pf.c), after the verdict: if (s) memcpy(&pd.act, &s->act):
 * what the scrub rules gave this packet gives way to what its state was made with;
 * else pd.act is what pf_normalize_ip/ip6, pf_normalize_tcp and pf_test_rule
 * gathered. Then pf_scrub_ip/pf_scrub_ip6 and, for TCP with max-mss,
 * pf_normalize_mss (a fragment carries no TCP header pf could read: nothing). Before
 * pf_route, as in pf_test. A reassembled packet (v->reass) is handed back whole:
 * the caller sends those bytes, rewritten or not. */
void
pfm_frag_act_pass(struct pfm *pf, struct pfm_pd *pd, const struct pfm_state *s,
    struct pfm_verdict *v)
{
	const struct pfm_act *a;
	uint8_t head[256];
	size_t n, all;

	if (s != NULL) {
		if (!(s->cold & PFM_SC_ACT))
			return;
		pd->act = s->act;
	}
	a = &pd->act;
	if (act_empty(a))
		return;
	/* the headers these change: IP (options, extension headers) and TCP */
	all = n = (size_t)pd->off + (pd->proto == 6 && !pd->frag ? pd->thoff : 0);
	if (n > sizeof(head))
		n = sizeof(head);
	memcpy(head, pd->pkt, n);
	if (pd->af == 4)
		scrub_ip4(pf, pd->pkt, a);
	else
		scrub_ip6(pd->pkt, a);
	if (a->max_mss && pd->proto == 6 && !pd->frag && pd->thoff > 20)
		scrub_mss(pd, a->max_mss);
	if ((all > n || memcmp(head, pd->pkt, n) != 0) && v->reass == NULL)
		v->rewritten = 1;
}

/* The IPv6 headers up to the fragment header: its offset and that of the last
 * extension header before it (0: none). -1 when there is none (not a fragment). */
static int
v6_fraghdr(const struct pfm_pd *pd, size_t *fh, size_t *extoff)
{
	size_t off = 40;
	uint8_t nxt = pd->pkt[6];
	const uint8_t *p;

	*extoff = 0;
	for (;;) {
		p = pd->pkt + off;
		switch (nxt) {
		case 44:
			if (off + 8 > pd->len)
				return (-1);
			*fh = off;
			return (0);
		case 0:
		case 43:
		case 51:
		case 60:
			if (off + 8 > pd->len)
				return (-1);
			*extoff = off;
			off += nxt == 51 ? ((size_t)p[1] + 2) * 4 : ((size_t)p[1] + 1) * 8;
			nxt = p[0];
			break;
		default:
			return (-1);
		}
	}
}

int
pfm_frag_reass_opt(const char *pre)
{
	const char *l;
	int v = 0;

	/* The parser keeps `set reassemble` only in what pfctl -nv prints; the last one
	 * written counts. */
	for (l = pre; l != NULL && *l != '\0'; l = strchr(l, '\n') ? strchr(l, '\n') + 1 :
	    NULL) {
		if (strncmp(l, "set reassemble yes", 18) == 0)
			v = PFM_REASS_YES | (strncmp(l + 18, " no-df", 6) == 0 ?
			    PFM_REASS_NODF : 0);
		else if (strncmp(l, "set reassemble no", 17) == 0)
			v = 0;
	}
	return (v);
}

/* pf_normalize_ip's IPv4 part: DF cleared for no-df, a fragment checked and queued
 * when scrub reassembles, ip_off of a whole packet cleaned. -1 to go on (*outlen: the
 * length of a reassembled packet, 0: none), else what pfm_frag_normalize returns. */
static int
normalize_ip4(struct pfm *pf, struct pfm_pd *pd, const struct pfm_rule *r,
    int scrub_any, size_t *outlen, enum pfm_res *res)
{
	struct fragq key;
	struct frent fe;
	uint8_t *p = pd->pkt;
	uint16_t ipoff;
	size_t hl;
	int rv, reass;

	memset(&key, 0, sizeof(key));
	memset(&fe, 0, sizeof(fe));
	hl = (size_t)(p[0] & 0x0f) * 4;
	if (hl > pd->tot_len) {
		*res = PFM_RES_NORM;
		return (PFM_FRAG_DROP);
	}
	if (((r != NULL && (r->scrub_flags & PFM_SCRUB_NODF)) ||
	    (!scrub_any && (pf->reass_opt & PFM_REASS_NODF))) &&
	    (pfm_get16(p + 6) & IP_DF_))
		pfm_pkt_set_byte16(p, 6, pfm_get16(p + 6) & ~IP_DF_, 10, 0);
	reass = r != NULL ? !r->fragment_noreass :
	    !scrub_any && (pf->reass_opt & PFM_REASS_YES);
	ipoff = pfm_get16(p + 6);
	if (!pd->frag) {
		if (reass && (ipoff & ~IP_DF_))
			/* only DF may stay in ip_off */
			pfm_pkt_set_byte16(p, 6, ipoff & IP_DF_, 10, 0);
		return (-1);
	}
	fe.len = (uint16_t)(pd->tot_len - hl);
	fe.off = (uint16_t)((ipoff & IP_OFFMASK_) << 3);
	fe.mff = (ipoff & IP_MF_) != 0;
	fe.hdrlen = (uint16_t)hl;
	*res = PFM_RES_FRAG;
	if ((ipoff & IP_DF_) || (fe.mff && (fe.len & 7)) ||
	    (uint32_t)fe.off + fe.len > IP_MAXPACKET_)
		return (PFM_FRAG_DROP);
	if (!reass) {
		*res = PFM_RES_MATCH;
		return (PFM_FRAG_PASS);
	}
	key.af = 4;
	key.proto = p[9];
	key.id = pfm_get16(p + 4);
	memcpy(key.src, p + 12, 4);
	memcpy(key.dst, p + 16, 4);
	rv = reassemble(pf, &key, p, pd->tot_len, &fe, outlen, res);
	return (rv != PFM_FRAG_DONE ? rv : -1);
}

/* pf_normalize_ip6: jumbograms refused, a fragment queued. -1 to go on (*outlen: the
 * length of a reassembled packet, 0: none), else what pfm_frag_normalize returns. */
static int
normalize_ip6(struct pfm *pf, struct pfm_pd *pd, size_t *outlen, enum pfm_res *res)
{
	struct fragq key;
	struct frent fe;
	uint8_t *p = pd->pkt;
	uint16_t ipoff;
	size_t fh, extoff;
	int rv;

	memset(&key, 0, sizeof(key));
	memset(&fe, 0, sizeof(fe));
	if (pfm_get16(p + 4) == 0) {
		*res = PFM_RES_NORM;	/* jumbograms are not supported */
		return (PFM_FRAG_DROP);
	}
	if (v6_fraghdr(pd, &fh, &extoff) == -1)
		return (-1);	/* an atomic fragment too is reassembled */
	ipoff = pfm_get16(p + fh + 2);
	fe.hdrlen = (uint16_t)(fh + 8);
	fe.extoff = (uint16_t)extoff;
	if (pd->tot_len < fe.hdrlen) {
		*res = PFM_RES_SHORT;
		return (PFM_FRAG_DROP);
	}
	fe.len = (uint16_t)(pd->tot_len - fe.hdrlen);
	fe.off = ipoff & 0xfff8;
	fe.mff = ipoff & 1;
	key.af = 6;
	key.id = pfm_get32(p + fh + 4);
	memcpy(key.src, p + 8, 16);
	memcpy(key.dst, p + 24, 16);
	rv = reassemble(pf, &key, p, pd->tot_len, &fe, outlen, res);
	return (rv != PFM_FRAG_DONE ? rv : -1);
}

int
pfm_frag_normalize(struct pfm *pf, struct pfm_pd *pd, const struct pfm_rule *r,
    int scrub_any, enum pfm_res *res)
{
	uint8_t *p, dir = pd->dir;
	uint16_t kif = pd->kif;
	size_t fh, extoff, outlen = 0;
	int rv;

	*res = PFM_RES_MATCH;
	if (pf->frag != NULL && pf->frag->oldest != NULL)
		pfm_frag_purge(pf, pf->now_ms);
	if (scrub_any && (r == NULL || r->action == PFM_R_NOSCRUB))
		return (PFM_FRAG_PASS);
	if (pd->af == 4)
		rv = normalize_ip4(pf, pd, r, scrub_any, &outlen, res);
	else
		rv = normalize_ip6(pf, pd, &outlen, res);
	if (rv != -1)
		return (rv);
	if (outlen != 0) {
		p = pf->frag->out;
		if (pfm_pkt_parse(pd, p, outlen, res) == -1)
			return (PFM_FRAG_DROP);
		pd->dir = dir;
		pd->kif = kif;
		if (pd->af == 4 && (pfm_get16(p + 6) & ~IP_DF_))
			pfm_pkt_set_byte16(p, 6, pfm_get16(p + 6) & IP_DF_, 10, 0);
		if (pd->frag || (pd->af == 6 && v6_fraghdr(pd, &fh, &extoff) == 0)) {
			/* a fragment header inside the reassembled packet (PFDESC_IP_REAS) */
			*res = PFM_RES_MATCH;
			return (PFM_FRAG_DROP);
		}
	}
	/* pf_normalize_ip/ip6: pf_rule_to_actions(r, &pd->act); pf_test applies them
	 * after the verdict, unless a state's replace them */
	if (r != NULL && r->action == PFM_R_SCRUB)
		pfm_frag_act_add(&pd->act, r);
	*res = PFM_RES_MATCH;
	return (outlen != 0 ? PFM_FRAG_DONE : PFM_FRAG_PASS);
}
