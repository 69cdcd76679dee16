/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * crash.c - whence_install_crash_handler: on SIGSEGV, SIGBUS, SIGFPE, SIGILL
 * and SIGABRT, and on SIGTRAP, SIGSYS, SIGXCPU and SIGXFSZ where the program
 * left them their default action, print
 *
 *     fatal signal 11 (SIGSEGV) at pc 0x55c4d2e01234
 *     fault in crash_me at demo.c:12
 *     thread 4242 "worker-3"
 *     stack:
 *     crash_me(...)
 *     \tdemo.c:12 +0x15
 *     ...
 *
 * to stderr, from the interrupted context (so the stack starts at the faulting
 * function, not in the handler), on an alternate signal stack (so a stack
 * overflow is reported too), then chain the handler that was installed
 * before, then let the default action run so the process dies of the same
 * signal (same exit status, same core dump).  Everything on that path is
 * async-signal-safe: the walk, the lookups (which do not build an index in
 * signal context unless it is missing), write(2).
 *
 * The fault line is the faulting instruction's own (lines/exact.c: from the
 * image's .debug_line); where no line can be named, the header says what is
 * known instead of a line: "fault in F at demo.c (line unknown; placed after the call at line 8;
 * no .debug_line)" or "(line unknown; ...)", and "fault in F (inlined code
 * at util.h:4)" for a position inlined into F.
 *
 * The alternate stack is per thread: it is set up for the thread that calls
 * whence_install_crash_handler (unless that thread already has one).  Other
 * threads still get the report, on their own stack, except for overflows.
 */
#define _GNU_SOURCE
#include "lines/lines.h"
#include "cxx/cxx.h"

#include <dlfcn.h>
#include <link.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <ucontext.h>
#include <time.h>
#include <unistd.h>

/* The faults and abort(), taken over the program's own handlers (which are
 * chained); then the other signals whose default action dumps core (a trap
 * instruction, a system call a seccomp filter refused, the CPU-time and
 * file-size limits), taken only where the program left the default: a
 * program that handles one itself (a seccomp SIGSYS emulator, a debugger
 * stub) keeps it alone.  SIGQUIT is whence_install_quit_dump's. */
static const int wh_crash_sigs[] = {SIGSEGV, SIGBUS,  SIGFPE,  SIGILL, SIGABRT,
                                    SIGTRAP, SIGSYS, SIGXCPU, SIGXFSZ};
#define WH_FIRST_ONLY_DEFAULT 5
#define WH_SYS_SECCOMP 1 /* SIGSYS's si_code from a seccomp filter (asm/siginfo.h) */
#define WH_NCRASH (int)(sizeof wh_crash_sigs / sizeof wh_crash_sigs[0])
static struct sigaction wh_prev[WH_NCRASH];
/* wh_prev[i] runs before the report: see prev_first. */
static bool wh_prev_first[WH_NCRASH];
/* wh_prev[i] is another copy's crash handler: called with the report
 * marked written (WHENCE_PEER_REPORTED), or each copy wrote one. */
static bool wh_prev_peer[WH_NCRASH];
static _Atomic int wh_installed;      /* 0 no, 1 installing, 2 yes */
static _Atomic int wh_reporting;      /* the thread writing the report, 0 when none */
static _Atomic int wh_report_done;    /* the thread whose report was written */


WH_RT static const char *sig_name(int sig) {
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    case SIGTRAP: return "SIGTRAP";
    case SIGSYS: return "SIGSYS";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    default: return "?";
    }
}

/* Signals a fault raises that returning from the handler raises again
 * (the instruction re-executes): any other is raised again by the handler
 * for the default action to end the process. */
WH_RT static bool fault_sig(int sig) {
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL;
}

WH_RT static bool refaults(int sig, const siginfo_t *info) {
    return info && info->si_code > 0 && fault_sig(sig);
}

/* The interrupted registers, the pc at the instruction that trapped: a
 * breakpoint instruction's trap is taken after it (x86-64's int3), where
 * the pc may already be the next line's, or past a function that ends
 * with it. */
WH_RT static void fault_regs(int sig, const siginfo_t *info, const ucontext_t *uc,
                             struct wh_regs *r) {
    wh_regs_of(uc, r);
    if (sig == SIGTRAP && info && info->si_code == SI_KERNEL)
        r->pc = wh_arch_trap_pc(r->pc);
}

WH_RT static int sig_index(int sig) {
    for (int i = 0; i < WH_NCRASH; i++)
        if (wh_crash_sigs[i] == sig)
            return i;
    return -1;
}

/* What the report's second line calls the pc: the instruction that faulted
 * (or trapped, or made the refused system call), or, for a signal sent
 * (kill, tgkill, raise, abort, sigqueue, a timer: si_code <= 0, which the
 * kernel never gives a fault) or a limit's, where the thread was when it
 * came: "fault in __pthread_kill_implementation" about abort() read as a
 * crash in the C library. */
WH_RT static const char *pc_was(int sig, const siginfo_t *info) {
    if (!info || (info->si_code > 0 && sig != SIGXCPU && sig != SIGXFSZ))
        return "fault";
    return "received";
}

/* Whether a sent signal's siginfo names its sender (si_pid): kill,
 * tgkill (raise, pthread_kill) and sigqueue; a timer's, an I/O
 * notification's and a message queue's hold other fields there. */
WH_RT static bool names_sender(const siginfo_t *info) {
    return info->si_code == SI_USER || info->si_code == SI_TKILL || info->si_code == SI_QUEUE;
}

/* "fault in F at file:line": the faulting instruction's own line (a line
 * record, or the image's .debug_line), or what is known without one. */
