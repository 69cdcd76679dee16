#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# demo.sh: the main job.  Installs what is missing, builds whence, compiles
# examples/demo.c with the plugin, runs it and shows what whence reports.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$build"
out="$build/demo"
echo "== compiling examples/demo.c with -fpass-plugin=$build/lib/whence-pass.so"
/usr/lib/llvm-19/bin/clang -O2 -gline-tables-only \
  -fpass-plugin="$build/lib/whence-pass.so" -I"$root/runtime/include" \
  "$root/examples/demo.c" -L"$build/lib" -Wl,-rpath,"$build/lib" -lwhence -lpthread -ldl \
  -o "$out"
echo "== running it"
"$out"
