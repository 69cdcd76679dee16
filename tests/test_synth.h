/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_synth.h - helpers shared by the runtime's cmocka tests:
 *
 *   - struct mb builds a whence_mod table (subprogs, locs, strings) exactly
 *     as whence_abi.h lays it out;
 *   - struct img is a synthetic image: one mmap holding a fake text area
 *     (never executed; filled with int3) and the three record sections, so
 *     the pc-relative int32 fields always reach; registered through the real
 *     __whence_register hook;
 *   - cap_begin/cap_end capture what the runtime writes to stderr.
 *
 * Header-only (static functions): each test_*.c is its own executable.
 */
#ifndef WHENCE_TEST_SYNTH_H
#define WHENCE_TEST_SYNTH_H

#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"
#include "whence.h"
#include "whence_abi.h"


/* ---- module tables ---------------------------------------------------------- */
#define MB_MAX_SP  512
#define MB_MAX_LOC 2048
#define MB_MAX_STR 32768

#define MB_MAX_FILE 64

struct mb {
    uint64_t key;
    uint32_t flags, name;
    uint32_t nsp, nloc, nstr, nfile;
    struct whence_subprog sp[MB_MAX_SP];
    struct whence_loc loc[MB_MAX_LOC];
    uint32_t file[MB_MAX_FILE]; /* string offsets */
    char str[MB_MAX_STR];
};

static inline uint32_t mb_str(struct mb *m, const char *s) {
    size_t n = strlen(s) + 1;
    if (n == 1)
        return 0;
    assert_true(m->nstr + n <= MB_MAX_STR);
    memcpy(m->str + m->nstr, s, n);
    m->nstr += (uint32_t)n;
    return m->nstr - (uint32_t)n;
}

static inline struct mb *mb_new(uint64_t key, const char *name) {
    struct mb *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->key = key;
    m->flags = WHENCE_MOD_LINES | WHENCE_MOD_SITES;
    m->nstr = 1; /* offset 0 is "" */
    m->name = mb_str(m, name);
    return m;
}

/* 1 + index of file in the module's file list (0 for ""), added once. */
static inline uint32_t mb_file(struct mb *m, const char *file) {
    if (!*file)
        return 0;
    for (uint32_t i = 0; i < m->nfile; i++)
        if (!strcmp(m->str + m->file[i], file))
            return i + 1;
    assert_true(m->nfile < MB_MAX_FILE);
    m->file[m->nfile++] = mb_str(m, file);
    return m->nfile;
}

static inline uint32_t mb_subprog(struct mb *m, const char *name, const char *file, uint32_t line) {
    assert_true(m->nsp < MB_MAX_SP);
    assert_true(line <= WHENCE_SUBPROG_LINE_MAX);
    uint32_t n = mb_str(m, name);
    m->sp[m->nsp] = (struct whence_subprog){n, mb_file(m, file) << WHENCE_SUBPROG_LINE_BITS | line};
    return m->nsp++;
}

/* parent: index of the inlinedAt loc, or -1 for none; as the pass does, a
 * parent is added before the locs that name it (the runtime ends a chain at
 * a parent that is not). */
static inline uint32_t mb_loc(struct mb *m, uint32_t sub, uint32_t line, uint32_t col, int parent) {
    assert_true(m->nloc < MB_MAX_LOC);
    assert_true(col <= WHENCE_LOC_COLUMN_MAX);
    m->loc[m->nloc] = (struct whence_loc){sub, line,
                                          col << WHENCE_LOC_PARENT_BITS |
                                              (parent < 0 ? 0 : (uint32_t)parent + 1)};
    return m->nloc++;
}

/* Bytes of one loc as emitted: 8 with WHENCE_MOD_LOC8 in flags. */
static inline uint32_t mb_locsz(const struct mb *m) {
    return m->flags & WHENCE_MOD_LOC8 ? (uint32_t)sizeof(struct whence_loc8)
                                      : (uint32_t)sizeof(struct whence_loc);
}

