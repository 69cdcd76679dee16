/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * registry.c - the images that registered their records: one slot per
 * executable or DSO, in a fixed preallocated array that only grows, so
 * lock-free readers can walk it at any time (even in a signal handler).
 *
 * Protocol:
 *   - __whence_register fills a slot and publishes it with a release store of
 *     wh_nslots (new slot) or of the slot's live flag (revived slot); readers
 *     load them with acquire and so see complete entries.
 *   - Registration is idempotent per whence_mod start: the same bounds again
 *     are a no-op.  The same mod_start with other bounds means the previous
 *     image went away without unregistering: its slot is retired.
 *   - __whence_unregister (dlclose) clears the live flag.  Nothing is freed:
 *     a reader may still hold the slot or its index.
 *   - Dead-image policy: when an image registers whose records are
 *     byte-identical to a dead slot's, at the same relative layout (the same
 *     DSO loaded again, at the same or another address), that slot is revived
 *     and its index reused.  The index holds only offsets relative to the
 *     image, and the slot's one absolute word (mod_start) is a single atomic
 *     store, so a concurrent reader sees either the old or the new address,
 *     each consistent with the index.  Loading and unloading the same DSO any
 *     number of times thus costs one slot and one index; only genuinely
 *     different images take new slots (at most WH_MAX_IMAGES, then they are
 *     ignored with one message).
 *   - The per-slot index is built lazily by the first lookup that needs it;
 *     a CAS on the slot's build word picks the builder (see wh_slot_index).
 */
#define _GNU_SOURCE
#include "internal.h"

#include <link.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct wh_slot wh_slots[WH_MAX_IMAGES];
_Atomic uint32_t wh_nslots;
_Atomic int wh_started;

/* Set once constructors run: before that (ifunc resolvers, a static
 * program's start-up before its TLS exists) the runtime answers "unknown"
 * without touching anything (lookup.c, capture.c). */
__attribute__((constructor(101))) WH_RT static void started(void) {
    /* The asm keeps the optimizer from evaluating this constructor at
     * compile time (it would fold the store into the initializer). */
    __asm__ volatile("" ::: "memory");
    atomic_store_explicit(&wh_started, 1, memory_order_relaxed);
}

/* Writers only (constructors/destructors, never signal context). */
static atomic_flag wh_reg_lock = ATOMIC_FLAG_INIT;

WH_RT static void reg_lock(void) {
    while (atomic_flag_test_and_set_explicit(&wh_reg_lock, memory_order_acquire))
        sched_yield();
}

WH_RT static void reg_unlock(void) {
    atomic_flag_clear_explicit(&wh_reg_lock, memory_order_release);
}

/* The main program is never unloaded, but its module destructor runs at
 * exit before the destructors of the libraries it loaded, which may still
 * want its frames named (leak or profile reports at exit): its image stays
 * registered.  (Checking this also spares the identity hash over every
 * record that unregistering computes.) */
struct wh_main_probe {
    uintptr_t addr;
    bool found;
};

WH_RT static int main_probe(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    struct wh_main_probe *p = arg;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && p->addr >= lo && p->addr - lo < ph->p_memsz)
            p->found = true;
    }
    return 1; /* the first object is the main program: stop there */
}

WH_RT static bool in_main_program(const void *addr) {
    struct wh_main_probe p = {(uintptr_t)addr, false};
    dl_iterate_phdr(main_probe, &p);
    return p.found;
}

struct wh_bounds {
    uintptr_t fn_start, fn_stop, site_start, site_stop, mod_start, mod_stop, line_start, line_stop;
};

/* Offset of a section start from mod_start; 0 for an absent section. */
WH_RT static intptr_t rel(uintptr_t start, uintptr_t mod_start) {
    return start ? (intptr_t)(start - mod_start) : 0;
}

/* Identity of an image's records: their bytes and relative layout. */
WH_RT static uint64_t ident_of(const struct wh_bounds *b) {
    uint64_t h = 0xcbf29ce484222325ull;
    intptr_t layout[7] = {rel(b->fn_start, b->mod_start), rel(b->site_start, b->mod_start),
                          (intptr_t)(b->fn_stop - b->fn_start),
                          (intptr_t)(b->site_stop - b->site_start),
                          (intptr_t)(b->mod_stop - b->mod_start),
                          rel(b->line_start, b->mod_start),
                          (intptr_t)(b->line_stop - b->line_start)};
    h = wh_hash(h, layout, sizeof layout);
    if (b->fn_start)
        h = wh_hash(h, (const void *)b->fn_start, b->fn_stop - b->fn_start);
    if (b->site_start)
        h = wh_hash(h, (const void *)b->site_start, b->site_stop - b->site_start);
    if (b->line_start)
        h = wh_hash(h, (const void *)b->line_start, b->line_stop - b->line_start);
    h = wh_hash(h, (const void *)b->mod_start, b->mod_stop - b->mod_start);
    return h;
}

