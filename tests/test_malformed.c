/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_malformed.c - module tables the runtime must not trust: every kind of
 * damage (magic, version, sizes, array and string bounds, index ranges,
 * parents out of order (cycles), huge counts, truncation, duplicate keys) makes the runtime
 * ignore that one table with exactly one line on stderr, while the good
 * tables around it keep working; random corruption never crashes it.
 */
#include "test_synth.h"

/* The version a damaged table claims, spelled for the expected message. */
#define WH_NEXT_VERSION 7
_Static_assert(WH_NEXT_VERSION == WHENCE_ABI_VERSION_NUM + 1, "bump WH_NEXT_VERSION");
#define T_STR_(x) #x
#define T_STR(x) T_STR_(x)
#define VERSION_MSG                                                                \
    "record ABI version " T_STR(WH_NEXT_VERSION) " (this runtime reads version " \
    T_STR(WHENCE_ABI_VERSION_NUM) ")"

#define K_GOOD1 0xa1ull
#define K_GOOD2 0xa2ull
#define K_BAD   0xbbull

static struct mb *good(uint64_t key, const char *fn) {
    struct mb *m = mb_new(key, "good.c");
    uint32_t s = mb_subprog(m, fn, "good.c", 7);
    mb_loc(m, s, 8, 0, -1);
    return m;
}

/* A valid-looking table with three subprogs and a small loc chain. */
static struct mb *victim(void) {
    struct mb *m = mb_new(K_BAD, "victim.c");
    uint32_t a = mb_subprog(m, "va", "victim.c", 1);
    uint32_t b = mb_subprog(m, "vb", "victim.c", 2);
    mb_subprog(m, "vc", "victim.c", 3);
    uint32_t l0 = mb_loc(m, a, 10, 0, -1);
    mb_loc(m, b, 11, 0, (int)l0);
    mb_loc(m, b, 12, 0, -1);
    return m;
}

typedef void (*damage_fn)(unsigned char *t, size_t *len);

/* Builds good1, the damaged victim, good2 (or good2 first when the damage
 * truncates the section), registers, and checks the outcome. */
static void run_case(damage_fn damage, const char *expect, bool victim_last) {
    struct img *g = img_new(4096, 8, 8, 1 << 16);
    struct mb *g1 = good(K_GOOD1, "good1"), *g2 = good(K_GOOD2, "good2"), *v = victim();
    img_fn(g, 0, 100, K_GOOD1, 0);
    img_fn(g, 200, 100, K_GOOD2, 0);
    img_fn(g, 400, 100, K_BAD, 0);
    img_site(g, 10, 0);
    img_site(g, 210, 0);
    img_site(g, 410, 1);
    img_mod(g, g1);
    if (victim_last)
        img_mod(g, g2);
    unsigned char buf[8192];
    memset(buf, 0, sizeof buf);
    size_t len = mb_emit(v, buf);
    damage(buf, &len);
    img_mod_raw(g, buf, len);
    if (!victim_last)
        img_mod(g, g2);
    struct cap c;
    cap_begin(&c);
    img_register(g);
    /* The first lookups read the records and check only the header of the
     * table they need (and any index they follow): whatever they answer
     * for the victim, they must not crash. */
    for (uint32_t o = 0; o < 520; o += 10) {
        const whence_func *f = whence_func_for_pc(img_pc(g, o));
        (void)whence_func_name(f);
        (void)whence_func_line(f, img_pc(g, o), NULL);
    }
    /* After WH_RAW_LOOKUPS lookups the image gets its buckets, which check
     * every table completely and drop the bad one, saying so once. */
    for (uint32_t k = 0; k < WH_RAW_LOOKUPS; k++)
        (void)whence_func_for_pc(img_pc(g, 50));
    const whence_func *f1 = whence_func_for_pc(img_pc(g, 50));
    const whence_func *f2 = whence_func_for_pc(img_pc(g, 250));
    const whence_func *fv = whence_func_for_pc(img_pc(g, 450));
    char *err = cap_end(&c);
    if (count_str(err, "whence:") != 1 || !strstr(err, expect))
        fail_msg("expected one message with \"%s\", got:\n%s", expect, err);
    free(err);
    assert_string_equal(whence_func_name(f1), "good1");
    assert_string_equal(whence_func_name(f2), "good2");
    assert_int_equal(whence_func_line(f1, img_pc(g, 50), NULL), 8);
    assert_int_equal(whence_func_line(f2, img_pc(g, 250), NULL), 8);
    assert_null(fv);
    /* asking again says nothing more */
    cap_begin(&c);
    (void)whence_func_for_pc(img_pc(g, 450));
    (void)whence_func_for_pc(img_pc(g, 4000));
    err = cap_end(&c);
    assert_string_equal(err, "");
    free(err);
    free(g1);
    free(g2);
    free(v);
}

