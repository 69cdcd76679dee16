// A call through a null or stale function pointer: the fault is the fetch
// of an instruction at an address that is no code, and the callee ran
// nothing.  Was a bug: the crash report's stack was empty (the pc is in no
// image, and no CFI covers it), though every caller's frame was intact.
// Now the call that made it is found: its return address is where the
// call pushed it, and the call before that return address must be an
// indirect call whose operand, read from the interrupted registers, is the
// faulting pc (runtime/arch/, wh_arch_call_reached).  Then the caller and
// the rest of the stack are exact.  The same for a pointer to the image's
// data, readable but no code (the walk asked only for an unreadable pc).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t reg 2>&1 | FileCheck %s --check-prefix=REG
// RUN: not --crash %run %t mem 2>&1 | FileCheck %s --check-prefix=MEM
// RUN: not --crash %run %t stale 2>&1 | FileCheck %s --check-prefix=STALE
// RUN: not --crash %run %t data 2>&1 | FileCheck %s --check-prefix=DATA
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t.O0
// RUN: not --crash %run %t.O0 reg 2>&1 | FileCheck %s --check-prefix=REG
// RUN: not --crash %run %t.O0 mem 2>&1 | FileCheck %s --check-prefix=MEM
// RUN: not --crash %run %t.O0 stale 2>&1 | FileCheck %s --check-prefix=STALE
// Under -mretpoline (and -mspeculative-load-hardening) the call is a
// direct one of a thunk that jumps through %r11 (the report's stack was
// empty again):
// RUN: %if x86_64-linux %{ %clang -O2 -gline-tables-only -mretpoline %whence_cflags %s %whence_libs -o %t.rp %}
// RUN: %if x86_64-linux %{ not --crash %run %t.rp reg 2>&1 | FileCheck %s --check-prefix=REG %}
// RUN: %if x86_64-linux %{ not --crash %run %t.rp stale 2>&1 | FileCheck %s --check-prefix=STALE %}
// RUN: %if x86_64-linux %{ not --crash %run %t.rp data 2>&1 | FileCheck %s --check-prefix=DATA %}
// RUN: %whence_link --quiet --strict -o %t.tab %t
// RUN: not --crash %run %t.tab mem 2>&1 | FileCheck %s --check-prefix=MEM
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <whence.h>

typedef void (*fn)(int);
struct ops {
    long pad;
    fn cb;
};
static fn volatile null_fn;
static struct ops *volatile ops_p;

__attribute__((noinline)) void through_reg(int x) {
    null_fn(x);
    // REG: stack:
    // REG-NEXT: through_reg(...)
    // REG-NEXT: crash-null-call.c:[[@LINE-3]]
    printf("%d\n", x);
}

__attribute__((noinline)) void through_mem(int x) {
    ops_p->cb(x);
    // MEM: stack:
    // MEM-NEXT: through_mem(...)
    // MEM-NEXT: crash-null-call.c:[[@LINE-3]]
    printf("%d\n", x);
}

__attribute__((noinline)) void through_stale(int x) {
    fn f = (fn)mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap((void *)f, 4096);
    null_fn = f;
    null_fn(x);
    // STALE: stack:
    // STALE-NEXT: through_stale(...)
    // STALE-NEXT: crash-null-call.c:[[@LINE-3]]
    printf("%d\n", x);
}

/* A pointer to data of the image: readable, not code. */
static long not_code[64];

__attribute__((noinline)) void through_data(int x) {
    null_fn = (fn)(void *)not_code;
    null_fn(x);
    // DATA: stack:
    // DATA: through_data(...)
    // DATA-NEXT: crash-null-call.c:[[@LINE-3]]
    printf("%d\n", x);
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    static struct ops o;
    ops_p = &o;
    if (argc > 1 && !strcmp(argv[1], "reg"))
        through_reg(1);
    // REG: main(...)
    // REG-NEXT: crash-null-call.c:[[@LINE-2]]
    if (argc > 1 && !strcmp(argv[1], "mem"))
        through_mem(2);
    // MEM: main(...)
    // MEM-NEXT: crash-null-call.c:[[@LINE-2]]
    if (argc > 1 && !strcmp(argv[1], "stale"))
        through_stale(3);
    // STALE: main(...)
    // STALE-NEXT: crash-null-call.c:[[@LINE-2]]
    if (argc > 1 && !strcmp(argv[1], "data"))
        through_data(4);
    // DATA: main(...)
    // DATA-NEXT: crash-null-call.c:[[@LINE-2]]
    return 0;
}
