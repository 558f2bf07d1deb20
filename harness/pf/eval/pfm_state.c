/* pfm_state.c: the pf model's state table: keys in an open-addressing hash (see
 * struct pfm_stab), states slab allocated (no malloc per packet), wire/stack lookup,
 * collisions, expiry by the caller's clock, adaptive timeouts. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pfm_impl.h"

#define STAB_INIT_SLOTS		1024		/* 16 KB; doubled at half full */
#define STAB_SLAB_MIN		32		/* states in the first slab */
#define STAB_SLAB_MAX		16384		/* a slab adds 1/8 of the states up to this */
#define HUGE_ALIGN		(2u << 20)
#define KEY_CMP_LEN		offsetof(struct pfm_skey, idx)

/* The layout pfm_kstate.h promises on LP64: the build fails rather than the bench. */
_Static_assert(sizeof(void *) != 8 || (sizeof(struct pfm_state) == 256 &&
    offsetof(struct pfm_state, src) == 64 && offsetof(struct pfm_state, skey) == 128 &&
    offsetof(struct pfm_state, anchor) == 192),
    "struct pfm_state: four cache lines, hot fields in the first two");

static struct pfm_state *
key_state(const struct pfm_skey *k)
{
	return ((struct pfm_state *)(void *)((char *)(uintptr_t)k -
	    (k->idx == PFM_SK_WIRE ? offsetof(struct pfm_state, wkey) :
	    offsetof(struct pfm_state, skey))));
}

/* The lines a hit reads: the key's own (line 2 for a stack key), lines 0 and 1. */
static void
prefetch_hit(const struct pfm_skey *k)
{
	const char *s = (const char *)key_state(k);

	__builtin_prefetch(k);
	__builtin_prefetch(s);
	__builtin_prefetch(s + 64);
}

/* Large tables live in 2 MB aligned blocks the kernel may back with huge pages: at
 * 10^6 states a lookup is two cache misses, and TLB misses would double that. Small
 * ones are cache-line aligned. *n becomes the size allocated. */
static void *
big_alloc(size_t *n)
{
	void *p;

	if (*n < HUGE_ALIGN) {
		*n = (*n + 63) & ~(size_t)63;
		return (aligned_alloc(64, *n));
	}
	*n = (*n + HUGE_ALIGN - 1) & ~(size_t)(HUGE_ALIGN - 1);
	if ((p = aligned_alloc(HUGE_ALIGN, *n)) == NULL)
		return (NULL);
#ifdef MADV_HUGEPAGE
	madvise(p, *n, MADV_HUGEPAGE);
#endif
	return (p);
}

static uint64_t
rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return (v);
}

