/* bench_net.c: build and delete the benchmark's namespaces, switch the pf hook on and
 * off, and read the kernel's drop counters there. */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_net.h"
#include "target/linux/netns.h"
#include "work_def.h"

const char *const bench_net_ifname[BENCH_NPORT] = {
	"em0", "em1", "wire0", "wire1", "gen0", "gen1"
};

/* The MACs are work_def.c's bench_port_mac, in this enum's order. */
_Static_assert(BENCH_NPORT == BENCH_NPORTS, "bench_port and bench_port_mac differ");

static int
sysctls(int host, char *err, size_t errlen)
{
	static const char *const all[][2] = {
		{ "net/ipv6/conf/all/disable_ipv6", "1" },
		{ "net/ipv6/conf/default/disable_ipv6", "1" },
		{ "net/ipv4/conf/all/rp_filter", "0" },
		{ "net/ipv4/conf/default/rp_filter", "0" },
	};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (netns_sysctl_set(all[i][0], all[i][1], err, errlen) == -1)
			return (-1);
	return (host ? netns_sysctl_set("net/ipv4/ip_forward", "1", err, errlen) : 0);
}

/* Run an `ip -batch` script inside namespace ns (sysctls first). */
static int
ns_batch(const char *ns, int host, const char *script, char *err, size_t errlen)
{
	static char *ipargv[] = { "ip", "-batch", "-", NULL };
	int fd, rc;

	if ((fd = netns_enter(ns, err, errlen)) == -1)
		return (-1);
	rc = sysctls(host, err, errlen);
	if (rc == 0)
		rc = netns_run(ipargv, script, err, errlen);
	netns_leave(fd);
	return (rc);
}

int
bench_net_up(struct bench_net *n, char *err, size_t errlen)
{
	char *ipargv[] = { "ip", "-batch", "-", NULL };
	char s[2048], m[BENCH_NPORT][18];
	int i;

	(void)netns_cleanup_stale(BENCH_NET_PREFIX);
	memset(n, 0, sizeof(*n));
	snprintf(n->host, sizeof(n->host), "%s%ldh", BENCH_NET_PREFIX, (long)getpid());
	snprintf(n->wire, sizeof(n->wire), "%s%ldw", BENCH_NET_PREFIX, (long)getpid());
	n->built = 1;
	snprintf(s, sizeof(s), "netns add %s\nnetns add %s\n", n->host, n->wire);
	if (netns_run(ipargv, s, err, errlen) == -1)
		goto fail;
	for (i = 0; i < BENCH_NPORT; i++)
		bench_mac_text(i, m[i]);
	if (ns_batch(n->wire, 0, "link set lo up\n", err, errlen) == -1)
		goto fail;
	snprintf(s, sizeof(s),
	    "link set lo up\n"
	    "link add em0 address %s type veth peer name wire0 address %s netns %s\n"
	    "link add em1 address %s type veth peer name wire1 address %s netns %s\n"
	    "link add lo1 type bridge\n"
	    "link set em0 up\nlink set em1 up\nlink set lo1 up\n"
	    "addr add 203.0.113.1/24 dev em0\n"
	    "addr add 10.99.0.14/28 dev em1\n"
	    "addr add 10.99.1.1/32 dev lo1\n"
	    "neigh replace 203.0.113.254 lladdr %s dev em0 nud permanent\n"
	    "route add default via 203.0.113.254 dev em0\n"
	    "neigh replace 10.99.0.1 lladdr %s dev em1 nud permanent\n"
	    "neigh replace 10.99.0.2 lladdr %s dev em1 nud permanent\n"
	    "neigh replace 10.99.0.3 lladdr %s dev em1 nud permanent\n",
	    m[BENCH_EM0], m[BENCH_WIRE0], n->wire, m[BENCH_EM1], m[BENCH_WIRE1], n->wire,
	    m[BENCH_WIRE0], m[BENCH_WIRE1], m[BENCH_WIRE1], m[BENCH_WIRE1]);
	if (ns_batch(n->host, 1, s, err, errlen) == -1)
		goto fail;
	snprintf(s, sizeof(s),
	    "link add gen0 address %s type veth peer name gen1 address %s\n"
	    "link set wire0 up\nlink set wire1 up\nlink set gen0 up\nlink set gen1 up\n",
	    m[BENCH_GEN0], m[BENCH_GEN1]);
	if (ns_batch(n->wire, 0, s, err, errlen) == -1)
		goto fail;
	/* Conntrack off in the host namespace for good: only the hook comes and goes. */
	if (bench_net_hook(n, 0, err, errlen) == -1)
		goto fail;
	return (0);
fail:
	bench_net_down(n);
	return (-1);
}

void
bench_net_down(struct bench_net *n)
{
	if (!n->built)
		return;
	(void)netns_delete(n->host);
	(void)netns_delete(n->wire);
	n->built = 0;
}

int
bench_net_hook(struct bench_net *n, int on, char *err, size_t errlen)
{
	return (bench_net_hook_queue(n, on ? NETNS_QUEUE : -1, err, errlen));
}

