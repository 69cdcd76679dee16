/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fragments.c - code of an instrumented function that lies outside the
 * range of its whence_fn record: blocks the backend moved into sections of
 * their own after the pass ran (machine function splitting, "foo.cold";
 * basic block sections, "foo.__part.N", Propeller).  No record names them,
 * but each has an FDE in .eh_frame, and the assembler writes a function's
 * FDEs one after the other, its own first (the pass's fences end such a
 * run: see passes/split.c).  The assembler also groups a module's FDEs by
 * CIE (functions with a personality after those without), and a fragment
 * has its function's CIE.  So, walking the image's FDEs in .eh_frame
 * order:
 *
 *   an FDE that starts inside a function record      owner := that function
 *   an FDE that starts inside a fence record         owner := none
 *   any other FDE, owner set, overlapping no record,
 *   under the owner's CIE                            a fragment of owner
 *   anything else                                    owner := none
 *
 * Only functions whose module table says its bodies are fenced
 * (WHENCE_MOD_FENCED) own fragments: older objects have no fences, and an
 * FDE after their last function may be anyone's.  The caller says which
 * records may (wh_span.fn).
 *
 * .eh_frame is found through the image's .eh_frame_hdr (glibc's
 * _dl_find_object, async-signal-safe; whence-link, whose copy of a file no
 * dynamic linker knows, says where: wh_slot.eh).  Its search table (sorted
 * by pc) shows first, without touching .eh_frame, whether any FDE that
 * starts in no record lies among the records' FDEs at all; in most images
 * none does (those are the FDEs of crt files and uninstrumented libraries,
 * linked before or after), and nothing more is done.  That is a cheap
 * "maybe", not a verdict: the FDEs of an uninstrumented object or of a
 * backend's thunk (-mretpoline) linked between two instrumented modules
 * lie among the records' FDEs too, and only the walk sees that they follow
 * a module's end fence and belong to nobody.  Else .eh_frame is walked
 * once, record by record, up to the FDE count the header gives.  A
 * fragment whose CFI starts with the CFA in rbp (x29) runs with its function's
 * frame set up (WH_FRAG_FRAMED); the capture walk needs that for an
 * interrupted pc in it.
 *
 * Called when an image's buckets are built (accel.c), and by the first pc
 * in an image's range that no record holds before then (image.c: the
 * check, which allocates nothing).  Reads nothing outside the image's
 * mapping.
 */
#define _GNU_SOURCE
#include "arch/arch.h"
#include "dlfo.h" /* (without _dl_find_object: no fragments) */
#include "internal.h"
#include "sort.h"

#include <dlfcn.h>
#include <string.h>

#define START_LESS(a, b) ((a)->start < (b)->start)
WH_DEFINE_SORT(sort_by_start, struct wh_frag, START_LESS)

/* DW_EH_PE encodings the linkers write. */
#define PE_OMIT    0xff
#define PE_UDATA4  0x03
#define PE_SDATA4  0x0b

WH_RT static uint64_t uleb(const unsigned char **p, const unsigned char *end) {
    uint64_t v = 0;
    unsigned shift = 0;
    while (*p < end) {
        unsigned char b = *(*p)++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80))
            break;
    }
    return v;
}

/* Bytes of a fixed-size pointer encoding; 0 for the others. */
WH_RT static unsigned enc_size(unsigned enc) {
    switch (enc & 0x0f) {
    case 0x00: return 8; /* absptr */
    case 0x02: case 0x0a: return 2;
    case 0x03: case 0x0b: return 4;
    case 0x04: case 0x0c: return 8;
    default: return 0;
    }
}

WH_RT static uint64_t read_enc(const unsigned char *p, unsigned size) {
    uint64_t v = 0;
    if (size == 4) { /* the common case, without a call to memcpy */
        uint32_t w;
        memcpy(&w, p, 4);
        return w;
    }
    memcpy(&v, p, size);
    return v;
}

