/* adm_world.c: a world from an admin's files: its life (new, free), the command line's
 * overrides (--if, --group, --jail, the interfaces a ruleset names), and the finish
 * that applies rc.conf, places the jails and says what stays unknown. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm_impl.h"

struct adm_world *
adm_world_new(const char *root)
{
	struct adm_world *w;
	size_t n;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return (NULL);
	if ((w->rc = calloc(1, sizeof(*w->rc))) == NULL) {
		free(w);
		return (NULL);
	}
	w->forward[0] = w->forward[1] = -1;
	if (root != NULL) {
		if ((w->root = strdup(root)) == NULL) {
			adm_world_free(w);
			return (NULL);
		}
		for (n = strlen(w->root); n > 1 && w->root[n - 1] == '/'; n--)
			w->root[n - 1] = '\0';
	}
	return (w);
}

static void
strlist_free(char **l, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

void
adm_world_free(struct adm_world *w)
{
	int i;

	if (w == NULL)
		return;
	adm_sh_free(w->rc);
	free(w->rc);
	for (i = 0; i < w->nifs; i++)
		free(w->ifs[i].addr);
	free(w->ifs);
	for (i = 0; i < w->njail; i++) {
		free(w->jail[i].addr);
		free(w->jail[i].rdr);
	}
	free(w->jail);
	free(w->route);
	free(w->pf_rules);
	free(w->ext_if_line);
	free(w->bastille_ext_if);
	free(w->bastille_table);
	free(w->root);
	strlist_free(w->file, w->nfile);
	strlist_free(w->want, w->nwant);
	strlist_free(w->gspec, w->ngspec);
	strlist_free(w->jspec, w->njspec);
	diag_free(&w->msg);
	free(w);
}

/* NAME=LIST into name (at most cap - 1) and the list after the `=`; NULL when the
 * spec has no `=` (list is then ""). */
static const char *
split_spec(const char *spec, char *name, size_t cap)
{
	const char *eq = strchr(spec, '=');
	size_t n = eq != NULL ? (size_t)(eq - spec) : strlen(spec);

	if (n >= cap)
		n = cap - 1;
	memcpy(name, spec, n);
	name[n] = '\0';
	return (eq != NULL ? eq + 1 : NULL);
}

