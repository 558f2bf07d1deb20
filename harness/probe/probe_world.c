/* probe_world.c: the world probes run in: from the world options (`--if` as
 * `pfharness trace` takes it, `--world SCENARIO` in probe_wire.c), else a world of
 * format v1 assumed from the ruleset, every assumption written down for the
 * scenario's header. */
#include <sys/socket.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_impl.h"
#include "target/pfhost.h"

#define GUESS_IFS	8

int
probe_wopt(struct probe_wopts *o, int c, char *arg, const char *cmd)
{
	char err[256], *eq;

	switch (c) {
	case PROBE_OPT_IF:
		if (pfm_host_add(&o->ifs, arg, err, sizeof(err)) == -1) {
			fprintf(stderr, "pfharness %s: --if %s: %s\n", cmd, arg, err);
			return (-1);
		}
		o->nif++;
		return (1);
	case 'D':
		if ((eq = strrchr(arg, '=')) == NULL || eq == arg || o->ndef == PROBE_KV_MAX) {
			fprintf(stderr, "pfharness %s: -D %s: expected macro=value (at most "
			    "%d)\n", cmd, arg, PROBE_KV_MAX);
			return (-1);
		}
		*eq = '\0';
		o->def[o->ndef].name = arg;
		o->def[o->ndef++].value = eq + 1;
		return (1);
	case PROBE_OPT_SYSCTL:
		if (strchr(arg, '=') == NULL || o->nsysctl == PROBE_KV_MAX) {
			fprintf(stderr, "pfharness %s: --sysctl %s: expected NAME=VALUE\n", cmd,
			    arg);
			return (-1);
		}
		o->sysctl[o->nsysctl++] = arg;
		return (1);
	case PROBE_OPT_SERVICES:
		o->services = arg;
		return (1);
	case PROBE_OPT_WORLD:
		o->world = arg;
		return (1);
	case PROBE_OPT_FREEBSD:
		if ((o->freebsd = pfm_freebsd_parse(arg)) == -1) {
			fprintf(stderr, "pfharness %s: --freebsd %s: expected 14 or 15\n", cmd,
			    arg);
			return (-1);
		}
		return (1);
	default:
		return (0);
	}
}

void
probe_world_free(struct probe_world *w)
{
	int i;

	for (i = 0; i < w->nnote; i++)
		free(w->note[i]);
	for (i = 0; i < w->ndefine; i++)
		free(w->define[i]);
	for (i = 0; i < w->nsysctl; i++)
		free(w->sysctl[i]);
	for (i = 0; i < w->nlimit; i++)
		free(w->limit[i]);
	free(w->client);
	scn_free(w->scn);
	scn_free(w->as_run);
	memset(w, 0, sizeof(*w));
}

int
probe_listen_add(struct scn_port *l, int *n, int proto, uint16_t port)
{
	int i;

	for (i = 0; i < *n; i++)
		if (l[i].proto == proto && l[i].port == port)
			return (0);
	if (*n == SCN_LISTEN_MAX || port == 0)
		return (-1);
	l[*n].proto = proto;
	l[(*n)++].port = port;
	return (0);
}

int
probe_world_add_jail(struct probe_world *w, const struct pkt_addr *a, const char *why)
{
	struct probe_jail *j;
	int i;

	if ((i = probe_world_jail(w, a)) != -1)
		return (i);
	if (w->njail == PROBE_JAILS_MAX)
		return (-1);
	j = &w->jail[w->njail];
	memset(j, 0, sizeof(*j));
	j->addr = *a;
	snprintf(j->name, sizeof(j->name), "j%d", w->njail + 1);
	snprintf(j->why, sizeof(j->why), "%s", why);
	return (w->njail++);
}


int
probe_world_host(struct probe_world *w, struct diag *d)
{
	char *text = NULL, jif[PFM_IFNAMSIZ];
	size_t len = 0;
	struct scn *s;
	FILE *f;
	int rc;

	if ((f = open_memstream(&text, &len)) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		return (-1);
	}
	fprintf(f, "scenario \"world\"\n");
	probe_world_print(w, f);
	fprintf(f, "pf <<EOF\nEOF\n");
	fclose(f);
	if ((s = scn_parse_text("(world)", text, d)) == NULL) {
		free(text);
		return (-1);
	}
	free(text);
	w->gateway = s->gateway;
	rc = target_pfhost(s, &w->host, jif, d);
	scn_free(w->as_run);
	w->as_run = s;
	return (rc);
}

