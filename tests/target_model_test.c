/* target_model_test.c: the model target plays the first seed scenario's world: rdr,
 * block, a closed port, nat from a jail, and the published-order ruleset's load error. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "target/target.h"
#include "tests.h"
#include "tutil.h"

#define WORLD \
	"scenario \"tom, dick and harry behind one public address\"\n" \
	"host em0 203.0.113.1/24\n" \
	"loopback lo1 10.99.0.0/28\n" \
	"jail tom   10.99.0.1 listen tcp/3306\n" \
	"jail dick  10.99.0.2 listen tcp/21,tcp/80,tcp/443\n" \
	"jail harry 10.99.0.3 listen tcp/80\n" \
	"client 198.51.100.7 listen tcp/443\n" \
	"pf <<EOF\n" \
	"INT = \"em0\"\n" \
	"PUB_IP = \"203.0.113.1\"\n" \
	"JAIL_NET = \"10.99.0.0/28\"\n" \
	"TOM = \"10.99.0.1\"\n" \
	"DICK = \"10.99.0.2\"\n" \
	"HARRY = \"10.99.0.3\"\n" \
	"scrub in all\n"

#define TRANSLATION \
	"nat pass on $INT from $JAIL_NET to any -> $PUB_IP\n" \
	"rdr pass on $INT proto tcp from any to $PUB_IP port 3306 -> $TOM\n" \
	"rdr pass on $INT proto tcp from any to $PUB_IP port {21,80,443} -> $DICK\n" \
	"rdr pass on $INT proto tcp from any to $PUB_IP port 81 -> $HARRY port 80\n"

#define BLOCK \
	"block on $INT proto tcp from any to $PUB_IP port 111\n"

static const char seed[] = WORLD TRANSLATION BLOCK "EOF\n";
static const char published[] = WORLD BLOCK TRANSLATION "EOF\n";

struct world {
	struct scn	*scn;
	struct target	*t;
	struct diag	 d;
};

/* Parse the scenario text and bring the model up with its ruleset loaded. Returns the
 * load_rules status (0 loaded, 1 refused) or -1. */
static int
world_up(struct world *w, const char *text)
{
	struct target_opts o;
	int rc;

	memset(w, 0, sizeof(*w));
	memset(&o, 0, sizeof(o));
	w->scn = tut_scn_text("seed.scn", text);
	if (target_model_ops.up(&w->t, w->scn, &o, &w->d) == -1)
		return (-1);
	if ((rc = target_model_ops.load_rules(w->t, w->scn, &w->d)) != 0)
		return (rc);
	if (target_model_ops.start_sink(w->t, w->scn, &w->d) == -1)
		return (-1);
	return (0);
}

static void
world_down(struct world *w)
{
	if (w->t != NULL)
		target_model_ops.down(w->t);
	scn_free(w->scn);
	diag_free(&w->d);
}

/* Inject `text` from the wire in a fresh probe. 0 or -1; a line that does not parse
 * stops the test. */
static int
world_send(struct world *w, const char *text, const char *pcap)
{
	struct pkt p;

	tut_pkt(text, &p);
	if (target_model_ops.probe_begin(w->t, pcap, &w->d) == -1 ||
	    target_model_ops.send(w->t, &p, &w->d) == -1 ||
	    target_model_ops.settle(w->t, 1000, &w->d) == -1)
		return (-1);
	return (0);
}

/* How many frames the host sent match the pattern; a pattern that does not parse
 * stops the test. */
static int
frames_matching(struct world *w, const char *pattern)
{
	const struct target_frame *f;
	struct pkt_pat pat;
	char err[256];
	int i, n, hits = 0;

	tut_pat(pattern, &pat);
	f = target_model_ops.frames(w->t, &n);
	for (i = 0; i < n; i++)
		if (f[i].decoded && pkt_match(&pat, &f[i].pkt, err, sizeof(err)))
			hits++;
	return (hits);
}

