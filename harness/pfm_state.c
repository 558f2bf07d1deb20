/* pfm_state.c: the pf model's state table: keys hashed into chains, states slab
 * allocated (no malloc per packet), wire/stack lookup, collisions, expiry by the
 * caller's clock, adaptive timeouts. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pfm_impl.h"

#define STAB_INIT_BUCKETS	1024
#define STAB_SLAB_MIN		256		/* states in the first slab */
#define STAB_SLAB_MAX		16384		/* slabs double up to this */
#define HUGE_ALIGN		(2u << 20)
#define KEY_CMP_LEN		offsetof(struct pfm_skey, idx)

static struct pfm_state *
key_state(const struct pfm_skey *k)
{
	return ((struct pfm_state *)(void *)((char *)(uintptr_t)(k - k->idx)
	    - offsetof(struct pfm_state, key)));
}

/* Large tables live in 2 MB aligned blocks the kernel may back with huge pages: at
 * 10^6 states a lookup is two cache misses, and TLB misses would double that. */
static void *
big_alloc(size_t n)
{
	void *p;

	if (n < HUGE_ALIGN)
		return (malloc(n));
	n = (n + HUGE_ALIGN - 1) & ~(size_t)(HUGE_ALIGN - 1);
	if ((p = aligned_alloc(HUGE_ALIGN, n)) == NULL)
		return (NULL);
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE);
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

static size_t
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
	return ((size_t)h & t->mask);
}

int
pfm_stab_init(struct pfm_stab *t)
{
	memset(t, 0, sizeof(*t));
	t->bucket = calloc(STAB_INIT_BUCKETS, sizeof(*t->bucket));
	if (t->bucket == NULL)
		return (-1);
	t->mask = STAB_INIT_BUCKETS - 1;
	t->bytes = STAB_INIT_BUCKETS * sizeof(*t->bucket);
	t->hashkey = 0x5bd1e995;
	return (0);
}

