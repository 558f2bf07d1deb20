/* pfm_kstate.h: the pf model's state entries and their keys (pf_kstate, pf_state_key). */
#ifndef PFM_KSTATE_H
#define PFM_KSTATE_H

#include <stddef.h>
#include <stdint.h>

struct pfm_rule;

#define PFM_SK_WIRE	0
#define PFM_SK_STACK	1

/* TCP peer states, as netinet/tcp_fsm.h numbers them (pf compares them with <, >=). */
enum pfm_tcps {
	PFM_TCPS_CLOSED, PFM_TCPS_LISTEN, PFM_TCPS_SYN_SENT, PFM_TCPS_SYN_RECEIVED,
	PFM_TCPS_ESTABLISHED, PFM_TCPS_CLOSE_WAIT, PFM_TCPS_FIN_WAIT_1, PFM_TCPS_CLOSING,
	PFM_TCPS_LAST_ACK, PFM_TCPS_FIN_WAIT_2, PFM_TCPS_TIME_WAIT,
	/* synproxy: pf answers the client itself (PF_TCPS_PROXY_SRC), then opens the
	 * connection to the server (PF_TCPS_PROXY_DST) */
	PFM_TCPS_PROXY_SRC, PFM_TCPS_PROXY_DST
};

/* UDP and other protocols: PFUDPS_* / PFOTHERS_*. */
#define PFM_UDPS_NO_TRAFFIC	0
#define PFM_UDPS_SINGLE		1
#define PFM_UDPS_MULTIPLE	2

#define PFM_WSCALE_FLAG		0x80
#define PFM_WSCALE_MASK		0x0f

/* One state key: (addr[2], port[2], af, proto). Keys live inside their state; a
 * state without translation uses wkey for both wire and stack (both set). Ports and
 * addresses are kept in network order, as pf does. */
struct pfm_skey {
	uint8_t		addr[2][16];
	uint16_t	port[2];
	uint8_t		af;		/* 4 or 6 (not AF_*: keeps the key small) */
	uint8_t		proto;
	uint8_t		idx;		/* PFM_SK_WIRE or PFM_SK_STACK within its state */
	uint8_t		both;		/* this key is the state's wire and stack key */
};

struct pfm_peer {
	uint32_t	seqlo, seqhi;
	uint32_t	seqdiff;	/* modulate/synproxy: added to this side's seq */
	uint16_t	max_win;
	uint8_t		wscale;
	uint8_t		state;		/* PFM_TCPS_* or PFM_UDPS_* */
};

/* One state: 256 bytes on LP64 (four cache lines; bench-model reports the real
 * figure), laid out so that a hit on a state without translation touches two lines:
 * line 0 the wire key and what every hit reads, line 1 the peers and counters a hit
 * updates; line 2 the stack key (translated states only) and what only creation,
 * removal and listing use; line 3 what pf keeps for its views and for the few rules
 * that need it: a hit reads it only when `cold` says so (PFM_SC_*). The table's
 * slabs keep states 64-byte aligned. */
#define PFM_SC_TAG	0x01	/* a pf tag (line 2) */
#define PFM_SC_ANCHOR	0x02	/* an anchor rule counts the state's packets (line 3) */
#define PFM_SC_ROUTE	0x04	/* route-to, reply-to or dup-to (line 3) */
#define PFM_SC_SRC	0x08	/* source nodes count its packets (pfm_src.c) */
#define PFM_SC_ACT	0x10	/* scrub actions its packets get (act, line 3) */
#define PFM_SC_OPTS	0x20	/* FreeBSD 15: a match rule's allow-opts (s->act) */
#define PFM_SC_MAXPKT	0x40	/* FreeBSD 15: max-pkt-size (line 3, s->act) */
#define PFM_SC_MATCH	0x80	/* FreeBSD 15: match rules count its packets (line 3) */

/* pf_rule_actions' scrub part (FreeBSD 14 pfvar.h): what pf_scrub_ip/ip6 and
 * pf_normalize_mss do to a packet. flags: PFM_ACT_*; zero: nothing. */
#define PFM_ACT_NODF	0x01	/* PFSTATE_NODF */
#define PFM_ACT_RANDOMID 0x02	/* PFSTATE_RANDOMID */
#define PFM_ACT_SETTOS	0x04	/* PFSTATE_SETTOS */
#define PFM_ACT_SCRUB_TCP 0x08	/* PFSTATE_SCRUB_TCP (kept, not modelled) */
struct pfm_act {
	uint8_t		flags;
	uint8_t		min_ttl;
	uint8_t		set_tos;
	uint16_t	max_mss;
};
struct pfm_state {
	/* line 0 */
	struct pfm_skey	wkey;		/* wire (and stack without translation) */
	uint64_t	expire_ms;	/* last activity, caller's clock */
	const struct pfm_rule *rule;	/* filter rule (NULL: default rule) */
	uint16_t	kif;		/* interface index (if-bound), or PFM_KIF_ALL */
	uint16_t	orig_kif;	/* interface the state was created on */
	uint8_t		direction;	/* enum pfm_dir */
	uint8_t		timeout;	/* enum pfm_timeout in force */
	uint8_t		unlinked;
	uint8_t		cold;		/* PFM_SC_*: which cold fields a hit reads */
	/* line 1 */
	struct pfm_peer	src, dst;	/* src: the side that created the state */
	uint32_t	packets[2];
	uint64_t	bytes[2];	/* [0] in the state's direction, [1] back */
	const struct pfm_rule *nat_rule;	/* translation rule, or NULL */
	/* line 2 */
	struct pfm_skey	skey;		/* stack key, when it differs from the wire key */
	struct pfm_state *lnext, *lprev;	/* all states, in creation order */
	uint16_t	mss;		/* synproxy: the MSS pf offers both ends */
	uint16_t	tag;		/* pf tag its packets get (pfm_tag_id), 0 none */
	/* line 3 */
	_Alignas(64) const struct pfm_rule *anchor;	/* the main ruleset's anchor
					 * rule the matching rule was in (pf's
					 * s->anchor), or NULL */
	uint64_t	id;		/* pf's state id (pf_state_insert), host order */
	uint64_t	creation_ms;	/* created, caller's clock */
	uint8_t		rt_addr[16];	/* route-to/reply-to/dup-to next hop (pf_map_addr) */
	uint16_t	rt_kif;		/* its interface index, PFM_KIF_ALL: none given */
	uint8_t		rt;		/* enum pfm_rt of the rule (PFM_RT_NONE: none) */
	struct pfm_act	act;		/* pf_create_state's s->act (scrub part) */
	uint16_t	max_pkt;	/* FreeBSD 15's max-pkt-size, PFM_SC_MAXPKT */
	struct pfm_rule	**mrules;	/* FreeBSD 15's s->match_rules, NULL-ended
					 * (malloc'd; PFM_SC_MATCH), or NULL */
};

#define PFM_KIF_ALL	0xffff

/* Key i (PFM_SK_WIRE or PFM_SK_STACK) as stored; PFM_ST_KEY: the key in that role. */
#define PFM_SKEY(s, i)	((i) == PFM_SK_WIRE ? &(s)->wkey : &(s)->skey)
#define PFM_ST_KEY(s, i) ((s)->wkey.both ? &(s)->wkey : PFM_SKEY(s, i))

#endif
