/* target_linux_settle.c: the linux target's wire and sink pump, and how a probe ends. */
/*
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

#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "netns.h"
#include "target_linux_impl.h"

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
long
tl_sink_reports(struct target *t, int keep)
{
	int before = t->conn.outcome;
	long synced;

	if (t->sink == NULL)
		return (0);
	synced = tw_sink_reports(t->sink, sink_fd(t->sink), sink_read, keep, &t->obs,
	    &t->conn);
	/* pf dropped its packet on the way out: failed, whatever the socket says */
	if (before == -1 && t->conn.outcome != -1 &&
	    tl_dropped_out(t, &t->conn.local, t->conn.lport))
		t->conn.outcome = SCN_CONN_FAILED;
	return (synced);
}

static int
tl_inject_frame(struct target *t, int wire, const uint8_t *f, size_t len,
    struct diag *d)
{
	char err[256];

	if (wire_inject(t->wire[wire].w, f, len, err, sizeof(err)) == -1) {
		if (d != NULL)
			diag_add(d, NULL, 0, "linux: injecting on the wire: %s", err);
		return (-1);
	}
	return (0);
}

/* The MAC a packet from src comes from on wire `wire`: the router's when src is a
 * client behind one, else the wire's. */
static const uint8_t *
tl_src_mac(struct target *t, int wire, const struct pkt_addr *src, uint8_t buf[6])
{
	const struct scn *s = t->scn;
	int i;

	for (i = 0; i < s->nclient; i++)
		if (s->client[i].router >= 0 && pkt_addr_eq(&s->client[i].addr, src) &&
		    s->router[s->client[i].router].wire == wire) {
			netns_router_mac(s->client[i].router, buf);
			return (buf);
		}
	return (t->wire[wire].mac);
}

/* Inject a packet from the outside: the harness's MAC (a router's) to the host's;
 * `frag N`: its fragments, one frame each, in sending order. The kernel's own defragmentation
 * (nf_defrag_ipv4/6) does not run before the hook in these namespaces (conntrack is
 * off): the hook sees each fragment, as pf would (scenarios/pf/frag-noscrub.scn and
 * frag-ipv6-scrub.scn fail on this target if it did). */
