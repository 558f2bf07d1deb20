/* probe_write.c: the generated scenario. The probes' steps run first on the model
 * target, in order, as `pfharness run` would run them; what it observes (the frames
 * on the wire, what the jails accept, the connection's outcome, the states pf made)
 * becomes the probes' expectations: the outcome the model predicts. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfctl/pfctl_out.h"
#include "probe_impl.h"
#include "target/target.h"

#define WRITE_SETTLE_MS	3000

static void
hostport(const struct pkt_addr *a, const char *port, char *buf, size_t len)
{
	char s[64];
	int n;

	pkt_addr_format(a, s, sizeof(s));
	if (a->af == AF_INET6)
		n = snprintf(buf, len, "[%s]:%s", s, port);
	else
		n = snprintf(buf, len, "%s:%s", s, port);
	if (n < 0 || (size_t)n >= len)
		buf[0] = '\0';		/* never: callers give room for both */
}

static void
hp(const struct pkt_addr *a, unsigned port, char *buf, size_t len)
{
	char p[16];

	snprintf(p, sizeof(p), "%u", port);
	hostport(a, p, buf, len);
}

static void
flag_letters(uint8_t f, char *buf)
{
	static const char letters[] = "SFRPAU";
	static const uint8_t bits[] = { PKT_TH_SYN, PKT_TH_FIN, PKT_TH_RST, PKT_TH_PUSH,
	    PKT_TH_ACK, PKT_TH_URG };
	int i, n = 0;

	for (i = 0; i < 6; i++)
		if (f & bits[i])
			buf[n++] = letters[i];
	if (n == 0)
		buf[n++] = '.';
	buf[n] = '\0';
}

static const char *
proto_word(int proto, int af)
{
	switch (proto) {
	case IPPROTO_TCP:
		return ("tcp");
	case IPPROTO_UDP:
		return ("udp");
	default:
		return (af == AF_INET6 ? "icmp6" : "icmp");
	}
}

char *
probe_step_text(const struct probe_world *w, const struct probe_case *c, char *buf,
    size_t len)
{
	char a[128], b[128], f[8], s[64], on[PFM_IFNAMSIZ + 4] = "";

	if (c->via == PV_SEND && c->wire > 0)	/* a wire not the primary's */
		snprintf(on, sizeof(on), "on %s", probe_world_ifname(w, c->wire));
	if (c->via == PV_CONNECT && (c->pkt.proto == IPPROTO_ICMP ||
	    c->pkt.proto == IPPROTO_ICMPV6)) {
		snprintf(buf, len, "connect %s icmp %s", c->jail >= 0 ?
		    w->jail[c->jail].name : "?", pkt_addr_format(&c->pkt.dst, a, sizeof(a)));
		return (buf);
	}
	if (c->via == PV_CONNECT) {
		hp(&c->pkt.dst, c->pkt.dport, a, sizeof(a));
		hp(&c->pkt.src, c->pkt.sport, b, sizeof(b));
		snprintf(buf, len, "connect %s %s %s from %s", c->jail >= 0 ?
		    w->jail[c->jail].name : "?", proto_word(c->pkt.proto, c->pkt.src.af), a, b);
		return (buf);
	}
	if (c->pkt.proto == IPPROTO_TCP || c->pkt.proto == IPPROTO_UDP) {
		hp(&c->pkt.src, c->pkt.sport, a, sizeof(a));
		hp(&c->pkt.dst, c->pkt.dport, b, sizeof(b));
		flag_letters(c->pkt.flags, f);
		snprintf(buf, len, "send %s%s%s %s > %s%s%s", on, on[0] ? " " : "",
		    proto_word(c->pkt.proto, 0), a, b,
		    c->pkt.proto == IPPROTO_TCP ? " " : "", c->pkt.proto == IPPROTO_TCP ?
		    f : "");
		return (buf);
	}
	pkt_addr_format(&c->pkt.src, s, sizeof(s));
	pkt_addr_format(&c->pkt.dst, a, sizeof(a));
	snprintf(buf, len, "send %s%s%s %s %s > %s id %u", on, on[0] ? " " : "",
	    proto_word(c->pkt.proto, c->pkt.src.af), pkt_icmp_name(c->pkt.icmp), s, a,
	    c->pkt.sport);
	return (buf);
}

