/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * encode.c - the lookup table's bytes from its plan (whence_abi.h,
 * whence_tab): header, buckets, modules, subfn, packs, ranges (fixed
 * width: start, size, module and subprog), then the ranges' descriptions
 * as varints (tabfmt.h, shared with the runtime's reader).
 * All offsets are from the header, so the table needs no relocation.
 * The small arrays every lookup reads come right after the header: the
 * runtime reads the header when the image registers, so in a fresh
 * process they are on pages already mapped and a first lookup pays page
 * faults only for its range's entry (which says all that pc -> function
 * -> name needs) and its name.
 */
#include "link.h"
#include "tabfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
    unsigned char *p;
    size_t n, cap;
};

static int put(struct buf *b, const void *src, size_t n) {
    if (n == 0)
        return 0; /* src may be NULL (an empty array) */
    if (b->n + n > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 4096;
        while (nc < b->n + n)
            nc *= 2;
        unsigned char *q = realloc(b->p, nc);
        if (!q)
            return -1;
        b->p = q;
        b->cap = nc;
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
    return 0;
}

static int uv(struct buf *b, uint32_t v) {
    unsigned char t[5];
    return put(b, t, wh_uv_put(t, v));
}

static uint32_t bits_of(uint64_t v) {
    return v ? 64u - (uint32_t)__builtin_clzll(v) : 0;
}

/* Change k's t (whence_abi.h, lines): a loc, or a flat line from line0
 * and a column of wc bits. */
static uint64_t change_t(const struct wl_range *r, uint32_t k, uint32_t wc) {
    uint32_t w = r->chg[k].word;
    if (WH_LOC_IN_TABLE(w))
        return (uint64_t)w << 1 | 1;
    uint64_t z = (uint64_t)wh_zigzag((int32_t)(WHENCE_SITE_FLAT_LINE(w) - r->line0));
    return (z << wc | WHENCE_SITE_FLAT_COL(w)) << 1;
}

/* A range's lines: count, widths, changes (fixed width, in pc order).
 * 0, -1 (out of memory) or 1 (not in pc order). */
static int lines(struct buf *b, const struct wl_range *r) {
    uint32_t n = r->nchg;
    if (uv(b, n))
        return -1;
    if (!n)
        return 0;
    uint64_t maxpc = 0, maxt = 0, maxcol = 0;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t w = r->chg[k].word;
        if (k && r->chg[k].pc <= r->chg[k - 1].pc)
            return 1;
        maxpc = r->chg[k].pc;
        if (!WH_LOC_IN_TABLE(w) && WHENCE_SITE_FLAT_COL(w) > maxcol)
            maxcol = WHENCE_SITE_FLAT_COL(w);
    }
    uint32_t wc = bits_of(maxcol);
    for (uint32_t k = 0; k < n; k++) {
        uint64_t t = change_t(r, k, wc);
        if (t > maxt)
            maxt = t;
    }
    uint32_t wpc = bits_of(maxpc), wt = bits_of(maxt), ew = wpc + wt;
    if (wpc > 32 || wt > 48 || wc > WHENCE_SITE_FLAT_COL_BITS)
        return 1; /* (a flat line or column out of its range: not written by the pass) */
    uint16_t h = WHENCE_TAB_LW(wpc, wt, wc);
    unsigned char hb[2] = {(unsigned char)h, (unsigned char)(h >> 8)};
    size_t bytes = ((size_t)n * ew + 7) / 8;
    unsigned char *v = calloc(1, bytes + 8);
    if (!v)
        return -1;
    for (uint32_t k = 0; k < n; k++) {
        uint64_t bit = (uint64_t)k * ew;
        wh_bits_put(v, bit, wpc, r->chg[k].pc);
        uint64_t t = change_t(r, k, wc);
        /* t in up to two pieces of at most 32 bits */
        wh_bits_put(v, bit + wpc, wt < 32 ? wt : 32, (uint32_t)t);
        if (wt > 32)
            wh_bits_put(v, bit + wpc + 32, wt - 32, (uint32_t)(t >> 32));
    }
    int rc = put(b, hb, 2) || put(b, v, bytes) ? -1 : 0;
    free(v);
    return rc;
}

static uint32_t align(uint32_t n, uint32_t a) {
    return (n + a - 1) & ~(a - 1);
}

