/* pfm_src.c: source tracking as FreeBSD 14 pf does it (pf_src_node): nodes per source
 * address for rules with max-src-*, source-track or sticky-address; their limits on new
 * states, the established-connection and connection-rate limits with overload tables
 * (pf_src_connlimit; the flush of pf_overload_task is pfm_state.c's), sticky addresses
 * (pf_map_addr), expiry after the last state plus src.track, pfctl -sS. */
/*
 * A node is keyed by (rule, address family, address), whatever the source-track
 * mode: FreeBSD 14's pf_insert_src_node and pf_find_src_node always key it by the
 * rule that created it, so `source-track global` shares nothing between rules there
 * (OpenBSD's pf gives global tracking one node per source).
 * A state holds at most two nodes: its filter rule's and its translation rule's
 * (sticky-address). The link lives here, in a table keyed by the state's address,
 * so states without tracking carry nothing and pay one test when they go.
 * Deviations from pf, for determinism only: pf's purge thread frees a node whose
 * last state went src.track seconds ago at its next run (every `interval`), and
 * until then the node is still found; here it is gone exactly at that time. A state
 * killed by a flush is unlinked at once (pf marks it and its purge thread takes it
 * within `interval`); the state that crossed the limit is marked as pf marks it.
 * pf fills the overload table and flushes from a task queued by the packet that
 * crossed the limit; here that happens before the packet's verdict returns.
 * FreeBSD 15 types its nodes (limit, NAT/RDR sticky, route sticky; PFM_SN_*): a node
 * is keyed by (rule, type, address), the rule NULL for `source-track global`; which
 * nodes a state makes and how they print is pfm_src15.c's. Under 14 the filter
 * rule's node is typed limit, the translation rule's NAT.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

#define SRC_BUCKETS0	256		/* doubled when the table holds more entries */
#define THRESHOLD_MULT	1000		/* pf's PF_THRESHOLD_MULT */

/* pf's LCNT_* indices (pfctl -vsi "Limit Counters"). */
enum { LCNT_STATES, LCNT_SRCSTATES, LCNT_SRCNODES, LCNT_SRCCONN, LCNT_SRCCONNRATE,
	LCNT_OVERLOAD_TABLE, LCNT_OVERLOAD_FLUSH };

struct pfm_srcnode {
	struct pfm_srcnode *hnext;		/* hash chain */
	struct pfm_srcnode *lnext, *lprev;	/* every node, creation order */
	const struct pfm_rule *rule;	/* the rule that made it; NULL: the default
					 * rule (FreeBSD 15's source-track global) */
	uint8_t		type;		/* PFM_SN_* */
	uint8_t		addr[16];
	uint8_t		raddr[16];	/* sticky: the translation address */
	uint8_t		af;		/* 4 or 6 */
	uint32_t	states, conn;
	uint64_t	expire_ms;	/* states == 0: gone at this time */
	uint64_t	creation_ms;	/* made (pfctl -sS -v's age) */
	uint64_t	packets[2], bytes[2];	/* [0] in, [1] out (pf_test) */
	/* pf_threshold: max-src-conn-rate, count in 1/1000 connections */
	uint32_t	rate_limit, rate_seconds, rate_count;
	uint64_t	rate_last;	/* seconds */
};

struct pfm_srclink {
	struct pfm_srclink *next;
	const struct pfm_state *s;
	struct pfm_srcnode *sn[PFM_SN_MAX];	/* by type */
	int		tcp_est;	/* counted in sn[PFM_SN_LIMIT]->conn */
};

struct pfm_srctab {
	struct pfm_srcnode **nb;	/* node buckets */
	size_t		nnb, count;
	struct pfm_srcnode *head, *tail;
	struct pfm_srclink **lb;	/* link buckets */
	size_t		nlb, nlinks;
	uint64_t	scounters[PFM_FCNT_MAX];	/* search, insert, removal */
};

static uint64_t
mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (h);
}

static size_t
node_hash(const struct pfm_srctab *t, const struct pfm_rule *r, int type,
    const uint8_t *a, int af)
{
	uint64_t h = (uint64_t)(uintptr_t)r ^ (uint64_t)af << 56 ^ (uint64_t)type << 48;
	uint32_t x;
	int i;

	for (i = 0; i < (af == 4 ? 4 : 16); i += 4) {
		memcpy(&x, a + i, 4);
		h = mix(h ^ x);
	}
	return ((size_t)h & (t->nnb - 1));
}

