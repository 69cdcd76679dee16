/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * threads.c - whence_write_all_stacks: every thread's stack, as Go prints
 * every goroutine on SIGQUIT, from anywhere a signal handler may run.
 *
 *     thread 4242 "main":
 *     main(...)
 *     \tprog.c:12 +0x1f
 *
 *     thread 4243 "worker-1":
 *     ...
 *
 *     thread 4250 "io": not answering (signal blocked)
 *
 * Only a thread can walk its own stack (its registers and its caller-frame
 * slot list are its own), so each thread is asked to capture itself:
 *
 *   1. the threads are listed with getdents64 on /proc/self/task, in
 *      batches of WH_TQ_SLOTS;
 *   2. each thread of a batch gets a slot of a table that is mapped once
 *      and never freed (a late answer writes into memory that stays), and
 *      a real-time signal sent with rt_tgsigqueueinfo whose value names the
 *      slot and a sequence number;
 *   3. its handler claims the slot with one compare-and-swap from "asked"
 *      to "busy" for exactly that sequence number (a stale or foreign signal
 *      finds nothing to claim), walks its interrupted context into the
 *      slot's trace (two ends, trace.c) and marks it "done";
 *   4. the dumping thread waits for the batch's answers (on a futex each
 *      answer wakes), a second at most, and prints each slot.  An unanswered request is withdrawn with the
 *      reverse compare-and-swap; if the handler won that race the slot
 *      stays "busy", and is skipped by later dumps, until it is done.
 *
 * A thread that blocks the signal or is stopped would never answer: its
 * /proc/self/task/TID/status says so before it is asked, and it is listed
 * as such at once.  The signal is the highest real-time signal whose action
 * is the default when first needed; its handler stays installed for good
 * (a late signal must not kill the process).  It restarts interrupted
 * system calls (SA_RESTART); sleeps may end early with EINTR, as with any
 * signal.
 *
 * One dump at a time (the owner's thread id in one word): a second thread
 * waits for the first, a signal handler that interrupted a dump on its own
 * thread gets -EDEADLK.  Everything here is async-signal-safe: system calls,
 * atomics, the walk, write(2).
 */
#define _GNU_SOURCE
#include "lookup.h"
#include "lines/lines.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define WH_TQ_SLOTS 32           /* threads asked at once */
#define WH_TQ_INNER 200          /* innermost entries an answer holds */
#define WH_TQ_FRAMES 100u        /* frames per thread without a depth limit */
#define WH_TQ_WAIT_NS 1000000000 /* how long a batch waits for its answers */

enum { TQ_IDLE = 0, TQ_ASKED = 1, TQ_BUSY = 2, TQ_DONE = 3 };
/* The value of a probe (tq_signal), never a request's token. */
#define WH_TQ_PROBE ((void *)~(uintptr_t)0)
/* Why a thread gives no stack. */
enum { WHY_OK, WHY_GONE, WHY_BLOCKED, WHY_STOPPED, WHY_TRACED, WHY_NOSLOT, WHY_SEND, WHY_SILENT };

struct tq_slot {
    _Atomic uint64_t state;      /* seq << 2 | TQ_* */
    int tid;
    uint8_t end; /* the walk's end (wh_walk_end of the thread that walked) */
    struct wh_trace t;
    struct wh_ent inner[WH_TQ_INNER];
    struct wh_ent ring[WH_OUTER_MAX];
};

/* Slot 0 is the calling thread's; the others are asked. */
struct tq_table {
    struct tq_slot slot[WH_TQ_SLOTS + 1];
};

static struct tq_table *_Atomic wh_tq;
static _Atomic uint64_t wh_tq_seq;
static _Atomic int wh_tq_sig;
static _Atomic int wh_tq_claiming;
static _Atomic int wh_tq_owner;
static _Atomic uint32_t wh_tq_answers; /* bumped (and futex-woken) by each answer */

WH_RT int wh_gettid(void) { return (int)syscall(SYS_gettid); }

WH_RT bool wh_tid_gone(int tid) {
    int e = errno; /* also called from signal handlers */
    bool gone = tid > 0 && syscall(SYS_tgkill, getpid(), tid, 0) != 0 && errno == ESRCH;
    errno = e;
    return gone;
}

WH_RT bool wh_proc_ns_ours(void) {
    int e = errno;
    char b[24];
    ssize_t n = readlink("/proc/self", b, sizeof b - 1);
    errno = e;
    if (n <= 0)
        return true; /* (no /proc, or not this process's at all: a listing fails and says so) */
    long pid = 0;
    for (ssize_t i = 0; i < n; i++) {
        if (b[i] < '0' || b[i] > '9')
            return true;
        pid = pid * 10 + (b[i] - '0');
    }
    return pid == (long)getpid();
}

/* ---- names ------------------------------------------------------------------------ */

WH_RT static char *put_dec(char *p, uint64_t v) {
    char t[20];
    int i = 20;
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i < 20)
        *p++ = t[i++];
    return p;
}

