/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * inflate.c - deflate's decoder (inflate.h), written for the crash report:
 * Debian's debug packages and `-gz` builds compress .debug_line, and the
 * runtime links nothing but libc.  Follows RFC 1951 (stored, fixed and
 * dynamic blocks) inside RFC 1950's header and Adler-32 trailer, as zlib's
 * own checks do: an over-subscribed or incomplete code (but deflate's one
 * code of one bit), a missing end-of-block code, a distance before the
 * output's start, lengths and distances past the tables are all errors.
 *
 * Codes up to WH_INF_FAST_BITS bits are read by one table lookup, longer
 * ones bit by bit in canonical order (puff's way, zlib's contrib/puff),
 * which keeps the tables small enough to build once per dynamic block.
 * The output buffer is the window: the whole section is inflated into it.
 */
#include "inflate.h"

#include "../attrs.h"

#include <stdbool.h>

/* ---- bits, least significant first ------------------------------------------------- */

struct bits {
    const uint8_t *p, *end;
    uint64_t buf; /* cnt bits not consumed yet */
    unsigned cnt;
};

WH_RT static void refill(struct bits *b) {
    while (b->cnt <= 56 && b->p < b->end) {
        b->buf |= (uint64_t)*b->p++ << b->cnt;
        b->cnt += 8;
    }
}

/* The next n (<= 32) bits into *v; false if the input ends first. */
WH_RT static bool take(struct bits *b, unsigned n, uint32_t *v) {
    if (b->cnt < n)
        refill(b);
    if (b->cnt < n)
        return false;
    *v = (uint32_t)(b->buf & ((1ull << n) - 1));
    b->buf >>= n;
    b->cnt -= n;
    return true;
}

/* ---- Huffman codes ---------------------------------------------------------------- */

/* The code's first len bits of code, reversed (the stream sends codes
 * most significant bit first, inside bytes read from the least). */
WH_RT static unsigned reverse(unsigned code, unsigned len) {
    unsigned r = 0;
    for (unsigned i = 0; i < len; i++, code >>= 1)
        r = r << 1 | (code & 1);
    return r;
}

/* The fast table of h from its canonical order. */
WH_RT static void fill_fast(struct wh_inf_huff *h) {
    for (unsigned i = 0; i < (1u << WH_INF_FAST_BITS); i++)
        h->fast[i] = 0;
    unsigned code = 0, k = 0;
    for (unsigned len = 1; len <= WH_INF_FAST_BITS; len++, code <<= 1) {
        for (unsigned i = 0; i < h->count[len]; i++, code++, k++) {
            uint16_t e = (uint16_t)(len << 9 | h->sym[k]);
            for (unsigned j = reverse(code, len); j < (1u << WH_INF_FAST_BITS); j += 1u << len)
                h->fast[j] = e;
        }
    }
}

/* The canonical code of the n code lengths len[] (0: symbol unused).
 * false for an over-subscribed code, or an incomplete one other than a
 * single one-bit code (deflate allows that one; no code at all is also
 * allowed, and decoding it fails). */
WH_RT static bool build(struct wh_inf_huff *h, const uint8_t *len, unsigned n) {
    for (unsigned i = 0; i < 16; i++)
        h->count[i] = 0;
    for (unsigned i = 0; i < n; i++)
        h->count[len[i]]++;
    int left = 1;
    for (unsigned l = 1; l < 16; l++) {
        left = (left << 1) - h->count[l];
        if (left < 0)
            return false;
    }
    if (left > 0 && h->count[0] != n && !(h->count[1] == 1 && h->count[0] == n - 1))
        return false;
    uint16_t offs[16];
    offs[1] = 0;
    for (unsigned l = 1; l < 15; l++)
        offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
    for (unsigned i = 0; i < n; i++)
        if (len[i])
            h->sym[offs[len[i]]++] = (uint16_t)i;
    fill_fast(h);
    return true;
}

/* A code longer than the fast table's (or near the input's end), bit by
 * bit: -1 if the input ends or the bits are no code. */
WH_RT static int decode_slow(struct bits *b, const struct wh_inf_huff *h) {
    int code = 0, first = 0, index = 0;
    for (unsigned len = 1; len < 16; len++) {
        uint32_t bit;
        if (!take(b, 1, &bit))
            return -1;
        code |= (int)bit;
        int count = h->count[len];
        if (code - first < count)
            return h->sym[index + code - first];
        index += count;
        first = (first + count) << 1;
        code <<= 1;
    }
    return -1;
}

