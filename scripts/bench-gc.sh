#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# bench-gc.sh: libwhence-gc's benchmarks, side by side with Go (docs/GC.md).
#
#   scripts/bench-gc.sh [--runs N] [--n N] [--no-go] [--no-callgrind]
#                       [--no-build] [--table]
#
# 1. whence_set_finalizer + collection for --n objects (default 1e6) vs Go's
#    runtime.SetFinalizer + runtime.GC on the same work: ns per object
#    (medians of --runs repeats, default 5) and the ratio; objects reachable
#    until setup ends ("fin") and garbage as soon as made ("garbage", 1e5 and
#    2e5: shows how the cost grows with the number of queued finalizers).
# 2. What the stack-liveness clearing costs: bench_gc work built with
#    WHENCE_LIVENESS=1 vs 0, at -O2 and -O0: wall-clock medians of --runs
#    processes, and valgrind --tool=callgrind instruction counts (on copies
#    without debug info: the static runtime libraries carry DWARF 5, which
#    valgrind 3.19 cannot read; the bench itself has -gdwarf-4 before
#    -gline-tables-only).
# --table: instead, build every lit/gc/liveness-*.c at -O0/-O2 with and
#    without the plugin and print which cases are finalized (docs/GC.md).
#
# Build directory: $WHENCE_BUILD_DIR or build/.  Go builds offline (stdlib
# only) into <build>/gcbench-go.  Raw results: <build>/bench-gc-results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
runs=5 n=1000000 go=1 callgrind=1 do_build=1 table=0
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --n) n=$2; shift ;;
    --no-go) go=0 ;;
    --no-callgrind) callgrind=0 ;;
    --no-build) do_build=0 ;;
    --table) table=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "bench-gc.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ $do_build = 1 ]; then
  mkdir -p "$build"
  "$root/scripts/build.sh" "$build" >"$build/bench-gc-build.log" 2>&1 ||
    cmake --build "$build" --target whence-pass whence_gc_shared whence_shared bench-gc
fi
lib=$build/lib
cc=/usr/lib/llvm-19/bin/clang

