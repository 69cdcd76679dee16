/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * exceptions.c - whence_exception_callers: inside a C++ catch handler, the
 * stack where the exception being handled was thrown.
 *
 * Where the stack is taken.  Every C++ exception object is allocated by the
 * Itanium C++ ABI's __cxa_allocate_exception, called by the throw
 * expression itself (and by std::make_exception_ptr, and by libstdc++'s own
 * throws: they call it through the PLT).  libwhence defines it, weakly, and
 * forwards to the C++ runtime's (dlsym RTLD_NEXT), asking for a little more:
 *
 *     [ __cxa_refcounted_exception | object (size) | pad | trace (16 + 8n) ]
 *                                    ^ obj          obj + round16(size)
 *
 * The trace (whence_callers entries from the throwing function outwards,
 * taken by the frame-pointer walk starting at our own frame: a few ns per
 * frame) lives as long as the exception object, whoever holds it
 * (std::exception_ptr copies, nested exceptions, another thread that
 * rethrows it), and dies with it.  std::rethrow_exception and `throw;`
 * throw the same object again: its trace stays the original throw's.
 *
 * How it is found again.  The catch handler knows only the object: the ABI's
 * per-thread __cxa_get_globals()->caughtExceptions is the header of the
 * exception being handled (a dependent one, from std::rethrow_exception,
 * names its primary object), and its class ("GNUCC++") says the header is
 * libstdc++'s.  That header's padding says where the trace is: a nonce of
 * this allocation (kept in the trace too) and the trace's offset, written
 * at the allocation, so any number of exceptions may be alive, and an
 * object that libstdc++ allocated or freed without passing here (bound to
 * its own definitions: a library linked with -static-libstdc++ and
 * -Bsymbolic-functions) has no nonce, or another, never this trace's.  The
 * padding is written only when the allocator forwarded to is known to lay
 * out libstdc++'s header (libstdc++.so, an object that defines its
 * allocator's neighbour __gnu_cxx::__freeres, or another copy of libwhence
 * that wrote a nonce); an exception from any other gets no trace (0
 * frames, and whence_callers_end says why), as has one thrown before this
 * library was loaded.  (A hash table from address to trace served the
 * other allocators until a library bound to its own libstdc++ freed an
 * object without passing here and the next object at that address, whose
 * bytes still held the old trace, was given that trace: a wrong stack.)
 *
 * Nothing here needs libstdc++ to link: C programs never call these
 * functions, and the C++ runtime's are looked up at the first throw.  With
 * a static libstdc++ the weak definitions lose to the real ones when its
 * allocator is linked (no traces then, as without libwhence); in a fully
 * static program it is not, and libwhence allocates (static_alloc).
 *
 * The crash handler (crash.c) calls wh_exception_report: an uncaught
 * exception's std::terminate is still "handling" it, so the report shows
 * where it was thrown, as Go shows a panic's origin.
 */
#define _GNU_SOURCE
#include "../lookup.h"
#include "cxx.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "../dlfo.h"
#include "../unwind/cfi.h"

#define WH_EXC_MORE 255u
#define WH_EXC_MAGIC UINT64_C(0x77686578632d7432) /* "whexc-t2": this layout */

struct wh_exc_trace {
    uint64_t magic; /* WH_EXC_MAGIC ^ obj */
    uint64_t nonce; /* also in the object's header (WH_CXA_NONCE_OFF) */
    uint64_t seq;   /* the images registered then (wh_reg_seq) */
    uint32_t n;
    uint32_t more; /* the stack went on past the WH_EXC_PCS kept
                      (WH_EXC_MORE), or why the walk ended (wh_walk_end) */
    uintptr_t pcs[]; /* n entries */
};

/* libstdc++'s __cxa_refcounted_exception before the object: a 4-byte
 * reference count, 12 bytes of padding (its __cxa_exception is 16-byte
 * aligned), the 112-byte __cxa_exception; zeroed by its allocator.  The
 * padding holds the nonce and the trace's offset from the object in
 * 16-byte units, tied to the nonce (xor its high half) so that a header
 * overwritten by the program is unlikely to send the reader far. */
#define WH_CXA_REFCOUNTED_SIZE 128
#define WH_CXA_OFF_OFF 4
#define WH_CXA_NONCE_OFF 8
#define WH_EXC_OFF_MAX (UINT32_C(1) << 28) /* in 16-byte units: 4 GiB objects */
/* The allocator forwarded to lays out libstdc++'s header. */
static _Atomic bool wh_exc_gnu;
/* An exception was allocated by one that does not (or too large). */
static _Atomic bool wh_exc_unknown;
/* An exception was allocated without its trace: malloc failed. */
static _Atomic bool wh_exc_nomem;

