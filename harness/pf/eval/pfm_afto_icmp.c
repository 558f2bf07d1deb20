/* pfm_afto_icmp.c: FreeBSD 15's ICMP errors through af-to states. An ICMP error
 * about a packet of an af-to state leaves in the state's other family: ICMPv4
 * becomes ICMPv6 and back, the type and code mapped, the quoted packet rebuilt in
 * that family with the addresses and ports the far side knows it by. Read in
 * FreeBSD's sys/netpfil/pf/pf.c (main, 2025): pf_test_state_icmp's af-to branches
 * (TCP, UDP, ICMP and ICMPv6 quotes), pf_translate_icmp_af, pf_change_icmp_af,
 * pf_change_ap's two-family checksum fixup and pf_translate_af.
 * Not modelled: a parameter problem's pointer is written as a 32-bit word (pf on a
 * little-endian host leaves a pointer of 0 or 1 as it compares it), and errors going
 * out (the model translates inbound packets only). */
#include <string.h>

#include "base/cksum.h"
#include "pfm_impl.h"

/* ICMPv6 type and code numbers (RFC 4443) and ICMPv4's (RFC 792, 1812) used here */
#define I6_UNREACH	1
#define I6_TOOBIG	2
#define I6_TIMEX	3
#define I6_PARAMPROB	4
#define I6_ECHO		128
#define I6_ECHOREPLY	129
#define I4_ECHOREPLY	0
#define I4_UNREACH	3
#define I4_ECHO		8
#define I4_TIMEX	11
#define I4_PARAMPROB	12

/* pf_translate_icmp_af, IPv6 to IPv4: *type, *code, *mtu (the word after the
 * checksum) and *ptr (-1: none) of the ICMP counterpart. 0, or -1: none. */
static int
to4(uint8_t *type, uint8_t *code, uint32_t *mtu, int32_t *ptr, uint32_t word)
{
	static const int8_t ptr6to4[40] = {
		0, 1, -1, -1, 2, 2, 9, 8,	/* vfc, tclass, flow, plen, nxt, hlim */
		12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
		16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16 };

	switch (*type) {
	case I6_ECHO:
		*type = I4_ECHO;
		return (0);
	case I6_ECHOREPLY:
		*type = I4_ECHOREPLY;
		return (0);
	case I6_UNREACH:
		*type = I4_UNREACH;
		if (*code == 0 || *code == 2 || *code == 3)
			*code = 1;	/* no route, beyond scope, address: host */
		else if (*code == 1)
			*code = 10;	/* admin: host prohibited */
		else if (*code == 4)
			*code = 3;	/* port */
		else
			return (-1);
		return (0);
	case I6_TOOBIG:
		*type = I4_UNREACH;
		*code = 4;		/* need fragmentation */
		*mtu -= 20;
		return (0);
	case I6_TIMEX:
		*type = I4_TIMEX;
		return (0);
	case I6_PARAMPROB:
		if (*code == 1) {	/* next header: protocol unreachable */
			*type = I4_UNREACH;
			*code = 2;
			return (0);
		}
		if (*code != 0 || word >= 40 || ptr6to4[word] < 0)
			return (-1);
		*type = I4_PARAMPROB;	/* header field: pointer, mapped */
		*ptr = ptr6to4[word];
		return (0);
	}
	return (-1);
}

/* pf_translate_icmp_af, IPv4 to IPv6, as to4. */
static int
to6(uint8_t *type, uint8_t *code, uint32_t *mtu, int32_t *ptr, uint8_t pptr)
{
	static const int8_t ptr4to6[20] = {
		0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1,	/* tos, len, ttl, p */
		8, 8, 8, 8, 24, 24, 24, 24 };

	switch (*type) {
	case I4_ECHO:
		*type = I6_ECHO;
		return (0);
	case I4_ECHOREPLY:
		*type = I6_ECHOREPLY;
		return (0);
	case I4_UNREACH:
		*type = I6_UNREACH;
		switch (*code) {
		case 0: case 1: case 6: case 7: case 8: case 11: case 12:
			*code = 0;	/* net, host, unknown, isolated, tos: no route */
			return (0);
		case 3:
			*code = 4;	/* port */
			return (0);
		case 9: case 10: case 13: case 15:
			*code = 1;	/* prohibited, filtered, precedence: admin */
			return (0);
		case 2:			/* protocol: parameter problem, next header */
			*type = I6_PARAMPROB;
			*code = 1;
			*ptr = 6;
			return (0);
		case 4:			/* need fragmentation: packet too big */
			*type = I6_TOOBIG;
			*code = 0;
			*mtu += 20;
			return (0);
		}
		return (-1);
	case I4_TIMEX:
		*type = I6_TIMEX;
		return (0);
	case I4_PARAMPROB:
		if ((*code != 0 && *code != 2) || pptr >= 20 || ptr4to6[pptr] < 0)
			return (-1);
		*type = I6_PARAMPROB;	/* at pointer, bad length: header */
		*code = 0;
		*ptr = ptr4to6[pptr];
		return (0);
	}
	return (-1);
}

