/* work_linux.c: the workloads on the linux target: the world (bench_net.c's namespaces, the
 * hook), the drops its counters see, pf off and on per point, the state table's points
 * (fill, memory per state), the smoke check, the generator alone; the points both
 * platforms measure alike (full offer, loss-free search, rows) are work_pts.c's. */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_net.h"
#include "bench_pf.h"
#include "gen.h"
#include "target/linux/netns.h"
#include "recv.h"
#include "work.h"
#include "work_def.h"
#include "work_pts.h"

/* The workloads are bench_wls (work_def.c, shared with the FreeBSD half), run by
 * work_pts.c; modes in bench_mode_name's order. */
enum mode { M_GEN = BENCH_M_GEN, M_NOPF = BENCH_M_NOPF, M_PF = BENCH_M_PF };

/* A side's ends here: the wire namespace's veth (generator, counter), the host's. */
static const int side_wire[] = { BENCH_WIRE0, BENCH_WIRE1 };
static const int side_host[] = { BENCH_EM0, BENCH_EM1 };

static const struct bench_io io_real = {
	gen_open, gen_send, gen_rewind, gen_close, recv_start, recv_count, recv_stop
};

struct world {
	struct bench_pts	 p;		/* the run: cfg, csv, err, progress */
	struct bench_net	 net;
	struct bench_pf		*pf;
	char			 pf_err[512];	/* why pf on is not measured, or "" */
};

const char *
bench_work_target(void)
{
	return ("linux");
}

static uint64_t
drops(void *arg, struct recv_counter *rc, enum recv_kind rk)
{
	struct world *w = arg;
	int partial;
	uint64_t d = bench_net_drops(&w->net, &partial);

	if (w->pf != NULL && w->net.hook)
		d += bench_pf_dropped(w->pf);
	if (rk == RECV_WIRE)	/* UDP socket drops are in the host's Udp counters */
		d += recv_drops(rc);
	return (d);
}

static struct bench_gen *
gen_for(void *arg, const struct bench_wl *wl, int port, uint64_t flows)
{
	struct world *w = arg;
	struct gen_spec sp;
	struct bench_gen *g;
	int fd;

	bench_wl_gen_spec(wl, bench_port_mac[port], bench_port_mac[side_host[wl->gen]],
	    flows, &sp);
	if ((fd = netns_enter(w->net.wire, w->p.err, w->p.errlen)) == -1)
		return (NULL);
	g = gen_open(bench_net_ifname[port], &sp, w->p.err, w->p.errlen);
	netns_leave(fd);
	return (g);
}

static struct recv_counter *
recv_for(void *arg, const struct bench_wl *wl)
{
	struct world *w = arg;
	struct recv_spec rs;

	bench_wl_recv_spec(wl, &rs);
	if (wl->rk == RECV_UDP)
		rs.netns = w->net.host;
	else {
		rs.netns = w->net.wire;
		rs.ifname = bench_net_ifname[side_wire[wl->recv]];
	}
	return (recv_start(&rs, w->p.err, w->p.errlen));
}

/* A world with its points' settings; the generator alone sends on the spare veth. */
static void
world_init(struct world *w, const struct bench_cfg *cfg, struct bench_csv *csv,
    char *err, size_t errlen)
{
	memset(w, 0, sizeof(*w));
	w->p.cfg = cfg;
	w->p.csv = csv;
	w->p.io = &io_real;
	w->p.err = err;
	w->p.errlen = errlen;
	w->p.arg = w;
	w->p.gen_for = gen_for;
	w->p.recv_for = recv_for;
	w->p.drops = drops;
	w->p.gen_alone = BENCH_GEN0;
	w->p.side_wire = side_wire;
}

/* Switch the hook for mode m and load the point's ruleset. 1: pf on is unavailable
 * (reason in pf_err), the point is skipped; 0 ready; -1 error. */
