/* tfb_fakeio.h: the fake wire and sink of tests/tfb_fakeio.c for the freebsd target. */
#ifndef TFB_FAKEIO_H
#define TFB_FAKEIO_H

#include "target/freebsd/tfb.h"

extern const struct tfb_io tfb_fakeio;
extern int tfb_fakeio_arp_mute;	/* the fake host ignores ARP requests */
extern int tfb_fakeio_neighbour;	/* it asks ARP for the gateway before the SYN-ACK */
extern int tfb_fakeio_pf_late_ms;	/* its RST to port 111 comes this late, as pf's do */
extern int tfb_fakeio_up_on_wire;	/* IP frames the host sent to epairNb's own MAC */

/* The scenario the fake host behind the wire plays; resets the knobs. */
void	tfb_fakeio_host(const struct scn *);

#endif
