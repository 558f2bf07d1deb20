/* pfm_reply.c: what `block return` sends back, built from the original packet (NAT
 * undone): TCP RST|ACK as pf_send_tcp, ICMP with the rule's type and code (by default
 * port unreachable / ICMPv6 no-port) as pf_send_icmp (icmp_error) would. */
#include <string.h>

#include "pfm_impl.h"

#define TH_SYN	0x02
#define TH_FIN	0x01
#define TH_RST	0x04
#define TH_ACK	0x10
#define DEFTTL	64
#define V6_MINMTU 1280

/* The pseudo-header sum of src/dst, proto and length. */
static uint32_t
pseudo(const uint8_t *src, const uint8_t *dst, int af, uint8_t proto, uint32_t len)
{
	uint32_t s = 0;
	int i, n = af == 4 ? 4 : 16;

	for (i = 0; i < n; i += 2)
		s += pfm_get16(src + i) + pfm_get16(dst + i);
	return (s + proto + (len >> 16) + (len & 0xffff));
}

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
		pfm_put16(out + 10, pfm_cksum(out, 20, 0));
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

static size_t
build_rst(const uint8_t *orig, const struct pfm_pd *pd, const struct pfm_rule *r,
    uint8_t *out, size_t cap)
{
	const uint8_t *th = orig + pd->off;
	uint32_t ack = pd->seq + pd->p_len;
	size_t hl;
	uint8_t *t;
	int alen = pd->af == 4 ? 4 : 16;

	if (cap < 60)
		return (0);
	if (pd->tcp_flags & TH_SYN)
		ack++;
	if (pd->tcp_flags & TH_FIN)
		ack++;
	hl = ip_header(out, pd->af, orig + pd->dst_off, orig + pd->src_off, 6, 20,
	    r->return_ttl ? r->return_ttl : DEFTTL, 1);
	t = out + hl;
	memset(t, 0, 20);
	memcpy(t, th + 2, 2);		/* sport = the packet's dport */
	memcpy(t + 2, th, 2);
	pfm_put32(t + 4, pd->ack);
	pfm_put32(t + 8, ack);
	t[12] = 5 << 4;
	t[13] = TH_RST | TH_ACK;
	pfm_put16(t + 16, pfm_cksum(t, 20, pseudo(orig + pd->dst_off, orig + pd->src_off,
	    pd->af, 6, 20)));
	(void)alen;
	return (hl + 20);
}

/* `tc` is the rule's return_icmp (IPv4) or return_icmp6: type << 8 | code. */
static size_t
build_icmp(const uint8_t *orig, size_t olen, const struct pfm_pd *pd, uint16_t tc,
    uint8_t *out, size_t cap)
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
	hl = ip_header(out, pd->af, orig + pd->dst_off, orig + pd->src_off,
	    pd->af == 4 ? 1 : 58, plen, DEFTTL, 0);
	ic = out + hl;
	memset(ic, 0, 8);
	if (pd->af == 4) {
		ic[0] = tc >> 8;	/* return-icmp(CODE); default 3/3 port unreachable */
		ic[1] = tc & 0xff;
		memcpy(ic + 8, orig, qlen);
		pfm_put16(ic + 2, pfm_cksum(ic, plen, 0));
	} else {
		ic[0] = tc >> 8;	/* default 1/4 destination unreachable, no port */
		ic[1] = tc & 0xff;
		memcpy(ic + 8, orig, qlen);
		pfm_put16(ic + 2, pfm_cksum(ic, plen, pseudo(orig + pd->dst_off,
		    orig + pd->src_off, 6, 58, (uint32_t)plen)));
	}
	return (hl + plen);
}

size_t
pfm_reply_build(const uint8_t *orig, size_t len, const struct pfm_pd *pd,
    const struct pfm_rule *r, enum pfm_block how, uint8_t *out, size_t cap)
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
	/* The rule's type and code (pfctl sets them for every return form that sends ICMP:
	 * `return-icmp(host-unr)` is 3/1, its ICMPv6 half then pfctl's IPv4 default 3/3);
	 * a rule built without them (not by the parser) gets the defaults. */
	tc = pd->af == 4 ? r->return_icmp : r->return_icmp6;
	if (tc == 0)
		tc = pd->af == 4 ? (3 << 8 | 3) : (1 << 8 | 4);
	return (build_icmp(orig, len, pd, tc, out, cap));
}
