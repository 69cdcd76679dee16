/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_table.c - the post-link lookup table (whence_abi.h, whence_tab): its
 * varints, its header's validation against every malformed field, a table
 * written by whence-link's own code (tools/whence-link: plan.c, encode.c)
 * for a synthetic image answering as the records do at every pc, its
 * adoption through the registration hook (and its refusal, with one
 * message, when damaged), and tables with random damage: the runtime never
 * reads outside a table and never crashes, whatever it holds.
 */
#include "test_synth.h"

#include "link.h"
#include "tabfmt.h"

/* ---- varints --------------------------------------------------------------------- */

static void test_varint(void **state) {
    (void)state;
    const uint32_t vals[] = {0, 1, 127, 128, 300, 16383, 16384, (1u << 21) - 1, 1u << 21,
                             (1u << 28) - 1, 1u << 28, 0x7fffffffu, UINT32_MAX};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        unsigned char b[8];
        uint32_t n = wh_uv_put(b, vals[i]), v = 0;
        assert_int_equal(n, wh_uv_len(vals[i]));
        const unsigned char *p = b;
        assert_true(wh_uv_get(&p, b + n, &v));
        assert_int_equal(v, vals[i]);
        assert_ptr_equal(p, b + n);
        /* cut short: an error, and nothing read past the end */
        p = b;
        assert_false(wh_uv_get(&p, b + n - 1, &v));
    }
    /* more than 32 bits, more than 5 bytes */
    const unsigned char big[] = {0xff, 0xff, 0xff, 0xff, 0x1f};
    const unsigned char six[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    const unsigned char *p = big;
    uint32_t v;
    assert_false(wh_uv_get(&p, big + sizeof big, &v));
    p = six;
    assert_false(wh_uv_get(&p, six + sizeof six, &v));
    const int32_t sv[] = {0, 1, -1, 2, -2, 1000000, -1000000, INT32_MAX, INT32_MIN};
    for (size_t i = 0; i < sizeof sv / sizeof sv[0]; i++)
        assert_int_equal(wh_unzigzag(wh_zigzag(sv[i])), sv[i]);
    assert_int_equal(wh_zigzag(-1), 1);
    assert_int_equal(wh_zigzag(1), 2);
}

/* ---- a synthetic image and its table ----------------------------------------------- */

#define KEY 0x1234567u
#define TEXT 0x6000

struct fixture {
    struct img *g;
    struct wl_image m;
    struct wl_secs s;
    struct wl_plan p;
    unsigned char *tab; /* the reservation: 8-aligned, tab_room bytes */
    size_t tab_room, size;
};

/* Functions with flat sites, sites with inline chains, a site that names
 * another function's position (an LTO copy: passed over), a fence, a big
 * function with many sites (a long bisection), functions with a power of
 * two of changes, gaps between functions. */
