/* tfb.h: the freebsd target's insides shared by target_freebsd.c (the world:
 * epair, lo1, jails, pf), target_freebsd_cmd.c (running FreeBSD's commands by
 * fork/exec with an argument vector, and the undo list that tears everything down),
 * target_freebsd_host.c (may this host be used), target_freebsd_ctl.c (pfctl, sysctl
 * and wait at run time) and target_freebsd_probe.c (the probes, through struct tfb_io).
 * Every ifconfig, jail, jexec, pfctl, sysctl, route ... of pfharness runs from here. */
#ifndef TFB_H
#define TFB_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "pkt/pkt.h"
#include "scn/scn.h"
#include "target/sink.h"
#include "target/target.h"
#include "wire/wire.h"

/* The file the Vagrant provisioner writes: this host may have its pf and interfaces
 * rewritten. Without it the target refuses unless --force. */
#define TFB_MARKER	"/var/db/pfharness-throwaway"
/* The boot ruleset, reloaded on exit when pf was enabled before the run. */
#define TFB_PF_CONF	"/etc/pf.conf"

struct tfb_cmd;		/* a command runner with its undo list */

#define TFB_IFN		32	/* an interface's name, with its NUL */

/* A runner. Commands are looked up on PATH (tests point PATH at tests/fake).
 * verbose: echo each command to stderr. NULL on allocation failure. */
struct tfb_cmd *tfb_cmd_new(int verbose);
/* Run the undo list (tfb_undo_all) and free. tfb_cmd_free(NULL) is a no-op. */
void	tfb_cmd_free(struct tfb_cmd *);

/* Run argv (NULL-terminated; argv[0] looked up on PATH) with no shell. Its stdout goes
 * to *out and its stderr to *err when they are not NULL (malloc'd, NUL-terminated,
 * caller frees). Returns the exit status (0..255), or -1 with d filled when it could
 * not be run or was killed by a signal. */
int	tfb_runv(struct tfb_cmd *, const char *const *argv, char **out, char **err,
	    struct diag *d);
/* The same with `input` (NULL: none) as the command's standard input. */
int	tfb_runv_in(struct tfb_cmd *, const char *const *argv, const char *input,
	    char **out, char **err, struct diag *d);
/* The same with the arguments listed (NULL last); any non-zero exit is an error added
 * to d with the command and its stderr. 0 or -1. */
int	tfb_run(struct tfb_cmd *, char **out, struct diag *d, const char *arg0, ...)
	    __attribute__((sentinel));

/* Record a command that undoes what was just created (NULL-terminated list). 0 or -1. */
int	tfb_undo_push(struct tfb_cmd *, const char *arg0, ...) __attribute__((sentinel));
/* Replace the newest undo command (after a rename). 0 or -1. */
int	tfb_undo_replace(struct tfb_cmd *, const char *arg0, ...) __attribute__((sentinel));
/* Run every undo command, newest first, each even when an earlier one failed, then
 * empty the list. Returns the number that failed; their errors go to d (may be NULL). */
int	tfb_undo_all(struct tfb_cmd *, struct diag *d);
/* Number of undo commands pending. */
int	tfb_undo_count(const struct tfb_cmd *);

/* For the bench (bench/bench_world_freebsd.c), which builds the same world around its
 * own generator and counters:
 * up as target_freebsd_ops.up (the same checks, objects and undo list) but without the
 * probe's wire and sink and without the system record; down, load_rules, counters ...
 * of target_freebsd_ops then work on it. */
int	target_freebsd_up_bare(struct target **, const struct scn *,
	    const struct target_opts *, struct diag *d);
/* The target's runner: what the caller adds to its undo list goes at down, newest first. */
struct tfb_cmd *target_freebsd_cmd(struct target *);
/* The primary external interface's epair b side (its wire). */
const char *target_freebsd_wire_if(const struct target *);
/* One more epair, as the target makes the external one: `ifconfig epair create`, the a
 * side renamed `name` (its destroy on c's undo list), put in the interface group
 * `prefix`, given a/plen (a NULL: no address) and up; the b side up, its name written
 * into bside (32 bytes). 0, or -1 with d. */
int	tfb_epair_make(struct tfb_cmd *c, const char *prefix, const char *name,
	    const struct pkt_addr *a, int plen, char *bside, struct diag *d);

