/* work.c: the workloads: points (workload, mode, size), runs, full-offer and loss-free
 * throughput, state-table fill; one CSV row per measurement. Linux target. */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_net.h"
#include "bench_pf.h"
#include "gen.h"
#include "netns.h"
#include "recv.h"
#include "work.h"
#include "work_def.h"

/* The workloads are bench_wls (work_def.c, shared with the FreeBSD half); modes in
 * bench_mode_name's order. */
enum mode { M_GEN, M_NOPF, M_PF };

/* A side's ends here: the wire namespace's veth (generator, counter), the host's. */
static const int side_wire[] = { BENCH_WIRE0, BENCH_WIRE1 };
static const int side_host[] = { BENCH_EM0, BENCH_EM1 };

struct world {
	struct bench_net	 net;
	struct bench_pf		*pf;
	char			 pf_err[512];	/* why pf on is not measured, or "" */
	const struct bench_cfg	*cfg;
	struct bench_csv	*csv;
	int			 done, total;	/* progress: runs */
	char			*err;
	size_t			 errlen;
};

struct sample {
	uint64_t	sent, recv, drops;
	double		secs;
};

const char *
bench_work_target(void)
{
	return ("linux");
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

static uint64_t
drops(struct world *w, struct recv_counter *rc, enum recv_kind rk)
{
	int partial;
	uint64_t d = bench_net_drops(&w->net, &partial);

	if (w->pf != NULL && w->net.hook)
		d += bench_pf_dropped(w->pf);
	if (rk == RECV_WIRE)	/* UDP socket drops are in the host's Udp counters */
		d += recv_drops(rc);
	return (d);
}

/* Wait until packets stop arriving and being dropped (at most 2 s): what is still
 * in a queue (the hook's, a socket's) is neither yet. */
static void
settle(struct world *w, struct recv_counter *rc, enum recv_kind rk)
{
	uint64_t last = recv_count(rc) + drops(w, rc, rk), now;
	int still = 0, i;

	for (i = 0; i < 100 && still < 3; i++) {
		sleep_ms(20);
		now = recv_count(rc) + drops(w, rc, rk);
		still = now == last ? still + 1 : 0;
		last = now;
	}
}

/* One trial: offer pps (0: full) for secs; count what arrived and what was dropped. */
static int
measure(struct world *w, struct bench_gen *g, struct recv_counter *rc,
    enum recv_kind rk, double pps, double secs, struct sample *s)
{
	struct gen_result gr;
	uint64_t d0, r0;

	d0 = drops(w, rc, rk);
	r0 = recv_count(rc);
	if (gen_send(g, UINT64_MAX, pps, secs, w->cfg->stop, &gr, w->err, w->errlen) == -1)
		return (-1);
	settle(w, rc, rk);
	s->sent = gr.sent;
	s->secs = gr.seconds > 0 ? gr.seconds : 1e-9;
	s->recv = recv_count(rc) - r0;
	s->drops = drops(w, rc, rk) - d0;
	return (0);
}

struct trial {
	struct world		*w;
	struct bench_gen	*g;
	struct recv_counter	*rc;
	enum recv_kind		 rk;
};

static int
trial(void *arg, double pps, uint64_t *sent, uint64_t *recv, double *secs)
{
	struct trial *t = arg;
	struct sample s;

	if (measure(t->w, t->g, t->rc, t->rk, pps, t->w->cfg->trial, &s) == -1)
		return (-1);
	*sent = s.sent;
	*recv = s.recv;
	*secs = s.secs;
	return (0);
}

/* RFC 2544: the highest offered rate with no loss, by bisection below `hi`. */
static int
lossfree(struct world *w, struct bench_gen *g, struct recv_counter *rc,
    enum recv_kind rk, double hi, double *out)
{
	struct trial t = { w, g, rc, rk };

	return (bench_lossfree(trial, &t, w->cfg->steps, hi, w->cfg->stop, out));
}

static struct bench_gen *
gen_for(struct world *w, const struct bench_wl *wl, int port, uint64_t flows)
{
	struct gen_spec sp;
	struct bench_gen *g;
	int fd;

	memset(&sp, 0, sizeof(sp));
	sp.pkt.proto = IPPROTO_UDP;
	sp.pkt.src.af = sp.pkt.dst.af = AF_INET;
	memcpy(sp.pkt.src.a, wl->src, 4);
	memcpy(sp.pkt.dst.a, wl->dst, 4);
	sp.pkt.sport = 1024;
	sp.pkt.dport = wl->dport;
	sp.pkt.len = BENCH_PAYLOAD;
	memcpy(sp.src_mac, bench_net_mac[port], 6);
	memcpy(sp.dst_mac, bench_net_mac[side_host[wl->gen]], 6);
	sp.nsrc = wl->nsrc;
	sp.nsport = (uint32_t)((flows + wl->nsrc - 1) / wl->nsrc);
	sp.nflows = flows;
	if ((fd = netns_enter(w->net.wire, w->err, w->errlen)) == -1)
		return (NULL);
	g = gen_open(bench_net_ifname[port], &sp, w->err, w->errlen);
	netns_leave(fd);
	return (g);
}

static struct recv_counter *
recv_for(struct world *w, const struct bench_wl *wl)
{
	struct recv_spec rs;

	memset(&rs, 0, sizeof(rs));
	rs.kind = wl->rk;
	rs.port = wl->recv_port ? wl->recv_port : wl->dport;
	if (wl->rk == RECV_UDP)
		rs.netns = w->net.host;
	else {
		rs.netns = w->net.wire;
		rs.ifname = bench_net_ifname[side_wire[wl->recv]];
	}
	return (recv_start(&rs, w->err, w->errlen));
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

/* The generator alone: sent on the spare veth, where the frames die unprocessed. */
static int
point_gen(struct world *w, const struct bench_wl *wl, long size)
{
	struct bench_gen *g;
	struct gen_result gr;
	int r, rc = 0;

	if ((g = gen_for(w, wl, BENCH_GEN0, BENCH_FLOWS)) == NULL)
		return (-1);
	for (r = 1; r <= w->cfg->runs && !*w->cfg->stop && rc == 0; r++) {
		progress(w, wl, M_GEN, size, r);
		if (gen_send(g, UINT64_MAX, 0, w->cfg->dur, w->cfg->stop, &gr, w->err,
		    w->errlen) == -1)
			rc = -1;
		else
			rc = row(w, wl, M_GEN, size, r, "tx_pps", gr.sent / gr.seconds);
	}
	gen_close(g);
	return (rc);
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
	if (bench_net_hook(&w->net, m == M_PF, w->err, w->errlen) == -1)
		return (-1);
	if (m != M_PF)
		return (0);
	if (strcmp(wl->name, "rules") == 0 && (conf = bench_wl_rules_conf(size)) == NULL) {
		snprintf(w->err, w->errlen, "out of memory");
		return (-1);
	}
	rc = bench_pf_load(w->pf, conf != NULL ? conf : wl->conf, w->pf_err,
	    sizeof(w->pf_err));
	free(conf);
	return (rc == -1 ? 1 : 0);
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
		gen_close(g);
		return (-1);
	}
	for (r = 1; r <= w->cfg->runs && !*w->cfg->stop && !err; r++) {
		progress(w, wl, m, size, r);
		if (measure(w, g, rc, wl->rk, 0, w->cfg->dur, &s) == -1 ||
		    row(w, wl, m, size, r, "tx_pps", s.sent / s.secs) == -1 ||
		    row(w, wl, m, size, r, "rx_pps", s.recv / s.secs) == -1 ||
		    row(w, wl, m, size, r, "loss", bench_loss_pct(s.sent, s.recv)) == -1) {
			err = 1;
			break;
		}
		if (w->cfg->steps == 0)
			continue;
		if (s.recv >= s.sent)
			lf = s.recv / s.secs;
		else if (lossfree(w, g, rc, wl->rk, s.sent / s.secs, &lf) == -1) {
			err = 1;
			break;
		}
		if (row(w, wl, m, size, r, "lossfree_pps", lf) == -1)
			err = 1;
	}
	recv_stop(rc);
	gen_close(g);
	return (err ? -1 : 0);
}

/* Heap bytes in use in every arena (the model allocates in the hook's thread). */
static double
heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return ((double)mi.uordblks + (double)mi.hblkhd);
}

