/* pfm_rt.c: what pfctl changes in a running pf besides a whole ruleset: an anchor
 * loaded on its own (pfctl -a PATH -f), what a reload of the main ruleset keeps of
 * such anchors and of tables filled at run time, rule lists flushed, states and
 * source nodes killed, counters cleared, pf turned on and off. Rules and tables
 * replaced here stay allocated (states point at their rules) until pfm_free. */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

#define RT_PATH_MAX	(sizeof(((struct pfm_anchor *)0)->path))

/* The ruleset that keeps what was replaced at run time alive (never evaluated). */
static struct pfm_ruleset *
grave(struct pfm *pf)
{
	struct pfm_ruleset **no;

	if (pf->grave != NULL)
		return (pf->grave);
	if ((no = realloc(pf->old, (pf->nold + 1) * sizeof(*no))) == NULL)
		return (NULL);
	pf->old = no;
	if ((pf->grave = pfm_ruleset_new()) == NULL)
		return (NULL);
	pf->old[pf->nold++] = pf->grave;
	return (pf->grave);
}

/* Keep a rule list alive in the grave (or leak it when out of memory: states may
 * point at it). */
static void
bury_rules(struct pfm *pf, struct pfm_rule *list)
{
	struct pfm_ruleset *g;
	struct pfm_rule **tail;

	if (list == NULL || (g = grave(pf)) == NULL)
		return;
	for (tail = &g->rules; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = list;
}

/* Keep a parsed ruleset whose parts were grafted (its rules name its file names). */
static int
keep(struct pfm *pf, struct pfm_ruleset *rs)
{
	struct pfm_ruleset **no;

	if ((no = realloc(pf->old, (pf->nold + 1) * sizeof(*no))) == NULL)
		return (-1);
	pf->old = no;
	pf->old[pf->nold++] = rs;
	return (0);
}

static void
bury_table(struct pfm *pf, struct pfm_table *t)
{
	struct pfm_ruleset *g;

	if ((g = grave(pf)) == NULL)
		return;
	t->next = g->tables;
	g->tables = t;
}

int
pfm_rt_enable(struct pfm *pf, int on, uint64_t now_ms)
{
	if (on == !pf->disabled)
		return (-1);
	pf->disabled = !on;
	pf->since_ms = now_ms;	/* -si says "Enabled/Disabled for" from now */
	pf->clock_set = 1;
	if (on)		/* DIOCSTART: new_unrhdr64(&V_pf_stateid, time_second) */
		pf->stateid = PFM_STATEID_EPOCH + now_ms / 1000;
	return (0);
}

int
pfm_rt_enabled(const struct pfm *pf)
{
	return (!pf->disabled);
}

struct pfm_table *
pfm_rt_table_find(const struct pfm_ruleset *rs, const char *anchor, const char *name)
{
	struct pfm_table *t;

	if (anchor != NULL && anchor[0] == '\0')
		anchor = NULL;
	for (t = rs != NULL ? rs->tables : NULL; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0 && (anchor == NULL ? t->anchor == NULL :
		    t->anchor != NULL && strcmp(t->anchor, anchor) == 0))
			return (t);
	return (NULL);
}

/* A new table (anchor, name) in rs, inactive; its root is the main table of its name
 * when it belongs to an anchor. NULL when out of memory. */
static struct pfm_table *
table_new(struct pfm_ruleset *rs, const char *anchor, const char *name)
{
	struct pfm_table *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return (NULL);
	snprintf(t->name, sizeof(t->name), "%s", name);
	if (anchor != NULL && anchor[0] != '\0') {
		if ((t->anchor = strdup(anchor)) == NULL) {
			free(t);
			return (NULL);
		}
		t->root = pfm_rt_table_find(rs, NULL, name);
	}
	t->next = rs->tables;
	rs->tables = t;
	return (t);
}

/* The anchor at path in rs, made with its missing parents (pf creates them when a
 * load into it begins). NULL when out of memory. */
struct pfm_anchor *
pfm_rt_anchor(struct pfm_ruleset *rs, const char *path)
{
	struct pfm_anchor *a, **ap;
	char part[RT_PATH_MAX];
	const char *slash;

	while (*path == '/')
		path++;
	if ((a = pfm_anchor_find(rs, path)) != NULL)
		return (a);
	if ((slash = strrchr(path, '/')) != NULL) {
		snprintf(part, sizeof(part), "%.*s", (int)(slash - path), path);
		if (pfm_rt_anchor(rs, part) == NULL)
			return (NULL);
	}
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return (NULL);
	snprintf(a->path, sizeof(a->path), "%s", path);
	snprintf(a->name, sizeof(a->name), "%s", slash != NULL ? slash + 1 : path);
	for (ap = &rs->anchors; *ap != NULL; ap = &(*ap)->next)
		;
	*ap = a;
	return (a);
}

struct pfm_table *
pfm_rt_table(struct pfm *pf, const char *anchor, const char *name, int *created)
{
	struct pfm_table *t;

	*created = 0;
	if ((t = pfm_rt_table_find(pf->rs, anchor, name)) == NULL) {
		if (anchor != NULL && anchor[0] != '\0' &&
		    pfm_rt_anchor(pf->rs, anchor) == NULL)
			return (NULL);
		if ((t = table_new(pf->rs, anchor, name)) == NULL)
			return (NULL);
	}
	if (!t->active) {
		/* pfctl -T add: the table made (or an inactive one made usable),
		 * persistent */
		t->active = t->persist = t->rt_created = 1;
		t->counters = 0;	/* pfr_add_tables: persist alone */
		*created = 1;
	}
	return (t);
}

static void
retable_pool(struct pfm_pool *p, struct pfm_table *(*fix)(struct pfm_table *, void *),
    void *arg)
{
	int i;

	for (i = 0; i < p->naddr; i++)
		if (p->addr[i].table != NULL)
			p->addr[i].table = fix(p->addr[i].table, arg);
}

/* Each rule of a list: its table pointers passed through fix. */
static void
retable_list(struct pfm_rule *r, struct pfm_table *(*fix)(struct pfm_table *, void *),
    void *arg)
{

	for (; r != NULL; r = r->next) {
		if (r->src.addr.table != NULL)
			r->src.addr.table = fix(r->src.addr.table, arg);
		if (r->dst.addr.table != NULL)
			r->dst.addr.table = fix(r->dst.addr.table, arg);
		retable_pool(&r->rpool, fix, arg);
		retable_pool(&r->natpool, fix, arg);	/* FreeBSD 15's nat-to */
		retable_pool(&r->rdrpool, fix, arg);	/* and rdr-to */
	}
}

/* What a table of a file loaded into an anchor becomes in the running pf. */
struct graft {
	struct pfm		*pf;
	const char		*path;
	struct pfm_ruleset	*from;		/* the parsed file */
};

/* A table of the parsed file: one the file defines is the anchor's own, replacing
 * the anchor's table of that name; one it only names is the anchor's table of that
 * name (made inactive, over the main one, when missing). */
static struct pfm_table *
graft_table(struct pfm_table *t, void *arg)
{
	struct graft *g = arg;
	struct pfm_table *cur, **tp;
	int i;

	if (t->anchor != NULL)
		return (t);	/* already grafted */
	cur = pfm_rt_table_find(g->pf->rs, g->path, t->name);
	if (!t->defined)
		return (cur != NULL ? cur : table_new(g->pf->rs, g->path, t->name));
	for (tp = &g->from->tables; *tp != NULL; tp = &(*tp)->next)
		if (*tp == t) {
			*tp = t->next;
			break;
		}
	if ((t->anchor = strdup(g->path)) == NULL)
		return (cur);
	t->root = pfm_rt_table_find(g->pf->rs, NULL, t->name);
	/* the commit clears the statistics of the addresses it brings */
	for (i = 0; i < t->nent; i++)
		pfm_table_clear_entry(&t->ent[i], g->pf->now_ms);
	if (cur != NULL) {
		if (!t->listed) {
			/* `table <t> persist`: the contents stay, with their
			 * statistics; the counters as the file says */
			free(t->ent);
			t->ent = cur->ent;
			t->nent = cur->nent;
			cur->ent = NULL;
			cur->nent = 0;
			i = t->counters;
			t->counters = cur->counters;
			pfm_table_set_counters(t, i);
		} else
			pfm_table_keep(t, cur);
		for (tp = &g->pf->rs->tables; *tp != NULL; tp = &(*tp)->next)
			if (*tp == cur) {
				*tp = cur->next;
				break;
			}
		bury_table(g->pf, cur);
	}
	t->next = g->pf->rs->tables;
	g->pf->rs->tables = t;
	return (t);
}

/* The lists of from's anchor src (NULL: its main lists) replace those of dst. */
static void
graft_lists(struct pfm *pf, struct pfm_anchor *dst, struct pfm_ruleset *from,
    struct pfm_anchor *src)
{
	int l;

	if (pf->keep_counters) {
		/* pf_commit_rules of the anchor's lists, under keep_counters */
		pfm_compile_sync(pf);
		for (l = 0; l < 4; l++)
			pfm_keep_counters(pfm_anchor_list(pf->rs, dst, l),
			    pfm_anchor_list(from, src, l));
	}
	bury_rules(pf, dst->rules);
	bury_rules(pf, dst->nat);
	bury_rules(pf, dst->rdr);
	bury_rules(pf, dst->binat);
	if (src == NULL) {
		dst->rules = from->rules, dst->nrules = from->nrules;
		dst->nat = from->nat, dst->nnat = from->nnat;
		dst->rdr = from->rdr, dst->nrdr = from->nrdr;
		dst->binat = from->binat, dst->nbinat = from->nbinat;
		from->rules = from->nat = from->rdr = from->binat = NULL;
	} else {
		dst->rules = src->rules, dst->nrules = src->nrules;
		dst->nat = src->nat, dst->nnat = src->nnat;
		dst->rdr = src->rdr, dst->nrdr = src->nrdr;
		dst->binat = src->binat, dst->nbinat = src->nbinat;
		src->rules = src->nat = src->rdr = src->binat = NULL;
	}
	/* the anchor's ether rules too: pfctl's transaction names its eth ruleset */
	pfm_eth_graft(dst, src == NULL ? &from->ether : &src->ether);
	dst->runtime = 1;
}

/* path "/" sub into buf (RT_PATH_MAX bytes); 0, or -1 when it does not fit. */
static int
join(char *buf, const char *path, const char *sub)
{
	if (strlen(path) + 1 + strlen(sub) >= RT_PATH_MAX)
		return (-1);
	memcpy(buf, path, strlen(path));
	buf[strlen(path)] = '/';
	memcpy(buf + strlen(path) + 1, sub, strlen(sub) + 1);
	return (0);
}

/* Rules of a grafted list that call an anchor of the parsed file now call the
 * running pf's anchor of the grafted path. */
static void
reanchor(struct pfm_rule *r, struct pfm *pf, const char *path)
{
	char p[RT_PATH_MAX];

	for (; r != NULL; r = r->next)
		if (r->anchor != NULL && join(p, path, r->anchor->path) == 0)
			r->anchor = pfm_rt_anchor(pf->rs, p);
}

int
pfm_rt_load_anchor(struct pfm *pf, const char *path, const char *text,
    const struct pfm_load_opts *o, struct diag *d)
{
	struct pfm_ruleset *rs;
	struct pfm_anchor *a, *b, *nb;
	struct pfm_table *t, *nt;
	struct graft g;
	char sub[RT_PATH_MAX], err[128];
	int l;

	while (*path == '/')
		path++;
	pf->refused15 = 0;
	if ((rs = pfm_ruleset_parse(text, o, &pf->host, d)) == NULL)
		return (-1);
	if (pfm_ruleset_refuse15(rs, d) > 0 || pfm_eth_refuse(rs, d) > 0) {
		pf->refused15 = 1;
		pfm_ruleset_free(rs);
		return (-1);
	}
	if (pf->rs == NULL && (pf->rs = pfm_ruleset_new()) == NULL)
		goto nomem;
	if ((a = pfm_rt_anchor(pf->rs, path)) == NULL || grave(pf) == NULL)
		goto nomem;
	g.pf = pf;
	g.from = rs;
	/* a table the file declares inside an inline anchor's braces (FreeBSD 15) is
	 * that anchor's, below the loaded one */
	for (t = rs->tables; t != NULL; t = nt) {
		nt = t->next;
		if (t->anchor == NULL)
			continue;
		if (join(sub, path, t->anchor) == -1)
			goto toolong;
		free(t->anchor);
		t->anchor = NULL;
		g.path = sub;
		(void)graft_table(t, &g);
	}
	g.path = path;
	for (l = 0; l < 4; l++)
		retable_list(pfm_anchor_list(rs, NULL, l), graft_table, &g);
	/* a persistent table the file defines and no rule names is the anchor's too
	 * (pfctl_define_table, then the commit's pfr_setflags_ktable keeps it active
	 * for PERSIST alone; another such table goes) */
	for (t = rs->tables; t != NULL; t = nt) {
		nt = t->next;
		if (t->defined && t->persist && t->anchor == NULL)
			(void)graft_table(t, &g);
	}
	for (b = rs->anchors; b != NULL; b = b->next) {
		if (join(sub, path, b->path) == -1)
			goto toolong;
		g.path = sub;
		for (l = 0; l < 4; l++)
			retable_list(pfm_anchor_list(rs, b, l), graft_table, &g);
	}
	for (b = rs->anchors; b != NULL; b = b->next) {
		if (join(sub, path, b->path) == -1)
			goto toolong;
		if ((nb = pfm_rt_anchor(pf->rs, sub)) == NULL)
			goto nomem;
		for (l = 0; l < 4; l++)
			reanchor(pfm_anchor_list(rs, b, l), pf, path);
		/* an inline anchor of the file is replaced with it; one it only
		 * calls keeps what was loaded into it on its own */
		if (b->is_inline)
			graft_lists(pf, nb, rs, b);
	}
	for (l = 0; l < 4; l++)
		reanchor(pfm_anchor_list(rs, NULL, l), pf, path);
	graft_lists(pf, a, rs, NULL);
	if (keep(pf, rs) == -1 || pfm_compile(pf, pf->rs, err, sizeof(err)) == -1) {
		diag_add(d, NULL, 0, "%s", "pfctl: out of memory");
		return (-1);
	}
	pfm_if_resolve(pf);
	return (0);
toolong:
	pfm_ruleset_free(rs);
	diag_add(d, NULL, 0, "pfctl: anchor name '%s' too long", path);
	return (-1);
nomem:
	pfm_ruleset_free(rs);
	diag_add(d, NULL, 0, "pfctl: out of memory");
	return (-1);
}

/* Unlink t from rs's tables (it is not freed). */
static void
table_unlink(struct pfm_ruleset *rs, struct pfm_table *t)
{
	struct pfm_table **tp;

	for (tp = &rs->tables; *tp != NULL; tp = &(*tp)->next)
		if (*tp == t) {
			*tp = t->next;
			return;
		}
}

/* A main table of the old ruleset at a reload: moved on, or its contents kept. */
static void
carry_table(struct pfm_ruleset *old, struct pfm_ruleset *nw, struct pfm_table *t)
{
	struct pfm_table *nt = pfm_rt_table_find(nw, NULL, t->name);
	struct pfm_table_entry *e;
	int n;

	if (nt == NULL) {
		/* a table made by -T add is persistent: it outlives the reload */
		if (t->rt_created) {
			table_unlink(old, t);
			t->next = nw->tables;
			nw->tables = t;
		}
		return;
	}
	if (nt->defined && nt->listed) {
		/* the file's addresses, and only them; those the table held keep
		 * their statistics */
		pfm_table_keep(nt, t);
		return;
	}
	if (!t->active || (!t->rt_created && !nt->defined && t->nent == 0))
		return;
	/* `table <t> persist` without addresses, or a table the file only names:
	 * the contents stay */
	e = nt->ent, n = nt->nent;
	nt->ent = t->ent, nt->nent = t->nent;
	t->ent = e, t->nent = n;
	nt->active = 1;
	nt->persist |= t->persist;
	nt->rt_created = t->rt_created;
	/* the flags are the file's when it defines the table (pfr_commit_ktable,
	 * table.sh precreate: `counters` turned on for a table -T add made), else
	 * the table's own */
	if (nt->defined) {
		n = nt->counters;
		nt->counters = t->counters;
		pfm_table_set_counters(nt, n);
	} else
		nt->counters = t->counters;
}

void
pfm_rt_carry(struct pfm *pf, struct pfm_ruleset *old, struct pfm_ruleset *nw)
{
	struct pfm_anchor *a, *na;
	struct pfm_table *t, *nt;

	(void)pf;
	for (a = old->anchors; a != NULL; a = a->next) {
		if (a->rules == NULL && a->nat == NULL && a->rdr == NULL &&
		    a->binat == NULL && a->ether == NULL)
			continue;
		/* pfctl -f replaces the anchors the file defines (inline or `load
		 * anchor`); the others keep their rules, whether pfctl -a or an earlier
		 * file put them there (the load's transaction does not name them:
		 * pfctl.c pfctl_ruleset_trans; anchor.sh recursive_flush) */
		na = pfm_anchor_find(nw, a->path);
		if (na != NULL && (na->is_inline || na->loaded))
			continue;
		if ((na = pfm_rt_anchor(nw, a->path)) == NULL)
			continue;
		na->rules = a->rules, na->nrules = a->nrules;
		na->nat = a->nat, na->nnat = a->nnat;
		na->rdr = a->rdr, na->nrdr = a->nrdr;
		na->binat = a->binat, na->nbinat = a->nbinat;
		a->rules = a->nat = a->rdr = a->binat = NULL;
		na->ether = a->ether;
		a->ether = NULL;
		na->runtime = 1;
	}
	for (t = old->tables; t != NULL; t = nt) {
		nt = t->next;
		if (t->anchor == NULL) {
			carry_table(old, nw, t);
			continue;
		}
		/* an anchor's table goes with its anchor; its root is the new main
		 * table of its name */
		table_unlink(old, t);
		t->root = pfm_rt_table_find(nw, NULL, t->name);
		t->next = nw->tables;
		nw->tables = t;
	}
}

/* Whether a rule of the running pf names table t (retable_list's walk). */
struct refers {
	const struct pfm_table	*t;
	int			 found;
};

static struct pfm_table *
refers_fix(struct pfm_table *t, void *arg)
{
	struct refers *r = arg;

	if (t == r->t)
		r->found = 1;
	return (t);
}

static int
refers(const struct pfm *pf, const struct pfm_table *t)
{
	struct refers r = { t, 0 };
	struct pfm_anchor *a;
	int l;

	for (l = 0; l < 4; l++)
		retable_list(pfm_anchor_list(pf->rs, NULL, l), refers_fix, &r);
	for (a = pf->rs->anchors; a != NULL; a = a->next)
		for (l = 0; l < 4; l++)
			retable_list(pfm_anchor_list(pf->rs, a, l), refers_fix, &r);
	return (r.found);
}

/* One table the file defines, committed into the running table (anchor, name) in
 * place, so that the rules naming it keep naming it: pfr_ina_define then
 * pfr_ina_commit's pfr_commit_ktable (the addresses of the definition, an address the
 * table held keeping its statistics, pfm_table_keep; `table <t> persist` without
 * addresses keeps the contents) and pfr_setflags_ktable (active when persistent or
 * named by a rule, else gone). */
static int
commit_table(struct pfm *pf, const char *anchor, struct pfm_table *t)
{
	struct pfm_table *cur = pfm_rt_table_find(pf->rs, anchor, t->name);
	int i;

	if (cur == NULL && (cur = table_new(pf->rs, anchor, t->name)) == NULL)
		return (-1);
	if (t->listed) {
		for (i = 0; i < t->nent; i++)
			pfm_table_clear_entry(&t->ent[i], pf->now_ms);
		pfm_table_keep(t, cur);
		free(cur->ent);
		cur->ent = t->ent;
		cur->nent = t->nent;
		t->ent = NULL;
		t->nent = 0;
		cur->counters = t->counters;
	} else
		pfm_table_set_counters(cur, t->counters);
	cur->persist = t->persist;
	cur->konst = t->konst;
	cur->defined = cur->active = 1;
	cur->listed = t->listed;
	cur->rt_created = 0;
	if (!cur->persist && !refers(pf, cur))
		pfm_rt_table_kill(cur);
	return (0);
}

int
pfm_rt_load_tables(struct pfm *pf, const char *anchor, const char *text,
    const struct pfm_load_opts *o, struct diag *d)
{
	struct pfm_ruleset *rs;
	struct pfm_table *t;

	if (anchor != NULL) {
		while (*anchor == '/')
			anchor++;
		if (*anchor == '\0')
			anchor = NULL;
	}
	if ((rs = pfm_ruleset_parse(text, o, &pf->host, d)) == NULL)
		return (-1);
	if (pf->rs == NULL && (pf->rs = pfm_ruleset_new()) == NULL)
		goto nomem;
	if (anchor != NULL && pfm_rt_anchor(pf->rs, anchor) == NULL)
		goto nomem;
	for (t = rs->tables; t != NULL; t = t->next)
		if (t->defined && t->anchor == NULL &&
		    commit_table(pf, anchor, t) == -1)
			goto nomem;
	pfm_ruleset_free(rs);
	return (0);
nomem:
	pfm_ruleset_free(rs);
	diag_add(d, NULL, 0, "pfctl: out of memory");
	return (-1);
}
