// An assembly function without .type and .size (Ruby's coroutine_transfer
// in coroutine/amd64/Context.S) is a symbol with no size: the crash report
// named a fault in it by object and offset only, and a profile's samples in
// it too, which made pprof take the program's whole mapping for unnamed and
// name all of it again itself, without inlined frames ("[prog]" for 100%
// of a profile, helper-137), and so was one with .size but no .type
// (OpenSSL's __bn_postx4x_internal: helper-138). The label nearest below
// the pc names it when nothing lies between them (and the pc is inside it
// if it has a size), as gdb and llvm-symbolizer name it; code after a
// sized function's end stays unnamed, and a function symbol without a
// size names its code over the labels inside it (helper-140: gdb names
// the loop's label).
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/prog
// RUN: not --crash %t/prog crash 2>&1 | FileCheck %s --check-prefix=CRASH
// RUN: not --crash %t/prog pad 2>&1 | FileCheck %s --check-prefix=PAD
// RUN: not --crash %t/prog sized 2>&1 | FileCheck %s --check-prefix=SIZED
// RUN: not --crash %t/prog typed 2>&1 | FileCheck %s --check-prefix=TYPED
// RUN: env WHENCE_CPUPROFILE=%t/p.pb.gz %t/prog spin
// RUN: %if go %{ %pprof -top -nodefraction=0 %t/prog %t/p.pb.gz | FileCheck %s --check-prefix=TOP %}
// CRASH: fault in fault_label (not instrumented) at {{.*}}+0x4
// CRASH: stack:
// CRASH-NEXT: fault_label(...) (not instrumented)
// TYPED: fault in typed_nosize (not instrumented) at {{.*}}+0x1
// SIZED: fault in nt_sized (not instrumented) at {{.*}}+0x1
// PAD: stack:
// PAD-NEXT: ?(...) (not instrumented)
// PAD-NEXT: prog+0x
// TOP: spin_label
// TOP-NOT: [prog]
#include <string.h>
#include <whence.h>

/* fault_label and spin_label: labels only; nt_sized: a size, no type.
 * sized_fn is sized (its ret),
 * and the code after it has no symbol of its own. */
__asm__(".text\n"
        ".globl fault_label\n"
        "fault_label:\n"
        "nop\nnop\nnop\nnop\n"
        "movl $1,0\n"
        "ret\n"
        ".globl spin_label\n"
        "spin_label:\n"
        "movq $400000000,%rcx\n"
        "1: decq %rcx\n"
        "jnz 1b\n"
        "ret\n"
        ".globl typed_nosize\n"
        ".type typed_nosize,@function\n"
        "typed_nosize:\n"
        "nop\n"
        "inner_loop:\n"
        "movl $1,0\n"
        "ret\n"
        ".globl nt_sized\n"
        "nt_sized:\n"
        "nop\n"
        "movl $1,0\n"
        "ret\n"
        ".size nt_sized,.-nt_sized\n"
        ".globl sized_fn\n"
        ".type sized_fn,@function\n"
        "sized_fn:\n"
        "ret\n"
        ".size sized_fn,.-sized_fn\n"
        "movl $1,0\n"
        "ret\n");

void fault_label(void);
void nt_sized(void);
void typed_nosize(void);
void spin_label(void);
void sized_fn(void);

int main(int argc, char **argv) {
    whence_install_crash_handler();
    const char *m = argc > 1 ? argv[1] : "";
    if (!strcmp(m, "crash"))
        fault_label();
    else if (!strcmp(m, "typed"))
        typed_nosize();
    else if (!strcmp(m, "sized"))
        nt_sized();
    else if (!strcmp(m, "pad"))
        ((void (*)(void))((char *)sized_fn + 1))(); /* past its ret */
    else
        spin_label();
    return 0;
}
