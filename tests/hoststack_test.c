/* hoststack_test.c: the model's host stack answers as FreeBSD's sockets would. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include <CUnit/CUnit.h>

#include "target/model/hoststack.h"
#include "tests.h"

static struct scn_jail jails[2];
static struct scn scn;
static struct pkt out[8];
static int nout;

static void
emit(void *arg, const struct pkt *p)
{
	(void)arg;
	if (nout < 8)
		out[nout] = *p;
	nout++;
}

static struct pkt_addr
addr(const char *s)
{
	struct pkt_addr a;

	memset(&a, 0, sizeof(a));
	CU_ASSERT_EQUAL_FATAL(pkt_addr_parse(s, &a), 0);
	return (a);
}

/* tom 10.99.0.1 listen tcp/3306,udp/53; harry 10.99.0.3 listen tcp/80; public
 * 203.0.113.1. */
static struct hoststack *
setup(void)
{
	struct hoststack *h;

	memset(&scn, 0, sizeof(scn));
	memset(jails, 0, sizeof(jails));
	strcpy(jails[0].name, "tom");
	jails[0].addr[0] = addr("10.99.0.1");
	jails[0].naddr = 1;
	jails[0].listen[0].proto = IPPROTO_TCP;
	jails[0].listen[0].port = 3306;
	jails[0].listen[1].proto = IPPROTO_UDP;
	jails[0].listen[1].port = 53;
	jails[0].nlisten = 2;
	strcpy(jails[1].name, "harry");
	jails[1].addr[0] = addr("10.99.0.3");
	jails[1].naddr = 1;
	jails[1].listen[0].proto = IPPROTO_TCP;
	jails[1].listen[0].port = 80;
	jails[1].nlisten = 1;
	scn.jail = jails;
	scn.njail = 2;
	scn.host_addr = addr("203.0.113.1");
	nout = 0;
	h = hoststack_new(&scn, emit, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	hoststack_listen(h, 1);
	return (h);
}

static struct pkt
seg(const char *src, uint16_t sport, const char *dst, uint16_t dport, uint8_t flags,
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
	return (p);
}

static void
test_local(void)
{
	struct hoststack *h = setup();
	struct pkt_addr a;

	a = addr("10.99.0.3");
	CU_ASSERT_EQUAL(hoststack_jail_of(h, &a), 1);
	CU_ASSERT_EQUAL(hoststack_is_local(h, &a), 1);
	a = addr("203.0.113.1");
	CU_ASSERT_EQUAL(hoststack_jail_of(h, &a), -1);
	CU_ASSERT_EQUAL(hoststack_is_local(h, &a), 1);
	a = addr("127.0.0.5");
	CU_ASSERT_EQUAL(hoststack_is_local(h, &a), 1);
	a = addr("::1");
	CU_ASSERT_EQUAL(hoststack_is_local(h, &a), 1);
	a = addr("198.51.100.7");
	CU_ASSERT_EQUAL(hoststack_is_local(h, &a), 0);
	hoststack_free(h);
	hoststack_free(NULL);
}

static void
test_accept(void)
{
	struct hoststack *h = setup();
	const struct target_delivery *dv;
	struct pkt p;
	int n;

	p = seg("198.51.100.7", 40001, "10.99.0.3", 80, PKT_TH_SYN, 1000, 0);
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL_FATAL(nout, 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_SYN | PKT_TH_ACK);
	CU_ASSERT_EQUAL(out[0].ack, 1001);
	CU_ASSERT_EQUAL(out[0].sport, 80);
	CU_ASSERT(pkt_addr_eq(&out[0].src, &p.dst));
	hoststack_deliveries(h, &n);
	CU_ASSERT_EQUAL(n, 0);		/* accept() fires on the handshake's ACK */
	p = seg("198.51.100.7", 40001, "10.99.0.3", 80, PKT_TH_ACK, 1001, out[0].seq + 1);
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL(nout, 1);
	dv = hoststack_deliveries(h, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(dv[0].jail, 1);
	CU_ASSERT_EQUAL(dv[0].lport, 80);
	CU_ASSERT_EQUAL(dv[0].pport, 40001);
	CU_ASSERT(pkt_addr_eq(&dv[0].peer, &p.src));
	/* Data on the connection is acknowledged. */
	p.len = 5;
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL_FATAL(nout, 2);
	CU_ASSERT_EQUAL(out[1].flags, PKT_TH_ACK);
	CU_ASSERT_EQUAL(out[1].ack, 1006);
	hoststack_probe_begin(h);
	hoststack_deliveries(h, &n);
	CU_ASSERT_EQUAL(n, 0);
	hoststack_free(h);
}

static void
test_closed(void)
{
	struct hoststack *h = setup();
	struct pkt p;
	int n;

	/* The public address listens nowhere; harry not on 81. */
	p = seg("198.51.100.7", 40002, "203.0.113.1", 8080, PKT_TH_SYN, 1000, 0);
	hoststack_input(h, &p);
	p = seg("198.51.100.7", 40002, "10.99.0.3", 81, PKT_TH_ACK, 7, 99);
	hoststack_input(h, &p);
	p = seg("198.51.100.7", 40002, "10.99.0.3", 81, PKT_TH_RST, 7, 0);
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL_FATAL(nout, 2);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_RST | PKT_TH_ACK);
	CU_ASSERT_EQUAL(out[0].seq, 0);
	CU_ASSERT_EQUAL(out[0].ack, 1001);
	CU_ASSERT_EQUAL(out[1].flags, PKT_TH_RST);
	CU_ASSERT_EQUAL(out[1].seq, 99);
	/* Before the sinks start, nothing listens. */
	hoststack_listen(h, 0);
	p = seg("198.51.100.7", 40003, "10.99.0.3", 80, PKT_TH_SYN, 1000, 0);
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL_FATAL(nout, 3);
	CU_ASSERT_EQUAL(out[2].flags, PKT_TH_RST | PKT_TH_ACK);
	hoststack_deliveries(h, &n);
	CU_ASSERT_EQUAL(n, 0);
	hoststack_free(h);
}

static void
test_udp(void)
{
	struct hoststack *h = setup();
	struct pkt p;
	int n;

	memset(&p, 0, sizeof(p));
	p.proto = IPPROTO_UDP;
	p.src = addr("198.51.100.7");
	p.dst = addr("10.99.0.1");
	p.sport = 5353;
	p.dport = 53;
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL(nout, 0);
	hoststack_deliveries(h, &n);
	CU_ASSERT_EQUAL(n, 1);
	p.dport = 54;
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL_FATAL(nout, 1);
	CU_ASSERT_EQUAL(out[0].proto, IPPROTO_ICMP);
	CU_ASSERT_EQUAL(out[0].icmp, PKT_ICMP_UNREACH_PORT);
	CU_ASSERT_EQUAL(out[0].quote.dport, 54);
	CU_ASSERT(pkt_addr_eq(&out[0].src, &p.dst));
	hoststack_free(h);
}

static void
test_connect(void)
{
	struct hoststack *h = setup();
	struct pkt_addr dst = addr("198.51.100.7"), from;
	struct pkt p;

	/* ok: SYN from the jail's address and the first ephemeral port, SA, ACK. */
	CU_ASSERT_EQUAL(hoststack_outcome(h), -1);
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_TCP, &dst, 443, NULL, 0), 0);
	CU_ASSERT_EQUAL_FATAL(nout, 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_SYN);
	CU_ASSERT_EQUAL(out[0].sport, 10000);
	CU_ASSERT(pkt_addr_eq(&out[0].src, &jails[0].addr[0]));
	CU_ASSERT_EQUAL(hoststack_outcome(h), -1);
	p = seg("198.51.100.7", 443, "10.99.0.1", 10000, PKT_TH_SYN | PKT_TH_ACK, 5000,
	    out[0].seq + 1);
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL(hoststack_outcome(h), SCN_CONN_OK);
	CU_ASSERT_EQUAL_FATAL(nout, 2);
	CU_ASSERT_EQUAL(out[1].flags, PKT_TH_ACK);
	CU_ASSERT_EQUAL(out[1].ack, 5001);

	/* refused: RST|ACK. */
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_TCP, &dst, 444, NULL, 0), 0);
	CU_ASSERT_EQUAL(out[2].sport, 10001);
	p = seg("198.51.100.7", 444, "10.99.0.1", 10001, PKT_TH_RST | PKT_TH_ACK, 0,
	    out[2].seq + 1);
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL(hoststack_outcome(h), SCN_CONN_REFUSED);

	/* failed: pf dropped the SYN on the way out. */
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_TCP, &dst, 445, NULL, 0), 0);
	hoststack_output_dropped(h, &out[3]);
	CU_ASSERT_EQUAL(hoststack_outcome(h), SCN_CONN_FAILED);

	/* failed: not the jail's address; a given port is used. */
	from = addr("10.99.0.3");
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_TCP, &dst, 443, &from, 0), 0);
	CU_ASSERT_EQUAL(hoststack_outcome(h), SCN_CONN_FAILED);
	from = addr("10.99.0.1");
	nout = 0;
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_TCP, &dst, 443, &from, 4242), 0);
	CU_ASSERT_EQUAL_FATAL(nout, 1);
	CU_ASSERT_EQUAL(out[0].sport, 4242);

	/* UDP: refused on ICMP port unreachable quoting the datagram. */
	nout = 0;
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_UDP, &dst, 53, NULL, 0), 0);
	CU_ASSERT_EQUAL_FATAL(nout, 1);
	CU_ASSERT_EQUAL(out[0].proto, IPPROTO_UDP);
	CU_ASSERT_EQUAL(out[0].len, 10);
	memset(&p, 0, sizeof(p));
	p.proto = IPPROTO_ICMP;
	p.src = dst;
	p.dst = out[0].src;
	p.icmp = PKT_ICMP_UNREACH_PORT;
	p.has_quote = 1;
	p.quote.proto = IPPROTO_UDP;
	p.quote.src = out[0].src;
	p.quote.dst = out[0].dst;
	p.quote.sport = out[0].sport;
	p.quote.dport = 53;
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL(hoststack_outcome(h), SCN_CONN_REFUSED);
	CU_ASSERT_EQUAL(hoststack_connect(h, 5, IPPROTO_TCP, &dst, 53, NULL, 0), -1);
	hoststack_free(h);
}


