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

enum mode { M_GEN, M_NOPF, M_PF };
static const char *const mode_name[] = { "gen", "nopf", "pf" };

/* A workload: where the generator sends, what it sends, where it is counted. */
struct wl {
	const char	*name;
	int		 gen_if, dst_if;	/* generator's veth end, the host's end */
	uint8_t		 src[4], dst[4];
	uint16_t	 dport;
	uint32_t	 nsrc;
	enum recv_kind	 rk;
	int		 recv_if;		/* RECV_WIRE: wire veth end */
	const char	*conf;			/* pf.conf; rules: the final rule */
	const char	*size_unit;
	uint16_t	 recv_port;		/* 0: dport */
};

static const struct wl wls[] = {
	{ "rdr-in", BENCH_WIRE0, BENCH_EM0, { 198, 18, 0, 1 }, { 203, 0, 113, 1 }, 5001, 64,
	    RECV_UDP, 0, "rdr pass on em0 proto udp from any to 203.0.113.1 port 5001 "
	    "-> 10.99.1.1 port 5001\n", "flows", 0 },
	{ "nat-out", BENCH_WIRE1, BENCH_EM1, { 10, 99, 0, 1 }, { 198, 51, 100, 7 }, 9, 3,
	    RECV_WIRE, BENCH_WIRE0, "nat on em0 from 10.99.0.0/28 to any -> 203.0.113.1\n"
	    "pass all\n", "flows", 0 },
	{ "forward", BENCH_WIRE0, BENCH_EM0, { 198, 18, 0, 1 }, { 10, 99, 0, 1 }, 9, 64,
	    RECV_WIRE, BENCH_WIRE1, "pass all\n", "flows", 0 },
	{ "rules", BENCH_WIRE0, BENCH_EM0, { 198, 18, 0, 1 }, { 10, 99, 0, 1 }, 9, 64,
	    RECV_WIRE, BENCH_WIRE1, "pass all no state\n", "rules", 0 },
	{ "states", BENCH_WIRE0, BENCH_EM0, { 198, 18, 0, 1 }, { 10, 99, 0, 1 }, 9, 256,
	    RECV_WIRE, BENCH_WIRE1, "set limit states 1100000\n"	/* default 100000 */
	    /* Adaptive timeouts would expire the table as it fills (by default they
	     * reach 0 at 120000 states), and the fill of 10^6 outlasts udp.first. */
	    "set timeout { udp.first 3600, udp.single 3600, adaptive.start 2000000, "
	    "adaptive.end 4000000 }\n"
	    "pass out quick on em1 all no state\n"
	    "pass in on em0 proto udp all keep state\n", "states", 0 },
};
#define NWL	(sizeof(wls) / sizeof(wls[0]))

/* Smoke only: datagrams to a port nobody listens on, so that every one is dropped and
 * must be found in the host's counters (Udp NoPorts, or pf's blocks). */
static const struct wl noport = { "noport", BENCH_WIRE0, BENCH_EM0, { 198, 18, 0, 1 },
	{ 203, 0, 113, 1 }, 5002, 64, RECV_UDP, 0,
	"block in on em0 proto udp to port 5002\npass all\n", "flows", 5001 };

#define FLOWS		256
#define PAYLOAD		18		/* 60-byte frames: the smallest Ethernet frame */

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

int
bench_work_known(const char *name)
{
	size_t i;

	if (strcmp(name, "all") == 0)
		return (1);
	for (i = 0; i < NWL; i++)
		if (strcmp(wls[i].name, name) == 0)
			return (1);
	return (0);
}

const char *
bench_work_names(void)
{
	return ("rdr-in nat-out forward rules states");
}

/* The sizes of a workload's points. */
static int
sizes(const struct wl *w, int full, long *out)
{
	static const long rules[] = { 1, 10, 100, 1000 };
	static const long states_q[] = { 1000, 10000 };
	static const long states_f[] = { 1000, 10000, 100000, 1000000 };
	const long *s;
	int n, i;

	if (strcmp(w->name, "rules") == 0) {
		s = rules;
		n = 4;
	} else if (strcmp(w->name, "states") == 0) {
		s = full ? states_f : states_q;
		n = full ? 4 : 2;
	} else {
		out[0] = FLOWS;
		return (1);
	}
	for (i = 0; i < n; i++)
		out[i] = s[i];
	return (n);
}

/* The ruleset of the rules workload: n - 1 rules no packet matches, varied in
 * interface, direction, protocol, address and port so that skip steps cannot jump
 * them together, then the final pass. Returned malloc'd. */
static char *
rules_conf(long n)
{
	char *s, *p;
	long i;
	size_t cap = (size_t)n * 96 + 64;

	if ((s = p = malloc(cap)) == NULL)
		return (NULL);
	for (i = 0; i < n - 1; i++)
		switch (i % 4) {
		case 0:
			p += sprintf(p, "block in on em0 proto tcp from 192.0.2.%ld to any "
			    "port %ld\n", i % 250 + 1, 1000 + i);
			break;
		case 1:
			p += sprintf(p, "block out on em1 proto udp from any to 192.0.2.%ld "
			    "port %ld\n", i % 250 + 1, 2000 + i);
			break;
		case 2:
			p += sprintf(p, "block in on em1 proto icmp from 192.0.2.%ld to any\n",
			    i % 250 + 1);
			break;
		default:
			p += sprintf(p, "block in on em0 proto udp from 192.0.2.%ld port %ld "
			    "to any\n", i % 250 + 1, 3000 + i);
			break;
		}
	sprintf(p, "pass all no state\n");
	return (s);
}

