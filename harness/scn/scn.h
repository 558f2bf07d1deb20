/* scn.h: a scenario (DESIGN.md, formats v1 and v2): the world, the ruleset, the probes
 * and the runtime steps between them. */
#ifndef SCN_H
#define SCN_H

#include "base/diag.h"
#include "pkt/pkt.h"

#define SCN_NAME_MAX	32
#define SCN_ADDRS_MAX	8
#define SCN_LISTEN_MAX	32
#define SCN_IFS_MAX	8	/* external interfaces (`host IF ...`), each a wire */
#define SCN_IFADDRS_MAX	16	/* addresses of one of them (aliases, inet6) */
#define SCN_NETS_MAX	8	/* networks behind one router */
#define SCN_GROUP_IFS	16	/* interfaces of one group */

/* A step's or delivery's party that is the host itself (`connect host`,
 * `expect delivered host:PORT`), where a jail's index stands elsewhere. */
#define SCN_HOST	(-2)

struct scn_port {
	int		proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t	port;
};

/* Where a jail's addresses live. */
enum scn_jail_kind {
	SCN_JAIL_LO,		/* v1: aliases on the loopback (`loopback IF NET/LEN`) */
	SCN_JAIL_PUBLIC,	/* `jail NAME ADDR on IF`: aliases on an external interface */
	SCN_JAIL_VNET		/* `vnet jail NAME ADDR/LEN on BRIDGE`: a stack of its own */
};

struct scn_jail {
	char		name[SCN_NAME_MAX];
	struct pkt_addr	addr[SCN_ADDRS_MAX];
	int		naddr;
	struct scn_port	listen[SCN_LISTEN_MAX];
	int		nlisten;
	int		line;
	enum scn_jail_kind kind;
	char		on[SCN_NAME_MAX];	/* PUBLIC: the interface; VNET: the bridge */
	int		plen;		/* VNET: the prefix length of addr[0] */
	struct pkt_addr	gateway;	/* VNET: its default route (af 0: none) */
	int		bridge;		/* VNET: index in scn->bridge */
	int		iface;		/* PUBLIC: index in scn->iface */
};

struct scn_client {
	struct pkt_addr	addr;
	struct scn_port	listen[SCN_LISTEN_MAX];
	int		nlisten;
	int		line;
	char		on[SCN_NAME_MAX];	/* `on IF` as written, "" when not */
	int		wire;		/* the index in scn->iface of its wire */
	int		router;		/* behind router (index in scn->router), or -1 */
};

/* An address of a host interface. */
struct scn_ifaddr {
	struct pkt_addr	addr;
	int		plen;
	int		alias;		/* `host IF alias ...` */
	int		line;
};

/* An external interface, its own wire: `host IF ADDR/LEN [gateway ADDR]`, `host IF
 * down`, then `host IF alias|inet6|mtu ...`. */
struct scn_if {
	char		name[SCN_NAME_MAX];
	struct scn_ifaddr addr[SCN_IFADDRS_MAX];	/* in the order written */
	int		naddr;
	struct pkt_addr	gw4, gw6;	/* the wire's gateways (af 0: none) */
	int		mtu;		/* 0: the default, 1500 */
	int		down;		/* `host IF down`: no address, link down */
	int		line;
};

/* `group NAME IF...`: interface group membership (ifconfig IF group NAME). */
struct scn_group {
	char		name[SCN_NAME_MAX];
	char		ifname[SCN_GROUP_IFS][SCN_NAME_MAX];
	int		nif;
	int		line;
};

/* `bridge IF ADDR/LEN`: a bridge with the host's address on it (the VNET jails'
 * gateway). */
struct scn_bridge {
	char		name[SCN_NAME_MAX];
	struct pkt_addr	addr;
	int		plen;
	int		line;
};

struct scn_net {
	struct pkt_addr	addr;
	int		plen;
};

/* `router ADDR on IF routes NET/LEN,...`: clients in the NETs sit behind ADDR. */
struct scn_router {
	struct pkt_addr	addr;
	char		on[SCN_NAME_MAX];
	int		wire;		/* index in scn->iface */
	struct scn_net	net[SCN_NETS_MAX];
	int		nnet;
	int		line;
};

/* `route NET/LEN via ADDR`: a static route of the host. */
struct scn_route {
	struct scn_net	net;
	struct pkt_addr	via;
	int		line;
};

struct scn_kv {
	char		*name, *value;
	int		line;
};

