#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# fuzz.sh: fuzzing of whence (docs/PROOF.md).
#
#   scripts/fuzz.sh pass    [--seeds N] [--start S] [--sizes "50 200 1000"]
#                           [--variants "..."] [--levels "0 2"] [--jobs J]
#                           [--plugin PATH] [--work DIR] [--rotate]
#       llvm-stress modules (raw, and mutated by tests/fuzz/stress_mutate.py
#       to have calls, inlining, pointer slots, invoke, setjmp) through
#       opt -passes='...whence...,verify' in every option variant, then
#       llc -O0/-O2 -verify-machineinstrs -filetype=obj.  Prints a summary
#       "pass-fuzz: cases=.. checks=.. ok=.. fail_whence=.. fail_llvm=.."
#       and exits 1 if any failure is whence's.  Failing cases are kept in
#       the work directory.  --rotate (CI): each seed gets one variant and
#       one llc level, in turn, instead of all of them.
#
#   scripts/fuzz.sh records [--time SECONDS] [--jobs J] [--build DIR]
#       builds the libFuzzer target tests/fuzz/fuzz_records.c (runtime
#       sources with -fsanitize=fuzzer,address,undefined), makes a seed corpus
#       from the records of real instrumented objects, and fuzzes for
#       SECONDS (default 600).  Crashes land in DIR/fuzz/crashes.
#
#   scripts/fuzz.sh table [--time SECONDS] [--jobs J] [--build DIR]
#       the same for tests/fuzz/fuzz_table.c, the reader of whence-link's
#       post-link table: seeds are the tables and module tables of real
#       instrumented programs that whence-link processed.
#
#   scripts/fuzz.sh parsers [--time SECONDS] [--build DIR]
#       builds tests/fuzz/fuzz_parsers.c (the .eh_frame reader and CFA
#       interpreter, the DWARF line-program reader, inflate), seeds it with
#       the .eh_frame of libwhence.so and the .debug_line of a DWARF 5 and a
#       DWARF 4 object (also as zlib streams), and fuzzes for SECONDS
#       (default 600).
#
# The plugin defaults to build/lib/whence-pass.so (scripts/build.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
B=${LLVM_BIN:-/usr/lib/llvm-19/bin}
mode=${1:-}; shift || true

seeds=300 start=1 sizes="50 200 1000" variants="" levels="0 2"
jobs=$(nproc) plugin="" work="" time=600 build=""
while [ $# -gt 0 ]; do
  case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --start) start=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --variants) variants=$2; shift 2 ;;
    --levels) levels=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --plugin) plugin=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --rotate) export FUZZ_ROTATE=1; shift ;;
    --time) time=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

case $mode in
pass)
  plugin=${plugin:-$root/build/lib/whence-pass.so}
  [ -f "$plugin" ] || { echo "fuzz.sh: no plugin at $plugin (scripts/build.sh first)" >&2; exit 2; }
  work=${work:-$(mktemp -d /tmp/whence-passfuzz.XXXXXX)}
  mkdir -p "$work"
  log=$work/results.txt
  : > "$log"
  t0=$(date +%s)
  for ((s = start; s < start + seeds; s++)); do
    for z in $sizes; do echo "$s $z"; done
  done | FUZZ_VARIANTS=$variants FUZZ_LEVELS=$levels xargs -P "$jobs" -L 1 \
    "$root/tests/fuzz/pass_case.sh" "$plugin" "$work" >> "$log" 2>>"$work/stderr.txt" || true
  t1=$(date +%s)
  ok=$(grep -c '^ok ' "$log" || true)
  fw=$(grep -c '^FAIL .* whence' "$log" || true)
  fl=$(grep -c '^FAIL .* llvm' "$log" || true)
  fm=$(grep -c '^FAIL .* invalid-mutation' "$log" || true)
  ncases=$(( seeds * $(wc -w <<< "$sizes") ))
  grep '^FAIL' "$log" | head -20 || true
  echo "pass-fuzz: cases=$ncases checks=$((ok + fw + fl + fm)) ok=$ok fail_whence=$fw fail_llvm=$fl bad_mutation=$fm seconds=$((t1 - t0)) work=$work"
  [ "$fw" = 0 ] && [ "$fm" = 0 ]
  ;;
