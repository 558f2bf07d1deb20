/* cmd_diff.c: `pfharness diff OLD.conf NEW.conf`: the probes of both rulesets, each
 * run alone through the pf model loaded with the one and with the other, and every
 * probe whose verdict, translation or state differs: what a change to pf.conf does
 * to packets before it is deployed. `--from 14 --to 15 FILE.conf` compares one ruleset
 * under two releases: what an upgrade does to it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_probes.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: pfharness diff [world options] OLD.conf NEW.conf\n"
	    "       pfharness diff [world options] --from 14 --to 15 FILE.conf\n"
	    "Generates the probes of both rulesets (as pfharness probes does), runs each\n"
	    "alone through the pf model with OLD and with NEW, and prints every probe\n"
	    "whose verdict, translation or state differs, with both outcomes and the rules\n"
	    "that decided them. Both rulesets are read in one world (see pfharness probes).\n"
	    "With --from and --to, one ruleset is compared under two FreeBSD releases\n"
	    "(an upgrade): the probes whose outcome changes, or the messages of the\n"
	    "release that does not load it.\n"
	    "World options:\n" PROBE_WORLD_USAGE
	    "      --from 14|15    the release of OLD (of FILE with --to)\n"
	    "      --to 14|15      the release of NEW (of FILE with --from)\n"
	    "  -v, --verbose       also the probes that behave the same, and the rules no\n"
	    "                      probe reaches\n"
	    "Exit: 0 no probe differs, 1 some differ (or the new release does not load\n"
	    "what the old one loads), 2 the old side did not load or bad usage.\n");
}

/* One ruleset: its text, its probes, pf loaded with it. */
struct side {
	const char	*name;
	int		 freebsd;	/* --from / --to; 0: the world's */
	char		*text;
	struct probe_list l;
	struct pfm	*pf;
};

static struct pfm *
load(struct probe_world *w, const struct side *s, struct diag *d)
{
	struct pfm_define def[PROBE_KV_MAX];
	struct pfm_load_opts lo;
	struct pfm *pf;
	char *eq;
	int i, n;

	if ((pf = pfm_new(&w->host)) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		return (NULL);
	}
	n = probes_defines(w, def);
	memset(&lo, 0, sizeof(lo));
	lo.file = s->name;
	lo.define = def;
	lo.ndefine = n;
	lo.services = w->services;
	lo.freebsd = s->freebsd ? s->freebsd : w->freebsd;
	i = pfm_load(pf, s->text, &lo, d);
	probes_defines_undo(def, n);
	if (i == -1) {
		pfm_free(pf);
		return (NULL);
	}
	for (i = 0; i < w->nsysctl; i++) {
		char kv[256];

		snprintf(kv, sizeof(kv), "%s", w->sysctl[i]);
		if ((eq = strchr(kv, '=')) != NULL) {
			*eq = '\0';
			(void)pfm_sysctl(pf, kv, eq + 1);
		}
	}
	return (pf);
}

static int
generate(struct probe_world *w, struct side *s, struct diag *d)
{
	struct pfm_define def[PROBE_KV_MAX];
	struct pfm_load_opts lo;
	int n, rc;

	n = probes_defines(w, def);
	memset(&lo, 0, sizeof(lo));
	lo.file = s->name;
	lo.define = def;
	lo.ndefine = n;
	lo.services = w->services;
	lo.freebsd = s->freebsd ? s->freebsd : w->freebsd;
	rc = probe_generate(s->text, &lo, w, &s->l, d);
	probes_defines_undo(def, n);
	return (rc);
}

/* The same packet sent the same way (a probe both rulesets generated). */
static int
same_probe(const struct probe_case *a, const struct probe_case *b)
{
	return (a->via == b->via && a->pkt.proto == b->pkt.proto &&
	    pkt_addr_eq(&a->pkt.src, &b->pkt.src) && pkt_addr_eq(&a->pkt.dst, &b->pkt.dst) &&
	    a->pkt.sport == b->pkt.sport && a->pkt.dport == b->pkt.dport &&
	    a->pkt.flags == b->pkt.flags && a->pkt.icmp == b->pkt.icmp);
}

static void
indent(const char *text, const char *lead)
{
	const char *nl;

	for (; *text != '\0'; text = *nl ? nl + 1 : nl) {
		nl = strchr(text, '\n');
		if (nl == NULL)
			nl = text + strlen(text);
		printf("%s%.*s\n", lead, (int)(nl - text), text);
	}
}

/* Each probe of either side (once) through both; the differing ones printed (all
 * with verbose). The number that differ; *nprobes the number run. */
