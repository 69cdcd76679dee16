/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_lines.c - pc -> file:line and inline chains from site records: the
 * greatest label <= pc-1 (pc at the entry), the function's first line when
 * no site precedes the pc or the loc's line is 0, tokens selecting an outer
 * frame of the chain, whence_frames expanding entries into logical frames,
 * and bad site records being dropped with one message.
 */
#include "test_synth.h"

enum { S_OUTER, S_INL, S_DEEP, S_NOLINE, S_NOSITES };
static struct img *g;
static uint32_t L0, L2, L5, L6, L7;

static int setup(void **state) {
    (void)state;
    g = img_new(8192, 8, 64, 16384);
    struct mb *m = mb_new(0x5555, "lines.c");
    mb_subprog(m, "outer", "outer.c", 10);
    mb_subprog(m, "inl", "inl.h", 100);
    mb_subprog(m, "deep", "deep.h", 200);
    mb_subprog(m, "noline", "", 0);
    mb_subprog(m, "nosites", "ns.c", 50);
    L0 = mb_loc(m, S_OUTER, 12, 3, -1);
    uint32_t L1 = mb_loc(m, S_OUTER, 15, 5, -1);
    L2 = mb_loc(m, S_INL, 103, 7, (int)L1);
    uint32_t L3 = mb_loc(m, S_OUTER, 18, 0, -1);
    uint32_t L4 = mb_loc(m, S_INL, 0, 0, (int)L3);
    L5 = mb_loc(m, S_DEEP, 205, 9, (int)L4);
    L6 = mb_loc(m, S_NOLINE, 0, 0, -1);
    L7 = mb_loc(m, S_OUTER, 0, 0, -1);
    img_fn(g, 0, 200, 0x5555, S_OUTER);
    img_fn(g, 300, 100, 0x5555, S_NOSITES);
    img_fn(g, 500, 100, 0x5555, S_NOLINE);
    /* sites out of order on purpose */
    img_site(g, 80, L5);
    img_site(g, 10, L0);
    img_site(g, 150, L7);
    img_site(g, 40, L2);
    img_site(g, 520, L6);
    img_mod(g, m);
    img_register(g);
    free(m);
    return 0;
}

static int line_at(uintptr_t pc, const char **file) {
    const whence_func *f = whence_func_for_pc(pc);
    assert_non_null(f);
    return whence_func_line(f, pc, file);
}

static void test_func_line(void **state) {
    (void)state;
    const char *file;
    const whence_func *outer = whence_func_for_pc(img_pc(g, 0));
    assert_string_equal(whence_func_name(outer), "outer");
    assert_int_equal(whence_func_line(outer, img_pc(g, 0), &file), 10); /* entry */
    assert_string_equal(file, "outer.c");
    /* A plain pc is an instruction (Go's FileLine); return addresses are
     * looked up at ra-1 (tokens, whence_frames). */
    assert_int_equal(line_at(img_pc(g, 5), &file), 10);   /* before any site */
    assert_int_equal(line_at(img_pc(g, 9), &file), 10);   /* just before the label */
    assert_int_equal(line_at(img_pc(g, 10), &file), 12);  /* on the label */
    assert_int_equal(line_at(img_pc(g, 11), &file), 12);
    assert_int_equal(line_at(img_pc(g, 39), &file), 12);
    assert_int_equal(line_at(img_pc(g, 40), &file), 103); /* innermost of the chain */
    assert_string_equal(file, "inl.h");
    assert_int_equal(whence_func_line(outer, wh_token_make(img_pc(g, 41), 1), &file), 15);
    assert_string_equal(file, "outer.c");
    assert_int_equal(whence_func_line(outer, wh_token_make(img_pc(g, 41), 9), &file), 15);
    assert_int_equal(line_at(img_pc(g, 81), &file), 205);
    assert_string_equal(file, "deep.h");
    assert_int_equal(whence_func_line(outer, wh_token_make(img_pc(g, 81), 1), &file), 0);
    assert_string_equal(file, "inl.h"); /* line 0: not known (not inl's first line) */
    assert_int_equal(whence_func_line(outer, wh_token_make(img_pc(g, 81), 2), &file), 18);
    assert_int_equal(line_at(img_pc(g, 151), &file), 0); /* a call at line 0: not known */
    assert_null(whence_func_for_pc(img_pc(g, 200))); /* the end, not after a call */
    assert_int_equal(whence_func_line(outer, img_pc(g, 200), &file), 0); /* after a line-0 call */
    assert_int_equal(whence_func_line(outer, img_pc(g, 350), &file), 10); /* not in outer */
    assert_string_equal(file, "outer.c");
    assert_int_equal(line_at(img_pc(g, 350), &file), 50);
    assert_string_equal(file, "ns.c");
    assert_int_equal(line_at(img_pc(g, 521), &file), 0); /* nothing known */
    assert_string_equal(file, "?");
    assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(g, 521))), "noline");
    assert_int_equal(line_at(img_pc(g, 521), NULL), 0);
}

