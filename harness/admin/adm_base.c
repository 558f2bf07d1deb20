/* adm_base.c: the world's interfaces and addresses as the readers build them, and the
 * address forms the admin's files write (ADDR/LEN, netmasks, classful defaults). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm_impl.h"

/* Cloners and what they make (FreeBSD 14's if_clone users); the cloner's name is the
 * group a cloned interface joins (if_clone.c, if_clone_createif: if_addgroup). */
static const struct {
	const char	*driver;
	enum adm_ifkind	 kind;
} cloners[] = {
	{ "lo", ADM_IF_LOOPBACK }, { "bridge", ADM_IF_BRIDGE }, { "epair", ADM_IF_EPAIR },
	{ "tun", ADM_IF_TUNNEL }, { "tap", ADM_IF_TUNNEL }, { "wg", ADM_IF_TUNNEL },
	{ "gif", ADM_IF_TUNNEL }, { "gre", ADM_IF_TUNNEL }, { "ovpn", ADM_IF_TUNNEL },
	{ "ipsec", ADM_IF_TUNNEL }, { "stf", ADM_IF_TUNNEL }, { "me", ADM_IF_TUNNEL },
	{ "vlan", ADM_IF_ETHER }, { "lagg", ADM_IF_ETHER }, { "vxlan", ADM_IF_ETHER },
	{ "wlan", ADM_IF_ETHER }, { "pflog", ADM_IF_NOADDR }, { "pfsync", ADM_IF_NOADDR },
	{ "enc", ADM_IF_NOADDR },
};

enum adm_ifkind
adm_if_kind(const char *name, char *driver, size_t cap)
{
	size_t i, n = 0;

	while (isalpha((unsigned char)name[n]))
		n++;
	if (cap > 0)
		driver[0] = '\0';
	if (n == 0 || !isdigit((unsigned char)name[n]))
		return (ADM_IF_ETHER);
	for (i = 0; i < sizeof(cloners) / sizeof(cloners[0]); i++)
		if (strlen(cloners[i].driver) == n && strncmp(name, cloners[i].driver, n) == 0) {
			snprintf(driver, cap, "%s", cloners[i].driver);
			return (cloners[i].kind);
		}
	return (ADM_IF_ETHER);
}

struct adm_if *
adm_if_get(struct adm_world *w, const char *name, int add, const struct adm_at *at)
{
	struct adm_if *ni, *ifp;
	int i;

	for (i = 0; i < w->nifs; i++)
		if (strcmp(w->ifs[i].name, name) == 0)
			return (&w->ifs[i]);
	if (!add || name[0] == '\0' || strlen(name) >= ADM_IFNAMSIZ)
		return (NULL);
	if ((ni = adm_grow(w->ifs, &w->nifs, sizeof(*ni))) == NULL)
		return (NULL);
	w->ifs = ni;
	ifp = &ni[w->nifs - 1];
	snprintf(ifp->name, sizeof(ifp->name), "%s", name);
	ifp->kind = adm_if_kind(name, ifp->driver, sizeof(ifp->driver));
	if (at != NULL)
		ifp->at = *at;
	return (ifp);
}

int
adm_if_addr(struct adm_if *ifp, const struct adm_addr *a)
{
	struct adm_addr *na;

	if ((na = adm_grow(ifp->addr, &ifp->naddr, sizeof(*na))) == NULL)
		return (-1);
	ifp->addr = na;
	na[ifp->naddr - 1] = *a;
	return (0);
}

int
adm_if_group(struct adm_if *ifp, const char *g, const struct adm_at *at)
{
	int i;

	for (i = 0; i < ifp->ngroup; i++)
		if (strcmp(ifp->group[i], g) == 0)
			return (0);
	if (ifp->ngroup == ADM_GROUPS || strlen(g) >= ADM_IFNAMSIZ)
		return (-1);
	ifp->group_at[ifp->ngroup] = at != NULL ? *at : ifp->at;
	snprintf(ifp->group[ifp->ngroup++], ADM_IFNAMSIZ, "%s", g);
	return (0);
}

