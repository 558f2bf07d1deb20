/* pfm_impl.h: the pf model's insides, shared by the files of harness/pf/eval: struct pfm,
 * the packet descriptor, compiled rules. Not for callers outside the model. */
#ifndef PFM_IMPL_H
#define PFM_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pf/pfm.h"
#include "pf/pfm_rule.h"
#include "pfm_kstate.h"

#include <sys/socket.h>

/* AF_INET/AF_INET6 (rules, tables) to the model's 4/6 (keys, packets); 0 stays 0. */
static inline int
pfm_af46(int af)
{
	return (af == AF_INET ? 4 : af == AF_INET6 ? 6 : 0);
}

/* TCP header flags (netinet/tcp.h's values; the model includes no kernel header). */
#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PUSH	0x08
#define TH_ACK	0x10
#define TH_URG	0x20

#define PFM_MAXIF	64		/* interface names known to one pf (bit masks) */

/* Drop/pass reasons, pf's PFRES_* in order (pfctl -si "Counters"). */
enum pfm_res {
	PFM_RES_MATCH, PFM_RES_BADOFF, PFM_RES_FRAG, PFM_RES_SHORT, PFM_RES_NORM,
	PFM_RES_MEMORY, PFM_RES_TS, PFM_RES_CONGEST, PFM_RES_IPOPTIONS,
	PFM_RES_PROTCKSUM, PFM_RES_BADSTATE, PFM_RES_STATEINS, PFM_RES_MAXSTATES,
	PFM_RES_SRCLIMIT, PFM_RES_SYNPROXY, PFM_RES_MAPFAILED,
	PFM_RES_TRANSLATE,	/* FreeBSD 15's PFRES_TRANSLATE (pfctl -si under 15 only) */
	PFM_RES_MAX
};
extern const char *const pfm_res_name[PFM_RES_MAX];

enum { PFM_FCNT_SEARCH, PFM_FCNT_INSERT, PFM_FCNT_REMOVALS, PFM_FCNT_MAX };
#define PFM_LCNT_MAX	10

/* The rule lists, as pf's rulesets. */
enum pfm_list { PFM_L_SCRUB, PFM_L_FILTER, PFM_L_NAT, PFM_L_RDR, PFM_L_BINAT, PFM_L_MAX };

/* Skip step fields, pf's PF_SKIP_* order. */
enum { PFM_SKIP_IFP, PFM_SKIP_DIR, PFM_SKIP_AF, PFM_SKIP_PROTO, PFM_SKIP_SRC_ADDR,
	PFM_SKIP_SRC_PORT, PFM_SKIP_DST_ADDR, PFM_SKIP_DST_PORT, PFM_SKIP_COUNT };

struct pfm_prefix {
	uint8_t		af;		/* 4 or 6 */
	uint8_t		plen;
	uint32_t	addr[4], mask[4];
};

enum pfm_ca_type { PFM_CA_ANY, PFM_CA_MASK, PFM_CA_LIST, PFM_CA_TABLE, PFM_CA_NEVER,
	PFM_CA_RANGE };

/* A rule address compiled for matching: the address wrap resolved against the host. */
struct pfm_caddr {
	uint8_t		type;		/* enum pfm_ca_type */
	uint8_t		af;		/* 0, 4, 6 */
	uint8_t		neg;
	uint8_t		port_op;	/* enum pfm_op */
	uint16_t	port[2];	/* host order */
	uint32_t	addr[4], mask[4];	/* CA_RANGE: first, last */
	struct pfm_prefix *list;	/* CA_LIST (owned by the compiled list) */
	int		nlist;
	const struct pfm_table *table;
};

/* One rule compiled for evaluation; compiled lists are arrays so skip steps are
 * indices. The first 64 bytes hold everything a rule that does not match an IPv4
 * packet needs: interface, dir/af/proto as one masked word, IPv4 addresses as masked
 * words (any: mask 0), ports as ranges, the skip steps. */
#define PFM_CR_SPORT	0x01	/* a source port op: sp_lo/sp_span (PFM_CR_SNEG) */
#define PFM_CR_SNEG	0x02
#define PFM_CR_DPORT	0x04
#define PFM_CR_DNEG	0x08
#define PFM_CR_SSLOW4	0x10	/* an IPv4 source needs pfm_match_caddr */
#define PFM_CR_DSLOW4	0x20
#define PFM_CR_EXTRA	0x40	/* flags/flagset/type/code to check */
#define PFM_CR_SSLOW6	0x80	/* an IPv6 source needs it (the address is not any) */
#define PFM_CR_DSLOW6	0x100
struct pfm_crule {
	_Alignas(64) uint64_t ifmask;	/* bit i: the rule's `on` matches interface i */
	uint32_t	dap_want, dap_mask;	/* dir, af, proto as one word */
	uint32_t	src_a4, src_m4, dst_a4, dst_m4;
	uint16_t	skip[PFM_SKIP_COUNT];
	uint16_t	sp_lo, sp_span, dp_lo, dp_span;	/* port in [lo, lo + span] */
	uint16_t	hot;		/* PFM_CR_* */
	uint8_t		src_any, dst_any;
	uint8_t		action;		/* enum pfm_action_kind */
	uint8_t		skip1;		/* bit f: skip[f] is the next rule */
	/* second line: what a match or a non-IPv4 address needs */
	uint8_t		dir;		/* 0 any, 1 in, 2 out */
	uint8_t		af;		/* 0, 4, 6 */
	uint8_t		proto;
	uint8_t		flags, flagset;
	uint8_t		type, code;	/* icmp type+1, code+1 */
	/* checked only once the rest matched (rule_more in pfm_match.c): more != 0 */
	uint8_t		more;		/* any of the six below */
	uint8_t		tos;		/* tos: DSCP/TOS byte without ECN, 0 none */
	uint8_t		prio;		/* prio given (never matches: no 802.1Q tag) */
	uint8_t		fragment;	/* `fragment`: fragments only */
	uint8_t		match_tag_not;	/* ! tagged */
	uint16_t	match_tag;	/* tagged: tag id (pfm_tag_id), 0 none */
	uint16_t	tag;		/* tag: id the packet gets on a match, 0 none */
	uint32_t	prob;		/* probability (pf's r->prob), 0 none */
	uint8_t		rcv;		/* received-on given (r->rcv_ifname) */
	uint64_t	rcvmask;	/* bit i: received-on matches interface i (its
					 * `!` not applied: rule_more does) */
	struct pfm_rule	*r;
	struct pfm_caddr src, dst;
	struct pfm_caddr xdst;		/* binat inbound: the pool address */
};

