# SPDX-License-Identifier: GPL-2.0
"""A small netlink client for the tests: ngre's generic netlink family and
the link counters of rtnetlink, in the calling thread's network namespace
(or one entered with setns()).  The numbers of commands and attributes
are read from the uapi header, so that the header stays their one source.

Python starts slowly in the test VM (a second under the debug kernel);
reading counters here instead of from `ngre -j stats show`, `ip -s link`
and jq saves some six processes per read.
"""
import ctypes
import functools
import os
import re
import socket
import struct

NETLINK_ROUTE, NETLINK_GENERIC = 0, 16
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
RTM_GETLINK, IFLA_IFNAME, IFLA_STATS64 = 18, 3, 23
NLA_TYPE_MASK = 0x3fff
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSGERR_ATTR_MSG = 1
CLONE_NEWNET = 0x40000000

# In the source tree, or beside this file where kselftest installed both.
HERE = os.path.dirname(os.path.abspath(__file__))
UAPI = next((p for p in (os.path.join(HERE, "..", "uapi", "linux", "ngre.h"),
                         os.path.join(HERE, "ngre.h")) if os.path.exists(p)),
            None)


@functools.lru_cache(maxsize=None)
def uapi_text():
    return open(UAPI).read()


def uapi_enum(name):
    """The member names of enum NAME in ngre's uapi header, in value order
    (its enums count up from 0 without initialisers)."""
    text = uapi_text()
    body = re.search(r"enum %s \{(.*?)\};" % name, text, re.S).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    return [m for m in re.findall(r"^\s*(\w+)\s*,", body, re.M)
            if not m.startswith("__")]


def uapi_define(name):
    text = uapi_text()
    return int(re.search(r"#define %s\s+(\d+)" % name, text).group(1))


def setns(path):
    """Move the calling thread into the network namespace at path (e.g.
    /run/netns/NAME).  Sockets opened before keep their namespace."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET):
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (path, os.strerror(err)))
    finally:
        os.close(fd)


def attr(typ, payload):
    """One netlink attribute, padded to 4 bytes."""
    hdr = struct.pack("=HH", 4 + len(payload), typ)
    return hdr + payload + b"\x00" * (-len(payload) % 4)


def attrs(buf):
    """{type: payload} of the attributes in buf (the nested flag masked)."""
    out, off = {}, 0
    while off + 4 <= len(buf):
        ln, typ = struct.unpack_from("=HH", buf, off)
        if ln < 4:
            break
        out[typ & NLA_TYPE_MASK] = buf[off + 4:off + ln]
        off += (ln + 3) & ~3
    return out


class NetlinkError(OSError):
    """A request's error, with its extended ACK message (or "")."""

    def __init__(self, err, extack):
        super().__init__(err, os.strerror(err))
        self.extack = extack


def extack(flags, body):
    """The extended ACK message of an NLMSG_ERROR's body, or ""."""
    if not flags & NLM_F_ACK_TLVS:
        return ""
    off = 20
    if not flags & NLM_F_CAPPED:
        off = 4 + struct.unpack_from("=I", body, 4)[0]
    msg = attrs(body[(off + 3) & ~3:]).get(NLMSGERR_ATTR_MSG, b"")
    return msg.rstrip(b"\0").decode(errors="replace")


class Netlink:
    """One netlink socket; request() returns the payloads of the replies."""

    def __init__(self, proto):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        self.sock.settimeout(5)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0

    def request(self, typ, flags, payload):
        """Send one request; the payloads of its answers (one, or those of
        a dump).  A netlink error raises NetlinkError."""
        self.seq += 1
        msg = struct.pack("=IHHII", 16 + len(payload), typ,
                          NLM_F_REQUEST | flags, self.seq, 0) + payload
        self.sock.send(msg)
        out = []
        while True:
            buf = self.sock.recv(65536)
            off = 0
            while off + 16 <= len(buf):
                ln, t, fl, seq, _ = struct.unpack_from("=IHHII", buf, off)
                if ln < 16:
                    raise OSError("netlink: a message of %d bytes" % ln)
                body = buf[off + 16:off + ln]
                off += (ln + 3) & ~3
                if seq != self.seq:
                    continue
                if t == NLMSG_ERROR:
                    err = struct.unpack_from("=i", body)[0]
                    if err:
                        raise NetlinkError(-err, extack(fl, body))
                    return out
                if t == NLMSG_DONE:
                    err = struct.unpack_from("=i", body)[0] if body else 0
                    if err:
                        raise NetlinkError(-err, "")
                    return out
                out.append(body)
                if not flags & NLM_F_DUMP:
                    return out


class Genl(Netlink):
    """A generic netlink family, by name."""

    def __init__(self, family, version):
        super().__init__(NETLINK_GENERIC)
        self.version = version
        reply = self.request(GENL_ID_CTRL, 0, struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0) +
                             attr(CTRL_ATTR_FAMILY_NAME, family.encode() + b"\0"))
        self.family = struct.unpack(
            "=H", attrs(reply[0][4:])[CTRL_ATTR_FAMILY_ID])[0]

    def call(self, cmd, payload=b"", flags=0):
        """The top-level attributes of each answer to cmd."""
        return [attrs(r[4:]) for r in self.request(
            self.family, flags, struct.pack("=BBH", cmd, self.version, 0) +
            payload)]


class Counters:
    """ngre's counters of the current network namespace, and those of a
    network device there, as {name: value}: ngre's by the names of
    `ngre -j stats show`, the device's as dev_rx, dev_tx, dev_rx_err and
    dev_tx_drop (its rx and tx packets, rx errors and tx drops)."""

    def __init__(self, dev=None):
        self.ngre = Genl("ngre", uapi_define("NGRE_GENL_VERSION"))
        self.cmd = uapi_enum("ngre_cmd").index("NGRE_CMD_STATS_GET")
        self.nest = uapi_enum("ngre_attr").index("NGRE_A_STATS")
        self.names = [n[len("NGRE_STATS_A_"):].lower()
                      for n in uapi_enum("ngre_stats_attr")]
        self.dev = dev
        self.rtnl = Netlink(NETLINK_ROUTE) if dev else None

    def read(self):
        out = {}
        reply = self.ngre.call(self.cmd)[0][self.nest]
        for typ, val in attrs(reply).items():
            name = self.names[typ] if typ < len(self.names) else str(typ)
            if len(val) == 8 and name not in ("unspec", "pad"):
                out[name] = struct.unpack("=Q", val)[0]
        if self.dev:
            ifi = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0)
            link = self.rtnl.request(RTM_GETLINK, 0, ifi + attr(
                IFLA_IFNAME, self.dev.encode() + b"\0"))[0]
            s = struct.unpack_from("=8Q", attrs(link[16:])[IFLA_STATS64])
            out.update(dev_rx=s[0], dev_tx=s[1], dev_rx_err=s[4],
                       dev_tx_drop=s[7])
        return out


def delta(before, after):
    """The counters that changed, as "name=+N" in name order."""
    return " ".join("%s=+%d" % (k, after[k] - before.get(k, 0))
                    for k in sorted(after) if after[k] != before.get(k, 0))
