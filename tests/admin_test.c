/* admin_test.c: the admin's files (harness/admin): rc.conf read as sh and applied as the
 * rc scripts apply it, jail.conf's grammar and resolution, the jails' placement, the
 * root a tree is read under, and the world written as scenario statements. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "admin/adm_impl.h"
#include "base/rdfile.h"
#include "tests.h"
#include "tutil.h"

/* name in the test's folder (subfolders made), written with text; its path. */
static const char *
put(const char *name, const char *text)
{
	static char path[8][1024];
	static int k;
	char *p = path[k++ % 8], *slash;
	FILE *f;

	tut_tmp_path(p, sizeof(path[0]), name);
	for (slash = strchr(p + strlen(tut_tmp_dir()) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		(void)mkdir(p, 0755);
		*slash = '/';
	}
	if ((f = fopen(p, "w")) == NULL)
		TUT_FATAL("cannot write %s", p);
	fputs(text, f);
	fclose(f);
	return (p);
}

/* A world of an rc.conf and a jail.conf (either NULL), finished. */
static struct adm_world *
world_of(const char *rc, const char *jails)
{
	struct adm_world *w = adm_world_new(NULL);

	if (w == NULL)
		TUT_FATAL("out of memory");
	if (rc != NULL)
		(void)adm_read_rc(w, put("rc.conf", rc));
	if (jails != NULL)
		(void)adm_read_jails(w, put("jail.conf", jails));
	adm_world_finish(w);
	return (w);
}

/* 1 when interface name has address text (ADDR/LEN). */
static int
has(const struct adm_world *w, const char *name, const char *text)
{
	const struct adm_if *ifp = adm_world_iface(w, name);
	char b[64], t[80];
	int k;

	for (k = 0; ifp != NULL && k < ifp->naddr; k++) {
		snprintf(t, sizeof(t), "%s/%d", adm_addr_str(&ifp->addr[k], b, sizeof(b)),
		    ifp->addr[k].plen);
		if (strcmp(t, text) == 0)
			return (1);
	}
	return (0);
}

static int
naddr(const struct adm_world *w, const char *name)
{
	const struct adm_if *ifp = adm_world_iface(w, name);

	return (ifp != NULL ? ifp->naddr : -1);
}

static const char *
msg(const struct adm_world *w)
{
	return (adm_world_messages(w));
}

#define HAS_MSG(w, text) do {						\
	if (strstr(msg(w), (text)) == NULL)				\
		TUT_FATAL("no message \"%s\" in:\n%s", (text), msg(w));	\
} while (0)

/* The scenario text of w (malloc'd). */
static char *
scn_of(struct adm_world *w)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		TUT_FATAL("open_memstream");
	(void)adm_world_scn(w, f);
	fclose(f);
	return (buf);
}

#define HAS_LINE(text, line) do {					\
	if (strstr((text), (line)) == NULL)				\
		TUT_FATAL("no \"%s\" in:\n%s", (line), (text));		\
} while (0)

/* ---- sh ---- */

static const char *
val(struct adm_vars *v, const char *name)
{
	const struct adm_var *x = adm_sh_get(v, name);

	return (x != NULL ? x->value : "(unset)");
}

static void
test_sh_quotes(void)
{
	static const char text[] =
	    "a=\"x y\"   b='$a \\n' c=$a\n"
	    "d=\"${a}z\"; e=${undef:-dflt} f=${a:+set} g=${undef-x} h=${a:=no}\n"
	    "i=\"q\\\"uote\\$a\" j=one\\ word k=b#c # a comment\n"
	    "l=\"two\n"
	    "lines\" m=con\\\n"
	    "tinued\n"
	    "export n=exported\n"
	    "a=later   # the last one wins\n"
	    "o=${a}${undef:=set-now} p=$undef\n"
	    "r=\"${a:-}\" s=''\n";
	struct adm_world *w = adm_world_new(NULL);
	struct adm_vars v = { 0 };

	CU_ASSERT_EQUAL(adm_sh_read(w, &v, text, strlen(text), "t.conf"), 0);
	CU_ASSERT_STRING_EQUAL(val(&v, "b"), "$a \\n");
	CU_ASSERT_STRING_EQUAL(val(&v, "c"), "x y");
	CU_ASSERT_STRING_EQUAL(val(&v, "d"), "x yz");
	CU_ASSERT_STRING_EQUAL(val(&v, "e"), "dflt");
	CU_ASSERT_STRING_EQUAL(val(&v, "f"), "set");
	CU_ASSERT_STRING_EQUAL(val(&v, "g"), "x");
	CU_ASSERT_STRING_EQUAL(val(&v, "h"), "x y");
	CU_ASSERT_STRING_EQUAL(val(&v, "i"), "q\"uote$a");
	CU_ASSERT_STRING_EQUAL(val(&v, "j"), "one word");
	CU_ASSERT_STRING_EQUAL(val(&v, "k"), "b#c");
	CU_ASSERT_STRING_EQUAL(val(&v, "l"), "two\nlines");
	CU_ASSERT_STRING_EQUAL(val(&v, "m"), "continued");
	CU_ASSERT_STRING_EQUAL(val(&v, "n"), "exported");
	CU_ASSERT_STRING_EQUAL(val(&v, "a"), "later");
	CU_ASSERT_STRING_EQUAL(val(&v, "o"), "laterset-now");
	CU_ASSERT_STRING_EQUAL(val(&v, "undef"), "set-now");
	CU_ASSERT_STRING_EQUAL(val(&v, "p"), "set-now");
	CU_ASSERT_STRING_EQUAL(val(&v, "r"), "later");
	CU_ASSERT_STRING_EQUAL(val(&v, "s"), "");
	/* where each was set last: its assignment's line */
	CU_ASSERT_EQUAL(adm_sh_get(&v, "a")->at.line, 8);
	CU_ASSERT_EQUAL(adm_sh_get(&v, "m")->at.line, 5);
	CU_ASSERT_EQUAL(adm_sh_get(&v, "r")->at.line, 10);
	CU_ASSERT_STRING_EQUAL(msg(w), "");
	adm_sh_free(&v);
	adm_world_free(w);
}

static void
test_sh_errors(void)
{
	static const char text[] =
	    "a=1\n"
	    "echo hello\n"
	    "b=$(hostname)\n"
	    "c=`hostname`\n"
	    "d=${a\n"
	    "e=\"never closed\n";
	struct adm_world *w = adm_world_new(NULL);
	struct adm_vars v = { 0 };

	CU_ASSERT(adm_sh_read(w, &v, text, strlen(text), "t.conf") > 0);
	HAS_MSG(w, "t.conf:2: warning: not a variable assignment: ignored");
	HAS_MSG(w, "t.conf:3: command substitution $(...) is not read");
	HAS_MSG(w, "t.conf:4: command substitution `...` is not read");
	HAS_MSG(w, "t.conf:5: bad ${...} substitution");
	HAS_MSG(w, "t.conf:6: unterminated \"...\" string");
	CU_ASSERT_STRING_EQUAL(val(&v, "a"), "1");
	adm_sh_free(&v);
	adm_world_free(w);
}

