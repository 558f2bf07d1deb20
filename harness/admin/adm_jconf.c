/* adm_jconf.c: jail.conf(5) as FreeBSD 14's jail(8) reads it (usr.sbin/jail: jaillex.l,
 * jailparse.y, config.c load_config): parameters with `=`, `+=` or no value, lists
 * with commas, quoted strings (both quotes, backslash escapes), comments (#, //, C),
 * $variables and ${variables}, jail blocks (nested ones named parent.child), the `*`
 * wildcard blocks and the global parameters outside blocks, `.include "FILE";` with
 * globs; then each jail's parameters resolved as load_config resolves them. */
#include <sys/types.h>

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm_jconf_impl.h"

struct rparam {
	char		*name;
	struct jstr	*val;
	int		 nval;
	int		 var, append, nameval;
	struct adm_at	 at;
	int		 gen, busy;	/* substitution: done, in progress */
};

struct rjail {
	char		*name;
	struct rparam	*p;
	int		 np;
	int		 seq;
	int		 parent;	/* index of the enclosing block, -1 */
	struct adm_at	 at;
};

struct jconf {
	struct adm_world *w;
	struct rjail	*j;
	int		 nj;
	int		 cur;		/* the open block, -1 */
	int		 errors;
};

/* ---- the grammar (jailparse.y) ---- */

static void parse_conf(struct jconf *, struct jlex *, int inblock);

static void
syntax(struct jlex *l)
{
	char near[64];

	if (l->t == T_EOF)
		adm_err(l->w, l->file, 0, "unexpected EOF");
	else {
		if (l->t == T_CHAR)
			snprintf(near, sizeof(near), "%c", l->c);
		else if (l->t == T_PLEQ)
			snprintf(near, sizeof(near), "+=");
		else
			snprintf(near, sizeof(near), "%s", l->str.s != NULL ? l->str.s : "");
		adm_err(l->w, l->file, l->tline, "%s: syntax error", near);
	}
	l->errors++;
}

/* Skip to the end of the statement (error recovery, as yacc's `error` rule). */
static void
recover(struct jlex *l)
{
	while (l->t != T_EOF && !(l->t == T_CHAR && (l->c == ';' || l->c == '}')))
		adm_jlex_next(l);
	if (l->t == T_CHAR && l->c == ';')
		adm_jlex_next(l);
}

static struct rjail *
add_jail(struct jconf *c, const char *name, int line, const char *file)
{
	struct rjail *nj, *j;

	if ((nj = adm_grow(c->j, &c->nj, sizeof(*nj))) == NULL)
		return (NULL);
	c->j = nj;
	j = &nj[c->nj - 1];
	if ((j->name = strdup(name)) == NULL) {
		c->nj--;
		return (NULL);
	}
	j->seq = c->nj;
	j->parent = c->cur;
	adm_at_set(&j->at, file, line, name);
	return (j);
}

static int
add_param(struct rjail *j, struct rparam *p)
{
	struct rparam *np;

	if ((np = adm_grow(j->p, &j->np, sizeof(*np))) == NULL)
		return (-1);
	j->p = np;
	np[j->np - 1] = *p;
	return (0);
}

static void
rparam_free(struct rparam *p)
{
	int i;

	for (i = 0; i < p->nval; i++)
		adm_jstr_free(&p->val[i]);
	free(p->val);
	free(p->name);
	memset(p, 0, sizeof(*p));
}

static void include_file(struct jconf *, struct jlex *, const char *pattern, int line);

