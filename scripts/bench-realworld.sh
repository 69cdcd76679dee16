#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# bench-realworld.sh: what whence costs real programs that never ask it
# anything.  Builds Lua 5.4, zstd, zlib (with a compression loop) and SQLite
# (speedtest1 on the amalgamation) from their Debian source packages in
# several variants, runs CPU-bound workloads alternately, and prints ONE table:
# runtime ratios (medians), callgrind instruction ratios, code size, record
# size against the line tables, and compile time of the largest translation
# unit (sqlite3.c).  docs/REALWORLD.md records a run and explains the columns.
#
#   scripts/bench-realworld.sh [--work DIR] [--runs N] [--compile-runs N]
#                              [--no-callgrind] [--quick] [--markdown] [--no-build]
#
#   --work DIR        sources, builds, data, results (default: $WHENCE_RW_DIR or /tmp/whence-rw)
#   --runs N          alternating runs of every workload in every variant (default 7)
#   --compile-runs N  alternating compiles of each large TU per variant (default 2)
#   --no-callgrind    skip the callgrind instruction counts
#   --quick           --runs 3 --compile-runs 1, smaller workloads (a smoke run)
#   --markdown        print the table as Markdown (for docs/REALWORLD.md)
#   --no-build        reuse the variant builds and data in --work
#
# Variants (all -O2 -gline-tables-only, DWARF 5, clang 19):
#   base     plain -O2                                   (the target's baseline)
#   fp       -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer (second baseline)
#   fpnl     -fno-omit-frame-pointer -momit-leaf-frame-pointer    (what the pass sets)
#   fpnlnt   fpnl -fno-optimize-sibling-calls                     (+ no tail calls)
#   records  the plugin with WHENCE_SITES=0 WHENCE_SLOTS=0: function records,
#            non-leaf frame pointers and no tail calls, no call-site labels
#   whence   the plugin as a user gets it (call-site labels on)
# base -> fpnl -> fpnlnt -> records -> whence splits the cost by cause.
# callgrind runs on copies with the debug sections stripped (valgrind 3.19
# cannot read DWARF 5; the code is the same bytes).  Whence build:
# $WHENCE_BUILD_DIR or build-rw/.  Raw results: <work>/bench/results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build-rw}
work=${WHENCE_RW_DIR:-/tmp/whence-rw}
runs=7 compile_runs=2 callgrind=1 quick=0 markdown=0 do_build=1
while [ $# -gt 0 ]; do
  case $1 in
    --work) work=$2; shift ;;
    --runs) runs=$2; shift ;;
    --compile-runs) compile_runs=$2; shift ;;
    --no-callgrind) callgrind=0 ;;
    --quick) quick=1; runs=3; compile_runs=1 ;;
    --markdown) markdown=1 ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) echo "bench-realworld.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
# shellcheck source=../bench/realworld/lib.sh
. "$root/bench/realworld/lib.sh"

llvm=/usr/lib/llvm-19/bin
CC=$llvm/clang
B=$work/bench
res=$B/results
variants=(base fp fpnl fpnlnt records whence)
plugin=$build/lib/whence-pass.so

vflags() { # VARIANT -> compiler flags
  local f="-O2 -gline-tables-only"
  case $1 in
    base) echo "$f" ;;
    fp) echo "$f -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer" ;;
    fpnl) echo "$f -fno-omit-frame-pointer -momit-leaf-frame-pointer" ;;
    fpnlnt) echo "$f -fno-omit-frame-pointer -momit-leaf-frame-pointer -fno-optimize-sibling-calls" ;;
    records|whence) echo "$f -fpass-plugin=$plugin" ;;
  esac
}
venv() { # VARIANT -> environment for the compiler
  case $1 in
    records) echo "WHENCE_SITES=0 WHENCE_SLOTS=0" ;;
    *) echo "WHENCE_BENCH_VARIANT=$1" ;;
  esac
}
vldflags() { # VARIANT -> link flags
  case $1 in
    records|whence) echo "-L$B/lib -Wl,-rpath,$B/lib -lwhence" ;;
    *) echo "" ;;
  esac
}

