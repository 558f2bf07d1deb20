/* adm_rc.c: rc.conf read as FreeBSD 14's rc scripts read it (rc.subr sources the files;
 * network.subr, rc.d/netif, rc.d/routing and rc.d/pf apply them): cloned_interfaces,
 * vlans_IF, ifconfig_IF_name, ifconfig_IF (ifconfig_DEFAULT), ifconfig_IF_ipv6, the
 * aliases (ifconfig_IF_aliases, ifconfig_IF_aliasN, ipv4_addrs_IF), defaultrouter,
 * static_routes, gateway_enable, pf_enable and pf_rules. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adm_impl.h"

#define ADM_DEFAULTS	"/etc/defaults/rc.conf"

/* What /etc/defaults/rc.conf sets that the world reads (FreeBSD 14), for when the
 * admin's tree does not hold that file. */
static const char *const defaults[][2] = {
	{ "pf_enable", "NO" }, { "pf_rules", "/etc/pf.conf" },
	{ "gateway_enable", "NO" }, { "ipv6_gateway_enable", "NO" },
	{ "defaultrouter", "NO" }, { "ipv6_defaultrouter", "NO" },
	{ "cloned_interfaces", "" }, { "static_routes", "" },
	{ "ipv6_static_routes", "" },
};

static void
seed_defaults(struct adm_world *w)
{
	struct adm_at at;
	size_t i;

	if (w->rc_read)
		return;
	adm_at_set(&at, adm_intern(w, ADM_DEFAULTS), 0, NULL);
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (adm_sh_get(w->rc, defaults[i][0]) == NULL)
			(void)adm_sh_set(w->rc, defaults[i][0], defaults[i][1], &at);
	w->rc_read = 1;
}

static int
read_one(struct adm_world *w, const char *path)
{
	char err[512];
	size_t len;
	char *text;

	if ((text = adm_slurp(path, &len, err, sizeof(err))) == NULL) {
		adm_err(w, path, 0, "%s", err);
		return (-1);
	}
	(void)adm_sh_read(w, w->rc, text, len, adm_intern(w, path));
	free(text);
	return (0);
}

static int
skip_entry(const struct dirent *d)
{
	return (d->d_name[0] != '.');
}

/* An rc.conf.d folder: its files in name order, and the files of its folders
 * (rc.conf.d/SERVICE/ *) after them. */
static int
read_dir(struct adm_world *w, const char *path, int depth)
{
	struct dirent **ent;
	struct stat st;
	char sub[4096];
	int i, n, rc = 0;

	if ((n = scandir(path, &ent, skip_entry, alphasort)) < 0) {
		adm_err(w, path, 0, "%s", strerror(errno));
		return (-1);
	}
	for (i = 0; i < n; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", path, ent[i]->d_name);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth == 0)
				rc |= read_dir(w, sub, 1);
		} else if (stat(sub, &st) == 0 && S_ISREG(st.st_mode))
			rc |= read_one(w, sub);
		free(ent[i]);
	}
	free(ent);
	return (rc);
}

int
adm_read_rc(struct adm_world *w, const char *path)
{
	struct stat st;

	seed_defaults(w);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return (read_dir(w, path, 0));
	return (read_one(w, path));
}

/* ---- the interfaces rc.conf names ---- */

/* The value of rc.conf's variable name, or NULL. */
static const struct adm_var *
var(const struct adm_world *w, const char *name)
{
	return (adm_sh_get(w->rc, name));
}

/* The variable PREFIX + varname(ifname) + SUFFIX (get_if_var). */
static const struct adm_var *
if_var(const struct adm_vars *v, const char *prefix, const char *ifname,
    const char *suffix)
{
	char vn[ADM_IFNAMSIZ], name[256];

	adm_if_varname(ifname, vn, sizeof(vn));
	snprintf(name, sizeof(name), "%s%s%s", prefix, vn, suffix);
	return (adm_sh_get(v, name));
}

/* The interface whose variable name is vn, or NULL. */
static struct adm_if *
if_by_varname(struct adm_world *w, const char *vn)
{
	char x[ADM_IFNAMSIZ];
	int i;

	for (i = 0; i < w->nifs; i++) {
		adm_if_varname(w->ifs[i].name, x, sizeof(x));
		if (strcmp(x, vn) == 0)
			return (&w->ifs[i]);
	}
	return (NULL);
}