static size_t
link_hash(const struct pfm_srctab *t, const struct pfm_state *s)
{
	return ((size_t)mix((uint64_t)(uintptr_t)s) & (t->nlb - 1));
}

static struct pfm_srctab *
tab_get(struct pfm *pf)
{
	struct pfm_srctab *t;

	if (pf->src != NULL)
		return (pf->src);
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return (NULL);
	t->nnb = t->nlb = SRC_BUCKETS0;
	t->nb = calloc(t->nnb, sizeof(*t->nb));
	t->lb = calloc(t->nlb, sizeof(*t->lb));
	if (t->nb == NULL || t->lb == NULL) {
		free(t->nb);
		free(t->lb);
		free(t);
		return (NULL);
	}
	pf->src = t;
	return (t);
}

void
pfm_src_free(struct pfm *pf)
{
	struct pfm_srctab *t = pf->src;
	struct pfm_srcnode *n, *nn;
	struct pfm_srclink *l, *nl;
	size_t i;

	if (t == NULL)
		return;
	for (n = t->head; n != NULL; n = nn) {
		nn = n->lnext;
		free(n);
	}
	for (i = 0; i < t->nlb; i++)
		for (l = t->lb[i]; l != NULL; l = nl) {
			nl = l->next;
			free(l);
		}
	free(t->nb);
	free(t->lb);
	free(t);
	pf->src = NULL;
}

static int
node_dead(const struct pfm_srcnode *n, uint64_t now)
{
	return (n->states == 0 && n->expire_ms <= now);
}

static void
node_remove(struct pfm_srctab *t, struct pfm_srcnode *n)
{
	struct pfm_srcnode **pp;

	for (pp = &t->nb[node_hash(t, n->rule, n->type, n->addr, n->af)]; *pp != n;
	    pp = &(*pp)->hnext)
		;
	*pp = n->hnext;
	if (n->lprev != NULL)
		n->lprev->lnext = n->lnext;
	else
		t->head = n->lnext;
	if (n->lnext != NULL)
		n->lnext->lprev = n->lprev;
	else
		t->tail = n->lprev;
	t->count--;
	t->scounters[PFM_FCNT_REMOVALS]++;
	free(n);
}

/* pf_find_src_node; a node past its expiry is freed on the way (see the top). */
static struct pfm_srcnode *
node_find(struct pfm *pf, const struct pfm_rule *r, int type, const uint8_t *a, int af)
{
	struct pfm_srctab *t = pf->src;
	struct pfm_srcnode *n;
	int alen = af == 4 ? 4 : 16;

	t->scounters[PFM_FCNT_SEARCH]++;
	for (n = t->nb[node_hash(t, r, type, a, af)]; n != NULL; n = n->hnext)
		if (n->rule == r && n->type == type && n->af == af &&
		    memcmp(n->addr, a, alen) == 0)
			break;
	if (n != NULL && node_dead(n, pf->now_ms)) {
		node_remove(t, n);
		return (NULL);
	}
	return (n);
}

/* Double the node buckets when the nodes outnumber them. */
static void
node_grow(struct pfm_srctab *t)
{
	struct pfm_srcnode **nb, *n;
	size_t i, old = t->nnb;

	if ((nb = calloc(old * 2, sizeof(*nb))) == NULL)
		return;		/* keep the longer chains */
	free(t->nb);
	t->nb = nb;
	t->nnb = old * 2;
	for (n = t->head; n != NULL; n = n->lnext) {
		i = node_hash(t, n->rule, n->type, n->addr, n->af);
		n->hnext = t->nb[i];
		t->nb[i] = n;
	}
}

static void
link_grow(struct pfm_srctab *t)
{
	struct pfm_srclink **lb, *l, *nl;
	size_t i, j, old = t->nlb;

	if ((lb = calloc(old * 2, sizeof(*lb))) == NULL)
		return;
	t->nlb = old * 2;
	for (i = 0; i < old; i++)
		for (l = t->lb[i]; l != NULL; l = nl) {
			nl = l->next;
			j = link_hash(t, l->s);
			l->next = lb[j];
			lb[j] = l;
		}
	free(t->lb);
	t->lb = lb;
}

