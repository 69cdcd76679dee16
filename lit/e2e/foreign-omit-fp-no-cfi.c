// Instrumented code called back from code without records, without unwind
// tables and without frame pointers (a library built -O2
// -fomit-frame-pointer -fno-asynchronous-unwind-tables).  Such code leaves
// its caller's frame record at the frame pointer.  The frame-pointer step
// through it (unwind.c, fp_step) took that record as its own when the call
// before the record's return address said nothing (main's, from libc: a
// call through a pointer): main was left out without a word.  Elsewhere
// the step was refused and the stack ended after the callback, also
// without a word, and so did a crash inside such code.  Now a record
// whose call says nothing is taken only when code without records in the
// 1 KiB before the pc sets up a frame pointer (may_keep_fp); a record not
// taken ends the stack with why (capture.c, stack.c), in the crash report
// after the frame of that code, in whence_write_stack (which shows no such
// frame) in words of its own.  Code that keeps a frame pointer is stepped
// as before (stale: its unwritten locals hold an earlier callee's return
// address where a caller's fixed frame would put one; it is not taken).
// Where such code has no record at all (a fiber's first frame returns into
// glibc's __start_context), the stack may be over, and nothing is said.
// (Helper's finding, repro: a crash at a shrink-wrapped callback's first
// instruction; a first fix that read the caller's return address from its
// fixed frame was broken by a second helper: alloca, tail calls, stale
// words.)
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
// RUN: not --crash %run %t/o0 ptrcrash 2> %t/ptrcrash.o0.r
// RUN: FileCheck %s --check-prefix=BODY < %t/ptrcrash.o0.r
// RUN: not --crash %run %t/nocfi twocrash 2> %t/twocrash.r
// RUN: FileCheck %s --check-prefix=BODY < %t/twocrash.r
// RUN: not --crash %run %t/nocfi leaf 2> %t/leaf.r
// RUN: FileCheck %s --check-prefix=LEAF < %t/leaf.r
// RUN: not --crash %run %t/o0 leaf 2> %t/leaf.o0.r
// RUN: FileCheck %s --check-prefix=LEAF < %t/leaf.o0.r
// RUN: %run %t/nocfi write | FileCheck %s --check-prefix=WRITE
// RUN: %run %t/o0 write | FileCheck %s --check-prefix=WRITE
// RUN: %run %t/nocfi main | FileCheck %s --check-prefix=WRITE
// RUN: %run %t/nocfi ptr | FileCheck %s --check-prefix=WRITE
// RUN: %run %t/nocfi two | FileCheck %s --check-prefix=WRITE
// RUN: %run %t/nocfi fiber | FileCheck %s --check-prefix=FIBER
// RUN: %run %t/o0 fiber | FileCheck %s --check-prefix=FIBER
// RUN: %run %t/nocfi stale | FileCheck %s --check-prefix=STALE --implicit-check-not=x_calls_z
// RUN: %run %t/nocfi tail | FileCheck %s --check-prefix=TAIL --implicit-check-not=outer
// RUN: %run %t/o0 tail | FileCheck %s --check-prefix=TAIL --implicit-check-not=outer
// RUN: %run %t/cfi tail | FileCheck %s --check-prefix=TAIL --implicit-check-not=outer
// RUN: not --crash %run %t/nocfi tailcrash 2> %t/tailcrash.r
// RUN: %run %t/nocfi callers | FileCheck %s --check-prefix=CALLERS
// RUN: %run %t/o0 callers | FileCheck %s --check-prefix=CALLERS
// RUN: FileCheck %s --check-prefix=TAILCRASH --implicit-check-not=outer < %t/tailcrash.r
// RUN: %run %t/o0 stale | FileCheck %s --check-prefix=STALE --implicit-check-not=x_calls_z
// ENTRY: fault in cb_entry at {{.*}}foreign-omit-fp-no-cfi.c:[[#@LINE+93]]
// ENTRY: stack:
// ENTRY-NEXT: cb_entry(...)
// ENTRY-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+90]]
// AT0-SAME: {{ \+0x0$}}
// ENTRY-NEXT: fwd(...) (not instrumented)
// ENTRY-NEXT: {{.+}} +0x{{[0-9a-f]+$}}
// ENTRY-NEXT: (the stack ends here: the frame above has no frame record at its pc, and no unwind tables say where its caller is: build with -fasynchronous-unwind-tables)
// BODY: fault in cb_crash at {{.*}}foreign-omit-fp-no-cfi.c:[[#@LINE+96]]
// BODY: stack:
// BODY-NEXT: cb_crash(...)
// BODY-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+93]]
// BODY-NEXT: fwd(...) (not instrumented)
// BODY-NEXT: {{.+}} +0x{{[0-9a-f]+$}}
// BODY-NEXT: (the stack ends here: the frame above has no frame record at its pc
// LEAF: fault in fleaf (not instrumented)
// LEAF: stack:
// LEAF-NEXT: fleaf(...) (not instrumented)
// LEAF-NEXT: {{.+}} +0x0{{$}}
// LEAF-NEXT: (the stack ends here: the frame above has no frame record at its pc
// WRITE: cb_write(...)
// WRITE-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+88]]
// WRITE-NEXT: (the stack ends here: code outside instrumented code below the frame above has no frame record at its pc, and no unwind tables say where its caller is: build it with -fasynchronous-unwind-tables)
// STALE: cb_write(...)
// STALE-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+85]]
// STALE-NEXT: outer(...)
// STALE-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+126]]
// STALE-NEXT: main(...)
// FIBER: cb_write(...)
// FIBER-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+80]]
// FIBER-NEXT: in_fiber(...)
// FIBER-NEXT: foreign-omit-fp-no-cfi.c:[[#@LINE+88]]
// FIBER-NOT: {{stack ends|outer\(|main\(}}
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
long fleaf(long *p, long n), tail_case(const char *mode);
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
        "    ret\n"
        /* (another library: more than 1 KiB before fwd) */
        "    .fill 2048, 1, 0xcc\n");
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
    } else if (!strcmp(mode, "tail") || !strcmp(mode, "tailcrash") || !strcmp(mode, "callers")) {
        r = tail_case(mode);
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

// A foreign function that ends in a jump through a register (a tail call)
// enters an instrumented function, which calls it again: the record at
// the frame pointer is then that function's, made by the first call, and
// that call (outer's, to ftail) names the function the pc is in, as it
// would if ftail kept a frame pointer of its own.  ftail keeps none
// (keeps_fp: no frame set-up from its entry to the pc), so the record is
// not taken: before, bounce was left out without a word (outer, then
// main, right after cb_write).
#ifdef FOREIGN
__attribute__((noinline)) long ftail(long (*cb)(long), long x,
                                     long (*next)(long (*)(long), long)) {
    if (next)
        return next(cb, x);
    long r = cb(x);
    g_sink += r;
    return r + 1;
}
#else
long ftail(long (*cb)(long), long x, long (*next)(long (*)(long), long));

__attribute__((noinline)) long bounce(long (*cb)(long), long x) {
    long r = ftail(cb, x, 0);
    g_count++;
    return r;
}

/* whence_callers from a callback of such code says why its answer ends
 * there (whence_callers_end); cut at max, or from outer, it says nothing. */
__attribute__((noinline)) static void show_end(const char *tag, int max) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, max);
    const char *e = whence_callers_end();
    printf("%s %d %s\n", tag, n, e ? e : "(none)");
}

