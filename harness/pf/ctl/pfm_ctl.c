/* pfm_ctl.c: pfctl as FreeBSD 14's runs it, on the model: its options, the order it
 * acts on them (-d, -s, -z, -F, -k, -K, -T, -f, -e, -x; pfctl.c main), enabling and
 * disabling, loading a ruleset or an anchor, the debug level, and its messages and
 * exit statuses word for word. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rdfile.h"
#include "pfm_ctl_impl.h"

#define CTL_DEFINES	32

/* pfctl's options with an argument, and those without. */
static const char optarg_letters[] = "aDFfiKkopstTx";
static const char flag_letters[] = "AdeghMmNnOPqRrvz";
/* -o's words (optiopt_list) */
static const char *const optimizer_words[] = { "none", "basic", "profile", NULL };

/* One option letter (its argument in arg); 0, or pfctl's status after a message. */
static int
option(struct ctl *c, int ch, const char *arg, struct pfm_define *def, int *ndef)
{
	char *eq;

	switch (ch) {
	case 'a':
		if (strlen(arg) >= sizeof(c->anchor)) {
			ctl_warnx(c, "anchor name '%s' too long", arg);
			return (1);
		}
		snprintf(c->anchor, sizeof(c->anchor), "%s", arg);
		c->anchor_set = 1;
		break;
	case 'D':
		if ((eq = strchr(arg, '=')) == NULL || *ndef == CTL_DEFINES) {
			ctl_warnx(c, "could not parse macro definition %s", arg);
			return (1);
		}
		def[*ndef].name = strndup(arg, (size_t)(eq - arg));
		def[(*ndef)++].value = eq + 1;
		break;
	case 'F': c->flush = arg; break;
	case 'f': c->file = arg; break;
	case 'i': c->ifname = arg; break;
	case 'k':
	case 'K':
		if ((ch == 'k' ? c->nkill : c->nskill) == CTL_KILL_MAX) {
			ctl_warnx(c, "can only specify -%c twice", ch);
			return (ctl_usage(c));
		}
		if (ch == 'k')
			c->kill[c->nkill++] = arg;
		else
			c->skill[c->nskill++] = arg;
		break;
	case 'o':
		/* pfctl's main: none turns the ruleset optimizer off, basic and
		 * profile on (profile's reordering by the running counters is not
		 * modelled: it acts as basic) */
		switch (ctl_lookup(optimizer_words, arg)) {
		case 0: c->optimize = PFM_OPT_OPTIMIZE_NONE; break;
		case 1:
		case 2: c->optimize = PFM_OPT_OPTIMIZE_BASIC; break;
		default:
			ctl_warnx(c, "Unknown optimization '%s'", arg);
			return (ctl_usage(c));
		}
		break;
	case 's': c->show = arg; break;
	case 't': c->table = arg; break;
	case 'T': c->tcmd = arg; break;
	case 'x': c->debug = arg; break;
	case 'd': c->dflag = 1; break;
	case 'e': c->eflag = 1; break;
	case 'g': c->gflag = 1; break;
	case 'M': c->Mflag = 1; break;
	case 'n': c->nflag = 1; break;
	case 'q': c->qflag = 1; break;
	case 'v': c->vflag++; break;
	case 'z': c->zflag = 1; break;
	case 'P': c->Pflag = 1; break;
	case 'h': return (ctl_usage(c));
	default: break;		/* -A -m -N -O -R -r -p: nothing to model */
	}
	return (0);
}

/* getopt over argv as FreeBSD's libc does it (options end at the first other word).
 * 0 with c filled, or pfctl's status after a message. */
