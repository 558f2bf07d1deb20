/* run_probe.c: one probe's steps on one target: sends and connects, runtime pfctl,
 * sysctl and wait, then each expectation checked against what the target observed
 * or what pfctl's views show; on failure, the ruleset, states and counters dumped. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run_probe.h"
#include "verdict/verify.h"

/* How long a settle may take before the probe fails. A settle normally ends in well
 * under a millisecond (the sentinel's echo comes back); the bound only matters when
 * something is wrong, or when the machine is so loaded that the hook process is not
 * scheduled for seconds (seen at load averages of 9-11 on two cores with 3 s). */
#define SETTLE_MS	10000

/* One probe being played. */
struct probe_run {
	const struct scn	*s;
	const struct scn_probe	*p;
	const struct target_ops	*ops;
	struct target		*t;
	struct verify_obs	 obs;
	struct diag		 d;
	char			*states;	/* pfctl -ss, fetched once per settle */
	struct target_pfctl	 last;		/* the last pfctl step's result */
	int			 have_last;
	int			 pending;	/* sends not yet settled */
	int			 expected;	/* expectations since the last sends */
	int			 fbase, dbase;	/* observations before those sends */
	int			 ok, fatal;
};

double
run_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6);
}

static int
write_file(const char *path, const char *text)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		return (-1);
	fputs(text != NULL ? text : "", f);
	return (fclose(f));
}

void
run_dump_failure(struct report *rep, const struct target_ops *ops, struct target *t,
    const char *dir, int pn)
{
	static const struct {
		const char	*label, *file;
	} what[] = {
		{ "translation rules (pfctl -sn -vv)", "nat" },
		{ "filter rules (pfctl -sr -vv)", "rules" },
		{ "state table (pfctl -ss)", "states" },
		{ "counters (pfctl -si)", "counters" },
	};
	char *(*show[])(struct target *) = { ops->nat, ops->rules, ops->states,
	    ops->counters };
	char path[1200], *text;
	size_t i;

	for (i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
		if (show[i] == NULL || (text = show[i](t)) == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/probe%02d-%s-%s.txt", dir, pn, ops->name,
		    what[i].file);
		(void)write_file(path, text);
		report_scn_attach(rep, what[i].label, text);
		free(text);
	}
}

/* Wait for what the sends caused, then take the observations since them. */
static void
settle(struct probe_run *r)
{
	int n;

	if (!r->pending)
		return;
	if (r->ops->settle(r->t, SETTLE_MS, &r->d) == -1)
		r->fatal = 1;
	r->obs.frame = r->ops->frames(r->t, &n);
	r->obs.nframe = n - r->fbase;
	if (r->obs.frame != NULL)
		r->obs.frame += r->fbase;
	r->obs.deliv = r->ops->deliveries(r->t, &n);
	r->obs.ndeliv = n - r->dbase;
	if (r->obs.deliv != NULL)
		r->obs.deliv += r->dbase;
	r->obs.outcome = r->ops->connect_outcome(r->t);
	free(r->states);
	r->states = NULL;
	r->pending = 0;
}

/* A pfctl step: pfctl's failure fails the probe unless `expect load error` follows. */
static void
step_pfctl(struct probe_run *r, int i)
{
	const struct scn_step *st = &r->p->step[i];

	target_pfctl_free(&r->last);
	if (r->ops->pfctl == NULL) {
		diag_add(&r->d, r->s->path, st->line, "%s: the %s target cannot run pfctl",
		    st->text, r->ops->name);
		r->fatal = 1;
		return;
	}
	if (r->ops->pfctl(r->t, &st->pfctl, &r->last, &r->d) == -1) {
		r->fatal = 1;
		return;
	}
	r->have_last = 1;
	r->obs.last_pfctl = &r->last;
	if (r->last.status != 0 && !(i + 1 < r->p->nstep &&
	    r->p->step[i + 1].kind == SCN_EXPECT_LOAD_ERROR)) {
		diag_add(&r->d, r->s->path, st->line, "%s: pfctl failed (exit %d):",
		    st->text, r->last.status);
		diag_raw(&r->d, r->last.err[0] != '\0' ? r->last.err : r->last.out);
		r->ok = 0;
	}
}

/* The runtime steps: pfctl, sysctl, wait. What they change may change the states. */
static void
runtime(struct probe_run *r, int i)
{
	const struct scn_step *st = &r->p->step[i];

	settle(r);
	if (r->fatal)
		return;
	switch (st->kind) {
	case SCN_PFCTL:
		step_pfctl(r, i);
		break;
	case SCN_SYSCTL:
		if (r->ops->sysctl == NULL || r->ops->sysctl(r->t, st->name, st->value,
		    &r->d) == -1) {
			diag_add(&r->d, r->s->path, st->line, "%s: refused", st->text);
			r->ok = 0;
		}
		break;
	case SCN_WAIT:
		if (r->ops->wait == NULL || r->ops->wait(r->t, st->wait_ms, &r->d) == -1)
			r->fatal = 1;
		break;
	default:
		break;
	}
	free(r->states);
	r->states = NULL;
}

/* The pfctl views step st reads, into views (freed by the caller); 0 or -1. */
static int
fetch_views(struct probe_run *r, const struct scn_step *st,
    struct target_pfctl views[VERIFY_VIEWS])
{
	const char *av[VERIFY_VIEWS][VERIFY_ARGS];
	struct scn_pfctl c;
	int i, n;

