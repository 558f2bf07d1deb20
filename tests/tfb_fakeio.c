/* tfb_fakeio.c: fake wires and a fake sink for the freebsd target's probes (struct
 * tfb_io), with a small fake FreeBSD host behind the wires: each call is logged to
 * $PFH_FAKE_LOG (the command plan) as "(wire) ..." (the primary interface's wire),
 * "(wire em1) ..." (another interface's) or "(sink) ...". The wires are the scenario's
 * interfaces in the order the target opens them. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fake_tutil.h"
#include "tfb_fakeio.h"

#define QMAX	32
#define WMAX	8	/* wires */
#define AMAX	16	/* the fake host's ARP table, per wire */

struct fake_wire {
	int		 fd[2];		/* a byte per queued frame */
	uint8_t		 q[QMAX][PKT_FRAME_MAX];
	size_t		 qlen[QMAX];
	int		 head, n;
	uint8_t		 late[PKT_FRAME_MAX];	/* sent at late_due (monotonic us) */
	size_t		 late_len;
	uint64_t	 late_due;
	uint8_t		 own[6], host[6];	/* epairNb's MAC, the host's */
	struct pkt_addr	 arp_a[AMAX];	/* the host's ARP table on this wire */
	uint8_t		 arp_m[AMAX][6];
	int		 narp;
	struct pkt	 held;		/* a forwarded packet waiting for ARP ... */
	struct pkt_addr	 held_nh;	/* ... of this next hop */
	int		 holding;
};

struct fake_sink {
	int		 fd[2];		/* reports, as sink.c writes them */
	struct sink_report held[QMAX];	/* accepted, reported at the next sync */
	int		 nheld;
};

static struct fake_wire fw[WMAX];
static int nfw;			/* wires opened */
static struct fake_sink fs;
static const struct scn *host_scn;
static uint32_t conn_seq;
static uint16_t conn_port;
static struct pkt held;		/* waits for the gateway's MAC */
static uint8_t gw_mac[6];	/* the gateway's, as the host's ARP table has it */

int tfb_fakeio_up_on_wire;		/* IP frames epairNb would pass up to ip_input */

int tfb_fakeio_arp_mute;		/* the host ignores ARP (the sentinel never returns) */
int tfb_fakeio_neighbour;		/* the host asks ARP for the gateway before its answer */
int tfb_fakeio_pf_late_ms;		/* pf's RST to port 111 comes this late (its swi) */

static uint64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000);
}

/* A frame in words: ARP as tcpdump says it, IP in the scenario notation. */
static void
describe(const uint8_t *f, size_t len, char *buf, size_t cap)
{
	struct pkt_addr a, b;
	char sa[64], sb[64];
	struct pkt k;

	if (len >= 42 && f[12] == 0x08 && f[13] == 0x06) {
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		a.af = b.af = AF_INET;
		memcpy(a.a, f + 38, 4);
		memcpy(b.a, f + 28, 4);
		pkt_addr_format(&a, sa, sizeof(sa));
		pkt_addr_format(&b, sb, sizeof(sb));
		if (f[21] == 1)
			snprintf(buf, cap, "arp who-has %s tell %s", sa, sb);
		else
			snprintf(buf, cap, "arp reply %s is-at %02x:%02x:%02x:%02x:%02x:%02x "
			    "to %s", sb, f[22], f[23], f[24], f[25], f[26], f[27], sa);
		return;
	}
	if (pkt_decode_frame(f, len, &k) == 0 || pkt_decode_frag_frame(f, len, &k) == 0)
		pkt_format(&k, buf, cap);
	else
		snprintf(buf, cap, "frame of %zu bytes", len);
}

/* The wire of w (a struct wire the probe holds), and its index. */
static int
wix(const struct wire *w)
{
	return ((int)((const struct fake_wire *)w - fw));
}

/* A log line about wire i: "(wire) ..." for the primary, "(wire em1) ..." else. */
static void
wlog(int i, const char *what, const char *text)
{
	if (i == 0)
		fake_log("(wire) %s%s", what, text);
	else
		fake_log("(wire %s) %s%s", host_scn != NULL && i < host_scn->niface ?
		    host_scn->iface[i].name : "?", what, text);
}

