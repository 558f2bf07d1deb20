/* cmd_trace.c: `pfharness trace`: follow packets through a pf.conf with the pf model,
 * printing for each the skip or state hit, translation rule, rewritten packet, filter
 * rule, verdict and state; states persist from one packet to the next. With --pcap
 * the packets are a capture's records, one line each. */
#include <arpa/inet.h>
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rdfile.h"
#include "cmd.h"
#include "ifcheck.h"
#include "worldopt.h"
#include "pf/pfm.h"
#include "pf/pfm_rule.h"
#include "pkt/pkt.h"
#include "wire/wire_read.h"

#define TRACE_MAXDEF	32

struct trace {
	struct pfm	*pf;
	int		json;
	uint64_t	now_ms, step_ms;
	int		errors;
	unsigned long	frame;		/* --pcap: the record's number, from 1 */
	double		time_s;		/* and its time from the first record's */
};

/* What trace's options say. */
struct trace_args {
	const char		*file, *services;
	const char		*pcap, *pcap_if;
	struct pfm_host		 host;
	struct worldopt		 world;
	struct pfm_define	 def[TRACE_MAXDEF];
	int			 ndef;
	char			*sysctl[TRACE_MAXDEF];
	int			 nsysctl;
	int			 freebsd;	/* PFM_FREEBSD_14 (default) or _15 */
};

static void
trace_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: pfharness trace -f pf.conf [--if NAME=ADDR/LEN[,ADDR/LEN...]]...\n"
	    "           [--group NAME=IF[,IF...]]... [--rc FILE]... [--jails FILE]...\n"
	    "           [--bastille PREFIX] [--root DIR] [--jail NAME=[IF|]ADDR[/LEN]]...\n"
	    "           [-D macro=value]... [--services FILE] [--sysctl NAME=VALUE]...\n"
	    "           [--time-ms N] [--json] [--freebsd 14|15]\n"
	    "           [PACKET... | --pcap FILE [--pcap-if IF]]\n"
	    "PACKET is `in on IF` or `out on IF` followed by the packet notation (any\n"
	    "header field, or a line as tcpdump -n prints it), e.g.\n"
	    "  'in on em0 tcp 198.51.100.7:40000 > 203.0.113.1:81 S mss 1460 ttl 3'\n"
	    "Without PACKET arguments, packets are read from standard input, one per line\n"
	    "(`#` comments; a line `wait MS` advances the clock). --time-ms advances the\n"
	    "clock by N ms between packets (default 1). lo0 (127.0.0.1/8, ::1) is added\n"
	    "when not given; interfaces named loN are in group lo.\n"
	    "--pcap replays a capture (tcpdump -w: Ethernet, raw IP, Linux cooked, BSD\n"
	    "loopback or pflog), one line per record, in the capture's time: on the\n"
	    "interface and in the direction pflog or Linux cooked headers give, else on\n"
	    "--pcap-if (default: the first --if that is no loopback), `out` when the\n"
	    "source is one of the host's addresses and the destination not, else `in`.\n"
	    "  -f pf.conf          the ruleset (`-`: standard input)\n"
	    "      --if NAME=ADDR/LEN[,...]  an interface of the host and its addresses\n"
	    "                      (repeatable); a ruleset naming another gets a warning\n"
	    "      --group NAME=IF[,IF...]  interfaces in group NAME (egress, ...)\n"
	    "      --rc FILE, --jails FILE, --bastille PREFIX, --root DIR, --jail SPEC\n"
	    "                      the host of an admin's files, as pfharness world builds\n"
	    "                      it (--if then sets an interface's addresses); with\n"
	    "                      --root, absolute paths the ruleset names are under DIR\n"
	    "  -D macro=value      define a macro, overriding the file's\n"
	    "      --services FILE services list for port names\n"
	    "      --sysctl NAME=VALUE  a pf tunable (net.pf.filter_local=1)\n"
	    "      --time-ms N     clock step between packets, ms (default 1)\n"
	    "      --json          one JSON object per packet\n"
	    "      --freebsd 14|15 the release whose pfctl reads the ruleset (default\n"
	    "                      14); 15's match, nat-to, rdr-to, af-to inet and\n"
	    "                      inet6, once, max-pkt-size, max-pkt-rate are\n"
	    "                      evaluated\n"
	    "      --pcap FILE     replay a capture\n"
	    "      --pcap-if IF    the capture's interface, when it does not say\n"
	    "  -h, --help          this text\n"
	    "Exit: 0 every packet traced, 1 the ruleset did not load, a packet could not\n"
	    "be traced or the capture not read to its end, 2 bad usage.\n");
}

