/* gen.c: the benchmark's packet generator (gen.h), the same on every system: open (the
 * template built, the platform's send path opened), send, rewind, close; the
 * template's frames for the unit tests. The send path is the platform's (gen_linux.c,
 * TX ring; gen_freebsd.c, BPF). */
#include <stdio.h>
#include <stdlib.h>

#include "gen.h"
#include "gen_tmpl.h"

size_t
gen_frame_len(const struct bench_gen *g)
{
	return (g->t.len);
}

void
gen_patch(const struct bench_gen *g, uint64_t flow, uint8_t *buf)
{
	gen_tmpl_patch(&g->t, flow, buf);
}

struct bench_gen *
gen_open(const char *ifname, const struct gen_spec *s, char *err, size_t errlen)
{
	struct bench_gen *g;

	if ((g = calloc(1, sizeof(*g))) == NULL) {
		snprintf(err, errlen, "generator: out of memory");
		return (NULL);
	}
	if (gen_tmpl_build(&g->t, s, gen_sys_frame_max(), err, errlen) == -1 ||
	    (ifname != NULL && (g->sys = gen_sys_open(ifname, err, errlen)) == NULL)) {
		gen_close(g);
		return (NULL);
	}
	return (g);
}

void
gen_rewind(struct bench_gen *g)
{
	g->next = 0;
}

void
gen_close(struct bench_gen *g)
{
	if (g == NULL)
		return;
	gen_sys_close(g->sys);
	free(g);
}

int
gen_send(struct bench_gen *g, uint64_t count, double pps, double max_s,
    volatile sig_atomic_t *stop, struct gen_result *r, char *err, size_t errlen)
{
	return (gen_sys_send(g, count, pps, max_s, stop, r, err, errlen));
}
