/* model.c: micro-benchmark of the pf model: state hit cost, new-flow rate through
 * 1..1000 filter rules (uniform: skip steps jump them; varied: they cannot), state
 * insert rate and lookup cost at 10^3..10^6 states, bytes per state. One CSV row per
 * measurement: name,size,value,unit,target,verdict. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/cksum.h"
#include "pf/pfm.h"

#define PKTLEN	40

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* An IPv4/TCP packet src:sport > dst:dport with flags, checksums set. */
static void
mk_tcp(uint8_t *p, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
    uint8_t flags, uint32_t seq, uint32_t ack)
{
	memset(p, 0, PKTLEN);
	p[0] = 0x45;
	put16(p + 2, PKTLEN);
	p[8] = 64;
	p[9] = 6;
	put32(p + 12, src);
	put32(p + 16, dst);
	put16(p + 10, cksum_sum(p, 20, 0));
	put16(p + 20, sport);
	put16(p + 22, dport);
	put32(p + 24, seq);
	put32(p + 28, ack);
	p[32] = 5 << 4;
	p[33] = flags;
	put16(p + 34, 65535);
	put16(p + 36, cksum_sum(p + 20, 20, cksum_pseudo(p + 12, p + 16, 4, 6, 20)));
}

/* nrules-1 blocking rules that do not match the traffic, then the pass rule, as a
 * pf.conf loaded through the model's public face. */
static int lookups_missed;	/* a state lookup found no state: the run is void */

static struct pfm *
mk_pf(int nrules, int varied)
{
	struct pfm_load_opts lo;
	struct diag d = { 0 };
	struct pfm_host h;
	struct pfm *pf;
	char *conf, *p;
	size_t cap = 200 + (size_t)nrules * 160;
	int i;

	if ((conf = p = malloc(cap)) == NULL) {
		fprintf(stderr, "bench/model: out of memory\n");
		exit(1);
	}
	p += sprintf(p, "set limit states 4000000\n");
	for (i = 0; i < nrules - 1; i++)
		if (varied)	/* every field a skip step looks at changes from rule to
				 * rule */
			p += sprintf(p, "block in quick on em0 inet proto tcp from "
			    "192.0.2.%d%s port %d to 198.18.%d.%d port %d\n", i % 250,
			    i % 2 == 0 ? "/24" : "", 1000 + i, i >> 8, i & 255, 2000 + i);
		else
			p += sprintf(p, "block in quick on em0 inet proto udp from "
			    "192.0.2.1 to any port 9\n");
	p += sprintf(p, "pass proto tcp flags S/SA keep state\n");
	memset(&h, 0, sizeof(h));
	(void)pfm_host_if(&h, "em0");
	memset(&lo, 0, sizeof(lo));
	lo.file = "bench";
	/* pfctl -o none: the rules walked as written (the optimizer would fold the
	 * identical ones into one) */
	lo.opts = PFM_OPT_OPTIMIZE_NONE;
	if ((pf = pfm_new(&h)) == NULL || pfm_load(pf, conf, &lo, &d) == -1) {
		fprintf(stderr, "bench/model: %s\n", diag_text(&d));
		exit(1);
	}
	diag_free(&d);
	free(conf);
	return (pf);
}

static void
row(const char *name, long size, double value, const char *unit, const char *target,
    int ok)
{
	printf("%s,%ld,%.1f,%s,%s,%s\n", name, size, value, unit, target,
	    target[0] == '\0' ? "" : ok ? "ok" : "MISSED");
	fflush(stdout);
}

static uint32_t
flow_src(long i)
{
	return (0x0a000000u + (uint32_t)(i >> 14));	/* 10.x.y.z */
}

static double
state_hit_ns(void)
{
	struct pfm *pf = mk_pf(1, 0);
	struct pfm_verdict v;
	uint8_t p[PKTLEN];
	long i, n = 5000000;
	double t;

	mk_tcp(p, 0xc6336407, 0xcb007101, 40000, 80, 0x02, 1000, 0);
	pfm_test(pf, PFM_IN, "em0", p, PKTLEN, 1, &v);
	mk_tcp(p, 0xcb007101, 0xc6336407, 80, 40000, 0x12, 5000, 1001);
	pfm_test(pf, PFM_OUT, "em0", p, PKTLEN, 1, &v);
	mk_tcp(p, 0xc6336407, 0xcb007101, 40000, 80, 0x10, 1001, 5001);
	t = now_s();
	for (i = 0; i < n; i++)
		pfm_test(pf, PFM_IN, "em0", p, PKTLEN, 2, &v);
	t = now_s() - t;
	if (!v.state_hit)
		fprintf(stderr, "bench/model: state hit expected\n");
	pfm_free(pf);
	return (t / n * 1e9);
}

