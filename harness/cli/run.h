/* run.h: shared pieces of `pfharness run` and `list`. */
#ifndef RUN_H
#define RUN_H

#include <stddef.h>

#define RUN_TAGS_MAX	16
#define RUN_TARGETS_MAX	3

struct run_opts {
	const char	*targets;	/* "linux,model"; NULL: default */
	const char	*tag[RUN_TAGS_MAX];
	int		 ntag;
	int		 tap, color, verbose, force;
	const char	*junit, *results, *services, *prefix;
	const char	*hold;		/* --hold CMD: run after the probes, before down */
	char		**paths;
	int		 npaths;
};

/* Scenario files, sorted. */
struct run_list {
	char	**path;
	int	  n;
};

/* Parse run's options. 0 ok, 1 --help printed, -1 bad usage (printed). */
int	run_parse_opts(int argc, char **argv, struct run_opts *);
/* Collect *.scn from files and directories (recursively): arguments in the order
 * given, each directory's scenarios sorted by path. 0 or -1. */
int	run_collect(char **paths, int npaths, struct run_list *);
void	run_list_free(struct run_list *);
/* The scenario's name: its file name without .scn (static buffer). */
const char *run_basename(const char *path);
/* mkdir -p. 0 or -1. */
int	run_mkdirs(const char *path);
/* Monotonic milliseconds. */
double	run_now_ms(void);

#endif
