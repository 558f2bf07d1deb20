/* probe_gen.c: for each rule that decides packets, the packets it decides at each
 * hook (interface and direction): its match set less what earlier quick rules take,
 * less what later rules override when it is not quick, and for filter rules less what
 * translation moves away (plus what translation brings in): pf's order of evaluation
 * (PF-REFERENCE: first-match translation, last-match filtering with quick, filter
 * rules see translated packets, `pass` translation skips them). Empty everywhere:
 * the rule is shadowed. Else probe_find.c looks for a packet the world can send. */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_ctx.h"

static int
applies(const struct gen *G, const struct grule *g, const struct ghook *h)
{
	return (probe_grule_applies(&G->s, g, h->in, h->ifname));
}

/* The translation lists of a hook in pf's order (pf_get_translation): inbound rdr
 * then binat, outbound binat then nat. */
static void
trans_lists(const struct ghook *h, int l[2])
{
	l[0] = h->in ? PL_RDR : PL_BINAT;
	l[1] = h->in ? PL_BINAT : PL_NAT;
}

static void
note_blocker(struct gen *G, const struct grule *q, enum gblk why)
{
	int i;

	for (i = 0; i < G->nblk; i++)
		if (G->blk[i].g == q)
			return;
	if (G->nblk < GEN_BLOCKERS) {
		G->blk[G->nblk].g = q;
		G->blk[G->nblk++].why = why;
	} else
		G->more_blk = 1;
}

static int
region_meets(const struct pregion *r, const struct pregion *q)
{
	int i, k;

	for (i = 0; i < r->n; i++)
		for (k = 0; k < q->n; k++)
			if (pbox_meets(&r->b[i], &q->b[k]))
				return (1);
	return (0);
}

/* r = r - q (every box of q); 1 when they met, -1 out of memory. */
static int
region_sub(struct pregion *r, const struct pregion *q)
{
	int k, met;

	if (!(met = region_meets(r, q)))
		return (0);
	for (k = 0; k < q->n && r->n > 0; k++)
		if (pregion_minus(r, &q->b[k]) == -1)
			return (-1);
	return (met);
}

/* What filter rules see of r at hook h: packets no sure translation takes away,
 * and what the translations that do not skip filtering bring. */
static int
filter_translated(struct gen *G, const struct ghook *h, int af, struct pregion *r)
{
	struct pregion unt, img, unsure, sure;
	const struct pregion *xm, *xi;
	struct grule *x;
	int l[2], i, k, met, rc = -1;

	pregion_init(&unt);
	pregion_init(&img);
	pregion_init(&unsure);
	pregion_init(&sure);
	if (pregion_add_region(&unt, r) == -1)
		goto out;
	trans_lists(h, l);
	for (i = 0; i < 2; i++)
		for (k = 0; k < G->s.n[l[i]]; k++) {
			x = &G->s.g[l[i]][k];
			if (!x->deciding || !applies(G, x, h))
				continue;
			if ((xm = probe_grule_match(&G->s, x, af, h->in)) == NULL)
				goto out;
			if (!x->translates || x->inexact) {
				/* a `no` rule, or one the boxes cannot state: the rules
				 * after it are not sure to translate what it matches */
				if (pregion_add_region(&unsure, xm) == -1)
					goto out;
				continue;
			}
			/* what x surely translates: its match but for the packets an
			 * earlier `no` rule (or one the boxes cannot state) matches */
			pregion_free(&sure);
			if (pregion_add_region(&sure, xm) == -1 ||
			    region_sub(&sure, &unsure) == -1)
				goto out;
			if ((met = region_sub(&unt, &sure)) == -1)
				goto out;
			if (met)
				note_blocker(G, x, GB_TRANS);
			if (x->r->pass_trans)
				continue;	/* `nat pass`, `rdr pass`: no filter rule */
			if ((xi = probe_grule_image(&G->s, x, af, h->in)) == NULL ||
			    pregion_and_region(&img, r, xi) == -1)
				goto out;
		}
	pregion_free(r);
	if (pregion_add_region(r, &unt) == -1 || pregion_add_region(r, &img) == -1)
		goto out;
	rc = 0;
out:
	pregion_free(&unt);
	pregion_free(&img);
	pregion_free(&unsure);
	pregion_free(&sure);
	return (rc);
}

