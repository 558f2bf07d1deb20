/* tfb_fakeio.c: a fake wire and sink for the freebsd target's probes (struct tfb_io),
 * with a small fake FreeBSD host behind the wire: each call is logged to $PFH_FAKE_LOG
 * (the command plan) as "(wire) ..." or "(sink) ...". */
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

struct fake_wire {
	int		 fd[2];		/* a byte per queued frame */
	uint8_t		 q[QMAX][PKT_FRAME_MAX];
	size_t		 qlen[QMAX];
	int		 head, n;
	uint8_t		 late[PKT_FRAME_MAX];	/* sent at late_due (monotonic us) */
	size_t		 late_len;
	uint64_t	 late_due;
};

struct fake_sink {
	int		 fd[2];		/* reports, as sink.c writes them */
	struct sink_report held[QMAX];	/* accepted, reported at the next sync */
	int		 nheld;
};

static const uint8_t wire_mac_[6] = { 0x02, 0x70, 0x66, 0x68, 0x00, 0x0b };
static const uint8_t host_mac[6] = { 0x02, 0x70, 0x66, 0x68, 0x00, 0x0a };
static struct fake_wire fw;
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
	if (pkt_decode_frame(f, len, &k) == 0)
		pkt_format(&k, buf, cap);
	else
		snprintf(buf, cap, "frame of %zu bytes", len);
}

/* The host sends a frame on its external interface. At the wire's end, epairNb, an IP
 * frame addressed to epairNb's own MAC is not M_PROMISC (if_ethersubr.c) and would go
 * up ip_input there, through pf a second time: counted, so that tests can say none did. */
static void
host_sends(const uint8_t *f, size_t len)
{
	int i;

	if (len >= 14 && memcmp(f, wire_mac_, 6) == 0 && ((f[12] == 0x08 && f[13] == 0x00) ||
	    (f[12] == 0x86 && f[13] == 0xdd)))
		tfb_fakeio_up_on_wire++;
	if (fw.n == QMAX)
		return;
	i = (fw.head + fw.n++) % QMAX;
	memcpy(fw.q[i], f, len);
	fw.qlen[i] = len;
	(void)!write(fw.fd[1], "f", 1);
}

/* A frame sent later, from elsewhere (pf's swi): it joins the queue when due. */
static void
host_sends_late(const uint8_t *f, size_t len, int late_ms)
{
	memcpy(fw.late, f, len);
	fw.late_len = len;
	fw.late_due = mono_us() + (uint64_t)late_ms * 1000;
}

static void
host_sends_pkt_late(const struct pkt *k, int late_ms)
{
	uint8_t f[PKT_FRAME_MAX];
	char err[128];
	int len;

	if ((len = pkt_build_frame(k, host_mac, gw_mac, f, sizeof(f), err,
	    sizeof(err))) > 0)
		host_sends_late(f, (size_t)len, late_ms);
}

static void
host_sends_pkt(const struct pkt *k)
{
	uint8_t f[PKT_FRAME_MAX];
	char err[128];
	int len;

	if ((len = pkt_build_frame(k, host_mac, gw_mac, f, sizeof(f), err,
	    sizeof(err))) > 0)
		host_sends(f, (size_t)len);
}

static void
host_arp(const uint8_t *req, int op, const struct pkt_addr *ask)
{
	uint8_t f[60];

	memset(f, 0, sizeof(f));
	if (op == 1) {
		memset(f, 0xff, 6);
		memcpy(f + 32, "\0\0\0\0\0\0", 6);
		memcpy(f + 28, host_scn->host_addr.a, 4);
		memcpy(f + 38, ask->a, 4);
	} else {
		memcpy(f, req + 6, 6);
		memcpy(f + 32, req + 22, 6);
		memcpy(f + 28, req + 38, 4);
		memcpy(f + 38, req + 28, 4);
	}
	memcpy(f + 6, host_mac, 6);
	memcpy(f + 12, "\x08\x06\x00\x01\x08\x00\x06\x04\x00", 9);
	f[21] = (uint8_t)op;
	memcpy(f + 22, host_mac, 6);
	host_sends(f, sizeof(f));
}

