/* pfm.h: the pf model's public face: load a pf.conf, test packets, show state.
 * A library with no I/O of its own beyond reading the files a ruleset names, and no
 * globals: the caller passes the host's interfaces and the clock. */
#ifndef PFM_H
#define PFM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/diag.h"

struct pfm;			/* one pf: ruleset, tables, state table, counters */
struct pfm_rule;		/* pfm_rule.h */
struct pfm_state;		/* pfm_kstate.h */

#define PFM_IFNAMSIZ	16
#define PFM_IF_ADDRS	256	/* addresses of one interface (jails, aliases) */
#define PFM_HOST_IFS	16	/* interfaces of a host */

/* An address of a host interface. */
struct pfm_ifaddr {
	int		af;		/* AF_INET or AF_INET6 */
	uint8_t		addr[16];
	int		plen;
};

/* A host interface as pfctl sees it at load time (and pf at run time). */
struct pfm_if {
	char		name[PFM_IFNAMSIZ];	/* "em0", "lo0", "lo1" */
	char		group[4][PFM_IFNAMSIZ];	/* e.g. "lo" for loopbacks, "egress" */
	int		ngroup;
	struct pfm_ifaddr addr[PFM_IF_ADDRS];
	int		naddr;
};

struct pfm_host {
	struct pfm_if	iface[PFM_HOST_IFS];
	int		niface;
};

/* Building a host: the interface `name` (added, in group lo when it is a loopback,
 * when not there yet; NULL when the host is full or the name is bad); a group of
 * an interface; an address (af AF_INET or AF_INET6). 0, or -1 when full. */
struct pfm_if *pfm_host_if(struct pfm_host *, const char *name);
int	pfm_host_group(struct pfm_if *, const char *group);
int	pfm_host_addr(struct pfm_if *, int af, const void *addr, int plen);
/* An --if specification, NAME[=ADDR[/LEN][,ADDR[/LEN]...]], into the host (the
 * interface is added or extended). 0, or -1 with why in err. */
int	pfm_host_add(struct pfm_host *, const char *spec, char *err, size_t errlen);
/* The host pfctl assumes when none is given: lo0 with ::1/128, fe80::1/64 and
 * 127.0.0.1/8, in group lo. */
void	pfm_host_default(struct pfm_host *);

/* A -D style macro override. */
struct pfm_define {
	const char	*name, *value;
};

struct pfm_load_opts {
	const char		*file;		/* name used in messages ("stdin", "a.scn") */
	int			 line0;		/* line N of the text is reported as line0 + N */
	const struct pfm_define	*define;	/* -D overrides, win over the file */
	int			 ndefine;
	const char		*services;	/* services(5) file; NULL: the bundled FreeBSD list */
	const char		*basedir;	/* for relative include/table files; NULL: cwd */
	int			 opts;		/* PFM_OPT_* (pfctl -o none etc.) */
	size_t			 len;		/* the text's bytes, NUL bytes included (a
						 * file read whole); 0: up to its first NUL */
	int			 freebsd;	/* the release whose pfctl and pf the model
						 * follows: PFM_FREEBSD_14 (also 0) or _15 */
};

/* pfm_load_opts.opts: pfctl's -o (over `set ruleset-optimization`; without either
 * the optimizer runs at its default, basic) and -n (the optimizer's tables keep
 * pfctl's temporary names, __automatic_N, as no table is created). */
#define PFM_OPT_OPTIMIZE_NONE	0x01	/* -o none */
#define PFM_OPT_OPTIMIZE_BASIC	0x02	/* -o basic (or profile: no profile here) */
#define PFM_OPT_NOACTION	0x04	/* -n */
/* The FreeBSD releases the model knows (pfm_load_opts.freebsd); 14 is the default. */
#define PFM_FREEBSD_14		14
#define PFM_FREEBSD_15		15
#define PFM_FREEBSD_DEFAULT	PFM_FREEBSD_14
/* "14" or "15" as a release number; -1 for anything else. */
int	pfm_freebsd_parse(const char *);

