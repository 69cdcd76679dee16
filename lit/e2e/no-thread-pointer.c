// A thread made by a raw clone without TLS (CLONE_SETTLS with a thread
// pointer of 0: a runtime's helper thread that never calls the C library).
// It never asks whence anything, yet whence's handlers ran there when a
// dump asked every thread, a profile's timer sampled it, or SIGQUIT was
// delivered to it: their first errno access faulted and the process died
// of SIGSEGV (helper-133).  The dump lists it as not answering, the
// profile loses its samples, SIGQUIT is passed on to the main thread,
// which dumps and dies of it, as without the thread.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t dump 2>&1 | FileCheck %s --check-prefix=DUMP
// RUN: %run %t profile %t.pb 2>&1 | FileCheck %s --check-prefix=PROFILE
// RUN: %run %t quit 2>&1 | FileCheck %s --check-prefix=QUIT
// DUMP: bare thread [[#BARE:]]
// DUMP: thread [[#]] "{{[^"]*}}":
// DUMP-NEXT: run_dump(...)
// DUMP: thread [[#BARE]] "{{[^"]*}}": not answering{{$}}
// DUMP: dump returned [[#]]
// PROFILE: profile stopped: 0
// QUIT: bare thread [[#BARE:]]
// QUIT: SIGQUIT: quit
// QUIT: thread [[#]] "{{[^"]*}}":
// QUIT-NEXT: wait_for_quit(...)
// QUIT: thread [[#BARE]] "{{[^"]*}}": not answering{{$}}
// QUIT: child died of signal 3
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

static atomic_int ready, stop, bare_tid;
static volatile unsigned long sink;

/* No C library here (not even through the PLT: lazy binding uses TLS). */
static int bare(void *arg) {
    (void)arg;
    ready = 1;
    while (!stop)
        sink++;
    return 0; /* (clone's own code makes the exit call) */
}

static void start_bare(void) {
    char *stack = malloc(1 << 18);
    bare_tid = clone(bare, stack + (1 << 18),
                     CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
                         CLONE_SYSVSEM | CLONE_SETTLS,
                     NULL, NULL, NULL, NULL);
    if (bare_tid < 0) {
        perror("clone");
        exit(1);
    }
    printf("bare thread %d\n", bare_tid);
    fflush(stdout);
    while (!ready)
        ;
}

__attribute__((noinline)) static int run_dump(void) { return whence_write_all_stacks(1); }

__attribute__((noinline)) static void wait_for_quit(void) {
    syscall(SYS_tgkill, getpid(), bare_tid, SIGQUIT);
    for (;;)
        pause();
}

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    if (!strcmp(argv[1], "quit")) {
        pid_t pid = fork();
        if (pid == 0) {
            whence_install_quit_handler();
            start_bare();
            wait_for_quit();
        }
        int st;
        waitpid(pid, &st, 0);
        fflush(stderr);
        printf("child died of signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        return 0;
    }
    start_bare();
    if (!strcmp(argv[1], "dump")) {
        int r = run_dump();
        printf("dump returned %d\n", r);
    } else if (argc > 2) {
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (whence_profile_start(fd, 1000) != 0)
            return 1;
        /* the bare thread spins meanwhile: its timer fires too */
        double end = cpu_seconds() + 0.4;
        while (cpu_seconds() < end)
            sink++;
        printf("profile stopped: %d\n", whence_profile_stop());
    }
    stop = 1;
    fflush(stdout);
    return 0;
}
