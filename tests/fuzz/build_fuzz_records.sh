#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# build_fuzz_records.sh OUTDIR [RUNTIME_SRC_ROOT [TARGET...]]: builds the
# libFuzzer targets over the runtime's records and tables, OUTDIR/fuzz_records
# (tests/fuzz/fuzz_records.c) and OUTDIR/fuzz_table (fuzz_table.c), or the
# TARGETs named, from the runtime's own sources (runtime/*.c and
# runtime/*/*.c as libwhence.a has them: not libwhence-gc's gc_*, not
# runtime/shared/, whose pthread_create of libwhence.so hides libFuzzer's
# threads from ASan) compiled with the same flags:
# -fsanitize=fuzzer,address,undefined, UB fatal.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
src=${2:-$(cd "$here/../.." && pwd)}
shift $(($# < 2 ? $# : 2))
targets=${*:-fuzz_records fuzz_table}
B=${LLVM_BIN:-/usr/lib/llvm-19/bin}
mkdir -p "$out"
rt=$(ls "$src"/runtime/*.c "$src"/runtime/*/*.c | grep -v -e '/gc_' -e '/shared/')
for t in $targets; do
  "$B/clang" -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=all \
    -I"$src/runtime" -I"$src/runtime/include" \
    "$here/$t.c" $rt -lpthread -ldl -o "$out/$t"
  echo "built $out/$t"
done
