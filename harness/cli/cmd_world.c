/* cmd_world.c: `pfharness world`: the world an admin's rc.conf and jail files describe,
 * printed as scenario statements (harness/admin). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "worldopt.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: pfharness world [--rc FILE]... [--jails FILE]... "
	    "[--bastille PREFIX] [--root DIR]\n"
	    "           [--if NAME=ADDR/LEN[,ADDR/LEN...]]... [--group NAME=IF[,IF...]]...\n"
	    "           [--jail NAME=[IF|]ADDR[/LEN][,...]]...\n"
	    "Prints the world the files describe as scenario statements (host, loopback,\n"
	    "jail, bridge, vnet jail, group, route, pf file), each with the file and line\n"
	    "it comes from, checked as a scenario's world is: add probes to it and run it.\n"
	    "      --rc FILE       an rc.conf (or an rc.conf.d folder); repeatable, later\n"
	    "                      assignments win (rc.conf, then rc.conf.local)\n"
	    "      --jails FILE    a jail.conf (repeatable)\n"
	    "      --bastille PREFIX  Bastille's jails: PREFIX/jails/NAME/jail.conf\n"
	    "      --root DIR      a copy of the admin's tree: absolute paths the files name\n"
	    "                      (pf_rules, includes, tables, a jail's path) are read\n"
	    "                      under DIR; with no --rc, DIR/etc/rc.conf, rc.conf.local\n"
	    "                      and rc.conf.d; with no --jails or --bastille,\n"
	    "                      DIR/etc/jail.conf, jail.conf.d/*.conf and Bastille's\n"
	    "                      prefix from DIR/usr/local/etc/bastille/bastille.conf\n"
	    "      --if NAME=ADDR/LEN[,ADDR/LEN...]  the interface's addresses are these\n"
	    "                      (one DHCP gives, one the files do not name)\n"
	    "      --group NAME=IF[,IF...]  interfaces in group NAME (as ifconfig IF group\n"
	    "                      NAME)\n"
	    "      --jail NAME=[IF|]ADDR[/LEN][,...]  the jail's addresses are these (a\n"
	    "                      VNET jail's set inside it)\n"
	    "  -h, --help          this text\n"
	    "Exit: 0 the world was printed whole, 1 something could not be read or built\n"
	    "(file:line messages on stderr, each naming the option that overrides it), 2\n"
	    "bad usage.\n");
}

int
cmd_world(int argc, char **argv)
{
	static const struct option lopts[] = {
		WORLDOPT_FILES,
		WORLDOPT_OVERRIDES,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct worldopt o;
	struct adm_world *w;
	int ch, rc;

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			return (0);
		}
		if ((rc = worldopt_take(&o, ch, optarg, "pfharness world")) == -1)
			return (2);
		if (rc == 0) {
			usage(stderr);
			return (2);
		}
	}
	if (optind != argc || !worldopt_files(&o)) {
		usage(stderr);
		return (2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);	/* in order with the messages */
	if ((w = worldopt_world(&o, "pfharness world", NULL, 0)) == NULL)
		return (1);
	printf("# the world of the admin's files (pfharness world): add probes to run it\n");
	(void)adm_world_scn(w, stdout);
	fflush(stdout);
	fputs(adm_world_messages(w), stderr);
	rc = w->errors > 0;
	adm_world_free(w);
	return (rc);
}
