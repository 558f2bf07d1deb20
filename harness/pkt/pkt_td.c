/* pkt_td.c: the small readers of tcpdump's lines: words, lists, times and MACs, numbers
 * and addresses (with the notation's `*`, ranges and `$NAME`), messages. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "pkt.h"
#include "pkt_impl.h"
#include "pkt_td.h"

int
td_bad(struct td *t, const char *fmt, const char *what)
{
	char m[256];

	snprintf(m, sizeof(m), fmt, what);
	diag_errf(t->err, t->errlen, "tcpdump line: %s", m);
	return (-1);
}

int
td_starts(const char *s, const char *w)
{
	return (strncmp(s, w, strlen(w)) == 0);
}

/* A word of s: up to a blank or the end, into w. */
const char *
td_word(const char *s, char *w, size_t len)
{
	size_t n = strcspn(s, " ");

	snprintf(w, len, "%.*s", (int)(n < len ? n : len - 1), s);
	return (s + n + (s[n] == ' '));
}

/* Split s in place at ", " outside (), [] and {}; the items into it. How many, or -1. */
int
td_split(char *s, char **it, int max)
{
	int n = 0, depth = 0;
	char *q;

	if (*s == '\0')
		return (0);
	it[n++] = s;
	for (q = s; *q != '\0'; q++) {
		if (*q == '(' || *q == '[' || *q == '{')
			depth++;
		else if ((*q == ')' || *q == ']' || *q == '}') && depth > 0)
			depth--;
		else if (depth == 0 && q[0] == ',' && q[1] == ' ') {
			if (n == max)
				return (-1);
			*q = '\0';
			it[n++] = q + 2;
			q++;
		}
	}
	return (n);
}

int
td_is_time(const char *w)
{
	return (w[0] != '\0' && strspn(w, "0123456789:.") == strlen(w) &&
	    strpbrk(w, ":.") != NULL);
}

int
td_is_date(const char *w)
{
	return (strlen(w) == 10 && w[4] == '-' && w[7] == '-' &&
	    strspn(w, "0123456789-") == 10);
}

int
td_is_mac(const char *w)
{
	int i;

	if (strlen(w) < 17)
		return (0);
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? w[i] != ':' : !isxdigit((unsigned char)w[i]))
			return (0);
	return (w[17] == '\0' || w[17] == ',');
}

/* A number field: tcpdump's digits (or the notation's `*`, LOW-HIGH, `$NAME`). */
int
td_value(struct td *t, enum pkt_field f, const char *what, const char *s, uint32_t max,
    struct pkt_range *r)
{
	char v[64];

	td_word(s, v, sizeof(v));
	if (pkt_value_parse(t->pat, f, what, v, max, r, NULL, 0) == -1) {
		char m[128];

		snprintf(m, sizeof(m), "bad %s \"%s\"", what, v);
		return (td_bad(t, "%s", m));
	}
	return (0);
}

/* An address, `*` or `$NAME`, into the pattern's field fa. */
int
td_address(struct td *t, const char *s, enum pkt_field fa, int *any, struct pkt_addr *a)
{
	*any = 0;
	memset(a, 0, sizeof(*a));
	if (strcmp(s, "*") == 0) {
		*any = 1;
		return (0);
	}
	if (s[0] == '$')
		return (pkt_var_ref(t->pat, fa, s, t->err, t->errlen));
	if (pkt_addr_parse(s, a) == -1 || (t->af != 0 && a->af != t->af))
		return (td_bad(t, "bad address \"%s\"", s));
	return (0);
}

/* Past the `(...)` at s (s at the `(`), or NULL when it does not close. */
const char *
td_past_parens(const char *s)
{
	int depth = 0;

	for (; *s != '\0'; s++) {
		depth += *s == '(' ? 1 : *s == ')' ? -1 : 0;
		if (depth == 0)
			return (s + 1);
	}
	return (NULL);
}

/* Where an ICMP error's quoted packet starts in s (-v), or NULL. */
const char *
td_quote_start(const char *s)
{
	static const char *const marks[] = { " IP (", " IP6 (", " (tos ", " (class ",
	    " (hlim ", " (flowlabel " };
	const char *q, *best = NULL;
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if ((q = strstr(s, marks[i])) != NULL && (best == NULL || q < best))
			best = q;
	return (best);
}