/* A frame as an expectation's packet: addresses, ports, flags, ICMP type and quote;
 * a source port pf picked from [lo, hi] written as that range. 0, or -1 when the
 * notation cannot say it. */
static int
frame_pat(const struct pkt *p, uint16_t lo, uint16_t hi, const struct probe_world *wo,
    char *buf, size_t len)
{
	char a[128], b[128], f[8], port[24];
	const char *w;

	if (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP) {
		if (lo != 0 && probe_world_local(wo, &p->src) && p->sport >= lo && p->sport <= hi)
			snprintf(port, sizeof(port), "%u-%u", lo, hi);
		else
			snprintf(port, sizeof(port), "%u", p->sport);
		hostport(&p->src, port, a, sizeof(a));
		hp(&p->dst, p->dport, b, sizeof(b));
		flag_letters(p->flags, f);
		snprintf(buf, len, "%s %s > %s%s%s", proto_word(p->proto, 0), a, b,
		    p->proto == IPPROTO_TCP ? " " : "", p->proto == IPPROTO_TCP ? f : "");
		return (0);
	}
	if ((w = pkt_icmp_name(p->icmp)) == NULL)
		return (-1);
	pkt_addr_format(&p->src, a, sizeof(a));
	pkt_addr_format(&p->dst, b, sizeof(b));
	snprintf(buf, len, "%s %s %s > %s", proto_word(p->proto, p->src.af), w, a, b);
	if (p->has_quote && (p->quote.proto == IPPROTO_TCP || p->quote.proto == IPPROTO_UDP)) {
		size_t o = strlen(buf);

		hp(&p->quote.src, p->quote.sport, a, sizeof(a));
		hp(&p->quote.dst, p->quote.dport, b, sizeof(b));
		snprintf(buf + o, len - o, " quote %s %s > %s", proto_word(p->quote.proto, 0),
		    a, b);
	}
	return (0);
}

/* A state as `expect state` writes it: PROTO A (B) <-|-> C. */
static void
state_pat(const struct pfctl_state *st, const struct probe_case *c, char *buf, size_t len)
{
	char a[128], b[128], x[128], port[24];
	const struct pfctl_host *h[3] = { &st->a, &st->b, &st->c };
	char *out[3] = { a, b, x };
	int i;

	for (i = 0; i < 3; i++) {
		if (c->nat_lo != 0 && st->dir_out && i == 0 && h[i]->port >= c->nat_lo &&
		    h[i]->port <= c->nat_hi && h[i]->port != c->pkt.sport)
			snprintf(port, sizeof(port), "%u-%u", c->nat_lo, c->nat_hi);
		else
			snprintf(port, sizeof(port), "%u", h[i]->port);
		if (st->proto == IPPROTO_TCP || st->proto == IPPROTO_UDP)
			hostport(&h[i]->addr, port, out[i], sizeof(a));
		else
			pkt_addr_format(&h[i]->addr, out[i], sizeof(a));
	}
	snprintf(buf, len, "%s %s%s%s%s %s %s", st->proto == IPPROTO_TCP ? "tcp" :
	    st->proto == IPPROTO_UDP ? "udp" : st->proto == IPPROTO_ICMP ? "icmp" :
	    st->proto == IPPROTO_ICMPV6 ? "icmp6" : "?", a, st->has_b ? " (" : "",
	    st->has_b ? b : "", st->has_b ? ")" : "", st->dir_out ? "->" : "<-", x);
}

/* One probe's expectations from what the model target observed. */
struct seen {
	char		*text;
	size_t		 len;
	FILE		*f;
};

