/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_inflate.c - the crash report's inflate (runtime/lines/inflate.c)
 * against streams the real zlib made (Inputs/inflate_vectors.h: stored,
 * fixed and dynamic blocks, codes longer than the fast table, a match
 * 32,000 bytes back, an empty stored block from a full flush, 258-byte
 * matches overlapping their source), against hand-made streams that zlib
 * refuses (a distance before the start, over-subscribed and incomplete
 * codes, no end-of-block code, a repeat with nothing to repeat, bad
 * headers), and a declared size one off.  Then every truncation and many
 * bit flips of each valid stream, and random bytes behind a valid header:
 * an answer other than OK or a different output, never a read or write
 * outside the buffers (each is malloc'ed to its exact size, for ASan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lines/inflate.h"

#include "Inputs/inflate_vectors.h"

static struct wh_inf_work work;

static uint64_t fnv1a64(const uint8_t *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* Inflates a copy of [z, z + zn) into a buffer of exactly size bytes;
 * *hash: FNV-1a of the output when OK. */
static int inflate_copy(const uint8_t *z, size_t zn, size_t size, uint64_t *hash) {
    uint8_t *in = malloc(zn ? zn : 1), *out = malloc(size ? size : 1);
    assert_non_null(in);
    assert_non_null(out);
    memcpy(in, z, zn);
    int rc = wh_inflate(in, zn, out, size, &work);
    if (rc == WH_INF_OK && hash)
        *hash = fnv1a64(out, size);
    free(in);
    free(out);
    return rc;
}

static void zlib_streams(void **state) {
    (void)state;
    bool seen[3] = {false, false, false};
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const struct vector *v = &vectors[i];
        uint64_t h = 0;
        print_message("%s: %zu -> %zu bytes\n", v->name, v->zn, v->size);
        assert_int_equal(inflate_copy(v->z, v->zn, v->size, &h), WH_INF_OK);
        assert_true(h == v->fnv);
        seen[v->first_type] = true;
    }
    assert_true(seen[0] && seen[1] && seen[2]);
}

static void declared_size_off_by_one(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const struct vector *v = &vectors[i];
        assert_int_equal(inflate_copy(v->z, v->zn, v->size + 1, NULL), WH_INF_SIZE);
        if (v->size)
            assert_int_equal(inflate_copy(v->z, v->zn, v->size - 1, NULL), WH_INF_SIZE);
    }
}

static void adler32(void **state) {
    (void)state;
    /* RFC 1950's example value for "Wikipedia" is 0x11E60398. */
    assert_int_equal(wh_adler32(1, (const uint8_t *)"Wikipedia", 9), 0x11e60398);
    assert_int_equal(wh_adler32(1, NULL, 0), 1);
    /* A long run of 0xff: the sums wrap the modulus many times. */
    static uint8_t ff[100000];
    memset(ff, 0xff, sizeof ff);
    uint32_t a = 1, s = 0;
    for (size_t i = 0; i < sizeof ff; i++) {
        a = (a + 0xff) % 65521;
        s = (s + a) % 65521;
    }
    assert_int_equal(wh_adler32(1, ff, sizeof ff), s << 16 | a);
}

static void bad_trailer(void **state) {
    (void)state;
    const struct vector *v = &vectors[3]; /* dynamic */
    uint8_t *z = malloc(v->zn);
    assert_non_null(z);
    memcpy(z, v->z, v->zn);
    z[v->zn - 1] ^= 1;
    assert_int_equal(inflate_copy(z, v->zn, v->size, NULL), WH_INF_CHECK);
    free(z);
}

/* ---- hand-made streams -------------------------------------------------------- */

struct bw {
    uint8_t b[512];
    size_t n;
    unsigned bit;
};
/* n bits of v, least significant first (header fields, extra bits). */
static void bits(struct bw *w, uint32_t v, unsigned n) {
    for (unsigned i = 0; i < n; i++) {
        if (w->bit == 0)
            w->b[w->n++] = 0;
        w->b[w->n - 1] |= (uint8_t)(((v >> i) & 1) << w->bit);
        w->bit = (w->bit + 1) & 7;
    }
}
/* A Huffman code of len bits, most significant first. */
static void code(struct bw *w, uint32_t c, unsigned len) {
    for (unsigned i = len; i-- > 0;)
        bits(w, (c >> i) & 1, 1);
}
static void zhead(struct bw *w) {
    *w = (struct bw){0};
    bits(w, 0x78, 8);
    bits(w, 0x01, 8);
}
/* The trailer of output [p, p + n), after aligning to a byte. */
static void ztrail(struct bw *w, const char *p, size_t n) {
    uint32_t a = wh_adler32(1, (const uint8_t *)p, n);
    w->bit = 0;
    for (int i = 3; i >= 0; i--)
        bits(w, a >> (8 * i), 8);
}
static int run(const struct bw *w, size_t size) {
    return inflate_copy(w->b, w->n, size, NULL);
}