struct pfm_clist {
	struct pfm_crule *r;
	uint64_t	*evaluations;	/* per rule, kept apart from the hot rule data */
	int		n;
};

/* The packet as pf sees it (pf_pdesc): offsets into the caller's buffer. */
struct pfm_pd {
	uint8_t		*pkt;
	size_t		len;		/* IP total length (<= buffer length) */
	uint8_t		af;		/* 4 or 6 */
	uint8_t		proto;
	uint8_t		dir;		/* enum pfm_dir */
	uint16_t	kif;		/* interface index */
	uint16_t	off;		/* L4 header offset */
	uint16_t	src_off, dst_off;	/* address offsets */
	uint16_t	ipsum_off;	/* IPv4 header checksum, 0 for IPv6 */
	uint16_t	sum_off;	/* TCP/UDP/ICMP checksum offset, 0: none */
	uint16_t	sport_off, dport_off;	/* port (or ICMP id) offsets, 0: none */
	uint8_t		sum_udp;	/* UDP: a zero checksum stays zero */
	uint8_t		sum_pseudo;	/* the L4 checksum covers the addresses */
	uint8_t		frag;		/* a fragment (offset or MF) */
	uint8_t		icmp_err;	/* an ICMP error (quote follows) */
	uint8_t		tcp_flags, thoff;
	uint8_t		icmp_type, icmp_code;
	uint16_t	icmp_id;	/* network order */
	uint16_t	sport, dport;	/* network order (ICMP: id, id) */
	uint32_t	seq, ack;	/* host order */
	uint16_t	win;		/* host order */
	uint32_t	p_len;		/* TCP/UDP payload length */
	uint32_t	tot_len;	/* IP total length incl. header */
	uint16_t	tag;		/* the packet's pf tag (mbuf tag): id, 0 none */
	uint8_t		badopts;	/* IPv4 options or an IPv6 routing header */
	struct pfm_act	act;		/* pd->act's scrub part: the scrub rules' and the
					 * deciding rule's options, or its state's */
};

/* An endpoint-independent UDP mapping (FreeBSD 14.2 pf_udp_mapping): the inside
 * endpoint (address, port) and the outside one the nat rule gave it, kept while a
 * state uses it. Ports in network order. */
struct pfm_udpmap {
	uint8_t		in[16], ex[16];
	uint16_t	in_port, ex_port;
	uint8_t		af;
	int		refs;
	struct pfm_udpmap *next;
};

/* The state table: open addressing (linear probing, backward-shift deletion) over
 * 16-byte slots, four to a cache line: the key's full hash as a tag and the key,
 * which lives inside its state. A hit reads one slot line and the state; states are
 * slab allocated. Equal keys stay in insertion order along their probe run.
 * Deviation from pf, for speed only: pf's key hash has a fixed number of rows
 * (net.pf.states_hashsize, 131072 by default) and chains grow with the state count;
 * this table starts small and doubles at half full, so a lookup stays O(1) at 10^6
 * states. Nothing a caller sees depends on it (lookup order among equal keys kept). */
struct pfm_hslot {
	uint64_t	h;
	struct pfm_skey	*k;		/* NULL: empty */
};

struct pfm_stab {
	struct pfm_hslot *slot;
	size_t		mask;		/* nslots - 1 */
	size_t		nkeys;
	size_t		count;		/* states */
	struct pfm_state *head, *tail;	/* creation order */
	struct pfm_state *freelist;
	void		**slab;
	size_t		nslab, slabcap;
	size_t		nalloc;		/* states the slabs hold */
	size_t		bytes;		/* slabs + slots, as allocated */
	uint64_t	hashkey;
};

struct pfm {
	struct pfm_host	host;
	int		refused15;	/* the last load was refused by pfm_refuse15 */
	char		ifn[PFM_MAXIF][PFM_IFNAMSIZ];	/* interface index -> name */
	int		nifn;
	uint64_t	ifskip;		/* `set skip` per interface index */
	int		last_kif;	/* one-entry cache for the interface lookup */
	struct pfm_ruleset *rs;
	struct pfm_ruleset **old;	/* replaced rulesets: states still point at them */
	int		nold;
	struct pfm_clist list[PFM_L_MAX];
	struct pfm_clist *alist;	/* anchors' lists, PFM_L_MAX per anchor, in
					 * ruleset order (pfm_anchor.clist points here) */
	int		nalist;		/* anchors compiled */
	struct pfm_stab	st;
	/* tunables (from the ruleset, or defaults) */
	uint32_t	limit_states;
	uint32_t	timeout[PFM_TM_MAX];
	enum pfm_block	block_policy;
	int		filter_local;
	char		services[256];
	/* counters */
	uint64_t	counters[PFM_RES_MAX];
	uint64_t	fcounters[PFM_FCNT_MAX];
	uint64_t	lcounters[PFM_LCNT_MAX];
	uint64_t	pcounters[2][2][2];	/* [v6][out][drop] */
	uint64_t	bcounters[2][2];	/* [v6][out] */
	uint64_t	since_ms, now_ms;
	int		clock_set;
	int64_t		wall_ms;	/* the wall clock minus pf's (pfm_set_wallclock) */
	uint64_t	rng;
	uint64_t	last_purge_ms;
	/* source tracking (pfm_src.c): NULL until a rule asks for it */
	struct pfm_srctab *src;
	uint32_t	limit_src_nodes;	/* set limit src-nodes */
	struct pfm_fragtab *frag;	/* fragment queues (pfm_frag.c), NULL: none yet */
	uint32_t	limit_frags;	/* set limit frags */
	int		reass_opt;	/* set reassemble: PFM_REASS_* */
	/* tag names (tagname2tag): id i + 1 is tagname[i]; ids stay valid across loads,
	 * as states keep them */
	char		(*tagname)[64];
	int		ntag;
	/* run time (pfm_rt.c) */
	int		disabled;	/* pfctl -d: pf_test is not called */
	uint32_t	hostid;		/* pf's own, when the ruleset sets none */
	uint64_t	stateid;	/* the next state's id (V_pf_stateid) */
	int		keep_counters;	/* V_pf_status.keep_counters: the last main
					 * ruleset loaded said `set keepcounters` */
	struct pfm_ruleset *grave;	/* rules and tables replaced at run time (in old) */
	/* endpoint-independent UDP mappings (pfm_nat.c), and the one the packet under
	 * test found or made (pend; pend_new: not in the list yet) */
	struct pfm_udpmap *udpmaps, *udpmap_pend;
	int		udpmap_pend_new;
	/* syncookies (pfm_syncookie.c): active now, the two keys by parity, cookies in
	 * flight per parity, the parity, the key period last rotated to; nested: a
	 * SYN rebuilt from a cookie is under test */
	int		sc_active, sc_oddeven, sc_nested;
	uint64_t	sc_key[2], sc_inflight[2], sc_epoch;
	/* af-to (pfm_afto.c): the packet rebuilt in the other family */
	uint8_t		*afto_buf;
	size_t		afto_cap;
	/* FreeBSD 15 (pfm_fb15.c): the match rules of the packet under test */
	struct pfm_rule	**m15buf;
	size_t		m15cap;
};

