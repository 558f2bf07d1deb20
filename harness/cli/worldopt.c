/* worldopt.c: the host a command works on, from an admin's files (harness/admin) or
 * from --if alone, as the pf model's struct pfm_host. */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	return (w);
}

/* Interface name of the host, added when new (group lo for a loopback of any name:
 * a renamed lo1 stays in its cloner's group). */
static struct pfm_if *
host_if(struct pfm_host *h, const char *name, int loopback, const char *prog, FILE *err)
{
	struct pfm_if *ifp;

	if ((ifp = pfm_host_if(h, name)) == NULL) {
		fprintf(err, "%s: interface %s: the model holds %d interfaces at most\n",
		    prog, name, PFM_HOST_IFS);
		return (NULL);
	}
	if (loopback)
		(void)pfm_host_group(ifp, "lo");
	return (ifp);
}

static int
add_addr(struct pfm_if *ifp, const struct adm_addr *a, const char *prog, FILE *err)
{
	if (pfm_host_addr(ifp, a->af, a->a, a->plen) == 0)
		return (0);
	fprintf(err, "%s: interface %s: the model holds %d addresses of one at most\n",
	    prog, ifp->name, PFM_IF_ADDRS);
	return (-1);
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

/* 1 when name is the jail's end of a VNET jail's epair: it is in the jail, not the
 * host. */
static int
in_jail(const struct adm_world *w, const char *name)
{
	int i;

	for (i = 0; i < w->njail; i++)
		if (w->jail[i].vnet && strcmp(w->jail[i].vnet_if, name) == 0)
			return (1);
	return (0);
}

int
worldopt_host(const struct worldopt *o, const struct adm_world *w, struct pfm_host *h,
    const char *prog, FILE *err)
{
	const struct adm_if *a;
	const struct adm_jail *j;
	struct pfm_if *ifp;
	char hostend[ADM_IFNAMSIZ], *p;
	int i, k;

	if (w == NULL || !worldopt_files(o))
		return (plain_host(o, h, prog, err));
	memset(h, 0, sizeof(*h));
	for (i = 0; i < w->nifs; i++) {
		a = &w->ifs[i];
		if (in_jail(w, a->name))
			continue;
		if ((ifp = host_if(h, a->name, a->kind == ADM_IF_LOOPBACK, prog, err)) == NULL)
			return (-1);
		for (k = 0; k < a->ngroup; k++)
			if (pfm_host_group(ifp, a->group[k]) == -1) {
				fprintf(err, "%s: interface %s: the model holds %d groups of an "
				    "interface at most\n", prog, a->name, (int)(sizeof(ifp->group) /
				    sizeof(ifp->group[0])));
				return (-1);
			}
		for (k = 0; k < a->naddr; k++)
			if (add_addr(ifp, &a->addr[k], prog, err) == -1)
				return (-1);
	}
	for (i = 0; i < w->njail; i++) {
		j = &w->jail[i];
		if (j->vnet) {
			/* the epair's host end stays on the host, in group epair */
			if (j->vnet_if[0] == '\0' || j->external[0] != '\0')
				continue;
			snprintf(hostend, sizeof(hostend), "%s", j->vnet_if);
			if (strncmp(hostend, "e0b_", 4) == 0)
				hostend[2] = 'a';
			else if ((p = strrchr(hostend, 'b')) != NULL && p[1] == '\0')
				*p = 'a';
			if ((ifp = host_if(h, hostend, 0, prog, err)) == NULL)
				return (-1);
			(void)pfm_host_group(ifp, "epair");
			continue;
		}
		for (k = 0; k < j->naddr; k++) {
			if (j->addr[k].ifname[0] == '\0' ||
			    (ifp = pfm_host_if(h, j->addr[k].ifname)) == NULL)
				continue;
			if (add_addr(ifp, &j->addr[k].a, prog, err) == -1)
				return (-1);
		}
	}
	return (0);
}
