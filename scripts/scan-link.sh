#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# scan-link.sh - does whence-link's table answer exactly as the records do,
# on a real program?
#
#   scripts/scan-link.sh [options] PROGRAM [SHARED_OBJECT...]
#
# PROGRAM is built with the plugin and linked with scripts/scan-calls.c (its
# main), as for scan-calls.py (docs/PROOF.md, section 5); SHARED_OBJECTs
# (built with the plugin) are loaded by it with dlopen.  Each file is copied
# twice under the work directory: orig/ as it is, tab/ processed by
# whence-link (-o).  Then:
#
#   link    whence-link's messages and exit status on each file; run again on
#           its output (must leave it byte-identical: idempotent), and
#           --check on its output
#   calls   scan-calls.py on orig/ and on tab/ (every call instruction's
#           return address against DWARF), with --dump: the two dumps (each
#           call's frames, inline chain included) must be identical
#   bytes   every byte of each module's code (scan-calls.c's "* MODULE"):
#           function, entry and frames must be identical in orig/ and tab/,
#           and in zero/ (tab/ with its whence_fn and whence_site records
#           and its module tables' subprog and loc arrays zeroed: the table
#           alone answers; only for files that got a table), strip/ (tab/
#           after llvm-strip -s) and strip-tab/ (orig/ stripped, then
#           processed)
#
# Prints one summary line per check and "scan-link: same" or
# "scan-link: DIFFERENT"; exit status 1 when anything differs, whence-link
# crashed or failed, or a scan found a WRONG call ("scan-link: same, but
# WRONG calls against DWARF": see scan-calls.py's header for DWARF's own
# error at a partially inlined sqrt).
#
# Options:
#   --work DIR      keep everything in DIR (default: a temporary directory,
#                   removed unless something differs)
#   --no-program    scan the shared objects only (PROGRAM is then only the
#                   scan-calls.c helper)
#   --no-strip      skip the stripped copies
#   --link PATH     the whence-link to use (default: $WHENCE_LINK, else
#                   build/bin/whence-link of this checkout)
#   LLVM_BIN        (environment) LLVM 19's bin directory (default
#                   /usr/lib/llvm-19/bin)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
llvm=${LLVM_BIN:-/usr/lib/llvm-19/bin}
link=${WHENCE_LINK:-$root/build/bin/whence-link}
work= no_program=0 do_strip=1
while [ $# -gt 0 ]; do
  case $1 in
    --work) work=$2; shift ;;
    --no-program) no_program=1 ;;
    --no-strip) do_strip=0 ;;
    --link) link=$2; shift ;;
    -h|--help) sed -n '2,43p' "$0"; exit 0 ;;
    -*) echo "scan-link: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
