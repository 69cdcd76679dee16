#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# bench-gc.sh: libwhence-gc's benchmarks, side by side with Go (docs/GC.md).
#
#   scripts/bench-gc.sh [--runs N] [--n N] [--no-go] [--no-callgrind]
#                       [--no-build] [--table] [--lua]
#
# 1. whence_set_finalizer + collection for --n objects (default 1e6) vs Go's
#    runtime.SetFinalizer + runtime.GC on the same work: ns per object
#    (medians of --runs repeats, default 5) and the ratio; objects reachable
#    until setup ends ("fin") and garbage as soon as made ("garbage", 1e5 and
#    2e5: shows how the cost grows with the number of queued finalizers).
# 2. What the stack-liveness clearing costs: bench_gc work built with
#    WHENCE_LIVENESS=1 vs 0, at -O2 and -O0: wall-clock medians of --runs
#    processes; then valgrind --tool=callgrind instruction counts of
#    bench_gc built three ways (WHENCE_LIVENESS=0, 1 = the default, strict)
#    at -O2 and -O0, on "work 1" and on the finalizer-heavy "fin 100000 1"
#    (on copies without debug info: the static runtime libraries carry
#    DWARF 5, which valgrind 3.19 cannot read).
# --lua: instead, the same three ways for Lua 5.4 (Debian's source package,
#    fetched with apt-get source as scripts/realworld.sh does), forced on
#    with WHENCE_LIVENESS: the interpreter as shipped (it never calls
#    whence_gc), and built as one module whose GC step may call whence_gc
#    (the call graph of a runtime that collects through whence-gc: there
#    nearly every function can reach whence_gc, which is what strict mode's
#    scope depends on), once with the whence_gc call right in the GC step
#    (inlined into its callers: "one") and once through a noinline
#    function ("one-ni").  Callgrind instructions of bench/realworld's
#    lua-binary-trees 12, lua-fib 24 and lua-strings 1, and .text sizes.
# --table: instead, build every lit/gc/liveness-*.c at -O0/-O2 with the
#    plugin (default and strict) and without it, and print which cases are
#    finalized (docs/GC.md).
#
# Build directory: $WHENCE_BUILD_DIR or build/.  Go builds offline (stdlib
# only) into <build>/gcbench-go.  Raw results: <build>/bench-gc-results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
runs=5 n=1000000 go=1 callgrind=1 do_build=1 table=0 lua=0
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --n) n=$2; shift ;;
    --no-go) go=0 ;;
    --no-callgrind) callgrind=0 ;;
    --no-build) do_build=0 ;;
    --table) table=1 ;;
    --lua) lua=1 ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
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
  cfgs="p0 p2 s0 s2 n0 n2"
  printf '%-24s %-13s %-13s %-13s %-13s %-13s %-13s\n' case "plugin -O0" "plugin -O2" \
    "strict -O0" "strict -O2" "none -O0" "none -O2"
  for src in "$root"/lit/gc/liveness-*.c; do
    for cfg in $cfgs; do
      o=${cfg#?}; plug=(); env=(WHENCE_LIVENESS=auto)
      case $cfg in p*) plug=(-fpass-plugin="$lib/whence-pass.so") ;;
                   s*) plug=(-fpass-plugin="$lib/whence-pass.so"); env=(WHENCE_LIVENESS=strict) ;; esac
      env "${env[@]}" "$cc" -O"$o" -gline-tables-only "${plug[@]}" -I"$root/lit/gc/Inputs" \
        -I"$root/runtime/include" "$src" -o "$tmp/t" -L"$lib" -Wl,-rpath,"$lib" \
        -lwhence-gc -lwhence -lgc -lpthread 2>/dev/null
      "$tmp/t" >"$tmp/$cfg.out" 2>&1 || true
    done
    # one row per reported case: "name: finalized|not finalized|collected at phase..."
    grep -hoE '^[a-z0-9-]+: (finalized|not finalized|collected at phase -?[0-9]+)' "$tmp/p0.out" |
      sed 's/:.*//' | while read -r c; do
        row=$(printf '%-24s' "$c")
        for cfg in $cfgs; do
          v=$(grep -m1 "^$c: " "$tmp/$cfg.out" | sed "s/^$c: //; s/collected at phase /phase /; s/ (Go.*//; s/ (.*//")
          row+=$(printf ' %-13s' "${v:-?}")
        done
        echo "$row"
      done
  done
  exit 0