/* ---- rc.conf ---- */

static void
test_rc_addresses(void)
{
	struct adm_world *w = world_of(
	    "ifconfig_em0=\"inet 192.0.2.1 netmask 255.255.255.0 mtu 9000 group egress\"\n"
	    "ifconfig_em1=\"inet 198.51.100.1 netmask 0xffffff80\"\n"
	    "ifconfig_em2=\"192.0.2.129/25 up\"\n"
	    "ifconfig_em3=\"inet 10.1.2.3\"\n"
	    "ifconfig_em0_ipv6=\"inet6 2001:db8::1 prefixlen 56\"\n"
	    "ifconfig_em1_ipv6=\"2001:db8:1::1\"\n"
	    "ifconfig_em2=\"inet 192.0.2.130/25\"   # later wins\n", NULL);
	const struct adm_if *em0 = adm_world_iface(w, "em0");

	CU_ASSERT(has(w, "em0", "192.0.2.1/24"));
	CU_ASSERT(has(w, "em0", "2001:db8::1/56"));
	CU_ASSERT_EQUAL(em0->mtu, 9000);
	CU_ASSERT_EQUAL(em0->ngroup, 1);
	CU_ASSERT_STRING_EQUAL(em0->group[0], "egress");
	CU_ASSERT(has(w, "em1", "198.51.100.1/25"));
	CU_ASSERT(has(w, "em1", "2001:db8:1::1/64"));	/* ifconfig's default prefixlen */
	HAS_MSG(w, "rc.conf:6: warning: $ifconfig_em1_ipv6 needs leading \"inet6\"");
	CU_ASSERT(has(w, "em2", "192.0.2.130/25"));
	CU_ASSERT_EQUAL(naddr(w, "em2"), 1);
	CU_ASSERT(has(w, "em3", "10.1.2.3/8"));	/* classful, as in.c without a mask */
	HAS_MSG(w, "rc.conf:4: warning: ifconfig_em3: 10.1.2.3 has no netmask");
	/* lo0 as the rc scripts leave it */
	CU_ASSERT(has(w, "lo0", "127.0.0.1/8"));
	CU_ASSERT(has(w, "lo0", "::1/128"));
	adm_world_free(w);
}

static void
test_rc_aliases(void)
{
	struct adm_world *w = world_of(
	    "ifconfig_em0=\"inet 192.0.2.1/24\"\n"
	    "ifconfig_em0_alias10=\"inet 192.0.2.10/32\"\n"
	    "ifconfig_em0_alias2=\"inet 192.0.2.2/32\"\n"
	    "ifconfig_em0_alias0=\"192.0.2.5/32\"\n"
	    "ifconfig_em0_alias11=\"\"\n"
	    "ifconfig_em0_alias12=\"inet 192.0.2.12/32\"\n"
	    "ipv4_addrs_em0=\"192.0.2.20-22/28 192.0.2.40\"\n"
	    "ifconfig_em0_aliases=\"inet 192.0.2.50/32 inet6 2001:db8::50/64 "
	    "inet 192.0.2.51 netmask 255.255.255.255\"\n", NULL);
	const struct adm_if *em0 = adm_world_iface(w, "em0");
	char b[64];
	int k;

	/* _aliases, then _aliasN in N's order to the first empty one, then ipv4_addrs */
	static const char *const order[] = { "192.0.2.1", "192.0.2.50", "2001:db8::50",
	    "192.0.2.51", "192.0.2.5", "192.0.2.2", "192.0.2.10", "192.0.2.20",
	    "192.0.2.21", "192.0.2.22", "192.0.2.40" };

	CU_ASSERT_EQUAL_FATAL(em0->naddr, 11);
	for (k = 0; k < 11; k++)
		CU_ASSERT_STRING_EQUAL(adm_addr_str(&em0->addr[k], b, sizeof(b)), order[k]);
	CU_ASSERT(has(w, "em0", "192.0.2.20/28"));	/* a range: the first has its len */
	CU_ASSERT(has(w, "em0", "192.0.2.21/32"));	/* the others /32 */
	/* no length and no range: ifconfig alias with no netmask, classful */
	CU_ASSERT(has(w, "em0", "192.0.2.40/24"));
	HAS_MSG(w, "rc.conf:7: warning: ipv4_addrs_em0: 192.0.2.40 has no netmask");
	CU_ASSERT(!has(w, "em0", "192.0.2.12/32"));	/* after the empty alias11 */
	HAS_MSG(w, "rc.conf:4: warning: $ifconfig_em0_alias0 needs leading \"inet\"");
	adm_world_free(w);
}

static void
test_rc_dhcp_default(void)
{
	struct adm_world *w = adm_world_new(NULL);
	char err[128];

	(void)adm_read_rc(w, put("rc.conf", "ifconfig_DEFAULT=\"SYNCDHCP\"\n"
	    "ifconfig_vtnet1=\"DHCP\"\n"
	    "ifconfig_lo1=\"DHCP\"\n"
	    "cloned_interfaces=\"lo1\"\n"
	    "ifconfig_em0_ipv6=\"inet6 accept_rtadv\"\n"));
	CU_ASSERT_EQUAL(adm_world_want(w, "vtnet0"), 0);
	CU_ASSERT_EQUAL(adm_world_if(w, "vtnet1=198.51.100.9/24", err, sizeof(err)), 0);
	adm_world_finish(w);
	/* ifconfig_DEFAULT for the interface the ruleset names; --if for vtnet1; never
	 * DHCP on a loopback (dhcpif) */
	HAS_MSG(w, "rc.conf:1: ifconfig_DEFAULT: vtnet0 takes its address from a DHCP "
	    "server: give it with --if vtnet0=ADDR/LEN");
	CU_ASSERT(strstr(msg(w), "vtnet1 takes") == NULL);
	/* em0 exists (ifconfig_em0_ipv6 names it): ifconfig_DEFAULT is its too */
	HAS_MSG(w, "rc.conf:1: ifconfig_DEFAULT: em0 takes its address from a DHCP");
	CU_ASSERT(strstr(msg(w), "lo1 takes") == NULL);
	CU_ASSERT(has(w, "vtnet1", "198.51.100.9/24"));
	HAS_MSG(w, "rc.conf:5: warning: ifconfig_em0_ipv6: em0's IPv6 address comes from "
	    "router advertisements");
	CU_ASSERT_EQUAL(w->errors, 2);
	adm_world_free(w);
}

