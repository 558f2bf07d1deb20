/* hoststack.c: the model target's simulated host stack: jails' sinks and connects, the
 * host's own services, pings; a VNET jail's own stack likewise. */
/*
 * Scope: the host's stack holds the host's sockets (`host listen`, `connect host`) and
 * every non-VNET jail's (they share its stack); a VNET jail's stack holds only its own.
 * An address is local when it is the host's (interfaces, aliases, bridges, lo0's
 * 127/8 and ::1) or a non-VNET jail's; for a VNET jail, its own or 127/8, ::1.
 * Sockets: a listening jail port answers a SYN with SYN-ACK and records a delivery when
 * the handshake's ACK arrives (the sink's accept()); a port nobody listens on answers as
 * RFC 793 says; a datagram to a listening UDP port is a delivery, to a closed one an
 * ICMP port unreachable; an echo request gets its reply.
 * Connects use ephemeral ports from a deterministic sequence that starts at 10000,
 * FreeBSD's net.inet.ip.portrange.first, counts up to 65535 and wraps (FreeBSD
 * randomises; a fixed start below the NAT range 50001-65535 keeps "the port was
 * translated" visible). The outcome: ok on a SYN-ACK (then the ACK goes out) or, for
 * UDP, on a datagram back from the peer; refused on RST or ICMP port unreachable (FreeBSD
 * drops a SYN_SENT connection on it: icmp_may_rst); failed when pf drops the first packet
 * on its way out or the local address is not the jail's or the port is taken; else
 * pending (the caller calls that a timeout). A UDP connect sends "pfharness\n".
 * The stack's reassembly of fragments is hoststack_reass.c's.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "base/cksum.h"
#include "hoststack_impl.h"

#define HS_EPH_FIRST	10000
#define HS_EPH_LAST	65535
#define HS_UDP_PAYLOAD	"pfharness\n"
/* A ping (`connect NAME icmp ADDR`): the echo request's id, its payload; the sequence
 * counts from 1 per stack. The linux sink sends the same. */
#define HS_PING_ID	HOSTSTACK_PING_ID
#define HS_PING_PAYLOAD	"pfharness-ping"

enum hs_tcps { HS_CLOSED, HS_SYN_SENT, HS_SYN_RCVD, HS_ESTABLISHED };

/* A socket: a passive TCP connection, or a jail's (the host's) connect or ping. */
struct hs_conn {
	int		jail;		/* or SCN_HOST */
	int		proto;
	int		active;		/* opened by hoststack_connect */
	enum hs_tcps	st;		/* UDP: SYN_SENT until answered, then CLOSED */
	struct pkt_addr	local, peer;
	uint16_t	lport, pport;
	uint32_t	snd_nxt, rcv_nxt;
};

static void *
hs_grow(void *arr, int *cap, int n, size_t size)
{
	void *nb;
	int ncap;

	if (n < *cap)
		return (arr);
	ncap = *cap ? *cap * 2 : 16;
	if ((nb = realloc(arr, (size_t)ncap * size)) == NULL)
		return (NULL);
	*cap = ncap;
	return (nb);
}

struct hoststack *
hoststack_new(const struct scn *s, hoststack_emit_fn emit, void *arg)
{
	struct hoststack *h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return (NULL);
	h->scn = s;
	h->scope = SCN_HOST;
	h->emit = emit;
	h->arg = arg;
	h->isn = 0x2a000000;
	h->eph = HS_EPH_FIRST;
	h->cur_conn = -1;
	h->outcome = -1;
	return (h);
}

struct hoststack *
hoststack_new_vnet(const struct scn *s, int jail, hoststack_emit_fn emit, void *arg)
{
	struct hoststack *h;

	if (jail < 0 || jail >= s->njail || s->jail[jail].kind != SCN_JAIL_VNET ||
	    (h = hoststack_new(s, emit, arg)) == NULL)
		return (NULL);
	h->scope = jail;
	return (h);
}

void
hoststack_free(struct hoststack *h)
{
	if (h == NULL)
		return;
	free(h->conn);
	free(h->deliv);
	free(h->reass);
	free(h);
}