enum scn_step_kind {
	SCN_SEND,
	SCN_CONNECT,
	SCN_PFCTL,		/* runtime control: `pfctl ARGS [<<EOF ... EOF]` */
	SCN_SYSCTL,		/* `sysctl NAME=VALUE` inside a probe */
	SCN_WAIT,		/* `wait N s`: pf's clock moves on */
	SCN_EXPECT_REPLY,
	SCN_EXPECT_NO_REPLY,
	SCN_EXPECT_WIRE,
	SCN_EXPECT_NO_WIRE,
	SCN_EXPECT_DELIVERED,
	SCN_EXPECT_NOT_DELIVERED,
	SCN_EXPECT_CONNECT,
	SCN_EXPECT_STATE,
	SCN_EXPECT_NO_STATE,
	SCN_EXPECT_TABLE,	/* `expect table T contains|lacks ADDR... | count N` */
	SCN_EXPECT_COUNTER,	/* `expect counter NAME N`: a line of pfctl -si */
	SCN_EXPECT_RULE,	/* `expect rule "LABEL"|@N FIELD N`: pfctl -sr -vv */
	SCN_EXPECT_SRCNODE,	/* `expect src-node ADDR states N`: pfctl -sS */
	SCN_EXPECT_VIEW,	/* `expect pfctl -sX <<EOF ... EOF`: a view's text */
	SCN_EXPECT_LOAD_ERROR	/* the probe's last pfctl step failed with TEXT */
};

enum scn_outcome {
	SCN_CONN_OK,
	SCN_CONN_REFUSED,
	SCN_CONN_TIMEOUT,
	SCN_CONN_FAILED,	/* expect: anything but ok; observed: a local error */
	SCN_CONN_UNREACHABLE	/* an echo request answered by an ICMP error */
};

/* Where a `$NAME` stands in a state: an address or a port of A, B, C. */
enum scn_state_field {
	SCN_ST_A, SCN_ST_AP, SCN_ST_B, SCN_ST_BP, SCN_ST_C, SCN_ST_CP
};

/* `expect state PROTO A:P (B:Q) <- C:R [SRC:DST]`, as pfctl -ss writes it; `(B:Q)`
 * optional, arrow `<-` or `->`; ports may be `*` or LOW-HIGH, or absent for protocols
 * without ports; PROTO any protocol as pfctl names it; the peers' states optional.
 * An address or port may be `$NAME` (a variable, as in packets). */
struct scn_state_pat {
	int		proto;
	int		dir_out;	/* 1: `->` */
	struct pkt_addr	a, b, c;
	int		has_b;
	struct pkt_range ap, bp, cp;
	char		sstate[24], dstate[24];	/* "" when not written */
	struct {
		enum scn_state_field which;
		char		name[PKT_VAR_NAME];
	}		var[6];
	int		nvar;
};

/* An address and its prefix length (a table's entry). */
struct scn_prefix {
	struct pkt_addr	addr;
	int		plen;
	int		neg;		/* `!ADDR` */
};

/* `pfctl ARGS`: pfctl's own arguments. What pfctl reads (`-f <<EOF` text, or the
 * contents of `-f FILE` read when the scenario is) is input; argv then says `-f -`. */
struct scn_pfctl {
	char		**argv;		/* argv[0] "pfctl", NULL-terminated */
	int		 argc;
	char		*input;		/* NULL: nothing to read */
	char		*input_name;	/* input's line N is input_name:(input_line0 + N) */
	int		 input_line0;
};

/* What a bookkeeping expectation looks at, and what it must find. */
enum scn_book_kind {
	SCN_BOOK_CONTAINS, SCN_BOOK_LACKS, SCN_BOOK_COUNT,	/* tables */
	SCN_BOOK_EVALUATIONS, SCN_BOOK_PACKETS, SCN_BOOK_BYTES,	/* rules */
	SCN_BOOK_STATES,		/* rules, src-nodes */
	SCN_BOOK_VALUE			/* counters */
};

struct scn_book {
	char		*name;		/* table, counter, rule label, view ("-sr") */
	char		*anchor;	/* -a ANCHOR (tables, views), NULL: main ruleset */
	int		 rule_nr;	/* `expect rule @N`: N, else -1 */
	enum scn_book_kind what;
	struct pkt_range value;		/* the number, or LOW-HIGH */
	struct scn_prefix *addr;	/* tables: the addresses; src-node: one */
	int		 naddr;
	char		**line;		/* a view: its lines, `*` and LOW-HIGH per word */
	int		 nline;
};

struct scn_step {
	enum scn_step_kind kind;
	int		line;
	char		*text;		/* the statement as written, for reports */
	struct pkt	pkt;		/* SCN_SEND */
	struct pkt_pat	pat;		/* SCN_EXPECT_REPLY, SCN_EXPECT_WIRE */
	int		jail;		/* SCN_CONNECT, SCN_EXPECT_DELIVERED: index, or
					 * SCN_HOST */
	int		proto;		/* SCN_CONNECT (IPPROTO_ICMP: an echo request);
					 * DELIVERED: IPPROTO_ICMP for `icmp TYPE`, else 0 */
	enum pkt_icmp	icmp;		/* DELIVERED icmp TYPE */
	int		wire;		/* SEND: the wire it goes on; EXPECT_WIRE and
					 * NO_WIRE: `on IF`'s, -1: every wire */
	struct pkt_addr	addr;		/* SCN_CONNECT: destination */
	uint16_t	port;		/* SCN_CONNECT: destination; DELIVERED: jail port */
	int		has_from;	/* CONNECT: local addr:port; DELIVERED: peer */
	struct pkt_addr	from;
	struct pkt_range from_port;	/* CONNECT: exact; DELIVERED: may be a range */
	enum scn_outcome outcome;	/* SCN_EXPECT_CONNECT */
	struct scn_state_pat state;	/* SCN_EXPECT_STATE, SCN_EXPECT_NO_STATE */
	struct scn_pfctl pfctl;		/* SCN_PFCTL */
	struct scn_book	book;		/* SCN_EXPECT_TABLE ... SCN_EXPECT_VIEW */
	char		*name, *value;	/* SCN_SYSCTL; LOAD_ERROR: value is the TEXT */
	uint64_t	wait_ms;	/* SCN_WAIT */
};

