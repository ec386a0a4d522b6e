#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The CLI trusts nothing from the kernel: a fuzzer of its answers.

  cli_fuzz.py [-n CASES (1500)] [--seed N (1)] [-v]

Builds the CLI with AddressSanitizer and UBSan, and runs it against a
fake kernel (fake_kernel.c, preloaded) that answers each request with
messages made here from the YNL spec: every attribute of the object's
nest, with values of the right type, nested sets filled in turn and
multi-attrs repeated; names with JSON's special characters in them;
enum values beyond the known ones.  The first cases go out whole; the
others are mutated (attributes cut short, lengthened, retyped, strings
unterminated, nests filled with junk, bytes flipped, message and ACK
headers broken, extack attributes malformed).

Each run must end without a sanitizer report or a signal, with status 0,
1 or 2 (never 255: every command line is valid).  A whole answer must be
shown (status 0, and in JSON every object); any run with status 0 and -j
must print valid JSON.  A family of another version than the spec's, or
of none said, must be refused with status 1 and a message naming both
versions.  Exit 0 if every case passed.
"""
import argparse
import json
import os
import random
import struct
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
SPEC = os.path.join(TOP, "Documentation", "netlink", "specs", "ngre.yaml")

NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_MULTI, NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x2, 0x100, 0x200
NLA_F_NESTED = 0x8000
GENL_ID_CTRL, CTRL_CMD_NEWFAMILY = 0x10, 1
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_VERSION = 1, 2, 3
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_COOKIE = 1, 2, 3
FAMILY = 0x1b

spec = yaml.safe_load(open(SPEC))
SETS = {s["name"]: s for s in spec["attribute-sets"]}
ENUMS = {d["name"]: d for d in spec.get("definitions", [])}


def numbered(items):
    """(value, item) of a spec list whose values count up from 0 or an
    explicit value."""
    v, out = 0, []
    for it in items:
        v = it.get("value", v)
        out.append((v, it))
        v += 1
    return out


CMDS = {op["name"]: v for v, op in numbered(spec["operations"]["list"])}
TOP_ATTR = {a["name"]: v for v, a in numbered(SETS["ngre"]["attributes"])}


def nla(atype, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, atype) + payload + b"\0" * (-n % 4)


class Attr:
    """An attribute: a leaf's payload, or a nest's children."""

    def __init__(self, atype, payload=b"", children=None):
        self.atype, self.payload, self.children = atype, payload, children

    def encode(self):
        if self.children is None:
            return nla(self.atype, self.payload)
        return nla(self.atype | NLA_F_NESTED,
                   b"".join(c.encode() for c in self.children))

    def walk(self):
        yield self
        for c in self.children or []:
            yield from c.walk()


NAMES = [b"gt0", b"fz-1", b'q"uote', b"back\\slash", b"tab\there", b"nl\nx",
         b"\x01ctl", "ü-utf8".encode(), b"bad\xff\xc0utf8", b"\xed\xa0\x80", b"x" * 15]


def enum_value(rnd, name):
    d = ENUMS.get(name)
    if not d or rnd.random() < 0.15:
        return rnd.randrange(0, 300)
    if d["type"] == "flags":
        return rnd.randrange(0, 1 << len(d["entries"]))
    return numbered([e if isinstance(e, dict) else {"name": e}
                     for e in d["entries"]])[rnd.randrange(len(d["entries"]))][0]


def make_set(rnd, set_name, depth=0):
    """Every attribute of a set, with values of their types."""
    out = []
    for v, a in numbered(SETS[set_name]["attributes"]):
        t = a["type"]
        if t in ("unused", "pad"):
            continue
        reps = rnd.randrange(1, 4) if a.get("multi-attr") else 1
        for _ in range(reps):
            if t == "nest":
                if depth < 4:
                    out.append(Attr(v, children=make_set(rnd, a["nested-attributes"],
                                                         depth + 1)))
                continue
            if t in ("u8", "u16", "u32", "u64", "s32", "s64"):
                size = {"u8": 1, "u16": 2, "u32": 4, "u64": 8, "s32": 4, "s64": 8}[t]
                val = (enum_value(rnd, a["enum"]) if "enum" in a
                       else rnd.choice([0, 1, 7, 1500, rnd.getrandbits(8 * size)]))
                val &= (1 << (8 * size)) - 1
                order = ">" if a.get("byte-order") == "big-endian" else "="
                fmt = order + {1: "B", 2: "H", 4: "I", 8: "Q"}[size]
                out.append(Attr(v, struct.pack(fmt, val)))
            elif t == "bitfield32":
                # value, selector: the kernel's are the flags and all of
                # them; here also selectors of some, and values outside.
                val = enum_value(rnd, a["enum"])
                sel = rnd.choice([(1 << len(ENUMS[a["enum"]]["entries"])) - 1,
                                  val | rnd.getrandbits(3), rnd.getrandbits(32)])
                out.append(Attr(v, struct.pack("=II", val, sel)))
            elif t == "string":
                out.append(Attr(v, rnd.choice(NAMES) + b"\0"))
            elif t == "flag":
                out.append(Attr(v))
            else:
                out.append(Attr(v, bytes(rnd.getrandbits(8) for _ in range(
                    a.get("checks", {}).get("exact-len", rnd.randrange(1, 17))))))
    return out


def genl_msg(cmd, attrs, flags=0, mtype=FAMILY):
    body = struct.pack("=BBH", cmd, 1, 0) + attrs
    return struct.pack("=IHHII", 16 + len(body), mtype, flags, 0, 0) + body


def ack(error=0, rq=b"\0" * 16, tlvs=b"", flags=NLM_F_CAPPED):
    body = struct.pack("=i", error) + rq[:16] + tlvs
    if tlvs:
        flags |= NLM_F_ACK_TLVS
    return struct.pack("=IHHII", 16 + len(body), NLMSG_ERROR, flags, 0, 0) + body


def done(err=0):
    return struct.pack("=IHHIIi", 20, NLMSG_DONE, NLM_F_MULTI, 0, 0, err)


def family_answer(version=spec["version"]):
    """The controller's answer for the family; of another version of it,
    or of none (None)."""
    grp = nla(1 | NLA_F_NESTED, nla(CTRL_ATTR_MCAST_GRP_NAME, b"events\0") +
              nla(CTRL_ATTR_MCAST_GRP_ID, struct.pack("=I", 9)))
    attrs = (nla(CTRL_ATTR_FAMILY_NAME, b"ngre\0") +
             nla(CTRL_ATTR_FAMILY_ID, struct.pack("=H", FAMILY)) +
             (b"" if version is None else
              nla(CTRL_ATTR_VERSION, struct.pack("=I", version))) +
             nla(CTRL_ATTR_MCAST_GROUPS | NLA_F_NESTED, grp))
    return [genl_msg(CTRL_CMD_NEWFAMILY, attrs, mtype=GENL_ID_CTRL) + ack()]


# What each command line asks: its GET (None: no GET), the nest of the
# answer's objects, whether it is a dump, and the JSON type it prints.
CASES = [
    (["tunnel", "show"], "tunnel-get", "tunnel", True, list),
    (["-s", "tunnel", "show"], "tunnel-get", "tunnel", True, list),
    (["tunnel", "show", "gt0"], "tunnel-get", "tunnel", False, list),
    (["service", "show"], "service-get", "service", True, list),
    (["session", "show"], "session-get", "session", True, list),
    (["stats", "show"], "stats-get", "stats", False, dict),
    (["config", "show"], "config-get", "config", False, dict),
    # Events after the family's answer; it ends when there are no more.
    (["monitor"], None, "tunnel", True, None),
]
CHANGES = [
    ["tunnel", "add", "gt9", "dev", "lo", "remote", "192.0.2.9"],
    ["tunnel", "del", "gt9"],
    # Only the SET: the flags go as a change, no GET first.
    ["tunnel", "set", "gt0", "ttl", "5", "icsum", "noseq"],
    ["service", "del", "web"],
    ["config", "set", "max-sessions", "1000"],
]
EVENTS = ["tunnel-new", "tunnel-set", "tunnel-del"]
# The extack message of an ACK: a warning on a request carried out.
WARNING = b"fuzz: a warning on success"


def object_answer(rnd, cmd, nest, dump):
    """The answer's objects, as trees (for mutate()), and its messages."""
    trees = [Attr(TOP_ATTR[nest], children=make_set(rnd, nest))
             for _ in range(rnd.randrange(1, 4) if dump else 1)]
    msgs = [genl_msg(CMDS[cmd], t.encode(), flags=NLM_F_MULTI if dump else 0)
            for t in trees]
    return trees, msgs + [done() if dump else ack()]


