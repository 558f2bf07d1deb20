/* cmd_parse.c: `pfharness parse`: load a pf.conf with the pf model's parser and print it
 * as `pfctl -nvf` does, at -o's optimizer level (errors as pfctl words them, exit 1). */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/rdfile.h"
#include "cmd.h"
#include "ifcheck.h"
#include "pf/pfm_rule.h"
#include "worldopt.h"

static void
usage_to(FILE *f)
{
	fprintf(f, "usage: pfharness parse [-nv] [-D macro=value] [-o level] "
	    "-f file|-\n"
	    "           [--services file] [--if name=addr/len[,addr/len...]]...\n"
	    "           [--group name=if[,if...]]... [--rc file]... [--jails file]...\n"
	    "           [--bastille prefix] [--root dir] [--jail name=[if|]addr[/len]]...\n"
	    "           [--freebsd 14|15]\n"
	    "Loads a pf.conf as `pfctl -nvf` does and prints it as pfctl does;\n"
	    "errors as pfctl words them.\n"
	    "  -n                  only parse (as pfctl -n; never loaded here); the\n"
	    "                      optimizer's tables keep their temporary names\n"
	    "  -v                  print the ruleset (-vv: more)\n"
	    "  -D macro=value      define a macro, overriding the file's\n"
	    "  -o level            the ruleset optimizer: none (rules as written), basic\n"
	    "                      or profile (as basic); without it, the file's `set\n"
	    "                      ruleset-optimization`, else basic, as pfctl\n"
	    "  -f file             the pf.conf (`-`: standard input)\n"
	    "      --services FILE services list for port names (default: bundled\n"
	    "                      FreeBSD list)\n"
	    "      --if NAME=ADDR/LEN[,ADDR/LEN...]  an interface of the host and its\n"
	    "                      addresses (repeatable; default host: lo0 127.0.0.1/8\n"
	    "                      ::1/128); a ruleset naming another one gets a warning\n"
	    "      --group NAME=IF[,IF...]  interfaces in group NAME (egress, ...)\n"
	    "      --rc FILE, --jails FILE, --bastille PREFIX, --root DIR, --jail SPEC\n"
	    "                      the host of an admin's files, as pfharness world builds\n"
	    "                      it (--if then sets an interface's addresses); with\n"
	    "                      --root, absolute paths the ruleset names are under DIR\n"
	    "      --freebsd 14|15 the release whose pfctl to follow (default 14): 15\n"
	    "                      reads nat-to, rdr-to, binat-to, af-to, once, ...\n"
	    "  -h, --help          this text\n"
	    "Exit: 0 the ruleset loaded, 1 it did not (pfctl's errors on stderr), 2 bad\n"
	    "usage.\n");
}

static void
usage(void)
{
	usage_to(stderr);
}

/* What the command line of `pfharness parse` asks for. */
struct parse_cmd {
	struct pfm_define defs[64];
	struct pfm_host	host;
	struct worldopt	world;
	const char	*file, *services;
	int		ndef, verbose, noaction;
	int		optimize;	/* PFM_OPT_OPTIMIZE_* of -o, or 0 */
	int		freebsd;	/* PFM_FREEBSD_14 or _15 */
};

/* getopt over argv into c; -1 to go on, else the exit status (after a message). */
static int
parse_opts(int argc, char **argv, struct parse_cmd *c)
{
	static const struct option lopts[] = {
		{ "services", required_argument, NULL, 'S' },
		WORLDOPT_FILES,
		WORLDOPT_OVERRIDES,
		{ "freebsd", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *eq;
	int ch, rc;

	memset(c, 0, sizeof(*c));
	c->world.pf_given = 1;	/* -f */
	c->freebsd = PFM_FREEBSD_DEFAULT;
	pfm_host_default(&c->host);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "nvf:D:o:", lopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			c->noaction = 1;
			break;
		case 'v':
			c->verbose++;
			break;
		case 'f':
			c->file = optarg;
			break;
		case 'D':
			/* pfctl splits at the last '=' */
			if ((eq = strrchr(optarg, '=')) == NULL || c->ndef == 64) {
				fprintf(stderr, "pfctl: could not parse macro definition %s\n",
				    optarg);
				break;
			}
			*eq = '\0';
			c->defs[c->ndef].name = optarg;
			c->defs[c->ndef++].value = eq + 1;
			break;
		case 'o':
			if (optarg[0] == '\0' ||
			    (strncmp(optarg, "none", strlen(optarg)) != 0 &&
			    strncmp(optarg, "basic", strlen(optarg)) != 0 &&
			    strncmp(optarg, "profile", strlen(optarg)) != 0)) {
				fprintf(stderr, "pfctl: Unknown optimization '%s'\n", optarg);
				usage();
				return (2);
			}
			/* pfctl's main: -o none turns the optimizer off, basic or
			 * profile on (profile's reordering by the running counters is
			 * not modelled) */
			c->optimize = strncmp(optarg, "none", strlen(optarg)) == 0 ?
			    PFM_OPT_OPTIMIZE_NONE : PFM_OPT_OPTIMIZE_BASIC;
			break;
		case 'S':
			c->services = optarg;
			break;
		case 'h':
			usage_to(stdout);
			return (0);
		case 'F':
			if ((c->freebsd = pfm_freebsd_parse(optarg)) == -1) {
				fprintf(stderr, "pfharness parse: --freebsd %s: expected 14 "
				    "or 15\n", optarg);
				return (2);
			}
			break;
		default:
			if ((rc = worldopt_take(&c->world, ch, optarg,
			    "pfharness parse")) == -1)
				return (2);
			if (rc == 0) {
				usage();
				return (2);
			}
			break;
		}
	}
	if (c->file == NULL || optind != argc) {
		usage();
		return (2);
	}
	return (-1);
}