static int
options(struct ctl *c, int argc, char *const *argv, struct pfm_define *def, int *ndef)
{
	const char *w, *arg;
	int i, rc;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (w = argv[i] + 1; *w != '\0'; w++) {
			if (strchr(flag_letters, *w) != NULL) {
				if ((rc = option(c, *w, NULL, def, ndef)) != 0)
					return (rc);
				continue;
			}
			if (strchr(optarg_letters, *w) == NULL) {
				fprintf(c->err, "pfctl: illegal option -- %c\n", *w);
				return (ctl_usage(c));
			}
			arg = w[1] != '\0' ? w + 1 : i + 1 < argc ? argv[++i] : NULL;
			if (arg == NULL) {
				fprintf(c->err, "pfctl: option requires an argument -- %c\n",
				    *w);
				return (ctl_usage(c));
			}
			if ((rc = option(c, *w, arg, def, ndef)) != 0)
				return (rc);
			break;
		}
	}
	c->targs = argv + i;
	c->ntargs = argc - i;
	if (c->ntargs > 0 && c->tcmd == NULL) {
		fprintf(c->err, "pfctl: unknown command line argument: %s ...\n", argv[i]);
		return (ctl_usage(c));
	}
	/* pfctl.c: -T and -t come together, else usage; FreeBSD 15 lets -T load
	 * go without -t (PR 291318; table.sh load), which loads the tables of -f */
	if (c->tcmd != NULL && c->table == NULL && !(ctl_fb15(c) &&
	    ctl_table_is_load(c)))
		return (ctl_usage(c));
	return (0);
}

/* -a: a trailing "*" asks for recursion; names beginning with '_' are pf's own. */
static int
anchor_check(struct ctl *c)
{
	size_t n = strlen(c->anchor);

	if (n > 0 && c->anchor[n - 1] == '*') {
		c->recurse = 1;
		c->anchor[--n] = '\0';
		if (n > 0 && c->anchor[n - 1] == '/')
			c->anchor[--n] = '\0';
	}
	if ((c->flush != NULL || (c->file != NULL && c->tcmd == NULL)) &&
	    (c->anchor[0] == '_' || strstr(c->anchor, "/_") != NULL)) {
		ctl_warnx(c, "anchor names beginning with '_' cannot be modified from "
		    "the command line");
		return (1);
	}
	return (0);
}

/* -f FILE: the main ruleset, or the anchor of -a; with tables, only the tables the
 * file defines (FreeBSD 15's -T load). pfctl's status. */
static int
load(struct ctl *c, const struct pfm_define *def, int ndef, int tables)
{
	struct pfm_load_opts lo;
	struct diag d = { 0 };
	struct rdfile rf = { 0 };
	const char *text = c->input;
	char err[4200], path[4096];
	int rc;

	memset(&lo, 0, sizeof(lo));
	if (c->lo != NULL)
		lo = *c->lo;
	lo.define = def;
	lo.ndefine = ndef;
	if (c->optimize != 0)
		lo.opts = (lo.opts & ~(PFM_OPT_OPTIMIZE_NONE | PFM_OPT_OPTIMIZE_BASIC)) |
		    c->optimize;
	if (c->nflag)
		lo.opts |= PFM_OPT_NOACTION;
	if (strcmp(c->file, "-") != 0) {
		if (rdfile_read(ctl_path(c, c->file, path, sizeof(path)), 0, RDFILE_FIFO,
		    &rf, err, sizeof(err)) == -1) {
			ctl_warnx(c, "%s", err);
			ctl_warnx(c, "cannot open the main config file!: %s",
			    strchr(err, ':') != NULL ? strchr(err, ':') + 2 : err);
			if (!c->nflag)
				ctl_warnx(c, "Syntax error in config file: pf rules not "
				    "loaded");
			return (1);
		}
		text = rf.buf;
		lo.file = c->file;
		lo.line0 = 0;
		lo.len = rf.len;
	} else if (lo.file == NULL)
		lo.file = "stdin";
	if (text == NULL)
		text = "";
	if (c->nflag) {
		struct pfm_ruleset *rs = pfm_ruleset_parse(text, &lo, &c->pf->host, &d);

		rc = rs == NULL;
		pfm_ruleset_free(rs);
	} else if (tables)
		rc = pfm_rt_load_tables(c->pf, ctl_anchor(c), text, &lo, &d) == -1;
	else if (ctl_anchor(c) != NULL)
		rc = pfm_rt_load_anchor(c->pf, ctl_anchor(c), text, &lo, &d) == -1;
	else
		rc = pfm_load(c->pf, text, &lo, &d) == -1;
	fputs(diag_text(&d), c->err);	/* the parser's errors, or the warnings */
	if (rc && !c->nflag && !pfm_load_refused15(c->pf))
		ctl_warnx(c, "Syntax error in config file: pf rules not loaded");
	diag_free(&d);
	rdfile_free(&rf);
	return (rc);
}

