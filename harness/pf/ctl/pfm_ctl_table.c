/* pfm_ctl_table.c: pfctl [-a ANCHOR] -t TABLE -T COMMAND [ADDRESS ...] on the model,
 * as FreeBSD 14's pfctl_table.c words it, with the kernel's answers of pf_table.c
 * (pfr_add_addrs, pfr_del_addrs, pfr_set_addrs, pfr_tst_addrs, pfr_clr_addrs,
 * pfr_del_tables, pfr_clr_tstats, pfr_get_astats): summaries on standard error ("3/3
 * addresses added."), -v feedback lines and -T show -v's statistics on standard
 * output, every failure exit 255, -T test exit 2 when an address does not match. */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/rdfile.h"
#include "pfm_ctl_impl.h"

#define TBL_ERR		255	/* pfctl_table returns -1; main exits with it */
#define TBL_ADDRS	4096

enum tcmd {
	T_KILL, T_FLUSH, T_ADD, T_DELETE, T_LOAD, T_REPLACE, T_SHOW, T_TEST, T_ZERO,
	T_EXPIRE, T_RESET
};

/* pfctl.c's tblcmdopt_list, in its order (a prefix picks the first): 14's, and
 * FreeBSD 15's, which adds "reset" (pfctl.c of main, with table.sh reset_nonzero). */
static const char *const tcmd_words[] = {
	"kill", "flush", "add", "delete", "load", "replace", "show", "test", "zero",
	"expire", NULL
};
static const char *const tcmd_words15[] = {
	"kill", "flush", "add", "delete", "load", "replace", "show", "test", "zero",
	"expire", "reset", NULL
};

/* Feedback letters (PFR_FB_*): none, match, added, deleted, changed, cleared,
 * duplicate, conflict. */
enum fb { FB_NONE, FB_MATCH, FB_ADDED, FB_DELETED, FB_CHANGED, FB_CLEARED,
	FB_DUPLICATE, FB_CONFLICT };
static const char fb_char[] = { ' ', 'M', 'A', 'D', 'C', 'Z', 'X', 'Y' };

/* One address of the command line (pfr_addr) and what the kernel did with it. */
struct taddr {
	struct pfm_table_entry e;
	enum fb		fb;
	const struct pfm_table_entry *hit;	/* -T test -vv: the entry that decided */
};

struct tcmd_run {
	struct ctl	*c;
	struct pfm_table *t;		/* the table, NULL when it does not exist */
	struct taddr	*a;
	int		 na;
};

/* xprintf: a summary line with pfctl's ending, unless -q. */
static void
summary(struct ctl *c, const char *fmt, ...)
{
	va_list ap;

	if (c->qflag)
		return;
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputs(c->nflag ? " (dummy).\n" : ".\n", c->err);
}

/* radix_perror: "pfctl: Table does not exist." and the like; pfctl's status. */
static int
table_error(struct ctl *c, const char *what)
{
	fprintf(c->err, "pfctl: %s.\n", what);
	return (TBL_ERR);
}

static int
alen(int af)
{
	return (af == AF_INET ? 4 : 16);
}

static int
entry_eq(const struct pfm_table_entry *x, const struct pfm_table_entry *y)
{
	return (x->af == y->af && x->plen == y->plen &&
	    memcmp(x->addr, y->addr, (size_t)alen(x->af)) == 0);
}

/* The table's entry with x's address and prefix, or NULL (pfr_lookup_addr exact). */
static struct pfm_table_entry *
exact(const struct pfm_table *t, const struct pfm_table_entry *x)
{
	int i;

	for (i = 0; t != NULL && i < t->nent; i++)
		if (entry_eq(&t->ent[i], x))
			return (&t->ent[i]);
	return (NULL);
}

/* 1 when a (af) lies inside e. */
static int
covers(const struct pfm_table_entry *e, const uint8_t *a, int af)
{
	int i, bits = e->plen;
	uint8_t m;

	if (e->af != af)
		return (0);
	for (i = 0; i < alen(af) && bits > 0; i++, bits -= 8) {
		m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		if ((a[i] & m) != (e->addr[i] & m))
			return (0);
	}
	return (1);
}