/* The model has no wall clock: the time_second pf's state ids start from is this
 * plus the caller's clock in seconds (pfm_rt_enable, DIOCSTART). */
#define PFM_STATEID_EPOCH	1700000000ull

/* pfm_core.c */
/* The interface index of name, added when new; when the table is full, the last
 * index, which the names past it share. */
int	pfm_if_index(struct pfm *, const char *name);
void	pfm_if_resolve(struct pfm *);	/* recompute set skip and rule interface masks */
int	pfm_if_loopback(const char *name);
/* Whether interface index idx is `want` or in group `want` (pfi_kkif_match). */
int	pfm_if_in(const struct pfm *, int idx, const char *want);
uint32_t pfm_random(struct pfm *);
/* The id of tag `name` (made on first use), 0 for "" or when out of memory. */
uint16_t pfm_tag_id(struct pfm *, const char *name);

/* pfm_show.c, pfm_show_rules.c: pfctl's views (pf/ctl prints them). */
/* One state as pfctl -ss prints it, with -v's (verbose 1) or -vv's (2) lines. */
void	pfm_show_state_v(struct pfm *, const struct pfm_state *, FILE *, int verbose);
/* Drop the states whose timeout passed (what pf's purge thread would have). */
void	pfm_purge_expired(struct pfm *);
#define PFM_SHOW_V		0x01	/* -v: counters */
#define PFM_SHOW_VV		0x02	/* -vv: @N, last active time */
#define PFM_SHOW_DEBUG		0x04	/* -g: @N */
#define PFM_SHOW_RECURSE	0x08	/* -a ending in "*": every anchor call expanded */
#define PFM_SHOW_NAT		0x10	/* -sn rather than -sr */
#define PFM_SHOW_LABELS		0x20	/* -sl */
#define PFM_SHOW_ZERO		0x40	/* -z: counters of the listed rules cleared */
#define PFM_SHOW_NUMERIC	0x80	/* -P: ports as numbers */
/* pfctl -sr / -sn / -sl of the main ruleset or of anchor (NULL or ""): 0, or -1 when
 * there is no such anchor (nothing printed). */
int	pfm_show_list(struct pfm *, FILE *, const char *anchor, int opts);
/* pfctl -s ether of the main ruleset or of anchor (pfm_eth.c; opts PFM_SHOW_V, _VV,
 * _DEBUG, _RECURSE): 0, or -1 when there is no such anchor (nothing printed). */
int	pfm_show_ether(struct pfm *, FILE *, const char *anchor, int opts);

/* pfm_rt.c, pfm_rt_kill.c: pfctl's changes to a running pf (pf/ctl uses them). */
/* What pfctl -k / -K name: the family (4 or 6), the source net, the destination net
 * when has_dst, the interface (NULL: any). */
struct pfm_kill {
	int		af;
	uint8_t		src[16], smask[16], dst[16], dmask[16];
	int		has_dst;
	const char	*ifname;
	/* -k gateway: the route-to/reply-to/dup-to next hop (pf's psk_rt_addr); a
	 * state without one has the zero address */
	uint8_t		rt[16], rtmask[16];
	int		match;		/* -M: each kill takes its matching state too */
};
/* pfctl -e / -d: 0, or -1 when pf already is so. */
int	pfm_rt_enable(struct pfm *, int on, uint64_t now_ms);
int	pfm_rt_enabled(const struct pfm *);
/* pfctl -a PATH -f: the text parsed and grafted into the anchor at PATH (made with its
 * parents when missing): its rules, the tables it defines; the rest of pf stays, states
 * too. 0, or -1 with pfctl's messages in d (nothing changed). */
int	pfm_rt_load_anchor(struct pfm *, const char *path, const char *text,
	    const struct pfm_load_opts *, struct diag *d);
/* pfctl -T load -f (PFCTL_FLAG_TABLE alone): the text parsed, and only the tables it
 * defines committed into the anchor (NULL: the main ruleset); its rules, options and
 * the other tables stay. 0, or -1 with pfctl's messages in d (nothing changed). */
int	pfm_rt_load_tables(struct pfm *, const char *anchor, const char *text,
	    const struct pfm_load_opts *, struct diag *d);
/* The anchor at path, made with its parents when missing; NULL: out of memory. */
struct pfm_anchor *pfm_rt_anchor(struct pfm_ruleset *, const char *path);
/* The table (anchor or NULL, name), or NULL. */
struct pfm_table *pfm_rt_table_find(const struct pfm_ruleset *, const char *anchor,
	    const char *name);
/* The table pfctl -T add writes to: found, or made (and its anchor); made active and
 * persistent when it was not active (*created 1). NULL: out of memory. */
struct pfm_table *pfm_rt_table(struct pfm *, const char *anchor, const char *name,
	    int *created);
/* pfm_adopt's part: what a reload of the main ruleset keeps from the old one (anchors
 * loaded at run time, tables filled at run time). */
