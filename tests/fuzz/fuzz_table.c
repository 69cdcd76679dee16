/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fuzz_table.c - libFuzzer target over the reader of whence-link's post-link
 * table (runtime/table.c, tabloc.c): arbitrary bytes become one image's
 * whence_tab and whence_mod next to a fake text area, registered through
 * the real __whence_register_tab hook, adopted, looked up every way the API
 * allows, then unregistered.  Built with -fsanitize=fuzzer,address,undefined
 * over the runtime's own sources (tests/fuzz/build_fuzz_records.sh).
 *
 * The header's checksum guards only the header: everything past it (the
 * function entries, descriptions, buckets, module directory, packs and
 * varint lines) is read as it is, and table.c checks each field where it
 * follows it.  This target is what holds it to that: a damaged interior may
 * give "unknown", never a read outside the table or the module tables, a
 * function that does not hold the pc, or a string outside the string pool.
 *
 * Input (little endian):
 *   u8  flags      see F_* below
 *   u8  k          token depth for token lookups
 *   u16 stride     pc step of the text scan (0 -> 1)
 *   u32 text_len   size of the fake text (clamped to 1..1 MiB)
 *   u32 tab_len    bytes of whence_tab (clamped to what is left)
 *   u32 unused
 *   tab bytes, and the rest is whence_mod.
 *
 * F_FIX: the header is made to describe this layout (its records: no
 * whence_fn or whence_site, this whence_mod; its text: the fake text, at
 * least its span long) and its checksum recomputed, so that mutations reach
 * the interior instead of stopping at the header check; without it the
 * bytes are used as they are (the header check's own fuzzing).  The corpus
 * (make_corpus_table.sh) is real processed images in this form.
 *
 * Memory: one malloc block [text | tab | mod] with the gaps poisoned and
 * whence_mod ending at the block's end, so ASan sees any read outside a
 * section.  The text is read only where the runtime decodes the call that
 * ends at a return address (arch/), so it holds a pattern of calls.
 *
 * An image's registration takes its code's bounds from the dynamic linker
 * (this block is none of its images) or its records (it has none here):
 * the harness adopts the table again with the fake text as the code, as
 * registration would have for a real image, and gives the slot that span.
 */
#define _GNU_SOURCE
#include <sanitizer/asan_interface.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lookup.h"
#include "tabfmt.h"
#include "whence.h"
#include "whence_abi.h"

#define FUZZ_NAME "fuzz_table"
#include "fuzz_common.h"

void __whence_register_tab(uint32_t, const void *, const void *, const void *, const void *,
                           const void *, const void *, const void *, const void *, const void *,
                           const void *);
void __whence_unregister(const void *mod_start);

enum {
    F_FIX = 1u << 0,        /* the header describes this layout, its checksum right */
    F_CAPTURE = 1u << 1,    /* also walk the real stack */
    F_TWICE = 1u << 2,      /* register twice (idempotent) */
    F_LOC_TOKENS = 1u << 3, /* frames over loc tokens into whence_mod */
    F_FRAMES_RAW = 1u << 4, /* frames over raw input words too */
};

#define HDR 16u
#define GAP 64u
#define MAX_TEXT (1u << 20)
#define MAX_PROBES 2048u

struct layout {
    size_t text_off, tab_off, mod_off, total;
    size_t text_len, tab_len, mod_len;
};

static void poison_gaps(unsigned char *b, const struct layout *L) {
    ASAN_POISON_MEMORY_REGION(b + L->text_off + L->text_len, L->tab_off - L->text_off - L->text_len);
    ASAN_POISON_MEMORY_REGION(b + L->tab_off + L->tab_len, L->mod_off - L->tab_off - L->tab_len);
}

static int dump;       /* FUZZ_TABLE_DUMP=1: print what the seed images name */
static unsigned found; /* pcs of the current input that named a function */

/* One lookup of q (a pc or a token of pc) every way the API allows. */
static void lookup(uintptr_t pc, uintptr_t q, uintptr_t mod, uintptr_t mod_end) {
    const whence_func *f = whence_func_for_pc(q);
    if (!f)
        return;
    found++;
    uintptr_t e = whence_func_entry(f);
    if (e > pc || pc - e > WH_MAX_FN_SIZE)
        fail("func_for_pc answered a function that does not hold pc", pc);
    check_str(whence_func_name(f), mod, mod_end, "name");
    const char *file = NULL;
    (void)whence_func_line(f, q, &file);
    check_str(file, mod, mod_end, "file");
    if (dump && q == pc)
        printf("%#lx: %s %s:%d\n", (unsigned long)pc, whence_func_name(f), file,
               whence_func_line(f, q, NULL));
}

static void frames_over(const uintptr_t *pcs, int n, uintptr_t mod, uintptr_t mod_end) {
    whence_frames it;
    whence_frame fr;
    whence_frames_init(&it, pcs, n);
    int nf = 0;
    while (whence_frames_next(&it, &fr)) {
        check_str(fr.function, mod, mod_end, "frame function");
        check_str(fr.file, mod, mod_end, "frame file");
        /* (a return address's frame has pc = ra - 1, and ra may be its
         * function's entry: image.c, wh_img_miss) */
        uintptr_t pc = wh_token_pc(fr.pc) + !(fr.pc & WH_TOKEN_EXACT);
        if (fr.func && !fr.inlined && !(fr.pc & WH_TOKEN_LOC) &&
            (fr.entry > pc || pc - fr.entry > WH_MAX_FN_SIZE))
            fail("a frame's function does not hold its pc", fr.pc);
        if (++nf > n * 128 + 64)
            fail("whence_frames does not end", 0);
    }
}

static void probe(const unsigned char *b, const struct layout *L, uint32_t stride, uint8_t k,
                  uint8_t flags, const uint8_t *raw, size_t raw_len) {
    uintptr_t text = (uintptr_t)(b + L->text_off);
    uintptr_t mod = (uintptr_t)(b + L->mod_off), mod_end = mod + L->mod_len;
    uintptr_t lo = text >= 16 ? text - 16 : 0, hi = text + L->text_len + 16;
    /* Twice over: the first WH_RAW_LOOKUPS lookups of an image read its
     * modules lazily, the later ones through its module array. */
    for (int pass = 0; pass < 2; pass++)
        for (uintptr_t pc = lo; pc < hi; pc += stride) {
            lookup(pc, pc, mod, mod_end);
            lookup(pc, wh_token_make(pc, k), mod, mod_end);
        }
    uintptr_t pcs[64];
    int n = 0;
    for (uintptr_t pc = text; pc < text + L->text_len && n < 64; pc += stride * 7u + 1, n++)
        pcs[n] = (n & 3) == 3 ? wh_token_make(pc, (uint32_t)n) : (n & 3) == 2 ? pc | WH_TOKEN_EXACT : pc;
    frames_over(pcs, n, mod, mod_end);
    if (flags & F_LOC_TOKENS) {
        /* whence_loc addresses (4-aligned, as the runtime requires; and not) */
        n = 0;
        for (uintptr_t a = mod; a < mod_end && n < 64; a += 4 + (uintptr_t)(n & 1) * 8, n++)
            pcs[n] = (a + (uintptr_t)(n % 5 == 4)) | WH_TOKEN_LOC |
                     (uintptr_t)(n & 3) << WH_TOKEN_SHIFT;
        frames_over(pcs, n, mod, mod_end);
    }
    if (flags & F_FRAMES_RAW) {
        n = 0;
        for (size_t i = 0; i + 8 <= raw_len && n < 64; i += 8, n++)
            memcpy(&pcs[n], raw + i, 8);
        frames_over(pcs, n, mod, mod_end);
    }
}

static void do_register(unsigned char *b, const struct layout *L) {
    unsigned char *tab = b + L->tab_off, *mod = b + L->mod_off;
    uintptr_t text = (uintptr_t)(b + L->text_off);
    __whence_register_tab(WHENCE_ABI_VERSION, NULL, NULL, NULL, NULL, mod, mod + L->mod_len, NULL,
                          NULL, tab, tab + L->tab_len);
    uint32_t n = atomic_load(&wh_nslots);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *sl = wh_slot_at(i);
        if (!atomic_load(&sl->live) || atomic_load(&sl->mod_start) != (uintptr_t)mod)
            continue;
        struct wh_tab t;
        if (wh_tab_adopt(&t, (uintptr_t)tab, (uintptr_t)tab + L->tab_len, 0, 0, 0, 0, (uintptr_t)mod,
                         (uintptr_t)mod + L->mod_len, 0, 0, text, text + L->text_len) == NULL)
            sl->tab = t;
        atomic_store(&sl->lo, text);
        atomic_store(&sl->hi, text + L->text_len);
    }
}

