/* pkt.h: one packet as the harness speaks of it: written in tcpdump-like notation,
 * built into bytes (libnet, pkt_build.c), decoded from bytes with checksums verified
 * (pkt_decode.c), and matched against an expectation pattern (pkt_match.c). */
#ifndef PKT_H
#define PKT_H

#include <stddef.h>
#include <stdint.h>

#define PKT_PAYLOAD_MAX	1400
#define PKT_FRAME_MAX	2048

/* TCP flags as pf and tcpdump name them. */
#define PKT_TH_FIN	0x01
#define PKT_TH_SYN	0x02
#define PKT_TH_RST	0x04
#define PKT_TH_PUSH	0x08
#define PKT_TH_ACK	0x10
#define PKT_TH_URG	0x20

struct pkt_addr {
	int	af;		/* AF_INET, AF_INET6, 0 = unset */
	uint8_t	a[16];		/* network order; IPv4 in a[0..3] */
};

/* ICMP message types the notation names (icmp TYPE SRC > DST). */
enum pkt_icmp {
	PKT_ICMP_NONE = 0,
	PKT_ICMP_ECHO_REQUEST,
	PKT_ICMP_ECHO_REPLY,
	PKT_ICMP_UNREACH_PORT,
	PKT_ICMP_UNREACH_HOST,
	PKT_ICMP_UNREACH_NEEDFRAG,
	PKT_ICMP_TIMEX,
	PKT_ICMP_OTHER		/* decoded, not writable: raw type/code kept */
};

/* A concrete packet (L3 and up). */
struct pkt {
	int		proto;		/* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_ICMPV6 */
	struct pkt_addr	src, dst;
	uint16_t	sport, dport;	/* TCP/UDP; for ICMP echo: sport = id */
	uint8_t		flags;		/* TCP */
	uint32_t	seq, ack;	/* TCP */
	uint16_t	win;		/* TCP */
	uint8_t		ttl;		/* 0: builder default (64) */
	enum pkt_icmp	icmp;		/* ICMP/ICMPv6 */
	uint8_t		icmp_type, icmp_code;	/* raw, set by decode and build */
	uint16_t	icmp_seq;	/* echo sequence */
	/* ICMP errors quote the start of the packet that caused them. */
	int		has_quote;
	struct {
		int		proto;
		struct pkt_addr	src, dst;
		uint16_t	sport, dport;
	}		quote;
	size_t		len;		/* payload length */
	uint8_t		payload[PKT_PAYLOAD_MAX];
	/* `frag N [reverse]` (packets to send only): the packet goes out as IP fragments
	 * of N bytes of IP payload each (a multiple of 8; the last one shorter), first to
	 * last or last to first; 0: whole. pkt_build_frag_* builds them. */
	uint16_t	frag;
	uint8_t		frag_reverse;
	/* Set by pkt_decode: checksum verdicts (1 = good). */
	int		ip_sum_ok, l4_sum_ok, quote_sum_ok;
};

/* A field of an expectation: exact, a range LOW-HIGH, or `*`. */
struct pkt_range {
	int		set;		/* 0: not written, matches anything */
	uint32_t	lo, hi;		/* lo == hi for an exact value */
};

/* An expectation: the packet notation with `*` and ranges allowed. */
struct pkt_pat {
	int		proto;
	int		src_any, dst_any;	/* `*` in the address position */
	struct pkt_addr	src, dst;
	struct pkt_range sport, dport;
	int		flags_set;
	uint8_t		flags;
	struct pkt_range seq, ack, win, len;
	enum pkt_icmp	icmp;
	int		payload_set;
	size_t		payload_len;
	uint8_t		payload[PKT_PAYLOAD_MAX];
	/* ICMP errors: `quote PROTO SRC[:PORT] > DST[:PORT]` (pkt_text.c). */
	int		quote_set;
	int		quote_proto;
	int		quote_src_any, quote_dst_any;
	struct pkt_addr	quote_src, quote_dst;
	struct pkt_range quote_sport, quote_dport;
	uint16_t	frag;		/* `frag N [reverse]`: pkt_parse only */
	uint8_t		frag_reverse;
};

