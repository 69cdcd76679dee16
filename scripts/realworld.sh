#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# realworld.sh: builds real C projects from their Debian source packages with
# the whence plugin, runs each project's own test suite, and proves that a
# whence call inside the project names real frames.  Not run in CI (minutes
# per project); docs/REALWORLD.md explains it and records the results.
#
#   scripts/realworld.sh [--work DIR] [--jobs N] [--no-build] [--quick] [--sample] PROJECT...
#   scripts/realworld.sh all        # zlib zstd lua5.4 jq pcre2
#   scripts/realworld.sh --sample lua5.4   # -O2 -g, SIGPROF samples against DWARF
#
#   PROJECT     zlib | zstd | lua5.4 | jq | pcre2
#   --work DIR  sources, builds and logs (default: $WHENCE_RW_DIR or /tmp/whence-rw);
#               fetched sources are kept and reused, builds are redone
#   --jobs N    make -j (default: nproc)
#   --no-build  use the whence build as it is (default: scripts/build.sh first)
#   --quick     shorter time-boxed test runs where a suite has them (zstd's fuzzers)
#   --sample    the -O2 -g check instead of the probe: build with CMake's
#               RelWithDebInfo flags (-O2 -g -DNDEBUG) and the plugin, link
#               bench/realworld/sampler.c (not instrumented) instead of the
#               probe, run the suite (for lua5.4 also the bench/realworld
#               workloads) with WHENCE_SAMPLE_DIR set: SIGPROF every 500 us
#               records whence_callers and the CFI unwinder's raw frames;
#               bench/realworld/sample-report.py then compares every sampled
#               return address's whence frames with llvm-symbolizer's DWARF
#               answer (docs/REALWORLD.md, "-O2 -g: sampled frames against DWARF")
#
# How each project is built (as a user would): CC is LLVM 19's clang, and
#   CFLAGS  = -O2 -gline-tables-only -fpass-plugin=<build>/lib/whence-pass.so
#   LDFLAGS = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc <probe.o>
#             -L<build>/lib -Wl,-rpath,<build>/lib -lwhence
# bench/realworld/probe.c (compiled with the plugin) is the __wrap_* side: on
# sampled allocations it captures the stack with whence_callers and at exit
# writes the distinct stacks, expanded to function + file:line, under
# WHENCE_PROBE_DIR, which is set while the test suite runs.
# bench/realworld/probe-report.py then checks every file:line it saw against
# the project's sources (the line must hold a call; the report also counts
# lines that name the callee) and prints the most frequent allocation sites.
#
# Sources come from `apt-get source` (a deb-src entry for the mirror of the
# existing deb entries is added when missing).  Build dependencies that are
# not on the machine (autoconf, automake, libtool, libonig-dev, dpkg-dev) are
# installed with apt-get.  Whence build: $WHENCE_BUILD_DIR or build-rw/.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build-rw}
work=${WHENCE_RW_DIR:-/tmp/whence-rw}
jobs=$(nproc)
do_build=1 quick=0 sample=0
projects=()
while [ $# -gt 0 ]; do
  case $1 in
    --work) work=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --no-build) do_build=0 ;;
    --quick) quick=1 ;;
    --sample) sample=1 ;;
    all) projects+=(zlib zstd lua5.4 jq pcre2) ;;
    zlib|zstd|lua5.4|jq|pcre2) projects+=("$1") ;;
    lua) projects+=(lua5.4) ;;
    -h|--help) sed -n '2,47p' "$0"; exit 0 ;;
    *) echo "realworld.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#projects[@]} -gt 0 ] || { sed -n '2,47p' "$0"; exit 2; }

llvm=/usr/lib/llvm-19/bin
CC=$llvm/clang
[ -x "$CC" ] || { echo "realworld.sh: $CC missing (scripts/setup.sh installs LLVM 19)" >&2; exit 1; }
mkdir -p "$work"/{src,build,logs}
work=$(cd "$work" && pwd)