static int
cmp_line(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The lines of text (split in place) into a sorted array; *n of them. NULL: memory. */
static char **
sorted_lines(char *text, int *n)
{
	char **v = NULL, **nv, *p, *nl;
	int cap = 0;

	*n = 0;
	for (p = text; p != NULL && *p != '\0'; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, (size_t)cap * sizeof(*v))) == NULL) {
				free(v);
				return (NULL);
			}
			v = nv;
		}
		v[(*n)++] = p;
	}
	if (*n > 0)
		qsort(v, (size_t)*n, sizeof(*v), cmp_line);
	return (v != NULL ? v : calloc(1, sizeof(*v)));
}

/* `expect state` for each state the probe made (a line of pfctl -ss after it that
 * was not there before), `expect no state` for a packet pf blocked. */
static void
expect_states(FILE *f, const struct probe_case *c, char *before, char *after)
{
	struct pfctl_state st;
	char pat[600], a[128], b[128], **old = NULL, **now = NULL, *key;
	int nold, nnow, i, any = 0;

	if ((old = sorted_lines(before != NULL ? before : "", &nold)) == NULL ||
	    (now = sorted_lines(after != NULL ? after : "", &nnow)) == NULL)
		goto out;
	for (i = 0; i < nnow; i++) {
		key = now[i];
		if (bsearch(&key, old, (size_t)nold, sizeof(*old), cmp_line) != NULL ||
		    pfctl_state_parse_line(now[i], &st) == -1 ||
		    (st.proto != IPPROTO_TCP && st.proto != IPPROTO_UDP))
			continue;
		state_pat(&st, c, pat, sizeof(pat));
		fprintf(f, "  expect state %s\n", pat);
		any = 1;
	}
	if (!any && !c->passed && (c->pkt.proto == IPPROTO_TCP ||
	    c->pkt.proto == IPPROTO_UDP)) {
		hp(&c->pkt.src, c->pkt.sport, a, sizeof(a));
		hp(&c->pkt.dst, c->pkt.dport, b, sizeof(b));
		fprintf(f, "  expect no state %s %s %s %s\n", proto_word(c->pkt.proto, 0),
		    c->via == PV_SEND ? b : a, c->via == PV_SEND ? "<-" : "->",
		    c->via == PV_SEND ? a : b);
	}
out:
	free(old);
	free(now);
}

