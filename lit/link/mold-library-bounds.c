// A program without site records (-g: frame slots), or without line
// records, linked by mold against an instrumented shared library that GNU
// ld linked: GNU ld lists the library's hidden __start_whence_site in
// .dynsym, and mold bound the program's weak hidden reference to it and
// refused the link ("undefined symbol: __start_whence_site").  Every
// module now defines each bound in its own image (an empty section of each
// kind of record it lacks).  The answers stay exact in the program, in an
// object with sites linked beside it, and in the library, with every
// linker, with and without --gc-sections.
// REQUIRES: x86_64-linux, mold, ld.bfd, lld
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %s -fuse-ld=bfd %whence_libs -o %t/liblib.so
// RUN: %clang -O2 -gline-tables-only -c -DOTHER %whence_cflags %s -o %t/other.o
// RUN: %clang -O2 -g -c -DMAIN %whence_cflags %s -o %t/main.o
// RUN: llvm-readelf -SW %t/main.o | FileCheck --check-prefix=OBJ %s
// OBJ-DAG: whence_site {{.*}} 000000 00 AL
// OBJ-DAG: whence_line {{.*}} 000000 00 WAL
// RUN: %clang %t/main.o %t/other.o -fuse-ld=mold -L%t -llib -Wl,-rpath,%t %whence_libs -o %t/mold
// RUN: %t/mold | FileCheck %s
// RUN: %clang %t/main.o %t/other.o -fuse-ld=mold -Wl,--gc-sections -L%t -llib -Wl,-rpath,%t %whence_libs -o %t/mold.gc
// RUN: %t/mold.gc | FileCheck %s
// RUN: %clang %t/main.o %t/other.o -fuse-ld=bfd -Wl,--gc-sections -L%t -llib -Wl,-rpath,%t %whence_libs -o %t/bfd.gc
// RUN: %t/bfd.gc | FileCheck %s
// RUN: %clang %t/main.o %t/other.o -fuse-ld=lld -L%t -llib -Wl,-rpath,%t %whence_libs -o %t/lld
// RUN: %t/lld | FileCheck %s
#include <stdio.h>
#include <string.h>
#include <whence.h>

static void show(const char *who) {
  whence_frame f;
  if (whence_caller(2, &f))
    printf("%s: %s:%d %s\n", who, strrchr(f.file, '/') ? strrchr(f.file, '/') + 1 : f.file, f.line,
           f.function);
  else
    printf("%s: none\n", who);
}

#if defined LIB
__attribute__((noinline)) void lib_show(void) { show("lib"); }
void lib_f(void) {
  lib_show(); // CHECK-DAG: lib: mold-library-bounds.c:[[@LINE]] lib_f
  __asm__ volatile("");
}
#elif defined OTHER
__attribute__((noinline)) void other_show(void) { show("other"); }
void other_f(void) {
  other_show(); // CHECK-DAG: other: mold-library-bounds.c:[[@LINE]] other_f
  __asm__ volatile("");
}
#else
void lib_f(void);
void other_f(void);
__attribute__((noinline)) void main_show(void) { show("main"); }
int main(void) {
  main_show(); // CHECK-DAG: main: mold-library-bounds.c:[[@LINE]] main
  other_f();
  lib_f();
  return 0;
}
#endif
