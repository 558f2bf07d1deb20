/* sink_icmp.h: what the sink (sink.c) needs below it: socket addresses, and raw ICMP
 * sockets that see every ICMP message a namespace receives and send the pings. Called
 * in the sink's child: async-signal-safe, no allocation. Not for other modules. */
#ifndef SINK_ICMP_H
#define SINK_ICMP_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stdint.h>

#include "pkt/pkt.h"

/* A ping's echo request: its id and payload (the model's hoststack sends the same). */
#define SINK_PING_ID		0x7068
#define SINK_PING_PAYLOAD	"pfharness-ping"
/* Echo messages whose payload starts with this are the linux target's sentinel
 * (NFQ_SENTINEL_MAGIC, nfq.h), not a party's: never reported. */
#define SINK_SENTINEL_MAGIC	"pfharness-sentinel"

/* a:port into ss; its length. */
socklen_t sink_to_sa(const struct pkt_addr *a, uint16_t port, struct sockaddr_storage *ss);
/* ss into a and *port. */
void	sink_from_sa(const struct sockaddr_storage *ss, struct pkt_addr *a,
	    uint16_t *port);
/* The protocol of af's raw ICMP socket (AF_INET: ICMP, AF_INET6: ICMPv6); the caller
 * makes it (SOCK_RAW, non-blocking, close-on-exec) where it belongs (sink_os_socket). */
int	sink_icmp_proto(int af);
/* Set up fd, a raw socket of af's ICMP, to tell the destination of each message. fd,
 * or -1 with errno (fd closed). fd -1 gives -1. */
int	sink_icmp_setup(int fd, int af);
/* The next ICMP message waiting on fd (a sink_icmp_setup socket of af) decoded into p
 * as pkt_decode_l3 decodes (src, dst, icmp, echo id in sport, icmp_seq, the quote of
 * an error): 1; 0 when none is waiting. The sentinel's messages (SINK_SENTINEL_MAGIC)
 * and the ICMPv6 types that are no error or echo are read and skipped. */
int	sink_icmp_read(int fd, int af, struct pkt *p);
/* An echo request with id SINK_PING_ID, sequence seq and SINK_PING_PAYLOAD on fd (a
 * connected sink_icmp_setup socket). 0, or an errno. */
int	sink_icmp_echo(int fd, int af, uint16_t seq);

#endif
