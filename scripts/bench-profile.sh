#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# bench-profile.sh: what the CPU profiler costs a CPU-bound program, side by
# side with gperftools' profiler in the same run.  Not a test.
#
#   scripts/bench-profile.sh [--work DIR] [--runs N] [--depth N] [--no-build] [--markdown]
#
#   --work DIR   sources and builds (default: $WHENCE_RW_DIR or /tmp/whence-rw)
#   --runs N     alternating runs of every configuration (default 7)
#   --depth N    binary-trees depth (default 16: a few seconds per run)
#   --no-build   reuse the Lua build in --work
#   --markdown   the table as Markdown (docs/PROFILE.md)
#
# The program: Lua 5.4 (Debian's source package, upstream makefile) built
# with the plugin (-O2 -gline-tables-only) and linked with libwhence, running
# bench/realworld/lua-binary-trees.lua (allocation, the GC, recursion; time
# in libc's malloc/free too).  The same binary in every configuration:
#
#   none          no profiler
#   whence-100    WHENCE_CPUPROFILE, WHENCE_CPUPROFILE_HZ=100
#   whence-1000   WHENCE_CPUPROFILE_HZ=1000
#   gperf-100     LD_PRELOAD=libprofiler.so CPUPROFILE, CPUPROFILE_FREQUENCY=100
#   gperf-1000    CPUPROFILE_FREQUENCY=1000
#
# Runs alternate between configurations (machine noise hits all alike);
# each column is a median.  wall and cpu (user+sys) are relative to `none`
# of the same run.  "samples" is what the profile holds (go tool pprof
# -raw, sample counts), "expected" the run's CPU time times the rate, so
# samples/expected says how much of the time the profile accounts for.
# Needs libgoogle-perftools-dev and golang-go (installed if missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
work=${WHENCE_RW_DIR:-/tmp/whence-rw}
runs=7 depth=16 do_build=1 markdown=0
while [ $# -gt 0 ]; do
  case $1 in
    --work) work=$2; shift ;;
    --runs) runs=$2; shift ;;
    --depth) depth=$2; shift ;;
    --no-build) do_build=0 ;;
    --markdown) markdown=1 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "bench-profile.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
# shellcheck source=../bench/realworld/lib.sh
. "$root/bench/realworld/lib.sh"

llvm=/usr/lib/llvm-19/bin
B=$work/bench-profile
gperf=/usr/lib/x86_64-linux-gnu/libprofiler.so.0
script=$root/bench/realworld/lua-binary-trees.lua

if [ $do_build = 1 ]; then
  rw_need dpkg-dev libgoogle-perftools-dev golang-go
  rw_deb_src
  rw_log "building whence in $build"
  "$root/scripts/build.sh" "$build" >"$work/whence-build.log" 2>&1 ||
    { echo "bench-profile.sh: whence build failed, see $work/whence-build.log" >&2; exit 1; }
  rm -rf "$B" && mkdir -p "$B/lib"
  cp "$build/lib/libwhence.so" "$B/lib/"
  rw_log "building Lua 5.4 with the plugin"
  rw_fresh lua5.4 "$B/lua" >/dev/null
  (cd "$B/lua" && patch -sR -p1 <debian/patches/0001-build-system.patch &&
     echo "#define DEB_HOST_MULTIARCH \"$(dpkg-architecture -qDEB_HOST_MULTIARCH)\"" >src/lua5.4-deb-multiarch.h &&
     make -s -C src -j2 linux-noreadline CC="$llvm/clang -std=gnu99" \
       MYCFLAGS="-O2 -gline-tables-only -fpass-plugin=$build/lib/whence-pass.so" \
       MYLDFLAGS="-L$B/lib -Wl,-rpath,$B/lib -lwhence" MYLIBS=) >"$B/lua.log" 2>&1 ||
    { echo "bench-profile.sh: Lua build failed, see $B/lua.log" >&2; exit 1; }
fi
lua=$B/lua/src/lua
[ -x "$lua" ] || { echo "bench-profile.sh: $lua missing (run without --no-build)" >&2; exit 1; }
[ -f "$gperf" ] || { echo "bench-profile.sh: $gperf missing (libgoogle-perftools-dev)" >&2; exit 1; }
command -v go >/dev/null || { echo "bench-profile.sh: go missing (golang-go)" >&2; exit 1; }

