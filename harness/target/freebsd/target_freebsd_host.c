/* target_freebsd_host.c: whether this host may be the freebsd target's: FreeBSD, marked
 * throwaway (or --force), and no DHCP client that would send across pf on the harness's
 * interfaces; and the small text helpers the target's files share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tfb.h"

static const char *marker_path = TFB_MARKER;

void
target_freebsd_set_marker(const char *path)
{
	marker_path = path != NULL ? path : TFB_MARKER;
}

void
tfb_chomp(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

int
tfb_in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ' || p[-1] == '\n') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return (1);
	return (0);
}

int
tfb_check_host(struct tfb_cmd *c, int force, struct diag *d)
{
	char *out = NULL;

	if (tfb_run(c, &out, d, "uname", "-s", NULL) == -1)
		return (-1);
	tfb_chomp(out);
	if (strcmp(out, "FreeBSD") != 0) {
		diag_add(d, NULL, 0, "the freebsd target runs on FreeBSD only (this is %s); "
		    "use `make vm-run` for a FreeBSD VM", out);
		free(out);
		return (-1);
	}
	free(out);
	if (!force && access(marker_path, F_OK) == -1) {
		diag_add(d, NULL, 0, "refusing to change pf, jails and interfaces: %s is "
		    "missing, so this host is not a throwaway VM (the Vagrant provisioner "
		    "writes it); --force overrides", marker_path);
		return (-1);
	}
	return (0);
}

/*
 * The release: a scenario that says `freebsd N` (or a run given --freebsd N) is written
 * for that release's pf and pfctl, and this host's kernel (`freebsd-version -k`, e.g.
 * "15.0-RELEASE-p1") must be that release's. A scenario that says nothing runs on any
 * release. 1 with the reason in d when they differ (the run skips the scenario), -1
 * when the release cannot be read, 0 to go on.
 */
int
tfb_check_release(struct tfb_cmd *c, const struct scn *s, struct diag *d)
{
	char *out = NULL, *end;
	long major;

	if (s->freebsd == 0)
		return (0);
	if (tfb_run(c, &out, d, "freebsd-version", "-k", NULL) == -1)
		return (-1);
	tfb_chomp(out);
	major = strtol(out, &end, 10);
	if (end == out || *end != '.') {
		diag_add(d, NULL, 0, "freebsd-version -k said \"%s\": no release there", out);
		free(out);
		return (-1);
	}
	if (major != s->freebsd) {
		if (s->freebsd_line > 0)
			diag_add(d, s->path, s->freebsd_line, "written for FreeBSD %d and "
			    "this host runs %s: run it in a FreeBSD %d VM (PFH_FREEBSD=%d.0 "
			    "make vm-run)", s->freebsd, out, s->freebsd, s->freebsd);
		else
			diag_add(d, NULL, 0, "the run follows FreeBSD %d (--freebsd) and this "
			    "host runs %s: give --freebsd %ld", s->freebsd, out, major);
		free(out);
		return (1);
	}
	free(out);
	return (0);
}

/*
 * DHCP on the harness's interfaces. FreeBSD's devd runs `service dhclient quietstart
 * IF` at every LINK_UP of an Ethernet interface (/etc/devd/dhclient.conf, from
 * sbin/devd/dhclient.conf), and rc.d/dhclient starts one when rc.conf says DHCP for
 * IF, which ifconfig_DEFAULT does for every interface without its own ifconfig_IF. An
 * epair's sides come up when they are made, so on a host whose rc.conf has
 * ifconfig_DEFAULT="SYNCDHCP" (the official Vagrant boxes do) a dhclient would send
 * DHCPDISCOVERs out of the scenario's external interface, across pf, in mid-run.
 * The provisioner (vagrant/provision.sh) moves the setting to the machine's own NIC;
 * here the target refuses a host where it is still there, and, once its interfaces
 * exist, one where a dhclient runs on any of them.
 */
int
tfb_check_dhcp_default(struct tfb_cmd *c, struct diag *d)
{
	const char *argv[] = { "sysrc", "-n", "-i", "ifconfig_DEFAULT", NULL };
	char *out = NULL, *p;
	int bad = 0;

	if (tfb_runv(c, argv, &out, NULL, d) == -1)
		return (-1);
	tfb_chomp(out);
	for (p = out; *p != '\0' && !bad; p++)
		bad = strncasecmp(p, "DHCP", 4) == 0;
	if (bad)
		diag_add(d, NULL, 0, "refusing: rc.conf has ifconfig_DEFAULT=\"%s\", so devd "
		    "would start dhclient on the harness's epairs as they come up and its "
		    "DHCP packets would cross pf mid-run; run vagrant/provision.sh, or `sysrc "
		    "-x ifconfig_DEFAULT` and give this machine's own interface its "
		    "ifconfig_IF", out);
	free(out);
	return (bad ? -1 : 0);
}

int
tfb_check_dhclient(struct tfb_cmd *c, const char *const *ifs, struct diag *d)
{
	const char *argv[] = { "pgrep", "-lf", "dhclient", NULL };
	char *out = NULL, *line, *save = NULL;
	int rc, i, bad = 0;

	/* pgrep: 0 some matched, 1 none */
	if ((rc = tfb_runv(c, argv, &out, NULL, d)) == -1)
		return (-1);
	for (line = strtok_r(out, "\n", &save); rc == 0 && line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		for (i = 0; ifs[i] != NULL; i++)
			if (tfb_in_list(line, ifs[i])) {	/* "612 dhclient: em0 [priv]" */
				diag_add(d, NULL, 0, "refusing: a dhclient runs on %s, an "
				    "interface of the harness (%s); its DHCP packets would "
				    "cross pf mid-run (see vagrant/provision.sh)", ifs[i], line);
				bad = 1;
			}
	free(out);
	return (bad ? -1 : 0);
}