void	pfm_rt_carry(struct pfm *, struct pfm_ruleset *old, struct pfm_ruleset *nw);
/* Kills and flushes; each returns how many went (or -1 out of memory). */
int	pfm_rt_kill_states(struct pfm *, const struct pfm_kill *);
int	pfm_rt_kill_label(struct pfm *, const char *label, const char *ifname, int match);
/* -k id: the state of that id and creator (0: this pf's hostid); 1 or 0. */
int	pfm_rt_kill_id(struct pfm *, uint64_t id, uint32_t creator);
int	pfm_rt_flush_states(struct pfm *, const char *ifname, int match);
int	pfm_rt_flush_rules(struct pfm *, const char *anchor, int nat);	/* 0 or -1 */
int	pfm_rt_flush_tables(struct pfm *, const char *anchor);
void	pfm_rt_table_kill(struct pfm_table *);	/* deactivated and emptied */
int	pfm_rt_flush_sources(struct pfm *);
void	pfm_rt_reset_ifflags(struct pfm *);	/* pf: interface flags reset */
void	pfm_rt_clear_info(struct pfm *, uint64_t now_ms);
void	pfm_rt_zero_rules(struct pfm *);
int	pfm_rt_debug(struct pfm *, int level);		/* PFM_DEBUG_*; 0 or -1 */
/* pfm_src.c: pfctl -K: the source nodes of k; the states stay. How many. */
int	pfm_src_kill(struct pfm *, const struct pfm_kill *);

/* The table a rule's <name> reads: t itself, or, for a table of a runtime anchor that
 * its anchor never defined or filled, the main ruleset's table of that name (NULL:
 * none, which matches nothing). */
static inline const struct pfm_table *
pfm_table_used(const struct pfm_table *t)
{
	return (t != NULL && t->anchor != NULL && !t->active ? t->root : t);
}

/* pfm_eth.c: FreeBSD 14's ether rules. pfm_eth_test: pf_test_eth on the packet pd
 * (parsed, dir and kif set): PFM_PASS (pd->tag set by a passing rule's tag) or
 * PFM_DROP; *rm the deciding rule, NULL when none matched (pass). pfm_eth_refuse:
 * the ether rules of rs the model cannot evaluate (MAC addresses, bridge-to), each
 * said into d at its line; their number (0: none). */
enum pfm_action pfm_eth_test(struct pfm *, struct pfm_pd *, const struct pfm_eth_rule **rm);
int	pfm_eth_refuse(const struct pfm_ruleset *, struct diag *d);
/* pfctl -F ethernet: the ether rules of the main ruleset or of anchor (NULL or "")
 * flushed, freed (a verdict's eth that pointed at one is stale). */
void	pfm_eth_flush(struct pfm *, const char *anchor);
/* pfctl -a PATH -f: the file's ether rules (*from, taken) replace anchor dst's. */
void	pfm_eth_graft(struct pfm_anchor *dst, struct pfm_eth_rule **from);
/* What of ether rule r the model cannot evaluate (*why: the reason), NULL: none. */
const char *pfm_eth_unmodelled(const struct pfm_eth_rule *r, const char **why);

/* pfm_compile.c: the ruleset's rules into pf->list and the anchors' lists (0, or -1
 * with err); pfm_compile_free empties them; pfm_compile_sync copies the compiled
 * lists' evaluation counts onto their rules. */
int	pfm_compile(struct pfm *, struct pfm_ruleset *, char *err, size_t errlen);
void	pfm_compile_free(struct pfm *);
void	pfm_compile_sync(struct pfm *);

/* pfm_load.c */
/* Install a parsed (or hand-built) ruleset: 0, and pf owns it; or -1 with d, the
 * caller still owns it and the previous ruleset stays. */
int	pfm_adopt(struct pfm *, struct pfm_ruleset *, struct diag *d);
/* pf_commit_rules under `set keepcounters`: each rule of the list nw that is
 * identical (pf_hash_rule's fields) to one of the replaced list old takes over its
 * evaluations, packets and bytes. The old rules' counts must be synced. */
void	pfm_keep_counters(const struct pfm_rule *old, struct pfm_rule *nw);

/* pfm_pkt.c */
int	pfm_pkt_parse(struct pfm_pd *, uint8_t *pkt, size_t len, enum pfm_res *);
uint16_t pfm_get16(const uint8_t *);
void	pfm_put16(uint8_t *, uint16_t);
uint32_t pfm_get32(const uint8_t *);
void	pfm_put32(uint8_t *, uint32_t);
/* Rewrite an address/port at `at` in the packet, fixing the IPv4 header checksum at
 * ipsum (0: none) and the L4 checksum at sum (0: none). */
void	pfm_pkt_set_addr(uint8_t *pkt, size_t at, const uint8_t *na, int af,
	    size_t ipsum, size_t sum, int udp);
void	pfm_pkt_set_port(uint8_t *pkt, size_t at, uint16_t np, size_t sum, int udp);
void	pfm_pkt_set_byte16(uint8_t *pkt, size_t at, uint16_t nv, size_t sum, int udp);
/* Parse the header quoted in an ICMP error into pd2 (offsets into the same buffer):
 * 0 to look it up, -1 nothing to look up, else the pfm_res counter pf bumps. */
int	pfm_pkt_parse_quote(const struct pfm_pd *, struct pfm_pd *pd2);
int	pfm_is_icmp_error(int af, int type);

/* pfm_state.c */
int	pfm_stab_init(struct pfm_stab *);
void	pfm_stab_free(struct pfm_stab *);
void	pfm_key_from_pd(const struct pfm_pd *, struct pfm_skey *, int pkt_src_idx);
struct pfm_state *pfm_state_find(struct pfm *, const struct pfm_skey *, int role,
	    uint16_t kif);
int	pfm_state_exists(struct pfm *, const struct pfm_skey *, int role);
uint64_t pfm_state_prefetch_slot(const struct pfm *, const struct pfm_skey *);
void	pfm_state_prefetch_state(const struct pfm *, uint64_t hash);
struct pfm_state *pfm_state_alloc(struct pfm *);
/* Insert with its keys filled in; 0, or -1 (key collision: the state is freed). */
int	pfm_state_insert(struct pfm *, struct pfm_state *);
void	pfm_state_unlink(struct pfm *, struct pfm_state *);
/* pf_src_connlimit where pf calls it (a TCP handshake completed), with the overload
 * flush of pf_overload_task: 1 when the state was killed and the packet must be
 * dropped (src-limit), 0 otherwise. */
int	pfm_state_connlimit(struct pfm *, struct pfm_state *);
int	pfm_state_expired(struct pfm *, const struct pfm_state *, uint64_t now);
uint32_t pfm_state_timeout_ms(struct pfm *, const struct pfm_state *);

