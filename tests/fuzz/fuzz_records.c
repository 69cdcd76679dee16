/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fuzz_records.c - libFuzzer target over libwhence's record parser, index
 * builder and lookups: arbitrary bytes become one image's whence_fn,
 * whence_site and whence_mod sections next to a fake text area, registered
 * through the real __whence_register hook, then looked up every way the API
 * allows, then unregistered.  Built with -fsanitize=fuzzer,address,undefined
 * over the runtime's own sources (tests/fuzz/build_fuzz_records.sh).
 *
 * Input (little endian):
 *   u8  flags      see F_* below
 *   u8  k          token depth for token lookups
 *   u16 stride     pc step of the text scan (0 -> 1)
 *   u32 text_len   size of the fake text (clamped to 1..1 MiB)
 *   u32 fn_len     bytes of whence_fn   (clamped to what is left)
 *   u32 site_len   bytes of whence_site (clamped to what is left)
 *   fn bytes, site bytes, and the rest is whence_mod.
 *
 * F_RELOC_FN / F_RELOC_SITE: the int32 pc-relative field of each record is
 * read as an offset from the text start and rewritten to point there (so
 * mutations move functions and sites around the text instead of off into
 * the address space); otherwise the bytes are used as they are.  The corpus
 * (make_corpus.sh) is real images converted to this form.
 *
 * Memory: one malloc block [text | fn | site | mod] with the gaps between the
 * sections poisoned and the mod section ending at the block's end, so ASan
 * sees any read outside a section.  The text is never read by the runtime.
 *
 * Checks beyond "no crash, no sanitizer report":
 *   - every whence_func_for_pc answer has entry <= pc <= entry + 64 MiB
 *     (pc may be the end: a return address), a NUL-terminated name inside
 *     the mod section, whence_func_line's file inside it too;
 *   - the same records copied to another address (F_REVIVE: unregister, then
 *     register the copy, which revives the slot and reuses its index) answer
 *     identically, relative to their new address;
 *   - whence_frames over arbitrary entries (text pcs, tokens, garbage) ends,
 *     with strings inside the section or the unknown "?".
 *
 * Between inputs the registry is reset (slots cleared, indexes unmapped):
 * the runtime never frees an index (a reader may hold it) and keeps at most
 * 1024 distinct images, which a fuzzer would exhaust.  Nothing else of the
 * runtime is touched.
 */
#define _GNU_SOURCE
#include <sanitizer/asan_interface.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "whence.h"
#include "whence_abi.h"

#define FUZZ_NAME "fuzz_records"
#include "fuzz_common.h"

/* ABI 2 adds the whence_line section to the hook (two more bounds); the
 * fuzzer does not feed line records yet: they are passed as absent. */
#ifdef WHENCE_SECT_LINE
#define REG_LINE_ARGS , NULL, NULL
void __whence_register(uint32_t, const void *, const void *, const void *, const void *,
                       const void *, const void *, const void *, const void *);
#else
#define REG_LINE_ARGS
void __whence_register(uint32_t, const void *, const void *, const void *, const void *,
                       const void *, const void *);
#endif
void __whence_unregister(const void *mod_start);

enum {
    F_RELOC_FN = 1u << 0,
    F_RELOC_SITE = 1u << 1,
    F_NULL_EMPTY = 1u << 2, /* empty sections as NULL bounds */
    F_CAPTURE = 1u << 3,    /* also walk the real stack */
    F_TWICE = 1u << 4,      /* register twice (idempotent) */
    F_REVIVE = 1u << 5,     /* unregister, register a copy elsewhere */
    F_OTHER_ABI = 1u << 6,  /* register with another ABI version first */
    F_FRAMES_RAW = 1u << 7, /* frames over raw input words too */
};

#define HDR 16u
#define GAP 64u
#define MAX_TEXT (1u << 20)
#define MAX_PROBES 2048u

struct layout {
    size_t text_off, fn_off, site_off, mod_off, total;
    size_t text_len, fn_len, site_len, mod_len;
};

static void poison_gaps(unsigned char *b, const struct layout *L) {
    ASAN_POISON_MEMORY_REGION(b + L->text_off + L->text_len, L->fn_off - L->text_off - L->text_len);
    ASAN_POISON_MEMORY_REGION(b + L->fn_off + L->fn_len, L->site_off - L->fn_off - L->fn_len);
    ASAN_POISON_MEMORY_REGION(b + L->site_off + L->site_len, L->mod_off - L->site_off - L->site_len);
}

static int dump;   /* FUZZ_RECORDS_DUMP=1: print what the seed images name */
static int strict; /* FUZZ_RECORDS_STRICT=1: known findings abort too */

/* Known finding (docs/PROOF.md): a record line >= 2^31 comes back as a
 * negative int.  Reported once; fatal only under FUZZ_RECORDS_STRICT. */
static void negative_line(uintptr_t pc) {
    static int said;
    if (strict)
        fail("negative line", pc);
    if (!said++)
        fprintf(stderr, "fuzz_records: known finding: negative line (pc %#lx)\n", (unsigned long)pc);
}

