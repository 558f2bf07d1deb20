/* pkt_field.c: the header-field words of the packet notation (ttl, tos, id, df, off,
 * ipopt, TCP options, urg, cksum, payload) and the values they take, `$NAME` included. */
/*
 * Every word below may follow a packet's addresses, in `send` and in expectations
 * (DESIGN.md, "Packets: every header field"); in an expectation a word written is a
 * field checked, a word left out is not.
 *   ttl N | hlim N          TTL (IPv4) or hop limit (IPv6): either word, either family
 *   tos N | tclass N        TOS (IPv4) or traffic class (IPv6), 0x hex allowed
 *   id N | ipid N           IPv4 id, IPv6 fragment id (an ICMP echo's `id` is the
 *                           echo's; `ipid` is always the IP header's)
 *   df | no-df              IPv4 don't fragment set / clear
 *   mf | no-mf, off N       a fragment's more-fragments flag and offset in bytes
 *                           (only with `PROTO frag`)
 *   iplen N                 the IP length (IPv4 total length; IPv6 40 + payload
 *                           length); a fragment to send: its own length
 *   ipopt ITEM...           IPv4 options, in order: ra, nop, eol, lsrr ADDR...,
 *                           ssrr ADDR...; `ipopt none`: no options
 *   mss N, wscale N, sackOK, ts VAL ECR, sack L-R..., nop, eol
 *                           TCP options, built in the order written
 *   urg N                   TCP urgent pointer
 *   cksum bad               the transport checksum is wrong (sent so, or seen so)
 *   cksum none              IPv4 UDP without a checksum (0), sent so or seen so
 *   payload HEX | payload "TEXT"   the data (as a bare "TEXT" does)
 * A value is N (decimal, or hex after 0x), and in expectations also `*`, LOW-HIGH, and
 * everywhere `$NAME` (pkt_var.c says what a variable does).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "pkt.h"
#include "pkt_impl.h"

int
pkt_num_parse(const char *s, uint32_t max, uint32_t *v)
{
	char *end;
	unsigned long long n;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!isxdigit((unsigned char)*s))
			return (-1);
	} else if (!isdigit((unsigned char)*s))
		return (-1);
	n = strtoull(s, &end, base);
	if (*end != '\0' || n > max)
		return (-1);
	*v = (uint32_t)n;
	return (0);
}

/* The length of the name of `$NAME[+N|-N]` at s ($ excluded), 0 when s is none;
 * *add gets N (or -N modulo 2^32, 0 when there is none). */
static size_t
var_name(const char *s, uint32_t *add)
{
	size_t i;
	uint32_t n;

	*add = 0;
	if (s[0] != '$' || !(isalpha((unsigned char)s[1]) || s[1] == '_'))
		return (0);
	for (i = 2; isalnum((unsigned char)s[i]) || s[i] == '_'; i++)
		;
	if (i - 1 >= PKT_VAR_NAME)
		return (0);
	if (s[i] == '\0')
		return (i - 1);
	if ((s[i] != '+' && s[i] != '-') || pkt_num_parse(s + i + 1, 0xffffffffU, &n) == -1)
		return (0);
	*add = s[i] == '+' ? n : 0U - n;
	return (i - 1);
}

int
pkt_is_var(const char *s)
{
	uint32_t add;

	return (var_name(s, &add) > 0);
}

