/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * registry.c - the images that registered their records: one slot per
 * executable or DSO, in chunks of slots that are allocated when needed and
 * never freed, so lock-free readers can walk them at any time (even in a
 * signal handler).
 *
 * Protocol:
 *   - __whence_register fills a slot (a dead one is reused, else a new one
 *     is taken) and publishes it with a release store of its live flag;
 *     readers load it with acquire.  Around the refill of a reused slot its
 *     generation is odd, so a reader that read the slot's range while it
 *     changed sees another generation afterwards and ignores what it read.
 *   - Registration is idempotent per whence_mod start: the same bounds again
 *     are a no-op.  The same mod_start with other bounds means the previous
 *     image went away without unregistering: its slot is retired.
 *   - __whence_unregister (dlclose, from the image's destructor, before it is
 *     unmapped) clears the live flag, forgets what the caches remember, waits
 *     for a bucket build in progress on the slot and frees its buckets.  A
 *     lookup reads an image's own memory (records, tables) only for a pc in
 *     that image's range, so a lookup racing with a dlclose touches the
 *     closing image only when it asked about a pc of that very image, which
 *     its callers may not do (api.md: valid while the module is loaded).
 *   - Slots are reused, so memory follows what is loaded now, not what was
 *     ever loaded: any number of load/unload cycles, up to WH_CHUNK_SLOTS x
 *     WH_MAX_CHUNKS images at once.
 *   - The pcs an image answers for are its executable segments (from the
 *     dynamic linker's list at registration), or, for an image it does not
 *     know, the span of its records.
 *   - Buckets are built by the first lookup that needs them after
 *     WH_RAW_LOOKUPS lookups of the image; a CAS on the slot's build word
 *     picks the builder (see wh_slot_accel_slow).
 */
#define _GNU_SOURCE
#include "lookup.h"
#include "profile/profile.h"

#include <link.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct wh_slot *_Atomic wh_chunks[WH_MAX_CHUNKS];
_Atomic uint32_t wh_nslots;
_Atomic uint64_t wh_reg_seq;
_Atomic int wh_started;

/* Set once constructors run: before that (ifunc resolvers, a static
 * program's start-up before its TLS exists) the runtime answers "unknown"
 * without touching anything (lookup.c, capture.c). */
__attribute__((constructor(101))) WH_RT static void started(void) {
    /* The asm keeps the optimizer from evaluating this constructor at
     * compile time (it would fold the store into the initializer). */
    __asm__ volatile("" ::: "memory");
    atomic_store_explicit(&wh_started, 1, memory_order_relaxed);
    wh_register_program_note();
}

/* Writers only (constructors/destructors, never signal context). */
/* The registry's lock names its holder: a fork's child whose parent had a
 * thread inside a module's constructor or destructor (dlopen, dlclose)
 * inherits the lock from a thread it does not have, and would wait for it
 * forever (at its exit, in the main program's module destructor).  glibc
 * resets its own loader lock in the child; this one is taken over. */
static _Atomic int wh_reg_owner;

/* The main program's whence_mod, known at its registration: its module
 * destructor then asks nothing of the dynamic linker (dl_iterate_phdr's
 * lock, like whence's, may be held by a thread that a fork left behind). */
static _Atomic uintptr_t wh_main_mod;

_Atomic uint8_t wh_empty_image;

WH_RT static void reg_lock(void) {
    int me = wh_gettid();
    for (unsigned spins = 0;; spins++) {
        int owner = 0;
        if (atomic_compare_exchange_weak_explicit(&wh_reg_owner, &owner, me, memory_order_acquire,
                                                  memory_order_relaxed))
            return;
        if ((spins & 63) == 63 && wh_tid_gone(owner))
            atomic_compare_exchange_strong(&wh_reg_owner, &owner, 0);
        sched_yield();
    }
}

WH_RT static void reg_unlock(void) {
    atomic_store_explicit(&wh_reg_owner, 0, memory_order_release);
}

WH_RT bool wh_program_registered(void) {
    return atomic_load_explicit(&wh_main_mod, memory_order_relaxed) != 0;
}

WH_RT bool wh_registering_here(void) {
    return atomic_load_explicit(&wh_reg_owner, memory_order_relaxed) == wh_gettid();
}

/* ---- where an image is --------------------------------------------------------- */

struct wh_probe {
    uintptr_t addr;      /* inside the image (its whence_mod) */
    uintptr_t lo, hi;    /* its executable segments */
    bool found, first;   /* the image is the main program (the first object) */
    uint32_t nx;         /* and each of them (the first WH_XSEGS) */
    uint32_t xeh;        /* bit i: segment i holds the PT_GNU_EH_FRAME */
    uintptr_t eh;        /* the PT_GNU_EH_FRAME (0: none), and its size */
    size_t ehsize;
    uintptr_t xlo[WH_XSEGS], xhi[WH_XSEGS];
};

WH_RT bool wh_load_span(const struct dl_phdr_info *info, bool exec_only, uintptr_t *lo,
                        uintptr_t *hi) {
    *lo = UINTPTR_MAX, *hi = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || (exec_only && !(ph->p_flags & PF_X)))
            continue;
        uintptr_t a = info->dlpi_addr + ph->p_vaddr;
        if (a < *lo)
            *lo = a;
        if (a + ph->p_memsz > *hi)
            *hi = a + ph->p_memsz;
    }
    return *lo < *hi;
}

