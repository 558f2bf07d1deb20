/* scn_step.c: a scenario's probes and their steps, and the checks across the whole file. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_impl.h"

void
scn_probe(struct parser *p, struct words *w)
{
	struct scn *s = p->s;
	struct scn_probe *np;
	int i;

	if (w->n != 2) {
		scn_perr(p, p->line, "usage: probe \"title\"");
		return;
	}
	for (i = 0; i < s->nprobe; i++)
		if (strcmp(s->probe[i].title, w->w[1]) == 0) {
			scn_perr(p, p->line, "probe \"%s\" already at line %d", w->w[1],
			    s->probe[i].line);
			return;
		}
	if ((np = scn_grow(s->probe, &s->nprobe, sizeof(*np))) == NULL) {
		scn_perr(p, p->line, "out of memory");
		return;
	}
	s->probe = np;
	p->probe = &np[s->nprobe - 1];
	p->probe->title = strdup(w->w[1]);
	p->probe->line = p->line;
}

/* Remember that the step names jail `name`; scn_validate resolves it. */
static void
pend(struct parser *p, const char *name)
{
	struct scn_pending *np;

	if ((np = scn_grow(p->pend, &p->npend, sizeof(*np))) == NULL) {
		scn_perr(p, p->line, "out of memory");
		return;
	}
	p->pend = np;
	np[p->npend - 1].probe = (int)(p->probe - p->s->probe);
	np[p->npend - 1].step = p->probe->nstep - 1;
	np[p->npend - 1].line = p->line;
	snprintf(np[p->npend - 1].name, SCN_NAME_MAX, "%s", name);
}

static int
proto_of(const char *s)
{
	if (strcmp(s, "tcp") == 0)
		return (IPPROTO_TCP);
	if (strcmp(s, "udp") == 0)
		return (IPPROTO_UDP);
	return (-1);
}

/* `connect JAIL PROTO ADDR:PORT [from ADDR:PORT]` */
static int
st_connect(struct parser *p, struct words *w, struct scn_step *t)
{
	struct pkt_range r;

	if ((w->n != 4 && w->n != 6) || (w->n == 6 && strcmp(w->w[4], "from") != 0)) {
		scn_perr(p, p->line, "usage: connect JAIL PROTO ADDR:PORT [from ADDR:PORT]");
		return (-1);
	}
	if ((t->proto = proto_of(w->w[2])) == -1) {
		scn_perr(p, p->line, "connect: unknown protocol \"%s\" (tcp or udp)", w->w[2]);
		return (-1);
	}
	if (scn_hostport_parse(w->w[3], 0, &t->addr, &r) == -1 || r.lo == 0) {
		scn_perr(p, p->line, "connect: bad destination \"%s\" (ADDR:PORT)", w->w[3]);
		return (-1);
	}
	t->port = (uint16_t)r.lo;
	if (w->n == 6) {
		if (scn_hostport_parse(w->w[5], 0, &t->from, &t->from_port) == -1) {
			scn_perr(p, p->line, "connect: bad source \"%s\" (ADDR:PORT)", w->w[5]);
			return (-1);
		}
		t->has_from = 1;
	}
	return (0);
}

/* `expect delivered JAIL:PORT [from ADDR:PORT]` */
static int
st_delivered(struct parser *p, struct words *w, struct scn_step *t, char *jail)
{
	char *colon, *end;
	long port;

	if ((w->n != 3 && w->n != 5) || (w->n == 5 && strcmp(w->w[3], "from") != 0) ||
	    (colon = strrchr(w->w[2], ':')) == NULL) {
		scn_perr(p, p->line, "usage: expect delivered JAIL:PORT [from ADDR:PORT]");
		return (-1);
	}
	*colon = '\0';
	snprintf(jail, SCN_NAME_MAX, "%s", w->w[2]);
	port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || port < 1 || port > 65535) {
		scn_perr(p, p->line, "expect delivered: bad port \"%s\"", colon + 1);
		return (-1);
	}
	t->port = (uint16_t)port;
	if (w->n == 5) {
		if (scn_hostport_parse(w->w[4], 1, &t->from, &t->from_port) == -1) {
			scn_perr(p, p->line, "expect delivered: bad peer \"%s\" (ADDR:PORT)",
			    w->w[4]);
			return (-1);
		}
		t->has_from = 1;
	}
	return (0);
}