int
pkt_var_ref(struct pkt_pat *p, enum pkt_field f, const char *s, char *err, size_t errlen)
{
	uint32_t add;
	size_t n;
	int i;

	if ((n = var_name(s, &add)) == 0) {
		diag_errf(err, errlen, "bad variable \"%s\" ($ then a letter or _, then "
		    "letters, digits or _, at most %d; +N or -N after it)", s,
		    PKT_VAR_NAME - 1);
		return (-1);
	}
	if (add != 0 && pkt_field_is_addr(f)) {
		diag_errf(err, errlen, "%s: an address takes no +N or -N", s);
		return (-1);
	}
	for (i = 0; i < p->nvar; i++)
		if (p->var[i].field == f) {
			diag_errf(err, errlen, "%s written twice", s);
			return (-1);
		}
	if (p->nvar == PKT_VARREF_MAX) {
		diag_errf(err, errlen, "more than %d variables in one packet",
		    PKT_VARREF_MAX);
		return (-1);
	}
	p->var[p->nvar].field = f;
	p->var[p->nvar].add = add;
	snprintf(p->var[p->nvar].name, sizeof(p->var[p->nvar].name), "%.*s", (int)n,
	    s + 1);
	p->nvar++;
	return (0);
}

/* N, `*` or LOW-HIGH. */
static int
range_parse(const char *s, uint32_t max, struct pkt_range *r)
{
	char lo[24];
	const char *dash;

	memset(r, 0, sizeof(*r));
	if (strcmp(s, "*") == 0)
		return (0);
	r->set = 1;
	if ((dash = strchr(s, '-')) != NULL) {
		if ((size_t)(dash - s) >= sizeof(lo))
			return (-1);
		memcpy(lo, s, dash - s);
		lo[dash - s] = '\0';
		if (pkt_num_parse(lo, max, &r->lo) == -1 ||
		    pkt_num_parse(dash + 1, max, &r->hi) == -1 || r->lo > r->hi)
			return (-1);
		return (0);
	}
	if (pkt_num_parse(s, max, &r->lo) == -1)
		return (-1);
	r->hi = r->lo;
	return (0);
}

int
pkt_value_parse(struct pkt_pat *p, enum pkt_field f, const char *what, const char *s,
    uint32_t max, struct pkt_range *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	if (s == NULL) {
		diag_errf(err, errlen, "bad value for %s: \"\"", what);
		return (-1);
	}
	if (s[0] == '$')
		return (pkt_var_ref(p, f, s, err, errlen));
	if (range_parse(s, max, r) == -1) {
		diag_errf(err, errlen, "bad value for %s: \"%s\"", what, s);
		return (-1);
	}
	return (0);
}

/* Append one TCP option kind to the written order; -1 when written twice. */
static int
topt_add(struct pkt_pat *p, uint8_t kind, const char *w, char *err, size_t errlen)
{
	int i;

	if (p->proto != IPPROTO_TCP) {
		diag_errf(err, errlen, "%s is a TCP option", w);
		return (-1);
	}
	if (kind != PKT_TCPOPT_NOP && kind != PKT_TCPOPT_EOL)
		for (i = 0; i < p->ntopt; i++)
			if (p->topt[i] == kind) {
				diag_errf(err, errlen, "%s written twice", w);
				return (-1);
			}
	if (p->ntopt == PKT_OPT_MAX) {
		diag_errf(err, errlen, "too many TCP options");
		return (-1);
	}
	p->topt[p->ntopt++] = kind;
	return (0);
}