# shellcheck source=../bench/realworld/lib.sh
. "$root/bench/realworld/lib.sh"

# ---- machine: tools, deb-src, whence -------------------------------------
rw_need dpkg-dev autoconf automake libtool libonig-dev pkg-config ||
  { echo "realworld.sh: could not install the build tools" >&2; exit 1; }
rw_deb_src || { echo "realworld.sh: could not add deb-src entries" >&2; exit 1; }

if [ $do_build = 1 ]; then
  rw_log "building whence in $build"
  "$root/scripts/build.sh" "$build" >"$work/logs/whence-build.log" 2>&1 ||
    { echo "realworld.sh: whence build failed, see $work/logs/whence-build.log" >&2; exit 1; }
fi
plugin=$build/lib/whence-pass.so
[ -f "$plugin" ] && [ -f "$build/lib/libwhence.so" ] || { echo "realworld.sh: $plugin or libwhence.so missing" >&2; exit 1; }

CFLAGS_W="-O2 -gline-tables-only -fpass-plugin=$plugin"
probe=$work/probe/probe.o
mkdir -p "$work/probe"
$CC $CFLAGS_W -fPIC -I"$root/runtime/include" -c "$root/bench/realworld/probe.c" -o "$probe" ||
  { echo "realworld.sh: probe.c failed to compile" >&2; exit 1; }
LDFLAGS_W="-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc $probe -L$build/lib -Wl,-rpath,$build/lib -lwhence"
if [ $sample = 1 ]; then
  # RelWithDebInfo; the sampler is not instrumented (its own frames are not
  # whence's), so whence_callers(0) in its handler starts at the interrupted frame
  CFLAGS_W="-O2 -g -DNDEBUG -fpass-plugin=$plugin"
  sampler=$work/probe/sampler.o
  $CC -O2 -fPIC -I"$root/runtime/include" -c "$root/bench/realworld/sampler.c" -o "$sampler" ||
    { echo "realworld.sh: sampler.c failed to compile" >&2; exit 1; }
  LDFLAGS_W="$sampler -L$build/lib -Wl,-rpath,$build/lib -lwhence"
fi

# ---- sources ----------------------------------------------------------------
# fresh SRCPKG PROJECT -> copies the tree to build/PROJECT, prints its path
fresh() { rw_fresh "$1" "$work/build/$2"; }

# ---- projects -------------------------------------------------------------
# Each build_X sets: tree (source tree), version, and runs the build in $tree;
# each test_X runs the suite and sets tests ("N passed" text) or returns 1.
export CC
b_zlib() {
  tree=$(fresh zlib zlib) && cd "$tree" || return 1
  CFLAGS="$CFLAGS_W" LDFLAGS="$LDFLAGS_W" ./configure && make -j"$jobs"
}
t_zlib() {
  make check 2>&1 | tee "$work/logs/zlib.check.out"
  local rc=${PIPESTATUS[0]} ok
  ok=$(grep -c '\*\*\* zlib.*test OK \*\*\*' "$work/logs/zlib.check.out")
  tests="$ok/3 suites OK (make check: static, shared, 64-bit)"
  [ "$rc" = 0 ] && [ "$ok" = 3 ]
}

