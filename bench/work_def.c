/* work_def.c: the benchmark's workloads as data (with the generator's spec of each and
 * the world's MACs) and the loss-free search, shared by the Linux (work_linux.c) and FreeBSD
 * (bench_run_freebsd.c, work_freebsd.c) halves, so that both measure the same points
 * and write the same rows; work_pts.c runs them. */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen.h"
#include "work.h"
#include "work_def.h"

const char *const bench_mode_name[3] = { "gen", "nopf", "pf" };

const struct bench_wl bench_wls[BENCH_NWL] = {
	{ "rdr-in", BENCH_SIDE_OUT, { 198, 18, 0, 1 }, { 203, 0, 113, 1 }, 5001, 64,
	    RECV_UDP, BENCH_SIDE_OUT, "rdr pass on em0 proto udp from any to 203.0.113.1 "
	    "port 5001 -> 10.99.1.1 port 5001\n", "flows", 0, { 10, 99, 1, 1 } },
	{ "nat-out", BENCH_SIDE_IN, { 10, 99, 0, 1 }, { 198, 51, 100, 7 }, 9, 3,
	    RECV_WIRE, BENCH_SIDE_OUT, "nat on em0 from 10.99.0.0/28 to any -> "
	    "203.0.113.1\npass all\n", "flows", 0, { 0 } },
	{ "forward", BENCH_SIDE_OUT, { 198, 18, 0, 1 }, { 10, 99, 0, 1 }, 9, 64,
	    RECV_WIRE, BENCH_SIDE_IN, "pass all\n", "flows", 0, { 0 } },
	{ "rules", BENCH_SIDE_OUT, { 198, 18, 0, 1 }, { 10, 99, 0, 1 }, 9, 64,
	    RECV_WIRE, BENCH_SIDE_IN, "pass all no state\n", "rules", 0, { 0 } },
	{ "states", BENCH_SIDE_OUT, { 198, 18, 0, 1 }, { 10, 99, 0, 1 }, 9, 256,
	    RECV_WIRE, BENCH_SIDE_IN, "set limit states 1100000\n"	/* default 100000 */
	    /* Adaptive timeouts would expire the table as it fills (by default they
	     * reach 0 at 120000 states), and the fill of 10^6 outlasts udp.first. */
	    "set timeout { udp.first 3600, udp.single 3600, adaptive.start 2000000, "
	    "adaptive.end 4000000 }\n"
	    "pass out quick on em1 all no state\n"
	    "pass in on em0 proto udp all keep state\n", "states", 0, { 0 } },
};

const struct bench_wl bench_wl_noport = { "noport", BENCH_SIDE_OUT, { 198, 18, 0, 1 },
	{ 203, 0, 113, 1 }, 5002, 64, RECV_UDP, BENCH_SIDE_OUT,
	"block in on em0 proto udp to port 5002\npass all\n", "flows", 5001, { 0 } };

const uint8_t bench_port_mac[BENCH_NPORTS][6] = {
	{ 0x02, 0x70, 0x66, 0x62, 0x00, 0x01 },
	{ 0x02, 0x70, 0x66, 0x62, 0x01, 0x01 },
	{ 0x02, 0x70, 0x66, 0x62, 0x00, 0x02 },
	{ 0x02, 0x70, 0x66, 0x62, 0x01, 0x02 },
	{ 0x02, 0x70, 0x66, 0x62, 0x02, 0x01 },
	{ 0x02, 0x70, 0x66, 0x62, 0x02, 0x02 },
};

const char *
bench_mac_text(int port, char *buf)
{
	const uint8_t *m = bench_port_mac[port];

	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
	    m[5]);
	return (buf);
}

