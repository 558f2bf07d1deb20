/* run.c: `pfharness run`: for each scenario, build its world on each target, play the
 * probes, verify, report; tear down on every exit path, SIGINT included. */
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/rdfile.h"
#include "cmd.h"
#include "verdict/report.h"
#include "run_cover.h"
#include "run_files.h"
#include "run_opts.h"
#include "run_probe.h"
#include "targets.h"
#include "scn/scn.h"
#include "target/target.h"
#include "verdict/verify.h"

#define HOLD_ENV_MAX	32

extern char **environ;

static volatile sig_atomic_t	 run_stop;
static struct target		*volatile run_target;
static const struct target_ops	*volatile run_ops;
static struct cover		*run_cov;	/* --coverage */

static void
on_signal(int sig)
{
	(void)sig;
	run_stop = 1;
	if (run_ops != NULL && run_ops->interrupt != NULL && run_target != NULL)
		run_ops->interrupt(run_target);
}

static void
signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;		/* no SA_RESTART: blocking waits return EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* mkdir -p. 0 or -1. */
static int
run_mkdirs(const char *path)
{
	char buf[1024], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return (-1);
	for (p = buf + 1; *p != '\0'; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) == -1 && errno != EEXIST)
				return (-1);
			*p = '/';
		}
	return (mkdir(buf, 0755) == -1 && errno != EEXIST ? -1 : 0);
}

/* Per probe verdicts of one scenario on one target, for --target a,b comparison. */
struct verdicts {
	char	target[16];
	int	n;
	char	v[256];		/* 'p'ass 'f'ail 'e'rror per probe */
};

/* Each line of the load's warnings as a note of the scenario. */
static void
report_load_warnings(struct report *rep, const char *text)
{
	const char *nl;

	for (; *text != '\0'; text = *nl != '\0' ? nl + 1 : nl) {
		if ((nl = strchr(text, '\n')) == NULL)
			nl = text + strlen(text);
		if (nl > text)
			report_note(rep, "%.*s", (int)(nl - text), text);
	}
}

/* `expect load error "TEXT"`: the ruleset must be refused with a message holding TEXT. */
static void
check_load_error(const struct scn *s, int rc, const struct diag *ld, struct report *rep)
{
	struct diag d = { 0 };
	enum rep_status st = REP_PASS;

	if (rc == 0) {
		diag_add(&d, s->path, s->load_error_line,
		    "expect load error \"%s\": the ruleset loaded", s->load_error);
		st = REP_FAIL;
	} else if (strstr(diag_text(ld), s->load_error) == NULL) {
		diag_add(&d, s->path, s->load_error_line,
		    "expect load error \"%s\": pf said instead:", s->load_error);
		diag_raw(&d, diag_text(ld));
		st = REP_FAIL;
	} else if (rep != NULL)
		diag_raw(&d, diag_text(ld));
	report_probe(rep, "the ruleset is refused", s->load_error_line, st,
	    d.count ? diag_text(&d) : NULL, 0);
	diag_free(&d);
}

/* Append the "NAME=VALUE" lines of text to env (strdup'd). Consumes text. */
static void
hold_env_add(char **env, int *n, char *text)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line != NULL && *n < HOLD_ENV_MAX;
	    line = strtok_r(NULL, "\n", &save))
		if ((env[*n] = strdup(line)) != NULL)
			(*n)++;
	free(text);
}

/* --hold CMD: run `sh -c CMD` with the world up, its description in PFH_* variables, in
 * a process group of its own; wait for it (SIGTERM to the group on an interrupt), then
 * end what it left in the group. A failure is reported as a note. */