static void build(struct fixture *x) {
    memset(x, 0, sizeof *x);
    struct mb *m = mb_new(KEY, "synth.c");
    m->flags |= WHENCE_MOD_FENCED;
    uint32_t f0 = mb_subprog(m, "alpha", "synth.c", 10);
    uint32_t f1 = mb_subprog(m, "beta", "synth.c", 20);
    uint32_t f2 = mb_subprog(m, "gamma", "other.c", 30);
    uint32_t inl = mb_subprog(m, "inlined_helper", "helper.h", 5);
    uint32_t big = mb_subprog(m, "big", "synth.c", 100);
    uint32_t beta_root = mb_loc(m, f1, 22, 3, -1);
    uint32_t beta_inl = mb_loc(m, inl, 7, 9, (int)beta_root);
    uint32_t gamma_root = mb_loc(m, f2, 33, 1, -1);
    struct img *g = img_new(TEXT, 64, 512, 1 << 16);
    x->g = g;
    img_fn(g, 0x100, 0x80, KEY, f0);
    img_site(g, 0x110, WHENCE_SITE_FLAT | 11u << WHENCE_SITE_FLAT_COL_BITS | 4);
    img_site(g, 0x120, WHENCE_SITE_FLAT | 12u << WHENCE_SITE_FLAT_COL_BITS | 5);
    img_site(g, 0x130, WHENCE_SITE_FLAT | 12u << WHENCE_SITE_FLAT_COL_BITS | 5); /* no change */
    img_fn(g, 0x200, 0x100, KEY, f1);
    img_site(g, 0x210, beta_inl);
    img_site(g, 0x220, gamma_root); /* another function's: passed over */
    img_site(g, 0x230, beta_root);
    img_site(g, 0x230, WHENCE_SITE_FLAT | 25u << WHENCE_SITE_FLAT_COL_BITS); /* later wins */
    img_fn(g, 0x300, 0x40, KEY, WHENCE_FN_FENCE);
    img_fn(g, 0x340, 0x40, KEY, f2);
    img_fn(g, 0x1000, 0x2000, KEY, big);
    for (uint32_t k = 0; k < 300; k++)
        img_site(g, 0x1008 + 16 * k,
                 WHENCE_SITE_FLAT | (100 + (k * 7) % 50) << WHENCE_SITE_FLAT_COL_BITS | (k % 3));
    /* 16 and 32 changes: bisections over a power of two (the last
     * change, and the one before it, found at their own pcs). */
    uint32_t c16 = mb_subprog(m, "sixteen", "synth.c", 200), c32 = mb_subprog(m, "thirty_two", "synth.c", 300);
    img_fn(g, 0x3100, 0x200, KEY, c16);
    for (uint32_t k = 0; k < 16; k++)
        img_site(g, 0x3108 + 16 * k, WHENCE_SITE_FLAT | (201 + k) << WHENCE_SITE_FLAT_COL_BITS);
    img_fn(g, 0x3400, 0x400, KEY, c32);
    for (uint32_t k = 0; k < 32; k++)
        img_site(g, 0x3408 + 16 * k, WHENCE_SITE_FLAT | (330 - k) << WHENCE_SITE_FLAT_COL_BITS | 1);
    img_mod(g, m);
    free(m);
    /* The image as whence-link sees it: addresses are vaddrs. */
    x->m.map = NULL;
    x->m.lo = 0;
    x->m.hi = UINT64_MAX / 2;
    x->m.xlo = (uintptr_t)g->text;
    x->m.xhi = (uintptr_t)g->text + TEXT;
    x->s.fn = (struct wl_sect){1, (uintptr_t)g->fn, g->fn_len};
    x->s.site = (struct wl_sect){2, (uintptr_t)g->site, g->site_len};
    x->s.mod = (struct wl_sect){3, (uintptr_t)g->mod, g->mod_len};
    x->s.line = (struct wl_sect){-1, 0, 0};
    x->tab_room = 1 << 16;
    x->tab = aligned_alloc(8, x->tab_room);
    assert_non_null(x->tab);
    memset(x->tab, 0, x->tab_room);
    x->s.tab = (struct wl_sect){4, (uintptr_t)x->tab, x->tab_room};
    char why[256] = "";
    assert_int_equal(wl_plan_build(&x->m, &x->s, &x->p, why, sizeof why), 0);
    struct wl_packed pk;
    unsigned char *t = wl_encode(&x->p, &x->s, (uintptr_t)x->tab, true, &pk, &x->size, why,
                                 sizeof why);
    assert_non_null(t);
    assert_true(x->size <= x->tab_room);
    memcpy(x->tab, t, x->size);
    free(t);
}

static void drop(struct fixture *x) {
    wl_plan_free(&x->p);
    free(x->tab);
    munmap(x->g->map, x->g->map_size);
    free(x->g);
}

/* ---- 8-byte locs (WHENCE_MOD_LOC8) ------------------------------------------------ */

/* The same module with 12-byte and with 8-byte locs reads the same, at the
 * limits of the narrow fields too; a loc's address gives its index. */
