/* target_linux.c: the linux target: the scenario's world in network namespaces, pf
 * modelled by the NFQUEUE hook, the jails' and the host's services in the sink, the
 * wires by wire.c. */
/*
 * The world. A run makes the namespaces <prefix><pid>h (the host), <prefix><pid>w (the
 * wires) and <prefix><pid>j<N> for each VNET jail. A veth pair per external interface
 * joins the first two: its host end is named as the scenario's interface (em0, em1...)
 * and holds its addresses (and the public jails'), the first interface a default route
 * via the gateway; its wire end (wire0, wire1...) has no address: the harness injects
 * and captures there. The loopback jails' addresses sit on a bridge named as the
 * scenario's loopback (lo1). Each `bridge` is a Linux bridge with the host's address;
 * a VNET jail's epair<N>a is its member, epair<N>b (in the jail's namespace) holds the
 * jail's address and a default route via its gateway. Linux conntrack is
 * off (raw CT --notrack); mangle PREROUTING and POSTROUTING queue every packet (lo
 * included) to the hook thread (nfq.c), which runs pf_test of the model: PREROUTING is
 * `in on <input interface>`, POSTROUTING `out on <output interface>`, and Linux's lo is
 * named as FreeBSD would name it (lo1 towards the jails' network, lo0 otherwise); INPUT
 * is queued too, for net.pf.filter_local=1 (`in on lo0` once more on local delivery).
 * Bridged frames skip iptables (bridge-nf-call-iptables=0): what the host receives from
 * a VNET jail is `in on BRIDGE`, what it routes to one `out on BRIDGE`. The gateways,
 * the on-link clients and the routes' next hops are static neighbours with the wire's
 * MAC, each router with its own, so the host never waits on ARP. The services are one
 * forked process (sink.c) whose sockets are bound to the jails' and the host's
 * addresses, each made in the namespace it belongs to.
 *
 * The sentinel that ends a probe without a fixed sleep: target_linux_settle.c.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "target/client.h"
#include "netns.h"
#include "nfq.h"
#include "target/obs.h"
#include "pf/pfm.h"
#include "target/pfhost.h"
#include "target/sink.h"
#include "target/target.h"
#include "target_linux_impl.h"
#include "wire/wire.h"

static void tl_down(struct target *);

/* Keep the injecting thread on the hook thread's CPU (the sentinel's ordering). */
static int
tl_pin(struct target *t)
{
	cpu_set_t set;
	int cpu;

	if ((cpu = sched_getcpu()) < 0 ||
	    sched_getaffinity(0, sizeof(t->oldcpu), &t->oldcpu) == -1)
		return (-1);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == -1)
		return (-1);
	t->pinned = 1;
	return (cpu);
}

/* The sentinel's echo request and reply (an Ethernet frame, no VLAN tag) stay out of the
 * probes' pcaps: they are the harness's bookkeeping, not the probe's traffic. */
static int
tl_dump_skip(const uint8_t *f, size_t len)
{
	return (len > 14 && ((f[12] == 0x08 && f[13] == 0x00) ||
	    (f[12] == 0x86 && f[13] == 0xdd)) && nfq_is_sentinel(f + 14, len - 14));
}

/* A wire per external interface, its neighbours, and the poll array. 0, or -1 with d. */
static int
tl_wires_open(struct target *t, struct diag *d)
{
	const struct scn *s = t->scn;
	struct tl_wire *w;
	char err[1024], wn[16];
	int i;

	if ((t->wire = calloc((size_t)s->niface + 1, sizeof(*t->wire))) == NULL ||
	    (t->pfd = calloc((size_t)s->niface + 3, sizeof(*t->pfd))) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		return (-1);
	}
	for (i = 0; i < s->niface; i++) {
		w = &t->wire[i];
		t->nwire++;
		netns_macs(i, w->host_mac, w->mac);
		netns_wire_if(i, wn);
		if ((w->w = wire_open(t->wirens, wn, err, sizeof(err))) == NULL) {
			diag_add(d, NULL, 0, "linux: the wire of %s: %s", s->iface[i].name,
			    err);
			return (-1);
		}
		wire_dump_skip(w->w, tl_dump_skip);
		if ((w->nb = tw_neighbours_on(s, i, &w->nnb)) == NULL) {
			diag_add(d, NULL, 0, "out of memory");
			return (-1);
		}
	}
	return (0);
}

