/* pfmctl.c: a pfctl step on the pf model, its two streams captured. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfmctl.h"

int
pfmctl_run(struct pfm *pf, const struct scn_pfctl *c, const struct scn *s,
    const char *services, uint64_t now_ms, struct target_pfctl *r, struct diag *d)
{
	const char *scn_path = s->path;
	struct pfm_load_opts lo;
	size_t olen = 0, elen = 0;
	char basedir[4096];
	const char *slash;
	FILE *out, *err;

	basedir[0] = '\0';
	if (scn_path != NULL && (slash = strrchr(scn_path, '/')) != NULL)
		snprintf(basedir, sizeof(basedir), "%.*s", (int)(slash - scn_path),
		    scn_path);

	memset(r, 0, sizeof(*r));
	memset(&lo, 0, sizeof(lo));
	/* `-f -` reads the heredoc: its line N is the scenario's line input_line0 + N */
	lo.file = c->input_name;
	lo.line0 = c->input_line0;
	lo.basedir = basedir[0] != '\0' ? basedir : NULL;
	lo.services = services;
	lo.freebsd = s->freebsd;
	out = open_memstream(&r->out, &olen);
	err = open_memstream(&r->err, &elen);
	if (out == NULL || err == NULL) {
		if (out != NULL)
			fclose(out);
		if (err != NULL)
			fclose(err);
		target_pfctl_free(r);
		diag_add(d, NULL, 0, "pfctl: out of memory");
		return (-1);
	}
	r->status = pfm_ctl(pf, c->argc, c->argv, c->input, &lo, now_ms, out, err);
	if (fclose(out) != 0 || fclose(err) != 0 || r->out == NULL || r->err == NULL) {
		target_pfctl_free(r);
		diag_add(d, NULL, 0, "pfctl: out of memory");
		return (-1);
	}
	return (0);
}
