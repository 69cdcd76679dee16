// Without /proc (a container or chroot that does not mount it), a file
// without build id replaced on disk by a build whose lines moved but whose
// code and headers did not: the library, or the program itself (found by
// AT_EXECFN, since /proc/self/exe cannot be opened).  Nothing in the file
// tells the builds apart, and the "(deleted)" of /proc/self/maps that does
// with /proc cannot be read: the new file's line was printed as exact
// (lib.c:11 for 6 here; the program's "inlined code at :9" for its line
// 6).  Now no line is claimed.  Files with build ids keep their lines.
// REQUIRES: x86_64-linux && noproc
// RUN: rm -rf %t-dir && mkdir -p %t-dir && cp %s %t-dir/t.c
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %t-dir/t.c %whence_libs -Wl,--build-id=none -o %t-dir/orig.so
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %t-dir/t.c %whence_libs -Wl,--build-id -o %t-dir/libbid.so
// RUN: cp %t-dir/orig.so %t-dir/libx.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %t-dir/t.c -L%t-dir -lx -Wl,-rpath,%t-dir %whence_libs -Wl,--build-id=none -o %t-dir/prog
// RUN: %clang -O2 -gline-tables-only %whence_cflags %t-dir/t.c -L%t-dir -lbid -Wl,-rpath,%t-dir %whence_libs -Wl,--build-id -o %t-dir/prog-bid
// RUN: python3 -c 'import sys; open(sys.argv[2], "w").write("\n" * 5 + open(sys.argv[1]).read())' %s %t-dir/t.c
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %t-dir/t.c %whence_libs -Wl,--build-id=none -o %t-dir/shifted.so
// RUN: python3 -c 'import sys; open(sys.argv[2], "w").write("\n" * 3 + open(sys.argv[1]).read())' %s %t-dir/t.c
// RUN: %clang -O2 -gline-tables-only %whence_cflags %t-dir/t.c -L%t-dir -lx -Wl,-rpath,%t-dir %whence_libs -Wl,--build-id=none -o %t-dir/prog.shifted
// The shifted builds differ from the originals in lines only:
// RUN: %headers_equal %t-dir/orig.so %t-dir/shifted.so
// RUN: %headers_equal %t-dir/prog %t-dir/prog.shifted
// RUN: cp %t-dir/shifted.so %t-dir/libx.new
// RUN: not --crash %noproc %t-dir/prog lib %t-dir/libx.so %t-dir/libx.new 2>&1 | FileCheck %s --check-prefix=LIB
// RUN: cp %t-dir/orig.so %t-dir/libx.so && cp %t-dir/prog.shifted %t-dir/prog.new
// RUN: not --crash %noproc %t-dir/prog exe %t-dir/prog %t-dir/prog.new 2>&1 | FileCheck %s --check-prefix=EXE
// RUN: not --crash %noproc %t-dir/prog-bid lib 2>&1 | FileCheck %s --check-prefix=BIDLIB
// RUN: not --crash %noproc %t-dir/prog-bid exe 2>&1 | FileCheck %s --check-prefix=BIDEXE
// LIB: fault in lib_fault at {{.*}}t.c (line unknown; no build id, and no /proc to tell the file on disk is the loaded image)
// EXE: fault in exe_fault at {{.*}}t.c (line unknown; no build id, and no /proc to tell the file on disk is the loaded image)
// BIDLIB: fault in lib_fault at {{.*}}t.c:[[# @LINE + 7]]
// BIDEXE: fault in exe_fault at {{.*}}t.c:[[# @LINE + 16]]
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
int *volatile exe_null;
__attribute__((noinline)) void exe_fault(void) {
    __asm__ volatile("");
    *exe_null = 1;
}
int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (argc > 3 && rename(argv[3], argv[2]) != 0)
        return 2;
    if (!strcmp(argv[1], "lib"))
        lib_fault();
    else
        exe_fault();
    return 0;
}
#endif
