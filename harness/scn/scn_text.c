/* scn_text.c: a scenario's lines as the statements see them: words, comments stripped,
 * errors held and given in line order, arrays that grow by one, a packet's text over
 * the lines tcpdump prints it on. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rdfile.h"
#include "scn_impl.h"

void
scn_perr(struct parser *p, int line, const char *fmt, ...)
{
	struct scn_err *ne;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->errors++;
	if ((ne = realloc(p->err, (size_t)(p->nerr + 1) * sizeof(*ne))) == NULL ||
	    (ne[p->nerr].msg = strdup(msg)) == NULL) {
		if (ne != NULL)
			p->err = ne;
		diag_add(p->d, p->s->path, line, "%s", msg);	/* out of order, not lost */
		return;
	}
	p->err = ne;
	ne[p->nerr].line = line;
	ne[p->nerr].seq = p->nerr;
	p->nerr++;
}

/* Line order; messages about the whole file (line 0) last; ties in the order found. */
static int
err_cmp(const void *a, const void *b)
{
	const struct scn_err *x = a, *y = b;
	unsigned int lx = (unsigned int)x->line - 1, ly = (unsigned int)y->line - 1;

	if (lx != ly)
		return (lx < ly ? -1 : 1);
	return (x->seq - y->seq);
}

/* Every held error into the diagnostics, in line order; the list is emptied. */
void
scn_flush_errors(struct parser *p)
{
	int i;

	if (p->nerr > 0)
		qsort(p->err, (size_t)p->nerr, sizeof(*p->err), err_cmp);
	for (i = 0; i < p->nerr; i++) {
		diag_add(p->d, p->s->path, p->err[i].line, "%s", p->err[i].msg);
		free(p->err[i].msg);
	}
	free(p->err);
	p->err = NULL;
	p->nerr = 0;
}

void *
scn_grow(void *arr, int *n, size_t sz)
{
	char *na = realloc(arr, (size_t)(*n + 1) * sz);

	if (na == NULL)
		return (NULL);
	memset(na + (size_t)*n * sz, 0, sz);
	(*n)++;
	return (na);
}

/* Split a line into words; "quoted strings" are one word (quotes dropped, \" kept as ").
 * A `#` outside quotes ends the line. -1 on an unterminated quote. */
int
scn_split(const char *line, struct words *w)
{
	const char *p = line;
	char *o = w->buf, *end = w->buf + sizeof(w->buf) - 2;

	w->n = 0;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0' || *p == '#')
			return (0);
		if (w->n == SCN_WORDS_MAX || o >= end)
			return (-1);
		w->w[w->n++] = o;
		if (*p == '"') {
			for (p++; *p != '"'; p++) {
				if (*p == '\0' || o >= end)
					return (-1);
				if (*p == '\\' && p[1] == '"')
					p++;
				*o++ = *p;
			}
			p++;
		} else
			while (*p != '\0' && !isspace((unsigned char)*p) && o < end)
				*o++ = *p++;
		*o++ = '\0';
	}
}

/* The line without its comment and surrounding blanks (quotes respected). */
char *
scn_strip(const char *line)
{
	size_t n = 0;
	int inq = 0;
	char *r;

	while (isspace((unsigned char)*line))
		line++;
	for (; line[n] != '\0' && (inq || line[n] != '#'); n++) {
		if (line[n] == '\\' && inq && line[n + 1] != '\0')
			n++;
		else if (line[n] == '"')
			inq = !inq;
	}
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		n--;
	if ((r = malloc(n + 1)) == NULL)
		return (NULL);
	memcpy(r, line, n);
	r[n] = '\0';
	return (r);
}

/* The rest of a stripped statement after its first `k` words. */
const char *
scn_after_words(const char *s, int k)
{
	int inq;

	while (k-- > 0) {
		while (isspace((unsigned char)*s))
			s++;
		for (inq = 0; *s != '\0' && (inq || !isspace((unsigned char)*s)); s++)
			if (*s == '"')
				inq = !inq;
	}
	while (isspace((unsigned char)*s))
		s++;
	return (s);
}

/* The directory of the scenario, for `pf file PATH`. */
/* path as seen from the scenario's folder (an absolute path as it is); malloc'd. */
char *
scn_relpath(const char *scn_path, const char *path)
{
	const char *slash = strrchr(scn_path, '/');
	char *r;
	size_t dl;

	if (path[0] == '/' || slash == NULL)
		return (strdup(path));
	dl = (size_t)(slash - scn_path) + 1;
	if ((r = malloc(dl + strlen(path) + 1)) == NULL)
		return (NULL);
	memcpy(r, scn_path, dl);
	strcpy(r + dl, path);
	return (r);
}

/* A whole text file (a scenario, a pf file): at most SCN_FILE_MAX bytes, a regular
 * file, no NUL byte. The text (malloc'd), or NULL with why in err (without the path). */