static struct adm_if *
add_if(struct adm_world *w, const char *name, const struct adm_at *at)
{
	struct adm_if *ifp;

	if ((ifp = adm_if_get(w, name, 1, at)) == NULL)
		adm_err(w, at->file, at->line, "%s: bad interface name \"%s\"", at->what,
		    name);
	return (ifp);
}

/* cloned_interfaces and gif_interfaces: NAME[:sticky] words (clone_up). */
static void
cloned(struct adm_world *w, const struct adm_var *v)
{
	char word[128], *colon, name[ADM_IFNAMSIZ + 2];
	const char *s = v->value;
	struct adm_if *ifp;
	int k;

	while ((s = adm_word(s, word, sizeof(word))) != NULL) {
		if ((colon = strchr(word, ':')) != NULL)
			*colon = '\0';
		for (k = 0; k < 2; k++) {
			/* epair(4) is created as epairN and configured as epairNa, epairNb */
			if (strncmp(word, "epair", 5) == 0 && isdigit((unsigned char)word[5])) {
				if (adm_strcpy(name, sizeof(name) - 1, word) == 0)
					strcat(name, k == 0 ? "a" : "b");
			} else if (k == 0)
				(void)adm_strcpy(name, sizeof(name), word);
			else
				break;
			if ((ifp = add_if(w, name, &v->at)) == NULL)
				continue;
			ifp->cloned = 1;
			if (ifp->driver[0] == '\0')
				adm_warn(w, v->at.file, v->at.line, "%s: no FreeBSD interface "
				    "driver is named like %s: taken as a NIC", v->at.what, name);
		}
	}
}

/* vlans_IF="101 vlan5" (childif_create): IF.101, or a named vlan. */
static void
vlans(struct adm_world *w, const struct adm_var *v, const char *parent_vn)
{
	char word[64], name[ADM_IFNAMSIZ + 8];
	const char *s = v->value;
	struct adm_if *p, *ifp;

	p = if_by_varname(w, parent_vn);
	while ((s = adm_word(s, word, sizeof(word))) != NULL) {
		if ((isdigit((unsigned char)word[0]) ? snprintf(name, sizeof(name), "%s.%s",
		    p != NULL ? p->name : parent_vn, word) : snprintf(name, sizeof(name), "%s",
		    word)) >= (int)sizeof(name)) {
			adm_err(w, v->at.file, v->at.line, "%s: bad interface name \"%s\"",
			    v->name, word);
			continue;
		}
		if ((ifp = add_if(w, name, &v->at)) != NULL) {
			ifp->cloned = 1;
			snprintf(ifp->driver, sizeof(ifp->driver), "%s",
			    strncmp(v->name, "wlans_", 6) == 0 ? "wlan" : "vlan");
		}
	}
}

/* The interface part of an ifconfig_IF... variable (IF as get_if_var spells it), or
 * "" when the variable is not an interface's. */
static void
ifconfig_part(const char *name, const char *prefix, char *out, size_t cap)
{
	static const char *const suffixes[] = { "_name", "_descr", "_ipv6", "_aliases" };
	size_t n, i, k;

	out[0] = '\0';
	if (strncmp(name, prefix, strlen(prefix)) != 0)
		return;
	snprintf(out, cap, "%s", name + strlen(prefix));
	n = strlen(out);
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		k = strlen(suffixes[i]);
		if (n > k && strcmp(out + n - k, suffixes[i]) == 0) {
			out[n - k] = '\0';
			return;
		}
	}
	/* _aliasN */
	for (k = n; k > 0 && isdigit((unsigned char)out[k - 1]); k--)
		;
	if (k < n && k > 6 && strncmp(out + k - 6, "_alias", 6) == 0)
		out[k - 6] = '\0';
	if (strcmp(out, "DEFAULT") == 0)
		out[0] = '\0';
}

/* 1 when variable name is about an interface that ifconfig_IF_name will name. */
static int
renamed_to(const struct adm_world *w, const char *name)
{
	char part[256], vn[ADM_IFNAMSIZ];
	size_t n;
	int i;

	ifconfig_part(name, strncmp(name, "ipv4_addrs_", 11) == 0 ? "ipv4_addrs_" :
	    "ifconfig_", part, sizeof(part));
	if (part[0] == '\0')
		return (0);
	for (i = 0; i < w->rc->n; i++) {
		n = strlen(w->rc->v[i].name);
		if (n < 5 || strcmp(w->rc->v[i].name + n - 5, "_name") != 0 ||
		    strncmp(w->rc->v[i].name, "ifconfig_", 9) != 0)
			continue;
		adm_if_varname(w->rc->v[i].value, vn, sizeof(vn));
		if (vn[0] != '\0' && strcmp(vn, part) == 0)
			return (1);
	}
	return (0);
}