WH_RT static void put_fault(struct wh_buf *w, const char *was, const struct wh_pcinfo *pi,
                            uintptr_t rip) {
    whence_frame f;
    struct wh_exact x;
    wh_buf_str(w, was);
    wh_buf_str(w, " in ");
    if (!wh_exact_frame(pi, rip | WH_TOKEN_EXACT, &f, &x)) {
        struct wh_pcinfo q = *pi;
        wh_pcinfo_sites(&q, rip, true);
        wh_fill_frame(&q, 0, rip | WH_TOKEN_EXACT, &f);
        wh_buf_str(w, f.function);
        wh_buf_str(w, " at ");
        wh_buf_name(w, f.file);
        wh_buf_str(w, ":");
        wh_buf_dec(w, (uint64_t)(f.line > 0 ? f.line : 0));
        wh_buf_str(w, "\n");
        return;
    }
    wh_buf_str(w, f.function);
    if (x.why == WH_LN_AMBIG) /* (lld keeps one function's record: lines/lines.h) */
        wh_buf_str(w, WH_FOLDED_INTO);
    if (x.how == WH_EXACT_LINE && x.inlined_code) {
        wh_buf_str(w, " (inlined code at ");
        wh_put_exact_file(w, &x);
        wh_buf_str(w, ":");
        wh_buf_dec(w, x.line);
        wh_buf_str(w, ")\n");
        return;
    }
    wh_buf_str(w, " at ");
    if (x.how == WH_EXACT_AFTER)
        wh_buf_name(w, x.after_file);
    else
        wh_put_exact_file(w, &x);
    if (x.how == WH_EXACT_LINE) {
        wh_buf_str(w, ":");
        wh_buf_dec(w, x.line);
    } else {
        if (x.how == WH_EXACT_AFTER) {
            wh_buf_str(w, " (line unknown; placed after the call at line ");
            wh_buf_dec(w, x.after);
        } else {
            wh_buf_str(w, " (line unknown");
        }
        if (x.why != WH_LN_OK) {
            wh_buf_str(w, "; ");
            wh_buf_str(w, wh_ln_reason(x.why));
        }
        wh_buf_str(w, ")");
    }
    wh_buf_str(w, "\n");
}

/* A fault outside instrumented code: the function as its image's symbol
 * table names it, at the line table's line (lines/symbols.c). */
WH_RT static void put_foreign_fault(struct wh_buf *w, const char *was, uintptr_t pc) {
    struct wh_fsym s;
    wh_buf_str(w, was);
    if (!wh_foreign_sym(pc, &s)) {
        wh_buf_str(w, " outside instrumented code\n");
        return;
    }
    if (wh_folded(pc)) { /* (no one symbol's name or line holds it) */
        s.name = NULL;
        wh_buf_str(w, " in code of several functions the linker folded into one, at ");
    } else if (s.name) {
        wh_buf_str(w, " in ");
        wh_put_sym_name(w, s.name);
        wh_buf_str(w, wh_moved(pc) ? " (instrumented code without records) at "
                                   : " (not instrumented) at ");
    } else {
        wh_buf_str(w, " outside instrumented code, in ");
    }
    wh_put_foreign_pos(w, &s, pc, pc);
    wh_buf_str(w, "\n");
}

/* "fatal signal 11 (SIGSEGV) at pc 0x... (address 0x...)\n" */
WH_RT static void put_header(struct wh_buf *w, int sig, const siginfo_t *info, uintptr_t pc) {
    wh_buf_str(w, "fatal signal ");
    wh_buf_dec(w, (uint64_t)sig);
    wh_buf_str(w, " (");
    wh_buf_str(w, sig_name(sig));
    wh_buf_str(w, ") at pc ");
    wh_buf_hex(w, pc);
    if (info && sig == SIGSYS && info->si_code == WH_SYS_SECCOMP) {
        wh_buf_str(w, " (system call ");
        wh_buf_dec(w, (uint64_t)(unsigned)info->si_syscall);
        wh_buf_str(w, " refused by a seccomp filter)");
    } else if (sig == SIGXCPU) {
        wh_buf_str(w, " (CPU time limit exceeded)");
    } else if (sig == SIGXFSZ) {
        wh_buf_str(w, " (file size limit exceeded)");
    } else if (info && (sig == SIGSEGV || sig == SIGBUS) && info->si_code == SI_KERNEL) {
        /* a general-protection fault (a non-canonical pointer): the
         * kernel gives no address, and 0 would read as a null pointer */
        wh_buf_str(w, " (address unknown: general-protection fault)");
    } else if (info && (sig == SIGSEGV || sig == SIGBUS) && info->si_code > 0) {
        wh_buf_str(w, " (address ");
        wh_buf_hex(w, (uintptr_t)info->si_addr);
        wh_buf_str(w, ")");
    } else if (info && info->si_code <= 0 && names_sender(info)) {
        if (info->si_pid == getpid()) {
            wh_buf_str(w, " (raised by the process itself)");
        } else if (info->si_pid > 0) {
            wh_buf_str(w, " (sent by process ");
            wh_buf_dec(w, (uint64_t)(unsigned)info->si_pid);
            wh_buf_str(w, ")");
        } else { /* (the kernel gives 0 for a sender in another PID namespace) */
            wh_buf_str(w, " (sent by a process outside this one's PID namespace)");
        }
    } else if (info && info->si_code <= 0) {
        switch (info->si_code) {
        case SI_TIMER: wh_buf_str(w, " (sent by a timer)"); break;
        case SI_SIGIO: wh_buf_str(w, " (sent for an I/O event)"); break;
        case SI_MESGQ: wh_buf_str(w, " (sent by a message queue)"); break;
        case SI_ASYNCIO: wh_buf_str(w, " (sent at an asynchronous I/O's end)"); break;
        default:
            wh_buf_str(w, " (sent, si_code -");
            wh_buf_dec(w, (uint64_t)(unsigned)-info->si_code);
            wh_buf_str(w, ")");
        }
    }
    wh_buf_str(w, "\n");
}

