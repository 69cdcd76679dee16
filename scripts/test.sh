#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# test.sh: the one command that runs every test: installs what is missing,
# builds, runs the runtime's unit tests under ASan+UBSan (its own build
# directory), then the cmocka, lit and debugger (LLDB, gdb) suites through ctest (last, so
# its summary closes the run).  Where the AArch64 cross toolchain and
# qemu-user are installed (setup.sh installs them), the build also builds
# the runtime for AArch64 and ctest runs its unit and end-to-end tests
# under qemu (aarch64.unit, aarch64.lit; docs/AARCH64.md).  CMAKE_BUILD_PARALLEL_LEVEL=N limits the
# build, ctest and lit to N jobs each (default: every core).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
cross=()
if "$root/scripts/setup.sh" --cross-available; then
  cross=(-DWHENCE_TARGET=aarch64)
fi
"$root/scripts/build.sh" "$build" "${cross[@]}"
WHENCE_BUILD_DIR="$build" "$root/scripts/test-sanitizers.sh" address,undefined thread
jobs=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}
export LIT_OPTS=${LIT_OPTS:--j$jobs}
cd "$build"
ctest --output-on-failure -j"$jobs" "$@"