int
tl_inject(struct target *t, int wire, const struct pkt *p, struct diag *d)
{
	uint8_t f[PKT_FRAME_MAX], mac[6];
	const uint8_t *src = tl_src_mac(t, wire, &p->src, mac);
	char err[256];
	int len, i, nf;

	if ((nf = pkt_build_nfrag(p, err, sizeof(err))) == -1)
		goto bad;
	for (i = 0; i < nf; i++) {
		if ((len = pkt_build_frag_frame(p, i, src, t->wire[wire].host_mac, f,
		    sizeof(f), err, sizeof(err))) == -1)
			goto bad;
		if (tl_inject_frame(t, wire, f, len, d) == -1)
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


/* ARP and NDP on wire w: for the wire's neighbours with its MAC, for each router on
 * it with the router's. 1 when answered. */
static int
tl_neighbour(struct target *t, int w, const uint8_t *f, size_t len)
{
	const struct scn *s = t->scn;
	uint8_t mac[6];
	char err[128];
	int r;

	if (wire_answer_neighbour(t->wire[w].w, f, len, t->wire[w].mac, t->wire[w].nb,
	    t->wire[w].nnb, err, sizeof(err)) == 1)
		return (1);
	for (r = 0; r < s->nrouter; r++) {
		if (s->router[r].wire != w)
			continue;
		netns_router_mac(r, mac);
		if (wire_answer_neighbour(t->wire[w].w, f, len, mac, &s->router[r].addr, 1,
		    err, sizeof(err)) == 1)
			return (1);
	}
	return (0);
}

/* One frame the host sent on wire w: answer ARP for whom the harness speaks, note the
 * sentinel, record the rest and answer as the clients on that wire would. */
static void
tl_frame(struct target *t, int w, const uint8_t *f, size_t len, uint64_t t_us)
{
	struct pkt p, ans[TL_ANSWERS_MAX];
	uint32_t seq;
	int n, i;

	if (tl_neighbour(t, w, f, len))
		return;
	if (!tw_host_frame(&t->obs, f, len, t_us, &p))
		return;
	if (tl_is_sentinel_reply(&p, &seq)) {
		if (seq == t->sentinel_seq)
			t->sentinel_seen = 1;
		return;
	}
	obs_add_frame(&t->obs, &p, t_us);
	if (t->obs.nframe > 0)
		t->obs.frame[t->obs.nframe - 1].wire = w;
	n = client_answer_on(t->cs, w, &p, ans, TL_ANSWERS_MAX);
	for (i = 0; i < n; i++)
		if (tl_inject(t, w, &ans[i], NULL) == 0)
			t->answered++;
}

/* Read every frame waiting on the wires. -1 on a capture error. */
static int
tl_wire_drain(struct target *t)
{
	uint64_t t_us;
	int n = 0, w;

	for (w = 0; w < t->nwire; w++) {
		while ((n = wire_recv(t->wire[w].w, t->buf, sizeof(t->buf), &t_us)) > 0)
			tl_frame(t, w, t->buf, n, t_us);
		if (n == -1)
			return (-1);
	}
	return (0);
}

enum tl_wait { TL_WAIT_OUTCOME, TL_WAIT_SENTINEL, TL_WAIT_SYNC };

static int
tl_reached(struct target *t, enum tl_wait w, long synced, uint32_t seq)
{
	switch (w) {
	case TL_WAIT_OUTCOME:
		return (t->conn.outcome != -1);
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
	struct pollfd *pfd = t->pfd;
	long synced = 0, r;
	char c;
	int n, k, nw = t->nwire;

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
		if (t->conn.seq != 0 && t->conn.started && t->conn.outcome == -1 &&
		    tl_dropped_out(t, &t->conn.local, t->conn.lport)) {
			t->conn.outcome = SCN_CONN_FAILED;
			(void)sink_abort(t->sink, t->conn.seq);
		}
		if (tl_reached(t, w, synced, seq))
			return (1);
		for (k = 0; k < nw; k++)
			pfd[k].fd = wire_fd(t->wire[k].w);
		pfd[nw].fd = t->sink != NULL ? sink_fd(t->sink) : -1;
		pfd[nw + 1].fd = nfq_drop_fd(t->nfq);
		pfd[nw + 2].fd = t->intr[0];
		if ((n = tw_wait(pfd, nw + 3, deadline, "linux", d)) != 1)
			return (n);
		if (pfd[nw + 1].revents)
			while (read(pfd[nw + 1].fd, &c, 1) == 1)
				;
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
	return (tl_inject(t, 0, &p, d));
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

/* The quiet sentinel rounds a settle needs: one; two in a world with VNET jails. A
 * VNET jail's stack answers a packet the hook passed on to it (a SYN-ACK) only once
 * that packet leaves the host's backlog, behind the sentinel's reply that was queued
 * with it; its answer then crosses the hook again, after the reply was captured. A
 * second round sent after that reply follows the answer through the hook. */
static int
tl_quiet_rounds(const struct scn *s)
{
	int i;

	for (i = 0; i < s->njail; i++)
		if (s->jail[i].kind == SCN_JAIL_VNET)
			return (2);
	return (1);
}

#define TL_SENTINEL_RESEND_MS	1000

static uint64_t
tl_min(uint64_t a, uint64_t b)
{
	return (a < b ? a : b);
}

int
tl_settle(struct target *t, int timeout_ms, struct diag *d)
{
	uint64_t deadline = tw_now_us() + (uint64_t)timeout_ms * 1000;
	uint32_t s;
	int r, quiet = 0;

	if (t->conn.seq != 0 && t->conn.outcome == -1 &&
	    tl_pump(t, TL_WAIT_OUTCOME, 0, deadline, d) == -1)
		return (-1);
	if (t->scn->host_addr.af != 0 && t->scn->gateway.af != 0)
		do {
			if (tl_sentinel(t, d) == -1)
				return (-1);
			/* a sentinel lost on the way (seen in an IPv6-only world
			 * on a loaded machine, one run in three of tests/probes.sh;
			 * where it was lost was not found) is followed by another
			 * each TL_SENTINEL_RESEND_MS: a later one is behind the
			 * probe's packets as well, and an earlier reply is ignored */
			while ((r = tl_pump(t, TL_WAIT_SENTINEL, 0, tl_min(deadline,
			    tw_now_us() + TL_SENTINEL_RESEND_MS * 1000), d)) == 0 &&
			    tw_now_us() < deadline)
				if (tl_sentinel(t, d) == -1)
					return (-1);
			if (r != 1) {
				if (r == 0)
					diag_add(d, NULL, 0, "linux: the sentinel did not come "
					    "back within %d ms", timeout_ms);
				return (-1);
			}
			quiet = t->sentinel_seen && t->answered == 0 && !tl_pf_sent(t) ?
			    quiet + 1 : 0;
		} while (quiet < tl_quiet_rounds(t->scn));
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