/* A state's protocol as pfctl -ss names it (the common ones; others by number). */
static int
state_proto(const char *s)
{
	static const struct { const char *name; int num; } protos[] = {
		{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { "icmp", IPPROTO_ICMP },
		{ "ipv6-icmp", IPPROTO_ICMPV6 }, { "icmp6", IPPROTO_ICMPV6 },
		{ "sctp", 132 }, { "gre", 47 }, { "esp", 50 }, { "ah", 51 }
	};
	size_t i;
	char *end;
	long n;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(s, protos[i].name) == 0)
			return (protos[i].num);
	n = strtol(s, &end, 10);
	return (*s != '\0' && *end == '\0' && n >= 0 && n <= 255 ? (int)n : -1);
}

/* A state's endpoint with `$NAME` for its address or port: ADDR:$p, $a:PORT, $a:$p,
 * [ADDR]:$p, $a; the variables into sp (which: the address's place, which + 1 the
 * port's). 0 or -1. */
static int
state_host_var(struct scn_state_pat *sp, int which, const char *s, struct pkt_addr *a,
    struct pkt_range *r)
{
	struct pkt_pat pat;
	char buf[160];
	int i;

	if (snprintf(buf, sizeof(buf), "tcp frag %s > 0.0.0.0", s) >= (int)sizeof(buf) ||
	    (pkt_pat_parse(buf, &pat, NULL, 0) == -1 &&
	    (snprintf(buf, sizeof(buf), "tcp frag %s > ::", s) >= (int)sizeof(buf) ||
	    pkt_pat_parse(buf, &pat, NULL, 0) == -1)) || pat.src_any)
		return (-1);
	*a = pat.src;
	*r = pat.sport;
	for (i = 0; i < pat.nvar; i++) {
		if (sp->nvar == (int)(sizeof(sp->var) / sizeof(sp->var[0])) ||
		    pat.var[i].add != 0)
			return (-1);
		sp->var[sp->nvar].which = (enum scn_state_field)(which +
		    (pat.var[i].field == PKT_F_SPORT));
		snprintf(sp->var[sp->nvar].name, sizeof(sp->var[0].name), "%s",
		    pat.var[i].name);
		sp->nvar++;
	}
	return (0);
}

/* A state's endpoint: ADDR:PORT (ranges and `*` allowed), or a bare address; `$NAME`
 * for either (state_host_var). */
static int
state_host(struct scn_state_pat *sp, int which, const char *s, struct pkt_addr *a,
    struct pkt_range *r)
{
	if (strchr(s, '$') != NULL)
		return (state_host_var(sp, which, s, a, r));
	if (scn_hostport_parse(s, 1, a, r) == 0)
		return (0);
	memset(r, 0, sizeof(*r));
	return (pkt_addr_parse(s, a));
}

/* `expect [no] state PROTO A:P [(B:Q)] <-|-> C:R [SRC:DST]`, as pfctl -ss prints it
 * (`all` optional); w->w[first] is PROTO or `all`. */
static int
st_state(struct parser *p, struct words *w, struct scn_step *t, int first)
{
	struct scn_state_pat *sp = &t->state;
	struct pkt_addr scratch;
	struct pkt_range sr;
	char b[128], *colon;
	int i = first, n, names, k;

	if (i < w->n && strcmp(w->w[i], "all") == 0)
		i++;
	n = w->n - i;
	names = n > 0 && strchr(w->w[w->n - 1], ':') != NULL &&
	    isupper((unsigned char)w->w[w->n - 1][0]);
	n -= names;
	if ((n != 4 && n != 5) || (sp->proto = state_proto(w->w[i])) == -1)
		goto usage;
	for (k = i + 1; k < w->n; k++)
		if (strchr(w->w[k], '$') != NULL && state_host(sp, SCN_ST_A, w->w[k][0] == '(' ?
		    w->w[k] + 1 : w->w[k], &scratch, &sr) == -1 && w->w[k][0] != '(') {
			scn_perr(p, p->line, "expect %sstate: bad variable in \"%s\" (a whole "
			    "address or port: $NAME)", first == 3 ? "no " : "", w->w[k]);
			return (-1);
		}
	sp->nvar = 0;
	if (state_host(sp, SCN_ST_A, w->w[i + 1], &sp->a, &sp->ap) == -1)
		goto usage;
	i += 2;
	if (n == 5) {
		size_t l = strlen(w->w[i]);

		if (l < 3 || l >= sizeof(b) || w->w[i][0] != '(' || w->w[i][l - 1] != ')')
			goto usage;
		memcpy(b, w->w[i] + 1, l - 2);
		b[l - 2] = '\0';
		if (state_host(sp, SCN_ST_B, b, &sp->b, &sp->bp) == -1)
			goto usage;
		sp->has_b = 1;
		i++;
	}
	if (strcmp(w->w[i], "->") == 0)
		sp->dir_out = 1;
	else if (strcmp(w->w[i], "<-") != 0)
		goto usage;
	if (state_host(sp, SCN_ST_C, w->w[i + 1], &sp->c, &sp->cp) == -1)
		goto usage;
	if (names) {
		colon = strchr(w->w[w->n - 1], ':');
		snprintf(sp->sstate, sizeof(sp->sstate), "%.*s",
		    (int)(colon - w->w[w->n - 1]), w->w[w->n - 1]);
		snprintf(sp->dstate, sizeof(sp->dstate), "%s", colon + 1);
	}
	return (0);
usage:
	scn_perr(p, p->line, "usage: expect %sstate PROTO A:P [(B:Q)] <-|-> C:R "
	    "[SRC:DST]", first == 3 ? "no " : "");
	return (-1);
}

