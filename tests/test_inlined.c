/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_inlined.c - the per-module index of lines/inlined.c gives the same
 * answer as the scan it replaces: for every function of a generated module
 * (hundreds of functions in one file, repeated first lines, functions of
 * unknown line or file, headers, two files that one relative DWARF path
 * names both; functions inlined without a call, nameless, and inline chains
 * of functions inlined into others) and a grid of .debug_line positions (absolute, relative to a
 * directory, relative to the compilation directory, a bare name, no such
 * file; lines around every function start), "inlined code" and the file
 * named are the same.  Then the image is unloaded and another module is
 * registered at the same address: its answers are its own, not the stale
 * index's.
 */
#include "test_synth.h"

#include "lines/lines.h"

static const char *const files[] = {
    "/src/proj/main.c", "/src/proj/a/util.h", "/src/proj/b/util.h", "lib/x.c", "x.c", "?",
    "/usr/include/stdio.h", "main.c",
};
#define NFILES (sizeof files / sizeof files[0])

static uint32_t seed = 12345;
static uint32_t rnd(uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
}

/* A module of n subprogs, most in main.c, a fifth of them nameless (a
 * function inlined without a call); their first lines (the greatest in
 * *maxl).  Then inline chains: a function's position with one or two
 * functions inlined into it. */
static struct mb *gen_module(uint64_t key, uint32_t n, uint32_t *maxl) {
    struct mb *m = mb_new(key, "main.c");
    *maxl = 0;
    for (uint32_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%u", i);
        if (rnd(5) == 0)
            name[0] = '\0';
        uint32_t r = rnd(100);
        const char *file = r < 70 ? files[0] : r < 95 ? files[1 + rnd(NFILES - 1)] : "";
        uint32_t line = rnd(20) == 0 ? 0 : 1 + rnd(4 * n); /* repeats, and unknown */
        mb_subprog(m, name, file, line);
        if (line > *maxl)
            *maxl = line;
    }
    for (uint32_t i = 0; i < n / 2; i++) {
        int root = (int)mb_loc(m, rnd(n), 1 + rnd(4 * n), 0, -1);
        int mid = (int)mb_loc(m, rnd(n), 1 + rnd(4 * n), 0, root);
        if (rnd(2))
            mb_loc(m, rnd(n), 1 + rnd(4 * n), 0, mid);
    }
    for (uint32_t i = 0; i < 40; i++) { /* many files */
        char f[32];
        snprintf(f, sizeof f, "inc/h%u.h", i);
        mb_file(m, f);
    }
    return m;
}

struct pos {
    const char *name, *dir, *base;
};
static const struct pos positions[] = {
    {"main.c", "/src/proj", ""},     {"/src/proj/main.c", "", ""}, {"main.c", "", ""},
    {"main.c", "proj", "/src"},      {"util.h", "/src/proj/a", ""}, {"util.h", "", ""},
    {"a/util.h", "", ""},            {"util.h", "b", "/src/proj"},  {"x.c", "", ""},
    {"x.c", "lib", ""},              {"stdio.h", "/usr/include", ""}, {"other.c", "", ""},
    {"h7.h", "inc", ""},             {"?", "", ""},
};

static struct wh_dwarf_pos dpos(const struct pos *p, uint32_t line) {
    return (struct wh_dwarf_pos){.name = p->name, .name_len = strlen(p->name),
                                 .dir = p->dir, .dir_len = strlen(p->dir),
                                 .base = p->base, .base_len = strlen(p->base), .line = line};
}

/* Compares index and scan over the subprogs of pi's module and the grid;
 * returns the decisions compared.  *inl, *amb: how many were inlined code,
 * and how many named no file (none or two). */
static uint32_t compare_all(struct wh_pcinfo *pi, uint32_t nsub, uint32_t maxl, uint32_t *inl,
                            uint32_t *amb) {
    uint32_t n = 0;
    *inl = *amb = 0;
    /* Every third function (every 24th under qemu: seconds, not minutes);
     * the others' first lines are in every function's grid. */
    uint32_t step = getenv("WHENCE_TEST_EMULATED") ? 24 : 3;
    for (uint32_t s = rnd(step); s < nsub; s += step) {
        pi->sub = s;
        /* Lines at and around the function's start and other functions'
         * starts (where the answer turns), and past all of them. */
        uint32_t lines[48], nl = 0;
        uint32_t own = wh_mod_subprog_line(pi->m, s);
        lines[nl++] = 0;
        lines[nl++] = maxl + 1;
        for (uint32_t j = 0; j < 15; j++) {
            uint32_t l = j == 0 ? own : wh_mod_subprog_line(pi->m, rnd(nsub));
            lines[nl++] = l ? l - 1 : 0;
            lines[nl++] = l;
            lines[nl++] = l + 1;
        }
        for (size_t k = 0; k < sizeof positions / sizeof positions[0]; k++) {
            for (uint32_t i = 0; i < nl; i++) {
                uint32_t line = lines[i];
                struct wh_dwarf_pos d = dpos(&positions[k], line);
                const char *f1 = (const char *)1, *f2 = (const char *)2;
                bool a = wh_exact_inlined(pi, &d, &f1);
                bool b = wh_exact_inlined_scan(pi, &d, &f2);
                if (a != b || f1 != f2)
                    fail_msg("sub %u, %s/%s/%s:%u: index %d %s, scan %d %s", s, d.base, d.dir,
                             d.name, line, a, f1 ? f1 : "(none)", b, f2 ? f2 : "(none)");
                n++;
                *inl += a;
                *amb += !f1;
            }
        }
    }
    return n;
}

