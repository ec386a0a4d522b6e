#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Does the CLI print what another revision of it printed?

  cli_compare.py [--base REV (HEAD)] [-n SEEDS (100)] [--seed N (1)] [-v]

Builds the CLI of REV (tools/ngre and uapi/ as git has them there) and
the CLI of the working tree, and runs both against cli_fuzz.py's fake
kernel with the same answers: for each seed, each show command (every
object shown, by dump and by name, and monitor with tunnel and service
events) gets an answer made from the YNL spec, once whole and once
mutated as cli_fuzz.py mutates them, and each answer is shown with each
set of options (none, -s, -d, -s -d, -j, -j -s, -j -d, -j -s -d, -j -p).
Both CLIs must exit with the same status and print the same stderr;
text on stdout must be the same bytes, JSON the same values (as parsed:
the order of an object's members may differ).  Exit 0 if no run
differed.
"""
import argparse
import concurrent.futures
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cli_fuzz as cf  # noqa: E402

# The show commands: argv, the GET (None: monitor), the answer's nest,
# whether it is a dump.
SHOWS = [
    (["tunnel", "show"], "tunnel-get", "tunnel", True),
    (["tunnel", "show", "gt0"], "tunnel-get", "tunnel", False),
    (["service", "show"], "service-get", "service", True),
    (["service", "list", "web"], "service-get", "service", False),
    (["session", "show"], "session-get", "session", True),
    (["stats", "show"], "stats-get", "stats", False),
    (["config", "show"], "config-get", "config", False),
    (["monitor"], None, None, True),
]
OPTIONS = [[], ["-s"], ["-d"], ["-s", "-d"], ["-j"], ["-j", "-s"], ["-j", "-d"],
           ["-j", "-s", "-d"], ["-j", "-p"]]
MONITOR_EVENTS = [("tunnel", e) for e in cf.EVENTS] + [
    ("service", e) for e in ("service-new", "service-set", "service-del")]


def build(src, out):
    """The CLI of the tree @src, without sanitizers (fast to start)."""
    mnl = subprocess.run(["pkg-config", "--cflags", "--libs", "libmnl"],
                         capture_output=True, text=True, check=True).stdout.split()
    cdir = os.path.join(src, "tools", "ngre")
    subprocess.run(["gcc", "-std=gnu11", "-O1", '-DNGRE_CLI_VERSION="compare"',
                    "-I" + os.path.join(src, "uapi"), "-o", out] +
                   sorted(os.path.join(cdir, f) for f in os.listdir(cdir)
                          if f.endswith(".c")) + mnl, check=True)


def answers(rnd, show, mutated):
    """The records of the fake kernel for one run of @show."""
    argv, cmd, nest, dump = show
    if cmd is None:
        trees, msgs = [], []
        for _ in range(rnd.randrange(1, 5)):
            nest, ev = rnd.choice(MONITOR_EVENTS)
            t = cf.Attr(cf.TOP_ATTR[nest], children=cf.make_set(rnd, nest))
            trees.append(t)
            msgs.append(cf.genl_msg(cf.CMDS[ev], t.encode()))
    else:
        trees, msgs = cf.object_answer(rnd, cmd, nest, dump)
    if mutated:
        msgs = cf.mutate(rnd, msgs, trees)
    family = cf.family_answer()
    if cmd is None:
        records = [[b"".join(family)] + cf.split(rnd, msgs)]
    else:
        records = [cf.split(rnd, r) for r in (family, msgs)]
    return b"".join(cf.record(r) for r in records)


def run(cli, argv, env):
    p = subprocess.run([cli] + argv, env=env, capture_output=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def unique_keys(pairs):
    """An object's members, refused if a key comes twice."""
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key twice in %r" % keys)
    return dict(pairs)


def documents(out):
    """The JSON documents of @out, one after another (monitor's events),
    each written back with its keys sorted: equal only if the members are
    the same, whatever their order, and of the same types (Python's
    comparison takes true for 1)."""
    dec = json.JSONDecoder(object_pairs_hook=unique_keys)
    text, docs, i = out.decode(), [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return docs
        doc, i = dec.raw_decode(text, i)
        docs.append(json.dumps(doc, sort_keys=True))


def same(old, new, json_out):
    """None if the runs agree, else why not."""
    if old[0] != new[0]:
        return "status %d, was %d" % (new[0], old[0])
    if old[2] != new[2]:
        return "stderr %r, was %r" % (new[2][-300:], old[2][-300:])
    if old[1] == new[1]:
        return None
    if not json_out:
        return "stdout differs"
    try:
        a, b = documents(old[1]), documents(new[1])
    except ValueError as e:
        return "JSON that does not parse (%s)" % e
    return None if a == b else "JSON differs"


def compare(old, new, env, tmp, seed, show, mutated):
    """One answer, shown by both CLIs with each set of options: a list of
    (argv, whether old printed something, why they differ or None)."""
    # One answer for all the options and both CLIs.
    rnd = random.Random("%d %s %d" % (seed, show[0], mutated))
    ans = os.path.join(tmp, "answers-%d-%s-%d" % (seed, "-".join(show[0]), mutated))
    with open(ans, "wb") as f:
        f.write(answers(rnd, show, mutated))
    env = dict(env, NGRE_FAKE_ANSWERS=ans)
    out = []
    for opt in OPTIONS:
        argv = opt + show[0]
        o = run(old, argv, env)
        out.append((argv, bool(o[1]), same(o, run(new, argv, env), "-j" in opt)))
    os.unlink(ans)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="HEAD")
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-j", type=int, default=os.cpu_count(), help="runs at once")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    compared = differ = printed = 0
    per_cmd = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base")
        os.mkdir(base)
        arch = subprocess.run(["git", "-C", cf.TOP, "archive", args.base,
                               "tools/ngre", "uapi"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", base], input=arch.stdout, check=True)
        old, new = os.path.join(tmp, "ngre-old"), os.path.join(tmp, "ngre-new")
        build(base, old)
        build(cf.TOP, new)
        shim = os.path.join(tmp, "fake_kernel.so")
        subprocess.run(["gcc", "-std=gnu11", "-O1", "-shared", "-fPIC", "-o", shim,
                        os.path.join(HERE, "fake_kernel.c"), "-ldl"], check=True)
        env = dict(os.environ, LD_PRELOAD=shim)
        tasks = [(seed, show, mutated)
                 for seed in range(args.seed, args.seed + args.n)
                 for show in SHOWS for mutated in (False, True)]
        with concurrent.futures.ThreadPoolExecutor(max(args.j, 1)) as pool:
            results = pool.map(lambda t: compare(old, new, env, tmp, *t), tasks)
            for (seed, show, mutated), out in zip(tasks, results):
                key = " ".join(show[0])
                for argv, something, why in out:
                    n, d = per_cmd.get(key, (0, 0))
                    per_cmd[key] = (n + 1, d + bool(why))
                    compared += 1
                    printed += something
                    if why:
                        differ += 1
                        print("DIFFER seed %d%s: ngre %s: %s" % (
                            seed, " mutated" if mutated else "", " ".join(argv), why))
                    elif args.v:
                        print("same seed %d: ngre %s" % (seed, " ".join(argv)))
    for key, (n, d) in per_cmd.items():
        print("cli-compare: ngre %s: %d compared, %d differ" % (key, n, d))
    print("cli-compare: %s against the working tree, seeds %d..%d: "
          "%d compared (%d printed something), %d differ"
          % (args.base, args.seed, args.seed + args.n - 1, compared, printed, differ))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
