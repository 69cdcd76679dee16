// Signals the program ignored (SIG_IGN) when whence's handlers went in stay
// ignored: Perl ignores SIGFPE at start, and a background job of a
// non-interactive shell inherits SIGQUIT ignored.  With the handlers, a
// sent SIGFPE killed the process (status 136, a report) and SIGQUIT dumped
// the stacks and killed it (helper-141); without them both went on.  Now a
// sent fault signal is ignored as before, an ignored SIGQUIT gets no
// handler at all (one would end sleeps with EINTR and leave children the
// default action: helper-144), and a real fault still ends the process (the
// kernel does not let it be ignored), with the report.  SA_SIGINFO with
// SIG_IGN is ignoring too: it was called as a handler at address 1 (a
// "SIGSEGV at pc 0x1" report of a SIGFPE).
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: sh -c '%run %t sent; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=SENT
// RUN: sh -c '%run %t fault; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=FAULT
// RUN: sh -c '%run %t quit; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=QUIT
// RUN: sh -c '%run %t siginfo; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=FAULT
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

static volatile int zero;

__attribute__((noinline)) static int divide(int a) {
    return a / zero; // FAULT_LINE
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "sent";
    signal(SIGFPE, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    if (!strcmp(mode, "siginfo")) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_IGN;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGFPE, &sa, NULL);
        mode = "fault";
    }
    whence_install_crash_handler();
    whence_install_quit_handler();
    if (!strcmp(mode, "sent")) {
        raise(SIGFPE);
        kill(0, 0);
        printf("alive after a sent SIGFPE\n");
    } else if (!strcmp(mode, "fault")) {
        printf("%d\n", divide(7));
    } else {
        raise(SIGQUIT);
        raise(SIGQUIT);
        printf("alive after two SIGQUITs\n");
    }
    fflush(stdout);
    return 0;
}
// SENT-NOT: fatal signal
// SENT: alive after a sent SIGFPE
// SENT: status 0
// FAULT: fatal signal 8 (SIGFPE)
// FAULT: divide(...)
// FAULT-NEXT: ignored-signals.c:25 +
// FAULT: status 136
// QUIT-NOT: SIGQUIT
// QUIT: alive after two SIGQUITs
// QUIT: status 0