/* out less what rule q (which applies at h) surely takes, q noted as a blocker (why)
 * when it takes some; a rule the boxes cannot state (inexact) takes nothing for sure.
 * 0, or -1 out of memory. */
static int
take_away(struct gen *G, struct grule *q, const struct ghook *h, int af,
    struct pregion *out, enum gblk why)
{
	const struct pregion *qm;
	int met;

	if ((qm = probe_grule_match(&G->s, q, af, h->in)) == NULL)
		return (-1);
	if (q->inexact)
		return (0);
	if ((met = region_sub(out, qm)) == -1)
		return (-1);
	if (met)
		note_blocker(G, q, why);
	return (0);
}

int
probe_region_at(struct gen *G, struct grule *g, const struct ghook *h, int af,
    struct pregion *out)
{
	const struct pregion *m;
	struct grule *q;
	int l[2], i, k, self;

	pregion_free(out);
	if (!applies(G, g, h))
		return (0);
	if (probe_skipped(&G->s, h->ifname)) {
		G->by_skip = 1;
		return (0);
	}
	if ((m = probe_grule_match(&G->s, g, af, h->in)) == NULL ||
	    pregion_add_region(out, m) == -1)
		return (-1);
	if (g->list == PL_FILTER) {
		for (k = 0; k < G->s.n[PL_FILTER] && out->n > 0; k++) {
			q = &G->s.g[PL_FILTER][k];
			if (q == g || !q->deciding)
				continue;
			/* before g: a quick rule, or one in a quick anchor g comes after;
			 * after g: any rule, unless g is quick or a quick anchor it is in
			 * ends before it */
			if (k < g->index ? !q->quick && !(q->scope_end != -1 &&
			    g->index >= q->scope_end) : g->quick ||
			    (g->scope_end != -1 && k >= g->scope_end))
				continue;
			if (applies(G, q, h) && take_away(G, q, h, af, out,
			    k < g->index ? GB_QUICK : GB_LATER) == -1)
				return (-1);
		}
		if (out->n > 0 && filter_translated(G, h, af, out) == -1)
			return (-1);
		return (0);
	}
	trans_lists(h, l);
	for (i = 0, self = 0; i < 2 && !self && out->n > 0; i++)
		for (k = 0; k < G->s.n[l[i]] && out->n > 0; k++) {
			q = &G->s.g[l[i]][k];
			if (q == g) {
				self = 1;
				break;
			}
			if (q->deciding && applies(G, q, h) &&
			    take_away(G, q, h, af, out, GB_QUICK) == -1)
				return (-1);
		}
	return (0);
}

static void
rule_where(const struct grule *q, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%d", q->r->file != NULL ? q->r->file : "", q->r->line);
}

/* Why no packet reaches the rule, from the blockers met on the way. */
static void
shadow_why(const struct gen *G, char *buf, size_t len)
{
	static const char *const what[] = {
		[GB_QUICK] = "earlier rules take its packets first",
		[GB_LATER] = "later rules override it",
		[GB_TRANS] = "translation moves its packets away"
	};
	char w[300];
	size_t o;
	int k, i, n;

	o = (size_t)snprintf(buf, len, "shadowed, no packet reaches it:");
	n = 0;
	for (k = GB_QUICK; k <= GB_TRANS; k++) {
		int first = 1;

		for (i = 0; i < G->nblk; i++) {
			if ((int)G->blk[i].why != k)
				continue;
			rule_where(G->blk[i].g, w, sizeof(w));
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s%s%s",
			    first ? (n ? "; " : " ") : ", ", first ? what[k] : "",
			    first ? " (" : "", w);
			first = 0;
		}
		if (!first) {
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s)",
			    G->more_blk ? ", ..." : "");
			n++;
		}
	}
	if (G->by_skip)
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s`set skip` on its "
		    "interface", n ? "; " : " ");
	else if (n == 0)
		(void)snprintf(buf + o, o < len ? len - o : 0, " it matches no packet (an "
		    "empty table, an address the host does not have)");
}

