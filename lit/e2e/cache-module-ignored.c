// A module the first lookups answer from (their checks read only what
// they need) but the full check at the image's 64th lookup ignores (a
// loc's line past INT32_MAX, written into the records after the link):
// once it is ignored, whence_caller must not go on handing out the
// answer the frame cache kept from before (the previous runtime did, for
// every later call, while whence_func_for_pc had no function there).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t/good
// RUN: python3 %S/../tools/Inputs/elfedit.py %t/good %t/bad locline=whence_mod:2000000000:0x80000000
// RUN: %run %t/good 2>&1 | FileCheck %s --check-prefix=GOOD
// RUN: %run %t/bad 2>&1 | FileCheck %s
// GOOD-NOT: whence:
// GOOD: before: 1 report {{.*}}cache-module-ignored.c:2000000000
// GOOD: func_for_pc: named
// GOOD: after: 1 report {{.*}}cache-module-ignored.c:2000000000
// CHECK: before: 1 report {{.*}}cache-module-ignored.c:0
// CHECK: whence: ignoring module '{{.*}}cache-module-ignored.c' at 0x{{[0-9a-f]+}}: loc {{[0-9]+}} has a line out of range
// CHECK: func_for_pc: none
// CHECK: after: 0
// CHECK-NOT: report
#include <stdint.h>
#include <stdio.h>
#include <whence.h>

__attribute__((noinline)) static void report(const char *when) {
    whence_frame f;
#line 2000000000
    bool ok = whence_caller(0, &f);
    if (ok)
        printf("%s: 1 %s %s:%d\n", when, f.function, f.file, f.line);
    else
        printf("%s: 0\n", when);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    report("before"); /* resolved by the first lookups, kept in the cache */
    const whence_func *fn = NULL;
    for (int i = 0; i < 100; i++) /* past the first lookups: the full check */
        fn = whence_func_for_pc((uintptr_t)&report + 1);
    printf("func_for_pc: %s\n", fn ? "named" : "none");
    report("after");
    return 0;
}
