// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The callees of tail-merged-kinds.c, built without the plugin and without
// builtins: the program's own floor (libm's floor calls land here) and an
// identity function called through a pointer.  Each names its caller's line.
#include <whence.h>

void report(int line, const char *fn);

__attribute__((noinline)) double floor(double x) {
    whence_frame f;
    whence_caller(0, &f);
    report(f.line, f.function);
    return (double)(long)x;
}

__attribute__((noinline)) double id(double x) {
    whence_frame f;
    whence_caller(0, &f);
    report(f.line, f.function);
    return x;
}