static void
progress(struct world *w, const struct wl *wl, enum mode m, long size, int run)
{
	if (!w->cfg->progress)
		return;
	fprintf(stderr, "\rbench: [%d/%d] %-8s %-4s %8ld %s run %d/%d   ", ++w->done,
	    w->total, wl->name, mode_name[m], size, wl->size_unit, run, w->cfg->runs);
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

/* RFC 2544: the highest offered rate with no loss, by bisection below `hi`. */
static int
lossfree(struct world *w, struct bench_gen *g, struct recv_counter *rc,
    enum recv_kind rk, double hi, double *out)
{
	struct sample s;
	double lo = 0, mid;
	int i;

	for (i = 0; i < w->cfg->steps && !*w->cfg->stop; i++) {
		mid = (lo + hi) / 2;
		if (measure(w, g, rc, rk, mid, w->cfg->trial, &s) == -1)
			return (-1);
		if (s.recv >= s.sent)
			lo = s.sent / s.secs;
		else
			hi = mid;
	}
	*out = lo;
	return (0);
}

static struct bench_gen *
gen_for(struct world *w, const struct wl *wl, int port, uint64_t flows)
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
	sp.pkt.len = PAYLOAD;
	memcpy(sp.src_mac, bench_net_mac[port], 6);
	memcpy(sp.dst_mac, bench_net_mac[wl->dst_if], 6);
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
recv_for(struct world *w, const struct wl *wl)
{
	struct recv_spec rs;

	memset(&rs, 0, sizeof(rs));
	rs.kind = wl->rk;
	rs.port = wl->recv_port ? wl->recv_port : wl->dport;
	if (wl->rk == RECV_UDP)
		rs.netns = w->net.host;
	else {
		rs.netns = w->net.wire;
		rs.ifname = bench_net_ifname[wl->recv_if];
	}
	return (recv_start(&rs, w->err, w->errlen));
}

static int
row(struct world *w, const struct wl *wl, enum mode m, long size, int run,
    const char *metric, double v)
{
	if (w->csv == NULL || bench_csv_add(w->csv, wl->name, mode_name[m], size,
	    wl->size_unit, run, metric, v) == 0)
		return (0);
	snprintf(w->err, w->errlen, "cannot write the results file");
	return (-1);
}

/* The generator alone: sent on the spare veth, where the frames die unprocessed. */
static int
point_gen(struct world *w, const struct wl *wl, long size)
{
	struct bench_gen *g;
	struct gen_result gr;
	int r, rc = 0;

	if ((g = gen_for(w, wl, BENCH_GEN0, FLOWS)) == NULL)
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
setup_mode(struct world *w, const struct wl *wl, enum mode m, long size)
{
	char *conf = NULL;
	int rc;

	if (m == M_PF && w->pf == NULL)
		return (1);
	if (bench_net_hook(&w->net, m == M_PF, w->err, w->errlen) == -1)
		return (-1);
	if (m != M_PF)
		return (0);
	if (strcmp(wl->name, "rules") == 0 && (conf = rules_conf(size)) == NULL) {
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
point_traffic(struct world *w, const struct wl *wl, enum mode m, long size)
{
	struct bench_gen *g;
	struct recv_counter *rc;
	struct sample s;
	double lf;
	int r, err = 0;

	if ((g = gen_for(w, wl, wl->gen_if, FLOWS)) == NULL)
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
		    row(w, wl, m, size, r, "loss", s.sent ?
		    100.0 * (double)(s.sent - (s.recv < s.sent ? s.recv : s.sent)) /
		    s.sent : 0) == -1) {
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
point_states(struct world *w, const struct wl *wl, long size)
{
	struct bench_gen *g;
	struct recv_counter *rc;
	struct sample s;
	double h0, t0, t1 = 0, lf;
	size_t n;
	int r, err = 0;

	if ((g = gen_for(w, wl, wl->gen_if, (uint64_t)size)) == NULL)
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
workload(struct world *w, const struct wl *wl, int count_only)
{
	long sz[8], base;
	int n, i, rc, states = strcmp(wl->name, "states") == 0;

	n = sizes(wl, w->cfg->full, sz);
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
	for (i = 0; i < NWL; i++)
		if (cfg->only == NULL || strcmp(cfg->only, wls[i].name) == 0)
			w.total += workload(&w, &wls[i], 1);
	if (world_up(&w) == -1)
		return (-1);
	for (i = 0; i < NWL && rc == 0 && !*cfg->stop; i++)
		if (cfg->only == NULL || strcmp(cfg->only, wls[i].name) == 0)
			rc = workload(&w, &wls[i], 0);
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
smoke_point(struct world *w, const struct wl *wl, enum mode m, FILE *out)
{
	struct bench_gen *g;
	struct recv_counter *rc;
	struct sample s;
	int bad;

	if ((g = gen_for(w, wl, wl->gen_if, FLOWS)) == NULL)
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
	    mode_name[m], (unsigned long long)s.sent, (unsigned long long)s.recv,
	    (unsigned long long)s.drops, bad ? "MISMATCH" : "ok");
	return (bad);
}

int
bench_work_smoke(const struct bench_cfg *cfg, FILE *out, char *err, size_t errlen)
{
	const struct wl *smoke[] = { &wls[0], &wls[1], &wls[2], &noport };
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
			if ((r = setup_mode(&w, smoke[i], m, FLOWS)) == 1) {
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
	const struct wl *wl = &wls[2];		/* forward */
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
	sp.pkt.len = PAYLOAD;
	memcpy(sp.src_mac, bench_net_mac[BENCH_GEN0], 6);
	memcpy(sp.dst_mac, dst_mac, 6);
	sp.nsrc = wl->nsrc;
	sp.nsport = FLOWS / wl->nsrc;
	sp.nflows = FLOWS;
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
