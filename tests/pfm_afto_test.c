/* pfm_afto_test.c: FreeBSD 15's af-to in the pf model beside pfm_fb15_test.c's: ICMP
 * errors through af-to states (pfm_afto_icmp.c): an ICMPv4 error about a translated
 * packet comes back as ICMPv6 and the other way, type and code mapped as
 * pf_translate_icmp_af maps them, the quote rebuilt in the other family
 * (pf_change_icmp_af); af-to on an out rule, NAT46 (af-to inet6) (pfm_afto.c). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "base/cksum.h"
#include "pfm_tutil.h"
#include "tests.h"

static struct pfm_verdict v;
static struct pkt afto;
static uint16_t nport;	/* the nat port (ICMP: id) of the state's IPv4 side */

#define NAT64 "pass inet6 proto icmp6\n" \
	"pass in on em0 inet6 from any to 64:ff9b::/96 af-to inet from 203.0.113.1\n"

static struct pfm *
load15(const char *conf)
{
	struct pfm_load_opts o;
	struct pfm *pf;

	memset(&o, 0, sizeof(o));
	o.file = "stdin";
	o.freebsd = PFM_FREEBSD_15;
	pf = tu_load(conf, &o);
	CU_ASSERT_FATAL(pf != NULL);
	return (pf);
}

/* The af-to packet of the verdict, decoded; its own checksums must hold. */
static void
take_afto(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(v.afto);
	CU_ASSERT_FATAL(pkt_decode_l3(v.afto, v.afto_len, &afto) == 0);
	CU_ASSERT(tu_sums_ok(v.afto, v.afto_len));
}

static const char *
ntop(const struct pkt_addr *a)
{
	static char s[2][64];
	static int i;

	i = !i;
	inet_ntop(a->af, a->a, s[i], sizeof(s[i]));
	return (s[i]);
}

/* An IPv6 packet from 2001:db8::7 through the af-to rule: the state, its nat port. */
static struct pfm *
start(const char *pkt6)
{
	struct pfm *pf = load15(NAT64);

	tu_send(pf, PFM_IN, "em0", pkt6, 1000, &v, NULL);
	CU_ASSERT_FATAL(v.action == PFM_PASS && v.state_created);
	take_afto();
	nport = afto.sport;
	return (pf);
}

/* An ICMP port unreachable about the translated UDP datagram comes back as ICMPv6
 * type 1 code 4 to the client, from 64:ff9b:: and the error's sender (pf keeps it in
 * the low 32 bits), hop limit the error's TTL; its quote is the datagram as the
 * client sent it, IPv6, with a UDP checksum fixed up for the IPv6 pseudo header. */
static void
test_unreach_port(void)
{
	struct pfm *pf = start("udp [2001:db8::7]:40001 > [64:ff9b::c633:6409]:1222");
	const uint8_t *in;
	char line[200];

	snprintf(line, sizeof(line), "icmp unreach-port 198.51.100.77 > 203.0.113.1 "
	    "ttl 62 quote udp 203.0.113.1:%u > 198.51.100.9:1222", nport);
	tu_send(pf, PFM_IN, "em0", line, 1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	take_afto();
	CU_ASSERT_EQUAL(v.afto_test, 0);	/* an inbound state's: not modelled */
	CU_ASSERT_EQUAL(afto.proto, IPPROTO_ICMPV6);
	CU_ASSERT_EQUAL(afto.icmp_type, 1);
	CU_ASSERT_EQUAL(afto.icmp_code, 4);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.src), "64:ff9b::c633:644d");
	CU_ASSERT_STRING_EQUAL(ntop(&afto.dst), "2001:db8::7");
	CU_ASSERT_EQUAL(afto.ttl, 62);
	CU_ASSERT_FATAL(afto.has_quote);
	CU_ASSERT_EQUAL(afto.quote.proto, IPPROTO_UDP);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.quote.src), "2001:db8::7");
	CU_ASSERT_STRING_EQUAL(ntop(&afto.quote.dst), "64:ff9b::c633:6409");
	CU_ASSERT_EQUAL(afto.quote.sport, 40001);
	CU_ASSERT_EQUAL(afto.quote.dport, 1222);
	/* 40 + 8 (ICMPv6) + 40 (the quoted header) + 8 (the whole empty datagram) */
	CU_ASSERT_EQUAL_FATAL(v.afto_len, 96);
	in = v.afto + 48;
	CU_ASSERT_EQUAL(in[0] >> 4, 6);
	CU_ASSERT_EQUAL(in[6], 17);
	CU_ASSERT_EQUAL(in[7], 64);	/* pf_change_icmp_af: pd2's TTL 0, the default */
	CU_ASSERT_EQUAL(pfm_get16(in + 4), 8);
	CU_ASSERT_EQUAL(cksum_sum(in + 40, 8, cksum_pseudo(in + 8, in + 24, 16, 17, 8)), 0);
	pfm_free(pf);
}

