/* bench_run_freebsd.c: the workloads on the freebsd target (real pf): the points of
 * work_def.c (the same as on Linux: generator alone, pf off with `pfctl -d`, pf on
 * with the point's ruleset), N runs each, the state table's fill with pf's own
 * counters (pfctl -si) and memory (vmstat -z); the same CSV rows as work_linux.c. The world
 * is bench_world_freebsd.c's; what Linux measures alike (full offer, the loss-free
 * search, the fill's passes, rows) is work_pts.c's, with the generator and the counters
 * reached through struct bench_io (the tests put fakes there). */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_run_freebsd.h"
#include "bench_world_freebsd.h"
#include "work_def.h"
#include "work_pts.h"

/* Modes in bench_mode_name's order. */
enum mode { M_GEN = BENCH_M_GEN, M_NOPF = BENCH_M_NOPF, M_PF = BENCH_M_PF };

static const int side_wire[] = { BW_WIRE0, BW_WIRE1 };
static const int side_host[] = { BW_EM0, BW_EM1 };

struct world {
	struct bench_pts	 p;		/* the run: cfg, csv, io, err, progress */
	struct bench_world	 bw;
	struct diag		 d;		/* the world's messages */
	const char		*dir;
	struct pfctl_info	 fill;		/* pf's counters after a fill's last pass */
};

/* The world's messages as the error, on one line. */
static int
world_err(struct world *w)
{
	size_t n;

	snprintf(w->p.err, w->p.errlen, "%s", diag_text(&w->d));
	n = strlen(w->p.err);
	while (n > 0 && w->p.err[n - 1] == '\n')
		w->p.err[--n] = '\0';
	diag_free(&w->d);
	return (-1);
}

static struct bench_gen *
gen_for(void *arg, const struct bench_wl *wl, int port, uint64_t flows)
{
	struct world *w = arg;
	struct gen_spec sp;

	/* the generator alone too: em0's MAC is not gen1's, so its frames die there */
	bench_wl_gen_spec(wl, bench_port_mac[port], bench_port_mac[side_host[wl->gen]],
	    flows, &sp);
	return (w->p.io->gen_open(w->bw.ifname[port], &sp, w->p.err, w->p.errlen));
}

static struct recv_counter *
recv_for(void *arg, const struct bench_wl *wl)
{
	struct world *w = arg;
	struct recv_spec rs;

	bench_wl_recv_spec(wl, &rs);
	if (wl->rk == RECV_UDP)
		rs.netns = BENCH_WORLD_JAIL;
	else
		rs.ifname = w->bw.ifname[side_wire[wl->recv]];
	return (w->p.io->recv_start(&rs, w->p.err, w->p.errlen));
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
		snprintf(w->p.err, w->p.errlen, "out of memory");
		return (-1);
	}
	rc = bench_world_pf(&w->bw, 1, conf, &w->d);
	free(conf);
	return (rc == -1 ? world_err(w) : 0);
}

/* pf's state count (pfctl -si), for bench_pts_fill; its counters are kept in fill. */
static int
states(void *arg, uint64_t *n)
{
	struct world *w = arg;

	if (bench_world_info(&w->bw, &w->fill, &w->d) == -1)
		return (world_err(w));
	*n = w->fill.states;
	return (0);
}

/* The state table at `size` flows: fill it (insert rate from pf's inserts counter,
 * memory per state from its UMA zones), then offer packets that all hit states. */
static int
point_states(struct world *w, const struct bench_wl *wl, long size)
{
	struct bench_pts *p = &w->p;
	struct bench_gen *g;
	struct recv_counter *rc;
	struct pfctl_info i0, in, i2;
	struct bench_sample s;
	uint64_t b0, b1;
	double t0, t1 = 0;
	int r, err = 0;

	if (bench_pts_open(p, wl, (uint64_t)size, &g, &rc) == -1)
		return (-1);
	for (r = 1; r <= p->cfg->runs && !*p->cfg->stop && !err; r++) {
		bench_pts_progress(p, wl, M_PF, size, r);
		err = 1;
		if ((r > 1 && setup_mode(w, wl, M_PF, size) != 0) ||	/* a fresh table */
		    bench_world_info(&w->bw, &i0, &w->d) == -1 ||
		    bench_world_state_bytes(&w->bw, &b0, &w->d) == -1) {
			if (w->d.count > 0)
				world_err(w);
			break;
		}
		t0 = bench_now();
		memset(&w->fill, 0, sizeof(w->fill));
		if (bench_pts_fill(p, g, rc, wl->rk, size, states, &t1) == -1)
			break;
		in = w->fill;	/* pf's counters when the last packet was handled */
		if (bench_world_state_bytes(&w->bw, &b1, &w->d) == -1) {
			world_err(w);
			break;
		}
		if (bench_pts_state_rows(p, g, rc, wl, size, r, in.states,
		    (double)(in.inserts - i0.inserts) / (t1 - t0),
		    (double)b1 - (double)b0, &s) == -1)
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
		if (bench_pts_lossfree_row(p, g, rc, wl, M_PF, size, r, &s) == -1)
			break;
		err = 0;
	}
	bench_pts_close(p, g, rc);
	return (err ? -1 : 0);
}

/* A workload's points in order: the generator alone, pf off, pf on per size. */
static int
workload(void *arg, const struct bench_wl *wl, int count_only)
{
	struct world *w = arg;
	long sz[8], base;
	int n, i, states = strcmp(wl->name, "states") == 0;

	n = bench_pts_sizes(&w->p, wl, sz, &base);
	if (count_only)
		return (w->p.cfg->runs * (2 + n));
	if (setup_mode(w, wl, M_GEN, base) == -1 || bench_pts_gen(&w->p, wl, base) == -1)
		return (-1);
	if (bench_pts_traffic(&w->p, wl, M_NOPF, base) == -1)
		return (-1);
	for (i = 0; i < n && !*w->p.cfg->stop; i++)
		if (setup_mode(w, wl, M_PF, sz[i]) == -1 ||
		    (states ? point_states(w, wl, sz[i]) :
		    bench_pts_traffic(&w->p, wl, M_PF, sz[i])) == -1)
			return (-1);
	return (0);
}

static int
world_up(void *arg)
{
	struct world *w = arg;

	if (bench_world_up(&w->bw, w->dir, &w->d) == -1)
		return (world_err(w));
	return (0);
}

static void
world_down(void *arg, int rc)
{
	struct world *w = arg;

	(void)rc;
	bench_world_down(&w->bw);
	diag_free(&w->d);
}

int
bench_fbsd_run(const struct bench_cfg *cfg, struct bench_csv *csv,
    const struct bench_io *io, const char *dir, char *err, size_t errlen)
{
	struct world w;

	memset(&w, 0, sizeof(w));
	w.p.cfg = cfg;
	w.p.csv = csv;
	w.p.io = io;
	w.p.err = err;
	w.p.errlen = errlen;
	w.p.arg = &w;
	w.p.gen_for = gen_for;
	w.p.recv_for = recv_for;
	w.p.drops = NULL;	/* not read yet: see bench_work_smoke */
	w.p.gen_alone = BW_GEN0;	/* the spare epair */
	w.p.side_wire = side_wire;
	w.dir = dir;
	return (bench_pts_run(&w.p, workload, world_up, world_down));
}
