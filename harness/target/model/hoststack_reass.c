/* hoststack_reass.c: the simulated host stack's own reassembly (FreeBSD's ip_reass,
 * frag6_input) of the fragments pf passed to a local address: a few queues keyed by
 * addresses, protocol and id, the datagram whole once every part is in. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "base/cksum.h"
#include "hoststack_impl.h"

/* The stack's own reassembly (ip_reass, frag6_input) of fragments pf passed: enough
 * for a probe's packets (a few queues, packets up to PKT_FRAME_MAX, later data wins
 * an overlap), not a model of FreeBSD's limits. */
#define HS_REASS_MAX	4
struct hs_reass {
	int		used;
	int		af;
	uint32_t	id;
	uint8_t		proto;
	uint8_t		src[16], dst[16];
	uint8_t		hdr[60];	/* the first fragment's IPv4 / fixed IPv6 header */
	size_t		hdrlen;
	size_t		total;		/* payload length, 0 until the last fragment */
	uint8_t		data[PKT_FRAME_MAX];
	uint8_t		have[PKT_FRAME_MAX / 8];	/* per 8-byte unit */
};

/* Where a fragment's payload lies: 0 and its parts, or -1 when buf is no fragment. */
static int
hs_frag_parse(const uint8_t *b, size_t len, struct hs_reass *k, size_t *hl, size_t *off,
    size_t *dlen, int *mf)
{
	size_t ipo;

	memset(k, 0, sizeof(*k));
	if (len >= 20 && (b[0] >> 4) == 4) {
		*hl = (size_t)(b[0] & 0x0f) * 4;
		ipo = (size_t)(b[6] << 8 | b[7]);
		if (!(ipo & 0x3fff) || *hl < 20 || (size_t)(b[2] << 8 | b[3]) > len ||
		    (size_t)(b[2] << 8 | b[3]) < *hl)
			return (-1);
		k->af = AF_INET;
		k->id = (uint32_t)(b[4] << 8 | b[5]);
		k->proto = b[9];
		memcpy(k->src, b + 12, 4);
		memcpy(k->dst, b + 16, 4);
		*off = (ipo & 0x1fff) * 8;
		*mf = (ipo & 0x2000) != 0;
		*dlen = (size_t)(b[2] << 8 | b[3]) - *hl;
		k->hdrlen = *hl;
		return (0);
	}
	/* IPv6: only a fragment header right after the fixed header (what the
	 * notation's `frag` sends) */
	if (len < 48 || (b[0] >> 4) != 6 || b[6] != 44 ||
	    40 + (size_t)(b[4] << 8 | b[5]) > len || (size_t)(b[4] << 8 | b[5]) < 8)
		return (-1);
	k->af = AF_INET6;
	k->id = (uint32_t)b[44] << 24 | (uint32_t)b[45] << 16 | (uint32_t)b[46] << 8 | b[47];
	k->proto = b[40];
	memcpy(k->src, b + 8, 16);
	memcpy(k->dst, b + 24, 16);
	*hl = 48;
	*off = (size_t)(b[42] << 8 | b[43]) & 0xfff8;
	*mf = b[43] & 1;
	*dlen = (size_t)(b[4] << 8 | b[5]) - 8;
	k->hdrlen = 40;
	return (0);
}

int
hoststack_reass(struct hoststack *h, const uint8_t *buf, size_t len, uint8_t *out,
    size_t cap)
{
	struct hs_reass k, *q = NULL;
	struct pkt_addr dst;
	size_t hl, off, dlen, i, alen;
	int mf, n;

	if (hs_frag_parse(buf, len, &k, &hl, &off, &dlen, &mf) == -1)
		return (-1);
	memset(&dst, 0, sizeof(dst));
	dst.af = k.af;
	alen = k.af == AF_INET ? 4 : 16;
	memcpy(dst.a, k.dst, alen);
	if (!hoststack_is_local(h, &dst) || off + dlen > sizeof(k.data) ||
	    (mf && (dlen & 7)))
		return (-1);
	if (h->reass == NULL &&
	    (h->reass = calloc(HS_REASS_MAX, sizeof(*h->reass))) == NULL)
		return (-1);
	for (n = 0; n < HS_REASS_MAX && q == NULL; n++)
		if (h->reass[n].used && h->reass[n].af == k.af && h->reass[n].id == k.id &&
		    h->reass[n].proto == k.proto &&
		    memcmp(h->reass[n].src, k.src, alen) == 0 &&
		    memcmp(h->reass[n].dst, k.dst, alen) == 0)
			q = &h->reass[n];
	if (q == NULL) {
		q = &h->reass[h->reass_next];
		h->reass_next = (h->reass_next + 1) % HS_REASS_MAX;
		*q = k;
		q->used = 1;
	}
	if (off == 0)
		memcpy(q->hdr, buf, q->hdrlen);
	memcpy(q->data + off, buf + hl, dlen);
	for (i = off / 8; i < (off + dlen + 7) / 8; i++)
		q->have[i] = 1;
	if (!mf)
		q->total = off + dlen;
	if (q->total == 0)
		return (0);
	for (i = 0; i < (q->total + 7) / 8; i++)
		if (!q->have[i])
			return (0);
	if (q->hdrlen + q->total > cap) {
		q->used = 0;
		return (-1);
	}
	memcpy(out, q->hdr, q->hdrlen);
	memcpy(out + q->hdrlen, q->data, q->total);
	if (q->af == AF_INET) {
		uint16_t sum;

		out[2] = (uint8_t)((q->hdrlen + q->total) >> 8);
		out[3] = (uint8_t)(q->hdrlen + q->total);
		out[6] &= 0x40;		/* DF stays, offset and MF go */
		out[7] = 0;
		out[10] = out[11] = 0;
		sum = cksum_sum(out, q->hdrlen, 0);
		out[10] = (uint8_t)(sum >> 8);
		out[11] = (uint8_t)sum;
	} else {
		out[4] = (uint8_t)(q->total >> 8);
		out[5] = (uint8_t)q->total;
		out[6] = q->proto;
	}
	n = (int)(q->hdrlen + q->total);
	q->used = 0;
	memset(q->have, 0, sizeof(q->have));
	return (n);
}