/* The key's 64-bit hash: its low bits pick the home slot, all of it is the tag. */
static uint64_t
key_hash(const struct pfm_stab *t, const struct pfm_skey *k)
{
	uint64_t h = t->hashkey ^ ((uint64_t)k->proto << 8 | k->af);
	uint32_t pp;
	int i;

	memcpy(&pp, k->port, 4);
	for (i = 0; i < 2; i++) {
		h = (h ^ rd64(k->addr[i])) * 0x9e3779b97f4a7c15ULL;
		h = (h ^ rd64(k->addr[i] + 8)) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	h = (h ^ pp) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 32;
	return (h);
}

static struct pfm_hslot *
slots_new(size_t n, size_t *bytes)
{
	struct pfm_hslot *sl;

	*bytes = n * sizeof(*sl);
	if ((sl = big_alloc(bytes)) != NULL)
		memset(sl, 0, n * sizeof(*sl));
	return (sl);
}

int
pfm_stab_init(struct pfm_stab *t)
{
	memset(t, 0, sizeof(*t));
	if ((t->slot = slots_new(STAB_INIT_SLOTS, &t->bytes)) == NULL)
		return (-1);
	t->mask = STAB_INIT_SLOTS - 1;
	t->hashkey = 0x5bd1e995;
	return (0);
}

void
pfm_stab_free(struct pfm_stab *t)
{
	struct pfm_state *s;
	size_t i;

	for (s = t->head; s != NULL; s = s->lnext)
		free(s->mrules);	/* FreeBSD 15's match rules (pfm_fb15.c) */
	for (i = 0; i < t->nslab; i++)
		free(t->slab[i]);
	free(t->slab);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

/* Append k at the end of its probe run: after every equal key already there. */
static void
slot_put(struct pfm_stab *t, struct pfm_skey *k, uint64_t h)
{
	size_t i;

	for (i = h & t->mask; t->slot[i].k != NULL; i = (i + 1) & t->mask)
		;
	t->slot[i].h = h;
	t->slot[i].k = k;
}

/* Double the slots when they would be more than half full. The old slots are read
 * run by run from an empty one, so equal keys keep their order. */
static void
stab_grow(struct pfm_stab *t)
{
	struct pfm_stab old = *t;
	size_t n = (t->mask + 1) * 2, i, e, bytes;

	if ((t->slot = slots_new(n, &bytes)) == NULL) {
		t->slot = old.slot;
		return;		/* keep the longer runs */
	}
	t->mask = n - 1;
	for (e = 0; old.slot[e].k != NULL; e++)
		;
	for (i = 1; i <= old.mask + 1; i++) {
		struct pfm_hslot *sl = &old.slot[(e + i) & old.mask];

		if (sl->k != NULL)
			slot_put(t, sl->k, sl->h);
	}
	t->bytes += bytes - (old.mask + 1) * sizeof(*old.slot);
	free(old.slot);
}

void
pfm_key_from_pd(const struct pfm_pd *pd, struct pfm_skey *k, int sidx)
{
	size_t alen = pd->af == 4 ? 4 : 16;

	memset(k, 0, sizeof(*k));
	memcpy(k->addr[sidx], pd->pkt + pd->src_off, alen);
	memcpy(k->addr[!sidx], pd->pkt + pd->dst_off, alen);
	k->port[sidx] = pd->sport;
	k->port[!sidx] = pd->dport;
	k->af = pd->af;
	k->proto = pd->proto;
}

static int
key_eq(const struct pfm_skey *a, const struct pfm_skey *b)
{
	return (memcmp(a, b, KEY_CMP_LEN) == 0);
}

static int
key_has_role(const struct pfm_skey *k, int role)
{
	return (k->both || k->idx == role);
}

uint32_t
pfm_state_timeout_ms(struct pfm *pf, const struct pfm_state *s)
{
	const struct pfm_rule *r = s->rule;
	uint64_t timeout, start, end, states;

	if (s->timeout >= PFM_TM_MAX)
		return (0);
	timeout = r != NULL ? r->timeout[s->timeout] : 0;
	if (timeout == 0)
		timeout = pf->timeout[s->timeout];
	start = r != NULL ? r->timeout[PFM_TM_ADAPTIVE_START] : 0;
	if (start != 0) {
		end = r->timeout[PFM_TM_ADAPTIVE_END];
		states = r->states_cur;
	} else {
		start = pf->timeout[PFM_TM_ADAPTIVE_START];
		end = pf->timeout[PFM_TM_ADAPTIVE_END];
		states = pf->st.count;
	}
	if (end != 0 && states > start && start < end) {
		if (states >= end)
			return (0);
		timeout = timeout * (end - states) / (end - start);
	}
	return ((uint32_t)(timeout * 1000));
}

int
pfm_state_expired(struct pfm *pf, const struct pfm_state *s, uint64_t now)
{
	return (s->expire_ms + pfm_state_timeout_ms(pf, s) <= now);
}

struct pfm_state *
pfm_state_find(struct pfm *pf, const struct pfm_skey *key, int role, uint16_t kif)
{
	struct pfm_stab *t = &pf->st;
	struct pfm_hslot *sl;
	struct pfm_state *s;
	uint64_t h = key_hash(t, key);
	size_t i;

	pf->fcounters[PFM_FCNT_SEARCH]++;
	for (i = h & t->mask; (sl = &t->slot[i])->k != NULL; i = (i + 1) & t->mask) {
		if (sl->h != h)
			continue;
		s = key_state(sl->k);
		/* start the misses a hit takes in parallel */
		prefetch_hit(sl->k);
		if (!key_eq(sl->k, key) || !key_has_role(sl->k, role))
			continue;
		if (s->kif != PFM_KIF_ALL && s->kif != kif && s->orig_kif != kif)
			continue;
		if (pfm_state_expired(pf, s, pf->now_ms)) {
			/* what pf's purge thread would have removed by now; its
			 * keys' runs shifted back: look again from the start */
			pfm_state_unlink(pf, s);
			i = (h & t->mask) - 1;
			continue;
		}
		return (s);
	}
	return (NULL);
}

/* Batched lookups (pfm_test_batch): start the misses a lookup of key will take, in
 * two steps a batch interleaves: the key's home slot, then (once that line is in) the
 * state it names. Only hints: the lookup itself is pfm_state_find's. */
uint64_t
pfm_state_prefetch_slot(const struct pfm *pf, const struct pfm_skey *key)
{
	uint64_t h = key_hash(&pf->st, key);

	__builtin_prefetch(&pf->st.slot[h & pf->st.mask]);
	return (h);
}

void
pfm_state_prefetch_state(const struct pfm *pf, uint64_t h)
{
	const struct pfm_stab *t = &pf->st;
	const struct pfm_hslot *sl;
	size_t i;

	/* the key's run: at half load a third of the keys sit past their home slot */
	for (i = h & t->mask; (sl = &t->slot[i])->k != NULL; i = (i + 1) & t->mask)
		if (sl->h == h) {
			prefetch_hit(sl->k);
			return;
		}
}

/* pf_find_state_all(key, dir) != NULL: any state has this wire (role 0) or stack key. */
int
pfm_state_exists(struct pfm *pf, const struct pfm_skey *key, int role)
{
	struct pfm_stab *t = &pf->st;
	struct pfm_hslot *sl;
	uint64_t h = key_hash(t, key);
	size_t i;

	pf->fcounters[PFM_FCNT_SEARCH]++;
	for (i = h & t->mask; (sl = &t->slot[i])->k != NULL; i = (i + 1) & t->mask)
		if (sl->h == h && key_eq(sl->k, key) && key_has_role(sl->k, role) &&
		    !pfm_state_expired(pf, key_state(sl->k), pf->now_ms))
			return (1);
	return (0);
}

/* A new slab adds an eighth of the states held so far (32 at least, 16384 at most),
 * so at most about 1/8 of the slab memory waits unused; 2 MB blocks are filled. */
static int
slab_add(struct pfm_stab *t)
{
	struct pfm_state *slab;
	void **ns;
	size_t i, nst, bytes;

	if (t->nslab == t->slabcap) {
		size_t cap = t->slabcap ? t->slabcap * 2 : 16;

		if ((ns = realloc(t->slab, cap * sizeof(*ns))) == NULL)
			return (-1);
		t->slab = ns;
		t->slabcap = cap;
	}
	nst = t->nalloc / 8;
	nst = nst < STAB_SLAB_MIN ? STAB_SLAB_MIN : nst > STAB_SLAB_MAX ? STAB_SLAB_MAX : nst;
	bytes = nst * sizeof(*slab);
	if ((slab = big_alloc(&bytes)) == NULL)
		return (-1);
	nst = bytes / sizeof(*slab);
	t->slab[t->nslab++] = slab;
	t->bytes += bytes;
	t->nalloc += nst;
	for (i = nst; i-- > 0;) {
		slab[i].lnext = t->freelist;
		t->freelist = &slab[i];
	}
	return (0);
}

struct pfm_state *
pfm_state_alloc(struct pfm *pf)
{
	struct pfm_stab *t = &pf->st;
	struct pfm_state *s;

	if (t->freelist == NULL && slab_add(t) == -1)
		return (NULL);
	s = t->freelist;
	t->freelist = s->lnext;
	memset(s, 0, sizeof(*s));
	return (s);
}

static void
state_release(struct pfm *pf, struct pfm_state *s)
{
	s->lnext = pf->st.freelist;
	pf->st.freelist = s;
}

/* Take k out of the table: later keys of its run shift back (no tombstones), an
 * entry moving only onto a slot between its home and where it was. */
static void
slot_remove(struct pfm_stab *t, struct pfm_skey *k)
{
	size_t i, j, home;

	for (i = key_hash(t, k) & t->mask; t->slot[i].k != k; i = (i + 1) & t->mask)
		if (t->slot[i].k == NULL)
			return;
	for (j = i;;) {
		j = (j + 1) & t->mask;
		if (t->slot[j].k == NULL)
			break;
		home = t->slot[j].h & t->mask;
		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			t->slot[i] = t->slot[j];
			i = j;
		}
	}
	t->slot[i].k = NULL;
	t->slot[i].h = 0;
	t->nkeys--;
}

/* pf_state_key_attach's check: an existing state with the same key in the same role,
 * interface and direction collides, unless it is a TCP state both of whose sides
 * reached FIN_WAIT_2, which is removed. 0 fine, -1 collision. */
static int
key_collides(struct pfm *pf, const struct pfm_state *s, const struct pfm_skey *nk)
{
	struct pfm_stab *t = &pf->st;
	struct pfm_hslot *sl;
	struct pfm_state *si;
	uint64_t h = key_hash(t, nk);
	size_t i;
	int role;

	for (role = 0; role < 2; role++) {
		if (!key_has_role(nk, role))
			continue;
		for (i = h & t->mask; (sl = &t->slot[i])->k != NULL;
		    i = (i + 1) & t->mask) {
			if (sl->h != h || !key_eq(sl->k, nk) || !key_has_role(sl->k, role))
				continue;
			si = key_state(sl->k);
			if (si->kif != s->kif || si->direction != s->direction)
				continue;
			if (pfm_state_expired(pf, si, pf->now_ms) ||
			    (nk->proto == 6 && si->src.state >= PFM_TCPS_FIN_WAIT_2 &&
			    si->dst.state >= PFM_TCPS_FIN_WAIT_2)) {
				pfm_state_unlink(pf, si);
				i = (h & t->mask) - 1;	/* the run changed: again */
				continue;
			}
			return (-1);
		}
	}
	return (0);
}

int
pfm_state_insert(struct pfm *pf, struct pfm_state *s)
{
	struct pfm_stab *t = &pf->st;
	int nkeys = s->wkey.both ? 1 : 2, i;

	s->wkey.idx = PFM_SK_WIRE;
	s->skey.idx = PFM_SK_STACK;
	for (i = 0; i < nkeys; i++)
		if (key_collides(pf, s, PFM_SKEY(s, i)) == -1) {
			state_release(pf, s);
			return (-1);
		}
	if (2 * (t->nkeys + nkeys) > t->mask + 1)
		stab_grow(t);
	for (i = 0; i < nkeys; i++)
		slot_put(t, PFM_SKEY(s, i), key_hash(t, PFM_SKEY(s, i)));
	t->nkeys += nkeys;
	t->count++;
	s->lprev = t->tail;
	s->lnext = NULL;
	if (t->tail != NULL)
		t->tail->lnext = s;
	else
		t->head = s;
	t->tail = s;
	pf->fcounters[PFM_FCNT_INSERT]++;
	if (s->rule != NULL) {
		((struct pfm_rule *)(uintptr_t)s->rule)->states_cur++;
		((struct pfm_rule *)(uintptr_t)s->rule)->states_tot++;
	}
	/* FreeBSD 15: a pass rule's own nat-to or rdr-to is both the state's rule and
	 * its translation rule, and its states count once: main's counters.sh
	 * nat_pass sees `States: 1` on such a rule, as state_count (pfm_eval.c)
	 * counts its packets once */
	if (s->nat_rule != NULL && s->nat_rule != s->rule) {
		((struct pfm_rule *)(uintptr_t)s->nat_rule)->states_cur++;
		((struct pfm_rule *)(uintptr_t)s->nat_rule)->states_tot++;
	}
	/* STATE_INC_COUNTERS: the anchor rule counts the states made inside it */
	if (s->anchor != NULL) {
		((struct pfm_rule *)(uintptr_t)s->anchor)->states_cur++;
		((struct pfm_rule *)(uintptr_t)s->anchor)->states_tot++;
	}
	/* pf_state_insert: the id from pf's counter (V_pf_stateid, set to the time
	 * at DIOCSTART), the creator pf's hostid (pfm_show.c prints it) */
	s->id = pf->stateid++;
	return (0);
}

/* FreeBSD 15's STATE_DEC_COUNTERS for the match rules pfm15_state gave the state:
 * each but its nat_rule (counted above) has one state less; the list goes. */
static void
match_rules_gone(struct pfm_state *s)
{
	struct pfm_rule **m;

	for (m = s->mrules; *m != NULL; m++)
		if (*m != s->nat_rule && (*m)->states_cur > 0)
			(*m)->states_cur--;
	free(s->mrules);
	s->mrules = NULL;
	s->cold &= (uint8_t)~PFM_SC_MATCH;
}

void
pfm_state_unlink(struct pfm *pf, struct pfm_state *s)
{
	struct pfm_stab *t = &pf->st;

	slot_remove(t, &s->wkey);
	if (!s->wkey.both)
		slot_remove(t, &s->skey);
	if (s->lprev != NULL)
		s->lprev->lnext = s->lnext;
	else
		t->head = s->lnext;
	if (s->lnext != NULL)
		s->lnext->lprev = s->lprev;
	else
		t->tail = s->lprev;
	t->count--;
	pf->fcounters[PFM_FCNT_REMOVALS]++;
	if (s->rule != NULL && s->rule->states_cur > 0)
		((struct pfm_rule *)(uintptr_t)s->rule)->states_cur--;
	if (s->nat_rule != NULL && s->nat_rule != s->rule &&
	    s->nat_rule->states_cur > 0)
		((struct pfm_rule *)(uintptr_t)s->nat_rule)->states_cur--;
	if (s->anchor != NULL && s->anchor->states_cur > 0)
		((struct pfm_rule *)(uintptr_t)s->anchor)->states_cur--;
	if (s->cold & PFM_SC_MATCH)
		match_rules_gone(s);
	if (pf->src != NULL)
		pfm_src_state_gone(pf, s);
	pfm_udpmap_state_gone(pf, s);
	s->unlinked = 1;
	state_release(pf, s);
}

/* pf_overload_task's flush: the source's states (of rule r, or of every rule with
 * `flush global`) end. The source is the wire key's first address for a rule that
 * passes `in`, its second for `out`. */
static void
flush_source(struct pfm *pf, const struct pfm_state *cur, const uint8_t *a, int af)
{
	struct pfm_state *s, *next;
	const struct pfm_skey *wk;
	int global = cur->rule->flush == 2, ai = cur->direction == PFM_OUT ? 1 : 0;

	for (s = pf->st.head; s != NULL; s = next) {
		next = s->lnext;
		if (s == cur)
			continue;
		wk = PFM_ST_KEY(s, PFM_SK_WIRE);
		if (wk->af != af || (!global && s->rule != cur->rule) ||
		    memcmp(wk->addr[ai], a, af == 4 ? 4 : 16) != 0)
			continue;
		pfm_state_unlink(pf, s);
	}
}

int
pfm_state_connlimit(struct pfm *pf, struct pfm_state *s)
{
	uint8_t a[16];
	int af = 0, rc;

	if (pf->src == NULL)
		return (0);
	if ((rc = pfm_src_connlimit(pf, s, a, &af)) == 2)
		flush_source(pf, s, a, af);
	return (rc != 0);
}
