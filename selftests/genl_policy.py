#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Every request attribute of every ngre command made wrong, one at a time.

  genl_policy.py

From the YNL spec (Documentation/netlink/specs/ngre.yaml): for each
command that takes a nest, each attribute of the nest is sent alone, too
short, too long, out of the range its checks give, with another type (a
nest for an integer, an integer for a nest, an unterminated string), a
bitfield32 with a flag its enum lacks in the value or the selector, or
with a value outside its selector; and the nest gets an attribute beyond
the last one; the nest itself is sent missing (where the command needs
it) and as an integer.  Each request
must fail with an errno and an extended ACK message, and the namespace's
tunnels, services and settings must be as before.  Run as root in a
network namespace of its own, with the module loaded; prints a line per
command and exits non-zero on the first request that went wrong.
"""
import os
import struct
import sys

import yaml

import ngre_nl

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = os.path.join(HERE, "..", "Documentation", "netlink", "specs",
                    "ngre.yaml")
SIZES = {"u8": 1, "u16": 2, "u32": 4, "u64": 8}
PACK = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}
NLA_F_NESTED = 0x8000


def attr_values(attrs):
    """{name: (value, attribute)} of an attribute set, values counted as
    the header's enum counts them."""
    out, value = {}, 0
    for a in attrs:
        value = a.get("value", value)
        out[a["name"]] = (value, a)
        value += 1
    return out, value


def resolve_checks(spec):
    """Put the value in place of each check that names a constant of the
    spec ("NAME", or "NAME - 1" as YNL allows for lengths)."""
    consts = {d["name"]: d["value"] for d in spec["definitions"]
              if d["type"] == "const"}
    for s in spec["attribute-sets"]:
        for a in s["attributes"]:
            checks = a.get("checks", {})
            for k, v in checks.items():
                if isinstance(v, str):
                    name, _, less = v.partition(" - ")
                    checks[k] = consts[name] - int(less or 0)


def bad_payloads(a, defs):
    """(what, type flag, payload) of each wrong form of attribute a; defs:
    the spec's definitions by name."""
    t = a["type"]
    checks = a.get("checks", {})
    if t in SIZES:
        n = SIZES[t]
        yield "short", 0, b"\1" * (n - 1)
        yield "long", 0, b"\1" * (n + 4)
        yield "a nest", NLA_F_NESTED, ngre_nl.attr(1, b"\0" * 4)
        if "max" in checks and checks["max"] + 1 < 1 << (8 * n):
            yield "over its max", 0, struct.pack(PACK[t], checks["max"] + 1)
        if "min" in checks and checks["min"] > 0:
            yield "under its min", 0, struct.pack(PACK[t], checks["min"] - 1)
    elif t == "bitfield32":
        # (value, selector); the valid flags are those of its enum.
        valid = (1 << len(defs[a["enum"]]["entries"])) - 1
        unknown = valid + 1
        yield "a u32 (4 bytes)", 0, struct.pack("=I", 1)
        yield "long", 0, struct.pack("=III", 1, 1, 0)
        yield "a nest", NLA_F_NESTED, ngre_nl.attr(1, b"\0" * 4)
        yield "with an unknown flag", 0, struct.pack("=II", unknown, valid)
        yield "with an unknown flag selected", 0, struct.pack("=II", 0, unknown)
        yield "with a value outside its selector", 0, struct.pack("=II", 1, 2)
    elif t == "string":
        yield "unterminated", 0, b"x" * 4
        yield "empty", 0, b""
        if "max-len" in checks:
            yield "over its max-len", 0, b"x" * (checks["max-len"] + 1) + b"\0"
    elif t == "nest":
        yield "an integer", 0, struct.pack("=I", 7)
        yield "a nest of garbage", NLA_F_NESTED, b"\xff" * 7


class Family:
    def __init__(self):
        self.genl = ngre_nl.Genl("ngre", ngre_nl.uapi_define(
            "NGRE_GENL_VERSION"))
        self.cmds = ngre_nl.uapi_enum("ngre_cmd")

    def cmd(self, name):
        return self.cmds.index("NGRE_CMD_" + name.upper().replace("-", "_"))

    def state(self):
        """What a request must not change: the dumps and the settings."""
        return [sorted(repr(sorted(r.items())) for r in self.genl.call(
                    self.cmd(c), flags=ngre_nl.NLM_F_DUMP))
                for c in ("tunnel-get", "service-get")] + \
            [repr(sorted(self.genl.call(self.cmd("config-get"))[0].items()))]

    def refused(self, cmd, payload):
        """None if cmd with payload failed with an extack message, else what
        happened."""
        try:
            self.genl.call(cmd, payload, flags=ngre_nl.NLM_F_ACK)
        except ngre_nl.NetlinkError as e:
            return None if e.extack else "errno %d without a message" % e.errno
        return "accepted"


def main():
    spec = yaml.safe_load(open(SPEC))
    resolve_checks(spec)
    sets = {s["name"]: attr_values(s["attributes"])
            for s in spec["attribute-sets"]}
    defs = {d["name"]: d for d in spec.get("definitions", [])}
    top, _ = sets["ngre"]
    fam = Family()
    before = fam.state()
    total = 0
    for op in spec["operations"]["list"]:
        req = op.get("do", {}).get("request", {}).get("attributes", [])
        if not req or "uns-admin-perm" not in op.get("flags", []) and \
                op["name"] not in ("tunnel-get", "service-get"):
            continue
        cmd = fam.cmd(op["name"])
        nest_type, nest = top[req[0]]
        inner, end = sets[nest["nested-attributes"]]
        cases = [("the nest as an integer", nest_type,
                  struct.pack("=I", 1), False),
                 ("an attribute beyond the last", nest_type,
                  ngre_nl.attr(end, b"\0" * 4), True)]
        if op["name"] != "session-del":	# no filter: a flush
            cases.append(("the nest missing", None, b"", False))
        for name, (value, a) in inner.items():
            if a["type"] in ("unused", "pad"):
                continue
            for what, flag, payload in bad_payloads(a, defs):
                cases.append(("%s %s" % (name, what), nest_type,
                              ngre_nl.attr(value | flag, payload), True))
        for what, nt, payload, nested in cases:
            if nt is None:
                msg = b""
            elif nested:
                msg = ngre_nl.attr(nt | NLA_F_NESTED, payload)
            else:
                msg = ngre_nl.attr(nt, payload)
            why = fam.refused(cmd, msg)
            if why:
                sys.exit("%s, %s: %s" % (op["name"], what, why))
            total += 1
        if fam.state() != before:
            sys.exit("%s: the state changed" % op["name"])
        print("ok - %s: %d wrong requests refused, with a message, "
              "nothing changed" % (op["name"], len(cases)))
    print("ok - %d wrong requests in all" % total)


if __name__ == "__main__":
    main()
