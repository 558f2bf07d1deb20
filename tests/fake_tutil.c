/* fake_tutil.c: helpers of the suites run against recorded FreeBSD commands (tests/fake):
 * target_freebsd_test.c, bench_freebsd_test.c, tfb_fakeio.c, pfctl_out_test.c. */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "fake_tutil.h"
#include "tutil.h"
#include "target/freebsd/tfb.h"

int
fake_env_init(struct fake_env *e, const char *tag)
{
	char cwd[PATH_MAX], path[sizeof(e->oldpath) + PATH_MAX + 16];
	const char *p = getenv("PATH");

	memset(e, 0, sizeof(*e));
	if (getcwd(cwd, sizeof(cwd)) == NULL ||
	    tut_tmp_make(e->top, sizeof(e->top), tag) == -1)
		return (-1);
	snprintf(e->tmpdir, sizeof(e->tmpdir), "%s/run", e->top);
	if (mkdir(e->tmpdir, 0700) == -1) {
		tut_tmp_remove(e->top);
		return (-1);
	}
	snprintf(e->oldpath, sizeof(e->oldpath), "%s", p ? p : "/usr/bin:/bin");
	snprintf(path, sizeof(path), "%s/tests/fake:%s", cwd, e->oldpath);
	snprintf(e->logpath, sizeof(e->logpath), "%s/log", e->tmpdir);
	setenv("PATH", path, 1);
	setenv("PFH_FAKE_LOG", e->logpath, 1);
	setenv("PFH_FAKE_STATE", e->tmpdir, 1);
	target_freebsd_set_marker("tests/fake/throwaway");
	e->made = 1;
	return (0);
}

void
fake_env_clean(struct fake_env *e)
{
	if (!e->made)
		return;
	setenv("PATH", e->oldpath, 1);
	unsetenv("PFH_FAKE_LOG");
	unsetenv("PFH_FAKE_STATE");
	target_freebsd_set_marker(NULL);
	if (tut_tmp_remove(e->top) == -1)
		fprintf(stderr, "fake_env_clean: %s: cannot remove\n", e->top);
	e->made = 0;
}

char *
fake_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		return (NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if ((buf = calloc(1, (size_t)n + 1)) != NULL &&
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return (buf);
}

void
fake_log(const char *fmt, ...)
{
	const char *path = getenv("PFH_FAKE_LOG");
	va_list ap;
	FILE *f;

	if (path == NULL || (f = fopen(path, "a")) == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

void
fake_check_plan(const struct fake_env *e, const char *golden)
{
	char *log = fake_slurp(e->logpath), *want, *p, *o;
	size_t n = strlen(e->tmpdir);
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	for (p = o = log; *p != '\0';)
		if (strncmp(p, e->tmpdir, n) == 0) {
			memcpy(o, "$RUN", 4);
			o += 4, p += n;
		} else
			*o++ = *p++;
	*o = '\0';
	if (getenv("PFH_UPDATE_GOLDEN") != NULL && (f = fopen(golden, "w")) != NULL) {
		fputs(log, f);
		fclose(f);
	}
	want = fake_slurp(golden);
	CU_ASSERT_PTR_NOT_NULL(want);
	if (want != NULL && strcmp(want, log) != 0) {
		fprintf(stderr, "\n%s: the plan differs; it was:\n%s", golden, log);
		CU_FAIL("command plan differs from the golden file");
	}
	free(want);
	free(log);
}
