/* pfm_batch.c: pfm_test_batch, the pf model's test of a batch of packets whose
 * state-table cache misses overlap (the NFQUEUE hook hands packets over in batches). */
#include "pfm_impl.h"

/* The state-table slot a packet's lookup will probe, prefetched; its hash, or 0 when
 * the packet will take no plain state lookup (unparsable, fragment, ICMP error). */
static uint64_t
batch_hint(struct pfm *pf, const struct pfm_batch *b)
{
	struct pfm_pd pd;
	struct pfm_skey key;
	enum pfm_res res;

	if (pfm_pkt_parse(&pd, b->pkt, b->len, &res) == -1 || pd.frag || pd.icmp_err)
		return (0);
	pfm_key_from_pd(&pd, &key, b->dir == PFM_IN ? 0 : 1);
	return (pfm_state_prefetch_slot(pf, &key));
}

/* Three passes over each group of packets: hash and prefetch every slot, then every
 * state those slots name, then the real tests, which find the lines in cache. At 10^6
 * states a lookup is two dependent DRAM misses; this overlaps them across the group. */
void
pfm_test_batch(struct pfm *pf, struct pfm_batch *b, size_t n, uint64_t now_ms,
    void (*done)(struct pfm_batch *, void *), void *arg)
{
	uint64_t h[PFM_BATCH_MAX];
	size_t i, j, m;

	for (i = 0; i < n; i += m) {
		m = n - i < PFM_BATCH_MAX ? n - i : PFM_BATCH_MAX;
		for (j = 0; j < m; j++)
			h[j] = batch_hint(pf, &b[i + j]);
		for (j = 0; j < m; j++)
			if (h[j] != 0)
				pfm_state_prefetch_state(pf, h[j]);
		for (j = 0; j < m; j++) {
			b[i + j].rc = pfm_test(pf, b[i + j].dir, b[i + j].ifname,
			    b[i + j].pkt, b[i + j].len, now_ms, b[i + j].v);
			if (done != NULL)
				done(&b[i + j], arg);
		}
	}
}
