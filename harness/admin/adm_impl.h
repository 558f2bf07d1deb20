/* adm_impl.h: what the admin files' readers share: messages (adm_msg.c), the world's
 * interfaces and paths (adm_base.c), sh assignments (adm_sh.c), ifconfig arguments
 * (adm_ifargs.c), jail.conf (adm_jconf.c) and its jails (adm_jail.c), and where the
 * world's pieces go in a scenario (adm_place.c). */
#ifndef ADM_IMPL_H
#define ADM_IMPL_H

#include "adm.h"

#define ADM_FILE_MAX	(4 * 1024 * 1024)	/* an admin's file, at most */
#define ADM_INCLUDE_DEPTH 32			/* jail.conf's MAX_INCLUDE_DEPTH */

/* adm_msg.c */
/* An error (counted in w->errors) or a warning (`warning: ` before the text), as
 * `file:line: text` (line 0: `file: text`; file NULL: `pfharness: text`). */
void	adm_err(struct adm_world *, const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
void	adm_warn(struct adm_world *, const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
/* The world's copy of a file name (for adm_at.file); "?" when out of memory. */
const char *adm_intern(struct adm_world *, const char *name);
/* at = file:line under the name what. */
void	adm_at_set(struct adm_at *, const char *file, int line, const char *what);
/* Grow arr (*n elements of sz bytes) by one zeroed element at its end; NULL when out
 * of memory (arr unchanged). */
void	*adm_grow(void *arr, int *n, size_t sz);
/* A whole file into a malloc'd, NUL-terminated text (*len bytes): at most
 * ADM_FILE_MAX, a regular file. NULL with why in err (strerror or the like). */
char	*adm_slurp(const char *path, size_t *len, char *err, size_t errlen);

/* adm_base.c */
/* The interface named name (added, its kind and driver from the name, when add and it
 * is new; NULL when out of memory or the name is too long). */
struct adm_if *adm_if_get(struct adm_world *, const char *name, int add,
	    const struct adm_at *at);
/* Add an address to ifp; 0, or -1 when out of memory. */
int	adm_if_addr(struct adm_if *, const struct adm_addr *);
/* Put ifp in group g (once), given at at (NULL: where ifp is named); 0, or -1 when it
 * has ADM_GROUPS already. */
int	adm_if_group(struct adm_if *, const char *g, const struct adm_at *at);
/* The kind and driver (cloner) an interface name says ("lo1": loopback, "lo"). */
enum adm_ifkind adm_if_kind(const char *name, char *driver, size_t cap);
/* ADDR[/LEN] (LEN may be a dotted or 0x mask for IPv4) into a: 0, -1 bad. *given says
 * whether a length was written (a->plen is then it, else the family's full length). */
int	adm_addr_parse(const char *s, struct adm_addr *a, int *given);
/* 1 when a is inside net/plen (the same family). */
int	adm_addr_in(const struct adm_addr *a, const uint8_t *net, int af, int plen);
int	adm_addr_eq(const struct adm_addr *a, const struct adm_addr *b);
/* a's text into buf (cap at least 64); buf. */
char	*adm_addr_str(const struct adm_addr *a, char *buf, size_t cap);
/* A dotted or 0xhex IPv4 netmask into a prefix length; -1 when not one. */
int	adm_mask_len(const char *s);
/* The classful prefix length of an IPv4 address without a mask (in.c's historical
 * default): 8, 16 or 24. */
int	adm_classful(const uint8_t *a);
/* The name of an interface as rc.conf spells it in variables (get_if_var: `.-/+`
 * become `_`) into out. */
void	adm_if_varname(const char *ifname, char *out, size_t cap);
/* src into dst (cap bytes); -1 when it did not fit (dst then holds its start). */
int	adm_strcpy(char *dst, size_t cap, const char *src);
/* Append a copy of s to the list; 0, or -1 when out of memory. */
int	adm_strlist(char ***list, int *n, const char *s);

/* adm_sh.c: sh assignments, as rc.subr sources rc.conf */
struct adm_var {
	char		*name, *value;
	struct adm_at	 at;		/* the assignment that set it last */
};

struct adm_vars {
	struct adm_var	*v;
	int		 n;
};

/* The assignments of a sh text (file names it in messages) into vars, expanded as sh
 * expands them ($VAR, ${VAR}, ${VAR:-word}, quotes, escapes, line continuations);
 * later ones replace earlier ones. What is not an assignment is a warning. The number
 * of errors. */
int	adm_sh_read(struct adm_world *, struct adm_vars *, const char *text, size_t len,
	    const char *file);
const struct adm_var *adm_sh_get(const struct adm_vars *, const char *name);
/* Set name to value (copied); 0 or -1 when out of memory. */
int	adm_sh_set(struct adm_vars *, const char *name, const char *value,
	    const struct adm_at *at);
void	adm_sh_free(struct adm_vars *);
/* The next blank-separated word of s into buf (at most cap - 1 bytes); the rest of s
 * after it, or NULL when there is no word. */
const char *adm_word(const char *s, char *buf, size_t cap);
/* YES/TRUE/ON/1 (any case): 1; NO/FALSE/OFF/0: 0; else -1 (rc.subr's checkyesno). */
int	adm_yesno(const char *v);

/* adm_ifargs.c: ifconfig(8)'s arguments, as rc.conf's ifconfig_IF lines give them */
struct adm_ifargs {
	struct adm_addr	*addr;			/* in order (a range expanded); the first
						 * replaces the interface's unless alias */
	int		naddr;
	int		alias;			/* `alias`, or an alias line */
	int		remove;			/* `-alias`, `delete` */
	int		mtu;
	int		up, down;
	int		dhcp, syncdhcp, wpa, noauto;
	int		slaac, eui64;		/* inet6 accept_rtadv / eui64 */
	char		group[ADM_GROUPS][ADM_IFNAMSIZ];
	int		ngroup;
	char		member[ADM_MEMBERS][ADM_IFNAMSIZ];	/* addm, laggport */
	int		nmember;
	char		rename[ADM_IFNAMSIZ];	/* `name NEW` */
	int		vhid;			/* carp */
};

/* ifconfig arguments (pseudo words DHCP, SYNCDHCP, NOAUTO, WPA too) into a; af is the
 * family words without `inet`/`inet6` are in (0: from the address's form). Address
 * ranges `a.b.c.d-e[/len]` expand as network.subr expands them (the first with len,
 * the rest /32) when ranges is set. 0, or -1 after an error at `at`. */
int	adm_ifargs(struct adm_world *, const char *args, int af, int ranges,
	    const struct adm_at *at, struct adm_ifargs *a);
void	adm_ifargs_free(struct adm_ifargs *);

/* adm_rc.c */
/* rc.conf's variables into the world's interfaces, routes and flags (netif, routing,
 * pf), as the rc scripts apply them. */
void	adm_rc_apply(struct adm_world *);
/* The ifconfig arguments of one interface from vars (an rc.conf: the host's or a
 * jail's), with its renames; for a VNET jail's own rc.conf. name is the interface's
 * name before renames; the name after them into out_name. 0 when some were found. */
int	adm_rc_jail_if(struct adm_world *, const struct adm_vars *, const char *name,
	    struct adm_ifargs *a, char *out_name, size_t cap);

/* adm_jconf.c: jail.conf's grammar and its resolution (config.c's load_config) */
struct adm_jval {
	char		*s;
};

struct adm_jparam {
	char		*name;
	struct adm_jval	*val;
	int		 nval;
	int		 var;		/* `$name = ...`: a variable, not a parameter */
	int		 append;	/* `+=` */
	struct adm_at	 at;
};

/* A jail as jail(8) resolves it: its name and its parameters, variables substituted. */
struct adm_jdef {
	char		*name;
	struct adm_at	 at;
	struct adm_jparam *p;
	int		 np;
	int		 failed;	/* a variable could not be substituted (said) */
};

/* Parse a jail.conf and resolve its jails (wildcards, the global parameters, $name,
 * variables). *defs gets them (free with adm_jconf_free). 0, or -1 when the file cannot
 * be read (said). */
int	adm_jconf_read(struct adm_world *, const char *path, struct adm_jdef **defs,
	    int *ndefs);
/* The same from text (file names it). */
int	adm_jconf_text(struct adm_world *, const char *file, const char *text,
	    struct adm_jdef **defs, int *ndefs);
void	adm_jconf_free(struct adm_jdef *, int);
/* A parameter of d (`no` forms are the same parameter), or NULL. */
const struct adm_jparam *adm_jparam(const struct adm_jdef *, const char *name);
/* A boolean parameter as jail(8)'s bool_param: present and true. */
int	adm_jbool(const struct adm_jdef *, const char *name);

/* adm_jail.c */
/* One resolved jail into the world (addresses, VNET interface and bridge, commands);
 * rcvars: the jail's own rc.conf when known (VNET addresses), or NULL. */
void	adm_jail_add(struct adm_world *, const struct adm_jdef *, const struct adm_vars *);
/* Each jail's addresses placed: on their interface, on the one rc.conf gives the
 * address, on a bridge (VNET). Messages for what stays unknown. */
void	adm_jail_place(struct adm_world *);

/* adm_place.c: where the world's pieces go in a scenario (adm_scn.c writes it) */
enum adm_where { ADM_W_NONE, ADM_W_LOOP, ADM_W_EXT, ADM_W_VNET };
/* net/plen of a (host bits cleared) into out. */
void	adm_addr_masked(const struct adm_addr *a, int plen, struct adm_addr *out);
/* Where jail j lives in the scenario, and on which interface (*ifp, NULL if none). */
enum adm_where adm_where(const struct adm_world *, const struct adm_jail *j,
	    const struct adm_if **ifp);
/* 1 when ifp is a bridge of the host's NICs that no VNET jail joins (written as an
 * external interface). */
int	adm_nic_bridge(const struct adm_world *, const struct adm_if *ifp);
/* 1 when ifp is built as an external interface (a wire). */
int	adm_external(const struct adm_world *, const struct adm_if *ifp);
/* The jails' loopback, its network into *net; NULL (net untouched) when none. */
const struct adm_if *adm_pick_loopback(const struct adm_world *, struct adm_addr *net);
/* The primary interface: the one whose network holds the default router, else the
 * first with an IPv4 network, else the first built; NULL when none has an address. */
const struct adm_if *adm_pick_primary(const struct adm_world *);
/* The interface the host's address would be on (DHCP first, then the first NIC the
 * files name, then any but lo0); NULL when they name none. */
const struct adm_if *adm_first_named(const struct adm_world *);

#endif
