/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_lineprog.c - the DWARF line-program reader (runtime/lines/lineprog.c)
 * on hand-built .debug_line units: DWARF 5 (entry formats, .debug_line_str
 * names, MD5 entries) and DWARF 4 (NUL-terminated tables), the state
 * machine's opcodes, lookups at, between and past rows, sequences of code
 * the linker dropped or folded, and malformed input
 * (every truncation and every single-byte change of a valid unit) answered
 * without reading outside the buffers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lines/lineprog.h"

struct buf {
    uint8_t b[1024];
    size_t n;
};
static void put(struct buf *b, const void *p, size_t n) {
    memcpy(b->b + b->n, p, n);
    b->n += n;
}
static void u8(struct buf *b, uint8_t v) { put(b, &v, 1); }
static void u16(struct buf *b, uint16_t v) { put(b, &v, 2); }
static void u32(struct buf *b, uint32_t v) { put(b, &v, 4); }
static void u64(struct buf *b, uint64_t v) { put(b, &v, 8); }
static void str(struct buf *b, const char *s) { put(b, s, strlen(s) + 1); }
static void uleb(struct buf *b, uint64_t v) {
    do {
        uint8_t c = v & 0x7f;
        v >>= 7;
        u8(b, c | (v ? 0x80 : 0));
    } while (v);
}
static void sleb(struct buf *b, int64_t v) {
    for (;;) {
        uint8_t c = v & 0x7f;
        v >>= 7;
        if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) {
            u8(b, c);
            return;
        }
        u8(b, c | 0x80);
    }
}
static void patch32(struct buf *b, size_t at, uint32_t v) { memcpy(b->b + at, &v, 4); }

static struct buf line_str;

/* The program shared by both versions: rows
 *   0x1000 file F line 10 col 3
 *   0x1004 file F line 11
 *   0x1004 file F line 12          (same address: the last row wins)
 *   0x1010 file F+1 line 40 col 7
 *   0x1018 line 0                  (no line)
 *   0x1029 end_sequence            (const_add_pc: +17)
 * then a second sequence at 0x2000..0x2008, line 100; every address moved
 * by prog_shift. */
static uint64_t prog_shift;
static void program(struct buf *b, uint8_t first_file) {
    u8(b, 0); uleb(b, 9); u8(b, 2); u64(b, 0x1000 + prog_shift); /* set_address */
    u8(b, 4); uleb(b, first_file);                    /* set_file */
    u8(b, 3); sleb(b, 9);                             /* advance_line: 10 */
    u8(b, 5); uleb(b, 3);                             /* set_column */
    u8(b, 1);                                         /* copy */
    /* special: opcode_base 13, line_base -5, line_range 14:
     * address +4, line +1 = 13 + (1 + 5) + 14 * 4 */
    u8(b, 13 + 6 + 14 * 4);
    u8(b, 13 + 6);                                    /* address +0, line +1 */
    u8(b, 2); uleb(b, 12);                            /* advance_pc: 0x1010 */
    u8(b, 4); uleb(b, first_file + 1);
    u8(b, 3); sleb(b, 28);                            /* line 40 */
    u8(b, 5); uleb(b, 7);
    u8(b, 0); uleb(b, 2); u8(b, 4); uleb(b, 5);       /* set_discriminator */
    u8(b, 10); u8(b, 6); u8(b, 6); u8(b, 7);          /* prologue_end, negate x2, basic_block */
    u8(b, 1);
    u8(b, 9); u16(b, 8);                              /* fixed_advance_pc: 0x1018 */
    u8(b, 3); sleb(b, -40);                           /* line 0 */
    u8(b, 1);
    u8(b, 8);                                         /* const_add_pc: +17 */
    u8(b, 0); uleb(b, 1); u8(b, 1);                   /* end_sequence at 0x1029 */
    u8(b, 0); uleb(b, 9); u8(b, 2); u64(b, 0x2000 + prog_shift);
    u8(b, 3); sleb(b, 99);
    u8(b, 1);
    u8(b, 2); uleb(b, 8);
    u8(b, 0); uleb(b, 1); u8(b, 1);
}

