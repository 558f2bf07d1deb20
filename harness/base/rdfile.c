/* rdfile.c: the files a user names, read whole and bounded (rdfile.h). */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdfile.h"

/* 1 when st is the null device: it reads as an empty file (pfctl's own regression
 * tests name it as a table file). */
static int
is_null_device(const struct stat *st)
{
	struct stat nst;

	return (S_ISCHR(st->st_mode) && stat("/dev/null", &nst) == 0 &&
	    S_ISCHR(nst.st_mode) && st->st_rdev == nst.st_rdev);
}

/* What kind of file st is, for a refusal; NULL when it may be read. */
static const char *
refusal(const struct stat *st, int flags)
{
	if (S_ISREG(st->st_mode) || is_null_device(st))
		return (NULL);
	if (S_ISDIR(st->st_mode))
		return ("is a directory");
	if (S_ISFIFO(st->st_mode) && (flags & RDFILE_FIFO))
		return (NULL);
	return ("not a regular file");
}

/* Where the first NUL byte and the first CRLF line end are, by line. */
static void
scan(struct rdfile *f)
{
	size_t i;
	int line = 1;

	for (i = 0; i < f->len && (f->nul_line == 0 || f->crlf_line == 0); i++) {
		if (f->buf[i] == '\0' && f->nul_line == 0)
			f->nul_line = line;
		else if (f->buf[i] == '\r' && i + 1 < f->len && f->buf[i + 1] == '\n' &&
		    f->crlf_line == 0)
			f->crlf_line = line;
		else if (f->buf[i] == '\n')
			line++;
	}
}

/* Read fd to its end into f, at most max bytes; 0, 1 when larger, 2 when it would
 * wait for data, -1 (errno). */
static int
slurp(int fd, size_t max, struct rdfile *f)
{
	size_t cap = 0;
	ssize_t n;
	char *nb;

	for (;;) {
		if (f->len + 1 >= cap) {
			cap = cap ? cap * 2 : 16384;
			if (cap > max + 2)
				cap = max + 2;
			if ((nb = realloc(f->buf, cap)) == NULL)
				return (-1);
			f->buf = nb;
		}
		if ((n = read(fd, f->buf + f->len, cap - 1 - f->len)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return (2);
			return (-1);
		}
		if (n == 0)
			break;
		f->len += (size_t)n;
		if (f->len > max)
			return (1);
	}
	f->buf[f->len] = '\0';
	return (0);
}

/* The folder absolute paths are read under (rdfile_root), "" for none. */
static char rootdir[4096];

int
rdfile_root(const char *dir)
{
	if (dir == NULL) {
		rootdir[0] = '\0';
		return (0);
	}
	if (strlen(dir) >= sizeof(rootdir) - 1)
		return (-1);
	memcpy(rootdir, dir, strlen(dir) + 1);
	return (0);
}

int
rdfile_read(const char *path, size_t max, int flags, struct rdfile *f, char *err,
    size_t errlen)
{
	char rooted[8192];
	struct stat st;
	const char *why, *open_path = path;
	int fd, rc, std = (flags & RDFILE_STDIN) && strcmp(path, "-") == 0;

	memset(f, 0, sizeof(*f));
	if (max == 0)
		max = RDFILE_MAX;
	if (rootdir[0] != '\0' && path[0] == '/') {
		if (snprintf(rooted, sizeof(rooted), "%s%s", rootdir, path) >=
		    (int)sizeof(rooted)) {
			snprintf(err, errlen, "%s: %s", path, strerror(ENAMETOOLONG));
			return (-1);
		}
		open_path = rooted;
	}
	if (std)
		fd = STDIN_FILENO;
	else if ((fd = open(open_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	why = NULL;
	if (fstat(fd, &st) == -1)
		why = strerror(errno);
	else if (!std)
		why = refusal(&st, flags);
	if (why == NULL && !std && S_ISFIFO(st.st_mode)) {
		/* opened without blocking to refuse what may not be read; a FIFO that may
		 * is opened again to wait for its writer */
		close(fd);
		if ((fd = open(open_path, O_RDONLY | O_CLOEXEC)) == -1)
			why = strerror(errno);
	}
	/* what is not a FIFO stays non-blocking: a regular file reads as ever, one that
	 * would wait for data (Linux's /proc/kmsg) fails instead of hanging */
	if (why != NULL) {
		snprintf(err, errlen, "%s: %s", path, why);
		if (!std && fd != -1)
			close(fd);
		return (-1);
	}
	f->dev = (unsigned long long)st.st_dev;
	f->ino = (unsigned long long)st.st_ino;
	rc = slurp(fd, max, f);
	if (!std)
		close(fd);
	if (rc != 0) {
		if (rc == 1)
			snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
		else if (rc == 2)
			snprintf(err, errlen, "%s: not a file that reads to its end (it "
			    "would wait for data)", path);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rdfile_free(f);
		return (-1);
	}
	scan(f);
	return (0);
}

void
rdfile_free(struct rdfile *f)
{
	if (f == NULL)
		return;
	free(f->buf);
	f->buf = NULL;
	f->len = 0;
}