/* pf_translate_icmp_af, IPv4 to IPv6: host unreachable is no route (code 0), need
 * fragmentation a packet too big with the MTU 20 higher, protocol unreachable a
 * parameter problem (next header, pointer 6), time exceeded stays one; a type with
 * no counterpart (source route failed, 3/5) is dropped. */
static void
test_types(void)
{
	static const struct {
		const char	*err;
		int		 type, code;
		uint32_t	 word;
	} c[] = {
		{ "unreach-host", 1, 0, 0 },
		{ "unreach-needfrag", 2, 0, 1300 },
		{ "timex", 3, 0, 0 },
	};
	struct pfm *pf = start("udp [2001:db8::7]:40001 > [64:ff9b::c633:6409]:1222");
	char line[200];
	uint8_t b[256];
	size_t i, n;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(line, sizeof(line), "icmp %s 198.51.100.9 > 203.0.113.1 quote udp "
		    "203.0.113.1:%u > 198.51.100.9:1222", c[i].err, nport);
		n = tu_l3(line, 0, b, sizeof(b));
		if (c[i].word == 1300)
			pfm_put16(b + 26, 1280);	/* the next-hop MTU */
		pfm_put16(b + 22, 0);
		pfm_put16(b + 22, cksum_sum(b + 20, n - 20, 0));
		CU_ASSERT_EQUAL(pfm_test(pf, PFM_IN, "em0", b, n, 1001 + i, &v), 0);
		CU_ASSERT_EQUAL(v.action, PFM_PASS);
		take_afto();
		CU_ASSERT_EQUAL(afto.icmp_type, c[i].type);
		CU_ASSERT_EQUAL(afto.icmp_code, c[i].code);
		CU_ASSERT_EQUAL(pfm_get32(v.afto + 44), c[i].word);
	}
	/* protocol unreachable: 3/2 */
	snprintf(line, sizeof(line), "icmp unreach-port 198.51.100.9 > 203.0.113.1 quote "
	    "udp 203.0.113.1:%u > 198.51.100.9:1222", nport);
	n = tu_l3(line, 0, b, sizeof(b));
	b[21] = 2;
	pfm_put16(b + 22, 0);
	pfm_put16(b + 22, cksum_sum(b + 20, n - 20, 0));
	CU_ASSERT_EQUAL(pfm_test(pf, PFM_IN, "em0", b, n, 1010, &v), 0);
	take_afto();
	CU_ASSERT_EQUAL(afto.icmp_type, 4);
	CU_ASSERT_EQUAL(afto.icmp_code, 1);
	CU_ASSERT_EQUAL(pfm_get32(v.afto + 44), 6);
	/* source route failed: no ICMPv6 counterpart, dropped */
	b[21] = 5;
	pfm_put16(b + 22, 0);
	pfm_put16(b + 22, cksum_sum(b + 20, n - 20, 0));
	CU_ASSERT_EQUAL(pfm_test(pf, PFM_IN, "em0", b, n, 1011, &v), 0);
	CU_ASSERT(v.action == PFM_DROP && v.state_hit && v.afto == NULL);
	pfm_free(pf);
}