static int
tl_up(struct target **tp, const struct scn *s, const struct target_opts *o, struct diag *d)
{
	struct target *t;
	struct nfq_opts no;
	const char *prefix = o->prefix != NULL ? o->prefix : "pfh";
	char err[1024], jail_if[PFM_IFNAMSIZ];
	int cpu, i;

	*tp = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		return (-1);
	}
	t->scn = s;
	t->intr[0] = t->intr[1] = -1;
	t->conn.outcome = -1;
	if (o->services != NULL) {
		snprintf(t->services, sizeof(t->services), "%s", o->services);
		t->has_services = 1;
	}
	snprintf(t->hostns, sizeof(t->hostns), "%s%ldh", prefix, (long)getpid());
	snprintf(t->wirens, sizeof(t->wirens), "%s%ldw", prefix, (long)getpid());
	if (pipe2(t->intr, O_CLOEXEC | O_NONBLOCK) == -1) {
		diag_add(d, NULL, 0, "pipe: %s", strerror(errno));
		goto fail;
	}
	if (netns_check_names(s, err, sizeof(err)) == -1) {
		diag_raw(d, err);
		goto fail;
	}
	if (target_pfhost(s, &t->host, jail_if, d) == -1)
		goto fail;
	if ((t->jailns = calloc((size_t)s->njail + 1, sizeof(*t->jailns))) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		goto fail;
	}
	for (i = 0; i < s->njail; i++)
		if (s->jail[i].kind == SCN_JAIL_VNET)
			netns_jail_name(t->hostns, s, i, t->jailns[i]);
	t->built = 1;
	if (netns_build(t->hostns, t->wirens, s, err, sizeof(err)) == -1) {
		diag_add(d, NULL, 0, "linux: building the namespaces: %s", err);
		goto fail;
	}
	cpu = tl_pin(t);
	memset(&no, 0, sizeof(no));
	no.netns = t->hostns;
	no.queue = NETNS_QUEUE;
	no.mark_skip = NETNS_MARK_SKIP;
	no.lo_if = s->lo_if;
	no.lo_net = s->lo_net;
	no.lo_plen = s->lo_plen;
	no.cpu = cpu;
	if ((t->nfq = nfq_start(&no, NULL, err, sizeof(err))) == NULL) {
		diag_add(d, NULL, 0, "linux: the NFQUEUE hook: %s", err);
		goto fail;
	}
	if (tl_wires_open(t, d) == -1)
		goto fail;
	if ((t->cs = client_new(s)) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		goto fail;
	}
	*tp = t;
	return (0);
fail:
	tl_down(t);
	return (-1);
}

static void
tl_down(struct target *t)
{
	int i;

	if (t == NULL)
		return;
	sink_stop(t->sink);
	nfq_stop(t->nfq);
	for (i = 0; i < t->nwire; i++) {
		wire_close(t->wire[i].w);
		free(t->wire[i].nb);
	}
	if (t->built) {
		(void)netns_delete(t->hostns);
		(void)netns_delete(t->wirens);
		for (i = 0; i < t->scn->njail; i++)
			if (t->jailns[i][0] != '\0')
				(void)netns_delete(t->jailns[i]);
	}
	free(t->wire);
	free(t->pfd);
	free(t->jailns);
	pfm_free(t->pf);
	client_free(t->cs);
	if (t->pinned)
		(void)sched_setaffinity(0, sizeof(t->oldcpu), &t->oldcpu);
	if (t->intr[0] != -1)
		close(t->intr[0]);
	if (t->intr[1] != -1)
		close(t->intr[1]);
	obs_free(&t->obs);
	free(t);
}

