/* pkt_impl.h: names and text forms that the notation's files (pkt_name.c, pkt_text.c,
 * pkt_field.c, pkt_tcpdump*.c, pkt_format.c, pkt_match.c, pkt_var.c) share, and the
 * option bytes (pkt_opt.c) the builder and the decoder share with them. */
#ifndef PKT_IMPL_H
#define PKT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

/* pkt_name.c */
/* "tcp", "udp", "icmp", "icmp6", or "?". */
const char *pkt_proto_name(int proto);
/* The other way; -1 when s is none of them. */
int	pkt_proto_parse(const char *s);
/* 1 when s is TCP flag letters, `.` or `*`. */
int	pkt_is_flags(const char *s);
/* TCP flags as letters in the order S F R P A U E W, "." for none; buf needs 10 bytes. */
char	*pkt_flags_format(uint8_t flags, char *buf);
/* Bytes as a double-quoted string with C escapes, cut to fit len. */
void	pkt_string_format(const uint8_t *b, size_t n, char *buf, size_t len);
/* A double-quoted token with C escapes into bytes; 0 or -1. */
int	pkt_string_parse(const char *s, uint8_t *out, size_t cap, size_t *len);
/* TCP flag letters (S F R P A U E W) into bits; "." is none; 0 or -1. */
int	pkt_flags_parse(const char *s, uint8_t *flags);

/* pkt_field.c: values and the header-field words of both notations. */
/* A number: decimal, or hex after 0x; at most max. 0 or -1. */
int	pkt_num_parse(const char *s, uint32_t max, uint32_t *v);
/* 1 when s is `$NAME` (a letter or _, then letters, digits, _; short enough). */
int	pkt_is_var(const char *s);
/* Record `$NAME` (s) for field f in the pattern; 0, or -1 with err. */
int	pkt_var_ref(struct pkt_pat *, enum pkt_field f, const char *s, char *err,
	    size_t errlen);
/* A value of field f named `what` in messages: N, `*`, LOW-HIGH or `$NAME`. 0, or -1
 * with err ("bad value for ttl: \"300\""). */
int	pkt_value_parse(struct pkt_pat *, enum pkt_field f, const char *what, const char *s,
	    uint32_t max, struct pkt_range *r, char *err, size_t errlen);
/* One header-field word at w[*i] (its values after it): ttl hlim tos tclass id df
 * no-df mf no-mf off iplen ipopt mss wscale sackOK ts sack urg cksum payload. 1 when
 * taken (*i past it), 0 when w[*i] is none of them, -1 with err. */
int	pkt_field_parse(struct pkt_pat *, char **w, int n, int *i, char *err,
	    size_t errlen);
/* The checks a pattern's fields need once the line is read (families, fragments);
 * 0 or -1 with err. */
int	pkt_field_check(const struct pkt_pat *, char *err, size_t errlen);

/* pkt_opt.c: IPv4 and TCP options. */
#define PKT_IPOPT_EOL	0
#define PKT_IPOPT_NOP	1
#define PKT_IPOPT_RR	7
#define PKT_IPOPT_LSRR	131
#define PKT_IPOPT_SSRR	137
#define PKT_IPOPT_RA	148
#define PKT_TCPOPT_EOL	0
#define PKT_TCPOPT_NOP	1
#define PKT_TCPOPT_MSS	2
#define PKT_TCPOPT_WSCALE 3
#define PKT_TCPOPT_SACKOK 4
#define PKT_TCPOPT_SACK	5
#define PKT_TCPOPT_TS	8

/* TCP options read from their bytes. */
struct pkt_tcpopts {
	int		has_mss, has_wscale, sackok, has_ts, nsack;
	uint16_t	mss;
	uint8_t		wscale;
	uint32_t	tsval, tsecr;
	uint32_t	sack[PKT_SACK_MAX][2];
};

/* Pad n option bytes with EOL to a multiple of 4 (at most PKT_OPT_MAX); the new
 * length, or -1 when they do not fit. */
int	pkt_opt_pad(uint8_t *o, size_t n);
/* The pattern's TCP options (topt, in order, values from its exact fields) as bytes;
 * the length, or -1 with err. */
int	pkt_tcpopt_build(const struct pkt_pat *, uint8_t *o, char *err, size_t errlen);
/* Read TCP option bytes; 0, or -1 when they are malformed (what was read is kept). */
int	pkt_tcpopt_read(const uint8_t *o, size_t n, struct pkt_tcpopts *);
/* The last address of a source route (LSRR, SSRR) in IPv4 options, which the
 * transport checksum covers in place of the destination (RFC 791); NULL: none. */
const uint8_t *pkt_ipopt_final_dst(const uint8_t *o, size_t n);
/* Option bytes as the notation writes them ("mss 1460 nop wscale 7", "ra"), a
 * trailing EOL that only pads left out; "" for none. */
void	pkt_tcpopt_format(const uint8_t *o, size_t n, char *buf, size_t len);
void	pkt_ipopt_format(const uint8_t *o, size_t n, char *buf, size_t len);

/* pkt_match.c */
/* pkt_match without the variables (their fields are not checked there). */
int	pkt_match_fields(const struct pkt_pat *, const struct pkt *, char *why,
	    size_t whylen);

/* pkt_tcpdump.c */
/* 1 when the text is a tcpdump line (it starts with IP, IP6, a time or a MAC). */
int	pkt_tcpdump_is(const char *text);
/* A tcpdump -n line (with or without -v, -e, the time) into a pattern; 0 or -1 with
 * err naming the part it could not read. */
int	pkt_tcpdump_parse(const char *text, struct pkt_pat *, char *err, size_t errlen);

#endif
