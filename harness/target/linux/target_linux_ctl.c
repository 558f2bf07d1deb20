/* target_linux_ctl.c: the linux target's runtime steps: pfctl and sysctl act on the
 * model the hook runs (held still meanwhile), and `wait` moves the hook's pf clock on. */
#include <sys/socket.h>

#include <stdio.h>
#include <string.h>

#include "netns.h"
#include "target/pfmctl.h"
#include "target_linux_impl.h"

int
tl_pfctl(struct target *t, const struct scn_pfctl *c, struct target_pfctl *r,
    struct diag *d)
{
	struct pfm *pf = nfq_pf_lock(t->nfq);
	int rc;

	if (pf == NULL) {
		nfq_pf_unlock(t->nfq);
		diag_add(d, t->scn->path, 0, "linux: pfctl before the ruleset was loaded");
		return (-1);
	}
	rc = pfmctl_run(pf, c, t->scn, t->has_services ? t->services : NULL,
	    nfq_pf_now(t->nfq), r, d);
	nfq_pf_unlock(t->nfq);
	return (rc);
}

int
tl_sysctl(struct target *t, const char *name, const char *value, struct diag *d)
{
	struct pfm *pf;
	char err[512];
	int rc;

	if (scn_sysctl_is_host(name)) {		/* the host's forwarding, not pf's */
		if (netns_forwarding(t->hostns, t->scn, strstr(name, "inet6") != NULL ?
		    AF_INET6 : AF_INET, strcmp(value, "0") != 0, err, sizeof(err)) == 0)
			return (0);
		diag_add(d, t->scn->path, 0, "linux: sysctl %s=%s: %s", name, value, err);
		return (-1);
	}
	pf = nfq_pf_lock(t->nfq);
	rc = pf != NULL ? pfm_sysctl(pf, name, value) : -1;

	nfq_pf_unlock(t->nfq);
	if (rc == -1)
		diag_add(d, t->scn->path, 0, "unknown sysctl %s", name);
	return (rc);
}

int
tl_wait(struct target *t, uint64_t ms, struct diag *d)
{
	(void)d;
	nfq_clock_advance(t->nfq, ms);
	return (0);
}
