/* pfhost.h: a scenario's host as pf sees it: the interfaces, addresses and groups pfctl
 * resolves `(em0)`, `em0:network`, `self`, `lo` and `egress` against, the same for the
 * model and linux targets (and the names the freebsd target gives what it creates). */
#ifndef TARGET_PFHOST_H
#define TARGET_PFHOST_H

#include "base/diag.h"
#include "pf/pfm.h"
#include "scn/scn.h"

/* The host of s, interfaces in this order: every external interface (`host IF ...`)
 * with its addresses in the order written and the public jails' addresses (/32,
 * /128, as jail(8) adds ip4.addr without a mask); lo0 (127.0.0.1/8, ::1/128,
 * fe80::1/64); the jails' loopback in group lo with every jail address (/32, /128);
 * each bridge with its address (group bridge); each VNET jail's host-side epair
 * (epairNa, no address, group epair). Then the `group` statements. The jails' loopback
 * name into jail_if (PFM_IFNAMSIZ bytes; "lo0" when there is none). 0, or -1 with
 * `file:line:` in d (more addresses, interfaces or groups than the model holds). */
int	target_pfhost(const struct scn *s, struct pfm_host *h, char *jail_if,
	    struct diag *d);

/* The VNET jails are numbered in the order declared: jail `jail`'s number (its epair
 * is epair<N>a on the host, epair<N>b in the jail), or -1 when it is no VNET jail. */
int	pfhost_vnet_index(const struct scn *s, int jail);

#endif
