/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * split.c - whether an image has code split off its functions (fragments:
 * -fsplit-machine-functions, basic block sections), asked as the runtime
 * asks it (runtime/fragments.c, from .eh_frame_hdr's search table: an FDE
 * that starts in no record, among the records' FDEs), over the image laid
 * out from the file.
 */
#include "link.h"

#include <stdlib.h>

bool wl_frags_possible(const struct wl_image *m, const struct wl_plan *p) {
    if (!m->eh_hdr || !p->ax->nf)
        return false;
    struct wh_span *sp = calloc(p->ax->nf, sizeof *sp);
    if (!sp)
        return true; /* cannot tell: say it may */
    for (uint32_t i = 0; i < p->ax->nf; i++) {
        uint32_t k = p->ax->fperm ? p->ax->fperm[i] : i;
        const wh_fn *r = (const wh_fn *)(p->slot.fn_start + (uintptr_t)k * WHENCE_FN_RECORD_SIZE);
        sp[i] = (struct wh_span){wh_rec_entry(r), wh_rec_size(r), i};
    }
    bool maybe = wh_frags_possible_in((const void *)wl_at(m, m->eh_hdr), m->map,
                                      m->map + m->map_size, sp, 0, p->ax->nf);
    free(sp);
    return maybe;
}
