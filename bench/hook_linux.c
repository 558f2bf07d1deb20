/* hook_linux.c: a pf hook in a process of its own (hook_linux.h): the parent's spawn
 * and stop, the child's serve. */
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/rdfile.h"
#include "bench_pf.h"
#include "hook_linux.h"

struct bench_hook {
	pid_t	pid;
	int	in, out;	/* its standard input (ours to write), output */
	int	mute;		/* it did not answer "t": not asked again */
};

/* Read the hook's first line (at most 5 s): "ready", or its error message. */
static int
await_ready(struct bench_hook *h, char *err, size_t errlen)
{
	struct pollfd pfd = { h->out, POLLIN, 0 };
	char buf[1024];
	size_t n = 0;
	ssize_t r;

	while (n < sizeof(buf) - 1 && poll(&pfd, 1, 5000) > 0) {
		if ((r = read(h->out, buf + n, sizeof(buf) - 1 - n)) <= 0)
			break;
		n += (size_t)r;
		buf[n] = '\0';
		if (strstr(buf, "ready\n") != NULL)
			return (0);
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(err, errlen, "the hook did not start: %s", n > 0 ? buf :
	    "no answer (does that build have `bench hook`?)");
	return (-1);
}

struct bench_hook *
bench_hook_spawn(const char *bin, const char *ns, int queue, int cpu, const char *conf,
    int freebsd, char *err, size_t errlen)
{
	struct bench_hook *h;
	char qs[16], cs[16], fs[16];
	int in[2], out[2];

	if ((h = calloc(1, sizeof(*h))) == NULL || pipe(in) == -1) {
		free(h);
		snprintf(err, errlen, "hook: %s", strerror(errno));
		return (NULL);
	}
	if (pipe(out) == -1) {
		close(in[0]);
		close(in[1]);
		free(h);
		snprintf(err, errlen, "hook: %s", strerror(errno));
		return (NULL);
	}
	snprintf(qs, sizeof(qs), "%d", queue);
	snprintf(cs, sizeof(cs), "%d", cpu);
	snprintf(fs, sizeof(fs), "%d", freebsd);
	if ((h->pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execl(bin, bin, "bench", "hook", "--netns", ns, "--queue", qs, "--cpu", cs,
		    "-f", conf, freebsd ? "--freebsd" : (char *)NULL, fs, (char *)NULL);
		printf("%s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	h->in = in[1];
	h->out = out[0];
	if (h->pid == -1 || await_ready(h, err, errlen) == -1) {
		bench_hook_stop(h);
		return (NULL);
	}
	return (h);
}

pid_t
bench_hook_pid(const struct bench_hook *h)
{
	return (h->pid);
}

double
bench_hook_cpu(const struct bench_hook *h)
{
	DIR *d;
	struct dirent *e;
	char path[320];
	unsigned long long ns, sum = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/task", (long)h->pid);
	if ((d = opendir(path)) == NULL)
		return (0);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/task/%s/schedstat", (long)h->pid,
		    e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fscanf(f, "%llu", &ns) == 1)
			sum += ns;
		fclose(f);
	}
	closedir(d);
	return ((double)sum / 1e9);
}

int
bench_hook_pf_time(struct bench_hook *h, uint64_t *ns, uint64_t *pkts)
{
	struct pollfd pfd = { h->out, POLLIN, 0 };
	unsigned long long a, b;
	char buf[128];
	size_t n = 0;
	ssize_t r;

	if (h->mute || write(h->in, "t", 1) != 1)
		return (-1);
	while (n < sizeof(buf) - 1 && poll(&pfd, 1, 500) > 0) {
		if ((r = read(h->out, buf + n, sizeof(buf) - 1 - n)) <= 0)
			break;
		n += (size_t)r;
		buf[n] = '\0';
		if (strchr(buf, '\n') != NULL)
			break;
	}
	buf[n] = '\0';
	if (sscanf(buf, "pf %llu %llu\n", &a, &b) != 2) {
		h->mute = 1;
		return (-1);
	}
	*ns = a;
	*pkts = b;
	return (0);
}

void
bench_hook_stop(struct bench_hook *h)
{
	int st, i;

	if (h == NULL)
		return;
	close(h->in);
	close(h->out);
	for (i = 0; h->pid > 0 && i < 50; i++) {
		if (waitpid(h->pid, &st, WNOHANG) != 0)
			break;
		usleep(100000);
	}
	if (h->pid > 0 && i == 50) {
		kill(h->pid, SIGKILL);
		waitpid(h->pid, &st, 0);
	}
	free(h);
}

int
bench_hook_serve(const char *ns, int queue, int cpu, const char *conf, int freebsd,
    char *err, size_t errlen)
{
	struct bench_pf *pf;
	struct rdfile rf;
	char buf[256];
	uint64_t t, pkts;
	ssize_t n, i;
	int rc;

	if (rdfile_read(conf, 0, RDFILE_FIFO, &rf, err, errlen) == -1) {
		rdfile_free(&rf);
		return (-1);
	}
	if ((pf = bench_pf_start(ns, queue, cpu, err, errlen)) == NULL) {
		rdfile_free(&rf);
		return (-1);
	}
	bench_pf_freebsd(pf, freebsd);
	rc = bench_pf_load(pf, rf.buf, err, errlen);
	rdfile_free(&rf);
	if (rc == -1) {
		bench_pf_stop(pf);
		return (-1);
	}
	printf("ready\n");
	fflush(stdout);
	while ((n = read(0, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			if (buf[i] == 't') {
				bench_pf_time(pf, &t, &pkts);
				printf("pf %llu %llu\n", (unsigned long long)t,
				    (unsigned long long)pkts);
				fflush(stdout);
			}
	bench_pf_stop(pf);
	return (0);
}
