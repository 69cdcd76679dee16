/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * stack.c - whence_write_stack: the calling thread's stack as text, Go-panic
 * style, two lines per logical frame, innermost first:
 *
 *     name(...)                 physical frame
 *     \tfile:line +0xOFF        OFF = pc - function entry
 *     name(...) (inlined)       a function inlined into the next frame
 *     \tfile:line               (no offset: it has no code of its own)
 *
 * pc is the return address (the interrupted pc + 1 for a frame a signal
 * interrupted).  A frame a signal interrupted is named by its own
 * instruction (lines/exact.c): one line, the physical function,
 *
 *     name(...)
 *     \tfile:line +0xOFF                   .debug_line's line
 *     \tfile:line +0xOFF (inlined code)    a line of code inlined into it
 *     \tfile (after the call at line N) +0xOFF   no line table: no line
 *     \tfile (line unknown) +0xOFF                claimed
 *  With a depth limit (trace.c) a deeper stack keeps its two
 * ends with "...N more frames elided..." between them; the crash report's
 * stack always does (200 frames unless the limit says otherwise).
 * Async-signal-safe: own formatting into a stack buffer, write(2) only, no
 * stdio, no malloc.
 */
#include "lines/lines.h"

/* A crash report keeps this many frames (a stack overflow has hundreds of
 * thousands): the innermost and the outermost half. */
#define WH_CRASH_FRAMES 200u

WH_RT bool wh_put_exact(struct wh_buf *w, const struct wh_pcinfo *pi, uintptr_t e) {
    whence_frame f;
    struct wh_exact x;
    if (!wh_exact_frame(pi, e, &f, &x))
        return false;
    wh_buf_str(w, f.function);
    wh_buf_str(w, "(...)\n\t");
    wh_buf_str(w, f.file);
    if (x.how == WH_EXACT_LINE) {
        wh_buf_str(w, ":");
        wh_buf_dec(w, x.line);
    } else if (x.how == WH_EXACT_AFTER) {
        wh_buf_str(w, " (after the call at line ");
        wh_buf_dec(w, x.after);
        wh_buf_str(w, ")");
    } else {
        wh_buf_str(w, " (line unknown)");
    }
    uintptr_t pc = wh_token_pc(e);
    /* No offset for a pc in code split off the function (fragments.c).
     * (pi's size: f.func is a table entry, not a record, in an image with
     * a post-link table.) */
    if (f.entry && f.func && pc >= f.entry && pc - f.entry <= pi->size) {
        wh_buf_str(w, " +");
        wh_buf_hex(w, pc - f.entry);
    }
    if (x.how == WH_EXACT_LINE && x.inlined_code)
        wh_buf_str(w, " (inlined code)");
    wh_buf_str(w, "\n");
    return true;
}

/* A walk that ended because the signal stack was too short for the CFI
 * unwinder (wh_walk_short) says so: the stack is not over. */
WH_RT static void put_walk_short(struct wh_buf *w) {
    if (!wh_walk_short)
        return;
    size_t room = wh_altstack_room();
    wh_buf_str(w, "(the stack ends here: ");
    if (room != SIZE_MAX) {
        wh_buf_dec(w, room);
        wh_buf_str(w, " bytes of the signal stack left, ");
    }
    wh_buf_str(w, "too few to read the next frame's unwind tables)\n");
}

WH_EXPORT WH_RT WH_CAPTURE void whence_write_stack(int fd, int skip) {
    if (fd < 0 || skip < 0)
        return;
    wh_check_built();
    uint32_t limit = wh_stack_depth();
    if (!limit)
        limit = UINT32_MAX;
    struct wh_buf w = {.fd = fd};
    /* A VLA: without a limit (the usual case, maybe on a small signal
     * stack) the ring is one entry. */
    struct wh_ent ring[wh_ring_size(limit)];
    struct wh_trace t;
    wh_trace_init(&t, limit, &w, NULL, 0, ring, wh_ring_size(limit));
    struct wh_trace_sink s = {.t = &t, .skip = (uint32_t)skip};
    wh_walk_short = false;
    wh_walk_fp((uintptr_t)__builtin_frame_address(0), wh_trace_emit, &s);
    wh_trace_finish(&t, &w);
    put_walk_short(&w);
    wh_buf_flush(&w);
}

__thread struct wh_buf *wh_stack_buf;

WH_RT void wh_write_stack_from(int fd, const struct wh_regs *r) {
    uint32_t limit = wh_stack_depth();
    if (!limit)
        limit = WH_CRASH_FRAMES;
    struct wh_buf w = {.fd = fd};
    struct wh_ent ring[wh_ring_size(limit)];
    struct wh_trace t;
    wh_trace_init(&t, limit, &w, NULL, 0, ring, wh_ring_size(limit));
    struct wh_trace_sink s = {.t = &t, .skip = 0};
    wh_stack_buf = &w; /* (a fault in the walk still writes what it has: crash.c) */
    wh_walk_short = false;
    wh_walk_context(r, wh_trace_emit, &s);
    wh_stack_buf = NULL;
    wh_trace_finish(&t, &w);
    put_walk_short(&w);
    wh_buf_flush(&w);
}