/* The most specific entry holding a (pfr_lookup_addr for a host), or NULL. */
static const struct pfm_table_entry *
best(const struct pfm_table *t, const uint8_t *a, int af)
{
	const struct pfm_table_entry *b = NULL;
	int i;

	for (i = 0; t != NULL && i < t->nent; i++)
		if (covers(&t->ent[i], a, af) && (b == NULL || t->ent[i].plen > b->plen))
			b = &t->ent[i];
	return (b);
}

/* pfr_validate_addr: no bit set past the prefix. */
static int
valid(const struct pfm_table_entry *e)
{
	int i, bits = e->plen;
	uint8_t m;

	for (i = 0; i < alen(e->af); i++, bits -= 8) {
		m = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
		if (e->addr[i] & ~m)
			return (0);
	}
	return (1);
}

/* An address as print_addrx and print_table write it: address, "/len" unless a host. */
static void
addr_text(const struct pfm_table_entry *e, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(e->af, e->addr, a, sizeof(a));
	if (e->plen != alen(e->af) * 8)
		snprintf(buf, len, "%s/%d", a, e->plen);
	else
		snprintf(buf, len, "%s", a);
}

/* Add one entry to the request (realloc'd array); -1 when full. */
static int
push(struct tcmd_run *r, const struct pfm_table_entry *e)
{
	struct taddr *na;

	if (r->na == TBL_ADDRS || (na = realloc(r->a, (size_t)(r->na + 1) *
	    sizeof(*na))) == NULL)
		return (-1);
	r->a = na;
	memset(&r->a[r->na], 0, sizeof(r->a[0]));
	r->a[r->na++].e = *e;
	return (0);
}

/* host(): an interface name (NAME, NAME:network, NAME:0) gives its addresses. 1 when
 * the word named an interface of the host, 0 when not, -1 when full. */
static int
iface_addrs(struct tcmd_run *r, const char *word, int neg)
{
	const struct pfm_host *h = &r->c->pf->host;
	struct pfm_table_entry e;
	char name[PFM_IFNAMSIZ + 16];
	const char *colon = strchr(word, ':');
	int i, j, network = 0, k;

	snprintf(name, sizeof(name), "%.*s", (int)(colon != NULL ? colon - word :
	    (long)strlen(word)), word);
	if (colon != NULL) {
		if (strcmp(colon, ":network") == 0)
			network = 1;
		else if (strcmp(colon, ":0") != 0)
			return (0);
	}
	for (i = 0; i < h->niface; i++) {
		if (strcmp(h->iface[i].name, name) != 0)
			continue;
		for (j = 0; j < h->iface[i].naddr; j++) {
			const struct pfm_ifaddr *ia = &h->iface[i].addr[j];

			if (colon != NULL && strcmp(colon, ":0") == 0 && j > 0)
				break;
			memset(&e, 0, sizeof(e));
			e.af = ia->af;
			e.neg = neg;
			memcpy(e.addr, ia->addr, (size_t)alen(ia->af));
			e.plen = alen(ia->af) * 8;
			if (network) {
				e.plen = ia->plen;
				for (k = 0; k < alen(ia->af); k++) {
					int bits = ia->plen - 8 * k;

					e.addr[k] &= bits >= 8 ? 0xff : bits <= 0 ? 0 :
					    (uint8_t)(0xff << (8 - bits));
				}
			}
			if (push(r, &e) == -1)
				return (-1);
		}
		return (1);
	}
	return (0);
}

/* append_addr: one word ([!...]ADDR[/LEN] or an interface). 0, or pfctl's status
 * after its message. */
static int
word(struct tcmd_run *r, const char *w)
{
	struct pfm_table_entry e;
	char buf[256], *slash, *end;
	long len;
	int neg = 0, rc;

	for (; *w == '!'; w++)
		neg = !neg;
	snprintf(buf, sizeof(buf), "%s", w);
	memset(&e, 0, sizeof(e));
	e.neg = neg;
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, e.addr) == 1)
		e.af = AF_INET;
	else if (inet_pton(AF_INET6, buf, e.addr) == 1)
		e.af = AF_INET6;
	if (e.af != 0) {
		e.plen = alen(e.af) * 8;
		if (slash != NULL) {
			errno = 0;
			len = strtol(slash, &end, 10);
			if (*slash == '\0' || *end != '\0' || len < 0 || len > e.plen) {
				fprintf(r->c->err, "invalid netmask '/%s'\n", slash);
				return (TBL_ERR);
			}
			e.plen = (int)len;
		}
		return (push(r, &e) == -1 ? table_error(r->c, "Cannot allocate memory") :
		    0);
	}
	if (slash == NULL && (rc = iface_addrs(r, buf, neg)) != 0)
		return (rc == -1 ? table_error(r->c, "Cannot allocate memory") : 0);
	/* the model has no resolver: a name that is no interface resolves to nothing */
	fprintf(r->c->err, "no IP address found for %s\n", w);
	return (TBL_ERR);
}

