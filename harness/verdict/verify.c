/* verify.c: check expectations (DESIGN.md `expect ...`) against a probe's observations. */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "pfctl/pfctl_out.h"
#include "verify.h"
#include "verify_impl.h"

static const char *
outcome_word(int o)
{
	switch (o) {
	case SCN_CONN_OK:
		return ("ok");
	case SCN_CONN_REFUSED:
		return ("refused");
	case SCN_CONN_TIMEOUT:
		return ("timeout");
	case SCN_CONN_FAILED:
		return ("failed");
	case SCN_CONN_UNREACHABLE:
		return ("unreachable");
	}
	return ("(no connect finished)");
}

/* Frame f against the step's pattern: its variables checked against, and bound into,
 * *scratch (a copy of the scenario's, or empty). 1 on a match. */
static int
frame_match(const struct scn_step *st, const struct verify_obs *o, const struct pkt *f,
    struct pkt_vars *scratch, char *why, size_t wl)
{
	if (o->vars != NULL)
		*scratch = *o->vars;
	else
		scratch->n = 0;
	return (pkt_vars_match(&st->pat, f, scratch, st->line, why, wl));
}

/* 1 when the probe sends on wire w. */
static int
sends_on(const struct scn_probe *p, int w)
{
	int i;

	for (i = 0; i < p->nstep; i++)
		if (p->step[i].kind == SCN_SEND && p->step[i].wire == w)
			return (1);
	return (0);
}

/* The frames a step looks at: `expect reply`, those on the wires the probe sent on;
 * `expect wire on IF` and `expect no wire on IF`, those on that wire; else all. */
static int
in_view(const struct scn_probe *p, const struct scn_step *st, const struct target_frame *f)
{
	if (!f->decoded)
		return (0);
	if (st->kind == SCN_EXPECT_REPLY || st->kind == SCN_EXPECT_NO_REPLY)
		return (sends_on(p, f->wire));
	return (st->wire < 0 || f->wire == st->wire);
}

/* " on IF" for a frame seen elsewhere than on the primary wire. */
static const char *
wire_name(const struct scn *s, const struct target_frame *f, char *buf, size_t len)
{
	buf[0] = '\0';
	if (f->wire > 0 && f->wire < s->niface)
		snprintf(buf, len, " on %s", s->iface[f->wire].name);
	return (buf);
}

/* Exactly one frame in view matches; on failure, say what each frame got wrong. The
 * variables the matching frame binds are kept. */
static int
check_frames(const struct scn *s, const struct scn_probe *p, const struct scn_step *st,
    const struct verify_obs *o, struct diag *d)
{
	struct pkt_vars scratch, won;
	char why[256], buf[512], on[64];
	int i, n = 0, shown = 0;

	for (i = 0; i < o->nframe; i++)
		if (in_view(p, st, &o->frame[i]) && frame_match(st, o, &o->frame[i].pkt,
		    &scratch, why, sizeof(why)) && n++ == 0)
			won = scratch;
	if (n == 1) {
		if (o->vars != NULL)
			*o->vars = won;
		return (1);
	}
	if (n > 1) {
		diag_add(d, s->path, st->line, "%s: %d frames match, expected exactly one",
		    st->text, n);
		for (i = 0; i < o->nframe && shown < 8; i++)
			if (in_view(p, st, &o->frame[i]) && frame_match(st, o,
			    &o->frame[i].pkt, &scratch, why, sizeof(why))) {
				diag_add(d, NULL, 0, "  matched: %s%s",
				    pkt_format(&o->frame[i].pkt, buf, sizeof(buf)),
				    wire_name(s, &o->frame[i], on, sizeof(on)));
				shown++;
			}
		return (0);
	}
	diag_add(d, s->path, st->line, "%s: no frame matches (%d seen on the wire%s)",
	    st->text, o->nframe, s->niface > 1 ? "s" : "");
	for (i = 0; i < o->nframe && shown < 8; i++) {
		if (!o->frame[i].decoded)
			continue;
		frame_match(st, o, &o->frame[i].pkt, &scratch, why, sizeof(why));
		diag_add(d, NULL, 0, "  seen %s%s%s", pkt_format(&o->frame[i].pkt, buf,
		    sizeof(buf)), wire_name(s, &o->frame[i], on, sizeof(on)),
		    in_view(p, st, &o->frame[i]) ? "" : " (another wire)");
		diag_add(d, NULL, 0, "    %s", why);
		shown++;
	}
	return (0);
}

