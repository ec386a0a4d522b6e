#!/usr/bin/python3 -S
# SPDX-License-Identifier: GPL-2.0
"""Hold the packets of an NFQUEUE queue until COUNT have arrived, then
accept them all, in the order they came.

  nfq_hold.py QUEUE COUNT

Prints "bound" once the queue is ours, and "accepted N" at the end.  Exits
1 if fewer than COUNT packets arrive within 60 s (the kernel drops what
it held then).  Plain nfnetlink_queue messages over a netlink socket
(include/uapi/linux/netfilter/nfnetlink_queue.h): no library needed.
"""
import socket
import struct
import sys

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS = 1, 2
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NF_ACCEPT = 1


def attr(typ, data):
    a = struct.pack("=HH", 4 + len(data), typ) + data
    return a + b"\0" * (-len(a) % 4)


def message(typ, queue, attrs, seq, flags=NLM_F_REQUEST):
    """A netlink message of the queue subsystem: nlmsghdr, nfgenmsg, attrs."""
    body = struct.pack("!BBH", socket.AF_UNSPEC, 0, queue) + attrs
    return struct.pack("=IHHII", 16 + len(body), NFNL_SUBSYS_QUEUE << 8 | typ,
                       flags, seq, 0) + body


def messages(data):
    """(type, payload) of each netlink message in @data."""
    off = 0
    while off + 16 <= len(data):
        ln, typ = struct.unpack_from("=IH", data, off)
        yield typ, data[off + 16:off + ln]
        off += (ln + 3) & ~3


def attributes(payload):
    """The attributes after the nfgenmsg, by type."""
    out, off = {}, 4
    while off + 4 <= len(payload):
        ln, typ = struct.unpack_from("=HH", payload, off)
        out[typ & 0x7fff] = payload[off + 4:off + ln]
        off += (ln + 3) & ~3
    return out


def configure(s, queue, seq, attrs):
    """Send a config request and wait for its acknowledgement."""
    s.send(message(NFQNL_MSG_CONFIG, queue, attrs, seq,
                   NLM_F_REQUEST | NLM_F_ACK))
    while True:
        for typ, payload in messages(s.recv(65536)):
            if typ == NLMSG_ERROR:
                err = struct.unpack_from("=i", payload)[0]
                if err:
                    sys.exit("nfq_hold: config of queue %d: error %d"
                             % (queue, err))
                return


def main(queue, count):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    s.bind((0, 0))
    configure(s, queue, 1, attr(NFQA_CFG_CMD,
                                struct.pack("!BBH", NFQNL_CFG_CMD_BIND, 0, 0)))
    configure(s, queue, 2, attr(NFQA_CFG_PARAMS,
                                struct.pack("!IB", 0, NFQNL_COPY_META)))
    print("bound", flush=True)
    s.settimeout(60)
    ids = []
    while len(ids) < count:
        try:
            data = s.recv(65536)
        except socket.timeout:
            print("held only %d of %d packets" % (len(ids), count),
                  flush=True)
            return 1
        for typ, payload in messages(data):
            if typ == NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET:
                hdr = attributes(payload)[NFQA_PACKET_HDR]
                ids.append(struct.unpack_from("!I", hdr)[0])
    for i, pid in enumerate(ids):
        s.send(message(NFQNL_MSG_VERDICT, queue,
                       attr(NFQA_VERDICT_HDR,
                            struct.pack("!II", NF_ACCEPT, pid)), 10 + i))
    print("accepted %d" % len(ids), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2])))