WH_RT WH_ONCE static int probe_one(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    struct wh_probe *p = arg;
    bool mine = false;
    for (int i = 0; i < info->dlpi_phnum && !mine; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        mine = ph->p_type == PT_LOAD && p->addr >= lo && p->addr - lo < ph->p_memsz;
    }
    if (!mine) {
        p->first = false;
        return 0;
    }
    p->found = wh_load_span(info, true, &p->lo, &p->hi);
    for (int i = 0; i < info->dlpi_phnum && p->nx < WH_XSEGS; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            p->xlo[p->nx] = info->dlpi_addr + ph->p_vaddr;
            p->xhi[p->nx++] = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
        }
    }
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_GNU_EH_FRAME)
            continue;
        p->eh = info->dlpi_addr + ph->p_vaddr;
        p->ehsize = ph->p_memsz;
        for (uint32_t k = 0; k < p->nx; k++)
            if (info->dlpi_addr + ph->p_vaddr - p->xlo[k] < p->xhi[k] - p->xlo[k])
                p->xeh |= 1u << k;
    }
    return 1;
}

WH_RT WH_ONCE static void probe(struct wh_probe *p, uintptr_t addr) {
    *p = (struct wh_probe){.addr = addr, .first = true};
    dl_iterate_phdr(probe_one, p);
}

/* The span of the records (for an image the dynamic linker does not list,
 * like the synthetic images of the unit tests): from the first record's
 * entry to the last one's end, widened by the order check if need be. */
WH_RT WH_ONCE static void span_of_records(uintptr_t fs, uint32_t n, uintptr_t *lo, uintptr_t *hi) {
    *lo = UINTPTR_MAX, *hi = 0;
    for (uint32_t i = 0; i < n; i++) {
        const wh_fn *r = (const wh_fn *)(fs + (uintptr_t)i * WHENCE_FN_RECORD_SIZE);
        uintptr_t e = wh_rec_entry(r), sz = wh_rec_size(r);
        if (sz == 0 || sz > WH_MAX_FN_SIZE || e + sz < e)
            continue;
        if (e < *lo)
            *lo = e;
        if (e + sz > *hi)
            *hi = e + sz;
    }
    if (*lo > *hi)
        *lo = *hi = 0;
}

/* ---- registration --------------------------------------------------------------- */

struct wh_bounds {
    uintptr_t fn_start, fn_stop, site_start, site_stop, mod_start, mod_stop, line_start, line_stop;
};

/* A slot to fill: a dead one, else a new one (its chunk allocated). */
WH_RT WH_ONCE static struct wh_slot *take_slot(void) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_relaxed);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        if (!atomic_load_explicit(&s->live, memory_order_relaxed) &&
            (atomic_load_explicit(&s->build, memory_order_relaxed) & 3) != WH_IX_BUILDING)
            return s;
    }
    if (n >= WH_CHUNK_SLOTS * WH_MAX_CHUNKS)
        return NULL;
    if (n % WH_CHUNK_SLOTS == 0) {
        struct wh_slot *c = wh_map(WH_CHUNK_SLOTS * sizeof *c);
        if (!c)
            return NULL;
        atomic_store_explicit(&wh_chunks[n / WH_CHUNK_SLOTS], c, memory_order_release);
    }
    struct wh_slot *s = wh_slot_at(n);
    atomic_store_explicit(&wh_nslots, n + 1, memory_order_release);
    return s;
}