static void
json_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(fp, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", fp);
		else if ((unsigned char)*s < 0x20)
			fprintf(fp, "\\u%04x", *s);
		else
			fputc(*s, fp);
	}
	fputc('"', fp);
}

static const char *
rule_text(struct pfm *pf, const struct pfm_rule *r, char *buf, size_t len)
{
	char txt[1024];
	const char *file;
	int line;

	file = pfm_rule_origin(r, &line);
	pfm_rule_format(pf, r, txt, sizeof(txt));
	if (pfm_rule_anchor(r)[0] != '\0')	/* a rule inside an anchor */
		snprintf(buf, len, "%s:%d: anchor \"%s\": %s", file, line,
		    pfm_rule_anchor(r), txt);
	else
		snprintf(buf, len, "%s:%d: %s", file, line, txt);
	return (buf);
}

static void
state_text(struct pfm *pf, const struct pfm_state *s, char *buf, size_t len)
{
	FILE *fp = fmemopen(buf, len, "w");

	buf[0] = '\0';
	if (fp == NULL)
		return;
	pfm_show_state(pf, s, fp);
	fclose(fp);
	buf[strcspn(buf, "\n")] = '\0';
}

/* A packet pf sends itself (synproxy), as `back|onward PKT` plus whether pf sees it. */
static void
emit_text(const struct pfm_emit *e, char *buf, size_t len, int *skip)
{
	struct pkt q;
	char pb[512];

	if (pkt_decode_l3(e->pkt, e->len, &q) == 0)
		pkt_format(&q, pb, sizeof(pb));
	else
		snprintf(pb, sizeof(pb), "(%zu bytes pf could not build)", e->len);
	snprintf(buf, len, "%s %s", e->to == PFM_EMIT_BACK ? "back" : "onward", pb);
	*skip = e->skip;
}

/* The ether rule that decided, as file:line: rule. */
static const char *
eth_text(const struct pfm_eth_rule *r, char *buf, size_t len)
{
	char txt[1024];

	snprintf(buf, len, "%s:%d: %s", r->file != NULL ? r->file : "stdin", r->line,
	    pfm_eth_rule_format(r, txt, sizeof(txt)));
	return (buf);
}

/* An ether rule dropped the packet: the IP rules never saw it. */
static int
eth_dropped(const struct pfm_verdict *v)
{
	return (v->eth != NULL && v->action == PFM_DROP && v->filter == NULL &&
	    v->trans == NULL && !v->state_hit);
}

