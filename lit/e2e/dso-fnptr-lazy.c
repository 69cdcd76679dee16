// A non-PIE program's pointer to a shared library's function is its PLT
// entry (dso-fnptr.c), whose GOT slot, under lazy binding, leads back into
// the PLT until the first call: the pointer was named by nothing until
// then (helper-105), which is when a program logs the handlers it
// registers.  The slot's relocation names the function: its only
// definition among the loaded objects is what the slot will be bound to.
// Two libraries that both define it (interposition: the search order
// decides) leave the pointer unnamed until the call binds it; so does a
// library whose definitions are versioned (the program was linked against
// one without versions: the loader binds the oldest; the default one was
// named, helper-107).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %s %whence_libs -o %t/libone.so
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB -DTWO %whence_cflags %s %whence_libs -o %t/libtwo.so
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie %whence_cflags %s -L%t -lone -Wl,-rpath,%t %whence_libs -o %t/main
// RUN: %run %t/main | FileCheck %s
// RUN: env LD_BIND_NOT=1 %run %t/main | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie %whence_cflags %s -L%t -lone -ltwo -Wl,-rpath,%t %whence_libs -o %t/both
// RUN: %run %t/both | FileCheck %s --check-prefix=BOTH
// RUN: mkdir -p %t/ver && printf 'V1 { global: on_event; local: *; };\nV2 { global: on_event; } V1;\n' > %t/v.map
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB -DVERSIONED -Wl,--version-script=%t/v.map %whence_cflags %s %whence_libs -o %t/ver/libone.so
// RUN: env LD_LIBRARY_PATH=%t/ver %run %t/main | FileCheck %s --check-prefix=VER
// RUN: %if ld.bfd %{ %clang -O2 -gline-tables-only -fno-pie -no-pie -fuse-ld=bfd %whence_cflags %s -L%t -lone -Wl,-rpath,%t %whence_libs -o %t/bfd %}
// RUN: %if ld.bfd %{ %run %t/bfd | FileCheck %s %}
// RUN: %if mold %{ %clang -O2 -gline-tables-only -fno-pie -no-pie -fuse-ld=mold %whence_cflags %s -L%t -lone -Wl,-rpath,%t %whence_libs -o %t/mold %}
// RUN: %if mold %{ %run %t/mold | FileCheck %s %}
// CHECK: before the first call: on_event line=[[#@LINE+15]]
// CHECK: after it: on_event line=[[#@LINE+14]]
// BOTH: before the first call: nothing
// BOTH: after it: on_event line=[[#@LINE+12]]
// VER: before the first call: nothing
// VER: after it: on_event_v1 line=[[#@LINE+5]]
#include <stdint.h>
#include <stdio.h>
#include <whence.h>
#if defined(LIB) && defined(VERSIONED)
__attribute__((noinline)) int on_event_v1(int x) { return x + 1; }
__attribute__((noinline)) int on_event_v2(int x) { return x + 2; }
__asm__(".symver on_event_v1, on_event@V1");
__asm__(".symver on_event_v2, on_event@@V2");
#elif defined(LIB)
__attribute__((noinline)) int on_event(int x) { return x + 1; }
#if defined(TWO)
int two_only(void) { return 2; }
#endif
#else
int on_event(int);
static void show(const char *when, int (*fn)(int)) {
    const whence_func *f = whence_func_for_pc((uintptr_t)fn);
    const char *file;
    int line = whence_func_line(f, (uintptr_t)fn, &file);
    if (f)
        printf("%s: %s line=%d\n", when, whence_func_name(f), line);
    else
        printf("%s: nothing\n", when);
}
int main(void) {
    int (*volatile fn)(int) = on_event;
    show("before the first call", fn);
    int r = fn(1);
    show("after it", fn);
    return r != 2;
}
#endif
