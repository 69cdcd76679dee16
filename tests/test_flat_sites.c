/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_flat_sites.c - ABI v3 flat site words (whence_abi.h, WHENCE_SITE_FLAT)
 * and shared module keys.  A flat word carries its own line and column and
 * is always a non-inlined call in the labelled function's own file, so the
 * runtime must name it without touching the loc table: exact lines and
 * columns (line 0 = the function's first line, the largest line and
 * column), one logical frame even next to inline chains in one function,
 * the reserved line 0xfffff dropped as a bad loc, and byte-identical tables
 * with one key (one source in two objects, differing only in flat words)
 * shared silently while different ones still collide.
 */
#include "test_synth.h"

static uint32_t flat(uint32_t line, uint32_t col) {
    return WHENCE_SITE_FLAT | line << WHENCE_SITE_FLAT_COL_BITS | col;
}

/* The line-0xfffff word: reserved, so it can never be a real position. */
#define FLAT_BAD (WHENCE_SITE_FLAT | WHENCE_SITE_FLAT_LINE_LIMIT << WHENCE_SITE_FLAT_COL_BITS)

static int line_at(const struct img *g, size_t off) {
    uintptr_t pc = img_pc(g, off);
    const whence_func *f = whence_func_for_pc(pc);
    assert_non_null(f);
    return whence_func_line(f, pc, NULL);
}

/* Every field: a flat word must not leak a table loc's column, file or
 * inlined flag. */
static void expect_frame(const whence_frame *fr, uintptr_t pc, const char *fn, const char *file,
                         int line, int col, bool inlined, uintptr_t entry) {
    assert_int_equal(fr->pc, pc);
    assert_string_equal(fr->function, fn);
    assert_string_equal(fr->file, file);
    assert_int_equal(fr->line, line);
    assert_int_equal(fr->column, col);
    assert_int_equal(fr->inlined, inlined);
    assert_int_equal(fr->entry, entry);
}

/* Exactly n frames: a flat site must not grow a phantom inline frame. */
static void frames_of(uintptr_t ra, whence_frame *out, int n) {
    whence_frames it;
    whence_frame extra;
    whence_frames_init(&it, &ra, 1);
    for (int i = 0; i < n; i++)
        assert_true(whence_frames_next(&it, &out[i]));
    assert_false(whence_frames_next(&it, &extra));
}

static void test_flat_lines_and_columns(void **state) {
    (void)state;
    struct img *g = img_new(4096, 2, 8, 8192);
    struct mb *m = mb_new(0xf1a7, "flat.c");
    uint32_t s = mb_subprog(m, "f", "flat.c", 10);
    img_fn(g, 0, 200, 0xf1a7, s);
    img_site(g, 20, flat(12, 5));
    /* line 0 must read as the first line (10), not as "no new site" (12) */
    img_site(g, 60, flat(0, 7));
    /* the widest fields: bit 30 is set here, which a line record's tag uses */
    img_site(g, 100, flat(WHENCE_SITE_FLAT_LINE_LIMIT - 1, WHENCE_SITE_FLAT_COL_MAX));
    img_mod(g, m);
    struct cap c;
    cap_begin(&c);
    img_register(g);
    assert_int_equal(line_at(g, 5), 10);
    assert_int_equal(line_at(g, 20), 12);
    assert_int_equal(line_at(g, 59), 12);
    assert_int_equal(line_at(g, 60), 10);
    assert_int_equal(line_at(g, 99), 10);
    assert_int_equal(line_at(g, 100), 0xffffe);
    assert_int_equal(line_at(g, 199), 0xffffe);
    char *err = cap_end(&c);
    assert_string_equal(err, "");
    free(err);

    whence_frame fr;
    uintptr_t e = img_pc(g, 0);
    frames_of(img_pc(g, 25), &fr, 1);
    expect_frame(&fr, img_pc(g, 24), "f", "flat.c", 12, 5, false, e);
    frames_of(img_pc(g, 65), &fr, 1);
    expect_frame(&fr, img_pc(g, 64), "f", "flat.c", 10, 7, false, e);
    frames_of(img_pc(g, 105), &fr, 1);
    expect_frame(&fr, img_pc(g, 104), "f", "flat.c", 0xffffe, 2047, false, e);
    /* Go's rule: whence_func_line(frame.func, frame.pc) is frame.line */
    assert_int_equal(whence_func_line(fr.func, fr.pc, NULL), 0xffffe);
    free(m);
}

