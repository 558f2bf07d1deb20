/* probe_rule.c: what one parsed rule matches, as boxes of packets (probe_set.h), and
 * what a translation rule turns its packets into; from the rule's fields as pf's
 * matching reads them (pf_test_rule, pf_match_translation in FreeBSD 14's pf.c). */
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include "probe_impl.h"

/* [addr & mask, addr | ~mask] of af into s (added). */
static int
add_masked(struct pset *s, int af, const uint8_t *addr, const uint8_t *mask)
{
	uint8_t lo[16], hi[16];
	int i, n = af == AF_INET ? 4 : 16;

	for (i = 0; i < n; i++) {
		lo[i] = addr[i] & mask[i];
		hi[i] = addr[i] | (uint8_t)~mask[i];
	}
	return (pset_add(s, pval_addr(af, lo), pval_addr(af, hi)));
}

static void
plen_mask(int af, int plen, uint8_t *mask)
{
	int i, n = af == AF_INET ? 4 : 16;

	memset(mask, 0, 16);
	for (i = 0; i < n; i++, plen -= 8)
		mask[i] = plen >= 8 ? 0xff : plen > 0 ? (uint8_t)(0xff << (8 - plen)) : 0;
}

int
probe_if_member(const struct pfm_host *h, const char *ifname, const char *name)
{
	int i, k;

	if (strcmp(ifname, name) == 0)
		return (1);
	for (i = 0; i < h->niface; i++) {
		if (strcmp(h->iface[i].name, ifname) != 0)
			continue;
		for (k = 0; k < h->iface[i].ngroup; k++)
			if (strcmp(h->iface[i].group[k], name) == 0)
				return (1);
	}
	return (0);
}

int
probe_rule_on(const struct pfm_rule *r, const struct pfm_host *h, const char *ifname)
{
	int m;

	if (r->ifname[0] == '\0')
		return (1);
	m = probe_if_member(h, ifname, r->ifname);
	return (r->ifnot ? !m : m);
}

/* The addresses (if), its group's, or self's, of af into s: every address, the
 * networks (:network), the broadcast addresses (:broadcast), the first (:0). */
static int
dyn_set(const struct pfm_addr *a, int af, const struct pfm_host *h, struct pset *s,
    int *inexact)
{
	const struct pfm_ifaddr *ia;
	uint8_t mask[16], ones[16];
	int i, k, self = strcmp(a->ifname, "self") == 0, got;

	if (a->iflags & PFM_IFTL_PEER) {
		*inexact = 1;	/* point-to-point peers: the world has none */
		return (0);
	}
	memset(ones, 0xff, sizeof(ones));
	for (i = 0; i < h->niface; i++) {
		if (!self && !probe_if_member(h, h->iface[i].name, a->ifname))
			continue;
		got = 0;
		for (k = 0; k < h->iface[i].naddr; k++) {
			ia = &h->iface[i].addr[k];
			if (ia->af != af || (got && (a->iflags & PFM_IFTL_NOALIAS)))
				continue;
			got = 1;
			plen_mask(af, ia->plen, mask);
			if (a->iflags & PFM_IFTL_NETWORK) {
				if (add_masked(s, af, ia->addr, mask) == -1)
					return (-1);
			} else if (a->iflags & PFM_IFTL_BROADCAST) {
				uint8_t b[16];
				int j;

				if (af != AF_INET || ia->plen >= 31)
					continue;
				for (j = 0; j < 4; j++)
					b[j] = ia->addr[j] | (uint8_t)~mask[j];
				if (pset_add(s, pval_addr(af, b), pval_addr(af, b)) == -1)
					return (-1);
			} else if (add_masked(s, af, ia->addr, ones) == -1)
				return (-1);
		}
	}
	return (0);
}

/* A table's entries of af: the union of its entries less its negated ones, which is
 * pf's longest-prefix answer unless a plain entry lies inside a negated one. */
static int
table_set(const struct pfm_table *t, int af, struct pset *s, int *inexact)
{
	struct pset neg;
	uint8_t mask[16];
	int i, k, rc = 0;

	if (t == NULL) {
		*inexact = 1;
		return (0);
	}
	if (!t->active && t->root != NULL)
		t = t->root;	/* pfr_attach_table's fallback to the main ruleset's */
	pset_init(&neg);
	for (i = 0; i < t->nent && rc == 0; i++) {
		if (t->ent[i].af != af)
			continue;
		plen_mask(af, t->ent[i].plen, mask);
		rc = add_masked(t->ent[i].neg ? &neg : s, af, t->ent[i].addr, mask);
	}
	for (i = 0; i < t->nent && rc == 0 && !pset_empty(&neg); i++)
		for (k = 0; k < t->nent; k++)
			if (t->ent[i].neg && !t->ent[k].neg && t->ent[k].af == af &&
			    t->ent[k].plen > t->ent[i].plen)
				*inexact = 1;
	if (rc == 0)
		rc = pset_minus(s, s, &neg);
	pset_free(&neg);
	return (rc);
}

