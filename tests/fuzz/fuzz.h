/* fuzz.h: what every fuzz target of tests/fuzz/ shares: libFuzzer's entry point, run by
 * libFuzzer (make fuzz) or by driver.c over files (the regression inputs, make test). */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* One input: must not crash, leak, loop or trip a sanitizer, whatever the bytes. */
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (bytes after a NUL byte kept, for the callers
 * that take a length); malloc'd, NULL when out of memory. */
char	*fuzz_text(const uint8_t *data, size_t size);

#endif
