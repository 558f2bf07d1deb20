/* pfm_parse_filteropt.c: the options of filter rules, pfctl's filter_opts: flags,
 * icmp-type, user/group, queue, tag, label, prio, probability, scrub (...), state. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"
#include "pfm_parse_rule.h"

static const struct { const char *name; int val; } toswords[] = {
	{ "af11", 0x28 }, { "af12", 0x30 }, { "af13", 0x38 }, { "af21", 0x48 },
	{ "af22", 0x50 }, { "af23", 0x58 }, { "af31", 0x68 }, { "af32", 0x70 },
	{ "af33", 0x78 }, { "af41", 0x88 }, { "af42", 0x90 }, { "af43", 0x98 },
	{ "critical", 0xa0 }, { "cs0", 0x00 }, { "cs1", 0x20 }, { "cs2", 0x40 },
	{ "cs3", 0x60 }, { "cs4", 0x80 }, { "cs5", 0xa0 }, { "cs6", 0xc0 },
	{ "cs7", 0xe0 }, { "ef", 0xb8 }, { "inetcontrol", 0xc0 },
	{ "lowdelay", 0x10 }, { "netcontrol", 0xe0 }, { "reliability", 0x04 },
	{ "throughput", 0x08 }, { "va", 0xb0 },
};

static int
parse_tos(struct pfm_pctx *c, int *out)
{
	size_t i;
	long v;

	if (pfm_peek(c) == T_NUMBER) {
		v = (long)c->tok.num;
		pfm_next(c);
		if (v < 0 || v > 255) {
			pfm_yyerror(c, "illegal tos value %ld", v);
			return (-1);
		}
		*out = (int)v;
		return (0);
	}
	if (pfm_peek(c) == T_STRING) {
		char *s = pfm_take_string(c), *end;

		v = 256;
		for (i = 0; i < sizeof(toswords) / sizeof(toswords[0]); i++)
			if (strcasecmp(s, toswords[i].name) == 0)
				v = toswords[i].val;
		if (v == 256 && s[0] == '0' && s[1] == 'x') {
			v = strtol(s, &end, 16);
			if (*end != '\0')
				v = 256;
		}
		if (v < 0 || v > 255) {
			pfm_yyerror(c, "illegal tos value %s", s);
			free(s);
			return (-1);
		}
		free(s);
		*out = (int)v;
		return (0);
	}
	return (pfm_syntax(c));
}

static int
parse_flag(struct pfm_pctx *c, int *f)
{
	const char *flags = "FSRPAUEW", *q, *p;
	char *s;

	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	s = pfm_take_string(c);
	*f = 0;
	for (p = s; *p; p++) {
		if ((q = strchr(flags, *p)) == NULL) {
			pfm_yyerror(c, "bad flags %s", s);
			free(s);
			return (-1);
		}
		*f |= 1 << (q - flags);
	}
	if (*f == 0)
		*f = 0xff;
	free(s);
	return (0);
}

static int
parse_flags(struct pfm_pctx *c, struct filter_opts *fo)
{
	int a = 0, b = 0;

	pfm_next(c);	/* flags */
	if (pfm_accept(c, K_ANY)) {
		a = b = 0;
	} else if (pfm_accept(c, '/')) {
		if (parse_flag(c, &b) == -1)
			return (-1);
	} else {
		if (parse_flag(c, &a) == -1)
			return (-1);
		if (!pfm_accept(c, '/'))
			return (pfm_syntax(c));
		if (parse_flag(c, &b) == -1)
			return (-1);
	}
	if (pfm_mark_once(c, &fo->marker, FOM_FLAGS,
	    "flags cannot be redefined") == -1)
		return (-1);
	fo->flags |= a;
	fo->flagset |= b;
	return (0);
}