# ---- build ------------------------------------------------------------------
build_variant() { # VARIANT: lua, zstd, zloop, speedtest1 in $B/$v/bin
  local v=$1 d=$B/$1 cf ld
  cf=$(vflags "$v"); ld=$(vldflags "$v")
  rm -rf "$d" && mkdir -p "$d/bin"
  # Lua: upstream's makefile (Debian's libtool build-system patch reverted).
  rw_fresh lua5.4 "$d/lua" >/dev/null
  (cd "$d/lua" && patch -sR -p1 <debian/patches/0001-build-system.patch &&
     echo "#define DEB_HOST_MULTIARCH \"$(dpkg-architecture -qDEB_HOST_MULTIARCH)\"" >src/lua5.4-deb-multiarch.h &&
     env $(venv "$v") make -s -C src -j"$(nproc)" linux-noreadline CC="$CC -std=gnu99" \
       MYCFLAGS="$cf" MYLDFLAGS="$ld" MYLIBS=) >"$d/lua.log" 2>&1 ||
    { echo "lua build ($v) failed: $d/lua.log" >&2; return 1; }
  cp "$d/lua/src/lua" "$d/bin/lua"
  # zstd: upstream's makefile, the CLI (library compiled in), as Debian does.
  rw_fresh libzstd "$d/zstd" >/dev/null
  (cd "$d/zstd" && env $(venv "$v") CC="$CC" CFLAGS="$cf" LDFLAGS="$ld" make -s -C programs -j"$(nproc)" zstd) \
    >"$d/zstd.log" 2>&1 || { echo "zstd build ($v) failed: $d/zstd.log" >&2; return 1; }
  cp "$d/zstd/programs/zstd" "$d/bin/zstd"
  # zlib: static library + bench/realworld/zloop.c.
  rw_fresh zlib "$d/zlib" >/dev/null
  (cd "$d/zlib" && env $(venv "$v") CC="$CC" CFLAGS="$cf" ./configure --static >/dev/null &&
     env $(venv "$v") make -s -j"$(nproc)" libz.a &&
     env $(venv "$v") $CC $cf -I. "$root/bench/realworld/zloop.c" libz.a $ld -o "$d/bin/zloop") \
    >"$d/zlib.log" 2>&1 || { echo "zlib build ($v) failed: $d/zlib.log" >&2; return 1; }
  # SQLite: the amalgamation (generated once) + test/speedtest1.c.
  (cd "$d" && env $(venv "$v") $CC $cf -I"$B/amalg" -c "$B/amalg/sqlite3.c" -o sqlite3.o &&
     env $(venv "$v") $CC $cf -I"$B/amalg" "$B/amalg/speedtest1.c" sqlite3.o $ld -lm -lpthread -ldl \
       -o bin/speedtest1) >"$d/sqlite.log" 2>&1 || { echo "sqlite build ($v) failed: $d/sqlite.log" >&2; return 1; }
}