static void test_loc8(void **state) {
    (void)state;
    static struct mb m;
    memset(&m, 0, sizeof m);
    m.key = 0x5a5a;
    m.nstr = 1; /* offset 0 is "" */
    m.name = mb_str(&m, "loc8.c");
    for (int f = 0; f < 15; f++) {
        char nm[16];
        snprintf(nm, sizeof nm, "f%d.h", f);
        m.file[m.nfile++] = mb_str(&m, nm);
    }
    uint32_t a = mb_subprog(&m, "a", "loc8.c", 10), b = mb_subprog(&m, "b", "f3.h", 900000);
    uint32_t r = mb_loc(&m, a, 12, 3, -1);
    uint32_t i1 = mb_loc(&m, b, WHENCE_LOC8_LINE_MAX, WHENCE_LOC8_COLUMN_MAX, (int)r);
    mb_loc(&m, a, 0, 0, (int)i1);
    uint32_t last = mb_loc(&m, b, 1, 0, -1);
    m.loc[last].subprog_file |= WHENCE_LOC8_FILE_MAX << WHENCE_LOC_SUBPROG_BITS; /* after a #line */
    for (int k = 0; k < 40; k++)
        mb_loc(&m, k & 1 ? a : b, 100 + (uint32_t)k * 977, (uint32_t)k * 6, k ? (int)m.nloc - 1 - k % 3 : -1);
    static unsigned char wide[1 << 16] __attribute__((aligned(8))),
        narrow[1 << 16] __attribute__((aligned(8)));
    size_t nw = mb_emit(&m, wide);
    m.flags |= WHENCE_MOD_LOC8;
    size_t nn = mb_emit(&m, narrow);
    assert_true(nn + m.nloc * 4 - 8 < nw && nn + m.nloc * 4 + 8 > nw); /* 4 bytes a loc less */
    struct wh_mod mw, mn;
    assert_null(wh_mod_header((uintptr_t)wide, nw, &mw));
    assert_null(wh_mod_header((uintptr_t)narrow, nn, &mn));
    assert_int_equal(mn.nloc, m.nloc);
    for (uint32_t i = 0; i < m.nloc; i++) {
        struct whence_loc x, y;
        const struct whence_loc *p = wh_mod_loc(&mw, i, &x), *q = wh_mod_loc(&mn, i, &y);
        assert_non_null(q);
        assert_int_equal(p->subprog_file, q->subprog_file);
        assert_int_equal(p->line, q->line);
        assert_int_equal(p->parent_column, q->parent_column);
        assert_int_equal(wh_loc_parent(&mw, i), wh_loc_parent(&mn, i));
        assert_int_equal(wh_mod_loc_at(&mn, mn.base + mn.loc_off + i * 8), i);
        assert_int_equal(wh_mod_loc_at(&mn, mn.base + mn.loc_off + i * 8 + 4), UINT32_MAX);
    }
    assert_null(wh_mod_loc(&mn, m.nloc, &(struct whence_loc){0}));
}

static void test_plan(void **state) {
    (void)state;
    struct fixture x;
    build(&x);
    assert_int_equal(x.p.functions, 6);
    assert_int_equal(x.p.fences, 1);
    assert_int_equal(x.p.sites_passed, 2); /* the foreign loc; the earlier of two at 0x230 */
    assert_true(x.p.changes < x.p.site_records);
    char why[256];
    /* every byte of the text, both ways, through the runtime's two paths */
    struct wl_packed pk;
    assert_int_equal(wl_check(&x.p, &x.m, &x.s, x.tab, x.size, true, &pk, why, sizeof why), 0);
    /* the module's subprogs and locs are read from the table's pack */
    assert_int_equal(pk.mods, 1);
    assert_int_equal(pk.subprogs, x.p.mods[0].src->nsubprog);
    assert_int_equal(pk.locs, x.p.mods[0].src->nloc);
    assert_true(pk.locs >= 3 && pk.bytes < pk.raw);
    /* What every first lookup reads follows the header, which registration
     * reads: the module directory first (on the header's page), then the
     * buckets, then the packs, before the ranges. */
    struct whence_tab_header h;
    memcpy(&h, x.tab, sizeof h);
    assert_int_equal(h.mod_off, sizeof h);
    assert_int_equal(h.bucket_off, h.mod_off + h.nmod * sizeof(struct whence_tab_mod));
    assert_true(h.subfn_off >= h.bucket_off + h.nbucket * sizeof(struct whence_tab_bucket));
    assert_true(h.func_off > h.subfn_off);
    drop(&x);
}

