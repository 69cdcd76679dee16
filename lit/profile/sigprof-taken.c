// The program puts a SIGPROF handler of its own while a profile runs (a
// Python script calling signal.signal(SIGPROF, ...)): no more samples come
// to whence.  Was: an empty profile, whence_profile_stop returned 0, and
// nothing said why.  Now the profile says so in a comment (pprof shows it
// at the top).
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t %t.pb.gz | FileCheck %s
// RUN: %pprof -top -symbolize=none %t.pb.gz | FileCheck %s --check-prefix=TOP
// CHECK: start=0 stop=0
// TOP: whence: the program put a handler of its own on SIGPROF during the profile: samples after that were not taken
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <whence.h>

static volatile unsigned long sink;
static void mine(int sig) { (void)sig; }

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int s = whence_profile_start(fd, 1000);
    signal(SIGPROF, mine);
    struct timespec c;
    do {
        for (int i = 0; i < 100000; i++)
            sink += (unsigned long)i;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    } while (c.tv_nsec < 300000000L && c.tv_sec == 0);
    int e = whence_profile_stop();
    printf("start=%d stop=%d\n", s, e);
    return 0;
}
