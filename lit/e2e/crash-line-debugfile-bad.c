// Separate debug files that must not be believed: another build's (the
// same code, every line 5 further down: its lines would be plausible and
// wrong) where the build id or the .gnu_debuglink name leads, with build
// ids (they differ) and without (the CRC32 differs); and damaged ones (cut
// short, not ELF at all, .debug_line overwritten) that carry the right
// build id or name.  The report then says the line is unknown, never
// another line, and is written to its end (the caller's frame, main).
// Without build ids or /proc the debuglink is not trusted either.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t/other %t/s %t/id %t/n
// RUN: cp %s %t/src.c
// RUN: %clang -O1 -g -fno-inline -DFOREIGN -c %t/src.c -o %t/foreign.o
// RUN: %clang -O1 -g %whence_cflags %t/src.c %t/foreign.o %whence_libs -o %t/full
// RUN: %clang -O1 -g %whence_cflags %t/src.c %t/foreign.o %whence_libs -Wl,--build-id=none -o %t/n/full
// Another build: the same code, the lines moved.
// RUN: python3 -c 'import sys; open(sys.argv[2], "w").write("\n" * 5 + open(sys.argv[1]).read())' %s %t/src.c
// RUN: %clang -O1 -g -fno-inline -DFOREIGN -c %t/src.c -o %t/other/foreign.o
// RUN: %clang -O1 -g %whence_cflags %t/src.c %t/other/foreign.o %whence_libs -o %t/other/full
// RUN: %clang -O1 -g %whence_cflags %t/src.c %t/other/foreign.o %whence_libs -Wl,--build-id=none -o %t/other/full-nobid
// RUN: %headers_equal %t/n/full %t/other/full-nobid
// RUN: llvm-objcopy --only-keep-debug %t/full %t/prog.debug
// RUN: llvm-objcopy --only-keep-debug %t/other/full %t/other/prog.debug
// RUN: llvm-objcopy --only-keep-debug %t/n/full %t/n/prog.debug && cp %t/n/prog.debug %t/n/own.debug
// RUN: llvm-objcopy --only-keep-debug %t/other/full-nobid %t/other/nobid.debug
// RUN: llvm-strip -s %t/full -o %t/prog.s
// RUN: llvm-objcopy --add-gnu-debuglink=%t/prog.debug %t/prog.s %t/s/prog
// RUN: llvm-strip -s %t/n/full -o %t/n/prog.s
// RUN: llvm-objcopy --add-gnu-debuglink=%t/n/prog.debug %t/n/prog.s %t/n/prog
//
// Another build's debug file where this build's build id leads:
// RUN: python3 %inputs/debugfile.py by-id %t/full %t/other/prog.debug %t/id
// RUN: not --crash env WHENCE_DEBUG_FILE_DIRECTORY=%t/id %t/prog.s 2>&1 | FileCheck %s --check-prefixes=OTHER,UNK,MAIN
// ... where the debuglink leads (build ids differ):
// RUN: cp %t/other/prog.debug %t/s/prog.debug
// RUN: not --crash %t/s/prog 2>&1 | FileCheck %s --check-prefixes=OTHER,UNK,MAIN
// ... without build ids (the CRC32 differs), next to it and in .debug/:
// RUN: cp %t/other/nobid.debug %t/n/prog.debug
// RUN: not --crash %t/n/prog 2>&1 | FileCheck %s --check-prefixes=OTHER,UNK,MAIN
// RUN: rm %t/n/prog.debug && mkdir %t/n/.debug && cp %t/other/nobid.debug %t/n/.debug/prog.debug
// RUN: not --crash %t/n/prog 2>&1 | FileCheck %s --check-prefixes=OTHER,UNK,MAIN
// RUN: not --crash %t/n/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN-NONE
// (this build's own file there: its CRC32 matches)
// RUN: cp %t/n/own.debug %t/n/.debug/prog.debug
// RUN: not --crash %t/n/prog 2>&1 | FileCheck %s --check-prefixes=LINE,MAIN
//
// Damaged, with this build's build id or name: cut short (the build id
// note is still there; the section headers are not) ...
// RUN: head -c 2000 %t/prog.debug > %t/s/prog.debug
// RUN: not --crash %t/s/prog 2>&1 | FileCheck %s --check-prefixes=NOLINE,UNK,MAIN
// RUN: not --crash %t/s/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN-NONE
// RUN: rm -rf %t/id && python3 %inputs/debugfile.py by-id %t/full %t/s/prog.debug %t/id
// RUN: not --crash env WHENCE_DEBUG_FILE_DIRECTORY=%t/id %t/prog.s 2>&1 | FileCheck %s --check-prefixes=NOLINE,UNK,MAIN
// ... cut in the middle of its sections ...
// RUN: python3 -c 'import sys, os; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d[:len(d) // 2])' %t/prog.debug %t/s/prog.debug
// RUN: not --crash %t/s/prog 2>&1 | FileCheck %s --check-prefixes=NOLINE,UNK,MAIN
// RUN: not --crash %t/s/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN-NONE
// ... not ELF ...
// RUN: python3 -c 'import sys; open(sys.argv[1], "wb").write(bytes(range(256)) * 64)' %t/s/prog.debug
// RUN: not --crash %t/s/prog 2>&1 | FileCheck %s --check-prefixes=OTHER,UNK,MAIN
// ... its line table overwritten (the symbol table still names the
// function outside instrumented code; no line):
// RUN: cp %t/prog.debug %t/s/prog.debug && python3 %inputs/debugfile.py spoil %t/s/prog.debug
// RUN: not --crash %t/s/prog 2>&1 | FileCheck %s --check-prefixes=BAD,UNK,MAIN
// RUN: not --crash %t/s/prog foreign 2>&1 | FileCheck %s --check-prefix=FOREIGN-BAD
//
// Without /proc a program file without build id is not known to be the
// loaded one, and neither is its debuglink's file:
// RUN: %if noproc %{ not --crash %noproc %t/n/prog 2>&1 | FileCheck %s --check-prefixes=NOPROC,UNK,MAIN %}
#ifdef FOREIGN
static int *volatile null_f;
static __attribute__((noinline)) void foreign_leaf(int x) {
    if (x)
        *null_f = x;
}
void foreign_mid(int x) {
    foreign_leaf(x);
    foreign_leaf(x + 1);
}
#else
#include <string.h>
#include <whence.h>