int
probe_world_scn_pf(const char *path, char **text, char **file, int *line0, struct diag *d)
{
	struct scn *s;

	if ((s = scn_parse_file(path, d)) == NULL)
		return (-1);
	*text = strdup(s->pf_text != NULL ? s->pf_text : "");
	*file = strdup(s->pf_file != NULL ? s->pf_file : path);
	*line0 = s->pf_line0;
	scn_free(s);
	if (*text == NULL || *file == NULL) {
		diag_add(d, path, 0, "out of memory");
		return (-1);
	}
	return (0);
}

static int
is_lo(const char *name)
{
	return (strncmp(name, "lo", 2) == 0 && isdigit((unsigned char)name[2]));
}

static int	in_net(const struct pkt_addr *, const struct pkt_addr *, int);
static void	widen(struct pkt_addr *, int *, const struct pkt_addr *);
static void	mask_net(struct pkt_addr *, int);

/* --if: the first interface that is no loopback and has an address is the host's;
 * the first loN but lo0 holds the jails, one per address. */
static void
from_ifs(struct probe_world *w, const struct probe_wopts *o)
{
	const struct pfm_if *ifp;
	struct pkt_addr a;
	int i, k, max;

	for (i = 0; i < o->ifs.niface; i++) {
		ifp = &o->ifs.iface[i];
		if (!is_lo(ifp->name) && ifp->naddr > 0 && w->ext_if[0] == '\0') {
			snprintf(w->ext_if, sizeof(w->ext_if), "%s", ifp->name);
			w->host_addr.af = ifp->addr[0].af;
			memcpy(w->host_addr.a, ifp->addr[0].addr, 16);
			w->host_plen = ifp->addr[0].plen;
			probe_world_say(w, 0, "host %s: from --if", ifp->name);
		} else if (!is_lo(ifp->name))
			probe_world_say(w, 0, "--if %s: a scenario (format v1) has one external interface: "
			    "rules on %s are outside this world", ifp->name, ifp->name);
		else if (strcmp(ifp->name, "lo0") != 0 && w->lo_if[0] == '\0' &&
		    ifp->naddr > 0) {
			snprintf(w->lo_if, sizeof(w->lo_if), "%s", ifp->name);
			w->lo_net.af = ifp->addr[0].af;
			memcpy(w->lo_net.a, ifp->addr[0].addr, 16);
			w->lo_plen = ifp->addr[0].plen;
			max = w->lo_net.af == AF_INET ? 32 : 128;
			if (w->lo_plen > max - 4)
				w->lo_plen = max - 4;	/* jails as /32s: their /28 */
			for (k = 0; k < ifp->naddr; k++) {
				a.af = ifp->addr[k].af;
				memcpy(a.a, ifp->addr[k].addr, 16);
				if (!in_net(&a, &w->lo_net, w->lo_plen))
					widen(&w->lo_net, &w->lo_plen, &a);
				(void)probe_world_add_jail(w, &a, "an address of --if");
			}
			mask_net(&w->lo_net, w->lo_plen);
			w->fixed = 1;
			probe_world_say(w, 0, "loopback %s and its jails: from --if", ifp->name);
		}
	}
}

static int
has_if(const struct pfm_host *h, const char *name)
{
	int i;

	for (i = 0; i < h->niface; i++)
		if (strcmp(h->iface[i].name, name) == 0)
			return (1);
	return (0);
}

/* The host the ruleset is parsed against before the world is known: the --if
 * interfaces, lo0, and interfaces guessed from the text's words when none is given. */