static void
print_human(struct trace *t, const char *in, const struct pfm_verdict *v,
    const char *before, const char *after, const char *state, const char *reply)
{
	char rb[1400], eb[600];
	int i, skip;

	printf("%s\n", in);
	if (v->skipped) {
		printf("  skip: set skip on the interface: pass, no state lookup\n");
		return;
	}
	if (v->eth != NULL)
		printf("  ether: %s\n", eth_text(v->eth, rb, sizeof(rb)));
	if (eth_dropped(v)) {
		printf("  verdict: block, ether rule\n");
		return;
	}
	if (v->state_hit)
		printf("  state: match %s\n", state);
	if (v->trans != NULL)
		printf("  translation: %s\n", rule_text(t->pf, v->trans, rb, sizeof(rb)));
	else if (!v->state_hit)
		printf("  translation: none\n");
	if (strcmp(before, after) != 0)
		printf("  rewritten: %s\n", after);
	if (!v->state_hit) {
		if (v->filter != NULL)
			printf("  filter: %s\n", rule_text(t->pf, v->filter, rb, sizeof(rb)));
		else if (v->trans != NULL && v->trans->pass_trans)
			printf("  filter: skipped (%s pass)\n",
			    v->trans->action == PFM_R_RDR ? "rdr" : "nat");
		else
			printf("  filter: no match, default rule\n");
	}
	printf("  verdict: %s%s%s\n", v->action == PFM_PASS ? "pass" : "block",
	    v->action == PFM_DROP ? ", " : "", v->action == PFM_DROP ? v->reason : "");
	if (v->action == PFM_PASS && v->tag != 0)
		printf("  tag: %s\n", pfm_tag_name(t->pf, v->tag));
	if (v->state_created)
		printf("  state: created %s\n", state);
	if (reply[0] != '\0')
		printf("  reply: %s\n", reply);
	for (i = 0; i < v->nemit; i++) {
		emit_text(&v->emit[i], eb, sizeof(eb), &skip);
		printf("  sends: %s%s\n", eb, skip ? " (skips pf)" : " (through pf)");
	}
}

static void
print_json(struct trace *t, const char *in, const struct pfm_verdict *v,
    const char *after, const char *state, const char *reply)
{
	char rb[1400], eb[600];
	int i, skip;

	if (t->frame > 0)	/* a capture's record: its number and time first */
		printf("{\"frame\":%lu,\"time\":%.6f,", t->frame, t->time_s);
	else
		printf("{");
	printf("\"packet\":");
	json_str(stdout, in);
	printf(",\"skipped\":%s,\"state_hit\":%s,\"translation\":",
	    v->skipped ? "true" : "false", v->state_hit ? "true" : "false");
	if (v->trans != NULL)
		json_str(stdout, rule_text(t->pf, v->trans, rb, sizeof(rb)));
	else
		printf("null");
	printf(",\"rewritten\":");
	json_str(stdout, after);
	printf(",\"filter\":");
	if (v->filter != NULL)
		json_str(stdout, rule_text(t->pf, v->filter, rb, sizeof(rb)));
	else
		printf("null");
	printf(",\"action\":\"%s\",\"reason\":", v->action == PFM_PASS ? "pass" : "block");
	json_str(stdout, v->reason);
	printf(",\"state_created\":%s,\"state\":", v->state_created ? "true" : "false");
	if (state[0] != '\0')
		json_str(stdout, state);
	else
		printf("null");
	printf(",\"reply\":");
	if (reply[0] != '\0')
		json_str(stdout, reply);
	else
		printf("null");
	printf(",\"sends\":[");
	for (i = 0; i < v->nemit; i++) {
		emit_text(&v->emit[i], eb, sizeof(eb), &skip);
		printf("%s{\"packet\":", i ? "," : "");
		json_str(stdout, eb);
		printf(",\"skips_pf\":%s}", skip ? "true" : "false");
	}
	printf("]}\n");
}

/* What pf made of one packet, in words. */
struct trace_out {
	struct pfm_verdict v;
	char		before[512], after[512], state[512], reply[512];
};

/* Test the n bytes of buf (rewritten in place) going dir on ifn, at the trace's
 * clock; before is the packet as it came (NULL: decoded from buf). */
