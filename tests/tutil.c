/* tutil.c: what every suite may use (see tutil.h). */
#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tutil.h"

#define SKIP_MAX	32

struct skipped {
	CU_pSuite	 suite;
	CU_pTest	 test;
	const char	*why;
};

/* Registration state, not a test's: filled before any test runs, read after. */
static struct skipped skips[SKIP_MAX];
static int nskip;

/* The running test's folder; made by tut_tmp_setup, gone after tut_tmp_teardown. */
static char tmp_dir[PATH_MAX];

void
tut_fatal(const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* CUnit copies the message into its failure record */
	CU_assertImplementation(CU_FALSE, (unsigned int)line, msg, file, "", CU_TRUE);
}

void
tut_pkt_at(const char *file, int line, const char *text, struct pkt *p)
{
	char err[256];

	if (pkt_parse(text, p, err, sizeof(err)) == 0)
		return;
	memset(p, 0, sizeof(*p));
	tut_fatal(file, line, "packet line does not parse: \"%s\": %s", text, err);
}

void
tut_pat_at(const char *file, int line, const char *text, struct pkt_pat *pat)
{
	char err[256];

	if (pkt_pat_parse(text, pat, err, sizeof(err)) == 0)
		return;
	memset(pat, 0, sizeof(*pat));
	tut_fatal(file, line, "expectation does not parse: \"%s\": %s", text, err);
}

/* Every message of the parser (a scenario can have many) in the failure record: on
 * stderr they would land out of order with CUnit's buffered report. */
static struct scn *
scn_must(const char *file, int line, struct scn *s, const char *path, struct diag *d)
{
	const char *text = diag_text(d);
	size_t n = strlen(text);
	char msg[1024];

	while (n > 0 && text[n - 1] == '\n')
		n--;
	snprintf(msg, sizeof(msg), "%.*s", (int)n, text);
	diag_free(d);		/* before the jump out of the test */
	if (s == NULL)
		tut_fatal(file, line, "scenario %s does not parse:\n%s", path, msg);
	return (s);
}

struct scn *
tut_scn_text_at(const char *file, int line, const char *path, const char *text)
{
	struct diag d = { 0 };

	return (scn_must(file, line, scn_parse_text(path, text, &d), path, &d));
}

struct scn *
tut_scn_file_at(const char *file, int line, const char *path)
{
	struct diag d = { 0 };

	return (scn_must(file, line, scn_parse_file(path, &d), path, &d));
}

int
tut_tmp_make(char *dir, size_t cap, const char *tag)
{
	const char *base = getenv("TMPDIR");
	int n;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	n = snprintf(dir, cap, "%s/pfh-%s.XXXXXX", base, tag);
	if (n < 0 || (size_t)n >= cap) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (mkdtemp(dir) == NULL ? -1 : 0);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return (remove(path) == -1 && errno != ENOENT ? -1 : 0);
}

int
tut_tmp_remove(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) == -1)
		return (errno == ENOENT ? 0 : -1);
	return (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS));
}

void
tut_tmp_setup(void)
{
	CU_pSuite s = CU_get_current_suite();

	if (tut_tmp_make(tmp_dir, sizeof(tmp_dir), s != NULL ? s->pName : "test") == -1) {
		/* in setup CUnit does not stop the test: tut_tmp_dir() will */
		CU_FAIL("cannot make the test's temporary folder");
		tmp_dir[0] = '\0';
	}
}

void
tut_tmp_teardown(void)
{
	if (tmp_dir[0] != '\0' && tut_tmp_remove(tmp_dir) == -1)
		fprintf(stderr, "tut_tmp_teardown: %s: %s\n", tmp_dir, strerror(errno));
	tmp_dir[0] = '\0';
}

const char *
tut_tmp_dir(void)
{
	if (tmp_dir[0] == '\0')
		TUT_FATAL("the test has no temporary folder (its suite needs tut_tmp_setup)");
	return (tmp_dir);
}

char *
tut_tmp_path(char *buf, size_t cap, const char *name)
{
	int n = snprintf(buf, cap, "%s/%s", tut_tmp_dir(), name);

	if (n < 0 || (size_t)n >= cap)
		TUT_FATAL("%s/%s: path too long", tmp_dir, name);
	return (buf);
}

int
tut_skip(CU_pSuite s, CU_pTest t, const char *why)
{
	if (nskip == SKIP_MAX)
		return (-1);
	skips[nskip].suite = s;
	skips[nskip].test = t;
	skips[nskip++].why = why;
	CU_set_test_active(t, CU_FALSE);
	return (0);
}

int
tut_skips_print(FILE *f, CU_pSuite suite, CU_pTest test)
{
	int i, n = 0;

	for (i = 0; i < nskip; i++) {
		if ((suite != NULL && skips[i].suite != suite) ||
		    (test != NULL && skips[i].test != test))
			continue;
		fprintf(f, "SKIPPED %s: %s: %s\n", skips[i].suite->pName,
		    skips[i].test->pName, skips[i].why);
		n++;
	}
	return (n);
}