/* pfm_tcp.c */
/* 0 pass, 1 pass with seq/ack (modulate, synproxy) rewritten, -1 drop (*res set). */
int	pfm_tcp_track(struct pfm *, struct pfm_state *, struct pfm_pd *,
	    struct pfm_peer *src, struct pfm_peer *dst, enum pfm_res *);
/* The creating side's peer; with `modulate state` on a SYN its seq is rewritten:
 * returns 1 then, else 0. s->rule must be set. */
int	pfm_tcp_state_init(struct pfm *, struct pfm_state *, const struct pfm_pd *);
uint8_t	pfm_tcp_wscale(const struct pfm_pd *);
uint16_t pfm_tcp_mss(const struct pfm_pd *);

/* pfm_nat.c */
/* Find the translation rule for pd and build the keys; returns the rule (NULL: none)
 * and fills skw/sks (the wire-side and stack-side keys, as pf's skw/sks); *reason set
 * non-zero when a translation rule matched but no mapping could be found. */
struct pfm_rule *pfm_nat_match(struct pfm *, struct pfm_pd *, struct pfm_skey *skw,
	    struct pfm_skey *sks, enum pfm_res *reason);
/* Rewrite the packet's addresses and ports to those of key k (the side the packet
 * must show), fixing checksums. Returns 1 when bytes changed. */
int	pfm_nat_apply(struct pfm_pd *, const struct pfm_skey *k, int src_idx);
/* pfm_udpmap.c: endpoint-independent mappings: the state s was made with the mapping the packet
 * found or made (one reference more); the packet is done (a mapping it made and no
 * state took is dropped); s is going (one reference less); every mapping, at the
 * end. */
/* The mapping of the inside (outside: 0) or outside (1) endpoint (a, port), or NULL. */
struct pfm_udpmap *pfm_udpmap_find(struct pfm *, int af, const uint8_t *a, uint16_t port,
	    int outside);
void	pfm_udpmap_commit(struct pfm *, const struct pfm_state *s);
void	pfm_udpmap_discard(struct pfm *);
void	pfm_udpmap_state_gone(struct pfm *, const struct pfm_state *s);
void	pfm_udpmap_free(struct pfm *);
int	pfm_match_caddr(const struct pfm_caddr *, const uint8_t *a, int af);
/* pf_map_addr: the address of r's pool for source saddr (af 4 or 6) into naddr
 * (sticky-address, bitmask, random, source-hash, round-robin); *entry (may be NULL):
 * the pool entry it came from, -1 when a source node gave it. 0, or -1: none. */
int	pfm_map_addr(struct pfm *, struct pfm_rule *r, const uint8_t *saddr, int af,
	    uint8_t *naddr, int *entry);
/* The pool translation rule r takes addresses from: an old nat/rdr/binat rule's
 * rpool; a FreeBSD 15 pass or match rule's nat-to pool, else its rdr-to pool
 * (pf_rule_apply_nat: a rule with both takes nat-to). */
static inline const struct pfm_pool *
pfm_trans_pool(const struct pfm_rule *r)
{
	if (r->action == PFM_R_PASS || r->action == PFM_R_MATCH)
		return (r->natpool.naddr > 0 ? &r->natpool : &r->rdrpool);
	return (&r->rpool);
}
/* FreeBSD 15's pf_get_transaddr for pass or match rule r with nat-to or rdr-to, as
 * pfm_nat_match does it for the old rules: r and the keys, or NULL when the
 * translation changes nothing; *reason map-failed when no address or port. */
struct pfm_rule *pfm_nat_rule15(struct pfm *, struct pfm_rule *r, struct pfm_pd *,
	    struct pfm_skey *skw, struct pfm_skey *sks, enum pfm_res *reason);
int	pfm_match_port(int op, uint16_t lo, uint16_t hi, uint16_t port);
/* pf_map_addr on pool (one of r's) for family af (4 or 6): 0, or -1 none. */
int	pfm_map_pool(struct pfm *, struct pfm_rule *r, struct pfm_pool *pool,
	    const uint8_t *saddr, int af, uint8_t *naddr);

/* pfm_afto.c: FreeBSD 15's af-to (IPv6 to IPv4 and IPv4 to IPv6). */
/* Whether s is an af-to state (its keys of two families). */
int	pfm_afto_state(const struct pfm_state *);
/* The keys of pd's translation by af-to rule c (a pass rule deciding an IPv6 TCP,
 * UDP or ICMPv6 echo packet, in or out): the packet's (skw in, sks out) and one of
 * the other family (the other). 0, or -1 with *res (map-failed). */
int	pfm_afto_keys(struct pfm *, const struct pfm_crule *c, struct pfm_pd *,
	    struct pfm_skey *skw, struct pfm_skey *sks, enum pfm_res *res);
/* The af-to state an inbound packet of its stack key's family belongs to (key:
 * the packet's, source first), or NULL. */
struct pfm_state *pfm_afto_find(struct pfm *, const struct pfm_pd *,
	    const struct pfm_skey *key);
/* An if-bound af-to state made inbound, bound to the interface its translated
 * packets leave by (origif: the one they came in on). */
void	pfm_afto_bind(struct pfm *, struct pfm_state *);
/* pd rebuilt in k's family with k's addresses and ports (k->addr[1], port[1] the
 * source) into pf's buffer: v->afto, v->afto_len, v->rewritten. 0, or -1 (drop). */
int	pfm_afto_rebuild(struct pfm *, const struct pfm_pd *, const struct pfm_skey *k,
	    struct pfm_verdict *v);
/* pd through af-to state s (pf_test_state's af-to part, PF_AFRT): 1 rebuilt in the
 * other family into v (pfm_afto_rebuild), 0 it passes as it is (a translated
 * packet of an inbound state going out), -1 it cannot be rebuilt (drop). */
int	pfm_afto_pass(struct pfm *, const struct pfm_pd *, const struct pfm_state *s,
	    struct pfm_verdict *v);
/* Room for len bytes in pf's af-to buffer (NULL: none). */
uint8_t *pfm_afto_buf(struct pfm *, size_t len);
/* An IP header of family af at b (20 or 40 bytes) for dlen bytes of payload:
 * tos and TTL from pd's header (NULL: 0, an inner header), IPv4 with DF, a drawn id
 * and its checksum. */
void	pfm_afto_iphdr(struct pfm *, uint8_t *b, int af, const struct pfm_pd *pd,
	    uint8_t proto, const uint8_t *src, const uint8_t *dst, size_t dlen);

