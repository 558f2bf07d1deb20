/* target_freebsd_ctl.c: the runtime steps on real pf: pfctl with the step's own
 * arguments (its text on standard input, its messages renamed to the scenario's lines),
 * sysctl, wait; and how each change is undone at teardown. */
/*
 * What a step changes and how it goes at teardown (the undo list of
 * target_freebsd_cmd.c, newest first, then target_freebsd.c's `pfctl -F all` and the
 * boot ruleset or `pfctl -d`):
 * - the main ruleset, its tables, states, source nodes: `pfctl -F all` already;
 * - an anchor (`-a A -f`, `-a A -t T -T add`, `-a A -F ...`): `-F all` of the main
 *   ruleset leaves other anchors alone (pfctl.c main, the `-F all` case, works on one
 *   anchor; 14's flushes do not recurse), so `pfctl -a A -F all` per anchor, and first
 *   the anchors its ruleset made inside it (`anchor "b" { }` becomes A/b), found with
 *   `pfctl -a A -s Anchors -v` (pfctl_show_anchors: every descendant, full path, two
 *   blanks before it);
 * - `-e`/`-d`: pf is enabled again before the undo list, which restores the state pf
 *   was in before the run from the state the load left (enabled);
 * - a sysctl: its old value, read before (`sysctl -n`).
 * Not undone: `-x` (the next ruleset load resets the debug level, pfctl_load_options),
 * counters zeroed with `-z`, killed states.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pfctl/pfctl_out.h"
#include "tfb.h"

#define ANCHOR_MAX	1024	/* MAXPATHLEN, pfctl's limit on -a */
#define CTL_ARGS	64

struct tfb_ctl {
	struct tfb_cmd	*cmd;
	char		 basedir[1024];	/* the scenario's folder, "" for the current one */
	char		**anchor;	/* anchors a step changed, flushed at teardown */
	int		 nanchor;
	int		 toggled;	/* a step ran -e or -d */
};

/* What the teardown needs to know of one pfctl command line. */
struct ctl_args {
	char		 anchor[ANCHOR_MAX];	/* -a, without a trailing `*` */
	int		 fidx;		/* argv index holding -f's argument, -1: none */
	size_t		 foff;		/* where it starts in that word (-ffile) */
	const char	*tcmd;		/* -T */
	int		 flush, toggle;	/* -F; -e or -d */
};

static int (*sleep_fn)(uint64_t);

struct tfb_ctl *
tfb_ctl_new(struct tfb_cmd *c, const char *scn_path)
{
	struct tfb_ctl *x = calloc(1, sizeof(*x));
	const char *slash;

	if (x == NULL)
		return (NULL);
	x->cmd = c;
	if (scn_path != NULL && (slash = strrchr(scn_path, '/')) != NULL)
		snprintf(x->basedir, sizeof(x->basedir), "%.*s", (int)(slash - scn_path),
		    scn_path);
	return (x);
}

void
tfb_ctl_free(struct tfb_ctl *x)
{
	int i;

	if (x == NULL)
		return;
	for (i = 0; i < x->nanchor; i++)
		free(x->anchor[i]);
	free(x->anchor);
	free(x);
}

/* pfctl's options with an argument (pfctl.c main, its getopt string). */
static const char arg_letters[] = "aDFfiKkopstTx";

/* Read argv as pfctl's getopt does (options end at the first other word). */
static void
scan(const struct scn_pfctl *c, struct ctl_args *a)
{
	const char *w, *arg;
	size_t n;
	int i, idx;

	memset(a, 0, sizeof(*a));
	a->fidx = -1;
	for (i = 1; i < c->argc && c->argv[i][0] == '-' && c->argv[i][1] != '\0'; i++) {
		if (strcmp(c->argv[i], "--") == 0)
			return;
		for (w = c->argv[i] + 1; *w != '\0'; w++) {
			if (strchr(arg_letters, *w) == NULL) {
				a->toggle |= *w == 'e' || *w == 'd';
				continue;
			}
			idx = w[1] != '\0' ? i : i + 1;
			if (idx == c->argc)
				return;		/* pfctl says what is missing */
			arg = idx == i ? w + 1 : c->argv[idx];
			if (*w == 'a') {
				snprintf(a->anchor, sizeof(a->anchor), "%s", arg);
				/* a trailing star (x/ and a star) asks for recursion; the anchor is x */
				n = strlen(a->anchor);
				if (n > 0 && a->anchor[n - 1] == '*')
					a->anchor[--n] = '\0';
				if (n > 0 && a->anchor[n - 1] == '/')
					a->anchor[--n] = '\0';
			} else if (*w == 'f') {
				a->fidx = idx;
				a->foff = idx == i ? (size_t)(w + 1 - c->argv[i]) : 0;
			} else if (*w == 'F')
				a->flush = 1;
			else if (*w == 'T')
				a->tcmd = arg;
			i = idx;
			break;
		}
	}
}

