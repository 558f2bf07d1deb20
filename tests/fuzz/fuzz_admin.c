/* fuzz_admin.c: an admin's files through their readers (harness/admin): the input is an
 * rc.conf when its first byte is even, else a jail.conf (both with the other's minimal
 * half), then the world they make written as scenario statements. Paths the input
 * names (.include) lie under a root that does not exist: nothing outside is read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/adm_impl.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char rc[] = "ifconfig_em0=\"inet 192.0.2.1/24\"\n"
	    "cloned_interfaces=\"lo1 bridge0\"\nifconfig_bridge0=\"inet 10.0.0.1/24\"\n";
	static const char jails[] = "a { ip4.addr = \"lo1|10.1.0.1\"; }\n";
	struct adm_world *w;
	struct adm_jdef *d;
	char *text;
	FILE *out;
	int n, i;

	if (size == 0 || (text = fuzz_text(data + 1, size - 1)) == NULL)
		return (0);
	if ((w = adm_world_new("/nonexistent-fuzz-root")) == NULL) {
		free(text);
		return (0);
	}
	(void)adm_sh_read(w, w->rc, (data[0] & 1) ? rc : text, (data[0] & 1) ?
	    strlen(rc) : strlen(text), "/nonexistent-fuzz-root/rc.conf");
	w->rc_read = 1;
	if (adm_jconf_text(w, "/nonexistent-fuzz-root/jail.conf", (data[0] & 1) ? text :
	    jails, &d, &n) == 0) {
		for (i = 0; i < n; i++)
			adm_jail_add(w, &d[i], NULL);
		adm_jconf_free(d, n);
	}
	if ((out = fopen("/dev/null", "w")) != NULL) {
		(void)adm_world_scn(w, out);
		fclose(out);
	}
	adm_world_free(w);
	free(text);
	return (0);
}