WH_RT WH_ONCE static void fill(struct wh_slot *s, const struct wh_bounds *b, uintptr_t lo, uintptr_t hi,
                       const struct wh_tab *tab, const struct wh_probe *p, uint32_t stale) {
    uint32_t g = atomic_load_explicit(&s->gen, memory_order_relaxed);
    atomic_store_explicit(&s->gen, g | 1, memory_order_relaxed); /* odd: changing */
    atomic_thread_fence(memory_order_release);
    /* (the fields lookups probe before they know the slot: relaxed atomics,
     * internal.h wh_slot_fn_start) */
    __atomic_store_n(&s->fn_start, b->fn_start, __ATOMIC_RELAXED);
    __atomic_store_n(&s->nfn,
                     b->fn_start ? (uint32_t)((b->fn_stop - b->fn_start) / WHENCE_FN_RECORD_SIZE)
                                 : 0,
                     __ATOMIC_RELAXED);
    s->site_start = b->site_start;
    s->nsite = b->site_start ? (uint32_t)((b->site_stop - b->site_start) / WH_SITE_SIZE) : 0;
    s->line_start = b->line_start;
    s->line_stop = b->line_stop;
    s->mod_stop = b->mod_stop;
    __atomic_store_n(&s->tab.base, tab->base, __ATOMIC_RELAXED);
    __atomic_store_n(&s->tab.func, tab->func, __ATOMIC_RELAXED);
    __atomic_store_n(&s->tab.nfunc, tab->nfunc, __ATOMIC_RELAXED);
    s->tab.text = tab->text;
    s->tab.bucket = tab->bucket;
    s->tab.mod = tab->mod;
    s->tab.subfn = tab->subfn;
    s->tab.data = tab->data;
    s->tab.span = tab->span;
    s->tab.nbucket = tab->nbucket;
    s->tab.nmod = tab->nmod;
    s->tab.nsubfn = tab->nsubfn;
    s->tab.data_size = tab->data_size;
    s->tab.check = tab->check;
    s->tab.nfunc4 = tab->nfunc4;
    s->tab.desc = tab->desc;
    s->tab.w = tab->w;
    for (int i = 0; i < 4; i++)
        atomic_store_explicit(&s->memo[i], 0, memory_order_relaxed);
    atomic_store_explicit(&s->ax, NULL, memory_order_relaxed);
    atomic_store_explicit(&s->tmods, NULL, memory_order_relaxed);
    atomic_store_explicit(&s->tab_ok, NULL, memory_order_relaxed);
    atomic_store_explicit(&s->chunk_ok, 0, memory_order_relaxed);
    atomic_store_explicit(&s->build, WH_IX_NONE, memory_order_relaxed);
    atomic_store_explicit(&s->build_frame, 0, memory_order_relaxed);
    atomic_store_explicit(&s->build_stalled, 0, memory_order_relaxed);
    atomic_store_explicit(&s->order, WH_ORDER_UNCHECKED, memory_order_relaxed);
    atomic_store_explicit(&s->lookups, 0, memory_order_relaxed);
    atomic_store_explicit(&s->frags, WH_FRAGS_UNCHECKED, memory_order_relaxed);
    s->nx = p->found ? p->nx : 0;
    s->xeh = p->found ? p->xeh : 0;
    s->stale = stale;
    for (uint32_t i = 0; i < s->nx; i++)
        s->xlo[i] = p->xlo[i], s->xhi[i] = p->xhi[i];
    atomic_store_explicit(&s->xrec, 0, memory_order_relaxed);
    atomic_store_explicit(&s->lo, lo, memory_order_relaxed);
    atomic_store_explicit(&s->hi, hi, memory_order_relaxed);
    atomic_store_explicit(&s->mod_start, b->mod_start, memory_order_relaxed);
    atomic_store_explicit(&s->seq, atomic_fetch_add_explicit(&wh_reg_seq, 1, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    atomic_store_explicit(&s->gen, (g | 1) + 1, memory_order_release);
    atomic_store_explicit(&s->live, WH_LIVE, memory_order_release);
}

/* Says that an image's lookup table is not used, and why (once per image:
 * it registers once). */
WH_RT WH_ONCE static void say_table(uintptr_t ms, const char *why) {
    struct wh_buf w = {.fd = 2};
    wh_buf_str(&w, "whence: image at ");
    wh_buf_hex(&w, ms);
    wh_buf_str(&w, ": ignoring its lookup table (");
    wh_buf_str(&w, why);
    wh_buf_str(&w, "); answering from its records\n");
    wh_buf_flush(&w);
}

/* quiet: an image another copy of the runtime passed on (peers.c), which
 * that copy has said what it had to say about. */
WH_RT WH_ONCE static void do_register(uint32_t abi_version, const struct wh_bounds *bp, uintptr_t tab_start,
                              uintptr_t tab_stop, bool quiet) {
    struct wh_bounds b = *bp;
    if (abi_version != WHENCE_ABI_VERSION) {
        if (!quiet && wh_once(WH_ONCE_VERSION)) {
            struct wh_buf w = {.fd = 2};
            wh_buf_str(&w, "whence: ignoring image at ");
            wh_buf_hex(&w, b.mod_start);
            wh_buf_str(&w, " built for record ABI version ");
            wh_buf_dec(&w, abi_version);
            wh_buf_str(&w, " (this runtime reads version ");
            wh_buf_dec(&w, WHENCE_ABI_VERSION);
            /* (a compiler cache's objects of an older plugin linked with
             * new ones: the comdat constructor the link kept decides) */
            wh_buf_str(&w, "): its objects, or the one whose constructor the link kept, were "
                           "compiled by another whence's plugin: rebuild them (a compiler cache "
                           "such as ccache does not see a new plugin)\n");
            wh_buf_flush(&w);
        }
        return;
    }
    /* No module table: nothing could be named (an image whose instrumented
     * objects were all dropped, or instrumented code a JIT linked, which
     * defines no __start_/__stop_ symbols: the constructor's weak
     * references are null). */
    if (!b.mod_start || b.mod_stop <= b.mod_start) {
        atomic_store_explicit(&wh_empty_image, 1, memory_order_relaxed);
        return;
    }
    if ((b.fn_start && b.fn_stop < b.fn_start) || (b.site_start && b.site_stop < b.site_start) ||
        (b.line_start && b.line_stop < b.line_start) || (!b.fn_start && b.fn_stop) ||
        (!b.site_start && b.site_stop) || (!b.line_start && b.line_stop) ||
        (b.fn_start && (b.fn_stop - b.fn_start) / WHENCE_FN_RECORD_SIZE >= UINT32_MAX) ||
        (b.site_start && (b.site_stop - b.site_start) / WH_SITE_SIZE >= UINT32_MAX) ||
        b.mod_stop - b.mod_start > UINT32_MAX) {
        if (!quiet && wh_once(WH_ONCE_BADBOUNDS))
            wh_say_image(b.mod_start, "section bounds are inverted or too large");
        return;
    }
    if (b.mod_start & 3) {
        if (!quiet && wh_once(WH_ONCE_UNALIGNED))
            wh_say_image(b.mod_start, "whence_mod is not 4-byte aligned");
        return;
    }
    struct wh_probe p;
    probe(&p, b.mod_start);
    if (p.found && p.first)
        atomic_store_explicit(&wh_main_mod, b.mod_start, memory_order_relaxed);
    uintptr_t lo = p.lo, hi = p.hi;
    /* Code rewritten over the text its records name (BOLT's
     * -use-old-text, moved.c): nothing is answered from them. */
    uint32_t stale = p.found && wh_rewritten_in_place(p.xlo, p.xhi, p.nx, p.xeh, p.eh, p.ehsize,
                                                      b.fn_start, b.fn_stop);
    if (stale) {
        if (!quiet && wh_once(WH_ONCE_REWRITTEN)) {
            struct wh_buf w = {.fd = 2};
            wh_buf_str(&w, "whence: image at ");
            wh_buf_hex(&w, b.mod_start);
            wh_buf_str(&w, ": BOLT rewrote its code over the text its records name "
                           "(-use-old-text): its frames are given as unknown\n");
            wh_buf_flush(&w);
        }
        lo = hi = 0;
        tab_start = tab_stop = 0;
    }
    if (!p.found)
        span_of_records(b.fn_start, b.fn_start ? (uint32_t)((b.fn_stop - b.fn_start) /
                                                             WHENCE_FN_RECORD_SIZE) : 0,
                        &lo, &hi);
    /* The post-link table (table.c): its header is checked here, once. */
    struct wh_tab tab;
    const char *why = wh_tab_adopt(&tab, tab_start, tab_stop, b.fn_start, b.fn_stop,
                                   b.site_start, b.site_stop, b.mod_start, b.mod_stop,
                                   b.line_start, b.line_stop, lo, hi);

    reg_lock();
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_relaxed);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        if (!atomic_load_explicit(&s->live, memory_order_relaxed) ||
            atomic_load_explicit(&s->mod_start, memory_order_relaxed) != b.mod_start)
            continue;
        if (s->fn_start == b.fn_start && s->site_start == b.site_start &&
            s->line_start == b.line_start && s->line_stop == b.line_stop &&
            s->mod_stop == b.mod_stop && s->tab.base == tab.base) {
            reg_unlock(); /* the same image again: idempotent */
            return;
        }
        /* Another image where a live one was: the old one was unmapped
         * without unregistering.  Retire it. */
        atomic_store_explicit(&s->live, 0, memory_order_release);
        wh_forget_all();
    }
    struct wh_slot *s = take_slot();
    if (!s) {
        reg_unlock();
        if (!quiet && wh_once(WH_ONCE_FULL))
            wh_say_image(b.mod_start, "registry is full (more than 262,144 images at once)");
        return;
    }
    const struct wh_accel *old = atomic_load_explicit(&s->ax, memory_order_relaxed);
    const struct wh_tmods *old_tm = atomic_load_explicit(&s->tmods, memory_order_relaxed);
    fill(s, &b, lo, hi, &tab, &p, stale);
    /* The main program is never unloaded: lookups into it need no
     * reader's record (readers.c). */
    if (b.mod_start == atomic_load_explicit(&wh_main_mod, memory_order_relaxed)) {
        atomic_store_explicit(&s->live, WH_LIVE_KEPT, memory_order_release);
        /* ...and it is the lookups' first hint: a process's first lookup
         * of it then takes its warm path, in the slot this registration
         * wrote (no reader's record, no page of the sentinel slot). */
        atomic_store_explicit(&wh_last_slot, s, memory_order_relaxed);
    }
    reg_unlock();
    /* (only when there is one: a call into their pages of plain .text
     * would fault each in at every program's start) */
    if (old)
        wh_accel_free(old);
    if (old_tm)
        wh_tmods_free(old_tm);
    if (why && !quiet)
        say_table(b.mod_start, why);
}

