/* netns.c: namespaces, veths, bridges, routes, sysctls and iptables rules of the linux
 * target. */
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "netns_world.h"
#include "target/pfhost.h"
#include "target/target_wire.h"

#define NETNS_DIR	"/run/netns"

extern char **environ;

static int
ifname_ok(const char *n)
{
	size_t i, len = strlen(n);

	if (len == 0 || len > 15)
		return (0);
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)n[i]) && n[i] != '_' && n[i] != '-' &&
		    n[i] != '.')
			return (0);
	return (1);
}

/* One name of the world; 0, or -1 with err. */
static int
check_name(const struct scn *s, const char *name, int line, char *err, size_t errlen)
{
	if (ifname_ok(name) && strcmp(name, "lo") != 0)
		return (0);
	snprintf(err, errlen, "%s:%d: interface name \"%s\" cannot be built on Linux "
	    "(1-15 of [A-Za-z0-9_.-], not \"lo\")", s->path, line, name);
	return (-1);
}

int
netns_check_names(const struct scn *s, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < s->niface; i++)
		if (check_name(s, s->iface[i].name, s->iface[i].line, err, errlen) == -1)
			return (-1);
	if (s->niface == 0 && check_name(s, s->host_if, s->host_line, err, errlen) == -1)
		return (-1);
	for (i = 0; i < s->nbridge; i++)
		if (check_name(s, s->bridge[i].name, s->bridge[i].line, err, errlen) == -1)
			return (-1);
	if (s->lo_if[0] == '\0')
		return (0);
	if (check_name(s, s->lo_if, s->lo_line, err, errlen) == -1)
		return (-1);
	for (i = 0; i < s->niface; i++)
		if (strcmp(s->lo_if, s->iface[i].name) == 0) {
			snprintf(err, errlen, "%s:%d: loopback %s has the name of the host "
			    "interface (line %d)", s->path, s->lo_line, s->lo_if,
			    s->iface[i].line);
			return (-1);
		}
	return (0);
}

int
netns_run(char *const argv[], const char *input, char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	int in[2] = { -1, -1 }, ep[2] = { -1, -1 }, rc = -1, status;
	size_t off = 0, len;
	ssize_t n;
	pid_t pid;

	err[0] = '\0';
	if ((input != NULL && pipe2(in, O_CLOEXEC) == -1) || pipe2(ep, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	if (input != NULL)
		posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, ep[1], 2);
	errno = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (errno != 0) {
		snprintf(err, errlen, "%s: %s", argv[0], strerror(errno));
		goto out;
	}
	close(ep[1]);
	ep[1] = -1;
	if (input != NULL) {
		close(in[0]);
		in[0] = -1;
		len = strlen(input);
		while (off < len && (n = write(in[1], input + off, len - off)) > 0)
			off += n;
		close(in[1]);
		in[1] = -1;
	}
	off = 0;
	while (errlen > 1 && off < errlen - 1 &&
	    (n = read(ep[0], err + off, errlen - 1 - off)) > 0)
		off += n;
	err[off] = '\0';
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			goto out;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		rc = 0;
	else if (off == 0)
		snprintf(err, errlen, "%s failed (status %d)", argv[0], status);
	while (off > 0 && err[off - 1] == '\n')
		err[--off] = '\0';
out:
	if (in[0] != -1)
		close(in[0]);
	if (in[1] != -1)
		close(in[1]);
	if (ep[0] != -1)
		close(ep[0]);
	if (ep[1] != -1)
		close(ep[1]);
	return (rc);
}

int
netns_enter(const char *name, char *err, size_t errlen)
{
	char path[256];
	int old, fd;

	if ((old = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "/proc/thread-self/ns/net: %s", strerror(errno));
		return (-1);
	}
	snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(old);
		return (-1);
	}
	if (setns(fd, CLONE_NEWNET) == -1) {
		snprintf(err, errlen, "setns %s: %s", name, strerror(errno));
		close(fd);
		close(old);
		return (-1);
	}
	close(fd);
	return (old);
}

void
netns_leave(int fd)
{
	if (fd < 0)
		return;
	(void)setns(fd, CLONE_NEWNET);
	close(fd);
}

int
netns_sysctl_set(const char *key, const char *value, char *err, size_t errlen)
{
	char path[256];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	n = write(fd, value, strlen(value));
	close(fd);
	if (n != (ssize_t)strlen(value)) {
		snprintf(err, errlen, "%s = %s: %s", path, value, strerror(errno));
		return (-1);
	}
	return (0);
}