/* The pointer encoding of the FDEs of a CIE ('R' in its augmentation),
 * DW_EH_PE_absptr without one; PE_OMIT when the CIE cannot be read. */
WH_RT static unsigned cie_fde_enc(const unsigned char *cie, bool *zaug) {
    uint32_t len;
    memcpy(&len, cie, 4);
    if (len < 8 || len == 0xffffffffu || len > (1u << 20))
        return PE_OMIT;
    const unsigned char *p = cie + 8, *end = cie + 4 + len;
    unsigned version = *p++;
    const char *aug = (const char *)p;
    size_t alen = strnlen(aug, (size_t)(end - p));
    p += alen + 1;
    if (p > end || (version != 1 && version != 3))
        return PE_OMIT;
    (void)uleb(&p, end); /* code alignment */
    (void)uleb(&p, end); /* data alignment (sleb: only skipped) */
    if (version == 1)
        p++;
    else
        (void)uleb(&p, end);
    *zaug = alen && aug[0] == 'z';
    if (!*zaug)
        return alen ? PE_OMIT : 0;
    (void)uleb(&p, end); /* augmentation data length */
    for (size_t i = 1; i < alen && p < end; i++) {
        switch (aug[i]) {
        case 'R':
            return *p;
        case 'P': {
            unsigned enc = *p++, n = enc_size(enc);
            if (!n)
                return PE_OMIT;
            p += n;
            break;
        }
        case 'L':
            p++;
            break;
        case 'S': case 'B': case 'G':
            break;
        default:
            return PE_OMIT;
        }
    }
    return 0;
}

/* Reads the FDE at fde (its CIE's FDE pointer encoding enc, size n, 'z'
 * augmentation zaug): its pc range and whether its CFI, before the first
 * location advance, puts the CFA in the frame pointer (arch/: rbp, x29).  False when it
 * cannot be read. */
WH_RT static bool read_fde(const unsigned char *f, unsigned n, bool zaug, uint32_t *range,
                           bool *framed) {
    uint32_t len;
    memcpy(&len, f, 4);
    const unsigned char *end = f + 4 + len;
    if (len < 12 || f + 8 + 2 * n > end)
        return false;
    uint64_t r = read_enc(f + 8 + n, n);
    if (!r || r > WH_MAX_FN_SIZE)
        return false;
    *range = (uint32_t)r;
    const unsigned char *p = f + 8 + 2 * n;
    if (zaug) {
        uint64_t alen = uleb(&p, end);
        if (alen > (uint64_t)(end - p))
            return false;
        p += alen;
    }
    *framed = false;
    while (p < end) {
        unsigned op = *p++;
        if ((op & 0xc0) == 0x40 || (op >= 0x01 && op <= 0x04))
            break; /* advance_loc*, set_loc: the fragment's first byte is done */
        if ((op & 0xc0) == 0x80) { /* offset(reg), uleb */
            (void)uleb(&p, end);
            continue;
        }
        if ((op & 0xc0) == 0xc0) /* restore(reg) */
            continue;
        switch (op) {
        case 0x00: /* nop */
        case 0x0a: case 0x0b: /* remember/restore state */
        case 0x2d: /* AArch64 negate_ra_state (pac-ret; GNU_window_save elsewhere) */
            break;
        case 0x0c: /* def_cfa reg, off */
        case 0x12: /* def_cfa_sf */
            *framed = uleb(&p, end) == WH_DWARF_FP;
            (void)uleb(&p, end);
            break;
        case 0x0d: /* def_cfa_register reg */
            *framed = uleb(&p, end) == WH_DWARF_FP;
            break;
        case 0x0e: case 0x13: /* def_cfa_offset(_sf) */
        case 0x06: case 0x07: case 0x08: /* restore_extended, undefined, same_value */
        case 0x2e: /* GNU_args_size */
            (void)uleb(&p, end);
            break;
        case 0x05: case 0x09: case 0x11: case 0x14: case 0x15: case 0x2f:
            (void)uleb(&p, end);
            (void)uleb(&p, end);
            break;
        case 0x0f: { /* def_cfa_expression: a block */
            uint64_t bl = uleb(&p, end);
            *framed = false;
            p += bl < (uint64_t)(end - p) ? bl : (uint64_t)(end - p);
            break;
        }
        case 0x10: case 0x16: { /* (val_)expression reg, block */
            (void)uleb(&p, end);
            uint64_t bl = uleb(&p, end);
            p += bl < (uint64_t)(end - p) ? bl : (uint64_t)(end - p);
            break;
        }
        default:
            return true; /* an opcode we do not know: stop reading */
        }
    }
    return true;
}