static void
case_head(struct gen *G, const struct grule *g, struct probe_case *c)
{
	memset(c, 0, sizeof(*c));
	c->list = g->list;
	c->nr = g->r->nr;
	snprintf(c->anchor, sizeof(c->anchor), "%s", g->anchor);
	pfm_ruleset_format_rule(G->s.rs, g->r, c->text, sizeof(c->text));
	snprintf(c->file, sizeof(c->file), "%s", g->r->file != NULL ? g->r->file : "");
	c->line = g->r->line;
	c->jail = -1;
}

/* A set in words: one value, a range, or the first of several. */
static void
set_words(const struct pset *s, enum pdim d, int af, char *buf, size_t len)
{
	char a[64], b[64];
	struct pkt_addr x;
	struct pval max = pdim_max(d, af);
	int addr = d == PD_SRC || d == PD_DST;

	if (s->n == 1 && pval_cmp(s->iv[0].a, pval_u(0)) == 0 &&
	    pval_cmp(s->iv[0].b, max) == 0) {
		snprintf(buf, len, "any");
		return;
	}
	x.af = af;
	pval_to_addr(s->iv[0].a, af, x.a);
	if (addr)
		pkt_addr_format(&x, a, sizeof(a));
	else
		snprintf(a, sizeof(a), "%llu", (unsigned long long)s->iv[0].a.lo);
	pval_to_addr(s->iv[0].b, af, x.a);
	if (addr)
		pkt_addr_format(&x, b, sizeof(b));
	else
		snprintf(b, sizeof(b), "%llu", (unsigned long long)s->iv[0].b.lo);
	snprintf(buf, len, "%s%s%s%s", a, pval_cmp(s->iv[0].a, s->iv[0].b) ? "-" : "",
	    pval_cmp(s->iv[0].a, s->iv[0].b) ? b : "", s->n > 1 ? " ..." : "");
}

/* The packets of a box, as a finding says them: from SRC to DST [port P]. */
static void
box_words(const struct pbox *b, int af, char *buf, size_t len)
{
	char s[160], d[160], p[64];

	set_words(&b->d[PD_SRC], PD_SRC, af, s, sizeof(s));
	set_words(&b->d[PD_DST], PD_DST, af, d, sizeof(d));
	set_words(&b->d[PD_DPORT], PD_DPORT, af, p, sizeof(p));
	snprintf(buf, len, "from %s to %s%s%s", s, d, strcmp(p, "0") != 0 &&
	    strcmp(p, "any") != 0 ? " port " : "", strcmp(p, "0") != 0 &&
	    strcmp(p, "any") != 0 ? p : "");
}

/* Where a rule the world does not reach would match, for the finding; "" when it
 * matches nowhere. */
static void
outside_why(struct gen *G, struct grule *g, char *buf, size_t len)
{
	struct pregion r;
	char words[400];
	int i, a, af;

	pregion_init(&r);
	buf[0] = '\0';
	for (a = 0; a < 2 && buf[0] == '\0'; a++) {
		af = a ? AF_INET6 : AF_INET;
		for (i = 0; i < G->nhook && buf[0] == '\0'; i++) {
			if (probe_region_at(G, g, &G->hook[i], af, &r) == -1 || r.n == 0)
				continue;
			box_words(&r.b[0], af, words, sizeof(words));
			if (strcmp(G->hook[i].ifname, "pfh-none0") == 0)
				snprintf(buf, len, "outside the world: its packets go %s on "
				    "interfaces this world does not have (%s)",
				    G->hook[i].in ? "in" : "out", words);
			else if (!G->hook[i].world && G->hook[i].left != NULL)
				snprintf(buf, len, "outside the probes: its packets go %s on "
				    "%s, where %s", G->hook[i].in ? "in" : "out",
				    G->hook[i].ifname, G->hook[i].left);
			else if (!G->hook[i].world)
				snprintf(buf, len, "outside the world: its packets go %s on "
				    "%s, an interface this world does not have",
				    G->hook[i].in ? "in" : "out", G->hook[i].ifname);
			else
				snprintf(buf, len, "outside the world: its packets are %s "
				    "(%s on %s %s); the world is %s", af == AF_INET6 ? "inet6" :
				    "inet", G->hook[i].in ? "in" : "out", G->hook[i].ifname, words,
				    G->af == AF_INET6 ? "inet6" : "inet");
		}
	}
	pregion_free(&r);
}

