/* wire.c: capture and inject frames on one interface (libpcap: only wire/ uses it). */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <net/if.h>

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wire.h"
#include "wire_netns.h"
#include "wire_pcap.h"

/* A frame of the dump, held until the dump is closed and written in time order. */
struct wire_rec {
	uint64_t	 t_us;		/* real time, microseconds since the epoch */
	size_t		 len, seq;	/* seq: arrival order, for equal stamps */
	uint8_t		*data;
};

#define WIRE_DUMP_HOLD	(32u << 20)	/* bytes held before an early write */

struct wire {
	pcap_t		*p;
	struct wire_pcap *dump;
	struct wire_rec	*rec;		/* the dump's frames not written yet */
	size_t		 nrec, crec, held;
	int		(*skip)(const uint8_t *, size_t);	/* left out of the dump */
	int		 fd;
	uint8_t		 mac[6];
	char		 ifname[IFNAMSIZ];
};

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static uint64_t
now_us(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000);
}

/* Create and activate the capture in the current namespace. */
static int
activate(struct wire *w, const char *filter, int flags, char *err, size_t errlen)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	int rc;

	if ((w->p = pcap_create(w->ifname, eb)) == NULL) {
		seterr(err, errlen, "%s: %s", w->ifname, eb);
		return (-1);
	}
	if (pcap_set_snaplen(w->p, WIRE_PCAP_SNAPLEN) != 0 ||
	    pcap_set_promisc(w->p, 1) != 0 || pcap_set_immediate_mode(w->p, 1) != 0 ||
	    pcap_set_buffer_size(w->p, 8 * 1024 * 1024) != 0) {
		seterr(err, errlen, "%s: cannot set capture options", w->ifname);
		return (-1);
	}
	if ((rc = pcap_activate(w->p)) < 0) {
		seterr(err, errlen, "%s: %s", w->ifname, rc == PCAP_ERROR ?
		    pcap_geterr(w->p) : pcap_statustostr(rc));
		return (-1);
	}
	if ((flags & WIRE_IN_ONLY) && pcap_setdirection(w->p, PCAP_D_IN) == -1) {
		seterr(err, errlen, "%s: %s", w->ifname, pcap_geterr(w->p));
		return (-1);
	}
	if (filter != NULL) {
		if (pcap_compile(w->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) == -1) {
			seterr(err, errlen, "filter \"%s\": %s", filter, pcap_geterr(w->p));
			return (-1);
		}
		rc = pcap_setfilter(w->p, &prog);
		pcap_freecode(&prog);
		if (rc == -1) {
			seterr(err, errlen, "filter \"%s\": %s", filter, pcap_geterr(w->p));
			return (-1);
		}
	}
	if (pcap_setnonblock(w->p, 1, eb) == -1 || (w->fd = pcap_get_selectable_fd(w->p)) < 0) {
		seterr(err, errlen, "%s: cannot poll the capture: %s", w->ifname, eb);
		return (-1);
	}
	if (wire_netns_if_mac(w->ifname, w->mac) == -1) {
		seterr(err, errlen, "%s: no Ethernet address", w->ifname);
		return (-1);
	}
	return (0);
}

struct wire *
wire_open_in_netns(const char *netns_name, const char *ifname, const char *filter,
    int flags, char *err, size_t errlen)
{
	struct wire *w;
	int back = -1, rc;

	if (strlen(ifname) >= IFNAMSIZ) {
		seterr(err, errlen, "interface name \"%s\" too long", ifname);
		return (NULL);
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		seterr(err, errlen, "out of memory");
		return (NULL);
	}
	w->fd = -1;
	snprintf(w->ifname, sizeof(w->ifname), "%s", ifname);
	if (netns_name != NULL && wire_netns_enter(netns_name, &back, err, errlen) == -1) {
		free(w);
		return (NULL);
	}
	rc = activate(w, filter, flags, err, errlen);
	if (netns_name != NULL && wire_netns_leave(back) == -1) {
		/* Nothing sane is left to do in a thread stuck in the wrong namespace. */
		seterr(err, errlen, "cannot return from netns %s: %s", netns_name,
		    strerror(errno));
		rc = -1;
	}
	if (rc == -1) {
		wire_close(w);
		return (NULL);
	}
	return (w);
}

struct wire *
wire_open(const char *netns_name, const char *ifname, char *err, size_t errlen)
{
	return (wire_open_in_netns(netns_name, ifname, NULL, WIRE_IN_ONLY, err, errlen));
}

void
wire_close(struct wire *w)
{
	if (w == NULL)
		return;
	wire_dump_close(w);
	free(w->rec);
	if (w->p != NULL)
		pcap_close(w->p);
	free(w);
}

int
wire_fd(const struct wire *w)
{
	return (w->fd);
}

