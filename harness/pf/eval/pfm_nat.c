/* pfm_nat.c: translation as pf_get_translation does it: first-match nat/rdr/binat
 * rules (with skip steps), address pools, NAT source port allocation, rdr port
 * mapping and rdr source-port rewrite on collision, and the packet rewrite. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

#define NAT_LOW		50001
#define NAT_HIGH	65535
#define RDR_SRC_TRIES	16
#define POOL_MAX	64

static void
plen_mask(int plen, int af, uint32_t *m)
{
	int j, n = af == 4 ? 1 : 4, bits = plen;

	memset(m, 0, 16);
	for (j = 0; j < n; j++, bits -= 32)
		m[j] = bits >= 32 ? 0xffffffff : bits <= 0 ? 0 : htonl(~0u << (32 - bits));
}

static int
prefix_match(const uint32_t *addr, const uint32_t *mask, const uint8_t *a, int af)
{
	uint32_t w[4];
	int i, n = af == 4 ? 1 : 4;

	memcpy(w, a, (size_t)n * 4);
	for (i = 0; i < n; i++)
		if ((w[i] & mask[i]) != (addr[i] & mask[i]))
			return (0);
	return (1);
}

/* pfr_match_addr: the most specific entry decides; a negated one means "not in". */
static int
table_match(const struct pfm_table *t, const uint8_t *a, int af)
{
	const struct pfm_table_entry *e, *best = NULL;
	uint32_t ea[4], m[4];
	int i;

	t = pfm_table_used(t);
	for (i = 0; t != NULL && i < t->nent; i++) {
		e = &t->ent[i];
		if (pfm_af46(e->af) != af)
			continue;
		plen_mask(e->plen, af, m);
		memcpy(ea, e->addr, 16);
		if (prefix_match(ea, m, a, af) && (best == NULL || e->plen > best->plen))
			best = e;
	}
	return (best != NULL && !best->neg);
}

int
pfm_match_caddr(const struct pfm_caddr *ca, const uint8_t *a, int af)
{
	int i, m = 0;

	switch ((enum pfm_ca_type)ca->type) {
	case PFM_CA_ANY:
		m = 1;
		break;
	case PFM_CA_MASK:
		m = (ca->af == 0 || ca->af == af) && prefix_match(ca->addr, ca->mask, a, af);
		break;
	case PFM_CA_LIST:
		for (i = 0; i < ca->nlist && !m; i++)
			m = ca->list[i].af == af &&
			    prefix_match(ca->list[i].addr, ca->list[i].mask, a, af);
		break;
	case PFM_CA_TABLE:
		m = ca->table != NULL && table_match(ca->table, a, af);
		break;
	case PFM_CA_RANGE:
		m = ca->af == af &&
		    memcmp(a, ca->addr, af == 4 ? 4 : 16) >= 0 &&
		    memcmp(a, ca->mask, af == 4 ? 4 : 16) <= 0;
		break;
	case PFM_CA_NEVER:
		m = 0;
		break;
	}
	return (m ^ ca->neg);
}

int
pfm_match_port(int op, uint16_t a1, uint16_t a2, uint16_t p)
{
	switch ((enum pfm_op)op) {
	case PFM_OP_NONE:
		return (1);
	case PFM_OP_IRG:
		return (p > a1 && p < a2);
	case PFM_OP_XRG:
		return (p < a1 || p > a2);
	case PFM_OP_RRG:
		return (p >= a1 && p <= a2);
	case PFM_OP_EQ:
		return (p == a1);
	case PFM_OP_NE:
		return (p != a1);
	case PFM_OP_LT:
		return (p < a1);
	case PFM_OP_LE:
		return (p <= a1);
	case PFM_OP_GT:
		return (p > a1);
	case PFM_OP_GE:
		return (p >= a1);
	}
	return (0);
}

/* pf_match_translation: first match with skip steps; `no` rules mean none. For binat
 * inbound the rule's destination is matched against the source and the pool address
 * against the destination. */
