#!/usr/bin/env bash
# build.sh [BUILD_DIR] [extra cmake args...]: configure (once) and build whence
# with LLVM 19's clang and Ninja.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}; shift || true
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_C_COMPILER=/usr/lib/llvm-19/bin/clang \
    -DCMAKE_CXX_COMPILER=/usr/lib/llvm-19/bin/clang++ "$@" >/dev/null
fi
cmake --build "$build"