/* Entries whose sizes (size bits 1) or module and subprog (31 size bits:
 * one bit left, for subprog 0) do not fit their word: read from their
 * descriptions, with the same answers at every pc. */
static void test_split(void **state) {
    (void)state;
    const uint32_t splits[] = {WHENCE_TAB_SPLIT(1, 0), WHENCE_TAB_SPLIT(31, 0)};
    for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
        wl_encode_split = splits[i];
        struct fixture x;
        build(&x);
        wl_encode_split = 0;
        struct whence_tab_header h;
        memcpy(&h, x.tab, sizeof h);
        assert_int_equal(h.split, splits[i]);
        uint32_t longs = 0;
        for (uint32_t k = 0; k < h.nfunc; k++) {
            struct whence_tab_func e;
            memcpy(&e, x.tab + h.func_off + k * sizeof e, sizeof e);
            uint32_t sb = WHENCE_TAB_SIZE_BITS(h.split);
            longs += !(e.word & ((1u << sb) - 1)) || e.word >> sb == UINT32_MAX >> sb;
        }
        assert_true(longs >= 4);
        char why[256];
        struct wl_packed pk;
        assert_int_equal(wl_check(&x.p, &x.m, &x.s, x.tab, x.size, true, &pk, why, sizeof why), 0);
        drop(&x);
    }
}

/* ---- the header --------------------------------------------------------------------- */

static struct whence_tab_header header_of(const struct fixture *x) {
    struct whence_tab_header h;
    memcpy(&h, x->tab, sizeof h);
    return h;
}

static void test_header(void **state) {
    (void)state;
    struct fixture x;
    build(&x);
    struct whence_tab_header h0 = header_of(&x);
    assert_null(wh_tab_check_header(&h0, x.tab_room));
    /* Any byte changed without the checksum: refused. */
    for (size_t i = 0; i < sizeof h0; i++) {
        struct whence_tab_header h = h0;
        ((unsigned char *)&h)[i] ^= 0x40;
        assert_non_null(wh_tab_check_header(&h, x.tab_room));
    }
    /* Fields out of range with a good checksum: refused by the field. */
    struct {
        size_t off, size;
        uint64_t val;
    } bad[] = {
        {offsetof(struct whence_tab_header, version), 2, 99},
        {offsetof(struct whence_tab_header, header_size), 2, 16},
        {offsetof(struct whence_tab_header, total_size), 4, 7},
        {offsetof(struct whence_tab_header, total_size), 4, 1u << 20},
        {offsetof(struct whence_tab_header, nfunc), 4, 0},
        {offsetof(struct whence_tab_header, nfunc), 4, 1u << 20},
        {offsetof(struct whence_tab_header, func_off), 4, 3},
        {offsetof(struct whence_tab_header, func_off), 4, 0xfffffff0u},
        {offsetof(struct whence_tab_header, nbucket), 4, 99},
        {offsetof(struct whence_tab_header, bucket_off), 4, 0xfffffff0u},
        {offsetof(struct whence_tab_header, nmod), 4, 1u << 30},
        {offsetof(struct whence_tab_header, mod_off), 4, 2},
        {offsetof(struct whence_tab_header, nsubfn), 4, 1u << 30},
        {offsetof(struct whence_tab_header, data_off), 4, 0},
        {offsetof(struct whence_tab_header, data_size), 4, 1u << 30},
        {offsetof(struct whence_tab_header, span), 4, 0},
        {offsetof(struct whence_tab_header, ncheck), 4, 5},
        {offsetof(struct whence_tab_header, check_off), 4, 0xfffffff0u},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct whence_tab_header h = h0;
        memcpy((char *)&h + bad[i].off, &bad[i].val, bad[i].size);
        h.checksum = wh_tab_checksum(&h);
        assert_non_null(wh_tab_check_header(&h, x.tab_room));
    }
    /* Too little room for what it says it is. */
    assert_non_null(wh_tab_check_header(&h0, h0.total_size - 8));
    drop(&x);
}