def error_answer(rnd):
    tlvs = b""
    if rnd.random() < 0.8:
        tlvs += nla(NLMSGERR_ATTR_MSG, rnd.choice(NAMES) + b"\0")
    if rnd.random() < 0.5:
        tlvs += nla(NLMSGERR_ATTR_OFFS, struct.pack("=I", 20))
    if rnd.random() < 0.5:
        tlvs += nla(NLMSGERR_ATTR_COOKIE, struct.pack("=I", 3))
    return ack(-rnd.choice([1, 2, 12, 17, 19, 22, 34, 95]),
               struct.pack("=IHHII", 40, FAMILY, 5, 0, 0), tlvs)


def mutate(rnd, msgs, trees):
    """Break the answer in one to three ways."""
    msgs = list(msgs)
    for _ in range(rnd.randrange(1, 4)):
        kind = rnd.randrange(10)
        if kind <= 4 and trees:
            i = rnd.randrange(len(trees))
            nodes = list(trees[i].walk())
            a = rnd.choice(nodes)
            if kind == 0 and a.children is None and a.payload:
                a.payload = a.payload[:rnd.randrange(len(a.payload))]
            elif kind == 1 and a.children is None:
                a.payload += bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(1, 9)))
            elif kind == 2:
                a.atype = rnd.choice([rnd.randrange(0, 64), rnd.getrandbits(14)])
            elif kind == 3 and a.payload.endswith(b"\0"):
                a.payload = a.payload[:-1] + b"x"
            else:
                a.children = None
                a.payload = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 40)))
            hdr = msgs[i][:20]
            body = trees[i].encode()
            msgs[i] = struct.pack("=I", 20 + len(body)) + hdr[4:] + body
        elif kind <= 6:
            # Bytes flipped anywhere, headers included.
            i = rnd.randrange(len(msgs))
            b = bytearray(msgs[i])
            for _ in range(rnd.randrange(1, 5) if b else 0):
                b[rnd.randrange(len(b))] = rnd.getrandbits(8)
            msgs[i] = bytes(b)
        elif kind == 7:
            # A message cut short, its header still claiming the whole.
            i = rnd.randrange(len(msgs))
            msgs[i] = msgs[i][:rnd.randrange(len(msgs[i]) + 1)]
        elif kind == 8:
            # The end: an error in the DONE, an ACK with a broken header
            # of the request in it, or extack attributes out of shape.
            rq_len = rnd.choice([0, 3, 15, 16, 17, 60, 4096, 0xfffffff0])
            tlvs = rnd.choice([
                nla(NLMSGERR_ATTR_MSG, b"no terminator"),
                nla(NLMSGERR_ATTR_COOKIE, b"\1\2"),
                struct.pack("=HH", 200, NLMSGERR_ATTR_MSG) + b"short",
                b"",
            ])
            msgs[-1] = rnd.choice([
                done(-rnd.randrange(1, 200)),
                struct.pack("=IHHII", 18, NLMSG_DONE, 0, 0, 0) + b"\1\2",
                ack(-22, struct.pack("=IHHII", rq_len, FAMILY, 5, 0, 0), tlvs,
                    flags=rnd.choice([0, NLM_F_CAPPED])),
            ])
        else:
            # Answers of another family, or of no family at all.
            i = rnd.randrange(len(msgs))
            b = bytearray(msgs[i].ljust(16, b"\0"))
            b[4:6] = struct.pack("=H", rnd.choice([0, 1, 4, 15, 16, 0x1a, 0xffff]))
            msgs[i] = bytes(b)
    return msgs


