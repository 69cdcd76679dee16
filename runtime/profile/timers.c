/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * timers.c - what makes the samples: one CPU-time timer per thread.
 *
 * Each thread gets a POSIX timer on its own CPU clock (the clock id of
 * pthread_getcpuclockid, made from the thread id, so the collector can
 * create it for another thread of the process) that sends SIGPROF to that
 * very thread (SIGEV_THREAD_ID) every period of CPU time it uses, with the
 * session in si_value.  This is what Go does since 1.18, and why:
 *
 *   - setitimer(ITIMER_PROF) counts the CPU time of the whole process and
 *     the kernel keeps at most one SIGPROF pending for it: a process that
 *     runs on more cores than about hz/250 loses samples (Go issue 35057),
 *     and which thread receives the signal is the kernel's choice;
 *   - a per-thread timer measures exactly its thread's time and delivers to
 *     it, however many threads run at once; a signal that cannot be
 *     delivered in time shows up as the timer's overrun, which is counted.
 *
 * No interposition: the collector thread lists /proc/self/task.  Every
 * tick (10 ms) it compares the directory's link count (2 + the number of
 * threads) with the last one and lists the threads when it changed, and at
 * least every 100 ms in any case (a thread that ended while another
 * started); new threads get a timer, ended ones lose theirs.  A thread is
 * therefore sampled from at most about 10 ms after it starts; one that
 * lives less than that may not be.  Once a second each timer is asked
 * whether it is still armed: the timer of a thread that ended reads
 * disarmed, so a new thread that reused its id gets a timer of its own.
 *
 * The setitimer fallback (WHENCE_CPUPROFILE_TIMER=itimer, or when the
 * kernel refuses per-thread timers) needs none of this.
 */
#define _GNU_SOURCE
#include "profile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define WH_LIST_EVERY_NS (100 * 1000000LL)
#define WH_CHECK_EVERY_NS (1000 * 1000000LL)

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

/* A timer for tid: its id, or -1 (the thread ended, or no timer). */
WH_RT static int timer_for(struct wh_pr_timers *t, int tid, int *err) {
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = SIGPROF;
    sev.sigev_value.sival_ptr = (void *)(uintptr_t)t->cookie;
    sev._sigev_un._tid = tid;
    int id = -1;
    if (syscall(SYS_timer_create, thread_clock(tid), &sev, &id) != 0) {
        if (err)
            *err = errno;
        return -1;
    }
    /* The first expiry at a random point of the first period, so that
     * threads started together are not sampled in step. */
    long first = 1 + (long)(next_rand(t) % (uint64_t)t->period_ns);
    struct itimerspec its = {
        .it_interval = {t->period_ns / 1000000000, t->period_ns % 1000000000},
        .it_value = {first / 1000000000, first % 1000000000},
    };
    if (syscall(SYS_timer_settime, id, 0, &its, NULL) != 0) {
        if (err)
            *err = errno;
        syscall(SYS_timer_delete, id);
        return -1;
    }
    return id;
}

WH_RT static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
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
    char buf[4096] __attribute__((aligned(8)));
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
            int tid = 0;
            const char *c = d->d_name;
            for (; *c >= '0' && *c <= '9' && tid < 1 << 27; c++)
                tid = tid * 10 + (*c - '0');
            if (*c || tid <= 0 || tid == t->skip_tid)
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
    qsort(t->tids, t->ntids, sizeof *t->tids, cmp_int);
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
            int id = timer_for(t, t->tids[j], &err);
            if (id >= 0)
                t->t[k++] = (struct wh_pr_timer){t->tids[j], id};
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
    const char *e = getenv("WHENCE_CPUPROFILE_TIMER");
    return e && strcmp(e, "itimer") == 0;
}

WH_RT static int itimer_arm(long period_ns) {
    struct itimerval it = {
        .it_interval = {period_ns / 1000000000, (period_ns % 1000000000) / 1000},
        .it_value = {period_ns / 1000000000, (period_ns % 1000000000) / 1000},
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

WH_RT int wh_pr_timers_start(struct wh_pr_timers *t, long period_ns, uint64_t cookie) {
    t->period_ns = period_ns;
    t->cookie = cookie;
    t->rng = (uint64_t)mono_ns() * 0x9e3779b97f4a7c15ull | 1;
    t->dirfd = -1;
    if (!want_itimer()) {
        /* Per-thread timers if the kernel gives us one for this thread. */
        int err = 0, id = timer_for(t, wh_gettid(), &err);
        if (id >= 0) {
            syscall(SYS_timer_delete, id);
            t->dirfd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (t->dirfd >= 0) {
                struct stat st;
                t->nlink = fstat(t->dirfd, &st) == 0 ? st.st_nlink : 0;
                if (list_threads(t)) {
                    t->last_list = t->last_check = mono_ns();
                    return sync_timers(t) == ENOMEM ? ENOMEM : 0;
                }
                close(t->dirfd);
                t->dirfd = -1;
            }
        }
    }
    t->itimer = 1;
    atomic_store(&wh_pr_itimer, 1); /* before the first signal */
    return itimer_arm(period_ns);
}

/* Timers that read disarmed belong to threads that ended (maybe a new
 * thread has their id): they are deleted, and the next listing gives the
 * id, if it is in use, a timer of its own. */
WH_RT static bool check_armed(struct wh_pr_timers *t) {
    bool gone = false;
    uint32_t k = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        struct itimerspec its;
        if (syscall(SYS_timer_gettime, t->t[i].id, &its) == 0 &&
            !its.it_value.tv_sec && !its.it_value.tv_nsec) {
            syscall(SYS_timer_delete, t->t[i].id);
            gone = true;
            continue;
        }
        t->t[k++] = t->t[i];
    }
    t->n = k;
    return gone;
}

WH_RT void wh_pr_timers_tick(struct wh_pr_timers *t, int64_t now) {
    if (t->itimer || t->dirfd < 0)
        return;
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

WH_RT void wh_pr_timers_stop(struct wh_pr_timers *t) {
    if (t->itimer) {
        struct itimerval off;
        memset(&off, 0, sizeof off);
        setitimer(ITIMER_PROF, &off, NULL);
    }
    for (uint32_t i = 0; i < t->n; i++)
        syscall(SYS_timer_delete, t->t[i].id);
    t->n = 0;
    wh_pr_timers_forget(t);
}

WH_RT void wh_pr_timers_forget(struct wh_pr_timers *t) {
    if (t->dirfd >= 0)
        close(t->dirfd);
    wh_unmap(t->t, (size_t)t->cap * sizeof *t->t);
    wh_unmap(t->tids, (size_t)t->captids * sizeof *t->tids);
    memset(t, 0, sizeof *t);
    t->dirfd = -1;
}
