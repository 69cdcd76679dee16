// A function built without the plugin whose code is one jump (a tail call:
// `return on_event(x);`) is a function of its own, not a stub: a pointer to
// it names no instrumented function, though the jump reads like a PLT entry
// (-fno-plt: `jmp *slot(%rip)`) or a -fsanitize=cfi jump-table entry (the
// int3 that lld pads -ffunction-sections with after `[endbr64] jmp rel32`;
// AArch64's `b f`).  Its unwind table tells: an FDE of exactly the jump;
// without unwind tables, a direct jump is not taken for a table's entry,
// and a jump through a slot is a PLT entry only where the slot has a
// jump-slot relocation (a -fno-plt one's is GLOB_DAT; helper-107).
// Before, whence_func_for_pc named the function it jumps to, with its line.
// REQUIRES: lld, (x86_64-linux || aarch64-linux)
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared %whence_cflags -DLIB %s %whence_libs -o %t/liblib.so
// RUN: %clang -O2 -ffunction-sections -DFWD -c %s -o %t/fwd.o
// RUN: %clang -O2 -fPIC -fno-plt -DFWD -c %s -o %t/fwd-noplt.o
// RUN: %clang -O2 -fPIC -fno-plt -fno-asynchronous-unwind-tables -fno-unwind-tables -DFWD -c %s -o %t/fwd-nocfi.o
// RUN: %clang -O2 -gline-tables-only -fuse-ld=lld %whence_cflags %s %t/fwd.o -L%t -Wl,-rpath,%t -llib %whence_libs -o %t/a
// RUN: %run %t/a | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fuse-ld=lld %whence_cflags %s %t/fwd-noplt.o -L%t -Wl,-rpath,%t -llib %whence_libs -o %t/b
// RUN: %run %t/b | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fuse-ld=lld %whence_cflags %s %t/fwd-nocfi.o -L%t -Wl,-rpath,%t -llib %whence_libs -o %t/d
// RUN: %run %t/d | FileCheck %s
// RUN: %if x86_64-linux %{ %clang -O2 -ffunction-sections -fcf-protection=full -DFWD -c %s -o %t/fwd-ibt.o %}
// RUN: %if x86_64-linux %{ %clang -O2 -gline-tables-only -fuse-ld=lld -fcf-protection=full %whence_cflags %s %t/fwd-ibt.o -L%t -Wl,-rpath,%t -llib %whence_libs -o %t/c %}
// RUN: %if x86_64-linux %{ %run %t/c | FileCheck %s %}
// CHECK: forward_local: unnamed
// CHECK: forward_lib: unnamed
// CHECK: on_event: on_event line=[[#@LINE+14]]
// CHECK: lib_handler: lib_handler
#include <stdint.h>
#include <stdio.h>
#if defined(LIB)
int lib_handler(int x) { return x + 2; }
#elif defined(FWD)
int on_event(int);
int lib_handler(int);
int forward_local(int x) { return on_event(x); }
int forward_lib(int x) { return lib_handler(x); }
#else
#include <whence.h>
int forward_local(int), forward_lib(int), lib_handler(int);
__attribute__((noinline)) int on_event(int x) { return x + 1; }
static void show(const char *what, int (*fn)(int)) {
    const whence_func *f = whence_func_for_pc((uintptr_t)fn);
    const char *file;
    int line = whence_func_line(f, (uintptr_t)fn, &file);
    if (f)
        printf("%s: %s line=%d\n", what, whence_func_name(f), line);
    else
        printf("%s: unnamed\n", what);
}
int main(void) {
    show("forward_local", forward_local);
    show("forward_lib", forward_lib);
    show("on_event", on_event);
    show("lib_handler", lib_handler);
    return forward_local(1) + forward_lib(1) == 0;
}
#endif
