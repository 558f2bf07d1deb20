/* probe_eval.c: a probe's packet through the pf model, hook by hook, as the model
 * target's host carries it (target_model.c): a client's packet in on the external
 * interface of its wire, then out of another when the host forwards it; a jail's out
 * on the interface its route takes, and in again on that interface when it is a
 * loopback; a VNET jail's in on its bridge, then out where the host forwards it.
 * Also what pf did, in words, for `pfharness diff`. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "probe_impl.h"

/* The interface a jail's packet to dst leaves by: a jail address lo_if, another of
 * the host's addresses lo0, else the external interface whose wire dst is on. */
static const char *
route(const struct probe_world *w, const struct pkt_addr *dst)
{
	int wire;

	if (probe_world_lojail(w, dst) != -1)
		return (w->lo_if);
	if (probe_world_local(w, dst))
		return ("lo0");
	if ((wire = probe_world_bridge(w, dst)) != -1)
		return (w->as_run->bridge[wire].name);
	wire = probe_world_wire(w, dst);
	return (probe_world_ifname(w, wire > 0 ? wire : 0));
}

/* 1 when the host's stack takes a packet to a (its own address, a loopback jail's). */
static int
delivered(const struct probe_world *w, const struct pkt_addr *a)
{
	return (probe_world_lojail(w, a) != -1 || probe_world_local(w, a));
}

/* 1 when ifname is one of the world's external interfaces or bridges: what leaves
 * by it is gone from the host. */
static int
external(const struct probe_world *w, const char *ifname)
{
	int i;

	if (strcmp(ifname, w->ext_if) == 0)
		return (1);
	for (i = 1; w->as_run != NULL && i < w->as_run->niface; i++)
		if (strcmp(ifname, w->as_run->iface[i].name) == 0)
			return (1);
	for (i = 0; w->as_run != NULL && i < w->as_run->nbridge; i++)
		if (strcmp(ifname, w->as_run->bridge[i].name) == 0)
			return (1);
	return (0);
}

/* Where a jail's first packet meets pf: a VNET jail's in on its bridge, another's
 * out on its route. */
static void
first_hop(const struct probe_world *w, const struct probe_case *c, const struct pkt *p,
    struct phop *h)
{
	if (c->via == PV_SEND) {
		h->dir = PFM_IN;
		snprintf(h->ifname, sizeof(h->ifname), "%s", probe_world_ifname(w, c->wire));
	} else if (c->jail >= 0 && c->jail < w->njail && w->jail[c->jail].vnet) {
		h->dir = PFM_IN;
		snprintf(h->ifname, sizeof(h->ifname), "%s", w->jail[c->jail].on);
	} else {
		h->dir = PFM_OUT;
		snprintf(h->ifname, sizeof(h->ifname), "%s", route(w, &p->dst));
	}
}

int
probe_case_pkt(const struct probe_world *w, const struct probe_case *c, struct pkt *p)
{
	char text[600], err[256];
	const char *t;

	if (c->via == PV_SEND) {
		probe_step_text(w, c, text, sizeof(text));
		t = text + strlen("send ");
		if (strncmp(t, "on ", 3) == 0 && (t = strchr(t + 3, ' ')) != NULL)
			t++;		/* `send on IF PKT` */
		return (t != NULL ? pkt_parse(t, p, err, sizeof(err)) : -1);
	}
	memset(p, 0, sizeof(*p));
	p->proto = c->pkt.proto;
	p->src = c->pkt.src;
	p->dst = c->pkt.dst;
	p->sport = c->pkt.sport;
	p->dport = c->pkt.dport;
	p->flags = c->pkt.proto == 6 ? PKT_TH_SYN : 0;
	if (c->pkt.proto == IPPROTO_ICMP || c->pkt.proto == IPPROTO_ICMPV6) {
		p->icmp = PKT_ICMP_ECHO_REQUEST;	/* a ping, as the targets send it */
		p->sport = PROBE_PING_ID;
		p->dport = 0;
	}
	p->seq = 1000;
	p->win = 65535;
	p->ip_sum_ok = p->l4_sum_ok = p->quote_sum_ok = 1;
	return (0);
}

static void
state_text(struct pfm *pf, const struct pfm_state *s, char *buf, size_t len)
{
	FILE *fp;
	char *p;

	buf[0] = '\0';
	if (s == NULL || (fp = fmemopen(buf, len, "w")) == NULL)
		return;
	pfm_show_state(pf, s, fp);
	fclose(fp);
	buf[strcspn(buf, "\n")] = '\0';
	for (p = buf; *p != '\0'; p++)		/* pfctl's column padding: one space */
		while (*p == ' ' && p[1] == ' ')
			memmove(p, p + 1, strlen(p));
}

