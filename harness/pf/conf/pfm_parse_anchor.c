/* pfm_parse_anchor.c: anchors in pf.conf as FreeBSD 14's pfctl takes them: `anchor`
 * rules (named, wildcard, inline with nested braces), nat-/rdr-/binat-anchor, and
 * `load anchor "name" from "file"`; names resolved as pf_anchor_setup resolves them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_parse_rule.h"

struct pfm_anchor *
pfm_anchor_find(const struct pfm_ruleset *rs, const char *path)
{
	struct pfm_anchor *a;

	for (a = rs->anchors; a != NULL; a = a->next)
		if (strcmp(a->path, path) == 0)
			return (a);
	return (NULL);
}

const char *
pfm_rule_anchor(const struct pfm_rule *r)
{
	return (r != NULL && r->owner != NULL ? r->owner->path : "");
}

struct pfm_rule *
pfm_anchor_list(const struct pfm_ruleset *rs, const struct pfm_anchor *a, int l)
{
	switch (l) {
	case 0:
		return (a != NULL ? a->rules : rs->rules);
	case 1:
		return (a != NULL ? a->nat : rs->nat);
	case 2:
		return (a != NULL ? a->rdr : rs->rdr);
	case 3:
		return (a != NULL ? a->binat : rs->binat);
	}
	return (NULL);
}

/* The anchor at `path`, created empty the first time it is named. */
struct pfm_anchor *
pfm_anchor_get(struct pfm_pctx *c, const char *path)
{
	struct pfm_anchor *a, **ap;
	const char *p;

	if ((a = pfm_anchor_find(c->rs, path)) != NULL)
		return (a);
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return (NULL);
	snprintf(a->path, sizeof(a->path), "%s", path);
	p = strrchr(path, '/');
	snprintf(a->name, sizeof(a->name), "%s", p != NULL ? p + 1 : path);
	for (ap = &c->rs->anchors; *ap != NULL; ap = &(*ap)->next)
		;
	*ap = a;
	return (a);
}

/* pf_anchor_setup: an absolute name ("/a/b") from the root, a relative one from the
 * anchor the rule is in, "../" one level up; a trailing "/ *" makes a wildcard.
 * Fills path (no leading '/'); 0, or -1 for ".." beyond the root. */
static int
resolve(struct pfm_pctx *c, const char *name, char *path, size_t len, int *wild)
{
	char *p;

	*wild = 0;
	if (name[0] == '/')
		snprintf(path, len, "%s", name + 1);
	else {
		snprintf(path, len, "%s", c->anchor != NULL ? c->anchor->path : "");
		while (name[0] == '.' && name[1] == '.' && name[2] == '/') {
			if (!path[0])
				return (-1);
			if ((p = strrchr(path, '/')) != NULL)
				*p = '\0';
			else
				path[0] = '\0';
			name += 3;
		}
		if (path[0])
			strncat(path, "/", len - strlen(path) - 1);
		strncat(path, name, len - strlen(path) - 1);
	}
	if ((p = strrchr(path, '/')) != NULL && strcmp(p, "/*") == 0) {
		*wild = 1;
		*p = '\0';
	}
	return (0);
}

int
pfm_anchor_resolve(struct pfm_pctx *c, const char *name, char *path, size_t len,
    int *wild)
{
	return (resolve(c, name, path, len, wild));
}

/* Saved parse position: the lists rules are appended to and their counts. */
struct actx {
	struct pfm_anchor *anchor;
	struct pfm_rule	**tail[5];
	int		 nr[5];
};

static struct pfm_rule **
list_tail(struct pfm_rule **head)
{
	while (*head != NULL)
		head = &(*head)->next;
	return (head);
}

/* Make anchor a the place rules go; the previous place is kept in save. */
static void
pfm_anchor_enter(struct pfm_pctx *c, struct pfm_anchor *a, struct actx *save)
{
	memcpy(save->tail, c->tail, sizeof(save->tail));
	memcpy(save->nr, c->nr, sizeof(save->nr));
	save->anchor = c->anchor;
	c->anchor = a;
	c->tail[RS_FILTER] = list_tail(&a->rules);
	c->tail[RS_NAT] = list_tail(&a->nat);
	c->tail[RS_RDR] = list_tail(&a->rdr);
	c->tail[RS_BINAT] = list_tail(&a->binat);
	c->nr[RS_FILTER] = a->nrules;
	c->nr[RS_NAT] = a->nnat;
	c->nr[RS_RDR] = a->nrdr;
	c->nr[RS_BINAT] = a->nbinat;
}

