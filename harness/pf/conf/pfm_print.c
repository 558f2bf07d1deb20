/* pfm_print.c: a rule (filter, nat, rdr, binat, scrub, anchor), its addresses and pools
 * printed exactly as pfctl's print_rule does, alone or into a caller's buffer. Ethernet
 * rules are pfm_print_eth.c's, a whole ruleset pfm_print_ruleset.c's. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"

static void	print_rule(struct pfm_buf *, const struct pfm_rule *,
		    const struct pfm_svc *, int verbose);

#define NAT_PORT_LOW	50001
#define NAT_PORT_HIGH	65535

static int
azero(const uint8_t *a)
{
	int i;

	for (i = 0; i < 16; i++)
		if (a[i])
			return (0);
	return (1);
}

/* print_addr; with verbose (pfctl -sr -vv) a table shows its address count as
 * pf_tbladdr_copyout gives it: of the table, else of the main ruleset's table it
 * falls back to, "*" when neither is active. */
static void
print_addr(struct pfm_buf *b, const struct pfm_addr *a, int af, int verbose)
{
	const struct pfm_table *t;
	char buf[64];
	int bits, zero;

	switch (a->type) {
	case PFM_ADDR_DYNIFTL:
		pfm_buf_printf(b, "(%s", a->ifname);
		if (a->iflags & PFM_IFTL_NETWORK)
			pfm_buf_printf(b, ":network");
		if (a->iflags & PFM_IFTL_BROADCAST)
			pfm_buf_printf(b, ":broadcast");
		if (a->iflags & PFM_IFTL_PEER)
			pfm_buf_printf(b, ":peer");
		if (a->iflags & PFM_IFTL_NOALIAS)
			pfm_buf_printf(b, ":0");
		pfm_buf_printf(b, ")");
		/* the interface name shares pf's address union: never "zero" */
		bits = pfm_unmask(a->mask);
		if (bits != (af == AF_INET ? 32 : 128))
			pfm_buf_printf(b, "/%d", bits);
		return;
	case PFM_ADDR_TABLE:
		if (!verbose || (t = a->table) == NULL) {
			pfm_buf_printf(b, "<%s>", a->table ? a->table->name : "");
			return;
		}
		if (!t->active && t->root != NULL)
			t = t->root;
		if (t->active)
			pfm_buf_printf(b, "<%s:%d>", a->table->name, t->nent);
		else
			pfm_buf_printf(b, "<%s:*>", a->table->name);
		return;
	case PFM_ADDR_RANGE:
		if (inet_ntop(af, a->addr, buf, sizeof(buf)) == NULL)
			pfm_buf_printf(b, "?");
		else
			pfm_buf_printf(b, "%s", buf);
		if (inet_ntop(af, a->mask, buf, sizeof(buf)) == NULL)
			pfm_buf_printf(b, " - ?");
		else
			pfm_buf_printf(b, " - %s", buf);
		return;
	case PFM_ADDR_NOROUTE:
		pfm_buf_printf(b, "no-route");
		return;
	case PFM_ADDR_URPFFAILED:
		pfm_buf_printf(b, "urpf-failed");
		return;
	case PFM_ADDR_ANY:
	case PFM_ADDR_MASK:
		zero = azero(a->addr) && azero(a->mask);
		if (zero) {
			pfm_buf_printf(b, "any");
			return;
		}
		if (inet_ntop(af, a->addr, buf, sizeof(buf)) == NULL)
			pfm_buf_printf(b, "?");
		else
			pfm_buf_printf(b, "%s", buf);
		bits = pfm_unmask(a->mask);
		if (bits != (af == AF_INET ? 32 : 128))
			pfm_buf_printf(b, "/%d", bits);
		return;
	}
}

void
pfm_print_addr(struct pfm_buf *b, const struct pfm_addr *a, int af)
{
	print_addr(b, a, af, 0);
}

