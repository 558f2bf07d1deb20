#!/usr/bin/env python3
"""fuzz-seeds.py OUT PCAP...: seeds for the pftest fuzz target from captured frames:
each Ethernet frame's IP packet, one file per frame, its first byte saying in (frames
from the wire's side) or out, on em0; a file per pcap also holds all of its frames in
order, cut by the target's 0xff 0x00 0xff 0x00 marker, so that states made by one
packet meet the next ones."""
import os
import struct
import sys

CUT = b"\xff\x00\xff\x00"


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(end + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1 and len(frame) > 14 and frame[12:14] in (b"\x08\x00", b"\x86\xdd"):
            yield frame[0:6], frame[14:]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    for path in sys.argv[2:]:
        seq = []
        first_dst = None
        for dst, pkt in frames(path):
            if first_dst is None:
                first_dst = dst
            # the probe's first frame goes from the wire to the host: frames to the
            # same MAC are in, the others out
            head = bytes([0 if dst == first_dst else 1])
            seq.append(head + pkt)
            with open(os.path.join(out, "f%05d" % n), "wb") as f:
                f.write(head + pkt)
            n += 1
        if len(seq) > 1:
            with open(os.path.join(out, "s%05d" % n), "wb") as f:
                f.write(CUT.join(seq))
            n += 1
    print(n)


if __name__ == "__main__":
    main()