/* A parameter: NAME [= | += | nothing] [VALUE[, VALUE...]], then `;`. */
static void
parse_param(struct jconf *c, struct jlex *l)
{
	struct rparam p;
	struct jstr *nv;
	struct rjail *j;
	int i, line = l->tline;

	memset(&p, 0, sizeof(p));
	if (l->str.nvar == 1 && l->str.len == 0) {
		p.var = 1;	/* `$name = ...`: a variable */
		p.name = strdup(l->str.var[0].name);
	} else if (l->str.nvar == 0)
		p.name = strdup(l->str.s);
	else {
		syntax(l);
		recover(l);
		return;
	}
	adm_at_set(&p.at, l->file, line, p.name);
	adm_jlex_next(l);
	if (l->t == T_CHAR && l->c == '=')
		adm_jlex_next(l);
	else if (l->t == T_PLEQ) {
		p.append = 1;
		adm_jlex_next(l);
	} else
		p.nameval = l->t == T_STR;
	if (p.append || (l->t != T_CHAR || l->c != ';')) {
		for (;;) {
			if (l->t != T_STR) {
				syntax(l);
				rparam_free(&p);
				recover(l);
				return;
			}
			if ((nv = adm_grow(p.val, &p.nval, sizeof(*nv))) == NULL)
				break;
			p.val = nv;
			nv[p.nval - 1] = l->str;
			memset(&l->str, 0, sizeof(l->str));
			adm_jlex_next(l);
			if (!(l->t == T_CHAR && l->c == ','))
				break;
			adm_jlex_next(l);
		}
	}
	if (!(l->t == T_CHAR && l->c == ';')) {
		syntax(l);
		rparam_free(&p);
		recover(l);
		return;
	}
	adm_jlex_next(l);
	if (p.name == NULL)
		return;
	if (strcmp(p.name, ".include") == 0 && p.nameval && !p.var) {
		/* special_param: `.include "FILE";`, literal names only */
		for (i = 0; i < p.nval; i++) {
			if (p.val[i].nvar > 0)
				adm_jlex_err(l, line, "variables not permitted in '.include' filename%s",
				    "");
			else
				include_file(c, l, p.val[i].s, line);
		}
		rparam_free(&p);
		return;
	}
	if (c->cur >= 0)
		j = &c->j[c->cur];
	else {
		/* a global parameter: into the last jail when it is the wildcard "*", else
		 * a new one */
		j = c->nj > 0 && strcmp(c->j[c->nj - 1].name, "*") == 0 &&
		    c->j[c->nj - 1].parent == -1 ? &c->j[c->nj - 1] : add_jail(c, "*", line,
		    l->file);
	}
	if (j == NULL || add_param(j, &p) == -1) {
		adm_err(c->w, l->file, line, "out of memory");
		rparam_free(&p);
	}
}

/* NAME { ... }: a jail block (a nested one is named PARENT.NAME). */
static void
parse_jail(struct jconf *c, struct jlex *l)
{
	char name[ADM_NAME_MAX * 2];
	struct rjail *j;
	int line = l->tline, parent = c->cur;

	if (l->str.nvar > 0) {
		syntax(l);
		recover(l);
		return;
	}
	if (c->cur >= 0)
		snprintf(name, sizeof(name), "%s.%s", c->j[c->cur].name, l->str.s);
	else
		snprintf(name, sizeof(name), "%s", l->str.s);
	adm_jlex_next(l);	/* the name */
	adm_jlex_next(l);	/* { */
	if ((j = add_jail(c, name, line, l->file)) == NULL) {
		adm_err(c->w, l->file, line, "out of memory");
		return;
	}
	c->cur = c->nj - 1;
	parse_conf(c, l, 1);
	c->cur = parent;
	if (l->t == T_CHAR && l->c == '}')
		adm_jlex_next(l);
	else
		syntax(l);
}

static void
parse_conf(struct jconf *c, struct jlex *l, int inblock)
{
	const char *save_s;
	int save_line;

	for (;;) {
		if (l->t == T_EOF || (inblock && l->t == T_CHAR && l->c == '}'))
			return;
		if (l->t == T_CHAR && l->c == ';') {
			adm_jlex_next(l);
			continue;
		}
		if (l->t != T_STR) {
			syntax(l);
			adm_jlex_next(l);
			recover(l);
			continue;
		}
		/* a block when `{` follows the string */
		save_s = l->s;
		save_line = l->line;
		l->peek = 1;
		adm_jlex_skip(l);
		l->peek = 0;
		if (l->s < l->end && *l->s == '{') {
			l->s = save_s;
			l->line = save_line;
			parse_jail(c, l);
		} else {
			l->s = save_s;
			l->line = save_line;
			parse_param(c, l);
		}
	}
}

