/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * timers.c - what makes the samples: one CPU-time timer per thread.
 *
 * Each thread gets a POSIX timer on its own CPU clock (the clock id of
 * pthread_getcpuclockid, made from the thread id, so that any thread can
 * create it for any other thread of the process) that sends SIGPROF to
 * that very thread (SIGEV_THREAD_ID) every period of CPU time it uses,
 * with the session in si_value.  This is what Go does since 1.18, and why:
 *
 *   - setitimer(ITIMER_PROF) counts the CPU time of the whole process and
 *     the kernel keeps at most one SIGPROF pending for it: a process that
 *     runs on more cores than about hz/250 loses samples (Go issue 35057),
 *     and which thread receives the signal is the kernel's choice;
 *   - a per-thread timer measures exactly its thread's time and delivers to
 *     it, however many threads run at once; expirations that could not be
 *     signalled separately (CPU timers expire on the scheduler's tick)
 *     come as the signal's overrun, which the handler counts.
 *
 * New threads, without interposing anything and without a thread of our
 * own: a sample's handler scans when the samples since the last scan
 * stand for 10 ms of CPU time (the pace of the process's CPU clock, however
 * many threads run): it compares the link count of /proc/self/task (2 + the number of
 * threads) with the last one and lists the threads when it changed, and at
 * least every 100 ms in any case (a thread that ended while another
 * started); new threads get a timer, ended ones lose theirs.  When no
 * thread with a timer runs, no sample comes, so one more timer, on the
 * process's CPU clock, sends SIGPROF marked as a scan after 50 ms of CPU
 * time the process used without a scan (each scan pushes it back; five
 * sampling periods below 100 Hz): since
 * the process clock counts the new thread's time too, a thread is sampled
 * from at most about 50 ms of the process's CPU time after it starts, even
 * when every other thread is blocked; one that lives less than that may
 * not be.  That timer is the fallback, not the rule, because its signal
 * is process-directed: the kernel gives it to the running thread only if
 * that one has no signal pending, and the running thread's own timer
 * expires on the same ticks; else it goes to another thread, one asleep
 * too.  Fired every 10 ms, it ended the main thread's poll, select or
 * nanosleep with EINTR several times a second while others computed
 * (lit/profile/eintr.c).  Once a second each timer is asked
 * whether it is still armed: the timer of a thread that ended reads
 * disarmed, so a new thread that reused its id gets a timer of its own.
 * All of it is system calls and memory from mmap: signal-safe.  A scan
 * takes the table's lock with a try (a scan running elsewhere makes this
 * one unnecessary); start and stop wait for it.
 *
 * A thread that blocks SIGPROF takes none of its timer's signals (GLib's
 * worker thread blocks every signal): each timer's si_value carries a
 * cell of wh_pr_cells that the handler adds the periods of its signals
 * to, and the stop reads each live thread's CPU clock against it
 * (unsampled): what no signal stood for is that thread's unsampled time,
 * which the profile shows as such.
 *
 * The setitimer fallback (WHENCE_CPUPROFILE_TIMER=itimer, or when the
 * kernel refuses per-thread timers, or /proc/self/task cannot be read: no
 * /proc, no file descriptor left) needs none of this; its signals come at
 * most once a tick, each weighed by the process's CPU time since the last
 * (handler.c).
 */
#define _GNU_SOURCE
#include "profile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define WH_LIST_EVERY_NS (100 * 1000000LL)
#define WH_CHECK_EVERY_NS (1000 * 1000000LL)
/* The process's CPU time without a scan before the fallback timer asks
 * for one: 50 ms, or five sampling periods at low rates. */
#define WH_FALLBACK_NS(period) ((period) > 10000000L ? 5 * (period) : 50000000L)

struct wh_pr_timers wh_pr_timers = {.dirfd = -1, .scan_id = -1};
_Atomic uint64_t *_Atomic wh_pr_cells;