/* `ipopt ITEM...` from w[*i] (the word after `ipopt`). */
static int
ipopt_parse(struct pkt_pat *p, char **w, int n, int *i, char *err, size_t errlen)
{
	uint8_t o[PKT_OPT_MAX + 64];
	size_t len = 0, start;
	struct pkt_addr a;
	int items = 0, pad;

	if (p->ipopt_set) {
		diag_errf(err, errlen, "ipopt written twice");
		return (-1);
	}
	p->ipopt_set = 1;
	if (*i < n && strcmp(w[*i], "none") == 0) {
		(*i)++;
		return (0);
	}
	while (*i < n && len < PKT_OPT_MAX) {
		const char *it = w[*i];

		if (strcmp(it, "ra") == 0) {
			o[len++] = PKT_IPOPT_RA;
			o[len++] = 4;
			o[len++] = 0;
			o[len++] = 0;
		} else if (strcmp(it, "nop") == 0)
			o[len++] = PKT_IPOPT_NOP;
		else if (strcmp(it, "eol") == 0)
			o[len++] = PKT_IPOPT_EOL;
		else if (strcmp(it, "lsrr") == 0 || strcmp(it, "ssrr") == 0) {
			start = len;
			o[len++] = it[0] == 'l' ? PKT_IPOPT_LSRR : PKT_IPOPT_SSRR;
			o[len++] = 3;
			o[len++] = 4;
			while (*i + 1 < n && pkt_addr_parse(w[*i + 1], &a) == 0 &&
			    a.af == AF_INET && len + 4 <= sizeof(o) && o[start + 1] < 250) {
				memcpy(o + len, a.a, 4);
				len += 4;
				o[start + 1] += 4;
				(*i)++;
			}
			if (o[start + 1] == 3) {
				diag_errf(err, errlen, "ipopt %s needs IPv4 addresses", it);
				return (-1);
			}
		} else
			break;
		items++;
		(*i)++;
	}
	if (items == 0) {
		diag_errf(err, errlen, "ipopt needs options (ra, nop, eol, lsrr ADDR..., "
		    "ssrr ADDR...) or none");
		return (-1);
	}
	if (len > PKT_OPT_MAX || (pad = pkt_opt_pad(o, len)) == -1) {
		diag_errf(err, errlen, "IP options longer than %d bytes", PKT_OPT_MAX);
		return (-1);
	}
	memcpy(p->ipopt, o, (size_t)pad);
	p->ipopt_len = (uint8_t)pad;
	return (0);
}

/* `sack L-R...`: at least one block. */
static int
sack_parse(struct pkt_pat *p, char **w, int n, int *i, char *err, size_t errlen)
{
	char l[24];
	const char *dash;

	while (*i < n && isdigit((unsigned char)w[*i][0]) &&
	    (dash = strchr(w[*i], '-')) != NULL) {
		if (p->nsack == PKT_SACK_MAX) {
			diag_errf(err, errlen, "more than %d sack blocks", PKT_SACK_MAX);
			return (-1);
		}
		snprintf(l, sizeof(l), "%.*s", (int)(dash - w[*i]), w[*i]);
		if (pkt_num_parse(l, 0xffffffffU, &p->sack[p->nsack][0]) == -1 ||
		    pkt_num_parse(dash + 1, 0xffffffffU, &p->sack[p->nsack][1]) == -1) {
			diag_errf(err, errlen, "bad value for sack: \"%s\"", w[*i]);
			return (-1);
		}
		p->nsack++;
		(*i)++;
	}
	if (p->nsack == 0) {
		diag_errf(err, errlen, "sack needs blocks LEFT-RIGHT");
		return (-1);
	}
	return (topt_add(p, PKT_TCPOPT_SACK, "sack", err, errlen));
}

/* `payload HEX` or `payload "TEXT"`. */
static int
payload_parse(struct pkt_pat *p, const char *v, char *err, size_t errlen)
{
	size_t k, n;
	char h[3] = { 0 };

	if (v == NULL)
		goto bad;
	if (v[0] == '"') {
		if (pkt_string_parse(v, p->payload, sizeof(p->payload),
		    &p->payload_len) == -1)
			goto bad;
	} else {
		if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
			v += 2;
		n = strlen(v);
		if (n == 0 || n % 2 != 0 || n / 2 > sizeof(p->payload))
			goto bad;
		for (k = 0; k < n; k += 2) {
			if (!isxdigit((unsigned char)v[k]) ||
			    !isxdigit((unsigned char)v[k + 1]))
				goto bad;
			h[0] = v[k];
			h[1] = v[k + 1];
			p->payload[k / 2] = (uint8_t)strtoul(h, NULL, 16);
		}
		p->payload_len = n / 2;
	}
	p->payload_set = 1;
	return (0);
bad:
	diag_errf(err, errlen, "bad value for payload: \"%s\" (hex digits, two a byte, or "
	    "\"TEXT\")", v != NULL ? v : "");
	return (-1);
}