void
hoststack_listen(struct hoststack *h, int on)
{
	h->listening = on;
}

static int
hs_in_net(const struct pkt_addr *a, int af, const uint8_t *net, int plen)
{
	int i;

	if (a->af != af)
		return (0);
	for (i = 0; i < plen / 8; i++)
		if (a->a[i] != net[i])
			return (0);
	return (plen % 8 == 0 ||
	    ((a->a[i] ^ net[i]) & (uint8_t)(0xff << (8 - plen % 8))) == 0);
}

/* 127/8 or ::1: every stack's own lo0. */
static int
hs_is_lo0(const struct pkt_addr *a)
{
	static const uint8_t lo4[4] = { 127, 0, 0, 0 };
	static const uint8_t lo6[16] = { [15] = 1 };

	return (hs_in_net(a, AF_INET, lo4, 8) || hs_in_net(a, AF_INET6, lo6, 128));
}

int
hoststack_jail_of(const struct hoststack *h, const struct pkt_addr *a)
{
	const struct scn_jail *j;
	int i, k;

	for (i = 0; i < h->scn->njail; i++) {
		j = &h->scn->jail[i];
		if ((h->scope == SCN_HOST) == (j->kind == SCN_JAIL_VNET) ||
		    (h->scope != SCN_HOST && h->scope != i))
			continue;
		for (k = 0; k < j->naddr; k++)
			if (pkt_addr_eq(&j->addr[k], a))
				return (i);
	}
	return (-1);
}

int
hoststack_party_of(const struct hoststack *h, const struct pkt_addr *a)
{
	int j;

	if ((j = hoststack_jail_of(h, a)) != -1)
		return (j);
	if (hs_is_lo0(a))
		return (h->scope);
	if (h->scope == SCN_HOST && scn_host_has(h->scn, a))
		return (SCN_HOST);
	return (-1);
}

int
hoststack_is_local(const struct hoststack *h, const struct pkt_addr *a)
{
	return (hoststack_party_of(h, a) != -1);
}

/* A live socket by its local and remote ends. */
static struct hs_conn *
hs_conn_find(struct hoststack *h, int proto, const struct pkt_addr *local,
    uint16_t lport, const struct pkt_addr *peer, uint16_t pport)
{
	struct hs_conn *c;
	int i;

	for (i = 0; i < h->nconn; i++) {
		c = &h->conn[i];
		if (c->st != HS_CLOSED && c->proto == proto && c->lport == lport &&
		    c->pport == pport && pkt_addr_eq(&c->local, local) &&
		    pkt_addr_eq(&c->peer, peer))
			return (c);
	}
	return (NULL);
}

static struct hs_conn *
hs_conn_new(struct hoststack *h)
{
	struct hs_conn *c;

	if ((c = hs_grow(h->conn, &h->cconn, h->nconn, sizeof(*c))) == NULL) {
		h->error = 1;
		return (NULL);
	}
	h->conn = c;
	c = &h->conn[h->nconn++];
	memset(c, 0, sizeof(*c));
	return (c);
}

/* A connect reached its end. */
static void
hs_done(struct hoststack *h, struct hs_conn *c, enum scn_outcome o)
{
	c->st = HS_CLOSED;
	if (h->cur_conn == c - h->conn && h->outcome == -1)
		h->outcome = o;
}

static int
hs_listens(const struct hoststack *h, int jail, int proto, uint16_t port)
{
	const struct scn_port *lp;
	int i, n;

	if (!h->listening || jail == -1)
		return (0);
	if (jail == SCN_HOST) {
		lp = h->scn->host_listen;
		n = h->scn->nhost_listen;
	} else {
		lp = h->scn->jail[jail].listen;
		n = h->scn->jail[jail].nlisten;
	}
	for (i = 0; i < n; i++)
		if (lp[i].proto == proto && lp[i].port == port)
			return (1);
	return (0);
}