static int
icmp_item(struct pfm_pctx *c, int v6, struct node_icmp **list)
{
	struct node_icmp *n;
	int af = v6 ? AF_INET6 : AF_INET, type, code = 0;
	const char *what = v6 ? "icmp6" : "icmp";

	if (pfm_peek(c) == T_STRING) {
		char *s = pfm_take_string(c);
		const struct pfm_icmptype *it = pfm_icmptype_byname(s, af);

		if (it == NULL) {
			pfm_yyerror(c, "unknown %s-type %s", what, s);
			free(s);
			return (-1);
		}
		free(s);
		type = it->type + 1;
	} else if (pfm_peek(c) == T_NUMBER) {
		int64_t v = c->tok.num;

		pfm_next(c);
		if (v < 0 || v > 255) {
			pfm_yyerror(c, "illegal %s-type %lld", what, (long long)v);
			return (-1);
		}
		type = (int)v + 1;
	} else
		return (pfm_syntax(c));
	if (pfm_accept(c, K_CODE)) {
		if (pfm_peek(c) == T_STRING) {
			char *s = pfm_take_string(c);
			const struct pfm_icmpcode *ic = pfm_icmpcode_byname(type - 1, s, af);

			if (ic == NULL) {
				pfm_yyerror(c, "unknown %s-code %s", what, s);
				free(s);
				return (-1);
			}
			free(s);
			code = ic->code + 1;
		} else if (pfm_peek(c) == T_NUMBER) {
			int64_t v = c->tok.num;

			pfm_next(c);
			if (v < 0 || v > 255) {
				pfm_yyerror(c, "illegal icmp-code %lld", (long long)v);
				return (-1);
			}
			code = (int)v + 1;
		} else
			return (pfm_syntax(c));
	}
	if ((n = pfm_nalloc(c, sizeof(*n))) == NULL)
		return (-1);
	n->type = type;
	n->code = code;
	n->proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	n->tail = n;
	PFM_LIST_APPEND(*list, n);
	return (0);
}

static int
parse_icmpspec(struct pfm_pctx *c, struct filter_opts *fo)
{
	int v6 = pfm_peek(c) == K_ICMP6TYPE, braced;
	struct node_icmp *list = NULL;

	pfm_next(c);
	braced = pfm_list_open(c);
	do {
		if (icmp_item(c, v6, &list) == -1)
			return (-1);
	} while (pfm_list_more(c, braced));
	if (pfm_mark_once(c, &fo->marker, FOM_ICMP,
	    "icmp-type cannot be redefined") == -1)
		return (-1);
	fo->icmp = list;
	return (0);
}

static const struct { const char *name; uint32_t id; } users[] = {
	{ "root", 0 }, { "toor", 0 }, { "daemon", 1 }, { "operator", 2 },
	{ "bin", 3 }, { "tty", 4 }, { "kmem", 5 }, { "games", 7 }, { "news", 8 },
	{ "man", 9 }, { "sshd", 22 }, { "smmsp", 25 }, { "mailnull", 26 },
	{ "bind", 53 }, { "unbound", 59 }, { "proxy", 62 }, { "_pflogd", 64 },
	{ "_dhcp", 65 }, { "uucp", 66 }, { "pop", 68 }, { "www", 80 },
	{ "ntpd", 123 }, { "nobody", 65534 }, { NULL, 0 }
}, groups[] = {
	{ "wheel", 0 }, { "daemon", 1 }, { "kmem", 2 }, { "sys", 3 }, { "tty", 4 },
	{ "operator", 5 }, { "mail", 6 }, { "bin", 7 }, { "news", 8 }, { "man", 9 },
	{ "games", 13 }, { "ftp", 14 }, { "staff", 20 }, { "sshd", 22 },
	{ "smmsp", 25 }, { "mailnull", 26 }, { "guest", 31 }, { "video", 44 },
	{ "bind", 53 }, { "unbound", 59 }, { "proxy", 62 }, { "authpf", 63 },
	{ "_pflogd", 64 }, { "_dhcp", 65 }, { "uucp", 66 }, { "dialer", 68 },
	{ "network", 69 }, { "audit", 77 }, { "www", 80 }, { "ntpd", 123 },
	{ "nogroup", 65533 }, { "nobody", 65534 }, { NULL, 0 }
};

