// A library replaced on disk while it is loaded (a rebuild, a package
// upgrade: a new file renamed over the path) by a build whose lines moved
// but whose code did not.  The faulting line comes from the file's
// .debug_line, and the code bytes around the pc match: the new file's line
// was printed as exact.  The image in memory and the file carry build ids,
// which differ: a file opened after the replacement is refused (line
// unknown, with the reason), one opened before it is kept.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t-dir && mkdir -p %t-dir && cp %s %t-dir/lib.c
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %t-dir/lib.c %whence_libs -Wl,--build-id -o %t-dir/orig.so
// RUN: python3 -c 'import sys; open(sys.argv[2], "w").write("\n" * 5 + open(sys.argv[1]).read())' %s %t-dir/lib.c
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %t-dir/lib.c %whence_libs -Wl,--build-id -o %t-dir/shifted.so
// RUN: cp %t-dir/orig.so %t-dir/libx.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -L%t-dir -lx -Wl,-rpath,%t-dir %whence_libs -o %t-dir/prog
// RUN: cp %t-dir/shifted.so %t-dir/libx.new
// RUN: not %run %t-dir/prog %t-dir/libx.so %t-dir/libx.new after 2>&1 | FileCheck %s --check-prefix=AFTER
// RUN: cp %t-dir/orig.so %t-dir/libx.so && cp %t-dir/shifted.so %t-dir/libx.new
// RUN: not %run %t-dir/prog %t-dir/libx.so %t-dir/libx.new before 2>&1 | FileCheck %s --check-prefix=BEFORE
// Without build ids nothing in the files tells the two builds apart (same
// code, same headers): the loaded file being unlinked does
// (/proc/self/maps: "(deleted)").
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %t-dir/lib.c %whence_libs -Wl,--build-id=none -o %t-dir/shifted-nobid.so
// RUN: cp %s %t-dir/lib.c
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %t-dir/lib.c %whence_libs -Wl,--build-id=none -o %t-dir/libx.so
// RUN: cp %t-dir/shifted-nobid.so %t-dir/libx.new
// RUN: not %run %t-dir/prog %t-dir/libx.so %t-dir/libx.new after 2>&1 | FileCheck %s --check-prefix=AFTER
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %t-dir/lib.c %whence_libs -Wl,--build-id=none -o %t-dir/libx.so
// RUN: cp %t-dir/shifted-nobid.so %t-dir/libx.new
// RUN: not %run %t-dir/prog %t-dir/libx.so %t-dir/libx.new before 2>&1 | FileCheck %s --check-prefix=BEFORE
// AFTER: fault in lib_fault at {{.*}}lib.c (line unknown; the file on disk is not the loaded image)
// BEFORE: fault in lib_fault at {{.*}}/lib.c:[[# @LINE + 6]]
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
    if (argc > 3 && !strcmp(argv[3], "before")) {
        /* the library's file read before it is replaced */
        const char *file;
        whence_func_line(whence_func_for_pc((uintptr_t)lib_fault), (uintptr_t)lib_fault + 1, &file);
    }
    if (rename(argv[2], argv[1]) != 0)
        return 2;
    lib_fault();
    return 0;
}
#endif