static void
test_rdr_preserves_client(void)
{
	struct world w;
	const struct target_delivery *dv;
	struct pkt_addr client, harry;
	int n;

	CU_ASSERT_EQUAL_FATAL(world_up(&w, seed), 0);
	CU_ASSERT_EQUAL_FATAL(world_send(&w, "tcp 198.51.100.7:40001 > 203.0.113.1:81 S",
	    NULL), 0);
	CU_ASSERT_EQUAL(frames_matching(&w,
	    "tcp 203.0.113.1:81 > 198.51.100.7:40001 SA ack 1001"), 1);
	target_model_ops.frames(w.t, &n);
	CU_ASSERT_EQUAL(n, 1);		/* the client's ACK needs no answer */
	dv = target_model_ops.deliveries(w.t, &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	pkt_addr_parse("198.51.100.7", &client);
	pkt_addr_parse("10.99.0.3", &harry);
	CU_ASSERT_EQUAL(dv[0].jail, scn_jail_find(w.scn, "harry"));
	CU_ASSERT_EQUAL(dv[0].proto, IPPROTO_TCP);
	CU_ASSERT(pkt_addr_eq(&dv[0].local, &harry));
	CU_ASSERT_EQUAL(dv[0].lport, 80);
	CU_ASSERT(pkt_addr_eq(&dv[0].peer, &client));
	CU_ASSERT_EQUAL(dv[0].pport, 40001);
	world_down(&w);
}

static void
test_block_111(void)
{
	struct world w;
	int n;

	CU_ASSERT_EQUAL_FATAL(world_up(&w, seed), 0);
	CU_ASSERT_EQUAL_FATAL(world_send(&w, "tcp 198.51.100.7:40002 > 203.0.113.1:111 S",
	    NULL), 0);
	target_model_ops.frames(w.t, &n);
	CU_ASSERT_EQUAL(n, 0);
	target_model_ops.deliveries(w.t, &n);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(target_model_ops.connect_outcome(w.t), -1);
	world_down(&w);
}

static void
test_closed_port(void)
{
	struct world w;
	int n;

	CU_ASSERT_EQUAL_FATAL(world_up(&w, seed), 0);
	CU_ASSERT_EQUAL_FATAL(world_send(&w, "tcp 198.51.100.7:40003 > 203.0.113.1:8080 S",
	    NULL), 0);
	CU_ASSERT_EQUAL(frames_matching(&w,
	    "tcp 203.0.113.1:8080 > 198.51.100.7:40003 RA seq 0 ack 1001"), 1);
	target_model_ops.deliveries(w.t, &n);
	CU_ASSERT_EQUAL(n, 0);
	world_down(&w);
}

static void
test_nat_connect(void)
{
	struct world w;
	struct pkt_addr dst;
	char *states;
	int n, tom;

	CU_ASSERT_EQUAL_FATAL(world_up(&w, seed), 0);
	tom = scn_jail_find(w.scn, "tom");
	CU_ASSERT_FATAL(tom >= 0);
	pkt_addr_parse("198.51.100.7", &dst);
	CU_ASSERT_EQUAL_FATAL(target_model_ops.probe_begin(w.t, NULL, &w.d), 0);
	CU_ASSERT_EQUAL_FATAL(target_model_ops.jail_connect(w.t, tom, IPPROTO_TCP, &dst,
	    443, NULL, 0, &w.d), 0);
	CU_ASSERT_EQUAL(target_model_ops.settle(w.t, 1000, &w.d), 0);
	CU_ASSERT_EQUAL(frames_matching(&w,
	    "tcp 203.0.113.1:50001-65535 > 198.51.100.7:443 S"), 1);
	CU_ASSERT_EQUAL(frames_matching(&w, "tcp 10.99.0.1:* > *:* "), 0);
	/* The jail's ACK completes the handshake, NATed too. */
	CU_ASSERT_EQUAL(frames_matching(&w,
	    "tcp 203.0.113.1:50001-65535 > 198.51.100.7:443 A"), 1);
	CU_ASSERT_EQUAL(target_model_ops.connect_outcome(w.t), SCN_CONN_OK);
	target_model_ops.deliveries(w.t, &n);
	CU_ASSERT_EQUAL(n, 0);
	states = target_model_ops.states(w.t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(states);
	CU_ASSERT_PTR_NOT_NULL(strstr(states, "10.99.0.1"));
	free(states);
	/* Refused: the client has nothing on 444 and answers RST. */
	CU_ASSERT_EQUAL_FATAL(target_model_ops.probe_begin(w.t, NULL, &w.d), 0);
	CU_ASSERT_EQUAL_FATAL(target_model_ops.jail_connect(w.t, tom, IPPROTO_TCP, &dst,
	    444, NULL, 0, &w.d), 0);
	CU_ASSERT_EQUAL(target_model_ops.connect_outcome(w.t), SCN_CONN_REFUSED);
	/* Timeout: nobody answers for 192.0.2.9. */
	pkt_addr_parse("192.0.2.9", &dst);
	CU_ASSERT_EQUAL_FATAL(target_model_ops.probe_begin(w.t, NULL, &w.d), 0);
	CU_ASSERT_EQUAL_FATAL(target_model_ops.jail_connect(w.t, tom, IPPROTO_TCP, &dst,
	    443, NULL, 0, &w.d), 0);
	CU_ASSERT_EQUAL(target_model_ops.connect_outcome(w.t), SCN_CONN_TIMEOUT);
	world_down(&w);
}

/* The scenario's `freebsd N` picks the parser: 15's translation on a pass rule is
 * 14's syntax error and loads under 15; af-to inet6 (NAT46) loads under 15, and a
 * form 15's pfctl refuses (an af-to address of the packet's family) is refused at
 * its line; a ruleset 14 reads loads as 15 too. */
static void
test_freebsd_release(void)
{
	static const char head[] = "host em0 203.0.113.1/24\n"
	    "client 198.51.100.7\n";
	static const char rdrto[] = "pf <<EOF\n"
	    "pass in on em0 proto tcp to port 81 rdr-to 10.99.0.3 port 80\n"
	    "EOF\n";
	static const char afto[] = "pf <<EOF\n"
	    "pass in on em0 inet to 198.51.100.0/24 af-to inet6 from 2001:db8::1 "
	    "to 64:ff9b::/96\n"
	    "EOF\n";
	static const char afbad[] = "pf <<EOF\n"
	    "pass in on em0 inet to 198.51.100.0/24 af-to inet6 from 192.0.2.1\n"
	    "EOF\n";
	static const char plain[] = "pf <<EOF\n"
	    "block in on em0 proto tcp to port 111\n"
	    "EOF\n";
	char text[512];
	struct world w;

	snprintf(text, sizeof(text), "%s%s", head, rdrto);
	CU_ASSERT_EQUAL(world_up(&w, text), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&w.d), "seed.scn:4: syntax error"));
	world_down(&w);
	snprintf(text, sizeof(text), "freebsd 15\n%s%s", head, rdrto);
	CU_ASSERT_EQUAL(world_up(&w, text), 0);
	world_down(&w);
	snprintf(text, sizeof(text), "freebsd 15\n%s%s", head, afto);
	CU_ASSERT_EQUAL(world_up(&w, text), 0);
	world_down(&w);
	snprintf(text, sizeof(text), "freebsd 15\n%s%s", head, afbad);
	CU_ASSERT_EQUAL(world_up(&w, text), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&w.d), "seed.scn:5: af-to addresses must be "
	    "in the target address family"));
	world_down(&w);
	snprintf(text, sizeof(text), "freebsd 15\n%s%s", head, plain);
	CU_ASSERT_EQUAL(world_up(&w, text), 0);
	CU_ASSERT_EQUAL(w.scn->freebsd, 15);
	world_down(&w);
}

