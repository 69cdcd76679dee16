// whence_profile_start/stop's answers: EINVAL for a rate out of 1..10000
// and for a stop with nothing running, EBADF for a bad fd, EBUSY for a
// second start and when the program has a SIGPROF handler of its own, the
// write's errno when the profile cannot be written (ENOSPC on /dev/full).
// A profile of a thread that used no CPU is still a profile pprof reads.
// After a stop, a stray SIGPROF does not kill the process (the handler
// stays, and ignores signals that are not its session's).
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O1 -gline-tables-only %whence_cflags %s %whence_libs -o %t/errors
// RUN: %run %t/errors %t/idle.pb.gz | FileCheck %s
// RUN: %pprof -top -symbolize=none %t/idle.pb.gz | FileCheck %s --check-prefix=IDLE
// CHECK:      stop before start: 22
// CHECK-NEXT: bad fd: 9
// CHECK-NEXT: hz 0: 22
// CHECK-NEXT: hz 10001: 22
// CHECK-NEXT: start: 0
// CHECK-NEXT: second start: 16
// CHECK-NEXT: stop: 0
// CHECK-NEXT: second stop: 22
// CHECK-NEXT: stray SIGPROF: alive
// CHECK-NEXT: /dev/full: start 0 stop 28
// CHECK-NEXT: own handler: 16
// (0, or a sample or two under qemu-user on a loaded machine: the
// emulator's own work, and a virtual machine's stolen time, count as the
// sleeping thread's CPU time)
// IDLE: Type: cpu
// IDLE: Total samples = {{(0|10ms|20ms) }}
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

static void own(int sig) { (void)sig; }

int main(int argc, char **argv) {
    printf("stop before start: %d\n", whence_profile_stop());
    printf("bad fd: %d\n", whence_profile_start(-1, 100));
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    printf("hz 0: %d\n", whence_profile_start(fd, 0));
    printf("hz 10001: %d\n", whence_profile_start(fd, 10001));
    printf("start: %d\n", whence_profile_start(fd, 100));
    printf("second start: %d\n", whence_profile_start(fd, 100));
    struct timespec ts = {0, 30000000};
    nanosleep(&ts, NULL);
    printf("stop: %d\n", whence_profile_stop());
    printf("second stop: %d\n", whence_profile_stop());
    close(fd);
    raise(SIGPROF);
    printf("stray SIGPROF: alive\n");
    int full = open("/dev/full", O_WRONLY);
    int s = whence_profile_start(full, 100);
    printf("/dev/full: start %d stop %d\n", s, whence_profile_stop());
    close(full);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = own;
    sigaction(SIGPROF, &sa, NULL);
    int fd2 = open("/dev/null", O_WRONLY);
    printf("own handler: %d\n", whence_profile_start(fd2, 100));
    return 0;
}
