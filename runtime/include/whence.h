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
 * in the process), whence_write_stack and the crash handler are
 * async-signal-safe: they take no lock and do not allocate once the lookup
 * tables exist.  Results are per thread: a thread only ever sees its own
 * frames.
 */
#ifndef WHENCE_H
#define WHENCE_H

#include <stdbool.h>
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
 * is no frame at that depth. */
WHENCE_API bool whence_caller(int skip, whence_frame *out);

/* Writes at most max physical-frame entries (return addresses or runtime
 * tokens) starting `skip` logical frames above the caller, and returns how
 * many it wrote.  Entries past the count are untouched; max <= 0 writes
 * nothing.  Never allocates. */
WHENCE_API int whence_callers(int skip, uintptr_t *pcs, int max);

/* Iterates the logical frames of entries from whence_callers: an entry's
 * inlined frames first (inlined = true), then its physical frame.  The
 * iterator does not copy pcs: keep the array alive while iterating. */
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
 * entry; anything else gives NULL.  Never crashes, whatever pc is. */
WHENCE_API const whence_func *whence_func_for_pc(uintptr_t pc);
WHENCE_API const char *whence_func_name(const whence_func *f);   /* "" for NULL */
WHENCE_API uintptr_t   whence_func_entry(const whence_func *f);  /* 0 for NULL */
/* Go's Func.FileLine: the line of the instruction at pc (a call, or a load,
 * store or atomic with a line record; else the nearest such before it) when
 * records are present, the function's first line otherwise; 0 and "?" when
 * unknown.  As in Go, a return address names the instruction after the
 * call: pass ra-1, or expand whence_callers entries with whence_frames.
 * file may be NULL. */
WHENCE_API int whence_func_line(const whence_func *f, uintptr_t pc, const char **file);

/* Writes the stack from `skip` logical frames above the caller to fd, one
 * frame per two lines ("function(...)" then "\tfile:line +0xOFF"), innermost
 * first; inlined frames are marked "(inlined)".  Async-signal-safe. */
WHENCE_API void whence_write_stack(int fd, int skip);

/* Installs handlers for SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT that
 * print the fault site and stack to stderr on an alternate signal stack, then
 * let the signal's default action run.  Earlier handlers are chained.
 * Returns 0 on success, an errno value otherwise. */
WHENCE_API int whence_install_crash_handler(void);

/* C++: inside a catch handler (or std::terminate), the whence_callers
 * entries of the stack where the exception being handled was thrown,
 * innermost first, starting at the function that threw; at most max, and
 * returns how many.  0 when unknown (not handling an exception, or one
 * thrown before libwhence was loaded or by another C++ runtime than
 * libstdc++).  Rethrowing (`throw;`, std::rethrow_exception) keeps the
 * original throw site.  Async-signal-safe. */
WHENCE_API int whence_exception_callers(uintptr_t *pcs, int max);

/* Monotonic clock in nanoseconds (CLOCK_MONOTONIC). */
WHENCE_API int64_t whence_nanotime(void);

#ifdef __cplusplus
}
#endif

#endif /* WHENCE_H */
