/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * profile.h - the CPU profiler's parts (whence_profile_start/stop,
 * WHENCE_CPUPROFILE), private to runtime/profile/:
 *
 *   handler.c   the SIGPROF handler: a sample of the interrupted stack
 *               (instrumented and foreign frames) into the ring; a drain of
 *               the ring when it is a quarter full; a look for new threads
 *               every 10 ms of CPU time (or when the process-wide fallback
 *               timer asks)
 *   ring.c      the sample ring: fixed slots claimed and filled with one
 *               compare-and-swap, lock-free
 *   raw.c       the stacks as captured, counted (drained into in signal
 *               context or in ordinary code, under a try-lock)
 *   timers.c    per-thread CPU-time timers kept in step with
 *               /proc/self/task (and the setitimer fallback)
 *   agg.c       ordinary code: raw stacks -> named locations -> stacks of
 *               locations, at a dlclose and at the stop
 *   resolve.c   entries -> pprof locations: whence's frames for
 *               instrumented code, the loaded object and its dynamic
 *               symbol (or unwind-table function start) for the rest;
 *               mappings and build ids
 *   vec.c       mmap-backed growable arrays and the string table
 *   pprof.c     profile.proto, hand-encoded
 *   gzip.c      a small deflate (fixed Huffman codes, LZ77) in gzip framing
 *   api.c       start/stop, fork, dlclose, WHENCE_CPUPROFILE
 *
 * No thread of the profiler's own: a second thread would switch glibc
 * (malloc first) to its multi-threaded paths in a program that has one
 * thread, which costs such a program more than the profiler itself.
 */
#ifndef WHENCE_RUNTIME_PROFILE_H
#define WHENCE_RUNTIME_PROFILE_H

#include "../internal.h"

#include <pthread.h>
#include <sys/types.h>

/* ---- entries --------------------------------------------------------------------
 * A slot holds walk entries (internal.h's tokens, never with skip bits) with
 * one more bit of our own for frames outside instrumented code, and after
 * a frame named by its caller-frame slot (WH_TOKEN_LOC: the address of the
 * call's loc, not of code) its return address tagged WH_PR_RA: pprof's
 * address of that frame, which must be in the call (a tool that
 * symbolizes the mapping again reads its line there). */
#define WH_PR_FOREIGN (UINT64_C(1) << WH_TOKEN_SHIFT)
#define WH_PR_RA      (UINT64_C(1) << (WH_TOKEN_SHIFT + 1))
/* A sample's outermost entry when the walk ended before the stack did:
 * both tags and the WH_WALK_* reason (a pc no entry has). */
#define WH_PR_END     (WH_PR_FOREIGN | WH_PR_RA)

/* ---- the ring (ring.c) ------------------------------------------------------------- */
#define WH_PR_DEPTH 62      /* physical frames per sample ... */
#define WH_PR_WORDS 126     /* ... in this many entries (a slot is 1 KiB) */
#define WH_PR_SLOTS 2048u   /* 2 MiB; drained when a quarter full */

enum { WH_PR_FREE = 0, WH_PR_WRITING = 1, WH_PR_FULL = 2 };

struct wh_pr_slot {
    /* 0, or session << 2 | WH_PR_WRITING / WH_PR_FULL: a slot filled for
     * an older session is thrown away by the next drain. */
    _Atomic uint64_t state;
    uint32_t n;
    uint32_t weight;     /* timer periods it stands for: 1 + the overrun */
    uintptr_t pcs[WH_PR_WORDS];
};

struct wh_pr_ring {
    _Atomic uint64_t cursor;     /* where the next claim starts looking */
    _Atomic uint64_t nfull;      /* slots committed and not yet drained (a hint) */
    struct wh_pr_slot slot[WH_PR_SLOTS];
};

/* The ring: mapped by the first start, never unmapped (a handler late
 * from a stopped session may still write into it). */
WH_HIDDEN struct wh_pr_ring *wh_pr_ring_get(void);
/* The ring if mapped, else NULL (signal-safe). */
WH_HIDDEN struct wh_pr_ring *wh_pr_ring_now(void);
/* A free slot, marked as being written for session sess; NULL if none
 * was found in a few probes (the sample is dropped).  Signal-safe. */
