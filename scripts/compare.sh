#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# compare.sh [BUILD_DIR]: the same crashing C++ program (bench/compare/crash.cpp)
# built with whence, backward-cpp and Boost.Stacktrace, and its Go
# equivalent (bench/compare/go), run through the same scenarios: a null
# pointer write 3 frames deep, abort(), a stack overflow, an uncaught
# exception, a caught exception's origin, and the stripped binaries.  Then
# each tool's cost to capture and to print a 32-frame stack and the binary
# sizes.  Prints Markdown (docs/COMPARISON.md is a copy with commentary).
#
# Needs the Debian packages libbackward-cpp-dev, libboost-stacktrace-dev,
# libdw-dev (backward-cpp's file:line backend) and golang-go; installs the
# missing ones with apt-get.  The whence build directory: BUILD_DIR or build/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
bin=/usr/lib/llvm-19/bin
[ -f "$build/lib/whence-pass.so" ] || { echo "compare.sh: build whence first (scripts/build.sh)" >&2; exit 1; }

need=()
for p in libbackward-cpp-dev libboost-stacktrace-dev libdw-dev golang-go; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "compare.sh: installing ${need[*]}" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/bench/compare/crash.cpp" "$work/"
# Every tool sees the source as /src/crash.cpp.
cxx="$bin/clang++ -std=c++17 -O2 -fdebug-prefix-map=$work=/src"
cd "$work"
# WHENCE_LINES=1: line records, so that a faulting instruction has its own
# line (without them the faulting frame shows its last call's line).
WHENCE_LINES=1 $cxx -gline-tables-only -DUSE_WHENCE -I"$root/runtime/include" -fpass-plugin="$build/lib/whence-pass.so" \
  crash.cpp "$build/lib/libwhence.a" -lpthread -ldl -o whence
$cxx -g -DUSE_BACKWARD crash.cpp -ldw -o backward
$cxx -g -DUSE_BOOST crash.cpp -lboost_stacktrace_backtrace -ldl -o boost
tools=(whence backward boost)
have_go=0
if command -v go >/dev/null; then
  mkdir -p go
  cp "$root/bench/compare/go/main.go" go/
  printf 'module crash\n\ngo 1.19\n' >go/go.mod
  export GOCACHE="$work/gocache" GOPATH="$work/gopath" GOFLAGS=-mod=mod GOPROXY=off GO111MODULE=on
  unset GOTOOLCHAIN || true
  (cd go && go build -trimpath -o ../go-bin . && go build -trimpath -ldflags='-s -w' -o ../go-bin.stripped .)
  have_go=1
  tools+=(go-bin)
fi
for t in whence backward boost; do
  "$bin/llvm-strip" -s "$t" -o "$t.stripped"
done

label() {
  case $1 in
    whence*) echo "whence" ;; backward*) echo "backward-cpp 1.6 (libdw)" ;;
    boost*) echo "Boost.Stacktrace 1.74 (libbacktrace)" ;; go-bin*) echo "Go $(go env GOVERSION 2>/dev/null)" ;;
  esac
}

# run BINARY SCENARIO: its output (stdout and stderr), at most 40 lines,
# and how it ended.
run() {
  local out=$work/out rc=0
  set +e
  timeout 20 "./$1" "$2" >"$out" 2>&1
  rc=$?
  set -e
  local n
  n=$(wc -l <"$out")
  echo '```text'
  head -40 "$out" | sed "s/\t/    /g; s|$work/|./|g"
  [ "$n" -gt 40 ] && echo "[... $((n - 40)) more lines]"
  if [ $rc -gt 128 ]; then
    echo "[exit: killed by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null || echo ?))]"
  else
    echo "[exit: status $rc]"
  fi
  echo '```'
}

echo "## Outputs"
echo
echo "Built with clang 19 at -O2: whence with \`-gline-tables-only\`, the plugin and"
echo "its line records (\`WHENCE_LINES=1\`), libwhence linked statically;"
echo "backward-cpp and Boost.Stacktrace with \`-g\`; Go with \`go build -trimpath\`."
echo "Source paths read /src/crash.cpp; the binaries' directory reads ./."
for s in segv abort overflow uncaught caught; do
  echo
  case $s in
    segv) echo "### A null pointer written 3 frames below main (in a lambda of a template called by a method)" ;;
    abort) echo "### abort() in the same place (Go: SIGABRT sent to itself)" ;;
    overflow) echo "### Stack overflow (unbounded recursion)" ;;
    uncaught) echo "### An uncaught exception (Go: an unrecovered panic)" ;;
    caught) echo "### A caught exception: where was it thrown? (Go: recover + debug.Stack)" ;;
  esac
  for t in "${tools[@]}"; do
    echo
    echo "**$(label "$t")**"
    echo
    run "$t" "$s"
  done
done
echo
echo "### Stripped binaries (\`llvm-strip -s\`; Go: \`-ldflags='-s -w'\`)"
for s in segv caught; do
  for t in "${tools[@]}"; do
    echo
    echo "**$(label "$t")**, $s"
    echo
    run "$t.stripped" "$s"
  done
done

# ---- costs and sizes -----------------------------------------------------------
sect() { # FILE NAME-REGEX: summed sizes of matching sections
  "$bin/llvm-readelf" -S -W "$1" | python3 -c '
import re, sys
pat = re.compile(sys.argv[1])
t = 0
for l in sys.stdin:
    p = l.replace("]", "] ").split()
    for i, x in enumerate(p):
        if pat.fullmatch(x):
            t += int(p[i + 4], 16)
            break
print(t)' "$2"
}
echo
echo "## Costs and sizes"
echo
echo "ns per operation, median of 15 rounds in one process (the machine's"
echo "load moves these; compare within a row).  *capture*: a 32-frame stack;"
echo "*print*: names, files and lines of those frames into a string; *first*:"
echo "the first capture + print in the process (tables or debug info read)."
echo
echo "| tool | capture 32 | print 32 | first capture + print | binary | stripped | trace data in the binary |"
echo "|---|---|---|---|---|---|---|"
for t in "${tools[@]}"; do
  "./$t" bench >"$work/bench.$t" 2>/dev/null || true
  v() { awk -F'\t' -v k="$1" '$2 == k { print $3 }' "$work/bench.$t"; }
  fmt() { awk -v n="$1" 'BEGIN { if (n == "") print "-"; else if (n >= 1e6) printf "%.1f ms", n / 1e6; else if (n >= 1e3) printf "%.1f µs", n / 1e3; else printf "%d ns", n }'; }
  size=$(stat -c %s "$t")
  ssize=$(stat -c %s "$t.stripped")
  case $t in
    whence) data="whence_* records: $(sect "$t" 'whence_(fn|site|mod|line)') B" ;;
    go-bin) data="pclntab: $(sect "$t" '\.gopclntab') B" ;;
    *) data="DWARF: $(sect "$t" '\.debug_.*') B" ;;
  esac
  echo "| $(label "$t") | $(fmt "$(v capture_32_ns)") | $(fmt "$(v print_32_ns)") | $(fmt "$(v first_capture_print_ns)") | $size B | $ssize B | $data |"
done
echo
echo "Binary sizes are the executables alone: backward-cpp also loads libdw"
echo "(and its dependencies), Boost.Stacktrace libboost_stacktrace_backtrace;"
echo "whence's runtime is linked in statically."
