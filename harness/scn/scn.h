/* scn.h: a scenario (DESIGN.md, formats v1 and v2): the world, the ruleset, the probes
 * and the runtime steps between them. */
#ifndef SCN_H
#define SCN_H

#include "base/diag.h"
#include "pkt/pkt.h"

#define SCN_NAME_MAX	32
#define SCN_ADDRS_MAX	8
#define SCN_LISTEN_MAX	32

struct scn_port {
	int		proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t	port;
};

struct scn_jail {
	char		name[SCN_NAME_MAX];
	struct pkt_addr	addr[SCN_ADDRS_MAX];
	int		naddr;
	struct scn_port	listen[SCN_LISTEN_MAX];
	int		nlisten;
	int		line;
};

struct scn_client {
	struct pkt_addr	addr;
	struct scn_port	listen[SCN_LISTEN_MAX];
	int		nlisten;
	int		line;
};

struct scn_kv {
	char		*name, *value;
	int		line;
};

enum scn_step_kind {
	SCN_SEND,
	SCN_CONNECT,
	SCN_PFCTL,		/* runtime control: `pfctl ARGS [<<EOF ... EOF]` */
	SCN_SYSCTL,		/* `sysctl NAME=VALUE` inside a probe */
	SCN_WAIT,		/* `wait N s`: pf's clock moves on */
	SCN_EXPECT_REPLY,
	SCN_EXPECT_NO_REPLY,
	SCN_EXPECT_WIRE,
	SCN_EXPECT_NO_WIRE,
	SCN_EXPECT_DELIVERED,
	SCN_EXPECT_NOT_DELIVERED,
	SCN_EXPECT_CONNECT,
	SCN_EXPECT_STATE,
	SCN_EXPECT_NO_STATE,
	SCN_EXPECT_TABLE,	/* `expect table T contains|lacks ADDR... | count N` */
	SCN_EXPECT_COUNTER,	/* `expect counter NAME N`: a line of pfctl -si */
	SCN_EXPECT_RULE,	/* `expect rule "LABEL"|@N FIELD N`: pfctl -sr -vv */
	SCN_EXPECT_SRCNODE,	/* `expect src-node ADDR states N`: pfctl -sS */
	SCN_EXPECT_VIEW,	/* `expect pfctl -sX <<EOF ... EOF`: a view's text */
	SCN_EXPECT_LOAD_ERROR	/* the probe's last pfctl step failed with TEXT */
};

enum scn_outcome {
	SCN_CONN_OK,
	SCN_CONN_REFUSED,
	SCN_CONN_TIMEOUT,
	SCN_CONN_FAILED		/* expect: anything but ok; observed: a local error */
};

/* Where a `$NAME` stands in a state: an address or a port of A, B, C. */
enum scn_state_field {
	SCN_ST_A, SCN_ST_AP, SCN_ST_B, SCN_ST_BP, SCN_ST_C, SCN_ST_CP
};

/* `expect state PROTO A:P (B:Q) <- C:R [SRC:DST]`, as pfctl -ss writes it; `(B:Q)`
 * optional, arrow `<-` or `->`; ports may be `*` or LOW-HIGH, or absent for protocols
 * without ports; PROTO any protocol as pfctl names it; the peers' states optional.
 * An address or port may be `$NAME` (a variable, as in packets). */
struct scn_state_pat {
	int		proto;
	int		dir_out;	/* 1: `->` */
	struct pkt_addr	a, b, c;
	int		has_b;
	struct pkt_range ap, bp, cp;
	char		sstate[24], dstate[24];	/* "" when not written */
	struct {
		enum scn_state_field which;
		char		name[PKT_VAR_NAME];
	}		var[6];
	int		nvar;
};

/* An address and its prefix length (a table's entry). */
struct scn_prefix {
	struct pkt_addr	addr;
	int		plen;
	int		neg;		/* `!ADDR` */
};

/* `pfctl ARGS`: pfctl's own arguments. What pfctl reads (`-f <<EOF` text, or the
 * contents of `-f FILE` read when the scenario is) is input; argv then says `-f -`. */
struct scn_pfctl {
	char		**argv;		/* argv[0] "pfctl", NULL-terminated */
	int		 argc;
	char		*input;		/* NULL: nothing to read */
	char		*input_name;	/* input's line N is input_name:(input_line0 + N) */
	int		 input_line0;
};