/* New TCP flows (SYN) through nrules; states flushed between batches, untimed. */
static double
new_flows_pps(int nrules, int varied)
{
	struct pfm *pf = mk_pf(nrules, varied);
	struct pfm_verdict v;
	long batch = 100000, i, n = 0, rounds = nrules >= 1000 && varied ? 2 : 5, k;
	uint8_t *pk = malloc((size_t)batch * PKTLEN);
	double t, total = 0;

	for (i = 0; i < batch; i++)
		mk_tcp(pk + i * PKTLEN, flow_src(i), 0xcb007101, (uint16_t)(1024 + (i & 0x3fff)),
		    80, 0x02, 1, 0);
	for (k = 0; k < rounds; k++) {
		t = now_s();
		for (i = 0; i < batch; i++)
			pfm_test(pf, PFM_IN, "em0", pk + i * PKTLEN, PKTLEN, 1, &v);
		total += now_s() - t;
		n += batch;
		if (!v.state_created)
			fprintf(stderr, "bench/model: new flow did not create a state\n");
		pfm_flush_states(pf);
	}
	free(pk);
	pfm_free(pf);
	return (n / total);
}

/* Retransmitted SYN i of the flows states_at creates, built in p. */
static void
flow_syn(uint8_t *p, long i)
{
	mk_tcp(p, flow_src(i), 0xcb007101, (uint16_t)(1024 + (i & 0x3fff)), 80, 0x02, 1, 0);
}

/* Lookups one at a time: retransmitted SYNs of random existing flows (state hits).
 * Each packet is built in place, as a packet just received is in cache: a copy from a
 * table of 10^6 packets would add a miss of the bench's own. Building is pure
 * computation, timed alone and subtracted. ns per lookup; a miss voids the run. */
static double
lookup_one(struct pfm *pf, const uint32_t *idx, long n)
{
	struct pfm_verdict v;
	uint8_t p[PKTLEN];
	volatile unsigned sink = 0;
	long i, hits = 0;
	double t, t0;

	t0 = now_s();
	for (i = 0; i < n; i++) {
		flow_syn(p, idx[i]);
		sink += p[idx[i] & 31];
	}
	t0 = now_s() - t0;
	(void)sink;	/* the building is kept, not its result */
	t = now_s();
	for (i = 0; i < n; i++) {
		flow_syn(p, idx[i]);
		pfm_test(pf, PFM_IN, "em0", p, PKTLEN, 2, &v);
		hits += v.state_hit;
	}
	t = now_s() - t - t0;
	if (hits != n) {
		/* a figure for misses is not a lookup cost: fail the run */
		fprintf(stderr, "bench/model: %ld of %ld lookups missed\n", n - hits, n);
		lookups_missed = 1;
	}
	return (t / n * 1e9);
}

/* The same lookups through pfm_test_batch, PFM_BATCH_MAX packets at a time, as the
 * NFQUEUE hook hands them over: the group is built, then tested; building is timed
 * alone and subtracted as above. */
