/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * peers.c - the other copies of this runtime in the process (whence_abi.h,
 * "copies of the runtime in one process"): libwhence.a linked into several
 * shared objects that a host loads RTLD_LOCAL gives each its own registry,
 * and each copy would name only the images linked with it.  A walk from one
 * extension through another would end at the first frame of the other.
 *
 * So every copy exports WHENCE_PEER_SYMBOL, and
 *   - a registration at this copy's hooks is remembered (for copies that
 *     come later) and passed on to every other copy loaded now;
 *   - this copy's first registration (or its constructor, in an object
 *     with no records of its own) first takes every image the other copies
 *     were given at their own hooks (their each());
 *   - an unregistration is passed on to the copies this one met, each
 *     checked to be loaded still (_dl_find_object: no lock), not searched
 *     for: in a fork's child, exit's destructors would wait forever for
 *     the dynamic linker's lock if a thread of the parent held it.
 * Copies are found by their exported symbol in each loaded object's
 * DT_GNU_HASH table, inside dl_iterate_phdr's callback: the dynamic
 * linker's lock held there keeps a copy's object mapped while it is
 * called.  The hooks run in module constructors and destructors, under the
 * dynamic linker's own lock, so copies never call each other concurrently;
 * the lists here have a lock of their own all the same (a program may call
 * the hooks itself).  A copy knows itself by its functions, not by the
 * address of its symbol, which -Bsymbolic-functions or an exporting host
 * may bind elsewhere.  Nothing here runs on a lookup.
 */
#define _GNU_SOURCE
#include "dlfo.h" /* (without _dl_find_object, unregistrations search, as registrations do) */
#include "internal.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>


/* ---- this copy ------------------------------------------------------------------ */

WH_RT WH_ONCE static void peer_add(const struct whence_peer_image *img);
WH_RT static void peer_remove(uintptr_t mod_start);
WH_RT static void peer_each(void (*fn)(void *, const struct whence_peer_image *), void *ctx);
WH_RT WH_ONCE static void peer_hello(const struct whence_peer *from);

/* This copy's own, as the others are told it (the exported symbol may be
 * bound to another copy's: -Bsymbolic-functions, an exporting host). */
extern const struct whence_peer wh_self __attribute__((alias("__whence_peer"), visibility("hidden")));

WH_EXPORT const struct whence_peer __whence_peer = {
    .version = WHENCE_PEER_VERSION,
    .size = sizeof(struct whence_peer),
    .add = peer_add,
    .remove = peer_remove,
    .each = peer_each,
    .hello = peer_hello,
    .crash_handler = (const void *)wh_crash_sigaction,
    .quit_handler = (const void *)wh_quit_sigaction,
};

WH_RT WH_ONCE static void peer_add(const struct whence_peer_image *img) {
    wh_register_local(img, true);
}

WH_RT static void peer_remove(uintptr_t mod_start) {
    wh_unregister_local(mod_start);
}

/* The images registered at this copy's own hooks (for copies loaded later):
 * a few in place (a program's start-up maps no page for them), more in
 * mapped memory, grown by doubling; a dead entry has mod_start 0 and is
 * reused. */
#define WH_ORIGIN_FIXED 8u
static struct whence_peer_image wh_origin_fixed[WH_ORIGIN_FIXED];
static struct whence_peer_image *wh_origin = wh_origin_fixed;
static uint32_t wh_norigin, wh_origin_cap = WH_ORIGIN_FIXED;
static _Atomic int wh_origin_owner; /* a thread id: a lock a fork's child takes over */

WH_RT static void origin_lock(void) {
    int me = wh_gettid();
    for (unsigned spins = 0;; spins++) {
        int owner = 0;
        if (atomic_compare_exchange_weak_explicit(&wh_origin_owner, &owner, me,
                                                  memory_order_acquire, memory_order_relaxed))
            return;
        if ((spins & 63) == 63 && wh_tid_gone(owner))
            atomic_compare_exchange_strong(&wh_origin_owner, &owner, 0);
        wh_nap(spins);
    }
}

WH_RT static void origin_unlock(void) {
    atomic_store_explicit(&wh_origin_owner, 0, memory_order_release);
}