static void
run_hold(const struct scn *s, const struct target_ops *ops, struct target *t,
    const char *cmd, struct report *rep)
{
	char *env[HOLD_ENV_MAX], **envp = NULL, *text, a[3][64];
	char *argv[] = { "sh", "-c", NULL, NULL };
	posix_spawnattr_t sa;
	int n = 0, i, ne, status = -1;
	pid_t pid;

	pkt_addr_format(&s->host_addr, a[0], sizeof(a[0]));
	pkt_addr_format(&s->gateway, a[1], sizeof(a[1]));
	if (s->nclient > 0)
		pkt_addr_format(&s->client[0].addr, a[2], sizeof(a[2]));
	else
		a[2][0] = '\0';
	if (asprintf(&text, "PFH_TARGET=%s\nPFH_SCENARIO=%s\nPFH_HOST_IF=%s\n"
	    "PFH_PUBLIC=%s\nPFH_GATEWAY=%s\nPFH_CLIENT=%s\n", ops->name, s->path,
	    s->host_if, a[0], a[1], a[2]) != -1)
		hold_env_add(env, &n, text);
	if (ops->hold_env != NULL && (text = ops->hold_env(t)) != NULL)
		hold_env_add(env, &n, text);
	for (ne = 0; environ[ne] != NULL; ne++)
		;
	if ((envp = calloc(ne + n + 1, sizeof(*envp))) == NULL ||
	    (argv[2] = strdup(cmd)) == NULL)
		goto out;
	memcpy(envp, env, n * sizeof(*envp));
	memcpy(envp + n, environ, ne * sizeof(*envp));
	posix_spawnattr_init(&sa);
	posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&sa, 0);
	errno = posix_spawn(&pid, "/bin/sh", NULL, &sa, argv, envp);
	posix_spawnattr_destroy(&sa);
	if (errno != 0) {
		report_note(rep, "--hold: cannot run sh: %s", strerror(errno));
		goto out;
	}
	for (;;) {
		if (run_stop)
			(void)kill(-pid, SIGTERM);
		if (waitpid(pid, &status, 0) != -1 || errno != EINTR)
			break;
	}
	(void)kill(-pid, SIGTERM);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		report_note(rep, "--hold: \"%s\" failed (status %d)", cmd, status);
out:
	free(argv[2]);
	free(envp);
	for (i = 0; i < n; i++)
		free(env[i]);
}

/* One scenario on one target. Fills v with the probes' verdicts. */
static void
run_scenario(const struct scn *s, const struct target_ops *ops, const struct run_opts *ro,
    const char *rundir, struct report *rep, struct verdicts *v)
{
	struct target_opts to;
	struct target *t = NULL;
	struct diag d = { 0 };
	struct pkt_vars *vars;
	char dir[1100];
	double t0 = run_now_ms();
	int rc, i;
	enum rep_status st;

	memset(v, 0, sizeof(*v));
	snprintf(v->target, sizeof(v->target), "%s", ops->name);
	report_scn_begin(rep, s->name, s->path, s->title, ops->name);
	snprintf(dir, sizeof(dir), "%s/%s", rundir, s->name);
	if (run_mkdirs(dir) == -1) {
		diag_add(&d, dir, 0, "cannot create the results directory: %s",
		    strerror(errno));
		goto error;
	}
	memset(&to, 0, sizeof(to));
	to.run_dir = dir;
	to.prefix = ro->prefix;
	to.force = ro->force;
	to.verbose = ro->verbose;
	to.services = ro->services;
	if ((rc = ops->up(&t, s, &to, &d)) == 1) {
		/* the target cannot run it here (another FreeBSD release): each
		 * probe skipped with the reason, no verdict to compare */
		for (i = 0; i < s->nprobe; i++)
			report_probe(rep, s->probe[i].title, s->probe[i].line, REP_SKIP,
			    diag_text(&d), 0);
		t = NULL;
		v->n = -1;
		goto done;
	}
	if (rc == -1) {
		t = NULL;
		goto error;
	}
	run_target = t;
	run_ops = ops;
	rc = ops->load_rules(t, s, &d);
	if (s->load_error != NULL && rc != -1) {
		check_load_error(s, rc, &d, rep);
		v->v[v->n++] = 'p';
		goto done;
	}
	if (rc != 0)
		goto error;
	if (d.count > 0) {
		/* warnings of a ruleset that loaded (pfm_ruleset_warn): pf.conf
		 * options the model does not act on */
		report_load_warnings(rep, diag_text(&d));
		diag_free(&d);
	}
	if (ops->start_sink(t, s, &d) == -1)
		goto error;
	/* the scenario's variables, bound afresh on each target */
	if ((vars = calloc(1, sizeof(*vars))) == NULL) {
		diag_add(&d, s->path, 0, "out of memory");
		goto error;
	}
	if (run_cov != NULL)
		cover_scn_begin(run_cov, s, ops, t);
	for (i = 0; i < s->nprobe && !run_stop; i++) {
		st = run_probe(s, i, ops, t, dir, rep, vars, &run_stop);
		if (v->n < (int)sizeof(v->v))
			v->v[v->n++] = st == REP_PASS ? 'p' : st == REP_FAIL ? 'f' : 'e';
		if (run_cov != NULL)
			cover_probe(run_cov, s->probe[i].title);
	}
	if (run_cov != NULL)
		cover_scn_end(run_cov);
	free(vars);
	if (ro->hold != NULL && !run_stop)
		run_hold(s, ops, t, ro->hold, rep);
	goto done;
error:
	if (run_stop) {
		/* what failed then failed because of the signal (a command of the setup
		 * killed by the same SIGINT): say what happened, not what it broke */
		diag_free(&d);
		diag_add(&d, NULL, 0, "interrupted");
	}
	report_scn_error(rep, diag_text(&d));
	v->n = -1;
done:
	if (t != NULL) {
		run_target = NULL;
		ops->down(t);
		run_ops = NULL;
	}
	report_scn_end(rep, run_now_ms() - t0);
	diag_free(&d);
}

