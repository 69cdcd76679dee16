/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * lookup.c - pc -> function -> name/file/line: the public lookup functions
 * and the cold paths of lookup.h.
 *
 *   image     the slot that answered last (lookup.h), else a scan of the
 *             registry for the image whose range holds the pc
 *   function  the image's records (image.c): binary search at first, the
 *             buckets once built; a pc in a gap between functions gives
 *             nothing
 *   line      the greatest site label <= pc-1 inside the function (pc itself
 *             at the entry); its loc chain gives the inline frames
 *
 * Lock-free and allocation-free (but for building an image's buckets, in one
 * mmap, after its first WH_RAW_LOOKUPS lookups): async-signal-safe.  Never
 * dereferences anything a bad pc or bad whence_func could point at: a
 * whence_func is accepted only if it is a live image's record.
 */
#include "lines/lines.h"

#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>
#endif

_Atomic uint32_t wh_last; /* slot that answered last: a hint only */
static struct wh_slot no_slot; /* never live: holds no pc */
const struct wh_mod wh_no_mod = {.key = UINT64_MAX};
struct wh_slot *_Atomic wh_last_slot = &no_slot;
const char wh_unknown[] = "?";

WH_RT bool wh_find_slow(uintptr_t pc, bool ra_first, struct wh_pcinfo *pi) {
    wh_register_program_note();
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    pi->fn = NULL;
    if (WH_UNLIKELY(atomic_load_explicit(&wh_note_moved, memory_order_acquire)))
        wh_note_moved_miss(pc);
    if (WH_UNLIKELY(n == 0)) {
        /* Before the constructors ran (an ifunc resolver, preinit_array: no
         * TLS yet in a static program, libc's own ifuncs maybe unresolved)
         * nothing can be named and nothing may be called: unknown.  After,
         * a program built without the plugin: say so once. */
        if (atomic_load_explicit(&wh_started, memory_order_relaxed) && !wh_own_walk)
            wh_say_unbuilt();
        return false;
    }
    /* Images do not overlap: the one whose range holds pc decides. */
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        if (!wh_slot_holds(s, pc))
            continue;
        wh_set_last(i, s);
        return wh_find_in(s, pc, ra_first, pi);
    }
    return false;
}

WH_RT void wh_unknown_frame(whence_frame *out, uintptr_t pc) {
    out->pc = pc;
    out->func = NULL;
    out->function = wh_unknown;
    out->file = wh_unknown;
    out->line = 0;
    out->column = 0;
    out->entry = 0;
    out->inlined = false;
}

/* A whence_func is the address of a whence_fn record: accept it only if it
 * is one of a live image's records that names a function (so a stale or
 * forged pointer gives "unknown"). */
WH_RT static inline bool func_in_slot(uintptr_t f, struct wh_slot *s, struct wh_pcinfo *pi) {
    if (!atomic_load_explicit(&s->live, memory_order_acquire))
        return false; /* unloaded: its records are gone */
    /* a post-link table: its function entries (and its records, where it
     * failed its check: table.c) */
    if (wh_slot_tab_base(s) && wh_slot_tab_holds(s, f, sizeof(struct whence_tab_func)))
        return wh_tab_func(s, f, pi);
    const struct wh_accel *ax = atomic_load_explicit(&s->ax, memory_order_acquire);
    uintptr_t fs = wh_slot_fn_start(s), d = f - fs;
    uint32_t nfn = wh_slot_nfn(s);
    if (WH_LIKELY(ax && !ax->fperm)) { /* buckets over records in place: each one checked */
        if (d >= (uintptr_t)nfn * WHENCE_FN_RECORD_SIZE || d % WHENCE_FN_RECORD_SIZE)
            return false;
        /* (wh_img_fill, without checking again what the build checked) */
        const wh_fn *r = (const wh_fn *)f;
        uint64_t keysub = wh_rec_keysub(r);
        uint32_t sub = (uint32_t)(keysub & WHENCE_FN_SUB_MAX);
        const struct wh_mod *m = wh_accel_mod(ax, keysub >> WHENCE_FN_SUB_BITS);
        if (WH_UNLIKELY(!m) || sub >= m->nsubprog) /* a fence */
            return false;
        pi->m = m;
        wh_pcinfo_func(pi, s, r, sub);
        return true;
    }
    /* (A slot filled again meanwhile holds another image's records: f in
     * their range is one of them, as good a handle as any.) */
    if (!fs || d >= (uintptr_t)nfn * WHENCE_FN_RECORD_SIZE || d % WHENCE_FN_RECORD_SIZE)
        return false;
    const wh_fn *r = (const wh_fn *)f;
    uintptr_t e = wh_rec_entry(r);
    uint32_t sz = wh_rec_size(r);
    if (sz == 0 || sz > WH_MAX_FN_SIZE || e + sz < e)
        return false;
    return wh_img_fill(pi, s, ax, r);
}