static void
expect_seen(FILE *f, const struct probe_world *w, const struct probe_case *c,
    const struct target_frame *fr, int nf, const struct target_delivery *dv, int nd,
    int outcome)
{
	static const char *const outcomes[] = { "ok", "refused", "timeout", "failed",
	    "unreachable" };
	char pat[600], a[128];
	const char *word = c->via == PV_SEND ? "reply" : "wire", *name;
	int i, k, dup, here, wrote = 0;
	int many = w->as_run != NULL && w->as_run->niface > 1;

	if (c->passed && ((c->after.dst.af == AF_INET && c->after.dst.a[0] == 127) ||
	    (c->after.dst.af == AF_INET6 && c->after.dst.a[15] == 1 &&
	    memcmp(c->after.dst.a, (const uint8_t[15]){ 0 }, 15) == 0))) {
		/* FreeBSD's stack takes it on lo0's address and answers; Linux drops
		 * what comes from outside for 127/8 (route_localnet): left unchecked */
		fprintf(f, "  # redirected to the host's own %s: what its stack answers is "
		    "not checked\n", pkt_addr_format(&c->after.dst, a, sizeof(a)));
		return;
	}

	/* a client's packet: the first frame back on its wire is the reply, the first
	 * on another wire what the host forwarded; a jail's: the first frame */
	for (i = 0; i < nf; i++) {
		here = c->via != PV_SEND || fr[i].wire == c->wire;
		if (!fr[i].decoded || (wrote & (here ? 1 : 2)) || frame_pat(&fr[i].pkt,
		    c->nat_lo, c->nat_hi, w, pat, sizeof(pat)) == -1)
			continue;
		if (here && many && c->via != PV_SEND)
			fprintf(f, "  expect wire on %s %s\n", probe_world_ifname(w,
			    fr[i].wire), pat);
		else if (here)
			fprintf(f, "  expect %s %s\n", word, pat);
		else
			fprintf(f, "  expect wire on %s %s\n", probe_world_ifname(w,
			    fr[i].wire), pat);
		wrote |= here ? 1 : 2;
	}
	for (i = 0, k = 0; i < nf; i++)
		k += c->via != PV_SEND || fr[i].wire == c->wire;
	if (k == 0)
		fprintf(f, "  expect no %s\n", word);
	else if (!(wrote & 1))
		fprintf(f, "  # %d frame(s) the packet notation cannot write came back\n", k);
	for (i = 0; i < nd; i++) {
		for (k = 0, dup = 0; k < i; k++)
			dup |= dv[k].jail == dv[i].jail && dv[k].proto == dv[i].proto &&
			    dv[k].icmp == dv[i].icmp && dv[k].lport == dv[i].lport &&
			    pkt_addr_eq(&dv[k].peer, &dv[i].peer) && dv[k].pport == dv[i].pport;
		if (dup || (name = probe_world_party(w, dv[i].jail)) == NULL)
			continue;
		if (dv[i].proto == IPPROTO_TCP || dv[i].proto == IPPROTO_UDP) {
			hp(&dv[i].peer, dv[i].pport, a, sizeof(a));
			fprintf(f, "  expect delivered %s:%u from %s\n", name, dv[i].lport,
			    a);
		} else if (pkt_icmp_name(dv[i].icmp) != NULL)
			fprintf(f, "  expect delivered %s icmp %s from %s\n", name,
			    pkt_icmp_name(dv[i].icmp), pkt_addr_format(&dv[i].peer, a,
			    sizeof(a)));
	}
	if (nd == 0)
		fprintf(f, "  expect not delivered\n");
	if (c->via == PV_CONNECT && outcome >= 0 && outcome <= SCN_CONN_UNREACHABLE)
		fprintf(f, "  expect connect %s\n", outcomes[outcome]);
}

/* Clients where probes come from or go to, listening where jails connect; jails
 * listening where probes land. */
static void
listeners(struct probe_world *w, const struct probe_list *l)
{
	const struct probe_case *c;
	int i, k;

	for (i = 0; i < l->n; i++) {
		c = &l->c[i];
		if (c->kind != PK_PROBED)
			continue;
		if (c->via == PV_SEND)
			(void)probe_world_client(w, &c->pkt.src);
		else if (probe_world_jail(w, &c->pkt.dst) == -1 &&
		    !probe_world_local(w, &c->pkt.dst) &&
		    (k = probe_world_client(w, &c->pkt.dst)) != -1)
			(void)probe_listen_add(w->client[k].listen, &w->client[k].nlisten,
			    c->pkt.proto, c->pkt.dport);
		if (c->passed && (c->after.proto == IPPROTO_TCP ||
		    c->after.proto == IPPROTO_UDP) &&
		    (k = probe_world_jail(w, &c->after.dst)) != -1)
			(void)probe_listen_add(w->jail[k].listen, &w->jail[k].nlisten,
			    c->after.proto, c->after.dport);
	}
}

/* The probe's title: the rule's place and words (quotes made single). */
static void
title(const struct probe_case *c, int dup, char *buf, size_t len)
{
	char *p;

	if (c->anchor[0] != '\0')
		snprintf(buf, len, "%s:%d: anchor '%s': %s", c->file, c->line, c->anchor,
		    c->text);
	else
		snprintf(buf, len, "%s:%d: %s", c->file, c->line, c->text);
	if (dup > 0) {
		size_t n = strlen(buf);

		snprintf(buf + n, len - n, " (%d)", dup + 1);
	}
	for (p = buf; *p != '\0'; p++)
		if (*p == '"')
			*p = '\'';
}

