/* wire_read.c: capture files read back with libpcap (wire_read.h): each record's IP
 * packet found behind the link layer, with the direction and interface the link
 * layer tells. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "wire_read.h"

/* Link types libpcap may lack the names of (values from its registry). */
#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2	276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4	228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6	229
#endif

/* pflog's header (FreeBSD's struct pfloghdr): its length at 0, the interface at 4,
 * the direction at 60 (PF_IN 1, PF_OUT 2). */
#define PFLOG_IFNAME	4
#define PFLOG_DIR	60
#define PFLOG_MIN	61

struct wire_rd {
	pcap_t		*p;
	int		 dlt;
};

static struct wire_rd *
rd_new(pcap_t *p, char *err, size_t errlen)
{
	struct wire_rd *r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		pcap_close(p);
		return (NULL);
	}
	r->p = p;
	r->dlt = pcap_datalink(p);
	return (r);
}

struct wire_rd *
wire_rd_open(const char *path, char *err, size_t errlen)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *p;

	if ((p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_MICRO, eb)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, eb);
		return (NULL);
	}
	return (rd_new(p, err, errlen));
}

struct wire_rd *
wire_rd_open_mem(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	FILE *f;

	if (len == 0 || (f = fmemopen((void *)(uintptr_t)buf, len, "rb")) == NULL) {
		snprintf(err, errlen, "empty capture");
		return (NULL);
	}
	if ((p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO,
	    eb)) == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s", eb);
		return (NULL);
	}
	return (rd_new(p, err, errlen));
}

/* The L3 packet behind an Ethernet type at b[type_at]: its offset, or -1 (why set). */
static long
ether_l3(const uint8_t *b, size_t n, size_t type_at, struct wire_rec *r)
{
	unsigned int type;

	for (;;) {
		if (type_at + 2 > n) {
			r->skip = "cut short";
			return (-1);
		}
		type = (unsigned int)b[type_at] << 8 | b[type_at + 1];
		if (type != 0x8100 && type != 0x88a8)
			break;
		type_at += 4;	/* a VLAN tag: its type follows it */
	}
	if (type == 0x0800 || type == 0x86dd)
		return ((long)type_at + 2);
	r->skip = type == 0x0806 ? "ARP" : "not IP";
	return (-1);
}

/* Where the IP packet of this link type's frame starts (-1: none, r->skip says why);
 * the direction and interface the link layer gives go into r. */
static long
l3_offset(int dlt, const uint8_t *b, size_t n, struct wire_rec *r)
{
	switch (dlt) {
	case DLT_EN10MB:
		return (ether_l3(b, n, 12, r));
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return (0);
	case DLT_NULL:
	case DLT_LOOP:
		return (4);	/* the family's number differs between systems: the
				 * IP version says */
	case DLT_LINUX_SLL:
		if (n >= 2)	/* 4: sent by this host; 0-3: received */
			r->dir = (b[0] << 8 | b[1]) == 4 ? WIRE_DIR_OUT : WIRE_DIR_IN;
		return (ether_l3(b, n, 14, r));
	case DLT_LINUX_SLL2:
		if (n >= 11)
			r->dir = b[10] == 4 ? WIRE_DIR_OUT : WIRE_DIR_IN;
		return (ether_l3(b, n, 0, r) == -1 ? -1 : 20);
	case DLT_PFLOG:
		if (n < PFLOG_MIN || b[0] < PFLOG_MIN) {
			r->skip = "cut short";
			return (-1);
		}
		memcpy(r->ifname, b + PFLOG_IFNAME, sizeof(r->ifname) - 1);
		r->ifname[sizeof(r->ifname) - 1] = '\0';
		r->dir = b[PFLOG_DIR] == 2 ? WIRE_DIR_OUT : b[PFLOG_DIR] == 1 ?
		    WIRE_DIR_IN : WIRE_DIR_UNKNOWN;
		return (((long)b[0] + 3) & ~3L);	/* BPF_WORDALIGN */
	default:
		r->skip = "a link type pfharness does not read";
		return (-1);
	}
}

int
wire_rd_next(struct wire_rd *rd, struct wire_rec *r, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *b;
	long off;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = pcap_next_ex(rd->p, &h, &b)) == PCAP_ERROR_BREAK)
		return (0);
	if (rc != 1) {
		snprintf(err, errlen, "%s", pcap_geterr(rd->p));
		return (-1);
	}
	r->t_us = (uint64_t)h->ts.tv_sec * 1000000 + (uint64_t)h->ts.tv_usec;
	r->wire_len = h->len;
	if ((off = l3_offset(rd->dlt, b, h->caplen, r)) < 0)
		return (1);
	if ((size_t)off >= h->caplen || ((b[off] >> 4) != 4 && (b[off] >> 4) != 6)) {
		r->skip = (size_t)off >= h->caplen ? "cut short" : "not IP";
		return (1);
	}
	r->l3 = b + off;
	r->len = h->caplen - (size_t)off;
	return (1);
}

const char *
wire_rd_linktype(const struct wire_rd *rd)
{
	const char *n = pcap_datalink_val_to_name(rd->dlt);

	return (n != NULL ? n : "unknown");
}

void
wire_rd_close(struct wire_rd *rd)
{
	if (rd == NULL)
		return;
	pcap_close(rd->p);
	free(rd);
}