/* The addresses of the command line and of -f FILE (pfr_buf_load: words, '#' to the
 * end of a line). 0, or pfctl's status. */
static int
addresses(struct tcmd_run *r)
{
	struct ctl *c = r->c;
	struct rdfile rf = { 0 };
	const char *text = NULL;
	char err[512], tok[256], path[4096];
	size_t n;
	int i, rc;

	for (i = 0; i < c->ntargs; i++)
		if ((rc = word(r, c->targs[i])) != 0)
			return (rc);
	if (c->file == NULL)
		return (0);
	if (strcmp(c->file, "-") == 0)
		text = c->input != NULL ? c->input : "";
	else if (rdfile_read(ctl_path(c, c->file, path, sizeof(path)), 0, RDFILE_FIFO,
	    &rf, err, sizeof(err)) == -1) {
		ctl_warnx(c, "cannot load %s: %s", c->file, strchr(err, ':') != NULL ?
		    strchr(err, ':') + 2 : err);
		return (TBL_ERR);
	} else
		text = rf.buf;
	rc = 0;
	while (*text != '\0' && rc == 0) {
		if (*text == '#') {
			text += strcspn(text, "\n");
			continue;
		}
		if ((n = strspn(text, " \t\r\n,")) > 0) {
			text += n;
			continue;
		}
		n = strcspn(text, " \t\r\n,#");
		snprintf(tok, sizeof(tok), "%.*s", (int)n, text);
		text += n;
		rc = word(r, tok);
	}
	rdfile_free(&rf);
	return (rc);
}

/* -v feedback (print_addrx): entries something happened to; -vv every one. */
static void
feedback(struct tcmd_run *r, int test)
{
	char a[80], b[80];
	int i;

	for (i = 0; i < r->na; i++) {
		const struct taddr *x = &r->a[i];

		if (r->c->vflag < 2 && x->fb == FB_NONE)
			continue;
		addr_text(&x->e, a, sizeof(a));
		fprintf(r->c->out, "%c %c%s", fb_char[x->fb], x->e.neg ? '!' : ' ', a);
		if (test && r->c->vflag >= 2) {
			if (x->hit != NULL) {
				addr_text(x->hit, b, sizeof(b));
				fprintf(r->c->out, "\t%c%s", x->hit->neg ? '!' : ' ', b);
			} else
				fputs("\t nomatch", r->c->out);
		}
		fputc('\n', r->c->out);
	}
}

/* The table the command works on; NULL when it does not exist (or is inactive). */
static struct pfm_table *
lookup(struct ctl *c)
{
	struct pfm_table *t = c->pf->rs != NULL ? pfm_rt_table_find(c->pf->rs,
	    ctl_anchor(c), c->table) : NULL;

	return (t != NULL && t->active ? t : NULL);
}

/* CREATE_TABLE for add and replace: "1 table created." when it was missing. */
static int
create(struct tcmd_run *r)
{
	struct ctl *c = r->c;
	int created;

	if ((r->t = lookup(c)) != NULL)
		return (0);
	if (c->nflag) {
		summary(c, "%d table created", 1);
		return (-1);	/* a dry run stops there */
	}
	if (c->pf->rs == NULL && (c->pf->rs = pfm_ruleset_new()) == NULL)
		return (table_error(c, "Cannot allocate memory"));
	if ((r->t = pfm_rt_table(c->pf, ctl_anchor(c), c->table, &created)) == NULL)
		return (table_error(c, "Cannot allocate memory"));
	summary(c, "%d table created", 1);
	return (0);
}

