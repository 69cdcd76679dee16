/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_cfi.c - the .eh_frame reader and CFA interpreter (runtime/unwind/)
 * on hand-built CIE/FDE records and .eh_frame_hdr tables: the rows the
 * DW_CFA programs compilers emit give, the arithmetic expressions of PLT
 * entries, and malformed or unsupported input rejected without reading
 * outside the buffer (every truncation and every single-byte change of a
 * valid record is tried; the sanitizer build checks the reads).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unwind/cfi.h"

/* A byte buffer the tests append to. */
struct buf {
    uint8_t b[512];
    size_t n;
};
static void put(struct buf *b, const void *p, size_t n) {
    memcpy(b->b + b->n, p, n);
    b->n += n;
}
static void u8(struct buf *b, uint8_t v) { put(b, &v, 1); }
static void u32(struct buf *b, uint32_t v) { put(b, &v, 4); }
static void u64(struct buf *b, uint64_t v) { put(b, &v, 8); }
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
/* Patches the 4-byte length word at `at` to cover everything after it. */
static void close_record(struct buf *b, size_t at) {
    uint32_t len = (uint32_t)(b->n - at - 4);
    memcpy(b->b + at, &len, 4);
}

/* The functions the records describe start here (test_hdr moves it next
 * to its buffer: the search table holds 32-bit offsets). */
static uintptr_t PC0 = 0x401000u;

/* CIE "zR" with absolute 8-byte pointers: CFA = rsp+8, ra at CFA-8.  Then
 * an FDE for [PC0, PC0+0x40) whose program is what clang emits for a
 * function with a frame pointer, plus remember/restore around an early
 * return.  Returns the FDE's offset. */
static size_t build(struct buf *b, const uint8_t *extra, size_t nextra) {
    memset(b, 0, sizeof *b);
    size_t cie = b->n;
    u32(b, 0);
    u32(b, 0);          /* CIE id */
    u8(b, 1);           /* version */
    put(b, "zR", 3);
    uleb(b, 1);         /* code alignment */
    sleb(b, -8);        /* data alignment */
    u8(b, 16);          /* return address column */
    uleb(b, 1);         /* augmentation data */
    u8(b, 0x00);        /* DW_EH_PE_absptr */
    u8(b, 0x0c); uleb(b, 7); uleb(b, 8);   /* def_cfa rsp+8 */
    u8(b, 0x80 | 16); uleb(b, 1);          /* offset r16 at cfa-8 */
    close_record(b, cie);
    size_t fde = b->n;
    u32(b, 0);
    u32(b, (uint32_t)(b->n - cie));  /* CIE pointer: back to the CIE */
    u64(b, PC0);
    u64(b, 0x40);
    uleb(b, 0);                      /* augmentation data */
    u8(b, 0x40 | 1);                 /* advance 1 */
    u8(b, 0x0e); uleb(b, 16);        /* def_cfa_offset 16 */
    u8(b, 0x80 | 6); uleb(b, 2);     /* offset rbp at cfa-16 */
    u8(b, 0x40 | 3);                 /* advance 3: 0x4 */
    u8(b, 0x0d); uleb(b, 6);         /* def_cfa_register rbp */
    u8(b, 0x80 | 3); uleb(b, 3);     /* offset rbx at cfa-24 */
    u8(b, 0x02); u8(b, 0x10);        /* advance_loc1 16: 0x14 */
    u8(b, 0x0a);                     /* remember_state */
    u8(b, 0x0c); uleb(b, 7); uleb(b, 8); /* def_cfa rsp+8 */
    u8(b, 0xc0 | 6);                 /* restore rbp */
    u8(b, 0x40 | 1);                 /* advance 1: 0x15 */
    u8(b, 0x0b);                     /* restore_state */
    if (extra)
        put(b, extra, nextra);
    close_record(b, fde);
    return fde;
}