/* A flat site next to an inline chain makes the function non-flat (its
 * frames need a site lookup); the flat site itself must stay one frame. */
static void test_mixed_with_inline_chain(void **state) {
    (void)state;
    struct img *g = img_new(4096, 2, 8, 8192);
    struct mb *m = mb_new(0x313d, "mix.c");
    uint32_t outer = mb_subprog(m, "outer", "mix.c", 30);
    uint32_t inner = mb_subprog(m, "inner", "inl.h", 5);
    uint32_t call = mb_loc(m, outer, 34, 9, -1);
    uint32_t in = mb_loc(m, inner, 7, 3, (int)call);
    img_fn(g, 0, 200, 0x313d, outer);
    img_site(g, 20, flat(32, 4));
    img_site(g, 80, in);
    img_mod(g, m);
    img_register(g);
    uintptr_t e = img_pc(g, 0);
    whence_frame fr[3];
    frames_of(img_pc(g, 25), fr, 1);
    expect_frame(&fr[0], img_pc(g, 24), "outer", "mix.c", 32, 4, false, e);
    frames_of(img_pc(g, 85), fr, 2);
    expect_frame(&fr[0], img_pc(g, 84), "inner", "inl.h", 7, 3, true, e);
    expect_frame(&fr[1], wh_token_make(img_pc(g, 84), 1), "outer", "mix.c", 34, 9, false, e);
    assert_int_equal(whence_func_line(fr[1].func, fr[1].pc, NULL), 34);
    /* both entries in one walk: three logical frames, in order */
    uintptr_t ras[2] = {img_pc(g, 85), img_pc(g, 25)};
    whence_frames it;
    whence_frame x;
    whence_frames_init(&it, ras, 2);
    int lines[] = {7, 34, 32}, n = 0;
    while (whence_frames_next(&it, &x)) {
        assert_true(n < 3);
        assert_int_equal(x.line, lines[n++]);
    }
    assert_int_equal(n, 3);
    assert_int_equal(line_at(g, 30), 32);
    assert_int_equal(line_at(g, 90), 7);
    free(m);
}

static void test_reserved_line_dropped(void **state) {
    (void)state;
    struct img *g = img_new(4096, 2, 8, 8192);
    struct mb *m = mb_new(0xbad1, "bad.c");
    uint32_t f = mb_subprog(m, "f", "bad.c", 50);
    uint32_t h = mb_subprog(m, "h", "bad.c", 60);
    img_fn(g, 0, 200, 0xbad1, f);
    img_fn(g, 300, 100, 0xbad1, h);
    img_site(g, 20, flat(52, 1));
    img_site(g, 60, FLAT_BAD);
    img_site(g, 100, flat(55, 2));
    img_site(g, 310, flat(61, 1));
    img_mod(g, m);
    struct cap c;
    cap_begin(&c);
    img_register(g);
    /* past the ignored label, the one before it still answers */
    int l70 = line_at(g, 70);
    char *err = cap_end(&c);
    assert_int_equal(count_str(err, "whence:"), 1);
    assert_non_null(strstr(err, "ignoring a site record that names no position (the reserved line)"));
    free(err);
    assert_int_equal(l70, 52);
    assert_int_equal(line_at(g, 100), 55);
    assert_int_equal(line_at(g, 320), 61);
    whence_frame fr;
    frames_of(img_pc(g, 65), &fr, 1);
    expect_frame(&fr, img_pc(g, 64), "f", "bad.c", 52, 1, false, img_pc(g, 0));
    free(m);
}

