#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise the GRE packets of a capture, one line per direction.

  gre_wire.py FILE.pcap

For each (outer source, destination) in order of appearance:

  SRC>DST vid=V ttl=T df=D C=c K=k key=KEY S=s csum_ok=0|1 seq_up=0|1

V is the 802.1Q VID ("-" if untagged, "mixed" if it varies), T the outer
TTL, D the outer DF bit, c/k/s the
GRE flags, KEY the key ("-" without one), csum_ok whether every packet
that carries a checksum has a valid one (1 when none carries one), seq_up
whether the sequence numbers of every packet strictly increase (1 when
there are none).  Flags and keys that vary within a direction print as
"mixed".
"""
import sys

from scapy.all import GRE, IP, Dot1Q, rdpcap  # noqa: E402
from scapy.utils import checksum  # noqa: E402


def one(values):
    values = set(values)
    return str(values.pop()) if len(values) == 1 else "mixed"


def gre_bytes(pkt):
    """The GRE header and payload as captured (not as scapy rebuilds
    them)."""
    raw = pkt.original
    ip = raw[14 + (4 if Dot1Q in pkt else 0):]
    ihl = (ip[0] & 0xf) * 4
    return ip[ihl:int.from_bytes(ip[2:4], "big")]


def main(path):
    dirs = {}
    for pkt in rdpcap(path):
        if IP not in pkt or GRE not in pkt:
            continue
        ip, gre = pkt[IP], pkt[GRE]
        d = dirs.setdefault("%s>%s" % (ip.src, ip.dst),
                            {"vid": [], "ttl": [], "df": [],
                             "C": [], "K": [], "S": [], "key": [],
                             "csum_ok": 1, "seqs": []})
        d["vid"].append(pkt[Dot1Q].vlan if Dot1Q in pkt else "-")
        d["ttl"].append(ip.ttl)
        d["df"].append(int(bool(ip.flags.DF)))
        d["C"].append(int(gre.chksum_present))
        d["K"].append(int(gre.key_present))
        d["S"].append(int(gre.seqnum_present))
        d["key"].append(gre.key if gre.key_present else "-")
        if gre.chksum_present and checksum(gre_bytes(pkt)) != 0:
            d["csum_ok"] = 0
        if gre.seqnum_present:
            d["seqs"].append(gre.sequence_number)
    for name, d in dirs.items():
        seqs = d["seqs"]
        up = int(all(b > a for a, b in zip(seqs, seqs[1:])))
        print("%s vid=%s ttl=%s df=%s C=%s K=%s key=%s S=%s csum_ok=%d "
              "seq_up=%d" %
              (name, one(d["vid"]), one(d["ttl"]), one(d["df"]), one(d["C"]),
               one(d["K"]), one(d["key"]), one(d["S"]), d["csum_ok"], up))


if __name__ == "__main__":
    main(sys.argv[1])