WH_RT static void report(int sig, const siginfo_t *info, const ucontext_t *uc) {
    struct wh_regs r;
    fault_regs(sig, info, uc, &r);
    uintptr_t rip = r.pc;
    struct wh_buf w = {.fd = 2};
    put_header(&w, sig, info, rip);
    /* Out before anything that may fail, and no file opened under a
     * seccomp filter the program installed (sandbox.c): one that traps or
     * kills openat ended the process with SIGSYS before the report's
     * first line. */
    wh_buf_flush(&w);
    if (wh_opens_refused())
        wh_lines_no_open();
    struct wh_pcinfo pi;
    if (wh_find(rip, false, &pi))
        put_fault(&w, pc_was(sig, info), &pi, rip);
    else
        put_foreign_fault(&w, pc_was(sig, info), rip);
    wh_put_thread(&w, wh_gettid());
    wh_buf_str(&w, "\n");
    wh_buf_flush(&w);
    /* Hook (runtime/cxx/): where the C++ exception this thread is handling
     * was thrown, e.g. an uncaught one's std::terminate -> abort. */
    wh_exception_report(2, uc);
    wh_buf_str(&w, "stack:\n");
    wh_buf_flush(&w);
    wh_write_stack_from(2, &r, true);
}

/* How long a thread that crashes while another writes its report waits
 * for that report (milliseconds). */
#define WH_REPORT_WAIT_MS 10000u

/* One report at a time.  A thread that crashes while another thread writes
 * the report waits for it, as Go's runtime parks every other thread that
 * panics: the reporter then dies of its fault, and the report is whole.
 * Taking the default action at once killed the process in the middle of
 * the first report (2 threads faulting together: no output in 18 of 20
 * runs).  The wait is bounded: a report that ended without the process
 * dying (a chained handler recovered) or that takes longer than
 * WH_REPORT_WAIT_MS leaves the next crash a report of its own, and so does
 * the reporting thread's next crash after its handler returned.  False for
 * a crash inside the report itself. */
WH_RT static int await_reporter(int cur, bool written);

WH_RT static bool claim_report(void) {
    int me = wh_gettid(), cur = 0;
    if (atomic_compare_exchange_strong(&wh_reporting, &cur, me))
        return true;
    if (cur == me) /* (not inside it: the caller asks) this thread survived one */
        return true;
    for (int next; (next = await_reporter(cur, false)) != cur;)
        cur = next; /* another waiter took over after a timeout: wait for it */
    return atomic_compare_exchange_strong(&wh_reporting, &cur, me);
}

/* A fault inside the report itself (a frame record whose saved frame
 * pointer is plausible but unmapped; damaged data anywhere) jumps back to
 * it: what was written stays, a line says where the report stopped, and
 * the process dies of its first fault.  Without this the second fault
 * killed it with nothing after "stack:". */
static __thread sigjmp_buf *wh_report_jmp __attribute__((tls_model("initial-exec")));

WH_RT static void guarded_report(int sig, const siginfo_t *info, const ucontext_t *uc) {
    sigjmp_buf jb;
    /* (the handler runs with its signal blocked, and a blocked fault
     * kills at once: faults are let in for the report's duration; the
     * jump back restores the mask of the sigsetjmp) */
    sigset_t faults, old;
    sigemptyset(&faults);
    sigaddset(&faults, SIGSEGV);
    sigaddset(&faults, SIGBUS);
    uint8_t own = wh_own_walk;
    /* One of them already pending (a handler chained first raised it, as
     * Node's does for a fault it does not own) would end the process the
     * moment it is let in, before a byte of the report: it is taken off
     * (the fault itself comes back when the handler returns). */
    sigset_t pending;
    struct timespec now = {0, 0};
    if (sigpending(&pending) == 0 && (sigismember(&pending, SIGSEGV) || sigismember(&pending, SIGBUS)))
        while (sigtimedwait(&faults, NULL, &now) > 0) {
        }
    if (sigsetjmp(jb, 1) == 0) {
        wh_report_jmp = &jb;
        bool let = pthread_sigmask(SIG_UNBLOCK, &faults, &old) == 0;
        report(sig, info, uc);
        if (let)
            pthread_sigmask(SIG_SETMASK, &old, NULL);
    } else {
        if (wh_stack_buf) /* the frames written so far */
            wh_buf_flush(wh_stack_buf);
        wh_stack_buf = NULL;
        wh_own_walk = own; /* (the walk was left by the jump) */
        static const char cut[] =
            "(the report stopped here: reading the stack faulted, it is damaged)\n";
        wh_write_all(2, cut, sizeof cut - 1);
    }
    wh_report_jmp = NULL;
}

/* The stack a report needs below the handler's frame: its walk and
 * lookups (about 12 KiB measured) and, below them, the room the walk
 * keeps for the CFI unwinder (WH_FALLBACK_STACK, capture.c), as much as
 * WH_ALTSTACK_MIN.  With 8 KiB, a report on what a foreign handler left
 * of its own alternate stack (Python's faulthandler raising the signal
 * again: 16-24 KiB stacks) either ended its walk at the first foreign
 * frame or ran off the stack's end into the heap below it; with 16 KiB,
 * one on a 23-24 KiB stack still ended its walk after the first
 * instrumented frame ("the stack ends here"). */
#define WH_REPORT_STACK WH_ALTSTACK_MIN

/* A program that installed an alternate signal stack of its own after
 * whence_install_crash_handler (SIGSTKSZ, 8 KiB, most of it the kernel's
 * signal frame): the report would overflow it and the process die with no
 * output at all.  The header is written, and why the stack is not. */
WH_RT static void short_report(int sig, const siginfo_t *info, const ucontext_t *uc,
                               size_t room) {
    struct wh_regs r;
    fault_regs(sig, info, uc, &r);
    struct wh_buf w = {.fd = 2};
    put_header(&w, sig, info, r.pc);
    wh_buf_str(&w, "stack: not written: the alternate signal stack has ");
    wh_buf_dec(&w, room);
    wh_buf_str(&w, " bytes left, a report needs about 16 KiB (call "
                   "whence_install_crash_handler after installing it: it is replaced by one of "
                   "128 KiB)\n");
    wh_buf_flush(&w);
}

