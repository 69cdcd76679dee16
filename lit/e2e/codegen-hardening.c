// Code generation options that put code where whence looks for its
// answers, each at -O2 with site labels (-gline-tables-only) and with frame
// slots (-g): every frame of a stack and of a crash report at its exact
// line, whence_func_for_pc of an entry naming its function.
//   -fsanitize=function          a signature word before each entry
//   -mspeculative-load-hardening  instructions right after each call
//   -fstack-clash-protection     a probing loop in a large frame's prologue
//   -fsanitize=safe-stack        locals on a second stack
//   -mharden-sls=all             int3 after every ret and indirect jump
//   -fno-plt                     calls through the GOT (indirect calls)
//   -fno-asynchronous-unwind-tables -fno-unwind-tables
//                                a crash report's walk without CFI
//   -fzero-call-used-regs=all    registers cleared before each ret
//   lld --shuffle-sections       functions (and their records) in a random
//                                order, before and after whence-link
//   -static-pie                  relocated by itself at startup
// and -mcmodel=large, which the pass refuses with one message.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// DEFINE: %{flags} =
// DEFINE: %{one} = %clang -O2 %{flags} %whence_cflags -I%inputs %s %whence_libs -o %t/x && %t/x | FileCheck %s && env UBSAN_OPTIONS=handle_segv=0 not --crash %t/x crash 2> %t/x.r && FileCheck %s --check-prefix=CRASH < %t/x.r
//
// REDEFINE: %{flags} = -fsanitize=function -gline-tables-only
// RUN: %{one}
// REDEFINE: %{flags} = -fsanitize=function -g
// RUN: %{one}
// REDEFINE: %{flags} = -mspeculative-load-hardening -gline-tables-only
// RUN: %{one}
// REDEFINE: %{flags} = -mspeculative-load-hardening -g
// RUN: %{one}
// REDEFINE: %{flags} = -fstack-clash-protection -gline-tables-only
// RUN: %{one}
// REDEFINE: %{flags} = -fstack-clash-protection -g
// RUN: %{one}
// REDEFINE: %{flags} = -fsanitize=safe-stack -gline-tables-only
// RUN: %{one}
// REDEFINE: %{flags} = -fsanitize=safe-stack -g
// RUN: %{one}
// REDEFINE: %{flags} = -mharden-sls=all -gline-tables-only
// RUN: %{one}
// REDEFINE: %{flags} = -mharden-sls=all -g
// RUN: %{one}
// REDEFINE: %{flags} = -fno-plt -gline-tables-only
// RUN: %{one}
// REDEFINE: %{flags} = -fno-plt -g
// RUN: %{one}
// REDEFINE: %{flags} = -fno-asynchronous-unwind-tables -fno-unwind-tables -gline-tables-only
// RUN: %{one}
// REDEFINE: %{flags} = -fno-asynchronous-unwind-tables -fno-unwind-tables -g
// RUN: %{one}
// REDEFINE: %{flags} = -fzero-call-used-regs=all -gline-tables-only
// RUN: %{one}
// REDEFINE: %{flags} = -fzero-call-used-regs=all -g
// RUN: %{one}
//
// RUN: %clang -O2 -gline-tables-only -ffunction-sections -fuse-ld=lld -Wl,--shuffle-sections='*=7' %whence_cflags -I%inputs %s %whence_libs -o %t/sh
// RUN: %t/sh | FileCheck %s
// RUN: %whence_link -q -o %t/sh.tab %t/sh && %t/sh.tab | FileCheck %s
// RUN: not --crash %t/sh.tab crash 2> %t/sh.r && FileCheck %s --check-prefix=CRASH < %t/sh.r
// RUN: %clang -O2 -g -ffunction-sections -fuse-ld=lld -Wl,--shuffle-sections='*=3' %whence_cflags -I%inputs %s %whence_libs -o %t/shg
// RUN: %t/shg | FileCheck %s
//
// (No run path in a static PIE: glibc refuses one at startup.)
// RUN: %clang -O2 -gline-tables-only -static-pie %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t/spie 2> /dev/null
// RUN: %t/spie | FileCheck %s
// RUN: not --crash %t/spie crash 2> %t/spie.r && FileCheck %s --check-prefix=CRASH < %t/spie.r
//
// RUN: %clang -O2 -gline-tables-only -mcmodel=large %whence_cflags -I%inputs %s %whence_libs -o %t/large 2> %t/large.err
// RUN: FileCheck %s --check-prefix=LARGE < %t/large.err
// LARGE: whence: {{.*}}codegen-hardening.c: the medium and large code models are not supported; module left uninstrumented
#include "whence_e2e.h"
#include <stdlib.h>

static volatile int sink;
static int *volatile nullp;

// CHECK: entry of outer: outer
NOINLINE static int leaf(int crash) {
    if (crash)
        *nullp = crash; // CRASH: fault in leaf at {{.*}}codegen-hardening.c:[[# @LINE]]{{$}}
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16); // CHECK: stack fn=leaf file=codegen-hardening.c line=[[# @LINE]] inl=0
    e2e_dump("stack", pcs, n);
    return n + sink;
}
NOINLINE static int middle(int crash) {
    volatile char big[70000]; /* a frame that -fstack-clash-protection probes */
    big[crash] = 1;
    int r = leaf(crash) + big[0]; // CHECK-NEXT: stack fn=middle file=codegen-hardening.c line=[[# @LINE]] inl=0
    sink += r;
    return r;
}
NOINLINE static int outer(int crash) {
    int r = middle(crash) * 2; // CHECK-NEXT: stack fn=outer file=codegen-hardening.c line=[[# @LINE]] inl=0
    sink ^= r;
    return r;
}
// CRASH: stack:
// CRASH-NEXT: leaf(...)
// CRASH-NEXT: codegen-hardening.c:[[# @LINE-20]]{{( \+0x[0-9a-f]+)?$}}
// CRASH-NEXT: middle(...)
// CRASH-NEXT: codegen-hardening.c:[[# @LINE-13]]{{( \+0x[0-9a-f]+)?$}}
// CRASH-NEXT: outer(...)
// CRASH-NEXT: codegen-hardening.c:[[# @LINE-10]]{{( \+0x[0-9a-f]+)?$}}
// CRASH-NEXT: main(...)
// CRASH-NEXT: codegen-hardening.c:[[# @LINE+7]]{{( \+0x[0-9a-f]+)?$}}

int main(int argc, char **argv) {
    (void)argv;
    whence_install_crash_handler();
    const whence_func *f = whence_func_for_pc((uintptr_t)&outer);
    printf("entry of outer: %s\n", f ? whence_func_name(f) : "?");
    int r = outer(argc > 1); // CHECK-NEXT: stack fn=main file=codegen-hardening.c line=[[# @LINE]] inl=0
    printf("r=%d\n", r > 0);
    return 0;
}