/* The host sends a frame on external interface i. At the wire's end, epairNb, an IP
 * frame addressed to epairNb's own MAC is not M_PROMISC (if_ethersubr.c) and would go
 * up ip_input there, through pf a second time: counted, so that tests can say none did. */
static void
host_sends_on(int i, const uint8_t *f, size_t len)
{
	struct fake_wire *w = &fw[i];
	int k;

	if (len >= 14 && memcmp(f, w->own, 6) == 0 && ((f[12] == 0x08 && f[13] == 0x00) ||
	    (f[12] == 0x86 && f[13] == 0xdd)))
		tfb_fakeio_up_on_wire++;
	if (w->n == QMAX)
		return;
	k = (w->head + w->n++) % QMAX;
	memcpy(w->q[k], f, len);
	w->qlen[k] = len;
	(void)!write(w->fd[1], "f", 1);
}

/* A frame sent later, from elsewhere (pf's swi): it joins the queue when due. */
static void
host_sends_late(const uint8_t *f, size_t len, int late_ms)
{
	memcpy(fw[0].late, f, len);
	fw[0].late_len = len;
	fw[0].late_due = mono_us() + (uint64_t)late_ms * 1000;
}

static void
host_sends_pkt_late(const struct pkt *k, int late_ms)
{
	uint8_t f[PKT_FRAME_MAX];
	char err[128];
	int len;

	if ((len = pkt_build_frame(k, fw[0].host, gw_mac, f, sizeof(f), err,
	    sizeof(err))) > 0)
		host_sends_late(f, (size_t)len, late_ms);
}

static void
host_sends_pkt_to(int i, const struct pkt *k, const uint8_t mac[6])
{
	uint8_t f[PKT_FRAME_MAX];
	char err[128];
	int len;

	if ((len = pkt_build_frame(k, fw[i].host, mac, f, sizeof(f), err,
	    sizeof(err))) > 0)
		host_sends_on(i, f, (size_t)len);
}

static void
host_sends_pkt(const struct pkt *k)
{
	host_sends_pkt_to(0, k, gw_mac);
}

/* Interface i's first IPv4 address (the primary's: the scenario's public one). */
static const struct pkt_addr *
if_addr4(int i)
{
	int k;

	if (i == 0)
		return (&host_scn->host_addr);
	for (k = 0; i < host_scn->niface && k < host_scn->iface[i].naddr; k++)
		if (host_scn->iface[i].addr[k].addr.af == AF_INET)
			return (&host_scn->iface[i].addr[k].addr);
	return (NULL);
}

/* An ARP request (op 1, for ask) or a reply to req (op 2) from interface i. */
static void
host_arp_on(int i, const uint8_t *req, int op, const struct pkt_addr *ask)
{
	const struct pkt_addr *me = if_addr4(i);
	uint8_t f[60];

	memset(f, 0, sizeof(f));
	if (op == 1) {
		memset(f, 0xff, 6);
		memcpy(f + 32, "\0\0\0\0\0\0", 6);
		memcpy(f + 28, me->a, 4);
		memcpy(f + 38, ask->a, 4);
	} else {
		memcpy(f, req + 6, 6);
		memcpy(f + 32, req + 22, 6);
		memcpy(f + 28, req + 38, 4);
		memcpy(f + 38, req + 28, 4);
	}
	memcpy(f + 6, fw[i].host, 6);
	memcpy(f + 12, "\x08\x06\x00\x01\x08\x00\x06\x04\x00", 9);
	f[21] = (uint8_t)op;
	memcpy(f + 22, fw[i].host, 6);
	host_sends_on(i, f, sizeof(f));
}

static void
host_arp(const uint8_t *req, int op, const struct pkt_addr *ask)
{
	host_arp_on(0, req, op, ask);
}

/* The host's ARP table on wire i: a's MAC into mac, 1; 0 when unknown. */
static int
arp_lookup(int i, const struct pkt_addr *a, uint8_t mac[6])
{
	int k;

	for (k = 0; k < fw[i].narp; k++)
		if (pkt_addr_eq(&fw[i].arp_a[k], a)) {
			memcpy(mac, fw[i].arp_m[k], 6);
			return (1);
		}
	return (0);
}