def record(datagrams):
    out = struct.pack("=I", len(datagrams))
    for d in datagrams:
        out += struct.pack("=I", len(d)) + d
    return out


def split(rnd, msgs):
    """The messages in one datagram, or a few."""
    if len(msgs) < 2 or rnd.random() < 0.5:
        return [b"".join(msgs)]
    cut = rnd.randrange(1, len(msgs))
    return [b"".join(msgs[:cut]), b"".join(msgs[cut:])]


def build(tmp):
    cli, shim = os.path.join(tmp, "ngre"), os.path.join(tmp, "fake_kernel.so")
    mnl = subprocess.run(["pkg-config", "--cflags", "--libs", "libmnl"],
                         capture_output=True, text=True, check=True).stdout.split()
    src = os.path.join(TOP, "tools", "ngre")
    subprocess.run(["gcc", "-std=gnu11", "-g", "-O1", "-fno-omit-frame-pointer",
                    '-DNGRE_CLI_VERSION="fuzz"',
                    "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
                    "-I" + os.path.join(TOP, "uapi"), "-o", cli] +
                   sorted(os.path.join(src, f) for f in os.listdir(src)
                          if f.endswith(".c")) + mnl, check=True)
    subprocess.run(["gcc", "-std=gnu11", "-O1", "-g", "-Wall", "-shared", "-fPIC",
                    "-o", shim, os.path.join(HERE, "fake_kernel.c"), "-ldl"],
                   check=True)
    return cli, shim


