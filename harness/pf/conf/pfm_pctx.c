/* pfm_pctx.c: the parse context's node arena and messages: errors as pfctl's yyerror
 * words them (`file:line:`), raw warnings, and what pfctl -v prints while parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"

struct arena {
	struct arena	*next;
	max_align_t	 data[];
};

void *
pfm_nalloc(struct pfm_pctx *c, size_t n)
{
	struct arena *a;

	if ((a = calloc(1, sizeof(*a) + n)) == NULL)
		return (NULL);
	a->next = c->arena;
	c->arena = a;
	return (a->data);
}

char *
pfm_nstrdup(struct pfm_pctx *c, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p;

	if ((p = pfm_nalloc(c, n)) != NULL)
		memcpy(p, s, n);
	return (p);
}

/* Free every node of the arena at once (the parse is over). */
void
pfm_arena_free(struct pfm_pctx *c)
{
	struct arena *a, *n;

	for (a = c->arena; a != NULL; a = n) {
		n = a->next;
		free(a);
	}
	c->arena = NULL;
}

static void
pfm_addline(struct pfm_pctx *c, const char *file, int line, const char *msg)
{
	diag_add(c->d, file, line, "%s", msg);
}

/* yyerror: `file:line: message` at the line of the last token read; counts an error. */
int
pfm_yyerror(struct pfm_pctx *c, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->file->errors++;
	c->rs_errors++;
	pfm_addline(c, c->file->name, c->toklineno, msg);
	if (c->file->crlf_line != 0 && !c->file->crlf_hinted) {
		/* pfctl reads the CR of a DOS line end as a character of the line: every
		 * line then fails; say why once */
		c->file->crlf_hinted = 1;
		diag_add(c->d, c->file->name, c->file->crlf_line, "the file has DOS line "
		    "ends (CR LF) from this line on; pf.conf needs LF only (tr -d '\\r')");
	}
	return (0);
}

/* A message pfctl writes with warnx/fprintf, without `file:line:`. */
void
pfm_raw(struct pfm_pctx *c, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_raw(c->d, msg);
}

/* What pfctl -v prints while parsing. */
void
pfm_pre(struct pfm_pctx *c, const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pfm_buf_printf(&c->pre, "%s", msg);
}
