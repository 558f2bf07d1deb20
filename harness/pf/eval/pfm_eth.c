/* pfm_eth.c: FreeBSD 14's layer 2 rules (`ether pass|block|match`, `ether anchor`)
 * evaluated as pf_test_eth and pf_test_eth_rule do (sys/netpfil/pf/pf.c), on the
 * packets the model sees: IP packets, so the frame's EtherType is 0x0800 or 0x86dd,
 * and no MAC address is known (pfm_eth_refuse refuses the rules that match one).
 * pf runs them from the link layer's pfil hook, before the IP hook's pf_test: pfm_test
 * calls pfm_eth_test first, on every interface but loopbacks (no Ethernet there). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

#define ETHERTYPE_IP	0x0800
#define ETHERTYPE_IPV6	0x86dd
#define ETHER_HDR_LEN	14
#define ETH_ANCHOR_STACK 32	/* PF_ANCHOR_STACKSIZE */

/* What one walk carries: pf_test_eth_rule's locals. */
struct eth_walk {
	struct pfm		*pf;
	const struct pfm_pd	*pd;
	uint16_t		 proto;		/* the frame's EtherType */
	int			 tag;		/* -1: none so far */
	struct pfm_eth_rule	*rm;		/* the last match */
	int			 quick;		/* a quick rule matched: stop */
};

/* PF_MISMATCHAW for the address kinds an l3 clause may hold (parse.y's l3fromto
 * takes addresses and tables): 1 when a does not match. An address's mask is tested
 * as all 16 bytes (PF_AZERO with AF_INET6): none set matches every packet; else the
 * packet's address is compared in the packet's family. */
static int
l3_mismatch(const struct pfm_rule_addr *ra, const uint8_t *a, int af)
{
	const struct pfm_addr *w = &ra->addr;
	struct pfm_caddr ca;
	int i, n = af == 4 ? 4 : 16, zero = 1, miss = 0;

	switch (w->type) {
	case PFM_ADDR_MASK:
		for (i = 0; i < 16; i++)
			zero &= w->mask[i] == 0;
		for (i = 0; !zero && i < n && !miss; i++)
			miss = (a[i] & w->mask[i]) != (w->addr[i] & w->mask[i]);
		break;
	case PFM_ADDR_TABLE:
		/* pfr_match_addr on the table the rule uses */
		memset(&ca, 0, sizeof(ca));
		ca.type = PFM_CA_TABLE;
		ca.table = w->table;
		miss = !pfm_match_caddr(&ca, a, af);
		break;
	default:
		break;		/* any */
	}
	return (miss != (w->neg != 0));
}

/* pfi_kkif_match for the rule's `on`: no interface matches every one. */
static int
eth_if_match(struct eth_walk *w, const struct pfm_eth_rule *r)
{
	if (r->ifname[0] == '\0')
		return (1);
	return (pfm_if_in(w->pf, w->pd->kif, r->ifname));
}

/* Each test of pf_test_eth_rule's walk, in its order: interface, direction,
 * EtherType, source and destination MAC (never set here: refused at load), l3
 * source and destination, tagged. */
static int
eth_match(struct eth_walk *w, struct pfm_eth_rule *r)
{
	const struct pfm_pd *pd = w->pd;
	uint16_t want;

	if (eth_if_match(w, r) == (r->ifnot != 0))
		return (0);
	if (r->direction != PFM_RDIR_ANY && (r->direction == PFM_RDIR_IN) !=
	    (pd->dir == PFM_IN))
		return (0);
	if (r->proto && r->proto != w->proto)
		return (0);
	if (l3_mismatch(&r->ipsrc, pd->pkt + pd->src_off, pd->af) ||
	    l3_mismatch(&r->ipdst, pd->pkt + pd->dst_off, pd->af))
		return (0);
	if (r->tagged[0] != '\0') {
		/* pf_match_eth_tag: the packet's own tag (none on entry) until a rule
		 * that matched set one */
		if (w->tag == -1)
			w->tag = pd->tag;
		want = pfm_tag_id(w->pf, r->tagged);
		if ((want == w->tag) == (r->match_tag_not != 0))
			return (0);
	}
	return (1);
}

static void walk_list(struct eth_walk *, struct pfm_eth_rule *, int depth);

