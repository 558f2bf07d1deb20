/* pfm_grammar.h: private to the pf.conf parser, the files of harness/pf/conf (and the
 * generated pfm_svcdata.c): tokens, parse nodes, the parse context. */
#ifndef PFM_GRAMMAR_H
#define PFM_GRAMMAR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "pf/pfm_rule.h"

/* A growable string. */
struct pfm_buf {
	char	*s;
	size_t	 len, cap;
};
void	pfm_buf_printf(struct pfm_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	pfm_buf_free(struct pfm_buf *);

/* Services (pfm_services.c; protocol names are in pfm.h). */
/* One services(5) entry; aliases is a space-separated list ("" for none). */
struct pfm_svent {
	const char	*name;
	int		 port;
	const char	*proto;
	const char	*aliases;
};
/* The bundled FreeBSD list (pfm_svcdata.c, generated from freebsd-services). */
extern const struct pfm_svent pfm_svcdata[];
extern const int pfm_svcdata_n;
struct pfm_svc;
/* A services(5) file, or the bundled list when path is NULL (no parsing then); NULL
 * with a message in err when the file cannot be read. Free with pfm_svc_free. */
struct pfm_svc *pfm_svc_load(const char *path, char *err, size_t errlen);
void	pfm_svc_free(struct pfm_svc *);
int	pfm_svc_port(const struct pfm_svc *, const char *name, const char *proto);
const char *pfm_svc_name(const struct pfm_svc *, int port, const char *proto);

struct pfm_icmptype { const char *name; int type; };
struct pfm_icmpcode { const char *name; int type, code; };
const struct pfm_icmptype *pfm_icmptype_byname(const char *, int af);
const struct pfm_icmptype *pfm_icmptype_bynum(int type, int af);
const struct pfm_icmpcode *pfm_icmpcode_byname(int type, const char *, int af);
const struct pfm_icmpcode *pfm_icmpcode_bynum(int type, int code, int af);

/* The timeout names pfctl knows, in pfctl's order. */
struct pfm_tmname { const char *name; int tm; };
extern const struct pfm_tmname pfm_timeouts[];

/* Tokens: characters stand for themselves, the rest start at 256. */
enum {
	T_EOF = 0,
	T_STRING = 256, T_NUMBER, T_ARROW, T_PORTBINARY, T_ERROR,
	K_FIRST,
	K_AFTO = K_FIRST, K_ALL, K_ALLOWOPTS, K_ALTQ, K_ANCHOR, K_ANTISPOOF, K_ANY,
	K_BANDWIDTH, K_BINAT, K_BINATANCHOR, K_BINATTO, K_BITMASK, K_BLOCK,
	K_BLOCKPOLICY,
	K_BRIDGE_TO, K_BUCKETS, K_CBQ, K_CODE, K_CODEL, K_DEBUG, K_DIVERTREPLY,
	K_DIVERTTO, K_DNPIPE, K_DNQUEUE, K_DROP, K_DUPTO, K_ENDPI, K_ETHER,
	K_FAILPOLICY,
	K_FAIRQ, K_FASTROUTE, K_FILENAME, K_FINGERPRINTS, K_FLAGS, K_FLOATING,
	K_FLUSH, K_FOR, K_FRAGMENT, K_FROM, K_GLOBAL, K_GROUP, K_HFSC, K_HOGS,
	K_HOSTID, K_ICMPTYPE, K_ICMP6TYPE, K_IFBOUND, K_IN, K_INCLUDE, K_INET,
	K_INET6, K_INTERVAL, K_KEEP, K_KEEPCOUNTERS, K_L3, K_LABEL, K_LIMIT,
	K_LINKSHARE, K_LOAD, K_LOG, K_LOGINTERFACE, K_MAPEPORTSET, K_MATCH,
	K_MATCHES, K_MAXIMUM, K_MAXMSS, K_MAXPKTRATE, K_MAXPKTSIZE, K_MAXSRCCONN,
	K_MAXSRCCONNRATE, K_MAXSRCNODES,
	K_MAXSRCSTATES, K_MINTTL, K_MODULATE, K_NAT, K_NATANCHOR, K_NATTO, K_NO,
	K_NODF, K_NOROUTE, K_NOSYNC, K_ON, K_ONCE, K_OPTIMIZATION, K_OS, K_OUT,
	K_OVERLOAD, K_PASS, K_PFLOW, K_PORT, K_PREFER6, K_PRIO,
	K_PRIORITY, K_PRIQ, K_PROBABILITY, K_PROTO,
	K_QLIMIT, K_QUEUE, K_QUICK, K_RANDOM, K_RANDOMID, K_RDR, K_RDRANCHOR,
	K_RDRTO, K_REALTIME, K_REASSEMBLE, K_RECEIVEDON, K_REPLYTO,
	K_REQUIREORDER, K_RETURN,
	K_RETURNICMP, K_RETURNICMP6, K_RETURNRST, K_RIDENTIFIER, K_ROUNDROBIN,
	K_ROUTE, K_ROUTETO, K_RTABLE, K_RULE, K_RULESET_OPTIMIZATION, K_SCRUB,
	K_SET, K_SETTOS, K_SKIP, K_SLOPPY, K_SOURCEHASH, K_SOURCETRACK, K_STATE,
	K_STATEDEFAULTS, K_STATEPOLICY, K_STATICPORT, K_STICKYADDRESS,
	K_SYNCOOKIES, K_SYNPROXY, K_TABLE, K_TAG, K_TAGGED, K_TARGET, K_TBRSIZE,
	K_TIMEOUT, K_TO, K_TOS, K_TTL, K_UPPERLIMIT, K_URPFFAILED, K_USER,
	K_LAST
};

struct pfm_tok {
	int	 type;
	char	*str;		/* T_STRING (owned by the token) */
	int64_t	 num;		/* T_NUMBER; T_PORTBINARY: the operator */
	int	 line;
};

/* One input file (the main text or an include). */
struct pfm_lfile {
	char		*name;
	char		*buf;
	size_t		 len, pos;
	int		 lineno;
	int		 errors;
	char		 ungetbuf[128];	/* pushed-back characters, per file */
	int		 ungetpos;
	int		 crlf_line;	/* first line ending in CR LF (a hint), 0: none */
	int		 crlf_hinted;
	int		 nul_seen;	/* a NUL byte was reported */
	unsigned long long dev, ino;	/* an included file's identity (loops) */
	struct pfm_lfile *prev;
};

#define PFM_INCLUDE_DEPTH	32	/* includes within includes */

struct pfm_sym {
	char		*nam, *val;
	int		 persist, used;
	struct pfm_sym	*next;
};

struct pfm_pctx;

/* Parse nodes, as pfctl's node_* lists (next/tail). */
struct node_host {
	struct pfm_addr	 addr;
	int		 af;
	int		 not;
	char		 tblname[32];	/* PFM_ADDR_TABLE */
	char		 ifindex[PFM_IFNAMSIZ];	/* link-local scope */
	char		*ifname;	/* route-to pool interface */
	int		 loopback;
	struct node_host *next, *tail;
};

struct node_port {
	uint16_t	 port[2];
	int		 op;
	struct node_port *next, *tail;
};

struct node_proto {
	int		 proto;
	struct node_proto *next, *tail;
};

struct node_if {
	char		 ifname[PFM_IFNAMSIZ];
	int		 not, dynamic, loopback;
	struct node_if	*next, *tail;
};

struct node_icmp {
	int		 type, code, proto;
	struct node_icmp *next, *tail;
};

struct node_uid {
	uint32_t	 v[2];
	int		 op;
	struct node_uid	*next, *tail;
};

struct node_os {
	char		*os;
	struct node_os	*next, *tail;
};

enum { SO_MAX, SO_NOSYNC, SO_SRCTRACK, SO_MAX_SRC_STATES, SO_MAX_SRC_CONN,
	SO_MAX_SRC_CONN_RATE, SO_MAX_SRC_NODES, SO_OVERLOAD, SO_STATELOCK,
	SO_TIMEOUT, SO_SLOPPY, SO_PFLOW };
enum { ST_NONE, ST_SRCTRACK, ST_GLOBAL, ST_RULE };

struct node_state_opt {
	int		 type;
	uint32_t	 v[2];		/* the value(s) */
	char		 tbl[32];	/* overload */
	struct node_state_opt *next, *tail;
};

/* Append the node list l (a single node: its tail set to itself) to the list head. */
#define PFM_LIST_APPEND(head, l) do {					\
	if ((head) == NULL)						\
		(head) = (l);						\
	else {								\
		(head)->tail->next = (l);				\
		(head)->tail = (l)->tail;				\
	}								\
} while (0)

