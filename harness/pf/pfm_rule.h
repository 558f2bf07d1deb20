/* pfm_rule.h: a loaded ruleset as the model holds it, after macro and list expansion:
 * one struct per rule as pfctl would hand it to the kernel. Shared by the parser
 * (pfm_parse*.c, owner of this file), the printer and the evaluator. */
#ifndef PFM_RULE_H
#define PFM_RULE_H

#include <stdint.h>
#include <stdio.h>

#include "base/diag.h"
#include "pfm.h"

/* Address kinds, as pf_addr_wrap. */
enum pfm_addr_type {
	PFM_ADDR_ANY,		/* any (mask 0) */
	PFM_ADDR_MASK,		/* addr/mask */
	PFM_ADDR_DYNIFTL,	/* (if), (if:network), (self) ... resolved at test time */
	PFM_ADDR_TABLE,		/* <name> */
	PFM_ADDR_NOROUTE,
	PFM_ADDR_URPFFAILED,
	PFM_ADDR_RANGE		/* addr - mask: mask holds the range's last address */
};

#define PFM_IFTL_NETWORK	0x01	/* :network */
#define PFM_IFTL_BROADCAST	0x02	/* :broadcast */
#define PFM_IFTL_PEER		0x04	/* :peer */
#define PFM_IFTL_NOALIAS	0x08	/* :0 */

struct pfm_addr {
	enum pfm_addr_type type;
	int		af;		/* AF_INET, AF_INET6, 0 for any/dynamic of both */
	uint8_t		addr[16];
	uint8_t		mask[16];
	char		ifname[PFM_IFNAMSIZ];	/* DYNIFTL */
	int		iflags;		/* PFM_IFTL_* */
	struct pfm_table *table;	/* TABLE */
	int		neg;		/* ! */
	char		scope[PFM_IFNAMSIZ];	/* fe80::1%lo0: interface of a link-local */
};

/* Port operators, as pf's PF_OP_*. */
enum pfm_op {
	PFM_OP_NONE,
	PFM_OP_IRG,		/* a >< b: exclusive range */
	PFM_OP_EQ,
	PFM_OP_NE,
	PFM_OP_LT,
	PFM_OP_LE,
	PFM_OP_GT,
	PFM_OP_GE,
	PFM_OP_XRG,		/* a <> b: outside */
	PFM_OP_RRG		/* a:b inclusive */
};

struct pfm_rule_addr {
	struct pfm_addr	addr;
	enum pfm_op	port_op;
	uint16_t	port[2];	/* host order */
};

enum pfm_action_kind {
	PFM_R_PASS,
	PFM_R_BLOCK,
	PFM_R_MATCH,
	PFM_R_SCRUB,
	PFM_R_NOSCRUB,
	PFM_R_NAT,
	PFM_R_NONAT,
	PFM_R_RDR,
	PFM_R_NORDR,
	PFM_R_BINAT,
	PFM_R_NOBINAT
};

enum pfm_rdir { PFM_RDIR_ANY, PFM_RDIR_IN, PFM_RDIR_OUT };

/* block actions (rule_flag PFRULE_*) */
enum pfm_block {
	PFM_BLOCK_DEFAULT,	/* "block": set block-policy decides */
	PFM_BLOCK_DROP,
	PFM_BLOCK_RETURN,	/* return-rst for TCP, return-icmp for others */
	PFM_BLOCK_RETURN_RST,
	PFM_BLOCK_RETURN_ICMP
};

enum pfm_keep { PFM_KEEP_NONE, PFM_KEEP_STATE, PFM_KEEP_MODULATE, PFM_KEEP_SYNPROXY };

/* Pool options (PF_POOL_*). */
enum pfm_pool_type {
	PFM_POOL_NONE,
	PFM_POOL_BITMASK,
	PFM_POOL_RANDOM,
	PFM_POOL_SRCHASH,
	PFM_POOL_ROUNDROBIN
};