/* What the seed's FreeBSD would do with a frame from the wire: ARP for its address
 * answered; port 81 rdr'd to harry: SYN-ACK, and the ACK lands in harry's accept queue;
 * a SYN-ACK to a jail's connect completes it. */
static void
host_receives(const uint8_t *f, size_t len)
{
	struct sink_report r;
	struct pkt k, a;

	if (len >= 42 && f[12] == 0x08 && f[13] == 0x06) {
		if (memcmp(f + 28, host_scn->gateway.a, 4) == 0)
			memcpy(gw_mac, f + 22, 6);	/* the ARP table learns it */
		if (f[21] == 1 && !tfb_fakeio_arp_mute &&
		    memcmp(f + 38, host_scn->host_addr.a, 4) == 0)
			host_arp(f, 2, NULL);
		if (f[21] == 2 && tfb_fakeio_neighbour == 2 &&
		    memcmp(f + 28, host_scn->gateway.a, 4) == 0) {
			tfb_fakeio_neighbour = 0;
			host_sends_pkt(&held);
		}
		return;
	}
	if (pkt_decode_frame(f, len, &k) == -1 || k.proto != IPPROTO_TCP)
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

static struct wire *
f_wire_open(const char *netns, const char *ifname, char *err, size_t errlen)
{
	fake_log("(wire) open %s%s%s", ifname, netns ? " in " : "", netns ? netns : "");
	if (pipe(fw.fd) == -1) {
		snprintf(err, errlen, "pipe");
		return (NULL);
	}
	(void)fcntl(fw.fd[0], F_SETFL, O_NONBLOCK);
	fw.head = fw.n = 0;
	fw.late_len = 0;
	return ((struct wire *)&fw);
}

static void
f_wire_close(struct wire *w)
{
	(void)w;
	fake_log("(wire) close");
	close(fw.fd[0]);
	close(fw.fd[1]);
}

static int
f_wire_fd(const struct wire *w)
{
	(void)w;
	return (fw.fd[0]);
}

static const uint8_t *
f_wire_mac(const struct wire *w)
{
	(void)w;
	return (wire_mac_);
}

static int
f_wire_inject(struct wire *w, const uint8_t *f, size_t len, char *err, size_t errlen)
{
	char text[512];

	(void)w, (void)err, (void)errlen;
	describe(f, len, text, sizeof(text));
	fake_log("(wire) inject %s", text);
	host_receives(f, len);
	return (0);
}

static int
f_wire_recv(struct wire *w, uint8_t *buf, size_t cap, uint64_t *t_us)
{
	char text[512], c;
	size_t len;

	(void)w;
	if (fw.late_len > 0 && mono_us() >= fw.late_due) {
		host_sends(fw.late, fw.late_len);
		fw.late_len = 0;
	}
	if (fw.n == 0)
		return (0);
	(void)!read(fw.fd[0], &c, 1);
	len = fw.qlen[fw.head];
	memcpy(buf, fw.q[fw.head], len < cap ? len : cap);
	fw.head = (fw.head + 1) % QMAX;
	fw.n--;
	*t_us = 1;
	describe(buf, len, text, sizeof(text));
	fake_log("(wire) read %s", text);
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
	(void)w, (void)err, (void)errlen;
	fake_log("(wire) pcap %s", path);
	return (0);
}

static void
f_wire_dump_close(struct wire *w)
{
	(void)w;
}

static struct sink *
f_sink_start(const char *netns, const struct scn *s, char *err, size_t errlen)
{
	int i, j, k;

	fake_log("(sink) start%s%s", netns ? " in " : "", netns ? netns : "");
	for (i = 0; i < s->njail; i++)
		for (j = 0; j < s->jail[i].naddr; j++)
			for (k = 0; k < s->jail[i].nlisten; k++) {
				char a[64];
				fake_log("(sink) listen %s %s:%u", s->jail[i].listen[k].proto ==
				    IPPROTO_TCP ? "tcp" : "udp", pkt_addr_format(
				    &s->jail[i].addr[j], a, sizeof(a)),
				    s->jail[i].listen[k].port);
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
	tfb_fakeio_arp_mute = tfb_fakeio_neighbour = tfb_fakeio_pf_late_ms = 0;
	tfb_fakeio_up_on_wire = 0;
	memset(gw_mac, 0, sizeof(gw_mac));
	conn_seq = 0;
}