WH_RT WH_ONCE static void origin_put(const struct whence_peer_image *img) {
    origin_lock();
    uint32_t i = 0;
    while (i < wh_norigin && wh_origin[i].mod_start != img->mod_start && wh_origin[i].mod_start)
        i++;
    if (i == wh_norigin) {
        if (wh_norigin == wh_origin_cap) {
            uint32_t cap = 2 * wh_origin_cap;
            struct whence_peer_image *a = wh_map((size_t)cap * sizeof *a);
            if (!a) { /* out of memory: later copies miss this image */
                origin_unlock();
                return;
            }
            memcpy(a, wh_origin, (size_t)wh_norigin * sizeof *a);
            if (wh_origin != wh_origin_fixed)
                wh_unmap(wh_origin, (size_t)wh_origin_cap * sizeof *a);
            wh_origin = a, wh_origin_cap = cap;
        }
        wh_norigin++;
    }
    wh_origin[i] = *img;
    origin_unlock();
}

/* Copy p, met before, is loaded still: its object holds it and its code
 * (another object may have been mapped where an unloaded one was). */
WH_RT static bool peer_alive(const struct whence_peer *p) {
    struct dl_find_object r;
    if (_dl_find_object((void *)p, &r) != 0)
        return false;
    uintptr_t lo = (uintptr_t)r.dlfo_map_start, n = (uintptr_t)r.dlfo_map_end - lo;
    uintptr_t a = (uintptr_t)p - lo;
    return a < n && n - a >= sizeof *p && p->version == WHENCE_PEER_VERSION &&
           p->size >= sizeof *p && (uintptr_t)p->remove - lo < n;
}

/* The other copies this one met (each told its registrations on here, or
 * was told this one's): where its unregistrations go. */
#define WH_KNOWN_MAX 64u
static const struct whence_peer *wh_known[WH_KNOWN_MAX];
static uint32_t wh_nknown;
static bool wh_known_full; /* more met than fit: unregistrations search */

WH_RT static void known_put(const struct whence_peer *p) {
    origin_lock();
    uint32_t i = 0, hole = UINT32_MAX;
    for (; i < wh_nknown && wh_known[i] != p; i++)
        if (!wh_known[i] && hole == UINT32_MAX)
            hole = i; /* a copy found gone: its place is free */
    if (i == wh_nknown) {
        /* full: the place of a copy unloaded since (churn) */
        for (uint32_t k = 0; hole == UINT32_MAX && wh_nknown == WH_KNOWN_MAX && k < wh_nknown; k++)
            if (_dl_find_object && !peer_alive(wh_known[k]))
                hole = k;
        if (hole != UINT32_MAX)
            wh_known[hole] = p;
        else if (wh_nknown < WH_KNOWN_MAX)
            wh_known[wh_nknown++] = p;
        else
            wh_known_full = true;
    }
    origin_unlock();
}

WH_RT static void origin_drop(uintptr_t mod_start) {
    origin_lock();
    for (uint32_t i = 0; i < wh_norigin; i++)
        if (wh_origin[i].mod_start == mod_start)
            wh_origin[i].mod_start = 0;
    origin_unlock();
}

WH_RT WH_ONCE static void peer_hello(const struct whence_peer *from) {
    known_put(from);
}

WH_RT static void peer_each(void (*fn)(void *, const struct whence_peer_image *), void *ctx) {
    /* A copy (not the lock) of each entry: fn registers at the asking
     * copy, which may pass nothing back here (add does not pass on). */
    origin_lock();
    for (uint32_t i = 0; i < wh_norigin; i++) {
        struct whence_peer_image img = wh_origin[i];
        if (!img.mod_start)
            continue;
        origin_unlock();
        fn(ctx, &img);
        origin_lock();
    }
    origin_unlock();
}

/* ---- finding the others ----------------------------------------------------------- */

/* A pointer of the dynamic section: glibc relocates them in place, other
 * loaders (and the vDSO's) may leave them as offsets. */
WH_RT WH_ONCE static uintptr_t dyn_ptr(const struct dl_phdr_info *info, uintptr_t v) {
    return v < info->dlpi_addr ? v + info->dlpi_addr : v;
}

