/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * tabfmt.h - reading and writing the pieces of the post-link lookup table
 * (whence_abi.h, whence_tab): LEB128 varints, zigzag, the header checksum
 * and the header's O(1) validation.  Shared, as inline functions, by the
 * runtime (table.c), the tool that writes tables (tools/whence-link) and
 * the unit tests, so that the writer and the reader cannot disagree.
 *
 * Every reader is bounded: a varint that runs past its end, or past 5
 * bytes for a 32-bit value, reads as an error, never past the end.
 */
#ifndef WHENCE_RUNTIME_TABFMT_H
#define WHENCE_RUNTIME_TABFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "whence_abi.h"

_Static_assert(sizeof(struct whence_tab_header) == 120, "table header size");
_Static_assert(sizeof(struct whence_tab_header) % 8 == 0, "table header alignment");
_Static_assert(sizeof(struct whence_tab_func) == 8, "table function size");
_Static_assert(sizeof(struct whence_tab_bucket) == 40, "table bucket size");
_Static_assert(sizeof(struct whence_tab_mod) == 40, "table module size");

/* ---- varints ---------------------------------------------------------------- */

/* Writes v at p (room for 5 bytes); returns the bytes written. */
static inline uint32_t wh_uv_put(unsigned char *p, uint32_t v) {
    uint32_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

static inline uint32_t wh_uv_len(uint32_t v) {
    uint32_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

/* wh_uv_get of a varint longer than 2 bytes, or near end. */
static inline bool wh_uv_get_long(const unsigned char **p, const unsigned char *end, uint32_t *v) {
    const unsigned char *q = *p;
    uint32_t r = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        if (q >= end)
            return false;
        unsigned char b = *q++;
        if (shift == 28 && (b & 0x70))
            return false; /* more than 32 bits */
        r |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *p = q;
            *v = r;
            return true;
        }
    }
    return false;
}

/* Reads a varint at *p (before end) into *v and advances *p: false when it
 * runs past end or does not fit 32 bits.  Sizes, pc deltas and module
 * words are mostly 1 or 2 bytes: those are read inline. */
static inline bool wh_uv_get(const unsigned char **p, const unsigned char *end, uint32_t *v) {
    const unsigned char *q = *p;
    if (__builtin_expect(end - q >= 2, 1)) {
        if (q[0] < 0x80) {
            *v = q[0];
            *p = q + 1;
            return true;
        }
        if (q[1] < 0x80) {
            *v = (q[0] & 0x7fu) | (uint32_t)q[1] << 7;
            *p = q + 2;
            return true;
        }
    }
    return wh_uv_get_long(p, end, v);
}

static inline uint32_t wh_zigzag(int32_t d) {
    return ((uint32_t)d << 1) ^ (uint32_t)(d >> 31);
}

static inline int32_t wh_unzigzag(uint32_t z) {
    return (int32_t)(z >> 1) ^ -(int32_t)(z & 1);
}

/* Check words (below) of nfunc ranges, of n packed entries or subfn words. */
static inline uint32_t wh_tab_ngroup(uint32_t nfunc) {
    return (uint32_t)(((uint64_t)nfunc + WHENCE_TAB_GROUP - 1) / WHENCE_TAB_GROUP);
}
static inline uint32_t wh_tab_nchunk(uint32_t n) {
    return (uint32_t)(((uint64_t)n + WHENCE_TAB_CHUNK - 1) / WHENCE_TAB_CHUNK);
}

/* ---- the header ------------------------------------------------------------------- */

/* FNV-1a over the header with its checksum field taken as 0. */
static inline uint32_t wh_tab_checksum(const struct whence_tab_header *h) {
    const unsigned char *b = (const unsigned char *)h;
    uint32_t x = 0x811c9dc5u;
    for (size_t i = 0; i < sizeof *h; i++) {
        unsigned char c = i >= offsetof(struct whence_tab_header, checksum) &&
                                  i < offsetof(struct whence_tab_header, checksum) + 4
                              ? 0
                              : b[i];
        x = (x ^ c) * 0x01000193u;
    }
    return x;
}

