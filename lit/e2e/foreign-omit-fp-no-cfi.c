// Instrumented code called back from code without records, without unwind
// tables and without frame pointers (a library built -O2
// -fomit-frame-pointer -fno-asynchronous-unwind-tables).  Such code leaves
// its caller's frame record at the frame pointer: the frame-pointer step
// through it (unwind.c, fp_step) took that record as its own when the call
// before the record's return address said nothing (main's, from libc: a
// call through a pointer), and the stack went on below main: outer and
// main were left out, without a word.  Now the caller is the instrumented
// function whose return address lies just under its fixed frame, where
// its record is (caller_under), when its call entered this code directly
// and nothing between may be another frame; where that cannot be told (a
// call through a pointer, a second function of that code between), the
// stack ends there and says why (capture.c, stack.c), also where the
// walk stopped in such code before without a word; a fault in such code
// itself finds its caller the same way.  Where such code has no record
// at all (a fiber's first frame returns into glibc's __start_context),
// the stack may be over, and nothing is said.  (Helper's finding, repro:
// a crash at a shrink-wrapped callback's first instruction.)
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// DEFINE: %{nocfi} = -fno-asynchronous-unwind-tables -fno-unwind-tables
// RUN: %clang -O2 -fomit-frame-pointer %{nocfi} -c -DFOREIGN %s -o %t/foreign.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t/foreign.o %whence_libs -o %t/cfi
// RUN: %clang -O2 -gline-tables-only %{nocfi} %whence_cflags %s %t/foreign.o %whence_libs -o %t/nocfi
// RUN: %clang -O0 -g %{nocfi} %whence_cflags %s %t/foreign.o %whence_libs -o %t/o0
// RUN: not --crash %run %t/nocfi entry 2> %t/entry.r
// RUN: FileCheck %s --check-prefixes=ENTRY,AT0 < %t/entry.r
// RUN: not --crash %run %t/cfi entry 2> %t/entry.cfi.r
// RUN: FileCheck %s --check-prefixes=ENTRY,AT0 < %t/entry.cfi.r
// RUN: not --crash %run %t/o0 entry 2> %t/entry.o0.r
// RUN: FileCheck %s --check-prefix=ENTRY < %t/entry.o0.r
// RUN: not --crash %run %t/nocfi body 2> %t/body.r
// RUN: FileCheck %s --check-prefix=BODY < %t/body.r
// RUN: not --crash %run %t/o0 body 2> %t/body.o0.r
// RUN: FileCheck %s --check-prefix=BODY < %t/body.o0.r
// RUN: not --crash %run %t/nocfi leaf 2> %t/leaf.r
// RUN: FileCheck %s --check-prefix=LEAF < %t/leaf.r
// RUN: not --crash %run %t/o0 leaf 2> %t/leaf.o0.r
// RUN: FileCheck %s --check-prefix=LEAF < %t/leaf.o0.r
// RUN: %run %t/nocfi write | FileCheck %s --check-prefix=WRITE
// RUN: %run %t/o0 write | FileCheck %s --check-prefix=WRITE
// RUN: %run %t/nocfi main | FileCheck %s --check-prefix=MAIN
// RUN: %run %t/nocfi ptr | FileCheck %s --check-prefix=PTR
// RUN: %run %t/nocfi fiber | FileCheck %s --check-prefix=FIBER
// RUN: %run %t/o0 fiber | FileCheck %s --check-prefix=FIBER
// RUN: %run %t/nocfi stale | FileCheck %s --check-prefix=STALE --implicit-check-not=x_calls_z
// RUN: %run %t/o0 stale | FileCheck %s --check-prefix=STALE --implicit-check-not=x_calls_z
// RUN: %run %t/nocfi two | FileCheck %s --check-prefix=TWO
// RUN: not --crash %run %t/nocfi ptrcrash 2> %t/ptrcrash.r
// RUN: FileCheck %s --check-prefix=PTRCRASH < %t/ptrcrash.r
// RUN: not --crash %run %t/nocfi twocrash 2> %t/twocrash.r
// RUN: FileCheck %s --check-prefix=TWOCRASH < %t/twocrash.r
// ENTRY: fault in cb_entry at {{.*}}foreign-omit-fp-no-cfi.c:[[#@LINE+131]]
// ENTRY: stack:
// ENTRY-NEXT: cb_entry(...)
// ENTRY-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+128]]
// AT0-SAME: {{ \+0x0$}}
// ENTRY-NEXT: fwd(...) (not instrumented)
// ENTRY-NEXT: {{.+}} +0x{{[0-9a-f]+$}}
// ENTRY-NEXT: outer(...)
// ENTRY-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+157]]
// ENTRY-NEXT: main(...)
// ENTRY-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+190]]
// ENTRY-NOT: stack ends
// BODY: fault in cb_crash at {{.*}}foreign-omit-fp-no-cfi.c:[[#@LINE+130]]
// BODY: stack:
// BODY-NEXT: cb_crash(...)
// BODY-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+127]]
// BODY-NEXT: fwd(...) (not instrumented)
// BODY-NEXT: {{.+}} +0x{{[0-9a-f]+$}}
// BODY-NEXT: outer(...)
// BODY-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+148]]
// BODY-NEXT: main(...)
// BODY-NOT: stack ends
// LEAF: fault in fleaf (not instrumented)
// LEAF: stack:
// LEAF-NEXT: fleaf(...) (not instrumented)
// LEAF-NEXT: {{.+}} +0x0{{$}}
// LEAF-NEXT: outer(...)
// LEAF-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+152]]
// LEAF-NEXT: main(...)
// LEAF-NOT: stack ends
// WRITE: cb_write(...)
// WRITE-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+116]]
// WRITE-NEXT: outer(...)
// WRITE-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+136]]
// WRITE-NEXT: main(...)
// WRITE-NOT: stack ends
// MAIN: cb_write(...)
// MAIN-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+110]]
// MAIN-NEXT: main(...)
// MAIN-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+160]]
// MAIN-NOT: stack ends
// STALE: cb_write(...)
// STALE-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+105]]
// STALE-NEXT: outer(...)
// STALE-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+146]]
// STALE-NEXT: main(...)
// FIBER: cb_write(...)
// FIBER-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+100]]
// FIBER-NEXT: in_fiber(...)
// FIBER-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+108]]
// FIBER-NOT: {{stack ends|outer\(|main\(}}
// PTR: cb_write(...)
// PTR-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+95]]
// PTR-NEXT: (the stack ends here: code outside instrumented code below the frame above has no frame record at its pc, and no unwind tables say where its caller is: build it with -fasynchronous-unwind-tables)
// PTR-NOT: main
// TWO: cb_write(...)
// TWO-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+91]]
// TWO-NEXT: (the stack ends here: code outside
// TWO-NOT: main
// PTRCRASH: stack:
// PTRCRASH-NEXT: cb_crash(...)
// PTRCRASH-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+81]]
// PTRCRASH-NEXT: fwd(...) (not instrumented)
// PTRCRASH-NEXT: {{.+}} +0x{{[0-9a-f]+$}}
// PTRCRASH-NEXT: (the stack ends here: the frame above has no frame record at its pc, and no unwind tables say where its caller is
// PTRCRASH-NOT: main
// TWOCRASH: stack:
// TWOCRASH-NEXT: cb_crash(...)
// TWOCRASH-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+74]]
// TWOCRASH-NEXT: fwd(...) (not instrumented)
// TWOCRASH-NEXT: {{.+}} +0x{{[0-9a-f]+$}}
// TWOCRASH-NEXT: (the stack ends here: the frame above has no frame record at its pc
// TWOCRASH-NOT: main
#ifdef FOREIGN
volatile long g_sink;
long fwd(long (*cb)(long), long x);
/* defined before fwd: a call of it is below fwd's pc, as fwd's own is */
__attribute__((noinline)) long fwd_before(long (*cb)(long), long x) {
    long r = fwd(cb, x);
    g_sink += r;
    return r * 2;
}
/* faults at its first instruction on p == NULL */
__attribute__((noinline)) long fleaf(long *p, long n) {
    return p[n] * 3;
}
__attribute__((noinline)) long fwd(long (*cb)(long), long x) {
    long r = cb(x);
    g_sink += r;
    return r + 1;
}
#else
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <whence.h>