/* Every interface rc.conf names, in the order of the variables that name them. */
static void
discover(struct adm_world *w)
{
	static const char *const prefixes[] = { "ifconfig_", "ipv4_addrs_",
	    "ipv6_prefix_", "ipv6_ifconfig_" };
	const struct adm_var *v;
	char part[256];
	size_t k;
	int i;

	(void)adm_if_get(w, "lo0", 1, NULL);
	for (i = 0; i < w->rc->n; i++) {
		v = &w->rc->v[i];
		/* NEW of ifconfig_OLD_name="NEW" is made by the rename */
		if (renamed_to(w, v->name))
			continue;
		if (strcmp(v->name, "cloned_interfaces") == 0 ||
		    strcmp(v->name, "gif_interfaces") == 0) {
			cloned(w, v);
			continue;
		}
		if (strncmp(v->name, "vlans_", 6) == 0 || strncmp(v->name, "wlans_", 6) == 0) {
			vlans(w, v, v->name + 6);
			continue;
		}
		for (k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
			ifconfig_part(v->name, prefixes[k], part, sizeof(part));
			if (part[0] != '\0' && if_by_varname(w, part) == NULL &&
			    strlen(part) < ADM_IFNAMSIZ && v->value[0] != '\0')
				(void)add_if(w, part, &v->at);
		}
	}
}

/* ifconfig_IF_name (ifnet_rename), before any address is set. */
static void
renames(struct adm_world *w)
{
	const struct adm_var *v;
	struct adm_if *ifp, *t;
	int i, ti;

	for (i = 0; i < w->nifs; i++) {
		ifp = &w->ifs[i];
		if ((v = if_var(w->rc, "ifconfig_", ifp->name, "_name")) == NULL ||
		    v->value[0] == '\0')
			continue;
		if (strlen(v->value) >= ADM_IFNAMSIZ || strchr(v->value, ' ') != NULL) {
			adm_err(w, v->at.file, v->at.line, "%s: bad interface name \"%s\"",
			    v->at.what, v->value);
			continue;
		}
		if ((t = adm_if_get(w, v->value, 0, NULL)) != NULL) {
			if (!t->given) {
				adm_err(w, v->at.file, v->at.line, "%s: interface %s already "
				    "exists", v->at.what, v->value);
				continue;
			}
			/* --if NEW=...: the renamed interface's addresses */
			free(ifp->addr);
			ifp->addr = t->addr;
			ifp->naddr = t->naddr;
			ifp->given = ifp->up = 1;
			ti = (int)(t - w->ifs);
			memmove(t, t + 1, (size_t)(w->nifs - ti - 1) * sizeof(*t));
			w->nifs--;
			if (ti < i)
				i--;
			ifp = &w->ifs[i];
		}
		snprintf(ifp->name, sizeof(ifp->name), "%s", v->value);
		ifp->at = v->at;
	}
}

/* dhcpif: which interfaces DHCP never runs on. */
static int
no_dhcp(const struct adm_if *ifp)
{
	return (ifp->kind == ADM_IF_LOOPBACK || ifp->kind == ADM_IF_NOADDR ||
	    strncmp(ifp->name, "stf", 3) == 0 || strncmp(ifp->name, "lp", 2) == 0 ||
	    strncmp(ifp->name, "sl", 2) == 0);
}