static void
hs_deliver(struct hoststack *h, int jail, int proto, const struct pkt *p)
{
	struct target_delivery *d;

	if ((d = hs_grow(h->deliv, &h->cdeliv, h->ndeliv, sizeof(*d))) == NULL) {
		h->error = 1;
		return;
	}
	h->deliv = d;
	d = &h->deliv[h->ndeliv++];
	memset(d, 0, sizeof(*d));
	d->jail = jail;
	d->proto = proto;
	d->local = p->dst;
	d->lport = p->dport;
	d->peer = p->src;
	d->pport = p->sport;
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		d->icmp = p->icmp;
		d->lport = d->pport = 0;
	}
}

/* A TCP segment in answer to `in`. */
static void
hs_tcp_send(struct hoststack *h, const struct pkt *in, uint8_t flags, uint32_t seq,
    uint32_t ack)
{
	struct pkt o;

	memset(&o, 0, sizeof(o));
	o.proto = IPPROTO_TCP;
	o.src = in->dst;
	o.dst = in->src;
	o.sport = in->dport;
	o.dport = in->sport;
	o.flags = flags;
	o.seq = seq;
	o.ack = ack;
	o.win = (flags & PKT_TH_RST) ? 0 : 65535;
	h->emit(h->arg, &o);
}

static uint32_t
hs_seglen(const struct pkt *p)
{
	return ((uint32_t)p->len + ((p->flags & PKT_TH_SYN) ? 1 : 0) +
	    ((p->flags & PKT_TH_FIN) ? 1 : 0));
}

/* No socket for the segment: RFC 793's reset generation. */
static void
hs_tcp_reset(struct hoststack *h, const struct pkt *p)
{
	if (p->flags & PKT_TH_RST)
		return;
	if (p->flags & PKT_TH_ACK)
		hs_tcp_send(h, p, PKT_TH_RST, p->ack, 0);
	else
		hs_tcp_send(h, p, PKT_TH_RST | PKT_TH_ACK, 0, p->seq + hs_seglen(p));
}

/* A segment for an existing socket. */
static void
hs_tcp_conn(struct hoststack *h, struct hs_conn *c, const struct pkt *p)
{
	int acked = (p->flags & PKT_TH_ACK) && p->ack == c->snd_nxt;

	switch (c->st) {
	case HS_SYN_SENT:
		if ((p->flags & PKT_TH_RST) && acked)
			hs_done(h, c, SCN_CONN_REFUSED);
		else if ((p->flags & PKT_TH_ACK) && !acked)
			hs_tcp_reset(h, p);
		else if ((p->flags & (PKT_TH_SYN | PKT_TH_RST)) == PKT_TH_SYN && acked) {
			c->rcv_nxt = p->seq + 1;
			hs_tcp_send(h, p, PKT_TH_ACK, c->snd_nxt, c->rcv_nxt);
			hs_done(h, c, SCN_CONN_OK);
			c->st = HS_ESTABLISHED;
		}
		return;
	case HS_SYN_RCVD:
		if (p->flags & PKT_TH_RST)
			c->st = HS_CLOSED;
		else if ((p->flags & (PKT_TH_SYN | PKT_TH_ACK)) == PKT_TH_SYN)
			hs_tcp_send(h, p, PKT_TH_SYN | PKT_TH_ACK, c->snd_nxt - 1,
			    c->rcv_nxt);
		else if (acked && !(p->flags & PKT_TH_SYN)) {
			c->st = HS_ESTABLISHED;
			hs_deliver(h, c->jail, IPPROTO_TCP, p);
		} else if (p->flags & PKT_TH_ACK)
			hs_tcp_reset(h, p);
		return;
	case HS_ESTABLISHED:
		if (p->flags & PKT_TH_RST) {
			c->st = HS_CLOSED;
			return;
		}
		/* Acknowledge in-order data or a FIN; the sink reads and stays open. */
		if (p->seq == c->rcv_nxt && hs_seglen(p) > 0 && !(p->flags & PKT_TH_SYN)) {
			c->rcv_nxt += hs_seglen(p);
			hs_tcp_send(h, p, PKT_TH_ACK, c->snd_nxt, c->rcv_nxt);
		}
		return;
	case HS_CLOSED:
		return;
	}
}

