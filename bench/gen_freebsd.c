/* gen_freebsd.c: the packet generator on FreeBSD (gen.h): the frames of gen_tmpl.c's
 * template (built once, patched per packet, the same as on Linux) written to a BPF
 * descriptor bound to the wire's interface (BIOCSHDRCMPLT: the template's own source
 * MAC), with gen_tmpl.c's rate control.
 * netmap is not used: the wires are epairs, which have no native netmap support, and
 * netmap's emulated adapter on them would go through if_transmit as BPF does. */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <net/bpf.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "gen_freebsd.h"
#include "gen_tmpl.h"

#define GEN_BATCH	256		/* frames between two looks at the clock */

/* The send path: a BPF descriptor and the frame being written. */
struct gen_sys {
	int		fd;
	char		ifname[IFNAMSIZ];
	uint8_t		frame[PKT_FRAME_MAX];
};

size_t
gen_sys_frame_max(void)
{
	return (PKT_FRAME_MAX);
}

void
gen_sys_close(struct gen_sys *y)
{
	if (y == NULL)
		return;
	if (y->fd != -1)
		close(y->fd);
	free(y);
}

/*
 * What an epair carried. A frame written to BPF goes through ether_output_frame to
 * if_transmit, epair_transmit (sys/net/if_epair.c), which queues it for the other side
 * in epair_menq; when that queue is full, epair_menq frees the frame and counts it in
 * the sending interface's IFCOUNTER_OQDROPS, and epair_transmit still returns 0, so the
 * write(2) succeeds. ENOBUFS is not what a full epair says: the frames written minus
 * the growth of the interface's output drops (if_data's ifi_oqdrops, which getifaddrs
 * hands out with the AF_LINK entry) are what was sent.
 */
uint64_t
gen_fbsd_carried(uint64_t written, uint64_t oqdrops0, uint64_t oqdrops1)
{
	uint64_t lost = oqdrops1 >= oqdrops0 ? oqdrops1 - oqdrops0 : 0;

	return (lost < written ? written - lost : 0);
}

/* The interface's output drops. 0, or -1 when it has no link-level entry. */
static int
oqdrops(const char *ifname, uint64_t *n)
{
	struct ifaddrs *all, *i;
	int rc = -1;

	if (getifaddrs(&all) == -1)
		return (-1);
	for (i = all; i != NULL && rc == -1; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_LINK &&
		    i->ifa_data != NULL && strcmp(i->ifa_name, ifname) == 0) {
			*n = ((const struct if_data *)i->ifa_data)->ifi_oqdrops;
			rc = 0;
		}
	freeifaddrs(all);
	return (rc);
}

/* A BPF descriptor that writes complete frames on ifname and reads nothing: bound to
 * the interface first, then given a filter that rejects every frame (the order of
 * bpf(4) and libpcap), so that the interface's traffic is not copied to it. */
struct gen_sys *
gen_sys_open(const char *ifname, char *err, size_t errlen)
{
	static struct bpf_insn none[] = { BPF_STMT(BPF_RET + BPF_K, 0) };
	struct bpf_program prog = { 1, none };
	struct ifreq ifr;
	struct gen_sys *y;
	u_int one = 1;

	if ((y = calloc(1, sizeof(*y))) == NULL) {
		snprintf(err, errlen, "generator: out of memory");
		return (NULL);
	}
	snprintf(y->ifname, sizeof(y->ifname), "%s", ifname);
	if ((y->fd = open("/dev/bpf", O_RDWR)) == -1)
		goto fail;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(y->fd, BIOCSETIF, &ifr) == -1 ||
	    ioctl(y->fd, BIOCSETF, &prog) == -1 ||
	    ioctl(y->fd, BIOCSHDRCMPLT, &one) == -1)
		goto fail;
	return (y);
fail:
	snprintf(err, errlen, "generator on %s: /dev/bpf: %s", ifname, strerror(errno));
	gen_sys_close(y);
	return (NULL);
}

/* One write(2) per frame: bpfwrite() takes one packet per call and hands it to the
 * interface's if_output. A full epair drops silently (above): `sent` is the frames
 * written less the interface's output drops meanwhile. ENOBUFS (an interface that
 * does say so) is not counted: the frame is offered again. */
int
gen_sys_send(struct bench_gen *g, uint64_t count, double pps, double max_s,
    volatile sig_atomic_t *stop, struct gen_result *r, char *err, size_t errlen)
{
	struct gen_sys *y = g->sys;
	double t0 = bench_now();
	uint64_t sent = 0, want, i, oq0, oq1;

	if (y == NULL) {
		snprintf(err, errlen, "generator: opened without an interface");
		return (-1);
	}
	if (oqdrops(y->ifname, &oq0) == -1) {
		snprintf(err, errlen, "generator: %s: no interface counters", y->ifname);
		return (-1);
	}
	while (sent < count && (stop == NULL || !*stop)) {
		if (max_s > 0 && bench_now() - t0 > max_s)
			break;
		if ((want = gen_allowance(pps, t0, sent, GEN_BATCH)) == 0)
			continue;
		if (want > count - sent)
			want = count - sent;
		for (i = 0; i < want; i++) {
			gen_tmpl_patch(&g->t, g->next, y->frame);
			if (write(y->fd, y->frame, g->t.len) == (ssize_t)g->t.len) {
				sent++;
				if (++g->next == g->t.nflows)
					g->next = 0;
				continue;
			}
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
				sched_yield();
				break;
			}
			snprintf(err, errlen, "generator: write: %s", strerror(errno));
			return (-1);
		}
	}
	r->seconds = bench_now() - t0;
	if (oqdrops(y->ifname, &oq1) == -1) {
		snprintf(err, errlen, "generator: %s: no interface counters", y->ifname);
		return (-1);
	}
	r->sent = gen_fbsd_carried(sent, oq0, oq1);
	return (0);
}
