/* target_linux.c: the linux target: the scenario's world in two network namespaces,
 * pf modelled by the NFQUEUE hook, the jails' services in the sink, the wire by wire.c. */
/*
 * The world. A run makes two namespaces, <prefix><pid>h (the host) and <prefix><pid>w
 * (the wire). A veth pair joins them: its host end is named as the scenario's external
 * interface (em0) and holds the public address and a default route via the gateway; its
 * wire end (wire0) has no address: the harness injects and captures there. The jails'
 * addresses sit on a bridge named as the scenario's loopback (lo1). Linux conntrack is
 * off (raw CT --notrack); mangle PREROUTING and POSTROUTING queue every packet (lo
 * included) to the hook thread (nfq.c), which runs pf_test of the model: PREROUTING is
 * `in on <input interface>`, POSTROUTING `out on <output interface>`, and Linux's lo is
 * named as FreeBSD would name it (lo1 towards the jails' network, lo0 otherwise); INPUT
 * is queued too, for net.pf.filter_local=1 (`in on lo0` once more on local delivery). The
 * gateway and the on-link clients are static neighbours with the harness's MAC, so the
 * host never waits on ARP. The jails' services are one forked process (sink.c) in the
 * host namespace whose sockets are bound to the jails' addresses.
 *
 * The sentinel: how a negative expectation (`expect no reply`, `no wire`, `not
 * delivered`) ends without a fixed sleep. After a probe's packets, settle injects an
 * ICMP echo request from the scenario's gateway to the host's public address whose id and
 * payload carry a magic (NFQ_SENTINEL_ID, NFQ_SENTINEL_MAGIC) and a sequence number. The
 * hook passes the request and its reply without running pf, so pf's states and counters
 * are untouched. The kernel processes the wire's packets in order, the queue hands them to
 * the single hook thread in order, and the hook thread and the thread that injects are
 * pinned to one CPU (so injected frames and the hook's verdicts share one backlog queue):
 * so when the echo reply carrying the magic shows up on the wire, every synchronous answer
 * to the probe's packets (SYN-ACK, RST, ICMP error, a block return reply) has already
 * been sent on the wire and captured before it. The harness answers as the clients do
 * (client.c) while it waits; when it injected an answer (an ACK completing a handshake,
 * say) after the sentinel, it sends another sentinel at once (it follows the answer in
 * order, so it bounds the answer's consequences), until a round passes with no answer;
 * likewise when pf sent packets of its own that cross the hook again (synproxy's SYN
 * and ACK to the server, sent unmarked by nfq.c).
 * Then a `sync` to the sink: the sink takes everything waiting on its sockets (the kernel
 * queued the accepted connections and datagrams before the sentinel's reply) and answers;
 * every delivery is then recorded. A `connect` is waited for first: its outcome comes
 * from the sink (ok, refused, timeout after TL_CONNECT_MS = 500 ms, failed), bounded.
 * A negative probe thus costs a packet round trip through the hook and a pipe round trip
 * to the sink: measured on 2 cores, 200 probes each, a SYN to a blocked port settles in
 * 0.09 ms (median; p90 0.16 ms) and a SYN through rdr to a jail (SYN-ACK, the client's
 * ACK, the sink's accept) in 0.20 ms (p90 0.33 ms). A connect that pf drops on its way out
 * fails at once, as on FreeBSD where ip_output returns EACCES to the socket: the hook
 * notes drops of the host's own packets (nfq_local_dropped).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "netns.h"
#include "nfq.h"
#include "obs.h"
#include "pfm.h"
#include "sink.h"
#include "target.h"
#include "wire.h"

#define TL_CONNECT_MS	500	/* a connect that has no answer by then is a timeout */
#define TL_ANSWERS_MAX	8

