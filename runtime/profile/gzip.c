/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * gzip.c - gzip (RFC 1952) around a small deflate (RFC 1951), so that a
 * profile is written compressed, as Go's runtime/pprof writes it, without
 * linking zlib into libwhence.
 *
 * One deflate block with the fixed Huffman codes (BTYPE 01) over greedy
 * LZ77 matches: 3-byte hashes, chains of earlier positions in a 32 KiB
 * window, the longest of at most 32 candidates.  A profile is mostly
 * repeated strings and small varints; this gets about what gzip -1 gets
 * on it, in a page of code.  The fixed codes need no tables in the
 * stream, so the block can be as long as the input.
 */
#include "profile.h"

#include <string.h>

/* ---- CRC-32 (the gzip trailer) ---------------------------------------------------- */

WH_RT uint32_t wh_crc32(uint32_t crc, const uint8_t *p, size_t n) {
    static uint32_t table[256];
    static _Atomic int ready;
    if (!atomic_load_explicit(&ready, memory_order_acquire)) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        atomic_store_explicit(&ready, 1, memory_order_release);
    }
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* ---- bits, least significant first ------------------------------------------------- */

struct bits {
    struct wh_vec *out;
    uint64_t acc;
    unsigned n;
};

WH_RT static void put(struct bits *b, uint32_t v, unsigned n) {
    b->acc |= (uint64_t)v << b->n;
    b->n += n;
    while (b->n >= 8) {
        uint8_t c = (uint8_t)b->acc;
        wh_vec_push(b->out, &c, 1);
        b->acc >>= 8;
        b->n -= 8;
    }
}

/* A Huffman code goes out most significant bit first. */
WH_RT static void put_code(struct bits *b, uint32_t code, unsigned n) {
    uint32_t r = 0;
    for (unsigned i = 0; i < n; i++)
        r |= ((code >> i) & 1) << (n - 1 - i);
    put(b, r, n);
}

/* Literal/length symbol 0..287 with the fixed code (RFC 1951, 3.2.6). */
WH_RT static void put_litlen(struct bits *b, uint32_t sym) {
    if (sym < 144)
        put_code(b, 0x30 + sym, 8);
    else if (sym < 256)
        put_code(b, 0x190 + sym - 144, 9);
    else if (sym < 280)
        put_code(b, sym - 256, 7);
    else
        put_code(b, 0xc0 + sym - 280, 8);
}

static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                       33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                       1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

WH_RT static void put_match(struct bits *b, uint32_t len, uint32_t dist) {
    uint32_t i = 28;
    while (len_base[i] > len)
        i--;
    put_litlen(b, 257 + i);
    put(b, len - len_base[i], len_extra[i]);
    uint32_t d = 29;
    while (dist_base[d] > dist)
        d--;
    put_code(b, d, 5);
    put(b, dist - dist_base[d], dist_extra[d]);
}

/* ---- LZ77 ----------------------------------------------------------------------------- */
#define WIN (1u << 15)
#define HBITS 15
#define MAXCHAIN 32
#define MINMATCH 3
#define MAXMATCH 258

static inline uint32_t hash3(const uint8_t *p) {
    return ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) * 2654435761u >> (32 - HBITS);
}

WH_RT bool wh_gzip(const uint8_t *in, size_t n, struct wh_vec *out) {
    static const uint8_t head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    wh_vec_push(out, head, sizeof head);
    /* head: last position + 1 of each hash; prev: the one before, per
     * position in the window. */
    uint32_t *heads = wh_map((size_t)(1u << HBITS) * 4);
    uint32_t *prev = wh_map((size_t)WIN * 4);
    if (!heads || !prev) {
        wh_unmap(heads, (size_t)(1u << HBITS) * 4);
        wh_unmap(prev, (size_t)WIN * 4);
        return false;
    }
    struct bits b = {.out = out};
    put(&b, 1, 1); /* BFINAL */
    put(&b, 1, 2); /* BTYPE 01: fixed codes */
    size_t i = 0;
    while (i < n) {
        uint32_t best = 0, bdist = 0;
        if (i + MINMATCH <= n) {
            uint32_t h = hash3(in + i);
            size_t maxlen = n - i < MAXMATCH ? n - i : MAXMATCH;
            uint32_t cand = heads[h];
            for (int chain = 0; cand && chain < MAXCHAIN; chain++) {
                size_t j = cand - 1;
                if (i - j > WIN - 1)
                    break;
                if (in[j + best] == in[i + best]) {
                    uint32_t l = 0;
                    while (l < maxlen && in[j + l] == in[i + l])
                        l++;
                    if (l > best) {
                        best = l;
                        bdist = (uint32_t)(i - j);
                        if (l == maxlen)
                            break;
                    }
                }
                uint32_t p = prev[j % WIN];
                if (p >= cand)
                    break; /* an entry from an older lap of the window */
                cand = p;
            }
        }
        size_t step = best >= MINMATCH ? best : 1;
        if (best >= MINMATCH)
            put_match(&b, best, bdist);
        else
            put_litlen(&b, in[i]);
        /* Every position passed goes into the chains. */
        for (size_t k = 0; k < step; k++, i++) {
            if (i + MINMATCH <= n) {
                uint32_t h = hash3(in + i);
                prev[i % WIN] = heads[h];
                heads[h] = (uint32_t)(i + 1);
            }
        }
    }
    put_litlen(&b, 256); /* end of block */
    if (b.n)
        put(&b, 0, 8 - b.n);
    uint32_t crc = wh_crc32(0, in, n);
    uint8_t tail[8] = {(uint8_t)crc,       (uint8_t)(crc >> 8), (uint8_t)(crc >> 16),
                       (uint8_t)(crc >> 24), (uint8_t)n,        (uint8_t)(n >> 8),
                       (uint8_t)(n >> 16), (uint8_t)(n >> 24)};
    wh_vec_push(out, tail, sizeof tail);
    wh_unmap(heads, (size_t)(1u << HBITS) * 4);
    wh_unmap(prev, (size_t)WIN * 4);
    return !out->oom;
}
