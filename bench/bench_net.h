/* bench_net.h: the benchmark's world on Linux: a host namespace (where pf's hook runs)
 * with em0 (outside, 203.0.113.1/24) and em1 (inside, 10.99.0.14/28) and a wire
 * namespace holding their far ends wire0 and wire1 plus a spare veth pair gen0/gen1
 * for the generator alone. Built with the linux target's netns_* functions. */
#ifndef BENCH_NET_H
#define BENCH_NET_H

#include <stdint.h>

#define BENCH_NET_PREFIX	"pfhbench"

enum bench_port { BENCH_EM0, BENCH_EM1, BENCH_WIRE0, BENCH_WIRE1, BENCH_GEN0,
	BENCH_GEN1, BENCH_NPORT };

struct bench_net {
	char	host[32], wire[32];	/* namespace names, BENCH_NET_PREFIX<pid>{h,w} */
	int	built;
	int	hook;			/* NFQUEUE rules installed */
	int	queue;			/* their queue */
};

/* Interface names of the world; their MAC addresses are work_def.h's bench_port_mac
 * (the FreeBSD world's too). */
extern const char *const bench_net_ifname[BENCH_NPORT];

/* Remove stale namespaces of dead runs, then build the world. 0, or -1 with err
 * (what was built is then already deleted). */
int	bench_net_up(struct bench_net *, char *err, size_t errlen);
/* Delete both namespaces; safe after a partial bench_net_up and twice. */
void	bench_net_down(struct bench_net *);
/* Install (on = 1) or remove the NFQUEUE rules of the host namespace (conntrack stays
 * off either way, so pf on and off differ only by the hook). 0 or -1 with err. */
int	bench_net_hook(struct bench_net *, int on, char *err, size_t errlen);
/* The same with the rules sending to NFQUEUE `queue` (-1: no rules). */
int	bench_net_hook_queue(struct bench_net *, int queue, char *err, size_t errlen);

/* Packets NFQUEUE `queue` of the host namespace has handed to its hook so far (its id
 * sequence). 0, or -1 when it cannot be read. */
int	bench_net_queue_seq(struct bench_net *, int queue, uint64_t *seq);

/* Packets the kernel counted as dropped in the world so far: every interface's rx
 * and tx drops in both namespaces, the host's IP and UDP discards, and the NFQUEUE
 * queue's drops. -1 ... never: unreadable counters count as 0 and set *partial. */
uint64_t bench_net_drops(struct bench_net *, int *partial);

#endif
