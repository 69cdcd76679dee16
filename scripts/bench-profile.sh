#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# bench-profile.sh: what the CPU profiler costs a CPU-bound program, side by
# side with gperftools' profiler in the same run.  Not a test.
#
#   scripts/bench-profile.sh [--work DIR] [--runs N] [--depth N] [--no-build]
#                            [--no-callgrind] [--markdown]
#
#   --work DIR      sources and builds (default: $WHENCE_RW_DIR or /tmp/whence-rw)
#   --runs N        alternating runs of every configuration (default 7)
#   --depth N       binary-trees depth (default 16: a few seconds per run)
#   --no-build      reuse the Lua build in --work
#   --no-callgrind  skip the instruction counts (a minute)
#   --markdown      the tables as Markdown (docs/PROFILE.md)
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
#
# Wall and CPU times on a shared machine vary by several percent from run
# to run, more than a profiler at 100 Hz costs.  So the same configurations
# also run under callgrind (depth 12, copies without debug sections:
# valgrind 3.19 cannot read DWARF 5), which counts instructions exactly:
# "Ir/signal" is every instruction the profiler added (handler, thread
# scans, drains, naming, writing), divided by the signals it received; the
# projected cost at a rate is that times the signals per CPU second the
# native runs received (samples minus merged periods: CPU timers expire on
# the scheduler's tick, so above its rate fewer signals carry the samples),
# over the instructions per CPU second of the program (callgrind's count
# over the native CPU time at depth 12).  gperftools is left out there: its
# setitimer(ITIMER_PROF) signal kills the program under valgrind.
# Needs libgoogle-perftools-dev, golang-go and valgrind (installed if missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
work=${WHENCE_RW_DIR:-/tmp/whence-rw}
runs=7 depth=16 do_build=1 markdown=0 callgrind=1
while [ $# -gt 0 ]; do
  case $1 in
    --work) work=$2; shift ;;
    --runs) runs=$2; shift ;;
    --depth) depth=$2; shift ;;
    --no-build) do_build=0 ;;
    --no-callgrind) callgrind=0 ;;
    --markdown) markdown=1 ;;
    -h|--help) sed -n '2,43p' "$0"; exit 0 ;;
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
  rw_need dpkg-dev libgoogle-perftools-dev golang-go valgrind
  rw_deb_src
  rw_log "building whence in $build"
  "$root/scripts/build.sh" "$build" >"$work/whence-build.log" 2>&1 ||
    { echo "bench-profile.sh: whence build failed, see $work/whence-build.log" >&2; exit 1; }
  rm -rf "$B" && mkdir -p "$B/lib"
  # Without debug sections: the same code, and valgrind can read it.
  cp "$build/lib/libwhence.so" "$B/lib/" && strip --strip-debug "$B/lib/libwhence.so"
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

# profile_counts FILE: "samples signals" it holds (whence counts the periods
# merged into one signal in a comment; gperftools has one sample a signal).
profile_counts() {
  go tool pprof -raw -symbolize=none "$1" 2>/dev/null | awk '
    /^Comment: whence: timer periods merged/ {m = $NF}
    /^Samples:/ {s = 1; next} /^Locations/ {s = 0}
    s && /^ *[0-9]+ / {n += $1}
    END {printf "%d %d\n", n, n - m}'
}

# env_for CONFIG PROFILE: the environment of a configuration.
env_for() {
  case $1 in
    none) ;;
    whence-*) echo "WHENCE_CPUPROFILE=$2 WHENCE_CPUPROFILE_HZ=${1#whence-}" ;;
    gperf-*) echo "LD_PRELOAD=$gperf CPUPROFILE=$2 CPUPROFILE_FREQUENCY=${1#gperf-}" ;;
  esac
}

# run CONFIG I DEPTH OUT: one native run; appends "wall_ms cpu_ms samples
# signals" to OUT.
run() {
  local c=$1 i=$2 d=$3 out=$4 prof=$res/$1.$2.prof
  local times counts="0 0"
  # Wall, user and system time in milliseconds (bash's time keyword).
  times=$( { TIMEFORMAT='%3R %3U %3S'; time env $(env_for "$c" "$prof") "$lua" "$script" "$d" \
             >/dev/null 2>"$res/$c.$i.err"; } 2>&1 )
  [ -s "$prof" ] && counts=$(profile_counts "$prof")
  echo "$times $counts" | awk '{printf "%d %d %s %s\n", $1 * 1000, ($2 + $3) * 1000, $4, $5}' >>"$out"
}

rw_log "$runs alternating runs of ${configs[*]} (lua-binary-trees.lua $depth)"
for i in $(seq 1 "$runs"); do
  for c in "${configs[@]}"; do run "$c" "$i" "$depth" "$res/$c"; done
done

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
col() { awk -v k="$2" '{print $k}' "$1" | median; }
base_wall=$(col "$res/none" 1)
base_cpu=$(col "$res/none" 2)

