/* nfq_out.c: what the NFQUEUE hook sends: verdict messages in packet order (runs of
 * unmodified accepts batched), the packets pf makes itself (block return, synproxy),
 * and the note of each drop of the host's own packets. */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <libnetfilter_queue/libnetfilter_queue.h>
#include <libnetfilter_queue/linux_nfnetlink_queue.h>

#include "nfq_impl.h"

/* Send the batch's verdicts to the kernel, which reinjects the packets in order. */
void
nfq_tx_send(struct nfq *q)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };

	if (q->txlen == 0)
		return;
	if (sendto(nfq_fd(q->h), q->tx, q->txlen, 0, (struct sockaddr *)&k,
	    sizeof(k)) != (ssize_t)q->txlen)
		q->st.errors++;
	q->txlen = 0;
}

/* Append a verdict message (type VERDICT or VERDICT_BATCH) for packet `id`, with the
 * packet when pf rewrote it (p != NULL), sending first what no longer fits. */
static void
tx_put(struct nfq *q, int type, uint32_t id, int verdict, const uint8_t *p, size_t len)
{
	struct nfqnl_msg_verdict_hdr vh;
	struct nlmsghdr *nh;
	struct nfgenmsg *g;
	struct nlattr *a;
	size_t hl = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*g)), need;

	need = hl + NLA_ALIGN(NLA_HDRLEN + sizeof(vh)) +
	    (p != NULL ? NLA_ALIGN(NLA_HDRLEN + len) : 0);
	if (q->txlen + need > sizeof(q->tx))
		nfq_tx_send(q);
	nh = (struct nlmsghdr *)(q->tx + q->txlen);
	memset(nh, 0, hl + NLA_HDRLEN + sizeof(vh));
	nh->nlmsg_len = (uint32_t)need;
	nh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | type;
	nh->nlmsg_flags = NLM_F_REQUEST;
	g = NLMSG_DATA(nh);
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons((uint16_t)q->o.queue);
	a = (struct nlattr *)((uint8_t *)nh + hl);
	a->nla_len = NLA_HDRLEN + sizeof(vh);
	a->nla_type = NFQA_VERDICT_HDR;
	vh.verdict = htonl((uint32_t)verdict);
	vh.id = htonl(id);
	memcpy((uint8_t *)a + NLA_HDRLEN, &vh, sizeof(vh));
	if (p != NULL) {
		a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
		a->nla_len = (uint16_t)(NLA_HDRLEN + len);
		a->nla_type = NFQA_PAYLOAD;
		memcpy((uint8_t *)a + NLA_HDRLEN, p, len);
		memset((uint8_t *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	}
	q->txlen += need;
}

/* Close the run of unmodified accepts: one message accepts every id up to its last
 * (the kernel holds no older packet of ours: each was given its verdict in order). */
void
nfq_run_flush(struct nfq *q)
{
	if (!q->run)
		return;
	tx_put(q, NFQNL_MSG_VERDICT_BATCH, q->run_last, NF_ACCEPT, NULL, 0);
	q->run = 0;
}

/* The verdict on packet id, in packet order; p: the rewritten packet, or NULL. */
void
nfq_verdict(struct nfq *q, uint32_t id, int v, const uint8_t *p, size_t len)
{
	if (v == NF_ACCEPT && p == NULL) {
		q->run = 1;
		q->run_last = id;
		return;
	}
	nfq_run_flush(q);
	if (p != NULL && NLA_HDRLEN + len > UINT16_MAX) {
		q->st.errors++;		/* no attribute holds it: drop, never pass unseen */
		v = NF_DROP;
		p = NULL;
	}
	tx_put(q, NFQNL_MSG_VERDICT, id, v, p, len);
}

/* Send a packet pf makes itself from the host: `block return` answers, af-to's
 * translated packets (pf_route sends them) and synproxy's packets that skip pf are marked so the hook lets them pass (as FreeBSD's
 * pf_send_tcp and pf_send_icmp packets with M_SKIP_FIREWALL); synproxy's packets
 * without it go unmarked, so the hook runs pf on them as on any packet the host sends
 * (out on their interface, and in again over lo). The verdicts before it go first, so
 * the wire sees what FreeBSD would send in that order. q->mu is held. */
void
nfq_send_reply(struct nfq *q, const uint8_t *p, size_t len, int skip)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	ssize_t n = -1;
	int fd4 = skip ? q->raw4 : q->raw4pf, fd6 = skip ? q->raw6 : q->raw6pf;

	nfq_run_flush(q);
	nfq_tx_send(q);
	if (len >= 20 && (p[0] >> 4) == 4 && fd4 != -1) {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		memcpy(&s4.sin_addr, p + 16, 4);
		n = sendto(fd4, p, len, 0, (struct sockaddr *)&s4, sizeof(s4));
	} else if (len >= 40 && (p[0] >> 4) == 6 && fd6 != -1) {
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		memcpy(&s6.sin6_addr, p + 24, 16);
		n = sendto(fd6, p, len, 0, (struct sockaddr *)&s6, sizeof(s6));
	}
	if (n == (ssize_t)len) {
		q->st.replies++;
		if (!skip)
			q->st.pf_sent++;
	} else
		q->st.errors++;
}

/* Note a drop of the host's own packet; q->mu is held. */
void
nfq_local_drop(struct nfq *q, const uint8_t *p, size_t len)
{
	struct nfq_drop *d = &q->drop[q->ndrop % NFQ_DROPS];
	size_t hl;

	memset(d, 0, sizeof(*d));
	if ((p[0] >> 4) == 4 && len >= 20) {
		hl = (p[0] & 0x0f) * 4;
		d->proto = p[9];
		d->src.af = AF_INET;
		memcpy(d->src.a, p + 12, 4);
	} else if ((p[0] >> 4) == 6 && len >= 40) {
		hl = 40;
		d->proto = p[6];
		d->src.af = AF_INET6;
		memcpy(d->src.a, p + 8, 16);
	} else
		return;
	if ((d->proto == IPPROTO_TCP || d->proto == IPPROTO_UDP) && len >= hl + 4)
		d->sport = (uint16_t)(p[hl] << 8 | p[hl + 1]);
	/* an echo request: its id, which the sink reports as a ping's port */
	if ((d->proto == IPPROTO_ICMP || d->proto == IPPROTO_ICMPV6) && len >= hl + 8 &&
	    (p[hl] == 8 || p[hl] == 128))
		d->sport = (uint16_t)(p[hl + 4] << 8 | p[hl + 5]);
	q->ndrop++;
	(void)!write(q->dropfd[1], "d", 1);
}
