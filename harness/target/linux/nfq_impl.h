/* nfq_impl.h: the NFQUEUE hook's insides, shared by nfq.c (the thread, pf on each
 * batch) and nfq_out.c (verdicts and packets sent). Not for other modules. */
#ifndef NFQ_IMPL_H
#define NFQ_IMPL_H

#include <sys/socket.h>
#include <net/if.h>

#include <pthread.h>
#include <stdint.h>

#include "nfq.h"
#include "pf/pfm.h"
#include "pkt/pkt.h"

struct nfq_handle;
struct nfq_q_handle;

#define NFQ_IFCACHE	64
#define NFQ_BATCH	64		/* messages taken per recvmmsg */
#define NFQ_SLOT	(65536 + 4096)	/* one message: a whole packet and its attributes */
#define NFQ_TXBUF	(192 * 1024)	/* verdicts sent at once (< the default sndbuf) */
#define NFQ_RCVBUF	(16 * 1024 * 1024)
#define NFQ_EXPIRE_MS	1000
#define NFQ_DROPS	64

/* A locally sent packet pf dropped on its way out. */
struct nfq_drop {
	int		proto;
	struct pkt_addr	src;
	uint16_t	sport;
};

#define NFQ_PEND	NFQ_BATCH	/* packets held for one pfm_test_batch */

/* One queued packet between its callback and its verdict. */
struct nfq_pend {
	uint32_t	 id;
	uint8_t		*p;		/* in q->rx, until the next recvmmsg */
	int		 len;		/* -1: no payload (dropped unseen) */
	enum pfm_dir	 dir;
	const char	*ifn;		/* the interface pf sees it on; NULL: pf does not run */
	int		 local;		/* sent by the host itself (no input device) */
	int		 sentinel;
};

struct nfq {
	struct nfq_opts	 o;
	char		 netns[64];
	char		 lo_if[PFM_IFNAMSIZ];
	pthread_t	 thread;
	int		 running;
	int		 stop[2];		/* self-pipe: the thread's stop signal */
	pthread_mutex_t	 mu;		/* guards pf and stats */
	struct pfm	*pf;
	struct nfq_stats st;
	struct nfq_drop	 drop[NFQ_DROPS];	/* a ring, drop[ndrop % NFQ_DROPS] next */
	uint64_t	 ndrop;
	int		 dropfd[2];

	/* Thread side. */
	struct nfq_handle *h;
	struct nfq_q_handle *qh;
	int		 raw4, raw6;
	int		 raw4pf, raw6pf;	/* unmarked: pf's packets pf sees again */
	char		 ifname[NFQ_IFCACHE][IF_NAMESIZE];
	uint64_t	 last_expire;
	uint64_t	 now;		/* ms, once per batch */
	uint64_t	 skew;		/* ms pf's clock runs ahead (`wait` steps); q->mu */
	/* The packets of a batch between their callback and their verdict, in order:
	 * pf tests them together (pfm_test_batch), then each gets its verdict. */
	struct nfq_pend	 pend[NFQ_PEND];
	int		 npend, nsettled;
	uint64_t	 pf_mark;	/* ns: since when pf has been testing */
	uint64_t	 pf_batch_ns;	/* pf's time in the batch so far */
	struct pfm_batch bat[NFQ_PEND];
	struct pfm_verdict vs[NFQ_PEND];
	uint8_t		*rx;		/* NFQ_BATCH slots of NFQ_SLOT bytes */
	struct mmsghdr	 mmsg[NFQ_BATCH];
	struct iovec	 iov[NFQ_BATCH];
	/* Verdicts of a batch, in packet order: a run of unmodified accepts becomes one
	 * VERDICT_BATCH message (every id up to run_last), the rest one message each; all
	 * go to the kernel in one sendmsg, which reinjects them in that order. */
	uint8_t		 tx[NFQ_TXBUF];
	size_t		 txlen;
	uint32_t	 run_last;
	int		 run;

	/* Start handshake. */
	pthread_mutex_t	 smu;
	pthread_cond_t	 scv;
	int		 started;	/* 1 ok, -1 failed */
	char		 err[256];
};

/* nfq_out.c; every one runs with q->mu held. */
/* The verdict on packet id, in packet order; p: the rewritten packet, or NULL. */
void	nfq_verdict(struct nfq *q, uint32_t id, int v, const uint8_t *p, size_t len);
/* Close the run of unmodified accepts (one VERDICT_BATCH message). */
void	nfq_run_flush(struct nfq *q);
/* Send the verdicts gathered so far to the kernel. */
void	nfq_tx_send(struct nfq *q);
/* Send a packet pf made (skip: marked so the hook lets it pass). */
void	nfq_send_reply(struct nfq *q, const uint8_t *p, size_t len, int skip);
/* Note a drop of the host's own packet. */
void	nfq_local_drop(struct nfq *q, const uint8_t *p, size_t len);

#endif
