/* cmd_check.c: `pfharness check`: the world of an admin's files, then their ruleset
 * loaded into the pf model against it as pfctl would load it there (with Bastille's rdr
 * anchors), and what would not work: pfctl's errors, the interfaces the ruleset names
 * that the world lacks, what the files leave unknown. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rdfile.h"
#include "cmd.h"
#include "ifcheck.h"
#include "pf/pfm_rule.h"
#include "worldopt.h"

#define CHECK_PROG	"pfharness check"
#define CHECK_MAXDEF	64

struct check {
	struct worldopt	 o;
	const char	*pf;		/* --pf */
	const char	*services;
	struct pfm_define def[CHECK_MAXDEF];
	int		 ndef;
	int		 freebsd;	/* --freebsd: PFM_FREEBSD_14 or _15 */
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: pfharness check [--rc FILE]... [--jails FILE]... "
	    "[--bastille PREFIX] [--root DIR]\n"
	    "           [--pf FILE] [--if NAME=ADDR/LEN[,...]]... "
	    "[--group NAME=IF[,IF...]]...\n"
	    "           [--jail NAME=[IF|]ADDR[/LEN][,...]]... [-D macro=value]... "
	    "[--services FILE]\n"
	    "           [--freebsd 14|15]\n"
	    "Builds the world of the files (as pfharness world), loads the ruleset into\n"
	    "the pf model against the host a run of it builds, as pfctl -f would load it\n"
	    "there (and Bastille's rdr anchors, as bastille rdr loads them), and reports\n"
	    "what would not work.\n"
	    "      --rc FILE, --jails FILE, --bastille PREFIX, --root DIR, --if SPEC,\n"
	    "      --group SPEC, --jail SPEC  as for pfharness world\n"
	    "      --pf FILE       the ruleset (default: rc.conf's pf_rules, under --root)\n"
	    "  -D macro=value      define a macro, overriding the file's (pfctl -D)\n"
	    "      --services FILE services list for port names (an absolute path is read\n"
	    "                      under --root too)\n"
	    "      --freebsd 14|15 the release whose pfctl loads the ruleset (default 14)\n"
	    "  -h, --help          this text\n"
	    "Exit: 0 the world is whole and the ruleset loads on it, 1 something does not\n"
	    "(pfctl's errors, interfaces the world lacks, what the files leave unknown or\n"
	    "a scenario cannot build), 2 bad usage.\n");
}

/* The options into c; -1 to go on, else the exit status. */
static int
options(int argc, char **argv, struct check *c)
{
	static const struct option lopts[] = {
		WORLDOPT_FILES,
		WORLDOPT_OVERRIDES,
		{ "pf", required_argument, NULL, 'p' },
		{ "services", required_argument, NULL, 'S' },
		{ "freebsd", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *eq;
	int ch, rc;

	memset(c, 0, sizeof(*c));
	c->o.pf_given = 1;	/* --pf, else pf_rules: loaded here */
	c->freebsd = PFM_FREEBSD_DEFAULT;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "D:h", lopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return (0);
		case 'p':
			c->pf = optarg;
			continue;
		case 'S':
			c->services = optarg;
			continue;
		case 'F':
			if ((c->freebsd = pfm_freebsd_parse(optarg)) == -1) {
				fprintf(stderr, "%s: --freebsd %s: expected 14 or 15\n",
				    CHECK_PROG, optarg);
				return (2);
			}
			continue;
		case 'D':
			if ((eq = strrchr(optarg, '=')) == NULL || eq == optarg ||
			    c->ndef == CHECK_MAXDEF) {
				fprintf(stderr, "%s: -D %s: expected macro=value\n", CHECK_PROG,
				    optarg);
				return (2);
			}
			*eq = '\0';
			c->def[c->ndef].name = optarg;
			c->def[c->ndef++].value = eq + 1;
			continue;
		default:
			break;
		}
		if ((rc = worldopt_take(&c->o, ch, optarg, CHECK_PROG)) == -1)
			return (2);
		if (rc == 0) {
			usage(stderr);
			return (2);
		}
	}
	if (optind != argc || (!worldopt_files(&c->o) && c->pf == NULL)) {
		usage(stderr);
		return (2);
	}
	return (-1);
}