static int
scn_uses_inet6(const struct scn *s)
{
	int i, j;

	if (s->host_addr.af == AF_INET6 || s->lo_net.af == AF_INET6)
		return (1);
	for (i = 0; i < s->niface; i++)
		for (j = 0; j < s->iface[i].naddr; j++)
			if (s->iface[i].addr[j].addr.af == AF_INET6)
				return (1);
	for (i = 0; i < s->nbridge; i++)
		if (s->bridge[i].addr.af == AF_INET6)
			return (1);
	for (i = 0; i < s->njail; i++)
		for (j = 0; j < s->jail[i].naddr; j++)
			if (s->jail[i].addr[j].af == AF_INET6)
				return (1);
	for (i = 0; i < s->nclient; i++)
		if (s->client[i].addr.af == AF_INET6)
			return (1);
	return (0);
}

/* Write a sysctl that exists only with a module loaded (br_netfilter's): 0 when it is
 * set or not there, -1 with err. */
static int
sysctl_if_there(const char *key, const char *value, char *err, size_t errlen)
{
	char path[256];

	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	if (access(path, F_OK) == -1)
		return (0);
	return (netns_sysctl_set(key, value, err, errlen));
}

/* The host's forwarding as the scenario has it, no redirects (the model sends none),
 * and bridged frames kept from iptables (br_netfilter): pf sees a VNET jail's traffic
 * on the bridge, as FreeBSD's pf does for what the host receives and routes. */
static int
host_forwarding(const struct scn *s, int v6, char *err, size_t errlen)
{
	static const char *const br[] = { "net/bridge/bridge-nf-call-iptables",
	    "net/bridge/bridge-nf-call-ip6tables", "net/bridge/bridge-nf-call-arptables" };
	size_t i;

	/* Forwarding is always on: with it off, Linux answers a packet for someone else
	 * with ICMP host unreachable (ip_route_input_slow), where FreeBSD drops it
	 * silently; a FORWARD DROP rule (rules_script) stands for "off" instead. */
	(void)s;
	if (netns_sysctl_set("net/ipv4/conf/all/send_redirects", "0", err, errlen) == -1 ||
	    netns_sysctl_set("net/ipv4/conf/default/send_redirects", "0", err,
	    errlen) == -1 || netns_sysctl_set("net/ipv4/ip_forward", "1", err,
	    errlen) == -1)
		return (-1);
	if (v6 && netns_sysctl_set("net/ipv6/conf/all/forwarding", "1", err,
	    errlen) == -1)
		return (-1);
	for (i = 0; i < sizeof(br) / sizeof(br[0]); i++)
		if (sysctl_if_there(br[i], "0", err, errlen) == -1)
			return (-1);
	return (0);
}

/* sysctls of a namespace (the host's, a VNET jail's), before its interfaces exist
 * (defaults apply). */
static int
host_sysctls(int v6, char *err, size_t errlen)
{
	static const char *const common[][2] = {
		{ "net/ipv4/conf/all/rp_filter", "0" },
		{ "net/ipv4/conf/default/rp_filter", "0" },
		{ "net/ipv4/icmp_ratelimit", "0" },
		{ "net/ipv4/icmp_msgs_per_sec", "1000000" },
		{ "net/ipv4/icmp_msgs_burst", "1000000" },
	};
	static const char *const no6[][2] = {
		{ "net/ipv6/conf/all/disable_ipv6", "1" },
		{ "net/ipv6/conf/default/disable_ipv6", "1" },
	};
	static const char *const yes6[][2] = {
		{ "net/ipv6/conf/all/accept_dad", "0" },
		{ "net/ipv6/conf/default/accept_dad", "0" },
		{ "net/ipv6/conf/all/accept_ra", "0" },
		{ "net/ipv6/conf/default/accept_ra", "0" },
		{ "net/ipv6/conf/default/router_solicitations", "0" },
		{ "net/ipv6/conf/default/addr_gen_mode", "1" },
		{ "net/ipv6/icmp/ratelimit", "0" },
	};
	size_t i;

	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (netns_sysctl_set(common[i][0], common[i][1], err, errlen) == -1)
			return (-1);
	if (!v6) {
		for (i = 0; i < sizeof(no6) / sizeof(no6[0]); i++)
			if (netns_sysctl_set(no6[i][0], no6[i][1], err, errlen) == -1)
				return (-1);
		return (0);
	}
	for (i = 0; i < sizeof(yes6) / sizeof(yes6[0]); i++)
		if (netns_sysctl_set(yes6[i][0], yes6[i][1], err, errlen) == -1)
			return (-1);
	return (0);
}

/* Turn transmit checksum offload off on ifname (ethtool -K IF tx off): a frame the
 * stack sends without passing the hook would otherwise reach the wire with a partial
 * checksum. The calling thread is in the interface's namespace. */
static int
tx_csum_off(const char *ifname, char *err, size_t errlen)
{
	struct ethtool_value ev;
	struct ifreq ifr;
	int fd, rc;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return (-1);
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%.15s", ifname);
	ev.cmd = ETHTOOL_STXCSUM;
	ev.data = 0;
	ifr.ifr_data = (void *)&ev;
	if ((rc = ioctl(fd, SIOCETHTOOL, &ifr)) == -1)
		snprintf(err, errlen, "%s: turning checksum offload off: %s", ifname,
		    strerror(errno));
	close(fd);
	return (rc);
}