/* pf_translate_icmp_af on the 8-byte ICMP header h into family naf: type, code,
 * MTU and pointer rewritten, the checksum fixed up as pf does for each word it
 * changes (the outer one is summed anew afterwards, a quoted one keeps this).
 * 0, or -1: the message has no counterpart (pf drops it). */
static int
icmp_af(uint8_t *h, int naf)
{
	uint8_t type = h[0], code = h[1];
	uint32_t word = pfm_get32(h + 4), mtu = naf == 4 ? word : pfm_get16(h + 6);
	int32_t ptr = -1;
	uint16_t sum = pfm_get16(h + 2);

	if ((naf == 4 ? to4(&type, &code, &mtu, &ptr, word) :
	    to6(&type, &code, &mtu, &ptr, h[4])) == -1)
		return (-1);
	/* pf fixes the checksum for the type and code bytes taken as 16-bit words */
	sum = cksum_fixup16(sum, h[0], type, 0);
	sum = cksum_fixup16(sum, h[1], code, 0);
	h[0] = type;
	h[1] = code;
	if (naf == 4 && word != mtu) {
		sum = cksum_fixup16(sum, (uint16_t)word, (uint16_t)mtu, 0);
		word = mtu;
	} else if (naf == 6 && pfm_get16(h + 6) != (uint16_t)mtu) {
		sum = cksum_fixup16(sum, pfm_get16(h + 6), (uint16_t)mtu, 0);
		word = (word & 0xffff0000u) | (uint16_t)mtu;
	}
	if (ptr >= 0 && word != (uint32_t)ptr) {
		sum = cksum_fixup16(sum, (uint16_t)(naf == 4 ? word : word >> 24),
		    (uint16_t)ptr, 0);
		/* ICMPv4's pointer is the word's first byte, ICMPv6's the word */
		word = naf == 4 ? (uint32_t)ptr << 24 : (uint32_t)ptr;
	}
	h[4] = (uint8_t)(word >> 24);
	h[5] = (uint8_t)(word >> 16);
	h[6] = (uint8_t)(word >> 8);
	h[7] = (uint8_t)word;
	pfm_put16(h + 2, sum);
	return (0);
}

/* pf_change_ap between families, on a quoted UDP checksum: the old address (af's)
 * out, the new one (naf's) in, the port old -> new; a zero checksum stays zero. */
static uint16_t
udp_fixup(uint16_t sum, const uint8_t *oa, int af, const uint8_t *na, int naf,
    uint16_t op, uint16_t np)
{
	int i, on = af == 4 ? 2 : 8, nn = naf == 4 ? 2 : 8;

	for (i = 0; i < 8; i++)
		sum = cksum_fixup16(sum, i < on ? pfm_get16(oa + 2 * i) : 0,
		    i < nn ? pfm_get16(na + 2 * i) : 0, 1);
	return (cksum_fixup16(sum, op, np, 1));
}