static struct pfm_srclink *
link_find(struct pfm_srctab *t, const struct pfm_state *s)
{
	struct pfm_srclink *l;

	for (l = t->lb[link_hash(t, s)]; l != NULL; l = l->next)
		if (l->s == s)
			return (l);
	return (NULL);
}

/* Free nodes past their expiry so that they stop counting against the limits. */
static void
purge(struct pfm *pf)
{
	struct pfm_srcnode *n, *nn;

	for (n = pf->src->head; n != NULL; n = nn) {
		nn = n->lnext;
		if (node_dead(n, pf->now_ms))
			node_remove(pf->src, n);
	}
}

static size_t
rule_nodes(const struct pfm_srctab *t, const struct pfm_rule *r, int type, uint32_t stop)
{
	const struct pfm_srcnode *n;
	size_t c = 0;

	for (n = t->head; n != NULL && c < stop; n = n->lnext)
		if (n->rule == r && n->type == type)
			c++;
	return (c);
}

enum pfm_res
pfm_sn_insert(struct pfm *pf, const struct pfm_rule *key, const struct pfm_rule *r,
    int type, const uint8_t *a, int af, struct pfm_srcnode **out)
{
	struct pfm_srctab *t;
	struct pfm_srcnode *n;
	size_t i;
	int v15 = pfm_is15(pf);

	*out = NULL;
	if ((t = tab_get(pf)) == NULL)
		return (PFM_RES_MEMORY);
	if ((n = node_find(pf, key, type, a, af)) != NULL) {
		/* FreeBSD 14: pf_find_src_node has already counted the new state
		 * (states++) when pf_insert_src_node compares with max-src-states: a
		 * source holds at most max-src-states - 1 states once its node exists
		 * (at least 1). FreeBSD 15 (main's pf_insert_src_node) compares the
		 * states the node has, for limit nodes only: max-src-states of them */
		if (r->max_src_states && type == PFM_SN_LIMIT &&
		    n->states + (v15 ? 0 : 1) >= r->max_src_states) {
			pf->lcounters[LCNT_SRCSTATES]++;
			return (PFM_RES_SRCLIMIT);
		}
		n->states++;
		*out = n;
		return (PFM_RES_MATCH);
	}
	if (r->max_src_nodes && type == PFM_SN_LIMIT) {
		purge(pf);
		if (rule_nodes(t, key, type, r->max_src_nodes) >= r->max_src_nodes) {
			pf->lcounters[LCNT_SRCNODES]++;
			return (PFM_RES_SRCLIMIT);
		}
	}
	if (t->count >= pf->limit_src_nodes) {
		/* the "pf source nodes" zone is full: pf_insert_src_node fails and
		 * FreeBSD 14's pf_create_state says src-limit, 15's memory */
		purge(pf);
		if (t->count >= pf->limit_src_nodes)
			return (v15 ? PFM_RES_MEMORY : PFM_RES_SRCLIMIT);
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return (PFM_RES_SRCLIMIT);
	n->rule = key;
	n->type = (uint8_t)type;
	n->af = (uint8_t)af;
	n->creation_ms = pf->now_ms;
	memcpy(n->addr, a, af == 4 ? 4 : 16);
	if (type == PFM_SN_LIMIT) {	/* pf_init_threshold: limit nodes only */
		n->rate_limit = r->max_src_conn_rate[0] * THRESHOLD_MULT;
		n->rate_seconds = r->max_src_conn_rate[1];
	}
	n->rate_last = pf->now_ms / 1000;
	n->states = 1;
	if (t->count >= t->nnb)
		node_grow(t);
	i = node_hash(t, key, type, a, af);
	n->hnext = t->nb[i];
	t->nb[i] = n;
	n->lprev = t->tail;
	if (t->tail != NULL)
		t->tail->lnext = n;
	else
		t->head = n;
	t->tail = n;
	t->count++;
	t->scounters[PFM_FCNT_INSERT]++;
	*out = n;
	return (PFM_RES_MATCH);
}

/* One state fewer on n; its last state starts the src.track timeout. */
static void
node_release(struct pfm *pf, struct pfm_srcnode *n, const struct pfm_rule *r)
{
	uint32_t tmo;

	if (n == NULL || n->states == 0)
		return;
	tmo = r != NULL && r->timeout[PFM_TM_SRC_NODE] ? r->timeout[PFM_TM_SRC_NODE] :
	    pf->timeout[PFM_TM_SRC_NODE];
	if (--n->states == 0)
		n->expire_ms = pf->now_ms + (uint64_t)tmo * 1000;
}

enum pfm_res
pfm_src_track14(struct pfm *pf, const struct pfm_pd *pd, const struct pfm_rule *r,
    const struct pfm_rule *nr, const struct pfm_skey *skw, const struct pfm_skey *sks,
    struct pfm_srcref *ref)
{
	const struct pfm_skey *ok, *tk;
	enum pfm_res res;
	int sidx = pd->dir == PFM_IN ? 0 : 1;

	if (!(r != NULL && (r->srctrack || r->rpool.sticky)) &&
	    !(nr != NULL && pfm_trans_pool(nr)->sticky))
		return (PFM_RES_MATCH);
	/* the filter rule's node: the source as the filter saw it (translated) */
	if (r != NULL && (r->srctrack || r->rpool.sticky) &&
	    (res = pfm_sn_insert(pf, r, r, PFM_SN_LIMIT, pd->pkt + pd->src_off, pd->af,
	    &ref->sn[PFM_SN_LIMIT])) != PFM_RES_MATCH)
		return (res);
	/* the translation rule's: the original source, and where it was sent */
	if (nr != NULL && pfm_trans_pool(nr)->sticky) {
		ok = pd->dir == PFM_IN ? skw : sks;
		tk = pd->dir == PFM_IN ? sks : skw;
		if ((res = pfm_sn_insert(pf, nr, nr, PFM_SN_NAT, ok->addr[sidx], pd->af,
		    &ref->sn[PFM_SN_NAT])) != PFM_RES_MATCH)
			return (pfm_src_undo(pf, ref, res));
		memcpy(ref->sn[PFM_SN_NAT]->raddr, tk->addr[1], 16);
	}
	return (PFM_RES_MATCH);
}

enum pfm_res
pfm_src_undo(struct pfm *pf, struct pfm_srcref *ref, enum pfm_res res)
{
	int i;

	for (i = 0; i < PFM_SN_MAX; i++) {
		if (ref->sn[i] == NULL)
			continue;
		/* a node made for this state alone goes with it (csfailed) */
		if (--ref->sn[i]->states == 0 && ref->sn[i]->expire_ms == 0)
			node_remove(pf->src, ref->sn[i]);
		ref->sn[i] = NULL;
	}
	return (res);
}

void
pfm_src_bind(struct pfm *pf, struct pfm_state *s, struct pfm_srcref *ref)
{
	struct pfm_srctab *t = pf->src;
	struct pfm_srclink *l;
	size_t i;

	if (ref->sn[0] == NULL && ref->sn[1] == NULL && ref->sn[2] == NULL)
		return;
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		/* cannot remember the link: give the nodes their state back */
		for (i = 0; i < PFM_SN_MAX; i++)
			node_release(pf, ref->sn[i], ref->rule);
		return;
	}
	s->cold |= PFM_SC_SRC;
	l->s = s;
	memcpy(l->sn, ref->sn, sizeof(l->sn));
	if (t->nlinks >= t->nlb)
		link_grow(t);
	i = link_hash(t, s);
	l->next = t->lb[i];
	t->lb[i] = l;
	t->nlinks++;
}

