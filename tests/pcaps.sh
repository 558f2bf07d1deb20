#!/bin/sh
# pcaps.sh: what a run leaves in its results folder: every pcap in time order, with
# right checksums and no sentinel (tests/pcapcheck.py), on the model target and, as
# root, the linux target; the quotes pf leaves with a stale checksum (an rdr'd UDP
# port unreachable, as rdr-udp probe 2; a quoted echo whose id nat translated back,
# as icmp-ttl_exceeded's last probe) and the frame header-fields sends with `cksum
# bad` noted and nothing else; every file a run writes described in results/README.md.
cd "$(dirname "$0")/.." || exit 2
bin=${1:-./pfharness}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-pcaps.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok    $1"; }
bad() { fail=$((fail + 1)); echo "FAIL  $1"; [ -z "$2" ] || sed 's/^/      /' "$2" | head -20; }

check_target() {	# check_target TARGET
	"$bin" run --no-color -t "$1" --results "$tmp/$1" scenarios >"$tmp/$1.out" 2>&1
	find "$tmp/$1/latest/" -name '*.pcap' | sort >"$tmp/$1.list"
	if [ ! -s "$tmp/$1.list" ]; then
		bad "$1: the run wrote pcaps" "$tmp/$1.out"
		return
	fi
	# shellcheck disable=SC2046
	python3 tests/pcapcheck.py --addrs-from scenarios \
	    --sent-bad "/header-fields/probe02-$1.pcap: frame 1" $(cat "$tmp/$1.list") \
	    >"$tmp/$1.check" 2>&1
	if [ $? -eq 0 ]; then
		ok "$1: $(tail -1 "$tmp/$1.check" | sed 's/^pcapcheck: //'): time order, checksums, no sentinel"
	else
		bad "$1: pcaps in time order, checksums right, no sentinel" "$tmp/$1.check"
	fi
	# every note is pf's stale quoted UDP checksum after an rdr (rdr-udp probe 2
	# among them), a quoted echo whose id pf translated (icmp-ttl_exceeded's ICMP
	# traceroute), or the frame header-fields sends with `cksum bad`
	if grep -q "^note: .*/rdr-udp/probe02-$1.pcap: frame 2 quote: quoted udp checksum as pf leaves it" \
	    "$tmp/$1.check" && grep -q "^note: .*/header-fields/probe02-$1.pcap: frame 1: bad tcp checksum, as the scenario sent it" \
	    "$tmp/$1.check" && grep -q "^note: .*/icmp-ttl_exceeded/probe06-$1-em1.pcap: frame 2 quote: quoted icmp echo checksum as pf leaves it" \
	    "$tmp/$1.check" && ! grep '^note: ' "$tmp/$1.check" |
	    grep -v -e 'quote: quoted udp checksum as pf leaves it: right for .* before translation$' \
	    -e 'quote: quoted icmp6\{0,1\} echo checksum as pf leaves it: its id translated, its checksum not$' \
	    -e 'as the scenario sent it$' | grep -q .; then
		ok "$1: the stale quoted checksums are pf's (rdr'd UDP, translated echo ids), the bad one sent on purpose"
	else
		bad "$1: the stale quoted checksums are pf's (rdr'd UDP, translated echo ids), the bad one sent on purpose" \
		    "$tmp/$1.check"
	fi
}

# The checker itself: a TCP checksum with one bit flipped, and two records swapped,
# are found.
cp tests/trace/seed1-rdr.pcap "$tmp/bad.pcap"
python3 - "$tmp/bad.pcap" "$tmp/swap.pcap" <<'EOF'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
# the first record: Ethernet, IPv4 (20 bytes), TCP; its checksum 16 bytes into TCP
off = 24 + 16 + 14 + 20 + 16
d[off] ^= 0x01
open(sys.argv[1], "wb").write(d)
d[off] ^= 0x01
recs, off = [], 24
while off + 16 <= len(d):
    n = struct.unpack("<I", d[off + 8:off + 12])[0]
    recs.append(bytes(d[off:off + 16 + n]))
    off += 16 + n
recs[0], recs[1] = recs[1], recs[0]
open(sys.argv[2], "wb").write(bytes(d[:24]) + b"".join(recs))
EOF
if python3 tests/pcapcheck.py "$tmp/bad.pcap" | grep -q 'frame 1: bad tcp checksum' &&
    python3 tests/pcapcheck.py "$tmp/swap.pcap" | grep -q 'frame 2: stamped .* before the frame above it'; then
	ok "pcapcheck finds a bad checksum and records out of time order"
else
	bad "pcapcheck finds a bad checksum and records out of time order"
fi

check_target model
if [ "$(id -u)" = 0 ]; then
	check_target linux
else
	skip=$((skip + 2))
	echo "SKIP  linux: not root (the linux target needs network namespaces)"
fi

# Every file of a run with failures, as a pattern (probe numbers NN, target TARGET),
# is named in results/README.md.
"$bin" run --no-color -t model --results "$tmp/f" "tests/report/odd & names.scn" \
    scenarios/seed >/dev/null 2>&1
(cd "$tmp/f/latest/" && find . -type f) | sed -e 's|^\./[^/]*/||' -e 's|^\./||' \
    -e 's/probe[0-9][0-9]/probeNN/' -e 's/-model/-TARGET/' | sort -u >"$tmp/files"
: >"$tmp/undoc"
while read -r f; do
	grep -qF "\`$f\`" results/README.md || echo "$f" >>"$tmp/undoc"
done <"$tmp/files"
if [ -s "$tmp/files" ] && [ ! -s "$tmp/undoc" ]; then
	ok "results/README.md names every file of a run ($(tr '\n' ' ' <"$tmp/files"))"
else
	bad "results/README.md names every file of a run; missing:" "$tmp/undoc"
fi

echo "pcaps: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
