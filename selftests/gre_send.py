#!/usr/bin/python3 -S
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made GRE packets, for the datapath tests.

  gre_send.py [--ether DEV MAC] SRC DST CASE...
  gre_send.py --probe NETNS DEV [--barrier ADDR] [--ether DEV MAC] SRC DST < CASES

Each CASE sends a packet from SRC to DST (IPv4, GRE) whose inner packet
is an ICMP echo request from 10.2.0.1 to 10.1.0.1.  The GRE header is a
valid one for a tunnel with key 42, checksums and sequence numbers,
changed as the CASE says.  SEQ is the sequence number (0 if absent).

The GRE header:
  ok:SEQ          valid
  hdr-FLAGS:SEQ   valid, with only the fields FLAGS names: c (checksum),
                  k (key 42), s (sequence number); hdr-: none
  noseq, nocsum:SEQ, nokey:SEQ   without that field
  key43:SEQ       key 43
  badcsum:SEQ     a wrong checksum (badcsum-FLAGS:SEQ: with the fields of
                  hdr-FLAGS)
  routing:SEQ     the routing bit set
  version-V:SEQ   GRE version V (version1:SEQ: 1)
  reserved-HEX:SEQ  the flag bits HEX (hexadecimal) set as well
  proto:SEQ       inner protocol 0x1234
  keepalive:SEQ   protocol 0
  ciscoka:SEQ     a keepalive in Cisco's format: the inner packet is IPv4
                  from DST back to SRC, GRE (no flags) of protocol 0, TTL
                  255
  gretrunc-N      the header (C, K, S) cut to N bytes, nothing after it
  short           2 bytes of GRE
The inner packet:
  in4trunc:SEQ    IPv4 cut to 10 bytes
  in4csum:SEQ     IPv4 with a wrong header checksum
  in4len:SEQ      IPv4 whose total length says more than there is
  in6trunc:SEQ    IPv6 (protocol 0x86dd) cut to 20 bytes
  in6len:SEQ      IPv6 whose payload length says more than there is
  ttl0:SEQ, ttl1:SEQ   TTL 0 or 1
  toself:SEQ      to 192.0.2.1 (the test router) instead
  bcast:SEQ, mcast:SEQ   to 255.255.255.255 or 224.0.0.1 instead
  nested:SEQ      GRE from SRC to DST (sequence number SEQ+1) that carries
                  the echo request: the same tunnel nested
  ce:SEQ          outer ECN CE, inner ECT(0)
  cenotect:SEQ    outer ECN CE, inner not-ECT
The outer IPv4 packet (all but options need --ether: a raw IP socket
mends them):
  options:SEQ     IP options (three NOPs and an end of list)
  iptrunc-N:SEQ   cut to N bytes, the total length unchanged
  iplen-N:SEQ     total length N
  ipcsum:SEQ      a wrong header checksum
  ihl4:SEQ        a header length of 4 words
Fragments (2000 bytes of inner payload: a 2044-byte packet in three):
  frag:SEQ        in order
  fragrev:SEQ     in reverse order
  fragover:SEQ    each overlapping the one before by 8 bytes
  fragfirst:SEQ, fraglast:SEQ   the first or the last alone
  fragbig:SEQ     all the fragments of a 65936-byte packet
Not GRE:
  fragneeded:MTU:REMOTE
                  an ICMP "fragmentation needed" (next-hop MTU MTU)
                  quoting a 1500-byte GRE packet from DST to REMOTE (key 9)

With --probe, the cases and what each must change come as lines
"CASE: DELTA" (or "CASE:" for no change) on stdin, DELTA being the
counters of ngre in namespace NETNS, of its device DEV there (dev_rx,
dev_tx, dev_rx_err, dev_tx_drop for the device's) and the stack's header
drops there (STACK_DROPS, by their nstat names), "name=+N" in name
order.  After each case an ICMP echo request to ADDR (--barrier; default
DST) follows the same way; once the echo has arrived (NETNS's InEchos
grew), the case's packets have been through NETNS's hooks, and the
counters are read until they show DELTA (at most 10 s: what comes after,
such as the reply to a delivered echo request, may lag); a second echo
follows, and they are read once more after it.  A line "CASE: DELTA"
with the counters that did change is printed for each case, so that the
output equals the input when all went as expected.  The sender is
pinned to one CPU so that its packets arrive in order: the barrier relies
on its packets and theirs sharing one CPU's backlog on the way (veth
without RPS, GRO or XDP).

