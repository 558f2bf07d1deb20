#!/usr/bin/env python3
"""pcapcheck.py: check the pcaps of a pfharness run as Wireshark would show them.

usage: pcapcheck.py [--addrs-from DIR] PCAP...

For each file: records in time order (no record stamped before the one above it),
and an answer after what it answers (a SYN|ACK after its SYN, an ICMP error after the
packet it quotes, when that packet is in the file);
every IPv4 header checksum and every TCP, UDP, ICMP and ICMPv6 checksum right, in
the packet and in the packet an ICMP error quotes (when the quote is whole and no
fragment); and no sentinel of the linux target (an ICMP echo with id 0x7066 and a
payload starting "pfharness-sentinel"), which the harness leaves out of the pcaps.

One exception, printed as a note: pf rewrites the address and port an ICMP error
quotes (FreeBSD's pf_change_icmp) and fixes the quoted TCP/UDP checksum for the port
only, so after an rdr the quoted checksum is right for the address before
translation. With --addrs-from DIR, a wrong quoted checksum that is right for one
of the addresses written in DIR's *.scn files in place of the quoted source or
destination is such a case. A quoted ICMP or ICMPv6 echo is the other: pf rewrites
its id (the echo's "port") and, for ICMPv6, the addresses of its pseudo header, but
never its checksum (pf_change_icmp gets no checksum of the quoted echo to fix), so a
wrong checksum in a quoted echo is noted too.

Prints one line per problem, then "pcapcheck: N files, N frames, N problems,
N notes"; exits 1 when a problem was found. Standard library only.
"""
import signal
import ipaddress
import os
import re
import struct
import sys

SENTINEL_ID = 0x7066
SENTINEL_MAGIC = b"pfharness-sentinel"


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def l4_ok(src, dst, proto, seg):
    """1 when the transport checksum of seg verifies with this pseudo header."""
    if len(src) == 4:
        ph = src + dst + struct.pack("!BBH", 0, proto, len(seg))
    else:
        ph = src + dst + struct.pack("!IxxxB", len(seg), proto)
    return csum(ph + seg) == 0xFFFF


