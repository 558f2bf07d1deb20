/* work_linux.c: the workloads on the linux target: the world (bench_net.c's namespaces, the
 * hook), the drops its counters see, pf off and on per point, the state table's points
 * (fill, memory per state), the smoke check, the generator alone; the points both
 * platforms measure alike (full offer, loss-free search, rows) are work_pts.c's. */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <malloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_net.h"
#include "bench_pf.h"
#include "hook_linux.h"
#include "clock.h"
#include "machine.h"
#include "gen.h"
#include "target/linux/netns.h"
#include "recv.h"
#include "rounds.h"
#include "work.h"
#include "work_def.h"
#include "work_pts.h"

/* The workloads are bench_wls (work_def.c, shared with the FreeBSD half), run by
 * work_pts.c; modes in bench_mode_name's order. */
enum mode { M_GEN = BENCH_M_GEN, M_NOPF = BENCH_M_NOPF, M_PF = BENCH_M_PF, M_NOHOOK };

/* A side's ends here: the wire namespace's veth (generator, counter), the host's. */
static const int side_wire[] = { BENCH_WIRE0, BENCH_WIRE1 };
static const int side_host[] = { BENCH_EM0, BENCH_EM1 };

static const struct bench_io io_real = {
	gen_open, gen_send, gen_rewind, gen_close, recv_start, recv_count, recv_stop
};

struct world {
	struct bench_pts	 p;		/* the run: cfg, csv, err, progress */
	struct bench_rounds	 r;		/* its rounds */
	struct bench_net	 net;
	struct bench_pf		*pf;
	char			 pf_err[512];	/* why pf on is not measured, or "" */
	int			 cpu_gen, cpu_hook, cpu_recv;	/* -1: not pinned */
	cpu_set_t		 cpus0;		/* this thread's CPUs before the run */
	struct bench_hook	*hook[2];	/* bench ab: each variant's hook */
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

	struct recv_counter *c;

	bench_wl_recv_spec(wl, &rs);
	if (wl->rk == RECV_UDP)
		rs.netns = w->net.host;
	else {
		rs.netns = w->net.wire;
		rs.ifname = bench_net_ifname[side_wire[wl->recv]];
	}
	/* The counter's thread inherits the affinity of the thread that starts it. */
	(void)bench_machine_pin(w->cpu_recv);
	c = recv_start(&rs, w->p.err, w->p.errlen);
	(void)bench_machine_pin(w->cpu_gen);
	return (c);
}

/* The hook for mode m: pf off passes every packet unexamined through the same
 * NFQUEUE hook as pf on (so that pf on / pf off is pf's cost); "nohook" is the kernel
 * alone. pf on gets a fresh pf with the point's ruleset. 1: pf on is unavailable
 * (reason in pf_err), the point is skipped; 0 ready; -1 error. */
static int
setup_mode(struct world *w, const struct bench_wl *wl, enum mode m, long size)
{
	char *conf = NULL;
	int rc, hook = m != M_NOHOOK;

	if (m == M_PF && w->pf == NULL)
		return (1);
	if (w->net.hook != hook &&
	    bench_net_hook(&w->net, hook, w->p.err, w->p.errlen) == -1)
		return (-1);
	if (w->pf != NULL && m != M_PF)
		bench_pf_off(w->pf);
	if (m != M_PF)
		return (0);
	if ((conf = bench_wl_conf(wl, size)) == NULL) {
		snprintf(w->p.err, w->p.errlen, "out of memory");
		return (-1);
	}
	rc = bench_pf_load(w->pf, conf, w->pf_err, sizeof(w->pf_err));
	free(conf);
	return (rc == -1 ? 1 : 0);
}