static struct wh_cfi_mem mem_of(const struct buf *b) {
    struct wh_cfi_mem m = {.n = 1};
    m.lo[0] = (uintptr_t)b->b;
    m.hi[0] = (uintptr_t)b->b + b->n;
    return m;
}

/* DW_CFA_AARCH64_negate_ra_state (0x2d, which clang emits after paciasp
 * under pac-ret) flips only whether x30 is signed, and the unwinder strips
 * every return address: accepted on AArch64, the row otherwise unchanged.
 * Elsewhere 0x2d is DW_CFA_GNU_window_save (SPARC): not interpreted. */
static void test_negate_ra_state(void **state) {
    (void)state;
    static const uint8_t extra[] = {0x40 | 1, 0x2d};
    struct buf b;
    size_t fde = build(&b, extra, sizeof extra);
    struct wh_cfi_mem m = mem_of(&b);
    struct wh_cfi_fde f;
    assert_int_equal(wh_cfi_parse_fde(&m, (uintptr_t)b.b + fde, 0, &f), WH_CFI_OK);
    struct wh_cfi_row r;
#if defined(__aarch64__)
    assert_int_equal(wh_cfi_row_at(&f, PC0 + 0x16, &r), WH_CFI_OK);
    assert_int_equal(r.cfa_reg, 6);
    assert_int_equal(r.cfa_off, 16);
#else
    assert_int_equal(wh_cfi_row_at(&f, PC0 + 0x16, &r), WH_CFI_UNSUP);
#endif
}

static void test_rows(void **state) {
    (void)state;
    struct buf b;
    size_t fde = build(&b, NULL, 0);
    struct wh_cfi_mem m = mem_of(&b);
    struct wh_cfi_fde f;
    assert_int_equal(wh_cfi_parse_fde(&m, (uintptr_t)b.b + fde, 0, &f), WH_CFI_OK);
    assert_int_equal(f.pc_begin, PC0);
    assert_int_equal(f.pc_end, PC0 + 0x40);
    assert_int_equal(f.ra_reg, 16);
    struct wh_cfi_row r;
    /* Entry: CFA = rsp+8, ra at CFA-8, rbp untouched. */
    assert_int_equal(wh_cfi_row_at(&f, PC0, &r), WH_CFI_OK);
    assert_int_equal(r.cfa_reg, 7);
    assert_int_equal(r.cfa_off, 8);
    assert_int_equal(r.r[16].kind, WH_RULE_OFFSET);
    assert_int_equal(r.r[16].off, -8);
    assert_int_equal(r.r[6].kind, WH_RULE_SAME);
    /* After push %rbp. */
    assert_int_equal(wh_cfi_row_at(&f, PC0 + 1, &r), WH_CFI_OK);
    assert_int_equal(r.cfa_off, 16);
    assert_int_equal(r.r[6].kind, WH_RULE_OFFSET);
    assert_int_equal(r.r[6].off, -16);
    /* Body: CFA = rbp+16, rbx saved. */
    assert_int_equal(wh_cfi_row_at(&f, PC0 + 0x10, &r), WH_CFI_OK);
    assert_int_equal(r.cfa_reg, 6);
    assert_int_equal(r.cfa_off, 16);
    assert_int_equal(r.r[3].kind, WH_RULE_OFFSET);
    assert_int_equal(r.r[3].off, -24);
    /* The early return: rsp-based again, rbp restored to the CIE's rule. */
    assert_int_equal(wh_cfi_row_at(&f, PC0 + 0x14, &r), WH_CFI_OK);
    assert_int_equal(r.cfa_reg, 7);
    assert_int_equal(r.cfa_off, 8);
    assert_int_equal(r.r[6].kind, WH_RULE_SAME);
    /* After restore_state: the body's row again. */
    assert_int_equal(wh_cfi_row_at(&f, PC0 + 0x15, &r), WH_CFI_OK);
    assert_int_equal(r.cfa_reg, 6);
    assert_int_equal(r.r[6].kind, WH_RULE_OFFSET);
    /* Outside the FDE. */
    assert_int_equal(wh_cfi_row_at(&f, PC0 + 0x40, &r), WH_CFI_NOFDE);
    assert_int_equal(wh_cfi_row_at(&f, PC0 - 1, &r), WH_CFI_NOFDE);
}