/* An array of count elements of size bytes at off, 4-aligned, after the
 * header and inside total. */
static inline bool wh_tab_array_ok(uint32_t off, uint32_t count, uint32_t size, uint32_t total) {
    if (!count)
        return off <= total;
    return off % 4 == 0 && off >= sizeof(struct whence_tab_header) &&
           (uint64_t)off + (uint64_t)count * size <= total;
}

/* Checks a header copied out of room bytes (the reservation): NULL or why
 * it cannot be used.  The header's own fields only; the caller checks the
 * records it names and the span it covers. */
static inline const char *wh_tab_check_header(const struct whence_tab_header *h, uint64_t room) {
    if (h->magic != WHENCE_TAB_MAGIC)
        return "bad magic";
    if (h->version != WHENCE_TAB_VERSION)
        return "table version";
    if (h->header_size != sizeof *h || h->total_size < sizeof *h || h->total_size % 8 ||
        h->total_size > room)
        return "bad header_size or total_size";
    if (h->checksum != wh_tab_checksum(h))
        return "header checksum";
    /* the entries, then their descriptions' words */
    if (!wh_tab_array_ok(h->func_off, h->nfunc, sizeof(struct whence_tab_func) + 4,
                         h->total_size) ||
        h->nfunc == 0 || h->nfunc > WHENCE_TAB_DATA_MASK)
        return "function array out of bounds";
    uint32_t sb = WHENCE_TAB_SIZE_BITS(h->split), mb = WHENCE_TAB_MOD_BITS(h->split);
    if (sb < 1 || sb > 31 || mb > 31 - sb || h->split >> 16 || (mb < 31 && h->nmod > 1u << mb))
        return "bad function entry split";
    if (!wh_tab_array_ok(h->bucket_off, h->nbucket, sizeof(struct whence_tab_bucket),
                         h->total_size) ||
        h->nbucket != (uint32_t)(((uint64_t)h->span + (1u << WHENCE_TAB_BUCKET_SHIFT) - 1) >>
                                 WHENCE_TAB_BUCKET_SHIFT))
        return "bucket array out of bounds";
    if (!wh_tab_array_ok(h->mod_off, h->nmod, sizeof(struct whence_tab_mod), h->total_size))
        return "module array out of bounds";
    if (!wh_tab_array_ok(h->subfn_off, h->nsubfn, 4, h->total_size))
        return "subprog array out of bounds";
    if (h->data_size > WHENCE_TAB_DATA_MASK || (uint64_t)h->data_off + h->data_size > h->total_size ||
        h->data_off < sizeof *h)
        return "data out of bounds";
    if (h->span == 0 || h->span > 0xfffff000u)
        return "bad span";
    if (h->ncheck != wh_tab_nchunk(h->nsubfn) ||
        !wh_tab_array_ok(h->check_off, h->ncheck, 4, h->total_size))
        return "check words out of bounds";
    return NULL;
}

/* ---- check words ------------------------------------------------------------------
 * (whence_abi.h, "checks"): 32 bits of a hash of 8-byte words, each
 * step x -> (x ^ w) * an odd constant, a bijection of x and of w, so that
 * any one word changed changes the state (two lanes, for two multiplies
 * in flight: a first lookup checks a few hundred bytes); seeded with what
 * the words cover and where, so that bytes moved to another place do not
 * pass either. */

#define WH_TAB_K1 0xff51afd7ed558ccdu
#define WH_TAB_K2 0xc4ceb9fe1a85ec53u

static inline uint64_t wh_tab_mix(uint64_t x, uint64_t w) {
    x = (x ^ w) * WH_TAB_K1;
    return x ^ x >> 29;
}

