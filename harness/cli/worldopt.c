/* worldopt.c: the host a command works on, from an admin's files (harness/admin) or
 * from --if alone, as the pf model's struct pfm_host. */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn/scn.h"
#include "target/pfhost.h"
#include "worldopt.h"

static int
push(const char **list, int *n, const char *arg, const char *opt, const char *prog)
{
	if (*n == WORLDOPT_MAX) {
		fprintf(stderr, "%s: at most %d %s options\n", prog, WORLDOPT_MAX, opt);
		return (-1);
	}
	list[(*n)++] = arg;
	return (1);
}

int
worldopt_take(struct worldopt *o, int ch, const char *arg, const char *prog)
{
	struct pfm_host scratch;
	char err[256];
	const char *eq;

	switch (ch) {
	case WORLDOPT_RC:
		return (push(o->rc, &o->nrc, arg, "--rc", prog));
	case WORLDOPT_JAILS:
		return (push(o->jails, &o->njails, arg, "--jails", prog));
	case WORLDOPT_BASTILLE:
		o->bastille = arg;
		return (1);
	case WORLDOPT_ROOT:
		o->root = arg;
		return (1);
	case WORLDOPT_IF:
		pfm_host_default(&scratch);
		if (pfm_host_add(&scratch, arg, err, sizeof(err)) == -1) {
			fprintf(stderr, "%s: --if %s: %s\n", prog, arg, err);
			return (-1);
		}
		return (push(o->ifs, &o->nifs, arg, "--if", prog));
	case WORLDOPT_GROUP:
		eq = strchr(arg, '=');
		if (eq == NULL || eq == arg || eq[1] == '\0' || (size_t)(eq - arg) >=
		    PFM_IFNAMSIZ || (eq[-1] >= '0' && eq[-1] <= '9')) {
			fprintf(stderr, "%s: --group %s: expected NAME=IF[,IF...] (a group "
			    "name does not end in a digit)\n", prog, arg);
			return (-1);
		}
		return (push(o->groups, &o->ngroups, arg, "--group", prog));
	case WORLDOPT_JAIL:
		if ((eq = strchr(arg, '=')) == NULL || eq == arg || eq[1] == '\0') {
			fprintf(stderr, "%s: --jail %s: expected NAME=[IF|]ADDR[/LEN][,...]\n",
			    prog, arg);
			return (-1);
		}
		return (push(o->jail, &o->njail, arg, "--jail", prog));
	default:
		return (0);
	}
}

int
worldopt_files(const struct worldopt *o)
{
	return (o->nrc > 0 || o->njails > 0 || o->bastille != NULL || o->root != NULL);
}

/* The caller's host with --if and --group added: the commands' host without files. */
static int
plain_host(const struct worldopt *o, struct pfm_host *h, const char *prog, FILE *err)
{
	char e[256], name[PFM_IFNAMSIZ], list[1024], *f, *save = NULL;
	const char *eq;
	struct pfm_if *ifp;
	int i;

	for (i = 0; i < o->nifs; i++)
		if (pfm_host_add(h, o->ifs[i], e, sizeof(e)) == -1) {
			fprintf(err, "%s: --if %s: %s\n", prog, o->ifs[i], e);
			return (-1);
		}
	for (i = 0; i < o->ngroups; i++) {
		eq = strchr(o->groups[i], '=');
		snprintf(name, sizeof(name), "%.*s", (int)(eq - o->groups[i]), o->groups[i]);
		snprintf(list, sizeof(list), "%s", eq + 1);
		for (f = strtok_r(list, ",", &save); f != NULL; f = strtok_r(NULL, ",", &save)) {
			if ((ifp = pfm_host_if(h, f)) == NULL || pfm_host_group(ifp, name) ==
			    -1) {
				fprintf(err, "%s: --group %s: interface %s: the model holds %d "
				    "interfaces of %d groups at most\n", prog, o->groups[i], f,
				    PFM_HOST_IFS, (int)(sizeof(ifp->group) /
				    sizeof(ifp->group[0])));
				return (-1);
			}
		}
	}
	return (0);
}

#define WORLD_PATH	"world"		/* the statements' name in the scenario's messages */

/* The statements of w (adm_world_scn), malloc'd; NULL when out of memory. */
static char *
statements(struct adm_world *w)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&text, &len)) == NULL)
		return (NULL);
	(void)adm_world_scn(w, f);
	if (fclose(f) != 0) {
		free(text);
		return (NULL);
	}
	return (text);
}