static void
print_op(struct pfm_buf *b, int op, const char *a1, const char *a2)
{
	switch (op) {
	case PFM_OP_IRG: pfm_buf_printf(b, " %s >< %s", a1, a2); break;
	case PFM_OP_XRG: pfm_buf_printf(b, " %s <> %s", a1, a2); break;
	case PFM_OP_EQ: pfm_buf_printf(b, " = %s", a1); break;
	case PFM_OP_NE: pfm_buf_printf(b, " != %s", a1); break;
	case PFM_OP_LT: pfm_buf_printf(b, " < %s", a1); break;
	case PFM_OP_LE: pfm_buf_printf(b, " <= %s", a1); break;
	case PFM_OP_GT: pfm_buf_printf(b, " > %s", a1); break;
	case PFM_OP_GE: pfm_buf_printf(b, " >= %s", a1); break;
	case PFM_OP_RRG: pfm_buf_printf(b, " %s:%s", a1, a2); break;
	default: break;
	}
}

static void
print_port(struct pfm_buf *b, const struct pfm_rule_addr *ra, int proto,
    const struct pfm_svc *svc)
{
	char a1[8], a2[8];
	const char *name;

	name = pfm_svc_name(svc, ra->port[0], proto == IPPROTO_TCP ? "tcp" : "udp");
	snprintf(a1, sizeof(a1), "%u", ra->port[0]);
	snprintf(a2, sizeof(a2), "%u", ra->port[1]);
	pfm_buf_printf(b, " port");
	if (name != NULL && (ra->port_op == PFM_OP_EQ || ra->port_op == PFM_OP_NE))
		print_op(b, ra->port_op, name, a2);
	else
		print_op(b, ra->port_op, a1, a2);
}

static void
print_ugid(struct pfm_buf *b, int op, const uint32_t v[2], const char *t)
{
	char a1[12], a2[12];

	snprintf(a1, sizeof(a1), "%u", v[0]);
	snprintf(a2, sizeof(a2), "%u", v[1]);
	pfm_buf_printf(b, " %s", t);
	if (v[0] == 0xffffffffu && (op == PFM_OP_EQ || op == PFM_OP_NE))
		print_op(b, op, "unknown", a2);
	else
		print_op(b, op, a1, a2);
}

static void
print_flags(struct pfm_buf *b, int f)
{
	const char *flags = "FSRPAUEW";
	int i;

	for (i = 0; flags[i]; i++)
		if (f & (1 << i))
			pfm_buf_printf(b, "%c", flags[i]);
}

static int
is_any(const struct pfm_rule_addr *ra)
{
	return ((ra->addr.type == PFM_ADDR_ANY || ra->addr.type == PFM_ADDR_MASK) &&
	    azero(ra->addr.addr) && azero(ra->addr.mask) && !ra->addr.neg &&
	    !ra->port_op);
}

void
pfm_print_fromto(struct pfm_buf *b, const struct pfm_rule *r,
    const struct pfm_svc *svc, int verbose)
{
	if (is_any(&r->src) && is_any(&r->dst) && !r->os[0]) {
		pfm_buf_printf(b, " all");
		return;
	}
	pfm_buf_printf(b, " from ");
	if (r->src.addr.neg)
		pfm_buf_printf(b, "! ");
	print_addr(b, &r->src.addr, r->af, verbose);
	if (r->src.port_op)
		print_port(b, &r->src, r->proto, svc);
	if (r->os[0])
		pfm_buf_printf(b, " os \"%s\"", r->os);
	pfm_buf_printf(b, " to ");
	if (r->dst.addr.neg)
		pfm_buf_printf(b, "! ");
	print_addr(b, &r->dst.addr, r->af, verbose);
	if (r->dst.port_op)
		print_port(b, &r->dst, r->proto, svc);
}