/* A TCP quote (its first 8 bytes): the error passes only when the quoted sequence
 * number is in the state's window (checked as for any state); the quote's ports
 * become the client's, its sequence number stays. */
static void
test_tcp_quote(void)
{
	struct pfm *pf = start("tcp [2001:db8::7]:40001 > [64:ff9b::c633:6409]:80 S seq 0");
	char line[200];
	size_t n;
	uint8_t b[256];

	snprintf(line, sizeof(line), "icmp timex 198.51.100.1 > 203.0.113.1 quote tcp "
	    "203.0.113.1:%u > 198.51.100.9:80", nport);
	n = tu_l3(line, 0, b, sizeof(b));
	CU_ASSERT_EQUAL(pfm_test(pf, PFM_IN, "em0", b, n, 1001, &v), 0);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	take_afto();
	CU_ASSERT_EQUAL(afto.icmp_type, 3);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.src), "64:ff9b::c633:6401");
	CU_ASSERT_EQUAL(afto.quote.proto, IPPROTO_TCP);
	CU_ASSERT_EQUAL(afto.quote.sport, 40001);
	CU_ASSERT_EQUAL(afto.quote.dport, 80);
	CU_ASSERT_EQUAL_FATAL(v.afto_len, 40 + 8 + 40 + 8);
	CU_ASSERT_EQUAL(pfm_get32(v.afto + 48 + 40 + 4), 0);
	/* a quoted sequence number far out of the window: state mismatch, dropped */
	snprintf(line, sizeof(line), "icmp timex 198.51.100.1 > 203.0.113.1 quote tcp "
	    "203.0.113.1:%u > 198.51.100.9:80", nport);
	n = tu_l3(line, 0, b, sizeof(b));
	pfm_put16(b + 28 + 20 + 4, 0x8000);
	pfm_put16(b + 22, 0);
	pfm_put16(b + 22, cksum_sum(b + 20, n - 20, 0));
	CU_ASSERT_EQUAL(pfm_test(pf, PFM_IN, "em0", b, n, 1002, &v), 0);
	CU_ASSERT(v.action == PFM_DROP && v.afto == NULL);
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "state-mismatch"), 1);
	pfm_free(pf);
}

/* An echo quote: the quoted ICMP echo request becomes ICMPv6's, with the client's
 * id. */
static void
test_echo_quote(void)
{
	struct pfm *pf = start("icmp6 echo-request 2001:db8::7 > 64:ff9b::c633:6409 id 7");
	char line[200];

	snprintf(line, sizeof(line), "icmp timex 198.51.100.1 > 203.0.113.1 quote icmp "
	    "echo-request 203.0.113.1 > 198.51.100.9 id %u", nport);
	tu_send(pf, PFM_IN, "em0", line, 1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	take_afto();
	CU_ASSERT_EQUAL(afto.icmp_type, 3);
	CU_ASSERT_EQUAL(afto.quote.proto, IPPROTO_ICMPV6);
	CU_ASSERT_EQUAL(afto.quote.icmp, PKT_ICMP_ECHO_REQUEST);
	CU_ASSERT_EQUAL(afto.quote.sport, 7);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.quote.src), "2001:db8::7");
	pfm_free(pf);
}

/* The other way: the client's ICMPv6 port unreachable about the server's translated
 * answer leaves as an ICMP port unreachable from the pool address to the server,
 * quoting the answer as the server sent it (IPv4, DF, TTL 0 as pf leaves it). */
