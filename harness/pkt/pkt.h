/* pkt.h: one packet as the harness speaks of it: written in tcpdump-like notation,
 * built into bytes (libnet, pkt_build.c), decoded from bytes with checksums verified
 * (pkt_decode.c), and matched against an expectation pattern (pkt_match.c). */
#ifndef PKT_H
#define PKT_H

#include <stddef.h>
#include <stdint.h>

#define PKT_PAYLOAD_MAX	1400
#define PKT_FRAME_MAX	2048
#define PKT_OPT_MAX	40	/* IPv4 or TCP options, padding included */
#define PKT_SACK_MAX	4	/* SACK blocks one segment carries */
#define PKT_VAR_NAME	24	/* a variable's name without `$`, NUL included */
#define PKT_VARREF_MAX	8	/* variables one packet names */
#define PKT_VARS_MAX	64	/* variables one scenario binds */

/* TCP flags as pf and tcpdump name them. */
#define PKT_TH_FIN	0x01
#define PKT_TH_SYN	0x02
#define PKT_TH_RST	0x04
#define PKT_TH_PUSH	0x08
#define PKT_TH_ACK	0x10
#define PKT_TH_URG	0x20
#define PKT_TH_ECE	0x40
#define PKT_TH_CWR	0x80

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
	PKT_ICMP_UNREACH_NET,	/* ICMP net unreachable (3/0), ICMPv6 no route (1/0) */
	PKT_ICMP_OTHER		/* decoded, not writable: raw type/code kept */
};
/* The notation's name of an ICMP type ("echo-request"), or NULL for PKT_ICMP_NONE and
 * PKT_ICMP_OTHER (pkt_name.c). */
const char *pkt_icmp_name(enum pkt_icmp);
/* The other way; PKT_ICMP_NONE when s names none. */
enum pkt_icmp pkt_icmp_parse(const char *s);

/* The fields a `$NAME` variable may stand for (pkt_var.c). */
enum pkt_field {
	PKT_F_SRC, PKT_F_DST, PKT_F_SPORT, PKT_F_DPORT, PKT_F_SEQ, PKT_F_ACK, PKT_F_WIN,
	PKT_F_LEN, PKT_F_TTL, PKT_F_TOS, PKT_F_ID, PKT_F_OFF, PKT_F_IPLEN, PKT_F_URG,
	PKT_F_MSS, PKT_F_WSCALE, PKT_F_TSVAL, PKT_F_TSECR,
	PKT_F_QSRC, PKT_F_QDST, PKT_F_QSPORT, PKT_F_QDPORT
};

/* `$NAME` (or `$NAME+N`, `$NAME-N` for a number) written where field's value goes. */
struct pkt_varref {
	enum pkt_field	field;
	char		name[PKT_VAR_NAME];
	uint32_t	add;		/* N, or -N modulo 2^32 */
};

