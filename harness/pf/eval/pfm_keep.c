/* pfm_keep.c: `set keepcounters` (FreeBSD 14 pf_ioctl.c pf_commit_rules): a rule of
 * a new list that pf takes for one of the list it replaces (pf_hash_rule's md5sum,
 * compared by pf_krule_compare) keeps that rule's counters. */
#include <string.h>

#include "pfm_impl.h"

/* Two rule addresses as pf_hash_rule_addr hashes them. */
static int
same_addr(const struct pfm_rule_addr *a, const struct pfm_rule_addr *b)
{
	if (a->addr.type != b->addr.type || a->addr.neg != b->addr.neg ||
	    a->port_op != b->port_op || a->port[0] != b->port[0] ||
	    a->port[1] != b->port[1])
		return (0);
	switch (a->addr.type) {
	case PFM_ADDR_DYNIFTL:
		return (strcmp(a->addr.ifname, b->addr.ifname) == 0 &&
		    a->addr.iflags == b->addr.iflags);
	case PFM_ADDR_TABLE:
		return (a->addr.table != NULL && b->addr.table != NULL &&
		    strcmp(a->addr.table->name, b->addr.table->name) == 0);
	case PFM_ADDR_MASK:
	case PFM_ADDR_RANGE:
	case PFM_ADDR_ANY:
		/* pf hashes the address and mask whatever their family */
		return (memcmp(a->addr.addr, b->addr.addr, 16) == 0 &&
		    memcmp(a->addr.mask, b->addr.mask, 16) == 0);
	case PFM_ADDR_NOROUTE:
	case PFM_ADDR_URPFFAILED:
		return (1);
	}
	return (0);
}

/* Two rules pf takes for the same one: the fields pf_hash_rule_rolling (FreeBSD 14
 * pf_ioctl.c) hashes into the rule's md5sum, which pf_krule_compare compares. Not
 * in it: translation pools, limits, timeouts, tags given, queues. */
static int
same_rule(const struct pfm_rule *a, const struct pfm_rule *b)
{
	int i;

	if (!same_addr(&a->src, &b->src) || !same_addr(&a->dst, &b->dst))
		return (0);
	if (strcmp(a->label, b->label) != 0)
		return (0);
	for (i = 0; i < 4; i++)
		if (strcmp(a->xlabel[i], b->xlabel[i]) != 0)
			return (0);
	if (strcmp(a->ifname, b->ifname) != 0 || strcmp(a->tagged, b->tagged) != 0 ||
	    strcmp(a->os, b->os) != 0 || a->prob != b->prob ||
	    a->uid.op != b->uid.op || a->uid.v[0] != b->uid.v[0] ||
	    a->uid.v[1] != b->uid.v[1] || a->gid.op != b->gid.op ||
	    a->gid.v[0] != b->gid.v[0] || a->gid.v[1] != b->gid.v[1])
		return (0);
	/* rule_flag: the block kind, fragment, no-sync, source tracking, if-bound,
	 * sloppy, pflow */
	if (a->block != b->block || a->fragment != b->fragment ||
	    a->nosync != b->nosync || a->srctrack != b->srctrack ||
	    a->if_bound != b->if_bound || a->sloppy != b->sloppy || a->pflow != b->pflow)
		return (0);
	if (a->action != b->action || a->direction != b->direction || a->af != b->af ||
	    a->quick != b->quick || a->ifnot != b->ifnot ||
	    a->match_tag_not != b->match_tag_not || a->pass_trans != b->pass_trans ||
	    a->keep != b->keep || a->proto != b->proto || a->type != b->type ||
	    a->code != b->code || a->flags != b->flags || a->flagset != b->flagset ||
	    a->allow_opts != b->allow_opts || a->rt != b->rt || a->tos != b->tos ||
	    a->scrub_flags != b->scrub_flags || a->min_ttl != b->min_ttl ||
	    a->set_tos != b->set_tos || a->has_set_tos != b->has_set_tos)
		return (0);
	if ((a->anchor == NULL) != (b->anchor == NULL))
		return (0);
	return (a->anchor == NULL || strcmp(a->anchor->path, b->anchor->path) == 0);
}

void
pfm_keep_counters(const struct pfm_rule *old, struct pfm_rule *nw)
{
	const struct pfm_rule *o;

	for (; nw != NULL; nw = nw->next)
		for (o = old; o != NULL; o = o->next)
			if (same_rule(o, nw)) {
				/* pf_commit_rules: RB_FIND in the old tree */
				nw->evaluations += o->evaluations;
				nw->packets[0] += o->packets[0];
				nw->packets[1] += o->packets[1];
				nw->bytes[0] += o->bytes[0];
				nw->bytes[1] += o->bytes[1];
				break;
			}
}