struct answer {
    uint32_t found;     /* 0 or 1 */
    uint32_t entry_rel; /* entry - text start (mod 2^32) */
    uint32_t line;
    uint32_t name_rel, file_rel; /* string - mod start, or ~0 for a constant */
};

static uint32_t str_rel(const char *s, uintptr_t mod, size_t mod_len) {
    uintptr_t p = (uintptr_t)s;
    return p >= mod && p < mod + mod_len ? (uint32_t)(p - mod) : ~0u;
}

/* All lookups on the image whose block is b; results into ans[] (for the
 * revival comparison).  Returns the number of answers written. */
static size_t probe(const unsigned char *b, const struct layout *L, uint32_t stride, uint8_t k,
                    struct answer *ans, size_t cap) {
    uintptr_t text = (uintptr_t)(b + L->text_off);
    uintptr_t mod = (uintptr_t)(b + L->mod_off), mod_end = mod + L->mod_len;
    size_t na = 0;
    uintptr_t lo = text >= 16 ? text - 16 : 0, hi = text + L->text_len + 16;
    for (uintptr_t pc = lo; pc < hi && na < cap; pc += stride) {
        for (int tok = 0; tok < 2 && na < cap; tok++) {
            uintptr_t q = tok ? wh_token_make(pc, k) : pc;
            const whence_func *f = whence_func_for_pc(q);
            struct answer a = {0, 0, 0, ~0u, ~0u};
            if (f) {
                uintptr_t e = whence_func_entry(f);
                if (e > pc || pc - e > WH_MAX_FN_SIZE)
                    fail("func_for_pc answered a function that does not hold pc", pc);
                const char *name = whence_func_name(f), *file = NULL;
                check_str(name, mod, mod_end, "name");
                int line = whence_func_line(f, q, &file);
                check_str(file, mod, mod_end, "file");
                if (line < 0)
                    negative_line(pc);
                if (dump && (!na || ans[na - 1].entry_rel != (uint32_t)(e - text) || !ans[na - 1].found))
                    printf("text+%#lx: %s line %d file %s\n", (unsigned long)(pc - text), name, line, file);
                a.found = 1;
                a.entry_rel = (uint32_t)(e - text);
                a.line = (uint32_t)line;
                a.name_rel = str_rel(name, mod, L->mod_len);
                a.file_rel = str_rel(file, mod, L->mod_len);
            }
            ans[na++] = a;
        }
    }
    /* frames over text pcs (as return addresses) and tokens */
    uintptr_t pcs[64];
    int n = 0;
    for (uintptr_t pc = text; pc < text + L->text_len && n < 64; pc += stride * 7u + 1, n++)
        pcs[n] = (n & 3) == 3 ? wh_token_make(pc, (uint32_t)n) : pc;
    whence_frames it;
    whence_frame fr;
    whence_frames_init(&it, pcs, n);
    int nf = 0;
    while (whence_frames_next(&it, &fr)) {
        check_str(fr.function, mod, mod_end, "frame function");
        check_str(fr.file, mod, mod_end, "frame file");
        if (fr.line < 0 || fr.column < 0)
            negative_line(fr.pc);
        if (++nf > 64 * 128 + 64)
            fail("whence_frames does not end", 0);
        if (na < cap) {
            struct answer a = {fr.func != NULL, (uint32_t)(fr.entry - text), (uint32_t)fr.line,
                               str_rel(fr.function, mod, L->mod_len),
                               str_rel(fr.file, mod, L->mod_len)};
            if (!fr.func)
                a.entry_rel = 0;
            ans[na++] = a;
        }
    }
    return na;
}

static struct answer ans1[2 * MAX_PROBES + 8192], ans2[2 * MAX_PROBES + 8192];

