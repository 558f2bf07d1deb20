/* wire_pcap.c: write pcap files with libpcap (pcap_open_dead, pcap_dump), no capture. */
#include <sys/types.h>
#include <sys/time.h>

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire_pcap.h"

#define WIRE_PCAP_ETHER_HDR	14

struct wire_pcap {
	pcap_t		*dead;		/* no capture: link type and snap length only */
	pcap_dumper_t	*dump;
	uint8_t		 frame[WIRE_PCAP_SNAPLEN];	/* wire_pcap_write_l3's frame */
};

struct wire_pcap *
wire_pcap_open(const char *path, char *err, size_t errlen)
{
	struct wire_pcap *p;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return (NULL);
	}
	if ((p->dead = pcap_open_dead(DLT_EN10MB, WIRE_PCAP_SNAPLEN)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		free(p);
		return (NULL);
	}
	/* libpcap's message already names the file: "path: reason". */
	if ((p->dump = pcap_dump_open(p->dead, path)) == NULL) {
		snprintf(err, errlen, "%s", pcap_geterr(p->dead));
		pcap_close(p->dead);
		free(p);
		return (NULL);
	}
	return (p);
}

int
wire_pcap_write(struct wire_pcap *p, const uint8_t *frame, size_t len, uint64_t t_us)
{
	struct pcap_pkthdr h;

	h.ts.tv_sec = (time_t)(t_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(t_us % 1000000);
	h.len = (bpf_u_int32)len;
	h.caplen = (bpf_u_int32)(len < WIRE_PCAP_SNAPLEN ? len : WIRE_PCAP_SNAPLEN);
	pcap_dump((u_char *)p->dump, &h, frame);
	/* pcap_dump returns nothing: a failed write shows on the stream. */
	return (ferror(pcap_dump_file(p->dump)) ? -1 : 0);
}

int
wire_pcap_write_l3(struct wire_pcap *p, const uint8_t *l3, size_t len,
    const uint8_t src_mac[6], const uint8_t dst_mac[6], uint64_t t_us)
{
	uint8_t *eth = p->frame;

	if (len == 0 || len > WIRE_PCAP_SNAPLEN - WIRE_PCAP_ETHER_HDR)
		return (-1);
	memcpy(eth, dst_mac, 6);
	memcpy(eth + 6, src_mac, 6);
	if ((l3[0] >> 4) == 6) {
		eth[12] = 0x86;
		eth[13] = 0xdd;
	} else {
		eth[12] = 0x08;
		eth[13] = 0x00;
	}
	memcpy(eth + WIRE_PCAP_ETHER_HDR, l3, len);
	return (wire_pcap_write(p, eth, WIRE_PCAP_ETHER_HDR + len, t_us));
}

int
wire_pcap_close(struct wire_pcap *p)
{
	int rv;

	if (p == NULL)
		return (0);
	/* pcap_dump_close cannot fail aloud: flush first to learn of a failed write. */
	rv = pcap_dump_flush(p->dump) == -1 || ferror(pcap_dump_file(p->dump)) ? -1 : 0;
	pcap_dump_close(p->dump);
	pcap_close(p->dead);
	free(p);
	return (rv);
}
