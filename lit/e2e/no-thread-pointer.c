// A thread made by a raw clone without TLS (CLONE_SETTLS with a thread
// pointer of 0: a runtime's helper thread that never calls the C library).
// It never asks whence anything, yet whence's handlers ran there when a
// dump asked every thread, a profile's timer sampled it, or SIGQUIT was
// delivered to it: their first errno access faulted and the process died
// of SIGSEGV (helper-133).  The dump lists it as not answering; the
// profile counts its samples' time as such (they are no stack: in
// setitimer mode another thread's stack was charged with it, helper-135);
// SIGQUIT is passed on to the process, for a thread that can take it (the
// main thread blocks it here: sent to that one, it was lost), which dumps
// and dies of it, as without the thread; a fault there goes to the
// program's own handler, which recovers.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -pthread %whence_cflags %s %whence_libs -o %t
// RUN: %run %t dump 2>&1 | FileCheck %s --check-prefix=DUMP
// RUN: %run %t profile %t.pb 2>&1 | FileCheck %s --check-prefix=PROFILE
// RUN: %if go %{ %pprof -top -symbolize=none %t.pb | FileCheck %s --check-prefix=TOP %}
// RUN: env WHENCE_CPUPROFILE_TIMER=itimer %run %t profile %t.i.pb 2>&1 | FileCheck %s --check-prefix=PROFILE
// RUN: %if go %{ %pprof -top -symbolize=none %t.i.pb | FileCheck %s --check-prefix=TOP %}
// RUN: %run %t quit 2>&1 | FileCheck %s --check-prefix=QUIT
// RUN: %run %t segv 2>&1 | FileCheck %s --check-prefix=SEGV
// DUMP: bare thread [[#BARE:]]
// DUMP: thread [[#]] "{{[^"]*}}":
// DUMP-NEXT: run_dump(...)
// DUMP: thread [[#BARE]] "{{[^"]*}}": not answering{{$}}
// DUMP: dump returned [[#]]
// PROFILE: profile stopped: 0
// TOP: {{^ +[0-9.]*[1-9][0-9.]*m?s .* \[threads without a thread pointer\]$}}
// SEGV: recovered 1
// QUIT: bare thread [[#BARE:]]
// QUIT: SIGQUIT: quit
// QUIT: thread [[#]] "{{[^"]*}}":
// QUIT-NEXT: waiter(...)
// QUIT: thread [[#BARE]] "{{[^"]*}}": not answering{{$}}
// QUIT: child died of signal 3
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
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

static atomic_int ready, stop, bare_tid, fault, recovered;
static volatile unsigned long sink;

/* No C library here (not even through the PLT: lazy binding uses TLS). */
static int bare(void *arg) {
    (void)arg;
    ready = 1;
    if (fault) { /* a load of address 0, of a known length */
#if defined(__x86_64__)
        __asm__ volatile("movq 0, %%rax" ::: "rax", "memory"); /* 8 bytes */
#else
        __asm__ volatile("mov x9, #0\n ldr x9, [x9]" ::: "x9", "memory");
#endif
    }
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

__attribute__((noinline)) static void waiter(void) {
    for (;;)
        pause();
}

static void *waiter_main(void *arg) {
    (void)arg;
    waiter();
    return NULL;
}

/* The program's own handler: TLS-free, it steps over the load. */
static void own_segv(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    (void)si;
    ucontext_t *uc = ucv;
#if defined(__x86_64__)
    uc->uc_mcontext.gregs[REG_RIP] += 8;
#else
    uc->uc_mcontext.pc += 4;
#endif
    recovered = 1;
}

/* CPU seconds of thread tid (the kernel's clock id of a thread's CPU
 * time, as pthread_getcpuclockid makes it), or of the process (0). */
static double cpu_seconds(int tid) {
    struct timespec ts;
    clockid_t c = tid ? (clockid_t)((~(unsigned)tid << 3) | 6) : CLOCK_PROCESS_CPUTIME_ID;
    if (clock_gettime(c, &ts) != 0)
        return 0;
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    if (!strcmp(argv[1], "quit")) {
        pid_t pid = fork();
        if (pid == 0) {
            whence_install_quit_handler();
            pthread_t t;
            pthread_create(&t, NULL, waiter_main, NULL);
            start_bare(); /* (before the mask, which it would inherit) */
            sigset_t q;
            sigemptyset(&q);
            sigaddset(&q, SIGQUIT);
            pthread_sigmask(SIG_BLOCK, &q, NULL);
            syscall(SYS_tgkill, getpid(), bare_tid, SIGQUIT);
            for (;;)
                pause();
        }
        int st;
        waitpid(pid, &st, 0);
        fflush(stderr);
        printf("child died of signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        return 0;
    }
    if (!strcmp(argv[1], "segv")) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = own_segv;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGSEGV, &sa, NULL);
        whence_install_crash_handler();
        fault = 1;
        start_bare();
        while (!recovered)
            ;
        printf("recovered %d\n", recovered);
        stop = 1;
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
        /* (until the bare thread has run 0.2 s: a loaded machine may
         * leave it little of the first) */
        double end = cpu_seconds(bare_tid) + 0.2;
        while (cpu_seconds(bare_tid) < end)
            sink++;
        printf("profile stopped: %d\n", whence_profile_stop());
    }
    stop = 1;
    fflush(stdout);
    return 0;
}