static const char *
heredoc_word(const char *text)
{
	static const char *const words[] = { "EOF", "PF_EOF", "END_OF_PF_CONF" };
	size_t i, n;
	const char *p;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i]);
		for (p = text; p != NULL; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
			if (strncmp(p, words[i], n) == 0 && (p[n] == '\n' || p[n] == '\0'))
				break;
		if (p == NULL)
			return (words[i]);
	}
	return ("PFHARNESS_END_OF_RULES");
}

/* The scenario up to its probes: title, tags, world, ruleset. */
static void
write_top(FILE *f, const struct probe_world *w, const char *pf_text)
{
	const char *eof = heredoc_word(pf_text);
	size_t n = strlen(pf_text);

	fprintf(f, "scenario \"probes generated from the ruleset\"\ntag probes generated\n\n");
	probe_world_print(w, f);
	fprintf(f, "\npf <<%s\n%s%s%s\n", eof, pf_text, n > 0 && pf_text[n - 1] != '\n' ?
	    "\n" : "", eof);
}

/* The probes' titles and steps, no expectations, for the model to run. */
static char *
steps_text(const struct probe_world *w, const char *pf_text, const struct probe_list *l)
{
	char t[1600], st[600], *text = NULL;
	size_t len = 0;
	FILE *f;
	int i, k, dup;

	if ((f = open_memstream(&text, &len)) == NULL)
		return (NULL);
	write_top(f, w, pf_text);
	for (i = 0; i < l->n; i++) {
		if (l->c[i].kind != PK_PROBED)
			continue;
		for (k = 0, dup = 0; k < i; k++)
			dup += l->c[k].kind == PK_PROBED && l->c[k].line == l->c[i].line &&
			    strcmp(l->c[k].text, l->c[i].text) == 0 &&
			    strcmp(l->c[k].file, l->c[i].file) == 0;
		title(&l->c[i], dup, t, sizeof(t));
		fprintf(f, "\nprobe \"%s\"\n  %s\n", t, probe_step_text(w, &l->c[i], st,
		    sizeof(st)));
	}
	fclose(f);
	return (text);
}

/* Run the scenario's probes on the model target; each probe's expectations into
 * exp[i] (malloc'd). 0, or -1 with d. */
static int
observe(const struct scn *s, const struct probe_world *w, const struct probe_list *l,
    char **exp, struct diag *d)
{
	const struct target_ops *ops = &target_model_ops;
	const struct target_frame *fr;
	const struct target_delivery *dv;
	struct target_opts to;
	struct target *t = NULL;
	const struct scn_step *st;
	char *before, *after;
	int i, ci, nf, nd, outcome, sent, rc = -1;
	size_t len;
	FILE *f;

	memset(&to, 0, sizeof(to));
	to.prefix = "pfh";
	to.services = w->services;
	if (ops->up(&t, s, &to, d) != 0)	/* 1: not on this host's release */
		return (-1);
	if (ops->load_rules(t, s, d) != 0 || ops->start_sink(t, s, d) == -1)
		goto out;
	for (i = 0, ci = 0; i < s->nprobe; i++, ci++) {
		while (l->c[ci].kind != PK_PROBED)
			ci++;
		st = &s->probe[i].step[0];
		before = ops->states(t);
		if (ops->probe_begin(t, NULL, d) == -1)
			goto out;
		if (st->kind == SCN_SEND && ops->send_on != NULL)
			sent = ops->send_on(t, st->wire, &st->pkt, d);
		else if (st->kind == SCN_SEND)
			sent = ops->send(t, &st->pkt, d);
		else
			sent = ops->jail_connect(t, st->jail, st->proto, &st->addr, st->port,
			    st->has_from ? &st->from : NULL, (uint16_t)st->from_port.lo, d);
		if (sent == -1 || ops->settle(t, WRITE_SETTLE_MS, d) == -1) {
			free(before);
			goto out;
		}
		fr = ops->frames(t, &nf);
		dv = ops->deliveries(t, &nd);
		outcome = ops->connect_outcome(t);
		after = ops->states(t);
		exp[i] = NULL;
		if ((f = open_memstream(&exp[i], &len)) != NULL) {
			expect_seen(f, w, &l->c[ci], fr, nf, dv, nd, outcome);
			expect_states(f, &l->c[ci], before, after);
			fclose(f);
		}
		ops->probe_end(t);
		free(before);
		free(after);
	}
	rc = 0;
out:
	ops->down(t);
	return (rc);
}

