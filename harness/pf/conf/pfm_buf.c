/* pfm_buf.c: a growable string for the parser's and the printer's text. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "pfm_grammar.h"

void
pfm_buf_printf(struct pfm_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->s != NULL && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		{
			size_t cap = b->cap ? b->cap : 256;
			char *ns;

			while (cap < b->len + (size_t)n + 1)
				cap *= 2;
			if ((ns = realloc(b->s, cap)) == NULL)
				return;
			b->s = ns;
			b->cap = cap;
			b->s[b->len] = '\0';
		}
	}
}

void
pfm_buf_free(struct pfm_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
