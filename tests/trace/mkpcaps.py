#!/usr/bin/env python3
"""mkpcaps.py: the capture files of tests/trace/ in the link types tcpdump writes on
the hosts users have: raw IP, Linux cooked (SLL, with the direction), BSD loopback and
pflog (FreeBSD's header: interface and direction). The packets are those of
seed1-rdr.pcap's first frame, a SYN to the forwarded port 81, and a SYN|ACK back
(seed1-rdr.pcap: the frames of a model run of the first seed's probe 5).
Run once; the files are committed. usage: python3 tests/trace/mkpcaps.py"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def tcp4(src, dst, sport, dport, flags, seq, ack):
    th = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    ph = src + dst + struct.pack("!BBH", 0, 6, len(th))
    th = th[:16] + struct.pack("!H", csum(ph + th)) + th[18:]
    ih = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(th), 1, 0, 64, 6, 0, src, dst)
    ih = ih[:10] + struct.pack("!H", csum(ih)) + ih[12:]
    return ih + th


def a(s):
    return bytes(int(x) for x in s.split("."))


SYN = tcp4(a("198.51.100.7"), a("203.0.113.1"), 40005, 81, 0x02, 1000, 0)
SA = tcp4(a("203.0.113.1"), a("198.51.100.7"), 81, 40005, 0x12, 5000, 1001)


def write(name, linktype, frames):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1000 + i, 0, len(fr), len(fr)) + fr)


def sll(pkttype, pkt):
    return struct.pack("!HHH8sH", pkttype, 1, 6, b"\2\0\0\0\0\1\0\0", 0x0800) + pkt


def pflog(ifname, direction, pkt):
    hdr = struct.pack("!BBBB16s16sIIIiIiB3x", 61, 2, 0, 0, ifname.encode(), b"", 1,
                      0xFFFFFFFF, 0, 0, 0, 0, direction)
    return hdr + pkt


write("raw.pcap", 101, [SYN, SA])				# LINKTYPE_RAW
# the third frame says `out` where the addresses alone would say `in`
write("sll.pcap", 113, [sll(0, SYN), sll(4, SA), sll(4, SYN)])
write("null.pcap", 0, [struct.pack("<I", 2) + SYN, struct.pack("<I", 2) + SA])
# the third record names another interface than --pcap-if
write("pflog.pcap", 117, [pflog("em0", 1, SYN), pflog("em0", 2, SA), pflog("lo1", 1, SYN)])
