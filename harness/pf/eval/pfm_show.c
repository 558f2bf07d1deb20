/* pfm_show.c: the model's state, status and rules printed exactly as pfctl -ss, -si
 * and -sr -vv print them (sbin/pfctl/pf_print_state.c, pfctl_parser.c, pfctl.c). */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pfm_impl.h"

static const char *const tcp_state_name[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT",
	"FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT"
};
/* PFUDPS_NAMES of FreeBSD 14's pfvar.h: "NO_TRAFFIC", one word. */
static const char *const udp_state_name[] = { "NO_TRAFFIC", "SINGLE", "MULTIPLE" };
static const char *const fcnt_name[PFM_FCNT_MAX] = { "searches", "inserts", "removals" };

static void
print_host(FILE *fp, const uint8_t *a, uint16_t port, int af)
{
	char buf[64];

	inet_ntop(af == 4 ? AF_INET : AF_INET6, a, buf, sizeof(buf));
	fputs(buf, fp);
	if (port != 0)
		fprintf(fp, af == 4 ? ":%u" : "[%u]", ntohs(port));
}

static int
host_ne(const struct pfm_skey *a, const struct pfm_skey *b, int i, uint16_t pa,
    uint16_t pb)
{
	return (memcmp(a->addr[i], b->addr[i], a->af == 4 ? 4 : 16) != 0 || pa != pb);
}

/* print_seq: a peer's window, and what modulation adds to its sequence numbers. */
static void
print_seq(FILE *fp, const struct pfm_peer *p)
{
	if (p->seqdiff)
		fprintf(fp, "[%u + %u](+%u)", p->seqlo, p->seqhi - p->seqlo, p->seqdiff);
	else
		fprintf(fp, "[%u + %u]", p->seqlo, p->seqhi - p->seqlo);
}

static void
print_hms(FILE *fp, const char *what, uint64_t sec)
{
	fprintf(fp, "%s%.2u:%.2u:%.2u", what, (unsigned)(sec / 3600),
	    (unsigned)(sec / 60 % 60), (unsigned)(sec % 60));
}

/* print_state -v's second line: age, expiry, packets and bytes each way, the anchor
 * rule and rule numbers, then the state's flags as pf exports them: those of its
 * rule (pf_create_state, pf_rule_to_actions) and its source nodes. */
static void
show_state_v(struct pfm *pf, const struct pfm_state *s, FILE *fp)
{
	const struct pfm_rule *r = s->rule;
	uint64_t exp = s->expire_ms + pfm_state_timeout_ms(pf, s);
	int sn = (s->cold & PFM_SC_SRC) ? pfm_src_of(pf, s) : 0;

	print_hms(fp, "   age ", (pf->now_ms - s->creation_ms) / 1000);
	print_hms(fp, ", expires in ", exp > pf->now_ms ? (exp - pf->now_ms) / 1000 : 0);
	fprintf(fp, ", %u:%u pkts, %" PRIu64 ":%" PRIu64 " bytes", s->packets[0],
	    s->packets[1], s->bytes[0], s->bytes[1]);
	if (s->anchor != NULL)
		fprintf(fp, ", anchor %d", s->anchor->nr);
	if (r != NULL)		/* the default rule's number is -1: not printed */
		fprintf(fp, ", rule %d", r->nr);
	if (r != NULL) {
		if (r->allow_opts)
			fputs(", allow-opts", fp);
		if (r->sloppy)
			fputs(", sloppy", fp);
		if (r->pflow || (s->nat_rule != NULL && s->nat_rule->pflow))
			fputs(", pflow", fp);
	}
	/* pf_create_state: s->state_flags |= pd->act.flags; set-tos, min-ttl and
	 * max-mss are the state's act (its rule's and the scrub rules') */
	if (s->act.flags & PFM_ACT_NODF)
		fputs(", no-df", fp);
	if (s->act.flags & PFM_ACT_SETTOS)
		fprintf(fp, ", set-tos 0x%2.2x", s->act.set_tos);
	if (s->act.flags & PFM_ACT_RANDOMID)
		fputs(", random-id", fp);
	if (r != NULL) {
		if (r->has_set_prio)
			fprintf(fp, ", set-prio (0x%02x 0x%02x)", r->set_prio[0],
			    r->set_prio[1]);
		if (r->dnpipe || r->dnrpipe)
			fprintf(fp, ", dummynet %s (%d %d)", r->dn_is_pipe ? "pipe" :
			    "queue", r->dnpipe, r->dnrpipe);
	}
	if (pfm_is15(pf))
		pfm_src_print_flags15(fp, sn);
	else if (sn & 1)
		fputs(", source-track", fp);
	if (!pfm_is15(pf) && sn & 2)
		fputs(", sticky-address", fp);
	/* s->act.log keeps PF_LOG_ALL only (pf_create_state) */
	if ((r != NULL && r->logall) || (s->nat_rule != NULL && s->nat_rule->logall))
		fputs(", log (all)", fp);
	if (s->act.min_ttl)
		fprintf(fp, ", min-ttl %d", s->act.min_ttl);
	if (s->act.max_mss)
		fprintf(fp, ", max-mss %d", s->act.max_mss);
	fputc('\n', fp);
}

