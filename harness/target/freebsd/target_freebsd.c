/* target_freebsd.c: the freebsd target: the scenario's world built from real FreeBSD
 * parts (an epair per external interface, its b side a wire; a cloned loopback with
 * the jails' addresses, non-VNET jails; the world of format v2 in
 * target_freebsd_world.c; the kernel's pf), every object recorded and undone on every
 * exit path; the probes (wires, sink, settle) are in target_freebsd_probe.c, the
 * runtime steps (pfctl, sysctl, wait) in target_freebsd_ctl.c, the host's checks in
 * target_freebsd_host.c. */
/*
 * The sentinel: how settle knows that every synchronous answer to a probe's packets has
 * been seen, without a fixed sleep. FreeBSD has no hook in front of pf like the linux
 * target's NFQUEUE, so the sentinel must be something pf never evaluates: anything IP
 * would change its counters or rule evaluations (and `set skip` on the interface would
 * skip the very packets probed). It is an ARP request from the gateway (or the first
 * on-link IPv4 client, or a router) for the interface's first IPv4 address, injected on
 * the epair's b side after the probe's packets; the host's ARP code answers it, and ARP
 * never enters pf's IP hooks. The order
 * argument: frames injected on epairNb reach epairNa through one queue (a GENERIC kernel
 * has no RSS, so epair uses one queue and one task), and ether_input dispatches IP and
 * ARP directly (net.isr.dispatch=direct), so the probe's packets run through ip_input,
 * pf and the protocol, which send their synchronous answers (SYN-ACK, RST, ICMP errors)
 * onto the a->b queue, before the sentinel is even looked at; its ARP reply is queued
 * behind them. So when the reply is captured, they have been captured. ARP has no
 * sequence number: settle sends one request per wire at a time and counts replies.
 * Several wires: each epair has queues of its own, served by tasks that need not be
 * one thread, so a sentinel orders only its own wire. A round sends one on each wire
 * injected on (once its reply is back, the host has handled those frames and queued
 * what it sends because of them, on whichever wire), then one on every wire (each
 * reply follows, on its epair's a->b queue, what was queued there before): a packet
 * sent on em1 and forwarded out of em0 is captured before the round ends. A world of
 * one wire needs only the first sentinel. A VNET jail's answer comes from its own
 * epair's task, which no wire's sentinel orders: in a world with VNET jails each round
 * also waits TFB_VNET_MS (20 ms) for it, as for pf's own packets below.
 * As on the linux target, the harness answers as the clients (client.c) while it
 * waits; when it injected an answer (an ACK completing a handshake, an ARP reply that
 * releases a packet the host held) another round follows, until one passes with no
 * answer; then a sync to the sink (sink.c: every accepted connection and datagram is
 * reported before its SYNC). The first ARP request (tfb_probe_sink) also tells the host
 * the gateway's MAC, so answers are not held waiting for ARP.
 * Limits, not verified on FreeBSD yet (vagrant/README.md):
 * - pf's own packets (`block return`, return-rst, return-icmp, synproxy) are not sent
 *   inline: pf_send_tcp and pf_send_icmp queue them for pf's software interrupt, so they
 *   may come after the sentinel. When the ruleset text names `return` or `synproxy`,
 *   each round also waits TFB_PF_SEND_MS (20 ms) for them.
 * - an `ether` rule that blocks ARP on the external interface eats the sentinel: settle
 *   then fails with a timeout (an error, never a pass). IPv6-only public addresses have
 *   no ARP: such scenarios are refused at start_sink; another interface with no IPv4
 *   address or no IPv4 neighbour to ask from has no sentinel (what it sends is
 *   captured, but not waited for) and refuses `send on`.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pfctl/pfctl_out.h"
#include "target/target.h"
#include "tfb.h"
#include "target/target_wire.h"
#include "base/version.h"

#define IFN	TFB_IFN

struct target {
	struct tfb_cmd	*cmd;
	const struct scn *s;
	char		 prefix[16];
	char		 run_dir[512];
	int		 force, verbose;
	char		(*wire_if)[IFN];	/* by scn->iface index: its epair's b side */
	char		(*jailns)[64];		/* by jail: a VNET jail's name, or "" */
	int		 pf_saved;		/* pf's enable state recorded, undo pushed */
	struct tfb_probe *probe;		/* the wire and the sink */
	struct tfb_ctl	*ctl;			/* what the runtime steps changed */
};