static struct whence_mod_header *H(unsigned char *t) { return (struct whence_mod_header *)t; }
static struct whence_loc *LOCS(unsigned char *t) { return (struct whence_loc *)(t + H(t)->loc_off); }
static struct whence_subprog *SPS(unsigned char *t) {
    return (struct whence_subprog *)(t + H(t)->subprog_off);
}

static void d_magic(unsigned char *t, size_t *len) { (void)len; H(t)->magic ^= 0x100; }
static void d_version(unsigned char *t, size_t *len) { (void)len; H(t)->version = WHENCE_ABI_VERSION + 1; }
static void d_header_size(unsigned char *t, size_t *len) { (void)len; H(t)->header_size = 40; }
static void d_total_odd(unsigned char *t, size_t *len) { (void)len; H(t)->total_size -= 4; }
static void d_total_small(unsigned char *t, size_t *len) { (void)len; H(t)->total_size = 8; }
static void d_truncated(unsigned char *t, size_t *len) { (void)t; *len -= 16; }
static void d_truncated_header(unsigned char *t, size_t *len) { (void)t; *len = 24; }
static void d_subprog_off(unsigned char *t, size_t *len) { (void)len; H(t)->subprog_off = 0xfffffff0u; }
static void d_subprog_unaligned(unsigned char *t, size_t *len) { (void)len; H(t)->subprog_off += 2; }
static void d_huge_locs(unsigned char *t, size_t *len) { (void)len; H(t)->loc_count = 0xffffffffu; }
static void d_huge_subprogs(unsigned char *t, size_t *len) { (void)len; H(t)->subprog_count = 1u << 28; }
static void d_str_off(unsigned char *t, size_t *len) { (void)len; H(t)->str_size += 4096; }
static void d_str_empty(unsigned char *t, size_t *len) { (void)len; H(t)->str_size = 0; }
static void d_str_unterminated(unsigned char *t, size_t *len) {
    (void)len;
    t[H(t)->str_off + H(t)->str_size - 1] = 'x';
}
static void d_module_name(unsigned char *t, size_t *len) { (void)len; H(t)->module_name = 1u << 20; }
/* The pool's offset moved by one: every name would lose its first byte. */
static void d_str_shift(unsigned char *t, size_t *len) {
    (void)len;
    H(t)->str_off += 1;
    H(t)->str_size -= 1;
}
static void d_flags(unsigned char *t, size_t *len) { (void)len; H(t)->flags |= 0x80; }
static void d_subprog_name(unsigned char *t, size_t *len) { (void)len; SPS(t)[1].name = 1u << 30; }
/* Packed fields (whence_abi.h): set one, keep the other. */
static void set_sp_file(struct whence_subprog *s, uint32_t f) {
    s->line_file = f << WHENCE_SUBPROG_LINE_BITS | WHENCE_SUBPROG_LINE(s);
}
static void set_loc_subprog(struct whence_loc *l, uint32_t sub) {
    l->subprog_file = WHENCE_LOC_FILE(l) << WHENCE_LOC_SUBPROG_BITS | sub;
}
static void set_loc_parent(struct whence_loc *l, uint32_t p) {
    l->parent_column = WHENCE_LOC_COLUMN(l) << WHENCE_LOC_PARENT_BITS | p;
}
static void d_subprog_file(unsigned char *t, size_t *len) { (void)len; set_sp_file(&SPS(t)[2], H(t)->file_count + 1); }
static void d_loc_subprog(unsigned char *t, size_t *len) { (void)len; set_loc_subprog(&LOCS(t)[2], 3); }
static void d_loc_parent(unsigned char *t, size_t *len) { (void)len; set_loc_parent(&LOCS(t)[2], 4); }
static void d_cycle(unsigned char *t, size_t *len) {
    (void)len;
    set_loc_parent(&LOCS(t)[0], 2); /* 0 -> 1 -> 0 */
}
static void d_self_cycle(unsigned char *t, size_t *len) { (void)len; set_loc_parent(&LOCS(t)[2], 3); }