/* Parse text (file: its name, interned) into c. */
static void
parse_text(struct jconf *c, const char *file, const char *text, size_t len, int depth)
{
	struct jlex l;

	memset(&l, 0, sizeof(l));
	l.w = c->w;
	l.file = file;
	l.s = text;
	l.end = text + len;
	l.line = 1;
	l.depth = depth;
	adm_jlex_next(&l);
	parse_conf(c, &l, 0);
	while (l.t != T_EOF) {	/* a `}` with no block open */
		syntax(&l);
		adm_jlex_next(&l);
	}
	adm_jstr_free(&l.str);
	c->errors += l.errors;
}

/* include_config: each file the pattern names (glob(3)), in glob's order; an absolute
 * name under the root, a relative one beside the including file. */
static void
include_file(struct jconf *c, struct jlex *l, const char *pattern, int line)
{
	char *path, dir[4096], err[512], *slash;
	const char *full;
	glob_t g;
	size_t i, len;
	char *text;
	int rc;

	if (l->depth >= ADM_INCLUDE_DEPTH) {
		adm_jlex_err(l, line, "includes nested too deep (%s)", pattern);
		return;
	}
	if (pattern[0] == '/')
		path = adm_path(c->w, pattern);
	else {
		snprintf(dir, sizeof(dir), "%s", l->file);
		if ((slash = strrchr(dir, '/')) != NULL)
			slash[1] = '\0';
		else
			dir[0] = '\0';
		len = strlen(dir) + strlen(pattern) + 1;
		if ((path = malloc(len)) != NULL)
			snprintf(path, len, "%s%s", dir, pattern);
	}
	if (path == NULL) {
		adm_err(c->w, l->file, line, "out of memory");
		return;
	}
	memset(&g, 0, sizeof(g));
	rc = glob(path, 0, NULL, &g);
	if (rc == GLOB_NOMATCH && strpbrk(pattern, "*?[") == NULL)
		adm_jlex_err(l, line, "%s: No such file or directory", pattern);
	for (i = 0; rc == 0 && i < g.gl_pathc; i++) {
		full = adm_intern(c->w, g.gl_pathv[i]);
		if ((text = adm_slurp(g.gl_pathv[i], &len, err, sizeof(err))) == NULL) {
			adm_err(c->w, l->file, line, "%s: %s", g.gl_pathv[i], err);
			continue;
		}
		parse_text(c, full, text, len, l->depth + 1);
		free(text);
	}
	globfree(&g);
	free(path);
}

/* ---- resolution (config.c, load_config) ---- */

/* "opt" and "noopt", "a.opt" and "a.noopt" are the same parameter (equalopts). */
static int
equalopts(const char *a, const char *b)
{
	const char *p;

	if (strcmp(a, b) == 0)
		return (1);
	if (strncmp(a, "no", 2) == 0 && strcmp(a + 2, b) == 0)
		return (1);
	if (strncmp(b, "no", 2) == 0 && strcmp(a, b + 2) == 0)
		return (1);
	while ((p = strchr(a, '.')) != NULL && strncmp(a, b, (size_t)(++p - a)) == 0) {
		b += p - a;
		a = p;
		if (strncmp(a, "no", 2) == 0 && strcmp(a + 2, b) == 0)
			return (1);
		if (strncmp(b, "no", 2) == 0 && strcmp(a, b + 2) == 0)
			return (1);
	}
	return (0);
}

static int
wild_name(const char *w)
{
	const char *c;

	for (c = strchr(w, '*'); c != NULL; c = strchr(c + 1, '*'))
		if ((c == w || c[-1] == '.') && (c[1] == '\0' || c[1] == '.'))
			return (1);
	return (0);
}