WH_RT static bool func_info(const whence_func *fp, struct wh_pcinfo *pi) {
    uintptr_t f = (uintptr_t)fp;
    if (!f)
        return false;
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    uint32_t last = atomic_load_explicit(&wh_last, memory_order_relaxed);
    if (WH_LIKELY(last < n) && func_in_slot(f, wh_slot_at(last), pi))
        return true;
    for (uint32_t i = 0; i < n; i++)
        if (i != last && func_in_slot(f, wh_slot_at(i), pi))
            return true;
    return false;
}

/* The module of slot s whose table holds address a, fully validated (its
 * buckets are built for that), or NULL. */
WH_RT static const struct wh_mod *mod_at(struct wh_slot *s, const struct wh_accel *ax, uintptr_t a) {
    uint32_t lo = 0, hi = ax->nmods;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ax->mods[ax->mods_by_base[mid]].base <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    (void)s;
    return lo ? &ax->mods[ax->mods_by_base[lo - 1]] : NULL;
}

/* A loc address -> its image, module, loc index and the function whose
 * call it is (the root of its inline chain).  Used for LOC tokens; the walk
 * checks a slot's loc against the function it already found. */
WH_RT bool wh_find_loc(uintptr_t a, struct wh_pcinfo *pi) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    pi->fn = NULL;
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        uint32_t g = atomic_load_explicit(&s->gen, memory_order_acquire);
        if (!atomic_load_explicit(&s->live, memory_order_acquire) || (g & 1))
            continue;
        uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_relaxed), me = s->mod_stop;
        /* (the range read before gen again, as wh_slot_holds_as: on AArch64
         * its loads may otherwise complete after that one) */
        atomic_thread_fence(memory_order_acquire);
        if (a < ms || a >= me || atomic_load_explicit(&s->gen, memory_order_relaxed) != g)
            continue;
        if (s->tab.base)
            return wh_tab_loc(s, a, pi);
        /* A slot names its call by the loc's address: the map from a
         * module's subprogs to its functions is in the image's buckets. */
        const struct wh_accel *ax = atomic_load_explicit(&s->ax, memory_order_acquire);
        if (!ax)
            ax = wh_slot_accel_slow(s);
        if (!ax)
            return wh_img_loc_records(s, a, pi);
        const struct wh_mod *m = mod_at(s, ax, a);
        uint32_t loc;
        if (!m || (loc = wh_mod_loc_at(m, a)) == UINT32_MAX)
            return false;
        const struct whence_loc *root = wh_mod_loc(m, wh_loc_root(m, loc), WH_LOC_BUF);
        uint32_t rs = root ? WHENCE_LOC_SUBPROG(root) : UINT32_MAX;
        uint32_t fi = m->subfn != UINT32_MAX && rs < m->nsubprog
                          ? ax->subfn[m->subfn + rs]
                          : UINT32_MAX; /* not a slot module: no loc addresses */
        if (fi >= ax->nf)
            return false;
        uint32_t k = ax->fperm ? ax->fperm[fi] : fi;
        const wh_fn *r = (const wh_fn *)(s->fn_start + (uintptr_t)k * WHENCE_FN_RECORD_SIZE);
        if (!wh_img_fill(pi, s, ax, r))
            return false;
        wh_pcinfo_at_loc(pi, loc);
        return true;
    }
    return false;
}

/* whence_func_for_pc and whence_func_name in an image that has no buckets
 * yet, or a table whose module array is not built yet (a process's first
 * lookups of it): only the pages the answer needs (image.c, table.c).
 * NULL: the full lookup decides. */
WH_RT WH_ONCE __attribute__((noinline)) static const whence_func *first_func(uintptr_t x) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        if (!wh_slot_holds(s, x))
            continue;
        if (wh_slot_tab_base(s)) {
            const whence_func *f = wh_tab_first_func(s, x);
            if (f)
                wh_set_last(i, s);
            return f;
        }
        /* counts the lookup towards the buckets, as the full lookup does */
        if (wh_slot_accel(s))
            return NULL;
        const wh_fn *r = wh_img_first_fn(s, x);
        if (r)
            wh_set_last(i, s);
        return (const whence_func *)r;
    }
    return NULL;
}

WH_RT WH_ONCE __attribute__((noinline)) static const char *first_name(uintptr_t f) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        uintptr_t fs = wh_slot_fn_start(s), d = f - fs;
        if (!atomic_load_explicit(&s->live, memory_order_acquire) || wh_slot_tab_base(s) ||
            atomic_load_explicit(&s->ax, memory_order_acquire) || !fs ||
            d >= (uintptr_t)wh_slot_nfn(s) * WHENCE_FN_RECORD_SIZE || d % WHENCE_FN_RECORD_SIZE)
            continue;
        return wh_img_first_name(s, (const wh_fn *)f);
    }
    return NULL;
}

/* whence_func_for_pc past its warm path: tokens, another image, an image
 * without buckets yet, a gap, a PLT stub. */
