/* sink_impl.h: the sink's state, shared by sink.c (the harness's side: start, stop,
 * commands, reports) and sink_child.c (the forked process). Not for other modules. */
#ifndef SINK_IMPL_H
#define SINK_IMPL_H

#include <sys/types.h>

#include <poll.h>
#include <stdint.h>

#include "sink.h"

#define SINK_PENDING	64
#define SINK_RAW_MAX	64	/* raw ICMP sockets: two per namespace */

enum sink_op { SINK_OP_SYNC, SINK_OP_CONNECT, SINK_OP_ABORT };

struct sink_cmd {
	enum sink_op	op;
	uint32_t	seq;
	int		jail, proto, has_from, timeout_ms;
	struct pkt_addr	dst, from;
	uint16_t	dport, fport;
};

struct listener {
	int		fd, jail, proto;
	struct pkt_addr	addr;
	uint16_t	port;
	int		ns;		/* the jail whose namespace it is in; -1: home */
};

struct pending {
	int		fd, used, jail, proto;
	uint32_t	seq;
	uint64_t	deadline;
	int		ping;		/* an echo request: ... */
	uint16_t	ping_seq;	/* ... its sequence, to dst */
	struct pkt_addr	dst;
};

/* A raw ICMP socket recording what a namespace receives. */
struct rawsock {
	int		fd, af;
	int		ns;		/* the VNET jail whose it is, -1: home (the host's) */
};

/* A non-VNET jail's address: ICMP messages to it are that jail's. */
struct owner {
	struct pkt_addr	addr;
	int		jail;
};

struct sink {
	pid_t		 pid;
	int		 cmd_w, rep_r;
	/* The child's working set, allocated before the fork: the child never mallocs. */
	struct listener	*l;
	int		 nl;
	struct pkt_addr	(*jaddr)[2];	/* each jail's first IPv4 and IPv6 address */
	int		 njail;
	struct pending	 p[SINK_PENDING];
	struct pollfd	*pfd;
	int		*nsfd;		/* by jail: its namespace (sink_os_open), or -1 */
	int		 homefd;	/* the namespace the child lives in, or -1 */
	int		 v6;		/* the world has IPv6 */
	struct rawsock	 raw[SINK_RAW_MAX];
	int		 nraw;
	struct owner	*own;
	int		 nown;
	uint16_t	 ping_seq;
	int		 njail_ns;	/* nsfd's length */
	int		*keep;		/* the child's descriptors (child_setup) */
};

/* In the forked child: die with the harness ppid, hold only the pipes and the
 * namespaces, bind every listener and raw socket (reporting READY or ERROR on rep_w),
 * then serve commands from cmd_r until the harness closes it. Never returns. */
void	sink_child_run(struct sink *, int cmd_r, int rep_w, pid_t ppid)
	    __attribute__((noreturn));

#endif
