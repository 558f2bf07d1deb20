/* pfm_ctl_show.c: pfctl -s MODIFIER on the model, as FreeBSD 14's pfctl.c main and its
 * pfctl_show_* print them. Views the model cannot print faithfully (queues, OS
 * fingerprints, interfaces) are refused by name rather than approximated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_ctl_impl.h"

enum show {
	SH_ETHER, SH_NAT, SH_QUEUE, SH_RULES, SH_ANCHORS, SH_SOURCES, SH_STATES, SH_INFO,
	SH_IFACES, SH_LABELS, SH_TIMEOUTS, SH_MEMORY, SH_TABLES, SH_OSFP, SH_RUNNING,
	SH_ALL, SH_CREATORIDS
};

/* pfctl.c's showopt_list, in its order: the first whose prefix the word is wins. */
static const char *const show_words[] = {
	"ether", "nat", "queue", "rules", "Anchors", "Sources", "states", "info",
	"Interfaces", "labels", "timeouts", "memory", "Tables", "osfp", "Running", "all",
	"creatorids", NULL
};

/* pfctl_parser.c pf_timeouts[], in its order. */
static const struct {
	const char	*name;
	enum pfm_timeout tm;
} timeouts[] = {
	{ "tcp.first", PFM_TM_TCP_FIRST }, { "tcp.opening", PFM_TM_TCP_OPENING },
	{ "tcp.established", PFM_TM_TCP_ESTABLISHED },
	{ "tcp.closing", PFM_TM_TCP_CLOSING }, { "tcp.finwait", PFM_TM_TCP_FINWAIT },
	{ "tcp.closed", PFM_TM_TCP_CLOSED }, { "tcp.tsdiff", PFM_TM_TS_DIFF },
	{ "sctp.first", PFM_TM_SCTP_FIRST }, { "sctp.opening", PFM_TM_SCTP_OPENING },
	{ "sctp.established", PFM_TM_SCTP_ESTABLISHED },
	{ "sctp.closing", PFM_TM_SCTP_CLOSING }, { "sctp.closed", PFM_TM_SCTP_CLOSED },
	{ "udp.first", PFM_TM_UDP_FIRST }, { "udp.single", PFM_TM_UDP_SINGLE },
	{ "udp.multiple", PFM_TM_UDP_MULTIPLE }, { "icmp.first", PFM_TM_ICMP_FIRST },
	{ "icmp.error", PFM_TM_ICMP_ERROR }, { "other.first", PFM_TM_OTHER_FIRST },
	{ "other.single", PFM_TM_OTHER_SINGLE },
	{ "other.multiple", PFM_TM_OTHER_MULTIPLE }, { "frag", PFM_TM_FRAG },
	{ "interval", PFM_TM_INTERVAL }, { "adaptive.start", PFM_TM_ADAPTIVE_START },
	{ "adaptive.end", PFM_TM_ADAPTIVE_END }, { "src.track", PFM_TM_SRC_NODE },
};

/* pf's timeouts in force (pfm_adopt made them of the loaded options). */
static void
show_timeouts(struct ctl *c)
{
	size_t i;

	for (i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++)
		fprintf(c->out, "%-20s %10u%s\n", timeouts[i].name,
		    c->pf->timeout[timeouts[i].tm], timeouts[i].tm == PFM_TM_ADAPTIVE_START ||
		    timeouts[i].tm == PFM_TM_ADAPTIVE_END ? " states" : "s");
}

/* pfctl_show_limits: pf_limits[] of pfctl_parser.c. */
static void
show_memory(struct ctl *c)
{
	const struct pfm *pf = c->pf;

	fprintf(c->out, "%-13s hard limit %8u\n", "states", pf->limit_states);
	fprintf(c->out, "%-13s hard limit %8u\n", "src-nodes", pf->limit_src_nodes);
	fprintf(c->out, "%-13s hard limit %8u\n", "frags", pf->limit_frags);
	fprintf(c->out, "%-13s hard limit %8u\n", "table-entries", pf->rs != NULL ?
	    pf->rs->limit_table_entries : 200000u);
}

