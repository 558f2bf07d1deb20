/* rounds.c: a workload's arms measured in rounds of random order (rounds.h), each run
 * after a warm-up, with the machine's load beside it. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "rounds.h"

void
bench_rounds_seed(struct bench_rounds *r, unsigned long seed)
{
	if (seed == 0)
		seed = (unsigned long)time(NULL) ^ ((unsigned long)(bench_now() * 1e6) << 8);
	r->seed = seed;
	r->rng = seed * 2654435761UL + 1;
}

/* xorshift64*: a small generator whose sequence a seed reproduces everywhere. */
static unsigned long
next_rand(struct bench_rounds *r)
{
	unsigned long long x = r->rng ? r->rng : 88172645463325252ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->rng = (unsigned long)x;
	return ((unsigned long)((x * 2685821657736338717ULL) >> 33));
}

void
bench_rounds_shuffle(struct bench_rounds *r, int *order, int n)
{
	int i, j, t;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = (int)(next_rand(r) % (unsigned long)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

static uint64_t
drops(struct bench_pts *p, struct recv_counter *rc, enum recv_kind rk)
{
	return (p->drops != NULL ? p->drops(p->arg, rc, rk) : 0);
}

int
bench_rounds_measure(struct bench_rounds *r, struct bench_gen *g, struct recv_counter *rc,
    enum recv_kind rk, double secs, struct bench_sample *s, uint64_t *rx_window)
{
	struct bench_pts *p = r->p;
	struct gen_result gr;
	uint64_t d0, r0, r1, k0 = 0, k1 = 0, n0 = 0, n1 = 0, t0 = 0, t1 = 0;
	double c0 = 0, c1 = 0;
	int hc, pt;

	/* The warm-up fills the queues and the caches; what it sends is not counted,
	 * and what arrives during the window is the steady rate (the window's own
	 * packets still queued at its end stand for the warm-up's still queued at its
	 * start). */
	if (r->warmup > 0 && p->io->gen_send(g, UINT64_MAX, 0, r->warmup, p->cfg->stop,
	    &gr, p->err, p->errlen) == -1)
		return (-1);
	d0 = drops(p, rc, rk);
	r0 = p->io->recv_count(rc);
	hc = r->hook_cost != NULL && r->hook_cost(p->arg, r->arm, &c0, &k0) == 0;
	pt = r->pf_time != NULL && r->pf_time(p->arg, r->arm, &n0, &t0) == 0;
	if (p->io->gen_send(g, UINT64_MAX, 0, secs, p->cfg->stop, &gr, p->err,
	    p->errlen) == -1)
		return (-1);
	r1 = p->io->recv_count(rc);
	r->hook_ns = -1;
	if (hc && r->hook_cost(p->arg, r->arm, &c1, &k1) == 0 && k1 > k0)
		r->hook_ns = (c1 - c0) * 1e9 / (double)(k1 - k0);
	r->pf_ns = -1;
	if (pt && r->pf_time(p->arg, r->arm, &n1, &t1) == 0 && t1 > t0)
		r->pf_ns = (double)(n1 - n0) / (double)(t1 - t0);
	bench_pts_settle(p, rc, rk);
	s->sent = gr.sent;
	s->secs = gr.seconds > 0 ? gr.seconds : 1e-9;
	s->recv = p->io->recv_count(rc) - r0;
	s->drops = drops(p, rc, rk) - d0;
	*rx_window = r1 - r0;
	return (0);
}

static int
row(struct bench_rounds *r, const struct bench_wl *wl, const struct bench_arm *a,
    int round, const char *metric, double v)
{
	struct bench_pts *p = r->p;

	if (p->csv == NULL || bench_csv_add(p->csv, wl->name, a->mode, a->size,
	    wl->size_unit, round, metric, v) == 0)
		return (0);
	snprintf(p->err, p->errlen, "cannot write the results file");
	return (-1);
}

/* The rows of the machine's load during a run. */
static int
load_rows(struct bench_rounds *r, const struct bench_wl *wl, const struct bench_arm *a,
    int round, const struct bench_machine *m0, const struct bench_machine *m1)
{
	struct bench_load l;

	bench_machine_load(m0, m1, &l);
	r->loaded += l.loaded;
	if (row(r, wl, a, round, "load", l.load1) == -1 ||
	    row(r, wl, a, round, "cpu_others", l.others) == -1 ||
	    row(r, wl, a, round, "steal", l.steal) == -1 ||
	    (l.mhz > 0 && row(r, wl, a, round, "cpu_mhz", l.mhz) == -1))
		return (-1);
	return (0);
}

/* One run of arm a with its generator g (and the workload's counter rc). */
static int
run_arm(struct bench_rounds *r, const struct bench_wl *wl, const struct bench_arm *a,
    struct bench_gen *g, struct recv_counter *rc, int round)
{
	struct bench_pts *p = r->p;
	struct bench_machine m0, m1;
	struct bench_sample s;
	struct gen_result gr;
	uint64_t rxw;
	double lf;

	r->arm = a;
	r->hook_ns = r->pf_ns = -1;
	if (a->states && r->states(p->arg, wl, a, g, rc, round, &s) == -1)
		return (-1);
	if (r->snap != NULL)
		r->snap(p->arg, &m0);
	if (a->gen_alone) {
		if ((r->warmup > 0 && p->io->gen_send(g, UINT64_MAX, 0, r->warmup,
		    p->cfg->stop, &gr, p->err, p->errlen) == -1) ||
		    p->io->gen_send(g, UINT64_MAX, 0, p->cfg->dur, p->cfg->stop, &gr, p->err,
		    p->errlen) == -1 ||
		    row(r, wl, a, round, "tx_pps", gr.sent / gr.seconds) == -1)
			return (-1);
	} else if (bench_rounds_measure(r, g, rc, wl->rk, p->cfg->dur, &s, &rxw) == -1 ||
	    row(r, wl, a, round, "tx_pps", s.sent / s.secs) == -1 ||
	    row(r, wl, a, round, "rx_pps", rxw / s.secs) == -1 ||
	    row(r, wl, a, round, "loss", bench_loss_pct(s.sent, s.recv)) == -1 ||
	    (r->hook_ns >= 0 && row(r, wl, a, round, "hook_ns", r->hook_ns) == -1) ||
	    (r->pf_ns >= 0 && row(r, wl, a, round, "pf_ns", r->pf_ns) == -1))
		return (-1);
	if (r->snap != NULL) {
		r->snap(p->arg, &m1);
		if (load_rows(r, wl, a, round, &m0, &m1) == -1)
			return (-1);
	}
	r->runs++;
	if (a->gen_alone || p->cfg->steps == 0)
		return (0);
	if (bench_pts_lossfree(p, g, rc, wl->rk, &s, &lf) == -1)
		return (-1);
	return (row(r, wl, a, round, "lossfree_pps", lf));
}

static void
progress(struct bench_rounds *r, const struct bench_wl *wl, const struct bench_arm *a,
    int round)
{
	struct bench_pts *p = r->p;

	if (!p->cfg->progress)
		return;
	fprintf(stderr, "\rbench: [%d/%d] %-8s %-6s %8ld %s round %d/%d   ", ++p->done,
	    p->total, wl->name, a->mode, a->size, wl->size_unit, round, r->rounds);
	fflush(stderr);
}

static void
close_all(struct bench_rounds *r, struct bench_gen **g, int n, struct recv_counter *rc)
{
	int i;

	for (i = 0; i < n; i++)
		r->p->io->gen_close(g[i]);
	r->p->io->recv_stop(rc);
}

int
bench_rounds_run(struct bench_rounds *r, const struct bench_wl *wl,
    const struct bench_arm *arms, int narms)
{
	struct bench_pts *p = r->p;
	struct bench_gen *g[BENCH_ARMS_MAX] = { 0 };
	struct recv_counter *rc;
	struct bench_wl aw;
	int order[BENCH_ARMS_MAX], i, k, round, rv, err = 0;
	uint64_t flows;

	if (narms > BENCH_ARMS_MAX || (rc = p->recv_for(p->arg, wl)) == NULL)
		return (-1);
	for (i = 0; i < narms; i++) {
		aw = *wl;
		if (arms[i].dst != NULL)
			memcpy(aw.dst, arms[i].dst, 4);
		flows = arms[i].states ? (uint64_t)arms[i].size : BENCH_FLOWS;
		if ((g[i] = p->gen_for(p->arg, &aw, arms[i].gen_alone ? p->gen_alone :
		    p->side_wire[wl->gen], flows)) == NULL) {
			close_all(r, g, i, rc);
			return (-1);
		}
	}
	for (round = 1; round <= r->rounds && !*p->cfg->stop && !err; round++) {
		bench_rounds_shuffle(r, order, narms);
		for (k = 0; k < narms && !*p->cfg->stop && !err; k++) {
			i = order[k];
			progress(r, wl, &arms[i], round);
			if ((rv = r->setup(p->arg, wl, &arms[i])) == 1)
				continue;
			if (rv == -1 || run_arm(r, wl, &arms[i], g[i], rc, round) == -1)
				err = 1;
		}
	}
	close_all(r, g, narms, rc);
	return (err ? -1 : 0);
}