/* What one ifconfig line does to ifp (the addresses unless --if gave them). */
static void
apply(struct adm_world *w, struct adm_if *ifp, const struct adm_ifargs *a,
    const struct adm_at *at)
{
	int i;

	if (!ifp->given && ifp->kind != ADM_IF_NOADDR && !a->remove)
		for (i = 0; i < a->naddr; i++)
			if (adm_if_addr(ifp, &a->addr[i]) == -1)
				adm_err(w, at->file, at->line, "out of memory");
	if (a->mtu != 0) {
		ifp->mtu = a->mtu;
		ifp->mtu_at = *at;
	}
	ifp->up |= a->up || a->naddr > 0;
	if (a->down)
		ifp->up = 0;
	for (i = 0; i < a->ngroup; i++)
		if (adm_if_group(ifp, a->group[i], at) == -1)
			adm_err(w, at->file, at->line, "%s: %s is in more than %d groups",
			    at->what, ifp->name, ADM_GROUPS);
	for (i = 0; i < a->nmember && ifp->nmember < ADM_MEMBERS; i++)
		snprintf(ifp->member[ifp->nmember++], ADM_IFNAMSIZ, "%s", a->member[i]);
	if (a->rename[0] != '\0')
		adm_warn(w, at->file, at->line, "%s: `name %s` inside the arguments is not "
		    "followed (use ifconfig_%s_name)", at->what, a->rename, ifp->name);
	if (a->vhid)
		adm_warn(w, at->file, at->line, "%s: a CARP address (vhid) is taken as the "
		    "host's own", at->what);
	if (a->dhcp && !no_dhcp(ifp) && !ifp->dhcp) {
		ifp->dhcp = 1;
		ifp->dhcp_at = *at;
	}
	if (a->slaac && !ifp->slaac) {
		ifp->slaac = 1;
		ifp->slaac_at = *at;
	}
	if (a->eui64 && !ifp->eui64) {
		ifp->eui64 = 1;
		ifp->eui64_at = *at;
	}
}

/* Parse args of variable v (af: the family words without one are in) and apply them. */
static void
ifline(struct adm_world *w, struct adm_if *ifp, const char *args, const struct adm_at *at,
    int af, int ranges, int alias)
{
	struct adm_ifargs a;

	if (adm_ifargs(w, args, af, ranges, at, &a) == 0) {
		a.alias |= alias;
		apply(w, ifp, &a, at);
	}
	adm_ifargs_free(&a);
}

/* An alias list ("inet A inet6 B ..."): each family keyword starts one ifconfig call
 * (ifalias_af_common). bare_inet: words before the first keyword are inet (an aliasN
 * line without its family, with network.subr's warning). */
static void
alias_list(struct adm_world *w, struct adm_if *ifp, const char *list,
    const struct adm_at *at, int bare_inet)
{
	char word[256], seg[2048];
	const char *s = list, *next;
	size_t n = 0;

	seg[0] = '\0';
	if (bare_inet && strncmp(list, "inet ", 5) != 0 && strncmp(list, "inet6 ", 6) != 0 &&
	    strncmp(list, "link ", 5) != 0 && strncmp(list, "ether ", 6) != 0) {
		adm_warn(w, at->file, at->line, "$%s needs leading \"inet\" keyword for an "
		    "IPv4 address.", at->what);
		n = (size_t)snprintf(seg, sizeof(seg), "inet");
	}
	while ((next = adm_word(s, word, sizeof(word))) != NULL) {
		s = next;
		if ((strcmp(word, "inet") == 0 || strcmp(word, "inet6") == 0 ||
		    strcmp(word, "link") == 0 || strcmp(word, "ether") == 0) && n > 0) {
			if (strncmp(seg, "inet", 4) == 0)
				ifline(w, ifp, seg, at, 0, 1, 1);
			n = 0;
			seg[0] = '\0';
		}
		if (n + strlen(word) + 2 < sizeof(seg))
			n += (size_t)snprintf(seg + n, sizeof(seg) - n, "%s%s", n ? " " : "",
			    word);
	}
	if (n > 0 && strncmp(seg, "inet", 4) == 0)
		ifline(w, ifp, seg, at, 0, 1, 1);
}

static int
alias_cmp(const void *a, const void *b)
{
	const struct adm_var *x = *(const struct adm_var *const *)a;
	const struct adm_var *y = *(const struct adm_var *const *)b;
	const char *p = strrchr(x->name, 's'), *q = strrchr(y->name, 's');
	long m = strtol(p + 1, NULL, 10), n = strtol(q + 1, NULL, 10);

	return (m < n ? -1 : m > n);
}

/* ifconfig_IF_aliasN in N's order (list_vars | sort_lite -n); an empty one ends
 * them. */
