/* bench_freebsd.c: the workload half of the bench on FreeBSD, which is not written yet:
 * every entry says so (the portable half, bench compare and bench stats, works). */
#include <stdio.h>
#include <string.h>

#include "work.h"

#define NOT_YET	"the freebsd bench half is not implemented yet (workloads, smoke and gen " \
	"run on Linux only; bench compare and bench stats work here)"

int
bench_work_known(const char *name)
{
	static const char *const names[] = { "all", "rdr-in", "nat-out", "forward",
	    "rules", "states" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i], name) == 0)
			return (1);
	return (0);
}

const char *
bench_work_names(void)
{
	return ("rdr-in nat-out forward rules states");
}

int
bench_work_run(const struct bench_cfg *cfg, struct bench_csv *csv, char *err,
    size_t errlen)
{
	(void)cfg;
	(void)csv;
	snprintf(err, errlen, "%s", NOT_YET);
	return (-1);
}

int
bench_work_smoke(const struct bench_cfg *cfg, FILE *out, char *err, size_t errlen)
{
	(void)cfg;
	(void)out;
	snprintf(err, errlen, "%s", NOT_YET);
	return (-1);
}

int
bench_work_gen(const char *ns, const char *ifname, const uint8_t dst_mac[6],
    double pps, double secs, volatile sig_atomic_t *stop, uint64_t *sent,
    double *elapsed, char *err, size_t errlen)
{
	(void)ns;
	(void)ifname;
	(void)dst_mac;
	(void)pps;
	(void)secs;
	(void)stop;
	(void)sent;
	(void)elapsed;
	snprintf(err, errlen, "%s", NOT_YET);
	return (-1);
}