/* pfm_afto_icmp.c: ICMP errors through af-to states. */
/* pd, an inbound ICMP error whose quote pd2 belongs to af-to state s, rebuilt in
 * the state's other family into pf's buffer: v->afto, v->afto_len, v->rewritten.
 * 0, or -1: pf drops it (a type with no counterpart, a quote it cannot rebuild). */
int	pfm_afto_icmp(struct pfm *, const struct pfm_pd *pd, const struct pfm_pd *pd2,
	    const struct pfm_state *s, struct pfm_verdict *v);

/* pfm_syncookie.c */
/* The mode a load set: `always` active at once (pf_set_syncookies). */
void	pfm_syncookie_load(struct pfm *);
/* pf_synflood_check: 1 when pf answers this SYN with a cookie. */
int	pfm_synflood_check(struct pfm *);
/* pf_syncookie_send: the cookie SYN|ACK into v's emits; counted. */
void	pfm_syncookie_send(struct pfm *, const struct pfm_pd *, struct pfm_verdict *);
/* pf_syncookie_validate: 1 when the ACK carries a good cookie (counted). */
int	pfm_syncookie_validate(struct pfm *, const struct pfm_pd *);
/* pf_syncookie_recreate_syn: the client's SYN rebuilt into out; its length. */
size_t	pfm_syncookie_syn(const struct pfm_pd *, uint8_t *out, size_t cap);

/* pfm_reply.c */
/* The block return answer to the original (untranslated) packet orig: TCP RST|ACK or
 * ICMP/ICMPv6 port unreachable, as pf_send_tcp/pf_send_icmp build it; an ICMP error
 * comes from isrc (pfm_icmp_source). Its length, 0 when none is due. */
size_t	pfm_reply_build(const uint8_t *orig, size_t len, const struct pfm_pd *pd,
	    const struct pfm_rule *r, enum pfm_block how, const uint8_t *isrc,
	    uint8_t *out, size_t cap);
/* 1 when addr is in the network of ia (its prefix length). */
int	pfm_ifaddr_holds(const struct pfm_ifaddr *ia, const uint8_t *addr);
/* The source address the kernel gives pf's ICMP error about orig (icmp_reflect,
 * icmp6_reflect) into src (4 or 16 bytes). */
void	pfm_icmp_source(const struct pfm *pf, const struct pfm_pd *pd,
	    const uint8_t *orig, uint8_t *src);
/* A TCP segment as pf_build_tcp makes it (ports in network order; mss 0: no option;
 * ttl 0: 64). Its length, 0 when cap is too small. */
size_t	pfm_tcp_build(uint8_t *out, size_t cap, int af, const uint8_t *src,
	    const uint8_t *dst, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
	    uint8_t flags, uint16_t win, uint16_t mss, uint8_t ttl);

/* pfm_synproxy.c */
/* A synproxy state was just created from client SYN pd: pf answers it (SYN|ACK in
 * v->emit) and the SYN goes no further. */
void	pfm_synproxy_start(struct pfm *, struct pfm_state *, const struct pfm_pd *,
	    struct pfm_verdict *);
/* pf_synproxy on a state hit: 0 when the state is past the proxy stage (track the
 * packet as usual); 1 when the packet is consumed (v filled: dropped, maybe with
 * packets to send). */
int	pfm_synproxy(struct pfm *, struct pfm_state *, const struct pfm_pd *,
	    struct pfm_verdict *);

/* pfm_src.c */
/* A state's timeout class once pf has killed it (PFTM_PURGE): expired at once. */
#define PFM_TM_PURGE	PFM_TM_MAX
/* Source node types (FreeBSD 15's pf_sn_types; under 14 the filter rule's node is
 * PFM_SN_LIMIT, the translation rule's PFM_SN_NAT). */
enum { PFM_SN_LIMIT, PFM_SN_NAT, PFM_SN_ROUTE, PFM_SN_MAX };
#define PFM_SNF_GLOBAL	8	/* pfm_src_of: the limit node is source-track global's */
/* The source nodes a state about to be created takes (pf_create_state), by type. */
struct pfm_srcref {
	struct pfm_srcnode *sn[PFM_SN_MAX];
	const struct pfm_rule *rule;
};
/* pf_insert_src_node: find or make the node of type `type` keyed by rule key (NULL:
 * the default rule, 15's source-track global) for source a, holding one more state;
 * r is the rule whose limits apply. PFM_RES_MATCH and *out, or why the state is
 * refused (src-limit, memory). */
enum pfm_res pfm_sn_insert(struct pfm *, const struct pfm_rule *key,
	    const struct pfm_rule *r, int type, const uint8_t *a, int af,
	    struct pfm_srcnode **out);
void	pfm_sn_set_raddr(struct pfm_srcnode *, const uint8_t *a);	/* 16 bytes */
/* pfm_src_track under 14 (pfm_src.c) and 15 (pfm_src15.c: pf_create_state's
 * nodes by type); the names pfctl prints for a node type (PF_SN_TYPE_NAMES);
 * a state's node flags as 15's print_state -v prints them (pfm_src15.c). */
enum pfm_res pfm_src_track14(struct pfm *, const struct pfm_pd *, const struct pfm_rule *r,
	    const struct pfm_rule *nr, const struct pfm_skey *skw, const struct pfm_skey *sks,
	    struct pfm_srcref *);
enum pfm_res pfm_src_track15(struct pfm *, const struct pfm_pd *, const struct pfm_rule *r,
	    const struct pfm_rule *nr, const struct pfm_skey *skw, const struct pfm_skey *sks,
	    struct pfm_srcref *);
const char *pfm_sn_type_name(int type);
void	pfm_src_print_flags15(FILE *, int flags);
/* pf_check_src_node_valid: address a is in one of the pool's n prefixes p. */
int	pfm_sn_valid15(const struct pfm_prefix *p, int n, const uint8_t *a);
/* The node type a sticky pool of rule r keeps its address in: route-to's (the
 * filter rule's node under 14) or the translation's. */
int	pfm_sn_pool_type(const struct pfm *, const struct pfm_rule *r,
	    const struct pfm_pool *pool);
/* Find or make the nodes of the filter rule r and translation rule nr for the state
 * of pd (keys skw/sks as pfm_nat_match made them); PFM_RES_MATCH, or why the state is
 * refused (src-limit, memory) with nothing taken. */