/* The children of a wildcard anchor "path/ *", in path order (pf's RB tree). */
static void
walk_children(struct eth_walk *w, const char *path, int depth)
{
	const struct pfm_anchor *a, *best, *after = NULL;
	size_t n = strlen(path);

	for (;;) {
		best = NULL;
		for (a = w->pf->rs->anchors; a != NULL; a = a->next) {
			if (strncmp(a->path, path, n) != 0 || a->path[n] != '/' ||
			    strchr(a->path + n + 1, '/') != NULL)
				continue;
			if (after != NULL && strcmp(a->path, after->path) <= 0)
				continue;
			if (best == NULL || strcmp(a->path, best->path) < 0)
				best = a;
		}
		if (best == NULL || w->quick)
			return;
		walk_list(w, best->ether, depth);
		after = best;
	}
}

/* pf_step_into_keth_anchor: the anchor's rules evaluated in place (an inline
 * anchor's own, a named one's from the anchor of its path: a `load anchor` file's
 * ether rules). Stepping out (pf_step_out_of_keth_anchor) applies the anchor rule's
 * quick only when its frame is marked matched, which pf_test_eth_rule never does:
 * an anchor's quick has no effect, a quick rule inside ends the whole walk. */
static void
step_into(struct eth_walk *w, struct pfm_eth_rule *r, int depth)
{
	const struct pfm_anchor *a;

	if (depth >= ETH_ANCHOR_STACK)
		return;		/* "anchor stack overflow": passed over */
	if (r->anchor_rules != NULL || r->anchor_path == NULL)
		walk_list(w, r->anchor_rules, depth + 1);
	else if (r->anchor_wildcard)
		walk_children(w, r->anchor_path, depth + 1);
	else if ((a = pfm_anchor_find(w->pf->rs, r->anchor_path)) != NULL)
		walk_list(w, a->ether, depth + 1);
}

/* pf_test_eth_rule's loop over one ruleset: last match, a quick match stops. */
static void
walk_list(struct eth_walk *w, struct pfm_eth_rule *r, int depth)
{
	for (; r != NULL && !w->quick; r = r->next) {
		r->evaluations++;
		if (!eth_match(w, r))
			continue;
		if (r->tag[0] != '\0')
			w->tag = pfm_tag_id(w->pf, r->tag);	/* anchors tag too */
		if (r->anchor_call != NULL) {
			step_into(w, r, depth);
			continue;
		}
		w->rm = r;
		if (r->quick)
			w->quick = 1;
	}
}

enum pfm_action
pfm_eth_test(struct pfm *pf, struct pfm_pd *pd, const struct pfm_eth_rule **rmp)
{
	struct eth_walk w;
	struct pfm_eth_rule *r;
	int out = pd->dir == PFM_OUT;

	*rmp = NULL;
	if (pf->rs == NULL || pf->rs->ether == NULL || pfm_if_loopback(pf->ifn[pd->kif]))
		return (PFM_PASS);
	memset(&w, 0, sizeof(w));
	w.pf = pf;
	w.pd = pd;
	w.proto = pd->af == 4 ? ETHERTYPE_IP : ETHERTYPE_IPV6;
	w.tag = -1;
	walk_list(&w, pf->rs->ether, 0);
	if ((r = w.rm) == NULL)
		return (PFM_PASS);	/* default to pass, the tag unapplied */
	*rmp = r;
	r->packets[out]++;
	r->bytes[out] += ETHER_HDR_LEN + pd->tot_len;	/* m_length of the frame */
	/* "Don't tag if we're just going to drop anyway"; any action but pass is a drop
	 * (pf_check_return): a last match of `ether match` too */
	if (r->action != PFM_R_PASS)
		return (PFM_DROP);
	if (w.tag > 0)
		pd->tag = (uint16_t)w.tag;	/* the mbuf's pf tag: IP rules see it */
	return (PFM_PASS);
}

const char *
pfm_eth_unmodelled(const struct pfm_eth_rule *r, const char **why)
{
	if (r->src.isset || r->dst.isset || r->src.neg || r->dst.neg) {
		*why = "the model sees IP packets and knows no MAC address";
		return ("from/to MAC address");
	}
	if (r->bridge_to[0] != '\0') {
		*why = "the model cannot send a frame out of another interface";
		return ("bridge-to");
	}
	return (NULL);
}