void foreign_mid(int x);
int *volatile null_p;
volatile int sink;

__attribute__((noinline)) static void work(int x) {
    sink = x;
    *null_p = x;
    sink = x + 1;
}
// LINE: fault in work at {{.*}}src.c:[[#@LINE-3]]{{$}}
// OTHER: fault in work at {{.*}}src.c (line unknown; no .debug_line, and the separate debug file found is not this build's){{$}}
// NOLINE: fault in work at {{.*}}src.c (line unknown; no .debug_line){{$}}
// BAD: fault in work at {{.*}}src.c (line unknown; unreadable .debug_line){{$}}
// NOPROC: fault in work at {{.*}}src.c (line unknown; no build id, and no /proc to tell the file on disk is the loaded image){{$}}
// MAIN: stack:
// MAIN-NEXT: work(...)
// UNK-NEXT: src.c (line unknown) +0x
// LINE-NEXT: src.c:[[#@LINE-11]] +0x
// MAIN-NEXT: main(...)
// MAIN-NEXT: src.c:[[#@LINE+7]]{{$}}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (argc > 1 && !strcmp(argv[1], "foreign"))
        foreign_mid(argc);
    else
        work(argc);
    return 0;
}
#endif
// A stripped program's static function outside instrumented code: no
// name without a debug file that is this build's, and no line.
// FOREIGN-NONE: fault outside instrumented code, in {{.*}}prog+0x
// FOREIGN-NONE: stack:
// FOREIGN-NONE-NEXT: ?(...) (not instrumented)
// FOREIGN-NONE-NEXT: {{.*}}prog+0x
// FOREIGN-NONE-NEXT: ?(...) (not instrumented)
// FOREIGN-NONE-NEXT: {{.*}}prog+0x
// FOREIGN-NONE-NEXT: main(...)
// FOREIGN-BAD: fault in foreign_leaf (not instrumented) at {{.*}}/prog +0x
// FOREIGN-BAD: stack:
// FOREIGN-BAD-NEXT: foreign_leaf(...) (not instrumented)
// FOREIGN-BAD-NEXT: {{.*}}/prog +0x
// FOREIGN-BAD-NEXT: foreign_mid(...) (not instrumented)
// FOREIGN-BAD-NEXT: {{.*}}/prog +0x
// FOREIGN-BAD-NEXT: main(...)
