// A program built with -fsanitize=memory uses whence without false reports:
// libwhence is not instrumented, so what it wrote and returned read as
// uninitialized ("MemorySanitizer: use-of-uninitialized-value" at the first
// test of whence_caller's result).  whence.h's inline wrappers under MSan
// mark the results initialized, and are no frame of their own: every line
// and skip count is what it is without MSan.
// REQUIRES: x86_64-linux
// RUN: %clang -O0 -g -fsanitize=memory %whence_cflags %s %whence_libs -o %t.o0
// RUN: %t.o0 2>&1 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fsanitize=memory %whence_cflags %s %whence_libs -o %t.o2
// RUN: %t.o2 2>&1 | FileCheck %s
// CHECK-NOT: MemorySanitizer
// CHECK-NOT: whence_msan
#include <stdio.h>
#include <string.h>
#include <whence.h>

__attribute__((noinline)) void leaf(void) {
    whence_frame f;
    if (whence_caller(0, &f) && f.line > 0)
        printf("caller0 %s:%d\n", f.function, f.line);
    // CHECK: caller0 leaf:[[@LINE-2]]
    // CHECK-NEXT: caller1 mid:[[# @LINE + 30]]
    if (whence_caller(1, &f) && f.line > 0)
        printf("caller1 %s:%d\n", f.function, f.line);
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    whence_frames it;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        if (f.line > 0)
            printf("frame %s:%d\n", f.function, f.line);
    // CHECK: frame leaf:[[# @LINE - 6]]
    // CHECK-NEXT: frame mid:[[# @LINE + 19]]
    // CHECK-NEXT: frame main:[[# @LINE + 28]]
    const whence_func *fn = whence_func_for_pc(pcs[0]);
    const char *file = NULL;
    int line = whence_func_line(fn, pcs[0], &file);
    if (fn && whence_func_entry(fn) && line > 0 && strstr(file, "msan.c"))
        printf("func %s:%d\n", whence_func_name(fn), line);
    // CHECK: func leaf:[[# @LINE - 14]]
    char buf[512];
    size_t k = whence_format_stack(buf, sizeof buf, pcs, n);
    if (k > 0 && k < sizeof buf && buf[0] == 'l')
        printf("formatted %zu\n", k);
    // CHECK: formatted
    if (whence_nanotime() > 0 && whence_set_stack_depth(0) >= 0 && !whence_callers_end())
        printf("rest ok\n");
    // CHECK: rest ok
}

__attribute__((noinline)) void mid(void) {
    leaf();
    printf("\n");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (whence_install_crash_handler() != 0)
        printf("install failed\n");
    if (whence_install_quit_handler() != 0)
        printf("quit install failed\n");
    mid();
    if (whence_write_all_stacks(1) > 0)
        printf("dumped\n");
    // CHECK: dumped
    return 0;
}