The packets are built here byte by byte and sent on a raw IP socket
(IP_HDRINCL, so the header goes out as built, spoofed source included;
the kernel sets the total length and header checksum), or with --ether
as Ethernet frames to MAC on DEV, exactly as built (the barrier echo is
still routed).  A Python that imports scapy takes seconds to start under
TCG.  The helpers (checksum, ipv4, icmp_echo) serve the other tests'
generators.
"""
import argparse
import itertools
import os
import socket
import struct
import sys
import time

import ngre_nl

IPPROTO_GRE = 47
GRE_C, GRE_R, GRE_K, GRE_S = 0x8000, 0x4000, 0x2000, 0x1000
IP_DF, IP_MF = 0x4000, 0x2000


def checksum(b):
    """The Internet checksum of b."""
    if len(b) % 2:
        b += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, payload, tos=0, ttl=64, ident=1, frag=0,
         length=None, options=b""):
    """An IPv4 header and payload; frag is the flags and offset field,
    length the total length written (default: the real one), options a
    multiple of 4 bytes."""
    hlen = 20 + len(options)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | hlen // 4, tos,
                      length or hlen + len(payload), ident, frag, ttl, proto,
                      0, socket.inet_aton(src), socket.inet_aton(dst)) + options
    return hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:] + payload


def icmp(typ, code, rest, payload):
    """An ICMP message: type, code, the 4-byte rest of the header."""
    msg = struct.pack("!BBH", typ, code, 0) + rest + payload
    return msg[:2] + struct.pack("!H", checksum(msg)) + msg[4:]


def icmp_echo(ident=4242, seq=0, payload=b""):
    return icmp(8, 0, struct.pack("!HH", ident, seq), payload)


def gre(payload, proto=0x0800, csum=True, key=None, seq=None, flags=0):
    """A GRE header before payload; flags are added to those the fields
    imply (the routing bit, a version)."""
    flags |= (GRE_C if csum else 0) | (GRE_K if key is not None else 0) | \
        (GRE_S if seq is not None else 0)
    opt = b"\x00\x00\x00\x00" if csum else b""
    if key is not None:
        opt += struct.pack("!I", key)
    if seq is not None:
        opt += struct.pack("!I", seq)
    hdr = struct.pack("!HH", flags, proto) + opt
    if not csum:
        return hdr + payload
    c = checksum(hdr + payload)
    return hdr[:4] + struct.pack("!H", c) + hdr[6:] + payload


def inner(size=56, tos=0, dst="10.1.0.1", ttl=64):
    return ipv4("10.2.0.1", dst, socket.IPPROTO_ICMP,
                icmp_echo(payload=b"n" * size), tos=tos, ttl=ttl)


# IPv4 identifications for fragmented packets: each its own.
IDENTS = itertools.count(os.getpid() & 0x7fff)


def fragments(src, dst, proto, payload, size, order=None, overlap=0):
    """payload in IPv4 fragments of at most size bytes (a multiple of 8)
    of payload each; order: which of them to send, in what order (indexes,
    default all in order); overlap: bytes each fragment after the first
    starts before the end of the one before it (a multiple of 8)."""
    ident = next(IDENTS)
    out = []
    for off in range(0, len(payload), size):
        start = max(off - overlap, 0)
        assert start // 8 <= 0x1fff, "fragment offset past 65528"
        more = IP_MF if off + size < len(payload) else 0
        out.append(ipv4(src, dst, proto, payload[start:off + size],
                        ident=ident, frag=more | start // 8))
    return [out[i] for i in order] if order is not None else out


# Inner packets by case name; the default is inner().
INNER = {
    "frag": lambda: inner(2000),
    "in4trunc": lambda: inner()[:10],
    "in4csum": lambda: inner()[:10] + b"\x12\x34" + inner()[12:],
    "in4len": lambda: ipv4("10.2.0.1", "10.1.0.1", socket.IPPROTO_ICMP,
                           icmp_echo(), length=200),
    "in6trunc": lambda: struct.pack("!IHBB", 6 << 28, 0, 59, 64) + b"\0" * 12,
    "in6len": lambda: struct.pack("!IHBB", 6 << 28, 100, 59, 64) +
    socket.inet_pton(socket.AF_INET6, "fd02::1") +
    socket.inet_pton(socket.AF_INET6, "fd01::1") + b"\0" * 8,
    "ttl0": lambda: inner(ttl=0),
    "ttl1": lambda: inner(ttl=1),
    "toself": lambda: inner(dst="192.0.2.1"),
    "bcast": lambda: inner(dst="255.255.255.255"),
    "mcast": lambda: inner(dst="224.0.0.1"),
    "ce": lambda: inner(tos=2),
    "cenotect": lambda: inner(tos=0),
}
INNER.update((n, INNER["frag"]) for n in
             ("fragrev", "fragover", "fragfirst", "fraglast"))
INNER["fragbig"] = lambda: b"\0" * 65900
# How each fragment case sends its GRE packet's fragments.
FRAGS = {"frag": {}, "fragbig": {}, "fragrev": dict(order=[2, 1, 0]),
         "fragover": dict(overlap=8), "fragfirst": dict(order=[0]),
         "fraglast": dict(order=[2])}


def gre_fields(name, param, seq):
    """gre()'s arguments for case name, from the valid ones of a tunnel
    with key 42, checksums and sequence numbers."""
    g = dict(csum=True, key=42, seq=seq)
    if name in ("hdr", "badcsum") and param is not None:
        g = dict(csum="c" in param, key=42 if "k" in param else None,
                 seq=seq if "s" in param else None)
    elif name == "noseq":
        g["seq"] = None
    elif name == "nocsum":
        g["csum"] = False
    elif name == "routing":
        g["flags"] = GRE_R
    elif name == "version":
        g["flags"] = int(param)
    elif name == "reserved":
        g["flags"] = int(param, 16)
    elif name == "proto":
        g["proto"] = 0x1234
    elif name == "keepalive":
        g["proto"] = 0
    elif name == "nokey":
        g["key"] = None
    elif name == "key43":
        g["key"] = 43
    elif name in ("in6trunc", "in6len"):
        g["proto"] = 0x86dd
    return g


def outer(src, dst, name, param, body, tos):
    """The outer IPv4 packets of case name around GRE body."""
    if name in FRAGS:
        return fragments(src, dst, IPPROTO_GRE, body, 1000, **FRAGS[name])
    opts = b"\x01\x01\x01\x00" if name == "options" else b""
    pkt = ipv4(src, dst, IPPROTO_GRE, body, tos=tos, options=opts,
               length=int(param) if name == "iplen" else None)
    if name == "iptrunc":
        return [pkt[:int(param)]]
    if name == "ipcsum":
        return [pkt[:10] + bytes([pkt[10] ^ 0xff]) + pkt[11:]]
    if name == "ihl4":
        hdr = bytes([0x44]) + pkt[1:10] + b"\0\0" + pkt[12:20]
        return [hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:] +
                pkt[20:]]
    return [pkt]


KNOWN = {"ok", "badcsum", "options", "gretrunc", "nested", "iptrunc",
         "iplen", "ipcsum", "ihl4", "fragbig", "hdr", "noseq", "nocsum",
         "routing", "version", "reserved", "proto", "keepalive", "nokey",
         "key43", "ciscoka"} | set(INNER)


def build(src, dst, case):
    """The packets of case, as a list of IPv4 packets."""
    name, _, arg = case.partition(":")
    name, sep, param = name.partition("-")
    param = param if sep else None
    if name == "version1":
        name, param = "version", "1"
    if name == "short":
        return [ipv4(src, dst, IPPROTO_GRE, b"\x00\x00")]
    if name == "fragneeded":
        mtu, _, remote = arg.partition(":")
        quoted = ipv4(dst, remote, IPPROTO_GRE,
                      gre(b"", csum=False, key=9), frag=IP_DF, length=1500)
        return [ipv4(src, dst, socket.IPPROTO_ICMP,
                     icmp(3, 4, struct.pack("!HH", 0, int(mtu)), quoted))]
    if name not in KNOWN:
        sys.exit("unknown case " + case)
    g = gre_fields(name, param, int(arg) if arg else 0)
    payload = INNER.get(name, inner)()
    if name == "ciscoka":
        payload = ipv4(dst, src, IPPROTO_GRE, gre(b"", proto=0, csum=False),
                       ttl=255, ident=0)
    if name == "nested":
        payload = ipv4(src, dst, IPPROTO_GRE,
                       gre(payload, key=42, seq=g["seq"] + 1))
    body = gre(payload, **g)
    if name == "badcsum":
        body = body[:4] + b"\x12\x34" + body[6:]
    if name == "gretrunc":
        body = gre(b"", **g)[:int(param)]
    return outer(src, dst, name, param, body, 3 if name[:2] == "ce" else 0)


class Sender:
    """Sends IPv4 packets on a raw IP socket, or as Ethernet frames to mac
    on dev when given; both are opened in the current namespace."""

    def __init__(self, dev=None, mac=None):
        self.ip = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                                socket.IPPROTO_RAW)
        self.ip.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
        self.eth = None
        if dev:
            self.eth = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            self.eth.bind((dev, 0))
            # The device's own address from the socket, not from /sys:
            # the tests run this with setns() alone (nsrun), which leaves
            # /sys showing the namespace the test started in.
            own = self.eth.getsockname()[4]
            self.l2 = bytes.fromhex(mac.replace(":", "")) + own + b"\x08\x00"

    def send(self, pkts, routed=False):
        for p in pkts:
            if self.eth and not routed:
                self.eth.send(self.l2 + p)
            else:
                self.ip.sendto(p, (socket.inet_ntoa(p[16:20]), 0))


def nstat(files=("snmp",)):
    """The counters of /proc/net/FILES in the current network namespace,
    by their nstat names (IpInHdrErrors, IpExtInTruncatedPkts, ...)."""
    out = {}
    for path in files:
        rows = [line.split() for line in open("/proc/self/net/" + path)]
        if path == "snmp6":
            out.update((name, int(value)) for name, value in rows)
            continue
        for names, values in zip(rows[::2], rows[1::2]):
            group = names[0].rstrip(":")
            out.update((group + n, int(v)) for n, v in
                       zip(names[1:], values[1:]))
    return out


def echos():
    """The ICMP echo requests the current network namespace received."""
    return nstat()["IcmpInEchos"]


# The stack's counters of packets it drops for their headers, by their
# nstat names: what IPv4 refuses before any hook runs, and what it refuses
# in a decapsulated packet.
STACK_DROPS = ("IpInHdrErrors", "IpInAddrErrors", "IpExtInTruncatedPkts",
               "IpExtInCsumErrors", "Ip6InHdrErrors", "Ip6InTruncatedPkts")


def stack_drops():
    """STACK_DROPS in the current network namespace, as {name: value}."""
    out = nstat(("snmp", "netstat", "snmp6"))
    return {n: out[n] for n in STACK_DROPS}


def poll(cond, secs):
    """Wait until cond() is true, at most secs; whether it became so."""
    end = time.monotonic() + secs
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def probe(args, lines):
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    sender = Sender(*(args.ether or ()))
    ns, dev = args.probe
    barrier = args.barrier or args.dst
    ngre_nl.setns("/run/netns/" + ns)
    nl = ngre_nl.Counters(dev)

    def read():
        """ngre's counters, the device's and the stack's drops."""
        return {**nl.read(), **stack_drops()}

    echo = ipv4("0.0.0.0", barrier, socket.IPPROTO_ICMP,
                icmp_echo(ident=4343))
    for line in lines:
        line = line.rstrip("\n")
        # "CASE: DELTA", or "CASE:" (cases have colons, not ": ")
        case, want = (line[:-1], "") if line.endswith(":") else \
            line.split(": ", 1)
        before, n = read(), echos()
        sender.send(build(args.src, args.dst, case))
        sender.send([echo], routed=True)
        if not poll(lambda: echos() > n, 60):
            sys.exit("%s: the barrier echo to %s never arrived in %s" %
                     (case, barrier, ns))
        poll(lambda: ngre_nl.delta(before, read()) == want, 10)
        # Once more through the hooks: what the case still sets off has
        # its turn before the last read.
        n = echos()
        sender.send([echo], routed=True)
        poll(lambda: echos() > n, 60)
        got = ngre_nl.delta(before, read())
        print("%s:%s" % (case, " " + got if got else ""), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", nargs=2, metavar=("NETNS", "DEV"))
    ap.add_argument("--barrier", metavar="ADDR")
    ap.add_argument("--ether", nargs=2, metavar=("DEV", "MAC"))
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    if args.probe:
        probe(args, sys.stdin.readlines())
        return
    sender = Sender(*(args.ether or ()))
    for case in args.cases:
        sender.send(build(args.src, args.dst, case))


if __name__ == "__main__":
    main()
