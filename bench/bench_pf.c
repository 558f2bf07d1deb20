/* bench_pf.c: the pf model behind the linux target's NFQUEUE hook, for the bench. */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_pf.h"
#include "base/diag.h"
#include "target/linux/netns.h"
#include "target/linux/nfq.h"
#include "pf/pfm.h"

struct bench_pf {
	struct nfq	*q;
	struct pfm	*pf;
	int		 freebsd;	/* the release the model follows; 0: 14 */
};

/* The bench's host as pfctl would see it (bench_net.c builds it). */
static void
host_init(struct pfm_host *h)
{
	static const struct {
		const char *name, *group;
		uint8_t a[4];
		int plen;
	} ifs[] = {
		{ "em0", "", { 203, 0, 113, 1 }, 24 },
		{ "em1", "", { 10, 99, 0, 14 }, 28 },
		{ "lo0", "lo", { 127, 0, 0, 1 }, 8 },
		{ "lo1", "lo", { 10, 99, 1, 1 }, 32 },
	};
	size_t i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < sizeof(ifs) / sizeof(ifs[0]); i++) {
		snprintf(h->iface[i].name, PFM_IFNAMSIZ, "%s", ifs[i].name);
		if (ifs[i].group[0] != '\0') {
			snprintf(h->iface[i].group[0], PFM_IFNAMSIZ, "%s", ifs[i].group);
			h->iface[i].ngroup = 1;
		}
		h->iface[i].addr[0].af = AF_INET;
		memcpy(h->iface[i].addr[0].addr, ifs[i].a, 4);
		h->iface[i].addr[0].plen = ifs[i].plen;
		h->iface[i].naddr = 1;
	}
	h->niface = (int)i;
}

struct bench_pf *
bench_pf_start(const char *host, int queue, int cpu, char *err, size_t errlen)
{
	struct bench_pf *b;
	struct nfq_opts o;

	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	memset(&o, 0, sizeof(o));
	o.netns = host;
	o.queue = queue;
	o.mark_skip = NETNS_MARK_SKIP;
	o.lo_if = "lo1";
	o.lo_net.af = AF_INET;
	memcpy(o.lo_net.a, (uint8_t[]){ 10, 99, 1, 0 }, 4);
	o.lo_plen = 24;
	o.cpu = cpu;
	if ((b->q = nfq_start(&o, NULL, err, errlen)) == NULL) {
		free(b);
		return (NULL);
	}
	return (b);
}

void
bench_pf_stop(struct bench_pf *b)
{
	if (b == NULL)
		return;
	nfq_stop(b->q);
	pfm_free(b->pf);
	free(b);
}

void
bench_pf_freebsd(struct bench_pf *b, int freebsd)
{
	b->freebsd = freebsd;
}

int
bench_pf_load(struct bench_pf *b, const char *conf, char *err, size_t errlen)
{
	struct pfm_load_opts lo;
	struct pfm_host h;
	struct diag d = { 0 };
	struct pfm *pf, *old;

	host_init(&h);
	if ((pf = pfm_new(&h)) == NULL) {
		snprintf(err, errlen, "pf model: out of memory");
		return (-1);
	}
	memset(&lo, 0, sizeof(lo));
	lo.file = "bench.pf.conf";
	lo.freebsd = b->freebsd;
	if (pfm_load(pf, conf, &lo, &d) == -1) {
		snprintf(err, errlen, "%s", diag_text(&d));
		diag_free(&d);
		pfm_free(pf);
		return (-1);
	}
	diag_free(&d);
	old = nfq_set_pf(b->q, pf);
	b->pf = pf;
	pfm_free(old);
	return (0);
}

void
bench_pf_off(struct bench_pf *b)
{
	pfm_free(nfq_set_pf(b->q, NULL));
	b->pf = NULL;
}

uint64_t
bench_pf_dropped(struct bench_pf *b)
{
	struct nfq_stats st;

	nfq_get_stats(b->q, &st);
	return (st.dropped_udp);	/* the bench's traffic, not the namespaces' IGMP */
}

double
bench_pf_cpu(struct bench_pf *b)
{
	return (nfq_cpu_seconds(b->q));
}

void
bench_pf_time(struct bench_pf *b, uint64_t *ns, uint64_t *pkts)
{
	struct nfq_stats st;

	nfq_get_stats(b->q, &st);
	*ns = st.pf_ns;
	*pkts = st.pf_tested;
}

size_t
bench_pf_states(struct bench_pf *b)
{
	struct pfm *pf;
	size_t n;

	pf = nfq_pf_lock(b->q);
	n = pf != NULL ? pfm_state_count(pf) : 0;
	nfq_pf_unlock(b->q);
	return (n);
}

size_t
bench_pf_state_size(void)
{
	return (pfm_state_size());
}