/* pc: the frame's pc, which for a return address is ra-1 (Go's Frame.PC). */
static void check(const whence_frame *f, uintptr_t pc, const char *fn, const char *file,
                  int line, int col, bool inlined, size_t entry_off) {
    assert_int_equal(f->pc, pc);
    assert_string_equal(f->function, fn);
    assert_string_equal(f->file, file);
    assert_int_equal(f->line, line);
    assert_int_equal(f->column, col);
    assert_int_equal(f->inlined, inlined);
    assert_int_equal(f->entry, img_pc(g, entry_off));
    assert_non_null(f->func);
    assert_int_equal(whence_func_entry(f->func), img_pc(g, entry_off));
    assert_ptr_equal(whence_func_for_pc(f->pc), f->func);
}

static void test_frames(void **state) {
    (void)state;
    uintptr_t pcs[] = {img_pc(g, 41), wh_token_make(img_pc(g, 81), 1), img_pc(g, 521), 1,
                       wh_token_make(img_pc(g, 41), 5), img_pc(g, 351), 0};
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, 7);
    assert_true(whence_frames_next(&it, &f));
    check(&f, img_pc(g, 40), "inl", "inl.h", 103, 7, true, 0);
    assert_true(whence_frames_next(&it, &f));
    check(&f, wh_token_make(img_pc(g, 40), 1), "outer", "outer.c", 15, 5, false, 0);
    assert_true(whence_frames_next(&it, &f));
    check(&f, wh_token_make(img_pc(g, 80), 1), "inl", "inl.h", 0, 0, true, 0);
    assert_true(whence_frames_next(&it, &f));
    check(&f, wh_token_make(img_pc(g, 80), 2), "outer", "outer.c", 18, 0, false, 0);
    assert_true(whence_frames_next(&it, &f));
    check(&f, img_pc(g, 520), "noline", "?", 0, 0, false, 500);
    assert_true(whence_frames_next(&it, &f)); /* not instrumented: unknown */
    assert_int_equal(f.pc, 0); /* (at its call, as a named frame's: ra - 1) */
    assert_null(f.func);
    assert_string_equal(f.function, "?");
    assert_string_equal(f.file, "?");
    assert_int_equal(f.line, 0);
    assert_int_equal(f.entry, 0);
    /* a token past the chain yields nothing for its entry */
    assert_true(whence_frames_next(&it, &f));
    /* a return address with no label before it: its call is not known */
    check(&f, img_pc(g, 350), "nosites", "ns.c", 0, 0, false, 300);
    assert_true(whence_frames_next(&it, &f)); /* 0 */
    assert_null(f.func);
    assert_false(whence_frames_next(&it, &f));
    assert_false(whence_frames_next(&it, &f));
    assert_null(f.func);
    assert_string_equal(f.function, "?");

    whence_frames_init(&it, NULL, 5);
    assert_false(whence_frames_next(&it, &f));
    whence_frames_init(&it, pcs, -1);
    assert_false(whence_frames_next(&it, &f));
}

