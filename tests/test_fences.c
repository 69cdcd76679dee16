/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_fences.c - fence records (subprog WHENCE_FN_FENCE: the range of a
 * body the pass did not instrument, passes/split.c) among function records.
 * A pc in a fence finds no function, before and after the image's buckets
 * exist, with nothing said on stderr and without making the image's records
 * look bad (the order check keeps them as they are: no buckets built early);
 * a fence pointer is no whence_func; fences count as ranges for the order
 * and overlap checks; a frame-slot module's subprog map ignores them.  A pc
 * in no record, in an image that cannot have fragments (no .eh_frame of its
 * own: a synthetic one), is found out once and builds nothing.
 */
#include "test_synth.h"
#include "test_arch.h"

#include <sys/syscall.h>
#include <unistd.h>

#define KEY 0x5151

/* f0 [0,64) fence [64,96) f1 [96,160) fence [160,200) gap f2 [300,340), end
 * marker fence [340,351): records in address order, as linked. */
static struct img *fenced_image(struct mb **mp, uint32_t flags, size_t *mod_at) {
    struct img *g = img_new(4096, 8, 0, 8192);
    struct mb *m = mb_new(KEY, "fences.c");
    m->flags |= flags | WHENCE_MOD_FENCED;
    mb_subprog(m, "f0", "fences.c", 10);
    mb_subprog(m, "f1", "fences.c", 20);
    mb_subprog(m, "f2", "fences.c", 30);
    mb_loc(m, 1, 21, 3, -1); /* a call of f1 */
    img_fn(g, 0, 64, KEY, 0);
    img_fn(g, 64, 32, KEY, WHENCE_FN_FENCE);
    img_fn(g, 96, 64, KEY, 1);
    img_fn(g, 160, 40, KEY, WHENCE_FN_FENCE);
    img_fn(g, 300, 40, KEY, 2);
    img_fn(g, 340, 11, KEY, WHENCE_FN_FENCE);
    t_put_call_end(g->text, 64); /* f0 ends in a call */
    size_t at = img_mod(g, m);
    if (mod_at)
        *mod_at = at;
    *mp = m;
    return g;
}

static const char *name_at(const struct img *g, size_t off) {
    const whence_func *f = whence_func_for_pc(img_pc(g, off));
    return f ? whence_func_name(f) : NULL;
}

static void check_lookups(const struct img *g) {
    assert_string_equal(name_at(g, 0), "f0");
    assert_string_equal(name_at(g, 63), "f0");
    assert_null(name_at(g, 64)); /* fence */
    assert_null(name_at(g, 95));
    assert_string_equal(name_at(g, 96), "f1");
    assert_null(name_at(g, 170)); /* fence */
    assert_null(name_at(g, 250)); /* gap */
    assert_string_equal(name_at(g, 339), "f2");
    assert_null(name_at(g, 345)); /* end marker */
    /* a return address at a fence's start is the end of the function before */
    assert_string_equal(
        whence_func_name(whence_func_for_pc(wh_token_make(img_pc(g, 64), 1))), "f0");
    /* ... and one in a fence is nobody's */
    assert_null(whence_func_for_pc(wh_token_make(img_pc(g, 80), 1)));
    /* a plain pc at a fence's start is the fenced body's, although f0 ends
     * in a call (without the fence: a return address after a noreturn call) */
    assert_true(t_has_call_end(g->text, 64));
    assert_null(whence_func_for_pc(img_pc(g, 64)));
    assert_null(whence_func_for_pc(img_pc(g, 64) | WH_TOKEN_EXACT));
    whence_frame fr;
    uintptr_t pcs[1] = {img_pc(g, 80) | WH_TOKEN_EXACT};
    whence_frames it;
    whence_frames_init(&it, pcs, 1);
    assert_true(whence_frames_next(&it, &fr));
    assert_null(fr.func);
    assert_string_equal(fr.function, "?");
}

static void test_raw_and_accel(void **state) {
    (void)state;
    struct mb *m;
    struct img *g = fenced_image(&m, 0, NULL);
    struct cap c;
    cap_begin(&c);
    img_register(g);
    struct wh_slot *s = img_slot(g);
    /* The first lookup, a hit, checks nothing beyond its neighbours. */
    assert_string_equal(name_at(g, 10), "f0");
    assert_int_equal(atomic_load(&s->frags), WH_FRAGS_UNCHECKED);
    check_lookups(g);
    /* The fences neither made the records look bad nor built anything:
     * the gap found out, once, that the image cannot have fragments. */
    assert_int_equal(atomic_load(&s->order), WH_ORDER_SORTED);
    assert_int_equal(atomic_load(&s->frags), WH_FRAGS_NONE);
    assert_null(atomic_load(&s->ax));
    /* A fence's record is no whence_func. */
    const whence_func *fence = (const whence_func *)(g->fn + WHENCE_FN_RECORD_SIZE);
    assert_string_equal(whence_func_name(fence), "");
    assert_int_equal(whence_func_entry(fence), 0);
    assert_int_equal(atomic_load(&s->order), WH_ORDER_SORTED);
    /* The buckets keep the fences in place: no permutation, nothing dropped. */
    img_accelerate(img_pc(g, 10));
    const struct wh_accel *ax = atomic_load(&s->ax);
    assert_non_null(ax);
    assert_null(ax->fperm);
    assert_int_equal(ax->nf, 6);
    assert_int_equal(ax->nfrag, 0);
    check_lookups(g);
    assert_string_equal(whence_func_name(fence), "");
    char *err = cap_end(&c);
    assert_string_equal(err, "");
    free(err);
    free(m);
}

