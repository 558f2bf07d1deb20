/* run_files.h: the scenario files of a run (run_files.c). */
#ifndef RUN_FILES_H
#define RUN_FILES_H

/* Scenario files, in the order run_collect found them. */
struct run_list {
	char	**path;
	int	  n;
};

/* Collect *.scn from files and directories (recursively): arguments in the order
 * given, each directory's scenarios sorted by path. 0 or -1. */
int	run_collect(char **paths, int npaths, struct run_list *);
void	run_list_free(struct run_list *);
/* The scenario's name: its file name without .scn (static buffer). */
const char *run_basename(const char *path);

#endif
