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

/* One line of pfctl -ss (print_state without -v). */
void
pfm_show_state(struct pfm *pf, const struct pfm_state *s, FILE *fp)
{
	const struct pfm_skey *w = PFM_ST_KEY(s, PFM_SK_WIRE);
	const struct pfm_skey *st = PFM_ST_KEY(s, PFM_SK_STACK);
	const struct pfm_skey *sk, *nk;
	const struct pfm_peer *src, *dst;
	uint16_t skp[2], nkp[2];
	const char *pn;
	int af = w->af, proto = w->proto;

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
	print_host(fp, nk->addr[1], nkp[1], af);
	if (host_ne(nk, sk, 1, nkp[1], skp[1])) {
		fputs(" (", fp);
		print_host(fp, sk->addr[1], skp[1], af);
		fputs(")", fp);
	}
	fputs(s->direction == PFM_OUT ? " -> " : " <- ", fp);
	print_host(fp, nk->addr[0], nkp[0], af);
	if (host_ne(nk, sk, 0, nkp[0], skp[0])) {
		fputs(" (", fp);
		print_host(fp, sk->addr[0], skp[0], af);
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
	} else if (proto != 1 && proto != 58 && src->state < 3 && dst->state < 3)
		fprintf(fp, "   %s:%s\n", udp_state_name[src->state],
		    udp_state_name[dst->state]);
	else
		fprintf(fp, "   %u:%u\n", src->state, dst->state);
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
