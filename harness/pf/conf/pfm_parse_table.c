/* pfm_parse_table.c: table definitions (`table <name> [persist] [const] [counters]
 * { ... } [file "..."]`), checked and printed as pfctl -v prints them while it parses. */
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rdfile.h"
#include "pfm_grammar.h"
#include "pfm_parse_rule.h"

static int
table_add(struct pfm_pctx *c, struct pfm_table *t, struct node_host *h, int not)
{
	struct pfm_table_entry *ne;

	for (; h != NULL; h = h->next) {
		if ((ne = realloc(t->ent, sizeof(*ne) * (size_t)(t->nent + 1))) == NULL)
			return (-1);
		t->ent = ne;
		ne = &t->ent[t->nent++];
		memset(ne, 0, sizeof(*ne));
		ne->af = h->af;
		memcpy(ne->addr, h->addr.addr, 16);
		ne->plen = pfm_unmask(h->addr.mask);
		ne->neg = h->not ^ not;
	}
	(void)c;
	return (0);
}

/* One address of a table file, its '!'s taken; 0, or -1 with pfctl's error. */
static int
table_file_entry(struct pfm_pctx *c, struct pfm_table *t, const char *path, char *tok)
{
	struct node_host *h;
	int not = 0;

	for (; *tok == '!'; tok++)
		not = !not;
	if ((h = pfm_host(c, tok)) == NULL) {
		pfm_yyerror(c, "file \"%s\" contains bad data", path);
		return (-1);
	}
	table_add(c, t, h, not);
	return (0);
}

/* pfr_buf_load: a table file's addresses, split on blanks, newlines and commas, with
 * `#` and `;` comments. Only a regular file is read (a device would never end). */
static int
table_file(struct pfm_pctx *c, struct pfm_table *t, const char *path)
{
	static const char sep[] = " \t\n\r,";
	char full[4096], err[4200], tok[512], *p, *end;
	struct rdfile rf;
	size_t n;

	pfm_lex_path(c, path, full, sizeof(full));
	if (rdfile_read(full, 0, 0, &rf, err, sizeof(err)) == -1) {
		pfm_yyerror(c, "cannot load \"%s\": %s", path, strchr(err, ':') != NULL ?
		    strchr(err, ':') + 2 : err);
		return (-1);
	}
	if (rf.nul_line != 0) {
		pfm_yyerror(c, "cannot load \"%s\": NUL byte on line %d: not a text file",
		    path, rf.nul_line);
		rdfile_free(&rf);
		return (-1);
	}
	for (p = rf.buf, end = rf.buf + rf.len; p < end;) {
		p += strspn(p, sep);
		if (*p == '#' || *p == ';') {
			p += strcspn(p, "\n");
			continue;
		}
		if (p >= end)
			break;
		n = strcspn(p, " \t\n\r,#;");
		snprintf(tok, sizeof(tok), "%.*s", (int)(n < sizeof(tok) ? n :
		    sizeof(tok) - 1), p);
		p += n;
		if (table_file_entry(c, t, path, tok) == -1) {
			rdfile_free(&rf);
			return (-1);
		}
	}
	rdfile_free(&rf);
	return (0);
}

static int
table_hosts_ok(struct pfm_pctx *c, struct node_host *h)
{
	for (; h != NULL; h = h->next) {
		switch (h->addr.type) {
		case PFM_ADDR_ANY:
		case PFM_ADDR_MASK:
			continue;
		case PFM_ADDR_RANGE:
			pfm_yyerror(c, "address ranges are not permitted inside tables");
			break;
		case PFM_ADDR_DYNIFTL:
			pfm_yyerror(c, "dynamic addresses are not permitted inside tables");
			break;
		case PFM_ADDR_TABLE:
			pfm_yyerror(c, "tables cannot contain tables");
			break;
		case PFM_ADDR_NOROUTE:
			pfm_yyerror(c, "\"no-route\" is not permitted inside tables");
			break;
		case PFM_ADDR_URPFFAILED:
			pfm_yyerror(c, "\"urpf-failed\" is not permitted inside tables");
			break;
		}
		return (-1);
	}
	return (0);
}

/* What a table definition lists: its options and, in order, its { } lists and files. */
struct table_def {
	int		 flags, init, n;
	struct node_host *hosts[64];
	char		*files[64];
};

/* The table options, bit i of table_def.flags standing for table_flags[i]. */
static const char *const table_flags[] = { "const", "persist", "counters" };
#define TABLE_CONST	1
#define TABLE_PERSIST	2
#define TABLE_COUNTERS	4

