/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_line_records.c - the whence_line word stream (whence_abi.h): pc words
 * followed by one tagged loc word per group, unaligned; merged with call
 * labels into the index.  Checks: exact pcs take line records, return
 * addresses prefer call labels, a call label beats a line record at one pc,
 * and damaged streams (no loc word, a loc word without pcs, zero words, bad
 * locs) are survived with one message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_synth.h"

/* A line stream under construction: pc words (relative to their own place,
 * so the stream lives inside the image's mapping, like a real section) and
 * tagged loc words, written at an odd offset to exercise unaligned reads. */
struct ls {
    unsigned char *buf;
    size_t n;
};

/* The stream goes into the image's site area, past its call labels. */
static void ls_init(struct ls *l, struct img *g) {
    l->buf = g->site + 256;
    l->n = 0;
    assert_true(256 + 1 + 256 <= g->site_cap);
}

static void ls_pc(struct ls *l, const struct img *g, size_t off) {
    unsigned char *w = l->buf + 1 + l->n;
    int32_t rel = (int32_t)((intptr_t)(g->text + off) - (intptr_t)w);
    memcpy(w, &rel, 4);
    l->n += 4;
}

static void ls_word(struct ls *l, uint32_t v) {
    memcpy(l->buf + 1 + l->n, &v, 4);
    l->n += 4;
}

static void ls_loc(struct ls *l, uint32_t loc) { ls_word(l, WHENCE_LINE_LOC_TAG | loc); }

static void reg(struct img *g, struct ls *l) {
    __whence_register(WHENCE_ABI_VERSION, g->fn, g->fn + g->fn_len, g->site, g->site + g->site_len,
                      g->mod, g->mod + g->mod_len, l->buf + 1, l->buf + 1 + l->n);
}

static int line_of(uintptr_t pc, uint32_t k) {
    const whence_func *f = whence_func_for_pc(pc);
    assert_non_null(f);
    return whence_func_line(f, k ? wh_token_make(pc, k) : pc, NULL);
}

static void test_exact_and_return_addresses(void **state) {
    (void)state;
    struct img *g = img_new(4096, 2, 80, 8192);
    struct mb *m = mb_new(0xa1, "lr.c");
    uint32_t s = mb_subprog(m, "f", "lr.c", 10);
    uint32_t call = mb_loc(m, s, 20, 3, -1);
    uint32_t l30 = mb_loc(m, s, 30, 5, -1);
    uint32_t l40 = mb_loc(m, s, 40, 5, -1);
    img_fn(g, 0, 200, 0xa1, s);
    img_site(g, 50, call);          /* label before a call returning at 60 */
    img_mod(g, m);
    struct ls l;
    ls_init(&l, g);
    ls_pc(&l, g, 55); ls_pc(&l, g, 56); ls_loc(&l, l30); /* two pcs, one loc */
    ls_pc(&l, g, 100); ls_loc(&l, l40);
    ls_pc(&l, g, 50); ls_loc(&l, l40); /* same pc as the call label */
    reg(g, &l);
    /* plain pcs are instructions */
    assert_int_equal(line_of(img_pc(g, 10), 0), 10);
    assert_int_equal(line_of(img_pc(g, 50), 0), 20);  /* the call label wins at one pc */
    assert_int_equal(line_of(img_pc(g, 55), 0), 30);
    assert_int_equal(line_of(img_pc(g, 57), 0), 30);
    assert_int_equal(line_of(img_pc(g, 100), 0), 40);
    assert_int_equal(line_of(img_pc(g, 150), 0), 40);
    /* a return address (token form) takes the call label below ra-1, not
     * the line records between the label and the return address */
    assert_int_equal(line_of(img_pc(g, 60), 1), 20); /* k past a flat chain: clamped */
    const whence_func *f = whence_func_for_pc(img_pc(g, 60));
    whence_frames it;
    whence_frame fr;
    uintptr_t ra = img_pc(g, 60);
    whence_frames_init(&it, &ra, 1);
    assert_true(whence_frames_next(&it, &fr));
    assert_int_equal(fr.line, 20);
    assert_ptr_equal(fr.func, f);
    /* whence_func_line on that frame's pc (ra-1) names the instruction
     * there: here a line record (56) lies between the label and the call,
     * so it is that record's line -- with line records on, frame.line (the
     * call) is the answer to use for a calling frame */
    assert_int_equal(fr.pc, ra - 1);
    assert_int_equal(whence_func_line(fr.func, fr.pc, NULL), 30);
    free(m);
}

static void test_damaged_streams(void **state) {
    (void)state;
    struct img *g = img_new(4096, 2, 80, 8192);
    struct mb *m = mb_new(0xa2, "bad.c");
    uint32_t s = mb_subprog(m, "g", "bad.c", 7);
    uint32_t l9 = mb_loc(m, s, 9, 1, -1);
    img_fn(g, 0, 100, 0xa2, s);
    img_mod(g, m);
    struct ls l;
    ls_init(&l, g);
    ls_loc(&l, l9);                   /* a loc word with no pc: skipped */
    ls_word(&l, 0);                   /* a zero word: padding */
    ls_loc(&l, l9);
    ls_pc(&l, g, 20); ls_loc(&l, l9);  /* good */
    ls_pc(&l, g, 40); ls_loc(&l, 77);  /* loc out of range: dropped */
    ls_pc(&l, g, 500); ls_loc(&l, l9); /* outside any function: dropped */
    ls_pc(&l, g, 60); ls_pc(&l, g, 61); /* no loc word at the end: dropped */
    struct cap c;
    cap_begin(&c);
    reg(g, &l);
    assert_int_equal(line_of(img_pc(g, 30), 0), 9);
    assert_int_equal(line_of(img_pc(g, 45), 0), 9);  /* the bad group left no record */
    assert_int_equal(line_of(img_pc(g, 10), 0), 7);
    char *err = cap_end(&c);
    assert_int_equal(count_str(err, "whence: image at"), 1); /* one line for all of it */
    assert_true(count_str(err, "with a bad loc") == 1);
    free(err);
    free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_and_return_addresses),
        cmocka_unit_test(test_damaged_streams),
    };
    return cmocka_run_group_tests_name("line_records", tests, NULL, NULL);
}