/* The world of format v2: tom on lo1, app a VNET jail (10.0.0.2), the host listening
 * on tcp/22 at 203.0.113.1 (its only interface). */
static struct scn_jail wjails[2];
static struct scn_if wifs[1];

static struct hoststack *
setup_world(int vnet)
{
	static struct scn_port host22 = { IPPROTO_TCP, 22 };
	struct hoststack *h;

	memset(&scn, 0, sizeof(scn));
	memset(wjails, 0, sizeof(wjails));
	memset(wifs, 0, sizeof(wifs));
	strcpy(wjails[0].name, "tom");
	wjails[0].addr[0] = addr("10.99.0.1");
	wjails[0].naddr = 1;
	strcpy(wjails[1].name, "app");
	wjails[1].kind = SCN_JAIL_VNET;
	wjails[1].addr[0] = addr("10.0.0.2");
	wjails[1].naddr = 1;
	wjails[1].plen = 24;
	wjails[1].listen[0].proto = IPPROTO_TCP;
	wjails[1].listen[0].port = 8080;
	wjails[1].nlisten = 1;
	strcpy(wifs[0].name, "em0");
	wifs[0].addr[0].addr = addr("203.0.113.1");
	wifs[0].addr[0].plen = 24;
	wifs[0].naddr = 1;
	scn.iface = wifs;
	scn.niface = 1;
	scn.jail = wjails;
	scn.njail = 2;
	scn.host_addr = wifs[0].addr[0].addr;
	scn.host_listen[0] = host22;
	scn.nhost_listen = 1;
	nout = 0;
	h = vnet ? hoststack_new_vnet(&scn, 1, emit, NULL) : hoststack_new(&scn, emit, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	hoststack_listen(h, 1);
	return (h);
}

/* The host's stack: the host's address is SCN_HOST's, its services accept; a VNET
 * jail's address is not local there. */
static void
test_host_party(void)
{
	struct hoststack *h = setup_world(0);
	const struct target_delivery *dv;
	struct pkt_addr a;
	struct pkt p;
	int n;

	a = addr("203.0.113.1");
	CU_ASSERT_EQUAL(hoststack_party_of(h, &a), SCN_HOST);
	a = addr("10.99.0.1");
	CU_ASSERT_EQUAL(hoststack_party_of(h, &a), 0);
	a = addr("10.0.0.2");
	CU_ASSERT_EQUAL(hoststack_party_of(h, &a), -1);
	CU_ASSERT_EQUAL(hoststack_jail_of(h, &a), -1);
	p = seg("198.51.100.7", 40001, "203.0.113.1", 22, PKT_TH_SYN, 1000, 0);
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL_FATAL(nout, 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_SYN | PKT_TH_ACK);
	p = seg("198.51.100.7", 40001, "203.0.113.1", 22, PKT_TH_ACK, 1001, out[0].seq + 1);
	hoststack_input(h, &p);
	dv = hoststack_deliveries(h, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(dv[0].jail, SCN_HOST);
	CU_ASSERT_EQUAL(dv[0].lport, 22);
	/* an echo request: answered, and delivered to the host as ICMP */
	memset(&p, 0, sizeof(p));
	p.proto = IPPROTO_ICMP;
	p.src = addr("198.51.100.7");
	p.dst = addr("203.0.113.1");
	p.icmp = PKT_ICMP_ECHO_REQUEST;
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL_FATAL(nout, 2);
	CU_ASSERT_EQUAL(out[1].icmp, PKT_ICMP_ECHO_REPLY);
	dv = hoststack_deliveries(h, &n);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(dv[1].jail, SCN_HOST);
	CU_ASSERT_EQUAL(dv[1].proto, IPPROTO_ICMP);
	CU_ASSERT_EQUAL(dv[1].icmp, PKT_ICMP_ECHO_REQUEST);
	/* the host connects from an address it is given; not from one it lacks */
	a = addr("203.0.113.1");
	p.dst = addr("198.51.100.7");
	CU_ASSERT_EQUAL(hoststack_connect(h, SCN_HOST, IPPROTO_TCP, &p.dst, 443, &a, 0), 0);
	CU_ASSERT_EQUAL_FATAL(nout, 3);
	CU_ASSERT(pkt_addr_eq(&out[2].src, &a));
	a = addr("10.0.0.2");
	CU_ASSERT_EQUAL(hoststack_connect(h, SCN_HOST, IPPROTO_TCP, &p.dst, 443, &a, 0), 0);
	CU_ASSERT_EQUAL(hoststack_outcome(h), SCN_CONN_FAILED);
	CU_ASSERT_EQUAL(nout, 3);
	hoststack_free(h);
}

/* A VNET jail's own stack: only its address is local, only its ports listen. */
static void
test_vnet_stack(void)
{
	struct hoststack *h = setup_world(1);
	struct pkt_addr a;
	struct pkt p;

	a = addr("10.0.0.2");
	CU_ASSERT_EQUAL(hoststack_party_of(h, &a), 1);
	a = addr("203.0.113.1");
	CU_ASSERT_EQUAL(hoststack_is_local(h, &a), 0);
	a = addr("10.99.0.1");
	CU_ASSERT_EQUAL(hoststack_is_local(h, &a), 0);
	p = seg("198.51.100.7", 40001, "10.0.0.2", 8080, PKT_TH_SYN, 1000, 0);
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL_FATAL(nout, 1);
	CU_ASSERT_EQUAL(out[0].flags, PKT_TH_SYN | PKT_TH_ACK);
	/* it connects as itself, not as tom */
	p.dst = addr("198.51.100.7");
	CU_ASSERT_EQUAL(hoststack_connect(h, 1, IPPROTO_TCP, &p.dst, 443, NULL, 0), 0);
	CU_ASSERT_EQUAL_FATAL(nout, 2);
	a = addr("10.0.0.2");
	CU_ASSERT(pkt_addr_eq(&out[1].src, &a));
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_TCP, &p.dst, 443, NULL, 0), 0);
	CU_ASSERT_EQUAL(hoststack_outcome(h), SCN_CONN_FAILED);
	CU_ASSERT_PTR_NULL(hoststack_new_vnet(&scn, 0, emit, NULL));	/* tom: no VNET */
	hoststack_free(h);
}