WH_RT __attribute__((noinline)) const whence_func *wh_func_for_pc_miss(uintptr_t pc) {
    if (wh_token_bad(pc))
        return NULL;
    uintptr_t raw = wh_token_pc(pc);
    if (!raw)
        return NULL;
    struct wh_pcinfo pi;
    if (pc & WH_TOKEN_LOC)
        return wh_find_loc(raw, &pi) ? (const whence_func *)pi.fn : NULL;
    /* A return address (or a token made from one) may end its function; an
     * interrupted pc or a plain pc is tried as it is first. */
    bool ra = raw != pc && !(pc & WH_TOKEN_EXACT);
    /* An image without buckets: the first candidate, read lazily. */
    const whence_func *f = first_func(raw - (uintptr_t)ra);
    if (f)
        return f;
    if (wh_find(raw, ra, &pi))
        return (const whence_func *)pi.fn;
    /* A function pointer may be a PLT stub (non-PIE programs). */
    return raw == pc ? (const whence_func *)wh_plt_target(raw, &pi) : NULL;
}

/* whence_func_for_pc's first lookups in image s, which holds pc and has no
 * buckets yet: first_func's answer for it.  Reads only s (the main
 * program's warm path takes no reader's record). */
WH_RT WH_ONCE __attribute__((noinline)) static const whence_func *first_in(struct wh_slot *s,
                                                                           uintptr_t pc) {
    if (wh_slot_accel(s)) /* counts the lookup, as first_func does */
        return NULL;
    return (const whence_func *)wh_img_first_fn(s, pc);
}

static const whence_func *func_for_pc_read(uintptr_t pc);

/* first_in for the main program, else whence_func_for_pc's answer past its
 * warm path. */
WH_RT WH_ONCE __attribute__((noinline)) static const whence_func *first_in_kept(struct wh_slot *s,
                                                                                uintptr_t pc) {
    const whence_func *f = first_in(s, pc);
    return f ? f : func_for_pc_read(pc);
}

/* The warm path: a plain pc in the image that answered last, through its
 * buckets (every record checked when they were built; a fence, the range
 * of a body that is not instrumented, names no function) or its post-link
 * table (before it has buckets, its records read lazily: first_in), if
 * that image is live at least as min_live says.  It needs no
 * stack frame: everything else is out of line.  A token is no plain pc:
 * its high bits put it outside every image's range. */
static inline __attribute__((always_inline)) bool func_for_pc_warm(uintptr_t pc, uint32_t min_live,
                                                                   const whence_func **f) {
    struct wh_slot *s = atomic_load_explicit(&wh_last_slot, memory_order_relaxed);
    const struct wh_accel *ax;
    if (min_live == WH_LIVE_KEPT) {
        /* The main program: filled once, never again (registry.c: a slot
         * becomes WH_LIVE_KEPT after it was filled, and the main program's
         * is never unregistered nor retired), so once its live word says so
         * (acquire) its range and buckets cannot change nor tear.  Its
         * buckets are read without its range: pc inside one of their
         * records in place, each inside the image's range when they were
         * built (accel.c), is in the image. */
        if (WH_UNLIKELY(atomic_load_explicit(&s->live, memory_order_acquire) < WH_LIVE_KEPT))
            return false;
        ax = atomic_load_explicit(&s->ax, memory_order_acquire);
        if (!ax) {
            /* A post-link table's span lies in the image's code (table.c,
             * wh_tab_adopt): a pc outside it is the full lookup's there,
             * as here. */
            if (wh_slot_tab_base(s)) {
                *f = wh_tab_func_for_pc(s, pc);
                return true;
            }
            /* (hi itself: as wh_slot_holds_as) */
            if (pc - atomic_load_explicit(&s->lo, memory_order_relaxed) >
                atomic_load_explicit(&s->hi, memory_order_relaxed) -
                    atomic_load_explicit(&s->lo, memory_order_relaxed))
                return false;
        }
    } else {
        /* The image holds pc first: only then may its buckets be read. */
        if (!WH_LIKELY(wh_slot_holds_as(s, pc, min_live)))
            return false;
        ax = atomic_load_explicit(&s->ax, memory_order_acquire);
    }
    if (WH_LIKELY(ax != NULL)) {
        const wh_fn *r = wh_accel_fn(s, ax, pc);
        if (WH_LIKELY(r != NULL) && WH_LIKELY(!wh_rec_fence(r))) {
            *f = (const whence_func *)r;
            return true;
        }
        return false;
    }
    if (wh_slot_tab_base(s)) {
        *f = wh_tab_func_for_pc(s, pc);
        return true;
    }
    if (min_live == WH_LIVE_KEPT) {
        /* (its answer, else the full lookup's: tail-called, so that the
         * warm path keeps no register) */
        *f = first_in_kept(s, pc);
        return true;
    }
    return (*f = first_in(s, pc)) != NULL;
}

/* A lookup that may read an image that another thread is unloading runs
 * between wh_read_enter and wh_read_exit (readers.c); the warm path into
 * the main program's records, which are never unmapped, needs not. */
WH_RT __attribute__((noinline)) const whence_func *wh_func_for_pc_miss_read(uintptr_t pc) {
    struct wh_reader *rd = wh_read_enter();
    const whence_func *f = wh_func_for_pc_miss(pc);
    wh_read_exit(rd);
    return f;
}

