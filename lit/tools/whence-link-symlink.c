// whence-link on a symbolic link (a shared library's chain
// libfoo.so -> libfoo.so.1 -> libfoo.so.1.0): the file the link names gets
// the table, the links stay links.  Before, the result was renamed over
// the link: libfoo.so became a processed copy, and libfoo.so.1.0, which
// the loader maps through libfoo.so.1, kept no table.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared %whence_cflags %s %whence_libs -o %t/libfoo.so.1.0
// RUN: ln -s libfoo.so.1.0 %t/libfoo.so.1 && ln -s libfoo.so.1 %t/libfoo.so
// RUN: %whence_link %t/libfoo.so 2>&1 | count 0
// RUN: test -L %t/libfoo.so && test -L %t/libfoo.so.1
// RUN: %whence_link %t/libfoo.so.1.0 2>&1 | FileCheck %s
// CHECK: libfoo.so.1.0: it has its lookup table already: nothing to do
#include <whence.h>

int foo(void) {
    whence_frame f;
    whence_caller(0, &f);
    return f.line;
}
