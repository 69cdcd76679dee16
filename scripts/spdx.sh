#!/usr/bin/env bash
# spdx.sh [--check]: every source file of whence opens with one
# "SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception" comment line
# (LICENSE), above its purpose comment (after a #! line).  Without --check,
# adds the line where it is missing; with --check, lists the files without
# it and fails.  Left out: lit tests and their inputs and the debugger test
# programs (test inputs, as in LLVM), and docs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
id="SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception"
check=0
[ "${1:-}" = --check ] && check=1
cd "$root"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git ls-files)
else
  files=$(find . -type f ! -path './build*' ! -path './.git/*' | sed 's|^\./||')
fi
missing=0
while IFS= read -r f; do
  case $f in
    lit/*/*|tests/debuggers/programs/*|docs/*) continue ;;
  esac
  case $f in
    *.c|*.h|*.cpp|*.go) style=c ;;
    *.py|*.sh|*.in|*.cmake|CMakeLists.txt|*/CMakeLists.txt) style=hash ;;
    *.lua) style=lua ;;
    *) continue ;;
  esac
  [ -f "$f" ] || continue
  head -3 "$f" | grep -q "SPDX-License-Identifier:" && continue
  if [ $check = 1 ]; then
    echo "no SPDX line: $f"
    missing=1
    continue
  fi
  first=$(head -1 "$f")
  case $style in
    c) case $first in //*) line="// $id" ;; *) line="/* $id */" ;; esac ;;
    hash) line="# $id" ;;
    lua) line="-- $id" ;;
  esac
  tmp=$(mktemp)
  case $first in
    '#!'*) { echo "$first"; echo "$line"; tail -n +2 "$f"; } >"$tmp" ;;
    *) { echo "$line"; cat "$f"; } >"$tmp" ;;
  esac
  cat "$tmp" >"$f" # keeps the file's mode
  rm -f "$tmp"
done <<<"$files"
[ $missing = 0 ] || { echo "run scripts/spdx.sh to add them"; exit 1; }
