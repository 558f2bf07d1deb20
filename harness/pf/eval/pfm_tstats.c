/* pfm_tstats.c: the per-address statistics of tables (FreeBSD 14 pf_table.c): what
 * pf_test counts on the tables of the deciding rule (pfr_update_stats), what turning a
 * table's `counters` on or off does to its entries (pfr_setflags_ktable's walk), what
 * a reload keeps of an address the table already held (pfr_commit_ktable), and the
 * wall clock the entries' "Cleared" times are read on (time_second). */
#include <sys/socket.h>

#include <string.h>

#include "pfm_impl.h"

void
pfm_set_wallclock(struct pfm *pf, uint64_t clock_ms, int64_t wall_ms)
{
	pf->wall_ms = wall_ms - (int64_t)clock_ms;
	if (clock_ms > pf->now_ms)
		pf->now_ms = clock_ms;
}

int64_t
pfm_time_second(const struct pfm *pf, uint64_t clock_ms)
{
	return (((int64_t)clock_ms + pf->wall_ms) / 1000);
}

/* The table (anchor or NULL, name) of rs, or NULL. */
static struct pfm_table *
find(const struct pfm_ruleset *rs, const char *anchor, const char *name)
{
	struct pfm_table *t;

	for (t = rs->tables; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0 && (anchor == NULL ? t->anchor == NULL :
		    t->anchor != NULL && strcmp(t->anchor, anchor) == 0))
			return (t);
	return (NULL);
}

/* The running table a rule's <name> stands for: the one of that name (and anchor) in
 * the loaded ruleset, so that a state made under an older ruleset counts on the table
 * of today (pf's rules hold the one kernel table of the name); an inactive anchor
 * table gives way to the main one (pfr_update_stats: pfrkt_root). NULL: none, or not
 * active. */
static struct pfm_table *
running(const struct pfm *pf, const struct pfm_table *rt)
{
	struct pfm_table *t;

	if (rt == NULL || pf->rs == NULL)
		return (NULL);
	t = find(pf->rs, rt->anchor, rt->name);
	if (t != NULL && !t->active && t->anchor != NULL)
		t = find(pf->rs, NULL, rt->name);
	return (t != NULL && t->active ? t : NULL);
}

/* rn_match: the most specific entry holding a (af 4 or 6), negated or not; NULL. */
static struct pfm_table_entry *
entry_of(struct pfm_table *t, const uint8_t *a, int af)
{
	struct pfm_table_entry *e, *best = NULL;
	int i, k, bits;
	uint8_t m;

	for (i = 0; i < t->nent; i++) {
		e = &t->ent[i];
		if (pfm_af46(e->af) != af || (best != NULL && e->plen <= best->plen))
			continue;
		for (k = 0, bits = e->plen; bits > 0; k++, bits -= 8) {
			m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
			if ((a[k] & m) != (e->addr[k] & m))
				break;
		}
		if (bits <= 0)
			best = e;
	}
	return (best);
}

/* pfr_update_stats(kt, a, af, len, dir_out, op_pass, notrule): an address the table
 * does not hold as the rule expected (not in it, or negated, unless the rule said
 * `!<t>`) is an XPass, which only the table's own totals count (not modelled); else
 * its entry counts the packet under Block or Pass, when the table has `counters`. */
static void
update(struct pfm *pf, const struct pfm_table *rt, const uint8_t *a,
    const struct pfm_pd *pd, int op_pass, int notrule)
{
	struct pfm_table *t = running(pf, rt);
	struct pfm_table_entry *e;
	int out = pd->dir == PFM_OUT;

	if (t == NULL || !t->counters)
		return;
	e = entry_of(t, a, pd->af);
	if ((e == NULL || e->neg) != (notrule != 0))
		return;		/* PFR_OP_XPASS */
	e->packets[out][op_pass]++;
	e->bytes[out][op_pass] += pd->tot_len;
}