static const uint8_t std_lens[12] = {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1};

static void unit_v5(struct buf *b) {
    memset(b, 0, sizeof *b);
    memset(&line_str, 0, sizeof line_str);
    str(&line_str, "/src");        /* offset 0 */
    str(&line_str, "a.c");         /* offset 5 */
    size_t len_at = b->n;
    u32(b, 0);
    u16(b, 5);
    u8(b, 8);                      /* address size */
    u8(b, 0);                      /* segment selector size */
    size_t hlen_at = b->n;
    u32(b, 0);
    size_t hstart = b->n;
    u8(b, 1); u8(b, 1); u8(b, 1);  /* min_inst, max_ops, default_is_stmt */
    u8(b, (uint8_t)-5); u8(b, 14); u8(b, 13);
    put(b, std_lens, 12);
    u8(b, 1); uleb(b, 1); uleb(b, 0x1f);          /* dirs: path line_strp */
    uleb(b, 2); u32(b, 0); 
    /* second directory inline would need another format: both line_strp */
    u32(b, 0);
    u8(b, 3);                                      /* files: path, dir, MD5 */
    uleb(b, 1); uleb(b, 0x1f);
    uleb(b, 2); uleb(b, 0x0b);
    uleb(b, 5); uleb(b, 0x1e);
    uleb(b, 2);
    u32(b, 5); u8(b, 0); put(b, "0123456789abcdef", 16);
    /* the second file: a name given inline would need DW_FORM_string; use
     * a line_str offset to "src" + "a.c"'s tail is not a file: append one */
    u32(b, (uint32_t)line_str.n); u8(b, 1); put(b, "fedcba9876543210", 16);
    str(&line_str, "inc/b.h");
    patch32(b, hlen_at, (uint32_t)(b->n - hstart));
    program(b, 0);
    patch32(b, len_at, (uint32_t)(b->n - len_at - 4));
}

static void unit_v4(struct buf *b) {
    memset(b, 0, sizeof *b);
    size_t len_at = b->n;
    u32(b, 0);
    u16(b, 4);
    size_t hlen_at = b->n;
    u32(b, 0);
    size_t hstart = b->n;
    u8(b, 1); u8(b, 1); u8(b, 1);
    u8(b, (uint8_t)-5); u8(b, 14); u8(b, 13);
    put(b, std_lens, 12);
    str(b, "/inc"); u8(b, 0);                      /* include_directories */
    str(b, "a.c"); uleb(b, 0); uleb(b, 0); uleb(b, 0);
    str(b, "b.h"); uleb(b, 1); uleb(b, 0); uleb(b, 0);
    u8(b, 0);
    patch32(b, hlen_at, (uint32_t)(b->n - hstart));
    program(b, 1);
    patch32(b, len_at, (uint32_t)(b->n - len_at - 4));
}

static void expect(const struct wh_dl_input *in, uint64_t addr, int rc, uint32_t line,
                   const char *name, const char *dir) {
    struct wh_dl_hit h;
    int got = wh_dl_find(in, addr, &h);
    if (got != rc)
        fail_msg("addr %#lx: rc %d, want %d", (unsigned long)addr, got, rc);
    if (rc != WH_DL_OK)
        return;
    if (h.row.line != line)
        fail_msg("addr %#lx: line %u, want %u", (unsigned long)addr, h.row.line, line);
    if (!name)
        return;
    struct wh_dl_file f;
    assert_int_equal(wh_dl_file_at(&h.unit, h.row.file, &f), WH_DL_OK);
    assert_int_equal(f.name.len, strlen(name));
    assert_memory_equal(f.name.p, name, f.name.len);
    if (dir) {
        assert_int_equal(f.dir.len, strlen(dir));
        assert_memory_equal(f.dir.p, dir, f.dir.len);
    } else {
        assert_int_equal(f.dir.len, 0);
    }
}

