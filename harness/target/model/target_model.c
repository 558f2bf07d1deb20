/* target_model.c: the `model` target: a scenario against the pf model in-process, with a
 * simulated host stack (the jails' sinks, the host's services), the VNET jails' own
 * stacks, and the clients on simulated wires. */
/*
 * The host is FreeBSD as the scenario describes it (target/pfhost.c): every external
 * interface with its addresses, lo0, the jails' loopback holding every loopback jail's
 * address as a /32 (/128) alias as jail.conf's ip4.addr does, the bridges and the VNET
 * jails' epairs. Everything is synchronous: `send` and `jail_connect` push a packet into
 * a FIFO and run it to quiet (bounded by TM_HOPS_MAX), one simulated millisecond per
 * hop; `settle` has nothing left to wait for, and a connect still pending then is a
 * timeout. The packet path is target_model_path.c's.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target_model_impl.h"
#include "target/pfhost.h"
#include "target/pfmctl.h"

static void tm_down(struct target *);

/* Close every wire's pcap. */
static void
tm_pcap_close(struct target *t)
{
	int w;

	for (w = 0; t->pcap != NULL && w < t->scn->niface; w++) {
		(void)wire_pcap_close(t->pcap[w]);
		t->pcap[w] = NULL;
	}
}

/* Every stack of the world, one by one: the host's, then each VNET jail's. */
static struct hoststack *
tm_stack(struct target *t, int i)
{
	if (i == 0)
		return (t->hs);
	return (i - 1 < t->scn->njail ? t->vnet[i - 1] : NULL);
}

static int
tm_up(struct target **tp, const struct scn *s, const struct target_opts *o,
    struct diag *d)
{
	struct pfm_host h;
	struct target *t;
	struct timeval tv;
	int j;

	*tp = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->queue = calloc(TM_QUEUE_MAX, sizeof(*t->queue))) == NULL) {
		free(t);
		diag_add(d, s->path, 0, "model: out of memory");
		return (-1);
	}
	t->scn = s;
	t->services = o != NULL ? o->services : NULL;
	t->now_ms = 1;
	gettimeofday(&tv, NULL);
	t->wall0_us = (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
	t->fwd4 = scn_forwarding(s, AF_INET);
	t->fwd6 = scn_forwarding(s, AF_INET6);
	if (target_pfhost(s, &h, t->jail_if, d) == -1) {
		tm_down(t);
		return (-1);
	}
	if ((t->pf = pfm_new(&h)) == NULL || (t->cl = client_new(s)) == NULL ||
	    (t->hs = hoststack_new(s, tm_stack_emit, t)) == NULL ||
	    (t->vnet = calloc((size_t)s->njail + 1, sizeof(*t->vnet))) == NULL ||
	    (t->varg = calloc((size_t)s->njail + 1, sizeof(*t->varg))) == NULL ||
	    (t->pcap = calloc((size_t)s->niface + 1, sizeof(*t->pcap))) == NULL ||
	    (t->taken = calloc((size_t)s->njail + 1, sizeof(*t->taken))) == NULL) {
		diag_add(d, s->path, 0, "model: out of memory");
		tm_down(t);
		return (-1);
	}
	/* pf's time_second: the wall clock as the model came up */
	pfm_set_wallclock(t->pf, t->now_ms, (int64_t)(t->wall0_us / 1000));
	for (j = 0; j < s->njail; j++) {
		if (s->jail[j].kind != SCN_JAIL_VNET)
			continue;
		t->varg[j].t = t;
		t->varg[j].jail = j;
		if ((t->vnet[j] = hoststack_new_vnet(s, j, tm_vnet_emit,
		    &t->varg[j])) == NULL) {
			diag_add(d, s->path, 0, "model: out of memory");
			tm_down(t);
			return (-1);
		}
	}
	*tp = t;
	return (0);
}

static void
tm_down(struct target *t)
{
	int j;

	if (t == NULL)
		return;
	tm_pcap_close(t);
	pfm_free(t->pf);
	client_free(t->cl);
	hoststack_free(t->hs);
	for (j = 0; t->vnet != NULL && j < t->scn->njail; j++)
		hoststack_free(t->vnet[j]);
	free(t->vnet);
	free(t->varg);
	free(t->pcap);
	free(t->taken);
	free(t->frame);
	free(t->deliv);
	free(t->queue);
	free(t);
}

