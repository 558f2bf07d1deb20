/* fuzz_pkt.c: the packet notation (harness/pkt): a line parsed as a packet and as an
 * expectation (the notation's words or tcpdump's), formatted, built into bytes (whole
 * and in fragments), decoded back and matched, its variables bound and filled; the
 * bytes of the input also decoded as a frame, an IP packet and an IP fragment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pkt/pkt.h"

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 1 }, mac_b[6] = { 2, 0, 0, 0, 0, 2 };

/* The notation round trip of one text. */
static void
notation(const char *text)
{
	static struct pkt_vars vars;
	struct pkt p, q;
	struct pkt_pat pat;
	uint8_t buf[PKT_FRAME_MAX];
	char out[2048], err[256];
	int n, i, nfrag;

	(void)pkt_tcpdump_wants_more(text);
	if (pkt_pat_parse(text, &pat, err, sizeof(err)) == 0)
		(void)pkt_pat_format(&pat, out, sizeof(out));
	if (pkt_parse(text, &p, err, sizeof(err)) == -1)
		return;
	/* the variables a send names: unbound, then bound to whatever */
	vars.n = 0;
	q = p;
	(void)pkt_vars_subst(&q, &vars, err, sizeof(err));
	for (i = 0; i < p.nvar && vars.n < PKT_VARS_MAX; i++) {
		snprintf(vars.v[vars.n].name, sizeof(vars.v[0].name), "%s", p.var[i].name);
		vars.v[vars.n].is_addr = pkt_field_is_addr(p.var[i].field);
		vars.v[vars.n].num = 0xfffffff0U + (uint32_t)i;
		vars.v[vars.n].addr = p.src;
		vars.n++;
	}
	if (pkt_vars_subst(&p, &vars, err, sizeof(err)) == -1)
		return;
	(void)pkt_format(&p, out, sizeof(out));
	if ((n = pkt_build_frame(&p, mac_a, mac_b, buf, sizeof(buf), err, sizeof(err))) > 0 &&
	    (pkt_decode_frame(buf, (size_t)n, &q) == 0 ||
	    pkt_decode_frag_frame(buf, (size_t)n, &q) == 0) &&
	    pkt_pat_parse(text, &pat, err, sizeof(err)) == 0) {
		(void)pkt_match(&pat, &q, out, sizeof(out));
		(void)pkt_vars_match(&pat, &q, &vars, 1, out, sizeof(out));
	}
	if ((n = pkt_build_l3(&p, buf, sizeof(buf), err, sizeof(err))) > 0)
		(void)pkt_decode_l3(buf, (size_t)n, &q);
	nfrag = pkt_build_nfrag(&p, err, sizeof(err));
	for (i = 0; i < nfrag && i < 64; i++)
		if ((n = pkt_build_frag_l3(&p, i, buf, sizeof(buf), err, sizeof(err))) > 0)
			(void)pkt_decode_l3(buf, (size_t)n, &q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt q;
	struct pkt_addr a, b;
	uint8_t mac[6];
	char *text;

	(void)pkt_decode_frame(data, size, &q);
	(void)pkt_decode_l3(data, size, &q);
	(void)pkt_decode_frag_frame(data, size, &q);
	(void)pkt_decode_frag_l3(data, size, &q);
	(void)pkt_decode_arp_request(data, size, &a, mac, &b);
	(void)pkt_decode_ns(data, size, &a, mac, &b);
	if (size > 4096 || (text = fuzz_text(data, size)) == NULL)
		return (0);
	notation(text);
	free(text);
	return (0);
}