/* The interfaces the ruleset names that the world w lacks, into names; how many. */
static int
missing(const struct check *c, struct adm_world *w, const char *path,
    const struct rdfile *rf, char (*names)[PFM_IFNAMSIZ], int max)
{
	struct pfm_load_opts lo;
	struct pfm_ruleset *rs;
	struct pfm_host h;
	struct diag d = { 0 };
	int n = 0;

	pfm_host_default(&h);	/* without files: lo0, then --if and --group */
	if (worldopt_host(&c->o, w, &h, CHECK_PROG, stderr) == -1)
		return (0);
	memset(&lo, 0, sizeof(lo));
	lo.file = path;
	lo.define = c->def;
	lo.ndefine = c->ndef;
	lo.services = c->services;
	lo.freebsd = c->freebsd;
	lo.len = rf->len;
	if ((rs = pfm_ruleset_parse(rf->buf, &lo, &h, &d)) != NULL)
		n = ifcheck_missing(rs, &h, names, max);
	pfm_ruleset_free(rs);
	diag_free(&d);
	return (n);
}

/* Bastille's rdr anchors of the world, loaded as `bastille rdr` loads them. The number
 * that failed. */
static int
anchors(struct adm_world *w, struct pfm *pf, const struct check *c)
{
	struct pfm_load_opts lo;
	char anchor[ADM_NAME_MAX + 8], *text, *targv[64], *save = NULL, *t;
	char *argv[] = { "pfctl", "-a", anchor, "-f", "-", NULL };
	const char *table;
	int i, bad = 0, rc, n = 0;

	memset(&lo, 0, sizeof(lo));
	lo.file = "bastille";
	if ((text = adm_bastille_table(w, &table)) != NULL) {
		/* start.sh: pfctl -t jails -T add ADDR, for each jail it starts */
		targv[n++] = "pfctl";
		targv[n++] = "-t";
		targv[n++] = (char *)table;
		targv[n++] = "-T";
		targv[n++] = "add";
		for (t = strtok_r(text, " ", &save); t != NULL && n < 63;
		    t = strtok_r(NULL, " ", &save))
			targv[n++] = t;
		targv[n] = NULL;
		rc = pfm_ctl(pf, n, targv, NULL, &lo, 1000, stdout, stderr);
		printf("table <%s>: %d address%s added as Bastille starts its jails%s\n",
		    table, n - 5, n - 5 == 1 ? "" : "es", rc == 0 ? "" : ": failed");
		bad += rc != 0;
		free(text);
	}
	for (i = 0; i < w->njail; i++) {
		if ((text = adm_jail_rdr(w, &w->jail[i])) == NULL)
			continue;
		snprintf(anchor, sizeof(anchor), "rdr/%s", w->jail[i].name);
		memset(&lo, 0, sizeof(lo));
		lo.file = w->jail[i].rdr_at.file;
		lo.define = c->def;
		lo.ndefine = c->ndef;
		lo.services = c->services;
		lo.freebsd = c->freebsd;
		rc = pfm_ctl(pf, 5, argv, text, &lo, 1000, stdout, stderr);
		printf("anchor %s (%s): %s\n", anchor, w->jail[i].rdr_at.file, rc == 0 ?
		    "loaded" : "not loaded");
		bad += rc != 0;
		free(text);
	}
	return (bad);
}

/* Load the ruleset (at path, read into rf) on w's host; 0 when it loaded with no
 * interface missing, else 1. */