int
bench_net_hook_queue(struct bench_net *n, int queue, char *err, size_t errlen)
{
	static char *ipt[] = { "iptables-restore", NULL };
	char s[1024], q[512];
	int fd, rc;

	snprintf(q, sizeof(q),
	    "-A PREROUTING -m mark --mark 0x70666801 -j ACCEPT\n"
	    "-A PREROUTING -j NFQUEUE --queue-num %d\n"
	    "-A POSTROUTING -m mark --mark 0x70666801 -j ACCEPT\n"
	    "-A POSTROUTING -j NFQUEUE --queue-num %d\n", queue, queue);
	snprintf(s, sizeof(s),
	    "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
	    "-A PREROUTING -j CT --notrack\n-A OUTPUT -j CT --notrack\nCOMMIT\n"
	    "*mangle\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
	    "%s"
	    "COMMIT\n", queue >= 0 ? q : "");
	if ((fd = netns_enter(n->host, err, errlen)) == -1)
		return (-1);
	rc = netns_run(ipt, s, err, errlen);
	netns_leave(fd);
	if (rc == 0) {
		n->hook = queue >= 0;
		n->queue = queue;
	}
	return (rc);
}

/* Sum of the rx and tx "drop" columns of /proc/net/dev. */
static uint64_t
dev_drops(int *partial)
{
	FILE *f;
	char line[512], *p;
	unsigned long long v[16];
	uint64_t sum = 0;

	if ((f = fopen("/proc/thread-self/net/dev", "r")) == NULL) {
		*partial = 1;
		return (0);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((p = strchr(line, ':')) == NULL)
			continue;
		if (sscanf(p + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
		    "%llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
		    &v[9], &v[10], &v[11]) == 12)
			sum += v[3] + v[11];
	}
	fclose(f);
	return (sum);
}

/* The value of field `name` in the `proto:` lines of an snmp file. */
static uint64_t
snmp_field(const char *path, const char *proto, const char *name, int *partial)
{
	FILE *f;
	char hdr[1024], val[1024], *hs, *vs, *h, *v;
	size_t pl = strlen(proto);

	if ((f = fopen(path, "r")) == NULL) {
		*partial = 1;
		return (0);
	}
	while (fgets(hdr, sizeof(hdr), f) != NULL && fgets(val, sizeof(val), f) != NULL) {
		if (strncmp(hdr, proto, pl) != 0 || hdr[pl] != ':')
			continue;
		h = strtok_r(hdr + pl + 1, " \n", &hs);
		v = strtok_r(val + pl + 1, " \n", &vs);
		for (; h != NULL && v != NULL; h = strtok_r(NULL, " \n", &hs),
		    v = strtok_r(NULL, " \n", &vs))
			if (strcmp(h, name) == 0) {
				fclose(f);
				return (strtoull(v, NULL, 10));
			}
	}
	fclose(f);
	*partial = 1;
	return (0);
}

/* queue_dropped + user_dropped of every NFQUEUE queue of the namespace. */
static uint64_t
nfq_drops(void)
{
	FILE *f;
	unsigned long long q, port, total, mode, range, qd, ud, seq, one;
	uint64_t sum = 0;

	if ((f = fopen("/proc/thread-self/net/netfilter/nfnetlink_queue", "r")) == NULL)
		return (0);		/* no queue bound: nothing dropped there */
	while (fscanf(f, "%llu %llu %llu %llu %llu %llu %llu %llu %llu", &q, &port,
	    &total, &mode, &range, &qd, &ud, &seq, &one) == 9)
		sum += qd + ud;
	fclose(f);
	return (sum);
}

int
bench_net_queue_seq(struct bench_net *n, int queue, uint64_t *seq)
{
	FILE *f;
	unsigned long long q, port, total, mode, range, qd, ud, sq, one;
	char err[256];
	int fd, rc = -1;

	if ((fd = netns_enter(n->host, err, sizeof(err))) == -1)
		return (-1);
	if ((f = fopen("/proc/thread-self/net/netfilter/nfnetlink_queue", "r")) != NULL) {
		while (fscanf(f, "%llu %llu %llu %llu %llu %llu %llu %llu %llu", &q, &port,
		    &total, &mode, &range, &qd, &ud, &sq, &one) == 9)
			if (q == (unsigned long long)queue) {
				*seq = sq;
				rc = 0;
			}
		fclose(f);
	}
	netns_leave(fd);
	return (rc);
}

uint64_t
bench_net_drops(struct bench_net *n, int *partial)
{
	static const char *const ip[] = { "InHdrErrors", "InAddrErrors",
	    "InUnknownProtos", "InDiscards", "OutDiscards", "OutNoRoutes" };
	static const char *const udp[] = { "NoPorts", "InErrors" };
	char err[256];
	uint64_t sum = 0;
	size_t i;
	int fd;

	*partial = 0;
	if ((fd = netns_enter(n->host, err, sizeof(err))) == -1) {
		*partial = 1;
		return (0);
	}
	sum += dev_drops(partial) + nfq_drops();
	for (i = 0; i < sizeof(ip) / sizeof(ip[0]); i++)
		sum += snmp_field("/proc/thread-self/net/snmp", "Ip", ip[i], partial);
	for (i = 0; i < sizeof(udp) / sizeof(udp[0]); i++)
		sum += snmp_field("/proc/thread-self/net/snmp", "Udp", udp[i], partial);
	netns_leave(fd);
	if ((fd = netns_enter(n->wire, err, sizeof(err))) == -1) {
		*partial = 1;
		return (sum);
	}
	sum += dev_drops(partial);
	netns_leave(fd);
	return (sum);
}