/* The header made to describe the layout (F_FIX). */
static void fix_header(unsigned char *b, const struct layout *L) {
    struct whence_tab_header h;
    if (L->tab_len < sizeof h)
        return;
    unsigned char *tab = b + L->tab_off;
    memcpy(&h, tab, sizeof h);
    h.fn_rel = h.site_rel = 0;
    h.fn_size = h.site_size = 0;
    h.mod_rel = (int64_t)(L->mod_off - L->tab_off);
    h.mod_size = (uint32_t)L->mod_len;
    h.text_rel = -(int64_t)(L->tab_off - L->text_off);
    h.checksum = wh_tab_checksum(&h);
    memcpy(tab, &h, sizeof h);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    dump = getenv("FUZZ_TABLE_DUMP") != NULL;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    found = 0;
    if (size < HDR)
        return 0;
    uint8_t flags = data[0], k = data[1];
    uint16_t stride16;
    uint32_t text_len, tab_len;
    memcpy(&stride16, data + 2, 2);
    memcpy(&text_len, data + 4, 4);
    memcpy(&tab_len, data + 8, 4);
    const uint8_t *raw = data;
    size_t raw_len = size;
    data += HDR;
    size -= HDR;
    text_len = text_len % MAX_TEXT + 1;
    if (tab_len > size)
        tab_len = (uint32_t)size;
    size_t mod_len = size - tab_len;
    /* With F_FIX the text is at least the table's span (within the cap). */
    struct whence_tab_header h;
    if ((flags & F_FIX) && tab_len >= sizeof h) {
        memcpy(&h, data, sizeof h);
        if (h.span < MAX_TEXT && h.span >= text_len)
            text_len = h.span + text_len % 64;
    }
    uint32_t stride = stride16 ? stride16 : 1;
    if ((text_len + 32) / stride > MAX_PROBES)
        stride = (text_len + 32) / MAX_PROBES + 1;

    struct layout L;
    L.text_len = text_len;
    L.tab_len = tab_len;
    L.mod_len = mod_len;
    L.text_off = 0;
    L.tab_off = up8(L.text_off + text_len) + GAP; /* 8-aligned, as adoption requires */
    L.mod_off = up8(L.tab_off + tab_len) + GAP;
    L.total = L.mod_off + mod_len;
    unsigned char *b = malloc(L.total); /* 16-aligned: so is the table */
    if (!b)
        return 0;
    /* Calls every 5 bytes (e8 rel32): return addresses end calls, as in
     * real code, so the paths that decode the call are taken. */
    for (size_t i = 0; i < text_len; i++)
        b[i] = i % 5 == 0 ? 0xe8 : 0;
    memcpy(b + L.tab_off, data, tab_len);
    memcpy(b + L.mod_off, data + tab_len, mod_len);
    if (flags & F_FIX)
        fix_header(b, &L);
    poison_gaps(b, &L);

    do_register(b, &L);
    if (flags & F_TWICE)
        do_register(b, &L);
    probe(b, &L, stride, k, flags, raw, raw_len);
    if (dump)
        printf("fuzz_table: %u lookups named a function\n", found);
    if (flags & F_CAPTURE) {
        uintptr_t pcs[32];
        int n = whence_callers(0, pcs, 32);
        whence_frame f;
        whence_caller(1, &f);
        frames_over(pcs, n, (uintptr_t)b + L.mod_off, (uintptr_t)b + L.total);
    }
    __whence_unregister(b + L.mod_off);
    for (uintptr_t pc = (uintptr_t)b; pc < (uintptr_t)b + text_len; pc += stride * 13u + 1)
        if (whence_func_for_pc(pc))
            fail("an unregistered image still answers", pc);
    ASAN_UNPOISON_MEMORY_REGION(b, L.total);
    free(b);
    reset_registry();
    return 0;
}