/* What the expansion needs besides the rule template. */
struct pfm_expand {
	struct node_if	*ifs;
	struct node_host *rpool;
	struct node_proto *protos;
	struct node_os	*oses;
	struct node_host *src, *dst;
	struct node_port *sport, *dport;
	struct node_uid	*uids, *gids;
	struct node_icmp *icmp;
	int		 anchor;	/* anchor rule (printed without options) */
	struct node_host *nathosts, *rdrhosts;	/* FreeBSD 15: nat-to, rdr-to pools */
};

struct pfm_pctx {
	struct diag	*d;
	const struct pfm_load_opts *opts;
	const struct pfm_host *host;
	struct pfm_svc	*svc;
	struct pfm_ruleset *rs;
	/* lexer */
	struct pfm_lfile *file;
	const char	*parsebuf;
	char		*parsecopy;	/* the macro value parsebuf reads (owned) */
	int		 parseindex;
	int		 toklineno;	/* yylval.lineno */
	struct pfm_sym	*syms;
	struct pfm_tok	 tok;		/* lookahead */
	int		 havetok;
	struct pfm_tok	 pending;	/* a second lookahead (macro name, '=') */
	int		 havepending;
	int		 no;		/* the statement started with "no" */
	int		 rs_errors;	/* errors so far (all files) */
	struct pfm_buf	 pre;		/* what -v prints while parsing */
	int		 errflag;	/* yacc: no syntax error message until 0 */
	/* parser state */
	int		 rulestate, require_order;
	int		 blockpolicy, failpolicy;	/* enum pfm_block */
	uint16_t	 reticmp, reticmp6;
	int		 default_statelock;
	struct node_state_opt *state_defaults;
	struct pfm_rule	**tail[5];	/* scrub, filter, nat, rdr, binat */
	int		 nr[5];
	int		 included;
	void		*arena;		/* every node allocated by pfm_nalloc */
	/* anchors */
	struct pfm_anchor *anchor;	/* rules go into this anchor (NULL: main) */
	int		 bn;		/* inline anchors so far (pfctl's "_N") */
	struct pfm_loadanchor *loads, **loadtail;	/* `load anchor`, in order */
	int		 nloaded;
	int		 altq_sched;	/* the last altq's scheduler (its queues') */
	struct pfm_eth_rule **ehead;	/* ether rules go here (an inline ether anchor's);
					 * NULL: the ruleset's or the loaded anchor's */
	int		 fb15;		/* parse as FreeBSD 15's pfctl (else 14's) */
	/* a table statement (pfm_parse_table), for 15's inline anchors to call */
	int		(*tabledef)(struct pfm_pctx *);
};

