/* target_freebsd_probe.c: the freebsd target's probes: the wire on the epair's b side
 * (inject, capture, ARP, the clients' answers), the jails' sink, and settle's sentinel,
 * through struct tfb_io so that the tests run all of it against a fake wire and sink. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target/client.h"
#include "target/obs.h"
#include "tfb.h"
#include "target/target_wire.h"

#define TFB_CONNECT_MS	500	/* a connect with no answer by then is a timeout */
#define TFB_MAC_MS	2000	/* the host's answer to the first ARP request */
#define TFB_PF_SEND_MS	20	/* pf's own replies, sent from its swi (see top of
				 * target_freebsd.c) */
#define TFB_ANSWERS_MAX	8
#define ARP_FRAME	60	/* an ARP request padded to Ethernet's minimum */

const struct tfb_io tfb_io_real = {
	.wire_open = wire_open,
	.wire_close = wire_close,
	.wire_fd = wire_fd,
	.wire_mac = wire_mac,
	.wire_inject = wire_inject,
	.wire_recv = wire_recv,
	.wire_drain = wire_drain,
	.wire_answer_neighbour = wire_answer_neighbour,
	.wire_dump_open = wire_dump_open,
	.wire_dump_close = wire_dump_close,
	.sink_start = sink_start,
	.sink_stop = sink_stop,
	.sink_fd = sink_fd,
	.sink_read = sink_read,
	.sink_sync = sink_sync,
	.sink_connect = sink_connect,
};

static const struct tfb_io *io = &tfb_io_real;

void
target_freebsd_set_io(const struct tfb_io *fake)
{
	io = fake != NULL ? fake : &tfb_io_real;
}

struct tfb_probe {
	const struct scn *s;
	struct wire	*w;
	struct sink	*sink;
	struct client_sim *cs;
	uint8_t		 own_mac[6];	/* epairNb's own: never the neighbours' (below) */
	uint8_t		 host_mac[6];	/* the scenario's external interface's */
	int		 host_mac_known;
	struct pkt_addr	 asker;		/* who the sentinel's ARP requests come from */
	struct pkt_addr	*nb;		/* addresses the wire answers ARP/NDP for */
	int		 nnb;
	int		 intr[2];
	int		 pf_sends;	/* the ruleset makes pf send packets itself */
	int		 arp_out;	/* ARP requests to the host not answered yet */
	int		 answered;	/* frames the harness answered since the sentinel */
	uint32_t	 seq;
	struct tw_conn	 conn;		/* the probe's connect */
	uint8_t		 buf[PKT_FRAME_MAX];
	struct obs	 obs;		/* the probe's frames and deliveries */
};

enum tfb_wait { TFB_WAIT_NONE, TFB_WAIT_OUTCOME, TFB_WAIT_ARP, TFB_WAIT_SYNC };