/* print_state -vv's third line: the state's id and creator, where route-to,
 * reply-to or dup-to send its packets, its routing table; then the interface a
 * floating state was made on. The model prints the id and the creator id (pf's
 * hostid, as -si -v prints it) in host order. */
static void
show_state_vv(struct pfm *pf, const struct pfm_state *s, FILE *fp)
{
	static const char *const rt_name[] = { "", "route-to", "reply-to", "dup-to" };
	int af = s->wkey.af;

	fprintf(fp, "   id: %016" PRIx64 " creatorid: %08x", s->id,
	    pf->rs != NULL && pf->rs->hostid != 0 ? pf->rs->hostid : pf->hostid);
	if (s->rt != PFM_RT_NONE && s->rt < 4) {
		fprintf(fp, " %s: ", rt_name[s->rt]);
		print_host(fp, s->rt_addr, 0, af);
		if (s->rt_kif != PFM_KIF_ALL)
			fprintf(fp, "@%s", pf->ifn[s->rt_kif]);
	}
	if (s->rule != NULL && s->rule->rtableid >= 0)
		fprintf(fp, " rtable: %d", s->rule->rtableid);
	fputc('\n', fp);
	if (s->kif != s->orig_kif)
		fprintf(fp, "   origif: %s\n", pf->ifn[s->orig_kif]);
}

void
pfm_show_state(struct pfm *pf, const struct pfm_state *s, FILE *fp)
{
	pfm_show_state_v(pf, s, fp, 0);
}