/* ---- the records ---------------------------------------------------------------------
 * Spans (the buckets' builder: functions and fences, in order, with the
 * functions that may own fragments marked) or the linked records in place
 * (the check before the buckets exist: in order, as the order check found). */
struct recs {
    const struct wh_span *v;
    uintptr_t fn_start;
    uint32_t n;
};

WH_RT static inline uintptr_t rec_lo(const struct recs *r, uint32_t i) {
    return r->v ? r->v[i].entry
                : wh_rec_entry((const wh_fn *)(r->fn_start + (uintptr_t)i * WHENCE_FN_RECORD_SIZE));
}

WH_RT static inline uintptr_t rec_hi(const struct recs *r, uint32_t i) {
    if (r->v)
        return r->v[i].entry + r->v[i].size;
    const wh_fn *f = (const wh_fn *)(r->fn_start + (uintptr_t)i * WHENCE_FN_RECORD_SIZE);
    return wh_rec_entry(f) + wh_rec_size(f);
}

/* Index of the record holding pc, or UINT32_MAX; *hint is the last answer
 * (FDEs come mostly in address order: the next one is close). */
WH_RT static uint32_t rec_find(const struct recs *r, uintptr_t pc, uint32_t *hint) {
    uint32_t h = *hint + 1;
    if (WH_LIKELY(h < r->n && rec_lo(r, h) == pc)) /* the next function's own FDE */
        return *hint = h;
    uint32_t lo = 0, hi = r->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (rec_lo(r, mid) <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo || pc >= rec_hi(r, lo - 1))
        return UINT32_MAX;
    return *hint = lo - 1;
}

/* Does [lo, hi) meet any record? */
WH_RT static bool rec_meets(const struct recs *r, uintptr_t lo, uintptr_t hi) {
    uint32_t l = 0, h = r->n;
    while (l < h) { /* the first record ending after lo */
        uint32_t mid = l + (h - l) / 2;
        if (rec_hi(r, mid) <= lo)
            l = mid + 1;
        else
            h = mid;
    }
    return l < r->n && rec_lo(r, l) < hi;
}

/* ---- .eh_frame_hdr --------------------------------------------------------------------- */

struct ehf {
    const unsigned char *eh, *end;   /* .eh_frame; the end of the image's mapping */
    const unsigned char *hdr, *tab;  /* .eh_frame_hdr; its search table, or NULL */
    uint32_t count;                  /* FDEs */
};

/* The .eh_frame that the .eh_frame_hdr at hdr names, in an image mapped
 * at [start, end); false when there is none to read. */
WH_RT static bool ehf_parse(const unsigned char *hdr, const unsigned char *start,
                            const unsigned char *end, struct ehf *e) {
    /* version, eh_frame_ptr encoding, fde_count encoding, table encoding,
     * eh_frame_ptr, fde_count, table {pc, fde} pairs */
    if (hdr + 4 > end)
        return false;
    unsigned pn = enc_size(hdr[1]);
    if (hdr[0] != 1 || !pn || hdr[2] != PE_UDATA4 || (hdr[1] & 0xf0) > 0x10 ||
        hdr + 8 + pn > end)
        return false;
    uint64_t ptr = read_enc(hdr + 4, pn);
    if ((hdr[1] & 0x0f) == 0x0b) /* sdata4 */
        ptr = (uint64_t)(int64_t)(int32_t)ptr;
    e->eh = (const unsigned char *)((hdr[1] & 0x70) == 0x10 ? (uintptr_t)(hdr + 4) + (uintptr_t)ptr
                                                            : (uintptr_t)ptr);
    e->end = end;
    e->hdr = hdr;
    memcpy(&e->count, hdr + 4 + pn, 4);
    /* DW_EH_PE_datarel|sdata4 pairs, as every linker writes them */
    e->tab = hdr[3] == 0x3b && (size_t)(end - (hdr + 8 + pn)) / 8 >= e->count ? hdr + 8 + pn : NULL;
    return e->eh >= start && e->eh < end;
}