struct pfm_pool {
	struct pfm_addr	*addr;		/* one or more (round-robin over a list or table) */
	int		naddr;
	enum pfm_pool_type type;
	int		static_port;
	int		sticky;
	uint16_t	proxy_port[2];	/* nat: port range (50001:65535 default); rdr: target */
	int		port_op;	/* rdr: 0 none, PFM_OP_EQ one port, PFM_OP_RRG "a:*" */
	uint32_t	rr_next;	/* round-robin cursor (model state) ... */
	int		rr_used;	/* ... once a state took an address */
	char		(*ifname)[PFM_IFNAMSIZ];	/* route-to: per addr, or NULL */
	uint32_t	key[4];		/* source-hash key */
	int		has_key;
	uint16_t	mape[3];	/* map-e-portset offset/psidlen/psid */
	int		endpoint_independent;	/* nat: PF_POOL_ENDPI (UDP mappings) */
	int		prefer6;	/* FreeBSD 15: prefer-ipv6-nexthop */
};

struct pfm_rule {
	enum pfm_action_kind action;
	enum pfm_rdir	direction;
	int		quick, log, logall;
	char		ifname[PFM_IFNAMSIZ];	/* "" = any */
	int		ifnot;
	char		rcv_ifname[PFM_IFNAMSIZ];	/* received-on, "" = none */
	int		rcvifnot;		/* ! received-on */
	int		af;			/* 0, AF_INET, AF_INET6 */
	int		proto;			/* 0 = any */
	struct pfm_rule_addr src, dst;
	uint8_t		flags, flagset;		/* TCP flags X/Y */
	int		type, code;		/* icmp-type+1, code+1 (0: not given), as pf */
	enum pfm_block	block;
	int		return_ttl;
	enum pfm_keep	keep;
	int		keep_explicit;		/* "keep state" written */
	/* state options */
	uint32_t	max_states, max_src_nodes, max_src_states, max_src_conn;
	uint32_t	timeout[32];		/* per-rule timeouts, 0 = default */
	int		pass_trans;		/* nat pass / rdr pass */
	struct pfm_pool	rpool;			/* translation target */
	char		label[64];
	char		tag[64], tagged[64];
	/* scrub options */
	int		scrub_flags;		/* PFM_SCRUB_* */
	int		min_ttl, max_mss;
	/* origin */
	const char	*file;
	int		line;
	int		nr;			/* @N */
	/* skip steps, indices of the next rule differing in field i, -1: none (set by
	 * pfm_compile.c; the rule walks read pfm_crule.skip instead) */
	int		skip[8];
	/* counters */
	uint64_t	evaluations, packets[2], bytes[2];
	uint32_t	states_cur, states_tot;
	struct pfm_rule	*next;
	/* Everything else pfctl keeps and prints (added by the parser). */
	uint16_t	return_icmp, return_icmp6;	/* type << 8 | code */
	int		logif;			/* log (to pflogN) */
	int		allow_opts, fragment, fragment_noreass;
	int		match_tag_not;
	char		xlabel[4][64];		/* labels 2..5 (label is the first) */
	uint32_t	max_src_conn_rate[2];	/* limit, seconds */
	char		overload[32];		/* overload <table> */
	int		flush;			/* 1 flush, 2 flush global */
	int		srctrack;		/* 0 none, 1 global, 2 rule */
	int		nosync, sloppy, if_bound, pflow;
	uint8_t		tos, prio, set_prio[2], set_tos;
	int		has_prio, has_set_prio, has_set_tos;
	uint32_t	prob;			/* probability * 2^32 */
	int		rtableid;		/* -1 none */
	uint32_t	ridentifier;
	char		os[64];			/* os "fingerprint", "" any */
	struct { int op; uint32_t v[2]; } uid, gid;
	enum pfm_rt { PFM_RT_NONE, PFM_RT_ROUTETO, PFM_RT_REPLYTO, PFM_RT_DUPTO } rt;
	char		qname[64], pqname[64];
	uint16_t	dnpipe, dnrpipe;
	int		dn_is_pipe;
	uint16_t	divert_port;
	/* Anchors (pf_anchor_setup): an anchor rule calls `anchor`, resolved from the
	 * name it was written with (anchor_call, as pfctl prints it) relative to the
	 * anchor the rule is in (`owner`, NULL: the main ruleset). */
	struct pfm_anchor *anchor;
	const char	*anchor_call;
	int		anchor_wildcard;	/* "name/ *": every child of `anchor` */
	int		anchor_inline;		/* this rule gave the anchor's rules */
	const struct pfm_anchor *owner;
	/* FreeBSD 15's translation on filter rules (nat-to, rdr-to, binat-to, af-to;
	 * rpool stays the route-to pool) and its other new options. A 14 parse leaves
	 * them zero; pfm_ruleset_has15 says whether a rule uses any. */
	struct pfm_pool	natpool, rdrpool;	/* nat-to/binat-to/af-to from; rdr-to/af-to to */
	int		afto;			/* af-to: translate to naf */
	int		naf;
	int		once;			/* removed after its first match */
	int		expired;		/* model state: a once rule that decided
						 * a packet (pf's PFRULE_EXPIRED) */
	uint32_t	max_pkt_rate[2];	/* max-pkt-rate limit/seconds */
	uint16_t	max_pkt_size;
	int		fb15;			/* parsed as FreeBSD 15's pfctl does */
};