static int
need_pf(struct tfb_cmd *c, struct diag *d)
{
	const char *argv[] = { "kldstat", "-q", "-m", "pf", NULL };
	int rc;

	if ((rc = tfb_runv(c, argv, NULL, NULL, d)) == -1)
		return (-1);
	if (rc == 0)
		return (0);
	if (tfb_run(c, NULL, d, "kldload", "pf", NULL) == -1)
		return (-1);
	return (tfb_undo_push(c, "kldunload", "pf", NULL));
}

/* The names the scenario gives must be free on this host. */
static int
check_names(struct target *t, const struct scn *s, struct diag *d)
{
	char *list = NULL;
	int bad = 0;

	int i;

	if (tfb_run(t->cmd, &list, d, "ifconfig", "-l", NULL) == -1)
		return (-1);
	for (i = 0; i < s->niface; i++)
		if (tfb_in_list(list, s->iface[i].name)) {
			diag_add(d, s->path, s->iface[i].line, "interface %s exists on this "
			    "host; the freebsd target renames its epair to the scenario's "
			    "external interface, so the name must be free (the Vagrant VM's "
			    "NICs are vtnet)", s->iface[i].name);
			bad = 1;
		}
	for (i = 0; i < s->nbridge; i++)
		if (tfb_in_list(list, s->bridge[i].name)) {
			diag_add(d, s->path, s->bridge[i].line, "interface %s exists on this "
			    "host; the freebsd target creates the scenario's bridge itself",
			    s->bridge[i].name);
			bad = 1;
		}
	if (s->lo_if[0] != '\0' && tfb_in_list(list, s->lo_if)) {
		diag_add(d, s->path, s->lo_line, "interface %s exists on this host; the "
		    "freebsd target creates the scenario's loopback itself", s->lo_if);
		bad = 1;
	}
	free(list);
	return (bad ? -1 : 0);
}

static void
addr_arg(const char *fam6, const char *fam4, const struct pkt_addr *a, int plen,
    char *buf, size_t len, const char **fam)
{
	char s[64];

	pkt_addr_format(a, s, sizeof(s));
	*fam = a->af == AF_INET6 ? fam6 : fam4;
	if (plen >= 0)
		snprintf(buf, len, "%s/%d", s, plen);
	else
		snprintf(buf, len, "%s", s);
}

/* The wire: epairNa renamed to the external interface, the b side left to the harness. */
static int
make_wire(struct target *t, const struct scn *s, struct diag *d)
{
	return (tfb_epair_make(t->cmd, t->prefix, s->host_if, &s->host_addr, s->host_plen,
	    t->wire_if[0], d));
}

/* Clients beyond the external subnet are reached through the gateway the harness plays. */
static int
make_routes(struct target *t, const struct scn *s, struct diag *d)
{
	char dst[64], gw[64];
	const char *fam;
	int i;

	for (i = 0; i < s->nclient; i++) {
		/* on the primary wire beyond its subnet; the others: the world's routes */
		if (tw_in_net(&s->client[i].addr, &s->host_addr, s->host_plen) ||
		    s->client[i].wire != 0 || s->client[i].router != -1 ||
		    tfb_world_routed(s, &s->client[i].addr))
			continue;
		addr_arg("-inet6", "-inet", &s->client[i].addr, -1, dst, sizeof(dst), &fam);
		pkt_addr_format(&s->gateway, gw, sizeof(gw));
		if (tfb_run(t->cmd, NULL, d, "route", "-n", "add", fam, "-host", dst, gw,
		    NULL) == -1 ||
		    tfb_undo_push(t->cmd, "route", "-n", "delete", fam, "-host", dst,
		    NULL) == -1)
			return (-1);
	}
	return (0);
}

