// A program that forks while it is being profiled.  The child inherits no
// running profile: its whence_profile_stop says ECHILD (10) and writes
// nothing, and it can start and stop a profile of its own.  The parent's
// profile holds the parent's work only; the child's its own.  Under
// WHENCE_CPUPROFILE the child writes FILE.PID (here: exiting normally) and
// the parent FILE, each with its own work (the child's sampled from its
// 50th ms of CPU time on: more work than the parent's).
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/fork
// RUN: %run %t/fork %t/parent.pb.gz %t/child.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -top -symbolize=none %t/parent.pb.gz | FileCheck %s --check-prefix=PARENT
// RUN: %pprof -top -symbolize=none %t/child.pb.gz | FileCheck %s --check-prefix=CHILD
// RUN: python3 %S/Inputs/pprof_check.py %t/parent.pb.gz --min-samples 20 | FileCheck %s --check-prefix=DWARF
// RUN: python3 %S/Inputs/pprof_check.py %t/child.pb.gz --min-samples 20 | FileCheck %s --check-prefix=DWARF
// RUN: env WHENCE_CPUPROFILE=%t/env.pb.gz WHENCE_CPUPROFILE_HZ=1000 %run %t/fork | FileCheck %s --check-prefix=ENVOUT
// RUN: %pprof -top -symbolize=none %t/env.pb.gz | FileCheck %s --check-prefix=PARENT
// RUN: %pprof -top -symbolize=none %t/env.pb.gz.* | FileCheck %s --check-prefix=CHILD
// RUN: python3 %S/Inputs/pprof_check.py %t/env.pb.gz --min-samples 20 | FileCheck %s --check-prefix=DWARF
//
// OUT-NOT: error
// OUT: child: stop of the parent's profile=10
// OUT: child: start=0 stop=0
// OUT: parent: child exited 0
// OUT: parent: stop=0
// ENVOUT-NOT: error
// ENVOUT: parent: child exited 0
// PARENT: flat  flat%
// PARENT-NOT: child_work
// PARENT: {{^ +[0-9.]*[1-9][0-9.]*m?s .* parent_work$}}
// PARENT-NOT: child_work
// CHILD: flat  flat%
// CHILD-NOT: parent_work
// CHILD: {{^ +[0-9.]*[1-9][0-9.]*m?s .* child_work$}}
// CHILD-NOT: parent_work
// DWARF: mismatches=0 samples=enough
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

static volatile unsigned long sink;

NOINLINE void parent_work(void) {
    for (unsigned long i = 0; i < 40000000; i++)
        sink = (sink ^ i) * 0x9e3779b97f4a7c15ul;
}
NOINLINE void child_work(void) {
    for (unsigned long i = 0; i < 100000000; i++)
        sink = (sink + i) * 0x9e3779b97f4a7c15ul;
}

int main(int argc, char **argv) {
    int fd = -1;
    if (argc > 2) {
        fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = whence_profile_start(fd, 1000);
        if (e)
            printf("error: whence_profile_start: %d\n", e);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (argc > 2) {
            printf("child: stop of the parent's profile=%d\n", whence_profile_stop());
            int cfd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
            int s = whence_profile_start(cfd, 1000);
            child_work();
            printf("child: start=%d stop=%d\n", s, whence_profile_stop());
            close(cfd);
        } else {
            child_work();
        }
        fflush(stdout);
        exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    printf("parent: child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    parent_work();
    if (fd >= 0) {
        int e = whence_profile_stop();
        printf("parent: stop=%d\n", e);
        if (e || close(fd))
            printf("error: whence_profile_stop: %d\n", e);
    }
    return 0;
}