static inline size_t mb_size(const struct mb *m) {
    size_t n = sizeof(struct whence_mod_header) + m->nsp * sizeof(struct whence_subprog) +
               m->nloc * mb_locsz(m) + m->nfile * 4 + m->nstr;
    return (n + 7) & ~(size_t)7;
}

/* Writes the table to dst (8-aligned, zeroed) and returns its size; hdr, if
 * given, receives the header so a test can corrupt it. */
static inline size_t mb_emit(const struct mb *m, void *dst) {
    struct whence_mod_header h;
    memset(&h, 0, sizeof h);
    h.magic = WHENCE_MOD_MAGIC;
    h.version = WHENCE_ABI_VERSION;
    h.header_size = sizeof h;
    h.total_size = (uint32_t)mb_size(m);
    h.flags = m->flags;
    h.key = m->key;
    h.subprog_count = m->nsp;
    h.subprog_off = sizeof h;
    h.loc_count = m->nloc;
    h.loc_off = h.subprog_off + m->nsp * (uint32_t)sizeof(struct whence_subprog);
    h.file_count = m->nfile;
    h.file_off = h.loc_off + m->nloc * mb_locsz(m);
    h.str_size = m->nstr;
    h.str_off = h.file_off + m->nfile * 4;
    h.module_name = m->name;
    char *d = dst;
    memset(d, 0, h.total_size);
    memcpy(d, &h, sizeof h);
    memcpy(d + h.subprog_off, m->sp, m->nsp * sizeof(struct whence_subprog));
    if (m->flags & WHENCE_MOD_LOC8) { /* the same fields, narrower (they must fit) */
        for (uint32_t i = 0; i < m->nloc; i++) {
            const struct whence_loc *l = &m->loc[i];
            assert_true(l->line <= WHENCE_LOC8_LINE_MAX && WHENCE_LOC_FILE(l) <= WHENCE_LOC8_FILE_MAX &&
                        WHENCE_LOC_COLUMN(l) <= WHENCE_LOC8_COLUMN_MAX &&
                        WHENCE_LOC_SUBPROG(l) <= WHENCE_LOC8_SUB_MAX &&
                        WHENCE_LOC_PARENT(l) <= WHENCE_LOC8_PARENT_MAX);
            struct whence_loc8 n = {
                l->line | WHENCE_LOC_FILE(l) << WHENCE_LOC8_LINE_BITS |
                    WHENCE_LOC_COLUMN(l) << (WHENCE_LOC8_LINE_BITS + WHENCE_LOC8_FILE_BITS),
                WHENCE_LOC_SUBPROG(l) | WHENCE_LOC_PARENT(l) << WHENCE_LOC8_SUB_BITS};
            memcpy(d + h.loc_off + i * sizeof n, &n, sizeof n);
        }
    } else {
        memcpy(d + h.loc_off, m->loc, m->nloc * sizeof(struct whence_loc));
    }
    memcpy(d + h.file_off, m->file, m->nfile * 4);
    memcpy(d + h.str_off, m->str, m->nstr);
    return h.total_size;
}

/* ---- synthetic images ------------------------------------------------------------ */
struct img {
    unsigned char *map;
    size_t map_size;
    unsigned char *text, *fn, *site, *mod;
    size_t text_size, fn_len, site_len, mod_len, fn_cap, site_cap, mod_cap;
};