static void
hs_tcp_in(struct hoststack *h, const struct pkt *p)
{
	struct hs_conn *c;
	int jail;

	if ((c = hs_conn_find(h, IPPROTO_TCP, &p->dst, p->dport, &p->src,
	    p->sport)) != NULL) {
		hs_tcp_conn(h, c, p);
		return;
	}
	jail = hoststack_party_of(h, &p->dst);
	if (!hs_listens(h, jail, IPPROTO_TCP, p->dport)) {
		hs_tcp_reset(h, p);
		return;
	}
	/* LISTEN: an RST is ignored, an ACK reset, a SYN accepted (RFC 793). */
	if (p->flags & PKT_TH_RST)
		return;
	if (p->flags & PKT_TH_ACK) {
		hs_tcp_reset(h, p);
		return;
	}
	if (!(p->flags & PKT_TH_SYN) || (c = hs_conn_new(h)) == NULL)
		return;
	c->jail = jail;
	c->proto = IPPROTO_TCP;
	c->st = HS_SYN_RCVD;
	c->local = p->dst;
	c->lport = p->dport;
	c->peer = p->src;
	c->pport = p->sport;
	h->isn += 0x01000193;
	c->snd_nxt = h->isn + 1;
	c->rcv_nxt = p->seq + 1;
	hs_tcp_send(h, p, PKT_TH_SYN | PKT_TH_ACK, h->isn, c->rcv_nxt);
}

/* ICMP(v6) port unreachable for `p`. */
static void
hs_unreach(struct hoststack *h, const struct pkt *p)
{
	struct pkt o;

	memset(&o, 0, sizeof(o));
	o.proto = p->dst.af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	o.src = p->dst;
	o.dst = p->src;
	o.icmp = PKT_ICMP_UNREACH_PORT;
	o.has_quote = 1;
	o.quote.proto = p->proto;
	o.quote.src = p->src;
	o.quote.dst = p->dst;
	o.quote.sport = p->sport;
	o.quote.dport = p->dport;
	h->emit(h->arg, &o);
}

static void
hs_udp_in(struct hoststack *h, const struct pkt *p)
{
	struct hs_conn *c;
	int jail;

	if ((c = hs_conn_find(h, IPPROTO_UDP, &p->dst, p->dport, &p->src,
	    p->sport)) != NULL) {
		hs_done(h, c, SCN_CONN_OK);
		return;
	}
	jail = hoststack_party_of(h, &p->dst);
	if (hs_listens(h, jail, IPPROTO_UDP, p->dport))
		hs_deliver(h, jail, IPPROTO_UDP, p);
	else
		hs_unreach(h, p);
}

/* The ping an ICMP message answers (an echo reply) or is about (an error quoting the
 * echo request), or NULL. */
static struct hs_conn *
hs_ping_of(struct hoststack *h, const struct pkt *p)
{
	struct hs_conn *c;
	int i;

	for (i = 0; i < h->nconn; i++) {
		c = &h->conn[i];
		if (c->st != HS_SYN_SENT || (c->proto != IPPROTO_ICMP &&
		    c->proto != IPPROTO_ICMPV6))
			continue;
		if (p->icmp == PKT_ICMP_ECHO_REPLY ? p->sport == c->lport &&
		    p->icmp_seq == c->pport && pkt_addr_eq(&p->src, &c->peer) &&
		    pkt_addr_eq(&p->dst, &c->local) :
		    p->has_quote && p->quote.proto == c->proto &&
		    p->quote.sport == c->lport && pkt_addr_eq(&p->quote.src, &c->local) &&
		    pkt_addr_eq(&p->quote.dst, &c->peer))
			return (c);
	}
	return (NULL);
}