enum pfm_res pfm_src_track(struct pfm *, const struct pfm_pd *, const struct pfm_rule *r,
	    const struct pfm_rule *nr, const struct pfm_skey *skw, const struct pfm_skey *sks,
	    struct pfm_srcref *);
/* pf_map_addr on a sticky route-to pool: the node of that type (pfm_sn_pool_type)
 * keeps the address (16 bytes) chosen for the state. */
void	pfm_src_set_raddr(struct pfm_srcref *, int type, const uint8_t *a);
/* The state was not created after all: give the nodes back; returns res. */
enum pfm_res pfm_src_undo(struct pfm *, struct pfm_srcref *, enum pfm_res res);
/* The state was inserted: it holds the nodes until it is unlinked (PFM_SC_SRC). */
void	pfm_src_bind(struct pfm *, struct pfm_state *, struct pfm_srcref *);
/* pfm_state_unlink's hook: the state's nodes lose it (pf_src_tree_remove_state). */
void	pfm_src_state_gone(struct pfm *, const struct pfm_state *);
/* pf_src_connlimit, when a TCP state's handshake completes: 1 when the state was
 * killed (max-src-conn, max-src-conn-rate) and its source put in the overload table;
 * 2 when, besides, the rule says `flush`: the states of the source flush_addr (of
 * family *flush_af, 4 or 6) are the caller's to end (pfm_state_connlimit does). */
int	pfm_src_connlimit(struct pfm *, struct pfm_state *, uint8_t *flush_addr,
	    int *flush_af);
/* sticky-address: 1 and naddr set when the source's node of rule r and type `type`
 * has an address. */
int	pfm_src_sticky(struct pfm *, const struct pfm_rule *r, int type,
	    const uint8_t *saddr, int af, uint8_t *naddr);
/* Drop that node, its states keeping no link to it (15's pf_map_addr_sn); keep: the
 * state being made already holds it: it stays, made anew for that state. */
void	pfm_src_forget(struct pfm *, const struct pfm_rule *r, int type,
	    const uint8_t *saddr, int af, int keep);
/* pf_test's counters of the state's nodes (packets, bytes) for a packet it passed. */
void	pfm_src_count_pkt(struct pfm *, const struct pfm_state *, const struct pfm_pd *);
/* The nodes state s holds: bit 1 << PFM_SN_* per type (14: 1 its filter rule's, 2
 * its translation rule's), and PFM_SNF_GLOBAL. */
int	pfm_src_of(const struct pfm *, const struct pfm_state *);
/* pfctl -sS [-v]. */
void	pfm_show_srcnodes_v(struct pfm *, FILE *, int verbose);
void	pfm_src_expire(struct pfm *);		/* free nodes past their expiry */
void	pfm_src_free(struct pfm *);
size_t	pfm_src_count(const struct pfm *);	/* live nodes */
uint64_t pfm_src_counter(const struct pfm *, int i);	/* PFM_FCNT_* of the nodes */

/* pfm_frag.c */
enum { PFM_FRAG_PASS, PFM_FRAG_HELD, PFM_FRAG_DROP, PFM_FRAG_DONE };
/* pf_normalize_ip/ip6 for pd, which scrub rule r matched (NULL: none; `no scrub` rules
 * are passed too); scrub_any: the ruleset has scrub rules. PFM_FRAG_PASS (pd maybe
 * rewritten), PFM_FRAG_HELD (pf keeps the fragment), PFM_FRAG_DROP (*res: the counter),
 * PFM_FRAG_DONE: the packet is complete and pd now describes it, in a buffer of pf's. */
int	pfm_frag_normalize(struct pfm *, struct pfm_pd *pd, const struct pfm_rule *r,
	    int scrub_any, enum pfm_res *res);
/* pf_rule_to_actions' scrub part: rule r's options (a scrub rule's, a filter rule's)
 * added to a, a later rule's overriding. r may be NULL. */
void	pfm_frag_act_add(struct pfm_act *a, const struct pfm_rule *r);
/* pf_create_state: s->act = pd->act (PFM_SC_ACT when it holds anything). */
void	pfm_frag_act_keep(struct pfm_state *s, const struct pfm_pd *pd);
/* pf_test's end for a packet it passed: pd.act, replaced by state s's (pd.act =
 * s->act; s NULL: none, the packet's own), applied as pf_scrub_ip/ip6 and
 * pf_normalize_mss do; v->rewritten set when that changed the packet. */
void	pfm_frag_act_pass(struct pfm *, struct pfm_pd *pd, const struct pfm_state *s,
	    struct pfm_verdict *v);
#define PFM_REASS_YES	0x01	/* set reassemble yes */
#define PFM_REASS_NODF	0x02	/* ... no-df */
/* PFM_REASS_* of the `set reassemble` in a ruleset's preamble (NULL: none). */
int	pfm_frag_reass_opt(const char *preamble);
void	pfm_frag_purge(struct pfm *, uint64_t now_ms);	/* queues past `timeout frag` */
void	pfm_frag_free(struct pfm *);	/* every queue and the table */

/* pfm_anchor.c: anchors in the rule walk (pf_step_into_anchor/pf_step_out_of_anchor).
 * A walk keeps the list and index it is at; an anchor rule that matched steps into
 * its anchor (a wildcard: into each child in turn), the end of a list steps out. */
#define PFM_ANCHOR_STACK	32	/* PF_ANCHOR_STACK_MAX */
struct pfm_astack {
	struct {
		struct pfm_clist *cl;	/* the list the anchor rule is in */
		int		i;	/* its index there */
		const struct pfm_anchor *child;	/* wildcard: the child walked */
		int		matched;	/* wildcard: a child matched */
	} f[PFM_ANCHOR_STACK];
	int		depth;
};
/* Step into the anchor of rule (*cl)->r[*i]; *match (may be NULL) is reset. */
void	pfm_anchor_step_in(struct pfm *, struct pfm_astack *, enum pfm_list,
	    struct pfm_clist **cl, int *i, int *match);
/* At the end of *cl: step out to the rule after the anchor rule (or the next child of
 * a wildcard). Returns the anchor rule's quick when a rule in it matched; *done when
 * the main list is over. */
int	pfm_anchor_step_out(struct pfm *, struct pfm_astack *, enum pfm_list,
	    struct pfm_clist **cl, int *i, int *match, int *done);

/* pfm_fb15.c: FreeBSD 15's additions to the filter walk (pfm_filter's x, NULL
 * under 14): what pf_test_ctx and pf_rule_actions carry as far as the model
 * follows them. */
