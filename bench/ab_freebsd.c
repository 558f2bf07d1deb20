/* ab_freebsd.c: bench ab on FreeBSD (work.h): not there yet. A/B on real pf takes two
 * kernels or releases in two VMs (or two rulesets on one), which the FreeBSD half does
 * not drive; it says so. */
#include <stdio.h>

#include "work.h"

int
bench_work_ab(const struct bench_cfg *cfg, const struct bench_ab *ab,
    struct bench_csv *csv, char *err, size_t errlen)
{
	(void)cfg;
	(void)ab;
	(void)csv;
	snprintf(err, errlen, "bench ab is not implemented on FreeBSD yet: it runs on the "
	    "linux target");
	return (-1);
}

int
bench_work_hook(const char *ns, int queue, int cpu, const char *conf, int freebsd,
    char *err, size_t errlen)
{
	(void)freebsd;
	(void)ns;
	(void)queue;
	(void)cpu;
	(void)conf;
	snprintf(err, errlen, "bench hook: the NFQUEUE hook exists on Linux only");
	return (-1);
}