static double
lookup_batched(struct pfm *pf, const uint32_t *idx, long n)
{
	static struct pfm_verdict bv[PFM_BATCH_MAX];
	static uint8_t bp[PFM_BATCH_MAX * PKTLEN];
	struct pfm_batch b[PFM_BATCH_MAX];
	volatile unsigned sink = 0;
	long i, j, hits = 0;
	double t, t0;

	for (j = 0; j < PFM_BATCH_MAX; j++) {
		b[j].dir = PFM_IN;
		b[j].ifname = "em0";
		b[j].pkt = bp + j * PKTLEN;
		b[j].len = PKTLEN;
		b[j].v = &bv[j];
	}
	t0 = now_s();
	for (i = 0; i + PFM_BATCH_MAX <= n; i += PFM_BATCH_MAX) {
		for (j = 0; j < PFM_BATCH_MAX; j++)
			flow_syn(bp + j * PKTLEN, idx[i + j]);
		sink += bp[idx[i] & 31];
	}
	t0 = now_s() - t0;
	(void)sink;
	t = now_s();
	for (i = 0; i + PFM_BATCH_MAX <= n; i += PFM_BATCH_MAX) {
		for (j = 0; j < PFM_BATCH_MAX; j++)
			flow_syn(bp + j * PKTLEN, idx[i + j]);
		pfm_test_batch(pf, b, PFM_BATCH_MAX, 3, NULL, NULL);
		for (j = 0; j < PFM_BATCH_MAX; j++)
			hits += bv[j].state_hit;
	}
	t = now_s() - t - t0;
	if (hits != i) {
		fprintf(stderr, "bench/model: %ld of %ld batched lookups missed\n",
		    i - hits, i);
		lookups_missed = 1;
	}
	return (t / i * 1e9);
}

/* nstates flows inserted (their first SYNs), then 2x10^6 lookups of random ones, one
 * at a time and batched; bytes per state as pf's zones count, and as held. */
static void
states_at(long nstates, double *insert_pps, double *lookup_ns, double *batch_ns,
    double *bytes, double *held)
{
	struct pfm *pf = mk_pf(1, 0);
	struct pfm_verdict v;
	uint8_t *pk = malloc((size_t)nstates * PKTLEN);
	long i, n = 2000000;
	uint32_t x = 12345, *idx;
	double t;

	for (i = 0; i < nstates; i++)
		flow_syn(pk + i * PKTLEN, i);
	t = now_s();
	for (i = 0; i < nstates; i++)
		pfm_test(pf, PFM_IN, "em0", pk + i * PKTLEN, PKTLEN, 1, &v);
	t = now_s() - t;
	*insert_pps = nstates / t;
	/* as pf's zones count: item size x items in use (keys live in the state) */
	*bytes = (double)pfm_state_size();
	*held = (double)pfm_state_bytes(pf) / (double)pfm_state_count(pf);
	idx = malloc((size_t)n * sizeof(*idx));
	for (i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		idx[i] = (x >> 4) % (uint32_t)nstates;
	}
	*lookup_ns = lookup_one(pf, idx, n);
	*batch_ns = lookup_batched(pf, idx, n);
	free(idx);
	free(pk);
	pfm_free(pf);
}

int
main(void)
{
	static const int nr[] = { 1, 10, 100, 1000 };
	double hit, pps, ins, look, blook, by, held, look3 = 0, blook3 = 0;
	long sz;
	int i, varied;

	printf("name,size,value,unit,target,verdict\n");
	hit = state_hit_ns();
	row("state_hit", 1, hit, "ns/packet", "<150", hit < 150);
	for (varied = 0; varied < 2; varied++)
		for (i = 0; i < 4; i++) {
			pps = new_flows_pps(nr[i], varied);
			row(varied ? "new_flows_varied_rules" : "new_flows_uniform_rules", nr[i],
			    pps, "packets/s", nr[i] == 1000 ? (varied ? ">=200000" : ">=1000000") :
			    "", varied ? pps >= 200000 : pps >= 1000000);
		}
	for (sz = 1000; sz <= 1000000; sz *= 10) {
		states_at(sz, &ins, &look, &blook, &by, &held);
		if (sz == 1000) {
			look3 = look;
			blook3 = blook;
		}
		row("state_insert", sz, ins, "inserts/s", "", 1);
		row("state_lookup", sz, look, "ns/packet", sz == 1000000 ? "<=2x_at_1000" : "",
		    look <= 2 * look3);
		row("state_lookup_batched", sz, blook, "ns/packet",
		    sz == 1000000 ? "<=2x_at_1000" : "", blook <= 2 * blook3);
		row("state_bytes", sz, by, "bytes/state", "<=256", by <= 256);
		/* what the allocator and the hash add on top: slabs not yet in use,
		 * the slot array (not counted by pf's zones either) */
		row("state_overhead", sz, held - by, "bytes/state", "", 1);
	}
	row("state_struct", 0, (double)pfm_state_size(), "bytes", "", 1);
	return (lookups_missed ? 1 : 0);
}
