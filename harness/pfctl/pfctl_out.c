/* pfctl_out.c: parse what pfctl -ss/-si/-sr -vv and vmstat -z print (FreeBSD 14 formats,
 * read from sbin/pfctl/pf_print_state.c, pfctl_parser.c print_status, pfctl.c and
 * usr.bin/vmstat/vmstat.c), tolerant of column widths, strict about words. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfctl_out.h"
#include "pf/pfm.h"	/* pfm_proto_byname: /etc/protocols, as pfctl_proto2name */

#define TOK_MAX	12

/* tcpstates[] of netinet/tcp_fsm.h, PFUDPS_NAMES / PFOTHERS_NAMES of pfvar.h, SCTP. */
static const char *const state_words[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT",
	"FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT",
	"NO_TRAFFIC", "SINGLE", "MULTIPLE",
	"BOUND", "COOKIE_WAIT", "COOKIE_ECHOED", "SHUTDOWN_SENT", "SHUTDOWN_RECEIVED",
	"SHUTDOWN_ACK_SENT", "SHUTDOWN_PENDING", "PROXY", "SRC", "DST",
};

static int
split(char *s, char **tok, int max)
{
	int n = 0;

	while (*s != '\0') {
		while (isspace((unsigned char)*s))
			*s++ = '\0';
		if (*s == '\0')
			break;
		if (n == max)
			return (-1);
		tok[n++] = s;
		while (*s != '\0' && !isspace((unsigned char)*s))
			s++;
	}
	return (n);
}

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return (-1);
	*v = strtoull(s, &end, 10);
	return (*end == '\0' ? 0 : -1);
}

static int
parse_port(const char *s, uint16_t *port)
{
	uint64_t v;

	if (parse_u64(s, &v) == -1 || v == 0 || v > 65535)
		return (-1);
	*port = (uint16_t)v;
	return (0);
}

/* `10.0.0.1`, `10.0.0.1:80`, `2001:db8::1`, `2001:db8::1[80]`. */
static int
parse_host(const char *tok, struct pfctl_host *h)
{
	char buf[64], *p;
	size_t n = strlen(tok);

	if (n == 0 || n >= sizeof(buf))
		return (-1);
	memcpy(buf, tok, n + 1);
	h->port = 0;
	if (buf[n - 1] == ']') {		/* IPv6 with port */
		buf[n - 1] = '\0';
		if ((p = strchr(buf, '[')) == NULL)
			return (-1);
		*p++ = '\0';
		if (parse_port(p, &h->port) == -1)
			return (-1);
		if (pkt_addr_parse(buf, &h->addr) == -1 || h->addr.af != AF_INET6)
			return (-1);
		return (0);
	}
	if (strchr(buf, ':') != NULL && strchr(buf, '.') != NULL &&
	    strchr(buf, ':') == strrchr(buf, ':')) {	/* IPv4 with port */
		p = strchr(buf, ':');
		*p++ = '\0';
		if (parse_port(p, &h->port) == -1)
			return (-1);
		if (pkt_addr_parse(buf, &h->addr) == -1 || h->addr.af != AF_INET)
			return (-1);
		return (0);
	}
	return (pkt_addr_parse(buf, &h->addr));
}

/* `(10.0.0.1:80)` */
static int
parse_paren_host(const char *tok, struct pfctl_host *h)
{
	char buf[64];
	size_t n = strlen(tok);

	if (n < 3 || n >= sizeof(buf) || tok[0] != '(' || tok[n - 1] != ')')
		return (-1);
	memcpy(buf, tok + 1, n - 2);
	buf[n - 2] = '\0';
	return (parse_host(buf, h));
}

static int
state_word(const char *s, char *out)
{
	size_t i, n = strlen(s);
	uint64_t v;

	if (n == 0 || n >= PFCTL_WORD_MAX)
		return (-1);
	if (parse_u64(s, &v) == 0) {	/* ICMP: numeric levels */
		memcpy(out, s, n + 1);
		return (0);
	}
	for (i = 0; i < sizeof(state_words) / sizeof(state_words[0]); i++)
		if (strcmp(s, state_words[i]) == 0) {
			memcpy(out, s, n + 1);
			return (0);
		}
	return (-1);
}

