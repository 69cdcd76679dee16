// Frames cross the boundary between an instrumented executable and an
// instrumented shared library it is linked against, both ways:
// main (exe) -> lib_entry (DSO) -> main_cb (exe, a callback) -> lib_leaf
// (DSO) -> whence_callers / whence_caller.  Names and lines are right on both
// sides; function pointers into the DSO are accepted by whence_func_for_pc.
// One source: -DLIB builds the DSO, -DMAIN the program.
// Variants: -O0 and -O2, PIE and non-PIE program, and a DSO that is not
// itself linked against libwhence (its hook resolves through the program's).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t-dir && mkdir -p %t-dir/a %t-dir/b %t-dir/c
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags -I%inputs %s %whence_libs -o %t-dir/a/libwdso.so
// RUN: %clang -O2 -gline-tables-only -DMAIN %whence_cflags -I%inputs %s -L%t-dir/a -lwdso -Wl,-rpath,%t-dir/a %whence_libs -o %t-dir/a/main
// RUN: %run %t-dir/a/main > %t-dir/a/out && FileCheck %s < %t-dir/a/out
// RUN: %clang -O0 -gline-tables-only -fPIC -shared -DLIB %whence_cflags -I%inputs %s %whence_libs -o %t-dir/b/libwdso.so
// RUN: %clang -O0 -gline-tables-only -fno-pie -no-pie -DMAIN %whence_cflags -I%inputs %s -L%t-dir/b -lwdso -Wl,-rpath,%t-dir/b %whence_libs -o %t-dir/b/main
// RUN: %run %t-dir/b/main > %t-dir/b/out && FileCheck %s < %t-dir/b/out
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags -I%inputs %s -o %t-dir/c/libwdso.so
// RUN: %clang -O2 -gline-tables-only -DMAIN %whence_cflags -I%inputs %s -L%t-dir/c -lwdso -Wl,-rpath,%t-dir/c %whence_libs -o %t-dir/c/main
// RUN: %run %t-dir/c/main | FileCheck %s
//
// main prints the frames lib_leaf saw (names, and lines captured here), then
// one "recap" line per frame in source order, matched next to each call.
// CHECK:      frame 0 fn=lib_leaf file=dso.c line=[[#LEAF:]] inl=0
// CHECK-NEXT: frame 1 fn=main_cb file=dso.c line=[[#CB:]] inl=0
// CHECK-NEXT: frame 2 fn=lib_entry file=dso.c line=[[#ENTRY:]] inl=0
// CHECK-NEXT: frame 3 fn=main file=dso.c line=[[#MAIN:]] inl=0
// CHECK-NEXT: frames=4 entries=4
// CHECK-NEXT: caller 0 ok=1 fn=lib_leaf line=[[#LEAF]]
// CHECK-NEXT: caller 1 ok=1 fn=main_cb line=[[#CB]]
// CHECK-NEXT: caller 2 ok=1 fn=lib_entry line=[[#ENTRY]]
// CHECK-NEXT: caller 3 ok=1 fn=main line=[[#MAIN]]
// CHECK-NEXT: caller 4 ok=0 fn=? line=0
// CHECK-NEXT: entries: lib_leaf=1 main_cb=1 lib_entry=1 main=1
// CHECK-NEXT: for_pc lib_entry: name=lib_entry first_line=[[#ENTRY_DEF:]]
// CHECK-NEXT: for_pc lib_leaf: name=lib_leaf first_line=[[#LEAF_DEF:]]
// (The program's own pointer to a DSO function is checked by dso-fnptr.c.)
#include "whence_e2e.h"

#include <stdbool.h>

typedef void (*cb_t)(int);

#ifdef LIB
static volatile int lib_sink;
uintptr_t lib_pcs[16];
int lib_n;
whence_frame lib_caller[5];
bool lib_ok[5];
uintptr_t lib_entry_addr, lib_leaf_addr; // as the DSO itself sees them

