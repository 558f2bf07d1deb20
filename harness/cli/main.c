/* main.c: the pfharness command: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "base/version.h"

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*what;
} cmds[] = {
	{ "run",   cmd_run,   "build each scenario's world, probe it, report" },
	{ "list",  cmd_list,  "list scenarios with their titles and tags" },
	{ "parse", cmd_parse, "load a pf.conf as pfctl -nvf does and print it" },
	{ "trace", cmd_trace, "follow packets through a pf.conf, rule by rule" },
	{ "bench", cmd_bench, "measure the packet path; compare runs" },
	{ "probes", cmd_probes, "a scenario probing every rule of a pf.conf" },
	{ "diff",  cmd_diff,  "what a change to a pf.conf does to packets" },
	{ "world", cmd_world, "the world of an admin's rc.conf and jail.conf, as a scenario" },
	{ "check", cmd_check, "an admin's files: the world, its ruleset loaded on it" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: pfharness COMMAND [options] [args]\n"
	    "       pfharness -V | --version\n"
	    "       pfharness -h | --help\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i].what != NULL)
			fprintf(f, "  %-6s %s\n", cmds[i].name, cmds[i].what);
	fprintf(f, "\n`pfharness COMMAND --help` for a command's options; "
	    "man pfharness (man/pfharness.1) for the whole story.\n"
	    "Exit: a command's own status; 2 for an unknown command.\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return (2);
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return (0);
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("pfharness %s\n", PFH_VERSION);
		return (0);
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return (cmds[i].fn(argc - 1, argv + 1));
	fprintf(stderr, "pfharness: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return (2);
}
