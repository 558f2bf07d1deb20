/* pfm_tutil.c: helpers for the pf model's tests (see pfm_tutil.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pfm_tutil.h"
#include "tutil.h"

uint8_t	tu_buf[2048];
size_t	tu_len;

struct pfm_ruleset *
tu_rs(void)
{
	struct pfm_ruleset *rs = calloc(1, sizeof(*rs));

	rs->limit_states = 100000;
	rs->block_policy = PFM_BLOCK_DROP;
	rs->require_order = 1;
	rs->debug = PFM_DEBUG_URGENT;
	return (rs);
}

struct pfm_rule *
tu_rule(struct pfm_ruleset *rs, enum pfm_action_kind kind)
{
	struct pfm_rule *r = calloc(1, sizeof(*r)), **pp;
	int *n;

	r->action = kind;
	switch (kind) {
	case PFM_R_PASS:
	case PFM_R_BLOCK:
	case PFM_R_MATCH:
		pp = &rs->rules;
		n = &rs->nrules;
		break;
	case PFM_R_SCRUB:
	case PFM_R_NOSCRUB:
		pp = &rs->scrub;
		n = &rs->nscrub;
		break;
	case PFM_R_NAT:
	case PFM_R_NONAT:
		pp = &rs->nat;
		n = &rs->nnat;
		break;
	case PFM_R_RDR:
	case PFM_R_NORDR:
		pp = &rs->rdr;
		n = &rs->nrdr;
		break;
	case PFM_R_BINAT:
	case PFM_R_NOBINAT:
	default:
		pp = &rs->binat;
		n = &rs->nbinat;
		break;
	}
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = r;
	r->nr = (*n)++;
	r->line = rs->nrules + rs->nscrub + rs->nnat + rs->nrdr + rs->nbinat;
	r->file = "test.conf";
	return (r);
}

static void
set_addr(struct pfm_addr *a, const char *spec, struct pfm_table *t)
{
	char buf[64], *slash;
	int plen, i;

	memset(a, 0, sizeof(*a));
	if (strcmp(spec, "any") == 0) {
		a->type = PFM_ADDR_ANY;
		return;
	}
	if (spec[0] == '(') {
		a->type = PFM_ADDR_DYNIFTL;
		snprintf(a->ifname, sizeof(a->ifname), "%.*s", (int)strlen(spec) - 2, spec + 1);
		return;
	}
	if (spec[0] == '<') {
		a->type = PFM_ADDR_TABLE;
		a->table = t;
		return;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	a->type = PFM_ADDR_MASK;
	if (inet_pton(AF_INET, buf, a->addr) == 1) {
		a->af = AF_INET;
		plen = slash ? atoi(slash) : 32;
	} else {
		inet_pton(AF_INET6, buf, a->addr);
		a->af = AF_INET6;
		plen = slash ? atoi(slash) : 128;
	}
	for (i = 0; i < 16; i++, plen -= 8)
		a->mask[i] = plen >= 8 ? 0xff : plen <= 0 ? 0 : (uint8_t)(0xff << (8 - plen));
}

void
tu_addr(struct pfm_rule_addr *ra, const char *spec, struct pfm_table *t)
{
	set_addr(&ra->addr, spec, t);
}

void
tu_port(struct pfm_rule_addr *ra, enum pfm_op op, uint16_t lo, uint16_t hi)
{
	ra->port_op = op;
	ra->port[0] = lo;
	ra->port[1] = hi;
}

void
tu_pool(struct pfm_rule *r, const char *spec)
{
	r->rpool.addr = calloc(1, sizeof(struct pfm_addr));
	set_addr(r->rpool.addr, spec, NULL);
	r->rpool.naddr = 1;
	if (r->action == PFM_R_NAT) {
		r->rpool.proxy_port[0] = 50001;
		r->rpool.proxy_port[1] = 65535;
	}
}

void
tu_keep(struct pfm_rule *r)
{
	r->keep = PFM_KEEP_STATE;
	if (r->proto == 0 || r->proto == 6) {
		r->flags = 0x02;
		r->flagset = 0x12;
	}
}

static void
add_if(struct pfm_host *h, const char *name, const char *group, const char *a4, int p4,
    const char *a6, int p6)
{
	struct pfm_if *ifp = &h->iface[h->niface++];

	snprintf(ifp->name, sizeof(ifp->name), "%s", name);
	if (group != NULL)
		snprintf(ifp->group[ifp->ngroup++], PFM_IFNAMSIZ, "%s", group);
	if (a4 != NULL) {
		ifp->addr[ifp->naddr].af = AF_INET;
		inet_pton(AF_INET, a4, ifp->addr[ifp->naddr].addr);
		ifp->addr[ifp->naddr++].plen = p4;
	}
	if (a6 != NULL) {
		ifp->addr[ifp->naddr].af = AF_INET6;
		inet_pton(AF_INET6, a6, ifp->addr[ifp->naddr].addr);
		ifp->addr[ifp->naddr++].plen = p6;
	}
}

void
tu_host(struct pfm_host *h)
{
	memset(h, 0, sizeof(*h));
	add_if(h, "em0", NULL, "203.0.113.1", 24, "2001:db8::1", 64);
	add_if(h, "lo0", "lo", "127.0.0.1", 8, "::1", 128);
	add_if(h, "lo1", "lo", "10.99.0.1", 28, NULL, 0);
}

struct pfm *
tu_pf(struct pfm_ruleset *rs)
{
	struct pfm_host h;
	struct pfm *pf;
	struct diag d = { 0 };

	tu_host(&h);
	pf = pfm_new(&h);
	if (pf != NULL && rs != NULL && pfm_adopt(pf, rs, &d) == -1) {
		fprintf(stderr, "tu_pf: %s", diag_text(&d));
		pfm_free(pf);
		pf = NULL;
	}
	diag_free(&d);
	return (pf);
}

char	tu_msgs[4096];

void
tu_opts(struct pfm_load_opts *o, const char *file, int freebsd)
{
	memset(o, 0, sizeof(*o));
	o->file = file;
	o->freebsd = freebsd;
}

struct pfm *
tu_new(const struct pfm_host *h)
{
	struct pfm_host th;
	struct pfm *pf;

	if (h == NULL) {
		tu_host(&th);
		h = &th;
	}
	pf = pfm_new(h);
	CU_ASSERT_FATAL(pf != NULL);
	return (pf);
}

int
tu_load_into(struct pfm *pf, const char *conf, const struct pfm_load_opts *o)
{
	struct pfm_load_opts def;
	struct diag d = { 0 };
	int rc;

	if (o == NULL) {
		tu_opts(&def, "stdin", 0);
		o = &def;
	}
	rc = pfm_load(pf, conf, o, &d);
	snprintf(tu_msgs, sizeof(tu_msgs), "%s", diag_text(&d));
	diag_free(&d);
	return (rc);
}

struct pfm *
tu_load(const char *conf, const struct pfm_load_opts *o)
{
	struct pfm_host h;
	struct pfm *pf;

	tu_host(&h);
	pf = pfm_new(&h);
	if (pf != NULL && tu_load_into(pf, conf, o) == -1) {
		fprintf(stderr, "load: %s", tu_msgs);
		pfm_free(pf);
		pf = NULL;
	}
	return (pf);
}

struct pfm *
tu_must_load(const char *conf)
{
	struct pfm *pf = tu_load(conf, NULL);

	CU_ASSERT_FATAL(pf != NULL);
	return (pf);
}

char *
tu_parse(const char *conf, const struct pfm_load_opts *o, const struct pfm_host *h,
    int *ok)
{
	struct pfm_ruleset *rs;
	struct pfm_load_opts lo;
	struct diag d = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	/* pfctl -n, and -o none (rules as written) unless o names a level */
	memset(&lo, 0, sizeof(lo));
	if (o != NULL)
		lo = *o;
	if (!(lo.opts & (PFM_OPT_OPTIMIZE_NONE | PFM_OPT_OPTIMIZE_BASIC)))
		lo.opts |= PFM_OPT_OPTIMIZE_NONE;
	lo.opts |= PFM_OPT_NOACTION;
	rs = pfm_ruleset_parse_all(conf, &lo, h, &d, ok);
	if ((fp = open_memstream(&buf, &len)) != NULL) {
		if (*ok)
			pfm_ruleset_print(rs, fp, 1, NULL);
		else
			fputs(diag_text(&d), fp);
		fclose(fp);
	}
	pfm_ruleset_free(rs);
	diag_free(&d);
	return (buf);
}

