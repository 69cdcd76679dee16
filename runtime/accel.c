/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * accel.c - an image's buckets, built after WH_RAW_LOOKUPS lookups of it
 * (or at once when its records need them): what makes every later lookup
 * O(1) without copying a record.
 *
 *   modules   every table validated completely (parse.c), sorted by key;
 *             the same key twice is one table only if the tables are
 *             byte-identical and carry no frame slots, else a collision
 *             that is said
 *   functions the linked records in place when they are in address order
 *             and do not overlap (always so far), else a permutation of the
 *             good ones (zero padding, bad sizes and overlaps dropped); the
 *             fences (ranges of bodies that are not instrumented) stay
 *             among them as ranges, whatever their key: a lookup that lands
 *             in one finds no function
 *   fragments code the backend split off functions after the pass ran
 *             (fragments.c, from .eh_frame), sorted, each naming its
 *             function's record; the buckets' span covers them
 *   sites     likewise; a site that names another function's position stays
 *             (its lookups answer "line unknown" instead of lending the
 *             previous call's line)
 *   buckets   Go's findfunctab: per 4 KiB of text the function holding its
 *             first byte (and per 1 KiB the first site at or after it), and a
 *             delta to each per 64 bytes (functions) and 128 bytes (sites),
 *             in four flat arrays; none names a record past the third function or
 *             the fourth site from the end, so that the warm lookups count
 *             the next two or four without a bound check (lookup.h)
 *   subfn     subprog -> function, for the modules built with frame slots
 *             (a slot names its call by the address of a loc)
 *   lines     the opt-in line records, as (pc offset, loc) pairs in order
 *
 * One mmap block, never changed once published.  It holds no copy of a
 * record: 116 bytes per 4 KiB of text (about 1 byte per function of usual
 * sizes), plus 4 per function of frame-slot modules, 16 per fragment and 8
 * per file a module names (its name, resolved once for the warm paths).
 * Dropped records are counted and reported in one line per image.
 */
#include "lookup.h"
#include "sort.h"

#include <string.h>

struct drops {
    uint32_t key, subprog, size, nocode, overlap, folded, outside, loc;
};

WH_RT static void report_drops(uintptr_t ms, const struct drops *d, uint32_t nf, uint32_t ns,
                               bool bolted) {
    uint32_t fn = d->key + d->subprog + d->size + d->nocode + d->overlap + d->folded;
    uint32_t site = d->outside + d->loc;
    if (!fn && !site)
        return;
    struct wh_buf w = {.fd = 2};
    wh_buf_str(&w, "whence: image at ");
    wh_buf_hex(&w, ms);
    wh_buf_str(&w, ": dropped ");
    if (fn) {
        wh_buf_dec(&w, fn);
        wh_buf_str(&w, " of ");
        wh_buf_dec(&w, nf);
        wh_buf_str(&w, " function records (");
        const char *sep = "";
        if (d->key) {
            wh_buf_dec(&w, d->key);
            wh_buf_str(&w, " with an unknown module key");
            sep = ", ";
        }
        if (d->subprog) {
            wh_buf_str(&w, sep);
            wh_buf_dec(&w, d->subprog);
            wh_buf_str(&w, " with a bad subprog");
            sep = ", ";
        }
        if (d->size) {
            wh_buf_str(&w, sep);
            wh_buf_dec(&w, d->size);
            wh_buf_str(&w, " with a bad size");
            sep = ", ";
        }
        if (d->nocode) {
            wh_buf_str(&w, sep);
            wh_buf_dec(&w, d->nocode);
            wh_buf_str(&w, " outside the image's code");
            sep = ", ";
        }
        if (d->overlap) {
            wh_buf_str(&w, sep);
            wh_buf_dec(&w, d->overlap);
            wh_buf_str(&w, " overlapping another");
            sep = ", ";
        }
        if (d->folded) {
            wh_buf_str(&w, sep);
            wh_buf_dec(&w, d->folded);
            wh_buf_str(&w, " of functions folded into one by the linker (identical code folding)");
        }
        wh_buf_str(&w, ")");
    }
    if (site) {
        wh_buf_str(&w, fn ? " and " : "");
        wh_buf_dec(&w, site);
        wh_buf_str(&w, " of ");
        wh_buf_dec(&w, ns);
        wh_buf_str(&w, " site records (");
        if (d->outside) {
            wh_buf_dec(&w, d->outside);
            wh_buf_str(&w, " outside any function");
        }
        if (d->loc) {
            wh_buf_str(&w, d->outside ? ", " : "");
            wh_buf_dec(&w, d->loc);
            wh_buf_str(&w, " with a bad loc");
        }
        wh_buf_str(&w, ")");
        /* (the sites of cold parts machine function splitting made, found
         * by the FDEs' order that BOLT rewrote: moved.c) */
        if (d->outside && bolted)
            wh_buf_str(&w, "; BOLT rewrote the image after the link: the split-off parts of "
                           "functions that hold them are no longer found, and their frames "
                           "are given as unknown");
    }
    wh_buf_str(&w, "\n");
    wh_buf_flush(&w);
}

/* ---- sorting (only for records out of order) -------------------------------------- */

struct kv {
    uintptr_t key;
    uint32_t idx;
};
#define KV_LESS(a, b) ((a)->key < (b)->key || ((a)->key == (b)->key && (a)->idx < (b)->idx))
WH_DEFINE_SORT(sort_kv, struct kv, KV_LESS)
#define MOD_LESS(a, b) ((a)->key < (b)->key || ((a)->key == (b)->key && (a)->base < (b)->base))
WH_DEFINE_SORT(sort_mods, struct wh_mod, MOD_LESS)
#define U64_LESS(a, b) (*(a) < *(b))
WH_DEFINE_SORT(sort_u64, uint64_t, U64_LESS)

WH_RT static size_t align8(size_t n) {
    return (n + 7) & ~(size_t)7;
}

/* Temporaries: mmap'ed, unmapped at the end (the build may run in a signal
 * handler: no malloc). */
struct temps {
    void *p[10];
    size_t n[10];
};

WH_RT static void *temp(struct temps *t, int i, size_t size) {
    t->n[i] = size ? size : 1;
    t->p[i] = wh_map(t->n[i]);
    return t->p[i];
}

WH_RT const struct wh_accel *wh_accel_build(struct wh_slot *s) {
    uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_acquire);
    uintptr_t me = s->mod_stop;
    uint32_t nfrec = s->nfn, nsrec = s->nsite;
    size_t nline = s->line_start ? (s->line_stop - s->line_start) / 4 : 0;
    struct temps t = {{0}, {0}};
    const struct wh_accel *result = NULL;
    struct drops d = {0};
    struct wh_frag *fv = NULL; /* fragments (fragments.c's mmap) */
    size_t fv_size = 0;
    uint32_t nfrag = 0;

    /* ---- modules ------------------------------------------------------------ */
    size_t modcap = (me - ms) / sizeof(struct whence_mod_header) + 1;
    struct wh_mod *mk = temp(&t, 0, modcap * sizeof *mk);
    struct wh_mod *mkt = temp(&t, 1, modcap * sizeof *mk);
    struct kv *fk = temp(&t, 2, (size_t)nfrec * sizeof *fk);
    struct kv *fkt = temp(&t, 3, (size_t)nfrec * sizeof *fk);
    struct kv *sk = temp(&t, 4, (size_t)nsrec * sizeof *sk);
    struct kv *skt = temp(&t, 5, (size_t)nsrec * sizeof *sk);
    uint64_t *ln = temp(&t, 6, nline * sizeof *ln);
    uint64_t *lnt = temp(&t, 7, nline * sizeof *ln);
    struct kv *lk = temp(&t, 9, (size_t)nfrec * sizeof *lk); /* lost functions (below) */
    if (!mk || !mkt || !fk || !fkt || !sk || !skt || !ln || !lnt || !lk) {
        wh_say_no_buckets(ms);
        goto out;
    }
    uint32_t ignored = 0;
    bool collided = false;
    uint32_t nm = wh_parse_mods(ms, me, mk, (uint32_t)modcap, &ignored);
    sort_mods(mk, mkt, nm);
    uint32_t k = 0;
    for (uint32_t i = 0; i < nm; i++) {
        if (k && mk[i].key == mk[k - 1].key) {
            /* The same table twice (one source compiled into two objects
             * that differ only in flat site positions): either answers for
             * both.  Not with slots: a slot's call is handed on as the
             * address of a loc in one copy, and a loc address must name one
             * function.
             * Anything else is a collision and is said. */
            const struct whence_mod_header *a = (const struct whence_mod_header *)mk[i].base;
            const struct whence_mod_header *b = (const struct whence_mod_header *)mk[k - 1].base;
            bool same = a->total_size == b->total_size && !memcmp(a, b, a->total_size);
            if (!(a->flags & WHENCE_MOD_SLOTS) && same)
                continue;
            struct wh_buf w = {.fd = 2};
            if (same) { /* (its slots name the same functions and lines) */
                wh_buf_str(&w, "whence: note: module '");
                wh_buf_str(&w, wh_mod_str(&mk[i], mk[i].name));
                wh_buf_str(&w, "' at ");
                wh_buf_hex(&w, mk[i].base);
                wh_buf_str(&w, ": its records are those of '");
                wh_buf_str(&w, wh_mod_str(&mk[k - 1], mk[k - 1].name));
                wh_buf_str(&w, "' (one source compiled twice into the program, with the same "
                               "functions and lines), which answer for both\n");
            } else {
                wh_buf_str(&w, "whence: ignoring module '");
                wh_buf_str(&w, wh_mod_str(&mk[i], mk[i].name));
                wh_buf_str(&w, "' at ");
                wh_buf_hex(&w, mk[i].base);
                wh_buf_str(&w, ": its module key is already taken by '");
                wh_buf_str(&w, wh_mod_str(&mk[k - 1], mk[k - 1].name));
                wh_buf_str(&w, "'\n");
            }
            wh_buf_flush(&w);
            collided = true;
            continue;
        }
        mk[k++] = mk[i];
    }
    nm = k;

    /* ---- functions ---------------------------------------------------------- */
    uint32_t nf = 0, nlost = 0;
    bool in_order = true;
    uintptr_t prev_end = 0;
    uintptr_t code_lo = atomic_load_explicit(&s->lo, memory_order_relaxed);
    uintptr_t code_hi = atomic_load_explicit(&s->hi, memory_order_relaxed);
    for (uint32_t i = 0; i < nfrec; i++) {
        const wh_fn *r = (const wh_fn *)(s->fn_start + (uintptr_t)i * WHENCE_FN_RECORD_SIZE);
        uint64_t keysub = wh_rec_keysub(r);
        uintptr_t e = wh_rec_entry(r);
        uint32_t size = wh_rec_size(r);
        if (!keysub && !size && e == (uintptr_t)r) {
            in_order = false; /* zero padding */
            continue;
        }
        bool fence = (keysub & WHENCE_FN_SUB_MAX) == WHENCE_FN_FENCE; /* names nothing */
        const struct wh_mod *m = fence ? NULL : wh_mods_find(mk, nm, keysub >> WHENCE_FN_SUB_BITS);
        bool sized = size != 0 && size <= WH_MAX_FN_SIZE && e + size >= e;
        bool in_code = sized && e >= code_lo && e <= code_hi && size <= code_hi - e;
        if ((!m && !fence) || (m && (keysub & WHENCE_FN_SUB_MAX) >= m->nsubprog)) {
            if (!m)
                d.key++;
            else
                d.subprog++;
            in_order = false;
            if (in_code) /* instrumented code all the same: lost */
                lk[nlost++] = (struct kv){e, size};
            continue;
        }
        if (!sized) {
            d.size++;
            in_order = false;
            continue;
        }
        if (!in_code) {
            d.nocode++; /* its bytes may be unmapped: never read them */
            in_order = false;
            continue;
        }
        if (nf && e < prev_end)
            in_order = false;
        prev_end = e + size;
        fk[nf].key = e;
        fk[nf].idx = i;
        nf++;
    }
    bool fn_dropped = ignored || d.key || d.subprog || d.size || d.nocode;
    if (ignored)
        d.key = 0; /* explained by the bad table's own message */
    if (!in_order) {
        sort_kv(fk, fkt, nf);
        k = 0;
        uintptr_t fold_at = 0, fold_size = 0; /* the last code found folded */
        for (uint32_t i = 0; i < nf; i++) {
            const wh_fn *r = (const wh_fn *)(s->fn_start + (uintptr_t)fk[i].idx * WHENCE_FN_RECORD_SIZE);
            if (fold_size && fk[i].key == fold_at && wh_rec_size(r) == fold_size) {
                d.folded++; /* a third function folded into the same code */
                continue;
            }
            if (k) {
                const wh_fn *p = (const wh_fn *)(s->fn_start +
                                                 (uintptr_t)fk[k - 1].idx * WHENCE_FN_RECORD_SIZE);
                uintptr_t pend = fk[k - 1].key + wh_rec_size(p);
                if (fk[i].key < pend) {
                    /* An exact duplicate (one function, two records) is
                     * harmless. */
                    if (wh_rec_same(r, p))
                        continue;
                    /* Anything else overlapping: one of the two records is
                     * wrong, and a wrong one must name no pc.  A record
                     * over several others grew (its size is damaged): it
                     * goes, and r is looked at again.  Over just one,
                     * either may be the damaged one: both go. */
                    /* Two functions at one address with one size: the
                     * linker folded identical code (gold's --icf keeps
                     * both records); neither names it for sure. */
                    if (fk[i].key == fk[k - 1].key && wh_rec_size(r) == wh_rec_size(p)) {
                        k--;
                        d.folded += 2;
                        lk[nlost++] = (struct kv){fk[i].key, wh_rec_size(r) | WH_LOST_FOLDED};
                        fold_at = fk[i].key;
                        fold_size = wh_rec_size(r);
                        continue;
                    }
                    uint32_t covered = 0;
                    for (uint32_t j = i; j < nf && fk[j].key < pend && covered < 2; j++)
                        covered++;
                    k--;
                    d.overlap++;
                    if (covered == 1) {
                        d.overlap++;
                        continue;
                    }
                    i--;
                    continue;
                }
            }
            fk[k++] = fk[i];
        }
        nf = k;
    }
    /* Functions whose records name no table of the image (their module's
     * table lost by the link, or damaged) and functions folded into one:
     * instrumented code, whose frames a walk must not skip uncounted as
     * foreign ones (moved.c lost_at).  (idx holds the size, and
     * WH_LOST_FOLDED.) */
    sort_kv(lk, fkt, nlost);
    uintptr_t lo = nf ? fk[0].key : 0;
    while (nf) {
        const wh_fn *r = (const wh_fn *)(s->fn_start + (uintptr_t)fk[nf - 1].idx * WHENCE_FN_RECORD_SIZE);
        if (fk[nf - 1].key + wh_rec_size(r) - lo <= WH_MAX_SPAN)
            break;
        nf--;
        d.size++;
        in_order = false;
    }
    uint32_t span = 0;
    if (nf) {
        const wh_fn *r = (const wh_fn *)(s->fn_start + (uintptr_t)fk[nf - 1].idx * WHENCE_FN_RECORD_SIZE);
        span = (uint32_t)(fk[nf - 1].key + wh_rec_size(r) - lo);
    }

    /* ---- fragments (only functions of modules with fences own any) ----------- */
    /* Code between a function and the next record is split-off code of that
     * function only if every body has a record or a fence: a dropped record
     * leaves its body looking like the previous function's fragment. */
    bool fenced = false;
    for (uint32_t i = 0; i < nm; i++)
        fenced |= (mk[i].flags & WHENCE_MOD_FENCED) != 0;
    if (nf && fenced && !fn_dropped && !d.overlap && !d.folded &&
        atomic_load_explicit(&s->frags, memory_order_relaxed) != WH_FRAGS_NONE) {
        struct wh_span *sp = temp(&t, 8, (size_t)nf * sizeof *sp);
        if (!sp) {
            wh_say_no_buckets(ms);
            goto out;
        }
        for (uint32_t i = 0; i < nf; i++) {
            const wh_fn *r = (const wh_fn *)(s->fn_start + (uintptr_t)fk[i].idx * WHENCE_FN_RECORD_SIZE);
            const struct wh_mod *m = wh_rec_fence(r) ? NULL
                                     : wh_mods_find(mk, nm, wh_rec_keysub(r) >> WHENCE_FN_SUB_BITS);
            sp[i] = (struct wh_span){fk[i].key, wh_rec_size(r),
                                     m && (m->flags & WHENCE_MOD_FENCED) ? i : UINT32_MAX};
        }
        nfrag = wh_frags_find(sp, nf, s->eh, &fv, &fv_size);
        if (nfrag) {
            /* The buckets cover them too (they may lie below or above all
             * records: .text.split., .text.unlikely.); beyond the largest
             * span they are left out. */
            uintptr_t flo = fv[0].start < lo ? fv[0].start : lo;
            uintptr_t fhi = fv[nfrag - 1].start + WH_FRAG_SIZE(&fv[nfrag - 1]);
            if (fhi < lo + span)
                fhi = lo + span;
            if (fhi - flo <= WH_MAX_SPAN) {
                lo = flo;
                span = (uint32_t)(fhi - flo);
            } else {
                nfrag = 0;
            }
        }
    }

    /* ---- sites ---------------------------------------------------------------- */
    uint32_t ns = 0;
    bool sites_in_order = true;
    uintptr_t prev = 0;
    for (uint32_t j = 0; j < nsrec; j++) {
        uintptr_t r = s->site_start + (uintptr_t)j * WH_SITE_SIZE;
        uintptr_t pc = wh_site_pc(r);
        if (pc == r && !wh_site_word(r)) {
            sites_in_order = false; /* zero padding */
            continue;
        }
        if (pc - lo >= span) {
            d.outside++;
            sites_in_order = false;
            continue;
        }
        if (pc < prev)
            sites_in_order = false;
        prev = pc;
        sk[ns].key = pc;
        sk[ns].idx = j;
        ns++;
    }
    if (!sites_in_order)
        sort_kv(sk, skt, ns);
    /* Labels in no function nor fragment (a lookup never reaches them: it
     * only takes labels from its code's start on) are counted, not
     * removed.  A fence is no function. */
    for (uint32_t j = 0, fi = 0, gi = 0; j < ns; j++) {
        const wh_fn *r = NULL;
        while (fi < nf) {
            r = (const wh_fn *)(s->fn_start + (uintptr_t)fk[fi].idx * WHENCE_FN_RECORD_SIZE);
            if (fk[fi].key + wh_rec_size(r) > sk[j].key)
                break;
            fi++;
        }
        while (gi < nfrag && fv[gi].start + WH_FRAG_SIZE(&fv[gi]) <= sk[j].key)
            gi++;
        bool in_fn = fi < nf && fk[fi].key <= sk[j].key && !wh_rec_fence(r);
        if (!in_fn && !(gi < nfrag && fv[gi].start <= sk[j].key))
            d.outside++;
    }
    if (fn_dropped || d.overlap || d.folded)
        d.outside = 0; /* sites of dropped functions: explained already */

    /* ---- line records (opt-in): pc words, then the loc word of their group */
    uint32_t nl = 0;
    for (size_t wi = 0; wi < nline;) {
        size_t j = wi;
        uint32_t w = 0;
        while (j < nline) {
            memcpy(&w, (const unsigned char *)s->line_start + j * 4, 4);
            if ((w & WHENCE_LINE_TAG_MASK) == WHENCE_LINE_LOC_TAG)
                break;
            j++;
        }
        if (j == nline) { /* pcs without a loc: a truncated stream */
            d.loc += (uint32_t)(j - wi);
            break;
        }
        uint32_t loc = w & ~WHENCE_LINE_TAG_MASK;
        for (; wi < j; wi++) {
            uintptr_t p = s->line_start + wi * 4;
            int32_t rel;
            memcpy(&rel, (const void *)p, 4);
            uintptr_t pc = p + (uintptr_t)(intptr_t)rel;
            if (!rel)
                continue;
            /* The function holding pc, and the loc must be one of its own
             * (a record the runtime would ignore anyway, said here). */
            uint32_t lo_i = 0, hi_i = nf;
            while (lo_i < hi_i) {
                uint32_t mid = lo_i + (hi_i - lo_i) / 2;
                if (fk[mid].key <= pc)
                    lo_i = mid + 1;
                else
                    hi_i = mid;
            }
            const wh_fn *r = lo_i ? (const wh_fn *)(s->fn_start + (uintptr_t)fk[lo_i - 1].idx *
                                                                     WHENCE_FN_RECORD_SIZE)
                                  : NULL;
            if (!r || pc - fk[lo_i - 1].key >= wh_rec_size(r) || wh_rec_fence(r)) {
                const struct wh_frag *g = wh_frag_at(fv, nfrag, pc); /* its function's */
                r = g ? (const wh_fn *)(s->fn_start +
                                        (uintptr_t)fk[g->fn].idx * WHENCE_FN_RECORD_SIZE)
                      : NULL;
            }
            if (!r || wh_rec_fence(r) || pc - lo >= span) {
                d.outside++;
                continue;
            }
            uint64_t keysub = wh_rec_keysub(r);
            const struct wh_mod *m = wh_mods_find(mk, nm, keysub >> WHENCE_FN_SUB_BITS);
            const struct whence_loc *root = m && loc < m->nloc ? wh_mod_loc(m, wh_loc_root(m, loc), WH_LOC_BUF) : NULL;
            if (!root || WHENCE_LOC_SUBPROG(root) != (keysub & WHENCE_FN_SUB_MAX)) {
                d.loc++;
                continue;
            }
            ln[nl++] = (uint64_t)(pc - lo) << 32 | loc;
        }
        wi = j + 1;
    }
    sort_u64(ln, lnt, nl);

    /* ---- the block ---------------------------------------------------------------- */
    uint32_t nb = (uint32_t)(((uint64_t)span + (1u << WH_BUCKET_SHIFT) - 1) >> WH_BUCKET_SHIFT);
    size_t nsubfn = 0;
    for (uint32_t i = 0; i < nm; i++)
        if (mk[i].flags & WHENCE_MOD_SLOTS)
            nsubfn += mk[i].nsubprog;
    size_t off_mods = align8(sizeof(struct wh_accel));
    size_t off_mbb = align8(off_mods + (size_t)nm * sizeof(struct wh_mod));
    size_t off_fperm = align8(off_mbb + (size_t)nm * sizeof(uint32_t));
    size_t off_sperm = align8(off_fperm + (in_order ? 0 : (size_t)nf * sizeof(uint32_t)));
    size_t off_subfn = align8(off_sperm + (sites_in_order ? 0 : (size_t)ns * sizeof(uint32_t)));
    size_t off_buckets = align8(off_subfn + nsubfn * sizeof(uint32_t));
    size_t off_bsite = off_buckets + (size_t)nb * sizeof(uint32_t);
    size_t off_sd = off_bsite + (size_t)nb * WH_NSBASE * sizeof(uint32_t);
    size_t off_fd = off_sd + (size_t)nb * WH_NSUB;
    size_t off_lines = align8(off_fd + (size_t)nb * WH_NFSUB);
    size_t off_frags = align8(off_lines + (size_t)nl * sizeof(uint64_t));
    size_t nfname = 0;
    for (uint32_t i = 0; i < nm; i++)
        nfname += (size_t)mk[i].nfile + 1;
    size_t off_fnames = align8(off_frags + (size_t)nfrag * sizeof(struct wh_frag));
    size_t off_lost = align8(off_fnames + nfname * sizeof(const char *));
    size_t total = off_lost + (size_t)nlost * sizeof(struct wh_span);
    char *blk = wh_map(total);
    if (!blk) {
        wh_say_no_buckets(ms);
        goto out;
    }
    struct wh_accel *ax = (struct wh_accel *)blk;
    struct wh_mod *mods = (struct wh_mod *)(blk + off_mods);
    uint32_t *mbb = (uint32_t *)(blk + off_mbb);
    uint32_t *fperm = in_order ? NULL : (uint32_t *)(blk + off_fperm);
    uint32_t *sperm = sites_in_order ? NULL : (uint32_t *)(blk + off_sperm);
    uint32_t *subfn = (uint32_t *)(blk + off_subfn);
    uint32_t *bfn = (uint32_t *)(blk + off_buckets), *bsite = (uint32_t *)(blk + off_bsite);
    uint8_t *sd = (uint8_t *)(blk + off_sd);
    uint8_t *fd = (uint8_t *)(blk + off_fd);
    uint64_t *lines = (uint64_t *)(blk + off_lines);
    struct wh_frag *frags = (struct wh_frag *)(blk + off_frags);
    const char **fnames = (const char **)(blk + off_fnames);
    struct wh_span *lost = (struct wh_span *)(blk + off_lost);
    for (uint32_t i = 0; i < nlost; i++)
        lost[i] = (struct wh_span){lk[i].key, lk[i].idx & ~WH_LOST_FOLDED,
                                   lk[i].idx & WH_LOST_FOLDED};
    if (nfrag)
        memcpy(frags, fv, (size_t)nfrag * sizeof *frags);
    uint32_t nsf = 0;
    for (uint32_t i = 0; i < nm; i++) {
        mods[i] = mk[i];
        mods[i].sps = (const struct whence_subprog *)(mods[i].base + mods[i].subprog_off);
        mods[i].strs = (const char *)(mods[i].base + mods[i].str_off);
        mods[i].fnames = fnames;
        const uint32_t *files = (const uint32_t *)(mods[i].base + mods[i].file_off);
        *fnames++ = wh_unknown;
        for (uint32_t f = 0; f < mods[i].nfile; f++)
            *fnames++ = wh_or_unknown(mods[i].strs + files[f]); /* (in the pool: parse.c) */
        /* (a key of more bits than a record's names no record: such a
         * module matches none) */
        bool key_ok = mods[i].key >> (64 - WHENCE_FN_SUB_BITS) == 0;
        mods[i].keybase = mods[i].key << WHENCE_FN_SUB_BITS;
        mods[i].name_nsub = !key_ok                              ? 0
                            : mods[i].nsubprog < WHENCE_FN_FENCE ? mods[i].nsubprog
                                                                 : WHENCE_FN_FENCE;
        if (mods[i].flags & WHENCE_MOD_SLOTS) {
            mods[i].subfn = nsf;
            nsf += mods[i].nsubprog;
            mods[i].line_nsub = 0;
        } else {
            mods[i].subfn = UINT32_MAX;
            /* (site words that are loc addresses: wh_img_site reads them) */
            mods[i].line_nsub = mods[i].flags & WHENCE_MOD_PRELINK ? 0 : mods[i].name_nsub;
        }
        /* insertion by table address: module counts are small, and the
         * linker mostly lays tables out in order already */
        uint32_t j = i;
        while (j > 0 && mods[mbb[j - 1]].base > mods[i].base) {
            mbb[j] = mbb[j - 1];
            j--;
        }
        mbb[j] = i;
    }
    memset(subfn, 0xff, nsubfn * sizeof(uint32_t));
    for (uint32_t i = 0; i < nf; i++) {
        if (fperm)
            fperm[i] = fk[i].idx;
        const wh_fn *r = (const wh_fn *)(s->fn_start + (uintptr_t)fk[i].idx * WHENCE_FN_RECORD_SIZE);
        uint64_t keysub = wh_rec_keysub(r);
        const struct wh_mod *m = wh_mods_find(mods, nm, keysub >> WHENCE_FN_SUB_BITS);
        if (m && m->subfn != UINT32_MAX && (keysub & WHENCE_FN_SUB_MAX) < m->nsubprog) /* no fence */
            subfn[m->subfn + (keysub & WHENCE_FN_SUB_MAX)] = i;
    }
    for (uint32_t j = 0; sperm && j < ns; j++)
        sperm[j] = sk[j].idx;
    /* Function sub-bucket q of bucket b starts at a = lo + b*4096 + q*64: its
     * function is the last one with entry <= a; every other one starts a
     * site sub-bucket (128 bytes), whose first site is the first with pc >= a,
     * as a delta from the first of its 1 KiB (a byte: it would saturate only
     * past 255 labels in 1 KiB, and the scan would go on from there).
     * Both are at most the third function and the fourth label from the end
     * (lookups scan forward from there, whatever the start), so that the
     * warm paths count the next two or four without a bound check. */
    uint32_t fi = 0, sj = 0;
    uint32_t fmax = nf >= WH_FN_AHEAD + 1 ? nf - WH_FN_AHEAD - 1 : 0;
    uint32_t smax = ns >= WH_SITE_AHEAD ? ns - WH_SITE_AHEAD : 0;
    for (uint32_t b = 0; b < nb; b++) {
        for (uint32_t q = 0; q < WH_NFSUB; q++) {
            uintptr_t a = lo + ((uintptr_t)b << WH_BUCKET_SHIFT) + ((uintptr_t)q << WH_FSUB_SHIFT);
            while (fi + 1 < nf && fk[fi + 1].key <= a)
                fi++;
            uint32_t fc = fi < fmax ? fi : fmax;
            if (q == 0)
                bfn[b] = fc;
            uint32_t df = fc - bfn[b];
            fd[(size_t)b * WH_NFSUB + q] = (uint8_t)(df > 255 ? 255 : df); /* the scan goes on */
            if (q % (WH_NFSUB / WH_NSUB))
                continue;
            /* a site sub-bucket starts here too (and every 1 KiB its base) */
            while (sj < ns && sk[sj].key < a)
                sj++;
            uint32_t sc = sj < smax ? sj : smax;
            size_t g = ((size_t)b << (WH_BUCKET_SHIFT - WH_SUB_SHIFT)) + (q >> (WH_SUB_SHIFT - WH_FSUB_SHIFT));
            size_t gb = g >> (WH_SBASE_SHIFT - WH_SUB_SHIFT);
            if (g % (1u << (WH_SBASE_SHIFT - WH_SUB_SHIFT)) == 0)
                bsite[gb] = sc;
            uint32_t ds = sc - bsite[gb];
            sd[g] = (uint8_t)(ds > 255 ? 255 : ds); /* the scan goes on from there */
        }
    }
    memcpy(lines, ln, (size_t)nl * sizeof *ln);
    ax->map_size = total;
    ax->lo = lo;
    ax->span = span;
    ax->nbuckets = nb;
    ax->nmods = nm;
    ax->nf = nf;
    ax->ns = ns;
    ax->nlines = nl;
    ax->fperm = fperm;
    ax->sperm = sperm;
    ax->fn_span = fperm || nf <= WH_FN_AHEAD ? 0 : span;
    ax->fn_recs = fperm ? 0 : nf;
    ax->sites_warm = !sperm && ns >= WH_SITE_AHEAD;
    ax->line_recs = ax->sites_warm && !nl ? ax->fn_recs : 0;
    /* (the labels' records and the code they label: one image, so always
     * near enough so far) */
    uintptr_t site_end = s->site_start + (uintptr_t)ns * WH_SITE_SIZE;
    bool near = (lo + span >= s->site_start ? lo + span - s->site_start : s->site_start - lo - span) <
                    WH_NEAR32 &&
                (site_end >= lo ? site_end - lo : lo - site_end) < WH_NEAR32;
    ax->line_fast_recs = near ? ax->line_recs : 0;
    ax->fn_start = s->fn_start;
    ax->site_start = s->site_start;
    ax->mods = mods;
    atomic_init(&ax->last_mod, nm ? &mods[0] : &wh_no_mod);
    ax->mods_by_base = mbb;
    ax->subfn = subfn;
    ax->bfn = bfn;
    ax->fd = fd;
    ax->bsite = bsite;
    ax->sd = sd;
    ax->lines = lines;
    ax->lost = lost;
    ax->nlost = nlost;
    ax->nfrag = nfrag;
    ax->frags = frags;
    result = ax;
    report_drops(ms, &d, nfrec, nsrec, d.outside && wh_slot_bolted(s));
    /* The first lookups answered from records this build refuses: what the
     * caches learnt from them must not outlive it. */
    if (fn_dropped || collided || d.overlap || d.folded || d.outside || d.loc)
        wh_forget_all();
out:
    for (size_t i = 0; i < sizeof t.p / sizeof t.p[0]; i++)
        wh_unmap(t.p[i], t.n[i]);
    wh_unmap(fv, fv_size);
    return result;
}

WH_RT void wh_accel_free(const struct wh_accel *ax) {
    if (ax)
        wh_unmap((void *)ax, ax->map_size);
}