static int
arm_setup(void *arg, const struct bench_wl *wl, const struct bench_arm *a)
{
	struct world *w = arg;

	return (a->gen_alone ? 0 : setup_mode(w, wl, (enum mode)a->id, a->size));
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

/* A states arm after its setup (a fresh table): fill it with `size` flows (insert
 * rate, memory per state); rounds.c then offers packets that all hit the states. */
static int
arm_states(void *arg, const struct bench_wl *wl, const struct bench_arm *a,
    struct bench_gen *g, struct recv_counter *rc, int round, struct bench_sample *s)
{
	struct world *w = arg;
	struct bench_pts *p = &w->p;
	double h0, t0, t1 = 0;
	size_t n;

	(void)s;
	h0 = heap_bytes();
	t0 = bench_now();
	if (bench_pts_fill(p, g, rc, wl->rk, a->size, states, &t1) == -1)
		return (-1);
	n = bench_pf_states(w->pf);
	if (bench_pts_row(p, wl, M_PF, a->size, round, "states", (double)n) == -1 ||
	    bench_pts_row(p, wl, M_PF, a->size, round, "insert_rate", n / (t1 - t0)) == -1 ||
	    (n > 0 && bench_pts_row(p, wl, M_PF, a->size, round, "state_mem",
	    (heap_bytes() - h0) / (double)n) == -1))
		return (-1);
	return (0);
}

static int
snap(void *arg, struct bench_machine *m)
{
	struct world *w = arg;
	int i;

	memset(m->ours, 0, sizeof(m->ours));
	for (i = 0; i < 2; i++)
		if (w->hook[i] != NULL)
			m->ours[i] = bench_hook_pid(w->hook[i]);
	return (bench_machine_snap(m));
}

/* The arms of a workload: the generator alone, pf off (and for forward the kernel
 * without the hook), pf on at each size. Returns their count. */
static int
arms_of(struct world *w, const struct bench_wl *wl, struct bench_arm *arms)
{
	long sz[8], base;
	int n, i, k = 0, st = strcmp(wl->name, "states") == 0;

	n = bench_pts_sizes(&w->p, wl, sz, &base);
	memset(arms, 0, BENCH_ARMS_MAX * sizeof(*arms));
	arms[k].mode = bench_mode_name[M_GEN];
	arms[k].size = base;
	arms[k].id = M_GEN;
	arms[k++].gen_alone = 1;
	arms[k].mode = bench_mode_name[M_NOPF];
	arms[k].size = base;
	arms[k].id = M_NOPF;
	/* pf off addresses what pf on's translation would produce (rdr-in: the jail). */
	arms[k++].dst = wl->off_dst[0] != 0 ? wl->off_dst : NULL;
	if (strcmp(wl->name, "forward") == 0) {
		arms[k].mode = "nohook";
		arms[k].size = base;
		arms[k++].id = M_NOHOOK;
	}
	for (i = 0; i < n && k < BENCH_ARMS_MAX; i++) {
		arms[k].mode = bench_mode_name[M_PF];
		arms[k].size = sz[i];
		arms[k].states = st;
		arms[k++].id = M_PF;
	}
	return (k);
}

/* A workload's arms in rounds of random order. */
static int
workload(void *arg, const struct bench_wl *wl, int count_only)
{
	struct world *w = arg;
	struct bench_arm arms[BENCH_ARMS_MAX];
	int n = arms_of(w, wl, arms);

	if (count_only)
		return (w->p.cfg->runs * n);
	return (bench_rounds_run(&w->r, wl, arms, n));
}

static int hook_cost(void *, const struct bench_arm *, double *, uint64_t *);
static int pf_time(void *, const struct bench_arm *, uint64_t *, uint64_t *);

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
	w->r.p = &w->p;
	w->r.rounds = cfg->runs;
	w->r.warmup = cfg->warmup;
	w->r.setup = arm_setup;
	w->r.states = arm_states;
	w->r.snap = snap;
	w->r.hook_cost = hook_cost;
	w->r.pf_time = pf_time;
	bench_rounds_seed(&w->r, cfg->seed);
	bench_machine_cpus(&w->cpu_gen, &w->cpu_hook, &w->cpu_recv);
}

static int
world_up(void *arg)
{
	struct world *w = arg;

	if (bench_net_up(&w->net, w->p.err, w->p.errlen) == -1)
		return (-1);
	(void)sched_getaffinity(0, sizeof(w->cpus0), &w->cpus0);
	(void)bench_machine_pin(w->cpu_gen);	/* the generator: this thread */
	if ((w->pf = bench_pf_start(w->net.host, NETNS_QUEUE, w->cpu_hook, w->pf_err,
	    sizeof(w->pf_err))) == NULL)
		fprintf(stderr, "bench: pf on is not measured: %s\n", w->pf_err);
	else
		bench_pf_freebsd(w->pf, w->p.cfg->freebsd);
	return (0);
}

