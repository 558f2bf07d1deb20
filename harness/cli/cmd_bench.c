/* cmd_bench.c: `pfharness bench`: run the workloads, compare results, ministat-style
 * statistics, the counts-add-up smoke check, and the generator alone. */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/compare.h"
#include "bench/csv.h"
#include "bench/paired.h"
#include "bench/stats.h"
#include "bench/work.h"
#include "bench/work_def.h"
#include "cmd.h"
#include "cmd_probes.h"

static volatile sig_atomic_t bench_stop;

static void
on_signal(int sig)
{
	(void)sig;
	bench_stop = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: pfharness bench [run] [-w | --workload W] [-q | --quick | -f | --full]\n"
	    "                       [-r | --runs N] [-s | --seconds S] [-o | --out FILE]\n"
	    "                       [-b | --baseline FILE] [-t | --threshold PCT]\n"
	    "                       [-T | --target T] [--no-progress] [--freebsd 14|15]\n"
	    "       pfharness bench ab [--workload W] [--pf A.conf --pf B.conf]\n"
	    "                       [--bin A --bin B] [--target A --target B] [--rounds N]\n"
	    "                       [--seconds S] [--seed N] [--out FILE] [--threshold PCT]\n"
	    "                       [--no-progress] [--freebsd 14|15]\n"
	    "       pfharness bench ruleset N\n"
	    "       pfharness bench hook --netns NS -f PF.CONF [--queue N] [--cpu N]\n"
	    "                       [--freebsd 14|15]\n"
	    "       pfharness bench probes [N] [--print]\n"
	    "       pfharness bench compare [--threshold PCT] [-c CONF] BASELINE.csv NEW.csv\n"
	    "       pfharness bench stats [-c | --confidence CONF] FILE...\n"
	    "       pfharness bench smoke [--pps N] [--seconds S]\n"
	    "       pfharness bench gen --netns NS --if IF [--seconds S] [--pps N]\n"
	    "                           [--dst-mac MAC]\n"
	    "\n"
	    "run      measure the workloads (%s)\n"
	    "         on this system's target (linux, or freebsd on FreeBSD) with pf on,\n"
	    "         pf off and the generator alone;\n"
	    "         one CSV row per measurement in\n"
	    "         FILE (default results/bench-<time>.csv, also linked as\n"
	    "         results/bench-latest.csv); with --baseline, compare afterwards.\n"
	    "         in rounds of every point in random order, each run after a warm-up;\n"
	    "         --quick (default): 8 rounds of 0.5 s; --full: 2 s, the loss-free\n"
	    "         search, 10^6 states; --runs, --seconds: the rounds and the seconds\n"
	    "         of each run instead; --target: the system's target (the only one\n"
	    "         measured); --no-progress: no progress line on a terminal;\n"
	    "         --freebsd: the release whose pf the model follows on linux\n"
	    "         (default 14; FreeBSD's own target runs its own)\n"
	    "ab       two variants on one world (rulesets, builds of pfharness, targets),\n"
	    "         in rounds of A, A again and B in random order (default 10 of\n"
	    "         0.5 s): B/A with its 95%% interval, the noise floor from A/A;\n"
	    "         exit 1 when B is lower by more than PCT (default 5) above it\n"
	    "ruleset  the rules workload's N varied rules (for bench ab --pf)\n"
	    "hook     one variant's pf hook, which bench ab starts and ends (not by hand)\n"
	    "probes   the time `pfharness probes` takes on N varied rules (default 1000);\n"
	    "         --print: that ruleset instead\n"
	    "compare  Student's t per point, as ministat; exit 1 when a point is\n"
	    "         significantly worse by more than PCT percent (default 5)\n"
	    "stats    ministat -A on files of numbers; a results CSV gets a per-point\n"
	    "         summary instead. CONF: 80 90 95 98 99 99.5 (default 95)\n"
	    "smoke    a second of traffic per point: sent = received + dropped?\n"
	    "gen      the generator alone on an interface of a namespace (bench/trafgen.sh)\n"
	    "\nExit status: 0 ok, 1 regression (or counts that do not add up), 2 error.\n",
	    bench_work_names());
}

/* A getopt result that ends the command: -h prints the usage on stdout (0), anything
 * else is a usage error (usage on stderr, 2). */
static int
usage_exit(int c)
{
	usage(c == 'h' ? stdout : stderr);
	return (c == 'h' ? 0 : 2);
}

