/* adm_read.c: the jail files of a host: a jail.conf with the VNET jails' own rc.conf
 * (PATH/etc/rc.conf), Bastille's layout (PREFIX/jails/NAME/jail.conf, root/etc/rc.conf,
 * rdr.conf; its prefix from bastille.conf), and the files an admin's tree holds where
 * FreeBSD looks for them (--root). */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm_impl.h"

#define BASTILLE_PREFIX	"/usr/local/bastille"	/* bastille.conf's default */
#define BASTILLE_CONF	"/usr/local/etc/bastille/bastille.conf"

static int
is_file(const char *path)
{
	struct stat st;

	return (path != NULL && stat(path, &st) == 0 && S_ISREG(st.st_mode));
}

static int
is_dir(const char *path)
{
	struct stat st;

	return (path != NULL && stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

/* A sh file into vars (a jail's rc.conf, bastille.conf); 0, or -1 when it cannot be
 * read (said). */
static int
read_vars(struct adm_world *w, const char *path, struct adm_vars *v)
{
	char err[512];
	size_t len;
	char *text;

	if ((text = adm_slurp(path, &len, err, sizeof(err))) == NULL) {
		adm_err(w, path, 0, "%s", err);
		return (-1);
	}
	(void)adm_sh_read(w, v, text, len, adm_intern(w, path));
	free(text);
	return (0);
}

/* The jails of a jail.conf's definitions; a VNET jail's own rc.conf read from its
 * path (under the root) or, for Bastille, from jaildir/root/etc/rc.conf. */
static void
add_defs(struct adm_world *w, struct adm_jdef *defs, int n, const char *jaildir)
{
	const struct adm_jparam *p;
	struct adm_vars rc = { 0 };
	char path[4096], *full = NULL;
	int i, have;

	for (i = 0; i < n; i++) {
		have = 0;
		if (adm_jbool(&defs[i], "vnet") || ((p = adm_jparam(&defs[i], "vnet")) !=
		    NULL && p->nval > 0 && strcmp(p->val[p->nval - 1].s, "new") == 0)) {
			if (jaildir != NULL)
				snprintf(path, sizeof(path), "%s/root/etc/rc.conf", jaildir);
			else if ((p = adm_jparam(&defs[i], "path")) != NULL && p->nval > 0)
				snprintf(path, sizeof(path), "%s/etc/rc.conf",
				    p->val[p->nval - 1].s);
			else
				path[0] = '\0';
			full = jaildir != NULL ? strdup(path) : adm_path(w, path);
			if (path[0] != '\0' && is_file(full))
				have = read_vars(w, full, &rc) == 0;
			free(full);
		}
		adm_jail_add(w, &defs[i], have ? &rc : NULL);
		adm_sh_free(&rc);
	}
}

int
adm_read_jails(struct adm_world *w, const char *path)
{
	struct adm_jdef *defs;
	int n;

	if (adm_jconf_read(w, path, &defs, &n) == -1)
		return (-1);
	add_defs(w, defs, n, NULL);
	adm_jconf_free(defs, n);
	return (0);
}

static int
skip_dot(const struct dirent *d)
{
	return (d->d_name[0] != '.');
}

int
adm_read_bastille(struct adm_world *w, const char *prefix)
{
	struct dirent **ent;
	struct adm_jdef *defs;
	char dir[4096], conf[4200], rdr[4200], err[512];
	size_t len;
	int i, k, n, nd;

	snprintf(dir, sizeof(dir), "%s/jails", prefix);
	if ((n = scandir(dir, &ent, skip_dot, alphasort)) < 0) {
		adm_err(w, dir, 0, "%s (Bastille's jails are PREFIX/jails/NAME/jail.conf)",
		    strerror(errno));
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (snprintf(conf, sizeof(conf), "%s/%s/jail.conf", dir, ent[i]->d_name) >=
		    (int)sizeof(conf) || snprintf(rdr, sizeof(rdr), "%s/%s", dir,
		    ent[i]->d_name) >= (int)sizeof(rdr)) {
			free(ent[i]);
			continue;
		}
		if (is_file(conf) && adm_jconf_read(w, conf, &defs, &nd) == 0) {
			k = w->njail;
			add_defs(w, defs, nd, rdr);
			adm_jconf_free(defs, nd);
			for (; k < w->njail; k++)
				w->jail[k].bastille = 1;
		}
		if (snprintf(rdr, sizeof(rdr), "%s/%s/rdr.conf", dir, ent[i]->d_name) >=
		    (int)sizeof(rdr))
			rdr[0] = '\0';
		for (k = 0; is_file(rdr) && k < w->njail; k++)
			if (strcmp(w->jail[k].name, ent[i]->d_name) == 0 &&
			    w->jail[k].rdr == NULL) {
				if ((w->jail[k].rdr = adm_slurp(rdr, &len, err,
				    sizeof(err))) == NULL)
					adm_err(w, rdr, 0, "%s", err);
				adm_at_set(&w->jail[k].rdr_at, adm_intern(w, rdr), 1, "rdr.conf");
			}
		free(ent[i]);
	}
	free(ent);
	return (0);
}

/* Bastille's prefix (and the pf macro its rdr rules use) from bastille.conf. */
static char *
bastille_prefix(struct adm_world *w, const char *conf)
{
	struct adm_vars v = { 0 };
	const struct adm_var *x;
	char *prefix = NULL;

	if (read_vars(w, conf, &v) == 0) {
		if ((x = adm_sh_get(&v, "bastille_prefix")) != NULL && x->value[0] != '\0')
			prefix = adm_path(w, x->value);
		if ((x = adm_sh_get(&v, "bastille_network_pf_ext_if")) != NULL &&
		    x->value[0] != '\0') {
			free(w->bastille_ext_if);
			w->bastille_ext_if = strdup(x->value);
		}
		if ((x = adm_sh_get(&v, "bastille_network_pf_table")) != NULL &&
		    x->value[0] != '\0') {
			free(w->bastille_table);
			w->bastille_table = strdup(x->value);
		}
	}
	adm_sh_free(&v);
	return (prefix != NULL ? prefix : adm_path(w, BASTILLE_PREFIX));
}

/* 1 when the jail a jail.conf.d/NAME.conf file is named for is defined already. */
static int
defined(const struct adm_world *w, const char *path)
{
	const char *b = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(b) - strlen(".conf");
	int i;

	for (i = 0; i < w->njail; i++)
		if (strlen(w->jail[i].name) == n && strncmp(w->jail[i].name, b, n) == 0)
			return (1);
	return (0);
}

int
adm_read_root(struct adm_world *w, int rc, int jails)
{
	static const char *const rcs[] = { "/etc/rc.conf", "/etc/rc.conf.local",
	    "/etc/rc.conf.d" };
	char *p, *pat;
	glob_t g;
	size_t i;
	int ret = 0;

	if (w->root == NULL)
		return (0);
	for (i = 0; rc && i < sizeof(rcs) / sizeof(rcs[0]); i++) {
		if ((p = adm_path(w, rcs[i])) != NULL && (is_file(p) || is_dir(p)))
			ret |= adm_read_rc(w, p);
		free(p);
	}
	if (!jails)
		return (ret);
	if ((p = adm_path(w, "/etc/jail.conf")) != NULL && is_file(p))
		ret |= adm_read_jails(w, p);
	free(p);
	/* rc.d/jail: /etc/jail.conf.d/NAME.conf for a jail jail.conf does not define
	 * (jail.conf may .include them itself) */
	if ((pat = adm_path(w, "/etc/jail.conf.d/*.conf")) != NULL) {
		memset(&g, 0, sizeof(g));
		if (glob(pat, 0, NULL, &g) == 0)
			for (i = 0; i < g.gl_pathc; i++)
				if (!defined(w, g.gl_pathv[i]))
					ret |= adm_read_jails(w, g.gl_pathv[i]);
		globfree(&g);
	}
	free(pat);
	if ((p = adm_path(w, BASTILLE_CONF)) != NULL && is_file(p)) {
		char *prefix = bastille_prefix(w, p);

		if (prefix != NULL && is_dir(prefix))
			ret |= adm_read_bastille(w, prefix);
		free(prefix);
	}
	free(p);
	return (ret);
}

/* The `ext_if = ...` line of the ruleset (bastille rdr copies it into each anchor
 * load: rdr.sh, RDR_IF), or NULL. */
static char *
ext_if_line(struct adm_world *w, const char *macro)
{
	char *path = adm_world_pf_path(w), *text, *line, *next, *s, err[256];
	size_t len, n = strlen(macro);
	char *found = NULL;

	if (path == NULL)
		return (NULL);
	if ((text = adm_slurp(path, &len, err, sizeof(err))) == NULL) {
		free(path);
		return (NULL);
	}
	for (line = text; line != NULL && found == NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		if (strncmp(s, macro, n) == 0 && (s[n] == ' ' || s[n] == '\t' || s[n] == '='))
			found = strdup(s);
	}
	free(text);
	free(path);
	return (found);
}

/* A Bastille rdr rule's line as rdr.sh writes rdr.conf: `INET IF SRC DST PROTO
 * HOSTPORT JAILPORT [log ...]`, or the older `IF SRC DST PROTO HP JP` and `PROTO HP
 * JP`; appended to out as load_rdr_rule prints it. */
static void
rdr_line(struct adm_world *w, const struct adm_jail *j, const char *macro, char *line,
    int lineno, char **out, size_t *len)
{
	char *word[16], *save = NULL, *t, ip4[64] = "", ip6[64] = "", logs[256] = "";
	const char *inet = "ipv4", *ifn = NULL, *src = "any", *dst = "any";
	size_t need;
	int n = 0, i, k, af;

	for (t = strtok_r(line, " \t", &save); t != NULL && n < 16;
	    t = strtok_r(NULL, " \t", &save))
		word[n++] = t;
	if (n == 0 || word[0][0] == '#')
		return;
	i = 0;
	if (n >= 7 && (strcmp(word[0], "ipv4") == 0 || strcmp(word[0], "ipv6") == 0 ||
	    strcmp(word[0], "dual") == 0))
		inet = word[i++];
	if (n - i >= 6) {
		ifn = word[i++];
		src = word[i++];
		dst = word[i++];
	} else if (n - i != 3) {
		adm_err(w, j->rdr_at.file, lineno, "not a line of Bastille's rdr.conf (INET "
		    "IF SRC DST PROTO HOST_PORT JAIL_PORT)");
		return;
	}
	for (k = i + 3; k < n && strlen(logs) + strlen(word[k]) + 2 < sizeof(logs); k++)
		snprintf(logs + strlen(logs), sizeof(logs) - strlen(logs), " %s", word[k]);
	for (k = 0; k < j->naddr; k++) {
		if (j->addr[k].a.af == AF_INET && ip4[0] == '\0')
			adm_addr_str(&j->addr[k].a, ip4, sizeof(ip4));
		if (j->addr[k].a.af == AF_INET6 && ip6[0] == '\0')
			adm_addr_str(&j->addr[k].a, ip6, sizeof(ip6));
	}
	for (af = 4; af <= 6; af += 2) {
		const char *ip = af == 4 ? ip4 : ip6;

		if (ip[0] == '\0' || (af == 4 && strcmp(inet, "ipv6") == 0) ||
		    (af == 6 && strcmp(inet, "ipv4") == 0))
			continue;
		need = *len + 512 + strlen(logs) + strlen(src) + strlen(dst);
		if ((t = realloc(*out, need)) == NULL)
			return;
		*out = t;
		if (ifn != NULL)
			*len += (size_t)snprintf(*out + *len, need - *len, "%s=\"%s\"\n", macro,
			    ifn);
		else if (w->ext_if_line != NULL)
			*len += (size_t)snprintf(*out + *len, need - *len, "%s\n",
			    w->ext_if_line);
		*len += (size_t)snprintf(*out + *len, need - *len, "rdr pass%s on $%s "
		    "inet%s proto %s from %s to %s port %s -> %s port %s\n", logs, macro,
		    af == 6 ? "6" : "", word[i], src, dst, word[i + 1], ip, word[i + 2]);
	}
}

char *
adm_jail_rdr(struct adm_world *w, const struct adm_jail *j)
{
	const char *macro = w->bastille_ext_if != NULL ? w->bastille_ext_if : "ext_if";
	char *text, *line, *next, *out = NULL;
	size_t len = 0;
	int lineno = 0;

	if (j->rdr == NULL)
		return (NULL);
	if (w->ext_if_line == NULL)
		w->ext_if_line = ext_if_line(w, macro);
	if ((text = strdup(j->rdr)) == NULL)
		return (NULL);
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		lineno++;
		rdr_line(w, j, macro, line, lineno, &out, &len);
	}
	free(text);
	return (out);
}

/* 1 when a is in a network of one of the host's interfaces other than a loopback. */
static int
local(const struct adm_world *w, const struct adm_addr *a)
{
	int i, k;

	for (i = 0; i < w->nifs; i++)
		for (k = 0; w->ifs[i].kind != ADM_IF_LOOPBACK && k < w->ifs[i].naddr; k++)
			if (adm_addr_in(a, w->ifs[i].addr[k].a, w->ifs[i].addr[k].af,
			    w->ifs[i].addr[k].plen))
				return (1);
	return (0);
}

char *
adm_bastille_table(struct adm_world *w, const char **table)
{
	char b[64], *out = NULL, *n;
	size_t len = 0;
	int i, k;

	*table = w->bastille_table != NULL ? w->bastille_table : "jails";
	for (i = 0; i < w->njail; i++) {
		if (!w->jail[i].bastille || w->jail[i].vnet)
			continue;
		for (k = 0; k < w->jail[i].naddr; k++) {
			if (local(w, &w->jail[i].addr[k].a))
				continue;
			adm_addr_str(&w->jail[i].addr[k].a, b, sizeof(b));
			if ((n = realloc(out, len + strlen(b) + 2)) == NULL)
				return (out);
			out = n;
			len += (size_t)snprintf(out + len, strlen(b) + 2, "%s%s", len ? " " :
			    "", b);
		}
	}
	return (out);
}
