/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fragments.c - code of an instrumented function that lies outside the
 * range of its whence_fn record: blocks the backend moved into sections of
 * their own after the pass ran (machine function splitting, "foo.cold";
 * basic block sections, "foo.__part.N", Propeller).  No record names them,
 * but each has an FDE in .eh_frame, and the assembler writes a function's
 * FDEs one after the other, its own first (the pass's fences end such a
 * run: see passes/split.c).  So, walking the image's FDEs in .eh_frame
 * order:
 *
 *   an FDE that starts inside a function record      owner := that function
 *   an FDE that starts inside a fence record         owner := none
 *   any other FDE, owner set, overlapping no record  a fragment of owner
 *   anything else                                    owner := none
 *
 * Only owners whose module table says its bodies are fenced
 * (WHENCE_MOD_FENCED) get fragments: older objects have no fences, and an
 * FDE after their last function may be anyone's.
 *
 * .eh_frame is found through the image's .eh_frame_hdr (glibc's
 * _dl_find_object, async-signal-safe) and walked once, record by record,
 * up to the FDE count the header gives.  A fragment whose CFI starts with the CFA in rbp
 * runs with its function's frame set up (WH_FN_FRAMED in the index); the
 * capture walk needs that for an interrupted pc in it.
 */
#define _GNU_SOURCE
#include "internal.h"
#include "sort.h"

#include <dlfcn.h>
#include <string.h>

/* Weak: glibc before 2.35 has no _dl_find_object (then: no fragments). */
extern int _dl_find_object(void *address, struct dl_find_object *result) __attribute__((weak));

#define START_LESS(a, b) ((a)->start < (b)->start)
WH_DEFINE_SORT(sort_by_start, struct wh_fragment, START_LESS)

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

/* Reads the FDE at fde: its pc range and whether its CFI, before the first
 * location advance, puts the CFA in rbp (DWARF register 6).  False when it
 * cannot be read. */
WH_RT static bool read_fde(uintptr_t fde, uint32_t *range, bool *framed) {
    const unsigned char *f = (const unsigned char *)fde;
    uint32_t len, cie_off;
    memcpy(&len, f, 4);
    memcpy(&cie_off, f + 4, 4);
    if (len < 12 || len == 0xffffffffu || len > (1u << 20) || !cie_off)
        return false;
    const unsigned char *end = f + 4 + len;
    bool zaug = false;
    unsigned enc = cie_fde_enc(f + 4 - cie_off, &zaug);
    unsigned n = enc == PE_OMIT ? 0 : enc_size(enc);
    if (!n || f + 8 + 2 * n > end)
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
            break;
        case 0x0c: /* def_cfa reg, off */
        case 0x12: /* def_cfa_sf */
            *framed = uleb(&p, end) == 6;
            (void)uleb(&p, end);
            break;
        case 0x0d: /* def_cfa_register reg */
            *framed = uleb(&p, end) == 6;
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

/* Index of the range in a (sorted by entry, n of them) holding pc, or -1. */
WH_RT static long find_range(const struct wh_span *a, uint32_t n, uintptr_t pc) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a[mid].entry <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && pc - a[lo - 1].entry < a[lo - 1].size ? (long)lo - 1 : -1;
}

/* Does [lo, hi) meet any range of a? */
WH_RT static bool meets(const struct wh_span *a, uint32_t n, uintptr_t lo, uintptr_t hi) {
    uint32_t l = 0, h = n;
    while (l < h) { /* first range ending after lo */
        uint32_t mid = l + (h - l) / 2;
        if (a[mid].entry + a[mid].size <= lo)
            l = mid + 1;
        else
            h = mid;
    }
    return l < n && a[l].entry < hi;
}

/* The index in a of the range holding pc, or -1; *hint is the last answer
 * (FDEs come mostly in address order, so the next is close). */
