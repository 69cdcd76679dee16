/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * tabloc.h - the decoders of a module's subprogs and locs as an image's
 * post-link table packs them (whence_abi.h, whence_tab "packs": in chunks
 * of WHENCE_TAB_CHUNK entries, each after its check word), inline so
 * that a warm lookup of a table image pays a few shifts for them, not a
 * call.  Included by internal.h (wh_mod_loc, wh_mod_subprog,
 * wh_loc_parent); the attachment of a pack to a module, with its checks,
 * is tabloc.c.  m->pack is set only for a pack whose widths (<= 32 bits
 * each) and bounds were checked, with 8 readable bytes after it, and the
 * callers check the index: every read below stays inside the table.
 */
#ifndef WHENCE_RUNTIME_TABLOC_H
#define WHENCE_RUNTIME_TABLOC_H

/* w (<= 32) bits at bit b of p. */
static inline uint32_t wh_pk_get(const unsigned char *p, uint64_t b, uint32_t w) {
    uint64_t v;
    __builtin_memcpy(&v, p + (b >> 3), 8);
    return (uint32_t)((v >> (b & 7)) & ((UINT64_C(1) << w) - 1));
}

/* Bits of one packed subprog, of one packed loc; where the locs start. */
static inline uint32_t wh_pk_sbits(const struct wh_mod *m) {
    return m->pk_sbits;
}
static inline uint32_t wh_pk_lbits(const struct wh_mod *m) {
    return m->pk_lbits;
}
static inline const unsigned char *wh_pk_locs(const struct wh_mod *m) {
    return (const unsigned char *)m->pack + m->pk_locs;
}

/* Packed entry i of an array at base whose entries are bits wide
 * (whence_abi.h, packs: chunks of a check word and then WHENCE_TAB_CHUNK
 * entries, 8 * bits bytes, whole bytes): its bit from base in *bit, i *
 * bits and a check word's 32 for each chunk up to its own (one multiply,
 * as without them). */
_Static_assert(WHENCE_TAB_CHUNK == 64, "a chunk of entries is whole bytes");
static inline const unsigned char *wh_pk_entry(const unsigned char *base, uint32_t i,
                                               uint32_t bits, uint64_t *bit) {
    *bit = (uint64_t)i * bits + ((uint64_t)(i / WHENCE_TAB_CHUNK) + 1) * 32;
    return base;
}
static inline const unsigned char *wh_pk_sub(const struct wh_mod *m, uint32_t s, uint64_t *bit) {
    return wh_pk_entry((const unsigned char *)m->pack, s, wh_pk_sbits(m), bit);
}
static inline const unsigned char *wh_pk_loc(const struct wh_mod *m, uint32_t l, uint64_t *bit) {
    return wh_pk_entry(wh_pk_locs(m), l, wh_pk_lbits(m), bit);
}

/* The 57 bits from bit b of p on (all of an entry of at most 56 bits). */
static inline uint64_t wh_pk_bits(const unsigned char *p, uint64_t b) {
    uint64_t v;
    __builtin_memcpy(&v, p + (b >> 3), 8);
    return v >> (b & 7);
}
static inline uint32_t wh_pk_field(uint64_t v, uint32_t w) {
    return (uint32_t)(v & ((UINT64_C(1) << w) - 1));
}

static inline const struct whence_subprog *wh_pack_subprog(const struct wh_mod *m, uint32_t s,
                                                           struct whence_subprog *buf) {
    uint32_t wn = m->width[WHENCE_TAB_W_SNAME], wl = m->width[WHENCE_TAB_W_SLINE],
             wf = m->width[WHENCE_TAB_W_SFILE];
    uint64_t b;
    const unsigned char *p = wh_pk_sub(m, s, &b);
    if (WH_LIKELY(wh_pk_sbits(m) <= 56)) { /* one load */
        uint64_t v = wh_pk_bits(p, b);
        buf->name = wh_pk_field(v, wn);
        buf->line_file = wh_pk_field(v >> wn, wl) | wh_pk_field(v >> (wn + wl), wf)
                                                        << WHENCE_SUBPROG_LINE_BITS;
        return buf;
    }
    buf->name = wh_pk_get(p, b, wn);
    buf->line_file = wh_pk_get(p, b + wn, wl) | wh_pk_get(p, b + wn + wl, wf)
                                                    << WHENCE_SUBPROG_LINE_BITS;
    return buf;
}

/* The name field alone (whence_func_name's one read). */
static inline uint32_t wh_pack_subprog_name(const struct wh_mod *m, uint32_t s) {
    uint64_t b;
    const unsigned char *p = wh_pk_sub(m, s, &b);
    return (uint32_t)wh_pk_bits(p, b) & m->pk_nmask;
}

