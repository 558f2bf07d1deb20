/* cmd_probes.c: `pfharness probes`: a scenario with one probe per rule that decides
 * packets, the outcome the pf model predicts, and the rules no packet reaches; and
 * `pfharness bench probes N`, the time that takes for a ruleset of N rules. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/rdfile.h"
#include "cmd.h"
#include "cmd_probes.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: pfharness probes [world options] pf.conf > FILE.scn\n"
	    "       pfharness probes --world SCENARIO [pf.conf] > FILE.scn\n"
	    "Writes a scenario with, for every rdr, nat, binat, block and pass rule, a probe\n"
	    "whose packet that rule decides, titled with the rule's file:line and text,\n"
	    "and the outcome the pf model predicts (expect reply / delivered / wire /\n"
	    "state ...). Rules no packet reaches (shadowed) and rules the world cannot\n"
	    "reach are reported on standard error and as comments in the file.\n"
	    "The world: the host interface the rules name most, the address nat maps to,\n"
	    "jails at the rdr targets listening on the redirected ports, unless the world\n"
	    "options say otherwise; the file's header says what was assumed.\n"
	    "World options:\n" PROBE_WORLD_USAGE
	    "  -q, --quiet         no findings on standard error, only errors\n"
	    "Check the file with: pfharness run -t model,linux FILE.scn\n"
	    "Exit: 0 written, 1 the ruleset did not load, 2 bad usage.\n");
}

/* A world's `define NAME=VALUE` strings as -D overrides into def (pointers into the
 * strings, which are split in place). */
int
probes_defines(struct probe_world *w, struct pfm_define *def)
{
	char *eq;
	int i, n = 0;

	for (i = 0; i < w->ndefine; i++) {
		if ((eq = strchr(w->define[i], '=')) == NULL)
			continue;
		def[n].name = w->define[i];
		def[n].value = eq + 1;
		*eq = '\0';
		n++;
	}
	return (n);
}

/* The defines back into "NAME=VALUE" form (undo probes_defines). */
void
probes_defines_undo(struct pfm_define *def, int n)
{
	int i;

	for (i = 0; i < n; i++)
		((char *)def[i].value)[-1] = '=';
}

int
probes_read(const char *path, char **text)
{
	struct rdfile rf;
	char err[4200];

	if (rdfile_read(path, 0, RDFILE_FIFO | RDFILE_STDIN, &rf, err, sizeof(err)) == -1) {
		fprintf(stderr, "pfharness: %s\n", err);
		rdfile_free(&rf);
		return (-1);
	}
	*text = rf.buf;
	rf.buf = NULL;
	rdfile_free(&rf);
	return (0);
}

void
probes_findings(const struct probe_list *l, FILE *f)
{
	const struct probe_case *c;
	int i;

	for (i = 0; i < l->n; i++) {
		c = &l->c[i];
		if (c->kind != PK_PROBED)
			fprintf(f, "%s:%d: %s%s%s%s: %s\n", c->file, c->line,
			    c->anchor[0] ? "anchor \"" : "", c->anchor,
			    c->anchor[0] ? "\": " : "", c->text, c->why);
	}
}

/* Generate the cases for text (file name, first line) in w: 0, or 1 after pfctl's
 * messages on standard error. */
static int
generate(struct probe_world *w, const char *text, const char *file, int line0,
    struct probe_list *l)
{
	struct pfm_define def[PROBE_KV_MAX];
	struct pfm_load_opts lo;
	struct diag d = { 0 };
	int nd, rc;

	nd = probes_defines(w, def);
	memset(&lo, 0, sizeof(lo));
	lo.file = file;
	lo.line0 = line0;
	lo.define = def;
	lo.ndefine = nd;
	lo.services = w->services;
	lo.freebsd = w->freebsd;
	rc = probe_generate(text, &lo, w, l, &d);
	probes_defines_undo(def, nd);
	if (rc == -1) {
		fputs(diag_text(&d), stderr);
		fprintf(stderr, "pfctl: Syntax error in config file: pf rules not loaded\n");
	}
	diag_free(&d);
	return (rc == -1);
}

