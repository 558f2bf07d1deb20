/* target_freebsd.h: the freebsd target's insides shared by target_freebsd.c (the world:
 * epair, lo1, jails, pf) and target_freebsd_cmd.c (running FreeBSD's commands by
 * fork/exec with an argument vector, and the undo list that tears everything down).
 * Every ifconfig, jail, jexec, pfctl, sysctl, route ... of pfharness runs from here. */
#ifndef TARGET_FREEBSD_H
#define TARGET_FREEBSD_H

#include <stddef.h>

#include "diag.h"

/* The file the Vagrant provisioner writes: this host may have its pf and interfaces
 * rewritten. Without it the target refuses unless --force. */
#define TFB_MARKER	"/var/db/pfharness-throwaway"
/* The boot ruleset, reloaded on exit when pf was enabled before the run. */
#define TFB_PF_CONF	"/etc/pf.conf"

struct tfb_cmd;		/* a command runner with its undo list */

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

/* Where the target looks for the throwaway marker (tests point it into tests/fake).
 * NULL restores TFB_MARKER. */
void	target_freebsd_set_marker(const char *path);

/* Write what a FreeBSD result must record into dir/system.txt: freebsd-version -ku,
 * uname -a and -i, the first lines of kern.conftxt, every net.pf sysctl, the harness
 * version. 0, or -1 with d filled. */
int	target_freebsd_record_system(const char *dir, struct diag *d);

#endif