static void
guess_ifs(struct pfm_host *h, const char *const *texts, int n)
{
	static const char *const not_ifs[] = { "inet6", "icmp6", "ipv6", "ip6", "sha1",
	    "md5", "ipv6-icmp" };
	char word[PFM_IFNAMSIZ + 1], spec[64], err[128];
	const char *p, *e;
	size_t i, l;
	int t, nguess = 0;

	for (t = 0; t < n; t++)
		for (p = texts[t]; *p != '\0' && nguess < GUESS_IFS; p = e) {
			while (*p != '\0' && !isalpha((unsigned char)*p))
				p++;
			for (e = p; isalnum((unsigned char)*e) || *e == '_'; e++)
				;
			l = (size_t)(e - p);
			if (l < 3 || l >= sizeof(word) || !isdigit((unsigned char)e[-1]))
				continue;
			memcpy(word, p, l);
			word[l] = '\0';
			for (i = 0; i < sizeof(not_ifs) / sizeof(not_ifs[0]); i++)
				if (strcmp(word, not_ifs[i]) == 0)
					break;
			if (i < sizeof(not_ifs) / sizeof(not_ifs[0]) ||
			    strcmp(word, "lo0") == 0 || has_if(h, word))
				continue;
			/* a loopback holds jails; others get a network of their own */
			if (is_lo(word))
				snprintf(spec, sizeof(spec), "%s=10.99.0.1/28", word);
			else
				snprintf(spec, sizeof(spec), "%s=192.0.2.%d/28", word,
				    1 + 16 * nguess);
			nguess++;
			(void)pfm_host_add(h, spec, err, sizeof(err));
		}
}

/* Interface names the rules use, counted: `on IF`, (IF), IF:network. */
struct ifcount {
	char	name[PFM_IFNAMSIZ];
	int	n;
};

static void
count_if(struct ifcount *c, int *nc, const char *name)
{
	int i;

	if (name[0] == '\0' || strcmp(name, "self") == 0)
		return;
	for (i = 0; i < *nc; i++)
		if (strcmp(c[i].name, name) == 0) {
			c[i].n++;
			return;
		}
	if (*nc < 32) {
		snprintf(c[*nc].name, sizeof(c[*nc].name), "%s", name);
		c[(*nc)++].n = 1;
	}
}

/* Every rule of list l, the main ruleset's then each anchor's. */
struct rit {
	const struct pfm_ruleset *rs;
	int		l, state;	/* 0 not started, 1 main, 2 anchors */
	const struct pfm_anchor *a;
	const struct pfm_rule *r;
};

static const struct pfm_rule *
rit_next(struct rit *it)
{
	if (it->state == 0) {
		it->state = 1;
		it->r = pfm_anchor_list(it->rs, NULL, it->l);
	} else if (it->r != NULL)
		it->r = it->r->next;
	while (it->r == NULL) {
		if (it->state == 1) {
			it->state = 2;
			it->a = it->rs->anchors;
		} else if (it->a != NULL)
			it->a = it->a->next;
		if (it->a == NULL)
			return (NULL);
		it->r = pfm_anchor_list(it->rs, it->a, it->l);
	}
	return (it->r);
}

static void
rit_init(struct rit *it, const struct pfm_ruleset *rs, int l)
{
	memset(it, 0, sizeof(*it));
	it->rs = rs;
	it->l = l;
}

static void
count_ifs(const struct pfm_ruleset *rs, struct ifcount *c, int *nc)
{
	const struct pfm_rule *r;
	struct rit it;
	int l, i;

	for (l = 0; l < 4; l++)
		for (rit_init(&it, rs, l); (r = rit_next(&it)) != NULL; ) {
			count_if(c, nc, r->ifname);
			if (r->src.addr.type == PFM_ADDR_DYNIFTL)
				count_if(c, nc, r->src.addr.ifname);
			if (r->dst.addr.type == PFM_ADDR_DYNIFTL)
				count_if(c, nc, r->dst.addr.ifname);
			for (i = 0; i < r->rpool.naddr; i++)
				if (r->rpool.addr[i].type == PFM_ADDR_DYNIFTL)
					count_if(c, nc, r->rpool.addr[i].ifname);
		}
	for (i = 0; i < rs->nskip; i++)
		count_if(c, nc, rs->skip[i]);
}

static int
host_addr_of(const struct pfm_addr *a, struct pkt_addr *out)
{
	int i, n;

	if (a->type != PFM_ADDR_MASK || a->neg || (a->af != AF_INET && a->af != AF_INET6))
		return (0);
	n = a->af == AF_INET ? 4 : 16;
	for (i = 0; i < n; i++)
		if (a->mask[i] != 0xff)
			return (0);
	out->af = a->af;
	memcpy(out->a, a->addr, 16);
	return (1);
}

static const char *
where(const struct pfm_rule *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%d", r->file != NULL ? r->file : "", r->line);
	return (buf);
}

/* The public address: where nat translates to, else where rdr rules catch, else
 * a documentation address. */