WH_RT __attribute__((noinline)) static const whence_func *func_for_pc_read(uintptr_t pc) {
    struct wh_reader *rd = wh_read_enter();
    const whence_func *f;
    if (!func_for_pc_warm(pc, WH_LIVE, &f))
        f = wh_func_for_pc_miss(pc);
    wh_read_exit(rd);
    return f;
}

WH_EXPORT WH_RT WH_ENTRY const whence_func *whence_func_for_pc(uintptr_t pc) {
    const whence_func *f;
    if (WH_LIKELY(func_for_pc_warm(pc, WH_LIVE_KEPT, &f)))
        return f;
    return func_for_pc_read(pc);
}

/* whence_func_name past its warm paths, under the caller's reader's
 * record (it reads every live image); with the first lookups' code, as a
 * process's first name is asked here (in plain .text it took a page fault
 * of its own: 15-130 µs on a machine whose faults are slow). */
WH_RT WH_ONCE __attribute__((noinline)) static const char *func_name_miss(const whence_func *f) {
    const char *name = first_name((uintptr_t)f); /* an image without buckets */
    if (name)
        return name;
    struct wh_pcinfo pi;
    if (!func_info(f, &pi))
        return "";
    const struct whence_subprog *sp = wh_mod_subprog(pi.m, pi.sub, WH_SUB_BUF);
    return sp ? wh_mod_str(pi.m, sp->name) : "";
}

/* (For the warm paths' own misses: a record of its own.) */
WH_RT WH_ONCE __attribute__((noinline)) const char *wh_func_name_miss(const whence_func *f) {
    struct wh_reader *rd = wh_read_enter();
    const char *name = func_name_miss(f);
    wh_read_exit(rd);
    return name;
}

/* whence_func_name of record f of an image with buckets whose module is
 * not the one that answered last (its key searched, then remembered). */
WH_RT __attribute__((noinline)) static const char *name_other_mod(const struct wh_accel *ax,
                                                                  const whence_func *f,
                                                                  uint64_t keysub) {
    const struct wh_mod *m = wh_accel_mod(ax, keysub >> WHENCE_FN_SUB_BITS);
    const struct whence_subprog *sp =
        m ? wh_mod_subprog(m, (uint32_t)(keysub & WHENCE_FN_SUB_MAX), WH_SUB_BUF) : NULL;
    return sp ? wh_mod_str(m, sp->name) : wh_func_name_miss(f);
}

/* The warm path: a function of the image that answered last, with buckets
 * over its records in place (all of them checked) whose module answered
 * last too, or with a post-link table.  No stack frame, as above.  The
 * modules of buckets were validated whole (parse.c: every subprog's name
 * in its pool) and are never packed: their arrays are read directly.
 * Without a reader's record only for the main program (min_live
 * WH_LIVE_KEPT): f may be of any image, and another thread may unload the
 * library that answered last and free its buckets (readers.c waits only
 * for threads inside a record). */
static inline __attribute__((always_inline)) const char *
name_warm(const whence_func *f, uint32_t min_live, const char *(*miss)(const whence_func *)) {
    struct wh_slot *s = atomic_load_explicit(&wh_last_slot, memory_order_relaxed);
    if (WH_LIKELY(atomic_load_explicit(&s->live, memory_order_acquire) >= min_live)) {
        const struct wh_accel *ax = atomic_load_explicit(&s->ax, memory_order_acquire);
        if (WH_LIKELY(ax != NULL)) {
            /* fn_recs: 0 unless the records are in place */
            if (WH_LIKELY(wh_rec_index((uintptr_t)f - ax->fn_start) < ax->fn_recs)) {
                uint64_t keysub = wh_rec_keysub((const wh_fn *)f);
                const struct wh_mod *m = wh_accel_hint(ax);
                uint64_t sub = keysub - m->keybase; /* its subprog if it is m's */
                if (WH_LIKELY(sub < m->name_nsub))
                    return m->strs + m->sps[sub].name;
                return name_other_mod(ax, f, keysub);
            }
        } else if (wh_slot_tab_base(s)) {
            return wh_tab_name(s, (uintptr_t)f);
        }
    }
    return miss(f);
}

/* The warm path for any image, under a record (with the first lookups'
 * code: a process's first name is asked here). */
WH_RT WH_ONCE __attribute__((noinline)) static const char *name_read(const whence_func *f) {
    struct wh_reader *rd = wh_read_enter();
    const char *name = name_warm(f, WH_LIVE, func_name_miss);
    wh_read_exit(rd);
    return name;
}

WH_EXPORT WH_RT WH_ENTRY const char *whence_func_name(const whence_func *f) {
    return name_warm(f, WH_LIVE_KEPT, name_read);
}

/* The entry and size of a function that whence_func_for_pc's first lookups
 * accepted but the full check of its module refuses (a string pool whose
 * last byte is not NUL: first_func does not read it), so that a function
 * it returned always has its entry.  Its name, file and line are unknown. */
