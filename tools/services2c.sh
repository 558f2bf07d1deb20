#!/bin/sh
# services2c.sh: turn a services(5) file into harness/pfm_svcdata.c, the services list
# bundled into the pf model (name, port/proto and aliases of each entry, comments cut).
awk 'BEGIN {
	print "/* pfm_svcdata.c: generated from harness/freebsd-services by tools/services2c.sh; do not edit. */"
	print "extern const char *const pfm_svcdata[];"
	print "const char *const pfm_svcdata[] = {"
}
/^[^#]/ && NF >= 2 {
	line = $1 " " $2
	for (i = 3; i <= NF && $i !~ /^#/; i++)
		line = line " " $i
	gsub(/[\\"]/, "", line)
	print "\t\"" line "\","
}
END {
	print "\t0"
	print "};"
}' "$1"