/* The packs of p's modules (pack.c), one after the other into k; each
 * module's entry (widths, bias) into e[], its pack's offset in k into
 * at[] (UINT64_MAX: none). */
static int packs_of(const struct wl_plan *p, struct buf *k, struct whence_tab_mod *e, uint64_t *at,
                    struct wl_packed *pk) {
    for (uint32_t i = 0; i < p->nmod; i++) {
        unsigned char *b;
        size_t n;
        at[i] = UINT64_MAX;
        int rc = wl_pack(p->mods[i].src, &e[i], &b, &n);
        if (rc < 0)
            return -1;
        if (rc > 0)
            continue;
        at[i] = k->n;
        rc = put(k, b, n);
        free(b);
        if (rc)
            return -1;
        const struct wh_mod *m = p->mods[i].src;
        pk->mods++;
        pk->subprogs += m->nsubprog;
        pk->locs += m->nloc;
        pk->bytes += n;
        pk->raw += (uint64_t)m->nsubprog * sizeof(struct whence_subprog) +
                   (uint64_t)m->nloc * wh_mod_loc_size(m);
    }
    /* The last field's 8-byte load stays inside the table. */
    static const unsigned char zeros[8];
    return k->n ? put(k, zeros, sizeof zeros) : 0;
}

/* Bytes of a varint. */
static uint64_t uvn(uint64_t v) {
    return v > UINT32_MAX ? 10 : wh_uv_len((uint32_t)v);
}

/* The entries' split (whence_abi.h, WHENCE_TAB_SPLIT): the module index in
 * as few bits as hold it, the size bits that leave the fewest bytes to the
 * descriptions (a size or a module and subprog that do not fit the word
 * go there). */
static uint32_t split_of(const struct wl_plan *p) {
    uint32_t mb = p->nmod > 1 ? 32u - (uint32_t)__builtin_clz(p->nmod - 1) : 0;
    if (mb > 30)
        mb = 30;
    uint32_t best = 1;
    uint64_t best_bytes = UINT64_MAX;
    for (uint32_t sb = 1; sb <= 31 - mb; sb++) {
        uint64_t bytes = 0, msall = UINT32_MAX >> sb;
        for (uint32_t i = 0; i < p->nr; i++) {
            const struct wl_range *r = &p->r[i];
            if (r->size >> sb)
                bytes += uvn(r->size);
            if (r->kind == WHENCE_TAB_FUNCTION && ((uint64_t)r->sub << mb | r->mod) >= msall)
                bytes += uvn(r->mod) + uvn(r->sub);
        }
        if (bytes < best_bytes)
            best_bytes = bytes, best = sb;
    }
    return WHENCE_TAB_SPLIT(best, mb);
}

uint32_t wl_encode_split;

