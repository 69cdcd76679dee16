/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * ehframe.c - the pure half of the .eh_frame unwinder (cfi.h): reading
 * .eh_frame_hdr's search table, CIE and FDE records, and running their
 * DW_CFA programs up to a pc.  Nothing here calls the system or touches
 * memory outside the ranges its caller declared readable; every record is
 * checked to lie inside one such range before its fields are read, and the
 * programs are read through a bounded cursor.  What compilers emit for
 * x86-64 is interpreted.  Of DWARF expressions the kinds a CFA is given by
 * are evaluated (arithmetic, and loads through the caller's reader); a
 * register saved by an expression (DW_CFA_expression) becomes unknown.
 */
#include "cfi.h"

#include "../cursor.h"
#include "../internal.h"

/* DW_EH_PE pointer encodings. */
#define PE_OMIT    0xff
#define PE_ABSPTR  0x00
#define PE_ULEB    0x01
#define PE_UDATA2  0x02
#define PE_UDATA4  0x03
#define PE_UDATA8  0x04
#define PE_SLEB    0x09
#define PE_SDATA2  0x0a
#define PE_SDATA4  0x0b
#define PE_SDATA8  0x0c
#define PE_PCREL   0x10
#define PE_DATAREL 0x30
#define PE_INDIRECT 0x80

WH_RT bool wh_cfi_readable(const struct wh_cfi_mem *m, uintptr_t p, size_t n) {
    for (uint32_t i = 0; i < m->n && i < WH_CFI_MAXSEG; i++)
        if (p >= m->lo[i] && p <= m->hi[i] && n <= m->hi[i] - p)
            return true;
    return false;
}

WH_RT uintptr_t wh_cfi_range_end(const struct wh_cfi_mem *m, uintptr_t p) {
    for (uint32_t i = 0; i < m->n && i < WH_CFI_MAXSEG; i++)
        if (p >= m->lo[i] && p < m->hi[i])
            return m->hi[i];
    return 0;
}

/* ---- the bounded cursor (../cursor.h) ------------------------------------ */

/* An encoded pointer; indirect pointers are not followed (only the
 * personality routine uses them, and it is skipped). */
WH_RT static uintptr_t rd_enc(struct wh_rd *r, uint8_t enc, uintptr_t dbase) {
    uintptr_t at = (uintptr_t)r->p;
    uint64_t v;
    switch (enc & 0x0f) {
    case PE_ABSPTR: v = rd_n(r, 8); break;
    case PE_ULEB:   v = rd_uleb(r); break;
    case PE_UDATA2: v = rd_n(r, 2); break;
    case PE_UDATA4: v = rd_n(r, 4); break;
    case PE_UDATA8: v = rd_n(r, 8); break;
    case PE_SLEB:   v = (uint64_t)rd_sleb(r); break;
    case PE_SDATA2: v = (uint64_t)(int64_t)(int16_t)rd_n(r, 2); break;
    case PE_SDATA4: v = (uint64_t)(int64_t)(int32_t)rd_n(r, 4); break;
    case PE_SDATA8: v = rd_n(r, 8); break;
    default: r->bad = true; return 0;
    }
    switch (enc & 0x70) {
    case 0: break;
    case PE_PCREL: v += at; break;
    case PE_DATAREL:
        if (!dbase)
            r->bad = true;
        v += dbase;
        break;
    default: r->bad = true; return 0; /* textrel, funcrel, aligned: not used on x86-64 */
    }
    return (uintptr_t)v;
}

/* A CIE or FDE record at p: its body [*body, *end) after the length word.
 * 64-bit DWARF (length 0xffffffff) is not emitted for .eh_frame. */
WH_RT static int record(const struct wh_cfi_mem *m, uintptr_t p, const uint8_t **body,
                        const uint8_t **end) {
    if (!wh_cfi_readable(m, p, 4))
        return WH_CFI_BAD;
    struct wh_rd r = {(const uint8_t *)p, (const uint8_t *)p + 4, false};
    uint64_t n = rd_n(&r, 4);
    if (n == 0 || n >= 0xfffffff0u || !wh_cfi_readable(m, p + 4, (size_t)n))
        return WH_CFI_BAD;
    *body = (const uint8_t *)p + 4;
    *end = *body + n;
    return WH_CFI_OK;
}

WH_RT int wh_cfi_parse_fde(const struct wh_cfi_mem *m, uintptr_t fde, uintptr_t dbase,
                           struct wh_cfi_fde *out) {
    const uint8_t *fb, *fe;
    if (record(m, fde, &fb, &fe) != WH_CFI_OK)
        return WH_CFI_BAD;
    struct wh_rd r = {fb, fe, false};
    uint32_t cie_ptr = (uint32_t)rd_n(&r, 4);
    if (r.bad || cie_ptr == 0) /* 0 would make this record a CIE */
        return WH_CFI_BAD;
    uintptr_t cie = (uintptr_t)fb - cie_ptr; /* relative to the field itself */
    if (cie >= (uintptr_t)fb)
        return WH_CFI_BAD;
    const uint8_t *cb, *ce;
    if (record(m, cie, &cb, &ce) != WH_CFI_OK)
        return WH_CFI_BAD;
    struct wh_rd c = {cb, ce, false};
    if (rd_n(&c, 4) != 0) /* CIE id */
        return WH_CFI_BAD;
    uint8_t version = (uint8_t)rd_n(&c, 1);
    if (c.bad || (version != 1 && version != 3))
        return WH_CFI_UNSUP;
    const uint8_t *aug = c.p;
    while (c.p < c.end && *c.p)
        c.p++;
    if (c.p >= c.end)
        return WH_CFI_BAD;
    const uint8_t *aug_end = c.p++;
    out->code_align = rd_uleb(&c);
    out->data_align = rd_sleb(&c);
    out->ra_reg = version == 1 ? (uint32_t)rd_n(&c, 1) : (uint32_t)rd_uleb(&c);
    if (c.bad || out->ra_reg >= WH_UW_NREGS || out->code_align == 0)
        return c.bad ? WH_CFI_BAD : WH_CFI_UNSUP;
    uint8_t fde_enc = PE_ABSPTR, lsda_enc = PE_OMIT;
    bool has_z = false;
    out->signal_frame = false;
    if (aug < aug_end) {
        if (aug[0] != 'z')
            return WH_CFI_UNSUP; /* without 'z' the augmentation's size is unknown */
        has_z = true;
        uint64_t alen = rd_uleb(&c);
        if (c.bad || alen > (uint64_t)(c.end - c.p))
            return WH_CFI_BAD;
        struct wh_rd a = {c.p, c.p + alen, false};
        c.p += alen;
        for (const uint8_t *s = aug + 1; s < aug_end; s++) {
            switch (*s) {
            case 'R': fde_enc = (uint8_t)rd_n(&a, 1); break;
            case 'L': lsda_enc = (uint8_t)rd_n(&a, 1); break;
            case 'P': {
                uint8_t penc = (uint8_t)rd_n(&a, 1);
                (void)rd_enc(&a, penc & (uint8_t)~PE_INDIRECT, dbase ? dbase : 1);
                break;
            }
            case 'S': out->signal_frame = true; break;
            case 'B': break; /* aarch64 BTI marker; no data */
            default: return WH_CFI_UNSUP;
            }
            if (a.bad)
                return WH_CFI_BAD;
        }
    }
    (void)lsda_enc;
    out->cie_ins = c.p;
    out->cie_ins_end = c.end;

    out->pc_begin = rd_enc(&r, fde_enc, dbase);
    uintptr_t range = rd_enc(&r, fde_enc & 0x0f, 0);
    if (r.bad)
        return WH_CFI_BAD;
    out->pc_end = out->pc_begin + range;
    if (out->pc_end < out->pc_begin)
        return WH_CFI_BAD;
    if (has_z) {
        uint64_t alen = rd_uleb(&r);
        if (r.bad || alen > (uint64_t)(r.end - r.p))
            return WH_CFI_BAD;
        r.p += alen;
    }
    out->ins = r.p;
    out->ins_end = r.end;
    return WH_CFI_OK;
}

/* ---- the CFA program ------------------------------------------------------- */
#define WH_CFI_STACK 8 /* DW_CFA_remember_state depth */

struct interp {
    const struct wh_cfi_fde *f;
    struct wh_cfi_row *row;
    const struct wh_cfi_row *init;  /* after the CIE's program, for DW_CFA_restore */
    struct wh_cfi_row stack[WH_CFI_STACK];
    uint32_t depth;
    uintptr_t loc;
    bool overflow;
};

/* A factored offset (operand * data alignment); an overflowing one marks
 * the program malformed. */
WH_RT static int64_t factor(struct interp *s, int64_t v) {
    int64_t out;
    if (__builtin_mul_overflow(v, s->f->data_align, &out)) {
        s->overflow = true;
        return 0;
    }
    return out;
}

/* Sets register reg's rule; registers this unwinder does not track (vector
 * registers) are accepted and ignored. */
WH_RT static void set_rule(struct interp *s, uint64_t reg, uint8_t kind, int64_t off,
                           uint64_t other) {
    if (reg >= WH_UW_NREGS)
        return;
    if (kind == WH_RULE_REG && other >= WH_UW_NREGS)
        kind = WH_RULE_UNSUP;
    if (off != (int32_t)off)
        kind = WH_RULE_UNSUP; /* no frame is 2 GiB: treated as unknown */
    s->row->r[reg] = (struct wh_cfi_rule){kind, (uint8_t)other, (int32_t)off};
}

/* Runs [p, end) while the location stays <= pc.  Returns WH_CFI_OK when
 * the program ended or passed pc. */
WH_RT static int run(struct interp *s, const uint8_t *p, const uint8_t *end, uintptr_t pc,
                     bool is_cie) {
    struct wh_rd r = {p, end, false};
    const struct wh_cfi_fde *f = s->f;
    while (r.p < r.end) {
        uint8_t op = (uint8_t)rd_n(&r, 1);
        uint8_t low = op & 0x3f;
        uint64_t reg, adv = 0;
        bool advance = false;
        switch (op >> 6) {
        case 1: /* DW_CFA_advance_loc */
            adv = low;
            advance = true;
            break;
        case 2: /* DW_CFA_offset */
            set_rule(s, low, WH_RULE_OFFSET, factor(s, (int64_t)rd_uleb(&r)), 0);
            break;
        case 3: /* DW_CFA_restore */
            if (is_cie)
                return WH_CFI_BAD;
            if (low < WH_UW_NREGS)
                s->row->r[low] = s->init->r[low];
            break;
        default:
            switch (op) {
            case 0x00: break; /* nop */
            /* 0x01 DW_CFA_set_loc: not emitted for x86-64 (its operand
             * would need the FDE's pointer encoding): unsupported. */
            case 0x02: adv = rd_n(&r, 1); advance = true; break;
            case 0x03: adv = rd_n(&r, 2); advance = true; break;
            case 0x04: adv = rd_n(&r, 4); advance = true; break;
            case 0x05: /* offset_extended */
                reg = rd_uleb(&r);
                set_rule(s, reg, WH_RULE_OFFSET, factor(s, (int64_t)rd_uleb(&r)), 0);
                break;
            case 0x06: /* restore_extended */
                if (is_cie)
                    return WH_CFI_BAD;
                reg = rd_uleb(&r);
                if (reg < WH_UW_NREGS)
                    s->row->r[reg] = s->init->r[reg];
                break;
            case 0x07: set_rule(s, rd_uleb(&r), WH_RULE_UNDEF, 0, 0); break;
            case 0x08: set_rule(s, rd_uleb(&r), WH_RULE_SAME, 0, 0); break;
            case 0x09: /* register */
                reg = rd_uleb(&r);
                set_rule(s, reg, WH_RULE_REG, 0, rd_uleb(&r));
                break;
            case 0x0a: /* remember_state */
                if (s->depth == WH_CFI_STACK)
                    return WH_CFI_UNSUP;
                s->stack[s->depth++] = *s->row;
                break;
            case 0x0b: /* restore_state */
                if (!s->depth)
                    return WH_CFI_BAD;
                *s->row = s->stack[--s->depth];
                break;
            case 0x0c: /* def_cfa */
                s->row->cfa_reg = (uint32_t)rd_uleb(&r);
                s->row->cfa_off = (int64_t)rd_uleb(&r);
                s->row->cfa_expr = NULL;
                break;
            case 0x0d: s->row->cfa_reg = (uint32_t)rd_uleb(&r); s->row->cfa_expr = NULL; break;
            case 0x0e: s->row->cfa_off = (int64_t)rd_uleb(&r); break;
            case 0x0f: { /* def_cfa_expression */
                uint64_t n = rd_uleb(&r);
                if (r.bad || n > (uint64_t)(r.end - r.p))
                    return WH_CFI_BAD;
                s->row->cfa_expr = r.p;
                s->row->cfa_expr_end = r.p + n;
                r.p += n;
                break;
            }
            case 0x10:   /* expression */
            case 0x16: { /* val_expression */
                reg = rd_uleb(&r);
                uint64_t n = rd_uleb(&r);
                if (r.bad || n > (uint64_t)(r.end - r.p))
                    return WH_CFI_BAD;
                r.p += n;
                set_rule(s, reg, WH_RULE_UNSUP, 0, 0);
                break;
            }
            case 0x11: /* offset_extended_sf */
                reg = rd_uleb(&r);
                set_rule(s, reg, WH_RULE_OFFSET, factor(s, rd_sleb(&r)), 0);
                break;
            case 0x12: /* def_cfa_sf */
                s->row->cfa_reg = (uint32_t)rd_uleb(&r);
                s->row->cfa_off = factor(s, rd_sleb(&r));
                s->row->cfa_expr = NULL;
                break;
            case 0x13: s->row->cfa_off = factor(s, rd_sleb(&r)); break;
            case 0x14: /* val_offset */
                reg = rd_uleb(&r);
                set_rule(s, reg, WH_RULE_VAL_OFFSET, factor(s, (int64_t)rd_uleb(&r)), 0);
                break;
            case 0x15: /* val_offset_sf */
                reg = rd_uleb(&r);
                set_rule(s, reg, WH_RULE_VAL_OFFSET, factor(s, rd_sleb(&r)), 0);
                break;
            case 0x2e: (void)rd_uleb(&r); break; /* GNU_args_size */
#ifdef WH_UW_NEGATE_RA_STATE
            case WH_UW_NEGATE_RA_STATE: break; /* return addresses are stripped */
#endif
            case 0x2f: /* GNU_negative_offset_extended */
                reg = rd_uleb(&r);
                set_rule(s, reg, WH_RULE_OFFSET, factor(s, -(int64_t)(rd_uleb(&r) & INT64_MAX)), 0);
                break;
            default:
                return WH_CFI_UNSUP;
            }
        }
        if (r.bad || s->overflow)
            return WH_CFI_BAD;
        if (advance) {
            if (is_cie)
                return WH_CFI_BAD;
            uintptr_t to = s->loc + (uintptr_t)(adv * f->code_align);
            if (to < s->loc)
                return WH_CFI_BAD;
            if (to > pc)
                return WH_CFI_OK;
            s->loc = to;
        }
    }
    return WH_CFI_OK;
}

WH_RT int wh_cfi_row_at(const struct wh_cfi_fde *f, uintptr_t pc, struct wh_cfi_row *row) {
    if (pc < f->pc_begin || pc >= f->pc_end)
        return WH_CFI_NOFDE;
    struct wh_cfi_row init;
    for (uint32_t i = 0; i < WH_UW_NREGS; i++)
        init.r[i] = (struct wh_cfi_rule){WH_RULE_SAME, 0, 0};
    init.cfa_reg = UINT32_MAX;
    init.cfa_off = 0;
    init.cfa_expr = init.cfa_expr_end = NULL;
    struct interp s; /* its remember-state stack stays uninitialized */
    s.f = f;
    s.row = &init;
    s.init = &init;
    s.depth = 0;
    s.loc = f->pc_begin;
    s.overflow = false;
    int rc = run(&s, f->cie_ins, f->cie_ins_end, pc, true);
    if (rc != WH_CFI_OK)
        return rc;
    init.ra_reg = f->ra_reg;
    init.signal_frame = f->signal_frame;
    *row = init;
    s.row = row;
    s.depth = 0;
    rc = run(&s, f->ins, f->ins_end, pc, false);
    if (rc != WH_CFI_OK)
        return rc;
    if (!row->cfa_expr && row->cfa_reg >= WH_UW_NREGS)
        return WH_CFI_BAD;
    return WH_CFI_OK;
}

/* ---- DWARF expressions (arithmetic, and loads) ------------------------------------ */
#define WH_EXPR_STACK 16

WH_RT bool wh_cfi_eval(const uint8_t *p, const uint8_t *end, const uintptr_t *regs,
                       wh_uw_mask known, wh_cfi_deref deref, void *ctx, uintptr_t *out) {
    uintptr_t st[WH_EXPR_STACK];
    uint32_t n = 0;
    struct wh_rd r = {p, end, false};
    while (r.p < r.end) {
        uint8_t op = (uint8_t)rd_n(&r, 1);
        uintptr_t a, b;
        if (op >= 0x30 && op <= 0x4f) { /* lit0..lit31 */
            if (n == WH_EXPR_STACK)
                return false;
            st[n++] = op - 0x30;
            continue;
        }
        if (op >= 0x70 && op <= 0x8f) { /* breg0..breg31 */
            uint32_t reg = op - 0x70;
            int64_t off = rd_sleb(&r);
            if (r.bad || reg >= WH_UW_NREGS || !((known >> reg) & 1) || n == WH_EXPR_STACK)
                return false;
            st[n++] = regs[reg] + (uintptr_t)off;
            continue;
        }
        switch (op) {
        case 0x08: a = rd_n(&r, 1); goto push;                     /* const1u */
        case 0x09: a = (uintptr_t)(int64_t)(int8_t)rd_n(&r, 1); goto push;
        case 0x0a: a = rd_n(&r, 2); goto push;                     /* const2u */
        case 0x0b: a = (uintptr_t)(int64_t)(int16_t)rd_n(&r, 2); goto push;
        case 0x0c: a = rd_n(&r, 4); goto push;                     /* const4u */
        case 0x0d: a = (uintptr_t)(int64_t)(int32_t)rd_n(&r, 4); goto push;
        case 0x0e: case 0x0f: a = rd_n(&r, 8); goto push;         /* const8u/s */
        case 0x10: a = rd_uleb(&r); goto push;                     /* constu */
        case 0x11: a = (uintptr_t)rd_sleb(&r); goto push;          /* consts */
        case 0x12: /* dup */
            if (!n)
                return false;
            a = st[n - 1];
            goto push;
        case 0x13: /* drop */
            if (!n)
                return false;
            n--;
            continue;
        case 0x06: /* deref */
        case 0x94: { /* deref_size */
            unsigned size = op == 0x06 ? 8 : (unsigned)rd_n(&r, 1);
            if (r.bad || !n || !deref || size < 1 || size > 8 ||
                !deref(ctx, st[n - 1], size, &st[n - 1]))
                return false;
            continue;
        }
        case 0x23: /* plus_uconst */
            if (!n)
                return false;
            st[n - 1] += rd_uleb(&r);
            continue;
        case 0x1a: case 0x1c: case 0x1e: case 0x21: case 0x22: case 0x24: case 0x25:
        case 0x26: case 0x27: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d:
        case 0x2e:
            if (n < 2)
                return false;
            b = st[--n];
            a = st[--n];
            switch (op) {
            case 0x1a: a &= b; break;                   /* and */
            case 0x1c: a -= b; break;                   /* minus */
            case 0x1e: a *= b; break;                   /* mul */
            case 0x21: a |= b; break;                   /* or */
            case 0x22: a += b; break;                   /* plus */
            case 0x24: a = b < 64 ? a << b : 0; break;  /* shl */
            case 0x25: a = b < 64 ? a >> b : 0; break;  /* shr */
            case 0x26: a = (uintptr_t)((intptr_t)a >> (b < 63 ? b : 63)); break; /* shra */
            case 0x27: a ^= b; break;                   /* xor */
            case 0x29: a = a == b; break;               /* eq */
            case 0x2a: a = (intptr_t)a >= (intptr_t)b; break; /* ge */
            case 0x2b: a = (intptr_t)a > (intptr_t)b; break;  /* gt */
            case 0x2c: a = (intptr_t)a <= (intptr_t)b; break; /* le */
            case 0x2d: a = (intptr_t)a < (intptr_t)b; break;  /* lt */
            default:   a = a != b; break;               /* ne */
            }
            goto push;
        default:
            return false; /* memory reads, branches, anything else */
        }
    push:
        if (r.bad || n == WH_EXPR_STACK)
            return false;
        st[n++] = a;
    }
    if (r.bad || n == 0)
        return false;
    *out = st[n - 1];
    return true;
}

/* ---- .eh_frame_hdr ------------------------------------------------------------ */
WH_RT int wh_cfi_find_fde(const struct wh_cfi_mem *m, uintptr_t hdr, uintptr_t pc,
                          struct wh_cfi_fde *out) {
    if (!wh_cfi_readable(m, hdr, 4))
        return WH_CFI_BAD;
    uintptr_t hend = wh_cfi_range_end(m, hdr);
    struct wh_rd r = {(const uint8_t *)hdr, (const uint8_t *)hend, false};
    uint8_t version = (uint8_t)rd_n(&r, 1), ptr_enc = (uint8_t)rd_n(&r, 1);
    uint8_t count_enc = (uint8_t)rd_n(&r, 1), table_enc = (uint8_t)rd_n(&r, 1);
    if (version != 1)
        return WH_CFI_UNSUP;
    if (ptr_enc != PE_OMIT)
        (void)rd_enc(&r, ptr_enc, hdr);
    /* Only the sorted table of (sdata4 initial location, sdata4 FDE
     * address), both relative to hdr, permits a binary search; linkers
     * write exactly that. */
    if (count_enc == PE_OMIT || table_enc != (PE_DATAREL | PE_SDATA4))
        return WH_CFI_UNSUP;
    uint64_t count = (uint64_t)rd_enc(&r, count_enc, hdr);
    if (r.bad)
        return WH_CFI_BAD;
    const uint8_t *table = r.p;
    if (count == 0)
        return WH_CFI_NOFDE;
    if (count > (uint64_t)(r.end - table) / 8)
        return WH_CFI_BAD;
    /* Greatest initial location <= pc. */
    uint64_t lo = 0, hi = count;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        struct wh_rd e = {table + mid * 8, table + mid * 8 + 4, false};
        uintptr_t loc = hdr + (uintptr_t)(int64_t)(int32_t)rd_n(&e, 4);
        if (loc <= pc)
            lo = mid;
        else
            hi = mid;
    }
    struct wh_rd e = {table + lo * 8, table + lo * 8 + 8, false};
    uintptr_t loc = hdr + (uintptr_t)(int64_t)(int32_t)rd_n(&e, 4);
    uintptr_t fde = hdr + (uintptr_t)(int64_t)(int32_t)rd_n(&e, 4);
    if (loc > pc)
        return WH_CFI_NOFDE;
    int rc = wh_cfi_parse_fde(m, fde, hdr, out);
    if (rc != WH_CFI_OK)
        return rc;
    if (pc < out->pc_begin || pc >= out->pc_end)
        return WH_CFI_NOFDE;
    return WH_CFI_OK;
}