WH_HIDDEN struct wh_pr_slot *wh_pr_claim(struct wh_pr_ring *r, uint64_t sess);
WH_HIDDEN void wh_pr_commit(struct wh_pr_ring *r, struct wh_pr_slot *s, uint64_t sess);
/* Calls fn for each full slot of session sess and frees it; frees full
 * slots of other sessions unseen.  Returns the number of samples. */
WH_HIDDEN uint32_t wh_pr_drain(struct wh_pr_ring *r, uint64_t sess,
                               void (*fn)(void *ctx, const uintptr_t *pcs, uint32_t n,
                                          uint32_t weight),
                               void *ctx);
/* Forgets every slot (a forked child: the writers do not exist there). */
WH_HIDDEN void wh_pr_ring_reset(struct wh_pr_ring *r);

/* ---- the handler (handler.c) ----------------------------------------------------------- */
/* The running session (0: none); the handler records only signals of it. */
WH_HIDDEN extern _Atomic uint64_t wh_pr_session;
WH_HIDDEN extern _Atomic int wh_pr_itimer;        /* the session's signals come from setitimer */
WH_HIDDEN extern _Atomic int64_t wh_pr_itimer_cpu; /* the process's CPU time at the last one (ns) */
WH_HIDDEN extern _Atomic uint32_t wh_pr_inflight; /* handlers inside the recording part */
WH_HIDDEN extern _Atomic uint64_t wh_pr_dropped;  /* samples lost: ring or raw table full */
WH_HIDDEN extern _Atomic uint64_t wh_pr_no_tp;    /* samples of threads without a thread pointer */
WH_HIDDEN extern _Atomic uint64_t wh_pr_overrun;  /* expirations merged into another's signal */
/* A session's signals carry session << WH_PR_SESS_SHIFT in si_value, a
 * thread's timer its cell (below) << 1, and bit 0 marks the process-wide
 * fallback timer that asks for a look at the threads (timers.c). */
#define WH_PR_SCAN 1u
#define WH_PR_CELL_BITS 20
#define WH_PR_CELLS (1u << WH_PR_CELL_BITS)
#define WH_PR_SESS_SHIFT (1 + WH_PR_CELL_BITS)
/* Per-thread timers: the periods each timer's signals stood for, by cell
 * (1 .. WH_PR_CELLS - 1; 0: none), against which the stop tells a thread
 * that never took them (it blocks SIGPROF: GLib's worker thread) by its
 * CPU time (timers.c).  Mapped at the first start, never unmapped. */
WH_HIDDEN extern _Atomic uint64_t *_Atomic wh_pr_cells;
/* A forked child's profile takes no sample before the child has used this
 * much CPU time: a child that puts SIGPROF's default action back before
 * it execs (libuv's uv_spawn, a daemon's clean-up, posix_spawn's
 * SETSIGDEF done by hand) was killed by a sample in between (17 of 20
 * children that used 15 ms of CPU; libuv's spawn tests at 1000 Hz:
 * helper-127).  Such children exec within a millisecond or so. */
#define WH_PR_CHILD_HOLD_NS 50000000L
/* Installs the handler for SIGPROF: 0, or EBUSY when the program has a
 * handler of its own there. */
WH_HIDDEN int wh_pr_handler_install(void);
/* Another handler is on SIGPROF now (the program put its own there during
 * the profile): the samples since were not taken, which the profile says. */
WH_HIDDEN bool wh_pr_handler_taken(void);
/* SIGPROF ignored where the handler is this copy's (its object is being
 * unloaded). */
WH_HIDDEN void wh_pr_handler_release(void);

/* ---- timers (timers.c) -------------------------------------------------------------------- */
struct wh_pr_timer {
    int tid;
    int id;          /* the kernel's timer id */
    uint32_t cell;   /* its periods' counter in wh_pr_cells; 0: none */
    int64_t cpu0;    /* the thread's CPU time when the timer was made (ns); -1 */
};