/* "/proc/self/task/TID/" + file. */
WH_RT static void task_path(char *out, int tid, const char *file) {
    static const char pre[] = "/proc/self/task/";
    char *p = out;
    for (const char *s = pre; *s; s++)
        *p++ = *s;
    p = put_dec(p, (uint64_t)tid);
    *p++ = '/';
    while (*file)
        *p++ = *file++;
    *p = 0;
}

/* Up to len - 1 bytes of a small /proc file; -1 when it cannot be read. */
WH_RT static ssize_t read_small(const char *path, char *buf, size_t len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t n = 0;
    while (n + 1 < len) {
        ssize_t r = read(fd, buf + n, len - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = 0;
    return (ssize_t)n;
}

WH_RT void wh_thread_name(int tid, char *name, size_t len) {
    char b[32];
    name[0] = 0;
    /* Our own name needs no /proc (which a chroot may lack). */
    if (tid == wh_gettid() && prctl(PR_GET_NAME, b) == 0) {
        b[16] = 0;
    } else {
        char path[64];
        task_path(path, tid, "comm");
        if (read_small(path, b, sizeof b) < 0)
            return;
    }
    size_t i = 0;
    for (; b[i] && b[i] != '\n' && i + 1 < len; i++) {
        unsigned char c = (unsigned char)b[i];
        name[i] = c < 0x20 || c == '"' || c == 0x7f ? '?' : (char)c;
    }
    name[i] = 0;
}

WH_RT void wh_put_thread(struct wh_buf *w, int tid) {
    char name[32];
    wh_thread_name(tid, name, sizeof name);
    wh_buf_str(w, "thread ");
    wh_buf_dec(w, (uint64_t)tid);
    wh_buf_str(w, " \"");
    wh_buf_str(w, name);
    wh_buf_str(w, "\"");
}

/* ---- asking a thread ------------------------------------------------------------------ */

/* The calling thread's stack into slot s: from the context ucv, else from
 * frame pointer fp; the walk's end kept in the slot.  The thread's own
 * wh_walk_end is left as it was (a dump may have interrupted a walk of its
 * own, and a dump is no whence_callers for whence_callers_end). */
WH_RT static void slot_walk(struct tq_slot *s, const void *ucv, uintptr_t fp) {
    struct wh_trace_sink sink = {.t = &s->t, .skip = 0};
    uint8_t end = wh_walk_end;
    wh_walk_end = 0;
    if (ucv) {
        struct wh_regs r;
        wh_regs_of(ucv, &r);
        wh_walk_context(&r, wh_trace_emit, &sink);
    } else {
        wh_walk_fp(fp, wh_trace_emit, &sink);
    }
    s->end = wh_walk_end;
    wh_walk_end = end;
}

WH_RT __attribute__((noinline)) static void tq_work(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    int saved = errno;
    struct tq_table *tab = atomic_load_explicit(&wh_tq, memory_order_acquire);
    if (tab && si->si_pid == getpid()) {
        uint64_t token = (uint64_t)(uintptr_t)si->si_value.sival_ptr;
        uint64_t seq = token / (WH_TQ_SLOTS + 1);
        struct tq_slot *s = &tab->slot[token % (WH_TQ_SLOTS + 1)];
        uint64_t want = seq << 2 | TQ_ASKED;
        if (atomic_compare_exchange_strong(&s->state, &want, seq << 2 | TQ_BUSY)) {
            wh_signal_depth++;
            slot_walk(s, ucv, 0);
            wh_signal_depth--;
            atomic_store_explicit(&s->state, seq << 2 | TQ_DONE, memory_order_release);
            atomic_fetch_add_explicit(&wh_tq_answers, 1, memory_order_release);
            syscall(SYS_futex, &wh_tq_answers, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
        }
    }
    errno = saved;
}

/* Handlers answering now: a thread still inside its answer to the last
 * dump has the signal blocked, and the next dump, right after, listed it
 * as "not answering (signal blocked)" (tq_settle). */
static _Atomic uint32_t wh_tq_inside;

/* (a small frame; the walk on a stack of whence's own when the alternate
 * stack is short: farstack.c) */
WH_RT static void tq_handler(int sig, siginfo_t *si, void *ucv) {
    if (!si || si->si_code != SI_QUEUE || !ucv || si->si_value.sival_ptr == WH_TQ_PROBE)
        return;
    if (!wh_thread_pointer(ucv))
        return; /* (no TLS to walk with: listed as not answering) */
    atomic_fetch_add_explicit(&wh_tq_inside, 1, memory_order_acq_rel);
    wh_handler_run(WH_ALTSTACK_MIN, tq_work, sig, si, ucv);
    atomic_fetch_sub_explicit(&wh_tq_inside, 1, memory_order_acq_rel);
}

/* Waits (at most 50 ms) for the handlers still answering an earlier dump
 * to return; true when there were any. */
WH_RT static bool tq_settle(void) {
    if (!atomic_load_explicit(&wh_tq_inside, memory_order_acquire))
        return false;
    struct timespec ts = {0, 100000};
    for (int i = 0; i < 500 && atomic_load_explicit(&wh_tq_inside, memory_order_acquire); i++)
        nanosleep(&ts, NULL);
    nanosleep(&ts, NULL); /* (its return from the handler, after the count) */
    return true;
}

/* The signal threads are asked with: claimed (and its handler installed)
 * on first use; 0 when every candidate is taken by the program. */
WH_RT static bool is_tq(const struct sigaction *a) {
    return (a->sa_flags & SA_SIGINFO) && a->sa_sigaction == tq_handler;
}

/* Signal sig's handler is still tq_handler. */
WH_RT static bool tq_ours(int sig) {
    struct sigaction cur;
    return sigaction(sig, NULL, &cur) == 0 && is_tq(&cur);
}

WH_RT static int tq_signal(void) {
    int sig = atomic_load_explicit(&wh_tq_sig, memory_order_acquire);
    /* (one that another handler has taken since, as Go's runtime takes
     * every real-time signal when it starts, asks no thread: each was
     * listed "not answering", helper-101; another is claimed, if any is
     * free) */
    if (sig && tq_ours(sig))
        return sig;
    while (atomic_exchange_explicit(&wh_tq_claiming, 1, memory_order_acquire)) {
        struct timespec ts = {0, 100000};
        nanosleep(&ts, NULL);
    }
    sig = atomic_load_explicit(&wh_tq_sig, memory_order_acquire);
    if (sig && !tq_ours(sig)) {
        sig = 0;
        atomic_store_explicit(&wh_tq_sig, 0, memory_order_release);
    }
    for (int s = SIGRTMAX; !sig && s > SIGRTMAX - 8 && s > SIGRTMIN; s--) {
        struct sigaction cur;
        if (sigaction(s, NULL, &cur) != 0)
            continue;
        /* (one whose handler is ours already: claimed before, taken by
         * another handler, then given back; helper-102 saw all eight
         * candidates so, and every dump refused) */
        if (is_tq(&cur)) {
            sig = s;
            atomic_store_explicit(&wh_tq_sig, sig, memory_order_release);
            break;
        }
        if ((cur.sa_flags & SA_SIGINFO) || cur.sa_handler != SIG_DFL)
            continue;
        struct sigaction sa = {0};
        sa.sa_sigaction = tq_handler;
        sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        /* (a SIGQUIT for the process goes to a thread not answering: the
         * quit handler, run inside an answer, waited for the dump that
         * answer was part of; helper-106) */
        sigaddset(&sa.sa_mask, SIGQUIT);
        if (sigaction(s, &sa, NULL) != 0)
            continue;
        /* A signal that cannot be sent is no use: qemu-user (7.2) accepts
         * handlers for the last two real-time signals but refuses to send
         * them (EINVAL).  A probe to this thread tells.  It is sent
         * blocked and taken back with sigtimedwait, so it is never
         * delivered: a debugger sees no signal (gdb stops at every
         * real-time signal delivered, and a program that installs the
         * quit handler stopped at start-up with "SIG64"). */
        siginfo_t si = {0};
        si.si_signo = s;
        si.si_code = SI_QUEUE;
        si.si_pid = getpid();
        si.si_uid = getuid();
        si.si_value.sival_ptr = WH_TQ_PROBE;
        sigset_t one, old;
        sigemptyset(&one);
        sigaddset(&one, s);
        pthread_sigmask(SIG_BLOCK, &one, &old);
        bool refused =
            syscall(SYS_rt_tgsigqueueinfo, getpid(), (int)syscall(SYS_gettid), s, &si) != 0 &&
            errno == EINVAL;
        if (!refused) {
            struct timespec zero = {0, 0};
            siginfo_t got;
            while (sigtimedwait(&one, &got, &zero) < 0 && errno == EINTR) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (refused) {
            sigaction(s, &cur, NULL);
            continue;
        }
        sig = s;
        atomic_store_explicit(&wh_tq_sig, sig, memory_order_release);
    }
    atomic_store_explicit(&wh_tq_claiming, 0, memory_order_release);
    return sig;
}

WH_RT static const char *skip_to(const char *p, const char *key) {
    for (; *p; p++) {
        const char *a = p, *k = key;
        while (*k && *a == *k)
            a++, k++;
        if (!*k)
            return a;
    }
    return NULL;
}

/* Whether a thread can answer at all, from its status file. */
WH_RT static int tq_check(int tid, int sig) {
    char path[64], b[4096];
    task_path(path, tid, "status");
    if (read_small(path, b, sizeof b) < 0)
        return errno == ENOENT ? WHY_GONE : WHY_OK;
    const char *p = skip_to(b, "\nState:\t");
    if (p && *p == 't')
        return WHY_TRACED;
    if (p && *p == 'T')
        return WHY_STOPPED;
    if (p && (*p == 'Z' || *p == 'X'))
        return WHY_GONE;
    p = skip_to(b, "\nSigBlk:\t");
    if (p) {
        uint64_t m = 0;
        for (int i = 0; i < 16; i++, p++) {
            int c = *p;
            int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (v < 0)
                return WHY_OK; /* not the format we know: just ask */
            m = m << 4 | (uint64_t)v;
        }
        if (m >> (sig - 1) & 1)
            return WHY_BLOCKED;
    }
    return WHY_OK;
}

WH_RT static int tq_send(int tid, int sig, uint64_t token) {
    siginfo_t si = {0};
    si.si_signo = sig;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_ptr = (void *)(uintptr_t)token;
    if (syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, sig, &si) != 0)
        return errno == ESRCH ? WHY_GONE : WHY_SEND;
    return WHY_OK;
}

WH_RT static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

WH_RT static void nap(long ns) {
    struct timespec ts = {0, ns};
    nanosleep(&ts, NULL);
}

/* ---- printing -------------------------------------------------------------------------- */

/* A walk that ended before the stack did says so after the frames (as
 * whence_write_stack does): the note was dropped, and such a stack read as
 * complete, or one with no instrumented frame reached as having none
 * (helper-121). */
WH_RT static void print_thread(struct wh_buf *w, int tid, int why, struct wh_trace *t,
                               uint8_t end) {
    static const char *const text[] = {
        [WHY_BLOCKED] = ": not answering (signal blocked)\n",
        [WHY_STOPPED] = ": not answering (stopped)\n",
        [WHY_TRACED] = ": not answering (stopped by a tracer)\n",
        [WHY_NOSLOT] = ": not asked (every request slot is busy)\n",
        [WHY_SEND] = ": not asked (the signal could not be sent)\n",
        [WHY_SILENT] = ": not answering\n",
    };
    wh_put_thread(w, tid);
    if (why != WHY_OK) {
        wh_buf_str(w, text[why]);
    } else {
        wh_buf_str(w, ":\n");
        if (!t->seen)
            wh_buf_str(w, end ? "(no frames in instrumented code before the walk ended)\n"
                              : "(no frames in instrumented code)\n");
        wh_trace_finish(t, w);
        wh_put_walk_end(w, end);
    }
    wh_buf_str(w, "\n");
    wh_buf_flush(w);
}

WH_RT static void slot_begin(struct tq_slot *s, int tid, uint32_t limit) {
    s->tid = tid;
    wh_trace_init(&s->t, limit, NULL, s->inner, WH_TQ_INNER, s->ring, WH_OUTER_MAX);
}

/* Asks tids[0..n) for their stacks and prints them; returns how many were
 * printed (threads that exited meanwhile are not). */
WH_RT static int tq_batch(struct tq_table *tab, int sig, const int *tids, int n,
                          struct wh_buf *w, uint32_t limit) {
    struct tq_slot *slot[WH_TQ_SLOTS];
    int why[WH_TQ_SLOTS];
    uint64_t seqs[WH_TQ_SLOTS];
    uint32_t next = 1;
    for (int i = 0; i < n; i++) {
        /* A slot whose late answer is still being written stays out. */
        while (next <= WH_TQ_SLOTS &&
               (atomic_load_explicit(&tab->slot[next].state, memory_order_acquire) & 3) ==
                   TQ_BUSY)
            next++;
        seqs[i] = 0;
        slot[i] = NULL;
        why[i] = next <= WH_TQ_SLOTS ? tq_check(tids[i], sig) : WHY_NOSLOT;
        if (why[i] == WHY_BLOCKED && tq_settle())
            why[i] = tq_check(tids[i], sig);
        /* A thread on its way out of its answer to the last dump (the
         * count is down, its sigreturn not done: the signal still blocked)
         * or in a tracer's stop for a moment (strace's, at each system
         * call) is asked again, for 1 ms at most (helper-106: threads that
         * never block the signal were listed "signal blocked"). */
        for (int k = 0; k < 10 && (why[i] == WHY_BLOCKED || why[i] == WHY_TRACED); k++) {
            nap(100000);
            why[i] = tq_check(tids[i], sig);
        }
        if (why[i] != WHY_OK)
            continue;
        struct tq_slot *s = slot[i] = &tab->slot[next++];
        slot_begin(s, tids[i], limit);
        uint64_t seq = atomic_fetch_add(&wh_tq_seq, 1) + 1;
        atomic_store_explicit(&s->state, seq << 2 | TQ_ASKED, memory_order_seq_cst);
        why[i] = tq_send(tids[i], sig, seq * (WH_TQ_SLOTS + 1) + (uint64_t)(s - tab->slot));
        if (why[i] == WHY_OK)
            seqs[i] = seq;
        else
            atomic_store_explicit(&s->state, TQ_IDLE, memory_order_relaxed);
    }
    /* Sleep until an answer comes (or 10 ms pass), check, again. */
    uint64_t deadline = now_ns() + WH_TQ_WAIT_NS;
    for (;;) {
        uint32_t seen = atomic_load_explicit(&wh_tq_answers, memory_order_acquire);
        bool all = true;
        for (int i = 0; i < n && all; i++)
            if (seqs[i] && atomic_load_explicit(&slot[i]->state, memory_order_acquire) !=
                               (seqs[i] << 2 | TQ_DONE))
                all = false;
        if (all || now_ns() > deadline)
            break;
        struct timespec ts = {0, 10000000};
        syscall(SYS_futex, &wh_tq_answers, FUTEX_WAIT_PRIVATE, seen, &ts, NULL, 0);
    }
    int printed = 0;
    for (int i = 0; i < n; i++) {
        if (seqs[i]) {
            uint64_t st = seqs[i] << 2 | TQ_ASKED;
            if (atomic_compare_exchange_strong(&slot[i]->state, &st, TQ_IDLE)) {
                why[i] = WHY_SILENT; /* withdrawn: a late signal finds nothing */
            } else {
                /* Answering right now: a walk takes microseconds. */
                for (int k = 0; k < 100 && (st & 3) == TQ_BUSY; k++) {
                    nap(1000000);
                    st = atomic_load_explicit(&slot[i]->state, memory_order_acquire);
                }
                if ((st & 3) != TQ_DONE)
                    why[i] = WHY_SILENT; /* the slot stays busy until it is done */
            }
        }
        if (why[i] == WHY_GONE)
            continue;
        /* (counted when written: the count is of threads printed) */
        wh_write_dropped = false;
        print_thread(w, tids[i], why[i], slot[i] ? &slot[i]->t : NULL, slot[i] ? slot[i]->end : 0);
        wh_buf_flush(w);
        printed += !wh_write_dropped;
    }
    return printed;
}

/* ---- the dump ------------------------------------------------------------------------------ */

/* Becomes the one dumping thread; 0 or a negative errno. */
WH_RT static int tq_lock(int me) {
    for (int i = 0;; i++) {
        int owner = 0;
        if (atomic_compare_exchange_strong(&wh_tq_owner, &owner, me))
            return 0;
        if (owner == me)
            return -EDEADLK;
        if (wh_tid_gone(owner)) { /* held by a thread of the parent of a fork */
            atomic_compare_exchange_strong(&wh_tq_owner, &owner, 0);
            continue;
        }
        if (i >= 10000) /* ten seconds: the other dump is stuck */
            return -EBUSY;
        nap(1000000);
    }
}

WH_RT int wh_cancel_off(void) {
    int old = PTHREAD_CANCEL_ENABLE;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
    return old;
}

WH_RT void wh_cancel_restore(int old) {
    if (old != PTHREAD_CANCEL_DISABLE)
        pthread_setcancelstate(old, NULL);
}

WH_RT bool wh_async_off(sigset_t *old) {
    sigset_t async;
    sigfillset(&async);
    static const int faults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT};
    for (size_t i = 0; i < sizeof faults / sizeof *faults; i++)
        sigdelset(&async, faults[i]);
    return pthread_sigmask(SIG_BLOCK, &async, old) == 0;
}

WH_RT void wh_async_restore(bool off, const sigset_t *old) {
    if (off)
        pthread_sigmask(SIG_SETMASK, old, NULL);
}

WH_RT static int threads_prepare(void) {
    if (!tq_signal())
        return EBUSY;
    if (!atomic_load_explicit(&wh_tq, memory_order_acquire)) {
        int e = tq_lock(wh_gettid());
        if (e)
            return -e;
        if (!atomic_load_explicit(&wh_tq, memory_order_acquire)) {
            struct tq_table *tab = wh_map(sizeof *tab);
            if (tab)
                atomic_store_explicit(&wh_tq, tab, memory_order_release);
        }
        atomic_store_explicit(&wh_tq_owner, 0, memory_order_release);
        if (!atomic_load_explicit(&wh_tq, memory_order_acquire))
            return ENOMEM;
    }
    return 0;
}

WH_RT int wh_threads_prepare(void) {
    int c = wh_cancel_off();
    int e = threads_prepare();
    wh_cancel_restore(c);
    return e;
}

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

WH_RT static int all_stacks(int fd, const void *ucv, uintptr_t fp);

WH_RT int wh_all_stacks(int fd, const void *ucv, uintptr_t fp) {
    int c = wh_cancel_off();
    int e = all_stacks(fd, ucv, fp);
    wh_cancel_restore(c);
    return e;
}

__thread bool wh_dump_wrote_self;

WH_RT static int all_stacks(int fd, const void *ucv, uintptr_t fp) {
    wh_dump_wrote_self = false;
    /* (a descriptor not open for writing, or a directory's: nothing
     * could be written, and the count said it was: helper-115) */
    int fl = fd < 0 ? -1 : fcntl(fd, F_GETFL);
    struct stat st;
    if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY || (fl & O_PATH) ||
        (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)))
        return -EBADF;
    wh_check_built();
    int me = wh_gettid();
    int e = tq_lock(me);
    if (e)
        return e;
    struct tq_table *tab = atomic_load_explicit(&wh_tq, memory_order_acquire);
    if (!tab) {
        tab = wh_map(sizeof *tab);
        if (!tab) {
            /* (said: a SIGQUIT dump has no return value to tell) */
            struct wh_buf w = {.fd = fd};
            wh_buf_str(&w, "whence: out of memory: no stack printed (the dump's table of "
                           "answers could not be mapped)\n");
            wh_buf_flush(&w);
            atomic_store_explicit(&wh_tq_owner, 0, memory_order_release);
            return -ENOMEM;
        }
        atomic_store_explicit(&wh_tq, tab, memory_order_release);
    }
    uint32_t limit = wh_stack_depth();
    if (!limit)
        limit = WH_TQ_FRAMES;
    struct wh_buf w = {.fd = fd};

    /* A seccomp filter the program installed may kill it for an openat
     * (sandbox.c): a line table, /proc/self/task.  The dump was its end. */
    bool refused = wh_opens_refused();
    if (refused)
        wh_lines_no_open();
    /* The calling thread, from where it was (before anything else runs). */
    struct tq_slot *self = &tab->slot[0];
    slot_begin(self, me, limit);
    slot_walk(self, ucv, fp);
    wh_write_dropped = false;
    print_thread(&w, me, WHY_OK, &self->t, self->end);
    wh_buf_flush(&w);
    wh_dump_wrote_self = true;
    int printed = !wh_write_dropped;

    int sig = tq_signal();
    /* (another namespace's /proc: its ids were signalled as ours, and
     * one thread's stack was printed under another's id and name) */
    bool foreign = !refused && !wh_proc_ns_ours();
    int dir = refused || foreign ? -1
                                 : open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int result = 0;
    if (!sig)
        result = -EBUSY;
    else if (refused)
        result = -EPERM;
    else if (foreign)
        result = -ESRCH;
    else if (dir < 0)
        result = -errno;
    int tids[WH_TQ_SLOTS], n = 0;
    char dents[2048] __attribute__((aligned(8)));
    while (result == 0) {
        long got = syscall(SYS_getdents64, dir, dents, sizeof dents);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            result = -errno;
        if (got <= 0)
            break;
        for (long off = 0; off < got;) {
            const struct linux_dirent64 *d = (const void *)(dents + off);
            off += d->d_reclen;
            int tid = wh_task_tid(d->d_name);
            if (!tid || tid == me)
                continue; /* ".", "..", ourselves */
            tids[n++] = tid;
            if (n == WH_TQ_SLOTS) {
                printed += tq_batch(tab, sig, tids, n, &w, limit);
                n = 0;
            }
        }
    }
    if (n)
        printed += tq_batch(tab, sig, tids, n, &w, limit);
    if (dir >= 0)
        close(dir);
    if (result) {
        /* The other threads, if any, were not all listed: say so rather
         * than print a dump that reads as the whole process (a SIGQUIT
         * dump has no return value to tell). */
        if (result == -EBUSY) {
            wh_buf_str(&w, "other threads: not asked (no real-time signal is free)\n\n");
        } else if (refused) {
            wh_buf_str(&w, "other threads: not listed (a seccomp filter is active: "
                           "/proc/self/task was not opened)\n\n");
        } else if (foreign) {
            wh_buf_str(&w, "other threads: not listed (/proc is another PID namespace's: "
                           "its thread ids are not this process's)\n\n");
        } else {
            wh_buf_str(&w, "other threads: not listed (/proc/self/task cannot be read: errno ");
            wh_buf_dec(&w, (uint64_t)-result);
            wh_buf_str(&w, ")\n\n");
        }
        wh_buf_flush(&w);
    }
    atomic_store_explicit(&wh_tq_owner, 0, memory_order_release);
    return result ? result : printed;
}

WH_EXPORT WH_RT WH_CAPTURE int whence_write_all_stacks(int fd) {
    if (wh_too_early())
        return -EAGAIN;
    return wh_all_stacks(fd, NULL, (uintptr_t)__builtin_frame_address(0));
}
