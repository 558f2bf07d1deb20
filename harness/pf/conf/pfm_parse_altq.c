/* pfm_parse_altq.c: `altq on` and `queue` statements as FreeBSD 14's pfctl parses
 * them and prints them with -nv (pfctl_altq.c: print_altq, print_queue). The model
 * keeps no queues: bandwidth shaping is outside it, and a ruleset with queues says so
 * when it loads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_parse_rule.h"

enum { Q_NONE, Q_CBQ, Q_PRIQ, Q_HFSC, Q_FAIRQ, Q_CODEL };

/* Scheduler flags, one bit each, in the order pfctl prints them. */
#define QF_RED		0x01
#define QF_ECN		0x02
#define QF_RIO		0x04
#define QF_CODEL	0x08
#define QF_BORROW	0x10
#define QF_DEFAULT	0x20

#define DEFAULT_PRIORITY	1
#define DEFAULT_QLIMIT		50

struct qbw {
	double		 bps;		/* absolute, bits/s */
	int		 percent;	/* 0: absolute */
};

struct qopts {
	int		 set;		/* bandwidth, priority, qlimit, scheduler, tbrsize */
	struct qbw	 bw;
	int		 priority, qlimit;
	uint32_t	 tbrsize;
	int		 sched, flags;
};
#define QO_BW	0x01
#define QO_PRI	0x02
#define QO_QL	0x04
#define QO_SCH	0x08
#define QO_TBR	0x10

/* The schedulers' names, indexed by Q_*. */
static const char *const sname[] = { "", "cbq", "priq", "hfsc", "fairq", "codel" };

/* rate2str: 100000 -> "100Kb", 1.5e6 -> "1.50Mb". */
static void
rate_str(struct pfm_buf *b, double rate)
{
	static const char unit[] = " KMG";
	int i;

	for (i = 0; rate >= 1000 && i <= 3; i++)
		rate /= 1000;
	if ((int)(rate * 100) % 100)
		pfm_buf_printf(b, "%.2f%cb", rate, unit[i]);
	else
		pfm_buf_printf(b, "%d%cb", (int)rate, unit[i]);
}

/* bandwidth: NUMBER (bits/s) or STRING with b, Kb, Mb, Gb or %. */
static int
parse_bw(struct pfm_pctx *c, struct qbw *bw)
{
	char *s, *cp;
	double v;

	memset(bw, 0, sizeof(*bw));
	if (pfm_peek(c) == T_NUMBER) {
		bw->bps = (double)c->tok.num;
		pfm_next(c);
		return (0);
	}
	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	s = pfm_take_string(c);
	v = strtod(s, &cp);
	if (strlen(cp) > 1 && (!strcmp(cp + 1, "Bit") || !strcmp(cp + 1, "B") ||
	    !strcmp(cp + 1, "bit") || !strcmp(cp + 1, "b")))
		cp[1] = '\0';
	if (!strcmp(cp, "b") || !strcmp(cp, ""))
		;
	else if (!strcmp(cp, "K"))
		v *= 1000;
	else if (!strcmp(cp, "M"))
		v *= 1000 * 1000;
	else if (!strcmp(cp, "G"))
		v *= 1000.0 * 1000 * 1000;
	else if (!strcmp(cp, "%")) {
		if (v < 0 || v > 100) {
			pfm_yyerror(c, "bandwidth spec out of range");
			free(s);
			return (-1);
		}
		bw->percent = (int)v;
		v = 0;
	} else {
		pfm_yyerror(c, "unknown unit %s", cp);
		free(s);
		return (-1);
	}
	free(s);
	/* parse.y stores (u_int64_t)bps, which C leaves undefined outside 0..2^64: what
	 * pfctl then prints is the compiler's; refused here rather than guessed. */
	if (!(v >= 0 && v < 18446744073709551616.0)) {
		pfm_yyerror(c, "bandwidth out of range");
		return (-1);
	}
	bw->bps = v;
	return (0);
}