struct wh_pr_timers {
    _Atomic int lock;        /* ordinary code waits for it, a handler tries it */
    int itimer;              /* 1: one setitimer(ITIMER_PROF) for the process */
    int dirfd;               /* /proc/self/task */
    int scan_id;             /* the process-wide fallback timer asking for scans; -1 */
    long period_ns;
    uint64_t cookie;         /* si_value of the samples' signals */
    nlink_t nlink;           /* of /proc/self/task at the last listing */
    int64_t last_list, last_check;
    struct wh_pr_timer *t;   /* sorted by tid */
    uint32_t n, cap;
    int *tids;               /* scratch: the listing */
    uint32_t ntids, captids;
    uint64_t rng;
    long hold_ns;            /* pushes back the first expiries of a start's timers */
    uint32_t ncells;         /* cells given out this session (the next is ncells + 1) */
};

/* Arms the timers of every thread there is (per-thread timers unless
 * WHENCE_CPUPROFILE_TIMER=itimer or they are not available) and the
 * process-wide one that asks for scans, none of them before hold_ns of
 * CPU time: 0 or errno.  Ordinary code. */
WH_HIDDEN int wh_pr_timers_start(struct wh_pr_timers *t, long period_ns, uint64_t cookie,
                                 long hold_ns);
/* Keeps the timers in step with the threads and pushes the process-wide
 * fallback timer back: called by the handler (a sample's, every 10 ms of
 * sampled CPU time, or the fallback's), under t->lock (taken with a try).
 * Signal-safe. */
WH_HIDDEN void wh_pr_timers_scan(struct wh_pr_timers *t, int64_t now);
WH_HIDDEN bool wh_pr_timers_trylock(struct wh_pr_timers *t);
WH_HIDDEN void wh_pr_timers_unlock(struct wh_pr_timers *t);
/* Deletes every timer (ordinary code; waits for a scan in progress).
 * Returns the periods of CPU time that threads alive now used under their
 * timers without taking the signals (they block SIGPROF), when counted
 * (counted is false with setitimer, or when unsampled says not to). */
WH_HIDDEN uint64_t wh_pr_timers_stop(struct wh_pr_timers *t, bool count);
/* A forked child: the timers belong to the parent; forget them. */
WH_HIDDEN void wh_pr_timers_forget(struct wh_pr_timers *t);
WH_HIDDEN extern struct wh_pr_timers wh_pr_timers;

/* ---- growable arrays and strings (vec.c) ----------------------------------------------------- */
struct wh_vec {
    char *p;
    size_t n, cap;   /* bytes */
    bool oom;        /* a growth failed: the profile is incomplete */
};
WH_HIDDEN bool wh_vec_reserve(struct wh_vec *v, size_t more);
WH_HIDDEN void *wh_vec_push(struct wh_vec *v, const void *p, size_t n);
WH_HIDDEN void wh_vec_free(struct wh_vec *v);
#define WH_VEC_AT(v, T, i) (((T *)(v)->p)[i])
#define WH_VEC_LEN(v, T) ((v)->n / sizeof(T))

/* Interned strings; index 0 is "" (profile.proto's string_table[0]). */
struct wh_strtab {
    struct wh_vec bytes;     /* the strings, NUL-terminated */
    struct wh_vec offs;      /* uint32_t per string: offset in bytes */
    uint32_t *hash;          /* open addressing: index + 1, 0 empty */
    uint32_t hcap;
};
WH_HIDDEN uint32_t wh_str_intern(struct wh_strtab *t, const char *s, size_t len);
WH_HIDDEN const char *wh_str_at(const struct wh_strtab *t, uint32_t i);
WH_HIDDEN uint32_t wh_str_count(const struct wh_strtab *t);
WH_HIDDEN void wh_str_free(struct wh_strtab *t);

/* A map from 64-bit keys (never 0) to 32-bit values, open addressing. */
struct wh_map64 {
    uint64_t *keys;
    uint32_t *vals;
    uint32_t cap, n;
    bool oom;
};
WH_HIDDEN bool wh_map64_get(const struct wh_map64 *m, uint64_t key, uint32_t *val);
WH_HIDDEN bool wh_map64_put(struct wh_map64 *m, uint64_t key, uint32_t val);
/* Removes the keys for which drop(ctx, key) is true (a rebuild). */
WH_HIDDEN void wh_map64_filter(struct wh_map64 *m, bool (*drop)(void *ctx, uint64_t key),
                               void *ctx);
