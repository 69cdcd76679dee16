// A call through a PLT entry whose GOT slot holds an address that is no
// code (a slot overwritten, or a library written over in place while the
// process ran): the fault is at that address, and the caller is known by
// the return address the call pushed.  A call through a bad function
// pointer was taken as such (its operand is the faulting pc), but a direct
// call into a PLT stub was not: the report's stack was empty, with no word
// of why (helper-84).  The call's target is now followed through the stub
// to its slot (runtime/capture.c, from_context).
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fPIC -shared -DEXT %s -o %t/libext.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -L%t -lext -Wl,-rpath,%t %whence_libs -Wl,-z,now -Wl,-z,norelro -o %t/now
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -L%t -lext -Wl,-rpath,%t %whence_libs -Wl,-z,lazy -Wl,-z,norelro -o %t/lazy
// RUN: %clang -O2 -gline-tables-only -fuse-ld=lld %whence_cflags %s -L%t -lext -Wl,-rpath,%t %whence_libs -Wl,-z,now -Wl,-z,norelro -o %t/lld
// RUN: %clang -O2 -gline-tables-only %whence_cflags -DSTUB %s %whence_libs -o %t/stub
// RUN: not --crash %t/now 2>&1 | FileCheck %s
// RUN: not --crash %t/lazy 2>&1 | FileCheck %s
// RUN: not --crash %t/lld 2>&1 | FileCheck %s
// RUN: not --crash %t/stub 2>&1 | FileCheck %s
// CHECK: fatal signal 11 (SIGSEGV) at pc 0x10a6
// CHECK: stack:
// CHECK-NEXT: victim(...)
// CHECK-NEXT: crash-plt-bad-slot.c:[[#@LINE+18]]
// CHECK-NEXT: outer(...)
// CHECK-NEXT: crash-plt-bad-slot.c:[[#@LINE+19]]
// CHECK-NEXT: main(...)
#ifdef EXT
int ext(int x) { return x * 2; }
#else
#include <stdint.h>
#include <whence.h>

#ifdef STUB
/* A stub of the PLT's shape: jmp *slot(%rip). */
__asm__(".text\n.globl ext\n.type ext,@function\next:\n jmp *slot(%rip)\n.size ext,.-ext\n"
        ".data\nslot: .quad 0x10a6\n.text\n");
#endif
int ext(int);

__attribute__((noinline)) int victim(int x) {
    return ext(x) + 1;
}
__attribute__((noinline)) int outer(int x) {
    return victim(x) * 3;
}

/* Points the GOT slot of victim's PLT entry (endbr64; jmp *slot(%rip), or
 * jmp *slot(%rip) alone) at 0x10a6. */
static void break_slot(void) {
    unsigned char *v = (unsigned char *)(uintptr_t)&victim;
    for (int i = 0; i < 64; i++)
        if (v[i] == 0xe8) {
            unsigned char *t = v + i + 5 + *(int32_t *)(v + i + 1);
            if (t[0] == 0xf3)
                t += 4;
            if (t[0] == 0xff && t[1] == 0x25)
                *(uintptr_t *)(t + 6 + *(int32_t *)(t + 2)) = 0x10a6;
            return;
        }
}

int main(int argc, char **argv) {
    (void)argv;
    whence_install_crash_handler();
#ifndef STUB
    break_slot();
#endif
    return outer(argc);
}
#endif