static int
parse_states(const char *tok, struct pfctl_state *st)
{
	char buf[2 * PFCTL_WORD_MAX], *colon;
	size_t n = strlen(tok);

	if (n >= sizeof(buf))
		return (-1);
	memcpy(buf, tok, n + 1);
	if ((colon = strchr(buf, ':')) == NULL)
		return (-1);
	*colon = '\0';
	if (state_word(buf, st->src_state) == -1 ||
	    state_word(colon + 1, st->dst_state) == -1)
		return (-1);
	return (0);
}

static int
parse_proto(const char *s, int *proto)
{
	uint64_t v;

	if ((*proto = pfm_proto_byname(s)) != -1)
		return (0);
	if (parse_u64(s, &v) == 0 && v < 256) {
		*proto = (int)v;
		return (0);
	}
	return (-1);
}

int
pfctl_state_parse_line(const char *line, struct pfctl_state *st)
{
	char buf[512], *tok[TOK_MAX];
	int n, i = 0;
	size_t len = strlen(line);

	if (len == 0 || len >= sizeof(buf) || isspace((unsigned char)line[0]))
		return (-1);
	memcpy(buf, line, len + 1);
	if ((n = split(buf, tok, TOK_MAX)) < 6 || n > 8)
		return (-1);
	memset(st, 0, sizeof(*st));
	if (strlen(tok[0]) >= sizeof(st->ifname))
		return (-1);
	strcpy(st->ifname, tok[0]);
	if (parse_proto(tok[1], &st->proto) == -1 || parse_host(tok[2], &st->a) == -1)
		return (-1);
	i = 3;
	if (tok[i][0] == '(') {
		if (parse_paren_host(tok[i++], &st->b) == -1)
			return (-1);
		st->has_b = 1;
	}
	if (i >= n)
		return (-1);
	if (strcmp(tok[i], "->") == 0)
		st->dir_out = 1;
	else if (strcmp(tok[i], "<-") != 0)
		return (-1);
	if (++i >= n || parse_host(tok[i++], &st->c) == -1 || i >= n)
		return (-1);
	if (tok[i][0] == '(') {
		if (parse_paren_host(tok[i++], &st->d) == -1)
			return (-1);
		st->has_d = 1;
	}
	if (i != n - 1 || parse_states(tok[i], st) == -1)
		return (-1);
	if (st->a.addr.af != st->c.addr.af ||
	    (st->has_b && st->b.addr.af != st->a.addr.af) ||
	    (st->has_d && st->d.addr.af != st->a.addr.af))
		return (-1);
	return (0);
}

static void
fmt_host(const struct pfctl_host *h, char *buf, size_t len)
{
	char a[64];

	pkt_addr_format(&h->addr, a, sizeof(a));
	if (h->port == 0)
		snprintf(buf, len, "%s", a);
	else if (h->addr.af == AF_INET6)
		snprintf(buf, len, "%s[%u]", a, h->port);
	else
		snprintf(buf, len, "%s:%u", a, h->port);
}

char *
pfctl_state_format(const struct pfctl_state *st, char *buf, size_t len)
{
	char a[80], b[84], c[80], d[84], pr[16];
	const char *pname = pfm_proto_name(st->proto);

	if (pname == NULL) {
		snprintf(pr, sizeof(pr), "%d", st->proto);
		pname = pr;
	}
	fmt_host(&st->a, a, sizeof(a));
	fmt_host(&st->c, c, sizeof(c));
	b[0] = d[0] = '\0';
	if (st->has_b) {
		b[0] = ' ';
		b[1] = '(';
		fmt_host(&st->b, b + 2, sizeof(b) - 3);
		strcat(b, ")");
	}
	if (st->has_d) {
		d[0] = ' ';
		d[1] = '(';
		fmt_host(&st->d, d + 2, sizeof(d) - 3);
		strcat(d, ")");
	}
	/* pf_print_state.c: four spaces after the hosts, three before the levels */
	snprintf(buf, len, "%s %s %s%s %s %s%s       %s:%s", st->ifname, pname, a, b,
	    st->dir_out ? "->" : "<-", c, d, st->src_state, st->dst_state);
	return (buf);
}

