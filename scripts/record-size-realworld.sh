#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# record-size-realworld.sh: the size of whence's records in real programs,
# against their own line tables, without and with whence-link.  Builds Lua
# 5.4, zstd (the CLI), zlib (+ bench/realworld/zloop.c) and SQLite
# (libsqlite3.so from the amalgamation) from their Debian source packages as
# scripts/bench-realworld.sh builds its "whence" variant (-O2
# -gline-tables-only, the plugin, libwhence.so), runs whence-link on each
# and prints one table (docs/BENCH.md has a copy):
#
#   sites     call sites (whence_site records)
#   lines     .debug_line + .debug_line_str of the program (the instrumented
#             code's own: libwhence is a shared library here)
#   records   whence_fn + whence_site + whence_mod (what the runtime reads
#             without the table)
#   names     the distinct function names in the module tables' strings
#             (.debug_line holds none), a part of whence_mod
#   table     whence_tab as whence-link wrote it (with the packed subprogs
#             and locs of the module tables)
#   with      what the runtime reads with the table: the table + whence_mod
#             without the subprog and loc arrays the table packs (headers,
#             file lists, strings: names among them)
#   file +    what the processed file holds more (the table and the .bss
#             before it, as zeros)
#
# and each per call site (B/site).
#
#   scripts/record-size-realworld.sh [--work DIR] [--no-build] [--markdown]
#                                    [--sqlite-amalg DIR] [--only NAME...]
#
# Whence build: $WHENCE_BUILD_DIR or build/.  Sources: bench/realworld/lib.sh
# (apt-get source), under --work (default $WHENCE_RW_DIR or /tmp/whence-rw);
# SQLite's amalgamation from --sqlite-amalg DIR (or WORK/sqlite-amalg) when
# it holds sqlite3.c, else made from the source package.  --only: build and
# measure only these (lua zstd zloop libsqlite3.so).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
work=${WHENCE_RW_DIR:-/tmp/whence-rw}
do_build=1 markdown=0 amalg= only=
while [ $# -gt 0 ]; do
  case $1 in
    --work) work=$2; shift ;;
    --sqlite-amalg) amalg=$2; shift ;;
    --only) only="$only $2"; shift ;;
    --no-build) do_build=0 ;;
    --markdown) markdown=1 ;;
    -h|--help) sed -n '2,34p' "$0"; exit 0 ;;
    *) echo "record-size-realworld.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
