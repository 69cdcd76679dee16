#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# cross-deps.sh DIR: the AArch64 libraries a cross build of whence's tests
# links (BDWGC for libwhence-gc, cmocka for the unit tests), from Debian's
# arm64 packages unpacked into DIR as a root (DIR/usr/lib/aarch64-linux-gnu,
# DIR/usr/include).  Nothing is installed into the system: apt only
# downloads (the arm64 architecture must be known to dpkg and its package
# lists fetched: scripts/setup.sh --cross does both).  Idempotent.
set -euo pipefail
dir=${1:?usage: cross-deps.sh DIR}
pkgs=(libgc1:arm64 libgc-dev:arm64 libcmocka0:arm64 libcmocka-dev:arm64)
stamp="$dir/.whence-cross-deps"
want=$(apt-cache policy "${pkgs[@]}" 2>/dev/null | awk '/Candidate:/ {print $2}' | tr '\n' ' ')
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
case $want in *"(none)"*|"") echo "cross-deps: arm64 packages not known to apt (scripts/setup.sh --cross)" >&2; exit 1 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -qq "${pkgs[@]}" >/dev/null 2>&1) || {
  echo "cross-deps: apt-get download ${pkgs[*]} failed" >&2; exit 1; }
rm -rf "$dir"
mkdir -p "$dir"
for deb in "$tmp"/*.deb; do
  dpkg-deb -x "$deb" "$dir"
done
echo "$want" > "$stamp"