static void
print_pool(struct pfm_buf *b, const struct pfm_pool *p, int p1, int p2, int af, int id,
    int fb15)
{
	int i;

	if (p->naddr > 1)
		pfm_buf_printf(b, "{ ");
	for (i = 0; i < p->naddr; i++) {
		/* an address prints in its own family (pfctl_parser.c bc0f7b9 takes the
		 * pool address's af): 15's prefer-ipv6-nexthop and af-to pools mix them */
		int aaf = p->addr[i].af ? p->addr[i].af : af;

		if (id == PFM_R_PASS && fb15 && p->addr[i].af == 0 &&
		    p->addr[i].type != PFM_ADDR_DYNIFTL)
			/* 15 tests a bare interface's zero address in its own family,
			 * none, so it prints the address, "?" (pfctl test pf1005) */
			pfm_buf_printf(b, "(%s ?)", p->ifname ? p->ifname[i] : "");
		else if (id == PFM_R_PASS) {
			if (azero(p->addr[i].addr) || p->addr[i].type == PFM_ADDR_DYNIFTL)
				pfm_buf_printf(b, "%s", p->ifname ? p->ifname[i] : "");
			else {
				pfm_buf_printf(b, "(%s ", p->ifname ? p->ifname[i] : "");
				pfm_print_addr(b, &p->addr[i], aaf);
				pfm_buf_printf(b, ")");
			}
		} else
			pfm_print_addr(b, &p->addr[i], aaf);
		if (i + 1 < p->naddr)
			pfm_buf_printf(b, ", ");
		else if (p->naddr > 1)
			pfm_buf_printf(b, " }");
	}
	if (id == PFM_R_NAT) {
		if ((p1 != NAT_PORT_LOW || p2 != NAT_PORT_HIGH) && (p1 != 0 || p2 != 0)) {
			if (p1 == p2)
				pfm_buf_printf(b, " port %u", p1);
			else
				pfm_buf_printf(b, " port %u:%u", p1, p2);
		}
	} else if (id == PFM_R_RDR) {
		if (p1) {
			pfm_buf_printf(b, " port %u", p1);
			if (p2 && p2 != p1)
				pfm_buf_printf(b, ":%u", p2);
		}
	}
	switch (p->type) {
	case PFM_POOL_NONE:
		break;
	case PFM_POOL_BITMASK:
		pfm_buf_printf(b, " bitmask");
		break;
	case PFM_POOL_RANDOM:
		pfm_buf_printf(b, " random");
		break;
	case PFM_POOL_SRCHASH:
		pfm_buf_printf(b, " source-hash 0x%08x%08x%08x%08x", p->key[0], p->key[1],
		    p->key[2], p->key[3]);
		break;
	case PFM_POOL_ROUNDROBIN:
		pfm_buf_printf(b, " round-robin");
		break;
	}
	if (p->sticky)
		pfm_buf_printf(b, " sticky-address");
	if (p->endpoint_independent)
		pfm_buf_printf(b, " endpoint-independent");
	if (id == PFM_R_NAT && p1 == 0 && p2 == 0)
		pfm_buf_printf(b, " static-port");
	if (p->mape[0] > 0)
		pfm_buf_printf(b, " map-e-portset %u/%u/%u", p->mape[0], p->mape[1],
		    p->mape[2]);
	/* FreeBSD 15 (pfctl_parser.c bc0f7b9 print_pool: last) */
	if (p->prefer6)
		pfm_buf_printf(b, " prefer-ipv6-nexthop");
}

static void
print_return(struct pfm_buf *b, const struct pfm_rule *r)
{
	const struct pfm_icmpcode *ic, *ic6;

	switch (r->block) {
	case PFM_BLOCK_RETURN:
		pfm_buf_printf(b, " return");
		return;
	case PFM_BLOCK_RETURN_RST:
		if (!r->return_ttl)
			pfm_buf_printf(b, " return-rst");
		else
			pfm_buf_printf(b, " return-rst(ttl %d)", r->return_ttl);
		return;
	case PFM_BLOCK_RETURN_ICMP:
		ic = pfm_icmpcode_bynum(r->return_icmp >> 8, r->return_icmp & 255, AF_INET);
		ic6 = pfm_icmpcode_bynum(r->return_icmp6 >> 8, r->return_icmp6 & 255,
		    AF_INET6);
		if (r->af == AF_INET) {
			if (ic == NULL)
				pfm_buf_printf(b, " return-icmp(%u)", r->return_icmp & 255);
			else
				pfm_buf_printf(b, " return-icmp(%s)", ic->name);
		} else if (r->af == AF_INET6) {
			if (ic6 == NULL)
				pfm_buf_printf(b, " return-icmp6(%u)", r->return_icmp6 & 255);
			else
				pfm_buf_printf(b, " return-icmp6(%s)", ic6->name);
		} else {
			pfm_buf_printf(b, " return-icmp");
			if (ic == NULL)
				pfm_buf_printf(b, "(%u, ", r->return_icmp & 255);
			else
				pfm_buf_printf(b, "(%s, ", ic->name);
			if (ic6 == NULL)
				pfm_buf_printf(b, "%u)", r->return_icmp6 & 255);
			else
				pfm_buf_printf(b, "%s)", ic6->name);
		}
		return;
	case PFM_BLOCK_DEFAULT:
	case PFM_BLOCK_DROP:
		pfm_buf_printf(b, " drop");
		return;
	}
}