/* Create a pf for this host. NULL on allocation failure. Free with pfm_free. */
struct pfm *pfm_new(const struct pfm_host *);
void	pfm_free(struct pfm *);		/* pfm_free(NULL) is a no-op */

/* Load a ruleset (replaces the previous one; states are kept, as pfctl -f does).
 * 0 on success; -1 with every error added to d as pfctl words them
 * (`file:line: message`), and the previous ruleset kept. */
int	pfm_load(struct pfm *, const char *text, const struct pfm_load_opts *, struct diag *d);
/* 1 when the last pfm_load (or pfctl -a -f) failed not on the ruleset's errors but
 * because it uses what only FreeBSD 15 has and the model does not evaluate yet
 * (pfm_rule_15only: none now), or ether rules the model cannot evaluate (MAC addresses,
 * bridge-to; pfm_load only): each said into d at its line; pfctl would have loaded
 * it, so no pfctl error line follows. */
int	pfm_load_refused15(const struct pfm *);

/* A pf sysctl/tunable: "net.pf.filter_local" and the like. 0, or -1 unknown. */
int	pfm_sysctl(struct pfm *, const char *name, const char *value);

/* Drop every state (pfctl -F states). */
void	pfm_flush_states(struct pfm *);

enum pfm_dir { PFM_IN, PFM_OUT };

/* PFM_HELD: a fragment pf keeps for reassembly under scrub (pfm_frag.c); not an error,
 * the caller drops it silently (no reply). */
enum pfm_action { PFM_PASS, PFM_DROP, PFM_HELD };

/* A packet pf sends itself (pf_send_tcp) besides a block return reply: synproxy's
 * handshake with each end, and the RST pf_tcp_track_full answers a bad segment
 * with during the handshake. `to` says which way it goes relative to the packet under
 * test; the host routes it by its destination address either way. */
enum pfm_emit_to {
	PFM_EMIT_BACK,		/* towards the tested packet's sender */
	PFM_EMIT_ONWARD		/* towards the tested packet's destination */
};

#define PFM_EMIT_MAX	2
#define PFM_EMIT_LEN	64	/* an IPv6 header, TCP and an MSS option */

struct pfm_emit {
	enum pfm_emit_to to;
	/* M_SKIP_FIREWALL: pf never sees it. Else it leaves by ip_output like any packet
	 * of the host, and pf tests it `out` on the interface its route takes (and `in`
	 * again when that is a loopback). */
	int		skip;
	size_t		len;
	uint8_t		pkt[PFM_EMIT_LEN];	/* L3, checksums set */
};

/* What pf did with one packet. Pointers stay valid until the next pfm_load / pfm_free
 * (rules) or the next pfm_test (state). */
