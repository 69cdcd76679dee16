#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# make_corpus_table.sh PLUGIN WHENCE_LINK OUTDIR: seed inputs for fuzz_table
# from real instrumented programs (lit/e2e sources) at -O0/-O2, with site
# labels (default) and with slots instead (WHENCE_SITES=off: the table's
# subfn array and loc addresses), processed by whence-link.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
plugin=$1 wl=$2 out=$3
B=${LLVM_BIN:-/usr/lib/llvm-19/bin}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for src in inline-frames.c threads-paths.c recursion-deep.c frame-shapes.c qsort-callback.c; do
  f=$root/lit/e2e/$src
  [ -f "$f" ] || continue
  for opt in -O0 -O2; do
    for mode in sites slots; do
      env=()
      [ $mode = slots ] && env=(WHENCE_SITES=off)
      exe=$tmp/${src%.c}$opt$mode
      if env "${env[@]}" "$B/clang" $opt -gline-tables-only -pthread -I"$root/runtime/include" \
          -I"$root/lit/Inputs" -fpass-plugin="$plugin" -c "$f" -o "$exe.o" 2>/dev/null &&
         "$B/clang" -pthread "$exe.o" -o "$exe" -Wl,--unresolved-symbols=ignore-all 2>/dev/null &&
         "$wl" --quiet "$exe" 2>/dev/null; then
        for fl in 1 13 17; do # + F_TWICE | F_LOC_TOKENS; + F_FRAMES_RAW
          python3 "$here/make_corpus_table.py" "$exe" "$out/${src%.c}$opt$mode-$fl" "$fl" 2>&1 | tail -1 &&
            n=$((n + 1))
        done
      fi
    done
  done
done
echo "corpus: $n inputs in $out"