void
pfm_src_state_gone(struct pfm *pf, const struct pfm_state *s)
{
	struct pfm_srctab *t = pf->src;
	struct pfm_srclink **pp, *l;
	int i;

	if (t == NULL || t->nlinks == 0)
		return;
	for (pp = &t->lb[link_hash(t, s)]; (l = *pp) != NULL; pp = &l->next)
		if (l->s == s)
			break;
	if (l == NULL)
		return;
	*pp = l->next;
	t->nlinks--;
	/* pf_src_tree_remove_state */
	if (l->sn[PFM_SN_LIMIT] != NULL && l->tcp_est && l->sn[PFM_SN_LIMIT]->conn > 0)
		l->sn[PFM_SN_LIMIT]->conn--;
	for (i = 0; i < PFM_SN_MAX; i++)
		node_release(pf, l->sn[i], s->rule);
	free(l);
}

/* pf_add_threshold at `now` (seconds): the count decays linearly over the window. */
static void
threshold_add(struct pfm_srcnode *n, uint64_t now)
{
	uint64_t diff = now - n->rate_last;

	if (diff >= n->rate_seconds)
		n->rate_count = 0;
	else
		n->rate_count -= (uint32_t)((uint64_t)n->rate_count * diff /
		    n->rate_seconds);
	n->rate_count += THRESHOLD_MULT;
	n->rate_last = now;
}

