/* recv_match.c: the wire counters' frame test, shared by recv_linux.c (Linux, AF_PACKET ring)
 * and recv_freebsd.c (BPF), so that both count the same frames. */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include "recv.h"

#define RECV_ETHER_HDR	14

int
recv_wire_match(uint16_t port, const uint8_t *f, uint32_t len)
{
	size_t ihl;

	if (len < RECV_ETHER_HDR + 20 || f[12] != 0x08 || f[13] != 0x00 ||
	    f[RECV_ETHER_HDR + 9] != IPPROTO_UDP)
		return (0);
	ihl = (f[RECV_ETHER_HDR] & 0x0f) * 4;
	if (port == 0)
		return (1);
	if (len < RECV_ETHER_HDR + ihl + 8)
		return (0);
	return ((f[RECV_ETHER_HDR + ihl + 2] << 8 | f[RECV_ETHER_HDR + ihl + 3]) == port);
}
