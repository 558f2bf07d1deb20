/* adm_ifargs.c: ifconfig(8)'s arguments as rc.conf gives them (`inet 192.0.2.1/24 mtu
 * 9000 group egress up`): the address and its netmask or prefix length, and the
 * parameters that change what pf sees (up, down, mtu, group, name, addm); network.subr's
 * pseudo words (DHCP, SYNCDHCP, NOAUTO, WPA) and its address ranges. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adm_impl.h"

#define ADM_RANGE_MAX	2048	/* network.subr's netif_ipexpand_max */

/* Parameters that take one argument, which is not an address (ifconfig(8)). */
static const char *const one_arg[] = {
	"description", "descr", "media", "mediaopt", "-mediaopt", "mode", "ssid",
	"country", "channel", "wlandev", "wlanmode", "vhid", "advskew", "pass", "state",
	"vnet", "-vnet", "metric", "fib", "tunnelfib", "laggproto", "lagghash", "vlan",
	"vlandev", "vlanproto", "vlanpcp", "lladdr", "pltime",
	"vltime", "deletem", "-group", "priority", "maxaddr", "timeout", "maxage",
	"fwddelay", "hellotime", "holdcnt", "ifpriority", "ifpathcost", "stp", "-stp",
	"edge", "-edge", "span", "-span", "private", "-private", "learn", "-learn",
	"discover", "-discover", "sticky", "-sticky", "autoedge", "-autoedge", "ptp",
	"-ptp", "autoptp", "-autoptp", "static", "deladdr", "-laggport", "rss",
	"vxlanid", "vxlanlocal", "vxlanremote", "vxlangroup", "vxlandev", "vxlanttl",
	"vxlanlocalport", "vxlanremoteport", "bssid", "authmode", "wepmode", "wepkey",
	"weptxkey", "txpower", "wme", "roaming", "bintval", "dtimperiod", "bgscanidle",
	"bgscanintvl", "scanvalid", "ucastrate", "mcastrate", "mgtrate", "maxretry",
	"protmode", "htprotmode", "ampdulimit", "ampdudensity", "regdomain", "pcp",
};

static int
takes_arg(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(one_arg) / sizeof(one_arg[0]); i++)
		if (strcmp(w, one_arg[i]) == 0)
			return (1);
	return (0);
}

/* 1 when w reads as an address (with a /len or a range). */
static int
looks_addr(const char *w)
{
	size_t i, dots = 0, colons = 0;

	if (w[0] == '\0' || (!isxdigit((unsigned char)w[0]) && w[0] != ':'))
		return (0);
	for (i = 0; w[i] != '\0' && w[i] != '/'; i++) {
		if (w[i] == '.')
			dots++;
		else if (w[i] == ':')
			colons++;
		else if (!isxdigit((unsigned char)w[i]) && w[i] != '-' && w[i] != '%')
			return (0);
	}
	return (dots == 3 || colons >= 2);
}

void
adm_ifargs_free(struct adm_ifargs *a)
{
	free(a->addr);
	a->addr = NULL;
	a->naddr = 0;
}

static int
push(struct adm_ifargs *a, const struct adm_addr *x)
{
	struct adm_addr *na;

	if ((na = adm_grow(a->addr, &a->naddr, sizeof(*na))) == NULL)
		return (-1);
	a->addr = na;
	na[a->naddr - 1] = *x;
	return (0);
}

/* An IPv4 range a.b.c.d-e (one octet a range) with its /len: the first address gets
 * the length (none: /32), the others /32 (ifalias_expand_addr_inet). 0, -1 bad. */
static int
range4(struct adm_world *w, const char *word, const struct adm_at *at,
    struct adm_ifargs *a)
{
	char buf[64], *slash, *oct[4], *save = NULL, *dash, *end, *t;
	struct adm_addr x;
	long lo, hi, plen = 32, v;
	int i, n = 0, ri = -1, k;

	if (snprintf(buf, sizeof(buf), "%s", word) >= (int)sizeof(buf))
		return (-1);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		plen = strtol(slash, &end, 10);
		if (!isdigit((unsigned char)*slash) || *end != '\0' || plen > 32)
			return (-1);
	}
	for (t = strtok_r(buf, ".", &save); t != NULL; t = strtok_r(NULL, ".", &save)) {
		if (n == 4)
			return (-1);
		oct[n++] = t;
	}
	if (n != 4)
		return (-1);
	for (i = 0, lo = hi = 0; i < 4; i++)
		if ((dash = strchr(oct[i], '-')) != NULL) {
			if (ri != -1)
				return (-1);
			ri = i;
			*dash = '\0';
			lo = strtol(oct[i], &end, 10);
			if (*end != '\0' || oct[i][0] == '\0')
				return (-1);
			hi = strtol(dash + 1, &end, 10);
			if (*end != '\0' || dash[1] == '\0')
				return (-1);
		}
	if (ri == -1 || lo > hi || hi > 255)
		return (-1);
	if (hi - lo >= ADM_RANGE_MAX) {
		adm_warn(w, at->file, at->line, "%s: range %s is larger than %d addresses "
		    "(netif_ipexpand_max): the first %d are taken", at->what, word,
		    ADM_RANGE_MAX, ADM_RANGE_MAX);
		hi = lo + ADM_RANGE_MAX - 1;
	}
	memset(&x, 0, sizeof(x));
	x.af = AF_INET;
	x.at = *at;
	for (v = lo; v <= hi; v++) {
		for (k = 0; k < 4; k++) {
			long o = k == ri ? v : strtol(oct[k], &end, 10);

			if (o < 0 || o > 255 || (k != ri && *end != '\0'))
				return (-1);
			x.a[k] = (uint8_t)o;
		}
		x.plen = v == lo ? (int)plen : 32;
		if (push(a, &x) == -1)
			return (-1);
	}
	return (0);
}