static void
nonblock_cloexec(int fd)
{
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/*
 * The neighbours' MACs. The gateway and each client get a locally administered MAC of
 * their own, never the MAC of epairNb, the interface the harness injects and captures
 * on: a frame the host sends to epairNb's own MAC is not M_PROMISC when it arrives there
 * (ether_input_internal in sys/net/if_ethersubr.c marks only frames "not for our MAC
 * address"), so ether_demux would pass it up to ip_input on epairNb and pf would
 * evaluate every packet of the host a second time, as `in on epairNb` (unbound rules
 * counting twice, extra states). Addressed to a MAC epairNb does not own, the frame is
 * M_PROMISC: BPF still sees it, then ether_demux drops it (epairNb is not IFF_PPROMISC;
 * libpcap's promiscuous mode sets IFF_PROMISC only). Off-link clients are behind the
 * gateway, so their frames carry the gateway's MAC, as on a real network.
 */
#define TFB_MAC_GATEWAY	0x67	/* 02:70:66:67:00:00 */
#define TFB_MAC_CLIENT	0x63	/* 02:70:66:63:HI:LO, client index */

static void
neighbour_mac(const struct tfb_probe *p, const struct pkt_addr *a, uint8_t mac[6])
{
	int i;

	mac[0] = 0x02, mac[1] = 0x70, mac[2] = 0x66;
	mac[3] = TFB_MAC_GATEWAY, mac[4] = mac[5] = 0;
	for (i = 0; i < p->s->nclient; i++)
		if (pkt_addr_eq(&p->s->client[i].addr, a) &&
		    (p->s->host_addr.af != a->af ||
		    tw_in_net(a, &p->s->host_addr, p->s->host_plen))) {
			mac[3] = TFB_MAC_CLIENT;
			mac[4] = (uint8_t)(i >> 8), mac[5] = (uint8_t)i;
			return;
		}
}

struct tfb_probe *
tfb_probe_open(const struct scn *s, const char *ifname, struct diag *d)
{
	struct tfb_probe *p;
	char err[512];
	int i;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->nb = tw_neighbours(s, &p->nnb)) == NULL ||
	    (p->cs = client_new(s)) == NULL) {
		if (p != NULL)
			free(p->nb);
		free(p);
		diag_add(d, NULL, 0, "freebsd target: out of memory");
		return (NULL);
	}
	p->s = s;
	p->conn.outcome = -1;
	p->intr[0] = p->intr[1] = -1;
	for (i = 0; i < p->nnb && p->asker.af == 0; i++)
		if (p->nb[i].af == AF_INET)
			p->asker = p->nb[i];
	if (pipe(p->intr) == -1) {
		diag_add(d, NULL, 0, "pipe: %s", strerror(errno));
		tfb_probe_close(p);
		return (NULL);
	}
	nonblock_cloexec(p->intr[0]);
	nonblock_cloexec(p->intr[1]);
	if ((p->w = io->wire_open(NULL, ifname, err, sizeof(err))) == NULL) {
		diag_add(d, NULL, 0, "freebsd: the wire on %s: %s", ifname, err);
		tfb_probe_close(p);
		return (NULL);
	}
	memcpy(p->own_mac, io->wire_mac(p->w), 6);
	for (i = 0; i < p->nnb; i++) {
		uint8_t mac[6];
		neighbour_mac(p, &p->nb[i], mac);
		if (memcmp(mac, p->own_mac, 6) == 0) {
			diag_add(d, NULL, 0, "freebsd: %s has the MAC the harness gives a "
			    "neighbour; pf would see the host's packets twice", ifname);
			tfb_probe_close(p);
			return (NULL);
		}
	}
	return (p);
}

void
tfb_probe_close(struct tfb_probe *p)
{
	if (p == NULL)
		return;
	if (p->sink != NULL)
		io->sink_stop(p->sink);
	if (p->w != NULL)
		io->wire_close(p->w);
	client_free(p->cs);
	if (p->intr[0] != -1)
		close(p->intr[0]);
	if (p->intr[1] != -1)
		close(p->intr[1]);
	free(p->nb);
	obs_free(&p->obs);
	free(p);
}

void
tfb_probe_pf_sends(struct tfb_probe *p, int yes)
{
	p->pf_sends = yes;
}

/* "Who has the public address? Tell the asker": answered by the host's ARP code. */
static int
arp_request(struct tfb_probe *p, struct diag *d)
{
	uint8_t f[ARP_FRAME], mac[6];
	char err[256];

	neighbour_mac(p, &p->asker, mac);
	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	memcpy(f + 6, mac, 6);
	f[12] = 0x08, f[13] = 0x06;		/* ARP */
	f[14] = 0, f[15] = 1;			/* Ethernet */
	f[16] = 0x08, f[17] = 0x00;		/* IPv4 */
	f[18] = 6, f[19] = 4;
	f[20] = 0, f[21] = 1;			/* request */
	memcpy(f + 22, mac, 6);
	memcpy(f + 28, p->asker.a, 4);
	memcpy(f + 38, p->s->host_addr.a, 4);
	if (io->wire_inject(p->w, f, sizeof(f), err, sizeof(err)) == -1) {
		diag_add(d, NULL, 0, "freebsd: injecting on the wire: %s", err);
		return (-1);
	}
	p->arp_out++;
	return (0);
}

/* 1 when the frame is the host's ARP reply to one of our requests (MAC noted). */
static int
arp_reply(struct tfb_probe *p, const uint8_t *f, size_t len)
{
	static const uint8_t hdr[] = { 0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 2 };

	if (len < 42 || memcmp(f + 12, hdr, sizeof(hdr)) != 0 ||
	    memcmp(f + 28, p->s->host_addr.a, 4) != 0 || memcmp(f + 38, p->asker.a, 4) != 0)
		return (0);
	memcpy(p->host_mac, f + 22, 6);
	p->host_mac_known = 1;
	if (p->arp_out > 0)
		p->arp_out--;
	return (1);
}

static int
inject(struct tfb_probe *p, const struct pkt *k, struct diag *d)
{
	uint8_t f[PKT_FRAME_MAX], mac[6];
	char err[256];
	int len;

	neighbour_mac(p, &k->src, mac);
	if ((len = pkt_build_frame(k, mac, p->host_mac, f, sizeof(f), err,
	    sizeof(err))) == -1 ||
	    io->wire_inject(p->w, f, (size_t)len, err, sizeof(err)) == -1) {
		if (d != NULL)
			diag_add(d, NULL, 0, "freebsd: injecting on the wire: %s", err);
		return (-1);
	}
	return (0);
}