static void check_rows(const struct wh_dl_input *in, const char *name_b, const char *dir_a,
                       const char *dir_b) {
    expect(in, 0x0fff, WH_DL_NONE, 0, NULL, NULL);
    expect(in, 0x1000, WH_DL_OK, 10, "a.c", dir_a);
    expect(in, 0x1003, WH_DL_OK, 10, "a.c", dir_a);
    expect(in, 0x1004, WH_DL_OK, 12, "a.c", dir_a);
    expect(in, 0x100f, WH_DL_OK, 12, NULL, NULL);
    expect(in, 0x1010, WH_DL_OK, 40, name_b, dir_b);
    expect(in, 0x1018, WH_DL_OK, 0, NULL, NULL);
    expect(in, 0x1028, WH_DL_OK, 0, NULL, NULL);
    expect(in, 0x1029, WH_DL_NONE, 0, NULL, NULL);
    expect(in, 0x2000, WH_DL_OK, 100, NULL, NULL);
    expect(in, 0x2007, WH_DL_OK, 100, NULL, NULL);
    expect(in, 0x2008, WH_DL_NONE, 0, NULL, NULL);
}

static void test_v5(void **state) {
    (void)state;
    static struct buf b;
    unit_v5(&b);
    struct wh_dl_input in = {.line = {b.b, b.n}, .line_str = {line_str.b, line_str.n}};
    check_rows(&in, "inc/b.h", "/src", "/src");
    struct wh_dl_unit u;
    assert_int_equal(wh_dl_unit_at(&in, 0, &u), WH_DL_OK);
    assert_int_equal(u.version, 5);
    assert_int_equal(u.nfiles, 2);
    struct wh_dl_file f;
    assert_int_equal(wh_dl_file_at(&u, 0, &f), WH_DL_OK);
    assert_int_equal(f.dir.len, 4); /* "/src" */
    assert_int_equal(wh_dl_file_at(&u, 2, &f), WH_DL_NONE);
}

static void test_v4(void **state) {
    (void)state;
    static struct buf b;
    unit_v4(&b);
    struct wh_dl_input in = {.line = {b.b, b.n}};
    check_rows(&in, "b.h", NULL, "/inc");
    /* Two units back to back: the second one is found too. */
    static struct buf two;
    memcpy(two.b, b.b, b.n);
    two.n = b.n;
    static struct buf v5;
    unit_v5(&v5);
    memcpy(two.b + two.n, v5.b, v5.n);
    two.n += v5.n;
    in = (struct wh_dl_input){.line = {two.b, two.n}, .line_str = {line_str.b, line_str.n}};
    /* (both units cover the same code: neither may answer) */
    expect(&in, 0x1004, WH_DL_AMBIG, 0, NULL, NULL);
    expect(&in, 0x2000, WH_DL_AMBIG, 0, NULL, NULL);
    expect(&in, 0x1029, WH_DL_NONE, 0, NULL, NULL);
    /* The second unit's code elsewhere: each answers for its own. */
    prog_shift = 0x10000;
    unit_v5(&v5);
    prog_shift = 0;
    memcpy(two.b + b.n, v5.b, v5.n);
    in = (struct wh_dl_input){.line = {two.b, two.n}, .line_str = {line_str.b, line_str.n}};
    expect(&in, 0x1004, WH_DL_OK, 12, "a.c", NULL);
    expect(&in, 0x11004, WH_DL_OK, 12, "a.c", "/src");
    expect(&in, 0x12000, WH_DL_OK, 100, NULL, NULL);
    /* The second unit cut short: its end is unknown, the first answers. */
    in.line.n = b.n + 20;
    expect(&in, 0x1004, WH_DL_OK, 12, "a.c", NULL);
    expect(&in, 0x11004, WH_DL_BAD, 0, NULL, NULL);
}

/* A unit of code the linker dropped, its sequences at addresses where the
 * image has no code (a tombstone), one of them over live code's: without
 * the code's ranges the two are ambiguous; with them the dropped one is no
 * sequence, and the live unit answers (in either order). */