struct pfm_verdict {
	enum pfm_action	action;
	int		skipped;	/* set skip on the interface */
	int		disabled;	/* pf is off (pfctl -d): passed untested */
	int		state_hit;	/* an existing state matched */
	int		state_created;
	int		rewritten;	/* the packet bytes were changed (checksums fixed) */
	const struct pfm_rule *trans;	/* the translation rule that matched, or NULL */
	const struct pfm_rule *filter;	/* the last matching filter rule, or NULL (default) */
	/* The ether rule that decided (FreeBSD 14's layer 2 rules, run before the IP
	 * rules), or NULL: none matched. An ether drop leaves filter NULL: the IP rules
	 * never saw the packet. Valid until the next load or pfctl -F. */
	const struct pfm_eth_rule *eth;
	const struct pfm_state *state;	/* the state hit or created, or NULL */
	const char	*reason;	/* "match", "state-mismatch", "map-failed", ... */
	/* Reassembly under scrub: this fragment completed a packet, and the whole packet is
	 * what pf tested (and rewrote). With PFM_PASS the caller sends these reass_len bytes
	 * instead of the fragment. The buffer is pf's, valid until the next pfm_test,
	 * pfm_expire or pfm_free (in a pfm_test_batch: until its done callback returns).
	 * NULL: no reassembly (the caller's buffer holds the packet). */
	const uint8_t	*reass;
	size_t		reass_len;
	/* Packets pf sends on its own (synproxy, handshake RST), in the order it sends them; the caller
	 * sends them after the verdict on the tested packet. */
	struct pfm_emit	emit[PFM_EMIT_MAX];
	int		nemit;
	/* block return: an L3 packet for the caller to send back the way the offending
	 * packet came (len 0: none). */
	uint8_t		reply[1600];
	size_t		reply_len;
	/* route-to, reply-to, dup-to (pf_route): PFM_ROUTE_TO: the packet does not
	 * take the host's routing table but leaves by rt_ifname to the next hop
	 * rt_addr (all zero: its own destination), already tested `out` there when
	 * it came in; PFM_ROUTE_DUP: a copy of it leaves so, the packet itself goes on
	 * as the verdict says. A caller with no such interface may ignore it. */
	enum pfm_route { PFM_ROUTE_NONE, PFM_ROUTE_TO, PFM_ROUTE_DUP } route;
	char		rt_ifname[PFM_IFNAMSIZ];
	uint8_t		rt_addr[16];
	/* The pf tag the packet leaves pf with (`tag`, kept by its state), 0: none;
	 * pfm_tag_name gives its name. Every packet enters pf untagged: the model is a
	 * host that does not forward, and loopback (if_simloop) drops mbuf tags. */
	uint16_t	tag;
	/* FreeBSD 15's af-to: the packet changed family (IPv6 to IPv4, or a reply back):
	 * these afto_len bytes (an L3 packet, checksums set; pf's buffer, valid until
	 * the next pfm_test or pfm_free) leave in its place, routed by their own
	 * destination as pf_route/pf_route6 send them, not up the stack. NULL: none. */
	const uint8_t	*afto;
	size_t		afto_len;
	/* The af-to packet is tested `out` on the interface it leaves by before it goes
	 * (pf_route's pf_test(PF_OUT); the model asks it for a packet of an outbound
	 * af-to state that came in: the reply of nat64.sh's *_out cases meets the IPv6
	 * state there); 0: it goes untested (set with afto). */
	int		afto_test;
};

/* Test one L3 packet (IPv4 or IPv6 header first) going `dir` on interface `ifname`, at
 * time `now_ms` (caller's clock, milliseconds, monotonic). The packet is rewritten in
 * place (its length never changes; an af-to packet, which changes family and length,
 * is in v->afto instead). Returns 0 and fills v; -1 if the bytes are not an
 * IP packet pf would parse (v->action is then PFM_DROP, reason "short").
 * Fragments under scrub (FreeBSD 14: IPv4 with a matching scrub rule, IPv6 also when
 * there are no scrub rules): pf copies each fragment and answers PFM_HELD until the
 * packet is complete; the fragment that completes it gets the verdict of the whole
 * packet, which is in v->reass (v->reass_len bytes, longer than the fragment), never
 * in the caller's buffer. A caller that never sends fragments sees neither. */
int	pfm_test(struct pfm *, enum pfm_dir dir, const char *ifname,
	    uint8_t *pkt, size_t len, uint64_t now_ms, struct pfm_verdict *v);

/* One packet of a batch: pfm_test's arguments and its return value (rc); arg is the
 * caller's, handed back to the batch's done callback. */
struct pfm_batch {
	enum pfm_dir	 dir;
	const char	*ifname;
	uint8_t		*pkt;
	size_t		 len;
	struct pfm_verdict *v;
	int		 rc;
	void		*arg;
};

/* pfm_test on each packet of b[0..n-1], in order, with the same results as n calls;
 * faster when states are many, as the state-table cache misses of up to
 * PFM_BATCH_MAX packets are started together rather than one after the other.
 * done (may be NULL) is called on each packet right after its test, before the next
 * one's: what the verdict points to pf-side (reass) is valid only until then. */
#define PFM_BATCH_MAX	32
void	pfm_test_batch(struct pfm *, struct pfm_batch *b, size_t n, uint64_t now_ms,
	    void (*done)(struct pfm_batch *, void *), void *arg);

/* Expire states and fragment queues whose timeout passed at now_ms (pf's purge
 * thread). */
void	pfm_expire(struct pfm *, uint64_t now_ms);

