#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# bench.sh: builds whence and its benchmarks, runs them side by side with the
# peers installed here (hand-written FP walk, glibc, libunwind, Go's runtime),
# and prints ONE table: medians of several runs, ratios, each target met or
# missed (shared/design/targets.md; docs/BENCH.md explains every row).
#
#   scripts/bench.sh [--runs N] [--first-runs N] [--callgrind] [--no-go]
#                    [--quick] [--markdown] [--no-build]
#
#   --runs N        separate runs of each warm benchmark process (default 5);
#                   every run reports the median of 11 repeats, the table the
#                   median over runs
#   --first-runs N  fresh processes for the first-lookup benchmark (default 21)
#   --callgrind     also run the C benchmarks under valgrind --tool=callgrind
#                   and print instructions per op (stable where timings are not)
#   --no-go         skip the Go side even if `go` is installed
#   --quick         --runs 2 --first-runs 7, shorter repeats (a smoke run)
#   --markdown      print the table as Markdown (for docs/BENCH.md)
#   --no-build      use what is already built
#
# Installs nothing itself beyond scripts/setup.sh.  Build directory:
# $WHENCE_BUILD_DIR or build/.  Results (raw key/value lines) and the table
# are kept in <build>/bench-results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WHENCE_BUILD_DIR:-$root/build}
runs=5 first_runs=21 callgrind=0 go=1 quick=0 markdown=0 do_build=1
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --first-runs) first_runs=$2; shift ;;
    --callgrind) callgrind=1 ;;
    --no-go) go=0 ;;
    --quick) quick=1; runs=2; first_runs=7 ;;
    --markdown) markdown=1 ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
reps_args=()
if [ $quick = 1 ]; then reps_args=(--repeats 5 --ms 2); fi

if [ $do_build = 1 ]; then
  "$root/scripts/setup.sh"
  # The whole project first; if an unrelated target is broken, the benches alone.
  mkdir -p "$build"
  if ! "$root/scripts/build.sh" "$build" >"$build/bench-build.log" 2>&1; then
    echo "bench.sh: full build failed (see $build/bench-build.log); building the benchmarks only" >&2
    cmake --build "$build" --target bench_caller bench_first bench_first_many whence-link
  fi
fi
bin=$build/bin
for b in bench_caller bench_first bench_first_many; do
  [ -x "$bin/$b" ] || { echo "bench.sh: $bin/$b is missing (configure with -DWHENCE_BUILD_BENCH=ON)" >&2; exit 1; }
done

# bench_first and bench_first_many (the same functions in 100 modules)
# again with whence-link's table written into them (first lookup with the
# table; the records are the same).
wl=$bin/whence-link
[ -x "$wl" ] || { echo "bench.sh: $wl is missing" >&2; exit 1; }
for b in bench_first bench_first_many; do
  "$wl" --quiet --strict -o "$bin/$b.tab" "$bin/$b" ||
    { echo "bench.sh: whence-link left $b without a table" >&2; exit 1; }
done

out=$build/bench-results
mkdir -p "$out"
raw=$out/results.txt
: >"$raw"

echo "== whence benchmarks: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cpus," \
     "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
     "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"

gofirst=
if [ $go = 1 ] && command -v go >/dev/null 2>&1; then
  gobuild=$build/bench-go
  "$root/bench/go/run.sh" "$gobuild" --build-only
  gofirst=$gobuild/whencebench-first
elif [ $go = 1 ]; then
  echo "bench.sh: go not found: Go columns left empty" >&2
fi

echo "-- C: bench_caller x$runs" >&2
for ((i = 0; i < runs; i++)); do
  "$bin/bench_caller" --raw "${reps_args[@]}" >>"$raw"
done
# The first lookups of whence, of whence with the table and of Go take
# turns, one process each: a first lookup is the cost of touching pages for
# the first time, which drifts with the machine's state over minutes
# (BENCH.md, tenth round); in turns, the drift weighs on all three alike.
echo "-- first lookups: bench_first, bench_first_many (each also with the table)${gofirst:+, whencebench-first} x$first_runs in turns" >&2
for ((i = 0; i < first_runs; i++)); do
  "$bin/bench_first" >>"$raw"
  "$bin/bench_first.tab" | sed 's/^/tab_/' >>"$raw"
  "$bin/bench_first_many" | sed 's/^/many_/' >>"$raw"
  "$bin/bench_first_many.tab" | sed 's/^/many_tab_/' >>"$raw"
  if [ -n "$gofirst" ]; then "$gofirst" -raw >>"$raw"; fi
