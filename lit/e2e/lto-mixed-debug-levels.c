// An LTO link of -gline-tables-only and -g sources, the plugin at the
// link: one -g unit in a module (a ThinLTO import of a -g source's
// function, every unit in full LTO) made the whole module -g's: slots,
// and the -gline-tables-only functions kept their tail calls, so a
// tail-calling function's frame left the stack, nothing said.  The mode
// follows the units of the functions instrumented, and a function's tail
// calls its own unit (-g code keeps them, as documented: SLOTS.md).  A
// function of a unit built without -g (no unit of its own in the module)
// kept them too, in a module with a -g unit: its frame left the stack
// (helper-114).
//   main (A) -> mid (A) -tail-> leaf (A); main -> g_fwd (B, -g) -tail-> leaf;
//   main -> c_fwd (C, no -g) -tail-> leaf
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// RUN: rm -rf %t && mkdir -p %t
// DEFINE: %{cc} = %clang -O2 -I%whence_incdir -c %s
// DEFINE: %{link} = %clang -O2 -fuse-ld=lld -Wl,--load-pass-plugin=%plugin %whence_libs
// RUN: %{cc} -gline-tables-only -flto=thin -DTU_A -o %t/ta.o
// RUN: %{cc} -g -flto=thin -DTU_B -o %t/tb.o
// RUN: %{cc} -g -flto=thin -DTU_B -DB_INLINE -o %t/tbi.o
// RUN: %{cc} -flto=thin -DTU_C -o %t/tc.o
// RUN: %{cc} -gline-tables-only -flto=full -DTU_A -o %t/fa.o
// RUN: %{cc} -g -flto=full -DTU_B -o %t/fb.o
// RUN: %{cc} -flto=full -DTU_C -o %t/fc.o
// RUN: %{link} -flto=thin %t/ta.o %t/tb.o %t/tc.o -o %t/thin
// RUN: %run %t/thin | FileCheck %s
// RUN: %{link} -flto=thin %t/ta.o %t/tbi.o %t/tc.o -o %t/thin.inl
// RUN: %run %t/thin.inl | FileCheck %s
// RUN: %{link} -flto=full %t/fa.o %t/fb.o %t/fc.o -o %t/full
// RUN: %run %t/full | FileCheck %s
// CHECK: leaf at line [[#LEAF:]]
// CHECK-NEXT: mid at line [[#MID:]]
// CHECK-NEXT: main at line [[#MAIN:]]
// CHECK-NEXT: leaf at line [[#LEAF]]
// CHECK-NOT: mid
// CHECK: main at line [[#MAIN+1]]
// CHECK-NEXT: leaf at line [[#LEAF]]
// CHECK-NEXT: c_fwd at line 0
// CHECK-NEXT: main at line [[#MAIN+2]]
#include <stdio.h>
#include <whence.h>

#include <string.h>

int leaf(int x);
int g_fwd(int x);
int c_fwd(int x);
extern volatile int sink;

#ifdef TU_A
volatile int sink;

__attribute__((noinline)) int leaf(int x) {
    uintptr_t pcs[8];
    int n = whence_callers(0, pcs, 8);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        printf("%s at line %d\n", f.function, f.line);
        if (!strcmp(f.function, "main"))
            break;
    }
    return x + sink;
}

__attribute__((noinline)) int mid(int x) {
    sink = x;
    return leaf(x + 1); /* a tail call: kept a call in -gline-tables-only code */
}

int main(int argc, char **argv) {
    int r = mid(argc);
    r += g_fwd(r);
    r += c_fwd(r);
    return r == 0;
}
#endif

#ifdef TU_B
/* -g code: its tail call may stay a jump (its frame then left out, as a
 * debugger leaves it out) */
#ifdef B_INLINE
int g_fwd(int x) { return leaf(x * 3); }
#else
__attribute__((noinline)) int g_fwd(int x) {
    sink = x;
    return leaf(x * 3);
}
#endif
#endif

#ifdef TU_C
/* code built without -g: its tail call is a call, its frame kept */
__attribute__((noinline)) int c_fwd(int x) {
    sink = x;
    return leaf(x + 5);
}
#endif