static void
test_from_v6(void)
{
	struct pfm *pf = start("udp [2001:db8::7]:40001 > [64:ff9b::c633:6409]:53");
	const uint8_t *in;

	tu_send(pf, PFM_IN, "em0", "icmp6 unreach-port 2001:db8::7 > 64:ff9b::c633:6409 "
	    "quote udp [64:ff9b::c633:6409]:53 > [2001:db8::7]:40001", 1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	take_afto();
	CU_ASSERT_EQUAL(afto.proto, IPPROTO_ICMP);
	CU_ASSERT_EQUAL(afto.icmp, PKT_ICMP_UNREACH_PORT);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.src), "203.0.113.1");
	CU_ASSERT_STRING_EQUAL(ntop(&afto.dst), "198.51.100.9");
	CU_ASSERT_EQUAL(afto.quote.proto, IPPROTO_UDP);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.quote.src), "198.51.100.9");
	CU_ASSERT_STRING_EQUAL(ntop(&afto.quote.dst), "203.0.113.1");
	CU_ASSERT_EQUAL(afto.quote.sport, 53);
	CU_ASSERT_EQUAL(afto.quote.dport, nport);
	CU_ASSERT_EQUAL_FATAL(v.afto_len, 20 + 8 + 20 + 8);
	in = v.afto + 28;
	CU_ASSERT_EQUAL(in[0], 0x45);
	CU_ASSERT_EQUAL(pfm_get16(in + 6), 0x4000);
	CU_ASSERT_EQUAL(in[8], 0);
	CU_ASSERT_EQUAL(cksum_sum(in, 20, 0), 0);
	CU_ASSERT_EQUAL(cksum_sum(in + 20, 8, cksum_pseudo(in + 12, in + 16, 4, 17, 8)), 0);
	pfm_free(pf);
}

/* af-to on an out rule (nat64.sh's *_out cases): the IPv6 packet going out is
 * translated; the state is made outbound, its stack key the packet's (IPv6), its wire
 * key the IPv4 one; the IPv4 reply coming in finds the wire key as it is and goes
 * back as IPv6 to the client; the client's next packet going out is translated with
 * the same port. */
static void
test_out_rule(void)
{
	struct pfm *pf = load15("pass out on em0 inet6 from any to 64:ff9b::/96 af-to inet "
	    "from 203.0.113.1\n");
	char line[200];

	tu_send(pf, PFM_OUT, "em0", "tcp [2001:db8::7]:40001 > [64:ff9b::c633:6409]:80 S",
	    1000, &v, NULL);
	CU_ASSERT_FATAL(v.action == PFM_PASS && v.state_created);
	take_afto();
	CU_ASSERT_STRING_EQUAL(ntop(&afto.src), "203.0.113.1");
	CU_ASSERT_STRING_EQUAL(ntop(&afto.dst), "198.51.100.9");
	CU_ASSERT_EQUAL(afto.dport, 80);
	CU_ASSERT_EQUAL(v.afto_test, 0);	/* it goes out: no second test */
	nport = afto.sport;
	CU_ASSERT_EQUAL(v.state->direction, PFM_OUT);
	CU_ASSERT_EQUAL(v.state->wkey.af, 4);
	CU_ASSERT_EQUAL(v.state->skey.af, 6);
	/* pfctl -ss: the wire key's source, the stack key's far side, outward */
	snprintf(line, sizeof(line), "all tcp 203.0.113.1:%u (64:ff9b::c633:6409[80]) -> "
	    "198.51.100.9:80 (2001:db8::7[40001])", nport);
	CU_ASSERT_PTR_NOT_NULL(strstr(tu_states(pf), line));
	snprintf(line, sizeof(line), "tcp 198.51.100.9:80 > 203.0.113.1:%u SA ack 1001",
	    nport);
	tu_send(pf, PFM_IN, "em0", line, 1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit && !v.state_created);
	take_afto();
	CU_ASSERT_STRING_EQUAL(ntop(&afto.src), "64:ff9b::c633:6409");
	CU_ASSERT_STRING_EQUAL(ntop(&afto.dst), "2001:db8::7");
	CU_ASSERT_EQUAL(afto.sport, 80);
	CU_ASSERT_EQUAL(afto.dport, 40001);
	CU_ASSERT_EQUAL(v.afto_test, 1);	/* pf_route6 tests it out on its interface */
	tu_send(pf, PFM_OUT, "em0", "tcp [2001:db8::7]:40001 > [64:ff9b::c633:6409]:80 A "
	    "seq 1001 ack 1", 1002, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	take_afto();
	CU_ASSERT_EQUAL(afto.sport, nport);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.dst), "198.51.100.9");
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "current entries"), 1);
	pfm_free(pf);
}

