// In a non-PIE program built from non-PIC code, the program's own pointer to
// a function of a shared library is the program's PLT slot for it (the
// function's canonical address: the library's own &lib_entry gives the same
// value).  It is still "a function pointer to an instrumented function"
// (api.md), so whence_func_for_pc must name lib_entry.  In a PIE program the
// pointer is the real entry (first RUN group, a control).
// Uses the program and library of dso.c.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t-dir && mkdir -p %t-dir/pie %t-dir/nopie
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags -I%inputs %S/dso.c %whence_libs -o %t-dir/pie/libwdso.so
// RUN: %clang -O2 -gline-tables-only -DMAIN %whence_cflags -I%inputs %S/dso.c -L%t-dir/pie -lwdso -Wl,-rpath,%t-dir/pie %whence_libs -o %t-dir/pie/main
// RUN: %run %t-dir/pie/main | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags -I%inputs %S/dso.c %whence_libs -o %t-dir/nopie/libwdso.so
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie -DMAIN %whence_cflags -I%inputs %S/dso.c -L%t-dir/nopie -lwdso -Wl,-rpath,%t-dir/nopie %whence_libs -o %t-dir/nopie/main
// RUN: %run %t-dir/nopie/main | FileCheck %s
// RUN: %if mold %{ mkdir -p %t-dir/mold %}
// RUN: %if mold %{ %clang -O2 -gline-tables-only -fPIC -shared -DLIB -fuse-ld=mold %whence_cflags -I%inputs %S/dso.c %whence_libs -o %t-dir/mold/libwdso.so %}
// RUN: %if mold %{ %clang -O2 -gline-tables-only -fno-pie -no-pie -DMAIN -fuse-ld=mold %whence_cflags -I%inputs %S/dso.c -L%t-dir/mold -lwdso -Wl,-rpath,%t-dir/mold %whence_libs -o %t-dir/mold/main %}
// RUN: %if mold %{ %t-dir/mold/main | FileCheck %s %}
// CHECK: for_pc &lib_entry from main: name=lib_entry{{$}}
