#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# build.sh [-j N] [BUILD_DIR] [extra cmake args...]: configure (once; again
# when cmake args are given) and build whence with LLVM 19's clang and Ninja.  Parallel jobs: -j N, else
# CMAKE_BUILD_PARALLEL_LEVEL from the environment, else Ninja's default.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
case ${1:-} in
  -j) export CMAKE_BUILD_PARALLEL_LEVEL=$2; shift 2 ;;
  -j*) export CMAKE_BUILD_PARALLEL_LEVEL=${1#-j}; shift ;;
esac
build=${1:-$root/build}; shift || true
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_C_COMPILER=/usr/lib/llvm-19/bin/clang \
    -DCMAKE_CXX_COMPILER=/usr/lib/llvm-19/bin/clang++ "$@" >/dev/null
elif [ $# -gt 0 ]; then
  cmake -S "$root" -B "$build" "$@" >/dev/null
fi
cmake --build "$build"