/* pfm_rule.log bits, as pf's PF_LOG_*: log, (all), (user); (matches) is FreeBSD 15's. */
#define PFM_LOG			0x01
#define PFM_LOG_ALL		0x02
#define PFM_LOG_USER		0x04
#define PFM_LOG_MATCHES		0x08

/* Whether r uses syntax only FreeBSD 15 has (what the evaluator does not model yet):
 * the option's name for a message, else NULL. */
const char *pfm_rule_15only(const struct pfm_rule *r);
/* The rules of rs that use what FreeBSD 15 added and the evaluator does not model
 * yet (pfm_rule_15only): each said into d at its line; their number (0: none).
 * pfm_load and pfctl -a -f refuse such a ruleset. */
struct pfm_ruleset;
int	pfm_ruleset_refuse15(const struct pfm_ruleset *, struct diag *d);

/* An anchor: a named ruleset an anchor rule steps into (pf's pf_kanchor). Inline
 * anchors (`anchor "x" { ... }`) and `load anchor` fill it; an anchor only referenced
 * stays empty, as in pf before `pfctl -a x -f` loads it. */
struct pfm_clist;
struct pfm_anchor {
	char		name[64];	/* last path component ("_N": unnamed inline) */
	char		path[1024];	/* from the main ruleset, "a/b" */
	int		is_inline;	/* rules given in braces (pf: anchor->match) */
	int		loaded;		/* filled by the Nth `load anchor`, 0: not */
	char		*file;		/* that file, as written */
	char		*preamble;	/* what -nv printed while parsing that file */
	struct pfm_rule	*rules, *nat, *rdr, *binat;	/* filter, translation */
	int		nrules, nnat, nrdr, nbinat;
	struct pfm_eth_rule *ether;	/* a loaded file's ether rules (pf's eth anchor
					 * of the same path) */
	struct pfm_clist *clist;	/* compiled lists (pfm_compile.c), PFM_L_MAX */
	struct pfm_anchor *next;	/* every anchor of the ruleset, creation order */
	int		runtime;	/* filled by pfctl -a PATH -f at run time: a reload
					 * of the main ruleset keeps it (pfm_rt.c) */
	char		*opt_tables;	/* the optimizer's tables as pfctl -v prints them
					 * before this anchor's filter rules, or NULL */
};

/* An Ethernet address of an `ether` rule (pf_keth_rule_addr): mask bit i of the
 * address is bit i % 8 of mask[i / 8], as pfctl's node_mac_from_string_masklen sets it. */
