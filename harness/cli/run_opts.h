/* run_opts.h: the options `pfharness run` and `pfharness list` share (run_opts.c). */
#ifndef RUN_OPTS_H
#define RUN_OPTS_H

#define RUN_TAGS_MAX	16
#define RUN_TARGETS_MAX	3

struct run_opts {
	const char	*targets;	/* "linux,model"; NULL: default */
	const char	*tag[RUN_TAGS_MAX];
	int		 ntag;
	int		 tap, color, verbose, force;
	const char	*junit, *results, *services, *prefix;
	const char	*hold;		/* --hold CMD: run after the probes, before down */
	int		 freebsd;	/* --freebsd: the release of scenarios that do not
					 * say (`freebsd N`); 0: 14 */
	char		**paths;
	int		 npaths;
};

/* Parse run's options (list's when list is set). 0 ok, 1 --help printed, -1 bad
 * usage (printed). */
int	run_parse_opts(int argc, char **argv, struct run_opts *, int list);

/* The scenarios to take when none is given: ./scenarios when it is a directory (a
 * checkout), else the installed library. Static buffer. */
const char *run_default_scenarios(void);
/* Where results go without --results: ./results when it is a directory (a checkout),
 * else $XDG_STATE_HOME/pfharness (~/.local/state/pfharness). Static buffer. */
const char *run_default_results(void);

#endif