static const char *const outcomes[] = { "ok", "refused", "timeout", "failed",
    "unreachable" };

/* The `expect ...` forms of a step. */
static int
st_expect(struct parser *p, const char *st, struct words *w, struct scn_step *t,
    char *jail, const char **next)
{
	const char *k = w->n > 1 ? w->w[1] : "", *k2 = w->n > 2 ? w->w[2] : "";
	char err[256], *text;
	size_t i;
	int rc;

	if (strcmp(k, "reply") == 0 || strcmp(k, "wire") == 0) {
		t->kind = k[0] == 'r' ? SCN_EXPECT_REPLY : SCN_EXPECT_WIRE;
		if ((text = scn_packet_text(p, scn_after_words(st, 2), next)) == NULL) {
			scn_perr(p, t->line, "out of memory");
			return (-1);
		}
		if ((rc = pkt_pat_parse(text, &t->pat, err, sizeof(err))) == -1)
			scn_perr(p, t->line, "bad packet: %s", err);
		else
			scn_step_text(t, st, 2, text);
		free(text);
		return (rc);
	}
	if (strcmp(k, "no") == 0 && w->n == 3 &&
	    (strcmp(k2, "reply") == 0 || strcmp(k2, "wire") == 0)) {
		t->kind = k2[0] == 'r' ? SCN_EXPECT_NO_REPLY : SCN_EXPECT_NO_WIRE;
		return (0);
	}
	if (strcmp(k, "delivered") == 0) {
		t->kind = SCN_EXPECT_DELIVERED;
		return (st_delivered(p, w, t, jail));
	}
	if (strcmp(k, "not") == 0 && w->n == 3 && strcmp(k2, "delivered") == 0) {
		t->kind = SCN_EXPECT_NOT_DELIVERED;
		return (0);
	}
	if (strcmp(k, "connect") == 0 && w->n == 3) {
		t->kind = SCN_EXPECT_CONNECT;
		for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
			if (strcmp(k2, outcomes[i]) == 0) {
				t->outcome = (enum scn_outcome)i;
				return (0);
			}
	}
	if (strcmp(k, "state") == 0) {
		t->kind = SCN_EXPECT_STATE;
		return (st_state(p, w, t, 2));
	}
	if (strcmp(k, "no") == 0 && strcmp(k2, "state") == 0) {
		t->kind = SCN_EXPECT_NO_STATE;
		return (st_state(p, w, t, 3));
	}
	scn_perr(p, p->line, "unknown expectation \"%s\" (reply, no reply, wire, no wire, "
	    "delivered, not delivered, connect ok|refused|timeout|failed|unreachable, "
	    "state, no state, table, counter, rule, src-node, pfctl, load error)",
	    scn_after_words(st, 1));
	return (-1);
}