static int
sched_flag(struct pfm_pctx *c, int sched, int *flags)
{
	char *s;

	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	s = pfm_take_string(c);
	if (!strcmp(s, "default"))
		*flags |= QF_DEFAULT;
	else if (!strcmp(s, "red"))
		*flags |= QF_RED;
	else if (!strcmp(s, "ecn"))
		*flags |= QF_RED | QF_ECN;
	else if (!strcmp(s, "rio"))
		*flags |= QF_RIO;
	else if (!strcmp(s, "codel"))
		*flags |= QF_CODEL;
	else if (!strcmp(s, "borrow") && sched == Q_CBQ)
		*flags |= QF_BORROW;
	else {
		pfm_yyerror(c, "unknown %s flag \"%s\"", sname[sched], s);
		free(s);
		return (-1);
	}
	free(s);
	return (0);
}

/* priority N, qlimit N, tbrsize N: once each, in range, with pfctl's words. */
static int
num_opt(struct pfm_pctx *c, struct qopts *o, int k, int64_t n)
{
	static const struct {
		int		 key, bit;
		const char	*name;
		int64_t		 max;
		const char	*range;		/* the out-of-range message */
	} t[] = {
		{ K_PRIORITY, QO_PRI, "priority", 255, "priority out of range: max 255" },
		{ K_QLIMIT, QO_QL, "qlimit", 65535, "qlimit out of range: max 65535" },
		{ K_TBRSIZE, QO_TBR, "tbrsize", UINT32_MAX,
		    "tbrsize too big: max 4294967295" },
	};
	size_t i;

	for (i = 0; t[i].key != k; i++)
		;
	if (o->set & t[i].bit) {
		pfm_yyerror(c, "%s cannot be respecified", t[i].name);
		return (-1);
	}
	if (n < 0 || n > t[i].max) {
		pfm_yyerror(c, "%s", t[i].range);
		return (-1);
	}
	if (k == K_PRIORITY)
		o->priority = (int)n;
	else if (k == K_QLIMIT)
		o->qlimit = (int)n;
	else
		o->tbrsize = (uint32_t)n;
	o->set |= t[i].bit;
	return (0);
}

/* scheduler: cbq | priq | hfsc | fairq | codel, each with an optional flag list. */
static int
parse_scheduler(struct pfm_pctx *c, struct qopts *o)
{
	int t = pfm_peek(c);

	o->sched = t == K_CBQ ? Q_CBQ : t == K_PRIQ ? Q_PRIQ : t == K_HFSC ? Q_HFSC :
	    t == K_FAIRQ ? Q_FAIRQ : Q_CODEL;
	pfm_next(c);
	if (!pfm_accept(c, '('))
		return (0);
	if (o->sched == Q_CODEL || pfm_peek(c) == K_LINKSHARE ||
	    pfm_peek(c) == K_REALTIME || pfm_peek(c) == K_UPPERLIMIT ||
	    pfm_peek(c) == K_HOGS || pfm_peek(c) == K_BUCKETS) {
		/* the service curves and codel's timers need pfctl's bandwidth
		 * arithmetic over the queue tree, which the model does not do */
		pfm_yyerror(c, "pfharness: this scheduler option is not modelled");
		return (-1);
	}
	for (;;) {
		if (sched_flag(c, o->sched, &o->flags) == -1)
			return (-1);
		if (pfm_accept(c, ')'))
			return (0);
		pfm_comma(c);
	}
}

