/* target_model.c: the `model` target: a scenario against the pf model in-process, with a
 * simulated host stack (the jails' sinks) and the clients on a simulated wire. */
/*
 * The host is FreeBSD as the scenario describes it: the external interface (scn->host_if)
 * with the public address, lo0 (127.0.0.1/8, ::1), and the jails' loopback (scn->lo_if)
 * holding every jail address as a /32 (/128) alias, as jail.conf's ip4.addr does.
 * Everything is synchronous: `send` and `jail_connect` push a packet into a FIFO and run
 * it to quiet (bounded by TM_HOPS_MAX), one simulated millisecond per hop; `settle`
 * has nothing left to wait for, and a connect still pending then is a timeout.
 *
 * Paths (PF-REFERENCE "Where pf sees packets"):
 *   wire -> pf in on host_if -> a local address: the host stack (hoststack.c); else
 *           dropped (the host is no router: net.inet.ip.forwarding defaults to 0)
 *   stack -> route by destination: a jail address -> lo_if, another local address ->
 *           lo0 (pf out, then pf in on the same loopback, then the stack); anything
 *           else -> pf out on host_if -> the wire, where client_answer() answers
 *   net.pf.filter_local=1: pf also tests every packet delivered to the stack as
 *           `in on lo0` (FreeBSD 14's local pfil hook), unless it just came in on lo0
 *   block return: pf's reply skips pf (M_SKIP_FIREWALL) and is routed by its
 *           destination: onto the wire or into the local stack.
 *   synproxy: the packets pf sends itself (v->emit) go the same way when they skip
 *           pf; the others leave as the host's own packets (ip_output): pf out on
 *           their route's interface, and so on.
 * Every frame on the wire (both ways) goes into the probe's pcap (wire/wire_pcap.c).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target/client.h"
#include "hoststack.h"
#include "wire/wire_pcap.h"
#include "pf/pfm.h"
#include "target/pfhost.h"
#include "target/pfmctl.h"
#include "target/target.h"

#define TM_LO0		"lo0"
#define TM_QUEUE_MAX	256
#define TM_HOPS_MAX	10000
#define TM_ANSWERS_MAX	4

static const uint8_t tm_host_mac[6] = { 0x02, 0x70, 0x66, 0x00, 0x00, 0x01 };
static const uint8_t tm_wire_mac[6] = { 0x02, 0x70, 0x66, 0x00, 0x00, 0x02 };

enum tm_where {
	TM_FROM_WIRE,		/* arrives on host_if from a client */
	TM_FROM_STACK,		/* the host's stack sends it */
	TM_LOOP_IN		/* looped back on `ifname`, arrives there */
};

struct tm_item {
	enum tm_where	where;
	const char	*ifname;	/* TM_LOOP_IN: t->jail_if or TM_LO0 */
	size_t		len;
	uint8_t		buf[PKT_FRAME_MAX];
};

struct target {
	const struct scn	*scn;
	const char		*services;
	struct pfm		*pf;
	struct client_sim	*cl;
	struct hoststack	*hs;
	char			 jail_if[PFM_IFNAMSIZ];	/* the interface of jail addresses */
	int			 connected;	/* a connect since probe_begin */
	uint64_t		 now_ms;
	uint64_t		 wall0_us;	/* pcap timestamps: wall clock at up */
	struct target_frame	*frame;
	int			 nframe, cframe;
	struct wire_pcap	*pcap;
	struct tm_item		*queue;
	int			 qhead, qlen;
	int			 overflow;
};

/* The interface a packet of the host's stack to `dst` leaves by. */
static const char *
tm_route(const struct target *t, const struct pkt_addr *dst)
{
	if (hoststack_jail_of(t->hs, dst) != -1)
		return (t->jail_if);
	if (hoststack_is_local(t->hs, dst))
		return (TM_LO0);
	return (t->scn->host_if);
}

static void
tm_push(struct target *t, enum tm_where where, const char *ifname, const uint8_t *buf,
    size_t len)
{
	struct tm_item *it;

	if (t->qlen == TM_QUEUE_MAX || len > sizeof(it->buf)) {
		t->overflow = 1;
		return;
	}
	it = &t->queue[(t->qhead + t->qlen++) % TM_QUEUE_MAX];
	it->where = where;
	it->ifname = ifname;
	memcpy(it->buf, buf, len);
	it->len = len;
}