/* .eh_frame_hdr with a sorted table over two FDEs (the second one covers
 * [PC0+0x100, PC0+0x140) by relocating the first one's copy). */
static void test_hdr(void **state) {
    (void)state;
    static struct buf b;
    PC0 = (uintptr_t)b.b + 0x10000;
    size_t fde = build(&b, NULL, 0);
    /* Second FDE: same CIE, another range. */
    size_t fde2 = b.n;
    u32(&b, 0);
    u32(&b, (uint32_t)(b.n - 0));
    u64(&b, PC0 + 0x100);
    u64(&b, 0x40);
    uleb(&b, 0);
    close_record(&b, fde2);
    size_t hdr = (b.n + 3) & ~(size_t)3;
    b.n = hdr;
    u8(&b, 1);      /* version */
    u8(&b, 0xff);   /* eh_frame_ptr: omitted */
    u8(&b, 0x03);   /* fde_count: udata4 */
    u8(&b, 0x3b);   /* table: datarel sdata4 */
    u32(&b, 2);
    uintptr_t H = (uintptr_t)b.b + hdr;
    u32(&b, (uint32_t)(int32_t)(PC0 - H));
    u32(&b, (uint32_t)(int32_t)((intptr_t)((uintptr_t)b.b + fde) - (intptr_t)H));
    u32(&b, (uint32_t)(int32_t)(PC0 + 0x100 - H));
    u32(&b, (uint32_t)(int32_t)((intptr_t)((uintptr_t)b.b + fde2) - (intptr_t)H));
    struct wh_cfi_mem m = mem_of(&b);
    struct wh_cfi_fde f;
    assert_int_equal(wh_cfi_find_fde(&m, H, PC0 + 3, &f), WH_CFI_OK);
    assert_int_equal(f.pc_begin, PC0);
    assert_int_equal(wh_cfi_find_fde(&m, H, PC0 + 0x120, &f), WH_CFI_OK);
    assert_int_equal(f.pc_begin, PC0 + 0x100);
    assert_int_equal(wh_cfi_find_fde(&m, H, PC0 + 0x80, &f), WH_CFI_NOFDE);
    assert_int_equal(wh_cfi_find_fde(&m, H, PC0 - 1, &f), WH_CFI_NOFDE);
    /* A count larger than the table: malformed. */
    b.b[hdr + 4] = 0xff;
    assert_int_equal(wh_cfi_find_fde(&m, H, PC0 + 3, &f), WH_CFI_BAD);
    PC0 = 0x401000u;
}

/* The CFA expression of x86-64 PLT entries:
 * rsp + 8 + ((rip & 15) >= 11 ? 8 : 0). */
static void test_plt_expression(void **state) {
    (void)state;
    static const uint8_t e[] = {0x77, 8, 0x80, 0, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22};
    uintptr_t regs[WH_UW_NREGS] = {0};
    uint32_t known = 1u << 7 | 1u << 16;
    uintptr_t out;
    regs[7] = 0x7000;
    regs[16] = 0x2004; /* (rip & 15) = 4 */
    assert_true(wh_cfi_eval(e, e + sizeof e, regs, known, NULL, NULL, &out));
    assert_int_equal(out, 0x7008);
    regs[16] = 0x200c; /* 12 >= 11 */
    assert_true(wh_cfi_eval(e, e + sizeof e, regs, known, NULL, NULL, &out));
    assert_int_equal(out, 0x7010);
    /* An unknown register, a memory read without a reader, a truncated
     * operand: refused. */
    assert_false(wh_cfi_eval(e, e + sizeof e, regs, 1u << 7, NULL, NULL, &out));
    static const uint8_t deref[] = {0x77, 0, 0x06};
    assert_false(wh_cfi_eval(deref, deref + sizeof deref, regs, known, NULL, NULL, &out));
    assert_false(wh_cfi_eval(e, e + 1, regs, known, NULL, NULL, &out));
    assert_false(wh_cfi_eval(e, e, regs, known, NULL, NULL, &out));
}

