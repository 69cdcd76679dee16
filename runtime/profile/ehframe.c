/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * ehframe.c - where the function around a pc starts, from the object's
 * unwind tables, for code that has neither whence records nor a dynamic
 * symbol (libc's static functions, a library's internal ones).  The
 * profile then names the frame "libc.so.6+0x9a0f0", the function's start
 * as an offset from the object's load address: every pc of one function
 * counts for one entry, and the name is what addr2line or llvm-symbolizer
 * take, on the machine where debug symbols are.
 *
 * .eh_frame_hdr's sorted table (as the unwinder uses it) gives the FDE
 * with the greatest start <= pc; the FDE's range, read with its CIE's
 * pointer encoding, says whether pc is inside.  Only the encodings that
 * linkers write for that table are accepted; anything else is "unknown".
 * Called inside dl_iterate_phdr (the object stays mapped).
 */
#define _GNU_SOURCE
#include "profile.h"

#include <link.h>
#include <string.h>

enum {
    PE_ABSPTR = 0x00, PE_UDATA2 = 0x02, PE_UDATA4 = 0x03, PE_UDATA8 = 0x04,
    PE_SDATA2 = 0x0a, PE_SDATA4 = 0x0b, PE_SDATA8 = 0x0c,
    PE_PCREL = 0x10, PE_DATAREL = 0x30, PE_OMIT = 0xff,
};

struct rd {
    const uint8_t *p, *end;
    bool bad;
};

WH_RT static uint64_t rd_bytes(struct rd *r, size_t n) {
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
    r->p += n;
    return v;
}

WH_RT static uint64_t rd_uleb(struct rd *r) {
    uint64_t v = 0;
    for (unsigned s = 0; s < 64; s += 7) {
        uint64_t b = rd_bytes(r, 1);
        v |= (b & 0x7f) << s;
        if (!(b & 0x80))
            return v;
    }
    r->bad = true;
    return 0;
}

/* A value of encoding enc (its format; pcrel applied when asked). */
WH_RT static uint64_t rd_enc(struct rd *r, uint8_t enc, bool apply) {
    const uint8_t *at = r->p;
    uint64_t v;
    switch (enc & 0x0f) {
    case PE_ABSPTR: v = rd_bytes(r, 8); break;
    case PE_UDATA2: v = rd_bytes(r, 2); break;
    case PE_UDATA4: v = rd_bytes(r, 4); break;
    case PE_UDATA8: v = rd_bytes(r, 8); break;
    case PE_SDATA2: v = (uint64_t)(int64_t)(int16_t)rd_bytes(r, 2); break;
    case PE_SDATA4: v = (uint64_t)(int64_t)(int32_t)rd_bytes(r, 4); break;
    case PE_SDATA8: v = rd_bytes(r, 8); break;
    default: r->bad = true; return 0;
    }
    if (!apply || !v)
        return v;
    switch (enc & 0x70) {
    case 0: return v;
    case PE_PCREL: return (uint64_t)(uintptr_t)at + v;
    default: r->bad = true; return 0;
    }
}

/* The pointer encoding of an FDE's addresses, from its CIE. */
WH_RT static int cie_encoding(const uint8_t *cie, const uint8_t *end) {
    struct rd r = {cie, end, false};
    uint64_t len = rd_bytes(&r, 4);
    if (len == 0xffffffffu)
        len = rd_bytes(&r, 8);
    if (r.bad || len > (uint64_t)(end - r.p))
        return -1;
    r.end = r.p + len;
    rd_bytes(&r, 4);     /* CIE id */
    uint8_t version = (uint8_t)rd_bytes(&r, 1);
    const char *aug = (const char *)r.p;
    size_t alen = strnlen(aug, (size_t)(r.end - r.p));
    r.p += alen + 1;
    if (version >= 4)
        rd_bytes(&r, 2); /* address and segment selector sizes */
    rd_uleb(&r);         /* code alignment */
    rd_uleb(&r);         /* data alignment (sleb: the same bytes) */
    if (version == 1)
        rd_bytes(&r, 1);
    else
        rd_uleb(&r);     /* return address register */
    if (aug[0] != 'z')
        return r.bad ? -1 : PE_ABSPTR;
    rd_uleb(&r);         /* augmentation length */
    for (const char *a = aug + 1; *a && !r.bad; a++) {
        switch (*a) {
        case 'R': return (int)rd_bytes(&r, 1);
        case 'L': rd_bytes(&r, 1); break;
        case 'P': {
            uint8_t penc = (uint8_t)rd_bytes(&r, 1);
            rd_enc(&r, penc, false);
            break;
        }
        case 'S': case 'B': break;
        default: return -1;
        }
    }
    return r.bad ? -1 : PE_ABSPTR;
}

WH_RT bool wh_fde_range(const struct dl_phdr_info *info, uintptr_t pc, uintptr_t *start,
                        uintptr_t *end) {
    const uint8_t *hdr = NULL;
    size_t hsz = 0;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_GNU_EH_FRAME) {
            hdr = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr);
            hsz = ph->p_memsz;
        } else if (ph->p_type == PT_LOAD) {
            uintptr_t b = info->dlpi_addr + ph->p_vaddr;
            if (b < lo)
                lo = b;
            if (b + ph->p_memsz > hi)
                hi = b + ph->p_memsz;
        }
    }
    if (!hdr || hsz < 12 || hdr[0] != 1 || hdr[3] != (PE_DATAREL | PE_SDATA4))
        return false;
    struct rd r = {hdr + 4, hdr + hsz, false};
    rd_enc(&r, hdr[1], false); /* eh_frame_ptr */
    uint64_t count = rd_enc(&r, hdr[2], false);
    const uint8_t *table = r.p;
    if (r.bad || hdr[2] == PE_OMIT || count > (uint64_t)(hdr + hsz - table) / 8)
        return false;
    /* The greatest start <= pc. */
    uint64_t b = 0, e = count;
    while (b < e) {
        uint64_t mid = b + (e - b) / 2;
        int32_t s;
        memcpy(&s, table + mid * 8, 4);
        if ((uintptr_t)hdr + (uintptr_t)(intptr_t)s <= pc)
            b = mid + 1;
        else
            e = mid;
    }
    if (!b)
        return false;
    int32_t s, f;
    memcpy(&s, table + (b - 1) * 8, 4);
    memcpy(&f, table + (b - 1) * 8 + 4, 4);
    uintptr_t fn = (uintptr_t)hdr + (uintptr_t)(intptr_t)s;
    const uint8_t *fde = hdr + f;
    if ((uintptr_t)fde < lo || (uintptr_t)fde + 12 > hi)
        return false;
    /* The FDE: length, CIE pointer (back from here), pc_begin, pc_range. */
    struct rd q = {fde, (const uint8_t *)hi, false};
    uint64_t len = rd_bytes(&q, 4);
    if (len == 0 || len == 0xffffffffu)
        return false;
    const uint8_t *cieptr = q.p;
    uint32_t back = (uint32_t)rd_bytes(&q, 4);
    const uint8_t *cie = cieptr - back;
    if ((uintptr_t)cie < lo || (uintptr_t)cie >= hi)
        return false;
    int enc = cie_encoding(cie, (const uint8_t *)hi);
    if (enc < 0)
        return false;
    uint64_t begin = rd_enc(&q, (uint8_t)enc, true);
    uint64_t range = rd_enc(&q, (uint8_t)(enc & 0x0f), false);
    if (q.bad || begin != fn || pc - fn >= range)
        return false;
    *start = fn;
    *end = fn + range;
    return true;
}