/* 1 when a rule of list r names table t (PFR_TFLAG_REFERENCED). */
static int
list_refers(const struct pfm_rule *r, const struct pfm_table *t)
{
	int i;

	for (; r != NULL; r = r->next) {
		if (r->src.addr.table == t || r->dst.addr.table == t)
			return (1);
		for (i = 0; i < r->rpool.naddr; i++)
			if (r->rpool.addr[i].table == t)
				return (1);
	}
	return (0);
}

static int
referenced(const struct pfm_ruleset *rs, const struct pfm_table *t)
{
	const struct pfm_anchor *a;
	int l;

	for (l = 0; l < 4; l++)
		if (list_refers(pfm_anchor_list(rs, NULL, l), t))
			return (1);
	for (a = rs->anchors; a != NULL; a = a->next)
		for (l = 0; l < 4; l++)
			if (list_refers(pfm_anchor_list(rs, a, l), t))
				return (1);
	return (0);
}

/* An anchor's table stands over t (PFR_TFLAG_REFDANCHOR). */
static int
anchored(const struct pfm_ruleset *rs, const struct pfm_table *t)
{
	const struct pfm_table *o;

	for (o = rs->tables; o != NULL; o = o->next)
		if (o->root == t)
			return (1);
	return (0);
}

static int
table_cmp(const void *a, const void *b)
{
	const struct pfm_table *x = *(struct pfm_table *const *)a;
	const struct pfm_table *y = *(struct pfm_table *const *)b;

	return (strcmp(x->name, y->name));
}

/* pfctl -sT: the active tables of the anchor (main without -a), by name; -v their
 * flags (c p a i r h C) and anchor; -g the inactive ones too. 14's print_table writes
 * the anchor after a tab with -v only; 15's writes it after the name, "name@anchor",
 * as OpenBSD's print_table (pfctl_table.c 1.91), which table.sh show_recursive of
 * FreeBSD main matches ("bar@anchorage"). */
static int
show_tables_of(struct ctl *c, const char *anchor)
{
	const struct pfm_ruleset *rs = c->pf->rs;
	struct pfm_table *t, **v = NULL, **nv;
	size_t n = 0, i;

	if (anchor != NULL && (rs == NULL || pfm_anchor_find(rs, anchor) == NULL)) {
		ctl_warnx(c, "Invalid argument.");
		return (0);
	}
	for (t = rs != NULL ? rs->tables : NULL; t != NULL; t = t->next) {
		if ((anchor == NULL) != (t->anchor == NULL) || (anchor != NULL &&
		    strcmp(anchor, t->anchor) != 0) || (!t->active && !c->gflag))
			continue;
		if ((nv = realloc(v, (n + 1) * sizeof(*v))) == NULL)
			break;
		v = nv;
		v[n++] = t;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), table_cmp);
	for (i = 0; i < n; i++) {
		t = v[i];
		if (c->vflag)
			fprintf(c->out, "%c%c%c%c%c%c%c\t", t->konst ? 'c' : '-',
			    t->persist ? 'p' : '-', t->active ? 'a' : '-', '-',
			    referenced(rs, t) ? 'r' : '-', anchored(rs, t) ? 'h' : '-',
			    t->counters ? 'C' : '-');
		fputs(t->name, c->out);
		if (t->anchor != NULL && ctl_fb15(c))
			fprintf(c->out, "@%s", t->anchor);
		else if (t->anchor != NULL && c->vflag)
			fprintf(c->out, "\t%s", t->anchor);
		fputc('\n', c->out);
	}
	free(v);
	return (0);
}

/* Anchor paths in the order pfctl_walk_anchors visits them: depth first, a
 * ruleset's children by name (a path's '/' before any character). */