if [ $do_build = 1 ]; then
  rw_need dpkg-dev tcl valgrind
  rw_deb_src
  rw_log "building whence in $build"
  "$root/scripts/build.sh" "$build" >"$work/whence-build.log" 2>&1 ||
    { echo "bench-realworld.sh: whence build failed, see $work/whence-build.log" >&2; exit 1; }
  rm -rf "$B" && mkdir -p "$B/lib" "$B/data" "$res"
  # libwhence without its debug sections: the same code for timing and for
  # valgrind (which cannot read DWARF 5).
  cp "$build/lib/libwhence.so" "$B/lib/" && strip --strip-debug "$B/lib/libwhence.so"
  rw_log "SQLite amalgamation (make sqlite3.c)"
  sq=$(rw_fetch sqlite3)
  mkdir -p "$B/amalg-build"
  (cd "$B/amalg-build" && "$sq/configure" >/dev/null && make sqlite3.c) >"$B/amalg.log" 2>&1 ||
    { echo "bench-realworld.sh: sqlite3.c failed, see $B/amalg.log" >&2; exit 1; }
  mkdir -p "$B/amalg"
  cp "$B/amalg-build/sqlite3.c" "$B/amalg-build/sqlite3.h" "$sq/test/speedtest1.c" "$B/amalg/"
  for v in "${variants[@]}"; do
    rw_log "building variant $v ($(vflags "$v") $(venv "$v"))"
    build_variant "$v"
  done
  # Data: zstd's own generator (compressibility 50%, the zstd test default).
  rw_log "generating data"
  (cd "$B/base/zstd" && make -s -C tests datagen CFLAGS=-O2) >"$B/datagen.log" 2>&1
  dg=$B/base/zstd/tests/datagen
  "$dg" -g96M -s1 >"$B/data/d96M"
  "$dg" -g24M -s2 >"$B/data/d24M"
  "$dg" -g4M -s3 >"$B/data/d4M"
  "$dg" -g1M -s4 >"$B/data/d1M"
  for f in d96M d4M; do "$B/base/bin/zstd" -q -T1 -3 -c "$B/data/$f" >"$B/data/$f.zst"; done
  # decompression input: 8 frames of the 96M file (one .zst stream of 768 MiB)
  for _ in 1 2 3 4 5 6 7 8; do cat "$B/data/d96M.zst"; done >"$B/data/d768M.zst"
fi
mkdir -p "$res"
for v in "${variants[@]}"; do
  for p in lua zstd zloop speedtest1; do
    [ -x "$B/$v/bin/$p" ] || { echo "bench-realworld.sh: $B/$v/bin/$p missing (run without --no-build)" >&2; exit 1; }
  done
done

# ---- workloads: name | program | timing args | callgrind args -------------------
S=$root/bench/realworld D=$B/data
if [ $quick = 1 ]; then sz=(28 14 2 d24M d96M.zst d4M 10 10); else sz=(32 16 6 d96M d768M.zst d24M 40 30); fi
workloads=(
  "lua-fib|lua|$S/lua-fib.lua ${sz[0]}|$S/lua-fib.lua 22"
  "lua-binary-trees|lua|$S/lua-binary-trees.lua ${sz[1]}|$S/lua-binary-trees.lua 10"
  "lua-strings|lua|$S/lua-strings.lua ${sz[2]}|$S/lua-strings.lua 1"
  "zstd-compress-3|zstd|-q -T1 -3 -c $D/${sz[3]}|-q -T1 -3 -c $D/d1M"
  "zstd-decompress|zstd|-q -d -c $D/${sz[4]}|-q -d -c $D/d4M.zst"
  "zlib-deflate-6|zloop|c 6 1 $D/${sz[5]}|c 6 1 $D/d1M"
  "zlib-inflate|zloop|d ${sz[6]} $D/d24M|d 4 $D/d1M"
  "sqlite-speedtest1|speedtest1|--size ${sz[7]} --memdb|--size 2 --memdb"
)

raw=$res/raw.txt
: >"$raw"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cpus $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" >>"$raw"

# Same output in every variant (a build that computes something else is no
# comparison).
rw_log "checking outputs"
for w in "${workloads[@]}"; do
  IFS='|' read -r name prog _args cgargs <<<"$w"
  ref=
  for v in "${variants[@]}"; do
    # (the callgrind-sized workload; speedtest1's timing lines dropped)
    # shellcheck disable=SC2086
    sum=$("$B/$v/bin/$prog" $cgargs 2>&1 </dev/null | grep -av -e '[0-9.]s$' | md5sum | cut -c1-12)
    [ -z "$ref" ] && ref=$sum
    [ "$sum" = "$ref" ] || echo "bench-realworld.sh: WARNING: $name output differs in $v" >&2
  done
done