struct pfm_eth_addr {
	uint8_t		addr[6], mask[6];
	int		neg, isset;
};

/* An `ether` rule (FreeBSD 14's layer 2 filtering, pf_keth_rule): parsed and printed
 * as pfctl does; evaluated (harness/pf/eval/pfm_eth.c) on the IP packets the model
 * sees, where the EtherType is 0x0800 or 0x86dd. Rules matching MAC addresses are
 * refused at load: the model has none. */
struct pfm_eth_rule {
	enum pfm_action_kind action;	/* PFM_R_PASS or PFM_R_BLOCK */
	enum pfm_rdir	direction;
	int		quick;
	char		ifname[PFM_IFNAMSIZ];
	int		ifnot;
	char		bridge_to[PFM_IFNAMSIZ];
	uint16_t	proto;		/* EtherType, 0 any */
	struct pfm_eth_addr src, dst;
	struct pfm_rule_addr ipsrc, ipdst;	/* l3 from ... to ... */
	int		ipaf;		/* the family the l3 addresses print with */
	char		label[5][64];
	uint32_t	ridentifier;
	char		qname[64], tag[64], tagged[64];
	int		match_tag_not;
	uint16_t	dnpipe;
	int		dn_is_pipe;
	const char	*anchor_call;	/* `ether anchor`: the name written, else NULL */
	struct pfm_eth_rule *anchor_rules;	/* inline anchor: its rules */
	const char	*anchor_path;	/* a named anchor: its path from the main
					 * ruleset ("a/b", a wildcard's "/ *" cut) */
	int		anchor_wildcard;	/* "name/ *": each child in turn */
	uint64_t	evaluations, packets[2], bytes[2];	/* [out] */
	const char	*file;
	int		line;
	int		nr;
	struct pfm_eth_rule *next;
};

#define PFM_SCRUB_NODF		0x01
#define PFM_SCRUB_RANDOM_ID	0x02
#define PFM_SCRUB_REASSEMBLE_TCP 0x04

/* A table: a set of addresses/prefixes, possibly negated entries. */
struct pfm_table_entry {
	int		af;
	uint8_t		addr[16];
	int		plen;
	int		neg;
	uint64_t	tzero_ms;		/* added or cleared (pf's clock): -T expire */
	/* pf's per-address counters (pfrke_counters), [in, out][block, pass, xpass]:
	 * kept while the table has `counters` (pfr_update_stats), all zero otherwise */
	uint64_t	packets[2][3], bytes[2][3];
};

struct pfm_table {
	char		name[32];
	int		persist, konst;		/* flags */
	int		counters;		/* PFR_TFLAG_COUNTERS */
	struct pfm_table_entry *ent;
	int		nent;
	struct pfm_table *next;
	int		defined;		/* a table statement (else only referenced) */
	int		listed;			/* the statement gave addresses ({ }, file) */
	/* Tables belong to a ruleset (pf's pfr_ktable: name and anchor). One made for an
	 * anchor loaded at run time holds its anchor's path; a rule there that names a
	 * table its anchor never defined or filled (not active) uses the main ruleset's
	 * table of that name, root (pfr_attach_table's fallback). */
	char		*anchor;		/* NULL: the main ruleset */
	int		active;			/* defined, or filled at run time */
	struct pfm_table *root;
	int		rt_created;		/* made by pfctl -T add (persist) */
};

