/* admin_test.c: the admin's files read (harness/admin): rc.conf read as sh and applied
 * as the rc scripts apply it, jail.conf's grammar and resolution. The world they make
 * is admin_world_test.c's. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "admin/adm_impl.h"
#include "admin_tutil.h"
#include "tests.h"
#include "tutil.h"

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
	CU_ASSERT_STRING_EQUAL(at_msg(w), "");
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
	AT_HAS_MSG(w, "t.conf:2: warning: not a variable assignment: ignored");
	AT_HAS_MSG(w, "t.conf:3: command substitution $(...) is not read");
	AT_HAS_MSG(w, "t.conf:4: command substitution `...` is not read");
	AT_HAS_MSG(w, "t.conf:5: bad ${...} substitution");
	AT_HAS_MSG(w, "t.conf:6: unterminated \"...\" string");
	CU_ASSERT_STRING_EQUAL(val(&v, "a"), "1");
	adm_sh_free(&v);
	adm_world_free(w);
}

/* ---- rc.conf ---- */

static void
test_rc_addresses(void)
{
	struct adm_world *w = at_world(
	    "ifconfig_em0=\"inet 192.0.2.1 netmask 255.255.255.0 mtu 9000 group egress\"\n"
	    "ifconfig_em1=\"inet 198.51.100.1 netmask 0xffffff80\"\n"
	    "ifconfig_em2=\"192.0.2.129/25 up\"\n"
	    "ifconfig_em3=\"inet 10.1.2.3\"\n"
	    "ifconfig_em0_ipv6=\"inet6 2001:db8::1 prefixlen 56\"\n"
	    "ifconfig_em1_ipv6=\"2001:db8:1::1\"\n"
	    "ifconfig_em2=\"inet 192.0.2.130/25\"   # later wins\n", NULL);
	const struct adm_if *em0 = adm_world_iface(w, "em0");

	CU_ASSERT(at_has(w, "em0", "192.0.2.1/24"));
	CU_ASSERT(at_has(w, "em0", "2001:db8::1/56"));
	CU_ASSERT_EQUAL(em0->mtu, 9000);
	CU_ASSERT_EQUAL(em0->ngroup, 1);
	CU_ASSERT_STRING_EQUAL(em0->group[0], "egress");
	CU_ASSERT(at_has(w, "em1", "198.51.100.1/25"));
	CU_ASSERT(at_has(w, "em1", "2001:db8:1::1/64"));	/* ifconfig's default prefixlen */
	AT_HAS_MSG(w, "rc.conf:6: warning: $ifconfig_em1_ipv6 needs leading \"inet6\"");
	CU_ASSERT(at_has(w, "em2", "192.0.2.130/25"));
	CU_ASSERT_EQUAL(at_naddr(w, "em2"), 1);
	CU_ASSERT(at_has(w, "em3", "10.1.2.3/8"));	/* classful, as in.c without a mask */
	AT_HAS_MSG(w, "rc.conf:4: warning: ifconfig_em3: 10.1.2.3 has no netmask");
	/* lo0 as the rc scripts leave it */
	CU_ASSERT(at_has(w, "lo0", "127.0.0.1/8"));
	CU_ASSERT(at_has(w, "lo0", "::1/128"));
	adm_world_free(w);
}