static void
hs_icmp_in(struct hoststack *h, const struct pkt *p)
{
	struct hs_conn *c;
	struct pkt o;

	/* every ICMP message a party receives (a raw socket sees them all) */
	if (p->icmp != PKT_ICMP_OTHER && hoststack_party_of(h, &p->dst) != -1)
		hs_deliver(h, hoststack_party_of(h, &p->dst), p->proto, p);
	switch (p->icmp) {
	case PKT_ICMP_ECHO_REQUEST:
		o = *p;
		o.src = p->dst;
		o.dst = p->src;
		o.icmp = PKT_ICMP_ECHO_REPLY;
		o.icmp_type = o.icmp_code = 0;
		h->emit(h->arg, &o);
		return;
	case PKT_ICMP_ECHO_REPLY:
		if ((c = hs_ping_of(h, p)) != NULL)
			hs_done(h, c, SCN_CONN_OK);
		return;
	case PKT_ICMP_UNREACH_PORT:
	case PKT_ICMP_UNREACH_HOST:
	case PKT_ICMP_UNREACH_NEEDFRAG:
	case PKT_ICMP_TIMEX:
	case PKT_ICMP_UNREACH_NET:
		if ((c = hs_ping_of(h, p)) != NULL) {
			hs_done(h, c, SCN_CONN_UNREACHABLE);
			return;
		}
		if (p->icmp == PKT_ICMP_UNREACH_PORT && p->has_quote &&
		    (c = hs_conn_find(h, p->quote.proto, &p->quote.src, p->quote.sport,
		    &p->quote.dst, p->quote.dport)) != NULL && c->st == HS_SYN_SENT)
			hs_done(h, c, SCN_CONN_REFUSED);
		return;
	case PKT_ICMP_NONE:
	case PKT_ICMP_OTHER:
		return;
	}
}

void
hoststack_input(struct hoststack *h, const struct pkt *p)
{
	switch (p->proto) {
	case IPPROTO_TCP:
		hs_tcp_in(h, p);
		break;
	case IPPROTO_UDP:
		hs_udp_in(h, p);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		hs_icmp_in(h, p);
		break;
	}
}

void
hoststack_output_dropped(struct hoststack *h, const struct pkt *p)
{
	struct hs_conn *c;

	uint16_t pport = p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6 ?
	    p->icmp_seq : p->dport;

	if ((c = hs_conn_find(h, p->proto, &p->src, p->sport, &p->dst, pport)) != NULL &&
	    c->active && c->st == HS_SYN_SENT)
		hs_done(h, c, SCN_CONN_FAILED);
}

/* The next free ephemeral port for `local` (see the top of the file); 0: none. */
static uint16_t
hs_ephemeral(struct hoststack *h, int proto, const struct pkt_addr *local)
{
	const struct hs_conn *c;
	int i, k, used;
	uint16_t port;

	for (k = 0; k <= HS_EPH_LAST - HS_EPH_FIRST; k++) {
		port = h->eph;
		h->eph = h->eph == HS_EPH_LAST ? HS_EPH_FIRST : h->eph + 1;
		for (used = 0, i = 0; i < h->nconn && !used; i++) {
			c = &h->conn[i];
			used = c->st != HS_CLOSED && c->proto == proto &&
			    c->lport == port && pkt_addr_eq(&c->local, local);
		}
		if (!used)
			return (port);
	}
	return (0);
}

/* The jail's local address for a connect to an `af` destination, or NULL. */
static const struct pkt_addr *
hs_jail_addr(const struct scn_jail *j, int af, const struct pkt_addr *from)
{
	int k;

	for (k = 0; k < j->naddr; k++)
		if (from != NULL && from->af != 0 ? pkt_addr_eq(&j->addr[k], from) :
		    j->addr[k].af == af)
			return (&j->addr[k]);
	return (NULL);
}

/* The local address of a connect by `jail` (the host: `from`, which the caller chose
 * by its routes when the step did not), or NULL: EADDRNOTAVAIL. */
static const struct pkt_addr *
hs_local_addr(const struct hoststack *h, int jail, int af, const struct pkt_addr *from)
{
	/* an unjailed socket may take any local address, a jail's too */
	if (jail == SCN_HOST)
		return (h->scope == SCN_HOST && from != NULL && from->af == af &&
		    hoststack_is_local(h, from) ? from : NULL);
	if (jail < 0 || jail >= h->scn->njail || (h->scope != SCN_HOST && jail != h->scope))
		return (NULL);
	return (hs_jail_addr(&h->scn->jail[jail], af, from));
}

