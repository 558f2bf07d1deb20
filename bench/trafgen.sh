#!/bin/sh
# trafgen.sh: the generator's ceiling beside trafgen's (netsniff-ng) on the same veth in
# the same run: the same 60-byte UDP frames, 256 source ports, one CPU each.
# usage: sh bench/trafgen.sh [SECONDS] [ROUNDS]   (root; PFHARNESS=path to the binary)
secs=${1:-2}
rounds=${2:-2}
pfh=${PFHARNESS:-./pfharness}
ns=pfhbench$$t
cfg=$(mktemp "${TMPDIR:-/tmp}/pfh-trafgen.XXXXXX")

if [ "$(id -u)" != 0 ]; then
	echo "trafgen.sh: SKIPPED: not root (needs a network namespace)"
	exit 0
fi
command -v trafgen >/dev/null 2>&1 || { echo "trafgen.sh: SKIPPED: no trafgen (apt-get install netsniff-ng)"; exit 0; }

cleanup() {
	ip netns del "$ns" 2>/dev/null
	rm -f "$cfg"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns" &&
ip -n "$ns" link set lo up &&
ip -n "$ns" link add gen0 type veth peer name gen1 &&
ip -n "$ns" link set gen0 up &&
ip -n "$ns" link set gen1 up || exit 2

# The frame bench gen sends: 02:70:66:62:02:01 > 02:70:66:62:00:01,
# udp 198.18.0.1:1024-1279 > 10.99.0.1:9, 18 zero bytes.
cat >"$cfg" <<'CFG'
{ eth(da=02:70:66:62:00:01, sa=02:70:66:62:02:01, type=0x0800),
  ipv4(saddr=198.18.0.1, daddr=10.99.0.1, ttl=64, proto=17),
  udp(sp=dinc(1024, 1279), dp=9), fill(0x00, 18) }
CFG

i=1
while [ "$i" -le "$rounds" ]; do
	ours=$("$pfh" bench gen --netns "$ns" --if gen0 --seconds "$secs" | awk '{ print $(NF-1) }')
	# trafgen prints "N packets outgoing" and "S sec, U usec on CPU..." when stopped.
	theirs=$(ip netns exec "$ns" timeout -s INT "$secs" trafgen --dev gen0 \
	    --conf "$cfg" --cpus 1 2>&1 | tr -d '\r' | awk '
	    /packets outgoing/ { n = $1 }
	    / sec, .* usec on CPU/ { t = $1 + $3 / 1e6 }
	    END { if (t > 0) printf "%.0f\n", n / t; else print "?" }')
	printf 'round %d: pfharness gen %s pps, trafgen %s pps\n' "$i" "$ours" "$theirs"
	i=$((i + 1))
done
