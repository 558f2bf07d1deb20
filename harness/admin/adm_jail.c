/* adm_jail.c: a resolved jail.conf jail into the world: ip4.addr and ip6.addr in their
 * `IF|ADDR/LEN` and `interface = IF` forms (jail(8), command.c: no length is /32 or
 * /128), `ip4 = inherit`, `vnet` with `vnet.interface`, and what the jail's commands and
 * its own rc.conf say of a VNET jail's network (`ifconfig BRIDGE addm EPAIRa`, `jib addm
 * NAME IF`, `ifconfig EPAIRb inet ADDR/LEN`, `route add default GW`). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm_impl.h"

#define ADM_CMD_WORDS	32

/* The last value of parameter name, or NULL. */
static const char *
param1(const struct adm_jdef *d, const char *name)
{
	const struct adm_jparam *p = adm_jparam(d, name);

	return (p != NULL && p->nval > 0 && strcmp(p->name, name) == 0 ?
	    p->val[p->nval - 1].s : NULL);
}

static int
jail_addr(struct adm_world *w, struct adm_jail *j, const struct adm_jaddr *x)
{
	struct adm_jaddr *na;

	if ((na = adm_grow(j->addr, &j->naddr, sizeof(*na))) == NULL) {
		adm_err(w, x->a.at.file, x->a.at.line, "out of memory");
		return (-1);
	}
	j->addr = na;
	na[j->naddr - 1] = *x;
	return (0);
}

/* One ip4.addr/ip6.addr value: `IF|ADDR[/LEN or /MASK] [ifconfig options]`. */
static void
addr_value(struct adm_world *w, struct adm_jail *j, const char *val, const char *dflt_if,
    const struct adm_at *at, int af)
{
	char buf[256], *bar, *sp, *a;
	struct adm_jaddr x;
	int given;

	memset(&x, 0, sizeof(x));
	snprintf(buf, sizeof(buf), "%s", val);
	a = buf;
	if ((bar = strchr(buf, '|')) != NULL) {
		*bar = '\0';
		if (snprintf(x.ifname, sizeof(x.ifname), "%s", buf) >=
		    (int)sizeof(x.ifname)) {
			adm_err(w, at->file, at->line, "jail %s: %s: bad interface name "
			    "\"%s\"", j->name, at->what, buf);
			return;
		}
		a = bar + 1;
	} else if (dflt_if != NULL)
		snprintf(x.ifname, sizeof(x.ifname), "%s", dflt_if);
	if ((sp = strchr(a, ' ')) != NULL)
		*sp = '\0';
	if (adm_addr_parse(a, &x.a, &given) == -1 || x.a.af != af) {
		adm_err(w, at->file, at->line, "jail %s: %s: bad IPv%d address \"%s\"",
		    j->name, at->what, af == AF_INET ? 4 : 6, a);
		return;
	}
	x.plen_given = given;
	x.a.at = *at;
	(void)jail_addr(w, j, &x);
}

/* A command string's simple commands, each split into words (quotes removed):
 * calls fn on each. */
static void
commands(const char *cmd, void (*fn)(void *, char **, int), void *arg)
{
	char buf[4096], *word[ADM_CMD_WORDS], *o = buf, q = 0;
	const char *s;
	int n = 0, in = 0;

	for (s = cmd; ; s++) {
		int end = *s == '\0' || (q == 0 && (*s == ';' || *s == '\n' || *s == '|' ||
		    *s == '&'));

		if (end || (q == 0 && (*s == ' ' || *s == '\t'))) {
			if (in) {
				*o++ = '\0';
				in = 0;
			}
			if (end) {
				if (n > 0)
					fn(arg, word, n);
				n = 0;
				o = buf;
				if (*s == '\0')
					return;
			}
			continue;
		}
		if (o >= buf + sizeof(buf) - 2)
			return;
		if (!in) {
			if (n == ADM_CMD_WORDS)
				continue;
			word[n++] = o;
			in = 1;
		}
		if (q == 0 && (*s == '\'' || *s == '"'))
			q = *s;
		else if (q != 0 && *s == q)
			q = 0;
		else if (*s == '\\' && q != '\'' && s[1] != '\0')
			*o++ = *++s;
		else
			*o++ = *s;
	}
}

struct scan {
	struct adm_world	*w;
	struct adm_jail		*j;
	const struct adm_at	*at;
	int			 inside;	/* exec.start, exec.stop: in the jail */
	char			 hostside[ADM_IFNAMSIZ];	/* the epair's host end */
};