[ -n "$amalg" ] || amalg=$work/sqlite-amalg
progs="lua zstd zloop libsqlite3.so"
[ -z "$only" ] || progs=$only
want() { case " $progs " in *" $1 "*) return 0 ;; esac; return 1; }
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
  mkdir -p "$B/bin"
  if want lua || want zstd || want zloop || { want libsqlite3.so && [ ! -f "$amalg/sqlite3.c" ]; }; then
    rw_need dpkg-dev tcl
    rw_deb_src
  fi
  if want lua; then
    rw_log "lua"
    rw_fresh lua5.4 "$B/lua" >/dev/null
    (cd "$B/lua" && patch -sR -p1 <debian/patches/0001-build-system.patch &&
       echo "#define DEB_HOST_MULTIARCH \"$(dpkg-architecture -qDEB_HOST_MULTIARCH)\"" >src/lua5.4-deb-multiarch.h &&
       make -s -C src -j2 linux-noreadline CC="$CC -std=gnu99" MYCFLAGS="$cf" MYLDFLAGS="$ld" MYLIBS=) \
      >"$B/lua.log" 2>&1 || { echo "lua build failed: $B/lua.log" >&2; exit 1; }
    cp "$B/lua/src/lua" "$B/bin/lua"
  fi
  if want zstd; then
    rw_log "zstd"
    rw_fresh libzstd "$B/zstd" >/dev/null
    (cd "$B/zstd" && CC="$CC" CFLAGS="$cf" LDFLAGS="$ld" make -s -C programs -j2 zstd) \
      >"$B/zstd.log" 2>&1 || { echo "zstd build failed: $B/zstd.log" >&2; exit 1; }
    cp "$B/zstd/programs/zstd" "$B/bin/zstd"
  fi
  if want zloop; then
    rw_log "zlib"
    rw_fresh zlib "$B/zlib" >/dev/null
    (cd "$B/zlib" && CC="$CC" CFLAGS="$cf" ./configure --static >/dev/null && make -s -j2 libz.a &&
       $CC $cf -I. "$root/bench/realworld/zloop.c" libz.a $ld -o "$B/bin/zloop") \
      >"$B/zlib.log" 2>&1 || { echo "zlib build failed: $B/zlib.log" >&2; exit 1; }
  fi
  if want libsqlite3.so; then
    if [ ! -f "$amalg/sqlite3.c" ]; then
      rw_log "sqlite (the amalgamation, from the source package)"
      sq=$(rw_fetch sqlite3)
      amalg=$B/amalg-build
      mkdir -p "$amalg"
      (cd "$amalg" && "$sq/configure" >/dev/null && make sqlite3.c) >"$B/sqlite.log" 2>&1 ||
        { echo "sqlite amalgamation failed: $B/sqlite.log" >&2; exit 1; }
    fi
    rw_log "sqlite ($amalg/sqlite3.c)"
    $CC $cf -fPIC -shared "$amalg/sqlite3.c" $ld -lm -lpthread -ldl -o "$B/bin/libsqlite3.so" \
      >>"$B/sqlite.log" 2>&1 || { echo "sqlite build failed: $B/sqlite.log" >&2; exit 1; }
  fi
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

cols=(program sites lines B/site records B/site /lines names table with B/site /lines -names "file +")
if [ $markdown = 1 ]; then
  printf '| program | sites | lines | B/site | records | B/site | /lines | names | table | with whence-link | B/site | /lines | /lines without names | file + |\n'
  printf '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n'
else
  printf '%-14s %7s %9s %6s %9s %6s %6s %8s %8s %9s %6s %6s %6s %8s\n' "${cols[@]}"
fi
for p in $progs; do
  f=$B/bin/$p
  [ -f "$f" ] || { echo "record-size-realworld.sh: $f not built" >&2; continue; }
  "$wl" -q --strict -o "$B/bin/$p.linked" "$f"
  lines=$(sect "$f" .debug_line .debug_line_str)
  rec=$(sect "$f" whence_fn whence_site whence_mod whence_line)
  sites=$(($(sect "$f" whence_site) / 8))
  mod=$(sect "$f" whence_mod)
  v=$("$wl" --check -v "$B/bin/$p.linked" 2>&1)
  tab=$(sed -n 's/.*: table: \([0-9]*\) bytes.*/\1/p' <<<"$v")
  packed=$(sed -n 's/.*: packed: .* for \([0-9]*\) bytes of whence_mod.*/\1/p' <<<"$v")
  nm=$(names "$f")
  with=$((tab + mod - ${packed:-0}))
  grow=$(($(stat -c %s "$B/bin/$p.linked") - $(stat -c %s "$f")))
  r() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
  ps() { awk -v a="$1" -v b="$sites" 'BEGIN { printf "%.1f", b ? a / b : 0 }'; }
  row=("$p" "$sites" "$lines" "$(ps "$lines")" "$rec" "$(ps "$rec")" "$(r "$rec" "$lines")" "$nm" "$tab"
       "$with" "$(ps "$with")" "$(r "$with" "$lines")" "$(r $((with - nm)) "$lines")" "$grow")
  if [ $markdown = 1 ]; then
    printf '| %s ' "${row[@]}"
    printf '|\n'
  else
    printf '%-14s %7s %9s %6s %9s %6s %6s %8s %8s %9s %6s %6s %6s %8s\n' "${row[@]}"
  fi
done