struct scn_probe {
	char		*title;
	int		line;
	struct scn_step	*step;
	int		nstep;
	int		control;	/* a runtime step between probes, in a probe of
					 * its own titled by the step */
};

struct scn {
	char		*path;		/* as given */
	char		*name;		/* basename without .scn: results/<run>/<name>/ */
	char		*title;
	char		**tag;
	int		ntag;

	/* The first `host IF ADDR/LEN [gateway ADDR]`: the primary interface (iface[0]),
	 * its first address and the default gateway. */
	char		host_if[SCN_NAME_MAX];
	struct pkt_addr	host_addr, gateway;
	int		host_plen;
	int		host_line;

	struct scn_if	*iface;		/* every external interface, iface[0] primary */
	int		niface;
	struct scn_port	host_listen[SCN_LISTEN_MAX];	/* `host listen ...` */
	int		nhost_listen;
	int		host_listen_line;
	struct scn_group *group;
	int		ngroup;
	struct scn_bridge *bridge;
	int		nbridge;
	struct scn_router *router;
	int		nrouter;
	struct scn_route *route;
	int		nroute;

	char		lo_if[SCN_NAME_MAX];	/* `loopback IF NET/LEN` */
	struct pkt_addr	lo_net;
	int		lo_plen;
	int		lo_line;

	struct scn_jail	*jail;
	int		njail;
	struct scn_client *client;
	int		nclient;

	char		*pf_text;	/* the ruleset text (heredoc or file contents) */
	char		*pf_file;	/* name for pf.conf messages: the scenario or the pf file */
	int		pf_line0;	/* pf.conf line N is reported as pf_file:(pf_line0 + N) */
	struct scn_kv	*define;
	int		ndefine;
	struct scn_kv	*sysctl;
	int		nsysctl;
	char		*load_error;	/* `expect load error "TEXT"`, or NULL */
	char		*root;		/* `world from ... root DIR`: the ruleset's absolute
					 * paths (tables, anchors) are read under it */
	int		load_error_line;
	int		freebsd;	/* `freebsd 14|15`: the release whose pfctl and pf
					 * the model follows; 0: not said (run's default) */
	int		freebsd_line;

	struct scn_probe *probe;
	int		nprobe;
};

/* Parse a scenario file. Returns the scenario (free with scn_free), or NULL with every
 * error found added to d as `file:line: message`. */
struct scn *scn_parse_file(const char *path, struct diag *d);
/* Same from text; `path` names it in messages and anchors `pf file PATH`. */
struct scn *scn_parse_text(const char *path, const char *text, struct diag *d);
/* A world's statements alone (what `pfharness world` writes), parsed and checked as a
 * scenario's but with no ruleset, probe or host address required. The world even after
 * errors (the statements in error left out; every error in d, their number into
 * *nerr); NULL only when out of memory. */
struct scn *scn_parse_world(const char *path, const char *text, struct diag *d,
	    int *nerr);
void	scn_free(struct scn *);		/* scn_free(NULL) is a no-op */
/* Index of the jail named `name`, or -1. */
int	scn_jail_find(const struct scn *, const char *name);
/* Index of the external interface named `name` in s->iface, or -1. */
int	scn_if_find(const struct scn *, const char *name);
/* The external interface (index in s->iface) whose wire a client at a sits on when
 * no `on IF` says otherwise: behind the router or route whose network holds it most
 * narrowly, else on-link, else behind the default gateway; -1: the host has no route
 * to it. *router (may be NULL): the router's index, or -1. */
int	scn_wire_of(const struct scn *, const struct pkt_addr *a, int *router);
/* 1 when a is inside net/plen (the same family). */
int	scn_in_net(const struct pkt_addr *a, const struct pkt_addr *net, int plen);
/* 1 when a is one of the host's own addresses (external interfaces with their aliases,
 * bridges; not lo0's, not the jails'). */
int	scn_host_has(const struct scn *, const struct pkt_addr *a);
/* The name of a step's or delivery's party: a jail's name, or "host". */
const char *scn_party_name(const struct scn *, int jail);
/* Whether the host forwards packets (net.inet.ip.forwarding, net.inet6.ip6.forwarding
 * as the scenario's `sysctl` sets them; by default on when the world has a bridge, a
 * router or a route, else off as FreeBSD's default). af: AF_INET or AF_INET6. */
int	scn_forwarding(const struct scn *, int af);
/* 1 when a `sysctl` names the host's stack (the forwarding ones above), not pf. */
int	scn_sysctl_is_host(const char *name);
/* 1 when the scenario has tag `t`. */
int	scn_has_tag(const struct scn *, const char *t);

#endif
