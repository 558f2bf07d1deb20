/* pfm_ctl_util.c: what every part of pfctl's emulation uses: its message forms, its
 * usage text, the -a anchor, file names, the abbreviation of modifier words, and
 * the refusal of what the model does not print. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pfm_ctl_impl.h"

void
ctl_warnx(struct ctl *c, const char *fmt, ...)
{
	va_list ap;

	fputs("pfctl: ", c->err);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
}

void
ctl_info(struct ctl *c, const char *fmt, ...)
{
	va_list ap;

	if (c->qflag)
		return;
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
}

int
ctl_usage(struct ctl *c)
{
	fputs("usage: pfctl [-AdeghMmNnOPqRrvz] [-a anchor] [-D macro=value] "
	    "[-F modifier]\n"
	    "\t[-f file] [-i interface] [-K host | network]\n"
	    "\t[-k host | network | gateway | label | id] [-o level] [-p device]\n"
	    "\t[-s modifier] [-t table -T command [address ...]] [-x level]\n", c->err);
	return (1);
}

const char *
ctl_path(const struct ctl *c, const char *file, char *buf, size_t len)
{
	if (file[0] == '/' || c->lo == NULL || c->lo->basedir == NULL)
		return (file);
	snprintf(buf, len, "%s/%s", c->lo->basedir, file);
	return (buf);
}

const char *
ctl_anchor(const struct ctl *c)
{
	return (c->anchor[0] != '\0' ? c->anchor : NULL);
}

int
ctl_lookup(const char *const *list, const char *word)
{
	size_t n = strlen(word);
	int i;

	for (i = 0; list[i] != NULL; i++)
		if (n > 0 && strncmp(list[i], word, n) == 0)
			return (i);
	return (-1);
}

int
ctl_unmodelled(struct ctl *c, const char *what)
{
	fprintf(c->err, "pfharness: the pf model does not print pfctl %s\n", what);
	return (1);
}
