/* adm_sh.c: rc.conf as sh reads it when rc.subr sources it (load_rc_config): variable
 * assignments, several to a line or one over several, quoted ('', "") and escaped as
 * sh quotes, $VAR and ${VAR...} expanded with the values set so far (sh(1),
 * "Parameter Expansion"); the last assignment wins. Commands are not run: one is a
 * warning, its line ignored. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm_impl.h"

/* A growing string; oom set (and the text frozen) when memory ran out. */
struct sbuf {
	char	*b;
	size_t	 n, cap;
	int	 oom;
};

struct shp {
	struct adm_world *w;
	struct adm_vars	*v;
	const char	*s, *end;
	const char	*file;
	int		 line;
	int		 errors;
	int		 bad;		/* the current command had an error (said once) */
};

static void
sb_putc(struct sbuf *sb, char c)
{
	char *nb;
	size_t cap;

	if (sb->oom)
		return;
	if (sb->n + 2 > sb->cap) {
		cap = sb->cap ? sb->cap * 2 : 64;
		if ((nb = realloc(sb->b, cap)) == NULL) {
			sb->oom = 1;
			return;
		}
		sb->b = nb;
		sb->cap = cap;
	}
	sb->b[sb->n++] = c;
	sb->b[sb->n] = '\0';
}

static void
sb_puts(struct sbuf *sb, const char *s)
{
	while (*s != '\0')
		sb_putc(sb, *s++);
}

static const char *
sb_str(const struct sbuf *sb)
{
	return (sb->b != NULL && !sb->oom ? sb->b : "");
}

const struct adm_var *
adm_sh_get(const struct adm_vars *v, const char *name)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i].name, name) == 0)
			return (&v->v[i]);
	return (NULL);
}

int
adm_sh_set(struct adm_vars *v, const char *name, const char *value,
    const struct adm_at *at)
{
	struct adm_var *nv, *x = NULL;
	char *val;
	int i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i].name, name) == 0)
			x = &v->v[i];
	if ((val = strdup(value)) == NULL)
		return (-1);
	if (x == NULL) {
		if ((nv = adm_grow(v->v, &v->n, sizeof(*nv))) == NULL) {
			free(val);
			return (-1);
		}
		v->v = nv;
		x = &nv[v->n - 1];
		if ((x->name = strdup(name)) == NULL) {
			free(val);
			v->n--;
			return (-1);
		}
	} else
		free(x->value);
	x->value = val;
	x->at = *at;
	snprintf(x->at.what, sizeof(x->at.what), "%s", name);
	return (0);
}

void
adm_sh_free(struct adm_vars *v)
{
	int i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		free(v->v[i].name);
		free(v->v[i].value);
	}
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

const char *
adm_word(const char *s, char *buf, size_t cap)
{
	size_t n = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (*s == '\0')
		return (NULL);
	while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
		if (n + 1 < cap)
			buf[n++] = *s;
		s++;
	}
	buf[n] = '\0';
	return (s);
}

int
adm_yesno(const char *v)
{
	/* rc.subr checkyesno */
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
	    strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0)
		return (1);
	if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 ||
	    strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0)
		return (0);
	return (-1);
}

/* An error of the current command, said once. */
static void
sherr(struct shp *p, int line, const char *what)
{
	if (!p->bad)
		adm_err(p->w, p->file, line, "%s", what);
	p->bad = 1;
	p->errors++;
}

static int
is_name_start(int c)
{
	return (isalpha(c) || c == '_');
}

static int
is_name(int c)
{
	return (isalnum(c) || c == '_');
}

static void parse_word(struct shp *, struct sbuf *, int braced);

