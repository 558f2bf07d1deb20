/* adm_jlex.c: jail.conf's lexer as FreeBSD 14's jail(8) has it (usr.sbin/jail/jaillex.l):
 * comments (#, //, C), quoted strings with backslash escapes, $variables and
 * ${variables} kept at their offsets, the special characters; and the strings with
 * variables the grammar (adm_jconf.c) builds on. */
#include <sys/types.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm_jconf_impl.h"

void
adm_jstr_free(struct jstr *s)
{
	int i;

	for (i = 0; i < s->nvar; i++)
		free(s->var[i].name);
	free(s->var);
	free(s->s);
	memset(s, 0, sizeof(*s));
}

int
adm_jstr_putc(struct jstr *s, char c)
{
	char *n;

	if ((n = realloc(s->s, s->len + 2)) == NULL)
		return (-1);
	s->s = n;
	s->s[s->len++] = c;
	s->s[s->len] = '\0';
	return (0);
}

int
adm_jstr_var(struct jstr *s, const char *name, size_t n)
{
	struct jvar *nv;

	if ((nv = adm_grow(s->var, &s->nvar, sizeof(*nv))) == NULL)
		return (-1);
	s->var = nv;
	if ((nv[s->nvar - 1].name = strndup(name, n)) == NULL) {
		s->nvar--;
		return (-1);
	}
	nv[s->nvar - 1].pos = s->len;
	if (s->s == NULL && adm_jstr_putc(s, 'x') == 0)	/* an empty string, allocated */
		s->s[--s->len] = '\0';
	return (0);
}

int
adm_jstr_copy(struct jstr *d, const struct jstr *s)
{
	int i;

	memset(d, 0, sizeof(*d));
	if ((d->s = strdup(s->s != NULL ? s->s : "")) == NULL)
		return (-1);
	d->len = strlen(d->s);
	for (i = 0; i < s->nvar; i++) {
		if (adm_jstr_var(d, s->var[i].name, strlen(s->var[i].name)) == -1)
			return (-1);
		d->var[i].pos = s->var[i].pos;
	}
	return (0);
}

/* ---- the lexer ---- */

void
adm_jlex_err(struct jlex *l, int line, const char *fmt, const char *arg)
{
	char m[512];

	snprintf(m, sizeof(m), fmt, arg);
	adm_err(l->w, l->file, line, "%s", m);
	l->errors++;
}

static int
atomic(int c)
{
	return (isalnum(c) || (c != 0 && strchr("_!%&()-.:<>?@[]^`|~", c) != NULL));
}

/* A backslash escape at l->s (text2lval) into s. */
static void
escape(struct jlex *l, struct jstr *s)
{
	int v, k;

	l->s++;
	if (l->s >= l->end)
		return;
	if (*l->s >= '0' && *l->s <= '7') {
		for (v = 0, k = 0; k < 3 && l->s < l->end && *l->s >= '0' && *l->s <= '7';
		    k++)
			v = v * 8 + (*l->s++ - '0');
		(void)adm_jstr_putc(s, (char)v);
		return;
	}
	switch (*l->s) {
	case 'a': (void)adm_jstr_putc(s, '\a'); break;
	case 'b': (void)adm_jstr_putc(s, '\b'); break;
	case 'f': (void)adm_jstr_putc(s, '\f'); break;
	case 'n': (void)adm_jstr_putc(s, '\n'); break;
	case 'r': (void)adm_jstr_putc(s, '\r'); break;
	case 't': (void)adm_jstr_putc(s, '\t'); break;
	case 'v': (void)adm_jstr_putc(s, '\v'); break;
	case '\n': l->line++; break;	/* a continued line */
	case 'x':
		for (v = 0, k = 0; k < 2 && l->s + 1 < l->end &&
		    isxdigit((unsigned char)l->s[1]); k++) {
			l->s++;
			v = v * 16 + (isdigit((unsigned char)*l->s) ? *l->s - '0' :
			    tolower((unsigned char)*l->s) - 'a' + 10);
		}
		(void)adm_jstr_putc(s, (char)v);
		break;
	default: (void)adm_jstr_putc(s, *l->s); break;
	}
	l->s++;
}

/* `$name` or `${name}` at l->s into s as a variable; 0, or -1 when the `$` is a
 * plain character (it is then added). dq: inside double quotes. */