/* Fences overlapping a function are bad records like any other (the two
 * records go: which one is wrong is not known); out of order they are
 * sorted with the functions. */
static void test_overlap_and_order(void **state) {
    (void)state;
    struct img *g = img_new(4096, 8, 0, 8192);
    struct mb *m = mb_new(KEY + 1, "order.c");
    m->flags |= WHENCE_MOD_FENCED;
    mb_subprog(m, "g0", "order.c", 1);
    mb_subprog(m, "g1", "order.c", 2);
    img_fn(g, 200, 50, KEY + 1, 1);
    img_fn(g, 100, 20, KEY + 1, WHENCE_FN_FENCE); /* out of order */
    img_fn(g, 0, 64, KEY + 1, 0);
    img_fn(g, 30, 20, KEY + 1, WHENCE_FN_FENCE);  /* inside g0 */
    img_mod(g, m);
    struct cap c;
    cap_begin(&c);
    img_register(g);
    assert_string_equal(name_at(g, 210), "g1");
    assert_null(name_at(g, 110));
    char *err = cap_end(&c);
    assert_non_null(strstr(err, "dropped 2 of 4 function records (2 overlapping another)"));
    assert_int_equal(count_str(err, "whence:"), 1);
    free(err);
    assert_null(name_at(g, 10));
    assert_non_null(atomic_load(&img_slot(g)->ax)->fperm);
    free(m);
}

/* The first loc of the module at `at` of g, as a slot names it: f1's call
 * at line 21 (*file: its file).  Returns its address. */
static uintptr_t slot_loc_names_f1(struct img *g, size_t at, const char **file) {
    const struct whence_mod_header *h = (const struct whence_mod_header *)(g->mod + at);
    uintptr_t loc = (uintptr_t)(g->mod + at + h->loc_off);
    const whence_func *f = whence_func_for_pc(loc | WH_TOKEN_LOC);
    assert_string_equal(whence_func_name(f), "f1");
    assert_int_equal(whence_func_line(f, loc | WH_TOKEN_LOC, file), 21);
    return loc;
}

/* A frame-slot module: the subprog -> function map skips the fences (whose
 * subprog is no index), and a slot's loc still names its function. */
static void test_slot_module(void **state) {
    (void)state;
    struct mb *m;
    size_t at;
    struct img *g = fenced_image(&m, WHENCE_MOD_SLOTS, &at);
    img_register(g);
    const char *file;
    slot_loc_names_f1(g, at, &file);
    assert_string_equal(file, "fences.c");
    const struct wh_accel *ax = atomic_load(&img_slot(g)->ax);
    assert_non_null(ax);
    for (uint32_t i = 0; i < ax->mods[0].nsubprog; i++)
        assert_true(ax->subfn[ax->mods[0].subfn + i] < ax->nf);
    free(m);
}

/* The same without buckets (no memory to build them; here a build this
 * thread is taken to be in): the loc's function from the module's headers
 * and the records (image.c, wh_img_loc_records), skipping the fences.
 * Was: no function, every slot frame of a -g build unknown (helper-90). */
static void test_slot_module_no_buckets(void **state) {
    (void)state;
    struct mb *m;
    size_t at;
    struct img *g = fenced_image(&m, WHENCE_MOD_SLOTS, &at);
    img_register(g);
    struct wh_slot *s = img_slot(g);
    uint32_t me = (uint32_t)syscall(SYS_gettid);
    atomic_store(&s->build, me << 2 | WH_IX_BUILDING);
    const char *file;
    uintptr_t loc = slot_loc_names_f1(g, at, &file);
    assert_null(atomic_load(&s->ax));
    /* a loc address past the module's locs names nothing */
    assert_null(whence_func_for_pc((loc + 4096) | WH_TOKEN_LOC));
    atomic_store(&s->build, WH_IX_NONE);
    free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_and_accel),
        cmocka_unit_test(test_overlap_and_order),
        cmocka_unit_test(test_slot_module),
        cmocka_unit_test(test_slot_module_no_buckets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
