/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * exact.c - what may be said about the line of an exact pc (lines.h).
 *
 * A line record at the pc itself (WHENCE_LINES=1 builds) is exact, inline
 * chain included.  Otherwise the image's .debug_line gives the line of the
 * instruction: its innermost position only, so the frame is the physical
 * function, and a position in a function the records know to be inlined
 * into it (a line at or past the start of a function of that file in one of
 * its inline chains, or of one the pass recorded as inlined without a call)
 * is called inlined code (inlined.c); a function merely starting in its
 * lines (a lambda, a block) does not make its own code inlined.  Without a
 * line table nothing is claimed: the call label before the pc says "after
 * the call at line N", and without one the line is unknown.  The call
 * labels' inline chains are never used for such a pc: they describe the
 * call, not it.
 */
#include "lines.h"

/* The call label of pi's function at or below pc that is not a line
 * record: its site word (*at its address), or UINT32_MAX. */
WH_RT static uint32_t call_below(const struct wh_pcinfo *pi, uintptr_t pc, uintptr_t *at) {
    uint32_t w = wh_img_site(pi, pc, at);
    return w == WH_NO_LOC || w == WH_LOC_UNKNOWN ? UINT32_MAX : w;
}

/* A line record at pc itself. */
WH_RT static bool record_at(const struct wh_pcinfo *pi, uintptr_t pc) {
    uintptr_t at = 0;
    return wh_img_line(pi, pc, &at) != UINT32_MAX && at == pc;
}

WH_RT void wh_exact_sites(struct wh_pcinfo *pi, uintptr_t pc) {
    wh_pcinfo_sites(pi, pc, true);
    if (!record_at(pi, pc))
        pi->depth = 1;
}

WH_RT static bool slot_fn(const struct wh_pcinfo *pi) {
    uint32_t sub;
    return (wh_mod_of(pi, &sub)->flags & WHENCE_MOD_SLOTS) != 0;
}

WH_RT void wh_exact_pos(const struct wh_pcinfo *pi, uintptr_t pc, struct wh_exact *out) {
    struct wh_pcinfo q;
    wh_pcinfo_copy(&q, pi);
    whence_frame f;
    *out = (struct wh_exact){.how = WH_EXACT_UNKNOWN, .why = WH_LN_OK};
    /* The function's own file and first line. */
    q.loc = WH_NO_LOC;
    q.depth = 1;
    wh_fill_frame(&q, 0, pc | WH_TOKEN_EXACT, &f);
    out->file = out->fn_file = f.file;

    if (record_at(pi, pc)) {
        out->how = WH_EXACT_RECORD;
        return;
    }

    struct wh_dwarf_pos d;
    /* The code holding pc: the function, or the fragment split off it
     * (whose end is not kept: up to pc). */
    out->why = pi->from == pi->entry ? wh_dwarf_line(pc, pi->entry, pi->size, &d)
                                     : wh_dwarf_line(pc, pi->from, (uint32_t)(pc - pi->from) + 1, &d);
    if (out->why == WH_LN_OK) {
        out->how = WH_EXACT_LINE;
        out->line = d.line;
        out->column = d.column;
        /* The file as the records spell it, if they have it for sure
         * (else the line table's own spelling, NUL-terminated in the
         * section), and whether the line is the function's own. */
        const char *file = NULL;
        out->inlined_code = wh_exact_inlined(pi, &d, &file);
        out->file = file ? file : d.name;
        out->file_dwarf = !file;
        out->pos = d;
        return;
    }
    /* No line: the call before pc, in the function's own lines. */
    uintptr_t at;
    uint32_t w = call_below(pi, pc, &at);
    if (w != UINT32_MAX) {
        q.loc = w;
        q.depth = wh_loc_depth(&q, q.loc);
        wh_fill_frame(&q, q.depth - 1, pc | WH_TOKEN_EXACT, &f);
        /* pc is a byte of that call, in the function's own code: its line
         * is the call's (a stack overflow faults on the call's push of the
         * return address: "placed after the call at line 7" of the call
         * at line 7, helper-141).  A call inlined from another function
         * is told by the line table only. */
        if (f.line > 0 && q.depth == 1 && !slot_fn(pi) && pc - pi->entry < pi->size &&
            wh_labelled_call(pi->slot, atomic_load_explicit(&pi->slot->ax, memory_order_acquire),
                             pc, pi->entry, pi->size, at)) {
            out->how = WH_EXACT_LINE;
            out->line = (uint32_t)f.line;
            out->column = (uint32_t)f.column;
            out->file = f.file;
            out->inlined_code = false;
            out->file_dwarf = false;
            return;
        }
        if (f.line > 0) {
            out->how = WH_EXACT_AFTER;
            out->after = (uint32_t)f.line;
            /* The call's own file: after a #line directive (bison and
             * flex output) it is not the function's. */
            out->after_file = f.file;
        }
    }
}