done

if [ -n "$gofirst" ]; then
  echo "-- Go $(go env GOVERSION): whencebench x$runs" >&2
  goargs=(-raw)
  if [ $quick = 1 ]; then goargs+=(-repeats 5 -ms 2); fi
  for ((i = 0; i < runs; i++)); do
    "$gobuild/whencebench" "${goargs[@]}" >>"$raw"
  done
fi

if [ $callgrind = 1 ]; then
  if ! command -v valgrind >/dev/null 2>&1; then
    echo "bench.sh: valgrind not found: no callgrind figures" >&2
  else
    # Debian's valgrind 3.19 gives up on DWARF 5 anywhere in the binary (the
    # runtime's objects included): build everything with -gdwarf-4, apart.
    cgbuild=${build}-dwarf4
    echo "-- callgrind: building $cgbuild (-gdwarf-4), running bench_caller --callgrind" >&2
    if [ ! -f "$cgbuild/build.ninja" ]; then
      cmake -S "$root" -B "$cgbuild" -G Ninja -DCMAKE_C_COMPILER=/usr/lib/llvm-19/bin/clang \
        -DCMAKE_CXX_COMPILER=/usr/lib/llvm-19/bin/clang++ -DCMAKE_C_FLAGS=-gdwarf-4 \
        -DCMAKE_CXX_FLAGS=-gdwarf-4 -DWHENCE_BUILD_TESTS=OFF >/dev/null
    fi
    cmake --build "$cgbuild" --target bench_caller bench_first bench_first_many whence-link >"$out/callgrind-build.log" 2>&1 ||
      { echo "bench.sh: -gdwarf-4 build failed, see $out/callgrind-build.log" >&2; exit 1; }
    cg=$out/callgrind.out
    valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$cg" "$cgbuild/bin/bench_caller" --callgrind \
      >"$out/cgiters.txt" 2>"$out/callgrind.log" || {
      echo "bench.sh: valgrind failed, see $out/callgrind.log" >&2; }
    if [ -s "$cg" ]; then
      callgrind_annotate --inclusive=yes --threshold=100 "$cg" >"$out/callgrind.txt" 2>/dev/null || true
      # inclusive Ir of op_<key> / iterations of that op
      awk 'FNR == NR { if ($1 == "cgiters") iters[$2] = $3; next }
           {
             for (k in iters) {
               if (index($0, ":op_" k " [") && match($0, /^ *[0-9,]+/)) {
                 n = substr($0, RSTART, RLENGTH); gsub(/[ ,]/, "", n)
                 if (!(k in seen)) { printf "cg_%s\t%.1f\n", k, n / iters[k]; seen[k] = 1 }
               }
             }
           }' "$out/cgiters.txt" "$out/callgrind.txt" >>"$raw"
    fi
    # The warm lookups again in bench_caller processed by whence-link (the
    # table read in place instead of the buckets): cg_tab_<op>.
    if "$cgbuild/bin/whence-link" --quiet --strict -o "$cgbuild/bin/bench_caller.tab" "$cgbuild/bin/bench_caller"; then
      cgt=$out/callgrind-tab.out
      valgrind --tool=callgrind --callgrind-out-file="$cgt" "$cgbuild/bin/bench_caller.tab" --callgrind \
        >"$out/cgiters-tab.txt" 2>>"$out/callgrind.log" || true
      if [ -s "$cgt" ]; then
        callgrind_annotate --inclusive=yes --threshold=100 "$cgt" 2>/dev/null |
          awk 'FNR == NR { if ($1 == "cgiters") iters[$2] = $3; next }
               {
                 for (k in iters) {
                   if (k ~ /^(caller1|callers32|frames32|ffp_name|ffp_line)$/ && index($0, ":op_" k " [") &&
                       match($0, /^ *[0-9,]+/)) {
                     n = substr($0, RSTART, RLENGTH); gsub(/[ ,]/, "", n)
                     if (!(k in seen)) { printf "cg_tab_%s\t%.1f\n", k, n / iters[k]; seen[k] = 1 }
                   }
                 }
               }' "$out/cgiters-tab.txt" - >>"$raw"
      fi
    fi
    # The first lookup in a fresh process: inclusive Ir of bench_first's
    # first_lookup (without and with the table) and of Go's firstLookup.
    cg_first() { # KEY FUNCTION COMMAND...: "KEY<TAB>Ir" of FUNCTION's one call
      local key=$1 fn=$2 f="$out/callgrind-$1.out"
      shift 2
      valgrind --tool=callgrind --callgrind-out-file="$f" "$@" >/dev/null 2>>"$out/callgrind.log" || true
      [ -s "$f" ] || return 0
      callgrind_annotate --inclusive=yes --threshold=100 "$f" 2>/dev/null |
        awk -v k="$key" -v fn=":$fn " '
          !done && index($0, fn) && match($0, /^ *[0-9,]+/) {
            n = substr($0, RSTART, RLENGTH); gsub(/[ ,]/, "", n); printf "%s\t%s\n", k, n; done = 1 }'
    }
    for b in bench_first bench_first_many; do
      "$cgbuild/bin/whence-link" --quiet --strict -o "$cgbuild/bin/$b.tab" "$cgbuild/bin/$b" ||
        echo "bench.sh: whence-link left the -gdwarf-4 $b without a table" >&2
    done
    cg_first cg_first first_lookup "$cgbuild/bin/bench_first" >>"$raw"
    [ -x "$cgbuild/bin/bench_first.tab" ] && cg_first cg_tab_first first_lookup "$cgbuild/bin/bench_first.tab" >>"$raw"
    cg_first cg_many_first first_lookup "$cgbuild/bin/bench_first_many" >>"$raw"
    [ -x "$cgbuild/bin/bench_first_many.tab" ] &&
      cg_first cg_many_tab_first first_lookup "$cgbuild/bin/bench_first_many.tab" >>"$raw"
    if [ -n "${gobuild:-}" ] && [ -x "$gobuild/whencebench-first" ]; then
      # (GOMAXPROCS=1, no async preemption: valgrind aborts on Go's threads and signals)
      GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 cg_first cg_go_first main.firstLookup "$gobuild/whencebench-first" -raw >>"$raw"
    fi
  fi
