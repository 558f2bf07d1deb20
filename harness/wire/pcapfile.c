/* pcapfile.c: write the classic pcap file format (tcpdump's, link type EN10MB) by hand. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapfile.h"

#define PCAPFILE_MAGIC		0xa1b2c3d4u	/* microsecond timestamps, native order */
#define PCAPFILE_SNAPLEN	65535u
#define PCAPFILE_LINK_EN10MB	1u
#define PCAPFILE_ETHER_HDR	14

struct pcapfile {
	FILE	*f;
	int	 error;
};

struct pcapfile *
pcapfile_open(const char *path, char *err, size_t errlen)
{
	struct pcapfile *p;
	struct {
		uint32_t	magic;
		uint16_t	major, minor;
		int32_t		thiszone;
		uint32_t	sigfigs, snaplen, link;
	} hdr;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		return (NULL);
	}
	if ((p->f = fopen(path, "wb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(p);
		return (NULL);
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.magic = PCAPFILE_MAGIC;
	hdr.major = 2;
	hdr.minor = 4;
	hdr.snaplen = PCAPFILE_SNAPLEN;
	hdr.link = PCAPFILE_LINK_EN10MB;
	if (sizeof(hdr) != 24 || fwrite(&hdr, sizeof(hdr), 1, p->f) != 1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(p->f);
		free(p);
		return (NULL);
	}
	return (p);
}

int
pcapfile_write_l3(struct pcapfile *p, const uint8_t *l3, size_t len,
    const uint8_t src_mac[6], const uint8_t dst_mac[6], uint64_t t_us)
{
	uint8_t eth[PCAPFILE_ETHER_HDR];
	uint32_t rec[4];

	if (len == 0 || len > PCAPFILE_SNAPLEN - PCAPFILE_ETHER_HDR)
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
	rec[0] = (uint32_t)(t_us / 1000000);
	rec[1] = (uint32_t)(t_us % 1000000);
	rec[2] = rec[3] = (uint32_t)(len + PCAPFILE_ETHER_HDR);
	if (fwrite(rec, sizeof(rec), 1, p->f) != 1 ||
	    fwrite(eth, sizeof(eth), 1, p->f) != 1 ||
	    fwrite(l3, len, 1, p->f) != 1) {
		p->error = 1;
		return (-1);
	}
	return (0);
}

int
pcapfile_close(struct pcapfile *p)
{
	int rv;

	if (p == NULL)
		return (0);
	rv = p->error ? -1 : 0;
	if (fclose(p->f) != 0)
		rv = -1;
	free(p);
	return (rv);
}
