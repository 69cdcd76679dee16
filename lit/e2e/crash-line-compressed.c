// Compressed debug sections: a program built `-g -gz` (the linker
// compresses .debug_line and .debug_str with zlib, SHF_COMPRESSED), its
// separate debug file compressed by `objcopy --only-keep-debug
// --compress-debug-sections=zlib` (as distributions ship them), and GNU's
// older .zdebug_* sections (`--compress-debug-sections=zlib-gnu`).  The
// crash report said "line unknown; compressed debug sections" for the
// program's own function and gave no line for the code built without the
// plugin; now the sections are inflated at the first lookup and the
// lines are exact ([[@LINE]]), the same as the uncompressed build's.
// zstd (`-gz=zstd`) is not read: the report says so, and claims no line,
// of instrumented frames and of frames of code built without the plugin.
// A damaged stream, a wrong declared size and an absurd one are refused
// with their reason, and the report goes on to its end (main's frame).
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t/sep %t/gnu %t/bad
// RUN: %clang -O1 -g -gz -fno-inline -DFOREIGN -c %s -o %t/foreign.o
// RUN: %clang -O1 -g -gz %whence_cflags %s %t/foreign.o %whence_libs -o %t/prog
// RUN: llvm-readelf -S %t/prog | FileCheck %s --check-prefix=SECTIONS
// RUN: not --crash %t/prog prog 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %t/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN
//
// Uncompressed, the same lines:
// RUN: %clang -O1 -g %whence_cflags %s %t/foreign.o %whence_libs -o %t/full
// RUN: llvm-readelf -S %t/full | FileCheck %s --check-prefix=PLAIN
// RUN: not --crash %t/full prog 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %t/full foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN
//
// A separate debug file, compressed; the program stripped:
// RUN: objcopy --only-keep-debug --compress-debug-sections=zlib %t/full %t/sep/prog.debug
// RUN: llvm-readelf -S %t/sep/prog.debug | FileCheck %s --check-prefix=SECTIONS
// RUN: llvm-strip -s %t/full -o %t/sep/prog.s
// RUN: llvm-objcopy --add-gnu-debuglink=%t/sep/prog.debug %t/sep/prog.s %t/sep/prog
// RUN: not --crash %t/sep/prog prog 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %t/sep/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN
//
// GNU's .zdebug_* ("ZLIB", the size, a zlib stream):
// RUN: objcopy --compress-debug-sections=zlib-gnu %t/full %t/gnu/prog
// RUN: llvm-readelf -S %t/gnu/prog | FileCheck %s --check-prefix=ZDEBUG
// RUN: not --crash %t/gnu/prog prog 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %t/gnu/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN
//
// zstd: no line claimed, the reason given:
// RUN: %clang -O1 -g -gz=zstd -fno-inline -DFOREIGN -c %s -o %t/foreign-zstd.o
// RUN: %clang -O1 -g -gz=zstd %whence_cflags %s %t/foreign-zstd.o %whence_libs -o %t/zstd
// RUN: llvm-readelf -S %t/zstd | FileCheck %s --check-prefix=SECTIONS
// RUN: not --crash %t/zstd prog 2>&1 | FileCheck %s --check-prefix=ZSTD
// RUN: not --crash %t/zstd foreign 2>&1 | FileCheck %s --check-prefix=ZSTD-FOREIGN
//
// Damaged: a byte of the zlib stream changed, the declared size one too
// many, a declared size of 1 TiB:
// RUN: cp %t/prog %t/bad/flip && python3 %inputs/debugfile.py zspoil %t/bad/flip flip
// RUN: not --crash %t/bad/flip prog 2>&1 | FileCheck %s --check-prefixes=DAMAGED,MAIN
// RUN: not --crash %t/bad/flip foreign 2>&1 | FileCheck %s --check-prefix=NOLINE-FOREIGN
// RUN: cp %t/prog %t/bad/size && python3 %inputs/debugfile.py zspoil %t/bad/size size
// RUN: not --crash %t/bad/size prog 2>&1 | FileCheck %s --check-prefixes=DAMAGED,MAIN
// RUN: cp %t/prog %t/bad/huge && python3 %inputs/debugfile.py zspoil %t/bad/huge huge
// RUN: not --crash %t/bad/huge prog 2>&1 | FileCheck %s --check-prefixes=HUGE,MAIN
//
// SECTIONS: .debug_line PROGBITS {{.*}} C {{.*}}
// PLAIN-NOT: .zdebug
// PLAIN: .debug_line PROGBITS {{[0-9a-f]+ +[0-9a-f]+ +[0-9a-f]+ +00 +0 }}
// ZDEBUG: .zdebug_line PROGBITS
#ifdef FOREIGN
// Built without the plugin: named from the symbol table, at the line
// table's line.
static int *volatile null_f;
static __attribute__((noinline)) void foreign_leaf(int x) {
    if (x)
        *null_f = x;
    // FOREIGN: fault in foreign_leaf (not instrumented) at {{.*}}crash-line-compressed.c:[[@LINE-1]] +0x
    // FOREIGN: stack:
    // FOREIGN-NEXT: foreign_leaf(...) (not instrumented)
    // FOREIGN-NEXT: crash-line-compressed.c:[[@LINE-4]] +0x
    // ZSTD-FOREIGN: fault in foreign_leaf (not instrumented) at {{.*}}/zstd +0x{{[0-9a-f]+}} (line unknown; zstd-compressed debug sections){{$}}
    // ZSTD-FOREIGN: stack:
    // ZSTD-FOREIGN-NEXT: foreign_leaf(...) (not instrumented)
    // ZSTD-FOREIGN-NEXT: {{.*}}/zstd +0x{{[0-9a-f]+}} (line unknown; zstd-compressed debug sections){{$}}
    // NOLINE-FOREIGN: fault in foreign_leaf (not instrumented) at {{.*}}/flip +0x{{[0-9a-f]+}} (line unknown; a compressed debug section is damaged){{$}}
    // NOLINE-FOREIGN: stack:
    // NOLINE-FOREIGN-NEXT: foreign_leaf(...) (not instrumented)
    // NOLINE-FOREIGN-NEXT: {{.*}}/flip +0x{{[0-9a-f]+}} (line unknown; a compressed debug section is damaged){{$}}
}
void foreign_mid(int x) {
    foreign_leaf(x);
    // FOREIGN-NEXT: foreign_mid(...) (not instrumented)
    // FOREIGN-NEXT: crash-line-compressed.c:[[@LINE-2]] +0x
    // ZSTD-FOREIGN-NEXT: foreign_mid(...) (not instrumented)
    // ZSTD-FOREIGN-NEXT: {{.*}}/zstd +0x{{[0-9a-f]+}} (line unknown; zstd-compressed debug sections){{$}}
    // NOLINE-FOREIGN-NEXT: foreign_mid(...) (not instrumented)
    // NOLINE-FOREIGN-NEXT: {{.*}}/flip +0x{{[0-9a-f]+}} (line unknown; a compressed debug section is damaged){{$}}
    foreign_leaf(x + 1);
}
#else
#include <stdlib.h>
#include <string.h>
#include <whence.h>

