/* sink_maker.h: a socket maker: a process that entered some place (FreeBSD: a VNET
 * jail, by jail_attach) makes sockets there on request and hands each over a
 * socketpair (SCM_RIGHTS), so that one process (the sink) uses sockets of several
 * network stacks. libc only; sink_freebsd.c's VNET jails use it. */
#ifndef SINK_MAKER_H
#define SINK_MAKER_H

/* Fork a maker (reparented to init through an intermediate child, so that nobody
 * reaps it) that calls enter(arg) (0, or -1 with errno: then that errno answers every
 * request) and serves requests until the other end closes. *h is that end. The
 * maker holds no other descriptor of the caller's. 0, or -1 with errno. */
int	sink_maker_start(int (*enter)(void *), void *arg, int *h);
/* socket(domain, type, proto) made by the maker on h, close-on-exec here. The
 * socket, or -1 with errno (the maker's, or EIO when it is gone). Async-signal-safe. */
int	sink_maker_socket(int h, int domain, int type, int proto);

#endif