static void
trace_test(struct trace *t, enum pfm_dir dir, const char *ifn, uint8_t *buf, size_t n,
    const char *before, struct trace_out *o)
{
	struct pkt q;

	memset(o, 0, sizeof(*o));
	if (before != NULL)
		snprintf(o->before, sizeof(o->before), "%s", before);
	else if (pkt_decode_l3(buf, n, &q) == 0)
		pkt_format(&q, o->before, sizeof(o->before));
	else
		snprintf(o->before, sizeof(o->before), "(%zu bytes pfharness does not "
		    "decode)", n);
	pfm_test(t->pf, dir, ifn, buf, n, t->now_ms, &o->v);
	if (o->v.afto != NULL) {	/* af-to: the packet pf sends in the other family */
		buf = (uint8_t *)(uintptr_t)o->v.afto;
		n = o->v.afto_len;
	}
	if (pkt_decode_l3(buf, n, &q) == 0)
		pkt_format(&q, o->after, sizeof(o->after));
	else
		snprintf(o->after, sizeof(o->after), "%s", o->before);
	if (o->v.state != NULL && (o->v.state_hit || o->v.state_created))
		state_text(t->pf, o->v.state, o->state, sizeof(o->state));
	if (o->v.reply_len > 0 && pkt_decode_l3(o->v.reply, o->v.reply_len, &q) == 0)
		pkt_format(&q, o->reply, sizeof(o->reply));
}

/* One line: `in on IF PKT` / `out on IF PKT` / `wait MS`. 0, or -1 after a message. */
static int
trace_one(struct trace *t, const char *line, const char *where)
{
	char dir[8], ifn[PFM_IFNAMSIZ + 1], err[256], before[512], in[600];
	uint8_t buf[PKT_FRAME_MAX];
	struct trace_out o;
	struct pkt p;
	int n, off = 0;
	unsigned long long ms;

	if (sscanf(line, "wait %llu", &ms) == 1) {
		t->now_ms += ms;
		return (0);
	}
	if (sscanf(line, "%7s on %16s %n", dir, ifn, &off) < 2 || off == 0 ||
	    (strcmp(dir, "in") != 0 && strcmp(dir, "out") != 0)) {
		fprintf(stderr, "%s: expected `in on IF PACKET` or `out on IF PACKET`\n", where);
		return (-1);
	}
	if (pkt_parse(line + off, &p, err, sizeof(err)) == -1 ||
	    (n = pkt_build_l3(&p, buf, sizeof(buf), err, sizeof(err))) < 0) {
		fprintf(stderr, "%s: %s\n", where, err);
		return (-1);
	}
	pkt_format(&p, before, sizeof(before));
	t->now_ms += t->step_ms;
	trace_test(t, dir[0] == 'i' ? PFM_IN : PFM_OUT, ifn, buf, (size_t)n, before, &o);
	snprintf(in, sizeof(in), "%s on %s %s", dir, ifn, before);
	if (t->json)
		print_json(t, in, &o.v, o.after, o.state, o.reply);
	else
		print_human(t, in, &o.v, o.before, o.after, o.state, o.reply);
	return (0);
}

/* --pcap, one line a record: the frame, its time, the packet as it came, then what pf
 * did: verdict, translation and the packet after it, the state. */
static void
pcap_line(struct trace *t, const char *in, const struct trace_out *o)
{
	char rb[1400];
	const struct pfm_verdict *v = &o->v;

	printf("%lu %.6f %s: ", t->frame, t->time_s, in);
	if (v->skipped) {
		printf("pass (set skip)\n");
		return;
	}
	printf("%s", v->action == PFM_PASS ? "pass" : v->action == PFM_HELD ?
	    "held (a fragment)" : "block");
	if (eth_dropped(v)) {
		printf(" (ether rule); %s\n", eth_text(v->eth, rb, sizeof(rb)));
		return;
	}
	if (v->action == PFM_DROP)
		printf(" (%s)", v->reason);
	if (v->trans != NULL)
		printf("; %s -> %s", rule_text(t->pf, v->trans, rb, sizeof(rb)), o->after);
	if (v->state_hit)
		printf("; state %s", o->state);
	else if (v->filter != NULL)
		printf("; %s", rule_text(t->pf, v->filter, rb, sizeof(rb)));
	if (v->state_created)
		printf("; new state %s", o->state);
	if (o->reply[0] != '\0')
		printf("; reply %s", o->reply);
	printf("\n");
}