struct target {
	const struct scn *scn;
	char		 hostns[64], wirens[64];
	int		 built;
	char		 services[1024];
	int		 has_services;
	struct pfm_host	 host;
	struct pfm	*pf;
	struct nfq	*nfq;
	struct sink	*sink;
	struct wire	*wire;
	struct client_sim *cs;
	int		 intr[2];	/* interrupt self-pipe */
	cpu_set_t	 oldcpu;	/* the caller's affinity, restored by down */
	int		 pinned;
	uint32_t	 seq;		/* sentinel, sync and connect sequence */
	uint32_t	 conn_seq;	/* the probe's last connect, 0: none */
	int		 conn_proto, conn_started;
	struct pkt_addr	 conn_local;	/* its local address, once started */
	uint16_t	 conn_lport;
	uint64_t	 conn_drops;	/* the hook's local drops before it */
	int		 outcome;
	int		 sentinel_seen;
	uint32_t	 sentinel_seq;
	int		 answered;	/* answers injected since the last sentinel */
	uint64_t	 pf_sent;	/* the hook's pf_sent when the last sentinel came */
	struct pkt_addr	*nb;		/* addresses the wire answers ARP/NDP for */
	int		 nnb;
	uint8_t		 buf[PKT_FRAME_MAX];
	struct obs	 obs;		/* the probe's frames and deliveries */
};

static void tl_down(struct target *);

static uint64_t
tl_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* The host as pfctl sees it (as target_model.c builds it): the external interface,
 * lo0 and the jails' loopback, both in group lo, jail addresses as /32 and /128. */
static void
tl_host(const struct scn *s, struct pfm_host *h)
{
	static const char *const lo0[][2] = {
		{ "127.0.0.1", "8" }, { "::1", "128" }, { "fe80::1", "64" } };
	struct pfm_if *ifp, *jl;
	struct pkt_addr a;
	size_t i;
	int j, k;

	memset(h, 0, sizeof(*h));
	ifp = &h->iface[h->niface++];
	snprintf(ifp->name, sizeof(ifp->name), "%.15s", s->host_if);
	ifp->addr[0].af = s->host_addr.af;
	memcpy(ifp->addr[0].addr, s->host_addr.a, 16);
	ifp->addr[0].plen = s->host_plen;
	ifp->naddr = s->host_addr.af != 0;
	jl = ifp = &h->iface[h->niface++];
	snprintf(ifp->name, sizeof(ifp->name), "lo0");
	snprintf(ifp->group[ifp->ngroup++], PFM_IFNAMSIZ, "lo");
	for (i = 0; i < sizeof(lo0) / sizeof(lo0[0]); i++) {
		(void)pkt_addr_parse(lo0[i][0], &a);
		ifp->addr[ifp->naddr].af = a.af;
		memcpy(ifp->addr[ifp->naddr].addr, a.a, 16);
		ifp->addr[ifp->naddr++].plen = atoi(lo0[i][1]);
	}
	if (s->lo_if[0] != '\0' && strcmp(s->lo_if, "lo0") != 0) {
		jl = &h->iface[h->niface++];
		snprintf(jl->name, sizeof(jl->name), "%.15s", s->lo_if);
		snprintf(jl->group[jl->ngroup++], PFM_IFNAMSIZ, "lo");
	}
	for (j = 0; j < s->njail; j++)
		for (k = 0; k < s->jail[j].naddr && jl->naddr < 16; k++) {
			jl->addr[jl->naddr].af = s->jail[j].addr[k].af;
			memcpy(jl->addr[jl->naddr].addr, s->jail[j].addr[k].a, 16);
			jl->addr[jl->naddr++].plen = s->jail[j].addr[k].af == AF_INET6 ? 128 : 32;
		}
}

/* Keep the injecting thread on the hook thread's CPU (the sentinel's ordering). */
static int
tl_pin(struct target *t)
{
	cpu_set_t set;
	int cpu;

	if ((cpu = sched_getcpu()) < 0 ||
	    sched_getaffinity(0, sizeof(t->oldcpu), &t->oldcpu) == -1)
		return (-1);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == -1)
		return (-1);
	t->pinned = 1;
	return (cpu);
}

/* The addresses the harness answers ARP/NDP for: the gateway and the clients. */
static int
tl_neighbours(struct target *t, const struct scn *s)
{
	int i;

	if ((t->nb = calloc(s->nclient + 1, sizeof(*t->nb))) == NULL)
		return (-1);
	if (s->gateway.af != 0)
		t->nb[t->nnb++] = s->gateway;
	for (i = 0; i < s->nclient; i++)
		t->nb[t->nnb++] = s->client[i].addr;
	return (0);
}