static void
arp_learn(int i, const struct pkt_addr *a, const uint8_t mac[6])
{
	int k;

	for (k = 0; k < fw[i].narp && !pkt_addr_eq(&fw[i].arp_a[k], a); k++)
		;
	if (k == AMAX)
		return;
	fw[i].arp_a[k] = *a;
	memcpy(fw[i].arp_m[k], mac, 6);
	if (k == fw[i].narp)
		fw[i].narp++;
}

/* 1 when a is one of the host's own addresses (its interfaces', its jails'). */
static int
host_owns(const struct pkt_addr *a)
{
	const struct scn *s = host_scn;
	int i, k;

	if (pkt_addr_eq(a, &s->host_addr))
		return (1);
	for (i = 0; i < s->niface; i++)
		for (k = 0; k < s->iface[i].naddr; k++)
			if (pkt_addr_eq(a, &s->iface[i].addr[k].addr))
				return (1);
	for (i = 0; i < s->njail; i++)
		for (k = 0; k < s->jail[i].naddr; k++)
			if (pkt_addr_eq(a, &s->jail[i].addr[k]))
				return (1);
	return (0);
}

/* Where the host routes dst: the wire (-1: nowhere) and the next hop, as the
 * scenario's world says: a router's networks, an interface's subnet, a route, the
 * primary's gateway. */
static int
route_of(const struct pkt_addr *dst, struct pkt_addr *nh)
{
	const struct scn *s = host_scn;
	int i, k;

	for (i = 0; i < s->nrouter; i++)
		for (k = 0; k < s->router[i].nnet; k++)
			if (scn_in_net(dst, &s->router[i].net[k].addr,
			    s->router[i].net[k].plen)) {
				*nh = s->router[i].addr;
				return (s->router[i].wire);
			}
	for (i = 0; i < s->niface && i < nfw; i++)
		for (k = 0; k < s->iface[i].naddr; k++)
			if (scn_in_net(dst, &s->iface[i].addr[k].addr,
			    s->iface[i].addr[k].plen)) {
				*nh = *dst;
				return (i);
			}
	if (s->gateway.af == dst->af) {
		*nh = s->gateway;
		return (0);
	}
	return (-1);
}

/* Forward k (received on wire from) as a router does: out of the wire its route
 * takes, TTL one less, to its next hop's MAC; when the host has none for it, it asks
 * ARP first and holds k (one packet per wire). */
static void
host_forwards(int from, struct pkt *k)
{
	struct pkt_addr nh;
	uint8_t mac[6];
	int i;

	if ((i = route_of(&k->dst, &nh)) < 0 || i == from || k->ttl <= 1)
		return;
	k->ttl--;
	if (arp_lookup(i, &nh, mac)) {
		host_sends_pkt_to(i, k, mac);
		return;
	}
	fw[i].held = *k;
	fw[i].held_nh = nh;
	fw[i].holding = 1;
	host_arp_on(i, NULL, 1, &nh);
}

/* An ARP frame on wire i: the host learns the sender, answers requests for its
 * address, and sends what it held for the sender. */
static void
host_receives_arp(int i, const uint8_t *f)
{
	const struct pkt_addr *me = if_addr4(i);
	struct pkt_addr sender;

	memset(&sender, 0, sizeof(sender));
	sender.af = AF_INET;
	memcpy(sender.a, f + 28, 4);
	arp_learn(i, &sender, f + 22);
	if (i == 0 && memcmp(f + 28, host_scn->gateway.a, 4) == 0)
		memcpy(gw_mac, f + 22, 6);	/* the ARP table learns it */
	if (f[21] == 1 && !tfb_fakeio_arp_mute && me != NULL &&
	    memcmp(f + 38, me->a, 4) == 0)
		host_arp_on(i, f, 2, NULL);
	if (f[21] == 2 && i == 0 && tfb_fakeio_neighbour == 2 &&
	    memcmp(f + 28, host_scn->gateway.a, 4) == 0) {
		tfb_fakeio_neighbour = 0;
		host_sends_pkt(&held);
	}
	if (f[21] == 2 && fw[i].holding && pkt_addr_eq(&sender, &fw[i].held_nh)) {
		fw[i].holding = 0;
		host_sends_pkt_to(i, &fw[i].held, f + 22);
	}
}

