// A stack taken in an initializer ends where the stack does, complete.  The
// constructors of the libraries loaded at start run from the dynamic
// loader's start code (_dl_start_user calls _dl_init, which calls each
// initializer), which glibc writes in assembly without unwind tables: the
// walk stopped there and ended the stack with a false "(the stack ends here:
// code outside instrumented code ... build it with
// -fasynchronous-unwind-tables)", and whence_callers_end said so too.  That
// start code is the stack's bottom, as _start is main's.  Also: the
// program's own constructor (run by the C library's start code), its
// .preinit_array function (run by _dl_init before any image registered:
// the program is registered by its note, runtime/note.c), a dlopen'ed library's constructor (through the loader's and the
// C library's frames to the instrumented caller of dlopen), the loader run
// as a command (ld.so ./prog: the loader is then no interpreter the
// kernel loaded, and is found as the one the program names), and a crash report from a constructor at
// start, which leaves the loader's start code out as it leaves main's.
// -gline-tables-only and -g, PIE and non-PIE.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB -DNAME='"start"' %whence_cflags -I%inputs %s %whence_libs -o %t.d/libistart.so
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB -DNAME='"plug"' %whence_cflags -I%inputs %s %whence_libs -o %t.d/libiplug.so
// RUN: %clang -O2 -gline-tables-only -DMAIN %whence_cflags -I%inputs %s -L%t.d -listart -Wl,-rpath,%t.d %whence_libs -o %t.d/pie
// RUN: %run %t.d/pie %t.d/libiplug.so | FileCheck %s
// RUN: %if x86_64-linux %{ env WHENCE_T_LOADER=1 %t.d/pie %t.d/libiplug.so | FileCheck %s %}
// RUN: env WHENCE_T_CRASH=1 not --crash %run %t.d/pie 2> %t.d/pie.r && FileCheck %s --check-prefix=CRASH < %t.d/pie.r
// RUN: %clang -O0 -g -fPIC -shared -DLIB -DNAME='"start"' %whence_cflags -I%inputs %s %whence_libs -o %t.d/libistart.so
// RUN: %clang -O0 -g -fPIC -shared -DLIB -DNAME='"plug"' %whence_cflags -I%inputs %s %whence_libs -o %t.d/libiplug.so
// RUN: %clang -O2 -g -fno-pie -no-pie -DMAIN %whence_cflags -I%inputs %s -L%t.d -listart -Wl,-rpath,%t.d %whence_libs -o %t.d/nopie
// RUN: %run %t.d/nopie %t.d/libiplug.so | FileCheck %s
// RUN: %if x86_64-linux %{ env WHENCE_T_LOADER=1 %t.d/nopie %t.d/libiplug.so | FileCheck %s %}
// RUN: env WHENCE_T_CRASH=1 not --crash %run %t.d/nopie 2> %t.d/nopie.r && FileCheck %s --check-prefix=CRASH < %t.d/nopie.r
//
// CHECK-NOT: stack ends here
// CHECK:      preinit: line=[[#PRE:]] n=1 end=none
// CHECK-NEXT: preinit(...)
// CHECK-NEXT: {{^	.*}}init-stack-end.c:[[#PRE]]{{$| }}
// CHECK-NEXT: start: line=[[#LIBINIT:]] n=1 end=none
// CHECK-NEXT: lib_init(...)
// CHECK-NEXT: {{^	.*}}init-stack-end.c:[[#LIBINIT]]{{$| }}
// CHECK-NEXT: prog_init: line=[[#PROGINIT:]] n=1 end=none
// CHECK-NEXT: prog_init(...)
// CHECK-NEXT: {{^	.*}}init-stack-end.c:[[#PROGINIT]]{{$| }}
// CHECK-NEXT: main: line=[[#MAINREP:]] n=1 end=none
// CHECK-NEXT: main(...)
// CHECK-NEXT: {{^	.*}}init-stack-end.c:[[#MAINREP]]{{$| }}
// CHECK-NEXT: load: line=[[#MAINLOAD:]]
// CHECK-NEXT: dlopen: line=[[#LOAD:]]
// CHECK-NEXT: plug: line=[[#LIBINIT]] n=3 end=none
// CHECK-NEXT: lib_init(...)
// CHECK-NEXT: {{^	.*}}init-stack-end.c:[[#LIBINIT]]{{$| }}
// CHECK-NEXT: load(...)
// CHECK-NEXT: {{^	.*}}init-stack-end.c:[[#LOAD]]{{$| }}
// CHECK-NEXT: main(...)
// CHECK-NEXT: {{^	.*}}init-stack-end.c:[[#MAINLOAD]]{{$| }}
// CHECK-NEXT: loaded
// CHECK-NOT: stack ends here
//
// CRASH:      fault in lib_init at {{.*}}init-stack-end.c:[[#FAULT:]]
// CRASH:      stack:
// CRASH-NEXT: lib_init(...)
// CRASH-NEXT: init-stack-end.c:[[#FAULT]] +0x{{[0-9a-f]+$}}
// CRASH-NOT:  (...)
// CRASH-NOT:  stack ends here
#define _GNU_SOURCE
#include "whence_e2e.h"

