// A -static-pie program linked by GNU ld has no PT_PHDR and is relocated
// at startup: whence took a program without PT_PHDR for a static one at
// its link-time addresses and read its note there (SIGSEGV in the
// constructor of every library with whence that such a program loaded,
// and before main in one that linked libwhence.a: helper-125).  The bias
// is the loader's now.  A host without whence loading instrumented
// libraries (with libwhence.so, with libwhence.a), and a program with no
// instrumented code that links libwhence.a.
// REQUIRES: x86_64-linux, ld.bfd
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fuse-ld=bfd -static-pie -DHOST %s -o %t/host 2> /dev/null
// RUN: %clang -O2 -gline-tables-only -fPIC -shared %whence_cflags -DPLUG %s %whence_libs -o %t/plug-so.so
// RUN: %clang -O2 -gline-tables-only -fPIC -shared %whence_cflags -DPLUG %s %whence_static -o %t/plug-a.so
// RUN: %t/host %t/plug-so.so | FileCheck %s
// RUN: %t/host %t/plug-a.so | FileCheck %s
// RUN: %clang -O2 -fuse-ld=bfd -static-pie -I%whence_incdir -DNOINST %s %whence_static -lpthread -ldl -o %t/noinst 2> /dev/null
// RUN: %t/noinst 2>&1 | FileCheck %s --check-prefix=NOINST
// CHECK: plug: plug_inner plug_entry end=complete
// NOINST: install=0
// NOINST: no code built with the whence plugin is loaded
#if defined(HOST)
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
    void *h = dlopen(argv[1], RTLD_NOW);
    if (!h) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    void (*entry)(void) = (void (*)(void))dlsym(h, "plug_entry");
    entry();
    return 0;
}
#elif defined(PLUG)
#include <stdio.h>
#include <whence.h>
__attribute__((noinline)) static void plug_inner(void) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    const char *end = whence_callers_end();
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    printf("plug:");
    while (whence_frames_next(&it, &f))
        printf(" %s", f.function);
    printf(" end=%s\n", end ? end : "complete");
    fflush(stdout);
}
__attribute__((noinline)) void plug_entry(void) {
    plug_inner();
    __asm__ volatile("");
}
#else
#include <stdio.h>
#include <whence.h>
int main(void) {
    printf("install=%d\n", whence_install_crash_handler());
    fflush(stdout);
    whence_write_stack(1, 0);
    return 0;
}
#endif