/* 1 when a is one of the host's addresses. */
static int
host_has(const struct pfm_host *h, const struct pkt_addr *a)
{
	int i, k;

	for (i = 0; i < h->niface; i++)
		for (k = 0; k < h->iface[i].naddr; k++)
			if ((h->iface[i].addr[k].af == AF_INET) == (a->af == AF_INET) &&
			    memcmp(h->iface[i].addr[k].addr, a->a, a->af == AF_INET ? 4 :
			    16) == 0)
				return (1);
	return (0);
}

/* Replay a capture: each record's IP packet through pf, in the capture's time, on the
 * interface and in the direction the capture says (pflog, Linux cooked), else on
 * a->pcap_if, `in` unless its source is the host's and its destination not. 0, or 1
 * when the file could not be read to its end. */
static int
trace_pcap(struct trace *t, const struct trace_args *a)
{
	static uint8_t buf[65536];
	struct wire_rd *rd;
	struct wire_rec r;
	struct trace_out o;
	struct pkt p;
	uint64_t t0 = 0;
	char err[512], in[700];
	const char *ifn;
	enum pfm_dir dir;
	int rc;

	if ((rd = wire_rd_open(a->pcap, err, sizeof(err))) == NULL) {
		fprintf(stderr, "pfharness trace: %s\n", err);
		return (1);
	}
	while ((rc = wire_rd_next(rd, &r, err, sizeof(err))) == 1) {
		if (t->frame++ == 0)
			t0 = r.t_us;
		t->time_s = r.t_us > t0 ? (double)(r.t_us - t0) / 1e6 : 0;
		if (r.t_us > t0 && 1000 + (r.t_us - t0) / 1000 > t->now_ms)
			t->now_ms = 1000 + (r.t_us - t0) / 1000;
		if (r.l3 == NULL) {
			if (!t->json)
				printf("%lu %.6f skipped: %s\n", t->frame, t->time_s, r.skip);
			continue;
		}
		memcpy(buf, r.l3, r.len < sizeof(buf) ? r.len : sizeof(buf));
		ifn = r.ifname[0] != '\0' ? r.ifname : a->pcap_if;
		dir = r.dir == WIRE_DIR_OUT ? PFM_OUT : PFM_IN;
		if (r.dir == WIRE_DIR_UNKNOWN && pkt_decode_l3(buf, r.len, &p) == 0 &&
		    host_has(&a->host, &p.src) && !host_has(&a->host, &p.dst))
			dir = PFM_OUT;
		trace_test(t, dir, ifn, buf, r.len < sizeof(buf) ? r.len : sizeof(buf), NULL,
		    &o);
		snprintf(in, sizeof(in), "%s on %s %s", dir == PFM_IN ? "in" : "out", ifn,
		    o.before);
		if (t->json)
			print_json(t, in, &o.v, o.after, o.state, o.reply);
		else
			pcap_line(t, in, &o);
	}
	if (rc == -1)
		fprintf(stderr, "pfharness trace: %s: record %lu: %s\n", a->pcap, t->frame + 1,
		    err);
	wire_rd_close(rd);
	return (rc == -1);
}

