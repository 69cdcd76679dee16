#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# build_fuzz_demangle.sh OUTDIR [SRC_ROOT]: builds OUTDIR/fuzz_demangle, the
# differential libFuzzer target of tests/fuzz/fuzz_demangle.cpp (the
# runtime's demanglers, Itanium's and Rust v0's, against LLVM 19's
# libLLVMDemangle), with
# -fsanitize=fuzzer,address,undefined, UB fatal.
# Run: OUTDIR/fuzz_demangle -max_total_time=60 [CORPUS_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
src=${2:-$(cd "$here/../.." && pwd)}
B=${LLVM_BIN:-/usr/lib/llvm-19/bin}
mkdir -p "$out"
"$B/clang" -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all -I"$src/runtime" -c "$src/runtime/cxx/demangle.c" -o "$out/demangle.o"
"$B/clang" -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all -I"$src/runtime" -c "$src/runtime/cxx/rust_v0.c" -o "$out/rust_v0.o"
"$B/clang++" -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all -I"$("$B/llvm-config" --includedir)" \
  "$here/fuzz_demangle.cpp" "$out/demangle.o" "$out/rust_v0.o" "$("$B/llvm-config" --libdir)/libLLVMDemangle.a" \
  -o "$out/fuzz_demangle"
echo "built $out/fuzz_demangle"
