// A crash under a seccomp filter that refuses openat (a sandbox: Chromium's
// renderers trap it, systemd's SystemCallFilter= kills the process).  The
// report opened the program's file for the faulting line: a filter that
// traps or kills openat ended the process with SIGSYS (status 159) before
// the report's first line was written.  Now the first line is written
// first, and under a filter no file is opened during the report.  The
// program's own file is opened when the handler is installed, so its
// lines stay known; a library's line is unknown unless its file was read
// before the filter.  A filter that was active when the runtime was loaded
// (inherited: a container's default profile, systemd) let the loader open
// the libraries, so opening stays allowed: the library's line is exact
// (it was unknown).  A thread dump under the program's own filter lists
// the calling thread and says why the others are not (it died for the
// openat of /proc/self/task); under an inherited one it lists them all.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: %clang -O2 -gline-tables-only -fPIC -shared %whence_cflags -DLIB %s -o %t.d/libsc.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -L%t.d -lsc -Wl,-rpath,%t.d %whence_libs -o %t
// RUN: not --crash %t errno 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %t trap 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %t kill 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %t trap lib 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not --crash %t kill lib 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not --crash %t kill lib-before 2>&1 | FileCheck %s --check-prefix=BEFORE
// RUN: %clang -O2 -DLAUNCHER %s -o %t.launch
// RUN: not --crash %t.launch %t none lib 2>&1 | FileCheck %s --check-prefix=BEFORE
// RUN: not --crash %t.launch %t none 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: %t kill dump 2>&1 | FileCheck %s --check-prefix=DUMP
// RUN: %t.launch %t none dump 2>&1 | FileCheck %s --check-prefix=DUMP-ALL
// DUMP: thread {{[0-9]+}} "crash-seccomp
// DUMP-NEXT: main(...)
// DUMP: other threads: not listed (a seccomp filter is active: /proc/self/task was not opened)
// DUMP: dump=-1
// DUMP-ALL: thread {{[0-9]+}} "crash-seccomp
// DUMP-ALL: thread {{[0-9]+}} "worker"
// DUMP-ALL: dump=2
// A stripped program's separate debug file is opened at the install too:
// RUN: llvm-objcopy --only-keep-debug %t %t.d/prog.debug
// RUN: llvm-strip -g %t -o %t.d/prog.s
// RUN: llvm-objcopy --add-gnu-debuglink=%t.d/prog.debug %t.d/prog.s %t.d/prog
// RUN: not --crash %t.d/prog kill 2>&1 | FileCheck %s --check-prefix=PROG
// RUN: not --crash %t.d/prog trap 2>&1 | FileCheck %s --check-prefix=PROG
// PROG: fatal signal 11 (SIGSEGV)
// PROG-NEXT: fault in fault at {{.*}}crash-seccomp.c:[[# @LINE + 48]]
// PROG: main(...)
// UNKNOWN: fatal signal 11 (SIGSEGV)
// UNKNOWN-NEXT: fault in lib_fault at {{.*}}crash-seccomp.c (line unknown; a seccomp filter is active: the file was not opened)
// UNKNOWN: main(...)
// UNKNOWN-NEXT: crash-seccomp.c:[[# @LINE + 85]]
// BEFORE: fatal signal 11 (SIGSEGV)
// BEFORE-NEXT: fault in lib_fault at {{.*}}crash-seccomp.c:[[# @LINE + 35]]
#define _GNU_SOURCE
#include <linux/filter.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#ifndef LAUNCHER
#include <whence.h>
#endif
int *volatile null_p;
#if defined LAUNCHER
/* Runs argv[1] under a filter of its parent's (it refuses acct(2), which
 * no one calls): inherited, as a container's. */
int main(int argc, char **argv) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_acct, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog p = {sizeof f / sizeof f[0], f};
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (argc < 2 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p) != 0)
        return 2;
    execv(argv[1], argv + 1);
    return 3;
}
#elif defined LIB
__attribute__((noinline)) void lib_fault(void) {
    __asm__ volatile("");
    *null_p = 1;
}
#else
void lib_fault(void);
__attribute__((noinline)) void fault(void) {
    __asm__ volatile("");
    *null_p = 1;
}
static volatile int started;
static void *worker(void *arg) {
    pthread_setname_np(pthread_self(), "worker");
    started = 1;
    for (;;)
        pause();
    return arg;
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
    const char *where = argc > 2 ? argv[2] : "prog";
    if (!strcmp(where, "lib-before")) {
        const char *file;
        whence_func_line(whence_func_for_pc((uintptr_t)lib_fault), (uintptr_t)lib_fault + 1, &file);
    }
    if (strcmp(argv[1], "none"))
        deny_openat(!strcmp(argv[1], "errno")  ? SECCOMP_RET_ERRNO | 1
                    : !strcmp(argv[1], "trap") ? SECCOMP_RET_TRAP
                                               : SECCOMP_RET_KILL_PROCESS);
    if (!strcmp(where, "dump")) {
        pthread_t t;
        pthread_create(&t, NULL, worker, NULL);
        while (!started)
            usleep(1000);
        int n = whence_write_all_stacks(2);
        fprintf(stderr, "dump=%d\n", n);
        return 0;
    }
    if (strcmp(where, "prog"))
        lib_fault();
    fault();
    return 0;
}
#endif
