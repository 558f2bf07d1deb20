/* diag.c: accumulated diagnostics, `file:line: message`. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static void
diag_append(struct diag *d, const char *s, size_t n)
{
	size_t need = d->len + n + 1;
	char *nb;

	if (need > d->cap) {
		size_t cap = d->cap ? d->cap : 256;
		while (cap < need)
			cap *= 2;
		if ((nb = realloc(d->buf, cap)) == NULL)
			return;		/* out of memory: drop the message */
		d->buf = nb;
		d->cap = cap;
	}
	memcpy(d->buf + d->len, s, n);
	d->len += n;
	d->buf[d->len] = '\0';
}

void
diag_add(struct diag *d, const char *file, int line, const char *fmt, ...)
{
	char msg[2048], pre[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pre[0] = '\0';
	if (file != NULL && line > 0)
		snprintf(pre, sizeof(pre), "%s:%d: ", file, line);
	else if (file != NULL)
		snprintf(pre, sizeof(pre), "%s: ", file);
	diag_append(d, pre, strlen(pre));
	diag_append(d, msg, strlen(msg));
	diag_append(d, "\n", 1);
	d->count++;
}

void
diag_raw(struct diag *d, const char *text)
{
	size_t n = strlen(text);

	diag_append(d, text, n);
	if (n == 0 || text[n - 1] != '\n')
		diag_append(d, "\n", 1);
	d->count++;
}

void
diag_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void
diag_free(struct diag *d)
{
	if (d == NULL)
		return;
	free(d->buf);
	d->buf = NULL;
	d->len = d->cap = 0;
	d->count = 0;
}

const char *
diag_text(const struct diag *d)
{
	return (d->buf != NULL ? d->buf : "");
}