int
adm_mask_len(const char *s)
{
	struct in_addr in;
	unsigned long m;
	char *end;
	int len;

	if (strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0) {
		m = strtoul(s + 2, &end, 16);
		if (s[2] == '\0' || *end != '\0' || strlen(s + 2) > 8)
			return (-1);
	} else if (inet_pton(AF_INET, s, &in) == 1)
		m = ntohl(in.s_addr);
	else
		return (-1);
	m &= 0xffffffffUL;
	for (len = 0; len < 32 && (m & (0x80000000UL >> len)); len++)
		;
	if (len < 32 && (m & (0xffffffffUL >> len)) != 0)
		return (-1);	/* not contiguous */
	return (len);
}

int
adm_classful(const uint8_t *a)
{
	/* in.c, in_aifaddr_ioctl: IN_CLASSA_NET, IN_CLASSB_NET, else IN_CLASSC_NET */
	if ((a[0] & 0x80) == 0)
		return (8);
	if ((a[0] & 0xc0) == 0x80)
		return (16);
	return (24);
}

int
adm_addr_parse(const char *s, struct adm_addr *a, int *given)
{
	char buf[128], *slash, *pct, *end;
	long n;
	int max;

	if (strlen(s) >= sizeof(buf))
		return (-1);
	memset(a->a, 0, sizeof(a->a));
	snprintf(buf, sizeof(buf), "%s", s);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if ((pct = strchr(buf, '%')) != NULL)	/* fe80::1%em0: the scope */
		*pct = '\0';
	if (inet_pton(AF_INET, buf, a->a) == 1)
		a->af = AF_INET, max = 32;
	else if (inet_pton(AF_INET6, buf, a->a) == 1)
		a->af = AF_INET6, max = 128;
	else
		return (-1);
	a->plen = max;
	if (given != NULL)
		*given = slash != NULL;
	if (slash == NULL)
		return (0);
	if (a->af == AF_INET && strchr(slash, '.') != NULL) {
		if ((n = adm_mask_len(slash)) < 0)
			return (-1);
	} else {
		n = strtol(slash, &end, 10);
		if (!isdigit((unsigned char)*slash) || *end != '\0' || n > max)
			return (-1);
	}
	a->plen = (int)n;
	return (0);
}

int
adm_addr_in(const struct adm_addr *a, const uint8_t *net, int af, int plen)
{
	int i;

	if (a->af != af)
		return (0);
	for (i = 0; i < plen; i++)
		if (((a->a[i / 8] ^ net[i / 8]) >> (7 - i % 8)) & 1)
			return (0);
	return (1);
}

int
adm_addr_eq(const struct adm_addr *a, const struct adm_addr *b)
{
	return (a->af == b->af && memcmp(a->a, b->a, a->af == AF_INET ? 4 : 16) == 0);
}

char *
adm_addr_str(const struct adm_addr *a, char *buf, size_t cap)
{
	if (inet_ntop(a->af, a->a, buf, (socklen_t)cap) == NULL)
		snprintf(buf, cap, "?");
	return (buf);
}

void
adm_if_varname(const char *ifname, char *out, size_t cap)
{
	size_t i;

	snprintf(out, cap, "%s", ifname);
	for (i = 0; out[i] != '\0'; i++)
		if (strchr(".-/+", out[i]) != NULL)	/* get_if_var's _punct */
			out[i] = '_';
}

int
adm_strlist(char ***list, int *n, const char *s)
{
	char **nl, *c;

	if ((c = strdup(s)) == NULL)
		return (-1);
	if ((nl = realloc(*list, (size_t)(*n + 1) * sizeof(*nl))) == NULL) {
		free(c);
		return (-1);
	}
	*list = nl;
	nl[(*n)++] = c;
	return (0);
}

char *
adm_path(const struct adm_world *w, const char *path)
{
	size_t len;
	char *p;

	if (w->root == NULL || path[0] != '/')
		return (strdup(path));
	len = strlen(w->root) + strlen(path) + 1;
	if ((p = malloc(len)) != NULL)
		snprintf(p, len, "%s%s", w->root, path);
	return (p);
}

int
adm_strcpy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (cap == 0)
		return (-1);
	if (n >= cap) {
		memcpy(dst, src, cap - 1);
		dst[cap - 1] = '\0';
		return (-1);
	}
	memcpy(dst, src, n + 1);
	return (0);
}
