/* pfm_tutil.h: helpers for the pf model's tests: hand-built rulesets (no parser
 * needed), a standard host, and packets sent through pfm_test in notation. */
#ifndef PFM_TUTIL_H
#define PFM_TUTIL_H

#include "pf/eval/pfm_impl.h"
#include "pkt/pkt.h"

/* An empty ruleset with pf's defaults. */
struct pfm_ruleset *tu_rs(void);
/* Append a rule of `kind` to the list it belongs to; line = its position. */
struct pfm_rule *tu_rule(struct pfm_ruleset *, enum pfm_action_kind kind);
/* "any", "10.99.0.0/28", "2001:db8::1", "(em0)", "<name>" (table t). */
void	tu_addr(struct pfm_rule_addr *, const char *spec, struct pfm_table *t);
void	tu_port(struct pfm_rule_addr *, enum pfm_op op, uint16_t lo, uint16_t hi);
/* The translation target: one address, as written after `->`. */
void	tu_pool(struct pfm_rule *, const char *spec);
/* A pass rule as pfctl makes it by default: keep state, flags S/SA for TCP. */
void	tu_keep(struct pfm_rule *);
/* The test host: em0 203.0.113.1/24 + 2001:db8::1/64, lo0 127.0.0.1/8 (group lo),
 * lo1 10.99.0.1/28 (group lo). */
void	tu_host(struct pfm_host *);
/* A pf for the test host with rs adopted. */
struct pfm *tu_pf(struct pfm_ruleset *);
/* o emptied, then its file (messages' name) and FreeBSD release (0: 14) set. */
void	tu_opts(struct pfm_load_opts *o, const char *file, int freebsd);
/* A pf for host h (NULL: the test host); the calling test stops when there is none. */
struct pfm *tu_new(const struct pfm_host *h);
/* pfm_load of conf into pf (o NULL: file "stdin"), its messages into tu_msgs (the next
 * call overwrites them). Returns pfm_load's value. */
int	tu_load_into(struct pfm *, const char *conf, const struct pfm_load_opts *o);
extern char	tu_msgs[4096];
/* A pf for the test host with the pf.conf text conf loaded as pfctl -f loads it
 * (o NULL: file "stdin", no base directory); NULL, with pfctl's messages on stderr,
 * when it does not load. */
struct pfm *tu_load(const char *conf, const struct pfm_load_opts *o);
/* tu_load(conf, NULL) that must load: the calling test stops (fails) when not. */
struct pfm *tu_must_load(const char *conf);
/* What `pfctl -o none -nv` prints for conf (-o basic when o's opts ask for it), or
 * pfctl's error text when it does not parse (*ok 0 then); o and h may be NULL (file
 * "stdin", the default host). The caller frees the text. */
char	*tu_parse(const char *conf, const struct pfm_load_opts *o,
	    const struct pfm_host *h, int *ok);
/* One pfctl run on the model: its exit status and what it printed. */
struct tu_run {
	int	 status;
	char	*out, *err;
};
/* pfctl words (split on blanks; argv[0] among them) at pf's clock now, input for
 * `-f -` (may be NULL), into r (its previous texts freed). Returns the status. */
int	tu_pfctl(struct pfm *, uint64_t now, const char *words, const char *input,
	    struct tu_run *r);
/* tu_pfctl with the load options a target passes (lo->freebsd: the release whose
 * pfctl runs; NULL as tu_pfctl, 14). */
int	tu_pfctl_lo(struct pfm *, uint64_t now, const char *words, const char *input,
	    const struct pfm_load_opts *lo, struct tu_run *r);
/* Send one packet written in notation; the (rewritten) bytes land in tu_buf/tu_len and
 * are decoded into out (may be NULL). Returns pfm_test's value; a notation that does
 * not parse or build stops the calling test (a failure, with the line and why). */
int	tu_send(struct pfm *, enum pfm_dir, const char *ifname, const char *text,
	    uint64_t now_ms, struct pfm_verdict *, struct pkt *out);
/* An ICMP echo request (reply 1: an echo reply) src > dst of id and seq, sent on em0 in
 * direction dir at now (tu_send). Returns pfm_test's value, the verdict into v. */
int	tu_echo(struct pfm *, enum pfm_dir, int reply, const char *src, const char *dst,
	    int id, int seq, uint64_t now_ms, struct pfm_verdict *v);
/* The L3 bytes of a packet in notation into buf; its length. pattern: payload byte i
 * is i & 0xff, so that data positions show. A notation that does not parse or build
 * stops the calling test (a failure, with the line and why). */
size_t	tu_l3(const char *text, int pattern, uint8_t *buf, size_t cap);
/* 1 when every checksum of the L3 packet is right (recomputed from scratch). */
int	tu_sums_ok(const uint8_t *buf, size_t len);
/* pfctl -ss / -si / -si -v / -sr -vv output into a static buffer (the next call
 * overwrites it). */
const char *tu_states(struct pfm *);
const char *tu_info(struct pfm *);
const char *tu_info_v(struct pfm *);
const char *tu_rules_vv(struct pfm *);
const char *tu_rules(struct pfm *);		/* pfctl -sr */
/* pfctl -ss -v of state s alone, into a static buffer (the next call overwrites it). */
const char *tu_state_v(struct pfm *, const struct pfm_state *s);
/* An address as text, in one of four static buffers used in turn. */
const char *tu_ntop(const struct pkt_addr *);
const char *tu_srcnodes(struct pfm *);		/* pfctl -sS */
/* The value of the counter line `name` of pfctl -si output ("  short   3 ..."); -1
 * when it has none. */
long	tu_counter(const char *info, const char *name);
/* The last packet tu_send built/rewrote. */
extern uint8_t	tu_buf[2048];
extern size_t	tu_len;

#endif