/* Build a packet and queue it. */
static void
tm_emit(struct target *t, enum tm_where where, const struct pkt *p)
{
	uint8_t buf[PKT_FRAME_MAX];
	char err[256];
	int n;

	if ((n = pkt_build_l3(p, buf, sizeof(buf), err, sizeof(err))) == -1) {
		t->overflow = 1;	/* reported by tm_run */
		return;
	}
	tm_push(t, where, NULL, buf, (size_t)n);
}

/* `send ... frag N`: the client's fragments onto the wire, in sending order. */
static void
tm_emit_frags(struct target *t, const struct pkt *p)
{
	uint8_t buf[PKT_FRAME_MAX];
	char err[256];
	int i, n, nf;

	if ((nf = pkt_build_nfrag(p, err, sizeof(err))) == -1) {
		t->overflow = 1;
		return;
	}
	for (i = 0; i < nf; i++) {
		if ((n = pkt_build_frag_l3(p, i, buf, sizeof(buf), err, sizeof(err))) == -1) {
			t->overflow = 1;
			return;
		}
		tm_push(t, TM_FROM_WIRE, NULL, buf, (size_t)n);
	}
}

/* hoststack's callback: the host's stack sends a packet. */
static void
tm_stack_emit(void *arg, const struct pkt *p)
{
	tm_emit(arg, TM_FROM_STACK, p);
}

static void
tm_pcap(struct target *t, const uint8_t *buf, size_t len, int from_host)
{
	if (t->pcap != NULL)
		(void)wire_pcap_write_l3(t->pcap, buf, len,
		    from_host ? tm_host_mac : tm_wire_mac,
		    from_host ? tm_wire_mac : tm_host_mac, t->wall0_us + t->now_ms * 1000);
}

/* The host sends a frame on the wire: record it and let the clients answer. */
static void
tm_wire_out(struct target *t, const uint8_t *buf, size_t len)
{
	struct target_frame *f;
	struct pkt ans[TM_ANSWERS_MAX];
	int i, n, ncap;

	tm_pcap(t, buf, len, 1);
	if (t->nframe == t->cframe) {
		ncap = t->cframe ? t->cframe * 2 : 16;
		if ((f = realloc(t->frame, (size_t)ncap * sizeof(*f))) == NULL) {
			t->overflow = 1;
			return;
		}
		t->frame = f;
		t->cframe = ncap;
	}
	f = &t->frame[t->nframe++];
	memset(f, 0, sizeof(*f));
	f->t_us = t->now_ms * 1000;
	f->decoded = pkt_decode_l3(buf, len, &f->pkt) == 0;
	if (!f->decoded)
		return;
	n = client_answer(t->cl, &f->pkt, ans, TM_ANSWERS_MAX);
	for (i = 0; i < n; i++)
		tm_emit(t, TM_FROM_WIRE, &ans[i]);
}

static void	tm_stack_in(struct target *, uint8_t *, size_t, const char *);

/* A packet pf sends that skips pf: it goes where its destination is. */
static void
tm_skip_out(struct target *t, uint8_t *buf, size_t len)
{
	struct pkt p;

	if (pkt_decode_l3(buf, len, &p) == -1)
		return;
	if (hoststack_is_local(t->hs, &p.dst))
		tm_stack_in(t, buf, len, NULL);
	else
		tm_wire_out(t, buf, len);
}

/* What pf sends itself after a verdict: the block-return reply, then synproxy's
 * packets in order (those that do not skip pf leave as the host's own). */
static void
tm_reply(struct target *t, struct pfm_verdict *v)
{
	int i;

	if (v->reply_len > 0)
		tm_skip_out(t, v->reply, v->reply_len);
	for (i = 0; i < v->nemit; i++) {
		if (v->emit[i].skip)
			tm_skip_out(t, v->emit[i].pkt, v->emit[i].len);
		else
			tm_push(t, TM_FROM_STACK, NULL, v->emit[i].pkt, v->emit[i].len);
	}
}

/* Run pf on the packet; 1 when it passes (the packet may have been rewritten). v may
 * hold a block-return reply or packets pf sends (synproxy) for tm_reply. */