/* The host end of a VNET jail's epair: epair5b -> epair5a, e0b_web -> e0a_web. */
static void
host_end(const char *jside, char *out, size_t cap)
{
	char *p;

	snprintf(out, cap, "%s", jside);
	if (strncmp(out, "e0b_", 4) == 0)
		out[2] = 'a';
	else if ((p = strrchr(out, 'b')) != NULL && p[1] == '\0')
		*p = 'a';
}

/* One simple command of a VNET jail's exec parameters. */
static void
scan_cmd(void *arg, char **word, int n)
{
	struct scan *sc = arg;
	struct adm_jail *j = sc->j;
	struct adm_ifargs a;
	struct adm_jaddr x;
	char args[1024];
	int i, k, inside = sc->inside, given;
	size_t len;

	if (n >= 3 && strcmp(word[0], "jexec") == 0) {
		word += 2;	/* jexec JAIL cmd...: in the jail */
		n -= 2;
		inside = 1;
	}
	if (n >= 1 && strrchr(word[0], '/') != NULL)
		word[0] = strrchr(word[0], '/') + 1;	/* /sbin/ifconfig */
	if (n >= 4 && (strcmp(word[0], "jib") == 0 || strcmp(word[0], "jng") == 0) &&
	    (strcmp(word[1], "addm") == 0 || strcmp(word[1], "bridge") == 0)) {
		/* jib addm NAME IF: e0a_NAME in a bridge with the NIC IF (jib(8)) */
		snprintf(j->external, sizeof(j->external), "%s", word[3]);
		if (j->vnet_if[0] == '\0')
			snprintf(j->vnet_if, sizeof(j->vnet_if), "e0b_%s", word[2]);
		j->bridge_at = *sc->at;
		return;
	}
	if (n >= 3 && strcmp(word[0], "ifconfig") == 0 && strcmp(word[1], "-j") == 0) {
		word += 2;	/* ifconfig -j JAIL IF ...: in the jail */
		n -= 2;
		word[0] = "ifconfig";
		inside = 1;
	}
	if (n < 3 || strcmp(word[0], "ifconfig") != 0)
		goto route;
	for (i = 2; i + 1 < n; i++)
		if (strcmp(word[i], "addm") == 0 && strcmp(word[i + 1], sc->hostside) == 0) {
			snprintf(j->bridge, sizeof(j->bridge), "%s", word[1]);
			j->bridge_at = *sc->at;
		}
	/* an address set on the jail's end from the host is lost when the interface
	 * moves into the jail (if_vmove): only one set inside counts */
	if (strcmp(word[1], j->vnet_if) != 0 || !inside)
		return;
	for (len = 0, k = 2; k < n && len < sizeof(args) - 1; k++)
		len += (size_t)snprintf(args + len, sizeof(args) - len, "%s%s", k > 2 ? " " :
		    "", word[k]);
	args[len < sizeof(args) ? len : sizeof(args) - 1] = '\0';
	if (adm_ifargs(sc->w, args, 0, 0, sc->at, &a) == 0)
		for (i = 0; i < a.naddr; i++) {
			memset(&x, 0, sizeof(x));
			x.a = a.addr[i];
			x.plen_given = 1;
			(void)jail_addr(sc->w, j, &x);
		}
	adm_ifargs_free(&a);
	return;
route:
	/* route add default GW, route add -net default GW, route -6 add default GW */
	if (n >= 4 && strcmp(word[0], "route") == 0) {
		for (i = 1; i < n && word[i][0] == '-' && strcmp(word[i], "-net") != 0; i++)
			;
		if (i + 2 < n + 1 && i < n && strcmp(word[i], "add") == 0) {
			i++;
			if (i < n && strcmp(word[i], "-net") == 0)
				i++;
			if (i + 1 < n && strcmp(word[i], "default") == 0 &&
			    adm_addr_parse(word[i + 1], &x.a, &given) == 0 && !given &&
			    (j->gw.af == 0 || x.a.af == AF_INET)) {
				j->gw = x.a;
				j->gw.at = *sc->at;
			}
		}
	}
}

/* What a VNET jail's commands say: its bridge, its address, its router. */
static void
scan_vnet(struct adm_world *w, struct adm_jail *j, const struct adm_jdef *d)
{
	static const char *const params[] = { "exec.prepare", "exec.prestart",
	    "exec.created", "exec.start", "exec.poststart", "command" };
	const struct adm_jparam *p;
	struct scan sc;
	size_t i;
	int k;

	memset(&sc, 0, sizeof(sc));
	sc.w = w;
	sc.j = j;
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		if ((p = adm_jparam(d, params[i])) == NULL || strcmp(p->name, params[i]) != 0)
			continue;
		sc.inside = strcmp(params[i], "exec.start") == 0 ||
		    strcmp(params[i], "command") == 0;
		for (k = 0; k < p->nval; k++) {
			sc.at = &p->at;
			host_end(j->vnet_if, sc.hostside, sizeof(sc.hostside));
			commands(p->val[k].s, scan_cmd, &sc);
		}
	}
}