/* The tables of r's addresses that hold nothing of either family, named into buf. */
static int
empty_tables(const struct pfm_rule *r, char *buf, size_t len)
{
	const struct pfm_addr *a[2] = { &r->src.addr, &r->dst.addr };
	const struct pfm_table *t;
	size_t o = 0;
	int i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < 2; i++) {
		if (a[i]->type != PFM_ADDR_TABLE || a[i]->neg || (t = a[i]->table) == NULL)
			continue;
		if (!t->active && t->root != NULL)
			t = t->root;
		if (t->nent > 0)
			continue;
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s<%s>", n++ ? ", " :
		    "", t->name);
	}
	return (n);
}

/* 1 when the rule matches no packet at all (its own sets, before any other rule). */
static int
matches_nothing(struct gen *G, struct grule *g)
{
	const struct pregion *m;
	int a, d;

	for (a = 0; a < 2; a++)
		for (d = 0; d < 2; d++)
			if ((m = probe_grule_match(&G->s, g, a ? AF_INET6 : AF_INET, d)) == NULL ||
			    m->n > 0)
				return (0);
	return (1);
}

/* One rule: a probe, or why there is none. */
static int
gen_rule(struct gen *G, struct grule *g, struct probe_case *c)
{
	struct pregion r;
	char where_if[PFM_IFNAMSIZ] = "", where_box[300] = "";
	int i, rc, reach = 0, sendable = 0, where_in = 0;

	case_head(G, g, c);
	G->nblk = G->more_blk = G->by_skip = G->answered = 0;
	if (g->r->fragment) {
		c->kind = PK_OUTSIDE;
		snprintf(c->why, sizeof(c->why), "outside the probes: it matches fragments "
		    "only, and probes are whole packets");
		return (0);
	}
	if (matches_nothing(G, g)) {
		char t[200];

		c->kind = PK_EMPTY;
		if (empty_tables(g->r, t, sizeof(t)) > 0)
			snprintf(c->why, sizeof(c->why), "matches no packet as loaded: table "
			    "%s is empty (filled at run time?)", t);
		else
			snprintf(c->why, sizeof(c->why), "matches no packet: none of its "
			    "addresses exists on this host");
		return (0);
	}
	pregion_init(&r);
	for (i = 0; i < G->nhook; i++) {
		if (!G->hook[i].world)
			continue;
		if (probe_region_at(G, g, &G->hook[i], G->af, &r) == -1)
			goto fail;
		if (r.n == 0)
			continue;
		if (!reach) {
			where_in = G->hook[i].in;
			snprintf(where_if, sizeof(where_if), "%s", G->hook[i].ifname);
			box_words(&r.b[0], G->af, where_box, sizeof(where_box));
		}
		reach = 1;
		if ((rc = probe_find(G, g, &G->hook[i], &r, c)) == -1)
			goto fail;
		if (rc == 1) {
			pregion_free(&r);
			c->kind = PK_PROBED;
			return (0);
		}
		sendable |= rc == 0;
	}
	pregion_free(&r);
	if (reach) {
		c->kind = sendable ? PK_NOTFOUND : PK_OUTSIDE;
		if (sendable && G->answered)
			snprintf(c->why, sizeof(c->why), "not probed: pf answered the SYNs "
			    "tried itself (syncookies) and matched the rules at the client's "
			    "ACK, where the model's verdict names the state, not the rule");
		else if (sendable)
			snprintf(c->why, sizeof(c->why), "not probed: the model decided every "
			    "packet tried by another rule");
		else
			snprintf(c->why, sizeof(c->why), "outside the world: no client or jail "
			    "sends its packets (%s on %s %s): they come from the host itself, "
			    "or from where no client may be, or are of a protocol the probes do "
			    "not send", where_in ? "in" : "out", where_if, where_box);
		return (0);
	}
	outside_why(G, g, c->why, sizeof(c->why));
	if (c->why[0] != '\0') {
		c->kind = PK_OUTSIDE;
		return (0);
	}
	c->kind = PK_SHADOWED;
	G->nblk = G->more_blk = G->by_skip = 0;
	for (i = 0; i < G->nhook; i++) {	/* the blockers again, every hook */
		if (probe_region_at(G, g, &G->hook[i], AF_INET, &r) == -1 ||
		    probe_region_at(G, g, &G->hook[i], AF_INET6, &r) == -1)
			goto fail;
	}
	pregion_free(&r);
	shadow_why(G, c->why, sizeof(c->why));
	return (0);
fail:
	pregion_free(&r);
	return (-1);
}