static int
wild_match(const char *jname, const char *wname)
{
	const char *jc, *jd, *wc, *wd;

	for (jc = jname, wc = wname; (jd = strchr(jc, '.')) != NULL &&
	    (wd = strchr(wc, '.')) != NULL; jc = jd + 1, wc = wd + 1)
		if (strncmp(jc, wc, (size_t)(jd - jc + 1)) != 0 && strncmp(wc, "*.", 2) != 0)
			return (0);
	return (strcmp(jc, wc) == 0 || strcmp(wc, "*") == 0);
}

/* A jail being resolved: its parameters with their values still jstr. */
struct rdef {
	struct rparam	*p;
	int		 np;
	int		 failed;
};

/* add_param: p into the jail's list (append to or replace an equal one). */
static int
merge(struct adm_world *w, const char *jname, struct rdef *d, const struct rparam *p)
{
	struct rparam *x = NULL, *np;
	struct jstr *nv;
	int i;

	for (i = 0; i < d->np; i++)
		if (equalopts(d->p[i].name, p->name))
			x = &d->p[i];
	if (x != NULL) {
		if (x->var != p->var) {
			adm_err(w, p->at.file, p->at.line, "jail %s: variable \"$%s\" cannot "
			    "have the same name as a parameter.", jname, p->name);
			d->failed = 1;
			return (0);
		}
		if ((strcmp(x->name, "name") == 0 || strcmp(x->name, "jid") == 0) &&
		    x->at.line == 0) {
			adm_err(w, p->at.file, p->at.line, "jail %s: cannot redefine "
			    "parameter \"%s\".", jname, x->name);
			d->failed = 1;
			return (0);
		}
		if (strcmp(x->name, p->name) != 0) {
			free(x->name);
			if ((x->name = strdup(p->name)) == NULL)
				return (-1);
		}
		if (!p->append || p->nval == 0) {
			for (i = 0; i < x->nval; i++)
				adm_jstr_free(&x->val[i]);
			x->nval = 0;
		}
		x->at = p->at;
	} else {
		if ((np = adm_grow(d->p, &d->np, sizeof(*np))) == NULL)
			return (-1);
		d->p = np;
		x = &np[d->np - 1];
		if ((x->name = strdup(p->name)) == NULL) {
			d->np--;
			return (-1);
		}
		x->var = p->var;
		x->at = p->at;
	}
	for (i = 0; i < p->nval; i++) {
		if ((nv = adm_grow(x->val, &x->nval, sizeof(*nv))) == NULL)
			return (-1);
		x->val = nv;
		if (adm_jstr_copy(&nv[x->nval - 1], &p->val[i]) == -1)
			return (-1);
	}
	return (0);
}

/* Substitute every variable of parameter k, those of the parameters it names first
 * (load_config's find_vars loop); -1 when the jail failed (said). */