/* The jails' loopback with an alias per jail address, then one jail per `jail`. */
static int
make_jails(struct target *t, const struct scn *s, struct diag *d)
{
	char ad[80], name[80], host[80], ip4[512], ip6[512];
	const char *argv[12], *fam;
	int i, j, n, rc;

	if (s->lo_if[0] == '\0')		/* a world of public or VNET jails only */
		return (0);
	if (tfb_run(t->cmd, NULL, d, "ifconfig", s->lo_if, "create", NULL) == -1 ||
	    tfb_undo_push(t->cmd, "ifconfig", s->lo_if, "destroy", NULL) == -1 ||
	    tfb_run(t->cmd, NULL, d, "ifconfig", s->lo_if, "group", t->prefix, NULL) ||
	    tfb_run(t->cmd, NULL, d, "ifconfig", s->lo_if, "up", NULL))
		return (-1);
	for (i = 0; i < s->njail; i++)
		for (j = 0; s->jail[i].kind == SCN_JAIL_LO && j < s->jail[i].naddr; j++) {
			const struct pkt_addr *a = &s->jail[i].addr[j];
			addr_arg("inet6", "inet", a, a->af == AF_INET6 ? 128 : 32, ad,
			    sizeof(ad), &fam);
			if (tfb_run(t->cmd, NULL, d, "ifconfig", s->lo_if, fam, ad, "alias",
			    NULL) == -1)
				return (-1);
		}
	for (i = 0; i < s->njail; i++) {
		if (s->jail[i].kind != SCN_JAIL_LO)	/* tfb_world_rest's */
			continue;
		snprintf(name, sizeof(name), "name=%s_%s", t->prefix, s->jail[i].name);
		snprintf(host, sizeof(host), "host.hostname=%s", s->jail[i].name);
		strcpy(ip4, "ip4.addr=");
		strcpy(ip6, "ip6.addr=");
		for (j = 0; j < s->jail[i].naddr; j++) {
			char *l = s->jail[i].addr[j].af == AF_INET6 ? ip6 : ip4;
			if (l[strlen(l) - 1] != '=')
				strcat(l, ",");
			pkt_addr_format(&s->jail[i].addr[j], l + strlen(l), 64);
		}
		n = 0;
		argv[n++] = "jail", argv[n++] = "-c", argv[n++] = name;
		argv[n++] = "path=/", argv[n++] = host;
		if (strcmp(ip4, "ip4.addr=") != 0)
			argv[n++] = ip4;
		if (strcmp(ip6, "ip6.addr=") != 0)
			argv[n++] = ip6;
		argv[n++] = "persist", argv[n] = NULL;
		if ((rc = tfb_runv(t->cmd, argv, NULL, NULL, d)) != 0) {
			if (rc > 0)
				diag_add(d, s->path, s->jail[i].line, "jail -c %s: exit %d",
				    name + 5, rc);
			return (-1);
		}
		if (tfb_undo_push(t->cmd, "jail", "-r", name + 5, NULL) == -1)
			return (-1);
	}
	return (0);
}

/* The system a run's results came from, beside the scenarios' folders: once per run
 * folder, known by its system.txt (not once per process: a process may up worlds for
 * several runs, as the unit tests do, each in a folder of its own). */
static void
record_once(const char *run_dir)
{
	struct diag d = { 0 };
	char dir[512], path[600], *slash;

	snprintf(dir, sizeof(dir), "%s", run_dir);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s/system.txt", dir);
	if (access(path, F_OK) == 0)
		return;
	if (target_freebsd_record_system(dir, &d) == -1)
		fprintf(stderr, "pfharness: %s", diag_text(&d));
	diag_free(&d);
}

static void
target_free(struct target *t)
{
	if (t == NULL)
		return;
	tfb_ctl_free(t->ctl);
	tfb_cmd_free(t->cmd);
	free(t->wire_if);
	free(t->jailns);
	free(t);
}