int
tu_send(struct pfm *pf, enum pfm_dir dir, const char *ifname, const char *text,
    uint64_t now_ms, struct pfm_verdict *v, struct pkt *out)
{
	int rc;

	/* a line that does not parse stops the test: the verdict of the packet before
	 * must never stand in for this one's */
	tu_len = tu_l3(text, 0, tu_buf, sizeof(tu_buf));
	rc = pfm_test(pf, dir, ifname, tu_buf, tu_len, now_ms, v);
	if (out != NULL && pkt_decode_l3(tu_buf, tu_len, out) == -1)
		memset(out, 0, sizeof(*out));
	return (rc);
}

int
tu_echo(struct pfm *pf, enum pfm_dir dir, int reply, const char *src, const char *dst,
    int id, int seq, uint64_t now_ms, struct pfm_verdict *v)
{
	char text[192];

	snprintf(text, sizeof(text), "icmp %s %s > %s id %d seq %d",
	    reply ? "echo-reply" : "echo-request", src, dst, id, seq);
	return (tu_send(pf, dir, "em0", text, now_ms, v, NULL));
}

size_t
tu_l3(const char *text, int pattern, uint8_t *buf, size_t cap)
{
	struct pkt p;
	char err[256];
	size_t i;
	int n;

	tut_pkt(text, &p);
	for (i = 0; pattern && i < p.len; i++)
		p.payload[i] = (uint8_t)i;
	if ((n = pkt_build_l3(&p, buf, cap, err, sizeof(err))) <= 0) {
		TUT_FATAL("packet line cannot be built: \"%s\": %s", text, err);
		return (0);
	}
	return ((size_t)n);
}

