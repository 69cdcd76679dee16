/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * whence.h - Go-style runtime introspection for C: who called me, the whole
 * stack, and pc -> function/file/line, from records the whence pass plugin
 * emits at compile time.  No DWARF is read at run time.
 *
 * Build with:
 *   clang-19 -O2 -gline-tables-only -fpass-plugin=$(pkg-config --variable=plugin whence) \
 *       prog.c $(pkg-config --cflags --libs whence)
 *
 * Thread safety: every function is thread-safe.  whence_caller,
 * whence_callers, whence_frames_*, whence_func_for_pc (after the first lookup
 * in the process), whence_write_stack, whence_format_stack,
 * whence_write_all_stacks and the crash and quit handlers are
 * async-signal-safe: they take no lock and do not allocate once the lookup
 * tables exist.  Results are per thread: a thread only ever sees its own
 * frames.  Cancellation: no function is a cancellation point where it holds
 * a lock, a claim or a file (a deferred pthread_cancel acts at the
 * program's next cancellation point after it returns); the writes of
 * whence_write_stack and whence_profile_stop stay cancellable (what was
 * being written is lost), whence_write_all_stacks' do not (it holds the
 * dump's claim while it writes).  A signal handler that leaves a lookup
 * (whence_func_for_pc, whence_func_line, whence_frames_*, whence_caller,
 * whence_format_stack) by siglongjmp leaves its state with the thread: the
 * thread's next lookup made from the same place or an outer one takes it
 * back, and until then another thread's dlclose of an instrumented library
 * waits for it (the one-time work a lookup may do, an index's build or a
 * file's opening, runs with the asynchronous signals blocked).  Other calls (the dumps, the profiler's and the collector's) must not
 * be left that way, nor any call by a throw: their state is not undone.
 */
#ifndef WHENCE_H
#define WHENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define WHENCE_API __attribute__((visibility("default")))
#else
#define WHENCE_API
#endif

/* Opaque; valid while the module that holds the function stays loaded. */
typedef struct whence_func whence_func;

typedef struct whence_frame {
    uintptr_t          pc;       /* this frame's pc (or runtime token); accepted by whence_func_for_pc;
                                    as in Go, for a calling frame a pc inside the call instruction */
    const whence_func *func;     /* NULL when the frame is outside instrumented code */
    const char        *function; /* never NULL; "?" when unknown */
    const char        *file;     /* never NULL; "?" when unknown; as recorded at compile time */
    int                line;     /* 1-based; 0 when unknown */
    int                column;   /* 1-based; 0 when unknown */
    uintptr_t          entry;    /* entry address of the (outermost physical) function; 0 when unknown */
    bool               inlined;  /* this logical frame was inlined into the frame that follows it */
} whence_frame;

/* Fills *out with the frame `skip` logical frames above the caller: skip 0 is
 * the function that called whence_caller, at the line of that call.  Inlined
 * functions count as frames; uninstrumented frames are skipped and do not
 * count.  Returns false (and fills *out with the unknown values) when there
 * is no frame at that depth, or when it is, or lies beyond, a frame in code
 * that a post-link optimizer (BOLT) moved out of the code the records
 * describe, whose logical frames are not known, or when the walk could not
 * go on to it (foreign code without frame pointers or unwind tables):
 * then whence_callers_end says why (NULL: the stack has no frame there). */
WHENCE_API bool whence_caller(int skip, whence_frame *out);

/* Writes at most max physical-frame entries (return addresses or runtime
 * tokens) starting `skip` logical frames above the caller, and returns how
 * many it wrote.  Entries past the count are untouched; max <= 0 writes
 * nothing.  Never allocates.  An entry stands for an address in its image:
 * kept past a dlclose of that image it names nothing, until another image
 * (or a rebuild of the same) is loaded at that address; then it names that
 * image's code, as a return address kept for any symbolizer would.  Expand
 * entries (whence_frames, whence_format_stack) before a dlclose that may
 * unload their code. */
WHENCE_API int whence_callers(int skip, uintptr_t *pcs, int max);

/* Iterates the logical frames of entries from whence_callers: an entry's
 * inlined frames first (inlined = true), then its physical frame.  The
 * iterator does not copy pcs: keep the array alive while iterating.  The
 * frame a signal interrupted (whence_callers from a handler) is one frame,
 * its physical function at the line of the interrupted instruction, or at
 * line 0 where that line is of code inlined into the function (the
 * printed stacks say "inlined code" with that line). */
typedef struct whence_frames {
    const uintptr_t *pcs;
    int              n;
    int              next;    /* next entry of pcs to expand */
    uintptr_t        cur;     /* entry being expanded; 0 when none */
    uint32_t         depth;   /* logical frames of cur already returned */
    uint32_t         pad_;
} whence_frames;

WHENCE_API void whence_frames_init(whence_frames *it, const uintptr_t *pcs, int n);
WHENCE_API bool whence_frames_next(whence_frames *it, whence_frame *out);

/* pc -> function.  Accepts any address inside an instrumented function's
 * code, a function pointer to one, a return address and any whence_callers
 * entry; anything else gives NULL.  Never crashes, whatever pc is.  A
 * return address that ends its function (a noreturn call as the last
 * instruction, common at -Os) is also the next function's entry, and names
 * that function here, as with Go's FuncForPC: pass ra - 1, or expand
 * whence_callers entries with whence_frames, which name the call.  Unlike
 * Go's, a pc in code inlined into a function names that function (the one
 * whose code holds pc, as `llvm-symbolizer --no-inlines` does), while
 * whence_func_line gives the line of the instruction, which is the inlined
 * function's (in its file): a name and line printed together come from
 * whence_frames, whose frames are the inlined functions with their lines. */
WHENCE_API const whence_func *whence_func_for_pc(uintptr_t pc);
WHENCE_API const char *whence_func_name(const whence_func *f);   /* "" for NULL */
WHENCE_API uintptr_t   whence_func_entry(const whence_func *f);  /* 0 for NULL */
/* Go's Func.FileLine: the line of the instruction holding pc (any byte of
 * a call, or of a load, store or atomic with a line record: the first of
 * each run on one line has one; the binary's .debug_line for the others,
 * and where it is gone their lines are 0) when records are present, the function's first line otherwise
 * (also for a pc outside f: pass f = whence_func_for_pc(pc)); 0 when
 * unknown, with the function's file (a call in a module built with frame
 * slots, -g, whose debug info was stripped: its line is in the caller's
 * frame, which whence_caller and whence_frames read), "?" without a
 * function.  As in Go, a return address names the instruction after the
 * call: pass ra-1, or expand whence_callers entries with whence_frames.
 * file may be NULL. */
WHENCE_API int whence_func_line(const whence_func *f, uintptr_t pc, const char **file);

/* Writes the stack from `skip` logical frames above the caller to fd, one
 * frame per two lines ("function(...)" then "\tfile:line +0xOFF"), innermost
 * first; inlined frames are marked "(inlined)".  A non-blocking fd that is
 * full (or a socket's send timeout) is waited for, up to a second in all
 * per write, then the rest is dropped (so are whence_write_all_stacks'
 * writes).  Async-signal-safe. */
WHENCE_API void whence_write_stack(int fd, int skip);

/* Installs handlers for SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT that
 * print the fault site and stack to stderr on an alternate signal stack, then
 * let the signal's default action run.  Frames outside instrumented code
 * (libc, libraries built without the plugin) are in that stack too, marked
 * "(not instrumented)", named by their file's symbol table and line table
 * (docs/STACKS.md).  A stripped binary's symbol and line tables are read
 * from its separate debug file, found as gdb finds it (by build id under
 * each debug directory, <dir>/.build-id/xx/yyyy.debug; by .gnu_debuglink
 * next to the binary, in its .debug/, and under each debug directory) and
 * used only if it is that build's (build id, else the debuglink's CRC32).
 * The debug directories are WHENCE_DEBUG_FILE_DIRECTORY, gdb's
 * debug-file-directory: a colon-separated list, read once when the library
 * is loaded; unset, /usr/lib/debug; empty, none.  Earlier handlers are chained: one
 * the program installed runs first on a fault and may recover from it (a
 * collector's write barrier, a JVM's null check, a probe that jumps back
 * with siglongjmp), and then there is no report (one that returns without
 * fixing the fault gets it back, forever, as without whence; with a
 * sanitizer's runtime in the process it runs after the report); the
 * report is written when the fault is to end the process: it puts the
 * default action back (with libwhence.so, the report is written
 * then, before a signal it raises can end the process), raises the signal,
 * calls abort() or exit(), or forwards the fault to the handler it
 * replaced when that was whence's, or calls _exit() (with libwhence.so).
 * One that ends the process by a system call of its own (Go's runtime,
 * for a fault it takes for its own) leaves none: in a Go program, install
 * from a C constructor, before Go's runtime.  The
 * other signals whose default action dumps core (SIGTRAP, SIGSYS, SIGXCPU,
 * SIGXFSZ) get the same report where the program left them that default;
 * a program's own handler of one of these is left alone.  A fault signal
 * the program ignored (SIG_IGN) stays ignored when it is sent (kill,
 * raise; but a sleep it interrupts ends with EINTR, and a program the
 * process executes starts with the default action, not ignoring it); a
 * real fault ends the process whatever its disposition (the kernel's
 * rule), and is reported.  The
 * calling thread's alternate stack is kept if it has at least 32 KiB, else
 * replaced by one of 128 KiB (a report would overflow a SIGSTKSZ stack).
 * With libwhence.so every thread started afterwards gets one of its own too
 * (freed when it exits), so a stack overflow on any thread is reported; a
 * thread that was running before, or any thread with the static libwhence.a,
 * gets one by calling this function itself (freed when it exits).  With
 * libwhence.so the fault signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS) also stay
 * unblocked once it is installed: pthread_sigmask, sigprocmask and a
 * handler's sa_mask leave them out, and a new thread unblocks any it
 * inherited blocked.  The kernel kills a thread that faults with its fault
 * signal blocked without running any handler (a server's workers started
 * with every signal blocked died without a report); in exchange a SIGSEGV
 * sent with kill() to a program that blocks it for sigwait is reported as
 * a crash.  Both need libwhence.so before the C library in the lookup
 * order (linked by the program before the C library, or preloaded
 * itself): loaded with dlopen (a JNI library's or a Node addon's
 * dependency), or only as the dependency of a preloaded library, it comes
 * after it, and says so once here.  Called again after the
 * program put another handler on one of those signals, it takes that
 * signal back (chaining the program's handler).
 * Returns 0 on success, an errno value otherwise (EAGAIN when called from
 * a static program's ifunc resolver, before its TLS exists: so do the
 * other installs and whence_profile_start, whence_write_all_stacks returns
 * -EAGAIN and whence_write_stack writes nothing). */
WHENCE_API int whence_install_crash_handler(void);

/* ---- printing and all threads (second round) ------------------------------
 * Text as whence_write_stack prints it.  A stack deeper than the depth limit
 * (see whence_set_stack_depth) keeps its innermost and outermost frames with
 * "...N more frames elided..." between them. */

/* Writes the text whence_write_stack would print for pcs[0..n) (entries from
 * whence_callers) into buf like snprintf: at most len - 1 bytes and a NUL
 * (nothing when len is 0; buf may then be NULL).  Returns the length of the
 * whole text, so a return value >= len means it was cut.  Entries outside
 * instrumented code are left out.  Async-signal-safe. */
WHENCE_API size_t whence_format_stack(char *buf, size_t len, const uintptr_t *pcs, int n);

/* The most logical frames one printed stack shows (whence_write_stack,
 * whence_format_stack, the crash report, each thread of
 * whence_write_all_stacks); a deeper one keeps the outermost
 * min(frames / 2, 100) and the innermost rest.  0 restores the defaults:
 * every frame for whence_write_stack and whence_format_stack, 200 for a crash
 * report, 100 per thread of a dump.  The environment variable
 * WHENCE_STACK_DEPTH sets it when the library loads.  Returns the previous
 * value, or -1 (and changes nothing) when frames < 0.  Async-signal-safe. */
WHENCE_API int whence_set_stack_depth(int frames);

/* Writes the stack of every thread of the process to fd, each headed by
 * "thread TID "NAME":" and followed by an empty line, the calling thread
 * first (its stack starts at the caller, as whence_write_stack(fd, 0)).
 * Each other thread captures its own stack when asked through a real-time
 * signal (the highest one with the default action when first needed;
 * interrupted system calls restart, sleeps may end early with EINTR); a
 * thread that blocks that signal, is stopped or does not answer within a
 * second is listed as not answering.  Returns the number of threads printed,
 * or a negative errno: -EBADF for a bad fd (not open, not open for writing,
 * a directory's), -EDEADLK when called again from
 * a signal handler that interrupted a dump, -EBUSY when no signal is free,
 * -EPERM under a seccomp filter the program installed after whence was
 * loaded (/proc/self/task is not opened: the filter may kill the process
 * for it), -ESRCH when /proc is another PID namespace's (its thread ids
 * are not this process's), or the error of listing /proc/self/task (the
 * calling thread is printed first in these cases).  Async-signal-safe: a signal handler may call it. */
WHENCE_API int whence_write_all_stacks(int fd);

/* Makes SIGQUIT print "SIGQUIT: quit" and every thread's stack to stderr, as
 * whence_write_all_stacks does, then run the handler installed before (if
 * any) and die of SIGQUIT (exit status and core dump as without a handler),
 * as a Go program does.  A program that ignores SIGQUIT when this is
 * called (SIG_IGN: a background job of a shell inherits it so) keeps
 * ignoring it, and its children with it: nothing is installed, and 0 is
 * returned.  Returns 0 on success (also when already installed), an errno
 * value otherwise. */
WHENCE_API int whence_install_quit_handler(void);

/* C++: inside a catch handler (or std::terminate), the whence_callers
 * entries of the stack where the exception being handled was thrown,
 * innermost first, starting at the function that threw; at most max, and
 * returns how many.  0 when unknown (not handling an exception, or one
 * thrown before libwhence was loaded or by another C++ runtime than
 * libstdc++, or by code whose __cxa_allocate_exception is bound to the C++
 * runtime's rather than libwhence's: an object loaded RTLD_LOCAL, such as
 * a Python extension, after libstdc++ was loaded RTLD_GLOBAL; linking it
 * with libwhence.a and -Wl,-Bsymbolic-functions binds it to libwhence's;
 * or a program whose lookup order puts libstdc++ before libwhence, as
 * -lstdc++ before -lwhence does, or a static link that took libstdc++.a's
 * own allocator: whence_callers_end() and a one-time warning on stderr
 * say so).  Rethrowing (`throw;`, std::rethrow_exception) keeps the
 * original throw site; an exception made by std::make_exception_ptr, never
 * thrown, has the stack where it was made.  The innermost 128 frames are kept; a frame of a
 * library unloaded since the throw is 0.  When an exception is being
 * handled but its throw was not seen, whence_callers_end() says so (and
 * why it may be).  Async-signal-safe. */
WHENCE_API int whence_exception_callers(uintptr_t *pcs, int max);

/* The same in the C++ runtime whose per-thread exception globals are
 * eh_globals (what the C++ ABI's __cxa_get_globals() returns there; NULL:
 * as whence_exception_callers), rather than in the one libwhence binds
 * to: a library with a C++ runtime of its own (-static-libstdc++ with
 * -Bsymbolic-functions or --exclude-libs, as wheels and vendor plugins
 * are linked) handles its exceptions in that runtime, and a program
 * linked with -static-libstdc++ in its own.  whence.hpp passes its
 * caller's.  Async-signal-safe. */
WHENCE_API int whence_exception_callers_in(void *const *eh_globals, uintptr_t *pcs, int max);

/* The same for the exception whose thrown object is at object (what a
 * std::exception_ptr holds, in libstdc++ and libc++: whence.hpp's
 * exception_stacktrace(const std::exception_ptr &)).  object NULL: none
 * (0; whence_callers_end() NULL).  object must be a live exception's
 * thrown object (the C++ runtime's header lies before it and is read),
 * and eh_globals above the runtime's __cxa_get_globals(): anything else
 * is undefined, as for the C++ runtime's own calls.  Async-signal-safe. */
WHENCE_API int whence_exception_callers_of(const void *object, uintptr_t *pcs, int max);

/* Why the calling thread's last whence_callers or whence_exception_callers
 * answer (or whence_caller's false) ends before its stack did, in the words whence_write_stack and the
 * crash report end such a stack with (one line, without the newline):
 * "(the stack ends here: ...)" when the walk reached code that keeps no
 * frame record and has no unwind tables (or whose image has no
 * .eh_frame_hdr to find them by: it has none, or was linked without
 * --eh-frame-hdr, as gcc -static links), code outside every loaded
 * object (a JIT's), or unwind tables whence cannot follow (a rule it does
 * not evaluate) or that lead nowhere, "(more frames: only the innermost
 * 128 were kept)" for an exception's trace.  NULL when the answer ends
 * where the stack does, or is cut at max entries (the caller knows), or
 * there was no such call.  The text is static.  Async-signal-safe. */
WHENCE_API const char *whence_callers_end(void);

/* CPU profile (docs/PROFILE.md): samples every thread's stack hz times per
 * second of the CPU time it uses (1 <= hz <= 10000; Go and gperftools use
 * 100), threads started later included, until whence_profile_stop, which
 * writes a gzipped pprof profile.proto to fd, named in-process from
 * whence's records (stripped binaries too): `go tool pprof -top FILE`.
 * Frames outside instrumented code are kept, named by their dynamic symbol,
 * their file's symbol table, or their object and offset.  One profile at a
 * time; uses SIGPROF.  Returns 0, or EINVAL (hz), EBADF (fd), EBUSY (a profile runs, or the program has its
 * own SIGPROF handler), ENOMEM, or another errno value. */
WHENCE_API int whence_profile_start(int fd, int hz);
/* Stops the profile and writes it: 0, EINVAL when none runs, ECHILD in a
 * child forked while its parent was profiling (the profile is the
 * parent's), or the errno of the write.  Not async-signal-safe. */
WHENCE_API int whence_profile_stop(void);

/* Monotonic clock in nanoseconds (CLOCK_MONOTONIC). */
WHENCE_API int64_t whence_nanotime(void);

/* MemorySanitizer: libwhence is not instrumented, so what it writes and
 * returns would read as uninitialized in an instrumented caller (a false
 * "use-of-uninitialized-value" at the first test of whence_caller's
 * result).  Under -fsanitize=memory each call goes through an inline
 * wrapper that marks its results initialized.  always_inline and nodebug:
 * the wrapper is never a frame, physical or inlined, of its own, and its
 * call of libwhence is the caller's own call, at the caller's line, so
 * skip counts are unchanged. */
#if defined(__has_feature)
#if __has_feature(memory_sanitizer) && !defined(WHENCE_NO_MSAN_WRAPPERS)
#include <sanitizer/msan_interface.h>
#define WHENCE_MSAN_ 1
#endif
#endif
#ifdef WHENCE_MSAN_
#define WHENCE_MSAN_INLINE_ static inline __attribute__((always_inline, nodebug))
#define WHENCE_MSAN_OK_(p, n) __msan_unpoison((const volatile void *)(p), (size_t)(n))
WHENCE_MSAN_INLINE_ bool whence_msan_caller_(int skip, whence_frame *out) {
    bool r = (whence_caller)(skip, out);
    WHENCE_MSAN_OK_(&r, sizeof r);
    WHENCE_MSAN_OK_(out, sizeof *out);
    return r;
}
WHENCE_MSAN_INLINE_ int whence_msan_callers_(int skip, uintptr_t *pcs, int max) {
    int r = (whence_callers)(skip, pcs, max);
    WHENCE_MSAN_OK_(&r, sizeof r);
    if (r > 0)
        WHENCE_MSAN_OK_(pcs, (size_t)r * sizeof *pcs);
    return r;
}
WHENCE_MSAN_INLINE_ void whence_msan_frames_init_(whence_frames *it, const uintptr_t *pcs, int n) {
    (whence_frames_init)(it, pcs, n);
    WHENCE_MSAN_OK_(it, sizeof *it);
}
WHENCE_MSAN_INLINE_ bool whence_msan_frames_next_(whence_frames *it, whence_frame *out) {
    bool r = (whence_frames_next)(it, out);
    WHENCE_MSAN_OK_(&r, sizeof r);
    WHENCE_MSAN_OK_(it, sizeof *it);
    WHENCE_MSAN_OK_(out, sizeof *out);
    return r;
}
WHENCE_MSAN_INLINE_ const whence_func *whence_msan_func_for_pc_(uintptr_t pc) {
    const whence_func *r = (whence_func_for_pc)(pc);
    WHENCE_MSAN_OK_(&r, sizeof r);
    return r;
}
WHENCE_MSAN_INLINE_ const char *whence_msan_func_name_(const whence_func *f) {
    const char *r = (whence_func_name)(f);
    WHENCE_MSAN_OK_(&r, sizeof r);
    return r;
}
WHENCE_MSAN_INLINE_ uintptr_t whence_msan_func_entry_(const whence_func *f) {
    uintptr_t r = (whence_func_entry)(f);
    WHENCE_MSAN_OK_(&r, sizeof r);
    return r;
}
WHENCE_MSAN_INLINE_ int whence_msan_func_line_(const whence_func *f, uintptr_t pc,
                                               const char **file) {
    int r = (whence_func_line)(f, pc, file);
    WHENCE_MSAN_OK_(&r, sizeof r);
    if (file)
        WHENCE_MSAN_OK_(file, sizeof *file);
    return r;
}
WHENCE_MSAN_INLINE_ size_t whence_msan_format_stack_(char *buf, size_t len, const uintptr_t *pcs,
                                                     int n) {
    size_t r = (whence_format_stack)(buf, len, pcs, n);
    WHENCE_MSAN_OK_(&r, sizeof r);
    if (buf && len)
        WHENCE_MSAN_OK_(buf, r + 1 < len ? r + 1 : len);
    return r;
}
WHENCE_MSAN_INLINE_ int whence_msan_exception_callers_(uintptr_t *pcs, int max) {
    int r = (whence_exception_callers)(pcs, max);
    WHENCE_MSAN_OK_(&r, sizeof r);
    if (r > 0)
        WHENCE_MSAN_OK_(pcs, (size_t)r * sizeof *pcs);
    return r;
}
WHENCE_MSAN_INLINE_ int whence_msan_exception_callers_in_(void *const *eh_globals, uintptr_t *pcs,
                                                          int max) {
    int r = (whence_exception_callers_in)(eh_globals, pcs, max);
    WHENCE_MSAN_OK_(&r, sizeof r);
    if (r > 0)
        WHENCE_MSAN_OK_(pcs, (size_t)r * sizeof *pcs);
    return r;
}
WHENCE_MSAN_INLINE_ int whence_msan_exception_callers_of_(const void *object, uintptr_t *pcs,
                                                          int max) {
    int r = (whence_exception_callers_of)(object, pcs, max);
    WHENCE_MSAN_OK_(&r, sizeof r);
    if (r > 0)
        WHENCE_MSAN_OK_(pcs, (size_t)r * sizeof *pcs);
    return r;
}
/* The int results of the rest. */
#define WHENCE_MSAN_INT_(name, params, args)                                                       \
    WHENCE_MSAN_INLINE_ int whence_msan_##name##_ params {                                         \
        int r = (whence_##name) args;                                                              \
        WHENCE_MSAN_OK_(&r, sizeof r);                                                             \
        return r;                                                                                  \
    }
WHENCE_MSAN_INT_(install_crash_handler, (void), ())
WHENCE_MSAN_INT_(set_stack_depth, (int frames), (frames))
WHENCE_MSAN_INT_(write_all_stacks, (int fd), (fd))
WHENCE_MSAN_INT_(install_quit_handler, (void), ())
WHENCE_MSAN_INT_(profile_start, (int fd, int hz), (fd, hz))
WHENCE_MSAN_INT_(profile_stop, (void), ())
WHENCE_MSAN_INLINE_ const char *whence_msan_callers_end_(void) {
    const char *r = (whence_callers_end)();
    WHENCE_MSAN_OK_(&r, sizeof r);
    return r;
}
WHENCE_MSAN_INLINE_ int64_t whence_msan_nanotime_(void) {
    int64_t r = (whence_nanotime)();
    WHENCE_MSAN_OK_(&r, sizeof r);
    return r;
}
#define whence_caller                whence_msan_caller_
#define whence_callers               whence_msan_callers_
#define whence_frames_init           whence_msan_frames_init_
#define whence_frames_next           whence_msan_frames_next_
#define whence_func_for_pc           whence_msan_func_for_pc_
#define whence_func_name             whence_msan_func_name_
#define whence_func_entry            whence_msan_func_entry_
#define whence_func_line             whence_msan_func_line_
#define whence_format_stack          whence_msan_format_stack_
#define whence_exception_callers     whence_msan_exception_callers_
#define whence_exception_callers_in  whence_msan_exception_callers_in_
#define whence_exception_callers_of  whence_msan_exception_callers_of_
#define whence_callers_end           whence_msan_callers_end_
#define whence_install_crash_handler whence_msan_install_crash_handler_
#define whence_set_stack_depth       whence_msan_set_stack_depth_
#define whence_write_all_stacks      whence_msan_write_all_stacks_
#define whence_install_quit_handler  whence_msan_install_quit_handler_
#define whence_profile_start         whence_msan_profile_start_
#define whence_profile_stop          whence_msan_profile_stop_
#define whence_nanotime              whence_msan_nanotime_
#endif /* WHENCE_MSAN_ */

#ifdef __cplusplus
}
#endif

#endif /* WHENCE_H */