static int
append(struct pfm_table *t, const struct pfm_table_entry *e, uint64_t now)
{
	struct pfm_table_entry *ne;

	if ((ne = realloc(t->ent, (size_t)(t->nent + 1) * sizeof(*ne))) == NULL)
		return (-1);
	t->ent = ne;
	t->ent[t->nent] = *e;
	t->ent[t->nent++].tzero_ms = now;
	return (0);
}

static void
remove_entry(struct pfm_table *t, struct pfm_table_entry *e)
{
	*e = t->ent[--t->nent];
}

/* The request's earlier addresses hold x's (a duplicate in one request). */
static int
dup_before(const struct tcmd_run *r, int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (entry_eq(&r->a[j].e, &r->a[i].e))
			return (1);
	return (0);
}

/* pfr_add_addrs */
static int
t_add(struct tcmd_run *r)
{
	struct pfm_table_entry *p;
	int i, nadd = 0, rc;

	if ((rc = create(r)) != 0)
		return (rc == -1 ? 0 : rc);
	for (i = 0; i < r->na; i++)
		if (!valid(&r->a[i].e))
			return (table_error(r->c, "Invalid argument"));
	for (i = 0; i < r->na; i++) {
		p = exact(r->t, &r->a[i].e);
		if (dup_before(r, i))
			r->a[i].fb = FB_DUPLICATE;
		else if (p == NULL) {
			r->a[i].fb = FB_ADDED;
			nadd++;
		} else
			r->a[i].fb = p->neg != r->a[i].e.neg ? FB_CONFLICT : FB_NONE;
	}
	for (i = 0; i < r->na && !r->c->nflag; i++)
		if (r->a[i].fb == FB_ADDED && append(r->t, &r->a[i].e, r->c->now_ms) == -1)
			return (table_error(r->c, "Cannot allocate memory"));
	summary(r->c, "%d/%d addresses added", nadd, r->na);
	feedback(r, 0);
	return (0);
}

/* The table the command names and the addresses it gives, all valid: 0, or pfctl's
 * status after its message ("Table does not exist.", "Invalid argument."). */
static int
table_of_addrs(struct tcmd_run *r)
{
	int i;

	if ((r->t = lookup(r->c)) == NULL)
		return (table_error(r->c, "Table does not exist"));
	for (i = 0; i < r->na; i++)
		if (!valid(&r->a[i].e))
			return (table_error(r->c, "Invalid argument"));
	return (0);
}

/* pfr_del_addrs */
static int
t_delete(struct tcmd_run *r)
{
	struct pfm_table_entry *p;
	int i, ndel = 0, rc;

	if ((rc = table_of_addrs(r)) != 0)
		return (rc);
	for (i = 0; i < r->na; i++) {
		p = exact(r->t, &r->a[i].e);
		if (p == NULL)
			r->a[i].fb = FB_NONE;
		else if (p->neg != r->a[i].e.neg)
			r->a[i].fb = FB_CONFLICT;
		else if (dup_before(r, i))
			r->a[i].fb = FB_DUPLICATE;
		else {
			r->a[i].fb = FB_DELETED;
			ndel++;
		}
	}
	for (i = 0; i < r->na && !r->c->nflag; i++)
		if (r->a[i].fb == FB_DELETED && (p = exact(r->t, &r->a[i].e)) != NULL)
			remove_entry(r->t, p);
	summary(r->c, "%d/%d addresses deleted", ndel, r->na);
	feedback(r, 0);
	return (0);
}

