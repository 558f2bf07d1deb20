/* scn_wstep.c: the steps of format v2 that speak of the world: `send on IF`, pings
 * (`connect JAIL|host icmp ADDR`), the host as a party (`connect host`, `expect
 * delivered host:PORT`), `expect wire on IF`, `expect delivered NAME icmp TYPE`. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_impl.h"

/* `send on IF PKT`: 3, the words before the packet; 1 for a plain `send PKT`. */
int
scn_wstep_send(struct parser *p, struct words *w, struct scn_step *t)
{
	if (w->n < 2 || strcmp(w->w[1], "on") != 0)
		return (1);
	if (w->n < 4) {
		scn_perr(p, p->line, "usage: send on IF PKT");
		return (-1);
	}
	if (!scn_ifname_ok(p, w->w[2]))
		return (-1);
	if ((t->name = strdup(w->w[2])) == NULL) {
		scn_perr(p, p->line, "out of memory");
		return (-1);
	}
	return (3);
}

/* `connect NAME icmp ADDR`: an echo request; 1 for the other forms. */
int
scn_wstep_connect(struct parser *p, struct words *w, struct scn_step *t, char *party)
{
	if (w->n < 3 || strcmp(w->w[2], "icmp") != 0)
		return (1);
	if (w->n != 4) {
		scn_perr(p, p->line, "usage: connect JAIL|host icmp ADDR");
		return (-1);
	}
	if (pkt_addr_parse(w->w[3], &t->addr) == -1) {
		scn_perr(p, p->line, "connect: bad destination \"%s\" (an address)", w->w[3]);
		return (-1);
	}
	t->proto = IPPROTO_ICMP;
	snprintf(party, SCN_NAME_MAX, "%s", w->w[1]);
	return (0);
}

/* `expect delivered NAME icmp TYPE [from ADDR]` */
static int
delivered_icmp(struct parser *p, struct words *w, struct scn_step *t, char *party)
{
	enum pkt_icmp type;

	if ((w->n != 5 && w->n != 7) || (w->n == 7 && strcmp(w->w[5], "from") != 0)) {
		scn_perr(p, p->line, "usage: expect delivered NAME icmp TYPE [from ADDR]");
		return (-1);
	}
	/* the ICMP types the packet notation names */
	if ((type = pkt_icmp_parse(w->w[4])) == PKT_ICMP_NONE) {
		scn_perr(p, p->line, "expect delivered: unknown icmp type \"%s\" "
		    "(echo-request, echo-reply, unreach-port, unreach-host, "
		    "unreach-needfrag, timex, unreach-net)", w->w[4]);
		return (-1);
	}
	t->kind = SCN_EXPECT_DELIVERED;
	t->proto = IPPROTO_ICMP;
	t->icmp = type;
	if (w->n == 7) {
		if (pkt_addr_parse(w->w[6], &t->from) == -1) {
			scn_perr(p, p->line, "expect delivered: bad peer \"%s\" (an address)",
			    w->w[6]);
			return (-1);
		}
		t->has_from = 1;
	}
	snprintf(party, SCN_NAME_MAX, "%s", w->w[2]);
	return (0);
}

/* `expect wire on IF PKT`, `expect no wire on IF`, `expect delivered NAME icmp TYPE`;
 * 1 for the other forms. */
int
scn_wstep_expect(struct parser *p, const char *st, struct words *w, struct scn_step *t,
    char *party, const char **next)
{
	char err[256], *text;
	int no = w->n > 1 && strcmp(w->w[1], "no") == 0, rc;

	if (w->n >= 4 && strcmp(w->w[1], "delivered") == 0 && strcmp(w->w[3], "icmp") == 0)
		return (delivered_icmp(p, w, t, party));
	if (w->n < 3 + no || strcmp(w->w[1 + no], "wire") != 0 ||
	    strcmp(w->w[2 + no], "on") != 0)
		return (1);
	if ((no && w->n != 5) || (!no && w->n < 5)) {
		scn_perr(p, p->line, no ? "usage: expect no wire [on IF]" :
		    "usage: expect wire [on IF] PKT");
		return (-1);
	}
	if (!scn_ifname_ok(p, w->w[3 + no]))
		return (-1);
	if ((t->name = strdup(w->w[3 + no])) == NULL) {
		scn_perr(p, p->line, "out of memory");
		return (-1);
	}
	t->kind = no ? SCN_EXPECT_NO_WIRE : SCN_EXPECT_WIRE;
	if (no)
		return (0);
	if ((text = scn_packet_text(p, scn_after_words(st, 4), next)) == NULL) {
		scn_perr(p, t->line, "out of memory");
		return (-1);
	}
	if ((rc = pkt_pat_parse(text, &t->pat, err, sizeof(err))) == -1)
		scn_perr(p, t->line, "bad packet: %s", err);
	else
		scn_step_text(t, st, 4, text);
	free(text);
	return (rc);
}

