/* fuzz_scn.c: scenario text through the scenario parser (harness/scn). */
#include <stdlib.h>

#include "fuzz.h"
#include "scn/scn.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = { 0 };
	char *text;

	if ((text = fuzz_text(data, size)) == NULL)
		return (0);
	scn_free(scn_parse_text("fuzz.scn", text, &d));
	diag_free(&d);
	free(text);
	return (0);
}