/* A word that is a flag: set or clear (`no-` before it). */
static int
flag_word(const char *w, const char *name, uint8_t *f)
{
	if (strcmp(w, name) == 0)
		*f = PKT_YES;
	else if (strncmp(w, "no-", 3) == 0 && strcmp(w + 3, name) == 0)
		*f = PKT_NO;
	else
		return (0);
	return (1);
}

/* Value fields: word, field, range in the pattern, largest value. */
static int
value_word(struct pkt_pat *p, const char *w, const char *v, char *err, size_t errlen)
{
	static const struct {
		const char	*word;
		enum pkt_field	 f;
		size_t		 off;
		uint32_t	 max;
		uint8_t		 topt;		/* a TCP option, or 0 */
	} vals[] = {
		{ "ttl", PKT_F_TTL, offsetof(struct pkt_pat, ttl), 255, 0 },
		{ "hlim", PKT_F_TTL, offsetof(struct pkt_pat, ttl), 255, 0 },
		{ "tos", PKT_F_TOS, offsetof(struct pkt_pat, tos), 255, 0 },
		{ "tclass", PKT_F_TOS, offsetof(struct pkt_pat, tos), 255, 0 },
		{ "id", PKT_F_ID, offsetof(struct pkt_pat, id), 0xffffffffU, 0 },
		{ "ipid", PKT_F_ID, offsetof(struct pkt_pat, id), 0xffffffffU, 0 },
		{ "off", PKT_F_OFF, offsetof(struct pkt_pat, off), 65535, 0 },
		{ "iplen", PKT_F_IPLEN, offsetof(struct pkt_pat, iplen), 65535, 0 },
		{ "urg", PKT_F_URG, offsetof(struct pkt_pat, urg), 65535, 0 },
		{ "mss", PKT_F_MSS, offsetof(struct pkt_pat, mss), 65535, PKT_TCPOPT_MSS },
		{ "wscale", PKT_F_WSCALE, offsetof(struct pkt_pat, wscale), 255,
		    PKT_TCPOPT_WSCALE },
	};
	size_t k;

	for (k = 0; k < sizeof(vals) / sizeof(vals[0]); k++) {
		if (strcmp(w, vals[k].word) != 0)
			continue;
		if (vals[k].topt != 0 && topt_add(p, vals[k].topt, w, err, errlen) == -1)
			return (-1);
		if (vals[k].f == PKT_F_URG && p->proto != IPPROTO_TCP) {
			diag_errf(err, errlen, "urg is TCP's");
			return (-1);
		}
		if (pkt_value_parse(p, vals[k].f, w, v, vals[k].max,
		    (struct pkt_range *)(void *)((char *)p + vals[k].off), err,
		    errlen) == -1)
			return (-1);
		return (1);
	}
	return (0);
}