b_zstd() {
  tree=$(fresh libzstd zstd) && cd "$tree" || return 1
  # Debian builds with upstream's make (lib, programs); MOREFLAGS stays empty.
  # CFLAGS/LDFLAGS from the environment: the makefiles append to them
  # (LDFLAGS += -shared), which a command-line setting would override.
  CFLAGS="$CFLAGS_W" LDFLAGS="$LDFLAGS_W" make -j"$jobs" lib-release zstd-release
}
t_zstd() {
  local t=-T30s n=0 f=0 target
  [ $quick = 1 ] && t=-T10s
  # make check (playTests.sh, what Debian runs) + the unit/fuzz programs of
  # `make -C tests test`, time-boxed.
  for target in check "-C tests test-fuzzer" "-C tests test-zstream" "-C tests test-invalidDictionaries" \
                "-C tests test-legacy" "-C tests test-decodecorpus" "-C tests test-pool"; do
    # shellcheck disable=SC2086
    if CFLAGS="$CFLAGS_W" LDFLAGS="$LDFLAGS_W" make $target FUZZERTEST=$t ZSTREAM_TESTTIME=$t \
         DECODECORPUS_TESTTIME=${t%s}; then n=$((n + 1)); else f=$((f + 1)); echo "FAILED: make $target"; fi
  done
  tests="$n passed, $f failed (make check + tests/ fuzzer, zstream, invalidDictionaries, legacy, decodecorpus, pool; fuzzers $t)"
  [ $f = 0 ]
}

b_lua5.4() {
  tree=$(fresh lua5.4 lua5.4) && cd "$tree" || return 1
  # Upstream's makefile: Debian's 0001-build-system.patch (libtool, a C++
  # copy of the library) is reverted; its other patches (CVE fixes) stay.
  # debian/rules writes the header that names the multiarch directory.
  patch -R -p1 <debian/patches/0001-build-system.patch &&
    echo "#define DEB_HOST_MULTIARCH \"$(dpkg-architecture -qDEB_HOST_MULTIARCH)\"" >src/lua5.4-deb-multiarch.h &&
    make -C src -j"$jobs" linux-noreadline CC="$CC -std=gnu99" MYCFLAGS="$CFLAGS_W" MYLDFLAGS="$LDFLAGS_W" MYLIBS=
}
t_lua5.4() {
  # Lua's test suite is not in the source package: a smoke suite of ours
  # (bench/realworld/lua-smoke.lua) plus upstream's `make test` (lua -v).
  src/lua -v && src/lua "$root/bench/realworld/lua-smoke.lua" 2>&1 | tee "$work/logs/lua5.4.smoke.out"
  local rc=${PIPESTATUS[0]}
  tests=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/logs/lua5.4.smoke.out" | tail -1)
  tests="${tests:-no result} (bench/realworld/lua-smoke.lua)"
  if [ $sample = 1 ] && [ "$rc" = 0 ]; then
    # enough samples: the CPU-bound workloads of bench-realworld.sh, smaller
    src/lua "$root/bench/realworld/lua-fib.lua" 27 && src/lua "$root/bench/realworld/lua-binary-trees.lua" 14 &&
      src/lua "$root/bench/realworld/lua-strings.lua" 3 || rc=1
    tests="$tests + lua-fib 27, lua-binary-trees 14, lua-strings 3"
  fi
  [ "$rc" = 0 ]
}

b_jq() {
  tree=$(fresh jq jq) && cd "$tree" || return 1
  # Debian: autoreconf, --disable-static, system oniguruma.  --disable-valgrind:
  # with valgrind installed the suite runs under it, and valgrind 3.19 cannot
  # read clang 19's DWARF 5 (Debian's build machines have no valgrind).
  autoreconf -fi >/dev/null 2>&1 &&
    CFLAGS="$CFLAGS_W" LDFLAGS="$LDFLAGS_W" ./configure --disable-static --disable-docs \
      --disable-maintainer-mode --disable-valgrind --with-oniguruma=yes &&
    make -j"$jobs"
}
t_jq() {
  make -j"$jobs" check
  local rc=$?
  tests=$(sed -n 's/^# \(PASS\|FAIL\|ERROR\|SKIP\|XFAIL\): *\([0-9]*\)/\1 \2/p' test-suite.log 2>/dev/null | tr '\n' ' ')
  tests="${tests:-no test-suite.log}(make check)"
  [ "$rc" = 0 ]
}

