/* csv.c: write and read the benchmark's results CSV (schema in csv.h). */
#include <sys/utsname.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/rdfile.h"
#include "csv.h"
#include "base/version.h"

static const struct bench_metric metrics[] = {
	{ "rx_pps", "pps", 1, "packets received per second at full offer", 0 },
	{ "tx_pps", "pps", 1, "packets the generator sent per second", 0 },
	{ "lossfree_pps", "pps", 1, "highest offered rate with no loss (RFC 2544)", 0 },
	{ "loss", "%", 0, "packets lost at full offer, percent of sent", 0 },
	{ "insert_rate", "states/s", 1, "states created per second", 0 },
	{ "state_mem", "B/state", 0, "memory per state", 0 },
	{ "states", "states", 1, "states in the table after the fill", 0 },
	{ "hook_ns", "ns/pkt", 0, "CPU of the hook per packet it handled (NFQUEUE, pf, "
	    "the kernel's work done on its thread)", 0 },
	{ "pf_ns", "ns/pkt", 0, "time pf's test took per packet in the hook (the hook's "
	    "own work and the kernel's left out)", 0 },
	{ "load", "load", 0, "1-minute load average after the run", 1 },
	{ "cpu_others", "%", 0, "CPU other processes used during the run, percent of "
	    "one CPU", 1 },
	{ "steal", "%", 0, "CPU time the hypervisor stole during the run", 1 },
	{ "cpu_mhz", "MHz", 1, "the CPUs' clock after the run", 1 },
};

struct bench_csv {
	FILE			*f;
	struct bench_csv_ctx	 ctx;
	int			 error;
};

const struct bench_metric *
bench_csv_metric(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++)
		if (strcmp(metrics[i].name, name) == 0)
			return (&metrics[i]);
	return (NULL);
}

/* Copy a field, turning what would break the CSV (commas, quotes, control
 * characters) into '_'. */
static void
field_copy(char *dst, const char *src)
{
	size_t i;

	for (i = 0; src[i] != '\0' && i < BENCH_CSV_STR - 1; i++)
		dst[i] = (src[i] == ',' || src[i] == '"' || (unsigned char)src[i] < 0x20) ?
		    '_' : src[i];
	dst[i] = '\0';
}

void
bench_csv_ctx_init(struct bench_csv_ctx *c, const char *target)
{
	struct utsname u;
	char buf[2 * BENCH_CSV_STR + 2];
	time_t now;
	struct tm tm;

	memset(c, 0, sizeof(*c));
	if (uname(&u) == 0) {
		field_copy(c->host, u.nodename);
		snprintf(buf, sizeof(buf), "%s %s", u.sysname, u.release);
		field_copy(c->kernel, buf);
	} else {
		field_copy(c->host, "unknown");
		field_copy(c->kernel, "unknown");
	}
	field_copy(c->target, target);
	field_copy(c->harness, PFH_VERSION);
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	field_copy(c->started, buf);
}

struct bench_csv *
bench_csv_create(const char *path, const struct bench_csv_ctx *ctx, char *err,
    size_t errlen)
{
	struct bench_csv *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return (NULL);
	}
	if ((c->f = fopen(path, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(c);
		return (NULL);
	}
	c->ctx = *ctx;
	fprintf(c->f, "# pfharness bench results, schema 1: one row per measurement, "
	    "value in unit, better = direction of improvement\n%s\n", BENCH_CSV_HEADER);
	fflush(c->f);
	return (c);
}

int
bench_csv_add(struct bench_csv *c, const char *workload, const char *mode, long size,
    const char *size_unit, int run, const char *metric, double value)
{
	const struct bench_metric *m;
	char w[BENCH_CSV_STR], md[BENCH_CSV_STR], su[BENCH_CSV_STR];

	if ((m = bench_csv_metric(metric)) == NULL)
		return (-1);
	field_copy(w, workload);
	field_copy(md, mode);
	field_copy(su, size_unit);
	if (fprintf(c->f, "%s,%s,%s,%s,%s,%s,%s,%ld,%s,%d,%s,%.10g,%s,%s\n",
	    c->ctx.host, c->ctx.kernel, c->ctx.target, c->ctx.harness, c->ctx.started,
	    w, md, size, su, run, m->name, value, m->unit,
	    m->higher_better ? "higher" : "lower") < 0 || fflush(c->f) != 0) {
		c->error = 1;
		return (-1);
	}
	return (0);
}

int
bench_csv_close(struct bench_csv *c)
{
	int rc;

	if (c == NULL)
		return (0);
	rc = c->error ? -1 : 0;
	if (fclose(c->f) != 0)
		rc = -1;
	free(c);
	return (rc);
}

/* Split line in place at commas into at most max fields; returns the count. */
static int
split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		if (n == max)
			return (max + 1);
		f[n++] = p;
		if ((p = strchr(p, ',')) == NULL)
			return (n);
		*p++ = '\0';
	}
}

