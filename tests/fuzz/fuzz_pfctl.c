/* fuzz_pfctl.c: what pfctl -ss, -si, -sr -vv and vmstat -z print, through the freebsd
 * target's parsers (harness/pfctl). */
#include <stdlib.h>

#include "fuzz.h"
#include "pfctl/pfctl_out.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfctl_state *st = NULL;
	struct pfctl_rule_stat *rs = NULL;
	struct pfctl_info info;
	struct pfctl_zone z;
	char *text, err[256], buf[512];
	uint64_t v;
	int n = 0, i;

	if ((text = fuzz_text(data, size)) == NULL)
		return (0);
	if (pfctl_states_parse(text, &st, &n) == 0)
		for (i = 0; i < n; i++)
			(void)pfctl_state_format(&st[i], buf, sizeof(buf));
	free(st);
	if (pfctl_info_parse(text, &info, err, sizeof(err)) == 0)
		(void)pfctl_info_get(&info, NULL, "match", &v);
	n = 0;
	if (pfctl_rules_parse(text, &rs, &n, err, sizeof(err)) == 0)
		pfctl_rules_free(rs, n);
	(void)pfctl_zone_find(text, "pf states", &z);
	free(text);
	return (0);
}
