/* target_freebsd_cmd.c: run FreeBSD's commands by fork/exec with argument vectors (no
 * shell, PATH lookup), feed their standard input, capture their output, and keep the
 * undo list of what was built. */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tfb.h"

#define ARGS_MAX	32

struct undo {
	char		*argv[ARGS_MAX + 1];
};

struct tfb_cmd {
	int		 verbose;
	struct undo	*undo;
	int		 nundo, capundo;
};

struct buf {
	char		*p;
	size_t		 len, cap;
};

struct tfb_cmd *
tfb_cmd_new(int verbose)
{
	struct tfb_cmd *c = calloc(1, sizeof(*c));

	if (c != NULL)
		c->verbose = verbose;
	return (c);
}

static void
undo_clear(struct undo *u)
{
	int i;

	for (i = 0; u->argv[i] != NULL; i++)
		free(u->argv[i]);
	u->argv[0] = NULL;
}

void
tfb_cmd_free(struct tfb_cmd *c)
{
	if (c == NULL)
		return;
	tfb_undo_all(c, NULL);
	free(c->undo);
	free(c);
}

static int
buf_add(struct buf *b, const char *s, size_t n)
{
	char *np;

	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL)
			return (-1);
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return (0);
}

static void
cmdline(const char *const *argv, char *s, size_t len)
{
	size_t n = 0;
	int i;

	s[0] = '\0';
	for (i = 0; argv[i] != NULL && n < len; i++)
		n += (size_t)snprintf(s + n, len - n, "%s%s", i ? " " : "", argv[i]);
}

