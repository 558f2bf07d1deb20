/* target_freebsd_probe.c: the freebsd target's probes: a wire on each external
 * interface's epair b side (inject, capture, ARP, the clients' and routers' answers),
 * the jails' sink (a VNET jail's sockets made inside it), and settle's sentinels,
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
#define TFB_VNET_MS	20	/* a VNET jail's answers, from its epair's task (ditto) */
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
	.sink_start = sink_start_world,
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

/* One wire: the b side of an external interface's epair. */
struct tfb_wire {
	struct wire	*w;
	uint8_t		 own_mac[6];	/* epairNb's own: never the neighbours' (below) */
	uint8_t		 host_mac[6];	/* the interface's (its epair's a side) */
	int		 host_mac_known;
	struct pkt_addr	 target;	/* its first IPv4 address, asked for by ARP */
	struct pkt_addr	 asker;		/* who asks (af 0: nobody can; no sentinel) */
	uint8_t		 asker_mac[6];
	struct pkt_addr	*nb;		/* addresses it answers ARP/NDP for */
	int		 nnb;
	int		 arp_out;	/* ARP requests to the host not answered yet */
	int		 injected;	/* frames injected since its last sentinel */
};

struct tfb_probe {
	const struct scn *s;
	const char	(*jailns)[64];	/* the VNET jails' names, "" for the others */
	struct tfb_wire	*wire;		/* by scn->iface index */
	int		 nwire;
	struct sink	*sink;
	struct client_sim *cs;
	struct pollfd	*pfd;		/* the wires', the sink's, the interrupt's */
	int		 intr[2];
	int		 pf_sends;	/* the ruleset makes pf send packets itself */
	int		 vnet;		/* the world has VNET jails */
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
 * The neighbours' MACs. The gateways and each client get a locally administered MAC of
 * their own, never the MAC of epairNb, the interface the harness injects and captures
 * on: a frame the host sends to epairNb's own MAC is not M_PROMISC when it arrives there
 * (ether_input_internal in sys/net/if_ethersubr.c marks only frames "not for our MAC
 * address"), so ether_demux would pass it up to ip_input on epairNb and pf would
 * evaluate every packet of the host a second time, as `in on epairNb` (unbound rules
 * counting twice, extra states). Addressed to a MAC epairNb does not own, the frame is
 * M_PROMISC: BPF still sees it, then ether_demux drops it (epairNb is not IFF_PPROMISC;
 * libpcap's promiscuous mode sets IFF_PROMISC only). Off-link clients are behind a
 * gateway, so their frames carry the gateway's MAC, as on a real network; the clients
 * behind a router carry the router's (tw_router_mac), as on the other targets.
 */
#define TFB_MAC_GATEWAY	0x67	/* 02:70:66:67:WW:00, WW the wire */
#define TFB_MAC_CLIENT	0x63	/* 02:70:66:63:HI:LO, client index */

/* 1 when a is on wire w's link: inside one of its interface's networks of a's family,
 * or of any family when the interface has none of a's. */
static int
on_link(const struct scn *s, int w, const struct pkt_addr *a)
{
	const struct scn_if *ifp = &s->iface[w];
	int k, fam = 0;

	for (k = 0; k < ifp->naddr; k++) {
		if (ifp->addr[k].addr.af != a->af)
			continue;
		fam = 1;
		if (tw_in_net(a, &ifp->addr[k].addr, ifp->addr[k].plen))
			return (1);
	}
	return (!fam);
}

/* The MAC a neighbour of wire w answers with: a router its own, an on-link client its
 * own, anyone else the wire's gateway's. */
static void
neighbour_mac(const struct tfb_probe *p, int w, const struct pkt_addr *a, uint8_t mac[6])
{
	const struct scn *s = p->s;
	int i;

	for (i = 0; i < s->nrouter; i++)
		if (s->router[i].wire == w && pkt_addr_eq(&s->router[i].addr, a)) {
			tw_router_mac(i, mac);
			return;
		}
	mac[0] = 0x02, mac[1] = 0x70, mac[2] = 0x66;
	mac[3] = TFB_MAC_GATEWAY, mac[4] = (uint8_t)w, mac[5] = 0;
	for (i = 0; i < s->nclient; i++)
		if (pkt_addr_eq(&s->client[i].addr, a) && s->client[i].wire == w &&
		    s->client[i].router == -1 && on_link(s, w, a)) {
			mac[3] = TFB_MAC_CLIENT;
			mac[4] = (uint8_t)(i >> 8), mac[5] = (uint8_t)i;
			return;
		}
}

/* The MAC a packet from src comes from on wire w: its router's when src sits behind a
 * router of that wire, else src's own as a neighbour. */
static void
source_mac(const struct tfb_probe *p, int w, const struct pkt_addr *src, uint8_t mac[6])
{
	int r = tw_router_of(p->s, src);

	if (r >= 0 && p->s->router[r].wire == w)
		tw_router_mac(r, mac);
	else
		neighbour_mac(p, w, src, mac);
}

/* Wire w's sentinel: the ARP request for its first IPv4 address comes from an on-link
 * IPv4 neighbour (the gateway first), else from a router of the wire. */
static void
wire_asker(struct tfb_probe *p, int w)
{
	const struct scn *s = p->s;
	struct tfb_wire *tw = &p->wire[w];
	int i;

	for (i = 0; i < s->iface[w].naddr && tw->target.af == 0; i++)
		if (s->iface[w].addr[i].addr.af == AF_INET)
			tw->target = s->iface[w].addr[i].addr;
	if (tw->target.af == 0 || s->iface[w].down)
		return;
	for (i = 0; i < tw->nnb; i++)
		if (tw->nb[i].af == AF_INET && on_link(s, w, &tw->nb[i])) {
			tw->asker = tw->nb[i];
			neighbour_mac(p, w, &tw->asker, tw->asker_mac);
			return;
		}
	for (i = 0; i < s->nrouter; i++)
		if (s->router[i].wire == w && s->router[i].addr.af == AF_INET) {
			tw->asker = s->router[i].addr;
			tw_router_mac(i, tw->asker_mac);
			return;
		}
}

/* The wires with a sentinel: their count. */
static int
askers(const struct tfb_probe *p)
{
	int w, n = 0;

	for (w = 0; w < p->nwire; w++)
		n += p->wire[w].asker.af != 0;
	return (n);
}

/* Wire w on ifname: opened, its neighbours, its sentinel. 0, or -1 with d. */
static int
wire_start(struct tfb_probe *p, int w, const char *ifname, struct diag *d)
{
	const struct scn *s = p->s;
	struct tfb_wire *tw = &p->wire[w];
	uint8_t mac[6];
	char err[512];
	int i;

	if ((tw->nb = tw_neighbours_on(s, w, &tw->nnb)) == NULL) {
		diag_add(d, NULL, 0, "freebsd target: out of memory");
		return (-1);
	}
	if ((tw->w = io->wire_open(NULL, ifname, err, sizeof(err))) == NULL) {
		diag_add(d, NULL, 0, "freebsd: the wire of %s on %s: %s", s->iface[w].name,
		    ifname, err);
		return (-1);
	}
	memcpy(tw->own_mac, io->wire_mac(tw->w), 6);
	for (i = 0; i < tw->nnb + s->nrouter; i++) {
		if (i < tw->nnb)
			neighbour_mac(p, w, &tw->nb[i], mac);
		else
			tw_router_mac(i - tw->nnb, mac);
		if (memcmp(mac, tw->own_mac, 6) == 0) {
			diag_add(d, NULL, 0, "freebsd: %s has the MAC the harness gives a "
			    "neighbour; pf would see the host's packets twice", ifname);
			return (-1);
		}
	}
	wire_asker(p, w);
	return (0);
}

struct tfb_probe *
tfb_probe_open(const struct scn *s, const char *const *ifnames,
    const char (*jailns)[64], struct diag *d)
{
	struct tfb_probe *p;
	int i, n = s->niface > 0 ? s->niface : 1;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->wire = calloc((size_t)n, sizeof(*p->wire))) == NULL ||
	    (p->pfd = calloc((size_t)n + 2, sizeof(*p->pfd))) == NULL ||
	    (p->cs = client_new(s)) == NULL) {
		if (p != NULL) {
			free(p->wire);
			free(p->pfd);
		}
		free(p);
		diag_add(d, NULL, 0, "freebsd target: out of memory");
		return (NULL);
	}
	p->s = s;
	p->jailns = jailns;
	p->conn.outcome = -1;
	p->intr[0] = p->intr[1] = -1;
	for (i = 0; i < s->njail; i++)
		p->vnet |= s->jail[i].kind == SCN_JAIL_VNET;
	if (pipe(p->intr) == -1) {
		diag_add(d, NULL, 0, "pipe: %s", strerror(errno));
		tfb_probe_close(p);
		return (NULL);
	}
	nonblock_cloexec(p->intr[0]);
	nonblock_cloexec(p->intr[1]);
	for (i = 0; i < n; i++) {
		p->nwire++;
		if (wire_start(p, i, ifnames[i], d) == -1) {
			tfb_probe_close(p);
			return (NULL);
		}
	}
	return (p);
}

void
tfb_probe_close(struct tfb_probe *p)
{
	int i;

	if (p == NULL)
		return;
	if (p->sink != NULL)
		io->sink_stop(p->sink);
	for (i = 0; i < p->nwire; i++) {
		if (p->wire[i].w != NULL)
			io->wire_close(p->wire[i].w);
		free(p->wire[i].nb);
	}
	client_free(p->cs);
	if (p->intr[0] != -1)
		close(p->intr[0]);
	if (p->intr[1] != -1)
		close(p->intr[1]);
	obs_free(&p->obs);
	free(p->wire);
	free(p->pfd);
	free(p);
}

void
tfb_probe_pf_sends(struct tfb_probe *p, int yes)
{
	p->pf_sends = yes;
}

/* On wire w, "who has the interface's address? Tell the asker": answered by the host's
 * ARP code. */
static int
arp_request(struct tfb_probe *p, int w, struct diag *d)
{
	struct tfb_wire *tw = &p->wire[w];
	uint8_t f[ARP_FRAME];
	char err[256];

	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	memcpy(f + 6, tw->asker_mac, 6);
	f[12] = 0x08, f[13] = 0x06;		/* ARP */
	f[14] = 0, f[15] = 1;			/* Ethernet */
	f[16] = 0x08, f[17] = 0x00;		/* IPv4 */
	f[18] = 6, f[19] = 4;
	f[20] = 0, f[21] = 1;			/* request */
	memcpy(f + 22, tw->asker_mac, 6);
	memcpy(f + 28, tw->asker.a, 4);
	memcpy(f + 38, tw->target.a, 4);
	if (io->wire_inject(tw->w, f, sizeof(f), err, sizeof(err)) == -1) {
		diag_add(d, NULL, 0, "freebsd: injecting on the wire of %s: %s",
		    p->s->iface[w].name, err);
		return (-1);
	}
	tw->arp_out++;
	tw->injected = 0;	/* the sentinel follows all that was injected before */
	return (0);
}

/* 1 when the frame is the host's ARP reply to one of wire w's requests (MAC noted). */
static int
arp_reply(struct tfb_probe *p, int w, const uint8_t *f, size_t len)
{
	static const uint8_t hdr[] = { 0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 2 };
	struct tfb_wire *tw = &p->wire[w];

	if (tw->asker.af == 0 || len < 42 || memcmp(f + 12, hdr, sizeof(hdr)) != 0 ||
	    memcmp(f + 28, tw->target.a, 4) != 0 || memcmp(f + 38, tw->asker.a, 4) != 0)
		return (0);
	memcpy(tw->host_mac, f + 22, 6);
	tw->host_mac_known = 1;
	if (tw->arp_out > 0)
		tw->arp_out--;
	return (1);
}

/* k on wire w from its source's MAC to the host's; `frag N`: its fragments, one frame
 * each, in sending order. */
static int
inject(struct tfb_probe *p, int w, const struct pkt *k, struct diag *d)
{
	struct tfb_wire *tw = &p->wire[w];
	uint8_t f[PKT_FRAME_MAX], mac[6];
	char err[256];
	int len, i, nf;

	source_mac(p, w, &k->src, mac);
	if ((nf = pkt_build_nfrag(k, err, sizeof(err))) == -1)
		goto bad;
	for (i = 0; i < nf; i++) {
		if ((len = pkt_build_frag_frame(k, i, mac, tw->host_mac, f, sizeof(f), err,
		    sizeof(err))) == -1)
			goto bad;
		if (io->wire_inject(tw->w, f, (size_t)len, err, sizeof(err)) == -1)
			goto bad;
		tw->injected++;
	}
	return (0);
bad:
	if (d != NULL)
		diag_add(d, NULL, 0, "freebsd: injecting on the wire of %s: %s",
		    p->s->iface[w].name, err);
	return (-1);
}

/* ARP and NDP on wire w for its neighbours, each with its MAC, and its routers. 1 when
 * answered. */
static int
answer_neighbour(struct tfb_probe *p, int w, const uint8_t *f, size_t len)
{
	const struct scn *s = p->s;
	struct tfb_wire *tw = &p->wire[w];
	uint8_t mac[6];
	char err[128];
	int i;

	for (i = 0; i < tw->nnb; i++) {
		neighbour_mac(p, w, &tw->nb[i], mac);
		if (io->wire_answer_neighbour(tw->w, f, len, mac, &tw->nb[i], 1, err,
		    sizeof(err)) == 1)
			return (1);
	}
	for (i = 0; i < s->nrouter; i++) {
		if (s->router[i].wire != w)
			continue;
		tw_router_mac(i, mac);
		if (io->wire_answer_neighbour(tw->w, f, len, mac, &s->router[i].addr, 1,
		    err, sizeof(err)) == 1)
			return (1);
	}
	return (0);
}

/* One frame the host sent on wire w: an ARP reply to us, a neighbour question to
 * answer, or an IP packet (or fragment) recorded and answered as the clients would. */
static void
frame_in(struct tfb_probe *p, int w, const uint8_t *f, size_t len, uint64_t t_us)
{
	struct pkt k, ans[TFB_ANSWERS_MAX];
	int n, i;

	if (arp_reply(p, w, f, len))
		return;
	if (answer_neighbour(p, w, f, len)) {
		p->answered++;	/* a packet held for it follows: one more round */
		return;
	}
	if (!tw_host_frame(&p->obs, f, len, t_us, &k))
		return;
	obs_add_frame(&p->obs, &k, t_us);
	if (p->obs.nframe > 0)
		p->obs.frame[p->obs.nframe - 1].wire = w;
	n = client_answer_on(p->cs, w, &k, ans, TFB_ANSWERS_MAX);
	for (i = 0; i < n; i++)
		if (inject(p, w, &ans[i], NULL) == 0)
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
	int i;

	switch (w) {
	case TFB_WAIT_NONE:
		return (0);
	case TFB_WAIT_OUTCOME:
		return (p->conn.outcome != -1);
	case TFB_WAIT_ARP:
		for (i = 0; i < p->nwire; i++)
			if (p->wire[i].arp_out > 0)
				return (0);
		return (1);
	case TFB_WAIT_SYNC:
		return (synced == (long)seq);
	}
	return (0);
}

/* Serve the wires and the sink until `w` is reached (1), the deadline passes (0), or
 * an interrupt or error (-1, with d). */
static int
pump(struct tfb_probe *p, enum tfb_wait w, uint32_t seq, uint64_t deadline,
    struct diag *d)
{
	uint64_t t_us;
	long synced = 0, r;
	int n, i, nw = p->nwire;