WH_RT WH_ONCE __attribute__((noinline)) static bool first_extent(uintptr_t f, uintptr_t *entry,
                                                                 uint32_t *size) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        if (!atomic_load_explicit(&s->live, memory_order_acquire))
            continue;
        if (wh_slot_tab_base(s) && wh_slot_tab_holds(s, f, sizeof(struct whence_tab_func))) {
            if (wh_tab_first_ok(s, f, entry, size))
                return true;
            continue;
        }
        uintptr_t fs = wh_slot_fn_start(s), d = f - fs;
        if (!fs || d >= (uintptr_t)wh_slot_nfn(s) * WHENCE_FN_RECORD_SIZE ||
            d % WHENCE_FN_RECORD_SIZE || !wh_img_first_ok(s, (const wh_fn *)f))
            continue;
        *entry = wh_rec_entry((const wh_fn *)f);
        *size = wh_rec_size((const wh_fn *)f);
        return true;
    }
    return false;
}

/* The entry and size of whence_func f (false: f names no function).  It
 * reads every live image: under a reader's record. */
WH_RT __attribute__((noinline)) static bool func_extent(const whence_func *f, uintptr_t *entry,
                                                       uint32_t *size) {
    struct wh_reader *rd = wh_read_enter();
    struct wh_pcinfo pi;
    bool ok = true;
    if (func_info(f, &pi)) {
        *entry = pi.entry;
        *size = pi.size;
    } else {
        ok = f && first_extent((uintptr_t)f, entry, size);
    }
    wh_read_exit(rd);
    return ok;
}

WH_RT uint32_t wh_func_size(const whence_func *f) {
    uintptr_t e;
    uint32_t size;
    return func_extent(f, &e, &size) ? size : 0;
}

WH_EXPORT WH_RT uintptr_t whence_func_entry(const whence_func *f) {
    uintptr_t e;
    uint32_t size;
    return func_extent(f, &e, &size) ? e : 0;
}

/* pc outside pi's function: if it is in code split off it (fragments.c),
 * pi becomes that code's, with its site. */
WH_RT __attribute__((noinline)) static void line_split_off(struct wh_pcinfo *pi, uintptr_t pc,
                                                           bool exact) {
    struct wh_pcinfo fi;
    if (wh_find(pc, !exact, &fi) && fi.fn == pi->fn && fi.from != fi.entry) {
        wh_pcinfo_copy(pi, &fi);
        wh_pcinfo_sites(pi, pc, exact);
    }
}

static int func_line_full(const whence_func *f, uintptr_t pc, const char **file);

/* (Any image: under a reader's record, readers.c.) */
WH_RT __attribute__((noinline)) int wh_func_line_full(const whence_func *f, uintptr_t pc,
                                                     const char **file) {
    struct wh_reader *rd = wh_read_enter();
    int line = func_line_full(f, pc, file);
    wh_read_exit(rd);
    return line;
}

static int func_line_full(const whence_func *f, uintptr_t pc, const char **file) {
    struct wh_pcinfo pi;
    if (file)
        *file = wh_unknown;
    if (!func_info(f, &pi))
        return 0;
    uint32_t k = wh_token_bad(pc) ? 0 : wh_token_skip(pc);
    if (!wh_token_bad(pc) && (pc & WH_TOKEN_LOC)) {
        /* A slot's call: its own position, if it is a call of f. */
        struct wh_pcinfo li;
        if (wh_find_loc(wh_token_pc(pc), &li) && li.fn == pi.fn)
            wh_pcinfo_copy(&pi, &li);
    } else if (!wh_token_bad(pc)) {
        uintptr_t raw = wh_token_pc(pc);
        uintptr_t entry = pi.entry;
        /* Inside the function (its end included: a return address after a
         * noreturn call) the records decide; elsewhere, the first line.  A
         * plain pc is an instruction, as in Go's Func.FileLine (pass ra-1
         * for a return address); a token made from a return address
         * (k << 56) is one. */
        bool exact = (pc & WH_TOKEN_EXACT) || !(pc & WH_SKIP_MASK);
        if (raw >= entry && raw - entry <= pi.size) {
            int line; /* an instruction between calls: its own line (lines/) */
            int how = exact && k == 0 ? wh_exact_func_line(&pi, pc, file, &line) : WH_FL_RECORDS;
            if (how == WH_FL_LINE)
                return line;
            if (how == WH_FL_RECORDS)
                wh_pcinfo_sites(&pi, raw, exact);
        } else {
            line_split_off(&pi, raw, exact);
        }
    }
    if (k >= pi.depth)
        k = pi.depth - 1;
    whence_frame fr;
    wh_fill_frame(&pi, k, pc & ~WH_SKIP_MASK, &fr);
    if (file)
        *file = fr.file;
    return fr.line;
}

/* Loc l of a module of buckets (validated whole by parse.c: l < nloc
 * where the caller checked it, parents before their children, subprogs
 * and files in range, lines <= INT32_MAX; never packed). */