WH_RT static long find_hinted(const struct wh_span *a, uint32_t n, uintptr_t pc, uint32_t *hint) {
    uint32_t h = *hint + 1;
    if (WH_LIKELY(h < n && a[h].entry == pc)) /* the next function's own FDE */
        return (long)(*hint = h);
    long r = find_range(a, n, pc);
    if (r >= 0)
        *hint = (uint32_t)r;
    return r;
}

/* A fragment's FDE lies, in .eh_frame, between its function's FDE and the
 * module's end marker's, both records.  The header's search table (sorted
 * by pc, DW_EH_PE_datarel|sdata4 pairs {pc, fde}) shows without touching
 * .eh_frame whether any FDE that starts outside every record lies between
 * records' FDEs at all; in most images none does (the FDEs outside records
 * are those of crt files and uninstrumented libraries, linked before or
 * after), and the walk is skipped. */
WH_RT static bool may_have_fragments(const unsigned char *hdr, const unsigned char *tab,
                                     uint32_t count, const struct wh_span *fns, uint32_t nf,
                                     const struct wh_span *fences, uint32_t nfence) {
    uintptr_t kmin = UINTPTR_MAX, kmax = 0;
    uintptr_t unknown[256]; /* FDEs outside records: few (crt files, libraries) */
    uint32_t nu = 0, f = 0, g = 0;
    for (uint32_t i = 0; i < count; i++) {
        int32_t r[2];
        memcpy(r, tab + (size_t)i * 8, 8);
        uintptr_t pc = (uintptr_t)hdr + (uintptr_t)(intptr_t)r[0];
        uintptr_t fde = (uintptr_t)hdr + (uintptr_t)(intptr_t)r[1];
        while (f < nf && fns[f].entry + fns[f].size <= pc)
            f++;
        while (g < nfence && fences[g].entry + fences[g].size <= pc)
            g++;
        if ((f < nf && fns[f].entry <= pc) || (g < nfence && fences[g].entry <= pc)) {
            kmin = fde < kmin ? fde : kmin;
            kmax = fde > kmax ? fde : kmax;
        } else if (nu == sizeof unknown / sizeof *unknown) {
            return true; /* too many to keep: walk */
        } else {
            unknown[nu++] = fde;
        }
    }
    for (uint32_t i = 0; i < nu; i++)
        if (unknown[i] > kmin && unknown[i] < kmax)
            return true;
    return false;
}