static int
trace_load(struct trace *t, struct trace_args *a)
{
	const char *file = a->file, *services = a->services;
	struct pfm_host *h = &a->host;
	struct pfm_define *def = a->def;
	int ndef = a->ndef;
	struct pfm_load_opts lo;
	struct pfm_ruleset *rs = NULL;
	struct diag d = { 0 };
	struct rdfile rf;
	char err[4200];
	int i, rc, have_lo0 = 0;

	for (i = 0; i < h->niface; i++)
		have_lo0 |= strcmp(h->iface[i].name, "lo0") == 0;
	if (!have_lo0)
		(void)pfm_host_add(h, "lo0=127.0.0.1/8,::1/128", err, sizeof(err));
	if ((t->pf = pfm_new(h)) == NULL) {
		fprintf(stderr, "pfharness trace: out of memory\n");
		return (-1);
	}
	if (rdfile_read(file, 0, RDFILE_FIFO | RDFILE_STDIN, &rf, err, sizeof(err)) == -1) {
		fprintf(stderr, "pfharness trace: %s\n", err);
		return (-1);
	}
	memset(&lo, 0, sizeof(lo));
	lo.file = strcmp(file, "-") == 0 ? "stdin" : file;
	lo.define = def;
	lo.ndefine = ndef;
	lo.services = services;
	lo.len = rf.len;
	lo.freebsd = a->freebsd;
	(void)rdfile_root(a->world.root);	/* tables, includes, anchors under --root */
	rc = pfm_load(t->pf, rf.buf, &lo, &d);
	fputs(diag_text(&d), stderr);	/* errors, or warnings of what is not modelled */
	if (rc == -1 && !pfm_load_refused15(t->pf))
		fprintf(stderr, "pfctl: Syntax error in config file: pf rules not loaded\n");
	diag_free(&d);
	if (rc == 0 && (rs = pfm_ruleset_parse(rf.buf, &lo, h, &d)) != NULL)
		(void)ifcheck_ruleset(rs, h, "pfharness trace", lo.file, stderr);
	(void)rdfile_root(NULL);
	pfm_ruleset_free(rs);
	diag_free(&d);	/* the second parse's messages: the first printed them */
	rdfile_free(&rf);
	return (rc);
}

/* A -D macro=value into def (at most TRACE_MAXDEF); 0 or -1 after a message. */
static int
add_define(struct pfm_define *def, int *ndef, char *arg)
{
	char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg) {
		fprintf(stderr, "pfharness trace: -D %s: expected macro=value\n", arg);
		return (-1);
	}
	if (*ndef == TRACE_MAXDEF) {
		fprintf(stderr, "pfharness trace: -D %s: at most %d macros\n", arg,
		    TRACE_MAXDEF);
		return (-1);
	}
	*eq = '\0';
	def[*ndef].name = arg;
	def[(*ndef)++].value = eq + 1;
	return (0);
}

/* trace's options into t and a; 0, 1 when --help was printed, -1 after a message
 * (exit 2). On 0, optind is the first packet argument. */