/* The first packet of a connect from c: a SYN, a datagram or an echo request. */
static void
hs_first(struct hoststack *h, struct hs_conn *c)
{
	struct pkt o;

	memset(&o, 0, sizeof(o));
	o.proto = c->proto;
	o.src = c->local;
	o.dst = c->peer;
	o.sport = c->lport;
	o.dport = c->pport;
	switch (c->proto) {
	case IPPROTO_TCP:
		h->isn += 0x01000193;
		o.flags = PKT_TH_SYN;
		o.seq = h->isn;
		o.win = 65535;
		c->snd_nxt = h->isn + 1;
		break;
	case IPPROTO_UDP:
		o.len = sizeof(HS_UDP_PAYLOAD) - 1;
		memcpy(o.payload, HS_UDP_PAYLOAD, o.len);
		break;
	default:		/* ICMP, ICMPv6: lport is the id, pport the sequence */
		o.icmp = PKT_ICMP_ECHO_REQUEST;
		o.sport = c->lport;
		o.dport = 0;
		o.icmp_seq = c->pport;
		o.len = sizeof(HS_PING_PAYLOAD) - 1;
		memcpy(o.payload, HS_PING_PAYLOAD, o.len);
		break;
	}
	h->emit(h->arg, &o);
}

/* Connects still waiting have timed out by the time another starts or a probe
 * begins (everything here runs to quiet first): the sink closed their sockets, so
 * their ports are free again and a late answer finds no socket. */
static void
hs_close_pending(struct hoststack *h)
{
	int i;

	for (i = 0; i < h->nconn; i++)
		if (h->conn[i].active && h->conn[i].st == HS_SYN_SENT)
			h->conn[i].st = HS_CLOSED;
}

int
hoststack_connect(struct hoststack *h, int jail, int proto, const struct pkt_addr *dst,
    uint16_t dport, const struct pkt_addr *from, uint16_t fromport)
{
	const struct pkt_addr *local;
	struct hs_conn *c;
	uint16_t lport;
	int ping = proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;

	if ((jail != SCN_HOST && (jail < 0 || jail >= h->scn->njail)) ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP && !ping))
		return (-1);
	hs_close_pending(h);
	if (ping)
		proto = dst->af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	h->outcome = SCN_CONN_FAILED;	/* EADDRNOTAVAIL, EADDRINUSE, ENOMEM */
	h->cur_conn = -1;
	if ((local = hs_local_addr(h, jail, dst->af, from)) == NULL)
		return (0);
	if (ping) {
		lport = HS_PING_ID;
		dport = ++h->ping_seq;
	} else
		lport = fromport != 0 ? fromport : hs_ephemeral(h, proto, local);
	if (lport == 0 || hs_conn_find(h, proto, local, lport, dst, dport) != NULL ||
	    (c = hs_conn_new(h)) == NULL)
		return (0);
	c->jail = jail;
	c->proto = proto;
	c->active = 1;
	c->st = HS_SYN_SENT;
	c->local = *local;
	c->lport = lport;
	c->peer = *dst;
	c->pport = dport;
	h->cur_conn = (int)(c - h->conn);
	h->outcome = -1;
	hs_first(h, c);
	return (0);
}

int
hoststack_outcome(const struct hoststack *h)
{
	return (h->outcome);
}

void
hoststack_probe_begin(struct hoststack *h)
{
	hs_close_pending(h);
	h->ndeliv = 0;
	h->cur_conn = -1;
	h->outcome = -1;
}

const struct target_delivery *
hoststack_deliveries(const struct hoststack *h, int *n)
{
	*n = h->ndeliv;
	return (h->deliv);
}

int
hoststack_error(struct hoststack *h)
{
	int e = h->error;

	h->error = 0;
	return (e);
}
