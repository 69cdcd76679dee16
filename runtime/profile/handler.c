/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * handler.c - the SIGPROF handler: one sample of the interrupted thread,
 * and the profiler's housekeeping, which has no thread of its own to run
 * on (profile.h): when a sample leaves the ring a quarter full, the
 * handler drains it into the raw stack table (raw.c), if no one else is
 * doing that; when the samples since the last look for new threads
 * (timers.c) stand for 10 ms of CPU time, it looks again; the
 * process-wide fallback timer's signal only looks.
 *
 * The stack comes from the interrupted context (wh_walk_context_all: the
 * frame-pointer walk of instrumented code, the CFI unwinder across other
 * code), innermost first, with the frames outside instrumented code kept
 * and tagged WH_PR_FOREIGN so that time spent in libc or in a library
 * built without the plugin is seen where it is spent.  The start code at
 * the bottom of a stack below the outermost instrumented frame
 * (__libc_start_call_main, _start, start_thread, clone, the loader's
 * _dl_start_user below an initializer: start_code) is
 * cut, as Go leaves its runtime's out; the program's own frames below an
 * instrumented library are kept (a preloaded malloc hook's caller).  A
 * stack with no instrumented frame at all is kept whole.
 *
 * A signal is recorded only when it belongs to the running session: from
 * one of its timers (SI_TIMER with the session in si_value) or, in the
 * setitimer fallback, from the kernel (SI_KERNEL).  Anything else (a stray
 * kill(SIGPROF), a timer of a stopped session still pending) is ignored,
 * which is also why the handler stays installed after a profile stops: a
 * late SIGPROF must not kill the process with the default action.
 *
 * No lock, no allocation: a CAS claims a ring slot and the walk writes into
 * it.  wh_pr_inflight lets whence_profile_stop wait for a handler that
 * loaded the session just before it was cleared.
 */
#define _GNU_SOURCE
#include "profile.h"

#include "../arch/arch.h"
#include "../dlfo.h"
#include "../unwind/cfi.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>
#include <ucontext.h>

_Atomic uint64_t wh_pr_session;
_Atomic int wh_pr_itimer;
_Atomic int64_t wh_pr_itimer_cpu; /* process CPU time the samples stand for, up to (ns) */
_Atomic uint32_t wh_pr_inflight;
_Atomic uint64_t wh_pr_dropped;
_Atomic uint64_t wh_pr_no_tp;
_Atomic uint64_t wh_pr_overrun;

struct sink {
    uintptr_t *pcs;
    uint32_t n, frames, last_whence;
    bool cut; /* full before the stack ended */
};

WH_RT static bool sink_emit(void *ctx, uintptr_t e, struct wh_pcinfo *pi) {
    struct sink *k = ctx;
    if (!pi->fn && pi->depth == 0) {
        k->pcs[k->n++] = e | WH_PR_FOREIGN;
    } else {
        k->pcs[k->n++] = e;
        if ((e & WH_TOKEN_LOC) && pi->ra)
            k->pcs[k->n++] = pi->ra | WH_PR_RA;
        k->last_whence = k->n;
    }
    k->cut = ++k->frames == WH_PR_DEPTH || k->n + 2 > WH_PR_WORDS;
    return !k->cut;
}

/* The foreign frames pcs[from, n) end the stack below its outermost
 * instrumented frame: the count left once the start code at its bottom is
 * cut.  Start code is the C library's (a dynamic program's start
 * functions, a thread's start_thread and clone), the dynamic loader's
 * (_dl_start_user, _dl_init and call_init below an initializer run at
 * start) and the program's entry;
 * in a static program, whose C library is in the program, every frame
 * between the outermost instrumented one and the entry (a static host's
 * own frames below an instrumented library go with it: telling them apart
 * takes the symbol table, too slow for a signal handler). */
WH_RT static uint32_t start_code(const uintptr_t *pcs, uint32_t from, uint32_t n) {
    uintptr_t entry = (uintptr_t)getauxval(AT_ENTRY);
    uint32_t k = n;
    bool at_entry = false, libc = false;
    while (k > from) {
        uintptr_t at = wh_token_insn(pcs[k - 1]);
        if (entry && at - entry < 64)
            at_entry = true;
        else if (wh_uw_in_libc(at) || wh_uw_in_loader(at))
            libc = true;
        else if (!wh_uw_in_self(at))
            break;
        k--;
    }
    if (k > from && at_entry && !libc) {
#ifdef WH_HAVE_DLFO
        struct dl_find_object a, b;
        if (!_dl_find_object || _dl_find_object((void *)entry, &b) != 0)
            return k;
        for (uint32_t i = from; i < k; i++) {
            if (_dl_find_object((void *)wh_token_insn(pcs[i]), &a) != 0 || a.dlfo_map_start != b.dlfo_map_start)
                return k;
        }
#endif
        return from;
    }
    return k;
}

enum { NOT_OURS, SAMPLE, SCAN };

/* The periods a setitimer signal stands for, the process's CPU time now
 * (1 at least), accounted to wh_pr_itimer_cpu (below). */
WH_RT static uint32_t itimer_weight(const struct timespec *ts) {
    int64_t p = wh_pr_timers.period_ns;
    if (p <= 0)
        return 1;
    int64_t now = (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
    int64_t acc = atomic_load_explicit(&wh_pr_itimer_cpu, memory_order_relaxed);
    int64_t k = now > acc ? (now - acc) / p : 0;
    if (k < 1)
        k = 1;
    if (k > 1000001)
        k = 1000001;
    atomic_fetch_add_explicit(&wh_pr_itimer_cpu, k * p, memory_order_relaxed);
    if (k > 1)
        atomic_fetch_add_explicit(&wh_pr_overrun, (uint64_t)(k - 1), memory_order_relaxed);
    return (uint32_t)k;
}

WH_RT static int kind(const siginfo_t *si, uint64_t sess) {
    if (!si)
        return NOT_OURS;
    if (atomic_load_explicit(&wh_pr_itimer, memory_order_relaxed))
        return si->si_code == SI_KERNEL ? SAMPLE : NOT_OURS;
    uint64_t v = (uint64_t)(uintptr_t)si->si_value.sival_ptr;
    if (si->si_code != SI_TIMER || v >> WH_PR_SESS_SHIFT != sess)
        return NOT_OURS;
    return v & WH_PR_SCAN ? SCAN : SAMPLE;
}

/* A thread's timer's signal stood for weight periods: counted in its cell
 * (profile.h), whatever becomes of the sample. */
WH_RT static void count_cell(const siginfo_t *si, uint32_t weight) {
    _Atomic uint64_t *cells = atomic_load_explicit(&wh_pr_cells, memory_order_acquire);
    uint32_t cell = (uint32_t)((uintptr_t)si->si_value.sival_ptr >> 1) & (WH_PR_CELLS - 1);
    if (cells && cell && si->si_code == SI_TIMER)
        atomic_fetch_add_explicit(&cells[cell], weight, memory_order_relaxed);
}

#define WH_SCAN_EVERY_NS 10000000LL /* of the sampled threads' CPU time */

/* CPU time the samples stood for since the last look for new threads. */
static _Atomic int64_t wh_pr_since_scan;

WH_RT static void scan(void) {
    if (!wh_pr_timers_trylock(&wh_pr_timers))
        return; /* a scan runs elsewhere, or start/stop does */
    atomic_store_explicit(&wh_pr_since_scan, 0, memory_order_relaxed);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    wh_pr_timers_scan(&wh_pr_timers, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
    wh_pr_timers_unlock(&wh_pr_timers);
}

/* After a sample standing for weight periods: a look for new threads when
 * the samples since the last one stand for 10 ms of CPU time, the pace of
 * the process's CPU clock (per-thread timers only: the setitimer fallback
 * needs none). */
WH_RT static void maybe_scan(uint32_t weight) {
    if (atomic_load_explicit(&wh_pr_itimer, memory_order_relaxed))
        return;
    int64_t d = (int64_t)weight * wh_pr_timers.period_ns;
    if (atomic_fetch_add_explicit(&wh_pr_since_scan, d, memory_order_relaxed) + d >=
        WH_SCAN_EVERY_NS)
        scan();
}

/* A quarter full: into the raw table, unless someone is at it already. */
WH_RT static void maybe_drain(struct wh_pr_ring *r, uint64_t sess) {
    if (atomic_load_explicit(&r->nfull, memory_order_relaxed) < WH_PR_SLOTS / 4 ||
        !wh_raw_trylock(&wh_pr_raw))
        return;
    wh_raw_drain(&wh_pr_raw, r, sess);
    wh_raw_unlock(&wh_pr_raw);
}

WH_RT __attribute__((noinline)) static void sigprof_work(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    int saved = errno;
    atomic_fetch_add_explicit(&wh_pr_inflight, 1, memory_order_seq_cst);
    uint64_t sess = atomic_load_explicit(&wh_pr_session, memory_order_seq_cst);
    struct wh_pr_ring *r;
    int what = sess && ucv ? kind(si, sess) : NOT_OURS;
    if (what == SCAN) {
        scan();
    } else if (what == SAMPLE && (r = wh_pr_ring_now()) != NULL) {
        /* CPU timers expire on the scheduler's tick: above its rate
         * (CONFIG_HZ, often 250) one signal stands for several periods,
         * and the sample counts for all of them. */
        uint32_t weight = 1;
        if (si->si_code == SI_TIMER && si->si_overrun > 0) {
            uint32_t ov = si->si_overrun < 1000000 ? (uint32_t)si->si_overrun : 1000000;
            weight += ov;
            atomic_fetch_add_explicit(&wh_pr_overrun, ov, memory_order_relaxed);
        } else if (atomic_load_explicit(&wh_pr_itimer, memory_order_relaxed)) {
            /* setitimer's signals say nothing of periods merged: the
             * process's CPU time does.  Above the tick's rate each stood
             * for several (at 1000 Hz a profile without /proc held a
             * quarter of the CPU time: helper-90).  The periods counted
             * so far are accounted to wh_pr_itimer_cpu, which moves by
             * whole periods: a signal that comes early (threads' time
             * comes in uneven steps) still counts one, and the next
             * counts less (rounded per signal, two threads' profile held
             * a quarter more than their time: helper-91). */
            struct timespec ts;
            if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0)
                weight = itimer_weight(&ts);
        }
        count_cell(si, weight);
        struct wh_pr_slot *s = wh_pr_claim(r, sess);
        if (!s) {
            atomic_fetch_add_explicit(&wh_pr_dropped, weight, memory_order_relaxed);
        } else {
            struct wh_regs regs;
            wh_regs_of(ucv, &regs); /* arch/ */
            uintptr_t rip = regs.pc;
            struct sink k = {.pcs = s->pcs};
            wh_signal_depth++;
            wh_walk_end = WH_WALK_DONE;
            wh_walk_context_all(&regs, sink_emit, &k);
            wh_signal_depth--;
            if (k.last_whence && !k.cut)
                k.n = start_code(k.pcs, k.last_whence, k.n);
            if (!k.n) /* nothing at all: at least where it was */
                s->pcs[k.n++] = (rip & WH_PC_MASK) | WH_TOKEN_EXACT | WH_PR_FOREIGN;
            /* A walk that ended before the stack did: its outermost
             * entry says why (agg.c), as the printed stacks' last line
             * does (a JIT's code, tables that led nowhere: the samples
             * read as complete stacks, helper-139). */
            if (wh_walk_end != WH_WALK_DONE && !k.cut && k.n < WH_PR_WORDS)
                s->pcs[k.n++] = WH_PR_END | wh_walk_end;
            s->n = k.n;
            s->weight = weight;
            wh_pr_commit(r, s, sess);
        }
        maybe_drain(r, sess);
        maybe_scan(weight);
    }
    atomic_fetch_sub_explicit(&wh_pr_inflight, 1, memory_order_release);
    errno = saved;
}

/* (a small frame; the sample on a stack of whence's own when the
 * alternate stack has little left: Rust's 8 KiB ones, where every sample
 * stopped at its first frame: farstack.c) */
WH_RT static void on_sigprof(int sig, siginfo_t *si, void *ucv) {
    if (!wh_thread_pointer(ucv)) {
        /* No TLS (tp.c): no walk.  What the sample stands for is counted
         * as such: with setitimer the next sample took this one's periods
         * too, another thread's stack charged with this one's time
         * (helper-135); with per-thread timers it was missing unsaid.
         * (Only system calls made directly, and globals.) */
        uint64_t sess = atomic_load_explicit(&wh_pr_session, memory_order_seq_cst);
        if (!sess || kind(si, sess) != SAMPLE)
            return;
        uint32_t weight = 1;
        struct timespec ts;
        if (si->si_code == SI_TIMER && si->si_overrun > 0)
            weight += si->si_overrun < 1000000 ? (uint32_t)si->si_overrun : 1000000;
        else if (atomic_load_explicit(&wh_pr_itimer, memory_order_relaxed) &&
                 wh_tp_syscall(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, (long)&ts, 0, 0) == 0)
            weight = itimer_weight(&ts);
        atomic_fetch_add_explicit(&wh_pr_no_tp, weight, memory_order_relaxed);
        count_cell(si, weight);
        return;
    }
    wh_handler_run(WH_ALTSTACK_MIN, sigprof_work, sig, si, ucv);
}

/* The handler goes with the copy of the runtime that holds it (its shared
 * object is being unloaded): SIGPROF is then ignored, as the handler
 * ignored a late one, rather than kill the process. */
WH_RT void wh_pr_handler_release(void) {
    struct sigaction cur;
    if (sigaction(SIGPROF, NULL, &cur) != 0 || !(cur.sa_flags & SA_SIGINFO) ||
        cur.sa_sigaction != on_sigprof)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPROF, &sa, NULL);
}

WH_RT bool wh_pr_handler_taken(void) {
    struct sigaction cur;
    return sigaction(SIGPROF, NULL, &cur) == 0 &&
           !((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_sigprof);
}

WH_RT int wh_pr_handler_install(void) {
    struct sigaction cur;
    if (sigaction(SIGPROF, NULL, &cur) != 0)
        return errno;
    if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_sigprof)
        return 0;
    if (!(cur.sa_flags & SA_SIGINFO) && cur.sa_handler != SIG_DFL && cur.sa_handler != SIG_IGN)
        return EBUSY; /* the program's own profiler */
    if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction)
        return EBUSY;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigprof;
    /* SA_ONSTACK: a thread near the end of its stack (deep recursion) is
     * sampled on its alternate stack if it has one. */
    sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
    /* Every other signal waits for the sample (microseconds).  When a
     * sample and another signal came at once (a program's CPU-time timer
     * expiring on the same tick), the kernel made the sample's frame
     * first and ran the other's handler on top of it, with SIGPROF
     * blocked by that delivery: no sample came while that handler ran
     * (35 ms of a timer's handler read 0%, its time charged to the code it
     * interrupted: helper-113).  Now the other waits, and runs after the
     * sample with SIGPROF open.  (SA_NODEFER instead let a sample's frame
     * land on another's, past an 8 KiB alternate stack's end under qemu;
     * and a handler that left by siglongjmp in the middle of a sample
     * left the sample behind: helper-117.)  Faults are not held back: one
     * blocked would end the process. */
    sigfillset(&sa.sa_mask);
    static const int open_sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
    for (unsigned i = 0; i < sizeof open_sigs / sizeof open_sigs[0]; i++)
        sigdelset(&sa.sa_mask, open_sigs[i]);
    return sigaction(SIGPROF, &sa, NULL) == 0 ? 0 : errno;
}
