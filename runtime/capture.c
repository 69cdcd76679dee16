/*
 * capture.c - finding the physical frames of the calling thread.
 *
 * Fast path: the frame-pointer chain.  Instrumented code keeps frame
 * pointers (the pass sets "frame-pointer"="non-leaf") and so does the
 * runtime, so from the capture function's own frame: ra = [fp+8], next
 * fp = [fp].  A step is taken only while the return address lies inside an
 * instrumented function (whose frame is then known to hold a valid saved
 * rbp), the next fp is strictly higher, 8-aligned and at most 16 MiB away.
 *
 * Where the chain meets other code:
 *   (a) the signal trampoline __restore_rt (mov $15,%rax; syscall): the
 *       handler's frame sits on the kernel's rt_sigframe, whose ucontext
 *       follows the return address slot.  The walk resumes from the
 *       interrupted RIP/RBP/RSP, recording RIP+1 so that the usual pc-1 rule
 *       lands on the interrupted instruction.  At the function's entry,
 *       right after push %rbp, or on a ret, the frame is not (or no longer)
 *       set up and the caller's return address is read at RSP instead.
 *   (b) any other code (glibc's qsort calling an instrumented comparator
 *       leaves rbp = 1): libgcc's CFI unwinder (_Unwind_Backtrace) takes
 *       over for the rest of the stack; the frame where the FP walk broke is
 *       found by its CFA, and only instrumented frames after it are kept.
 *       That costs microseconds, so return addresses after which the
 *       unwinder found nothing (the bottom of the stack: __libc_start_call_main,
 *       start_thread) are remembered in a small one-word-per-entry cache.
 *       In signal context the unwinder is skipped while the dynamic linker
 *       is mid-update (_r_debug.r_state), since it consults the loader's
 *       object list.
 *
 * Never allocates, never locks; every frame goes to a sink (wh_emit_fn).
 */
#define _GNU_SOURCE
#include "internal.h"

#include <link.h>
#include <ucontext.h>
#include <unwind.h>

__thread int wh_signal_depth __attribute__((tls_model("initial-exec")));

struct walker {
    wh_emit_fn emit;
    void *ctx;
    bool in_signal;  /* crossed a signal frame */
    uint32_t steps;
};

/* ---- the bottom-of-stack cache ---------------------------------------------- */
#define WH_NTERMINAL 8
static _Atomic uintptr_t wh_terminal[WH_NTERMINAL];

WH_RT static bool is_terminal(uintptr_t ra) {
    for (int i = 0; i < WH_NTERMINAL; i++) {
        uintptr_t t = atomic_load_explicit(&wh_terminal[i], memory_order_relaxed);
        if (t == ra)
            return true;
        if (!t)
            return false;
    }
    return false;
}

WH_RT static void add_terminal(uintptr_t ra) {
    for (int i = 0; i < WH_NTERMINAL; i++) {
        uintptr_t z = 0;
        if (atomic_compare_exchange_strong_explicit(&wh_terminal[i], &z, ra,
                                                    memory_order_relaxed, memory_order_relaxed) ||
            z == ra)
            return;
    }
}

/* ---- fallback: libgcc's unwinder -------------------------------------------------- */
enum { FB_CFA, FB_SIGIP };

struct fb_state {
    struct walker *w;
    int mode;
    uintptr_t cfa, ip;   /* where the FP walk broke */
    bool matched, stopped;
    uint32_t after, emitted;
};

WH_RT static _Unwind_Reason_Code fb_step(struct _Unwind_Context *uc, void *arg) {
    struct fb_state *st = arg;
    int before = 0;
    uintptr_t ip = _Unwind_GetIPInfo(uc, &before);
    if (!st->matched) {
        /* The context whose IP is a return address has as CFA the address
         * just above that return address's slot: for a break at [fp+8]
         * that is fp+16.  An interrupted frame is flagged "before insn". */
        if (st->mode == FB_CFA ? (_Unwind_GetCFA(uc) == st->cfa && ip == st->ip)
                               : (before && ip == st->ip))
            st->matched = true;
        return _URC_NO_REASON;
    }
    if (!ip || ++st->after > WH_MAX_WALK)
        return _URC_END_OF_STACK;
    uintptr_t pc = before ? ip + 1 : ip;
    struct wh_pcinfo pi;
    if (wh_find(pc, true, &pi)) {
        st->emitted++;
        if (!st->w->emit(st->w->ctx, pc, &pi)) {
            st->stopped = true;
            return _URC_END_OF_STACK;
        }
    }
    return _URC_NO_REASON;
}