WH_RT WH_ONCE void wh_register_local(const struct whence_peer_image *img, bool quiet) {
    struct wh_bounds b = {img->fn_start,   img->fn_stop,   img->site_start, img->site_stop,
                          img->mod_start,  img->mod_stop,  img->line_start, img->line_stop};
    do_register(img->abi_version, &b, img->tab_start, img->tab_stop, quiet);
}

/* Both hooks: the image registered here, and at the other copies of the
 * runtime, if any (a static call: an exported hook may be bound to another
 * copy's). */
WH_RT WH_ONCE static void register_at_hooks(uint32_t abi_version, const void *fn_start,
                                            const void *fn_stop, const void *site_start,
                                            const void *site_stop, const void *mod_start,
                                            const void *mod_stop, const void *line_start,
                                            const void *line_stop, const void *tab_start,
                                            const void *tab_stop) {
    struct whence_peer_image img = {
        abi_version,          0,
        (uintptr_t)fn_start,  (uintptr_t)fn_stop,  (uintptr_t)site_start, (uintptr_t)site_stop,
        (uintptr_t)mod_start, (uintptr_t)mod_stop, (uintptr_t)line_start, (uintptr_t)line_stop,
        (uintptr_t)tab_start, (uintptr_t)tab_stop};
    wh_register_local(&img, false);
    wh_peers_register(&img);
    if ((uintptr_t)mod_start == atomic_load_explicit(&wh_main_mod, memory_order_relaxed))
        wh_profile_registered();
}