static int
tl_load_rules(struct target *t, const struct scn *s, struct diag *d)
{
	struct pfm_define *def = NULL;
	struct pfm_load_opts lo;
	struct pfm *pf, *old;
	struct timespec ts;
	char *dir = NULL;
	int i, rc = -1;

	if ((pf = pfm_new(&t->host)) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		return (-1);
	}
	/* pf's time_second: the wall clock against the clock the hook runs pf on */
	clock_gettime(CLOCK_REALTIME, &ts);
	pfm_set_wallclock(pf, nfq_pf_now(t->nfq), (int64_t)ts.tv_sec * 1000 +
	    ts.tv_nsec / 1000000);
	for (i = 0; i < s->nsysctl; i++)
		if (!scn_sysctl_is_host(s->sysctl[i].name) &&
		    pfm_sysctl(pf, s->sysctl[i].name, s->sysctl[i].value) == -1) {
			diag_add(d, s->path, s->sysctl[i].line, "unknown sysctl %s",
			    s->sysctl[i].name);
			goto out;
		}
	if (s->ndefine > 0 && (def = calloc(s->ndefine, sizeof(*def))) == NULL)
		goto out;
	for (i = 0; i < s->ndefine; i++) {
		def[i].name = s->define[i].name;
		def[i].value = s->define[i].value;
	}
	if ((dir = strdup(s->path != NULL ? s->path : ".")) == NULL)
		goto out;
	memset(&lo, 0, sizeof(lo));
	lo.file = s->pf_file != NULL ? s->pf_file : s->path;
	lo.line0 = s->pf_line0;
	lo.define = def;
	lo.ndefine = s->ndefine;
	lo.services = t->has_services ? t->services : NULL;
	lo.basedir = dirname(dir);
	lo.freebsd = s->freebsd;
	if (pfm_load(pf, s->pf_text != NULL ? s->pf_text : "", &lo, d) == -1) {
		rc = 1;
		goto out;
	}
	old = nfq_set_pf(t->nfq, pf);
	pfm_free(old);
	t->pf = pf;
	pf = NULL;
	rc = 0;
out:
	pfm_free(pf);
	free(def);
	free(dir);
	return (rc);
}

static int
tl_start_sink(struct target *t, const struct scn *s, struct diag *d)
{
	char err[1024];

	if ((t->sink = sink_start_world(t->hostns, (const char (*)[64])t->jailns, s, err,
	    sizeof(err))) == NULL) {
		diag_raw(d, err);
		return (-1);
	}
	return (0);
}


static int
tl_probe_begin(struct target *t, const char *pcap_path, struct diag *d)
{
	char err[512], path[1300];
	size_t n;
	int i;

	(void)tl_sink_reports(t, 0);
	obs_clear(&t->obs);
	t->conn.seq = 0;
	t->conn.started = 0;
	t->conn.outcome = -1;
	for (i = 0; i < t->nwire; i++) {
		(void)wire_drain(t->wire[i].w);
		wire_dump_close(t->wire[i].w);
		if (pcap_path == NULL)
			continue;
		/* the primary's pcap as named; the others' with "-IFNAME" */
		n = strlen(pcap_path);
		if (i == 0)
			snprintf(path, sizeof(path), "%s", pcap_path);
		else if (n > 5 && strcmp(pcap_path + n - 5, ".pcap") == 0)
			snprintf(path, sizeof(path), "%.*s-%s.pcap", (int)(n - 5), pcap_path,
			    t->scn->iface[i].name);
		else
			snprintf(path, sizeof(path), "%s-%s", pcap_path, t->scn->iface[i].name);
		if (wire_dump_open(t->wire[i].w, path, err, sizeof(err)) == -1) {
			diag_add(d, NULL, 0, "linux: %s", err);
			return (-1);
		}
	}
	return (0);
}

static void
tl_probe_end(struct target *t)
{
	int i;

	for (i = 0; i < t->nwire; i++)
		wire_dump_close(t->wire[i].w);
}

static int
tl_send_on(struct target *t, int wire, const struct pkt *p, struct diag *d)
{
	if (wire < 0 || wire >= t->nwire) {
		diag_add(d, NULL, 0, "linux: no wire %d", wire);
		return (-1);
	}
	client_sent(t->cs, p);
	return (tl_inject(t, wire, p, d));
}

static int
tl_send(struct target *t, const struct pkt *p, struct diag *d)
{
	return (tl_send_on(t, 0, p, d));
}