/* pfr_insert_kentry into the overload table of the loaded ruleset, which pf creates
 * when no rule names it. */
static void
overload_add(struct pfm *pf, const char *name, const uint8_t *a, int af)
{
	struct pfm_table *t, **tp;
	struct pfm_table_entry *ne;
	int i, alen = af == 4 ? 4 : 16, plen = af == 4 ? 32 : 128;

	if (pf->rs == NULL)
		return;
	for (tp = &pf->rs->tables; (t = *tp) != NULL; tp = &t->next)
		if (strcmp(t->name, name) == 0 && t->anchor == NULL)
			break;
	if (t == NULL) {
		if ((t = calloc(1, sizeof(*t))) == NULL)
			return;
		snprintf(t->name, sizeof(t->name), "%s", name);
		*tp = t;
	}
	/* pf_ioctl_addrule: the overload table is attached active */
	t->active = 1;
	for (i = 0; i < t->nent; i++)
		if (pfm_af46(t->ent[i].af) == af && t->ent[i].plen == plen &&
		    memcmp(t->ent[i].addr, a, alen) == 0)
			return;		/* already there */
	if ((ne = realloc(t->ent, sizeof(*ne) * (size_t)(t->nent + 1))) == NULL)
		return;
	t->ent = ne;
	ne = &t->ent[t->nent++];
	memset(ne, 0, sizeof(*ne));
	ne->af = af == 4 ? AF_INET : AF_INET6;
	memcpy(ne->addr, a, alen);
	ne->plen = plen;
	ne->tzero_ms = pf->now_ms;
}

int
pfm_src_connlimit(struct pfm *pf, struct pfm_state *s, uint8_t *flush_addr,
    int *flush_af)
{
	struct pfm_srclink *l;
	struct pfm_srcnode *n;
	const struct pfm_rule *r = s->rule;
	int limited = 0;

	if (pf->src == NULL || pf->src->nlinks == 0 || r == NULL ||
	    (l = link_find(pf->src, s)) == NULL || (n = l->sn[PFM_SN_LIMIT]) == NULL)
		return (0);
	n->conn++;
	l->tcp_est = 1;
	threshold_add(n, pf->now_ms / 1000);
	if (r->max_src_conn && r->max_src_conn < n->conn) {
		pf->lcounters[LCNT_SRCCONN]++;
		limited = 1;
	}
	if (n->rate_limit && n->rate_count > n->rate_limit) {
		pf->lcounters[LCNT_SRCCONNRATE]++;
		limited = 1;
	}
	if (!limited)
		return (0);
	/* kill this state: PFTM_PURGE, both peers CLOSED */
	s->timeout = PFM_TM_PURGE;
	s->src.state = s->dst.state = PFM_TCPS_CLOSED;
	if (r->overload[0] == '\0')
		return (1);
	pf->lcounters[LCNT_OVERLOAD_TABLE]++;
	overload_add(pf, r->overload, n->addr, n->af);
	if (r->flush) {
		pf->lcounters[LCNT_OVERLOAD_FLUSH]++;
		memcpy(flush_addr, n->addr, n->af == 4 ? 4 : 16);
		*flush_af = n->af;
		return (2);
	}
	return (1);
}

int
pfm_src_sticky(struct pfm *pf, const struct pfm_rule *r, int type, const uint8_t *saddr,
    int af, uint8_t *naddr)
{
	struct pfm_srcnode *n;

	static const uint8_t zero[16];

	/* pf_map_addr: a node that has no address yet (made for this very state)
	 * gives none */
	if (pf->src == NULL || pf->src->count == 0 ||
	    (n = node_find(pf, r, type, saddr, af)) == NULL ||
	    memcmp(n->raddr, zero, af == 4 ? 4 : 16) == 0)
		return (0);
	memcpy(naddr, n->raddr, af == 4 ? 4 : 16);
	return (1);
}