#define UGID_MAX	0xffffffffu

/* uid or gid: a name of FreeBSD's base system, a number, or "unknown". */
static int
ugid(struct pfm_pctx *c, int isgroup, uint32_t *v)
{
	const char *what = isgroup ? "group" : "user";
	int i;

	if (pfm_peek(c) == T_NUMBER) {
		int64_t n = c->tok.num;

		pfm_next(c);
		if (n < 0 || n >= UGID_MAX) {
			pfm_yyerror(c, "illegal %cid value %lld", isgroup ? 'g' : 'u',
			    (long long)n);
			return (-1);
		}
		*v = (uint32_t)n;
		return (0);
	}
	if (pfm_peek(c) == T_STRING) {
		char *s = pfm_take_string(c);

		if (strcmp(s, "unknown") == 0) {
			*v = UGID_MAX;
			free(s);
			return (0);
		}
		for (i = 0; (isgroup ? groups : users)[i].name != NULL; i++)
			if (strcmp((isgroup ? groups : users)[i].name, s) == 0) {
				*v = (isgroup ? groups : users)[i].id;
				free(s);
				return (0);
			}
		pfm_yyerror(c, "unknown %s %s", what, s);
		free(s);
		return (-1);
	}
	return (pfm_syntax(c));
}

static int
ugid_item(struct pfm_pctx *c, int isgroup, struct node_uid **list)
{
	struct node_uid *n;
	int op = 0;
	uint32_t a, b;

	switch (pfm_peek(c)) {
	case '=': pfm_next(c); op = PFM_OP_EQ; break;
	case '!': pfm_next(c);
		if (!pfm_accept(c, '='))
			return (pfm_syntax(c));
		op = PFM_OP_NE; break;
	case '<': pfm_next(c); op = pfm_accept(c, '=') ? PFM_OP_LE : PFM_OP_LT; break;
	case '>': pfm_next(c); op = pfm_accept(c, '=') ? PFM_OP_GE : PFM_OP_GT; break;
	default: break;
	}
	if (ugid(c, isgroup, &a) == -1)
		return (-1);
	b = a;
	if (op == 0 && pfm_peek(c) == T_PORTBINARY) {
		op = (int)c->tok.num;
		pfm_next(c);
		if (ugid(c, isgroup, &b) == -1)
			return (-1);
		if (a == UGID_MAX || b == UGID_MAX) {
			pfm_yyerror(c, "%s unknown requires operator = or !=",
			    isgroup ? "group" : "user");
			return (-1);
		}
	} else if (op && a == UGID_MAX && op != PFM_OP_EQ && op != PFM_OP_NE) {
		pfm_yyerror(c, "%s unknown requires operator = or !=",
		    isgroup ? "group" : "user");
		return (-1);
	}
	if ((n = pfm_nalloc(c, sizeof(*n))) == NULL)
		return (-1);
	n->v[0] = a;
	n->v[1] = b;
	n->op = op ? op : PFM_OP_EQ;
	n->tail = n;
	PFM_LIST_APPEND(*list, n);
	return (0);
}

static int
parse_ugids(struct pfm_pctx *c, struct filter_opts *fo)
{
	int isgroup = pfm_peek(c) == K_GROUP, braced;
	struct node_uid *list = NULL, **dst = isgroup ? &fo->gids : &fo->uids;

	pfm_next(c);
	braced = pfm_list_open(c);
	do {
		if (ugid_item(c, isgroup, &list) == -1)
			return (-1);
	} while (pfm_list_more(c, braced));
	if (*dst != NULL)
		list->tail->next = *dst;
	*dst = list;
	return (0);
}

