#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# record-size.sh [BUILD_DIR]: the size of whence's records (whence_fn +
# whence_site + whence_mod, + whence_line where the pass emits it) in linked images, against the same image's
# -gline-tables-only line tables (.debug_line + .debug_line_str), for:
#   the link tests' representative program (lit/link/Inputs/rep.c),
#   a few end-to-end test programs (lit/e2e),
#   a generated program of 1,000 functions and 5,000 calls,
#   two C++ programs: lit/e2e/cxx-names.cpp and a generated one that uses
#   the standard library's templates (regex, map, function, sort, streams).
# Every program is built once with -O2 -gline-tables-only and the plugin, and
# once more at -O0.  Prints a Markdown table (docs/LINKING.md has a copy);
# "names" is the bytes of the distinct function names in the tables' string
# pools (C++ functions carry their qualified, demangled names).
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

# The C++ program: many standard-library instantiations, long names.
cat > "$work/gen/std.cpp" <<'CPP'
#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>
namespace app {
struct Record { std::string key; std::vector<int> values; };
template <class T> struct Index {
  std::map<std::string, std::vector<T>> by_key;
  void add(const std::string &k, T v) { by_key[k].push_back(v); }
  std::vector<T> sorted(const std::string &k) const {
    auto it = by_key.find(k);
    if (it == by_key.end()) return {};
    std::vector<T> v = it->second;
    std::sort(v.begin(), v.end(), [](const T &a, const T &b) { return b < a; });
    return v;
  }
};
std::vector<Record> parse(const std::string &text) {
  std::vector<Record> out;
  std::regex line(R"((\w+)=([0-9,]+))");
  for (std::sregex_iterator it(text.begin(), text.end(), line), end; it != end; ++it) {
    Record r{(*it)[1], {}};
    std::stringstream ss((*it)[2].str());
    std::string item;
    while (std::getline(ss, item, ',')) r.values.push_back(std::stoi(item));
    out.push_back(std::move(r));
  }
  return out;
}
} // namespace app
int main(int argc, char **argv) {
  app::Index<int> ix;
  app::Index<double> dx;
  std::function<void(const app::Record &)> sink = [&](const app::Record &r) {
    for (int v : r.values) { ix.add(r.key, v); dx.add(r.key, v * 0.5); }
  };
  for (const auto &r : app::parse(argc > 1 ? argv[1] : "a=1,2 b=3")) sink(r);
  for (int v : ix.sorted("a")) std::cout << v << ' ';
  for (double v : dx.sorted("b")) std::cout << v << ' ';
  std::cout << '\n';
  return 0;
}
CPP

# Bytes of the distinct subprog names in the whence_mod tables of an ELF
# file (whence_abi.h: header fields, 8-byte subprogs, string pool).
names_sum() {
  "$bin/llvm-objcopy" --dump-section whence_mod="$work/mod.bin" "$1" /dev/null 2>/dev/null || { echo 0; return; }
  python3 - "$work/mod.bin" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
o = total = 0
while o + 64 <= len(b):
    magic, = struct.unpack_from("<I", b, o)
    if magic != 0x314E4857:
        o += 8
        continue
    size, = struct.unpack_from("<I", b, o + 8)
    nsub, sub_off = struct.unpack_from("<II", b, o + 24)
    str_off, = struct.unpack_from("<I", b, o + 44)
    seen = set()
    for i in range(nsub):
        name, = struct.unpack_from("<I", b, o + sub_off + 8 * i)
        if name in seen:
            continue
        seen.add(name)
        s = o + str_off + name
        total += b.index(b"\0", s) - s + 1
    o += max(size, 8)
print(total)
PY
}

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
  "e2e/cxx-names.cpp (C++)|-std=c++17 $root/lit/e2e/cxx-names.cpp $libs"
  "standard-library templates (C++)|$work/gen/std.cpp $libs"
)

printf '| program | opt | functions | calls (sites) | whence_fn | whence_site | whence_line | whence_mod | records | .debug_line + _str | records / lines | names |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for p in "${progs[@]}"; do
  name=${p%%|*}
  args=${p#*|}
  for opt in -O2 -O0; do
    out=$work/prog
    # shellcheck disable=SC2086
    cc=$bin/clang
    case $name in *"(C++)"*) cc=$bin/clang++ ;; esac
    if ! "$cc" $opt $cflags $args -o "$out" 2>"$work/err"; then
      echo "| $name | $opt | build failed: $(head -c 200 "$work/err" | tr '\n' ' ') |"
      continue
    fi
    fn=$(sect_sum "$out" whence_fn)
    site=$(sect_sum "$out" whence_site)
    mod=$(sect_sum "$out" whence_mod)
    line=$(sect_sum "$out" whence_line)
    lines=$(sect_sum "$out" .debug_line .debug_line_str)
    rec=$((fn + site + line + mod))
    names=$(names_sum "$out")
    printf '| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %s | %d |\n' "$name" "$opt" $((fn / 16)) \
      $((site / 8)) "$fn" "$site" "$line" "$mod" "$rec" "$lines" \
      "$(awk -v a=$rec -v b=$lines 'BEGIN { printf "%.2f", b ? a / b : 0 }')" "$names"
  done
done