/* A VNET jail's own rc.conf: its interface (after ifconfig_IF_name), its address and
 * its defaultrouter. */
static void
jail_rc(struct adm_world *w, struct adm_jail *j, const struct adm_vars *rc)
{
	const struct adm_var *v;
	struct adm_ifargs a;
	struct adm_jaddr x;
	char name[ADM_IFNAMSIZ];
	int i, given;

	memset(&a, 0, sizeof(a));
	if (j->naddr == 0 && adm_rc_jail_if(w, rc, j->vnet_if, &a, name,
	    sizeof(name)) == 0) {
		for (i = 0; i < a.naddr; i++) {
			memset(&x, 0, sizeof(x));
			x.a = a.addr[i];
			x.plen_given = 1;
			(void)jail_addr(w, j, &x);
		}
		if (a.dhcp && a.naddr == 0)
			adm_err(w, j->at.file, j->at.line, "jail %s: its address comes from "
			    "DHCP inside the jail (its rc.conf); give it with --jail "
			    "%s=ADDR/LEN", j->name, j->name);
	}
	adm_ifargs_free(&a);
	if (j->gw.af == 0 && (v = adm_sh_get(rc, "defaultrouter")) != NULL &&
	    strcasecmp(v->value, "NO") != 0 && adm_addr_parse(v->value, &x.a, &given) == 0) {
		j->gw = x.a;
		j->gw.at = v->at;
	}
}

void
adm_jail_add(struct adm_world *w, const struct adm_jdef *d, const struct adm_vars *rc)
{
	const struct adm_jparam *p;
	const char *v, *ifname;
	struct adm_jail *nj, *j;
	int i, k, af;

	if (d->failed)
		return;		/* jail(8) would not start it: said */
	for (i = 0; i < w->njail; i++)
		if (strcmp(w->jail[i].name, d->name) == 0) {
			adm_err(w, d->at.file, d->at.line, "jail %s is defined twice (also at "
			    "%s:%d)", d->name, w->jail[i].at.file, w->jail[i].at.line);
			return;
		}
	if ((nj = adm_grow(w->jail, &w->njail, sizeof(*nj))) == NULL) {
		adm_err(w, d->at.file, d->at.line, "out of memory");
		return;
	}
	w->jail = nj;
	j = &nj[w->njail - 1];
	snprintf(j->name, sizeof(j->name), "%s", d->name);
	j->at = d->at;
	if ((p = adm_jparam(d, "vnet")) != NULL) {
		v = p->nval > 0 ? p->val[p->nval - 1].s : NULL;
		j->vnet = strcmp(p->name, "vnet") == 0 && (v == NULL || strcmp(v, "new") == 0 ||
		    strcasecmp(v, "true") == 0 || strtol(v, NULL, 10) != 0);
	}
	if ((v = param1(d, "ip4")) != NULL && strcmp(v, "inherit") == 0)
		j->inherit = 1;
	if ((v = param1(d, "vnet.interface")) != NULL)
		snprintf(j->vnet_if, sizeof(j->vnet_if), "%s", v);
	ifname = param1(d, "interface");
	for (af = AF_INET; ; af = AF_INET6) {
		p = adm_jparam(d, af == AF_INET ? "ip4.addr" : "ip6.addr");
		for (k = 0; p != NULL && k < p->nval; k++)
			if (p->val[k].s[0] != '\0')
				addr_value(w, j, p->val[k].s, ifname, &p->at, af);
		if (af == AF_INET6)
			break;
	}
	if (j->vnet) {
		scan_vnet(w, j, d);
		if (rc != NULL)
			jail_rc(w, j, rc);
	}
}

/* The interface of the world holding address a (its index), -1. */
static int
holder(const struct adm_world *w, const struct adm_addr *a, int *ai)
{
	int i, k;

	for (i = 0; i < w->nifs; i++)
		for (k = 0; k < w->ifs[i].naddr; k++)
			if (adm_addr_eq(&w->ifs[i].addr[k], a)) {
				*ai = k;
				return (i);
			}
	return (-1);
}

/* A non-VNET jail's addresses: on the interface it names, or on the one rc.conf put
 * the address on (which then is the jail's, not the host's). */
