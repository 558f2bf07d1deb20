/* pfm_reply.c: the packets pf builds itself: TCP segments as pf_build_tcp (the block
 * return RST|ACK, built from the original packet with NAT undone, and synproxy's
 * handshakes), ICMP with the rule's type and code (by default port unreachable /
 * ICMPv6 no-port) as pf_send_icmp (icmp_error) would. */
#include <string.h>

#include "base/cksum.h"
#include "pfm_impl.h"

#define DEFTTL	64
#define V6_MINMTU 1280
#define IPTOS_LOWDELAY	0x10
#define TCPOPT_MAXSEG	2

/* An IP header from `src` to `dst` carrying plen bytes of proto; returns its length. */
static size_t
ip_header(uint8_t *out, int af, const uint8_t *src, const uint8_t *dst, uint8_t proto,
    size_t plen, int ttl, int df)
{
	if (af == 4) {
		memset(out, 0, 20);
		out[0] = 0x45;
		pfm_put16(out + 2, (uint16_t)(20 + plen));
		pfm_put16(out + 6, df ? 0x4000 : 0);
		out[8] = (uint8_t)ttl;
		out[9] = proto;
		memcpy(out + 12, src, 4);
		memcpy(out + 16, dst, 4);
		pfm_put16(out + 10, cksum_sum(out, 20, 0));
		return (20);
	}
	memset(out, 0, 40);
	out[0] = 0x60;
	pfm_put16(out + 4, (uint16_t)plen);
	out[6] = proto;
	out[7] = (uint8_t)ttl;
	memcpy(out + 8, src, 16);
	memcpy(out + 24, dst, 16);
	return (40);
}

size_t
pfm_tcp_build(uint8_t *out, size_t cap, int af, const uint8_t *src, const uint8_t *dst,
    uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
    uint16_t win, uint16_t mss, uint8_t ttl)
{
	size_t tlen = mss ? 24 : 20, hl;
	uint8_t *t;

	if ((af == 4 ? 20 : 40) + tlen > cap)
		return (0);
	/* pf_build_tcp: IPv4 gets the rule's TTL (or net.inet.ip.ttl), DF (path MTU
	 * discovery is on by default) and TOS low delay; IPv6 always the default hop
	 * limit. ip_output leaves the id of a DF packet 0 (RFC 6864). */
	hl = ip_header(out, af, src, dst, 6, tlen, af == 4 && ttl ? ttl : DEFTTL, 1);
	if (af == 4) {
		out[1] = IPTOS_LOWDELAY;
		pfm_put16(out + 10, 0);
		pfm_put16(out + 10, cksum_sum(out, 20, 0));
	}
	t = out + hl;
	memset(t, 0, tlen);
	memcpy(t, &sport, 2);
	memcpy(t + 2, &dport, 2);
	pfm_put32(t + 4, seq);
	pfm_put32(t + 8, ack);
	t[12] = (uint8_t)((tlen / 4) << 4);
	t[13] = flags;
	pfm_put16(t + 14, win);
	if (mss) {
		t[20] = TCPOPT_MAXSEG;
		t[21] = 4;
		pfm_put16(t + 22, mss);
	}
	pfm_put16(t + 16, cksum_sum(t, tlen, cksum_pseudo(src, dst, af == 4 ? 4 : 16, 6,
	    (uint32_t)tlen)));
	return (hl + tlen);
}

static size_t
build_rst(const uint8_t *orig, const struct pfm_pd *pd, const struct pfm_rule *r,
    uint8_t *out, size_t cap)
{
	const uint8_t *th = orig + pd->off;
	uint32_t ack = pd->seq + pd->p_len;
	uint16_t sport, dport;

	if (pd->tcp_flags & TH_SYN)
		ack++;
	if (pd->tcp_flags & TH_FIN)
		ack++;
	memcpy(&sport, th + 2, 2);	/* from the packet's destination port */
	memcpy(&dport, th, 2);
	return (pfm_tcp_build(out, cap, pd->af, orig + pd->dst_off, orig + pd->src_off,
	    sport, dport, pd->ack, ack, TH_RST | TH_ACK, 0, 0, r->return_ttl));
}

