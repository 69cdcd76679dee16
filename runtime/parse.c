/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * parse.c - validation of the whence_mod tables of one image.  The bytes come
 * from whatever was linked in, so nothing is trusted.  A first lookup checks
 * only the header of the one table it needs (wh_mod_header: magic, version,
 * sizes, array bounds, a NUL-terminated string pool), in O(1), and every
 * index it then follows is checked where it is used (internal.h, wh_mod_*).
 * whence_func_for_pc and whence_func_name, before the buckets, leave out the
 * pool's last byte (wh_mod_header_lazy: in a large module a page no answer
 * needs) and check the one name they return instead (wh_pool_str);
 * when an image's buckets are built every table is checked completely
 * (string bounds, index ranges, acyclic inline chains, wh_parse_mods) and a
 * bad one is ignored with one line on stderr while the others keep working.
 */
#include "internal.h"

#include <string.h>

WH_RT static void report(uintptr_t at, const char *name, const char *why, uint64_t a,
                         const char *why2) {
    struct wh_buf w = {.fd = 2};
    wh_buf_str(&w, "whence: ignoring module ");
    if (name) {
        wh_buf_str(&w, "'");
        wh_buf_str(&w, name);
        wh_buf_str(&w, "' ");
    }
    wh_buf_str(&w, "at ");
    wh_buf_hex(&w, at);
    wh_buf_str(&w, ": ");
    wh_buf_str(&w, why);
    if (why2) {
        wh_buf_dec(&w, a);
        wh_buf_str(&w, why2);
    }
    wh_buf_str(&w, "\n");
    wh_buf_flush(&w);
}

/* An array of count elements of elsz bytes at off inside a table of total. */
WH_RT static bool array_ok(uint32_t off, uint32_t count, uint32_t elsz, uint32_t hdr,
                           uint32_t total) {
    if (count == 0)
        return off <= total;
    return off % 4 == 0 && off >= hdr && (uint64_t)off + (uint64_t)count * elsz <= total;
}

/* Checks every entry of one table whose header check_header accepted, at t,
 * toff bytes into its section.  Returns NULL or why it is bad; *name is the
 * module's name. */
WH_RT static const char *check_table(uintptr_t t, uint32_t toff, const struct whence_mod_header *h,
                                     struct wh_mod *m, const char **name, uint64_t *bad,
                                     const char **why2) {
    (void)toff;
    const char *str = (const char *)(t + h->str_off);
    *name = str + h->module_name;
    const struct whence_subprog *sp = (const struct whence_subprog *)(t + h->subprog_off);
    for (uint32_t i = 0; i < h->subprog_count; i++) {
        if (sp[i].name >= h->str_size) {
            *bad = i;
            *why2 = " has a string out of bounds";
            return "subprog ";
        }
        if (WHENCE_SUBPROG_FILE(&sp[i]) > h->file_count) {
            *bad = i;
            *why2 = " names a file out of range";
            return "subprog ";
        }
    }
    for (uint32_t i = 0; i < h->loc_count; i++) {
        struct whence_loc buf;
        const struct whence_loc *lc = wh_mod_loc(m, i, &buf); /* m: check_header's */
        if (WHENCE_LOC_SUBPROG(lc) >= h->subprog_count) {
            *bad = i;
            *why2 = " names a subprog out of range";
            return "loc ";
        }
        /* The pass adds a loc's parent before the loc: a parent with a
         * larger index (or itself) would allow a cycle. */
        if (WHENCE_LOC_PARENT(lc) > i) {
            *bad = i;
            *why2 = " has a parent out of order";
            return "loc ";
        }
        if (lc->line > INT32_MAX) {
            *bad = i;
            *why2 = " has a line out of range";
            return "loc ";
        }
        if (WHENCE_LOC_FILE(lc) > h->file_count) {
            *bad = i;
            *why2 = " names a file out of range";
            return "loc ";
        }
    }
    const uint32_t *files = (const uint32_t *)(t + h->file_off);
    for (uint32_t i = 0; i < h->file_count; i++) {
        if (files[i] >= h->str_size) {
            *bad = i;
            *why2 = " is out of bounds";
            return "file string ";
        }
    }
    return NULL;
}

/* The array bounds and the string pool, from a header already known to be
 * of this version with sane sizes; fills m.  pool_end: check the pool's
 * final NUL too (else the caller bounds every string it reads). */
WH_RT WH_ONCE static const char *check_header(uintptr_t t, const struct whence_mod_header *h,
                                      struct wh_mod *m, bool pool_end) {
    uint32_t hs = h->header_size, tot = h->total_size;
    if (!array_ok(h->subprog_off, h->subprog_count, sizeof(struct whence_subprog), hs, tot))
        return "subprog array out of bounds";
    uint32_t locsz = h->flags & WHENCE_MOD_LOC8 ? (uint32_t)sizeof(struct whence_loc8)
                                                : (uint32_t)sizeof(struct whence_loc);
    if (!array_ok(h->loc_off, h->loc_count, locsz, hs, tot))
        return "loc array out of bounds";
    if (!array_ok(h->file_off, h->file_count, 4, hs, tot) || h->file_count > 0xffff)
        return "file array out of bounds";
    if (h->str_size == 0 || h->str_off < hs || (uint64_t)h->str_off + h->str_size > tot)
        return "string pool out of bounds";
    if (pool_end && ((const char *)(t + h->str_off))[h->str_size - 1] != 0)
        return "string pool not NUL-terminated";
    /* Offset 0 is "" (whence_abi.h): a moved pool offset reads names from
     * their second byte on. */
    if (pool_end && ((const char *)(t + h->str_off))[0] != 0)
        return "string pool does not start with an empty string";
    if (h->flags & ~WHENCE_MOD_FLAGS_ALL)
        return "flags this version does not define";
    if (h->module_name >= h->str_size)
        return "module name out of bounds";
    m->base = t;
    m->key = h->key;
    m->subprog_off = h->subprog_off;
    m->loc_off = h->loc_off;
    m->str_off = h->str_off;
    m->file_off = h->file_off;
    m->nsubprog = h->subprog_count;
    m->nloc = h->loc_count;
    m->str_size = h->str_size;
    m->nfile = h->file_count;
    m->name = h->module_name;
    m->flags = h->flags;
    m->subfn = UINT32_MAX;
    m->line_bias = 0;
    m->pack = m->pk_lazy = 0;
    m->pk_memo = NULL;
    memset(m->width, 0, sizeof m->width);
    return NULL;
}