static inline __attribute__((always_inline)) const struct whence_loc *
vloc(const struct wh_mod *m, uint32_t l, struct whence_loc *buf) {
    if (m->flags & WHENCE_MOD_LOC8)
        return wh_loc8_get((const struct whence_loc8 *)(m->base + m->loc_off) + l, buf);
    return (const struct whence_loc *)(m->base + m->loc_off) + l;
}

/* File fno of a module of buckets (validated whole: fno <= nfile). */
static inline __attribute__((always_inline)) const char *vfile(const struct wh_mod *m,
                                                               uint32_t fno) {
    return m->fnames[fno];
}

/* The line and file of flat label word w of function sub of module m (a
 * module of buckets, validated whole: its arrays are read without the
 * checks of wh_mod_*), as wh_fill_frame gives frame 0 (false: a word the
 * full lookup decides: no loc, line unknown, or a loc). */
static inline __attribute__((always_inline)) bool flat_line(const struct wh_mod *m, uint32_t sub,
                                                            uint32_t w, const char **file,
                                                            int *out) {
    /* a flat word, not WH_NO_LOC nor of line WHENCE_SITE_FLAT_LINE_LIMIT
     * (the words from WH_LOC_UNKNOWN on): one compare */
    _Static_assert(WH_LOC_UNKNOWN == (WHENCE_SITE_FLAT | WHENCE_SITE_FLAT_LINE_LIMIT
                                                            << WHENCE_SITE_FLAT_COL_BITS) &&
                       WHENCE_SITE_FLAT_LINE(UINT32_MAX) == WHENCE_SITE_FLAT_LINE_LIMIT &&
                       WH_NO_LOC == WHENCE_SITE_FLAT,
                   "the flat words with a line: (WH_NO_LOC, WH_LOC_UNKNOWN)");
    if (WH_UNLIKELY(w - (WH_NO_LOC + 1) >= WH_LOC_UNKNOWN - (WH_NO_LOC + 1)))
        return false;
    uint32_t l = WHENCE_SITE_FLAT_LINE(w);
    const struct whence_subprog *sp = m->sps + sub;
    if (file)
        *file = vfile(m, WHENCE_SUBPROG_FILE(sp));
    *out = (int)(l ? l : WHENCE_SUBPROG_LINE(sp));
    return true;
}

/* The same for loc w of the table (w < nloc checked here): its innermost
 * line, if its inline chain ends at function sub (a label of f's own). */
static inline __attribute__((always_inline)) bool loc_line(const struct wh_mod *m, uint32_t sub,
                                                           uint32_t w, const char **file,
                                                           int *out) {
    if (WH_UNLIKELY(w >= m->nloc))
        return false;
    struct whence_loc lbuf, rbuf;
    const struct whence_loc *lc = vloc(m, w, &lbuf), *root = lc;
    for (uint32_t p; (p = WHENCE_LOC_PARENT(root)) != 0;)
        root = vloc(m, p - 1, &rbuf);
    if (WH_UNLIKELY(WHENCE_LOC_SUBPROG(root) != sub))
        return false;
    uint32_t fno = WHENCE_LOC_FILE(lc); /* after a #line directive */
    if (WH_LIKELY(!fno))
        fno = WHENCE_SUBPROG_FILE(m->sps + WHENCE_LOC_SUBPROG(lc));
    if (file)
        *file = vfile(m, fno);
    *out = (int)lc->line;
    return true;
}

static inline __attribute__((always_inline)) bool label_line(const struct wh_mod *m, uint32_t sub,
                                                             uint32_t w, const char **file,
                                                             int *out) {
    return WH_LOC_IN_TABLE(w) ? loc_line(m, sub, w, file, out) : flat_line(m, sub, w, file, out);
}

/* The warm path: a plain pc (a token's high bits put it outside every
 * function) in the image that answered last, with buckets over its function
 * and site records in place and no line records, inside function f of a
 * module that answered last and has call labels, where pc is a byte of a
 * call (a frame's pc: a return address - 1) whose own label lies just
 * before it: the decisions of wh_func_line_full and wh_exact_func_line in
 * that case (wh_accel_site_in's label, labelled_call_holding,
 * wh_fill_frame's frame 0),
 * taken the same way, without filling a wh_pcinfo, re-finding f, counting
 * the label's inline frames or naming the function.  Everything else (and
 * any check that fails) is out of line, and answers as before.  s is the
 * image that answered last: the main program, or any under the caller's
 * reader's record. */