/* 1 when --help (or -h) is among the words: it wins over the values of other options,
 * which are checked as they come. */
static int
help_asked(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return (1);
	return (0);
}

/* A command's end after a diag-filled failure (rc -1: the messages, exit 2), else rc. */
static int
diag_exit(int rc, struct diag *d)
{
	if (rc == -1)
		fputs(diag_text(d), stderr);
	diag_free(d);
	return (rc == -1 ? 2 : rc);
}

static int
parse_conf(const char *s, int *ci)
{
	char *end;
	double c = strtod(s, &end);

	if (*end != '\0' || (*ci = stats_conf_index(c)) == -1) {
		fprintf(stderr, "pfharness bench: confidence %s: one of 80 90 95 98 99 99.5\n",
		    s);
		return (-1);
	}
	return (0);
}

static int
parse_num(const char *what, const char *s, double min, double *out)
{
	char *end;

	*out = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || *out < min) {
		fprintf(stderr, "pfharness bench: %s \"%s\": a number >= %g\n", what, s, min);
		return (-1);
	}
	return (0);
}

static int
bench_compare_cmd(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bench_cmp_opts o = { 5.0, 2, 0 };
	struct diag d = { 0 };
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:c:h", lo, NULL)) != -1)
		switch (c) {
		case 't':
			if (parse_num("threshold", optarg, 0, &o.threshold) == -1)
				return (2);
			break;
		case 'c':
			if (parse_conf(optarg, &o.ci) == -1)
				return (2);
			break;
		case 'h':
		default:
			return (usage_exit(c));
		}
	if (argc - optind != 2)
		return (usage_exit('?'));
	rc = bench_compare_files(argv[optind], argv[optind + 1], &o, stdout, &d);
	return (diag_exit(rc, &d));
}

/* 1 when the file starts like a results CSV. */
static int
is_results_csv(const char *path)
{
	FILE *f;
	char buf[256];
	int yes = 0;

	if ((f = fopen(path, "r")) == NULL)
		return (0);
	while (fgets(buf, sizeof(buf), f) != NULL)
		if (buf[0] != '#') {
			yes = strncmp(buf, "host,kernel,", 12) == 0;
			break;
		}
	fclose(f);
	return (yes);
}

static int
bench_stats_cmd(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "confidence", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct diag d = { 0 };
	int c, ci = 2, rc = 0, i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", lo, NULL)) != -1)
		switch (c) {
		case 'c':
			if (parse_conf(optarg, &ci) == -1)
				return (2);
			break;
		case 'h':
		default:
			return (usage_exit(c));
		}
	if (optind == argc)
		return (usage_exit('?'));
	if (is_results_csv(argv[optind])) {
		for (i = optind; i < argc && rc == 0; i++)
			rc = bench_summary_file(argv[i], NULL, 5, stdout, &d) == -1 ? -1 : 0;
	} else
		rc = bench_stats_files(argv + optind, argc - optind, ci, stdout, &d);
	return (diag_exit(rc == -1 ? -1 : 0, &d));
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int
need_root(void)
{
	if (geteuid() == 0)
		return (0);
	fprintf(stderr, "pfharness bench: needs root (network namespaces)\n");
	return (-1);
}

static int
bench_smoke_cmd(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "pps", required_argument, NULL, 'p' },
		{ "seconds", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bench_cfg cfg;
	char err[1024];
	int c, rc;

	memset(&cfg, 0, sizeof(cfg));
	cfg.smoke_pps = 20000;
	cfg.dur = 1;
	cfg.runs = 1;
	cfg.stop = &bench_stop;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1)
		switch (c) {
		case 'p':
			if (parse_num("pps", optarg, 1, &cfg.smoke_pps) == -1)
				return (2);
			break;
		case 's':
			if (parse_num("seconds", optarg, 0.01, &cfg.dur) == -1)
				return (2);
			break;
		case 'h':
		default:
			return (usage_exit(c));
		}
	if (need_root() == -1)
		return (2);
	catch_signals();
	if ((rc = bench_work_smoke(&cfg, stdout, err, sizeof(err))) == -1) {
		fprintf(stderr, "pfharness bench smoke: %s\n", err);
		return (2);
	}
	return (rc);
}