static int
range_ok(const struct pkt_range *r, uint16_t port)
{
	return (!r->set || (port >= r->lo && port <= r->hi));
}

static int
addr_ok(const struct pkt_addr *pat, const struct pkt_addr *a)
{
	return (pat->af == 0 || pkt_addr_eq(pat, a));
}

int
pfctl_state_match(const struct scn_state_pat *p, const struct pfctl_state *st)
{
	if (p->proto != st->proto || p->dir_out != st->dir_out)
		return (0);
	if (!addr_ok(&p->a, &st->a.addr) || !range_ok(&p->ap, st->a.port))
		return (0);
	if (p->has_b != st->has_b)
		return (0);
	if (p->has_b && (!addr_ok(&p->b, &st->b.addr) || !range_ok(&p->bp, st->b.port)))
		return (0);
	if (!addr_ok(&p->c, &st->c.addr) || !range_ok(&p->cp, st->c.port))
		return (0);
	/* the peers' states, when the pattern names them */
	if (p->sstate[0] != '\0' && (strcmp(p->sstate, st->src_state) != 0 ||
	    strcmp(p->dstate, st->dst_state) != 0))
		return (0);
	return (1);
}

int
pfctl_states_parse(const char *text, struct pfctl_state **out, int *n)
{
	struct pfctl_state *v = NULL, *nv, st;
	int cap = 0;
	const char *p, *nl;
	char line[512];
	size_t len;

	*out = NULL;
	*n = 0;
	for (p = text; *p != '\0'; p = nl != NULL ? nl + 1 : p + len) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof(line))
			continue;
		memcpy(line, p, len);
		line[len] = '\0';
		if (pfctl_state_parse_line(line, &st) == -1)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, (size_t)cap * sizeof(*v))) == NULL) {
				free(v);
				*n = 0;
				return (-1);
			}
			v = nv;
		}
		v[(*n)++] = st;
	}
	*out = v;
	return (0);
}

/* "  name words   123   4.5/s": the name is every word before the first number. */
static int
counter_line(const char *line, char *name, size_t nlen, uint64_t *v)
{
	char buf[256], *tok[TOK_MAX];
	int n, i;

	if (strlen(line) >= sizeof(buf))
		return (-1);
	strcpy(buf, line);
	if ((n = split(buf, tok, TOK_MAX)) < 2)
		return (-1);
	name[0] = '\0';
	for (i = 0; i < n; i++) {
		if (parse_u64(tok[i], v) == 0)
			return (i > 0 ? 0 : -1);
		if (strlen(name) + strlen(tok[i]) + 2 > nlen)
			return (-1);
		if (i > 0)
			strcat(name, " ");
		strcat(name, tok[i]);
	}
	return (-1);
}

static void
info_add(struct pfctl_info *in, const char *section, const char *name, uint64_t v)
{
	struct pfctl_counter *c;

	if (in->ncounter == PFCTL_COUNTERS_MAX)
		return;
	c = &in->counter[in->ncounter++];
	snprintf(c->section, sizeof(c->section), "%s", section);
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->value = v;
}