static void do_register(unsigned char *b, const struct layout *L, uint8_t flags, uint32_t abi) {
    unsigned char *fn = b + L->fn_off, *site = b + L->site_off, *mod = b + L->mod_off;
    bool nul = flags & F_NULL_EMPTY;
    __whence_register(abi, nul && !L->fn_len ? NULL : fn, nul && !L->fn_len ? NULL : fn + L->fn_len,
                      nul && !L->site_len ? NULL : site,
                      nul && !L->site_len ? NULL : site + L->site_len,
                      nul && !L->mod_len ? NULL : mod, nul && !L->mod_len ? NULL : mod + L->mod_len
                      REG_LINE_ARGS);
    /* A real image's code is its executable segments (registry.c's probe);
     * this one is not listed by the dynamic linker, so the registry took
     * the records' span, which damaged records widen past the fake text.
     * Give it what the probe would: the text. */
    uint32_t n = atomic_load(&wh_nslots);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *sl = wh_slot_at(i);
        if (atomic_load(&sl->live) && atomic_load(&sl->mod_start) == (uintptr_t)mod) {
            atomic_store(&sl->lo, (uintptr_t)(b + L->text_off));
            atomic_store(&sl->hi, (uintptr_t)(b + L->text_off + L->text_len));
        }
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    dump = getenv("FUZZ_RECORDS_DUMP") != NULL;
    strict = getenv("FUZZ_RECORDS_STRICT") != NULL;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < HDR)
        return 0;
    uint8_t flags = data[0], k = data[1];
    uint16_t stride16;
    uint32_t text_len, fn_len, site_len;
    memcpy(&stride16, data + 2, 2);
    memcpy(&text_len, data + 4, 4);
    memcpy(&fn_len, data + 8, 4);
    memcpy(&site_len, data + 12, 4);
    data += HDR;
    size -= HDR;
    text_len = text_len % MAX_TEXT + 1;
    if (fn_len > size)
        fn_len = (uint32_t)size;
    if (site_len > size - fn_len)
        site_len = (uint32_t)(size - fn_len);
    size_t mod_len = size - fn_len - site_len;
    /* At most MAX_PROBES pcs per scan. */
    uint32_t stride = stride16 ? stride16 : 1;
    if ((text_len + 32) / stride > MAX_PROBES)
        stride = (text_len + 32) / MAX_PROBES + 1;

    struct layout L;
    L.text_len = text_len;
    L.fn_len = fn_len;
    L.site_len = site_len;
    L.mod_len = mod_len;
    L.text_off = 0;
    L.fn_off = up8(L.text_off + text_len) + GAP;
    L.site_off = up8(L.fn_off + fn_len) + GAP;
    L.mod_off = up8(L.site_off + site_len) + GAP;
    L.total = L.mod_off + mod_len;
    unsigned char *b = malloc(L.total ? L.total : 1);
    if (!b)
        return 0;
    memset(b, 0xcc, text_len);
    memcpy(b + L.fn_off, data, fn_len);
    memcpy(b + L.site_off, data + fn_len, site_len);
    memcpy(b + L.mod_off, data + fn_len + site_len, mod_len);
    /* Rewrite pc-relative fields: input offset from the text start. */
    if (flags & F_RELOC_FN)
        for (size_t i = 0; i + WHENCE_FN_RECORD_SIZE <= fn_len; i += WHENCE_FN_RECORD_SIZE) {
            unsigned char *r = b + L.fn_off + i + WHENCE_FN_OFF_ENTRY;
            int32_t off;
            memcpy(&off, r, 4);
            int64_t rel = (int64_t)(intptr_t)(b + L.text_off) + off - (int64_t)(intptr_t)r;
            int32_t rel32 = (int32_t)rel;
            memcpy(r, &rel32, 4);
        }
    if (flags & F_RELOC_SITE)
        for (size_t i = 0; i + 8 <= site_len; i += 8) {
            unsigned char *r = b + L.site_off + i;
            int32_t off;
            memcpy(&off, r, 4);
            int64_t rel = (int64_t)(intptr_t)(b + L.text_off) + off - (int64_t)(intptr_t)r;
            int32_t rel32 = (int32_t)rel;
            memcpy(r, &rel32, 4);
        }
    poison_gaps(b, &L);

    if (flags & F_OTHER_ABI)
        do_register(b, &L, flags, WHENCE_ABI_VERSION + 1 + k); /* ignored */
    do_register(b, &L, flags, WHENCE_ABI_VERSION);
    if (flags & F_TWICE)
        do_register(b, &L, flags, WHENCE_ABI_VERSION);
    size_t n1 = probe(b, &L, stride, k, ans1, sizeof ans1 / sizeof ans1[0]);
    if (flags & F_CAPTURE) {
        uintptr_t pcs[32];
        int n = whence_callers(0, pcs, 32);
        whence_frame f;
        whence_caller(1, &f);
        whence_frames it;
        whence_frames_init(&it, pcs, n);
        while (whence_frames_next(&it, &f))
            check_str(f.function, (uintptr_t)b + L.mod_off, (uintptr_t)b + L.total, "capture");
    }
    __whence_unregister(b + L.mod_off);
    /* Unregistered: nothing of it may be found any more. */
    for (uintptr_t pc = (uintptr_t)b; pc < (uintptr_t)b + text_len; pc += stride * 13u + 1)
        if (whence_func_for_pc(pc))
            fail("an unregistered image still answers", pc);

    if (flags & F_REVIVE) {
        /* The same bytes elsewhere: the dead slot is revived, its index
         * reused; every answer must be the same relative to the copy. */
        unsigned char *c = malloc(L.total ? L.total : 1);
        if (c) {
            ASAN_UNPOISON_MEMORY_REGION(b, L.total);
            memcpy(c, b, L.total);
            poison_gaps(b, &L);
            poison_gaps(c, &L);
            do_register(c, &L, flags, WHENCE_ABI_VERSION);
            size_t n2 = probe(c, &L, stride, k, ans2, sizeof ans2 / sizeof ans2[0]);
            /* The scan window starts 16 bytes before the text: at the same
             * relative pcs in both copies. */
            if (n1 != n2 || memcmp(ans1, ans2, n1 * sizeof ans1[0]) != 0)
                fail("a copy of the image answers differently", (uintptr_t)c);
            __whence_unregister(c + L.mod_off);
            ASAN_UNPOISON_MEMORY_REGION(c, L.total);
            free(c);
        }
    }
    ASAN_UNPOISON_MEMORY_REGION(b, L.total);
    free(b);
    reset_registry();
    return 0;
}