#include <stdlib.h>

/* Each stack as the program sees it (whence_callers, whence_callers_end)
 * and as whence_write_stack prints it; a macro, so that it adds no frame.
 * Nothing in a process that runs the program again through the loader
 * (WHENCE_T_LOADER). */
#define REPORT(who)                                                                  \
    if (!getenv("WHENCE_T_LOADER"))                                                  \
    do {                                                                             \
        uintptr_t pcs_[64];                                                          \
        int n_ = whence_callers(0, pcs_, 64);                                        \
        const char *e_ = whence_callers_end();                                       \
        printf("%s: line=%d n=%d end=%s\n", who, __LINE__, n_, e_ ? e_ : "none");     \
        fflush(stdout);                                                              \
        whence_write_stack(1, 0);                                                    \
    } while (0)

#ifdef LIB
static int *volatile nullp;

__attribute__((constructor)) static void lib_init(void) {
    if (getenv("WHENCE_T_CRASH")) {
        whence_install_crash_handler();
        *nullp = 1;
    }
    REPORT(NAME);
}
#endif

#ifdef MAIN
#include <dlfcn.h>
#include <link.h>
#include <unistd.h>

/* (getenv does not work yet here: the environment is envp) */
static void preinit(int argc, char **argv, char **envp) {
    (void)argc, (void)argv;
    for (char **e = envp; *e; e++)
        if (strncmp(*e, "WHENCE_T_LOADER=", 16) == 0)
            return;
    REPORT("preinit");
}
__attribute__((section(".preinit_array"), used)) static void (*preinit_p)(int, char **,
                                                                          char **) = preinit;

__attribute__((constructor)) static void prog_init(void) { REPORT("prog_init"); }

NOINLINE static void *load(const char *path) {
    void *h;
    printf("dlopen: line=%d\n", __LINE__), h = dlopen(path, RTLD_NOW);
    __asm__ volatile("" ::: "memory"); /* (no tail call) */
    return h;
}

/* The program's PT_INTERP: the loader it asks for. */
static int interp_of(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_INTERP)
            *(const char **)arg = (const char *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    return 1; /* the first object is the program */
}

int main(int argc, char **argv) {
    if (argc == 2 && getenv("WHENCE_T_LOADER")) {
        const char *ldso = NULL;
        dl_iterate_phdr(interp_of, &ldso);
        if (!ldso || unsetenv("WHENCE_T_LOADER") != 0)
            return 2;
        char *args[] = {(char *)ldso, argv[0], argv[1], NULL};
        execv(ldso, args);
        perror("execv");
        return 2;
    }
    REPORT("main");
    if (argc < 2)
        return 0;
    if (printf("load: line=%d\n", __LINE__), !load(argv[1])) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    printf("loaded\n");
    return 0;
}
#endif
