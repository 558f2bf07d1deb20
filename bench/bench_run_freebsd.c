/* bench_run_freebsd.c: the workloads on the freebsd target (real pf): the points of
 * work_def.c (the same as on Linux: generator alone, pf off with `pfctl -d`, pf on
 * with the point's ruleset), N runs each, full-offer and loss-free throughput, the
 * state table's fill with pf's own counters (pfctl -si) and memory (vmstat -z); the
 * same CSV rows as work.c. The world is bench_world_freebsd.c's; the generator and the
 * counters are reached through struct bench_fbsd_io (the tests put fakes there). */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_run_freebsd.h"
#include "bench_world_freebsd.h"
#include "work_def.h"

enum mode { M_GEN, M_NOPF, M_PF };	/* bench_mode_name's order */

static const int side_wire[] = { BW_WIRE0, BW_WIRE1 };
static const int side_host[] = { BW_EM0, BW_EM1 };

struct world {
	struct bench_world	 bw;
	struct diag		 d;		/* the world's messages */
	const struct bench_cfg	*cfg;
	const struct bench_fbsd_io *io;
	const char		*dir;
	struct bench_csv	*csv;
	int			 done, total;	/* progress: runs */
	char			*err;
	size_t			 errlen;
};

struct sample {
	uint64_t	sent, recv;
	double		secs;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* The world's messages as the error, on one line. */
static int
world_err(struct world *w)
{
	size_t n;

	snprintf(w->err, w->errlen, "%s", diag_text(&w->d));
	n = strlen(w->err);
	while (n > 0 && w->err[n - 1] == '\n')
		w->err[--n] = '\0';
	diag_free(&w->d);
	return (-1);
}

static void
progress(struct world *w, const struct bench_wl *wl, enum mode m, long size, int run)
{
	if (!w->cfg->progress)
		return;
	fprintf(stderr, "\rbench: [%d/%d] %-8s %-4s %8ld %s run %d/%d   ", ++w->done,
	    w->total, wl->name, bench_mode_name[m], size, wl->size_unit, run, w->cfg->runs);
	fflush(stderr);
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait until packets stop arriving (at most 2 s): what is still in a queue (the epair's,
 * the socket's, BPF's buffer) has not been counted yet. */
static void
settle(struct world *w, struct recv_counter *rc)
{
	uint64_t last = w->io->recv_count(rc), cur;
	int still = 0, i;

	for (i = 0; i < 100 && still < 3; i++) {
		sleep_ms(20);
		cur = w->io->recv_count(rc);
		still = cur == last ? still + 1 : 0;
		last = cur;
	}
}

/* One trial: offer pps (0: full) for secs; count what arrived. */
static int
measure(struct world *w, struct bench_gen *g, struct recv_counter *rc, double pps,
    double secs, struct sample *s)
{
	struct gen_result gr;
	uint64_t r0 = w->io->recv_count(rc);

	if (w->io->gen_send(g, UINT64_MAX, pps, secs, w->cfg->stop, &gr, w->err, w->errlen) == -1)
		return (-1);
	settle(w, rc);
	s->sent = gr.sent;
	s->secs = gr.seconds > 0 ? gr.seconds : 1e-9;
	s->recv = w->io->recv_count(rc) - r0;
	return (0);
}

struct trial {
	struct world		*w;
	struct bench_gen	*g;
	struct recv_counter	*rc;
};

static int
trial(void *arg, double pps, uint64_t *sent, uint64_t *recv, double *secs)
{
	struct trial *t = arg;
	struct sample s;

	if (measure(t->w, t->g, t->rc, pps, t->w->cfg->trial, &s) == -1)
		return (-1);
	*sent = s.sent;
	*recv = s.recv;
	*secs = s.secs;
	return (0);
}

/* The loss-free rate: the full-offer run when it lost nothing, else the search. */
static int
lossfree(struct world *w, struct bench_gen *g, struct recv_counter *rc,
    const struct sample *full, double *out)
{
	struct trial t = { w, g, rc };

	if (full->recv >= full->sent) {
		*out = full->recv / full->secs;
		return (0);
	}
	return (bench_lossfree(trial, &t, w->cfg->steps, full->sent / full->secs,
	    w->cfg->stop, out));
}

static struct bench_gen *
gen_for(struct world *w, const struct bench_wl *wl, int port, uint64_t flows)
{
	struct gen_spec sp;

	memset(&sp, 0, sizeof(sp));
	sp.pkt.proto = IPPROTO_UDP;
	sp.pkt.src.af = sp.pkt.dst.af = AF_INET;
	memcpy(sp.pkt.src.a, wl->src, 4);
	memcpy(sp.pkt.dst.a, wl->dst, 4);
	sp.pkt.sport = 1024;
	sp.pkt.dport = wl->dport;
	sp.pkt.len = BENCH_PAYLOAD;
	memcpy(sp.src_mac, bench_world_mac[port], 6);
	/* the generator alone too: em0's MAC is not gen1's, so its frames die there */
	memcpy(sp.dst_mac, bench_world_mac[side_host[wl->gen]], 6);
	sp.nsrc = wl->nsrc;
	sp.nsport = (uint32_t)((flows + wl->nsrc - 1) / wl->nsrc);
	sp.nflows = flows;
	return (w->io->gen_open(w->bw.ifname[port], &sp, w->err, w->errlen));
}

static struct recv_counter *
recv_for(struct world *w, const struct bench_wl *wl)
{
	struct recv_spec rs;

	memset(&rs, 0, sizeof(rs));
	rs.kind = wl->rk;
	rs.port = wl->recv_port ? wl->recv_port : wl->dport;
	if (wl->rk == RECV_UDP)
		rs.netns = BENCH_WORLD_JAIL;
	else
		rs.ifname = w->bw.ifname[side_wire[wl->recv]];
	return (w->io->recv_start(&rs, w->err, w->errlen));
}

static int
row(struct world *w, const struct bench_wl *wl, enum mode m, long size, int run,
    const char *metric, double v)
{
	if (w->csv == NULL || bench_csv_add(w->csv, wl->name, bench_mode_name[m], size,
	    wl->size_unit, run, metric, v) == 0)
		return (0);
	snprintf(w->err, w->errlen, "cannot write the results file");
	return (-1);
}

/* The generator alone: sent on the spare epair, where the frames die unprocessed. */
static int
point_gen(struct world *w, const struct bench_wl *wl, long size)
{
	struct bench_gen *g;
	struct gen_result gr;
	int r, rc = 0;

	if ((g = gen_for(w, wl, BW_GEN0, BENCH_FLOWS)) == NULL)
		return (-1);
	for (r = 1; r <= w->cfg->runs && !*w->cfg->stop && rc == 0; r++) {
		progress(w, wl, M_GEN, size, r);
		if (w->io->gen_send(g, UINT64_MAX, 0, w->cfg->dur, w->cfg->stop, &gr, w->err,
		    w->errlen) == -1)
			rc = -1;
		else
			rc = row(w, wl, M_GEN, size, r, "tx_pps", gr.sent / gr.seconds);
	}
	w->io->gen_close(g);
	return (rc);
}

/* pf off (pfctl -d) for the generator alone and pf off, on with the point's ruleset
 * (a fresh state table) for pf on. 0 or -1. */
static int
setup_mode(struct world *w, const struct bench_wl *wl, enum mode m, long size)
{
	char *conf;
	int rc;

	if (m != M_PF)
		return (bench_world_pf(&w->bw, 0, NULL, &w->d) == -1 ? world_err(w) : 0);
	if ((conf = bench_wl_conf(wl, size)) == NULL) {
		snprintf(w->err, w->errlen, "out of memory");
		return (-1);
	}
	rc = bench_world_pf(&w->bw, 1, conf, &w->d);
	free(conf);
	return (rc == -1 ? world_err(w) : 0);
}

/* Full offer, then the loss-free search, `runs` times. */
static int
point_traffic(struct world *w, const struct bench_wl *wl, enum mode m, long size)
{
	struct bench_gen *g;
	struct recv_counter *rc;
	struct sample s;
	double lf;
	int r, err = 0;

	if ((g = gen_for(w, wl, side_wire[wl->gen], BENCH_FLOWS)) == NULL)
		return (-1);
	if ((rc = recv_for(w, wl)) == NULL) {
		w->io->gen_close(g);
		return (-1);
	}
	for (r = 1; r <= w->cfg->runs && !*w->cfg->stop && !err; r++) {
		progress(w, wl, m, size, r);
		if (measure(w, g, rc, 0, w->cfg->dur, &s) == -1 ||
		    row(w, wl, m, size, r, "tx_pps", s.sent / s.secs) == -1 ||
		    row(w, wl, m, size, r, "rx_pps", s.recv / s.secs) == -1 ||
		    row(w, wl, m, size, r, "loss", bench_loss_pct(s.sent, s.recv)) == -1) {
			err = 1;
			break;
		}
		if (w->cfg->steps > 0 && (lossfree(w, g, rc, &s, &lf) == -1 ||
		    row(w, wl, m, size, r, "lossfree_pps", lf) == -1))
			err = 1;
	}
	w->io->recv_stop(rc);
	w->io->gen_close(g);
	return (err ? -1 : 0);
}

/* Fill the table with `size` flows: a first pass at full offer, then passes paced just
 * below what the previous pass got through, until every flow has its state or passes
 * stop helping. *t1: when the last packet was handled; *in: pf's counters then. */
static int
fill(struct world *w, struct bench_gen *g, struct recv_counter *rc, long size,
    double *t1, struct pfctl_info *in)
{
	struct gen_result gr;
	double pps = 0, tp;
	uint64_t r0, before = 0;
	int pass;

	memset(in, 0, sizeof(*in));
	for (pass = 0; pass < 8 && in->states < (uint64_t)size && !*w->cfg->stop;
	    pass++) {
		before = in->states;
		tp = now();
		w->io->gen_rewind(g);
		r0 = w->io->recv_count(rc);
		if (w->io->gen_send(g, (uint64_t)size, pps, 0, w->cfg->stop, &gr, w->err,
		    w->errlen) == -1)
			return (-1);
		settle(w, rc);
		*t1 = now() - 0.06;	/* settle() waited 3 x 20 ms of quiet */
		if (bench_world_info(&w->bw, in, &w->d) == -1)
			return (world_err(w));
		if (pass > 0 && in->states <= before)
			break;
		pps = 0.9 * (double)(w->io->recv_count(rc) - r0) / (*t1 - tp);
		if (pps < 1000)
			pps = 1000;
	}
	return (0);
}

/* The state table at `size` flows: fill it (insert rate from pf's inserts counter,
 * memory per state from its UMA zones), then offer packets that all hit states. */
static int
point_states(struct world *w, const struct bench_wl *wl, long size)
{
	struct bench_gen *g;
	struct recv_counter *rc;
	struct pfctl_info i0, in, i2;
	struct sample s;
	uint64_t b0, b1;
	double t0, t1 = 0, lf;
	int r, err = 0;

	if ((g = gen_for(w, wl, side_wire[wl->gen], (uint64_t)size)) == NULL)
		return (-1);
	if ((rc = recv_for(w, wl)) == NULL) {
		w->io->gen_close(g);
		return (-1);
	}
	for (r = 1; r <= w->cfg->runs && !*w->cfg->stop && !err; r++) {
		progress(w, wl, M_PF, size, r);
		err = 1;
		if ((r > 1 && setup_mode(w, wl, M_PF, size) != 0) ||	/* a fresh table */
		    bench_world_info(&w->bw, &i0, &w->d) == -1 ||
		    bench_world_state_bytes(&w->bw, &b0, &w->d) == -1) {
			if (w->d.count > 0)
				world_err(w);
			break;
		}
		t0 = now();
		if (fill(w, g, rc, size, &t1, &in) == -1)
			break;
		if (bench_world_state_bytes(&w->bw, &b1, &w->d) == -1) {
			world_err(w);
			break;
		}
		if (row(w, wl, M_PF, size, r, "states", (double)in.states) == -1 ||
		    row(w, wl, M_PF, size, r, "insert_rate",
		    (double)(in.inserts - i0.inserts) / (t1 - t0)) == -1 ||
		    (in.states > 0 && row(w, wl, M_PF, size, r, "state_mem",
		    ((double)b1 - (double)b0) / (double)in.states) == -1) ||
		    measure(w, g, rc, 0, w->cfg->dur, &s) == -1 ||
		    row(w, wl, M_PF, size, r, "rx_pps", s.recv / s.secs) == -1 ||
		    row(w, wl, M_PF, size, r, "tx_pps", s.sent / s.secs) == -1)
			break;
		/* Every packet of the lookup run must have hit a state. */
		if (bench_world_info(&w->bw, &i2, &w->d) == -1) {
			world_err(w);
			break;
		}
		if (i2.inserts != in.inserts)
			fprintf(stderr, "\nbench: states %ld run %d: %llu states were created "
			    "during the lookup run (flows the fill missed)\n", size, r,
			    (unsigned long long)(i2.inserts - in.inserts));
		if (w->cfg->steps > 0 && (lossfree(w, g, rc, &s, &lf) == -1 ||
		    row(w, wl, M_PF, size, r, "lossfree_pps", lf) == -1))
			break;
		err = 0;
	}
	w->io->recv_stop(rc);
	w->io->gen_close(g);
	return (err ? -1 : 0);
}

/* A workload's points in order: the generator alone, pf off, pf on per size. */
static int
workload(struct world *w, const struct bench_wl *wl, int count_only)
{
	long sz[8], base;
	int n, i, states = strcmp(wl->name, "states") == 0;

	n = bench_wl_sizes(wl, w->cfg->full, sz);
	if (count_only)
		return (w->cfg->runs * (2 + n));
	/* Without pf there are no rules and no states: those points are size 0. */
	base = states || strcmp(wl->name, "rules") == 0 ? 0 : sz[0];
	if (setup_mode(w, wl, M_GEN, base) == -1 || point_gen(w, wl, base) == -1)
		return (-1);
	if (point_traffic(w, wl, M_NOPF, base) == -1)
		return (-1);
	for (i = 0; i < n && !*w->cfg->stop; i++)
		if (setup_mode(w, wl, M_PF, sz[i]) == -1 ||
		    (states ? point_states(w, wl, sz[i]) :
		    point_traffic(w, wl, M_PF, sz[i])) == -1)
			return (-1);
	return (0);
}

static int
world_up(struct world *w)
{
	if (bench_world_up(&w->bw, w->dir, &w->d) == -1)
		return (world_err(w));
	return (0);
}

int
bench_fbsd_run(const struct bench_cfg *cfg, struct bench_csv *csv,
    const struct bench_fbsd_io *io, const char *dir, char *err, size_t errlen)
{
	struct world w;
	size_t i;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.cfg = cfg;
	w.io = io;
	w.dir = dir;
	w.csv = csv;
	w.err = err;
	w.errlen = errlen;
	for (i = 0; i < BENCH_NWL; i++)
		if (cfg->only == NULL || strcmp(cfg->only, bench_wls[i].name) == 0)
			w.total += workload(&w, &bench_wls[i], 1);
	if (world_up(&w) == -1)
		return (-1);
	for (i = 0; i < BENCH_NWL && rc == 0 && !*cfg->stop; i++)
		if (cfg->only == NULL || strcmp(cfg->only, bench_wls[i].name) == 0)
			rc = workload(&w, &bench_wls[i], 0);
	if (cfg->progress)
		fprintf(stderr, "\n");
	bench_world_down(&w.bw);
	diag_free(&w.d);
	if (rc == 0 && *cfg->stop) {
		snprintf(err, errlen, "interrupted");
		return (-1);
	}
	return (rc);
}