static struct pfm_crule *
match_translation(struct pfm *pf, enum pfm_list l, const struct pfm_pd *pd,
    uint16_t sport, uint16_t dport)
{
	struct pfm_clist *cl = &pf->list[l];
	const uint8_t *sa = pd->pkt + pd->src_off, *da = pd->pkt + pd->dst_off;
	const struct pfm_caddr *src, *dst;
	struct pfm_crule *c;
	struct pfm_astack as;
	int i = 0, binat_in, done;

	as.depth = 0;
	while (i < cl->n) {
		c = &cl->r[i];
		cl->evaluations[i]++;
		binat_in = l == PFM_L_BINAT && pd->dir == PFM_IN;
		src = binat_in ? &c->dst : &c->src;
		dst = binat_in ? NULL : &c->dst;
		if (!(c->ifmask >> pd->kif & 1))
			i = c->skip[PFM_SKIP_IFP];
		else if (c->af && c->af != pd->af)
			i = c->skip[PFM_SKIP_AF];
		else if (c->proto && c->proto != pd->proto)
			i = c->skip[PFM_SKIP_PROTO];
		else if (!pfm_match_caddr(src, pd->pkt + pd->src_off, pd->af))
			i = c->skip[binat_in ? PFM_SKIP_DST_ADDR : PFM_SKIP_SRC_ADDR];
		else if (src->port_op && !pfm_match_port(src->port_op, src->port[0],
		    src->port[1], ntohs(sport)))
			i = c->skip[binat_in ? PFM_SKIP_DST_PORT : PFM_SKIP_SRC_PORT];
		else if (dst != NULL && !pfm_match_caddr(dst, da, pd->af))
			i = c->skip[PFM_SKIP_DST_ADDR];
		else if (binat_in && !pfm_match_caddr(&c->xdst, da, pd->af))
			i++;
		else if (dst != NULL && dst->port_op && !pfm_match_port(dst->port_op,
		    dst->port[0], dst->port[1], ntohs(dport)))
			i = c->skip[PFM_SKIP_DST_PORT];
		else if (c->match_tag &&
		    (c->match_tag == pd->tag) == c->match_tag_not)
			i++;	/* pf_match_tag: the packet's tag */
		else if (c->r->anchor != NULL)	/* nat-anchor & co: first match inside */
			pfm_anchor_step_in(pf, &as, l, &cl, &i, NULL);
		else
			return (c);
		if (i >= cl->n && as.depth > 0)
			pfm_anchor_step_out(pf, &as, l, &cl, &i, NULL, &done);
	}
	(void)sa;
	return (NULL);
}

/* Radix order: by address, then the longer prefix first (a table's entries and an
 * interface's addresses as pfr_kentry_byidx walks them, rnh_walktree in pf_table.c). */
static int
radix_cmp(const void *a, const void *b)
{
	const struct pfm_prefix *x = a, *y = b;
	int c = memcmp(x->addr, y->addr, x->af == 4 ? 4 : 16);

	return (c != 0 ? c : memcmp(y->mask, x->mask, x->af == 4 ? 4 : 16));
}

/* The pool's addresses of family af, resolved against the host; a table's and an
 * interface's (a group's) in the order pf walks their radix tree, not as written;
 * from (may be NULL) gets the index in the pool of each one's entry. A route-to entry
 * that names an interface alone (`route-to em0`) is the zero address of any family. */