void
scn_step(struct parser *p, const char *st, struct words *w, const char **next)
{
	struct scn_step *ns, *t;
	char err[256], jail[SCN_NAME_MAX] = "", *text = NULL;
	const char *k = w->w[0];
	int rc, k0;

	if (p->probe == NULL || p->probe->control) {
		scn_perr(p, p->line, "indented \"%s\" outside a probe", k);
		return;
	}
	if ((ns = scn_grow(p->probe->step, &p->probe->nstep, sizeof(*ns))) == NULL) {
		scn_perr(p, p->line, "out of memory");
		return;
	}
	p->probe->step = ns;
	t = &ns[p->probe->nstep - 1];
	t->line = p->line;
	t->jail = -1;
	t->text = strdup(st);
	t->wire = -1;
	if (strcmp(k, "send") == 0) {
		t->kind = SCN_SEND;
		rc = -1;
		if ((k0 = scn_wstep_send(p, w, t)) == -1)
			;
		else if ((text = scn_packet_text(p, scn_after_words(st, k0), next)) == NULL)
			scn_perr(p, t->line, "out of memory");
		else if ((rc = pkt_parse(text, &t->pkt, err, sizeof(err))) == -1)
			scn_perr(p, t->line, "bad packet: %s", err);
		else
			scn_step_text(t, st, k0, text);
		free(text);
	} else if (strcmp(k, "connect") == 0) {
		t->kind = SCN_CONNECT;
		if ((rc = scn_wstep_connect(p, w, t, jail)) == 1 &&
		    (rc = st_connect(p, w, t)) == 0)
			snprintf(jail, sizeof(jail), "%s", w->w[1]);
	} else if (strcmp(k, "expect") == 0) {
		if ((rc = scn_ctl_expect(p, st, w, t, next)) == 1 &&
		    (rc = scn_wstep_expect(p, st, w, t, jail, next)) == 1)
			rc = st_expect(p, st, w, t, jail, next);
	} else if ((rc = scn_ctl_step(p, w, t, next)) == 1) {
		scn_perr(p, p->line, "unknown probe step \"%s\" (send, connect, pfctl, "
		    "sysctl, wait, expect)", k);
		rc = -1;
	}
	if (rc == -1) {
		/* Gone, so that the checks of scn_validate do not add noise about it. */
		free(t->text);
		scn_ctl_free(t);
		p->probe->nstep--;
	} else if (jail[0] != '\0')
		pend(p, jail);
}

void
scn_control(struct parser *p, const char *st, struct words *w, const char **next)
{
	struct scn *s = p->s;
	struct scn_probe *np;
	const char *end;

	if ((np = scn_grow(s->probe, &s->nprobe, sizeof(*np))) == NULL) {
		scn_perr(p, p->line, "out of memory");
		return;
	}
	s->probe = np;
	p->probe = &np[s->nprobe - 1];
	p->probe->line = p->line;
	/* the title: the statement as written, up to its <<EOF */
	end = strstr(st, "<<");
	p->probe->title = strndup(st, end != NULL ? (size_t)(end - st) : strlen(st));
	if (p->probe->title != NULL)
		for (end = p->probe->title + strlen(p->probe->title); end >
		    p->probe->title && end[-1] == ' '; end--)
			p->probe->title[end - p->probe->title - 1] = '\0';
	scn_step(p, st, w, next);
	p->probe->control = 1;
	if (p->probe->nstep == 0) {	/* the step had an error: no empty probe */
		free(p->probe->title);
		free(p->probe->step);
		memset(p->probe, 0, sizeof(*p->probe));
		s->nprobe--;
	}
	p->probe = NULL;
}

static int
is_client(const struct scn *s, const struct pkt_addr *a)
{
	int i;

	for (i = 0; i < s->nclient; i++)
		if (pkt_addr_eq(&s->client[i].addr, a))
			return (1);
	return (0);
}

/* Steps that name a jail or the host: it exists, listens there, owns the source. */
static void
check_jails(struct parser *p)
{
	struct scn *s = p->s;
	int i;

	for (i = 0; i < p->npend; i++)
		scn_wstep_party(p, &s->probe[p->pend[i].probe].step[p->pend[i].step],
		    p->pend[i].name, p->pend[i].line);
}

/* 1 when an error was found on a line in [lo, hi). */
static int
errors_in(const struct parser *p, int lo, int hi)
{
	int i;

	for (i = 0; i < p->nerr; i++)
		if (p->err[i].line >= lo && p->err[i].line < hi)
			return (1);
	return (0);
}

