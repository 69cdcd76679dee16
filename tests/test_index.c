/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_index.c - the pc -> function index: records in any order come out
 * sorted; every byte of every function finds it through the buckets; gaps,
 * the bytes before and after the text and random numbers find nothing; a
 * return address at a function's end finds it by the pc-1 rule; overlapping
 * and otherwise bad function records are dropped with one message.
 */
#include "test_synth.h"
#include "test_arch.h"

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ~1,500 functions with sizes from 1 byte to 6 KiB, gaps of 0..300 bytes,
 * and runs of 1..3-byte functions packed into single sub-buckets. */
static void test_every_byte(void **state) {
    (void)state;
    enum { TEXT = 1 << 20, MAXF = 4000 };
    struct img *g = img_new(TEXT, MAXF, 0, 1 << 20);
    struct mb *m = mb_new(0x1111, "every.c");
    static int32_t ref[TEXT];
    static uint32_t fent[MAXF], fsize[MAXF];
    for (size_t i = 0; i < TEXT; i++)
        ref[i] = -1;
    uint32_t nf = 0, off = 37;
    char name[32];
    while (nf < 1500 && off < TEXT - 8192) {
        uint32_t size;
        uint64_t r = rng();
        if (nf % 200 < 60)
            size = 1 + (uint32_t)(r % 3); /* a run of tiny functions */
        else
            size = 1 + (uint32_t)(r % 6000);
        fent[nf] = off;
        fsize[nf] = size;
        for (uint32_t b = 0; b < size; b++)
            ref[off + b] = (int32_t)nf;
        snprintf(name, sizeof name, "f%u", nf);
        assert_int_equal(mb_subprog(m, name, "every.c", nf + 1), nf);
        off += size + (nf % 200 < 60 ? 0 : (uint32_t)(rng() % 300));
        nf++;
    }
    /* records in a shuffled order */
    uint32_t order[MAXF];
    for (uint32_t i = 0; i < nf; i++)
        order[i] = i;
    for (uint32_t i = nf - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(rng() % (i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < nf; i++)
        img_fn(g, fent[order[i]], fsize[order[i]], 0x1111, order[i]);
    /* Every third function (where a call fits) ends in a call, so that its
     * end can be a return address (a noreturn call last). */
    static bool ends_call[MAXF];
    for (uint32_t i = 0; i < nf; i++)
        if (i % 3 == 0 && t_call_fits(fent[i] + fsize[i], fsize[i])) {
            t_put_call_end(g->text, fent[i] + fsize[i]);
            ends_call[i] = true;
        }
    img_mod(g, m);
    img_register(g);

    for (uint32_t o = 0; o < off + 64; o++) {
        const whence_func *f = whence_func_for_pc(img_pc(g, o));
        int32_t want = ref[o];
        /* o is the end of a function ending in a call: a return address */
        if (want < 0 && o > 0 && ref[o - 1] >= 0 && ends_call[ref[o - 1]])
            want = ref[o - 1];
        if (want < 0) {
            if (f)
                fail_msg("offset %u: expected nothing, got %s", o, whence_func_name(f));
            continue;
        }
        if (!f)
            fail_msg("offset %u: expected f%d, got nothing", o, want);
        assert_int_equal(whence_func_entry(f), img_pc(g, fent[want]));
        snprintf(name, sizeof name, "f%d", want);
        assert_string_equal(whence_func_name(f), name);
    }
    /* before the text, far after it */
    assert_null(whence_func_for_pc(img_pc(g, 0)));
    assert_null(whence_func_for_pc(img_pc(g, 36)));
    assert_null(whence_func_for_pc(img_pc(g, TEXT - 1)));

    /* The first WH_RAW_LOOKUPS lookups read the records; then the image
     * gets its buckets, which copy no record: 56 bytes per 4 KiB of text. */
    uint32_t n = atomic_load(&wh_nslots);
    bool seen = false;
    for (uint32_t k = 0; k < WH_RAW_LOOKUPS + 1; k++)
        assert_non_null(whence_func_for_pc(img_pc(g, 64)));
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *sl = wh_slot_at(i);
        const struct wh_accel *ax = atomic_load(&sl->ax);
        if (atomic_load(&sl->live) && atomic_load(&sl->mod_start) == (uintptr_t)g->mod) {
            assert_non_null(ax);
            assert_int_equal(ax->nf, nf);
            assert_non_null(ax->fperm); /* the records were shuffled */
            assert_true(ax->map_size <= 4096 + ax->nbuckets * WH_BUCKET_BYTES);
            seen = true;
        }
    }
    assert_true(seen);
    free(m);
}

/* A function pointer is its entry: found exactly even when the previous
 * function ends right there; as a return address (token) it is the end of
 * the previous one. */
static void test_adjacent(void **state) {
    (void)state;
    struct img *g = img_new(4096, 4, 0, 8192);
    struct mb *m = mb_new(0x2222, "adj.c");
    mb_subprog(m, "a", "adj.c", 1);
    mb_subprog(m, "b", "adj.c", 2);
    img_fn(g, 100, 16, 0x2222, 0);
    img_fn(g, 116, 16, 0x2222, 1);
    img_mod(g, m);
    img_register(g);
    const whence_func *b = whence_func_for_pc(img_pc(g, 116));
    assert_string_equal(whence_func_name(b), "b");
    const whence_func *a = whence_func_for_pc(wh_token_make(img_pc(g, 116), 1));
    assert_string_equal(whence_func_name(a), "a");
    /* the end of the last function: a return address only after a call */
    assert_null(whence_func_for_pc(img_pc(g, 132)));
    assert_string_equal(whence_func_name(whence_func_for_pc(wh_token_make(img_pc(g, 132), 1))),
                        "b");
    t_put_call_end(g->text, 132); /* b ends in a call */
    assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(g, 132))), "b");
    assert_null(whence_func_for_pc(img_pc(g, 133)));
    assert_null(whence_func_for_pc(img_pc(g, 99)));
    /* bit 63 set: never an entry */
    assert_null(whence_func_for_pc(img_pc(g, 120) | (UINT64_C(1) << 63)));
    free(m);
}

