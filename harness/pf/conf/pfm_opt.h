/* pfm_opt.h: what the files of pfctl's optimizer share (pfm_optimize.c runs it): the
 * optimizer's rules and their lists (pfm_opt_rule.c), pass #3 (pfm_opt_skip.c). */
#ifndef PFM_OPT_H
#define PFM_OPT_H

#include "pfm_grammar.h"

#define NSKIP		8	/* PF_SKIP_COUNT: ifp dir af proto saddr sport daddr dport */

/* An automatic table being filled (pf_opt_tbl). */
struct otbl {
	char		name[32];
	struct pfm_table_entry *ent;
	int		nent, rulecount, generated;
	struct otbl	*next;		/* every table of the run, to free */
};

/* A rule in the optimizer (pf_opt_rule) and the tables it takes part in. */
struct por {
	struct pfm_rule	*r;
	struct otbl	*src_tbl, *dst_tbl;
	int		kept;		/* still in the list once optimized */
};

/* A list of rules: a superblock, or one skip step's group. */
struct plist {
	struct por	**p;
	int		n, cap;
};

/* A group of rules sharing one skip step field (pf_skip_step): the rules, and the
 * count it is ranked by (made 0 where the field cannot help). */
struct group {
	struct plist	l;
	int		count;
};

/* One skip step field's groups, the largest first. */
struct groups {
	struct group	*g;
	int		n, cap;
};

struct optctx {
	const struct pfm_host *host;
	struct pfm_ruleset *rs;
	int		noaction;	/* -n: pfctl keeps its temporary names */
	uint32_t	ident;		/* pf_opt_create_table's identifier */
	int		ntemp, nmade;	/* add_opt_table's, pf_opt_create_table's count */
	struct otbl	*tables;
	int		failed;
};

/* pfm_opt_rule.c */
/* p appended to l; 0, or -1 (o->failed set) when out of memory. */
int	pfm_opt_list_add(struct optctx *o, struct plist *l, struct por *p);
/* Element i of l removed, the rest kept in order. */
void	pfm_opt_list_del(struct plist *l, int i);
/* The index of p in l, or -1. */
int	pfm_opt_list_find(const struct plist *l, const struct por *p);
/* 1 when the n bytes at a are all zero. */
int	pfm_opt_azero(const uint8_t *a, int n);
/* pf's PF_ADDR_ADDRMASK: the model's any is one with a zero mask. */
int	pfm_opt_addrmask(const struct pfm_addr *a);
/* 1 when the address wraps are equal as pf_addr_wrap bytes (addrs_equal, no neg). */
int	pfm_opt_wrap_eq(const struct pfm_addr *a, const struct pfm_addr *b);
/* 1 when a and b agree on pf_rule_desc's BARRIER and BREAK fields (and the fields it
 * does not list). */
int	pfm_opt_eq_break(const struct pfm_rule *a, const struct pfm_rule *b);
/* 1 when a and b agree on pf_rule_desc's NOMERGE fields. */
int	pfm_opt_eq_nomerge(const struct pfm_rule *a, const struct pfm_rule *b);
/* superblock_inclusive: 1 when r may join the superblock whose first rule is first. */
int	pfm_opt_inclusive(const struct optctx *o, const struct pfm_rule *first,
	    const struct pfm_rule *r);
/* exclude_supersets: what of sub the rule super takes in anyway is made super's. */
void	pfm_opt_exclude_supersets(const struct pfm_rule *super, struct pfm_rule *sub);
/* comparable_rule(DC): 1 when a and b agree on every field but counters and numbers. */
int	pfm_opt_eq_dc(const struct pfm_rule *a, const struct pfm_rule *b);
/* addrs_combineable: 1 for two plain addresses (ADDRMASK) with the same ports. */
int	pfm_opt_combineable(const struct pfm_rule_addr *a, const struct pfm_rule_addr *b);

/* pfm_opt_skip.c */
/* Pass #3 (reorder_rules): the rules of b in the order pfctl gives them, appended to
 * out; 0, or -1 when out of memory. */
int	pfm_opt_reorder(struct optctx *o, struct plist *b, struct plist *out);

#endif