int
pfm_afto_icmp(struct pfm *pf, const struct pfm_pd *pd, const struct pfm_pd *pd2,
    const struct pfm_state *s, struct pfm_verdict *v)
{
	/* nk: the state's key of the other family (PF_REVERSED_KEY picks the wire
	 * key for an error of the stack key's family, else the stack key) */
	const struct pfm_skey *nk = s->wkey.af == pd->af ? &s->skey : &s->wkey;
	const uint8_t *p = pd->pkt;
	int naf = nk->af, p2s = pd->dir == PFM_IN ? 1 : 0, p2d = !p2s, sidx, didx;
	size_t ip2 = (size_t)pd->off + 8, hlen = naf == 4 ? 20 : 40, olen, rest, len;
	uint8_t *b, *in, *t, nsrc[16], o2src[16], o2dst[16], qtype;
	uint16_t tot2, sum;

	if (pd->dir != PFM_IN || pd2->off < ip2 || pd->len < (size_t)pd2->off + 8)
		return (-1);
	/* the quote's sides as the state's other key has them: an inbound state's
	 * keys are swapped between the families (sidx/didx of pf_test_state_icmp) */
	sidx = s->direction == PFM_IN ? p2d : p2s;
	didx = !sidx;
	olen = pd2->off - ip2;
	rest = pd->len - pd2->off;
	tot2 = pd2->af == 4 ? pfm_get16(p + ip2 + 2) :
	    (uint16_t)(pfm_get16(p + ip2 + 4) + 40);
	len = hlen + 8 + hlen + rest;
	if ((b = pfm_afto_buf(pf, len)) == NULL)
		return (-1);
	memcpy(b + hlen, p + pd->off, 8);
	if (icmp_af(b + hlen, naf) == -1)
		return (-1);
	memcpy(o2src, p + pd2->src_off, pd2->af == 4 ? 4 : 16);
	memcpy(o2dst, p + pd2->dst_off, pd2->af == 4 ? 4 : 16);
	/* pf_change_icmp_af: the quoted header replaced by one of naf, from and to the
	 * state's other-family addresses; its length from the quoted header's own
	 * (not the bytes quoted), no tos, and a TTL of pd2->ttl, which pf leaves 0
	 * (IPv6: the default hop limit, 64) */
	in = b + hlen + 8;
	pfm_afto_iphdr(pf, in, naf, NULL, pd2->proto == 1 ? 58 : pd2->proto == 58 ? 1 :
	    pd2->proto, nk->addr[sidx], nk->addr[didx], (uint16_t)(tot2 - olen));
	t = in + hlen;
	memcpy(t, p + pd2->off, rest);
	switch (pd2->proto) {
	case 6:
		/* pf_change_ap on a dummy checksum: the quoted TCP checksum stays */
		memcpy(t, &nk->port[sidx], 2);
		memcpy(t + 2, &nk->port[didx], 2);
		break;
	case 17:
		/* pf_change_ap with the quoted UDP checksum: pf passes the addresses
		 * nk->addr[pd2.sidx] and [pd2.didx] with the ports of sidx and didx */
		sum = pfm_get16(t + 6);
		sum = udp_fixup(sum, o2src, pd2->af, nk->addr[p2s], naf, pfm_get16(t),
		    pfm_get16((const uint8_t *)&nk->port[sidx]));
		sum = udp_fixup(sum, o2dst, pd2->af, nk->addr[p2d], naf, pfm_get16(t + 2),
		    pfm_get16((const uint8_t *)&nk->port[didx]));
		memcpy(t, &nk->port[sidx], 2);
		memcpy(t + 2, &nk->port[didx], 2);
		pfm_put16(t + 6, sum);
		break;
	case 1:
	case 58:
		/* the quoted ICMP header too, and an echo's id the state's (pf: its
		 * virtual type is the echo request's for both; the model's ICMP keys
		 * hold the id on both sides) */
		qtype = t[0];
		if (icmp_af(t, naf) == -1)
			return (-1);
		if (qtype == I4_ECHO || qtype == I4_ECHOREPLY || qtype == I6_ECHO ||
		    qtype == I6_ECHOREPLY)
			memcpy(t + 4, &nk->port[sidx], 2);
		break;
	default:
		return (-1);	/* af-to states are TCP, UDP and ICMP only */
	}
	/* pf_translate_af: the outer header; its source is the state's, except that
	 * an IPv4 error becoming IPv6 keeps its sender in the low 32 bits (pf: "to
	 * keep traceroute working") */
	memcpy(nsrc, nk->addr[p2s], 16);
	if (naf == 6)
		memcpy(nsrc + 12, p + pd->src_off, 4);
	pfm_afto_iphdr(pf, b, naf, pd, naf == 4 ? 1 : 58, nsrc, nk->addr[p2d],
	    len - hlen);
	/* the ICMP checksum summed anew (ICMPv6: with its pseudo header) */
	pfm_put16(b + hlen + 2, 0);
	pfm_put16(b + hlen + 2, cksum_sum(b + hlen, len - hlen, naf == 4 ? 0 :
	    cksum_pseudo(b + 8, b + 24, 16, 58, (uint32_t)(len - hlen))));
	v->afto = b;
	v->afto_len = len;
	v->afto_test = s->direction == PFM_OUT;	/* as pfm_afto_pass */
	v->rewritten = 1;
	return (0);
}
