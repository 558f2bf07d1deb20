/* pfm_services.c: names pfctl takes from the host: services(5) ports, protocols(5)
 * numbers, ICMP type and code names, timeout names. */
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rdfile.h"
#include "pfm_grammar.h"

struct pfm_svc {
	const struct pfm_svent *ent;
	int		 n;
	struct pfm_svent *own;		/* a file's entries (NULL: the bundled list) */
	char		*text;		/* the file, which they point into */
};

/* One line of a services(5) file into e (pointing into the line, which is cut); 1, or
 * 0 when the line holds no entry. */
static int
svc_parse_line(char *line, struct pfm_svent *e)
{
	char *name, *pp, *slash, *a, *save = NULL;

	if ((a = strchr(line, '#')) != NULL)
		*a = '\0';
	if ((name = strtok_r(line, " \t\r", &save)) == NULL ||
	    (pp = strtok_r(NULL, " \t\r", &save)) == NULL ||
	    (slash = strchr(pp, '/')) == NULL || slash == pp)
		return (0);
	*slash = '\0';
	e->name = name;
	e->port = atoi(pp);
	e->proto = slash + 1;
	/* the aliases: the rest of the line, blanks squeezed to one space */
	e->aliases = "";
	if ((a = strtok_r(NULL, " \t\r", &save)) != NULL) {
		char *o = a, *w;

		e->aliases = a;
		o += strlen(a);
		while ((w = strtok_r(NULL, " \t\r", &save)) != NULL) {
			*o++ = ' ';
			memmove(o, w, strlen(w) + 1);
			o += strlen(w);
		}
		*o = '\0';
	}
	return (1);
}

/* A services(5) file into s (its entries point into s->text). 0, or -1 with err. */
static int
svc_read(struct pfm_svc *s, const char *path, char *err, size_t errlen)
{
	struct rdfile rf;
	char *line, *next;
	int cap = 0;

	if (rdfile_read(path, 0, 0, &rf, err, errlen) == -1)
		return (-1);
	s->text = rf.buf;
	for (line = rf.buf; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (s->n == cap) {
			struct pfm_svent *ne;

			cap = cap ? cap * 2 : 1024;
			if ((ne = realloc(s->own, sizeof(*ne) * (size_t)cap)) == NULL) {
				snprintf(err, errlen, "%s: out of memory", path);
				return (-1);
			}
			s->own = ne;
		}
		s->n += svc_parse_line(line, &s->own[s->n]);
	}
	s->ent = s->own;
	return (0);
}

struct pfm_svc *
pfm_svc_load(const char *path, char *err, size_t errlen)
{
	struct pfm_svc *s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	if (path == NULL) {
		s->ent = pfm_svcdata;
		s->n = pfm_svcdata_n;
		return (s);
	}
	if (svc_read(s, path, err, errlen) == -1) {
		pfm_svc_free(s);
		return (NULL);
	}
	return (s);
}

void
pfm_svc_free(struct pfm_svc *s)
{
	if (s == NULL)
		return;
	free(s->own);
	free(s->text);
	free(s);
}

/* 1 when name is one of the words of a space-separated list. */
static int
word_in(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return (1);
	return (0);
}

/* getservbyname: the port of a name or alias for proto, or -1. */
int
pfm_svc_port(const struct pfm_svc *s, const char *name, const char *proto)
{
	int i;

	for (i = 0; s != NULL && i < s->n; i++) {
		if (strcmp(s->ent[i].proto, proto) != 0)
			continue;
		if (strcmp(s->ent[i].name, name) == 0 ||
		    (s->ent[i].aliases[0] != '\0' && name[0] != '\0' &&
		    word_in(s->ent[i].aliases, name)))
			return (s->ent[i].port);
	}
	return (-1);
}

/* getservbyport: the first name for port/proto, or NULL. */
const char *
pfm_svc_name(const struct pfm_svc *s, int port, const char *proto)
{
	int i;

	for (i = 0; s != NULL && i < s->n; i++)
		if (s->ent[i].port == port && strcmp(s->ent[i].proto, proto) == 0)
			return (s->ent[i].name);
	return (NULL);
}