static int
pool_addrs(struct pfm *pf, const struct pfm_pool *pool, int af, struct pfm_prefix *out,
    int *from)
{
	const struct pfm_addr *pa;
	const struct pfm_table *tu;
	int i, j, k, n = 0, n0;

	for (i = 0; i < pool->naddr && n < POOL_MAX; i++) {
		pa = &pool->addr[i];
		n0 = n;
		switch (pa->type) {
		case PFM_ADDR_MASK:
		case PFM_ADDR_ANY:
			if (pfm_af46(pa->af) != af && !(pa->af == 0 &&
			    pool->ifname != NULL && pool->ifname[i][0] != '\0'))
				break;
			out[n].af = af;
			memcpy(out[n].addr, pa->addr, 16);
			memcpy(out[n].mask, pa->mask, 16);
			n++;
			break;
		case PFM_ADDR_DYNIFTL:
			/* an interface, or a group's members (pf_if.c,
			 * pfi_table_update: every member's instance), as
			 * pfm_compile.c resolves the rules' addresses */
			for (j = 0; j < pf->host.niface && n < POOL_MAX; j++) {
				const struct pfm_if *ifp = &pf->host.iface[j];
				int g, member = strcmp(ifp->name, pa->ifname) == 0;

				for (g = 0; g < ifp->ngroup; g++)
					member |= strcmp(ifp->group[g], pa->ifname) == 0;
				if (!member)
					continue;
				for (k = 0; k < ifp->naddr && n < POOL_MAX; k++) {
					if (pfm_af46(ifp->addr[k].af) != af)
						continue;
					out[n].af = af;
					memcpy(out[n].addr, ifp->addr[k].addr, 16);
					plen_mask(af == 4 ? 32 : 128, af, out[n].mask);
					n++;
					if (pa->iflags & PFM_IFTL_NOALIAS)
						break;
				}
			}
			break;
		case PFM_ADDR_TABLE:
			tu = pfm_table_used(pa->table);
			for (j = 0; tu != NULL && j < tu->nent && n < POOL_MAX; j++) {
				const struct pfm_table_entry *e = &tu->ent[j];

				if (e->neg || pfm_af46(e->af) != af)
					continue;
				out[n].af = af;
				memcpy(out[n].addr, e->addr, 16);
				plen_mask(e->plen, af, out[n].mask);
				n++;
			}
			break;
		default:
			break;
		}
		if (pa->type == PFM_ADDR_DYNIFTL || pa->type == PFM_ADDR_TABLE)
			qsort(out + n0, (size_t)(n - n0), sizeof(*out), radix_cmp);
		for (j = n0; from != NULL && j < n; j++)
			from[j] = i;
	}
	return (n);
}

/* naddr = (raddr & mask) | (saddr & ~mask): PF_POOLMASK. */
static void
poolmask(uint8_t *naddr, const uint32_t *raddr, const uint32_t *mask,
    const uint8_t *saddr, int af)
{
	uint32_t s[4], r[4];
	int i, n = af == 4 ? 1 : 4;

	memcpy(s, saddr, (size_t)n * 4);
	for (i = 0; i < n; i++)
		r[i] = (raddr[i] & mask[i]) | (s[i] & ~mask[i]);
	memcpy(naddr, r, (size_t)n * 4);
}

static uint32_t
hash_addr(const uint8_t *a, int af)
{
	uint32_t h = 0x811c9dc5;
	int i;

	for (i = 0; i < (af == 4 ? 4 : 16); i++)
		h = (h ^ a[i]) * 16777619;
	return (h);
}

/* pf_map_addr on one of r's pools (its rpool, or a FreeBSD 15 filter rule's nat-to
 * or rdr-to pool). */
