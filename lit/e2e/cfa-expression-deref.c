// Foreign code whose CFA is a DWARF expression that loads a word: a
// hand-written function that realigns its stack keeps its caller's stack
// pointer in its frame and says so with DW_CFA_def_cfa_expression
// (rsp + 40, deref, + 8), as OpenSSL's perlasm functions do. The unwinder
// evaluated arithmetic expressions only: a callback's stack ended at the
// callback, said complete (whence_callers_end NULL), and so did a crash
// report, a dump and a profile through such a frame (helper-138). The load
// is read now, from the frame's own stack only; an expression that loads
// from elsewhere ends the stack with a line that says so.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %t cb | FileCheck %s --check-prefix=CB
// RUN: %t far | FileCheck %s --check-prefix=FAR
// RUN: not --crash %t crash 2>&1 | FileCheck %s --check-prefix=CRASH
// RUN: not --crash %t redzone 2>&1 | FileCheck %s --check-prefix=REDZONE
// CB: ends: NULL
// CB-NEXT: cb(...)
// CB-NEXT: {{.*}}cfa-expression-deref.c:102
// CB-NEXT: inner(...)
// CB-NEXT: {{.*}}cfa-expression-deref.c:109
// CB-NEXT: outer(...)
// CB-NEXT: {{.*}}cfa-expression-deref.c:114
// CB-NEXT: main(...)
// CB-NEXT: {{.*}}cfa-expression-deref.c:124 +0x{{[0-9a-f]+$}}
// CB-NOT: {{.}}
// FAR: ends: (the stack ends here: code outside instrumented code below the frame above has unwind tables whence cannot follow at its pc
// FAR-NEXT: cb(...)
// FAR-NEXT: {{.*}}cfa-expression-deref.c:102
// FAR-NEXT: (the stack ends here: code outside instrumented code below the frame above has unwind tables whence cannot follow {{.*}}){{$}}
// FAR-NOT: {{.}}
// CRASH: fault in realigned_call (not instrumented)
// CRASH: stack:
// CRASH-NEXT: realigned_call(...) (not instrumented)
// CRASH-NEXT: +0x
// CRASH-NEXT: inner(...)
// CRASH-NEXT: {{.*}}cfa-expression-deref.c:109
// CRASH-NEXT: outer(...)
// CRASH-NEXT: {{.*}}cfa-expression-deref.c:114
// CRASH-NEXT: main(...)
// CRASH-NEXT: {{.*}}cfa-expression-deref.c:124
// REDZONE: fault in realigned_redzone (not instrumented)
// REDZONE: stack:
// REDZONE-NEXT: realigned_redzone(...) (not instrumented)
// REDZONE-NEXT: +0x
// REDZONE-NEXT: inner(...)
// REDZONE-NEXT: {{.*}}cfa-expression-deref.c:107
// REDZONE-NEXT: outer(...)
// REDZONE-NEXT: {{.*}}cfa-expression-deref.c:114
// REDZONE-NEXT: main(...)
// REDZONE-NEXT: {{.*}}cfa-expression-deref.c:124
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

/* realigned_call(cb): calls cb with %rbp as a general register on a
 * 64-byte aligned stack, its caller's stack pointer kept at rsp + 40 (cb
 * NULL: a fault there).  realigned_far(cb, where): the same, its caller's
 * stack pointer stored at *where too, a global, which its CFA is loaded
 * from: a load whence does not make. */
#define REALIGNED(name, keep, cfa)                                              \
    ".globl " name "\n.type " name ",@function\n" name ":\n.cfi_startproc\n"    \
    "movq %rsp,%rax\n.cfi_def_cfa_register %rax\n"                              \
    "pushq %rbp\n.cfi_offset %rbp,-16\npushq %rbx\n.cfi_offset %rbx,-24\n"      \
    "subq $64,%rsp\nandq $-64,%rsp\nmovq %rax,40(%rsp)\n" keep cfa              \
    "movq %rdi,%rbp\ntestq %rbp,%rbp\njnz 1f\nmovl $1,0\n1:\n"                  \
    "call *%rbp\nmovq 40(%rsp),%rsi\n.cfi_def_cfa %rsi,8\n"                     \
    "movq -16(%rsi),%rbx\nmovq -8(%rsi),%rbp\nleaq (%rsi),%rsp\n"               \
    ".cfi_def_cfa_register %rsp\nret\n.cfi_endproc\n.size " name ",.-" name "\n"
__asm__(".text\n" REALIGNED("realigned_call", "",
                            /* CFA = *(rsp + 40) + 8 */
                            ".cfi_escape 0x0f,0x05,0x77,0x28,0x06,0x23,0x08\n")
            REALIGNED("realigned_far", "movq %rsi,%rbx\nmovq %rax,(%rbx)\n",
                      /* CFA = *(rbx) + 8 */
                      ".cfi_escape 0x0f,0x05,0x73,0x00,0x06,0x23,0x08\n")
        /* realigned_redzone(): its caller's stack pointer below its own,
         * in the red zone (OpenSSL's sha512 AVX2 loop), then a fault */
        ".globl realigned_redzone\n.type realigned_redzone,@function\n"
        "realigned_redzone:\n.cfi_startproc\n"
        "movq %rsp,%rax\n.cfi_def_cfa_register %rax\n"
        "pushq %rbp\n.cfi_offset %rbp,-16\n"
        "subq $64,%rsp\nandq $-64,%rsp\nmovq %rax,-8(%rsp)\n"
        /* CFA = *(rsp - 8) + 8 */
        ".cfi_escape 0x0f,0x05,0x77,0x78,0x06,0x23,0x08\n"
        "movl $1,0\n"
        "ret\n.cfi_endproc\n.size realigned_redzone,.-realigned_redzone\n");

void realigned_call(void (*cb)(void));
void realigned_far(void (*cb)(void), uintptr_t *where);
void realigned_redzone(void);

static uintptr_t saved_sp;
static bool far, redzone;

static void cb(void) {
    uintptr_t pcs[64];
    whence_callers(0, pcs, 64);
    const char *e = whence_callers_end();
    printf("ends: %s\n", e ? e : "NULL");
    fflush(stdout);
    whence_write_stack(1, 0);
}

__attribute__((noinline)) void inner(void (*f)(void)) {
    if (redzone)
        realigned_redzone();
    else
        far ? realigned_far(f, &saved_sp) : realigned_call(f);
    __asm__ volatile("");
}

__attribute__((noinline)) void outer(void (*f)(void)) {
    inner(f);
    __asm__ volatile("");
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    const char *m = argc > 1 ? argv[1] : "cb";
    if (!strcmp(m, "far"))
        far = true;
    redzone = !strcmp(m, "redzone");
    outer(strcmp(m, "crash") ? cb : NULL);
    return 0;
}