/* FreeBSD's /etc/protocols (name, number, aliases). */
static const struct { const char *name; int num; const char *a1, *a2; } protos[] = {
	{ "ip", 0, "IP", NULL },
	{ "icmp", 1, "ICMP", NULL },
	{ "igmp", 2, "IGMP", NULL },
	{ "ggp", 3, "GGP", NULL },
	{ "ipencap", 4, "IP-ENCAP", NULL },
	{ "st2", 5, "ST2", NULL },
	{ "tcp", 6, "TCP", NULL },
	{ "cbt", 7, "CBT", NULL },
	{ "egp", 8, "EGP", NULL },
	{ "igp", 9, "IGP", NULL },
	{ "bbn-rcc", 10, "BBN-RCC-MON", NULL },
	{ "nvp", 11, "NVP-II", NULL },
	{ "pup", 12, "PUP", NULL },
	{ "argus", 13, "ARGUS", NULL },
	{ "emcon", 14, "EMCON", NULL },
	{ "xnet", 15, "XNET", NULL },
	{ "chaos", 16, "CHAOS", NULL },
	{ "udp", 17, "UDP", NULL },
	{ "mux", 18, "MUX", NULL },
	{ "dcn", 19, "DCN-MEAS", NULL },
	{ "hmp", 20, "HMP", NULL },
	{ "prm", 21, "PRM", NULL },
	{ "xns-idp", 22, "XNS-IDP", NULL },
	{ "trunk-1", 23, "TRUNK-1", NULL },
	{ "trunk-2", 24, "TRUNK-2", NULL },
	{ "leaf-1", 25, "LEAF-1", NULL },
	{ "leaf-2", 26, "LEAF-2", NULL },
	{ "rdp", 27, "RDP", NULL },
	{ "irtp", 28, "IRTP", NULL },
	{ "iso-tp4", 29, "ISO-TP4", NULL },
	{ "netblt", 30, "NETBLT", NULL },
	{ "mfe-nsp", 31, "MFE-NSP", NULL },
	{ "merit-inp", 32, "MERIT-INP", NULL },
	{ "dccp", 33, "DCCP", NULL },
	{ "3pc", 34, "3PC", NULL },
	{ "idpr", 35, "IDPR", NULL },
	{ "xtp", 36, "XTP", NULL },
	{ "ddp", 37, "DDP", NULL },
	{ "idpr-cmtp", 38, "IDPR-CMTP", NULL },
	{ "tp++", 39, "TP++", NULL },
	{ "il", 40, "IL", NULL },
	{ "ipv6", 41, "IPV6", NULL },
	{ "sdrp", 42, "SDRP", NULL },
	{ "ipv6-route", 43, "IPV6-ROUTE", NULL },
	{ "ipv6-frag", 44, "IPV6-FRAG", NULL },
	{ "idrp", 45, "IDRP", NULL },
	{ "rsvp", 46, "RSVP", NULL },
	{ "gre", 47, "GRE", NULL },
	{ "dsr", 48, "DSR", NULL },
	{ "bna", 49, "BNA", NULL },
	{ "esp", 50, "ESP", NULL },
	{ "ah", 51, "AH", NULL },
	{ "i-nlsp", 52, "I-NLSP", NULL },
	{ "swipe", 53, "SWIPE", NULL },
	{ "narp", 54, "NARP", NULL },
	{ "mobile", 55, "MOBILE", NULL },
	{ "tlsp", 56, "TLSP", NULL },
	{ "skip", 57, "SKIP", NULL },
	{ "ipv6-icmp", 58, "IPV6-ICMP", "icmp6" },
	{ "ipv6-nonxt", 59, "IPV6-NONXT", NULL },
	{ "ipv6-opts", 60, "IPV6-OPTS", NULL },
	{ "cftp", 62, "CFTP", NULL },
	{ "sat-expak", 64, "SAT-EXPAK", NULL },
	{ "kryptolan", 65, "KRYPTOLAN", NULL },
	{ "rvd", 66, "RVD", NULL },
	{ "ippc", 67, "IPPC", NULL },
	{ "sat-mon", 69, "SAT-MON", NULL },
	{ "visa", 70, "VISA", NULL },
	{ "ipcv", 71, "IPCV", NULL },
	{ "cpnx", 72, "CPNX", NULL },
	{ "cphb", 73, "CPHB", NULL },
	{ "wsn", 74, "WSN", NULL },
	{ "pvp", 75, "PVP", NULL },
	{ "br-sat-mon", 76, "BR-SAT-MON", NULL },
	{ "sun-nd", 77, "SUN-ND", NULL },
	{ "wb-mon", 78, "WB-MON", NULL },
	{ "wb-expak", 79, "WB-EXPAK", NULL },
	{ "iso-ip", 80, "ISO-IP", NULL },
	{ "vmtp", 81, "VMTP", NULL },
	{ "secure-vmtp", 82, "SECURE-VMTP", NULL },
	{ "vines", 83, "VINES", NULL },
	{ "ttp", 84, "TTP", NULL },
	{ "nsfnet-igp", 85, "NSFNET-IGP", NULL },
	{ "dgp", 86, "DGP", NULL },
	{ "tcf", 87, "TCF", NULL },
	{ "eigrp", 88, "EIGRP", NULL },
	{ "ospf", 89, "OSPFIGP", NULL },
	{ "sprite-rpc", 90, "Sprite-RPC", NULL },
	{ "larp", 91, "LARP", NULL },
	{ "mtp", 92, "MTP", NULL },
	{ "ax.25", 93, "AX.25", NULL },
	{ "ipip", 94, "IPIP", NULL },
	{ "micp", 95, "MICP", NULL },
	{ "scc-sp", 96, "SCC-SP", NULL },
	{ "etherip", 97, "ETHERIP", NULL },
	{ "encap", 98, "ENCAP", NULL },
	{ "gmtp", 100, "GMTP", NULL },
	{ "ifmp", 101, "IFMP", NULL },
	{ "pnni", 102, "PNNI", NULL },
	{ "pim", 103, "PIM", NULL },
	{ "aris", 104, "ARIS", NULL },
	{ "scps", 105, "SCPS", NULL },
	{ "qnx", 106, "QNX", NULL },
	{ "a/n", 107, "A/N", NULL },
	{ "ipcomp", 108, "IPComp", NULL },
	{ "snp", 109, "SNP", NULL },
	{ "compaq-peer", 110, "Compaq-Peer", NULL },
	{ "ipx-in-ip", 111, "IPX-in-IP", NULL },
	{ "carp", 112, "CARP", "vrrp" },
	{ "pgm", 113, "PGM", NULL },
	{ "l2tp", 115, "L2TP", NULL },
	{ "ddx", 116, "DDX", NULL },
	{ "iatp", 117, "IATP", NULL },
	{ "stp", 118, "STP", NULL },
	{ "srp", 119, "SRP", NULL },
	{ "uti", 120, "UTI", NULL },
	{ "smp", 121, "SMP", NULL },
	{ "sm", 122, "SM", NULL },
	{ "ptp", 123, "PTP", NULL },
	{ "isis", 124, "ISIS", NULL },
	{ "fire", 125, "FIRE", NULL },
	{ "crtp", 126, "CRTP", NULL },
	{ "crudp", 127, "CRUDP", NULL },
	{ "sscopmce", 128, "SSCOPMCE", NULL },
	{ "iplt", 129, "IPLT", NULL },
	{ "sps", 130, "SPS", NULL },
	{ "pipe", 131, "PIPE", NULL },
	{ "sctp", 132, "SCTP", NULL },
	{ "fc", 133, "FC", NULL },
	{ "rsvp-e2e-ignore", 134, "RSVP-E2E-IGNORE", NULL },
	{ "mobility-header", 135, "Mobility-Header", NULL },
	{ "udplite", 136, "UDPLite", NULL },
	{ "mpls-in-ip", 137, "MPLS-IN-IP", NULL },
	{ "manet", 138, "MANET", NULL },
	{ "hip", 139, "HIP", NULL },
	{ "shim6", 140, "SHIM6", NULL },
	{ "wesp", 141, "WESP", NULL },
	{ "rohc", 142, "ROHC", NULL },
	{ "pfsync", 240, "PFSYNC", NULL },
};