static int
setup_mode(struct world *w, const struct bench_wl *wl, enum mode m, long size)
{
	char *conf = NULL;
	int rc;

	if (m == M_PF && w->pf == NULL)
		return (1);
	if (bench_net_hook(&w->net, m == M_PF, w->p.err, w->p.errlen) == -1)
		return (-1);
	if (m != M_PF)
		return (0);
	if (strcmp(wl->name, "rules") == 0 && (conf = bench_wl_rules_conf(size)) == NULL) {
		snprintf(w->p.err, w->p.errlen, "out of memory");
		return (-1);
	}
	rc = bench_pf_load(w->pf, conf != NULL ? conf : wl->conf, w->pf_err,
	    sizeof(w->pf_err));
	free(conf);
	return (rc == -1 ? 1 : 0);
}

/* Heap bytes in use in every arena (the model allocates in the hook's thread). */
static double
heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return ((double)mi.uordblks + (double)mi.hblkhd);
}

/* The hook's state count, for bench_pts_fill. */
static int
states(void *arg, uint64_t *n)
{
	struct world *w = arg;

	*n = bench_pf_states(w->pf);
	return (0);
}

/* The state table at `size` flows: fill it (insert rate, memory per state), then
 * offer packets that all hit existing states. */
static int
point_states(struct world *w, const struct bench_wl *wl, long size)
{
	struct bench_pts *p = &w->p;
	struct bench_gen *g;
	struct recv_counter *rc;
	struct bench_sample s;
	double h0, t0, t1 = 0;
	size_t n;
	int r, err = 0;

	if (bench_pts_open(p, wl, (uint64_t)size, &g, &rc) == -1)
		return (-1);
	for (r = 1; r <= p->cfg->runs && !*p->cfg->stop && !err; r++) {
		bench_pts_progress(p, wl, M_PF, size, r);
		if (r > 1 && setup_mode(w, wl, M_PF, size) != 0) {
			err = 1;	/* a fresh table each run */
			break;
		}
		h0 = heap_bytes();
		t0 = bench_now();
		if (bench_pts_fill(p, g, rc, wl->rk, size, states, &t1) == -1) {
			err = 1;
			break;
		}
		n = bench_pf_states(w->pf);
		if (bench_pts_state_rows(p, g, rc, wl, size, r, n, n / (t1 - t0),
		    heap_bytes() - h0, &s) == -1) {
			err = 1;
			break;
		}
		/* Lookups at the highest rate with no loss: what the hook sustains on
		 * state hits, without the full-offer overflow's wasted work. */
		if (bench_pts_lossfree_row(p, g, rc, wl, M_PF, size, r, &s) == -1)
			err = 1;
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
	int n, i, rc, states = strcmp(wl->name, "states") == 0;

	n = bench_pts_sizes(&w->p, wl, sz, &base);
	if (count_only)
		return (w->p.cfg->runs * (2 + n));
	if (bench_pts_gen(&w->p, wl, base) == -1)
		return (-1);
	if (setup_mode(w, wl, M_NOPF, base) == -1 ||
	    bench_pts_traffic(&w->p, wl, M_NOPF, base) == -1)
		return (-1);
	for (i = 0; i < n && !*w->p.cfg->stop; i++) {
		if ((rc = setup_mode(w, wl, M_PF, sz[i])) == -1)
			return (-1);
		if (rc == 1) {
			w->p.done += w->p.cfg->runs;
			continue;
		}
		if ((states ? point_states(w, wl, sz[i]) :
		    bench_pts_traffic(&w->p, wl, M_PF, sz[i])) == -1)
			return (-1);
	}
	return (0);
}

static int
world_up(void *arg)
{
	struct world *w = arg;

	if (bench_net_up(&w->net, w->p.err, w->p.errlen) == -1)
		return (-1);
	if ((w->pf = bench_pf_start(w->net.host, w->pf_err, sizeof(w->pf_err))) == NULL)
		fprintf(stderr, "bench: pf on is not measured: %s\n", w->pf_err);
	return (0);
}

static void
world_down(struct world *w)
{
	bench_pf_stop(w->pf);
	w->pf = NULL;
	bench_net_down(&w->net);
}

/* After bench_work_run's points: say so when pf on was not measured. */
static void
run_down(void *arg, int rc)
{
	struct world *w = arg;

	if (rc == 0 && w->pf_err[0] != '\0')
		fprintf(stderr, "bench: pf on was not measured: %s\n", w->pf_err);
	world_down(w);
}

int
bench_work_run(const struct bench_cfg *cfg, struct bench_csv *csv, char *err,
    size_t errlen)
{
	struct world w;

	world_init(&w, cfg, csv, err, errlen);
	return (bench_pts_run(&w.p, workload, world_up, run_down));
}

/* One smoke point: a second at the smoke rate; 1 when the counts do not add up. */
static int
smoke_point(struct world *w, const struct bench_wl *wl, enum mode m, FILE *out)
{
	struct bench_gen *g;
	struct recv_counter *rc;
	struct bench_sample s;
	int bad, r;

	if (bench_pts_open(&w->p, wl, BENCH_FLOWS, &g, &rc) == -1)
		return (-1);
	r = bench_pts_measure(&w->p, g, rc, wl->rk, w->p.cfg->smoke_pps, w->p.cfg->dur,
	    &s);
	bench_pts_close(&w->p, g, rc);
	if (r == -1)
		return (-1);
	bad = s.sent == 0 || s.sent != s.recv + s.drops;
	fprintf(out, "%-8s %-4s sent %llu = received %llu + dropped %llu: %s\n", wl->name,
	    bench_mode_name[m], (unsigned long long)s.sent, (unsigned long long)s.recv,
	    (unsigned long long)s.drops, bad ? "MISMATCH" : "ok");
	return (bad);
}

int
bench_work_smoke(const struct bench_cfg *cfg, FILE *out, char *err, size_t errlen)
{
	const struct bench_wl *smoke[] = { &bench_wls[0], &bench_wls[1], &bench_wls[2],
	    &bench_wl_noport };
	struct world w;
	enum mode m;
	size_t i;
	int rc = 0, r;

	world_init(&w, cfg, NULL, err, errlen);
	if (world_up(&w) == -1)
		return (-1);
	for (i = 0; i < sizeof(smoke) / sizeof(smoke[0]) && rc != -1; i++)
		for (m = M_NOPF; m <= M_PF && rc != -1; m++) {
			if ((r = setup_mode(&w, smoke[i], m, BENCH_FLOWS)) == 1) {
				fprintf(out, "%-8s pf   SKIPPED: %s\n", smoke[i]->name,
				    w.pf_err);
				continue;
			}
			if (r == -1 || (r = smoke_point(&w, smoke[i], m, out)) == -1)
				rc = -1;
			else
				rc |= r;
		}
	world_down(&w);
	return (rc);
}

int
bench_work_gen(const char *ns, const char *ifname, const uint8_t dst_mac[6], double pps,
    double secs, volatile sig_atomic_t *stop, uint64_t *sent, double *elapsed, char *err,
    size_t errlen)
{
	const struct bench_wl *wl = &bench_wls[2];	/* forward */
	struct gen_spec sp;
	struct gen_result r;
	struct bench_gen *g;
	int fd = -1, rc;

	bench_wl_gen_spec(wl, bench_port_mac[BENCH_GEN0], dst_mac, BENCH_FLOWS, &sp);
	if (ns != NULL && (fd = netns_enter(ns, err, errlen)) == -1)
		return (-1);
	g = gen_open(ifname, &sp, err, errlen);
	netns_leave(fd);
	if (g == NULL)
		return (-1);
	rc = gen_send(g, UINT64_MAX, pps, secs, stop, &r, err, errlen);
	gen_close(g);
	if (rc == 0) {
		*sent = r.sent;
		*elapsed = r.seconds;
	}
	return (rc);
}
