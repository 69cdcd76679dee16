/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * cursor.h - a bounded cursor over little-endian bytes, for the readers of
 * what compilers and linkers wrote (DWARF line programs: lines/lineprog.c;
 * .eh_frame: unwind/ehframe.c).  A read past the end, or a LEB128 longer
 * than any 64-bit value needs (11 bytes and more; producers may pad), sets
 * bad and reads 0; every later read then reads 0 too, so a caller checks
 * bad once after a run of reads.
 */
#ifndef WHENCE_RUNTIME_CURSOR_H
#define WHENCE_RUNTIME_CURSOR_H

#include "attrs.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wh_rd {
    const uint8_t *p, *end;
    bool bad;
};

WH_RT static inline uint64_t rd_n(struct wh_rd *r, unsigned n) {
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
    r->p += n;
    return v;
}

WH_RT static inline void rd_skip(struct wh_rd *r, uint64_t n) {
    if (r->bad || (uint64_t)(r->end - r->p) < n) {
        r->bad = true;
        return;
    }
    r->p += n;
}

WH_RT static inline uint64_t rd_uleb(struct wh_rd *r) {
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (r->bad || r->p >= r->end || shift > 70) {
            r->bad = true;
            return 0;
        }
        uint8_t b = *r->p++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
}

WH_RT static inline int64_t rd_sleb(struct wh_rd *r) {
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        if (r->bad || r->p >= r->end || shift > 70) {
            r->bad = true;
            return 0;
        }
        b = *r->p++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40))
        v |= ~UINT64_C(0) << shift;
    return (int64_t)v;
}

#endif /* WHENCE_RUNTIME_CURSOR_H */