void
pfm_stab_free(struct pfm_stab *t)
{
	size_t i;

	for (i = 0; i < t->nslab; i++)
		free(t->slab[i]);
	free(t->slab);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

/* Double the buckets when the chains would average more than one key. */
static void
stab_grow(struct pfm_stab *t)
{
	size_t n = (t->mask + 1) * 2, i;
	struct pfm_skey **nb, *k, *next, **tail;
	struct pfm_stab tmp;

	if ((nb = big_alloc(n * sizeof(*nb))) == NULL)
		return;		/* keep the longer chains */
	memset(nb, 0, n * sizeof(*nb));
	tmp = *t;
	tmp.mask = n - 1;
	for (i = 0; i <= t->mask; i++)
		for (k = t->bucket[i]; k != NULL; k = next) {
			next = k->hnext;
			/* keep the relative order of equal keys: append */
			tail = &nb[key_hash(&tmp, k)];
			while (*tail != NULL)
				tail = &(*tail)->hnext;
			k->hnext = NULL;
			*tail = k;
		}
	free(t->bucket);
	t->bytes += (n - (t->mask + 1)) * sizeof(*nb);
	t->bucket = nb;
	t->mask = n - 1;
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
	struct pfm_skey *k, *next;
	struct pfm_state *s;

	pf->fcounters[PFM_FCNT_SEARCH]++;
	for (k = pf->st.bucket[key_hash(&pf->st, key)]; k != NULL; k = next) {
		next = k->hnext;
		s = key_state(k);
		/* a hit touches all of the state: start its misses in parallel */
		__builtin_prefetch((char *)s + 64);
		__builtin_prefetch((char *)s + 128);
		__builtin_prefetch((char *)s + 192);
		if (!key_eq(k, key) || !key_has_role(k, role))
			continue;
		if (s->kif != PFM_KIF_ALL && s->kif != kif && s->orig_kif != kif)
			continue;
		if (pfm_state_expired(pf, s, pf->now_ms)) {
			/* what pf's purge thread would have removed by now */
			pfm_state_unlink(pf, s);
			continue;
		}
		return (s);
	}
	return (NULL);
}

/* pf_find_state_all(key, dir) != NULL: any state has this wire (role 0) or stack key. */
int
pfm_state_exists(struct pfm *pf, const struct pfm_skey *key, int role)
{
	struct pfm_skey *k;

	pf->fcounters[PFM_FCNT_SEARCH]++;
	for (k = pf->st.bucket[key_hash(&pf->st, key)]; k != NULL; k = k->hnext)
		if (key_eq(k, key) && key_has_role(k, role) &&
		    !pfm_state_expired(pf, key_state(k), pf->now_ms))
			return (1);
	return (0);
}

struct pfm_state *
pfm_state_alloc(struct pfm *pf)
{
	struct pfm_stab *t = &pf->st;
	struct pfm_state *s, *slab;
	void **ns;
	size_t i, nst;

	if (t->freelist == NULL) {
		if (t->nslab == t->slabcap) {
			size_t cap = t->slabcap ? t->slabcap * 2 : 16;

			if ((ns = realloc(t->slab, cap * sizeof(*ns))) == NULL)
				return (NULL);
			t->slab = ns;
			t->slabcap = cap;
		}
		nst = (size_t)STAB_SLAB_MIN << (t->nslab < 6 ? t->nslab : 6);
		if (nst > STAB_SLAB_MAX)
			nst = STAB_SLAB_MAX;
		if ((slab = big_alloc(nst * sizeof(*slab))) == NULL)
			return (NULL);
		t->slab[t->nslab++] = slab;
		t->bytes += nst * sizeof(*slab);
		for (i = nst; i-- > 0;) {
			slab[i].lnext = t->freelist;
			t->freelist = &slab[i];
		}
	}
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

static void
chain_remove(struct pfm_stab *t, struct pfm_skey *k)
{
	struct pfm_skey **pp;

	for (pp = &t->bucket[key_hash(t, k)]; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == k) {
			*pp = k->hnext;
			return;
		}
}

/* pf_state_key_attach's check: an existing state with the same key in the same role,
 * interface and direction collides, unless it is a TCP state both of whose sides
 * reached FIN_WAIT_2, which is removed. 0 fine, -1 collision. */
static int
key_collides(struct pfm *pf, const struct pfm_state *s, const struct pfm_skey *nk)
{
	struct pfm_skey *k, *next;
	struct pfm_state *si;
	int role;

	for (role = 0; role < 2; role++) {
		if (!key_has_role(nk, role))
			continue;
		for (k = pf->st.bucket[key_hash(&pf->st, nk)]; k != NULL; k = next) {
			next = k->hnext;
			if (!key_eq(k, nk) || !key_has_role(k, role))
				continue;
			si = key_state(k);
			if (si->kif != s->kif || si->direction != s->direction)
				continue;
			if (pfm_state_expired(pf, si, pf->now_ms) ||
			    (nk->proto == 6 && si->src.state >= PFM_TCPS_FIN_WAIT_2 &&
			    si->dst.state >= PFM_TCPS_FIN_WAIT_2)) {
				pfm_state_unlink(pf, si);
				next = pf->st.bucket[key_hash(&pf->st, nk)];
				continue;
			}
			return (-1);
		}
	}
	return (0);
}

static void
chain_insert(struct pfm_stab *t, struct pfm_skey *nk)
{
	struct pfm_skey **pp, **after = NULL;

	/* after the last equal key, so older states are found first (pf's TAILQ) */
	for (pp = &t->bucket[key_hash(t, nk)]; *pp != NULL; pp = &(*pp)->hnext)
		if (key_eq(*pp, nk))
			after = &(*pp)->hnext;
	if (after == NULL)
		after = &t->bucket[key_hash(t, nk)];
	nk->hnext = *after;
	*after = nk;
}

int
pfm_state_insert(struct pfm *pf, struct pfm_state *s)
{
	struct pfm_stab *t = &pf->st;
	int nkeys = s->key[0].both ? 1 : 2, i;

	s->key[0].idx = PFM_SK_WIRE;
	s->key[1].idx = PFM_SK_STACK;
	for (i = 0; i < nkeys; i++)
		if (key_collides(pf, s, &s->key[i]) == -1) {
			state_release(pf, s);
			return (-1);
		}
	if (t->count + nkeys > t->mask + 1)
		stab_grow(t);
	for (i = 0; i < nkeys; i++)
		chain_insert(t, &s->key[i]);
	t->count++;
	s->lprev = t->tail;
	s->lnext = NULL;
	if (t->tail != NULL)
		t->tail->lnext = s;
	else
		t->head = s;
	t->tail = s;
	s->id = ++pf->next_id;
	pf->fcounters[PFM_FCNT_INSERT]++;
	if (s->rule != NULL) {
		((struct pfm_rule *)(uintptr_t)s->rule)->states_cur++;
		((struct pfm_rule *)(uintptr_t)s->rule)->states_tot++;
	}
	if (s->nat_rule != NULL) {
		((struct pfm_rule *)(uintptr_t)s->nat_rule)->states_cur++;
		((struct pfm_rule *)(uintptr_t)s->nat_rule)->states_tot++;
	}
	return (0);
}

void
pfm_state_unlink(struct pfm *pf, struct pfm_state *s)
{
	struct pfm_stab *t = &pf->st;

	chain_remove(t, &s->key[0]);
	if (!s->key[0].both)
		chain_remove(t, &s->key[1]);
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
	if (s->nat_rule != NULL && s->nat_rule->states_cur > 0)
		((struct pfm_rule *)(uintptr_t)s->nat_rule)->states_cur--;
	s->unlinked = 1;
	state_release(pf, s);
}