static void
print_state_opts(struct pfm_buf *b, const struct pfm_rule *r)
{
	int opts = 0, i, j;

	if (r->max_states || r->max_src_nodes || r->max_src_states || r->nosync ||
	    r->srctrack || r->if_bound || r->sloppy || r->pflow)
		opts = 1;
	for (i = 0; !opts && i < PFM_TM_MAX; i++)
		if (r->timeout[i])
			opts = 1;
	if (!opts)
		return;
	pfm_buf_printf(b, " (");
	if (r->max_states) {
		pfm_buf_printf(b, "max %u", r->max_states);
		opts = 0;
	}
	if (r->nosync) {
		pfm_buf_printf(b, "%sno-sync", opts ? "" : ", ");
		opts = 0;
	}
	if (r->srctrack) {
		pfm_buf_printf(b, "%ssource-track %s", opts ? "" : ", ",
		    r->srctrack == 2 ? "rule" : "global");
		opts = 0;
	}
	if (r->max_src_states) {
		pfm_buf_printf(b, "%smax-src-states %u", opts ? "" : ", ", r->max_src_states);
		opts = 0;
	}
	if (r->max_src_conn) {
		pfm_buf_printf(b, "%smax-src-conn %u", opts ? "" : ", ", r->max_src_conn);
		opts = 0;
	}
	if (r->max_src_conn_rate[0]) {
		pfm_buf_printf(b, "%smax-src-conn-rate %u/%u", opts ? "" : ", ",
		    r->max_src_conn_rate[0], r->max_src_conn_rate[1]);
		opts = 0;
	}
	if (r->max_src_nodes) {
		pfm_buf_printf(b, "%smax-src-nodes %u", opts ? "" : ", ", r->max_src_nodes);
		opts = 0;
	}
	if (r->overload[0]) {
		pfm_buf_printf(b, "%soverload <%s>", opts ? "" : ", ", r->overload);
		if (r->flush)
			pfm_buf_printf(b, " flush");
		if (r->flush == 2)
			pfm_buf_printf(b, " global");
	}
	if (r->if_bound) {
		pfm_buf_printf(b, "%sif-bound", opts ? "" : ", ");
		opts = 0;
	}
	if (r->sloppy) {
		pfm_buf_printf(b, "%ssloppy", opts ? "" : ", ");
		opts = 0;
	}
	if (r->pflow) {
		pfm_buf_printf(b, "%spflow", opts ? "" : ", ");
		opts = 0;
	}
	for (i = 0; i < PFM_TM_MAX; i++)
		if (r->timeout[i]) {
			pfm_buf_printf(b, "%s", opts ? "" : ", ");
			opts = 0;
			for (j = 0; pfm_timeouts[j].name != NULL; j++)
				if (pfm_timeouts[j].tm == i)
					break;
			pfm_buf_printf(b, "%s %u", pfm_timeouts[j].name == NULL ?
			    "inv.timeout" : pfm_timeouts[j].name, r->timeout[i]);
		}
	pfm_buf_printf(b, ")");
}

