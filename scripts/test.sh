#!/usr/bin/env bash
# test.sh: the one command that runs every test: installs what is missing,
# builds, and runs the cmocka, lit and LLDB suites through ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$build"
cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"