/* The trace of a live object whose header is libstdc++'s (the caller
 * checked its class, and holds it). */
WH_RT static const struct wh_exc_trace *exc_get(uintptr_t obj) {
    const char *h = (const char *)obj - WH_CXA_REFCOUNTED_SIZE;
    uint64_t nonce;
    uint32_t off;
    memcpy(&nonce, h + WH_CXA_NONCE_OFF, sizeof nonce);
    memcpy(&off, h + WH_CXA_OFF_OFF, sizeof off);
    off ^= (uint32_t)(nonce >> 32);
    if (!nonce || !off || off >= WH_EXC_OFF_MAX)
        return NULL;
    const struct wh_exc_trace *t = (const void *)(obj + (uintptr_t)off * 16);
    if (t->magic == (WH_EXC_MAGIC ^ obj) && t->nonce == nonce && t->n <= WH_EXC_PCS)
        return t;
    return NULL;
}

/* ---- the C++ runtime's own functions -------------------------------------- */

typedef void *(*wh_alloc_fn)(size_t);
typedef void (*wh_free_fn)(void *);
typedef void **(*wh_globals_fn)(void);
typedef void *(*wh_dep_fn)(void);

static _Atomic(wh_alloc_fn) wh_real_alloc;
static _Atomic(wh_dep_fn) wh_real_dep;
static _Atomic(wh_free_fn) wh_real_free;
static _Atomic(wh_globals_fn) wh_get_globals;
/* The allocator forwarded to is another copy of libwhence's (which may
 * write the header: wh_exc_gnu is then per object). */
static _Atomic bool wh_real_whence;

WH_EXPORT void *__cxa_allocate_exception(size_t size);
WH_EXPORT void __cxa_free_exception(void *obj);
WH_EXPORT void *__cxa_allocate_dependent_exception(void);

/* A fully static program with libstdc++.a: the throw's reference to
 * __cxa_allocate_exception was satisfied by ours, so libstdc++'s eh_alloc.o
 * (its allocator) was never linked and there is nothing to forward to.
 * libwhence then allocates as eh_alloc.o does: the object after a zeroed
 * __cxa_refcounted_exception (libstdc++'s header, 128 bytes on LP64: a
 * reference count, then the 16-byte-aligned __cxa_exception), which the
 * rest of libstdc++ (eh_throw.o) finds at obj - 128; freed by
 * __cxa_free_exception, ours as well.  (libc++abi keeps its allocator in
 * the object that throws, so its strong definitions always win.)  The
 * caught exception's header is found through __cxa_get_globals, linked
 * with every throw; weak, so that C programs need no C++ runtime. */
extern void **__cxa_get_globals(void) __attribute__((weak));

WH_RT static void *static_alloc(size_t size) {
    char *p = size <= SIZE_MAX - WH_CXA_REFCOUNTED_SIZE ? malloc(WH_CXA_REFCOUNTED_SIZE + size)
                                                         : NULL;
    if (!p) {
        static const char msg[] = "whence: out of memory allocating a C++ exception\n";
        wh_write_all(2, msg, sizeof msg - 1);
        abort(); /* libstdc++'s std::terminate, without its emergency pool */
    }
    memset(p, 0, WH_CXA_REFCOUNTED_SIZE);
    return p + WH_CXA_REFCOUNTED_SIZE;
}

WH_RT static void static_free(void *obj) {
    free((char *)obj - WH_CXA_REFCOUNTED_SIZE);
}

/* Weak: in a static program's link it would pull in the C library's
 * dlopen, and with it glibc's warning that dlopen in static programs needs
 * its shared libraries at run time, for a call that has nothing to look
 * for there; a C program linking libwhence.a statically got that warning
 * naming whence's C++ support. */
#pragma weak dlopen

/* name's definition after ours: the next one in the global scope, else the
 * loaded C++ runtime's (one loaded by a dlopen'ed library is not in the
 * global scope). */
WH_RT static void *next_definition(const char *name, void *ours) {
    void *p = wh_dlsym_next(name);
    static const char *const libs[] = {"libstdc++.so.6", "libc++abi.so.1", "libc++.so.1"};
    void *(*open)(const char *, int) = dlopen;
    for (size_t i = 0; open && (!p || p == ours) && i < sizeof libs / sizeof *libs; i++) {
        void *h = open(libs[i], RTLD_LAZY | RTLD_NOLOAD);
        if (h) {
            p = dlsym(h, name);
            dlclose(h);
        }
    }
    return p == ours ? NULL : p;
}

