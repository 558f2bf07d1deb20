/* work_pts.c: a bench run's points as both platforms run them (work_pts.h): the
 * generator alone, full offer and the loss-free search, a trial's counts, progress,
 * rows, the run over the workloads. Linked by the Linux (work_linux.c) and FreeBSD
 * (bench_run_freebsd.c) halves, so that both measure a point the same way. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "work_pts.h"

void
bench_pts_progress(struct bench_pts *p, const struct bench_wl *wl, int mode, long size,
    int run)
{
	if (!p->cfg->progress)
		return;
	fprintf(stderr, "\rbench: [%d/%d] %-8s %-4s %8ld %s run %d/%d   ", ++p->done,
	    p->total, wl->name, bench_mode_name[mode], size, wl->size_unit, run,
	    p->cfg->runs);
	fflush(stderr);
}

int
bench_pts_row(struct bench_pts *p, const struct bench_wl *wl, int mode, long size,
    int run, const char *metric, double v)
{
	if (p->csv == NULL || bench_csv_add(p->csv, wl->name, bench_mode_name[mode], size,
	    wl->size_unit, run, metric, v) == 0)
		return (0);
	snprintf(p->err, p->errlen, "cannot write the results file");
	return (-1);
}

static uint64_t
drops(struct bench_pts *p, struct recv_counter *rc, enum recv_kind rk)
{
	return (p->drops != NULL ? p->drops(p->arg, rc, rk) : 0);
}

void
bench_pts_settle(struct bench_pts *p, struct recv_counter *rc, enum recv_kind rk)
{
	struct timespec ts = { 0, 20 * 1000000L };
	uint64_t last = p->io->recv_count(rc) + drops(p, rc, rk), now;
	int still = 0, i;

	for (i = 0; i < 100 && still < 3; i++) {
		nanosleep(&ts, NULL);
		now = p->io->recv_count(rc) + drops(p, rc, rk);
		still = now == last ? still + 1 : 0;
		last = now;
	}
}

int
bench_pts_measure(struct bench_pts *p, struct bench_gen *g, struct recv_counter *rc,
    enum recv_kind rk, double pps, double secs, struct bench_sample *s)
{
	struct gen_result gr;
	uint64_t d0, r0;

	d0 = drops(p, rc, rk);
	r0 = p->io->recv_count(rc);
	if (p->io->gen_send(g, UINT64_MAX, pps, secs, p->cfg->stop, &gr, p->err,
	    p->errlen) == -1)
		return (-1);
	bench_pts_settle(p, rc, rk);
	s->sent = gr.sent;
	s->secs = gr.seconds > 0 ? gr.seconds : 1e-9;
	s->recv = p->io->recv_count(rc) - r0;
	s->drops = drops(p, rc, rk) - d0;
	return (0);
}

struct trial {
	struct bench_pts	*p;
	struct bench_gen	*g;
	struct recv_counter	*rc;
	enum recv_kind		 rk;
};

static int
trial(void *arg, double pps, uint64_t *sent, uint64_t *recv, double *secs)
{
	struct trial *t = arg;
	struct bench_sample s;

	if (bench_pts_measure(t->p, t->g, t->rc, t->rk, pps, t->p->cfg->trial, &s) == -1)
		return (-1);
	*sent = s.sent;
	*recv = s.recv;
	*secs = s.secs;
	return (0);
}

int
bench_pts_lossfree(struct bench_pts *p, struct bench_gen *g, struct recv_counter *rc,
    enum recv_kind rk, const struct bench_sample *full, double *out)
{
	struct trial t = { p, g, rc, rk };

	if (full->recv >= full->sent) {
		*out = full->recv / full->secs;
		return (0);
	}
	return (bench_lossfree(trial, &t, p->cfg->steps, full->sent / full->secs,
	    p->cfg->stop, out));
}

int
bench_pts_sizes(const struct bench_pts *p, const struct bench_wl *wl, long sz[8],
    long *base)
{
	int n = bench_wl_sizes(wl, p->cfg->full, sz);

	/* Without pf there are no rules and no states: those points are size 0. */
	*base = strcmp(wl->name, "states") == 0 || strcmp(wl->name, "rules") == 0 ? 0 :
	    sz[0];
	return (n);
}

int
bench_pts_lossfree_row(struct bench_pts *p, struct bench_gen *g, struct recv_counter *rc,
    const struct bench_wl *wl, int m, long size, int r, const struct bench_sample *full)
{
	double lf;

	if (p->cfg->steps == 0)
		return (0);
	if (bench_pts_lossfree(p, g, rc, wl->rk, full, &lf) == -1)
		return (-1);
	return (bench_pts_row(p, wl, m, size, r, "lossfree_pps", lf));
}

int
bench_pts_state_rows(struct bench_pts *p, struct bench_gen *g, struct recv_counter *rc,
    const struct bench_wl *wl, long size, int r, uint64_t n, double insert_rate,
    double mem, struct bench_sample *s)
{
	if (bench_pts_row(p, wl, BENCH_M_PF, size, r, "states", (double)n) == -1 ||
	    bench_pts_row(p, wl, BENCH_M_PF, size, r, "insert_rate", insert_rate) == -1 ||
	    (n > 0 && bench_pts_row(p, wl, BENCH_M_PF, size, r, "state_mem",
	    mem / (double)n) == -1) ||
	    bench_pts_measure(p, g, rc, wl->rk, 0, p->cfg->dur, s) == -1 ||
	    bench_pts_row(p, wl, BENCH_M_PF, size, r, "rx_pps", s->recv / s->secs) == -1 ||
	    bench_pts_row(p, wl, BENCH_M_PF, size, r, "tx_pps", s->sent / s->secs) == -1)
		return (-1);
	return (0);
}

