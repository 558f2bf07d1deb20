/* bench_world_freebsd.c: build and remove the benchmark's world on FreeBSD with the
 * freebsd target's code (the same checks, epairs, jail, pfctl loading and undo list),
 * switch pf on and off, and read pf's state table counters and memory. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_world_freebsd.h"
#include "pkt/pkt.h"
#include "scn/scn.h"
#include "target/target.h"
#include "target/freebsd/tfb.h"
#include "work_def.h"

/* The MACs are work_def.c's bench_port_mac (the Linux world's), in this enum's order. */
_Static_assert(BW_NPORT == BENCH_NPORTS, "bench_world_port and bench_port_mac differ");

/* The part of the world the target builds from a scenario: em0 and its epair, the
 * route to the nat-out peer through the gateway, lo1 and the sink's jail. */
static const char world_scn[] =
	"scenario \"the bench's world (bench/bench_world_freebsd.c)\"\n"
	"host em0 203.0.113.1/24 gateway 203.0.113.254\n"
	"loopback lo1 10.99.1.0/28\n"
	"jail sink 10.99.1.1 listen udp/5001\n"
	"client 198.51.100.7\n"
	"pf <<EOF\n"
	"pass all\n"
	"EOF\n";

/* The far ends are the harness's: static ARP entries, so that nothing waits for ARP
 * and no ARP traffic mixes with the counted frames. A far end's MAC is bench_port_mac
 * of its wire port and belongs to no interface of this host: epairNb keeps its own.
 * Were it epairNb's, a frame the host forwards to the far end would not be M_PROMISC
 * on arrival (ether_input_internal, sys/net/if_ethersubr.c), would go up ip_input on
 * epairNb and, with net.inet.ip.forwarding=1, be routed out again through em0 or em1
 * until its TTL ran out, each lap counted by the wire counter. To a MAC epairNb does
 * not own it is M_PROMISC: BPF counts it once, ether_demux drops it. */
static int
static_arp(struct bench_world *w, const char *ip, int port, struct diag *d)
{
	char m[18];

	bench_mac_text(port, m);
	if (tfb_run(w->cmd, NULL, d, "arp", "-s", ip, m, NULL) == -1)
		return (-1);
	return (tfb_undo_push(w->cmd, "arp", "-d", ip, NULL));
}

/* net.inet.ip.forwarding on for the forward, rules, states and nat-out workloads. */
static int
forwarding(struct bench_world *w, struct diag *d)
{
	char *old = NULL, back[64];
	size_t n;

	if (tfb_run(w->cmd, &old, d, "sysctl", "-n", "net.inet.ip.forwarding", NULL) == -1)
		return (-1);
	n = strlen(old);
	while (n > 0 && (old[n - 1] == '\n' || old[n - 1] == ' '))
		old[--n] = '\0';
	snprintf(back, sizeof(back), "net.inet.ip.forwarding=%s", old);
	free(old);
	if (tfb_run(w->cmd, NULL, d, "sysctl", "net.inet.ip.forwarding=1", NULL) == -1)
		return (-1);
	return (tfb_undo_push(w->cmd, "sysctl", back, NULL));
}

/* What the bench adds to the target's world: em1, the spare pair, fixed MACs on the
 * host's sides (the generator's frames are addressed to them), ARP for the far ends,
 * forwarding. Each undo goes on the target's list. */
static int
extend(struct bench_world *w, struct diag *d)
{
	struct pkt_addr in;
	char m[18];
	int p;

	memset(&in, 0, sizeof(in));
	in.af = AF_INET;
	in.a[0] = 10, in.a[1] = 99, in.a[2] = 0, in.a[3] = 14;
	snprintf(w->ifname[BW_EM0], sizeof(w->ifname[0]), "em0");
	snprintf(w->ifname[BW_WIRE0], sizeof(w->ifname[0]), "%s",
	    target_freebsd_wire_if(w->t));
	snprintf(w->ifname[BW_EM1], sizeof(w->ifname[0]), "em1");
	snprintf(w->ifname[BW_GEN1], sizeof(w->ifname[0]), "pfhgen1");
	if (tfb_epair_make(w->cmd, BENCH_WORLD_PREFIX, "em1", &in, 28,
	    w->ifname[BW_WIRE1], d) == -1 ||
	    tfb_epair_make(w->cmd, BENCH_WORLD_PREFIX, w->ifname[BW_GEN1], NULL, 0,
	    w->ifname[BW_GEN0], d) == -1)
		return (-1);
	for (p = 0; p < BW_NPORT; p++) {
		if (p != BW_EM0 && p != BW_EM1 && p != BW_GEN1)
			continue;	/* a far end: not an interface's MAC (above) */
		bench_mac_text(p, m);
		if (tfb_run(w->cmd, NULL, d, "ifconfig", w->ifname[p], "ether", m,
		    NULL) == -1)
			return (-1);
	}
	{
		const char *ifs[] = { w->ifname[BW_EM1], w->ifname[BW_WIRE1],
		    w->ifname[BW_GEN1], w->ifname[BW_GEN0], NULL };
		if (tfb_check_dhclient(w->cmd, ifs, d) == -1)
			return (-1);
	}
	if (forwarding(w, d) == -1 ||
	    static_arp(w, "203.0.113.254", BW_WIRE0, d) == -1 ||
	    static_arp(w, "10.99.0.1", BW_WIRE1, d) == -1)
		return (-1);
	return (0);
}