static int
tl_up(struct target **tp, const struct scn *s, const struct target_opts *o, struct diag *d)
{
	struct target *t;
	struct nfq_opts no;
	const char *prefix = o->prefix != NULL ? o->prefix : "pfh";
	char err[1024];
	int cpu;

	*tp = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		return (-1);
	}
	t->scn = s;
	t->intr[0] = t->intr[1] = -1;
	t->outcome = -1;
	if (o->services != NULL) {
		snprintf(t->services, sizeof(t->services), "%s", o->services);
		t->has_services = 1;
	}
	snprintf(t->hostns, sizeof(t->hostns), "%s%ldh", prefix, (long)getpid());
	snprintf(t->wirens, sizeof(t->wirens), "%s%ldw", prefix, (long)getpid());
	if (pipe2(t->intr, O_CLOEXEC | O_NONBLOCK) == -1) {
		diag_add(d, NULL, 0, "pipe: %s", strerror(errno));
		goto fail;
	}
	if (netns_check_names(s, err, sizeof(err)) == -1) {
		diag_raw(d, err);
		goto fail;
	}
	t->built = 1;
	if (netns_build(t->hostns, t->wirens, s, err, sizeof(err)) == -1) {
		diag_add(d, NULL, 0, "linux: building the namespaces: %s", err);
		goto fail;
	}
	tl_host(s, &t->host);
	cpu = tl_pin(t);
	memset(&no, 0, sizeof(no));
	no.netns = t->hostns;
	no.queue = NETNS_QUEUE;
	no.mark_skip = NETNS_MARK_SKIP;
	no.lo_if = s->lo_if;
	no.lo_net = s->lo_net;
	no.lo_plen = s->lo_plen;
	no.cpu = cpu;
	if ((t->nfq = nfq_start(&no, NULL, err, sizeof(err))) == NULL) {
		diag_add(d, NULL, 0, "linux: the NFQUEUE hook: %s", err);
		goto fail;
	}
	if ((t->wire = wire_open(t->wirens, NETNS_WIRE_IF, err, sizeof(err))) == NULL) {
		diag_add(d, NULL, 0, "linux: the wire: %s", err);
		goto fail;
	}
	if (tl_neighbours(t, s) == -1 || (t->cs = client_new(s)) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		goto fail;
	}
	*tp = t;
	return (0);
fail:
	tl_down(t);
	return (-1);
}

static void
tl_down(struct target *t)
{
	if (t == NULL)
		return;
	sink_stop(t->sink);
	nfq_stop(t->nfq);
	wire_close(t->wire);
	if (t->built) {
		(void)netns_delete(t->hostns);
		(void)netns_delete(t->wirens);
	}
	pfm_free(t->pf);
	client_free(t->cs);
	if (t->pinned)
		(void)sched_setaffinity(0, sizeof(t->oldcpu), &t->oldcpu);
	if (t->intr[0] != -1)
		close(t->intr[0]);
	if (t->intr[1] != -1)
		close(t->intr[1]);
	obs_free(&t->obs);
	free(t->nb);
	free(t);
}

static int
tl_load_rules(struct target *t, const struct scn *s, struct diag *d)
{
	struct pfm_define *def = NULL;
	struct pfm_load_opts lo;
	struct pfm *pf, *old;
	char *dir = NULL;
	int i, rc = -1;

	if ((pf = pfm_new(&t->host)) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		return (-1);
	}
	for (i = 0; i < s->nsysctl; i++)
		if (pfm_sysctl(pf, s->sysctl[i].name, s->sysctl[i].value) == -1) {
			diag_add(d, s->path, s->sysctl[i].line, "unknown sysctl %s",
			    s->sysctl[i].name);
			goto out;
		}
	if (s->ndefine > 0 && (def = calloc(s->ndefine, sizeof(*def))) == NULL)
		goto out;
	for (i = 0; i < s->ndefine; i++) {
		def[i].name = s->define[i].name;
		def[i].value = s->define[i].value;
	}
	if ((dir = strdup(s->path != NULL ? s->path : ".")) == NULL)
		goto out;
	memset(&lo, 0, sizeof(lo));
	lo.file = s->pf_file != NULL ? s->pf_file : s->path;
	lo.line0 = s->pf_line0;
	lo.define = def;
	lo.ndefine = s->ndefine;
	lo.services = t->has_services ? t->services : NULL;
	lo.basedir = dirname(dir);
	if (pfm_load(pf, s->pf_text != NULL ? s->pf_text : "", &lo, d) == -1) {
		rc = 1;
		goto out;
	}
	old = nfq_set_pf(t->nfq, pf);
	pfm_free(old);
	t->pf = pf;
	pf = NULL;
	rc = 0;
out:
	pfm_free(pf);
	free(def);
	free(dir);
	return (rc);
}

