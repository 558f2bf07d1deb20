/* recv_freebsd.c: the counting receivers on FreeBSD (recv.h): a UDP sink in the jail
 * (a child process attached to it with jail_attach(2), recvmmsg, its counts in shared
 * memory) and a wire counter on BPF (large buffer, incoming frames only, a thread).
 * On FreeBSD recv_spec's `netns` names the jail to count in (NULL: the host). */
#include <sys/param.h>		/* before sys/jail.h: struct xprison's MAXPATHLEN */
#include <sys/ioctl.h>
#include <sys/jail.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <net/bpf.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <jail.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "recv.h"

#define RECV_BATCH	64
#define RECV_BPF_BUF	(4u << 20)	/* asked for; the kernel caps it (net.bpf.maxbufsize) */
#define RECV_SNAP	64		/* bytes of each frame BPF copies: the headers */
#define RECV_RCVBUF	(32 << 20)	/* the UDP sink's socket buffer, asked for */

/* What the sink's child and the caller share. */
struct recv_shared {
	uint64_t	count;
	volatile int	stop;
	volatile int	ready;		/* 1 bound, -1 failed (msg says why) */
	int		rcvbuf;		/* the socket buffer obtained */
	char		msg[256];
};

struct recv_counter {
	enum recv_kind	kind;
	uint16_t	port;
	int		fd;		/* RECV_WIRE: the BPF descriptor */
	uint8_t		*buf;
	u_int		buflen;
	pthread_t	thr;
	int		started;
	volatile int	stop;
	uint64_t	count;		/* RECV_WIRE: atomics, read by the caller's thread */
	uint64_t	drops;
	struct recv_shared *sh;		/* RECV_UDP */
	pid_t		pid;
};

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The largest receive buffer up to RECV_RCVBUF the kernel grants: SO_RCVBUF fails
 * with ENOBUFS above kern.ipc.maxsockbuf's share for data (sbreserve_locked in
 * sys/kern/uipc_sockbuf.c; the default maxsockbuf is 2 MiB), and a failure ignored
 * would leave the default buffer (net.inet.udp.recvspace), losing datagrams at rates
 * the bench then blames on pf. Halved until granted; the size obtained is returned. */
static int
rcvbuf(int fd)
{
	int want, got = 0;
	socklen_t len = sizeof(got);

	for (want = RECV_RCVBUF; want >= 65536; want /= 2)
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want)) == 0)
			break;
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) == -1)
		return (0);
	return (got);
}

/* The child: in the jail, bound to the port on the jail's address, counting. It ends
 * when told to or when its parent is gone. */
static void
udp_child(struct recv_shared *sh, int jid, uint16_t port, pid_t parent)
{
	static uint8_t data[RECV_BATCH][2048];
	struct mmsghdr m[RECV_BATCH];
	struct iovec iov[RECV_BATCH];
	struct sockaddr_in sin;
	struct timeval tv = { 0, 50000 };
	int fd, i, n;

	if (jid > 0 && jail_attach(jid) == -1) {
		snprintf(sh->msg, sizeof(sh->msg), "jail_attach %d: %s", jid, strerror(errno));
		goto fail;
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		goto syserr;
	sh->rcvbuf = rcvbuf(fd);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1)
		goto syserr;
	/* In a non-VNET jail INADDR_ANY is the jail's own address. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		goto syserr;
	sh->ready = 1;
	while (!sh->stop && getppid() == parent) {
		memset(m, 0, sizeof(m));
		for (i = 0; i < RECV_BATCH; i++) {
			iov[i].iov_base = data[i];
			iov[i].iov_len = sizeof(data[i]);
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		if ((n = (int)recvmmsg(fd, m, RECV_BATCH, MSG_WAITFORONE, NULL)) > 0)
			__atomic_add_fetch(&sh->count, (uint64_t)n, __ATOMIC_RELAXED);
	}
	_exit(0);
syserr:
	snprintf(sh->msg, sizeof(sh->msg), "udp sink on port %u: %s", port,
	    strerror(errno));
fail:
	sh->ready = -1;
	_exit(1);
}

static int
udp_start(struct recv_counter *c, const char *jail, char *err, size_t errlen)
{
	int jid = 0, i;

	if (jail != NULL && (jid = jail_getid(jail)) == -1) {
		snprintf(err, errlen, "udp sink: jail %s: %s", jail, jail_errmsg);
		return (-1);
	}
	c->sh = mmap(NULL, sizeof(*c->sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON,
	    -1, 0);
	if (c->sh == MAP_FAILED) {
		c->sh = NULL;
		snprintf(err, errlen, "udp sink: mmap: %s", strerror(errno));
		return (-1);
	}
	memset(c->sh, 0, sizeof(*c->sh));
	if ((c->pid = fork()) == -1) {
		snprintf(err, errlen, "udp sink: fork: %s", strerror(errno));
		return (-1);
	}
	if (c->pid == 0)
		udp_child(c->sh, jid, c->port, getppid());
	for (i = 0; i < 500 && c->sh->ready == 0; i++)
		sleep_ms(10);
	if (c->sh->ready != 1) {
		snprintf(err, errlen, "%s", c->sh->ready == -1 ? c->sh->msg :
		    "udp sink: the jail's child did not start within 5 s");
		return (-1);
	}
	if (c->sh->rcvbuf < RECV_RCVBUF)
		fprintf(stderr, "bench: udp sink: a %d-byte socket buffer, not %d: "
		    "kern.ipc.maxsockbuf is too small for more (vagrant/provision.sh raises "
		    "it); expect drops at the sink at high rates\n", c->sh->rcvbuf,
		    RECV_RCVBUF);
	return (0);
}

static int
wire_open(struct recv_counter *c, const char *ifname, char *err, size_t errlen)
{
	static struct bpf_insn snap[] = { BPF_STMT(BPF_RET + BPF_K, RECV_SNAP) };
	struct bpf_program prog = { 1, snap };
	struct timeval tv = { 0, 50000 };
	struct ifreq ifr;
	u_int len = RECV_BPF_BUF, dir = BPF_D_IN;

	if ((c->fd = open("/dev/bpf", O_RDONLY)) == -1)
		goto fail;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	/* The buffer size must be set before the interface. */
	if (ioctl(c->fd, BIOCSBLEN, &len) == -1 ||
	    ioctl(c->fd, BIOCSETIF, &ifr) == -1 ||
	    ioctl(c->fd, BIOCGBLEN, &c->buflen) == -1 ||
	    ioctl(c->fd, BIOCSETF, &prog) == -1 ||
	    /* what the host sends to the wire, not what a generator writes there */
	    ioctl(c->fd, BIOCSDIRECTION, &dir) == -1 ||
	    ioctl(c->fd, BIOCSRTIMEOUT, &tv) == -1)
		goto fail;
	if ((c->buf = malloc(c->buflen)) == NULL)
		goto fail;
	return (0);
fail:
	snprintf(err, errlen, "wire counter on %s: %s", ifname, strerror(errno));
	return (-1);
}

