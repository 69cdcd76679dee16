// A process started with an environment of its own that leaves
// WHENCE_CPUPROFILE_OWNER out (nginx's binary upgrade passes on only the
// variables its configuration names) takes itself for the first process
// of the run and writes FILE: the one that wrote it last replaced the
// other's profile without a word (helper-131).  A process that finds FILE
// written since it started writes FILE.PID and says so.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/prog
// RUN: env WHENCE_CPUPROFILE=%t/p.pb.gz %t/prog 2>&1 | FileCheck %s
// RUN: ls %t | FileCheck %s --check-prefix=FILES
// CHECK: parent done
// CHECK-NEXT: whence: WHENCE_CPUPROFILE: {{.*}}p.pb.gz was written by another process since this one started (one that was not passed WHENCE_CPUPROFILE_OWNER): writing {{.*}}p.pb.gz.[[#]]
// FILES: p.pb.gz
// FILES-NEXT: p.pb.gz.{{[0-9]+}}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static volatile unsigned long sink;

static void burn(double s) {
    struct timespec t;
    double end;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    end = t.tv_sec + t.tv_nsec / 1e9 + s;
    do {
        for (int i = 0; i < 100000; i++)
            sink++;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    } while (t.tv_sec + t.tv_nsec / 1e9 < end);
}

int main(int argc, char **argv) {
    if (argc > 1) { /* the exec'd one: writes FILE at its exit */
        burn(0.05);
        return 0;
    }
    char *env[256];
    int n = 0;
    for (char **e = environ; *e && n < 254; e++)
        if (strncmp(*e, "WHENCE_CPUPROFILE_OWNER=", 24) != 0)
            env[n++] = *e;
    env[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        char *args[] = {argv[0], "child", NULL};
        execve(argv[0], args, env);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    burn(0.05);
    printf("parent done\n");
    fflush(stdout);
    return 0;
}
