// Calls the sanitizers add are calls like any other: clang adds ASan's,
// TSan's and MSan's instrumentation at OptimizerLast, registered after the
// plugin's own callbacks, and the pass registers its compile-time run last
// so that it labels them too.  Here ASan's report call for p[i] is the
// frame below __asan_on_error (which ASan calls before it reports): get's
// line is that of the access, not the line of the printf call before it,
// at -O0 and -O2, with line tables and with full debug info (frame slots),
// as ASan's own report says it.  A TSan build labels __tsan_read4 likewise.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only -fsanitize=address %whence_cflags %s %whence_libs -o %t.o2 && not %t.o2 2>&1 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only -fsanitize=address %whence_cflags %s %whence_libs -o %t.o0 && not %t.o0 2>&1 | FileCheck %s
// RUN: %clang -O2 -g -fsanitize=address %whence_cflags %s %whence_libs -o %t.g && not %t.g 2>&1 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fsanitize=thread %whence_cflags -S -emit-llvm %s -o - | FileCheck %s --check-prefix=TSAN
#include <stdio.h>
#include <stdlib.h>
#include <whence.h>

void __asan_on_error(void) {
    uintptr_t pcs[32];
    int n = whence_callers(0, pcs, 32);
    whence_frames it;
    whence_frames_init(&it, pcs, n);
    whence_frame fr;
    while (whence_frames_next(&it, &fr))
        fprintf(stderr, "frame %s %d\n", fr.function, fr.line);
}

__attribute__((noinline)) int get(int *p, int i) {
    printf("reading %d\n", i);
    int r = i * 2;
    r += p[i]; // CHECK: frame get [[# @LINE]]
    return r;
}

int main(int argc, char **argv) {
    (void)argv;
    int *p = malloc(4 * sizeof *p);
    int r = get(p, 3 + argc); // CHECK-NEXT: frame main [[# @LINE]]
    printf("%d\n", r);
    return 0;
}
// TSAN-LABEL: define {{.*}} @get(
// TSAN: @printf(
// TSAN: call void asm ".Lwhence_site
// TSAN-NEXT: call void @__tsan_read4(
