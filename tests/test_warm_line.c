/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_warm_line.c - whence_func_line's warm path (lookup.c) answers
 * exactly what the full lookup answers.  Synthetic images with buckets,
 * code of random bytes (so that call-shaped bytes appear anywhere, also
 * one byte off a real call), real calls (call rel32, call *disp32(%rip),
 * call *%reg on x86-64; bl on AArch64) with their labels just before, far
 * before, at the call's end or missing, flat words, table locs with
 * inline chains rooted in the function or in another one, locs after a
 * #line directive, and both loc widths: for every byte of every function
 * (and a few bytes around it), as a plain pc and as the tokens whence_callers
 * makes, the warm answer (line and file) is the full one; and a call's
 * return address, or its last byte, gets its label's own line.  Every byte
 * is compared twice: for an image that may be unloaded and for one that
 * never is, as the main program (whence_func_line's fast path), and a
 * function of a second module with the next key is named and lined with
 * either module having answered last; functions of no file or of a file
 * named "" are unknown ("?") either way.  The same again with the image's
 * post-link table (written by whence-link's own code, adopted at
 * registration): its warm path (table.c) against the full lookup through
 * the table.
 */
#include "test_synth.h"
#include "test_arch.h"

#include "link.h"

#include "lookup.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint32_t flat(uint32_t line, uint32_t col) {
    return WHENCE_SITE_FLAT | line << WHENCE_SITE_FLAT_COL_BITS | col;
}

/* A call instruction ending at end (its length), or 0 when none fits. */
static size_t put_call(unsigned char *text, size_t end, size_t room) {
#if defined(__x86_64__)
    switch (rng() % 4) {
    case 0:
    case 3:
        if (room < 5)
            return 0;
        text[end - 5] = 0xe8;
        /* mostly a call of instrumented code (the first functions: inside
         * the buckets' span), else anywhere */
        if (rng() % 8) {
            int32_t rel = (int32_t)(64 + rng() % 2048) - (int32_t)end;
            memcpy(text + end - 4, &rel, 4);
        }
        return 5;
    case 1:
        if (room < 6)
            return 0;
        text[end - 6] = 0xff;
        text[end - 5] = 0x15;
        return 6;
    default:
        if (room < 2)
            return 0;
        text[end - 2] = 0xff;
        text[end - 1] = (unsigned char)(0xd0 | (rng() & 7));
        return 2;
    }
#else
    if (room < 4 || end % 4)
        return 0;
    t_put_call_end(text, end);
    return 4;
#endif
}

struct call {
    size_t end;   /* the return address's offset */
    int line;     /* its label's line (0: no label near enough) */
};

enum { TEXT = 1 << 18, NFN = 150, NSITE = 4000, NCALL = 4000 };

/* One image of NFN functions in module key, locs 8 bytes wide or not. */
/* The image's post-link table, as whence-link writes it (test_table.c),
 * in *room (8-aligned, *room_size bytes; freed by the caller). */
static void table_for(struct img *g, unsigned char **room, size_t *room_size) {
    struct wl_image im = {.lo = 0, .hi = UINT64_MAX / 2, .xlo = (uintptr_t)g->text,
                          .xhi = (uintptr_t)g->text + g->text_size};
    struct wl_secs sec = {.fn = {1, (uintptr_t)g->fn, g->fn_len},
                          .site = {2, (uintptr_t)g->site, g->site_len},
                          .mod = {3, (uintptr_t)g->mod, g->mod_len},
                          .line = {-1, 0, 0}};
    *room_size = 1 << 20;
    *room = aligned_alloc(8, *room_size);
    assert_non_null(*room);
    memset(*room, 0, *room_size);
    sec.tab = (struct wl_sect){4, (uintptr_t)*room, *room_size};
    struct wl_plan p;
    struct wl_packed pk;
    char why[256] = "";
    size_t size;
    assert_int_equal(wl_plan_build(&im, &sec, &p, why, sizeof why), 0);
    unsigned char *t = wl_encode(&p, &sec, (uintptr_t)*room, true, &pk, &size, why, sizeof why);
    assert_non_null(t);
    assert_true(size <= *room_size);
    memcpy(*room, t, size);
    free(t);
    wl_plan_free(&p);
}