static void
add_hook(struct gen *G, const char *ifname, int world, enum hvant in_v, enum hvant out_v,
    int wire, const char *left)
{
	int i, d;

	for (i = 0; i < G->nhook; i++)
		if (strcmp(G->hook[i].ifname, ifname) == 0)
			return;
	for (d = 1; d >= 0 && G->nhook < GEN_HOOKS; d--) {
		struct ghook *h = &G->hook[G->nhook++];

		memset(h, 0, sizeof(*h));
		snprintf(h->ifname, sizeof(h->ifname), "%s", ifname);
		h->in = d;
		h->world = world;
		h->wire = wire;
		h->bridge = -1;
		h->left = left;
		h->vant = d ? in_v : out_v;
	}
}

/* Is name an interface or a group of the host? */
static int
host_knows(const struct pfm_host *h, const char *name)
{
	int i;

	for (i = 0; i < h->niface; i++)
		if (probe_if_member(h, h->iface[i].name, name))
			return (1);
	return (0);
}

/* The hooks of a format v2 world's other interfaces: each external interface with an
 * address of the probes' family is a wire clients send on and jails connect out of;
 * a bridge, where VNET jails' packets come in; interfaces down or without such an
 * address are the world's but the probes send nothing there. */
static void
more_hooks(struct gen *G, const struct scn *s)
{
	int i, k;

	for (i = 1; i < s->niface; i++) {
		for (k = 0; k < s->iface[i].naddr; k++)
			if (s->iface[i].addr[k].addr.af == G->af)
				break;
		if (s->iface[i].down)
			add_hook(G, s->iface[i].name, 0, HV_NONE, HV_NONE, -1,
			    "it is down");
		else if (k == s->iface[i].naddr)
			add_hook(G, s->iface[i].name, 0, HV_NONE, HV_NONE, -1,
			    G->af == AF_INET6 ? "it has no inet6 address" :
			    "it has no inet address");
		else
			add_hook(G, s->iface[i].name, 1, HV_SEND, HV_CONN, i, NULL);
	}
	for (i = 0; i < s->nbridge; i++) {
		k = G->nhook;
		add_hook(G, s->bridge[i].name, 1, HV_CONN, HV_CONN, -1, NULL);
		for (; k < G->nhook; k++)
			G->hook[k].bridge = i;
	}
	/* what the host forwards goes out on an external interface or a bridge */
	for (k = 0; k < G->nhook; k++)
		G->hook[k].fwd = !G->hook[k].in && (G->hook[k].wire >= 0 ||
		    G->hook[k].bridge >= 0) && probe_world_forwards(G->w, G->af);
}

/* The world's hooks (external interfaces, the jails' loopback, lo0), then interfaces
 * the rules name that the host lacks, then one that no rule names. */
static void
make_hooks(struct gen *G)
{
	const struct probe_world *w = G->w;
	int l, k;

	G->nhook = 0;
	add_hook(G, w->ext_if, 1, HV_SEND, HV_CONN, 0, NULL);
	if (w->as_run != NULL)
		more_hooks(G, w->as_run);
	if (w->lo_if[0] != '\0')
		add_hook(G, w->lo_if, 1, HV_CONN, HV_CONN, -1, NULL);
	add_hook(G, "lo0", 1, pfm_filter_local(G->pf) ? HV_BOTH : HV_CONN, HV_CONN, -1,
	    NULL);
	for (l = 0; l < PL_N; l++)
		for (k = 0; k < G->s.n[l]; k++)
			if (G->s.g[l][k].r->ifname[0] != '\0' &&
			    !host_knows(&w->host, G->s.g[l][k].r->ifname))
				add_hook(G, G->s.g[l][k].r->ifname, 0, HV_NONE, HV_NONE, -1,
				    NULL);
	add_hook(G, "pfh-none0", 0, HV_NONE, HV_NONE, -1, NULL);
}

