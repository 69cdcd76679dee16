// A plain pc just past a function is a return address (whence_func_for_pc
// names the function) only when the function ends in a call.  Its bytes
// are read backwards, and `lea 0xe8(%rdi),%eax; ret` ends like a call
// rel32 (e8 00 00 00 c3): the padding byte after tiny232 was named tiny232
// (helper-103), as a function without records starting there would have
// been.  A direct call's target must be code too now.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t | FileCheck %s
// CHECK: layout: lea; ret
// CHECK-NEXT: at ret: tiny232
// CHECK-NEXT: past the end: (none)
// CHECK-NEXT: past the noreturn call: ends_in_abort
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>

__attribute__((noinline)) int tiny232(int x) {
    return x + 232;
}

/* A function that does end in a call (noreturn): a pc just past it is
 * its return address. */
__attribute__((noinline, noreturn)) void ends_in_abort(void) {
    abort();
}

static const char *name(uintptr_t pc) {
    const whence_func *f = whence_func_for_pc(pc);
    return f ? whence_func_name(f) : "(none)";
}

int main(int argc, char **argv) {
    static const unsigned char want[] = {0x8d, 0x87, 0xe8, 0x00, 0x00, 0x00, 0xc3};
    const unsigned char *p = (const unsigned char *)&tiny232;
    printf("layout: %s\n", !memcmp(p, want, sizeof want) ? "lea; ret" : "unexpected");
    printf("at ret: %s\n", name((uintptr_t)p + 6));
    printf("past the end: %s\n", name((uintptr_t)p + 7));
    /* ends_in_abort's last instruction is its call: find its end */
    const unsigned char *q = (const unsigned char *)&ends_in_abort;
    int n = 0;
    while (n < 64 && q[n] != 0xe8)
        n++;
    printf("past the noreturn call: %s\n", name((uintptr_t)q + n + 5));
    if (argc > 5)
        ends_in_abort();
    return 0;
}