/* pf sent the SYN's sender a SYN|ACK itself (v->emit): the ACK the client answers
 * it with into p (0), or -1 when there is none. */
static int
client_ack(const struct phop *h, struct pkt *p)
{
	struct pkt sa;
	int i;

	if (p->proto != 6 || (p->flags & (PKT_TH_SYN | PKT_TH_ACK)) != PKT_TH_SYN)
		return (-1);
	for (i = 0; i < h->v.nemit; i++) {
		if (h->v.emit[i].to != PFM_EMIT_BACK ||
		    pkt_decode_l3(h->v.emit[i].pkt, h->v.emit[i].len, &sa) == -1 ||
		    sa.proto != 6 || sa.flags != (PKT_TH_SYN | PKT_TH_ACK))
			continue;
		p->flags = PKT_TH_ACK;
		p->ack = sa.seq + 1;
		p->seq++;
		return (0);
	}
	return (-1);
}

/* 1 when the host forwards what came in at hop h (FreeBSD's ip_input: a packet not
 * for the host goes to ip_forward only with net.inet.ip.forwarding; one from a
 * loopback never leaves). */
static int
forwards(const struct probe_world *w, const struct phop *h, const struct pkt *p)
{
	if (strncmp(h->ifname, "lo", 2) == 0)
		return (0);
	return (probe_world_forwards(w, p->dst.af));
}

int
probe_eval(struct pfm *pf, const struct probe_world *w, const struct probe_case *c,
    uint64_t now_ms, struct phop *hop)
{
	uint8_t buf[PKT_FRAME_MAX];
	char err[256];
	struct pkt p;
	int n, nh = 0;

	if (probe_case_pkt(w, c, &p) == -1 ||
	    (n = pkt_build_l3(&p, buf, sizeof(buf), err, sizeof(err))) < 0)
		return (0);
	for (;;) {
		struct phop *h = &hop[nh];

		memset(h, 0, sizeof(*h));
		h->before = p;
		if (nh == 0)
			first_hop(w, c, &p, h);
		else if (hop[nh - 1].v.action != PFM_PASS) {
			h->dir = PFM_IN;	/* the client's ACK (client_ack) */
			memcpy(h->ifname, hop[nh - 1].ifname, sizeof(h->ifname));
		} else if (hop[nh - 1].dir == PFM_OUT) {
			h->dir = PFM_IN;	/* looped back on the same interface */
			memcpy(h->ifname, hop[nh - 1].ifname, sizeof(h->ifname));
		} else if (!delivered(w, &p.dst)) {
			/* forwarded (pf's second look: out on the route's interface) */
			h->dir = PFM_OUT;
			snprintf(h->ifname, sizeof(h->ifname), "%s", route(w, &p.dst));
		} else {
			/* net.pf.filter_local: delivered to the host's stack, pf
			 * tests it in on lo0 too (FreeBSD 14's local pfil hook) */
			h->dir = PFM_IN;
			snprintf(h->ifname, sizeof(h->ifname), "lo0");
		}
		(void)pfm_test(pf, h->dir, h->ifname, buf, (size_t)n, now_ms + (uint64_t)nh,
		    &h->v);
		if (pkt_decode_l3(buf, (size_t)n, &h->after) == -1)
			h->after = p;
		if (h->v.state != NULL && (h->v.state_hit || h->v.state_created))
			state_text(pf, h->v.state, h->state, sizeof(h->state));
		nh++;
		if (nh == 1 && c->via == PV_SEND && h->v.action != PFM_PASS &&
		    nh < PROBE_HOPS && client_ack(h, &p) == 0) {
			/* pf answered the SYN itself (syncookies, synproxy): the client
			 * acknowledges, as the harness's clients do, and pf goes on */
			if ((n = pkt_build_l3(&p, buf, sizeof(buf), err, sizeof(err))) < 0)
				break;
			hop[nh].dir = PFM_IN;	/* the next hop: in again, from the wire */
			continue;
		}
		if (nh == PROBE_HOPS || h->v.action != PFM_PASS)
			break;
		if (h->dir == PFM_IN && delivered(w, &h->after.dst) &&
		    !(pfm_filter_local(pf) && strcmp(h->ifname, "lo0") != 0))
			break;
		if (h->dir == PFM_IN && !delivered(w, &h->after.dst) && (!forwards(w, h,
		    &h->after) || strcmp(route(w, &h->after.dst), h->ifname) == 0))
			break;
		if (h->dir == PFM_OUT && external(w, h->ifname))
			break;
		p = h->after;
	}
	return (nh);
}