/* 1 when the step can leave something in its anchor: a load, a flush, a table command
 * but show and test (pfctl matches -T words by prefix). */
static int
changes_anchor(const struct ctl_args *a)
{
	size_t n;

	if (a->anchor[0] == '\0' || a->anchor[0] == '_' || strstr(a->anchor, "/_"))
		return (0);	/* the main ruleset, or pf's own anchors (pfctl refuses) */
	if (a->tcmd != NULL) {
		n = strlen(a->tcmd);
		return (n == 0 || (strncmp(a->tcmd, "show", n) != 0 &&
		    strncmp(a->tcmd, "test", n) != 0));
	}
	return (a->fidx >= 0 || a->flush);
}

/* Remember anchor a for the teardown (once) and put its flush on the undo list. */
static int
keep_anchor(struct tfb_ctl *x, const char *a)
{
	char **na;
	int i;

	for (i = 0; i < x->nanchor; i++)
		if (strcmp(x->anchor[i], a) == 0)
			return (0);
	if ((na = realloc(x->anchor, (size_t)(x->nanchor + 1) * sizeof(*na))) == NULL)
		return (-1);
	x->anchor = na;
	if ((x->anchor[x->nanchor] = strdup(a)) == NULL)
		return (-1);
	x->nanchor++;
	return (tfb_undo_push(x->cmd, "pfctl", "-q", "-a", a, "-F", "all", NULL));
}

char *
tfb_pfctl_rename(const char *text, const char *from, const char *file, int line0)
{
	size_t flen = strlen(from), cap = strlen(text) + 1, len = 0, n;
	const char *p, *nl, *rest;
	char *out, *no, *end, pre[1200];
	long ln;

	if ((out = malloc(cap)) == NULL)
		return (NULL);
	out[0] = '\0';
	for (p = text; *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
		pre[0] = '\0';
		rest = p;
		/* parse.y's yyerror and warnings: "%s:%d: ", the file's name and line */
		if (strncmp(p, from, flen) == 0 && p[flen] == ':' &&
		    (ln = strtol(p + flen + 1, &end, 10)) > 0 && *end == ':' &&
		    end < p + n) {
			snprintf(pre, sizeof(pre), "%s:%ld", file, (long)line0 + ln);
			rest = end;
		}
		if (len + strlen(pre) + n + 1 > cap) {
			cap = (len + strlen(pre) + n + 1) * 2;
			if ((no = realloc(out, cap)) == NULL) {
				free(out);
				return (NULL);
			}
			out = no;
		}
		memcpy(out + len, pre, strlen(pre));
		len += strlen(pre);
		memcpy(out + len, rest, n - (size_t)(rest - p));
		len += n - (size_t)(rest - p);
		out[len] = '\0';
	}
	return (out);
}

/* Rename in *text (freed and replaced); -1 on memory. */
static int
rename_in(char **text, const char *from, const char *file, int line0)
{
	char *t = tfb_pfctl_rename(*text, from, file, line0);

	if (t == NULL)
		return (-1);
	free(*text);
	*text = t;
	return (0);
}

int
tfb_ctl_pfctl(struct tfb_ctl *x, const struct scn_pfctl *c, struct target_pfctl *r,
    struct diag *d)
{
	const char *argv[CTL_ARGS + 1];
	char path[2200], glued[2300], *out = NULL, *err = NULL;
	const char *written = NULL;
	struct ctl_args a;
	int i, rc;

	memset(r, 0, sizeof(*r));
	if (c->argc > CTL_ARGS) {
		diag_add(d, NULL, 0, "pfctl: more than %d arguments", CTL_ARGS);
		return (-1);
	}
	scan(c, &a);
	for (i = 0; i < c->argc; i++)
		argv[i] = c->argv[i];
	argv[c->argc] = NULL;
	/* a file the step names (not its own text) is the scenario's folder's, as on the
	 * model (pfm_ctl_util.c ctl_path) */
	if (a.fidx >= 0 && x->basedir[0] != '\0' && c->argv[a.fidx][a.foff] != '/' &&
	    strcmp(c->argv[a.fidx] + a.foff, "-") != 0) {
		written = c->argv[a.fidx] + a.foff;
		snprintf(path, sizeof(path), "%s/%s", x->basedir, written);
		snprintf(glued, sizeof(glued), "%.*s%s", (int)a.foff, c->argv[a.fidx], path);
		argv[a.fidx] = glued;
	}
	if (changes_anchor(&a) && keep_anchor(x, a.anchor) == -1) {
		diag_add(d, NULL, 0, "pfctl: out of memory");
		return (-1);
	}
	x->toggled |= a.toggle;
	if ((rc = tfb_runv_in(x->cmd, argv, c->input, &out, &err, d)) == -1)
		return (-1);
	/* parse.y names standard input "stdin" (pushfile): its line N is the heredoc's */
	if ((c->input_name != NULL &&
	    rename_in(&err, "stdin", c->input_name, c->input_line0) == -1) ||
	    (written != NULL && rename_in(&err, path, written, 0) == -1)) {
		free(out), free(err);
		diag_add(d, NULL, 0, "pfctl: out of memory");
		return (-1);
	}
	r->status = rc;
	r->out = out;
	r->err = err;
	return (0);
}