WH_HIDDEN void wh_map64_free(struct wh_map64 *m);
WH_HIDDEN uint64_t wh_mix64(uint64_t x);

/* ---- stacks as captured (raw.c) ------------------------------------------------------- */
struct wh_pr_raw {
    _Atomic int lock;
    struct wh_vec stacks;    /* struct raw_stack */
    struct wh_vec pool;      /* uintptr_t entries */
    uint32_t *index;         /* open addressing: stack index + 1 */
    uint32_t cap;
};
WH_HIDDEN extern struct wh_pr_raw wh_pr_raw;
WH_HIDDEN bool wh_raw_trylock(struct wh_pr_raw *r);
WH_HIDDEN void wh_raw_lock(struct wh_pr_raw *r);   /* ordinary code only */
WH_HIDDEN void wh_raw_unlock(struct wh_pr_raw *r);
/* Moves the ring's samples of session sess into r (under r's lock); a
 * stack that does not fit is counted as dropped.  Signal-safe. */
WH_HIDDEN void wh_raw_drain(struct wh_pr_raw *r, struct wh_pr_ring *ring, uint64_t sess);
WH_HIDDEN void wh_raw_each(struct wh_pr_raw *r,
                           void (*fn)(void *ctx, const uintptr_t *pcs, uint32_t n,
                                      uint64_t count),
                           void *ctx);
WH_HIDDEN void wh_raw_clear(struct wh_pr_raw *r);
WH_HIDDEN void wh_raw_free(struct wh_pr_raw *r);

/* ---- the aggregated profile (agg.c, resolve.c, pprof.c) ---------------------------------------- */
struct wh_pr_func {
    uint32_t name, file, start_line;
};
struct wh_pr_line {
    uint32_t func;
    int32_t line, column;
};
enum {
    WH_LOC_WHENCE = 1,      /* named from whence's records */
    WH_LOC_PENDING = 2,     /* not resolved yet */
    WH_LOC_OFFSET = 4,      /* named OBJECT+0xOFFSET: no symbol named it */
    WH_LOC_FOLDED = 8,      /* in code the linker folded from several
                               functions: no one symbol names it */
};
struct wh_pr_loc {
    uint64_t key;           /* the entry it was made for (0: synthetic) */
    uint64_t addr;          /* pprof's address: the instruction (ra - 1 for a call) */
    uint64_t ra;            /* a slot's frame: the first return address seen (0: none) */
    uint32_t mapping;       /* index + 1; 0: none */
    uint32_t line0, nline;  /* into lines */
    uint32_t flags;
};
struct wh_pr_mapping {
    uint64_t start, limit, offset;
    uint32_t file, build_id;
    uint32_t nloc, nwhence;  /* locations in it, of which named by whence */
    uint32_t nunnamed;       /* ... of which without a function's name (pprof.c) */
    uintptr_t base;          /* the object's load bias (matching key) */
    bool live;               /* in the latest snapshot of loaded objects */
};
/* A loaded object as the last snapshot saw it (resolve.c). */
#define WH_PR_OBJ_MAPS 4
struct wh_pr_obj {
    uintptr_t lo, hi;        /* all its PT_LOAD segments */
    uintptr_t base;
    uint32_t nmap;           /* its executable segments' mappings (the first
                                WH_PR_OBJ_MAPS), in address order */
    uint32_t maps[WH_PR_OBJ_MAPS]; /* indexes into maps */
    uint32_t name;
};
struct wh_pr_stack {
    uint64_t hash;
    uint32_t off, n;         /* location indexes in agg.stackpool */
    uint64_t count;
};

