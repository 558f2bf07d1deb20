/* pfm_ctl_kill.c: pfctl -F MODIFIER, -k and -K on the model, in FreeBSD 14's words
 * (pfctl.c main's clearopt switch, pfctl_clear_*, pfctl_net_kill_states,
 * pfctl_label_kill_states, pfctl_gateway_kill_states, pfctl_id_kill_states,
 * pfctl_kill_src_nodes). Messages go to standard error without pfctl's prefix
 * and -q silences them. */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_ctl_impl.h"

enum flush {
	F_NAT, F_QUEUE, F_RULES, F_SOURCES, F_STATES, F_INFO, F_TABLES, F_OSFP, F_ALL,
	F_ETHERNET
};

/* pfctl.c's clearopt_list, in its order. */
static const char *const flush_words[] = {
	"nat", "queue", "rules", "Sources", "states", "info", "Tables", "osfp", "all",
	"ethernet", NULL
};

/* getaddrinfo's EAI_NONAME as FreeBSD's libc words it. */
#define NONAME	"hostname nor servname provided, or not known"

int
ctl_kill_addr(struct ctl *c, const char *arg, struct pfm_kill *k, int second)
{
	char buf[256], *slash, *end;
	uint8_t *a = second ? k->dst : k->src, *m = second ? k->dmask : k->smask;
	long prefix = -1;
	int af, bits, i;

	snprintf(buf, sizeof(buf), "%s", arg);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		prefix = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || prefix < 0 || prefix > 128) {
			ctl_warnx(c, "prefix is %s: %s", *slash == '\0' || *end != '\0' ?
			    "invalid" : prefix < 0 ? "too small" : "too large", slash);
			return (-1);
		}
	}
	if (inet_pton(AF_INET, buf, a) == 1)
		af = 4;
	else if (inet_pton(AF_INET6, buf, a) == 1)
		af = 6;
	else {
		/* the model has no resolver: only numeric hosts */
		ctl_warnx(c, "getaddrinfo: %s", NONAME);
		return (-1);
	}
	if (prefix > (af == 4 ? 32 : 128)) {
		ctl_warnx(c, "prefix too long for AF_INET%s", af == 4 ? "" : "6");
		return (-1);
	}
	bits = prefix < 0 ? (af == 4 ? 32 : 128) : (int)prefix;
	memset(m, 0, 16);
	for (i = 0; i < 16 && bits > 0; i++, bits -= 8)
		m[i] = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
	if (second) {
		k->has_dst = 1;
		return (af == k->af ? 0 : 1);	/* another family: skipped */
	}
	k->af = af;
	return (0);
}

/* pfctl_clear_tables: the active tables of the anchor; its status. */
static int
flush_tables(struct ctl *c)
{
	const char *anchor = ctl_anchor(c);
	int n;

	if (anchor != NULL && (c->pf->rs == NULL ||
	    pfm_anchor_find(c->pf->rs, anchor) == NULL)) {
		fprintf(c->err, "pfctl: Anchor or Ruleset does not exist.\n");
		return (0);
	}
	n = pfm_rt_flush_tables(c->pf, anchor);
	if (!c->qflag)
		fprintf(c->err, "%d tables deleted%s\n", n, c->nflag ? " (dummy)." : ".");
	return (0);
}

static int
flush_rules(struct ctl *c, int nat)
{
	if (pfm_rt_flush_rules(c->pf, ctl_anchor(c), nat) == -1) {
		ctl_warnx(c, "%s: Cannot allocate memory", nat ? "DIOCXCOMMIT" :
		    "DIOCXCOMMIT");
		return (1);
	}
	ctl_info(c, nat ? "nat cleared" : "rules cleared");
	return (0);
}

static void
flush_states(struct ctl *c)
{
	int n = pfm_rt_flush_states(c->pf, c->ifname, c->Mflag);

	ctl_info(c, "%d states cleared", n);
}

static void
flush_sources(struct ctl *c)
{
	(void)pfm_rt_flush_sources(c->pf);
	ctl_info(c, "source tracking entries cleared");
}

static void
flush_info(struct ctl *c)
{
	pfm_rt_clear_info(c->pf, c->now_ms);
	ctl_info(c, "pf: statistics cleared");
}

int
ctl_flush(struct ctl *c)
{
	int rc = 0;

	switch (ctl_lookup(flush_words, c->flush)) {
	case F_NAT:
		return (flush_rules(c, 1));
	case F_RULES:
		return (flush_rules(c, 0));
	case F_ETHERNET:
		pfm_eth_flush(c->pf, ctl_anchor(c));
		ctl_info(c, "Ethernet rules cleared");
		return (0);
	case F_QUEUE:
	case F_OSFP:
		return (0);	/* no ALTQ in GENERIC; fingerprints: nothing printed */
	case F_SOURCES:
		flush_sources(c);
		return (0);
	case F_STATES:
		flush_states(c);
		return (0);
	case F_INFO:
		flush_info(c);
		return (0);
	case F_TABLES:
		return (flush_tables(c));
	case F_ALL:
		pfm_eth_flush(c->pf, ctl_anchor(c));
		ctl_info(c, "Ethernet rules cleared");
		if ((rc = flush_rules(c, 0)) != 0 || (rc = flush_rules(c, 1)) != 0)
			return (rc);
		rc = flush_tables(c);
		if (ctl_anchor(c) != NULL)
			return (rc);	/* with -a: only what belongs to the anchor */
		flush_states(c);
		flush_sources(c);
		flush_info(c);
		pfm_rt_reset_ifflags(c->pf);
		ctl_info(c, "pf: interface flags reset");
		return (rc);
	default:
		ctl_warnx(c, "Unknown flush modifier '%s'", c->flush);
		return (ctl_usage(c));
	}
}

