/* pfm_parse_rule.h: private to the rule grammar files: option blocks as pfctl collects
 * them before a rule is built. */
#ifndef PFM_PARSE_RULE_H
#define PFM_PARSE_RULE_H

#include "pfm_grammar.h"

#define FOM_FLAGS	0x0001
#define FOM_ICMP	0x0002
#define FOM_TOS		0x0004
#define FOM_KEEP	0x0008
#define FOM_SRCTRACK	0x0010
#define FOM_MINTTL	0x0020
#define FOM_MAXMSS	0x0040
#define FOM_AFTO	0x0080	/* FreeBSD 15: af-to */
#define FOM_SETTOS	0x0100
#define FOM_SCRUB_TCP	0x0200
#define FOM_SETPRIO	0x0400
#define FOM_ONCE	0x1000	/* FreeBSD 15: once */
#define FOM_PRIO	0x2000
#define FOM_FRAGCACHE	0x8000

#define PFM_RTABLE_MAX	15	/* net.fibs 16 */

struct filter_opts {
	int		 marker;
	struct node_uid	*uids, *gids;
	int		 flags, flagset;
	struct node_icmp *icmp;
	uint8_t		 tos;
	uint32_t	 prob, ridentifier;
	int		 keep;
	struct node_state_opt *keepopts;
	int		 fragment, allowopts;
	char		*label[5];
	int		 nlabel;
	char		*qname, *pqname;
	char		*tag, *match_tag;
	int		 match_tag_not;
	uint16_t	 dnpipe, dnrpipe;
	int		 dn_is_pipe, dn_set;
	int		 rtableid;
	uint8_t		 prio, set_prio[2];
	uint16_t	 divert_port;
	int		 nodf, minttl, randomid, max_mss;
	uint8_t		 settos;
	char		*rcv;		/* received-on interface (arena), NULL none */
	int		 rcvnot;
	/* FreeBSD 15 */
	struct redirspec *nat, *rdr;	/* nat-to, binat-to, af-to from; rdr-to, af-to to */
	uint32_t	 pktrate[2];	/* max-pkt-rate limit/seconds */
	uint16_t	 max_pkt_size;
};

struct scrub_opts {
	int		 marker;
	int		 nodf, minttl, maxmss, settos, fragcache, randomid;
	int		 reassemble_tcp;
	char		*match_tag;
	int		 match_tag_not;
	int		 rtableid;
};

struct pool_opts {
	int		 type;		/* enum pfm_pool_type */
	int		 staticport, sticky;
	uint32_t	 key[4];
	int		 has_key;
	uint16_t	 mape[3];
	int		 endpi;		/* endpoint-independent */
	int		 prefer6;	/* FreeBSD 15: prefer-ipv6-nexthop */
};

/* FreeBSD 15's redirspec (parse.y bc0f7b9): where nat-to, rdr-to, binat-to and af-to
 * send a packet: hosts, an optional port or port range, the pool's options. */
struct redirspec {
	struct node_host *host;
	int		 ra, rb, rt;	/* portstar: first, last, "a:*" */
	struct pool_opts po;
	int		 af;		/* af-to: the family translated to */
	int		 binat;		/* binat-to */
};

/* pfm_parse_fb15.c: the filter options only FreeBSD 15 has. */
/* nat-to, rdr-to, binat-to, af-to, once, max-pkt-rate or max-pkt-size, its keyword
 * the lookahead, into fo: 0, or -1 with the error. */
int	pfm_parse_opt15(struct pfm_pctx *, struct filter_opts *);
/* What 15's pfrule does with them once the rule is read: r's families, the pools'
 * ports and options (their addresses stay in fo->nat->host, fo->rdr->host for the
 * expansion), binat-to's checks (src: the rule's source hosts). r->afto set before.
 * 0, or -1 with the errors. */
int	pfm_rule15(struct pfm_pctx *, struct pfm_rule *r, struct filter_opts *fo,
	    struct node_host *src);

int	pfm_parse_pool_opts(struct pfm_pctx *, struct pool_opts *);
int	pfm_parse_route(struct pfm_pctx *, struct node_host **, int *rt, struct pool_opts *);
int	pfm_parse_hashkey(struct pfm_pctx *, struct pool_opts *);
int	pfm_parse_filter_opts(struct pfm_pctx *, struct filter_opts *);
/* pfctl's blockspec after "block" (drop, return, return-rst, ...) into the rule. */
int	pfm_parse_blockspec(struct pfm_pctx *, struct pfm_rule *);
int	pfm_parse_scrub_opts(struct pfm_pctx *, struct scrub_opts *);
int	pfm_parse_keep(struct pfm_pctx *, struct filter_opts *);
int	pfm_parse_state_opt_list(struct pfm_pctx *, struct node_state_opt **);
int	pfm_parse_string(struct pfm_pctx *, char **);
int	pfm_parse_logquick(struct pfm_pctx *, int *log, int *logif, int *quick);
int	pfm_parse_log(struct pfm_pctx *, int *log, int *logif);
/* pfctl's marker check for an option given once: bit set in *marker and 0, or -1
 * with msg ("... cannot be redefined") when it was given before. */
int	pfm_mark_once(struct pfm_pctx *, int *marker, int bit, const char *msg);
/* The routing table number after "rtable", in pf's range, into *id: 0, or -1. */
int	pfm_parse_rtable(struct pfm_pctx *, int *id);
/* A tag name into a rule's 64-byte tag or tagged: 0, or -1 with pfctl's message. */
int	pfm_set_tag(struct pfm_pctx *, char *dst, const char *s);
/* pfctl's `af proto fromto filter_opts`, shared by pass/block and anchor rules after
 * the interface: 0, or -1 with the error given. */
int	pfm_parse_filter_tail(struct pfm_pctx *, struct pfm_rule *, struct pfm_expand *,
	    struct filter_opts *);
/* Tag, tagged, labels, prio and set prio from filter_opts into a filter or anchor
 * rule; -1 (the error given) for a label too long, as pfctl's rule_label. */
int	pfm_rule_marks(struct pfm_pctx *, struct pfm_rule *, const struct filter_opts *);
/* pfctl's checks shared by pass/block and anchor rules: 0, or -1 with the error. */
int	pfm_tag_lengths(struct pfm_pctx *, const struct filter_opts *);
int	pfm_flags_only_tcp(struct pfm_pctx *, const struct filter_opts *,
	    struct node_proto *, struct node_os *);

#endif