/* What a bookkeeping expectation looks at, and what it must find. */
enum scn_book_kind {
	SCN_BOOK_CONTAINS, SCN_BOOK_LACKS, SCN_BOOK_COUNT,	/* tables */
	SCN_BOOK_EVALUATIONS, SCN_BOOK_PACKETS, SCN_BOOK_BYTES,	/* rules */
	SCN_BOOK_STATES,		/* rules, src-nodes */
	SCN_BOOK_VALUE			/* counters */
};

struct scn_book {
	char		*name;		/* table, counter, rule label, view ("-sr") */
	char		*anchor;	/* -a ANCHOR (tables, views), NULL: main ruleset */
	int		 rule_nr;	/* `expect rule @N`: N, else -1 */
	enum scn_book_kind what;
	struct pkt_range value;		/* the number, or LOW-HIGH */
	struct scn_prefix *addr;	/* tables: the addresses; src-node: one */
	int		 naddr;
	char		**line;		/* a view: its lines, `*` and LOW-HIGH per word */
	int		 nline;
};

struct scn_step {
	enum scn_step_kind kind;
	int		line;
	char		*text;		/* the statement as written, for reports */
	struct pkt	pkt;		/* SCN_SEND */
	struct pkt_pat	pat;		/* SCN_EXPECT_REPLY, SCN_EXPECT_WIRE */
	int		jail;		/* SCN_CONNECT, SCN_EXPECT_DELIVERED: index */
	int		proto;		/* SCN_CONNECT */
	struct pkt_addr	addr;		/* SCN_CONNECT: destination */
	uint16_t	port;		/* SCN_CONNECT: destination; DELIVERED: jail port */
	int		has_from;	/* CONNECT: local addr:port; DELIVERED: peer */
	struct pkt_addr	from;
	struct pkt_range from_port;	/* CONNECT: exact; DELIVERED: may be a range */
	enum scn_outcome outcome;	/* SCN_EXPECT_CONNECT */
	struct scn_state_pat state;	/* SCN_EXPECT_STATE, SCN_EXPECT_NO_STATE */
	struct scn_pfctl pfctl;		/* SCN_PFCTL */
	struct scn_book	book;		/* SCN_EXPECT_TABLE ... SCN_EXPECT_VIEW */
	char		*name, *value;	/* SCN_SYSCTL; LOAD_ERROR: value is the TEXT */
	uint64_t	wait_ms;	/* SCN_WAIT */
};

struct scn_probe {
	char		*title;
	int		line;
	struct scn_step	*step;
	int		nstep;
	int		control;	/* a runtime step between probes, in a probe of
					 * its own titled by the step */
};

struct scn {
	char		*path;		/* as given */
	char		*name;		/* basename without .scn: results/<run>/<name>/ */
	char		*title;
	char		**tag;
	int		ntag;

	char		host_if[SCN_NAME_MAX];	/* `host IF ADDR/LEN [gateway ADDR]` */
	struct pkt_addr	host_addr, gateway;
	int		host_plen;
	int		host_line;

	char		lo_if[SCN_NAME_MAX];	/* `loopback IF NET/LEN` */
	struct pkt_addr	lo_net;
	int		lo_plen;
	int		lo_line;

	struct scn_jail	*jail;
	int		njail;
	struct scn_client *client;
	int		nclient;

	char		*pf_text;	/* the ruleset text (heredoc or file contents) */
	char		*pf_file;	/* name for pf.conf messages: the scenario or the pf file */
	int		pf_line0;	/* pf.conf line N is reported as pf_file:(pf_line0 + N) */
	struct scn_kv	*define;
	int		ndefine;
	struct scn_kv	*sysctl;
	int		nsysctl;
	char		*load_error;	/* `expect load error "TEXT"`, or NULL */
	char		*root;		/* `world from ... root DIR`: the ruleset's absolute
					 * paths (tables, anchors) are read under it */
	int		load_error_line;

	struct scn_probe *probe;
	int		nprobe;
};

/* Parse a scenario file. Returns the scenario (free with scn_free), or NULL with every
 * error found added to d as `file:line: message`. */
struct scn *scn_parse_file(const char *path, struct diag *d);
/* Same from text; `path` names it in messages and anchors `pf file PATH`. */
struct scn *scn_parse_text(const char *path, const char *text, struct diag *d);
void	scn_free(struct scn *);		/* scn_free(NULL) is a no-op */
/* Index of the jail named `name`, or -1. */
int	scn_jail_find(const struct scn *, const char *name);
/* 1 when the scenario has tag `t`. */
int	scn_has_tag(const struct scn *, const char *t);

#endif