int
tu_sums_ok(const uint8_t *buf, size_t len)
{
	struct pkt p;

	if (pkt_decode_l3(buf, len, &p) == -1)
		return (0);
	return (p.ip_sum_ok && p.l4_sum_ok);
}

static const char *
capture(struct pfm *pf, void (*fn)(struct pfm *, FILE *))
{
	static char buf[65536];
	FILE *fp;

	buf[0] = '\0';		/* no output leaves no earlier text behind */
	if ((fp = fmemopen(buf, sizeof(buf) - 1, "w")) == NULL)
		return ("");
	fn(pf, fp);
	fclose(fp);
	return (buf);
}

const char *
tu_states(struct pfm *pf)
{
	return (capture(pf, pfm_show_states));
}

const char *
tu_info(struct pfm *pf)
{
	return (capture(pf, pfm_show_info));
}

static void
show_info_v(struct pfm *pf, FILE *fp)
{
	pfm_show_info_v(pf, fp, 1);
}

const char *
tu_info_v(struct pfm *pf)
{
	return (capture(pf, show_info_v));
}

static void
show_rules_vv(struct pfm *pf, FILE *fp)
{
	pfm_show_rules(pf, fp, 1);
}

const char *
tu_rules_vv(struct pfm *pf)
{
	return (capture(pf, show_rules_vv));
}

static void
show_rules(struct pfm *pf, FILE *fp)
{
	pfm_show_rules(pf, fp, 0);
}

const char *
tu_rules(struct pfm *pf)
{
	return (capture(pf, show_rules));
}

const char *
tu_state_v(struct pfm *pf, const struct pfm_state *s)
{
	static char buf[4096];
	FILE *fp;

	buf[0] = '\0';
	if ((fp = fmemopen(buf, sizeof(buf) - 1, "w")) == NULL)
		return ("");
	pfm_show_state_v(pf, s, fp, 1);
	fclose(fp);
	return (buf);
}

const char *
tu_ntop(const struct pkt_addr *a)
{
	static char s[4][64];
	static int i;

	i = (i + 1) % 4;
	return (pkt_addr_format(a, s[i], sizeof(s[i])));
}

const char *
tu_srcnodes(struct pfm *pf)
{
	return (capture(pf, pfm_show_srcnodes));
}

long
tu_counter(const char *info, const char *name)
{
	const char *p = info;
	size_t n = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if (p > info && p[-1] == ' ' && p[n] == ' ')
			return (strtol(p + n, NULL, 10));
		p += n;
	}
	return (-1);
}

int
tu_pfctl(struct pfm *pf, uint64_t now, const char *words, const char *input,
    struct tu_run *r)
{
	return (tu_pfctl_lo(pf, now, words, input, NULL, r));
}

int
tu_pfctl_lo(struct pfm *pf, uint64_t now, const char *words, const char *input,
    const struct pfm_load_opts *lo, struct tu_run *r)
{
	char buf[512], *argv[32], *w;
	size_t olen = 0, elen = 0;
	FILE *out, *err;
	int argc = 0;

	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
	snprintf(buf, sizeof(buf), "%s", words);
	for (w = strtok(buf, " "); w != NULL && argc < 31; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	out = open_memstream(&r->out, &olen);
	err = open_memstream(&r->err, &elen);
	CU_ASSERT_FATAL(out != NULL && err != NULL);
	r->status = pfm_ctl(pf, argc, argv, input, lo, now, out, err);
	fclose(out);
	fclose(err);
	return (r->status);
}