/* The object that defines p also defines name (and exports both). */
WH_RT static bool defined_beside(void *p, const char *name) {
    Dl_info dp, dn;
    void *(*open)(const char *, int) = dlopen;
    if (!open || !dladdr(p, &dp))
        return false;
    void *h = dp.dli_fname && *dp.dli_fname ? open(dp.dli_fname, RTLD_LAZY | RTLD_NOLOAD) : NULL;
    if (!h)
        h = open(NULL, RTLD_LAZY); /* (the program: its name may not open it) */
    if (!h)
        return false;
    void *q = dlsym(h, name);
    dlclose(h);
    return q && dladdr(q, &dn) && dn.dli_fbase == dp.dli_fbase;
}

WH_RT static void resolve(void) {
    if (atomic_load_explicit(&wh_real_alloc, memory_order_acquire))
        return;
    wh_free_fn f = (wh_free_fn)next_definition("__cxa_free_exception", (void *)__cxa_free_exception);
    wh_globals_fn g = (wh_globals_fn)next_definition("__cxa_get_globals", NULL);
    wh_alloc_fn a =
        (wh_alloc_fn)next_definition("__cxa_allocate_exception", (void *)__cxa_allocate_exception);
    atomic_store_explicit(&wh_real_dep,
                          (wh_dep_fn)next_definition("__cxa_allocate_dependent_exception",
                                                     (void *)__cxa_allocate_dependent_exception),
                          memory_order_relaxed);
    if (!g)
        g = __cxa_get_globals; /* a static program's (NULL without one) */
    if (!a && !f && g) { /* a static libstdc++ without its eh_alloc.o */
        a = static_alloc;
        f = static_free;
    }
    if (!a || !f) {
        static const char msg[] = "whence: no C++ runtime's __cxa_allocate_exception to forward "
                                  "to; cannot throw\n";
        wh_write_all(2, msg, sizeof msg - 1);
        abort();
    }
    /* libstdc++'s layout, whose padding holds the nonces: its own
     * allocator's or ours.  libc++abi's header has its reference count
     * there, and a library that links libstdc++ statically has another
     * name: eh_alloc.o's __gnu_cxx::__freeres is defined with the
     * allocator (libstdc++ since GCC 5; not libc++abi). */
    Dl_info di;
    const char *path = a != static_alloc && dladdr((void *)a, &di) ? di.dli_fname : NULL;
    const char *base = path && strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    bool gnu = a == static_alloc || (base && !strncmp(base, "libstdc++.so", 12)) ||
               defined_beside((void *)a, "_ZN9__gnu_cxx9__freeresEv");
    atomic_store_explicit(&wh_exc_gnu, gnu, memory_order_relaxed);
    atomic_store_explicit(&wh_real_whence, !gnu && defined_beside((void *)a, "whence_exception_callers"),
                          memory_order_relaxed);
    atomic_store_explicit(&wh_real_free, f, memory_order_relaxed);
    atomic_store_explicit(&wh_get_globals, g, memory_order_relaxed);
    atomic_store_explicit(&wh_real_alloc, a, memory_order_release);
}

/* ---- capture ------------------------------------------------------------------ */

struct exc_sink {
    uint32_t n;
    bool more;
    uintptr_t *pcs;
};

WH_RT static bool exc_emit(void *vc, uintptr_t pc, struct wh_pcinfo *pi) {
    struct exc_sink *c = vc;
    (void)pi;
    if (c->n == WH_EXC_PCS) {
        c->more = true;
        return false;
    }
    c->pcs[c->n++] = pc;
    return true;
}

/* This thread threw through here, or asked for a trace: libstdc++'s
 * per-thread globals exist.  The crash report asks for them only then:
 * in a thread that never used them, with a libstdc++ loaded by dlopen
 * (its thread-local storage allocated at the first use, by malloc), it
 * hung a report of a fault inside malloc, which holds malloc's lock. */
static __thread bool wh_exc_used __attribute__((tls_model("initial-exec")));
static _Atomic uint64_t wh_exc_count;

/* The hooks keep their frame (the walk starts at it: its return address is
 * the throwing function's call) and are never inlined. */