/* A reply: a frame addressed to the source of one of the probe's sends. */
static int
is_reply(const struct scn_probe *p, const struct pkt *f)
{
	int i;

	for (i = 0; i < p->nstep; i++)
		if (p->step[i].kind == SCN_SEND &&
		    pkt_addr_eq(&p->step[i].pkt.src, &f->dst))
			return (1);
	return (0);
}

static int
check_none(const struct scn *s, const struct scn_probe *p, const struct scn_step *st,
    const struct verify_obs *o, int replies_only, struct diag *d)
{
	char buf[512], on[64];
	int i, bad = 0;

	for (i = 0; i < o->nframe; i++) {
		if (!in_view(p, st, &o->frame[i]))
			continue;
		if (replies_only && !is_reply(p, &o->frame[i].pkt))
			continue;
		if (bad++ == 0)
			diag_add(d, s->path, st->line, "%s: but the host sent", st->text);
		diag_add(d, NULL, 0, "  %s%s", pkt_format(&o->frame[i].pkt, buf, sizeof(buf)),
		    wire_name(s, &o->frame[i], on, sizeof(on)));
	}
	return (bad == 0);
}

static int
is_icmp(const struct target_delivery *dv)
{
	return (dv->proto == IPPROTO_ICMP || dv->proto == IPPROTO_ICMPV6);
}

/* `expect delivered NAME:PORT` a connection or datagram; `... icmp TYPE` a message. */
static int
deliv_match(const struct scn_step *st, const struct target_delivery *dv)
{
	if (dv->jail != st->jail || is_icmp(dv) != (st->proto == IPPROTO_ICMP))
		return (0);
	if (is_icmp(dv) ? dv->icmp != st->icmp : dv->lport != st->port)
		return (0);
	if (!st->has_from)
		return (1);
	if (!pkt_addr_eq(&st->from, &dv->peer))
		return (0);
	return (is_icmp(dv) || !st->from_port.set ||
	    (dv->pport >= st->from_port.lo && dv->pport <= st->from_port.hi));
}

static void
deliv_list(const struct scn *s, const struct verify_obs *o, int icmp, struct diag *d)
{
	char a[64], b[64];
	int i;

	for (i = 0; i < o->ndeliv; i++) {
		const struct target_delivery *dv = &o->deliv[i];

		if (is_icmp(dv) != icmp)
			continue;
		if (icmp)
			diag_add(d, NULL, 0, "  delivered %s icmp %s (%s) from %s",
			    scn_party_name(s, dv->jail), pkt_icmp_name(dv->icmp) != NULL ?
			    pkt_icmp_name(dv->icmp) : "other",
			    pkt_addr_format(&dv->local, a, sizeof(a)),
			    pkt_addr_format(&dv->peer, b, sizeof(b)));
		else
			diag_add(d, NULL, 0, "  delivered %s:%u (%s) from %s:%u",
			    scn_party_name(s, dv->jail), dv->lport,
			    pkt_addr_format(&dv->local, a, sizeof(a)),
			    pkt_addr_format(&dv->peer, b, sizeof(b)), dv->pport);
	}
}

/* Deliveries of connections and datagrams (ICMP messages are not what `expect not
 * delivered` means: version 1 counted what the sinks accepted). */
static int
ndeliv_l4(const struct verify_obs *o)
{
	int i, n = 0;

	for (i = 0; i < o->ndeliv; i++)
		n += !is_icmp(&o->deliv[i]);
	return (n);
}

static int
check_delivered(const struct scn *s, const struct scn_step *st,
    const struct verify_obs *o, struct diag *d)
{
	int i, n = 0;

	for (i = 0; i < o->ndeliv; i++)
		n += deliv_match(st, &o->deliv[i]);
	if (n == 1)
		return (1);
	if (n == 0)
		diag_add(d, s->path, st->line, "%s: not delivered (%d deliveries seen)",
		    st->text, st->proto == IPPROTO_ICMP ? o->ndeliv - ndeliv_l4(o) :
		    ndeliv_l4(o));
	else
		diag_add(d, s->path, st->line, "%s: delivered %d times, expected once",
		    st->text, n);
	deliv_list(s, o, st->proto == IPPROTO_ICMP, d);
	return (0);
}