#define NAT46 "pass in on em0 inet from any to 198.51.100.0/24 af-to inet6 " \
	"from 2001:db8::1 to 64:ff9b::/96\n"

/* NAT46 (af-to inet6, pf_get_transaddr_af's rdr branch with inet_nat64): an IPv4 SYN
 * leaves as IPv6 from the `from` address and a nat port, to the IPv4 destination
 * embedded in the `to` prefix; the state's wire key is IPv4, its stack key IPv6; the
 * IPv6 SYN-ACK coming back finds the stack key and leaves as IPv4 to the client. */
static void
test_nat46_tcp(void)
{
	struct pfm *pf = load15(NAT46);
	char line[200];

	tu_send(pf, PFM_IN, "em0", "tcp 192.0.2.7:40001 > 198.51.100.9:80 S seq 1000",
	    1000, &v, NULL);
	CU_ASSERT_FATAL(v.action == PFM_PASS && v.state_created);
	take_afto();
	CU_ASSERT_EQUAL(afto.proto, IPPROTO_TCP);
	CU_ASSERT_EQUAL(afto.src.af, AF_INET6);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.src), "2001:db8::1");
	CU_ASSERT_STRING_EQUAL(ntop(&afto.dst), "64:ff9b::c633:6409");
	CU_ASSERT_EQUAL(afto.dport, 80);
	CU_ASSERT(afto.sport >= 50001);
	CU_ASSERT_EQUAL(afto.seq, 1000);
	nport = afto.sport;
	CU_ASSERT_EQUAL(v.state->wkey.af, 4);
	CU_ASSERT_EQUAL(v.state->skey.af, 6);
	snprintf(line, sizeof(line), "tcp [64:ff9b::c633:6409]:80 > [2001:db8::1]:%u SA "
	    "seq 5000 ack 1001", nport);
	tu_send(pf, PFM_IN, "em1", line, 1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit && !v.state_created);
	take_afto();
	CU_ASSERT_EQUAL(afto.src.af, AF_INET);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.src), "198.51.100.9");
	CU_ASSERT_STRING_EQUAL(ntop(&afto.dst), "192.0.2.7");
	CU_ASSERT_EQUAL(afto.sport, 80);
	CU_ASSERT_EQUAL(afto.dport, 40001);
	CU_ASSERT_EQUAL(afto.flags, PKT_TH_SYN | PKT_TH_ACK);
	/* the client's ACK goes through the same state and port */
	tu_send(pf, PFM_IN, "em0", "tcp 192.0.2.7:40001 > 198.51.100.9:80 A seq 1001 "
	    "ack 5001", 1002, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	take_afto();
	CU_ASSERT_EQUAL(afto.sport, nport);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.dst), "64:ff9b::c633:6409");
	CU_ASSERT_EQUAL(tu_counter(tu_info(pf), "current entries"), 1);
	pfm_free(pf);
}

/* NAT46 ICMP echo (pf_get_transaddr_af's ICMP_ECHO -> ICMP6_ECHO_REQUEST): the echo
 * request leaves as ICMPv6 echo with an id of the nat range, the ICMPv6 echo reply
 * comes back as ICMP echo reply with the client's id. */
static void
test_nat46_echo(void)
{
	struct pfm *pf = load15(NAT46);
	char line[200];

	tu_send(pf, PFM_IN, "em0", "icmp echo-request 192.0.2.7 > 198.51.100.9 id 9 seq 1",
	    1000, &v, NULL);
	CU_ASSERT_FATAL(v.action == PFM_PASS && v.state_created);
	take_afto();
	CU_ASSERT_EQUAL(afto.proto, IPPROTO_ICMPV6);
	CU_ASSERT_EQUAL(afto.icmp, PKT_ICMP_ECHO_REQUEST);
	CU_ASSERT_EQUAL(afto.icmp_type, 128);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.src), "2001:db8::1");
	CU_ASSERT_STRING_EQUAL(ntop(&afto.dst), "64:ff9b::c633:6409");
	nport = afto.sport;
	snprintf(line, sizeof(line), "icmp6 echo-reply 64:ff9b::c633:6409 > 2001:db8::1 "
	    "id %u seq 1", nport);
	tu_send(pf, PFM_IN, "em1", line, 1001, &v, NULL);
	CU_ASSERT(v.action == PFM_PASS && v.state_hit);
	take_afto();
	CU_ASSERT_EQUAL(afto.proto, IPPROTO_ICMP);
	CU_ASSERT_EQUAL(afto.icmp, PKT_ICMP_ECHO_REPLY);
	CU_ASSERT_EQUAL(afto.sport, 9);
	CU_ASSERT_STRING_EQUAL(ntop(&afto.src), "198.51.100.9");
	CU_ASSERT_STRING_EQUAL(ntop(&afto.dst), "192.0.2.7");
	pfm_free(pf);
}