static int
map_pool(struct pfm *pf, struct pfm_rule *r, struct pfm_pool *pool,
    const uint8_t *saddr, int af, uint8_t *naddr, int *entry)
{
	struct pfm_prefix p[POOL_MAX];
	int from[POOL_MAX];
	uint32_t host[4], h;
	int n, e = 0, sn = pfm_sn_pool_type(pf, r, pool);

	if (entry != NULL)
		*entry = -1;
	/* sticky-address: the source's node keeps its address; 15 (pf_map_addr_sn)
	 * drops one whose address left the pool (route: made anew, pfm_src15.c) */
	n = pool_addrs(pf, pool, af, p, from);
	if (pool->sticky && pool->type != PFM_POOL_NONE && pf->src != NULL &&
	    pfm_src_sticky(pf, r, sn, saddr, af, naddr)) {
		if (!pfm_is15(pf) || pfm_sn_valid15(p, n, naddr))
			return (0);
		pfm_src_forget(pf, r, sn, saddr, af, sn == PFM_SN_ROUTE);
	}
	if (n == 0)
		return (-1);
	switch (pool->type) {
	case PFM_POOL_NONE:
		memcpy(naddr, p[0].addr, af == 4 ? 4 : 16);
		break;
	case PFM_POOL_BITMASK:
		poolmask(naddr, p[0].addr, p[0].mask, saddr, af);
		break;
	case PFM_POOL_RANDOM:
		e = n > 1 ? (int)(pfm_random(pf) % (uint32_t)n) : 0;
		host[0] = pfm_random(pf);
		host[1] = pfm_random(pf);
		host[2] = pfm_random(pf);
		host[3] = pfm_random(pf);
		if (pool->addr[from[e]].type == PFM_ADDR_TABLE)
			memset(host, 0, sizeof(host));	/* as source-hash's */
		poolmask(naddr, p[e].addr, p[e].mask, (uint8_t *)host, af);
		break;
	case PFM_POOL_SRCHASH:
		h = hash_addr(saddr, af);
		e = (int)(h % (uint32_t)n);
		host[0] = host[1] = host[2] = host[3] = h;
		/* FreeBSD 15's pf_map_addr (pf_lb.c): a table in a random or
		 * source-hash pool gives an entry's first address, never one inside
		 * it (the counter is zeroed before pfr_pool_get, which then starts at
		 * the block's base); main's route_to.sh random_table expects it */
		if (pool->addr[from[e]].type == PFM_ADDR_TABLE)
			memset(host, 0, sizeof(host));
		poolmask(naddr, p[e].addr, p[e].mask, (uint8_t *)host, af);
		break;
	case PFM_POOL_ROUNDROBIN: {
		/* cursor: entry in the high byte, host offset within it below */
		uint32_t ent = pool->rr_next >> 24, off = pool->rr_next & 0xffffff;
		uint32_t hostbits, a;
		int w = af == 4 ? 0 : 3;

		/* A fresh rule starts at the pool's second entry (its only one when it has
		 * one): FreeBSD 14's pf_map_addr (pf_lb.c) starts with rpool.cur the first
		 * entry, a zeroed counter and tblidx 0 (pf_ioctl.c sets only cur). For a
		 * table or an interface pfr_pool_get (pf_table.c) takes the counter as a
		 * position since tblidx >= 0, finds 0.0.0.0 outside entry 0 and moves to
		 * entry 1; for an address pf_match_addr misses the zero counter and
		 * try_next moves rpool.cur to the next entry (the same one when alone). */
		if (!pool->rr_used) {
			pool->rr_used = 1;
			ent = n > 1 ? 1 : 0;
			off = 0;
		}
		if (ent >= (uint32_t)n)
			ent = off = 0;
		e = (int)ent;
		hostbits = ~ntohl(p[ent].mask[w]);
		memcpy(naddr, p[ent].addr, af == 4 ? 4 : 16);
		a = (ntohl(p[ent].addr[w]) & ~hostbits) | (off & hostbits);
		a = htonl(a);
		memcpy(naddr + 4 * w, &a, 4);
		if (off >= hostbits || hostbits == 0) {
			ent = (ent + 1) % (uint32_t)n;
			off = 0;
		} else
			off++;
		pool->rr_next = ent << 24 | (off & 0xffffff);
		break;
	}
	}
	if (entry != NULL)
		*entry = from[e];
	return (0);
}

int
pfm_map_addr(struct pfm *pf, struct pfm_rule *r, const uint8_t *saddr, int af,
    uint8_t *naddr, int *entry)
{
	return (map_pool(pf, r, &r->rpool, saddr, af, naddr, entry));
}

int
pfm_map_pool(struct pfm *pf, struct pfm_rule *r, struct pfm_pool *pool,
    const uint8_t *saddr, int af, uint8_t *naddr)
{
	return (map_pool(pf, r, pool, saddr, af, naddr, NULL));
}

/* pfm_trans_pool, writable: a pool's round-robin cursor is model state. */
static struct pfm_pool *
tpool(struct pfm_rule *r)
{
	return ((struct pfm_pool *)(uintptr_t)pfm_trans_pool(r));
}

/* pf_get_sport's port search on one address: a free source port in low..high for
 * k, from a random start up then down. TCP, UDP and ICMP only: any other protocol
 * (ICMPv6 too) and static-port (0:0) keep the packet's own. A port is taken when
 * some state has that wire key. 0 with k's port set, or -1. */
/* Whether pf_get_sport's search must pass over the port in k: some state has the key
 * or, for an endpoint-independent rule, some mapping holds the outside endpoint (a
 * range is searched by the mappings alone; a single port by both). */
static int
port_taken(struct pfm *pf, const struct pfm_skey *k, int sidx, int eim, int single)
{
	if (eim && pfm_udpmap_find(pf, k->af, k->addr[sidx], k->port[sidx], 1) != NULL)
		return (1);
	if (eim && !single)
		return (0);
	return (pfm_state_exists(pf, k, PFM_SK_WIRE));
}