static int
tm_pf(struct target *t, enum pfm_dir dir, const char *ifname, uint8_t *buf, size_t len,
    struct pfm_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (pfm_test(t->pf, dir, ifname, buf, len, t->now_ms, v) == -1) {
		v->reply_len = 0;
		v->nemit = 0;
		return (0);
	}
	return (v->action == PFM_PASS);
}

/* A packet for a local address, arrived on `ifname` (NULL: pf's own reply, which
 * skips pf). */
static void
tm_stack_in(struct target *t, uint8_t *buf, size_t len, const char *ifname)
{
	struct pfm_verdict v;
	struct pkt p;

	if (pfm_filter_local(t->pf) && ifname != NULL && strcmp(ifname, TM_LO0) != 0 &&
	    !tm_pf(t, PFM_IN, TM_LO0, buf, len, &v)) {
		tm_reply(t, &v);
		return;
	}
	if (pkt_decode_l3(buf, len, &p) == 0)
		hoststack_input(t->hs, &p);
}

/* pf passed a packet in on `ifname`: the stack takes it if it is for a local address.
 * A fragment pf let through (no scrub) is reassembled by the stack first (ip_reass,
 * before the local pfil hook of filter_local). */
static void
tm_arrived(struct target *t, uint8_t *buf, size_t len, const char *ifname)
{
	uint8_t whole[PKT_FRAME_MAX];
	struct pkt p;
	int n;

	if (pkt_decode_l3(buf, len, &p) == -1) {
		if ((n = hoststack_reass(t->hs, buf, len, whole, sizeof(whole))) <= 0)
			return;
		buf = whole;
		len = (size_t)n;
		if (pkt_decode_l3(buf, len, &p) == -1)
			return;
	}
	if (hoststack_is_local(t->hs, &p.dst))
		tm_stack_in(t, buf, len, ifname);
}

/* pf reassembled the packet this fragment completed (v->reass): the whole packet, as
 * pf tested and rewrote it, takes the fragment's place. 1, or 0 when it does not fit. */
static int
tm_take_reass(struct target *t, struct tm_item *it, const struct pfm_verdict *v)
{
	if (v->reass == NULL)
		return (1);
	if (v->reass_len > sizeof(it->buf)) {
		t->overflow = 1;
		return (0);
	}
	memcpy(it->buf, v->reass, v->reass_len);
	it->len = v->reass_len;
	return (1);
}

static void
tm_hop(struct target *t, struct tm_item *it)
{
	struct pfm_verdict v;
	struct pkt p;
	const char *ifname;

	switch (it->where) {
	case TM_FROM_WIRE:
		tm_pcap(t, it->buf, it->len, 0);
		if (tm_pf(t, PFM_IN, t->scn->host_if, it->buf, it->len, &v) &&
		    tm_take_reass(t, it, &v))
			tm_arrived(t, it->buf, it->len, t->scn->host_if);
		tm_reply(t, &v);
		return;
	case TM_FROM_STACK:
		if (pkt_decode_l3(it->buf, it->len, &p) == -1)
			return;
		ifname = tm_route(t, &p.dst);
		if (!tm_pf(t, PFM_OUT, ifname, it->buf, it->len, &v)) {
			/* The socket sees the output error before pf's reply. */
			hoststack_output_dropped(t->hs, &p);
			tm_reply(t, &v);
			return;
		}
		if (strcmp(ifname, t->scn->host_if) == 0)
			tm_wire_out(t, it->buf, it->len);
		else
			tm_push(t, TM_LOOP_IN, ifname, it->buf, it->len);
		tm_reply(t, &v);
		return;
	case TM_LOOP_IN:
		if (tm_pf(t, PFM_IN, it->ifname, it->buf, it->len, &v) &&
		    tm_take_reass(t, it, &v))
			tm_arrived(t, it->buf, it->len, it->ifname);
		tm_reply(t, &v);
		return;
	}
}