WH_EXPORT WH_RT WH_CAPTURE __attribute__((weak)) void *__cxa_allocate_exception(size_t size) {
    resolve();
    wh_alloc_fn real = atomic_load_explicit(&wh_real_alloc, memory_order_relaxed);
    bool gnu = atomic_load_explicit(&wh_exc_gnu, memory_order_relaxed);
    if (!gnu && !atomic_load_explicit(&wh_real_whence, memory_order_relaxed)) {
        atomic_store_explicit(&wh_exc_unknown, true, memory_order_relaxed);
        return real(size); /* no trace: nowhere sure to name it */
    }
    /* The stack first: the trace takes only the room it needs. */
    uintptr_t pcs[WH_EXC_PCS];
    struct exc_sink c = {.n = 0, .more = false, .pcs = pcs};
    uint64_t seq = atomic_load_explicit(&wh_reg_seq, memory_order_acquire);
    wh_exc_used = true;
    uint8_t end = wh_walk_end; /* (a report's under way in this thread, maybe) */
    wh_walk_end = WH_WALK_DONE;
    wh_own_walk++;
    wh_walk_fp((uintptr_t)__builtin_frame_address(0), exc_emit, &c);
    wh_own_walk--;
    uint8_t stopped = wh_walk_end;
    wh_walk_end = end;
    size_t off = size ? (size + 15) & ~(size_t)15 : 16; /* (0: no trace, in the header) */
    size_t need = sizeof(struct wh_exc_trace) + c.n * sizeof(uintptr_t);
    if (off < size || off + need < off)
        return real(size); /* absurd size: let the C++ runtime fail as it does */
    /* Where malloc fails, libstdc++ takes the object from its emergency
     * pool, which is for the exceptions themselves: one that a trace made
     * larger than malloc could give would take room that another
     * exception needs (110 nested instead of 454).  So the trace is only
     * asked for where malloc can give it (through a volatile pointer:
     * the compiler may drop a malloc whose memory is only freed). */
    void *(*volatile try_malloc)(size_t) = malloc;
    void *probe = try_malloc(WH_CXA_REFCOUNTED_SIZE + off + need);
    if (!probe) {
        atomic_store_explicit(&wh_exc_nomem, true, memory_order_relaxed);
        return real(size);
    }
    free(probe);
    char *obj = real(off + need);
    struct wh_exc_trace *t = (struct wh_exc_trace *)(obj + off);
    memcpy(t->pcs, pcs, c.n * sizeof(uintptr_t));
    t->seq = seq;
    t->n = c.n;
    t->more = c.more ? WH_EXC_MORE : stopped;
    t->magic = WH_EXC_MAGIC ^ (uintptr_t)obj;
    t->nonce = 0;
    char *h = obj - WH_CXA_REFCOUNTED_SIZE;
    if (!gnu) {
        /* Another copy of libwhence's, which knows its allocator's layout
         * when it wrote a nonce (libc++abi's count there is still 0). */
        memcpy(&t->nonce, h + WH_CXA_NONCE_OFF, sizeof t->nonce);
        gnu = t->nonce != 0;
    }
    if (!gnu || off / 16 >= WH_EXC_OFF_MAX) {
        atomic_store_explicit(&wh_exc_unknown, true, memory_order_relaxed);
        return obj; /* no trace: nowhere sure to name it */
    }
    /* Another copy of libwhence's this one forwarded to wrote a nonce:
     * both traces are this object's, and the header then names this one,
     * the outermost copy's (its walk starts at the throw).  Else a new one
     * (this copy's address in it: another copy's differ). */
    memcpy(&t->nonce, h + WH_CXA_NONCE_OFF, sizeof t->nonce);
    if (!t->nonce) {
        t->nonce = ((atomic_fetch_add_explicit(&wh_exc_count, 1, memory_order_relaxed) + 1) *
                        UINT64_C(0x9e3779b97f4a7c15) ^
                    (uintptr_t)&wh_exc_count) |
                   1;
        memcpy(h + WH_CXA_NONCE_OFF, &t->nonce, sizeof t->nonce);
    }
    uint32_t o = (uint32_t)(off / 16) ^ (uint32_t)(t->nonce >> 32);
    memcpy(h + WH_CXA_OFF_OFF, &o, sizeof o);
    return obj;
}