/* The .eh_frame of the image holding pc (at eh when given); false when
 * there is none to read. */
WH_RT static bool ehf_open(uintptr_t pc, const struct wh_ehloc *eh, struct ehf *e) {
    if (eh)
        return ehf_parse(eh->hdr, eh->start, eh->end, e);
    struct dl_find_object dlfo;
    if (!_dl_find_object || _dl_find_object((void *)pc, &dlfo) != 0 || !dlfo.dlfo_eh_frame)
        return false;
    return ehf_parse(dlfo.dlfo_eh_frame, dlfo.dlfo_map_start, dlfo.dlfo_map_end, e);
}

/* The table's entry i: the pc its FDE starts at, and the FDE. */
WH_RT static inline void tab_at(const struct ehf *e, uint32_t i, uintptr_t *pc, uintptr_t *fde) {
    int32_t r[2];
    memcpy(r, e->tab + (size_t)i * 8, 8);
    *pc = (uintptr_t)e->hdr + (uintptr_t)(intptr_t)r[0];
    *fde = (uintptr_t)e->hdr + (uintptr_t)(intptr_t)r[1];
}

/* A fragment's FDE lies, in .eh_frame, between its function's FDE and the
 * module's end marker's, both records'.  So there can be fragments only if
 * an FDE that starts in no record lies between the first and the last FDE
 * that start in one: two passes over the search table. */
WH_RT static bool maybe(const struct ehf *e, const struct recs *r) {
    if (!e->tab)
        return true; /* no table to tell: walk */
    uintptr_t kmin = UINTPTR_MAX, kmax = 0, pc, fde;
    for (int pass = 0; pass < 2; pass++) {
        uint32_t f = 0;
        for (uint32_t i = 0; i < e->count; i++) {
            tab_at(e, i, &pc, &fde);
            while (f < r->n && rec_hi(r, f) <= pc)
                f++;
            bool known = f < r->n && rec_lo(r, f) <= pc;
            if (pass == 0 && known) {
                kmin = fde < kmin ? fde : kmin;
                kmax = fde > kmax ? fde : kmax;
            } else if (pass == 1 && !known && fde > kmin && fde < kmax) {
                return true;
            }
        }
        if (kmin >= kmax)
            return false;
    }
    return false;
}

WH_RT bool wh_frags_possible(const struct wh_span *spans, uintptr_t fn_start, uint32_t n,
                             const struct wh_ehloc *eh) {
    struct recs r = {spans, fn_start, n};
    struct ehf e;
    return n && ehf_open(rec_lo(&r, 0), eh, &e) && maybe(&e, &r);
}

/* ---- the walk --------------------------------------------------------------------------- */

