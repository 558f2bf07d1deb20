/* adm_jconf_impl.h: what jail.conf's lexer (adm_jlex.c) and grammar and resolution
 * (adm_jconf.c) share: strings with variables, tokens. */
#ifndef ADM_JCONF_IMPL_H
#define ADM_JCONF_IMPL_H

#include <stddef.h>

#include "adm_impl.h"

/* A string with the variables it names at their offsets (cfstring, cfvar). */
struct jvar {
	char	*name;
	size_t	 pos;
};

struct jstr {
	char		*s;
	size_t		 len;
	struct jvar	*var;
	int		 nvar;
};

enum tok { T_EOF, T_STR, T_PLEQ, T_CHAR };

struct jlex {
	struct adm_world *w;
	const char	*file;		/* interned */
	const char	*s, *end;
	int		 line;
	int		 errors;
	/* the token */
	enum tok	 t;
	char		 c;		/* T_CHAR */
	struct jstr	 str;		/* T_STR */
	int		 tline;
	int		 depth;		/* .include nesting */
	int		 peek;		/* looking ahead: no message */
};

/* Strings with variables (cfstring): free, append a character, a variable named by
 * name[0..n) at the current end, copy. 0 or -1 (out of memory). */
void	adm_jstr_free(struct jstr *);
int	adm_jstr_putc(struct jstr *, char c);
int	adm_jstr_var(struct jstr *, const char *name, size_t n);
int	adm_jstr_copy(struct jstr *d, const struct jstr *s);

/* The lexer (jaillex.l): a message at line (fmt has one %s, arg), counted as an error;
 * comments and blanks skipped (1 when something was); the next token into l. */
void	adm_jlex_err(struct jlex *, int line, const char *fmt, const char *arg);
int	adm_jlex_skip(struct jlex *);
void	adm_jlex_next(struct jlex *);

#endif
