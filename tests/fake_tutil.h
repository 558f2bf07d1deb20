/* fake_tutil.h: helpers of the suites run against recorded FreeBSD commands (tests/fake
 * on PATH, logging to $PFH_FAKE_LOG): their environment, the log, golden plans. */
#ifndef FAKE_TUTIL_H
#define FAKE_TUTIL_H

#include <limits.h>

struct fake_env {
	char	top[PATH_MAX];		/* the test's own folder, removed with all it holds */
	char	tmpdir[PATH_MAX + 8];	/* top/run: the fakes' state, the run directory */
	char	logpath[PATH_MAX + 16];	/* tmpdir/log, $PFH_FAKE_LOG */
	char	oldpath[8192];		/* PATH before */
	int	made;			/* 1 between fake_env_init and fake_env_clean */
};

/* A fresh folder $TMPDIR/pfh-<tag>.XXXXXX holding the run directory (what a run writes
 * beside it, like system.txt, stays inside), tests/fake first on PATH, PFH_FAKE_LOG and
 * PFH_FAKE_STATE set, the freebsd target's throwaway marker the fake's. 0 or -1. */
int	fake_env_init(struct fake_env *, const char *tag);
/* Undo fake_env_init: PATH back, the variables unset, the marker cleared, the folder
 * removed with all it holds. A no-op when nothing is made. */
void	fake_env_clean(struct fake_env *);

/* The whole file, NUL-terminated and malloc'd, or NULL. */
char	*fake_slurp(const char *path);
/* Append one line to $PFH_FAKE_LOG (nothing when it is unset or cannot be opened). */
void	fake_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The log with the run directory written as $RUN compared with the golden plan (a
 * CUnit failure when it differs); PFH_UPDATE_GOLDEN=1 rewrites the golden file. */
void	fake_check_plan(const struct fake_env *, const char *golden);

#endif