/* pfr_set_addrs: the table becomes the list; -v lists what went too. */
static int
t_replace(struct tcmd_run *r)
{
	struct pfm_table_entry *p;
	char *keep = NULL;
	int i, nadd = 0, ndel = 0, nchg = 0, rc, n0;

	if ((rc = create(r)) != 0)
		return (rc == -1 ? 0 : rc);
	for (i = 0; i < r->na; i++)
		if (!valid(&r->a[i].e))
			return (table_error(r->c, "Invalid argument"));
	n0 = r->t->nent;
	if (n0 > 0 && (keep = calloc((size_t)n0, 1)) == NULL)
		return (table_error(r->c, "Cannot allocate memory"));
	for (i = 0; i < r->na; i++) {
		p = exact(r->t, &r->a[i].e);
		if (dup_before(r, i))
			r->a[i].fb = FB_DUPLICATE;
		else if (p != NULL) {
			keep[p - r->t->ent] = 1;
			if (p->neg != r->a[i].e.neg) {
				r->a[i].fb = FB_CHANGED;
				nchg++;
			} else
				r->a[i].fb = FB_NONE;
		} else {
			r->a[i].fb = FB_ADDED;
			nadd++;
		}
	}
	for (i = 0; i < n0; i++)
		if (!keep[i]) {
			ndel++;
			if (push(r, &r->t->ent[i]) == 0)
				r->a[r->na - 1].fb = FB_DELETED;
		}
	if (!r->c->nflag) {
		for (i = n0 - 1; i >= 0; i--)
			if (!keep[i])
				remove_entry(r->t, &r->t->ent[i]);
		for (i = 0; i < r->na; i++) {
			if (r->a[i].fb == FB_CHANGED && (p = exact(r->t, &r->a[i].e)) != NULL) {
				/* pfr_clstats_kentries, INVERT_NEG_FLAG */
				p->neg = r->a[i].e.neg;
				pfm_table_clear_entry(p, r->c->now_ms);
			}
			if (r->a[i].fb == FB_ADDED &&
			    append(r->t, &r->a[i].e, r->c->now_ms) == -1) {
				free(keep);
				return (table_error(r->c, "Cannot allocate memory"));
			}
		}
	}
	free(keep);
	if (nadd)
		summary(r->c, "%d addresses added", nadd);
	if (ndel)
		summary(r->c, "%d addresses deleted", ndel);
	if (nchg)
		summary(r->c, "%d addresses changed", nchg);
	if (!nadd && !ndel && !nchg)
		summary(r->c, "no changes");
	feedback(r, 0);
	return (0);
}

/* pfr_tst_addrs: hosts only; the most specific entry decides, a negated one is no
 * match. Exit 2 when one does not match. */
static int
t_test(struct tcmd_run *r)
{
	char a[80];
	int i, nmatch = 0;

	if ((r->t = lookup(r->c)) == NULL)
		return (table_error(r->c, "Table does not exist"));
	for (i = 0; i < r->na; i++)
		if (r->a[i].e.neg || r->a[i].e.plen != alen(r->a[i].e.af) * 8) {
			addr_text(&r->a[i].e, a, sizeof(a));
			ctl_warnx(r->c, "cannot decode %s%s: Invalid argument",
			    r->a[i].e.neg ? "!" : "", a);
			return (TBL_ERR);
		}
	for (i = 0; i < r->na; i++) {
		r->a[i].hit = best(r->t, r->a[i].e.addr, r->a[i].e.af);
		if (r->a[i].hit != NULL && !r->a[i].hit->neg) {
			r->a[i].fb = FB_MATCH;
			nmatch++;
		}
	}
	summary(r->c, "%d/%d addresses match", nmatch, r->na);
	feedback(r, 1);
	return (nmatch < r->na ? 2 : 0);
}

static int
entry_cmp(const void *x, const void *y)
{
	const struct pfm_table_entry *a = x, *b = y;
	int c;

	if (a->af != b->af)
		return (a->af == AF_INET ? -1 : 1);
	if ((c = memcmp(a->addr, b->addr, (size_t)alen(a->af))) != 0)
		return (c);
	return (b->plen - a->plen);	/* the more specific first */
}

/* print_astats: the entry's Cleared time as ctime(3) writes it ("Tue Nov 14 22:13:20
 * 2023", local time), then, when the table keeps counters (else the kernel answers
 * PFR_FB_NOCOUNT), In and Out by Block, Pass and XPass (PFR_OP_ADDR_MAX is 3 in 14;
 * 15 adds Match). */
static void
astats(struct tcmd_run *r, const struct pfm_table_entry *e)
{
	static const char *const op[3] = { "Block:", "Pass:", "XPass:" };
	char when[64], name[16];
	struct tm tm;
	time_t sec = (time_t)pfm_time_second(r->c->pf, e->tzero_ms);
	int dir, o;

	if (localtime_r(&sec, &tm) == NULL ||
	    strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm) == 0)
		snprintf(when, sizeof(when), "%lld", (long long)sec);
	fprintf(r->c->out, "\tCleared:     %s\n", when);
	if (!r->t->counters)
		return;
	for (dir = 0; dir < 2; dir++)
		for (o = 0; o < 3; o++) {
			snprintf(name, sizeof(name), "%s/%s", dir ? "Out" : "In", op[o]);
			fprintf(r->c->out, "\t%-12s [ Packets: %-18llu Bytes: %-18llu ]\n",
			    name, (unsigned long long)e->packets[dir][o],
			    (unsigned long long)e->bytes[dir][o]);
		}
}