/* table_flag: one option word (const, persist, counters). */
static int
table_flag(struct pfm_pctx *c, struct table_def *td)
{
	char *o = pfm_take_string(c);
	size_t i;

	for (i = 0; i < sizeof(table_flags) / sizeof(table_flags[0]); i++)
		if (!strcmp(o, table_flags[i])) {
			td->flags |= 1 << i;
			free(o);
			return (0);
		}
	pfm_yyerror(c, "invalid table option '%s'", o);
	free(o);
	return (-1);
}

/* table_list: "{ host, ... }", kept if it is among the first 64 sources. */
static int
table_list(struct pfm_pctx *c, struct table_def *td)
{
	struct node_host *h;

	pfm_next(c);
	pfm_optnl(c);
	td->init = 1;
	if (pfm_accept(c, '}'))
		return (0);
	if (pfm_parse_host_list(c, &h) == -1 || !pfm_accept(c, '}'))
		return (-1);
	if (table_hosts_ok(c, h) == -1)
		return (-1);
	if (td->n < 64) {
		td->files[td->n] = NULL;
		td->hosts[td->n++] = h;
	}
	return (0);
}

/* table_filename: "file path", kept if it is among the first 64 sources. */
static int
table_filename(struct pfm_pctx *c, struct table_def *td)
{
	pfm_next(c);
	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	td->init = 1;
	if (td->n < 64) {
		char *f = pfm_take_string(c);

		td->files[td->n] = pfm_nstrdup(c, f);
		free(f);
		td->hosts[td->n++] = NULL;
	} else
		pfm_next(c);
	return (0);
}

/* table_print: the definition as pfctl -v prints it, adjacent { } lists merged. */
static void
table_print(struct pfm_pctx *c, const struct pfm_table *t, const struct table_def *td)
{
	struct pfm_buf pr = { 0 };
	struct node_host *h;
	size_t f;
	int i;

	pfm_buf_printf(&pr, "table <%s>", t->name);
	for (f = 0; f < sizeof(table_flags) / sizeof(table_flags[0]); f++)
		if (td->flags & (1 << f))
			pfm_buf_printf(&pr, " %s", table_flags[f]);
	for (i = 0; i < td->n; i++) {
		if (td->files[i] != NULL) {
			pfm_buf_printf(&pr, " file \"%s\"", td->files[i]);
			continue;
		}
		pfm_buf_printf(&pr, " {");
		for (;;) {
			for (h = td->hosts[i]; h != NULL; h = h->next) {
				pfm_buf_printf(&pr, h->not ? " !" : " ");
				pfm_print_addr(&pr, &h->addr, h->af);
			}
			if (i + 1 < td->n && td->files[i + 1] == NULL)
				i++;
			else
				break;
		}
		pfm_buf_printf(&pr, " }");
	}
	if (td->init && td->n == 0)
		pfm_buf_printf(&pr, " { }");
	pfm_pre(c, "%s\n", pr.s);
	pfm_buf_free(&pr);
}

/* table_sources: options, { } lists and files up to the end of the line. */
static int
table_sources(struct pfm_pctx *c, struct table_def *td)
{
	int rv;

	for (;;) {
		switch (pfm_peek(c)) {
		case T_STRING:
			rv = table_flag(c, td);
			break;
		case '{':
			rv = table_list(c, td);
			break;
		case K_FILENAME:
			rv = table_filename(c, td);
			break;
		default:
			if (pfm_peek(c) != '\n' && pfm_peek(c) != T_EOF)
				return (pfm_syntax(c));
			return (0);
		}
		if (rv == -1)
			return (-1);
	}
}

int
pfm_parse_table(struct pfm_pctx *c)
{
	struct table_def td;
	struct pfm_table *t;
	char *name;
	int i;

	memset(&td, 0, sizeof(td));
	pfm_next(c);
	if (!pfm_accept(c, '<') || pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	name = pfm_take_string(c);
	if (!pfm_accept(c, '>')) {
		free(name);
		return (pfm_syntax(c));
	}
	if (table_sources(c, &td) == -1) {
		free(name);
		return (-1);
	}
	if (strlen(name) >= 32) {
		pfm_yyerror(c, "table name too long, max %d chars", 31);
		free(name);
		return (-1);
	}
	t = pfm_table_define(c, name);
	free(name);
	if (t == NULL)
		return (-1);
	t->konst = (td.flags & TABLE_CONST) != 0;
	t->persist = (td.flags & TABLE_PERSIST) != 0;
	t->counters = (td.flags & TABLE_COUNTERS) != 0;
	t->nent = 0;
	for (i = 0; i < td.n; i++) {
		if (td.files[i] != NULL && table_file(c, t, td.files[i]) == -1)
			return (-1);
		if (td.hosts[i] != NULL)
			table_add(c, t, td.hosts[i], 0);
	}
	t->defined = 1;
	t->active = 1;
	t->listed = td.n > 0;
	table_print(c, t, &td);
	return (0);
}
