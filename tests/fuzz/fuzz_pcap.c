/* fuzz_pcap.c: capture files through the reader trace --pcap uses (harness/wire/
 * wire_read.c, libpcap underneath) and each record's IP packet through the decoder. */
#include "fuzz.h"
#include "pkt/pkt.h"
#include "wire/wire_read.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_rd *rd;
	struct wire_rec r;
	struct pkt p;
	char err[512];
	int n = 0;

	if ((rd = wire_rd_open_mem(data, size, err, sizeof(err))) == NULL)
		return (0);
	while (n++ < 1000 && wire_rd_next(rd, &r, err, sizeof(err)) == 1)
		if (r.l3 != NULL)
			(void)pkt_decode_l3(r.l3, r.len, &p);
	wire_rd_close(rd);
	return (0);
}
