// A library whose path names another file by now than the one the loader
// mapped, with the same code and every line moved (a second build): the
// path was relative and the program changed directory since, or it was a
// symbolic link pointed at the other build (what ldconfig does to soname
// links).  The faulting line comes from the file's .debug_line: the other
// build's line was printed as exact when the libraries had no build id.
// The file read is the one /proc/self/maps says is mapped, and a file
// whose inode is not the mapping's is refused: where the kernel's path
// cannot be taken (512 bytes or more) the loader's relative path names the
// other build, and the line is unknown, with the reason.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t-dir && mkdir -p %t-dir/a %t-dir/b %t-dir/src-b && cp %s %t-dir/lib.c
// RUN: python3 -c 'import sys; open(sys.argv[2], "w").write("\n" * 5 + open(sys.argv[1]).read())' %s %t-dir/src-b/lib.c
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t-dir/prog
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %t-dir/lib.c %whence_libs -Wl,--build-id=none -o %t-dir/a/libx.so
// RUN: cd %t-dir/src-b && %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags lib.c %whence_libs -Wl,--build-id=none -o %t-dir/b/libx.so
// RUN: not %run %t-dir/prog rel %t-dir/a %t-dir/b 2>&1 | FileCheck %s --check-prefix=EXACT
// RUN: ln -s %t-dir/a/libx.so %t-dir/cur.so
// RUN: not %run %t-dir/prog link %t-dir/cur.so %t-dir/b/libx.so 2>&1 | FileCheck %s --check-prefix=EXACT
// RUN: python3 -c 'import os, sys; os.makedirs(os.path.join(sys.argv[1], *(["d" * 100] * 6)))' %t-dir/long
// RUN: cp %t-dir/a/libx.so %t-dir/long/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/libx.so
// RUN: not %run %t-dir/prog rel %t-dir/long/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd %t-dir/b 2>&1 | FileCheck %s --check-prefix=OTHER
// With build ids the other build was refused (line unknown); it is the
// mapped file that is read now.
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %t-dir/lib.c %whence_libs -Wl,--build-id -o %t-dir/a/libx.so
// RUN: cd %t-dir/src-b && %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags lib.c %whence_libs -Wl,--build-id -o %t-dir/b/libx.so
// RUN: not %run %t-dir/prog rel %t-dir/a %t-dir/b 2>&1 | FileCheck %s --check-prefix=EXACT
// OTHER: fault in lib_fault at {{.*}}lib.c (line unknown; the file on disk is not the loaded image)
// EXACT: fault in lib_fault at {{.*}}/lib.c:[[# @LINE + 6]]
#ifdef LIB
#include <whence.h>
int *volatile lib_null;
__attribute__((noinline)) void lib_fault(void) {
    __asm__ volatile("");
    *lib_null = 1;
}
#else
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>
int main(int argc, char **argv) {
    if (argc < 4)
        return 2;
    whence_install_crash_handler();
    void *h = NULL;
    if (!strcmp(argv[1], "rel")) {
        /* loaded as ./libx.so from the first directory, then in the
         * second, where ./libx.so is the other build */
        if (chdir(argv[2]) != 0)
            return 3;
        h = dlopen("./libx.so", RTLD_NOW);
        if (chdir(argv[3]) != 0)
            return 3;
    } else {
        /* loaded through a link, then the link points at the other build */
        h = dlopen(argv[2], RTLD_NOW);
        if (unlink(argv[2]) != 0 || symlink(argv[3], argv[2]) != 0)
            return 3;
    }
    void (*f)(void) = h ? (void (*)(void))dlsym(h, "lib_fault") : NULL;
    if (!f)
        return 4;
    f();
    return 0;
}
#endif
