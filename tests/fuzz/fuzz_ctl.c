/* fuzz_ctl.c: pfctl command lines on a running model (harness/pf/ctl): the input's
 * lines are pfctl runs, each its words (argv) and, after a line "--", the text `-f -`
 * reads, until a line "==". Between runs a few packets go through pf so that kills,
 * flushes, tables and views meet states, source nodes and counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pf/pfm.h"
#include "pkt/pkt.h"

#define CTL_ARGS	24

static const char base_conf[] =
    "table <bad> persist\n"
    "table <jails> { 10.99.0.1 10.99.0.2 }\n"
    "nat on em0 from <jails> to any -> (em0)\n"
    "rdr-anchor \"rdr/*\"\n"
    "rdr on em0 proto tcp to 203.0.113.1 port 80 -> 10.99.0.1\n"
    "block in quick from <bad>\n"
    "anchor \"a\" {\n  pass in proto udp label \"u\"\n}\n"
    "pass in proto tcp keep state (max-src-conn 2, overload <bad> flush, "
    "source-track rule)\n"
    "pass out\n";

static const char *const packets[] = {
	"tcp 198.51.100.7:40001 > 203.0.113.1:80 S",
	"udp 198.51.100.8:40001 > 203.0.113.1:53",
	"tcp 198.51.100.9:40001 > 10.99.0.1:22 S",
};

/* Send the packets in notation through pf (the fuzzer's subject is pfctl, not the
 * packet path: a notation that does not build is skipped). They are built once: a
 * parse per input cost a tenth of the run. */
static void
traffic(struct pfm *pf, uint64_t now)
{
	static uint8_t buf[sizeof(packets) / sizeof(packets[0])][256];
	static int len[sizeof(packets) / sizeof(packets[0])], built;
	uint8_t pk[256];
	struct pfm_verdict v;
	struct pkt p;
	char err[128];
	size_t i;

	for (i = 0; !built && i < sizeof(packets) / sizeof(packets[0]); i++)
		if (pkt_parse(packets[i], &p, err, sizeof(err)) == 0)
			len[i] = pkt_build_l3(&p, buf[i], sizeof(buf[i]), err, sizeof(err));
	built = 1;
	for (i = 0; i < sizeof(packets) / sizeof(packets[0]); i++)
		if (len[i] > 0) {
			/* pf rewrites the packet it translates: a copy each time */
			memcpy(pk, buf[i], (size_t)len[i]);
			(void)pfm_test(pf, PFM_IN, "em0", pk, (size_t)len[i], now, &v);
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfm_load_opts lo = { 0 };
	struct diag d = { 0 };
	struct pfm_host h;
	struct pfm *pf;
	char *text, *line, *next, *input, *argv[CTL_ARGS + 1], *w;
	char err[256];
	uint64_t now = 1000;
	FILE *null;
	int argc;

	if ((text = fuzz_text(data, size)) == NULL ||
	    (null = fopen("/dev/null", "w")) == NULL) {
		free(text);
		return (0);
	}
	pfm_host_default(&h);
	(void)pfm_host_add(&h, "em0=203.0.113.1/24,2001:db8::1/64", err, sizeof(err));
	(void)pfm_host_add(&h, "lo1=10.99.0.1/32,10.99.0.2/32", err, sizeof(err));
	lo.file = "fuzz.conf";
	if ((pf = pfm_new(&h)) == NULL || pfm_load(pf, base_conf, &lo, &d) == -1)
		goto out;
	for (line = text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		input = NULL;
		if (next != NULL && strncmp(next, "--\n", 3) == 0) {
			input = next + 3;
			if ((next = strstr(input, "\n==\n")) != NULL) {
				*next = '\0';
				next += 4;
			}
		}
		argv[0] = "pfctl";
		argc = 1;
		for (w = strtok(line, " \t"); w != NULL && argc < CTL_ARGS;
		    w = strtok(NULL, " \t"))
			argv[argc++] = w;
		argv[argc] = NULL;
		traffic(pf, now);
		(void)pfm_ctl(pf, argc, argv, input, &lo, now, null, null);
		now += 7000;
	}
out:
	pfm_free(pf);
	diag_free(&d);
	fclose(null);
	free(text);
	return (0);
}