static void
test_rc_aliases(void)
{
	struct adm_world *w = at_world(
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
	CU_ASSERT(at_has(w, "em0", "192.0.2.20/28"));	/* a range: the first has its len */
	CU_ASSERT(at_has(w, "em0", "192.0.2.21/32"));	/* the others /32 */
	/* no length and no range: ifconfig alias with no netmask, classful */
	CU_ASSERT(at_has(w, "em0", "192.0.2.40/24"));
	AT_HAS_MSG(w, "rc.conf:7: warning: ipv4_addrs_em0: 192.0.2.40 has no netmask");
	CU_ASSERT(!at_has(w, "em0", "192.0.2.12/32"));	/* after the empty alias11 */
	AT_HAS_MSG(w, "rc.conf:4: warning: $ifconfig_em0_alias0 needs leading \"inet\"");
	adm_world_free(w);
}

static void
test_rc_dhcp_default(void)
{
	struct adm_world *w = adm_world_new(NULL);
	char err[128];

	(void)adm_read_rc(w, at_put("rc.conf", "ifconfig_DEFAULT=\"SYNCDHCP\"\n"
	    "ifconfig_vtnet1=\"DHCP\"\n"
	    "ifconfig_lo1=\"DHCP\"\n"
	    "cloned_interfaces=\"lo1\"\n"
	    "ifconfig_em0_ipv6=\"inet6 accept_rtadv\"\n"));
	CU_ASSERT_EQUAL(adm_world_want(w, "vtnet0"), 0);
	CU_ASSERT_EQUAL(adm_world_if(w, "vtnet1=198.51.100.9/24", err, sizeof(err)), 0);
	adm_world_finish(w);
	/* ifconfig_DEFAULT for the interface the ruleset names; --if for vtnet1; never
	 * DHCP on a loopback (dhcpif) */
	AT_HAS_MSG(w, "rc.conf:1: ifconfig_DEFAULT: vtnet0 takes its address from a DHCP "
	    "server: give it with --if vtnet0=ADDR/LEN");
	CU_ASSERT(strstr(at_msg(w), "vtnet1 takes") == NULL);
	/* em0 exists (ifconfig_em0_ipv6 names it): ifconfig_DEFAULT is its too */
	AT_HAS_MSG(w, "rc.conf:1: ifconfig_DEFAULT: em0 takes its address from a DHCP");
	CU_ASSERT(strstr(at_msg(w), "lo1 takes") == NULL);
	CU_ASSERT(at_has(w, "vtnet1", "198.51.100.9/24"));
	AT_HAS_MSG(w, "rc.conf:5: warning: ifconfig_em0_ipv6: em0's IPv6 address comes from "
	    "router advertisements");
	CU_ASSERT_EQUAL(w->errors, 2);
	adm_world_free(w);
}

static void
test_rc_cloned(void)
{
	struct adm_world *w = at_world(
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
	CU_ASSERT(at_has(w, "bastille0", "10.17.89.1/32"));
	ifp = adm_world_iface(w, "bridge0");
	CU_ASSERT_FATAL(ifp != NULL);
	CU_ASSERT_EQUAL(ifp->kind, ADM_IF_BRIDGE);
	CU_ASSERT_STRING_EQUAL(ifp->member[0], "epair3a");
	CU_ASSERT_STRING_EQUAL(ifp->group[0], "bridge");
	CU_ASSERT_PTR_NOT_NULL(adm_world_iface(w, "epair3a"));
	CU_ASSERT_PTR_NOT_NULL(adm_world_iface(w, "epair3b"));
	CU_ASSERT_EQUAL(adm_world_iface(w, "wg0")->kind, ADM_IF_TUNNEL);
	CU_ASSERT_STRING_EQUAL(adm_world_iface(w, "tap0")->group[0], "tap");
	CU_ASSERT(at_has(w, "em0.101", "192.168.101.1/24"));
	CU_ASSERT(at_has(w, "storage", "192.168.102.1/24"));
	CU_ASSERT_PTR_NOT_NULL(adm_world_iface(w, "wlan0"));
	adm_world_free(w);
}

static void
test_rc_routes_knobs(void)
{
	struct adm_world *w = adm_world_new(NULL);
	char b[64];

	(void)adm_read_rc(w, at_put("rc.conf", "ifconfig_em0=\"inet 192.0.2.1/24\"\n"
	    "defaultrouter=\"192.0.2.254\"\n"
	    "ipv6_defaultrouter=\"NO\"\n"
	    "static_routes=\"a b c d\"\n"
	    "route_a=\"-net 10.0.0.0/8 192.0.2.2\"\n"
	    "route_b=\"-net 172.16.0.0 -netmask 255.255.0.0 192.0.2.3\"\n"
	    "route_c=\"-host 198.51.100.7 192.0.2.4\"\n"
	    "gateway_enable=\"maybe\"\n"
	    "pf_enable=\"yes\"\n"));
	(void)adm_read_rc(w, at_put("rc.conf.local", "gateway_enable=\"YES\"\n"
	    "pf_rules=\"/usr/local/etc/pf.conf\"\n"));
	adm_world_finish(w);
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&w->defrouter[0], b, sizeof(b)), "192.0.2.254");
	CU_ASSERT_EQUAL(w->defrouter[1].af, 0);
	CU_ASSERT_EQUAL_FATAL(w->nroute, 3);
	CU_ASSERT_EQUAL(w->route[0].net.plen, 8);
	CU_ASSERT_EQUAL(w->route[1].net.plen, 16);
	CU_ASSERT_EQUAL(w->route[2].net.plen, 32);
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&w->route[2].via, b, sizeof(b)), "192.0.2.4");
	AT_HAS_MSG(w, "static_routes names route_d, which is not set");
	/* rc.conf.local after rc.conf: its gateway_enable wins, no warning left */
	CU_ASSERT_EQUAL(w->forward[0], 1);
	CU_ASSERT(strstr(at_msg(w), "not set properly") == NULL);
	CU_ASSERT_EQUAL(w->pf_enable, 1);
	CU_ASSERT_STRING_EQUAL(w->pf_rules, "/usr/local/etc/pf.conf");
	adm_world_free(w);
}