/* Timeout classes, in pf's PFTM_* order (index into timeout[] arrays). */
enum pfm_timeout {
	PFM_TM_TCP_FIRST, PFM_TM_TCP_OPENING, PFM_TM_TCP_ESTABLISHED,
	PFM_TM_TCP_CLOSING, PFM_TM_TCP_FINWAIT, PFM_TM_TCP_CLOSED,
	PFM_TM_UDP_FIRST, PFM_TM_UDP_SINGLE, PFM_TM_UDP_MULTIPLE,
	PFM_TM_ICMP_FIRST, PFM_TM_ICMP_ERROR,
	PFM_TM_OTHER_FIRST, PFM_TM_OTHER_SINGLE, PFM_TM_OTHER_MULTIPLE,
	PFM_TM_FRAG, PFM_TM_INTERVAL, PFM_TM_ADAPTIVE_START, PFM_TM_ADAPTIVE_END,
	PFM_TM_SRC_NODE, PFM_TM_TS_DIFF,
	/* pf 14 appends the SCTP timeouts (after PFTM_UNLINKED) */
	PFM_TM_SCTP_FIRST, PFM_TM_SCTP_OPENING, PFM_TM_SCTP_ESTABLISHED,
	PFM_TM_SCTP_CLOSING, PFM_TM_SCTP_CLOSED,
	PFM_TM_MAX
};

/* A loaded ruleset: everything one `pfctl -f` hands to the kernel.
 * Rule lists are in file order after expansion, linked through pfm_rule.next;
 * pfm_rule.nr is the rule's index within its own list (pfctl's @N). */
struct pfm_svc;

/* pf's debug levels (PF_DEBUG_*) and syncookie modes (PF_SYNCOOKIES_*), as `set
 * debug` / `set syncookies` load them; pfctl -si prints them. */
enum { PFM_DEBUG_NONE, PFM_DEBUG_URGENT, PFM_DEBUG_MISC, PFM_DEBUG_LOUD };
enum { PFM_SYNCOOKIES_NEVER, PFM_SYNCOOKIES_ALWAYS, PFM_SYNCOOKIES_ADAPTIVE };

struct pfm_ruleset {
	struct pfm_rule	*rules;		/* filter: pass, block, match (antispoof expanded) */
	struct pfm_rule	*nat, *rdr, *binat;	/* translation, each first-match */
	struct pfm_rule	*scrub;		/* scrub / no scrub */
	int		nrules, nnat, nrdr, nbinat, nscrub;
	struct pfm_eth_rule *ether;	/* ether rules, in file order */
	int		nether;
	struct pfm_table *tables;	/* every table defined or referenced */
	/* options */
	char		skip[16][PFM_IFNAMSIZ];	/* set skip on: interface or group names */
	int		nskip;
	enum pfm_block	block_policy;	/* PFM_BLOCK_DROP (default) or PFM_BLOCK_RETURN */
	uint32_t	limit_states;	/* default 100000 */
	uint32_t	limit_frags, limit_src_nodes, limit_tables, limit_table_entries;
	int		if_bound;	/* set state-policy if-bound (default floating: 0) */
	uint32_t	timeout[PFM_TM_MAX];	/* seconds; filled with pf's defaults */
	uint32_t	timeout_set;	/* bit PFM_TM_x: written by `set timeout`/`optimization` */
	int		limit_states_set;	/* `set limit states` written */
	int		require_order;	/* default 1 */
	int		debug;		/* set debug: PFM_DEBUG_NONE..LOUD (default URGENT) */
	int		syncookies;	/* set syncookies: PFM_SYNCOOKIES_* (default NEVER) */
	int		syncookies_hi, syncookies_lo;	/* adaptive (start, end) in % of the
					 * state limit; 0: pf's 25 and 12 */
	uint32_t	hostid;		/* set hostid, 0: pf's own */
	int		keep_counters;	/* set keepcounters (pfctl_load_options) */
	int		optimize;	/* set ruleset-optimization: -1 not given, 0 none,
					 * 1 basic, 2 profile */
	char		*opt_tables;	/* the optimizer's tables as pfctl -v prints them
					 * before the main filter rules, or NULL */
	/* What pfctl -nv prints while it parses (macros, set options, tables), in order;
	 * pfm_ruleset_print prints this, then the rules. Never NULL after a parse. */
	char		*preamble;
	struct pfm_svc	*svc;		/* the services list the parse used (private) */
	int		fail_policy;	/* set fail-policy: PFM_BLOCK_DROP or _RETURN */
	char		**fnames;	/* the file names pfm_rule.file points at */
	int		nfnames;
	struct pfm_anchor *anchors;	/* every anchor named or defined */
	int		nqueues;	/* altq/queue statements parsed (not modelled) */
	int		freebsd;	/* the release it was parsed as: PFM_FREEBSD_14 or _15 */
};

