/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * quit.c - whence_install_quit_handler: SIGQUIT (^\ on a terminal, kill
 * -QUIT) prints
 *
 *     SIGQUIT: quit
 *
 *     thread 4242 "main":
 *     ...
 *
 * every thread's stack to stderr (threads.c; the thread that took the
 * signal first, from where it was interrupted), runs the handler the
 * program installed before (if any) and dies of SIGQUIT: the default action
 * (terminate with a core dump) is restored and the signal raised again, so
 * the exit status is as without the handler.  That is what a Go program
 * does.
 *
 * A second SIGQUIT taken by another thread while the first is being
 * reported waits for that report to end the process (thirty seconds at
 * most), rather than cut it short.
 *
 * A program that ignores SIGQUIT (SIG_IGN: a background job of a
 * non-interactive shell inherits it) keeps ignoring it: no handler is
 * installed.
 */
#define _GNU_SOURCE
#include "arch/arch.h"
#include "internal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static struct sigaction wh_quit_prev;
static bool wh_quit_prev_peer; /* another copy's: it dumps nothing more */
static _Atomic int wh_quit_installed; /* 0 no, 1 installing, 2 yes */
static _Atomic int wh_quitting;

WH_RT __attribute__((noinline)) static void quit_work(int sig, siginfo_t *info, void *ucv) {
    int saved = errno;
    wh_signal_depth++;
    if (info && info->si_errno == WHENCE_PEER_REPORTED) {
        /* another copy's handler dumped the threads */
        wh_chain_handler(&wh_quit_prev, wh_quit_prev_peer, true, sig, info, ucv);
    } else if (!atomic_exchange(&wh_quitting, 1)) {
        /* The process dies after the dump: a stderr nobody reads may
         * hold it no longer than a crash report (helper-91: it never
         * died). */
        wh_write_wait_ms = WH_REPORT_WRITE_MS;
        /* (a stderr pipe whose reader is gone: the process still dies of
         * SIGQUIT, with its core, not of SIGPIPE; helper-106) */
        sigset_t old;
        bool masked = wh_pipe_hold(&old);
        static const char head[] = "SIGQUIT: quit\n\n";
        wh_write_all(2, head, sizeof head - 1);
        int e = wh_all_stacks(2, ucv, 0);
        if ((e == -EDEADLK || (e == -EBUSY && !wh_dump_wrote_self)) && ucv) {
            /* It interrupted a dump of this very thread, or another
             * thread's dump held the threads for ten seconds (a watchdog's
             * dump stuck on a full pipe): this thread's stack, and a word
             * that the others are not listed (it read as a process of one
             * thread, or of none; helper-106, helper-107). */
            struct wh_buf w = {.fd = 2};
            struct wh_regs r;
            wh_put_thread(&w, wh_gettid());
            wh_buf_str(&w, ":\n");
            wh_buf_flush(&w);
            wh_regs_of(ucv, &r);
            wh_write_stack_from(2, &r, false);
            wh_buf_str(&w, e == -EDEADLK
                               ? "\nother threads: not all listed (SIGQUIT came while this thread "
                                 "was writing a dump of all threads)\n\n"
                               : "\nother threads: not listed (another dump of all threads did "
                                 "not end within ten seconds)\n\n");
            wh_buf_flush(&w);
        }
        wh_chain_handler(&wh_quit_prev, wh_quit_prev_peer, true, sig, info, ucv);
        wh_pipe_release(masked, &old);
    } else {
        /* Another thread is reporting: let it finish and end the process. */
        for (int i = 0; i < 3000; i++) {
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
    }
    /* Blocked while we run: delivered with the default action on return. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGQUIT, &dfl, NULL);
    raise(SIGQUIT);
    wh_signal_depth--;
    errno = saved;
}

/* (a small frame; the dump on a stack of whence's own when the alternate
 * stack is short: farstack.c) */
WH_RT void wh_quit_sigaction(int sig, siginfo_t *info, void *ucv) {
    if (!wh_thread_pointer(ucv)) {
        wh_no_tp_signal(sig, info, ucv, true);
        return;
    }
    wh_handler_run(WH_ALTSTACK_MIN, quit_work, sig, info, ucv);
}

WH_EXPORT WH_RT int whence_install_quit_handler(void) {
    if (wh_too_early())
        return EAGAIN;
    int e = wh_threads_prepare();
    if (e)
        return e;
    int expect = 0;
    if (!atomic_compare_exchange_strong(&wh_quit_installed, &expect, 1))
        return 0; /* installed (or being installed): twice would chain to itself */
    /* A program that ignores SIGQUIT (a background job of a shell
     * inherits it so) keeps ignoring it: a handler would end its sleeps
     * with EINTR and leave its children the default action, which kills
     * them (helper-144). */
    struct sigaction cur;
    if (sigaction(SIGQUIT, NULL, &cur) == 0 && cur.sa_handler == SIG_IGN) {
        atomic_store(&wh_quit_installed, 0);
        return 0;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = wh_quit_sigaction;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGQUIT, &sa, &wh_quit_prev) != 0) {
        e = errno;
        atomic_store(&wh_quit_installed, 0);
        return e;
    }
    wh_action_plain(&wh_quit_prev);
    wh_quit_prev_peer = wh_peer_handler(&wh_quit_prev);
    atomic_store(&wh_quit_installed, 2);
    return 0;
}
