/* pfctl_out.h: what pfctl (-ss, -si, -sr -vv) and vmstat -z print, parsed into small
 * structs. Pure and portable: the freebsd target parses real pf's text with it, the
 * runner parses every target's state table with it (the model prints the same text). */
#ifndef PFCTL_OUT_H
#define PFCTL_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "pkt/pkt.h"
#include "scn/scn.h"

#define PFCTL_IFNAMSIZ		16
#define PFCTL_WORD_MAX		24
#define PFCTL_COUNTERS_MAX	64

/* One end of a state as pfctl prints it: `10.99.0.1:80`, `2001:db8::1[80]`, or a bare
 * address when the port is 0 (pfctl prints no port then). */
struct pfctl_host {
	struct pkt_addr	addr;
	uint16_t	port;
};

/* One `pfctl -ss` line: `IF PROTO A [(B)] <-|-> C [(D)]    S:D`.
 * pfctl prints the state from the host's side: inbound (`<-`) A is where the packet went
 * after translation (the stack key) and B, when it differs, where it was sent on the wire;
 * outbound (`->`) A is the source on the wire and B the source before nat. C is the peer,
 * D its other key's address when that differs too (rare: binat, rdr source rewrite). */
struct pfctl_state {
	char		ifname[PFCTL_IFNAMSIZ];	/* "all" for floating states */
	int		proto;			/* IPPROTO_* */
	int		dir_out;		/* 1: `->` (created outbound) */
	struct pfctl_host a, b, c, d;
	int		has_b, has_d;
	char		src_state[PFCTL_WORD_MAX];	/* "ESTABLISHED", "MULTIPLE", "0" */
	char		dst_state[PFCTL_WORD_MAX];
};

/* Parse one line of `pfctl -ss` (the first line of a state with -v). 0, or -1 when the
 * line is not a state line (blank, a -v continuation, a title, malformed). */
int	pfctl_state_parse_line(const char *line, struct pfctl_state *);
/* Write the state as pfctl -ss prints it (no newline) into buf; returns buf. */
char	*pfctl_state_format(const struct pfctl_state *, char *buf, size_t len);
/* 1 when the state is the one `expect state` describes: protocol, arrow, A, B (the
 * pattern's `(B:Q)`, absent in both or equal) and C, ports compared with the pattern's
 * ranges (`*` matches any), and the peers' states when the pattern names them; the
 * interface and D are not compared. Else 0. */
int	pfctl_state_match(const struct scn_state_pat *, const struct pfctl_state *);
/* Every state line of a `pfctl -ss` text into a malloc'd array (caller frees) and *n.
 * Returns 0, or -1 on allocation failure. Lines that are not states are skipped. */
int	pfctl_states_parse(const char *text, struct pfctl_state **out, int *n);

/* A named counter of `pfctl -si`, with the section it was printed under. */
struct pfctl_counter {
	char		section[32];	/* "State Table", "Counters", "Limit Counters", ... */
	char		name[32];	/* "searches", "match", "map-failed", ... */
	uint64_t	value;
};

/* `pfctl -si` (and -siv). */
struct pfctl_info {
	int		enabled;	/* 1 "Status: Enabled", 0 "Disabled", -1 not seen */
	uint64_t	states;		/* State Table: current entries */
	uint64_t	searches, inserts, removals;
	struct pfctl_counter counter[PFCTL_COUNTERS_MAX];
	int		ncounter;
};

/* Parse `pfctl -si` text. 0, or -1 with a message in err when no State Table is found. */
int	pfctl_info_parse(const char *text, struct pfctl_info *, char *err, size_t errlen);
/* The value of counter `name` in `section` (NULL: any section) into *v; 0 or -1. */
int	pfctl_info_get(const struct pfctl_info *, const char *section, const char *name,
	    uint64_t *v);

/* One rule of `pfctl -sr -vv` (or -sr -v: nr counts from 0) with its counters. */
struct pfctl_rule_stat {
	int		nr;		/* the `@N` */
	char		*text;		/* the rule as printed, without `@N ` */
	int		has_counters;
	uint64_t	evaluations, packets, bytes, states;
};

/* Parse `pfctl -sr -vv` text into a malloc'd array and *n; free with pfctl_rules_free.
 * 0, or -1 with err (a counters line with no rule before it, or out of memory). */
int	pfctl_rules_parse(const char *text, struct pfctl_rule_stat **out, int *n,
	    char *err, size_t errlen);
void	pfctl_rules_free(struct pfctl_rule_stat *, int n);	/* NULL: no-op */

/* One source node of `pfctl -sS`: `ADDR -> ADDR ( states N, connections N, rate
 * N.N/Ns )`, the first line of each with -v. */
struct pfctl_srcnode {
	struct pkt_addr	 addr, raddr;
	uint64_t	 states, conn;
};
/* Every source node of a `pfctl -sS` text into a malloc'd array (caller frees) and *n.
 * 0, or -1 on allocation failure; lines that are not source nodes are skipped. */
int	pfctl_srcnodes_parse(const char *text, struct pfctl_srcnode **out, int *n);

/* The entries of `pfctl -t T -T show`: one address a line, `!` for a negated one,
 * `/LEN` when not a host. Into a malloc'd array and *n; 0, or -1 (memory). */
struct pfctl_tentry {
	struct pkt_addr	 addr;
	int		 plen, neg;
};
int	pfctl_table_parse(const char *text, struct pfctl_tentry **out, int *n);

/* One UMA zone line of `vmstat -z`. */
struct pfctl_zone {
	char		name[48];
	uint64_t	size, limit, used, free, req, fail, sleep, xdomain;
};

/* Find zone `name` ("pf states", "pf state keys") in `vmstat -z` text. 0, or -1 when
 * it is absent or its line is malformed. */
int	pfctl_zone_find(const char *text, const char *name, struct pfctl_zone *);

#endif
