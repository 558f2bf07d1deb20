/* driver.c: a fuzz target without libFuzzer: each file named on the command line (or
 * each file of each directory) is one input, as libFuzzer would pass it. make test
 * runs the regression inputs of tests/fuzz/regress/ this way, under ASan and UBSan.
 * Prints `N passed, 0 failed`; a crash or a sanitizer report ends the process. */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rdfile.h"
#include "fuzz.h"

static int
run_file(const char *path, int *n)
{
	struct rdfile rf;
	char err[4200];

	if (rdfile_read(path, 0, 0, &rf, err, sizeof(err)) == -1) {
		fprintf(stderr, "fuzz driver: %s\n", err);
		return (-1);
	}
	LLVMFuzzerTestOneInput((const uint8_t *)rf.buf, rf.len);
	rdfile_free(&rf);
	(*n)++;
	return (0);
}

static int
cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Every regular file of dir, in name order. */
static int
run_dir(const char *dir, int *n)
{
	struct dirent *de;
	char **names = NULL, **nn, path[4096];
	size_t k = 0, i;
	int rc = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return (run_file(dir, n));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || (nn = realloc(names, (k + 1) *
		    sizeof(*names))) == NULL)
			continue;
		names = nn;
		if ((names[k] = strdup(de->d_name)) != NULL)
			k++;
	}
	closedir(d);
	qsort(names, k, sizeof(*names), cmp);
	for (i = 0; i < k; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		rc |= run_file(path, n);
		free(names[i]);
	}
	free(names);
	return (rc);
}

int
main(int argc, char **argv)
{
	int i, n = 0, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return (2);
	}
	for (i = 1; i < argc; i++)
		rc |= run_dir(argv[i], &n);
	printf("%d passed, %d failed\n", n, rc ? 1 : 0);
	return (rc ? 1 : 0);
}
