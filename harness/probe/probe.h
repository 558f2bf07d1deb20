/* probe.h: probes generated from a ruleset. For every rule that decides packets (rdr,
 * nat, binat and their `no` forms, pass, block) a packet that rule decides, found with
 * the pf model inside a world (the host's interfaces, the jails, the clients), or why
 * there is none (shadowed, outside the world); the scenario that sends them, with the
 * outcomes the model predicts. */
#ifndef PROBE_H
#define PROBE_H

#include <stdio.h>

#include "base/diag.h"
#include "pf/pfm.h"
#include "pkt/pkt.h"
#include "scn/scn.h"

#define PROBE_JAILS_MAX		64
#define PROBE_CLIENTS_MAX	65536
#define PROBE_NOTES_MAX		64
#define PROBE_KV_MAX		32
#define PROBE_PING_ID		0x7068	/* a jail's ping's echo id (HOSTSTACK_PING_ID) */

struct probe_jail {
	char		name[SCN_NAME_MAX];
	struct pkt_addr	addr;
	struct scn_port	listen[SCN_LISTEN_MAX];
	int		nlisten;
	char		why[200];		/* what put it there, for the header */
	int		vnet;		/* a VNET jail: on bridge `on`, addr/plen */
	int		pub;		/* a jail on external interface `on` */
	char		on[SCN_NAME_MAX];
	int		plen;
	struct pkt_addr	gateway;	/* VNET: its default route (af 0: the bridge's) */
};

struct probe_client {
	struct pkt_addr	addr;
	struct scn_port	listen[SCN_LISTEN_MAX];
	int		nlisten;
	char		on[SCN_NAME_MAX];	/* `client ... on IF` as written, "" */
};

/* The world the probes run in: a scenario's host, loopback, jails and clients, and
 * the host as pf sees it. A world taken from a scenario of format v2 (--world) keeps
 * its other statements (more interfaces, aliases, groups, the host's services,
 * bridges, public and VNET jails, routers, routes) as they are: the probes are sent
 * from the clients of every external interface's wire (forwarded between wires when
 * the host forwards), from the jails on the loopback or an external interface and
 * from the VNET jails; what the generator sends nothing from or through is in
 * limit[]. */
struct probe_world {
	char		ext_if[PFM_IFNAMSIZ];
	struct pkt_addr	host_addr, gateway;	/* gateway: set by probe_world_host */
	int		host_plen;
	char		lo_if[PFM_IFNAMSIZ];
	struct pkt_addr	lo_net;
	int		lo_plen;
	struct probe_jail jail[PROBE_JAILS_MAX];
	int		njail;
	struct probe_client *client;	/* malloc'd, probe_world_free frees */
	int		nclient, cclient;
	int		fixed;		/* jails given by the user: none are added */
	char		*note[PROBE_NOTES_MAX];	/* what was assumed, one line each */
	int		nnote;
	char		*define[PROBE_KV_MAX];	/* "NAME=VALUE" (-D) */
	int		ndefine;
	char		*sysctl[PROBE_KV_MAX];	/* "NAME=VALUE" */
	int		nsysctl;
	const char	*services;
	int		freebsd;	/* the release (`freebsd N`, --freebsd); 0: 14 */
	struct pfm_host	host;		/* probe_world_host */
	struct scn	*scn;		/* --world SCENARIO: the scenario, else NULL */
	struct scn	*as_run;	/* the world as printed, parsed (probe_world_host) */
	char		*limit[PROBE_NOTES_MAX];	/* `file:line: statement: what
					 * the probes leave out`, one each */
	int		nlimit;
};

/* What the world options say (`--if`, `-D`, `--sysctl`, `--services`, `--world`,
 * `--freebsd`). */
struct probe_wopts {
	struct pfm_host	ifs;		/* --if, in order */
	int		nif;
	struct pfm_define def[PROBE_KV_MAX];
	int		ndef;
	char		*sysctl[PROBE_KV_MAX];
	int		nsysctl;
	const char	*services;
	const char	*world;		/* --world SCENARIO: its world */
	int		freebsd;	/* --freebsd 14|15; 0: not given */
};