/* Pings: ok on the echo reply, unreachable on an ICMP error quoting the request,
 * failed when pf drops the request going out. */
static void
test_ping(void)
{
	struct hoststack *h = setup_world(0);
	struct pkt_addr dst = addr("198.51.100.7");
	struct pkt p;

	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_ICMP, &dst, 0, NULL, 0), 0);
	CU_ASSERT_EQUAL_FATAL(nout, 1);
	CU_ASSERT_EQUAL(out[0].icmp, PKT_ICMP_ECHO_REQUEST);
	CU_ASSERT_EQUAL(out[0].sport, HOSTSTACK_PING_ID);
	CU_ASSERT_EQUAL(out[0].icmp_seq, 1);
	CU_ASSERT_EQUAL(hoststack_outcome(h), -1);
	p = out[0];
	p.src = out[0].dst;
	p.dst = out[0].src;
	p.icmp_seq = 2;			/* not this ping's */
	p.icmp = PKT_ICMP_ECHO_REPLY;
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL(hoststack_outcome(h), -1);
	p.icmp_seq = 1;
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL(hoststack_outcome(h), SCN_CONN_OK);
	/* the second: an error about it */
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_ICMP, &dst, 0, NULL, 0), 0);
	CU_ASSERT_EQUAL_FATAL(nout, 2);
	CU_ASSERT_EQUAL(out[1].icmp_seq, 2);
	memset(&p, 0, sizeof(p));
	p.proto = IPPROTO_ICMP;
	p.src = addr("192.0.2.254");
	p.dst = out[1].src;
	p.icmp = PKT_ICMP_UNREACH_HOST;
	p.has_quote = 1;
	p.quote.proto = IPPROTO_ICMP;
	p.quote.src = out[1].src;
	p.quote.dst = dst;
	p.quote.sport = HOSTSTACK_PING_ID;
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL(hoststack_outcome(h), SCN_CONN_UNREACHABLE);
	/* the third: dropped on its way out */
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_ICMP, &dst, 0, NULL, 0), 0);
	CU_ASSERT_EQUAL_FATAL(nout, 3);
	hoststack_output_dropped(h, &out[2]);
	CU_ASSERT_EQUAL(hoststack_outcome(h), SCN_CONN_FAILED);
	hoststack_free(h);
}

