// whence_write_stack and whence_write_all_stacks to a non-blocking fd that
// is full (stderr a pipe or socket whose reader is behind, as a service's
// log collector may be): the write's EAGAIN dropped the stack without a
// word, and whence_write_all_stacks still counted the threads it had not
// printed (helper-90).  The writes now wait for room, up to a second per
// write (runtime/msg.c, wh_write_all).  And whence_write_all_stacks counts
// a thread only if its stack was written: it counted threads written to
// a pipe whose reader is gone, or to /dev/full (helper-91).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t | FileCheck %s
// CHECK: reader: main's frame arrived
// CHECK-NEXT: reader: as many thread headers as whence_write_all_stacks counted
// CHECK-NEXT: no reader: 0 printed; /dev/full: 0 printed
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <whence.h>

int main(void) {
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    pid_t pid = fork();
    if (pid == 0) { /* the reader: behind by 300 ms, then reads all */
        close(fds[1]);
        usleep(300000);
        static char buf[1 << 20];
        size_t n = 0;
        ssize_t r;
        while (n < sizeof buf - 1 && (r = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0)
            n += (size_t)r;
        buf[n] = 0;
        printf("reader: main's frame %s\n", strstr(buf, "main(...)") ? "arrived" : "was lost");
        int headers = 0, count = -1;
        for (char *p = buf; (p = strstr(p, "\nthread ")) != NULL; p++)
            headers++;
        char *c = strstr(buf, "\ncount ");
        if (c)
            count = atoi(c + 7);
        if (headers > 0 && headers == count)
            printf("reader: as many thread headers as whence_write_all_stacks counted\n");
        else
            printf("reader: %d thread headers, %d counted\n", headers, count);
        return 0;
    }
    close(fds[0]);
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    /* Fill the pipe: the next write would block. */
    static char fill[4096];
    memset(fill, 'x', sizeof fill - 1);
    fill[sizeof fill - 1] = '\n';
    while (write(fds[1], fill, sizeof fill) > 0)
        ;
    whence_write_stack(fds[1], 0);
    int n = whence_write_all_stacks(fds[1]);
    char line[32];
    int k = snprintf(line, sizeof line, "\ncount %d\n", n);
    fcntl(fds[1], F_SETFL, 0);
    if (write(fds[1], line, (size_t)k) != k)
        return 1;
    close(fds[1]);
    int st;
    waitpid(pid, &st, 0);
    signal(SIGPIPE, SIG_IGN);
    int gone[2];
    if (pipe(gone) != 0)
        return 1;
    close(gone[0]);
    int a = whence_write_all_stacks(gone[1]);
    int full = open("/dev/full", O_WRONLY);
    int b = full >= 0 ? whence_write_all_stacks(full) : -1;
    printf("no reader: %d printed; /dev/full: %d printed\n", a, b);
    return 0;
}