char *
scn_slurp(const char *path, char *err, size_t errlen)
{
	struct rdfile rf;
	char e[4200];
	size_t n = strlen(path);

	if (rdfile_read(path, SCN_FILE_MAX, 0, &rf, e, sizeof(e)) == -1) {
		snprintf(err, errlen, "%s", strncmp(e, path, n) == 0 && e[n] == ':' ?
		    e + n + 2 : e);
		return (NULL);
	}
	if (rf.nul_line != 0) {
		snprintf(err, errlen, "NUL byte on line %d: not a text file", rf.nul_line);
		rdfile_free(&rf);
		return (NULL);
	}
	return (rf.buf);
}

/* The lines of a heredoc up to its closing `word` line, consumed from *next (p->line
 * follows). Returns the text (malloc'd, "" when empty, NULL when out of memory);
 * *closed says whether the closing line was found. */
/* 1 when the line (len bytes at q) is word with only blanks around it. */
static int
word_line(const char *q, size_t len, const char *word)
{
	size_t n = strlen(word);

	while (len > 0 && (*q == ' ' || *q == '\t'))
		q++, len--;
	while (len > 0 && (q[len - 1] == ' ' || q[len - 1] == '\t'))
		len--;
	return (len == n && strncmp(q, word, n) == 0);
}

char *
scn_heredoc(struct parser *p, const char *word, const char **next, int *closed)
{
	const char *q = *next, *eol;
	size_t len, cap = 1, n = 0;
	char *text = calloc(1, 1), *nt;

	*closed = 0;
	while (*q != '\0' && text != NULL) {
		eol = strchr(q, '\n');
		len = eol ? (size_t)(eol - q) : strlen(q);
		p->line++;
		if (len > 0 && q[len - 1] == '\r')
			len--;
		/* the closing word alone on its line, indented or not (a heredoc of
		 * a probe's step is indented with it) */
		if (word_line(q, len, word)) {
			*closed = 1;
			q = eol ? eol + 1 : q + strlen(q);
			break;
		}
		if (n + len + 2 > cap) {
			cap = (n + len + 2) * 2;
			if ((nt = realloc(text, cap)) == NULL) {
				free(text);
				text = NULL;
				break;
			}
			text = nt;
		}
		memcpy(text + n, q, len);
		n += len;
		text[n++] = '\n';
		text[n] = '\0';
		q = eol ? eol + 1 : q + strlen(q);
	}
	*next = q;
	return (text);
}

/* 1 when the line (len bytes at q) is a probe step, not the rest of a packet. */
static int
is_step(const char *q, size_t len)
{
	static const char *const steps[] = { "send", "connect", "expect", "pfctl",
	    "sysctl", "wait", "probe" };
	size_t i, n;

	while (len > 0 && isspace((unsigned char)*q))
		q++, len--;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		n = strlen(steps[i]);
		if (len > n && strncmp(q, steps[i], n) == 0 &&
		    isspace((unsigned char)q[n]))
			return (1);
	}
	return (0);
}

/* The packet of a send or an expect reply|wire (first: its text on the step's line),
 * with the lines `tcpdump -v` prints after the first joined to it: the next indented
 * lines of the file, taken while the packet wants more. malloc'd, NULL when out of
 * memory; p->line and *next move past what was taken. */
char *
scn_packet_text(struct parser *p, const char *first, const char **next)
{
	char *text = strdup(first), *nt;
	const char *q, *eol;
	size_t len, tl;

	while (text != NULL && next != NULL && **next != '\0' &&
	    pkt_tcpdump_wants_more(text)) {
		q = *next;
		eol = strchr(q, '\n');
		len = eol ? (size_t)(eol - q) : strlen(q);
		if (len > 0 && q[len - 1] == '\r')
			len--;
		if (len == 0 || !isspace((unsigned char)q[0]) || is_step(q, len))
			break;
		tl = strlen(text);
		if ((nt = realloc(text, tl + len + 2)) == NULL) {
			free(text);
			return (NULL);
		}
		text = nt;
		text[tl] = ' ';
		memcpy(text + tl + 1, q, len);
		text[tl + 1 + len] = '\0';
		p->line++;
		*next = eol ? eol + 1 : q + strlen(q);
	}
	return (text);
}

/* The step's text for reports: its words before the packet, then the packet. */
void
scn_step_text(struct scn_step *t, const char *st, int k, const char *pkt)
{
	const char *rest = scn_after_words(st, k);
	size_t n = (size_t)(rest - st);
	char *nt;

	while (n > 0 && st[n - 1] == ' ')
		n--;
	if (asprintf(&nt, "%.*s %s", (int)n, st, pkt) == -1)
		return;
	free(t->text);
	t->text = nt;
}