void
pfm_sn_set_raddr(struct pfm_srcnode *n, const uint8_t *a)
{
	memcpy(n->raddr, a, 16);
}

void
pfm_src_set_raddr(struct pfm_srcref *ref, int type, const uint8_t *a)
{
	if (ref->sn[type] != NULL)
		memcpy(ref->sn[type]->raddr, a, 16);
}

void
pfm_src_expire(struct pfm *pf)
{
	if (pf->src != NULL)
		purge(pf);
}

size_t
pfm_src_count(const struct pfm *pf)
{
	const struct pfm_srcnode *n;
	size_t c = 0;

	if (pf->src == NULL)
		return (0);
	for (n = pf->src->head; n != NULL; n = n->lnext)
		if (!node_dead(n, pf->now_ms))
			c++;
	return (c);
}

uint64_t
pfm_src_counter(const struct pfm *pf, int i)
{
	return (pf->src != NULL ? pf->src->scounters[i] : 0);
}

static void
print_addr(FILE *fp, const uint8_t *a, int af)
{
	char buf[64];

	inet_ntop(af == 4 ? AF_INET : AF_INET6, a, buf, sizeof(buf));
	fputs(buf, fp);
}

/* The link of state s (NULL: it holds no node). */
static struct pfm_srclink *
link_of(const struct pfm *pf, const struct pfm_state *s)
{
	struct pfm_srclink *l;

	if (pf->src == NULL || pf->src->nlinks == 0)
		return (NULL);
	for (l = pf->src->lb[link_hash(pf->src, s)]; l != NULL; l = l->next)
		if (l->s == s)
			return (l);
	return (NULL);
}

void
pfm_src_count_pkt(struct pfm *pf, const struct pfm_state *s, const struct pfm_pd *pd)
{
	struct pfm_srclink *l = link_of(pf, s);
	int d = pd->dir == PFM_OUT, i;

	for (i = 0; l != NULL && i < PFM_SN_MAX; i++)
		if (l->sn[i] != NULL) {
			l->sn[i]->packets[d]++;
			l->sn[i]->bytes[d] += pd->tot_len;
		}
}

int
pfm_src_of(const struct pfm *pf, const struct pfm_state *s)
{
	const struct pfm_srclink *l = link_of(pf, s);
	int i, f = 0;

	for (i = 0; l != NULL && i < PFM_SN_MAX; i++)
		if (l->sn[i] != NULL)
			f |= 1 << i;
	if (l != NULL && l->sn[PFM_SN_LIMIT] != NULL && l->sn[PFM_SN_LIMIT]->rule == NULL)
		f |= PFM_SNF_GLOBAL;
	return (f);
}

/* hh:mm:ss of a number of seconds, as print_state and print_src_node print it. */
static void
print_hms(FILE *fp, const char *what, uint64_t sec)
{
	fprintf(fp, "%s%.2u:%.2u:%.2u", what, (unsigned)(sec / 3600),
	    (unsigned)(sec / 60 % 60), (unsigned)(sec % 60));
}

/* pfctl -sS (print_src_node): `addr -> raddr ( states N, connections N, rate
 * X.Y/Ss )`; raddr is the sticky translation address, 0.0.0.0 (::) for a node that
 * only limits. -v adds the age, the expiry of a node without states, its packets
 * and bytes, and the rule that made it by its kind (ruletype: the rule's action) and
 * number (pf_src_node_copy, FreeBSD 14); FreeBSD 15 adds the node's type. 15's pf
 * inserts a node at the head of its hash row, so one source's nodes come newest
 * first: the model prints all nodes so (the order of two sources is pf's hash's). */
