#!/bin/sh
# services2c.sh: turn a services(5) file into pfm_svcdata.c, the services list bundled
# into the pf model: one entry per line, { name, port, protocol, "aliases" }, comments
# cut, as a table compiled in (no parsing at run time). The build writes it under
# build/*/gen/ from harness/pf/conf/freebsd-services.
awk 'BEGIN {
	print "/* pfm_svcdata.c: generated from harness/pf/conf/freebsd-services by"
	print " * tools/services2c.sh; do not edit. */"
	print "#include \"pf/conf/pfm_grammar.h\""
	print ""
	print "const struct pfm_svent pfm_svcdata[] = {"
}
/^[^#]/ && NF >= 2 && index($2, "/") > 1 {
	split($2, pp, "/")
	alias = ""
	for (i = 3; i <= NF && $i !~ /^#/; i++)
		alias = alias (alias == "" ? "" : " ") $i
	gsub(/[\\"]/, "", alias)
	name = $1
	gsub(/[\\"]/, "", name)
	printf "\t{ \"%s\", %d, \"%s\", \"%s\" },\n", name, pp[1], pp[2], alias
	n++
}
END {
	print "};"
	print "const int pfm_svcdata_n = " n ";"
}' "$1"
