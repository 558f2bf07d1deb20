/* pfm_parse_state.c: keep/modulate/synproxy state and the state options list
 * (max, source-track, max-src-*, overload, if-bound, sloppy, per-rule timeouts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"
#include "pfm_parse_rule.h"

/* A numeric limit (max, max-src-states, -conn, -nodes, or max-src-conn-rate n/s)
 * into o; t is its keyword. */
static int
state_opt_limit(struct pfm_pctx *c, int t, struct node_state_opt *o)
{
	int64_t v, v2 = 0;

	pfm_next(c);
	if (pfm_peek(c) != T_NUMBER)
		return (pfm_syntax(c));
	v = c->tok.num;
	pfm_next(c);
	if (t == K_MAXSRCCONNRATE) {
		if (!pfm_accept(c, '/') || pfm_peek(c) != T_NUMBER)
			return (pfm_syntax(c));
		v2 = c->tok.num;
		pfm_next(c);
	}
	if (v < 0 || v > UINT32_MAX || v2 < 0 || v2 > UINT32_MAX) {
		pfm_yyerror(c, "only positive values permitted");
		return (-1);
	}
	o->type = t == K_MAXIMUM ? SO_MAX : t == K_MAXSRCSTATES ?
	    SO_MAX_SRC_STATES : t == K_MAXSRCCONN ? SO_MAX_SRC_CONN :
	    t == K_MAXSRCNODES ? SO_MAX_SRC_NODES : SO_MAX_SRC_CONN_RATE;
	o->v[0] = (uint32_t)v;
	o->v[1] = (uint32_t)v2;
	return (0);
}

/* "overload <table> [flush [global]]" into o. */
static int
state_opt_overload(struct pfm_pctx *c, struct node_state_opt *o)
{
	char *s;

	pfm_next(c);
	if (!pfm_accept(c, '<'))
		return (pfm_syntax(c));
	if (pfm_parse_tblname(c, &s) == -1)
		return (-1);
	snprintf(o->tbl, sizeof(o->tbl), "%s", s);
	free(s);
	o->type = SO_OVERLOAD;
	if (pfm_accept(c, K_FLUSH))
		o->v[0] = pfm_accept(c, K_GLOBAL) ? 2 : 1;
	return (0);
}

/* A per-rule timeout "name seconds" into o; only the per-state timeouts
 * (those with a dot in their name, e.g. tcp.established) are allowed. */
static int
state_opt_timeout(struct pfm_pctx *c, struct node_state_opt *o)
{
	char *s = pfm_take_string(c);
	int64_t v;
	int i;

	if (pfm_peek(c) != T_NUMBER) {
		free(s);
		return (pfm_syntax(c));
	}
	v = c->tok.num;
	pfm_next(c);
	if (v < 0 || v > UINT32_MAX) {
		free(s);
		pfm_yyerror(c, "only positive values permitted");
		return (-1);
	}
	for (i = 0; pfm_timeouts[i].name && strcmp(pfm_timeouts[i].name, s); i++)
		;
	if (pfm_timeouts[i].name == NULL) {
		pfm_yyerror(c, "illegal timeout name %s", s);
		free(s);
		return (-1);
	}
	if (strchr(pfm_timeouts[i].name, '.') == NULL) {
		pfm_yyerror(c, "illegal state timeout %s", s);
		free(s);
		return (-1);
	}
	free(s);
	o->type = SO_TIMEOUT;
	o->v[0] = (uint32_t)pfm_timeouts[i].tm;
	o->v[1] = (uint32_t)v;
	return (0);
}

/* One state option, appended to *list. */
static int
state_opt_item(struct pfm_pctx *c, struct node_state_opt **list)
{
	struct node_state_opt o;
	struct node_state_opt *n;
	int t = pfm_peek(c);

	memset(&o, 0, sizeof(o));
	switch (t) {
	case K_MAXIMUM: case K_MAXSRCSTATES: case K_MAXSRCCONN: case K_MAXSRCNODES:
	case K_MAXSRCCONNRATE:
		if (state_opt_limit(c, t, &o) == -1)
			return (-1);
		break;
	case K_NOSYNC:
		pfm_next(c);
		o.type = SO_NOSYNC;
		break;
	case K_SLOPPY:
		pfm_next(c);
		o.type = SO_SLOPPY;
		break;
	case K_PFLOW:		/* FreeBSD 14.1: the state is exported by pflow(4) */
		pfm_next(c);
		o.type = SO_PFLOW;
		break;
	case K_IFBOUND:
	case K_FLOATING:
		pfm_next(c);
		o.type = SO_STATELOCK;
		o.v[0] = t == K_IFBOUND;
		break;
	case K_SOURCETRACK:
		pfm_next(c);
		o.type = SO_SRCTRACK;
		o.v[0] = pfm_accept(c, K_GLOBAL) ? ST_GLOBAL :
		    pfm_accept(c, K_RULE) ? ST_RULE : ST_SRCTRACK;
		break;
	case K_OVERLOAD:
		if (state_opt_overload(c, &o) == -1)
			return (-1);
		break;
	case T_STRING:
		if (state_opt_timeout(c, &o) == -1)
			return (-1);
		break;
	default:
		return (pfm_syntax(c));
	}
	if ((n = pfm_nalloc(c, sizeof(*n))) == NULL)
		return (-1);
	*n = o;
	n->tail = n;
	PFM_LIST_APPEND(*list, n);
	return (0);
}

int
pfm_parse_state_opt_list(struct pfm_pctx *c, struct node_state_opt **list)
{
	*list = NULL;
	for (;;) {
		if (state_opt_item(c, list) == -1)
			return (-1);
		if (pfm_peek(c) == ')' || pfm_peek(c) == '\n' || pfm_peek(c) == T_EOF)
			return (0);
		pfm_comma(c);
	}
}

int
pfm_parse_keep(struct pfm_pctx *c, struct filter_opts *fo)
{
	int t = pfm_peek(c), action;
	struct node_state_opt *opts = NULL;

	pfm_next(c);
	if (!pfm_accept(c, K_STATE))
		return (pfm_syntax(c));
	action = t == K_NO ? PFM_KEEP_NONE : t == K_KEEP ? PFM_KEEP_STATE :
	    t == K_MODULATE ? PFM_KEEP_MODULATE : PFM_KEEP_SYNPROXY;
	if (t != K_NO && pfm_accept(c, '(')) {
		if (pfm_parse_state_opt_list(c, &opts) == -1)
			return (-1);
		if (!pfm_accept(c, ')'))
			return (pfm_syntax(c));
	}
	if (pfm_mark_once(c, &fo->marker, FOM_KEEP,
	    "modulate or keep cannot be redefined") == -1)
		return (-1);
	fo->keep = action;
	fo->keepopts = opts;
	return (0);
}
