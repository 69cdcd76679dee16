// A loaded library's path that names a FIFO by the time of the crash (or of
// a later lookup): the report opened it to read its .debug_line, and open(2)
// of a FIFO waits for a writer, so the crash handler blocked for ever: no
// report, and the process never died.  The file is opened non-blocking now
// and, not being a regular file, not read: the line is unknown when the
// library's file was not read before, and exact when it was (the file read
// then is kept).
// REQUIRES: x86_64-linux
// RUN: rm -rf %t-dir && mkdir -p %t-dir
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %s %whence_libs -o %t-dir/libx.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -L%t-dir -lx -Wl,-rpath,%t-dir %whence_libs -o %t-dir/prog
// RUN: cp %t-dir/libx.so %t-dir/libx.keep && rm -f %t-dir/fifo && mkfifo %t-dir/fifo
// RUN: not --crash timeout 60 %t-dir/prog %t-dir/libx.so %t-dir/fifo after 2>&1 | FileCheck %s --check-prefix=AFTER
// RUN: rm -f %t-dir/libx.so && cp %t-dir/libx.keep %t-dir/libx.so && mkfifo %t-dir/fifo
// RUN: not --crash timeout 60 %t-dir/prog %t-dir/libx.so %t-dir/fifo before 2>&1 | FileCheck %s --check-prefix=BEFORE
// RUN: rm -f %t-dir/libx.so
// AFTER: fault in lib_fault at {{.*}}crash-line-fifo.c (line unknown; the image's file cannot be read)
// BEFORE: fault in lib_fault at {{.*}}crash-line-fifo.c:[[# @LINE + 6]]
#ifdef LIB
#include <whence.h>
int *volatile lib_null;
__attribute__((noinline)) void lib_fault(void) {
    __asm__ volatile("");
    *lib_null = 1;
}
#else
#include <stdio.h>
#include <string.h>
#include <whence.h>
void lib_fault(void);
int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (!strcmp(argv[3], "before")) {
        /* the library's file read before its path names a FIFO */
        const char *file;
        whence_func_line(whence_func_for_pc((uintptr_t)lib_fault), (uintptr_t)lib_fault + 1, &file);
    }
    if (rename(argv[2], argv[1]) != 0)
        return 2;
    lib_fault();
    return 0;
}
#endif
