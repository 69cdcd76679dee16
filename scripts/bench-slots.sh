#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# bench-slots.sh: what caller-frame slots cost (docs/SLOTS.md).  Runs the
# seven builds of bench/bench_slots.c (bench/CMakeLists.txt):
#   o0_base / o0_noslots / o0_slots        -O0 -g: no plugin / slots off / default (slots on)
#   o2_base / o2_noslots / o2_slots        -O2 -gline-tables-only: no plugin /
#                                          plugin, sites and slots off / slots forced on, sites off
#   o2_sites                               -O2 -gline-tables-only default (site labels), for reference
# and prints one Markdown table: median wall-clock of the kernels over
# alternating runs (every round runs every build once, in rotating order),
# and callgrind instruction counts of the kernels only
# (--toggle-collect=bench_kernels), each as a ratio to the build without the
# plugin and to the plugin with slots off, plus extra instructions per
# executed call.
#
#   scripts/bench-slots.sh [--rounds N] [--scale N] [--cg-scale N] [--no-callgrind] [--no-build]
#
#   --rounds N     timing rounds (default 11)
#   --scale N      fib argument of the timed runs (default 33; the
#                  interpreter does as many calls as fib)
#   --cg-scale N   the same under callgrind (default 24; counts are exact)
#   --no-callgrind timings only
#   --no-build     use what is already built
# Build directory: $WHENCE_BUILD_DIR or build/.  Raw results go to
# <build>/bench-results/slots-*.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
rounds=11 scale=33 cg_scale=24 callgrind=1 do_build=1
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift ;;
    --scale) scale=$2; shift ;;
    --cg-scale) cg_scale=$2; shift ;;
    --no-callgrind) callgrind=0 ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "bench-slots.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

variants=(o0_base o0_noslots o0_slots o2_base o2_noslots o2_slots o2_sites)
if [ $do_build = 1 ]; then
  "$root/scripts/build.sh" "$build" >/dev/null
  cmake --build "$build" --target bench-slots >/dev/null
fi
for v in "${variants[@]}"; do
  [ -x "$build/bin/bench_slots_$v" ] || { echo "bench-slots.sh: $build/bin/bench_slots_$v missing" >&2; exit 1; }
done
out=$build/bench-results
mkdir -p "$out"
raw=$out/slots-times.txt
: >"$raw"

# What each build says about a frame two calls up: shows which build it is.
for v in "${variants[@]}"; do
  echo "check $v $("$build/bin/bench_slots_$v" --check)" >>"$raw"
done

n=${#variants[@]}
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < n; k++)); do
    v=${variants[$(((k + r) % n))]}
    "$build/bin/bench_slots_$v" "$scale" | sed "s/^/$v /" >>"$raw"
  done
done

cg=$out/slots-callgrind.txt
: >"$cg"
if [ $callgrind = 1 ]; then
  command -v valgrind >/dev/null || { echo "bench-slots.sh: valgrind not found (--no-callgrind)" >&2; exit 1; }
  for v in "${variants[@]}"; do
    f=$out/slots-callgrind.$v.out
    # libwhence.a is built with the default DWARF 5, which valgrind 3.19
    # cannot read: measure a copy without debug info (symbols stay, for
    # --toggle-collect; the code is the same bytes).
    /usr/lib/llvm-19/bin/llvm-objcopy --strip-debug "$build/bin/bench_slots_$v" "$out/slots-bin.$v"
    valgrind --tool=callgrind --toggle-collect=bench_kernels --callgrind-out-file="$f" \
      "$out/slots-bin.$v" "$cg_scale" >/dev/null 2>"$out/slots-callgrind.$v.log" ||
      { echo "bench-slots.sh: callgrind failed, see $out/slots-callgrind.$v.log" >&2; exit 1; }
    ir=$(awk '/^summary:/ {print $2}' "$f")
    calls=$(awk -F'[= ]' '/^calls=/ {s += $2} END {print s + 0}' "$f")
    incl=$(callgrind_annotate --inclusive=yes "$f" 2>/dev/null)
    irf=$(awk '/[?]:fib \[/ {gsub(",", "", $1); print $1; exit}' <<<"$incl")
    iri=$(awk '/[?]:interp \[/ {gsub(",", "", $1); print $1; exit}' <<<"$incl")
    echo "$v $ir $calls ${irf:-0} ${iri:-0}" >>"$cg"
  done
