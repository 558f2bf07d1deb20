/* client_test.c: the outside hosts answer as DESIGN.md's `client` statement says. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include <CUnit/CUnit.h>

#include "target/client.h"
#include "tests.h"

static struct scn_client clients[2];
static struct scn scn;

static struct pkt_addr
addr(const char *s)
{
	struct pkt_addr a;

	memset(&a, 0, sizeof(a));
	CU_ASSERT_EQUAL_FATAL(pkt_addr_parse(s, &a), 0);
	return (a);
}

/* client 198.51.100.7 listen tcp/443,udp/53; client 2001:db8:1::7 listen tcp/80;
 * gateway 203.0.113.254. */
static struct client_sim *
setup(void)
{
	memset(&scn, 0, sizeof(scn));
	memset(clients, 0, sizeof(clients));
	clients[0].addr = addr("198.51.100.7");
	clients[0].listen[0].proto = IPPROTO_TCP;
	clients[0].listen[0].port = 443;
	clients[0].listen[1].proto = IPPROTO_UDP;
	clients[0].listen[1].port = 53;
	clients[0].nlisten = 2;
	clients[1].addr = addr("2001:db8:1::7");
	clients[1].listen[0].proto = IPPROTO_TCP;
	clients[1].listen[0].port = 80;
	clients[1].nlisten = 1;
	scn.client = clients;
	scn.nclient = 2;
	scn.host_addr = addr("203.0.113.1");
	scn.gateway = addr("203.0.113.254");
	return (client_new(&scn));
}

static struct pkt
tcp(const char *src, uint16_t sport, const char *dst, uint16_t dport, uint8_t flags,
    uint32_t seq, uint32_t ack)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.proto = IPPROTO_TCP;
	p.src = addr(src);
	p.dst = addr(dst);
	p.sport = sport;
	p.dport = dport;
	p.flags = flags;
	p.seq = seq;
	p.ack = ack;
	p.win = 65535;
	return (p);
}

static void
test_owns(void)
{
	struct client_sim *c = setup();
	struct pkt_addr a;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	a = addr("198.51.100.7");
	CU_ASSERT_EQUAL(client_owns(c, &a), 1);
	a = addr("2001:db8:1::7");
	CU_ASSERT_EQUAL(client_owns(c, &a), 1);
	a = addr("203.0.113.254");
	CU_ASSERT_EQUAL(client_owns(c, &a), 1);
	a = addr("198.51.100.8");
	CU_ASSERT_EQUAL(client_owns(c, &a), 0);
	a = addr("203.0.113.1");
	CU_ASSERT_EQUAL(client_owns(c, &a), 0);
	client_free(c);
	client_free(NULL);
}

static void
test_syn_listen(void)
{
	struct client_sim *c = setup();
	struct pkt in, out[4], out2[4];

	in = tcp("203.0.113.1", 53011, "198.51.100.7", 443, PKT_TH_SYN, 777, 0);
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].proto, IPPROTO_TCP);
	CU_ASSERT(pkt_addr_eq(&out[0].src, &in.dst));
	CU_ASSERT(pkt_addr_eq(&out[0].dst, &in.src));
	CU_ASSERT_EQUAL(out[0].sport, 443);
	CU_ASSERT_EQUAL(out[0].dport, 53011);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_SYN | PKT_TH_ACK);
	CU_ASSERT_EQUAL(out[0].ack, 778);
	/* The same SYN again gets the same ISN (a retransmission). */
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out2, 4), 1);
	CU_ASSERT_EQUAL(out2[0].seq, out[0].seq);
	/* The handshake's ACK and data on an open port need no answer. */
	in = tcp("203.0.113.1", 53011, "198.51.100.7", 443, PKT_TH_ACK, 778,
	    out[0].seq + 1);
	CU_ASSERT_EQUAL(client_answer(c, &in, out, 4), 0);
	/* IPv6 client. */
	in = tcp("2001:db8::1", 50001, "2001:db8:1::7", 80, PKT_TH_SYN, 1, 0);
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_SYN | PKT_TH_ACK);
	CU_ASSERT_EQUAL(out[0].src.af, AF_INET6);
	CU_ASSERT_EQUAL(out[0].ack, 2);
	client_free(c);
}

