/* gen_freebsd.h: what gen_freebsd.c exports beyond gen_tmpl.h's gen_sys_*, for its
 * test: how many of the frames written an epair really carried. */
#ifndef BENCH_GEN_FREEBSD_H
#define BENCH_GEN_FREEBSD_H

#include <stdint.h>

/* Frames carried when `written` frames were written and the interface's output-drop
 * counter went from oqdrops0 to oqdrops1 meanwhile (never below 0, never above
 * written). */
uint64_t gen_fbsd_carried(uint64_t written, uint64_t oqdrops0, uint64_t oqdrops1);

#endif
