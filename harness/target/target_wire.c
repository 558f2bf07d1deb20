/* target_wire.c: the probe pieces the linux and freebsd targets share (target_wire.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "target_wire.h"

uint64_t
tw_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000);
}

void
tw_router_mac(int r, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x70;
	mac[2] = 0x66;
	mac[3] = 0x72;
	mac[4] = (uint8_t)((r + 1) >> 8);
	mac[5] = (uint8_t)(r + 1);
}

int
tw_router_of(const struct scn *s, const struct pkt_addr *a)
{
	int i;

	for (i = 0; i < s->nclient; i++)
		if (pkt_addr_eq(&s->client[i].addr, a))
			return (s->client[i].router);
	return (-1);
}

int
tw_in_net(const struct pkt_addr *a, const struct pkt_addr *net, int plen)
{
	int i, bits;

	if (a->af != net->af)
		return (0);
	for (i = 0; plen > 0; i++, plen -= 8) {
		bits = plen >= 8 ? 0xff : (0xff << (8 - plen)) & 0xff;
		if ((a->a[i] & bits) != (net->a[i] & bits))
			return (0);
	}
	return (1);
}

struct pkt_addr *
tw_neighbours(const struct scn *s, int *n)
{
	struct pkt_addr *nb;
	int i;

	*n = 0;
	if ((nb = calloc((size_t)s->nclient + 1, sizeof(*nb))) == NULL)
		return (NULL);
	if (s->gateway.af != 0)
		nb[(*n)++] = s->gateway;
	for (i = 0; i < s->nclient; i++)
		nb[(*n)++] = s->client[i].addr;
	return (nb);
}

struct pkt_addr *
tw_neighbours_on(const struct scn *s, int wire, int *n)
{
	const struct scn_if *ifp = &s->iface[wire];
	struct pkt_addr *nb;
	int i, k;

	*n = 0;
	if ((nb = calloc((size_t)(s->nclient + s->nroute + 3), sizeof(*nb))) == NULL)
		return (NULL);
	if (ifp->gw4.af != 0)
		nb[(*n)++] = ifp->gw4;
	if (ifp->gw6.af != 0)
		nb[(*n)++] = ifp->gw6;
	for (i = 0; i < s->nclient; i++)
		if (s->client[i].wire == wire)
			nb[(*n)++] = s->client[i].addr;
	for (i = 0; i < s->nroute; i++)
		for (k = 0; k < ifp->naddr; k++)
			if (tw_in_net(&s->route[i].via, &ifp->addr[k].addr, ifp->addr[k].plen)) {
				nb[(*n)++] = s->route[i].via;
				break;
			}
	return (nb);
}

int
tw_host_frame(struct obs *o, const uint8_t *f, size_t len, uint64_t t_us, struct pkt *p)
{
	if (len < 14 || !((f[12] == 0x08 && f[13] == 0x00) || (f[12] == 0x86 &&
	    f[13] == 0xdd)))
		return (0);
	/* a whole packet, else one fragment of one (the host's own fragmentation, or a
	 * fragment it forwards as it came) */
	if (pkt_decode_frame(f, len, p) == -1 && pkt_decode_frag_frame(f, len, p) == -1) {
		obs_add_frame(o, NULL, t_us);
		return (0);
	}
	/* neighbour discovery and MLD: the host's IPv6 housekeeping, no probe's answer */
	return (!(p->proto == IPPROTO_ICMPV6 && p->icmp == PKT_ICMP_OTHER &&
	    ((p->icmp_type >= 130 && p->icmp_type <= 137) || p->icmp_type == 143)));
}

long
tw_sink_reports(struct sink *s, int fd, int (*rd)(struct sink *, struct sink_report *),
    int keep, struct obs *o, struct tw_conn *c)
{
	struct pollfd pfd;
	struct sink_report r;
	long synced = 0;

	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 0) == 1) {
		if (rd(s, &r) != 1)
			return (-1);
		switch (r.kind) {
		case SINK_REP_READY:
		case SINK_REP_ERROR:
			break;
		case SINK_REP_DELIVERY:
			if (keep)
				obs_add_delivery(o, &r);
			break;
		case SINK_REP_STARTED:
		case SINK_REP_OUTCOME:
			if (!keep || r.seq != c->seq)
				break;
			c->local = r.local;
			c->lport = r.lport;
			if (r.kind == SINK_REP_STARTED)
				c->started = 1;
			else
				c->outcome = r.outcome;
			break;
		case SINK_REP_SYNC:
			synced = r.seq;
			break;
		}
	}
	return (synced);
}

int
tw_wait(struct pollfd *pfd, int n, uint64_t deadline, const char *who, struct diag *d)
{
	uint64_t now;
	char c;
	int i, r;

	if ((now = tw_now_us()) >= deadline)
		return (0);
	for (i = 0; i < n; i++) {
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	r = poll(pfd, n, (int)((deadline - now + 999) / 1000));
	if (r == -1 && errno != EINTR) {
		diag_add(d, NULL, 0, "%s: poll: %s", who, strerror(errno));
		return (-1);
	}
	if (r > 0 && pfd[n - 1].revents) {
		while (read(pfd[n - 1].fd, &c, 1) == 1)
			;
		diag_add(d, NULL, 0, "interrupted");
		return (-1);
	}
	return (1);
}