/* The anchor at `path` ("a/b", no leading '/'), or NULL. */
struct pfm_anchor *pfm_anchor_find(const struct pfm_ruleset *, const char *path);
/* The rule list of kind l (0 filter, 1 nat, 2 rdr, 3 binat) of anchor a, or of the
 * main ruleset when a is NULL. */
struct pfm_rule *pfm_anchor_list(const struct pfm_ruleset *, const struct pfm_anchor *a,
	    int l);

/* Parse pf.conf text into a new ruleset, resolving interface names against `host`
 * (NULL: the default host, lo0 127.0.0.1/8 ::1/128 fe80::1/64 in group lo).
 * Returns the ruleset (free with pfm_ruleset_free), or NULL with every error added to d
 * as pfctl words it (`file:line: message`; the caller adds pfctl's trailer). */
struct pfm_ruleset *pfm_ruleset_parse(const char *text, const struct pfm_load_opts *,
	    const struct pfm_host *, struct diag *d);
/* Same, but the ruleset is returned even when there were errors (*ok is then 0):
 * `pfharness parse -v` prints what pfctl printed before it gave up. */
struct pfm_ruleset *pfm_ruleset_parse_all(const char *text, const struct pfm_load_opts *,
	    const struct pfm_host *, struct diag *d, int *ok);
/* A ruleset holding pf's defaults and no rule (NULL: out of memory); free it with
 * pfm_ruleset_free, which frees its rules and tables (NULL is a no-op). */
struct pfm_ruleset *pfm_ruleset_new(void);
void	pfm_ruleset_free(struct pfm_ruleset *);
/* pf's default timeouts in seconds, indexed by PFM_TM_*. */
extern const uint32_t pfm_timeout_default[PFM_TM_MAX];
/* Print as `pfctl -nv` does: the preamble, then scrub, nat, rdr, binat, filter rules
 * (pfctl's load order), the optimizer's tables (when it ran) before filter rules. `services` is the services(5) file for port names
 * (NULL: the bundled FreeBSD list). verbose 0 prints the rules only. */
void	pfm_ruleset_print(const struct pfm_ruleset *, FILE *, int verbose,
	    const char *services);
/* One rule as pfctl prints it, no trailing newline, into buf (truncated to len);
 * returns buf. */
char	*pfm_ruleset_rule_format(const struct pfm_rule *, char *buf, size_t len,
	    const char *services);
/* An ether rule as print_eth_rule prints it, no trailing newline; returns buf. */
char	*pfm_eth_rule_format(const struct pfm_eth_rule *, char *buf, size_t len);
/* The same with every port a number (pfctl -P). */
char	*pfm_ruleset_rule_format_numeric(const struct pfm_rule *, char *buf, size_t len);
/* The same as pfctl -s prints it with display flags: PFM_FMT_NUMERIC (-P: ports as
 * numbers), PFM_FMT_VERBOSE (-vv: a table as <NAME:COUNT>, its addresses now, or
 * <NAME:*> when it is not active). */
#define PFM_FMT_NUMERIC		0x01
#define PFM_FMT_VERBOSE		0x02
char	*pfm_ruleset_rule_format_flags(const struct pfm_rule *, char *buf, size_t len,
	    const char *services, int flags);
/* Same, with the services list the ruleset was parsed with. */
char	*pfm_ruleset_format_rule(const struct pfm_ruleset *, const struct pfm_rule *,
	    char *buf, size_t len);

#endif