/* Probes where the targets disagree, named one by one. */
static void
compare_verdicts(struct report *rep, const struct scn *s, const struct verdicts *v, int nv)
{
	int i, j;

	for (i = 1; i < nv; i++) {
		if (v[0].n < 0 || v[i].n < 0)
			continue;
		for (j = 0; j < v[0].n && j < v[i].n; j++)
			if (v[0].v[j] != v[i].v[j])
				report_note(rep, "%s:%d: targets disagree on \"%s\": %s %s, %s %s",
				    s->path, j < s->nprobe ? s->probe[j].line : 0,
				    j < s->nprobe ? s->probe[j].title : "load",
				    v[0].target, v[0].v[j] == 'p' ? "passed" : "failed",
				    v[i].target, v[i].v[j] == 'p' ? "passed" : "failed");
	}
}

static int
make_rundir(const struct run_opts *ro, char *out, size_t len)
{
	char stamp[64], link[1100];
	time_t now = time(NULL);

	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	snprintf(out, len, "%s/run-%s-%d", ro->results, stamp, (int)getpid());
	if (run_mkdirs(out) == -1)
		return (-1);
	snprintf(link, sizeof(link), "%s/latest", ro->results);
	(void)unlink(link);
	(void)symlink(strrchr(out, '/') + 1, link);
	return (0);
}

static int
tag_selected(const struct run_opts *ro, const struct scn *s)
{
	int i;

	if (ro->ntag == 0)
		return (1);
	for (i = 0; i < ro->ntag; i++)
		if (scn_has_tag(s, ro->tag[i]))
			return (1);
	return (0);
}

/* No scenario has a --tag given: the totals say so, and the run exits 2. */
static void
none_selected(struct report *rep, const struct run_opts *ro, int nfiles)
{
	char why[512];
	size_t n;
	int i;

	n = (size_t)snprintf(why, sizeof(why), "none of the %d scenario%s is tagged", nfiles,
	    nfiles == 1 ? "" : "s");
	for (i = 0; i < ro->ntag && n < sizeof(why); i++)
		n += (size_t)snprintf(why + n, sizeof(why) - n, "%s%s", i == 0 ? " " :
		    i == ro->ntag - 1 ? " or " : ", ", ro->tag[i]);
	report_none(rep, why);
}

static const struct target_ops *
target_find(const char *name)
{
	int i;

	for (i = 0; target_all[i] != NULL; i++)
		if (strcmp(target_all[i]->name, name) == 0)
			return (target_all[i]);
	return (NULL);
}

/* Resolve --target into ops; 0 or -1 with a message. */
static int
pick_targets(const struct run_opts *ro, const struct target_ops **tops, int *nt,
    struct report *rep)
{
	char buf[256], *tok, *save = NULL;
	const char *why = NULL, *names;