/* A dynamic block's header with a code-length code of three symbols:
 * sym0 as '0' (1 bit), sym1 '10', sym2 '11' (complete), for 257
 * literal/length and 1 distance code. */
static void dyn_header(struct bw *w, int sym0, int sym1, int sym2) {
    static const uint8_t order[19] = {16, 17, 18, 0,  8, 7,  9, 6,  10, 5,
                                      11, 4,  12, 3, 13, 2, 14, 1, 15};
    bits(w, 1, 1); /* last */
    bits(w, 2, 2); /* dynamic */
    bits(w, 0, 5); /* 257 */
    bits(w, 0, 5); /* 1 */
    bits(w, 15, 4); /* 19 code-length codes */
    for (int i = 0; i < 19; i++)
        bits(w, order[i] == sym0 ? 1 : order[i] == sym1 || order[i] == sym2 ? 2 : 0, 3);
}

static void hand_made(void **state) {
    (void)state;
    struct bw w;

    /* A valid dynamic block zlib also takes: 258 literal/length codes
     * ('A' 1 bit, end-of-block and length 3 2 bits each) and a single
     * one-bit distance code (incomplete, as deflate allows for it):
     * "AAAA" as 'A' and a match of 3 at distance 1. */
    w = (struct bw){0};
    zhead(&w);
    bits(&w, 1, 1);
    bits(&w, 2, 2);
    bits(&w, 1, 5); /* 258 */
    bits(&w, 0, 5); /* 1 */
    bits(&w, 15, 4);
    static const uint8_t order[19] = {16, 17, 18, 0,  8, 7,  9, 6,  10, 5,
                                      11, 4,  12, 3, 13, 2, 14, 1, 15};
    for (int i = 0; i < 19; i++)
        bits(&w, order[i] == 0 ? 1 : order[i] == 1 || order[i] == 2 ? 2 : 0, 3);
    for (int i = 0; i < 259; i++) { /* 258 literal/length, 1 distance */
        if (i == 65 || i == 258)
            code(&w, 2, 2); /* length 1 */
        else if (i == 256 || i == 257)
            code(&w, 3, 2); /* length 2 */
        else
            code(&w, 0, 1); /* length 0 */
    }
    /* Codes: 'A' = 0, 256 = 10, 257 = 11; distance 0 = 0. */
    code(&w, 0, 1);
    code(&w, 3, 2); /* length 3 */
    code(&w, 0, 1); /* distance 1 */
    code(&w, 2, 2); /* end of block */
    ztrail(&w, "AAAA", 4);
    assert_int_equal(run(&w, 4), WH_INF_OK);

    /* A match before the start: a fixed block opening with length 3
     * (code 257: 0000001) at distance 1 (code 0: 00000). */
    zhead(&w);
    bits(&w, 1, 1);
    bits(&w, 1, 2);
    code(&w, 1, 7);
    code(&w, 0, 5);
    code(&w, 0, 7); /* end of block */
    ztrail(&w, "", 0);
    assert_int_equal(run(&w, 3), WH_INF_BAD);

    /* Fixed block: distance codes 30 and 31 are no distances, nor
     * literal/length codes 286 and 287. */
    zhead(&w);
    bits(&w, 1, 1);
    bits(&w, 1, 2);
    code(&w, 0x30 + 'a', 8); /* literal 'a' */
    code(&w, 1, 7);          /* length 3 */
    code(&w, 30, 5);
    assert_int_equal(run(&w, 4), WH_INF_BAD);
    zhead(&w);
    bits(&w, 1, 1);
    bits(&w, 1, 2);
    code(&w, 0xc0 + 286 - 280, 8);
    assert_int_equal(run(&w, 4), WH_INF_BAD);

    /* Block type 3. */
    zhead(&w);
    bits(&w, 1, 1);
    bits(&w, 3, 2);
    assert_int_equal(run(&w, 0), WH_INF_BAD);

    /* A stored block whose length's complement is wrong, and one whose
     * bytes are cut short. */
    zhead(&w);
    bits(&w, 1, 1);
    bits(&w, 0, 2);
    w.bit = 0;
    bits(&w, 2, 16);
    bits(&w, 0xfffe, 16);
    bits(&w, 'h', 8);
    bits(&w, 'i', 8);
    ztrail(&w, "hi", 2);
    assert_int_equal(run(&w, 2), WH_INF_BAD);
    w.b[5] = 0xfd; /* ~2: the stream is right now */
    assert_int_equal(run(&w, 2), WH_INF_OK);
    w.b[3] = 200;
    w.b[5] = (uint8_t)~200;
    assert_int_equal(run(&w, 200), WH_INF_BAD);

    /* Dynamic blocks zlib refuses.  Over-subscribed: 258 codes of 1 bit. */
    zhead(&w);
    dyn_header(&w, 0, 1, 2);
    for (int i = 0; i < 258; i++)
        code(&w, 2, 2);
    assert_int_equal(run(&w, 1), WH_INF_BAD);
    /* Incomplete: literal 0 and end-of-block with 2 bits each. */
    zhead(&w);
    dyn_header(&w, 0, 1, 2);
    for (int i = 0; i < 258; i++)
        i == 0 || i == 256 ? code(&w, 3, 2) : i == 257 ? code(&w, 2, 2) : code(&w, 0, 1);
    assert_int_equal(run(&w, 1), WH_INF_BAD);
    /* No end-of-block code: literals 0 and 1 with 1 bit each. */
    zhead(&w);
    dyn_header(&w, 0, 1, 2);
    for (int i = 0; i < 258; i++)
        i == 0 || i == 1 || i == 257 ? code(&w, 2, 2) : code(&w, 0, 1);
    assert_int_equal(run(&w, 1), WH_INF_BAD);
    /* A repeat (16) first, with nothing before it to repeat. */
    zhead(&w);
    dyn_header(&w, 16, 0, 1);
    code(&w, 0, 1);
    bits(&w, 0, 2);
    assert_int_equal(run(&w, 1), WH_INF_BAD);
    /* A run of zeros (18) past the lengths' end. */
    zhead(&w);
    dyn_header(&w, 18, 0, 1);
    code(&w, 0, 1);
    bits(&w, 127, 7); /* 138 */
    code(&w, 0, 1);
    bits(&w, 127, 7); /* 276 > 258 */
    assert_int_equal(run(&w, 1), WH_INF_BAD);
    /* An over-subscribed code-length code: three one-bit codes. */
    zhead(&w);
    bits(&w, 1, 1);
    bits(&w, 2, 2);
    bits(&w, 0, 5);
    bits(&w, 0, 5);
    bits(&w, 15, 4);
    for (int i = 0; i < 19; i++)
        bits(&w, i < 3 ? 1 : 0, 3);
    assert_int_equal(run(&w, 1), WH_INF_BAD);
    /* More than 286 literal/length codes, more than 30 distance codes. */
    zhead(&w);
    bits(&w, 1, 1);
    bits(&w, 2, 2);
    bits(&w, 30, 5);
    bits(&w, 0, 5);
    bits(&w, 15, 4);
    assert_int_equal(run(&w, 1), WH_INF_BAD);
    zhead(&w);
    bits(&w, 1, 1);
    bits(&w, 2, 2);
    bits(&w, 0, 5);
    bits(&w, 30, 5);
    bits(&w, 15, 4);
    assert_int_equal(run(&w, 1), WH_INF_BAD);
}