static void
test_rc_folder(void)
{
	struct adm_world *w = adm_world_new(NULL);
	char dir[1024];

	(void)at_put("rc.conf.d/netif", "ifconfig_em0=\"inet 192.0.2.1/24\"\n");
	(void)at_put("rc.conf.d/pf", "pf_enable=\"YES\"\n");
	(void)at_put("rc.conf.d/routing/default", "defaultrouter=\"192.0.2.254\"\n");
	CU_ASSERT_EQUAL(adm_read_rc(w, tut_tmp_path(dir, sizeof(dir), "rc.conf.d")), 0);
	adm_world_finish(w);
	CU_ASSERT(at_has(w, "em0", "192.0.2.1/24"));
	CU_ASSERT_EQUAL(w->pf_enable, 1);
	CU_ASSERT_EQUAL(w->defrouter[0].af, AF_INET);
	CU_ASSERT_EQUAL(adm_read_rc(w, "/nonexistent/rc.conf"), -1);
	AT_HAS_MSG(w, "/nonexistent/rc.conf: No such file or directory");
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
	if (strcmp(at_msg(w), "j.conf:6: jail 123: path: variable \"name\" not found\n") != 0)
		TUT_FATAL("messages: %s", at_msg(w));
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
	CU_ASSERT_STRING_EQUAL(at_msg(w), "");
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
	AT_HAS_MSG(w, "j.conf:3: jail b: host.hostname: array cannot be substituted inline");
	AT_HAS_MSG(w, "j.conf:4: jail c: path: variable \"nothere\" not found");
	AT_HAS_MSG(w, "variable loop");
	AT_HAS_MSG(w, "j.conf:6: jail e: cannot redefine parameter \"name\".");
	AT_HAS_MSG(w, "j.conf:7: jail f: variable \"$path\" cannot have the same name as a "
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
	AT_HAS_MSG(w, "j.conf:3: }: syntax error");
	CU_ASSERT_EQUAL(n, 0);		/* jail(8) reads no jail from a bad file */
	adm_jconf_free(d, n);
	adm_world_free(w);
	w = adm_world_new(NULL);
	d = jdefs(w, "a { persist; }\n/* never closed\n", &n);
	AT_HAS_MSG(w, "j.conf:2: unterminated comment");
	adm_jconf_free(d, n);
	adm_world_free(w);
	w = adm_world_new(NULL);
	d = jdefs(w, "a { path = \"x;\n}\n", &n);
	AT_HAS_MSG(w, "j.conf:1: unterminated string");
	adm_jconf_free(d, n);
	adm_world_free(w);
	w = adm_world_new(NULL);
	d = jdefs(w, "a { path = ${x;\n}\n", &n);
	AT_HAS_MSG(w, "j.conf:1: unterminated variable");
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

	(void)at_put("jail.conf.d/b.conf", "b { ip4.addr = 10.0.0.2; }\n");
	(void)at_put("jail.conf.d/a.conf", "a { ip4.addr = 10.0.0.1; }\n$v = x;\n");
	(void)at_put("jail.conf.d/skip.txt", "not { read; }\n");
	main = at_put("jail.conf", "exec.clean;\n"
	    ".include \"jail.conf.d/*.conf\";\n"
	    ".include \"nothing/*.conf\";	# a pattern that matches nothing: no error\n"
	    "c { ip4.addr = 10.0.0.3; }\n");
	CU_ASSERT_EQUAL(adm_jconf_read(w, main, &d, &n), 0);
	if (n != 3)
		TUT_FATAL("%d jails; messages: %s", n, at_msg(w));
	CU_ASSERT_STRING_EQUAL(d[0].name, "a");		/* glob's order */
	CU_ASSERT_STRING_EQUAL(d[1].name, "b");
	CU_ASSERT_STRING_EQUAL(d[2].name, "c");
	CU_ASSERT_EQUAL(adm_jbool(&d[0], "exec.clean"), 1);
	CU_ASSERT_STRING_EQUAL(at_msg(w), "");
	adm_jconf_free(d, n);
	adm_world_free(w);
	w = adm_world_new(NULL);
	main = at_put("bad.conf", ".include \"missing.conf\";\n"
	    ".include \"$v.conf\";\n"
	    "c { ip4.addr = 10.0.0.3; }\n");
	CU_ASSERT_EQUAL(adm_jconf_read(w, main, &d, &n), 0);
	AT_HAS_MSG(w, "bad.conf:1: missing.conf: No such file or directory");
	AT_HAS_MSG(w, "bad.conf:2: variables not permitted in '.include' filename");
	CU_ASSERT_EQUAL(n, 0);
	adm_jconf_free(d, n);
	adm_world_free(w);
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
	    CU_add_test(s, "jail.conf: .include with a glob", test_jconf_include) == NULL)
		return (-1);
	return (0);
}