row() { # the cells of one table row
  if [ $markdown = 1 ]; then
    local out="|" x
    for x in "$@"; do out+=" $x |"; done
    echo "$out"
  else
    printf '%-8s %6s %10s %8s %10s %8s %9s %9s %8s %14s\n' "$@"
  fi
}
echo
[ $markdown = 1 ] && { echo "| profiler | rate | wall ms | wall vs none | cpu ms | cpu vs none | samples | expected | samples/expected | signals per cpu s |"; echo "|---|---|---|---|---|---|---|---|---|---|"; } ||
  row profiler rate wall_ms wall cpu_ms cpu samples expected ratio signals/cpu_s
for c in "${configs[@]}"; do
  wall=$(col "$res/$c" 1); cpu=$(col "$res/$c" 2); samples=$(col "$res/$c" 3)
  rate=${c#*-} expected=- ratio=- sps=-
  [ "$c" = none ] && rate=-
  if [ "$rate" != - ]; then
    expected=$(awk -v c="$cpu" -v r="$rate" 'BEGIN {printf "%d", c * r / 1000}')
    ratio=$(awk -v s="$samples" -v e="$expected" 'BEGIN {printf "%.2f", e ? s / e : 0}')
    sps=$(awk '{printf "%.0f\n", $2 ? $4 * 1000 / $2 : 0}' "$res/$c" | median)
  fi
  wr=$(awk -v a="$wall" -v b="$base_wall" 'BEGIN {printf "%+.1f%%", (a / b - 1) * 100}')
  cr=$(awk -v a="$cpu" -v b="$base_cpu" 'BEGIN {printf "%+.1f%%", (a / b - 1) * 100}')
  row "${c%-*}" "$rate" "$wall" "$wr" "$cpu" "$cr" "$samples" "$expected" "$ratio" "$sps"
  echo "$sps" >"$res/$c.sps"
done

if [ $callgrind = 1 ]; then
  command -v valgrind >/dev/null || { echo "bench-profile.sh: valgrind missing" >&2; exit 1; }
  cgdepth=12
  strip --strip-debug "$lua" -o "$B/lua-nodebug"
  rw_log "native CPU time at depth $cgdepth (9 runs), then callgrind of each configuration"
  for i in $(seq 1 9); do run none "cg$i" "$cgdepth" "$res/none.d$cgdepth"; done
  cpu12=$(col "$res/none.d$cgdepth" 2)
  cgconfigs=(none whence-100 whence-1000)
  for c in "${cgconfigs[@]}"; do
    prof=$res/$c.cg.prof
    # shellcheck disable=SC2046
    env $(env_for "$c" "$prof") valgrind --tool=callgrind --callgrind-out-file="$res/cg.$c" \
      "$B/lua-nodebug" "$script" "$cgdepth" >/dev/null 2>"$res/cg.$c.err"
    ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$res/cg.$c.err")
    counts="0 0"
    [ -s "$prof" ] && counts=$(profile_counts "$prof")
    echo "$ir $counts" >"$res/cg.$c"
  done
  ir0=$(awk '{print $1}' "$res/cg.none")
  echo
  [ $markdown = 1 ] && { echo "| profiler | rate | instructions | vs none | signals | instructions per signal | projected cost at the native rate |"; echo "|---|---|---|---|---|---|---|"; } ||
    printf '%-8s %6s %14s %8s %8s %12s %10s\n' profiler rate Ir vs_none signals Ir/signal projected
  for c in "${cgconfigs[@]}"; do
    read -r ir _ sig <"$res/cg.$c"
    rate=${c#*-}; [ "$c" = none ] && rate=-
    vs=$(awk -v a="$ir" -v b="$ir0" 'BEGIN {printf "%+.2f%%", (a / b - 1) * 100}')
    per=- proj=-
    if [ "$c" != none ] && [ "${sig:-0}" -gt 0 ]; then
      per=$(awk -v a="$ir" -v b="$ir0" -v s="$sig" 'BEGIN {printf "%d", (a - b) / s}')
      proj=$(awk -v p="$per" -v sps="$(cat "$res/$c.sps")" -v ir0="$ir0" -v cpu="$cpu12" \
        'BEGIN {printf "%.2f%%", p * sps / (ir0 / (cpu / 1000)) * 100}')
    fi
    if [ $markdown = 1 ]; then
      echo "| ${c%-*} | $rate | $ir | $vs | ${sig:-0} | $per | $proj |"
    else
      printf '%-8s %6s %14s %8s %8s %12s %10s\n' "${c%-*}" "$rate" "$ir" "$vs" "${sig:-0}" "$per" "$proj"
    fi
  done
  echo "(native CPU time at depth $cgdepth: ${cpu12} ms)"
fi
echo "(raw: $res: CONFIG: wall_ms cpu_ms samples signals per run; cg.CONFIG: Ir samples signals)" >&2