/* The header: how the file was made and how to check it. */
static char *
header(int argc, char **argv)
{
	char *h = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	if ((f = open_memstream(&h, &len)) == NULL)
		return (NULL);
	fprintf(f, "# Written by `pfharness probes");
	for (i = 1; i < argc; i++)
		fprintf(f, " %s", argv[i]);
	fprintf(f, "`.\n# For every rule that decides packets, a probe whose packet that "
	    "rule decides,\n# titled with the rule; the expectations are what the pf model "
	    "predicts.\n# Review them, keep the file, check it with\n"
	    "#   pfharness run -t model,linux FILE.scn   (in the VM: -t freebsd,model)\n");
	fclose(f);
	return (h);
}

int
cmd_probes(int argc, char **argv)
{
	static const struct option lo[] = {
		PROBE_WORLD_LONGOPTS,
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct probe_wopts o;
	struct probe_world w;
	struct probe_list l;
	struct diag d = { 0 };
	char *text = NULL, *file = NULL, *h = NULL;
	const char *name;
	int c, quiet = 0, line0 = 0, rc = 1;

	memset(&o, 0, sizeof(o));
	memset(&l, 0, sizeof(l));
	optind = 1;
	while ((c = getopt_long(argc, argv, "D:qh", lo, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return (0);
		}
		if (c == 'q') {
			quiet = 1;
			continue;
		}
		if (c == '?' || probe_wopt(&o, c, optarg, "probes") != 1) {
			usage(stderr);
			return (2);
		}
	}
	if (argc - optind > 1 || (argc - optind == 0 && o.world == NULL)) {
		usage(stderr);
		return (2);
	}
	if (argc - optind == 1) {
		if (probes_read(argv[optind], &text) == -1)
			return (1);
		name = strcmp(argv[optind], "-") == 0 ? "stdin" : argv[optind];
	} else {
		if (probe_world_scn_pf(o.world, &text, &file, &line0, &d) == -1) {
			fputs(diag_text(&d), stderr);
			diag_free(&d);
			return (1);
		}
		name = file;
	}
	if (probe_world_make(&w, &o, (const char *const *)&text, &name, 1, &d) == -1) {
		fputs(diag_text(&d), stderr);
		goto out;
	}
	if (generate(&w, text, name, line0, &l) != 0)
		goto out;
	if (!quiet) {
		for (c = 0; c < w.nlimit; c++)
			fprintf(stderr, "%s\n", w.limit[c]);
		probes_findings(&l, stderr);
	}
	if ((h = header(argc, argv)) == NULL ||
	    probe_write_scn(stdout, &w, text, &l, h, &d) == -1) {
		fputs(diag_text(&d), stderr);
		goto out;
	}
	if (!quiet)
		fprintf(stderr, "pfharness probes: %d rules decide packets: %d probed, %d "
		    "shadowed, %d match no packet, %d outside the world, %d without a "
		    "probe found\n", l.n, l.nprobed, l.nshadowed, l.nempty, l.noutside,
		    l.nnotfound);
	rc = 0;
out:
	diag_free(&d);
	probe_list_free(&l);
	probe_world_free(&w);
	free(text);
	free(file);
	free(h);
	return (rc);
}

/* A varied ruleset of n rules for the bench: rdr to the jails, nat, quick passes from
 * client networks, blocks of ports, outbound rules, and some rules the earlier ones
 * shadow, so that every kind of work the generator does is there. */
static char *
bench_ruleset(int n)
{
	char *t = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	if ((f = open_memstream(&t, &len)) == NULL)
		return (NULL);
	fprintf(f, "ext_if = \"em0\"\npub = \"203.0.113.1\"\njails = \"10.99.0.0/24\"\n"
	    "table <bad> { 192.0.2.0/28 198.18.0.0/16 }\nset skip on lo0\n"
	    "nat on $ext_if from $jails to any -> $pub\n");
	for (i = 0; i < n / 10; i++)
		fprintf(f, "rdr on $ext_if proto %s from any to $pub port %d -> 10.99.0.%d "
		    "port %d\n", i % 3 ? "tcp" : "udp", 2000 + i, 1 + i % 40, 80 + i % 3);
	fprintf(f, "block in log all\nblock in quick from <bad>\n");
	for (i = 0; i < n - n / 10 - 3; i++)
		switch (i % 6) {
		case 0:
			fprintf(f, "pass in quick on $ext_if proto tcp from 198.51.%d.%d to "
			    "any port %d\n", i / 250 % 250, 1 + i % 250, 1000 + i);
			break;
		case 1:
			fprintf(f, "block in on $ext_if proto udp from any to $pub port %d\n",
			    3000 + i);
			break;
		case 2:
			fprintf(f, "pass in on $ext_if proto tcp to 10.99.0.%d port %d\n",
			    1 + i % 40, 80 + i % 3);
			break;
		case 3:
			fprintf(f, "pass out quick on $ext_if proto tcp from $pub to "
			    "192.0.2.%d port %d\n", 16 + i % 200, 4000 + i);
			break;
		case 4:
			fprintf(f, "block in quick on $ext_if proto tcp from 198.51.%d.%d to "
			    "any port %d\n", (i - 4) / 250 % 250, 1 + (i - 4) % 250, 1000 + i - 4);
			break;
		default:
			fprintf(f, "pass in on $ext_if inet proto icmp from 100.64.%d.0/24 "
			    "icmp-type echoreq\n", i % 250);
			break;
		}
	fprintf(f, "pass out on $ext_if\n");
	fclose(f);
	return (t);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static void
bench_probes_usage(FILE *f)
{
	fprintf(f, "usage: pfharness bench probes [N] [--print]\n"
	    "Times pfharness probes on a ruleset of N varied rules (10-100000, default\n"
	    "1000): the world, the generation, the model's run of the probes. --print:\n"
	    "the ruleset instead, not timed.\n"
	    "Exit: 0 done, 1 an error, 2 bad usage.\n");
}

/* `bench probes [N]`: generate the probes of an N-rule ruleset (default 1000) and
 * write their scenario (to /dev/null), timed; one line of figures. `--print`: the
 * ruleset instead. */
int
cmd_bench_probes(int argc, char **argv)
{
	struct probe_wopts o;
	struct probe_world w;
	struct probe_list l;
	struct diag d = { 0 };
	const char *name = "bench.conf";
	char *text, *end;
	double t0, t1, t2, t3;
	long n = 1000;
	FILE *null;
	int rc = 1, print = 0, seen = 0, k;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--print") == 0)
			print = 1;
		else if (strcmp(argv[k], "-h") == 0 || strcmp(argv[k], "--help") == 0) {
			bench_probes_usage(stdout);
			return (0);
		} else if (seen++ || (n = strtol(argv[k], &end, 10)) < 10 || n > 100000 ||
		    *end != '\0') {
			bench_probes_usage(stderr);
			return (2);
		}
	}
	if ((text = bench_ruleset((int)n)) == NULL)
		return (1);
	if (print) {
		fputs(text, stdout);
		free(text);
		return (0);
	}
	if ((null = fopen("/dev/null", "w")) == NULL) {
		free(text);
		return (1);
	}
	memset(&o, 0, sizeof(o));
	memset(&l, 0, sizeof(l));
	t0 = now_s();
	if (probe_world_make(&w, &o, (const char *const *)&text, &name, 1, &d) == -1)
		goto out;
	t1 = now_s();
	if (generate(&w, text, name, 0, &l) != 0)
		goto out;
	t2 = now_s();
	if (probe_write_scn(null, &w, text, &l, "", &d) == -1)
		goto out;
	t3 = now_s();
	printf("bench probes: %ld rules (%d decide packets): %d probed, %d shadowed, %d "
	    "match no packet, %d outside the world, %d without a probe; %.2f s in all "
	    "(world %.2f s, generation %.2f s, the model's run of the probes %.2f s)\n", n,
	    l.n, l.nprobed, l.nshadowed, l.nempty, l.noutside, l.nnotfound, t3 - t0,
	    t1 - t0, t2 - t1, t3 - t2);
	rc = 0;
out:
	if (rc != 0)
		fputs(diag_text(&d), stderr);
	diag_free(&d);
	probe_list_free(&l);
	probe_world_free(&w);
	fclose(null);
	free(text);
	return (rc);
}
