/* work_def.h: the benchmark's workloads as data, shared by both platforms' halves
 * (work_linux.c on Linux, work_freebsd.c on FreeBSD): what each sends, where, under which
 * ruleset, at which sizes; the CSV's mode names; the RFC 2544 loss-free search. */
#ifndef BENCH_WORK_DEF_H
#define BENCH_WORK_DEF_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "recv.h"

/* The host's two wires: outside (em0, 203.0.113.1/24, the generator's far end wire0)
 * and inside (em1, 10.99.0.14/28, far end wire1). */
enum bench_side { BENCH_SIDE_OUT, BENCH_SIDE_IN };

/* The CSV's mode column, indexed by work_pts.h's enum bench_mode:
 * "gen" (the generator alone), "nopf" (pf off), "pf" (pf on). */
extern const char *const bench_mode_name[3];

/* A workload: where the generator sends, what it sends, where it is counted. */
struct bench_wl {
	const char	*name;
	enum bench_side	 gen;			/* the generator's wire */
	uint8_t		 src[4], dst[4];
	uint16_t	 dport;
	uint32_t	 nsrc;			/* source addresses src, src + 1, ... */
	enum recv_kind	 rk;
	enum bench_side	 recv;			/* RECV_WIRE: the counter's wire */
	const char	*conf;			/* pf.conf; rules: the final rule */
	const char	*size_unit;
	uint16_t	 recv_port;		/* 0: dport */
	/* Where pf off sends (0.0.0.0: dst): the address pf on's translation makes, so
	 * that both travel the same path but for pf (rdr-in: the jail, not em0). */
	uint8_t		 off_dst[4];
};

#define BENCH_NWL	5
extern const struct bench_wl bench_wls[BENCH_NWL];
/* Smoke only: datagrams to a port nobody listens on, so that every one is dropped and
 * must be found in the host's counters. */
extern const struct bench_wl bench_wl_noport;

#define BENCH_FLOWS	256
#define BENCH_PAYLOAD	18		/* 60-byte frames: the smallest Ethernet frame */

/* The workload named `name`, or NULL. */
const struct bench_wl *bench_wl_find(const char *name);
/* The sizes of a workload's points into out (room for 8); returns how many. */
int	bench_wl_sizes(const struct bench_wl *, int full, long *out);
/* The rules workload's ruleset of n rules (n - 1 that no packet matches, varied so
 * that skip steps cannot jump them together, then the final pass). Malloc'd, or NULL. */
char	*bench_wl_rules_conf(long n);
/* The ruleset of a point: rules_conf for the rules workload, else a copy of wl->conf.
 * Malloc'd, or NULL when out of memory. */
char	*bench_wl_conf(const struct bench_wl *, long size);

/* The MAC address of each of the world's ports, indexed by bench_net.h's enum
 * bench_port (Linux) and bench_world_freebsd.h's enum bench_world_port (FreeBSD),
 * which name the same ports in the same order: em0, em1, wire0, wire1, gen0, gen1. */
#define BENCH_NPORTS	6
extern const uint8_t bench_port_mac[BENCH_NPORTS][6];
/* Port `port`'s MAC as xx:xx:xx:xx:xx:xx into buf (18 bytes); returns buf. */
const char *bench_mac_text(int port, char *buf);

struct gen_spec;
/* The generator's frames for workload wl: UDP from wl->src (wl->nsrc addresses) and
 * port 1024 (and up) to wl->dst port wl->dport, BENCH_PAYLOAD bytes of payload, from
 * src_mac to dst_mac, `flows` flows (addresses first, then ports). */
void	bench_wl_gen_spec(const struct bench_wl *, const uint8_t src_mac[6],
	    const uint8_t dst_mac[6], uint64_t flows, struct gen_spec *);
/* The counter's kind and port for workload wl (wl->recv_port, else wl->dport); where it
 * counts (namespace, interface) is left to the platform. */
void	bench_wl_recv_spec(const struct bench_wl *, struct recv_spec *);


/* Percent of `sent` that did not arrive (0 when nothing was sent). */
double	bench_loss_pct(uint64_t sent, uint64_t recv);

/* One trial of the loss-free search: offer `pps` and say what was sent and received
 * in how many seconds. 0, or -1 on error (the search stops). */
typedef int (*bench_trial_fn)(void *arg, double pps, uint64_t *sent, uint64_t *recv,
	    double *secs);
/* RFC 2544: the highest offered rate with no loss, by `steps` bisections below `hi`
 * (stopping early when *stop is set). 0 with *out, or -1 when a trial failed. */
int	bench_lossfree(bench_trial_fn, void *arg, int steps, double hi,
	    volatile sig_atomic_t *stop, double *out);

#endif