WH_EXPORT WH_RT WH_ONCE void __whence_register(uint32_t abi_version, const void *fn_start,
                                       const void *fn_stop, const void *site_start,
                                       const void *site_stop, const void *mod_start,
                                       const void *mod_stop, const void *line_start,
                                       const void *line_stop) {
    register_at_hooks(abi_version, fn_start, fn_stop, site_start, site_stop, mod_start, mod_stop,
                      line_start, line_stop, NULL, NULL);
}

/* The same, with the image's whence_tab (whence_abi.h): objects built since
 * whence-link exists call this one when the runtime has it. */
WH_EXPORT WH_RT WH_ONCE void __whence_register_tab(uint32_t abi_version, const void *fn_start,
                                           const void *fn_stop, const void *site_start,
                                           const void *site_stop, const void *mod_start,
                                           const void *mod_stop, const void *line_start,
                                           const void *line_stop, const void *tab_start,
                                           const void *tab_stop) {
    register_at_hooks(abi_version, fn_start, fn_stop, site_start, site_stop, mod_start, mod_stop,
                      line_start, line_stop, tab_start, tab_stop);
}

WH_RT static uint32_t self_tid(void) {
    return (uint32_t)syscall(SYS_gettid);
}

WH_RT void wh_nap(unsigned spins) {
    if (spins < 64) {
        sched_yield();
    } else {
        /* (a waiter may hold a lock: the loader's, in dlclose) */
        struct timespec ts = {0, 50000};
        int c = wh_cancel_off();
        nanosleep(&ts, NULL);
        wh_cancel_restore(c);
    }
}