if [ $table = 1 ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  printf '%-34s %-14s %-14s %-14s %-14s\n' case "plugin -O0" "plugin -O2" "none -O0" "none -O2"
  for src in "$root"/lit/gc/liveness-*.c; do
    for cfg in p0 p2 n0 n2; do
      o=${cfg#?}; plug=()
      [ "${cfg%?}" = p ] && plug=(-fpass-plugin="$lib/whence-pass.so")
      "$cc" -O"$o" -gline-tables-only "${plug[@]}" -I"$root/lit/gc/Inputs" -I"$root/runtime/include" \
        "$src" -o "$tmp/t" -L"$lib" -Wl,-rpath,"$lib" -lwhence-gc -lwhence -lgc -lpthread 2>/dev/null
      "$tmp/t" >"$tmp/$cfg.out" 2>&1 || true
    done
    # one row per reported case: "name: finalized|not finalized|collected at phase..."
    grep -hoE '^[a-z0-9-]+: (finalized|not finalized|collected at phase -?[0-9]+)' "$tmp/p0.out" |
      sed 's/:.*//' | while read -r c; do
        row=$(printf '%-34s' "$c")
        for cfg in p0 p2 n0 n2; do
          v=$(grep -m1 "^$c: " "$tmp/$cfg.out" | sed "s/^$c: //; s/collected at phase /phase /; s/ (Go.*//; s/ (.*//")
          row+=$(printf ' %-14s' "${v:-?}")
        done
        echo "$row"
      done
  done
  exit 0
fi

bin=$build/bin
out=$build/bench-gc-results
mkdir -p "$out"
for b in bench_gc bench_gc_noclear bench_gc_o0 bench_gc_o0_noclear; do
  [ -x "$bin/$b" ] || { echo "bench-gc.sh: $bin/$b is missing (needs libgc-dev and WHENCE_BUILD_BENCH)" >&2; exit 1; }
done

gobin=
if [ $go = 1 ] && command -v go >/dev/null; then
  gout=$build/gcbench-go
  mkdir -p "$gout"
  (cd "$root/bench/go/gcbench" && unset GOTOOLCHAIN &&
    GOFLAGS=-mod=mod GOCACHE="$gout/gocache" GOPATH="$gout/gopath" GOPROXY=off GO111MODULE=on \
      go build -o "$gout/gcbench" .)
  gobin=$gout/gcbench
fi

# median KEY FILE: median of the values of KEY in FILE.
median() {
  awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$2" 2>/dev/null | sort -g |
    awk '{ v[n++] = $1 } END { if (!n) { print "-"; exit }
      m = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2; printf "%.1f", m }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }

echo "== finalizers: $n objects (32 bytes), ns per object, medians of $runs repeats"
"$bin/bench_gc" fin "$n" "$runs" >"$out/c-fin.txt"
[ -n "$gobin" ] && "$gobin" fin "$n" "$runs" >"$out/go-fin.txt"
for g in 100000 200000; do
  "$bin/bench_gc" garbage "$g" 3 >"$out/c-garbage-$g.txt"
  [ -n "$gobin" ] && "$gobin" garbage "$g" 3 >"$out/go-garbage-$g.txt"
done
printf '%-44s %12s %12s %8s\n' "" "whence" "Go 1.19" "ratio"
row() { # label key cfile gofile
  local c g
  c=$(median "$2" "$3")
  g=-; [ -n "$gobin" ] && g=$(median "$2" "$4")
  printf '%-44s %12s %12s %8s\n' "$1" "$c" "$g" "$(ratio "$c" "$g")"
}
row "alloc + set finalizer (reachable)" fin.setup "$out/c-fin.txt" "$out/go-fin.txt"
row "collect until all finalized" fin.collect "$out/c-fin.txt" "$out/go-fin.txt"
row "total with finalizers" fin.total "$out/c-fin.txt" "$out/go-fin.txt"
row "total without finalizers (baseline)" nofin.total "$out/c-fin.txt" "$out/go-fin.txt"
for g in 100000 200000; do
  row "garbage at once, $g objects: total" gfin.total "$out/c-garbage-$g.txt" "$out/go-garbage-$g.txt"
done

echo
echo "== stack-liveness clearing: bench_gc work, clearing on vs off"
printf '%-8s %14s %14s %8s\n' "" "on (ms)" "off (ms)" "ratio"
for pair in "-O2:bench_gc:bench_gc_noclear" "-O0:bench_gc_o0:bench_gc_o0_noclear"; do
  IFS=: read -r lvl on off <<<"$pair"
  : >"$out/work-$on.txt"; : >"$out/work-$off.txt"
  for i in $(seq "$runs"); do
    "$bin/$on" work 4 >>"$out/work-$on.txt"
    "$bin/$off" work 4 >>"$out/work-$off.txt"
  done
  a=$(median work.ms "$out/work-$on.txt"); b=$(median work.ms "$out/work-$off.txt")
  printf '%-8s %14s %14s %8s\n' "$lvl" "$a" "$b" "$(ratio "$a" "$b")"
done

if [ $callgrind = 1 ] && command -v valgrind >/dev/null; then
  echo
  echo "== callgrind instructions (bench_gc work 1), clearing on vs off"
  printf '%-8s %16s %16s %8s\n' "" "on (Ir)" "off (Ir)" "ratio"
  for pair in "-O2:bench_gc:bench_gc_noclear" "-O0:bench_gc_o0:bench_gc_o0_noclear"; do
    IFS=: read -r lvl on off <<<"$pair"
    for b in "$on" "$off"; do
      # The static runtime libraries carry DWARF 5, which valgrind 3.19
      # cannot read; instruction counts need no debug info.
      objcopy --strip-debug "$bin/$b" "$out/$b.nodebug"
      valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$b" "$out/$b.nodebug" work 1 \
        >/dev/null 2>"$out/callgrind.$b.log"
    done
    ir() { awk '/^summary:/ { print $2 }' "$out/callgrind.$1"; }
    a=$(ir "$on"); b=$(ir "$off")
    printf '%-8s %16s %16s %8s\n' "$lvl" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f", a / b }')"
  done
fi