/* ---- adoption through the hook ----------------------------------------------------------- */

static void reg(struct fixture *x) {
    struct img *g = x->g;
    __whence_register_tab(WHENCE_ABI_VERSION, g->fn, g->fn + g->fn_len, g->site,
                          g->site + g->site_len, g->mod, g->mod + g->mod_len, NULL, NULL, x->tab,
                          x->tab + x->tab_room);
}

static void test_adopt(void **state) {
    (void)state;
    struct fixture x;
    build(&x);
    struct cap c;
    cap_begin(&c);
    reg(&x);
    char *err = cap_end(&c);
    assert_string_equal(err, "");
    free(err);
    assert_non_null(img_slot(x.g)->tab.base);
    /* The records zeroed (the runtime knows this image's code from them):
     * only the table can answer now. */
    memset(x.g->fn, 0, x.g->fn_len);
    memset(x.g->site, 0, x.g->site_len);
    const whence_func *f = whence_func_for_pc(img_pc(x.g, 0x215));
    assert_non_null(f);
    assert_string_equal(whence_func_name(f), "beta");
    assert_int_equal(whence_func_entry(f), img_pc(x.g, 0x200));
    const char *file;
    assert_int_equal(whence_func_line(f, img_pc(x.g, 0x212), &file), 7); /* inlined helper */
    assert_string_equal(file, "helper.h");
    assert_int_equal(whence_func_line(f, img_pc(x.g, 0x225), &file), 0); /* after a copy: unknown */
    assert_int_equal(whence_func_line(f, img_pc(x.g, 0x231), &file), 25); /* the later label */
    assert_null(whence_func_for_pc(img_pc(x.g, 0x310))); /* a fence */
    const whence_func *b = whence_func_for_pc(img_pc(x.g, 0x1000 + 16 * 250 + 9));
    assert_string_equal(whence_func_name(b), "big");
    assert_int_equal(whence_func_line(b, img_pc(x.g, 0x1000 + 16 * 250 + 9), NULL),
                     100 + (250 * 7) % 50);
    img_unregister(x.g);
    drop(&x);
}

static void test_refuse(void **state) {
    (void)state;
    struct fixture x;
    build(&x);
    x.tab[offsetof(struct whence_tab_header, nfunc)] ^= 1; /* damaged header */
    struct cap c;
    cap_begin(&c);
    reg(&x);
    char *err = cap_end(&c);
    assert_int_equal(count_str(err, "ignoring its lookup table (header checksum); answering "
                                    "from its records"),
                     1);
    assert_int_equal(count_str(err, "\n"), 1);
    free(err);
    assert_null(img_slot(x.g)->tab.base);
    const whence_func *f = whence_func_for_pc(img_pc(x.g, 0x215));
    assert_string_equal(whence_func_name(f), "beta"); /* from the records */
    img_unregister(x.g);
    /* A table of other records: refused too. */
    x.tab[offsetof(struct whence_tab_header, nfunc)] ^= 1;
    struct whence_tab_header h = header_of(&x);
    h.site_size -= 8;
    h.checksum = wh_tab_checksum(&h);
    memcpy(x.tab, &h, sizeof h);
    cap_begin(&c);
    reg(&x);
    err = cap_end(&c);
    assert_int_equal(count_str(err, "(it was built for other records)"), 1);
    free(err);
    img_unregister(x.g);
    drop(&x);
}