WH_RT bool wh_pr_timers_trylock(struct wh_pr_timers *t) {
    int z = 0;
    return atomic_compare_exchange_strong_explicit(&t->lock, &z, 1, memory_order_acquire,
                                                   memory_order_relaxed);
}

WH_RT void wh_pr_timers_unlock(struct wh_pr_timers *t) {
    atomic_store_explicit(&t->lock, 0, memory_order_release);
}

WH_RT static void timers_lock(struct wh_pr_timers *t) {
    while (!wh_pr_timers_trylock(t)) {
        struct timespec ts = {0, 100000};
        nanosleep(&ts, NULL);
    }
}

/* The CPU clock of thread tid (glibc's pthread_getcpuclockid:
 * MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)). */
static inline clockid_t thread_clock(int tid) {
    return (clockid_t)((~(unsigned)tid << 3) | 6);
}

WH_RT static uint64_t next_rand(struct wh_pr_timers *t) {
    t->rng ^= t->rng << 13;
    t->rng ^= t->rng >> 7;
    t->rng ^= t->rng << 17;
    return t->rng;
}

/* A timer on clock sending SIGPROF with cookie to thread tid (0: to the
 * process) every period_ns, first after first_ns: its id, or -1. */
WH_RT static int make_timer(clockid_t clock, int tid, uint64_t cookie, long period_ns,
                            long first_ns, int *err) {
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = tid ? SIGEV_THREAD_ID : SIGEV_SIGNAL;
    sev.sigev_signo = SIGPROF;
    sev.sigev_value.sival_ptr = (void *)(uintptr_t)cookie;
    sev._sigev_un._tid = tid;
    int id = -1;
    if (syscall(SYS_timer_create, clock, &sev, &id) != 0) {
        if (err)
            *err = errno;
        return -1;
    }
    struct itimerspec its = {
        .it_interval = {period_ns / 1000000000, period_ns % 1000000000},
        .it_value = {first_ns / 1000000000, first_ns % 1000000000},
    };
    if (syscall(SYS_timer_settime, id, 0, &its, NULL) != 0) {
        if (err)
            *err = errno;
        syscall(SYS_timer_delete, id);
        return -1;
    }
    return id;
}

/* The sampling timer of thread tid, its cell and the thread's CPU time
 * now into *out: false when it could not be made (the thread ended). */