int
pfm_proto_byname(const char *n)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(n, protos[i].name) == 0 ||
		    (protos[i].a1 && strcmp(n, protos[i].a1) == 0) ||
		    (protos[i].a2 && strcmp(n, protos[i].a2) == 0))
			return (protos[i].num);
	return (-1);
}

const char *
pfm_proto_name(int num)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].num == num)
			return (protos[i].name);
	return (NULL);
}

static const struct pfm_icmptype icmp_type[] = {
	{ "echoreq", 8 }, { "echorep", 0 }, { "unreach", 3 }, { "squench", 4 },
	{ "redir", 5 }, { "althost", 6 }, { "routeradv", 9 }, { "routersol", 10 },
	{ "timex", 11 }, { "paramprob", 12 }, { "timereq", 13 }, { "timerep", 14 },
	{ "inforeq", 15 }, { "inforep", 16 }, { "maskreq", 17 }, { "maskrep", 18 },
	{ "trace", 30 }, { "dataconv", 31 }, { "mobredir", 32 },
	{ "ipv6-where", 33 }, { "ipv6-here", 34 }, { "mobregreq", 35 },
	{ "mobregrep", 36 }, { "skip", 39 }, { "photuris", 40 },
	{ NULL, 0 }
};

static const struct pfm_icmptype icmp6_type[] = {
	{ "unreach", 1 }, { "toobig", 2 }, { "timex", 3 }, { "paramprob", 4 },
	{ "echoreq", 128 }, { "echorep", 129 }, { "groupqry", 130 },
	{ "listqry", 130 }, { "grouprep", 131 }, { "listenrep", 131 },
	{ "groupterm", 132 }, { "listendone", 132 }, { "routersol", 133 },
	{ "routeradv", 134 }, { "neighbrsol", 135 }, { "neighbradv", 136 },
	{ "redir", 137 }, { "routrrenum", 138 }, { "wrureq", 139 },
	{ "wrurep", 140 }, { "fqdnreq", 139 }, { "fqdnrep", 140 },
	{ "niqry", 139 }, { "nirep", 140 }, { "mtraceresp", 200 },
	{ "mtrace", 201 },
	{ NULL, 0 }
};