/* The report on a stack of whence's own, when the alternate stack the
 * signal arrived on has too little left: a program's own SIGSTKSZ stack
 * installed after whence_install_crash_handler, or what a foreign handler
 * left of its stack before raising the signal again (Python's
 * faulthandler).  The walk reads the interrupted registers, not this
 * stack, so the report is the same.  One report at a time (claimed), so
 * one such stack, mapped at the first need.  While it runs the alternate
 * stack is disabled: a fault of the report (guarded_report) is then
 * delivered below it, not at the top of the small stack, over the frames
 * this handler returns through.  getcontext/makecontext/swapcontext are
 * system calls and register saves, no lock. */
static ucontext_t wh_far_back, wh_far_ctx;
static struct {
    int sig;
    const siginfo_t *info;
    const ucontext_t *uc;
    bool done;
} wh_far;
static void *wh_far_stack;

WH_RT static void far_report(void) {
    /* (changed from here: not allowed while running on that stack) */
    stack_t off = {.ss_flags = SS_DISABLE}, alt;
    bool back = sigaltstack(&off, &alt) == 0;
    guarded_report(wh_far.sig, wh_far.info, wh_far.uc);
    if (back)
        sigaltstack(&alt, NULL);
    wh_far.done = true;
}

WH_RT static bool report_elsewhere(int sig, const siginfo_t *info, const ucontext_t *uc) {
    if (!wh_far_stack)
        wh_far_stack = wh_map(WH_ALTSTACK_SIZE);
    if (!wh_far_stack || getcontext(&wh_far_ctx) != 0)
        return false;
    wh_far_ctx.uc_stack.ss_sp = wh_far_stack;
    wh_far_ctx.uc_stack.ss_size = WH_ALTSTACK_SIZE;
    wh_far_ctx.uc_link = &wh_far_back;
    makecontext(&wh_far_ctx, far_report, 0);
    wh_far.sig = sig;
    wh_far.info = info;
    wh_far.uc = uc;
    wh_far.done = false;
    if (swapcontext(&wh_far_back, &wh_far_ctx) != 0)
        return false;
    return wh_far.done;
}

/* Waits, at most WH_REPORT_WAIT_MS, while thread cur holds the report:
 * until another holds it, cur is no thread of this process any more (a
 * vfork child, which shares this memory, crashed and died: it reports
 * nothing more), or (written) cur has written it.  Returns the holder. */