#define CASE(name, damage, expect, last) \
    static void name(void **s) { (void)s; run_case(damage, expect, last); }
CASE(test_bad_magic, d_magic, "bad magic", false)
CASE(test_other_version, d_version, VERSION_MSG, false)
CASE(test_header_size, d_header_size, "bad header_size or total_size", false)
CASE(test_total_odd, d_total_odd, "bad header_size or total_size", false)
CASE(test_total_small, d_total_small, "bad header_size or total_size", false)
CASE(test_truncated, d_truncated, "truncated table", true)
CASE(test_truncated_header, d_truncated_header, "truncated header", true)
CASE(test_subprog_off, d_subprog_off, "subprog array out of bounds", false)
CASE(test_subprog_unaligned, d_subprog_unaligned, "subprog array out of bounds", false)
CASE(test_huge_locs, d_huge_locs, "loc array out of bounds", false)
CASE(test_huge_subprogs, d_huge_subprogs, "subprog array out of bounds", false)
CASE(test_str_bounds, d_str_off, "string pool out of bounds", false)
CASE(test_str_empty, d_str_empty, "string pool out of bounds", false)
CASE(test_str_unterminated, d_str_unterminated, "string pool not NUL-terminated", false)
CASE(test_module_name, d_module_name, "module name out of bounds", false)
CASE(test_str_shift, d_str_shift, "string pool does not start with an empty string", false)
CASE(test_flags, d_flags, "flags this version does not define", false)
CASE(test_subprog_name, d_subprog_name, "'victim.c' at 0x", false)
CASE(test_subprog_file, d_subprog_file, "subprog 2 names a file out of range", false)
CASE(test_loc_subprog, d_loc_subprog, "loc 2 names a subprog out of range", false)
CASE(test_loc_parent, d_loc_parent, "loc 2 has a parent out of order", false)
CASE(test_cycle, d_cycle, "has a parent out of order", false)
CASE(test_self_cycle, d_self_cycle, "loc 2 has a parent out of order", false)

/* Two tables with one key: the second is ignored, the first works. */
static void test_duplicate_key(void **state) {
    (void)state;
    struct img *g = img_new(4096, 4, 4, 1 << 16);
    struct mb *a = good(K_GOOD1, "first"), *b = good(K_GOOD1, "second");
    img_fn(g, 0, 100, K_GOOD1, 0);
    img_mod(g, a);
    img_mod(g, b);
    struct cap c;
    cap_begin(&c);
    img_register(g);
    img_accelerate(img_pc(g, 10));
    const whence_func *f = whence_func_for_pc(img_pc(g, 10));
    char *err = cap_end(&c);
    assert_int_equal(count_str(err, "whence:"), 1);
    assert_non_null(strstr(err, "module key is already taken"));
    free(err);
    assert_string_equal(whence_func_name(f), "first");
    free(a);
    free(b);
}

/* A process's first lookups check a module's header without its string
 * pool's last byte (a page of its own in a large module) and check instead
 * that the one name they return ends inside the pool: a name that runs
 * past the pool's end (into the zero padding after it) is never returned,
 * and once the image has its buckets the whole module is dropped. */
static void test_first_lookup_pool(void **state) {
    (void)state;
    struct img *g = img_new(4096, 4, 4, 1 << 16);
    struct mb *m = mb_new(K_BAD, "lazy.c");
    mb_subprog(m, "f_ok", "lazy.c", 1);
    mb_subprog(m, "f_last", "lazy.c", 2); /* the pool's last string */
    img_fn(g, 0, 100, K_BAD, 0);
    img_fn(g, 200, 100, K_BAD, 1);
    unsigned char buf[8192];
    memset(buf, 0, sizeof buf);
    size_t len = mb_emit(m, buf);
    const struct whence_mod_header *h = (const struct whence_mod_header *)buf;
    assert_int_equal(buf[h->str_off + h->str_size - 1], 0);
    assert_int_equal(memcmp(buf + h->str_off + h->str_size - 7, "f_last", 6), 0);
    buf[h->str_off + h->str_size - 1] = 'x'; /* "f_lastx", ended by the padding */
    img_mod_raw(g, buf, len);
    struct cap c;
    cap_begin(&c);
    img_register(g);
    const whence_func *ok = whence_func_for_pc(img_pc(g, 10));
    const whence_func *last = whence_func_for_pc(img_pc(g, 210));
    assert_non_null(ok);
    assert_string_equal(whence_func_name(ok), "f_ok");
    assert_string_equal(whence_func_name(last), "");
    /* a function it returned has its entry and size all the same */
    assert_non_null(last);
    assert_int_equal(whence_func_entry(last), img_pc(g, 200));
    assert_int_equal(whence_func_entry(ok), img_pc(g, 0));
    img_accelerate(img_pc(g, 10));
    assert_null(whence_func_for_pc(img_pc(g, 10)));
    assert_null(whence_func_for_pc(img_pc(g, 210)));
    char *err = cap_end(&c);
    assert_int_equal(count_str(err, "whence:"), 1);
    assert_non_null(strstr(err, "string pool not NUL-terminated"));
    free(err);
    free(m);
}

