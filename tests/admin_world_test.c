/* admin_world_test.c: the world an admin's files make (harness/admin): the jails'
 * placement, --jail and --group, the root a tree is read under, Bastille, and the world
 * written as scenario statements and read back. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "admin/adm_impl.h"
#include "admin_tutil.h"
#include "base/rdfile.h"
#include "tests.h"
#include "tutil.h"

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

/* ---- jails into the world ---- */

static void
test_jails_placed(void)
{
	struct adm_world *w = at_world(
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
	CU_ASSERT(!at_has(w, "em0", "203.0.113.5/32"));
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&j->addr[0].a, b, sizeof(b)), "203.0.113.5");
	AT_HAS_MSG(w, "jail.conf:4: jail d: 198.51.100.4 is on no interface");
	AT_HAS_MSG(w, "jail.conf:5: jail e: interface lo7 is in no rc.conf line "
	    "(cloned_interfaces, ifconfig_lo7): declare it with --if lo7");
	AT_HAS_MSG(w, "jail.conf:6: warning: jail f shares the host's addresses");
	adm_world_free(w);
}

static void
test_jails_vnet(void)
{
	struct adm_world *w = adm_world_new(NULL);
	const struct adm_jail *j;
	char b[64];

	(void)adm_read_rc(w, at_put("rc.conf", "ifconfig_em0=\"inet 203.0.113.1/24\"\n"
	    "cloned_interfaces=\"bridge0 bridge1\"\n"
	    "ifconfig_bridge0=\"inet 10.1.0.1/24\"\n"
	    "ifconfig_bridge1=\"inet 10.2.0.1/24\"\n"));
	(void)adm_read_jails(w, at_put("jail.conf",
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
	AT_HAS_MSG(w, "jail nowhere: a VNET jail whose address the files do not say");
	adm_world_free(w);
}

static void
test_jails_vnet_rcconf(void)
{
	struct adm_world *w = adm_world_new(NULL);
	char path[1024], text[2048];
	const struct adm_jail *j;
	char b[64];

	(void)adm_read_rc(w, at_put("rc.conf", "cloned_interfaces=\"bridge1\"\n"
	    "ifconfig_bridge1=\"inet 10.2.0.1/24\"\n"));
	(void)at_put("jails/db/etc/rc.conf", "ifconfig_epair2b_name=\"vnet0\"\n"
	    "ifconfig_vnet0=\"inet 10.2.0.7/24\"\ndefaultrouter=\"10.2.0.254\"\n");
	snprintf(text, sizeof(text), "db { vnet; vnet.interface = epair2b; path = \"%s\"; "
	    "}\n", tut_tmp_path(path, sizeof(path), "jails/db"));
	(void)adm_read_jails(w, at_put("jail.conf", text));
	adm_world_finish(w);
	CU_ASSERT_EQUAL_FATAL(w->njail, 1);
	j = &w->jail[0];
	CU_ASSERT_EQUAL_FATAL(j->naddr, 1);
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&j->addr[0].a, b, sizeof(b)), "10.2.0.7");
	CU_ASSERT_STRING_EQUAL(j->bridge, "bridge1");	/* the bridge holding its network */
	CU_ASSERT_STRING_EQUAL(adm_addr_str(&j->gw, b, sizeof(b)), "10.2.0.254");
	CU_ASSERT_STRING_EQUAL(at_msg(w), "");
	adm_world_free(w);
}

