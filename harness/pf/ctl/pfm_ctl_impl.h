/* pfm_ctl_impl.h: what the files of pfctl's emulation share (pf/ctl): one run's
 * options, in the order FreeBSD 14's pfctl acts on them. */
#ifndef PFM_CTL_IMPL_H
#define PFM_CTL_IMPL_H

#include <stdint.h>
#include <stdio.h>

#include "pf/eval/pfm_impl.h"

#define CTL_KILL_MAX	2

struct ctl {
	struct pfm		*pf;
	FILE			*out, *err;	/* pfctl's standard output and error */
	const char		*input;		/* what `-f -` reads */
	const struct pfm_load_opts *lo;
	uint64_t		 now_ms;
	/* options */
	char			 anchor[1024];	/* -a, without a trailing "*" */
	int			 anchor_set, recurse;	/* -a given; it ended in "*" */
	int			 dflag, eflag, nflag, qflag, vflag, zflag, gflag, Mflag, Pflag;
	int			 optimize;	/* -o: PFM_OPT_OPTIMIZE_*, or 0 */
	const char		*show, *flush, *file, *table, *tcmd, *ifname, *debug;
	const char		*kill[CTL_KILL_MAX], *skill[CTL_KILL_MAX];
	int			 nkill, nskill;
	char *const		*targs;		/* -T's addresses */
	int			 ntargs;
};

/* pfctl's messages: a warnx/errx line ("pfctl: " and the text) on standard error. */
void	ctl_warnx(struct ctl *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* A plain line on standard error unless -q (enable, flush, kill, table summaries). */
void	ctl_info(struct ctl *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The usage text on standard error; returns pfctl's status for it, 1. */
int	ctl_usage(struct ctl *);
/* A file pfctl names, relative to the load options' basedir (buf holds it). */
const char *ctl_path(const struct ctl *, const char *file, char *buf, size_t len);
/* The anchor -a names, or NULL for the main ruleset. */
const char *ctl_anchor(const struct ctl *);
/* An ADDR[/LEN] host argument (pfctl_addrprefix): its family (4 or 6), address and
 * mask into k's src (dst when second). 0, or -1 after pfctl's message. */
int	ctl_kill_addr(struct ctl *, const char *arg, struct pfm_kill *k, int second);

/* The index in list (NULL-ended) of the first word word is a prefix of, or -1
 * (pfctl's abbreviations of -s, -F, -T). */
int	ctl_lookup(const char *const *list, const char *word);
/* What pfctl would print that the model cannot: said on standard error; status 1. */
int	ctl_unmodelled(struct ctl *, const char *what);

/* The release whose pfctl this run follows is FreeBSD 15 (the load options' release;
 * 14 without them). */
static inline int
ctl_fb15(const struct ctl *c)
{
	return (c->lo != NULL && c->lo->freebsd == PFM_FREEBSD_15);
}

/* pfm_ctl_show.c: -s MODIFIER; pfctl's status. */
int	ctl_show(struct ctl *);
/* pfm_ctl_table.c: -t TABLE -T COMMAND [ADDR...]; pfctl's status. */
int	ctl_table(struct ctl *);
/* 1 when -T names load (by a prefix, as pfctl looks it up). */
int	ctl_table_is_load(const struct ctl *);
/* pfm_ctl_kill.c: -F MODIFIER, -k, -K; pfctl's status. */
int	ctl_flush(struct ctl *);
int	ctl_kill(struct ctl *);
int	ctl_kill_sources(struct ctl *);

#endif