/* Introspection, printed exactly as pfctl prints it. */
void	pfm_show_states(struct pfm *, FILE *);		/* pfctl -ss */
void	pfm_show_info(struct pfm *, FILE *);		/* pfctl -si */
void	pfm_show_rules(struct pfm *, FILE *, int vv);	/* pfctl -a '*' -sr [-vv] */
void	pfm_show_nat(struct pfm *, FILE *, int vv);	/* pfctl -a '*' -sn [-vv] */
void	pfm_show_info_v(struct pfm *, FILE *, int v);	/* pfctl -si [-v] */
void	pfm_show_srcnodes(struct pfm *, FILE *);	/* pfctl -sS */
/* One state as pfctl -ss prints it (a pfm_verdict's state, for traces). */
void	pfm_show_state(struct pfm *, const struct pfm_state *, FILE *);
/* The loaded ruleset as `pfctl -nv` prints it (rules, tables, options). */
void	pfm_print_ruleset(struct pfm *, FILE *, int verbose);
/* The path of the anchor a rule is in ("web", "ext/a"); "" for the main ruleset. */
const char *pfm_rule_anchor(const struct pfm_rule *);
/* `file:line: text` of a rule as written, for traces. */
const char *pfm_rule_origin(const struct pfm_rule *, int *line);
/* One rule as pfctl prints it (no trailing newline) into buf; returns buf. */
char	*pfm_rule_format(struct pfm *, const struct pfm_rule *, char *buf, size_t len);

/* pf's wall clock (time_second, what pfctl prints as a table entry's "Cleared" time):
 * at pf's clock clock_ms, which is now, it reads wall_ms (milliseconds since the
 * epoch), and pf's clock moves on from clock_ms (a ruleset loaded next is loaded
 * then). A target sets it from its own clocks; unset, pf's clock 0 is second
 * 1700000000 of the epoch (14 November 2023), the same on every run. */
void	pfm_set_wallclock(struct pfm *, uint64_t clock_ms, int64_t wall_ms);
/* time_second at pf's clock clock_ms. */
int64_t	pfm_time_second(const struct pfm *, uint64_t clock_ms);

/* pfctl as FreeBSD 14's runs it, on this pf (pf/ctl): argv is pfctl's (argv[0]
 * "pfctl"), input what `-f -` reads (NULL: nothing), lo the name (and line offset) for
 * its messages, now_ms pf's clock. What pfctl prints goes to out (standard output)
 * and err (standard error), as pfctl words it; returns pfctl's exit status. */
int	pfm_ctl(struct pfm *, int argc, char *const *argv, const char *input,
	    const struct pfm_load_opts *lo, uint64_t now_ms, FILE *out, FILE *err);

/* IP protocol names as FreeBSD's /etc/protocols has them (what pfctl prints with
 * getprotobynumber): the number, -1 unknown; the name, NULL unknown. */
int	pfm_proto_byname(const char *);
const char *pfm_proto_name(int);
/* The name of tag id (pfm_verdict.tag), "" for 0 or an unknown id. */
const char *pfm_tag_name(const struct pfm *, uint16_t id);
/* Warn, `pfharness: file:line: 'OPT' is not modelled: ...` into d, once per rule and
 * option, of every option of rs the model parses but does not act on (route-to, os,
 * user, dnpipe, ...). pfm_load does it; `pfharness parse` calls it on its own parse.
 * Returns the number of warnings. */
struct pfm_ruleset;
int	pfm_ruleset_warn(const struct pfm_ruleset *, struct diag *d);

size_t	pfm_state_count(const struct pfm *);
/* Fragments pf holds for reassembly (counted against `set limit frags`). */
size_t	pfm_frag_count(const struct pfm *);
/* net.pf.filter_local as set by pfm_sysctl (the hook decides where pf runs). */
int	pfm_filter_local(const struct pfm *);
/* Bytes the state table holds (state slabs and hash buckets), for the bench. */
size_t	pfm_state_bytes(const struct pfm *);
/* Bytes the state table uses per state (for the bench). */
size_t	pfm_state_size(void);

#endif