static void
pick_host_addr(struct probe_world *w, struct pfm_ruleset **rs, int n)
{
	static const int lists[] = { 1, 3, 2 };
	const struct pfm_rule *r;
	char b[300], a[64];
	size_t i;
	int t;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		for (t = 0; t < n; t++)
			for (r = pfm_anchor_list(rs[t], NULL, lists[i]); r != NULL; r = r->next) {
				if (r->ifname[0] != '\0' && strcmp(r->ifname, w->ext_if) != 0)
					continue;
				if (lists[i] == 2 ? !host_addr_of(&r->dst.addr, &w->host_addr) :
				    (r->rpool.naddr == 0 ||
				    !host_addr_of(&r->rpool.addr[0], &w->host_addr)))
					continue;
				w->host_plen = w->host_addr.af == AF_INET ? 24 : 64;
				probe_world_say(w, 0, "host %s %s/%d: the address %s %s", w->ext_if,
				    pkt_addr_format(&w->host_addr, a, sizeof(a)), w->host_plen,
				    lists[i] == 2 ? "that the rdr rule catches at" :
				    "that translates to at", where(r, b, sizeof(b)));
				return;
			}
	(void)pkt_addr_parse("203.0.113.1", &w->host_addr);
	w->host_plen = 24;
	probe_world_say(w, 0, "host %s 203.0.113.1/24: no rule names the public address; a "
	    "documentation address", w->ext_if);
}

static int
in_net(const struct pkt_addr *a, const struct pkt_addr *net, int plen)
{
	int i;

	if (a->af != net->af)
		return (0);
	for (i = 0; i < plen; i++)
		if ((a->a[i / 8] ^ net->a[i / 8]) & (0x80 >> (i % 8)))
			return (0);
	return (1);
}