/* pfctl -ss [-v|-vv] (print_state). */
void
pfm_show_state_v(struct pfm *pf, const struct pfm_state *s, FILE *fp, int verbose)
{
	const struct pfm_skey *w = PFM_ST_KEY(s, PFM_SK_WIRE);
	const struct pfm_skey *st = PFM_ST_KEY(s, PFM_SK_STACK);
	const struct pfm_skey *sk, *nk;
	const struct pfm_peer *src, *dst;
	uint16_t skp[2], nkp[2];
	const char *pn;
	int proto = w->proto, afto = w->af != st->af, i;

	if (s->direction == PFM_OUT) {
		src = &s->src;
		dst = &s->dst;
		sk = st;
		nk = w;
	} else {
		src = &s->dst;
		dst = &s->src;
		sk = w;
		nk = st;
	}
	memcpy(skp, sk->port, sizeof(skp));
	memcpy(nkp, nk->port, sizeof(nkp));
	if (proto == 1 || proto == 58) {
		if (s->direction == PFM_OUT)
			skp[0] = nkp[0];
		else
			skp[1] = nkp[1];
	}
	fprintf(fp, "%s ", s->kif == PFM_KIF_ALL ? "all" : pf->ifn[s->kif]);
	/* pfctl_proto2name: getprotobynumber, so every name /etc/protocols has */
	if ((pn = pfm_proto_name(proto)) != NULL)
		fprintf(fp, "%s ", pn);
	else
		fprintf(fp, "%u ", proto);
	/* FreeBSD 15's print_state: an af-to state's keys are of two families, each
	 * printed in its own, the wire key's sides swapped against the stack key's */
	print_host(fp, nk->addr[1], nkp[1], nk->af);
	if (afto || host_ne(nk, sk, 1, nkp[1], skp[1])) {
		i = afto ? 0 : 1;
		fputs(" (", fp);
		print_host(fp, sk->addr[i], skp[i], sk->af);
		fputs(")", fp);
	}
	fputs(s->direction == PFM_OUT || afto ? " -> " : " <- ", fp);
	print_host(fp, nk->addr[0], nkp[0], nk->af);
	if (afto || host_ne(nk, sk, 0, nkp[0], skp[0])) {
		i = afto ? 1 : 0;
		fputs(" (", fp);
		print_host(fp, sk->addr[i], skp[i], sk->af);
		fputs(")", fp);
	}
	fputs("    ", fp);
	if (proto == 6) {
		if (src->state <= PFM_TCPS_TIME_WAIT && dst->state <= PFM_TCPS_TIME_WAIT)
			fprintf(fp, "   %s:%s\n", tcp_state_name[src->state],
			    tcp_state_name[dst->state]);
		else if (src->state == PFM_TCPS_PROXY_SRC || dst->state == PFM_TCPS_PROXY_SRC)
			fprintf(fp, "   PROXY:SRC\n");
		else if (src->state == PFM_TCPS_PROXY_DST || dst->state == PFM_TCPS_PROXY_DST)
			fprintf(fp, "   PROXY:DST\n");
		else
			fprintf(fp, "   <BAD STATE LEVELS %u:%u>\n", src->state, dst->state);
		if (verbose >= 1) {
			fputs("   ", fp);
			print_seq(fp, src);
			if (src->wscale && dst->wscale)
				fprintf(fp, " wscale %u", src->wscale & PFM_WSCALE_MASK);
			fputs("  ", fp);
			print_seq(fp, dst);
			if (src->wscale && dst->wscale)
				fprintf(fp, " wscale %u", dst->wscale & PFM_WSCALE_MASK);
			fputc('\n', fp);
		}
	} else if (proto != 1 && proto != 58 && src->state < 3 && dst->state < 3)
		fprintf(fp, "   %s:%s\n", udp_state_name[src->state],
		    udp_state_name[dst->state]);
	else
		fprintf(fp, "   %u:%u\n", src->state, dst->state);
	if (verbose >= 1)
		show_state_v(pf, s, fp);
	if (verbose >= 2)
		show_state_vv(pf, s, fp);
}

/*
 * The model drops a state the moment its timeout passes (pfm_state_find: what pf's
 * purge thread would have removed by now), so -ss never lists one. pf counts a state
 * in -si "current entries" and a rule's "States:" exactly as long as -ss lists it
 * (until pf_unlink_state), so every view unlinks the expired states first, as the
 * purge thread would have: removals and the rules' counts then agree with -ss.
 */
void
pfm_purge_expired(struct pfm *pf)
{
	struct pfm_state *s, *next;

	for (s = pf->st.head; s != NULL; s = next) {
		next = s->lnext;
		if (pfm_state_expired(pf, s, pf->now_ms))
			pfm_state_unlink(pf, s);
	}
}

void
pfm_show_states(struct pfm *pf, FILE *fp)
{
	const struct pfm_state *s;

	pfm_purge_expired(pf);
	for (s = pf->st.head; s != NULL; s = s->lnext)
		pfm_show_state(pf, s, fp);
}

static void
counter_line(FILE *fp, const char *name, uint64_t c, uint64_t runtime)
{
	fprintf(fp, "  %-25s %14" PRIu64 " ", name, c);
	if (runtime > 0)
		fprintf(fp, "%14.1f/s\n", (double)c / (double)runtime);
	else
		fprintf(fp, "%14s\n", "");
}

/* LCNT_NAMES of FreeBSD 14's pfvar.h. */
static const char *const lcnt_name[PFM_LCNT_MAX] = {
	"max states per rule", "max-src-states", "max-src-nodes", "max-src-conn",
	"max-src-conn-rate", "overload table insertion", "overload flush states",
	"synfloods detected", "syncookies sent", "syncookies validated"
};

void
pfm_show_info(struct pfm *pf, FILE *fp)
{
	pfm_show_info_v(pf, fp, 0);
}

/* print_status's Debug field: the level `set debug` loaded (pfctl_load_debug); pf
 * starts at PF_DEBUG_URGENT. */
