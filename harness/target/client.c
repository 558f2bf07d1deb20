/* client.c: the outside hosts the harness speaks for, answering what the host sends. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "client.h"

/* The external interface whose network holds a (a route's next hop), or 0. */
static int
client_route_wire(const struct scn *s, const struct pkt_addr *a)
{
	const struct scn_ifaddr *ia;
	int i, k, bits, j;

	for (i = 0; i < s->niface; i++)
		for (k = 0; k < s->iface[i].naddr; k++) {
			ia = &s->iface[i].addr[k];
			if (ia->addr.af != a->af)
				continue;
			for (j = 0, bits = ia->plen; bits > 0; j++, bits -= 8)
				if ((a->a[j] ^ ia->addr.a[j]) & (bits >= 8 ? 0xff :
				    (0xff << (8 - bits)) & 0xff))
					break;
			if (bits <= 0)
				return (i);
		}
	return (0);
}

/* SYNs a probe sent, remembered so that the host's SYN-ACK gets the client's ACK. */
#define CLIENT_SENT_MAX	1024

struct client_syn {
	struct pkt_addr	src, dst;
	uint16_t	sport, dport;
	uint32_t	seq;
};

/* A neighbour the wire answers for that is no client: a gateway, a router, a route's
 * next hop. It listens nowhere. */
struct client_nb {
	struct pkt_addr	addr;
	int		wire;
};

struct client_sim {
	struct scn_client *client;
	int		 nclient;
	struct pkt_addr	 gateway;
	struct client_nb *nb;
	int		 nnb;
	struct client_syn sent[CLIENT_SENT_MAX];
	int		 nsent, next;	/* a ring: `next` is the slot written next */
};

/* The wires' gateways, the routers and the routes' next hops. 0 or -1. */
static int
client_nb_init(struct client_sim *c, const struct scn *s)
{
	int i, n = 0;

	if ((c->nb = calloc((size_t)(2 * s->niface + s->nrouter + s->nroute + 1),
	    sizeof(*c->nb))) == NULL)
		return (-1);
	for (i = 0; i < s->niface; i++) {
		if (s->iface[i].gw4.af != 0) {
			c->nb[n].addr = s->iface[i].gw4;
			c->nb[n++].wire = i;
		}
		if (s->iface[i].gw6.af != 0) {
			c->nb[n].addr = s->iface[i].gw6;
			c->nb[n++].wire = i;
		}
	}
	for (i = 0; i < s->nrouter; i++) {
		c->nb[n].addr = s->router[i].addr;
		c->nb[n++].wire = s->router[i].wire;
	}
	for (i = 0; i < s->nroute; i++) {
		c->nb[n].addr = s->route[i].via;
		c->nb[n++].wire = client_route_wire(s, &s->route[i].via);
	}
	c->nnb = n;
	return (0);
}

struct client_sim *
client_new(const struct scn *scn)
{
	struct client_sim *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (NULL);
	if (scn->nclient > 0) {
		c->client = calloc(scn->nclient, sizeof(*c->client));
		if (c->client == NULL) {
			free(c);
			return (NULL);
		}
		memcpy(c->client, scn->client, scn->nclient * sizeof(*c->client));
		c->nclient = scn->nclient;
	}
	c->gateway = scn->gateway;
	if (client_nb_init(c, scn) == -1) {
		client_free(c);
		return (NULL);
	}
	return (c);
}

void
client_free(struct client_sim *c)
{
	if (c == NULL)
		return;
	free(c->client);
	free(c->nb);
	free(c);
}

void
client_sent(struct client_sim *c, const struct pkt *p)
{
	struct client_syn *s;

	if (p->proto != IPPROTO_TCP ||
	    (p->flags & (PKT_TH_SYN | PKT_TH_ACK | PKT_TH_RST)) != PKT_TH_SYN)
		return;
	s = &c->sent[c->next];
	s->src = p->src;
	s->dst = p->dst;
	s->sport = p->sport;
	s->dport = p->dport;
	s->seq = p->seq;
	c->next = (c->next + 1) % CLIENT_SENT_MAX;
	if (c->nsent < CLIENT_SENT_MAX)
		c->nsent++;
}

/* The client with address a on wire `wire`, or NULL (the gateway is no client: it
 * listens nowhere). */
static const struct scn_client *
client_find(const struct client_sim *c, int wire, const struct pkt_addr *a)
{
	int i;

	for (i = 0; i < c->nclient; i++)
		if (c->client[i].wire == wire && pkt_addr_eq(&c->client[i].addr, a))
			return (&c->client[i]);
	return (NULL);
}

int
client_owns_on(const struct client_sim *c, int wire, const struct pkt_addr *addr)
{
	int i;

	if (client_find(c, wire, addr) != NULL)
		return (1);
	for (i = 0; i < c->nnb; i++)
		if (c->nb[i].wire == wire && pkt_addr_eq(&c->nb[i].addr, addr))
			return (1);
	return (wire == 0 && c->gateway.af != 0 && pkt_addr_eq(&c->gateway, addr));
}

int
client_owns(const struct client_sim *c, const struct pkt_addr *addr)
{
	return (client_owns_on(c, 0, addr));
}

static int
client_listens(const struct scn_client *cl, int proto, uint16_t port)
{
	int i;

	if (cl == NULL)
		return (0);
	for (i = 0; i < cl->nlisten; i++)
		if (cl->listen[i].proto == proto && cl->listen[i].port == port)
			return (1);
	return (0);
}

/* A deterministic initial sequence number per connection (the same SYN, the same ISN,
 * so a retransmitted SYN gets an identical SYN-ACK). FNV-1a over the 4-tuple. */