b_pcre2() {
  tree=$(fresh pcre2 pcre2) && cd "$tree" || return 1
  # Debian's configure options that matter for the code: JIT, 16- and 32-bit libraries.
  CFLAGS="$CFLAGS_W" LDFLAGS="$LDFLAGS_W" ./configure --disable-static --enable-jit \
      --enable-pcre2-16 --enable-pcre2-32 && make -j"$jobs"
}
t_pcre2() {
  make -j"$jobs" check
  local rc=$?
  tests=$(sed -n 's/^# \(PASS\|FAIL\|ERROR\|SKIP\|XFAIL\): *\([0-9]*\)/\1 \2/p' test-suite.log 2>/dev/null | tr '\n' ' ')
  tests="${tests:-no test-suite.log}(make check)"
  [ "$rc" = 0 ]
}

# ---- run ------------------------------------------------------------------
summary=$work/logs/summary.tsv
: >"$summary"
for p in "${projects[@]}"; do
  start=$SECONDS
  tree= tests= bstat=FAIL tstat=- frames=-
  rw_log "$p: fetch + build (log: $work/logs/$p.build.log)"
  if (set -e; b_"$p") >"$work/logs/$p.build.log" 2>&1; then
    bstat=ok
    tree=$work/build/$p
    probe_dir=$tree/whence-probe
    rm -rf "$probe_dir" && mkdir -p "$probe_dir"
    rw_log "$p: test suite (log: $work/logs/$p.test.log)"
    # The suite runs in this shell (tests is set by t_*), output to the log.
    cd "$tree"
    if [ $sample = 1 ]; then
      WHENCE_SAMPLE_DIR=$probe_dir t_"$p" >"$work/logs/$p.test.log" 2>&1
    else
      WHENCE_PROBE_DIR=$probe_dir t_"$p" >"$work/logs/$p.test.log" 2>&1
    fi
    if [ $? = 0 ]; then
      tstat="ok: $tests"
    else
      tstat="FAIL: ${tests:-see log}"
    fi
    cd "$root"
    if [ $sample = 1 ]; then
      rw_log "$p: sampled frames against DWARF"
      # exit status 1: a mismatch with DWARF, or a line without a call
      python3 "$root/bench/realworld/sample-report.py" --markdown --src "$tree" \
        --summary "$work/logs/$p.samples.txt" "$probe_dir" >"$work/logs/$p.report.txt"
      [ $? = 0 ] || tstat="FAIL (frames): $tstat"
      cat "$work/logs/$p.report.txt" >&2
      frames=$(cat "$work/logs/$p.samples.txt" 2>/dev/null)
    else
      rw_log "$p: whence frames seen by the probe"
      frames=$(python3 "$root/bench/realworld/probe-report.py" --project "$p" --src "$tree" \
                 --summary "$work/logs/$p.frames.txt" --list "$work/logs/$p.frames-all.tsv" "$probe_dir" | tee "$work/logs/$p.report.txt" >&2;
               cat "$work/logs/$p.frames.txt" 2>/dev/null)
    fi
  fi
  version=$(basename "$(find "$work/src/$( [ "$p" = zstd ] && echo libzstd || echo "$p")" -maxdepth 1 -name '*.dsc' | head -1)" .dsc 2>/dev/null)
  printf '%s\t%s\t%s\t%s\t%s\t%ss\n' "$p" "${version:-?}" "$bstat" "$tstat" "$frames" "$((SECONDS - start))" >>"$summary"
  rw_log "$p: build $bstat, tests $tstat ($((SECONDS - start)) s)"
done

echo
if [ $sample = 1 ]; then
  echo "| project | Debian source | build (-O2 -g) | tests passed | SIGPROF-sampled frames against DWARF | time |"
else
  echo "| project | Debian source | build | tests passed | frames named (whence_callers from __wrap_malloc) | time |"
fi
echo "|---|---|---|---|---|---|"
awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$summary"
echo "(logs and per-project reports: $work/logs)"
! grep -qP '\tFAIL' "$summary"