/* A reader of a fake stack at 0x7000..0x7040 (the test's deref). */
static const uint8_t fake_stack[64] = {[40] = 0x10, [41] = 0x80, [48] = 0xaa, [49] = 0xbb};

static bool fake_deref(void *ctx, uintptr_t a, unsigned size, uintptr_t *out) {
    (*(int *)ctx)++;
    if (a < 0x7000 || a + size > 0x7000 + sizeof fake_stack)
        return false;
    uintptr_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uintptr_t)fake_stack[a - 0x7000 + i] << (8 * i);
    *out = v;
    return true;
}

/* A realigned frame's CFA (OpenSSL's perlasm): *(rsp + 40) + 8, and
 * deref_size; the reader's refusal is the expression's. */
static void test_deref_expression(void **state) {
    (void)state;
    static const uint8_t e[] = {0x77, 0x28, 0x06, 0x23, 0x08};
    static const uint8_t sized[] = {0x77, 0x30, 0x94, 0x01}; /* breg7 48; deref_size 1 */
    static const uint8_t bad_size[] = {0x77, 0x30, 0x94, 0x09};
    static const uint8_t empty[] = {0x06};
    uintptr_t regs[WH_UW_NREGS] = {0}, out = 0;
    uint32_t known = 1u << 7;
    int calls = 0;
    regs[7] = 0x7000;
    assert_true(wh_cfi_eval(e, e + sizeof e, regs, known, fake_deref, &calls, &out));
    assert_int_equal(out, 0x8018);
    assert_true(wh_cfi_eval(sized, sized + sizeof sized, regs, known, fake_deref, &calls, &out));
    assert_int_equal(out, 0xaa);
    assert_int_equal(calls, 2);
    assert_false(wh_cfi_eval(bad_size, bad_size + sizeof bad_size, regs, known, fake_deref,
                             &calls, &out));
    assert_false(wh_cfi_eval(empty, empty + 1, regs, known, fake_deref, &calls, &out));
    assert_int_equal(calls, 2); /* (neither read) */
    regs[7] = 0x8000; /* outside what the reader reads */
    assert_false(wh_cfi_eval(e, e + sizeof e, regs, known, fake_deref, &calls, &out));
}

/* A CFA expression in the program: the row carries it. */
static void test_def_cfa_expression(void **state) {
    (void)state;
    struct buf b;
    const uint8_t x[] = {0x0f, 2, 0x77, 16};  /* def_cfa_expression: breg7 16 */
    size_t fde = build(&b, x, sizeof x);
    struct wh_cfi_mem m = mem_of(&b);
    struct wh_cfi_fde f;
    assert_int_equal(wh_cfi_parse_fde(&m, (uintptr_t)b.b + fde, 0, &f), WH_CFI_OK);
    struct wh_cfi_row r;
    assert_int_equal(wh_cfi_row_at(&f, PC0 + 0x20, &r), WH_CFI_OK);
    assert_non_null(r.cfa_expr);
    uintptr_t regs[WH_UW_NREGS] = {0}, cfa;
    regs[7] = 0x1000;
    assert_true(wh_cfi_eval(r.cfa_expr, r.cfa_expr_end, regs, 1u << 7, NULL, NULL, &cfa));
    assert_int_equal(cfa, 0x1010);
}

