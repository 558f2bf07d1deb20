/* fuzz_pftest.c: raw packets through pf_test of the model (harness/pf/eval), in and
 * out, against a ruleset with scrub, nat, rdr, block return, synproxy and source
 * tracking, so that one input reaches every stage a packet can: the first byte picks
 * the direction and the interface, the rest is the IP packet; states made by one
 * packet are hit by the next packets of the same input (the input is cut into
 * packets at each 0xff 0x00 0xff 0x00 marker). One pf serves many inputs (a load per
 * input would cost more than the inputs): before each, its clock jumps eleven days and
 * everything expires; every 4096 inputs it is made anew (overload tables grow). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pf/pfm.h"

static const char ruleset[] =
    "set block-policy return\n"
    "set limit { states 1000, src-nodes 100, frags 100 }\n"
    "scrub in all fragment reassemble max-mss 1400\n"
    "scrub out all random-id\n"
    "nat on em0 from 10.99.0.0/28 to any -> (em0)\n"
    "rdr on em0 proto tcp to port 81 -> 10.99.0.3 port 80\n"
    "rdr on em0 proto udp to port 5353 -> 10.99.0.3 port 53\n"
    "rdr on em0 inet6 proto tcp to port 81 -> 2001:db8:99::3 port 80\n"
    "block return log all\n"
    "pass in on em0 proto tcp to port 80 synproxy state\n"
    "pass in on em0 proto tcp to port 22 keep state (max-src-conn 2, "
    "max-src-conn-rate 3/10, overload <bad> flush global, source-track rule)\n"
    "pass in on em0 proto { udp icmp ipv6-icmp } keep state\n"
    "pass in on em0 inet6 proto tcp modulate state\n"
    "pass out all keep state (sloppy)\n"
    "pass on lo1 no state\n"
    "block in quick from <bad>\n";

static struct pfm *
pf_make(void)
{
	struct pfm_load_opts lo = { 0 };
	struct diag d = { 0 };
	struct pfm_host h;
	struct pfm *pf;
	char err[256];

	pfm_host_default(&h);
	(void)pfm_host_add(&h, "em0=203.0.113.1/24,2001:db8::1/64", err, sizeof(err));
	(void)pfm_host_add(&h, "lo1=10.99.0.3/32,2001:db8:99::3/128", err, sizeof(err));
	lo.file = "fuzz";
	if ((pf = pfm_new(&h)) != NULL && pfm_load(pf, ruleset, &lo, &d) == -1) {
		pfm_free(pf);
		pf = NULL;
	}
	diag_free(&d);
	return (pf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t cut[4] = { 0xff, 0x00, 0xff, 0x00 };
	static const char *const ifs[] = { "em0", "lo1", "lo0", "em1" };
	static struct pfm *pf;
	static uint64_t clock_ms, inputs;
	struct pfm_verdict v;
	size_t i, start, n;
	uint8_t *p;

	if (pf != NULL && ++inputs % 4096 == 0) {
		pfm_free(pf);
		pf = NULL;
	}
	if (pf == NULL && (pf = pf_make()) == NULL)
		return (0);
	clock_ms += 1000000000ULL;
	pfm_expire(pf, clock_ms);
	for (start = 0; start < size; start = i + 4) {
		for (i = start; i + 4 <= size && memcmp(data + i, cut, 4) != 0; i++)
			;
		if (i + 4 > size)
			i = size;
		n = i - start;
		/* the packet is copied so that a read past its end is a read past a
		 * buffer of its exact size, which ASan sees */
		if (n >= 1 && n <= 65536 && (p = malloc(n > 1 ? n - 1 : 1)) != NULL) {
			memcpy(p, data + start + 1, n - 1);
			clock_ms += data[start] >> 3;
			(void)pfm_test(pf, data[start] & 1 ? PFM_OUT : PFM_IN,
			    ifs[(data[start] >> 1) & 3], p, n - 1, clock_ms, &v);
			free(p);
		}
		if (i >= size)
			break;
	}
	return (0);
}
