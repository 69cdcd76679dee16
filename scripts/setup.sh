#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# setup.sh: install the Debian packages whence needs, only those missing.
# Idempotent and quiet when everything is present; called by demo.sh/test.sh.
# Also the AArch64 cross toolchain the aarch64 tests use (docs/AARCH64.md):
# Debian's cross libc and libgcc, and qemu-user to run the programs; and
# dpkg's arm64 architecture, from which scripts/cross-deps.sh downloads the
# target's BDWGC and cmocka.  WHENCE_CROSS=0 leaves those out.
#   setup.sh --cross-available: exit 0 iff the cross tests can run here.
set -euo pipefail

cross_ok() {
  [ -x /usr/bin/qemu-aarch64 ] && [ -e /usr/aarch64-linux-gnu/lib/libc.so.6 ] &&
    [ -e /usr/lib/gcc-cross/aarch64-linux-gnu/12/libgcc.a ]
}
if [ "${1:-}" = --cross-available ]; then
  cross_ok
  exit
fi

pkgs=(clang-19 llvm-19-dev llvm-19-tools lld-19 lldb-19 python3-lldb-19 liblldb-19-dev gdb
      libclang-rt-19-dev libcmocka-dev libgc-dev cmake ninja-build pkg-config
      binutils valgrind golang-go libomp-19-dev bolt-19 mold patchelf python3-dev libc++-19-dev libc++abi-19-dev
      libboost-context-dev)
cross_pkgs=()
cross=0
if [ "${WHENCE_CROSS:-1}" != 0 ]; then
  cross_pkgs=(qemu-user libc6-dev-arm64-cross libgcc-12-dev-arm64-cross libstdc++-12-dev-arm64-cross)
  dpkg --print-foreign-architectures | grep -qx arm64 || cross=1
fi

not_installed() {
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      echo "$p"
    fi
  done
}
mapfile -t missing < <(not_installed "${pkgs[@]}")
mapfile -t missing_cross < <(not_installed "${cross_pkgs[@]}")
if [ ${#missing[@]} -eq 0 ] && [ ${#missing_cross[@]} -eq 0 ] && [ $cross = 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
# The AArch64 side is optional: if it cannot be had, the AArch64 tests are
# left out (setup.sh --cross-available says so to test.sh), nothing fails.
if [ $cross = 1 ]; then
  echo "setup: adding dpkg architecture arm64 (the AArch64 tests' BDWGC and cmocka)"
  $SUDO dpkg --add-architecture arm64 || echo "setup: could not add arm64 (AArch64 tests left out)" >&2
fi
$SUDO apt-get update -qq || echo "setup: apt-get update reported errors; going on" >&2
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ${#missing_cross[@]} -gt 0 ]; then
  echo "setup: installing ${missing_cross[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing_cross[@]}" >/dev/null ||
    echo "setup: the AArch64 cross packages could not be installed: the AArch64 tests are left out" >&2
fi