static uint32_t
client_isn(const struct pkt *in)
{
	uint32_t h = 2166136261u;
	const uint8_t *parts[4] = { in->src.a, in->dst.a, NULL, NULL };
	uint8_t ports[8];
	size_t i, k;

	ports[0] = in->sport >> 8;
	ports[1] = in->sport & 0xff;
	ports[2] = in->dport >> 8;
	ports[3] = in->dport & 0xff;
	ports[4] = in->seq >> 24;
	ports[5] = in->seq >> 16;
	ports[6] = in->seq >> 8;
	ports[7] = in->seq;
	parts[2] = ports;
	for (k = 0; k < 3; k++)
		for (i = 0; i < (k < 2 ? 16u : 8u); i++) {
			h ^= parts[k][i];
			h *= 16777619u;
		}
	return (h);
}

/* The reply skeleton: addresses and ports swapped. */
static void
client_reverse(const struct pkt *in, struct pkt *out)
{
	memset(out, 0, sizeof(*out));
	out->proto = in->proto;
	out->src = in->dst;
	out->dst = in->src;
	out->sport = in->dport;
	out->dport = in->sport;
}

/* The probe's SYN that this SYN-ACK answers, or NULL. */
static const struct client_syn *
client_syn_find(const struct client_sim *c, const struct pkt *in)
{
	const struct client_syn *s;
	int i;

	for (i = 0; i < c->nsent; i++) {
		s = &c->sent[i];
		if (pkt_addr_eq(&s->src, &in->dst) && pkt_addr_eq(&s->dst, &in->src) &&
		    s->sport == in->dport && s->dport == in->sport &&
		    in->ack == s->seq + 1)
			return (s);
	}
	return (NULL);
}

/* TCP: SYN-ACK to a probe's SYN, listen ports, and RFC 793 "CLOSED" everywhere else. */
static int
client_tcp(const struct client_sim *c, const struct scn_client *cl,
    const struct pkt *in, struct pkt *out)
{
	const struct client_syn *s;
	uint32_t seglen;

	if (in->flags & PKT_TH_RST)
		return (0);
	if ((in->flags & (PKT_TH_SYN | PKT_TH_ACK)) == (PKT_TH_SYN | PKT_TH_ACK) &&
	    (s = client_syn_find(c, in)) != NULL) {
		client_reverse(in, out);
		out->flags = PKT_TH_ACK;
		out->seq = s->seq + 1;
		out->ack = in->seq + 1;
		out->win = 65535;
		return (1);
	}
	/* A later segment of a connection the client opened, acking its ISN + 1 (it sent
	 * no data): acceptable, nothing to answer (synproxy's window update is one). */
	if (!(in->flags & PKT_TH_SYN) && client_syn_find(c, in) != NULL)
		return (0);
	if (client_listens(cl, IPPROTO_TCP, in->dport)) {
		/* An open port: a SYN is accepted; anything else belongs to a connection
		 * this client accepted earlier and needs no answer here. */
		if ((in->flags & (PKT_TH_SYN | PKT_TH_ACK)) != PKT_TH_SYN)
			return (0);
		client_reverse(in, out);
		out->flags = PKT_TH_SYN | PKT_TH_ACK;
		out->seq = client_isn(in);
		out->ack = in->seq + 1;
		out->win = 65535;
		return (1);
	}
	client_reverse(in, out);
	if (in->flags & PKT_TH_ACK) {
		out->flags = PKT_TH_RST;
		out->seq = in->ack;
		return (1);
	}
	seglen = in->len + ((in->flags & PKT_TH_SYN) ? 1 : 0) +
	    ((in->flags & PKT_TH_FIN) ? 1 : 0);
	out->flags = PKT_TH_RST | PKT_TH_ACK;
	out->seq = 0;
	out->ack = in->seq + seglen;
	return (1);
}

/* ICMP(v6) port unreachable quoting `in`, from the address it was sent to. */
static void
client_unreach(const struct pkt *in, struct pkt *out)
{
	memset(out, 0, sizeof(*out));
	out->proto = in->dst.af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	out->src = in->dst;
	out->dst = in->src;
	out->icmp = PKT_ICMP_UNREACH_PORT;
	out->has_quote = 1;
	out->quote.proto = in->proto;
	out->quote.src = in->src;
	out->quote.dst = in->dst;
	out->quote.sport = in->sport;
	out->quote.dport = in->dport;
}

int
client_answer(struct client_sim *c, const struct pkt *in, struct pkt *out, int max)
{
	return (client_answer_on(c, 0, in, out, max));
}

int
client_answer_on(struct client_sim *c, int wire, const struct pkt *in, struct pkt *out,
    int max)
{
	const struct scn_client *cl;

	if (!client_owns_on(c, wire, &in->dst))
		return (-1);
	/* the clients answer whole packets; they reassemble nothing, so a fragment gets
	 * no answer (a real host would answer the datagram once it is whole) */
	if (max < 1 || in->ipfrag)
		return (0);
	cl = client_find(c, wire, &in->dst);
	switch (in->proto) {
	case IPPROTO_TCP:
		return (client_tcp(c, cl, in, out));
	case IPPROTO_UDP:
		if (client_listens(cl, IPPROTO_UDP, in->dport)) {
			client_reverse(in, out);
			out->len = in->len;
			memcpy(out->payload, in->payload, in->len);
		} else
			client_unreach(in, out);
		return (1);
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (in->icmp != PKT_ICMP_ECHO_REQUEST)
			return (0);
		client_reverse(in, out);
		out->sport = in->sport;		/* the echo id */
		out->dport = 0;
		out->icmp = PKT_ICMP_ECHO_REPLY;
		out->icmp_seq = in->icmp_seq;
		out->len = in->len;
		memcpy(out->payload, in->payload, in->len);
		return (1);
	default:
		return (0);
	}
}