/* What the seed's FreeBSD would do with a frame from the wire: ARP for its address
 * answered; port 81 rdr'd to harry: SYN-ACK, and the ACK lands in harry's accept queue;
 * a SYN-ACK to a jail's connect completes it; a packet for elsewhere (a world of
 * several wires) is forwarded where the world routes it. */
static void
host_receives(int wi, const uint8_t *f, size_t len)
{
	struct sink_report r;
	struct pkt k, a;

	if (len >= 42 && f[12] == 0x08 && f[13] == 0x06) {
		host_receives_arp(wi, f);
		return;
	}
	if (pkt_decode_frame(f, len, &k) == -1)
		return;
	if (!host_owns(&k.dst)) {
		host_forwards(wi, &k);
		return;
	}
	if (k.proto != IPPROTO_TCP)
		return;
	memset(&a, 0, sizeof(a));
	if (k.dport == 81 && k.flags == PKT_TH_SYN) {
		a.proto = IPPROTO_TCP;
		a.src = k.dst, a.dst = k.src;
		a.sport = k.dport, a.dport = k.sport;
		a.flags = PKT_TH_SYN | PKT_TH_ACK;
		a.seq = 5000, a.ack = k.seq + 1, a.win = 65535;
		if (tfb_fakeio_neighbour) {	/* the SYN-ACK waits for the gateway's MAC */
			held = a;
			tfb_fakeio_neighbour = 2;
			host_arp(NULL, 1, &host_scn->gateway);
			return;
		}
		host_sends_pkt(&a);
	} else if (k.dport == 111 && k.flags == PKT_TH_SYN && tfb_fakeio_pf_late_ms > 0) {
		a.proto = IPPROTO_TCP;	/* block return: pf_send_tcp, from pf's swi */
		a.src = k.dst, a.dst = k.src;
		a.sport = k.dport, a.dport = k.sport;
		a.flags = PKT_TH_RST | PKT_TH_ACK;
		a.seq = 0, a.ack = k.seq + 1;
		host_sends_pkt_late(&a, tfb_fakeio_pf_late_ms);
	} else if (k.dport == 81 && k.flags == PKT_TH_ACK && fs.nheld < QMAX) {
		memset(&r, 0, sizeof(r));
		r.kind = SINK_REP_DELIVERY;
		r.jail = 2;
		r.proto = IPPROTO_TCP;
		r.local = host_scn->jail[2].addr[0];
		r.lport = 80;
		r.peer = k.src;
		r.pport = k.sport;
		fs.held[fs.nheld++] = r;
	} else if (conn_seq != 0 && k.dport == conn_port &&
	    k.flags == (PKT_TH_SYN | PKT_TH_ACK)) {
		a.proto = IPPROTO_TCP;
		a.src = k.dst, a.dst = k.src;
		a.sport = k.dport, a.dport = k.sport;
		a.flags = PKT_TH_ACK;
		a.seq = k.ack, a.ack = k.seq + 1, a.win = 65535;
		host_sends_pkt(&a);
		memset(&r, 0, sizeof(r));
		r.kind = SINK_REP_OUTCOME;
		r.seq = conn_seq;
		r.proto = IPPROTO_TCP;
		r.outcome = SCN_CONN_OK;
		(void)!write(fs.fd[1], &r, sizeof(r));
		conn_seq = 0;
	}
}

/* The i-th wire opened is the scenario's i-th interface: MACs 02:70:66:68:II:0b (its
 * epairNb) and 02:70:66:68:II:0a (the host's end). */