static void
write_findings(FILE *f, const struct probe_list *l)
{
	const struct probe_case *c;
	int i;

	if (l->n == l->nprobed)
		return;
	fprintf(f, "#\n# Rules without a probe:\n");
	for (i = 0; i < l->n; i++) {
		c = &l->c[i];
		if (c->kind == PK_PROBED)
			continue;
		fprintf(f, "#   %s:%d: %s%s%s%s\n#     %s\n", c->file, c->line,
		    c->anchor[0] ? "anchor \"" : "", c->anchor, c->anchor[0] ? "\": " : "",
		    c->text, c->why);
	}
}

int
probe_write_scn(FILE *out, struct probe_world *w, const char *pf_text,
    const struct probe_list *l, const char *header, struct diag *d)
{
	struct scn *s;
	char *text, **exp = NULL, t[1600];
	int i, k, dup, pi, rc = -1;

	listeners(w, l);
	if ((text = steps_text(w, pf_text, l)) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		return (-1);
	}
	if ((s = scn_parse_text("(generated)", text, d)) == NULL)
		goto out;
	if ((exp = calloc((size_t)s->nprobe + 1, sizeof(*exp))) == NULL ||
	    observe(s, w, l, exp, d) == -1)
		goto out;
	fprintf(out, "%s", header);
	fprintf(out, "#\n# The world (what was assumed):\n");
	for (i = 0; i < w->nnote; i++)
		fprintf(out, "#   %s\n", w->note[i]);
	for (i = 0; i < w->njail; i++)
		fprintf(out, "#   jail %s: %s\n", w->jail[i].name, w->jail[i].why);
	fprintf(out, "#   clients: the sources of the probes, listening where jails "
	    "connect\n");
	if (w->nlimit > 0)
		fprintf(out, "#\n# What the probes leave out of this world:\n");
	for (i = 0; i < w->nlimit; i++)
		fprintf(out, "#   %s\n", w->limit[i]);
	fprintf(out, "#\n# %d rules decide packets: %d probed, %d shadowed, %d match no "
	    "packet,\n# %d outside the world, %d without a probe found.\n", l->n,
	    l->nprobed, l->nshadowed, l->nempty, l->noutside, l->nnotfound);
	write_findings(out, l);
	fprintf(out, "\n");
	write_top(out, w, pf_text);
	for (i = 0, pi = 0; i < l->n; i++) {
		if (l->c[i].kind != PK_PROBED)
			continue;
		for (k = 0, dup = 0; k < i; k++)
			dup += l->c[k].kind == PK_PROBED && l->c[k].line == l->c[i].line &&
			    strcmp(l->c[k].text, l->c[i].text) == 0 &&
			    strcmp(l->c[k].file, l->c[i].file) == 0;
		title(&l->c[i], dup, t, sizeof(t));
		fprintf(out, "\nprobe \"%s\"\n  %s\n%s", t, s->probe[pi].step[0].text,
		    exp[pi] != NULL ? exp[pi] : "");
		pi++;
	}
	rc = 0;
out:
	if (exp != NULL && s != NULL)
		for (i = 0; i < s->nprobe; i++)
			free(exp[i]);
	free(exp);
	scn_free(s);
	free(text);
	return (rc);
}
