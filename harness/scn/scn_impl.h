/* scn_impl.h: what scn_text.c (lines), scn_parse.c (statements) and scn_step.c (probes,
 * checks) share. */
#ifndef SCN_IMPL_H
#define SCN_IMPL_H

#include "scn.h"

#define SCN_WORDS_MAX	64
#define SCN_FILE_MAX	(4 * 1024 * 1024)

/* A jail named by a step, resolved once every jail is known. */
struct scn_pending {
	int		 probe, step, line;
	char		 name[SCN_NAME_MAX];
};

/* An error, held until the end so that all come out in line order. */
struct scn_err {
	int		 line, seq;
	char		*msg;
};

struct parser {
	struct scn	*s;
	struct diag	*d;
	int		 errors;
	int		 line;
	int		 pf_seen;	/* a `pf` statement, good or bad */
	struct scn_probe *probe;	/* the open probe, or NULL */
	struct scn_pending *pend;
	int		 npend;
	struct scn_err	*err;
	int		 nerr;
	struct scn_admin *admin;	/* `world from`, `jails from` (scn_world_admin.c) */
};

struct words {
	char	*w[SCN_WORDS_MAX];
	int	 n;
	char	 buf[4096];
};

/* scn_text.c */
/* Count an error and hold `file:line: message` for scn_flush_errors, which adds the
 * held errors to the diagnostics in line order. */
void	scn_perr(struct parser *, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Grow arr (of *n elements of sz bytes) by one zeroed element, *n updated; NULL when out
 * of memory (arr is then unchanged). */
void	*scn_grow(void *arr, int *n, size_t sz);
void	scn_flush_errors(struct parser *);
/* Split a line into words; "quoted strings" are one word (quotes dropped, \" kept as ").
 * A `#` outside quotes ends the line. -1 on an unterminated quote or too many words. */
int	scn_split(const char *line, struct words *);
/* The line without its comment and surrounding blanks (quotes respected); malloc'd,
 * NULL when out of memory. */
char	*scn_strip(const char *line);
/* The rest of a statement after its first k words. */
const char *scn_after_words(const char *s, int k);
/* path as seen from the folder of the scenario at scn_path (absolute: as it is);
 * malloc'd, NULL when out of memory. */
char	*scn_relpath(const char *scn_path, const char *path);
/* A whole text file (a scenario, a pf file): at most SCN_FILE_MAX bytes, a regular
 * file, no NUL byte. The text (malloc'd), or NULL with why in err (without the path). */
char	*scn_slurp(const char *path, char *err, size_t errlen);
/* The lines after a `<<word` up to a line holding word alone (blanks around it
 * allowed), consumed from *next (p->line follows). The text (malloc'd, "" when empty,
 * NULL when out of memory); *closed says whether the closing line was found. */
char	*scn_heredoc(struct parser *, const char *word, const char **next, int *closed);
/* scn_addr.c */
/* 32 or 128. */
int	scn_plen_max(int af);
/* ADDR/LEN into address and prefix length; 0 or -1. */
int	scn_prefix_parse(const char *s, struct pkt_addr *, int *plen);
/* The subnet's last usable address (IPv4: before the broadcast); 0, or -1 if none. */
int	scn_last_usable(const struct pkt_addr *net, int plen, struct pkt_addr *out);
/* 1 when a is inside net/plen. */
int	scn_in_net(const struct pkt_addr *a, const struct pkt_addr *net, int plen);
/* ADDR:PORT or [ADDR]:PORT; with ranges, PORT may be `*` or LOW-HIGH. 0 or -1. */
int	scn_hostport_parse(const char *s, int ranges, struct pkt_addr *, struct pkt_range *);

/* scn_ctl.c: format v2's runtime steps and bookkeeping expectations. Each returns 0,
 * -1 after an error was said, or 1 when the words are not one of its forms. */
int	scn_ctl_step(struct parser *, struct words *, struct scn_step *, const char **next);
int	scn_ctl_expect(struct parser *, const char *st, struct words *, struct scn_step *,
	    const char **next);
void	scn_ctl_free(struct scn_step *);
/* N or LOW-HIGH into r; 0 or -1. */
int	scn_range_parse(const char *s, struct pkt_range *r);
/* [!]ADDR[/LEN] into x; 0 or -1. */
int	scn_prefix_word(const char *s, struct scn_prefix *x);

/* scn_parse.c: one top-level statement (the words of stripped; a heredoc's lines
 * consumed from *next). */
void	scn_statement(struct parser *, const char *stripped, struct words *,
	    const char **next);

/* scn_world_admin.c: `world from rc.conf ...`, `jails from ...` remembered; the world
 * of those files parsed as statements once the scenario is read (before the checks);
 * the remembered state freed. */
void	scn_admin_statement(struct parser *, struct words *);
void	scn_admin_finish(struct parser *);
void	scn_admin_free(struct parser *);

/* scn_step.c */
void	scn_probe(struct parser *, struct words *);
void	scn_step(struct parser *, const char *stripped, struct words *, const char **next);
/* A runtime step at the top level (pfctl, wait): a probe of its own, titled by it. */
void	scn_control(struct parser *, const char *stripped, struct words *, const char **next);
/* The checks that need the whole file (missing statements, names, addresses). */
void	scn_validate(struct parser *);

#endif