static int
parse_qopts(struct pfm_pctx *c, struct qopts *o)
{
	int64_t n;

	memset(o, 0, sizeof(*o));
	o->priority = DEFAULT_PRIORITY;
	o->qlimit = DEFAULT_QLIMIT;
	o->bw.percent = 100;
	for (;;) {
		switch (pfm_peek(c)) {
		case K_BANDWIDTH:
			pfm_next(c);
			if (o->set & QO_BW) {
				pfm_yyerror(c, "bandwidth cannot be respecified");
				return (-1);
			}
			if (parse_bw(c, &o->bw) == -1)
				return (-1);
			o->set |= QO_BW;
			break;
		case K_PRIORITY:
		case K_QLIMIT:
		case K_TBRSIZE: {
			int k = pfm_peek(c);

			pfm_next(c);
			if (pfm_peek(c) != T_NUMBER)
				return (pfm_syntax(c));
			n = c->tok.num;
			pfm_next(c);
			if (num_opt(c, o, k, n) == -1)
				return (-1);
			break;
		}
		case K_CBQ:
		case K_PRIQ:
		case K_HFSC:
		case K_FAIRQ:
		case K_CODEL:
			if (o->set & QO_SCH) {
				pfm_yyerror(c, "scheduler cannot be respecified");
				return (-1);
			}
			if (parse_scheduler(c, o) == -1)
				return (-1);
			o->set |= QO_SCH;
			break;
		default:
			return (0);
		}
	}
}

/* qassign: empty | STRING | '{' list '}': the child queue names, printed "a b ". */
static int
parse_qassign(struct pfm_pctx *c, struct pfm_buf *names, int *n)
{
	char *s;

	*n = 0;
	if (pfm_peek(c) == T_STRING) {
		s = pfm_take_string(c);
		pfm_buf_printf(names, "%s ", s);
		free(s);
		*n = 1;
		return (0);
	}
	if (!pfm_accept(c, '{'))
		return (0);
	pfm_optnl(c);
	for (;;) {
		if (pfm_peek(c) != T_STRING)
			return (pfm_syntax(c));
		s = pfm_take_string(c);
		pfm_buf_printf(names, "%s ", s);
		free(s);
		(*n)++;
		pfm_optnl(c);
		if (pfm_accept(c, '}'))
			return (0);
		pfm_comma(c);
		pfm_optnl(c);
	}
}

/* print_cbq_opts and friends: "cbq( red default ) ", or 0 when there are no flags. */
static int
print_sched(struct pfm_buf *b, const struct qopts *o)
{
	if (!o->flags)
		return (0);
	pfm_buf_printf(b, "%s(", sname[o->sched]);
	if (o->flags & QF_RED)
		pfm_buf_printf(b, " red");
	if (o->flags & QF_ECN)
		pfm_buf_printf(b, " ecn");
	if (o->flags & QF_RIO)
		pfm_buf_printf(b, " rio");
	if (o->flags & QF_CODEL)
		pfm_buf_printf(b, " codel");
	if (o->flags & QF_BORROW)
		pfm_buf_printf(b, " borrow");
	if (o->flags & QF_DEFAULT)
		pfm_buf_printf(b, " default");
	pfm_buf_printf(b, " ) ");
	return (1);
}

static void
queues_warn(struct pfm_pctx *c)
{
	if (c->rs->nqueues++ == 0)
		pfm_raw(c, "pfharness: %s:%d: altq queues are parsed but not modelled: "
		    "no bandwidth shaping", c->file->name, c->toklineno);
}

