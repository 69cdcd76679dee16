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
 *   - this copy's first registration first takes every image the other
 *     copies were given at their own hooks (their each());
 *   - an unregistration is passed on the same way.
 * Copies are found by their exported symbol in each loaded object's
 * DT_GNU_HASH table, inside dl_iterate_phdr's callback: the dynamic
 * linker's lock held there keeps a copy's object mapped while it is
 * called.  The hooks run in module constructors and destructors, under the
 * dynamic linker's own lock, so copies never call each other concurrently;
 * the origin list has a lock of its own all the same (a program may call
 * the hooks itself).  Nothing here runs on a lookup.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <elf.h>
#include <link.h>
#include <stdatomic.h>
#include <string.h>

/* ---- this copy ------------------------------------------------------------------ */

WH_RT WH_ONCE static void peer_add(const struct whence_peer_image *img);
WH_RT static void peer_remove(uintptr_t mod_start);
WH_RT static void peer_each(void (*fn)(void *, const struct whence_peer_image *), void *ctx);

WH_EXPORT const struct whence_peer __whence_peer = {
    .version = WHENCE_PEER_VERSION,
    .size = sizeof(struct whence_peer),
    .add = peer_add,
    .remove = peer_remove,
    .each = peer_each,
};

/* Another copy has been seen, or has asked this one something: only then
 * does an unregistration look for copies (a process with one copy asks
 * nothing more of the dynamic linker at a dlclose or at exit than before,
 * where a fork's child may find its lock held by a thread it does not
 * have). */
static _Atomic bool wh_peers_seen;

WH_RT WH_ONCE static void peer_add(const struct whence_peer_image *img) {
    atomic_store_explicit(&wh_peers_seen, true, memory_order_relaxed);
    wh_register_local(img, true);
}

WH_RT static void peer_remove(uintptr_t mod_start) {
    atomic_store_explicit(&wh_peers_seen, true, memory_order_relaxed);
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

WH_RT static void origin_drop(uintptr_t mod_start) {
    origin_lock();
    for (uint32_t i = 0; i < wh_norigin; i++)
        if (wh_origin[i].mod_start == mod_start)
            wh_origin[i].mod_start = 0;
    origin_unlock();
}

WH_RT static void peer_each(void (*fn)(void *, const struct whence_peer_image *), void *ctx) {
    /* A copy (not the lock) of each entry: fn registers at the asking
     * copy, which may pass nothing back here (add does not pass on). */
    atomic_store_explicit(&wh_peers_seen, true, memory_order_relaxed);
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

enum peer_op { PEER_ADD, PEER_REMOVE };

struct peer_walk {
    enum peer_op op;
    const struct whence_peer_image *img;
    uintptr_t mod_start;
    bool replay; /* take the others' images first */
};

WH_RT WH_ONCE static void take_one(void *ctx, const struct whence_peer_image *img) {
    (void)ctx;
    wh_register_local(img, true);
}

WH_RT WH_ONCE static int walk_one(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    struct peer_walk *pw = arg;
    const struct whence_peer *p = find_peer(info);
    if (!p || p == &__whence_peer)
        return 0;
    if (p->version != WHENCE_PEER_VERSION || p->size < sizeof(struct whence_peer)) {
        say_other(p);
        return 0;
    }
    atomic_store_explicit(&wh_peers_seen, true, memory_order_relaxed);
    if (pw->replay)
        p->each(take_one, NULL);
    if (pw->op == PEER_ADD)
        p->add(pw->img);
    else
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

WH_RT void wh_peers_unregister(uintptr_t mod_start) {
    origin_drop(mod_start);
    if (!atomic_load_explicit(&wh_peers_seen, memory_order_relaxed))
        return;
    struct peer_walk pw = {.op = PEER_REMOVE, .mod_start = mod_start};
    dl_iterate_phdr(walk_one, &pw);
}