static int
refuse_list(const struct pfm_eth_rule *r, struct diag *d, const char **lastf,
    int *lastl)
{
	const char *what, *why;
	int n = 0;

	for (; r != NULL; r = r->next) {
		n += refuse_list(r->anchor_rules, d, lastf, lastl);
		if ((what = pfm_eth_unmodelled(r, &why)) == NULL)
			continue;
		if (r->line == *lastl && *lastf != NULL && r->file != NULL &&
		    strcmp(*lastf, r->file) == 0)
			continue;	/* the same rule expanded from lists */
		diag_add(d, r->file, r->line, "ether rule: '%s' is not modelled (%s): "
		    "no rule of this ruleset is loaded", what, why);
		*lastf = r->file;
		*lastl = r->line;
		n++;
	}
	return (n);
}

int
pfm_eth_refuse(const struct pfm_ruleset *rs, struct diag *d)
{
	const struct pfm_anchor *a;
	const char *lastf = NULL;
	int lastl = -1, n;

	n = refuse_list(rs->ether, d, &lastf, &lastl);
	for (a = rs->anchors; a != NULL; a = a->next)
		n += refuse_list(a->ether, d, &lastf, &lastl);
	return (n);
}

/* pfctl_show_eth_rules: one ruleset's rules, indented by depth without -v; an
 * unnamed inline anchor ("_N"), or any anchor under -a "x/ *" (recurse), followed by
 * its rules in braces; pfctl_print_eth_rule_counters with -v and -vv. */
static void
show_list(struct pfm *pf, FILE *fp, struct pfm_eth_rule *r, int depth, int opts)
{
	const struct pfm_anchor *a;
	struct pfm_eth_rule *in;
	char buf[2048];
	int ind = opts & PFM_SHOW_V ? 0 : 2 * depth, brace;

	for (; r != NULL; r = r->next) {
		brace = r->anchor_call != NULL && (r->anchor_call[0] == '_' ||
		    (opts & PFM_SHOW_RECURSE));
		fprintf(fp, "%*s", ind, "");
		if (opts & (PFM_SHOW_VV | PFM_SHOW_DEBUG))
			fprintf(fp, "@%d ", r->nr);
		fprintf(fp, "%s%s\n", pfm_eth_rule_format(r, buf, sizeof(buf)),
		    brace ? " {" : "");
		if (opts & PFM_SHOW_V)
			fprintf(fp, "  [ Evaluations: %-8" PRIu64 "  Packets: %-8" PRIu64
			    "  Bytes: %-10" PRIu64 "]\n", r->evaluations,
			    r->packets[0] + r->packets[1], r->bytes[0] + r->bytes[1]);
		if (opts & PFM_SHOW_VV)
			fprintf(fp, "  [ Last Active Time: N/A ]\n");
		if (!brace)
			continue;
		in = r->anchor_rules;
		if (in == NULL && r->anchor_path != NULL && !r->anchor_wildcard &&
		    (a = pfm_anchor_find(pf->rs, r->anchor_path)) != NULL)
			in = a->ether;
		show_list(pf, fp, in, depth + 1, opts);
		fprintf(fp, "%*s}\n", ind, "");
	}
}

int
pfm_show_ether(struct pfm *pf, FILE *fp, const char *anchor, int opts)
{
	const struct pfm_anchor *a = NULL;

	if (anchor != NULL && anchor[0] != '\0' && (pf->rs == NULL ||
	    (a = pfm_anchor_find(pf->rs, anchor)) == NULL))
		return (-1);
	if (pf->rs != NULL)
		show_list(pf, fp, a != NULL ? a->ether : pf->rs->ether, 0, opts);
	return (0);
}

static void
eth_free(struct pfm_eth_rule *r)
{
	struct pfm_eth_rule *n;

	for (; r != NULL; r = n) {
		n = r->next;
		eth_free(r->anchor_rules);
		free(r);
	}
}

void
pfm_eth_flush(struct pfm *pf, const char *anchor)
{
	struct pfm_anchor *a;
	struct pfm_eth_rule **head;

	if (pf->rs == NULL)
		return;
	if (anchor == NULL || anchor[0] == '\0')
		head = &pf->rs->ether;
	else if ((a = pfm_anchor_find(pf->rs, anchor)) != NULL)
		head = &a->ether;
	else
		return;
	eth_free(*head);
	*head = NULL;
}

void
pfm_eth_graft(struct pfm_anchor *dst, struct pfm_eth_rule **from)
{
	eth_free(dst->ether);
	dst->ether = *from;
	*from = NULL;
}