/* An IPv6 range PREFIX:X-Y[/len] over the last group (ifalias_expand_addr_inet6): every
 * address gets the length (none: /64). 0, -1 bad. */
static int
range6(const char *word, const struct adm_at *at, struct adm_ifargs *a)
{
	char buf[128], *slash, *dash, *colon, *end, text[160];
	struct adm_addr x;
	unsigned long lo, hi, v;
	long plen = 64;

	if (snprintf(buf, sizeof(buf), "%s", word) >= (int)sizeof(buf))
		return (-1);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		plen = strtol(slash, &end, 10);
		if (!isdigit((unsigned char)*slash) || *end != '\0' || plen > 128)
			return (-1);
	}
	if ((dash = strchr(buf, '-')) == NULL || (colon = strrchr(buf, ':')) == NULL ||
	    colon > dash)
		return (-1);
	*dash = '\0';
	lo = strtoul(colon + 1, &end, 16);
	if (*end != '\0' || colon[1] == '\0')
		return (-1);
	hi = strtoul(dash + 1, &end, 16);
	if (*end != '\0' || dash[1] == '\0' || lo > hi || hi > 0xffff ||
	    hi - lo >= ADM_RANGE_MAX)
		return (-1);
	colon[1] = '\0';
	memset(&x, 0, sizeof(x));
	x.at = *at;
	for (v = lo; v <= hi; v++) {
		snprintf(text, sizeof(text), "%s%lx", buf, v);
		if (inet_pton(AF_INET6, text, x.a) != 1)
			return (-1);
		x.af = AF_INET6;
		x.plen = (int)plen;
		if (push(a, &x) == -1)
			return (-1);
	}
	return (0);
}

/* The address word (ADDR[/LEN] or a range) into a; the family of a->addr[last]. */
static int
address(struct adm_world *w, const char *word, int af, int ranges,
    const struct adm_at *at, struct adm_ifargs *a, int *given)
{
	struct adm_addr x;

	*given = 1;
	if (ranges && strchr(word, '-') != NULL)
		return (af == AF_INET6 || strchr(word, ':') != NULL ? range6(word, at, a) :
		    range4(w, word, at, a));
	if (adm_addr_parse(word, &x, given) == -1 || (af != 0 && x.af != af))
		return (-1);
	x.at = *at;
	return (push(a, &x));
}