/* Mixes the n bytes at p into x. */
static inline uint64_t wh_tab_mix_bytes(uint64_t x, const unsigned char *p, uint64_t n) {
    uint64_t y = ~x, i = 0, w, v;
    for (; i + 16 <= n; i += 16) {
        __builtin_memcpy(&w, p + i, 8);
        __builtin_memcpy(&v, p + i + 8, 8);
        x = (x ^ w) * WH_TAB_K1;
        y = (y ^ v) * WH_TAB_K2;
    }
    if (i + 8 <= n) {
        __builtin_memcpy(&w, p + i, 8);
        x = (x ^ w) * WH_TAB_K1;
        i += 8;
    }
    for (w = 0; i < n; i++) /* (at most 7 bytes) */
        w = w << 8 | p[i];
    y = (y ^ w) * WH_TAB_K2;
    return wh_tab_mix(wh_tab_mix(x, y), n);
}

static inline uint32_t wh_tab_fold(uint64_t x) {
    x = wh_tab_mix(x, 0x9e3779b97f4a7c15u);
    return (uint32_t)(x ^ x >> 32);
}

/* What a check word covers (its seed's top byte). */
enum { WH_CHK_BUCKET = 1, WH_CHK_GROUP, WH_CHK_SUBFN, WH_CHK_SUBPROGS, WH_CHK_LOCS };

static inline uint64_t wh_tab_seed(uint32_t what, uint32_t index) {
    return (uint64_t)what << 56 | index;
}

/* The check of the n bytes at p (what, index: its seed). */
static inline uint32_t wh_tab_bytes_check(uint32_t what, uint32_t index, const unsigned char *p,
                                          uint64_t n) {
    return wh_tab_fold(wh_tab_mix_bytes(wh_tab_seed(what, index), p, n));
}

/* The check of bucket b (of nbucket at buckets) over the nfunc function
 * entries at func: the bucket itself (its check field as 0), the next
 * bucket's range, and the entries from the bucket's range to the one
 * after the next bucket's (the last), which is every entry a lookup in
 * the bucket reads (table.c, range_below: the ranges starting in it, and
 * the one after them whose start ends its gap).  *lo, *hi: the first and
 * last entry it covers.  False when the ranges are out of order or bounds
 * (a damaged bucket). */
/* The entries bucket b's check covers, *lo to *hi (wh_tab_bucket_check),
 * and the next bucket's range in *next: false when they are out of order
 * or bounds. */
static inline bool wh_tab_bucket_span(const unsigned char *buckets, uint32_t nbucket,
                                      uint32_t nfunc, uint32_t b, uint32_t *lo, uint32_t *hi,
                                      uint32_t *next) {
    const size_t bs = sizeof(struct whence_tab_bucket);
    *next = nfunc - 1;
    __builtin_memcpy(lo, buckets + (uint64_t)b * bs, 4); /* (idx: the first field) */
    if (b + 1 < nbucket)
        __builtin_memcpy(next, buckets + (uint64_t)(b + 1) * bs, 4);
    if (!nfunc || *lo > *next || *next >= nfunc)
        return false;
    *hi = *next + 1 < nfunc ? *next + 1 : *next;
    return true;
}

static inline bool wh_tab_bucket_check(const unsigned char *buckets, uint32_t nbucket,
                                       const unsigned char *func, uint32_t nfunc, uint32_t b,
                                       uint32_t *check, uint32_t *lo, uint32_t *hi) {
    uint32_t next;
    if (!wh_tab_bucket_span(buckets, nbucket, nfunc, b, lo, hi, &next))
        return false;
    struct whence_tab_bucket bk;
    __builtin_memcpy(&bk, buckets + (uint64_t)b * sizeof bk, sizeof bk);
    bk.check = 0;
    uint64_t x = wh_tab_seed(WH_CHK_BUCKET, b);
    x = wh_tab_mix_bytes(x, (const unsigned char *)&bk, sizeof bk);
    x = wh_tab_mix(x, next);
    x = wh_tab_mix_bytes(x, func + (uint64_t)*lo * sizeof(struct whence_tab_func),
                         (uint64_t)(*hi - *lo + 1) * sizeof(struct whence_tab_func));
    *check = wh_tab_fold(x);
    return true;
}