static void
pfm_anchor_leave(struct pfm_pctx *c, struct actx *save)
{
	struct pfm_anchor *a = c->anchor;

	a->nrules = c->nr[RS_FILTER];
	a->nnat = c->nr[RS_NAT];
	a->nrdr = c->nr[RS_RDR];
	a->nbinat = c->nr[RS_BINAT];
	memcpy(c->tail, save->tail, sizeof(c->tail));
	memcpy(c->nr, save->nr, sizeof(c->nr));
	c->anchor = save->anchor;
}

/* pfa_anchor: '{' '\n' { pfrule | anchorrule | '\n' } '}' (15: tabledef too), into
 * anchor a. pfctl's
 * grammar has no error recovery inside the braces: an error ends the anchor rule and
 * the parse resumes at the next line of the file, as a top-level statement. */
static int
inline_body(struct pfm_pctx *c, struct pfm_anchor *a)
{
	struct actx save;
	int t, rv = 0;

	pfm_next(c);	/* '{' */
	if (pfm_peek(c) != '\n')
		return (pfm_syntax(c));
	pfm_next(c);
	pfm_anchor_enter(c, a, &save);
	for (;;) {
		t = pfm_peek(c);
		c->no = 0;
		if (t == '}') {
			pfm_next(c);
			break;
		}
		if (t == '\n') {
			pfm_next(c);
			continue;
		}
		switch (t) {
		case K_PASS:
		case K_BLOCK:
		case K_MATCH:
			rv = pfm_parse_pfrule(c);
			break;
		case K_ANCHOR:
		case K_NATANCHOR:
		case K_RDRANCHOR:
		case K_BINATANCHOR:
			rv = pfm_parse_anchorrule(c);
			break;
		case K_TABLE:
			/* FreeBSD 15's pfa_anchorlist takes a tabledef (as OpenBSD's
			 * parse.y 1.719; table.sh in_anchor): the table is the
			 * anchor's (pfm_parse_table); 14's grammar has none */
			if (c->fb15 && c->tabledef != NULL) {
				rv = c->tabledef(c);
				break;
			}
			rv = pfm_syntax(c);
			break;
		default:
			rv = pfm_syntax(c);
			break;
		}
		if (rv == 0 && pfm_peek(c) != '\n')
			rv = pfm_syntax(c);
		if (rv == -1)
			break;
		pfm_next(c);
	}
	pfm_anchor_leave(c, &save);
	return (rv);
}

static int
anchor_name_ok(struct pfm_pctx *c, const char *name)
{
	if (name != NULL && (name[0] == '_' || strstr(name, "/_") != NULL)) {
		pfm_yyerror(c, "anchor names beginning with '_' are reserved for "
		    "internal use");
		return (-1);
	}
	return (0);
}

/* The rule's anchor: resolved from the name as written; 0 or -1 with the error. */
static int
anchor_setup(struct pfm_pctx *c, struct pfm_rule *r, const char *call)
{
	char path[1024];
	int wild;

	if (resolve(c, call, path, sizeof(path), &wild) == -1) {
		pfm_yyerror(c, "anchor %s: \"..\" beyond the main ruleset", call);
		return (-1);
	}
	if ((r->anchor = pfm_anchor_get(c, path)) == NULL)
		return (-1);
	r->anchor_wildcard = wild;
	r->anchor_call = pfm_intern(c, call);
	return (0);
}

static int
parse_rtable(struct pfm_pctx *c, int *out)
{
	*out = -1;
	if (!pfm_accept(c, K_RTABLE))
		return (0);
	return (pfm_parse_rtable(c, out));
}

/* anchorrule's filter_opts: what pfctl copies into an anchor rule, its checks. */
static int
anchor_opts(struct pfm_pctx *c, struct pfm_rule *r, const struct filter_opts *fo,
    const struct pfm_expand *e)
{
	r->prob = fo->prob;
	r->rtableid = fo->rtableid;
	r->ridentifier = fo->ridentifier;
	if (pfm_tag_lengths(c, fo) == -1)
		return (-1);
	/* pfctl's rule_label refuses a label too long for the anchor rule too */
	if (pfm_rule_marks(c, r, fo) == -1)
		return (-1);
	r->flags = (uint8_t)fo->flags;
	r->flagset = (uint8_t)fo->flagset;
	if (pfm_flags_only_tcp(c, fo, e->protos, e->oses) == -1)
		return (-1);
	r->tos = fo->tos;
	if (fo->keep) {
		pfm_yyerror(c, "cannot specify state handling on anchors");
		return (-1);
	}
	return (0);
}

