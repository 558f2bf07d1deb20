/* pfhost.c: a scenario's host as pf sees it (pfhost.h). */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfhost.h"

#define PFHOST_LO0	"lo0"

/* Add a to ifp; 0, or -1 with the scenario line that asked for one too many. */
static int
add(struct pfm_if *ifp, const struct pkt_addr *a, int plen, const struct scn *s,
    int line, struct diag *d)
{
	if (pfm_host_addr(ifp, a->af, a->a, plen) == 0)
		return (0);
	diag_add(d, s->path, line, "more than %d addresses on %s", PFM_IF_ADDRS,
	    ifp->name);
	return (-1);
}

int
target_pfhost(const struct scn *s, struct pfm_host *h, char *jail_if, struct diag *d)
{
	static const char *const lo0[][2] = {
		{ "127.0.0.1", "8" }, { "::1", "128" }, { "fe80::1", "64" } };
	struct pfm_if *ext, *lo, *jl;
	struct pkt_addr a;
	size_t i;
	int j, k;

	memset(h, 0, sizeof(*h));
	if ((ext = pfm_host_if(h, s->host_if)) == NULL ||
	    (lo = pfm_host_if(h, PFHOST_LO0)) == NULL) {
		diag_add(d, s->path, s->host_line, "interface name \"%s\" refused by the "
		    "model", s->host_if);
		return (-1);
	}
	if (s->host_addr.af != 0 && add(ext, &s->host_addr, s->host_plen, s,
	    s->host_line, d) == -1)
		return (-1);
	for (i = 0; i < sizeof(lo0) / sizeof(lo0[0]); i++) {
		(void)pkt_addr_parse(lo0[i][0], &a);
		(void)add(lo, &a, (int)strtol(lo0[i][1], NULL, 10), s, 0, d);
	}
	jl = lo;
	if (s->lo_if[0] != '\0' && strcmp(s->lo_if, PFHOST_LO0) != 0) {
		if (strcmp(s->lo_if, s->host_if) == 0) {
			diag_add(d, s->path, s->lo_line,
			    "loopback %s has the name of the host interface", s->lo_if);
			return (-1);
		}
		if ((jl = pfm_host_if(h, s->lo_if)) == NULL) {
			diag_add(d, s->path, s->lo_line, "interface name \"%s\" refused "
			    "by the model", s->lo_if);
			return (-1);
		}
		(void)pfm_host_group(jl, "lo");
	}
	snprintf(jail_if, PFM_IFNAMSIZ, "%s", jl->name);
	for (j = 0; j < s->njail; j++)
		for (k = 0; k < s->jail[j].naddr; k++)
			if (add(jl, &s->jail[j].addr[k], s->jail[j].addr[k].af ==
			    AF_INET6 ? 128 : 32, s, s->jail[j].line, d) == -1)
				return (-1);
	return (0);
}