/* The sizes of a header of the right version: a table that fits. */
WH_RT static bool sizes_ok(const struct whence_mod_header *h, uintptr_t left) {
    return h->header_size >= sizeof *h && h->header_size % 4 == 0 &&
           h->total_size >= h->header_size && h->total_size % 8 == 0 && h->total_size <= left;
}

WH_RT WH_ONCE static const char *mod_header(uintptr_t base, uintptr_t left, struct wh_mod *m,
                                    bool pool_end) {
    struct whence_mod_header h;
    if (left < sizeof h)
        return "truncated header";
    memcpy(&h, (const void *)base, sizeof h);
    if (h.magic != WHENCE_MOD_MAGIC)
        return "bad magic";
    if (h.version != WHENCE_ABI_VERSION)
        return "record ABI version";
    if (!sizes_ok(&h, left))
        return "bad header_size or total_size";
    return check_header(base, &h, m, pool_end);
}

WH_RT WH_ONCE const char *wh_mod_header(uintptr_t base, uintptr_t left, struct wh_mod *m) {
    return mod_header(base, left, m, true);
}

/* A large module's string pool ends pages away from its header and from
 * any one name: a process's first lookup that reads one name checks that
 * name instead (wh_pool_str). */
WH_RT WH_ONCE const char *wh_mod_header_lazy(uintptr_t base, uintptr_t left, struct wh_mod *m) {
    return mod_header(base, left, m, false);
}

WH_RT WH_ONCE const char *wh_pool_str(const struct wh_mod *m, uint32_t off) {
    if (off >= m->str_size)
        return NULL;
    const char *p = (const char *)(m->base + m->str_off + off);
    uint32_t i = 0, left = m->str_size - off;
    /* 8 bytes at a time while they lie inside the pool (a zero byte in v:
     * the classic (v - 0x01..) & ~v & 0x80.. test), then byte by byte */
    for (uint64_t v; left - i >= 8; i += 8) {
        memcpy(&v, p + i, 8);
        if ((v - UINT64_C(0x0101010101010101)) & ~v & UINT64_C(0x8080808080808080))
            return p;
    }
    for (; i < left; i++)
        if (!p[i])
            return p;
    return NULL;
}

WH_RT uint32_t wh_parse_mods(uintptr_t ms, uintptr_t me, struct wh_mod *out, uint32_t cap,
                              uint32_t *ignored) {
    uint32_t n = 0, bad = 0;
    bool in_garbage = false; /* bytes after a bad table: reported with it */
    uintptr_t pos = ms;
    while (pos < me && me - pos >= 8) {
        uint32_t magic;
        memcpy(&magic, (const void *)pos, 4);
        if (magic == 0) { /* alignment padding between tables */
            pos += 8;
            continue;
        }
        if (magic != WHENCE_MOD_MAGIC) {
            if (!in_garbage) {
                report(pos, NULL, "bad magic", 0, NULL);
                bad++;
            }
            in_garbage = true;
            pos += 8; /* tables are 8-aligned: resynchronise on the next one */
            continue;
        }
        struct whence_mod_header h;
        if (me - pos < sizeof h) {
            report(pos, NULL, "truncated header", 0, NULL);
            bad++;
            break;
        }
        memcpy(&h, (const void *)pos, sizeof h);
        in_garbage = false;
        uintptr_t left = me - pos;
        if (h.version != WHENCE_ABI_VERSION) {
            report(pos, NULL, "record ABI version ", h.version,
                   " (this runtime reads version " WH_STR(WHENCE_ABI_VERSION_NUM) ")");
            bad++;
            if (h.total_size >= 8 && h.total_size % 8 == 0 && h.total_size <= left) {
                pos += h.total_size;
            } else {
                in_garbage = true;
                pos += 8;
            }
            continue;
        }
        if (!sizes_ok(&h, left)) {
            report(pos, NULL,
                   h.total_size > left ? "truncated table (total_size past the section end)"
                                       : "bad header_size or total_size",
                   0, NULL);
            bad++;
            in_garbage = true;
            pos += 8;
            continue;
        }
        const char *name = NULL, *why2 = NULL;
        uint64_t which = 0;
        struct wh_mod m;
        const char *why = check_header(pos, &h, &m, true);
        if (!why)
            why = check_table(pos, (uint32_t)(pos - ms), &h, &m, &name, &which, &why2);
        if (why) {
            report(pos, name, why, which, why2);
            bad++;
        } else if (n < cap) {
            out[n++] = m;
        }
        pos += h.total_size;
    }
    *ignored = bad;
    return n;
}