int
pfctl_info_parse(const char *text, struct pfctl_info *in, char *err, size_t errlen)
{
	char line[256], section[32] = "", name[32];
	const char *p, *nl;
	size_t len;
	uint64_t v;
	int seen = 0;

	memset(in, 0, sizeof(*in));
	in->enabled = -1;
	for (p = text; *p != '\0'; p = nl != NULL ? nl + 1 : p + len) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (len == 0 || len >= sizeof(line))
			continue;
		memcpy(line, p, len);
		line[len] = '\0';
		if (strncmp(line, "Status: Enabled", 15) == 0)
			in->enabled = 1;
		else if (strncmp(line, "Status: Disabled", 16) == 0)
			in->enabled = 0;
		if (!isspace((unsigned char)line[0])) {
			/* a section title: "State Table   Total   Rate", "Counters" */
			if (strncmp(line, "State Table", 11) == 0)
				seen = 1;
			len = strcspn(line, " ");
			if (strncmp(line, "State Table", 11) == 0 ||
			    strncmp(line, "Source Tracking Table", 21) == 0)
				len = strncmp(line, "State", 5) == 0 ? 11 : 21;
			else if (strncmp(line, "Limit Counters", 14) == 0)
				len = 14;
			else if (strncmp(line, "Interface Stats", 15) == 0)
				len = 15;
			snprintf(section, sizeof(section), "%.*s", (int)len, line);
			continue;
		}
		if (counter_line(line, name, sizeof(name), &v) == -1)
			continue;
		info_add(in, section, name, v);
		if (strcmp(section, "State Table") != 0)
			continue;
		if (strcmp(name, "current entries") == 0)
			in->states = v;
		else if (strcmp(name, "searches") == 0)
			in->searches = v;
		else if (strcmp(name, "inserts") == 0)
			in->inserts = v;
		else if (strcmp(name, "removals") == 0)
			in->removals = v;
	}
	if (!seen) {
		snprintf(err, errlen, "pfctl -si: no \"State Table\" section");
		return (-1);
	}
	return (0);
}

int
pfctl_info_get(const struct pfctl_info *in, const char *section, const char *name,
    uint64_t *v)
{
	int i;

	for (i = 0; i < in->ncounter; i++)
		if ((section == NULL || strcmp(in->counter[i].section, section) == 0) &&
		    strcmp(in->counter[i].name, name) == 0) {
			*v = in->counter[i].value;
			return (0);
		}
	return (-1);
}

/* "  [ Evaluations: 3  Packets: 2  Bytes: 120  States: 1  ]" */
static int
rule_counters(const char *line, struct pfctl_rule_stat *r)
{
	char buf[256], *tok[TOK_MAX];
	int n, i, got = 0;
	uint64_t v;

	if (strlen(line) >= sizeof(buf))
		return (-1);
	strcpy(buf, line);
	n = split(buf, tok, TOK_MAX);
	for (i = 0; i + 1 < n; i++) {
		if (parse_u64(tok[i + 1], &v) == -1) {
			/* "States: 1]" when the count fills its column */
			char *b = strchr(tok[i + 1], ']');
			if (b == NULL)
				continue;
			*b = '\0';
			if (parse_u64(tok[i + 1], &v) == -1)
				continue;
		}
		if (strcmp(tok[i], "Evaluations:") == 0)
			r->evaluations = v, got |= 1;
		else if (strcmp(tok[i], "Packets:") == 0)
			r->packets = v, got |= 2;
		else if (strcmp(tok[i], "Bytes:") == 0)
			r->bytes = v, got |= 4;
		else if (strcmp(tok[i], "States:") == 0)
			r->states = v, got |= 8;
	}
	return (got == 15 ? 0 : -1);
}

static int
rule_add(struct pfctl_rule_stat **v, int *n, int *cap, int nr, const char *text)
{
	struct pfctl_rule_stat *nv;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		if ((nv = realloc(*v, (size_t)*cap * sizeof(**v))) == NULL)
			return (-1);
		*v = nv;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].nr = nr;
	if (((*v)[*n].text = strdup(text)) == NULL)
		return (-1);
	(*n)++;
	return (0);
}