static int
mac_parse(const char *s, uint8_t m[6])
{
	unsigned int v[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return (-1);
	for (i = 0; i < 6; i++)
		m[i] = (uint8_t)v[i];
	return (0);
}

/* The generator alone on NS/IF: the same frames and flows as the forward workload. */
static int
bench_gen_cmd(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "if", required_argument, NULL, 'i' },
		{ "seconds", required_argument, NULL, 's' },
		{ "pps", required_argument, NULL, 'p' },
		{ "dst-mac", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *ns = NULL, *ifname = NULL;
	uint8_t dst_mac[6] = { 0x02, 0x70, 0x66, 0x62, 0x00, 0x01 };
	uint64_t sent;
	double secs = 2, pps = 0, elapsed;
	char err[512];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1)
		switch (c) {
		case 'n':
			ns = optarg;
			break;
		case 'i':
			ifname = optarg;
			break;
		case 's':
			if (parse_num("seconds", optarg, 0.01, &secs) == -1)
				return (2);
			break;
		case 'p':
			if (parse_num("pps", optarg, 0, &pps) == -1)
				return (2);
			break;
		case 'd':
			if (mac_parse(optarg, dst_mac) == -1) {
				fprintf(stderr, "pfharness bench gen: bad MAC %s\n", optarg);
				return (2);
			}
			break;
		case 'h':
		default:
			return (usage_exit(c));
		}
	if (ifname == NULL)
		return (usage_exit('?'));
	catch_signals();
	if (bench_work_gen(ns, ifname, dst_mac, pps, secs, &bench_stop, &sent, &elapsed, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "pfharness bench gen: %s\n", err);
		return (2);
	}
	printf("pfharness gen: %llu frames of %d bytes in %.3f s: %.0f pps\n",
	    (unsigned long long)sent, 60, elapsed, sent / elapsed);
	return (0);
}

/* After a run: the summary and the per-point CSV (OUT-points.csv), the latest link,
 * the comparison with the baseline. *worse: the A/B comparisons B lost (pairs.h). */
static int
bench_after(const char *out, const char *baseline, const struct bench_cmp_opts *o,
    int *worse)
{
	struct diag d = { 0 };
	const char *base;
	char points[512];
	size_t n = strlen(out);
	int rc = 0;

	snprintf(points, sizeof(points), "%.*s-points.csv", (int)(n > 4 &&
	    strcmp(out + n - 4, ".csv") == 0 ? n - 4 : n), out);
	if ((*worse = bench_summary_file(out, points, o->threshold, stdout, &d)) == -1)
		return (diag_exit(-1, &d));
	printf("per point (CV, ratios, verdicts): %s\n", points);
	if (strncmp(out, "results/bench-", 14) == 0 && strchr(out + 8, '/') == NULL) {
		base = out + 8;
		(void)unlink("results/bench-latest.csv");
		if (strcmp(base, "bench-latest.csv") != 0 &&
		    symlink(base, "results/bench-latest.csv") == -1)
			fprintf(stderr, "pfharness bench: results/bench-latest.csv: %s\n",
			    strerror(errno));
	}
	printf("results: %s\n", out);
	if (baseline == NULL)
		return (0);
	if (access(baseline, R_OK) == -1) {
		printf("no baseline %s: nothing to compare (copy a results file there to "
		    "make one)\n", baseline);
		return (0);
	}
	printf("\n");
	rc = bench_compare_files(baseline, out, o, stdout, &d);
	return (diag_exit(rc, &d));
}

/* What the command line of `pfharness bench run` asks for. */
struct run_args {
	struct bench_cfg	cfg;
	struct bench_cmp_opts	co;
	const char		*out, *baseline, *target;
	double			runs, secs;	/* 0: the mode's */
	int			progress;
};

/* --freebsd 14|15 into *out; -1 after a message. */
static int
freebsd_opt(const char *cmd, const char *arg, int *out)
{
	if ((*out = pfm_freebsd_parse(arg)) == -1) {
		fprintf(stderr, "pfharness %s: --freebsd %s: expected 14 or 15\n", cmd, arg);
		return (-1);
	}
	return (0);
}