static const struct pfm_icmpcode icmp_code[] = {
	{ "net-unr", 3, 0 }, { "host-unr", 3, 1 }, { "proto-unr", 3, 2 },
	{ "port-unr", 3, 3 }, { "needfrag", 3, 4 }, { "srcfail", 3, 5 },
	{ "net-unk", 3, 6 }, { "host-unk", 3, 7 }, { "isolate", 3, 8 },
	{ "net-prohib", 3, 9 }, { "host-prohib", 3, 10 }, { "net-tos", 3, 11 },
	{ "host-tos", 3, 12 }, { "filter-prohib", 3, 13 },
	{ "host-preced", 3, 14 }, { "cutoff-preced", 3, 15 },
	{ "redir-net", 5, 0 }, { "redir-host", 5, 1 }, { "redir-tos-net", 5, 2 },
	{ "redir-tos-host", 5, 3 }, { "normal-adv", 9, 0 },
	{ "common-adv", 9, 16 }, { "transit", 11, 0 }, { "reassemb", 11, 1 },
	{ "badhead", 12, 0 }, { "optmiss", 12, 1 }, { "badlen", 12, 2 },
	{ "unknown-ind", 40, 1 }, { "auth-fail", 40, 2 },
	{ "decrypt-fail", 40, 3 },
	{ NULL, 0, 0 }
};

