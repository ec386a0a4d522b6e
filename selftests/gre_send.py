#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made GRE packets, for the datapath tests.

  gre_send.py SRC DST CASE...
  gre_send.py --probe NETNS DEV [--barrier ADDR] SRC DST < CASES

Each CASE sends one packet from SRC to DST (IPv4, GRE) whose inner packet
is an ICMP echo request from 10.2.0.1 to 10.1.0.1.  The GRE header is a
valid one for a tunnel with key 42, checksums and sequence numbers,
changed as the CASE says:

  ok:SEQ        valid, sequence number SEQ
  frag:SEQ      valid, 2000 bytes of payload, sent in IPv4 fragments
  noseq         no sequence number
  badcsum:SEQ   a wrong checksum
  nocsum:SEQ    no checksum
  routing:SEQ   the routing bit set
  version1:SEQ  GRE version 1
  proto:SEQ     inner protocol 0x1234
  keepalive:SEQ protocol 0
  nokey:SEQ     no key
  key43:SEQ     key 43
  nested:SEQ    valid, carrying GRE from SRC to DST (sequence number SEQ+1)
                that carries the echo request: the same tunnel nested
  options:SEQ   valid, with IP options (three NOPs and an end of list)
  ce:SEQ        valid, outer ECN CE, inner ECT(0)
  cenotect:SEQ  valid, outer ECN CE, inner not-ECT
  short         an IPv4 packet of protocol GRE with 2 bytes of payload
  fragneeded:MTU:REMOTE
                not GRE: an ICMP "fragmentation needed" (next-hop MTU MTU)
                quoting a 1500-byte GRE packet from DST to REMOTE (key 9)

With --probe, the cases and what each must change come as lines
"CASE: DELTA" (or "CASE:" for no change) on stdin, DELTA being the
counters of ngre in namespace NETNS and of its device DEV there (dev_rx,
dev_tx, dev_rx_err, dev_tx_drop for the device's), "name=+N" in name
order.  After each case an ICMP echo request to ADDR (--barrier; default
DST) follows the same way; once the echo has arrived (NETNS's InEchos
grew), the case's packets have been through NETNS's hooks, and the
counters are read until they show DELTA (at most 10 s: what comes after,
such as the reply to a delivered echo request, may lag).  A line "CASE:
DELTA" with the counters that did change is printed for each case, so
that the output equals the input when all went as expected.  The sender
is pinned to one CPU so that its packets arrive in order.

The packets are built here byte by byte and sent on a raw IP socket
(IP_HDRINCL, so the header goes out as built, spoofed source included;
the kernel sets the total length and header checksum): a Python that
imports scapy takes seconds to start under TCG.  The helpers (checksum,
ipv4, icmp_echo) serve the other tests' generators.
"""
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


def inner(size=56, tos=0):
    return ipv4("10.2.0.1", "10.1.0.1", socket.IPPROTO_ICMP,
                icmp_echo(payload=b"n" * size), tos=tos)


def fragments(src, dst, proto, payload, size):
    """payload in IPv4 fragments of at most size bytes (a multiple of 8)
    of payload each."""
    ident = os.getpid() & 0xffff
    out = []
    for off in range(0, len(payload), size):
        more = IP_MF if off + size < len(payload) else 0
        out.append(ipv4(src, dst, proto, payload[off:off + size],
                        ident=ident, frag=more | off // 8))
    return out


def build(src, dst, case):
    """The packets of case, as a list of IPv4 packets."""
    name, _, arg = case.partition(":")
    if name == "short":
        return [ipv4(src, dst, IPPROTO_GRE, b"\x00\x00")]
    if name == "fragneeded":
        mtu, _, remote = arg.partition(":")
        quoted = ipv4(dst, remote, IPPROTO_GRE,
                      gre(b"", csum=False, key=9), frag=IP_DF, length=1500)
        return [ipv4(src, dst, socket.IPPROTO_ICMP,
                     icmp(3, 4, struct.pack("!HH", 0, int(mtu)), quoted))]
    g = dict(csum=True, key=42, seq=int(arg) if arg else 0)
    tos, payload = 0, inner(2000 if name == "frag" else 56)
    if name == "noseq":
        g["seq"] = None
    elif name == "nocsum":
        g["csum"] = False
    elif name == "routing":
        g["flags"] = GRE_R
    elif name == "version1":
        g["flags"] = 1
    elif name == "proto":
        g["proto"] = 0x1234
    elif name == "keepalive":
        g["proto"] = 0
    elif name == "nokey":
        g["key"] = None
    elif name == "key43":
        g["key"] = 43
    elif name in ("ce", "cenotect"):
        tos, payload = 3, inner(tos=2 if name == "ce" else 0)
    elif name == "nested":
        payload = ipv4(src, dst, IPPROTO_GRE,
                       gre(payload, key=42, seq=g["seq"] + 1))
    elif name not in ("ok", "frag", "badcsum", "options"):
        sys.exit("unknown case " + case)
    body = gre(payload, **g)
    if name == "badcsum":
        body = body[:4] + b"\x12\x34" + body[6:]
    if name == "frag":
        return fragments(src, dst, IPPROTO_GRE, body, 1000)
    opts = b"\x01\x01\x01\x00" if name == "options" else b""
    return [ipv4(src, dst, IPPROTO_GRE, body, tos=tos, options=opts)]


def raw_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    return s


def send(sock, pkts):
    for p in pkts:
        sock.sendto(p, (socket.inet_ntoa(p[16:20]), 0))


def snmp(group, name):
    """A counter of /proc/net/snmp in the current network namespace."""
    rows = [line.split() for line in open("/proc/self/net/snmp")
            if line.startswith(group + ":")]
    return int(rows[1][rows[0].index(name)])


def poll(cond, secs):
    """Wait until cond() is true, at most secs; whether it became so."""
    end = time.monotonic() + secs
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def probe(ns, dev, barrier, src, dst, lines):
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    sock = raw_socket()
    ngre_nl.setns("/run/netns/" + ns)
    counters = ngre_nl.Counters(dev)
    echo = ipv4("0.0.0.0", barrier or dst, socket.IPPROTO_ICMP,
                icmp_echo(ident=4343))
    for line in lines:
        line = line.rstrip("\n")
        # "CASE: DELTA", or "CASE:" (cases have colons, not ": ")
        case, want = (line[:-1], "") if line.endswith(":") else \
            line.split(": ", 1)
        before, echos = counters.read(), snmp("Icmp", "InEchos")
        send(sock, build(src, dst, case) + [echo])
        if not poll(lambda: snmp("Icmp", "InEchos") > echos, 60):
            sys.exit("%s: the barrier echo to %s never arrived in %s" %
                     (case, barrier or dst, ns))
        poll(lambda: ngre_nl.delta(before, counters.read()) == want, 10)
        got = ngre_nl.delta(before, counters.read())
        print("%s:%s" % (case, " " + got if got else ""), flush=True)


def main(argv):
    if argv[1] == "--probe":
        ns, dev, argv = argv[2], argv[3], argv[3:]
        barrier = None
        if argv[1] == "--barrier":
            barrier, argv = argv[2], argv[2:]
        probe(ns, dev, barrier, argv[1], argv[2], sys.stdin.readlines())
        return
    send(raw_socket(), [p for case in argv[3:]
                        for p in build(argv[1], argv[2], case)])


if __name__ == "__main__":
    main(sys.argv)