static void test_dropped_code(void **state) {
    (void)state;
    static struct buf live, dead, two;
    unit_v4(&live);
    prog_shift = (uint64_t)-0x10; /* [0xff0, 0x1019), [0x1ff0, 0x1ff8) */
    unit_v4(&dead);
    prog_shift = 0;
    for (int order = 0; order < 2; order++) {
        const struct buf *first = order ? &live : &dead, *second = order ? &dead : &live;
        memcpy(two.b, first->b, first->n);
        memcpy(two.b + first->n, second->b, second->n);
        two.n = first->n + second->n;
        struct wh_dl_input in = {.line = {two.b, two.n}};
        expect(&in, 0x1004, WH_DL_AMBIG, 0, NULL, NULL);
        in.ncode = 2;
        in.code_lo[0] = 0x1000;
        in.code_hi[0] = 0x1100;
        in.code_lo[1] = 0x2000;
        in.code_hi[1] = 0x2100;
        check_rows(&in, "b.h", NULL, "/inc");
        expect(&in, 0x0ff0, WH_DL_NONE, 0, NULL, NULL);
        expect(&in, 0x1ff4, WH_DL_NONE, 0, NULL, NULL);
        assert_true(wh_dl_in_code(&in, 0x1000, 0x1100));
        assert_false(wh_dl_in_code(&in, 0x1000, 0x1101));
        assert_false(wh_dl_in_code(&in, 0, 0x29));
        in.ncode = 0; /* not known: every sequence counts */
        assert_true(wh_dl_in_code(&in, 0, 0x29));
    }
}

static void test_malformed(void **state) {
    (void)state;
    static struct buf good;
    unit_v5(&good);
    /* Truncations: the unit length then lies past the section. */
    for (size_t cut = 0; cut < good.n; cut++) {
        struct wh_dl_input in = {.line = {good.b, cut}, .line_str = {line_str.b, line_str.n}};
        struct wh_dl_hit h;
        assert_int_not_equal(wh_dl_find(&in, 0x1004, &h), WH_DL_OK);
    }
    /* line_range 0, an unknown form, an empty extended opcode. */
    struct buf b = good;
    b.b[4 + 2 + 2 + 4 + 4] = 0; /* line_range */
    struct wh_dl_input in = {.line = {b.b, b.n}, .line_str = {line_str.b, line_str.n}};
    struct wh_dl_hit h;
    assert_int_equal(wh_dl_find(&in, 0x1004, &h), WH_DL_BAD);
    /* Every single-byte change: any answer, no read outside (sanitizers). */
    static const uint8_t vals[] = {0x00, 0x01, 0x02, 0x05, 0x0f, 0x1f, 0x7f, 0x80, 0xff};
    for (size_t at = 0; at < good.n; at++)
        for (size_t v = 0; v < sizeof vals; v++) {
            b = good;
            b.b[at] = vals[v];
            in = (struct wh_dl_input){.line = {b.b, b.n}, .line_str = {line_str.b, line_str.n}};
            if (wh_dl_find(&in, 0x1010, &h) == WH_DL_OK) {
                struct wh_dl_file f;
                if (wh_dl_file_at(&h.unit, h.row.file, &f) == WH_DL_OK && f.name.len) {
                    assert_true((const uint8_t *)f.name.p >= line_str.b ||
                                (const uint8_t *)f.name.p >= b.b);
                }
            }
        }
    /* A string section without its NUL: no name. */
    unit_v5(&b);
    struct wh_dl_input cut = {.line = {b.b, b.n}, .line_str = {line_str.b, 8}};
    assert_int_equal(wh_dl_find(&cut, 0x1010, &h), WH_DL_OK);
    struct wh_dl_file f;
    int rc = wh_dl_file_at(&h.unit, h.row.file, &f);
    assert_true(rc != WH_DL_OK || f.name.len == 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v5),
        cmocka_unit_test(test_v4),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_dropped_code),
    };
    return cmocka_run_group_tests_name("lineprog", tests, NULL, NULL);
}
