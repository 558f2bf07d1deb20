/* run_opts.c: the options of `pfharness run` and `pfharness list`, and where their
 * scenarios and results are when the command line does not say. */
#include <sys/stat.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "pf/pfm.h"
#include "run_opts.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: pfharness run [options] [SCENARIO.scn | DIR] ...\n"
	    "  -t, --target T[,T]  linux, model or freebsd; several run side by side and\n"
	    "                      disagreements are reported\n"
	    "                      (default: %s)\n"
	    "  -T, --tag TAG       only scenarios tagged TAG (repeatable)\n"
	    "      --tap           TAP output on stdout (for prove / Kyua)\n"
	    "      --junit FILE    JUnit XML results (`-`: stdout; the summary then goes\n"
	    "                      to stderr)\n"
	    "      --results DIR   where DIR/run-DATE-PID/ goes (default: ./results when\n"
	    "                      it is a directory, else ~/.local/state/pfharness)\n"
	    "      --services FILE services list for printing ports (default: bundled\n"
	    "                      FreeBSD list)\n"
	    "      --freebsd 14|15 the release the model follows for scenarios that do\n"
	    "                      not say (`freebsd 15`; default 14)\n"
	    "      --force         freebsd: load rules on a host not marked throwaway\n"
	    "      --no-color      plain output (also NO_COLOR=1 or TERM=dumb)\n"
	    "      --hold CMD      after each scenario's probes, with its world still up,\n"
	    "                      run `sh -c CMD` with the world in PFH_* variables\n"
	    "                      (PFH_WIRE_NS, PFH_WIRE_IF, PFH_PUBLIC, PFH_CLIENT...)\n"
	    "  -v, --verbose       say more\n"
	    "  -h, --help          this text\n"
	    "Scenarios default to ./scenarios, else the installed library,\n"
	    "%s/scenarios.\n"
	    "Exit: 0 all passed, 1 a probe failed, 2 a scenario could not be run or none\n"
	    "was selected.\n", "linux as root, else model", run_datadir);
}

static void
list_usage(FILE *f)
{
	fprintf(f,
	    "usage: pfharness list [SCENARIO.scn | DIR] ...\n"
	    "Lists each scenario: its file, title, tags and number of probes.\n"
	    "  -h, --help          this text\n"
	    "Scenarios default to ./scenarios, else the installed library,\n"
	    "%s/scenarios.\n"
	    "Exit: 0 every scenario parsed, 2 one did not (its errors on stderr).\n",
	    run_datadir);
}

/* list takes no option but --help. */
static int
list_parse_opts(int argc, char **argv, struct run_opts *ro)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		list_usage(c == 'h' ? stdout : stderr);
		return (c == 'h' ? 1 : -1);
	}
	ro->paths = argv + optind;
	ro->npaths = argc - optind;
	return (0);
}

int
run_parse_opts(int argc, char **argv, struct run_opts *ro, int list)
{
	static const struct option lo[] = {
		{ "target", required_argument, NULL, 't' },
		{ "tag", required_argument, NULL, 'T' },
		{ "tap", no_argument, NULL, 1 },
		{ "junit", required_argument, NULL, 2 },
		{ "results", required_argument, NULL, 3 },
		{ "services", required_argument, NULL, 4 },
		{ "force", no_argument, NULL, 5 },
		{ "no-color", no_argument, NULL, 6 },
		{ "hold", required_argument, NULL, 7 },
		{ "freebsd", required_argument, NULL, 8 },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(ro, 0, sizeof(*ro));
	ro->prefix = "pfh";
	ro->color = -1;
	if (list)
		return (list_parse_opts(argc, argv, ro));
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:T:vh", lo, NULL)) != -1)
		switch (c) {
		case 't':
			ro->targets = optarg;
			break;
		case 'T':
			if (ro->ntag == RUN_TAGS_MAX) {
				fprintf(stderr, "pfharness run: at most %d --tag\n",
				    RUN_TAGS_MAX);
				return (-1);
			}
			ro->tag[ro->ntag++] = optarg;
			break;
		case 1:
			ro->tap = 1;
			break;
		case 2:
			ro->junit = optarg;
			break;
		case 3:
			ro->results = optarg;
			break;
		case 4:
			ro->services = optarg;
			break;
		case 5:
			ro->force = 1;
			break;
		case 6:
			ro->color = 0;
			break;
		case 7:
			ro->hold = optarg;
			break;
		case 8:
			if ((ro->freebsd = pfm_freebsd_parse(optarg)) == -1) {
				fprintf(stderr, "pfharness run: --freebsd %s: expected 14 or "
				    "15\n", optarg);
				return (-1);
			}
			break;
		case 'v':
			ro->verbose++;
			break;
		case 'h':
			usage(stdout);
			return (1);
		default:
			usage(stderr);
			return (-1);
		}
	if (ro->tap && ro->junit != NULL && strcmp(ro->junit, "-") == 0) {
		fprintf(stderr, "pfharness run: --tap and --junit - both write to standard "
		    "output; give --junit a file\n");
		return (-1);
	}
	if (ro->results == NULL)
		ro->results = run_default_results();
	ro->paths = argv + optind;
	ro->npaths = argc - optind;
	return (0);
}

static int
is_dir(const char *path)
{
	struct stat sb;

	return (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
}

const char *
run_default_scenarios(void)
{
	static char buf[1024];

	if (is_dir("scenarios"))
		return ("scenarios");
	snprintf(buf, sizeof(buf), "%s/scenarios", run_datadir);
	return (is_dir(buf) ? buf : "scenarios");
}

const char *
run_default_results(void)
{
	static char buf[1024];
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (is_dir("results"))
		return ("results");
	if (state != NULL && state[0] == '/')
		snprintf(buf, sizeof(buf), "%s/pfharness", state);
	else if (home != NULL && home[0] == '/')
		snprintf(buf, sizeof(buf), "%s/.local/state/pfharness", home);
	else
		return ("results");
	return (buf);
}