/* A fixed block's literal c, as a block of its own (last: the stream's
 * last block). */
static void fixed_literal(struct bw *w, char c, bool last) {
    bits(w, last, 1);
    bits(w, 1, 2);
    code(w, 0x30 + (uint8_t)c, 8);
    code(w, 0, 7); /* end of block */
}

/* Fixed blocks after fixed, stored and dynamic blocks: the fixed codes
 * are kept from one fixed block to the next (stored blocks between them
 * do not touch them) and built again after a dynamic block. */
static void block_sequences(void **state) {
    (void)state;
    struct bw w;
    zhead(&w);
    fixed_literal(&w, 'x', false);
    fixed_literal(&w, 'y', false);
    bits(&w, 0, 1); /* stored "z" */
    bits(&w, 0, 2);
    w.bit = 0;
    bits(&w, 1, 16);
    bits(&w, 0xfffe, 16);
    bits(&w, 'z', 8);
    fixed_literal(&w, 'w', false);
    /* dynamic: 'A' '0', end-of-block '10' (the 258-code block of
     * hand_made, one literal) */
    bits(&w, 0, 1);
    bits(&w, 2, 2);
    bits(&w, 1, 5);
    bits(&w, 0, 5);
    bits(&w, 15, 4);
    static const uint8_t order[19] = {16, 17, 18, 0,  8, 7,  9, 6,  10, 5,
                                      11, 4,  12, 3, 13, 2, 14, 1, 15};
    for (int i = 0; i < 19; i++)
        bits(&w, order[i] == 0 ? 1 : order[i] == 1 || order[i] == 2 ? 2 : 0, 3);
    for (int i = 0; i < 259; i++)
        i == 65 || i == 258 ? code(&w, 2, 2) : i == 256 || i == 257 ? code(&w, 3, 2)
                                                                    : code(&w, 0, 1);
    code(&w, 0, 1);
    code(&w, 2, 2);
    fixed_literal(&w, 'v', true);
    ztrail(&w, "xyzwAv", 6);
    uint8_t out[6];
    assert_int_equal(wh_inflate(w.b, w.n, out, sizeof out, &work), WH_INF_OK);
    assert_memory_equal(out, "xyzwAv", 6);
}