static void
place_plain(struct adm_world *w, struct adm_jail *j)
{
	struct adm_jaddr *x;
	struct adm_if *ifp;
	char b[64];
	int i, h, ai;

	for (i = 0; i < j->naddr; i++) {
		x = &j->addr[i];
		adm_addr_str(&x->a, b, sizeof(b));
		if ((h = holder(w, &x->a, &ai)) != -1) {
			ifp = &w->ifs[h];
			if (x->ifname[0] != '\0' && strcmp(x->ifname, ifp->name) != 0)
				adm_warn(w, x->a.at.file, x->a.at.line, "jail %s: %s is on %s "
				    "(%s:%d), not %s", j->name, b, ifp->name,
				    ifp->addr[ai].at.file, ifp->addr[ai].at.line, x->ifname);
			snprintf(x->ifname, sizeof(x->ifname), "%s", ifp->name);
			if (!x->plen_given)
				x->a.plen = ifp->addr[ai].plen;
			x->plen_given = 1;
			memmove(&ifp->addr[ai], &ifp->addr[ai + 1], (size_t)(ifp->naddr - ai -
			    1) * sizeof(ifp->addr[0]));
			ifp->naddr--;
			continue;
		}
		if (!x->plen_given)
			x->a.plen = x->a.af == AF_INET ? 32 : 128;
		if (x->ifname[0] == '\0') {
			adm_err(w, x->a.at.file, x->a.at.line, "jail %s: %s is on no interface "
			    "(no rc.conf line gives it, and the jail names none): write "
			    "ip%s.addr = \"IF|%s\", or give it with --jail %s=IF|%s", j->name, b,
			    x->a.af == AF_INET ? "4" : "6", b, j->name, b);
			continue;
		}
		if (adm_if_get(w, x->ifname, 0, NULL) == NULL)
			adm_err(w, x->a.at.file, x->a.at.line, "jail %s: interface %s is in no "
			    "rc.conf line (cloned_interfaces, ifconfig_%s): declare it with "
			    "--if %s", j->name, x->ifname, x->ifname, x->ifname);
	}
}

/* A VNET jail: its address and the bridge its epair joins (the one its commands
 * name, else the one whose network holds its address). */
static void
place_vnet(struct adm_world *w, struct adm_jail *j)
{
	struct adm_if *ifp;
	int i, k;

	if (j->external[0] != '\0') {
		adm_err(w, j->bridge_at.file, j->bridge_at.line, "jail %s: its epair is "
		    "bridged to the NIC %s (jib): a VNET jail on the external wire is not a "
		    "world the harness builds", j->name, j->external);
		return;
	}
	if (j->naddr == 0) {
		adm_err(w, j->at.file, j->at.line, "jail %s: a VNET jail whose address the "
		    "files do not say (set inside the jail: its rc.conf under --root, or "
		    "exec.start's ifconfig); give it with --jail %s=ADDR/LEN", j->name,
		    j->name);
		return;
	}
	for (i = 0; i < j->naddr; i++)
		if (!j->addr[i].plen_given)
			j->addr[i].a.plen = j->addr[i].a.af == AF_INET ? 32 : 128;
	if (j->bridge[0] != '\0') {
		if ((ifp = adm_if_get(w, j->bridge, 0, NULL)) == NULL ||
		    ifp->kind != ADM_IF_BRIDGE)
			adm_err(w, j->bridge_at.file, j->bridge_at.line, "jail %s: bridge %s "
			    "is in no rc.conf line (cloned_interfaces=\"%s\", ifconfig_%s="
			    "\"inet ADDR/LEN\"): declare it with --if %s=ADDR/LEN", j->name,
			    j->bridge, j->bridge, j->bridge, j->bridge);
		return;
	}
	for (i = 0; i < w->nifs && j->bridge[0] == '\0'; i++) {
		ifp = &w->ifs[i];
		if (ifp->kind != ADM_IF_BRIDGE)
			continue;
		for (k = 0; k < ifp->naddr; k++)
			if (adm_addr_in(&j->addr[0].a, ifp->addr[k].a, ifp->addr[k].af,
			    ifp->addr[k].plen))
				snprintf(j->bridge, sizeof(j->bridge), "%s", ifp->name);
	}
	if (j->bridge[0] == '\0')
		adm_err(w, j->at.file, j->at.line, "jail %s: no bridge of the host holds its "
		    "network (its epair joins one with `ifconfig BRIDGE addm EPAIRa` in "
		    "exec.prestart)", j->name);
}

void
adm_jail_place(struct adm_world *w)
{
	int i;

	for (i = 0; i < w->njail; i++) {
		if (w->jail[i].vnet)
			place_vnet(w, &w->jail[i]);
		else
			place_plain(w, &w->jail[i]);
	}
}