/* The program's throws may bind another __cxa_allocate_exception than
 * ours, which then never runs, and no exception has a trace:
 * - libwhence after the C++ runtime in the symbol lookup order (-lstdc++
 *   linked before -lwhence, libstdc++.so.6 put first in DT_NEEDED by
 *   `patchelf --add-needed`, libwhence loaded with dlopen): the C++
 *   runtime's shared object's;
 * - libwhence.a in a link that also took a strong definition (a static
 *   libstdc++'s eh_alloc.o, which std::exception_ptr's code pulls in, or
 *   mold's static C++ links): one in this copy's own object.
 * The definition bound is this copy's own reference to it (through the
 * GOT: bound by the loader in the global lookup order, as the program's
 * is; in a static link, the one the link took), compared with ours
 * through a local alias, and its object is asked of _dl_find_object:
 * loads, async-signal-safe, where whence_exception_callers runs
 * (dlsym(RTLD_DEFAULT) and dladdr take the loader's lock).
 * - the program's own definition (libwhence.so, and a program linked with
 *   -static-libstdc++, whose eh_alloc.o the link took).
 * Anywhere else (another copy of libwhence's, a library's static C++
 * runtime) or without _dl_find_object, nothing more than "not seen" is
 * said.  Returns WH_WALK_NO_HOOK, WH_WALK_NO_HOOK_LINKED,
 * WH_WALK_NO_HOOK_PROGRAM, or 0. */
extern __typeof(__cxa_allocate_exception) wh_own_alloc
    __attribute__((alias("__cxa_allocate_exception"), visibility("hidden")));

WH_RT static uint8_t hook_unbound(void) {
    void *(*volatile bound)(size_t) = __cxa_allocate_exception;
    void *b = (void *)bound;
    if (b == (void *)wh_own_alloc)
        return 0;
#ifdef WH_HAVE_DLFO
    struct dl_find_object fb, fo;
    if (!_dl_find_object || _dl_find_object(b, &fb) != 0 || !fb.dlfo_link_map ||
        _dl_find_object((void *)wh_own_alloc, &fo) != 0)
        return 0;
#ifdef WH_STATIC_ARCHIVE
    if (fb.dlfo_map_start == fo.dlfo_map_start)
        return WH_WALK_NO_HOOK_LINKED;
#endif
    const char *n = fb.dlfo_link_map->l_name, *base = n ? strrchr(n, '/') : NULL;
    if (n && !*n && fb.dlfo_link_map->l_prev == NULL)
        return WH_WALK_NO_HOOK_PROGRAM;
    base = base ? base + 1 : n;
    if (base && (!strncmp(base, "libstdc++.so", 12) || !strncmp(base, "libc++abi.so", 12) ||
                 !strncmp(base, "libc++.so", 9)))
        return WH_WALK_NO_HOOK;
#endif
    return 0;
}

/* Said once, when an exception being handled has no trace for that reason
 * (as thread_altstack.c says of libwhence.so after the C library). */
WH_RT static void say_unbound(uint8_t why) {
    if (!wh_once(WH_ONCE_CXX_HOOK))
        return;
    struct wh_buf w = {.fd = 2};
    if (why == WH_WALK_NO_HOOK_PROGRAM)
        wh_buf_str(&w, "whence: the program's throws call a __cxa_allocate_exception linked into "
                       "the program itself (a static C++ runtime: -static-libstdc++), not "
                       "libwhence's, so whence sees no exception thrown and "
                       "whence_exception_callers finds no stack; link the C++ runtime "
                       "dynamically\n");
    else if (why == WH_WALK_NO_HOOK_LINKED)
        wh_buf_str(&w, "whence: the link took another, strong __cxa_allocate_exception over "
                       "libwhence.a's weak one (a static C++ runtime's own allocator, such as "
                       "libstdc++.a's eh_alloc.o, which std::exception_ptr's code pulls in), so "
                       "whence sees no exception thrown and whence_exception_callers finds no "
                       "stack\n");
    else
        wh_buf_str(&w, "whence: libwhence comes after the C++ runtime in the symbol lookup order "
                       "(-lwhence linked after -lstdc++, libstdc++.so.6 first in DT_NEEDED, or "
                       "libwhence loaded with dlopen): the program's throws call the C++ "
                       "runtime's __cxa_allocate_exception, not libwhence's, so whence sees no "
                       "exception thrown and whence_exception_callers finds no stack; link the "
                       "program with -lwhence before -lstdc++ and the libraries that need it, or "
                       "preload it (LD_PRELOAD=libwhence.so)\n");
    wh_buf_flush(&w);
}

WH_EXPORT WH_RT __attribute__((weak)) void __cxa_free_exception(void *obj) {
    resolve();
    atomic_load_explicit(&wh_real_free, memory_order_relaxed)(obj);
}