struct wh_pr_agg {
    struct wh_strtab str;
    struct wh_vec funcs;       /* struct wh_pr_func */
    uint32_t *funchash;        /* open addressing: function index + 1 */
    uint32_t funccap;
    struct wh_vec locs;        /* struct wh_pr_loc */
    struct wh_vec lines;       /* struct wh_pr_line */
    struct wh_map64 pcmap;     /* entry -> location index */
    struct wh_vec maps;        /* struct wh_pr_mapping */
    struct wh_vec objs;        /* struct wh_pr_obj, sorted by lo */
    struct wh_vec stacks;      /* struct wh_pr_stack */
    uint32_t *stackhash;       /* open addressing: stack index + 1 */
    uint32_t stackcap;
    struct wh_vec stackpool;   /* uint32_t location indexes */
    struct wh_vec pending;     /* uint32_t: locations to resolve */
    struct wh_vec gone;        /* uint64_t pairs: address ranges unloaded since the last drain */
    struct wh_vec handled;     /* uint64_t pairs: images drained by the dlclose hook before
                                  they went (their later samples are the next image's) */
    uint64_t samples;
    unsigned long long dl_adds, dl_subs; /* of the last snapshot */
    uint64_t hooked, hooked_snap; /* dlclose hooks in all, and at the last snapshot */
    uint64_t inprog_snap;         /* images of the last snapshot whose hook had run */
    bool dl_known;
    const char *exe;           /* the main program's path */
    bool oom;
};

WH_HIDDEN void wh_agg_init(struct wh_pr_agg *a, const char *exe);
WH_HIDDEN void wh_agg_free(struct wh_pr_agg *a);
/* Moves the ring's samples of session sess and the raw stacks into a,
 * naming their entries as the code is now.  Ordinary code, holding the
 * raw table's lock. */
WH_HIDDEN void wh_agg_convert(struct wh_pr_agg *a, struct wh_pr_raw *raw, struct wh_pr_ring *r,
                              uint64_t sess);
/* Whether pc lies in a range that was unloaded since the last look
 * (a->gone): which object held it is unsure. */
WH_HIDDEN bool wh_agg_gone_at(const struct wh_pr_agg *a, uint64_t pc);
/* Entries of [lo, hi) are named anew from now on (an image went away). */
WH_HIDDEN void wh_agg_forget_range(struct wh_pr_agg *a, uintptr_t lo, uintptr_t hi);
/* The image at [lo, hi) is about to be unloaded and everything sampled in it
 * so far is named: what is sampled there later belongs to the next image. */
WH_HIDDEN void wh_agg_unloading(struct wh_pr_agg *a, uintptr_t lo, uintptr_t hi);
/* count samples of one synthetic frame named name (the dropped samples). */
WH_HIDDEN void wh_agg_add_synthetic(struct wh_pr_agg *a, const char *name, uint64_t count);

/* resolve.c: fills the pending locations; dl_iterate_phdr is called here. */
WH_HIDDEN void wh_resolve_pending(struct wh_pr_agg *a);
/* Refreshes the snapshot of loaded objects when something was loaded or
 * unloaded since the last one; ranges of objects gone go to a->gone. */
WH_HIDDEN void wh_resolve_objects(struct wh_pr_agg *a);
WH_HIDDEN uint32_t wh_agg_func(struct wh_pr_agg *a, uint32_t name, uint32_t file,
                               uint32_t start_line);

/* ---- output (pprof.c, gzip.c) ------------------------------------------------------------------------ */
struct wh_pr_meta {
    int64_t time_nanos, duration_nanos, period_ns;
    uint64_t dropped, overrun;
    uint64_t blocked; /* periods of threads that blocked SIGPROF, not sampled */
    bool itimer;
    bool taken; /* the program put another handler on SIGPROF meanwhile */
};
/* The profile.proto message of a into out. */
WH_HIDDEN bool wh_pprof_encode(struct wh_pr_agg *a, const struct wh_pr_meta *m,
                               struct wh_vec *out);
/* gzip (RFC 1952) of in into out. */
WH_HIDDEN bool wh_gzip(const uint8_t *in, size_t n, struct wh_vec *out);
WH_HIDDEN uint32_t wh_crc32(uint32_t crc, const uint8_t *p, size_t n);

/* ---- api.c ------------------------------------------------------------------------------------------ */
/* registry.c: an instrumented image is about to be unloaded. */
WH_HIDDEN void wh_profile_unloading(const void *mod_start);
/* registry.c: the program's own image was registered (its constructor). */
WH_HIDDEN void wh_profile_registered(void);

#endif /* WHENCE_RUNTIME_PROFILE_H */
