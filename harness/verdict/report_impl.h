/* report_impl.h: what a report keeps of a run, shared by the terminal and TAP writer
 * (report.c) and the JUnit writer (report_junit.c). */
#ifndef REPORT_IMPL_H
#define REPORT_IMPL_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "report.h"

struct rep_probe {
	char		*title, *detail;
	char		*attach;	/* dumps taken when this probe failed */
	int		 line;
	enum rep_status	 st;
	double		 ms;
};

struct rep_scn {
	char		*name, *path, *title, *target, *error, *attach;
	struct rep_probe *probe;
	int		 nprobe;
	double		 ms;
	time_t		 started;
	char		*log;		/* what the summary said of it, without colour */
	size_t		 loglen;
};

struct report {
	struct report_opts o;
	FILE		*out;		/* the summary or TAP */
	int		 color;
	struct rep_scn	*scn;
	int		 nscn;
	int		 ntap;
	int		 pass, fail, error, skip;
	char		*none;		/* why no scenario was selected, or NULL */
};

/* Write the run as JUnit XML to r->o.junit ("-": standard output), valid against the
 * Apache Ant schema (tests/JUnit.xsd). 0, or -1 after a message on standard error. */
int	report_junit_write(const struct report *r);

#endif
