/* sink_icmp.c: socket addresses and the sink's raw ICMP sockets (sink_icmp.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "base/cksum.h"
#include "sink_icmp.h"

#define SINK_ICMP_MAX	2048

socklen_t
sink_to_sa(const struct pkt_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET6) {
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a->a, 16);
		s6->sin6_port = htons(port);
		return (sizeof(*s6));
	}
	s4->sin_family = AF_INET;
	memcpy(&s4->sin_addr, a->a, 4);
	s4->sin_port = htons(port);
	return (sizeof(*s4));
}

void
sink_from_sa(const struct sockaddr_storage *ss, struct pkt_addr *a, uint16_t *port)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET6) {
		a->af = AF_INET6;
		memcpy(a->a, &s6->sin6_addr, 16);
		*port = ntohs(s6->sin6_port);
	} else {
		a->af = AF_INET;
		memcpy(a->a, &s4->sin_addr, 4);
		*port = ntohs(s4->sin_port);
	}
}

int
sink_icmp_proto(int af)
{
	return (af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
}

int
sink_icmp_setup(int fd, int af)
{
	int one = 1, e;

	if (fd != -1 && af == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return (-1);
	}
	return (fd);
}

/* One ICMPv6 message (no IP header) from src to dst behind an IPv6 header of our own,
 * so that it decodes as a whole packet. Its length, or 0 when it does not fit. */
static size_t
v6_packet(uint8_t *out, size_t cap, const uint8_t *msg, size_t len,
    const struct in6_addr *src, const struct in6_addr *dst)
{
	if (40 + len > cap)
		return (0);
	memset(out, 0, 40);
	out[0] = 0x60;
	out[4] = (uint8_t)(len >> 8);
	out[5] = (uint8_t)len;
	out[6] = IPPROTO_ICMPV6;
	out[7] = 64;
	memcpy(out + 8, src, 16);
	memcpy(out + 24, dst, 16);
	memcpy(out + 40, msg, len);
	return (40 + len);
}

/* Read one message into buf as an IP packet; its length, 0 when unusable, -1 when
 * nothing waits. */
static ssize_t
read_one(int fd, int af, uint8_t *buf, size_t cap)
{
	uint8_t msg[SINK_ICMP_MAX];
	union {
		struct cmsghdr	hdr;
		uint8_t		buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cb;
	struct sockaddr_in6 from;
	struct in6_pktinfo *pi = NULL;
	struct msghdr mh;
	struct cmsghdr *c;
	struct iovec iov;
	ssize_t n;

	if (af == AF_INET) {
		if ((n = recv(fd, buf, cap, MSG_DONTWAIT)) == -1)
			return (errno == EINTR ? 0 : -1);
		return (n);
	}
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = msg;
	iov.iov_len = sizeof(msg);
	mh.msg_name = &from;
	mh.msg_namelen = sizeof(from);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cb.buf;
	mh.msg_controllen = sizeof(cb.buf);
	if ((n = recvmsg(fd, &mh, MSG_DONTWAIT)) == -1)
		return (errno == EINTR ? 0 : -1);
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO)
			pi = (struct in6_pktinfo *)(void *)CMSG_DATA(c);
	if (pi == NULL)
		return (0);
	return ((ssize_t)v6_packet(buf, cap, msg, (size_t)n, &from.sin6_addr,
	    &pi->ipi6_addr));
}

int
sink_icmp_read(int fd, int af, struct pkt *p)
{
	uint8_t buf[SINK_ICMP_MAX + 40];
	size_t ml = sizeof(SINK_SENTINEL_MAGIC) - 1;
	ssize_t n;

	for (;;) {
		if ((n = read_one(fd, af, buf, sizeof(buf))) == -1)
			return (0);
		if (n == 0 || pkt_decode_l3(buf, (size_t)n, p) == -1 ||
		    p->icmp == PKT_ICMP_OTHER || p->icmp == PKT_ICMP_NONE)
			continue;
		if ((p->icmp == PKT_ICMP_ECHO_REQUEST || p->icmp == PKT_ICMP_ECHO_REPLY) &&
		    p->len >= ml && memcmp(p->payload, SINK_SENTINEL_MAGIC, ml) == 0)
			continue;
		return (1);
	}
}

int
sink_icmp_echo(int fd, int af, uint16_t seq)
{
	uint8_t m[8 + sizeof(SINK_PING_PAYLOAD) - 1];
	uint16_t sum;

	memset(m, 0, sizeof(m));
	m[0] = af == AF_INET6 ? 128 : 8;
	m[4] = SINK_PING_ID >> 8;
	m[5] = SINK_PING_ID & 0xff;
	m[6] = (uint8_t)(seq >> 8);
	m[7] = (uint8_t)seq;
	memcpy(m + 8, SINK_PING_PAYLOAD, sizeof(m) - 8);
	if (af == AF_INET) {	/* ICMPv6's the kernel sums (RFC 3542, 3.1) */
		sum = cksum_sum(m, sizeof(m), 0);
		m[2] = (uint8_t)(sum >> 8);
		m[3] = (uint8_t)sum;
	}
	if (send(fd, m, sizeof(m), 0) == -1)
		return (errno);
	return (0);
}
