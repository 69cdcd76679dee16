// A library's initializer runs before the program's constructors, and may
// call into the program (a replaced malloc or operator new, a callback):
// the program's records were not registered yet, its frames were nobody's,
// and whence_caller(0) in the program's hook named the library's
// initializer below it as the caller, at its line, as if exact.  The
// runtime registers the program from its note (runtime/note.c) at the
// first lookup that finds no image: the hook's own frame and line.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %s %whence_libs -o %t/libearly.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/prog
// RUN: %run %t/prog | FileCheck %s
// RUN: %clang -O0 -g %whence_cflags %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/prog0
// RUN: %run %t/prog0 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/prog2
// RUN: %run %t/prog2 | FileCheck %s
// An -fPIC object first in the link, and a program built only of -fPIC
// objects (a .preinit_array entry, which did this before, could not be in
// either: GNU ld refuses one in a shared object, where -fPIC objects may
// go): the same.
// RUN: %clang -O2 -gline-tables-only -fPIC -DOTHER %whence_cflags -c %s -o %t/other.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %t/other.o %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/progm
// RUN: %run %t/progm | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fPIC %whence_cflags %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/progpic
// RUN: %run %t/progpic | FileCheck %s
// The library without the plugin, and without libwhence among its
// dependencies: its initializer may run before libwhence's constructor
// (both link orders).  The hook's frame the same (no caller that whence
// knows).
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB -I%whence_incdir %s -o %t/libearly.so
// RUN: %run %t/prog | FileCheck %s --check-prefix=PLAIN
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -L%t -learly -Wl,-rpath,%t -o %t/progw
// RUN: %run %t/progw | FileCheck %s --check-prefix=PLAIN
// CHECK: library initializer: hook at line [[#HOOK:]], caller lib_init
// CHECK: main: hook at line [[#HOOK]], caller main
// PLAIN: library initializer: hook at line [[#HOOK:]], caller ?
// PLAIN: main: hook at line [[#HOOK]], caller main
#if defined(OTHER)
int other(int x) { return x + 1; }
#elif defined(LIB)
void hook(const char *who);
__attribute__((constructor)) static void lib_init(void) {
    hook("library initializer");
}
#else
#include <stdio.h>
#include <string.h>
#include <whence.h>
__attribute__((noinline)) void hook(const char *who) {
    whence_frame f, up;
    int line = __LINE__ + 1;
    if (!whence_caller(0, &f) || strcmp(f.function, "hook") || f.line != line) {
        printf("%s: WRONG: %s at line %d (expected hook at %d)\n", who, f.function, f.line, line);
        return;
    }
    whence_caller(1, &up);
    printf("%s: hook at line %d, caller %s\n", who, f.line, up.function);
}
int main(void) {
    hook("main");
    return 0;
}
#endif