/* -x LEVEL: pfctl_debug; its words by prefix. */
static int
debug(struct ctl *c)
{
	static const char *const levels[] = { "none", "urgent", "misc", "loud" };
	size_t i, n = strlen(c->debug);

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (n > 0 && strncmp(levels[i], c->debug, n) == 0) {
			(void)pfm_rt_debug(c->pf, (int)i);
			ctl_info(c, "debug level set to '%s'", levels[i]);
			return (0);
		}
	fprintf(c->err, "pfctl: Unknown debug level '%s'\n", c->debug);
	return (ctl_usage(c));
}

/* What one run does, in pfctl's own order; its exit status. */
static int
run(struct ctl *c, const struct pfm_define *def, int ndef)
{
	int rc = 0, tables = 0;

	if (c->dflag) {
		if (pfm_rt_enable(c->pf, 0, c->now_ms) == -1) {
			ctl_warnx(c, "pf not enabled");
			return (1);
		}
		ctl_info(c, "pf disabled");
	}
	if (c->show != NULL)
		rc |= ctl_show(c);
	if (c->zflag && c->show == NULL)
		pfm_rt_zero_rules(c->pf);
	if (c->flush != NULL && (rc |= ctl_flush(c)) == 1)
		return (rc);
	if (c->nkill > 0 && (rc |= ctl_kill(c)) == 1)
		return (rc);
	if (c->nskill > 0 && (rc |= ctl_kill_sources(c)) == 1)
		return (rc);
	/* pfctl.c (FreeBSD 15, as OpenBSD's): -T load is no table command but a load
	 * of the file's tables (loadopt PFCTL_FLAG_TABLE, tblcmdopt NULL) */
	if (c->tcmd != NULL && ctl_fb15(c) && ctl_table_is_load(c))
		tables = 1;
	else if (c->tcmd != NULL)
		return (ctl_table(c));
	if (c->file != NULL && (rc |= load(c, def, ndef, tables)) != 0)
		return (rc);
	if (c->eflag) {
		if (pfm_rt_enable(c->pf, 1, c->now_ms) == -1) {
			ctl_warnx(c, "pf already enabled");
			return (1);
		}
		ctl_info(c, "pf enabled");
	}
	if (c->debug != NULL)
		rc |= debug(c);
	return (rc);
}

int
pfm_ctl(struct pfm *pf, int argc, char *const *argv, const char *input,
    const struct pfm_load_opts *lo, uint64_t now_ms, FILE *out, FILE *err)
{
	struct pfm_define def[CTL_DEFINES];
	struct ctl c;
	int rc, ndef = 0, i;

	memset(&c, 0, sizeof(c));
	c.pf = pf;
	c.out = out;
	c.err = err;
	c.input = input;
	c.lo = lo;
	c.now_ms = now_ms;
	pf->now_ms = now_ms;
	if (argc < 2)
		rc = ctl_usage(&c);
	else if ((rc = options(&c, argc, argv, def, &ndef)) == 0 &&
	    (rc = anchor_check(&c)) == 0) {
		if (c.nflag)
			c.eflag = c.dflag = 0, c.show = c.flush = c.debug = NULL;
		if (c.vflag && !c.nflag)	/* pfctl_test_altqsupport on GENERIC */
			fputs("No ALTQ support in kernel\nALTQ related functions "
			    "disabled\n", err);
		rc = run(&c, def, ndef);
	}
	for (i = 0; i < ndef; i++)
		free((char *)(uintptr_t)def[i].name);
	fflush(out);
	fflush(err);
	return (rc);
}