/* pf_test (FreeBSD 14 pf.c, after the rule or state decided, when the packet passes
 * or its rule blocks): tr is the rule, or the translation rule when the default rule
 * decided; a table as its source or destination counts the packet's address there,
 * read from the state's key the rule matched when there is a state (stack side for
 * a state made inbound, wire side outbound: s->key[dir == PF_IN]->addr[...]), else
 * from the packet, as the rule saw it. The op is Pass when the rule passes, Block when
 * it blocks. (A block that answers, return-rst or return-icmp, after a translation:
 * pf_test_rule undoes the translation before pf_test counts, so pf reads the address
 * from before it; the model reads the translated one.) */
void
pfm_table_count(struct pfm *pf, const struct pfm_pd *pd, const struct pfm_rule *r,
    const struct pfm_rule *nr, const struct pfm_state *s)
{
	const struct pfm_rule *tr = r != NULL ? r : nr;
	const struct pfm_skey *k;
	const uint8_t *src, *dst;
	int op_pass = r == NULL || r->action == PFM_R_PASS;

	if (tr == NULL || (tr->src.addr.type != PFM_ADDR_TABLE &&
	    tr->dst.addr.type != PFM_ADDR_TABLE))
		return;
	if (s != NULL) {
		k = PFM_ST_KEY(s, s->direction == PFM_IN ? PFM_SK_STACK : PFM_SK_WIRE);
		src = k->addr[s->direction == PFM_OUT];
		dst = k->addr[s->direction == PFM_IN];
	} else {
		src = pd->pkt + pd->src_off;
		dst = pd->pkt + pd->dst_off;
	}
	if (tr->src.addr.type == PFM_ADDR_TABLE)
		update(pf, tr->src.addr.table, src, pd, op_pass, tr->src.addr.neg);
	if (tr->dst.addr.type == PFM_ADDR_TABLE)
		update(pf, tr->dst.addr.table, dst, pd, op_pass, tr->dst.addr.neg);
}

void
pfm_table_clear_entry(struct pfm_table_entry *e, uint64_t now_ms)
{
	memset(e->packets, 0, sizeof(e->packets));
	memset(e->bytes, 0, sizeof(e->bytes));
	e->tzero_ms = now_ms;
}

void
pfm_table_set_counters(struct pfm_table *t, int on)
{
	int i;

	/* pfr_setflags_ktable: counters turned on are allocated zero, turned off
	 * freed; either way what they held is gone */
	if (!on != !t->counters)
		for (i = 0; i < t->nent; i++) {
			memset(t->ent[i].packets, 0, sizeof(t->ent[i].packets));
			memset(t->ent[i].bytes, 0, sizeof(t->ent[i].bytes));
		}
	t->counters = on;
}

void
pfm_table_keep(struct pfm_table *nt, const struct pfm_table *old)
{
	const struct pfm_table_entry *q;
	struct pfm_table_entry *p;
	int i, j, alen;

	/* pfr_commit_ktable on an active table: an address of the definition that
	 * the table holds stays the table's entry, its Cleared time and (when the
	 * table counted before and still does) its counters with it; one whose `!`
	 * flipped is cleared (pfr_clstats_kentries, INVERT_NEG_FLAG); the others are
	 * new (cleared at the commit, as the caller left them) */
	if (old == NULL || !old->active)
		return;
	for (i = 0; i < nt->nent; i++) {
		p = &nt->ent[i];
		alen = p->af == AF_INET ? 4 : 16;
		for (j = 0; j < old->nent; j++) {
			q = &old->ent[j];
			if (q->af != p->af || q->plen != p->plen ||
			    memcmp(q->addr, p->addr, (size_t)alen) != 0)
				continue;
			if (q->neg != p->neg)
				break;
			p->tzero_ms = q->tzero_ms;
			if (old->counters && nt->counters) {
				memcpy(p->packets, q->packets, sizeof(p->packets));
				memcpy(p->bytes, q->bytes, sizeof(p->bytes));
			}
			break;
		}
	}
}
