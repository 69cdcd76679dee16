#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# bench-compile.sh [--runs N] [--no-sqlite] [--callgrind]: what the pass costs
# at compile time (docs/BENCH.md), as ratios measured in this run:
#   - one basic block of 10,000 and of 70,000 calls (generated code: test
#     tables, parsers, initialisers), -O2 -gline-tables-only: the target is
#     linear growth, 70,000 calls within 1.5x the time without the plugin;
#   - sqlite3.c (the amalgamation, from Debian's source package, built as
#     scripts/bench-realworld.sh does), -O2 -gline-tables-only: target +2%.
# Each compile runs N times (default 3) alternating with and without the
# plugin; the median user+sys CPU time is reported.  --callgrind also counts
# the instructions of the 10,000-call compile (exact; a few minutes).
# Not a test: timings on a shared machine move by several percent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
runs=3 sqlite=1 callgrind=0
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --no-sqlite) sqlite=0 ;;
    --callgrind) callgrind=1 ;;
    -h|--help) sed -n '3,14p' "$0"; exit 0 ;;
    *) echo "bench-compile.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
CC=/usr/lib/llvm-19/bin/clang
plugin=$build/lib/whence-pass.so
[ -f "$plugin" ] || { echo "bench-compile.sh: build $build first (scripts/build.sh)" >&2; exit 2; }
work=$(mktemp -d /tmp/whence-compile.XXXXXX)
trap 'rm -rf "$work"' EXIT

gen() { # N FILE: one function with N calls in one block
  python3 - "$1" >"$2" <<'EOF'
import sys
n = int(sys.argv[1])
print("void f(int);\nvoid big(void) {")
for i in range(n):
    print("  f(%d);" % i)
print("}")
EOF
}

cpu() { # FILE FLAGS...: user+sys seconds of one compile
  local f=$1; shift
  local t
  t=$( { TIMEFORMAT='%U %S'; time "$CC" -O2 -gline-tables-only "$@" -c "$f" -o /dev/null 2>/dev/null; } 2>&1 )
  awk '{ printf "%.3f\n", $1 + $2 }' <<<"$t"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

measure() { # NAME FILE [INCLUDE FLAGS]
  local name=$1 file=$2; shift 2
  : >"$work/base" && : >"$work/plug"
  for ((r = 0; r < runs; r++)); do
    cpu "$file" "$@" >>"$work/base"
    cpu "$file" "$@" -fpass-plugin="$plugin" >>"$work/plug"
  done
  local b p
  b=$(median <"$work/base")
  p=$(median <"$work/plug")
  awk -v n="$name" -v b="$b" -v p="$p" \
    'BEGIN { printf "| %s | %.2f | %.2f | %.2fx |\n", n, b, p, p / b }'
}

echo "| compile (-O2 -gline-tables-only) | without plugin, s | with plugin, s | ratio |"
echo "|---|---:|---:|---:|"
for n in 10000 70000; do
  gen $n "$work/calls$n.c"
  measure "one block of $n calls" "$work/calls$n.c"
done
if [ $sqlite = 1 ]; then
  amalg=${WHENCE_SQLITE_AMALG:-}
  if [ -z "$amalg" ]; then
    # shellcheck source=../bench/realworld/lib.sh
    source "$root/bench/realworld/lib.sh"
    work_rw=${WHENCE_RW_DIR:-/tmp/whence-rw}
    work=$work_rw rw_need tcl >/dev/null 2>&1 || true
    sq=$(work=$work_rw rw_fetch sqlite3)
    mkdir -p "$work_rw/sqlite-amalg"
    if [ ! -f "$work_rw/sqlite-amalg/sqlite3.c" ]; then
      (cd "$work_rw/sqlite-amalg" && "$sq/configure" >/dev/null && make sqlite3.c) >"$work/amalg.log" 2>&1 ||
        { echo "bench-compile.sh: making sqlite3.c failed (see $work/amalg.log); set WHENCE_SQLITE_AMALG" >&2; exit 1; }
    fi
    amalg=$work_rw/sqlite-amalg/sqlite3.c
  fi
  measure "sqlite3.c" "$amalg" -I"$(dirname "$amalg")"
fi

if [ $callgrind = 1 ]; then
  # valgrind 3.19 cannot read the plugin's DWARF 5: a copy without it.
  objcopy=/usr/lib/llvm-19/bin/llvm-objcopy
  "$objcopy" --strip-debug "$plugin" "$work/plugin.so"
  for v in base plug; do
    extra=()
    [ $v = plug ] && extra=(-fpass-plugin="$work/plugin.so")
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.$v" --trace-children=yes \
      "$CC" -O2 -gline-tables-only -fintegrated-cc1 "${extra[@]}" -c "$work/calls10000.c" -o /dev/null \
      >/dev/null 2>"$work/cg.$v.log" || true
  done
  b=$(grep -h "Collected" "$work"/cg.base.log | awk '{ gsub(",", "", $NF); s += $NF } END { print s }')
  p=$(grep -h "Collected" "$work"/cg.plug.log | awk '{ gsub(",", "", $NF); s += $NF } END { print s }')
  awk -v b="$b" -v p="$p" 'BEGIN { printf "\ncallgrind, one block of 10000 calls: %d vs %d instructions, %.2fx\n", b, p, p / b }'
fi