static int
sport_scan(struct pfm *pf, const struct pfm_pd *pd, struct pfm_skey *k, int sidx,
    uint32_t low, uint32_t high, int eim)
{
	uint32_t tmp, cut;
	int icmp = pd->proto == 1 || pd->proto == 58;

	if (!(pd->proto == 6 || pd->proto == 17 || pd->proto == 1) ||
	    (low == 0 && high == 0)) {
		k->port[sidx] = pd->sport;
		if (icmp)	/* the model keys ICMP as (id, id) */
			k->port[!sidx] = pd->sport;
		return (pfm_state_exists(pf, k, PFM_SK_WIRE) ? -1 : 0);
	}
	if (low > high) {
		tmp = low;
		low = high;
		high = tmp;
	}
	cut = low == high ? low : pfm_random(pf) % (1 + high - low) + low;
	for (tmp = cut; tmp <= high; tmp++) {
		k->port[sidx] = htons((uint16_t)tmp);
		if (icmp)
			k->port[!sidx] = k->port[sidx];
		if (!port_taken(pf, k, sidx, eim, low == high))
			return (0);
	}
	for (tmp = cut - 1; tmp >= low && tmp > 0; tmp--) {
		k->port[sidx] = htons((uint16_t)tmp);
		if (icmp)
			k->port[!sidx] = k->port[sidx];
		if (!port_taken(pf, k, sidx, eim, low == high))
			return (0);
	}
	return (-1);
}

/* pf_map_addr for a random pool asked again (pf_get_sport out of ports): a node of
 * sticky-address has nothing else to give; otherwise the pool counter steps by one
 * (PF_AINC) and the pool's network is grafted over it, so the search walks the
 * netblock and wraps. naddr is the address just tried. */
static int
random_next(struct pfm *pf, struct pfm_rule *r, const struct pfm_pd *pd,
    uint8_t *naddr)
{
	struct pfm_prefix p[POOL_MAX];
	uint32_t w[4];
	int i, n = pd->af == 4 ? 1 : 4;
	uint8_t cur[16];

	if (pfm_trans_pool(r)->sticky && pf->src != NULL &&
	    pfm_src_sticky(pf, r, PFM_SN_NAT, pd->pkt + pd->src_off, pd->af, cur))
		return (-1);
	if (pool_addrs(pf, tpool(r), pd->af, p, NULL) == 0)
		return (-1);
	memcpy(w, naddr, (size_t)n * 4);
	for (i = n - 1; i >= 0; i--) {
		w[i] = htonl(ntohl(w[i]) + 1);
		if (w[i] != 0)
			break;
	}
	poolmask(naddr, p[0].addr, p[0].mask, (uint8_t *)w, pd->af);
	return (0);
}

/* pf_get_sport: a free (naddr, nport) towards (daddr, dport) with nport in
 * low..high (ICMP: any echo id). Out of ports on one address, only random and
 * round-robin pools try another. */
static int
get_sport_range(struct pfm *pf, struct pfm_rule *r, const struct pfm_pd *pd,
    struct pfm_skey *nk, int sidx, uint32_t low, uint32_t high)
{
	const uint8_t *saddr = pd->pkt + pd->src_off;
	struct pfm_pool *pool = tpool(r);
	uint8_t init[16];
	int tries, eim = pd->proto == 17 && pool->endpoint_independent &&
	    !pool->static_port;
	struct pfm_skey k = *nk;
	struct pfm_udpmap *m;

