// Code in an execute-only segment (no read permission: ld.lld
// --execute-only on AArch64; here a plain library's text segment made so
// after the link) is code: a return address into it is a frame, and the
// walk goes on through the library's unwind tables.  The stop at a return
// address in an image's data took it for data (helper-102): the stack
// ended at the callback, "the unwind tables led to a return address in no
// code".
// REQUIRES: x86_64-linux, lld
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fPIC -shared -fuse-ld=lld -DLIB %s -o %t/libfx.so
// RUN: python3 %S/Inputs/execute-only.py %t/libfx.so | FileCheck %s --check-prefix=PATCH
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -L%t -lfx -Wl,-rpath,%t %whence_libs -o %t/main
// RUN: %run %t/main | FileCheck %s
// PATCH: execute-only segments: 1
// CHECK: callers: 3, end: (complete)
// CHECK-NEXT: caller(1): runit {{.*}}execute-only.c:[[# RUNIT:]]
// CHECK-NEXT: runit line [[# RUNIT]]
#ifdef LIB
int fx_count;
__attribute__((noinline)) void fx_call(void (*cb)(void)) {
    cb();
    fx_count++;
}
#else
#include <stdio.h>
#include <whence.h>

void fx_call(void (*cb)(void));

__attribute__((noinline)) static void cb(void) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    const char *end = whence_callers_end();
    printf("callers: %d, end: %s\n", n, end ? end : "(complete)");
    whence_frame f;
    if (whence_caller(1, &f))
        printf("caller(1): %s %s:%d\n", f.function, f.file, f.line);
    else
        printf("caller(1): unknown\n");
}

__attribute__((noinline)) void runit(void) {
    fx_call(cb);
    printf("runit line %d\n", __LINE__ - 1);
}

int main(void) {
    runit();
    return 0;
}
#endif
