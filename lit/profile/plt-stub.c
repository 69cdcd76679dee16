// A CPU profile's samples in a PLT entry are named "name@plt", as perf and
// objdump name them.  They were named by the offset of the .plt section's
// unwind entry ("x+0x1020", every stub alike), a name that kept the
// program's mapping from pprof's has_functions flag: pprof symbolized the
// whole program again ("[x] 27%", main gone, in any long profile of an
// ordinary program).  The stub names come from the relocation of the GOT
// slot each entry jumps through (runtime/plt.c): checked directly on a
// canonical PLT entry (a non-PIE program's address of a library function)
// with GNU ld, lld and mold, lazy and -z now, with IBT's .plt.sec, and in
// a profile.
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fPIC -shared -DLIB %s -o %t/libtiny.so
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie -fuse-ld=lld %whence_cflags %s %whence_static -L%t -ltiny -Wl,-rpath,%t -lpthread -ldl -o %t/lld
// RUN: %run %t/lld names | FileCheck %s --check-prefixes=NAMES,HDR
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie -fuse-ld=lld -Wl,-z,now %whence_cflags %s %whence_static -L%t -ltiny -Wl,-rpath,%t -lpthread -ldl -o %t/lld-now
// RUN: %run %t/lld-now names | FileCheck %s --check-prefix=NAMES
// RUN: %if x86_64-linux %{ %clang -O2 -gline-tables-only -fno-pie -no-pie -fuse-ld=bfd %whence_cflags %s %whence_static -L%t -ltiny -Wl,-rpath,%t -lpthread -ldl -o %t/bfd %}
// RUN: %if x86_64-linux %{ %t/bfd names | FileCheck %s --check-prefixes=NAMES,HDR %}
// RUN: %if x86_64-linux %{ %clang -O2 -gline-tables-only -fno-pie -no-pie -fuse-ld=bfd -fcf-protection=full -Wl,-z,ibtplt %whence_cflags %s %whence_static -L%t -ltiny -Wl,-rpath,%t -lpthread -ldl -o %t/ibt %}
// RUN: %if x86_64-linux %{ %t/ibt names | FileCheck %s --check-prefix=NAMES %}
// RUN: %if mold %{ %clang -O2 -gline-tables-only -fno-pie -no-pie -fuse-ld=mold %whence_cflags %s %whence_static -L%t -ltiny -Wl,-rpath,%t -lpthread -ldl -o %t/mold %}
// RUN: %if mold %{ %run %t/mold names | FileCheck %s --check-prefix=NAMES %}
// NAMES: tiny: tiny@plt
// NAMES-NEXT: other: other@plt
// NAMES-NEXT: code: none
// NAMES-NEXT: hot: hot
// HDR-NEXT: header: .plt
// The profile: a sample in the stub, made certain by single-stepping into
// it (the trap flag, x86-64) and queueing SIGPROF as the setitimer timer
// sends it (SI_KERNEL), blocked until the trap handler returns: it then
// interrupts the stub itself.
// RUN: %if x86_64-linux %{ %clang -O2 -gline-tables-only -fno-pie -no-pie -fuse-ld=lld %whence_cflags %s %whence_libs -L%t -ltiny -Wl,-rpath,%t -o %t/prof %}
// RUN: %if x86_64-linux %{ env WHENCE_CPUPROFILE=%t/p.pb.gz WHENCE_CPUPROFILE_TIMER=itimer %t/prof profile | FileCheck %s --check-prefix=RAN %}
// RUN: %if x86_64-linux %{ %pprof -top -nodefraction=0 %t/p.pb.gz 2>&1 | FileCheck %s %}
// RUN: %if x86_64-linux %{ %pprof -raw -symbolize=none %t/p.pb.gz 2>&1 | FileCheck %s --check-prefix=RAW %}
// RAN: samples injected in the stub: 1
// CHECK-NOT: [prof]
// CHECK-DAG: {{ }}tiny@plt{{$}}
// CHECK-DAG: {{ }}hot{{$}}
// CHECK-DAG: {{ }}main{{$}}
// RAW: Mappings
// RAW: prof{{.*}}[FN]
#ifdef LIB
int tiny(int x) { return x + 1; }
int other(int x) { return x * 3; }
#else
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <whence.h>

int tiny(int x);
int other(int x);
/* (libwhence.a's; weak: the profile links libwhence.so, which hides it) */
_Bool wh_plt_name(uintptr_t pc, char *out, size_t cap) __attribute__((weak));

static volatile int sink;

static int64_t cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

#if defined(__x86_64__)
static volatile int injected, steps;

static void trap(int sig, siginfo_t *si, void *ucv) {
    (void)sig, (void)si;
    ucontext_t *uc = ucv;
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP], stub = (uintptr_t)(void *)tiny;
    if (pc >= stub && pc < stub + 16 && !injected) {
        siginfo_t q;
        memset(&q, 0, sizeof q);
        q.si_signo = SIGPROF;
        q.si_code = SI_KERNEL;
        syscall(SYS_rt_tgsigqueueinfo, getpid(), (pid_t)syscall(SYS_gettid), SIGPROF, &q);
        injected = 1;
    }
    if (!injected && ++steps < 64)
        uc->uc_mcontext.gregs[REG_EFL] |= 0x100;
    else
        uc->uc_mcontext.gregs[REG_EFL] &= ~0x100L;
}

/* One call of tiny stepped into its PLT entry. */
__attribute__((noinline)) static void step_into_stub(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = trap;
    sa.sa_flags = SA_SIGINFO;
    sigaddset(&sa.sa_mask, SIGPROF); /* (pending until the stub runs again) */
    sigaction(SIGTRAP, &sa, NULL);
    __asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq" ::: "memory", "cc");
    sink = tiny(sink);
    printf("samples injected in the stub: %d\n", injected);
}
#endif

__attribute__((noinline)) static void hot(void) {
    int64_t until = cpu_ns() + 300000000; /* 0.3 s of CPU */
    while (cpu_ns() < until)
        for (int i = 0; i < 100000; i++)
            sink = tiny(sink);
#if defined(__x86_64__)
    step_into_stub();
#endif
}

static void name(const char *what, void *pc) {
    char buf[64];
    printf("%s: %s\n", what, wh_plt_name((uintptr_t)pc, buf, sizeof buf) ? buf : "none");
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "names")) {
        /* a non-PIE program's address of a library's function is its
         * canonical PLT entry; the stub's last byte names it too */
        name("tiny", (void *)tiny);
        name("other", (char *)(void *)other + 15);
        name("code", (void *)hot);
        /* (a whence API call: the static link takes plt.c's object) */
        printf("hot: %s\n", whence_func_name(whence_func_for_pc((uintptr_t)hot)));
        /* The PLT's header (lazy binding's PLT0), before the entries: no
         * relocation names it, and a sample there left the program's
         * mapping without has_functions (helper-122). */
        char buf[64];
        const char *hdr = "none";
        for (uintptr_t a = ((uintptr_t)(void *)tiny & ~(uintptr_t)15) - 16,
                       lo = (uintptr_t)(void *)tiny - 65536; a > lo; a -= 16)
            if (wh_plt_name(a, buf, sizeof buf) && !strcmp(buf, ".plt")) {
                hdr = buf;
                break;
            }
        printf("header: %s\n", hdr);
        return 0;
    }
    hot();
    printf("%d\n", sink);
    return 0;
}
#endif
