#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# bench-exceptions.sh [BUILD_DIR]: what whence's C++ exception stacks add to
# a throw caught 10 frames up (bench/bench_exceptions.cpp; target: <= +10%,
# ../shared/design/targets.md).  Prints the benchmark's own timings (medians
# of alternating rounds, same process), then, when valgrind is installed,
# instructions per throw-catch with and without the recorded stack
# (callgrind's inclusive counts of cg_whence and cg_baseline), which do not
# depend on the machine's load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
bin=$build/bin/bench_exceptions
[ -x "$bin" ] || cmake --build "$build" --target bench_exceptions >/dev/null
echo "== timings (ns per throw-catch, 10 frames)"
"$bin" 21 20000
if command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
  n=2000
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  # Debian's valgrind 3.19 cannot read the DWARF 5 of libwhence's objects:
  # a copy without debug info (the symbols name cg_whence/cg_baseline).
  /usr/lib/llvm-19/bin/llvm-strip --strip-debug "$bin" -o "$out/bench"
  valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$out/bench" --callgrind $n \
    >/dev/null 2>"$out/cg.log"
  callgrind_annotate --inclusive=yes "$out/cg.out" 2>/dev/null >"$out/ann.txt"
  ir() { awk -v f="$1" '$0 ~ f"[ (]" || $0 ~ f"$" { gsub(",", "", $1); print $1; exit }' "$out/ann.txt"; }
  w=$(ir cg_whence) b=$(ir cg_baseline)
  echo "== callgrind (instructions per throw-catch, 10 frames, $n each)"
  awk -v w="$w" -v b="$b" -v n=$n 'BEGIN {
    printf "throw_catch_10.baseline_ir\t%.0f\nthrow_catch_10.whence_ir\t%.0f\nthrow_catch_10.whence_ir_ratio\t%.3f\n",
      b / n, w / n, w / b }'
fi