/* Zero padding between tables (8-byte alignment) is skipped silently. */
static void test_padding(void **state) {
    (void)state;
    struct img *g = img_new(4096, 4, 4, 1 << 16);
    struct mb *a = good(K_GOOD1, "pa"), *b = good(K_GOOD2, "pb");
    img_fn(g, 0, 100, K_GOOD1, 0);
    img_fn(g, 200, 100, K_GOOD2, 0);
    img_mod(g, a);
    g->mod_len += 64; /* zeroes */
    img_mod(g, b);
    g->mod_len += 16;
    struct cap c;
    cap_begin(&c);
    img_register(g);
    const whence_func *f = whence_func_for_pc(img_pc(g, 210));
    char *err = cap_end(&c);
    assert_string_equal(err, "");
    free(err);
    assert_string_equal(whence_func_name(f), "pb");
    free(a);
    free(b);
}

/* Three functions (the second at at1) and what the buckets make of their
 * records: a message with msg once, the first function's pcs unknown, the
 * second's named name1 (NULL: unknown), the third's right. */
static void records_case(uint32_t size0, size_t at1, const char *msg, const char *name1) {
    struct img *g = img_new(4096, 8, 8, 1 << 16);
    struct mb *a = good(K_GOOD1, "fa"), *b = good(K_GOOD2, "fb"), *v = good(K_BAD, "fc");
    img_fn(g, 0, size0, K_GOOD1, 0);
    img_fn(g, at1, 100, K_GOOD2, 0);
    img_fn(g, 400, 100, K_BAD, 0);
    img_site(g, 10, 0);
    if (at1)
        img_site(g, at1 + 10, 0);
    img_site(g, 410, 0);
    img_mod(g, a);
    img_mod(g, b);
    img_mod(g, v);
    struct cap c;
    cap_begin(&c);
    img_register(g);
    if (at1) {
        /* the first lookups, straight from the records, name no pc wrongly either */
        const whence_func *r0 = whence_func_for_pc(img_pc(g, 50));
        const whence_func *r1 = whence_func_for_pc(img_pc(g, at1 + 50));
        assert_true(!r0 || !strcmp(whence_func_name(r0), "fa"));
        assert_true(!r1 || !strcmp(whence_func_name(r1), "fb"));
    }
    img_accelerate(img_pc(g, 450));
    const whence_func *f0 = whence_func_for_pc(img_pc(g, 50));
    const whence_func *f1 = whence_func_for_pc(img_pc(g, at1 + 50));
    const whence_func *f2 = whence_func_for_pc(img_pc(g, 450));
    char *err = cap_end(&c);
    assert_int_equal(count_str(err, "whence:"), 1);
    assert_int_equal(count_str(err, msg), 1);
    free(err);
    assert_null(f0);
    if (name1)
        assert_string_equal(whence_func_name(f1), name1);
    else
        assert_null(f1);
    assert_string_equal(whence_func_name(f2), "fc");
    img_unregister(g);
    free(a);
    free(b);
    free(v);
}

/* A function record whose size grew over its neighbours (found by damaging
 * real binaries): one of two overlapping records is wrong, and a wrong one
 * must name no pc.  Over two others, the big one goes and they are named;
 * over just one, neither can be trusted and both go. */
static void test_overlap_grown(void **state) {
    (void)state;
    records_case(450, 200, "1 overlapping another", "fb");
}

static void test_overlap_one(void **state) {
    (void)state;
    records_case(250, 200, "2 overlapping another", NULL);
}

/* Two functions folded into one code by the linker (gold's --icf keeps
 * both records, at one address with one size): neither names that code,
 * and the message says why. */