	n = verify_views(st, av);
	for (i = 0; i < n; i++) {
		memset(&c, 0, sizeof(c));
		c.argv = (char **)(uintptr_t)av[i];
		for (c.argc = 0; av[i][c.argc] != NULL; c.argc++)
			;
		if (r->ops->pfctl == NULL || r->ops->pfctl(r->t, &c, &views[i], &r->d) == -1)
			return (-1);
		r->obs.view[i] = &views[i];
	}
	return (0);
}

/* One expectation: settle the sends first, read what it needs, check it. */
static void
expect(struct probe_run *r, const struct scn_step *st)
{
	struct target_pfctl views[VERIFY_VIEWS];
	int i;

	settle(r);
	if (r->fatal)
		return;
	memset(views, 0, sizeof(views));
	memset(r->obs.view, 0, sizeof(r->obs.view));
	if (verify_needs_states(st) && r->states == NULL)
		r->states = r->ops->states(r->t);
	r->obs.states = r->states;
	if (fetch_views(r, st, views) == -1)
		r->fatal = 1;
	else if (!verify_step(r->s, r->p, st, &r->obs, &r->d))
		r->ok = 0;
	for (i = 0; i < VERIFY_VIEWS; i++)
		target_pfctl_free(&views[i]);
	memset(r->obs.view, 0, sizeof(r->obs.view));
	r->expected = 1;
}

/* Send k, on the wire of its source or `on IF`'s. 0 or -1. */
static int
send_on_wire(struct probe_run *r, const struct scn_step *st, const struct pkt *k)
{
	if (r->ops->send_on != NULL)
		return (r->ops->send_on(r->t, st->wire, k, &r->d));
	if (st->wire > 0) {
		diag_add(&r->d, r->s->path, st->line, "%s: the %s target has one wire, "
		    "the first host interface's", st->text, r->ops->name);
		return (-1);
	}
	return (r->ops->send(r->t, k, &r->d));
}

/* A send: its `$NAME` fields filled from the variables bound so far. */
static void
step_send(struct probe_run *r, const struct scn_step *st)
{
	struct pkt *k;
	char err[256];

	if (st->pkt.nvar == 0) {
		if (send_on_wire(r, st, &st->pkt) == -1)
			r->fatal = 1;
		return;
	}
	if ((k = malloc(sizeof(*k))) == NULL) {
		r->fatal = 1;
		return;
	}
	*k = st->pkt;
	if (pkt_vars_subst(k, r->obs.vars, err, sizeof(err)) == -1) {
		diag_add(&r->d, r->s->path, st->line, "%s: %s", st->text, err);
		r->fatal = 1;
	} else if (send_on_wire(r, st, k) == -1)
		r->fatal = 1;
	free(k);
}

/* The probe's steps in order. */
static void
play(struct probe_run *r, volatile sig_atomic_t *stop)
{
	const struct scn_step *st;
	int i;

	for (i = 0; i < r->p->nstep && !r->fatal && !*stop; i++) {
		st = &r->p->step[i];
		if ((st->kind == SCN_SEND || st->kind == SCN_CONNECT) && r->expected) {
			/* a send after expectations: what follows is judged on its own */
			(void)r->ops->frames(r->t, &r->fbase);
			(void)r->ops->deliveries(r->t, &r->dbase);
			r->expected = 0;
		}
		if (st->kind == SCN_SEND) {
			step_send(r, st);
			r->pending = 1;
		} else if (st->kind == SCN_CONNECT) {
			if (r->ops->jail_connect(r->t, st->jail, st->proto, &st->addr, st->port,
			    st->has_from ? &st->from : NULL, st->has_from ?
			    (uint16_t)st->from_port.lo : 0, &r->d) == -1)
				r->fatal = 1;
			r->pending = 1;
		} else if (st->kind == SCN_PFCTL || st->kind == SCN_SYSCTL ||
		    st->kind == SCN_WAIT)
			runtime(r, i);
		else
			expect(r, st);
	}
}

enum rep_status
run_probe(const struct scn *s, int pn, const struct target_ops *ops, struct target *t,
    const char *dir, struct report *rep, struct pkt_vars *vars,
    volatile sig_atomic_t *stop)
{
	struct probe_run r;
	char pcap[1200];
	double t0 = run_now_ms();
	enum rep_status st;

	memset(&r, 0, sizeof(r));
	r.s = s;
	r.p = &s->probe[pn];
	r.ops = ops;
	r.t = t;
	r.ok = 1;
	r.obs.outcome = -1;
	r.obs.vars = vars;
	snprintf(pcap, sizeof(pcap), "%s/probe%02d-%s.pcap", dir, pn + 1, ops->name);
	if (ops->probe_begin(t, pcap, &r.d) == -1)
		r.fatal = 1;
	play(&r, stop);
	ops->probe_end(t);
	free(r.states);
	target_pfctl_free(&r.last);
	if (*stop)
		diag_add(&r.d, NULL, 0, "interrupted");
	st = r.fatal || *stop ? REP_ERROR : r.ok ? REP_PASS : REP_FAIL;
	report_probe(rep, r.p->title, r.p->line, st, r.d.count ? diag_text(&r.d) : NULL,
	    run_now_ms() - t0);
	if (st != REP_PASS && !*stop)
		run_dump_failure(rep, ops, t, dir, pn + 1);
	diag_free(&r.d);
	return (st);
}
