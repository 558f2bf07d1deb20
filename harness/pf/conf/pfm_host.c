/* pfm_host.c: the host pfctl runs on, as the model is told of it: the default one
 * (lo0 only), interfaces and their addresses added one by one or from an `--if`
 * specification. */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"

struct pfm_if *
pfm_host_if(struct pfm_host *h, const char *name)
{
	struct pfm_if *ifp;
	int i;

	for (i = 0; i < h->niface; i++)
		if (strcmp(h->iface[i].name, name) == 0)
			return (&h->iface[i]);
	if (h->niface == PFM_HOST_IFS || name[0] == '\0' || strlen(name) >= PFM_IFNAMSIZ)
		return (NULL);
	ifp = &h->iface[h->niface++];
	memset(ifp, 0, sizeof(*ifp));
	memcpy(ifp->name, name, strlen(name) + 1);	/* length checked above */
	/* FreeBSD puts every cloned loopback in group lo */
	if (strncmp(name, "lo", 2) == 0 && name[2] >= '0' && name[2] <= '9')
		pfm_host_group(ifp, "lo");
	return (ifp);
}

int
pfm_host_group(struct pfm_if *ifp, const char *group)
{
	int i;

	for (i = 0; i < ifp->ngroup; i++)
		if (strcmp(ifp->group[i], group) == 0)
			return (0);
	if (ifp->ngroup == (int)(sizeof(ifp->group) / sizeof(ifp->group[0])) ||
	    strlen(group) >= PFM_IFNAMSIZ)
		return (-1);
	memcpy(ifp->group[ifp->ngroup++], group, strlen(group) + 1);
	return (0);
}

int
pfm_host_addr(struct pfm_if *ifp, int af, const void *addr, int plen)
{
	struct pfm_ifaddr *ia;

	if (ifp->naddr == PFM_IF_ADDRS)
		return (-1);
	ia = &ifp->addr[ifp->naddr++];
	memset(ia, 0, sizeof(*ia));
	ia->af = af;
	memcpy(ia->addr, addr, af == AF_INET ? 4 : 16);
	ia->plen = plen;
	return (0);
}

/* One ADDR[/LEN] of an --if specification into ifp; 0, or -1 with err. */
static int
spec_addr(struct pfm_if *ifp, char *a, char *err, size_t errlen)
{
	uint8_t buf[16];
	char *slash, *end;
	long plen;
	int af, max;

	if ((slash = strchr(a, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, a, buf) == 1)
		af = AF_INET, max = 32;
	else if (inet_pton(AF_INET6, a, buf) == 1)
		af = AF_INET6, max = 128;
	else {
		snprintf(err, errlen, "bad address \"%s\"", a);
		return (-1);
	}
	plen = max;
	if (slash != NULL && ((plen = strtol(slash, &end, 10)) < 0 || plen > max ||
	    *slash == '\0' || *end != '\0')) {
		snprintf(err, errlen, "bad prefix length \"/%s\" of %s", slash, a);
		return (-1);
	}
	if (pfm_host_addr(ifp, af, buf, (int)plen) == -1) {
		snprintf(err, errlen, "more than %d addresses on %s", PFM_IF_ADDRS,
		    ifp->name);
		return (-1);
	}
	return (0);
}

int
pfm_host_add(struct pfm_host *h, const char *spec, char *err, size_t errlen)
{
	char buf[4096], *eq, *a, *save = NULL;
	struct pfm_if *ifp;

	if (strlen(spec) >= sizeof(buf)) {
		snprintf(err, errlen, "too long");
		return (-1);
	}
	memcpy(buf, spec, strlen(spec) + 1);
	if ((eq = strchr(buf, '=')) != NULL)
		*eq++ = '\0';
	if ((ifp = pfm_host_if(h, buf)) == NULL) {
		if (buf[0] == '\0' || strlen(buf) >= PFM_IFNAMSIZ)
			snprintf(err, errlen, "bad interface name \"%s\"", buf);
		else
			snprintf(err, errlen, "more than %d interfaces", PFM_HOST_IFS);
		return (-1);
	}
	for (a = eq != NULL ? strtok_r(eq, ",", &save) : NULL; a != NULL;
	    a = strtok_r(NULL, ",", &save))
		if (spec_addr(ifp, a, err, errlen) == -1)
			return (-1);
	return (0);
}

void
pfm_host_default(struct pfm_host *h)
{
	struct pfm_if *lo;

	memset(h, 0, sizeof(*h));
	lo = &h->iface[h->niface++];
	snprintf(lo->name, sizeof(lo->name), "lo0");
	snprintf(lo->group[lo->ngroup++], sizeof(lo->group[0]), "lo");
	lo->addr[0].af = AF_INET6;
	lo->addr[0].addr[15] = 1;
	lo->addr[0].plen = 128;
	lo->addr[1].af = AF_INET6;
	lo->addr[1].addr[0] = 0xfe;
	lo->addr[1].addr[1] = 0x80;
	lo->addr[1].addr[15] = 1;
	lo->addr[1].plen = 64;
	lo->addr[2].af = AF_INET;
	lo->addr[2].addr[0] = 127;
	lo->addr[2].addr[3] = 1;
	lo->addr[2].plen = 8;
	lo->naddr = 3;
}