WH_RT static bool same_layout(const struct wh_slot *s, const struct wh_bounds *b) {
    uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_relaxed);
    return s->mod_stop - ms == b->mod_stop - b->mod_start &&
           s->fn_stop - s->fn_start == b->fn_stop - b->fn_start &&
           s->site_stop - s->site_start == b->site_stop - b->site_start &&
           rel(s->fn_start, ms) == rel(b->fn_start, b->mod_start) &&
           rel(s->site_start, ms) == rel(b->site_start, b->mod_start) &&
           s->line_stop - s->line_start == b->line_stop - b->line_start &&
           rel(s->line_start, ms) == rel(b->line_start, b->mod_start);
}

WH_RT static void fill(struct wh_slot *s, const struct wh_bounds *b) {
    s->fn_start = b->fn_start;
    s->fn_stop = b->fn_stop;
    s->site_start = b->site_start;
    s->site_stop = b->site_stop;
    s->line_start = b->line_start;
    s->line_stop = b->line_stop;
    s->mod_stop = b->mod_stop;
    s->ident_valid = false;
    atomic_store_explicit(&s->mod_start, b->mod_start, memory_order_release);
}

WH_EXPORT WH_RT void __whence_register(uint32_t abi_version, const void *fn_start,
                                       const void *fn_stop, const void *site_start,
                                       const void *site_stop, const void *mod_start,
                                       const void *mod_stop, const void *line_start,
                                       const void *line_stop) {
    struct wh_bounds b = {(uintptr_t)fn_start,   (uintptr_t)fn_stop,   (uintptr_t)site_start,
                          (uintptr_t)site_stop,  (uintptr_t)mod_start, (uintptr_t)mod_stop,
                          (uintptr_t)line_start, (uintptr_t)line_stop};
    if (abi_version != WHENCE_ABI_VERSION) {
        if (wh_once(WH_ONCE_VERSION)) {
            struct wh_buf w = {.fd = 2};
            wh_buf_str(&w, "whence: ignoring image at ");
            wh_buf_hex(&w, b.mod_start);
            wh_buf_str(&w, " built for record ABI version ");
            wh_buf_dec(&w, abi_version);
            wh_buf_str(&w, " (this runtime reads version ");
            wh_buf_dec(&w, WHENCE_ABI_VERSION);
            wh_buf_str(&w, ")\n");
            wh_buf_flush(&w);
        }
        return;
    }
    /* No module table: nothing could be named (an image whose instrumented
     * objects were all dropped, or an uninstrumented one). */
    if (!b.mod_start || b.mod_stop <= b.mod_start)
        return;
    if ((b.fn_start && b.fn_stop < b.fn_start) || (b.site_start && b.site_stop < b.site_start) ||
        (b.line_start && b.line_stop < b.line_start) || (!b.fn_start && b.fn_stop) ||
        (!b.site_start && b.site_stop) || (!b.line_start && b.line_stop)) {
        if (wh_once(WH_ONCE_BADBOUNDS))
            wh_say_image(b.mod_start, "section bounds are inverted");
        return;
    }
    if (b.mod_start & 3) {
        if (wh_once(WH_ONCE_UNALIGNED))
            wh_say_image(b.mod_start, "whence_mod is not 4-byte aligned");
        return;
    }

    reg_lock();
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_relaxed);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = &wh_slots[i];
        if (!atomic_load_explicit(&s->live, memory_order_relaxed) ||
            atomic_load_explicit(&s->mod_start, memory_order_relaxed) != b.mod_start)
            continue;
        if (s->fn_start == b.fn_start && s->fn_stop == b.fn_stop &&
            s->site_start == b.site_start && s->site_stop == b.site_stop &&
            s->line_start == b.line_start && s->line_stop == b.line_stop &&
            s->mod_stop == b.mod_stop) {
            reg_unlock(); /* the same image again: idempotent */
            return;
        }
        /* Another image where a live one was: the old one was unmapped
         * without unregistering.  Retire it (its identity is unknown now). */
        atomic_store_explicit(&s->live, 0, memory_order_release);
        wh_ra_forget_all();
    }

    /* The same records as a dead image: revive that slot, keep its index. */
    bool have_ident = false;
    uint64_t ident = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = &wh_slots[i];
        if (atomic_load_explicit(&s->live, memory_order_relaxed) || !s->ident_valid ||
            !same_layout(s, &b))
            continue;
        if (!have_ident) {
            ident = ident_of(&b);
            have_ident = true;
        }
        if (s->ident != ident)
            continue;
        fill(s, &b);
        atomic_store_explicit(&s->live, 1, memory_order_release);
        reg_unlock();
        return;
    }

    if (n == WH_MAX_IMAGES) {
        reg_unlock();
        if (wh_once(WH_ONCE_FULL))
            wh_say_image(b.mod_start, "registry is full (more than 1024 distinct images)");
        return;
    }
    struct wh_slot *s = &wh_slots[n];
    fill(s, &b);
    atomic_store_explicit(&s->build, WH_IX_NONE, memory_order_relaxed);
    atomic_store_explicit(&s->ix, NULL, memory_order_relaxed);
    atomic_store_explicit(&s->live, 1, memory_order_relaxed);
    atomic_store_explicit(&wh_nslots, n + 1, memory_order_release);
    reg_unlock();
}

