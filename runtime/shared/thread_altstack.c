/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * thread_altstack.c - every thread that the program starts after
 * whence_install_crash_handler() gets an alternate signal stack of its own,
 * so that a stack overflow on any thread is reported, and no thread blocks
 * a fault signal, so that its crash is reported at all (libwhence.so only).
 *
 * sigaltstack is per thread.  The crash handler gives one to the thread that
 * installs it (crash.c); a thread without one that overflows its stack has
 * nowhere to run the handler, and the kernel kills the process without a
 * word.  Go gives every thread a signal stack when it starts (minit), and
 * the sanitizers' runtimes give one to each thread they start.  glibc has
 * no thread-start hook, so the shared libwhence interposes pthread_create:
 * the program's calls bind to the first definition in load order, and
 * libwhence comes before libc (a preloaded or sanitizer interceptor comes
 * first and reaches this one through its own RTLD_NEXT, as this one
 * reaches libc's).  Until the handler is installed the wrapper costs a load
 * and an indirect call.  The static libwhence.a leaves pthread_create
 * alone (it would take libc.a's place): there a thread calls
 * whence_install_crash_handler() itself, which gives it a stack.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

static _Atomic(create_fn) wh_real_create;
static pthread_key_t wh_stack_key;
static pthread_once_t wh_stack_once = PTHREAD_ONCE_INIT;
static _Atomic int wh_stack_key_ok;

struct start {
    void *(*fn)(void *);
    void *arg;
};

static create_fn real_create(void) {
    create_fn f = atomic_load_explicit(&wh_real_create, memory_order_acquire);
    if (f)
        return f;
    f = (create_fn)wh_dlsym_next("pthread_create");
    if (f)
        atomic_store_explicit(&wh_real_create, f, memory_order_release);
    return f;
}

static void make_key(void) {
    if (pthread_key_create(&wh_stack_key, wh_altstack_drop) == 0)
        atomic_store_explicit(&wh_stack_key_ok, 1, memory_order_release);
}

static void give_stack(void) {
    stack_t cur;
    if (sigaltstack(NULL, &cur) != 0 || !(cur.ss_flags & SS_DISABLE))
        return; /* one already (a thread never inherits its creator's) */
    /* The key was made by the creating thread (pthread_create below): a
     * sanitizer's pthread_once interceptor must not run here, before the
     * sanitizer's own start routine has set this thread up (TSan then
     * failed its CHECK(thr->slot) on this thread's first signal). */
    if (!atomic_load_explicit(&wh_stack_key_ok, memory_order_acquire))
        return; /* could not free it at exit: no stack rather than a leak per thread */
    void *mem = wh_map(WH_ALTSTACK_SIZE);
    if (!mem)
        return;
    stack_t ss = {.ss_sp = mem, .ss_size = WH_ALTSTACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0 || pthread_setspecific(wh_stack_key, mem) != 0) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
        wh_unmap(mem, WH_ALTSTACK_SIZE);
    }
}

/* ---- fault signals stay unblocked ------------------------------------------
 * A fault signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL; a trap's SIGTRAP, a
 * seccomp SIGSYS) raised by the kernel in a thread that blocks it is not
 * delivered: the kernel puts the default action back and kills the process
 * without running any handler, so there was no report.  Servers block
 * every signal in their workers (sigfillset and pthread_sigmask before
 * starting them, one thread taking signals with sigwait), and a worker's
 * crash then died silently.  Blocking a fault signal defers nothing (POSIX:
 * undefined when the fault happens while blocked), so once the crash
 * handler is installed the program's pthread_sigmask and sigprocmask leave
 * those signals out of the set they block, and a thread started through
 * pthread_create unblocks the ones it inherited blocked.  Like
 * pthread_create, libwhence.so only. */
typedef int (*mask_fn)(int, const sigset_t *, sigset_t *);
static const int wh_fault_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS};

/* The C library's definitions behind this file's: resolved at load (dlsym
 * is no function for a signal handler), or at the first call that comes
 * before (another library's constructor). */
enum { NEXT_PMASK, NEXT_SMASK, NEXT_ACTION, NEXT_SIGNAL, NEXT_N };
static const char *const wh_next_names[NEXT_N] = {"pthread_sigmask", "sigprocmask", "sigaction",
                                                  "signal"};
static _Atomic(void *) wh_next[NEXT_N];

WH_NOSAN static void *next_sym(int k) {
    void *f = atomic_load_explicit(&wh_next[k], memory_order_acquire);
    if (!f) {
        wh_own_walk++; /* (dlsym may allocate: see wh_own_walk) */
        f = wh_dlsym_next(wh_next_names[k]);
        wh_own_walk--;
        if (f)
            atomic_store_explicit(&wh_next[k], f, memory_order_release);
    }
    return f;
}

__attribute__((constructor)) WH_NOSAN static void wh_resolve_next(void) {
    for (int k = 0; k < NEXT_N; k++)
        next_sym(k);
}

/* The collector's signal (libwhence-gc: BDWGC's thread-suspend signal)
 * is kept open too, as BDWGC's own pthread_sigmask redirect does: a
 * program that blocks every signal in its threads (the usual sigwait
 * server) made every collection abort, "Signals delivery fails
 * constantly" (helper-99). */
static _Atomic int wh_open_sig;

WH_EXPORT void __whence_gc_keep_unblocked(int sig) {
    atomic_store_explicit(&wh_open_sig, sig, memory_order_relaxed);
}

