/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * lineprog.c - DWARF line programs to rows (lineprog.h).  Follows the
 * DWARF 5 specification, section 6.2; earlier versions differ only in the
 * header (no address size; directory and file tables as NUL-terminated
 * lists).  VLIW op-indexes (maximum_operations_per_instruction > 1) are not
 * supported.
 */
#include "lineprog.h"

#include "../cursor.h"

/* A NUL-terminated string in [p, end). */
WH_RT static struct wh_dl_str rd_cstr(struct wh_rd *r) {
    struct wh_dl_str s = {(const char *)r->p, 0};
    while (!r->bad && r->p < r->end && *r->p)
        r->p++;
    if (r->bad || r->p >= r->end) {
        r->bad = true;
        return (struct wh_dl_str){0, 0};
    }
    s.len = (size_t)((const char *)r->p - s.p);
    r->p++;
    return s;
}

/* The string at offset off of a string section. */
WH_RT static struct wh_dl_str sect_str(struct wh_dl_sect s, uint64_t off) {
    if (!s.p || off >= s.n)
        return (struct wh_dl_str){0, 0};
    struct wh_rd r = {s.p + off, s.p + s.n, false};
    return rd_cstr(&r);
}

/* DWARF 5 forms that file and directory entries use. */
enum {
    F_BLOCK2 = 0x03, F_BLOCK4 = 0x04, F_DATA2 = 0x05, F_DATA4 = 0x06, F_DATA8 = 0x07,
    F_STRING = 0x08, F_BLOCK = 0x09, F_BLOCK1 = 0x0a, F_DATA1 = 0x0b, F_FLAG = 0x0c,
    F_SDATA = 0x0d, F_STRP = 0x0e, F_UDATA = 0x0f, F_SEC_OFFSET = 0x17,
    F_FLAG_PRESENT = 0x19, F_STRX = 0x1a, F_DATA16 = 0x1e, F_LINE_STRP = 0x1f,
    F_STRX1 = 0x25, F_STRX2 = 0x26, F_STRX3 = 0x27, F_STRX4 = 0x28,
};
enum { LNCT_PATH = 1, LNCT_DIRECTORY_INDEX = 2 };

/* Reads one attribute value of the given form: an integer into *v, a
 * string (resolved through .debug_str / .debug_line_str) into *s.  Index
 * forms (strx) need the unit's string-offsets base, which a line table does
 * not give: their string stays unknown. */
WH_RT static void rd_form(const struct wh_dl_unit *u, struct wh_rd *r, uint64_t form, uint64_t *v,
                          struct wh_dl_str *s) {
    *v = 0;
    *s = (struct wh_dl_str){0, 0};
    switch (form) {
    case F_STRING: *s = rd_cstr(r); break;
    case F_LINE_STRP: *s = sect_str(u->in->line_str, rd_n(r, u->offset_size)); break;
    case F_STRP: *s = sect_str(u->in->str, rd_n(r, u->offset_size)); break;
    case F_SEC_OFFSET: *v = rd_n(r, u->offset_size); break;
    case F_DATA1: case F_FLAG: case F_STRX1: *v = rd_n(r, 1); break;
    case F_DATA2: case F_STRX2: *v = rd_n(r, 2); break;
    case F_STRX3: *v = rd_n(r, 3); break;
    case F_DATA4: case F_STRX4: *v = rd_n(r, 4); break;
    case F_DATA8: *v = rd_n(r, 8); break;
    case F_DATA16: rd_skip(r, 16); break;
    case F_UDATA: case F_STRX: *v = rd_uleb(r); break;
    case F_SDATA: *v = (uint64_t)rd_sleb(r); break;
    case F_FLAG_PRESENT: *v = 1; break;
    case F_BLOCK1: rd_skip(r, rd_n(r, 1)); break;
    case F_BLOCK2: rd_skip(r, rd_n(r, 2)); break;
    case F_BLOCK4: rd_skip(r, rd_n(r, 4)); break;
    case F_BLOCK: rd_skip(r, rd_uleb(r)); break;
    default: r->bad = true; break;
    }
}

