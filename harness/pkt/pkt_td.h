/* pkt_td.h: what the readers of tcpdump's lines share: the line being read
 * (pkt_tcpdump.c reads it, pkt_tcpdump_icmp.c its ICMP parts) and the small readers of
 * pkt_td.c. */
#ifndef PKT_TD_H
#define PKT_TD_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

#define TD_ITEMS	32

/* One line being read. */
struct td {
	char		 buf[2048];	/* the line, blanks squeezed to one space */
	char		*p;		/* what is left to read */
	struct pkt_pat	*pat;
	char		*err;
	size_t		 errlen;
	int		 af;		/* AF_INET, AF_INET6, 0: not said yet */
	int		 vproto;	/* the -v header's protocol number, or -1 */
	int		 verbose;	/* a -v header was read */
	int		 ttl_seen;
	int		 quote_src;	/* the quote's source came from -v's line */
	int		 quoted;	/* the quoted packet of an ICMP error (-v): its
					 * payload, cut at 8 bytes, need not be read */
	int		 no_l4;		/* a fragment past the first */
	/* the line reader itself, for a quoted packet (-v): text into a pattern,
	 * quoted set; 0 or -1 with err */
	int		(*parse)(const char *, struct pkt_pat *, int quoted, char *,
			    size_t);
};

/* pkt_td.c */
/* err gets `tcpdump line: ` and fmt with what in it; returns -1. */
int	td_bad(struct td *, const char *fmt, const char *what);
/* 1 when s starts with w. */
int	td_starts(const char *s, const char *w);
/* The word at s (up to a blank) into w; returns what follows it. */
const char *td_word(const char *s, char *w, size_t len);
/* Split s in place at ", " outside (), [] and {}; the items into it. How many, or -1. */
int	td_split(char *s, char **it, int max);
/* A word tcpdump prints first: a time (-t... -tttt), a date (-tttt), a MAC (-e). */
int	td_is_time(const char *w);
int	td_is_date(const char *w);
int	td_is_mac(const char *w);
/* The number at s (its first word) into field f of the pattern: tcpdump's digits, or
 * the notation's `*`, LOW-HIGH, `$NAME`; what names it in a message. 0 or -1. */
int	td_value(struct td *, enum pkt_field f, const char *what, const char *s,
	    uint32_t max, struct pkt_range *r);
/* An address, `*` or `$NAME` into field fa. 0 or -1. */
int	td_address(struct td *, const char *s, enum pkt_field fa, int *any,
	    struct pkt_addr *a);
/* Past the `(...)` at s (s at the `(`), or NULL when it does not close. */
const char *td_past_parens(const char *s);
/* Where an ICMP error's quoted packet starts in s (-v), or NULL. */
const char *td_quote_start(const char *s);

/* pkt_tcpdump_icmp.c: `ICMP ...` and `ICMP6, ...`, the pattern's ICMP fields. 0 or -1. */
int	td_icmp_body(struct td *, char *body);
int	td_icmp6_body(struct td *, char *body);

#endif