static int
tl_jail_connect(struct target *t, int jail, int proto, const struct pkt_addr *dst,
    uint16_t dport, const struct pkt_addr *from, uint16_t fromport, struct diag *d)
{
	if (t->sink == NULL) {
		diag_add(d, NULL, 0, "linux: connect before the sink started");
		return (-1);
	}
	t->conn.seq = ++t->seq;
	t->conn_proto = proto;
	t->conn.started = 0;
	t->conn_drops = nfq_local_drops(t->nfq);
	t->conn.outcome = -1;
	if (sink_connect(t->sink, t->conn.seq, jail, proto, dst, dport, from, fromport,
	    TL_CONNECT_MS) == -1) {
		diag_add(d, NULL, 0, "linux: the sink is gone");
		return (-1);
	}
	return (0);
}

static const struct target_frame *
tl_frames(struct target *t, int *n)
{
	*n = t->obs.nframe;
	return (t->obs.frame);
}

static const struct target_delivery *
tl_deliveries(struct target *t, int *n)
{
	*n = t->obs.ndeliv;
	return (t->obs.deliv);
}

static int
tl_connect_outcome(struct target *t)
{
	return (t->conn.outcome);
}

static char *
tl_show(struct target *t, void (*fn)(struct nfq *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return (NULL);
	fn(t->nfq, f);
	if (fclose(f) != 0) {
		free(buf);
		return (NULL);
	}
	return (buf);
}

static char *
tl_states(struct target *t)
{
	return (tl_show(t, nfq_states));
}

static char *
tl_counters(struct target *t)
{
	return (tl_show(t, nfq_info));
}

static char *
tl_rules(struct target *t)
{
	return (tl_show(t, nfq_rules));
}

/* pfctl -sn -vv of the hook's pf, under its lock. */
static void
tl_nat_show(struct nfq *q, FILE *f)
{
	struct pfm *pf = nfq_pf_lock(q);

	if (pf != NULL)
		pfm_show_nat(pf, f, 1);
	nfq_pf_unlock(q);
}

static char *
tl_nat(struct target *t)
{
	return (tl_show(t, tl_nat_show));
}

static void
tl_cleanup_stale(const char *prefix)
{
	(void)netns_cleanup_stale(prefix != NULL ? prefix : "pfh");
}

/* From a signal handler: only a write to the self-pipe. */
static void
tl_interrupt(struct target *t)
{
	(void)!write(t->intr[1], "x", 1);
}

/* For `run --hold`: the namespaces and the wire as a command outside needs them. */
static char *
tl_hold_env(struct target *t)
{
	const uint8_t *w = netns_wire_mac, *h = netns_host_mac;
	char *s;

	if (asprintf(&s, "PFH_HOST_NS=%s\nPFH_WIRE_NS=%s\nPFH_WIRE_IF=%s\n"
	    "PFH_WIRE_MAC=%02x:%02x:%02x:%02x:%02x:%02x\n"
	    "PFH_HOST_MAC=%02x:%02x:%02x:%02x:%02x:%02x\n", t->hostns, t->wirens,
	    NETNS_WIRE_IF, w[0], w[1], w[2], w[3], w[4], w[5], h[0], h[1], h[2], h[3], h[4],
	    h[5]) == -1)
		return (NULL);
	return (s);
}

const struct target_ops target_linux_ops = {
	.name = "linux",
	.up = tl_up,
	.down = tl_down,
	.load_rules = tl_load_rules,
	.start_sink = tl_start_sink,
	.probe_begin = tl_probe_begin,
	.probe_end = tl_probe_end,
	.send = tl_send,
	.send_on = tl_send_on,
	.jail_connect = tl_jail_connect,
	.settle = tl_settle,
	.frames = tl_frames,
	.deliveries = tl_deliveries,
	.connect_outcome = tl_connect_outcome,
	.pfctl = tl_pfctl,
	.sysctl = tl_sysctl,
	.wait = tl_wait,
	.states = tl_states,
	.counters = tl_counters,
	.rules = tl_rules,
	.nat = tl_nat,
	.cleanup_stale = tl_cleanup_stale,
	.interrupt = tl_interrupt,
	.hold_env = tl_hold_env,
};