static int
filter_anchor(struct pfm_pctx *c)
{
	struct pfm_rule r;
	struct pfm_expand e;
	struct filter_opts fo;
	struct pfm_anchor *a = NULL;
	char *name = NULL, path[1024], inl[32];
	int wild;

	memset(&r, 0, sizeof(r));
	memset(&e, 0, sizeof(e));
	pfm_next(c);
	if (pfm_peek(c) == T_STRING) {
		char *s = pfm_take_string(c);

		name = pfm_nstrdup(c, s);
		free(s);
	}
	r.action = PFM_R_PASS;
	r.direction = pfm_accept(c, K_IN) ? PFM_RDIR_IN :
	    pfm_accept(c, K_OUT) ? PFM_RDIR_OUT : PFM_RDIR_ANY;
	r.quick = pfm_accept(c, K_QUICK);
	if (pfm_parse_interface(c, &e.ifs) == -1)
		return (-1);
	if (pfm_parse_filter_tail(c, &r, &e, &fo) == -1)
		return (-1);
	if (pfm_peek(c) == '{') {
		/* pfctl fills a holding ruleset "_N" and moves it under the name;
		 * the contents land where they end up at once here */
		snprintf(inl, sizeof(inl), "_%d", ++c->bn);
		if (name != NULL && strchr(name, '/') == NULL &&
		    resolve(c, name, path, sizeof(path), &wild) == 0)
			a = pfm_anchor_find(c->rs, path);
		if (a != NULL && a->is_inline) {
			pfm_yyerror(c, "inline anchor '%s' already exists", a->name);
			return (-1);
		}
		if (resolve(c, name != NULL && strchr(name, '/') == NULL ? name : inl,
		    path, sizeof(path), &wild) == -1 ||
		    (a = pfm_anchor_get(c, path)) == NULL)
			return (-1);
		a->is_inline = 1;
		if (inline_body(c, a) == -1)
			return (-1);
	} else if (pfm_peek(c) != '\n' && pfm_peek(c) != T_EOF)
		return (pfm_syntax(c));
	if (pfm_check_rulestate(c, PFCTL_STATE_FILTER) || anchor_name_ok(c, name) == -1)
		return (-1);
	if (a != NULL) {
		if (name != NULL && strchr(name, '/') != NULL) {
			pfm_yyerror(c, "anchor paths containing '/' cannot be used for "
			    "inline anchors.");
			return (-1);
		}
		if (anchor_setup(c, &r, a->name) == -1)
			return (-1);
		r.anchor_inline = 1;
	} else {
		if (name == NULL) {
			pfm_yyerror(c, "anchors without explicit rules must specify a "
			    "name");
			return (-1);
		}
		if (anchor_setup(c, &r, name) == -1)
			return (-1);
	}
	if (anchor_opts(c, &r, &fo, &e) == -1)
		return (-1);
	pfm_decide_af(e.src, &r.af);
	pfm_decide_af(e.dst, &r.af);
	e.uids = fo.uids;
	e.gids = fo.gids;
	e.icmp = fo.icmp;
	e.anchor = 1;
	pfm_expand_rule(c, &r, &e);
	return (0);
}