WH_RT bool wh_exact_frame(const struct wh_pcinfo *pi, uintptr_t e, whence_frame *out,
                          struct wh_exact *x) {
    struct wh_exact tmp;
    if (!x)
        x = &tmp;
    uintptr_t pc = wh_token_pc(e);
    wh_exact_pos(pi, pc, x);
    if (x->how == WH_EXACT_RECORD)
        return false;
    struct wh_pcinfo q;
    wh_pcinfo_copy(&q, pi);
    q.loc = WH_NO_LOC;
    q.depth = 1;
    wh_fill_frame(&q, 0, pc | WH_TOKEN_EXACT, out);
    out->file = x->file;
    out->line = x->how == WH_EXACT_LINE ? (int)x->line : 0;
    out->column = x->how == WH_EXACT_LINE ? (int)x->column : 0;
    out->inlined = false;
    return true;
}

/* The pair a caller prints, function and line, must be one function's:
 * "outer at inl.c:6" where line 6 is mix()'s, inlined into outer, was
 * printed as outer's line (helper-131, in profiles; whence_frames gave the
 * same).  The printed stacks say "inlined code" with that line, the
 * profile names a frame "outer (inlined code)" at it; a whence_frame has
 * no word for it: its line is unknown there. */
WH_RT bool wh_exact_api_frame(const struct wh_pcinfo *pi, uintptr_t e, whence_frame *out) {
    struct wh_exact x;
    if (!wh_exact_frame(pi, e, out, &x))
        return false;
    if (x.how == WH_EXACT_LINE && x.inlined_code) {
        out->file = x.fn_file;
        out->line = 0;
        out->column = 0;
    }
    return true;
}

/* pc, a plain pc inside pi's function, is a byte of a call whose own
 * label lies just before it: the call's end (0: it is not, or that is not
 * known).  pi's sites at pc are looked up on the way (as whence_func_line
 * answers them): the greatest call label at or below pc is the call's, and
 * the instruction holding pc is decoded forward from it (the bytes before
 * a pc prove nothing: wh_arch_call_holding).  With a post-link table the
 * address is a bound below the label's (where its word starts: a label's
 * address too, an instruction boundary); a call found far from it is
 * looked for from its own label. */
WH_RT static uintptr_t labelled_call_holding(struct wh_pcinfo *pi, uintptr_t pc) {
    uint32_t w;
    uintptr_t at, end;
    wh_pcinfo_sites_call(pi, pc, true, &w, &at);
    if (w != WH_NO_LOC && w != WH_LOC_UNKNOWN && (end = wh_near_call(pc, pi->entry, pi->size, at)))
        return end;
    if (!pi->slot->tab.base || call_below(pi, pc, &at) == UINT32_MAX)
        return 0;
    return wh_near_call(pc, pi->entry, pi->size, at);
}

WH_RT int wh_exact_func_line(struct wh_pcinfo *pi, uintptr_t t, const char **file, int *line) {
    uintptr_t pc = wh_token_pc(t), entry = pi->entry;
    /* A byte of a call (a frame's pc: its return address - 1) is the
     * call's: the records name it exactly, when its own label lies just
     * before it; in a module without labels (frame slots) only the line
     * table answers.  A return address itself is the instruction after the
     * call, as in Go's Func.FileLine (whence.h: pass ra - 1): a program's
     * fault handler asking about a load right after a call was given the
     * call's line (helper-142, SQLite's testfixture).  whence_func_line's
     * warm paths (lookup.c, table.c) decide the common case the same way. */
    if (!(t & WH_TOKEN_EXACT) && pc >= entry && pc - entry < pi->size && !slot_fn(pi)) {
        uintptr_t end = labelled_call_holding(pi, pc);
        /* (the stack protector's failure call and split-stack's
         * __morestack call have no label: the one before is another's) */
        if (end &&
            !wh_codegen_call(pi->slot, atomic_load_explicit(&pi->slot->ax, memory_order_acquire),
                             pi->from, end))
            return WH_FL_SITES;
    }
    whence_frame f;
    struct wh_exact x;
    if (!wh_exact_frame(pi, pc | WH_TOKEN_EXACT, &f, &x) || x.why == WH_LN_NOIMAGE)
        return WH_FL_RECORDS;
    if (file)
        *file = f.file;
    *line = f.line;
    return WH_FL_LINE;
}