/* m registered in g: every decision compared twice, the first time by the
 * scan (not indexed yet: the index is built after a few), the second by
 * the index; the number compared. */
static uint32_t register_compare(struct img *g, struct mb *m, uint32_t nsub, uint32_t maxl,
                                 uint32_t *inl, uint32_t *amb) {
    img_mod(g, m);
    img_register(g);
    struct wh_pcinfo pi;
    pi.fn = NULL;
    assert_true(wh_resolve(&pi, img_pc(g, 8)));
    assert_false(wh_exact_indexed(&pi));
    uint32_t n = compare_all(&pi, nsub, maxl, inl, amb);
    assert_true(wh_exact_indexed(&pi));
    return n + compare_all(&pi, nsub, maxl, inl, amb);
}

static void test_same_answers(void **state) {
    (void)state;
    uint32_t nsub = 480, maxl;
    struct img *g = img_new(4096, 4, 4, 65536);
    struct mb *m = gen_module(0x1234, nsub, &maxl);
    img_fn(g, 0, 200, 0x1234, 0);
    uint32_t inl, amb, n = register_compare(g, m, nsub, maxl, &inl, &amb);
    print_message("%u decisions compared, %u inlined code, %u without a file of the records\n", n,
                  inl, amb);
    assert_true(inl > n / 20 && inl < n - n / 20);
    assert_true(amb > n / 20 && amb < n - n / 20);

    /* Unloaded, and another module registered at the same address: the
     * index of the first is not this one's. */
    img_unregister(g);
    free(m);
    m = gen_module(0x1234, nsub, &maxl);
    g->mod_len = 0;
    register_compare(g, m, nsub, maxl, &inl, &amb);
    img_unregister(g);
    free(m);
}

/* A small module is never indexed (the scan is cheap), and still answers. */
static void test_small_module(void **state) {
    (void)state;
    uint32_t maxl;
    struct img *g = img_new(4096, 4, 4, 65536);
    struct mb *m = mb_new(0x77, "small.c");
    mb_subprog(m, "a", "/s/small.c", 10);
    mb_subprog(m, "b", "/s/small.c", 20);
    maxl = 20;
    img_fn(g, 0, 200, 0x77, 0);
    img_mod(g, m);
    img_register(g);
    struct wh_pcinfo pi;
    pi.fn = NULL;
    assert_true(wh_resolve(&pi, img_pc(g, 8)));
    uint32_t inl, amb;
    for (int i = 0; i < 3; i++)
        compare_all(&pi, 2, maxl, &inl, &amb);
    assert_false(wh_exact_indexed(&pi));
    struct wh_dwarf_pos d = dpos(&(struct pos){"small.c", "/s", ""}, 15);
    const char *f = NULL;
    pi.sub = 0;
    assert_false(wh_exact_inlined(&pi, &d, &f));
    assert_string_equal(f, "/s/small.c");
    d.line = 20; /* b merely starts there */
    assert_false(wh_exact_inlined(&pi, &d, &f));
    img_unregister(g);
    free(m);

    /* b inlined into a (a chain of a's call): its lines are inlined code,
     * and c's, which starts later and is nameless (inlined somewhere
     * without a call), too; a's own lines before b's are a's. */
    g = img_new(4096, 4, 4, 65536);
    m = mb_new(0x78, "small.c");
    mb_subprog(m, "a", "/s/small.c", 10);
    mb_subprog(m, "b", "/s/small.c", 20);
    mb_subprog(m, "", "/s/small.c", 30);
    mb_loc(m, 1, 21, 0, (int)mb_loc(m, 0, 12, 0, -1));
    img_fn(g, 0, 200, 0x78, 0);
    img_mod(g, m);
    img_register(g);
    pi.fn = NULL;
    assert_true(wh_resolve(&pi, img_pc(g, 8)));
    pi.sub = 0;
    d.line = 15;
    assert_false(wh_exact_inlined(&pi, &d, &f));
    d.line = 20;
    assert_true(wh_exact_inlined(&pi, &d, &f));
    d.line = 31;
    assert_true(wh_exact_inlined(&pi, &d, &f));
    pi.sub = 1; /* b's own lines: a starts before it and is not inlined */
    d.line = 25;
    assert_false(wh_exact_inlined(&pi, &d, &f));
    d.line = 5;
    assert_false(wh_exact_inlined(&pi, &d, &f));
    img_unregister(g);
    free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_answers),
        cmocka_unit_test(test_small_module),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