/* One `load anchor "name" from "file"`. */
struct pfm_loadanchor {
	char		 name[1024];	/* path from the main ruleset */
	char		*file;
	struct pfm_loadanchor *next;
};

enum { PFCTL_STATE_NONE, PFCTL_STATE_OPTION, PFCTL_STATE_ETHER, PFCTL_STATE_SCRUB,
	PFCTL_STATE_QUEUE, PFCTL_STATE_NAT, PFCTL_STATE_FILTER };
enum { RS_SCRUB, RS_FILTER, RS_NAT, RS_RDR, RS_BINAT };

/* pfm_pctx.c: parse nodes live until the end of the parse, then go at once. */
void	*pfm_nalloc(struct pfm_pctx *, size_t);
char	*pfm_nstrdup(struct pfm_pctx *, const char *);
void	 pfm_arena_free(struct pfm_pctx *);
/* Messages: yyerror's `file:line: message` at the last token's line (counts an error,
 * returns 0); a raw line as pfctl's warnx writes it; what pfctl -v prints. */
int	 pfm_yyerror(struct pfm_pctx *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 pfm_raw(struct pfm_pctx *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 pfm_pre(struct pfm_pctx *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* pfm_lex.c */
/* Start on text (n bytes, NUL bytes included) named `name` in messages. 0 or -1. */
int	pfm_lex_init(struct pfm_pctx *, const char *name, const char *text, size_t n);
int	pfm_lex_pushfile(struct pfm_pctx *, const char *path);
void	pfm_lex_done(struct pfm_pctx *);
int	pfm_lex(struct pfm_pctx *, struct pfm_tok *);
void	pfm_lex_unget_nl(struct pfm_pctx *);
int	pfm_symset(struct pfm_pctx *, const char *nam, const char *val, int persist);
void	pfm_sym_clear(struct pfm_pctx *);	/* drop every macro but the -D ones */
/* The name to open for path: a relative one from opts->basedir, into full. */
void	pfm_lex_path(struct pfm_pctx *, const char *path, char *full, size_t len);
int	pfm_kw_lookup(const char *);
const char *pfm_kw_name(int);

/* pfm_tok.c: token helpers shared by the grammar files */
int	 pfm_peek(struct pfm_pctx *);
void	 pfm_next(struct pfm_pctx *);	/* consume the lookahead */
void	 pfm_discard(struct pfm_pctx *);	/* the same, in error recovery */
char	*pfm_take_string(struct pfm_pctx *);	/* consume a T_STRING */
int	 pfm_accept(struct pfm_pctx *, int type);
int	 pfm_syntax(struct pfm_pctx *);
int	 pfm_check_rulestate(struct pfm_pctx *, int);
void	 pfm_optnl(struct pfm_pctx *);
int	 pfm_comma(struct pfm_pctx *);
/* pfctl's `item | '{' optnl item_list '}'`: pfm_list_open takes the '{' (1) or
 * leaves a single item (0); pfm_list_more, after each item, is 1 while more follow. */
int	 pfm_list_open(struct pfm_pctx *);
int	 pfm_list_more(struct pfm_pctx *, int braced);
/* A rule's end, where yacc reduces it: a newline (or the end) must follow, then
 * pfctl's check that statements come in order. 0, or -1 with the error given. */
int	 pfm_rule_end(struct pfm_pctx *, int state);

/* The statements, each in its file: pfm_parse_opt.c (set ...), pfm_parse_table.c,
 * pfm_parse_filter.c (pass, block, match, antispoof), pfm_parse_scrub.c,
 * pfm_parse_nat.c (nat, rdr, binat). */
int	pfm_parse_option(struct pfm_pctx *);
int	pfm_parse_table(struct pfm_pctx *);
int	pfm_parse_pfrule(struct pfm_pctx *);
int	pfm_parse_antispoof(struct pfm_pctx *);
int	pfm_parse_scrub(struct pfm_pctx *);
int	pfm_parse_natrule(struct pfm_pctx *);
int	pfm_parse_binat(struct pfm_pctx *);

/* pfm_parse_anchor.c: anchor rules and load anchor */
int	pfm_parse_anchorrule(struct pfm_pctx *);
int	pfm_parse_loadrule(struct pfm_pctx *);
/* The anchor at path, created empty the first time it is named (NULL: no memory). */
struct pfm_anchor *pfm_anchor_get(struct pfm_pctx *, const char *path);
/* Parse every `load anchor` file into its anchor, with the top-level statement loop. */
void	pfm_load_anchors(struct pfm_pctx *, void (*parse_all)(struct pfm_pctx *));

/* pfm_parse_ether.c: `ether` rules and anchors (printed, not evaluated) */
int	pfm_parse_ether(struct pfm_pctx *);
/* An anchor name as pf_anchor_setup resolves it (from the root when it starts with
 * '/', else from the anchor being parsed; "../" one level up) into path (no leading
 * '/', a trailing "/ *" cut and *wild set). 0, or -1 for ".." beyond the root. */
int	pfm_anchor_resolve(struct pfm_pctx *, const char *name, char *path, size_t len,
	    int *wild);
void	pfm_eth_rules_free(struct pfm_eth_rule *);

/* pfm_parse_altq.c: altq and queue statements (printed, not modelled) */
int	pfm_parse_altq(struct pfm_pctx *);
int	pfm_parse_queue(struct pfm_pctx *);

/* pfm_parse_addr.c: interfaces, protocols, addresses, ports */
int	pfm_parse_interface(struct pfm_pctx *, struct node_if **);
int	pfm_parse_if_item(struct pfm_pctx *, struct node_if **);
int	pfm_parse_af(struct pfm_pctx *);
int	pfm_parse_proto(struct pfm_pctx *, struct node_proto **);
int	pfm_parse_fromto(struct pfm_pctx *, struct node_host **src, struct node_port **sp,
	    struct node_os **os, struct node_host **dst, struct node_port **dp);
int	pfm_parse_ipspec(struct pfm_pctx *, struct node_host **);
int	pfm_parse_host(struct pfm_pctx *, struct node_host **);
/* A table's "name>", its '<' taken: 0 with *out the caller's to free, or -1. */
int	pfm_parse_tblname(struct pfm_pctx *, char **out);
int	pfm_parse_host_list(struct pfm_pctx *, struct node_host **);
int	pfm_parse_portspec(struct pfm_pctx *, struct node_port **);
int	pfm_parse_portstar(struct pfm_pctx *, int *a, int *b, int *t);
int	pfm_parse_number(struct pfm_pctx *, int64_t *);
int	pfm_parse_numberstring(struct pfm_pctx *, char **);
int	pfm_parseport(struct pfm_pctx *, const char *, int *a, int *b, int *t, int ext);
/* pfctl's validate_range (FreeBSD 15): a range op a b that matches no port, or for
 * a<>b every port. 1 when so. */
int	pfm_port_range_bad(int op, int a, int b);
int	pfm_getservice(struct pfm_pctx *, const char *);

/* pfm_addr.c: host names to addresses against the host's interfaces */
struct node_host *pfm_host(struct pfm_pctx *, const char *);
struct node_host *pfm_ifa_lookup(struct pfm_pctx *, const char *, int flags);
int	pfm_ifa_exists(const struct pfm_host *, const char *, int *loopback);
void	pfm_set_ipmask(struct node_host *, int bits);
int	pfm_unmask(const uint8_t *mask);
int	pfm_check_netmask(struct pfm_pctx *, struct node_host *, int af);
/* The same check, leaving the nodes as they are: a rule expanded for IPv4 and IPv6
 * from one list must not see the IPv4 copy's /32 on its dynamic address. */
int	pfm_check_netmask_keep(struct pfm_pctx *, struct node_host *, int af);
void	pfm_free_hosts(struct node_host *);

/* pfm_expand.c */
void	pfm_expand_rule(struct pfm_pctx *, struct pfm_rule *, struct pfm_expand *);
void	pfm_append_rule(struct pfm_pctx *, struct pfm_rule *);
/* A string kept as long as the ruleset (file names, anchor calls). */
const char *pfm_intern(struct pfm_pctx *, const char *);
struct pfm_table *pfm_table_get(struct pfm_pctx *, const char *name);
/* The table a table statement defines: pfm_table_get's, but under FreeBSD 15 inside an
 * inline anchor's braces the anchor's own (its anchor the anchor's path). */
struct pfm_table *pfm_table_define(struct pfm_pctx *, const char *name);
void	pfm_expand_label(char *label, size_t len, const struct pfm_rule *);
void	pfm_free_expand(struct pfm_expand *);
void	pfm_decide_af(struct node_host *, int *af);
void	pfm_remove_invalid_hosts(struct node_host **, int *af);
int	pfm_invalid_redirect(struct pfm_pctx *, struct node_host *, int af);
int	pfm_disallow_table(struct pfm_pctx *, struct node_host *, const char *fmt);
/* pfm_parse_pool.c: a pool with several addresses, a table or a multi-address
 * interface becomes round-robin when no type was given; any other type refuses them
 * with pfctl's messages for `kind` pools ("routing", "redirection"). 0, or -1 with the
 * error. */
int	pfm_pool_check(struct pfm_pctx *, struct pfm_rule *, struct node_host *,
	    const char *kind, const char *multi_msg);
/* FreeBSD 15's check of pool p (every pool: route-to, nat, rdr, nat-to, rdr-to,
 * af-to); 0, or -1 with the error. */
int	pfm_pool_check15(struct pfm_pctx *, struct pfm_pool *p, struct node_host *);
int	pfm_disallow_alias(struct pfm_pctx *, struct node_host *, const char *fmt);

/* pfm_print.c */
void	pfm_print_addr(struct pfm_buf *, const struct pfm_addr *, int af);
void	pfm_print_rule(struct pfm_buf *, const struct pfm_rule *, const struct pfm_svc *);
/* print_fromto: r's `from ... to ...` (all, or the addresses, ports and os; services by
 * name from svc, NULL: numbers); verbose: tables with their address counts. */
void	pfm_print_fromto(struct pfm_buf *, const struct pfm_rule *r,
	    const struct pfm_svc *svc, int verbose);
/* pfm_print_eth.c: the ethernet rules from r on, one a line, depth two spaces in,
 * an inline anchor's rules in braces after it. */
void	pfm_print_eth_list(struct pfm_buf *, const struct pfm_eth_rule *r,
	    const struct pfm_svc *svc, int depth);
/* pfm_ruleset.c: one rule and what it owns (its pool), not the rules after it. */
void	pfm_rule_free(struct pfm_rule *);
/* pfm_optimize.c: pfctl's basic optimizer on every filter list of rs (the main one,
 * inline anchors', loaded anchors'); automatic tables join rs->tables, named as pfctl
 * -n (noaction) or pfctl -f names them. 0, or -1 out of memory. */
int	pfm_ruleset_optimize(struct pfm_ruleset *, const struct pfm_host *, int noaction);

#define DYNIF_MULTIADDR(a) ((a).type == PFM_ADDR_DYNIFTL && \
	(!((a).iflags & PFM_IFTL_NOALIAS) || \
	!((a).ifname[0] && (a).ifname[strlen((a).ifname) - 1] >= '0' && \
	(a).ifname[strlen((a).ifname) - 1] <= '9')))

#endif
