// A smashed stack: the bytes past buf overwrite smash's saved frame
// pointer and return address (at -O0 they lie above buf), and the stack
// protector aborts.  The SIGABRT handler walks through libc's frames back
// to smash and then meets the garbage: the walk must stop there, never
// read code at a return address that is no loaded object's (it did, and
// crashed, while checking for a signal trampoline).  The frames it does
// give are the handler's and smash's.  smash's call of __stack_chk_fail
// is one code generation made after the pass ran, with no label of its
// own: its line is unknown (0), not the line of the printf call before it
// (whose label it would otherwise take), in the frame and from
// whence_func_line of the frame's pc; with PLT stubs, -fno-plt and a
// non-PIE program.
// (x86-64 only: under qemu-user a walk from a handler does not cross
// qemu's signal frame, docs/AARCH64.md.)
// REQUIRES: x86_64-linux
// RUN: %clang -O0 -gline-tables-only -fstack-protector-all %whence_cflags %s %whence_libs -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fstack-protector-all %whence_cflags %s %whence_libs -o %t2 && %run %t2 | FileCheck %s
// RUN: %if x86_64-linux %{ %clang -O2 -gline-tables-only -fstack-protector-all -fno-plt %whence_cflags %s %whence_libs -o %t3 && %t3 | FileCheck %s %}
// RUN: %clang -O2 -gline-tables-only -fstack-protector-all -fno-pie -no-pie %whence_cflags %s %whence_libs -o %t4 && %run %t4 | FileCheck %s
// Lazy binding that never binds (LD_BIND_NOT=1; also any stub before its
// first call, or a sample inside the lazy resolver): the GOT slot still
// points into the PLT, and the call is known by its JUMP_SLOT's symbol
// (plt.c); before, it read the printf call's line.
// RUN: %clang -O2 -gline-tables-only -fstack-protector-all %whence_cflags %s %whence_libs -o %t7 && env LD_BIND_NOT=1 %run %t7 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only -fstack-protector-all -fno-pie -no-pie %whence_cflags %s %whence_libs -o %t8 && env LD_BIND_NOT=1 %run %t8 | FileCheck %s
// In -g builds (frame slots) the call stores nothing in the slot, which
// still names the printf call (line 48 was said before the runtime knew):
// RUN: %clang -O0 -g -fstack-protector-all %whence_cflags %s %whence_libs -o %t5 && %run %t5 | FileCheck %s
// RUN: %clang -O2 -g -fstack-protector-all %whence_cflags %s %whence_libs -o %t6 && %run %t6 | FileCheck %s
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>

static void on_abrt(int sig) {
    (void)sig;
    uintptr_t pcs[64];
    int n = whence_callers(0, pcs, 64);
    whence_frames it;
    whence_frames_init(&it, pcs, n);
    whence_frame fr;
    // CHECK: frame on_abrt
    // CHECK-NEXT: frame smash 0 0
    // CHECK: walk over
    while (whence_frames_next(&it, &fr))
        printf("frame %s %d %d\n", fr.function, fr.line,
               fr.func ? whence_func_line(fr.func, fr.pc, NULL) : -1);
    printf("walk over\n");
    fflush(stdout);
    _exit(0);
}

__attribute__((noinline)) void smash(const char *s, int n) {
    char buf[8];
    puts("smashing");
    memcpy(buf, s, (size_t)n);
    printf("%s\n", buf);
}

int main(int argc, char **argv) {
    (void)argv;
    signal(SIGABRT, on_abrt);
    smash("0123456789abcdefghijklmnopqrstuvwxyz", 32 + argc);
    return 1;
}