__attribute__((noinline)) long cb_callers(long x) {
    show_end("cb", 16);
    show_end("cut", 1);
    return x;
}

__attribute__((noinline)) long tail_case(const char *mode) {
    if (!strcmp(mode, "callers")) {
        long r = fwd(cb_callers, 1);
        show_end("outer", 16);
        return r;
    }
    long r = ftail(strcmp(mode, "tail") ? cb_crash : cb_write, 0, bounce);
    g_count++;
    return r;
}
#endif
// CALLERS: cb 2 (the stack ends here: code outside instrumented code below the frame above has no frame record at its pc
// CALLERS-NEXT: cut 1 (none)
// CALLERS-NEXT: outer 4 (none)
// TAIL: cb_write(...)
// TAIL-NEXT: foreign-omit-fp-no-cfi.c:
// TAIL-NEXT: (the stack ends here: code outside instrumented code below the frame above
// TAILCRASH: fault in cb_crash at
// TAILCRASH: stack:
// TAILCRASH-NEXT: cb_crash(...)
// TAILCRASH-NEXT: foreign-omit-fp-no-cfi.c:
// TAILCRASH-NEXT: ftail(...) (not instrumented)
// TAILCRASH-NEXT: {{.+}} +0x{{[0-9a-f]+$}}
// TAILCRASH-NEXT: (the stack ends here: the frame above has no frame record at its pc