/* up, with the probe's wires and sink (probe = 1, and the system record) or without. */
static int
up_world(struct target **tp, const struct scn *s, const struct target_opts *o, int probe,
    struct diag *d)
{
	const char *ifs[2 * SCN_IFS_MAX + 3], *wires[SCN_IFS_MAX + 1];
	struct target *t;
	int i, n = 0, nw = s->niface > 0 ? s->niface : 1, rc = 0;

	*tp = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->wire_if = calloc((size_t)nw, sizeof(*t->wire_if))) == NULL ||
	    (t->jailns = calloc((size_t)s->njail + 1, sizeof(*t->jailns))) == NULL ||
	    (t->cmd = tfb_cmd_new(o->verbose)) == NULL ||
	    (t->ctl = tfb_ctl_new(t->cmd, s->path)) == NULL) {
		target_free(t);
		diag_add(d, NULL, 0, "freebsd target: out of memory");
		return (-1);
	}
	t->s = s;
	t->force = o->force;
	t->verbose = o->verbose;
	snprintf(t->prefix, sizeof(t->prefix), "%s", o->prefix ? o->prefix : "pfh");
	snprintf(t->run_dir, sizeof(t->run_dir), "%s", o->run_dir ? o->run_dir : ".");
	if (tfb_check_host(t->cmd, o->force, d) == -1 ||
	    (rc = tfb_check_release(t->cmd, s, d)) != 0) {
		target_free(t);
		return (rc == 1 ? 1 : -1);
	}
	if (probe)
		record_once(t->run_dir);
	for (i = 0; i < s->niface; i++)
		ifs[n++] = s->iface[i].name;
	for (i = 0; i < nw; i++)		/* the wires (filled in as they are made) */
		ifs[n++] = wires[i] = t->wire_if[i];
	if (s->lo_if[0] != '\0')
		ifs[n++] = s->lo_if;
	ifs[n] = NULL;
	wires[nw] = NULL;
	for (i = 0; i < s->njail; i++)		/* the sink makes their sockets inside */
		if (s->jail[i].kind == SCN_JAIL_VNET)
			snprintf(t->jailns[i], sizeof(t->jailns[i]), "%s_%s", t->prefix,
			    s->jail[i].name);
	if (tfb_check_dhcp_default(t->cmd, d) == -1 || need_pf(t->cmd, d) == -1 ||
	    check_names(t, s, d) == -1 || make_wire(t, s, d) == -1 ||
	    tfb_world_links(t->cmd, t->prefix, s, t->wire_if, d) == -1 ||
	    make_routes(t, s, d) == -1 || make_jails(t, s, d) == -1 ||
	    tfb_world_rest(t->cmd, t->prefix, s, d) == -1 ||
	    tfb_check_dhclient(t->cmd, ifs, d) == -1 ||
	    (probe && (t->probe = tfb_probe_open(s, wires,
	    (const char (*)[64])t->jailns, d)) == NULL)) {
		tfb_undo_all(t->cmd, d);
		target_free(t);
		return (-1);
	}
	*tp = t;
	return (0);
}

static int
fbsd_up(struct target **tp, const struct scn *s, const struct target_opts *o,
    struct diag *d)
{
	return (up_world(tp, s, o, 1, d));
}

int
target_freebsd_up_bare(struct target **tp, const struct scn *s,
    const struct target_opts *o, struct diag *d)
{
	return (up_world(tp, s, o, 0, d));
}

struct tfb_cmd *
target_freebsd_cmd(struct target *t)
{
	return (t->cmd);
}

const char *
target_freebsd_wire_if(const struct target *t)
{
	return (t->wire_if[0]);
}

static void
fbsd_down(struct target *t)
{
	struct diag d = { 0 };

	if (t == NULL)
		return;
	tfb_probe_close(t->probe);	/* the sink and the wire go before what they use */
	tfb_ctl_teardown(t->ctl, &d);
	if (tfb_undo_all(t->cmd, &d) > 0 || d.count > 0)
		fprintf(stderr, "pfharness: freebsd teardown:\n%s", diag_text(&d));
	diag_free(&d);
	target_free(t);
}

/* Record pf's enable state once, and how to put it back: flush what we load, then
 * reload the boot ruleset if pf was enabled, else disable it again. */