/* nat-anchor, rdr-anchor, binat-anchor: STRING interface af proto fromto rtable. */
static int
trans_anchor(struct pfm_pctx *c, int kind)
{
	struct pfm_rule r;
	struct pfm_expand e;
	char *name;

	memset(&r, 0, sizeof(r));
	memset(&e, 0, sizeof(e));
	pfm_next(c);
	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	{
		char *s = pfm_take_string(c);

		name = pfm_nstrdup(c, s);
		free(s);
	}
	if (pfm_parse_interface(c, &e.ifs) == -1)
		return (-1);
	r.af = pfm_parse_af(c);
	if (pfm_parse_proto(c, &e.protos) == -1 ||
	    pfm_parse_fromto(c, &e.src, &e.sport, &e.oses, &e.dst, &e.dport) == -1 ||
	    parse_rtable(c, &r.rtableid) == -1)
		return (-1);
	if (pfm_rule_end(c, PFCTL_STATE_NAT) == -1)
		return (-1);
	r.action = kind == K_NATANCHOR ? PFM_R_NAT : kind == K_RDRANCHOR ? PFM_R_RDR :
	    PFM_R_BINAT;
	pfm_decide_af(e.src, &r.af);
	pfm_decide_af(e.dst, &r.af);
	if (kind == K_RDRANCHOR) {
		if (e.sport != NULL) {
			pfm_yyerror(c, "source port parameter not supported in "
			    "rdr-anchor");
			return (-1);
		}
		if (e.dport != NULL && e.dport->next != NULL) {
			pfm_yyerror(c, "destination port list expansion not supported "
			    "in rdr-anchor");
			return (-1);
		}
		if (e.dport != NULL && e.dport->op != PFM_OP_EQ) {
			pfm_yyerror(c, "destination port operators not supported in "
			    "rdr-anchor");
			return (-1);
		}
	}
	if (anchor_setup(c, &r, name) == -1)
		return (-1);
	if (kind == K_BINATANCHOR) {
		/* pfctl appends it as is: no interface, no expansion */
		if (e.protos != NULL && e.protos->next != NULL) {
			pfm_yyerror(c, "proto list expansion not supported in "
			    "binat-anchor");
			return (-1);
		}
		if (e.protos != NULL)
			r.proto = e.protos->proto;
		if (e.src != NULL || e.sport != NULL || e.dst != NULL || e.dport != NULL) {
			pfm_yyerror(c, "fromto parameter not supported in binat-anchor");
			return (-1);
		}
		r.nr = c->nr[RS_BINAT];
		pfm_append_rule(c, &r);
		return (0);
	}
	e.anchor = 1;
	pfm_expand_rule(c, &r, &e);
	return (0);
}

int
pfm_parse_anchorrule(struct pfm_pctx *c)
{
	int t = pfm_peek(c);

	if (t == K_ANCHOR)
		return (filter_anchor(c));
	return (trans_anchor(c, t));
}

/* load anchor "name" from "file": remembered, loaded after the main ruleset. */
int
pfm_parse_loadrule(struct pfm_pctx *c)
{
	struct pfm_loadanchor *l;
	char *name, *file;

	pfm_next(c);
	if (!pfm_accept(c, K_ANCHOR) || pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	name = pfm_take_string(c);
	if (!pfm_accept(c, K_FROM) || pfm_peek(c) != T_STRING) {
		free(name);
		return (pfm_syntax(c));
	}
	file = pfm_take_string(c);
	if ((l = pfm_nalloc(c, sizeof(*l))) != NULL) {
		size_t n = 0;

		if (c->anchor != NULL) {
			n = strlen(c->anchor->path);
			if (n > sizeof(l->name) - 2)
				n = sizeof(l->name) - 2;
			memcpy(l->name, c->anchor->path, n);
			l->name[n++] = '/';
		}
		snprintf(l->name + n, sizeof(l->name) - n, "%s", name);
		l->file = pfm_nstrdup(c, file);
		*c->loadtail = l;
		c->loadtail = &l->next;
	}
	free(name);
	free(file);
	return (0);
}

/* pfctl_load_anchors: each `load anchor` file parsed into its anchor, as
 * `pfctl -a name -f file` would; its macros are its own (the -D ones stay). */
void
pfm_load_anchors(struct pfm_pctx *c, void (*parse_all)(struct pfm_pctx *))
{
	struct pfm_loadanchor *l;
	struct pfm_anchor *a;
	struct actx save;
	struct pfm_buf pre;

	for (l = c->loads; l != NULL; l = l->next) {
		pfm_raw(c, "\nLoading anchor %s from %s", l->name, l->file);
		if ((a = pfm_anchor_get(c, l->name)) == NULL)
			return;
		if (a->loaded) {
			/* pfctl replaces an anchor's rules when it is loaded again */
			pfm_raw(c, "pfharness: anchor %s loaded twice: the model keeps the "
			    "first", l->name);
			continue;
		}
		a->loaded = ++c->nloaded;
		a->file = strdup(l->file);
		pre = c->pre;
		memset(&c->pre, 0, sizeof(c->pre));
		if (pfm_lex_pushfile(c, l->file) == -1) {
			pfm_raw(c, "pfctl: cannot open the main config file!");
			pfm_raw(c, "pfctl: load anchors");
			c->rs_errors++;
			c->pre = pre;
			continue;
		}
		/* as an include: the file's first line comes after a newline */
		pfm_lex_unget_nl(c);
		c->havetok = 0;
		c->errflag = 0;
		pfm_anchor_enter(c, a, &save);
		c->rulestate = PFCTL_STATE_NONE;
		pfm_sym_clear(c);
		parse_all(c);
		pfm_anchor_leave(c, &save);
		a->preamble = c->pre.s != NULL ? c->pre.s : strdup("");
		c->pre = pre;
	}
}
