// Separate debug files: a program and a library built with -g, then split
// as distributions and RelWithDebInfo-then-strip builds ship them (the
// debug sections kept in a file of their own, `llvm-objcopy
// --only-keep-debug`; the binary stripped).  The crash report said "line
// unknown; no .debug_line", and a stripped program's own static functions
// outside instrumented code had no name.  Now the debug file is found as
// gdb finds it: by build id under each directory of
// WHENCE_DEBUG_FILE_DIRECTORY, by .gnu_debuglink next to the binary, in
// its .debug/, and under each directory by the binary's own directory.
// The truth is the source ([[@LINE]]), and the unsplit binaries' reports,
// which must be the same.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t/lib %t/a %t/b/.debug %t/c %t/d %t/none
// RUN: %clang -O1 -g -fno-inline -DFOREIGN -c %s -o %t/foreign.o
// RUN: %clang -O1 -g -fPIC -shared -DIN_DSO %whence_cflags %s %whence_libs -o %t/lib/libdf.so
// RUN: %clang -O1 -g %whence_cflags %s %t/foreign.o -L%t/lib -ldf -Wl,-rpath,%t/lib %whence_libs -o %t/prog
//
// Unsplit:
// RUN: not --crash %run %t/prog prog 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %run %t/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN
// RUN: not --crash %run %t/prog lib 2>&1 | FileCheck %s --check-prefix=LIB
//
// The program stripped of everything (-s: no .symtab either), its debug
// file next to it by .gnu_debuglink:
// RUN: llvm-objcopy --only-keep-debug %t/prog %t/a/prog.debug
// RUN: llvm-strip -s %t/prog -o %t/a/prog.s
// RUN: llvm-objcopy --add-gnu-debuglink=%t/a/prog.debug %t/a/prog.s %t/a/prog
// RUN: not --crash %run %t/a/prog prog 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %run %t/a/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN
// ... in the binary's .debug/:
// RUN: cp %t/a/prog %t/b/prog && cp %t/a/prog.debug %t/b/.debug/prog.debug
// RUN: not --crash %run %t/b/prog prog 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %run %t/b/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN
// ... named as the binary itself, in .debug/ (the binary, first in line,
// is not its own debug file):
// RUN: mkdir -p %t/e/.debug && cp %t/a/prog.debug %t/e/.debug/prog
// RUN: llvm-objcopy --add-gnu-debuglink=%t/e/.debug/prog %t/a/prog.s %t/e/prog
// RUN: not --crash %run %t/e/prog prog 2>&1 | FileCheck %s --check-prefix=PROG
// ... under a debug directory, by the binary's absolute directory:
// RUN: cp %t/a/prog %t/d/prog && cp %t/a/prog.debug %t/d/prog.debug
// RUN: python3 %inputs/debugfile.py under %t/dbg-tree %t/d/prog.debug
// RUN: not --crash %run %t/d/prog prog 2>&1 | FileCheck %s --check-prefix=NODEBUG
// RUN: not --crash env WHENCE_DEBUG_FILE_DIRECTORY=%t/none:%t/dbg-tree %run %t/d/prog prog 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash env WHENCE_DEBUG_FILE_DIRECTORY=%t/dbg-tree %run %t/d/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN
// ... by build id, with no debuglink at all (the second directory of the list):
// RUN: cp %t/a/prog.s %t/c/prog
// RUN: python3 %inputs/debugfile.py by-id %t/prog %t/a/prog.debug %t/dbg-id
// RUN: not --crash %run %t/c/prog prog 2>&1 | FileCheck %s --check-prefix=NODEBUG
// RUN: not --crash env WHENCE_DEBUG_FILE_DIRECTORY=%t/none:%t/dbg-id %run %t/c/prog prog 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash env WHENCE_DEBUG_FILE_DIRECTORY=%t/dbg-id %run %t/c/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN
//
// The library, stripped of its debug sections (-g) in place, its debug
// file next to it by .gnu_debuglink:
// RUN: llvm-objcopy --only-keep-debug %t/lib/libdf.so %t/libdf.so.debug
// RUN: llvm-strip -g %t/lib/libdf.so -o %t/libdf.so.g
// RUN: llvm-objcopy --add-gnu-debuglink=%t/libdf.so.debug %t/libdf.so.g %t/lib/libdf.so
// RUN: not --crash %run %t/prog lib 2>&1 | FileCheck %s --check-prefix=NODEBUG-LIB
// RUN: cp %t/libdf.so.debug %t/lib/libdf.so.debug
// RUN: not --crash %run %t/prog lib 2>&1 | FileCheck %s --check-prefix=LIB
// ... stripped of everything, by build id:
// RUN: llvm-strip -s %t/libdf.so.g -o %t/lib/libdf.so
// RUN: python3 %inputs/debugfile.py by-id %t/libdf.so.g %t/libdf.so.debug %t/dbg-id
// RUN: not --crash env WHENCE_DEBUG_FILE_DIRECTORY=%t/dbg-id %run %t/prog lib 2>&1 | FileCheck %s --check-prefix=LIB
//
// Without build ids, the debuglink's CRC32 tells the file is this build's:
// RUN: mkdir -p %t/n
// RUN: %clang -O1 -g %whence_cflags %s %t/foreign.o -L%t/lib -ldf -Wl,-rpath,%t/lib -Wl,--build-id=none %whence_libs -o %t/n/full
// RUN: llvm-objcopy --only-keep-debug %t/n/full %t/n/prog.debug
// RUN: llvm-strip -s %t/n/full -o %t/n/prog.s
// RUN: llvm-objcopy --add-gnu-debuglink=%t/n/prog.debug %t/n/prog.s %t/n/prog
// RUN: not --crash %run %t/n/prog prog 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %run %t/n/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN
// DWARF 4 (the line table without the compilation directory), stripped
// of its debug sections only (-g):
// RUN: mkdir -p %t/v4/.debug
// RUN: %clang -O1 -g -gdwarf-4 %whence_cflags %s %t/foreign.o -L%t/lib -ldf -Wl,-rpath,%t/lib %whence_libs -o %t/v4/full
// RUN: llvm-objcopy --only-keep-debug %t/v4/full %t/v4/.debug/prog.debug
// RUN: llvm-strip -g %t/v4/full -o %t/v4/prog.s
// RUN: llvm-objcopy --add-gnu-debuglink=%t/v4/.debug/prog.debug %t/v4/prog.s %t/v4/prog
// RUN: not --crash %run %t/v4/prog prog 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %run %t/v4/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN
#ifdef FOREIGN
// Built without the plugin: named from the symbol table (the debug
// file's, once the program is stripped), at the line table's line.
static int *volatile null_f;
static __attribute__((noinline)) void foreign_leaf(int x) {
    if (x)
        *null_f = x;
    // FOREIGN: fault in foreign_leaf (not instrumented) at {{.*}}crash-line-debugfile.c:[[@LINE-1]] +0x
    // FOREIGN: stack:
    // FOREIGN-NEXT: foreign_leaf(...) (not instrumented)
    // FOREIGN-NEXT: crash-line-debugfile.c:[[@LINE-4]] +0x
}
void foreign_mid(int x) {
    foreign_leaf(x);
    // FOREIGN-NEXT: foreign_mid(...) (not instrumented)
    // FOREIGN-NEXT: crash-line-debugfile.c:[[@LINE-2]] +0x
    foreign_leaf(x + 1);
}
#elif defined(IN_DSO)
int *volatile lib_null;
volatile int lib_sink;
__attribute__((noinline)) void lib_work(int x) {
    lib_sink = x;
    *lib_null = x;
    // LIB: fault in lib_work at {{.*}}crash-line-debugfile.c:[[@LINE-1]]{{$}}
    // LIB: stack:
    // LIB-NEXT: lib_work(...)
    // LIB-NEXT: crash-line-debugfile.c:[[@LINE-4]] +0x
    // NODEBUG-LIB: fault in lib_work at {{.*}}crash-line-debugfile.c (line unknown; no .debug_line){{$}}
    lib_sink = x + 1;
}
#else
#include <stdlib.h>
#include <string.h>
#include <whence.h>

void foreign_mid(int x);
void lib_work(int x);
int *volatile null_p;
volatile int sink;

__attribute__((noinline)) static void work(int x) {
    sink = x;
    *null_p = x;
    // PROG: fault in work at {{.*}}crash-line-debugfile.c:[[@LINE-1]]{{$}}
    // PROG: stack:
    // PROG-NEXT: work(...)
    // PROG-NEXT: crash-line-debugfile.c:[[@LINE-4]] +0x
    // NODEBUG: fault in work at {{.*}}crash-line-debugfile.c (line unknown; no .debug_line){{$}}
    sink = x + 1;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (argc > 1 && !strcmp(argv[1], "prog"))
        work(argc);
    if (argc > 1 && !strcmp(argv[1], "foreign"))
        foreign_mid(argc);
    // FOREIGN-NEXT: main(...)
    // FOREIGN-NEXT: crash-line-debugfile.c:[[@LINE-2]]{{$}}
    if (argc > 1 && !strcmp(argv[1], "lib"))
        lib_work(argc);
    return 0;
}
#endif
