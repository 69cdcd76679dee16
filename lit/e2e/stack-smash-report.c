// The crash report of a smashed stack: the stack protector's call of
// __stack_chk_fail is one code generation made after the pass ran, with no
// label of its own, and it is the function's first and last call of it
// (the program aborts), so under lazy binding its PLT slot is never bound
// yet.  The frame's line is unknown, not the line of the printf call
// before it, whose label it would otherwise take: on x86-64 the slot's
// `push $index` names the relocation; on AArch64 the slot holds PLT0 and
// the relocation is the one whose offset is the slot's (it read the printf
// line there).  LD_BIND_NOT=1 keeps every slot unbound; without it the
// same holds on a first call.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -fstack-protector-all %whence_cflags %s %whence_libs -o %t
// RUN: not --crash env LD_BIND_NOT=1 %run %t x 2>&1 | FileCheck %s
// RUN: not --crash %run %t x 2>&1 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only -fstack-protector-all -fno-pie -no-pie %whence_cflags %s %whence_libs -o %t.np
// RUN: not --crash env LD_BIND_NOT=1 %run %t.np x 2>&1 | FileCheck %s
// mold's PLT entry keeps the index in %r11d, and its unbound slot holds PLT0:
// RUN: %if mold %{ %clang -O2 -gline-tables-only -fstack-protector-all -fuse-ld=mold %whence_cflags %s %whence_libs -o %t.mold %}
// RUN: %if mold %{ not --crash env LD_BIND_NOT=1 %run %t.mold x 2>&1 | FileCheck %s %}
// RUN: %if mold %{ not --crash %run %t.mold x 2>&1 | FileCheck %s %}
// CHECK: fatal signal 6 (SIGABRT)
// CHECK: {{^}}smash(...){{$}}
// CHECK-NEXT: {{^}}	{{.*}}stack-smash-report.c (line unknown) +0x{{[0-9a-f]+$}}
#include <stdio.h>
#include <string.h>
#include <whence.h>

__attribute__((noinline)) void smash(const char *s, size_t n) {
    char buf[8];
    printf("smash\n");
    memcpy(buf, s, n);
    __asm__ volatile("" ::"r"(buf) : "memory");
}

int main(int argc, char **argv) {
    (void)argv;
    whence_install_crash_handler();
    static const char junk[64] = "0123456789abcdef0123456789abcdef";
    smash(junk, argc > 1 ? 40 : 4);
    return 0;
}