WH_NOSAN static const sigset_t *without_faults(int how, const sigset_t *set, sigset_t *buf) {
    int open = atomic_load_explicit(&wh_open_sig, memory_order_relaxed);
    bool faults = wh_crash_handler_installed();
    if (!set || how == SIG_UNBLOCK || (!faults && !open))
        return set;
    *buf = *set;
    for (size_t i = 0; faults && i < sizeof wh_fault_sigs / sizeof wh_fault_sigs[0]; i++)
        sigdelset(buf, wh_fault_sigs[i]);
    if (open > 0)
        sigdelset(buf, open);
    return buf;
}

WH_EXPORT WH_NOSAN int pthread_sigmask(int how, const sigset_t *set, sigset_t *old) {
    mask_fn real = (mask_fn)next_sym(NEXT_PMASK);
    if (!real)
        return ENOSYS;
    sigset_t buf;
    return real(how, without_faults(how, set, &buf), old);
}

WH_EXPORT WH_NOSAN int sigprocmask(int how, const sigset_t *set, sigset_t *old) {
    mask_fn real = (mask_fn)next_sym(NEXT_SMASK);
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    sigset_t buf;
    return real(how, without_faults(how, set, &buf), old);
}

/* The same for a handler's sa_mask: a handler installed with
 * sigfillset(&sa.sa_mask) (the usual idiom) that faults died silently. */
typedef int (*action_fn)(int, const struct sigaction *, struct sigaction *);

WH_EXPORT WH_NOSAN int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
    action_fn real = (action_fn)next_sym(NEXT_ACTION);
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    if (!act || !wh_crash_handler_installed())
        return real(sig, act, old);
    wh_crash_prev_gives_up(sig, act->sa_handler);
    struct sigaction a = *act;
    for (size_t i = 0; i < sizeof wh_fault_sigs / sizeof wh_fault_sigs[0]; i++)
        sigdelset(&a.sa_mask, wh_fault_sigs[i]);
    return real(sig, &a, old);
}

/* signal() too: glibc's calls its own sigaction, not this one. */
typedef void (*handler_fn)(int);
typedef handler_fn (*signal_fn)(int, handler_fn);

WH_EXPORT WH_NOSAN handler_fn signal(int sig, handler_fn handler) {
    signal_fn real = (signal_fn)next_sym(NEXT_SIGNAL);
    if (!real) {
        errno = ENOSYS;
        return SIG_ERR;
    }
    if (wh_crash_handler_installed())
        wh_crash_prev_gives_up(sig, handler);
    return real(sig, handler);
}

/* _exit and _Exit too: a handler of a fault that ends the process with
 * them (a common "print and _exit(1)" handler) left no report.  Straight
 * to the system call, as the C library's own does. */
WH_NOSAN __attribute__((noreturn)) static void exit_now(int status) {
    wh_crash_prev_exits();
    for (;;)
        syscall(SYS_exit_group, status);
}

WH_EXPORT WH_NOSAN void _exit(int status) {
    exit_now(status);
}

WH_EXPORT WH_NOSAN void _Exit(int status) {
    exit_now(status);
}

static void *wh_thread_start(void *p) {
    struct start s = *(struct start *)p;
    free(p);
    give_stack();
    sigset_t faults;
    sigemptyset(&faults);
    for (size_t i = 0; i < sizeof wh_fault_sigs / sizeof wh_fault_sigs[0]; i++)
        sigaddset(&faults, wh_fault_sigs[i]);
    mask_fn real = (mask_fn)atomic_load_explicit(&wh_next[NEXT_PMASK], memory_order_acquire);
    if (real)
        real(SIG_UNBLOCK, &faults, NULL);
    return s.fn(s.arg);
}

/* libwhence.so after the C library in the lookup order (the program's, what
 * is preloaded, the program's own libraries, then theirs): a dependency of
 * a preloaded library, linked after the C library (a Go program's cgo
 * flags), or loaded with dlopen (a JNI library's, a Node addon's, a
 * plugin's dependency, which the loader binds nothing to).  The program's
 * pthread_create, pthread_sigmask and sigaction are libc's then, and what
 * this file promises does not hold: whether they are ours is asked of the
 * loader (RTLD_DEFAULT), against this copy's own through a local alias.
 * Said once, when the crash handler is installed (crash.c). */
extern __typeof(pthread_create) wh_own_create __attribute__((alias("pthread_create"), visibility("hidden")));

void wh_thread_hooks_check(void) {
    void *bound = dlsym(RTLD_DEFAULT, "pthread_create");
    if (bound == (void *)wh_own_create || !wh_once(WH_ONCE_HOOKS))
        return;
    struct wh_buf w = {.fd = 2};
    wh_buf_str(&w, "whence: libwhence.so comes after the C library in the symbol lookup order "
                   "(loaded with dlopen, as the dependency of a preloaded or dlopen'd library, or "
                   "linked after -lc): threads the program starts get no signal stack of their "
                   "own and may keep fault signals blocked, so a stack overflow or a fault in "
                   "them can end the process without a report; link -lwhence before the C "
                   "library, or preload it (LD_PRELOAD=libwhence.so)\n");
    wh_buf_flush(&w);
}

WH_EXPORT int pthread_create(pthread_t *restrict t, const pthread_attr_t *restrict attr,
                             void *(*fn)(void *), void *restrict arg) {
    create_fn real = real_create();
    if (!real)
        return EAGAIN;
    if (!wh_crash_handler_installed())
        return real(t, attr, fn, arg);
    pthread_once(&wh_stack_once, make_key);
    struct start *s = malloc(sizeof *s);
    if (!s)
        return real(t, attr, fn, arg);
    s->fn = fn;
    s->arg = arg;
    int e = real(t, attr, wh_thread_start, s);
    if (e)
        free(s);
    return e;
}