/* One DWARF 5 directory or file entry at r. */
WH_RT static int rd_entry(const struct wh_dl_unit *u, struct wh_rd *r, const uint8_t *fmt,
                          unsigned nfmt, struct wh_dl_str *path, uint64_t *dir) {
    struct wh_rd f = {fmt, r->end, false};
    *path = (struct wh_dl_str){0, 0};
    *dir = 0;
    for (unsigned i = 0; i < nfmt; i++) {
        uint64_t type = rd_uleb(&f), form = rd_uleb(&f), v;
        struct wh_dl_str s;
        rd_form(u, r, form, &v, &s);
        if (type == LNCT_PATH)
            *path = s;
        else if (type == LNCT_DIRECTORY_INDEX)
            *dir = v;
    }
    return r->bad || f.bad ? WH_DL_BAD : WH_DL_OK;
}

WH_RT int wh_dl_unit_at(const struct wh_dl_input *in, size_t off, struct wh_dl_unit *u) {
    if (!in->line.p || off >= in->line.n)
        return WH_DL_NONE;
    struct wh_rd r = {in->line.p + off, in->line.p + in->line.n, false};
    uint64_t len = rd_n(&r, 4);
    u->offset_size = 4;
    if (len == 0xffffffffu) {
        len = rd_n(&r, 8);
        u->offset_size = 8;
    } else if (len >= 0xfffffff0u) {
        return WH_DL_BAD;
    }
    if (r.bad || len > (uint64_t)(r.end - r.p))
        return WH_DL_BAD;
    r.end = r.p + len;
    u->in = in;
    u->off = off;
    u->next = (size_t)(r.end - in->line.p);
    u->version = (uint16_t)rd_n(&r, 2);
    if (r.bad || u->version < 2 || u->version > 5)
        return r.bad ? WH_DL_BAD : WH_DL_UNSUP;
    u->addr_size = 8;
    if (u->version >= 5) {
        u->addr_size = (uint8_t)rd_n(&r, 1);
        if ((uint8_t)rd_n(&r, 1) != 0) /* segment selectors */
            return WH_DL_UNSUP;
    }
    uint64_t hlen = rd_n(&r, u->offset_size);
    if (r.bad || hlen > (uint64_t)(r.end - r.p))
        return WH_DL_BAD;
    u->prog = r.p + hlen;
    u->end = r.end;
    struct wh_rd h = {r.p, u->prog, false};
    u->min_inst = (uint8_t)rd_n(&h, 1);
    u->max_ops = u->version >= 4 ? (uint8_t)rd_n(&h, 1) : 1;
    u->default_is_stmt = (uint8_t)rd_n(&h, 1);
    u->line_base = (int8_t)rd_n(&h, 1);
    u->line_range = (uint8_t)rd_n(&h, 1);
    u->opcode_base = (uint8_t)rd_n(&h, 1);
    if (h.bad || u->line_range == 0 || u->opcode_base == 0)
        return WH_DL_BAD;
    if (u->max_ops != 1 || (u->addr_size != 4 && u->addr_size != 8))
        return WH_DL_UNSUP;
    u->std_lens = h.p;
    rd_skip(&h, u->opcode_base - 1u);
    u->dir_fmt = u->file_fmt = NULL;
    u->dir_fmt_n = u->file_fmt_n = 0;
    u->ndirs = u->nfiles = 0;
    if (u->version < 5) {
        u->dirs = h.p;
        while (!h.bad && rd_cstr(&h).len)
            ;
        u->files = h.p; /* read entry by entry when asked */
        return h.bad ? WH_DL_BAD : WH_DL_OK;
    }
    /* DWARF 5: a format list, a count and the entries, for directories and
     * then files.  Walked once here, so a malformed table is rejected up
     * front. */
    for (int t = 0; t < 2; t++) {
        uint8_t nfmt = (uint8_t)rd_n(&h, 1);
        const uint8_t *fmt = h.p;
        for (unsigned i = 0; i < nfmt; i++) {
            (void)rd_uleb(&h);
            (void)rd_uleb(&h);
        }
        uint64_t count = rd_uleb(&h);
        if (h.bad)
            return WH_DL_BAD;
        if (t == 0)
            u->dir_fmt = fmt, u->dir_fmt_n = nfmt, u->ndirs = count, u->dirs = h.p;
        else
            u->file_fmt = fmt, u->file_fmt_n = nfmt, u->nfiles = count, u->files = h.p;
        /* Each entry takes at least a byte (else the count could make
         * this loop run 2^64 times), so the table's size bounds it. */
        for (uint64_t e = 0; e < count; e++) {
            struct wh_dl_str s;
            uint64_t d;
            const uint8_t *before = h.p;
            if (rd_entry(u, &h, fmt, nfmt, &s, &d) != WH_DL_OK || h.p == before)
                return WH_DL_BAD;
        }
    }
    return WH_DL_OK;
}