static int
save_pf(struct target *t, struct diag *d)
{
	struct pfctl_info in;
	char *out = NULL, err[128];
	int rc;

	if (t->pf_saved)
		return (0);
	if (tfb_run(t->cmd, &out, d, "pfctl", "-si", NULL) == -1)
		return (-1);
	rc = pfctl_info_parse(out, &in, err, sizeof(err));
	free(out);
	if (rc == -1 || in.enabled == -1) {
		diag_add(d, NULL, 0, "%s", rc == -1 ? err : "pfctl -si: no Status line");
		return (-1);
	}
	if (in.enabled) {
		if (access(TFB_PF_CONF, F_OK) == 0 ? tfb_undo_push(t->cmd, "pfctl", "-q",
		    "-f", TFB_PF_CONF, NULL) : 0)
			return (-1);
	} else if (tfb_undo_push(t->cmd, "pfctl", "-q", "-d", NULL) == -1)
		return (-1);
	if (tfb_undo_push(t->cmd, "pfctl", "-q", "-F", "all", NULL) == -1)
		return (-1);
	t->pf_saved = 1;
	if (!in.enabled && tfb_run(t->cmd, NULL, d, "pfctl", "-q", "-e", NULL) == -1)
		return (-1);
	return (0);
}

static int
apply_sysctls(struct target *t, const struct scn *s, struct diag *d)
{
	int i;

	for (i = 0; i < s->nsysctl; i++)
		if (!scn_sysctl_is_host(s->sysctl[i].name) &&	/* tfb_world_rest's */
		    tfb_sysctl_set(t->cmd, s->sysctl[i].name, s->sysctl[i].value, s->path,
		    s->sysctl[i].line, d) == -1)
			return (-1);
	return (0);
}

/* pfctl names the file it was given; name the scenario's lines instead. */
static void
pfctl_messages(const struct scn *s, const char *path, char *text, struct diag *d)
{
	char *t = tfb_pfctl_rename(text, path, s->pf_file != NULL ? s->pf_file : s->path,
	    s->pf_line0), *line, *save;

	for (line = strtok_r(t != NULL ? t : text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		diag_raw(d, line);
	free(t);
}

static int
write_file(const char *path, const char *text, struct diag *d)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL) {
		diag_add(d, path, 0, "cannot write: %s", strerror(errno));
		return (-1);
	}
	fputs(text, f);
	if (fclose(f) == EOF) {
		diag_add(d, path, 0, "cannot write: %s", strerror(errno));
		return (-1);
	}
	return (0);
}

/* 1 when a ruleset's text may have pf send packets itself (return, synproxy). */
static int
pf_sends(const char *text)
{
	return (text != NULL && (strstr(text, "return") != NULL ||
	    strstr(text, "synproxy") != NULL));
}

static int
fbsd_load_rules(struct target *t, const struct scn *s, struct diag *d)
{
	const char *argv[8 + 2 * 64];
	char path[600], defs[64][256], *err = NULL;
	int i, n = 0, rc;

	if (s->ndefine > 64) {
		diag_add(d, s->path, s->define[64].line, "more than 64 defines");
		return (-1);
	}
	if (save_pf(t, d) == -1 || apply_sysctls(t, s, d) == -1)
		return (-1);
	snprintf(path, sizeof(path), "%s/pf.conf", t->run_dir);
	if (write_file(path, s->pf_text != NULL ? s->pf_text : "", d) == -1)
		return (-1);
	argv[n++] = "pfctl";
	for (i = 0; i < s->ndefine; i++) {
		snprintf(defs[i], sizeof(defs[i]), "%s=%s", s->define[i].name,
		    s->define[i].value);
		argv[n++] = "-D", argv[n++] = defs[i];
	}
	argv[n++] = "-f", argv[n++] = path, argv[n] = NULL;
	if ((rc = tfb_runv(t->cmd, argv, NULL, &err, d)) == -1)
		return (-1);
	if (rc != 0) {
		pfctl_messages(s, path, err, d);
		free(err);
		return (1);
	}
	free(err);
	/* pf's own replies are sent late (see the sentinel at the top) */
	if (t->probe != NULL)
		tfb_probe_pf_sends(t->probe, pf_sends(s->pf_text));
	/* as FreeBSD's own tests do: no state of an earlier scenario may match */
	return (tfb_run(t->cmd, NULL, d, "pfctl", "-q", "-F", "states", NULL));
}

