#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# test-sanitizers.sh [VARIANT...]: the runtime under sanitizers (docs/PROOF.md).
#
# VARIANT is a WHENCE_SANITIZE value: "address,undefined" (ASan+UBSan),
# "thread" (TSan), "undefined"; default: address,undefined and thread.  For
# each, in its own build directory (build-san-<variant>):
#   1. configure with -DWHENCE_SANITIZE=<variant> (runtime and unit tests
#      compiled and linked with -fsanitize=<variant>), build the unit tests;
#   2. ctest -R '^unit\.test_' (the runtime's cmocka tests; not libwhence-gc,
#      which the option does not cover);
#   3. tests/stress/stress.c built with the plugin AND the sanitizer against
#      that sanitized libwhence: 32 threads, the dlopen/dlclose thread, then
#      the same under SIGPROF at 1 kHz.
# Any sanitizer report fails the run (halt_on_error, UB not recoverable).
# LeakSanitizer is off for the unit tests: they keep their synthetic images
# (a registered image must stay mapped) and the runtime itself only mmaps.
#
# The plugin (not sanitized) comes from $WHENCE_BUILD_DIR (default build/) if
# it is built there, else it is built in the sanitizer directory.
# Environment: STRESS_OPS (default 300000 per stress run),
# CMAKE_BUILD_PARALLEL_LEVEL (jobs for the build and ctest; default: every core).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
B=${LLVM_BIN:-/usr/lib/llvm-19/bin}
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=("address,undefined" "thread")
stress_ops=${STRESS_OPS:-300000}
main_build=${WHENCE_BUILD_DIR:-$root/build}
jobs=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}
units=$(cd "$root/tests" && ls test_*.c | sed 's/\.c$//')

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/stress/tsan.supp}

status=0
summary=()
for v in "${variants[@]}"; do
  name=$(tr ',' '-' <<< "$v")
  dir=$root/build-san-$name
  echo "=== WHENCE_SANITIZE=$v ($dir)"
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_C_COMPILER="$B/clang" \
      -DCMAKE_CXX_COMPILER="$B/clang++" -DWHENCE_SANITIZE="$v" \
      -DWHENCE_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
  fi
  plugin=$main_build/lib/whence-pass.so
  targets=($units whence_static whence_shared)
  [ -f "$plugin" ] || { plugin=$dir/lib/whence-pass.so; targets+=(whence-pass); }
  ninja -C "$dir" -j"$jobs" "${targets[@]}" > "$dir/build.log" 2>&1 || { tail -30 "$dir/build.log"; exit 1; }

  unit_rc=0
  (cd "$dir" && ctest -R '^unit\.test_' -E 'gc' --output-on-failure -j"$jobs") || unit_rc=1

  # The stress program, instrumented and sanitized, on the sanitized runtime.
  sd=$dir/stress
  mkdir -p "$sd"
  cf=(-O1 -gline-tables-only -fsanitize="$v" -fno-sanitize-recover=all -I"$root/runtime/include" -fpass-plugin="$plugin")
  libs=(-L"$dir/lib" -Wl,-rpath,"$dir/lib" -lwhence -lpthread -ldl)
  stress_rc=0
  if "$B/clang" "${cf[@]}" -fPIC -shared -DVARIANT=0 "$root/tests/stress/stress_dso.c" "${libs[@]}" -o "$sd/libA.so" &&
     "$B/clang" "${cf[@]}" -fPIC -shared -DVARIANT=1 "$root/tests/stress/stress_dso.c" "${libs[@]}" -o "$sd/libB.so" &&
     "$B/clang" "${cf[@]}" -pthread "$root/tests/stress/stress.c" "${libs[@]}" -o "$sd/stress"; then
    for extra in "" "--sigprof 1000"; do
      # shellcheck disable=SC2086
      if ! "$sd/stress" --threads 32 --ops "$stress_ops" --dso "$sd/libA.so" --dso "$sd/libB.so" $extra \
           > "$sd/out.txt" 2> "$sd/err.txt"; then
        stress_rc=1
        cat "$sd/out.txt"; head -60 "$sd/err.txt"
      else
        cat "$sd/out.txt"
      fi
      if grep -q -E 'Sanitizer|runtime error' "$sd/err.txt"; then
        stress_rc=1; head -60 "$sd/err.txt"
      fi
    done
  else
    stress_rc=1
  fi
  summary+=("$v: unit=$([ $unit_rc = 0 ] && echo pass || echo FAIL) stress=$([ $stress_rc = 0 ] && echo pass || echo FAIL)")
  [ $unit_rc = 0 ] && [ $stress_rc = 0 ] || status=1
done
printf '%s\n' "=== sanitizers:" "${summary[@]}"
exit $status