static struct wire *
f_wire_open(const char *netns, const char *ifname, char *err, size_t errlen)
{
	struct fake_wire *w;

	fake_log("(wire) open %s%s%s", ifname, netns ? " in " : "", netns ? netns : "");
	if (nfw == WMAX) {
		snprintf(err, errlen, "too many wires");
		return (NULL);
	}
	w = &fw[nfw];
	memset(w, 0, sizeof(*w));
	if (pipe(w->fd) == -1) {
		snprintf(err, errlen, "pipe");
		return (NULL);
	}
	(void)fcntl(w->fd[0], F_SETFL, O_NONBLOCK);
	memcpy(w->own, "\x02\x70\x66\x68\x00\x0b", 6);
	memcpy(w->host, "\x02\x70\x66\x68\x00\x0a", 6);
	w->own[4] = w->host[4] = (uint8_t)nfw;
	nfw++;
	return ((struct wire *)w);
}

static void
f_wire_close(struct wire *w)
{
	struct fake_wire *fwp = (struct fake_wire *)w;

	fake_log("(wire) close%s%s", wix(w) > 0 ? " " : "", wix(w) > 0 &&
	    wix(w) < host_scn->niface ? host_scn->iface[wix(w)].name : "");
	close(fwp->fd[0]);
	close(fwp->fd[1]);
	if (wix(w) == 0)		/* the probe closes the primary's first */
		nfw = 0;
}

static int
f_wire_fd(const struct wire *w)
{
	return (((const struct fake_wire *)w)->fd[0]);
}

static const uint8_t *
f_wire_mac(const struct wire *w)
{
	return (((const struct fake_wire *)w)->own);
}

static int
f_wire_inject(struct wire *w, const uint8_t *f, size_t len, char *err, size_t errlen)
{
	char text[512];

	(void)err, (void)errlen;
	describe(f, len, text, sizeof(text));
	wlog(wix(w), "inject ", text);
	host_receives(wix(w), f, len);
	return (0);
}

static int
f_wire_recv(struct wire *w, uint8_t *buf, size_t cap, uint64_t *t_us)
{
	struct fake_wire *fwp = (struct fake_wire *)w;
	char text[512], c;
	size_t len;

	if (fwp->late_len > 0 && mono_us() >= fwp->late_due) {
		host_sends_on(wix(w), fwp->late, fwp->late_len);
		fwp->late_len = 0;
	}
	if (fwp->n == 0)
		return (0);
	(void)!read(fwp->fd[0], &c, 1);
	len = fwp->qlen[fwp->head];
	memcpy(buf, fwp->q[fwp->head], len < cap ? len : cap);
	fwp->head = (fwp->head + 1) % QMAX;
	fwp->n--;
	*t_us = 1;
	describe(buf, len, text, sizeof(text));
	wlog(wix(w), "read ", text);
	return ((int)len);
}

static int
f_wire_drain(struct wire *w)
{
	uint8_t buf[PKT_FRAME_MAX];
	uint64_t t;
	int n = 0;

	while (f_wire_recv(w, buf, sizeof(buf), &t) > 0)
		n++;
	return (n);
}

/* The real one, on the fake wire: the reply goes through f_wire_inject. */
static int
f_wire_answer_neighbour(struct wire *w, const uint8_t *f, size_t len,
    const uint8_t mac[6], const struct pkt_addr *addrs, int n, char *err, size_t errlen)
{
	struct pkt_addr target, sender;
	uint8_t smac[6], out[128];
	int i, olen;

	if (pkt_decode_arp_request(f, len, &target, smac, &sender) == 0)
		return (0);
	for (i = 0; i < n && !pkt_addr_eq(&addrs[i], &target); i++)
		;
	if (i == n)
		return (0);
	if ((olen = pkt_build_arp_reply(mac, &target, smac, &sender, out, sizeof(out), err,
	    errlen)) == -1 || f_wire_inject(w, out, (size_t)olen, err, errlen) == -1)
		return (-1);
	return (1);
}

static int
f_wire_dump_open(struct wire *w, const char *path, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	wlog(wix(w), "pcap ", path);
	return (0);
}

static void
f_wire_dump_close(struct wire *w)
{
	(void)w;
}

