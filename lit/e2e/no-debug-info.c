// Built without any debug info (no -g): the tables still name functions,
// with line 0 (api.md, "Pass options").  Caller chain, whence_callers +
// whence_frames, whence_func_for_pc + whence_func_line, whence_write_stack.
// The file is "?" or this source file (unknown either way, but never another
// file).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 | FileCheck %s
// RUN: %clang -O2 %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O2 -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.st && %run %t.st | FileCheck %s
#include "whence_e2e.h"

#include <stdbool.h>

static volatile int sink;

NOINLINE int d(int x) {
    whence_frame f[6];
    bool ok[6];
    for (int s = 0; s < 6; s++) ok[s] = whence_caller(s, &f[s]);
    for (int s = 0; s < 6; s++)
        printf("caller(%d) ok=%d fn=%s file=%s line=%d inl=%d\n", s, ok[s], f[s].function,
               e2e_base(f[s].file), f[s].line, f[s].inlined);
    // CHECK:      caller(0) ok=1 fn=d file={{\?|no-debug-info.c}} line=0 inl=0
    // CHECK-NEXT: caller(1) ok=1 fn=c file={{\?|no-debug-info.c}} line=0 inl=0
    // CHECK-NEXT: caller(2) ok=1 fn=b file={{\?|no-debug-info.c}} line=0 inl=0
    // CHECK-NEXT: caller(3) ok=1 fn=a file={{\?|no-debug-info.c}} line=0 inl=0
    // CHECK-NEXT: caller(4) ok=1 fn=main file={{\?|no-debug-info.c}} line=0 inl=0
    // CHECK-NEXT: caller(5) ok=0 fn=? file=? line=0 inl=0
    uintptr_t pcs[8];
    int n = whence_callers(0, pcs, 8);
    e2e_dump("frames", pcs, n);
    // CHECK-NEXT: frames fn=d file={{\?|no-debug-info.c}} line=0 inl=0
    // CHECK-NEXT: frames fn=c file={{\?|no-debug-info.c}} line=0 inl=0
    // CHECK-NEXT: frames fn=b file={{\?|no-debug-info.c}} line=0 inl=0
    // CHECK-NEXT: frames fn=a file={{\?|no-debug-info.c}} line=0 inl=0
    // CHECK-NEXT: frames fn=main file={{\?|no-debug-info.c}} line=0 inl=0
    // CHECK-NEXT: frames end frames=5
    fflush(stdout);
    whence_write_stack(1, 0);
    // CHECK-NEXT: {{^}}d(...)
    // CHECK-NEXT: {{^.* \(line unknown\)( \+0x[0-9a-f]+)?$}}
    // CHECK-NEXT: {{^}}c(...)
    // CHECK-NEXT: {{^.* \(line unknown\)( \+0x[0-9a-f]+)?$}}
    // CHECK-NEXT: {{^}}b(...)
    // CHECK-NEXT: {{^.* \(line unknown\)( \+0x[0-9a-f]+)?$}}
    // CHECK-NEXT: {{^}}a(...)
    // CHECK-NEXT: {{^.* \(line unknown\)( \+0x[0-9a-f]+)?$}}
    // CHECK-NEXT: {{^}}main(...)
    // CHECK-NEXT: {{^.* \(line unknown\)( \+0x[0-9a-f]+)?$}}
    return x + 1;
}

NOINLINE int c(int x) {
    int r = d(x);
    sink = r;
    return r;
}

NOINLINE int b(int x) {
    int r = c(x) + 1;
    sink = r;
    return r;
}

NOINLINE int a(int x) {
    int r = b(x) * 2;
    sink = r;
    return r;
}

int main(int argc, char **argv) {
    (void)argv;
    sink = a(argc);
    const whence_func *f = whence_func_for_pc((uintptr_t)&c);
    const char *file = NULL;
    int line = whence_func_line(f, (uintptr_t)&c, &file);
    printf("for_pc(&c): name=%s entry_ok=%d line=%d file=%s\n", whence_func_name(f),
           whence_func_entry(f) == (uintptr_t)&c, line, e2e_base(file));
    // CHECK-NEXT: for_pc(&c): name=c entry_ok=1 line=0 file={{\?|no-debug-info.c}}{{$}}
    return 0;
}