WH_RT static int await_reporter(int cur, bool written) {
    for (unsigned ms = 0; ms < WH_REPORT_WAIT_MS; ms++) {
        int now = atomic_load(&wh_reporting);
        if (now != cur || (written && atomic_load(&wh_report_done) == cur) ||
            ((ms & 63) == 63 && wh_tid_gone(cur)))
            return now;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    return atomic_load(&wh_reporting);
}

/* exit() in one thread while another writes a crash report: the report
 * would be cut short and the process end with exit's status, not the
 * fault's (a crash 2 ms before main returned: status 0, no report).  An
 * exit handler waits for the report (the reporter then ends the process)
 * when the crash came first; one that comes after the handler ran is not
 * waited for. */
WH_RT static void report_in_prev(void);

WH_RT static void wait_for_report(void) {
    report_in_prev();
    int cur = atomic_load(&wh_reporting);
    if (!cur || cur == wh_gettid())
        return;
    /* Written: the reporter's handler is returning into its fault, which
     * ends the process; exit goes on only if it does not (a chained
     * handler recovered). */
    if (await_reporter(cur, true) == cur && atomic_load(&wh_report_done) == cur) {
        struct timespec ts = {0, 200000000};
        nanosleep(&ts, NULL);
    }
}

/* A sanitizer runtime in the process (ASan, TSan, MSan, UBSan: they all
 * export this interface function): its fault handler reports and ends the
 * process with _exit, and would leave no room for whence's report if it
 * ran first; it is chained after the report, as before. */
WH_RT static bool sanitizer_present(void) {
    return dlsym(RTLD_DEFAULT, "__sanitizer_print_stack_trace") != NULL;
}

/* A handler in the Python interpreter's image: its faulthandler's (the
 * interpreter puts no other on a fault signal), which writes the Python
 * traceback and ends the process: it puts the default action back and
 * raises the signal again, at once under its SA_NODEFER.  Where the
 * program's sigaction is not libwhence.so's (a C extension's libwhence,
 * loaded by dlopen; libwhence.a) that is not seen, and chained first it
 * left no room for whence's report (pytest enables it in every run).
 * Chained after the report, as a sanitizer's.  (At install time: dladdr.) */
WH_RT static bool python_handler(const struct sigaction *p) {
    void *py = dlsym(RTLD_DEFAULT, "Py_IsInitialized");
    void *h = (p->sa_flags & SA_SIGINFO) ? (void *)p->sa_sigaction : (void *)p->sa_handler;
    Dl_info a, b;
    return py && dladdr(py, &a) && dladdr(h, &b) && a.dli_fbase == b.dli_fbase;
}

/* A fault (an instruction that faults again when the handler returns)
 * goes first to a handler the program installed before whence's when that
 * one takes a siginfo (it can tell what faulted, so it may recover), as Go
 * forwards a fault outside Go code to the handler installed before its
 * own: a garbage collector's write barrier (BDWGC's incremental mode
 * unprotects the page and returns), a JVM's null check or a wasm
 * runtime's bounds trap (they move the context on).  Reporting first said
 * "fatal signal" about a fault that was not, and the default action set
 * afterwards killed the process at the next one.  Whence reports when the
 * process is to die of it: the handler put another action on the signal
 * (the default back) or raised it, or calls
 * abort() (then a report of SIGABRT) or exit() (report_in_prev).  A
 * handler that returns without doing anything leaves the fault to come
 * back to it, forever, as without whence; one that ends the process with
 * _exit() gets the report first with libwhence.so (its _exit), none with
 * libwhence.a.  A handler without siginfo goes first too: it
 * cannot tell what faulted, but it may still recover (a probe that jumps
 * back with siglongjmp, Perl's $SIG{SEGV} dying inside an eval), and a
 * report written before it, about a process that went on, was false.
 * Another copy's crash handler, a sanitizer's and Python's faulthandler
 * are chained after the report. */
WH_RT static bool prev_first(int i) {
    const struct sigaction *p = &wh_prev[i];
    bool handler = (p->sa_flags & SA_SIGINFO) ? p->sa_sigaction != NULL
                                              : p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN;
    return fault_sig(wh_crash_sigs[i]) && handler && !wh_prev_peer[i] && !sanitizer_present() &&
           !python_handler(p);
}

/* The fault a handler of the program is handling on this thread (chained
 * first), for exit() called from it: a record in the frame of whence's
 * handler, which a handler that jumped out leaves behind (the stack
 * below is then reused: the record is trusted only while above the
 * stack pointer and holding its own address, masked). */
struct in_prev {
    uintptr_t self; /* its own address ^ WH_IN_PREV_MASK */
    int sig;
    siginfo_t *info;
    void *uc;
    uintptr_t pc;   /* the faulting pc */
    bool on_alt;    /* the handler ran on the alternate stack */
    bool reported;  /* report_in_prev wrote the report */
    bool sent;      /* a signal sent or raised, not a fault: one the handler
                     * ends the process in (exit, the default put back) was
                     * handled, and no report says it was fatal */
};
#define WH_IN_PREV_MASK ((uintptr_t)0x5ca1ab1e0ddba11ull)
static __thread struct in_prev *wh_in_prev __attribute__((tls_model("initial-exec")));

/* After the program's handler returned: whether it left the fault to end
 * the process: the default action put back (or SIG_IGN, which the kernel
 * makes the default for a fault), or the signal raised while whence's
 * handler is still the one.  A handler of its own put on the signal takes
 * the fault when it comes back, as it would without whence.  A signal
 * sent or raised (sent) only if the handler raised it again: the default
 * put back ends nothing by itself, no fault returns. */
WH_RT static bool handed_back(int sig, bool sent) {
    struct sigaction cur;
    sigset_t pending;
    if (sent)
        return sigpending(&pending) == 0 && sigismember(&pending, sig);
    if (sigaction(sig, NULL, &cur) != 0)
        return true;
    bool ours = (cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == wh_crash_sigaction;
    if (!ours) /* (the kernel reads the handler word alone: SA_SIGINFO with a
                * null sa_sigaction, as Go sets it, is the default too) */
        return cur.sa_handler == SIG_DFL || cur.sa_handler == SIG_IGN;
    return sigpending(&pending) == 0 && sigismember(&pending, sig);
}

WH_RT static void report_far(int sig, siginfo_t *info, void *uc) {
    guarded_report(sig, info, (const ucontext_t *)uc);
}

/* exit() called by the program's handler of a fault (chained first):
 * the report, before exit goes on. */
WH_RT static void report_in_prev(void) {
    struct in_prev *f = wh_in_prev;
    wh_in_prev = NULL;
    volatile char here;
    /* A handler that runs on the interrupted stack (farstack.c) below a
     * record on the alternate stack, above the work's own; else the
     * record is above this frame, on the stack the handler runs on. */
    uintptr_t top;
    const void *work = wh_prev_work(&top);
    if (!f || (work ? (uintptr_t)f <= (uintptr_t)work || (uintptr_t)&here >= top
                    : (uintptr_t)f <= (uintptr_t)&here) ||
        f->self != ((uintptr_t)f ^ WH_IN_PREV_MASK) || f->reported || f->sent)
        return;
    stack_t ss;
    struct wh_regs r;
    if (!work && f->on_alt && (sigaltstack(NULL, &ss) != 0 || !(ss.ss_flags & SS_ONSTACK)))
        return;
    wh_regs_of(f->uc, &r);
    if (r.pc != f->pc)
        return;
    if (claim_report()) {
        /* (a handler on the thread's stack may have little of it left) */
        if (!work || !wh_run_elsewhere(report_far, f->sig, f->info, f->uc))
            guarded_report(f->sig, f->info, (const ucontext_t *)f->uc);
        atomic_store(&wh_report_done, wh_gettid());
        f->reported = true;
    }
}

/* The program's handler of a fault, chained first, puts the default
 * action back (or SIG_IGN) on the signal it handles: it is about to let
 * the fault end the process, maybe at once (raised again under
 * SA_NODEFER, or unblocked first, as Go does for a fault on a thread it
 * does not own), before it returns to whence's handler: the report now.
 * libwhence.so's sigaction and signal call it (thread_altstack.c). */
WH_RT void wh_crash_prev_gives_up(int sig, void (*handler)(int)) {
    struct in_prev *f = wh_in_prev;
    if (f && f->sig == sig && (handler == SIG_DFL || handler == SIG_IGN))
        report_in_prev();
}

/* A write to a stderr pipe whose reader is gone raises SIGPIPE, whose
 * default action would end the process with that signal instead of the
 * one reported: blocked while a report is written (wh_pipe_hold; *old:
 * the mask before), and a SIGPIPE the report raised is taken back
 * (wh_pipe_release).  For the crash report and the quit handler's dump. */
WH_RT bool wh_pipe_hold(sigset_t *old) {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    return pthread_sigmask(SIG_BLOCK, &pipe, old) == 0;
}

WH_RT void wh_pipe_release(bool masked, const sigset_t *old) {
    if (!masked)
        return;
    sigset_t pipe, pending;
    struct timespec now = {0, 0};
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    if (!sigismember(old, SIGPIPE) && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE))
        sigtimedwait(&pipe, NULL, &now);
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* The default action on sig: a fault re-executes and dies of it when the
 * handler returns; a sent or raised signal (si_code <= 0), abort(), a
 * trap and the others need it raised again (it stays pending until the
 * handler returns), and so does the kernel's own SIGSEGV (SI_KERNEL): a
 * general-protection fault re-executes, but the SIGSEGV the kernel sends
 * when it could not write another signal's frame does not, and the
 * process went on after its "fatal signal" report (helper-114). */
WH_RT static void to_default(int sig, const siginfo_t *info) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    if (!refaults(sig, info) || info->si_code == SI_KERNEL)
        raise(sig);
}

/* _exit() called by the program's handler of a fault, chained first: the
 * report, before the process ends (libwhence.so's _exit calls it; exit()
 * goes through wait_for_report). */
WH_RT void wh_crash_prev_exits(void) {
    if (wh_in_prev)
        report_in_prev();
}

WH_RT __attribute__((noinline)) static void crash_work(int sig, siginfo_t *info, void *ucv) {
    int saved = errno;
    wh_signal_depth++;
    if (wh_signal_depth > 1 && wh_report_jmp && (sig == SIGSEGV || sig == SIGBUS) && info &&
        info->si_code > 0) {
        sigjmp_buf *j = wh_report_jmp;
        wh_report_jmp = NULL;
        wh_signal_depth--;
        siglongjmp(*j, 1);
    }
    int i = sig_index(sig);
    /* Called by another copy's handler, which wrote the report. */
    bool peer_done = info && info->si_errno == WHENCE_PEER_REPORTED;
    /* Called by the handler chained first, from inside that call: it
     * forwards what it does not handle to the handler it replaced, and
     * that was whence's (installed again after it: the signal taken back).
     * Chaining it again went round, whence -> it -> whence, until the
     * stack ran out and the process died without a word.  It handed the
     * fault back: report, and do not chain it. */
    struct in_prev *outer = wh_in_prev;
    bool forwarded = outer && outer->sig == sig && outer->uc == ucv;
    bool chained = forwarded;
    /* A fault signal sent or raised (kill -SEGV, raise(SIGSEGV)) goes to
     * the program's handler first too: one that returns has handled it,
     * and the process goes on, as without whence (it died of the signal
     * after a "fatal signal" report: helper-114). */
    bool sent = info && info->si_code <= 0 && fault_sig(sig);
    /* One the program ignored (SIG_IGN when whence's handler went in:
     * Perl ignores SIGFPE) is ignored still: the process went on without
     * whence (it died of a sent SIGFPE with a report: helper-141).  A real
     * fault is not: the kernel ends the process for it even when ignored,
     * and the report says where.  (The handler word alone: the kernel
     * reads no flag there.) */
    if (sent && i >= 0 && wh_prev[i].sa_handler == SIG_IGN && !peer_done && !forwarded) {
        wh_signal_depth--;
        errno = saved;
        return;
    }
    if (i >= 0 && wh_prev_first[i] && (refaults(sig, info) || sent) && !wh_report_jmp &&
        !peer_done && !forwarded) {
        /* The program's handler first: it may recover (below).  exit()
         * called from it writes the report first (report_in_prev). */
        struct wh_regs r;
        stack_t ss;
        wh_regs_of(ucv, &r);
        struct in_prev rec = {0, sig, info, ucv, r.pc,
                              sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK), false,
                              sent};
        rec.self = (uintptr_t)&rec ^ WH_IN_PREV_MASK;
        wh_in_prev = &rec;
        struct sigaction prev = wh_prev[i];
        if (prev.sa_flags & SA_RESETHAND) {
            /* A one-shot handler: the kernel would have put the default
             * back as it ran it, so the next fault is fatal (it was called
             * at every fault, and a fatal one swallowed: helper-88). */
            memset(&wh_prev[i], 0, sizeof wh_prev[i]);
            wh_prev[i].sa_handler = SIG_DFL;
            wh_prev_first[i] = false;
        }
        wh_call_handler(&prev, sig, info, ucv); /* (on its own stack: farstack.c) */
        wh_in_prev = NULL;
        *(volatile uintptr_t *)&rec.self = 0; /* (a later reader of this stack must not take it) */
        peer_done = rec.reported; /* (written while it put the default back) */
        if (!handed_back(sig, sent)) {
            /* Recovered (the instruction then succeeds: a page made
             * writable, a context moved on), or the fault comes back to
             * it, as it would without whence. */
            wh_signal_depth--;
            errno = saved;
            return;
        }
        chained = true; /* it leaves the fault to the default action */
    }
    /* A crash inside the report (wh_report_jmp set; a fault of its walk
     * went back to it above): no report, straight to the previous/default
     * action.  The depth alone does not say so: a chained handler that
     * recovered with siglongjmp left it counted. */
    bool mine = !wh_report_jmp && ucv && !peer_done && claim_report();
    if (mine && forwarded)
        outer->reported = true; /* (the call it came from writes none) */
    if (mine) {
        sigset_t old;
        bool masked = wh_pipe_hold(&old);
        /* A stderr pipe whose reader stalled: the report is dropped after
         * WH_REPORT_WRITE_MS rather than hang the dying process. */
        wh_write_wait_ms = WH_REPORT_WRITE_MS;
        size_t room = wh_altstack_room();
        if (room < WH_REPORT_STACK) {
            if (!report_elsewhere(sig, info, (const ucontext_t *)ucv))
                short_report(sig, info, (const ucontext_t *)ucv, room);
        } else
            guarded_report(sig, info, (const ucontext_t *)ucv);
        wh_write_wait_ms = -1;
        wh_pipe_release(masked, &old);
    }
    if (i >= 0 && !chained)
        wh_chain_handler(&wh_prev[i], wh_prev_peer[i], true, sig, info, ucv);
    to_default(sig, info);
    if (mine) /* (an exit elsewhere waits no longer: wait_for_report) */
        atomic_store(&wh_report_done, wh_gettid());
    /* The report stays claimed: the fault re-executes, or the raised
     * signal is delivered, as this handler returns, and a waiter released
     * now would start a second report in that window (2 runs in 10). */
    wh_signal_depth--;
    errno = saved;
}