	if (eim && (m = pfm_udpmap_find(pf, pd->af, saddr, pd->sport, 0)) != NULL) {
		/* the inside endpoint's mapping, whatever the destination */
		memcpy(k.addr[sidx], m->ex, 16);
		k.port[sidx] = m->ex_port;
		*nk = k;
		pf->udpmap_pend = m;
		pf->udpmap_pend_new = 0;
		return (0);
	}
	if (pd->proto == 1 && !pool->static_port) {
		low = 1;
		high = 65535;
	}
	if (map_pool(pf, r, pool, saddr, pd->af, k.addr[sidx], NULL) == -1)
		return (-1);
	memcpy(init, k.addr[sidx], 16);
	for (tries = 0; tries < POOL_MAX * POOL_MAX; tries++) {
		if (sport_scan(pf, pd, &k, sidx, low, high, eim) == 0) {
			*nk = k;
			if (eim && (m = calloc(1, sizeof(*m))) != NULL) {
				m->af = pd->af;
				memcpy(m->in, saddr, pd->af == 4 ? 4 : 16);
				m->in_port = pd->sport;
				memcpy(m->ex, k.addr[sidx], 16);
				m->ex_port = k.port[sidx];
				pfm_udpmap_discard(pf);
				pf->udpmap_pend = m;
				pf->udpmap_pend_new = 1;
			}
			return (0);
		}
		/* out of ports on this address: the pool's next one */
		switch (pool->type) {
		case PFM_POOL_RANDOM:
			if (random_next(pf, r, pd, k.addr[sidx]) == -1)
				return (-1);
			break;
		case PFM_POOL_ROUNDROBIN:
			if (map_pool(pf, r, pool, pd->pkt + pd->src_off, pd->af,
			    k.addr[sidx], NULL) == -1)
				return (-1);
			break;
		case PFM_POOL_NONE:
		case PFM_POOL_BITMASK:
		case PFM_POOL_SRCHASH:
			return (-1);
		}
		if (memcmp(init, k.addr[sidx], 16) == 0)
			return (-1);
	}
	return (-1);
}

/* map-e-portset OFFSET/PSIDLEN/PSID (RFC 7597's port sets; FreeBSD 14 pf_lb.c
 * pf_get_mape_sport): a port is A|PSID|j, A the top OFFSET bits (never 0), then the
 * PSID's PSIDLEN bits, then the rest free. From a random A up to the last, then down
 * to 1, each A's range of ports goes to pf_get_sport. */
static int
get_mape_sport(struct pfm *pf, struct pfm_rule *r, const struct pfm_pd *pd,
    struct pfm_skey *nk, int sidx)
{
	const struct pfm_pool *pool = tpool(r);
	unsigned int offset = pool->mape[0], psidlen = pool->mape[1];
	unsigned int ashift = 16 - offset, psidshift = ashift - psidlen;
	uint16_t psmask, highmask, ahigh, cut, i, low;

	psmask = (uint16_t)((pool->mape[2] & ((1u << psidlen) - 1)) << psidshift);
	highmask = (uint16_t)((1u << psidshift) - 1);
	ahigh = (uint16_t)((1u << offset) - 1);
	cut = (uint16_t)(pfm_random(pf) & ahigh);
	if (cut == 0)
		cut = 1;
	for (i = cut; i <= ahigh && i != 0; i++) {
		low = (uint16_t)(i << ashift) | psmask;
		if (get_sport_range(pf, r, pd, nk, sidx, low, low | highmask) == 0)
			return (0);
	}
	for (i = cut - 1; i > 0; i--) {
		low = (uint16_t)(i << ashift) | psmask;
		if (get_sport_range(pf, r, pd, nk, sidx, low, low | highmask) == 0)
			return (0);
	}
	return (-1);
}

/* pf_get_translation's source port for nat: static-port keeps it, map-e-portset
 * picks it from the port set, else the rule's range (default 50001-65535). */
static int
get_sport(struct pfm *pf, struct pfm_rule *r, const struct pfm_pd *pd,
    struct pfm_skey *nk, int sidx)
{
	const struct pfm_pool *pool = tpool(r);
	uint32_t low = pool->proxy_port[0], high = pool->proxy_port[1];

	if (pool->static_port)
		low = high = 0;
	else if (pool->mape[0] > 0)
		return (get_mape_sport(pf, r, pd, nk, sidx));
	else if (low == 0 && high == 0) {
		low = NAT_LOW;
		high = NAT_HIGH;
	}
	return (get_sport_range(pf, r, pd, nk, sidx, low, high));
}