/* ---- damage ------------------------------------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

/* What the intact table answers for each pc asked and each way of asking
 * it (ask_all): its frames' functions, files and lines. */
#define NASK (TEXT / 3 + 1)
#define NFR 4
struct answer {
    uint32_t depth;
    int line[NFR];
    char fn[NFR][24], file[NFR][16];
};
static struct answer *truth; /* [NASK][2], or NULL: nothing to compare */
static int wrong, unknown;

/* A damaged table's answer a for pc against the intact one's t: the same,
 * or unknown (no function, or line 0), never another. */
static void compare(const struct answer *a, const struct answer *t, uintptr_t pc, int ra) {
    if (!a->depth) {
        unknown += t->depth != 0;
        return;
    }
    bool bad = a->depth != t->depth;
    for (uint32_t k = 0; !bad && k < a->depth && k < NFR; k++)
        bad = strcmp(a->fn[k], t->fn[k]) ||
              (a->line[k] && (a->line[k] != t->line[k] || strcmp(a->file[k], t->file[k])));
    if (bad && wrong++ < 5)
        print_message("wrong answer at +%#lx (ra %d): %s:%d, want %s:%d\n",
                      (unsigned long)(pc & 0xffff), ra, a->fn[0], a->line[0], t->fn[0], t->line[0]);
}

/* Every pc of the text and around it through the table's lookups, and
 * every frame they give: nothing may crash or read outside the table;
 * compared, every answer is the intact table's or unknown. */
enum { ASK_ONLY, ASK_RECORD, ASK_COMPARE };
static void ask_all(struct wh_slot *s, const struct img *g, int mode) {
    for (uintptr_t pc = (uintptr_t)g->text; pc <= (uintptr_t)g->text + TEXT; pc += 3) {
        for (int ra = 0; ra < 2; ra++) {
            struct wh_pcinfo pi;
            struct answer a = {0};
            pi.fn = NULL;
            if (wh_tab_find(s, pc, ra, &pi)) {
                wh_pcinfo_sites(&pi, pc, !ra);
                a.depth = pi.depth;
                for (uint32_t k = 0; k < pi.depth && k < 8; k++) {
                    whence_frame f;
                    wh_fill_frame(&pi, k, pc, &f);
                    assert_non_null(f.function);
                    assert_non_null(f.file);
                    (void)strlen(f.function);
                    (void)strlen(f.file);
                    if (k < NFR) {
                        snprintf(a.fn[k], sizeof a.fn[k], "%s", f.function);
                        snprintf(a.file[k], sizeof a.file[k], "%s", f.file);
                        a.line[k] = f.line;
                    }
                }
                struct wh_pcinfo h;
                (void)wh_tab_func(s, (uintptr_t)pi.fn, &h);
                (void)strlen(wh_tab_name(s, (uintptr_t)pi.fn));
            }
            const whence_func *fp = wh_tab_func_for_pc(s, pc);
            /* (a header rewritten with its checksum is another table:
             * nothing to hold its answers to) */
            if (mode != ASK_ONLY && fp && a.depth && strcmp(wh_tab_name(s, (uintptr_t)fp), a.fn[a.depth - 1 < NFR ? a.depth - 1 : NFR - 1]) &&
                wrong++ < 5)
                print_message("func_for_pc and the frames disagree at +%#lx (mode %d): %s, %s\n",
                              (unsigned long)(pc & 0xffff), mode, wh_tab_name(s, (uintptr_t)fp), a.fn[0]);
            struct answer *t = truth ? &truth[((pc - (uintptr_t)g->text) / 3) * 2 + ra] : NULL;
            if (t && mode == ASK_RECORD)
                *t = a;
            else if (t && mode == ASK_COMPARE)
                compare(&a, t, pc, ra);
        }
    }
    for (uintptr_t a = (uintptr_t)g->mod; a < (uintptr_t)g->mod + g->mod_len; a += 4) {
        struct wh_pcinfo pi;
        (void)wh_tab_loc(s, a, &pi);
    }
}