/* Configure the host namespace; the calling thread is inside it. */
static int
build_host(const char *host, const char *wire, const struct scn *s, char *err,
    size_t errlen)
{
	static char *ipargv[] = { "ip", "-batch", "-", NULL };
	static char *ipt4[] = { "iptables-restore", NULL };
	static char *ipt6[] = { "ip6tables-restore", NULL };
	struct netns_script *sc;
	int v6 = scn_uses_inet6(s), rc = -1, i;

	if (host_sysctls(v6, err, errlen) == -1 ||
	    host_forwarding(s, v6, err, errlen) == -1)
		return (-1);
	if ((sc = calloc(1, sizeof(*sc))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	netns_host_script(sc, host, wire, s);
	if (sc->overflow) {
		snprintf(err, errlen, "%s: the world is too large to build", s->path);
		goto out;
	}
	if (netns_run(ipargv, sc->buf, err, errlen) == -1)
		goto out;
	for (i = 0; i < s->niface; i++)
		if (tx_csum_off(s->iface[i].name, err, errlen) == -1)
			goto out;
	sc->len = 0;
	netns_rules_script(sc, scn_forwarding(s, AF_INET));
	if (netns_run(ipt4, sc->buf, err, errlen) == -1)
		goto out;
	sc->len = 0;
	netns_rules_script(sc, scn_forwarding(s, AF_INET6));
	if (v6 && netns_run(ipt6, sc->buf, err, errlen) == -1)
		goto out;
	rc = 0;
out:
	free(sc);
	return (rc);
}

/* Configure the wire namespace; the calling thread is inside it. */
static int
build_wire(const struct scn *s, char *err, size_t errlen)
{
	static char *ipargv[] = { "ip", "-batch", "-", NULL };
	struct netns_script sc;
	char wn[16];
	int i;

	sc.len = 0;
	sc.overflow = 0;
	netns_script_add(&sc, "link set lo up\n");
	for (i = 0; i < s->niface; i++) {
		netns_wire_if(i, wn);
		netns_script_add(&sc, "link set %s up\n", wn);
	}
	return (netns_run(ipargv, sc.buf, err, errlen));
}

/* Configure VNET jail j's namespace; the calling thread is inside it. */
static int
build_jail(const struct scn *s, int j, char *err, size_t errlen)
{
	static char *ipargv[] = { "ip", "-batch", "-", NULL };
	const struct scn_jail *jl = &s->jail[j];
	struct netns_script sc;
	char a[64];
	int n = pfhost_vnet_index(s, j);

	if (host_sysctls(jl->addr[0].af == AF_INET6, err, errlen) == -1)
		return (-1);
	sc.len = 0;
	sc.overflow = 0;
	netns_script_add(&sc, "link set lo up\nlink set epair%db up\n", n);
	netns_script_add(&sc, "addr add %s/%d dev epair%db%s\n", pkt_addr_format(&jl->addr[0],
	    a, sizeof(a)), jl->plen, n, netns_nodad(&jl->addr[0]));
	if (jl->gateway.af != 0)
		netns_script_add(&sc, "route add default via %s dev epair%db\n",
		    pkt_addr_format(&jl->gateway, a, sizeof(a)), n);
	return (netns_run(ipargv, sc.buf, err, errlen));
}

int
netns_build(const char *host, const char *wire, const struct scn *s, char *err,
    size_t errlen)
{
	char *ipargv[] = { "ip", "-batch", "-", NULL };
	struct netns_script sc;
	char jn[64];
	int fd, rc, j;

	if (netns_check_names(s, err, errlen) == -1)
		return (-1);
	sc.len = 0;
	sc.overflow = 0;
	netns_script_add(&sc, "netns add %s\nnetns add %s\n", host, wire);
	for (j = 0; j < s->njail; j++)
		if (s->jail[j].kind == SCN_JAIL_VNET) {
			netns_jail_name(host, s, j, jn);
			netns_script_add(&sc, "netns add %s\n", jn);
		}
	if (sc.overflow) {
		snprintf(err, errlen, "%s: too many VNET jails", s->path);
		return (-1);
	}
	if (netns_run(ipargv, sc.buf, err, errlen) == -1)
		return (-1);
	/* The VNET jails' namespaces, before the host's batch moves their epairs in. */
	for (j = 0; j < s->njail; j++) {
		if (s->jail[j].kind != SCN_JAIL_VNET)
			continue;
		netns_jail_name(host, s, j, jn);
		if ((fd = netns_enter(jn, err, errlen)) == -1)
			return (-1);
		rc = host_sysctls(s->jail[j].addr[0].af == AF_INET6, err, errlen);
		netns_leave(fd);
		if (rc == -1)
			return (-1);
	}
	/* The wire namespace first: the veth's peer appears there from the host's batch. */
	if ((fd = netns_enter(wire, err, errlen)) == -1)
		return (-1);
	rc = netns_sysctl_set("net/ipv6/conf/all/disable_ipv6", "1", err, errlen) == -1 ||
	    netns_sysctl_set("net/ipv6/conf/default/disable_ipv6", "1", err, errlen) == -1 ?
	    -1 : 0;
	netns_leave(fd);
	if (rc == -1)
		return (-1);
	if ((fd = netns_enter(host, err, errlen)) == -1)
		return (-1);
	rc = build_host(host, wire, s, err, errlen);
	netns_leave(fd);
	if (rc == -1)
		return (-1);
	for (j = 0; j < s->njail; j++) {
		if (s->jail[j].kind != SCN_JAIL_VNET)
			continue;
		netns_jail_name(host, s, j, jn);
		if ((fd = netns_enter(jn, err, errlen)) == -1)
			return (-1);
		rc = build_jail(s, j, err, errlen);
		netns_leave(fd);
		if (rc == -1)
			return (-1);
	}
	if ((fd = netns_enter(wire, err, errlen)) == -1)
		return (-1);
	rc = build_wire(s, err, errlen);
	netns_leave(fd);
	return (rc);
}

int
netns_forwarding(const char *host, const struct scn *s, int af, int on, char *err,
    size_t errlen)
{
	char *v4[] = { "iptables-restore", "--noflush", NULL };
	char *v6[] = { "ip6tables-restore", "--noflush", NULL };
	struct netns_script sc;
	int fd, rc;

	if (af == AF_INET6 && !scn_uses_inet6(s))
		return (0);		/* no IPv6 in this world: nothing to forward */
	sc.len = 0;
	sc.overflow = 0;
	netns_script_add(&sc, "*filter\n:FORWARD ACCEPT [0:0]\n-F FORWARD\n%sCOMMIT\n",
	    on ? "" : "-A FORWARD -j DROP\n");
	if ((fd = netns_enter(host, err, errlen)) == -1)
		return (-1);
	rc = netns_run(af == AF_INET6 ? v6 : v4, sc.buf, err, errlen);
	netns_leave(fd);
	return (rc);
}

int
netns_delete(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, name);
	if (umount2(path, MNT_DETACH) == -1 && errno != EINVAL && errno != ENOENT)
		return (-1);
	if (unlink(path) == -1 && errno != ENOENT)
		return (-1);
	return (0);
}

int
netns_pids(const char *name, pid_t *out, int max)
{
	struct stat ns, st;
	struct dirent *de;
	char path[300];
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, name);
	if (stat(path, &ns) == -1)
		return (-1);
	if ((d = opendir("/proc")) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL && n < max) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		if (stat(path, &st) == 0 && st.st_ino == ns.st_ino && st.st_dev == ns.st_dev)
			out[n++] = (pid_t)atol(de->d_name);
	}
	closedir(d);
	return (n);
}