/* rdr: the translated destination port. */
static uint16_t
rdr_port(struct pfm_rule *r, uint16_t dport)
{
	const struct pfm_pool *pool = tpool(r);
	uint32_t lo = pool->proxy_port[0], hi = pool->proxy_port[1], n;

	switch (pool->port_op) {
	case PFM_OP_EQ:
		return (htons((uint16_t)lo));
	case PFM_OP_RRG:
		if (hi < lo)
			hi = lo + (r->dst.port_op == PFM_OP_RRG ?
			    (uint32_t)(r->dst.port[1] - r->dst.port[0]) : 0);
		n = ((ntohs(dport) - (uint32_t)r->dst.port[0]) % (hi - lo + 1)) + lo;
		if (n > 65535)
			n -= 65535;
		return (htons((uint16_t)n));
	default:
		if (lo != 0)
			return (htons((uint16_t)lo));
		return (dport);
	}
}

/* FreeBSD 14: an rdr whose translated tuple is already a state's stack key gets a
 * random source port in 50001-65535 (16 tries, up then down). */
static void
rdr_fix_sport(struct pfm *pf, struct pfm_skey *nk)
{
	uint32_t cut, tmp;
	int tries = 0;
	uint16_t orig = nk->port[0];

	if (!pfm_state_exists(pf, nk, PFM_SK_STACK))
		return;
	cut = pfm_random(pf) % (1 + NAT_HIGH - NAT_LOW) + NAT_LOW;
	for (tmp = cut; tmp <= NAT_HIGH && tries < RDR_SRC_TRIES; tmp++, tries++) {
		nk->port[0] = htons((uint16_t)tmp);
		if (!pfm_state_exists(pf, nk, PFM_SK_STACK))
			return;
	}
	for (tmp = cut - 1; tmp >= NAT_LOW && tries < RDR_SRC_TRIES; tmp--, tries++) {
		nk->port[0] = htons((uint16_t)tmp);
		if (!pfm_state_exists(pf, nk, PFM_SK_STACK))
			return;
	}
	nk->port[0] = orig;	/* push on; the state insert will probably fail */
}

/* pf_get_transaddr: the translated key nk of pd for rule r acting as `act` (nat,
 * rdr, binat); c: r compiled (binat inbound reads its source), NULL for a FreeBSD
 * 15 filter rule's nat-to or rdr-to. */
static int
build_nk(struct pfm *pf, struct pfm_rule *r, int act, const struct pfm_crule *c,
    struct pfm_pd *pd, struct pfm_skey *nk, int sidx)
{
	struct pfm_pool *pool = tpool(r);
	int didx = !sidx, alen = pd->af == 4 ? 4 : 16;
	struct pfm_prefix p[POOL_MAX];

	switch (act) {
	case PFM_R_NAT:
		return (get_sport(pf, r, pd, nk, sidx));
	case PFM_R_BINAT:
		if (pd->dir == PFM_OUT) {
			if (pool_addrs(pf, pool, pd->af, p, NULL) == 0)
				return (-1);
			poolmask(nk->addr[sidx], p[0].addr, p[0].mask,
			    pd->pkt + pd->src_off, pd->af);
		} else {
			if (c == NULL || c->src.type != PFM_CA_MASK)
				return (-1);
			poolmask(nk->addr[didx], c->src.addr, c->src.mask,
			    pd->pkt + pd->dst_off, pd->af);
		}
		return (0);
	case PFM_R_RDR:
		if (map_pool(pf, r, pool, pd->pkt + pd->src_off, pd->af, nk->addr[didx],
		    NULL) == -1)
			return (-1);
		/* pf_get_translation: a bitmask rdr grafts over the destination */
		if (pool->type == PFM_POOL_BITMASK &&
		    pool_addrs(pf, pool, pd->af, p, NULL) > 0)
			poolmask(nk->addr[didx], p[0].addr, p[0].mask,
			    pd->pkt + pd->dst_off, pd->af);
		if (pd->proto == 6 || pd->proto == 17)
			nk->port[didx] = rdr_port(r, pd->dport);
		(void)alen;
		if (pd->proto == 6 || pd->proto == 17)
			rdr_fix_sport(pf, nk);
		return (0);
	default:
		return (-1);
	}
}

/* The keys of pd's translation by r acting as act: skw, sks as pf's; r, or NULL
 * when the translation changes nothing (*reason: map-failed when no address or
 * port was found). */