static void
print_head(struct pfm_buf *b, const struct pfm_rule *r)
{
	static const char *const actions[] = { "pass", "block", "match", "scrub",
	    "no scrub", "nat", "no nat", "rdr", "no rdr", "binat", "no binat" };
	const char *pn;

	if (r->anchor != NULL) {
		pfm_buf_printf(b, "%s", r->action == PFM_R_NAT ? "nat-anchor" :
		    r->action == PFM_R_RDR ? "rdr-anchor" : r->action == PFM_R_BINAT ?
		    "binat-anchor" : "anchor");
		/* an unnamed inline anchor ("_N") prints without its name */
		if (r->anchor_call != NULL && r->anchor_call[0] != '_')
			pfm_buf_printf(b, " \"%s\"", r->anchor_call);
	} else
		pfm_buf_printf(b, "%s", actions[r->action]);
	if (r->pass_trans)
		pfm_buf_printf(b, " pass");
	if (r->action == PFM_R_BLOCK)
		print_return(b, r);
	if (r->direction == PFM_RDIR_IN)
		pfm_buf_printf(b, " in");
	else if (r->direction == PFM_RDIR_OUT)
		pfm_buf_printf(b, " out");
	if (r->log) {
		pfm_buf_printf(b, " log");
		if ((r->log & ~1) || r->logif) {
			int n = 0;

			pfm_buf_printf(b, " (");
			if (r->log & PFM_LOG_ALL)
				pfm_buf_printf(b, "%sall", n++ ? ", " : "");
			if (r->log & PFM_LOG_MATCHES)	/* FreeBSD 15 */
				pfm_buf_printf(b, "%smatches", n++ ? ", " : "");
			if (r->log & PFM_LOG_USER)
				pfm_buf_printf(b, "%suser", n++ ? ", " : "");
			if (r->logif)
				pfm_buf_printf(b, "%sto pflog%u", n++ ? ", " : "", r->logif);
			pfm_buf_printf(b, ")");
		}
	}
	if (r->quick)
		pfm_buf_printf(b, " quick");
	if (r->ifname[0])
		pfm_buf_printf(b, " on %s%s", r->ifnot ? "! " : "", r->ifname);
	if (r->rt) {
		pfm_buf_printf(b, " %s ", r->rt == PFM_RT_ROUTETO ? "route-to" :
		    r->rt == PFM_RT_REPLYTO ? "reply-to" : "dup-to");
		/* FreeBSD 15 prints an af-to rule's route-to hosts in the family
		 * translated to (pfctl_parser.c 5ecc60f; bc0f7b9 each in its own,
		 * the same thing), reply-to in the rule's */
		print_pool(b, &r->rpool, 0, 0, r->afto && r->rt != PFM_RT_REPLYTO ?
		    r->naf : r->af, PFM_R_PASS, r->fb15);
	}
	if (r->af)
		pfm_buf_printf(b, r->af == AF_INET ? " inet" : " inet6");
	if (r->proto) {
		if ((pn = pfm_proto_name(r->proto)) != NULL)
			pfm_buf_printf(b, " proto %s", pn);
		else
			pfm_buf_printf(b, " proto %u", (unsigned)r->proto);
	}
}

static void
print_icmp(struct pfm_buf *b, const struct pfm_rule *r)
{
	const struct pfm_icmptype *it;
	const struct pfm_icmpcode *ic;

	if (!r->type)
		return;
	it = pfm_icmptype_bynum(r->type - 1, r->af);
	pfm_buf_printf(b, r->af != AF_INET6 ? " icmp-type" : " icmp6-type");
	if (it != NULL)
		pfm_buf_printf(b, " %s", it->name);
	else
		pfm_buf_printf(b, " %u", r->type - 1);
	if (r->code) {
		ic = pfm_icmpcode_bynum(r->type - 1, r->code - 1, r->af);
		if (ic != NULL)
			pfm_buf_printf(b, " code %s", ic->name);
		else
			pfm_buf_printf(b, " code %u", r->code - 1);
	}
}

/* FreeBSD 15's translation on a filter rule, last (pfctl_parser.c bc0f7b9 print_rule:
 * nat-to, or "af-to FAMILY from", then rdr-to, or af-to's "to"; the pools in the
 * family translated to). A 14 rule has neither pool. */
static void
print_natto(struct pfm_buf *b, const struct pfm_rule *r)
{
	int af = r->naf ? r->naf : r->af;

	if (r->natpool.naddr > 0) {
		if (r->afto)
			pfm_buf_printf(b, " af-to %s from ", r->naf == AF_INET ? "inet" :
			    "inet6");
		else
			pfm_buf_printf(b, " nat-to ");
		print_pool(b, &r->natpool, r->natpool.proxy_port[0],
		    r->natpool.proxy_port[1], af, PFM_R_NAT, r->fb15);
	}
	if (r->rdrpool.naddr > 0) {
		pfm_buf_printf(b, r->afto ? " to " : " rdr-to ");
		print_pool(b, &r->rdrpool, r->rdrpool.proxy_port[0],
		    r->rdrpool.proxy_port[1], af, PFM_R_RDR, r->fb15);
	}
}