WH_RT static uint32_t self_tid(void) {
    return (uint32_t)syscall(SYS_gettid);
}

WH_EXPORT WH_RT void __whence_unregister(const void *mod_start) {
    if (in_main_program(mod_start))
        return;
    reg_lock();
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_relaxed);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = &wh_slots[i];
        uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_relaxed);
        if (!atomic_load_explicit(&s->live, memory_order_relaxed) || ms != (uintptr_t)mod_start)
            continue;
        /* The records are still mapped (module destructors run before the
         * unmap): remember their identity for a later revival. */
        struct wh_bounds b = {s->fn_start,  s->fn_stop,    s->site_start, s->site_stop,
                              ms,           s->mod_stop,   s->line_start, s->line_stop};
        s->ident = ident_of(&b);
        s->ident_valid = true;
        atomic_store_explicit(&s->live, 0, memory_order_seq_cst);
        wh_ra_forget_all();
        /* An index build reads the records: let one in progress finish
         * before the image is unmapped.  A builder re-checks live after it
         * claimed the build (seq_cst on both sides), so either it sees the
         * image gone or we see it building. */
        uint32_t me = self_tid();
        for (unsigned spins = 0;; spins++) {
            uint32_t st = atomic_load_explicit(&s->build, memory_order_seq_cst);
            if ((st & 3) != WH_IX_BUILDING || st >> 2 == me)
                break;
            if (spins < 64) {
                sched_yield();
            } else {
                struct timespec ts = {0, 50000};
                nanosleep(&ts, NULL);
            }
        }
        break;
    }
    reg_unlock();
}


/* Slow path of wh_slot_index: build (one thread) or wait (the others). */
WH_RT const struct wh_index *wh_slot_index_slow(struct wh_slot *s) {
    uint32_t me = 0;
    for (unsigned spins = 0;; spins++) {
        uint32_t b = atomic_load_explicit(&s->build, memory_order_acquire);
        switch (b & 3) {
        case WH_IX_READY:
            return atomic_load_explicit(&s->ix, memory_order_acquire);
        case WH_IX_FAILED:
            return NULL;
        case WH_IX_NONE: {
            if (!me)
                me = self_tid();
            /* The builder's tid goes into the same word as the state, so a
             * signal handler interrupting the builder on its own thread can
             * tell, with no window in between. */
            if (!atomic_compare_exchange_strong_explicit(&s->build, &b, me << 2 | WH_IX_BUILDING,
                                                         memory_order_seq_cst,
                                                         memory_order_acquire))
                continue;
            if (!atomic_load_explicit(&s->live, memory_order_seq_cst)) {
                /* Unregistered meanwhile: its records may be unmapped. */
                atomic_store_explicit(&s->build, WH_IX_NONE, memory_order_release);
                return NULL;
            }
            const struct wh_index *ix = wh_index_build(s);
            if (ix) {
                atomic_store_explicit(&s->ix, ix, memory_order_release);
                atomic_store_explicit(&s->build, WH_IX_READY, memory_order_release);
            } else {
                atomic_store_explicit(&s->build, WH_IX_FAILED, memory_order_release);
            }
            return ix;
        }
        default: /* building */
            if (!me)
                me = self_tid();
            if (b >> 2 == me)
                return NULL; /* we interrupted our own build: unknown for now */
            if (spins < 64) {
                sched_yield();
            } else {
                struct timespec ts = {0, 50000};
                nanosleep(&ts, NULL);
            }
        }
    }
}

