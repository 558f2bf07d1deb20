/* work_freebsd.c: the bench's entry points on FreeBSD (work.h): the workloads run
 * by bench_run_freebsd.c with the BPF generator (gen_freebsd.c) and the receivers
 * (recv_freebsd.c); the generator alone; no smoke check yet. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "bench_run_freebsd.h"
#include "bench_world_freebsd.h"
#include "gen.h"
#include "recv.h"
#include "work.h"
#include "work_def.h"

#define BENCH_DIR	"results/bench-freebsd"	/* system.txt, the last pf.conf */

static const struct bench_io io_real = {
	gen_open, gen_send, gen_rewind, gen_close, recv_start, recv_count, recv_stop
};

const char *
bench_work_target(void)
{
	return ("freebsd");
}

int
bench_work_run(const struct bench_cfg *cfg, struct bench_csv *csv, char *err,
    size_t errlen)
{
	(void)mkdir("results", 0755);
	return (bench_fbsd_run(cfg, csv, &io_real, BENCH_DIR, err, errlen));
}

int
bench_work_smoke(const struct bench_cfg *cfg, FILE *out, char *err, size_t errlen)
{
	(void)cfg;
	(void)out;
	snprintf(err, errlen, "bench smoke is not implemented on FreeBSD: it needs every "
	    "drop counted (epair queues, ip and udp statistics, pf's blocks), which the "
	    "FreeBSD half does not read yet");
	return (-1);
}

int
bench_work_gen(const char *ns, const char *ifname, const uint8_t dst_mac[6], double pps,
    double secs, volatile sig_atomic_t *stop, uint64_t *sent, double *elapsed, char *err,
    size_t errlen)
{
	const struct bench_wl *wl = bench_wl_find("forward");
	struct gen_spec sp;
	struct gen_result r;
	struct bench_gen *g;
	int rc;

	if (ns != NULL) {
		snprintf(err, errlen, "--netns %s: FreeBSD has no network namespaces; the "
		    "generator runs on the host's interface", ns);
		return (-1);
	}
	bench_wl_gen_spec(wl, bench_port_mac[BW_GEN0], dst_mac, BENCH_FLOWS, &sp);
	if ((g = gen_open(ifname, &sp, err, errlen)) == NULL)
		return (-1);
	rc = gen_send(g, UINT64_MAX, pps, secs, stop, &r, err, errlen);
	gen_close(g);
	if (rc == 0) {
		*sent = r.sent;
		*elapsed = r.seconds;
	}
	return (rc);
}
