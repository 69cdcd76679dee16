#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# run.sh BUILD_DIR CLANG: the install layout of api.md, used as a user would:
# `cmake --install` into a fresh prefix, then a program built with the
# pkg-config line of api.md and with find_package(whence): with its own
# flags, in each build type (whence_enable_plugin adds -gline-tables-only
# where the build type has no -g), and refused at configure time, with the
# reason, for gcc and for a clang of another LLVM version; whence_link() and
# whence_enable_plugin(LINK) run the installed whence-link after the link.
set -euo pipefail
build=$1
clang=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/whence-link include/whence.h include/whence.hpp include/whence_gc.h lib/libwhence.a lib/libwhence.so \
         lib/whence-pass.so lib/pkgconfig/whence.pc lib/cmake/whence/whenceConfig.cmake \
         share/whence/dfsan_abilist.txt; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f missing from the install"; exit 1; }
done

cat > "$work/prog.c" <<'C'
#include <stdio.h>
#include <whence.h>
__attribute__((noinline)) static void who(void) {
    whence_frame f;
    if (whence_caller(1, &f))
        printf("%s:%d\n", f.function, f.line);
}
int main(void) {
    who();
    return 0;
}
C
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
plugin=$(pkg-config --variable=plugin whence)
[ "$(readlink -f "$plugin")" = "$(readlink -f "$prefix/lib/whence-pass.so")" ] || {
  echo "FAIL: pkg-config plugin path $plugin"; exit 1; }
"$clang" -O2 -gline-tables-only -fpass-plugin="$plugin" "$work/prog.c" \
  $(pkg-config --cflags --libs whence) -o "$work/prog"
out=$("$work/prog")
[ "$out" = "main:9" ] || { echo "FAIL: pkg-config build printed '$out', want main:9"; exit 1; }

# find_package(whence) and whence_enable_plugin(), in a fresh project per
# case: cm NAME COMPILER [cmake args...] configures it (output in
# $work/NAME.log, status in $?) and builds it.
cat > "$work/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(user C)
find_package(whence REQUIRED)
add_executable(prog prog.c)
if(USER_FLAGS)
  target_compile_options(prog PRIVATE ${USER_FLAGS})
endif()
whence_enable_plugin(prog)
CM
cm() {
  local name=$1 cc=$2
  shift 2
  mkdir -p "$work/$name"
  cp "$work/prog.c" "$work/CMakeLists.txt" "$work/$name/"
  cmake -S "$work/$name" -B "$work/$name/build" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "$@" \
    >"$work/$name.log" 2>&1 || return 1
  cmake --build "$work/$name/build" >>"$work/$name.log" 2>&1
}
run_prog() { # NAME WANT: the program built in NAME prints WANT
  local out
  out=$("$work/$1/build/prog")
  [ "$out" = "$2" ] || { echo "FAIL: $1 build printed '$out', want $2"; exit 1; }
}

cm flags "$clang" -DCMAKE_BUILD_TYPE=Release "-DUSER_FLAGS=-O2;-gline-tables-only" ||
  { cat "$work/flags.log"; echo "FAIL: find_package build"; exit 1; }
run_prog flags main:9

# A project whose targets link with target_link_libraries' plain form (no
# PRIVATE/PUBLIC): CMake refuses the keyword form on such a target, and
# whence_enable_plugin() failed to configure (helper-104: re2, leveldb).  A
# static library of it, used by a program built without the plugin, brings
# libwhence to that program's link.
mkdir -p "$work/plain"
cp "$work/prog.c" "$work/plain/"
printf 'int twice(int x) { return 2 * x; }\n' > "$work/plain/lib.c"
printf 'int twice(int);\nint main(void) { return twice(2) != 4; }\n' > "$work/plain/use.c"
cat > "$work/plain/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(user C)
find_package(whence REQUIRED)
add_executable(prog prog.c)
target_link_libraries(prog m)
whence_enable_plugin(prog)
add_library(st STATIC lib.c)
target_link_libraries(st m)
whence_enable_plugin(st)
add_executable(use use.c)
target_link_libraries(use st)
CM
cmake -S "$work/plain" -B "$work/plain/build" -DCMAKE_C_COMPILER="$clang" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >"$work/plain.log" 2>&1 && cmake --build "$work/plain/build" >>"$work/plain.log" 2>&1 ||
  { cat "$work/plain.log"; echo "FAIL: whence_enable_plugin on targets of the plain signature"; exit 1; }
run_prog plain main:9
"$work/plain/build/use" || { echo "FAIL: the static library's user"; exit 1; }

# Without whence_link the linked file has no table (the one it would get
# checks out); with it, it has one, and answers the same.
wl="$prefix/bin/whence-link"
"$wl" --check "$work/flags/build/prog" 2>&1 | grep -q "the table it would get answers as its records do" ||
  { "$wl" --check "$work/flags/build/prog"; echo "FAIL: a table without whence_link"; exit 1; }

# whence_link(<target>) and whence_enable_plugin(<target> LINK): a POST_BUILD
# step on an executable and on the shared library it uses.
mkdir -p "$work/link"
cat > "$work/link/lib.c" <<'C'
#include <stdio.h>
#include <whence.h>
__attribute__((noinline)) void lib_who(void) {
    whence_frame f;
    if (whence_caller(1, &f))
        printf("%s:%d\n", f.function, f.line);
}
C
cat > "$work/link/prog.c" <<'C'
void lib_who(void);
__attribute__((noinline)) static void who(void) {
    lib_who();
}
int main(void) {
    who();
    return 0;
}
C
cat > "$work/link/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(user C)
find_package(whence REQUIRED)
add_library(lib SHARED lib.c)
whence_enable_plugin(lib LINK)
add_executable(prog prog.c)
target_link_libraries(prog PRIVATE lib)
whence_enable_plugin(prog)
whence_link(prog)
if(BAD)
  add_library(st STATIC lib.c)
  whence_link(st)