static int
walk_cmp(const void *a, const void *b)
{
	const unsigned char *x = *(const unsigned char *const *)a;
	const unsigned char *y = *(const unsigned char *const *)b;

	for (; *x != '\0' && *x == *y; x++, y++)
		;
	if (*x == *y)
		return (0);
	if (*x == '\0' || *y == '\0')
		return (*x == '\0' ? -1 : 1);
	if (*x == '/' || *y == '/')
		return (*x == '/' ? -1 : 1);
	return (*x < *y ? -1 : 1);
}

/* pfctl -a 'PATH*' -sT on FreeBSD 15: main's pfctl.c walks the anchor and every
 * anchor under it (pfctl_recurse with pfctl_call_showtables, as OpenBSD's pfctl.c):
 * pfctl_get_anchors puts the anchor itself on its list first and each anchor the walk
 * finds at the list's head, so the tables are shown for the walk's anchors from the
 * last found to the first, then for the anchor itself (the main ruleset for '*').
 * 14's pfctl shows the named ruleset's tables only. */
static int
show_tables(struct ctl *c)
{
	const char *anchor = ctl_anchor(c), **v = NULL, **nv;
	const struct pfm_anchor *a;
	size_t n = 0, len = anchor != NULL ? strlen(anchor) : 0;

	if (!c->recurse || !ctl_fb15(c))
		return (show_tables_of(c, anchor));
	for (a = c->pf->rs != NULL ? c->pf->rs->anchors : NULL; a != NULL; a = a->next) {
		if (anchor != NULL && (strncmp(a->path, anchor, len) != 0 ||
		    a->path[len] != '/'))
			continue;
		if ((nv = realloc(v, (n + 1) * sizeof(*v))) == NULL)
			break;
		v = nv;
		v[n++] = a->path;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), walk_cmp);
	while (n > 0)
		show_tables_of(c, v[--n]);
	free(v);
	return (show_tables_of(c, anchor));
}

static int
path_cmp(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/* pfctl_show_anchors: the children of the anchor (of the main ruleset without -a),
 * by path, two spaces in; names beginning with '_' only with -v, which also
 * descends. */
static int
anchors(struct ctl *c, const char *parent, int recurse)
{
	const struct pfm_anchor *a;
	const char **v = NULL, **nv;
	size_t n = 0, i, len = parent != NULL ? strlen(parent) : 0;
	const char *name;

	for (a = c->pf->rs != NULL ? c->pf->rs->anchors : NULL; a != NULL; a = a->next) {
		if (parent != NULL && (strncmp(a->path, parent, len) != 0 ||
		    a->path[len] != '/'))
			continue;
		name = parent != NULL ? a->path + len + 1 : a->path;
		if (strchr(name, '/') != NULL || (name[0] == '_' && !c->vflag))
			continue;
		if ((nv = realloc(v, (n + 1) * sizeof(*v))) == NULL)
			break;
		v = nv;
		v[n++] = a->path;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), path_cmp);
	for (i = 0; i < n; i++) {
		fprintf(c->out, "  %s\n", v[i]);
		if (recurse)
			anchors(c, v[i], recurse);
	}
	free(v);
	return (0);
}

static int
show_anchors(struct ctl *c)
{
	const char *anchor = ctl_anchor(c);

	if (anchor != NULL && (c->pf->rs == NULL ||
	    pfm_anchor_find(c->pf->rs, anchor) == NULL)) {
		ctl_warnx(c, "DIOCGETRULESETS: No such file or directory");
		return (1);
	}
	return (anchors(c, anchor, c->vflag > 0));
}

/* pfctl -ss [-v|-vv] [-i IF]: the state's interface ("all" for a floating one) must
 * be IF (pfctl_show_states); -v and -vv add print_state's detail lines. */