static void bad_headers(void **state) {
    (void)state;
    const struct vector *v = &vectors[1]; /* stored */
    uint8_t *z = malloc(v->zn);
    assert_non_null(z);
    memcpy(z, v->z, v->zn);
    z[0] = 0x77; /* method 7 */
    z[1] = (uint8_t)(31 - ((0x77u << 8) % 31));
    assert_int_equal(inflate_copy(z, v->zn, v->size, NULL), WH_INF_BAD);
    z[0] = 0x88; /* a window of 64 KiB */
    z[1] = (uint8_t)(31 - ((0x88u << 8) % 31));
    assert_int_equal(inflate_copy(z, v->zn, v->size, NULL), WH_INF_BAD);
    z[0] = 0x78;
    z[1] = 0x01 ^ 1; /* check bits wrong */
    assert_int_equal(inflate_copy(z, v->zn, v->size, NULL), WH_INF_BAD);
    z[1] = 0x20 | (uint8_t)(31 - ((0x7820u) % 31)); /* a preset dictionary */
    assert_int_equal(inflate_copy(z, v->zn, v->size, NULL), WH_INF_BAD);
    assert_int_equal(inflate_copy(z, 0, 0, NULL), WH_INF_BAD);
    assert_int_equal(inflate_copy(z, 1, 0, NULL), WH_INF_BAD);
    free(z);
}

/* ---- damaged streams ------------------------------------------------------------- */

static void truncations(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const struct vector *v = &vectors[i];
        for (size_t n = 0; n < v->zn; n++)
            assert_int_not_equal(inflate_copy(v->z, n, v->size, NULL), WH_INF_OK);
    }
}

/* Every bit of the first 64 bytes (headers, code tables) and 1,500
 * random bits elsewhere, of each stream: a flip that still gives a
 * stream gives the same output (a padding bit; another output would
 * fail its Adler-32 or size), and none reads or writes outside the
 * buffers. */
static void bit_flips(void **state) {
    (void)state;
    uint32_t seed = 12345;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const struct vector *v = &vectors[i];
        uint8_t *z = malloc(v->zn);
        assert_non_null(z);
        memcpy(z, v->z, v->zn);
        size_t head = v->zn < 64 ? v->zn : 64;
        for (size_t k = 0; k < head * 8 + 1500; k++) {
            size_t bit = k < head * 8 ? k : 0;
            if (k >= head * 8) {
                seed = seed * 1103515245u + 12345u;
                bit = (seed >> 8) % (v->zn * 8);
            }
            z[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            uint64_t h = v->fnv;
            int rc = inflate_copy(z, v->zn, v->size, &h);
            assert_true(rc >= WH_INF_OK && rc <= WH_INF_SIZE);
            assert_true(rc != WH_INF_OK || h == v->fnv);
            z[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        free(z);
    }
}

/* Random bytes behind a valid header, into outputs of several sizes. */
static void random_streams(void **state) {
    (void)state;
    uint32_t seed = 777;
    uint8_t z[600];
    for (int t = 0; t < 20000; t++) {
        size_t n = 2 + (size_t)(t % 598);
        z[0] = 0x78;
        z[1] = 0x9c;
        for (size_t i = 2; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            z[i] = (uint8_t)(seed >> 16);
        }
        int rc = inflate_copy(z, n, (size_t)(t % 7) * 300, NULL);
        assert_true(rc >= WH_INF_OK && rc <= WH_INF_SIZE);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zlib_streams),       cmocka_unit_test(declared_size_off_by_one),
        cmocka_unit_test(adler32),            cmocka_unit_test(bad_trailer),
        cmocka_unit_test(hand_made),          cmocka_unit_test(block_sequences),
        cmocka_unit_test(bad_headers),
        cmocka_unit_test(truncations),        cmocka_unit_test(bit_flips),
        cmocka_unit_test(random_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