/* `$...` at p->s into sb: $NAME, ${NAME}, ${NAME[:]-=+?word}. */
static void
expand(struct shp *p, struct sbuf *sb)
{
	struct sbuf word = { 0 }, name = { 0 };
	const struct adm_var *v;
	struct adm_at at;
	int colon = 0, op = 0, set, null, line = p->line, depth;

	p->s++;		/* '$' */
	if (p->s >= p->end) {
		sb_putc(sb, '$');
		return;
	}
	if (*p->s == '(') {
		sherr(p, line, "command substitution $(...) is not read: rc.conf is read "
		    "for its variables only");
		for (depth = 0; p->s < p->end; p->s++) {
			if (*p->s == '\n')
				p->line++;
			if (*p->s == '(')
				depth++;
			else if (*p->s == ')' && --depth == 0) {
				p->s++;
				break;
			}
		}
		return;
	}
	if (*p->s == '{') {
		p->s++;
		while (p->s < p->end && is_name(*p->s))
			sb_putc(&name, *p->s++);
		if (name.n == 0 && p->s < p->end && strchr("@*#?$!-0123456789", *p->s))
			sb_putc(&name, *p->s++);
		if (p->s < p->end && *p->s == ':')
			colon = 1, p->s++;
		if (p->s < p->end && strchr("-=+?", *p->s) != NULL)
			op = *p->s++;
		if (name.n == 0 || (colon && op == 0) || (op == 0 && (p->s >= p->end ||
		    *p->s != '}'))) {
			sherr(p, line, "bad ${...} substitution");
			while (p->s < p->end && *p->s != '}' && *p->s != '\n')
				p->s++;
			if (p->s < p->end && *p->s == '}')
				p->s++;
			free(name.b);
			return;
		}
		if (op != 0)
			parse_word(p, &word, 1);
		if (p->s >= p->end || *p->s != '}') {
			sherr(p, line, "unterminated ${...} substitution");
			free(name.b);
			free(word.b);
			return;
		}
		p->s++;
	} else if (is_name_start((unsigned char)*p->s)) {
		while (p->s < p->end && is_name(*p->s))
			sb_putc(&name, *p->s++);
	} else if (strchr("@*#?$!-0123456789", *p->s) != NULL) {
		p->s++;		/* positional and special parameters: unset here */
		return;
	} else {
		sb_putc(sb, '$');
		return;
	}
	v = name.n > 0 ? adm_sh_get(p->v, sb_str(&name)) : NULL;
	set = v != NULL;
	null = !set || v->value[0] == '\0';
	switch (op) {
	case 0:
		if (set)
			sb_puts(sb, v->value);
		break;
	case '-':
		sb_puts(sb, (colon ? null : !set) ? sb_str(&word) : v->value);
		break;
	case '=':
		if (colon ? null : !set) {
			adm_at_set(&at, p->file, line, sb_str(&name));
			(void)adm_sh_set(p->v, sb_str(&name), sb_str(&word), &at);
			sb_puts(sb, sb_str(&word));
		} else
			sb_puts(sb, v->value);
		break;
	case '+':
		if (colon ? !null : set)
			sb_puts(sb, sb_str(&word));
		break;
	case '?':
		if (colon ? null : !set)
			sherr(p, line, "a ${NAME?} substitution of a variable not set");
		else
			sb_puts(sb, v->value);
		break;
	}
	free(name.b);
	free(word.b);
}

/* One word at p->s into sb, quotes removed and expanded; braced: inside ${...}, where
 * blanks are part of the word and `}` ends it. */
static void
parse_word(struct shp *p, struct sbuf *sb, int braced)
{
	int line = p->line;
	char c;

	while (p->s < p->end) {
		c = *p->s;
		if (braced ? c == '}' : strchr(" \t\r\n;&|<>()", c) != NULL)
			break;
		if (c == '\\') {
			if (p->s + 1 >= p->end) {
				p->s++;
				break;
			}
			if (p->s[1] == '\n')
				p->line++;
			else
				sb_putc(sb, p->s[1]);
			p->s += 2;
		} else if (c == '\'') {
			for (p->s++; p->s < p->end && *p->s != '\''; p->s++) {
				if (*p->s == '\n')
					p->line++;
				sb_putc(sb, *p->s);
			}
			if (p->s >= p->end) {
				sherr(p, line, "unterminated '...' string");
				return;
			}
			p->s++;
		} else if (c == '"') {
			for (p->s++; p->s < p->end && *p->s != '"'; ) {
				if (*p->s == '\\' && p->s + 1 < p->end &&
				    strchr("$`\"\\\n", p->s[1]) != NULL) {
					if (p->s[1] == '\n')
						p->line++;
					else
						sb_putc(sb, p->s[1]);
					p->s += 2;
				} else if (*p->s == '$')
					expand(p, sb);
				else if (*p->s == '`') {
					sherr(p, p->line, "command substitution `...` is not "
					    "read: rc.conf is read for its variables only");
					p->s++;
				} else {
					if (*p->s == '\n')
						p->line++;
					sb_putc(sb, *p->s++);
				}
			}
			if (p->s >= p->end) {
				sherr(p, line, "unterminated \"...\" string");
				return;
			}
			p->s++;
		} else if (c == '$')
			expand(p, sb);
		else if (c == '`') {
			sherr(p, p->line, "command substitution `...` is not read: rc.conf is "
			    "read for its variables only");
			for (p->s++; p->s < p->end && *p->s != '`'; p->s++)
				if (*p->s == '\n')
					p->line++;
			if (p->s < p->end)
				p->s++;
		} else {
			if (c == '\n')
				p->line++;
			sb_putc(sb, c);
			p->s++;
		}
	}
}