/* The IPv6 destination of a NAT46 rule's UDP datagram to 198.51.100.9. */
static const char *
nat46_dst(const char *rule)
{
	static char out[64];
	struct pfm *pf = load15(rule);

	tu_send(pf, PFM_IN, "em0", "udp 192.0.2.7:40001 > 198.51.100.9:53", 1000, &v, NULL);
	out[0] = '\0';
	if (v.action == PFM_PASS && v.afto != NULL) {
		take_afto();
		snprintf(out, sizeof(out), "%s", ntop(&afto.dst));
	} else if (v.action == PFM_DROP)
		snprintf(out, sizeof(out), "drop");
	pfm_free(pf);
	return (out);
}

/* inet_nat64's layouts (RFC 6052 2.2): /40 skips octet 8; a /128 `to` is the address
 * itself; without `to` the nat address's first 96 bits are the prefix
 * (pf_get_transaddr_af's last branch); a length RFC 6052 has not (/80) fails. */
static void
test_nat46_prefix(void)
{
	CU_ASSERT_STRING_EQUAL(nat46_dst("pass in on em0 inet af-to inet6 from 2001:db8::1 "
	    "to 2001:db8:100::/40\n"), "2001:db8:1c6:3364:9::");
	CU_ASSERT_STRING_EQUAL(nat46_dst("pass in on em0 inet af-to inet6 from 2001:db8::1 "
	    "to 2001:db8::99\n"), "2001:db8::99");
	CU_ASSERT_STRING_EQUAL(nat46_dst("pass in on em0 inet af-to inet6 from 2001:db8::1 "
	    "to 2001:db8:5::/120\n"), "2001:db8:5::9");
	CU_ASSERT_STRING_EQUAL(nat46_dst("pass in on em0 inet af-to inet6 "
	    "from 2001:db8::1\n"), "2001:db8::c633:6409");
	CU_ASSERT_STRING_EQUAL(nat46_dst("pass in on em0 inet af-to inet6 from 2001:db8::1 "
	    "to 2001:db8::/80\n"), "drop");
}

int
pfm_afto_test_register(void)
{
	CU_pSuite s = CU_add_suite("pfm_afto", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "ICMP port unreachable -> ICMPv6, the quote IPv6",
	    test_unreach_port) == NULL ||
	    CU_add_test(s, "pf_translate_icmp_af: ICMP types to ICMPv6",
	    test_types) == NULL ||
	    CU_add_test(s, "a TCP quote: window checked, ports back",
	    test_tcp_quote) == NULL ||
	    CU_add_test(s, "an echo quote: ICMPv6 echo, the client's id",
	    test_echo_quote) == NULL ||
	    CU_add_test(s, "ICMPv6 error -> ICMP, the quote IPv4", test_from_v6) == NULL ||
	    CU_add_test(s, "af-to on an out rule: an outbound state", test_out_rule) == NULL ||
	    CU_add_test(s, "NAT46: IPv4 TCP out as IPv6, the answer back", test_nat46_tcp) == NULL ||
	    CU_add_test(s, "NAT46: ICMP echo <-> ICMPv6 echo", test_nat46_echo) == NULL ||
	    CU_add_test(s, "NAT46: the IPv4 address in the prefix", test_nat46_prefix) == NULL)
		return (-1);
	return (0);
}
