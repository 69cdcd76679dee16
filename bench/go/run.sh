#!/bin/sh
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# run.sh OUTDIR [whencebench args...]: builds the Go benchmark offline into
# OUTDIR (two binaries: whencebench with 1,000 generated functions and
# whencebench-first with 10,000) and, when args are given, runs whencebench.
# Stdlib only: no module is downloaded.  Build only: run.sh OUTDIR --build-only
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1; shift
mkdir -p "$out"
out=$(cd "$out" && pwd)
unset GOTOOLCHAIN || true
export GOFLAGS=-mod=mod GOCACHE="$out/gocache" GOPATH="$out/gopath" GOPROXY=off GO111MODULE=on
for v in warm:1000:whencebench first:10000:whencebench-first; do
  kind=${v%%:*}; rest=${v#*:}; n=${rest%%:*}; bin=${rest#*:}
  src=$out/src-$kind
  mkdir -p "$src"
  cp "$here/main.go" "$here/go.mod" "$src/"
  if [ ! -f "$src/funcs_gen.go" ] || [ "$here/../gen_funcs.sh" -nt "$src/funcs_gen.go" ]; then
    sh "$here/../gen_funcs.sh" go "$n" "$src/funcs_gen.go"
  fi
  (cd "$src" && go build -o "$out/$bin" .)
done
if [ "${1:-}" = --build-only ]; then exit 0; fi
if [ $# -gt 0 ] || [ -t 1 ]; then exec "$out/whencebench" "$@"; fi
