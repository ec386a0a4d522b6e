#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The benchmark's report: the BENCH lines of tools/bench/guest.sh (a JSON
object each) in, a table on the terminal and one JSON file out.

  report.py [--kernel KVER] [--json FILE] [--about KEY=VALUE]... RESULTS...

For each yardstick, metric and variant: the median of its rounds, the
spread ((max - min) / median), the ratio of the median to plain forwarding
(fwd), to ip_gre (gre), to ip_gre with a flowtable (ft) and to ip_gre
with conntrack (ct, the peer of new sessions a second), and the extra
cost over plain forwarding (1/rate - 1/rate of fwd, the time a unit takes
on top of forwarding it) as a ratio to ip_gre's and to the flowtable's.
Those ratios are of the medians; each is also worked out round by round
(the variants' values of the same round, which ran minutes apart), and
the range of those is printed beside the extra costs and kept in the
JSON ("by_round"), so that a variant's slow round shows as such.
The scale run's figures (memory an entry takes; the rate of a fixed set
of flows with a thousand sessions and with a million) get their own
table, with the memory as a ratio to conntrack's, the rate with a
million as a ratio to the rate with a thousand, and the ratios of the
pairs measured at once (fixedx) with their quartiles.
"""
import argparse
import json
import statistics
import sys

VARIANTS = {
    "fwd": "1 plain IPv4 forwarding",
    "idle": "  ... with ngre loaded, no tunnel",
    "other": "  ... with an ngre tunnel elsewhere",
    "hook": "  ... with an nft rule in PRE_ROUTING",
    "gre": "2 ip_gre, routed",
    "ft": "3 ip_gre + nft flowtable",
    "ct": "4 ip_gre + conntrack, stateful",
    "ngre": "5 ngre, routed via gt0",
    "sess": "6 ngre sessions (TUNNEL_ADD)",
}
METRICS = {
    "tcp1": "TCP, 1 stream",
    "tcp4": "TCP, 4 streams",
    "udp": "UDP 64-byte, one flow",
    "newflows": "UDP 64-byte, a new flow each",
}
SCALE = {
    "mem": "slab bytes an entry, 100,000 flows",
    "fixed1k": "1,000 flows, 1,000 sessions in the table",
    "fixed1m": "1,000 flows, 1,000,000 sessions in the table",
    "fixedx": "a million / a thousand, pair by pair",
}
NOTE = ("The VM runs under TCG (qemu's emulator): absolute figures mean "
        "nothing, only ratios within one run do.  icount: the guest's clock "
        "counts executed instructions (one vCPU), so its ratios are ratios "
        "of instruction counts; it models neither caches nor memory latency "
        "nor parallel CPUs.  The ratios are of the medians; a by-round "
        "range (each ratio of one round's values) need not contain it.  "
        "wall: the host's clock, two vCPUs that one host thread runs in "
        "turn, with a spread of 25 % or more from run to run.  scale: the "
        "wall clock too, in a VM of its own booted with slab_nomerge.")


def summarize(rows):
    """{(yardstick, metric, variant):
    {"median", "spread", "quartiles", "rounds", "unit"}}."""
    groups, units = {}, {}
    for r in rows:
        key = (r["yardstick"], r["metric"], r["variant"])
        # The scale run's fixedx has several values a round.
        groups.setdefault(key, []).append((r["round"], float(r["value"])))
        units[key] = r["unit"]
    out = {}
    for key, pairs in groups.items():
        vals = [v for _, v in pairs]
        med = statistics.median(vals)
        q1, _, q3 = (statistics.quantiles(vals, n=4, method="inclusive")
                     if len(vals) > 1 else (med, med, med))
        out[key] = {
            "median": med,
            "spread": (max(vals) - min(vals)) / med if med else None,
            "quartiles": [q1, q3],
            "rounds": vals,
            "round_numbers": [rnd for rnd, _ in pairs],
            "unit": units[key],
        }
    return out


def per_round(fn, *entries):
    """fn of the entries' values, round by round (the rounds all have,
    each with one value): {"median", "min", "max"}, or None."""
    if not all(entries):
        return None
    by_round = [dict(zip(e["round_numbers"], e["rounds"])) for e in entries]
    if any(len(d) != len(e["rounds"]) for d, e in zip(by_round, entries)):
        return None
    vals = [fn(*(d[rnd] for d in by_round)) for rnd in by_round[0]
            if all(rnd in d for d in by_round)]
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals),
            "max": max(vals)}


def ratio(a, b):
    return a / b if a is not None and b else None


def extra(rate, base):
    """The time a unit takes on top of plain forwarding's."""
    return 1 / rate - 1 / base if rate and base else None


