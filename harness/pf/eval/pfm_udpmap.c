/* pfm_udpmap.c: FreeBSD 14.2's endpoint-independent mappings for UDP
 * (`endpoint-independent` on a nat rule; pf_lb.c pf_get_sport with PF_POOL_ENDPI,
 * pf.c pf_udp_mapping_*): pfm_nat.c finds and makes them, states hold them. */
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

/* The first datagram from an inside endpoint gets an outside (address, port) that no
 * other mapping holds; every later one from that endpoint, to any destination, gets
 * the same while a state uses the mapping. Filtering stays per state. */
struct pfm_udpmap *
pfm_udpmap_find(struct pfm *pf, int af, const uint8_t *a, uint16_t port, int outside)
{
	struct pfm_udpmap *m;

	for (m = pf->udpmaps; m != NULL; m = m->next)
		if (m->af == af && (outside ? m->ex_port : m->in_port) == port &&
		    memcmp(outside ? m->ex : m->in, a, af == 4 ? 4 : 16) == 0)
			return (m);
	return (NULL);
}

void
pfm_udpmap_commit(struct pfm *pf, const struct pfm_state *s)
{
	struct pfm_udpmap *m = pf->udpmap_pend;

	if (m == NULL || s->nat_rule == NULL || !pfm_trans_pool(s->nat_rule)->endpoint_independent)
		return;
	if (pf->udpmap_pend_new) {
		m->next = pf->udpmaps;
		pf->udpmaps = m;
	}
	m->refs++;
	pf->udpmap_pend = NULL;
	pf->udpmap_pend_new = 0;
}

void
pfm_udpmap_discard(struct pfm *pf)
{
	if (pf->udpmap_pend != NULL && pf->udpmap_pend_new)
		free(pf->udpmap_pend);
	pf->udpmap_pend = NULL;
	pf->udpmap_pend_new = 0;
}

void
pfm_udpmap_state_gone(struct pfm *pf, const struct pfm_state *s)
{
	const struct pfm_skey *k;
	struct pfm_udpmap **mp, *m;

	if (pf->udpmaps == NULL || s->nat_rule == NULL ||
	    !pfm_trans_pool(s->nat_rule)->endpoint_independent || s->wkey.proto != 17)
		return;
	k = PFM_ST_KEY(s, PFM_SK_STACK);	/* nat out: the inside source is [1] */
	if ((m = pfm_udpmap_find(pf, k->af, k->addr[1], k->port[1], 0)) == NULL ||
	    --m->refs > 0)
		return;
	for (mp = &pf->udpmaps; *mp != m; mp = &(*mp)->next)
		;
	*mp = m->next;
	free(m);
}

void
pfm_udpmap_free(struct pfm *pf)
{
	struct pfm_udpmap *m;

	pfm_udpmap_discard(pf);
	while ((m = pf->udpmaps) != NULL) {
		pf->udpmaps = m->next;
		free(m);
	}
}