static int
tl_start_sink(struct target *t, const struct scn *s, struct diag *d)
{
	char err[1024];

	if ((t->sink = sink_start(t->hostns, s, err, sizeof(err))) == NULL) {
		diag_raw(d, err);
		return (-1);
	}
	return (0);
}


/* 1 when pf dropped a packet of the probe's connect on its way out: FreeBSD's
 * ip_output then fails the socket with EACCES, so the connect fails at once. */
static int
tl_dropped_out(struct target *t, const struct pkt_addr *local, uint16_t lport)
{
	return (local->af != 0 && nfq_local_dropped(t->nfq, t->conn_drops, t->conn_proto,
	    local, lport));
}

/* Take the sink's reports that are waiting; returns the seq of a SYNC seen, or 0.
 * -1 when the sink is gone. */
static long
tl_sink_reports(struct target *t, int keep)
{
	struct pollfd pfd;
	struct sink_report r;
	long synced = 0;

	if (t->sink == NULL)
		return (0);
	pfd.fd = sink_fd(t->sink);
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 0) == 1) {
		if (sink_read(t->sink, &r) != 1)
			return (-1);
		switch (r.kind) {
		case SINK_REP_READY:
		case SINK_REP_ERROR:
			break;
		case SINK_REP_DELIVERY:
			if (keep)
				obs_add_delivery(&t->obs, &r);
			break;
		case SINK_REP_STARTED:
			if (keep && r.seq == t->conn_seq) {
				t->conn_started = 1;
				t->conn_local = r.local;
				t->conn_lport = r.lport;
			}
			break;
		case SINK_REP_OUTCOME:
			if (keep && r.seq == t->conn_seq)
				t->outcome = tl_dropped_out(t, &r.local, r.lport) ?
				    SCN_CONN_FAILED : r.outcome;
			break;
		case SINK_REP_SYNC:
			synced = r.seq;
			break;
		}
	}
	return (synced);
}

static int
tl_inject_frame(struct target *t, const uint8_t *f, size_t len, struct diag *d)
{
	char err[256];

	if (wire_inject(t->wire, f, len, err, sizeof(err)) == -1) {
		if (d != NULL)
			diag_add(d, NULL, 0, "linux: injecting on the wire: %s", err);
		return (-1);
	}
	return (0);
}

/* Inject a packet from the outside: the harness's MAC to the host's; `frag N`: its
 * fragments, one frame each, in sending order. The kernel's own defragmentation
 * (nf_defrag_ipv4/6) does not run before the hook in these namespaces (conntrack is
 * off): the hook sees each fragment, as pf would (scenarios/pf/frag-noscrub.scn and
 * frag-ipv6-scrub.scn fail on this target if it did). */
static int
tl_inject(struct target *t, const struct pkt *p, struct diag *d)
{
	uint8_t f[PKT_FRAME_MAX];
	char err[256];
	int len, i, nf;

	if ((nf = pkt_build_nfrag(p, err, sizeof(err))) == -1)
		goto bad;
	for (i = 0; i < nf; i++) {
		if ((len = pkt_build_frag_frame(p, i, netns_wire_mac, netns_host_mac, f,
		    sizeof(f), err, sizeof(err))) == -1)
			goto bad;
		if (tl_inject_frame(t, f, len, d) == -1)
			return (-1);
	}
	return (0);
bad:
	if (d != NULL)
		diag_add(d, NULL, 0, "linux: building a packet: %s", err);
	return (-1);
}

