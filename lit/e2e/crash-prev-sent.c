// A fault signal sent or raised (kill -SEGV, raise(SIGSEGV)) to a program
// whose own handler, installed before whence's, handles it: the process
// goes on, as without whence.  It died of the signal after a "fatal
// signal" report (helper-114): the handler went after the report, and the
// default action was raised again.  A handler that raises it again with
// the default put back ends the process, with the report; one that exits
// is not reported as a fatal signal.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t returns 2>&1 | FileCheck %s --check-prefix=RETURNS
// (qemu-user delivers the signal raised again inside the handler at once,
// blocked or not: the process dies before the report)
// RUN: %if x86_64-linux %{ not --crash %run %t reraise 2>&1 | FileCheck %s --check-prefix=RERAISE %}
// RUN: not %run %t exit 2>&1 | FileCheck %s --check-prefix=EXIT
// RETURNS-NOT: fatal signal
// RETURNS: handled 11
// RETURNS-NEXT: handled 11
// RETURNS-NEXT: went on
// RETURNS-NOT: fatal signal
// RERAISE: handled 11
// RERAISE-NEXT: fatal signal 11 (SIGSEGV)
// EXIT-NOT: fatal signal
// EXIT: handled 11
// EXIT-NOT: fatal signal
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>

static const char *mode;

static void handler(int sig) {
    char b[32];
    int n = snprintf(b, sizeof b, "handled %d\n", sig);
    write(2, b, (size_t)n);
    if (!strcmp(mode, "reraise")) {
        signal(sig, SIG_DFL);
        raise(sig);
    } else if (!strcmp(mode, "exit")) {
        exit(3);
    }
}

int main(int argc, char **argv) {
    mode = argc > 1 ? argv[1] : "";
    signal(SIGSEGV, handler);
    whence_install_crash_handler();
    kill(getpid(), SIGSEGV);
    raise(SIGSEGV);
    fprintf(stderr, "went on\n");
    return 0;
}
