// Each image carries its registration as an ELF note (whence_abi.h), which
// the runtime reads through the program's headers to register the program
// before its constructors run (runtime/note.c): a library's initializer
// that calls into the program (here: hook) gets the hook's own frame and
// line.  With every linker, PIE and not, --gc-sections, static, and after
// whence-link.  And an object built for an executable (-fPIE, Debian's
// default) links into a shared object with every linker, alone and from a
// static library (CMake's default for STATIC libraries): the .preinit_array
// entry that did the early registration before made GNU ld refuse it
// (".preinit_array section is not allowed in DSO").
// REQUIRES: x86_64-linux, lld, ld.bfd
// DEFINE: %{cc} = %clang -O2 -gline-tables-only %whence_cflags
// RUN: rm -rf %t && mkdir -p %t
// RUN: %{cc} -fPIC -shared -DLIB %s %whence_libs -o %t/libearly.so
//
// RUN: %{cc} -fuse-ld=bfd %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/bfd
// RUN: %t/bfd | FileCheck %s
// RUN: %{cc} -fuse-ld=bfd -fno-pie -no-pie %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/bfd.nopie
// RUN: %t/bfd.nopie | FileCheck %s
// RUN: %{cc} -fuse-ld=bfd -ffunction-sections -fdata-sections -Wl,--gc-sections %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/bfd.gc
// RUN: %t/bfd.gc | FileCheck %s
// RUN: %{cc} -fuse-ld=lld %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/lld
// RUN: %t/lld | FileCheck %s
// RUN: %{cc} -fuse-ld=lld -ffunction-sections -fdata-sections -Wl,--gc-sections %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/lld.gc
// RUN: %t/lld.gc | FileCheck %s
// RUN: %whence_link -q -o %t/lld.tab %t/lld && %t/lld.tab | FileCheck %s
// RUN: %if ld.gold %{ %{cc} -fuse-ld=gold %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/gold %}
// RUN: %if ld.gold %{ %t/gold | FileCheck %s %}
// RUN: %if mold %{ %{cc} -fuse-ld=mold %s -L%t -learly -Wl,-rpath,%t %whence_libs -o %t/mold %}
// RUN: %if mold %{ %t/mold | FileCheck %s %}
// CHECK: library initializer: hook at line [[#HOOK:]], caller lib_init
// CHECK: main: hook at line [[#HOOK]], caller main
//
// A static program: its initializers run after libwhence.a's constructor.
// RUN: %{cc} -static -DSTATIC %s %whence_static -lpthread -o %t/static
// RUN: %t/static | FileCheck %s --check-prefix=STATIC
// STATIC: constructor: hook at line [[#HOOK:]], caller early_ctor
// STATIC: main: hook at line [[#HOOK]], caller main
//
// -fPIE objects into shared objects.
// RUN: %{cc} -fPIE -DOTHER -c %s -o %t/pie.o
// RUN: llvm-readelf -n %t/pie.o | FileCheck %s --check-prefix=NOTE
// NOTE: whence {{.*}}0x00000008{{.*}}0x57480001
// RUN: %clang -shared -fuse-ld=bfd %t/pie.o -o %t/bfd.so
// RUN: %clang -shared -fuse-ld=lld %t/pie.o -o %t/lld.so
// RUN: %if ld.gold %{ %clang -shared -fuse-ld=gold %t/pie.o -o %t/gold.so %}
// RUN: %if mold %{ %clang -shared -fuse-ld=mold %t/pie.o -o %t/mold.so %}
// RUN: rm -f %t/libpie.a && llvm-ar rcs %t/libpie.a %t/pie.o
// RUN: %clang -shared -fuse-ld=bfd -Wl,--whole-archive %t/libpie.a -Wl,--no-whole-archive -o %t/bfd-ar.so
#if defined(OTHER)
int other(int x) { return x + 1; }
#elif defined(LIB)
void hook(const char *who);
__attribute__((constructor)) static void lib_init(void) {
    hook("library initializer");
}
#else
#include <stdio.h>
#include <string.h>
#include <whence.h>
__attribute__((noinline)) void hook(const char *who) {
    whence_frame f, up;
    int line = __LINE__ + 1;
    if (!whence_caller(0, &f) || strcmp(f.function, "hook") || f.line != line) {
        printf("%s: WRONG: %s at line %d (expected hook at %d)\n", who, f.function, f.line, line);
        return;
    }
    whence_caller(1, &up);
    printf("%s: hook at line %d, caller %s\n", who, f.line, up.function);
}
#ifdef STATIC
__attribute__((constructor)) static void early_ctor(void) {
    hook("constructor");
}
#endif
int main(void) {
    hook("main");
    return 0;
}
#endif
