/* pcapfile.h: a classic pcap file writer (Ethernet link type), no library, so that an
 * unprivileged target without libpcap still leaves a capture per probe. */
#ifndef PCAPFILE_H
#define PCAPFILE_H

#include <stddef.h>
#include <stdint.h>

struct pcapfile;

/* Create (truncate) `path` and write the file header. NULL with a message in err. */
struct pcapfile *pcapfile_open(const char *path, char *err, size_t errlen);
/* Append one L3 packet (IPv4 or IPv6, told by its version nibble) wrapped in an Ethernet
 * header src -> dst, stamped t_us microseconds since the epoch. 0, or -1 on a write error. */
int	pcapfile_write_l3(struct pcapfile *, const uint8_t *l3, size_t len,
	    const uint8_t src_mac[6], const uint8_t dst_mac[6], uint64_t t_us);
/* Flush and close; 0, or -1 when a write failed. pcapfile_close(NULL) is a no-op. */
int	pcapfile_close(struct pcapfile *);

#endif