static void
world_down(struct world *w)
{
	bench_pf_stop(w->pf);
	w->pf = NULL;
	bench_net_down(&w->net);
	if (CPU_COUNT(&w->cpus0) > 0)
		(void)sched_setaffinity(0, sizeof(w->cpus0), &w->cpus0);
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

/* The hook's CPU and packets: make bench's in-process hook on queue 0, or bench ab's
 * hook of the arm (id: 0 A, 1 B). */
static int
hook_cost(void *arg, const struct bench_arm *a, double *cpu, uint64_t *pkts)
{
	struct world *w = arg;
	int ab = w->hook[0] != NULL;

	if (!w->net.hook || (!ab && w->pf == NULL))
		return (-1);
	*cpu = ab ? bench_hook_cpu(w->hook[a->id]) : bench_pf_cpu(w->pf);
	return (bench_net_queue_seq(&w->net, ab ? a->id : NETNS_QUEUE, pkts));
}

/* pf's own time and packets in the hook of arm a (pf off: none). A build of bench ab
 * that cannot tell (made before pf_ns) gives none either. */
static int
pf_time(void *arg, const struct bench_arm *a, uint64_t *ns, uint64_t *pkts)
{
	struct world *w = arg;

	if (w->hook[0] != NULL)
		return (bench_hook_pf_time(w->hook[a->id], ns, pkts));
	if (!w->net.hook || w->pf == NULL || strcmp(a->mode, "pf") != 0)
		return (-1);
	bench_pf_time(w->pf, ns, pkts);
	return (0);
}

/* bench ab's arms: the variant's hook takes the queue (a and a2 are A's, b is B's). */
static int
ab_setup(void *arg, const struct bench_wl *wl, const struct bench_arm *a)
{
	struct world *w = arg;

	(void)wl;
	if (w->net.hook && w->net.queue == a->id)
		return (0);
	return (bench_net_hook_queue(&w->net, a->id, w->p.err, w->p.errlen));
}

/* The ruleset file of variant i: the user's, or the workload's written to tmp. */
static const char *
ab_conf(const struct bench_ab *ab, int i, const struct bench_wl *wl, char *tmp,
    char *err, size_t errlen)
{
	char *conf;
	FILE *f;
	int fd;

	if (ab->conf[i] != NULL)
		return (ab->conf[i]);
	if (tmp[0] != '\0')
		return (tmp);
	snprintf(tmp, 64, "/tmp/pfh-ab-%ld.conf.XXXXXX", (long)getpid());
	if ((conf = bench_wl_conf(wl, 1)) == NULL || (fd = mkstemp(tmp)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "cannot write the workload's ruleset");
		free(conf);
		return (NULL);
	}
	fputs(conf, f);
	free(conf);
	return (fclose(f) == 0 ? tmp : NULL);
}

/* Both variants' hooks, on queues 0 (A) and 1 (B). 0, or -1 with err. */
static int
ab_up(struct world *w, const struct bench_ab *ab, const struct bench_wl *wl, char *tmp)
{
	const char *conf, *bin;
	int i;

	for (i = 0; i < 2; i++) {
		if (ab->target[i] != NULL && strcmp(ab->target[i], "linux") != 0) {
			snprintf(w->p.err, w->p.errlen, "target %s: the bench on this "
			    "system measures the linux target only", ab->target[i]);
			return (-1);
		}
		bin = ab->bin[i] != NULL ? ab->bin[i] : "/proc/self/exe";
		if ((conf = ab_conf(ab, i, wl, tmp, w->p.err, w->p.errlen)) == NULL ||
		    (w->hook[i] = bench_hook_spawn(bin, w->net.host, i, w->cpu_hook, conf,
		    w->p.cfg->freebsd, w->p.err, w->p.errlen)) == NULL)
			return (-1);
	}
	return (0);
}

int
bench_work_ab(const struct bench_cfg *cfg, const struct bench_ab *ab,
    struct bench_csv *csv, char *err, size_t errlen)
{
	const struct bench_wl *wl = bench_wl_find(ab->workload ? ab->workload : "forward");
	struct bench_arm arms[3];
	struct world w;
	char tmp[64] = "";
	long sz[8], base;
	int rc, i;

	if (wl == NULL || strcmp(wl->name, "states") == 0) {
		snprintf(err, errlen, "bench ab: workload %s: one of rdr-in nat-out "
		    "forward rules", ab->workload);
		return (-1);
	}
	world_init(&w, cfg, csv, err, errlen);
	w.r.setup = ab_setup;
	bench_pts_sizes(&w.p, wl, sz, &base);
	memset(arms, 0, sizeof(arms));
	for (i = 0; i < 3; i++) {
		arms[i].mode = i == 0 ? "a" : i == 1 ? "a2" : "b";
		arms[i].size = base;
		arms[i].id = i == 2;
	}
	w.p.total = cfg->runs * 3;
	if (bench_net_up(&w.net, err, errlen) == -1)
		return (-1);
	(void)sched_getaffinity(0, sizeof(w.cpus0), &w.cpus0);
	(void)bench_machine_pin(w.cpu_gen);
	rc = ab_up(&w, ab, wl, tmp);
	if (rc == 0)
		rc = bench_rounds_run(&w.r, wl, arms, 3);
	if (cfg->progress)
		fprintf(stderr, "\n");
	for (i = 0; i < 2; i++)
		bench_hook_stop(w.hook[i]);
	if (tmp[0] != '\0')
		unlink(tmp);
	world_down(&w);
	if (rc == 0 && *cfg->stop) {
		snprintf(err, errlen, "interrupted");
		return (-1);
	}
	return (rc);
}

int
bench_work_hook(const char *ns, int queue, int cpu, const char *conf, int freebsd,
    char *err, size_t errlen)
{
	return (bench_hook_serve(ns, queue, cpu, conf, freebsd, err, errlen));
}
