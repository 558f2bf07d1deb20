/* adm_origin.c: a text adm_scn.c wrote, read back: the file and line each statement
 * comes from (the comment after it), and a message about the text told at those
 * places instead of the text's own lines. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm_impl.h"

void
adm_world_retell(const char *text, const char *msg, int line_as, char *out, size_t cap)
{
	const char *q = msg, *d;
	char where[1024], *end, *c;
	size_t n = 0;
	long ln;

	out[0] = '\0';
	while (*q != '\0' && n + 1 < cap) {
		d = q + 5;
		if (strncmp(q, "line ", 5) == 0 && (q == msg || !isalnum((unsigned char)
		    q[-1])) && isdigit((unsigned char)*d)) {
			ln = strtol(d, &end, 10);
			if (line_as > 0)
				n += (size_t)snprintf(out + n, cap - n, "line %d", line_as);
			else if (adm_world_origin(text, (int)ln, where, sizeof(where)) == 0 &&
			    strncmp(where, "pfharness", 9) != 0 &&
			    (c = strstr(where, ": ")) != NULL) {
				*c = '\0';	/* FILE:LINE */
				n += (size_t)snprintf(out + n, cap - n, "%s", where);
			} else
				n += (size_t)snprintf(out + n, cap - n, "%.*s", (int)(end - q),
				    q);
			q = end;
			continue;
		}
		out[n++] = *q++;
		out[n] = '\0';
	}
	if (n >= cap)
		out[cap - 1] = '\0';
}

int
adm_world_origin(const char *text, int n, char *out, size_t cap)
{
	const char *q = text, *eol, *hash, *o, *sp;
	char stmt[512], where[512];
	size_t len, olen;

	snprintf(out, cap, "pfharness");
	while (n > 1 && (q = strchr(q, '\n')) != NULL)
		q++, n--;
	if (n != 1 || q == NULL || *q == '\0' || *q == '#' || *q == '\n')
		return (-1);
	eol = strchr(q, '\n');
	len = eol != NULL ? (size_t)(eol - q) : strlen(q);
	/* line() puts the origin after the statement's `# `; a statement has no # */
	o = NULL;
	olen = 0;
	if ((hash = memchr(q, '#', len)) != NULL) {
		o = hash + 1 + strspn(hash + 1, " ");
		olen = len - (size_t)(o - q);
		len = (size_t)(hash - q);
	}
	while (len > 0 && (q[len - 1] == ' ' || q[len - 1] == '\t'))
		len--;
	snprintf(stmt, sizeof(stmt), "%.*s", (int)len, q);
	if (o == NULL || olen == 0)
		snprintf(where, sizeof(where), "pfharness");
	else if (strncmp(o, "--", 2) == 0)
		snprintf(where, sizeof(where), "pfharness: %.*s", (int)olen, o);
	else if ((sp = memchr(o, ' ', olen)) != NULL) {
		/* FILE[:LINE] WHAT */
		snprintf(where, sizeof(where), "%.*s: %.*s", (int)(sp - o), o,
		    (int)(olen - (size_t)(sp - o) - 1), sp + 1);
	} else
		snprintf(where, sizeof(where), "%.*s", (int)olen, o);
	snprintf(out, cap, "%s: `%s`", where, stmt);
	return (0);
}
