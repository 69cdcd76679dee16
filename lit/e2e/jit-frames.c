// Code a JIT compiled lies outside every loaded object: no records, no
// unwind tables whence can find (a JIT registers its own with libgcc).
// The stack through such a frame ends there and says why, in
// whence_callers_end, whence_write_stack and the crash report; before,
// the answer ended without a word, and a fault in the JIT's code printed
// an empty stack.  The "JIT code" is a few instructions copied into an
// anonymous executable mapping: a frame record, a call of its argument,
// or a store to address 16 (the fault).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/o2
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t/o0g
// RUN: %run %t/o2 2>&1 | FileCheck %s --check-prefix=CALLERS
// RUN: %run %t/o0g 2>&1 | FileCheck %s --check-prefix=CALLERS
// RUN: not --crash %run %t/o2 cb 2>&1 | FileCheck %s --check-prefix=CB
// RUN: not --crash %run %t/o0g cb 2>&1 | FileCheck %s --check-prefix=CB
// RUN: not --crash %run %t/o2 jit 2>&1 | FileCheck %s --check-prefix=JIT
// RUN: not --crash %run %t/o0g jit 2>&1 | FileCheck %s --check-prefix=JIT
// CALLERS: named: none
// CALLERS-NEXT: callback jit-frames.c:[[#@LINE+52]]
// CALLERS-NEXT: end: (the stack ends here: the next frame's pc lies outside every loaded object, where no records or unwind tables say where its caller is: code a JIT compiled, or a jump to a bad address)
// CALLERS-NEXT: caller(1): none
// CALLERS-NEXT: callback(...)
// CALLERS-NEXT: jit-frames.c:[[#@LINE+60]]
// CALLERS-NEXT: (the stack ends here: the next frame's pc lies outside every loaded object, where no records or unwind tables say where its caller is: code a JIT compiled, or a jump to a bad address)
// CALLERS-NEXT: after: main jit-frames.c:[[#@LINE+73]]
// CB: fault in callback at {{.*}}jit-frames.c:[[#@LINE+44]]
// CB: stack:
// CB-NEXT: callback(...)
// CB-NEXT: jit-frames.c:[[#@LINE+41]]
// CB-NEXT: (the stack ends here: the next frame's pc lies outside every loaded object, where no records or unwind tables say where its caller is: code a JIT compiled, or a jump to a bad address)
// JIT: fault outside instrumented code
// JIT: stack:
// JIT-NEXT: (the stack ends here: the next frame's pc lies outside every loaded object, where no records or unwind tables say where its caller is: code a JIT compiled, or a jump to a bad address)
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <whence.h>

#if defined(__x86_64__)
/* push %rbp; mov %rsp,%rbp; call *%rdi; pop %rbp; ret */
static const unsigned char calls[] = {0x55, 0x48, 0x89, 0xe5, 0xff, 0xd7, 0x5d, 0xc3};
/* push %rbp; mov %rsp,%rbp; movl $0,0x10; pop %rbp; ret */
static const unsigned char faults[] = {0x55, 0x48, 0x89, 0xe5, 0xc7, 0x04, 0x25, 0x10, 0x00,
                                       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5d, 0xc3};
#else
/* stp x29,x30,[sp,#-16]!; mov x29,sp; blr x0; ldp x29,x30,[sp],#16; ret */
static const uint32_t calls[] = {0xa9bf7bfd, 0x910003fd, 0xd63f0000, 0xa8c17bfd, 0xd65f03c0};
/* stp x29,x30,[sp,#-16]!; mov x29,sp; mov x1,#16; str wzr,[x1]; ldp; ret */
static const uint32_t faults[] = {0xa9bf7bfd, 0x910003fd, 0xd2800201, 0xb900003f,
                                  0xa8c17bfd, 0xd65f03c0};
#endif

static int crash;

static void (*jit(const void *code, size_t n))(void (*)(void)) {
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    memcpy(p, code, n);
    __builtin___clear_cache((char *)p, (char *)p + n);
    if (mprotect(p, 4096, PROT_READ | PROT_EXEC) != 0)
        return NULL;
    return (void (*)(void (*)(void)))p;
}

__attribute__((noinline)) static void callback(void) {
    uintptr_t pcs[16];
    if (crash)
        *(volatile int *)16 = 1; /* the fault's line */
    int n = whence_callers(0, pcs, 16); /* frame 0's line */
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        const char *b = strrchr(f.file, '/');
        printf("%s %s:%d\n", f.function, b ? b + 1 : f.file, f.line);
    }
    const char *e = whence_callers_end();
    printf("end: %s\n", e ? e : "(none)");
    printf("caller(1): %s\n", whence_caller(1, &f) ? f.function : "none");
    fflush(stdout);
    whence_write_stack(1, 0);
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    int mode = argc > 1 ? (!strcmp(argv[1], "cb") ? 1 : 2) : 0;
    crash = mode == 1;
    void (*code)(void (*)(void)) = mode == 2 ? jit(faults, sizeof faults) : jit(calls, sizeof calls);
    if (!code)
        return 2;
    const whence_func *fn = whence_func_for_pc((uintptr_t)code);
    printf("named: %s\n", fn ? whence_func_name(fn) : "none");
    code(callback);
    whence_frame f;
    /* the stack of main itself is whole again */
    if (whence_caller(0, &f))
        printf("after: %s %s:%d\n", f.function, strrchr(f.file, '/') + 1, f.line);
    return 0;
}