/* altq on IF queue_opts queue qassign */
int
pfm_parse_altq(struct pfm_pctx *c)
{
	struct node_if *ifs;
	struct qopts o;
	struct pfm_buf names = { 0 }, out = { 0 };
	uint32_t tbr;
	int n, rv = -1;

	pfm_next(c);
	if (pfm_parse_interface(c, &ifs) == -1 || parse_qopts(c, &o) == -1)
		return (-1);
	if (!pfm_accept(c, K_QUEUE))
		return (pfm_syntax(c));
	if (parse_qassign(c, &names, &n) == -1)
		goto out;
	if (pfm_rule_end(c, PFCTL_STATE_QUEUE) == -1)
		goto out;
	if (o.sched == Q_NONE) {
		pfm_yyerror(c, "no scheduler specified!");
		goto out;
	}
	if (n == 0 && o.sched != Q_CODEL) {
		pfm_yyerror(c, "no child queues specified");
		goto out;
	}
	if (ifs == NULL || ifs->next != NULL || ifs->not) {
		/* pfctl expands the list; one interface is all the model prints */
		pfm_yyerror(c, "pfharness: altq needs exactly one interface here");
		goto out;
	}
	if (o.bw.percent > 0 && o.bw.percent <= 100 && !(o.set & QO_BW && o.bw.bps > 0)) {
		/* pfctl asks the interface its speed; the model's hosts have none */
		pfm_yyerror(c, "pfharness: altq bandwidth must be absolute (no interface "
		    "speeds in the model)");
		goto out;
	}
	tbr = o.tbrsize;
	if (tbr == 0)	/* eval_pfaltq, with FreeBSD's MTU 1500 for unknown ifs */
		tbr = (o.bw.bps <= 1e6 ? 1 : o.bw.bps <= 10e6 ? 4 : o.bw.bps <= 200e6 ? 8 :
		    o.bw.bps <= 2500e6 ? 24 : 128) * 1500;
	pfm_buf_printf(&out, "altq on %s ", ifs->ifname);
	if (!print_sched(&out, &o))
		pfm_buf_printf(&out, "%s ", sname[o.sched]);
	pfm_buf_printf(&out, "bandwidth ");
	rate_str(&out, o.bw.bps);
	pfm_buf_printf(&out, " ");
	if (o.qlimit != DEFAULT_QLIMIT)
		pfm_buf_printf(&out, "qlimit %u ", o.qlimit);
	pfm_buf_printf(&out, "tbrsize %u ", tbr);
	if (n > 0)
		pfm_buf_printf(&out, "queue { %s}", names.s);
	pfm_pre(c, "%s\n", out.s);
	queues_warn(c);
	c->altq_sched = o.sched;
	rv = 0;
out:
	pfm_buf_free(&names);
	pfm_buf_free(&out);
	return (rv);
}

/* queue NAME [on IF] queue_opts qassign */
int
pfm_parse_queue(struct pfm_pctx *c)
{
	struct node_if *ifs;
	struct qopts o;
	struct pfm_buf names = { 0 }, out = { 0 };
	char *name;
	int n, rv = -1;

	pfm_next(c);
	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	name = pfm_take_string(c);
	if (pfm_parse_interface(c, &ifs) == -1 || parse_qopts(c, &o) == -1 ||
	    parse_qassign(c, &names, &n) == -1)
		goto out;
	if (pfm_rule_end(c, PFCTL_STATE_QUEUE) == -1)
		goto out;
	if (strlen(name) >= 64) {
		pfm_yyerror(c, "queue name too long (max %d chars)", 63);
		goto out;
	}
	if (o.tbrsize) {
		pfm_yyerror(c, "cannot specify tbrsize for queue");
		goto out;
	}
	if (o.sched == Q_NONE)
		o.sched = c->altq_sched;
	else if (c->altq_sched != Q_NONE && o.sched != c->altq_sched) {
		pfm_yyerror(c, "exactly one scheduler type per interface allowed");
		goto out;
	}
	/* print_queue: the interface's scheduler decides what a queue prints (cbq,
	 * hfsc, fairq their bandwidth); the model knows the last altq's */
	pfm_buf_printf(&out, "queue %s ", name);
	if (o.sched == Q_CBQ || o.sched == Q_HFSC || o.sched == Q_FAIRQ) {
		if (o.bw.percent > 0) {
			if (o.bw.percent < 100)
				pfm_buf_printf(&out, "bandwidth %u%% ", o.bw.percent);
		} else {
			pfm_buf_printf(&out, "bandwidth ");
			rate_str(&out, o.bw.bps);
			pfm_buf_printf(&out, " ");
		}
	}
	if (o.priority != DEFAULT_PRIORITY)
		pfm_buf_printf(&out, "priority %u ", o.priority);
	if (o.qlimit != DEFAULT_QLIMIT)
		pfm_buf_printf(&out, "qlimit %u ", o.qlimit);
	print_sched(&out, &o);
	if (n > 0)
		pfm_buf_printf(&out, "{ %s}", names.s);
	pfm_pre(c, "%s\n", out.s);
	queues_warn(c);
	rv = 0;
out:
	free(name);
	pfm_buf_free(&names);
	pfm_buf_free(&out);
	return (rv);
}