/* One option of the world options, for a command's getopt loop: c is getopt_long's
 * value (PROBE_OPT_* or 'D'). 1 taken, 0 not a world option, -1 after a message. */
enum { PROBE_OPT_IF = 0x100, PROBE_OPT_SYSCTL, PROBE_OPT_SERVICES, PROBE_OPT_WORLD,
	PROBE_OPT_FREEBSD };
int	probe_wopt(struct probe_wopts *, int c, char *arg, const char *cmd);
/* The long options above, for getopt_long's table (end with a zero entry). */
#define PROBE_WORLD_LONGOPTS \
	{ "if", required_argument, NULL, PROBE_OPT_IF }, \
	{ "sysctl", required_argument, NULL, PROBE_OPT_SYSCTL }, \
	{ "services", required_argument, NULL, PROBE_OPT_SERVICES }, \
	{ "world", required_argument, NULL, PROBE_OPT_WORLD }, \
	{ "freebsd", required_argument, NULL, PROBE_OPT_FREEBSD }
#define PROBE_WORLD_USAGE \
	"      --if NAME=ADDR/LEN[,ADDR/LEN...]\n" \
	"                      an interface of the host (repeatable): the first that is\n" \
	"                      no loopback is the external one, a loN other than lo0\n" \
	"                      holds the jails (one jail per address)\n" \
	"  -D macro=value      override a macro of the ruleset, as pfctl -D (repeatable)\n" \
	"      --sysctl NAME=VALUE  a pf tunable (net.pf.filter_local=1) (repeatable)\n" \
	"      --services FILE the services list for port names (default: FreeBSD's)\n" \
	"      --world SCENARIO  the world of a scenario as it is (format v1 or v2)\n" \
	"      --freebsd 14|15 the release whose pfctl and pf the model follows\n" \
	"                      (default: the scenario's `freebsd N`, else 14)\n"

/* The world for the rulesets texts[0..n-1] (file names names[]): from the options, else
 * assumed from the rules (the interface they name most, the address nat maps to, jails
 * at the rdr targets listening on the redirected ports), each assumption a note. 0, or
 * -1 with why in d. */
int	probe_world_make(struct probe_world *, const struct probe_wopts *,
	    const char *const *texts, const char *const *names, int n, struct diag *d);
/* The scenario's ruleset text, file name and first line (its `pf` statement), for
 * --world without a pf.conf. 0, or -1 with d. */
int	probe_world_scn_pf(const char *path, char **text, char **file, int *line0,
	    struct diag *d);
void	probe_world_free(struct probe_world *);
/* Fill w->host as the model and linux targets build it (target_pfhost). 0 or -1. */
int	probe_world_host(struct probe_world *, struct diag *d);
/* The world's statements (host, loopback, jail, client, define, sysctl, and a
 * format v2 scenario's others). */
void	probe_world_print(const struct probe_world *, FILE *);
/* --world SCENARIO: its world as it is, each statement the probes leave out in
 * w->limit. 0, or -1 with d. */
int	probe_world_from_scn(struct probe_world *, const char *path, struct diag *d);
/* The external interface whose wire a client at a is on (index in w->as_run->iface,
 * 0 the primary), or -1 when the host has no route to it. */
int	probe_world_wire(const struct probe_world *, const struct pkt_addr *a);
/* The name of external interface `wire` (0: the primary). */
const char *probe_world_ifname(const struct probe_world *, int wire);
/* 1 when a is the host's own: an address of an interface or a bridge, or of a jail
 * on an external interface (the host's stack takes what is sent to them). */
int	probe_world_local(const struct probe_world *, const struct pkt_addr *a);
/* The name of jail index idx of the scenario written (w->jail's order), or "host"
 * for SCN_HOST; NULL when out of range. */
