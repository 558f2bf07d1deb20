/* adm_msg.c: the admin files' messages (`file:line: text`), the file names they point
 * into, and the bounded reading of a file. */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm_impl.h"
#include "base/rdfile.h"

static void
vmsg(struct adm_world *w, const char *file, int line, const char *pre, const char *fmt,
    va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (file == NULL)
		diag_add(&w->msg, "pfharness", 0, "%s%s", pre, msg);
	else
		diag_add(&w->msg, file, line, "%s%s", pre, msg);
}

void
adm_err(struct adm_world *w, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(w, file, line, "", fmt, ap);
	va_end(ap);
	w->errors++;
}

void
adm_world_err(struct adm_world *w, const char *where, const char *text)
{
	diag_add(&w->msg, NULL, 0, "%s: %s", where, text);
	w->errors++;
}

void
adm_warn(struct adm_world *w, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(w, file, line, "warning: ", fmt, ap);
	va_end(ap);
}

const char *
adm_intern(struct adm_world *w, const char *name)
{
	char **nf, *c;
	int i;

	for (i = 0; i < w->nfile; i++)
		if (strcmp(w->file[i], name) == 0)
			return (w->file[i]);
	if ((c = strdup(name)) == NULL)
		return ("?");
	if ((nf = realloc(w->file, (size_t)(w->nfile + 1) * sizeof(*nf))) == NULL) {
		free(c);
		return ("?");
	}
	w->file = nf;
	w->file[w->nfile++] = c;
	return (c);
}

void
adm_at_set(struct adm_at *at, const char *file, int line, const char *what)
{
	at->file = file;
	at->line = line;
	snprintf(at->what, sizeof(at->what), "%s", what != NULL ? what : "");
}

void *
adm_grow(void *arr, int *n, size_t sz)
{
	char *na;

	if ((na = realloc(arr, (size_t)(*n + 1) * sz)) == NULL)
		return (NULL);
	memset(na + (size_t)*n * sz, 0, sz);
	(*n)++;
	return (na);
}

char *
adm_slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	struct rdfile rf;
	char e[4200], *colon;

	if (rdfile_read(path, ADM_FILE_MAX, 0, &rf, e, sizeof(e)) == -1) {
		/* rdfile words it "PATH: why"; the caller names the path itself */
		colon = strncmp(e, path, strlen(path)) == 0 && e[strlen(path)] == ':' ?
		    e + strlen(path) + 2 : e;
		snprintf(err, errlen, "%s", colon);
		rdfile_free(&rf);
		return (NULL);
	}
	if (rf.nul_line != 0) {
		snprintf(err, errlen, "line %d holds a NUL byte: not a text file",
		    rf.nul_line);
		rdfile_free(&rf);
		return (NULL);
	}
	*len = rf.len;
	return (rf.buf);
}