/* Directory d of the unit (DWARF 5: 0-based; earlier: 1-based, 0 = the
 * compilation directory, which the line table does not hold). */
WH_RT static struct wh_dl_str dir_at(const struct wh_dl_unit *u, uint64_t d) {
    struct wh_rd r = {u->dirs, u->prog, false};
    struct wh_dl_str s = {0, 0};
    if (u->version >= 5) {
        if (d >= u->ndirs)
            return s;
        uint64_t dd;
        for (uint64_t i = 0; i <= d; i++)
            if (rd_entry(u, &r, u->dir_fmt, u->dir_fmt_n, &s, &dd) != WH_DL_OK)
                return (struct wh_dl_str){0, 0};
        return s;
    }
    if (d == 0)
        return s;
    for (uint64_t i = 1; i <= d; i++) {
        s = rd_cstr(&r);
        if (r.bad || !s.len)
            return (struct wh_dl_str){0, 0};
    }
    return s;
}

WH_RT int wh_dl_file_at(const struct wh_dl_unit *u, uint64_t index, struct wh_dl_file *out) {
    struct wh_rd r = {u->files, u->prog, false};
    uint64_t d = 0;
    out->name = out->dir = out->base = (struct wh_dl_str){0, 0};
    out->dir0 = false;
    if (u->version >= 5) {
        if (index >= u->nfiles)
            return WH_DL_NONE;
        for (uint64_t i = 0; i <= index; i++)
            if (rd_entry(u, &r, u->file_fmt, u->file_fmt_n, &out->name, &d) != WH_DL_OK)
                return WH_DL_BAD;
    } else {
        if (index == 0)
            return WH_DL_NONE;
        for (uint64_t i = 1; i <= index; i++) {
            out->name = rd_cstr(&r);
            if (r.bad)
                return WH_DL_BAD;
            if (!out->name.len)
                return WH_DL_NONE; /* the list ended (DW_LNE_define_file is not followed) */
            d = rd_uleb(&r);
            (void)rd_uleb(&r); /* mtime */
            (void)rd_uleb(&r); /* length */
            if (r.bad)
                return WH_DL_BAD;
        }
    }
    if (!out->name.p)
        return WH_DL_NONE;
    out->dir = dir_at(u, d);
    out->dir0 = u->version >= 5 && d == 0;
    out->base = (struct wh_dl_str){0, 0};
    if (u->version >= 5 && d != 0 && out->dir.len && out->dir.p[0] != '/')
        out->base = dir_at(u, 0);
    return WH_DL_OK;
}