endif()
CM
cmake -S "$work/link" -B "$work/link/build" -DCMAKE_C_COMPILER="$clang" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >"$work/link.log" 2>&1 && cmake --build "$work/link/build" >>"$work/link.log" 2>&1 ||
  { cat "$work/link.log"; echo "FAIL: whence_link build"; exit 1; }
out=$("$work/link/build/prog")
[ "$out" = "who:3" ] || { echo "FAIL: whence_link build printed '$out', want who:3"; exit 1; }
for f in prog liblib.so; do
  "$wl" --check "$work/link/build/$f" 2>&1 | grep -q "its table answers as its records do" ||
    { "$wl" --check "$work/link/build/$f"; echo "FAIL: $f has no table after whence_link"; exit 1; }
done
# Rebuilt after a change: linked again, table again.
touch "$work/link/prog.c"
cmake --build "$work/link/build" >>"$work/link.log" 2>&1 || { cat "$work/link.log"; exit 1; }
"$wl" --check "$work/link/build/prog" 2>&1 | grep -q "its table answers" ||
  { echo "FAIL: no table after a rebuild"; exit 1; }
# A static library is not linked: refused at configure time, saying so.
if cmake -S "$work/link" -B "$work/link/bad" -DCMAKE_C_COMPILER="$clang" -DBAD=ON \
     -DCMAKE_PREFIX_PATH="$prefix" >"$work/linkbad.log" 2>&1; then
  echo "FAIL: whence_link of a static library configured"; exit 1
fi
tr -s ' \n' '  ' <"$work/linkbad.log" | grep -q "whence_link(st): a STATIC_LIBRARY is not linked" ||
  { cat "$work/linkbad.log"; echo "FAIL: no clear message for whence_link(static)"; exit 1; }

# A Release build (or none) gives no -g: whence_enable_plugin adds
# -gline-tables-only, or every line would be 0.
for bt in Release MinSizeRel ""; do
  cm "bt$bt" "$clang" -DCMAKE_BUILD_TYPE="$bt" ||
    { cat "$work/bt$bt.log"; echo "FAIL: build type '$bt'"; exit 1; }
  run_prog "bt$bt" main:9
  grep -q -- '-gline-tables-only' "$work/bt$bt/build/compile_commands.json" ||
    { echo "FAIL: build type '$bt' without -gline-tables-only"; exit 1; }
done
# Debug has -g of its own: left alone.
cm debug "$clang" -DCMAKE_BUILD_TYPE=Debug || { cat "$work/debug.log"; exit 1; }
run_prog debug main:9
if grep -q -- '-gline-tables-only' "$work/debug/build/compile_commands.json"; then
  echo "FAIL: Debug build got -gline-tables-only on top of its -g"; exit 1
fi

# A compiler that cannot load the plugin fails at configure time, saying why.
expect_refused() { # NAME COMPILER WHAT
  if cm "$1" "$2"; then
    echo "FAIL: configuring with $2 succeeded"; exit 1
  fi
  # CMake wraps the message: compare it as one line.
  tr -s ' \n' '  ' <"$work/$1.log" |
    grep -q "whence_enable_plugin(prog): the whence plugin needs clang [0-9]*, but the C compiler is $3" ||
    { cat "$work/$1.log"; echo "FAIL: no clear message for $2"; exit 1; }
}
if [ -x /usr/bin/gcc ]; then
  expect_refused gcc /usr/bin/gcc GNU
fi
for other in /usr/lib/llvm-*/bin/clang; do
  [ -x "$other" ] || continue
  [ "$(readlink -f "$(dirname "$other")")" = "$(readlink -f "$(dirname "$clang")")" ] && continue
  expect_refused "other$(basename "$(dirname "$(dirname "$other")")")" "$other" Clang
done

# Under INTERPROCEDURAL_OPTIMIZATION whence_enable_plugin() also hands the
# plugin to the (lld) link, so a function inlined across modules keeps its
# frame (docs/LINKING.md).
mkdir -p "$work/ipo"
cat > "$work/ipo/b.c" <<'C'
#include <stdio.h>
#include <whence.h>
__attribute__((noinline)) void leaf(void) {
    whence_frame f;
    for (int k = 1; k <= 3 && whence_caller(k, &f); k++)
        printf("%s:%d%s\n", f.function, f.line, f.inlined ? " inlined" : "");
}
void mid(void) {
    leaf();
}
C
cat > "$work/ipo/a.c" <<'C'
void mid(void);
__attribute__((noinline)) static void outer(void) {
    mid();
}
int main(void) {
    outer();
    return 0;
}
C
cat > "$work/ipo/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(user C)
find_package(whence REQUIRED)
add_executable(prog a.c b.c)
target_compile_options(prog PRIVATE -O2 -gline-tables-only)
set_property(TARGET prog PROPERTY INTERPROCEDURAL_OPTIMIZATION ON)
whence_enable_plugin(prog)
CM
cmake -S "$work/ipo" -B "$work/ipo/build" -DCMAKE_C_COMPILER="$clang" \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/ipo/build" >/dev/null
out=$("$work/ipo/build/prog" 2>&1 | tr '\n' ' ')
[ "$out" = "mid:9 inlined outer:3 main:6 " ] || {
  echo "FAIL: INTERPROCEDURAL_OPTIMIZATION build printed '$out', want 'mid:9 inlined outer:3 main:6 '"
  exit 1; }
echo "install layout, pkg-config, find_package, whence_enable_plugin's checks, whence_link and IPO: ok"
