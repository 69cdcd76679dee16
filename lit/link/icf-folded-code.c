// Code that gold's identical code folding made of several functions
// (gamma_ and delta: no calls, the same bytes) keeps both records, at one
// address.  Neither names it: the first lookup found one of the two by
// its neighbours (the two were taken for one function's records) and
// answered "delta" for &gamma_, and the crash report named the code by
// whichever symbol the symbol table gave first, as "fault in delta"
// (helper-100).  Now no lookup names it, and the report says what the
// code is, with its place in the file and no line (each function's line
// table covers it).  ld.lld keeps one record (the other goes with the
// folded section): it names the code as the function kept, as
// LINKING.md says.
// REQUIRES: x86_64-linux, ld.gold
// RUN: %clang -O2 -gline-tables-only -ffunction-sections %whence_cflags %s %whence_libs -fuse-ld=gold -Wl,--icf=all -o %t
// RUN: %run %t 2>&1 | FileCheck %s --check-prefix=LOOKUP
// RUN: not --crash %run %t crash 2>&1 | FileCheck %s --check-prefix=CRASH
// A CPU profile names the folded code by its place (the FDE's start), not
// by one of the functions' symbols (it said spin_b for samples of the
// call of spin_a):
// RUN: %if go %{ %run %t profile %t.pb.gz %}
// RUN: %if go %{ %pprof -raw -symbolize=none %t.pb.gz | FileCheck %s --check-prefix=PROF %}
// PROF: Locations
// PROF-NOT: spin_
// PROF: main {{.*}}icf-folded-code.c:[[# @LINE + 82]]
// PROF-NOT: spin_
// PROF: Mappings
// A signal handler that interrupted the folded code: the frame is an
// unknown one, so whence_caller(1) is unknown (it was skipped as foreign
// code, and whence_caller(1) named main, helper-102):
// RUN: %run %t signal x x | FileCheck %s --check-prefix=SIG
// SIG: in folded code: caller(1) unknown, caller(0) handler
// whence-link leaves the file as it is (the table has no entry to mark
// folded code with):
// RUN: rm -f %t.wl && %whence_link %t -o %t.wl 2>&1 | FileCheck %s --check-prefix=WL
// RUN: cmp %t %t.wl
// WL: or were folded into one by the linker (identical code folding){{.*}}: left unchanged
// LOOKUP: folded 1, first func_for_pc(gamma_): NULL
// LOOKUP: after a walk: NULL
// CRASH: fault in code of several functions the linker folded into one, at {{.*}}icf-folded-code.c.tmp+0x{{[0-9a-f]+$}}
// CRASH: stack:
// CRASH-NEXT: ?(...) (code of several functions the linker folded into one)
// CRASH-NEXT: {{.*}}icf-folded-code.c.tmp+0x{{[0-9a-f]+$}}
// CRASH-NEXT: main(...)
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>
#include <whence.h>

__attribute__((noinline)) int gamma_(int *p) { return *p * 7 + 1; }
__attribute__((noinline)) int delta(int *p) { return *p * 7 + 1; }
int (*volatile gg)(int *) = gamma_, (*volatile gd)(int *) = delta;

static const char *name_at(uintptr_t pc) {
    const whence_func *f = whence_func_for_pc(pc);
    return f ? whence_func_name(f) : "NULL";
}

__attribute__((noinline)) unsigned long spin_a(unsigned long n) {
    unsigned long x = 0;
    for (unsigned long i = 0; i < n; i++)
        x = (x ^ i) * 0x9e3779b97f4a7c15ul;
    return x;
}
__attribute__((noinline)) unsigned long spin_b(unsigned long n) {
    unsigned long x = 0;
    for (unsigned long i = 0; i < n; i++)
        x = (x ^ i) * 0x9e3779b97f4a7c15ul;
    return x;
}
unsigned long (*volatile fa)(unsigned long) = spin_a, (*volatile fb)(unsigned long) = spin_b;
volatile unsigned long sink;

static volatile int seen;
static void handler(int sig, siginfo_t *si, void *ucv) {
    (void)sig, (void)si;
    uintptr_t pc = (uintptr_t)((ucontext_t *)ucv)->uc_mcontext.gregs[REG_RIP];
    if (seen || pc - (uintptr_t)fa >= 0x40)
        return;
    seen = 1;
    whence_frame f0, f1;
    bool k0 = whence_caller(0, &f0), k1 = whence_caller(1, &f1);
    printf("in folded code: caller(1) %s, caller(0) %s\n", k1 ? f1.function : "unknown",
           k0 ? f0.function : "unknown");
}

int main(int argc, char **argv) {
    if (argc > 3) {
        struct sigaction sa = {0};
        sa.sa_sigaction = handler;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
        sigaction(SIGPROF, &sa, NULL);
        struct itimerval it = {{0, 1000}, {0, 1000}};
        setitimer(ITIMER_PROF, &it, NULL);
        while (!seen)
            sink = fa(1000000);
        return 0;
    }
    if (argc > 2) {
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        whence_profile_start(fd, 1000);
        sink = fa(100000000);
        sink = fb(100000000);
        whence_profile_stop();
        return close(fd);
    }
    if (argc > 1) {
        whence_install_crash_handler();
        return gg(NULL);
    }
    printf("folded %d, first func_for_pc(gamma_): %s\n", gg == gd, name_at((uintptr_t)gg));
    whence_frame f;
    whence_caller(0, &f);
    printf("after a walk: %s\n", name_at((uintptr_t)gg + 3));
    return 0;
}
