// A crash under a seccomp filter that refuses openat (a sandbox: Chromium's
// renderers trap it, systemd's SystemCallFilter= kills the process).  The
// report opened the program's file for the faulting line: a filter that
// traps or kills openat ended the process with SIGSYS (status 159) before
// the report's first line was written.  Now the first line is written
// first, and under a filter no file is opened during the report: the line
// is unknown unless the file was read before the filter (then it is kept).
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %t errno 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not --crash %t trap 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not --crash %t kill 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not --crash %t kill-before 2>&1 | FileCheck %s --check-prefix=BEFORE
// UNKNOWN: fatal signal 11 (SIGSEGV)
// UNKNOWN-NEXT: fault in fault at {{.*}}crash-seccomp.c (line unknown; a seccomp filter is active: the file was not opened)
// UNKNOWN: main(...)
// UNKNOWN-NEXT: crash-seccomp.c:[[# @LINE + 36]]
// BEFORE: fatal signal 11 (SIGSEGV)
// BEFORE-NEXT: fault in fault at {{.*}}crash-seccomp.c:[[# @LINE + 12]]
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <whence.h>
int *volatile null_p;
__attribute__((noinline)) void fault(void) {
    __asm__ volatile("");
    *null_p = 1;
}
static void deny_openat(unsigned action) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, action),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog p = {sizeof f / sizeof f[0], f};
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p);
}
int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (!strcmp(argv[1], "kill-before")) {
        const char *file;
        whence_func_line(whence_func_for_pc((uintptr_t)fault), (uintptr_t)fault + 1, &file);
    }
    deny_openat(!strcmp(argv[1], "errno")  ? SECCOMP_RET_ERRNO | 1
                : !strcmp(argv[1], "trap") ? SECCOMP_RET_TRAP
                                           : SECCOMP_RET_KILL_PROCESS);
    fault();
    return 0;
}