static void
alias_n(struct adm_world *w, struct adm_if *ifp, const char *prefix)
{
	const struct adm_var **list = NULL, **nl;
	char vn[ADM_IFNAMSIZ], head[256];
	size_t hl, k;
	int i, n = 0;

	adm_if_varname(ifp->name, vn, sizeof(vn));
	hl = (size_t)snprintf(head, sizeof(head), "%s%s_alias", prefix, vn);
	for (i = 0; i < w->rc->n; i++) {
		const char *name = w->rc->v[i].name;

		if (strncmp(name, head, hl) != 0 || name[hl] == '\0')
			continue;
		for (k = hl; isdigit((unsigned char)name[k]); k++)
			;
		if (name[k] != '\0')
			continue;
		if ((nl = realloc(list, (size_t)(n + 1) * sizeof(*nl))) == NULL)
			break;
		list = nl;
		list[n++] = &w->rc->v[i];
	}
	if (n > 0)
		qsort(list, (size_t)n, sizeof(*list), alias_cmp);
	for (i = 0; i < n; i++) {
		if (list[i]->value[0] == '\0')
			break;
		if (strcmp(prefix, "ipv6_ifconfig_") == 0) {
			char seg[2048];

			adm_warn(w, list[i]->at.file, list[i]->at.line, "$%s is obsolete.  Use "
			    "ifconfig_%s_aliasN instead.", list[i]->name, vn);
			snprintf(seg, sizeof(seg), "inet6 %s", list[i]->value);
			alias_list(w, ifp, seg, &list[i]->at, 0);
		} else
			alias_list(w, ifp, list[i]->value, &list[i]->at, 1);
	}
	free(list);
}

/* ifconfig_up, ipv4_up, ipv6_up for one interface. */
static void
configure(struct adm_world *w, struct adm_if *ifp)
{
	static const uint8_t lo4[4] = { 127, 0, 0, 1 };
	const struct adm_var *v, *dflt = var(w, "ifconfig_DEFAULT");
	struct adm_addr x;
	char word[256], seg[2048];
	const char *s;

	v = if_var(w->rc, "ifconfig_", ifp->name, "");
	if (v == NULL && dflt != NULL && strcmp(ifp->name, "lo0") != 0)
		v = dflt;
	if (v != NULL && v->value[0] != '\0')
		ifline(w, ifp, v->value, &v->at, 0, 0, 0);
	if (strcmp(ifp->name, "lo0") == 0 && !ifp->given) {
		/* ipv4_up: 127.0.0.1/8 unless ifconfig_lo0 says otherwise; lo0 always has
		 * ::1 and fe80::1 (in6_ifattach) */
		memset(&x, 0, sizeof(x));
		if (v == NULL) {
			x.af = AF_INET;
			memcpy(x.a, lo4, 4);
			x.plen = 8;
			(void)adm_if_addr(ifp, &x);
		}
		memset(&x, 0, sizeof(x));
		x.af = AF_INET6;
		x.a[15] = 1;
		x.plen = 128;
		(void)adm_if_addr(ifp, &x);
		x.a[0] = 0xfe;
		x.a[1] = 0x80;
		x.plen = 64;
		(void)adm_if_addr(ifp, &x);
		ifp->up = 1;
	}
	if ((v = if_var(w->rc, "ifconfig_", ifp->name, "_ipv6")) != NULL &&
	    v->value[0] != '\0') {
		s = v->value;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == ':' || (isxdigit((unsigned char)*s) && strchr(s, ':') != NULL &&
		    strncmp(s, "inet6", 5) != 0)) {
			adm_warn(w, v->at.file, v->at.line, "$%s needs leading \"inet6\" "
			    "keyword for an IPv6 address.", v->name);
			snprintf(seg, sizeof(seg), "inet6 %s", s);
			ifline(w, ifp, seg, &v->at, AF_INET6, 0, 0);
		} else
			ifline(w, ifp, v->value, &v->at, AF_INET6, 0, 0);
	}
	if ((v = if_var(w->rc, "ipv6_prefix_", ifp->name, "")) != NULL &&
	    v->value[0] != '\0' && !ifp->eui64) {
		ifp->eui64 = 1;
		ifp->eui64_at = v->at;
	}
	if ((v = if_var(w->rc, "ipv6_ifconfig_", ifp->name, "")) != NULL &&
	    v->value[0] != '\0') {
		adm_warn(w, v->at.file, v->at.line, "$%s is obsolete.  Use ifconfig_%s_ipv6 "
		    "instead.", v->name, ifp->name);
		snprintf(seg, sizeof(seg), "inet6 %s", v->value);
		ifline(w, ifp, seg, &v->at, AF_INET6, 0, 0);
	}
	/* ifalias_af_common: _aliases, then _aliasN, ipv6_ifconfig_IF_aliasN,
	 * ipv4_addrs_IF */
	if ((v = if_var(w->rc, "ifconfig_", ifp->name, "_aliases")) != NULL)
		alias_list(w, ifp, v->value, &v->at, 0);
	alias_n(w, ifp, "ifconfig_");
	alias_n(w, ifp, "ipv6_ifconfig_");
	if ((v = if_var(w->rc, "ipv4_addrs_", ifp->name, "")) != NULL) {
		s = v->value;
		while ((s = adm_word(s, word, sizeof(word))) != NULL) {
			snprintf(seg, sizeof(seg), "inet %s", word);
			ifline(w, ifp, seg, &v->at, AF_INET, 1, 1);
		}
	}
	if (ifp->kind == ADM_IF_LOOPBACK && !ifp->given && adm_if_group(ifp, "lo", NULL) == -1)
		adm_err(w, ifp->at.file, ifp->at.line, "%s: too many groups", ifp->name);
	if (ifp->cloned && ifp->driver[0] != '\0' && ifp->kind != ADM_IF_LOOPBACK)
		(void)adm_if_group(ifp, ifp->driver, NULL);
}

