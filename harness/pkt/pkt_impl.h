/* pkt_impl.h: names and text forms that pkt_text.c, pkt_format.c and pkt_match.c
 * share. */
#ifndef PKT_IMPL_H
#define PKT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

/* "tcp", "udp", "icmp", "icmp6", or "?". */
const char *pkt_proto_name(int proto);
/* The notation's name of an ICMP type ("echo-request"), or NULL for PKT_ICMP_OTHER. */
const char *pkt_icmp_name(enum pkt_icmp);
/* TCP flags as letters in the order S F R P A U, "." for none; buf needs 8 bytes. */
char	*pkt_flags_format(uint8_t flags, char *buf);
/* Bytes as a double-quoted string with C escapes, cut to fit len. */
void	pkt_string_format(const uint8_t *b, size_t n, char *buf, size_t len);

#endif