static void *
wire_loop(void *arg)
{
	struct recv_counter *c = arg;
	const struct bpf_hdr *h;
	ssize_t n;
	size_t off;
	uint64_t k;

	while (!c->stop) {
		if ((n = read(c->fd, c->buf, c->buflen)) <= 0)
			continue;	/* the read timeout: look at stop */
		for (off = 0, k = 0; off + sizeof(*h) <= (size_t)n;
		    off += BPF_WORDALIGN(h->bh_hdrlen + h->bh_caplen)) {
			h = (const struct bpf_hdr *)(c->buf + off);
			k += recv_wire_match(c->port, c->buf + off + h->bh_hdrlen,
			    h->bh_caplen);
		}
		__atomic_add_fetch(&c->count, k, __ATOMIC_RELAXED);
	}
	return (NULL);
}

struct recv_counter *
recv_start(const struct recv_spec *s, char *err, size_t errlen)
{
	struct recv_counter *c;
	int rc = -1;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "receiver: out of memory");
		return (NULL);
	}
	c->kind = s->kind;
	c->port = s->port;
	c->fd = -1;
	c->pid = -1;
	switch (s->kind) {
	case RECV_UDP:
		rc = udp_start(c, s->netns, err, errlen);
		break;
	case RECV_WIRE:
		rc = wire_open(c, s->ifname, err, errlen);
		if (rc == 0 && (errno = pthread_create(&c->thr, NULL, wire_loop, c)) != 0) {
			snprintf(err, errlen, "receiver: thread: %s", strerror(errno));
			rc = -1;
		} else if (rc == 0)
			c->started = 1;
		break;
	}
	if (rc == -1) {
		recv_stop(c);
		return (NULL);
	}
	return (c);
}

uint64_t
recv_count(struct recv_counter *c)
{
	if (c->kind == RECV_UDP)
		return (__atomic_load_n(&c->sh->count, __ATOMIC_RELAXED));
	return (__atomic_load_n(&c->count, __ATOMIC_RELAXED));
}

/* RECV_WIRE: BPF's own drops (its buffer full). RECV_UDP: 0, because FreeBSD keeps
 * no per-socket drop counter (udps_fullsock in net.inet.udp.stats is the host's). */
uint64_t
recv_drops(struct recv_counter *c)
{
	struct bpf_stat st;

	if (c->kind == RECV_WIRE && ioctl(c->fd, BIOCGSTATS, &st) == 0)
		__atomic_store_n(&c->drops, (uint64_t)st.bs_drop, __ATOMIC_RELAXED);
	return (__atomic_load_n(&c->drops, __ATOMIC_RELAXED));
}

void
recv_stop(struct recv_counter *c)
{
	if (c == NULL)
		return;
	c->stop = 1;
	if (c->started)
		pthread_join(c->thr, NULL);
	if (c->sh != NULL) {
		c->sh->stop = 1;
		if (c->pid > 0)
			while (waitpid(c->pid, NULL, 0) == -1 && errno == EINTR)
				;
		munmap(c->sh, sizeof(*c->sh));
	}
	free(c->buf);
	if (c->fd != -1)
		close(c->fd);
	free(c);
}
