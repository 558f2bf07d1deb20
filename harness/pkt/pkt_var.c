/* pkt_var.c: `$NAME` variables: an expectation binds what it sees, a later one must see
 * the same, a packet to send takes the value. */
/*
 * A variable stands where a field's value goes (an address, a port, seq, ack, win, len,
 * ttl, tos, id, off, iplen, urg, mss, wscale, the timestamps, a quote's addresses and
 * ports). The first expectation that meets it binds it to what the matching packet
 * holds; every later one (in the same probe or a later one of the scenario, on the same
 * target) must find that value. A `send` takes the value it holds, and fails when
 * nothing bound it yet. A variable holds an address or a number, never both. A number
 * may be written `$NAME+N` or `$NAME-N` (modulo 2^32, as sequence numbers count): the
 * field then holds the variable's value plus or minus N (and binds it to the field's
 * value minus or plus N).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "pkt.h"
#include "pkt_impl.h"

int
pkt_field_is_addr(enum pkt_field f)
{
	return (f == PKT_F_SRC || f == PKT_F_DST || f == PKT_F_QSRC || f == PKT_F_QDST);
}

const char *
pkt_field_name(enum pkt_field f, int proto)
{
	int tcp = proto == IPPROTO_TCP, udp = proto == IPPROTO_UDP;

	switch (f) {
	case PKT_F_SRC:
		return ("ip.src");
	case PKT_F_DST:
		return ("ip.dst");
	case PKT_F_SPORT:
		return (tcp ? "tcp.sport" : udp ? "udp.sport" : proto == IPPROTO_ICMP ?
		    "icmp.id" : "icmp6.id");
	case PKT_F_DPORT:
		return (tcp ? "tcp.dport" : "udp.dport");
	case PKT_F_SEQ:
		return (tcp ? "tcp.seq" : proto == IPPROTO_ICMP ? "icmp.seq" : "icmp6.seq");
	case PKT_F_ACK:
		return ("tcp.ack");
	case PKT_F_WIN:
		return ("tcp.win");
	case PKT_F_LEN:
		return ("len");
	case PKT_F_TTL:
		return ("ip.ttl");
	case PKT_F_TOS:
		return ("ip.tos");
	case PKT_F_ID:
		return ("ip.id");
	case PKT_F_OFF:
		return ("ip.off");
	case PKT_F_IPLEN:
		return ("ip.len");
	case PKT_F_URG:
		return ("tcp.urg");
	case PKT_F_MSS:
		return ("tcp.mss");
	case PKT_F_WSCALE:
		return ("tcp.wscale");
	case PKT_F_TSVAL:
		return ("tcp.tsval");
	case PKT_F_TSECR:
		return ("tcp.tsecr");
	case PKT_F_QSRC:
		return ("quote.ip.src");
	case PKT_F_QDST:
		return ("quote.ip.dst");
	case PKT_F_QSPORT:
		return ("quote.sport");
	case PKT_F_QDPORT:
		return ("quote.dport");
	}
	return ("?");
}

/* The value of field f in k: 2 an address (in a), 1 a number (in v), 0 none there. */
static int
field_get(const struct pkt *k, enum pkt_field f, uint32_t *v, struct pkt_addr *a)
{
	int tcp = k->proto == IPPROTO_TCP, ports = tcp || k->proto == IPPROTO_UDP;
	int echo = k->icmp == PKT_ICMP_ECHO_REQUEST || k->icmp == PKT_ICMP_ECHO_REPLY;
	int qports = k->has_quote && (k->quote.proto == IPPROTO_TCP ||
	    k->quote.proto == IPPROTO_UDP);
	int qecho = k->has_quote && (k->quote.proto == IPPROTO_ICMP ||
	    k->quote.proto == IPPROTO_ICMPV6);
	int l4 = !k->no_l4;
	struct pkt_tcpopts t;

	switch (f) {
	case PKT_F_SRC:
		*a = k->src;
		return (2);
	case PKT_F_DST:
		*a = k->dst;
		return (2);
	case PKT_F_QSRC:
		*a = k->quote.src;
		return (k->has_quote ? 2 : 0);
	case PKT_F_QDST:
		*a = k->quote.dst;
		return (k->has_quote ? 2 : 0);
	case PKT_F_SPORT:
		*v = k->sport;
		return (l4 && (ports || echo));
	case PKT_F_DPORT:
		*v = k->dport;
		return (l4 && ports);
	case PKT_F_SEQ:
		*v = tcp ? k->seq : k->icmp_seq;
		return (l4 && (tcp || echo));
	case PKT_F_ACK:
		*v = k->ack;
		return (l4 && tcp);
	case PKT_F_WIN:
		*v = k->win;
		return (l4 && tcp);
	case PKT_F_URG:
		*v = k->urg;
		return (l4 && tcp);
	case PKT_F_LEN:
		*v = (uint32_t)k->len;
		return (1);
	case PKT_F_TTL:
		*v = k->ttl;
		return (1);
	case PKT_F_TOS:
		*v = k->tos;
		return (1);
	case PKT_F_ID:
		*v = k->id;
		return (k->src.af == AF_INET || k->ipfrag);
	case PKT_F_OFF:
		*v = k->off;
		return (1);
	case PKT_F_IPLEN:
		*v = k->iplen;
		return (1);
	case PKT_F_QSPORT:
		*v = k->quote.sport;	/* a quoted echo's id too */
		return (qports || qecho);
	case PKT_F_QDPORT:
		*v = k->quote.dport;
		return (qports);
	case PKT_F_MSS:
	case PKT_F_WSCALE:
	case PKT_F_TSVAL:
	case PKT_F_TSECR:
		if (!tcp || !l4)
			return (0);
		(void)pkt_tcpopt_read(k->tcpopt, k->tcpopt_len, &t);
		if (f == PKT_F_MSS)
			*v = t.mss;
		else if (f == PKT_F_WSCALE)
			*v = t.wscale;
		else
			*v = f == PKT_F_TSVAL ? t.tsval : t.tsecr;
		return (f == PKT_F_MSS ? t.has_mss : f == PKT_F_WSCALE ? t.has_wscale :
		    t.has_ts);
	}
	return (0);
}