static int
tl_is_sentinel_reply(const struct pkt *p, uint32_t *seq)
{
	size_t ml = sizeof(NFQ_SENTINEL_MAGIC) - 1;

	if (p->icmp != PKT_ICMP_ECHO_REPLY || p->sport != NFQ_SENTINEL_ID ||
	    p->len < ml + 4 || memcmp(p->payload, NFQ_SENTINEL_MAGIC, ml) != 0)
		return (0);
	*seq = (uint32_t)p->payload[ml] << 24 | (uint32_t)p->payload[ml + 1] << 16 |
	    (uint32_t)p->payload[ml + 2] << 8 | p->payload[ml + 3];
	return (1);
}

/* Neighbour discovery and MLD: the host's IPv6 housekeeping, not a probe's answer. */
static int
tl_is_nd(const struct pkt *p)
{
	return (p->proto == IPPROTO_ICMPV6 && p->icmp == PKT_ICMP_OTHER &&
	    ((p->icmp_type >= 130 && p->icmp_type <= 137) || p->icmp_type == 143));
}


/* One frame the host sent: answer ARP for whom the harness speaks, note the sentinel,
 * record the rest and answer as the clients would. */
static void
tl_frame(struct target *t, const uint8_t *f, size_t len, uint64_t t_us)
{
	struct pkt p, ans[TL_ANSWERS_MAX];
	uint32_t seq;
	char err[128];
	int n, i;

	if (wire_answer_neighbour(t->wire, f, len, netns_wire_mac, t->nb, t->nnb, err,
	    sizeof(err)) == 1)
		return;
	if (len < 14 || !((f[12] == 0x08 && f[13] == 0x00) || (f[12] == 0x86 &&
	    f[13] == 0xdd)))
		return;
	if (pkt_decode_frame(f, len, &p) == -1) {
		obs_add_frame(&t->obs, NULL, t_us);
		return;
	}
	if (tl_is_sentinel_reply(&p, &seq)) {
		if (seq == t->sentinel_seq)
			t->sentinel_seen = 1;
		return;
	}
	if (tl_is_nd(&p))
		return;
	obs_add_frame(&t->obs, &p, t_us);
	n = client_answer(t->cs, &p, ans, TL_ANSWERS_MAX);
	for (i = 0; i < n; i++)
		if (tl_inject(t, &ans[i], NULL) == 0)
			t->answered++;
}

/* Read every frame waiting on the wire. -1 on a capture error. */
static int
tl_wire_drain(struct target *t)
{
	uint64_t t_us;
	int n;

	while ((n = wire_recv(t->wire, t->buf, sizeof(t->buf), &t_us)) > 0)
		tl_frame(t, t->buf, n, t_us);
	return (n);
}

enum tl_wait { TL_WAIT_OUTCOME, TL_WAIT_SENTINEL, TL_WAIT_SYNC };

static int
tl_reached(struct target *t, enum tl_wait w, long synced, uint32_t seq)
{
	switch (w) {
	case TL_WAIT_OUTCOME:
		return (t->outcome != -1);
	case TL_WAIT_SENTINEL:
		/* An answer injected since the sentinel needs a newer one: go now. */
		return (t->sentinel_seen || t->answered > 0);
	case TL_WAIT_SYNC:
		return (synced == (long)seq);
	}
	return (0);
}

/* Serve the wire and the sink until `w` is reached (1), the deadline passes (0), or an
 * interrupt or error (-1, with d). */
static int
tl_pump(struct target *t, enum tl_wait w, uint32_t seq, uint64_t deadline, struct diag *d)
{
	struct pollfd pfd[4];
	uint64_t now;
	long synced = 0, r;
	char c;
	int n;

	for (;;) {
		if (tl_wire_drain(t) == -1) {
			diag_add(d, NULL, 0, "linux: capture failed on the wire");
			return (-1);
		}
		if ((r = tl_sink_reports(t, 1)) == -1) {
			diag_add(d, NULL, 0, "linux: the sink died");
			return (-1);
		}
		if (r > 0)
			synced = r;
		if (t->conn_seq != 0 && t->conn_started && t->outcome == -1 &&
		    tl_dropped_out(t, &t->conn_local, t->conn_lport)) {
			t->outcome = SCN_CONN_FAILED;
			(void)sink_abort(t->sink, t->conn_seq);
		}
		if (tl_reached(t, w, synced, seq))
			return (1);
		if ((now = tl_now_us()) >= deadline)
			return (0);
		pfd[0].fd = wire_fd(t->wire);
		pfd[1].fd = t->sink != NULL ? sink_fd(t->sink) : -1;
		pfd[2].fd = t->intr[0];
		pfd[3].fd = nfq_drop_fd(t->nfq);
		pfd[0].events = pfd[1].events = pfd[2].events = pfd[3].events = POLLIN;
		n = poll(pfd, 4, (int)((deadline - now + 999) / 1000));
		if (n == -1 && errno != EINTR) {
			diag_add(d, NULL, 0, "linux: poll: %s", strerror(errno));
			return (-1);
		}
		if (n > 0 && pfd[3].revents)
			while (read(pfd[3].fd, &c, 1) == 1)
				;
		if (n > 0 && pfd[2].revents) {
			while (read(t->intr[0], &c, 1) == 1)
				;
			diag_add(d, NULL, 0, "interrupted");
			return (-1);
		}
	}
}

