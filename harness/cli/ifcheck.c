/* ifcheck.c: the interfaces a ruleset names that the host given with --if does not
 * have, for `pfharness parse` and `pfharness trace`. pfctl accepts a rule on an
 * interface that does not exist yet, so the model does too; offline that silently
 * changes verdicts (`-> (em0)` translates to nothing), so the commands warn. */
#include <stdio.h>
#include <string.h>

#include "ifcheck.h"

#define IFCHECK_MAX	64	/* names warned about, at most */

struct ifcheck {
	const struct pfm_host	*host;
	const char		*prog;
	FILE			*out;
	char			 seen[IFCHECK_MAX][PFM_IFNAMSIZ];
	int			 nseen;
};

/* 1 when name is one of the host's interfaces or groups. */
static int
declared(const struct pfm_host *h, const char *name)
{
	int i, g;

	for (i = 0; i < h->niface; i++) {
		if (strcmp(h->iface[i].name, name) == 0)
			return (1);
		for (g = 0; g < h->iface[i].ngroup; g++)
			if (strcmp(h->iface[i].group[g], name) == 0)
				return (1);
	}
	return (0);
}

/* Warn once per name: where it is first used and which option declares it. */
static void
check(struct ifcheck *c, const char *name, const char *file, int line)
{
	int i;

	if (name[0] == '\0' || strcmp(name, "self") == 0 || declared(c->host, name))
		return;
	for (i = 0; i < c->nseen; i++)
		if (strcmp(c->seen[i], name) == 0)
			return;
	if (c->nseen < IFCHECK_MAX)
		snprintf(c->seen[c->nseen++], PFM_IFNAMSIZ, "%s", name);
	if (c->out == NULL)
		return;
	fprintf(c->out, "%s: ", c->prog);
	if (file != NULL && file[0] != '\0')
		fprintf(c->out, line > 0 ? "%s:%d: " : "%s: ", file, line);
	/* an interface's name ends in its unit number, a group's never does (ifconfig
	 * refuses such a group: if_addgroup's caller, setifgroup) */
	if (name[strlen(name) - 1] >= '0' && name[strlen(name) - 1] <= '9')
		fprintf(c->out, "warning: interface %s is not declared (declare it with "
		    "--if %s=ADDR/LEN): it has no address here, so (%s) is empty\n", name,
		    name, name);
	else
		fprintf(c->out, "warning: interface group %s is not declared (declare it "
		    "with --group %s=IF[,IF...]): it has no member here, so (%s) is "
		    "empty\n", name, name, name);
}

static void
check_addr(struct ifcheck *c, const struct pfm_addr *a, const struct pfm_rule *r)
{
	if (a->type == PFM_ADDR_DYNIFTL)
		check(c, a->ifname, r->file, r->line);
}

static void
check_rules(struct ifcheck *c, const struct pfm_rule *r)
{
	int i;

	for (; r != NULL; r = r->next) {
		check(c, r->ifname, r->file, r->line);
		check_addr(c, &r->src.addr, r);
		check_addr(c, &r->dst.addr, r);
		for (i = 0; i < r->rpool.naddr; i++) {
			check_addr(c, &r->rpool.addr[i], r);
			if (r->rpool.ifname != NULL)	/* route-to (if addr) */
				check(c, r->rpool.ifname[i], r->file, r->line);
		}
		/* FreeBSD 15's nat-to, rdr-to, af-to */
		for (i = 0; i < r->natpool.naddr; i++)
			check_addr(c, &r->natpool.addr[i], r);
		for (i = 0; i < r->rdrpool.naddr; i++)
			check_addr(c, &r->rdrpool.addr[i], r);
	}
}

/* Every name the ruleset uses that the host lacks into c (printed when c->out). */
static void
walk(struct ifcheck *c, const struct pfm_ruleset *rs, const char *file)
{
	const struct pfm_anchor *a;
	int i;

	for (i = 0; i < rs->nskip; i++)
		check(c, rs->skip[i], file, 0);
	check_rules(c, rs->scrub);
	check_rules(c, rs->nat);
	check_rules(c, rs->rdr);
	check_rules(c, rs->binat);
	check_rules(c, rs->rules);
	for (a = rs->anchors; a != NULL; a = a->next) {
		check_rules(c, a->nat);
		check_rules(c, a->rdr);
		check_rules(c, a->binat);
		check_rules(c, a->rules);
	}
}

int
ifcheck_missing(const struct pfm_ruleset *rs, const struct pfm_host *h,
    char (*names)[PFM_IFNAMSIZ], int max)
{
	struct ifcheck c;
	int i;

	memset(&c, 0, sizeof(c));
	c.host = h;
	walk(&c, rs, NULL);
	for (i = 0; i < c.nseen && i < max; i++)
		memcpy(names[i], c.seen[i], PFM_IFNAMSIZ);
	return (i);
}

int
ifcheck_ruleset(const struct pfm_ruleset *rs, const struct pfm_host *h, const char *prog,
    const char *file, FILE *out)
{
	struct ifcheck c;

	memset(&c, 0, sizeof(c));
	c.host = h;
	c.prog = prog;
	c.out = out;
	walk(&c, rs, file);
	return (c.nseen);
}