long fwd(long (*cb)(long), long x);
long fwd_before(long (*cb)(long), long x);
long fleaf(long *p, long n);
long (*volatile g_fwd)(long (*)(long), long) = fwd;

/* Code without CFI that keeps a frame pointer, called through a pointer
 * (its record's call says nothing): lib_f leaves its locals unwritten,
 * and the word where x_calls_z's callee returned to it (x_calls_z's
 * record was where lib_f's is) is stale there: lib_f's own record is the
 * one to follow, not x_calls_z, which is not on the stack. */
__asm__(".text\n"
        "lib_z:\n"
        "    ret\n"
        "lib_f:\n"
        "    push %rbp\n"
        "    mov %rsp, %rbp\n"
        "    sub $64, %rsp\n"
        "    mov %rdi, %rax\n"
        "    mov %rsi, %rdi\n"
        "    call *%rax\n"
        "    leave\n"
        "    ret\n");
void lib_z(void);
long lib_f(long (*cb)(long), long x);
long (*volatile g_lib_f)(long (*)(long), long) = lib_f;
volatile long g_count;

__attribute__((noinline)) void x_calls_z(void) {
    lib_z();
    g_count++;
}

/* shrink-wrapped: its first instruction reads *x, before any prologue */
__attribute__((noinline)) long cb_entry(long x) {
    if (*(long *)x == 7) // L_ENTRY
        return 0;
    volatile char b[64];
    b[x & 63] = 1;
    whence_write_stack(2, 0);
    return b[1];
}

