/* cmd_probes.h: what `pfharness probes` (cmd_probes.c) shares with `diff` and
 * `bench probes`. */
#ifndef CMD_PROBES_H
#define CMD_PROBES_H

#include <stdio.h>

#include "probe/probe.h"

/* A file the user names (`-`: standard input) read whole into *text (malloc'd). 0,
 * or -1 after a message. */
int	probes_read(const char *path, char **text);
/* The world's `define NAME=VALUE` strings as -D overrides into def: the strings are
 * split in place until probes_defines_undo. Returns how many. */
int	probes_defines(struct probe_world *, struct pfm_define *def);
void	probes_defines_undo(struct pfm_define *def, int n);
/* Each rule without a probe, `file:line: rule: why`, one a line. */
void	probes_findings(const struct probe_list *, FILE *);
/* `pfharness bench probes [N]` (argv[0] "probes"). The exit status. */
int	cmd_bench_probes(int argc, char **argv);

#endif