static inline __attribute__((always_inline)) int func_line(const whence_func *f, uintptr_t pc,
                                                           const char **file, struct wh_slot *s) {
    /* As func_info: f is one of a live image's records (then pc inside its
     * range is that image's code, as the full path reads it). */
    if (WH_LIKELY(atomic_load_explicit(&s->live, memory_order_acquire))) {
        const struct wh_accel *ax = atomic_load_explicit(&s->ax, memory_order_acquire);
        uintptr_t d = (uintptr_t)f - wh_slot_fn_start(s);
        /* (a table image first: tail-called before this path's frame) */
        if (!ax && wh_slot_tab_base(s))
            return wh_tab_func_line((uintptr_t)f, pc, file, s);
        if (WH_LIKELY(ax != NULL) && wh_rec_index(d) < ax->line_recs) {
            const wh_fn *r = (const wh_fn *)f;
            uint64_t keysub = wh_rec_keysub(r);
            const struct wh_mod *m = wh_accel_hint(ax);
            uint32_t sub = (uint32_t)(keysub & WHENCE_FN_SUB_MAX);
            uintptr_t entry = wh_rec_entry(r), at;
            uint32_t size = wh_rec_size(r), w;
            int line;
            if (WH_LIKELY(m->key == keysub >> WHENCE_FN_SUB_BITS && sub < m->line_nsub) &&
                pc - entry <= size &&
                ((w = wh_accel_label(ax, s->site_start, pc, &at)), at >= entry) &&
                /* (no label: at is 0; a call code generation made: another's) */
                wh_labelled_call(s, ax, pc, entry, size, at) != 0 &&
                label_line(m, sub, w, file, &line))
                return line;
        }
    }
    return wh_func_line_full(f, pc, file);
}

/* How many of the WH_SITE_AHEAD labels from record sr on are at or below
 * the pc that lies y bytes past sr (their pcs are in order: those are the
 * first ones), each label's pc compared as its offset from its own record
 * (both fit 32 bits: ax->line_fast_recs).  On x86-64 one SSE2 compare of
 * the four. */
static inline __attribute__((always_inline)) uint32_t labels_at_or_below(uintptr_t sr, int32_t y) {
#if defined(__x86_64__) && defined(__SSE2__)
    /* rel0 w0 rel1 w1 | rel2 w2 rel3 w3 -> rel0 rel1 rel2 rel3 */
    __m128 lo = _mm_castsi128_ps(_mm_loadu_si128((const __m128i *)sr));
    __m128 hi = _mm_castsi128_ps(_mm_loadu_si128((const __m128i *)(sr + 2 * WH_SITE_SIZE)));
    __m128i rel = _mm_castps_si128(_mm_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0)));
    /* label i is above pc: rel_i > y - i * WH_SITE_SIZE */
    __m128i lim = _mm_sub_epi32(_mm_set1_epi32(y), _mm_setr_epi32(0, (int)WH_SITE_SIZE,
                                                                 2 * (int)WH_SITE_SIZE,
                                                                 3 * (int)WH_SITE_SIZE));
    unsigned above = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(rel, lim)));
    return (uint32_t)__builtin_ctz(above | 1u << WH_SITE_AHEAD);
#else
    uint32_t k = 0;
    for (uint32_t i = 0; i < WH_SITE_AHEAD; i++)
        k += (int64_t)wh_site_rel(sr + i * WH_SITE_SIZE) <= (int64_t)y - (int64_t)(i * WH_SITE_SIZE);
    return k;
#endif
}

/* whence_func_line's fast path: func_line's answer for its commonest case,
 * a byte of a call (a frame's pc: a return address - 1) of a direct call
 * of instrumented code or a call through a register, whose own label lies
 * just before it, in a function of the image and module that answered
 * last, with no call and no stack frame: the label's word, *mp and *subp
 * its module and f's subprog; UINT32_MAX when func_line decides (and
 * answers as before).  Besides func_line's checks it asks that pc be
 * inside f (its end: func_line), so that pc is inside the buckets' span
 * (every record in place is, accel.c) and needs no bound check, and it
 * leaves out a sub-bucket of more than WH_SITE_AHEAD labels.  ax's records
 * may be read (the main program's, or under a reader's record). */