/* One frame the host sent: an ARP reply to us, a neighbour question to answer, or an
 * IP packet recorded and answered as the clients would. */
static void
frame_in(struct tfb_probe *p, const uint8_t *f, size_t len, uint64_t t_us)
{
	struct pkt k, ans[TFB_ANSWERS_MAX];
	uint8_t mac[6];
	char err[128];
	int n, i;

	if (arp_reply(p, f, len))
		return;
	for (i = 0; i < p->nnb; i++) {	/* each neighbour answers with its own MAC */
		neighbour_mac(p, &p->nb[i], mac);
		if (io->wire_answer_neighbour(p->w, f, len, mac, &p->nb[i], 1, err,
		    sizeof(err)) == 1) {
			p->answered++;	/* a packet held for it follows: one more round */
			return;
		}
	}
	if (!tw_host_frame(&p->obs, f, len, t_us, &k))
		return;
	obs_add_frame(&p->obs, &k, t_us);
	n = client_answer(p->cs, &k, ans, TFB_ANSWERS_MAX);
	for (i = 0; i < n; i++)
		if (inject(p, &ans[i], NULL) == 0)
			p->answered++;
}


/* The sink's waiting reports (kept when `keep`); the seq of a SYNC seen, 0 if none, -1
 * when the sink is gone. */
static long
sink_reports(struct tfb_probe *p, int keep)
{
	if (p->sink == NULL)
		return (0);
	return (tw_sink_reports(p->sink, io->sink_fd(p->sink), io->sink_read, keep,
	    &p->obs, &p->conn));
}

static int
reached(struct tfb_probe *p, enum tfb_wait w, long synced, uint32_t seq)
{
	switch (w) {
	case TFB_WAIT_NONE:
		return (0);
	case TFB_WAIT_OUTCOME:
		return (p->conn.outcome != -1);
	case TFB_WAIT_ARP:
		return (p->arp_out == 0);
	case TFB_WAIT_SYNC:
		return (synced == (long)seq);
	}
	return (0);
}

/* Serve the wire and the sink until `w` is reached (1), the deadline passes (0), or an
 * interrupt or error (-1, with d). */
static int
pump(struct tfb_probe *p, enum tfb_wait w, uint32_t seq, uint64_t deadline,
    struct diag *d)
{
	struct pollfd pfd[3];
	uint64_t t_us;
	long synced = 0, r;
	int n;

	for (;;) {
		while ((n = io->wire_recv(p->w, p->buf, sizeof(p->buf), &t_us)) > 0)
			frame_in(p, p->buf, (size_t)n < sizeof(p->buf) ? (size_t)n :
			    sizeof(p->buf), t_us);
		if (n == -1) {
			diag_add(d, NULL, 0, "freebsd: capture failed on the wire");
			return (-1);
		}
		if ((r = sink_reports(p, 1)) == -1) {
			diag_add(d, NULL, 0, "freebsd: the sink died");
			return (-1);
		}
		if (r > 0)
			synced = r;
		if (reached(p, w, synced, seq))
			return (1);
		pfd[0].fd = io->wire_fd(p->w);
		pfd[1].fd = p->sink != NULL ? io->sink_fd(p->sink) : -1;
		pfd[2].fd = p->intr[0];
		if ((n = tw_wait(pfd, 3, deadline, "freebsd", d)) != 1)
			return (n);
	}
}

/* The host's MAC (asked for by ARP, which also gives the host the gateway's), then the
 * sink on the jails' addresses. */
int
tfb_probe_sink(struct tfb_probe *p, struct diag *d)
{
	const struct scn *s = p->s;
	char err[1024];
	int r;

	if (s->host_addr.af != AF_INET || p->asker.af != AF_INET) {
		diag_add(d, s->path, s->host_line, "the freebsd target's wire needs an IPv4 "
		    "public address and an IPv4 gateway or client: its sentinel is an ARP "
		    "request (see harness/target_freebsd.c)");
		return (-1);
	}
	if (!p->host_mac_known) {
		if (arp_request(p, d) == -1)
			return (-1);
		if ((r = pump(p, TFB_WAIT_ARP, 0, tw_now_us() + TFB_MAC_MS * 1000, d)) != 1) {
			if (r == 0)
				diag_add(d, NULL, 0, "freebsd: %s did not answer ARP on the "
				    "wire within %d ms", s->host_if, TFB_MAC_MS);
			return (-1);
		}
	}
	if ((p->sink = io->sink_start(NULL, s, err, sizeof(err))) == NULL) {
		diag_raw(d, err);
		return (-1);
	}
	return (0);
}