static int
trace_args(int argc, char **argv, struct trace *t, struct trace_args *a)
{
	static const struct option lo[] = {
		WORLDOPT_FILES,
		WORLDOPT_OVERRIDES,
		{ "services", required_argument, NULL, 2 },
		{ "sysctl", required_argument, NULL, 3 },
		{ "time-ms", required_argument, NULL, 4 },
		{ "json", no_argument, NULL, 5 },
		{ "pcap", required_argument, NULL, 6 },
		{ "pcap-if", required_argument, NULL, 7 },
		{ "freebsd", required_argument, NULL, 8 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:D:h", lo, NULL)) != -1)
		switch (c) {
		case 'f':
			a->file = optarg;
			break;
		case 'D':
			if (add_define(a->def, &a->ndef, optarg) == -1)
				return (-1);
			break;
		case 2:
			a->services = optarg;
			break;
		case 3:
			if (a->nsysctl == TRACE_MAXDEF) {
				fprintf(stderr, "pfharness trace: at most %d --sysctl\n",
				    TRACE_MAXDEF);
				return (-1);
			}
			a->sysctl[a->nsysctl++] = optarg;
			break;
		case 4:
			t->step_ms = strtoull(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0') {
				fprintf(stderr, "pfharness trace: --time-ms %s: not a number "
				    "of milliseconds\n", optarg);
				return (-1);
			}
			break;
		case 5:
			t->json = 1;
			break;
		case 6:
			a->pcap = optarg;
			break;
		case 7:
			a->pcap_if = optarg;
			break;
		case 8:
			if ((a->freebsd = pfm_freebsd_parse(optarg)) == -1) {
				fprintf(stderr, "pfharness trace: --freebsd %s: expected 14 or "
				    "15\n", optarg);
				return (-1);
			}
			break;
		case 'h':
			trace_usage(stdout);
			return (1);
		default:
			if ((rc = worldopt_take(&a->world, c, optarg,
			    "pfharness trace")) == 1)
				break;
			if (rc == 0)
				trace_usage(stderr);
			return (-1);
		}
	if (a->file == NULL) {
		trace_usage(stderr);
		return (-1);
	}
	return (0);
}

/* The packets: the arguments from argv[first] on, else standard input's lines.
 * 0, or 1 when a packet could not be traced. */
static int
trace_packets(struct trace *t, int argc, char **argv, int first)
{
	char line[2048], where[64];
	int i, lineno = 0, rc = 0;

	for (i = first; i < argc; i++) {
		snprintf(where, sizeof(where), "argument %d", i);
		rc |= trace_one(t, argv[i], where) == -1;
	}
	if (first < argc)
		return (rc);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		lineno++;
		line[strcspn(line, "#\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '\0')
			continue;
		snprintf(where, sizeof(where), "stdin:%d", lineno);
		rc |= trace_one(t, line + strspn(line, " \t"), where) == -1;
	}
	return (rc);
}

/* The host: the admin's files' world (its messages on stderr), or --if and --group.
 * 0, or -1 after a message. */
static int
trace_host(struct trace_args *a)
{
	struct adm_world *w = NULL;
	int rc;

	if (worldopt_files(&a->world)) {
		if ((w = worldopt_world(&a->world, "pfharness trace", NULL, 0)) == NULL)
			return (-1);
		fputs(adm_world_messages(w), stderr);
	}
	rc = worldopt_host(&a->world, w, &a->host, "pfharness trace", stderr);
	adm_world_free(w);
	return (rc);
}

int
cmd_trace(int argc, char **argv)
{
	struct trace t;
	struct trace_args a;
	char *eq;
	int k, rc;

	memset(&t, 0, sizeof(t));
	memset(&a, 0, sizeof(a));
	a.world.pf_given = 1;	/* -f */
	a.freebsd = PFM_FREEBSD_DEFAULT;
	t.step_ms = 1;
	t.now_ms = 1000;
	if ((rc = trace_args(argc, argv, &t, &a)) != 0)
		return (rc == 1 ? 0 : 2);
	if (trace_host(&a) == -1)
		return (2);
	if (trace_load(&t, &a) == -1) {
		pfm_free(t.pf);
		return (1);
	}
	for (k = 0; k < a.nsysctl; k++) {
		if ((eq = strchr(a.sysctl[k], '=')) == NULL ||
		    (*eq = '\0', pfm_sysctl(t.pf, a.sysctl[k], eq + 1)) == -1) {
			fprintf(stderr, "pfharness trace: unknown sysctl %s\n", a.sysctl[k]);
			pfm_free(t.pf);
			return (2);
		}
	}
	if (a.pcap != NULL) {
		if (a.pcap_if == NULL)	/* the first interface given that is no loopback */
			for (k = 0; k < a.host.niface && a.pcap_if == NULL; k++)
				if (strncmp(a.host.iface[k].name, "lo", 2) != 0)
					a.pcap_if = a.host.iface[k].name;
		if (a.pcap_if == NULL)
			a.pcap_if = "em0";
		rc = optind < argc ? 2 : trace_pcap(&t, &a);
		if (rc == 2)
			fprintf(stderr, "pfharness trace: --pcap replays a capture: no "
			    "PACKET arguments with it\n");
	} else
		rc = trace_packets(&t, argc, argv, optind);
	pfm_free(t.pf);
	return (rc == 2 ? 2 : rc ? 1 : 0);
}
