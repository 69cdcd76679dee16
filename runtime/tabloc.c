/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * tabloc.c - a module's subprogs and locs read from its image's post-link
 * table (whence_abi.h, whence_tab "packs"), where whence-link bit-packed
 * them with the module's own field widths: about a quarter of the 8 and 12
 * bytes of whence_subprog and whence_loc, and still O(1) per entry, read
 * in place.
 *
 * A module's pack is taken when its entry in the table is first used
 * (table.c, mod_check): the entry's own check and the pack's bounds inside
 * the table, O(1).  A module whose entry fails them is read from its module
 * table's arrays (one message per process): the answers are the same, only
 * the bytes read differ.  Every decoded value is the one the array holds
 * (whence-link compares them all before it writes a table), and callers
 * check indexes as they do for the arrays.  Async-signal-safe.
 */
#include "internal.h"
#include "tabfmt.h"

#include <string.h>

WH_RT bool wh_pack_attach(const struct wh_tab *t, uintptr_t ea, const struct whence_tab_mod *e,
                          struct wh_mod *m) {
    m->pack = 0;
    if (!e->pack)
        return true; /* none written: the arrays */
    uint32_t total;
    memcpy(&total, (const void *)(t->base + offsetof(struct whence_tab_header, total_size)), 4);
    if (ea < t->base || !wh_tab_pack_ok(e, ea - t->base, total, m->nsubprog, m->nloc)) {
        if (wh_once(WH_ONCE_BADPACK)) {
            struct wh_buf w = {.fd = 2};
            wh_buf_str(&w, "whence: lookup table at ");
            wh_buf_hex(&w, t->base);
            wh_buf_str(&w, ": ignoring the packed positions of module table ");
            wh_buf_hex(&w, m->base);
            wh_buf_str(&w, " (check or bounds); answering from the module table\n");
            wh_buf_flush(&w);
        }
        return false;
    }
    /* What was checked is what is used: nothing of the entry is read again. */
    memcpy(m->width, e->width, sizeof m->width);
    m->line_bias = e->line_bias;
    m->pack = ea + offsetof(struct whence_tab_mod, pack) + e->pack;
    return true;
}

/* Bits of one packed subprog, of one packed loc; where the locs start. */
WH_RT static inline uint32_t sbits(const struct wh_mod *m) {
    return (uint32_t)m->width[WHENCE_TAB_W_SNAME] + m->width[WHENCE_TAB_W_SLINE] +
           m->width[WHENCE_TAB_W_SFILE];
}
WH_RT static inline uint32_t lbits(const struct wh_mod *m) {
    return (uint32_t)m->width[WHENCE_TAB_W_LSUB] + m->width[WHENCE_TAB_W_LFILE] +
           m->width[WHENCE_TAB_W_LLINE] + m->width[WHENCE_TAB_W_LPARENT] +
           m->width[WHENCE_TAB_W_LCOL];
}
WH_RT static inline const unsigned char *locs(const struct wh_mod *m) {
    return (const unsigned char *)m->pack + ((uint64_t)m->nsubprog * sbits(m) + 7) / 8;
}

/* The n fields of packed record i of nbits bits, from width w[0] on. */
WH_RT static inline void fields(const unsigned char *p, uint64_t i, uint32_t nbits,
                                const uint8_t *w, uint32_t n, uint32_t *out) {
    uint64_t bit = i * nbits;
    for (uint32_t k = 0; k < n; k++) {
        out[k] = w[k] ? wh_bits_get(p, bit, w[k]) : 0;
        bit += w[k];
    }
}

WH_RT const struct whence_subprog *wh_pack_subprog(const struct wh_mod *m, uint32_t s,
                                                   struct whence_subprog *buf) {
    uint32_t f[3];
    fields((const unsigned char *)m->pack, s, sbits(m), &m->width[WHENCE_TAB_W_SNAME], 3, f);
    buf->name = f[0];
    buf->line_file = f[1] | f[2] << WHENCE_SUBPROG_LINE_BITS;
    return buf;
}

/* Subprog s's first line (0 when m has no subprog s). */
WH_RT static uint32_t line0(const struct wh_mod *m, uint32_t s) {
    uint32_t w = m->width[WHENCE_TAB_W_SLINE];
    if (s >= m->nsubprog || !w)
        return 0;
    return wh_bits_get((const unsigned char *)m->pack,
                       (uint64_t)s * sbits(m) + m->width[WHENCE_TAB_W_SNAME], w);
}

WH_RT const struct whence_loc *wh_pack_loc(const struct wh_mod *m, uint32_t l,
                                           struct whence_loc *buf) {
    uint32_t f[5]; /* subprog, file, line, parent distance, column */
    fields(locs(m), l, lbits(m), &m->width[WHENCE_TAB_W_LSUB], 5, f);
    buf->subprog_file = f[0] | f[1] << WHENCE_LOC_SUBPROG_BITS;
    buf->line = f[2] ? line0(m, f[0]) + (uint32_t)m->line_bias + (f[2] - 1) : 0;
    uint32_t parent = f[3] && f[3] <= l ? l - f[3] + 1 : 0;
    buf->parent_column = parent | f[4] << WHENCE_LOC_PARENT_BITS;
    return buf;
}

WH_RT uint32_t wh_pack_parent(const struct wh_mod *m, uint32_t l) {
    uint32_t w = m->width[WHENCE_TAB_W_LPARENT];
    if (!w)
        return UINT32_MAX;
    uint64_t bit = (uint64_t)l * lbits(m) + m->width[WHENCE_TAB_W_LSUB] +
                   m->width[WHENCE_TAB_W_LFILE] + m->width[WHENCE_TAB_W_LLINE];
    uint32_t d = wh_bits_get(locs(m), bit, w);
    return d && d <= l ? l - d : UINT32_MAX;
}