WH_RT void wh_fragments_find(const struct wh_span *fns, uint32_t nf, const bool *fenced,
                             uint32_t sub_bits, const struct wh_span *fences, uint32_t nfence,
                             struct wh_fragments *out) {
    memset(out, 0, sizeof *out);
    if (!nf || !_dl_find_object)
        return;
    struct dl_find_object dlfo;
    if (_dl_find_object((void *)fns[0].entry, &dlfo) != 0 || !dlfo.dlfo_eh_frame)
        return;
    /* .eh_frame_hdr: version, eh_frame_ptr encoding, fde_count encoding,
     * table encoding, eh_frame_ptr, fde_count, table.  The table is not
     * needed: .eh_frame itself is walked, in its own order. */
    const unsigned char *hdr = dlfo.dlfo_eh_frame;
    unsigned pn = enc_size(hdr[1]);
    if (hdr[0] != 1 || !pn || hdr[2] != PE_UDATA4 || (hdr[1] & 0xf0) > 0x10)
        return;
    uint64_t ptr = read_enc(hdr + 4, pn);
    if ((hdr[1] & 0x0f) == 0x0b) /* sdata4 */
        ptr = (uint64_t)(int64_t)(int32_t)ptr;
    uintptr_t eh = (hdr[1] & 0x70) == 0x10 ? (uintptr_t)(hdr + 4) + (uintptr_t)ptr : (uintptr_t)ptr;
    uint32_t count;
    memcpy(&count, hdr + 4 + pn, 4);
    if (hdr[3] == 0x3b && hdr + 8 + pn + (size_t)count * 8 <= (const unsigned char *)dlfo.dlfo_map_end &&
        !may_have_fragments(hdr, hdr + 8 + pn, count, fns, nf, fences, nfence))
        return;

    long owner = -1;
    uint32_t n = 0, cap = 0, fh = UINT32_MAX, gh = UINT32_MAX;
    const unsigned char *cie = NULL;
    unsigned enc = PE_OMIT;
    bool zaug = false;
    const unsigned char *p = (const unsigned char *)eh;
    /* Nothing outside the object's mapping is read: a record that would
     * end past it, or point before .eh_frame for its CIE, ends the walk. */
    const unsigned char *end = dlfo.dlfo_map_end;
    for (uint32_t seen = 0; seen < count;) {
        uint32_t len, id;
        if (p < (const unsigned char *)eh || p + 8 > end)
            break;
        memcpy(&len, p, 4);
        if (!len || len == 0xffffffffu || len > (1u << 20) || len > (size_t)(end - p) - 4)
            break; /* the terminator, or a 64-bit entry no linker writes here */
        memcpy(&id, p + 4, 4);
        const unsigned char *next = p + 4 + len;
        if (id && (id > (size_t)(p + 4 - (const unsigned char *)eh)))
            break; /* a CIE before .eh_frame */
        if (!id) { /* a CIE */
            p = next;
            continue;
        }
        seen++;
        if (p + 4 - id != cie) {
            cie = p + 4 - id;
            uint32_t clen;
            memcpy(&clen, cie, 4);
            enc = clen <= (size_t)(p - cie) - 4 ? cie_fde_enc(cie, &zaug) : PE_OMIT;
        }
        unsigned sz = enc == PE_OMIT ? 0 : enc_size(enc);
        if (!sz || (enc & 0xf0) > 0x10) { /* an encoding no linker writes here */
            owner = -1;
            p = next;
            continue;
        }
        uint64_t v = read_enc(p + 8, sz);
        if (sz == 4 && (enc & 0x08)) /* signed */
            v = (uint64_t)(int64_t)(int32_t)v;
        uintptr_t lo = (enc & 0x70) == 0x10 ? (uintptr_t)(p + 8) + (uintptr_t)v : (uintptr_t)v;
        long f = find_hinted(fns, nf, lo, &fh);
        if (f >= 0) {
            owner = fenced[(uint64_t)fns[f].info >> sub_bits] ? f : -1;
            p = next;
            continue;
        }
        uint32_t range;
        bool framed;
        if (owner < 0 || (nfence && find_hinted(fences, nfence, lo, &gh) >= 0) ||
            !read_fde((uintptr_t)p, &range, &framed) || lo + range < lo ||
            meets(fns, nf, lo, lo + range) || meets(fences, nfence, lo, lo + range)) {
            owner = -1;
            p = next;
            continue;
        }
        if (n == cap) { /* grow: a page at a time, then doubling */
            uint32_t ncap = cap ? cap * 2 : 4096 / sizeof(struct wh_fragment);
            struct wh_fragment *nv = wh_map((size_t)ncap * sizeof *nv);
            if (!nv)
                break;
            if (n)
                memcpy(nv, out->v, (size_t)n * sizeof *nv);
            wh_unmap(out->v, out->map_size);
            out->v = nv;
            out->map_size = (size_t)ncap * sizeof *nv;
            cap = ncap;
        }
        out->v[n++] = (struct wh_fragment){lo, range, (uint32_t)owner, framed};
        p = next;
    }
    if (!n)
        return;
    struct wh_fragment *tmp = wh_map((size_t)n * sizeof *tmp);
    if (!tmp) {
        wh_fragments_free(out);
        return;
    }
    sort_by_start(out->v, tmp, n);
    wh_unmap(tmp, (size_t)n * sizeof *tmp);
    out->n = n;
}

WH_RT void wh_fragments_free(struct wh_fragments *f) {
    wh_unmap(f->v, f->map_size);
    memset(f, 0, sizeof *f);
}
