/* admin_tutil.c: helpers of the admin files' suites (admin_test.c, admin_world_test.c):
 * files written in the test's folder, the world they make, its addresses and messages. */
#include <sys/types.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/adm_impl.h"
#include "admin_tutil.h"
#include "tutil.h"

/* name in the test's folder (subfolders made), written with text; its path. */
const char *
at_put(const char *name, const char *text)
{
	static char path[8][1024];
	static int k;
	char *p = path[k++ % 8], *slash;
	FILE *f;

	tut_tmp_path(p, sizeof(path[0]), name);
	for (slash = strchr(p + strlen(tut_tmp_dir()) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		(void)mkdir(p, 0755);
		*slash = '/';
	}
	if ((f = fopen(p, "w")) == NULL)
		TUT_FATAL("cannot write %s", p);
	fputs(text, f);
	fclose(f);
	return (p);
}

/* A world of an rc.conf and a jail.conf (either NULL), finished. */
struct adm_world *
at_world(const char *rc, const char *jails)
{
	struct adm_world *w = adm_world_new(NULL);

	if (w == NULL)
		TUT_FATAL("out of memory");
	if (rc != NULL)
		(void)adm_read_rc(w, at_put("rc.conf", rc));
	if (jails != NULL)
		(void)adm_read_jails(w, at_put("jail.conf", jails));
	adm_world_finish(w);
	return (w);
}

/* 1 when interface name has address text (ADDR/LEN). */
int
at_has(const struct adm_world *w, const char *name, const char *text)
{
	const struct adm_if *ifp = adm_world_iface(w, name);
	char b[64], t[80];
	int k;

	for (k = 0; ifp != NULL && k < ifp->naddr; k++) {
		snprintf(t, sizeof(t), "%s/%d", adm_addr_str(&ifp->addr[k], b, sizeof(b)),
		    ifp->addr[k].plen);
		if (strcmp(t, text) == 0)
			return (1);
	}
	return (0);
}

int
at_naddr(const struct adm_world *w, const char *name)
{
	const struct adm_if *ifp = adm_world_iface(w, name);

	return (ifp != NULL ? ifp->naddr : -1);
}

const char *
at_msg(const struct adm_world *w)
{
	return (adm_world_messages(w));
}
