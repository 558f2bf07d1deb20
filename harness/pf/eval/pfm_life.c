/* pfm_life.c: a pf's life: create one for a host, free it, its tunables (sysctl), flush and
 * expire states, the sizes the bench reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

struct pfm *
pfm_new(const struct pfm_host *host)
{
	struct pfm *pf;
	int i;

	if ((pf = calloc(1, sizeof(*pf))) == NULL)
		return (NULL);
	if (host != NULL)
		pf->host = *host;
	else
		pfm_host_default(&pf->host);
	if (pfm_stab_init(&pf->st) == -1) {
		free(pf);
		return (NULL);
	}
	for (i = 0; i < pf->host.niface; i++)
		pfm_if_index(pf, pf->host.iface[i].name);
	pf->limit_states = 100000;
	pf->limit_src_nodes = 10000;
	pf->limit_frags = 5000;
	memcpy(pf->timeout, pfm_timeout_default, sizeof(pf->timeout));
	pf->block_policy = PFM_BLOCK_DROP;
	pf->rng = 0x9e3779b97f4a7c15ULL;
	pf->hostid = 0x2f7a1c35;	/* pf_initialize: arc4random(); fixed here, and
					 * drawn from no random number the NAT uses */
	pf->last_kif = -1;
	pf->stateid = PFM_STATEID_EPOCH;
	pf->wall_ms = (int64_t)PFM_STATEID_EPOCH * 1000;
	return (pf);
}

void
pfm_free(struct pfm *pf)
{
	int i;

	if (pf == NULL)
		return;
	pfm_compile_free(pf);
	pfm_ruleset_free(pf->rs);
	for (i = 0; i < pf->nold; i++)
		pfm_ruleset_free(pf->old[i]);
	free(pf->old);
	pfm_stab_free(&pf->st);
	pfm_frag_free(pf);
	pfm_src_free(pf);
	pfm_udpmap_free(pf);
	free(pf->tagname);
	free(pf->afto_buf);
	free(pf->m15buf);
	free(pf);
}

int
pfm_sysctl(struct pfm *pf, const char *name, const char *value)
{
	char *end;
	long v;

	v = strtol(value, &end, 10);
	if (*value == '\0' || *end != '\0')
		return (-1);
	if (strcmp(name, "net.pf.filter_local") == 0) {
		pf->filter_local = v != 0;
		return (0);
	}
	if (strcmp(name, "net.pf.states_hashsize") == 0 ||
	    strcmp(name, "net.pf.source_nodes_hashsize") == 0 ||
	    strcmp(name, "net.pf.request_maxcount") == 0 ||
	    strcmp(name, "net.pf.default_to_drop") == 0)
		return (0);	/* accepted; no effect on the model's semantics */
	return (-1);
}

int
pfm_filter_local(const struct pfm *pf)
{
	return (pf->filter_local);
}

void
pfm_flush_states(struct pfm *pf)
{
	while (pf->st.head != NULL)
		pfm_state_unlink(pf, pf->st.head);
}

void
pfm_expire(struct pfm *pf, uint64_t now_ms)
{
	struct pfm_state *s, *next;

	pf->now_ms = now_ms;
	for (s = pf->st.head; s != NULL; s = next) {
		next = s->lnext;
		if (pfm_state_expired(pf, s, now_ms))
			pfm_state_unlink(pf, s);
	}
	pfm_frag_purge(pf, now_ms);
	pfm_src_expire(pf);
}

size_t
pfm_state_count(const struct pfm *pf)
{
	return (pf->st.count);
}

size_t
pfm_state_size(void)
{
	return (sizeof(struct pfm_state));
}

/* Bytes the state table holds now (slabs and buckets), for the bench. */
size_t
pfm_state_bytes(const struct pfm *pf)
{
	return (pf->st.bytes);
}

void
pfm_print_ruleset(struct pfm *pf, FILE *fp, int verbose)
{
	if (pf->rs != NULL)
		pfm_ruleset_print(pf->rs, fp, verbose,
		    pf->services[0] ? pf->services : NULL);
}