int
pfctl_rules_parse(const char *text, struct pfctl_rule_stat **out, int *n, char *err,
    size_t errlen)
{
	struct pfctl_rule_stat *v = NULL;
	int cap = 0, nr, lineno = 0, depth = 0, opened = 0;
	const char *p, *nl, *body;
	char line[2048], *end;
	size_t len;

	*out = NULL;
	*n = 0;
	for (p = text; *p != '\0'; p = nl != NULL ? nl + 1 : p + len) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (len == 0 || len >= sizeof(line))
			continue;
		memcpy(line, p, len);
		line[len] = '\0';
		/*
		 * An anchor printed with its rules (pfctl.c, pfctl_show_rules: inline
		 * anchors and -a '*'): `@N anchor "_1" all {`, its counters, the anchor's
		 * own rules numbered from @0, then `}`. Only the anchor rule belongs to this
		 * ruleset; the lines inside the braces are the anchor's (not indented with
		 * -v, so depth is counted, not whitespace).
		 */
		if (strcmp(line, "}") == 0 || (line[0] == ' ' && line[len - 1] == '}' &&
		    strspn(line, " ") == len - 1)) {
			if (depth > 0)
				depth--;
			continue;
		}
		if (depth > 0 && !(opened && strncmp(line, "  [", 3) == 0)) {
			opened = 0;	/* the anchor's counters come before its rules */
			if (line[len - 1] == '{')
				depth++;
			continue;
		}
		if (strncmp(line, "  [", 3) == 0) {
			if (strstr(line, "Evaluations:") == NULL)
				continue;	/* Inserted:, Last Active Time:, ... */
			if (*n == 0) {
				snprintf(err, errlen, "pfctl -sr: line %d: counters before "
				    "any rule", lineno);
				goto fail;
			}
			if (rule_counters(line, &v[*n - 1]) == -1) {
				snprintf(err, errlen, "pfctl -sr: line %d: bad counters: %s",
				    lineno, line);
				goto fail;
			}
			v[*n - 1].has_counters = 1;
			continue;
		}
		if (isspace((unsigned char)line[0]))
			continue;
		nr = *n;
		body = line;
		if (line[0] == '@' && isdigit((unsigned char)line[1])) {
			nr = (int)strtol(line + 1, &end, 10);
			body = end;
			while (*body == ' ')
				body++;
		}
		if (len >= 2 && line[len - 1] == '{' && line[len - 2] == ' ') {
			line[len - 2] = '\0';	/* the anchor rule, without its brace */
			depth++;
			opened = 1;
		}
		if (rule_add(&v, n, &cap, nr, body) == -1) {
			snprintf(err, errlen, "pfctl -sr: out of memory");
			goto fail;
		}
	}
	*out = v;
	return (0);
fail:
	pfctl_rules_free(v, *n);
	*n = 0;
	return (-1);
}

void
pfctl_rules_free(struct pfctl_rule_stat *v, int n)
{
	int i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/* "pf states:             320, 100000,       2,     148,      11,   0,   0,   0" */
int
pfctl_zone_find(const char *text, const char *name, struct pfctl_zone *z)
{
	size_t nlen = strlen(name);
	const char *p, *nl;
	uint64_t f[8];
	char *end;
	int i;

	for (p = text; *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (strncmp(p, name, nlen) != 0 || p[nlen] != ':')
			continue;
		if (nlen >= sizeof(z->name))
			return (-1);
		p += nlen + 1;
		for (i = 0; i < 8; i++) {
			while (*p == ' ')
				p++;
			if (!isdigit((unsigned char)*p))
				break;
			f[i] = strtoull(p, &end, 10);
			p = end;
			if (*p == ',')
				p++;
			else
				break;
		}
		if (i < 6)	/* older vmstat prints 7 columns, 14.x prints 8 */
			return (-1);
		memset(z, 0, sizeof(*z));
		memcpy(z->name, name, nlen + 1);
		z->size = f[0], z->limit = f[1], z->used = f[2], z->free = f[3];
		z->req = f[4], z->fail = f[5], z->sleep = f[6];
		z->xdomain = i == 7 ? f[7] : 0;
		return (0);
	}
	return (-1);
}
