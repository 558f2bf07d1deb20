/* worldopt.h: the options that give a command the host of an admin's files (--rc,
 * --jails, --bastille, --root) and override it (--if, --group, --jail), for world,
 * check, parse and trace (worldopt.c). */
#ifndef WORLDOPT_H
#define WORLDOPT_H

#include <getopt.h>
#include <stdio.h>

#include "admin/adm.h"
#include "pf/pfm.h"

/* getopt_long codes of the options. */
enum {
	WORLDOPT_RC = 0x1000,
	WORLDOPT_JAILS,
	WORLDOPT_BASTILLE,
	WORLDOPT_ROOT,
	WORLDOPT_IF,
	WORLDOPT_GROUP,
	WORLDOPT_JAIL
};

/* The rows of a getopt_long table; a command puts them in its own. */
#define WORLDOPT_FILES \
	{ "rc", required_argument, NULL, WORLDOPT_RC }, \
	{ "jails", required_argument, NULL, WORLDOPT_JAILS }, \
	{ "bastille", required_argument, NULL, WORLDOPT_BASTILLE }, \
	{ "root", required_argument, NULL, WORLDOPT_ROOT }
#define WORLDOPT_OVERRIDES \
	{ "if", required_argument, NULL, WORLDOPT_IF }, \
	{ "group", required_argument, NULL, WORLDOPT_GROUP }, \
	{ "jail", required_argument, NULL, WORLDOPT_JAIL }

#define WORLDOPT_MAX	64	/* of each option */

struct worldopt {
	const char	*rc[WORLDOPT_MAX], *jails[WORLDOPT_MAX];
	int		 nrc, njails;
	const char	*bastille, *root;
	const char	*ifs[WORLDOPT_MAX], *groups[WORLDOPT_MAX], *jail[WORLDOPT_MAX];
	int		 nifs, ngroups, njail;
	int		 pf_given;	/* the command loads a ruleset of its own (check,
					 * parse, trace): the world's `pf file` is not its */
};

/* Take option ch's argument when ch is one of the world's: 1; 0 when it is not; -1
 * after a message to stderr naming prog (a bad --if, --group or --jail, too many). */
int	worldopt_take(struct worldopt *, int ch, const char *arg, const char *prog);
/* 1 when a file option was given: the host comes from the admin's files. */
int	worldopt_files(const struct worldopt *);
/* The world of the files with the overrides; want: the interfaces a ruleset names
 * (ifconfig_DEFAULT applies to them). Its statements (adm_world_scn) are checked as a
 * scenario's world; what the checks refuse is among the world's messages
 * (adm_world_messages), at the admin's file and line the statement comes from. NULL
 * when out of memory (said). Free with adm_world_free. */
struct adm_world *worldopt_world(const struct worldopt *, const char *prog,
	    char *const *want, int nwant);
/* The host pf sees: the one a run of the world's statements builds (the scenario's
 * world, target_pfhost: interfaces, aliases, the jails' addresses, loopback, bridges,
 * VNET jails' epairs, groups; h is cleared first); or, with no file option, the host
 * the caller put in h with --if and --group added to it. 0, or -1 after a message to
 * err (too many interfaces or groups for the model). */
int	worldopt_host(const struct worldopt *, struct adm_world *, struct pfm_host *h,
	    const char *prog, FILE *err);

#endif
