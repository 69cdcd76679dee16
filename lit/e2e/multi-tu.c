// Two translation units built from this one source (-DTU1 / -DTU2) into one
// program: each has its own static function named "helper" (and its own
// static data), at different lines.  Frames and func_for_pc must attribute
// each helper to its own line and module: main -> helper(TU1) -> tu2_entry
// -> helper(TU2) -> whence_callers.  Also with -ffunction-sections and the
// objects in the other link order.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -DTU1 %whence_cflags -I%inputs -c %s -o %t.1.o
// RUN: %clang -O2 -gline-tables-only -DTU2 %whence_cflags -I%inputs -c %s -o %t.2.o
// RUN: %clang %t.1.o %t.2.o %whence_libs -o %t.a && %run %t.a | FileCheck %s
// RUN: %clang %t.2.o %t.1.o %whence_libs -o %t.b && %run %t.b | FileCheck %s
// RUN: %clang -O0 -gline-tables-only -ffunction-sections -DTU1 %whence_cflags -I%inputs -c %s -o %t.3.o
// RUN: %clang -O0 -gline-tables-only -ffunction-sections -DTU2 %whence_cflags -I%inputs -c %s -o %t.4.o
// RUN: %clang -fno-pie -no-pie %t.3.o %t.4.o %whence_static -lpthread -ldl -o %t.c && %run %t.c | FileCheck %s
//
// CHECK:      frame 0 fn=helper file=multi-tu.c line=[[#H2:]] inl=0
// CHECK-NEXT: frame 1 fn=tu2_entry file=multi-tu.c line=[[#E2:]] inl=0
// CHECK-NEXT: frame 2 fn=helper file=multi-tu.c line=[[#H1:]] inl=0
// CHECK-NEXT: frame 3 fn=main file=multi-tu.c line=[[#M1:]] inl=0
// CHECK-NEXT: frames=4
// CHECK-NEXT: for_pc helper1: name=helper entry_ok=1 first_line=[[#H1_DEF:]]
// CHECK-NEXT: for_pc helper2: name=helper entry_ok=1 first_line=[[#H2_DEF:]]
#include "whence_e2e.h"

typedef void (*fn_t)(int);
extern uintptr_t tu2_pcs[8];
extern int tu2_n;
extern uintptr_t helper1_addr, helper2_addr;

#ifdef TU1
uintptr_t helper1_addr, helper2_addr;
static volatile int sink = 1;
void tu2_entry(int x);

NOINLINE static void helper(int x) {
    // CHECK: recap helper1 def=[[#@LINE-1]] call=[[#@LINE+1]]{{$}}
    tu2_entry(x + sink);
    sink = x;
}

int main(void) {
    helper1_addr = (uintptr_t)&helper;
    helper(1);
    // CHECK-NEXT: recap main call=[[@LINE-1]]{{$}}
    whence_frames it;
    whence_frame f;
    int k = 0, line[4] = {0};
    whence_frames_init(&it, tu2_pcs, tu2_n);
    while (whence_frames_next(&it, &f)) {
        char tag[16];
        snprintf(tag, sizeof tag, "frame %d", k);
        e2e_print(tag, &f);
        if (k < 4)
            line[k] = f.line;
        k++;
    }
    printf("frames=%d\n", k);
    const char *file;
    const whence_func *f1 = whence_func_for_pc(helper1_addr);
    const whence_func *f2 = whence_func_for_pc(helper2_addr);
    int d1 = whence_func_line(f1, helper1_addr, &file), d2 = whence_func_line(f2, helper2_addr, &file);
    printf("for_pc helper1: name=%s entry_ok=%d first_line=%d\n", whence_func_name(f1),
           whence_func_entry(f1) == helper1_addr, d1);
    printf("for_pc helper2: name=%s entry_ok=%d first_line=%d\n", whence_func_name(f2),
           whence_func_entry(f2) == helper2_addr, d2);
    printf("recap helper1 def=%d call=%d\n", d1, line[2]);
    printf("recap main call=%d\n", line[3]);
    printf("recap helper2 def=%d call=%d\n", d2, line[0]);
    printf("recap tu2_entry call=%d\n", line[1]);
    return 0;
}
#endif

#ifdef TU2
static volatile int sink = 2;
uintptr_t tu2_pcs[8];
int tu2_n;

NOINLINE static void helper(int x) {
    // CHECK-NEXT: recap helper2 def=[[#@LINE-1]] call=[[#@LINE+1]]{{$}}
    tu2_n = whence_callers(0, tu2_pcs, 8);
    sink = x;
}

NOINLINE void tu2_entry(int x) {
    helper2_addr = (uintptr_t)&helper;
    helper(x * 2);
    // CHECK-NEXT: recap tu2_entry call=[[@LINE-1]]{{$}}
    sink = x;
}
#endif