WH_RT __attribute__((noinline)) static void fallback(struct walker *w, int mode, uintptr_t cfa,
                                                     uintptr_t ip) {
    if (mode == FB_CFA && is_terminal(ip))
        return;
    /* The unwinder looks the pc up in the loader's object list (via
     * _dl_find_object on glibc 2.35+): in a signal that interrupted dlopen or
     * dlclose that list may be half-updated.  Stop cleanly instead. */
    if ((w->in_signal || wh_signal_depth > 0) && _r_debug.r_state != RT_CONSISTENT)
        return;
    struct fb_state st = {.w = w, .mode = mode, .cfa = cfa, .ip = ip};
    _Unwind_Backtrace(fb_step, &st);
    /* Nothing instrumented within a few frames of the end of the stack: this
     * return address is the bottom (main's or a thread's start); skip the
     * unwinder there from now on. */
    if (mode == FB_CFA && st.matched && !st.stopped && !st.emitted && st.after <= 4)
        add_terminal(ip);
}

/* ---- signal frames ------------------------------------------------------------------ */

/* __restore_rt: mov $0xf,%rax; syscall (rt_sigreturn).  Compared byte by
 * byte: each matching byte belongs to an instruction that continues, so no
 * read can run past the mapped code. */
WH_RT static bool is_sigreturn(uintptr_t ra) {
    static const unsigned char code[9] = {0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05};
    const volatile unsigned char *p = (const volatile unsigned char *)ra;
    for (int i = 0; i < 9; i++)
        if (p[i] != code[i])
            return false;
    return true;
}

WH_RT static bool plausible_fp(uintptr_t rbp, uintptr_t rsp) {
    return rbp && !(rbp & 7) && rbp >= rsp && rbp - rsp <= WH_MAX_STRIDE;
}

/* Resumes the walk at an interrupted context.  Returns true with *fp set when
 * the FP walk can go on from there, false when the walk is over. */
WH_RT static bool from_context(struct walker *w, uintptr_t rip, uintptr_t rbp, uintptr_t rsp,
                               uintptr_t *fp) {
    struct wh_pcinfo pi;
    if (!wh_find(rip, false, &pi)) {
        fallback(w, FB_SIGIP, 0, rip);
        return false;
    }
    if (!w->emit(w->ctx, rip + 1, &pi))
        return false;
    uintptr_t entry = pi.base + pi.fn->entry_off, off = rip - entry, size = pi.fn->size;
    const unsigned char *c = (const unsigned char *)entry;
    const unsigned char *ip = (const unsigned char *)rip;
    uintptr_t p = 0, slot;
    if (size >= 5 && c[0] == 0xf3 && c[1] == 0x0f && c[2] == 0x1e && c[3] == 0xfa)
        p = 4; /* endbr64 */
    bool push = p < size && c[p] == 0x55;                         /* push %rbp */
    bool mov = push && p + 4 <= size && c[p + 1] == 0x48 && c[p + 2] == 0x89 &&
               c[p + 3] == 0xe5;                                  /* mov %rsp,%rbp */
    if (off <= p)
        slot = rsp;      /* nothing pushed yet */
    else if (push && off == p + 1)
        slot = rsp + 8;  /* rbp pushed, not yet ours */
    else if (ip[0] == 0xc3 || (ip[0] == 0xf3 && ip[1] == 0xc3))
        slot = rsp;      /* on the ret: rbp already restored */
    else if (mov && off >= p + 4) {
        if (!plausible_fp(rbp, rsp))
            return false;
        *fp = rbp;       /* the frame is set up: the ordinary chain */
        return true;
    } else {
        /* A leaf without a frame: where its return address is, only the
         * CFI knows. */
        fallback(w, FB_SIGIP, 0, rip);
        return false;
    }
    if (slot & 7)
        return false;
    uintptr_t ra = *(const uintptr_t *)slot;
    if (!wh_find(ra, true, &pi)) {
        if (ra)
            fallback(w, FB_CFA, slot + 8, ra);
        return false;
    }
    if (!w->emit(w->ctx, ra, &pi))
        return false;
    if (!plausible_fp(rbp, rsp))
        return false;
    *fp = rbp; /* still the caller's frame pointer */
    return true;
}