static void
test_published_order(void)
{
	struct world w;

	CU_ASSERT_EQUAL(world_up(&w, published), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&w.d), "Rules must be in order"));
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&w.d), "seed.scn:"));
	world_down(&w);
}

static void
test_pcap(void)
{
	struct world w;
	struct stat st;
	char path[PATH_MAX];
	FILE *f;
	unsigned char magic[4];

	tut_tmp_path(path, sizeof(path), "probe01.pcap");
	CU_ASSERT_EQUAL_FATAL(world_up(&w, seed), 0);
	CU_ASSERT_EQUAL_FATAL(world_send(&w, "tcp 198.51.100.7:40001 > 203.0.113.1:81 S",
	    path), 0);
	target_model_ops.probe_end(w.t);
	/* Header, then SYN, SYN-ACK, ACK: 24 + 3 * (16 + 14 + 40). */
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 24 + 3 * (16 + 14 + 40));
	if ((f = fopen(path, "rb")) != NULL) {
		CU_ASSERT_EQUAL(fread(magic, 1, 4, f), 4);
		CU_ASSERT(memcmp(magic, "\xd4\xc3\xb2\xa1", 4) == 0 ||
		    memcmp(magic, "\xa1\xb2\xc3\xd4", 4) == 0);
		fclose(f);
	}
	world_down(&w);
}

int
target_model_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("target_model", NULL, NULL,
	    tut_tmp_setup, tut_tmp_teardown);

	if (s == NULL ||
	    CU_add_test(s, "rdr 81 to harry:80 keeps the client",
	    test_rdr_preserves_client) == NULL ||
	    CU_add_test(s, "port 111 is blocked", test_block_111) == NULL ||
	    CU_add_test(s, "closed port: RST", test_closed_port) == NULL ||
	    CU_add_test(s, "jail connects through nat", test_nat_connect) == NULL ||
	    CU_add_test(s, "published order is refused", test_published_order) == NULL ||
	    CU_add_test(s, "freebsd 15: its parser, the evaluator's refusal",
	    test_freebsd_release) == NULL ||
	    CU_add_test(s, "a pcap per probe", test_pcap) == NULL)
		return (-1);
	return (0);
}