/* The next symbol of code h; -1 if none. */
WH_RT static int decode(struct bits *b, const struct wh_inf_huff *h) {
    if (b->cnt < WH_INF_FAST_BITS)
        refill(b);
    if (b->cnt >= WH_INF_FAST_BITS) {
        uint16_t e = h->fast[b->buf & ((1u << WH_INF_FAST_BITS) - 1)];
        if (e) {
            b->buf >>= e >> 9;
            b->cnt -= e >> 9;
            return e & 511;
        }
    }
    return decode_slow(b, h);
}

/* ---- blocks ------------------------------------------------------------------------ */

struct out {
    uint8_t *p;
    size_t n, size; /* written, room */
};

static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,   9,   10,  11,  13,
                                      15, 17, 19, 23, 27, 31,  35,  43,  51,  59,
                                      67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,    9,    13,
                                       17,   25,   33,   49,   65,   97,   129,  193,
                                       257,  385,  513,  769,  1025, 1537, 2049, 3073,
                                       4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* A stored block: to the byte boundary, LEN, its complement, LEN bytes. */
WH_RT static int stored(struct bits *b, struct out *o) {
    uint32_t skip, len, nlen;
    (void)take(b, b->cnt & 7, &skip);
    if (!take(b, 16, &len) || !take(b, 16, &nlen))
        return WH_INF_BAD;
    if (len != (~nlen & 0xffff))
        return WH_INF_BAD;
    if (len > o->size - o->n)
        return WH_INF_SIZE;
    for (; len && b->cnt; len--) { /* what the bit buffer holds, whole bytes */
        uint32_t byte;
        (void)take(b, 8, &byte);
        o->p[o->n++] = (uint8_t)byte;
    }
    if (len > (size_t)(b->end - b->p))
        return WH_INF_BAD;
    for (; len; len--)
        o->p[o->n++] = *b->p++;
    return WH_INF_OK;
}

/* A match: length symbol sym (257..285), then its distance. */
WH_RT static int copy_match(struct bits *b, struct out *o, int sym,
                            const struct wh_inf_huff *dist) {
    uint32_t extra;
    sym -= 257;
    if (sym >= 29 || !take(b, len_extra[sym], &extra))
        return WH_INF_BAD;
    size_t len = len_base[sym] + extra;
    int d = decode(b, dist);
    if (d < 0 || d >= 30 || !take(b, dist_extra[d], &extra))
        return WH_INF_BAD;
    size_t back = dist_base[d] + extra;
    if (back > o->n)
        return WH_INF_BAD; /* before the start */
    if (len > o->size - o->n)
        return WH_INF_SIZE;
    const uint8_t *from = o->p + o->n - back;
    uint8_t *to = o->p + o->n;
    for (size_t i = 0; i < len; i++) /* (overlapping when back < len) */
        to[i] = from[i];
    o->n += len;
    return WH_INF_OK;
}

/* The symbols of a compressed block up to its end-of-block code. */
WH_RT static int codes(struct bits *b, struct out *o, const struct wh_inf_huff *lit,
                       const struct wh_inf_huff *dist) {
    for (;;) {
        int sym = decode(b, lit);
        if (sym < 0)
            return WH_INF_BAD;
        if (sym < 256) {
            if (o->n == o->size)
                return WH_INF_SIZE;
            o->p[o->n++] = (uint8_t)sym;
        } else if (sym == 256) {
            return WH_INF_OK;
        } else {
            int rc = copy_match(b, o, sym, dist);
            if (rc != WH_INF_OK)
                return rc;
        }
    }
}

/* RFC 1951's fixed codes (distance codes 30 and 31 take part in the code
 * but are refused where they occur). */
