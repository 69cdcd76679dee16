// whence-link on shared libraries: a program, a DSO it links and a DSO it
// dlopens and dlcloses (../link/multi-dso.c: one stack crosses the images
// both ways), each image processed, or some of them: every frame is named
// as before, also with the records of every processed image zeroed (its
// table alone answers), with GNU ld and lld.
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// DEFINE: %{cc} = %clang -O2 -gline-tables-only %whence_cflags -I%inputs %S/../link/multi-dso.c
// DEFINE: %{zero} = python3 %S/Inputs/elfedit.py
// RUN: rm -rf %t && mkdir -p %t/ref %t/l %t/z %t/half %t/bfd %t/bfdz
// RUN: %{cc} -fPIC -shared -DLINKED %whence_libs -o %t/ref/libwlinked.so
// RUN: %{cc} -fPIC -shared -DPLUG %whence_libs -o %t/ref/libwplug.so
// RUN: %{cc} -DMAIN -fuse-ld=lld -L%t/ref -lwlinked %whence_libs -o %t/ref/main
// RUN: env LD_LIBRARY_PATH=%t/ref %run %t/ref/main %t/ref/libwplug.so > %t/ref.out 2>&1
// RUN: FileCheck %S/../link/multi-dso.c --implicit-check-not=BAD --implicit-check-not=whence: < %t/ref.out
//
// RUN: %whence_link -o %t/l/libwlinked.so %t/ref/libwlinked.so
// RUN: %whence_link -o %t/l/libwplug.so %t/ref/libwplug.so
// RUN: %whence_link -o %t/l/main %t/ref/main
// RUN: env LD_LIBRARY_PATH=%t/l %run %t/l/main %t/l/libwplug.so > %t/l.out 2>&1
// RUN: diff %t/ref.out %t/l.out
// RUN: %{zero} %t/l/libwlinked.so %t/z/libwlinked.so zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %{zero} %t/l/libwplug.so %t/z/libwplug.so zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %{zero} %t/l/main %t/z/main zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: env LD_LIBRARY_PATH=%t/z %run %t/z/main %t/z/libwplug.so > %t/z.out 2>&1
// RUN: diff %t/ref.out %t/z.out
// Only the dlopen'ed plugin processed:
// RUN: cp %t/ref/libwlinked.so %t/ref/main %t/half/ && cp %t/z/libwplug.so %t/half/
// RUN: env LD_LIBRARY_PATH=%t/half %run %t/half/main %t/half/libwplug.so > %t/half.out 2>&1
// RUN: diff %t/ref.out %t/half.out
//
// GNU ld (where there is one for the target):
// RUN: %if ld.bfd %{ %{cc} -fPIC -shared -DLINKED -fuse-ld=bfd %whence_libs -o %t/bfd/libwlinked.so %}
// RUN: %if ld.bfd %{ %{cc} -fPIC -shared -DPLUG -fuse-ld=bfd %whence_libs -o %t/bfd/libwplug.so %}
// RUN: %if ld.bfd %{ %{cc} -DMAIN -fuse-ld=bfd -L%t/bfd -lwlinked %whence_libs -o %t/bfd/main %}
// RUN: %if ld.bfd %{ env LD_LIBRARY_PATH=%t/bfd %run %t/bfd/main %t/bfd/libwplug.so > %t/bfd.out 2>&1 %}
// RUN: %if ld.bfd %{ FileCheck %S/../link/multi-dso.c --implicit-check-not=BAD --implicit-check-not=whence: < %t/bfd.out %}
// RUN: %if ld.bfd %{ %whence_link %t/bfd/libwlinked.so && %whence_link %t/bfd/libwplug.so && %whence_link %t/bfd/main %}
// RUN: %if ld.bfd %{ %{zero} %t/bfd/libwlinked.so %t/bfdz/libwlinked.so zero=whence_fn zero=whence_site arrays=whence_mod %}
// RUN: %if ld.bfd %{ %{zero} %t/bfd/libwplug.so %t/bfdz/libwplug.so zero=whence_fn zero=whence_site arrays=whence_mod %}
// RUN: %if ld.bfd %{ %{zero} %t/bfd/main %t/bfdz/main zero=whence_fn zero=whence_site arrays=whence_mod %}
// RUN: %if ld.bfd %{ env LD_LIBRARY_PATH=%t/bfdz %run %t/bfdz/main %t/bfdz/libwplug.so > %t/bfdz.out 2>&1 %}
// RUN: %if ld.bfd %{ diff %t/bfd.out %t/bfdz.out %}
