#!/usr/bin/env python3
# scapy_sr1.py: the probes of bench/runner.sh sent and answered with scapy's sr1 (its
# layer-2 form srp1, as the wire end has no address), the way FreeBSD's pf tests do it.
#
# Run inside the wire namespace of a held `pfharness run --hold` world:
#   ip netns exec "$PFH_WIRE_NS" python3 bench/scapy_sr1.py [-n N] [--pos-port P]
#       [--neg-port P] [--sport S]
# It reads PFH_WIRE_IF, PFH_WIRE_MAC, PFH_HOST_MAC, PFH_PUBLIC and PFH_CLIENT from the
# environment pfharness gives the command. It prints one line per measurement:
#   scapy positive n=N median_ms=X p90_ms=X lost=K
#   scapy timeout T_ms answered=K/N
#   scapy reliable_timeout_ms=T
#   scapy negative timeout_ms=T n=N median_ms=X p90_ms=X answered=K
# The positive probe is a SYN to PUBLIC:pos-port (an rdr to a listening jail): its time
# is srp1's call until the SYN-ACK is matched. A negative probe (a SYN to a blocked port)
# can only end by sr1's timeout; the timeout that is reliable is the smallest one with
# which every positive probe of two series (--tries, then -n more) is still answered (a shorter one would call a
# slow answer "no reply"), so that is what a negative probe costs with scapy.
import argparse
import os
import sys
import time

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, TCP, conf, srp1  # noqa: E402

TIMEOUTS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)


def pct(v, p):
    v = sorted(v)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


class Prober:
    def __init__(self, env, sport):
        self.iface = env["PFH_WIRE_IF"]
        self.eth = Ether(src=env["PFH_WIRE_MAC"], dst=env["PFH_HOST_MAC"])
        self.src = env["PFH_CLIENT"]
        self.dst = env["PFH_PUBLIC"]
        self.sport = sport

    def syn(self, dport, timeout):
        """One SYN; returns (ms, answered with SYN-ACK)."""
        self.sport += 1
        pkt = self.eth / IP(src=self.src, dst=self.dst) / \
            TCP(sport=self.sport, dport=dport, flags="S", seq=1000)
        t0 = time.perf_counter()
        ans = srp1(pkt, iface=self.iface, timeout=timeout, verbose=0)
        ms = (time.perf_counter() - t0) * 1000.0
        ok = ans is not None and TCP in ans and (ans[TCP].flags & 0x12) == 0x12 \
            and ans[TCP].ack == 1001
        return ms, ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=50, help="repetitions (default 50)")
    ap.add_argument("--tries", type=int, default=20,
                    help="positive probes per timeout tried (default 20)")
    ap.add_argument("--pos-port", type=int, default=3306)
    ap.add_argument("--neg-port", type=int, default=111)
    ap.add_argument("--sport", type=int, default=20000)
    a = ap.parse_args()
    missing = [k for k in ("PFH_WIRE_IF", "PFH_WIRE_MAC", "PFH_HOST_MAC",
                           "PFH_PUBLIC", "PFH_CLIENT") if not os.environ.get(k)]
    if missing:
        sys.exit("scapy_sr1.py: not under pfharness run --hold: missing %s"
                 % " ".join(missing))
    conf.verb = 0
    p = Prober(os.environ, a.sport)
    p.syn(a.pos_port, 1.0)          # warm up: scapy's first send opens its sockets

    pos, lost = [], 0
    for _ in range(a.n):
        ms, ok = p.syn(a.pos_port, 1.0)
        if ok:
            pos.append(ms)
        else:
            lost += 1
    print("scapy positive n=%d median_ms=%.3f p90_ms=%.3f lost=%d"
          % (len(pos), pct(pos, 0.5), pct(pos, 0.9), lost))

    reliable = None
    for to in TIMEOUTS:
        # A first series, then a confirmation series of n more: all must be answered.
        tries = a.tries
        got = sum(1 for _ in range(tries) if p.syn(a.pos_port, to)[1])
        if got == tries:
            tries += a.n
            got += sum(1 for _ in range(a.n) if p.syn(a.pos_port, to)[1])
        print("scapy timeout %g_ms answered=%d/%d" % (to * 1000, got, tries))
        if got == tries:
            reliable = to
            break
    if reliable is None:
        print("scapy reliable_timeout_ms=none")
        return 1
    print("scapy reliable_timeout_ms=%g" % (reliable * 1000))

    neg, answered = [], 0
    for _ in range(a.n):
        ms, ok = p.syn(a.neg_port, reliable)
        neg.append(ms)
        answered += ok
    print("scapy negative timeout_ms=%g n=%d median_ms=%.3f p90_ms=%.3f answered=%d"
          % (reliable * 1000, len(neg), pct(neg, 0.5), pct(neg, 0.9), answered))
    return 0


if __name__ == "__main__":
    sys.exit(main())