WH_RT WH_ONCE static uint32_t gnu_hash(const char *s) {
    uint32_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

/* The whence_peer an object exports, or NULL: WHENCE_PEER_SYMBOL in its
 * DT_GNU_HASH table (objects with only DT_HASH are not looked at). */
WH_RT WH_ONCE static const struct whence_peer *find_peer(const struct dl_phdr_info *info) {
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
            dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    if (!dyn)
        return NULL;
    uintptr_t gh = 0, symtab = 0, strtab = 0;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        if (dyn->d_tag == DT_GNU_HASH)
            gh = dyn_ptr(info, dyn->d_un.d_ptr);
        else if (dyn->d_tag == DT_SYMTAB)
            symtab = dyn_ptr(info, dyn->d_un.d_ptr);
        else if (dyn->d_tag == DT_STRTAB)
            strtab = dyn_ptr(info, dyn->d_un.d_ptr);
    }
    if (!gh || !symtab || !strtab)
        return NULL;
    const uint32_t *w = (const uint32_t *)gh;
    uint32_t nbucket = w[0], symoff = w[1], nbloom = w[2], shift = w[3];
    if (!nbucket || !nbloom || shift >= 64)
        return NULL;
    const ElfW(Addr) *bloom = (const ElfW(Addr) *)(w + 4);
    const uint32_t *bucket = (const uint32_t *)(bloom + nbloom), *chain = bucket + nbucket;
    const unsigned bits = 8 * sizeof(ElfW(Addr));
    uint32_t h = gnu_hash(WHENCE_PEER_SYMBOL);
    ElfW(Addr) word = bloom[(h / bits) % nbloom];
    ElfW(Addr) mask = (ElfW(Addr))1 << (h % bits) | (ElfW(Addr))1 << ((h >> shift) % bits);
    if ((word & mask) != mask)
        return NULL;
    uint32_t k = bucket[h % nbucket];
    if (k < symoff)
        return NULL;
    for (;; k++) {
        uint32_t h2 = chain[k - symoff];
        const ElfW(Sym) *sym = (const ElfW(Sym) *)symtab + k;
        if ((h | 1) == (h2 | 1) && !strcmp((const char *)strtab + sym->st_name, WHENCE_PEER_SYMBOL)) {
            if (sym->st_shndx == SHN_UNDEF || ELF64_ST_TYPE(sym->st_info) != STT_OBJECT ||
                sym->st_size < 2 * sizeof(uint32_t))
                return NULL;
            return (const struct whence_peer *)(info->dlpi_addr + sym->st_value);
        }
        if (h2 & 1)
            return NULL;
    }
}

/* Said once per process: a copy of another protocol version. */
WH_RT static void say_other(const struct whence_peer *p) {
    if (!wh_once(WH_ONCE_PEER))
        return;
    struct wh_buf w = {.fd = 2};
    wh_buf_str(&w, "whence: another whence runtime in this process (at ");
    wh_buf_hex(&w, (uintptr_t)p);
    wh_buf_str(&w, ") speaks copy protocol ");
    wh_buf_dec(&w, p->version);
    wh_buf_str(&w, ", this one ");
    wh_buf_dec(&w, WHENCE_PEER_VERSION);
    wh_buf_str(&w, ": the frames of the images it holds are not named here\n");
    wh_buf_flush(&w);
}

enum peer_op { PEER_JOIN, PEER_ADD, PEER_REMOVE };

struct peer_walk {
    enum peer_op op;
    const struct whence_peer_image *img;
    uintptr_t mod_start;
    bool replay; /* take the others' images first */
};

WH_RT WH_ONCE static void take_one(void *ctx, const struct whence_peer_image *img) {
    (void)ctx;
    peer_add(img);
}

