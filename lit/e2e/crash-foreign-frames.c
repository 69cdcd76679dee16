// A crash in code the pass did not compile (a library built without the
// plugin, libc): was "fault outside instrumented code" and a stack that
// left those frames out, so the report named neither the function that
// faulted nor how it was reached.  Now such a frame is named by its
// image's symbol table (.symtab, else .dynsym), with the line table's
// line of its instruction when the file has one, and otherwise its
// object; libc's and the loader's frames below main stay out.
// REQUIRES: x86_64-linux
// RUN: %clang -O1 -g -fno-inline -DFOREIGN -c %s -o %t-g.o
// RUN: %clang -O1 -g0 -fno-inline -DFOREIGN -c %s -o %t-g0.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t-g.o %whence_libs -o %t
// RUN: not --crash %t plain 2>&1 | FileCheck %s --check-prefix=LINES
// RUN: not --crash %t libc 2>&1 | FileCheck %s --check-prefix=LIBC
// RUN: not --crash %t qsort 2>&1 | FileCheck %s --check-prefix=QSORT
// RUN: not --crash %t pushed 2>&1 | FileCheck %s --check-prefix=PUSHED
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t-g0.o %whence_libs -o %t.g0
// RUN: not --crash %t.g0 plain 2>&1 | FileCheck %s --check-prefix=NOLINES
// A stripped program: its own static functions have no symbol left.
// RUN: llvm-strip -o %t.strip %t.g0
// RUN: not --crash %t.strip plain 2>&1 | FileCheck %s --check-prefix=STRIP
#ifdef FOREIGN
static int *volatile null_p;
void foreign_leaf(int x) {
    if (x)
        *null_p = x; // line 25
}
void foreign_mid(int x) {
    foreign_leaf(x); // line 28
    foreign_leaf(x + 1);
}
// A return address that follows no call: pushed by hand, then a jump.
void foreign_pushed(int x);
__asm__(".text\n.globl foreign_pushed\n.type foreign_pushed,@function\n"
        "foreign_pushed:\n.cfi_startproc\npushq %rbp\n.cfi_def_cfa_offset 16\n"
        ".cfi_offset %rbp, -16\nmovq %rsp, %rbp\n.cfi_def_cfa_register %rbp\n"
        "leaq 1f(%rip), %rax\npushq %rax\njmp foreign_leaf\nnop\n1: nop\n"
        "popq %rbp\nret\n.cfi_endproc\n.size foreign_pushed, .-foreign_pushed\n");
#else
#include <stdlib.h>
#include <string.h>
#include <whence.h>

void foreign_mid(int x);
void foreign_pushed(int x);
static const char *volatile null_s;

__attribute__((noinline)) static void instrumented(int x) {
    foreign_mid(x);
    whence_write_stack(2, 0);
}

static int *volatile null_q;
__attribute__((noinline)) static int by_value(const void *a, const void *b) {
    return *null_q + *(const int *)a - *(const int *)b;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (argc > 1 && !strcmp(argv[1], "pushed")) {
        foreign_pushed(argc);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "libc"))
        return (int)strlen(null_s);
    if (argc > 1 && !strcmp(argv[1], "qsort")) {
        int v[4] = {3, 1, 2, 0};
        qsort(v, 4, sizeof v[0], by_value);
        return v[0];
    }
    instrumented(argc);
    return 0;
}
#endif
// LINES: fault in foreign_leaf (not instrumented) at {{.*}}crash-foreign-frames.c:25 +0x
// LINES: stack:
// LINES-NEXT: foreign_leaf(...) (not instrumented)
// LINES-NEXT: crash-foreign-frames.c:25 +0x
// LINES-NEXT: foreign_mid(...) (not instrumented)
// LINES-NEXT: crash-foreign-frames.c:28 +0x
// LINES-NEXT: instrumented(...)
// LINES-NEXT: crash-foreign-frames.c:48 +0x
// LINES-NEXT: main(...)
// LINES-NOT: (not instrumented)
//
// Without debug info the object is named in place of a line.
// NOLINES: fault in foreign_leaf (not instrumented) at {{.*}}crash-foreign-frames.c.tmp.g0 +0x
// NOLINES: stack:
// NOLINES-NEXT: foreign_leaf(...) (not instrumented)
// NOLINES-NEXT: {{.*}}.g0 +0x
// NOLINES-NEXT: foreign_mid(...) (not instrumented)
// NOLINES-NEXT: {{.*}}.g0 +0x
// NOLINES-NEXT: instrumented(...)
// NOLINES-NEXT: crash-foreign-frames.c:48 +0x
//
// STRIP: fault outside instrumented code, in {{.*}}.strip+0x
// STRIP: stack:
// STRIP-NEXT: ?(...) (not instrumented)
// STRIP-NEXT: {{.*}}.strip+0x
// STRIP-NEXT: ?(...) (not instrumented)
// STRIP-NEXT: {{.*}}.strip+0x
// STRIP-NEXT: instrumented(...)
// STRIP-NEXT: crash-foreign-frames.c:48 +0x
//
// LIBC: fault outside instrumented code, in {{.*}}libc.so.6+0x
// LIBC: stack:
// LIBC-NEXT: (...) (not instrumented)
// LIBC-NEXT: libc.so.6
// LIBC-NEXT: main(...)
// LIBC-NEXT: crash-foreign-frames.c:64 +0x
// LIBC-NOT: (not instrumented)
//
// A callback's caller in libc between instrumented frames.
// QSORT: fault in by_value at {{.*}}crash-foreign-frames.c:54
// QSORT: stack:
// QSORT-NEXT: by_value(...)
// QSORT-NEXT: crash-foreign-frames.c:54 +0x
// QSORT: (...) (not instrumented)
// QSORT: qsort{{.*}}(...) (not instrumented)
// QSORT-NEXT: libc.so.6 +0x
// QSORT-NEXT: main(...)
// QSORT-NEXT: crash-foreign-frames.c:67 +0x
//
// A frame whose return address follows no call instruction is not named
// (its function did not call): its object and address only.
// PUSHED: stack:
// PUSHED-NEXT: foreign_leaf(...) (not instrumented)
// PUSHED-NEXT: crash-foreign-frames.c:25 +0x
// PUSHED-NEXT: ?(...) (not instrumented)
// PUSHED-NEXT: {{.*}}crash-foreign-frames.c.tmp+0x
// PUSHED-NEXT: main(...)
