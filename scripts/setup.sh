#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# setup.sh: install the Debian packages whence needs, only those missing.
# Idempotent and quiet when everything is present; called by demo.sh/test.sh.
set -euo pipefail

pkgs=(clang-19 llvm-19-dev llvm-19-tools lld-19 lldb-19 python3-lldb-19 liblldb-19-dev gdb
      libclang-rt-19-dev libcmocka-dev libgc-dev cmake ninja-build pkg-config
      binutils valgrind golang-go libomp-19-dev)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