int
probe_hop_decides(const struct phop *h, int list, const char *anchor, int nr)
{
	const struct pfm_rule *r;

	if (h->v.skipped)
		return (0);
	if (list != PL_FILTER)
		r = h->v.trans;
	else if (h->v.state_hit || (h->v.trans != NULL && h->v.trans->pass_trans))
		return (0);
	else
		r = h->v.filter;
	return (r != NULL && probe_rule_list(r) == list && r->nr == nr &&
	    strcmp(pfm_rule_anchor(r), anchor) == 0);
}

/* Replace each whole `:PORT` of s by `:*` (a port pf picked at random). */
static void
mask_port(char *s, uint16_t port)
{
	char pat[16], *p = s, *e;
	size_t n;

	n = (size_t)snprintf(pat, sizeof(pat), ":%u", port);
	while ((p = strstr(p, pat)) != NULL) {
		e = p + n;
		if (*e >= '0' && *e <= '9') {
			p = e;
			continue;
		}
		p[1] = '*';
		memmove(p + 2, e, strlen(e) + 1);
		p += 2;
	}
}

static void
rule_words(struct pfm *pf, const struct pfm_rule *r, char *buf, size_t len)
{
	char txt[1024];
	int line;
	const char *file = pfm_rule_origin(r, &line);

	pfm_rule_format(pf, r, txt, sizeof(txt));
	snprintf(buf, len, "%s:%d: %s%s%s%s", file, line, pfm_rule_anchor(r)[0] ?
	    "anchor \"" : "", pfm_rule_anchor(r), pfm_rule_anchor(r)[0] ? "\": " : "", txt);
}

char *
probe_outcome(struct pfm *pf, const struct probe_world *w, const struct probe_case *c,
    char *buf, size_t len, char *rules, size_t rlen)
{
	struct phop hop[PROBE_HOPS];
	char a[600], st[600], rb[1400];
	size_t o = 0, ro = 0;
	int i, nh;
	uint16_t nat;

	buf[0] = '\0';
	if (rules != NULL && rlen > 0)
		rules[0] = '\0';
	pfm_flush_states(pf);
	if ((nh = probe_eval(pf, w, c, 1000, hop)) == 0) {
		snprintf(buf, len, "the packet could not be built");
		return (buf);
	}
	for (i = 0; i < nh; i++) {
		const struct phop *h = &hop[i];

		nat = 0;
		if (h->v.trans != NULL && (h->v.trans->action == PFM_R_NAT ||
		    h->v.trans->action == PFM_R_BINAT) && !h->v.trans->rpool.static_port &&
		    h->after.sport != h->before.sport)
			nat = h->after.sport;
		pkt_format(&h->after, a, sizeof(a));
		snprintf(st, sizeof(st), "%s", h->state);
		if (nat != 0) {
			mask_port(a, nat);
			mask_port(st, nat);
		}
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s on %s: %s",
		    i ? "; " : "", h->dir == PFM_IN ? "in" : "out", h->ifname,
		    h->v.skipped ? "pass (set skip)" : h->v.action == PFM_PASS ? "pass" :
		    h->v.action == PFM_HELD ? "held" : "block");
		if (h->v.trans != NULL && !h->v.skipped)
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, ", %s to %s",
			    h->v.trans->action == PFM_R_RDR ? "redirected" : "translated", a);
		if (h->v.state_created)
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, ", state %s", st);
		else if (h->v.state_hit)
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0,
			    ", an existing state");
		if (rules == NULL)
			continue;
		if (h->v.trans != NULL) {
			rule_words(pf, h->v.trans, rb, sizeof(rb));
			ro += (size_t)snprintf(rules + ro, ro < rlen ? rlen - ro : 0, "%s%s",
			    ro ? "\n" : "", rb);
		}
		if (h->v.filter != NULL && !h->v.state_hit) {
			rule_words(pf, h->v.filter, rb, sizeof(rb));
			ro += (size_t)snprintf(rules + ro, ro < rlen ? rlen - ro : 0, "%s%s",
			    ro ? "\n" : "", rb);
		}
	}
	return (buf);
}