/* Inject the sentinel echo request from the gateway to the public address. */
static int
tl_sentinel(struct target *t, struct diag *d)
{
	struct pkt p;
	size_t ml = sizeof(NFQ_SENTINEL_MAGIC) - 1;
	uint32_t s;

	memset(&p, 0, sizeof(p));
	p.proto = t->scn->host_addr.af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	p.src = t->scn->gateway;
	p.dst = t->scn->host_addr;
	p.icmp = PKT_ICMP_ECHO_REQUEST;
	p.sport = NFQ_SENTINEL_ID;
	s = t->sentinel_seq = ++t->seq;
	p.icmp_seq = (uint16_t)s;
	memcpy(p.payload, NFQ_SENTINEL_MAGIC, ml);
	p.payload[ml] = s >> 24;
	p.payload[ml + 1] = s >> 16;
	p.payload[ml + 2] = s >> 8;
	p.payload[ml + 3] = s;
	p.len = ml + 4;
	t->sentinel_seen = 0;
	t->answered = 0;
	return (tl_inject(t, &p, d));
}

/* 1 when pf sent packets of its own through the hook (synproxy's SYN and ACK to the
 * server) since the last sentinel came back. Such a packet crosses the hook again (out,
 * then in over lo) and its answer after that, possibly behind the sentinel: another
 * round, sent after the sentinel came back, follows them in order. */
static int
tl_pf_sent(struct target *t)
{
	struct nfq_stats st;
	int changed;

	nfq_get_stats(t->nfq, &st);
	changed = st.pf_sent != t->pf_sent;
	t->pf_sent = st.pf_sent;
	return (changed);
}

static int
tl_settle(struct target *t, int timeout_ms, struct diag *d)
{
	uint64_t deadline = tl_now_us() + (uint64_t)timeout_ms * 1000;
	uint32_t s;
	int r;

	if (t->conn_seq != 0 && t->outcome == -1 &&
	    tl_pump(t, TL_WAIT_OUTCOME, 0, deadline, d) == -1)
		return (-1);
	if (t->scn->host_addr.af != 0 && t->scn->gateway.af != 0)
		do {
			if (tl_sentinel(t, d) == -1)
				return (-1);
			if ((r = tl_pump(t, TL_WAIT_SENTINEL, 0, deadline, d)) != 1) {
				if (r == 0)
					diag_add(d, NULL, 0, "linux: the sentinel did not come "
					    "back within %d ms", timeout_ms);
				return (-1);
			}
		} while (!t->sentinel_seen || t->answered > 0 || tl_pf_sent(t));
	if (t->sink == NULL)
		return (0);
	s = ++t->seq;
	if (sink_sync(t->sink, s) == -1) {
		diag_add(d, NULL, 0, "linux: the sink is gone");
		return (-1);
	}
	if ((r = tl_pump(t, TL_WAIT_SYNC, s, deadline, d)) != 1) {
		if (r == 0)
			diag_add(d, NULL, 0, "linux: the sink did not sync within %d ms",
			    timeout_ms);
		return (-1);
	}
	return (0);
}