/* Blanks and escaped newlines. */
static void
skip_blanks(struct shp *p)
{
	while (p->s < p->end) {
		if (*p->s == ' ' || *p->s == '\t' || *p->s == '\r')
			p->s++;
		else if (*p->s == '\\' && p->s + 1 < p->end && p->s[1] == '\n') {
			p->s += 2;
			p->line++;
		} else
			break;
	}
}

/* The rest of a command that is not read: to the end of its line, quotes kept. */
static void
skip_line(struct shp *p)
{
	char q = 0, prev = ' ';

	for (; p->s < p->end; prev = *p->s, p->s++) {
		if (*p->s == '\n') {
			if (q == 0)
				return;
			p->line++;
		} else if (*p->s == '\\' && q != '\'' && p->s + 1 < p->end) {
			if (p->s[1] == '\n')
				p->line++;
			p->s++;
		} else if (q == 0 && (*p->s == '\'' || *p->s == '"'))
			q = *p->s;
		else if (q != 0 && *p->s == q)
			q = 0;
		else if (q == 0 && *p->s == '#' && (prev == ' ' || prev == '\t'))
			while (p->s + 1 < p->end && p->s[1] != '\n')
				p->s++;
	}
}

/* The length of `NAME=` at p->s, 0 when the word is no assignment. */
static size_t
assignment(const struct shp *p)
{
	const char *q = p->s;

	if (q >= p->end || !is_name_start((unsigned char)*q))
		return (0);
	while (q < p->end && is_name((unsigned char)*q))
		q++;
	return (q < p->end && *q == '=' ? (size_t)(q - p->s) : 0);
}

/* One simple command: assignments, or `export`/`readonly` and assignments; anything
 * else is a warning and its line is ignored. */
static void
command(struct shp *p)
{
	struct sbuf val = { 0 };
	struct adm_at at;
	char name[256];
	size_t n;
	int line, builtin = 0;

	p->bad = 0;
	for (;;) {
		skip_blanks(p);
		if (p->s >= p->end || strchr("\n;&|", *p->s) != NULL)
			break;
		if (*p->s == '#') {
			while (p->s < p->end && *p->s != '\n')
				p->s++;
			break;
		}
		line = p->line;
		if ((n = assignment(p)) > 0 && n < sizeof(name)) {
			memcpy(name, p->s, n);
			name[n] = '\0';
			p->s += n + 1;
			val.n = 0;
			if (val.b != NULL)
				val.b[0] = '\0';
			parse_word(p, &val, 0);
			if (p->bad)
				continue;	/* sh would not set it, or set it to what
						 * a command printed */
			adm_at_set(&at, p->file, line, name);
			if (val.oom || adm_sh_set(p->v, name, sb_str(&val), &at) == -1)
				sherr(p, line, "out of memory");
			continue;
		}
		if (!builtin && (strncmp(p->s, "export", 6) == 0 ||
		    strncmp(p->s, "readonly", 8) == 0)) {
			n = strncmp(p->s, "export", 6) == 0 ? 6 : 8;
			if (p->s + n == p->end || strchr(" \t\n;", p->s[n]) != NULL) {
				p->s += n;
				builtin = 1;
				continue;
			}
		}
		if (builtin && is_name_start((unsigned char)*p->s)) {
			/* `export NAME`: nothing to set */
			while (p->s < p->end && is_name((unsigned char)*p->s))
				p->s++;
			continue;
		}
		adm_warn(p->w, p->file, line, "not a variable assignment: ignored (the line "
		    "is read as sh would set variables, no command is run)");
		skip_line(p);
		break;
	}
	free(val.b);
}

int
adm_sh_read(struct adm_world *w, struct adm_vars *v, const char *text, size_t len,
    const char *file)
{
	struct shp p;

	memset(&p, 0, sizeof(p));
	p.w = w;
	p.v = v;
	p.s = text;
	p.end = text + len;
	p.file = file;
	p.line = 1;
	while (p.s < p.end) {
		if (*p.s == ' ' || *p.s == '\t' || *p.s == '\r' || *p.s == ';')
			p.s++;
		else if (*p.s == '\\' && p.s + 1 < p.end && p.s[1] == '\n') {
			p.s += 2;
			p.line++;
		} else if (*p.s == '\n') {
			p.s++;
			p.line++;
		} else if (*p.s == '#') {
			while (p.s < p.end && *p.s != '\n')
				p.s++;
		} else if (*p.s == '&' || *p.s == '|') {
			adm_warn(w, file, p.line, "not a variable assignment: ignored (the "
			    "line is read as sh would set variables, no command is run)");
			skip_line(&p);
		} else
			command(&p);
	}
	return (p.errors);
}