/* The common prefix of net/plen and a, as net/plen. */
static void
widen(struct pkt_addr *net, int *plen, const struct pkt_addr *a)
{
	int i;

	for (i = 0; i < *plen; i++)
		if ((a->a[i / 8] ^ net->a[i / 8]) & (0x80 >> (i % 8)))
			break;
	*plen = i;
	for (; i < 128; i++)
		net->a[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

/* 127/8 and ::1: lo0's (rdr to a service of the host itself), never a jail's. */
static int
loopback_addr(const struct pkt_addr *a)
{
	static const uint8_t one6[16] = { [15] = 1 };

	return (a->af == AF_INET ? a->a[0] == 127 : memcmp(a->a, one6, 16) == 0);
}

/* Where rdr and binat send packets (not to the host's lo0): the jails to be. */
struct target {
	struct pkt_addr	addr;
	const struct pfm_rule *r;
};

static int
targets(struct pfm_ruleset **rs, int n, int af, struct target *tg, int max)
{
	const struct pfm_rule *r;
	struct pkt_addr x;
	struct rit it;
	int t, k, nt = 0;

	for (t = 0; t < n; t++) {
		for (rit_init(&it, rs[t], 2); (r = rit_next(&it)) != NULL; )
			for (k = 0; k < r->rpool.naddr && nt < max; k++)
				if (r->action == PFM_R_RDR &&
				    host_addr_of(&r->rpool.addr[k], &x) && x.af == af &&
				    !loopback_addr(&x)) {
					tg[nt].addr = x;
					tg[nt++].r = r;
				}
		for (rit_init(&it, rs[t], 3); (r = rit_next(&it)) != NULL; )
			if (nt < max && r->action == PFM_R_BINAT &&
			    host_addr_of(&r->src.addr, &x) && x.af == af && !loopback_addr(&x)) {
				tg[nt].addr = x;
				tg[nt++].r = r;
			}
	}
	return (nt);
}

/* The ports the jail at an rdr rule's target listens on: the rule's target port, or
 * the port it catches when it keeps it. */
static void
target_listen(struct probe_jail *j, const struct pfm_rule *r)
{
	uint16_t port = 0;

	if (r->action != PFM_R_RDR)
		return;
	if (r->rpool.port_op != 0)
		port = r->rpool.proxy_port[0];
	else if (r->dst.port_op == PFM_OP_EQ || r->dst.port_op == PFM_OP_RRG)
		port = r->dst.port[0];
	if (port == 0)
		return;
	if (r->proto == 6 || r->proto == 0)
		(void)probe_listen_add(j->listen, &j->nlisten, 6, port);
	if (r->proto == 17 || r->proto == 0)
		(void)probe_listen_add(j->listen, &j->nlisten, 17, port);
}

static void
mask_net(struct pkt_addr *net, int plen)
{
	int i;

	for (i = plen; i < 128; i++)
		net->a[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

/* The address n after net's first (the first jail of a network). */
static struct pkt_addr
net_host(const struct pkt_addr *net, int n)
{
	struct pkt_addr a = *net;
	int i = a.af == AF_INET ? 3 : 15;

	a.a[i] = (uint8_t)(a.a[i] + n);
	return (a);
}

/* The jails' network: the network nat translates from, grown over the rdr targets
 * (down to a /16), else the targets', else a private one. */
static void
pick_lo_net(struct probe_world *w, struct pfm_ruleset **rs, int n,
    const struct target *tg, int nt)
{
	const struct pfm_rule *r, *from = NULL;
	struct pkt_addr x;
	char a[64], b[300];
	int t, i, plen, max = w->host_addr.af == AF_INET ? 32 : 128;

	w->lo_plen = -1;
	for (t = 0; t < n && from == NULL; t++)
		for (r = pfm_anchor_list(rs[t], NULL, 1); r != NULL; r = r->next) {
			if (r->action != PFM_R_NAT || r->src.addr.type != PFM_ADDR_MASK ||
			    r->src.addr.neg || r->src.addr.af != w->host_addr.af)
				continue;
			for (plen = 0; plen < max && (r->src.addr.mask[plen / 8] &
			    (0x80 >> (plen % 8))); plen++)
				;
			if (plen < max - 16 || plen > max - 2)
				continue;
			w->lo_net.af = r->src.addr.af;
			memcpy(w->lo_net.a, r->src.addr.addr, 16);
			w->lo_plen = plen;
			from = r;
			break;
		}
	for (i = 0; i < nt; i++) {
		if (w->lo_plen == -1) {
			w->lo_net = tg[i].addr;
			w->lo_plen = max - 4;
		} else if (!in_net(&tg[i].addr, &w->lo_net, w->lo_plen)) {
			x = w->lo_net;
			plen = w->lo_plen;
			widen(&x, &plen, &tg[i].addr);
			if (plen < max - 16)
				continue;
			w->lo_net = x;
			w->lo_plen = plen;
		}
	}
	if (w->lo_plen != -1)
		mask_net(&w->lo_net, w->lo_plen);
	if (w->lo_plen == -1 || in_net(&w->host_addr, &w->lo_net, w->lo_plen)) {
		(void)pkt_addr_parse(w->host_addr.af == AF_INET ? "10.99.0.0" :
		    "2001:db8:99::", &w->lo_net);
		w->lo_plen = w->host_addr.af == AF_INET ? 28 : 64;
		probe_world_say(w, 0, "loopback %s %s/%d: no rule names the jails' network; a private one",
		    w->lo_if, pkt_addr_format(&w->lo_net, a, sizeof(a)), w->lo_plen);
		return;
	}
	probe_world_say(w, 0, "loopback %s %s/%d: %s%s", w->lo_if, pkt_addr_format(&w->lo_net, a,
	    sizeof(a)), w->lo_plen, from != NULL ? "the network nat translates from at " :
	    "around the rdr targets", from != NULL ? where(from, b, sizeof(b)) : "");
}

/* Jails: one at each rdr and binat target in the jails' network, listening on the
 * redirected ports; one in each network nat translates from; at least one. */
static void
pick_jails(struct probe_world *w, struct pfm_ruleset **rs, int n, const struct target *tg,
    int nt)
{
	const struct pfm_rule *r;
	char a[64], b[300], why[400];
	int i, k, t, have;

	for (i = 0; i < nt; i++) {
		pkt_addr_format(&tg[i].addr, a, sizeof(a));
		if (!in_net(&tg[i].addr, &w->lo_net, w->lo_plen) ||
		    pkt_addr_eq(&tg[i].addr, &w->host_addr)) {
			probe_world_say(w, 0, "%s, the target of %s, is no jail of this world: its probes "
			    "go nowhere", a, where(tg[i].r, b, sizeof(b)));
			continue;
		}
		snprintf(why, sizeof(why), "the target of %s", where(tg[i].r, b, sizeof(b)));
		if ((k = probe_world_jail(w, &tg[i].addr)) == -1 && !w->fixed)
			k = probe_world_add_jail(w, &tg[i].addr, why);
		if (k != -1)
			target_listen(&w->jail[k], tg[i].r);
	}
	if (w->fixed)
		return;
	for (t = 0; t < n; t++)
		for (r = pfm_anchor_list(rs[t], NULL, 1); r != NULL; r = r->next) {
			struct pkt_addr net;
			int plen, max = w->host_addr.af == AF_INET ? 32 : 128;

			if (r->action != PFM_R_NAT || r->src.addr.type != PFM_ADDR_MASK ||
			    r->src.addr.neg || r->src.addr.af != w->host_addr.af)
				continue;
			net.af = r->src.addr.af;
			memcpy(net.a, r->src.addr.addr, 16);
			for (plen = 0; plen < max && (r->src.addr.mask[plen / 8] &
			    (0x80 >> (plen % 8))); plen++)
				;
			for (i = 0, have = 0; i < w->njail; i++)
				have |= in_net(&w->jail[i].addr, &net, plen);
			if (have)
				continue;
			net = net_host(&net, plen < max ? 1 : 0);
			if (!in_net(&net, &w->lo_net, w->lo_plen))
				continue;
			snprintf(why, sizeof(why), "a source nat translates at %s",
			    where(r, b, sizeof(b)));
			(void)probe_world_add_jail(w, &net, why);
		}
	if (w->njail == 0) {
		struct pkt_addr j1 = net_host(&w->lo_net, 1);

		(void)probe_world_add_jail(w, &j1, "the jails' network's first address");
	}
}

static void
parse_opts(struct pfm_load_opts *lo, const struct probe_wopts *o, const char *name)
{
	memset(lo, 0, sizeof(*lo));
	lo->file = name;
	lo->define = o->def;
	lo->ndefine = o->ndef;
	lo->services = o->services;
	lo->freebsd = o->freebsd;
}

/* Each ruleset parsed against the --if host (and lo0), or interfaces guessed from
 * the words of the texts when no --if was given and the first try fails. */
static int
parse_all(struct pfm_ruleset **rs, const struct probe_wopts *o, const char *const *texts,
    const char *const *names, int n, struct pfm_host *h, struct diag *d)
{
	struct pfm_load_opts lo;
	struct diag dd = { 0 };
	char err[128];
	int t, guessed = 0;

	*h = o->ifs;
	if (!has_if(h, "lo0"))
		(void)pfm_host_add(h, "lo0=127.0.0.1/8,::1/128", err, sizeof(err));
	for (t = 0; t < n; t++) {
		parse_opts(&lo, o, names[t]);
		while ((rs[t] = pfm_ruleset_parse(texts[t], &lo, h, &dd)) == NULL) {
			if (o->nif > 0 || guessed) {
				diag_raw(d, diag_text(&dd));
				diag_free(&dd);
				return (-1);
			}
			guess_ifs(h, texts, n);
			guessed = 1;
			diag_free(&dd);
		}
	}
	diag_free(&dd);
	return (0);
}

/* 1 when the interface address ia is inside net/mask. */
static int
ifaddr_in(const struct pfm_ifaddr *ia, const struct pkt_addr *net, const uint8_t *mask)
{
	int i;

	for (i = 0; i < 16; i++)
		if ((ia->addr[i] & mask[i]) != (net->a[i] & mask[i]))
			return (0);
	return (1);
}

/* No loopback named: an interface nat translates from (`from $int_if:network`) holds
 * the jails, so its hosts become addresses of the host's own (a scenario has no routed
 * network behind the host). */
static void
nat_from_if(struct probe_world *w, struct pfm_ruleset **rs, int n, const struct pfm_host *h)
{
	const struct pfm_rule *r;
	const struct pfm_if *ifp;
	struct pkt_addr a;
	const char *name;
	char b[300];
	int t, i, k;

	for (t = 0; t < n; t++)
		for (r = pfm_anchor_list(rs[t], NULL, 1); r != NULL; r = r->next) {
			if (r->action != PFM_R_NAT || r->src.addr.neg)
				continue;
			name = NULL;
			if (r->src.addr.type == PFM_ADDR_DYNIFTL)
				name = r->src.addr.ifname;
			else if (r->src.addr.type == PFM_ADDR_MASK) {
				/* `$int_if:network` is resolved when parsed: whose is it? */
				a.af = r->src.addr.af;
				memcpy(a.a, r->src.addr.addr, 16);
				for (i = 0; i < h->niface && name == NULL; i++)
					for (k = 0, ifp = &h->iface[i]; k < ifp->naddr; k++)
						if (ifp->addr[k].af == a.af &&
						    ifaddr_in(&ifp->addr[k], &a, r->src.addr.mask))
							name = ifp->name;
			}
			if (name == NULL || strcmp(name, w->ext_if) == 0 ||
			    strcmp(name, "self") == 0 || strcmp(name, "lo0") == 0 ||
			    is_lo(name) || !has_if(h, name))
				continue;
			snprintf(w->lo_if, sizeof(w->lo_if), "%s", name);
			probe_world_say(w, 0, "loopback %s: the interface nat translates from at %s holds "
			    "the jails (its network's hosts become the host's own addresses: a "
			    "scenario has no routed network)", w->lo_if, where(r, b, sizeof(b)));
			return;
		}
}

int
probe_world_make(struct probe_world *w, const struct probe_wopts *o,
    const char *const *texts, const char *const *names, int n, struct diag *d)
{
	struct pfm_ruleset *rs[4] = { NULL, NULL, NULL, NULL };
	struct target tg[PROBE_JAILS_MAX];
	struct pfm_host h;
	struct ifcount c[32];
	int i, nc = 0, best = -1, nt, rc = -1;

	memset(w, 0, sizeof(*w));
	w->services = o->services;
	for (i = 0; i < o->ndef; i++)
		if (asprintf(&w->define[w->ndefine], "%s=%s", o->def[i].name,
		    o->def[i].value) != -1)
			w->ndefine++;
	for (i = 0; i < o->nsysctl; i++)
		if ((w->sysctl[w->nsysctl] = strdup(o->sysctl[i])) != NULL)
			w->nsysctl++;
	w->freebsd = o->freebsd;
	if (o->world != NULL)
		return (probe_world_from_scn(w, o->world, d));
	if (n > 4)
		n = 4;
	from_ifs(w, o);
	if (parse_all(rs, o, texts, names, n, &h, d) == -1)
		goto out;
	for (i = 0; i < n; i++)
		count_ifs(rs[i], c, &nc);
	if (w->ext_if[0] == '\0') {
		for (i = 0; i < nc; i++)
			if (!is_lo(c[i].name) && isdigit((unsigned char)c[i].name[
			    strlen(c[i].name) - 1]) && (best == -1 || c[i].n > c[best].n))
				best = i;
		snprintf(w->ext_if, sizeof(w->ext_if), "%s", best != -1 ? c[best].name :
		    "em0");
		if (best != -1)
			probe_world_say(w, 0, "host %s: the interface the rules name most (%d times)",
			    w->ext_if, c[best].n);
		else
			probe_world_say(w, 0, "host em0: no rule names an interface");

	}
	if (w->host_addr.af == 0)
		pick_host_addr(w, rs, n);
	if (w->lo_if[0] == '\0') {
		for (i = 0; i < nc && w->lo_if[0] == '\0'; i++)
			if (is_lo(c[i].name) && strcmp(c[i].name, "lo0") != 0)
				memcpy(w->lo_if, c[i].name, sizeof(w->lo_if));
		if (w->lo_if[0] == '\0')
			nat_from_if(w, rs, n, &h);
		if (w->lo_if[0] == '\0')
			snprintf(w->lo_if, sizeof(w->lo_if), "lo1");
	}
	for (i = 0; i < nc; i++)
		if (strcmp(c[i].name, w->ext_if) != 0 && strcmp(c[i].name, w->lo_if) != 0 &&
		    !is_lo(c[i].name))
			probe_world_say(w, 0, "%s: this world has one external interface (%s) and the "
			    "jails' (%s); rules on %s are outside it", c[i].name, w->ext_if,
			    w->lo_if, c[i].name);
	nt = targets(rs, n, w->host_addr.af, tg, PROBE_JAILS_MAX);
	if (w->lo_plen == 0 && w->lo_net.af == 0)
		pick_lo_net(w, rs, n, tg, nt);
	pick_jails(w, rs, n, tg, nt);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		pfm_ruleset_free(rs[i]);
	return (rc);
}