/* Read the child's stdout and stderr until both close. */
static int
drain(int ofd, int efd, struct buf *o, struct buf *e)
{
	struct pollfd pf[2];
	char tmp[4096];
	ssize_t r;
	int i, open = 2;

	pf[0].fd = ofd, pf[0].events = POLLIN;
	pf[1].fd = efd, pf[1].events = POLLIN;
	while (open > 0) {
		if (poll(pf, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		for (i = 0; i < 2; i++) {
			if (pf[i].fd == -1 || pf[i].revents == 0)
				continue;
			r = read(pf[i].fd, tmp, sizeof(tmp));
			if (r > 0) {
				if (buf_add(i == 0 ? o : e, tmp, (size_t)r) == -1)
					return (-1);
			} else if (r == 0 || errno != EINTR) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open--;
			}
		}
	}
	return (0);
}

static pid_t
spawn(const char *const *argv, int infd, int op[2], int ep[2])
{
	pid_t pid;
	int nul;

	if ((pid = fork()) != 0)
		return (pid);
	/* child: stdin from infd (or none), output to the pipes, then exec on PATH */
	if (infd > 0) {
		dup2(infd, 0);
		close(infd);
	} else if (infd == -1 && (nul = open("/dev/null", O_RDONLY)) != -1)
		dup2(nul, 0);
	dup2(op[1], 1);
	dup2(ep[1], 2);
	close(op[0]), close(op[1]), close(ep[0]), close(ep[1]);
	execvp(argv[0], (char *const *)argv);
	fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/*
 * The text a command reads, in an unlinked temporary file opened as its standard
 * input: the child reads it at its own pace while its output is drained, so neither
 * side waits for the other (a pipe would need a writer beside the reader, and a
 * command that exits without reading would raise SIGPIPE here). -1 with errno.
 */
static int
input_fd(const char *text)
{
	FILE *f;
	int fd;

	if ((f = tmpfile()) == NULL)
		return (-1);
	if (fputs(text, f) == EOF || fflush(f) == EOF ||
	    (fd = dup(fileno(f))) == -1) {
		fclose(f);
		return (-1);
	}
	fclose(f);
	if (lseek(fd, 0, SEEK_SET) == -1) {
		close(fd);
		return (-1);
	}
	return (fd);
}

int
tfb_runv(struct tfb_cmd *c, const char *const *argv, char **out, char **err,
    struct diag *d)
{
	return (tfb_runv_in(c, argv, NULL, out, err, d));
}

int
tfb_runv_in(struct tfb_cmd *c, const char *const *argv, const char *input, char **out,
    char **err, struct diag *d)
{
	struct buf o = { 0 }, e = { 0 };
	int op[2], ep[2], st, rc, infd = -1;
	char line[1024];
	pid_t pid;

	cmdline(argv, line, sizeof(line));
	if (c != NULL && c->verbose)
		fprintf(stderr, "freebsd: %s%s\n", line, input != NULL ?
		    " (standard input: the step's text)" : "");
	if (input != NULL && (infd = input_fd(input)) == -1)
		goto syserr;
	if (pipe(op) == -1) {
		if (infd != -1)
			close(infd);
		goto syserr;
	}
	if (pipe(ep) == -1) {
		close(op[0]), close(op[1]);
		if (infd != -1)
			close(infd);
		goto syserr;
	}
	pid = spawn(argv, infd, op, ep);
	if (infd != -1)
		close(infd);
	if (pid == -1) {
		close(op[0]), close(op[1]), close(ep[0]), close(ep[1]);
		goto syserr;
	}
	close(op[1]), close(ep[1]);
	rc = drain(op[0], ep[0], &o, &e);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (rc == -1 || o.p == NULL) {
		if (rc == -1 || buf_add(&o, "", 0) == -1) {
			free(o.p), free(e.p);
			goto syserr;
		}
	}
	if (e.p == NULL && buf_add(&e, "", 0) == -1) {
		free(o.p);
		goto syserr;
	}
	if (!WIFEXITED(st)) {
		diag_add(d, NULL, 0, "%s: killed by signal %d", line,
		    WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		free(o.p), free(e.p);
		return (-1);
	}
	if (out != NULL)
		*out = o.p;
	else
		free(o.p);
	if (err != NULL)
		*err = e.p;
	else
		free(e.p);
	return (WEXITSTATUS(st));
syserr:
	diag_add(d, NULL, 0, "%s: %s", line, strerror(errno));
	return (-1);
}

static int
collect(const char **argv, const char *arg0, va_list ap)
{
	int n = 0;
	const char *a;

	argv[n++] = arg0;
	while ((a = va_arg(ap, const char *)) != NULL) {
		if (n == ARGS_MAX)
			return (-1);
		argv[n++] = a;
	}
	argv[n] = NULL;
	return (n);
}

int
tfb_run(struct tfb_cmd *c, char **out, struct diag *d, const char *arg0, ...)
{
	const char *argv[ARGS_MAX + 1];
	char line[1024], *err = NULL, *o = NULL;
	va_list ap;
	int n, rc;

	va_start(ap, arg0);
	n = collect(argv, arg0, ap);
	va_end(ap);
	if (n == -1) {
		diag_add(d, NULL, 0, "%s: too many arguments", arg0);
		return (-1);
	}
	if ((rc = tfb_runv(c, argv, &o, &err, d)) == -1)
		return (-1);
	if (rc != 0) {
		cmdline(argv, line, sizeof(line));
		n = (int)strlen(err);
		while (n > 0 && err[n - 1] == '\n')
			err[--n] = '\0';
		diag_add(d, NULL, 0, "%s: exit %d%s%s", line, rc, n ? ": " : "", err);
		free(o), free(err);
		return (-1);
	}
	free(err);
	if (out != NULL)
		*out = o;
	else
		free(o);
	return (0);
}

static int
undo_fill(struct undo *u, const char *arg0, va_list ap)
{
	const char *argv[ARGS_MAX + 1];
	int i, n;

	if ((n = collect(argv, arg0, ap)) == -1)
		return (-1);
	for (i = 0; i < n; i++)
		if ((u->argv[i] = strdup(argv[i])) == NULL) {
			u->argv[i] = NULL;
			undo_clear(u);
			return (-1);
		}
	u->argv[n] = NULL;
	return (0);
}

int
tfb_undo_push(struct tfb_cmd *c, const char *arg0, ...)
{
	struct undo *nu;
	va_list ap;
	int rc;

	if (c->nundo == c->capundo) {
		int cap = c->capundo ? c->capundo * 2 : 16;
		if ((nu = realloc(c->undo, (size_t)cap * sizeof(*nu))) == NULL)
			return (-1);
		c->undo = nu;
		c->capundo = cap;
	}
	va_start(ap, arg0);
	rc = undo_fill(&c->undo[c->nundo], arg0, ap);
	va_end(ap);
	if (rc == 0)
		c->nundo++;
	return (rc);
}

int
tfb_undo_replace(struct tfb_cmd *c, const char *arg0, ...)
{
	struct undo u;
	va_list ap;
	int rc;

	if (c->nundo == 0)
		return (-1);
	va_start(ap, arg0);
	rc = undo_fill(&u, arg0, ap);
	va_end(ap);
	if (rc == -1)
		return (-1);
	undo_clear(&c->undo[c->nundo - 1]);
	c->undo[c->nundo - 1] = u;
	return (0);
}

int
tfb_undo_all(struct tfb_cmd *c, struct diag *d)
{
	struct diag scratch = { 0 };
	char line[1024], *err;
	int failed = 0, rc;
	struct undo *u;

	while (c->nundo > 0) {
		u = &c->undo[--c->nundo];
		err = NULL;
		rc = tfb_runv(c, (const char *const *)u->argv, NULL, &err,
		    d != NULL ? d : &scratch);
		if (rc > 0) {
			cmdline((const char *const *)u->argv, line, sizeof(line));
			if (d != NULL)
				diag_add(d, NULL, 0, "teardown: %s: exit %d: %s", line, rc,
				    err != NULL ? err : "");
		}
		if (rc != 0)
			failed++;
		free(err);
		undo_clear(u);
	}
	diag_free(&scratch);
	return (failed);
}

int
tfb_undo_count(const struct tfb_cmd *c)
{
	return (c->nundo);
}