/* One source in two objects: the same table twice, with another module's
 * table between them so the copies only meet after sorting by key. */
static void test_identical_tables_share_key(void **state) {
    (void)state;
    struct img *g = img_new(4096, 8, 8, 1 << 16);
    struct mb *t = mb_new(0x5a5e, "twice.c");
    uint32_t f = mb_subprog(t, "f", "twice.c", 10);
    uint32_t s = mb_subprog(t, "s", "twice.c", 20);
    uint32_t l = mb_loc(t, s, 22, 3, -1);
    struct mb *o = mb_new(0x0713, "other.c");
    mb_subprog(o, "h", "other.c", 40);
    img_fn(g, 0, 100, 0x5a5e, f);   /* object 1 */
    img_fn(g, 100, 100, 0x5a5e, s);
    img_fn(g, 200, 100, 0x5a5e, f); /* object 2 */
    img_fn(g, 300, 100, 0x5a5e, s);
    img_fn(g, 400, 100, 0x0713, 0);
    img_site(g, 10, flat(11, 1));
    img_site(g, 110, l);
    img_site(g, 210, flat(12, 2));
    img_site(g, 310, l);
    img_mod(g, t);
    img_mod(g, o);
    img_mod(g, t);
    struct cap c;
    cap_begin(&c);
    img_register(g);
    const whence_func *fn[5];
    for (int i = 0; i < 5; i++)
        fn[i] = whence_func_for_pc(img_pc(g, (size_t)i * 100 + 50));
    char *err = cap_end(&c);
    assert_string_equal(err, "");
    free(err);
    const char *names[] = {"f", "s", "f", "s", "h"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(whence_func_name(fn[i]), names[i]);
        assert_int_equal(whence_func_entry(fn[i]), img_pc(g, (size_t)i * 100));
    }
    assert_int_equal(line_at(g, 50), 11);
    assert_int_equal(line_at(g, 250), 12);
    assert_int_equal(line_at(g, 150), 22);
    assert_int_equal(line_at(g, 350), 22);
    assert_int_equal(line_at(g, 450), 40);
    whence_frame fr;
    frames_of(img_pc(g, 315), &fr, 1);
    expect_frame(&fr, img_pc(g, 314), "s", "twice.c", 22, 3, false, img_pc(g, 300));
    free(t);
    free(o);
}

/* Same key, same size, one byte apart: a collision, said once; the first
 * table keeps the key. */
static void test_different_tables_collide(void **state) {
    (void)state;
    struct img *g = img_new(4096, 4, 4, 1 << 16);
    struct mb *a = mb_new(0xc011, "same.c"), *b = mb_new(0xc011, "same.c");
    mb_subprog(a, "f", "same.c", 10);
    mb_subprog(b, "f", "same.c", 11);
    assert_int_equal(mb_size(a), mb_size(b));
    img_fn(g, 0, 100, 0xc011, 0);
    img_mod(g, a);
    img_mod(g, b);
    struct cap c;
    cap_begin(&c);
    img_register(g);
    img_accelerate(img_pc(g, 50));
    const whence_func *f = whence_func_for_pc(img_pc(g, 50));
    char *err = cap_end(&c);
    assert_int_equal(count_str(err, "whence:"), 1);
    assert_int_equal(count_str(err, "already taken"), 1);
    free(err);
    assert_string_equal(whence_func_name(f), "f");
    assert_int_equal(whence_func_line(f, img_pc(g, 50), NULL), 10);
    free(a);
    free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flat_lines_and_columns),
        cmocka_unit_test(test_mixed_with_inline_chain),
        cmocka_unit_test(test_reserved_line_dropped),
        cmocka_unit_test(test_identical_tables_share_key),
        cmocka_unit_test(test_different_tables_collide),
    };
    return cmocka_run_group_tests_name("flat_sites", tests, NULL, NULL);
}