/* addr in the network of ia (its prefix length). */
int
pfm_ifaddr_holds(const struct pfm_ifaddr *ia, const uint8_t *addr)
{
	int i, bits = ia->plen;

	for (i = 0; bits > 0; i++, bits -= 8) {
		uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));

		if ((ia->addr[i] ^ addr[i]) & m)
			return (0);
	}
	return (1);
}

static int
linklocal6(const uint8_t *a)
{
	return (a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
}

/* The host's address of family af (4, 6) that icmp_reflect would pick for a reply to
 * `to` from interface `ifname`: a connected network holding `to` first (the route's
 * nh_ifa), else the interface's first address (IPv6: not link-local). NULL: none. */
static const uint8_t *
route_back(const struct pfm *pf, int af, const uint8_t *to, const char *ifname)
{
	const struct pfm_if *ifp;
	const struct pfm_ifaddr *ia;
	int i, j, pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < pf->host.niface; i++) {
			ifp = &pf->host.iface[i];
			if (pass == 1 && strcmp(ifp->name, ifname) != 0)
				continue;
			for (j = 0; j < ifp->naddr; j++) {
				ia = &ifp->addr[j];
				if (pfm_af46(ia->af) != af || (af == 6 && linklocal6(ia->addr)))
					continue;
				if (pass == 1 || pfm_ifaddr_holds(ia, to))
					return (ia->addr);
			}
		}
	return (NULL);
}

static int
host_owns(const struct pfm *pf, int af, const uint8_t *a)
{
	const struct pfm_ifaddr *ia;
	int i, j;

	for (i = 0; i < pf->host.niface; i++)
		for (j = 0; j < pf->host.iface[i].naddr; j++) {
			ia = &pf->host.iface[i].addr[j];
			if (pfm_af46(ia->af) == af && memcmp(ia->addr, a, af == 4 ? 4 : 16) == 0)
				return (1);
		}
	return (0);
}

/* FreeBSD 14 icmp_reflect (sys/netinet/ip_icmp.c) and icmp6_reflect
 * (sys/netinet6/icmp6.c): an error about a packet addressed to one of the host's
 * addresses comes from that address; otherwise from the host's address on the route
 * back to the packet's source (fib4_lookup's nh_ifa; in6_selectsrc_addr for IPv6):
 * a connected network's address holding it (the source itself when the host owns it:
 * the route to a local address is that address's own), else the address of the
 * interface pf saw the packet on (the model has no routing table: the route back is
 * taken to leave where the packet came in, or where it was going out). A host with
 * no such address leaves the original destination (the model sends nothing less). */
void
pfm_icmp_source(const struct pfm *pf, const struct pfm_pd *pd, const uint8_t *orig,
    uint8_t *src)
{
	const uint8_t *s = orig + pd->src_off, *d = orig + pd->dst_off, *a;
	int n = pd->af == 4 ? 4 : 16;

	if (host_owns(pf, pd->af, d))
		a = d;
	else if ((a = route_back(pf, pd->af, s, pf->ifn[pd->kif])) == NULL)
		a = d;
	memcpy(src, a, n);
}