static inline __attribute__((always_inline)) uint32_t
line_fast_label(const struct wh_accel *ax, const whence_func *f, uintptr_t pc,
                const struct wh_mod **mp, uint32_t *subp) {
    uintptr_t d = (uintptr_t)f - ax->fn_start;
    if (WH_UNLIKELY(wh_rec_index(d) >= ax->line_fast_recs))
        return UINT32_MAX;
    const wh_fn *r = (const wh_fn *)f;
    const struct wh_mod *m = wh_accel_hint(ax);
    /* its subprog, if it is m's (wh_mod.keybase) */
    if (WH_UNLIKELY(wh_rec_keysub(r) - m->keybase >= m->line_nsub))
        return UINT32_MAX;
    uintptr_t entry = wh_rec_entry(r), a, off = pc - ax->lo;
    uint32_t size = wh_rec_size(r);
    if (WH_UNLIKELY(pc - entry >= size))
        return UINT32_MAX;
    /* The greatest label at or below pc (wh_accel_label; pc inside f is
     * inside the buckets' span) */
    uint32_t j = WH_BUCKET_SITE(ax, off);
    uintptr_t sr = ax->site_start + (uintptr_t)j * WH_SITE_SIZE;
    uint32_t i = j + labels_at_or_below(sr, (int32_t)(pc - sr));
    if (WH_UNLIKELY(i - j == WH_SITE_AHEAD) || WH_UNLIKELY(i == 0))
        return UINT32_MAX;
    sr = ax->site_start + (uintptr_t)(i - 1) * WH_SITE_SIZE;
    uintptr_t at = wh_site_pc(sr);
    if (WH_UNLIKELY(at < entry))
        return UINT32_MAX;
    /* The call holding pc, decoded from the label, ending near it
     * (wh_near_call), and no call code generation made (wh_codegen_call):
     * a direct call of instrumented code, or one through a register; a
     * call through the GOT and any other direct call are func_line's
     * (their targets are looked at). */
    uintptr_t end = wh_arch_call_holding(at, pc, entry + size);
    if (WH_UNLIKELY(!end) || WH_UNLIKELY(end - at > WH_CALL_LABEL_NEAR))
        return UINT32_MAX;
    enum wh_stub k = wh_arch_call_target(end, (uint32_t)(end - entry), &a);
    if (WH_UNLIKELY(k == WH_STUB_DIRECT ? a - ax->lo >= ax->span : k != WH_STUB_NONE))
        return UINT32_MAX;
    *mp = m;
    /* (read again, not kept in a register across the label's search) */
    *subp = __atomic_load_n((const uint32_t *)((const char *)r + WHENCE_FN_OFF_KEYSUB),
                            __ATOMIC_RELAXED) & WHENCE_FN_SUB_MAX;
    return wh_site_word(sr);
}

/* whence_func_line past its fast path. */
WH_RT __attribute__((noinline)) static int func_line_more(const whence_func *f, uintptr_t pc,
                                                         const char **file);

/* The fast path's label is a loc of the table: its line (out of line, so
 * that the fast path keeps few values), else func_line_more's. */
WH_RT __attribute__((noinline)) static int fast_loc_line(const whence_func *f, uintptr_t pc,
                                                        const char **file,
                                                        const struct wh_mod *m, uint32_t w) {
    int line;
    if (loc_line(m, (uint32_t)(wh_rec_keysub((const wh_fn *)f) & WHENCE_FN_SUB_MAX), w, file,
                 &line))
        return line;
    return func_line_more(f, pc, file);
}

/* The warm path reads only the image that answered last; when that is the
 * main program, which is never unloaded, it needs no reader's record (the
 * other paths, for any other image, take one: func_line_more,
 * wh_func_line_full). */
WH_EXPORT WH_RT int whence_func_line(const whence_func *f, uintptr_t pc, const char **file) {
    struct wh_slot *s = atomic_load_explicit(&wh_last_slot, memory_order_relaxed);
    if (WH_LIKELY(atomic_load_explicit(&s->live, memory_order_acquire) >= WH_LIVE_KEPT)) {
        const struct wh_accel *ax = atomic_load_explicit(&s->ax, memory_order_acquire);
        if (WH_LIKELY(ax != NULL)) {
            const struct wh_mod *m = &wh_no_mod;
            uint32_t sub = 0, w = line_fast_label(ax, f, pc, &m, &sub);
            int line;
            /* (UINT32_MAX, no answer, is a flat word of an unknown line) */
            if (WH_LIKELY(flat_line(m, sub, w, file, &line)))
                return line;
            if (w != UINT32_MAX && WH_LOC_IN_TABLE(w))
                return fast_loc_line(f, pc, file, m, w);
        } else if (wh_slot_tab_base(s)) {
            /* a post-link table: its warm path (tail-called, its
             * arguments where they are, the slot after them) */
            return wh_tab_func_line((uintptr_t)f, pc, file, s);
        }
    }
    return func_line_more(f, pc, file);
}

WH_RT __attribute__((noinline)) static int func_line_read(const whence_func *f, uintptr_t pc,
                                                         const char **file) {
    struct wh_reader *rd = wh_read_enter();
    struct wh_slot *s = atomic_load_explicit(&wh_last_slot, memory_order_relaxed);
    const struct wh_accel *ax = NULL;
    const struct wh_mod *m = &wh_no_mod;
    uint32_t sub = 0, w = UINT32_MAX;
    int line;
    if (atomic_load_explicit(&s->live, memory_order_acquire) &&
        (ax = atomic_load_explicit(&s->ax, memory_order_acquire)) != NULL)
        w = line_fast_label(ax, f, pc, &m, &sub);
    if (w == UINT32_MAX || !label_line(m, sub, w, file, &line))
        line = func_line(f, pc, file, s);
    wh_read_exit(rd);
    return line;
}

WH_RT __attribute__((noinline)) static int func_line_more(const whence_func *f, uintptr_t pc,
                                                         const char **file) {
    struct wh_slot *s = atomic_load_explicit(&wh_last_slot, memory_order_relaxed);
    /* (s itself, not wh_last_slot read again: that may be another
     * thread's library by then, read without a record) */
    if (WH_LIKELY(atomic_load_explicit(&s->live, memory_order_relaxed) >= WH_LIVE_KEPT))
        return func_line(f, pc, file, s);
    return func_line_read(f, pc, file);
}