WH_RT uint32_t wh_frags_find(const struct wh_span *spans, uint32_t nspan, const struct wh_ehloc *eh,
                             struct wh_frag **out, size_t *map_size) {
    *out = NULL;
    *map_size = 0;
    struct recs r = {spans, 0, nspan};
    struct ehf e;
    if (!nspan || !ehf_open(spans[0].entry, eh, &e) || !maybe(&e, &r))
        return 0;
    uint32_t owner = UINT32_MAX, n = 0, cap = 0, hint = UINT32_MAX;
    const unsigned char *cie = NULL, *owner_cie = NULL, *p = e.eh, *end = e.end;
    unsigned enc = PE_OMIT;
    bool zaug = false;
    struct wh_frag *v = NULL;
    /* Nothing outside the image's mapping is read: a record that would end
     * past it, or name a CIE before .eh_frame, ends the walk. */
    for (uint32_t seen = 0; seen < e.count;) {
        uint32_t len, id;
        if (p < e.eh || end - p < 8)
            break;
        memcpy(&len, p, 4);
        if (!len || len == 0xffffffffu || len > (1u << 20) || len > (size_t)(end - p) - 4)
            break; /* the terminator, or a 64-bit entry no linker writes here */
        memcpy(&id, p + 4, 4);
        const unsigned char *next = p + 4 + len;
        if (!id) { /* a CIE */
            p = next;
            continue;
        }
        if (id > (size_t)(p + 4 - e.eh))
            break; /* a CIE before .eh_frame */
        seen++;
        if (p + 4 - id != cie) {
            cie = p + 4 - id;
            uint32_t clen;
            memcpy(&clen, cie, 4);
            enc = clen <= (size_t)(p - cie) - 4 ? cie_fde_enc(cie, &zaug) : PE_OMIT;
        }
        unsigned sz = enc == PE_OMIT ? 0 : enc_size(enc);
        if (!sz || (enc & 0xf0) > 0x10 || next - p < 8 + 2 * (ptrdiff_t)sz) { /* an encoding no linker writes here */
            owner = UINT32_MAX;
            p = next;
            continue;
        }
        uint64_t val = read_enc(p + 8, sz);
        if (sz == 4 && (enc & 0x08)) /* signed */
            val = (uint64_t)(int64_t)(int32_t)val;
        uintptr_t lo = (enc & 0x70) == 0x10 ? (uintptr_t)(p + 8) + (uintptr_t)val : (uintptr_t)val;
        uint32_t f = rec_find(&r, lo, &hint);
        if (f != UINT32_MAX) {
            owner = spans[f].fn; /* UINT32_MAX: a fence, or no owner */
            owner_cie = cie;
            p = next;
            continue;
        }
        uint32_t range;
        bool framed;
        /* A fragment shares its function's CIE (the same personality and
         * LSDA).  The assembler groups a module's FDEs by CIE, so the
         * module's fence ends only the group it is in: an uninstrumented
         * function linked after a C++ module follows that module's last
         * function with a personality, under another CIE. */
        if (owner == UINT32_MAX || cie != owner_cie || !read_fde(p, sz, zaug, &range, &framed) ||
            lo + range < lo ||
            rec_meets(&r, lo, lo + range)) {
            owner = UINT32_MAX;
            p = next;
            continue;
        }
        if (n == cap) { /* grow: a page at a time, then doubling */
            uint32_t ncap = cap ? cap * 2 : 4096 / sizeof(struct wh_frag);
            struct wh_frag *nv = wh_map((size_t)ncap * sizeof *nv);
            if (!nv)
                break;
            if (n)
                memcpy(nv, v, (size_t)n * sizeof *nv);
            wh_unmap(v, (size_t)cap * sizeof *v);
            v = nv;
            cap = ncap;
        }
        v[n++] = (struct wh_frag){lo, range | (framed ? WH_FRAG_FRAMED : 0), owner};
        p = next;
    }
    if (!n) {
        wh_unmap(v, (size_t)cap * sizeof *v);
        return 0;
    }
    struct wh_frag *tmp = wh_map((size_t)n * sizeof *tmp);
    if (!tmp) {
        wh_unmap(v, (size_t)cap * sizeof *v);
        return 0;
    }
    sort_by_start(v, tmp, n);
    wh_unmap(tmp, (size_t)n * sizeof *tmp);
    /* FDEs do not overlap; should two, the later one goes (a lookup bisects) */
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!k || v[i].start >= v[k - 1].start + WH_FRAG_SIZE(&v[k - 1]))
            v[k++] = v[i];
    *out = v;
    *map_size = (size_t)cap * sizeof *v;
    return k;
}