/* Every deciding rule of the flattened lists, translation first (pfctl's order). */
static int
gen_all(struct gen *G, struct probe_list *out)
{
	static const int order[] = { PL_NAT, PL_RDR, PL_BINAT, PL_FILTER };
	struct probe_case *c;
	int i, k, n = 0;

	for (i = 0; i < PL_N; i++)
		for (k = 0; k < G->s.n[i]; k++)
			n += G->s.g[i][k].deciding;
	if ((out->c = calloc((size_t)(n ? n : 1), sizeof(*out->c))) == NULL)
		return (-1);
	for (i = 0; i < PL_N; i++)
		for (k = 0; k < G->s.n[order[i]]; k++) {
			struct grule *g = &G->s.g[order[i]][k];

			if (!g->deciding)
				continue;
			c = &out->c[out->n++];
			if (gen_rule(G, g, c) == -1)
				return (-1);
			out->nprobed += c->kind == PK_PROBED;
			out->nshadowed += c->kind == PK_SHADOWED;
			out->nempty += c->kind == PK_EMPTY;
			out->noutside += c->kind == PK_OUTSIDE;
			out->nnotfound += c->kind == PK_NOTFOUND;
		}
	return (0);
}

/* One pass over the ruleset in world w: load it, generate. 0, or -1 with d. */
static int
gen_pass(const char *text, const struct pfm_load_opts *lo, struct probe_world *w,
    int relaxed, struct probe_list *out, struct gen *G, struct diag *d)
{
	struct pfm_ruleset *rs = NULL;
	struct diag ld = { 0 };
	char *eq;
	int i, rc = -1;

	memset(G, 0, sizeof(*G));
	G->w = w;
	G->af = w->host_addr.af;
	G->relaxed = relaxed;
	G->next_port = 40001;
	G->now = 1000;
	if (probe_world_host(w, d) == -1)
		return (-1);
	if ((rs = pfm_ruleset_parse(text, lo, &w->host, d)) == NULL)
		return (-1);
	if ((G->pf = pfm_new(&w->host)) == NULL || pfm_load(G->pf, text, lo, &ld) == -1) {
		diag_raw(d, diag_text(&ld));
		goto out;
	}
	for (i = 0; i < w->nsysctl; i++) {
		char kv[256];

		snprintf(kv, sizeof(kv), "%s", w->sysctl[i]);
		if ((eq = strchr(kv, '=')) != NULL) {
			*eq = '\0';
			(void)pfm_sysctl(G->pf, kv, eq + 1);
		}
	}
	if (probe_gset_make(&G->s, rs, &w->host) == -1)
		goto out;
	make_hooks(G);
	if (probe_vantages(G) == -1 || gen_all(G, out) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1 && d->count == 0)
		diag_add(d, NULL, 0, "out of memory");
	diag_free(&ld);
	probe_gset_free(&G->s);
	probe_vantages_free(G);
	pfm_ruleset_free(rs);
	pfm_free(G->pf);
	G->pf = NULL;
	return (rc);
}

int
probe_generate(const char *text, const struct pfm_load_opts *lo, struct probe_world *w,
    struct probe_list *out, struct diag *d)
{
	struct gen G;
	char why[400];
	int i, k;

	memset(out, 0, sizeof(*out));
	if (gen_pass(text, lo, w, !w->fixed, out, &G, d) == -1) {
		probe_list_free(out);
		return (-1);
	}
	if (G.nhint == 0)
		return (0);
	/* Jails where probes need one: then every rule again, in the world with them. */
	for (i = 0; i < G.nhint; i++) {
		for (k = 0; k < out->n; k++)
			if (out->c[k].via == PV_CONNECT && out->c[k].kind == PK_PROBED &&
			    pkt_addr_eq(&out->c[k].pkt.src, &G.hint[i]))
				break;
		snprintf(why, sizeof(why), "the source of the probe of %s:%d",
		    k < out->n ? out->c[k].file : "?", k < out->n ? out->c[k].line : 0);
		(void)probe_world_add_jail(w, &G.hint[i], why);
	}
	probe_list_free(out);
	if (gen_pass(text, lo, w, 0, out, &G, d) == -1) {
		probe_list_free(out);
		return (-1);
	}
	return (0);
}

void
probe_list_free(struct probe_list *l)
{
	free(l->c);
	memset(l, 0, sizeof(*l));
}
