/* adm.h: the world an admin's own files describe (rc.conf, jail.conf, Bastille's layout),
 * read as FreeBSD 14's rc scripts and jail(8) read them, and written out as scenario
 * statements (DESIGN.md, format v2, "The world"). */
#ifndef ADM_H
#define ADM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/diag.h"

#define ADM_IFNAMSIZ	16	/* IFNAMSIZ */
#define ADM_NAME_MAX	64	/* a jail's name */
#define ADM_WHAT_MAX	64	/* a variable's or parameter's name, for messages */
#define ADM_GROUPS	8	/* groups of one interface */
#define ADM_MEMBERS	8	/* members of a bridge or lagg */

/* Where a value was read, and under which name (`ifconfig_em0`, `ip4.addr`). */
struct adm_at {
	const char	*file;		/* the world's own copy of the name (adm_world.file) */
	int		 line;
	char		 what[ADM_WHAT_MAX];
};

struct adm_addr {
	int		af;		/* AF_INET or AF_INET6 */
	uint8_t		a[16];
	int		plen;
	struct adm_at	at;
};

/* What kind of interface: what pf sees is the same for all, what the harness can
 * build is not. */
enum adm_ifkind {
	ADM_IF_ETHER,		/* a NIC, or what is built as one (wlan, lagg, vlan) */
	ADM_IF_LOOPBACK,	/* lo0 and cloned loN */
	ADM_IF_BRIDGE,
	ADM_IF_EPAIR,
	ADM_IF_TUNNEL,		/* tun, tap, wg, gif, gre, ovpn, ipsec */
	ADM_IF_NOADDR		/* pflog, pfsync, enc: no address family (noafif) */
};

struct adm_if {
	char		 name[ADM_IFNAMSIZ];	/* after ifconfig_IF_name renames */
	char		 driver[ADM_IFNAMSIZ];	/* the cloner's name ("lo", "bridge"); "" */
	enum adm_ifkind	 kind;
	int		 cloned;
	struct adm_addr	*addr;			/* in the order rc.conf adds them */
	int		 naddr;
	int		 mtu;			/* 0: not set */
	struct adm_at	 mtu_at;
	int		 up;			/* `up` or an address: it is up */
	int		 dhcp, slaac, eui64;	/* addresses the files do not say */
	struct adm_at	 dhcp_at, slaac_at, eui64_at;
	int		 given;			/* --if NAME=...: its addresses are those */
	char		 group[ADM_GROUPS][ADM_IFNAMSIZ];
	struct adm_at	 group_at[ADM_GROUPS];	/* where each was given */
	int		 ngroup;
	char		 member[ADM_MEMBERS][ADM_IFNAMSIZ];	/* bridge addm, laggport */
	int		 nmember;
	struct adm_at	 at;			/* where it is first named */
};

/* A jail's address: ip4.addr/ip6.addr as `IF|ADDR[/LEN]`, or --jail. */
struct adm_jaddr {
	struct adm_addr	a;
	char		ifname[ADM_IFNAMSIZ];	/* "" when neither `IF|` nor `interface` */
	int		plen_given;		/* /LEN written (else /32, /128) */
};

struct adm_jail {
	char		 name[ADM_NAME_MAX];
	struct adm_at	 at;			/* the jail's `NAME {` line */
	struct adm_jaddr *addr;
	int		 naddr;
	int		 vnet;
	char		 vnet_if[ADM_IFNAMSIZ];	/* vnet.interface (the first one) */
	char		 bridge[ADM_IFNAMSIZ];	/* VNET: the bridge its epair joins, "" */
	struct adm_at	 bridge_at;
	char		 external[ADM_IFNAMSIZ];	/* VNET: bridged to a NIC (jib) */
	struct adm_addr	 gw;			/* VNET: its default router (af 0: none) */
	int		 inherit;		/* ip4 = inherit: the host's stack */
	int		 given;			/* --jail */
	int		 said;			/* a message about its address was given */
	int		 bastille;		/* one of Bastille's jails */
	char		*rdr;			/* Bastille: its rdr.conf, or NULL */
	struct adm_at	 rdr_at;
};

/* A static route: static_routes / route_NAME, ipv6_static_routes. */
struct adm_route {
	struct adm_addr	net, via;
};

struct adm_vars;

/* The world of a host. Build it with adm_world_new, the readers, the overrides, then
 * adm_world_finish; read it (cli: the host pf sees) or write it (adm_world_scn). */
struct adm_world {
	char		*root;		/* --root: absolute paths the files name are under
					 * it; NULL: as they are */
	struct adm_vars	*rc;		/* rc.conf's variables */
	int		 rc_read;	/* an rc.conf was read */
	struct adm_if	*ifs;
	int		 nifs;
	struct adm_jail	*jail;
	int		 njail;
	struct adm_route *route;
	int		 nroute;
	struct adm_addr	 defrouter[2];	/* defaultrouter, ipv6_defaultrouter (af 0: NO) */
	int		 forward[2];	/* gateway_enable, ipv6_gateway_enable: -1 unset */
	struct adm_at	 forward_at[2];
	int		 pf_enable;
	struct adm_at	 pf_at;
	char		*pf_rules;	/* as rc.conf has it (default /etc/pf.conf) */
	struct adm_at	 pf_rules_at;
	char		*ext_if_line;	/* Bastille: pf.conf's `ext_if = ...` line */
	char		**file;		/* the names of the files read, interned */
	int		 nfile;
	char		**want;		/* interfaces a ruleset names (ifconfig_DEFAULT) */
	int		 nwant;
	char		**gspec, **jspec;	/* --group, --jail, applied by finish */
	int		 ngspec, njspec;
	char		*bastille_ext_if;	/* bastille.conf's bastille_network_pf_ext_if */
	char		*bastille_table;	/* bastille_network_pf_table */
	struct diag	 msg;		/* every message, `file:line: text`, in order */
	int		 errors;	/* messages that are not warnings */
	int		 finished;
	int		 written;	/* adm_world_scn's problems were said */
	int		 pf_given;	/* the caller loads the ruleset itself: adm_world_scn
					 * writes no `pf file` and says nothing of it */
};