unsigned char *wl_encode(const struct wl_plan *p, const struct wl_secs *s, uint64_t tab,
                         bool packs, struct wl_packed *pk, size_t *size, char *why,
                         size_t whylen) {
    memset(pk, 0, sizeof *pk);
    /* Everything this allocates besides the table, freed at `out` (err:
     * what went wrong, NULL: the table is made). */
    const char *err = "out of memory";
    unsigned char *t = NULL;
    struct buf d = {0}, kb = {0};
    struct whence_tab_mod *pe = NULL;
    uint64_t *pat = NULL;
    /* The entries' words and the descriptions. */
    uint32_t split = wl_encode_split ? wl_encode_split : split_of(p);
    uint32_t sb = WHENCE_TAB_SIZE_BITS(split), mb = WHENCE_TAB_MOD_BITS(split);
    uint32_t msall = UINT32_MAX >> sb;
    uint32_t *doff = malloc((p->nr ? p->nr : 1) * sizeof *doff);
    uint32_t *word = malloc((p->nr ? p->nr : 1) * sizeof *word);
    if (!doff || !word)
        goto out;
    int rc = 0;
    static const unsigned char zero4[4];
    for (uint32_t i = 0; i < p->nr && !rc; i++) {
        const struct wl_range *r = &p->r[i];
        /* a group's check word before its first description (set below) */
        if (i % WHENCE_TAB_GROUP == 0 && put(&d, zero4, 4))
            rc = -1;
        doff[i] = (uint32_t)d.n;
        bool in_word = r->size && !(r->size >> sb);
        uint64_t ms = msall;
        if (!in_word && uv(&d, r->size))
            rc = -1;
        switch (r->kind) {
        case WHENCE_TAB_FUNCTION:
            ms = (uint64_t)r->sub << mb | r->mod;
            if (ms >= msall) {
                ms = msall;
                rc = rc || uv(&d, r->mod) || uv(&d, r->sub) ? -1 : 0;
            }
            rc = rc ? rc : lines(&d, r);
            break;
        case WHENCE_TAB_FRAGMENT:
            rc = rc || uv(&d, r->owner) || uv(&d, r->flags) ? -1 : 0;
            rc = rc ? rc : lines(&d, r);
            break;
        default:
            break;
        }
        word[i] = (in_word ? r->size : 0) | (uint32_t)ms << sb;
    }
    /* every change read with 8-byte loads inside the data */
    static const unsigned char pad[8];
    if (!rc && put(&d, pad, sizeof pad))
        rc = -1;
    if (rc || d.n > WHENCE_TAB_DATA_MASK) {
        err = rc > 0   ? "a function's line changes are not in address order"
              : rc < 0 ? "out of memory"
                       : "its description exceeds 1 GiB";
        goto out;
    }

    /* The packs. */
    pe = calloc(p->nmod ? p->nmod : 1, sizeof *pe);
    pat = calloc(p->nmod ? p->nmod : 1, sizeof *pat);
    for (uint32_t i = 0; pat && i < p->nmod; i++)
        pat[i] = UINT64_MAX;
    if (!pe || !pat || (packs && packs_of(p, &kb, pe, pat, pk)))
        goto out;

    /* The layout. */
    uint32_t nb = (uint32_t)((p->span + (1u << WHENCE_TAB_BUCKET_SHIFT) - 1) >>
                             WHENCE_TAB_BUCKET_SHIFT);
    /* What every first lookup reads right after the header, which the
     * runtime's registration reads (so a first lookup finds them on pages
     * already mapped): the module directory (small: it shares the header's
     * page when the header is not at the end of one), the buckets, then the
     * packs (one entry each), then the ranges and their data. */
    uint32_t mod_off = sizeof(struct whence_tab_header);
    uint32_t bucket_off = mod_off + p->nmod * (uint32_t)sizeof(struct whence_tab_mod);
    uint32_t subfn_off = align(bucket_off + nb * (uint32_t)sizeof(struct whence_tab_bucket), 4);
    uint32_t ncheck = wh_tab_nchunk(p->nsubfn);
    uint64_t check_off = (uint64_t)subfn_off + (uint64_t)p->nsubfn * 4;
    uint64_t pack_off = check_off + (uint64_t)ncheck * 4;
    uint64_t func_off = (pack_off + kb.n + 3) & ~(uint64_t)3;
    /* each entry, then each description's word */
    uint64_t data_off = func_off + (uint64_t)p->nr * (sizeof(struct whence_tab_func) + 4);
    uint64_t total = (data_off + d.n + 7) & ~(uint64_t)7;
    if (total + 8 > 0xffffffffu) {
        err = "the table would exceed 4 GiB";
        goto out;
    }
    t = calloc(1, (size_t)total);
    if (!t)
        goto out;
    struct whence_tab_header h = {0};
    h.magic = WHENCE_TAB_MAGIC;
    h.version = WHENCE_TAB_VERSION;
    h.header_size = sizeof h;
    h.split = split;
    h.total_size = (uint32_t)total;
    h.fn_rel = s->fn.size ? (int64_t)(s->fn.addr - tab) : 0;
    h.site_rel = s->site.size ? (int64_t)(s->site.addr - tab) : 0;
    h.mod_rel = s->mod.size ? (int64_t)(s->mod.addr - tab) : 0;
    h.fn_size = (uint32_t)s->fn.size;
    h.site_size = (uint32_t)s->site.size;
    h.mod_size = (uint32_t)s->mod.size;
    h.text_rel = (int64_t)(p->text - tab);
    h.span = (uint32_t)p->span;
    h.nfunc = p->nr;
    h.func_off = (uint32_t)func_off;
    h.nbucket = nb;
    h.bucket_off = bucket_off;
    h.nmod = p->nmod;
    h.mod_off = mod_off;
    h.nsubfn = p->nsubfn;
    h.subfn_off = subfn_off;
    h.data_size = (uint32_t)d.n;
    h.data_off = (uint32_t)data_off;
    h.nfrag = p->frags;
    h.ncheck = ncheck;
    h.check_off = (uint32_t)check_off;
    h.checksum = wh_tab_checksum(&h);
    memcpy(t, &h, sizeof h);

    for (uint32_t i = 0; i < p->nr; i++) {
        struct whence_tab_func f = {(uint32_t)(p->r[i].start - p->text), word[i]};
        uint32_t desc = p->r[i].kind << WHENCE_TAB_KIND_SHIFT | doff[i];
        memcpy(t + func_off + i * sizeof f, &f, sizeof f);
        memcpy(t + func_off + (uint64_t)p->nr * sizeof f + i * 4, &desc, 4);
    }
    /* Buckets: the range of each sub-bucket's first byte (the last range
     * starting at or below it). */
    uint32_t ri = 0;
    for (uint32_t b = 0; b < nb; b++) {
        struct whence_tab_bucket bk = {0};
        for (uint32_t q = 0; q < WHENCE_TAB_NSUB; q++) {
            uint64_t a = ((uint64_t)b << WHENCE_TAB_BUCKET_SHIFT) + ((uint64_t)q << WHENCE_TAB_SUB_SHIFT);
            while (ri + 1 < p->nr && p->r[ri + 1].start - p->text <= a)
                ri++;
            if (q == 0)
                bk.idx = ri;
            uint32_t dlt = ri - bk.idx;
            bk.sub[q] = (uint8_t)(dlt > 255 ? 255 : dlt);
        }
        memcpy(t + bucket_off + b * sizeof bk, &bk, sizeof bk);
    }
    for (uint32_t k = 0; k < p->nmod; k++) {
        struct whence_tab_mod md = pe[k];
        md.off = p->mods[k].off;
        md.subfn = p->mods[k].subfn;
        md.key = p->mods[k].key;
        uint64_t field = mod_off + (uint64_t)k * sizeof md + offsetof(struct whence_tab_mod, pack);
        md.pack = pat[k] == UINT64_MAX ? 0 : (uint32_t)(pack_off + pat[k] - field);
        if (!md.pack)
            memset(md.width, 0, sizeof md.width), md.line_bias = 0;
        md.check = 0;
        md.check = wh_tab_mod_check(&md);
        memcpy(t + mod_off + k * sizeof md, &md, sizeof md);
    }
    memcpy(t + subfn_off, p->subfn, (size_t)p->nsubfn * 4);
    memcpy(t + data_off, d.p, d.n);
    if (kb.n)
        memcpy(t + pack_off, kb.p, kb.n);
    /* The check words, of everything above written: the buckets', the
     * groups' (in the data), subfn's. */
    for (uint32_t b = 0; b < nb; b++) {
        uint32_t x, lo, hi;
        if (!wh_tab_bucket_check(t + bucket_off, nb, t + func_off, p->nr, b, &x, &lo, &hi)) {
            err = "a bucket out of order";
            goto drop;
        }
        memcpy(t + bucket_off + (uint64_t)b * sizeof(struct whence_tab_bucket) +
                   offsetof(struct whence_tab_bucket, check),
               &x, 4);
    }
    for (uint32_t g = 0; g < wh_tab_ngroup(p->nr); g++) {
        uint32_t x, at;
        if (!wh_tab_group_check(t + func_off + (uint64_t)p->nr * sizeof(struct whence_tab_func),
                                t + data_off, (uint32_t)d.n, p->nr, g, &x, &at)) {
            err = "a description out of order";
            goto drop;
        }
        memcpy(t + data_off + at, &x, 4);
    }
    for (uint32_t c = 0; c < ncheck; c++) {
        uint32_t x = wh_tab_subfn_check(t + subfn_off, p->nsubfn, c);
        memcpy(t + check_off + (uint64_t)c * 4, &x, 4);
    }
    *size = (size_t)total;
    err = NULL;
    goto out;
drop: /* (after the table was allocated) */
    free(t);
    t = NULL;
out:
    if (err)
        snprintf(why, whylen, "%s", err);
    free(d.p);
    free(doff);
    free(word);
    free(kb.p);
    free(pe);
    free(pat);
    return t;
}
