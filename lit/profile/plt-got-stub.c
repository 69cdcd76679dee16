// GNU ld's .plt.got: the stub of a library function whose address the
// program also takes through the GOT (a GLOB_DAT slot, bound at start) is
// `jmp *slot(%rip); xchg %ax,%ax` (8 bytes; with IBT, 16 after endbr64).
// A profile's sample there was named by an offset, which kept the
// program's mapping from pprof's has_functions flag: pprof symbolized the
// whole program again (Redis's malloc; Go 1.19's pprof then flattened
// inline frames of -g code wrongly: helper-109).  It is named "tiny@plt",
// as objdump names it, by the slot's relocation; every byte of the stub.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fPIC -shared -DLIB %s -o %t/libtiny.so
// RUN: %clang -O2 -gline-tables-only -fuse-ld=bfd %whence_cflags %s %whence_static -L%t -ltiny -Wl,-rpath,%t -lpthread -ldl -o %t/pie
// RUN: %run %t/pie | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fuse-ld=bfd -fcf-protection=full -Wl,-z,ibtplt %whence_cflags %s %whence_static -L%t -ltiny -Wl,-rpath,%t -lpthread -ldl -o %t/ibt
// RUN: %run %t/ibt | FileCheck %s
// CHECK: stub: tiny@plt tiny@plt
#ifdef LIB
int tiny(int x) { return x + 1; }
#else
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

int tiny(int x);
/* (libwhence.a's) */
_Bool wh_plt_name(uintptr_t pc, char *out, size_t cap) __attribute__((weak));

int (*volatile taken)(int);

__attribute__((noinline)) int call_tiny(int x) {
    return tiny(x) + 1;
}

int main(void) {
    taken = tiny; /* (its address through the GOT: .plt.got for the calls) */
    (void)whence_func_for_pc((uintptr_t)main); /* (the static link takes plt.c) */
    /* the stub: call_tiny's call's target */
    const unsigned char *p = (const unsigned char *)(void *)call_tiny;
    for (int i = 0; i < 64; i++)
        if (p[i] == 0xe8) {
            int32_t d;
            memcpy(&d, p + i + 1, 4);
            uintptr_t t = (uintptr_t)(p + i + 5) + (intptr_t)d;
            char a[64], b[64];
            printf("stub: %s %s\n", wh_plt_name(t, a, sizeof a) ? a : "none",
                   wh_plt_name(t + 7, b, sizeof b) ? b : "none");
            break;
        }
    return call_tiny(1) != taken(1) + 1;
}
#endif