records|table)
  build=${build:-$root/build-fuzz}
  d=$build/fuzz
  [ $mode = table ] && d=$build/fuzz-table
  mkdir -p "$d/corpus" "$d/crashes"
  d=$(cd "$d" && pwd) # the fuzzers run from crashes/
  "$root/tests/fuzz/build_fuzz_records.sh" "$d"
  plugin=${plugin:-$root/build/lib/whence-pass.so}
  if [ $mode = records ]; then
    "$root/tests/fuzz/make_corpus.sh" "$plugin" "$d/seeds"
  else
    "$root/tests/fuzz/make_corpus_table.sh" "$plugin" "$(dirname "$plugin")/../bin/whence-link" "$d/seeds"
  fi
  cp -n "$d/seeds"/* "$d/corpus/" 2>/dev/null || true
  # One fuzzer per job, sharing the corpus; -fork would hide per-run stats.
  pids=()
  for ((j = 0; j < jobs; j++)); do
    ( cd "$d/crashes" &&
      ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$d/fuzz_$mode" -max_total_time="$time" -max_len=65536 -timeout=10 -close_fd_mask=2 \
        -rss_limit_mb=4096 -print_final_stats=1 -seed=$((j + 1)) \
        "$d/corpus" > "$d/job$j.log" 2>&1 ) &
    pids+=($!)
  done
  rc=0
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  for ((j = 0; j < jobs; j++)); do
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^==[0-9]+==ERROR|runtime error|deadly signal|^fuzz_' \
      "$d/job$j.log" | sed "s/^/job$j: /" || true
  done
  execs=$(cat "$d"/job*.log | awk '/^stat::number_of_executed_units/ {s += $NF} END {print s + 0}')
  echo "$mode-fuzz: jobs=$jobs seconds=$time execs=$execs corpus=$(ls "$d/corpus" | wc -l) crashes=$(ls "$d/crashes" | grep -c -E '^(crash|leak|timeout|oom)-' || true)"
  exit $rc
  ;;
parsers)
  build=${build:-$root/build-fuzz}
  d=$build/fuzz-parsers
  mkdir -p "$d/corpus" "$d/crashes"
  "$root/tests/fuzz/build_fuzz_parsers.sh" "$d"
  B=${LLVM_BIN:-/usr/lib/llvm-19/bin}
  echo 'int f(int x) { return x * 3; } int g(int y) { return f(y) + 1; }' > "$d/seed.c"
  for v in 4 5; do
    "$B/clang" -c -O1 -gdwarf-$v "$d/seed.c" -o "$d/seed$v.o"
    "$B/llvm-objcopy" --dump-section .debug_line="$d/dl$v" "$d/seed$v.o" "$d/x.o"
    : > "$d/dls$v"
    [ "$v" = 5 ] && "$B/llvm-objcopy" --dump-section .debug_line_str="$d/dls$v" "$d/seed$v.o" "$d/x.o"
    python3 -c 'import struct,sys; a=open(sys.argv[1],"rb").read(); b=open(sys.argv[2],"rb").read(); open(sys.argv[3],"wb").write(b"\0"+struct.pack("<H",len(a))+a+b)' \
      "$d/dl$v" "$d/dls$v" "$d/corpus/lines$v"
    # the same .debug_line as a zlib stream, for inflate
    python3 -c 'import struct,sys,zlib; a=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(b"\2"+struct.pack("<H",len(a))+zlib.compress(a))' \
      "$d/dl$v" "$d/corpus/inflate$v"
  done
  lib=${WHENCE_BUILD_DIR:-$root/build}/lib/libwhence.so
  if [ -f "$lib" ]; then
    "$B/llvm-objcopy" --dump-section .eh_frame="$d/eh" "$lib" "$d/x.o"
    python3 -c 'import sys; open(sys.argv[2],"wb").write(b"\1"+open(sys.argv[1],"rb").read()[:4000])' "$d/eh" "$d/corpus/cfi"
  fi
  ( cd "$d/crashes" && UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$d/fuzz_parsers" -max_total_time="$time" -max_len=8192 -timeout=5 \
      -print_final_stats=1 "$d/corpus" > "$d/fuzz.log" 2>&1 ) && rc=0 || rc=1
  grep -E '^stat::number_of_executed_units|^==[0-9]+==ERROR|runtime error|deadly signal|timeout' "$d/fuzz.log" || true
  echo "parsers-fuzz: seconds=$time crashes=$(ls "$d/crashes" | grep -c -E '^(crash|leak|timeout|oom)-' || true)"
  exit $rc
  ;;
*)
  sed -n '2,34p' "$0"
  exit 2
  ;;
esac