static void test_overlap_and_bad_records(void **state) {
    (void)state;
    struct img *g = img_new(8192, 16, 0, 8192);
    struct mb *m = mb_new(0x3333, "bad.c");
    for (int i = 0; i < 4; i++) {
        char n[8];
        snprintf(n, sizeof n, "g%d", i);
        mb_subprog(m, n, "bad.c", 10 + i);
    }
    img_fn(g, 0, 100, 0x3333, 0);      /* overlapped by g1 alone: which one is */
    img_fn(g, 50, 100, 0x3333, 1);     /* wrong is not known, both dropped */
    img_fn(g, 200, 100, 0x3333, 2);    /* kept */
    img_fn(g, 200, 100, 0x3333, 2);    /* exact duplicate: silently one */
    img_fn(g, 400, 100, 0x9999, 3);    /* unknown module key */
    img_fn(g, 600, 100, 0x3333, 77);   /* subprog out of range */
    img_fn(g, 800, 0, 0x3333, 3);      /* size 0 */
    img_fn(g, 900, 0x7fffffff, 0x3333, 3); /* absurd size */
    img_fn(g, 1000, 50, 0x3333, 3);    /* kept */
    img_mod(g, m);
    struct cap c;
    cap_begin(&c);
    img_register(g);
    const whence_func *f = whence_func_for_pc(img_pc(g, 60));
    (void)whence_func_for_pc(img_pc(g, 1010));
    (void)whence_func_for_pc(img_pc(g, 1020));
    char *err = cap_end(&c);
    assert_int_equal(count_str(err, "whence:"), 1);
    assert_non_null(strstr(err, "dropped 6 of 9 function records (1 with an unknown module key, "
                                "1 with a bad subprog, 2 with a bad size, 2 overlapping another)"));
    free(err);
    assert_null(f);
    assert_null(whence_func_for_pc(img_pc(g, 120)));
    assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(g, 250))), "g2");
    assert_null(whence_func_for_pc(img_pc(g, 450)));
    assert_null(whence_func_for_pc(img_pc(g, 650)));
    assert_null(whence_func_for_pc(img_pc(g, 800)));
    assert_null(whence_func_for_pc(img_pc(g, 950)));
    assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(g, 1049))), "g3");
    free(m);
}

/* Anything at all: no crash, and NULL / "" / 0 / "?" where nothing is known. */
static void test_garbage(void **state) {
    (void)state;
    assert_null(whence_func_for_pc(0));
    assert_null(whence_func_for_pc(1));
    assert_null(whence_func_for_pc(UINTPTR_MAX));
    assert_null(whence_func_for_pc((uintptr_t)&test_garbage));
    for (int i = 0; i < 100000; i++) {
        uintptr_t pc = (uintptr_t)rng();
        if (i & 1)
            pc &= (UINT64_C(1) << 47) - 1;
        const whence_func *f = whence_func_for_pc(pc);
        if (f) /* only possible if it landed in a registered text */
            assert_true(whence_func_entry(f) != 0);
    }
    assert_string_equal(whence_func_name(NULL), "");
    assert_int_equal(whence_func_entry(NULL), 0);
    const char *file = NULL;
    assert_int_equal(whence_func_line(NULL, 1234, &file), 0);
    assert_string_equal(file, "?");
    assert_int_equal(whence_func_line(NULL, 1234, NULL), 0);
    /* forged whence_func pointers: rejected, not followed */
    static char junk[64];
    const whence_func *forged[] = {(const whence_func *)junk, (const whence_func *)(uintptr_t)8,
                                   (const whence_func *)(uintptr_t)UINTPTR_MAX};
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        assert_string_equal(whence_func_name(forged[i]), "");
        assert_int_equal(whence_func_entry(forged[i]), 0);
        assert_int_equal(whence_func_line(forged[i], 0, &file), 0);
        assert_string_equal(file, "?");
    }
    /* a pointer into the middle of a real record, or just past the last */
    uint32_t n = atomic_load(&wh_nslots);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *sl = wh_slot_at(i);
        if (atomic_load(&sl->live) && sl->nfn) {
            const whence_func *mid = (const whence_func *)(sl->fn_start + 4);
            assert_string_equal(whence_func_name(mid), "");
            const whence_func *past =
                (const whence_func *)(sl->fn_start + (uintptr_t)sl->nfn * WHENCE_FN_RECORD_SIZE);
            assert_string_equal(whence_func_name(past), "");
        }
    }
}

/* An image with records but nothing usable, and one with no records. */
static void test_empty_images(void **state) {
    (void)state;
    struct img *g = img_new(4096, 4, 4, 8192);
    struct mb *m = mb_new(0x4444, "empty.c");
    img_mod(g, m);
    img_register(g);
    assert_null(whence_func_for_pc(img_pc(g, 10)));
    /* mod table missing entirely: ignored silently */
    __whence_register(WHENCE_ABI_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    assert_null(whence_func_for_pc(img_pc(g, 10)));
    free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_adjacent),
        cmocka_unit_test(test_overlap_and_bad_records),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_empty_images),
    };
    return cmocka_run_group_tests_name("index", tests, NULL, NULL);
}