/* Every byte of the image's nf functions (and a few around each), as a
 * plain pc and as the tokens whence_callers makes: whence_func_line's
 * answer is the full lookup's. */
static void check_bytes(struct img *g, uint32_t nf, const size_t *fent, const uint32_t *fsz,
                        bool kept) {
    const char *sfx[] = {"", "exact", "skip1", "skip2+exact"};
    for (uint32_t i = 0; i < nf; i++) {
        const whence_func *f = whence_func_for_pc(img_pc(g, fent[i]));
        assert_non_null(f);
        for (size_t o = fent[i] - 3; o <= fent[i] + fsz[i] + 3; o++) {
            for (int t = 0; t < 4; t++) {
                uintptr_t pc = img_pc(g, o);
                if (t & 1)
                    pc |= WH_TOKEN_EXACT;
                if (t & 2)
                    pc = wh_token_make(pc, (uint32_t)t / 2);
                (void)whence_func_for_pc(img_pc(g, fent[i])); /* the image answered last */
                const char *wf = NULL, *ff = NULL;
                int wl = whence_func_line(f, pc, &wf);
                int fl = wh_func_line_full(f, pc, &ff);
                if (wl != fl || wf != ff)
                    fail_msg("function %u, byte %zd (%s%s): warm %d %s, full %d %s", i,
                             (ptrdiff_t)(o - fent[i]), sfx[t], kept ? ", kept" : "", wl, wf, fl,
                             ff);
            }
        }
    }
}