# ---- runtime: alternating runs ---------------------------------------------
nv=${#variants[@]}
rw_log "timing: $runs alternating runs x ${#workloads[@]} workloads x $nv variants"
for ((r = 0; r < runs; r++)); do
  for w in "${workloads[@]}"; do
    IFS='|' read -r name prog args _cg <<<"$w"
    for ((i = 0; i < nv; i++)); do
      v=${variants[$(((i + r) % nv))]}   # rotate the order every run
      # wall, user, sys seconds (the machine may be shared: CPU time is the
      # second opinion)
      tf=$res/time.tmp
      # shellcheck disable=SC2086
      ( TIMEFORMAT='%R %U %S'; time "$B/$v/bin/$prog" $args >/dev/null 2>&1 </dev/null ) 2>"$tf"
      read -r real user sys <"$tf"
      echo "time $name $v $r $real $user $sys" >>"$raw"
    done
  done
  rw_log "run $((r + 1))/$runs done"
done

# ---- callgrind -----------------------------------------------------------------
if [ $callgrind = 1 ]; then
  rw_log "callgrind: ${#workloads[@]} workloads x $nv variants (2 at a time)"
  mkdir -p "$res/cg"
  for v in "${variants[@]}"; do
    mkdir -p "$B/$v/cgbin"
    for p in lua zstd zloop speedtest1; do
      objcopy --strip-debug "$B/$v/bin/$p" "$B/$v/cgbin/$p"
    done
  done
  jobs_file=$res/cg/jobs
  : >"$jobs_file"
  for w in "${workloads[@]}"; do
    IFS='|' read -r name prog _args cgargs <<<"$w"
    for v in "${variants[@]}"; do
      echo "valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file=$res/cg/$name.$v.out $B/$v/cgbin/$prog $cgargs >/dev/null 2>$res/cg/$name.$v.log </dev/null" >>"$jobs_file"
    done
  done
  xargs -P 2 -I{} sh -c '{}' <"$jobs_file" || true
  for w in "${workloads[@]}"; do
    IFS='|' read -r name _rest <<<"$w"
    for v in "${variants[@]}"; do
      ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$res/cg/$name.$v.out" 2>/dev/null | head -1)
      echo "ir $name $v ${ir:-0}" >>"$raw"
    done
  done
fi

# ---- size ------------------------------------------------------------------------
secsizes() { # FILE -> "name size" per section, size in decimal
  readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] *//p' | while read -r nm _type _addr _off size _rest; do
    echo "$nm $((16#$size))"
  done
}
for v in "${variants[@]}"; do
  for p in lua zstd zloop speedtest1; do
    secsizes "$B/$v/bin/$p" | awk -v p="$p" -v v="$v" '
      $1 == ".text" { text = $2 }
      $1 ~ /^whence_(fn|site|mod|line)$/ { rec += $2 }
      $1 == ".debug_line" || $1 == ".debug_line_str" { lines += $2 }
      END { printf "size %s %s %d %d %d\n", p, v, text, rec, lines }' >>"$raw"
  done
done

# ---- compile time: the largest translation units -------------------------------
# sqlite3.c (the amalgamation, ~240k lines) and zstd's zstd_compress.c; user+sys
# CPU seconds of `clang -c`, alternating base / whence.
rw_log "compile time: $compile_runs alternating runs"
tus=("sqlite3.c|$B/amalg/sqlite3.c|-I$B/amalg" "zstd_compress.c|$B/base/zstd/lib/compress/zstd_compress.c|-I$B/base/zstd/lib -I$B/base/zstd/lib/common")
for ((r = 0; r < compile_runs; r++)); do
  for tu in "${tus[@]}"; do
    IFS='|' read -r name file inc <<<"$tu"
    for v in base whence; do
      tf=$(mktemp)
      # shellcheck disable=SC2046,SC2086
      ( TIMEFORMAT='%R %U %S'; time env $(venv "$v") $CC $(vflags "$v") $inc -c "$file" -o /dev/null 2>/dev/null ) 2>"$tf"
      read -r real user sys <"$tf"; rm -f "$tf"
      echo "compile $name $v $r $real $user $sys" >>"$raw"
    done
  done
done

table_args=()
if [ $markdown = 1 ]; then table_args=(--markdown); fi
python3 "$root/bench/realworld/bench-table.py" "${table_args[@]}" "$raw" | tee "$res/table.txt"
echo "(raw results: $raw; callgrind profiles: $res/cg; table: $res/table.txt)" >&2