/* A route's words: `-net NET/LEN GW`, `-net NET -netmask MASK GW`, `-host H GW`,
 * `NET/LEN GW`, `default GW` (route(8) as rc.d/routing calls it). */
static void
route(struct adm_world *w, const struct adm_var *v, int af)
{
	char word[256], dst[256] = "", gw[256] = "", mask[64] = "";
	const char *s = v->value;
	struct adm_route r;
	int given, host = 0, iface = 0, n;

	while ((s = adm_word(s, word, sizeof(word))) != NULL) {
		if (strcmp(word, "-net") == 0 || strcmp(word, "-inet") == 0 ||
		    strcmp(word, "-inet6") == 0 || strcmp(word, "add") == 0)
			continue;
		if (strcmp(word, "-host") == 0)
			host = 1;
		else if (strcmp(word, "-interface") == 0 || strcmp(word, "-iface") == 0)
			iface = 1;
		else if (strcmp(word, "-netmask") == 0 || strcmp(word, "-prefixlen") == 0) {
			if ((s = adm_word(s, mask, sizeof(mask))) == NULL)
				break;
		} else if (word[0] == '-')
			;	/* -fib N and the like do not change the host's table */
		else if (dst[0] == '\0')
			snprintf(dst, sizeof(dst), "%s", word);
		else if (gw[0] == '\0')
			snprintf(gw, sizeof(gw), "%s", word);
	}
	memset(&r, 0, sizeof(r));
	if (iface) {
		adm_warn(w, v->at.file, v->at.line, "%s: a route to an interface "
		    "(-interface) is not built", v->name);
		return;
	}
	if (strcmp(dst, "default") == 0) {
		r.net.af = af;
		r.net.plen = 0;
	} else if (adm_addr_parse(dst, &r.net, &given) == -1 || r.net.af != af) {
		adm_err(w, v->at.file, v->at.line, "%s: bad destination \"%s\"", v->name,
		    dst);
		return;
	} else if (mask[0] != '\0') {
		n = af == AF_INET ? adm_mask_len(mask) : (int)strtol(mask, NULL, 10);
		if (n < 0 || (af == AF_INET6 && !isdigit((unsigned char)mask[0]))) {
			adm_err(w, v->at.file, v->at.line, "%s: bad netmask \"%s\"", v->name,
			    mask);
			return;
		}
		r.net.plen = n;
	} else if (!given && !host && af == AF_INET)
		r.net.plen = adm_classful(r.net.a);	/* route(8): inet_makenetandmask */
	if (adm_addr_parse(gw, &r.via, &given) == -1 || r.via.af != af) {
		adm_err(w, v->at.file, v->at.line, "%s: bad gateway \"%s\" (an address is "
		    "needed)", v->name, gw);
		return;
	}
	r.net.at = r.via.at = v->at;
	if (r.net.plen == 0) {
		if (w->defrouter[af == AF_INET6].af == 0)
			w->defrouter[af == AF_INET6] = r.via;
		return;
	}
	if ((w->route = adm_grow(w->route, &w->nroute, sizeof(r))) == NULL) {
		w->nroute = 0;
		adm_err(w, v->at.file, v->at.line, "out of memory");
		return;
	}
	w->route[w->nroute - 1] = r;
}

