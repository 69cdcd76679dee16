#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# pass_case.sh PLUGIN WORKDIR SEED SIZE [VARIANTS] [LLC_LEVELS]
# (VARIANTS and LLC_LEVELS default to $FUZZ_VARIANTS / $FUZZ_LEVELS, then all)
#
# One llvm-stress case through the whence pass: the raw module and a mutated
# one (tests/fuzz/stress_mutate.py: calls, inlining, pointer slots, invoke,
# setjmp) go through opt with the verifier, then llc -filetype=obj (with
# -verify-machineinstrs) at each level.  Prints one line per check:
#   ok SEED SIZE VARIANT LEVEL
#   FAIL SEED SIZE VARIANT LEVEL <stage> (whence|llvm) <first error line>
# "llvm" means the same pipeline without the whence pass fails the same way
# (a bug of LLVM itself on that input, not ours); "whence" means only the
# instrumented pipeline fails.  Files of failing cases stay in WORKDIR.
set -u
plugin=$1 work=$2 seed=$3 size=$4
variants=${5:-${FUZZ_VARIANTS:-"raw mut-sites mut-auto mut-slots mut-dslots mut-live mut-all mut-o2 mut-o2nd"}}
levels=${6:-${FUZZ_LEVELS:-"0 2"}}
# FUZZ_ROTATE=1 (CI): one variant and one level per seed, in turn.
if [ -n "${FUZZ_ROTATE:-}" ]; then
  read -r -a va <<< "$variants"
  read -r -a la <<< "$levels"
  variants=${va[$((seed % ${#va[@]}))]}
  levels=${la[$((seed / ${#va[@]} % ${#la[@]}))]}
fi
B=${LLVM_BIN:-/usr/lib/llvm-19/bin}
here=$(cd "$(dirname "$0")" && pwd)
d=$work/s$seed-z$size
# Machine verifier on; instruction-referencing debug locations off (LLVM 19's
# own verifier rejects its DBG_PHIs on debugify'd llvm-stress code).
LLC_FLAGS="-verify-machineinstrs -experimental-debug-variable-locations=false"
mkdir -p "$d"

# variant -> "input pipeline-with-whence pipeline-without"
pipeline() {
  case $1 in
    raw)       echo "raw whence,verify verify" ;;
    mut-sites) echo "mut debugify,always-inline,whence<sites=on>,verify debugify,always-inline,verify" ;;
    mut-auto)  echo "mut debugify,always-inline,whence,verify debugify,always-inline,verify" ;;
    mut-slots) echo "mut always-inline,whence<sites=off;slots=on>,verify always-inline,verify" ;;
    mut-dslots) echo "mut debugify,always-inline,whence<sites=off;slots=on>,verify debugify,always-inline,verify" ;;
    mut-live)  echo "mut debugify,always-inline,whence<liveness=on>,verify debugify,always-inline,verify" ;;
    mut-all)   echo "mut debugify,always-inline,whence<sites=on;slots=on;liveness=on>,verify debugify,always-inline,verify" ;;
    # default<O2> runs the plugin's own OptimizerLast callback (default
    # options: slots under debugify's full debug info, sites without it).
    mut-o2)    echo "mut debugify,default<O2>,verify debugify,default<O2>,verify" ;;
    mut-o2nd)  echo "mut default<O2>,verify default<O2>,verify" ;;
    *) echo "bad variant $1" >&2; exit 2 ;;
  esac
}

"$B/llvm-stress" -seed="$seed" -size="$size" -o "$d/raw.ll" || { echo "FAIL $seed $size - - llvm-stress llvm"; exit 0; }
python3 "$here/stress_mutate.py" "$seed" < "$d/raw.ll" > "$d/mut.ll"
if ! "$B/opt" -passes=verify -disable-output "$d/mut.ll" 2> "$d/mut.err"; then
  echo "FAIL $seed $size mutate - input invalid-mutation $(head -1 "$d/mut.err")"
  exit 0
fi

failed=0
for v in $variants; do
  read -r in with without <<< "$(pipeline "$v")"
  out=$d/$v.ll
  if ! "$B/opt" -load-pass-plugin="$plugin" -passes="$with" -S "$d/$in.ll" -o "$out" 2> "$d/$v.opt.err"; then
    who=whence
    "$B/opt" -passes="$without" -disable-output "$d/$in.ll" 2>/dev/null || who=llvm
    echo "FAIL $seed $size $v - opt $who $(grep -m1 -v '^whence: note' "$d/$v.opt.err")"
    failed=1
    continue
  fi
  for l in $levels; do
    if ! "$B/llc" -O"$l" $LLC_FLAGS -filetype=obj "$out" -o "$d/$v.O$l.o" 2> "$d/$v.O$l.err"; then
      who=whence
      "$B/opt" -passes="$without" -S "$d/$in.ll" -o "$d/$v.base.ll" 2>/dev/null &&
        ! "$B/llc" -O"$l" $LLC_FLAGS -filetype=obj "$d/$v.base.ll" -o /dev/null 2>/dev/null && who=llvm
      echo "FAIL $seed $size $v O$l llc $who $(head -1 "$d/$v.O$l.err")"
      failed=1
      continue
    fi
    # The records must be there: every variant instruments at least the
    # driver (mutated) or the generated function (raw).
    secs=$("$B/llvm-readelf" -S "$d/$v.O$l.o" 2>/dev/null)
    if ! grep -q ' whence_fn ' <<< "$secs" || ! grep -q ' whence_mod ' <<< "$secs"; then
      echo "FAIL $seed $size $v O$l records whence no whence_fn/whence_mod section"
      failed=1
      continue
    fi
    case $v in mut-sites|mut-o2nd|mut-all)
      if ! grep -q ' whence_site ' <<< "$secs"; then
        echo "FAIL $seed $size $v O$l records whence no whence_site section"
        failed=1
        continue
      fi ;;
    esac
    echo "ok $seed $size $v O$l"
  done
done
[ "$failed" = 0 ] && [ -z "${KEEP:-}" ] && rm -rf "$d"
exit 0
