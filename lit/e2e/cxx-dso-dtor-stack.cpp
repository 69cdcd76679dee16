// A shared object's C++ global destructor, run at exit or at dlclose by
// crtstuff's __do_global_dtors_aux, which has no CFI (crtbeginS.o is built
// without unwind tables) but keeps a frame pointer.  Was a bug: a stack
// asked for (or a crash) in the destructor ended at the destructor: the
// unwinder found no FDE there, and the program's frames (the exit or
// dlclose call) were dropped silently.  Now the frame record answers
// (runtime/unwind/, fp_step).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t-dir && mkdir -p %t-dir
// RUN: %clangxx -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags -I%inputs %s %whence_libs -o %t-dir/libplug.so
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -ldl -o %t-dir/main
// RUN: %run %t-dir/main %t-dir/libplug.so | FileCheck %s --check-prefix=EXIT
// RUN: %run %t-dir/main %t-dir/libplug.so dlclose | FileCheck %s --check-prefix=CLOSE
// EXIT: dtor stack: G::~G via_exit main
// CLOSE: dtor stack: G::~G via_dlclose main
#ifdef LIB
#include "whence_e2e.h"
struct G {
    ~G() {
        uintptr_t pcs[32];
        e2e_names("dtor stack:", pcs, whence_callers(0, pcs, 32));
        fflush(stdout);
    }
};
static G g;
#else
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
__attribute__((noinline)) void via_exit() {
    fflush(stdout);
    exit(0);
}
__attribute__((noinline)) void via_dlclose(void *h) {
    dlclose(h);
    fflush(stdout);
}
int main(int argc, char **argv) {
    void *h = dlopen(argv[1], RTLD_NOW);
    if (!h) {
        puts(dlerror());
        return 1;
    }
    if (argc > 2)
        via_dlclose(h);
    via_exit();
}
#endif
