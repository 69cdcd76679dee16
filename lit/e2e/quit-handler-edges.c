// The quit handler's edges (helper-106), each in a child whose end the
// parent reads:
//  * pipe: stderr is a pipe whose reader is gone.  The dump's first write
//    raised SIGPIPE and the process died of it, without a core; it dies of
//    SIGQUIT now, as without the handler.
//  * owner: SIGQUIT sent to the thread that is writing a dump of all
//    threads (a watchdog's whence_write_all_stacks).  The handler printed
//    that thread's stack alone, without its header: a process of one
//    thread.  It prints the header and says the others are not all listed.
//    (The dump writes to a full pipe nobody reads: it is under way when
//    the signal comes.)
//  * stuck: SIGQUIT while another thread's dump is stuck so: the handler
//    waits ten seconds for it, then printed nothing but its first line
//    (helper-107).  It prints its own thread and says the others are not
//    listed.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -lpthread -o %t
// RUN: %t pipe | FileCheck %s --check-prefix=PIPE
// RUN: %t owner 2> %t.owner | FileCheck %s --check-prefix=OWNER
// RUN: FileCheck %s --check-prefix=OWNERERR < %t.owner
// PIPE: child died of signal 3
// OWNER: child died of signal 3
// OWNERERR: SIGQUIT: quit
// OWNERERR: thread [[#TID:]] "{{[^"]*}}":
// OWNERERR-NEXT: watchdog(...)
// OWNERERR: other threads: not all listed (SIGQUIT came while this thread was writing a dump of all threads
// RUN: %t stuck 2> %t.stuck | FileCheck %s --check-prefix=OWNER
// RUN: FileCheck %s --check-prefix=STUCK < %t.stuck
// STUCK: SIGQUIT: quit
// STUCK: thread [[#TID:]] "{{[^"]*}}":
// STUCK-NEXT: main(...)
// STUCK: other threads: not listed (another dump of all threads did not end within ten seconds)
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

static atomic_int dumper_tid;

/* Sends SIGQUIT to the dumping thread, stuck in its dump's write. */
static void *sender(void *arg) {
    (void)arg;
    nanosleep(&(struct timespec){0, 100000000}, NULL);
    syscall(SYS_tgkill, getpid(), atomic_load(&dumper_tid), SIGQUIT);
    return 0;
}

__attribute__((noinline)) void watchdog(int fd) {
    whence_write_all_stacks(fd);
}

static void *watchdog_thread(void *arg) {
    watchdog((int)(intptr_t)arg);
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    int p[2];
    if (pipe(p) != 0)
        return 2;
    pid_t pid = fork();
    if (pid == 0) {
        if (whence_install_quit_handler() != 0)
            _exit(3);
        if (!strcmp(mode, "pipe")) {
            close(p[0]);
            dup2(p[1], 2);
            write(p[1], "x", 1); /* ready: the parent closes its end */
            for (;;)
                pause();
        }
        /* a pipe filled up, which nobody reads */
        fcntl(p[1], F_SETFL, O_NONBLOCK);
        while (write(p[1], "................................", 32) > 0)
            ;
        fcntl(p[1], F_SETFL, 0);
        pthread_t t;
        if (!strcmp(mode, "stuck")) {
            pthread_create(&t, 0, watchdog_thread, (void *)(intptr_t)p[1]);
            nanosleep(&(struct timespec){0, 100000000}, NULL);
            raise(SIGQUIT);
            _exit(5);
        }
        atomic_store(&dumper_tid, (int)syscall(SYS_gettid));
        pthread_create(&t, 0, sender, 0);
        watchdog(p[1]);
        _exit(4);
    }
    int status = 0;
    if (!strcmp(mode, "pipe")) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);
        close(p[0]);
        kill(pid, SIGQUIT);
    }
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        printf("child died of signal %d\n", WTERMSIG(status));
    else
        printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}