/* The config file (`-`: stdin) read whole into rf; 0, or -1 after a message. */
static int
read_conf(const char *file, struct rdfile *rf)
{
	char err[4200];

	if (rdfile_read(file, 0, RDFILE_FIFO | RDFILE_STDIN, rf, err, sizeof(err)) == -1) {
		fprintf(stderr, "pfctl: %s\n", err);
		fprintf(stderr, "pfctl: cannot open the main config file!\n");
		return (-1);
	}
	return (0);
}

/* Load the file's text (freed here) as pfctl -nvf does and print the ruleset; the exit
 * status. */
static int
load_print(struct parse_cmd *c, struct rdfile *rf)
{
	struct pfm_load_opts lo;
	struct pfm_ruleset *rs;
	struct diag d = { 0 };
	int ok;

	memset(&lo, 0, sizeof(lo));
	lo.file = strcmp(c->file, "-") == 0 ? "stdin" : c->file;
	lo.define = c->defs;
	lo.ndefine = c->ndef;
	lo.services = c->services;
	lo.len = rf->len;
	lo.opts = c->optimize | (c->noaction ? PFM_OPT_NOACTION : 0);
	lo.freebsd = c->freebsd;
	(void)rdfile_root(c->world.root);	/* tables, includes, anchors under --root */
	rs = pfm_ruleset_parse_all(rf->buf, &lo, &c->host, &d, &ok);
	(void)rdfile_root(NULL);
	rdfile_free(rf);
	if (rs == NULL || !ok) {
		if (rs != NULL && c->verbose) {
			fputs(rs->preamble, stdout);
			fflush(stdout);
		}
		fputs(diag_text(&d), stderr);
		if (!c->noaction)
			fprintf(stderr, "pfctl: Syntax error in config file: "
			    "pf rules not loaded\n");
		diag_free(&d);
		pfm_ruleset_free(rs);
		return (1);
	}
	pfm_ruleset_warn(rs, &d);	/* options the model parses but ignores */
	fputs(diag_text(&d), stderr);
	(void)ifcheck_ruleset(rs, &c->host, "pfharness parse", lo.file, stderr);
	if (c->verbose)
		pfm_ruleset_print(rs, stdout, c->verbose, NULL);
	diag_free(&d);
	pfm_ruleset_free(rs);
	return (0);
}

/* The host: the admin's files' world (its messages on stderr), or the default one
 * with --if and --group. 0, or -1 after a message. */
static int
host(struct parse_cmd *c)
{
	struct adm_world *w = NULL;
	int rc;

	if (worldopt_files(&c->world)) {
		if ((w = worldopt_world(&c->world, "pfharness parse", NULL, 0)) == NULL)
			return (-1);
		fputs(adm_world_messages(w), stderr);
	}
	rc = worldopt_host(&c->world, w, &c->host, "pfharness parse", stderr);
	adm_world_free(w);
	return (rc);
}

int
cmd_parse(int argc, char **argv)
{
	struct parse_cmd c;
	struct rdfile rf;
	int rv;

	if ((rv = parse_opts(argc, argv, &c)) != -1)
		return (rv);
	if (host(&c) == -1)
		return (2);
	if (read_conf(c.file, &rf) == -1)
		return (1);
	return (load_print(&c, &rf));
}