static const struct pfm_icmpcode icmp6_code[] = {
	{ "admin-unr", 1, 1 }, { "noroute-unr", 1, 0 }, { "notnbr-unr", 1, 2 },
	{ "beyond-unr", 1, 2 }, { "addr-unr", 1, 3 }, { "port-unr", 1, 4 },
	{ "transit", 3, 0 }, { "reassemb", 3, 1 }, { "badhead", 4, 0 },
	{ "nxthdr", 4, 1 }, { "redironlink", 137, 0 }, { "redirrouter", 137, 1 },
	{ NULL, 0, 0 }
};

const struct pfm_icmptype *
pfm_icmptype_byname(const char *w, int af)
{
	const struct pfm_icmptype *t = af != AF_INET6 ? icmp_type : icmp6_type;

	for (; t->name != NULL; t++)
		if (strcmp(w, t->name) == 0)
			return (t);
	return (NULL);
}

const struct pfm_icmptype *
pfm_icmptype_bynum(int type, int af)
{
	const struct pfm_icmptype *t = af != AF_INET6 ? icmp_type : icmp6_type;

	for (; t->name != NULL; t++)
		if (type == t->type)
			return (t);
	return (NULL);
}

const struct pfm_icmpcode *
pfm_icmpcode_byname(int type, const char *w, int af)
{
	const struct pfm_icmpcode *c = af != AF_INET6 ? icmp_code : icmp6_code;

	for (; c->name != NULL; c++)
		if (type == c->type && strcmp(w, c->name) == 0)
			return (c);
	return (NULL);
}

const struct pfm_icmpcode *
pfm_icmpcode_bynum(int type, int code, int af)
{
	const struct pfm_icmpcode *c = af != AF_INET6 ? icmp_code : icmp6_code;

	for (; c->name != NULL; c++)
		if (type == c->type && code == c->code)
			return (c);
	return (NULL);
}

const struct pfm_tmname pfm_timeouts[] = {
	{ "tcp.first", PFM_TM_TCP_FIRST },
	{ "tcp.opening", PFM_TM_TCP_OPENING },
	{ "tcp.established", PFM_TM_TCP_ESTABLISHED },
	{ "tcp.closing", PFM_TM_TCP_CLOSING },
	{ "tcp.finwait", PFM_TM_TCP_FINWAIT },
	{ "tcp.closed", PFM_TM_TCP_CLOSED },
	{ "tcp.tsdiff", PFM_TM_TS_DIFF },
	{ "sctp.first", PFM_TM_SCTP_FIRST },
	{ "sctp.opening", PFM_TM_SCTP_OPENING },
	{ "sctp.established", PFM_TM_SCTP_ESTABLISHED },
	{ "sctp.closing", PFM_TM_SCTP_CLOSING },
	{ "sctp.closed", PFM_TM_SCTP_CLOSED },
	{ "udp.first", PFM_TM_UDP_FIRST },
	{ "udp.single", PFM_TM_UDP_SINGLE },
	{ "udp.multiple", PFM_TM_UDP_MULTIPLE },
	{ "icmp.first", PFM_TM_ICMP_FIRST },
	{ "icmp.error", PFM_TM_ICMP_ERROR },
	{ "other.first", PFM_TM_OTHER_FIRST },
	{ "other.single", PFM_TM_OTHER_SINGLE },
	{ "other.multiple", PFM_TM_OTHER_MULTIPLE },
	{ "frag", PFM_TM_FRAG },
	{ "interval", PFM_TM_INTERVAL },
	{ "adaptive.start", PFM_TM_ADAPTIVE_START },
	{ "adaptive.end", PFM_TM_ADAPTIVE_END },
	{ "src.track", PFM_TM_SRC_NODE },
	{ NULL, 0 }
};