/* `tc` is the rule's return_icmp (IPv4) or return_icmp6: type << 8 | code. */
static size_t
build_icmp(const uint8_t *orig, size_t olen, const struct pfm_pd *pd, uint16_t tc,
    const uint8_t *isrc, uint8_t *out, size_t cap)
{
	size_t hl, qlen, ihl = pd->off, plen;
	uint8_t *ic;

	if (pd->af == 4) {
		/* icmp_error: the IP header and 8 bytes, the whole TCP header for TCP */
		qlen = ihl + 8;
		if (pd->proto == 6 && !pd->frag)
			qlen = ihl + pd->thoff;
		if (qlen > pd->len)
			qlen = pd->len;
	} else
		qlen = pd->len > V6_MINMTU - 48 ? V6_MINMTU - 48 : pd->len;
	if (qlen > olen)
		qlen = olen;
	plen = 8 + qlen;
	if ((pd->af == 4 ? 20 : 40) + plen > cap)
		return (0);
	hl = ip_header(out, pd->af, isrc, orig + pd->src_off,
	    pd->af == 4 ? 1 : 58, plen, DEFTTL, 0);
	ic = out + hl;
	memset(ic, 0, 8);
	if (pd->af == 4) {
		ic[0] = tc >> 8;	/* return-icmp(CODE); default 3/3 port unreachable */
		ic[1] = tc & 0xff;
		memcpy(ic + 8, orig, qlen);
		pfm_put16(ic + 2, cksum_sum(ic, plen, 0));
	} else {
		ic[0] = tc >> 8;	/* default 1/4 destination unreachable, no port */
		ic[1] = tc & 0xff;
		memcpy(ic + 8, orig, qlen);
		pfm_put16(ic + 2, cksum_sum(ic, plen, cksum_pseudo(isrc,
		    orig + pd->src_off, 16, 58, (uint32_t)plen)));
	}
	return (hl + plen);
}

/* Whether the kernel sends the ICMP error pf_send_icmp queues: icmp_error drops it for
 * a packet to a multicast or broadcast address and icmp_reflect for one from a
 * multicast, 0/8 or 240/4 source; icmp6_error for a packet to a multicast address or
 * from the unspecified or a multicast address (RFC 4443 2.4 (e)). Directed broadcasts
 * (M_BCAST from the link layer) are not known here. */
static int
icmp_sent(const uint8_t *orig, const struct pfm_pd *pd)
{
	const uint8_t *s = orig + pd->src_off, *d = orig + pd->dst_off;
	static const uint8_t zero[16];

	if (pd->af == 4)
		return (!((d[0] & 0xf0) == 0xe0 || pfm_get32(d) == 0xffffffffu ||
		    (s[0] & 0xf0) == 0xe0 || (s[0] & 0xf0) == 0xf0 || s[0] == 0));
	return (!(d[0] == 0xff || s[0] == 0xff || memcmp(s, zero, 16) == 0));
}

size_t
pfm_reply_build(const uint8_t *orig, size_t len, const struct pfm_pd *pd,
    const struct pfm_rule *r, enum pfm_block how, const uint8_t *isrc, uint8_t *out,
    size_t cap)
{
	int ret_rst = how == PFM_BLOCK_RETURN || how == PFM_BLOCK_RETURN_RST;
	int ret_icmp = how == PFM_BLOCK_RETURN || how == PFM_BLOCK_RETURN_ICMP;
	uint16_t tc;

	if (pd->proto == 6 && !pd->frag && ret_rst && !(pd->tcp_flags & TH_RST) &&
	    (size_t)pd->off + 20 <= len)
		return (build_rst(orig, pd, r, out, cap));
	if (!ret_icmp || pd->icmp_err)
		return (0);
	if ((pd->af == 4 && pd->proto == 1) || (pd->af == 6 && pd->proto == 58))
		return (0);
	if (!icmp_sent(orig, pd))
		return (0);
	/* The rule's type and code (pfctl sets them for every return form that sends ICMP:
	 * `return-icmp(host-unr)` is 3/1, its ICMPv6 half then pfctl's IPv4 default 3/3);
	 * a rule built without them (not by the parser) gets the defaults. */
	tc = pd->af == 4 ? r->return_icmp : r->return_icmp6;
	if (tc == 0)
		tc = pd->af == 4 ? (3 << 8 | 3) : (1 << 8 | 4);
	return (build_icmp(orig, len, pd, tc, isrc != NULL ? isrc : orig + pd->dst_off,
	    out, cap));
}