static void
test_closed_tcp(void)
{
	struct client_sim *c = setup();
	struct pkt in, out[4];

	/* SYN to a closed port: RST|ACK, seq 0, ack = seq + 1. */
	in = tcp("203.0.113.1", 53011, "198.51.100.7", 22, PKT_TH_SYN, 1000, 0);
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_RST | PKT_TH_ACK);
	CU_ASSERT_EQUAL(out[0].seq, 0);
	CU_ASSERT_EQUAL(out[0].ack, 1001);
	CU_ASSERT_EQUAL(out[0].sport, 22);
	CU_ASSERT_EQUAL(out[0].dport, 53011);
	/* A segment with ACK: RST with seq = its ack, no ACK flag. */
	in = tcp("203.0.113.1", 53011, "198.51.100.7", 22, PKT_TH_ACK, 1001, 4242);
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_RST);
	CU_ASSERT_EQUAL(out[0].seq, 4242);
	/* Data without ACK: ack covers the payload and the FIN. */
	in = tcp("203.0.113.1", 53011, "198.51.100.7", 22, PKT_TH_FIN, 5000, 0);
	in.len = 10;
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_RST | PKT_TH_ACK);
	CU_ASSERT_EQUAL(out[0].ack, 5011);
	/* An RST is never answered. */
	in = tcp("203.0.113.1", 53011, "198.51.100.7", 22, PKT_TH_RST, 5000, 0);
	CU_ASSERT_EQUAL(client_answer(c, &in, out, 4), 0);
	/* The gateway is a host with nothing listening. */
	in = tcp("203.0.113.1", 53011, "203.0.113.254", 443, PKT_TH_SYN, 9, 0);
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_RST | PKT_TH_ACK);
	/* Nobody's address. */
	in = tcp("203.0.113.1", 53011, "192.0.2.9", 443, PKT_TH_SYN, 9, 0);
	CU_ASSERT_EQUAL(client_answer(c, &in, out, 4), -1);
	/* No room: no answer written. */
	in = tcp("203.0.113.1", 53011, "198.51.100.7", 22, PKT_TH_SYN, 1000, 0);
	CU_ASSERT_EQUAL(client_answer(c, &in, out, 0), 0);
	client_free(c);
}

static void
test_synack_to_sent(void)
{
	struct client_sim *c = setup();
	struct pkt syn, in, out[4];

	syn = tcp("198.51.100.7", 40001, "203.0.113.1", 81, PKT_TH_SYN, 1000, 0);
	client_sent(c, &syn);
	in = tcp("203.0.113.1", 81, "198.51.100.7", 40001, PKT_TH_SYN | PKT_TH_ACK,
	    99999, 1001);
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_ACK);
	CU_ASSERT_EQUAL(out[0].seq, 1001);
	CU_ASSERT_EQUAL(out[0].ack, 100000);
	CU_ASSERT_EQUAL(out[0].sport, 40001);
	CU_ASSERT_EQUAL(out[0].dport, 81);
	/* A SYN-ACK acking something else is a stray: RST seq = its ack. */
	in.ack = 5555;
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_RST);
	CU_ASSERT_EQUAL(out[0].seq, 5555);
	/* From another port: also a stray. */
	in = tcp("203.0.113.1", 82, "198.51.100.7", 40001, PKT_TH_SYN | PKT_TH_ACK,
	    99999, 1001);
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_RST);
	client_free(c);
}

static void
test_udp(void)
{
	struct client_sim *c = setup();
	struct pkt in, out[4];

	memset(&in, 0, sizeof(in));
	in.proto = IPPROTO_UDP;
	in.src = addr("203.0.113.1");
	in.dst = addr("198.51.100.7");
	in.sport = 50123;
	in.dport = 53;
	memcpy(in.payload, "hello", 5);
	in.len = 5;
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].proto, IPPROTO_UDP);
	CU_ASSERT(pkt_addr_eq(&out[0].src, &in.dst));
	CU_ASSERT(pkt_addr_eq(&out[0].dst, &in.src));
	CU_ASSERT_EQUAL(out[0].sport, 53);
	CU_ASSERT_EQUAL(out[0].dport, 50123);
	CU_ASSERT_EQUAL(out[0].len, 5);
	CU_ASSERT_EQUAL(memcmp(out[0].payload, "hello", 5), 0);

	in.dport = 54;
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].proto, IPPROTO_ICMP);
	CU_ASSERT_EQUAL(out[0].icmp, PKT_ICMP_UNREACH_PORT);
	CU_ASSERT(pkt_addr_eq(&out[0].src, &in.dst));
	CU_ASSERT(pkt_addr_eq(&out[0].dst, &in.src));
	CU_ASSERT_EQUAL(out[0].has_quote, 1);
	CU_ASSERT_EQUAL(out[0].quote.proto, IPPROTO_UDP);
	CU_ASSERT(pkt_addr_eq(&out[0].quote.src, &in.src));
	CU_ASSERT(pkt_addr_eq(&out[0].quote.dst, &in.dst));
	CU_ASSERT_EQUAL(out[0].quote.sport, 50123);
	CU_ASSERT_EQUAL(out[0].quote.dport, 54);

	in.src = addr("2001:db8::1");
	in.dst = addr("2001:db8:1::7");
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].proto, IPPROTO_ICMPV6);
	CU_ASSERT_EQUAL(out[0].icmp, PKT_ICMP_UNREACH_PORT);

	/* a fragment, to a listen port or not, gets nothing: no client reassembles */
	in.src = addr("203.0.113.1");
	in.dst = addr("198.51.100.7");
	in.ipfrag = 1;
	in.mf = 1;
	in.dport = 53;
	CU_ASSERT_EQUAL(client_answer(c, &in, out, 4), 0);
	in.dport = 54;
	CU_ASSERT_EQUAL(client_answer(c, &in, out, 4), 0);
	client_free(c);
}