/* Run the queue until quiet. 0, or -1 with d filled. */
static int
tm_run(struct target *t, struct diag *d)
{
	struct tm_item *it;
	int hops = 0;

	/* An item is handled in place: a hop only appends, and the queue never wraps onto
	 * the slot being handled because tm_push refuses a full queue. */
	while (t->qlen > 0 && hops++ < TM_HOPS_MAX) {
		it = &t->queue[t->qhead];
		t->now_ms++;
		tm_hop(t, it);
		t->qhead = (t->qhead + 1) % TM_QUEUE_MAX;
		t->qlen--;
	}
	if (hoststack_error(t->hs))
		t->overflow = 1;
	if (t->qlen > 0) {
		diag_add(d, t->scn->path, 0, "model: packets still moving after %d hops",
		    TM_HOPS_MAX);
		t->qlen = 0;
		t->overflow = 0;
		return (-1);
	}
	if (t->overflow) {
		diag_add(d, t->scn->path, 0,
		    "model: a packet could not be built or recorded (out of room)");
		t->overflow = 0;
		return (-1);
	}
	return (0);
}
static void tm_down(struct target *);

static int
tm_up(struct target **tp, const struct scn *s, const struct target_opts *o,
    struct diag *d)
{
	struct pfm_host h;
	struct target *t;
	struct timeval tv;

	*tp = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->queue = calloc(TM_QUEUE_MAX, sizeof(*t->queue))) == NULL) {
		free(t);
		diag_add(d, s->path, 0, "model: out of memory");
		return (-1);
	}
	t->scn = s;
	t->services = o != NULL ? o->services : NULL;
	t->now_ms = 1;
	gettimeofday(&tv, NULL);
	t->wall0_us = (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
	if (target_pfhost(s, &h, t->jail_if, d) == -1) {
		tm_down(t);
		return (-1);
	}
	if ((t->pf = pfm_new(&h)) == NULL || (t->cl = client_new(s)) == NULL ||
	    (t->hs = hoststack_new(s, tm_stack_emit, t)) == NULL) {
		diag_add(d, s->path, 0, "model: out of memory");
		tm_down(t);
		return (-1);
	}
	*tp = t;
	return (0);
}

static void
tm_down(struct target *t)
{
	if (t == NULL)
		return;
	(void)wire_pcap_close(t->pcap);
	pfm_free(t->pf);
	client_free(t->cl);
	hoststack_free(t->hs);
	free(t->frame);
	free(t->queue);
	free(t);
}