static int
parse_qname(struct pfm_pctx *c, struct filter_opts *fo)
{
	char *q = NULL, *pq = NULL;

	pfm_next(c);
	if (pfm_accept(c, '(')) {
		if (pfm_peek(c) != T_STRING)
			return (pfm_syntax(c));
		q = pfm_take_string(c);
		pfm_comma(c);
		if (pfm_peek(c) == T_STRING)
			pq = pfm_take_string(c);
		if (!pfm_accept(c, ')')) {
			free(q);
			free(pq);
			return (pfm_syntax(c));
		}
	} else if (pfm_peek(c) == T_STRING)
		q = pfm_take_string(c);
	else
		return (pfm_syntax(c));
	if (fo->qname != NULL) {
		free(q);
		free(pq);
		pfm_yyerror(c, "queue cannot be redefined");
		return (-1);
	}
	fo->qname = pfm_nstrdup(c, q);
	fo->pqname = pq ? pfm_nstrdup(c, pq) : NULL;
	free(q);
	free(pq);
	return (0);
}

static int
parse_dn(struct pfm_pctx *c, struct filter_opts *fo)
{
	int pipe = pfm_peek(c) == K_DNPIPE;
	int64_t a, b = 0;
	int two = 0;

	pfm_next(c);
	if (pfm_accept(c, '(')) {
		if (pfm_parse_number(c, &a) == -1)
			return (-1);
		if (pfm_peek(c) != ')') {
			pfm_comma(c);
			if (pfm_parse_number(c, &b) == -1)
				return (-1);
			two = 1;
		}
		if (!pfm_accept(c, ')'))
			return (pfm_syntax(c));
	} else if (pfm_parse_number(c, &a) == -1)
		return (-1);
	fo->dnpipe = (uint16_t)a;
	if (two)
		fo->dnrpipe = (uint16_t)b;
	fo->dn_is_pipe = pipe;
	fo->dn_set = 1;
	return (0);
}

static int
parse_probability(struct pfm_pctx *c, struct filter_opts *fo)
{
	double p;

	pfm_next(c);
	if (pfm_peek(c) == T_STRING) {
		char *s = pfm_take_string(c), *e;

		p = strtod(s, &e);
		if (*e == '%') {
			p *= 0.01;
			e++;
		}
		if (*e) {
			pfm_yyerror(c, "invalid probability: %s", s);
			free(s);
			return (-1);
		}
		free(s);
	} else if (pfm_peek(c) == T_NUMBER) {
		p = (double)c->tok.num;
		pfm_next(c);
	} else
		return (pfm_syntax(c));
	p = floor(p * UINT32_MAX + 0.5);
	if (p < 0.0 || p > UINT32_MAX) {
		pfm_yyerror(c, "invalid probability: %lf", p);
		return (-1);
	}
	fo->prob = (uint32_t)p;
	if (fo->prob == 0)
		fo->prob = 1;
	return (0);
}

static int
parse_prio(struct pfm_pctx *c, int *a, int *b)
{
	int64_t x, y;

	pfm_next(c);	/* prio */
	if (pfm_accept(c, '(')) {
		if (pfm_peek(c) != T_NUMBER)
			return (pfm_syntax(c));
		x = c->tok.num;
		pfm_next(c);
		pfm_comma(c);
		if (pfm_peek(c) != T_NUMBER)
			return (pfm_syntax(c));
		y = c->tok.num;
		pfm_next(c);
		if (!pfm_accept(c, ')'))
			return (pfm_syntax(c));
	} else {
		if (pfm_peek(c) != T_NUMBER)
			return (pfm_syntax(c));
		x = y = c->tok.num;
		pfm_next(c);
	}
	if (x < 0 || x > 7 || y < 0 || y > 7) {
		pfm_yyerror(c, "prio must be 0 - %u", 7);
		return (-1);
	}
	*a = (int)x;
	*b = (int)y;
	return (0);
}

