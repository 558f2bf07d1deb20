/* scn_impl.h: what scn_text.c (lines), scn_parse.c (statements) and scn_step.c (probes,
 * checks) share. */
#ifndef SCN_IMPL_H
#define SCN_IMPL_H

#include "scn.h"

#define SCN_WORDS_MAX	64
#define SCN_IFNAME_LEN	15	/* IFNAMSIZ - 1 on Linux and FreeBSD */
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
	int		 world_only;	/* scn_parse_world: no ruleset or host address
					 * required */
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
/* ADDR:PORT or [ADDR]:PORT; with ranges, PORT may be `*` or LOW-HIGH. 0 or -1. */
int	scn_hostport_parse(const char *s, int ranges, struct pkt_addr *, struct pkt_range *);

/* scn_word.c: the forms the statements share. */
/* 1 when name can be an interface's (1-15 of [A-Za-z0-9_.-]); else 0 after an error. */
int	scn_ifname_ok(struct parser *, const char *name);
/* 1 when name can be a jail's or a group's; else 0 after an error naming `what`. */
int	scn_name_ok(struct parser *, const char *what, const char *name);
/* `PROTO/PORT,...` from word `from` on (possibly split over several words) appended to
 * lp (*n of SCN_LISTEN_MAX); 0, or -1 after an error. */
int	scn_listen_parse(struct parser *, struct words *, int from, struct scn_port *lp,
	    int *n);

/* scn_world.c: the world's statements (format v2 "The world": interfaces, aliases,
 * groups, the host's services, public and VNET jails, bridges, clients, routers,
 * routes). */
void	scn_st_host(struct parser *, struct words *);
void	scn_st_group(struct parser *, struct words *);
void	scn_st_bridge(struct parser *, struct words *);
void	scn_st_jail(struct parser *, struct words *);
void	scn_st_vnet(struct parser *, struct words *);
void	scn_st_client(struct parser *, struct words *);
void	scn_st_router(struct parser *, struct words *);
void	scn_st_route(struct parser *, struct words *);
/* Index of the bridge named `name` in s->bridge, or -1. */
int	scn_bridge_find(const struct scn *, const char *name);

/* scn_text.c: a packet's text (first: on the step's line) with the indented lines of a
 * `tcpdump -v` packet joined to it (p->line and *next move past them), malloc'd; and
 * the step's report text: its first k words, then the packet. */
char	*scn_packet_text(struct parser *, const char *first, const char **next);
void	 scn_step_text(struct scn_step *, const char *st, int k, const char *pkt);

/* scn_wcheck.c: the world's checks (names, addresses, where each client is); after
 * every statement was read, before the steps' checks. */
void	scn_world_validate(struct parser *);

/* scn_wstep.c: the world's steps: `send on IF`, `connect host|JAIL ... icmp`,
 * `expect wire on IF`, `expect delivered host:PORT | NAME icmp TYPE`, and their checks.
 * Each parser returns 0, -1 after an error, or 1 when the words are not its form;
 * scn_wstep_send returns how many words come before the packet (1 or 3), or -1. */
int	scn_wstep_send(struct parser *, struct words *, struct scn_step *);
int	scn_wstep_connect(struct parser *, struct words *, struct scn_step *, char *party);
int	scn_wstep_expect(struct parser *, const char *st, struct words *, struct scn_step *,
	    char *party, const char **next);
/* The party a step names (a jail's name or `host`) into t->jail; its checks. */
void	scn_wstep_party(struct parser *, struct scn_step *, const char *name, int line);
/* A send's wire and an `expect wire on IF`'s: from the names, once every interface is
 * known. */
void	scn_wstep_wires(struct parser *);

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

/* scn_world_admin.c: `world from rc.conf ...`, `jails from ...` remembered
 * (scn_admin_statement); once the scenario is read, the world of those files as
 * statements (scn_admin_world: malloc'd, NULL when there is none; the files' errors
 * said at the first such line, scn_admin_at), each of its lines as the parser takes it
 * (scn_admin_line: a jail's ` listen` put in; malloc'd), the messages of the
 * statements' checks alone (`SCN_ADMIN_PATH:N: text`) kept to tell them where they
 * come from (scn_admin_told, then scn_admin_relabel on the held errors after
 * scn_validate), the probes its pfctl steps made put first (scn_admin_steps_first:
 * those from index before on); the remembered state freed. */
#define SCN_ADMIN_PATH	"world"
void	scn_admin_statement(struct parser *, struct words *);
char	*scn_admin_world(struct parser *);
int	scn_admin_at(const struct parser *);
char	*scn_admin_line(const struct parser *, const char *line);
void	scn_admin_told(struct parser *, const char *text, const char *msgs);
void	scn_admin_steps_first(struct parser *, int before);
void	scn_admin_relabel(struct parser *);
void	scn_admin_free(struct parser *);

/* scn_step.c */
void	scn_probe(struct parser *, struct words *);
void	scn_step(struct parser *, const char *stripped, struct words *, const char **next);
/* A runtime step at the top level (pfctl, wait): a probe of its own, titled by it. */
void	scn_control(struct parser *, const char *stripped, struct words *, const char **next);
/* The checks that need the whole file (missing statements, names, addresses). */
void	scn_validate(struct parser *);

#endif