/* std::rethrow_exception (std::future::get, a thread pool handing a task's
 * exception to its waiter) allocates here: this thread will handle an
 * exception thrown in another, maybe uncaught, and its crash report is to
 * say where that one was thrown.  The report asks libstdc++ for the
 * exception only in a thread that used its per-thread globals
 * (wh_exc_used): they are made to exist here first, outside any signal
 * handler.  (A fully static program whose libstdc++.a brings its own
 * allocator, eh_alloc.o, keeps that one: then as before.) */
WH_EXPORT WH_RT __attribute__((weak)) void *__cxa_allocate_dependent_exception(void) {
    resolve();
    wh_dep_fn f = atomic_load_explicit(&wh_real_dep, memory_order_relaxed);
    if (!f) {
        static const char msg[] = "whence: no C++ runtime's __cxa_allocate_dependent_exception "
                                  "to forward to; cannot rethrow\n";
        wh_write_all(2, msg, sizeof msg - 1);
        abort();
    }
    void *d = f();
    wh_globals_fn g = atomic_load_explicit(&wh_get_globals, memory_order_relaxed);
    if (g && g())
        wh_exc_used = true;
    return d;
}

/* ---- the exception being handled ----------------------------------------------
 * libstdc++'s layout (unwind-cxx.h, x86-64): caughtExceptions points at a
 * __cxa_exception (112 bytes, _Unwind_Exception at 80, the object right
 * after it) or at a __cxa_dependent_exception of the same shape whose first
 * word is the primary object; its class says which.  A foreign exception's
 * entry is where that header would be before its _Unwind_Exception, which
 * may be before its allocation: its class, read first, says so. */
#define WH_CXA_UNWIND_OFF 80
#define WH_CXA_HEADER_SIZE 112
#define WH_CXA_CLASS_PRIMARY UINT64_C(0x474e5543432b2b00)   /* "GNUCC++\0" */
#define WH_CXA_CLASS_DEPENDENT UINT64_C(0x474e5543432b2b01) /* "GNUCC++\1" */

/* The _Unwind_Exception's private_2 (after its class, its cleanup and
 * private_1): where the search phase found the handler, the catching
 * frame's CFA (libgcc; LLVM's libunwind: its stack pointer).  Neither
 * catching nor rethrowing the same object elsewhere (a new search) leaves
 * it stale; 0 when no handler was found (std::terminate's). */
#define WH_CXA_HANDLER_OFF (WH_CXA_UNWIND_OFF + 24)

/* The C++ runtime's (libstdc++'s or libc++abi's): the type of the
 * exception being handled, NULL outside a catch.  Weak: a C program has
 * none. */
extern void *__cxa_current_exception_type(void) __attribute__((weak));

/* The object of the exception being handled in the C++ runtime whose
 * per-thread globals are globals (__cxa_get_globals: NULL, none known), 0
 * when none is known; *none: certainly none is being handled (outside
 * any catch); *foreign: one is, whose class is not libstdc++'s (the
 * WH_WALK_* that says so; else 0).  Class 0 is glibc's unwinding of a
 * thread that is cancelled or calls pthread_exit (abi::__forced_unwind),
 * which throws nothing: it was said to be "thrown through a C++ runtime
 * other than libstdc++". */
WH_RT static uintptr_t handled_in(void *const *globals, bool *none, uint8_t *foreign,
                                  uintptr_t *handler) {
    *none = false;
    *foreign = 0;
    *handler = 0;
    const unsigned char *h = globals ? (const unsigned char *)globals[0] : NULL;
    *none = globals && !h;
    if (!h || ((uintptr_t)h & 7))
        return 0;
    uint64_t cls;
    memcpy(&cls, h + WH_CXA_UNWIND_OFF, sizeof cls);
    if (cls == WH_CXA_CLASS_PRIMARY || cls == WH_CXA_CLASS_DEPENDENT)
        memcpy(handler, h + WH_CXA_HANDLER_OFF, sizeof *handler);
    if (cls == WH_CXA_CLASS_PRIMARY)
        return (uintptr_t)h + WH_CXA_HEADER_SIZE;
    if (cls != WH_CXA_CLASS_DEPENDENT) {
        *foreign = cls ? WH_WALK_NO_TRACE_FOREIGN : WH_WALK_NO_TRACE_FORCED;
        return 0;
    }
    uintptr_t w0;
    memcpy(&w0, h, sizeof w0);
    return w0 && !(w0 & 7) ? w0 : 0;
}

/* The same in the C++ runtime libwhence binds to (or the one its hook
 * forwarded a throw to). */
