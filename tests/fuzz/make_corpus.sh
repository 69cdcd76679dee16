#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# make_corpus.sh PLUGIN OUTDIR: seed inputs for fuzz_records from real
# instrumented programs (lit/e2e sources) at -O0/-O2, with site labels
# (default), with slots instead (WHENCE_SITES=off), and without line info.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
plugin=$1 out=$2
B=${LLVM_BIN:-/usr/lib/llvm-19/bin}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for src in inline-frames.c threads-paths.c recursion-deep.c frame-shapes.c qsort-callback.c; do
  f=$root/lit/e2e/$src
  [ -f "$f" ] || continue
  for opt in -O0 -O2; do
    for mode in sites slots nodebug; do
      g=-gline-tables-only env=()
      [ $mode = slots ] && env=(WHENCE_SITES=off)
      [ $mode = nodebug ] && g=""
      exe=$tmp/${src%.c}$opt$mode
      if env "${env[@]}" "$B/clang" $opt $g -pthread -I"$root/runtime/include" -I"$root/lit/Inputs" \
          -fpass-plugin="$plugin" -c "$f" -o "$exe.o" 2>/dev/null &&
         "$B/clang" -pthread "$exe.o" -o "$exe" -Wl,--unresolved-symbols=ignore-all 2>/dev/null; then
        for fl in 3 51; do  # 51: also register twice and revive a copy
          python3 "$here/make_corpus.py" "$exe" "$out/${src%.c}$opt$mode-$fl" "$fl" 2>&1 | tail -1 && n=$((n + 1))
        done
      fi
    done
  done
done
echo "corpus: $n inputs in $out"