WH_RT int wh_dl_rows(const struct wh_dl_unit *u, wh_dl_row_fn fn, void *ctx) {
    struct wh_rd r = {u->prog, u->end, false};
    struct wh_dl_row row;
    uint64_t line;
#define RESET()                                                                                    \
    do {                                                                                           \
        row = (struct wh_dl_row){.file = 1, .is_stmt = u->default_is_stmt != 0};                  \
        line = 1;                                                                                  \
    } while (0)
#define EMIT()                                                                                     \
    do {                                                                                           \
        row.line = line > UINT32_MAX ? 0 : (uint32_t)line;                                         \
        if (!fn(ctx, &row))                                                                        \
            return WH_DL_OK;                                                                       \
    } while (0)
    RESET();
    while (r.p < r.end) {
        uint8_t op = (uint8_t)rd_n(&r, 1);
        if (op >= u->opcode_base) { /* special */
            unsigned adj = op - u->opcode_base;
            row.addr += (uint64_t)(adj / u->line_range) * u->min_inst;
            line += (uint64_t)(int64_t)(u->line_base + (int)(adj % u->line_range));
            EMIT();
            continue;
        }
        switch (op) {
        case 0: { /* extended */
            uint64_t len = rd_uleb(&r);
            if (r.bad || len == 0 || len > (uint64_t)(r.end - r.p))
                return WH_DL_BAD;
            const uint8_t *next = r.p + len;
            uint8_t sub = (uint8_t)rd_n(&r, 1);
            if (sub == 1) { /* end_sequence */
                row.end_sequence = true;
                EMIT();
                RESET();
            } else if (sub == 2) { /* set_address */
                if (len - 1 != u->addr_size)
                    return WH_DL_BAD;
                row.addr = rd_n(&r, u->addr_size);
            }
            /* define_file, set_discriminator, vendor ones: skipped. */
            r.p = next;
            break;
        }
        case 1: EMIT(); break;                                       /* copy */
        case 2: row.addr += rd_uleb(&r) * u->min_inst; break;        /* advance_pc */
        case 3: line += (uint64_t)rd_sleb(&r); break;                /* advance_line */
        case 4: row.file = rd_uleb(&r); break;                       /* set_file */
        case 5: {                                                    /* set_column */
            uint64_t c = rd_uleb(&r);
            row.column = c > UINT32_MAX ? 0 : (uint32_t)c;
            break;
        }
        case 6: row.is_stmt = !row.is_stmt; break;                   /* negate_stmt */
        case 7: case 10: case 11: break;   /* basic_block, prologue_end, epilogue_begin */
        case 8:                                                      /* const_add_pc */
            row.addr += (uint64_t)((255u - u->opcode_base) / u->line_range) * u->min_inst;
            break;
        case 9: row.addr += rd_n(&r, 2); break;                      /* fixed_advance_pc */
        default: /* a standard opcode this reader does not know: skip its operands */
            for (unsigned i = 0; i < u->std_lens[op - 1]; i++)
                (void)rd_uleb(&r);
            break;
        }
        if (r.bad)
            return WH_DL_BAD;
    }
#undef RESET
#undef EMIT
    return r.bad ? WH_DL_BAD : WH_DL_OK;
}

/* ---- lookup ------------------------------------------------------------------------ */

WH_RT bool wh_dl_in_code(const struct wh_dl_input *in, uint64_t lo, uint64_t hi) {
    if (!in->ncode || in->ncode > WH_DL_MAX_CODE)
        return true;
    for (uint32_t i = 0; i < in->ncode; i++)
        if (lo >= in->code_lo[i] && lo <= hi && hi <= in->code_hi[i])
            return true;
    return false;
}

struct find_ctx {
    const struct wh_dl_input *in;
    uint64_t addr;
    bool have_prev;
    bool in_seq, skip; /* in a sequence; one that does not start in the code */
    int hits;  /* sequences found covering addr */
    struct wh_dl_row prev, best;
};

WH_RT static bool find_row(void *vc, const struct wh_dl_row *row) {
    struct find_ctx *c = vc;
    if (c->have_prev && c->prev.addr <= c->addr && c->addr < row->addr) {
        if (!c->hits++)
            c->best = c->prev;
        if (c->hits > 1)
            return false;
    }
    if (row->end_sequence) {
        c->have_prev = c->in_seq = false;
        return true;
    }
    /* A sequence's first row says where it is (its rows go up; one that
     * goes back starts over). */
    if (!c->in_seq) {
        c->in_seq = true;
        c->skip = !wh_dl_in_code(c->in, row->addr, row->addr);
    }
    c->prev = *row;
    c->have_prev = !c->skip;
    return true;
}

WH_RT int wh_dl_find(const struct wh_dl_input *in, uint64_t addr, struct wh_dl_hit *hit) {
    size_t off = 0;
    int worst = WH_DL_NONE;
    struct find_ctx c = {.in = in, .addr = addr};
    struct wh_dl_unit u, found = {0};
    /* every unit, for a second sequence over addr, up to one whose end is
     * unknown (the units read so far answer) */
    while (in->line.p && off < in->line.n) {
        int rc = wh_dl_unit_at(in, off, &u);
        if (rc == WH_DL_BAD) {
            worst = WH_DL_BAD; /* the next unit's offset is unknown */
            break;
        }
        if (rc == WH_DL_OK) {
            int had = c.hits;
            c.have_prev = c.in_seq = false;
            rc = wh_dl_rows(&u, find_row, &c);
            if (c.hits > 1)
                return WH_DL_AMBIG;
            if (c.hits && !had)
                found = u;
        }
        if (rc != WH_DL_OK && rc != WH_DL_NONE)
            worst = rc;
        if (u.next <= off) {
            worst = WH_DL_BAD;
            break;
        }
        off = u.next;
    }
    if (!c.hits)
        return worst;
    hit->unit = found;
    hit->row = c.best;
    return WH_DL_OK;
}
