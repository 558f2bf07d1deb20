/* fuzz_text.c: the fuzz targets' input as text. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		return (NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	return (s);
}
