// patchelf (Nix, conda and auditwheel run it on every binary they ship)
// moves the notes into a new segment when it grows the interpreter, the
// run path or the needed libraries.  The program's whence note names its
// registration by an offset from the note (runtime/note.c), and
// libwhence's constructor called note + offset: every such program
// crashed before main (helper-84).  The note's target is now called only
// if it is one of the program's constructors (DT_INIT_ARRAY, which
// patchelf keeps right); otherwise the program registers when its
// constructors run, and a lookup that misses before then says why once.
// REQUIRES: x86_64-linux, patchelf
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %s %whence_libs -o %t/liblate.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -L%t -llate -Wl,-rpath,%t %whence_libs -o %t/prog
// RUN: %clang -O2 -gline-tables-only -no-pie %whence_cflags %s -L%t -llate -Wl,-rpath,%t %whence_libs -o %t/prog-nopie
// RUN: %clang -O2 -g -fuse-ld=lld %whence_cflags %s -L%t -llate -Wl,-rpath,%t %whence_libs -o %t/prog-lld
// RUN: %t/prog | FileCheck %s
// RUN: cp %t/prog %t/p1 && patchelf --add-needed libm.so.6 %t/p1
// RUN: cp %t/prog %t/p2 && patchelf --add-rpath /nix/store/0123456789abcdefghijklmnopqrstuv-zlib-1.3.1/lib %t/p2
// RUN: cp %t/prog-nopie %t/p3 && patchelf --add-needed libm.so.6 %t/p3
// RUN: cp %t/prog-lld %t/p4 && patchelf --add-needed libm.so.6 %t/p4
// The notes did move:
// RUN: llvm-readelf -lW %t/prog | grep -m1 NOTE > %t/before && llvm-readelf -lW %t/p1 | grep -m1 NOTE > %t/after && not cmp -s %t/before %t/after
// RUN: %t/p1 2> %t/p1.err | FileCheck %s
// RUN: %t/p2 2> %t/p2.err | FileCheck %s
// RUN: %t/p3 2> %t/p3.err | FileCheck %s
// RUN: %t/p4 2> %t/p4.err | FileCheck %s
// RUN: count 0 < %t/p1.err
// RUN: count 0 < %t/p4.err
// A library initializer that calls into the program before its
// constructors: the program's frames cannot be named then, and the miss
// says why.
// RUN: env EARLY=1 %t/p1 2> %t/early.err | FileCheck %s --check-prefix=EARLY
// RUN: FileCheck %s --check-prefix=MSG < %t/early.err
// A library initializer that walks only its own frames (and the loader's
// below them): nothing of the program's is missed, nothing said
// (helper-88: it was said).
// RUN: env WALK=1 %t/p1 2> %t/walk.err | FileCheck %s --check-prefix=WALK
// RUN: count 0 < %t/walk.err
// CHECK: main: hook at line [[#HOOK:]], caller main
// CHECK-NEXT: done
// EARLY: main: hook at line [[#HOOK:]], caller main
// WALK: library initializer: lib_walk
// WALK-NEXT: main: hook at line
// MSG: whence: the program's note was moved after linking (patchelf?) and no longer names its registration: until its constructors run, the program's frames are given as foreign code's
// MSG-NOT: whence:
#if defined(LIB)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <whence.h>
void hook(const char *who);
__attribute__((noinline)) static void lib_walk(void) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    if (whence_frames_next(&it, &f))
        printf("library initializer: %s\n", f.function);
}
__attribute__((constructor)) static void lib_init(void) {
    if (getenv("EARLY"))
        hook("library initializer");
    if (getenv("WALK"))
        lib_walk();
}
#else
#include <stdio.h>
#include <string.h>
#include <whence.h>
__attribute__((noinline)) void hook(const char *who) {
    whence_frame f, up;
    int line = __LINE__ + 1;
    if (!whence_caller(0, &f) || strcmp(f.function, "hook") || f.line != line) {
        printf("%s: not named: %s at line %d (hook is at %d)\n", who, f.function, f.line, line);
        return;
    }
    whence_caller(1, &up);
    printf("%s: hook at line %d, caller %s\n", who, f.line, up.function);
}
int main(void) {
    hook("main");
    printf("done\n");
    return 0;
}
#endif