static void
test_rc_cloned(void)
{
	struct adm_world *w = world_of(
	    "cloned_interfaces=\"lo1 bridge0 epair3:sticky tap0 wg0\"\n"
	    "ifconfig_lo1_name=\"bastille0\"\n"
	    "ifconfig_bastille0_alias0=\"inet 10.17.89.1/32\"\n"
	    "ifconfig_bridge0=\"inet 10.0.0.1/24 addm epair3a up\"\n"
	    "vlans_em0=\"101 storage\"\n"
	    "ifconfig_em0_101=\"inet 192.168.101.1/24\"\n"
	    "ifconfig_storage=\"inet 192.168.102.1/24\"\n"
	    "wlans_ath0=\"wlan0\"\n", NULL);
	const struct adm_if *ifp;

	CU_ASSERT_PTR_NULL(adm_world_iface(w, "lo1"));
	ifp = adm_world_iface(w, "bastille0");
	CU_ASSERT_FATAL(ifp != NULL);
	CU_ASSERT_EQUAL(ifp->kind, ADM_IF_LOOPBACK);
	CU_ASSERT_STRING_EQUAL(ifp->group[0], "lo");
	CU_ASSERT(has(w, "bastille0", "10.17.89.1/32"));
	ifp = adm_world_iface(w, "bridge0");
	CU_ASSERT_FATAL(ifp != NULL);
	CU_ASSERT_EQUAL(ifp->kind, ADM_IF_BRIDGE);
	CU_ASSERT_STRING_EQUAL(ifp->member[0], "epair3a");
	CU_ASSERT_STRING_EQUAL(ifp->group[0], "bridge");
	CU_ASSERT_PTR_NOT_NULL(adm_world_iface(w, "epair3a"));
	CU_ASSERT_PTR_NOT_NULL(adm_world_iface(w, "epair3b"));
	CU_ASSERT_EQUAL(adm_world_iface(w, "wg0")->kind, ADM_IF_TUNNEL);
	CU_ASSERT_STRING_EQUAL(adm_world_iface(w, "tap0")->group[0], "tap");
	CU_ASSERT(has(w, "em0.101", "192.168.101.1/24"));
	CU_ASSERT(has(w, "storage", "192.168.102.1/24"));
	CU_ASSERT_PTR_NOT_NULL(adm_world_iface(w, "wlan0"));
	adm_world_free(w);
}

static void
test_rc_routes_knobs(void)
{
	struct adm_world *w = adm_world_new(NULL);
	char b[64];

	(void)adm_read_rc(w, put("rc.conf", "ifconfig_em0=\"inet 192.0.2.1/24\"\n"
	    "defaultrouter=\"192.0.2.254\"\n"
	    "ipv6_defaultrouter=\"NO\"\n"
	    "static_routes=\"a b c d\"\n"
	    "route_a=\"-net 10.0.0.0/8 192.0.2.2\"\n"
	    "route_b=\"-net 172.16.0.0 -netmask 255.255.0.0 192.0.2.3\"\n"
	    "route_c=\"-host 198.51.100.7 192.0.2.4\"\n"
	    "gateway_enable=\"maybe\"\n"
	    "pf_enable=\"yes\"\n"));
	(void)adm_read_rc(w, put("rc.conf.local", "gateway_enable=\"YES\"\n"
	    "pf_rules=\"/usr/local/etc/pf.conf\"\n"));
	adm_world_finish(w);
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&w->defrouter[0], b, sizeof(b)), "192.0.2.254");
	CU_ASSERT_EQUAL(w->defrouter[1].af, 0);
	CU_ASSERT_EQUAL_FATAL(w->nroute, 3);
	CU_ASSERT_EQUAL(w->route[0].net.plen, 8);
	CU_ASSERT_EQUAL(w->route[1].net.plen, 16);
	CU_ASSERT_EQUAL(w->route[2].net.plen, 32);
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&w->route[2].via, b, sizeof(b)), "192.0.2.4");
	HAS_MSG(w, "static_routes names route_d, which is not set");
	/* rc.conf.local after rc.conf: its gateway_enable wins, no warning left */
	CU_ASSERT_EQUAL(w->forward[0], 1);
	CU_ASSERT(strstr(msg(w), "not set properly") == NULL);
	CU_ASSERT_EQUAL(w->pf_enable, 1);
	CU_ASSERT_STRING_EQUAL(w->pf_rules, "/usr/local/etc/pf.conf");
	adm_world_free(w);
}

static void
test_rc_folder(void)
{
	struct adm_world *w = adm_world_new(NULL);
	char dir[1024];

	(void)put("rc.conf.d/netif", "ifconfig_em0=\"inet 192.0.2.1/24\"\n");
	(void)put("rc.conf.d/pf", "pf_enable=\"YES\"\n");
	(void)put("rc.conf.d/routing/default", "defaultrouter=\"192.0.2.254\"\n");
	CU_ASSERT_EQUAL(adm_read_rc(w, tut_tmp_path(dir, sizeof(dir), "rc.conf.d")), 0);
	adm_world_finish(w);
	CU_ASSERT(has(w, "em0", "192.0.2.1/24"));
	CU_ASSERT_EQUAL(w->pf_enable, 1);
	CU_ASSERT_EQUAL(w->defrouter[0].af, AF_INET);
	CU_ASSERT_EQUAL(adm_read_rc(w, "/nonexistent/rc.conf"), -1);
	HAS_MSG(w, "/nonexistent/rc.conf: No such file or directory");
	adm_world_free(w);
}

/* ---- jail.conf ---- */

/* The defs of a jail.conf text; the world keeps the messages. */
static struct adm_jdef *
jdefs(struct adm_world *w, const char *text, int *n)
{
	struct adm_jdef *d;

	CU_ASSERT_EQUAL(adm_jconf_text(w, "j.conf", text, &d, n), 0);
	return (d);
}

static const struct adm_jdef *
jdef(const struct adm_jdef *d, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(d[i].name, name) == 0)
			return (&d[i]);
	TUT_FATAL("no jail %s", name);
	return (NULL);
}

/* The values of parameter name of d, comma-joined. */
static const char *
jval(const struct adm_jdef *d, const char *name)
{
	static char buf[1024];
	const struct adm_jparam *p = adm_jparam(d, name);
	size_t n = 0;
	int i;

	if (p == NULL)
		return ("(none)");
	buf[0] = '\0';
	for (i = 0; i < p->nval; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "," : "",
		    p->val[i].s);
	return (buf);
}

