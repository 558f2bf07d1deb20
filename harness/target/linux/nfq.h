/* nfq.h: the linux target's hook: a thread that takes every packet the host namespace
 * queues (NFQUEUE, PREROUTING and POSTROUTING) and runs it through the pf model, as
 * FreeBSD runs pf_test on ip_input and ip_output (and, with net.pf.filter_local=1, the
 * INPUT hook as `in on lo0`). The only user of libnetfilter_queue. Packets are taken
 * up to 64 per system call and their verdicts given in one, in packet order (runs of
 * unmodified accepts as one batch verdict), so the sentinel's ordering holds. */
#ifndef NFQ_H
#define NFQ_H

#include <stdint.h>
#include <stdio.h>

#include "pkt/pkt.h"

struct nfq;
struct pfm;

/* The sentinel (target_linux_settle.c): an ICMP echo with this id and a payload
 * starting with this magic passes the hook without pf, in both directions. */
#define NFQ_SENTINEL_ID		0x7066
#define NFQ_SENTINEL_MAGIC	"pfharness-sentinel"

struct nfq_opts {
	const char	*netns;		/* the host namespace's name */
	int		 queue;		/* NFQUEUE number */
	unsigned int	 mark_skip;	/* mark of the replies the hook sends itself */
	const char	*lo_if;		/* the scenario's loopback ("lo1"), "" if none */
	struct pkt_addr	 lo_net;	/* the jails' loopback network */
	int		 lo_plen;
	int		 cpu;		/* pin the thread to this CPU; -1: do not pin */
};

struct nfq_stats {
	uint64_t	packets, passed, dropped, rewritten, replies, sentinels, errors;
	/* of `dropped`, the UDP packets: the bench's own traffic is UDP, while pf also
	 * drops what the namespaces send on their own (IGMP reports with the router
	 * alert option: `ip-option` without allow-opts, as FreeBSD's pf does) */
	uint64_t	dropped_udp;
	/* pf's own packets that do not skip pf (synproxy's SYN and ACK to the server):
	 * they come back through the hook, after the packet that made them */
	uint64_t	pf_sent;
	/* pf's own time: the monotonic ns spent in pf's test of pf_tested packets
	 * (the verdicts' system calls between two packets of a batch left out, and
	 * the batches during which the thread lost its CPU) */
	uint64_t	pf_ns, pf_tested;
};

/* Start the hook thread in the host namespace, with pf (may be NULL: pass everything
 * until nfq_set_pf). Returns the hook, or NULL with err. Stop it with nfq_stop. */
struct nfq *nfq_start(const struct nfq_opts *, struct pfm *pf, char *err, size_t errlen);
/* Stop the thread and release the queue; pf is not freed. nfq_stop(NULL) is a no-op. */
void	nfq_stop(struct nfq *);
/* Replace the pf the hook uses (NULL: pass everything); returns the previous one. */
struct pfm *nfq_set_pf(struct nfq *, struct pfm *pf);
/* Hold the hook still and return its pf (may be NULL) for the caller to use; release
 * with nfq_pf_unlock. */
struct pfm *nfq_pf_lock(struct nfq *);
void	nfq_pf_unlock(struct nfq *);
/* pf's clock (ms): the monotonic clock plus what `wait` steps added; read it with the
 * pf locked. nfq_clock_advance moves it on by ms (timeouts then expire as if that
 * much time had passed). */
uint64_t nfq_pf_now(struct nfq *);
void	nfq_clock_advance(struct nfq *, uint64_t ms);
/* pfctl -ss / -si / -sr -vv of the hook's pf into f, under the lock. */
void	nfq_states(struct nfq *, FILE *f);
void	nfq_info(struct nfq *, FILE *f);
void	nfq_rules(struct nfq *, FILE *f);
/* CPU seconds the hook's thread has used (with the kernel's work done on it). */
double	nfq_cpu_seconds(struct nfq *);
/* Counters of the hook itself. */
void	nfq_get_stats(struct nfq *, struct nfq_stats *);
/* Packets of the host's own sockets that pf dropped going out (FreeBSD's ip_output
 * then fails the sender with EACCES). nfq_drop_fd is readable after each such drop
 * (read it empty); nfq_local_drops counts them; nfq_local_dropped says whether one of
 * the drops after the first `since` came from src:sport with protocol proto. */
int	nfq_drop_fd(struct nfq *);
uint64_t nfq_local_drops(struct nfq *);
int	nfq_local_dropped(struct nfq *, uint64_t since, int proto,
	    const struct pkt_addr *src, uint16_t sport);
/* 1 when the L3 packet is a sentinel echo request or reply. */
int	nfq_is_sentinel(const uint8_t *l3, size_t len);

#endif