/* A message of the scenario's checks (`world:N: text`) of the statements in text, at
 * the admin's file and line the statement comes from: into w's messages, or (w NULL)
 * to out. */
static void
relay(struct adm_world *w, FILE *out, const char *text, const char *m, size_t len)
{
	char where[1024], t[2048], told[2048], *end;
	const char *msg = m;
	long n = 0;

	if (strncmp(m, WORLD_PATH ":", strlen(WORLD_PATH) + 1) == 0) {
		msg = m + strlen(WORLD_PATH) + 1;
		n = strtol(msg, &end, 10);
		msg = end;
		while (*msg == ':' || *msg == ' ')
			msg++;
	}
	len -= (size_t)(msg - m);
	(void)adm_world_origin(text, (int)n, where, sizeof(where));
	snprintf(t, sizeof(t), "%.*s", (int)len, msg);
	adm_world_retell(text, t, 0, told, sizeof(told));
	if (w == NULL)
		fprintf(out, "%s: %s\n", where, told);
	else
		adm_world_err(w, where, told);
}

/* Each message of msgs relayed. */
static void
relay_all(struct adm_world *w, FILE *out, const char *text, const char *msgs)
{
	const char *q = msgs, *eol;
	size_t len;

	while (*q != '\0') {
		eol = strchr(q, '\n');
		len = eol != NULL ? (size_t)(eol - q) : strlen(q);
		if (len > 0)
			relay(w, out, text, q, len);
		q = eol != NULL ? eol + 1 : q + len;
	}
}

/* The world w's statements checked as a scenario's world: what the checks refuse is
 * said in w's messages at the admin's file and line it comes from. */
static void
check_statements(struct adm_world *w, const char *prog)
{
	struct diag d = { 0 };
	struct scn *s;
	char *text;
	int nerr;

	if ((text = statements(w)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return;
	}
	s = scn_parse_world(WORLD_PATH, text, &d, &nerr);
	relay_all(w, NULL, text, diag_text(&d));
	scn_free(s);
	diag_free(&d);
	free(text);
}

int
worldopt_host(const struct worldopt *o, struct adm_world *w, struct pfm_host *h,
    const char *prog, FILE *err)
{
	struct diag d = { 0 };
	struct scn *s;
	char *text, jail_if[PFM_IFNAMSIZ];
	int nerr, rc = -1;

	if (w == NULL || !worldopt_files(o))
		return (plain_host(o, h, prog, err));
	if ((text = statements(w)) == NULL) {
		fprintf(err, "%s: out of memory\n", prog);
		return (-1);
	}
	/* the host a run of these statements builds (target_pfhost); the statements'
	 * errors were said by worldopt_world */
	if ((s = scn_parse_world(WORLD_PATH, text, &d, &nerr)) != NULL) {
		diag_free(&d);
		if ((rc = target_pfhost(s, h, jail_if, &d)) == -1)
			relay_all(NULL, err, text, diag_text(&d));
	} else
		fprintf(err, "%s: out of memory\n", prog);
	scn_free(s);
	diag_free(&d);
	free(text);
	return (rc);
}

struct adm_world *
worldopt_world(const struct worldopt *o, const char *prog, char *const *want, int nwant)
{
	struct adm_world *w;
	char err[256];
	int i;

	if ((w = adm_world_new(o->root)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return (NULL);
	}
	w->pf_given = o->pf_given;
	for (i = 0; i < o->nrc; i++)
		(void)adm_read_rc(w, o->rc[i]);
	if (o->root != NULL && o->nrc == 0)
		(void)adm_read_root(w, 1, 0);
	for (i = 0; i < o->njails; i++)
		(void)adm_read_jails(w, o->jails[i]);
	if (o->bastille != NULL)
		(void)adm_read_bastille(w, o->bastille);
	if (o->root != NULL && o->njails == 0 && o->bastille == NULL)
		(void)adm_read_root(w, 0, 1);
	for (i = 0; i < o->nifs; i++)
		if (adm_world_if(w, o->ifs[i], err, sizeof(err)) == -1)
			fprintf(stderr, "%s: --if %s: %s\n", prog, o->ifs[i], err);
	for (i = 0; i < o->ngroups; i++)
		(void)adm_world_group(w, o->groups[i], err, sizeof(err));
	for (i = 0; i < o->njail; i++)
		(void)adm_world_jail(w, o->jail[i], err, sizeof(err));
	for (i = 0; i < nwant; i++)
		(void)adm_world_want(w, want[i]);
	adm_world_finish(w);
	if (worldopt_files(o))
		check_statements(w, prog);
	return (w);
}
