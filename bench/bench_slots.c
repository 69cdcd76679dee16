/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * bench_slots.c - what caller-frame slots cost a call-heavy program
 * (docs/SLOTS.md; run by scripts/bench-slots.sh).
 *
 * The same source is built several ways (bench/CMakeLists.txt, bench_slots_*):
 * without the plugin, with the plugin and slots off, with the plugin and
 * slots on, at -O0 -g and at -O2 -gline-tables-only.  The work is two
 * call-heavy kernels:
 *   fib      naive recursive Fibonacci: every call is a non-leaf call
 *            except the two bottom ones, so almost every call pushes and
 *            pops a slot;
 *   interp   a tiny stack-machine interpreter: a dispatch loop calling
 *            handlers through a table, handlers calling small helpers
 *            (leaves: no slot) and one handler calling a "subroutine" that
 *            runs a nested dispatch loop.
 *
 *   bench_slots_X [SCALE]        prints "fib_ns N", "interp_ns N", "total_ns N"
 *                                (CLOCK_MONOTONIC around each kernel) and a
 *                                checksum; SCALE (default 33) is the fib
 *                                argument, the interpreter runs as many
 *                                instructions as fib makes calls
 *   bench_slots_X --check        prints what whence_caller says about a
 *                                frame two calls up (file:line), so a run
 *                                shows which build it measured
 *
 * The kernels are bench_kernels() only, so callgrind can count just them
 * (--toggle-collect=bench_kernels).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <whence.h>

#define NOINLINE __attribute__((noinline))

static volatile long sink;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- fib ----------------------------------------------------------------- */
NOINLINE long fib(long n)
{
    if (n < 2)
        return n;
    long a = fib(n - 1);
    long b = fib(n - 2);
    return a + b;
}

/* ---- interp -------------------------------------------------------------- */
enum { OP_PUSH, OP_ADD, OP_MUL, OP_DUP, OP_DROP, OP_SUB_CALL, OP_JNZ, OP_HALT, NOPS };

struct ins {
    int op;
    long arg;
};

struct vm {
    long stack[256];
    int sp;
    long steps;
};

NOINLINE static void push(struct vm *m, long v) { m->stack[m->sp++ & 255] = v; }
NOINLINE static long pop(struct vm *m) { return m->stack[--m->sp & 255]; }

typedef long (*handler)(struct vm *m, const struct ins *i);
static long run(struct vm *m, const struct ins *prog);

NOINLINE static long h_push(struct vm *m, const struct ins *i) { push(m, i->arg); return 1; }
NOINLINE static long h_add(struct vm *m, const struct ins *i)
{
    long b = pop(m), a = pop(m);
    push(m, a + b);
    return 1;
}
NOINLINE static long h_mul(struct vm *m, const struct ins *i)
{
    long b = pop(m), a = pop(m);
    push(m, (a * b) & 0xffff);
    return 1;
}
NOINLINE static long h_dup(struct vm *m, const struct ins *i)
{
    long a = pop(m);
    push(m, a);
    push(m, a);
    return 1;
}
NOINLINE static long h_drop(struct vm *m, const struct ins *i) { (void)pop(m); return 1; }

/* A subroutine: push 3, add, push 5, mul, halt; run by a nested loop. */
static const struct ins sub_prog[] = {
    {OP_PUSH, 3}, {OP_ADD, 0}, {OP_PUSH, 5}, {OP_MUL, 0}, {OP_HALT, 0},
};
NOINLINE static long h_sub_call(struct vm *m, const struct ins *i) { run(m, sub_prog); return 1; }
/* jnz: pop the counter; if nonzero push counter-1 and jump by arg. */
NOINLINE static long h_jnz(struct vm *m, const struct ins *i)
{
    long c = pop(m);
    if (c == 0)
        return 1;
    push(m, c - 1);
    return i->arg;
}
NOINLINE static long h_halt(struct vm *m, const struct ins *i) { return 0; }

/* Not const: the optimizer must not turn the indirect calls into direct ones. */
handler handlers[NOPS] = {h_push, h_add, h_mul, h_dup, h_drop, h_sub_call, h_jnz, h_halt};

NOINLINE static long run(struct vm *m, const struct ins *prog)
{
    const struct ins *pc = prog;
    for (;;) {
        long d = handlers[pc->op](m, pc);
        m->steps++;
        if (d == 0)
            return m->steps;
        pc += d;
    }
}

/* counter on the stack; loop body: push 7, dup, mul, sub_call, drop; jnz. */
static const struct ins main_prog[] = {
    {OP_PUSH, 7}, {OP_DUP, 0}, {OP_MUL, 0}, {OP_SUB_CALL, 0}, {OP_DROP, 0},
    {OP_JNZ, -5}, {OP_HALT, 0},
};

NOINLINE static long interp(long iters)
{
    struct vm m;
    memset(&m, 0, sizeof m);
    push(&m, iters);
    return run(&m, main_prog);
}

/* ---- driver -------------------------------------------------------------- */
NOINLINE void bench_kernels(long scale, int64_t *fib_ns, int64_t *interp_ns)
{
    int64_t t0 = now_ns();
    sink += fib(scale);
    int64_t t1 = now_ns();
    /* fib(scale) makes about 2*fib(scale+1) calls; an interpreter iteration
     * is 11 instructions and about 30 calls. */
    long iters = 1;
    for (long a = 0, b = 1, k = 0; k <= scale; k++) {
        long c = a + b;
        a = b;
        b = c;
        iters = (2 * a) / 30;
    }
    sink += interp(iters);
    int64_t t2 = now_ns();
    *fib_ns = t1 - t0;
    *interp_ns = t2 - t1;
}

static int check_line;
NOINLINE static void check_leaf(void)
{
    whence_frame f;
    if (whence_caller(2, &f))
        printf("check caller(2) %s:%d (call on line %d)\n", f.function, f.line, check_line);
    else
        printf("check caller(2) unknown\n");
}
NOINLINE static void check_mid(void) { check_leaf(); sink++; }
NOINLINE static void check_top(void)
{
    check_line = __LINE__; check_mid();
    sink++;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--check") == 0) {
        check_top();
        return 0;
    }
    long scale = argc > 1 ? atol(argv[1]) : 33;
    int64_t fns, ins;
    bench_kernels(scale, &fns, &ins);
    printf("fib_ns %lld\ninterp_ns %lld\ntotal_ns %lld\nchecksum %ld\n", (long long)fns,
           (long long)ins, (long long)(fns + ins), (long)sink);
    return 0;
}