static void
print_tail(struct pfm_buf *b, const struct pfm_rule *r)
{
	int i;

	if (r->fragment)
		pfm_buf_printf(b, " fragment");
	if (r->action == PFM_R_SCRUB && (r->scrub_flags & PFM_SCRUB_NODF))
		pfm_buf_printf(b, " no-df");
	if (r->action == PFM_R_SCRUB && (r->scrub_flags & PFM_SCRUB_RANDOM_ID))
		pfm_buf_printf(b, " random-id");
	if (r->min_ttl)
		pfm_buf_printf(b, " min-ttl %d", r->min_ttl);
	if (r->max_mss)
		pfm_buf_printf(b, " max-mss %d", r->max_mss);
	if (r->action == PFM_R_SCRUB && r->has_set_tos)
		pfm_buf_printf(b, " set-tos 0x%2.2x", r->set_tos);
	if (r->allow_opts)
		pfm_buf_printf(b, " allow-opts");
	if (r->action == PFM_R_SCRUB) {
		if (r->scrub_flags & PFM_SCRUB_REASSEMBLE_TCP)
			pfm_buf_printf(b, " reassemble tcp");
		pfm_buf_printf(b, r->fragment_noreass ? " fragment no reassemble" :
		    " fragment reassemble");
	}
	if (r->label[0]) {
		pfm_buf_printf(b, " label \"%s\"", r->label);
		for (i = 0; i < 4 && r->xlabel[i][0]; i++)
			pfm_buf_printf(b, " label \"%s\"", r->xlabel[i]);
	}
	if (r->ridentifier)
		pfm_buf_printf(b, " ridentifier %u", r->ridentifier);
	if (r->dnrpipe)
		pfm_buf_printf(b, " %s(%d, %d)", r->dn_is_pipe ? "dnpipe" : "dnqueue",
		    r->dnpipe, r->dnrpipe);
	else if (r->dnpipe)
		pfm_buf_printf(b, " %s %d", r->dn_is_pipe ? "dnpipe" : "dnqueue", r->dnpipe);
	if (r->once)	/* FreeBSD 15 (pfctl_parser.c bc0f7b9: after dnpipe) */
		pfm_buf_printf(b, " once");
	if (r->qname[0] && r->pqname[0])
		pfm_buf_printf(b, " queue(%s, %s)", r->qname, r->pqname);
	else if (r->qname[0])
		pfm_buf_printf(b, " queue %s", r->qname);
	if (r->tag[0])
		pfm_buf_printf(b, " tag %s", r->tag);
	if (r->tagged[0]) {
		if (r->match_tag_not)
			pfm_buf_printf(b, " !");
		pfm_buf_printf(b, " tagged %s", r->tagged);
	}
	if (r->rtableid != -1)
		pfm_buf_printf(b, " rtable %u", (unsigned)r->rtableid);
	if (r->divert_port)
		pfm_buf_printf(b, " divert-to %u", r->divert_port);
	if (r->anchor == NULL &&
	    (r->action == PFM_R_NAT || r->action == PFM_R_BINAT || r->action == PFM_R_RDR)) {
		pfm_buf_printf(b, " -> ");
		print_pool(b, &r->rpool, r->rpool.proxy_port[0], r->rpool.proxy_port[1],
		    r->af, r->action, r->fb15);
	}
	if (r->anchor == NULL)
		print_natto(b, r);
}

void
pfm_print_rule(struct pfm_buf *b, const struct pfm_rule *r, const struct pfm_svc *svc)
{
	print_rule(b, r, svc, 0);
}

