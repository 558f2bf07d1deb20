/* cmd.h: pfharness subcommands; main.c dispatches, each returns the exit status. */
#ifndef CMD_H
#define CMD_H

int	cmd_run(int argc, char **argv);		/* run.c */
int	cmd_list(int argc, char **argv);	/* run_files.c */
int	cmd_parse(int argc, char **argv);	/* cmd_parse.c */
int	cmd_trace(int argc, char **argv);	/* cmd_trace.c */
int	cmd_bench(int argc, char **argv);	/* cmd_bench.c */
int	cmd_probes(int argc, char **argv);	/* cmd_probes.c */
int	cmd_diff(int argc, char **argv);	/* cmd_diff.c */
int	cmd_world(int argc, char **argv);	/* cmd_world.c */
int	cmd_check(int argc, char **argv);	/* cmd_check.c */

#endif