static int
variable(struct jlex *l, struct jstr *s, int dq)
{
	const char *b;

	if (l->s + 1 < l->end && (isalpha((unsigned char)l->s[1]) || l->s[1] == '_')) {
		b = ++l->s;
		while (l->s < l->end && (isalnum((unsigned char)*l->s) || *l->s == '_'))
			l->s++;
		(void)adm_jstr_var(s, b, (size_t)(l->s - b));
		return (0);
	}
	if (l->s + 1 < l->end && l->s[1] == '{') {
		struct jstr name = { 0 };

		for (l->s += 2; l->s < l->end && *l->s != '}' && *l->s != '\n' &&
		    !(dq && *l->s == '"'); ) {
			if (*l->s == '\\')
				escape(l, &name);
			else
				(void)adm_jstr_putc(&name, *l->s++);
		}
		if (l->s >= l->end || *l->s != '}') {
			adm_jlex_err(l, l->line, "unterminated variable%s", "");
			adm_jstr_free(&name);
			return (0);
		}
		l->s++;
		(void)adm_jstr_var(s, name.s != NULL ? name.s : "", name.len);
		adm_jstr_free(&name);
		return (0);
	}
	(void)adm_jstr_putc(s, *l->s++);
	return (-1);
}

/* Comments and blanks; 1 when something was skipped. */
int
adm_jlex_skip(struct jlex *l)
{
	const char *start = l->s;
	int line;

	while (l->s < l->end) {
		if (*l->s == ' ' || *l->s == '\t' || *l->s == '\r')
			l->s++;
		else if (*l->s == '\n') {
			l->line++;
			l->s++;
		} else if (*l->s == '#' || (*l->s == '/' && l->s + 1 < l->end &&
		    l->s[1] == '/')) {
			while (l->s < l->end && *l->s != '\n')
				l->s++;
		} else if (*l->s == '/' && l->s + 1 < l->end && l->s[1] == '*') {
			line = l->line;
			for (l->s += 2; l->s + 1 < l->end && !(l->s[0] == '*' &&
			    l->s[1] == '/'); l->s++)
				if (*l->s == '\n')
					l->line++;
			if (l->s + 1 >= l->end) {
				if (!l->peek)
					adm_jlex_err(l, line, "unterminated comment%s", "");
				l->s = l->end;
			} else
				l->s += 2;
		} else
			break;
	}
	return (l->s != start);
}

/* A quoted string at l (its quote q: ' or "), its text appended to s: escapes taken in
 * both, variables only between double quotes; newlines in it counted. 0, or -1 (said
 * at the line it opened) when it does not end. */
static int
quoted(struct jlex *l, struct jstr *s, char q)
{
	int line = l->line;

	for (l->s++; l->s < l->end && *l->s != q; ) {
		if (*l->s == '\\')
			escape(l, s);
		else if (q == '"' && *l->s == '$')
			(void)variable(l, s, 1);
		else {
			if (*l->s == '\n')
				l->line++;
			(void)adm_jstr_putc(s, *l->s++);
		}
	}
	if (l->s >= l->end) {
		adm_jlex_err(l, line, "unterminated string%s", "");
		return (-1);
	}
	l->s++;
	return (0);
}

/* The next token into l (a string token is every piece up to a blank, a comment or a
 * special character: jaillex's STR then STR1s). */
void
adm_jlex_next(struct jlex *l)
{
	struct jstr *s = &l->str;

	adm_jstr_free(s);
	adm_jlex_skip(l);
	l->tline = l->line;
	if (l->s >= l->end) {
		l->t = T_EOF;
		return;
	}
	if (*l->s == '+' && l->s + 1 < l->end && l->s[1] == '=') {
		l->s += 2;
		l->t = T_PLEQ;
		return;
	}
	if (strchr(",;={}", *l->s) != NULL) {
		l->t = T_CHAR;
		l->c = *l->s++;
		return;
	}
	l->t = T_STR;
	while (l->s < l->end) {
		char c = *l->s;

		if (atomic((unsigned char)c))
			(void)adm_jstr_putc(s, *l->s++);
		else if (c == '\\')
			escape(l, s);
		else if (c == '$')
			(void)variable(l, s, 0);
		else if (c == '+' && !(l->s + 1 < l->end && l->s[1] == '='))
			(void)adm_jstr_putc(s, *l->s++);
		else if (c == '*')
			(void)adm_jstr_putc(s, *l->s++);
		else if (c == '/' && !(l->s + 1 < l->end && (l->s[1] == '/' ||
		    l->s[1] == '*')))
			(void)adm_jstr_putc(s, *l->s++);
		else if (c == '\'' || c == '"') {
			if (quoted(l, s, c) == -1)
				break;
		} else
			break;
	}
	if (s->s == NULL && s->nvar == 0) {
		/* a character no rule takes: jaillex returns it, and the grammar refuses it */
		l->t = T_CHAR;
		l->c = *l->s++;
		return;
	}
	if (s->s == NULL)
		(void)adm_jstr_putc(s, 'x'), s->s[--s->len] = '\0';
}
