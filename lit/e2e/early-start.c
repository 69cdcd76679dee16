// whence called before the program is set up -- from an ifunc resolver (in a
// static program: before its TLS exists and while libc's own ifuncs are
// still unresolved) and from preinit_array -- answers "unknown" cleanly in a
// static program: no crash, no message, nothing written, and the calls that
// need the thread's TLS (a stack written to stderr, the dump of all
// threads, the crash handler's install: they died of SIGSEGV) do nothing
// or return EAGAIN; once main runs,
// the same calls name their frames.  A dynamic program's code runs with
// its TLS set up: the runtime registers it from its note (runtime/note.c)
// and answers exactly there already.
// REQUIRES: x86_64-linux || aarch64-linux
// A static link of a C program with libwhence.a warns of nothing (it
// warned that dlopen in static programs needs glibc's shared libraries,
// naming whence's C++ exception support).
// RUN: %clang -O2 -gline-tables-only -static -DSTATIC %whence_cflags %s %whence_static -lpthread -o %t.static 2>&1 | FileCheck %s --check-prefix=LINK --allow-empty
// LINK-NOT: warning
// RUN: %run %t.static 2>&1 | FileCheck %s
// The resolver's calls go through the GOT (-fno-plt): lld puts the
// IRELATIVE in .rela.dyn, which ld.so applies before .rela.plt, so a PLT
// call from the resolver jumped through an unrelocated slot (a crash
// before whence ran: AArch64's lld link, x86-64 with -fuse-ld=lld).
// RUN: %clang -O2 -gline-tables-only -fno-plt %whence_cflags %s %whence_libs -o %t.dyn
// RUN: %run %t.dyn 2>&1 | FileCheck %s --check-prefix=DYN
// RUN: %clang -O0 -g -static -DSTATIC %whence_cflags %s %whence_static -lpthread -o %t.static0
// RUN: %run %t.static0 2>&1 | FileCheck %s
// CHECK-NOT: whence:
// CHECK: resolver: caller=0 callers=0 func=0
// CHECK-NEXT: resolver, static: all=-11 crash=11 quit=11
// CHECK-NEXT: preinit: caller=0 callers=0 line=0
// CHECK-NEXT: preinit end: (no stack: called before the program's constructors ran{{.*}})
// CHECK-NEXT: main: caller=1 fn=main line=[[#@LINE+50]]
// CHECK-NEXT: get=42
// DYN-NOT: whence:
// DYN: resolver: caller=0 callers=0 func=1
// DYN-NEXT: preinit: caller=1 callers=1 line=[[#@LINE+37]]
// DYN-NEXT: preinit end: complete
// DYN-NEXT: main: caller=1 fn=main line=[[#@LINE+44]]
// DYN-NEXT: get=42
#include <stdint.h>
#include <stdio.h>
#include <whence.h>

static int early_caller = -1, early_callers = -1, early_func = -1;
static int early_all = 1, early_crash = -1, early_quit = -1;
static int pre_caller = -1, pre_callers = -1, pre_line = -1;
static const char *pre_end = "unset";

static int impl(void) { return 42; }

static int (*resolve(void))(void) {
    whence_frame f;
    uintptr_t pcs[8];
    early_caller = whence_caller(0, &f);
    early_callers = whence_callers(0, pcs, 8);
    early_func = whence_func_for_pc((uintptr_t)impl) != NULL;
    whence_write_stack(-1, 0); /* nothing to write to, nothing to crash */
#ifdef STATIC
    whence_write_stack(2, 0);
    early_all = whence_write_all_stacks(2);
    early_crash = whence_install_crash_handler();
    early_quit = whence_install_quit_handler();
#endif
    return impl;
}
int get(void) __attribute__((ifunc("resolve")));

static void preinit(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    whence_frame f;
    uintptr_t pcs[8];
    f.line = 0;
    pre_caller = whence_caller(0, &f);
    pre_line = f.line;
    pre_callers = whence_callers(0, pcs, 8);
    pre_end = whence_callers_end();
}
__attribute__((section(".preinit_array"), used)) static void (*preinit_p)(int, char **, char **) = preinit;

int main(void) {
    whence_frame f;
    int ok = whence_caller(0, &f);
    printf("resolver: caller=%d callers=%d func=%d\n", early_caller, early_callers, early_func);
#ifdef STATIC
    printf("resolver, static: all=%d crash=%d quit=%d\n", early_all, early_crash, early_quit);
#endif
    printf("preinit: caller=%d callers=%d line=%d\n", pre_caller, pre_callers, pre_line);
    printf("preinit end: %s\n", pre_end ? pre_end : "complete");
    printf("main: caller=%d fn=%s line=%d\n", ok, f.function, f.line);
    printf("get=%d\n", get());
    return 0;
}