int
pkt_field_parse(struct pkt_pat *p, char **w, int n, int *i, char *err, size_t errlen)
{
	const char *k = w[*i], *v = *i + 1 < n ? w[*i + 1] : NULL;
	int rc;

	if ((rc = value_word(p, k, v, err, errlen)) != 0) {
		if (rc == 1)
			*i += 2;
		return (rc);
	}
	if (flag_word(k, "df", &p->df) || flag_word(k, "mf", &p->mf)) {
		(*i)++;
		return (1);
	}
	if (strcmp(k, "sackOK") == 0 || strcmp(k, "sackok") == 0) {
		p->sackok = PKT_YES;
		(*i)++;
		return (topt_add(p, PKT_TCPOPT_SACKOK, k, err, errlen) == 0 ? 1 : -1);
	}
	if (strcmp(k, "nop") == 0 || strcmp(k, "eol") == 0) {
		(*i)++;
		return (topt_add(p, k[0] == 'n' ? PKT_TCPOPT_NOP : PKT_TCPOPT_EOL, k, err,
		    errlen) == 0 ? 1 : -1);
	}
	if (strcmp(k, "ts") == 0) {
		if (topt_add(p, PKT_TCPOPT_TS, k, err, errlen) == -1 ||
		    pkt_value_parse(p, PKT_F_TSVAL, "ts", v, 0xffffffffU, &p->tsval, err,
		    errlen) == -1 ||
		    pkt_value_parse(p, PKT_F_TSECR, "ts", *i + 2 < n ? w[*i + 2] : NULL,
		    0xffffffffU, &p->tsecr, err, errlen) == -1)
			return (-1);
		*i += 3;
		return (1);
	}
	if (strcmp(k, "sack") == 0) {
		(*i)++;
		return (sack_parse(p, w, n, i, err, errlen) == 0 ? 1 : -1);
	}
	if (strcmp(k, "ipopt") == 0) {
		(*i)++;
		return (ipopt_parse(p, w, n, i, err, errlen) == 0 ? 1 : -1);
	}
	if (strcmp(k, "cksum") == 0) {
		if (v != NULL && strcmp(v, "none") == 0 && p->proto == IPPROTO_UDP) {
			p->cksum_none = 1;	/* RFC 768: IPv4 UDP may go without */
			*i += 2;
			return (1);
		}
		if (v == NULL || strcmp(v, "bad") != 0) {
			diag_errf(err, errlen, "cksum takes `bad` (UDP also `none`)");
			return (-1);
		}
		p->cksum_bad = 1;
		*i += 2;
		return (1);
	}
	if (strcmp(k, "payload") == 0) {
		if (p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6) {
			if (p->icmp != PKT_ICMP_ECHO_REQUEST && p->icmp != PKT_ICMP_ECHO_REPLY) {
				diag_errf(err, errlen, "an ICMP error's payload is its quote");
				return (-1);
			}
		}
		if (payload_parse(p, v, err, errlen) == -1)
			return (-1);
		*i += 2;
		return (1);
	}
	return (0);
}

/* The family the pattern's addresses say, 0 when they do not (`*`, variables). */
static int
family(const struct pkt_pat *p)
{
	if (p->src.af != 0)
		return (p->src.af);
	return (p->dst.af);
}

int
pkt_field_check(const struct pkt_pat *p, char *err, size_t errlen)
{
	int af = family(p);

	if (af == AF_INET6 && (p->df || p->ipopt_set)) {
		diag_errf(err, errlen, "%s is IPv4's (IPv6 has no %s)", p->df ? "df" : "ipopt",
		    p->df ? "DF flag" : "IP options");
		return (-1);
	}
	if (!p->ipfrag && (p->mf || p->off.set)) {
		diag_errf(err, errlen, "%s is a fragment's: write `%s frag ...`",
		    p->mf ? "mf" : "off", pkt_proto_name(p->proto));
		return (-1);
	}
	if (p->ipfrag && p->frag) {
		diag_errf(err, errlen, "a fragment (`frag` after the protocol) cannot be cut "
		    "into fragments again (`frag N`)");
		return (-1);
	}
	if (p->off.set && p->off.lo == p->off.hi && p->off.lo % 8 != 0) {
		diag_errf(err, errlen, "off %u is not a multiple of 8", p->off.lo);
		return (-1);
	}
	if (af == AF_INET && p->id.set && p->id.hi > 65535) {
		diag_errf(err, errlen, "bad value for id: %u (IPv4 ids are 16 bits)",
		    p->id.hi);
		return (-1);
	}
	if (af == AF_INET6 && !p->ipfrag && (p->id.set || p->nvar > 0)) {
		int k;

		for (k = 0; k < p->nvar && !p->id.set; k++)
			if (p->var[k].field == PKT_F_ID)
				break;
		if (p->id.set || k < p->nvar) {
			diag_errf(err, errlen, "an IPv6 packet has an id only in a fragment "
			    "header: write `%s frag ...`", pkt_proto_name(p->proto));
			return (-1);
		}
	}
	return (0);
}