WH_RT WH_ONCE static int walk_one(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    struct peer_walk *pw = arg;
    const struct whence_peer *p = find_peer(info);
    if (!p || p->add == peer_add) /* none, or this copy (by its code) */
        return 0;
    if (p->version != WHENCE_PEER_VERSION || p->size < offsetof(struct whence_peer, crash_handler)) {
        say_other(p);
        return 0;
    }
    if (pw->op != PEER_REMOVE) {
        known_put(p);
        p->hello(&wh_self);
    }
    if (pw->replay)
        p->each(take_one, NULL);
    if (pw->op == PEER_ADD)
        p->add(pw->img);
    else if (pw->op == PEER_REMOVE)
        p->remove(pw->mod_start);
    return 0;
}

/* ---- the hooks' half ---------------------------------------------------------------- */

static bool wh_peers_joined;

WH_RT WH_ONCE void wh_peers_register(const struct whence_peer_image *img) {
    origin_put(img);
    struct peer_walk pw = {.op = PEER_ADD, .img = img, .replay = !wh_peers_joined};
    wh_peers_joined = true;
    dl_iterate_phdr(walk_one, &pw);
}

/* A copy in an object without records of its own (it only asks) takes the
 * others' images when it is loaded: no registration would make it. */
__attribute__((constructor)) WH_RT WH_ONCE static void peers_join(void) {
    if (wh_peers_joined)
        return;
    wh_peers_joined = true;
    struct peer_walk pw = {.op = PEER_JOIN, .replay = true};
    dl_iterate_phdr(walk_one, &pw);
}

WH_RT WH_ONCE static int is_handler_one(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    const struct whence_peer *p = find_peer(info);
    const void *fn = *(const void **)arg;
    if (!p || p->version != WHENCE_PEER_VERSION)
        return 0;
    size_t have = p->size;
    return (have >= offsetof(struct whence_peer, crash_handler) + sizeof(void *) &&
            p->crash_handler == fn) ||
           (have >= offsetof(struct whence_peer, quit_handler) + sizeof(void *) &&
            p->quit_handler == fn);
}

WH_RT bool wh_peer_handler(const struct sigaction *a) {
    if (!(a->sa_flags & SA_SIGINFO) || !a->sa_sigaction)
        return false;
    const void *fn = (const void *)a->sa_sigaction;
    return fn == (const void *)wh_crash_sigaction || fn == (const void *)wh_quit_sigaction ||
           dl_iterate_phdr(is_handler_one, &fn) != 0;
}

WH_RT void wh_chain_handler(const struct sigaction *p, bool peer, bool reported, int sig,
                            siginfo_t *info, void *ucv) {
    if ((p->sa_flags & SA_SIGINFO) && p->sa_sigaction) {
        siginfo_t marked;
        if (peer && reported && info) {
            marked = *info;
            marked.si_errno = WHENCE_PEER_REPORTED;
            info = &marked;
        }
        wh_call_handler(p, sig, info, ucv);
    } else if (!(p->sa_flags & SA_SIGINFO) && p->sa_handler != SIG_DFL &&
               p->sa_handler != SIG_IGN && p->sa_handler) {
        wh_call_handler(p, sig, info, ucv);
    }
}

WH_RT bool wh_copy_in_shared_object(void) {
#ifdef WH_STATIC_ARCHIVE
    struct dl_find_object r;
    return _dl_find_object && _dl_find_object((void *)&peer_add, &r) == 0 &&
           r.dlfo_link_map != _r_debug.r_map; /* the first link map: the program */
#else
    return false; /* libwhence.so: loaded with the program, unloaded at its exit, where
                     the crash handler serves to the end */
#endif
}

WH_RT void wh_peers_unregister(uintptr_t mod_start) {
    origin_drop(mod_start);
    /* (every copy that holds this one's images met it: none, a process
     * with one copy, which does nothing more here than before) */
    if (!wh_nknown && !wh_known_full)
        return;
    if (!_dl_find_object || wh_known_full) {
        struct peer_walk pw = {.op = PEER_REMOVE, .mod_start = mod_start};
        dl_iterate_phdr(walk_one, &pw);
        return;
    }
    /* (a copy calls no other concurrently: the list is read as it is) */
    for (uint32_t i = 0; i < wh_nknown; i++) {
        const struct whence_peer *p = wh_known[i];
        if (p && peer_alive(p))
            p->remove(mod_start);
        else
            wh_known[i] = NULL; /* gone: not asked again */
    }
}
