/* diag.h: accumulated diagnostics, `file:line: message`, one per line. */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>

struct diag {
	char	*buf;		/* NUL-terminated, one message per line */
	size_t	 len, cap;
	int	 count;		/* messages added */
};

/* Append "file:line: message\n" (file NULL: no prefix; line 0: "file: "). */
void	diag_add(struct diag *, const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
/* Append a raw line (a newline is added when missing). */
void	diag_raw(struct diag *, const char *text);
/* Format a message into a caller's error buffer (err NULL or errlen 0: nothing). */
void	diag_errf(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Release the buffer; the struct may be reused. diag_free(NULL) is a no-op. */
void	diag_free(struct diag *);
/* The text so far, never NULL. */
const char *diag_text(const struct diag *);

#endif
