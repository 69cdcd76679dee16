#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""bench-table.py [--markdown] RAW: the table of scripts/bench-realworld.sh.

RAW lines (written by the script):
  time <workload> <variant> <run> <wall s> <user s> <sys s>
  ir <workload> <variant> <instructions>
  size <program> <variant> <.text bytes> <whence_* bytes> <.debug_line(+_str) bytes>
  compile <tu> <variant> <run> <real s> <user s> <sys s>
"""
import collections
import math
import statistics
import sys

VARIANTS = ["base", "fp", "fpnl", "fpnlnt", "records", "whence"]


def geomean(xs):
    xs = [x for x in xs if x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main():
    args = sys.argv[1:]
    md = "--markdown" in args
    args = [a for a in args if a != "--markdown"]
    times = collections.defaultdict(list)
    cpu = collections.defaultdict(list)
    ir, size = {}, {}
    comp = collections.defaultdict(list)
    order, header = [], ""
    for line in open(args[0]):
        p = line.split()
        if not p:
            continue
        if p[0] == "#":
            header = line[2:].strip()
        elif p[0] == "time":
            times[(p[1], p[2])].append(float(p[4]))
            cpu[(p[1], p[2])].append(float(p[5]) + float(p[6]))
            if p[1] not in order:
                order.append(p[1])
        elif p[0] == "ir":
            ir[(p[1], p[2])] = int(p[3])
        elif p[0] == "size":
            size[(p[1], p[2])] = (int(p[3]), int(p[4]), int(p[5]))
        elif p[0] == "compile":
            comp[(p[1], p[2])].append(float(p[5]) + float(p[6]))

    med = {k: statistics.median(v) for k, v in times.items()}
    cmed = {k: statistics.median(v) for k, v in cpu.items()}

    def r(d, w, a, b):
        return d[(w, a)] / d[(w, b)] if (w, a) in d and (w, b) in d and d[(w, b)] else float("nan")

    rows = []
    rows.append(["workload", "base s", "whence/base", "whence/fp", "fpnl/base", "fpnlnt/base",
                 "records/base", "whence/records", "Ir whence/base", "Ir whence/fp", "Ir fpnl/base",
                 "Ir fpnlnt/base", "Ir records/base", "Ir whence/records"])
    cols = collections.defaultdict(list)
    for w in order:
        vals = [med.get((w, "base"), float("nan")),
                r(med, w, "whence", "base"), r(med, w, "whence", "fp"), r(med, w, "fpnl", "base"),
                r(med, w, "fpnlnt", "base"), r(med, w, "records", "base"), r(med, w, "whence", "records"),
                r(ir, w, "whence", "base"), r(ir, w, "whence", "fp"), r(ir, w, "fpnl", "base"),
                r(ir, w, "fpnlnt", "base"), r(ir, w, "records", "base"), r(ir, w, "whence", "records")]
        for i, x in enumerate(vals):
            cols[i].append(x)
        rows.append([w, "%.3f" % vals[0]] + ["%.3f" % x for x in vals[1:]])
    rows.append(["**geomean**", ""] + ["**%.3f**" % geomean(cols[i]) for i in range(1, 13)])
    # the same ratios from user+sys CPU time (less sensitive to other load)
    ccols = collections.defaultdict(list)
    for w in order:
        for i, (a, b) in enumerate([("whence", "base"), ("whence", "fp"), ("fpnl", "base"), ("fpnlnt", "base"),
                                    ("records", "base"), ("whence", "records")]):
            ccols[i].append(r(cmed, w, a, b))
    rows.append(["geomean, CPU time", ""] + ["%.3f" % geomean(ccols[i]) for i in range(6)] + [""] * 6)

    srows = [["program", ".text base", ".text whence/base", ".text whence/fp", "whence records",
              "line tables (.debug_line+_str)", "records/line tables"]]
    for prog in ["lua", "zstd", "zloop", "speedtest1"]:
        if (prog, "base") not in size or (prog, "whence") not in size:
            continue
        tb, tw, tf = size[(prog, "base")][0], size[(prog, "whence")][0], size[(prog, "fp")][0]
        rec, lines = size[(prog, "whence")][1], size[(prog, "whence")][2]
        srows.append([prog, "%d" % tb, "%.3f" % (tw / tb), "%.3f" % (tw / tf), "%d" % rec, "%d" % lines,
                      "%.2f" % (rec / lines if lines else float("nan"))])

    crows = [["translation unit", "base s (user+sys)", "fp s", "whence s", "whence/base", "whence/fp"]]
    for tu in sorted({k[0] for k in comp}):
        m = {v: statistics.median(comp[(tu, v)]) for v in ["base", "fp", "whence"] if (tu, v) in comp}
        if "base" in m and "whence" in m:
            crows.append([tu, "%.2f" % m["base"], "%.2f" % m.get("fp", float("nan")), "%.2f" % m["whence"],
                          "%.3f" % (m["whence"] / m["base"]),
                          "%.3f" % (m["whence"] / m["fp"]) if "fp" in m else "-"])

    nruns = max((len(v) for v in times.values()), default=0)
    title = ("whence on real programs: %s; runtime = median of %d alternating runs; Ir = callgrind "
             "instructions" % (header, nruns))
    out = [title, ""]
    for t in (rows, srows, crows):
        if md:
            out.append("| " + " | ".join(t[0]) + " |")
            out.append("|" + "---|" * len(t[0]))
            for row in t[1:]:
                out.append("| " + " | ".join(row) + " |")
        else:
            wds = [max(len(row[i].replace("**", "")) for row in t) for i in range(len(t[0]))]
            for row in t:
                out.append("  ".join(c.replace("**", "").ljust(wds[i]) for i, c in enumerate(row)))
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