static void check_image(uint64_t key, bool loc8, bool table) {
    struct img *g = img_new(TEXT, NFN + 8, NSITE, 1 << 20);
    struct mb *m = mb_new(key, "warm.c");
    if (loc8)
        m->flags |= WHENCE_MOD_LOC8;
    for (size_t i = 0; i < TEXT; i++)
        g->text[i] = (unsigned char)rng();
    static struct call calls[NCALL];
    static size_t fent[NFN + 1];
    static uint32_t fsz[NFN + 1];
    size_t ncall = 0, off = 64;
    uint32_t other = mb_subprog(m, "elsewhere", "other.c", 5);
    assert_true(m->nfile < MB_MAX_FILE);
    m->file[m->nfile++] = mb_str(m, ""); /* a file whose name is empty */
    uint32_t nameless = m->nfile;
    uint32_t nf = 0;
    for (; nf < NFN && off < TEXT - 4096; nf++) {
        char name[32];
        snprintf(name, sizeof name, "f%u", nf);
        uint32_t sub = mb_subprog(m, name, "warm.c", 10 + nf * 20);
        /* now and then a function of no file, or of a file whose name is
         * empty: both unknown ("?") */
        if (nf % 5 == 3)
            m->sp[sub].line_file &= WHENCE_SUBPROG_LINE_MAX;
        else if (nf % 5 == 4)
            m->sp[sub].line_file = nameless << WHENCE_SUBPROG_LINE_BITS |
                                   (m->sp[sub].line_file & WHENCE_SUBPROG_LINE_MAX);
        uint32_t size = 8 + (uint32_t)(rng() % 400);
#if !defined(__x86_64__)
        off = (off + 3) & ~(size_t)3;
        size = (size + 3) & ~3u;
#endif
        fent[nf] = off;
        fsz[nf] = size;
        img_fn(g, off, size, key, sub);
        /* calls at random places, each with a label somewhere before it
         * (after the previous call, so that the labels are in order) */
        size_t at = off, low = off; /* where the next label may go */
        while (ncall < NCALL && m->nloc + 4 < MB_MAX_LOC) {
            /* near, far, or about the limit of a call's own label (room
             * made for the far ones) */
            uint64_t how = rng() % 8;
            at += 2 + rng() % 40 + (how < 2 ? 90 : 0);
#if !defined(__x86_64__)
            at = (at + 3) & ~(size_t)3;
#endif
            if (at > off + size)
                break;
            size_t len = put_call(g->text, at, at - off);
            if (!len)
                continue;
            uint32_t line = 10 + nf * 20 + 1 + (uint32_t)(rng() % 15), w;
            size_t dist = how == 0   ? (size_t)(rng() % 90)
                          : how == 1 ? WH_CALL_LABEL_NEAR - 3 + (size_t)(rng() % 6)
                                     : len + (size_t)(rng() % 20);
            if (dist < len)
                dist = len;
            /* now and then the byte that makes pc + 1 look like a call's end
             * too (e8 where a call ending at pc + 1 would start) */
            if (rng() % 4 == 0 && at >= off + 4)
                g->text[at - 4] = 0xe8;
            if (dist > at - low)
                dist = at - low;
            if (dist == 0)
                continue;
            size_t lab = at - dist;
            low = at + 1; /* a label at the return address would be the next statement's */
            int want = dist <= WH_CALL_LABEL_NEAR ? (int)line : -1;
            switch (rng() % 8) {
            case 0: /* flat */
                w = flat(line, (uint32_t)(rng() % 50));
                break;
            case 1: /* the function's first line, flat */
                w = flat(0, 3);
                line = 10 + nf * 20;
                want = dist <= WH_CALL_LABEL_NEAR ? (int)line : -1;
                break;
            case 2: { /* inlined into the function: the innermost line */
                uint32_t outer = mb_loc(m, sub, line + 1, 2, -1);
                w = mb_loc(m, other, line, 4, (int)outer);
                break;
            }
            case 3: { /* a chain rooted in another function: not f's label */
                uint32_t outer = mb_loc(m, other, line + 1, 2, -1);
                w = mb_loc(m, sub, line, 4, (int)outer);
                want = -1;
                break;
            }
            case 4: /* after a #line directive */
                w = mb_loc(m, sub, line, 1, -1);
                m->loc[w].subprog_file |= mb_file(m, "gen.y") << WHENCE_LOC_SUBPROG_BITS;
                break;
            case 5: /* no label: the previous one, if any, is far or another call's */
                continue;
            default:
                w = mb_loc(m, sub, line, (uint32_t)(rng() % 80), -1);
                break;
            }
            img_site(g, lab, w);
            if (want >= 0) {
                calls[ncall].end = at;
                calls[ncall].line = want;
                ncall++;
            }
            /* a label at the call's end itself, now and then (the next
             * statement's): the return address is not its call then */
            if (rng() % 10 == 0 && at < off + size) {
                img_site(g, at, mb_loc(m, sub, line + 2, 1, -1));
                low = at + 1;
                if (want >= 0)
                    ncall--;
            }
        }
        off += size + (rng() % 4 == 0 ? rng() % 200 : 0);
    }
    /* Last, a function of a second module whose key is the next one: the
     * module that answered last is now the one, now the other (the warm
     * paths check a record's key against it), with a call labelled in it */
    struct mb *m2 = mb_new(key + 1, "warm2.c");
    uint32_t sub2 = mb_subprog(m2, "g0", "warm2.c", 7);
    off = (off + 3) & ~(size_t)3;
    img_fn(g, off, 64, key + 1, sub2);
    img_site(g, off + 8, flat(8, 1));
    size_t g0_call = off + 20; /* a direct call of f0 ending there */
#if defined(__x86_64__)
    g->text[g0_call - 5] = 0xe8;
    int32_t rel = (int32_t)fent[0] - (int32_t)g0_call;
    memcpy(g->text + g0_call - 4, &rel, 4);
#else
    t_put_call_end(g->text, g0_call);
#endif
    fent[nf] = off;
    fsz[nf++] = 64;
    img_mod(g, m);
    img_mod(g, m2);
    unsigned char *room = NULL;
    size_t room_size = 0;
    if (table) {
        table_for(g, &room, &room_size);
        __whence_register_tab(WHENCE_ABI_VERSION, g->fn, g->fn + g->fn_len, g->site,
                              g->site + g->site_len, g->mod, g->mod + g->mod_len, NULL, NULL, room,
                              room + room_size);
        assert_true(img_slot(g)->tab.base != 0);
    } else {
        img_register(g);
    }
    img_accelerate(img_pc(g, fent[0]));
    if (table) { /* its modules remembered: the warm path may answer */
        assert_non_null(atomic_load(&img_slot(g)->tmods));
        assert_null(atomic_load(&img_slot(g)->ax));
    } else {
        const struct wh_accel *ax = atomic_load(&img_slot(g)->ax);
        assert_non_null(ax);
        assert_true(ax->line_recs != 0);
        assert_true(ax->line_fast_recs != 0); /* its fast path too */
    }

    /* names and lines in either module, the other one having answered last */
    for (int rep = 0; rep < 4; rep++) {
        const whence_func *f0 = whence_func_for_pc(img_pc(g, fent[0] + 1));
        const whence_func *g0 = whence_func_for_pc(img_pc(g, g0_call));
        assert_string_equal(whence_func_name(rep & 1 ? f0 : g0), rep & 1 ? "f0" : "g0");
        assert_string_equal(whence_func_name(rep & 1 ? g0 : f0), rep & 1 ? "g0" : "f0");
        const char *file = NULL;
        assert_int_equal(whence_func_line(g0, img_pc(g, g0_call), &file), 8);
        assert_string_equal(file, "warm2.c");
        if (rep == 1)
            atomic_store(&img_slot(g)->live, WH_LIVE_KEPT); /* (as the main program) */
    }
    atomic_store(&img_slot(g)->live, WH_LIVE);

    /* the answers of the labelled calls: their labels' lines */
    uint32_t right = 0;
    for (size_t i = 0; i < ncall; i++) {
        for (int d = 0; d < 2; d++) { /* the return address, the call's last byte */
            uintptr_t pc = img_pc(g, calls[i].end) - (uintptr_t)d;
            const whence_func *f = whence_func_for_pc(pc - 1);
            assert_non_null(f);
            const char *file = NULL;
            int line = whence_func_line(f, pc, &file);
            if (line == calls[i].line)
                right++;
        }
    }
    /* a call-shaped byte just before a return address can make its last
     * byte look like another call's end: nearly all, not all */
    assert_true(right >= 2 * ncall * 9 / 10);
    assert_true(ncall > 300);

    /* every byte: warm == full, for an image that may be unloaded (its
     * warm paths under a reader's record) and for one that is never
     * unloaded, as the main program (whence_func_line's fast path, and its
     * way on to the warm path without a reader's record) */
    check_bytes(g, nf, fent, fsz, false);
    atomic_store(&img_slot(g)->live, WH_LIVE_KEPT);
    check_bytes(g, nf, fent, fsz, true);
    atomic_store(&img_slot(g)->live, WH_LIVE);
    img_unregister(g);
    free(room);
    free(m);
    free(m2);
}

static void test_wide_locs(void **state) {
    (void)state;
    check_image(0x5150, false, false);
}

static void test_narrow_locs(void **state) {
    (void)state;
    check_image(0x5151, true, false);
}

static void test_table_wide_locs(void **state) {
    (void)state;
    check_image(0x5152, false, true);
}

static void test_table_narrow_locs(void **state) {
    (void)state;
    check_image(0x5153, true, true);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wide_locs),
        cmocka_unit_test(test_narrow_locs),
        cmocka_unit_test(test_table_wide_locs),
        cmocka_unit_test(test_table_narrow_locs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