/* -k label -k NAME */
static int
kill_label(struct ctl *c)
{
	if (c->nkill != 2 || c->kill[1][0] == '\0') {
		ctl_warnx(c, "no label specified");
		return (ctl_usage(c));
	}
	if (strlen(c->kill[1]) >= 64) {
		ctl_warnx(c, "label too long: %s", c->kill[1]);
		return (1);
	}
	ctl_info(c, "killed %d states", pfm_rt_kill_label(c->pf, c->kill[1], c->ifname,
	    c->Mflag));
	return (0);
}

/* -k gateway -k ADDR[/LEN]: the states whose route-to/reply-to/dup-to next hop is
 * in ADDR/LEN (pfctl_gateway_kill_states; a state without one has the zero
 * address, which /0 takes in). */
static int
kill_gateway(struct ctl *c)
{
	struct pfm_kill k;

	if (c->nkill != 2 || c->kill[1][0] == '\0') {
		ctl_warnx(c, "no gateway specified");
		return (ctl_usage(c));
	}
	memset(&k, 0, sizeof(k));
	k.ifname = c->ifname;
	if (ctl_kill_addr(c, c->kill[1], &k, 0) == -1)
		return (1);
	/* the address parsed as a source goes to the gateway; any source, any
	 * destination */
	memcpy(k.rt, k.src, sizeof(k.rt));
	memcpy(k.rtmask, k.smask, sizeof(k.rtmask));
	memset(k.src, 0, sizeof(k.src));
	memset(k.smask, 0, sizeof(k.smask));
	ctl_info(c, "killed %d states", pfm_rt_kill_states(c->pf, &k));
	return (0);
}

/* -k id -k ID[/CREATOR] (pfctl_id_kill_states: hex, as -ss -vv prints them). */
static int
kill_id(struct ctl *c)
{
	unsigned long long id = 0;
	unsigned int creator = 0;
	char tail;

	if (c->nkill != 2 || c->kill[1][0] == '\0') {
		ctl_warnx(c, "no id specified");
		return (ctl_usage(c));
	}
	if (sscanf(c->kill[1], "%llx/%x", &id, &creator) == 2)
		;
	else if (sscanf(c->kill[1], "%llx%c", &id, &tail) >= 1)
		creator = 0;
	else {
		ctl_warnx(c, "wrong id format specified");
		return (ctl_usage(c));
	}
	if (id == 0) {
		ctl_warnx(c, "cannot kill id 0");
		return (ctl_usage(c));
	}
	ctl_info(c, "killed %d states", pfm_rt_kill_id(c->pf, (uint64_t)id, creator));
	return (0);
}

int
ctl_kill(struct ctl *c)
{
	struct pfm_kill k;
	int killed = 0, dests = 0, rc;

	if (strcmp(c->kill[0], "label") == 0)
		return (kill_label(c));
	if (strcmp(c->kill[0], "id") == 0)
		return (kill_id(c));
	if (strcmp(c->kill[0], "gateway") == 0)
		return (kill_gateway(c));
	memset(&k, 0, sizeof(k));
	k.ifname = c->ifname;
	k.match = c->Mflag;	/* pfctl_net_kill_states: kill.kill_match */
	if (ctl_kill_addr(c, c->kill[0], &k, 0) == -1)
		return (1);
	if (c->nkill == 2) {
		if ((rc = ctl_kill_addr(c, c->kill[1], &k, 1)) == -1)
			return (1);
		if (rc == 0) {
			dests++;
			killed += pfm_rt_kill_states(c->pf, &k);
		}
	} else
		killed += pfm_rt_kill_states(c->pf, &k);
	ctl_info(c, "killed %d states from %d sources and %d destinations", killed, 1,
	    dests);
	return (0);
}

int
ctl_kill_sources(struct ctl *c)
{
	struct pfm_kill k;
	int killed = 0, dests = 0, rc;

	memset(&k, 0, sizeof(k));
	if (ctl_kill_addr(c, c->skill[0], &k, 0) == -1)
		return (1);
	if (c->nskill == 2) {
		if ((rc = ctl_kill_addr(c, c->skill[1], &k, 1)) == -1)
			return (1);
		if (rc == 0) {
			dests++;
			killed += pfm_src_kill(c->pf, &k);
		}
	} else
		killed += pfm_src_kill(c->pf, &k);
	ctl_info(c, "killed %d src nodes from %d sources and %d destinations", killed, 1,
	    dests);
	return (0);
}