static void
test_jconf_grammar(void)
{
	static const char text[] =
	    "# shell comment\n"
	    "// C++ comment\n"
	    "/* a C comment\n"
	    "   over lines */\n"
	    "$root = \"/jails\";\n"
	    "path = \"${root}/$name\";\n"
	    "exec.clean;\n"
	    "web {\n"
	    "	ip4.addr = 10.0.0.1, 10.0.0.2;\n"
	    "	ip4.addr += \"lo1|10.0.0.3/24\";\n"
	    "	host.hostname = 'web.$name' ;\n"
	    "	allow.nomount;\n"
	    "	persist;\n"
	    "	exec.start \"/bin/sh /etc/rc\";\n"
	    "	exec.stop = esc\\ aped\\x41\\101\\n;\n"
	    "	mount.devfs = \"false\";\n"
	    "	securelevel = 3;;\n"
	    "	exec.poststart = \"a\"\"b\"c;\n"
	    "}\n"
	    ";\n"
	    "123 { persist; }\n";
	struct adm_world *w = adm_world_new(NULL);
	const struct adm_jdef *j;
	struct adm_jdef *d;
	int n;

	d = jdefs(w, text, &n);
	/* a jail named by a number has a jid, no name: $name is not there (load_config) */
	if (strcmp(msg(w), "j.conf:6: jail 123: path: variable \"name\" not found\n") != 0)
		TUT_FATAL("messages: %s", msg(w));
	CU_ASSERT_EQUAL_FATAL(n, 2);
	j = jdef(d, n, "web");
	CU_ASSERT_STRING_EQUAL(jval(j, "name"), "web");
	CU_ASSERT_STRING_EQUAL(jval(j, "path"), "/jails/web");
	CU_ASSERT_STRING_EQUAL(jval(j, "ip4.addr"), "10.0.0.1,10.0.0.2,lo1|10.0.0.3/24");
	CU_ASSERT_STRING_EQUAL(jval(j, "host.hostname"), "web.$name");	/* '' */
	CU_ASSERT_STRING_EQUAL(jval(j, "exec.start"), "/bin/sh /etc/rc");
	CU_ASSERT_STRING_EQUAL(jval(j, "exec.stop"), "esc apedAA\n");
	CU_ASSERT_STRING_EQUAL(jval(j, "exec.poststart"), "abc");
	CU_ASSERT_EQUAL(adm_jbool(j, "persist"), 1);
	CU_ASSERT_EQUAL(adm_jbool(j, "allow.mount"), 0);	/* allow.nomount */
	CU_ASSERT_EQUAL(adm_jbool(j, "mount.devfs"), 0);
	CU_ASSERT_EQUAL(adm_jbool(j, "exec.clean"), 1);	/* a global parameter */
	CU_ASSERT_PTR_NULL(adm_jparam(j, "root"));		/* a variable, not a parameter */
	j = jdef(d, n, "123");
	CU_ASSERT_STRING_EQUAL(jval(j, "jid"), "123");
	CU_ASSERT_EQUAL(j->failed, 1);
	adm_jconf_free(d, n);
	adm_world_free(w);
}

static void
test_jconf_wildcards(void)
{
	static const char text[] =
	    "* { securelevel = 1; devfs_ruleset = 4; }\n"
	    "a { securelevel = 2; }\n"
	    "* { devfs_ruleset = 5; }\n"
	    "b { devfs_ruleset = 6; }\n"
	    "host.* { vnet; }\n"
	    "host { vnet = disable; child { ip4.addr = 10.9.0.1; } }\n"
	    "exec.clean;\n";
	struct adm_world *w = adm_world_new(NULL);
	struct adm_jdef *d;
	int n;

	d = jdefs(w, text, &n);
	CU_ASSERT_STRING_EQUAL(msg(w), "");
	CU_ASSERT_EQUAL_FATAL(n, 4);
	/* a wildcard before a jail gives defaults it overrides; one after it wins */
	CU_ASSERT_STRING_EQUAL(jval(jdef(d, n, "a"), "securelevel"), "2");
	CU_ASSERT_STRING_EQUAL(jval(jdef(d, n, "a"), "devfs_ruleset"), "5");
	CU_ASSERT_STRING_EQUAL(jval(jdef(d, n, "b"), "devfs_ruleset"), "6");
	CU_ASSERT_STRING_EQUAL(jval(jdef(d, n, "b"), "securelevel"), "1");
	/* global parameters after every jail: every jail has them */
	CU_ASSERT_EQUAL(adm_jbool(jdef(d, n, "a"), "exec.clean"), 1);
	/* host.* matches host.child, a nested block's name */
	CU_ASSERT_EQUAL(adm_jbool(jdef(d, n, "host.child"), "vnet"), 1);
	CU_ASSERT_STRING_EQUAL(jval(jdef(d, n, "host"), "vnet"), "disable");
	CU_ASSERT_STRING_EQUAL(jval(jdef(d, n, "host.child"), "ip4.addr"), "10.9.0.1");
	adm_jconf_free(d, n);
	adm_world_free(w);
}

static void
test_jconf_variables(void)
{
	static const char text[] =
	    "$list = 10.0.0.1, 10.0.0.2;\n"
	    "a { ip4.addr = $list; $x = \"${y}-x\"; $y = \"y\"; host.hostname = \"$x\"; }\n"
	    "b { host.hostname = \"h-$list\"; }\n"
	    "c { path = $nothere; }\n"
	    "d { $p = \"$q\"; $q = \"$p\"; path = $p; }\n"
	    "e { name = other; }\n"
	    "f { path = /x; $path = x; }\n";
	struct adm_world *w = adm_world_new(NULL);
	struct adm_jdef *d;
	int n;

	d = jdefs(w, text, &n);
	CU_ASSERT_EQUAL_FATAL(n, 6);
	/* an array alone is substituted whole; a variable defined later is found */
	CU_ASSERT_STRING_EQUAL(jval(jdef(d, n, "a"), "ip4.addr"), "10.0.0.1,10.0.0.2");
	CU_ASSERT_STRING_EQUAL(jval(jdef(d, n, "a"), "host.hostname"), "y-x");
	CU_ASSERT_EQUAL(jdef(d, n, "a")->failed, 0);
	HAS_MSG(w, "j.conf:3: jail b: host.hostname: array cannot be substituted inline");
	HAS_MSG(w, "j.conf:4: jail c: path: variable \"nothere\" not found");
	HAS_MSG(w, "variable loop");
	HAS_MSG(w, "j.conf:6: jail e: cannot redefine parameter \"name\".");
	HAS_MSG(w, "j.conf:7: jail f: variable \"$path\" cannot have the same name as a "
	    "parameter.");
	CU_ASSERT(jdef(d, n, "b")->failed && jdef(d, n, "c")->failed &&
	    jdef(d, n, "d")->failed && jdef(d, n, "e")->failed);
	adm_jconf_free(d, n);
	adm_world_free(w);
}

