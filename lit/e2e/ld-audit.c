// A program linked with libwhence.so run under an LD_AUDIT module that
// asks for la_pltenter and la_pltexit (latrace does): every PLT call then
// goes through the loader's _dl_runtime_profile, and a dlsym(RTLD_NEXT)
// called so is taken for the loader's, which glibc cannot serve: every
// program linked with libwhence.so died at start-up, in libwhence's
// constructor (helper-84).  libwhence calls dlsym through a pointer
// (internal.h, wh_dlsym_next).  (Left open: there, whence_caller and
// whence_callers called through the PLT are called by the loader's
// trampoline, which they take for their caller: "unknown", no frames.)
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fPIC -shared -DAUDIT %s -o %t/libaudit.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/prog
// RUN: env LD_AUDIT=%t/libaudit.so %t/prog 2>&1 | FileCheck %s
// CHECK: audit: pltenter
// CHECK: done
#ifdef AUDIT
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <unistd.h>
unsigned int la_version(unsigned int v) { return v ? LAV_CURRENT : 0; }
unsigned int la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie) {
    return LA_FLG_BINDTO | LA_FLG_BINDFROM;
}
Elf64_Addr la_x86_64_gnu_pltenter(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook,
                                  uintptr_t *defcook, La_x86_64_regs *regs, unsigned int *flags,
                                  const char *symname, long *framesizep) {
    static int once;
    if (!once++)
        write(2, "audit: pltenter\n", 16);
    *framesizep = 64; /* (and la_pltexit: through _dl_runtime_profile) */
    return sym->st_value;
}
unsigned int la_x86_64_gnu_pltexit(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook,
                                   uintptr_t *defcook, const La_x86_64_regs *inregs,
                                   La_x86_64_retval *outregs, const char *symname) {
    return 0;
}
#else
#include <stdint.h>
#include <stdio.h>
#include <whence.h>
__attribute__((noinline)) static void report(void) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        printf("frame: %s at line %d\n", f.function, f.line);
    printf("caller(0): %s\n", whence_caller(0, &f) ? f.function : "unknown");
}
int main(void) {
    report();
    printf("done\n");
    return 0;
}
#endif