const uint8_t *
wire_mac(const struct wire *w)
{
	return (w->mac);
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct wire_rec *x = a, *y = b;

	if (x->t_us != y->t_us)
		return (x->t_us < y->t_us ? -1 : 1);
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/* Write the held frames to the dump in time order (arrival order for equal stamps),
 * but those the skip function leaves out. */
static void
dump_flush(struct wire *w)
{
	size_t i;

	if (w->nrec > 1)
		qsort(w->rec, w->nrec, sizeof(*w->rec), rec_cmp);
	for (i = 0; i < w->nrec; i++) {
		if (w->dump != NULL && (w->skip == NULL ||
		    !w->skip(w->rec[i].data, w->rec[i].len)))
			(void)wire_pcap_write(w->dump, w->rec[i].data, w->rec[i].len,
			    w->rec[i].t_us);
		free(w->rec[i].data);
	}
	w->nrec = 0;
	w->held = 0;
}

/* Hold a frame for the dump, stamped t_us (real time). The dump is written when it is
 * closed: frames the harness sends are held when sent and frames it captures when
 * read, later than the kernel stamped them, so only sorting puts the file in order. */
static void
dump_frame(struct wire *w, const uint8_t *data, size_t len, uint64_t t_us)
{
	struct wire_rec *nr;
	size_t n;

	if (w->dump == NULL)
		return;
	if (w->nrec == w->crec) {
		n = w->crec ? w->crec * 2 : 64;
		if ((nr = realloc(w->rec, n * sizeof(*nr))) == NULL)
			return;
		w->rec = nr;
		w->crec = n;
	}
	if ((w->rec[w->nrec].data = malloc(len)) == NULL)
		return;
	memcpy(w->rec[w->nrec].data, data, len);
	w->rec[w->nrec].len = len;
	w->rec[w->nrec].t_us = t_us;
	w->rec[w->nrec].seq = w->nrec;
	w->nrec++;
	if ((w->held += len) > WIRE_DUMP_HOLD)
		dump_flush(w);		/* a long probe: order kept within each part */
}

int
wire_inject(struct wire *w, const uint8_t *frame, size_t len, char *err, size_t errlen)
{
	/* Stamped before it is sent, on the clock the kernel stamps captures with: every
	 * frame the host sends in answer is captured after this instant. */
	uint64_t t_us = now_us(CLOCK_REALTIME);

	if (pcap_inject(w->p, frame, len) != (int)len) {
		seterr(err, errlen, "%s: inject: %s", w->ifname, pcap_geterr(w->p));
		return (-1);
	}
	dump_frame(w, frame, len, t_us);
	return (0);
}

int
wire_read(struct wire *w, struct wire_frame *f, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t wall, age;
	int rc;

	rc = pcap_next_ex(w->p, &h, &data);
	if (rc == 0 || rc == PCAP_ERROR_BREAK)
		return (0);
	if (rc != 1) {
		seterr(err, errlen, "%s: capture: %s", w->ifname, pcap_geterr(w->p));
		return (-1);
	}
	f->data = data;
	f->len = h->caplen;
	f->wall_us = (uint64_t)h->ts.tv_sec * 1000000 + (uint64_t)h->ts.tv_usec;
	/* The capture stamp is wall-clock time; carry its age over to the monotonic clock. */
	wall = now_us(CLOCK_REALTIME);
	age = wall > f->wall_us ? wall - f->wall_us : 0;
	f->t_us = now_us(CLOCK_MONOTONIC) - age;
	dump_frame(w, data, h->caplen, f->wall_us);
	return (1);
}

int
wire_recv(struct wire *w, uint8_t *buf, size_t cap, uint64_t *t_us)
{
	struct wire_frame f;
	int rc;

	if ((rc = wire_read(w, &f, NULL, 0)) != 1)
		return (rc);
	memcpy(buf, f.data, f.len < cap ? f.len : cap);
	*t_us = f.t_us;
	return ((int)f.len);
}

int
wire_wait(struct wire *w, int timeout_ms, struct wire_frame *f, char *err, size_t errlen)
{
	uint64_t end = now_us(CLOCK_MONOTONIC) + (uint64_t)timeout_ms * 1000, now;
	struct pollfd pfd;
	int rc;

	for (;;) {
		if ((rc = wire_read(w, f, err, errlen)) != 0)
			return (rc);
		if ((now = now_us(CLOCK_MONOTONIC)) >= end)
			return (0);
		pfd.fd = w->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)((end - now + 999) / 1000)) == -1 && errno != EINTR) {
			seterr(err, errlen, "poll: %s", strerror(errno));
			return (-1);
		}
	}
}

int
wire_drain(struct wire *w)
{
	struct wire_frame f;
	int n = 0;

	while (wire_read(w, &f, NULL, 0) == 1)
		n++;
	return (n);
}

int
wire_dump_open(struct wire *w, const char *path, char *err, size_t errlen)
{
	wire_dump_close(w);
	/* The file says Ethernet and WIRE_PCAP_SNAPLEN, as the capture is (activate). */
	if (pcap_datalink(w->p) != DLT_EN10MB) {
		seterr(err, errlen, "%s: %s is not an Ethernet capture", path, w->ifname);
		return (-1);
	}
	if ((w->dump = wire_pcap_open(path, err, errlen)) == NULL)
		return (-1);
	return (0);
}

void
wire_dump_close(struct wire *w)
{
	dump_flush(w);
	(void)wire_pcap_close(w->dump);
	w->dump = NULL;
}

void
wire_dump_skip(struct wire *w, int (*skip)(const uint8_t *frame, size_t len))
{
	w->skip = skip;
}

int
wire_answer_neighbour(struct wire *w, const uint8_t *frame, size_t len,
    const uint8_t mac[6], const struct pkt_addr *addrs, int n, char *err, size_t errlen)
{
	struct pkt_addr target, sender;
	uint8_t smac[6], out[128];
	int i, olen, arp;

	if ((arp = pkt_decode_arp_request(frame, len, &target, smac, &sender)) == 0 &&
	    pkt_decode_ns(frame, len, &target, smac, &sender) == 0)
		return (0);
	for (i = 0; i < n; i++)
		if (pkt_addr_eq(&addrs[i], &target))
			break;
	if (i == n)
		return (0);
	olen = arp ? pkt_build_arp_reply(mac, &target, smac, &sender, out, sizeof(out),
	    err, errlen) : pkt_build_na(mac, &target, smac, &sender, out, sizeof(out),
	    err, errlen);
	if (olen == -1 || wire_inject(w, out, (size_t)olen, err, errlen) == -1)
		return (-1);
	return (1);
}