/* The entry point: a small frame, and on a stack of whence's own when the
 * alternate stack has less left than the work may need (farstack.c). */
WH_RT void wh_crash_sigaction(int sig, siginfo_t *info, void *ucv) {
    if (!wh_thread_pointer(ucv)) {
        /* No report can be made without TLS (tp.c); the program's own
         * handler is called as the kernel would have called it (one that
         * recovers did, without whence: helper-135), else the default. */
        int i = sig_index(sig);
        const struct sigaction *p = i >= 0 ? &wh_prev[i] : NULL;
        if (p && p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN) {
            if (p->sa_flags & SA_SIGINFO)
                p->sa_sigaction(sig, info, ucv);
            else
                p->sa_handler(sig);
            return;
        }
        wh_no_tp_signal(sig, info, ucv, false);
        return;
    }
    /* A record of a handler chained first whose signal frame is the one
     * this delivery got: that handler left with siglongjmp (a probe that
     * recovers) and the record is stale, or a later fault there would be
     * taken for a forwarded one and reported instead of handed to it.  A
     * delivery has its context right above the entry's frame (a forwarded
     * call is some frames below it, or on another stack). */
    struct in_prev *f = wh_in_prev;
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    if (f && f->uc == ucv && (uintptr_t)ucv > here && (uintptr_t)ucv - here < 512)
        wh_in_prev = NULL;
    /* The alternate stack ran out: the interrupted stack pointer is at its
     * base, or just below it (in its guard page), or further below with
     * the frame pointer still on it (a large frame's first store, as of
     * whence's own handlers on AArch64: 1.4 KiB below; code on a thread's
     * stack that lies right below has its frame pointer there).  The kernel then
     * delivers at its top again, over the frames of the handlers still
     * running there, and a handler that faults itself (SA_NODEFER) went
     * round for ever; a frame that does not fit is death by the signal,
     * so it is here. */
    const ucontext_t *uc = ucv;
    if (uc && !(uc->uc_stack.ss_flags & SS_DISABLE) && uc->uc_stack.ss_size) {
        struct wh_regs r;
        wh_regs_of(ucv, &r);
        uintptr_t base = (uintptr_t)uc->uc_stack.ss_sp;
        if (r.sp <= base && (base - r.sp <= 512 || (base - r.sp < (1u << 20) && r.fp >= base &&
                                                    r.fp - base < uc->uc_stack.ss_size))) {
            to_default(sig, info);
            return;
        }
    }
    wh_handler_run(WH_REPORT_STACK, crash_work, sig, info, ucv);
}