static void
test_jconf_errors(void)
{
	struct adm_world *w = adm_world_new(NULL);
	struct adm_jdef *d;
	int n;

	d = jdefs(w, "a {\n ip4.addr = 10.0.0.1\n}\n", &n);
	HAS_MSG(w, "j.conf:3: }: syntax error");
	CU_ASSERT_EQUAL(n, 0);		/* jail(8) reads no jail from a bad file */
	adm_jconf_free(d, n);
	adm_world_free(w);
	w = adm_world_new(NULL);
	d = jdefs(w, "a { persist; }\n/* never closed\n", &n);
	HAS_MSG(w, "j.conf:2: unterminated comment");
	adm_jconf_free(d, n);
	adm_world_free(w);
	w = adm_world_new(NULL);
	d = jdefs(w, "a { path = \"x;\n}\n", &n);
	HAS_MSG(w, "j.conf:1: unterminated string");
	adm_jconf_free(d, n);
	adm_world_free(w);
	w = adm_world_new(NULL);
	d = jdefs(w, "a { path = ${x;\n}\n", &n);
	HAS_MSG(w, "j.conf:1: unterminated variable");
	adm_jconf_free(d, n);
	adm_world_free(w);
}

static void
test_jconf_include(void)
{
	struct adm_world *w = adm_world_new(NULL);
	struct adm_jdef *d;
	const char *main;
	int n;

	(void)put("jail.conf.d/b.conf", "b { ip4.addr = 10.0.0.2; }\n");
	(void)put("jail.conf.d/a.conf", "a { ip4.addr = 10.0.0.1; }\n$v = x;\n");
	(void)put("jail.conf.d/skip.txt", "not { read; }\n");
	main = put("jail.conf", "exec.clean;\n"
	    ".include \"jail.conf.d/*.conf\";\n"
	    ".include \"nothing/*.conf\";	# a pattern that matches nothing: no error\n"
	    "c { ip4.addr = 10.0.0.3; }\n");
	CU_ASSERT_EQUAL(adm_jconf_read(w, main, &d, &n), 0);
	if (n != 3)
		TUT_FATAL("%d jails; messages: %s", n, msg(w));
	CU_ASSERT_STRING_EQUAL(d[0].name, "a");		/* glob's order */
	CU_ASSERT_STRING_EQUAL(d[1].name, "b");
	CU_ASSERT_STRING_EQUAL(d[2].name, "c");
	CU_ASSERT_EQUAL(adm_jbool(&d[0], "exec.clean"), 1);
	CU_ASSERT_STRING_EQUAL(msg(w), "");
	adm_jconf_free(d, n);
	adm_world_free(w);
	w = adm_world_new(NULL);
	main = put("bad.conf", ".include \"missing.conf\";\n"
	    ".include \"$v.conf\";\n"
	    "c { ip4.addr = 10.0.0.3; }\n");
	CU_ASSERT_EQUAL(adm_jconf_read(w, main, &d, &n), 0);
	HAS_MSG(w, "bad.conf:1: missing.conf: No such file or directory");
	HAS_MSG(w, "bad.conf:2: variables not permitted in '.include' filename");
	CU_ASSERT_EQUAL(n, 0);
	adm_jconf_free(d, n);
	adm_world_free(w);
}

/* ---- jails into the world ---- */

static void
test_jails_placed(void)
{
	struct adm_world *w = world_of(
	    "ifconfig_em0=\"inet 203.0.113.1/24\"\n"
	    "ifconfig_em0_alias0=\"inet 203.0.113.5/32\"\n"
	    "cloned_interfaces=\"lo1\"\n",
	    "a { ip4.addr = \"lo1|10.0.0.1/24\"; }\n"
	    "b { interface = lo1; ip4.addr = 10.0.0.2; ip6.addr = fd00::2; }\n"
	    "c { ip4.addr = 203.0.113.5; }\n"
	    "d { ip4.addr = 198.51.100.4; }\n"
	    "e { ip4.addr = \"lo7|10.0.0.7\"; }\n"
	    "f { ip4 = inherit; }\n");
	const struct adm_jail *j;
	char b[64];

	CU_ASSERT_EQUAL_FATAL(w->njail, 6);
	j = &w->jail[0];
	CU_ASSERT_STRING_EQUAL(j->addr[0].ifname, "lo1");
	CU_ASSERT_EQUAL(j->addr[0].a.plen, 24);
	j = &w->jail[1];
	CU_ASSERT_EQUAL(j->naddr, 2);
	CU_ASSERT_STRING_EQUAL(j->addr[1].ifname, "lo1");
	CU_ASSERT_EQUAL(j->addr[0].a.plen, 32);		/* jail(8): netmask 255.255.255.255 */
	CU_ASSERT_EQUAL(j->addr[1].a.plen, 128);
	/* c: the address rc.conf puts on em0 is the jail's, no longer the host's */
	j = &w->jail[2];
	CU_ASSERT_STRING_EQUAL(j->addr[0].ifname, "em0");
	CU_ASSERT(!has(w, "em0", "203.0.113.5/32"));
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&j->addr[0].a, b, sizeof(b)), "203.0.113.5");
	HAS_MSG(w, "jail.conf:4: jail d: 198.51.100.4 is on no interface");
	HAS_MSG(w, "jail.conf:5: jail e: interface lo7 is in no rc.conf line "
	    "(cloned_interfaces, ifconfig_lo7): declare it with --if lo7");
	HAS_MSG(w, "jail.conf:6: warning: jail f shares the host's addresses");
	adm_world_free(w);
}

static void
test_jails_vnet(void)
{
	struct adm_world *w = adm_world_new(NULL);
	const struct adm_jail *j;
	char b[64];

	(void)adm_read_rc(w, put("rc.conf", "ifconfig_em0=\"inet 203.0.113.1/24\"\n"
	    "cloned_interfaces=\"bridge0 bridge1\"\n"
	    "ifconfig_bridge0=\"inet 10.1.0.1/24\"\n"
	    "ifconfig_bridge1=\"inet 10.2.0.1/24\"\n"));
	(void)adm_read_jails(w, put("jail.conf",
	    "vnet;\n"
	    "app { vnet.interface = epair1b;\n"
	    "  exec.prestart = \"ifconfig epair1 create up && ifconfig bridge0 addm epair1a\";\n"
	    "  exec.prestart += \"ifconfig epair1b 10.9.9.9/24\";  # on the host: lost\n"
	    "  exec.start = \"ifconfig epair1b inet 10.1.0.5/24 up; route add default "
	    "10.1.0.1\"; }\n"
	    "ext { vnet.interface = e0b_ext; exec.prestart = \"jib addm ext em0\"; }\n"
	    "nowhere { vnet.interface = epair3b; }\n"));
	adm_world_finish(w);
	j = &w->jail[0];
	CU_ASSERT_EQUAL(j->vnet, 1);
	CU_ASSERT_STRING_EQUAL(j->bridge, "bridge0");
	CU_ASSERT_EQUAL_FATAL(j->naddr, 1);
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&j->addr[0].a, b, sizeof(b)), "10.1.0.5");
	CU_ASSERT_EQUAL(j->addr[0].a.plen, 24);
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&j->gw, b, sizeof(b)), "10.1.0.1");
	CU_ASSERT_STRING_EQUAL(w->jail[1].external, "em0");
	HAS_MSG(w, "jail nowhere: a VNET jail whose address the files do not say");
	adm_world_free(w);
}

