/* machine_linux.c: the machine's state beside each bench run on Linux (machine.h):
 * /proc/loadavg, every other process's CPU time from /proc/PID/stat (kernel threads
 * left out: ksoftirqd does our packets' work), steal from /proc/stat, the clock from
 * /proc/cpuinfo; the threads' placement with sched_setaffinity. */
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "machine.h"

#define PF_KTHREAD	0x00200000	/* linux/sched.h: a kernel thread */

/* utime + stime of one /proc/PID/stat line in clock ticks, or -1 for a kernel thread
 * or an unreadable line. */
static long long
proc_ticks(const char *path)
{
	FILE *f;
	char buf[1024], *p;
	unsigned long flags;
	unsigned long long ut, st;
	int n;

	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	/* The command name may hold spaces and parentheses: fields follow the last ')'. */
	if (p == NULL || (p = strrchr(buf, ')')) == NULL)
		return (-1);
	n = sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %lu %*u %*u %*u %*u %llu %llu", &flags,
	    &ut, &st);
	if (n != 3 || (flags & PF_KTHREAD))
		return (-1);
	return ((long long)(ut + st));
}

static int
ours(const struct bench_machine *m, long pid)
{
	int i;

	if (pid == (long)getpid())
		return (1);
	for (i = 0; i < BENCH_MACHINE_OURS; i++)
		if (m->ours[i] != 0 && (long)m->ours[i] == pid)
			return (1);
	return (0);
}

/* CPU seconds of every process but ours and the kernel's. */
static double
others_seconds(const struct bench_machine *m)
{
	DIR *d;
	struct dirent *e;
	char path[64];
	long long t, sum = 0;
	long pid;

	if ((d = opendir("/proc")) == NULL)
		return (0);
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = strtol(e->d_name, NULL, 10);
		if (ours(m, pid))
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		if ((t = proc_ticks(path)) > 0)
			sum += t;
	}
	closedir(d);
	return ((double)sum / (double)sysconf(_SC_CLK_TCK));
}

int
bench_machine_snap(struct bench_machine *m)
{
	FILE *f;
	unsigned long long v[8] = { 0 }, total = 0;
	double hz = (double)sysconf(_SC_CLK_TCK);
	int i, n = 0;

	m->t = bench_now();
	m->others_s = others_seconds(m);
	m->steal_s = m->total_s = 0;
	if ((f = fopen("/proc/stat", "r")) == NULL)
		return (-1);
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
	    &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n != 8)
		return (-1);
	for (i = 0; i < 8; i++)
		total += v[i];
	m->steal_s = (double)v[7] / hz;
	m->total_s = (double)total / hz;
	return (0);
}

static double
loadavg1(void)
{
	FILE *f;
	double l = 0;

	if ((f = fopen("/proc/loadavg", "r")) == NULL)
		return (0);
	if (fscanf(f, "%lf", &l) != 1)
		l = 0;
	fclose(f);
	return (l);
}

/* The mean of /proc/cpuinfo's "cpu MHz" lines, or 0. */
static double
cpu_mhz(void)
{
	FILE *f;
	char line[256], *p;
	double sum = 0;
	int n = 0;

	if ((f = fopen("/proc/cpuinfo", "r")) == NULL)
		return (0);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "cpu MHz", 7) == 0 && (p = strchr(line, ':')) != NULL) {
			sum += strtod(p + 1, NULL);
			n++;
		}
	fclose(f);
	return (n > 0 ? sum / n : 0);
}

void
bench_machine_load(const struct bench_machine *a, const struct bench_machine *b,
    struct bench_load *l)
{
	double dt = b->t - a->t, dtot = b->total_s - a->total_s;

	memset(l, 0, sizeof(*l));
	l->load1 = loadavg1();
	l->mhz = cpu_mhz();
	if (dt > 0 && b->others_s >= a->others_s)
		l->others = 100 * (b->others_s - a->others_s) / dt;
	if (dtot > 0 && b->steal_s >= a->steal_s)
		l->steal = 100 * (b->steal_s - a->steal_s) / dtot;
	l->loaded = l->others > BENCH_LOADED_OTHERS || l->steal > BENCH_LOADED_STEAL;
}

int
bench_machine_cpus(int *gen, int *hook, int *recv)
{
	cpu_set_t set;
	int cpu[3], n = 0, i;

	*gen = *hook = *recv = -1;
	if (sched_getaffinity(0, sizeof(set), &set) == -1)
		return (1);
	for (i = 0; i < CPU_SETSIZE && n < 3; i++)
		if (CPU_ISSET(i, &set))
			cpu[n++] = i;
	if (n < 2)
		return (CPU_COUNT(&set));
	/* Two CPUs: the hook has one to itself; the counters share the generator's,
	 * which offers more than the hook takes anyway. */
	*gen = cpu[0];
	*hook = cpu[1];
	*recv = n > 2 ? cpu[2] : cpu[0];
	return (CPU_COUNT(&set));
}

int
bench_machine_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return (0);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return (sched_setaffinity(0, sizeof(set), &set));
}

void
bench_machine_cpu_name(char *buf, size_t len)
{
	FILE *f;
	char line[256], *p;

	buf[0] = '\0';
	if ((f = fopen("/proc/cpuinfo", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "model name", 10) == 0 && (p = strchr(line, ':')) != NULL) {
			p += strspn(p + 1, " ") + 1;
			p[strcspn(p, "\n")] = '\0';
			snprintf(buf, len, "%s", p);
			break;
		}
	fclose(f);
}