configs=(none whence-100 whence-1000 gperf-100 gperf-1000)
res=$B/results
rm -rf "$res" && mkdir -p "$res"

# run CONFIG I: one run; appends "wall cpu samples" to $res/CONFIG.
run() {
  local c=$1 i=$2 prof=$res/$1.$2.prof env=()
  case $c in
    none) ;;
    whence-*) env=(WHENCE_CPUPROFILE="$prof" WHENCE_CPUPROFILE_HZ="${c#whence-}") ;;
    gperf-*) env=(LD_PRELOAD="$gperf" CPUPROFILE="$prof" CPUPROFILE_FREQUENCY="${c#gperf-}") ;;
  esac
  local t0 t1 u0 u1
  # CPU time of the child from /proc (user+sys of the reaped children).
  read -r u0 < <(awk '{print $16 + $17}' /proc/$$/stat)
  t0=$(date +%s%N)
  env "${env[@]}" "$lua" "$script" "$depth" >/dev/null 2>"$res/$c.$i.err"
  t1=$(date +%s%N)
  read -r u1 < <(awk '{print $16 + $17}' /proc/$$/stat)
  local cpu_ms=$(( (u1 - u0) * 1000 / $(getconf CLK_TCK) ))
  local samples=0
  if [ -s "$prof" ]; then
    samples=$(go tool pprof -raw -symbolize=none "$prof" 2>/dev/null |
      awk '/^Samples:/ {s=1; next} /^Locations/ {s=0} s && /^ *[0-9]+ / {n += $1} END {print n + 0}')
  fi
  echo "$(( (t1 - t0) / 1000000 )) $cpu_ms $samples" >>"$res/$c"
}

rw_log "$runs alternating runs of ${configs[*]} (lua-binary-trees.lua $depth)"
for i in $(seq 1 "$runs"); do
  for c in "${configs[@]}"; do run "$c" "$i"; done
done

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
base_wall=$(awk '{print $1}' "$res/none" | median)
base_cpu=$(awk '{print $2}' "$res/none" | median)

if [ $markdown = 1 ]; then
  echo "| profiler | rate | wall (ms) | wall vs none | cpu (ms) | cpu vs none | samples | expected | samples/expected |"
  echo "|---|---|---|---|---|---|---|---|---|"
else
  printf '%-12s %8s %10s %8s %10s %8s %9s %9s %8s\n' config rate wall_ms wall cpu_ms cpu samples expected ratio
fi
for c in "${configs[@]}"; do
  wall=$(awk '{print $1}' "$res/$c" | median)
  cpu=$(awk '{print $2}' "$res/$c" | median)
  samples=$(awk '{print $3}' "$res/$c" | median)
  rate=${c#*-}
  [ "$c" = none ] && rate=-
  expected=-
  ratio=-
  if [ "$rate" != - ]; then
    expected=$(awk -v c="$cpu" -v r="$rate" 'BEGIN {printf "%d", c * r / 1000}')
    ratio=$(awk -v s="$samples" -v e="$expected" 'BEGIN {printf "%.2f", e ? s / e : 0}')
  fi
  wr=$(awk -v a="$wall" -v b="$base_wall" 'BEGIN {printf "%+.1f%%", (a / b - 1) * 100}')
  cr=$(awk -v a="$cpu" -v b="$base_cpu" 'BEGIN {printf "%+.1f%%", (a / b - 1) * 100}')
  name=${c%-*}
  if [ $markdown = 1 ]; then
    echo "| $name | $rate | $wall | $wr | $cpu | $cr | $samples | $expected | $ratio |"
  else
    printf '%-12s %8s %10s %8s %10s %8s %9s %9s %8s\n' "$name" "$rate" "$wall" "$wr" "$cpu" "$cr" "$samples" "$expected" "$ratio"
  fi
done
echo "(raw: $res/CONFIG: wall_ms cpu_ms samples per run; profiles $res/*.prof)" >&2