	*nt = 0;
	names = ro->targets != NULL ? ro->targets : target_default(&why);
	if (why != NULL)
		report_note(rep, "%s", why);
	snprintf(buf, sizeof(buf), "%s", names);
	for (tok = strtok_r(buf, ",", &save); tok != NULL && *nt < RUN_TARGETS_MAX;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((tops[*nt] = target_find(tok)) == NULL) {
			fprintf(stderr, "pfharness: unknown target \"%s\" "
			    "(linux, model, freebsd)\n", tok);
			return (-1);
		}
		(*nt)++;
	}
	return (*nt > 0 ? 0 : -1);
}

int
cmd_run(int argc, char **argv)
{
	const struct target_ops *tops[RUN_TARGETS_MAX];
	struct verdicts v[RUN_TARGETS_MAX];
	struct report_opts rop;
	struct run_opts ro;
	struct report *rep;
	struct run_list files;
	char rundir[1024];
	int rc, crc, i, j, nt, nsel = 0;

	if ((rc = run_parse_opts(argc, argv, &ro, 0)) != 0)
		return (rc == 1 ? 0 : 2);
	memset(&rop, 0, sizeof(rop));
	rop.tap = ro.tap;
	rop.junit = ro.junit;
	rop.color = ro.color;
	rop.verbose = ro.verbose;
	if ((rep = report_new(&rop)) == NULL)
		return (2);
	if (pick_targets(&ro, tops, &nt, rep) == -1) {
		report_finish(rep);
		return (2);
	}
	if (run_collect(ro.npaths ? ro.paths : (char *[]){ (char *)run_default_scenarios() },
	    ro.npaths ? ro.npaths : 1, &files) == -1 || files.n == 0) {
		fprintf(stderr, "pfharness: no scenarios found\n");
		run_list_free(&files);
		report_finish(rep);
		return (2);
	}
	if (make_rundir(&ro, rundir, sizeof(rundir)) == -1) {
		fprintf(stderr, "pfharness: %s: cannot create: %s\n", rundir, strerror(errno));
		run_list_free(&files);
		report_finish(rep);
		return (2);
	}
	if (ro.coverage && (run_cov = cover_new(ro.tap, ro.junit != NULL &&
	    strcmp(ro.junit, "-") == 0 ? stderr : stdout)) == NULL) {
		run_list_free(&files);
		report_finish(rep);
		return (2);
	}
	signals_install();
	for (j = 0; j < nt; j++)
		if (tops[j]->cleanup_stale != NULL)
			tops[j]->cleanup_stale(ro.prefix);
	for (i = 0; i < files.n && !run_stop; i++) {
		struct diag d = { 0 };
		struct scn *s;

		if ((s = scn_parse_file(files.path[i], &d)) == NULL) {
			report_scn_begin(rep, run_basename(files.path[i]), files.path[i], NULL,
			    "-");
			report_scn_error(rep, diag_text(&d));
			diag_free(&d);
			nsel++;		/* reported: a scenario that could not run */
			continue;
		}
		diag_free(&d);
		if (s->freebsd == 0)	/* the scenario's own `freebsd N` wins */
			s->freebsd = ro.freebsd;
		if (tag_selected(&ro, s)) {
			nsel++;
			(void)rdfile_root(s->root);	/* NULL: none */
			for (j = 0; j < nt && !run_stop; j++)
				run_scenario(s, tops[j], &ro, rundir, rep, &v[j]);
			(void)rdfile_root(NULL);
			if (nt > 1 && !run_stop)
				compare_verdicts(rep, s, v, nt);
		}
		scn_free(s);
	}
	if (run_stop)
		report_note(rep, "interrupted: everything built was torn down");
	else if (nsel == 0 && ro.ntag > 0)
		none_selected(rep, &ro, files.n);
	report_note(rep, "results in %s", rundir);
	run_list_free(&files);
	crc = run_cov != NULL ? cover_finish(run_cov, ro.coverage_json, ro.min_coverage) : 0;
	run_cov = NULL;
	rc = report_finish(rep);
	return (run_stop ? 2 : rc != 0 ? rc : crc);
}
