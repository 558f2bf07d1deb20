/* fuzz_csv.c: a results CSV through the bench's reader (bench/csv.c). */
#include <stdio.h>
#include <stdlib.h>

#include "bench/csv.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bench_table t = { 0 };
	struct diag d = { 0 };
	char *text;

	if ((text = fuzz_text(data, size)) == NULL)
		return (0);
	(void)bench_csv_parse("fuzz.csv", text, size, &t, &d);
	bench_table_free(&t);
	diag_free(&d);
	free(text);
	return (0);
}