/* The pid in a name prefix<digits>{h,w,j<digits>}, or -1 when the name is not one of
 * ours. */
static long
stale_pid(const char *name, const char *prefix)
{
	size_t pl = strlen(prefix), i;
	long pid = 0;

	if (strncmp(name, prefix, pl) != 0 || !isdigit((unsigned char)name[pl]))
		return (-1);
	for (i = pl; isdigit((unsigned char)name[i]); i++)
		if ((pid = pid * 10 + (name[i] - '0')) > 4194304)
			return (-1);
	if (name[i] == 'j' && isdigit((unsigned char)name[i + 1])) {
		for (i++; isdigit((unsigned char)name[i]); i++)
			;
		return (name[i] == '\0' ? pid : -1);
	}
	if ((name[i] != 'h' && name[i] != 'w') || name[i + 1] != '\0')
		return (-1);
	return (pid);
}

int
netns_cleanup_stale(const char *prefix)
{
	struct dirent *de;
	pid_t pids[256];
	char name[256];
	DIR *d;
	long pid;
	int i, n, removed = 0;

	if ((d = opendir(NETNS_DIR)) == NULL)
		return (0);
	while ((de = readdir(d)) != NULL) {
		if ((pid = stale_pid(de->d_name, prefix)) <= 0 || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;	/* the owner lives: not stale */
		snprintf(name, sizeof(name), "%s", de->d_name);
		n = netns_pids(name, pids, 256);
		for (i = 0; i < n; i++)
			if (pids[i] != getpid())
				kill(pids[i], SIGKILL);
		if (netns_delete(name) == 0)
			removed++;
	}
	closedir(d);
	return (removed);
}
