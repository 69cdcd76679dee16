// A stripped program's separate debug file written over in place while the
// program runs (helper-84): whence maps the file once and checks its build
// id then, and a `cp` over it (the same inode: the mapping shows the new
// bytes) made the crash report print the other build's lines as exact
// (helper-84's program: line 9 for line 5, from a build of the same code
// 4 lines further down; here the row offsets no longer fit and it said
// ".debug_line unreadable"); a truncated one made the report stop with
// "the stack is damaged" and whence_func_line fault (SIGBUS).  The mapped
// inode's size and mtime are now checked before each use
// (runtime/lines/image.c, changed_since).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t/a %t/b
// RUN: cp %s %t/a/x.c && python3 -c 'import sys; open(sys.argv[2], "w").write("\n" * 4 + open(sys.argv[1]).read())' %s %t/b/x.c
// RUN: cd %t/a && %clang -O2 -gline-tables-only -ffile-prefix-map=%t/a=/src %whence_cflags x.c %whence_libs -o %t/prog
// RUN: cd %t/b && %clang -O2 -gline-tables-only -ffile-prefix-map=%t/b=/src %whence_cflags x.c %whence_libs -o %t/other
// RUN: llvm-objcopy --only-keep-debug %t/prog %t/prog.debug && llvm-objcopy --strip-all --add-gnu-debuglink=%t/prog.debug %t/prog
// RUN: llvm-objcopy --only-keep-debug %t/other %t/other.debug
// RUN: cp %t/prog.debug %t/keep.debug
// Untouched: the faulting line from the debug file.
// RUN: not --crash %run %t/prog crash 2>&1 | FileCheck %s --check-prefix=SAME
// RUN: not --crash %run %t/prog crash %t/other.debug %t/prog.debug 2>&1 | FileCheck %s --check-prefix=OVER
// RUN: cp %t/keep.debug %t/prog.debug
// RUN: not --crash %run %t/prog crash - %t/prog.debug 2>&1 | FileCheck %s --check-prefix=OVER
// RUN: cp %t/keep.debug %t/prog.debug
// RUN: %run %t/prog line | FileCheck %s --check-prefix=LINE
// RUN: %run %t/prog line - %t/prog.debug | FileCheck %s --check-prefix=NOLINE
// SAME: fault in fault at /src/x.c:[[#@LINE+23]]
// SAME-NEXT: thread
// SAME-NEXT: stack:
// SAME-NEXT: fault(...)
// SAME-NEXT: x.c:[[#@LINE+19]] +0x{{[0-9a-f]+}}
// OVER: fault in fault at /src/x.c (line unknown; the file was written over on disk after it was read)
// OVER-NEXT: thread
// OVER-NEXT: stack:
// OVER-NEXT: fault(...)
// OVER-NEXT: x.c (line unknown) +0x{{[0-9a-f]+}}
// OVER-NEXT: outer(...)
// OVER-NEXT: x.c:[[#OUTER:]] +0x{{[0-9a-f]+}}
// OVER-NEXT: main(...)
// LINE: body line [[#BODY:]]
// NOLINE: body line 0
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>

__attribute__((noinline)) void fault(volatile int *p) {
    *p = 1; // (the faulting line)
}
__attribute__((noinline)) void outer(volatile int *p) {
    fault(p);
}
__attribute__((noinline)) int work(int x) {
    int y = x * 3;
    y ^= y >> 2;
    return y + 1;
}

/* Writes src over dst in place ("-": truncates dst), as cp does. */
static void write_over(const char *src, const char *dst) {
    int out = open(dst, O_WRONLY | O_TRUNC);
    if (out < 0 || !strcmp(src, "-")) {
        close(out);
        return;
    }
    int in = open(src, O_RDONLY);
    char buf[65536];
    ssize_t n;
    while (in >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            break;
    close(in);
    close(out);
}

int main(int argc, char **argv) {
    whence_install_crash_handler(); /* (maps the debug file now) */
    const whence_func *f = whence_func_for_pc((uintptr_t)&work);
    const char *file = 0;
    int crash = !strcmp(argv[1], "crash");
    /* (a line mode's first lookup indexes the rows before the change) */
    int before = crash ? 0 : whence_func_line(f, (uintptr_t)&work + 3, &file);
    if (argc > 3)
        write_over(argv[2], argv[3]);
    if (crash)
        outer(0);
    int after = whence_func_line(f, (uintptr_t)&work + 3, &file);
    printf("body line %d\n", argc > 3 ? after : before);
    return work(argc) & 0;
}
