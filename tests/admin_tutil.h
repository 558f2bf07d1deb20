/* admin_tutil.h: helpers of the admin files' suites (admin_test.c, admin_world_test.c):
 * files written in the test's folder, the world they make, its addresses and messages. */
#ifndef ADMIN_TUTIL_H
#define ADMIN_TUTIL_H

#include <string.h>

#include "admin/adm.h"
#include "tutil.h"

/* name in the test's folder (subfolders made), written with text; its path (one of
 * eight kept in turn). */
const char *at_put(const char *name, const char *text);
/* A world of an rc.conf and a jail.conf (either NULL), finished; adm_world_free it. */
struct adm_world *at_world(const char *rc, const char *jails);
/* 1 when interface name has address text (ADDR/LEN). */
int	at_has(const struct adm_world *, const char *name, const char *text);
/* The number of addresses of interface name, -1 when there is no such interface. */
int	at_naddr(const struct adm_world *, const char *name);
/* The world's messages. */
const char *at_msg(const struct adm_world *);

/* The test stops unless the world's messages hold text. */
#define AT_HAS_MSG(w, text) do {					\
	if (strstr(at_msg(w), (text)) == NULL)				\
		TUT_FATAL("no message \"%s\" in:\n%s", (text), at_msg(w));	\
} while (0)

#endif