WH_RT static uintptr_t handled_object(bool *none, uint8_t *foreign, uintptr_t *handler) {
    wh_globals_fn g = atomic_load_explicit(&wh_get_globals, memory_order_relaxed);
    if (!g) /* nothing thrown through this copy yet: maybe through another */
        g = __cxa_get_globals;
    if (!g) {
        *foreign = 0;
        *handler = 0;
        *none = !__cxa_current_exception_type || !__cxa_current_exception_type();
        return 0;
    }
    return handled_in(g(), none, foreign, handler);
}

struct on_stack {
    uintptr_t id;
    bool found;
};

WH_RT static bool on_stack_visit(void *arg, const struct wh_uw_regs *r, bool exact) {
    struct on_stack *o = arg;
    (void)exact;
    /* (a signal frame's context is its CFA - 1 to libgcc) */
    if (r->v[WH_UW_SP] == o->id || r->v[WH_UW_SP] - 1 == o->id) {
        o->found = true;
        return false;
    }
    return true;
}

/* Whether the frame the unwinder found a handler in (id, WH_CXA_HANDLER_OFF)
 * is one of this thread's stack now: 1 yes, 0 no (the walk reached the
 * stack's end without it), -1 not known (it stopped short).  Stack
 * switching inside a catch handler (Boost.Context, asio::spawn, ucontext
 * fibers) leaves the C++ runtime's per-thread list of caught exceptions
 * naming another fiber's: its trace would be another throw's, printed as
 * this one's (helper-143).  Walked by the unwind tables from this frame,
 * until the handler's frame (a few frames up: the caller's catch). */
WH_RT static __attribute__((noinline)) int handler_here(uintptr_t id, const void *uc) {
    struct wh_uw_regs r = {.known = WH_UW_BIT(WH_UW_RA) | WH_UW_BIT(WH_UW_SP) | WH_UW_BIT(WH_UW_FP)};
    if (uc) {
        /* (the crash report: from the interrupted context, as the
         * report's own walk starts) */
        struct wh_regs at;
        wh_regs_of(uc, &at);
        wh_uw_regs_interrupted(&at, &r);
    } else {
        uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
        r.v[WH_UW_RA] = (uintptr_t)__builtin_return_address(0);
        r.v[WH_UW_SP] = (uintptr_t)__builtin_dwarf_cfa();
        r.v[WH_UW_FP] = ((const uintptr_t *)fp)[0];
    }
    struct on_stack o = {id, false};
    int rc = wh_uw_walk(&r, uc != NULL, wh_signal_depth > 0, 4096, on_stack_visit, &o);
    if (o.found)
        return 1;
    return rc == WH_CFI_END ? 0 : -1;
}

/* pcs[0..n) of trace t as they are now: a frame whose image was unloaded
 * since the throw (dlclose; another image may be where it was) is 0, a pc
 * in no code: never the name of what is there now. */
WH_RT static void trace_copy(const struct wh_exc_trace *t, uintptr_t *pcs, int n) {
    memcpy(pcs, t->pcs, (size_t)n * sizeof *pcs);
    if (atomic_load_explicit(&wh_reg_seq, memory_order_acquire) == t->seq)
        return; /* (nothing registered since, so nothing was unloaded) */
    for (int k = 0; k < n; k++) {
        uintptr_t e = pcs[k];
        struct wh_pcinfo pi;
        /* (a slot's loc, in its image's records; else the pc as the walk
         * found it) */
        bool same = ((e & WH_TOKEN_LOC) ? wh_find_loc(wh_token_pc(e), &pi)
                                        : wh_find(wh_token_pc(e), !(e & WH_TOKEN_EXACT), &pi)) &&
                    atomic_load_explicit(&pi.slot->seq, memory_order_acquire) <= t->seq;
        if (!same)
            pcs[k] = 0;
    }
}

/* The stack of the exception whose object is obj (0: none known; none:
 * certainly none is being handled; foreign: its class is not
 * libstdc++'s). */
WH_RT static int callers_of(uintptr_t obj, bool none, uint8_t foreign, uintptr_t *pcs, int max) {
    const struct wh_exc_trace *t = obj ? exc_get(obj) : NULL;
    if (!t) {
        if (!none) {
            uint8_t why = foreign ? foreign : hook_unbound();
            if (!why && atomic_load_explicit(&wh_exc_unknown, memory_order_relaxed))
                why = WH_WALK_NO_TRACE_LAYOUT;
            else if (!why && atomic_load_explicit(&wh_exc_nomem, memory_order_relaxed))
                why = WH_WALK_NO_TRACE_NOMEM;
            wh_callers_end = why ? why : WH_WALK_NO_TRACE;
            if (why == WH_WALK_NO_HOOK || why == WH_WALK_NO_HOOK_LINKED ||
                why == WH_WALK_NO_HOOK_PROGRAM)
                say_unbound(why);
        }
        return 0;
    }
    int n = (int)t->n < max ? (int)t->n : max;
    trace_copy(t, pcs, n);
    /* (cut by max: the caller knows) */
    if (n == (int)t->n)
        wh_callers_end = t->more == WH_EXC_MORE ? WH_WALK_KEPT : (uint8_t)t->more;
    return n;
}