static void
test_jails_vnet_rcconf(void)
{
	struct adm_world *w = adm_world_new(NULL);
	char path[1024], text[2048];
	const struct adm_jail *j;
	char b[64];

	(void)adm_read_rc(w, put("rc.conf", "cloned_interfaces=\"bridge1\"\n"
	    "ifconfig_bridge1=\"inet 10.2.0.1/24\"\n"));
	(void)put("jails/db/etc/rc.conf", "ifconfig_epair2b_name=\"vnet0\"\n"
	    "ifconfig_vnet0=\"inet 10.2.0.7/24\"\ndefaultrouter=\"10.2.0.254\"\n");
	snprintf(text, sizeof(text), "db { vnet; vnet.interface = epair2b; path = \"%s\"; "
	    "}\n", tut_tmp_path(path, sizeof(path), "jails/db"));
	(void)adm_read_jails(w, put("jail.conf", text));
	adm_world_finish(w);
	CU_ASSERT_EQUAL_FATAL(w->njail, 1);
	j = &w->jail[0];
	CU_ASSERT_EQUAL_FATAL(j->naddr, 1);
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&j->addr[0].a, b, sizeof(b)), "10.2.0.7");
	CU_ASSERT_STRING_EQUAL(j->bridge, "bridge1");	/* the bridge holding its network */
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&j->gw, b, sizeof(b)), "10.2.0.254");
	CU_ASSERT_STRING_EQUAL(msg(w), "");
	adm_world_free(w);
}