int
tfb_probe_begin(struct tfb_probe *p, const char *pcap_path, struct diag *d)
{
	char err[512];

	(void)sink_reports(p, 0);
	(void)io->wire_drain(p->w);
	obs_clear(&p->obs);
	p->conn.seq = 0;
	p->conn.started = 0;
	p->conn.outcome = -1;
	p->arp_out = 0;
	io->wire_dump_close(p->w);
	if (pcap_path != NULL &&
	    io->wire_dump_open(p->w, pcap_path, err, sizeof(err)) == -1) {
		diag_add(d, NULL, 0, "freebsd: %s", err);
		return (-1);
	}
	return (0);
}

void
tfb_probe_end(struct tfb_probe *p)
{
	io->wire_dump_close(p->w);
}

int
tfb_probe_send(struct tfb_probe *p, const struct pkt *k, struct diag *d)
{
	if (!p->host_mac_known) {
		diag_add(d, NULL, 0, "freebsd: send before the wire knows the host's MAC");
		return (-1);
	}
	client_sent(p->cs, k);
	return (inject(p, k, d));
}

int
tfb_probe_connect(struct tfb_probe *p, int jail, int proto, const struct pkt_addr *dst,
    uint16_t dport, const struct pkt_addr *from, uint16_t fromport, struct diag *d)
{
	if (p->sink == NULL) {
		diag_add(d, NULL, 0, "freebsd: connect before the sink started");
		return (-1);
	}
	p->conn.seq = ++p->seq;
	p->conn.started = 0;
	p->conn.outcome = -1;
	if (io->sink_connect(p->sink, p->conn.seq, jail, proto, dst, dport, from,
	    fromport, TFB_CONNECT_MS) == -1) {
		diag_add(d, NULL, 0, "freebsd: the sink is gone");
		return (-1);
	}
	return (0);
}

/* Sentinel rounds until one passes in which the harness answered nothing. */
static int
sentinel_rounds(struct tfb_probe *p, uint64_t deadline, int timeout_ms, struct diag *d)
{
	uint64_t grace;
	int r;

	do {
		p->answered = 0;
		if (arp_request(p, d) == -1)
			return (-1);
		if ((r = pump(p, TFB_WAIT_ARP, 0, deadline, d)) != 1) {
			if (r == 0)
				diag_add(d, NULL, 0, "freebsd: the sentinel (ARP for %s) did "
				    "not come back within %d ms", p->s->host_if, timeout_ms);
			return (-1);
		}
		if (p->pf_sends) {
			grace = tw_now_us() + TFB_PF_SEND_MS * 1000;
			if (pump(p, TFB_WAIT_NONE, 0, grace < deadline ? grace : deadline,
			    d) == -1)
				return (-1);
		}
	} while (p->answered > 0);
	return (0);
}

int
tfb_probe_settle(struct tfb_probe *p, int timeout_ms, struct diag *d)
{
	uint64_t deadline = tw_now_us() + (uint64_t)timeout_ms * 1000;
	uint32_t s;
	int r;

	if (p->conn.seq != 0 && p->conn.outcome == -1 &&
	    pump(p, TFB_WAIT_OUTCOME, 0, deadline, d) == -1)
		return (-1);
	if (sentinel_rounds(p, deadline, timeout_ms, d) == -1)
		return (-1);
	if (p->sink == NULL)
		return (0);
	s = ++p->seq;
	if (io->sink_sync(p->sink, s) == -1) {
		diag_add(d, NULL, 0, "freebsd: the sink is gone");
		return (-1);
	}
	if ((r = pump(p, TFB_WAIT_SYNC, s, deadline, d)) != 1) {
		if (r == 0)
			diag_add(d, NULL, 0, "freebsd: the sink did not sync within %d ms",
			    timeout_ms);
		return (-1);
	}
	return (0);
}

const struct target_frame *
tfb_probe_frames(struct tfb_probe *p, int *n)
{
	*n = p->obs.nframe;
	return (p->obs.frame);
}

const struct target_delivery *
tfb_probe_deliveries(struct tfb_probe *p, int *n)
{
	*n = p->obs.ndeliv;
	return (p->obs.deliv);
}

int
tfb_probe_outcome(struct tfb_probe *p)
{
	return (p->conn.outcome);
}

void
tfb_probe_interrupt(struct tfb_probe *p)
{
	(void)!write(p->intr[1], "x", 1);
}
