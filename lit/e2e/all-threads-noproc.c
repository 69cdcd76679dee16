// whence_write_all_stacks and the SIGQUIT dump without /proc (a container or
// chroot that does not mount it): the threads cannot be listed, and the dump
// printed the calling thread alone, reading as a process of one thread (the
// SIGQUIT dump has no return value to say otherwise).  Now it says the
// other threads were not listed; with /proc every thread is there.
// REQUIRES: x86_64-linux && noproc
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %noproc %t dump 2>&1 | FileCheck %s --check-prefix=DUMP
// RUN: not --crash %noproc %t quit 2>&1 | FileCheck %s --check-prefix=QUIT
// RUN: %t dump 2>&1 | FileCheck %s --check-prefix=PROC
// DUMP: thread {{[0-9]+}} "{{.*}}":
// DUMP-NEXT: main(...)
// DUMP: other threads: not listed (/proc/self/task cannot be read: errno 2)
// DUMP: returned -2
// QUIT: SIGQUIT: quit
// QUIT: thread {{[0-9]+}} "{{.*}}":
// QUIT-NEXT: main(...)
// QUIT: other threads: not listed (/proc/self/task cannot be read: errno 2)
// PROC-COUNT-3: thread {{[0-9]+}} "{{.*}}":
// PROC-NOT: other threads
// PROC: returned 3
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>

static int fds[2];

__attribute__((noinline)) static void *parked(void *arg) {
    char c;
    read(fds[0], &c, 1);
    return arg;
}

int main(int argc, char **argv) {
    pipe(fds);
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, parked, NULL);
    usleep(20000);
    if (!strcmp(argv[1], "quit")) {
        whence_install_quit_handler();
        raise(SIGQUIT);
    }
    int r = whence_write_all_stacks(1);
    printf("returned %d\n", r);
    return 0;
}