/* print_rule; verbose as pfctl's (-vv): tables with their address counts. */
static void
print_rule(struct pfm_buf *b, const struct pfm_rule *r, const struct pfm_svc *svc,
    int verbose)
{
	char buf[20];
	int i;

	print_head(b, r);
	pfm_print_fromto(b, r, svc, verbose);
	if (r->rcv_ifname[0])	/* print_rule: after the addresses, "!" unspaced */
		pfm_buf_printf(b, " %sreceived-on %s", r->rcvifnot ? "!" : "",
		    r->rcv_ifname);
	if (r->uid.op)
		print_ugid(b, r->uid.op, r->uid.v, "user");
	if (r->gid.op)
		print_ugid(b, r->gid.op, r->gid.v, "group");
	if (r->flags || r->flagset) {
		pfm_buf_printf(b, " flags ");
		print_flags(b, r->flags);
		pfm_buf_printf(b, "/");
		print_flags(b, r->flagset);
	} else if (r->action == PFM_R_PASS && (!r->proto || r->proto == IPPROTO_TCP) &&
	    !r->fragment && r->keep != PFM_KEEP_NONE)
		pfm_buf_printf(b, " flags any");
	print_icmp(b, r);
	if (r->tos)
		pfm_buf_printf(b, " tos 0x%2.2x", r->tos);
	if (r->has_prio)
		pfm_buf_printf(b, " prio %u", r->prio);
	/* FreeBSD 15 (pfctl_parser.c bc0f7b9 print_rule: after prio) */
	if (r->max_pkt_rate[0])
		pfm_buf_printf(b, " max-pkt-rate %u/%u", r->max_pkt_rate[0],
		    r->max_pkt_rate[1]);
	if (r->max_pkt_size)
		pfm_buf_printf(b, " max-pkt-size %u", r->max_pkt_size);
	if (r->has_set_prio || (r->action != PFM_R_SCRUB && r->has_set_tos)) {
		const char *comma = "";

		pfm_buf_printf(b, " set (");
		if (r->has_set_prio) {
			if (r->set_prio[0] == r->set_prio[1])
				pfm_buf_printf(b, "%s prio %u", comma, r->set_prio[0]);
			else
				pfm_buf_printf(b, "%s prio(%u, %u)", comma, r->set_prio[0],
				    r->set_prio[1]);
			comma = ",";
		}
		if (r->action != PFM_R_SCRUB && r->has_set_tos)
			pfm_buf_printf(b, "%s tos 0x%2.2x", comma, r->set_tos);
		pfm_buf_printf(b, " )");
	}
	if (r->keep == PFM_KEEP_NONE && r->action == PFM_R_PASS && r->anchor == NULL)
		pfm_buf_printf(b, " no state");
	else if (r->keep == PFM_KEEP_STATE)
		pfm_buf_printf(b, " keep state");
	else if (r->keep == PFM_KEEP_MODULATE)
		pfm_buf_printf(b, " modulate state");
	else if (r->keep == PFM_KEEP_SYNPROXY)
		pfm_buf_printf(b, " synproxy state");
	if (r->prob) {
		snprintf(buf, sizeof(buf), "%f", r->prob * 100.0 / (UINT32_MAX + 1.0));
		for (i = (int)strlen(buf) - 1; i > 0; i--) {
			if (buf[i] == '0')
				buf[i] = '\0';
			else {
				if (buf[i] == '.')
					buf[i] = '\0';
				break;
			}
		}
		pfm_buf_printf(b, " probability %s%%", buf);
	}
	print_state_opts(b, r);
	print_tail(b, r);
}

static char *
format(const struct pfm_rule *r, char *buf, size_t len, const struct pfm_svc *svc,
    int verbose)
{
	struct pfm_buf b = { 0 };

	print_rule(&b, r, svc, verbose);
	snprintf(buf, len, "%s", b.s ? b.s : "");
	pfm_buf_free(&b);
	return (buf);
}

char *
pfm_ruleset_rule_format_numeric(const struct pfm_rule *r, char *buf, size_t len)
{
	return (format(r, buf, len, NULL, 0));	/* no services list: numbers */
}

char *
pfm_ruleset_format_rule(const struct pfm_ruleset *rs, const struct pfm_rule *r,
    char *buf, size_t len)
{
	return (format(r, buf, len, rs->svc, 0));
}

char *
pfm_ruleset_rule_format(const struct pfm_rule *r, char *buf, size_t len,
    const char *services)
{
	return (pfm_ruleset_rule_format_flags(r, buf, len, services, 0));
}

char *
pfm_ruleset_rule_format_flags(const struct pfm_rule *r, char *buf, size_t len,
    const char *services, int flags)
{
	struct pfm_svc *svc;
	char err[256];

	if (flags & PFM_FMT_NUMERIC)
		return (format(r, buf, len, NULL, flags & PFM_FMT_VERBOSE));
	svc = pfm_svc_load(services, err, sizeof(err));
	format(r, buf, len, svc, flags & PFM_FMT_VERBOSE);
	pfm_svc_free(svc);
	return (buf);
}