static int
tm_load_rules(struct target *t, const struct scn *s, struct diag *d)
{
	struct pfm_load_opts lo;
	struct pfm_define *def = NULL;
	char *dir = NULL, *slash;
	int i, rv = 0;

	for (i = 0; i < s->nsysctl; i++)
		if (pfm_sysctl(t->pf, s->sysctl[i].name, s->sysctl[i].value) == -1) {
			diag_add(d, s->path, s->sysctl[i].line,
			    "sysctl %s=%s: unknown to the pf model", s->sysctl[i].name,
			    s->sysctl[i].value);
			return (-1);
		}
	if (s->ndefine > 0 && (def = calloc(s->ndefine, sizeof(*def))) == NULL) {
		diag_add(d, s->path, 0, "model: out of memory");
		return (-1);
	}
	for (i = 0; i < s->ndefine; i++) {
		def[i].name = s->define[i].name;
		def[i].value = s->define[i].value;
	}
	memset(&lo, 0, sizeof(lo));
	lo.file = s->pf_file != NULL ? s->pf_file : s->path;
	lo.line0 = s->pf_line0;
	lo.define = def;
	lo.ndefine = s->ndefine;
	lo.services = t->services;
	if (s->path != NULL && (dir = strdup(s->path)) != NULL &&
	    (slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		lo.basedir = dir;
	}
	if (pfm_load(t->pf, s->pf_text != NULL ? s->pf_text : "", &lo, d) == -1)
		rv = 1;
	free(dir);
	free(def);
	return (rv);
}

static int
tm_start_sink(struct target *t, const struct scn *s, struct diag *d)
{
	(void)s;
	(void)d;
	hoststack_listen(t->hs, 1);
	return (0);
}

static int
tm_probe_begin(struct target *t, const char *pcap_path, struct diag *d)
{
	char err[512];

	(void)wire_pcap_close(t->pcap);
	t->pcap = NULL;
	t->nframe = 0;
	t->connected = 0;
	hoststack_probe_begin(t->hs);
	if (pcap_path != NULL &&
	    (t->pcap = wire_pcap_open(pcap_path, err, sizeof(err))) == NULL) {
		diag_add(d, NULL, 0, "%s", err);
		return (-1);
	}
	return (0);
}

static void
tm_probe_end(struct target *t)
{
	(void)wire_pcap_close(t->pcap);
	t->pcap = NULL;
}

static int
tm_send(struct target *t, const struct pkt *p, struct diag *d)
{
	client_sent(t->cl, p);
	if (p->frag)
		tm_emit_frags(t, p);
	else
		tm_emit(t, TM_FROM_WIRE, p);
	return (tm_run(t, d));
}

static int
tm_jail_connect(struct target *t, int jail, int proto, const struct pkt_addr *dst,
    uint16_t dport, const struct pkt_addr *from, uint16_t fromport, struct diag *d)
{
	if (hoststack_connect(t->hs, jail, proto, dst, dport, from, fromport) == -1) {
		diag_add(d, t->scn->path, 0, "model: connect: bad jail or protocol");
		return (-1);
	}
	t->connected = 1;
	return (tm_run(t, d));
}

static int
tm_settle(struct target *t, int timeout_ms, struct diag *d)
{
	(void)timeout_ms;
	return (tm_run(t, d));
}

static const struct target_frame *
tm_frames(struct target *t, int *n)
{
	*n = t->nframe;
	return (t->frame);
}

static const struct target_delivery *
tm_deliveries(struct target *t, int *n)
{
	return (hoststack_deliveries(t->hs, n));
}

static int
tm_connect_outcome(struct target *t)
{
	int o = hoststack_outcome(t->hs);

	/* Everything has happened already: a connect still pending gets no answer. */
	return (o == -1 && t->connected ? SCN_CONN_TIMEOUT : o);
}

enum tm_show { TM_SHOW_STATES, TM_SHOW_INFO, TM_SHOW_RULES, TM_SHOW_NAT };

static char *
tm_show(struct target *t, enum tm_show what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return (NULL);
	switch (what) {
	case TM_SHOW_STATES:
		pfm_show_states(t->pf, f);
		break;
	case TM_SHOW_INFO:
		pfm_show_info(t->pf, f);
		break;
	case TM_SHOW_RULES:
		pfm_show_rules(t->pf, f, 1);
		break;
	case TM_SHOW_NAT:
		pfm_show_nat(t->pf, f, 1);
		break;
	}
	if (fclose(f) != 0) {
		free(buf);
		return (NULL);
	}
	return (buf);
}

static char *
tm_states(struct target *t)
{
	return (tm_show(t, TM_SHOW_STATES));
}

static char *
tm_counters(struct target *t)
{
	return (tm_show(t, TM_SHOW_INFO));
}

static char *
tm_rules(struct target *t)
{
	return (tm_show(t, TM_SHOW_RULES));
}

static int
tm_pfctl(struct target *t, const struct scn_pfctl *c, struct target_pfctl *r,
    struct diag *d)
{
	return (pfmctl_run(t->pf, c, t->scn->path, t->services, t->now_ms, r, d));
}

static int
tm_sysctl(struct target *t, const char *name, const char *value, struct diag *d)
{
	if (pfm_sysctl(t->pf, name, value) == 0)
		return (0);
	diag_add(d, t->scn->path, 0, "sysctl %s=%s: unknown to the pf model", name, value);
	return (-1);
}

/* pf's clock runs on: states and source nodes time out as in ms of real time. */
static int
tm_wait(struct target *t, uint64_t ms, struct diag *d)
{
	(void)d;
	t->now_ms += ms;
	pfm_expire(t->pf, t->now_ms);	/* what pf's purge thread removes meanwhile */
	return (0);
}

static char *
tm_nat(struct target *t)
{
	return (tm_show(t, TM_SHOW_NAT));
}

const struct target_ops target_model_ops = {
	.name = "model",
	.up = tm_up,
	.down = tm_down,
	.load_rules = tm_load_rules,
	.start_sink = tm_start_sink,
	.probe_begin = tm_probe_begin,
	.probe_end = tm_probe_end,
	.send = tm_send,
	.jail_connect = tm_jail_connect,
	.settle = tm_settle,
	.frames = tm_frames,
	.deliveries = tm_deliveries,
	.connect_outcome = tm_connect_outcome,
	.pfctl = tm_pfctl,
	.sysctl = tm_sysctl,
	.wait = tm_wait,
	.states = tm_states,
	.counters = tm_counters,
	.rules = tm_rules,
	.nat = tm_nat,
	.cleanup_stale = NULL,
	.interrupt = NULL,
};