/* More than 8 sites: the bisecting path, checked at every byte. */
static void test_many_sites(void **state) {
    (void)state;
    struct img *h = img_new(8192, 4, 512, 65536);
    struct mb *m = mb_new(0x6666, "many.c");
    mb_subprog(m, "big", "many.c", 1);
    uint32_t locs[300];
    for (int i = 0; i < 300; i++)
        locs[i] = mb_loc(m, 0, 1000 + (uint32_t)i, 0, -1);
    img_fn(h, 16, 4000, 0x6666, 0);
    for (int i = 299; i >= 0; i--)
        img_site(h, 16 + 5 + 13 * (size_t)i, locs[i]);
    img_mod(h, m);
    img_register(h);
    const whence_func *f = whence_func_for_pc(img_pc(h, 16));
    for (size_t o = 16; o <= 16 + 4000; o++) {
        int want;
        size_t key = o; /* a plain pc is the instruction itself */
        if (key < 21)
            want = 1;
        else {
            size_t i = (key - 21) / 13;
            want = 1000 + (int)(i < 300 ? i : 299);
        }
        assert_int_equal(whence_func_line(f, img_pc(h, o), NULL), want);
    }
    free(m);
}

/* Sites that do not belong: outside every function, loc out of range, or a
 * loc chain naming another function (what LTO's inlining after a compile-
 * time instrumentation does): the line is not known there (the label before
 * them need not be the inlined call's). */
static void test_bad_sites(void **state) {
    (void)state;
    struct img *h = img_new(4096, 4, 16, 16384);
    struct mb *m = mb_new(0x7777, "sites.c");
    mb_subprog(m, "a", "sites.c", 1);
    mb_subprog(m, "b", "sites.c", 2);
    uint32_t la = mb_loc(m, 0, 5, 0, -1), lb = mb_loc(m, 1, 6, 0, -1);
    uint32_t lab = mb_loc(m, 1, 7, 0, (int)lb); /* chain rooted in b */
    img_fn(h, 0, 100, 0x7777, 0);
    img_fn(h, 200, 100, 0x7777, 1);
    img_site(h, 10, la);    /* good */
    img_site(h, 20, lb);    /* names b inside a */
    img_site(h, 30, lab);   /* chain rooted in b inside a */
    img_site(h, 150, la);   /* in the gap: dropped */
    img_site(h, 210, 999);  /* loc out of range */
    img_site(h, 220, lab);  /* good */
    img_mod(h, m);
    struct cap c;
    cap_begin(&c);
    img_register(h);
    const whence_func *a = whence_func_for_pc(img_pc(h, 0));
    const char *file;
    for (int round = 0; round < 2; round++) { /* from the records, then with buckets */
        assert_int_equal(whence_func_line(a, img_pc(h, 15), NULL), 5);
        assert_int_equal(whence_func_line(a, img_pc(h, 25), NULL), 0);
        assert_int_equal(whence_func_line(a, img_pc(h, 40), NULL), 0);
        const whence_func *b = whence_func_for_pc(img_pc(h, 230));
        assert_int_equal(whence_func_line(b, img_pc(h, 230), &file), 7);
        assert_int_equal(whence_func_line(b, wh_token_make(img_pc(h, 230), 1), &file), 6);
        assert_int_equal(whence_func_line(b, img_pc(h, 215), &file), 2); /* b's first line */
        for (uint32_t k = 0; k < WH_RAW_LOOKUPS; k++)
            (void)whence_func_for_pc(img_pc(h, 230));
    }
    char *err = cap_end(&c);
    if (count_str(err, "whence:") != 2)
        fail_msg("got: %s", err);
    assert_non_null(strstr(err, "ignoring a site record that names no position (loc 999 of 3)"));
    assert_non_null(strstr(err, "dropped 1 of 6 site records (1 outside any function)"));
    free(err);
    free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_func_line),
        cmocka_unit_test(test_frames),
        cmocka_unit_test(test_many_sites),
        cmocka_unit_test(test_bad_sites),
    };
    return cmocka_run_group_tests_name("lines", tests, setup, NULL);
}
