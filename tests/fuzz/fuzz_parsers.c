/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fuzz_parsers.c - libFuzzer target for the parsers of data the runtime
 * reads from images: the .eh_frame reader / CFA interpreter
 * (runtime/unwind/ehframe.c), the DWARF line-program reader
 * (runtime/lines/lineprog.c) and the inflate of compressed debug sections
 * (runtime/lines/inflate.c).  The first input byte picks the parser (odd:
 * CFI, 2: inflate, other even values: line programs); the rest is the
 * section (for line programs: a 2-byte length of .debug_line, then
 * .debug_line, then .debug_line_str; for inflate: the 2-byte declared
 * size, then the zlib stream).  Built by build_fuzz_parsers.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lines/inflate.h"
#include "lines/lineprog.h"
#include "unwind/cfi.h"

static void fuzz_cfi(const uint8_t *p, size_t n) {
    struct wh_cfi_mem m = {.n = 1};
    m.lo[0] = (uintptr_t)p;
    m.hi[0] = (uintptr_t)p + n;
    struct wh_cfi_fde f;
    struct wh_cfi_row r;
    /* As an .eh_frame_hdr at the start, looked up at addresses around it. */
    for (int i = -2; i < 6; i++)
        if (wh_cfi_find_fde(&m, (uintptr_t)p, (uintptr_t)p + (uintptr_t)(i * 16), &f) == WH_CFI_OK)
            (void)wh_cfi_row_at(&f, (uintptr_t)p + (uintptr_t)(i * 16), &r);
    /* As CIE/FDE records at every 4-byte offset, with absolute pcs. */
    for (size_t off = 0; off + 8 <= n && off < 256; off += 4) {
        if (wh_cfi_parse_fde(&m, (uintptr_t)p + off, (uintptr_t)p, &f) != WH_CFI_OK)
            continue;
        for (uintptr_t pc = f.pc_begin; pc - f.pc_begin < 64 && pc < f.pc_end; pc += 3) {
            if (wh_cfi_row_at(&f, pc, &r) == WH_CFI_OK && r.cfa_expr) {
                uintptr_t regs[WH_UW_NREGS] = {0}, cfa;
                (void)wh_cfi_eval(r.cfa_expr, r.cfa_expr_end, regs, ~0u, &cfa);
            }
        }
    }
}

static bool count_row(void *ctx, const struct wh_dl_row *row) {
    (void)row;
    return ++*(unsigned *)ctx < 100000;
}

static void fuzz_lines(const uint8_t *p, size_t n) {
    if (n < 2)
        return;
    size_t k = (size_t)p[0] | (size_t)p[1] << 8;
    p += 2;
    n -= 2;
    if (k > n)
        k = n;
    struct wh_dl_input in = {.line = {p, k}, .line_str = {p + k, n - k}, .str = {p + k, n - k}};
    struct wh_dl_hit h;
    static const uint64_t addrs[] = {0, 1, 0x1000, 0x1004, 0x401000, UINT64_MAX};
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        if (wh_dl_find(&in, addrs[i], &h) == WH_DL_OK) {
            struct wh_dl_file f;
            if (wh_dl_file_at(&h.unit, h.row.file, &f) == WH_DL_OK) {
                volatile char c = 0;
                for (size_t j = 0; j < f.name.len; j++)
                    c ^= f.name.p[j];
                for (size_t j = 0; j < f.dir.len; j++)
                    c ^= f.dir.p[j];
            }
        }
    }
    struct wh_dl_unit u;
    unsigned rows = 0;
    if (wh_dl_unit_at(&in, 0, &u) == WH_DL_OK)
        (void)wh_dl_rows(&u, count_row, &rows);
}

static void fuzz_inflate(const uint8_t *p, size_t n) {
    if (n < 2)
        return;
    size_t size = (size_t)p[0] | (size_t)p[1] << 8;
    static struct wh_inf_work w;
    uint8_t *out = malloc(size ? size : 1); /* exactly: ASan sees a byte past it */
    if (out)
        (void)wh_inflate(p + 2, n - 2, out, size, &w);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    /* A private copy: the parsers may only read inside it. */
    static uint8_t buf[1 << 16];
    size_t n = size - 1 < sizeof buf ? size - 1 : sizeof buf;
    memcpy(buf, data + 1, n);
    if (data[0] & 1)
        fuzz_cfi(buf, n);
    else if (data[0] == 2)
        fuzz_inflate(buf, n);
    else
        fuzz_lines(buf, n);
    return 0;
}