/* pfr_get_addrs (pfr_get_astats with -v): IPv4 in radix order (by address), then
 * IPv6; -v adds each entry's statistics (print_astats). */
static int
t_show(struct tcmd_run *r)
{
	struct pfm_table_entry *v;
	char a[80];
	int i;

	if ((r->t = lookup(r->c)) == NULL)
		return (table_error(r->c, "Table does not exist"));
	if (r->t->nent == 0)
		return (0);
	if ((v = malloc((size_t)r->t->nent * sizeof(*v))) == NULL)
		return (table_error(r->c, "Cannot allocate memory"));
	memcpy(v, r->t->ent, (size_t)r->t->nent * sizeof(*v));
	qsort(v, (size_t)r->t->nent, sizeof(*v), entry_cmp);
	for (i = 0; i < r->t->nent; i++) {
		addr_text(&v[i], a, sizeof(a));
		fprintf(r->c->out, "  %c%s\n", v[i].neg ? '!' : ' ', a);
		if (r->c->vflag)
			astats(r, &v[i]);
	}
	free(v);
	return (0);
}

/* -T zero ADDRESS... (FreeBSD 15): pfctl_table.c's zero with addresses, taken from
 * OpenBSD's (pfctl_table.c 1.91; FreeBSD main's table.sh zero_one), asks
 * pfr_clr_astats: each address the table holds exactly (pfr_lookup_addr, exact) has its
 * counters zeroed and its Cleared time set to now (pfr_clstats_kentries, time_second);
 * "N/M addresses cleared", -v the feedback (Z for a cleared one). */
static int
t_zero_addrs(struct tcmd_run *r)
{
	struct pfm_table_entry *p;
	int i, nzero = 0, rc;

	if ((rc = table_of_addrs(r)) != 0)
		return (rc);
	for (i = 0; i < r->na; i++) {
		p = exact(r->t, &r->a[i].e);
		r->a[i].fb = p != NULL ? FB_CLEARED : FB_NONE;
		if (p == NULL)
			continue;
		nzero++;
		if (!r->c->nflag)
			pfm_table_clear_entry(p, r->c->now_ms);
	}
	summary(r->c, "%d/%d addresses cleared", nzero, r->na);
	feedback(r, 0);
	return (0);
}

/* Any counter of the entry is not zero. */
static int
counted(const struct pfm_table_entry *e)
{
	int d, o;

	for (d = 0; d < 2; d++)
		for (o = 0; o < 3; o++)
			if (e->packets[d][o] != 0 || e->bytes[d][o] != 0)
				return (1);
	return (0);
}

/* -T reset (FreeBSD 15; main's pfctl_table.c "reset", table.sh reset_nonzero): the
 * table's statistics (pfr_get_astats: "Table does not exist." for a missing table, as
 * -T show), then pfr_clr_astats on the entries with a counter that is not zero only,
 * so that only those get a new Cleared time; "N/M stats cleared" with M the table's
 * entries. No address may follow (usage). */
static int
t_reset(struct tcmd_run *r)
{
	struct pfm_table_entry *e;
	int i, nzero = 0;

	if (r->c->ntargs > 0 || r->c->file != NULL)
		return (ctl_usage(r->c));
	if ((r->t = lookup(r->c)) == NULL)
		return (table_error(r->c, "Table does not exist"));
	for (i = 0; i < r->t->nent; i++) {
		e = &r->t->ent[i];
		if (!counted(e))
			continue;
		if (push(r, e) == -1)
			return (table_error(r->c, "Cannot allocate memory"));
		r->a[r->na - 1].fb = FB_CLEARED;
		nzero++;
		if (!r->c->nflag)
			pfm_table_clear_entry(e, r->c->now_ms);
	}
	summary(r->c, "%d/%d stats cleared", nzero, r->t->nent);
	feedback(r, 0);
	return (0);
}