static int
parse_row(char **f, struct bench_row *r, const char *path, int line, struct diag *d)
{
	char *end;
	char *strs[] = { r->host, r->kernel, r->target, r->harness, r->started,
	    r->workload, r->mode };
	size_t i;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		field_copy(strs[i], f[i]);
	r->size = strtol(f[7], &end, 10);
	if (*f[7] == '\0' || *end != '\0') {
		diag_add(d, path, line, "size \"%s\" is not an integer", f[7]);
		return (-1);
	}
	field_copy(r->size_unit, f[8]);
	r->run = (int)strtol(f[9], &end, 10);
	if (*f[9] == '\0' || *end != '\0' || r->run < 1) {
		diag_add(d, path, line, "run \"%s\" is not a positive integer", f[9]);
		return (-1);
	}
	field_copy(r->metric, f[10]);
	r->value = strtod(f[11], &end);
	if (*f[11] == '\0' || *end != '\0' || !isfinite(r->value)) {
		diag_add(d, path, line, "value \"%s\" is not a finite number", f[11]);
		return (-1);
	}
	field_copy(r->unit, f[12]);
	if (strcmp(f[13], "higher") == 0)
		r->higher_better = 1;
	else if (strcmp(f[13], "lower") == 0)
		r->higher_better = 0;
	else {
		diag_add(d, path, line, "better \"%s\" is not higher or lower", f[13]);
		return (-1);
	}
	r->line = line;
	return (0);
}

static int
table_add(struct bench_table *t, const struct bench_row *r)
{
	struct bench_row *n;

	if (t->nrow == t->cap) {
		n = realloc(t->row, (t->cap ? t->cap * 2 : 64) * sizeof(*n));
		if (n == NULL)
			return (-1);
		t->row = n;
		t->cap = t->cap ? t->cap * 2 : 64;
	}
	t->row[t->nrow++] = *r;
	return (0);
}

/* One line of a results CSV (its line ends cut) into t; 0, 1 when it is the header,
 * -1 when it is bad (said in d; *fatal when nothing more should be read). */
static int
read_line(char *buf, int header, struct bench_table *t, const char *path, int line,
    struct diag *d, int *fatal)
{
	char *fld[BENCH_CSV_NCOL + 1];
	struct bench_row r;
	int n;

	if (!header) {
		if (strcmp(buf, BENCH_CSV_HEADER) != 0) {
			diag_add(d, path, line, "not a pfharness bench CSV: header is not "
			    "\"%s\"", BENCH_CSV_HEADER);
			*fatal = 1;
			return (-1);
		}
		return (1);
	}
	if ((n = split(buf, fld, BENCH_CSV_NCOL)) != BENCH_CSV_NCOL) {
		diag_add(d, path, line, "%s columns, expected %d",
		    n > BENCH_CSV_NCOL ? "too many" : "too few", BENCH_CSV_NCOL);
		return (-1);
	}
	memset(&r, 0, sizeof(r));
	if (parse_row(fld, &r, path, line, d) == -1)
		return (-1);
	if (table_add(t, &r) == -1) {
		diag_add(d, path, line, "out of memory");
		*fatal = 1;
		return (-1);
	}
	return (0);
}

int
bench_csv_parse(const char *path, char *buf, size_t size, struct bench_table *t,
    struct diag *d)
{
	char *p, *nl, *end = buf + size;
	int line = 0, header = 0, bad = 0, fatal = 0, rc;
	size_t len;

	if (memchr(buf, '\0', size) != NULL) {
		diag_add(d, path, 0, "NUL byte: not a text file");
		return (-1);
	}
	for (p = buf; !fatal && p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		*nl = '\0';
		len = (size_t)(nl - p);
		while (len > 0 && p[len - 1] == '\r')
			p[--len] = '\0';
		if (len > BENCH_CSV_LINE_MAX) {
			diag_add(d, path, line, "line of %zu characters: a results line has "
			    "at most %d", len, BENCH_CSV_LINE_MAX);
			bad++;
			continue;
		}
		if (p[0] == '#' || p[0] == '\0')
			continue;
		if ((rc = read_line(p, header, t, path, line, d, &fatal)) == 1)
			header = 1;
		else if (rc == -1)
			bad++;
	}
	if (!header && !bad) {
		diag_add(d, path, line, "no header: empty results file");
		bad++;
	}
	if (bad)
		bench_table_free(t);	/* nothing half read for the caller to free */
	return (bad ? -1 : 0);
}

int
bench_csv_read(const char *path, struct bench_table *t, struct diag *d)
{
	struct rdfile rf;
	char err[4200];
	int rc;

	if (rdfile_read(path, 0, RDFILE_FIFO, &rf, err, sizeof(err)) == -1) {
		diag_add(d, NULL, 0, "%s", err);
		return (-1);
	}
	if (rf.nul_line != 0) {
		diag_add(d, path, rf.nul_line, "NUL byte: not a text file");
		rdfile_free(&rf);
		return (-1);
	}
	rc = bench_csv_parse(path, rf.buf, rf.len, t, d);
	rdfile_free(&rf);
	return (rc);
}

void
bench_table_free(struct bench_table *t)
{
	if (t == NULL)
		return;
	free(t->row);
	t->row = NULL;
	t->nrow = t->cap = 0;
}

int
bench_row_same_point(const struct bench_row *a, const struct bench_row *b)
{
	return (strcmp(a->workload, b->workload) == 0 && strcmp(a->mode, b->mode) == 0 &&
	    a->size == b->size && strcmp(a->metric, b->metric) == 0);
}
