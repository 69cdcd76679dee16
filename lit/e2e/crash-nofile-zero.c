// A crash report and a SIGQUIT dump in a process whose RLIMIT_NOFILE is 0
// (a sandbox that closes the door on new descriptors; stderr is open).
// Were dropped whole: the write waits for room with poll(2), which fails
// with EINVAL when its one descriptor exceeds the limit (helper-133).
// Now select waits instead (runtime/msg.c); the frames in the C library
// stay unnamed (no file can be opened to name them), said so.
// (x86-64 only: under qemu-user the limit takes the emulator's own output.)
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %t crash 2>&1 | FileCheck %s --check-prefix=CRASH
// RUN: not --crash %t quit 2>&1 | FileCheck %s --check-prefix=QUIT
// CRASH: fatal signal 11 (SIGSEGV)
// CRASH: fault in crash at {{.*}}crash-nofile-zero.c:27
// CRASH: main(...)
// QUIT: SIGQUIT: quit
// QUIT: main(...)
// QUIT-NEXT: {{.*}}crash-nofile-zero.c:37
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <whence.h>

static int *volatile nullp;

__attribute__((noinline)) static void crash(void) {
    *nullp = 1;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    whence_install_quit_handler();
    struct rlimit rl = {0, 0};
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 2;
    if (argc > 1 && !strcmp(argv[1], "quit"))
        raise(SIGQUIT);
    crash();
    return 0;
}