/* Fill the table with `size` flows: a first pass at full offer, then passes paced
 * just below what the previous pass got through (the hook's queue overflows at full
 * offer), until every flow has its state or passes stop helping. *t1: when the last
 * packet was handled. 0 or -1. */
static int
fill(struct world *w, struct bench_gen *g, struct recv_counter *rc, enum recv_kind rk,
    long size, double *t1)
{
	struct gen_result gr;
	double pps = 0, tp;
	uint64_t r0;
	size_t n = 0, before;
	int pass;

	for (pass = 0; pass < 8 && n < (size_t)size && !*w->cfg->stop; pass++) {
		before = n;
		tp = gen_now();
		gen_rewind(g);
		r0 = recv_count(rc);
		if (gen_send(g, (uint64_t)size, pps, 0, w->cfg->stop, &gr, w->err,
		    w->errlen) == -1)
			return (-1);
		settle(w, rc, rk);
		*t1 = gen_now() - 0.06;	/* settle() waited 3 x 20 ms of quiet */
		n = bench_pf_states(w->pf);
		if (pass > 0 && n <= before)
			break;
		pps = 0.9 * (double)(recv_count(rc) - r0) / (*t1 - tp);
		if (pps < 1000)
			pps = 1000;
	}
	return (0);
}

/* The state table at `size` flows: fill it (insert rate, memory per state), then
 * offer packets that all hit existing states. */
