/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * tabcheck.c - the post-link table's check words (whence_abi.h, "checks"),
 * checked where a lookup first reads what they cover.
 *
 * The header's checksum, checked at adoption, vouches for the header
 * alone.  A table damaged past it after whence-link wrote it (a bad disk
 * block, a tool that rewrote the section) would otherwise name another
 * function, or another line, for every pc of the damaged entry: the one
 * thing whence must never do.  Checking the whole table at adoption would
 * read all of it at the first lookup, which the table exists to avoid, so
 * the table carries check words next to what they cover, and each is
 * checked where a lookup takes something from what it covers, on a page
 * the lookup reads anyway:
 *
 *   a bucket   its own bytes and the function entries a lookup in it
 *              reads (the entry found, and the one after a gap): checked
 *              before a pc's range is believed (what pc -> function ->
 *              name reads)
 *   a group    WHENCE_TAB_GROUP ranges' description words and descriptions
 *              (their kinds, long sizes and lines): checked before any is
 *              read; its word is in the data, before the group's first
 *   a chunk    WHENCE_TAB_CHUNK packed subprogs or locs, after its word;
 *              checked whole when its module is remembered, else (a
 *              process's first lookups) where one is read, through
 *              wh_mod_subprog and wh_mod_loc (tabloc.c)
 *   subfn      WHENCE_TAB_CHUNK words, in an array of its own (-g frame
 *              slots only)
 *
 * Once an image has its module array (after its first 64 lookups) a bit
 * there remembers each word that passed, so that a warm lookup pays a bit
 * test.  What fails is not used: wh_tab_find and wh_tab_func answer from
 * the records the table was built from, a pack is read from the module
 * table's arrays.  One message per process.  Async-signal-safe: no
 * allocation, no lock.
 */
#include "lookup.h"
#include "tabfmt.h"

#include <string.h>

/* Said once per process: what failed (where it is in the table, its
 * first and last index), and what is done instead. */
WH_RT static __attribute__((noinline, cold)) void say_damaged(const char *whose, uintptr_t where,
                                                              const char *what, uint32_t first,
                                                              uint32_t count, const char *instead) {
    if (!wh_once(WH_ONCE_BADCHECK))
        return;
    struct wh_buf w = {.fd = 2};
    wh_buf_str(&w, "whence: ");
    wh_buf_str(&w, whose);
    wh_buf_str(&w, " at ");
    wh_buf_hex(&w, where);
    wh_buf_str(&w, ": ");
    wh_buf_str(&w, what);
    wh_buf_str(&w, " ");
    wh_buf_dec(&w, first);
    if (count > 1) {
        wh_buf_str(&w, "..");
        wh_buf_dec(&w, (uint64_t)first + count - 1);
    }
    wh_buf_str(&w, count > 1 ? " fail their check" : " fails its check");
    wh_buf_str(&w, " (the lookup table was changed after whence-link wrote it;"
                   " whence-link --check tells more): ");
    wh_buf_str(&w, instead);
    wh_buf_str(&w, "\n");
    wh_buf_flush(&w);
}

WH_RT static void remember(struct wh_slot *s, uint32_t b) {
    _Atomic uint64_t *ok = atomic_load_explicit(&s->tab_ok, memory_order_acquire);
    if (ok)
        atomic_fetch_or_explicit(&ok[b >> 6], UINT64_C(1) << (b & 63), memory_order_relaxed);
}

/* The bits of slot s's module array: its buckets', then its groups', then
 * subfn's chunks'. */
WH_RT static uint32_t group_bit(const struct wh_tab *t, uint32_t g) {
    return t->nbucket + g;
}

WH_RT bool wh_tab_bucket_ok_slow(struct wh_slot *s, uint32_t b) {
    const struct wh_tab *t = &s->tab;
    uint32_t x, lo, hi, held;
    if (b >= t->nbucket)
        return false;
    if (wh_tab_passed(s, b))
        return true;
    memcpy(&held,
           (const void *)(t->bucket + (uintptr_t)b * sizeof(struct whence_tab_bucket) +
                          offsetof(struct whence_tab_bucket, check)),
           4);
    if (!wh_tab_bucket_check((const unsigned char *)t->bucket, t->nbucket,
                             (const unsigned char *)t->func, t->nfunc, b, &x, &lo, &hi) ||
        x != held) {
        say_damaged("lookup table", t->base, "its bucket and function entries for code bytes",
                    b << WHENCE_TAB_BUCKET_SHIFT, 1u << WHENCE_TAB_BUCKET_SHIFT,
                    "their pcs are answered from the records");
        return false;
    }
    remember(s, b);
    return true;
}

WH_RT bool wh_tab_entry_ok(struct wh_slot *s, uint32_t i) {
    const struct wh_tab *t = &s->tab;
    if (i >= t->nfunc)
        return false;
    /* its bucket's (its start read before it is vouched for: a wrong one
     * names a bucket whose entries do not include it, or fails there) */
    struct whence_tab_func f;
    memcpy(&f, (const void *)(t->func + (uintptr_t)i * sizeof f), sizeof f);
    uint32_t b = f.start >> WHENCE_TAB_BUCKET_SHIFT, lo, hi, next;
    return b < t->nbucket && wh_tab_bucket_ok(s, b) &&
           wh_tab_bucket_span((const unsigned char *)t->bucket, t->nbucket, t->nfunc, b, &lo, &hi,
                              &next) &&
           lo <= i && i <= hi;
}

WH_RT bool wh_tab_group_ok_slow(struct wh_slot *s, uint32_t i) {
    const struct wh_tab *t = &s->tab;
    uint32_t g = i / WHENCE_TAB_GROUP, x, at, held;
    if (i >= t->nfunc)
        return false;
    if (wh_tab_passed(s, group_bit(t, g)))
        return true;
    if (!wh_tab_group_check((const unsigned char *)t->desc, (const unsigned char *)t->data,
                            t->data_size, t->nfunc, g, &x, &at) ||
        (memcpy(&held, (const void *)(t->data + at), 4), x != held)) {
        uint32_t first = g * WHENCE_TAB_GROUP, left = t->nfunc - first;
        say_damaged("lookup table", t->base, "its function descriptions", first,
                    left < WHENCE_TAB_GROUP ? left : WHENCE_TAB_GROUP,
                    "their pcs are answered from the records");
        return false;
    }
    remember(s, group_bit(t, g));
    return true;
}

WH_RT bool wh_tab_subfn_ok(struct wh_slot *s, uint32_t j) {
    const struct wh_tab *t = &s->tab;
    if (j >= t->nsubfn)
        return false;
    uint32_t c = j / WHENCE_TAB_CHUNK, b = group_bit(t, wh_tab_ngroup(t->nfunc)) + c, held;
    if (wh_tab_passed(s, b))
        return true;
    memcpy(&held, (const void *)(t->check + (uintptr_t)c * 4), 4);
    if (wh_tab_subfn_check((const unsigned char *)t->subfn, t->nsubfn, c) != held) {
        say_damaged("lookup table", t->base, "its subprog function words", c * WHENCE_TAB_CHUNK,
                    WHENCE_TAB_CHUNK, "their frame slots are answered unknown");
        return false;
    }
    remember(s, b);
    return true;
}

WH_RT void wh_tab_say_mod(const struct wh_tab *t, uint32_t k) {
    say_damaged("lookup table", t->base, "its module entry", k, 1,
                "its functions are answered from the records");
}

/* ---- packs ------------------------------------------------------------------------ */

/* Whether chunk c of m's packed subprogs (locs) at pack passes its check. */
WH_RT static bool chunk_ok(const struct wh_mod *m, uintptr_t pack, bool locs, uint32_t c) {
    const unsigned char *p = (const unsigned char *)pack;
    uint32_t held, x;
    /* (the chunk that passed last in its image: a first lookup reads the
     * same subprog for its function and then for its name) */
    uintptr_t at = pack + (locs ? m->pk_locs + c * wh_pk_chunk_bytes(WHENCE_TAB_CHUNK, m->pk_lbits)
                                : c * wh_pk_chunk_bytes(WHENCE_TAB_CHUNK, m->pk_sbits));
    if (m->pk_memo && atomic_load_explicit(m->pk_memo, memory_order_relaxed) == at)
        return true;
    if (locs)
        x = wh_pk_chunk_check(WH_CHK_LOCS, p + m->pk_locs, m->nloc, m->pk_lbits, c, &held);
    else
        x = wh_pk_chunk_check(WH_CHK_SUBPROGS, p, m->nsubprog, m->pk_sbits, c, &held);
    if (x != held)
        return false;
    if (m->pk_memo)
        atomic_store_explicit(m->pk_memo, at, memory_order_relaxed);
    return true;
}

WH_RT bool wh_pack_whole_ok(const struct wh_mod *m, uintptr_t pack) {
    for (uint32_t c = 0; c < wh_tab_nchunk(m->nsubprog); c++)
        if (!chunk_ok(m, pack, false, c))
            return false;
    for (uint32_t c = 0; c < wh_tab_nchunk(m->nloc); c++)
        if (!chunk_ok(m, pack, true, c))
            return false;
    return true;
}

/* m as it reads with its pack checked (the pack's decoders read m->pack). */
WH_RT static void as_checked(const struct wh_mod *m, struct wh_mod *c) {
    *c = *m;
    c->pack = m->pk_lazy;
    c->pk_lazy = 0;
}

WH_RT static __attribute__((noinline, cold)) void say_pack(const struct wh_mod *m, bool locs,
                                                          uint32_t i) {
    uint32_t first = i / WHENCE_TAB_CHUNK * WHENCE_TAB_CHUNK, n = locs ? m->nloc : m->nsubprog;
    say_damaged("module table", m->base, locs ? "its packed locs" : "its packed subprogs", first,
                n - first < WHENCE_TAB_CHUNK ? n - first : WHENCE_TAB_CHUNK,
                "they are read from the module table");
}

WH_RT const struct whence_subprog *wh_lazy_subprog(const struct wh_mod *m, uint32_t s,
                                                   struct whence_subprog *buf) {
    if (s >= m->nsubprog)
        return NULL;
    if (chunk_ok(m, m->pk_lazy, false, s / WHENCE_TAB_CHUNK)) {
        struct wh_mod c;
        as_checked(m, &c);
        return wh_pack_subprog(&c, s, buf);
    }
    say_pack(m, false, s);
    return (const struct whence_subprog *)(m->base + m->subprog_off) + s;
}

WH_RT const struct whence_loc *wh_lazy_loc(const struct wh_mod *m, uint32_t l,
                                           struct whence_loc *buf) {
    if (l >= m->nloc)
        return NULL;
    if (chunk_ok(m, m->pk_lazy, true, l / WHENCE_TAB_CHUNK)) {
        struct wh_mod c;
        as_checked(m, &c);
        const struct whence_loc *lc = wh_pack_loc(&c, l, buf);
        /* (its line is read from its subprog's first line) */
        uint32_t sub = WHENCE_LOC_SUBPROG(lc);
        if (!lc->line || sub >= m->nsubprog || chunk_ok(m, m->pk_lazy, false, sub / WHENCE_TAB_CHUNK))
            return lc;
        say_pack(m, false, sub);
    } else {
        say_pack(m, true, l);
    }
    if (m->flags & WHENCE_MOD_LOC8)
        return wh_loc8_get((const struct whence_loc8 *)(m->base + m->loc_off) + l, buf);
    return (const struct whence_loc *)(m->base + m->loc_off) + l;
}