fi

# Size of the records vs the line tables they stand in for (targets.md: the
# records must be no larger than .debug_line + .debug_line_str).
secsizes() { # FILE -> "name size" per section, size in decimal
  readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] *//p' | while read -r name _type _addr _off size _rest; do
    echo "$name $((16#$size))"
  done
}
# The benchmarks link libwhence.a: its own line tables are no part of what
# the records stand in for (the instrumented code's), so only the units
# whose source is not under runtime/ are counted (bench/line-bytes.py).
for b in bench_caller bench_first; do
  names=$(python3 "$root/lit/pass/Inputs/whence-dump.py" "$bin/$b" 2>/dev/null |
          awk '/^  subprog\[/ { sub(/.*name=/, ""); sub(/ file=.*/, ""); n += length($0) + 1 } END { print n + 0 }')
  # The table whence-link would write (its bytes: -v says), and the bytes of
  # the module tables' arrays it holds packed (no longer read with it).
  v=$("$wl" --check --verbose "$bin/$b" 2>&1)
  tab=$(sed -n 's/.*: table: \([0-9]*\) bytes.*/\1/p' <<<"$v")
  packed=$(sed -n 's/.*: packed: .* for \([0-9]*\) bytes of whence_mod.*/\1/p' <<<"$v")
  lines=$(python3 "$root/bench/line-bytes.py" /usr/lib/llvm-19/bin/llvm-dwarfdump "$bin/$b" "$root/runtime")
  secsizes "$bin/$b" | awk -v b="$b" -v lines="$lines" -v names="$names" -v tab="${tab:-0}" -v packed="${packed:-0}" '
    $1 ~ /^whence_(fn|site|mod|line)$/ { rec += $2 }
    $1 == "whence_site" { sites = $2 / 8 }
    $1 == "whence_mod" { mod = $2 }
    END { printf "size_rec_%s\t%d\nsize_lines_%s\t%d\nsize_names_%s\t%d\nsize_sites_%s\t%d\n", b, rec, b, lines, b, names, b, sites
          if (tab > 0) printf "size_tab_%s\t%d\n", b, tab + mod - packed }' >>"$raw"
done

report_args=()
if [ $markdown = 1 ]; then report_args=(--markdown); fi
"$bin/bench_caller" --report "${report_args[@]}" "$raw" | tee "$out/table.txt"
echo "(raw results: $raw; table: $out/table.txt)" >&2