static int
point_states(struct world *w, const struct bench_wl *wl, long size)
{
	struct bench_gen *g;
	struct recv_counter *rc;
	struct sample s;
	double h0, t0, t1 = 0, lf;
	size_t n;
	int r, err = 0;

	if ((g = gen_for(w, wl, side_wire[wl->gen], (uint64_t)size)) == NULL)
		return (-1);
	if ((rc = recv_for(w, wl)) == NULL) {
		gen_close(g);
		return (-1);
	}
	for (r = 1; r <= w->cfg->runs && !*w->cfg->stop && !err; r++) {
		progress(w, wl, M_PF, size, r);
		if (r > 1 && setup_mode(w, wl, M_PF, size) != 0) {
			err = 1;	/* a fresh table each run */
			break;
		}
		h0 = heap_bytes();
		t0 = gen_now();
		if (fill(w, g, rc, wl->rk, size, &t1) == -1) {
			err = 1;
			break;
		}
		n = bench_pf_states(w->pf);
		if (row(w, wl, M_PF, size, r, "states", (double)n) == -1 ||
		    row(w, wl, M_PF, size, r, "insert_rate", n / (t1 - t0)) == -1 ||
		    (n > 0 && row(w, wl, M_PF, size, r, "state_mem",
		    (heap_bytes() - h0) / n) == -1) ||
		    measure(w, g, rc, wl->rk, 0, w->cfg->dur, &s) == -1 ||
		    row(w, wl, M_PF, size, r, "rx_pps", s.recv / s.secs) == -1 ||
		    row(w, wl, M_PF, size, r, "tx_pps", s.sent / s.secs) == -1) {
			err = 1;
			break;
		}
		/* Lookups at the highest rate with no loss: what the hook sustains on
		 * state hits, without the full-offer overflow's wasted work. */
		if (w->cfg->steps == 0)
			continue;
		if (s.recv >= s.sent)
			lf = s.recv / s.secs;
		else if (lossfree(w, g, rc, wl->rk, s.sent / s.secs, &lf) == -1) {
			err = 1;
			break;
		}
		if (row(w, wl, M_PF, size, r, "lossfree_pps", lf) == -1)
			err = 1;
	}
	recv_stop(rc);
	gen_close(g);
	return (err ? -1 : 0);
}

