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
 * interrupted).  Async-signal-safe: own formatting into a stack buffer,
 * write(2) only, no stdio, no malloc.
 */
#include "lookup.h"

struct stack_ctx {
    uint32_t skip;
    uint32_t left;   /* logical frames still to print */
    uint32_t elided; /* frames past the limit */
    struct wh_buf w;
};

/* A crash report stops after this many frames (a stack overflow has
 * hundreds of thousands); whence_write_stack prints them all. */
#define WH_CRASH_FRAMES 200

/* split: the pc is in code split off the function (fragments.c), whose
 * offset from the entry means nothing. */
WH_RT static void put_frame(struct wh_buf *w, const whence_frame *f, bool split) {
    wh_buf_str(w, f->function);
    wh_buf_str(w, f->inlined ? "(...) (inlined)\n\t" : "(...)\n\t");
    wh_buf_str(w, f->file);
    wh_buf_str(w, ":");
    wh_buf_dec(w, (uint64_t)(f->line > 0 ? f->line : 0));
    /* A slot's frame (LOC token) knows its call, not its pc: no offset. */
    /* Go prints the return address's offset; f->pc is ra-1 there. */
    uintptr_t pc = wh_token_pc(f->pc) + !(f->pc & WH_TOKEN_EXACT);
    if (!f->inlined && !split && f->entry && !(f->pc & WH_TOKEN_LOC) && pc >= f->entry) {
        wh_buf_str(w, " +");
        wh_buf_hex(w, pc - f->entry);
    }
    wh_buf_str(w, "\n");
}

WH_RT static bool stack_emit(void *vc, uintptr_t pc, struct wh_pcinfo *pi) {
    struct stack_ctx *c = vc;
    if (c->skip >= pi->depth) {
        c->skip -= pi->depth;
        return true;
    }
    if (!wh_resolve(pi, pc))
        return true;
    for (uint32_t k = 0; k < pi->depth; k++) {
        if (c->skip) {
            c->skip--;
            continue;
        }
        if (!c->left) {
            c->elided++;
            continue;
        }
        c->left--;
        whence_frame f;
        wh_fill_frame(pi, k, pc, &f);
        put_frame(&c->w, &f, (pi->fn->size & WH_FN_FRAG) != 0);
    }
    return true;
}

WH_EXPORT WH_RT WH_CAPTURE void whence_write_stack(int fd, int skip) {
    if (fd < 0 || skip < 0)
        return;
    struct stack_ctx c = {.skip = (uint32_t)skip, .left = UINT32_MAX, .w = {.fd = fd}};
    wh_walk_fp((uintptr_t)__builtin_frame_address(0), stack_emit, &c);
    wh_buf_flush(&c.w);
}

WH_RT void wh_write_stack_from(int fd, uintptr_t rip, uintptr_t rbp, uintptr_t rsp) {
    struct stack_ctx c = {.skip = 0, .left = WH_CRASH_FRAMES, .w = {.fd = fd}};
    wh_walk_context(rip, rbp, rsp, stack_emit, &c);
    if (c.elided) {
        wh_buf_str(&c.w, "...");
        wh_buf_dec(&c.w, c.elided);
        wh_buf_str(&c.w, " more frames elided...\n");
    }
    wh_buf_flush(&c.w);
}