void
pfm_show_srcnodes_v(struct pfm *pf, FILE *fp, int verbose)
{
	const struct pfm_srcnode *n;
	const char *kind;
	int v15 = pfm_is15(pf);

	if (pf->src == NULL)
		return;
	for (n = v15 ? pf->src->tail : pf->src->head; n != NULL;
	    n = v15 ? n->lprev : n->lnext) {
		if (node_dead(n, pf->now_ms))
			continue;
		print_addr(fp, n->addr, n->af);
		fputs(" -> ", fp);
		print_addr(fp, n->raddr, n->af);
		fprintf(fp, " ( states %u, connections %u, rate %u.%u/%us )\n",
		    n->states, n->conn, n->rate_count / 1000,
		    (n->rate_count % 1000) / 100, n->rate_seconds);
		if (!verbose)
			continue;
		print_hms(fp, "   age ", (pf->now_ms - n->creation_ms) / 1000);
		if (n->states == 0)
			print_hms(fp, ", expires in ", n->expire_ms > pf->now_ms ?
			    (n->expire_ms - pf->now_ms) / 1000 : 0);
		fprintf(fp, ", %llu pkts, %llu bytes",
		    (unsigned long long)(n->packets[0] + n->packets[1]),
		    (unsigned long long)(n->bytes[0] + n->bytes[1]));
		kind = n->rule == NULL ? NULL : n->rule->action == PFM_R_NAT ? "nat" :
		    n->rule->action == PFM_R_RDR ? "rdr" :
		    n->rule->action == PFM_R_PASS ? "filter" :
		    v15 && n->rule->action == PFM_R_MATCH ? "filter" : NULL;
		if (kind != NULL)
			fprintf(fp, ", %s rule %d", kind, n->rule->nr);
		if (v15)
			fprintf(fp, ", %s", pfm_sn_type_name(n->type));
		fputc('\n', fp);
	}
}

/* Drop the node of (r, type, a) and its states' links to it (FreeBSD 15's
 * pf_map_addr_sn, when pf_check_src_node_valid finds its address left the pool);
 * keep: the state being made holds it already (pfm_src_track ran), so it stays as
 * a new node would be, with that one state and nothing counted. */
void
pfm_src_forget(struct pfm *pf, const struct pfm_rule *r, int type, const uint8_t *a,
    int af, int keep)
{
	struct pfm_srcnode *n;
	struct pfm_srclink *l;
	size_t i;

	if (pf->src == NULL || (n = node_find(pf, r, type, a, af)) == NULL)
		return;
	for (i = 0; i < pf->src->nlb; i++)
		for (l = pf->src->lb[i]; l != NULL; l = l->next)
			if (l->sn[type] == n)
				l->sn[type] = NULL;
	if (!keep) {
		node_remove(pf->src, n);
		return;
	}
	pf->src->scounters[PFM_FCNT_REMOVALS]++;
	pf->src->scounters[PFM_FCNT_INSERT]++;
	n->states = 1;
	n->creation_ms = pf->now_ms;
	memset(n->packets, 0, sizeof(n->packets));
	memset(n->bytes, 0, sizeof(n->bytes));
}

/* PF_SN_TYPE_NAMES (pfvar.h, 15). */
const char *
pfm_sn_type_name(int type)
{
	static const char *const names[PFM_SN_MAX] = { "limit source-track",
	    "NAT/RDR sticky-address", "route sticky-address" };

	return (type >= 0 && type < PFM_SN_MAX ? names[type] : "?");
}

void
pfm_show_srcnodes(struct pfm *pf, FILE *fp)
{
	pfm_show_srcnodes_v(pf, fp, 0);
}

/* 1 when a (len bytes) is inside net/mask. */
static int
kill_match(const uint8_t *a, const uint8_t *net, const uint8_t *mask, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if ((a[i] & mask[i]) != (net[i] & mask[i]))
			return (0);
	return (1);
}

int
pfm_src_kill(struct pfm *pf, const struct pfm_kill *k)
{
	struct pfm_srctab *t = pf->src;
	struct pfm_srcnode *n, *nn;
	struct pfm_srclink *l;
	size_t i;
	int killed = 0, len = k->af == 4 ? 4 : 16;

	for (n = t != NULL ? t->head : NULL; n != NULL; n = nn) {
		nn = n->lnext;
		if (n->af != k->af || !kill_match(n->addr, k->src, k->smask, len) ||
		    (k->has_dst && !kill_match(n->raddr, k->dst, k->dmask, len)))
			continue;
		/* pf_kill_srcnodes: the states stay, their link to the node goes */
		for (i = 0; i < t->nlb; i++)
			for (l = t->lb[i]; l != NULL; l = l->next)
				if (l->sn[n->type] == n)
					l->sn[n->type] = NULL;
		node_remove(t, n);
		killed++;
	}
	return (killed);
}