/* The world of format v2 (target_freebsd_world.c), each object's undo on c's list:
 * links: the primary interface's other addresses and MTU, the other external
 * interfaces (an epair each, as tfb_epair_make: the b side of s->iface[i]'s into
 * wires[i], i >= 1), the public jails' aliases, the bridges; rest, once the loopback
 * jails exist: the interface groups, forwarding, the routes, the public jails and the
 * VNET jails. 0, or -1 with d. */
int	tfb_world_links(struct tfb_cmd *c, const char *prefix, const struct scn *s,
	    char (*wires)[TFB_IFN], struct diag *d);
int	tfb_world_rest(struct tfb_cmd *c, const char *prefix, const struct scn *s,
	    struct diag *d);
/* 1 when a lies in a network of a `route` or `router` (routed by tfb_world_rest). */
int	tfb_world_routed(const struct scn *s, const struct pkt_addr *a);

/*
 * The host (target_freebsd_host.c).
 */
/* Refuse (-1 with d) anything but FreeBSD, and, unless force, a host without the
 * throwaway marker. 0 when this host may be used. */
/* The scenario's release (`freebsd N`, --freebsd) against this host's kernel: 0 the
 * same or not said, 1 another (the reason in d: the run skips it), -1 unreadable. */
int	tfb_check_release(struct tfb_cmd *c, const struct scn *s, struct diag *d);
int	tfb_check_host(struct tfb_cmd *c, int force, struct diag *d);
/* Refuse (-1 with d) a host whose rc.conf says ifconfig_DEFAULT=...DHCP: devd would
 * start dhclient on the epairs the target makes. 0 otherwise. */
int	tfb_check_dhcp_default(struct tfb_cmd *c, struct diag *d);
/* Refuse (-1 with d) when a dhclient runs on one of the interfaces named in ifs
 * (NULL-terminated): its DHCP packets would cross pf mid-run. 0 when none does. */
int	tfb_check_dhclient(struct tfb_cmd *c, const char *const *ifs, struct diag *d);
/* Where the target looks for the throwaway marker (tests point it into tests/fake).
 * NULL restores TFB_MARKER. */
void	target_freebsd_set_marker(const char *path);
/* Cut trailing newlines and blanks, in place. */
void	tfb_chomp(char *s);
/* 1 when `name` is a word of the blank- or newline-separated list. */
int	tfb_in_list(const char *list, const char *name);

/*
 * pfctl, sysctl and wait at run time (target_freebsd_ctl.c).
 */
struct tfb_ctl;
/* What the runtime steps of one world did, on runner c (their undo commands go on its
 * list); relative `-f FILE` paths resolve from the folder of scn_path. NULL: memory. */
struct tfb_ctl *tfb_ctl_new(struct tfb_cmd *c, const char *scn_path);
/* Free. tfb_ctl_free(NULL) is a no-op. */
void	tfb_ctl_free(struct tfb_ctl *);
/* Run /sbin/pfctl with the step's argv, its text (c->input) on standard input; r gets
 * the exit status, the output and the messages, pfctl's `stdin:N:` renamed to the
 * scenario's file and line. An anchor the step changes is flushed at teardown. 0, or
 * -1 with d when pfctl could not run. */
int	tfb_ctl_pfctl(struct tfb_ctl *, const struct scn_pfctl *c, struct target_pfctl *r,
	    struct diag *d);
/* Before the undo list runs: the anchors the steps' rulesets made inside the anchors
 * they loaded are flushed too, and pf is enabled again when a step disabled it (the
 * undo list expects pf as the ruleset's load left it). Errors go to d. */
void	tfb_ctl_teardown(struct tfb_ctl *, struct diag *d);
/* `sysctl NAME=VALUE` (net.pf.*, checked with `sysctl -N` first: pf's tunables
 * differ between releases; and the host's forwarding, net.inet.ip.forwarding and
 * net.inet6.ip6.forwarding), the old value put back at teardown. Messages about the
 * scenario name file:line (file NULL: none). 0, or -1 with d. */
int	tfb_sysctl_set(struct tfb_cmd *c, const char *name, const char *value,
	    const char *file, int line, struct diag *d);
/* pfctl's messages `from:N: text` as `file:(line0 + N): text`; other lines as they
 * are. malloc'd, or NULL (memory). */
char	*tfb_pfctl_rename(const char *text, const char *from, const char *file,
	    int line0);
/* Sleep ms milliseconds (pf's clock is the real clock here). 0, or -1 with d when a
 * signal interrupted it. */