/* The check of group g (< wh_tab_ngroup(nfunc)) of the nfunc ranges whose
 * description words are at desc and data (data_size bytes) at data: its
 * description words and its descriptions, from the group's first to the
 * next group's check word (or the data's end).  *at: where its check word
 * is, just before its first description.  False when that does not lie
 * inside the data (a damaged description word). */
static inline bool wh_tab_group_check(const unsigned char *desc, const unsigned char *data,
                                      uint32_t data_size, uint32_t nfunc, uint32_t g,
                                      uint32_t *check, uint32_t *at) {
    uint32_t i = g * WHENCE_TAB_GROUP, n = nfunc - i < WHENCE_TAB_GROUP ? nfunc - i : WHENCE_TAB_GROUP;
    uint32_t lo, hi = data_size;
    __builtin_memcpy(&lo, desc + (uint64_t)i * 4, 4);
    lo &= WHENCE_TAB_DATA_MASK;
    if (i + n < nfunc) {
        __builtin_memcpy(&hi, desc + (uint64_t)(i + n) * 4, 4);
        hi &= WHENCE_TAB_DATA_MASK;
        if (hi < 4)
            return false;
        hi -= 4; /* the next group's check word */
    }
    if (lo < 4 || lo > hi || hi > data_size)
        return false;
    uint64_t x = wh_tab_seed(WH_CHK_GROUP, g);
    x = wh_tab_mix_bytes(x, desc + (uint64_t)i * 4, (uint64_t)n * 4);
    x = wh_tab_mix_bytes(x, data + lo, hi - lo);
    *check = wh_tab_fold(x);
    *at = lo - 4;
    return true;
}

/* The check of chunk c of the subfn array (nsubfn words at subfn). */
static inline uint32_t wh_tab_subfn_check(const unsigned char *subfn, uint32_t nsubfn, uint32_t c) {
    uint64_t lo = (uint64_t)c * WHENCE_TAB_CHUNK, hi = lo + WHENCE_TAB_CHUNK;
    if (hi > nsubfn)
        hi = nsubfn;
    return wh_tab_bytes_check(WH_CHK_SUBFN, c, subfn + lo * 4, (hi - lo) * 4);
}

/* A packed array (whence_abi.h, packs) is in chunks of WHENCE_TAB_CHUNK
 * entries: a check word, then the chunk's entries' bits from the next
 * byte, so that a lookup finds the check word of what it reads next to it.
 * Bytes of a chunk of n entries of bits bits; of an array of n entries. */
static inline uint64_t wh_pk_chunk_bytes(uint32_t n, uint32_t bits) {
    return 4 + ((uint64_t)n * bits + 7) / 8;
}
static inline uint64_t wh_pk_array_bytes(uint32_t n, uint32_t bits) {
    uint32_t rem = n % WHENCE_TAB_CHUNK;
    return (uint64_t)(n / WHENCE_TAB_CHUNK) * wh_pk_chunk_bytes(WHENCE_TAB_CHUNK, bits) +
           (rem ? wh_pk_chunk_bytes(rem, bits) : 0);
}
/* The check of chunk c of an array of n entries of bits bits at p (what:
 * WH_CHK_SUBPROGS or WH_CHK_LOCS); the one it holds in *held. */
static inline uint32_t wh_pk_chunk_check(uint32_t what, const unsigned char *p, uint32_t n,
                                         uint32_t bits, uint32_t c, uint32_t *held) {
    const unsigned char *q = p + (uint64_t)c * wh_pk_chunk_bytes(WHENCE_TAB_CHUNK, bits);
    uint32_t k = n - c * WHENCE_TAB_CHUNK;
    if (k > WHENCE_TAB_CHUNK)
        k = WHENCE_TAB_CHUNK;
    __builtin_memcpy(held, q, 4);
    return wh_tab_bytes_check(what, c, q + 4, ((uint64_t)k * bits + 7) / 8);
}