static struct pfm_rule *
trans_keys(struct pfm *pf, struct pfm_rule *r, int act, const struct pfm_crule *c,
    struct pfm_pd *pd, struct pfm_skey *skw, struct pfm_skey *sks,
    enum pfm_res *reason)
{
	struct pfm_skey k0, nk;
	int sidx = pd->dir == PFM_IN ? 0 : 1;

	pfm_key_from_pd(pd, &k0, sidx);
	nk = k0;
	if (build_nk(pf, r, act, c, pd, &nk, sidx) == -1) {
		*reason = PFM_RES_MAPFAILED;
		return (r);
	}
	if (memcmp(&k0, &nk, offsetof(struct pfm_skey, idx)) == 0)
		return (NULL);	/* a translation that changes nothing is none */
	if (pd->dir == PFM_IN) {
		*skw = k0;
		*sks = nk;
	} else {
		*sks = k0;
		*skw = nk;
	}
	return (r);
}

struct pfm_rule *
pfm_nat_match(struct pfm *pf, struct pfm_pd *pd, struct pfm_skey *skw,
    struct pfm_skey *sks, enum pfm_res *reason)
{
	struct pfm_crule *c;

	*reason = PFM_RES_MATCH;
	if (pd->dir == PFM_OUT) {
		if ((c = match_translation(pf, PFM_L_BINAT, pd, pd->sport, pd->dport)) == NULL)
			c = match_translation(pf, PFM_L_NAT, pd, pd->sport, pd->dport);
	} else {
		if ((c = match_translation(pf, PFM_L_RDR, pd, pd->sport, pd->dport)) == NULL)
			c = match_translation(pf, PFM_L_BINAT, pd, pd->sport, pd->dport);
	}
	if (c != NULL && c->tag)
		pd->tag = c->tag;	/* pf_tag_packet, `no` rules too; filter
					 * rules then match it with tagged */
	if (c == NULL || c->action == PFM_R_NONAT || c->action == PFM_R_NORDR ||
	    c->action == PFM_R_NOBINAT)
		return (NULL);
	return (trans_keys(pf, c->r, c->r->action, c, pd, skw, sks, reason));
}

struct pfm_rule *
pfm_nat_rule15(struct pfm *pf, struct pfm_rule *r, struct pfm_pd *pd,
    struct pfm_skey *skw, struct pfm_skey *sks, enum pfm_res *reason)
{
	*reason = PFM_RES_MATCH;
	/* pf_rule_apply_nat: nat-to acts as PF_NAT, else rdr-to as PF_RDR, through
	 * the pf_get_transaddr the old rules use */
	return (trans_keys(pf, r, r->natpool.naddr > 0 ? PFM_R_NAT : PFM_R_RDR, NULL,
	    pd, skw, sks, reason));
}

int
pfm_nat_apply(struct pfm_pd *pd, const struct pfm_skey *k, int sidx)
{
	uint8_t *p = pd->pkt;
	int alen = pd->af == 4 ? 4 : 16, changed = 0;
	size_t l4sum = pd->sum_pseudo ? pd->sum_off : 0;

	if (memcmp(p + pd->src_off, k->addr[sidx], alen) != 0) {
		pfm_pkt_set_addr(p, pd->src_off, k->addr[sidx], pd->af, pd->ipsum_off,
		    l4sum, pd->sum_udp);
		changed = 1;
	}
	if (memcmp(p + pd->dst_off, k->addr[!sidx], alen) != 0) {
		pfm_pkt_set_addr(p, pd->dst_off, k->addr[!sidx], pd->af, pd->ipsum_off,
		    l4sum, pd->sum_udp);
		changed = 1;
	}
	if (pd->sport_off != 0 && pd->sport != k->port[sidx]) {
		pfm_pkt_set_port(p, pd->sport_off, k->port[sidx], pd->sum_off, pd->sum_udp);
		pd->sport = k->port[sidx];
		changed = 1;
	}
	if (pd->dport_off != 0 && pd->dport_off != pd->sport_off &&
	    pd->dport != k->port[!sidx]) {
		pfm_pkt_set_port(p, pd->dport_off, k->port[!sidx], pd->sum_off, pd->sum_udp);
		pd->dport = k->port[!sidx];
		changed = 1;
	}
	if (pd->dport_off == pd->sport_off)
		pd->dport = pd->sport;
	return (changed);
}
