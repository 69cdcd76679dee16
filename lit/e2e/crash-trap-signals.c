// The other signals whose default action dumps core get a report too, where
// the program left them that action: a breakpoint instruction (SIGTRAP), a
// system call a seccomp filter refused (SIGSYS), the CPU-time and file-size
// limits (SIGXCPU, SIGXFSZ).  Was: no report, the process just died.  The
// process still dies of the same signal (status 128 + N).  A trap is taken
// after its instruction: the report names the instruction that trapped, so
// a function that ends with one is not read as the next function.  A
// program's own handler of such a signal keeps it alone.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: sh -c '%t trap; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=TRAP
// RUN: %clang -Os -gline-tables-only %whence_cflags %s %whence_libs -o %t-packed
// RUN: sh -c '%t-packed trap-end; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=END
// RUN: sh -c '%t seccomp; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=SYS
// RUN: sh -c '%t xcpu; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=XCPU
// RUN: sh -c '%t xfsz %t.big; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=XFSZ
// RUN: %t own-handler 2>&1 | FileCheck %s --check-prefix=OWN
// TRAP: fatal signal 5 (SIGTRAP) at pc
// TRAP-NEXT: fault in trap_mid at {{.*}}crash-trap-signals.c:[[# @LINE + 44]]
// TRAP: stack:
// TRAP-NEXT: trap_mid(...)
// TRAP-NEXT: {{.*}}crash-trap-signals.c:[[# @LINE + 41]]
// TRAP-NEXT: main(...)
// TRAP: status 133
// END: fatal signal 5 (SIGTRAP) at pc
// END-NEXT: fault in trap_end at {{.*}}crash-trap-signals.c:[[# @LINE + 44]]
// END: stack:
// END-NEXT: trap_end(...)
// END: status 133
// SYS: getppid is system call [[NR:[0-9]+]]
// SYS: fatal signal 31 (SIGSYS) at pc {{.*}} (system call [[NR]] refused by a seccomp filter)
// SYS: stack:
// SYS: ask_parent(...)
// SYS-NEXT: {{.*}}crash-trap-signals.c:[[# @LINE + 43]]
// SYS: status 159
// XCPU: fatal signal 24 (SIGXCPU) at pc {{.*}} (CPU time limit exceeded)
// XCPU: spin(...)
// XCPU: status 152
// XFSZ: fatal signal 25 (SIGXFSZ) at pc {{.*}} (file size limit exceeded)
// XFSZ: grow(...)
// XFSZ-NEXT: {{.*}}crash-trap-signals.c:[[# @LINE + 49]]
// XFSZ: status 153
// OWN: own handler saw signal 5
// OWN-NEXT: went on
// OWN-NOT: fatal signal
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <whence.h>

volatile int sink;

__attribute__((noinline)) void trap_mid(int x) {
    sink = x;
    __builtin_debugtrap();
    sink = x + 1;
}

/* Ends with the trap: the pc after it is the next function's entry. */
__attribute__((noinline, noreturn)) void trap_end(int x) {
    sink = x;
    __builtin_debugtrap();
    __builtin_unreachable();
}

__attribute__((noinline)) void after_trap_end(void) { sink = 0; }

__attribute__((noinline)) long ask_parent(void) {
    long r = syscall(SYS_getppid);
    sink = (int)r;
    return r;
}

__attribute__((noinline)) void spin(void) {
    for (;;)
        sink++;
}

__attribute__((noinline)) void grow(FILE *f) {
    static char block[4096];
    for (;;)
        fwrite(block, 1, sizeof block, f), fflush(f);
}

static void own(int sig) { fprintf(stderr, "own handler saw signal %d\n", sig); }

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    const char *mode = argv[1];
    if (!strcmp(mode, "own-handler"))
        signal(SIGTRAP, own);
    whence_install_crash_handler();
    if (!strcmp(mode, "trap") || !strcmp(mode, "own-handler")) {
        trap_mid(argc);
        fprintf(stderr, "went on\n");
        return 0;
    }
    if (!strcmp(mode, "trap-end"))
        trap_end(argc);
    if (!strcmp(mode, "seccomp")) {
        fprintf(stderr, "getppid is system call %d\n", (int)SYS_getppid);
        struct sock_filter f[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = {sizeof f / sizeof f[0], f};
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
            return perror("seccomp"), 3;
        ask_parent();
        return 0;
    }
    if (!strcmp(mode, "xcpu")) {
        struct rlimit rl = {1, RLIM_INFINITY};
        setrlimit(RLIMIT_CPU, &rl);
        spin();
    }
    if (!strcmp(mode, "xfsz") && argc > 2) {
        FILE *f = fopen(argv[2], "w");
        struct rlimit rl = {1 << 16, RLIM_INFINITY};
        if (!f || setrlimit(RLIMIT_FSIZE, &rl))
            return 3;
        grow(f);
    }
    after_trap_end();
    return 0;
}