const char *probe_world_party(const struct probe_world *, int idx);
/* A jail at a (named jN), for why; its index, or -1 when the world is full. */
int	probe_world_add_jail(struct probe_world *, const struct pkt_addr *a, const char *why);
/* The jail whose address is a, or -1. */
int	probe_world_jail(const struct probe_world *, const struct pkt_addr *a);
/* The jail on the loopback whose address is a (lo_if's, routed over it), or -1. */
int	probe_world_lojail(const struct probe_world *, const struct pkt_addr *a);
/* The bridge (index in w->as_run->bridge) whose network holds a, not its own
 * address, or -1. */
int	probe_world_bridge(const struct probe_world *, const struct pkt_addr *a);
/* 1 when the host forwards packets of af between its interfaces. */
int	probe_world_forwards(const struct probe_world *, int af);
/* The client at a (added when absent, listening on nothing); -1 when full. */
int	probe_world_client(struct probe_world *, const struct pkt_addr *a);
/* Add proto/port to a listen list (n at most SCN_LISTEN_MAX); 0, or -1 when full. */
int	probe_listen_add(struct scn_port *l, int *n, int proto, uint16_t port);

enum probe_kind {
	PK_PROBED,		/* a packet this rule decides */
	PK_SHADOWED,		/* other rules take every packet it matches, in any world */
	PK_EMPTY,		/* it matches no packet as loaded (an empty table) */
	PK_OUTSIDE,		/* reachable, but not by what this world can send */
	PK_NOTFOUND		/* reachable as far as the sets say; no packet was found */
};

enum probe_via {
	PV_SEND,		/* a client sends pkt on the wire */
	PV_CONNECT		/* jail `jail` connects from pkt.src:sport to pkt.dst:dport */
};

/* One rule and its probe. */
struct probe_case {
	int		list;		/* 0 filter, 1 nat, 2 rdr, 3 binat */
	int		nr;		/* @N in its list */
	char		anchor[128];	/* "" main ruleset */
	char		text[1024];	/* the rule in pfctl's words */
	char		file[256];
	int		line;
	enum probe_kind	kind;
	char		why[512];	/* shadowed, outside, not found: why */
	enum probe_via	via;
	int		wire;		/* PV_SEND: the external interface it goes on */
	struct pkt	pkt;
	int		jail;		/* PV_CONNECT */
	uint16_t	nat_lo, nat_hi;	/* a source port pf picks from, 0: none */
	struct pkt	after;		/* the packet as pf handed it on, last hook */
	int		passed;		/* pf passed it at every hook */
};

struct probe_list {
	struct probe_case *c;
	int		n;
	int		nprobed, nshadowed, nempty, noutside, nnotfound;
};

/* Cases for every deciding rule of the ruleset text (lo: its file name, defines,
 * services) in world w. Jails the probes need are added to w when w->fixed is 0 (and
 * w->host rebuilt). 0, or -1 with pfctl's messages in d. */
int	probe_generate(const char *text, const struct pfm_load_opts *lo,
	    struct probe_world *w, struct probe_list *out, struct diag *d);
void	probe_list_free(struct probe_list *);

/* The line of a case as a scenario writes it: `send PKT` or `connect JAIL ...`. */
char	*probe_step_text(const struct probe_world *, const struct probe_case *, char *buf,
	    size_t len);

/* What pf does with the case's packet, alone (states flushed first), in words: at
 * every hook it crosses the verdict, the translated packet and the state it creates,
 * random NAT ports as `*`, into buf; the rules that decided, one a line
 * (`file:line: rule`), into rules (may be NULL). pf holds the ruleset, loaded for w's
 * host. Returns buf. */
char	*probe_outcome(struct pfm *pf, const struct probe_world *,
	    const struct probe_case *, char *buf, size_t len, char *rules, size_t rlen);

/* The scenario: a header (the command, the world's assumptions, the findings), the
 * world, the ruleset (pf_text verbatim), and one probe per probed rule whose
 * expectations are what the model target observes when it runs them. Jails and
 * clients listen where the probes go. 0, or -1 with d. */
int	probe_write_scn(FILE *, struct probe_world *, const char *pf_text,
	    const struct probe_list *, const char *header, struct diag *d);

#endif