static struct pkt_var *
find(struct pkt_var *v, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return (&v[i]);
	return (NULL);
}

static void
value_str(const struct pkt_var *v, char *buf, size_t len)
{
	if (v->is_addr)
		pkt_addr_format(&v->addr, buf, len);
	else
		snprintf(buf, len, "%u", v->num);
}

/* `$NAME`, `$NAME+N` or `$NAME-N` as written. */
static void
ref_str(const struct pkt_varref *r, char *buf, size_t len)
{
	if (r->add == 0)
		snprintf(buf, len, "$%s", r->name);
	else if (r->add < 0x80000000U)
		snprintf(buf, len, "$%s+%u", r->name, r->add);
	else
		snprintf(buf, len, "$%s-%u", r->name, 0U - r->add);
}

int
pkt_vars_match(const struct pkt_pat *p, const struct pkt *k, struct pkt_vars *vars,
    int line, char *why, size_t wl)
{
	struct pkt_var nv[PKT_VARREF_MAX], seen, *b;
	char e[64], a[64], rs[64];
	const char *fn;
	int i, nn = 0, kind;

	if (!pkt_match_fields(p, k, why, wl))
		return (0);
	for (i = 0; i < p->nvar; i++) {
		memset(&seen, 0, sizeof(seen));
		fn = pkt_field_name(p->var[i].field, p->proto);
		ref_str(&p->var[i], rs, sizeof(rs));
		if ((kind = field_get(k, p->var[i].field, &seen.num, &seen.addr)) == 0) {
			diag_errf(why, wl, "field %s: expected %s vs actual none", fn, rs);
			return (0);
		}
		seen.is_addr = kind == 2;
		value_str(&seen, a, sizeof(a));
		seen.num -= p->var[i].add;	/* the variable's value, not the field's */
		if ((b = vars != NULL ? find(vars->v, vars->n, p->var[i].name) : NULL) ==
		    NULL)
			b = find(nv, nn, p->var[i].name);
		if (b == NULL) {
			snprintf(seen.name, sizeof(seen.name), "%s", p->var[i].name);
			seen.line = line;
			nv[nn++] = seen;
			continue;
		}
		if (b->is_addr != seen.is_addr) {
			value_str(b, e, sizeof(e));
			diag_errf(why, wl, "field %s: $%s holds %s %s (bound at line %d), not "
			    "%s", fn, b->name, b->is_addr ? "the address" : "the number", e,
			    b->line, seen.is_addr ? "an address" : "a number");
			return (0);
		}
		if (b->is_addr ? !pkt_addr_eq(&b->addr, &seen.addr) : b->num != seen.num) {
			if (b->is_addr)
				value_str(b, e, sizeof(e));
			else
				snprintf(e, sizeof(e), "%u", b->num + p->var[i].add);
			diag_errf(why, wl, "field %s: expected %s (%s, bound at line %d) vs "
			    "actual %s", fn, rs, e, b->line, a);
			return (0);
		}
	}
	if (vars == NULL)
		return (1);
	if (vars->n + nn > PKT_VARS_MAX) {
		diag_errf(why, wl, "more than %d variables", PKT_VARS_MAX);
		return (0);
	}
	memcpy(vars->v + vars->n, nv, (size_t)nn * sizeof(nv[0]));
	vars->n += nn;
	return (1);
}

int
pkt_match(const struct pkt_pat *p, const struct pkt *k, char *why, size_t wl)
{
	return (pkt_vars_match(p, k, NULL, 0, why, wl));
}