/* getopt over argv into a; -1 to go on, else the exit status (after a message). */
static int
run_opts(int argc, char **argv, struct run_args *a)
{
	static const struct option lo[] = {
		{ "workload", required_argument, NULL, 'w' },
		{ "quick", no_argument, NULL, 'q' },
		{ "full", no_argument, NULL, 'f' },
		{ "runs", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "threshold", required_argument, NULL, 't' },
		{ "target", required_argument, NULL, 'T' },
		{ "no-progress", no_argument, NULL, 'P' },
		{ "freebsd", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->co.threshold = 5.0;
	a->co.ci = 2;
	a->target = "linux";
	a->progress = isatty(2);
	optind = 1;
	while ((c = getopt_long(argc, argv, "w:qfr:s:o:b:t:T:h", lo, NULL)) != -1)
		switch (c) {
		case 'w':
			if (!bench_work_known(optarg)) {
				fprintf(stderr, "pfharness bench: unknown workload %s (%s)\n",
				    optarg, bench_work_names());
				return (2);
			}
			a->cfg.only = strcmp(optarg, "all") == 0 ? NULL : optarg;
			break;
		case 'q':
			a->cfg.full = 0;
			break;
		case 'f':
			a->cfg.full = 1;
			break;
		case 'r':
			if (parse_num("runs", optarg, 1, &a->runs) == -1)
				return (2);
			if (a->runs > PAIRED_MAX) {
				fprintf(stderr, "pfharness bench: runs %s: at most %d\n",
				    optarg, PAIRED_MAX);
				return (2);
			}
			break;
		case 's':
			if (parse_num("seconds", optarg, 0.05, &a->secs) == -1)
				return (2);
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'b':
			a->baseline = optarg;
			break;
		case 't':
			if (parse_num("threshold", optarg, 0, &a->co.threshold) == -1)
				return (2);
			break;
		case 'T':
			a->target = optarg;
			break;
		case 'P':
			a->progress = 0;
			break;
		case 'F':
			if (freebsd_opt("bench", optarg, &a->cfg.freebsd) == -1)
				return (2);
			break;
		case 'h':
		default:
			return (usage_exit(c));
		}
	if (optind != argc)
		return (usage_exit('?'));
	return (-1);
}

/* Measure the workloads of a->cfg into the CSV file a->out; -1 after a message. */
static int
run_write(struct run_args *a)
{
	struct bench_csv_ctx ctx;
	struct bench_csv *csv;
	char err[1024];
	int rc;

	bench_csv_ctx_init(&ctx, a->target);
	if ((csv = bench_csv_create(a->out, &ctx, err, sizeof(err))) == NULL) {
		fprintf(stderr, "pfharness bench: %s\n", err);
		return (-1);
	}
	catch_signals();
	rc = bench_work_run(&a->cfg, csv, err, sizeof(err));
	if (bench_csv_close(csv) == -1 && rc == 0) {
		snprintf(err, sizeof(err), "%s: write error", a->out);
		rc = -1;
	}
	if (rc == -1)
		fprintf(stderr, "pfharness bench: %s\n", err);
	return (rc == -1 ? -1 : 0);
}

static int
bench_run_cmd(int argc, char **argv)
{
	struct run_args a;
	char path[256];
	time_t now;
	int rc, worse;

	if ((rc = run_opts(argc, argv, &a)) != -1)
		return (rc);
	if (strcmp(a.target, bench_work_target()) != 0) {
		fprintf(stderr, "pfharness bench: target %s: the bench on this system "
		    "measures the %s target only\n", a.target, bench_work_target());
		return (2);
	}
	if (need_root() == -1)
		return (2);
	/* Rounds of every arm in random order; quick leaves out the loss-free search,
	 * whose few short trials make it the noisiest figure. */
	a.cfg.runs = a.runs > 0 ? (int)a.runs : 8;
	a.cfg.dur = a.secs > 0 ? a.secs : a.cfg.full ? 2 : 0.5;
	a.cfg.warmup = a.cfg.full ? 0.5 : 0.2;
	a.cfg.trial = a.cfg.full ? 0.5 : 0.2;
	a.cfg.steps = a.cfg.full ? 8 : 0;
	a.cfg.progress = a.progress;
	a.cfg.stop = &bench_stop;
	if (a.out == NULL) {
		(void)mkdir("results", 0755);
		now = time(NULL);
		strftime(path, sizeof(path), "results/bench-%Y%m%d-%H%M%S.csv",
		    gmtime(&now));
		a.out = path;
	}
	if (run_write(&a) == -1)
		return (2);
	return (bench_after(a.out, a.baseline, &a.co, &worse));
}

/* Add v to the pair list[2] (count *n) of option `what`; -1 after a message when
 * there are three. */
static int
ab_add(const char *what, const char **list, int *n, const char *v)
{
	if (*n == 2) {
		fprintf(stderr, "pfharness bench ab: --%s given more than twice\n", what);
		return (-1);
	}
	list[(*n)++] = v;
	return (0);
}

/* getopt over argv into ab, cfg and co; -1 to go on, else the exit status. */
static int
ab_opts(int argc, char **argv, struct bench_ab *ab, struct bench_cfg *cfg,
    struct bench_cmp_opts *co, const char **out)
{
	static const struct option lo[] = {
		{ "workload", required_argument, NULL, 'w' },
		{ "pf", required_argument, NULL, 'f' },
		{ "bin", required_argument, NULL, 'b' },
		{ "target", required_argument, NULL, 'T' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "out", required_argument, NULL, 'o' },
		{ "threshold", required_argument, NULL, 't' },
		{ "no-progress", no_argument, NULL, 'P' },
		{ "freebsd", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, nf = 0, nb = 0, nt = 0;
	double v;

	if (help_asked(argc, argv))
		return (usage_exit('h'));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'w':
			ab->workload = optarg;
			break;
		case 'f':
			if (ab_add("pf", ab->conf, &nf, optarg) == -1)
				return (2);
			break;
		case 'b':
			if (ab_add("bin", ab->bin, &nb, optarg) == -1)
				return (2);
			break;
		case 'T':
			if (ab_add("target", ab->target, &nt, optarg) == -1)
				return (2);
			break;
		case 'r':
			if (parse_num("rounds", optarg, 3, &v) == -1)
				return (2);
			if (v > PAIRED_MAX) {
				fprintf(stderr, "pfharness bench ab: rounds %s: at most %d\n",
				    optarg, PAIRED_MAX);
				return (2);
			}
			cfg->runs = (int)v;
			break;
		case 's':
			if (parse_num("seconds", optarg, 0.05, &cfg->dur) == -1)
				return (2);
			break;
		case 'S':
			if (parse_num("seed", optarg, 1, &v) == -1)
				return (2);
			cfg->seed = (unsigned long)v;
			break;
		case 'o':
			*out = optarg;
			break;
		case 't':
			if (parse_num("threshold", optarg, 0, &co->threshold) == -1)
				return (2);
			break;
		case 'P':
			cfg->progress = 0;
			break;
		case 'F':
			if (freebsd_opt("bench ab", optarg, &cfg->freebsd) == -1)
				return (2);
			break;
		case 'h':
		default:
			return (usage_exit(c));
		}
	}
	if (optind != argc || nf == 1 || nb == 1 || nt == 1) {
		fprintf(stderr, "pfharness bench ab: --pf, --bin and --target come in pairs "
		    "(A, then B)\n");
		return (2);
	}
	return (-1);
}

static void
ab_variant(const struct bench_ab *ab, int i, const struct bench_cfg *cfg)
{
	printf("%c  build %s, ruleset %s, target %s\n", "AB"[i],
	    ab->bin[i] ? ab->bin[i] : "this one", ab->conf[i] ? ab->conf[i] :
	    "the workload's", ab->target[i] ? ab->target[i] : "linux");
	(void)cfg;
}

/* bench ab: A against B (and A against itself) in rounds of random order. */
static int
bench_ab_cmd(int argc, char **argv)
{
	struct bench_ab ab;
	struct bench_cfg cfg;
	struct bench_cmp_opts co = { 5.0, 2, 0 };
	struct bench_csv_ctx ctx;
	struct bench_csv *csv;
	const char *out = NULL;
	char path[256], err[1024];
	time_t now;
	int rc, worse;

	memset(&ab, 0, sizeof(ab));
	memset(&cfg, 0, sizeof(cfg));
	cfg.runs = 10;
	cfg.dur = 0.5;
	cfg.warmup = 0.2;
	cfg.trial = 0.2;
	cfg.progress = isatty(2);
	cfg.stop = &bench_stop;
	if ((rc = ab_opts(argc, argv, &ab, &cfg, &co, &out)) != -1)
		return (rc);
	if (need_root() == -1)
		return (2);
	if (out == NULL) {
		(void)mkdir("results", 0755);
		now = time(NULL);
		strftime(path, sizeof(path), "results/ab-%Y%m%d-%H%M%S.csv", gmtime(&now));
		out = path;
	}
	printf("bench ab: %s, %d rounds of A, A again and B in random order, %.2g s "
	    "each after %.2g s of warm-up\n", ab.workload ? ab.workload : "forward",
	    cfg.runs, cfg.dur, cfg.warmup);
	ab_variant(&ab, 0, &cfg);
	ab_variant(&ab, 1, &cfg);
	fflush(stdout);
	bench_csv_ctx_init(&ctx, "linux");
	if ((csv = bench_csv_create(out, &ctx, err, sizeof(err))) == NULL) {
		fprintf(stderr, "pfharness bench ab: %s\n", err);
		return (2);
	}
	catch_signals();
	rc = bench_work_ab(&cfg, &ab, csv, err, sizeof(err));
	if (bench_csv_close(csv) == -1 && rc == 0) {
		snprintf(err, sizeof(err), "%s: write error", out);
		rc = -1;
	}
	if (rc == -1) {
		fprintf(stderr, "pfharness bench ab: %s\n", err);
		return (2);
	}
	if ((rc = bench_after(out, NULL, &co, &worse)) != 0)
		return (rc);
	return (worse > 0 ? 1 : 0);
}

/* `bench ruleset N`: the rules workload's ruleset of N varied rules, for bench ab. */
static int
bench_ruleset_cmd(const char *arg)
{
	char *conf;
	double n;

	if (parse_num("rules", arg, 1, &n) == -1 || n > 100000)
		return (2);
	if ((conf = bench_wl_rules_conf((long)n)) == NULL)
		return (2);
	fputs(conf, stdout);
	free(conf);
	return (0);
}

/* `bench hook`, bench ab's child: the hook with a ruleset until stdin ends. */
static int
bench_hook_cmd(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "queue", required_argument, NULL, 'q' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "freebsd", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *ns = NULL, *conf = NULL;
	char err[1024];
	int c, queue = 0, cpu = -1, freebsd = 0;

	if (help_asked(argc, argv))
		return (usage_exit('h'));
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", lo, NULL)) != -1)
		switch (c) {
		case 'n':
			ns = optarg;
			break;
		case 'q':
			queue = atoi(optarg);
			break;
		case 'c':
			cpu = atoi(optarg);
			break;
		case 'F':
			if (freebsd_opt("bench hook", optarg, &freebsd) == -1)
				return (2);
			break;
		case 'f':
			conf = optarg;
			break;
		case 'h':
		default:
			return (usage_exit(c));
		}
	if (ns == NULL || conf == NULL)
		return (usage_exit('?'));
	signal(SIGINT, SIG_IGN);	/* the parent ends it by closing stdin */
	if (bench_work_hook(ns, queue, cpu, conf, freebsd, err, sizeof(err)) == -1) {
		printf("pfharness bench hook: %s\n", err);
		return (2);
	}
	return (0);
}

int
cmd_bench(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return (usage_exit('h'));
	if (argc >= 2 && strcmp(argv[1], "compare") == 0)
		return (bench_compare_cmd(argc - 1, argv + 1));
	if (argc >= 2 && strcmp(argv[1], "stats") == 0)
		return (bench_stats_cmd(argc - 1, argv + 1));
	if (argc >= 2 && strcmp(argv[1], "smoke") == 0)
		return (bench_smoke_cmd(argc - 1, argv + 1));
	if (argc >= 2 && strcmp(argv[1], "gen") == 0)
		return (bench_gen_cmd(argc - 1, argv + 1));
	if (argc == 3 && strcmp(argv[1], "ruleset") == 0)
		return (bench_ruleset_cmd(argv[2]));
	if (argc >= 2 && strcmp(argv[1], "ab") == 0)
		return (bench_ab_cmd(argc - 1, argv + 1));
	if (argc >= 2 && strcmp(argv[1], "probes") == 0)
		return (cmd_bench_probes(argc - 1, argv + 1));
	if (argc >= 2 && strcmp(argv[1], "hook") == 0)
		return (bench_hook_cmd(argc - 1, argv + 1));
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return (bench_run_cmd(argc - 1, argv + 1));
	if (argc >= 2 && argv[1][0] != '-') {
		fprintf(stderr, "pfharness bench: unknown subcommand \"%s\" (run, compare, "
		    "stats, smoke, gen)\n", argv[1]);
		return (usage_exit('?'));
	}
	return (bench_run_cmd(argc, argv));
}