/* ---- the walk ---------------------------------------------------------------------- */

WH_RT static inline __attribute__((always_inline)) void walk(struct walker *w, uintptr_t fp) {
    for (;;) {
        if (WH_UNLIKELY(++w->steps > WH_MAX_WALK) || !fp || (fp & 7))
            return;
        uintptr_t ra = ((const uintptr_t *)fp)[1];
        struct wh_pcinfo pi;
        if (WH_LIKELY(ra && wh_find(ra, true, &pi))) {
            if (!w->emit(w->ctx, ra, &pi))
                return;
            uintptr_t next = ((const uintptr_t *)fp)[0];
            if (next <= fp || next - fp > WH_MAX_STRIDE)
                return;
            fp = next;
            continue;
        }
        if (!ra)
            return;
        if (is_sigreturn(ra)) {
            /* rt_sigframe: pretcode (= ra, at fp+8), then struct ucontext. */
            const ucontext_t *uc = (const ucontext_t *)(fp + 16);
            w->in_signal = true;
            if (!from_context(w, (uintptr_t)uc->uc_mcontext.gregs[REG_RIP],
                              (uintptr_t)uc->uc_mcontext.gregs[REG_RBP],
                              (uintptr_t)uc->uc_mcontext.gregs[REG_RSP], &fp))
                return;
            continue;
        }
        fallback(w, FB_CFA, fp + 16, ra);
        return;
    }
}

WH_RT void wh_walk_fp(uintptr_t fp, wh_emit_fn emit, void *ctx) {
    struct walker w = {.emit = emit, .ctx = ctx};
    walk(&w, fp);
}

WH_RT void wh_walk_context(uintptr_t rip, uintptr_t rbp, uintptr_t rsp, wh_emit_fn emit,
                           void *ctx) {
    struct walker w = {.emit = emit, .ctx = ctx, .in_signal = true};
    uintptr_t fp;
    if (from_context(&w, rip, rbp, rsp, &fp))
        walk(&w, fp);
}

/* ---- whence_callers ------------------------------------------------------------------- */

struct callers_ctx {
    uint32_t skip;
    int n, max;
    uintptr_t *pcs;
};

WH_RT static bool callers_emit(void *vc, uintptr_t pc, struct wh_pcinfo *pi) {
    struct callers_ctx *c = vc;
    if (c->skip) {
        wh_pcinfo_sites(pi, pc);
        if (c->skip >= pi->depth) {
            c->skip -= pi->depth;
            return true;
        }
        c->pcs[c->n++] = wh_token_make(pc, c->skip);
        c->skip = 0;
    } else {
        c->pcs[c->n++] = pc;
    }
    return c->n < c->max;
}

WH_EXPORT WH_RT WH_CAPTURE int whence_callers(int skip, uintptr_t *pcs, int max) {
    if (max <= 0 || !pcs || skip < 0)
        return 0;
    struct callers_ctx c = {.skip = (uint32_t)skip, .n = 0, .max = max, .pcs = pcs};
    struct walker w = {.emit = callers_emit, .ctx = &c};
    walk(&w, (uintptr_t)__builtin_frame_address(0));
    return c.n;
}

/* ---- whence_caller --------------------------------------------------------------------- */

struct caller_ctx {
    uint32_t skip;
    bool found;
    whence_frame *out;
};

WH_RT static bool caller_emit(void *vc, uintptr_t pc, struct wh_pcinfo *pi) {
    struct caller_ctx *c = vc;
    wh_pcinfo_sites(pi, pc);
    if (c->skip >= pi->depth) {
        c->skip -= pi->depth;
        return true;
    }
    wh_fill_frame(pi, c->skip, pc, c->out);
    c->found = true;
    return false;
}

WH_EXPORT WH_RT WH_CAPTURE bool whence_caller(int skip, whence_frame *out) {
    whence_frame tmp;
    if (!out)
        out = &tmp;
    struct caller_ctx c = {.skip = (uint32_t)skip, .found = false, .out = out};
    if (skip >= 0) {
        struct walker w = {.emit = caller_emit, .ctx = &c};
        walk(&w, (uintptr_t)__builtin_frame_address(0));
    }
    if (!c.found)
        wh_unknown_frame(out, 0);
    return c.found;
}
