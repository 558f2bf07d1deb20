/* target_model_impl.h: the model target's state, shared by target_model.c (the ops) and
 * target_model_path.c (the packet path: pf, routing, forwarding, the wires, the VNET
 * jails' stacks). Not for other modules. */
#ifndef TARGET_MODEL_IMPL_H
#define TARGET_MODEL_IMPL_H

#include <stdint.h>

#include "hoststack.h"
#include "pf/pfm.h"
#include "pkt/pkt.h"
#include "scn/scn.h"
#include "target/client.h"
#include "target/target.h"
#include "wire/wire_pcap.h"

#define TM_LO0		"lo0"
#define TM_QUEUE_MAX	256
#define TM_HOPS_MAX	10000
#define TM_ANSWERS_MAX	4
#define TM_MTU		1500	/* an interface's MTU when the scenario gives none */

enum tm_where {
	TM_FROM_WIRE,		/* arrives on external interface `wire` from a client */
	TM_FROM_STACK,		/* the host's stack sends it */
	TM_IN_IF,		/* arrives on `ifname`: looped back (lo0, the jails'
				 * loopback), or from a VNET jail (its bridge) */
	TM_FROM_VNET		/* VNET jail `jail`'s own stack sends it */
};

struct tm_item {
	enum tm_where	where;
	const char	*ifname;	/* TM_IN_IF: the interface's name (scn's) */
	int		wire;		/* TM_FROM_WIRE */
	int		jail;		/* TM_FROM_VNET */
	size_t		len;
	uint8_t		buf[PKT_FRAME_MAX];
};

/* Where the host routes a destination. */
enum tm_rt_kind { TM_RT_NONE, TM_RT_LOCAL, TM_RT_WIRE, TM_RT_BRIDGE };

struct tm_rt {
	enum tm_rt_kind	kind;
	int		idx;		/* WIRE: index in scn->iface; BRIDGE: in scn->bridge */
	const char	*ifname;	/* the interface pf sees the packet leave by */
	struct pkt_addr	src;		/* the source a new connection takes (af 0: none) */
};

/* What a VNET jail's stack hands its callback. */
struct tm_varg {
	struct target	*t;
	int		 jail;
};

struct target {
	const struct scn	*scn;
	const char		*services;
	struct pfm		*pf;
	struct client_sim	*cl;
	struct hoststack	*hs;		/* the host's and its non-VNET jails' */
	struct hoststack	**vnet;		/* by jail index: a VNET jail's own, or NULL */
	struct tm_varg		*varg;		/* by jail index */
	struct hoststack	*conn_hs;	/* the stack of the probe's last connect */
	char			 jail_if[PFM_IFNAMSIZ];	/* the interface of jail addresses */
	int			 fwd4, fwd6;	/* net.inet{,6}.ip{,6}.forwarding */
	int			 connected;	/* a connect since probe_begin */
	uint64_t		 now_ms;
	uint64_t		 wall0_us;	/* pcap timestamps: wall clock at up */
	struct target_frame	*frame;
	int			 nframe, cframe;
	struct target_delivery	*deliv;		/* every stack's, gathered */
	int			 ndeliv, cdeliv;
	int			*taken;		/* by stack (tm_stack): deliveries gathered */
	struct wire_pcap	**pcap;		/* by wire */
	struct tm_item		*queue;
	int			 qhead, qlen;
	int			 overflow;
};

/* target_model_path.c */
/* Queue an L3 packet at `where` (wire: TM_FROM_WIRE's; ifname: TM_IN_IF's; jail:
 * TM_FROM_VNET's). A full queue sets t->overflow. */
void	tm_push(struct target *, enum tm_where where, int wire, const char *ifname,
	    int jail, const uint8_t *buf, size_t len);
/* Build p and queue it as tm_push does. */
void	tm_emit(struct target *, enum tm_where where, int wire, int jail,
	    const struct pkt *p);
/* `send ... frag N`: the client's fragments onto wire `wire`, in sending order. */
void	tm_emit_frags(struct target *, int wire, const struct pkt *p);
/* Run the queue until quiet. 0, or -1 with d filled. */
int	tm_run(struct target *, struct diag *d);
/* The host's route to dst. */
void	tm_route(const struct target *, const struct pkt_addr *dst, struct tm_rt *rt);
/* hoststack's callbacks: the host's stack, a VNET jail's stack sends a packet. */
void	tm_stack_emit(void *arg, const struct pkt *p);
void	tm_vnet_emit(void *arg, const struct pkt *p);

#endif