WH_EXPORT WH_RT void __whence_unregister(const void *mod_start) {
    /* The main program is never unloaded, but its module destructor runs
     * at exit before the destructors of the libraries it loaded, which may
     * still want its frames named (leak or profile reports at exit): its
     * image stays registered, here and at the other copies. */
    if (wh_unregister_local((uintptr_t)mod_start))
        wh_peers_unregister((uintptr_t)mod_start);
}

WH_RT bool wh_unregister_local(uintptr_t mod_start) {
    if (mod_start == atomic_load_explicit(&wh_main_mod, memory_order_relaxed))
        return false;
    /* A running CPU profile names this image's frames while it is here. */
    wh_profile_unloading((const void *)mod_start);
    reg_lock();
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_relaxed);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_relaxed);
        if (!atomic_load_explicit(&s->live, memory_order_relaxed) || ms != (uintptr_t)mod_start)
            continue;
        atomic_store_explicit(&s->live, 0, memory_order_seq_cst);
        wh_forget_all();
        /* A bucket build reads the records: let one in progress finish
         * before the image is unmapped.  A builder re-checks live after it
         * claimed the build (seq_cst on both sides), so either it sees the
         * image gone or we see it building. */
        uint32_t me = self_tid();
        for (unsigned spins = 0;; spins++) {
            uint32_t st = atomic_load_explicit(&s->build, memory_order_seq_cst);
            if ((st & 3) != WH_IX_BUILDING || st >> 2 == me ||
                ((spins & 63) == 63 && wh_tid_gone((int)(st >> 2))))
                break;
            wh_nap(spins);
        }
        /* A lookup that saw the image alive may still read its records,
         * which dlclose unmaps when this destructor returns. */
        wh_readers_wait();
        /* The buckets are freed when the slot is filled again (a reader
         * that still holds them was asking about this very image). */
        break;
    }
    reg_unlock();
    return true;
}

/* What a slot's build made: its buckets, or for an image with a post-link
 * table the array of its modules (a slot is the one or the other for as
 * long as it holds that image, so one build word serves both). */
WH_RT static const void *built(struct wh_slot *s, bool tab) {
    return tab ? (const void *)atomic_load_explicit(&s->tmods, memory_order_acquire)
               : (const void *)atomic_load_explicit(&s->ax, memory_order_acquire);
}