void foreign_mid(int x);
int *volatile null_p;
volatile int sink;

__attribute__((noinline)) static void work(int x) {
    sink = x;
    *null_p = x;
    // PROG: fault in work at {{.*}}crash-line-compressed.c:[[@LINE-1]]{{$}}
    // PROG: stack:
    // PROG-NEXT: work(...)
    // PROG-NEXT: crash-line-compressed.c:[[@LINE-4]] +0x
    // ZSTD: fault in work at {{.*}}crash-line-compressed.c (line unknown; zstd-compressed debug sections){{$}}
    // DAMAGED: fault in work at {{.*}}crash-line-compressed.c (line unknown; a compressed debug section is damaged){{$}}
    // HUGE: fault in work at {{.*}}crash-line-compressed.c (line unknown; a compressed debug section inflates to over 256 MiB){{$}}
    sink = x + 1;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (argc > 1 && !strcmp(argv[1], "prog"))
        work(argc);
    // MAIN: main(...)
    // MAIN-NEXT: crash-line-compressed.c:[[@LINE-2]]{{$}}
    if (argc > 1 && !strcmp(argv[1], "foreign"))
        foreign_mid(argc);
    // FOREIGN-NEXT: main(...)
    // FOREIGN-NEXT: crash-line-compressed.c:[[@LINE-2]]{{$}}
    // ZSTD-FOREIGN-NEXT: main(...)
    // ZSTD-FOREIGN-NEXT: crash-line-compressed.c:[[@LINE-4]]{{$}}
    return 0;
}
#endif
