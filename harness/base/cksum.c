/* cksum.c: the Internet checksum (RFC 1071); its incremental update is in cksum.h. */
#include "cksum.h"

/* End-around carry until 16 bits are left: the same one's complement value. */
static uint32_t
fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum >> 16) + (sum & 0xffff);
	return ((uint32_t)sum);
}

uint32_t
cksum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t s = sum;
	size_t i;

	/* Bytes, not 16-bit loads: packets start at any offset, in network order. */
	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return (fold(s));
}

uint32_t
cksum_pseudo(const void *src, const void *dst, size_t alen, uint8_t proto, uint32_t len)
{
	uint64_t s;

	s = cksum_add(cksum_add(0, src, alen), dst, alen);
	/* IPv6's is a 32-bit length (RFC 8200 8.1); IPv4's 16 bits give the same sum. */
	return (fold(s + proto + (len >> 16) + (len & 0xffff)));
}

uint16_t
cksum_sum(const void *buf, size_t len, uint32_t init)
{
	return ((uint16_t)~cksum_add(init, buf, len));
}
