/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * pack.c - a module's subprogs and locs bit-packed for the lookup table
 * (whence_abi.h, "packs"; read by runtime/tabloc.c): each field takes the
 * bits its largest value in this module needs, a loc's line is stored
 * relative to its subprog's first line, and its parent as the distance
 * back to it, which is what keeps them small: most locs are a few lines
 * into a function, and their parent was added just before them.
 */
#include "link.h"
#include "tabfmt.h"

#include <stdlib.h>
#include <string.h>

/* A loc's fields as packed: subprog, file, line, parent distance, column;
 * true if it has a line (with bias 0 its packed line may be 0 anyway: a
 * line one before its subprog's first). */
static bool loc_fields(const struct wh_mod *m, uint32_t i, int64_t bias, uint32_t f[5],
                       int64_t *d) {
    struct whence_loc lb;
    const struct whence_loc *lc = wh_mod_loc(m, i, &lb); /* m has no pack: the array */
    uint32_t sub = WHENCE_LOC_SUBPROG(lc), p = WHENCE_LOC_PARENT(lc);
    const struct whence_subprog *sp = wh_mod_subprog(m, sub, NULL);
    uint32_t line0 = sp ? WHENCE_SUBPROG_LINE(sp) : 0;
    *d = (int64_t)lc->line - line0;
    f[0] = sub;
    f[1] = WHENCE_LOC_FILE(lc);
    f[2] = lc->line ? (uint32_t)(*d - bias + 1) : 0;
    f[3] = p && p - 1 < i ? i - (p - 1) : 0;
    f[4] = WHENCE_LOC_COLUMN(lc);
    return lc->line != 0;
}

int wl_pack(const struct wh_mod *m, struct whence_tab_mod *e, unsigned char **out, size_t *n) {
    *out = NULL;
    *n = 0;
    if (!m->nsubprog && !m->nloc)
        return 1;
    /* The loc lines' bias: the least line - line0. */
    int64_t bias = 0, d;
    bool any = false;
    uint32_t f[5], fmax[5] = {0}, smax[3] = {0};
    for (uint32_t i = 0; i < m->nloc; i++)
        if (loc_fields(m, i, 0, f, &d) && (!any || d < bias))
            bias = d, any = true;
    if (bias < INT32_MIN || bias > INT32_MAX)
        return 1;
    for (uint32_t i = 0; i < m->nloc; i++) {
        loc_fields(m, i, bias, f, &d);
        if (f[2] && d - bias + 1 > UINT32_MAX)
            return 1;
        for (int k = 0; k < 5; k++)
            if (f[k] > fmax[k])
                fmax[k] = f[k];
    }
    for (uint32_t s = 0; s < m->nsubprog; s++) {
        const struct whence_subprog *sp = wh_mod_subprog(m, s, NULL);
        uint32_t v[3] = {sp->name, WHENCE_SUBPROG_LINE(sp), WHENCE_SUBPROG_FILE(sp)};
        for (int k = 0; k < 3; k++)
            if (v[k] > smax[k])
                smax[k] = v[k];
    }
    memset(e->width, 0, sizeof e->width);
    for (int k = 0; k < 3; k++)
        e->width[WHENCE_TAB_W_SNAME + k] = (uint8_t)wh_bits_width(smax[k]);
    for (int k = 0; k < 5; k++)
        e->width[WHENCE_TAB_W_LSUB + k] = (uint8_t)wh_bits_width(fmax[k]);
    e->line_bias = (int32_t)bias;

    size_t size = (size_t)wh_tab_pack_size(e, m->nsubprog, m->nloc);
    unsigned char *b = calloc(1, size + 8);
    if (!b)
        return -1;
    uint32_t sb = wh_pack_sbits(e), lb = wh_pack_lbits(e);
    uint64_t scb = wh_pk_chunk_bytes(WHENCE_TAB_CHUNK, sb), lcb = wh_pk_chunk_bytes(WHENCE_TAB_CHUNK, lb);
    for (uint32_t s = 0; s < m->nsubprog; s++) {
        const struct whence_subprog *sp = wh_mod_subprog(m, s, NULL);
        uint32_t v[3] = {sp->name, WHENCE_SUBPROG_LINE(sp), WHENCE_SUBPROG_FILE(sp)};
        unsigned char *q = b + (s / WHENCE_TAB_CHUNK) * scb + 4;
        uint64_t bit = (uint64_t)(s % WHENCE_TAB_CHUNK) * sb;
        for (int k = 0; k < 3; k++) {
            wh_bits_put(q, bit, e->width[WHENCE_TAB_W_SNAME + k], v[k]);
            bit += e->width[WHENCE_TAB_W_SNAME + k];
        }
    }
    unsigned char *lp = b + wh_tab_pack_locs(e, m->nsubprog);
    for (uint32_t i = 0; i < m->nloc; i++) {
        loc_fields(m, i, bias, f, &d);
        unsigned char *q = lp + (i / WHENCE_TAB_CHUNK) * lcb + 4;
        uint64_t bit = (uint64_t)(i % WHENCE_TAB_CHUNK) * lb;
        for (int k = 0; k < 5; k++) {
            wh_bits_put(q, bit, e->width[WHENCE_TAB_W_LSUB + k], f[k]);
            bit += e->width[WHENCE_TAB_W_LSUB + k];
        }
    }
    /* each chunk's check word, of its bytes as written */
    uint32_t held;
    for (uint32_t c = 0; c < wh_tab_nchunk(m->nsubprog); c++) {
        uint32_t x = wh_pk_chunk_check(WH_CHK_SUBPROGS, b, m->nsubprog, sb, c, &held);
        memcpy(b + c * scb, &x, 4);
    }
    for (uint32_t c = 0; c < wh_tab_nchunk(m->nloc); c++) {
        uint32_t x = wh_pk_chunk_check(WH_CHK_LOCS, lp, m->nloc, lb, c, &held);
        memcpy(lp + c * lcb, &x, 4);
    }
    *out = b;
    *n = size;
    return 0;
}