/* Opcodes that are malformed or unsupported where they appear. */
static void test_bad_programs(void **state) {
    (void)state;
    struct {
        uint8_t ops[8];
        size_t n;
        int rc;
    } cases[] = {
        {{0x0b}, 1, WH_CFI_BAD},                        /* restore_state, empty stack */
        {{0x01, 0, 0, 0, 0}, 5, WH_CFI_UNSUP},          /* set_loc */
        {{0x3f}, 1, WH_CFI_UNSUP},                      /* an unknown opcode */
        {{0x05, 0x80}, 2, WH_CFI_BAD},                  /* truncated uleb */
        {{0x0f, 9, 0x77}, 3, WH_CFI_BAD},               /* expression past the end */
        {{0x0c, 99, 8}, 3, WH_CFI_BAD},                 /* CFA in an untracked register */
        {{0x10, 6, 1, 0x96}, 4, WH_CFI_OK},             /* rbp by an expression: ok, unknown */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct buf b;
        size_t fde = build(&b, cases[i].ops, cases[i].n);
        struct wh_cfi_mem m = mem_of(&b);
        struct wh_cfi_fde f;
        assert_int_equal(wh_cfi_parse_fde(&m, (uintptr_t)b.b + fde, 0, &f), WH_CFI_OK);
        struct wh_cfi_row r;
        int rc = wh_cfi_row_at(&f, PC0 + 0x30, &r);
        if (rc != cases[i].rc)
            fail_msg("case %zu: %d, want %d", i, rc, cases[i].rc);
        if (i == 6)
            assert_int_equal(r.r[6].kind, WH_RULE_UNSUP);
    }
    /* Nine remember_states overflow the stack. */
    uint8_t nine[9];
    memset(nine, 0x0a, sizeof nine);
    struct buf b;
    size_t fde = build(&b, nine, sizeof nine);
    struct wh_cfi_mem m = mem_of(&b);
    struct wh_cfi_fde f;
    assert_int_equal(wh_cfi_parse_fde(&m, (uintptr_t)b.b + fde, 0, &f), WH_CFI_OK);
    struct wh_cfi_row r;
    assert_int_equal(wh_cfi_row_at(&f, PC0 + 0x30, &r), WH_CFI_UNSUP);
}

/* Every truncation of the readable range and every single-byte change of a
 * valid CIE+FDE: parsing and interpreting give an answer without reading
 * outside the buffer (the sanitizer build checks each read). */
static void test_mutations(void **state) {
    (void)state;
    struct buf good;
    size_t fde = build(&good, NULL, 0);
    for (size_t cut = 0; cut <= good.n; cut++) {
        struct buf b = good;
        b.n = cut;
        struct wh_cfi_mem m = mem_of(&b);
        struct wh_cfi_fde f;
        int rc = wh_cfi_parse_fde(&m, (uintptr_t)b.b + fde, 0, &f);
        if (cut < good.n)
            assert_int_not_equal(rc, WH_CFI_OK);
    }
    static const uint8_t vals[] = {0x00, 0x01, 0x0a, 0x0b, 0x0f, 0x3f, 0x7f, 0x80, 0xc0, 0xff};
    for (size_t at = 0; at < good.n; at++)
        for (size_t v = 0; v < sizeof vals; v++) {
            struct buf b = good;
            b.b[at] = vals[v];
            struct wh_cfi_mem m = mem_of(&b);
            struct wh_cfi_fde f;
            if (wh_cfi_parse_fde(&m, (uintptr_t)b.b + fde, 0, &f) != WH_CFI_OK)
                continue;
            assert_true((uintptr_t)f.ins >= m.lo[0] && (uintptr_t)f.ins_end <= m.hi[0]);
            assert_true((uintptr_t)f.cie_ins >= m.lo[0] && (uintptr_t)f.cie_ins_end <= m.hi[0]);
            struct wh_cfi_row r;
            for (uintptr_t pc = f.pc_begin; pc < f.pc_begin + 0x20 && pc >= f.pc_begin; pc++)
                (void)wh_cfi_row_at(&f, pc, &r);
        }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_negate_ra_state),
        cmocka_unit_test(test_hdr),
        cmocka_unit_test(test_plt_expression),
        cmocka_unit_test(test_deref_expression),
        cmocka_unit_test(test_def_cfa_expression),
        cmocka_unit_test(test_bad_programs),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests_name("cfi", tests, NULL, NULL);
}