fi

/usr/bin/env python3 - "$raw" "$cg" "$rounds" "$scale" "$cg_scale" <<'EOF'
import statistics, sys
raw, cg, rounds, scale, cg_scale = sys.argv[1:6]
t = {}
checks = {}
for line in open(raw):
    p = line.split()
    if p[0] == "check":
        checks[p[1]] = " ".join(p[2:])
        continue
    if len(p) == 3 and p[1].endswith("_ns"):
        t.setdefault(p[0], {}).setdefault(p[1], []).append(int(p[2]))
c = {}
for line in open(cg):
    v, ir, calls, irf, iri = line.split()
    c[v] = dict(ir=int(ir), calls=int(calls), fib=int(irf), interp=int(iri))
order = ["o0_base", "o0_noslots", "o0_slots", "o2_base", "o2_noslots", "o2_slots", "o2_sites"]
label = {
    "o0_base": "-O0 -g, no plugin",
    "o0_noslots": "-O0 -g, plugin, WHENCE_SLOTS=0",
    "o0_slots": "-O0 -g, plugin (default: slots on)",
    "o2_base": "-O2 -gline-tables-only, no plugin",
    "o2_noslots": "-O2 -gline-tables-only, plugin, sites off, slots off",
    "o2_slots": "-O2 -gline-tables-only, plugin, sites off, WHENCE_SLOTS=1",
    "o2_sites": "-O2 -gline-tables-only, plugin (default: sites on, slots off)",
}
def med(v, k):
    return statistics.median(t[v][k]) / 1e6
def refs(v):
    return v[:2] + "_base", v[:2] + "_noslots"
print(f"Wall-clock: median of {rounds} alternating rounds, fib({scale}) + interpreter "
      "(CLOCK_MONOTONIC around each kernel).\n")
print("| build | fib ms | interp ms | total ms | total / no plugin | total / slots off "
      "| fib / no plugin | fib / slots off |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for v in order:
    base, nos = refs(v)
    tot, fb = med(v, "total_ns"), med(v, "fib_ns")
    print(f"| {label[v]} | {fb:.1f} | {med(v, 'interp_ns'):.1f} | {tot:.1f} "
          f"| {tot / med(base, 'total_ns'):.2f} | {tot / med(nos, 'total_ns'):.2f} "
          f"| {fb / med(base, 'fib_ns'):.2f} | {fb / med(nos, 'fib_ns'):.2f} |")
if c:
    print(f"\nCallgrind: instructions of the kernels only (--toggle-collect=bench_kernels), "
          f"fib({cg_scale}) + interpreter; calls = calls executed in them.\n")
    print("| build | fib instr | interp instr | total instr | total / no plugin | total / slots off "
          "| fib / slots off | interp / slots off | calls | extra instr per call vs slots off |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for v in order:
        base, nos = refs(v)
        x, b, n = c[v], c[base], c[nos]
        per = (x["ir"] - n["ir"]) / x["calls"] if x["calls"] else 0
        print(f"| {label[v]} | {x['fib']:,} | {x['interp']:,} | {x['ir']:,} "
              f"| {x['ir'] / b['ir']:.3f} | {x['ir'] / n['ir']:.3f} "
              f"| {x['fib'] / n['fib']:.3f} | {x['interp'] / n['interp']:.3f} "
              f"| {x['calls']:,} | {per:.2f} |")
print()
for v in order:
    if v in checks:
        print(f"- {v}: {checks[v]}")
EOF