int
adm_ifargs(struct adm_world *w, const char *args, int af, int ranges,
    const struct adm_at *at, struct adm_ifargs *a)
{
	char word[256], arg[256];
	const char *s = args, *next;
	int first = -1, given = 1, mask = -1, have = 0, i, prev = 0;
	long n;
	char *end;

	memset(a, 0, sizeof(*a));
	while ((next = adm_word(s, word, sizeof(word))) != NULL) {
		s = next;
		if (strcasecmp(word, "DHCP") == 0 || strcasecmp(word, "SYNCDHCP") == 0 ||
		    strcasecmp(word, "NOSYNCDHCP") == 0) {
			a->dhcp = 1;
			a->syncdhcp |= strcasecmp(word, "SYNCDHCP") == 0;
		} else if (strcasecmp(word, "WPA") == 0 || strcasecmp(word, "HOSTAP") == 0)
			a->wpa = 1;
		else if (strcasecmp(word, "NOAUTO") == 0)
			a->noauto = 1;
		else if (strcasecmp(word, "AUTO") == 0)
			;
		else if (strcmp(word, "inet") == 0)
			af = AF_INET, have = 0;
		else if (strcmp(word, "inet6") == 0)
			af = AF_INET6, have = 0;
		else if (strcmp(word, "link") == 0 || strcmp(word, "ether") == 0) {
			/* a link-level address: not what pf sees */
			if ((next = adm_word(s, arg, sizeof(arg))) != NULL)
				s = next;
		} else if (looks_addr(word) && have < 2) {
			if (have == 1) {
				/* the destination of a point-to-point link: pf sees only the
				 * local address */
				have = 2;
				continue;
			}
			if (first == -1)
				first = a->naddr;
			prev = a->naddr;
			if (address(w, word, af, ranges, at, a, &given) == -1) {
				adm_err(w, at->file, at->line, "%s: bad address \"%s\"",
				    at->what, word);
				return (-1);
			}
			if (af == 0)
				af = a->addr[a->naddr - 1].af;
			have = 1;
		} else if (strcmp(word, "netmask") == 0 || strcmp(word, "prefixlen") == 0) {
			if ((s = adm_word(s, arg, sizeof(arg))) == NULL)
				goto missing;
			if (strcmp(word, "netmask") == 0)
				mask = adm_mask_len(arg);
			else {
				n = strtol(arg, &end, 10);
				mask = isdigit((unsigned char)arg[0]) && *end == '\0' &&
				    n <= 128 ? (int)n : -1;
			}
			if (mask < 0) {
				adm_err(w, at->file, at->line, "%s: bad %s \"%s\"", at->what,
				    word, arg);
				return (-1);
			}
		} else if (strcmp(word, "alias") == 0 || strcmp(word, "add") == 0)
			a->alias = 1;
		else if (strcmp(word, "-alias") == 0 || strcmp(word, "delete") == 0)
			a->remove = 1;
		else if (strcmp(word, "up") == 0)
			a->up = 1;
		else if (strcmp(word, "down") == 0)
			a->down = 1;
		else if (strcmp(word, "accept_rtadv") == 0)
			a->slaac = 1;
		else if (strcmp(word, "eui64") == 0)
			a->eui64 = 1;
		else if (strcmp(word, "mtu") == 0) {
			if ((s = adm_word(s, arg, sizeof(arg))) == NULL)
				goto missing;
			n = strtol(arg, &end, 10);
			if (!isdigit((unsigned char)arg[0]) || *end != '\0' || n < 72 ||
			    n > 65535) {
				adm_err(w, at->file, at->line, "%s: bad mtu \"%s\"", at->what,
				    arg);
				return (-1);
			}
			a->mtu = (int)n;
		} else if (strcmp(word, "group") == 0) {
			if ((s = adm_word(s, arg, sizeof(arg))) == NULL)
				goto missing;
			if (strlen(arg) >= ADM_IFNAMSIZ || isdigit((unsigned char)
			    arg[strlen(arg) - 1]) || a->ngroup == ADM_GROUPS) {
				/* ifconfig: a group name may not end in a digit */
				adm_err(w, at->file, at->line, "%s: bad group name \"%s\"",
				    at->what, arg);
				return (-1);
			}
			(void)adm_strcpy(a->group[a->ngroup++], ADM_IFNAMSIZ, arg);
		} else if (strcmp(word, "name") == 0) {
			if ((s = adm_word(s, arg, sizeof(arg))) == NULL)
				goto missing;
			(void)adm_strcpy(a->rename, sizeof(a->rename), arg);
		} else if (strcmp(word, "addm") == 0 || strcmp(word, "laggport") == 0) {
			if ((s = adm_word(s, arg, sizeof(arg))) == NULL)
				goto missing;
			if (a->nmember < ADM_MEMBERS)
				(void)adm_strcpy(a->member[a->nmember++], ADM_IFNAMSIZ, arg);
		} else if (strcmp(word, "tunnel") == 0) {
			/* gif/gre outer addresses: not the interface's own */
			if ((s = adm_word(s, arg, sizeof(arg))) == NULL ||
			    (s = adm_word(s, arg, sizeof(arg))) == NULL)
				goto missing;
		} else if (takes_arg(word)) {
			if (strcmp(word, "vhid") == 0)
				a->vhid = 1;
			if ((next = adm_word(s, arg, sizeof(arg))) != NULL)
				s = next;
		}
		/* any other word is a parameter pf does not see (-rxcsum, tso, ...) */
		if (mask >= 0 && a->naddr > prev) {
			/* netmask/prefixlen after the address: every address of it */
			for (i = prev; i < a->naddr; i++)
				a->addr[i].plen = i == prev || a->addr[i].af == AF_INET6 ? mask :
				    a->addr[i].plen;
			given = 1;
			mask = -1;
		}
	}
	if (mask >= 0) {
		adm_err(w, at->file, at->line, "%s: a netmask or prefixlen with no address",
		    at->what);
		return (-1);
	}
	if (first != -1 && !given) {
		struct adm_addr *x = &a->addr[first];
		char b[64];

		if (x->af == AF_INET6)
			x->plen = 64;	/* ifconfig's default prefixlen */
		else {
			x->plen = adm_classful(x->a);
			adm_warn(w, at->file, at->line, "%s: %s has no netmask: FreeBSD takes "
			    "the historical classful /%d", at->what, adm_addr_str(x, b,
			    sizeof(b)), x->plen);
		}
	}
	return (0);
missing:
	adm_err(w, at->file, at->line, "%s: \"%s\" wants a value", at->what, word);
	return (-1);
}