/* ---- packed subprogs and locs --------------------------------------------------
 * (whence_abi.h, "packs"): fields of at most 32 bits, each read with one
 * unaligned 8-byte load (the runtime's reader is tabloc.h's wh_pk_get,
 * inline in every lookup; whence-link compares every field it wrote with
 * it); the writer leaves 8 bytes after the last pack. */

/* Into zeroed bytes with room for the 8-byte load. */
static inline void wh_bits_put(unsigned char *p, uint64_t bit, uint32_t w, uint32_t x) {
    uint64_t v;
    __builtin_memcpy(&v, p + (bit >> 3), 8);
    v |= ((uint64_t)x & ((UINT64_C(1) << w) - 1)) << (bit & 7);
    __builtin_memcpy(p + (bit >> 3), &v, 8);
}

static inline uint32_t wh_bits_width(uint32_t max) {
    return max ? 32u - (uint32_t)__builtin_clz(max) : 0;
}

/* The check of a module entry: its first 32 bytes (every field before
 * check) mixed a word at a time, so that a first lookup pays a few
 * multiplies for it, not a byte loop. */
_Static_assert(offsetof(struct whence_tab_mod, check) == 32, "module entry check");
static inline uint32_t wh_tab_mod_check(const struct whence_tab_mod *e) {
    uint64_t w[4], x = 0x9e3779b97f4a7c15u;
    __builtin_memcpy(w, e, sizeof w);
    for (int i = 0; i < 4; i++) {
        x = (x ^ w[i]) * 0xff51afd7ed558ccdu;
        x ^= x >> 29;
    }
    return (uint32_t)(x ^ x >> 32);
}

/* Bits of one packed subprog, of one packed loc. */
static inline uint32_t wh_pack_sbits(const struct whence_tab_mod *e) {
    return (uint32_t)e->width[WHENCE_TAB_W_SNAME] + e->width[WHENCE_TAB_W_SLINE] +
           e->width[WHENCE_TAB_W_SFILE];
}
static inline uint32_t wh_pack_lbits(const struct whence_tab_mod *e) {
    return (uint32_t)e->width[WHENCE_TAB_W_LSUB] + e->width[WHENCE_TAB_W_LFILE] +
           e->width[WHENCE_TAB_W_LLINE] + e->width[WHENCE_TAB_W_LPARENT] +
           e->width[WHENCE_TAB_W_LCOL];
}
/* Bytes from a pack's start to its locs; its whole size (chunks, above). */
static inline uint64_t wh_tab_pack_locs(const struct whence_tab_mod *e, uint32_t nsub) {
    return wh_pk_array_bytes(nsub, wh_pack_sbits(e));
}
static inline uint64_t wh_tab_pack_size(const struct whence_tab_mod *e, uint32_t nsub,
                                        uint32_t nloc) {
    return wh_tab_pack_locs(e, nsub) + wh_pk_array_bytes(nloc, wh_pack_lbits(e));
}

/* Whether entry e (a copy of the one at offset at of a table of total
 * bytes) describes a usable pack of nsub subprogs and nloc locs: its check,
 * its widths, and the pack and the 8 bytes after it inside the table, past
 * the header.  O(1). */
static inline bool wh_tab_pack_ok(const struct whence_tab_mod *e, uint64_t at, uint64_t total,
                                  uint32_t nsub, uint32_t nloc) {
    uint64_t w;
    __builtin_memcpy(&w, e->width, 8);
    /* every width <= 32: no byte with its top bit set, alone or + 95 */
    if (((w | (w + UINT64_C(0x5f5f5f5f5f5f5f5f))) & UINT64_C(0x8080808080808080)) ||
        e->check != wh_tab_mod_check(e) || e->reserved)
        return false;
    uint64_t start = at + offsetof(struct whence_tab_mod, pack) + e->pack;
    return start >= sizeof(struct whence_tab_header) && start <= total &&
           wh_tab_pack_size(e, nsub, nloc) + 8 <= total - start;
}

#endif /* WHENCE_RUNTIME_TABFMT_H */
