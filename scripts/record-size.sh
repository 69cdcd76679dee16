#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# record-size.sh [BUILD_DIR]: the size of whence's records (whence_fn +
# whence_site + whence_mod, + whence_line where the pass emits it) in linked images, against the same image's
# -gline-tables-only line tables (.debug_line + .debug_line_str), for:
#   the link tests' representative program (lit/link/Inputs/rep.c),
#   a few end-to-end test programs (lit/e2e),
#   a generated program of 1,000 functions and 5,000 calls.
# Every program is built once with -O2 -gline-tables-only and the plugin, and
# once more at -O0.  Prints a Markdown table (docs/LINKING.md has a copy).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
bin=/usr/lib/llvm-19/bin
plugin=$build/lib/whence-pass.so
lib=$build/lib
[ -f "$plugin" ] || { echo "record-size: no plugin at $plugin (build first)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Sum of the sizes of the named sections of an ELF file (hex sizes from
# llvm-readelf -S -W).
sect_sum() {
  local f=$1; shift
  "$bin/llvm-readelf" -S -W "$f" | python3 -c '
import sys
want = set(sys.argv[1:])
total = 0
for line in sys.stdin:
    parts = line.replace("]", "] ").split()
    for i, p in enumerate(parts):
        if p in want:
            total += int(parts[i + 4], 16)
            break
print(total)' "$@"
}

# The generated program: 1,000 functions in 10 files, each calling 5 others
# (5,000 calls), on separate lines.
python3 - "$work/gen" <<'PY'
import os, sys
d = sys.argv[1]
os.makedirs(d)
nf, files, calls = 1000, 10, 5
per = nf // files
with open(os.path.join(d, "gen.h"), "w") as h:
    h.write("extern volatile int gen_sink;\n")
    for i in range(nf):
        h.write("int gen_f%d(int x);\n" % i)
for f in range(files):
    with open(os.path.join(d, "gen%d.c" % f), "w") as c:
        c.write('#include "gen.h"\n')
        if f == 0:
            c.write("volatile int gen_sink;\n")
        for i in range(f * per, (f + 1) * per):
            c.write("__attribute__((noinline)) int gen_f%d(int x) {\n" % i)
            c.write("    int acc = x;\n")
            c.write("    if (x <= 0)\n        return x;\n")
            for k in range(calls):
                callee = (i * 7 + k * 131 + 1) % nf
                c.write("    acc += gen_f%d(x - %d);\n" % (callee, k + 1))
                c.write("    gen_sink = acc;\n")
            c.write("    return acc;\n}\n")
with open(os.path.join(d, "main.c"), "w") as c:
    c.write('#include "gen.h"\nint main(int argc, char **argv) { (void)argv; return gen_f0(argc - 2) & 1; }\n')
PY

cflags="-gline-tables-only -I$root/runtime/include -I$root/lit/Inputs -fpass-plugin=$plugin"
libs="-L$lib -Wl,-rpath,$lib -lwhence -lpthread -ldl"
# name|compile-and-link arguments (the output is appended)
progs=(
  "rep.c (link tests)|$root/lit/link/Inputs/rep.c -I$root/lit/link/Inputs $libs"
  "e2e/qsort-callback.c|$root/lit/e2e/qsort-callback.c $libs"
  "e2e/inline-frames.c|$root/lit/e2e/inline-frames.c $libs"
  "e2e/threads-paths.c|$root/lit/e2e/threads-paths.c -pthread $libs"
  "e2e/write-stack.c|$root/lit/e2e/write-stack.c $libs"
  "generated 1,000 fn / 5,000 calls|$work/gen/main.c $(ls "$work"/gen/gen*.c | tr '\n' ' ') -I$work/gen $libs"
)

printf '| program | opt | functions | calls (sites) | whence_fn | whence_site | whence_line | whence_mod | records | .debug_line + _str | records / lines |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for p in "${progs[@]}"; do
  name=${p%%|*}
  args=${p#*|}
  for opt in -O2 -O0; do
    out=$work/prog
    # shellcheck disable=SC2086
    if ! "$bin/clang" $opt $cflags $args -o "$out" 2>"$work/err"; then
      echo "| $name | $opt | build failed: $(head -c 200 "$work/err" | tr '\n' ' ') |"
      continue
    fi
    fn=$(sect_sum "$out" whence_fn)
    site=$(sect_sum "$out" whence_site)
    mod=$(sect_sum "$out" whence_mod)
    line=$(sect_sum "$out" whence_line)
    lines=$(sect_sum "$out" .debug_line .debug_line_str)
    rec=$((fn + site + line + mod))
    printf '| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %s |\n' "$name" "$opt" $((fn / 16)) \
      $((site / 8)) "$fn" "$site" "$line" "$mod" "$rec" "$lines" \
      "$(awk -v a=$rec -v b=$lines 'BEGIN { printf "%.2f", b ? a / b : 0 }')"
  done
done