int
probe_addr_set(const struct pfm_addr *a, int af, const struct pfm_host *h,
    struct pset *out, int *inexact)
{
	struct pset s;
	int rc = 0;

	pset_init(&s);
	switch (a->type) {
	case PFM_ADDR_ANY:
		rc = pset_full(&s, pdim_max(PD_SRC, af));
		break;
	case PFM_ADDR_MASK:
		if (a->af == 0 || a->af == af)
			rc = add_masked(&s, af, a->addr, a->mask);
		break;
	case PFM_ADDR_RANGE:
		if (a->af == 0 || a->af == af)
			rc = pset_add(&s, pval_addr(af, a->addr), pval_addr(af, a->mask));
		break;
	case PFM_ADDR_DYNIFTL:
		rc = dyn_set(a, af, h, &s, inexact);
		break;
	case PFM_ADDR_TABLE:
		rc = table_set(a->table, af, &s, inexact);
		break;
	case PFM_ADDR_NOROUTE:
	case PFM_ADDR_URPFFAILED:
		/* routes are the kernel's: every address may be one */
		*inexact = 1;
		rc = pset_full(&s, pdim_max(PD_SRC, af));
		break;
	}
	if (rc == 0 && a->neg) {
		struct pset all;

		pset_init(&all);
		rc = pset_full(&all, pdim_max(PD_SRC, af));
		if (rc == 0)
			rc = pset_minus(&s, &all, &s);
		pset_free(&all);
	}
	if (rc == 0)
		rc = pset_copy(out, &s);
	pset_free(&s);
	return (rc);
}

/* pf_match_port: the ports of op over [a1, a2]. */
int
probe_port_set(enum pfm_op op, const uint16_t *p, struct pset *s)
{
	uint32_t a1 = p[0], a2 = p[1];
	int rc = 0;

	s->n = 0;
	switch (op) {
	case PFM_OP_NONE:
		return (pset_full(s, pval_u(0xffff)));
	case PFM_OP_EQ:
		return (pset_add(s, pval_u(a1), pval_u(a1)));
	case PFM_OP_NE:
		if (a1 > 0)
			rc = pset_add(s, pval_u(0), pval_u(a1 - 1));
		if (rc == 0 && a1 < 0xffff)
			rc = pset_add(s, pval_u(a1 + 1), pval_u(0xffff));
		return (rc);
	case PFM_OP_LT:
		return (a1 > 0 ? pset_add(s, pval_u(0), pval_u(a1 - 1)) : 0);
	case PFM_OP_LE:
		return (pset_add(s, pval_u(0), pval_u(a1)));
	case PFM_OP_GT:
		return (a1 < 0xffff ? pset_add(s, pval_u(a1 + 1), pval_u(0xffff)) : 0);
	case PFM_OP_GE:
		return (pset_add(s, pval_u(a1), pval_u(0xffff)));
	case PFM_OP_IRG:
		return (a2 > a1 + 1 ? pset_add(s, pval_u(a1 + 1), pval_u(a2 - 1)) : 0);
	case PFM_OP_XRG:
		if (a1 > 0)
			rc = pset_add(s, pval_u(0), pval_u(a1 - 1));
		if (rc == 0 && a2 < 0xffff)
			rc = pset_add(s, pval_u(a2 + 1), pval_u(0xffff));
		return (rc);
	case PFM_OP_RRG:
		return (a1 <= a2 ? pset_add(s, pval_u(a1), pval_u(a2)) : 0);
	}
	return (0);
}

static int
one(struct pset *s, uint64_t v)
{
	s->n = 0;
	return (pset_add(s, pval_u(v), pval_u(v)));
}

/* The protocols of the class: tcp; udp and sctp (ports); icmp; the rest. */
enum pclass { PC_TCP, PC_UDP, PC_ICMP, PC_OTHER, PC_N };

static int
class_protos(enum pclass c, struct pset *s)
{
	int rc = 0;

	s->n = 0;
	switch (c) {
	case PC_TCP:
		return (one(s, IPPROTO_TCP));
	case PC_UDP:
		rc = pset_add(s, pval_u(IPPROTO_UDP), pval_u(IPPROTO_UDP));
		return (rc ? rc : pset_add(s, pval_u(132), pval_u(132)));
	case PC_ICMP:
		rc = pset_add(s, pval_u(IPPROTO_ICMP), pval_u(IPPROTO_ICMP));
		return (rc ? rc : pset_add(s, pval_u(IPPROTO_ICMPV6), pval_u(IPPROTO_ICMPV6)));
	case PC_OTHER:
		rc = pset_full(s, pval_u(255));
		if (rc == 0) {
			struct pset x;
			enum pclass k;

			pset_init(&x);
			for (k = PC_TCP; k < PC_OTHER && rc == 0; k++)
				if ((rc = class_protos(k, &x)) == 0)
					rc = pset_minus(s, s, &x);
			pset_free(&x);
		}
		return (rc);
	case PC_N:
		break;
	}
	return (0);
}