static int
listens(const struct scn_port *lp, int n, uint16_t port)
{
	int i;

	for (i = 0; i < n; i++)
		if (lp[i].port == port)
			return (1);
	return (0);
}

static int
jail_has(const struct scn_jail *j, const struct pkt_addr *a)
{
	int i;

	for (i = 0; i < j->naddr; i++)
		if (pkt_addr_eq(&j->addr[i], a))
			return (1);
	return (0);
}

/* 1 when a is a non-VNET jail's: in the host's stack, which an unjailed socket may
 * bind. */
static int
host_jail_addr(const struct scn *s, const struct pkt_addr *a)
{
	int i;

	for (i = 0; i < s->njail; i++)
		if (s->jail[i].kind != SCN_JAIL_VNET && jail_has(&s->jail[i], a))
			return (1);
	return (0);
}

void
scn_wstep_party(struct parser *p, struct scn_step *t, const char *name, int line)
{
	struct scn *s = p->s;
	const struct scn_jail *j = NULL;
	char a[64];
	int k, listening, owns;

	if (strcmp(name, "host") == 0)
		k = SCN_HOST;
	else if ((k = scn_jail_find(s, name)) == -1) {
		scn_perr(p, line, "unknown jail \"%s\"", name);
		return;
	} else
		j = &s->jail[k];
	t->jail = k;
	if (t->kind == SCN_EXPECT_DELIVERED && t->proto != IPPROTO_ICMP) {
		listening = j != NULL ? listens(j->listen, j->nlisten, t->port) :
		    listens(s->host_listen, s->nhost_listen, t->port);
		if (!listening && j != NULL)
			scn_perr(p, t->line, "jail %s does not listen on port %u", name,
			    t->port);
		else if (!listening)
			scn_perr(p, t->line, "the host does not listen on port %u (`host "
			    "listen PROTO/PORT,...`)", t->port);
	}
	if (t->kind == SCN_CONNECT && t->has_from) {
		owns = j != NULL ? jail_has(j, &t->from) : scn_host_has(s, &t->from) ||
		    host_jail_addr(s, &t->from);
		if (!owns && j != NULL)
			scn_perr(p, t->line, "%s is not an address of jail %s",
			    pkt_addr_format(&t->from, a, sizeof(a)), name);
		else if (!owns)
			scn_perr(p, t->line, "%s is not an address of the host",
			    pkt_addr_format(&t->from, a, sizeof(a)));
	}
}

/* The client with address a, or NULL. */
static const struct scn_client *
client_of(const struct scn *s, const struct pkt_addr *a)
{
	int i;

	for (i = 0; i < s->nclient; i++)
		if (pkt_addr_eq(&s->client[i].addr, a))
			return (&s->client[i]);
	return (NULL);
}

void
scn_wstep_wires(struct parser *p)
{
	struct scn *s = p->s;
	const struct scn_client *c;
	struct scn_step *t;
	int i, k;

	for (i = 0; i < s->nprobe; i++)
		for (k = 0; k < s->probe[i].nstep; k++) {
			t = &s->probe[i].step[k];
			if (t->kind != SCN_SEND && t->kind != SCN_EXPECT_WIRE &&
			    t->kind != SCN_EXPECT_NO_WIRE)
				continue;
			if (t->name == NULL) {
				c = t->kind == SCN_SEND ? client_of(s, &t->pkt.src) : NULL;
				t->wire = c != NULL ? c->wire : t->kind == SCN_SEND ? 0 : -1;
				continue;
			}
			if ((t->wire = scn_if_find(s, t->name)) == -1)
				scn_perr(p, t->line, "no external interface %s (`host %s "
				    "ADDR/LEN`)", t->name, t->name);
			else if (s->iface[t->wire].down && t->kind == SCN_SEND)
				scn_perr(p, t->line, "interface %s is down", t->name);
		}
}
