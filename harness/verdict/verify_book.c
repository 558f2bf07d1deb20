/* verify_book.c: the expectations that read pf's bookkeeping through pfctl's own
 * views (tables, -si counters, rule counters, source nodes, a view's text, a runtime
 * load's error), the same text on every target: the model prints what pfctl prints. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfctl/pfctl_out.h"
#include "verify_impl.h"

static int
in_range(const struct pkt_range *r, uint64_t v)
{
	return (v >= r->lo && v <= r->hi);
}

static void
range_text(const struct pkt_range *r, char *buf, size_t len)
{
	if (r->lo == r->hi)
		snprintf(buf, len, "%u", r->lo);
	else
		snprintf(buf, len, "%u-%u", r->lo, r->hi);
}

/* The view a step read, or NULL after saying what went wrong. */
static const struct target_pfctl *
view_of(const struct scn *s, const struct scn_step *st, const struct verify_obs *o, int i,
    struct diag *d)
{
	if (o->view[i] == NULL) {
		diag_add(d, s->path, st->line, "%s: the target gave no pfctl output",
		    st->text);
		return (NULL);
	}
	return (o->view[i]);
}

static int
prefix_eq(const struct scn_prefix *x, const struct pfctl_tentry *e)
{
	return (x->neg == e->neg && x->plen == e->plen && pkt_addr_eq(&x->addr, &e->addr));
}

static void
table_dump(const char *out, struct diag *d)
{
	diag_raw(d, out[0] != '\0' ? out : "  (empty)");
}

static int
check_table(const struct scn *s, const struct scn_step *st, const struct verify_obs *o,
    struct diag *d)
{
	const struct scn_book *b = &st->book;
	const struct target_pfctl *v;
	struct pfctl_tentry *e = NULL;
	char a[64], want[32];
	int n = 0, i, k, ok = 1, found;

	if ((v = view_of(s, st, o, 0, d)) == NULL)
		return (0);
	if (v->status != 0 && b->what == SCN_BOOK_CONTAINS) {
		diag_add(d, s->path, st->line, "%s: no table %s: %s", st->text, b->name,
		    v->err);
		return (0);
	}
	/* a table that does not exist holds nothing (it lacks everything) */
	if (v->status == 0 && pfctl_table_parse(v->out, &e, &n) == -1) {
		diag_add(d, s->path, st->line, "%s: out of memory", st->text);
		return (0);
	}
	if (b->what == SCN_BOOK_COUNT) {
		ok = in_range(&b->value, (uint64_t)n);
		if (!ok) {
			range_text(&b->value, want, sizeof(want));
			diag_add(d, s->path, st->line, "%s: field count: expected %s vs "
			    "actual %d; the table holds:", st->text, want, n);
		}
	} else
		for (i = 0; i < b->naddr; i++) {
			for (found = 0, k = 0; k < n && !found; k++)
				found = prefix_eq(&b->addr[i], &e[k]);
			if (found != (b->what == SCN_BOOK_CONTAINS)) {
				diag_add(d, s->path, st->line, "%s: %s%s/%d %s", st->text,
				    b->addr[i].neg ? "!" : "", pkt_addr_format(&b->addr[i].addr,
				    a, sizeof(a)), b->addr[i].plen, found ? "is there" :
				    "is not there");
				ok = 0;
			}
		}
	if (!ok)
		table_dump(v->status == 0 ? v->out : "", d);
	free(e);
	return (ok);
}

static int
check_counter(const struct scn *s, const struct scn_step *st, const struct verify_obs *o,
    struct diag *d)
{
	const struct target_pfctl *v;
	struct pfctl_info in;
	char err[256], want[32];
	uint64_t val;

	if ((v = view_of(s, st, o, 0, d)) == NULL)
		return (0);
	if (pfctl_info_parse(v->out, &in, err, sizeof(err)) == -1) {
		diag_add(d, s->path, st->line, "%s: %s", st->text, err);
		return (0);
	}
	if (pfctl_info_get(&in, NULL, st->book.name, &val) == -1) {
		diag_add(d, s->path, st->line, "%s: pfctl -si has no line \"%s\"", st->text,
		    st->book.name);
		return (0);
	}
	if (in_range(&st->book.value, val))
		return (1);
	range_text(&st->book.value, want, sizeof(want));
	diag_add(d, s->path, st->line, "field %s: expected %s vs actual %llu",
	    st->book.name, want, (unsigned long long)val);
	return (0);
}

static int
check_srcnode(const struct scn *s, const struct scn_step *st, const struct verify_obs *o,
    struct diag *d)
{
	const struct target_pfctl *v;
	struct pfctl_srcnode *sn = NULL;
	char want[32];
	int n = 0, i, ok;

	if ((v = view_of(s, st, o, 0, d)) == NULL)
		return (0);
	if (pfctl_srcnodes_parse(v->out, &sn, &n) == -1)
		return (0);
	for (i = 0; i < n; i++)
		if (pkt_addr_eq(&sn[i].addr, &st->book.addr[0].addr))
			break;
	range_text(&st->book.value, want, sizeof(want));
	ok = i < n && in_range(&st->book.value, sn[i].states);
	if (i == n) {
		diag_add(d, s->path, st->line, "%s: no such source node; pfctl -sS:",
		    st->text);
		diag_raw(d, v->out[0] != '\0' ? v->out : "  (no source nodes)");
	} else if (!ok)
		diag_add(d, s->path, st->line, "field states: expected %s vs actual %llu",
		    want, (unsigned long long)sn[i].states);
	free(sn);
	return (ok);
}

int
verify_book(const struct scn *s, const struct scn_step *st, const struct verify_obs *o,
    struct diag *d)
{
	switch (st->kind) {
	case SCN_EXPECT_TABLE:
		return (check_table(s, st, o, d));
	case SCN_EXPECT_COUNTER:
		return (check_counter(s, st, o, d));
	case SCN_EXPECT_RULE:
		return (verify_rule(s, st, o, d));
	case SCN_EXPECT_SRCNODE:
		return (check_srcnode(s, st, o, d));
	case SCN_EXPECT_VIEW:
		return (verify_view(s, st, o, d));
	case SCN_EXPECT_LOAD_ERROR:
		return (verify_load_error(s, st, o, d));
	case SCN_SEND:
	case SCN_CONNECT:
	case SCN_PFCTL:
	case SCN_SYSCTL:
	case SCN_WAIT:
	case SCN_EXPECT_REPLY:
	case SCN_EXPECT_NO_REPLY:
	case SCN_EXPECT_WIRE:
	case SCN_EXPECT_NO_WIRE:
	case SCN_EXPECT_DELIVERED:
	case SCN_EXPECT_NOT_DELIVERED:
	case SCN_EXPECT_CONNECT:
	case SCN_EXPECT_STATE:
	case SCN_EXPECT_NO_STATE:
		break;
	}
	return (1);
}