/* A new, empty world; root (may be NULL) is copied. NULL when out of memory. */
struct adm_world *adm_world_new(const char *root);
void	adm_world_free(struct adm_world *);	/* adm_world_free(NULL) is a no-op */

/* Readers. Each adds to the world and its messages; -1 when the file (or folder)
 * cannot be read at all, else 0 (syntax errors are messages, counted in errors).
 * An rc.conf path may be a folder (rc.conf.d): its files are read in name order.
 * Later assignments win, as when rc.subr sources the files in turn. */
int	adm_read_rc(struct adm_world *, const char *path);
/* A jail.conf (jail.conf(5) of FreeBSD 14: .include, wildcards, variables). */
int	adm_read_jails(struct adm_world *, const char *path);
/* Bastille's layout under PREFIX: jails/NAME/jail.conf for each jail, with the jail's
 * own root/etc/rc.conf (VNET addresses) and rdr.conf (its rdr anchor's rules). */
int	adm_read_bastille(struct adm_world *, const char *prefix);
/* With a root and no file named: ROOT/etc/defaults/rc.conf, /etc/rc.conf,
 * /etc/rc.conf.local, /etc/rc.conf.d, /etc/jail.conf, /etc/jail.conf.d/ *.conf and
 * Bastille's prefix from /usr/local/etc/bastille/bastille.conf, those that exist.
 * rc and jails say which of the two kinds to read. */
int	adm_read_root(struct adm_world *, int rc, int jails);

/* Overrides, from the command line. spec is as the option's argument; 0, or -1 with
 * why in err. --if NAME=ADDR/LEN[,ADDR/LEN...]: the interface's addresses are these
 * (it is added when the files do not name it). */
int	adm_world_if(struct adm_world *, const char *spec, char *err, size_t errlen);
/* --group NAME=IF[,IF...]: interface group membership. */
int	adm_world_group(struct adm_world *, const char *spec, char *err, size_t errlen);
/* --jail NAME=[IF|]ADDR[/LEN][,...]: the jail's addresses are these. */
int	adm_world_jail(struct adm_world *, const char *spec, char *err, size_t errlen);
/* An interface a ruleset names: it exists on the host, so ifconfig_DEFAULT applies
 * to it when rc.conf has no ifconfig_NAME. Before adm_world_finish. */
int	adm_world_want(struct adm_world *, const char *ifname);

/* Apply rc.conf as the rc scripts do (interfaces, renames, addresses, aliases, routes),
 * place the jails' addresses, and say (messages) what the files leave unknown or the
 * harness cannot build, with the option that overrides it. Once. */
void	adm_world_finish(struct adm_world *);

/* The interface named name, or NULL. */
struct adm_if *adm_world_iface(const struct adm_world *, const char *name);
/* The ruleset's path on this machine: pf_rules under the root; NULL when pf is not
 * enabled (pf_enable) or out of memory. malloc'd. */
char	*adm_world_pf_path(const struct adm_world *);
/* A path an admin's file names, on this machine: under the root when one is given and
 * path is absolute. malloc'd, NULL when out of memory. */
char	*adm_path(const struct adm_world *, const char *path);

/* Write the world as scenario statements (each with a comment saying where it comes
 * from), then the ruleset (`pf file PATH`) when pf is enabled, then Bastille's rdr
 * anchors as `pfctl -a rdr/NAME -f` steps. What a scenario cannot express is added to
 * the messages (once). Returns the number of such problems. */
int	adm_world_scn(struct adm_world *, FILE *out);

/* Bastille's rdr rules of jail j (its rdr.conf as `bastille rdr` loads them into
 * anchor rdr/NAME), as pf.conf text; NULL when it has none or out of memory.
 * malloc'd. */
char	*adm_jail_rdr(struct adm_world *, const struct adm_jail *j);

/* The addresses Bastille adds to its table when it starts its jails (start.sh: those
 * of a non-VNET jail the host reaches through a router, not on one of its networks),
 * blank-separated, and the table's name into *table; NULL when there are none.
 * malloc'd. */
char	*adm_bastille_table(struct adm_world *, const char **table);

/* Messages, in order; the number of errors (not warnings). */
const char *adm_world_messages(const struct adm_world *);
/* Line n (from 1) of a text adm_world_scn wrote, as where its statement comes from
 * and the statement: "FILE:LINE: WHAT: `STATEMENT`" (an override: "pfharness: --if
 * em0: `...`"; nothing said: "pfharness: `...`") into out. 0, or -1 when line n holds
 * no statement (out is then "pfharness"). */
int	adm_world_origin(const char *text, int n, char *out, size_t cap);
/* msg (a message about a text adm_world_scn wrote) with each `line N` in it told as
 * `line LINE_AS` (line_as > 0: where the statements are read as a scenario's) or (0)
 * as the file and line statement N comes from, into out. */
void	adm_world_retell(const char *text, const char *msg, int line_as, char *out,
	    size_t cap);
/* An error found outside the readers (the scenario's checks of the statements
 * adm_world_scn wrote): `where: text` added to the messages and counted. */
void	adm_world_err(struct adm_world *, const char *where, const char *text);

#endif