[ $# -ge 1 ] || { sed -n '2,43p' "$0" >&2; exit 2; }
program=$1; shift
keep=1
if [ -z "$work" ]; then work=$(mktemp -d); keep=0; fi
mkdir -p "$work"/{orig,tab,tab2,zero,strip,strip-tab}
work=$(cd "$work" && pwd)
files=("$program" "$@")
bad=0 wrong=0
say() { echo "scan-link: $*"; }

# ---- link: process, again, check ------------------------------------------
for f in "${files[@]}"; do
  b=$(basename "$f")
  cp "$f" "$work/orig/$b"
  "$link" -o "$work/tab/$b" "$work/orig/$b" >"$work/$b.link.log" 2>&1
  rc=$?
  msg=$(tr '\n' ' ' <"$work/$b.link.log")
  [ -f "$work/tab/$b" ] || cp "$work/orig/$b" "$work/tab/$b"
  if [ $rc -ne 0 ]; then
    say "$b: whence-link exit $rc: $msg"; bad=1
  else
    say "$b: whence-link exit $rc${msg:+: $msg}"
  fi
  "$link" -o "$work/tab2/$b" "$work/tab/$b" >"$work/$b.link2.log" 2>&1
  rc2=$?
  [ -f "$work/tab2/$b" ] || cp "$work/tab/$b" "$work/tab2/$b"
  if [ $rc2 -ne 0 ] || ! cmp -s "$work/tab/$b" "$work/tab2/$b"; then
    say "$b: NOT idempotent (second run exit $rc2: $(tr '\n' ' ' <"$work/$b.link2.log"))"; bad=1
  fi
  if [ $rc -eq 0 ] && ! grep -q "left unchanged" "$work/$b.link.log"; then
    python3 "$root/lit/tools/Inputs/elfedit.py" "$work/tab/$b" "$work/zero/$b" \
      zero=whence_fn zero=whence_site arrays=whence_mod || bad=1
  else
    cp "$work/tab/$b" "$work/zero/$b"
  fi
  if ! "$link" --check -q "$work/tab/$b" >"$work/$b.check.log" 2>&1; then
    say "$b: --check of the output fails: $(tr '\n' ' ' <"$work/$b.check.log")"; bad=1
  fi
  if [ $do_strip = 1 ]; then
    "$llvm/llvm-strip" -s -o "$work/strip/$b" "$work/tab/$b" 2>"$work/$b.strip.log" ||
      { say "$b: llvm-strip failed: $(cat "$work/$b.strip.log")"; bad=1; }
    "$llvm/llvm-strip" -s -o "$work/strip-tab/$b.in" "$work/orig/$b" &&
      "$link" -q -o "$work/strip-tab/$b" "$work/strip-tab/$b.in" >"$work/$b.strip-link.log" 2>&1 ||
      { say "$b: whence-link after strip failed: $(tr '\n' ' ' <"$work/$b.strip-link.log")"; bad=1; }
    [ -f "$work/strip-tab/$b" ] || cp "$work/strip-tab/$b.in" "$work/strip-tab/$b"
    rm -f "$work/strip-tab/$b.in"
  fi
done

# ---- calls: scan-calls.py with and without the table ----------------------
pb=$(basename "$program")
args=()
[ $no_program = 1 ] && args+=(--no-program)
for d in orig tab; do
  shared=()
  for f in "$@"; do shared+=("$work/$d/$(basename "$f")"); done
  python3 "$root/scripts/scan-calls.py" --show 5 "${args[@]}" --dump "$work/$d.calls" \
    "$work/$d/$pb" "${shared[@]}" >"$work/$d.scan" 2>&1
  rc=$?
  sed "s/^/scan-link: $d: /" "$work/$d.scan"
  if [ $rc -eq 1 ] && grep -q "WRONG [1-9]" "$work/$d.scan"; then wrong=1
  elif [ $rc -ne 0 ]; then bad=1; fi
done
if cmp -s "$work/orig.calls" "$work/tab.calls"; then
  say "calls: same ($(grep -vc '^#' "$work/orig.calls") calls)"
else
  say "calls: DIFFERENT ($(diff "$work/orig.calls" "$work/tab.calls" | grep -c '^<') of $(grep -vc '^#' "$work/orig.calls") calls)"
  diff "$work/orig.calls" "$work/tab.calls" | head -20
  bad=1
fi

# ---- bytes: every pc of each module ---------------------------------------
dirs=(orig tab zero)
[ $do_strip = 1 ] && dirs+=(strip strip-tab)
for d in "${dirs[@]}"; do
  {
    [ $no_program = 1 ] || echo "* -"
    for f in "$@"; do echo "* $work/$d/$(basename "$f")"; done
  } | (cd "$work/$d" && "./$pb") >"$work/$d.bytes" 2>"$work/$d.bytes.err"
  rc=$?
  [ $rc -eq 0 ] || { say "bytes: $d/$pb exited $rc: $(head -3 "$work/$d.bytes.err")"; bad=1; }
done
grep -q '^B' "$work/orig.bytes" || { say "bytes: no answer for any byte"; bad=1; }
for d in "${dirs[@]:1}"; do
  if cmp -s "$work/orig.bytes" "$work/$d.bytes"; then
    say "bytes $d: same ($(grep -c '^B' "$work/orig.bytes") runs)"
  else
    say "bytes $d: DIFFERENT"
    diff "$work/orig.bytes" "$work/$d.bytes" | head -10
    bad=1
  fi
done
for d in "${dirs[@]}"; do
  [ -s "$work/$d.bytes.err" ] && say "bytes $d: stderr: $(head -c 600 "$work/$d.bytes.err" | tr '\n' ' ')"
done

if [ $bad = 0 ] && [ $wrong = 1 ]; then
  say "same, but WRONG calls against DWARF (kept in $work)"
  bad=1
elif [ $bad = 0 ]; then
  say same
  [ $keep = 1 ] || rm -rf "$work"
else
  say "DIFFERENT (kept in $work)"
fi
exit $bad
