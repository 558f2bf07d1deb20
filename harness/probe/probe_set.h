/* probe_set.h: the packets a rule matches as a union of boxes: per field (protocol,
 * addresses, ports, TCP flags, ICMP type and code) a sorted list of value intervals,
 * and a box the product of its fields. A rule's match set minus other rules' is a
 * box list; empty means no packet is left (the rule is shadowed). */
#ifndef PROBE_SET_H
#define PROBE_SET_H

#include <stdint.h>

/* A field value: an address (IPv4 in lo's low 32 bits, IPv6 as hi:lo), a port, a
 * protocol number. Compared as one unsigned 128-bit number. */
struct pval {
	uint64_t	hi, lo;
};

struct pivl {
	struct pval	a, b;		/* inclusive, a <= b */
};

/* A set of values: sorted, disjoint, non-adjacent intervals. */
struct pset {
	struct pivl	*iv;
	int		 n, cap;
};

enum pdim {
	PD_PROTO,
	PD_SRC,
	PD_SPORT,
	PD_DST,
	PD_DPORT,
	PD_FLAGS,	/* TCP flags byte; 0 for other protocols */
	PD_ITYPE,	/* ICMP type; 0 for other protocols */
	PD_ICODE,
	PD_N
};

struct pbox {
	struct pset	d[PD_N];
};

/* A union of boxes (they may overlap). capped: a subtraction was cut short at the
 * size limit, so the list holds more than the true difference (never less). */
struct pregion {
	struct pbox	*b;
	int		 n, cap;
	int		 capped;
};

#define PREGION_MAX	512

int	pval_cmp(struct pval, struct pval);
struct pval pval_u(uint64_t);
/* An address of af (AF_INET: 4 bytes, AF_INET6: 16) as a value, and back. */
struct pval pval_addr(int af, const uint8_t *a);
void	pval_to_addr(struct pval, int af, uint8_t *a);
/* The largest value of dimension d for af. */
struct pval pdim_max(enum pdim d, int af);

/* Sets: _free(NULL-initialised) is a no-op; every function returning int gives 0, or
 * -1 when out of memory (the set is then left as it was or empty). */
void	pset_init(struct pset *);
void	pset_free(struct pset *);
int	pset_copy(struct pset *dst, const struct pset *src);
int	pset_add(struct pset *, struct pval a, struct pval b);	/* union with [a,b] */
int	pset_add_set(struct pset *, const struct pset *x);	/* union with x */
int	pset_full(struct pset *, struct pval max);		/* [0, max] */
int	pset_and(struct pset *out, const struct pset *, const struct pset *);
int	pset_minus(struct pset *out, const struct pset *, const struct pset *);
int	pset_empty(const struct pset *);
int	pset_has(const struct pset *, struct pval);
int	pset_meets(const struct pset *, const struct pset *);
int	pset_within(const struct pset *in, const struct pset *of);	/* in ⊆ of */
/* A value of s: the first of prefs[0..n-1] in s, else a plain one (an interval's
 * second value when it has more than two, so that a network's own address and a
 * port 0 are avoided). -1 when s is empty. */
int	pset_pick(const struct pset *, const struct pval *prefs, int n, struct pval *out);

void	pbox_init(struct pbox *);
void	pbox_free(struct pbox *);
int	pbox_copy(struct pbox *dst, const struct pbox *src);
/* Every field full for af (what a rule without conditions matches). */
int	pbox_full(struct pbox *, int af);
int	pbox_empty(const struct pbox *);
int	pbox_meets(const struct pbox *, const struct pbox *);
/* out = a ∩ b; 1 when not empty, 0 empty, -1 out of memory. */
int	pbox_and(struct pbox *out, const struct pbox *a, const struct pbox *b);

void	pregion_init(struct pregion *);
void	pregion_free(struct pregion *);
/* Append a copy of b (an empty box is not added). */
int	pregion_add(struct pregion *, const struct pbox *);
int	pregion_add_region(struct pregion *, const struct pregion *);
/* r = r - q: each box split into at most PD_N pieces outside q. */
int	pregion_minus(struct pregion *, const struct pbox *q);
/* out += a ∩ b (each box of a with each of b). */
int	pregion_and_region(struct pregion *out, const struct pregion *a,
	    const struct pregion *b);
/* r = r ∩ q */
int	pregion_and(struct pregion *, const struct pbox *q);
int	pregion_empty(const struct pregion *);

#endif