static struct sink *
f_sink_start(const char *netns, const char (*jailns)[64], const struct scn *s, char *err,
    size_t errlen)
{
	int i, j, k;

	fake_log("(sink) start%s%s", netns ? " in " : "", netns ? netns : "");
	for (i = 0; i < s->njail; i++)
		for (j = 0; j < s->jail[i].naddr; j++)
			for (k = 0; k < s->jail[i].nlisten; k++) {
				char a[64];
				fake_log("(sink) listen %s %s:%u%s%s", s->jail[i].listen[k].proto ==
				    IPPROTO_TCP ? "tcp" : "udp", pkt_addr_format(
				    &s->jail[i].addr[j], a, sizeof(a)),
				    s->jail[i].listen[k].port, jailns != NULL &&
				    jailns[i][0] != '\0' ? " in jail " : "", jailns != NULL ?
				    jailns[i] : "");
			}
	if (pipe(fs.fd) == -1) {
		snprintf(err, errlen, "pipe");
		return (NULL);
	}
	fs.nheld = 0;
	return ((struct sink *)&fs);
}

static void
f_sink_stop(struct sink *s)
{
	(void)s;
	fake_log("(sink) stop");
	close(fs.fd[0]);
	close(fs.fd[1]);
}

static int
f_sink_fd(const struct sink *s)
{
	(void)s;
	return (fs.fd[0]);
}

static int
f_sink_read(struct sink *s, struct sink_report *r)
{
	(void)s;
	return (read(fs.fd[0], r, sizeof(*r)) == (ssize_t)sizeof(*r) ? 1 : -1);
}

static int
f_sink_sync(struct sink *s, uint32_t seq)
{
	struct sink_report r;
	char a[64];
	int i;

	(void)s;
	fake_log("(sink) sync %u", seq);
	for (i = 0; i < fs.nheld; i++) {
		fake_log("(sink) delivery jail %d %s:%u", fs.held[i].jail,
		    pkt_addr_format(&fs.held[i].local, a, sizeof(a)), fs.held[i].lport);
		(void)!write(fs.fd[1], &fs.held[i], sizeof(fs.held[i]));
	}
	fs.nheld = 0;
	memset(&r, 0, sizeof(r));
	r.kind = SINK_REP_SYNC;
	r.seq = seq;
	(void)!write(fs.fd[1], &r, sizeof(r));
	return (0);
}

/* The jail's SYN leaves through nat on em0: from the public address, port 50001. */
static int
f_sink_connect(struct sink *s, uint32_t seq, int jail, int proto,
    const struct pkt_addr *dst, uint16_t dport, const struct pkt_addr *from,
    uint16_t fromport, int timeout_ms)
{
	struct pkt k;
	char a[64];

	(void)s, (void)from, (void)fromport;
	fake_log("(sink) connect %u jail %d %s %s:%u within %d ms", seq, jail,
	    proto == IPPROTO_TCP ? "tcp" : "udp", pkt_addr_format(dst, a, sizeof(a)),
	    dport, timeout_ms);
	memset(&k, 0, sizeof(k));
	k.proto = IPPROTO_TCP;
	k.src = host_scn->host_addr;
	k.dst = *dst;
	k.sport = conn_port = 50001;
	k.dport = dport;
	k.flags = PKT_TH_SYN;
	k.seq = 7000;
	k.win = 65535;
	conn_seq = seq;
	host_sends_pkt(&k);
	return (0);
}

const struct tfb_io tfb_fakeio = {
	.wire_open = f_wire_open,
	.wire_close = f_wire_close,
	.wire_fd = f_wire_fd,
	.wire_mac = f_wire_mac,
	.wire_inject = f_wire_inject,
	.wire_recv = f_wire_recv,
	.wire_drain = f_wire_drain,
	.wire_answer_neighbour = f_wire_answer_neighbour,
	.wire_dump_open = f_wire_dump_open,
	.wire_dump_close = f_wire_dump_close,
	.sink_start = f_sink_start,
	.sink_stop = f_sink_stop,
	.sink_fd = f_sink_fd,
	.sink_read = f_sink_read,
	.sink_sync = f_sink_sync,
	.sink_connect = f_sink_connect,
};

void
tfb_fakeio_host(const struct scn *s)
{
	host_scn = s;
	nfw = 0;
	tfb_fakeio_arp_mute = tfb_fakeio_neighbour = tfb_fakeio_pf_late_ms = 0;
	tfb_fakeio_up_on_wire = 0;
	memset(gw_mac, 0, sizeof(gw_mac));
	conn_seq = 0;
}