/* Slow path of wh_slot_accel and of a table's module array: build (one
 * thread) or wait (the others).  A waiter gives up after a second or so
 * (a build takes milliseconds), and for that build for good: the records
 * answer meanwhile, as they answer the builder's own thread. */
WH_RT static const void *slot_build(struct wh_slot *s, bool tab) {
    uint32_t me = 0;
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    for (unsigned spins = 0;; spins++) {
        uint32_t b = atomic_load_explicit(&s->build, memory_order_acquire);
        switch (b & 3) {
        case WH_IX_READY:
            return built(s, tab);
        case WH_IX_FAILED:
            return NULL;
        case WH_IX_NONE: {
            if (!me)
                me = self_tid();
            /* The builder's tid goes into the same word as the state, so a
             * signal handler interrupting the builder on its own thread can
             * tell, with no window in between.  The claim, its mark and the
             * build run with the asynchronous signals blocked: a handler
             * that left by a longjmp after the claim but before its mark
             * was said left a build that this thread's later lookups took
             * for one in progress (no mark: not left), so nobody ever
             * finished it and the image's unregistering waited for it for
             * ever. */
            sigset_t old;
            bool off = wh_async_off(&old); /* (internal.h) */
            if (!atomic_compare_exchange_strong_explicit(&s->build, &b, me << 2 | WH_IX_BUILDING,
                                                         memory_order_seq_cst,
                                                         memory_order_acquire)) {
                wh_async_restore(off, &old);
                continue;
            }
            atomic_store_explicit(&s->build_frame, wh_claim_mark(frame), memory_order_release);
            if (!atomic_load_explicit(&s->live, memory_order_seq_cst)) {
                atomic_store_explicit(&s->build_frame, 0, memory_order_relaxed);
                /* Unregistered meanwhile: its records may be unmapped. */
                atomic_store_explicit(&s->build, WH_IX_NONE, memory_order_release);
                wh_async_restore(off, &old);
                return NULL;
            }
            const void *r;
            if (tab) {
                const struct wh_tmods *tm = wh_tmods_build(s);
                if (tm) {
                    atomic_store_explicit(&s->tab_ok, tm->ok, memory_order_release);
                    atomic_store_explicit(&s->tmods, tm, memory_order_release);
                }
                r = tm;
            } else {
                const struct wh_accel *ax = wh_accel_build(s);
                if (ax)
                    atomic_store_explicit(&s->ax, ax, memory_order_release);
                r = ax;
            }
            atomic_store_explicit(&s->build_frame, 0, memory_order_relaxed);
            atomic_store_explicit(&s->build, r ? WH_IX_READY : WH_IX_FAILED,
                                  memory_order_release);
            wh_async_restore(off, &old);
            return r;
        }
        default: /* building */
            if (!me)
                me = self_tid();
            /* This thread's build: one a signal handler interrupted (the
             * records answer), or one it left by a longjmp (claimed
             * again). */
            if (b >> 2 == me && !wh_claim_left(atomic_load_explicit(&s->build_frame,
                                                                    memory_order_acquire),
                                               frame))
                return NULL;
            /* A builder that is no thread of this process (this is the
             * child of a fork made while another thread built), or this
             * thread, that left the build by a longjmp: nobody will
             * finish, so the build is claimed again (what it had
             * allocated stays allocated). */
            if (b >> 2 == me || ((spins & 63) == 63 && wh_tid_gone((int)(b >> 2)))) {
                atomic_compare_exchange_strong_explicit(&s->build, &b, WH_IX_NONE,
                                                        memory_order_acq_rel,
                                                        memory_order_acquire);
                continue;
            }
            if (spins >= 20000 || atomic_load_explicit(&s->build_stalled, memory_order_relaxed) == b) {
                atomic_store_explicit(&s->build_stalled, b, memory_order_relaxed);
                return NULL;
            }
            wh_nap(spins);
        }
    }
}

WH_RT const struct wh_accel *wh_slot_accel_slow(struct wh_slot *s) {
    return slot_build(s, false);
}

WH_RT const struct wh_tmods *wh_slot_tmods_slow(struct wh_slot *s) {
    return slot_build(s, true);
}
