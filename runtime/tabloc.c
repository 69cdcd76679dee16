/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * tabloc.c - a module's subprogs and locs read from its image's post-link
 * table (whence_abi.h, whence_tab "packs"), where whence-link bit-packed
 * them with the module's own field widths: about a quarter of the 8 and 12
 * bytes of whence_subprog and whence_loc, and still O(1) per entry, read
 * in place (the decoders: tabloc.h, inline).
 *
 * A module's pack is taken when its entry in the table is first used
 * (table.c, mod_check): the entry's own check and the pack's bounds inside
 * the table, O(1); the pack's own check words when the module is
 * remembered (whole) or where a first lookup reads it (tabcheck.c).  A
 * module whose entry fails them is read from its module table's arrays
 * (one message per process): the answers are the same, only
 * the bytes read differ.  Every decoded value is the one the array holds
 * (whence-link compares them all before it writes a table), and callers
 * check indexes as they do for the arrays.  Async-signal-safe.
 */
#include "internal.h"
#include "tabfmt.h"

#include <string.h>

/* Said once per process: a module entry that failed its check. */
WH_RT static __attribute__((noinline, cold)) void say_bad(const struct wh_tab *t,
                                                         const struct wh_mod *m) {
    if (!wh_once(WH_ONCE_BADPACK))
        return;
    struct wh_buf w = {.fd = 2};
    wh_buf_str(&w, "whence: lookup table at ");
    wh_buf_hex(&w, t->base);
    wh_buf_str(&w, ": ignoring the packed positions of module table ");
    wh_buf_hex(&w, m->base);
    wh_buf_str(&w, " (check or bounds); answering from the module table\n");
    wh_buf_flush(&w);
}

WH_RT WH_ONCE bool wh_pack_attach(const struct wh_tab *t, uintptr_t ea, const struct whence_tab_mod *e,
                          struct wh_mod *m, bool whole) {
    m->pack = m->pk_lazy = 0;
    m->pk_memo = NULL;
    if (!e->pack)
        return true; /* none written: the arrays */
    uint32_t total;
    memcpy(&total, (const void *)(t->base + offsetof(struct whence_tab_header, total_size)), 4);
    /* (a subprog's line and file no wider than whence_subprog.line_file
     * holds them, so that a warm lookup reads each alone and gets what the
     * array's word would say) */
    if (WH_UNLIKELY(ea < t->base ||
                    !wh_tab_pack_ok(e, ea - t->base, total, m->nsubprog, m->nloc) ||
                    e->width[WHENCE_TAB_W_SLINE] > WHENCE_SUBPROG_LINE_BITS ||
                    e->width[WHENCE_TAB_W_SFILE] > 32 - WHENCE_SUBPROG_LINE_BITS)) {
        say_bad(t, m);
        return false;
    }
    /* What was checked is what is used: nothing of the entry is read again. */
    memcpy(m->width, e->width, sizeof m->width);
    m->pk_sbits = (uint16_t)wh_pack_sbits(e);
    m->pk_lbits = (uint16_t)wh_pack_lbits(e);
    m->pk_locs = (uint32_t)wh_tab_pack_locs(e, m->nsubprog); /* (inside the table: < 4 GiB) */
    m->pk_nmask = (uint32_t)((UINT64_C(1) << e->width[WHENCE_TAB_W_SNAME]) - 1);
    m->pk_lmask = (uint32_t)((UINT64_C(1) << e->width[WHENCE_TAB_W_SLINE]) - 1);
    m->pk_fmask = (uint32_t)((UINT64_C(1) << e->width[WHENCE_TAB_W_SFILE]) - 1);
    m->line_bias = e->line_bias;
    uintptr_t pack = ea + offsetof(struct whence_tab_mod, pack) + e->pack;
    /* A module remembered for the warm lookups has its pack checked whole
     * now, once; a first lookup's, each chunk where it is read
     * (tabcheck.c). */
    if (!whole) {
        m->pk_lazy = pack;
        return true;
    }
    if (!wh_pack_whole_ok(m, pack)) {
        say_bad(t, m);
        return false;
    }
    m->pack = pack;
    return true;
}
