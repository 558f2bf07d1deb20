/* wire_pcap.h: pcap files of Ethernet frames, written with libpcap: the wire's dump of
 * each probe and the model target's simulated wire. */
#ifndef WIRE_PCAP_H
#define WIRE_PCAP_H

#include <stddef.h>
#include <stdint.h>

/* The files' snap length (link type EN10MB, microsecond stamps): above any frame here. */
#define WIRE_PCAP_SNAPLEN	65535

struct wire_pcap;

/* Create (truncate) `path` ("-": standard output, as libpcap has it) and write the file
 * header. Returns the file (close with wire_pcap_close), or NULL with a message naming
 * path in err. */
struct wire_pcap *wire_pcap_open(const char *path, char *err, size_t errlen);
/* Append one Ethernet frame stamped t_us microseconds since the epoch (cut at the snap
 * length, its record keeping the whole length). 0, or -1 on a write error. */
int	wire_pcap_write(struct wire_pcap *, const uint8_t *frame, size_t len,
	    uint64_t t_us);
/* Append one L3 packet (IPv4 or IPv6, told by its version nibble) wrapped in an
 * Ethernet header src -> dst, stamped t_us. 0, or -1 when len is 0, the frame would pass
 * the snap length, or the write failed. */
int	wire_pcap_write_l3(struct wire_pcap *, const uint8_t *l3, size_t len,
	    const uint8_t src_mac[6], const uint8_t dst_mac[6], uint64_t t_us);
/* Flush and close; 0, or -1 when a write failed. wire_pcap_close(NULL) is a no-op. */
int	wire_pcap_close(struct wire_pcap *);

#endif