int
bench_world_up(struct bench_world *w, const char *dir, struct diag *d)
{
	struct target_opts o;

	memset(w, 0, sizeof(*w));
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		diag_add(d, dir, 0, "cannot create: %s", strerror(errno));
		return (-1);
	}
	target_freebsd_ops.cleanup_stale(BENCH_WORLD_PREFIX);
	if ((w->s = scn_parse_text("bench-world.scn", world_scn, d)) == NULL)
		return (-1);
	w->pf_text = w->s->pf_text;
	memset(&o, 0, sizeof(o));
	o.run_dir = dir;
	o.prefix = BENCH_WORLD_PREFIX;
	if (target_freebsd_up_bare(&w->t, w->s, &o, d) != 0) {
		bench_world_down(w);
		return (-1);
	}
	w->cmd = target_freebsd_cmd(w->t);
	if (target_freebsd_record_system(dir, d) == -1 || extend(w, d) == -1 ||
	    bench_world_pf(w, 1, "pass all\n", d) == -1) {
		bench_world_down(w);
		return (-1);
	}
	return (0);
}

void
bench_world_down(struct bench_world *w)
{
	struct diag d = { 0 };

	if (w->t != NULL) {
		/* the target's undo puts pf's enable state back from "enabled" */
		if (w->pf_off && tfb_run(w->cmd, NULL, &d, "pfctl", "-q", "-e", NULL) == -1)
			fprintf(stderr, "pfharness bench: %s", diag_text(&d));
		target_freebsd_ops.down(w->t);
		w->t = NULL;
		w->cmd = NULL;
	}
	if (w->s != NULL) {
		w->s->pf_text = w->pf_text;
		scn_free(w->s);
		w->s = NULL;
	}
	w->pf_off = 0;
	diag_free(&d);
}

int
bench_world_pf(struct bench_world *w, int on, const char *conf, struct diag *d)
{
	int rc;

	if (!on) {
		if (!w->pf_off && tfb_run(w->cmd, NULL, d, "pfctl", "-q", "-d", NULL) == -1)
			return (-1);
		w->pf_off = 1;
		return (0);
	}
	if (w->pf_off) {
		if (tfb_run(w->cmd, NULL, d, "pfctl", "-q", "-e", NULL) == -1)
			return (-1);
		w->pf_off = 0;
	}
	w->s->pf_text = (char *)conf;
	rc = target_freebsd_ops.load_rules(w->t, w->s, d);
	w->s->pf_text = w->pf_text;
	if (rc == 1)
		diag_add(d, NULL, 0, "pfctl refused the bench's ruleset");
	return (rc == 0 ? 0 : -1);
}

int
bench_world_info(struct bench_world *w, struct pfctl_info *in, struct diag *d)
{
	char *out = NULL, err[128];
	int rc;

	if (tfb_run(w->cmd, &out, d, "pfctl", "-si", NULL) == -1)
		return (-1);
	rc = pfctl_info_parse(out, in, err, sizeof(err));
	free(out);
	if (rc == -1)
		diag_add(d, NULL, 0, "pfctl -si: %s", err);
	return (rc);
}

int
bench_world_zone_bytes(const char *vmstat, uint64_t *bytes)
{
	struct pfctl_zone st, key;

	if (pfctl_zone_find(vmstat, "pf states", &st) == -1 ||
	    pfctl_zone_find(vmstat, "pf state keys", &key) == -1)
		return (-1);
	*bytes = st.used * st.size + key.used * key.size;
	return (0);
}

int
bench_world_state_bytes(struct bench_world *w, uint64_t *bytes, struct diag *d)
{
	char *out = NULL;
	int rc;

	if (tfb_run(w->cmd, &out, d, "vmstat", "-z", NULL) == -1)
		return (-1);
	if ((rc = bench_world_zone_bytes(out, bytes)) == -1)
		diag_add(d, NULL, 0, "vmstat -z: no \"pf states\" or \"pf state keys\" zone");
	free(out);
	return (rc);
}
