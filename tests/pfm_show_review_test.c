/* pfm_show_review_test.c: the model held to FreeBSD 14 where a review found it
 * different (filled by the review): print_state's protocol names
 * (pfctl_proto2name), -si and -sr -vv counting states exactly as -ss lists them,
 * print_status's Debug field and its -v Syncookies section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "base/cksum.h"
#include "pfm_tutil.h"
#include "tests.h"

static struct pfm_verdict v;
static struct pkt out;

/*
 * print_state names the protocol with pfctl_proto2name (getprotobynumber), so a
 * state of IP-in-IP (4) reads "ipencap", as pfctl -sr reads the rule, not "4".
 */
static void
test_state_proto_name(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto ipencap all keep state\n");
	uint8_t pkt[40] = { 0x45, 0, 0, 40, 0, 1, 0, 0, 64, 4, 0, 0,
	    203, 0, 113, 1, 198, 51, 100, 7 };

	/* the inner packet: an empty IPv4 header */
	pkt[20] = 0x45;
	pkt[23] = 20;
	pkt[28] = 64;
	pfm_put16(pkt + 10, cksum_sum(pkt, 20, 0));
	CU_ASSERT_EQUAL_FATAL(pfm_test(pf, PFM_OUT, "em0", pkt, sizeof(pkt), 1000, &v),
	    0);
	CU_ASSERT(v.action == PFM_PASS && v.state_created);
	CU_ASSERT_STRING_EQUAL(tu_states(pf),
	    "all ipencap 203.0.113.1 -> 198.51.100.7       SINGLE:NO_TRAFFIC\n");
	pfm_free(pf);
}

/* Pinned (the model already agreed): print_host writes an IPv6 port as addr[port],
 * not [addr]:port, and an rdr state's translated address in parentheses. */
static void
test_state_ipv6_port(void)
{
	struct pfm *pf = tu_must_load("rdr on em0 inet6 proto udp to 2001:db8::1 port 53 -> "
	    "2001:db8::5 port 5353\npass all\n");

	tu_send(pf, PFM_IN, "em0", "udp [2001:db8::99]:4000 > [2001:db8::1]:53", 1000, &v,
	    &out);
	CU_ASSERT_FATAL(v.action == PFM_PASS && v.state_created);
	CU_ASSERT_STRING_EQUAL(tu_states(pf), "all udp 2001:db8::5[5353] "
	    "(2001:db8::1[53]) <- 2001:db8::99[4000]       NO_TRAFFIC:SINGLE\n");
	pfm_free(pf);
}

/*
 * A state past its timeout is gone from -ss at once (the model's purge); pf counts
 * it in -si "current entries" and in its rule's "States:" exactly as long as -ss
 * lists it, and its unlinking is one "removals".
 */
static void
test_expired_state_counts(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto udp all keep state\n");
	const char *s;

	tu_send(pf, PFM_OUT, "em0", "udp 203.0.113.1:5000 > 198.51.100.7:53", 1000, &v,
	    &out);
	CU_ASSERT_FATAL(v.action == PFM_PASS && v.state_created);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "current entries"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_rules_vv(pf), "States: 1     ]"));
	/* udp.first is 60 s: at 100 s the state has expired */
	pf->now_ms = 100000;
	CU_ASSERT_STRING_EQUAL(tu_states(pf), "");
	s = tu_info(pf);
	CU_ASSERT_EQUAL(tu_counter(s, "current entries"), 0);
	CU_ASSERT_EQUAL(tu_counter(s, "inserts"), 1);
	CU_ASSERT_EQUAL(tu_counter(s, "removals"), 1);
	s = tu_rules_vv(pf);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "States: 0     ]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "State Creations: 1     ]"));
	pfm_free(pf);
}

/* The same without asking -ss first: -si alone already agrees with what -ss lists. */
static void
test_expired_state_info_alone(void)
{
	struct pfm *pf = tu_must_load("pass out on em0 proto udp all keep state\n");

	tu_send(pf, PFM_OUT, "em0", "udp 203.0.113.1:5000 > 198.51.100.7:53", 1000, &v,
	    &out);
	pf->now_ms = 100000;
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "current entries"), 0);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "removals"), 1);
	CU_ASSERT_STRING_EQUAL(tu_states(pf), "");
	pfm_free(pf);
}

/* print_status: "Debug: None|Urgent|Misc|Loud" after the Status field, the level
 * `set debug` loaded (pf starts at urgent). */
static void
test_debug_level(void)
{
	static const char *const conf[][2] = {
		{ "pass all\n", "Debug: Urgent\n\n" },
		{ "set debug misc\npass all\n", "  Debug: Misc\n\n" },
		{ "set debug loud\npass all\n", "  Debug: Loud\n\n" },
		{ "set debug none\npass all\n", "  Debug: None\n\n" },
	};
	struct pfm *pf;
	const char *s;
	size_t i;

	for (i = 0; i < sizeof(conf) / sizeof(conf[0]); i++) {
		pf = tu_must_load(conf[i][0]);
		s = tu_info(pf);
		CU_ASSERT_NSTRING_EQUAL(s, "Status: Enabled for 0 days 00:00:00", 35);
		/* the status line is 44 columns, the debug field 15 right-aligned */
		CU_ASSERT(strlen(s) > 59 && s[59] == '\n');
		CU_ASSERT_PTR_NOT_NULL(strstr(s, conf[i][1]));
		pfm_free(pf);
	}
}

/* print_status -v ends with the Syncookies section: the mode and whether it is
 * active ("always" is, from the load on). */
static void
test_syncookies_section(void)
{
	struct pfm *pf = tu_must_load("pass all\n");
	const char *s = tu_info_v(pf), *lim;

	lim = strstr(s, "Limit Counters\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(lim);
	CU_ASSERT_PTR_NOT_NULL(strstr(lim, "  syncookies validated"));
	CU_ASSERT_PTR_NOT_NULL(strstr(lim, "\nSyncookies\n"
	    "  mode                      never\n"
	    "  active                    inactive\n"));
	/* the last lines */
	CU_ASSERT(strlen(s) > 37 &&
	    strcmp(s + strlen(s) - 37, "  active                    inactive\n") == 0);
	/* not without -v */
	CU_ASSERT_PTR_NULL(strstr(tu_info(pf), "Syncookies"));
	pfm_free(pf);
	pf = tu_must_load("set syncookies always\npass all\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_info_v(pf), "\nSyncookies\n"
	    "  mode                      always\n"
	    "  active                    active\n"));
	pfm_free(pf);
	pf = tu_must_load("set syncookies adaptive (start 25%, end 12%)\npass all\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_info_v(pf), "\nSyncookies\n"
	    "  mode                      adaptive\n"
	    "  active                    inactive\n"));
	pfm_free(pf);
}

int
pfm_show_review_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_show_review", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "state protocol names", test_state_proto_name) == NULL ||
	    CU_add_test(s, "IPv6 ports", test_state_ipv6_port) == NULL ||
	    CU_add_test(s, "expired states in -si/-sr", test_expired_state_counts) ==
	    NULL ||
	    CU_add_test(s, "expired states, -si alone", test_expired_state_info_alone) ==
	    NULL ||
	    CU_add_test(s, "debug level", test_debug_level) == NULL ||
	    CU_add_test(s, "syncookies section", test_syncookies_section) == NULL)
		return (-1);
	return (0);
}