class Checker:
    def __init__(self, addrs, sentinels):
        self.addrs = addrs
        self.sentinels = sentinels
        self.problems = []
        self.notes = []
        self.frames = 0
        self.seen = {}      # what a frame of the file answers: key -> frame number
        self.wants = []     # (where, key, frame number, what) to check at the end

    def problem(self, where, what):
        # a frame the scenario sent broken on purpose (`cksum bad`): a note
        for suffix in self.sent_bad:
            if where.endswith(suffix) and what.startswith("bad ") and \
                    what.endswith(" checksum"):
                self.notes.append("%s: %s, as the scenario sent it" % (where, what))
                return
        self.problems.append("%s: %s" % (where, what))

    def quoted_l4(self, where, src, dst, proto, seg, name):
        """A quoted TCP/UDP segment whose checksum does not verify."""
        for a in self.addrs:
            if len(a) != len(src):
                continue
            if l4_ok(a, dst, proto, seg) or l4_ok(src, a, proto, seg):
                self.notes.append("%s: quoted %s checksum as pf leaves it: right for %s "
                                  "before translation" % (where, name,
                                                          ipaddress.ip_address(a)))
                return
        self.problem(where, "bad quoted %s checksum" % name)

    def transport(self, where, src, dst, proto, seg, quoted):
        name = {6: "tcp", 17: "udp", 1: "icmp", 58: "icmp6"}.get(proto)
        if name is None:
            return
        if proto == 17 and len(src) == 4 and len(seg) >= 8 and seg[6:8] == b"\0\0":
            return  # IPv4 UDP without a checksum
        if proto == 1:
            ok = csum(seg) == 0xFFFF
        else:
            ok = l4_ok(src, dst, proto, seg)
        if not ok:
            if quoted and proto in (6, 17):
                self.quoted_l4(where, src, dst, proto, seg, name)
            elif quoted and len(seg) >= 8 and \
                    ((proto == 1 and seg[0] in (0, 8)) or
                     (proto == 58 and seg[0] in (128, 129))):
                self.notes.append("%s: quoted %s echo checksum as pf leaves it: its id "
                                  "translated, its checksum not" % (where, name))
            else:
                self.problem(where, "bad %s%s checksum" % ("quoted " if quoted else "",
                                                          name))
            return
        if quoted:
            return
        if proto == 6 and len(seg) >= 14:
            sp, dp, seq, ack = struct.unpack("!HHII", seg[:12])
            flags = seg[13]
            if flags & 0x02 and not flags & 0x10:      # a SYN: its SYN|ACK acks seq+1
                self.seen[("syn", dst, src, dp, sp, (seq + 1) & 0xFFFFFFFF)] = self.n
            elif flags & 0x12 == 0x12:
                self.wants.append((self.where, ("syn", src, dst, sp, dp, ack), self.n,
                                   "SYN|ACK"))
        if proto in (1, 58) and len(seg) >= 8:
            t = seg[0]
            if (proto == 1 and t in (0, 8)) or (proto == 58 and t in (128, 129)):
                ident = struct.unpack("!H", seg[4:6])[0]
                if self.sentinels and ident == SENTINEL_ID and \
                        seg[8:8 + len(SENTINEL_MAGIC)] == SENTINEL_MAGIC:
                    self.problem(where, "a sentinel echo in the pcap")
            errors = (3, 4, 5, 11, 12) if proto == 1 else (1, 2, 3, 4)
            if t in errors:
                self.ip(where + " quote", seg[8:], quoted=True)

    def ip(self, where, pkt, quoted=False):
        if len(pkt) < 1:
            return
        v = pkt[0] >> 4
        if v == 4 and len(pkt) >= 20:
            hl = (pkt[0] & 15) * 4
            if hl < 20 or len(pkt) < hl:
                return
            if csum(pkt[:hl]) != 0xFFFF:
                self.problem(where, "bad %sip checksum" % ("quoted " if quoted else ""))
            key = ("ip", pkt[12:16], pkt[16:20], pkt[4:6], pkt[9])
            if quoted:      # the packet an ICMP error quotes, as it went out
                self.wants.append((self.where, key, self.n, "ICMP error"))
            else:
                self.seen.setdefault(key, self.n)
            total = struct.unpack("!H", pkt[2:4])[0]
            frag = struct.unpack("!H", pkt[6:8])[0] & 0x3FFF
            if frag or total > len(pkt) or total < hl:
                return  # a fragment, or a quote cut short: nothing to verify
            self.transport(where, pkt[12:16], pkt[16:20], pkt[9], pkt[hl:total], quoted)
        elif v == 6 and len(pkt) >= 40:
            plen = struct.unpack("!H", pkt[4:6])[0]
            if 40 + plen > len(pkt):
                return
            nxt, off = pkt[6], 40
            while nxt in (0, 43, 60):  # hop-by-hop, routing, destination options
                if off + 8 > 40 + plen:
                    return
                nxt, off = pkt[off], off + (pkt[off + 1] + 1) * 8
            if nxt == 44:
                return  # a fragment
            self.transport(where, pkt[8:24], pkt[24:40], nxt, pkt[off:40 + plen], quoted)

    def file(self, path):
        with open(path, "rb") as f:
            data = f.read()
        if len(data) < 24:
            self.problem(path, "not a pcap file")
            return
        magic = data[:4]
        if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
            e = "<"
        elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
            e = ">"
        else:
            self.problem(path, "not a pcap file")
            return
        nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
        link = struct.unpack(e + "I", data[20:24])[0]
        off, n, last = 24, 0, None
        self.seen, self.wants = {}, []
        while off + 16 <= len(data):
            sec, frac, incl, _ = struct.unpack(e + "IIII", data[off:off + 16])
            frame = data[off + 16:off + 16 + incl]
            off += 16 + incl
            n += 1
            self.frames += 1
            where = "%s: frame %d" % (path, n)
            t = sec * 10**9 + (frac if nano else frac * 1000)
            if last is not None and t < last:
                self.problem(where, "stamped %.6f s before the frame above it" %
                             ((last - t) / 1e9))
            last = t
            if link != 1 or len(frame) < 14:
                continue
            etype = struct.unpack("!H", frame[12:14])[0]
            self.n, self.where = n, where
            if etype in (0x0800, 0x86DD):
                self.ip(where, frame[14:])
        for where, key, at, what in self.wants:
            if key in self.seen and self.seen[key] > at:
                self.problem(where, "%s before what it answers (frame %d)" %
                             (what, self.seen[key]))


def scenario_addrs(top):
    """Every IPv4 and IPv6 address written in the *.scn files under top, as bytes."""
    found = set()
    for d, _, files in os.walk(top):
        for name in files:
            if not name.endswith(".scn"):
                continue
            with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                text = f.read()
            for w in re.findall(r"[0-9A-Fa-f:.]+", text):
                w = w.strip(".:")
                try:
                    found.add(ipaddress.ip_address(w).packed)
                except ValueError:
                    pass
    return sorted(found)


def main(argv):
    addrs, sentinels, files, sent_bad = [], True, [], []
    i = 0
    while i < len(argv):
        if argv[i] == "--addrs-from" and i + 1 < len(argv):
            addrs = scenario_addrs(argv[i + 1])
            i += 2
        elif argv[i] == "--sent-bad" and i + 1 < len(argv):
            sent_bad.append(argv[i + 1])	# NAME/probeNN-TARGET.pcap: frame N
            i += 2
        else:
            files.append(argv[i])
            i += 1
    c = Checker(addrs, sentinels)
    c.sent_bad = sent_bad
    for p in files:
        c.file(p)
    for p in c.problems:
        print("FAIL: " + p)
    for p in c.notes:
        print("note: " + p)
    print("pcapcheck: %d files, %d frames, %d problems, %d notes" %
          (len(files), c.frames, len(c.problems), len(c.notes)))
    return 1 if c.problems else 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)	# `| grep -q` may stop reading
    sys.exit(main(sys.argv[1:]))