fi

ratio4() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%+.3f%%", (a / b - 1) * 100; else print "-" }'; }
ir() { awk '/^summary:/ { print $2 }' "$1"; }

if [ $lua = 1 ]; then
  command -v valgrind >/dev/null || { echo "bench-gc.sh: --lua needs valgrind" >&2; exit 1; }
  work=${WHENCE_RW_DIR:-/tmp/whence-rw}
  mkdir -p "$work"/{src,logs}
  # shellcheck source=../bench/realworld/lib.sh
  . "$root/bench/realworld/lib.sh"
  rw_need dpkg-dev && rw_deb_src || exit 1
  tree=$(rw_fetch lua5.4) || exit 1
  out=$build/bench-gc-results/lua
  rm -rf "$out" && mkdir -p "$out/lib" "$out/run"
  # valgrind 3.19 cannot read the DWARF 5 of our own libraries.
  objcopy --strip-debug "$lib/libwhence.so" "$out/lib/libwhence.so"
  objcopy --strip-debug "$lib/libwhence-gc.so" "$out/lib/libwhence-gc.so"
  # Lua's string hashes are seeded from the clock: a fixed seed makes the
  # instruction counts repeatable.
  cf=(-std=gnu99 -O2 -gdwarf-4 -gline-tables-only -fpass-plugin="$lib/whence-pass.so" "-Dluai_makeseed(L)=0U")
  ld=(-L"$lib" -Wl,-rpath,"$lib" -lwhence)
  # One module: every core and library file included into one, with
  # luaC_step calling whence_gc when asked to (never, here): "one" calls it
  # right there (so the call is inlined wherever luaC_step is), "one-ni"
  # through a noinline function.
  for kind in one one-ni; do
    mkdir -p "$out/$kind"
    cp "$tree"/src/*.c "$tree"/src/*.h "$out/$kind/"
    echo "#define DEB_HOST_MULTIARCH \"$(dpkg-architecture -qDEB_HOST_MULTIARCH)\"" >"$out/$kind/lua5.4-deb-multiarch.h"
    call=whence_gc; [ $kind = one-ni ] && call=collect_through_whence
    sed -i "s/^void luaC_step (lua_State \\*L) {/&\\n  if (whence_collect_now) $call();/" "$out/$kind/lgc.c"
    grep -q whence_collect_now "$out/$kind/lgc.c" || { echo "bench-gc.sh: could not hook luaC_step" >&2; exit 1; }
    {
      echo '#define MAKE_LUA'
      echo '#define LUA_USE_LINUX'
      echo '#include "lprefix.h"'
      echo '#include "whence_gc.h"'
      echo 'static volatile int whence_collect_now;'
      echo 'static __attribute__((noinline)) void collect_through_whence(void) { whence_gc(); }'
      for f in lzio lctype lopcodes lmem lundump ldump lstate lgc llex lcode lparser ldebug lfunc \
               lobject ltm lstring ltable ldo lvm lapi lauxlib lbaselib lcorolib ldblib liolib \
               lmathlib loadlib loslib lstrlib ltablib lutf8lib linit lua; do
        echo "#include \"$f.c\""
      done
    } >"$out/$kind/onelua.c"
  done
  for v in 0 1 strict; do
    d=$out/lua-$v
    cp -a "$tree" "$d"
    (cd "$d" && patch -sR -p1 <debian/patches/0001-build-system.patch &&
       echo "#define DEB_HOST_MULTIARCH \"$(dpkg-architecture -qDEB_HOST_MULTIARCH)\"" >src/lua5.4-deb-multiarch.h &&
       env WHENCE_LIVENESS=$v make -s -C src -j2 linux-noreadline CC="$cc" \
         MYCFLAGS="${cf[*]:0:${#cf[@]}-1} '${cf[-1]}'" \
         MYLDFLAGS="${ld[*]}" MYLIBS=) >"$out/lua-$v.log" 2>&1 ||
      { echo "bench-gc.sh: lua build ($v) failed: $out/lua-$v.log" >&2; exit 1; }
    cp "$d/src/lua" "$out/lua.$v"
    for kind in one one-ni; do
      env WHENCE_LIVENESS=$v "$cc" "${cf[@]}" -I"$root/runtime/include" -I"$out/$kind" "$out/$kind/onelua.c" \
        -o "$out/$kind.$v" "${ld[@]}" -lwhence-gc -lgc -lm -ldl -lpthread >"$out/$kind-$v.log" 2>&1 ||
        { echo "bench-gc.sh: one-module lua build ($kind, $v) failed: $out/$kind-$v.log" >&2; exit 1; }
    done
  done
  S=$root/bench/realworld
  echo "== Lua 5.4, callgrind instructions: clearing off / on (default) / strict"
  printf '%-22s %-12s %13s %13s %13s %9s %9s\n' "" "" off on strict "on" strict
  for kind in lua one one-ni; do
    for t in "lua-binary-trees.lua 12" "lua-fib.lua 24" "lua-strings.lua 1"; do
      set -- $t
      for v in 0 1 strict; do
        # The same path every time: argv[0] is part of what Lua allocates.
        cp "$out/$kind.$v" "$out/run/lua"
        (cd "$out/run" && LD_LIBRARY_PATH=$out/lib valgrind --tool=callgrind \
           --callgrind-out-file="$out/cg.$kind.$v.$1" ./lua "$S/$1" "$2" >/dev/null 2>"$out/cg.$kind.$v.$1.log")
      done
      a=$(ir "$out/cg.$kind.0.$1"); b=$(ir "$out/cg.$kind.1.$1"); c=$(ir "$out/cg.$kind.strict.$1")
      printf '%-22s %-12s %13s %13s %13s %9s %9s\n' "${1%.lua}" "$kind" "$a" "$b" "$c" "$(ratio4 "$b" "$a")" "$(ratio4 "$c" "$a")"
    done
    tx() { printf '%d' "0x$(readelf -SW "$1" | awk '$2 == ".text" { print $6 }')"; }
    a=$(tx "$out/$kind.0"); b=$(tx "$out/$kind.1"); c=$(tx "$out/$kind.strict")
    printf '%-22s %-12s %13s %13s %13s %9s %9s\n' ".text bytes" "$kind" "$a" "$b" "$c" "$(ratio4 "$b" "$a")" "$(ratio4 "$c" "$a")"
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
  echo "== callgrind instructions, bench_gc: clearing off / on (default) / strict"
  printf '%-24s %15s %15s %15s %9s %9s\n' "" off on strict "on" strict
  for lvl in O2 O0; do
    for v in 0 1 strict; do
      env WHENCE_LIVENESS=$v "$cc" -$lvl -fno-omit-frame-pointer -fpass-plugin="$lib/whence-pass.so" \
        -I"$root/bench" -I"$root/runtime/include" "$root/bench/bench_gc.c" -o "$out/cg-bench.$lvl.$v" \
        "$lib/libwhence-gc.a" "$lib/libwhence.a" -lgc -lpthread -ldl 2>/dev/null
      objcopy --strip-debug "$out/cg-bench.$lvl.$v"
    done
    for mode in "work 1" "fin 100000 1"; do
      for v in 0 1 strict; do
        valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$lvl.$v.${mode%% *}" \
          "$out/cg-bench.$lvl.$v" $mode >/dev/null 2>"$out/callgrind.$lvl.$v.log"
      done
      a=$(ir "$out/callgrind.$lvl.0.${mode%% *}"); b=$(ir "$out/callgrind.$lvl.1.${mode%% *}")
      c=$(ir "$out/callgrind.$lvl.strict.${mode%% *}")
      printf '%-24s %15s %15s %15s %9s %9s\n' "-$lvl $mode" "$a" "$b" "$c" "$(ratio4 "$b" "$a")" "$(ratio4 "$c" "$a")"
    done
  done
fi