/* pfr_expire (pfctl_table.c): entries cleared more than N seconds ago go. */
static int
t_expire(struct tcmd_run *r)
{
	char *end;
	long n;
	uint64_t limit;
	int i, cand, ndel = 0;

	errno = 0;
	n = r->c->ntargs == 1 ? strtol(r->c->targs[0], &end, 10) : -1;
	if (r->c->ntargs != 1 || *end != '\0' || n < 0 || errno != 0) {
		ctl_warnx(r->c, "expiry time: %s", r->c->ntargs == 1 ? "invalid" :
		    "missing");
		return (ctl_usage(r->c));
	}
	if ((r->t = lookup(r->c)) == NULL)
		return (table_error(r->c, "Table does not exist"));
	cand = r->t->nent;
	limit = r->c->now_ms / 1000 > (uint64_t)n ? r->c->now_ms / 1000 - (uint64_t)n : 0;
	for (i = r->t->nent - 1; i >= 0; i--)
		if (r->t->ent[i].tzero_ms / 1000 < limit) {
			ndel++;
			if (!r->c->nflag)
				remove_entry(r->t, &r->t->ent[i]);
		}
	summary(r->c, "%d/%d addresses expired", ndel, cand);
	return (0);
}

int
ctl_table_is_load(const struct ctl *c)
{
	return (c->tcmd != NULL && ctl_lookup(ctl_fb15(c) ? tcmd_words15 : tcmd_words,
	    c->tcmd) == T_LOAD);
}

int
ctl_table(struct ctl *c)
{
	struct tcmd_run r;
	int cmd, rc = 0, n;

	memset(&r, 0, sizeof(r));
	r.c = c;
	if (strlen(c->table) >= sizeof(((struct pfm_table *)0)->name))
		return (ctl_usage(c));
	if ((cmd = ctl_lookup(ctl_fb15(c) ? tcmd_words15 : tcmd_words, c->tcmd)) == -1) {
		ctl_warnx(c, "Unknown table command '%s'", c->tcmd);
		return (ctl_usage(c));
	}
	switch (cmd) {
	case T_KILL:
		n = lookup(c) != NULL;
		if (n && !c->nflag)
			pfm_rt_table_kill(lookup(c));
		summary(c, "%d table deleted", n);
		return (0);
	case T_FLUSH:
		if ((r.t = lookup(c)) == NULL)
			return (table_error(c, "Table does not exist"));
		n = r.t->nent;
		if (!c->nflag) {
			free(r.t->ent);
			r.t->ent = NULL;
			r.t->nent = 0;
		}
		summary(c, "%d addresses deleted", n);
		return (0);
	case T_ZERO:
		/* 14's pfctl takes no address after -T zero (usage); 15's zeroes the
		 * addresses it is given (t_zero_addrs) */
		if ((c->ntargs > 0 || c->file != NULL) && ctl_fb15(c))
			break;
		if (c->ntargs > 0)
			return (ctl_usage(c));
		/* pfr_clr_tstats with PFR_FLAG_ADDRSTOO: every entry's counters and
		 * Cleared time (pfr_clstats_ktable, recursing) */
		if ((r.t = lookup(c)) != NULL && !c->nflag)
			for (n = 0; n < r.t->nent; n++)
				pfm_table_clear_entry(&r.t->ent[n], c->now_ms);
		summary(c, "%d table/stats cleared", r.t != NULL);
		return (0);
	case T_EXPIRE:
		return (t_expire(&r));
	case T_RESET:
		rc = t_reset(&r);
		free(r.a);
		return (rc);
	case T_LOAD:
		/* FreeBSD 15 loads the file's tables in pfm_ctl.c's load (pfctl.c:
		 * loadopt PFCTL_FLAG_TABLE); 14's -t T -T load is not modelled */
		return (ctl_unmodelled(c, "-T load (tables alone from a ruleset)"));
	case T_SHOW:
		return (t_show(&r));
	default:
		break;
	}
	if ((rc = addresses(&r)) == 0) {
		switch (cmd) {
		case T_ADD: rc = t_add(&r); break;
		case T_DELETE: rc = t_delete(&r); break;
		case T_REPLACE: rc = t_replace(&r); break;
		case T_TEST: rc = t_test(&r); break;
		case T_ZERO: rc = t_zero_addrs(&r); break;
		default: break;
		}
	}
	free(r.a);
	return (rc);
}
