/* pfm_print_eth.c: ethernet rules printed as FreeBSD 14 pfctl's print_eth_rule does
 * (their l3 part through pfm_print.c), alone or as a list with inline anchors. */
#include <stdio.h>
#include <string.h>

#include "pfm_grammar.h"

/* print_eth_addr: nothing for an all-zero address, "/len" for a mask of the first
 * len bits (bit i is bit i % 8 of byte i / 8), the whole mask after '&' otherwise. */
static void
print_eth_addr(struct pfm_buf *b, const struct pfm_eth_addr *a)
{
	const uint8_t *m = a->mask;
	int i, len = 48, gap = 0;

	for (i = 0; i < 6 && a->addr[i] == 0; i++)
		;
	if (i == 6)
		return;
	pfm_buf_printf(b, "%s%02x:%02x:%02x:%02x:%02x:%02x", a->neg ? "! " : "",
	    a->addr[0], a->addr[1], a->addr[2], a->addr[3], a->addr[4], a->addr[5]);
	for (i = 0; i < 48; i++) {
		int set = (m[i / 8] >> (i % 8)) & 1;

		if (!gap && !set) {
			gap = 1;
			len = i;
		} else if (gap && set)
			break;
	}
	if (len == 48)
		return;
	if (i == 48)
		pfm_buf_printf(b, "/%d", len);
	else
		pfm_buf_printf(b, "&%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		    m[3], m[4], m[5]);
}

/* print_eth_rule (FreeBSD 14 pfctl_parser.c): the l3 part always, "l3 all" when it
 * is empty. */
static void
print_eth_rule(struct pfm_buf *b, const struct pfm_eth_rule *r, const struct pfm_svc *svc)
{
	static const char *const actions[] = { "pass", "block", "match" };
	struct pfm_rule l3;
	int i;

	pfm_buf_printf(b, "ether ");
	if (r->anchor_call != NULL) {
		if (r->anchor_call[0] == '_')
			pfm_buf_printf(b, "anchor");
		else
			pfm_buf_printf(b, "anchor \"%s\"", r->anchor_call);
	} else
		pfm_buf_printf(b, "%s", actions[r->action <= PFM_R_MATCH ? r->action : 0]);
	if (r->direction == PFM_RDIR_IN)
		pfm_buf_printf(b, " in");
	else if (r->direction == PFM_RDIR_OUT)
		pfm_buf_printf(b, " out");
	if (r->quick)
		pfm_buf_printf(b, " quick");
	if (r->ifname[0])
		pfm_buf_printf(b, " on %s%s", r->ifnot ? "! " : "", r->ifname);
	if (r->bridge_to[0])
		pfm_buf_printf(b, " bridge-to %s", r->bridge_to);
	if (r->proto)
		pfm_buf_printf(b, " proto 0x%04x", r->proto);
	if (r->src.isset) {
		pfm_buf_printf(b, " from ");
		print_eth_addr(b, &r->src);
	}
	if (r->dst.isset) {
		pfm_buf_printf(b, " to ");
		print_eth_addr(b, &r->dst);
	}
	pfm_buf_printf(b, " l3");
	memset(&l3, 0, sizeof(l3));
	l3.src = r->ipsrc;
	l3.dst = r->ipdst;
	l3.af = r->ipaf;
	pfm_print_fromto(b, &l3, svc, 0);
	for (i = 0; i < 5 && r->label[i][0]; i++)
		pfm_buf_printf(b, " label \"%s\"", r->label[i]);
	if (r->ridentifier)
		pfm_buf_printf(b, " ridentifier %u", r->ridentifier);
	if (r->qname[0])
		pfm_buf_printf(b, " queue %s", r->qname);
	if (r->tag[0])
		pfm_buf_printf(b, " tag %s", r->tag);
	if (r->tagged[0])
		pfm_buf_printf(b, "%s tagged %s", r->match_tag_not ? " !" : "", r->tagged);
	if (r->dnpipe)
		pfm_buf_printf(b, " %s %d", r->dn_is_pipe ? "dnpipe" : "dnqueue", r->dnpipe);
}

char *
pfm_eth_rule_format(const struct pfm_eth_rule *r, char *buf, size_t len)
{
	struct pfm_buf b = { 0 };

	print_eth_rule(&b, r, NULL);	/* l3 prints addresses only: no services */
	snprintf(buf, len, "%s", b.s ? b.s : "");
	pfm_buf_free(&b);
	return (buf);
}

/* pfctl_load_eth_ruleset: as print_list, an inline anchor's rules in braces. */
void
pfm_print_eth_list(struct pfm_buf *b, const struct pfm_eth_rule *r,
    const struct pfm_svc *svc, int depth)
{
	for (; r != NULL; r = r->next) {
		pfm_buf_printf(b, "%*s", 2 * depth, "");
		print_eth_rule(b, r, svc);
		if (r->anchor_rules == NULL) {
			pfm_buf_printf(b, "\n");
			continue;
		}
		pfm_buf_printf(b, " {\n");
		pfm_print_eth_list(b, r->anchor_rules, svc, depth + 1);
		pfm_buf_printf(b, "%*s}\n", 2 * depth, "");
	}
}