int	tfb_wait(uint64_t ms, struct diag *d);
/* Have tfb_wait call fn instead of sleeping (the tests log it); NULL restores it. */
void	target_freebsd_set_sleep(int (*fn)(uint64_t ms));

/* Write what a FreeBSD result must record into dir/system.txt: freebsd-version -ku,
 * uname -a and -i, the first lines of kern.conftxt, every net.pf sysctl, the harness
 * version. 0, or -1 with d filled. */
int	target_freebsd_record_system(const char *dir, struct diag *d);

/*
 * The probes (target_freebsd_probe.c): a wire on each external interface's epair b
 * side and the jails' sink, reached only through this table. tfb_io_real holds
 * wire.c's and sink.c's functions (sink_start_world, with the VNET jails' names); the
 * tests put a fake wire and sink (that log to the command plan) in its place, so that
 * what is sent, how settle ends and when the sink syncs are checked on Linux, where no
 * epair exists.
 */
struct tfb_io {
	struct wire	*(*wire_open)(const char *, const char *, char *, size_t);
	void		 (*wire_close)(struct wire *);
	int		 (*wire_fd)(const struct wire *);
	const uint8_t	*(*wire_mac)(const struct wire *);
	int		 (*wire_inject)(struct wire *, const uint8_t *, size_t, char *,
			    size_t);
	int		 (*wire_recv)(struct wire *, uint8_t *, size_t, uint64_t *);
	int		 (*wire_drain)(struct wire *);
	int		 (*wire_answer_neighbour)(struct wire *, const uint8_t *, size_t,
			    const uint8_t[6], const struct pkt_addr *, int, char *, size_t);
	int		 (*wire_dump_open)(struct wire *, const char *, char *, size_t);
	void		 (*wire_dump_close)(struct wire *);
	struct sink	*(*sink_start)(const char *, const char (*)[64], const struct scn *,
			    char *, size_t);
	void		 (*sink_stop)(struct sink *);
	int		 (*sink_fd)(const struct sink *);
	int		 (*sink_read)(struct sink *, struct sink_report *);
	int		 (*sink_sync)(struct sink *, uint32_t);
	int		 (*sink_connect)(struct sink *, uint32_t, int, int,
			    const struct pkt_addr *, uint16_t, const struct pkt_addr *,
			    uint16_t, int);
};
extern const struct tfb_io tfb_io_real;
/* Use `io` for every later wire and sink call; NULL restores tfb_io_real. */
void	target_freebsd_set_io(const struct tfb_io *io);

struct tfb_probe;
/* Open the wires of scenario s: ifnames[i] is the epair b side of s->iface[i] (one
 * entry when s has no interface). jailns[j] names VNET jail j's jail ("" for the other
 * jails; NULL: none), kept for the sink. NULL with d filled. */
struct tfb_probe *tfb_probe_open(const struct scn *s, const char *const *ifnames,
	    const char (*jailns)[64], struct diag *d);
/* Stop the sink, close the wire, free. tfb_probe_close(NULL) is a no-op. */
void	tfb_probe_close(struct tfb_probe *);
/* Tell settle whether the loaded ruleset makes pf send packets itself (return, synproxy). */
void	tfb_probe_pf_sends(struct tfb_probe *, int yes);
/* Learn the host's MAC on each wire over ARP, then start the sink. 0, or -1 with d. */
int	tfb_probe_sink(struct tfb_probe *, struct diag *d);
/* The target_ops of the same names (target.h), on the probe. */
int	tfb_probe_begin(struct tfb_probe *, const char *pcap_path, struct diag *d);
void	tfb_probe_end(struct tfb_probe *);
int	tfb_probe_send(struct tfb_probe *, const struct pkt *, struct diag *d);
int	tfb_probe_send_on(struct tfb_probe *, int wire, const struct pkt *,
	    struct diag *d);
int	tfb_probe_connect(struct tfb_probe *, int jail, int proto,
	    const struct pkt_addr *dst, uint16_t dport, const struct pkt_addr *from,
	    uint16_t fromport, struct diag *d);
int	tfb_probe_settle(struct tfb_probe *, int timeout_ms, struct diag *d);
const struct target_frame *tfb_probe_frames(struct tfb_probe *, int *n);
const struct target_delivery *tfb_probe_deliveries(struct tfb_probe *, int *n);
int	tfb_probe_outcome(struct tfb_probe *);
/* Async-signal-safe: make a settle in progress return -1 ("interrupted"). */
void	tfb_probe_interrupt(struct tfb_probe *);

#endif