def compare(stats):
    """Adds the ratios to each entry of @stats."""
    for (ys, metric, variant), s in stats.items():
        e = {v: stats.get((ys, metric, v)) for v in ("fwd", "gre", "ft", "ct")}
        fwd, gre, ft, ct = (e[v]["median"] if e[v] else None for v in e)
        s["x_fwd"] = ratio(s["median"], fwd)
        s["x_gre"] = ratio(s["median"], gre)
        s["x_ft"] = ratio(s["median"], ft)
        s["x_ct"] = ratio(s["median"], ct)
        mine = extra(s["median"], fwd)
        s["extra_x_gre"] = ratio(mine, extra(gre, fwd)) if variant != "fwd" else None
        s["extra_x_ft"] = ratio(mine, extra(ft, fwd)) if variant != "fwd" else None
        s["by_round"] = {f"x_{v}": per_round(ratio, s, e[v]) for v in e}
        if variant != "fwd":
            for name, base in (("extra_x_gre", e["gre"]), ("extra_x_ft", e["ft"])):
                s["by_round"][name] = per_round(
                    lambda v, b, f: ratio(extra(v, f), extra(b, f)),
                    s, base, e["fwd"])


def span(r):
    """A by-round range, as "min..max"."""
    return "-" if not r else f"{r['min']:.2f}..{r['max']:.2f}"


def fmt(x, digits=3):
    return "-" if x is None else f"{x:.{digits}f}"


def scale_table(stats):
    """The scale run: memory against conntrack's, a million against 1,000."""
    def get(metric, variant):
        return stats.get(("scale", metric, variant))
    lines = []
    ct = get("mem", "ct")
    for variant in ("sess", "ct", "ft"):
        s = get("mem", variant)
        if not s:
            continue
        if not lines:
            lines += ["", f"scale: {SCALE['mem']}",
                      f"  {'variant':36} {'median':>12} {'spread':>7} {'x ct':>6}"]
        s["x_ct"] = ratio(s["median"], ct["median"] if ct else None)
        lines.append(f"  {VARIANTS[variant]:36} {s['median']:>12.1f} "
                     f"{fmt(s['spread']):>7} {fmt(s['x_ct']):>6}  {s['unit']}")
    k, m = get("fixed1k", "sess"), get("fixed1m", "sess")
    if k and m:
        m["x_1k"] = ratio(m["median"], k["median"])
        lines += ["", "scale: ngre sessions, the rate of a fixed set of flows"]
        for metric, s in (("fixed1k", k), ("fixed1m", m)):
            lines.append(f"  {SCALE[metric]:44} {s['median']:>12.1f} "
                         f"{fmt(s['spread']):>7}  {s['unit']}")
        lines.append(f"  {'with a million / with a thousand':44} {fmt(m['x_1k']):>12}")
        x = get("fixedx", "sess")
        if x:
            q1, q3 = x["quartiles"]
            lines.append(f"  {SCALE['fixedx']:44} {fmt(x['median']):>12} "
                         f"{fmt(x['spread']):>7}  quartiles {fmt(q1)} to "
                         f"{fmt(q3)}, {len(x['rounds'])} pairs")
    return lines


def table(stats):
    lines = []
    for ys in ("icount", "wall"):
        for metric, mname in METRICS.items():
            if not any(k[0] == ys and k[1] == metric for k in stats):
                continue
            lines.append("")
            lines.append(f"{ys}: {mname}")
            lines.append(f"  {'variant':36} {'median':>12} {'spread':>7} "
                         f"{'x fwd':>6} {'x gre':>6} {'x ft':>6} {'x ct':>6} "
                         f"{'extra/gre':>9} {'by round':>11} "
                         f"{'extra/ft':>9} {'by round':>11}")
            for variant, vname in VARIANTS.items():
                s = stats.get((ys, metric, variant))
                if not s:
                    continue
                lines.append(
                    f"  {vname:36} {s['median']:>12.1f} {fmt(s['spread'], 3):>7} "
                    f"{fmt(s['x_fwd']):>6} {fmt(s['x_gre']):>6} {fmt(s['x_ft']):>6} "
                    f"{fmt(s['x_ct']):>6} "
                    f"{fmt(s['extra_x_gre']):>9} "
                    f"{span(s['by_round'].get('extra_x_gre')):>11} "
                    f"{fmt(s['extra_x_ft']):>9} "
                    f"{span(s['by_round'].get('extra_x_ft')):>11}"
                    f"  {s['unit']}")
    return "\n".join(lines + scale_table(stats))


def about_arg(text):
    """--about KEY=VALUE, as a (KEY, VALUE) pair."""
    key, sep, value = text.partition("=")
    if not key or not sep:
        raise argparse.ArgumentTypeError(f'"{text}": expected KEY=VALUE')
    return key, value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="")
    ap.add_argument("--json")
    ap.add_argument("--about", action="append", default=[],
                    type=about_arg,
                    help="KEY=VALUE: how the run was made, into the JSON")
    ap.add_argument("results", nargs="+")
    args = ap.parse_args()
    rows = []
    for path in args.results:
        with open(path) as f:
            rows += [json.loads(line) for line in f if line.strip()]
    if not rows:
        print("report: no results", file=sys.stderr)
        return 1
    stats = summarize(rows)
    compare(stats)
    print(NOTE)
    print(table(stats))
    if args.json:
        doc = {
            "kernel": args.kernel,
            "about": dict(args.about),
            "note": NOTE,
            "variants": VARIANTS,
            "metrics": dict(METRICS, **SCALE),
            "results": [dict(yardstick=k[0], metric=k[1], variant=k[2], **v)
                        for k, v in sorted(stats.items())],
        }
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