/* A workload's points in order: the generator alone, pf off, pf on per size. */
static int
workload(struct world *w, const struct bench_wl *wl, int count_only)
{
	long sz[8], base;
	int n, i, rc, states = strcmp(wl->name, "states") == 0;

	n = bench_wl_sizes(wl, w->cfg->full, sz);
	if (count_only)
		return (w->cfg->runs * (2 + n));
	/* Without pf there are no rules and no states: those points are size 0. */
	base = states || strcmp(wl->name, "rules") == 0 ? 0 : sz[0];
	if (point_gen(w, wl, base) == -1)
		return (-1);
	if (setup_mode(w, wl, M_NOPF, base) == -1 ||
	    point_traffic(w, wl, M_NOPF, base) == -1)
		return (-1);
	for (i = 0; i < n && !*w->cfg->stop; i++) {
		if ((rc = setup_mode(w, wl, M_PF, sz[i])) == -1)
			return (-1);
		if (rc == 1) {
			w->done += w->cfg->runs;
			continue;
		}
		if ((states ? point_states(w, wl, sz[i]) :
		    point_traffic(w, wl, M_PF, sz[i])) == -1)
			return (-1);
	}
	return (0);
}

static int
world_up(struct world *w)
{
	if (bench_net_up(&w->net, w->err, w->errlen) == -1)
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

int
bench_work_run(const struct bench_cfg *cfg, struct bench_csv *csv, char *err,
    size_t errlen)
{
	struct world w;
	size_t i;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.cfg = cfg;
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
	if (rc == 0 && w.pf_err[0] != '\0')
		fprintf(stderr, "bench: pf on was not measured: %s\n", w.pf_err);
	world_down(&w);
	if (rc == 0 && *cfg->stop) {
		snprintf(err, errlen, "interrupted");
		return (-1);
	}
	return (rc);
}

/* One smoke point: a second at the smoke rate; 1 when the counts do not add up. */
static int
smoke_point(struct world *w, const struct bench_wl *wl, enum mode m, FILE *out)
{
	struct bench_gen *g;
	struct recv_counter *rc;
	struct sample s;
	int bad;

	if ((g = gen_for(w, wl, side_wire[wl->gen], BENCH_FLOWS)) == NULL)
		return (-1);
	if ((rc = recv_for(w, wl)) == NULL) {
		gen_close(g);
		return (-1);
	}
	if (measure(w, g, rc, wl->rk, w->cfg->smoke_pps, w->cfg->dur, &s) == -1) {
		recv_stop(rc);
		gen_close(g);
		return (-1);
	}
	recv_stop(rc);
	gen_close(g);
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

	memset(&w, 0, sizeof(w));
	w.cfg = cfg;
	w.err = err;
	w.errlen = errlen;
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

	memset(&sp, 0, sizeof(sp));
	sp.pkt.proto = IPPROTO_UDP;
	sp.pkt.src.af = sp.pkt.dst.af = AF_INET;
	memcpy(sp.pkt.src.a, wl->src, 4);
	memcpy(sp.pkt.dst.a, wl->dst, 4);
	sp.pkt.sport = 1024;
	sp.pkt.dport = wl->dport;
	sp.pkt.len = BENCH_PAYLOAD;
	memcpy(sp.src_mac, bench_net_mac[BENCH_GEN0], 6);
	memcpy(sp.dst_mac, dst_mac, 6);
	sp.nsrc = wl->nsrc;
	sp.nsport = BENCH_FLOWS / wl->nsrc;
	sp.nflows = BENCH_FLOWS;
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