/* Its line and file as whence_subprog.line_file holds them (one load when
 * they fit 57 bits from the field's start). */
static inline uint32_t wh_pack_subprog_line_file(const struct wh_mod *m, uint32_t s) {
    uint32_t wn = m->width[WHENCE_TAB_W_SNAME], wl = m->width[WHENCE_TAB_W_SLINE],
             wf = m->width[WHENCE_TAB_W_SFILE];
    uint64_t b;
    const unsigned char *p = wh_pk_sub(m, s, &b);
    b += wn;
    if (WH_LIKELY(wl + wf <= 56)) {
        uint64_t v = wh_pk_bits(p, b);
        return ((uint32_t)v & m->pk_lmask) | ((uint32_t)(v >> wl) & m->pk_fmask)
                                                 << WHENCE_SUBPROG_LINE_BITS;
    }
    return wh_pk_get(p, b, wl) | wh_pk_get(p, b + wl, wf) << WHENCE_SUBPROG_LINE_BITS;
}

/* Its first line, and its file in *file (whence_func_line's warm read):
 * one load when the whole subprog fits 57 bits. */
static inline uint32_t wh_pack_subprog_line_and_file(const struct wh_mod *m, uint32_t s,
                                                     uint32_t *file) {
    uint32_t wl = m->width[WHENCE_TAB_W_SLINE];
    uint64_t b;
    const unsigned char *p = wh_pk_sub(m, s, &b);
    b += m->width[WHENCE_TAB_W_SNAME];
    if (WH_LIKELY(wh_pk_sbits(m) <= 57)) {
        uint64_t v = wh_pk_bits(p, b);
        *file = (uint32_t)(v >> wl) & m->pk_fmask;
        return (uint32_t)v & m->pk_lmask;
    }
    *file = wh_pk_get(p, b + wl, m->width[WHENCE_TAB_W_SFILE]);
    return wh_pk_get(p, b, wl);
}

static inline uint32_t wh_pack_subprog_line(const struct wh_mod *m, uint32_t s) {
    uint64_t b;
    const unsigned char *p = wh_pk_sub(m, s, &b);
    return wh_pk_get(p, b + m->width[WHENCE_TAB_W_SNAME], m->width[WHENCE_TAB_W_SLINE]);
}

static inline const struct whence_loc *wh_pack_loc(const struct wh_mod *m, uint32_t l,
                                                   struct whence_loc *buf) {
    const uint8_t *w = &m->width[WHENCE_TAB_W_LSUB];
    uint64_t b;
    const unsigned char *p = wh_pk_loc(m, l, &b);
    uint32_t sub, file, line, d, col;
    if (WH_LIKELY(wh_pk_lbits(m) <= 56)) { /* one load */
        uint64_t v = wh_pk_bits(p, b);
        sub = wh_pk_field(v, w[0]);
        v >>= w[0];
        file = wh_pk_field(v, w[1]);
        v >>= w[1];
        line = wh_pk_field(v, w[2]);
        v >>= w[2];
        d = wh_pk_field(v, w[3]); /* back to the parent; 0: none */
        v >>= w[3];
        col = wh_pk_field(v, w[4]);
    } else {
        sub = wh_pk_get(p, b, w[0]);
        b += w[0];
        file = wh_pk_get(p, b, w[1]);
        b += w[1];
        line = wh_pk_get(p, b, w[2]);
        b += w[2];
        d = wh_pk_get(p, b, w[3]);
        b += w[3];
        col = wh_pk_get(p, b, w[4]);
    }
    buf->subprog_file = sub | file << WHENCE_LOC_SUBPROG_BITS;
    if (line) /* from the first line of its subprog (0 when it names none) */
        line = (sub < m->nsubprog ? wh_pack_subprog_line(m, sub) : 0) + (uint32_t)m->line_bias +
               (line - 1);
    buf->line = line;
    buf->parent_column = (d && d <= l ? l - d + 1 : 0) | col << WHENCE_LOC_PARENT_BITS;
    return buf;
}

static inline uint32_t wh_pack_parent(const struct wh_mod *m, uint32_t l) {
    const uint8_t *w = &m->width[WHENCE_TAB_W_LSUB];
    uint64_t b;
    const unsigned char *p = wh_pk_loc(m, l, &b);
    uint32_t d = wh_pk_get(p, b + w[0] + w[1] + w[2], w[3]);
    return d && d <= l ? l - d : UINT32_MAX;
}

#endif /* WHENCE_RUNTIME_TABLOC_H */
