/* fuzz_pfconf.c: pf.conf text through the model's parser and printer (pfctl -nv, the
 * ruleset kept despite errors) or its load into a pf and the `pfctl -s` views
 * (harness/pf/conf, harness/pf/eval): one or the other by the input's length, so that
 * each input costs one parse; half the parses as FreeBSD 15's pfctl, half as 14's. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "pf/pfm.h"
#include "pf/pfm_rule.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfm_load_opts lo = { 0 };
	struct pfm_ruleset *rs;
	struct diag d = { 0 };
	struct pfm_host h;
	struct pfm *pf = NULL;
	char *text, err[256];
	FILE *null;
	int ok;

	if ((text = fuzz_text(data, size)) == NULL ||
	    (null = fopen("/dev/null", "w")) == NULL) {
		free(text);
		return (0);
	}
	pfm_host_default(&h);
	(void)pfm_host_add(&h, "em0=203.0.113.1/24,2001:db8::1/64", err, sizeof(err));
	(void)pfm_host_add(&h, "lo1=10.99.0.1/32,10.99.0.2/32", err, sizeof(err));
	lo.file = "fuzz.conf";
	lo.len = size;
	if (size % 2) {
		lo.freebsd = size % 4 == 3 ? PFM_FREEBSD_15 : PFM_FREEBSD_14;
		if ((rs = pfm_ruleset_parse_all(text, &lo, &h, &d, &ok)) != NULL) {
			pfm_ruleset_print(rs, null, 2, NULL);
			(void)pfm_ruleset_warn(rs, &d);
			pfm_ruleset_free(rs);
		}
	} else {
		if ((pf = pfm_new(&h)) != NULL && pfm_load(pf, text, &lo, &d) == 0) {
			pfm_show_rules(pf, null, 1);
			pfm_show_info_v(pf, null, 1);
		}
		pfm_free(pf);
	}
	diag_free(&d);
	fclose(null);
	free(text);
	return (0);
}