static int
compare(struct probe_world *w, struct side *s, int verbose, int *nprobes)
{
	char oa[4096], ob[4096], ra[4096], rb[4096], step[600], la[16], lb[16];
	const struct probe_case *c, **all;
	int k, i, j, n = 0, ndiff = 0;

	*nprobes = 0;
	/* the sides' labels: old/new, or the releases when they differ */
	if (s[0].freebsd != s[1].freebsd) {
		snprintf(la, sizeof(la), "%d:", s[0].freebsd ? s[0].freebsd : 14);
		snprintf(lb, sizeof(lb), "%d:", s[1].freebsd ? s[1].freebsd : 14);
	} else {
		snprintf(la, sizeof(la), "old:");
		snprintf(lb, sizeof(lb), "new:");
	}
	if ((all = calloc((size_t)(s[0].l.n + s[1].l.n + 1), sizeof(*all))) == NULL)
		return (0);
	for (k = 0; k < 2; k++)
		for (i = 0; i < s[k].l.n; i++) {
			c = &s[k].l.c[i];
			for (j = 0; j < n && !same_probe(all[j], c); j++)
				;
			if (c->kind == PK_PROBED && j == n)
				all[n++] = c;
		}
	for (i = 0; i < n; i++) {
		c = all[i];
		probe_outcome(s[0].pf, w, c, oa, sizeof(oa), ra, sizeof(ra));
		probe_outcome(s[1].pf, w, c, ob, sizeof(ob), rb, sizeof(rb));
		if (strcmp(oa, ob) == 0 && !verbose)
			continue;
		ndiff += strcmp(oa, ob) != 0;
		printf("%s %s:%d: %s%s%s%s\n", strcmp(oa, ob) != 0 ? "DIFFERS" : "same",
		    c->file, c->line, c->anchor[0] ? "anchor \"" : "", c->anchor,
		    c->anchor[0] ? "\": " : "", c->text);
		printf("  probe: %s\n", probe_step_text(w, c, step, sizeof(step)));
		printf("  %s %s\n", la, oa);
		indent(ra, "       by ");
		printf("  %s %s\n", lb, ob);
		indent(rb, "       by ");
	}
	*nprobes = n;
	free(all);
	return (ndiff);
}

int
cmd_diff(int argc, char **argv)
{
	static const struct option lo[] = {
		PROBE_WORLD_LONGOPTS,
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct probe_wopts o;
	struct probe_world w;
	struct side s[2];
	struct diag d = { 0 };
	const char *texts[2], *names[2];
	int c, k, verbose = 0, n, ndiff, rc = 2, nfile;

	memset(&o, 0, sizeof(o));
	memset(&w, 0, sizeof(w));
	memset(s, 0, sizeof(s));
	optind = 1;
	while ((c = getopt_long(argc, argv, "D:vh", lo, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return (0);
		}
		if (c == 'v') {
			verbose = 1;
			continue;
		}
		if (c == 'F' || c == 'T') {
			if ((s[c == 'T'].freebsd = pfm_freebsd_parse(optarg)) == -1) {
				fprintf(stderr, "pfharness diff: --%s %s: expected 14 or 15\n",
				    c == 'F' ? "from" : "to", optarg);
				return (2);
			}
			continue;
		}
		if (c == '?' || probe_wopt(&o, c, optarg, "diff") != 1) {
			usage(stderr);
			return (2);
		}
	}
	/* one file under two releases, or two files */
	nfile = (s[0].freebsd != 0) != (s[1].freebsd != 0) ? -1 :
	    s[0].freebsd != 0 ? 1 : 2;
	if (nfile == -1 || argc - optind != nfile || (nfile == 1 && o.freebsd != 0)) {
		if (nfile == -1)
			fprintf(stderr, "pfharness diff: --from and --to go together\n");
		else if (nfile == 1 && o.freebsd != 0)
			fprintf(stderr, "pfharness diff: --freebsd or --from/--to, not both\n");
		usage(stderr);
		return (2);
	}
	if (nfile == 1)		/* the world is read as the old release reads the file */
		o.freebsd = s[0].freebsd;
	for (k = 0; k < 2; k++) {
		s[k].name = argv[optind + (nfile == 2 ? k : 0)];
		if (probes_read(s[k].name, &s[k].text) == -1)
			goto out;
		texts[k] = s[k].text;
		names[k] = s[k].name;
	}
	if (probe_world_make(&w, &o, texts, names, nfile, &d) == -1)
		goto fail;
	for (k = 0; k < 2; k++)
		if (generate(&w, &s[k], &d) == -1) {
			if (k == 1 && nfile == 1)
				goto refused;
			goto fail;
		}
	/* the world may have grown jails for the second: one host for both */
	if (probe_world_host(&w, &d) == -1)
		goto fail;
	for (k = 0; k < 2; k++)
		if ((s[k].pf = load(&w, &s[k], &d)) == NULL) {
			if (k == 1 && nfile == 1)
				goto refused;
			goto fail;
		}
	if (verbose)
		for (k = 0; k < 2; k++)
			probes_findings(&s[k].l, stdout);
	ndiff = compare(&w, s, verbose, &n);
	printf("pfharness diff: %d probes (%d rules of %s, %d of %s), %d differ\n", n,
	    s[0].l.n, s[0].name, s[1].l.n, s[1].name, ndiff);
	rc = ndiff > 0;
	goto out;
refused:
	/* what the old release loads and the new one does not: the upgrade's answer */
	fputs(diag_text(&d), stdout);
	printf("pfharness diff: %s loads on FreeBSD %d and not on FreeBSD %d\n", s[0].name,
	    s[0].freebsd, s[1].freebsd);
	rc = 1;
	goto out;
fail:
	fputs(diag_text(&d), stderr);
	fprintf(stderr, "pfharness diff: no comparison made\n");
out:
	diag_free(&d);
	for (k = 0; k < 2; k++) {
		probe_list_free(&s[k].l);
		pfm_free(s[k].pf);
		free(s[k].text);
	}
	probe_world_free(&w);
	return (rc);
}
