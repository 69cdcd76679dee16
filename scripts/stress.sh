#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# stress.sh [--ops N] [--sig-ops N] [--first-use RUNS] [--build DIR] [--out DIR]
#
# The long thread-stress run (docs/PROOF.md; not CI): tests/stress/stress.c
# built with the plugin of DIR (default build/, scripts/build.sh), then
#   1. 32 threads x disjoint call paths, N checked operations (default 1e8),
#      two instrumented libraries loaded/unloaded in a loop by another thread;
#   2. the same under SIGPROF at 1 kHz, --sig-ops operations (default 2e7);
#   3. RUNS fresh processes (default 200) of 32 threads making their first
#      whence call at the same moment (the lazily built index), each with the
#      library thread, some under SIGPROF; every other one is the binary as
#      processed by whence-link (its prebuilt table adopted instead);
#   4. -O0 and the static runtime, 1e7 operations;
#   5. images over a long life (lit/link/dso-many.c at scale): --dso-cycles
#      distinct DSOs opened, used and closed in turn (default 100,000), then
#      --dso-at-once of them loaded together (default 10,000).
# Prints each run's summary line and exits 1 on any mismatch or crash.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
B=${LLVM_BIN:-/usr/lib/llvm-19/bin}
ops=1e8 sig_ops=2e7 first=200 build=$root/build out="" dso_cycles=100000 dso_at_once=10000
while [ $# -gt 0 ]; do
  case $1 in
    --ops) ops=$2; shift 2 ;;
    --sig-ops) sig_ops=$2; shift 2 ;;
    --first-use) first=$2; shift 2 ;;
    --dso-cycles) dso_cycles=$2; shift 2 ;;
    --dso-at-once) dso_at_once=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "stress.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
plugin=$build/lib/whence-pass.so lib=$build/lib
[ -f "$plugin" ] && [ -f "$lib/libwhence.so" ] || { echo "stress.sh: build $build first (scripts/build.sh)" >&2; exit 2; }
out=${out:-$(mktemp -d /tmp/whence-stress.XXXXXX)}
mkdir -p "$out"
cf=(-gline-tables-only -I"$root/runtime/include" -fpass-plugin="$plugin")
libs=(-L"$lib" -Wl,-rpath,"$lib" -lwhence -lpthread -ldl)
"$B/clang" -O2 "${cf[@]}" -fPIC -shared -DVARIANT=0 "$root/tests/stress/stress_dso.c" "${libs[@]}" -o "$out/libA.so"
"$B/clang" -O2 "${cf[@]}" -fPIC -shared -DVARIANT=1 "$root/tests/stress/stress_dso.c" "${libs[@]}" -o "$out/libB.so"
"$B/clang" -O2 "${cf[@]}" -pthread "$root/tests/stress/stress.c" "${libs[@]}" -o "$out/stress"
"$B/clang" -O0 "${cf[@]}" -pthread -fno-pie -no-pie "$root/tests/stress/stress.c" "$lib/libwhence.a" -lpthread -ldl -o "$out/stress-O0"
"$build/bin/whence-link" --quiet --strict -o "$out/stress.tab" "$out/stress"
dso=(--dso "$out/libA.so" --dso "$out/libB.so")
rc=0
run() { echo "+ $*" | sed "s|$out/||g"; "$@" || rc=1; }

run "$out/stress" --threads 32 --ops "$ops" "${dso[@]}"
run "$out/stress" --threads 32 --ops "$sig_ops" "${dso[@]}" --sigprof 1000
echo "+ first use: $first fresh processes, 32 threads each (odd ones: whence-link's table)"
fails=0
for ((i = 0; i < first; i++)); do
  if (( i % 8 >= 6 )); then extra=(--sigprof 1000); else extra=(); fi
  if (( i % 2 == 1 )); then exe=$out/stress.tab; else exe=$out/stress; fi
  if ! "$exe" --threads 32 --ops 64000 "${dso[@]}" "${extra[@]}" > "$out/first.$i.txt" 2>&1; then
    fails=$((fails + 1)); rc=1
    echo "first-use run $i failed:"; cat "$out/first.$i.txt"
  fi
done
echo "first-use: runs=$first failed=$fails"
run "$out/stress-O0" --threads 32 --ops 1e7 --sigprof 1000
# 5. Distinct copies of one module (renamed, see lit/link/Inputs/copy-renamed.py);
# the host cycles through the copies it has (at most dso_at_once files).
"$B/clang" -O2 "${cf[@]}" -fPIC -shared -DMOD "$root/lit/link/dso-many.c" "${libs[@]}" -o "$out/dsomod.so"
"$B/clang" -O2 "${cf[@]}" -DHOST "$root/lit/link/dso-many.c" "${libs[@]}" -o "$out/dsohost"
mkdir -p "$out/dsos"
python3 "$root/lit/link/Inputs/copy-renamed.py" "$out/dsomod.so" "$out/dsos/m" "$dso_at_once" mod_fn_AAAA
run "$out/dsohost" "$out/dsos" "$dso_cycles" "$dso_at_once"
rm -rf "$out/dsos"
echo "stress.sh: $([ $rc = 0 ] && echo PASS || echo FAIL) (binaries in $out)"
exit $rc
