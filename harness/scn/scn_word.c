/* scn_word.c: the words the statements share: interface, jail and group names, the
 * `listen` lists, and finding a jail by its name. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_impl.h"

int
scn_ifname_ok(struct parser *p, const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > SCN_IFNAME_LEN) {
		scn_perr(p, p->line, "interface name \"%s\" is longer than %d characters", name,
		    SCN_IFNAME_LEN);
		return (0);
	}
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '.' &&
		    name[i] != '-') {
			scn_perr(p, p->line, "bad interface name \"%s\"", name);
			return (0);
		}
	return (1);
}

int
scn_listen_parse(struct parser *p, struct words *w, int from, struct scn_port *lp, int *n)
{
	char all[1024] = "", *tok, *save, *slash, *end;
	long port;
	int i, proto;
	size_t len, n0;

	for (i = from, n0 = 0; i < w->n; i++) {
		len = strlen(w->w[i]);
		if (n0 + len >= sizeof(all))
			break;
		memcpy(all + n0, w->w[i], len + 1);
		n0 += len;
	}
	if (from >= w->n) {
		scn_perr(p, p->line, "listen: expected PROTO/PORT,...");
		return (-1);
	}
	for (tok = strtok_r(all, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if ((slash = strchr(tok, '/')) == NULL)
			goto bad;
		*slash++ = '\0';
		if (strcmp(tok, "tcp") == 0)
			proto = IPPROTO_TCP;
		else if (strcmp(tok, "udp") == 0)
			proto = IPPROTO_UDP;
		else
			goto bad;
		port = strtol(slash, &end, 10);
		if (!isdigit((unsigned char)*slash) || *end != '\0' || port < 1 || port > 65535)
			goto bad;
		if (*n == SCN_LISTEN_MAX) {
			scn_perr(p, p->line, "more than %d listen ports", SCN_LISTEN_MAX);
			return (-1);
		}
		lp[*n].proto = proto;
		lp[(*n)++].port = (uint16_t)port;
		continue;
bad:
		scn_perr(p, p->line, "listen: bad port \"%s%s%s\" (expected tcp/N or udp/N)",
		    tok, slash ? "/" : "", slash ? slash : "");
		return (-1);
	}
	return (0);
}

int
scn_name_ok(struct parser *p, const char *what, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '-')
			break;
	if (n == 0 || n >= SCN_NAME_MAX || i < n || !isalpha((unsigned char)name[0])) {
		scn_perr(p, p->line, "bad %s name \"%s\" (a letter, then letters, digits, _ "
		    "or -, at most %d)", what, name, SCN_NAME_MAX - 1);
		return (0);
	}
	return (1);
}

int
scn_jail_find(const struct scn *s, const char *name)
{
	int i;

	for (i = 0; i < s->njail; i++)
		if (strcmp(s->jail[i].name, name) == 0)
			return (i);
	return (-1);
}
