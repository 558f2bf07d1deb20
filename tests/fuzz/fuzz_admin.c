/* fuzz_admin.c: an admin's files through their readers (harness/admin): the input is an
 * rc.conf when its first byte is even, else a jail.conf (both with the other's minimal
 * half), then the world they make written as scenario statements, those parsed and
 * checked as a scenario's world (scn_parse_world), and each message of the checks told
 * where its statement comes from. Paths the input names (.include) lie under a root
 * that does not exist: nothing outside is read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/adm_impl.h"
#include "fuzz.h"
#include "scn/scn.h"

/* Each `world:N: text` message of d told at statement N's origin. */
static void
tell(const char *world, const char *msgs)
{
	const char *q, *eol;
	char where[1024], told[2048], m[2048];
	size_t len;

	for (q = msgs; *q != '\0'; q = eol != NULL ? eol + 1 : q + len) {
		eol = strchr(q, '\n');
		len = eol != NULL ? (size_t)(eol - q) : strlen(q);
		if (len < 7 || strncmp(q, "world:", 6) != 0)
			continue;
		(void)adm_world_origin(world, atoi(q + 6), where, sizeof(where));
		snprintf(m, sizeof(m), "%.*s", (int)len, q);
		adm_world_retell(world, m, 0, told, sizeof(told));
		adm_world_retell(world, m, 3, told, sizeof(told));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char rc[] = "ifconfig_em0=\"inet 192.0.2.1/24\"\n"
	    "cloned_interfaces=\"lo1 bridge0\"\nifconfig_bridge0=\"inet 10.0.0.1/24\"\n";
	static const char jails[] = "a { ip4.addr = \"lo1|10.1.0.1\"; }\n";
	struct adm_world *w;
	struct adm_jdef *d;
	struct diag dg = { 0 };
	struct scn *s;
	char *text, *world = NULL;
	size_t len = 0;
	FILE *out;
	int n, i, nerr;

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
	if ((out = open_memstream(&world, &len)) != NULL) {
		(void)adm_world_scn(w, out);
		if (fclose(out) == 0) {
			s = scn_parse_world("world", world, &dg, &nerr);
			tell(world, diag_text(&dg));
			scn_free(s);
			diag_free(&dg);
		}
		free(world);
	}
	adm_world_free(w);
	free(text);
	return (0);
}
