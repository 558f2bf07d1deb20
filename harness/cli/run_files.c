/* run_files.c: find scenario files; `pfharness list`. */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "run_files.h"
#include "run_opts.h"
#include "scn/scn.h"

static int
add(struct run_list *l, const char *path)
{
	char **np;

	if ((np = realloc(l->path, (l->n + 1) * sizeof(*np))) == NULL)
		return (-1);
	l->path = np;
	if ((l->path[l->n] = strdup(path)) == NULL)
		return (-1);
	l->n++;
	return (0);
}

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return (n >= m && strcmp(s + n - m, suf) == 0);
}

static int
walk(const char *dir, struct run_list *l)
{
	struct dirent *de;
	struct stat sb;
	char path[1024];
	DIR *d;
	int rc = 0;

	if ((d = opendir(dir)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL && rc == 0) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &sb) == -1)
			continue;
		if (S_ISDIR(sb.st_mode))
			rc = walk(path, l);
		else if (ends_with(de->d_name, ".scn"))
			rc = add(l, path);
	}
	closedir(d);
	return (rc);
}

static int
cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

int
run_collect(char **paths, int npaths, struct run_list *l)
{
	struct stat sb;
	int i, first;

	l->path = NULL;
	l->n = 0;
	for (i = 0; i < npaths; i++) {
		if (stat(paths[i], &sb) == -1) {
			fprintf(stderr, "pfharness: %s: no such file or directory\n", paths[i]);
			return (-1);
		}
		first = l->n;
		if (S_ISDIR(sb.st_mode) ? walk(paths[i], l) : add(l, paths[i]))
			return (-1);
		/* A directory's scenarios in path order; arguments in the order given. */
		if (l->n - first > 1)
			qsort(l->path + first, l->n - first, sizeof(*l->path), cmp);
	}
	return (0);
}

void
run_list_free(struct run_list *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->path[i]);
	free(l->path);
	l->path = NULL;
	l->n = 0;
}

const char *
run_basename(const char *path)
{
	static char buf[256];
	const char *b = strrchr(path, '/');

	snprintf(buf, sizeof(buf), "%s", b ? b + 1 : path);
	if (ends_with(buf, ".scn"))
		buf[strlen(buf) - 4] = '\0';
	return (buf);
}

int
cmd_list(int argc, char **argv)
{
	struct run_opts ro;
	struct run_list l;
	int i, j, rc, bad = 0;

	if ((rc = run_parse_opts(argc, argv, &ro, 1)) != 0)
		return (rc == 1 ? 0 : 2);
	if (run_collect(ro.npaths ? ro.paths : (char *[]){ (char *)run_default_scenarios() },
	    ro.npaths ? ro.npaths : 1, &l) == -1) {
		run_list_free(&l);
		return (2);
	}
	for (i = 0; i < l.n; i++) {
		struct diag d = { 0 };
		struct scn *s = scn_parse_file(l.path[i], &d);

		if (s == NULL) {
			fputs(diag_text(&d), stderr);
			bad = 1;
		} else {
			printf("%-40s %s [", l.path[i], s->title ? s->title : "");
			for (j = 0; j < s->ntag; j++)
				printf("%s%s", j ? " " : "", s->tag[j]);
			printf("] %d probe%s\n", s->nprobe, s->nprobe == 1 ? "" : "s");
		}
		scn_free(s);
		diag_free(&d);
	}
	run_list_free(&l);
	return (bad ? 2 : 0);
}