void
bench_wl_gen_spec(const struct bench_wl *wl, const uint8_t src_mac[6],
    const uint8_t dst_mac[6], uint64_t flows, struct gen_spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->pkt.proto = IPPROTO_UDP;
	sp->pkt.src.af = sp->pkt.dst.af = AF_INET;
	memcpy(sp->pkt.src.a, wl->src, 4);
	memcpy(sp->pkt.dst.a, wl->dst, 4);
	sp->pkt.sport = 1024;
	sp->pkt.dport = wl->dport;
	sp->pkt.len = BENCH_PAYLOAD;
	memcpy(sp->src_mac, src_mac, 6);
	memcpy(sp->dst_mac, dst_mac, 6);
	sp->nsrc = wl->nsrc;
	sp->nsport = (uint32_t)((flows + wl->nsrc - 1) / wl->nsrc);
	sp->nflows = flows;
}

void
bench_wl_recv_spec(const struct bench_wl *wl, struct recv_spec *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->kind = wl->rk;
	rs->port = wl->recv_port ? wl->recv_port : wl->dport;
}

const struct bench_wl *
bench_wl_find(const char *name)
{
	size_t i;

	for (i = 0; i < BENCH_NWL; i++)
		if (strcmp(bench_wls[i].name, name) == 0)
			return (&bench_wls[i]);
	return (NULL);
}

int
bench_work_known(const char *name)
{
	return (strcmp(name, "all") == 0 || bench_wl_find(name) != NULL);
}

const char *
bench_work_names(void)
{
	return ("rdr-in nat-out forward rules states");
}

int
bench_wl_sizes(const struct bench_wl *w, int full, long *out)
{
	static const long rules[] = { 1, 10, 100, 1000 };
	static const long states_q[] = { 1000, 10000 };
	static const long states_f[] = { 1000, 10000, 100000, 1000000 };
	const long *s;
	int n, i;

	if (strcmp(w->name, "rules") == 0) {
		s = rules;
		n = 4;
	} else if (strcmp(w->name, "states") == 0) {
		s = full ? states_f : states_q;
		n = full ? 4 : 2;
	} else {
		out[0] = BENCH_FLOWS;
		return (1);
	}
	for (i = 0; i < n; i++)
		out[i] = s[i];
	return (n);
}

char *
bench_wl_rules_conf(long n)
{
	char *s, *p;
	long i;
	size_t cap = (size_t)n * 96 + 64;

	if ((s = p = malloc(cap)) == NULL)
		return (NULL);
	for (i = 0; i < n - 1; i++)
		switch (i % 4) {
		case 0:
			p += sprintf(p, "block in on em0 proto tcp from 192.0.2.%ld to any "
			    "port %ld\n", i % 250 + 1, 1000 + i);
			break;
		case 1:
			p += sprintf(p, "block out on em1 proto udp from any to 192.0.2.%ld "
			    "port %ld\n", i % 250 + 1, 2000 + i);
			break;
		case 2:
			p += sprintf(p, "block in on em1 proto icmp from 192.0.2.%ld to any\n",
			    i % 250 + 1);
			break;
		default:
			p += sprintf(p, "block in on em0 proto udp from 192.0.2.%ld port %ld "
			    "to any\n", i % 250 + 1, 3000 + i);
			break;
		}
	sprintf(p, "pass all no state\n");
	return (s);
}

char *
bench_wl_conf(const struct bench_wl *w, long size)
{
	if (strcmp(w->name, "rules") == 0)
		return (bench_wl_rules_conf(size));
	return (strdup(w->conf));
}

double
bench_loss_pct(uint64_t sent, uint64_t recv)
{
	if (sent == 0)
		return (0);
	return (100.0 * (double)(sent - (recv < sent ? recv : sent)) / (double)sent);
}

int
bench_lossfree(bench_trial_fn trial, void *arg, int steps, double hi,
    volatile sig_atomic_t *stop, double *out)
{
	uint64_t sent, recv;
	double lo = 0, mid, secs;
	int i;

	for (i = 0; i < steps && !*stop; i++) {
		mid = (lo + hi) / 2;
		if (trial(arg, mid, &sent, &recv, &secs) == -1)
			return (-1);
		if (recv >= sent)
			lo = sent / secs;
		else
			hi = mid;
	}
	*out = lo;
	return (0);
}