/* A concrete packet (L3 and up). */
struct pkt {
	int		proto;		/* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_ICMPV6 */
	struct pkt_addr	src, dst;
	uint16_t	sport, dport;	/* TCP/UDP; for ICMP echo: sport = id */
	uint8_t		flags;		/* TCP */
	uint32_t	seq, ack;	/* TCP */
	uint16_t	win;		/* TCP */
	uint8_t		ttl;		/* TTL / hop limit; 0 and !ttl_set: builder's 64 */
	uint8_t		ttl_set;
	uint8_t		tos;		/* IPv4 TOS, IPv6 traffic class */
	uint8_t		df;		/* IPv4 don't fragment */
	uint8_t		id_set;		/* build: 0 = an id derived from ports and seq */
	uint32_t	id;		/* IPv4 id; IPv6 fragment header id */
	/* Decoded: the IP length (IPv4 total length; IPv6 40 + payload length). A
	 * fragment to send: its own IP length (0: the rest of the packet). */
	uint16_t	iplen;
	uint8_t		ipopt[PKT_OPT_MAX];	/* IPv4 options as on the wire */
	uint8_t		ipopt_len;
	uint8_t		tcpopt[PKT_OPT_MAX];	/* TCP options as on the wire */
	uint8_t		tcpopt_len;
	uint16_t	urg;		/* TCP urgent pointer */
	uint8_t		cksum_bad;	/* build: the transport checksum made wrong */
	uint8_t		cksum_none;	/* IPv4 UDP without a checksum (0): built, decoded */
	/* `PROTO frag`: this packet is one IP fragment: MF, offset in bytes. Built from
	 * the whole packet the other fields describe: its IP payload from `off` on, as
	 * much as iplen says. Decoded: no_l4 when the transport header is not in it. */
	uint8_t		ipfrag, mf, no_l4;
	uint16_t	off;
	enum pkt_icmp	icmp;		/* ICMP/ICMPv6 */
	uint8_t		icmp_type, icmp_code;	/* raw, set by decode and build */
	uint16_t	icmp_seq;	/* echo sequence */
	/* ICMP errors quote the start of the packet that caused them. */
	int		has_quote;
	struct {
		int		proto;
		struct pkt_addr	src, dst;
		uint16_t	sport, dport;	/* an ICMP echo's: sport = id */
		enum pkt_icmp	icmp;		/* an ICMP echo's type (NONE: request) */
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
	/* A packet to send: fields written as `$NAME`, filled by pkt_vars_subst. */
	struct pkt_varref var[PKT_VARREF_MAX];
	int		nvar;
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
	/* ICMP errors: `quote PROTO SRC[:PORT] > DST[:PORT]`, or of an ICMP echo
	 * `quote icmp [TYPE] SRC > DST [id N]` (pkt_text.c; the id in quote_sport). */
	int		quote_set;
	int		quote_proto;
	enum pkt_icmp	quote_icmp;	/* NONE: not written (any; a request to send) */
	int		quote_src_any, quote_dst_any;
	struct pkt_addr	quote_src, quote_dst;
	struct pkt_range quote_sport, quote_dport;
	uint16_t	frag;		/* `frag N [reverse]`: pkt_parse only */
	uint8_t		frag_reverse;
	/* Header fields (pkt_field.c); a range not set is not checked. */
	struct pkt_range ttl, tos, id, off, iplen, urg, mss, wscale, tsval, tsecr;
	uint8_t		df, mf, sackok;	/* 0: not written, PKT_YES, PKT_NO */
	uint8_t		ipfrag;		/* `PROTO frag` */
	uint8_t		cksum_bad;	/* `cksum bad` */
	uint8_t		cksum_none;	/* `cksum none` */
	int		ipopt_set;	/* `ipopt ...`: the options, as built */
	uint8_t		ipopt[PKT_OPT_MAX];
	uint8_t		ipopt_len;
	int		nsack;		/* `sack A-B ...` */
	uint32_t	sack[PKT_SACK_MAX][2];
	/* TCP options in the order written (kinds; 0 eol, 1 nop): how one is built. */
	uint8_t		topt[PKT_OPT_MAX];
	int		ntopt;
	struct pkt_varref var[PKT_VARREF_MAX];	/* fields written `$NAME` */
	int		nvar;
};

#define PKT_YES		1
#define PKT_NO		2

/* The values variables hold: a scenario's, on one target (pkt_var.c). */
struct pkt_var {
	char		name[PKT_VAR_NAME];
	int		is_addr;
	uint32_t	num;
	struct pkt_addr	addr;
	int		line;		/* of the expectation that bound it */
};

struct pkt_vars {
	struct pkt_var	v[PKT_VARS_MAX];
	int		n;
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
/* pkt_var.c */
/* pkt_match, with the pattern's `$NAME` fields: a bound one must equal the value it
 * holds, an unbound one is bound (at `line`) to what the packet holds. 1 on a match,
 * the new bindings added to vars; else 0, vars unchanged, `why` as pkt_match's. */
int	pkt_vars_match(const struct pkt_pat *, const struct pkt *, struct pkt_vars *vars,
	    int line, char *why, size_t whylen);
/* The `$NAME` fields of a packet to send filled from vars; 0 (the packet then names no
 * variable), or -1 with err (a variable not bound, or an address where a number goes).
 * The builders refuse a packet that still names variables. */
int	pkt_vars_subst(struct pkt *, const struct pkt_vars *, char *err, size_t errlen);
/* The field's name in messages ("tcp.dport"), for a packet of protocol proto. */
const char *pkt_field_name(enum pkt_field, int proto);
/* 1 when the field holds an address. */
int	pkt_field_is_addr(enum pkt_field);

/* pkt_tcpdump.c */
/* 1 when text is a line of `tcpdump -v` that stops after the IP header's part (tcpdump
 * prints the rest on the next line); the caller joins the two. */
int	pkt_tcpdump_wants_more(const char *text);

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
/* A `PROTO frag` packet is built as the one fragment it is. Both refuse a packet with
 * `frag N` (-1, err): a sender that cannot send fragments says so. A sender that can asks how many frames the packet is (1 without `frag`; -1 with
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
/* Decode an IP fragment (MF set or an offset; IPv6: a fragment header): 0 with
 * ipfrag, off, mf and id set, the transport header's fields when the fragment holds it
 * (else no_l4), its checksum not judged; -1 when it is no fragment or is truncated. */
int	pkt_decode_frag_l3(const uint8_t *buf, size_t len, struct pkt *);
int	pkt_decode_frag_frame(const uint8_t *buf, size_t len, struct pkt *);
/* Decode an Ethernet frame carrying IP. 0, or -1 (ARP and others: -1). */
int	pkt_decode_frame(const uint8_t *buf, size_t len, struct pkt *);
/* An ARP request in the frame: 1 and the asked-for address and the asker; else 0. */
int	pkt_decode_arp_request(const uint8_t *buf, size_t len, struct pkt_addr *target,
	    uint8_t sender_mac[6], struct pkt_addr *sender_ip);
/* IPv6 neighbour solicitation: 1 and the target; else 0. */
int	pkt_decode_ns(const uint8_t *buf, size_t len, struct pkt_addr *target,
	    uint8_t sender_mac[6], struct pkt_addr *sender_ip);

#endif
