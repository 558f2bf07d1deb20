/* cmd_trace.c: `pfharness trace`: follow packets through a pf.conf with the pf model,
 * printing for each the skip or state hit, translation rule, rewritten packet, filter
 * rule, verdict and state; states persist from one packet to the next. */
#include <arpa/inet.h>
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rdfile.h"
#include "cmd.h"
#include "pf/pfm.h"
#include "pf/pfm_rule.h"
#include "pkt/pkt.h"

#define TRACE_MAXDEF	32

struct trace {
	struct pfm	*pf;
	int		json;
	uint64_t	now_ms, step_ms;
	int		errors;
};

static void
trace_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: pfharness trace -f pf.conf [--if NAME=ADDR/LEN[,ADDR/LEN...]]...\n"
	    "           [-D macro=value]... [--services FILE] [--sysctl NAME=VALUE]...\n"
	    "           [--time-ms N] [--json] [PACKET...]\n"
	    "PACKET is `in on IF` or `out on IF` followed by the packet notation, e.g.\n"
	    "  'in on em0 tcp 198.51.100.7:40000 > 203.0.113.1:81 S'\n"
	    "Without PACKET arguments, packets are read from standard input, one per line\n"
	    "(`#` comments; a line `wait MS` advances the clock). --time-ms advances the\n"
	    "clock by N ms between packets (default 1). lo0 (127.0.0.1/8, ::1) is added\n"
	    "when not given; interfaces named loN are in group lo.\n");
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

	printf("{\"packet\":");
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

/* One line: `in on IF PKT` / `out on IF PKT` / `wait MS`. 0, or -1 after a message. */
static int
trace_one(struct trace *t, const char *line, const char *where)
{
	char dir[8], ifn[PFM_IFNAMSIZ + 1], err[256], before[512], after[512];
	char state[512] = "", reply[512] = "";
	uint8_t buf[PKT_FRAME_MAX];
	struct pfm_verdict v;
	struct pkt p, q;
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
	pfm_test(t->pf, dir[0] == 'i' ? PFM_IN : PFM_OUT, ifn, buf, (size_t)n, t->now_ms, &v);
	if (pkt_decode_l3(buf, (size_t)n, &q) == 0)
		pkt_format(&q, after, sizeof(after));
	else
		snprintf(after, sizeof(after), "%s", before);
	if (v.state != NULL && (v.state_hit || v.state_created))
		state_text(t->pf, v.state, state, sizeof(state));
	if (v.reply_len > 0 && pkt_decode_l3(v.reply, v.reply_len, &q) == 0)
		pkt_format(&q, reply, sizeof(reply));
	{
		char in[600];

		snprintf(in, sizeof(in), "%s on %s %s", dir, ifn, before);
		if (t->json)
			print_json(t, in, &v, after, state, reply);
		else
			print_human(t, in, &v, before, after, state, reply);
	}
	return (0);
}

static int
trace_load(struct trace *t, const char *file, struct pfm_host *h, struct pfm_define *def,
    int ndef, const char *services)
{
	struct pfm_load_opts lo;
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
	rc = pfm_load(t->pf, rf.buf, &lo, &d);
	fputs(diag_text(&d), stderr);	/* errors, or warnings of what is not modelled */
	if (rc == -1)
		fprintf(stderr, "pfctl: Syntax error in config file: pf rules not loaded\n");
	diag_free(&d);
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

/* What trace's options say. */
struct trace_args {
	const char		*file, *services;
	struct pfm_host		 host;
	struct pfm_define	 def[TRACE_MAXDEF];
	int			 ndef;
	char			*sysctl[TRACE_MAXDEF];
	int			 nsysctl;
};

/* trace's options into t and a; 0, 1 when --help was printed, -1 after a message
 * (exit 2). On 0, optind is the first packet argument. */
static int
trace_args(int argc, char **argv, struct trace *t, struct trace_args *a)
{
	static const struct option lo[] = {
		{ "if", required_argument, NULL, 1 },
		{ "services", required_argument, NULL, 2 },
		{ "sysctl", required_argument, NULL, 3 },
		{ "time-ms", required_argument, NULL, 4 },
		{ "json", no_argument, NULL, 5 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end, err[256];
	int c;

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
		case 1:
			if (pfm_host_add(&a->host, optarg, err, sizeof(err)) == -1) {
				fprintf(stderr, "pfharness trace: --if %s: %s\n", optarg, err);
				return (-1);
			}
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
		case 'h':
			trace_usage(stdout);
			return (1);
		default:
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

int
cmd_trace(int argc, char **argv)
{
	struct trace t;
	struct trace_args a;
	char *eq;
	int k, rc;

	memset(&t, 0, sizeof(t));
	memset(&a, 0, sizeof(a));
	t.step_ms = 1;
	t.now_ms = 1000;
	if ((rc = trace_args(argc, argv, &t, &a)) != 0)
		return (rc == 1 ? 0 : 2);
	if (trace_load(&t, a.file, &a.host, a.def, a.ndef, a.services) == -1) {
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
	rc = trace_packets(&t, argc, argv, optind);
	pfm_free(t.pf);
	return (rc ? 1 : 0);
}