static void damage(uint32_t split) {
    wl_encode_split = split;
    struct fixture x;
    build(&x);
    /* The table in a mapping of exactly its size, with no access after it:
     * a read past its end faults. */
    size_t room = (x.size + 4095) & ~(size_t)4095;
    unsigned char *map = mmap(NULL, room + 4096, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(map != MAP_FAILED);
    assert_int_equal(mprotect(map + room, 4096, PROT_NONE), 0);
    unsigned char *t = map + room - x.size;
    /* The table as whence-link writes it for that address. */
    char why0[256];
    size_t size;
    struct wl_packed pk;
    unsigned char *good = wl_encode(&x.p, &x.s, (uintptr_t)t, true, &pk, &size, why0, sizeof why0);
    assert_non_null(good);
    assert_int_equal(size, x.size);
    static struct wh_slot s;
    struct img *g = x.g;
    int adopted = 0, compared = 0;
    truth = calloc((size_t)NASK * 2, sizeof *truth);
    assert_non_null(truth);
    wrong = unknown = 0;
    for (int round = -1; round < 400; round++) {
        memcpy(t, good, x.size);
        int flips = 1 + (int)(next() % 6);
        for (int k = 0; round >= 0 && k < flips; k++)
            t[next() % x.size] ^= (unsigned char)(1u << (next() % 8));
        struct whence_tab_header h;
        memcpy(&h, t, sizeof h);
        if (round % 2) { /* past the checksum: damage the header's fields too */
            h.checksum = wh_tab_checksum(&h);
            memcpy(t, &h, sizeof h);
        }
        /* A table damaged past its header (a bad block, a tool that
         * rewrote the section) answers the same or unknown; one whose
         * header was rewritten with its checksum is another table. */
        bool cmp = round >= 0 && round % 2 == 0 && !memcmp(t, good, sizeof h);
        memset(&s, 0, sizeof s);
        s.fn_start = (uintptr_t)g->fn;
        s.nfn = (uint32_t)(g->fn_len / WHENCE_FN_RECORD_SIZE);
        s.site_start = (uintptr_t)g->site;
        s.nsite = (uint32_t)(g->site_len / 8);
        s.mod_stop = (uintptr_t)g->mod + g->mod_len;
        atomic_store(&s.mod_start, (uintptr_t)g->mod);
        atomic_store(&s.lo, (uintptr_t)g->text);
        atomic_store(&s.hi, (uintptr_t)g->text + TEXT);
        const char *why = wh_tab_adopt(&s.tab, (uintptr_t)t, (uintptr_t)t + x.size, s.fn_start,
                                       s.fn_start + g->fn_len, s.site_start,
                                       s.site_start + g->site_len, (uintptr_t)g->mod,
                                       s.mod_stop, 0, 0, (uintptr_t)g->text,
                                       (uintptr_t)g->text + TEXT);
        if (why || !s.tab.base)
            continue;
        adopted++;
        compared += cmp;
        ask_all(&s, g, round < 0 ? ASK_RECORD : cmp ? ASK_COMPARE : ASK_ONLY);
    }
    wl_encode_split = 0;
    free(truth);
    truth = NULL;
    /* (the records answer where the table fails its checks: none unknown) */
    assert_int_equal(wrong, 0);
    assert_int_equal(unknown, 0);
    assert_true(adopted > 100);
    assert_true(compared > 100);
    free(good);
    munmap(map, room + 4096);
    drop(&x);
}

static void test_damage(void **state) {
    (void)state;
    damage(0);
    damage(WHENCE_TAB_SPLIT(1, 0));  /* every size in the descriptions */
    damage(WHENCE_TAB_SPLIT(31, 0)); /* most modules and subprogs there */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_varint), cmocka_unit_test(test_loc8), cmocka_unit_test(test_plan),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_header), cmocka_unit_test(test_adopt),
        cmocka_unit_test(test_refuse), cmocka_unit_test(test_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