/* A pfctl step or view (target_freebsd_ctl.c); a ruleset it loads that has pf reply
 * itself makes settle wait for pf's late packets from then on. */
static int
fbsd_pfctl(struct target *t, const struct scn_pfctl *c, struct target_pfctl *r,
    struct diag *d)
{
	if (save_pf(t, d) == -1 || tfb_ctl_pfctl(t->ctl, c, r, d) == -1)
		return (-1);
	if (t->probe != NULL && r->status == 0 && pf_sends(c->input))
		tfb_probe_pf_sends(t->probe, 1);
	return (0);
}

static int
fbsd_sysctl(struct target *t, const char *name, const char *value, struct diag *d)
{
	return (tfb_sysctl_set(t->cmd, name, value, NULL, 0, d));
}

static int
fbsd_wait(struct target *t, uint64_t ms, struct diag *d)
{
	(void)t;
	return (tfb_wait(ms, d));
}

static char *
pfctl_show(struct target *t, const char *what, const char *more)
{
	struct diag d = { 0 };
	char *out = NULL;
	int rc;

	rc = tfb_run(t->cmd, &out, &d, "pfctl", what, more, NULL);
	if (rc == -1 && t->verbose)
		fprintf(stderr, "pfharness: %s", diag_text(&d));
	diag_free(&d);
	return (rc == -1 ? NULL : out);
}

static char *
fbsd_states(struct target *t)
{
	return (pfctl_show(t, "-ss", NULL));
}

static char *
fbsd_counters(struct target *t)
{
	return (pfctl_show(t, "-si", NULL));
}

/* The failure dump's filter rules (`pfctl -sr -vv`; the translation rules are
 * fbsd_nat's `pfctl -sn -vv`: 14's -sr shows none of them). */
static char *
fbsd_rules(struct target *t)
{
	return (pfctl_show(t, "-sr", "-vv"));
}

static char *
fbsd_nat(struct target *t)
{
	return (pfctl_show(t, "-sn", "-vv"));
}

/* Jails named prefix_* and interfaces in the group `prefix`, left by a crashed run. */
static void
fbsd_cleanup_stale(const char *prefix)
{
	struct tfb_cmd *c = tfb_cmd_new(0);
	struct diag d = { 0 };
	char *out = NULL, *p, *save = NULL, pre[40];
	const char *argv[] = { "ifconfig", "-g", prefix, NULL };

	if (c == NULL || tfb_check_host(c, 0, &d) == -1)
		goto done;
	snprintf(pre, sizeof(pre), "%s_", prefix);
	if (tfb_run(c, &out, &d, "jls", "name", NULL) == 0) {
		for (p = strtok_r(out, "\n", &save); p; p = strtok_r(NULL, "\n", &save))
			if (strncmp(p, pre, strlen(pre)) == 0)
				tfb_run(c, NULL, &d, "jail", "-r", p, NULL);
		free(out);
		out = NULL;
	}
	if (tfb_runv(c, argv, &out, NULL, &d) == 0)
		for (p = strtok_r(out, " \n", &save); p; p = strtok_r(NULL, " \n", &save))
			tfb_run(c, NULL, &d, "ifconfig", p, "destroy", NULL);
	free(out);
done:
	diag_free(&d);
	tfb_cmd_free(c);
}

