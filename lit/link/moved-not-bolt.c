// Foreign code in an executable segment of its own is not code BOLT moved
// (helper-82): gold gives the .ltext of an object built with
// -mcmodel=large (without the plugin) its own PT_LOAD, and the frame of
// apply() there was taken for a moved one: whence_caller(1) from the
// callback was unknown and whence_callers said the stack ended at code
// "moved after the link (BOLT)".  A moved frame's segment must also hold
// the PT_GNU_EH_FRAME, as the one BOLT adds does (runtime/moved.c): this
// one is skipped as foreign again, and the caller is main.  Also with
// lld, which keeps .ltext in the text segment.
// REQUIRES: x86_64-linux, ld.gold
// RUN: %clang -O2 -gline-tables-only -mcmodel=large -DFOREIGN -c %s -o %t.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t.o %whence_libs -fuse-ld=gold -o %t.gold
// RUN: llvm-readelf -lW %t.gold | FileCheck %s --check-prefix=SEGS
// RUN: %t.gold | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t.o %whence_libs -fuse-ld=lld -o %t.lld
// RUN: %t.lld | FileCheck %s
// SEGS-COUNT-2: LOAD {{.*}} R E
// CHECK: caller(1): main {{.*}}moved-not-bolt.c:[[#LINE:]]
// CHECK-NEXT: frame: main {{.*}}moved-not-bolt.c:[[#LINE]]
// CHECK-NEXT: end: (null)
// CHECK-NEXT: main line [[#LINE]]
#include <stdio.h>

#ifdef FOREIGN
__attribute__((noinline)) int apply(int (*fn)(int), int x) {
    int r = fn(x);
    __asm__ volatile("" ::: "memory");
    return r;
}
#else
#include <whence.h>
int apply(int (*fn)(int), int x);

static int main_line;

__attribute__((noinline)) int cb(int x) {
    whence_frame f;
    if (whence_caller(1, &f))
        printf("caller(1): %s %s:%d\n", f.function, f.file, f.line);
    else
        printf("caller(1): unknown\n");
    uintptr_t pcs[16];
    int n = whence_callers(1, pcs, 16);
    whence_frames it;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        printf("frame: %s %s:%d\n", f.function, f.file, f.line);
    printf("end: %s\n", whence_callers_end() ? whence_callers_end() : "(null)");
    printf("main line %d\n", main_line);
    return x;
}

int main(void) {
    main_line = __LINE__ + 1;
    return apply(cb, 3) != 3;
}
#endif
