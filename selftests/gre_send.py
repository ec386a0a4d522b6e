#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made GRE packets (scapy), for the datapath tests.

  gre_send.py [--probe NETNS DEV] SRC DST CASE...

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
  ce:SEQ        valid, outer ECN CE, inner ECT(0)
  cenotect:SEQ  valid, outer ECN CE, inner not-ECT
  short         an IPv4 packet of protocol GRE with 2 bytes of payload
  fragneeded:MTU:REMOTE
                not GRE: an ICMP "fragmentation needed" (next-hop MTU MTU)
                quoting a 1500-byte GRE packet from DST to REMOTE (key 9)

With --probe, the counters of ngre in NETNS and those of the tunnel
device DEV there are read before and after each case (0.3 s after it is
sent), and a line "CASE: DELTA" is printed for each, DELTA being the
counters that changed, "name=+N" in name order (dev_rx, dev_tx,
dev_rx_err, dev_tx_drop for the device's).
"""
import json
import subprocess
import sys
import time

from scapy.all import GRE, ICMP, IP, Raw, fragment, send  # noqa: E402


def inner(size=56, tos=0):
    return (IP(src="10.2.0.1", dst="10.1.0.1", tos=tos) / ICMP(id=4242) /
            Raw(b"n" * size))


def build(src, dst, case):
    name, _, arg = case.partition(":")
    outer = IP(src=src, dst=dst)
    if name == "short":
        return [IP(src=src, dst=dst, proto=47) / Raw(b"\x00\x00")]
    if name == "fragneeded":
        mtu, _, remote = arg.partition(":")
        quoted = IP(src=dst, dst=remote, proto=47, flags="DF", len=1500)
        return [outer / ICMP(type=3, code=4, nexthopmtu=int(mtu)) / quoted /
                GRE(key_present=1, key=9, proto=0x0800)]
    seq = int(arg) if arg else 0
    g = dict(chksum_present=1, key_present=1, key=42, seqnum_present=1,
             sequence_number=seq, proto=0x0800)
    payload = inner(2000 if name == "frag" else 56)
    if name == "noseq":
        g.update(seqnum_present=0, sequence_number=None)
    elif name == "badcsum":
        g["chksum"] = 0x1234
    elif name == "nocsum":
        g["chksum_present"] = 0
    elif name == "routing":
        g["routing_present"] = 1
    elif name == "version1":
        g["version"] = 1
    elif name == "proto":
        g["proto"] = 0x1234
    elif name == "keepalive":
        g["proto"] = 0
    elif name == "nokey":
        g.update(key_present=0, key=None)
    elif name == "key43":
        g["key"] = 43
    elif name in ("ce", "cenotect"):
        outer = IP(src=src, dst=dst, tos=3)
        payload = inner(tos=2 if name == "ce" else 0)
    elif name not in ("ok", "frag"):
        sys.exit("unknown case " + case)
    pkt = outer / GRE(**g) / payload
    if name == "frag":
        return fragment(pkt, fragsize=1000)
    return [pkt]


NGRE_CLI = __file__.rsplit("/", 2)[0] + "/tools/ngre/ngre"


def counters(ns, dev):
    def run(*cmd):
        return json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                         text=True).stdout)
    c = run("ip", "netns", "exec", ns, NGRE_CLI, "-j", "stats", "show")
    d = run("ip", "-n", ns, "-s", "-j", "link", "show", dev)[0]["stats64"]
    c.update(dev_rx=d["rx"]["packets"], dev_tx=d["tx"]["packets"],
             dev_rx_err=d["rx"]["errors"], dev_tx_drop=d["tx"]["dropped"])
    return c


def main(argv):
    probe = None
    if argv[1] == "--probe":
        probe, argv = (argv[2], argv[3]), argv[3:]
    src, dst = argv[1], argv[2]
    for case in argv[3:]:
        before = counters(*probe) if probe else None
        send(build(src, dst, case), verbose=0)
        if probe:
            time.sleep(0.3)
            after = counters(*probe)
            print("%s: %s" % (case, " ".join(
                "%s=+%d" % (k, after[k] - before[k])
                for k in sorted(after) if after[k] != before[k])))


if __name__ == "__main__":
    main(sys.argv)