/* pkt_text.c (pkt_format, pkt_pat_format: pkt_format.c; pkt_match: pkt_match.c) */
/* Parse notation into a pattern; 0, or -1 with a message (no file:line) in err. */
int	pkt_pat_parse(const char *text, struct pkt_pat *, char *err, size_t errlen);
/* Parse notation into a concrete packet (no `*` or ranges); 0 or -1 with err.
 * Unwritten: seq 1000, ack 0, win 65535, echo id 1 seq 1; the checksum verdicts are set
 * to good (no bytes yet). The notation is documented at the top of pkt_text.c. */
int	pkt_parse(const char *text, struct pkt *, char *err, size_t errlen);
/* Write a packet in the notation; returns buf. */
char	*pkt_format(const struct pkt *, char *buf, size_t len);
char	*pkt_pat_format(const struct pkt_pat *, char *buf, size_t len);
/* 1 when the packet matches; else 0 and `why` gets the first mismatch written as
 * `field ip.src: expected 203.0.113.1 vs actual 10.99.0.1`. The fields first, then the
 * checksum verdicts: a bad one is `field tcp.sum: bad checksum` (ip.sum, udp.sum,
 * icmp.sum, icmp6.sum, quote.ip.sum). */
int	pkt_match(const struct pkt_pat *, const struct pkt *, char *why, size_t whylen);
/* Address helpers: parse "a.b.c.d" or "2001:db8::1" (no brackets); 0 or -1. */
int	pkt_addr_parse(const char *s, struct pkt_addr *);
char	*pkt_addr_format(const struct pkt_addr *, char *buf, size_t len);
int	pkt_addr_eq(const struct pkt_addr *, const struct pkt_addr *);

/* pkt_build.c (the only file that uses libnet) */
/* Build the L3 packet (IPv4/IPv6 header and up, checksums set) into buf.
 * Returns its length, or -1 with err. */
int	pkt_build_l3(const struct pkt *, uint8_t *buf, size_t cap, char *err, size_t errlen);
/* Build an Ethernet frame around the packet. Returns its length or -1. */
int	pkt_build_frame(const struct pkt *, const uint8_t src_mac[6],
	    const uint8_t dst_mac[6], uint8_t *buf, size_t cap, char *err, size_t errlen);
/* Both refuse a packet with `frag` (-1, err): a sender that cannot send fragments says
 * so. A sender that can asks how many frames the packet is (1 without `frag`; -1 with
 * err), then builds frame i of them, in sending order (IPv4: offset and MF, the id the
 * whole packet would have; IPv6: a fragment header after the fixed header). */
int	pkt_build_nfrag(const struct pkt *, char *err, size_t errlen);
int	pkt_build_frag_l3(const struct pkt *, int i, uint8_t *buf, size_t cap, char *err,
	    size_t errlen);
int	pkt_build_frag_frame(const struct pkt *, int i, const uint8_t src_mac[6],
	    const uint8_t dst_mac[6], uint8_t *buf, size_t cap, char *err, size_t errlen);
/* Build an ARP reply "ip is-at mac" to the asker. Returns its length or -1. */
int	pkt_build_arp_reply(const uint8_t mac[6], const struct pkt_addr *ip,
	    const uint8_t to_mac[6], const struct pkt_addr *to_ip,
	    uint8_t *buf, size_t cap, char *err, size_t errlen);

/* Build an IPv6 neighbour advertisement "ip is-at mac" (solicited, override) to
 * the asker. Returns its length or -1. */
int	pkt_build_na(const uint8_t mac[6], const struct pkt_addr *ip,
	    const uint8_t to_mac[6], const struct pkt_addr *to_ip,
	    uint8_t *buf, size_t cap, char *err, size_t errlen);

/* pkt_decode.c: bounds-checked decoding, no library. */
/* Decode an L3 packet. 0, or -1 when it is not IPv4/IPv6 TCP/UDP/ICMP or is truncated. */
int	pkt_decode_l3(const uint8_t *buf, size_t len, struct pkt *);
/* Decode an Ethernet frame carrying IP. 0, or -1 (ARP and others: -1). */
int	pkt_decode_frame(const uint8_t *buf, size_t len, struct pkt *);
/* An ARP request in the frame: 1 and the asked-for address and the asker; else 0. */
int	pkt_decode_arp_request(const uint8_t *buf, size_t len, struct pkt_addr *target,
	    uint8_t sender_mac[6], struct pkt_addr *sender_ip);
/* IPv6 neighbour solicitation: 1 and the target; else 0. */
int	pkt_decode_ns(const uint8_t *buf, size_t len, struct pkt_addr *target,
	    uint8_t sender_mac[6], struct pkt_addr *sender_ip);

#endif