/* The place of a state's variable in the pattern and in a parsed state. */
static void
state_place(struct scn_state_pat *sp, const struct pfctl_state *ps,
    enum scn_state_field which, struct pkt_addr **pa, struct pkt_range **pr,
    const struct pfctl_host **h)
{
	*pa = which < SCN_ST_B ? &sp->a : which < SCN_ST_C ? &sp->b : &sp->c;
	*pr = which < SCN_ST_B ? &sp->ap : which < SCN_ST_C ? &sp->bp : &sp->cp;
	*h = which < SCN_ST_B ? &ps->a : which < SCN_ST_C ? &ps->b : &ps->c;
	if (which % 2 == 0)
		*pr = NULL;
	else
		*pa = NULL;
}

/* The state line ps against the step's pattern, its variables taken from (bound) or
 * bound into (unbound) *vars. 1 on a match (vars then holds the new bindings). */
static int
state_match(const struct scn_step *st, const struct pfctl_state *ps,
    struct pkt_vars *vars)
{
	struct scn_state_pat sp = st->state;
	const struct pfctl_host *h;
	struct pkt_addr *pa;
	struct pkt_range *pr;
	struct pkt_var *b;
	int i, k;

	/* bound variables become exact fields; unbound ones match anything here */
	for (i = 0; i < sp.nvar; i++) {
		state_place(&sp, ps, sp.var[i].which, &pa, &pr, &h);
		for (k = 0, b = NULL; vars != NULL && k < vars->n && b == NULL; k++)
			if (strcmp(vars->v[k].name, sp.var[i].name) == 0)
				b = &vars->v[k];
		if (b == NULL || b->is_addr != (pa != NULL))
			continue;
		if (pa != NULL)
			*pa = b->addr;
		else {
			pr->set = 1;
			pr->lo = pr->hi = b->num;
		}
	}
	if (!pfctl_state_match(&sp, ps))
		return (0);
	for (i = 0; i < sp.nvar && vars != NULL; i++) {
		state_place(&sp, ps, sp.var[i].which, &pa, &pr, &h);
		for (k = 0, b = NULL; k < vars->n && b == NULL; k++)
			if (strcmp(vars->v[k].name, sp.var[i].name) == 0)
				b = &vars->v[k];
		if (b != NULL) {
			/* bound before, or twice in this pattern: the same value */
			if (b->is_addr != (pa != NULL) || (pa != NULL ?
			    !pkt_addr_eq(&b->addr, &h->addr) : b->num != h->port))
				return (0);
			continue;
		}
		if (vars->n == PKT_VARS_MAX)
			return (0);
		b = &vars->v[vars->n++];
		memset(b, 0, sizeof(*b));
		snprintf(b->name, sizeof(b->name), "%s", sp.var[i].name);
		b->is_addr = pa != NULL;
		b->addr = h->addr;
		b->num = h->port;
		b->line = st->line;
	}
	return (1);
}

/* A state as the step describes it is there (want 1) or is not (want 0). The
 * variables of the state found are bound. */
static int
check_state(const struct scn *s, const struct scn_step *st, const struct verify_obs *o,
    struct diag *d, int want)
{
	const char *p = o->states, *nl;
	char line[512];
	struct pfctl_state ps;
	struct pkt_vars scratch;
	size_t n;

	if (p == NULL) {
		diag_add(d, s->path, st->line, "%s: the target gave no state table", st->text);
		return (0);
	}
	for (; *p != '\0'; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n >= sizeof(line))
			continue;
		memcpy(line, p, n);
		line[n] = '\0';
		if (o->vars != NULL)
			scratch = *o->vars;
		else
			scratch.n = 0;
		if (pfctl_state_parse_line(line, &ps) == 0 &&
		    state_match(st, &ps, &scratch)) {
			if (want) {
				if (o->vars != NULL)
					*o->vars = scratch;
				return (1);
			}
			diag_add(d, s->path, st->line, "%s: but there is:", st->text);
			diag_add(d, NULL, 0, "  %s", line);
			return (0);
		}
	}
	if (!want)
		return (1);
	diag_add(d, s->path, st->line, "%s: no such state; the table holds:", st->text);
	diag_raw(d, o->states[0] != '\0' ? o->states : "  (no states)");
	return (0);
}

