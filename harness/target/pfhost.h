/* pfhost.h: a scenario's host as pf sees it: the interfaces and addresses pfctl
 * resolves `(em0)`, `self` and `lo` against, the same for the model and linux targets. */
#ifndef TARGET_PFHOST_H
#define TARGET_PFHOST_H

#include "base/diag.h"
#include "pf/pfm.h"
#include "scn/scn.h"

/* The host of s: its external interface with the public address, lo0 (127.0.0.1/8,
 * ::1/128, fe80::1/64) and the jails' loopback in group lo with every jail address
 * (/32, /128). The jails' interface name into jail_if (PFM_IFNAMSIZ bytes). 0, or -1
 * with `file:line:` in d (more addresses or interfaces than the model holds). */
int	target_pfhost(const struct scn *s, struct pfm_host *h, char *jail_if,
	    struct diag *d);

#endif