/* What the handler installed before whence's on signal i is. */
WH_RT static void note_prev(int i) {
    wh_prev_peer[i] = wh_peer_handler(&wh_prev[i]); /* (one search: prev_first reads it) */
    wh_prev_first[i] = prev_first(i);
}

/* Our action for a signal whose handler now is prev: with prev's mask,
 * which the kernel then sets as it would have for prev, before anything
 * runs.  Chaining it without (it runs inside ours) let signals it keeps out
 * interrupt it: BDWGC's write-barrier handler blocks the collector's
 * thread-suspend signal, and with threads 2 runs in 6 crashed. */
WH_RT static const struct sigaction *masked_as(struct sigaction *sa, const struct sigaction *prev) {
    sigemptyset(&sa->sa_mask);
    sa->sa_flags &= ~SA_NODEFER;
    bool handler = (prev->sa_flags & SA_SIGINFO) ? prev->sa_sigaction != NULL
                                                 : prev->sa_handler != SIG_DFL &&
                                                       prev->sa_handler != SIG_IGN;
    if (handler) {
        sa->sa_mask = prev->sa_mask;
        /* And with its SA_NODEFER: a handler that recovers from a fault by
         * leaving it (a C++ throw with -fnon-call-exceptions, a longjmp
         * that keeps the mask) leaves the signal as blocked as the kernel
         * made it for the handler that ran; blocked by ours, the next
         * fault killed the process without a report (helper-85). */
        sa->sa_flags |= prev->sa_flags & SA_NODEFER;
    }
    return sa;
}

/* Puts ours on signal i, whose action is cur.  cur is noted as the previous
 * action first: another thread's fault may run ours before sigaction
 * returns (the kernel writes the old action out after it installed the
 * new one), and found nothing there (SIG_DFL: a program's SIGSEGV handler,
 * a GC's or a JIT's, skipped and the process killed).  Then what sigaction
 * found, if another thread changed it meanwhile.  0 or an errno. */
WH_RT static int install_on(int i, struct sigaction *sa, const struct sigaction *cur) {
    wh_prev[i] = *cur;
    wh_action_plain(&wh_prev[i]);
    note_prev(i);
    struct sigaction old;
    memset(&old, 0, sizeof old);
    if (sigaction(wh_crash_sigs[i], masked_as(sa, cur), &old) != 0)
        return errno;
    if (old.sa_sigaction != cur->sa_sigaction || old.sa_flags != cur->sa_flags) {
        wh_prev[i] = old;
        wh_action_plain(&wh_prev[i]);
        note_prev(i);
    }
    return 0;
}

WH_RT static bool is_default(const struct sigaction *a) {
    return !(a->sa_flags & SA_SIGINFO) && a->sa_handler == SIG_DFL;
}

/* The alternate stacks ensure_altstack maps are freed at their threads'
 * exit (a thread that called whence_install_crash_handler and ended
 * leaked 128 KiB: 392 MB for 3,000 threads). */