/* The view's pfctl words into av ("pfctl", [-a ANCHOR], the rest); how many. */
static int
view_args(const char **av, const char *anchor, const char *const *rest)
{
	int n = 0;

	av[n++] = "pfctl";
	if (anchor != NULL) {
		av[n++] = "-a";
		av[n++] = anchor;
	}
	while (*rest != NULL && n < VERIFY_ARGS - 1)
		av[n++] = *rest++;
	av[n] = NULL;
	return (n);
}

int
verify_views(const struct scn_step *st, const char *av[VERIFY_VIEWS][VERIFY_ARGS])
{
	static const char *const info[] = { "-s", "info", "-v", NULL };
	static const char *const rules[] = { "-s", "rules", "-vv", NULL };
	static const char *const nat[] = { "-s", "nat", "-vv", NULL };
	static const char *const sources[] = { "-s", "Sources", NULL };
	const char *table[] = { "-t", st->book.name, "-T", "show", NULL };

	switch (st->kind) {
	case SCN_EXPECT_TABLE:
		view_args(av[0], st->book.anchor, table);
		return (1);
	case SCN_EXPECT_COUNTER:
		view_args(av[0], NULL, info);
		return (1);
	case SCN_EXPECT_RULE:
		view_args(av[0], NULL, rules);
		if (st->book.rule_nr >= 0)
			return (1);
		view_args(av[1], NULL, nat);	/* a label may be a translation rule's */
		return (2);
	case SCN_EXPECT_SRCNODE:
		view_args(av[0], NULL, sources);
		return (1);
	case SCN_EXPECT_VIEW:
		return (verify_view_args(st, av[0]));
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
	case SCN_EXPECT_LOAD_ERROR:
		break;
	}
	return (0);
}

int
verify_needs_states(const struct scn_step *st)
{
	return (st->kind == SCN_EXPECT_STATE || st->kind == SCN_EXPECT_NO_STATE);
}

int
verify_step(const struct scn *s, const struct scn_probe *p, const struct scn_step *st,
    const struct verify_obs *o, struct diag *d)
{
	switch (st->kind) {
	case SCN_SEND:
	case SCN_CONNECT:
		return (1);
	case SCN_EXPECT_REPLY:
	case SCN_EXPECT_WIRE:
		return (check_frames(s, p, st, o, d));
	case SCN_EXPECT_NO_REPLY:
		return (check_none(s, p, st, o, 1, d));
	case SCN_EXPECT_NO_WIRE:
		return (check_none(s, p, st, o, 0, d));
	case SCN_EXPECT_DELIVERED:
		return (check_delivered(s, st, o, d));
	case SCN_EXPECT_NOT_DELIVERED:
		if (ndeliv_l4(o) == 0)
			return (1);
		diag_add(d, s->path, st->line, "%s: but the jails accepted", st->text);
		deliv_list(s, o, 0, d);
		return (0);
	case SCN_EXPECT_CONNECT:
		if (st->outcome == SCN_CONN_FAILED ? o->outcome != SCN_CONN_OK :
		    o->outcome == (int)st->outcome)
			return (1);
		diag_add(d, s->path, st->line, "field connect: expected %s vs actual %s",
		    outcome_word(st->outcome), outcome_word(o->outcome));
		return (0);
	case SCN_EXPECT_STATE:
		return (check_state(s, st, o, d, 1));
	case SCN_EXPECT_NO_STATE:
		return (check_state(s, st, o, d, 0));
	case SCN_PFCTL:
	case SCN_SYSCTL:
	case SCN_WAIT:
		return (1);
	case SCN_EXPECT_TABLE:
	case SCN_EXPECT_COUNTER:
	case SCN_EXPECT_RULE:
	case SCN_EXPECT_SRCNODE:
	case SCN_EXPECT_VIEW:
	case SCN_EXPECT_LOAD_ERROR:
		return (verify_book(s, st, o, d));
	}
	return (0);
}