static inline struct img *img_new(size_t text_size, size_t nfn, size_t nsite, size_t mod_cap) {
    struct img *g = calloc(1, sizeof *g);
    assert_non_null(g);
    g->text_size = text_size;
    g->fn_cap = nfn * WHENCE_FN_RECORD_SIZE + 64;
    g->site_cap = nsite * 8 + 64;
    g->mod_cap = (mod_cap + 4095) & ~(size_t)4095;
    size_t t = (text_size + 4095) & ~(size_t)4095;
    size_t f = (g->fn_cap + 4095) & ~(size_t)4095;
    size_t s = (g->site_cap + 4095) & ~(size_t)4095;
    g->map_size = t + f + s + g->mod_cap;
    g->map = mmap(NULL, g->map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(g->map != MAP_FAILED);
    g->text = g->map;
    g->fn = g->map + t;
    g->site = g->fn + f;
    g->mod = g->site + s;
    memset(g->text, 0xcc, text_size);
    return g;
}

static inline void img_fn(struct img *g, size_t off, uint32_t size, uint64_t key, uint32_t sub) {
    assert_true(g->fn_len + WHENCE_FN_RECORD_SIZE <= g->fn_cap);
    unsigned char *r = g->fn + g->fn_len;
    int32_t rel = (int32_t)((intptr_t)(g->text + off) - (intptr_t)r);
    memcpy(r + WHENCE_FN_OFF_ENTRY, &rel, 4);
    memcpy(r + WHENCE_FN_OFF_SIZE, &size, 4);
    uint64_t keysub = key << WHENCE_FN_SUB_BITS | sub;
    memcpy(r + WHENCE_FN_OFF_KEYSUB, &keysub, 8);
    g->fn_len += WHENCE_FN_RECORD_SIZE;
}

static inline void img_site(struct img *g, size_t off, uint32_t loc) {
    assert_true(g->site_len + 8 <= g->site_cap);
    unsigned char *r = g->site + g->site_len;
    int32_t rel = (int32_t)((intptr_t)(g->text + off) - (intptr_t)r);
    memcpy(r, &rel, 4);
    memcpy(r + 4, &loc, 4);
    g->site_len += 8;
}

static inline size_t img_mod(struct img *g, const struct mb *m) {
    assert_true(g->mod_len + mb_size(m) <= g->mod_cap);
    size_t at = g->mod_len;
    g->mod_len += mb_emit(m, g->mod + at);
    return at;
}

static inline void img_mod_raw(struct img *g, const void *p, size_t n) {
    assert_true(g->mod_len + n <= g->mod_cap);
    memcpy(g->mod + g->mod_len, p, n);
    g->mod_len += (n + 7) & ~(size_t)7;
}

static inline void img_register(struct img *g) {
    __whence_register(WHENCE_ABI_VERSION, g->fn, g->fn + g->fn_len, g->site, g->site + g->site_len,
                      g->mod, g->mod + g->mod_len, NULL, NULL);
}

static inline void img_unregister(struct img *g) { __whence_unregister(g->mod); }

static inline uintptr_t img_pc(const struct img *g, size_t off) { return (uintptr_t)(g->text + off); }

/* ---- stderr capture ------------------------------------------------------------- */
struct cap {
    int saved;
    FILE *tmp;
};

static inline void cap_begin(struct cap *c) {
    fflush(stderr);
    c->tmp = tmpfile();
    assert_non_null(c->tmp);
    c->saved = dup(2);
    dup2(fileno(c->tmp), 2);
}

/* Returns a malloc'ed NUL-terminated copy of what was written. */
static inline char *cap_end(struct cap *c) {
    fflush(stderr);
    dup2(c->saved, 2);
    close(c->saved);
    long n = lseek(fileno(c->tmp), 0, SEEK_END);
    char *s = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
    assert_non_null(s);
    if (n > 0) {
        assert_int_equal(pread(fileno(c->tmp), s, (size_t)n, 0), n);
    }
    fclose(c->tmp);
    return s;
}

static inline int count_str(const char *hay, const char *needle) {
    int n = 0;
    size_t k = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += k)
        n++;
    return n;
}

/* Enough lookups of pc for its image to get its buckets (which check every
 * record and table completely and report what they drop): the first
 * WH_RAW_LOOKUPS lookups of an image read its records directly. */
static inline void img_accelerate(uintptr_t pc) {
    for (uint32_t k = 0; k <= WH_RAW_LOOKUPS; k++)
        (void)whence_func_for_pc(pc);
}

/* The registry slot of a registered image (slots are reused: not
 * necessarily the last one). */
static inline struct wh_slot *img_slot(const struct img *g) {
    uint32_t n = atomic_load(&wh_nslots);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        if (atomic_load(&s->live) && atomic_load(&s->mod_start) == (uintptr_t)g->mod)
            return s;
    }
    fail_msg("image not registered");
    return NULL;
}

#endif /* WHENCE_TEST_SYNTH_H */