/* Each probe: not empty, sends from clients, expectations that have a cause. */
static void
check_probes(struct parser *p)
{
	struct scn *s = p->s;
	struct scn_step *t;
	char a[64];
	int i, k, sent, connected;

	for (i = 0; i < s->nprobe; i++) {
		if (s->probe[i].nstep == 0 && !errors_in(p, s->probe[i].line,
		    i + 1 < s->nprobe ? s->probe[i + 1].line : p->line + 1))
			scn_perr(p, s->probe[i].line, "probe \"%s\" has no steps",
			    s->probe[i].title);
		sent = connected = 0;
		for (k = 0; k < s->probe[i].nstep; k++) {
			t = &s->probe[i].step[k];
			switch (t->kind) {
			case SCN_SEND:
				sent = 1;
				if (t->name == NULL && t->pkt.src.af != 0 &&
				    !is_client(s, &t->pkt.src))
					scn_perr(p, t->line, "send from %s, which is not a "
					    "declared client", pkt_addr_format(&t->pkt.src, a,
					    sizeof(a)));
				break;
			case SCN_CONNECT:
				connected = 1;
				break;
			case SCN_EXPECT_REPLY:
			case SCN_EXPECT_NO_REPLY:
				if (!sent)
					scn_perr(p, t->line, "a reply expected but nothing "
					    "was sent in this probe");
				break;
			case SCN_EXPECT_CONNECT:
				if (!connected)
					scn_perr(p, t->line, "a connect outcome expected but "
					    "this probe has no connect");
				break;
			case SCN_EXPECT_LOAD_ERROR:
				if (k == 0 || s->probe[i].step[k - 1].kind != SCN_PFCTL)
					scn_perr(p, t->line, "expect load error follows the "
					    "pfctl step whose load it checks");
				break;
			case SCN_PFCTL:
			case SCN_SYSCTL:
			case SCN_WAIT:
			case SCN_EXPECT_WIRE:
			case SCN_EXPECT_NO_WIRE:
			case SCN_EXPECT_DELIVERED:
			case SCN_EXPECT_NOT_DELIVERED:
			case SCN_EXPECT_STATE:
			case SCN_EXPECT_NO_STATE:
			case SCN_EXPECT_TABLE:
			case SCN_EXPECT_COUNTER:
			case SCN_EXPECT_RULE:
			case SCN_EXPECT_SRCNODE:
			case SCN_EXPECT_VIEW:
				break;
			}
		}
	}
}

/* A variable met so far in the file: where it is first bound, and what it holds. */
struct var_seen {
	char		name[PKT_VAR_NAME];
	int		line, is_addr;
};

/* One use of variable `name` for field `what`: an expectation's (binds) or a send's
 * (needs it bound). */
static void
var_use(struct parser *p, struct var_seen *seen, int *nseen, const char *name,
    int is_addr, const char *what, int line, int binds)
{
	int i;

	for (i = 0; i < *nseen; i++)
		if (strcmp(seen[i].name, name) == 0)
			break;
	if (i == *nseen) {
		if (!binds) {
			scn_perr(p, line, "$%s is not bound: no expectation before this step "
			    "names it", name);
			return;
		}
		if (*nseen == PKT_VARS_MAX) {
			scn_perr(p, line, "more than %d variables", PKT_VARS_MAX);
			return;
		}
		snprintf(seen[i].name, sizeof(seen[i].name), "%s", name);
		seen[i].line = line;
		seen[i].is_addr = is_addr;
		(*nseen)++;
		return;
	}
	if (seen[i].is_addr != is_addr)
		scn_perr(p, line, "$%s holds %s (bound at line %d); %s needs %s", name,
		    seen[i].is_addr ? "an address" : "a number", seen[i].line, what,
		    is_addr ? "an address" : "a number");
}

/* Variables in file order: a send's must be bound by an expectation before it, and a
 * variable holds an address or a number, not both. */
static void
check_vars(struct parser *p)
{
	struct scn *s = p->s;
	struct var_seen seen[PKT_VARS_MAX];
	const struct scn_step *t;
	int i, k, v, nseen = 0;

	for (i = 0; i < s->nprobe; i++)
		for (k = 0; k < s->probe[i].nstep; k++) {
			t = &s->probe[i].step[k];
			if (t->kind == SCN_SEND)
				for (v = 0; v < t->pkt.nvar; v++)
					var_use(p, seen, &nseen, t->pkt.var[v].name,
					    pkt_field_is_addr(t->pkt.var[v].field),
					    pkt_field_name(t->pkt.var[v].field, t->pkt.proto),
					    t->line, 0);
			else if (t->kind == SCN_EXPECT_REPLY || t->kind == SCN_EXPECT_WIRE)
				for (v = 0; v < t->pat.nvar; v++)
					var_use(p, seen, &nseen, t->pat.var[v].name,
					    pkt_field_is_addr(t->pat.var[v].field),
					    pkt_field_name(t->pat.var[v].field, t->pat.proto),
					    t->line, 1);
			else if (t->kind == SCN_EXPECT_STATE ||
			    t->kind == SCN_EXPECT_NO_STATE)
				/* `no state` matches nothing, so it binds nothing */
				for (v = 0; v < t->state.nvar; v++)
					var_use(p, seen, &nseen, t->state.var[v].name,
					    t->state.var[v].which % 2 == 0, t->state.var[v].which
					    % 2 == 0 ? "a state's address" : "a state's port",
					    t->line, t->kind == SCN_EXPECT_STATE);
		}
}

void
scn_validate(struct parser *p)
{
	scn_world_validate(p);
	if (!p->pf_seen && !p->world_only)
		scn_perr(p, 0, "no ruleset (`pf <<EOF` or `pf file PATH`)");
	check_jails(p);
	scn_wstep_wires(p);
	check_probes(p);
	check_vars(p);
}