def version_refused(cli, env, answers, verbose):
    """A family of another version (an old module still loaded), or of
    none said: each command refused with status 1, naming both versions,
    and nothing asked of the family.  The number of failures."""
    failed = 0
    want = spec["version"]
    for version in (want - 1, want + 1, None):
        for argv in (["tunnel", "show"], CHANGES[-1], ["monitor"]):
            # Only the family's answer: a request to the family after it
            # would find no answer and fail with another message.
            with open(answers, "wb") as f:
                f.write(record(family_answer(version)))
            p = subprocess.run([cli] + argv, env=env, capture_output=True,
                               timeout=30)
            err = p.stderr.decode(errors="replace")
            said = "version %d" % (version or 0)
            why = None
            if p.returncode != 1:
                why = "status %d" % p.returncode
            elif said not in err or "version %d" % want not in err:
                why = "the message names not both versions"
            elif p.stdout:
                why = "printed on stdout"
            if why or verbose:
                print("%s version %s: ngre %s: %s" % ("FAIL" if why else "ok",
                                                     version, " ".join(argv),
                                                     why or err.strip()))
            if why:
                print("stderr: %s" % err)
                failed += 1
    return failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    failed = whole = 0
    with tempfile.TemporaryDirectory() as tmp:
        cli, shim = build(tmp)
        answers = os.path.join(tmp, "answers")
        env = dict(os.environ, LD_PRELOAD=shim, NGRE_FAKE_ANSWERS=answers,
                   ASAN_OPTIONS="verify_asan_link_order=0:exitcode=99:detect_leaks=1",
                   UBSAN_OPTIONS="halt_on_error=1:exitcode=98:print_stacktrace=1")
        for i in range(args.n):
            intact = i < 2 * (len(CASES) + len(CHANGES))
            json_out = i % 2 == 1 if intact else rnd.random() < 0.5
            j = i // 2
            shows = j < len(CASES) if intact else rnd.random() < 0.75
            n_obj, jtype, warned, dump = None, None, False, False
            if shows:
                argv, cmd, nest, dump, jtype = CASES[j] if intact else rnd.choice(CASES)
                if cmd is None:
                    # monitor: events of each kind, no answer of its own.
                    trees = [Attr(TOP_ATTR[nest], children=make_set(rnd, nest))
                             for _ in range(rnd.randrange(1, 4))]
                    msgs = [genl_msg(CMDS[rnd.choice(EVENTS)], t.encode())
                            for t in trees]
                else:
                    trees, msgs = object_answer(rnd, cmd, nest, dump)
                    n_obj = len(trees)
            else:
                argv = CHANGES[j - len(CASES)] if intact else rnd.choice(CHANGES)
                msgs = [ack() if intact or rnd.random() < 0.5 else error_answer(rnd)]
                # The whole change with JSON out is carried out with a
                # warning, which the CLI must print.
                warned = intact and json_out
                if warned:
                    msgs = [ack(tlvs=nla(NLMSGERR_ATTR_MSG, WARNING + b"\0"))]
                trees = []
            if not intact:
                msgs = mutate(rnd, msgs, trees)
            family, family_ok = family_answer(), True
            if not intact and rnd.random() < 0.1:
                family, family_ok = mutate(rnd, family, []), False
            if argv == ["monitor"]:
                # One request (the family's), whose answer is a datagram
                # of its own, as the kernel's is: the events come in the
                # datagrams after it.
                records = [[b"".join(family)] + split(rnd, msgs)]
            else:
                records = [split(rnd, r) for r in [family, msgs]]
            with open(answers, "wb") as f:
                f.write(b"".join(record(r) for r in records))
            full = [cli] + (["-j"] if json_out else []) + argv
            try:
                p = subprocess.run(full, env=env, capture_output=True, timeout=30)
            except subprocess.TimeoutExpired as e:
                p = subprocess.CompletedProcess(full, -1, e.stdout or b"",
                                                e.stderr or b"")
            why = None
            if p.returncode == -1:
                why = "no end after 30 s"
            elif p.returncode not in (0, 1, 2):
                why = "status %d" % p.returncode
            elif intact and argv == ["monitor"]:
                # It ends when the socket has nothing more: an error.
                lines = p.stdout.count(b"\n")
                if p.returncode != 1 or (json_out and lines != len(trees)):
                    why = "status %d, %d events shown of %d" % (p.returncode, lines,
                                                                len(trees))
            elif intact and p.returncode != 0:
                why = "a whole answer refused"
            elif warned and b"Warning: " + WARNING not in p.stderr:
                why = "the kernel's warning not printed"
            elif json_out and p.returncode in (1, 2) and dump and jtype is list:
                # A dump that failed still prints valid JSON (once the
                # family is known, the dump was asked for).
                if not p.stdout.strip():
                    if family_ok:
                        why = "a failed dump printed no JSON"
                else:
                    try:
                        if not isinstance(json.loads(p.stdout), list):
                            why = "a failed dump printed JSON that is no list"
                    except ValueError as e:
                        why = "a failed dump printed invalid JSON (%s)" % e
            elif json_out and p.returncode == 0 and jtype is not None:
                try:
                    got = json.loads(p.stdout)
                except ValueError as e:
                    why = "invalid JSON (%s)" % e
                else:
                    if not isinstance(got, jtype):
                        why = "JSON %s, not %s" % (type(got).__name__, jtype.__name__)
                    elif intact and jtype is list and len(got) != n_obj:
                        why = "%d objects shown of %d" % (len(got), n_obj)
            whole += intact
            if why or args.v:
                print("%s case %d: ngre %s: %s" % ("FAIL" if why else "ok", i,
                                                    " ".join(full[1:]), why or ""))
            if why:
                failed += 1
                sys.stdout.write("stdout: %r\nstderr: %s\n" % (
                    p.stdout[:600], p.stderr.decode(errors="replace")[-3000:]))
                if failed >= 5:
                    break
        failed += version_refused(cli, env, answers, args.v)
    print("cli-fuzz: %d answers (%d whole, seed %d): %d failed"
          % (i + 1, whole, args.seed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
