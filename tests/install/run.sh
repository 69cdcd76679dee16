#!/usr/bin/env bash
# run.sh BUILD_DIR CLANG: the install layout of api.md, used as a user would:
# `cmake --install` into a fresh prefix, then a program built with the
# pkg-config line of api.md and one built with find_package(whence).
set -euo pipefail
build=$1
clang=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in include/whence.h include/whence.hpp include/whence_gc.h lib/libwhence.a lib/libwhence.so \
         lib/whence-pass.so lib/pkgconfig/whence.pc lib/cmake/whence/whenceConfig.cmake; do
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

mkdir -p "$work/cm"
cp "$work/prog.c" "$work/cm/prog.c"
cat > "$work/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(user C)
find_package(whence REQUIRED)
add_executable(prog prog.c)
target_compile_options(prog PRIVATE -O2 -gline-tables-only)
whence_enable_plugin(prog)
CM
cmake -S "$work/cm" -B "$work/cm/build" -DCMAKE_C_COMPILER="$clang" \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cm/build" >/dev/null
out=$("$work/cm/build/prog")
[ "$out" = "main:9" ] || { echo "FAIL: find_package build printed '$out', want main:9"; exit 1; }
echo "install layout, pkg-config and find_package: ok"