/* The exception being handled in the runtime whose globals are globals
 * (NULL: the one libwhence binds to). */
WH_RT static int callers_handled(void *const *globals, uintptr_t *pcs, int max) {
    wh_callers_end = WH_WALK_DONE;
    if (!pcs || max <= 0)
        return 0;
    wh_exc_used = true;
    bool none;
    uint8_t foreign;
    uintptr_t handler;
    uintptr_t obj = globals ? handled_in(globals, &none, &foreign, &handler)
                            : handled_object(&none, &foreign, &handler);
    if (obj && handler && handler_here(handler, NULL) == 0) {
        wh_callers_end = WH_WALK_NO_TRACE_OTHER_STACK;
        return 0;
    }
    return callers_of(obj, none, foreign, pcs, max);
}

WH_EXPORT WH_RT int whence_exception_callers(uintptr_t *pcs, int max) {
    return callers_handled(NULL, pcs, max);
}

WH_EXPORT WH_RT int whence_exception_callers_in(void *const *eh_globals, uintptr_t *pcs,
                                                int max) {
    return callers_handled(eh_globals, pcs, max);
}

WH_EXPORT WH_RT int whence_exception_callers_of(const void *object, uintptr_t *pcs, int max) {
    wh_callers_end = WH_WALK_DONE;
    if (!pcs || max <= 0 || !object || ((uintptr_t)object & 7))
        return 0;
    wh_exc_used = true;
    /* (a primary exception's object: its __cxa_exception right before it;
     * libc++abi's class differs, and its header is not libstdc++'s) */
    uint64_t cls;
    memcpy(&cls, (const char *)object - (WH_CXA_HEADER_SIZE - WH_CXA_UNWIND_OFF), sizeof cls);
    bool gnu = cls == WH_CXA_CLASS_PRIMARY;
    return callers_of(gnu ? (uintptr_t)object : 0, false, gnu ? 0 : WH_WALK_NO_TRACE_FOREIGN, pcs,
                      max);
}

/* ---- the crash report ------------------------------------------------------------ */

/* Frames as whence_write_stack prints them (stack.c's format). */
WH_RT static void put_frames(struct wh_buf *w, const uintptr_t *pcs, int n) {
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        wh_put_frame(w, &f);
}

WH_RT void wh_exception_report(int fd, const void *uc) {
    bool none;
    uint8_t foreign;
    uintptr_t handler = 0;
    uintptr_t obj = wh_exc_used ? handled_object(&none, &foreign, &handler) : 0;
    const struct wh_exc_trace *t = obj ? exc_get(obj) : NULL;
    if (!t || !t->n)
        return;
    struct wh_buf w = {.fd = fd};
    /* (a fiber's crash inside its catch handler, after another fiber
     * caught its own: the report printed the other's throw, helper-144) */
    if (handler && handler_here(handler, uc) == 0) {
        wh_buf_str(&w, "exception: the one the C++ runtime says this thread is handling was "
                       "caught on another stack (a fiber or coroutine switched inside its "
                       "catch handler): its stack is not shown\n");
        wh_buf_flush(&w);
        return;
    }
    uintptr_t pcs[WH_EXC_PCS];
    trace_copy(t, pcs, (int)t->n);
    wh_buf_str(&w, "exception thrown at:\n");
    put_frames(&w, pcs, (int)t->n);
    if (t->more == WH_EXC_MORE)
        wh_buf_str(&w, "(more frames: only the innermost " WH_EXC_PCS_TEXT " were kept)\n");
    else if (t->more == WH_WALK_NO_CFI || t->more == WH_WALK_NO_CFI_BELOW ||
             t->more == WH_WALK_NO_OBJECT || t->more == WH_WALK_NO_INDEX ||
             t->more == WH_WALK_NO_INDEX_BELOW || t->more == WH_WALK_CFI_UNREAD ||
             t->more == WH_WALK_CFI_UNREAD_BELOW)
        wh_put_walk_end(&w, (uint8_t)t->more);
    wh_buf_flush(&w);
}
