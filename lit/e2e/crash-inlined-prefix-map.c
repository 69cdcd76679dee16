// A crash report in an out-of-tree build under a prefix map to a relative
// name (CMake's reproducible-build setup: -ffile-prefix-map=SRC=. or =src,
// the build directory elsewhere).  The records spell the mapped name
// (`./util.h`), and DWARF 5's line table joins the same name to its
// directory 0, the compilation directory: the two never compared equal, so
// code inlined from a header read as the function's own line (`fault in
// work at BUILD/util.h:4`), and a static inline function's line of the same
// file as the caller's (helper).  Code inlined from a header or from the
// same file is "inlined code" now; a fault on the function's own line
// still is its own.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && split-file %s %t && mkdir -p %t/build
// DEFINE: %{cc} = cd %t/build && %clang -fno-omit-frame-pointer %whence_cflags %t/src/main.c %whence_libs
// DEFINE: %{run} = %run %t/build/p
// DEFINE: %{check} = FileCheck %s --check-prefix
//
// RUN: %{cc} -O2 -g -ffile-prefix-map=%t/src=. -o p
// RUN: not --crash %{run} hdr 2>&1 | %{check}=HDR
// RUN: not --crash %{run} same 2>&1 | %{check}=SAME
// RUN: not --crash %{run} own 2>&1 | %{check}=OWN
// RUN: %{cc} -O0 -g -ffile-prefix-map=%t/src=. -o p
// RUN: not --crash %{run} hdr 2>&1 | %{check}=HDR
// RUN: not --crash %{run} own 2>&1 | %{check}=OWN
// RUN: %{cc} -O2 -gline-tables-only -ffile-prefix-map=%t/src=src -o p
// RUN: not --crash %{run} hdr 2>&1 | %{check}=HDR
// RUN: not --crash %{run} same 2>&1 | %{check}=SAME
// RUN: not --crash %{run} own 2>&1 | %{check}=OWN
// The compilation directory mapped too (relative itself):
// RUN: %{cc} -O2 -g -ffile-prefix-map=%t=. -o p
// RUN: not --crash %{run} hdr 2>&1 | %{check}=HDR
// RUN: not --crash %{run} same 2>&1 | %{check}=SAME
// RUN: not --crash %{run} own 2>&1 | %{check}=OWN
// RUN: %{cc} -O2 -gline-tables-only -ffile-prefix-map=%t/= -o p
// RUN: not --crash %{run} hdr 2>&1 | %{check}=HDR
// RUN: not --crash %{run} own 2>&1 | %{check}=OWN
// DWARF 4 (relative names without directory 0):
// RUN: %{cc} -O2 -gdwarf-4 -g -ffile-prefix-map=%t/src=. -o p
// RUN: not --crash %{run} hdr 2>&1 | %{check}=HDR
// RUN: not --crash %{run} own 2>&1 | %{check}=OWN
//
// HDR: fault in work (inlined code at {{.*}}util.h:4)
// SAME: fault in work2 (inlined code at {{.*}}main.c:18)
// OWN: fault in own_fault at {{.*}}main.c:22{{$}}

//--- src/util.h
extern volatile int g;
static inline __attribute__((always_inline)) void poke(int *p, int k) {
    g++;
    p[k] = 5; /* util.h:4 */
}
//--- src/main.c
#include <string.h>
#include <whence.h>
#include "util.h"
volatile int g;
int *volatile nil;
static inline __attribute__((always_inline)) void later(int *p);
__attribute__((noinline)) int work(int *p) {
    g++;
    poke(p, 11);
    return g;
}
__attribute__((noinline)) int work2(int *p) {
    g++;
    later(p);
    return g;
}
static inline __attribute__((always_inline)) void later(int *p) {
    p[3] = g; /* main.c:18 */
}
__attribute__((noinline)) int own_fault(int *p) {
    g++;
    return *p + g; /* main.c:22 */
}
int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (argc > 1 && !strcmp(argv[1], "own"))
        return own_fault(nil);
    if (argc > 1 && !strcmp(argv[1], "same"))
        return work2(nil);
    return work(nil);
}