static int
filter_set(struct pfm_pctx *c, struct filter_opts *fo)
{
	int a, b;

	if (pfm_peek(c) == K_PRIO) {
		if (parse_prio(c, &a, &b) == -1)
			return (-1);
		if (pfm_mark_once(c, &fo->marker, FOM_SETPRIO,
		    "prio cannot be redefined") == -1)
			return (-1);
		fo->set_prio[0] = (uint8_t)a;
		fo->set_prio[1] = (uint8_t)b;
		return (0);
	}
	if (pfm_accept(c, K_TOS)) {
		if (parse_tos(c, &a) == -1)
			return (-1);
		if (pfm_mark_once(c, &fo->marker, FOM_SETTOS,
		    "tos cannot be respecified") == -1)
			return (-1);
		fo->settos = (uint8_t)a;
		return (0);
	}
	return (pfm_syntax(c));
}

static int
parse_filter_sets(struct pfm_pctx *c, struct filter_opts *fo)
{
	pfm_next(c);	/* set */
	if (!pfm_accept(c, '('))
		return (filter_set(c, fo));
	for (;;) {
		if (filter_set(c, fo) == -1)
			return (-1);
		if (pfm_accept(c, ')'))
			return (0);
		pfm_comma(c);
	}
}

static int
filter_scrub(struct pfm_pctx *c, struct filter_opts *fo)
{
	struct scrub_opts so;

	pfm_next(c);	/* scrub */
	if (!pfm_accept(c, '('))
		return (pfm_syntax(c));
	if (pfm_parse_scrub_opts(c, &so) == -1)
		return (-1);
	if (!pfm_accept(c, ')'))
		return (pfm_syntax(c));
	fo->nodf = so.nodf;
	fo->minttl = so.minttl;
	if (so.marker & FOM_SETTOS)
		fo->settos = (uint8_t)so.settos;
	fo->randomid = so.randomid;
	fo->max_mss = so.maxmss;
	if (so.reassemble_tcp)
		fo->marker |= FOM_SCRUB_TCP;
	fo->marker |= so.marker;
	return (0);
}

/* `[!] received-on IF`, its keyword taken (the OpenBSD grammar FreeBSD's parse.y
 * imported: the interface or group the packet was received on, pf_match_rcvif). */
static int
filter_opt_rcv(struct pfm_pctx *c, struct filter_opts *fo, int not)
{
	struct node_if *n;

	if (pfm_parse_if_item(c, &n) == -1)
		return (-1);
	if (fo->rcv != NULL) {
		pfm_yyerror(c, "cannot respecify received-on");
		return (-1);
	}
	fo->rcv = pfm_nstrdup(c, n->ifname);
	fo->rcvnot = not;
	return (0);
}

static int
filter_opt_tag(struct pfm_pctx *c, struct filter_opts *fo)
{
	int not = 0;

	if (pfm_accept(c, K_TAG))
		return (pfm_parse_string(c, &fo->tag));
	if (pfm_accept(c, '!'))
		not = 1;
	if (pfm_accept(c, K_RECEIVEDON))
		return (filter_opt_rcv(c, fo, not));
	if (!pfm_accept(c, K_TAGGED))
		return (pfm_syntax(c));
	fo->match_tag_not = not;
	return (pfm_parse_string(c, &fo->match_tag));
}

static int
filter_opt_divert(struct pfm_pctx *c, struct filter_opts *fo)
{
	char *s;
	int a, b, t;

	if (pfm_accept(c, K_DIVERTREPLY)) {
		pfm_yyerror(c, "divert-reply has no meaning in FreeBSD pf(4)");
		return (-1);
	}
	pfm_next(c);	/* divert-to */
	if (pfm_peek(c) == T_STRING) {
		s = pfm_take_string(c);
		if (pfm_accept(c, K_PORT)) {
			free(s);
			if (pfm_parse_numberstring(c, &s) == -1)
				return (-1);
		}
	} else if (pfm_parse_numberstring(c, &s) == -1)
		return (-1);
	if (pfm_parseport(c, s, &a, &b, &t, 0) == -1) {
		free(s);
		return (-1);
	}
	free(s);
	if (a == 0) {
		pfm_yyerror(c, "invalid divert port: %u", 0);
		return (-1);
	}
	fo->divert_port = (uint16_t)a;
	return (0);
}

