// Three shapes where the liveness clearing broke a program (helper-120):
//  - icmp: a callee that finds its argument's address again by walking up
//    from its own frame and comparing, then keeps it: a compare counted as
//    "reads nothing", the parameter as not captured, and the caller's slot
//    was cleared under the kept pointer (SIGSEGV at -O0 to -O2);
//  - asm goto with an output live across whence_gc on the jump's edge:
//    LLVM 19 spills it on the fall-through edge only, and the clearing asm
//    left no callee-saved register for it (garbage read): such functions
//    are left alone;
//  - LTO compiled with the plugin and linked without it: the clearing asm,
//    inlined at the link into a function with a VLA and an over-aligned
//    local, zeroed that function's base pointer (rbx; SIGSEGV): a function
//    given the asm is not inlined (a link that runs the pass again takes
//    that off with the rest).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t/o0 %gc_libs
// RUN: %run %t/o0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t/o2 %gc_libs
// RUN: %run %t/o2 | FileCheck %s
// RUN: %clang -O2 -flto=thin -fpass-plugin=%plugin %gc_inc -DPART=1 -c %s -o %t/a.thin.o
// RUN: %clang -O2 -flto=thin -fpass-plugin=%plugin %gc_inc -DPART=2 -c %s -o %t/b.thin.o
// RUN: %clang -O2 -flto=thin -fuse-ld=lld %t/a.thin.o %t/b.thin.o -o %t/thin %gc_libs
// RUN: %run %t/thin | FileCheck %s --check-prefix=LTO
// RUN: %clang -O2 -flto=full -fpass-plugin=%plugin %gc_inc -DPART=1 -c %s -o %t/a.full.o
// RUN: %clang -O2 -flto=full -fpass-plugin=%plugin %gc_inc -DPART=2 -c %s -o %t/b.full.o
// RUN: %clang -O2 -flto=full -fuse-ld=lld %t/a.full.o %t/b.full.o -o %t/full %gc_libs
// RUN: %run %t/full | FileCheck %s --check-prefix=LTO
// RUN: %clang -O2 -flto=thin -fuse-ld=lld -Wl,--load-pass-plugin=%plugin %t/a.thin.o %t/b.thin.o -o %t/thin2 %gc_libs
// RUN: %run %t/thin2 | FileCheck %s --check-prefix=LTO
// CHECK: icmp: 42
// CHECK: asm goto: 42 43
// LTO: lto: 43
// REQUIRES: lld
#include <stdio.h>
#include <string.h>
#include "whence_gc.h"

#define NI __attribute__((noinline))
struct obj { long magic, v; };
static void fin(void *o, void *a) { (void)a; memset(o, 0xdd, sizeof(struct obj)); }

#if PART == 1
struct obj *mk(long v) {
    struct obj *o = whence_gc_alloc(sizeof *o);
    o->magic = 0x600d, o->v = v;
    whence_set_finalizer(o, fin, 0);
    return o;
}
long collect_and_use(struct obj *p) {
    long s = p->v;
    whence_gc();
    return s + p->v;
}
#elif PART == 2
struct obj *mk(long v);
long collect_and_use(struct obj *p);
NI long caller(int n) {
    _Alignas(64) char buf[64];
    char vla[n];
    memset(buf, 1, sizeof buf);
    memset(vla, 2, n);
    __asm__ volatile("" : : "r"(buf), "r"(vla) : "memory");
    long r = collect_and_use(mk(n));
    __asm__ volatile("" : : "r"(buf), "r"(vla) : "memory");
    return r + buf[3] + vla[n - 1];
}
int main(void) {
    volatile int n = 20;
    printf("lto: %ld\n", caller(n));
    return 0;
}
#else
static NI struct obj *mk(long v) {
    struct obj *o = whence_gc_alloc(sizeof *o);
    o->magic = 0x600d, o->v = v;
    whence_set_finalizer(o, fin, 0);
    return o;
}
static NI void churn(void) {
    for (int i = 0; i < 64; i++)
        memset(whence_gc_alloc(64), 0xee, 64);
}

struct box { struct obj *p; long tag; };
static struct box *found;
static NI void find_again(struct box *p) {
    char *q = __builtin_frame_address(0);
    for (int i = 0; i < 4096; i++, q += sizeof(void *))
        if (q == (char *)p) {
            found = (struct box *)q;
            return;
        }
}
static NI long later(void) {
    whence_gc();
    churn();
    whence_gc();
    return found->p->v;
}
static NI long by_compare(void) {
    struct box s;
    s.p = mk(42), s.tag = 1;
    find_again(&s);
    return later();
}

static volatile int vone = 1;
static NI long use(struct obj *o) { return o ? o->v : -1000; }
static NI long asm_goto(int which) {
    struct obj *p = mk(42), *q;
#if defined(__x86_64__)
    __asm__ goto("mov %1, %0\n\tcmpl %3, %2\n\tjne %l4" : "=&r"(q) : "r"(p), "m"(vone), "r"(which) : "cc" : other);
#else
    __asm__ goto("mov %0, %1\n\tldr w9, %2\n\tcmp w9, %w3\n\tb.ne %l4" : "=&r"(q) : "r"(p), "m"(vone), "r"(which) : "cc", "x9" : other);
#endif
    whence_gc();
    churn();
    return use(q);
other:
    whence_gc();
    churn();
    return use(q) + 1;
}

int main(void) {
    printf("icmp: %ld\n", by_compare());
    long a = asm_goto(1), b = asm_goto(0);
    printf("asm goto: %ld %ld\n", a, b);
    return 0;
}
#endif