static int
tm_load_rules(struct target *t, const struct scn *s, struct diag *d)
{
	struct pfm_load_opts lo;
	struct pfm_define *def = NULL;
	char *dir = NULL, *slash;
	int i, rv = 0;

	for (i = 0; i < s->nsysctl; i++)
		if (!scn_sysctl_is_host(s->sysctl[i].name) &&
		    pfm_sysctl(t->pf, s->sysctl[i].name, s->sysctl[i].value) == -1) {
			diag_add(d, s->path, s->sysctl[i].line,
			    "sysctl %s=%s: unknown to the pf model", s->sysctl[i].name,
			    s->sysctl[i].value);
			return (-1);
		}
	if (s->ndefine > 0 && (def = calloc(s->ndefine, sizeof(*def))) == NULL) {
		diag_add(d, s->path, 0, "model: out of memory");
		return (-1);
	}
	for (i = 0; i < s->ndefine; i++) {
		def[i].name = s->define[i].name;
		def[i].value = s->define[i].value;
	}
	memset(&lo, 0, sizeof(lo));
	lo.file = s->pf_file != NULL ? s->pf_file : s->path;
	lo.line0 = s->pf_line0;
	lo.define = def;
	lo.ndefine = s->ndefine;
	lo.services = t->services;
	lo.freebsd = s->freebsd;
	if (s->path != NULL && (dir = strdup(s->path)) != NULL &&
	    (slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		lo.basedir = dir;
	}
	if (pfm_load(t->pf, s->pf_text != NULL ? s->pf_text : "", &lo, d) == -1)
		rv = 1;
	free(dir);
	free(def);
	return (rv);
}

static int
tm_start_sink(struct target *t, const struct scn *s, struct diag *d)
{
	int i;

	(void)s;
	(void)d;
	for (i = 0; i <= t->scn->njail; i++)
		if (tm_stack(t, i) != NULL)
			hoststack_listen(tm_stack(t, i), 1);
	return (0);
}

/* The pcap of wire w: path for the primary, path with "-IFNAME" before ".pcap" for
 * the others. */
static int
tm_pcap_open(struct target *t, const char *path, struct diag *d)
{
	char p[1300], err[512];
	size_t n = strlen(path);
	int w;

	for (w = 0; w < t->scn->niface; w++) {
		if (w == 0)
			snprintf(p, sizeof(p), "%s", path);
		else if (n > 5 && strcmp(path + n - 5, ".pcap") == 0)
			snprintf(p, sizeof(p), "%.*s-%s.pcap", (int)(n - 5), path,
			    t->scn->iface[w].name);
		else
			snprintf(p, sizeof(p), "%s-%s", path, t->scn->iface[w].name);
		if ((t->pcap[w] = wire_pcap_open(p, err, sizeof(err))) == NULL) {
			diag_add(d, NULL, 0, "%s", err);
			return (-1);
		}
	}
	return (0);
}

static int
tm_probe_begin(struct target *t, const char *pcap_path, struct diag *d)
{
	int i;

	tm_pcap_close(t);
	t->nframe = 0;
	t->connected = 0;
	t->conn_hs = NULL;
	for (i = 0; i <= t->scn->njail; i++) {
		if (tm_stack(t, i) != NULL)
			hoststack_probe_begin(tm_stack(t, i));
		t->taken[i] = 0;
	}
	t->ndeliv = 0;
	if (pcap_path != NULL)
		return (tm_pcap_open(t, pcap_path, d));
	return (0);
}

static void
tm_probe_end(struct target *t)
{
	tm_pcap_close(t);
}

static int
tm_send_on(struct target *t, int wire, const struct pkt *p, struct diag *d)
{
	if (wire < 0 || wire >= t->scn->niface) {
		diag_add(d, t->scn->path, 0, "model: no wire %d", wire);
		return (-1);
	}
	client_sent(t->cl, p);
	if (p->frag)
		tm_emit_frags(t, wire, p);
	else
		tm_emit(t, TM_FROM_WIRE, wire, -1, p);
	return (tm_run(t, d));
}

static int
tm_send(struct target *t, const struct pkt *p, struct diag *d)
{
	return (tm_send_on(t, 0, p, d));
}

static int
tm_jail_connect(struct target *t, int jail, int proto, const struct pkt_addr *dst,
    uint16_t dport, const struct pkt_addr *from, uint16_t fromport, struct diag *d)
{
	struct hoststack *hs = t->hs;
	struct tm_rt rt;

	if (jail >= 0 && jail < t->scn->njail && t->vnet[jail] != NULL)
		hs = t->vnet[jail];
	if (jail == SCN_HOST && (from == NULL || from->af == 0)) {
		/* the host's socket takes its route's source (in_pcbladdr) */
		tm_route(t, dst, &rt);
		from = &rt.src;
	}
	if (hoststack_connect(hs, jail, proto, dst, dport, from, fromport) == -1) {
		diag_add(d, t->scn->path, 0, "model: connect: bad jail or protocol");
		return (-1);
	}
	t->connected = 1;
	t->conn_hs = hs;
	return (tm_run(t, d));
}

static int
tm_settle(struct target *t, int timeout_ms, struct diag *d)
{
	(void)timeout_ms;
	return (tm_run(t, d));
}

static const struct target_frame *
tm_frames(struct target *t, int *n)
{
	*n = t->nframe;
	return (t->frame);
}

/* Every stack's deliveries, gathered: what each stack recorded since the last call is
 * appended, so what was returned before stays a prefix (the runner counts on it). */
static const struct target_delivery *
tm_deliveries(struct target *t, int *n)
{
	const struct target_delivery *dv;
	struct target_delivery *nd;
	int i, k, add;

	for (i = 0; i <= t->scn->njail; i++) {
		if (tm_stack(t, i) == NULL)
			continue;
		dv = hoststack_deliveries(tm_stack(t, i), &k);
		if ((add = k - t->taken[i]) <= 0)
			continue;
		if (t->ndeliv + add > t->cdeliv) {
			if ((nd = realloc(t->deliv, (size_t)(t->ndeliv + add) *
			    sizeof(*nd))) == NULL)
				break;
			t->deliv = nd;
			t->cdeliv = t->ndeliv + add;
		}
		memcpy(t->deliv + t->ndeliv, dv + t->taken[i], (size_t)add * sizeof(*dv));
		t->ndeliv += add;
		t->taken[i] = k;
	}
	*n = t->ndeliv;
	return (t->deliv);
}

static int
tm_connect_outcome(struct target *t)
{
	int o = t->conn_hs != NULL ? hoststack_outcome(t->conn_hs) : -1;

	/* Everything has happened already: a connect still pending gets no answer. */
	return (o == -1 && t->connected ? SCN_CONN_TIMEOUT : o);
}

enum tm_show { TM_SHOW_STATES, TM_SHOW_INFO, TM_SHOW_RULES, TM_SHOW_NAT };

static char *
tm_show(struct target *t, enum tm_show what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return (NULL);
	switch (what) {
	case TM_SHOW_STATES:
		pfm_show_states(t->pf, f);
		break;
	case TM_SHOW_INFO:
		pfm_show_info(t->pf, f);
		break;
	case TM_SHOW_RULES:
		pfm_show_rules(t->pf, f, 1);
		break;
	case TM_SHOW_NAT:
		pfm_show_nat(t->pf, f, 1);
		break;
	}
	if (fclose(f) != 0) {
		free(buf);
		return (NULL);
	}
	return (buf);
}

static char *
tm_states(struct target *t)
{
	return (tm_show(t, TM_SHOW_STATES));
}

static char *
tm_counters(struct target *t)
{
	return (tm_show(t, TM_SHOW_INFO));
}

static char *
tm_rules(struct target *t)
{
	return (tm_show(t, TM_SHOW_RULES));
}

static int
tm_pfctl(struct target *t, const struct scn_pfctl *c, struct target_pfctl *r,
    struct diag *d)
{
	return (pfmctl_run(t->pf, c, t->scn, t->services, t->now_ms, r, d));
}

static int
tm_sysctl(struct target *t, const char *name, const char *value, struct diag *d)
{
	if (strcmp(name, "net.inet.ip.forwarding") == 0) {
		t->fwd4 = strcmp(value, "0") != 0;
		return (0);
	}
	if (strcmp(name, "net.inet6.ip6.forwarding") == 0) {
		t->fwd6 = strcmp(value, "0") != 0;
		return (0);
	}
	if (pfm_sysctl(t->pf, name, value) == 0)
		return (0);
	diag_add(d, t->scn->path, 0, "sysctl %s=%s: unknown to the pf model", name, value);
	return (-1);
}

/* pf's clock runs on: states and source nodes time out as in ms of real time. */
static int
tm_wait(struct target *t, uint64_t ms, struct diag *d)
{
	(void)d;
	t->now_ms += ms;
	pfm_expire(t->pf, t->now_ms);	/* what pf's purge thread removes meanwhile */
	return (0);
}

static char *
tm_nat(struct target *t)
{
	return (tm_show(t, TM_SHOW_NAT));
}

const struct target_ops target_model_ops = {
	.name = "model",
	.up = tm_up,
	.down = tm_down,
	.load_rules = tm_load_rules,
	.start_sink = tm_start_sink,
	.probe_begin = tm_probe_begin,
	.probe_end = tm_probe_end,
	.send = tm_send,
	.send_on = tm_send_on,
	.jail_connect = tm_jail_connect,
	.settle = tm_settle,
	.frames = tm_frames,
	.deliveries = tm_deliveries,
	.connect_outcome = tm_connect_outcome,
	.pfctl = tm_pfctl,
	.sysctl = tm_sysctl,
	.wait = tm_wait,
	.states = tm_states,
	.counters = tm_counters,
	.rules = tm_rules,
	.nat = tm_nat,
	.cleanup_stale = NULL,
	.interrupt = NULL,
};
