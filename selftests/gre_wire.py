#!/usr/bin/python3 -S
# SPDX-License-Identifier: GPL-2.0
"""Summarise the GRE packets of a capture, one line per direction.

  gre_wire.py [--after T] [--hex] FILE.pcap

For each (outer source, destination) in order of appearance:

  SRC>DST vid=V tos=0xTT ttl=T df=D C=c K=k key=KEY S=s csum_ok=0|1 seq_up=0|1

V is the 802.1Q VID ("-" if untagged), TT the outer TOS byte (DSCP and
ECN), T the outer TTL, D the outer DF bit, c/k/s the GRE flags, KEY the key ("-" without one), csum_ok whether
every packet that carries a checksum has a valid one (1 when none carries
one), seq_up whether the sequence numbers of every packet strictly
increase (1 when there are none).  Values that vary within a direction
print as "mixed".

With --hex, each GRE packet instead, a line "SRC>DST HEX": its IPv4
header and what follows, in hexadecimal.

With --after T (seconds since the epoch), the capture is still being
written: first wait until it holds a packet captured after T, or has
not grown for half a second (30 s at most).  Packets reach the capture
in order, so one captured after T means every earlier one is there too.

The capture (classic pcap, Ethernet, as tcpdump -w writes it) is decoded
here byte by byte rather than with scapy: the packets are checked as they
were on the wire, and the script starts in a fraction of the time.
"""
import socket
import struct
import sys
import time

from gre_send import checksum

ETH_P_8021Q = 0x8100
ETH_P_IP = 0x0800
IPPROTO_GRE = 47
GRE_C, GRE_K, GRE_S = 0x8000, 0x2000, 0x1000


def header(path, data):
    """The byte order and timestamp unit of a pcap file's records
    (microsecond or nanosecond, either byte order, link type Ethernet)."""
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    else:
        sys.exit("%s: not a pcap file" % path)
    frac = 1e-9 if magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d") else 1e-6
    linktype = struct.unpack(order + "I", data[20:24])[0]
    if linktype != 1:
        sys.exit("%s: link type %d, not Ethernet" % (path, linktype))
    return order, frac


def records(data, order, frac, off=24):
    """(timestamp, frame, end) of each whole record from off on; a record
    still being written at the end is left out."""
    while off + 16 <= len(data):
        sec, sub, incl = struct.unpack(order + "III", data[off:off + 12])
        if off + 16 + incl > len(data):
            break
        yield sec + sub * frac, data[off + 16:off + 16 + incl], off + 16 + incl
        off += 16 + incl


def packets(path):
    """(timestamp, frame) of each whole record of a pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    order, frac = header(path, data)
    for ts, frame, _ in records(data, order, frac):
        yield ts, frame


def settle(path, after):
    """Wait until the capture at path holds a packet captured after the
    time after, or has stopped growing for half a second.  Each look reads
    only what was written since the one before."""
    size, still, deadline = -1, 0, time.monotonic() + 30
    fmt, off, data = None, 24, b""
    while time.monotonic() < deadline:
        with open(path, "rb") as f:
            f.seek(len(data))
            data += f.read()
        # No header yet: tcpdump has written nothing.
        if fmt is None and len(data) >= 24:
            fmt = header(path, data)
        if fmt:
            for ts, _, off in records(data, *fmt, off):
                if ts > after:
                    return
        still = still + 1 if len(data) == size else 0
        if still >= 5:
            return
        size = len(data)
        time.sleep(0.1)


def decode(frame):
    """(vid, ip header fields, GRE bytes) of a GRE frame, else None."""
    vid = "-"
    etype = struct.unpack("!H", frame[12:14])[0]
    off = 14
    if etype == ETH_P_8021Q:
        vid = struct.unpack("!H", frame[14:16])[0] & 0xfff
        etype = struct.unpack("!H", frame[16:18])[0]
        off = 18
    if etype != ETH_P_IP:
        return None
    ip = frame[off:]
    ihl = (ip[0] & 0xf) * 4
    tot_len = struct.unpack("!H", ip[2:4])[0]
    if ip[9] != IPPROTO_GRE:
        return None
    return vid, {
        "bytes": ip[:tot_len],
        "src": socket.inet_ntoa(ip[12:16]),
        "dst": socket.inet_ntoa(ip[16:20]),
        "tos": "0x%02x" % ip[1],
        "ttl": ip[8],
        "df": int(bool(struct.unpack("!H", ip[6:8])[0] & 0x4000)),
    }, ip[ihl:tot_len]


def one(values):
    values = set(values)
    return str(values.pop()) if len(values) == 1 else "mixed"


def main(path):
    dirs = {}
    for _, frame in packets(path):
        got = decode(frame)
        if not got:
            continue
        vid, ip, gre = got
        flags = struct.unpack("!H", gre[:2])[0]
        d = dirs.setdefault("%s>%s" % (ip["src"], ip["dst"]),
                            {"vid": [], "tos": [], "ttl": [], "df": [],
                             "C": [], "K": [], "S": [], "key": [],
                             "csum_ok": 1, "seqs": []})
        d["vid"].append(vid)
        d["tos"].append(ip["tos"])
        d["ttl"].append(ip["ttl"])
        d["df"].append(ip["df"])
        d["C"].append(int(bool(flags & GRE_C)))
        d["K"].append(int(bool(flags & GRE_K)))
        d["S"].append(int(bool(flags & GRE_S)))
        # Checksum (+ reserved), key and sequence number follow the base
        # header, each present with its flag, in that order.
        off = 4
        if flags & GRE_C:
            if checksum(gre) != 0:
                d["csum_ok"] = 0
            off += 4
        key = "-"
        if flags & GRE_K:
            key = struct.unpack("!I", gre[off:off + 4])[0]
            off += 4
        d["key"].append(key)
        if flags & GRE_S:
            d["seqs"].append(struct.unpack("!I", gre[off:off + 4])[0])
    for name, d in dirs.items():
        seqs = d["seqs"]
        up = int(all(b > a for a, b in zip(seqs, seqs[1:])))
        print("%s vid=%s tos=%s ttl=%s df=%s C=%s K=%s key=%s S=%s "
              "csum_ok=%d seq_up=%d" %
              (name, one(d["vid"]), one(d["tos"]), one(d["ttl"]),
               one(d["df"]), one(d["C"]),
               one(d["K"]), one(d["key"]), one(d["S"]), d["csum_ok"], up))


def hexdump(path):
    for _, frame in packets(path):
        got = decode(frame)
        if got:
            ip = got[1]
            print("%s>%s %s" % (ip["src"], ip["dst"], ip["bytes"].hex()))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--after"]:
        settle(args[-1], float(args[1]))
        args = args[2:]
    if args[:1] == ["--hex"]:
        hexdump(args[-1])
    else:
        main(args[-1])
