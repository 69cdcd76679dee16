// -o OUT when whence-link leaves FILE as it is (no records, its table
// there already, split code, ...): OUT is a copy of FILE, so that a build
// rule "whence-link -o prog.out prog" always has its output.  Before, OUT
// was not written at all (exit 0), and a second run of such a rule, or one
// on a program built without the plugin, left the rule's output missing.
// Under --strict a file left as it is is a failure: OUT is not written.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -DPLAIN %s -o %t/plain
// RUN: %whence_link -o %t/plain.out %t/plain 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: cmp %t/plain %t/plain.out
// RUN: not %whence_link --strict -o %t/plain.strict %t/plain 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: test ! -e %t/plain.strict
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/prog
// RUN: %whence_link -o %t/prog.1 %t/prog 2>&1 | count 0
// RUN: %whence_link -o %t/prog.2 %t/prog.1 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: cmp %t/prog.1 %t/prog.2
// RUN: %run %t/prog.2 | FileCheck %s
// NONE: plain: it holds no whence records (not built with the whence plugin): nothing to do: left unchanged
// TWICE: prog.1: it has its lookup table already: nothing to do
// CHECK: main
#include <stdio.h>
#ifdef PLAIN
int main(void) { return 0; }
#else
#include <whence.h>

int main(void) {
    whence_frame f;
    whence_caller(0, &f);
    printf("%s\n", f.function ? f.function : "?");
    return 0;
}
#endif
