/* target_linux_impl.h: the linux target's state, shared by target_linux.c (the world,
 * rules, probes), target_linux_settle.c (the wire, the sink and the sentinel) and
 * target_linux_ctl.c (the runtime steps). */
#ifndef TARGET_LINUX_IMPL_H
#define TARGET_LINUX_IMPL_H

#include <poll.h>
#include <sched.h>
#include <stdint.h>

#include "target/client.h"
#include "nfq.h"
#include "target/obs.h"
#include "pf/pfm.h"
#include "pkt/pkt.h"
#include "scn/scn.h"
#include "target/sink.h"
#include "target/target.h"
#include "target/target_wire.h"
#include "wire/wire.h"

#define TL_CONNECT_MS	500	/* a connect that has no answer by then is a timeout */
#define TL_ANSWERS_MAX	8

/* One wire: the harness's end of an external interface's veth. */
struct tl_wire {
	struct wire	*w;
	struct pkt_addr	*nb;		/* addresses it answers ARP/NDP for, with mac */
	int		 nnb;
	uint8_t		 host_mac[6], mac[6];
};

struct target {
	const struct scn *scn;
	char		 hostns[64], wirens[64];
	char		(*jailns)[64];	/* by jail index: a VNET jail's namespace, or "" */
	int		 built;
	char		 services[1024];
	int		 has_services;
	struct pfm_host	 host;
	struct pfm	*pf;
	struct nfq	*nfq;
	struct sink	*sink;
	struct tl_wire	*wire;		/* by scn->iface index */
	int		 nwire;
	struct client_sim *cs;
	int		 intr[2];	/* interrupt self-pipe */
	cpu_set_t	 oldcpu;	/* the caller's affinity, restored by down */
	int		 pinned;
	uint32_t	 seq;		/* sentinel, sync and connect sequence */
	struct tw_conn	 conn;		/* the probe's connect */
	int		 conn_proto;
	uint64_t	 conn_drops;	/* the hook's local drops before it */
	int		 sentinel_seen;
	uint32_t	 sentinel_seq;
	int		 answered;	/* answers injected since the last sentinel */
	uint64_t	 pf_sent;	/* the hook's pf_sent when the last sentinel came */
	struct pollfd	*pfd;		/* the wires', the sink's, the hook's, interrupt */
	uint8_t		 buf[PKT_FRAME_MAX];
	struct obs	 obs;		/* the probe's frames and deliveries */
};

/* Take the sink's reports that are waiting (keep: record them for the probe); the seq
 * of a SYNC seen, or 0; -1 when the sink is gone. */
long	tl_sink_reports(struct target *, int keep);
/* Inject a packet from the outside on wire `wire` (its fragments with `frag N`). */
int	tl_inject(struct target *, int wire, const struct pkt *, struct diag *);
/* End a probe: wait for its connect's outcome, then sentinels until no answer or pf
 * packet follows the last, then a sync with the sink. */
int	tl_settle(struct target *, int timeout_ms, struct diag *);
/* target_linux_ctl.c: the runtime steps (target_ops pfctl, sysctl, wait). */
int	tl_pfctl(struct target *, const struct scn_pfctl *, struct target_pfctl *,
	    struct diag *);
int	tl_sysctl(struct target *, const char *name, const char *value, struct diag *);
int	tl_wait(struct target *, uint64_t ms, struct diag *);

#endif
