#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# build_fuzz_parsers.sh OUTDIR [SRC_ROOT]: builds OUTDIR/fuzz_parsers, the
# libFuzzer target of tests/fuzz/fuzz_parsers.c (the .eh_frame reader, the
# DWARF line-program reader and the inflate of compressed debug sections),
# with -fsanitize=fuzzer,address,undefined.
# Run: OUTDIR/fuzz_parsers -max_total_time=60 [CORPUS_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
src=${2:-$(cd "$here/../.." && pwd)}
B=${LLVM_BIN:-/usr/lib/llvm-19/bin}
mkdir -p "$out"
"$B/clang" -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all \
  -I"$src/runtime" -I"$src/runtime/include" \
  "$here/fuzz_parsers.c" "$src/runtime/unwind/ehframe.c" "$src/runtime/lines/lineprog.c" \
  "$src/runtime/lines/inflate.c" \
  -o "$out/fuzz_parsers"
echo "built $out/fuzz_parsers"
