// A program linked with libwhence but compiled without the plugin (clang
// without -fpass-plugin, or gcc) has no records: every stack is empty.  The
// first whence call says so, once, on stderr, with the way to build it; a
// program built with the plugin never sees that line.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -I%whence_incdir %s %whence_libs -o %t.plain
// RUN: %run %t.plain 2> %t.plain.err | FileCheck %s --check-prefix=PLAIN
// RUN: FileCheck %s --check-prefix=MSG < %t.plain.err
// RUN: %clang -O2 -I%whence_incdir %s %whence_static -lpthread -ldl -o %t.static
// RUN: %run %t.static 2> %t.static.err | FileCheck %s --check-prefix=PLAIN
// RUN: FileCheck %s --check-prefix=MSG < %t.static.err
// RUN: %if gcc %{ %gcc -O2 -I%whence_incdir %s %whence_libs -o %t.gcc %}
// RUN: %if gcc %{ %t.gcc 2> %t.gcc.err | FileCheck %s --check-prefix=PLAIN %}
// RUN: %if gcc %{ FileCheck %s --check-prefix=MSG < %t.gcc.err %}
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t.plugin
// RUN: %run %t.plugin 2> %t.plugin.err | FileCheck %s --check-prefix=PLUGIN
// RUN: count 0 < %t.plugin.err
#include <stdio.h>
#include <whence.h>

int main(void) {
    whence_frame f;
    uintptr_t pcs[8];
    // Every entry point a user starts with; only the first one speaks.
    int found = whence_caller(0, &f);
    int n = whence_callers(0, pcs, 8);
    fflush(stdout);
    whence_write_stack(1, 0);
    const whence_func *fn = whence_func_for_pc((uintptr_t)main);
    printf("caller=%d callers=%d func=%d\n", found, n, fn != NULL);
    return 0;
}
// PLAIN: caller=0 callers=0 func=0
// MSG: whence: no code built with the whence plugin is loaded, so stacks are empty: compile with clang-19 -gline-tables-only -fpass-plugin=$(pkg-config --variable=plugin whence)
// MSG-NOT: whence:
// PLUGIN: main(...)
// PLUGIN: caller=1 callers=1 func=1