/* A connect nobody answered timed out: the sink closed its socket, so another connect
 * from the same port works (icmp.sh ttl_exceeded: the first datagram dies on its way,
 * the next from that port goes out), and a late answer finds no socket. */
static void
test_connect_timeout(void)
{
	struct hoststack *h = setup();
	struct pkt_addr dst = addr("198.51.100.7"), from = addr("10.99.0.1");
	struct pkt p;

	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_UDP, &dst, 53, &from, 5353), 0);
	CU_ASSERT_EQUAL_FATAL(nout, 1);
	CU_ASSERT_EQUAL(hoststack_outcome(h), -1);	/* pending: a timeout */
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_UDP, &dst, 53, &from, 5353), 0);
	CU_ASSERT_EQUAL_FATAL(nout, 2);
	CU_ASSERT_EQUAL(out[1].sport, 5353);
	CU_ASSERT_EQUAL(hoststack_outcome(h), -1);
	/* the same for TCP, across probes; the late SYN|ACK of the first gets a RST */
	nout = 0;
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_TCP, &dst, 443, &from, 4443), 0);
	CU_ASSERT_EQUAL_FATAL(nout, 1);
	hoststack_probe_begin(h);
	p = seg("198.51.100.7", 443, "10.99.0.1", 4443, PKT_TH_SYN | PKT_TH_ACK, 5000,
	    out[0].seq + 1);
	hoststack_input(h, &p);
	CU_ASSERT_EQUAL(hoststack_outcome(h), -1);
	CU_ASSERT_EQUAL_FATAL(nout, 2);
	CU_ASSERT(out[1].flags & PKT_TH_RST);
	CU_ASSERT_EQUAL(hoststack_connect(h, 0, IPPROTO_TCP, &dst, 443, &from, 4443), 0);
	CU_ASSERT_EQUAL(nout, 3);
	CU_ASSERT_EQUAL(out[2].flags, PKT_TH_SYN);
	hoststack_free(h);
}

int
hoststack_test_register(void)
{
	CU_pSuite s = CU_add_suite("hoststack", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "local addresses", test_local) == NULL ||
	    CU_add_test(s, "a sink accepts", test_accept) == NULL ||
	    CU_add_test(s, "closed ports reset", test_closed) == NULL ||
	    CU_add_test(s, "UDP delivery and unreachable", test_udp) == NULL ||
	    CU_add_test(s, "a jail connects", test_connect) == NULL ||
	    CU_add_test(s, "a timed-out connect frees its port", test_connect_timeout) ==
	    NULL ||
	    CU_add_test(s, "the host as a party", test_host_party) == NULL ||
	    CU_add_test(s, "a VNET jail's own stack", test_vnet_stack) == NULL ||
	    CU_add_test(s, "pings", test_ping) == NULL)
		return (-1);
	return (0);
}