void lib_leaf(int x) {
    // CHECK: recap lib_leaf def=[[#@LINE-1]] call=[[#@LINE+1]]{{$}}
    lib_n = whence_callers(0, lib_pcs, 16); for (int s = 0; s < 5; s++) lib_ok[s] = whence_caller(s, &lib_caller[s]);
    lib_sink = x;
}

void lib_entry(cb_t cb, int x) {
    // CHECK-NEXT: recap lib_entry def=[[#@LINE-1]] call=[[#@LINE+1]]{{$}}
    cb(x + 1);
    lib_sink = x;
}

// The real entries, through hidden aliases: &lib_entry itself may be the
// program's PLT slot (non-PIE program, canonical function address).
extern __typeof(lib_entry) lib_entry_real __attribute__((alias("lib_entry"), visibility("hidden")));
extern __typeof(lib_leaf) lib_leaf_real __attribute__((alias("lib_leaf"), visibility("hidden")));
__attribute__((constructor)) static void lib_init(void) {
    lib_entry_addr = (uintptr_t)&lib_entry_real;
    lib_leaf_addr = (uintptr_t)&lib_leaf_real;
}
#endif

#ifdef MAIN
extern uintptr_t lib_pcs[16];
extern int lib_n;
extern whence_frame lib_caller[5];
extern bool lib_ok[5];
extern uintptr_t lib_entry_addr, lib_leaf_addr;
void lib_leaf(int x);
void lib_entry(cb_t cb, int x);
static volatile int sink;

NOINLINE void main_cb(int x) {
    lib_leaf(x * 2);
    // CHECK-NEXT: recap main_cb call=[[@LINE-1]]{{$}}
    sink = x;
}

int main(void) {
    lib_entry(main_cb, 1);
    // CHECK-NEXT: recap main call=[[@LINE-1]]{{$}}
    whence_frames it;
    whence_frame f;
    int k = 0, line[5] = {0};
    whence_frames_init(&it, lib_pcs, lib_n);
    while (whence_frames_next(&it, &f)) {
        char tag[16];
        snprintf(tag, sizeof tag, "frame %d", k);
        e2e_print(tag, &f);
        if (k < 5)
            line[k] = f.line;
        k++;
    }
    printf("frames=%d entries=%d\n", k, lib_n);
    for (int s = 0; s < 5; s++)
        printf("caller %d ok=%d fn=%s line=%d\n", s, lib_ok[s], lib_caller[s].function,
               lib_caller[s].line);
    // The frames' entries are the real entries of the functions (for the DSO's
    // functions, the addresses the DSO itself takes: in a non-PIE program the
    // program's own pointer to a DSO function is its PLT slot).
    printf("entries: lib_leaf=%d main_cb=%d lib_entry=%d main=%d\n",
           lib_caller[0].entry == lib_leaf_addr, lib_caller[1].entry == (uintptr_t)&main_cb,
           lib_caller[2].entry == lib_entry_addr,
           lib_caller[3].entry == (uintptr_t)&main);
    const char *file;
    const whence_func *fe = whence_func_for_pc(lib_entry_addr);
    printf("for_pc lib_entry: name=%s first_line=%d\n", whence_func_name(fe),
           whence_func_line(fe, whence_func_entry(fe), &file));
    const whence_func *fl = whence_func_for_pc(lib_leaf_addr);
    printf("for_pc lib_leaf: name=%s first_line=%d\n", whence_func_name(fl),
           whence_func_line(fl, whence_func_entry(fl), &file));
    // The program's own function pointer to a DSO function (its PLT slot in a
    // non-PIE program) is "a function pointer to an instrumented function".
    const whence_func *fp = whence_func_for_pc((uintptr_t)&lib_entry);
    printf("for_pc &lib_entry from main: name=%s\n", whence_func_name(fp));
    // Recaps, in source order.
    const char *file2;
    printf("recap lib_leaf def=%d call=%d\n", whence_func_line(fl, whence_func_entry(fl), &file2), line[0]);
    printf("recap lib_entry def=%d call=%d\n", whence_func_line(fe, whence_func_entry(fe), &file2), line[2]);
    printf("recap main_cb call=%d\n", line[1]);
    printf("recap main call=%d\n", line[3]);
    return 0;
}
#endif