	for (;;) {
		for (i = 0; i < nw; i++) {
			while ((n = io->wire_recv(p->wire[i].w, p->buf, sizeof(p->buf),
			    &t_us)) > 0)
				frame_in(p, i, p->buf, (size_t)n < sizeof(p->buf) ?
				    (size_t)n : sizeof(p->buf), t_us);
			if (n == -1) {
				diag_add(d, NULL, 0, "freebsd: capture failed on the wire "
				    "of %s", p->s->iface[i].name);
				return (-1);
			}
		}
		if ((r = sink_reports(p, 1)) == -1) {
			diag_add(d, NULL, 0, "freebsd: the sink died");
			return (-1);
		}
		if (r > 0)
			synced = r;
		if (reached(p, w, synced, seq))
			return (1);
		for (i = 0; i < nw; i++)
			p->pfd[i].fd = io->wire_fd(p->wire[i].w);
		p->pfd[nw].fd = p->sink != NULL ? io->sink_fd(p->sink) : -1;
		p->pfd[nw + 1].fd = p->intr[0];
		if ((n = tw_wait(p->pfd, nw + 2, deadline, "freebsd", d)) != 1)
			return (n);
	}
}

/* The name of the first wire whose ARP is still unanswered. */
static const char *
arp_silent(const struct tfb_probe *p)
{
	int i;

	for (i = 0; i < p->nwire; i++)
		if (p->wire[i].arp_out > 0)
			return (p->s->iface[i].name);
	return (p->s->host_if);
}

/* The host's MAC on each wire with a sentinel (asked for by ARP, which also gives the
 * host the asker's), then the sink on the jails' and the host's addresses. */
int
tfb_probe_sink(struct tfb_probe *p, struct diag *d)
{
	const struct scn *s = p->s;
	char err[1024];
	int r, i, asked = 0;

	if (s->host_addr.af != AF_INET || p->wire[0].asker.af != AF_INET) {
		diag_add(d, s->path, s->host_line, "the freebsd target's wire needs an IPv4 "
		    "public address and an IPv4 gateway or client: its sentinel is an ARP "
		    "request (see harness/target_freebsd.c)");
		return (-1);
	}
	for (i = 0; i < p->nwire; i++)
		if (p->wire[i].asker.af != 0 && !p->wire[i].host_mac_known) {
			if (arp_request(p, i, d) == -1)
				return (-1);
			asked = 1;
		}
	if (asked &&
	    (r = pump(p, TFB_WAIT_ARP, 0, tw_now_us() + TFB_MAC_MS * 1000, d)) != 1) {
		if (r == 0)
			diag_add(d, NULL, 0, "freebsd: %s did not answer ARP on the wire "
			    "within %d ms", arp_silent(p), TFB_MAC_MS);
		return (-1);
	}
	if ((p->sink = io->sink_start(NULL, p->jailns, s, err, sizeof(err))) == NULL) {
		diag_raw(d, err);
		return (-1);
	}
	return (0);
}

int
tfb_probe_begin(struct tfb_probe *p, const char *pcap_path, struct diag *d)
{
	char err[512], path[1300];
	size_t n;
	int i;

	(void)sink_reports(p, 0);
	obs_clear(&p->obs);
	p->conn.seq = 0;
	p->conn.started = 0;
	p->conn.outcome = -1;
	for (i = 0; i < p->nwire; i++) {
		(void)io->wire_drain(p->wire[i].w);
		p->wire[i].arp_out = 0;
		p->wire[i].injected = 0;
		io->wire_dump_close(p->wire[i].w);
		if (pcap_path == NULL)
			continue;
		/* the primary's pcap as named; the others' with "-IFNAME" (as on linux) */
		n = strlen(pcap_path);
		if (i == 0)
			snprintf(path, sizeof(path), "%s", pcap_path);
		else if (n > 5 && strcmp(pcap_path + n - 5, ".pcap") == 0)
			snprintf(path, sizeof(path), "%.*s-%s.pcap", (int)(n - 5), pcap_path,
			    p->s->iface[i].name);
		else
			snprintf(path, sizeof(path), "%s-%s", pcap_path, p->s->iface[i].name);
		if (io->wire_dump_open(p->wire[i].w, path, err, sizeof(err)) == -1) {
			diag_add(d, NULL, 0, "freebsd: %s", err);
			return (-1);
		}
	}
	return (0);
}

void
tfb_probe_end(struct tfb_probe *p)
{
	int i;

	for (i = 0; i < p->nwire; i++)
		io->wire_dump_close(p->wire[i].w);
}

int
tfb_probe_send_on(struct tfb_probe *p, int w, const struct pkt *k, struct diag *d)
{
	if (w < 0 || w >= p->nwire) {
		diag_add(d, NULL, 0, "freebsd: no wire %d", w);
		return (-1);
	}
	if (!p->wire[w].host_mac_known) {
		diag_add(d, NULL, 0, "freebsd: send on %s: the wire does not know the host's "
		    "MAC (the harness learns it by ARP for the interface's IPv4 address "
		    "from an IPv4 gateway, client or router on that wire)",
		    p->s->iface[w].name);
		return (-1);
	}
	client_sent(p->cs, k);
	return (inject(p, w, k, d));
}

int
tfb_probe_send(struct tfb_probe *p, const struct pkt *k, struct diag *d)
{
	return (tfb_probe_send_on(p, 0, k, d));
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

/* A sentinel on each wire that has one (only_injected: each injected on since its
 * last), all waited for. The number sent, or -1 with d. */
static int
sentinels(struct tfb_probe *p, int only_injected, uint64_t deadline, int timeout_ms,
    struct diag *d)
{
	int w, r, sent = 0;

	for (w = 0; w < p->nwire; w++) {
		if (p->wire[w].asker.af == 0 || (only_injected && !p->wire[w].injected))
			continue;
		if (arp_request(p, w, d) == -1)
			return (-1);
		sent++;
	}
	if (sent == 0)
		return (0);
	if ((r = pump(p, TFB_WAIT_ARP, 0, deadline, d)) != 1) {
		if (r == 0)
			diag_add(d, NULL, 0, "freebsd: the sentinel (ARP for %s) did not come "
			    "back within %d ms", arp_silent(p), timeout_ms);
		return (-1);
	}
	return (sent);
}

/*
 * Sentinel rounds until one passes in which the harness answered nothing. A round:
 * first a sentinel on each wire injected on since its last one (each follows what was
 * injected on its wire through that epair's queue, so once its reply is back, the host
 * has handled those frames and queued its answers, on whatever wire they leave), then
 * one on every wire (each follows, on the a->b queue of its epair, the answers queued
 * there before). A world of one wire needs only the first: its reply follows the
 * answers on the same queue. In a world with VNET jails each round then waits
 * TFB_VNET_MS: a VNET jail answers from its own epair's task, which no sentinel on a
 * wire orders (the same holds for pf's own packets, TFB_PF_SEND_MS).
 */
static int
sentinel_rounds(struct tfb_probe *p, uint64_t deadline, int timeout_ms, struct diag *d)
{
	uint64_t grace;
	int n1, ms;

	do {
		p->answered = 0;
		if ((n1 = sentinels(p, 1, deadline, timeout_ms, d)) == -1)
			return (-1);
		if (!(n1 == 1 && askers(p) == 1) &&
		    sentinels(p, 0, deadline, timeout_ms, d) == -1)
			return (-1);
		ms = p->vnet ? TFB_VNET_MS : 0;
		if (p->pf_sends && TFB_PF_SEND_MS > ms)
			ms = TFB_PF_SEND_MS;
		if (ms > 0) {
			grace = tw_now_us() + (uint64_t)ms * 1000;
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