static void
test_icmp(void)
{
	struct client_sim *c = setup();
	struct pkt in, out[4];

	memset(&in, 0, sizeof(in));
	in.proto = IPPROTO_ICMP;
	in.src = addr("203.0.113.1");
	in.dst = addr("198.51.100.7");
	in.icmp = PKT_ICMP_ECHO_REQUEST;
	in.sport = 77;
	in.icmp_seq = 3;
	in.len = 8;
	CU_ASSERT_EQUAL_FATAL(client_answer(c, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].proto, IPPROTO_ICMP);
	CU_ASSERT_EQUAL(out[0].icmp, PKT_ICMP_ECHO_REPLY);
	CU_ASSERT_EQUAL(out[0].sport, 77);
	CU_ASSERT_EQUAL(out[0].icmp_seq, 3);
	CU_ASSERT_EQUAL(out[0].len, 8);
	CU_ASSERT(pkt_addr_eq(&out[0].dst, &in.src));
	/* Other ICMP: no answer. */
	in.icmp = PKT_ICMP_UNREACH_PORT;
	CU_ASSERT_EQUAL(client_answer(c, &in, out, 4), 0);
	client_free(c);
}


/* Clients and neighbours by wire: a client answers only on its own wire; each wire's
 * gateway, routers and routes' next hops are owned there (and listen nowhere). */
static void
test_wires(void)
{
	static struct scn_if ifs[2];
	static struct scn_router rt[1];
	struct client_sim *c;
	struct pkt in, out[4];
	struct pkt_addr a;

	memset(ifs, 0, sizeof(ifs));
	memset(rt, 0, sizeof(rt));
	client_free(setup());
	clients[1].addr = addr("192.0.2.50");
	clients[1].wire = 1;
	strcpy(ifs[0].name, "em0");
	ifs[0].addr[0].addr = addr("203.0.113.1");
	ifs[0].addr[0].plen = 24;
	ifs[0].naddr = 1;
	ifs[0].gw4 = addr("203.0.113.254");
	strcpy(ifs[1].name, "em1");
	ifs[1].addr[0].addr = addr("192.0.2.1");
	ifs[1].addr[0].plen = 24;
	ifs[1].naddr = 1;
	rt[0].addr = addr("192.0.2.254");
	rt[0].wire = 1;
	scn.iface = ifs;
	scn.niface = 2;
	scn.router = rt;
	scn.nrouter = 1;
	CU_ASSERT_PTR_NOT_NULL_FATAL(c = client_new(&scn));
	a = addr("192.0.2.50");
	CU_ASSERT_EQUAL(client_owns_on(c, 1, &a), 1);
	CU_ASSERT_EQUAL(client_owns_on(c, 0, &a), 0);
	a = addr("192.0.2.254");
	CU_ASSERT_EQUAL(client_owns_on(c, 1, &a), 1);
	CU_ASSERT_EQUAL(client_owns_on(c, 0, &a), 0);
	a = addr("203.0.113.254");
	CU_ASSERT_EQUAL(client_owns_on(c, 0, &a), 1);
	CU_ASSERT_EQUAL(client_owns_on(c, 1, &a), 0);
	in = tcp("192.0.2.1", 53011, "192.0.2.50", 22, PKT_TH_SYN, 777, 0);
	CU_ASSERT_EQUAL(client_answer_on(c, 0, &in, out, 4), -1);
	CU_ASSERT_EQUAL(client_answer_on(c, 1, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_RST | PKT_TH_ACK);
	/* the router is no client: a reset, never a listener */
	in = tcp("192.0.2.1", 53012, "192.0.2.254", 443, PKT_TH_SYN, 777, 0);
	CU_ASSERT_EQUAL(client_answer_on(c, 1, &in, out, 4), 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_RST | PKT_TH_ACK);
	client_free(c);
}

int
client_test_register(void)
{
	CU_pSuite s = CU_add_suite("client", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "owned addresses", test_owns) == NULL ||
	    CU_add_test(s, "SYN to a listen port", test_syn_listen) == NULL ||
	    CU_add_test(s, "closed TCP port (RFC 793)", test_closed_tcp) == NULL ||
	    CU_add_test(s, "SYN-ACK to a probe's SYN", test_synack_to_sent) == NULL ||
	    CU_add_test(s, "UDP echo and unreachable", test_udp) == NULL ||
	    CU_add_test(s, "ICMP echo", test_icmp) == NULL ||
	    CU_add_test(s, "clients by wire", test_wires) == NULL)
		return (-1);
	return (0);
}