static int
show_states(struct ctl *c)
{
	const struct pfm_state *s;
	struct pfm *pf = c->pf;
	const char *ifn;

	pfm_purge_expired(pf);
	for (s = pf->st.head; s != NULL; s = s->lnext) {
		ifn = s->kif == PFM_KIF_ALL ? "all" : pf->ifn[s->kif];
		if (c->ifname != NULL && strcmp(ifn, c->ifname) != 0)
			continue;
		pfm_show_state_v(pf, s, c->out, c->vflag > 2 ? 2 : c->vflag);
	}
	return (0);
}

/* -sr, -sn, -sl: pfctl's options as pfm_show_list's. */
static int
show_list(struct ctl *c, int what)
{
	int opts = what | (c->recurse ? PFM_SHOW_RECURSE : 0) | (c->gflag ?
	    PFM_SHOW_DEBUG : 0) | (c->zflag && what != PFM_SHOW_NAT ? PFM_SHOW_ZERO : 0) |
	    (c->Pflag ? PFM_SHOW_NUMERIC : 0);

	if (c->vflag >= 1)
		opts |= PFM_SHOW_V;
	if (c->vflag >= 2)
		opts |= PFM_SHOW_VV;
	if (pfm_show_list(c->pf, c->out, ctl_anchor(c), opts) == -1)
		ctl_warnx(c, "DIOCGETRULES: Invalid argument");
	return (0);		/* pfctl ignores what the listing returned */
}

/* -s ether: pfctl_show_eth_rules, -v/-vv counters, -vv and -g rule numbers; an
 * anchor named with -a that does not exist is pfctl's failed DIOCGETETHRULES. */
static int
show_ether(struct ctl *c)
{
	int opts = (c->recurse ? PFM_SHOW_RECURSE : 0) | (c->gflag ? PFM_SHOW_DEBUG : 0) |
	    (c->vflag >= 1 ? PFM_SHOW_V : 0) | (c->vflag >= 2 ? PFM_SHOW_VV : 0);

	if (pfm_show_ether(c->pf, c->out, ctl_anchor(c), opts) == -1)
		ctl_warnx(c, "DIOCGETETHRULES: No such file or directory");
	return (0);
}

int
ctl_show(struct ctl *c)
{
	switch (ctl_lookup(show_words, c->show)) {
	case SH_ETHER:
		return (show_ether(c));
	case SH_NAT:
		return (show_list(c, PFM_SHOW_NAT));
	case SH_RULES:
		return (show_list(c, 0));
	case SH_LABELS:
		return (show_list(c, PFM_SHOW_LABELS));
	case SH_ANCHORS:
		return (show_anchors(c));
	case SH_SOURCES:
		pfm_show_srcnodes_v(c->pf, c->out, c->vflag);
		return (0);
	case SH_STATES:
		return (show_states(c));
	case SH_INFO:
		pfm_show_info_v(c->pf, c->out, c->vflag);
		return (0);
	case SH_TIMEOUTS:
		show_timeouts(c);
		return (0);
	case SH_MEMORY:
		show_memory(c);
		return (0);
	case SH_TABLES:
		return (show_tables(c));
	case SH_RUNNING:
		fprintf(c->out, "%s\n", pfm_rt_enabled(c->pf) ? "Enabled" : "Disabled");
		return (!pfm_rt_enabled(c->pf));
	case SH_QUEUE:
		return (ctl_unmodelled(c, "-s queue (ALTQ)"));
	case SH_IFACES:
		return (ctl_unmodelled(c, "-s Interfaces"));
	case SH_OSFP:
		return (ctl_unmodelled(c, "-s osfp (OS fingerprints)"));
	case SH_ALL:
		return (ctl_unmodelled(c, "-s all (its OS fingerprint count); ask for "
		    "its parts: -sn, -sr, -ss, -sS, -si, -sl, -st, -sm, -sT"));
	case SH_CREATORIDS:
		return (ctl_unmodelled(c, "-s creatorids"));
	default:
		ctl_warnx(c, "Unknown show modifier '%s'", c->show);
		return (ctl_usage(c));
	}
}