/* static_routes, ipv6_static_routes: the names of route_NAME, ipv6_route_NAME. */
static void
routes(struct adm_world *w, const char *list, const char *prefix, int af)
{
	const struct adm_var *l = var(w, list), *v;
	char word[128], name[256];
	const char *s;

	if (l == NULL)
		return;
	for (s = l->value; (s = adm_word(s, word, sizeof(word))) != NULL; ) {
		snprintf(name, sizeof(name), "%s%s", prefix, word);
		if ((v = var(w, name)) == NULL || v->value[0] == '\0')
			adm_warn(w, l->at.file, l->at.line, "%s names %s, which is not set",
			    list, name);
		else
			route(w, v, af);
	}
}

/* defaultrouter, ipv6_defaultrouter: NO or an address. */
static void
defrouter(struct adm_world *w, const char *name, int af)
{
	const struct adm_var *v = var(w, name);
	struct adm_addr a;
	int given;

	if (v == NULL || strcasecmp(v->value, "NO") == 0 || v->value[0] == '\0')
		return;
	if (adm_addr_parse(v->value, &a, &given) == -1 || a.af != af || given) {
		adm_err(w, v->at.file, v->at.line, "%s: \"%s\" is not an IPv%d address",
		    name, v->value, af == AF_INET ? 4 : 6);
		return;
	}
	a.at = v->at;
	w->defrouter[af == AF_INET6] = a;
}

/* A YES/NO knob: 1, 0; a value checkyesno does not know is rc.subr's warning. */
static int
knob(struct adm_world *w, const char *name, struct adm_at *at)
{
	const struct adm_var *v = var(w, name);
	int yn;

	if (v == NULL)
		return (-1);
	if (at != NULL)
		*at = v->at;
	if ((yn = adm_yesno(v->value)) == -1) {
		adm_warn(w, v->at.file, v->at.line, "$%s is not set properly - see "
		    "rc.conf(5).", name);
		return (0);
	}
	return (yn);
}

void
adm_rc_apply(struct adm_world *w)
{
	const struct adm_var *v;
	int i;

	if (!w->rc_read)
		seed_defaults(w);
	discover(w);
	for (i = 0; i < w->nwant; i++)
		if (adm_if_get(w, w->want[i], 0, NULL) == NULL && var(w, "ifconfig_DEFAULT"))
			(void)adm_if_get(w, w->want[i], 1, &var(w, "ifconfig_DEFAULT")->at);
	renames(w);
	for (i = 0; i < w->nifs; i++)
		configure(w, &w->ifs[i]);
	defrouter(w, "defaultrouter", AF_INET);
	defrouter(w, "ipv6_defaultrouter", AF_INET6);
	routes(w, "static_routes", "route_", AF_INET);
	routes(w, "ipv6_static_routes", "ipv6_route_", AF_INET6);
	w->forward[0] = knob(w, "gateway_enable", &w->forward_at[0]);
	w->forward[1] = knob(w, "ipv6_gateway_enable", &w->forward_at[1]);
	w->pf_enable = knob(w, "pf_enable", &w->pf_at) == 1;
	if ((v = var(w, "pf_rules")) != NULL) {
		free(w->pf_rules);
		w->pf_rules = strdup(v->value);
		w->pf_rules_at = v->at;
	}
}

int
adm_rc_jail_if(struct adm_world *w, const struct adm_vars *v, const char *name,
    struct adm_ifargs *a, char *out_name, size_t cap)
{
	const struct adm_var *x, *d;

	snprintf(out_name, cap, "%s", name);
	if ((x = if_var(v, "ifconfig_", name, "_name")) != NULL && x->value[0] != '\0')
		snprintf(out_name, cap, "%s", x->value);
	x = if_var(v, "ifconfig_", out_name, "");
	d = adm_sh_get(v, "ifconfig_DEFAULT");
	if (x == NULL)
		x = d;
	memset(a, 0, sizeof(*a));
	if (x == NULL || x->value[0] == '\0')
		return (-1);
	return (adm_ifargs(w, x->value, 0, 0, &x->at, a));
}