__attribute__((noinline)) long cb_crash(long x) {
    printf("cb_crash\n");
    fflush(stdout);
    *(volatile long *)x = 1; // L_CRASH
    return x;
}

__attribute__((noinline)) long cb_write(long x) {
    whence_write_stack(1, 0); // L_WRITE
    fflush(stdout);
    return x + 1;
}

/* A fiber's first frame returns into glibc's __start_context, which has
 * no FDE and no frame record: the stack is over there, and says nothing. */
static ucontext_t g_main_ctx, g_fib_ctx;
static char g_fib_stack[256 << 10];
__attribute__((noinline)) void in_fiber(void) {
    cb_write(1); // L_FIBER
    g_count++;
}

__attribute__((noinline)) long outer(const char *mode) {
    whence_install_crash_handler();
    long r = 0;
    if (!strcmp(mode, "entry"))
        r = fwd(cb_entry, 0); // L_OUT_ENTRY
    else if (!strcmp(mode, "body"))
        r = fwd(cb_crash, 0); // L_OUT_BODY
    else if (!strcmp(mode, "write"))
        r = fwd(cb_write, 1); // L_OUT_WRITE
    else if (!strcmp(mode, "ptr"))
        r = g_fwd(cb_write, 1);
    else if (!strcmp(mode, "two"))
        r = fwd_before(cb_write, 1);
    else if (!strcmp(mode, "ptrcrash"))
        r = g_fwd(cb_crash, 0);
    else if (!strcmp(mode, "twocrash"))
        r = fwd_before(cb_crash, 0);
    else if (!strcmp(mode, "leaf"))
        r = fleaf(0, 1); // L_OUT_LEAF
    else if (!strcmp(mode, "fiber")) {
        getcontext(&g_fib_ctx);
        g_fib_ctx.uc_stack.ss_sp = g_fib_stack;
        g_fib_ctx.uc_stack.ss_size = sizeof g_fib_stack;
        g_fib_ctx.uc_link = &g_main_ctx;
        makecontext(&g_fib_ctx, in_fiber, 0);
        swapcontext(&g_main_ctx, &g_fib_ctx);
        r = 3;
    } else if (!strcmp(mode, "stale")) {
        x_calls_z();
        r = g_lib_f(cb_write, 1); // L_OUT_STALE
    }
    __asm__ volatile("" ::: "memory");
    return r;
}

int main(int argc, char **argv) {
    /* (main's record returns into libc after a call through a pointer) */
    if (argc > 1 && !strcmp(argv[1], "main"))
        return fwd(cb_write, 1) < 0; // L_MAIN_FWD
    return outer(argc > 1 ? argv[1] : "write") < 0; // L_MAIN
}
#endif