static const char *
debug_name(const struct pfm *pf)
{
	static const char *const name[] = { "Debug: None", "Debug: Urgent",
	    "Debug: Misc", "Debug: Loud" };
	int d = pf->rs != NULL ? pf->rs->debug : PFM_DEBUG_URGENT;

	return (d >= 0 && d <= PFM_DEBUG_LOUD ? name[d] : name[PFM_DEBUG_URGENT]);
}

/* print_status -v's Syncookies section: the mode `set syncookies` loaded
 * (PFCTL_SYNCOOKIES_MODE_NAMES, default never) and whether pf answers SYNs with
 * cookies now: "always" at once, "adaptive" past its high-water mark
 * (pfm_syncookie.c). */
static void
show_syncookies(const struct pfm *pf, FILE *fp)
{
	static const char *const mode[] = { "never", "always", "adaptive" };
	int m = pf->rs != NULL ? pf->rs->syncookies : PFM_SYNCOOKIES_NEVER;

	if (m < 0 || m > PFM_SYNCOOKIES_ADAPTIVE)
		m = PFM_SYNCOOKIES_NEVER;
	fprintf(fp, "Syncookies\n");
	fprintf(fp, "  %-25s %s\n", "mode", mode[m]);
	fprintf(fp, "  %-25s %s\n", "active", pf->sc_active ? "active" : "inactive");
}

/* print_status: -v adds the hostid and checksum, the source tracking table, the limit
 * counters and the syncookies mode. */
void
pfm_show_info_v(struct pfm *pf, FILE *fp, int verbose)
{
	char statline[80];
	uint64_t runtime = (pf->now_ms - pf->since_ms) / 1000, d = runtime;
	unsigned sec, min, hrs;
	int i;

	pfm_purge_expired(pf);
	sec = d % 60;
	d /= 60;
	min = d % 60;
	d /= 60;
	hrs = d % 24;
	d /= 24;
	snprintf(statline, sizeof(statline), "Status: %s for %u days %.2u:%.2u:%.2u",
	    pf->disabled ? "Disabled" : "Enabled", (unsigned)d, hrs, min, sec);
	fprintf(fp, "%-44s%15s\n\n", statline, debug_name(pf));
	if (verbose) {
		/* the checksum is pf's MD5 of the loaded ruleset, which the model does
		 * not compute: it prints zeros (scenarios match it with *) */
		fprintf(fp, "Hostid:   0x%08x\n", pf->rs != NULL && pf->rs->hostid != 0 ?
		    pf->rs->hostid : pf->hostid);
		fprintf(fp, "Checksum: 0x%032x\n\n", 0);
	}
	fprintf(fp, "%-27s %14s %16s\n", "State Table", "Total", "Rate");
	fprintf(fp, "  %-25s %14zu %14s\n", "current entries", pf->st.count, "");
	for (i = 0; i < PFM_FCNT_MAX; i++)
		counter_line(fp, fcnt_name[i], pf->fcounters[i], runtime);
	if (verbose) {
		fprintf(fp, "Source Tracking Table\n");
		fprintf(fp, "  %-25s %14zu %14s\n", "current entries", pfm_src_count(pf),
		    "");
		for (i = 0; i < PFM_FCNT_MAX; i++)
			counter_line(fp, fcnt_name[i], pfm_src_counter(pf, i), runtime);
	}
	fprintf(fp, "Counters\n");
	for (i = 0; i < PFM_RES_MAX; i++)
		if (i != PFM_RES_TRANSLATE || pfm_is15(pf))	/* 15's PFRES_TRANSLATE */
			counter_line(fp, pfm_res_name[i], pf->counters[i], runtime);
	if (verbose) {
		fprintf(fp, "Limit Counters\n");
		for (i = 0; i < PFM_LCNT_MAX; i++)
			counter_line(fp, lcnt_name[i], pf->lcounters[i], runtime);
		show_syncookies(pf, fp);
	}
}

const char *
pfm_rule_origin(const struct pfm_rule *r, int *line)
{
	if (line != NULL)
		*line = r != NULL ? r->line : 0;
	return (r != NULL && r->file != NULL ? r->file : "");
}

char *
pfm_rule_format(struct pfm *pf, const struct pfm_rule *r, char *buf, size_t len)
{
	return (pfm_ruleset_rule_format(r, buf, len, pf->services[0] ? pf->services :
	    NULL));
}