int
adm_world_if(struct adm_world *w, const char *spec, char *err, size_t errlen)
{
	char name[64], buf[4096], *a, *save = NULL;
	const char *list = split_spec(spec, name, sizeof(name));
	struct adm_if *ifp;
	struct adm_addr x;
	struct adm_at at;
	int given;

	adm_at_set(&at, "--if", 0, name);
	if (name[0] == '\0' || strlen(name) >= ADM_IFNAMSIZ) {
		snprintf(err, errlen, "bad interface name \"%s\"", name);
		return (-1);
	}
	if ((ifp = adm_if_get(w, name, 1, &at)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	if (!ifp->given)
		ifp->naddr = 0;
	ifp->given = 1;
	ifp->up = 1;
	snprintf(buf, sizeof(buf), "%s", list != NULL ? list : "");
	for (a = strtok_r(buf, ",", &save); a != NULL; a = strtok_r(NULL, ",", &save)) {
		if (adm_addr_parse(a, &x, &given) == -1) {
			snprintf(err, errlen, "bad address \"%s\" (ADDR/LEN)", a);
			return (-1);
		}
		x.at = at;
		if (adm_if_addr(ifp, &x) == -1) {
			snprintf(err, errlen, "out of memory");
			return (-1);
		}
	}
	return (0);
}

int
adm_world_group(struct adm_world *w, const char *spec, char *err, size_t errlen)
{
	char name[64];

	if (split_spec(spec, name, sizeof(name)) == NULL || name[0] == '\0' ||
	    strlen(name) >= ADM_IFNAMSIZ || isdigit((unsigned char)name[strlen(name) - 1])) {
		snprintf(err, errlen, "expected NAME=IF[,IF...] with a group name that does "
		    "not end in a digit");
		return (-1);
	}
	if (adm_strlist(&w->gspec, &w->ngspec, spec) == -1) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	return (0);
}

int
adm_world_jail(struct adm_world *w, const char *spec, char *err, size_t errlen)
{
	char name[ADM_NAME_MAX];

	if (split_spec(spec, name, sizeof(name)) == NULL || name[0] == '\0') {
		snprintf(err, errlen, "expected NAME=[IF|]ADDR[/LEN][,...]");
		return (-1);
	}
	if (adm_strlist(&w->jspec, &w->njspec, spec) == -1) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	return (0);
}

int
adm_world_want(struct adm_world *w, const char *ifname)
{
	int i;

	for (i = 0; i < w->nwant; i++)
		if (strcmp(w->want[i], ifname) == 0)
			return (0);
	return (adm_strlist(&w->want, &w->nwant, ifname));
}

struct adm_if *
adm_world_iface(const struct adm_world *w, const char *name)
{
	int i;

	for (i = 0; i < w->nifs; i++)
		if (strcmp(w->ifs[i].name, name) == 0)
			return (&w->ifs[i]);
	return (NULL);
}

char *
adm_world_pf_path(const struct adm_world *w)
{
	if (!w->pf_enable || w->pf_rules == NULL || w->pf_rules[0] == '\0')
		return (NULL);
	return (adm_path(w, w->pf_rules));
}

const char *
adm_world_messages(const struct adm_world *w)
{
	return (diag_text(&w->msg));
}

/* --group NAME=IF,IF: after rc.conf, every IF must exist. */
static void
apply_groups(struct adm_world *w)
{
	char name[64], buf[1024], *f, *save = NULL;
	const char *list;
	struct adm_if *ifp;
	struct adm_at at;
	int i;

	for (i = 0; i < w->ngspec; i++) {
		list = split_spec(w->gspec[i], name, sizeof(name));
		adm_at_set(&at, "--group", 0, name);
		snprintf(buf, sizeof(buf), "%s", list);
		for (f = strtok_r(buf, ",", &save); f != NULL; f = strtok_r(NULL, ",", &save)) {
			if ((ifp = adm_if_get(w, f, 0, NULL)) == NULL)
				adm_err(w, NULL, 0, "--group %s: no interface %s (declare it with "
				    "--if %s=ADDR/LEN)", w->gspec[i], f, f);
			else if (adm_if_group(ifp, name, &at) == -1)
				adm_err(w, NULL, 0, "--group %s: %s is in %d groups already",
				    w->gspec[i], f, ADM_GROUPS);
		}
	}
}

/* --jail NAME=[IF|]ADDR[/LEN],...: the jail's addresses are these. */
static void
apply_jails(struct adm_world *w)
{
	char name[ADM_NAME_MAX], buf[2048], *f, *bar, *save = NULL;
	struct adm_jaddr x, *na;
	struct adm_jail *j;
	const char *list;
	int i, k;

	for (i = 0; i < w->njspec; i++) {
		list = split_spec(w->jspec[i], name, sizeof(name));
		for (k = 0, j = NULL; k < w->njail; k++)
			if (strcmp(w->jail[k].name, name) == 0)
				j = &w->jail[k];
		if (j == NULL) {
			adm_err(w, NULL, 0, "--jail %s: no jail %s in the jail files", w->jspec[i],
			    name);
			continue;
		}
		j->naddr = 0;
		j->given = 1;
		snprintf(buf, sizeof(buf), "%s", list);
		for (f = strtok_r(buf, ",", &save); f != NULL; f = strtok_r(NULL, ",", &save)) {
			memset(&x, 0, sizeof(x));
			if ((bar = strchr(f, '|')) != NULL) {
				*bar = '\0';
				snprintf(x.ifname, sizeof(x.ifname), "%s", f);
				f = bar + 1;
			}
			if (adm_addr_parse(f, &x.a, &x.plen_given) == -1) {
				adm_err(w, NULL, 0, "--jail %s: bad address \"%s\"", w->jspec[i], f);
				continue;
			}
			adm_at_set(&x.a.at, "--jail", 0, name);
			if ((na = adm_grow(j->addr, &j->naddr, sizeof(*na))) == NULL) {
				adm_err(w, NULL, 0, "out of memory");
				break;
			}
			j->addr = na;
			na[j->naddr - 1] = x;
		}
	}
}

/* What the files leave unknown about the interfaces. */
static void
unknowns(struct adm_world *w)
{
	const struct adm_if *ifp;
	int i, k, v4;

	for (i = 0; i < w->nifs; i++) {
		ifp = &w->ifs[i];
		if (ifp->given)
			continue;
		for (k = 0, v4 = 0; k < ifp->naddr; k++)
			v4 |= ifp->addr[k].af == AF_INET;
		if (ifp->dhcp && !v4)
			adm_err(w, ifp->dhcp_at.file, ifp->dhcp_at.line, "%s: %s takes its "
			    "address from a DHCP server: give it with --if %s=ADDR/LEN",
			    ifp->dhcp_at.what, ifp->name, ifp->name);
		if (ifp->slaac)
			adm_warn(w, ifp->slaac_at.file, ifp->slaac_at.line, "%s: %s's IPv6 "
			    "address comes from router advertisements (accept_rtadv): it is "
			    "left out; give it with --if %s=ADDR/LEN,...", ifp->slaac_at.what,
			    ifp->name, ifp->name);
		if (ifp->eui64)
			adm_warn(w, ifp->eui64_at.file, ifp->eui64_at.line, "%s: %s's IPv6 "
			    "address is made from its MAC (eui64): it is left out; give it with "
			    "--if %s=ADDR/LEN,...", ifp->eui64_at.what, ifp->name, ifp->name);
	}
	for (i = 0; i < w->njail; i++) {
		if (w->jail[i].inherit && w->jail[i].naddr == 0 && !w->jail[i].vnet)
			adm_warn(w, w->jail[i].at.file, w->jail[i].at.line, "jail %s shares "
			    "the host's addresses (ip4 = inherit): it is the host to pf",
			    w->jail[i].name);
		else if (w->jail[i].naddr == 0 && !w->jail[i].vnet)
			adm_warn(w, w->jail[i].at.file, w->jail[i].at.line, "jail %s has no "
			    "address (no ip4.addr, ip6.addr): it has no network", w->jail[i].name);
	}
}

void
adm_world_finish(struct adm_world *w)
{
	if (w->finished)
		return;
	w->finished = 1;
	adm_rc_apply(w);
	apply_groups(w);
	apply_jails(w);
	adm_jail_place(w);
	unknowns(w);
}