/* Write v into TCP option `kind` of k's options (at byte `at` of it, n bytes). */
static void
topt_patch(struct pkt *k, uint8_t kind, size_t at, size_t n, uint32_t v)
{
	size_t i = 0, ol;

	while (i < k->tcpopt_len) {
		if (k->tcpopt[i] == PKT_TCPOPT_EOL)
			return;
		if (k->tcpopt[i] == PKT_TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= k->tcpopt_len || (ol = k->tcpopt[i + 1]) < 2)
			return;
		if (k->tcpopt[i] == kind && at + n <= ol) {
			while (n-- > 0) {
				k->tcpopt[i + at + n] = (uint8_t)v;
				v >>= 8;
			}
			return;
		}
		i += ol;
	}
}

/* Set field f of k to the number v; -1 when it does not fit (the largest in *max). */
static int
field_set(struct pkt *k, enum pkt_field f, uint32_t v, uint32_t *max)
{
	*max = f == PKT_F_TTL || f == PKT_F_TOS || f == PKT_F_WSCALE ? 255 :
	    f == PKT_F_SEQ && k->proto != IPPROTO_TCP ? 65535 :
	    f == PKT_F_SEQ || f == PKT_F_ACK || f == PKT_F_TSVAL || f == PKT_F_TSECR ||
	    (f == PKT_F_ID && k->src.af == AF_INET6) ? 0xffffffffU :
	    f == PKT_F_LEN ? PKT_PAYLOAD_MAX : 65535;
	if (v > *max)
		return (-1);
	switch (f) {
	case PKT_F_SPORT: k->sport = (uint16_t)v; break;
	case PKT_F_DPORT: k->dport = (uint16_t)v; break;
	case PKT_F_SEQ:
		if (k->proto == IPPROTO_TCP)
			k->seq = v;
		else
			k->icmp_seq = (uint16_t)v;
		break;
	case PKT_F_ACK: k->ack = v; break;
	case PKT_F_WIN: k->win = (uint16_t)v; break;
	case PKT_F_LEN: k->len = v; break;
	case PKT_F_TTL: k->ttl = (uint8_t)v; k->ttl_set = 1; break;
	case PKT_F_TOS: k->tos = (uint8_t)v; break;
	case PKT_F_ID: k->id = v; k->id_set = 1; break;
	case PKT_F_OFF: k->off = (uint16_t)v; break;
	case PKT_F_IPLEN: k->iplen = (uint16_t)v; break;
	case PKT_F_URG: k->urg = (uint16_t)v; break;
	case PKT_F_MSS: topt_patch(k, PKT_TCPOPT_MSS, 2, 2, v); break;
	case PKT_F_WSCALE: topt_patch(k, PKT_TCPOPT_WSCALE, 2, 1, v); break;
	case PKT_F_TSVAL: topt_patch(k, PKT_TCPOPT_TS, 2, 4, v); break;
	case PKT_F_TSECR: topt_patch(k, PKT_TCPOPT_TS, 6, 4, v); break;
	case PKT_F_QSPORT: k->quote.sport = (uint16_t)v; break;
	case PKT_F_QDPORT: k->quote.dport = (uint16_t)v; break;
	case PKT_F_SRC:
	case PKT_F_DST:
	case PKT_F_QSRC:
	case PKT_F_QDST:
		break;
	}
	return (0);
}

int
pkt_vars_subst(struct pkt *k, const struct pkt_vars *vars, char *err, size_t errlen)
{
	const struct pkt_var *b;
	const char *fn;
	uint32_t max;
	int i;

	for (i = 0; i < k->nvar; i++) {
		enum pkt_field f = k->var[i].field;

		fn = pkt_field_name(f, k->proto);
		b = vars != NULL ? find((struct pkt_var *)(uintptr_t)vars->v, vars->n,
		    k->var[i].name) : NULL;
		if (b == NULL) {
			diag_errf(err, errlen, "$%s is not bound: no expectation before this "
			    "send saw it", k->var[i].name);
			return (-1);
		}
		if (b->is_addr != pkt_field_is_addr(f)) {
			diag_errf(err, errlen, "$%s holds %s (bound at line %d), %s needs %s",
			    b->name, b->is_addr ? "an address" : "a number", b->line, fn,
			    pkt_field_is_addr(f) ? "an address" : "a number");
			return (-1);
		}
		if (f == PKT_F_SRC)
			k->src = b->addr;
		else if (f == PKT_F_DST)
			k->dst = b->addr;
		else if (f == PKT_F_QSRC)
			k->quote.src = b->addr;
		else if (f == PKT_F_QDST)
			k->quote.dst = b->addr;
		else if (field_set(k, f, b->num + k->var[i].add, &max) == -1) {
			diag_errf(err, errlen, "$%s holds %u (bound at line %d): %u is more "
			    "than %s takes (%u)", b->name, b->num, b->line,
			    b->num + k->var[i].add, fn, max);
			return (-1);
		}
	}
	if (k->src.af != k->dst.af || (k->proto == IPPROTO_ICMP && k->src.af != AF_INET) ||
	    (k->proto == IPPROTO_ICMPV6 && k->src.af != AF_INET6)) {
		diag_errf(err, errlen, "address families do not match once the variables "
		    "are in");
		return (-1);
	}
	k->nvar = 0;		/* all in: the packet can be built */
	return (0);
}