struct pfm_act15 {
	struct pfm_rule	*nr;		/* translation rule: an old nat/rdr/binat, or
					 * the pass/match rule whose nat-to/rdr-to ran */
	int		filter_nat;	/* nr is a filter rule's: skw, sks are its */
	struct pfm_skey	skw, sks;
	int		rewritten;	/* the packet was translated */
	int		allow_opts;	/* pf_rule_actions.allow_opts */
	uint16_t	max_pkt_size;	/* pf_rule_actions.max_pkt_size, 0 none */
	enum pfm_res	res;		/* PFM_RES_MATCH, or why the packet is dropped */
	struct pfm_rule	**mr;		/* pf_test_ctx's match_rules, in walk order */
	size_t		nmr;
};
/* Whether the loaded ruleset is evaluated as FreeBSD 15's pf does. */
static inline int
pfm_is15(const struct pfm *pf)
{
	return (pf->rs != NULL && pf->rs->freebsd == PFM_FREEBSD_15);
}
/* x for a packet whose old translation rule (pfm_nat_match) is nr (may be NULL). */
void	pfm15_begin(struct pfm_act15 *x, struct pfm_rule *nr);
/* A match rule matched (pf_match_rule's PF_MATCH branch): its translation runs
 * now (pf_rule_apply_nat) and its options accumulate (pf_rule_to_actions). 1 when
 * the packet was rewritten (later rules see the new addresses), 0 not, -1: the
 * translation failed (x->res), the walk ends and the packet is dropped. */
int	pfm15_match(struct pfm *, struct pfm_pd *, struct pfm_rule *r,
	    struct pfm_act15 *x);
/* pf_test (15): a packet longer than the max-pkt-size its rules or state gave
 * (max, 0 none) is dropped, counted as normalize: 1 then. */
int	pfm15_too_long(const struct pfm_pd *, uint16_t max);
/* max-pkt-rate (15's pf_match_rule, the last of a rule's checks): counts this packet
 * against the rule r's rate at now_ms; 1 when the rule is over its rate and does not
 * match the packet, 0 it matches (also when r has no max-pkt-rate). */
int	pfm15_pkt_rate(struct pfm_rule *r, uint64_t now_ms);
/* After create_state returned res: a state just made (v->state; res match or
 * synproxy) keeps what x gathered (pf_create_state copies pd->act and takes the
 * match rules, which count it: STATE_INC_COUNTERS). -1: no memory for the list;
 * the state is gone (v says none) and the packet is the caller's to drop. */
int	pfm15_state(struct pfm *, struct pfm_verdict *v, enum pfm_res res,
	    const struct pfm_act15 *x);
/* After the walk, for the deciding rule r (NULL: the default rule): its actions and
 * translation as pf_test_rule applies them; a once rule expires. 0, or -1: x->res
 * says why it drops. */
int	pfm15_decide(struct pfm *, struct pfm_pd *, struct pfm_rule *r,
	    struct pfm_act15 *x);

/* pfm_match.c. The filter rule a packet ends on (last match, quick, anchors), or NULL
 * for the default rule; *tag: the tag it gets (a `tag` on any matching rule); *am:
 * the main ruleset's anchor rule that rule is in (pf_test_rule's *am), or NULL. */
struct pfm_act15;
struct pfm_crule *pfm_filter(struct pfm *, struct pfm_pd *, int *tag,
	    struct pfm_rule **am, struct pfm_act15 *x);
/* The scrub rule that applies to the packet (last match, as pf_normalize_ip), or NULL. */
const struct pfm_rule *pfm_scrub_match(struct pfm *, const struct pfm_pd *);
/* pf_normalize_tcp on an unfragmented TCP packet (also with no scrub rule loaded),
 * and the matching scrub rule's TCP options; -1: drop it (reason normalize). */
int	pfm_scrub(struct pfm *, struct pfm_pd *);
/* Count a packet on a rule (NULL: nothing). */
void	pfm_rule_count(struct pfm_rule *, const struct pfm_pd *);

/* pfm_count15.c: FreeBSD 15's pf_counters_inc for match rules. */
/* A packet the rules decided (a pass, or a block rule's drop): the match rules the
 * walk met (x->mr) count it. */
void	pfm15_count_walk(const struct pfm_act15 *x, const struct pfm_pd *);
/* A packet that passed through state s: its match rules count it, and its
 * translation rule when that is not among them (an old nat/rdr/binat rule, or a
 * pass rule's own nat-to, which its rule count already holds: not twice). */
void	pfm15_count_state(const struct pfm_state *s, const struct pfm_pd *);

/* pfm_tstats.c: tables' per-address statistics (pf_table.c). */
/* pf_test's pfr_update_stats calls for a packet that passed (r NULL: the default
 * rule; nr the translation rule; s the state, NULL when none) or that r blocked. */
void	pfm_table_count(struct pfm *, const struct pfm_pd *, const struct pfm_rule *r,
	    const struct pfm_rule *nr, const struct pfm_state *s);
/* An entry's counters zeroed and its Cleared time now (pfr_clstats_kentries). */
void	pfm_table_clear_entry(struct pfm_table_entry *, uint64_t now_ms);
/* The table's `counters` set to on; the entries' counters start over when it
 * changes. */
void	pfm_table_set_counters(struct pfm_table *, int on);
/* A definition nt that lists addresses replaces old (NULL or inactive: nothing to
 * keep): the addresses old held keep their Cleared time and counters. */
void	pfm_table_keep(struct pfm_table *nt, const struct pfm_table *old);

/* pfm_hit.c: a packet of an existing state. pfm_count_act counts a packet's verdict
 * in pf's interface-family counters; pfm_drop drops it with reason r (counted),
 * returning 0. pfm_hit_state and pfm_hit_icmp_error: 0 no state (the rules decide),
 * 1 handled (v filled), 2 passed by the state: the caller routes it (pf_route). */
void	pfm_count_act(struct pfm *pf, const struct pfm_pd *pd, enum pfm_action a);
int	pfm_drop(struct pfm *pf, const struct pfm_pd *pd, struct pfm_verdict *v,
	    enum pfm_res r);
int	pfm_hit_state(struct pfm *pf, struct pfm_pd *pd, struct pfm_verdict *v);
int	pfm_hit_icmp_error(struct pfm *pf, struct pfm_pd *pd, struct pfm_verdict *v);

#endif