int
bench_pts_open(struct bench_pts *p, const struct bench_wl *wl, uint64_t flows,
    struct bench_gen **g, struct recv_counter **rc)
{
	if ((*g = p->gen_for(p->arg, wl, p->side_wire[wl->gen], flows)) == NULL)
		return (-1);
	if ((*rc = p->recv_for(p->arg, wl)) == NULL) {
		p->io->gen_close(*g);
		return (-1);
	}
	return (0);
}

void
bench_pts_close(struct bench_pts *p, struct bench_gen *g, struct recv_counter *rc)
{
	p->io->recv_stop(rc);
	p->io->gen_close(g);
}

int
bench_pts_gen(struct bench_pts *p, const struct bench_wl *wl, long size)
{
	struct bench_gen *g;
	struct gen_result gr;
	int r, rc = 0;

	if ((g = p->gen_for(p->arg, wl, p->gen_alone, BENCH_FLOWS)) == NULL)
		return (-1);
	for (r = 1; r <= p->cfg->runs && !*p->cfg->stop && rc == 0; r++) {
		bench_pts_progress(p, wl, BENCH_M_GEN, size, r);
		if (p->io->gen_send(g, UINT64_MAX, 0, p->cfg->dur, p->cfg->stop, &gr, p->err,
		    p->errlen) == -1)
			rc = -1;
		else
			rc = bench_pts_row(p, wl, BENCH_M_GEN, size, r, "tx_pps",
			    gr.sent / gr.seconds);
	}
	p->io->gen_close(g);
	return (rc);
}

int
bench_pts_traffic(struct bench_pts *p, const struct bench_wl *wl, int m, long size)
{
	struct bench_gen *g;
	struct recv_counter *rc;
	struct bench_sample s;
	int r, err = 0;

	if (bench_pts_open(p, wl, BENCH_FLOWS, &g, &rc) == -1)
		return (-1);
	for (r = 1; r <= p->cfg->runs && !*p->cfg->stop && !err; r++) {
		bench_pts_progress(p, wl, m, size, r);
		if (bench_pts_measure(p, g, rc, wl->rk, 0, p->cfg->dur, &s) == -1 ||
		    bench_pts_row(p, wl, m, size, r, "tx_pps", s.sent / s.secs) == -1 ||
		    bench_pts_row(p, wl, m, size, r, "rx_pps", s.recv / s.secs) == -1 ||
		    bench_pts_row(p, wl, m, size, r, "loss",
		    bench_loss_pct(s.sent, s.recv)) == -1)
			err = 1;
		else if (bench_pts_lossfree_row(p, g, rc, wl, m, size, r, &s) == -1)
			err = 1;
	}
	bench_pts_close(p, g, rc);
	return (err ? -1 : 0);
}

int
bench_pts_fill(struct bench_pts *p, struct bench_gen *g, struct recv_counter *rc,
    enum recv_kind rk, long size, int (*states)(void *arg, uint64_t *n), double *t1)
{
	struct gen_result gr;
	double pps = 0, tp;
	uint64_t r0, n = 0, before;
	int pass;

	for (pass = 0; pass < 8 && n < (uint64_t)size && !*p->cfg->stop; pass++) {
		before = n;
		tp = bench_now();
		p->io->gen_rewind(g);
		r0 = p->io->recv_count(rc);
		if (p->io->gen_send(g, (uint64_t)size, pps, 0, p->cfg->stop, &gr, p->err,
		    p->errlen) == -1)
			return (-1);
		bench_pts_settle(p, rc, rk);
		*t1 = bench_now() - 0.06;	/* settle waited 3 x 20 ms of quiet */
		if (states(p->arg, &n) == -1)
			return (-1);
		if (pass > 0 && n <= before)
			break;
		pps = 0.9 * (double)(p->io->recv_count(rc) - r0) / (*t1 - tp);
		if (pps < 1000)
			pps = 1000;
	}
	return (0);
}

int
bench_pts_run(struct bench_pts *p,
    int (*workload)(void *arg, const struct bench_wl *, int count_only),
    int (*up)(void *arg), void (*down)(void *arg, int rc))
{
	const struct bench_cfg *cfg = p->cfg;
	size_t i;
	int rc = 0;

	for (i = 0; i < BENCH_NWL; i++)
		if (cfg->only == NULL || strcmp(cfg->only, bench_wls[i].name) == 0)
			p->total += workload(p->arg, &bench_wls[i], 1);
	if (up(p->arg) == -1)
		return (-1);
	for (i = 0; i < BENCH_NWL && rc == 0 && !*cfg->stop; i++)
		if (cfg->only == NULL || strcmp(cfg->only, bench_wls[i].name) == 0)
			rc = workload(p->arg, &bench_wls[i], 0);
	if (cfg->progress)
		fprintf(stderr, "\n");
	down(p->arg, rc);
	if (rc == 0 && *cfg->stop) {
		snprintf(p->err, p->errlen, "interrupted");
		return (-1);
	}
	return (rc);
}