WH_RT static void fixed_codes(struct wh_inf_work *w) {
    uint8_t len[288];
    for (unsigned i = 0; i < 288; i++)
        len[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    (void)build(&w->lit, len, 288);
    for (unsigned i = 0; i < 32; i++)
        len[i] = 5;
    (void)build(&w->dist, len, 32);
}

/* The code lengths of a dynamic block's literal/length and distance codes
 * (nlen + ndist of them, runs may cross from one to the other). */
WH_RT static bool code_lengths(struct bits *b, struct wh_inf_work *w, uint8_t *len,
                               unsigned total) {
    for (unsigned i = 0; i < total;) {
        int sym = decode(b, &w->clen);
        uint32_t rep;
        if (sym < 0)
            return false;
        if (sym < 16) {
            len[i++] = (uint8_t)sym;
            continue;
        }
        uint8_t v = 0;
        if (sym == 16) {
            if (i == 0 || !take(b, 2, &rep))
                return false;
            v = len[i - 1];
            rep += 3;
        } else if (sym == 17) {
            if (!take(b, 3, &rep))
                return false;
            rep += 3;
        } else {
            if (!take(b, 7, &rep))
                return false;
            rep += 11;
        }
        if (rep > total - i)
            return false;
        while (rep--)
            len[i++] = v;
    }
    return true;
}

/* A dynamic block's header: its three codes. */
WH_RT static bool dynamic_codes(struct bits *b, struct wh_inf_work *w) {
    static const uint8_t order[19] = {16, 17, 18, 0,  8, 7,  9, 6,  10, 5,
                                      11, 4,  12, 3, 13, 2, 14, 1, 15};
    uint32_t nlen, ndist, ncode;
    if (!take(b, 5, &nlen) || !take(b, 5, &ndist) || !take(b, 4, &ncode))
        return false;
    nlen += 257;
    ndist += 1;
    ncode += 4;
    if (nlen > 286 || ndist > 30)
        return false;
    uint8_t len[286 + 30] = {0};
    for (unsigned i = 0; i < ncode; i++) {
        uint32_t v;
        if (!take(b, 3, &v))
            return false;
        len[order[i]] = (uint8_t)v;
    }
    /* (the code-length code must be complete: a single one-bit code is not) */
    if (!build(&w->clen, len, 19) || (w->clen.count[1] == 1 && w->clen.count[0] == 18))
        return false;
    if (!code_lengths(b, w, len, nlen + ndist) || len[256] == 0)
        return false; /* (no end-of-block code) */
    return build(&w->lit, len, nlen) && build(&w->dist, len + nlen, ndist);
}

/* RFC 1950's two header bytes: deflate, a window up to 32 KiB, no preset
 * dictionary, and the check bits. */
WH_RT static bool zlib_header(struct bits *b) {
    uint32_t cmf, flg;
    if (!take(b, 8, &cmf) || !take(b, 8, &flg))
        return false;
    return (cmf & 15) == 8 && (cmf >> 4) <= 7 && (cmf << 8 | flg) % 31 == 0 && !(flg & 0x20);
}

/* The Adler-32 after the last block, at the next byte boundary. */
WH_RT static int trailer(struct bits *b, const struct out *o) {
    uint32_t skip, v = 0;
    (void)take(b, b->cnt & 7, &skip);
    for (int i = 0; i < 4; i++) {
        uint32_t byte;
        if (!take(b, 8, &byte))
            return WH_INF_BAD;
        v = v << 8 | byte;
    }
    if (o->n != o->size)
        return WH_INF_SIZE;
    return wh_adler32(1, o->p, o->n) == v ? WH_INF_OK : WH_INF_CHECK;
}

WH_RT int wh_inflate(const uint8_t *in, size_t n, uint8_t *out, size_t size,
                     struct wh_inf_work *w) {
    struct bits b = {in, in + n, 0, 0};
    struct out o = {out, 0, size};
    if (!zlib_header(&b))
        return WH_INF_BAD;
    /* (the fixed codes are built again only after another block type:
     * a stream of empty fixed blocks costs 10 bits each, not a build) */
    for (uint32_t last = 0, prev = 3; !last;) {
        uint32_t type;
        int rc;
        if (!take(&b, 1, &last) || !take(&b, 2, &type))
            return WH_INF_BAD;
        if (type == 0) {
            rc = stored(&b, &o);
        } else if (type == 1) {
            if (prev != 1)
                fixed_codes(w);
            rc = codes(&b, &o, &w->lit, &w->dist);
        } else if (type == 2) {
            rc = dynamic_codes(&b, w) ? codes(&b, &o, &w->lit, &w->dist) : WH_INF_BAD;
        } else {
            rc = WH_INF_BAD;
        }
        if (rc != WH_INF_OK)
            return rc;
        if (type != 0)
            prev = type; /* (a stored block leaves the codes as they are) */
    }
    return trailer(&b, &o);
}

WH_RT uint32_t wh_adler32(uint32_t adler, const uint8_t *p, size_t n) {
    uint32_t a = adler & 0xffff, s = adler >> 16;
    while (n) {
        size_t k = n < 5552 ? n : 5552; /* (no overflow of s before the modulo) */
        n -= k;
        while (k--) {
            a += *p++;
            s += a;
        }
        a %= 65521;
        s %= 65521;
    }
    return s << 16 | a;
}