static int
load(struct check *c, struct adm_world *w, const char *path, struct rdfile *rf)
{
	struct pfm_load_opts lo;
	struct pfm_ruleset *rs;
	struct pfm_host h;
	struct pfm *pf;
	struct diag d = { 0 };
	int rc, bad = 0;

	pfm_host_default(&h);	/* without files: lo0, then --if and --group */
	if (worldopt_host(&c->o, w, &h, CHECK_PROG, stderr) == -1)
		return (1);
	if ((pf = pfm_new(&h)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", CHECK_PROG);
		return (1);
	}
	memset(&lo, 0, sizeof(lo));
	lo.file = path;
	lo.define = c->def;
	lo.ndefine = c->ndef;
	lo.services = c->services;
	lo.freebsd = c->freebsd;
	lo.len = rf->len;
	rc = pfm_load(pf, rf->buf, &lo, &d);
	fputs(diag_text(&d), stderr);
	diag_free(&d);
	if (rc == -1) {
		fprintf(stderr, "pfctl: Syntax error in config file: pf rules not loaded\n");
		/* what of it pfctl read: the interfaces it names that the world lacks */
		if ((rs = pfm_ruleset_parse_all(rf->buf, &lo, &h, &d, &rc)) != NULL)
			(void)ifcheck_ruleset(rs, &h, CHECK_PROG, path, stderr);
		pfm_ruleset_free(rs);
		diag_free(&d);
		printf("ruleset %s: not loaded\n", path);
		pfm_free(pf);
		return (1);
	}
	if ((rs = pfm_ruleset_parse(rf->buf, &lo, &h, &d)) != NULL)
		bad = ifcheck_ruleset(rs, &h, CHECK_PROG, path, stderr);
	pfm_ruleset_free(rs);
	diag_free(&d);
	printf("ruleset %s: loaded%s\n", path, bad ? ", naming interfaces the world lacks" :
	    "");
	bad += anchors(w, pf, c);
	pfm_free(pf);
	return (bad > 0);
}

int
cmd_check(int argc, char **argv)
{
	char names[64][PFM_IFNAMSIZ], *want[64], *path = NULL, err[4200];
	struct adm_world *w, *w2;
	struct rdfile rf;
	struct check c;
	int rc, n, i, jails = 0, ifs = 0;

	if ((rc = options(argc, argv, &c)) != -1)
		return (rc);
	setvbuf(stdout, NULL, _IOLBF, 0);	/* in order with the messages */
	if ((w = worldopt_world(&c.o, CHECK_PROG, NULL, 0)) == NULL)
		return (1);
	path = c.pf != NULL ? strdup(c.pf) : adm_world_pf_path(w);
	if (path == NULL) {
		fputs(adm_world_messages(w), stderr);
		fprintf(stderr, "%s: no ruleset: rc.conf's pf_enable is not YES (give one "
		    "with --pf FILE)\n", CHECK_PROG);
		adm_world_free(w);
		return (1);
	}
	if (rdfile_read(path, 0, RDFILE_FIFO, &rf, err, sizeof(err)) == -1) {
		fputs(adm_world_messages(w), stderr);
		fprintf(stderr, "pfctl: %s\npfctl: cannot open the main config file!\n", err);
		free(path);
		adm_world_free(w);
		return (1);
	}
	/* interfaces the ruleset names exist on the host: ifconfig_DEFAULT is theirs */
	(void)rdfile_root(c.o.root);
	n = worldopt_files(&c.o) ? missing(&c, w, path, &rf, names, 64) : 0;
	(void)rdfile_root(NULL);
	if (n > 0) {
		for (i = 0; i < n; i++)
			want[i] = names[i];
		if ((w2 = worldopt_world(&c.o, CHECK_PROG, want, n)) != NULL) {
			adm_world_free(w);
			w = w2;
		}
	}
	fputs(adm_world_messages(w), stderr);
	if (worldopt_files(&c.o)) {
		for (i = 0; i < w->nifs; i++)
			ifs += strcmp(w->ifs[i].name, "lo0") != 0;
		jails = w->njail;
		printf("world: %d interface%s besides lo0 (", ifs, ifs == 1 ? "" : "s");
		for (i = 0, n = 0; i < w->nifs; i++)
			if (strcmp(w->ifs[i].name, "lo0") != 0)
				printf("%s%s", n++ ? " " : "", w->ifs[i].name);
		printf("), %d jail%s%s\n", jails, jails == 1 ? "" : "s", w->errors > 0 ?
		    ", with problems (above)" : "");
	}
	(void)rdfile_root(c.o.root);
	rc = load(&c, w, path, &rf);
	(void)rdfile_root(NULL);
	rc |= w->errors > 0;
	rdfile_free(&rf);
	free(path);
	adm_world_free(w);
	return (rc);
}
