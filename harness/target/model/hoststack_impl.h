/* hoststack_impl.h: the simulated host stack's state, shared by its sockets
 * (hoststack.c) and its reassembly of fragments (hoststack_reass.c). */
#ifndef HOSTSTACK_IMPL_H
#define HOSTSTACK_IMPL_H

#include "hoststack.h"

struct hs_conn;		/* a socket (hoststack.c) */
struct hs_reass;	/* a reassembly queue (hoststack_reass.c) */

struct hoststack {
	const struct scn	*scn;
	int			 scope;		/* SCN_HOST, or the VNET jail */
	uint16_t		 ping_seq;
	hoststack_emit_fn	 emit;
	void			*arg;
	int			 listening;
	uint32_t		 isn;
	uint16_t		 eph;
	struct hs_conn		*conn;
	int			 nconn, cconn;
	int			 cur_conn;	/* the probe's last connect, or -1 */
	int			 outcome;
	struct target_delivery	*deliv;
	int			 ndeliv, cdeliv;
	int			 error;
	struct hs_reass		*reass;		/* ip_reass/frag6 queues (hoststack_reass.c) */
	int			 reass_next;	/* the slot a new queue takes */
};

#endif