/* The anchors pfctl lists inside `a` (-s Anchors -v), deepest last, flushed deepest
 * first; pf's own (a component beginning with '_') cannot be flushed by name. */
static void
flush_inside(struct tfb_ctl *x, const char *a, struct diag *d)
{
	const char *argv[] = { "pfctl", "-a", a, "-s", "Anchors", "-v", NULL };
	char *out = NULL, *line, *save = NULL, **sub = NULL, **ns;
	int n = 0, i;

	if (tfb_runv(x->cmd, argv, &out, NULL, d) != 0) {
		free(out);	/* the anchor is gone already: nothing inside */
		return;
	}
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " ");
		if (*line == '\0' || *line == '_' || strstr(line, "/_") != NULL)
			continue;
		if ((ns = realloc(sub, (size_t)(n + 1) * sizeof(*ns))) == NULL)
			break;
		sub = ns;
		sub[n++] = line;
	}
	for (i = n - 1; i >= 0; i--)
		(void)tfb_run(x->cmd, NULL, d, "pfctl", "-q", "-a", sub[i], "-F", "all",
		    NULL);
	free(sub);
	free(out);
}

void
tfb_ctl_teardown(struct tfb_ctl *x, struct diag *d)
{
	struct pfctl_info in;
	char *out = NULL, err[128];
	int i;

	if (x == NULL)
		return;
	for (i = x->nanchor - 1; i >= 0; i--)
		flush_inside(x, x->anchor[i], d);
	if (!x->toggled || tfb_run(x->cmd, &out, d, "pfctl", "-si", NULL) == -1)
		return;
	if (pfctl_info_parse(out, &in, err, sizeof(err)) == 0 && in.enabled == 0)
		(void)tfb_run(x->cmd, NULL, d, "pfctl", "-q", "-e", NULL);
	free(out);
}

int
tfb_sysctl_set(struct tfb_cmd *c, const char *name, const char *value,
    const char *file, int line, struct diag *d)
{
	const char *argv[] = { "sysctl", "-N", name, NULL };
	char *old = NULL, set[512], back[512];
	int rc;

	if (strncmp(name, "net.pf.", 7) != 0 && !scn_sysctl_is_host(name)) {
		diag_add(d, file, line, "sysctl %s: the freebsd target sets only pf's "
		    "tunables (net.pf.*) and the host's forwarding (net.inet.ip.forwarding, "
		    "net.inet6.ip6.forwarding)", name);
		return (-1);
	}
	/* pf's tunables come and go between releases (filter_local is recent): one this
	 * kernel lacks is the scenario's error, at its line (forwarding is in every one) */
	if (!scn_sysctl_is_host(name) && (rc = tfb_runv(c, argv, NULL, NULL, d)) != 0) {
		if (rc > 0)
			diag_add(d, file, line, "sysctl %s: this FreeBSD has no such sysctl "
			    "(`sysctl net.pf` lists the ones it has)", name);
		return (-1);
	}
	if (tfb_run(c, &old, d, "sysctl", "-n", name, NULL) == -1)
		return (-1);
	tfb_chomp(old);
	snprintf(set, sizeof(set), "%s=%s", name, value);
	snprintf(back, sizeof(back), "%s=%s", name, old);
	free(old);
	if (tfb_run(c, NULL, d, "sysctl", set, NULL) == -1 ||
	    tfb_undo_push(c, "sysctl", back, NULL) == -1)
		return (-1);
	return (0);
}

void
target_freebsd_set_sleep(int (*fn)(uint64_t ms))
{
	sleep_fn = fn;
}

/*
 * A plain sleep: pf's clock is the real one. pf removes a timed-out state only when its
 * purge thread reaches its hash row (pf.c pf_purge_thread: every 100 ms, 1/(10 x
 * `timeout interval`) of the rows), so a state outlives its timeout by up to `timeout
 * interval` seconds here (vagrant/README.md).
 */
int
tfb_wait(uint64_t ms, struct diag *d)
{
	struct timespec ts;

	if (sleep_fn != NULL)
		return (sleep_fn(ms));
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	/* the runner handles only the signals that stop a run: one ends the wait */
	if (nanosleep(&ts, NULL) == -1) {
		diag_add(d, NULL, 0, "wait: %s", errno == EINTR ? "interrupted" :
		    strerror(errno));
		return (-1);
	}
	return (0);
}