static void
test_jail_override(void)
{
	struct adm_world *w = adm_world_new(NULL);
	char err[128];

	(void)adm_read_rc(w, put("rc.conf", "cloned_interfaces=\"lo1\"\n"));
	(void)adm_read_jails(w, put("jail.conf", "a { ip4.addr = 10.0.0.1; }\n"));
	CU_ASSERT_EQUAL(adm_world_jail(w, "a=lo1|10.0.0.9/24", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(adm_world_jail(w, "nosuch=10.0.0.8", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(adm_world_jail(w, "bad", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(adm_world_group(w, "egress=lo1", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(adm_world_group(w, "egress1=lo1", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(adm_world_group(w, "g=em9", err, sizeof(err)), 0);
	adm_world_finish(w);
	CU_ASSERT_EQUAL(w->jail[0].naddr, 1);
	CU_ASSERT_EQUAL(w->jail[0].addr[0].a.plen, 24);
	CU_ASSERT(strstr(msg(w), "10.0.0.1 is on no interface") == NULL);
	HAS_MSG(w, "--jail nosuch=10.0.0.8: no jail nosuch in the jail files");
	HAS_MSG(w, "--group g=em9: no interface em9 (declare it with --if em9=ADDR/LEN)");
	CU_ASSERT_STRING_EQUAL(adm_world_iface(w, "lo1")->group[1], "egress");
	adm_world_free(w);
}

/* ---- the root and Bastille ---- */

static void
test_root(void)
{
	struct adm_world *w;
	struct rdfile rf;
	char root[1024], err[512], *p;

	tut_tmp_path(root, sizeof(root), "tree");
	(void)put("tree/etc/rc.conf", "ifconfig_em0=\"inet 192.0.2.1/24\"\n"
	    "pf_enable=\"YES\"\npf_rules=\"/etc/pf/main.conf\"\n");
	(void)put("tree/etc/rc.conf.local", "cloned_interfaces=\"lo1\"\n");
	(void)put("tree/etc/jail.conf", "$d = /var/jails;\n"
	    ".include \"/etc/jail.conf.d/*.conf\";\n"
	    "a { ip4.addr = \"lo1|10.0.0.1\"; path = \"$d/$name\"; }\n");
	(void)put("tree/etc/jail.conf.d/b.conf", "b { ip4.addr = \"lo1|10.0.0.2\"; }\n");
	(void)put("tree/etc/pf/main.conf", "pass\n");
	(void)put("tree/etc/pf/table", "192.0.2.77\n");
	if ((w = adm_world_new(root)) == NULL)
		TUT_FATAL("out of memory");
	CU_ASSERT_EQUAL(adm_read_root(w, 1, 1), 0);
	adm_world_finish(w);
	CU_ASSERT(has(w, "em0", "192.0.2.1/24"));
	CU_ASSERT_PTR_NOT_NULL(adm_world_iface(w, "lo1"));	/* rc.conf.local */
	CU_ASSERT_EQUAL(w->njail, 2);				/* the include, under root */
	p = adm_world_pf_path(w);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p + strlen(root), "/etc/pf/main.conf");
	CU_ASSERT_EQUAL(strncmp(p, root, strlen(root)), 0);
	free(p);
	p = adm_path(w, "relative/x");
	CU_ASSERT_STRING_EQUAL(p, "relative/x");		/* only absolute paths move */
	free(p);
	if (strcmp(msg(w), "") != 0)
		TUT_FATAL("messages: %s", msg(w));
	/* the files a ruleset names (tables, anchors) under the root */
	CU_ASSERT_EQUAL(rdfile_read("/etc/pf/table", 0, 0, &rf, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(rdfile_root(root), 0);
	CU_ASSERT_EQUAL(rdfile_read("/etc/pf/table", 0, 0, &rf, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(rf.buf, "192.0.2.77\n");
	rdfile_free(&rf);
	CU_ASSERT_EQUAL(rdfile_root(NULL), 0);
	adm_world_free(w);
}

static void
test_bastille(void)
{
	struct adm_world *w;
	char root[1024], *rules, *table;
	const char *name;

	tut_tmp_path(root, sizeof(root), "tree");
	(void)put("tree/etc/rc.conf", "ifconfig_vtnet0=\"inet 203.0.113.10/24\"\n"
	    "cloned_interfaces=\"lo1\"\nifconfig_lo1_name=\"bastille0\"\npf_enable=YES\n");
	(void)put("tree/etc/pf.conf", "ext_if = \"vtnet0\"\nrdr-anchor \"rdr/*\"\n");
	(void)put("tree/usr/local/etc/bastille/bastille.conf",
	    "bastille_prefix=\"/pool/bastille\"\nbastille_network_pf_table=\"jailnet\"\n");
	(void)put("tree/pool/bastille/jails/web/jail.conf",
	    "web { interface = bastille0; ip4.addr = 10.17.89.10; }\n");
	(void)put("tree/pool/bastille/jails/web/rdr.conf",
	    "dual vtnet0 any any tcp 8080 80\n"
	    "ipv4 vtnet0 198.51.100.0/24 203.0.113.10 udp 53 53 log\n"
	    "tcp 2222 22\n"
	    "bad line\n");
	(void)put("tree/pool/bastille/jails/pub/jail.conf",
	    "pub { ip4.addr = \"vtnet0|203.0.113.11\"; }\n");
	if ((w = adm_world_new(root)) == NULL)
		TUT_FATAL("out of memory");
	CU_ASSERT_EQUAL(adm_read_root(w, 1, 1), 0);
	adm_world_finish(w);
	CU_ASSERT_EQUAL_FATAL(w->njail, 2);
	CU_ASSERT_STRING_EQUAL(w->jail[1].name, "web");
	rules = adm_jail_rdr(w, &w->jail[1]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rules);
	CU_ASSERT_STRING_EQUAL(rules,
	    "ext_if=\"vtnet0\"\n"
	    "rdr pass on $ext_if inet proto tcp from any to any port 8080 -> 10.17.89.10 "
	    "port 80\n"
	    "ext_if=\"vtnet0\"\n"
	    "rdr pass log on $ext_if inet proto udp from 198.51.100.0/24 to 203.0.113.10 "
	    "port 53 -> 10.17.89.10 port 53\n"
	    "ext_if = \"vtnet0\"\n"
	    "rdr pass on $ext_if inet proto tcp from any to any port 2222 -> 10.17.89.10 "
	    "port 22\n");
	free(rules);
	HAS_MSG(w, "rdr.conf:4: not a line of Bastille's rdr.conf");
	/* the loopback jail goes in Bastille's table; the one on vtnet0's network not */
	table = adm_bastille_table(w, &name);
	CU_ASSERT_STRING_EQUAL(name, "jailnet");
	CU_ASSERT_STRING_EQUAL(table, "10.17.89.10");
	free(table);
	adm_world_free(w);
}

/* ---- the world as a scenario ---- */

static void
test_scn(void)
{
	struct adm_world *w = world_of(
	    "ifconfig_em1=\"inet 192.0.2.1/24\"\n"
	    "ifconfig_em0=\"inet 203.0.113.254/24 mtu 1400 group egress\"\n"
	    "ifconfig_em0_alias0=\"inet 203.0.113.7/32\"\n"
	    "ifconfig_em0_ipv6=\"inet6 2001:db8::1/64\"\n"
	    "ipv6_defaultrouter=\"2001:db8::ffff\"\n"
	    "ifconfig_em2=\"up\"\n"
	    "cloned_interfaces=\"lo1 bridge0\"\n"
	    "ifconfig_bridge0=\"inet 10.5.0.1/24\"\n"
	    "static_routes=\"lan\"\nroute_lan=\"-net 172.16.0.0/12 192.0.2.254\"\n"
	    "gateway_enable=\"YES\"\n",
	    "a.b { ip4.addr = \"lo1|10.77.0.1\"; }\n"
	    "9c { ip4.addr = \"lo1|10.77.3.4\"; }\n"
	    "v { vnet; vnet.interface = epair0b; exec.start = \"ifconfig epair0b "
	    "10.5.0.9/24\"; }\n");
	char *s = scn_of(w);

	/* no defaultrouter: the first interface with an IPv4 network is primary; its
	 * last usable address is the host's own, so the gateway is the first */
	HAS_LINE(s, "host em1 192.0.2.1/24  ");
	HAS_LINE(s, "host em0 203.0.113.254/24  ");
	HAS_LINE(s, "host em0 alias 203.0.113.7/32");
	HAS_LINE(s, "host em0 inet6 2001:db8::1/64");
	HAS_LINE(s, "host em0 mtu 1400");
	HAS_LINE(s, "host em2 down");
	HAS_LINE(s, "group egress em0");
	HAS_LINE(s, "bridge bridge0 10.5.0.1/24");
	HAS_LINE(s, "loopback lo1 10.77.0.0/22");	/* both jails, no wider: 10.77/24 */
	HAS_LINE(s, "jail a_b 10.77.0.1");
	HAS_LINE(s, "jail j9c 10.77.3.4");
	HAS_LINE(s, "vnet jail v 10.5.0.9/24 on bridge0");
	HAS_LINE(s, "route 172.16.0.0/12 via 192.0.2.254");
	HAS_LINE(s, "sysctl net.inet.ip.forwarding=1");
	HAS_LINE(s, "# pf_enable is not YES");
	free(s);
	adm_world_free(w);
	w = world_of("ifconfig_em0=\"inet 203.0.113.254/24\"\n", NULL);
	s = scn_of(w);
	HAS_LINE(s, "host em0 203.0.113.254/24 gateway 203.0.113.1");
	free(s);
	adm_world_free(w);
}

static void
test_scn_problems(void)
{
	struct adm_world *w = world_of(
	    "ifconfig_em0=\"inet 203.0.113.1/24\"\n"
	    "defaultrouter=\"198.51.100.1\"\n"
	    "cloned_interfaces=\"lo1 lo2 bridge0\"\n"
	    "ifconfig_bridge0=\"addm em1 up\"\n",
	    "a { ip4.addr = \"lo1|10.0.0.1\", \"em0|203.0.113.9\"; ip6.addr = "
	    "\"lo1|fd00::1\"; }\n"
	    "b { ip4.addr = \"lo2|10.1.0.1\"; }\n");
	char *s = scn_of(w);

	HAS_MSG(w, "rc.conf:2: defaultrouter: no network of the host's interfaces holds "
	    "it");
	HAS_MSG(w, "jail.conf:1: jail a: fd00::1 is outside the loopback network");
	HAS_MSG(w, "jail.conf:1: jail a: 203.0.113.9 is on em0, its other addresses on "
	    "lo1");
	HAS_MSG(w, "jail.conf:2: jail b is on lo2, other jails on lo1");
	HAS_MSG(w, "a scenario has one loopback for its jails (lo1): lo2 is left out");
	HAS_MSG(w, "rc.conf:3: warning: cloned_interfaces: bridge bridge0 of the host's "
	    "NICs is written as one external interface");
	HAS_LINE(s, "jail a 10.0.0.1  ");
	HAS_LINE(s, "host bridge0 down");
	HAS_LINE(s, "group bridge bridge0  ");	/* not a `bridge` statement: said */
	CU_ASSERT(strstr(s, "jail b") == NULL);
	CU_ASSERT(strstr(s, "\nbridge ") == NULL);
	free(s);
	adm_world_free(w);

	/* a bridge of NICs that VNET jails join: they would be on the NIC's wire */
	w = world_of("ifconfig_em0=\"inet 203.0.113.1/24\"\n"
	    "cloned_interfaces=\"bridge0\"\n"
	    "ifconfig_bridge0=\"inet 10.1.0.1/24 addm em1 up\"\n",
	    "v { vnet; vnet.interface = epair1b; exec.prestart = \"ifconfig bridge0 addm "
	    "epair1a\"; exec.start = \"ifconfig epair1b 10.1.0.5/24\"; }\n");
	s = scn_of(w);
	HAS_MSG(w, "rc.conf:2: cloned_interfaces: bridge bridge0 has member em1 and VNET "
	    "jails");
	HAS_LINE(s, "bridge bridge0 10.1.0.1/24");
	HAS_LINE(s, "vnet jail v 10.1.0.5/24 on bridge0");
	free(s);
	adm_world_free(w);

	/* a bridge of NICs with the host's address: one external interface */
	w = world_of("ifconfig_fxp0=\"inet 198.51.100.2/30\"\n"
	    "defaultrouter=\"198.51.100.1\"\n"
	    "cloned_interfaces=\"bridge0\"\n"
	    "ifconfig_bridge0=\"inet 192.168.10.1/24 addm em0 addm em1 up\"\n", NULL);
	s = scn_of(w);
	HAS_LINE(s, "host fxp0 198.51.100.2/30 gateway 198.51.100.1");
	HAS_LINE(s, "host bridge0 192.168.10.1/24  ");
	HAS_LINE(s, "group bridge bridge0");
	CU_ASSERT_EQUAL(w->errors, 0);
	free(s);
	adm_world_free(w);

	/* a VNET jail's own rc.conf: its epair ends are its NICs */
	w = world_of("ifconfig_epair0b_name=\"eth0\"\n"
	    "ifconfig_eth0=\"inet 10.0.0.39/24\"\ndefaultrouter=\"10.0.0.1\"\n", NULL);
	s = scn_of(w);
	HAS_LINE(s, "host eth0 10.0.0.39/24 gateway 10.0.0.1");
	CU_ASSERT_EQUAL(w->errors, 0);
	free(s);
	adm_world_free(w);

	/* no address at all: said at the DHCP line, naming --if */
	w = world_of("ifconfig_em0=\"DHCP\"\n", NULL);
	s = scn_of(w);
	HAS_MSG(w, "rc.conf:1: ifconfig_em0: em0 takes its address from a DHCP server: "
	    "give it with --if em0=ADDR/LEN");
	HAS_LINE(s, "host em0 down");
	free(s);
	adm_world_free(w);
}

/* Where a written statement comes from, and the checks' messages told there. */
static void
test_scn_origin(void)
{
	static const char text[] =
	    "host em0 192.0.2.1/24                   # /etc/rc.conf:3 ifconfig_em0\n"
	    "host em1 192.0.2.129/25                 # --if em1\n"
	    "sysctl net.inet.ip.forwarding=0         # /etc/defaults/rc.conf gateway_enable\n"
	    "\n"
	    "pfctl -t jails -T add 10.0.0.1\n";
	char out[1024];

	CU_ASSERT_EQUAL(adm_world_origin(text, 1, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "/etc/rc.conf:3: ifconfig_em0: `host em0 192.0.2.1/24`");
	CU_ASSERT_EQUAL(adm_world_origin(text, 2, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "pfharness: --if em1: `host em1 192.0.2.129/25`");
	CU_ASSERT_EQUAL(adm_world_origin(text, 3, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "/etc/defaults/rc.conf: gateway_enable: "
	    "`sysctl net.inet.ip.forwarding=0`");
	CU_ASSERT_EQUAL(adm_world_origin(text, 4, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(adm_world_origin(text, 5, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "pfharness: `pfctl -t jails -T add 10.0.0.1`");
	CU_ASSERT_EQUAL(adm_world_origin(text, 9, out, sizeof(out)), -1);
	CU_ASSERT_STRING_EQUAL(out, "pfharness");

	adm_world_retell(text, "overlaps em0's 192.0.2.1/24 (line 1)", 0, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "overlaps em0's 192.0.2.1/24 (/etc/rc.conf:3)");
	adm_world_retell(text, "overlaps em0's 192.0.2.1/24 (line 1)", 7, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "overlaps em0's 192.0.2.1/24 (line 7)");
	adm_world_retell(text, "declared at line 2, inline 3", 0, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "declared at line 2, inline 3");
}

int
admin_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("admin", NULL, NULL,
	    tut_tmp_setup, tut_tmp_teardown);

	if (s == NULL ||
	    CU_add_test(s, "sh: quotes, expansions, escapes, later wins", test_sh_quotes) ==
	    NULL ||
	    CU_add_test(s, "sh: what is not read, said at its line", test_sh_errors) ==
	    NULL ||
	    CU_add_test(s, "rc.conf: ifconfig_IF addresses, masks, mtu, group, ipv6",
	    test_rc_addresses) == NULL ||
	    CU_add_test(s, "rc.conf: aliases in network.subr's order, ranges",
	    test_rc_aliases) == NULL ||
	    CU_add_test(s, "rc.conf: DHCP, ifconfig_DEFAULT, --if, accept_rtadv",
	    test_rc_dhcp_default) == NULL ||
	    CU_add_test(s, "rc.conf: cloned interfaces, renames, vlans, wlans",
	    test_rc_cloned) == NULL ||
	    CU_add_test(s, "rc.conf: routes, knobs, rc.conf.local after rc.conf",
	    test_rc_routes_knobs) == NULL ||
	    CU_add_test(s, "rc.conf: an rc.conf.d folder", test_rc_folder) == NULL ||
	    CU_add_test(s, "jail.conf: the grammar", test_jconf_grammar) == NULL ||
	    CU_add_test(s, "jail.conf: wildcards, globals, nested names",
	    test_jconf_wildcards) == NULL ||
	    CU_add_test(s, "jail.conf: variables and their errors", test_jconf_variables) ==
	    NULL ||
	    CU_add_test(s, "jail.conf: syntax errors at their lines", test_jconf_errors) ==
	    NULL ||
	    CU_add_test(s, "jail.conf: .include with a glob", test_jconf_include) == NULL ||
	    CU_add_test(s, "jails: addresses placed on interfaces", test_jails_placed) ==
	    NULL ||
	    CU_add_test(s, "jails: VNET from the jail's commands", test_jails_vnet) ==
	    NULL ||
	    CU_add_test(s, "jails: VNET from the jail's own rc.conf",
	    test_jails_vnet_rcconf) == NULL ||
	    CU_add_test(s, "--jail and --group", test_jail_override) == NULL ||
	    CU_add_test(s, "--root: the files and the ruleset's under it", test_root) ==
	    NULL ||
	    CU_add_test(s, "Bastille: prefix, rdr.conf, table", test_bastille) == NULL ||
	    CU_add_test(s, "the world as scenario statements", test_scn) == NULL ||
	    CU_add_test(s, "what a scenario cannot hold", test_scn_problems) == NULL ||
	    CU_add_test(s, "where a written statement comes from", test_scn_origin) ==
	    NULL)
		return (-1);
	return (0);
}
