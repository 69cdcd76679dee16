/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * trace.c - printing a stack cut to its two ends, as Go prints a deep
 * goroutine: the innermost frames, "...N more frames elided...", then the
 * outermost ones, so a stack overflow report shows both where the recursion
 * ended and who started it.  Shared by whence_write_stack,
 * whence_format_stack, the crash report and the all-threads dump.
 *
 * The depth limit (WHENCE_STACK_DEPTH in the environment, or
 * whence_set_stack_depth) is split between the ends: the outermost
 * min(limit / 2, 100) logical frames and the innermost rest.  Without a
 * limit whence_write_stack and whence_format_stack print every frame; the
 * crash report keeps 200 and a thread of the all-threads dump 100.
 *
 * The inner end streams (printed as the walk hands frames over, or kept in
 * a caller's array); the outer end is a ring of physical entries that keeps
 * just enough of them to hold the last outer_max logical frames.  Frames are
 * resolved again when printed (wh_resolve), so the ring holds one word and
 * two counts per entry.  Async-signal-safe: no allocation, write(2) only.
 */
#define _GNU_SOURCE
#include "lookup.h"

#include <stdlib.h>

static _Atomic uint32_t wh_depth_limit;

/* Read once when the library is loaded, not in a signal handler. */
__attribute__((constructor)) WH_RT static void read_depth_env(void) {
    const char *s = secure_getenv("WHENCE_STACK_DEPTH");
    if (!s || !*s)
        return;
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        if ((v = v * 10 + (uint64_t)(*s - '0')) > UINT32_MAX - 1)
            v = UINT32_MAX - 1;
    if (*s == 0)
        atomic_store_explicit(&wh_depth_limit, (uint32_t)v, memory_order_relaxed);
}

WH_RT uint32_t wh_stack_depth(void) {
    return atomic_load_explicit(&wh_depth_limit, memory_order_relaxed);
}

WH_EXPORT WH_RT int whence_set_stack_depth(int frames) {
    if (frames < 0)
        return -1;
    return (int)atomic_exchange_explicit(&wh_depth_limit, (uint32_t)frames,
                                         memory_order_relaxed);
}

WH_RT void wh_put_frame(struct wh_buf *w, const whence_frame *f) {
    wh_buf_str(w, f->function);
    wh_buf_str(w, f->inlined ? "(...) (inlined)\n\t" : "(...)\n\t");
    wh_buf_name(w, f->file);
    if (f->line > 0) {
        wh_buf_str(w, ":");
        wh_buf_dec(w, (uint64_t)f->line);
    } else { /* as an interrupted frame without a line (stack.c) */
        wh_buf_str(w, " (line unknown)");
    }
    /* A slot's frame (LOC token) knows its call, not its pc: no offset;
     * nor has a pc in code split off the function (fragments.c), outside
     * its range.  Go prints the return address's offset; f->pc is ra-1
     * there. */
    uintptr_t pc = wh_token_pc(f->pc) + !(f->pc & WH_TOKEN_EXACT);
    if (!f->inlined && f->func && f->entry && !(f->pc & WH_TOKEN_LOC) && pc >= f->entry &&
        pc - f->entry <= wh_func_size(f->func)) {
        wh_buf_str(w, " +");
        wh_buf_hex(w, pc - f->entry);
    }
    wh_buf_str(w, "\n");
}

/* The mark of an entry whose frame a signal interrupted below frames
 * already in the trace (a bit no entry has: addresses are below 2^52,
 * internal.h): the frames above it are a handler's, which its frame did
 * not call, and gdb's marker says so between them.  The trace's first
 * frame (a crash's fault, a thread's interrupted pc in a dump) has none:
 * its header says so. */
#define WH_ENT_SIGNAL (UINT64_C(1) << 54)
_Static_assert(!(WH_ENT_SIGNAL &
                 (((UINT64_C(1) << 52) - 1) | WH_TOKEN_EXACT | WH_TOKEN_LOC | WH_SKIP_MASK)),
               "the signal mark is a bit no entry has");

/* Prints logical frames k .. k+n-1 of e (resolving it again if needed). */
WH_RT static void put_ent(struct wh_buf *w, uintptr_t e, uint32_t k, uint64_t n,
                          struct wh_pcinfo *pi) {
    if (e & WH_ENT_SIGNAL) {
        e &= ~WH_ENT_SIGNAL;
        if (k == 0 || k == WH_FOREIGN_K)
            wh_buf_str(w, "<signal handler called>\n");
    }
    if (k == WH_FOREIGN_K) {
        wh_put_foreign(w, e);
        return;
    }
    struct wh_pcinfo tmp;
    if (!pi) {
        tmp.fn = NULL;
        pi = &tmp;
    }
    if (!wh_resolve(pi, e))
        return;
    /* An interrupted pc: its own line, not the chain of the call before. */
    if ((e & WH_TOKEN_EXACT) && k == 0 && n && wh_put_exact(w, pi, e))
        return;
    for (uint64_t j = k; j < pi->depth && j - k < n; j++) {
        whence_frame f;
        wh_fill_frame(pi, (uint32_t)j, e, &f);
        wh_put_frame(w, &f);
    }
}

WH_RT void wh_trace_init(struct wh_trace *t, uint32_t limit, struct wh_buf *out,
                         struct wh_ent *inner, uint32_t inner_cap, struct wh_ent *ring,
                         uint32_t ring_cap) {
    wh_walk_sig_skip = 0;
    uint32_t outer = limit == UINT32_MAX ? 0 : limit / 2;
    if (outer > WH_OUTER_MAX)
        outer = WH_OUTER_MAX;
    if (outer > ring_cap)
        outer = ring_cap;
    *t = (struct wh_trace){.out = out, .inner = inner, .inner_cap = inner_cap,
                           .inner_left = limit - outer, .outer_max = outer, .ring = ring,
                           .ring_cap = ring_cap};
}

WH_RT static void ring_push(struct wh_trace *t, uintptr_t e, uint32_t k, uint32_t n) {
    if (!t->ring_cap) {
        t->dropped += n;
        return;
    }
    if (t->nr == t->ring_cap) { /* only when outer_max < ring_cap cannot hold */
        struct wh_ent *o = &t->ring[t->head];
        t->dropped += o->n;
        t->ring_frames -= o->n;
        t->head = (t->head + 1) % t->ring_cap;
        t->nr--;
    }
    t->ring[(t->head + t->nr) % t->ring_cap] = (struct wh_ent){e, k, n};
    t->nr++;
    t->ring_frames += n;
    /* Keep only the entries the last outer_max frames need. */
    while (t->nr && t->ring_frames - t->ring[t->head].n >= t->outer_max) {
        struct wh_ent *o = &t->ring[t->head];
        t->dropped += o->n;
        t->ring_frames -= o->n;
        t->head = (t->head + 1) % t->ring_cap;
        t->nr--;
    }
}

WH_RT static void add(struct wh_trace *t, uintptr_t e, uint32_t k, uint32_t n,
                      struct wh_pcinfo *pi) {
    /* (an interrupted pc; or the frame after one the walk left out) */
    if (t->seen && (k == 0 || k == WH_FOREIGN_K) && ((e & WH_TOKEN_EXACT) || wh_walk_sig_skip))
        e |= WH_ENT_SIGNAL;
    wh_walk_sig_skip = 0;
    t->seen += n;
    if (t->inner_left && !t->out && t->ni == t->inner_cap)
        t->inner_left = 0; /* no room left: the rest is the outer end's */
    if (t->inner_left) {
        uint32_t m = n < t->inner_left ? n : t->inner_left;
        if (t->out)
            put_ent(t->out, e, k, m, pi);
        else
            t->inner[t->ni++] = (struct wh_ent){e, k, m};
        t->inner_left -= m;
        k += m;
        n -= m;
        if (!n)
            return;
    }
    ring_push(t, e, k, n);
}

WH_RT void wh_trace_add(struct wh_trace *t, uintptr_t e, uint32_t k, struct wh_pcinfo *pi) {
    if (k < pi->depth)
        add(t, e, k, pi->depth - k, pi);
}

WH_RT void wh_trace_add_foreign(struct wh_trace *t, uintptr_t e) {
    add(t, e, WH_FOREIGN_K, 1, NULL);
}

WH_RT void wh_trace_finish(struct wh_trace *t, struct wh_buf *w) {
    for (uint32_t i = 0; i < t->ni; i++)
        put_ent(w, t->inner[i].e, t->inner[i].k, t->inner[i].n, NULL);
    uint64_t excess = t->ring_frames > t->outer_max ? t->ring_frames - t->outer_max : 0;
    if (t->dropped + excess) {
        wh_buf_str(w, "...");
        wh_buf_dec(w, t->dropped + excess);
        wh_buf_str(w, " more frames elided...\n");
    }
    for (uint32_t i = 0; i < t->nr; i++) {
        const struct wh_ent *r = &t->ring[(t->head + i) % t->ring_cap];
        uint64_t skip = i == 0 ? excess : 0; /* < r->n: see ring_push */
        put_ent(w, r->e, r->k + (uint32_t)skip, r->n - skip, NULL);
    }
}

WH_RT bool wh_trace_emit(void *ctx, uintptr_t pc, struct wh_pcinfo *pi) {
    struct wh_trace_sink *s = ctx;
    if (WH_UNLIKELY(wh_pi_moved(pi))) {
        /* Code moved after the link: shown as code without records (its
         * symbol, its line table); frames still to skip cannot be counted
         * past it, and the stack ends there, said (as whence_callers'). */
        if (s->skip) {
            wh_walk_end = WH_WALK_MOVED;
            return false;
        }
        wh_trace_add_foreign(s->t, pc);
        return true;
    }
    if (s->skip >= pi->depth) {
        s->skip -= pi->depth;
        return true;
    }
    uint32_t k = s->skip;
    s->skip = 0;
    wh_trace_add(s->t, pc, k, pi);
    return true;
}