static pthread_key_t wh_own_stack_key;
static pthread_once_t wh_own_stack_once = PTHREAD_ONCE_INIT;
static _Atomic bool wh_own_stack_key_ok;

WH_RT static void make_own_stack_key(void) {
    if (pthread_key_create(&wh_own_stack_key, wh_altstack_drop) == 0)
        atomic_store_explicit(&wh_own_stack_key_ok, true, memory_order_release);
}

/* At a thread's exit: its stack of whence's goes (kept, if a handler runs
 * on it: the thread ends from one). */
WH_RT void wh_altstack_drop(void *mem) {
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == mem && !(cur.ss_flags & SS_DISABLE)) {
        if (cur.ss_flags & SS_ONSTACK)
            return;
        stack_t off = {.ss_flags = SS_DISABLE};
        if (sigaltstack(&off, NULL) != 0)
            return;
    }
    wh_unmap(mem, WH_ALTSTACK_SIZE);
}

WH_RT static int ensure_altstack(void) {
    stack_t cur;
    if (sigaltstack(NULL, &cur) != 0)
        return errno;
    if (!(cur.ss_flags & SS_DISABLE) && cur.ss_size >= WH_ALTSTACK_MIN)
        return 0; /* the program set one up: keep it */
    if (cur.ss_flags & SS_ONSTACK)
        return 0; /* installed from a handler running on it: cannot change it */
    void *mem = wh_map(WH_ALTSTACK_SIZE);
    if (!mem)
        return ENOMEM;
    stack_t ss = {.ss_sp = mem, .ss_size = WH_ALTSTACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) {
        int e = errno;
        wh_unmap(mem, WH_ALTSTACK_SIZE);
        return e;
    }
    pthread_once(&wh_own_stack_once, make_own_stack_key);
    if (atomic_load_explicit(&wh_own_stack_key_ok, memory_order_acquire))
        pthread_setspecific(wh_own_stack_key, mem); /* (else kept: a stack rather than none) */
    return 0;
}

/* The first object dl_iterate_phdr reports is the program. */
WH_RT static int preopen_program(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    (void)arg;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_LOAD && (info->dlpi_phdr[i].p_flags & PF_X)) {
            wh_lines_preopen(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
            break;
        }
    return 1;
}

WH_EXPORT WH_RT int whence_install_crash_handler(void) {
    if (wh_too_early())
        return EAGAIN;
    int e = ensure_altstack();
    if (e)
        return e;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = wh_crash_sigaction;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    int expect = 0;
    if (!atomic_compare_exchange_strong(&wh_installed, &expect, 1)) {
        if (expect != 2 || !atomic_compare_exchange_strong(&wh_installed, &expect, 1))
            return 0; /* being installed by another thread */
        /* Installed before, and the program may have put another handler
         * (or the default) on some of the signals since: those are taken
         * back, the program's handler chained as the previous one.  Ours
         * are left as they are (installing twice would chain to itself). */
        for (int i = 0; i < WH_NCRASH; i++) {
            struct sigaction cur;
            memset(&cur, 0, sizeof cur);
            if (sigaction(wh_crash_sigs[i], NULL, &cur) == 0 &&
                !((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == wh_crash_sigaction) &&
                (i < WH_FIRST_ONLY_DEFAULT || is_default(&cur)))
                install_on(i, &sa, &cur);
        }
        atomic_store(&wh_installed, 2);
        return 0;
    }
    for (int i = 0; i < WH_NCRASH; i++) {
        struct sigaction cur;
        memset(&cur, 0, sizeof cur);
        if (sigaction(wh_crash_sigs[i], NULL, &cur) != 0 ||
            (i >= WH_FIRST_ONLY_DEFAULT && !is_default(&cur))) {
            wh_prev[i] = cur; /* (restored as it is if installing fails) */
            continue;
        }
        if ((e = install_on(i, &sa, &cur)) != 0) {
            for (int j = 0; j < i; j++)
                sigaction(wh_crash_sigs[j], &wh_prev[j], NULL);
            atomic_store(&wh_installed, 0);
            return e;
        }
    }
    atomic_store(&wh_installed, 2);
    atexit(wait_for_report);
    if (wh_thread_hooks_check)
        wh_thread_hooks_check();
    /* The program's own file is opened now, while nothing forbids it: a
     * seccomp filter installed later (the program's own sandbox) makes the
     * report open no file (sandbox.c), and the program's lines stay
     * known. */
    if (!wh_opens_refused())
        dl_iterate_phdr(preopen_program, NULL);
    return 0;
}

/* exit's last stage (the dynamic loader's destructors, after every exit
 * handler) waits for a report under way too: exit handlers registered
 * before the install run after wait_for_report, and a crash they cause
 * (a worker using a static object a destructor destroyed, the common
 * one) was cut short by the end of exit, which ended with its status.
 * A copy of the runtime in a shared object (libwhence.a linked into it:
 * wh_copy_in_shared_object) takes its handlers with it when that object
 * is unloaded: the previous ones are back where its own are still
 * installed (a later fault would jump into unmapped code). */
__attribute__((destructor)) WH_RT static void crash_unload(void) {
    if (atomic_load(&wh_installed) != 2)
        return;
    wait_for_report();
    if (!wh_copy_in_shared_object())
        return;
    for (int i = 0; i < WH_NCRASH; i++) {
        struct sigaction cur;
        if (sigaction(wh_crash_sigs[i], NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) &&
            cur.sa_sigaction == wh_crash_sigaction)
            sigaction(wh_crash_sigs[i], &wh_prev[i], NULL);
    }
    atomic_store(&wh_installed, 0);
}

WH_RT WH_NOSAN bool wh_crash_handler_installed(void) {
    return atomic_load_explicit(&wh_installed, memory_order_acquire) == 2;
}
