/* bench_world_freebsd.h: the benchmark's world on FreeBSD, built by the freebsd target's
 * own code (harness/target/freebsd/): em0 (outside, 203.0.113.1/24) and em1 (inside,
 * 10.99.0.14/28) are epairs whose b sides wire0 and wire1 the generator and the wire
 * counters use, a spare epair for the generator alone, lo1 with the sink's jail, IP
 * forwarding, static ARP for the far ends, and pf switched on (ruleset loaded with
 * pfctl -f) or off (pfctl -d). Every object is on the target's undo list. */
#ifndef BENCH_WORLD_FREEBSD_H
#define BENCH_WORLD_FREEBSD_H

#include <stdint.h>

#include "base/diag.h"
#include "pfctl/pfctl_out.h"

#define BENCH_WORLD_PREFIX	"pfhbench"	/* interface group, jail name prefix */
#define BENCH_WORLD_JAIL	"pfhbench_sink"	/* the UDP sink's jail (10.99.1.1) */

/* The world's ports: the host's ends, the wires' ends, the spare pair (the generator
 * sends on gen0; its frames die at gen1, which has no address). */
enum bench_world_port { BW_EM0, BW_EM1, BW_WIRE0, BW_WIRE1, BW_GEN0, BW_GEN1, BW_NPORT };

struct target;
struct tfb_cmd;
struct scn;

struct bench_world {
	struct target	*t;		/* NULL: not built */
	struct tfb_cmd	*cmd;
	struct scn	*s;		/* the world as a scenario */
	char		*pf_text;	/* the scenario's own ruleset, restored before free */
	char		 ifname[BW_NPORT][32];
	int		 pf_off;	/* pf disabled by the bench: enabled again at down */
};

/* The MAC address every port is given: work_def.h's bench_port_mac, indexed by this
 * enum (the same as the Linux bench's). */

/* Remove a crashed bench run's leftovers, record the system in dir/system.txt, build
 * the world and load `pass all` with pf enabled (each ruleset is written to
 * dir/pf.conf). 0, or -1 with d (what was built is then already removed). */
int	bench_world_up(struct bench_world *, const char *dir, struct diag *d);
/* Enable pf again if the bench disabled it, then undo everything, newest first. Safe
 * after a failed up and twice. */
void	bench_world_down(struct bench_world *);
/* pf on (pfctl -e when the bench disabled it, the ruleset `conf` loaded, the state
 * table flushed) or off (pfctl -d; conf unused). 0, or -1 with d. */
int	bench_world_pf(struct bench_world *, int on, const char *conf, struct diag *d);
/* pfctl -si parsed. 0, or -1 with d. */
int	bench_world_info(struct bench_world *, struct pfctl_info *, struct diag *d);
/* Bytes pf's state zones hold now (vmstat -z: `pf states` and `pf state keys`, USED x
 * SIZE). 0, or -1 with d. */
int	bench_world_state_bytes(struct bench_world *, uint64_t *bytes, struct diag *d);
/* The same from `vmstat -z` text; 0, or -1 when a zone is missing. */
int	bench_world_zone_bytes(const char *vmstat, uint64_t *bytes);

#endif