/* The TCP flag bytes v with (v & flagset) == flags. */
static int
flag_set(uint8_t flags, uint8_t flagset, struct pset *s)
{
	int v;

	s->n = 0;
	if (flagset == 0)
		return (pset_full(s, pval_u(255)));
	for (v = 0; v < 256; v++)
		if ((v & flagset) == flags && pset_add(s, pval_u(v), pval_u(v)) == -1)
			return (-1);
	return (0);
}

/* Conditions beyond the fields the boxes hold, which the model still evaluates. */
static int
extra_conditions(const struct pfm_rule *r)
{
	return (r->tagged[0] != '\0' || r->tos != 0 || r->has_prio || r->prob != 0 ||
	    r->os[0] != '\0');
}

int
probe_rule_match(const struct pfm_rule *r, int af, int in, const struct pfm_host *h,
    struct pregion *out, int *inexact)
{
	const struct pfm_rule_addr *src = &r->src, *dst = &r->dst;
	struct pset proto, srcs, dsts, sp, dp, fl, ty, co, cl, zero;
	struct pbox b;
	int has_ports, binat_in, rc = -1;
	enum pclass c;

	if (r->af != 0 && r->af != af)
		return (0);
	if (r->fragment)
		return (0);	/* fragments only: the probes are whole packets */
	if (extra_conditions(r))
		*inexact = 1;
	binat_in = in && (r->action == PFM_R_BINAT || r->action == PFM_R_NOBINAT);
	pset_init(&proto); pset_init(&srcs); pset_init(&dsts); pset_init(&sp);
	pset_init(&dp); pset_init(&fl); pset_init(&ty); pset_init(&co); pset_init(&cl);
	pset_init(&zero);
	pbox_init(&b);
	if ((r->proto ? one(&proto, (uint64_t)r->proto) : pset_full(&proto,
	    pval_u(255))) == -1 || one(&zero, 0) == -1)
		goto out;
	if (binat_in) {
		/* pf_match_translation: the rule's destination against the source, the
		 * pool's address against the destination */
		struct pfm_addr *pa = r->rpool.naddr > 0 ? &r->rpool.addr[0] : NULL;

		if (probe_addr_set(&dst->addr, af, h, &srcs, inexact) == -1 ||
		    probe_port_set(dst->port_op, dst->port, &sp) == -1 ||
		    pset_full(&dp, pval_u(0xffff)) == -1)
			goto out;
		if (pa == NULL)
			*inexact = 1;
		else if (probe_addr_set(pa, af, h, &dsts, inexact) == -1)
			goto out;
		has_ports = dst->port_op != PFM_OP_NONE;
	} else {
		if (probe_addr_set(&src->addr, af, h, &srcs, inexact) == -1 ||
		    probe_addr_set(&dst->addr, af, h, &dsts, inexact) == -1 ||
		    probe_port_set(src->port_op, src->port, &sp) == -1 ||
		    probe_port_set(dst->port_op, dst->port, &dp) == -1)
			goto out;
		has_ports = src->port_op != PFM_OP_NONE || dst->port_op != PFM_OP_NONE;
	}
	if (flag_set(r->flags, r->flagset, &fl) == -1 ||
	    (r->type ? one(&ty, (uint64_t)r->type - 1) : pset_full(&ty, pval_u(255))) == -1 ||
	    (r->code ? one(&co, (uint64_t)r->code - 1) : pset_full(&co, pval_u(255))) == -1)
		goto out;
	for (c = PC_TCP; c < PC_N; c++) {
		if ((c == PC_ICMP || c == PC_OTHER) && has_ports)
			continue;	/* pf: no ports to match, the rule does not */
		if (c != PC_ICMP && (r->type || r->code))
			continue;
		if (class_protos(c, &cl) == -1 || pset_and(&b.d[PD_PROTO], &proto, &cl) == -1)
			goto out;
		if (pset_empty(&b.d[PD_PROTO]))
			continue;
		if (pset_copy(&b.d[PD_SRC], &srcs) == -1 || pset_copy(&b.d[PD_DST], &dsts) == -1 ||
		    pset_copy(&b.d[PD_SPORT], c <= PC_UDP ? &sp : &zero) == -1 ||
		    pset_copy(&b.d[PD_DPORT], c <= PC_UDP ? &dp : &zero) == -1 ||
		    pset_copy(&b.d[PD_FLAGS], c == PC_TCP ? &fl : &zero) == -1 ||
		    pset_copy(&b.d[PD_ITYPE], c == PC_ICMP ? &ty : &zero) == -1 ||
		    pset_copy(&b.d[PD_ICODE], c == PC_ICMP ? &co : &zero) == -1 ||
		    pregion_add(out, &b) == -1)
			goto out;
	}
	rc = 0;
out:
	pset_free(&proto); pset_free(&srcs); pset_free(&dsts); pset_free(&sp);
	pset_free(&dp); pset_free(&fl); pset_free(&ty); pset_free(&co); pset_free(&cl);
	pset_free(&zero);
	pbox_free(&b);
	return (rc);
}