/* The commands' outputs, each under a heading, into dir/system.txt. */
int
target_freebsd_record_system(const char *dir, struct diag *d)
{
	static const char *const cmds[][5] = {
		{ "freebsd-version", "-ku", NULL },
		{ "uname", "-a", NULL },
		{ "uname", "-i", NULL },
		{ "sysctl", "-n", "kern.conftxt", NULL },
		{ "sysctl", "net.pf", NULL },
	};
	struct tfb_cmd *c = tfb_cmd_new(0);
	char path[600], *out, *nl;
	size_t i;
	FILE *f;
	int k;

	snprintf(path, sizeof(path), "%s/system.txt", dir);
	if (c == NULL || (f = fopen(path, "w")) == NULL) {
		diag_add(d, path, 0, "cannot write: %s", strerror(errno));
		tfb_cmd_free(c);
		return (-1);
	}
	fprintf(f, "harness: pfharness %s\n", PFH_VERSION);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		out = NULL;
		fprintf(f, "\n$ %s %s %s\n", cmds[i][0], cmds[i][1],
		    cmds[i][2] ? cmds[i][2] : "");
		if (tfb_runv(c, cmds[i], &out, NULL, d) != 0 || out == NULL) {
			fprintf(f, "(failed)\n");
			free(out);
			continue;
		}
		/* the kernel config: its first 20 lines name it and its options */
		for (k = 0, nl = out; i == 3 && nl != NULL && k < 20; k++)
			if ((nl = strchr(nl, '\n')) != NULL)
				nl++;
		if (i == 3 && nl != NULL)
			*nl = '\0';
		fputs(out, f);
		free(out);
	}
	tfb_cmd_free(c);
	return (fclose(f) == EOF ? -1 : 0);
}

static int
fbsd_start_sink(struct target *t, const struct scn *s, struct diag *d)
{
	(void)s;
	return (tfb_probe_sink(t->probe, d));
}

static int
fbsd_probe_begin(struct target *t, const char *pcap_path, struct diag *d)
{
	return (tfb_probe_begin(t->probe, pcap_path, d));
}

static void
fbsd_probe_end(struct target *t)
{
	tfb_probe_end(t->probe);
}

static int
fbsd_send(struct target *t, const struct pkt *k, struct diag *d)
{
	return (tfb_probe_send(t->probe, k, d));
}

static int
fbsd_send_on(struct target *t, int wire, const struct pkt *k, struct diag *d)
{
	return (tfb_probe_send_on(t->probe, wire, k, d));
}

static int
fbsd_jail_connect(struct target *t, int jail, int proto, const struct pkt_addr *dst,
    uint16_t dport, const struct pkt_addr *from, uint16_t fromport, struct diag *d)
{
	return (tfb_probe_connect(t->probe, jail, proto, dst, dport, from, fromport, d));
}

static int
fbsd_settle(struct target *t, int timeout_ms, struct diag *d)
{
	return (tfb_probe_settle(t->probe, timeout_ms, d));
}

static const struct target_frame *
fbsd_frames(struct target *t, int *n)
{
	return (tfb_probe_frames(t->probe, n));
}

static const struct target_delivery *
fbsd_deliveries(struct target *t, int *n)
{
	return (tfb_probe_deliveries(t->probe, n));
}

static int
fbsd_connect_outcome(struct target *t)
{
	return (tfb_probe_outcome(t->probe));
}

/* From a signal handler: only a write to the probe's self-pipe. */
static void
fbsd_interrupt(struct target *t)
{
	tfb_probe_interrupt(t->probe);
}

const struct target_ops target_freebsd_ops = {
	.name = "freebsd",
	.up = fbsd_up,
	.down = fbsd_down,
	.load_rules = fbsd_load_rules,
	.start_sink = fbsd_start_sink,
	.probe_begin = fbsd_probe_begin,
	.probe_end = fbsd_probe_end,
	.send = fbsd_send,
	.send_on = fbsd_send_on,
	.jail_connect = fbsd_jail_connect,
	.settle = fbsd_settle,
	.frames = fbsd_frames,
	.deliveries = fbsd_deliveries,
	.connect_outcome = fbsd_connect_outcome,
	.pfctl = fbsd_pfctl,
	.sysctl = fbsd_sysctl,
	.wait = fbsd_wait,
	.states = fbsd_states,
	.counters = fbsd_counters,
	.rules = fbsd_rules,
	.nat = fbsd_nat,
	.cleanup_stale = fbsd_cleanup_stale,
	.interrupt = fbsd_interrupt,
};