static int
substitute(struct adm_world *w, const char *jname, struct rdef *d, int k)
{
	struct rparam *p = &d->p[k], *vp;
	struct jstr *s, *vs, *nv;
	char *ns;
	int i, m, q, vi;
	size_t add;

	if (p->gen)
		return (0);
	if (p->busy) {
		adm_err(w, p->at.file, p->at.line, "jail %s: %s: variable loop", jname,
		    p->name);
		return (-1);
	}
	p->busy = 1;
	for (i = 0; i < p->nval; i++) {
		while (d->p[k].val[i].nvar > 0) {
			p = &d->p[k];
			s = &p->val[i];
			for (vi = -1, m = 0; m < d->np; m++)
				if (strcmp(d->p[m].name, s->var[0].name) == 0)
					vi = m;
			if (vi == -1 || d->p[vi].nval == 0) {
				adm_err(w, p->at.file, p->at.line, "jail %s: %s: variable \"%s\" "
				    "not found", jname, p->name, s->var[0].name);
				return (-1);
			}
			if (substitute(w, jname, d, vi) == -1)
				return (-1);
			p = &d->p[k];
			s = &p->val[i];
			vp = &d->p[vi];
			vs = &vp->val[0];
			if (vp->nval > 1 && (s->len != 0 || s->nvar > 1)) {
				adm_err(w, p->at.file, p->at.line, "jail %s: %s: array cannot be "
				    "substituted inline", jname, p->name);
				return (-1);
			}
			add = vs->len;
			if ((ns = realloc(s->s, s->len + add + 1)) == NULL)
				return (-1);
			s->s = ns;
			memmove(s->s + s->var[0].pos + add, s->s + s->var[0].pos,
			    s->len - s->var[0].pos + 1);
			memcpy(s->s + s->var[0].pos, vs->s, add);
			s->len += add;
			for (q = 1; q < s->nvar; q++)
				s->var[q].pos += add;
			free(s->var[0].name);
			memmove(&s->var[0], &s->var[1], (size_t)(s->nvar - 1) *
			    sizeof(s->var[0]));
			s->nvar--;
			/* an array variable alone: its other values follow this one */
			for (q = 1; q < vp->nval; q++) {
				if ((nv = adm_grow(p->val, &p->nval, sizeof(*nv))) == NULL)
					return (-1);
				p->val = nv;
				memmove(&nv[i + q + 1], &nv[i + q], (size_t)(p->nval - 1 - i -
				    q) * sizeof(*nv));
				if (adm_jstr_copy(&nv[i + q], &d->p[vi].val[q]) == -1)
					return (-1);
			}
		}
	}
	d->p[k].busy = 0;
	d->p[k].gen = 1;
	return (0);
}

/* One real jail: its implied name, the wildcards before it, its own parameters, the
 * wildcards after it (a later one replaces an earlier one), variables substituted;
 * then its parameters into out. */
static int
resolve(struct adm_world *w, struct jconf *c, int ji, struct adm_jdef *out)
{
	struct rparam implied;
	struct rjail *j = &c->j[ji];
	struct rdef d;
	struct jstr nm;
	struct adm_jparam *op;
	char *end;
	int i, k, did_self = 0, rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	if ((out->name = strdup(j->name)) == NULL)
		return (-1);
	out->at = j->at;
	memset(&implied, 0, sizeof(implied));
	memset(&nm, 0, sizeof(nm));
	if ((nm.s = strdup(j->name)) == NULL)
		return (-1);
	nm.len = strlen(nm.s);
	/* the name implies its `name` or, all digits, its `jid` */
	(void)strtol(j->name, &end, 10);
	implied.name = (char *)(strtol(j->name, NULL, 10) != 0 && *end == '\0' ? "jid" :
	    "name");
	implied.val = &nm;
	implied.nval = 1;
	adm_at_set(&implied.at, j->at.file, 0, implied.name);
	if (merge(w, j->name, &d, &implied) == -1)
		goto out;
	for (i = 0; i < c->nj; i++) {
		if (!wild_name(c->j[i].name))
			continue;
		if (j->seq < c->j[i].seq && !did_self) {
			for (k = 0; k < j->np; k++)
				if (merge(w, j->name, &d, &j->p[k]) == -1)
					goto out;
			did_self = 1;
		}
		if (wild_match(j->name, c->j[i].name))
			for (k = 0; k < c->j[i].np; k++)
				if (merge(w, j->name, &d, &c->j[i].p[k]) == -1)
					goto out;
	}
	if (!did_self)
		for (k = 0; k < j->np; k++)
			if (merge(w, j->name, &d, &j->p[k]) == -1)
				goto out;
	for (i = 0; i < d.np && !d.failed; i++)
		if (substitute(w, j->name, &d, i) == -1)
			d.failed = 1;
	out->failed = d.failed;
	for (i = 0; i < d.np; i++) {
		if (d.p[i].var)
			continue;
		if ((op = adm_grow(out->p, &out->np, sizeof(*op))) == NULL)
			goto out;
		out->p = op;
		op = &op[out->np - 1];
		op->name = d.p[i].name;
		d.p[i].name = NULL;
		op->at = d.p[i].at;
		if (d.p[i].nval > 0 && (op->val = calloc((size_t)d.p[i].nval,
		    sizeof(*op->val))) == NULL)
			goto out;
		for (k = 0; k < d.p[i].nval; k++) {
			op->val[k].s = d.p[i].val[k].s != NULL ? d.p[i].val[k].s :
			    strdup("");
			d.p[i].val[k].s = NULL;
			op->nval++;
		}
	}
	rc = 0;
out:
	free(nm.s);
	for (i = 0; i < d.np; i++)
		rparam_free(&d.p[i]);
	free(d.p);
	return (rc);
}

