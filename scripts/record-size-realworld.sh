#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# record-size-realworld.sh: the size of whence's records in real programs,
# against their own line tables, without and with whence-link.  Builds Lua
# 5.4, zstd (the CLI), zlib (+ bench/realworld/zloop.c) and SQLite
# (speedtest1 on the amalgamation) from their Debian source packages as
# scripts/bench-realworld.sh builds its "whence" variant (-O2
# -gline-tables-only, the plugin, libwhence.so), runs whence-link on each
# and prints one table (docs/BENCH.md has a copy):
#
#   lines     .debug_line + .debug_line_str of the program (the instrumented
#             code's own: libwhence is a shared library here)
#   records   whence_fn + whence_site + whence_mod (what the runtime reads
#             without the table)
#   names     the distinct function names in the module tables' strings
#             (.debug_line holds none), a part of whence_mod
#   table     whence_tab as whence-link wrote it
#   with      what the runtime reads with the table: table + whence_mod
#   file +    what the processed file holds more (the table and the .bss
#             before it, as zeros)
#
#   scripts/record-size-realworld.sh [--work DIR] [--no-build] [--markdown]
#
# Whence build: $WHENCE_BUILD_DIR or build/.  Sources: bench/realworld/lib.sh
# (apt-get source), under --work (default $WHENCE_RW_DIR or /tmp/whence-rw).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
work=${WHENCE_RW_DIR:-/tmp/whence-rw}
do_build=1 markdown=0
while [ $# -gt 0 ]; do
  case $1 in
    --work) work=$2; shift ;;
    --no-build) do_build=0 ;;
    --markdown) markdown=1 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "record-size-realworld.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
# shellcheck source=../bench/realworld/lib.sh
. "$root/bench/realworld/lib.sh"
llvm=/usr/lib/llvm-19/bin
CC=$llvm/clang
plugin=$build/lib/whence-pass.so
wl=$build/bin/whence-link
[ -x "$wl" ] && [ -f "$plugin" ] || { echo "record-size-realworld.sh: build whence first ($build)" >&2; exit 1; }
B=$work/sizes
cf="-O2 -gline-tables-only -fpass-plugin=$plugin"
ld="-L$build/lib -Wl,-rpath,$build/lib -lwhence"

if [ $do_build = 1 ]; then
  rw_need dpkg-dev tcl
  rw_deb_src
  rm -rf "$B" && mkdir -p "$B/bin"
  rw_log "lua"
  rw_fresh lua5.4 "$B/lua" >/dev/null
  (cd "$B/lua" && patch -sR -p1 <debian/patches/0001-build-system.patch &&
     echo "#define DEB_HOST_MULTIARCH \"$(dpkg-architecture -qDEB_HOST_MULTIARCH)\"" >src/lua5.4-deb-multiarch.h &&
     make -s -C src -j"$(nproc)" linux-noreadline CC="$CC -std=gnu99" MYCFLAGS="$cf" MYLDFLAGS="$ld" MYLIBS=) \
    >"$B/lua.log" 2>&1 || { echo "lua build failed: $B/lua.log" >&2; exit 1; }
  cp "$B/lua/src/lua" "$B/bin/lua"
  rw_log "zstd"
  rw_fresh libzstd "$B/zstd" >/dev/null
  (cd "$B/zstd" && CC="$CC" CFLAGS="$cf" LDFLAGS="$ld" make -s -C programs -j"$(nproc)" zstd) \
    >"$B/zstd.log" 2>&1 || { echo "zstd build failed: $B/zstd.log" >&2; exit 1; }
  cp "$B/zstd/programs/zstd" "$B/bin/zstd"
  rw_log "zlib"
  rw_fresh zlib "$B/zlib" >/dev/null
  (cd "$B/zlib" && CC="$CC" CFLAGS="$cf" ./configure --static >/dev/null && make -s -j"$(nproc)" libz.a &&
     $CC $cf -I. "$root/bench/realworld/zloop.c" libz.a $ld -o "$B/bin/zloop") \
    >"$B/zlib.log" 2>&1 || { echo "zlib build failed: $B/zlib.log" >&2; exit 1; }
  rw_log "sqlite (amalgamation)"
  sq=$(rw_fetch sqlite3)
  mkdir -p "$B/amalg-build"
  (cd "$B/amalg-build" && "$sq/configure" >/dev/null && make sqlite3.c &&
     $CC $cf -c sqlite3.c -o sqlite3.o &&
     $CC $cf -I. "$sq/test/speedtest1.c" sqlite3.o $ld -lm -lpthread -ldl -o "$B/bin/speedtest1") \
    >"$B/sqlite.log" 2>&1 || { echo "sqlite build failed: $B/sqlite.log" >&2; exit 1; }
fi

# Section sizes by name (decimal), and the distinct names of the module tables.
sect() { # FILE SECTION... -> summed sizes
  "$llvm/llvm-readelf" -S -W "$1" | python3 -c '
import sys
want = set(sys.argv[1:])
t = 0
for l in sys.stdin:
    p = l.replace("]", "] ").split()
    for i, x in enumerate(p):
        if x in want and i + 4 < len(p):
            t += int(p[i + 4], 16)
            break
print(t)' "${@:2}"
}
names() { # FILE -> bytes of the distinct subprog names
  python3 "$root/lit/pass/Inputs/whence-dump.py" "$1" 2>/dev/null |
    awk '/^  subprog\[/ { sub(/.*name=/, ""); sub(/ file=.*/, ""); if (!($0 in seen)) { seen[$0] = 1; n += length($0) + 1 } } END { print n + 0 }'
}

if [ $markdown = 1 ]; then
  printf '| program | lines | records | /lines | names | table | with whence-link | /lines | /lines without names | file + |\n'
  printf '|---|---|---|---|---|---|---|---|---|---|\n'
else
  printf '%-11s %9s %9s %6s %8s %8s %9s %6s %8s %9s\n' program lines records /lines names table with /lines -names "file +"
fi
for p in lua zstd zloop speedtest1; do
  f=$B/bin/$p
  "$wl" -q -o "$B/bin/$p.linked" "$f"
  lines=$(sect "$f" .debug_line .debug_line_str)
  rec=$(sect "$f" whence_fn whence_site whence_mod whence_line)
  mod=$(sect "$f" whence_mod)
  tab=$(sect "$B/bin/$p.linked" whence_tab)
  nm=$(names "$f")
  with=$((tab + mod))
  grow=$(($(stat -c %s "$B/bin/$p.linked") - $(stat -c %s "$f")))
  r1=$(awk -v a=$rec -v b=$lines 'BEGIN { printf "%.2f", a / b }')
  r2=$(awk -v a=$with -v b=$lines 'BEGIN { printf "%.2f", a / b }')
  r3=$(awk -v a=$with -v n=$nm -v b=$lines 'BEGIN { printf "%.2f", (a - n) / b }')
  if [ $markdown = 1 ]; then
    printf '| %s | %d | %d | %s | %d | %d | %d | %s | %s | %d |\n' "$p" "$lines" "$rec" "$r1" "$nm" "$tab" "$with" "$r2" "$r3" "$grow"
  else
    printf '%-11s %9d %9d %6s %8d %8d %9d %6s %8s %9d\n' "$p" "$lines" "$rec" "$r1" "$nm" "$tab" "$with" "$r2" "$r3" "$grow"
  fi
done