WH_RT static bool timer_for(struct wh_pr_timers *t, int tid, int *err, struct wh_pr_timer *out) {
    /* The first expiry at a random point of the first period, so that
     * threads started together are not sampled in step. */
    long first = 1 + (long)(next_rand(t) % (uint64_t)t->period_ns) + t->hold_ns;
    _Atomic uint64_t *cells = atomic_load_explicit(&wh_pr_cells, memory_order_relaxed);
    uint32_t cell = cells && t->ncells + 1 < WH_PR_CELLS ? ++t->ncells : 0;
    if (cell)
        atomic_store_explicit(&cells[cell], 0, memory_order_relaxed);
    /* (the CPU time its first expiry is held back by is not expected to
     * be sampled: a forked child's first 50 ms) */
    struct timespec ts;
    int64_t cpu0 = clock_gettime(thread_clock(tid), &ts) == 0
                       ? (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec + t->hold_ns
                       : -1;
    int id = make_timer(thread_clock(tid), tid, t->cookie | (uint64_t)cell << 1, t->period_ns,
                        first, err);
    *out = (struct wh_pr_timer){tid, id, cell, cpu0};
    return id >= 0;
}

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* The thread ids of the process, sorted, into t->tids; false when the
 * listing failed. */
WH_RT static bool list_threads(struct wh_pr_timers *t) {
    if (lseek(t->dirfd, 0, SEEK_SET) != 0)
        return false;
    t->ntids = 0;
    char buf[2048] __attribute__((aligned(8)));
    for (;;) {
        long got = syscall(SYS_getdents64, t->dirfd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return false;
        if (got == 0)
            break;
        for (long off = 0; off < got;) {
            const struct linux_dirent64 *d = (const void *)(buf + off);
            off += d->d_reclen;
            int tid = wh_task_tid(d->d_name);
            if (!tid)
                continue;
            if (t->ntids == t->captids) {
                uint32_t cap = t->captids ? t->captids * 2 : 256;
                int *n = wh_map((size_t)cap * sizeof *n);
                if (!n)
                    return false;
                if (t->tids)
                    memcpy(n, t->tids, (size_t)t->ntids * sizeof *n);
                wh_unmap(t->tids, (size_t)t->captids * sizeof *n);
                t->tids = n;
                t->captids = cap;
            }
            t->tids[t->ntids++] = tid;
        }
    }
    /* Sorted (not with qsort, which may allocate); the kernel lists tasks
     * in order already, so this is one pass. */
    for (uint32_t i = 1; i < t->ntids; i++) {
        int v = t->tids[i];
        uint32_t j = i;
        for (; j > 0 && t->tids[j - 1] > v; j--)
            t->tids[j] = t->tids[j - 1];
        t->tids[j] = v;
    }
    return true;
}

WH_RT static bool reserve_timers(struct wh_pr_timers *t, uint32_t need) {
    if (need <= t->cap)
        return true;
    uint32_t cap = t->cap ? t->cap : 256;
    while (cap < need)
        cap *= 2;
    struct wh_pr_timer *n = wh_map((size_t)cap * sizeof *n);
    if (!n)
        return false;
    if (t->t)
        memcpy(n, t->t, (size_t)t->n * sizeof *n);
    wh_unmap(t->t, (size_t)t->cap * sizeof *n);
    t->t = n;
    t->cap = cap;
    return true;
}

/* Makes the timers match the listing: a merge of two sorted lists. */
WH_RT static int sync_timers(struct wh_pr_timers *t) {
    int err = 0;
    if (!reserve_timers(t, t->n + t->ntids))
        return ENOMEM;
    struct wh_pr_timer *old = t->t + t->ntids; /* the old list, moved up */
    memmove(old, t->t, (size_t)t->n * sizeof *old);
    uint32_t i = 0, j = 0, k = 0, nold = t->n;
    while (i < nold || j < t->ntids) {
        if (j >= t->ntids || (i < nold && old[i].tid < t->tids[j])) {
            syscall(SYS_timer_delete, old[i].id); /* the thread ended */
            i++;
        } else if (i >= nold || t->tids[j] < old[i].tid) {
            struct wh_pr_timer nt;
            if (timer_for(t, t->tids[j], &err, &nt))
                t->t[k++] = nt;
            j++;
        } else {
            t->t[k++] = old[i];
            i++, j++;
        }
    }
    t->n = k;
    return err;
}

WH_RT static bool want_itimer(void) {
    const char *e = secure_getenv("WHENCE_CPUPROFILE_TIMER");
    if (e && *e && strcmp(e, "itimer") != 0) {
        /* (said once per process: a start, not a signal handler) */
        static _Atomic bool said;
        if (!atomic_exchange(&said, true))
            fprintf(stderr, "whence: WHENCE_CPUPROFILE_TIMER=%s: not \"itimer\": "
                            "per-thread timers\n", e);
    }
    return e && strcmp(e, "itimer") == 0;
}

WH_RT static int itimer_arm(long period_ns, long hold_ns) {
    long first = period_ns + hold_ns;
    struct itimerval it = {
        .it_interval = {period_ns / 1000000000, (period_ns % 1000000000) / 1000},
        .it_value = {first / 1000000000, (first % 1000000000) / 1000},
    };
    if (!it.it_interval.tv_sec && !it.it_interval.tv_usec)
        it.it_interval.tv_usec = it.it_value.tv_usec = 1;
    return setitimer(ITIMER_PROF, &it, NULL) == 0 ? 0 : errno;
}

WH_RT static int64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

WH_RT int wh_pr_timers_start(struct wh_pr_timers *t, long period_ns, uint64_t cookie,
                             long hold_ns) {
    timers_lock(t);
    t->period_ns = period_ns;
    t->hold_ns = hold_ns; /* (the threads there are now; later ones start at once) */
    t->cookie = cookie;
    t->rng = (uint64_t)mono_ns() * 0x9e3779b97f4a7c15ull | 1;
    t->dirfd = -1;
    t->scan_id = -1;
    int e = 0;
    /* (another PID namespace's /proc lists ids no timer can be made for) */
    if (!want_itimer() && wh_proc_ns_ours()) {
        /* Per-thread timers if the kernel gives us one for this thread. */
        struct wh_pr_timer probe;
        if (!atomic_load(&wh_pr_cells)) {
            /* (address space only until threads' timers touch it) */
            _Atomic uint64_t *cells = wh_map(WH_PR_CELLS * sizeof *cells);
            atomic_store_explicit(&wh_pr_cells, cells, memory_order_release);
        }
        if (timer_for(t, wh_gettid(), NULL, &probe)) {
            syscall(SYS_timer_delete, probe.id);
            t->dirfd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            struct stat st;
            if (t->dirfd >= 0 && fstat(t->dirfd, &st) == 0 && list_threads(t)) {
                t->nlink = st.st_nlink;
                t->last_list = t->last_check = mono_ns();
                e = sync_timers(t) == ENOMEM ? ENOMEM : 0;
                t->hold_ns = 0;
                long fb = WH_FALLBACK_NS(period_ns);
                t->scan_id = make_timer(CLOCK_PROCESS_CPUTIME_ID, 0, cookie | WH_PR_SCAN, fb,
                                        fb + hold_ns, &e);
                wh_pr_timers_unlock(t);
                return e;
            }
            if (t->dirfd >= 0)
                close(t->dirfd);
            t->dirfd = -1;
        }
    }
    t->itimer = 1;
    struct timespec cpu;
    atomic_store(&wh_pr_itimer_cpu, clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0
                                        ? (int64_t)cpu.tv_sec * 1000000000 + cpu.tv_nsec
                                        : 0);
    atomic_store(&wh_pr_itimer, 1); /* before the first signal */
    t->hold_ns = 0;
    e = itimer_arm(period_ns, hold_ns);
    wh_pr_timers_unlock(t);
    return e;
}

/* Timers that read disarmed belong to threads that ended (maybe a new
 * thread has their id): they are deleted, and the next listing gives the
 * id, if it is in use, a timer of its own. */
WH_RT static bool check_armed(struct wh_pr_timers *t) {
    bool gone = false;
    uint32_t k = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        struct itimerspec its;
        if (syscall(SYS_timer_gettime, t->t[i].id, &its) == 0 && !its.it_value.tv_sec &&
            !its.it_value.tv_nsec) {
            syscall(SYS_timer_delete, t->t[i].id);
            gone = true;
            continue;
        }
        t->t[k++] = t->t[i];
    }
    t->n = k;
    return gone;
}

WH_RT void wh_pr_timers_scan(struct wh_pr_timers *t, int64_t now) {
    if (t->itimer || t->dirfd < 0)
        return;
    if (t->scan_id >= 0) {
        /* A scan: the process-wide timer's next expiry is pushed back. */
        long fb = WH_FALLBACK_NS(t->period_ns);
        struct itimerspec its = {{fb / 1000000000, fb % 1000000000},
                                 {fb / 1000000000, fb % 1000000000}};
        syscall(SYS_timer_settime, t->scan_id, 0, &its, NULL);
    }
    bool list = now - t->last_list >= WH_LIST_EVERY_NS;
    struct stat st;
    if (fstat(t->dirfd, &st) == 0 && st.st_nlink != t->nlink) {
        t->nlink = st.st_nlink;
        list = true;
    }
    if (now - t->last_check >= WH_CHECK_EVERY_NS) {
        t->last_check = now;
        if (check_armed(t))
            list = true;
    }
    if (list && list_threads(t)) {
        t->last_list = now;
        sync_timers(t);
    }
}

/* The periods of CPU time the threads of t's timers used without taking
 * their signals: a thread that blocks SIGPROF (GLib's worker thread) is
 * never sampled, and its timer's expirations stay one pending signal.
 * Each thread's CPU time since its timer was made, less what its signals
 * stood for, when more than the lag of a thread that takes them (its
 * first expiry up to a period late, the last ones up to a scheduler tick
 * late: at 1000 Hz with a 250 Hz tick, 5 periods) and the thread blocks
 * SIGPROF at the stop (blocks_sigprof: the lag of a thread that runs in
 * bursts is larger, and tid reuse mixes two threads' clocks).  A thread that blocked
 * it only for a while had the periods in between counted with the signal
 * that came when it unblocked it, at that stack.  A thread that ended
 * before the stop is not counted (its clock is gone). */
/* Whether thread tid blocks SIGPROF now (its SigBlk in
 * /proc/self/task/TID/status).  A thread that takes the signal can still
 * be many periods behind at the stop: its timer's expiries are found at
 * the ticks it runs through, and one that runs in bursts between them
 * (sleeps, yields) on a loaded machine was 3 to 63 periods behind at
 * 1000 Hz, read as blocked (helper-140).  Ordinary code (the stop). */
WH_RT static bool blocks_sigprof(int tid) {
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/self/task/%d/status", tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = 0;
    const char *p = strstr(buf, "\nSigBlk:");
    if (!p)
        return false;
    unsigned long long mask = strtoull(p + 8, NULL, 16);
    return (mask >> (SIGPROF - 1)) & 1;
}

WH_RT static uint64_t unsampled(const struct wh_pr_timers *t) {
    _Atomic uint64_t *cells = atomic_load_explicit(&wh_pr_cells, memory_order_acquire);
    int64_t p = t->period_ns;
    if (t->itimer || !cells || p <= 0)
        return 0;
    int64_t slack = 3 * p > 20000000 ? 3 * p : 20000000;
    uint64_t periods = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        const struct wh_pr_timer *e = &t->t[i];
        struct timespec ts;
        if (!e->cell || e->cpu0 < 0 || clock_gettime(thread_clock(e->tid), &ts) != 0)
            continue;
        int64_t used = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - e->cpu0;
        uint64_t took = atomic_load_explicit(&cells[e->cell], memory_order_relaxed);
        if (took > (uint64_t)(INT64_MAX / p))
            continue;
        int64_t left = used - (int64_t)took * p;
        if (left > slack && blocks_sigprof(e->tid))
            periods += (uint64_t)(left / p);
    }
    return periods;
}

WH_RT uint64_t wh_pr_timers_stop(struct wh_pr_timers *t, bool count) {
    timers_lock(t);
    uint64_t blocked = count ? unsampled(t) : 0;
    if (t->itimer) {
        struct itimerval off;
        memset(&off, 0, sizeof off);
        setitimer(ITIMER_PROF, &off, NULL);
    }
    if (t->scan_id >= 0)
        syscall(SYS_timer_delete, t->scan_id);
    for (uint32_t i = 0; i < t->n; i++)
        syscall(SYS_timer_delete, t->t[i].id);
    t->n = 0;
    wh_pr_timers_forget(t); /* (and unlocks) */
    return blocked;
}

WH_RT void wh_pr_timers_forget(struct wh_pr_timers *t) {
    if (t->dirfd >= 0)
        close(t->dirfd);
    wh_unmap(t->t, (size_t)t->cap * sizeof *t->t);
    wh_unmap(t->tids, (size_t)t->captids * sizeof *t->tids);
    memset(t, 0, sizeof *t);
    t->dirfd = -1;
    t->scan_id = -1;
}