static void
jconf_free_raw(struct jconf *c)
{
	int i, k;

	for (i = 0; i < c->nj; i++) {
		for (k = 0; k < c->j[i].np; k++)
			rparam_free(&c->j[i].p[k]);
		free(c->j[i].p);
		free(c->j[i].name);
	}
	free(c->j);
}

int
adm_jconf_text(struct adm_world *w, const char *file, const char *text,
    struct adm_jdef **defs, int *ndefs)
{
	struct jconf c;
	struct adm_jdef *nd;
	int i, n = 0;

	*defs = NULL;
	*ndefs = 0;
	memset(&c, 0, sizeof(c));
	c.w = w;
	c.cur = -1;
	parse_text(&c, adm_intern(w, file), text, strlen(text), 0);
	if (c.errors > 0) {
		/* jail(8) exits on a syntax error: no jail is read */
		jconf_free_raw(&c);
		return (0);
	}
	for (i = 0; i < c.nj; i++) {
		if (wild_name(c.j[i].name))
			continue;
		if ((nd = realloc(*defs, (size_t)(n + 1) * sizeof(*nd))) == NULL)
			break;
		*defs = nd;
		if (resolve(w, &c, i, &nd[n]) == -1) {
			adm_err(w, file, 0, "out of memory");
			nd[n].failed = 1;
		}
		n++;
	}
	*ndefs = n;
	jconf_free_raw(&c);
	return (0);
}

int
adm_jconf_read(struct adm_world *w, const char *path, struct adm_jdef **defs, int *ndefs)
{
	char err[512];
	size_t len;
	char *text;
	int rc;

	*defs = NULL;
	*ndefs = 0;
	if ((text = adm_slurp(path, &len, err, sizeof(err))) == NULL) {
		adm_err(w, path, 0, "%s", err);
		return (-1);
	}
	rc = adm_jconf_text(w, path, text, defs, ndefs);
	free(text);
	return (rc);
}

void
adm_jconf_free(struct adm_jdef *d, int n)
{
	int i, k, m;

	for (i = 0; i < n; i++) {
		for (k = 0; k < d[i].np; k++) {
			for (m = 0; m < d[i].p[k].nval; m++)
				free(d[i].p[k].val[m].s);
			free(d[i].p[k].val);
			free(d[i].p[k].name);
		}
		free(d[i].p);
		free(d[i].name);
	}
	free(d);
}

const struct adm_jparam *
adm_jparam(const struct adm_jdef *d, const char *name)
{
	int i;

	for (i = 0; i < d->np; i++)
		if (equalopts(d->p[i].name, name))
			return (&d->p[i]);
	return (NULL);
}

int
adm_jbool(const struct adm_jdef *d, const char *name)
{
	const struct adm_jparam *p = adm_jparam(d, name);
	const char *last, *dot;
	int no, on;

	if (p == NULL)
		return (0);
	/* bool_param: a "no" prefix flips it; no value, "true" or a non-zero number is
	 * true */
	dot = strrchr(p->name, '.');
	no = strncmp(dot != NULL ? dot + 1 : p->name, "no", 2) == 0;
	last = p->nval > 0 ? p->val[p->nval - 1].s : NULL;
	on = last == NULL || strcasecmp(last, "true") == 0 || strtol(last, NULL, 10) != 0;
	return (no ^ on);
}