/* "prio n": the match on a packet's priority (one value, unlike "set prio"). */
static int
filter_opt_prio(struct pfm_pctx *c, struct filter_opts *fo)
{
	int a, b;

	if (parse_prio(c, &a, &b) == -1)
		return (-1);
	if (a != b)
		return (pfm_syntax(c));
	if (pfm_mark_once(c, &fo->marker, FOM_PRIO,
	    "prio cannot be redefined") == -1)
		return (-1);
	fo->prio = (uint8_t)a;
	return (0);
}

/* "tos v": the match on a packet's TOS byte. */
static int
filter_opt_tos(struct pfm_pctx *c, struct filter_opts *fo)
{
	int a;

	pfm_next(c);
	if (parse_tos(c, &a) == -1)
		return (-1);
	if (pfm_mark_once(c, &fo->marker, FOM_TOS,
	    "tos cannot be redefined") == -1)
		return (-1);
	fo->tos = (uint8_t)a;
	return (0);
}

/* "label string": up to five labels, the first one the rule's label. */
static int
filter_opt_label(struct pfm_pctx *c, struct filter_opts *fo)
{
	char *s;

	pfm_next(c);
	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	if (fo->nlabel >= 5) {
		pfm_yyerror(c, "label can only be used %d times", 5);
		return (-1);
	}
	s = pfm_take_string(c);
	fo->label[fo->nlabel++] = pfm_nstrdup(c, s);
	free(s);
	return (0);
}

/* One filter option; 1 when the lookahead does not start one. */
static int
filter_opt(struct pfm_pctx *c, struct filter_opts *fo)
{
	int64_t v;

	switch (pfm_peek(c)) {
	case K_USER:
	case K_GROUP:
		return (parse_ugids(c, fo));
	case K_FLAGS:
		return (parse_flags(c, fo));
	case K_ICMPTYPE:
	case K_ICMP6TYPE:
		return (parse_icmpspec(c, fo));
	case K_PRIO:
		return (filter_opt_prio(c, fo));
	case K_TOS:
		return (filter_opt_tos(c, fo));
	case K_NO:
	case K_KEEP:
	case K_MODULATE:
	case K_SYNPROXY:
		return (pfm_parse_keep(c, fo));
	case K_RIDENTIFIER:
		pfm_next(c);
		if (pfm_parse_number(c, &v) == -1)
			return (-1);
		fo->ridentifier = (uint32_t)v;
		return (0);
	case K_FRAGMENT:
		pfm_next(c);
		fo->fragment = 1;
		return (0);
	case K_ALLOWOPTS:
		pfm_next(c);
		fo->allowopts = 1;
		return (0);
	case K_LABEL:
		return (filter_opt_label(c, fo));
	case K_QUEUE:
		return (parse_qname(c, fo));
	case K_DNPIPE:
	case K_DNQUEUE:
		return (parse_dn(c, fo));
	case K_TAG:
	case K_TAGGED:
	case K_RECEIVEDON:
	case '!':
		return (filter_opt_tag(c, fo));
	case K_PROBABILITY:
		return (parse_probability(c, fo));
	case K_RTABLE:
		pfm_next(c);
		return (pfm_parse_rtable(c, &fo->rtableid));
	case K_DIVERTTO:
	case K_DIVERTREPLY:
		return (filter_opt_divert(c, fo));
	case K_SCRUB:
		return (filter_scrub(c, fo));
	case K_SET:
		return (parse_filter_sets(c, fo));
	case K_NATTO:
	case K_RDRTO:
	case K_BINATTO:
	case K_AFTO:
	case K_ONCE:
	case K_MAXPKTRATE:
	case K_MAXPKTSIZE:
		return (pfm_parse_opt15(c, fo));	/* keywords of 15 only */
	default:
		return (1);
	}
}

int
pfm_parse_filter_opts(struct pfm_pctx *c, struct filter_opts *fo)
{
	int rv;

	memset(fo, 0, sizeof(*fo));
	fo->rtableid = -1;
	while ((rv = filter_opt(c, fo)) == 0)
		;
	return (rv == -1 ? -1 : 0);
}