static void test_folded(void **state) {
    (void)state;
    records_case(100, 0, "2 of functions folded into one by the linker", NULL);
}

/* Image-level problems: wrong ABI version (said once however often) and a
 * misaligned table section. */
static void test_image_level(void **state) {
    (void)state;
    static uint64_t blob[16];
    struct cap c;
    cap_begin(&c);
    __whence_register(WHENCE_ABI_VERSION + 1, NULL, NULL, NULL, NULL, blob, blob + 16, NULL, NULL);
    __whence_register(WHENCE_ABI_VERSION + 1, NULL, NULL, NULL, NULL, blob, blob + 16, NULL, NULL);
    __whence_register(WHENCE_ABI_VERSION, NULL, NULL, NULL, NULL, (char *)blob + 2, blob + 16, NULL, NULL);
    __whence_register(WHENCE_ABI_VERSION, NULL, NULL, NULL, NULL, (char *)blob + 2, blob + 16, NULL, NULL);
    char *err = cap_end(&c);
    assert_int_equal(count_str(err, "whence:"), 2);
    assert_int_equal(count_str(err, VERSION_MSG), 1);
    assert_int_equal(count_str(err, "not 4-byte aligned"), 1);
    free(err);
}

/* Random damage: flip bytes of a multi-table section and of the records,
 * then look everything up.  Nothing may crash; messages go to /dev/null. */
static void test_fuzz(void **state) {
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    struct mb *a = good(K_GOOD1, "fa"), *b = good(K_GOOD2, "fb"), *v = victim();
    struct cap c;
    cap_begin(&c);
    for (int iter = 0; iter < 300; iter++) {
        struct img *g = img_new(4096, 8, 8, 1 << 16);
        img_fn(g, 0, 100, K_GOOD1, 0);
        img_fn(g, 200, 100, K_GOOD2, 0);
        img_fn(g, 400, 100, K_BAD, 1);
        img_site(g, 10, 0);
        img_site(g, 210, 0);
        img_site(g, 410, 1);
        img_mod(g, a);
        img_mod(g, v);
        img_mod(g, b);
        int flips = 1 + iter % 8;
        for (int k = 0; k < flips; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            size_t where = x % (g->mod_len + g->fn_len + g->site_len);
            unsigned char val = (unsigned char)(x >> 40);
            if (where < g->mod_len)
                g->mod[where] = val;
            else if (where < g->mod_len + g->fn_len)
                g->fn[where - g->mod_len] = val;
            else
                g->site[where - g->mod_len - g->fn_len] = val;
        }
        img_register(g);
        for (size_t o = 0; o < 4096; o += 7) {
            const whence_func *f = whence_func_for_pc(img_pc(g, o));
            const char *file;
            (void)whence_func_name(f);
            (void)whence_func_line(f, img_pc(g, o), &file);
            uintptr_t pcs[2] = {img_pc(g, o), wh_token_make(img_pc(g, o), 2)};
            whence_frames it;
            whence_frame fr;
            whence_frames_init(&it, pcs, 2);
            while (whence_frames_next(&it, &fr))
                assert_non_null(fr.function);
        }
        img_unregister(g);
    }
    char *err = cap_end(&c);
    free(err);
    free(a);
    free(b);
    free(v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_magic),        cmocka_unit_test(test_other_version),
        cmocka_unit_test(test_header_size),      cmocka_unit_test(test_total_odd),
        cmocka_unit_test(test_total_small),      cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_truncated_header), cmocka_unit_test(test_subprog_off),
        cmocka_unit_test(test_subprog_unaligned), cmocka_unit_test(test_huge_locs),
        cmocka_unit_test(test_huge_subprogs),    cmocka_unit_test(test_str_bounds),
        cmocka_unit_test(test_str_empty),        cmocka_unit_test(test_str_unterminated),
        cmocka_unit_test(test_module_name),      cmocka_unit_test(test_subprog_name),
        cmocka_unit_test(test_str_shift),        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_overlap_grown),    cmocka_unit_test(test_overlap_one),
        cmocka_unit_test(test_folded),
        cmocka_unit_test(test_subprog_file),     cmocka_unit_test(test_loc_subprog),
        cmocka_unit_test(test_loc_parent),       cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_self_cycle),       cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_padding),          cmocka_unit_test(test_first_lookup_pool),          cmocka_unit_test(test_image_level),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests_name("malformed", tests, NULL, NULL);
}