static int
tl_probe_begin(struct target *t, const char *pcap_path, struct diag *d)
{
	char err[512];

	(void)tl_sink_reports(t, 0);
	(void)wire_drain(t->wire);
	obs_clear(&t->obs);
	t->conn_seq = 0;
	t->conn_started = 0;
	t->outcome = -1;
	wire_dump_close(t->wire);
	if (pcap_path != NULL &&
	    wire_dump_open(t->wire, pcap_path, err, sizeof(err)) == -1) {
		diag_add(d, NULL, 0, "linux: %s", err);
		return (-1);
	}
	return (0);
}

static void
tl_probe_end(struct target *t)
{
	wire_dump_close(t->wire);
}

static int
tl_send(struct target *t, const struct pkt *p, struct diag *d)
{
	client_sent(t->cs, p);
	return (tl_inject(t, p, d));
}

static int
tl_jail_connect(struct target *t, int jail, int proto, const struct pkt_addr *dst,
    uint16_t dport, const struct pkt_addr *from, uint16_t fromport, struct diag *d)
{
	if (t->sink == NULL) {
		diag_add(d, NULL, 0, "linux: connect before the sink started");
		return (-1);
	}
	t->conn_seq = ++t->seq;
	t->conn_proto = proto;
	t->conn_started = 0;
	t->conn_drops = nfq_local_drops(t->nfq);
	t->outcome = -1;
	if (sink_connect(t->sink, t->conn_seq, jail, proto, dst, dport, from, fromport,
	    TL_CONNECT_MS) == -1) {
		diag_add(d, NULL, 0, "linux: the sink is gone");
		return (-1);
	}
	return (0);
}

static const struct target_frame *
tl_frames(struct target *t, int *n)
{
	*n = t->obs.nframe;
	return (t->obs.frame);
}

static const struct target_delivery *
tl_deliveries(struct target *t, int *n)
{
	*n = t->obs.ndeliv;
	return (t->obs.deliv);
}

static int
tl_connect_outcome(struct target *t)
{
	return (t->outcome);
}

static char *
tl_show(struct target *t, void (*fn)(struct nfq *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return (NULL);
	fn(t->nfq, f);
	if (fclose(f) != 0) {
		free(buf);
		return (NULL);
	}
	return (buf);
}

static char *
tl_states(struct target *t)
{
	return (tl_show(t, nfq_states));
}

static char *
tl_counters(struct target *t)
{
	return (tl_show(t, nfq_info));
}

static char *
tl_rules(struct target *t)
{
	return (tl_show(t, nfq_rules));
}

static void
tl_cleanup_stale(const char *prefix)
{
	(void)netns_cleanup_stale(prefix != NULL ? prefix : "pfh");
}

/* From a signal handler: only a write to the self-pipe. */
static void
tl_interrupt(struct target *t)
{
	(void)!write(t->intr[1], "x", 1);
}

/* For `run --hold`: the namespaces and the wire as a command outside needs them. */
static char *
tl_hold_env(struct target *t)
{
	const uint8_t *w = netns_wire_mac, *h = netns_host_mac;
	char *s;

	if (asprintf(&s, "PFH_HOST_NS=%s\nPFH_WIRE_NS=%s\nPFH_WIRE_IF=%s\n"
	    "PFH_WIRE_MAC=%02x:%02x:%02x:%02x:%02x:%02x\n"
	    "PFH_HOST_MAC=%02x:%02x:%02x:%02x:%02x:%02x\n", t->hostns, t->wirens,
	    NETNS_WIRE_IF, w[0], w[1], w[2], w[3], w[4], w[5], h[0], h[1], h[2], h[3], h[4],
	    h[5]) == -1)
		return (NULL);
	return (s);
}

const struct target_ops target_linux_ops = {
	.name = "linux",
	.up = tl_up,
	.down = tl_down,
	.load_rules = tl_load_rules,
	.start_sink = tl_start_sink,
	.probe_begin = tl_probe_begin,
	.probe_end = tl_probe_end,
	.send = tl_send,
	.jail_connect = tl_jail_connect,
	.settle = tl_settle,
	.frames = tl_frames,
	.deliveries = tl_deliveries,
	.connect_outcome = tl_connect_outcome,
	.states = tl_states,
	.counters = tl_counters,
	.rules = tl_rules,
	.cleanup_stale = tl_cleanup_stale,
	.interrupt = tl_interrupt,
	.hold_env = tl_hold_env,
};