static void
test_jail_override(void)
{
	struct adm_world *w = adm_world_new(NULL);
	char err[128];

	(void)adm_read_rc(w, at_put("rc.conf", "cloned_interfaces=\"lo1\"\n"));
	(void)adm_read_jails(w, at_put("jail.conf", "a { ip4.addr = 10.0.0.1; }\n"));
	CU_ASSERT_EQUAL(adm_world_jail(w, "a=lo1|10.0.0.9/24", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(adm_world_jail(w, "nosuch=10.0.0.8", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(adm_world_jail(w, "bad", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(adm_world_group(w, "egress=lo1", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(adm_world_group(w, "egress1=lo1", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(adm_world_group(w, "g=em9", err, sizeof(err)), 0);
	adm_world_finish(w);
	CU_ASSERT_EQUAL(w->jail[0].naddr, 1);
	CU_ASSERT_EQUAL(w->jail[0].addr[0].a.plen, 24);
	CU_ASSERT(strstr(at_msg(w), "10.0.0.1 is on no interface") == NULL);
	AT_HAS_MSG(w, "--jail nosuch=10.0.0.8: no jail nosuch in the jail files");
	AT_HAS_MSG(w, "--group g=em9: no interface em9 (declare it with --if em9=ADDR/LEN)");
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
	(void)at_put("tree/etc/rc.conf", "ifconfig_em0=\"inet 192.0.2.1/24\"\n"
	    "pf_enable=\"YES\"\npf_rules=\"/etc/pf/main.conf\"\n");
	(void)at_put("tree/etc/rc.conf.local", "cloned_interfaces=\"lo1\"\n");
	(void)at_put("tree/etc/jail.conf", "$d = /var/jails;\n"
	    ".include \"/etc/jail.conf.d/*.conf\";\n"
	    "a { ip4.addr = \"lo1|10.0.0.1\"; path = \"$d/$name\"; }\n");
	(void)at_put("tree/etc/jail.conf.d/b.conf", "b { ip4.addr = \"lo1|10.0.0.2\"; }\n");
	(void)at_put("tree/etc/pf/main.conf", "pass\n");
	(void)at_put("tree/etc/pf/table", "192.0.2.77\n");
	if ((w = adm_world_new(root)) == NULL)
		TUT_FATAL("out of memory");
	CU_ASSERT_EQUAL(adm_read_root(w, 1, 1), 0);
	adm_world_finish(w);
	CU_ASSERT(at_has(w, "em0", "192.0.2.1/24"));
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
	if (strcmp(at_msg(w), "") != 0)
		TUT_FATAL("messages: %s", at_msg(w));
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
	(void)at_put("tree/etc/rc.conf", "ifconfig_vtnet0=\"inet 203.0.113.10/24\"\n"
	    "cloned_interfaces=\"lo1\"\nifconfig_lo1_name=\"bastille0\"\npf_enable=YES\n");
	(void)at_put("tree/etc/pf.conf", "ext_if = \"vtnet0\"\nrdr-anchor \"rdr/*\"\n");
	(void)at_put("tree/usr/local/etc/bastille/bastille.conf",
	    "bastille_prefix=\"/pool/bastille\"\nbastille_network_pf_table=\"jailnet\"\n");
	(void)at_put("tree/pool/bastille/jails/web/jail.conf",
	    "web { interface = bastille0; ip4.addr = 10.17.89.10; }\n");
	(void)at_put("tree/pool/bastille/jails/web/rdr.conf",
	    "dual vtnet0 any any tcp 8080 80\n"
	    "ipv4 vtnet0 198.51.100.0/24 203.0.113.10 udp 53 53 log\n"
	    "tcp 2222 22\n"
	    "bad line\n");
	(void)at_put("tree/pool/bastille/jails/pub/jail.conf",
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
	AT_HAS_MSG(w, "rdr.conf:4: not a line of Bastille's rdr.conf");
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
	struct adm_world *w = at_world(
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
	w = at_world("ifconfig_em0=\"inet 203.0.113.254/24\"\n", NULL);
	s = scn_of(w);
	HAS_LINE(s, "host em0 203.0.113.254/24 gateway 203.0.113.1");
	free(s);
	adm_world_free(w);
}

static void
test_scn_problems(void)
{
	struct adm_world *w = at_world(
	    "ifconfig_em0=\"inet 203.0.113.1/24\"\n"
	    "defaultrouter=\"198.51.100.1\"\n"
	    "cloned_interfaces=\"lo1 lo2 bridge0\"\n"
	    "ifconfig_bridge0=\"addm em1 up\"\n",
	    "a { ip4.addr = \"lo1|10.0.0.1\", \"em0|203.0.113.9\"; ip6.addr = "
	    "\"lo1|fd00::1\"; }\n"
	    "b { ip4.addr = \"lo2|10.1.0.1\"; }\n");
	char *s = scn_of(w);

	AT_HAS_MSG(w, "rc.conf:2: defaultrouter: no network of the host's interfaces holds "
	    "it");
	AT_HAS_MSG(w, "jail.conf:1: jail a: fd00::1 is outside the loopback network");
	AT_HAS_MSG(w, "jail.conf:1: jail a: 203.0.113.9 is on em0, its other addresses on "
	    "lo1");
	AT_HAS_MSG(w, "jail.conf:2: jail b is on lo2, other jails on lo1");
	AT_HAS_MSG(w, "a scenario has one loopback for its jails (lo1): lo2 is left out");
	AT_HAS_MSG(w, "rc.conf:3: warning: cloned_interfaces: bridge bridge0 of the host's "
	    "NICs is written as one external interface");
	HAS_LINE(s, "jail a 10.0.0.1  ");
	HAS_LINE(s, "host bridge0 down");
	HAS_LINE(s, "group bridge bridge0  ");	/* not a `bridge` statement: said */
	CU_ASSERT(strstr(s, "jail b") == NULL);
	CU_ASSERT(strstr(s, "\nbridge ") == NULL);
	free(s);
	adm_world_free(w);

	/* a bridge of NICs that VNET jails join: they would be on the NIC's wire */
	w = at_world("ifconfig_em0=\"inet 203.0.113.1/24\"\n"
	    "cloned_interfaces=\"bridge0\"\n"
	    "ifconfig_bridge0=\"inet 10.1.0.1/24 addm em1 up\"\n",
	    "v { vnet; vnet.interface = epair1b; exec.prestart = \"ifconfig bridge0 addm "
	    "epair1a\"; exec.start = \"ifconfig epair1b 10.1.0.5/24\"; }\n");
	s = scn_of(w);
	AT_HAS_MSG(w, "rc.conf:2: cloned_interfaces: bridge bridge0 has member em1 and VNET "
	    "jails");
	HAS_LINE(s, "bridge bridge0 10.1.0.1/24");
	HAS_LINE(s, "vnet jail v 10.1.0.5/24 on bridge0");
	free(s);
	adm_world_free(w);

	/* a bridge of NICs with the host's address: one external interface */
	w = at_world("ifconfig_fxp0=\"inet 198.51.100.2/30\"\n"
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
	w = at_world("ifconfig_epair0b_name=\"eth0\"\n"
	    "ifconfig_eth0=\"inet 10.0.0.39/24\"\ndefaultrouter=\"10.0.0.1\"\n", NULL);
	s = scn_of(w);
	HAS_LINE(s, "host eth0 10.0.0.39/24 gateway 10.0.0.1");
	CU_ASSERT_EQUAL(w->errors, 0);
	free(s);
	adm_world_free(w);

	/* no address at all: said at the DHCP line, naming --if */
	w = at_world("ifconfig_em0=\"DHCP\"\n", NULL);
	s = scn_of(w);
	AT_HAS_MSG(w, "rc.conf:1: ifconfig_em0: em0 takes its address from a DHCP server: "
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
admin_world_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("admin_world", NULL, NULL,
	    tut_tmp_setup, tut_tmp_teardown);

	if (s == NULL ||
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