int
probe_space(int af, struct pregion *out)
{
	static const struct pfm_rule any;	/* every field unset: any packet */

	return (probe_rule_match(&any, af, 1, NULL, out, &(int){ 0 }));
}

/* The pool's addresses of af (over: every address of a pool pf may pick). */
static int
pool_set(const struct pfm_pool *pool, int af, const struct pfm_host *h, struct pset *s)
{
	struct pset a;
	int i, k, inexact = 0, rc = 0;

	pset_init(&a);
	for (i = 0; i < pool->naddr && rc == 0; i++) {
		rc = probe_addr_set(&pool->addr[i], af, h, &a, &inexact);
		for (k = 0; k < a.n && rc == 0; k++)
			rc = pset_add(s, a.iv[k].a, a.iv[k].b);
	}
	pset_free(&a);
	return (rc);
}

/* 1 when a box's port set is a port-less protocol's ({0}: ICMP and others), whose
 * port a translation leaves alone; a TCP or UDP box's is a range of real ports. */
static int
portless(const struct pset *p)
{
	return (p->n == 1 && p->iv[0].a.lo == 0 && p->iv[0].a.hi == 0 &&
	    p->iv[0].b.lo == 0 && p->iv[0].b.hi == 0);
}

int
probe_rule_image(const struct pfm_rule *r, int af, int in, const struct pfm_host *h,
    struct pregion *out)
{
	struct pregion m;
	struct pset pool, ports;
	int i, inexact = 0, rc = -1;

	pregion_init(&m);
	pset_init(&pool);
	pset_init(&ports);
	if (probe_rule_match(r, af, in, h, &m, &inexact) == -1)
		goto out;
	switch (r->action) {
	case PFM_R_RDR:
		if (pool_set(&r->rpool, af, h, &pool) == -1)
			goto out;
		if (r->rpool.port_op == PFM_OP_EQ)
			rc = pset_add(&ports, pval_u(r->rpool.proxy_port[0]),
			    pval_u(r->rpool.proxy_port[0]));
		else if (r->rpool.port_op != 0)
			rc = pset_add(&ports, pval_u(r->rpool.proxy_port[0]), pval_u(0xffff));
		else
			rc = 0;
		if (rc == -1)
			goto out;
		for (i = 0; i < m.n; i++) {
			if (pset_copy(&m.b[i].d[PD_DST], &pool) == -1)
				goto out;
			if (r->rpool.port_op != 0 && !portless(&m.b[i].d[PD_DPORT]) &&
			    pset_copy(&m.b[i].d[PD_DPORT], &ports) == -1)
				goto out;
		}
		break;
	case PFM_R_NAT:
		if (pool_set(&r->rpool, af, h, &pool) == -1 ||
		    pset_add(&ports, pval_u(r->rpool.proxy_port[0]),
		    pval_u(r->rpool.proxy_port[1])) == -1)
			goto out;
		for (i = 0; i < m.n; i++) {
			if (pset_copy(&m.b[i].d[PD_SRC], &pool) == -1)
				goto out;
			if (!r->rpool.static_port && !portless(&m.b[i].d[PD_SPORT]) &&
			    pset_copy(&m.b[i].d[PD_SPORT], &ports) == -1)
				goto out;
		}
		break;
	case PFM_R_BINAT:
		if (in) {
			if (probe_addr_set(&r->src.addr, af, h, &pool, &inexact) == -1)
				goto out;
			for (i = 0; i < m.n; i++)
				if (pset_copy(&m.b[i].d[PD_DST], &pool) == -1)
					goto out;
		} else {
			if (pool_set(&r->rpool, af, h, &pool) == -1)
				goto out;
			for (i = 0; i < m.n; i++)
				if (pset_copy(&m.b[i].d[PD_SRC], &pool) == -1)
					goto out;
		}
		break;
	default:
		break;		/* `no` rules hand the packet on as it is */
	}
	rc = pregion_add_region(out, &m);
out:
	pregion_free(&m);
	pset_free(&pool);
	pset_free(&ports);
	return (rc);
}
