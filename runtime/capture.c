/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
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
 *   (a) the signal return trampoline (x86-64's __restore_rt, AArch64's
 *       mov x8, #139; svc #0): the handler's frame sits on the kernel's
 *       signal frame, whose ucontext arch/ finds.  The walk resumes from the
 *       interrupted RIP/RBP/RSP, recording RIP+1 so that the usual pc-1 rule
 *       lands on the interrupted instruction.  At the function's entry,
 *       right after push %rbp, or on a ret, the frame is not (or no longer)
 *       set up and the caller's return address is read at RSP instead.
 *   (b) any other code (glibc's qsort calling an instrumented comparator
 *       leaves rbp = 1): whence's own .eh_frame unwinder (runtime/unwind/)
 *       continues from the frame where the FP walk broke, with the register
 *       state known there, through the foreign frames' CFI, and hands back
 *       to the FP walk at the next instrumented frame with a plausible frame
 *       pointer (so instrumented code needs no unwind tables).  Return
 *       addresses after which it found nothing (the bottom of the stack:
 *       __libc_start_call_main, start_thread) are remembered in a small
 *       one-word-per-entry cache.
 *
 * Lines: a frame in a module built with site labels gets its line from the
 * greatest call label below its return address.  A frame in a module built
 * with frame slots instead (by default: -g) gets the exact call from its
 * slot, found in the frame's own stack from its frame pointer (slots.c), and
 * is handed on as a LOC token naming that call.  A frame whose slot is not
 * found gets no line (0): never a line that might be another call's.
 *
 * Never allocates, never locks; every frame goes to a sink (wh_emit_fn).
 */
#define _GNU_SOURCE
#include "fcache.h"
#include "lookup.h"
#include "spans.h"

#include "arch/arch.h"
#include "lines/lines.h"
#include "unwind/cfi.h"

#include <signal.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

__thread int wh_signal_depth __attribute__((tls_model("initial-exec")));

struct walker {
    wh_emit_fn emit;
    void *ctx;
    bool in_signal;  /* crossed a signal frame */
    bool all;        /* wh_walk_context_all: foreign frames are emitted too */
    bool no_fde;     /* the last fallback from an interrupted pc found no
                        CFI for it */
    uint32_t steps;  /* signal frames crossed */
    uintptr_t resume_pc; /* a pc in the function whose frame the FP walk
                            resumes at (0 if not known) */
};

/* A frame outside instrumented code, for the all-frames walk (internal.h):
 * pi->fn NULL and depth 0, which no instrumented frame has. */
WH_RT static bool emit_foreign(struct walker *w, uintptr_t e) {
    struct wh_pcinfo pi;
    pi.fn = NULL;
    pi.depth = 0;
    pi.slot = NULL;
    return w->emit(w->ctx, e, &pi);
}

/* A frame in code a post-link optimizer moved (moved.c), for every walk:
 * as a foreign frame, with its image's slot (internal.h wh_pi_moved). */
WH_RT static bool emit_moved(struct walker *w, uintptr_t e, struct wh_slot *s) {
    struct wh_pcinfo pi;
    pi.fn = NULL;
    pi.depth = 0;
    pi.slot = s;
    return w->emit(w->ctx, e, &pi);
}

WH_RT static inline bool slot_module(const struct wh_pcinfo *pi) {
    uint32_t sub;
    return (wh_mod_of(pi, &sub)->flags & WHENCE_MOD_SLOTS) != 0;
}

/* Lines of a return-address frame of the function holding ra: its slot (F
 * its frame pointer, S its stack pointer at the call, 0 when unknown) or
 * its call label.  Returns the entry to emit. */
WH_RT static uintptr_t ra_frame(struct wh_pcinfo *pi, uintptr_t ra, uintptr_t F, uintptr_t S) {
    uintptr_t e = ra;
    if (slot_module(pi)) {
        pi->ra = ra;
        /* A call code generation made after the pass (the stack
         * protector's, split-stack's __morestack) stored nothing in the
         * slot, which still names the call before it: its line is not
         * known, and the plain return address says so. */
        if (WH_UNLIKELY(wh_codegen_call(pi->slot,
                                        atomic_load_explicit(&pi->slot->ax, memory_order_acquire),
                                        pi->from, ra)) ||
            !wh_slot_find(pi, F, S, &e)) {
            pi->loc = WH_LOC_UNKNOWN;
            pi->depth = 1;
        }
        return e;
    }
    wh_pcinfo_sites(pi, ra, false);
    return ra;
}

/* ---- the bottom-of-stack cache ----------------------------------------------
 * A foreign return address after which the unwinder found nothing
 * instrumented before the end of the stack (a thread's start routine in
 * libc, main's caller) is not unwound again.  The key is the return
 * address and the stack pointer at its call: the same return address
 * can be the bottom of one thread's stack and, in the same process, the
 * middle of another's (a foreign function that is a thread's start
 * routine and also called from instrumented code: keyed by the return
 * address alone, every later walk through it stopped there).  A slot is
 * claimed, filled, then published by its return address; entries are
 * never changed, and stacks reused by new threads find theirs again. */
#define WH_NTERMINAL 64
static struct {
    _Atomic uint32_t claimed;
    uintptr_t sp;           /* written before ra is published */
    _Atomic uintptr_t ra;   /* 0 until published */
} wh_terminal[WH_NTERMINAL];

WH_RT static bool is_terminal(uintptr_t ra, uintptr_t sp) {
    for (int i = 0; i < WH_NTERMINAL; i++) {
        uintptr_t t = atomic_load_explicit(&wh_terminal[i].ra, memory_order_acquire);
        if (t == ra && wh_terminal[i].sp == sp)
            return true;
        if (!t && !atomic_load_explicit(&wh_terminal[i].claimed, memory_order_relaxed))
            return false;
    }
    return false;
}

WH_RT static void add_terminal(uintptr_t ra, uintptr_t sp) {
    if (is_terminal(ra, sp))
        return;
    for (int i = 0; i < WH_NTERMINAL; i++) {
        uint32_t z = 0;
        if (atomic_compare_exchange_strong_explicit(&wh_terminal[i].claimed, &z, 1,
                                                    memory_order_relaxed, memory_order_relaxed)) {
            wh_terminal[i].sp = sp;
            atomic_store_explicit(&wh_terminal[i].ra, ra, memory_order_release);
            return;
        }
    }
}

/* ---- fallback: the CFI unwinder (runtime/unwind/) ----------------------------------
 * The walk goes on from the frame where the FP walk broke, with the register
 * state known there (its pc, stack pointer, frame pointer), through the
 * foreign frames' call-frame information, and hands back to the FP walk at
 * the first instrumented frame whose frame pointer is plausible and whose
 * prologue ran.  No CFI is needed for instrumented code
 * (-fno-asynchronous-unwind-tables) but at a call made before its prologue
 * (an XRay entry sled). */
enum { FB_CFA, FB_SIGIP };

WH_RT static bool plausible_fp(uintptr_t fp, uintptr_t sp);
WH_RT static bool from_context(struct walker *w, const struct wh_regs *r, uintptr_t *fp);

struct fb_state {
    struct walker *w;
    bool skip_first;   /* the interrupted frame: its caller handled it */
    uintptr_t fp;      /* where the FP walk resumes (0: the walk is over) */
    uint32_t visited, emitted;
    /* A moved frame at the program's entry point (moved.c), held until a
     * frame follows it: the entry's own frame ends the stack and is start
     * code, left out; a moved function BOLT put right after it is not. */
    uintptr_t held;
    struct wh_slot *held_slot;
    uintptr_t prev_pc, pc; /* the last two frames visited */
};

/* ra is the signal-return trampoline.  ra may be anything a smashed stack
 * holds: its bytes are read in place only inside a registered image's code
 * or a loaded object's readable segment, else copied through the kernel
 * (a trampoline in no object: qemu-user's page; a wild ra: unmapped). */
WH_RT static bool at_sigreturn(uintptr_t ra) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        if (wh_slot_holds(s, ra) && wh_slot_holds(s, ra + WH_ARCH_SIGRETURN_LEN - 1))
            return wh_arch_is_sigreturn(ra);
    }
    if (wh_uw_readable(ra, WH_ARCH_SIGRETURN_LEN))
        return wh_arch_is_sigreturn(ra);
    if (ra & (WH_PAD_UNIT - 1))
        return false;
    uint64_t copy[2];
    return wh_copy_in(copy, ra, WH_ARCH_SIGRETURN_LEN) && wh_arch_is_sigreturn((uintptr_t)copy);
}

/* An interrupted pc on the trampoline itself: a signal that came as the
 * handler of another returned into it.  Its stack pointer is then where
 * the handler's CFA was: at the earlier signal's frame (arch/). */
WH_RT static bool on_sigreturn(uintptr_t pc) {
    return at_sigreturn(pc) ||
           (pc > WH_ARCH_SIGRETURN_SYSCALL && at_sigreturn(pc - WH_ARCH_SIGRETURN_SYSCALL));
}

/* The walk goes on from the kernel's signal frame at sp (a handler's CFA,
 * or the stack pointer of a pc on the trampoline): from the context it
 * holds (arch/); the number of such crossings is bounded. */
WH_RT static bool through_sigframe(struct walker *w, uintptr_t sp, uintptr_t *fp) {
    struct wh_regs ir;
    if (++w->steps > 64 || !wh_arch_sigframe_at(sp, &ir))
        return false;
    w->in_signal = true;
    return from_context(w, &ir, fp);
}

/* Return address pc (of a frame whose stack pointer is sp) is no code's:
 * in the first page, where nothing is ever mapped, or near this very
 * stack outside every object (the vDSO may lie within 16 MiB of it) and
 * after no call (a JIT's code may lie next to a thread's stack): a saved
 * register the unwind tables took for the return address (glibc 2.36's
 * __mpn_submul_1 pushes %rbx and %rbp, and its tables keep the return
 * address at its entry's CFA: a frame "0x5" in a profile, helper-139; a
 * saved frame pointer). */
WH_RT static bool junk_return(uintptr_t pc, uintptr_t sp) {
    if (pc - 1 < 4095)
        return true;
    return (pc > sp ? pc - sp : sp - pc) < WH_MAX_STRIDE && !wh_in_object(pc - 1) &&
           !wh_uw_outside_objects(pc, true);
}

/* pc (a return address; 0: none) is in the C library's or the loader's
 * code, whose start code is a stack's bottom. */
WH_RT static bool start_code_at(uintptr_t pc) {
    return pc && (wh_uw_in_libc(pc - 1) || wh_uw_in_loader(pc - 1));
}

WH_RT static bool fb_visit(void *arg, const struct wh_uw_regs *r, bool exact) {
    struct fb_state *st = arg;
    st->visited++;
    st->prev_pc = st->pc;
    st->pc = r->v[WH_UW_RA];
    if (st->skip_first) {
        st->skip_first = false;
        return true;
    }
    if (WH_UNLIKELY(st->held)) { /* a frame follows it: not the entry's own */
        uintptr_t h = st->held;
        st->held = 0;
        if (!emit_moved(st->w, h, st->held_slot))
            return false;
    }
    uintptr_t pc = r->v[WH_UW_RA], sp = r->v[WH_UW_SP];
    uintptr_t rbp = WH_UW_KNOWN(r, WH_UW_FP) ? r->v[WH_UW_FP] : 0;
    if (!exact && at_sigreturn(pc)) {
        /* A handler's caller is the trampoline: the kernel's signal frame
         * lies at the handler's CFA. */
        uintptr_t next;
        if (through_sigframe(st->w, sp, &next))
            st->fp = next;
        return false;
    }
    struct wh_pcinfo pi;
    if (!wh_find(pc, !exact, &pi)) {
        struct wh_slot *moved = wh_moved(exact ? pc : pc - 1);
        if (moved) {
            st->emitted++;
            uintptr_t entry = (uintptr_t)getauxval(AT_ENTRY);
            if (!exact && entry && pc - entry < 64) {
                st->held = pc, st->held_slot = moved;
                return true;
            }
            return emit_moved(st->w, exact ? pc | WH_TOKEN_EXACT : pc, moved);
        }
        /* A return address in an image's data, no code: the unwind
         * tables of a frame below described its stack wrongly there, and
         * what follows is not the stack.  glibc's AArch64
         * _dl_runtime_resolve (a lazy binding) leaves the 16 bytes PLT0
         * pushed out of its CFA: at its first instruction the walk took
         * the pushed GOT address for plain_run's caller (a profile's
         * "libplain.so+0x30a6f", under qemu, whose samples land at
         * translated blocks' starts). */
        if (!exact && wh_uw_object_data(pc - 1)) {
            wh_walk_end = WH_WALK_NO_CODE;
            return false;
        }
        /* Or a saved register's value (junk_return).  Not above the C
         * library's or the loader's start code, whose bottom frame's
         * return address register holds whatever it held on AArch64:
         * the stack's end. */
        if (!exact && junk_return(pc, sp) && !start_code_at(st->prev_pc)) {
            wh_walk_end = WH_WALK_NO_CODE;
            return false;
        }
        return !st->w->all || emit_foreign(st->w, exact ? pc | WH_TOKEN_EXACT : pc);
    }
    uintptr_t e;
    if (exact) {
        wh_exact_sites(&pi, pc);
        e = pc | WH_TOKEN_EXACT;
    } else {
        e = ra_frame(&pi, pc, rbp, sp);
    }
    st->emitted++;
    if (!st->w->emit(st->w->ctx, e, &pi))
        return false;
    /* Instrumented code keeps its frame pointer, once its prologue ran: a
     * call from before it (an XRay entry sled, a frameless leaf's) leaves
     * %rbp the caller's, and the unwinder steps this frame by its CFI. */
    if (!exact && plausible_fp(rbp, sp) && wh_arch_frame_set_up(pi.entry, pc)) {
        st->fp = rbp;
        st->w->resume_pc = pc;
        return false;
    }
    return true;
}

/* The .eh_frame unwinder's frames take a few KiB of stack (a CFI row and
 * the image's cached rows).  A signal handler may run on a program's own
 * alternate stack of SIGSTKSZ (8 KiB, much of it the kernel's signal frame
 * with AVX-512 state): there the walk ends short of the unwinder rather
 * than overflowing it.  Only asked in signal context (one system call). */
#define WH_FALLBACK_STACK (8u << 10)

WH_RT size_t wh_altstack_room(void) {
    stack_t ss;
    if (syscall(SYS_sigaltstack, NULL, &ss) != 0 || !(ss.ss_flags & SS_ONSTACK))
        return SIZE_MAX;
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0), lo = (uintptr_t)ss.ss_sp;
    return sp > lo ? sp - lo : 0;
}

__thread uint8_t wh_walk_end;
__thread uint8_t wh_walk_sig_skip;
__thread uint8_t wh_own_walk;

WH_RT static bool stack_short(void) {
    return wh_altstack_room() < WH_FALLBACK_STACK;
}

/* The walk ends in code without unwind tables at pc: the writer says so,
 * of the last frame shown, or of code below it not shown; and, when pc's
 * image has no .eh_frame_hdr, that this is what whence lacks: an image
 * without one has no FDE, or was linked without --eh-frame-hdr (gcc
 * -static), and its FDEs in .eh_frame are then never found. */
WH_RT static void stopped_at(const struct walker *w, uintptr_t pc, bool ra) {
    struct wh_pcinfo pi;
    bool shown = w->all || wh_find(pc, ra, &pi);
    if (wh_uw_no_index(ra ? pc - 1 : pc, w->in_signal || wh_signal_depth > 0))
        wh_walk_end = shown ? WH_WALK_NO_INDEX : WH_WALK_NO_INDEX_BELOW;
    else
        wh_walk_end = shown ? WH_WALK_NO_CFI : WH_WALK_NO_CFI_BELOW;
}

/* Returns the frame pointer the FP walk resumes from, 0 when the walk is
 * over.  at: the frame's pc (FB_SIGIP: interrupted; FB_CFA: a return
 * address), its stack pointer (for a return address: at the call) and
 * frame pointer, and for an interrupted AArch64 frame its link register. */
WH_RT void wh_uw_regs_interrupted(const struct wh_regs *at, struct wh_uw_regs *r) {
    *r = (struct wh_uw_regs){.known = 0};
    if (at->uc)
        for (unsigned i = 0; i < WH_UW_NREGS; i++)
            if (wh_arch_dwarf_reg(at->uc, i, &r->v[i]))
                r->known |= WH_UW_BIT(i);
    r->known |= WH_UW_BIT(WH_UW_RA) | WH_UW_BIT(WH_UW_SP) | WH_UW_BIT(WH_UW_FP);
    r->v[WH_UW_RA] = at->pc;
    r->v[WH_UW_SP] = at->sp;
    r->v[WH_UW_FP] = at->fp;
#ifdef WH_UW_LR
    r->v[WH_UW_LR] = at->lr; /* a leaf's return address */
    r->known |= WH_UW_BIT(WH_UW_LR);
#endif
}

WH_RT __attribute__((noinline)) static uintptr_t fallback(struct walker *w, int mode,
                                                          const struct wh_regs *at) {
    uintptr_t ip = at->pc;
    w->no_fde = false;
    /* (a walk that reports foreign frames goes on: a program's own frames
     * below an instrumented library are no stack's bottom to it) */
    if (mode == FB_CFA && !w->all && is_terminal(ip, at->sp))
        return 0;
    if ((w->in_signal || wh_signal_depth > 0) && stack_short()) {
        wh_walk_end = WH_WALK_SHORT; /* (said by the stack's writer) */
        return 0;
    }
    /* An interrupted frame starts with every register its context holds
     * (a foreign CFA may be in any of them); a return address's frame
     * knows the three the FP walk holds. */
    struct wh_uw_regs r = {.known = WH_UW_BIT(WH_UW_RA) | WH_UW_BIT(WH_UW_SP) | WH_UW_BIT(WH_UW_FP),
                           .v[WH_UW_RA] = ip, .v[WH_UW_SP] = at->sp, .v[WH_UW_FP] = at->fp};
    if (mode == FB_SIGIP)
        wh_uw_regs_interrupted(at, &r);
    struct fb_state st = {.w = w, .skip_first = mode == FB_SIGIP};
    int rc = wh_uw_walk(&r, mode == FB_SIGIP, w->in_signal || wh_signal_depth > 0, WH_MAX_WALK,
                        fb_visit, &st);
    w->no_fde = mode == FB_SIGIP && rc == WH_CFI_NOFDE && st.visited == 1;
    /* (a held frame that the stack ended at is the entry's own: start
     * code; one where the walk stopped for another reason is shown) */
    if (st.held && rc != WH_CFI_END && !emit_moved(w, st.held, st.held_slot))
        return 0;
    /* Code without unwind tables where the walk stopped, whose frame
     * record was not its caller's or that has none to follow: the stack
     * goes on, nothing says where, and the writer says so.  Not in the C
     * library's own code, whose only such frames are the starts of
     * contexts (a fiber's first frame returns into __start_context), nor
     * at a pc in no code (a smashed stack's). */
    uintptr_t last = r.v[WH_UW_RA];
    if (rc == WH_CFI_STOPPED ||
        (rc == WH_CFI_NOFDE && !w->no_fde && st.visited && wh_uw_readable(last - 1, 1) &&
         !wh_uw_in_libc(last - 1)))
        stopped_at(w, last, true);
    /* (mapped: code a JIT made, not a pc of nothing; nor the stack right
     * above the last frame, whose words before a pushed frame pointer
     * read like a call one time in a hundred) */
    else if (rc == WH_CFI_NOFDE && st.visited && last &&
             last - r.v[WH_UW_SP] >= ((uintptr_t)1 << 20) &&
             wh_uw_outside_objects(last, !(mode == FB_SIGIP && st.visited == 1)))
        wh_walk_end = WH_WALK_NO_OBJECT;
    /* A return address the unwind tables gave that is in no object and
     * no JIT's code (a stack address: a naked function's tables, which
     * LLVM gives only the CIE's rules, took the %rbp it pushed for one):
     * not the stack's end (said complete, helper-103).  The C library's
     * and the loader's start code end the stack so on AArch64 (the
     * bottom's return address register holds whatever it held). */
    else if (rc == WH_CFI_NOFDE && last && st.visited > 1 && st.prev_pc &&
             !start_code_at(st.prev_pc) &&
             wh_uw_no_code(last - 1))
        wh_walk_end = WH_WALK_NO_CODE;
    /* The tables led off the stack: the walk cannot tell a switch of
     * stacks (a coroutine library's, a new segment of code whose callers
     * are not known) from a damaged stack, and says so. */
    else if (rc == WH_CFI_FAR && st.visited)
        wh_walk_end = WH_WALK_FAR;
    /* Tables the unwinder cannot follow at the last frame (a rule it does
     * not evaluate, a CFA the stack cannot hold): the stack goes on, said
     * (an expression it did not read left OpenSSL's callbacks' stacks
     * complete at the callback, helper-138). */
    else if (rc == WH_CFI_UNSUP || rc == WH_CFI_BAD) {
        struct wh_pcinfo pi;
        wh_walk_end = w->all || wh_find(last, true, &pi) ? WH_WALK_CFI_UNREAD
                                                        : WH_WALK_CFI_UNREAD_BELOW;
    }
    /* Nothing instrumented within a few frames of the end of the stack: this
     * return address is the bottom (main's or a thread's start); skip the
     * unwinder there from now on. */
    if (mode == FB_CFA && rc == WH_CFI_END && !st.emitted && st.visited <= 4)
        add_terminal(ip, at->sp);
    return st.fp;
}

/* ---- signal frames ------------------------------------------------------------------ */

WH_RT static bool plausible_fp(uintptr_t fp, uintptr_t sp) {
    return fp && !(fp & 7) && fp >= sp && fp - sp <= WH_MAX_STRIDE;
}

/* The frame of instrumented function pi returning to ra, whose frame
 * pointer is still r->fp (its callee set up no frame), its stack pointer
 * at the call S: emitted, and the walk goes on from r->fp. */
WH_RT static bool caller_of_context(struct walker *w, const struct wh_regs *r,
                                    struct wh_pcinfo *pi, uintptr_t ra, uintptr_t S,
                                    uintptr_t *fp) {
    if (!plausible_fp(r->fp, r->sp))
        return false;
    /* fp is still the caller's frame pointer; its stack pointer at the
     * call is S (a lower bound where the architecture cannot tell). */
    if (!w->emit(w->ctx, ra_frame(pi, ra, r->fp, S), pi))
        return false;
    *fp = r->fp;
    w->resume_pc = ra;
    return true;
}

/* The call ending at ra, a return address into the instrumented function
 * p, enters the function at entry. */
WH_RT static bool call_enters(uintptr_t ra, const struct wh_pcinfo *p, uintptr_t entry) {
    uintptr_t t;
    return p->from == p->entry && ra > p->entry && ra - p->entry <= p->size &&
           wh_uw_call_target(ra, (uint32_t)(ra - p->entry), &t) > 0 && t == entry;
}

/* The frame record at fp (a plausible one) is the frame of the function
 * at entry as far as its return address can say: it follows no call of
 * another function.  A call through a register, or from code without
 * records, says nothing, which is enough unless strict. */
WH_RT static bool record_of(uintptr_t fp, uintptr_t entry, bool strict) {
    uintptr_t g = wh_strip_ra(((const uintptr_t *)fp)[1]), t;
    struct wh_pcinfo q;
    if (!wh_find(g, true, &q) || q.from != q.entry || g <= q.entry || g - q.entry > q.size)
        return !strict;
    if (wh_uw_call_target(g, (uint32_t)(g - q.entry), &t) <= 0)
        return !strict;
    return t == entry;
}

/* An interrupted instrumented function (entry, size) whose prologue is not
 * at its entry, in an image without unwind tables
 * (-fno-asynchronous-unwind-tables): a leaf without a frame record, or a
 * shrink-wrapped function, whose pc may lie before its prologue or after
 * it.  Where its caller is, only the stack can say, and it is believed
 * only when one reading of it, and only one, holds in full:
 *   - no frame record yet: the return address is the word just above what
 *     its entry's saves hold at pc (x86-64: exactly where, from pc's place
 *     in the prologue, body or an epilogue; a stale return address in the
 *     function's own locals, left by an earlier call of it from a sibling
 *     of its caller, is never read), or still in the link register
 *     (AArch64) (wh_arch_leaf_slots, wh_arch_leaf_ra); the call before it
 *     enters this very function, the caller's prologue is the usual one,
 *     the caller's frame pointer (still in its register) lies exactly the
 *     caller's fixed frame above its stack pointer at the call, and the
 *     record there returns after no call of another function (record_of;
 *     after a call whose code names the caller, where the word might be
 *     one of the function's own: x86-64's "unsure");
 *   - its record set up by a prologue later in its code: the frame pointer
 *     lies exactly that prologue's fixed frame above the stack pointer
 *     (wh_arch_inner_frame), and the call before the return address in the
 *     record enters this very function.
 * Returns WH_AT_RA (*ra, *S: the caller's stack pointer at the call, *pi:
 * the caller's), WH_AT_FRAME (the ordinary chain from the frame pointer),
 * or WH_AT_NONE. */
WH_RT static enum wh_where frameless_caller(const struct wh_regs *r, uintptr_t entry,
                                            uintptr_t size, uintptr_t *ra, uintptr_t *S,
                                            struct wh_pcinfo *pi) {
    uintptr_t off[18], below, a, c, won = 0;
    bool unsure;
    uint32_t n = wh_arch_leaf_slots(entry, size, r->pc, off, 18, &unsure), found = 0;
    struct wh_pcinfo p;
    if (r->sp & 7)
        return WH_AT_NONE;
    for (uint32_t i = 0; i < n; i++) {
        if (!wh_arch_leaf_ra(r, off[i], &a, &c) || !wh_find(a, true, &p) ||
            !call_enters(a, &p, entry) || !wh_arch_fixed_frame(p.entry, p.size, &below) ||
            r->fp != c + below || !plausible_fp(r->fp, c) || !record_of(r->fp, p.entry, unsure))
            continue;
        found++;
        won = off[i];
    }
    /* (the record read in place, as the frame-pointer walk reads one: it
     * lies in the stack just above the stack pointer) */
    bool framed = wh_arch_inner_frame(entry, size, &below) && r->fp == r->sp + below &&
                  plausible_fp(r->fp, r->sp) && (a = wh_strip_ra(((const uintptr_t *)r->fp)[1])) &&
                  wh_find(a, true, &p) && call_enters(a, &p, entry);
    if (found + framed != 1)
        return WH_AT_NONE;
    if (framed)
        return WH_AT_FRAME;
    /* (found again: a pcinfo may point into what the next lookup reuses) */
    if (!wh_arch_leaf_ra(r, won, ra, S) || !wh_find(*ra, true, pi))
        return WH_AT_NONE;
    return WH_AT_RA;
}

/* Resumes the walk at an interrupted context.  Returns true with *fp set when
 * the FP walk can go on from there, false when the walk is over. */
WH_RT static bool from_context(struct walker *w, const struct wh_regs *r, uintptr_t *fp) {
    struct wh_pcinfo pi;
    uintptr_t rip = r->pc;
    if (!wh_find(rip, false, &pi)) {
        /* Instrumented code without records (moved after the link, its
         * records lost, folded: moved.c) is a frame for every walk, an
         * unknown one: skipped as foreign, a handler's whence_caller(1)
         * named the frame above it (helper-102). */
        struct wh_slot *moved = wh_moved(rip);
        if (moved ? !emit_moved(w, rip | WH_TOKEN_EXACT, moved)
                  : w->all && !emit_foreign(w, rip | WH_TOKEN_EXACT))
            return false;
        if (!moved && !w->all)
            wh_walk_sig_skip = 1;
        /* (no unwind tables say where a trampoline's caller is: the walk
         * stopped there, the stack said complete) */
        if (on_sigreturn(rip))
            return through_sigframe(w, r->sp, fp);
        /* A call through a null or stale function pointer: the pc is no
         * code, and the call that made it is known by its operand, which
         * is that pc (arch/), or by the GOT slot of the PLT entry it
         * called, which holds that pc (a slot overwritten, or a library
         * written over in place: the report's stack was empty, with no
         * word of why); the instrumented caller's frame was left out, and
         * with it the whole stack. */
        uintptr_t ra, S, t;
        /* In a thunk past its inner call (a retpoline's: arch/): the
         * return address is above the word at the stack pointer, and its
         * unwind tables took that word for it (the walk ended there, the
         * stack said complete). */
        if (rip >= 28 && wh_uw_readable(rip - 28, 36) && wh_arch_thunk_ra(r, &ra, &S) &&
            wh_find(ra, true, &pi) && pi.from == pi.entry && ra > pi.entry &&
            ra - pi.entry <= pi.size)
            return caller_of_context(w, r, &pi, ra, S, fp);
        if (wh_uw_no_code(rip) && wh_arch_bad_call(r, &ra, &S) &&
            wh_find(ra, true, &pi) &&
            pi.from == pi.entry && ra > pi.entry && ra - pi.entry <= pi.size &&
            (wh_arch_call_reached(r, ra, (uint32_t)(ra - pi.entry), rip) ||
             (wh_uw_call_target(ra, (uint32_t)(ra - pi.entry), &t) == 1 && t == rip)))
            return caller_of_context(w, r, &pi, ra, S, fp);
        /* The same call made by code whence did not compile (qsort's with
         * a null comparator, a library's callback through a stale
         * pointer): its operand says so, and the walk goes on from its
         * return address by the unwind tables (the report's stack was
         * empty, a handler's stack the handler's alone, both said
         * complete: helper-121). */
        if (wh_uw_no_code(rip) && wh_arch_bad_call(r, &ra, &S) && ra > 8 &&
            !wh_find(ra, true, &pi) && wh_uw_readable(ra - 8, 8) && !wh_uw_no_code(ra - 1) &&
            wh_arch_call_reached(r, ra, 8, rip)) {
            struct wh_regs c = {.pc = ra, .sp = S, .fp = r->fp, .lr = 0, .uc = NULL};
            return (*fp = fallback(w, FB_CFA, &c)) != 0;
        }
        if ((*fp = fallback(w, FB_SIGIP, r)) != 0)
            return true;
        /* (a fault in code without unwind tables: never a stack's end) */
        if (w->no_fde && wh_uw_readable(rip, 1))
            stopped_at(w, rip, false);
        return false;
    }
    wh_exact_sites(&pi, rip);
    if (!w->emit(w->ctx, rip | WH_TOKEN_EXACT, &pi))
        return false;
    /* Where the caller continues: decoded from the prologue and epilogue
     * around the pc (arch/).  Split-off code (fragments.c) has no prologue
     * of its own: its CFI says whether its function's frame is set up
     * where it starts. */
    uintptr_t from = pi.entry, n = pi.size, ra = 0, S = 0;
    bool frag = false, framed = false;
    if (WH_UNLIKELY(pi.from != pi.entry)) {
        const struct wh_accel *ax = atomic_load_explicit(&pi.slot->ax, memory_order_acquire);
        const struct wh_frag *g = ax ? wh_img_frag(ax, pi.from) : NULL;
        frag = true;
        framed = g && (g->size & WH_FRAG_FRAMED);
        from = g ? g->start : pi.from;
        n = g ? WH_FRAG_SIZE(g) : 0;
    }
    /* On a tail call's jump the frame is gone already; a jump into code
     * split off this same function (fragments.c) is no tail call. */
    uintptr_t tt = frag ? 0 : wh_arch_tail_jump(pi.entry, pi.size, rip);
    struct wh_pcinfo tpi;
    bool tail = tt && !(tt != 1 && wh_find(tt, false, &tpi) && tpi.entry == pi.entry);
    switch (wh_arch_where(pi.entry, pi.size, from, n, frag, framed, tail, r, &ra, &S)) {
    case WH_AT_FRAME:
        if (!plausible_fp(r->fp, r->sp))
            return false;
        *fp = r->fp;     /* the frame is set up: the ordinary chain */
        w->resume_pc = rip;
        return true;
    case WH_AT_CFI:
        /* A leaf without a frame, a prologue not decoded: where its return
         * address is, the CFI knows; without any, frameless_caller may. */
        if ((*fp = fallback(w, FB_SIGIP, r)) != 0)
            return true;
        if (!w->no_fde)
            return false;
        switch (frameless_caller(r, pi.entry, pi.size, &ra, &S, &pi)) {
        case WH_AT_RA:
            return caller_of_context(w, r, &pi, ra, S, fp);
        case WH_AT_FRAME:
            *fp = r->fp;
            w->resume_pc = rip;
            return true;
        default:
            stopped_at(w, rip, false);
            return false;
        }
    case WH_AT_NONE:
        return false;
    case WH_AT_RA:
        break;
    }
    if (!wh_find(ra, true, &pi)) {
        /* Foreign code: the unwinder goes on from the frame that returns to
         * ra (its stack pointer at the call is S, where that is exact) or
         * from the interrupted one. */
        if (!ra)
            return false;
        if (WH_ARCH_RA_CFA_EXACT) {
            struct wh_regs at = {.pc = ra, .fp = r->fp, .sp = S};
            return (*fp = fallback(w, FB_CFA, &at)) != 0;
        }
        return (*fp = fallback(w, FB_SIGIP, r)) != 0;
    }
    return caller_of_context(w, r, &pi, ra, S, fp);
}

/* ---- the return-address cache ---------------------------------------------------
 * Most captures walk the same few return addresses again and again.  A
 * direct-mapped table remembers "ra is inside an instrumented function and
 * has d logical frames" as ONE word, ra | d << 56 (0 = empty), so a reader
 * can never see one entry's key with another's answer.  It only ever holds
 * positives; unregistering an image clears it (wh_forget_all). */
#define WH_RA_BITS 10
static _Atomic uintptr_t wh_ra_cache[1u << WH_RA_BITS];

static inline _Atomic uintptr_t *ra_slot(uintptr_t ra) {
    return &wh_ra_cache[(ra * 0x9e3779b97f4a7c15ull) >> (64 - WH_RA_BITS)];
}

/* Logical depth at ra if remembered, else 0. */
static inline uint32_t ra_known(uintptr_t ra) {
    uintptr_t e = atomic_load_explicit(ra_slot(ra), memory_order_relaxed);
    return wh_token_pc(e) == ra ? wh_token_skip(e) : 0;
}

static inline void ra_remember(uintptr_t ra, uint32_t depth) {
    if (depth == 0 || depth > WH_TOKEN_MAX || ra != wh_token_pc(ra))
        return;
    uintptr_t e = ra | (uintptr_t)depth << WH_TOKEN_SHIFT;
    _Atomic uintptr_t *p = ra_slot(ra);
    if (atomic_load_explicit(p, memory_order_relaxed) != e)
        atomic_store_explicit(p, e, memory_order_relaxed);
}

WH_RT void wh_forget_all(void) {
    wh_fc_forget_all();
    wh_spans_forget();
    for (uint32_t i = 0; i < (1u << WH_RA_BITS); i++)
        atomic_store_explicit(&wh_ra_cache[i], 0, memory_order_relaxed);
}

/* ---- the walk ---------------------------------------------------------------------- */

/* Everything but an instrumented return address: a signal frame (continue
 * from its context) or foreign code (CFI fallback).  pc: a pc inside the
 * function whose frame record is at fp (0 if not known).  Returns the next
 * fp, or 0 when the walk is over. */
WH_RT __attribute__((noinline)) static uintptr_t walk_other(struct walker *w, uintptr_t fp,
                                                            uintptr_t ra, uintptr_t pc) {
    /* Nothing registered (yet): there is nothing to find beyond, and before
     * the constructors ran the unwinder may not even be usable. */
    if (!ra || !atomic_load_explicit(&wh_nslots, memory_order_acquire))
        return 0;
    if (at_sigreturn(ra)) {
        /* The handler's frame sits on the kernel's signal frame, whose
         * ucontext holds the interrupted registers (arch/).  The interrupted
         * stack may lie below (sigaltstack), so monotonicity restarts here;
         * the number of such crossings is bounded. */
        if (++w->steps > 64)
            return 0;
        struct wh_regs r;
        if (!wh_arch_sigframe(fp, &r))
            return 0;
        w->in_signal = true;
        uintptr_t next;
        if (!from_context(w, &r, &next))
            return 0;
        return next;
    }
    /* The foreign caller's stack pointer at the call is the CFA of the
     * frame at fp: exact on x86-64, decoded from the function's prologue on
     * AArch64 (else fp + 16, a lower bound). */
    struct wh_regs at = {.pc = ra, .fp = ((const uintptr_t *)fp)[0], .sp = fp + 16};
    struct wh_pcinfo pi;
    if (pc && wh_find(pc, true, &pi) && pi.from == pi.entry)
        wh_arch_frame_cfa(pi.entry, pi.size, fp, &at.sp);
    return fallback(w, FB_CFA, &at);
}

/* The sink gets pi->fn == NULL (only pi->depth set) for a remembered return
 * address; wh_resolve fills the rest when a sink needs it.  emit is passed
 * apart from w so that, inlined with a constant, it is a direct call. */
WH_RT static inline __attribute__((always_inline)) void walk(struct walker *w, wh_emit_fn emit,
                                                            void *ctx, uintptr_t fp,
                                                            uintptr_t pc) {
    struct wh_pcinfo pi;
    for (;;) {
        if (WH_UNLIKELY(!fp || (fp & 7)))
            return;
        uintptr_t ra = wh_strip_ra(((const uintptr_t *)fp)[1]);
        uintptr_t next = ((const uintptr_t *)fp)[0];
        if (WH_UNLIKELY(next >> 57)) /* (a tag: a Swift async frame's) */
            next = wh_fp_untag(next);
        uintptr_t e = ra;
        uint32_t d = ra_known(ra);
        if (WH_LIKELY(d != 0 && ra != 0)) {
            pi.fn = NULL;
            pi.depth = d;
        } else if (ra && wh_find(ra, true, &pi)) {
            if (slot_module(&pi)) {
                /* Never remembered: the line is the slot's, not ra's. */
                e = ra_frame(&pi, ra, next, fp + 16);
            } else {
                wh_pcinfo_sites(&pi, ra, false);
                ra_remember(ra, pi.depth);
            }
        } else {
            w->resume_pc = 0;
            fp = walk_other(w, fp, ra, pc);
            pc = w->resume_pc;
            continue;
        }
        if (!emit(ctx, e, &pi))
            return;
        if (WH_UNLIKELY(next - fp - 1 >= WH_MAX_STRIDE))
            return;
        fp = next;
        pc = ra;
    }
}

WH_RT void wh_walk_fp(uintptr_t fp, wh_emit_fn emit, void *ctx) {
    struct walker w = {.emit = emit, .ctx = ctx};
    walk(&w, emit, ctx, fp, 0);
}

/* The same from a frame whose function holds pc (a return address the
 * caller's fast path took). */
WH_RT static void walk_fp_from(uintptr_t fp, uintptr_t pc, wh_emit_fn emit, void *ctx) {
    struct walker w = {.emit = emit, .ctx = ctx};
    walk(&w, emit, ctx, fp, pc);
}

WH_RT void wh_walk_context(const struct wh_regs *r, wh_emit_fn emit, void *ctx) {
    /* Called from a handler of our own; the interrupted frames are above
     * the stack pointer. */
    struct walker w = {.emit = emit, .ctx = ctx, .in_signal = true};
    uintptr_t fp;
    wh_own_walk++;
    if (from_context(&w, r, &fp))
        walk(&w, emit, ctx, fp, w.resume_pc);
    wh_own_walk--;
}

WH_RT void wh_walk_context_all(const struct wh_regs *r, wh_emit_fn emit, void *ctx) {
    struct walker w = {.emit = emit, .ctx = ctx, .in_signal = true, .all = true};
    uintptr_t fp;
    wh_own_walk++;
    if (from_context(&w, r, &fp))
        walk(&w, emit, ctx, fp, w.resume_pc);
    wh_own_walk--;
}

/* ---- whence_callers ------------------------------------------------------------------- */

struct callers_ctx {
    uint32_t skip;
    int n, max;
    uintptr_t *pcs;
};

WH_RT static bool callers_emit(void *vc, uintptr_t pc, struct wh_pcinfo *pi) {
    struct callers_ctx *c = vc;
    if (WH_UNLIKELY(wh_pi_moved(pi))) {
        /* Code moved after the link: its frame is an entry named
         * "unknown", and frames still to skip cannot be counted past it. */
        if (c->skip) {
            wh_walk_end = WH_WALK_MOVED;
            return false;
        }
        c->pcs[c->n++] = pc;
        return c->n < c->max;
    }
    if (c->skip) {
        uint32_t d = pi->depth;
        if (c->skip >= d) {
            c->skip -= d;
            return true;
        }
        c->pcs[c->n++] = wh_token_make(pc, c->skip);
        c->skip = 0;
    } else {
        c->pcs[c->n++] = pc;
    }
    return c->n < c->max;
}

/* The general walk from frame fp on, where the fast path stopped: n
 * entries written, sk logical frames still to skip, prev a return address
 * in fp's function (0 if not known). */
WH_RT __attribute__((noinline)) static int callers_general(uintptr_t fp, uint32_t sk,
                                                           uintptr_t *pcs, int n, int max,
                                                           uintptr_t prev) {
    struct callers_ctx c = {.skip = sk, .n = n, .max = max, .pcs = pcs};
    /* (no image yet: maybe no TLS yet either, early-start.c) */
    if (WH_UNLIKELY(atomic_load_explicit(&wh_nslots, memory_order_relaxed) == 0)) {
        walk_fp_from(fp, n > 0 ? wh_token_pc(pcs[n - 1]) : prev, callers_emit, &c);
        return c.n;
    }
    uint8_t end = wh_walk_end; /* (a stack's writer's, maybe interrupted) */
    wh_walk_end = WH_WALK_DONE;
    walk_fp_from(fp, n > 0 ? wh_token_pc(pcs[n - 1]) : prev, callers_emit, &c);
    wh_callers_end = wh_walk_end;
    wh_walk_end = end;
    return c.n;
}

/* x has bits no frame pointer has (WH_FP_BAD_BITS: misaligned, or a tag
 * such as a Swift async frame's).  The mask is held in a register by the
 * loop below: one test per frame. */
static inline bool bad_fp_bits(uintptr_t x, uintptr_t mask) {
    return (x & mask) != 0;
}

/* A code span as whence_callers' loop holds it: ra - 1 is in it iff
 * ra + nbase < size. */
struct span_regs {
    uintptr_t nbase, size;
};

#if defined(__clang__)
/* Saves every register it uses: the loop that calls it keeps its state in
 * the registers a call would otherwise clobber, and saves none itself. */
#define WH_PRESERVE_MOST __attribute__((preserve_most))
#else
#define WH_PRESERVE_MOST
#endif

/* span_refresh's rare half, apart so that the common half saves only the
 * few registers it uses. */
WH_RT __attribute__((noinline)) WH_PRESERVE_MOST static struct span_regs
span_learn(uintptr_t ra) {
    uintptr_t base, size;
    if (wh_span_learn(ra)) {
        wh_span_of(ra, &base, &size);
        if (ra - base < size)
            return (struct span_regs){-base, size};
    }
    return (struct span_regs){-ra, 1};
}

/* The span for ra when the one in registers does not hold it: the table's
 * (spans.h); else, for a return address remembered in the cache (seen by
 * an earlier walk: a first capture learns nothing), the span learned
 * around it, or a span of ra alone (a recursion then stays in it); else an
 * empty one. */
WH_RT __attribute__((noinline)) WH_PRESERVE_MOST static struct span_regs
span_refresh(uintptr_t ra) {
    uintptr_t base, size;
    wh_span_of(ra, &base, &size);
    if (ra - base < size)
        return (struct span_regs){-base, size};
    /* Remembered iff the entry is ra | depth << 56 with depth 1..127
     * (ra_remember): then e ^ ra rotated left by 8 is depth, and anything
     * else (another ra, an empty entry, a stray high bit) makes it 0 or
     * larger than 127. */
    uintptr_t x = atomic_load_explicit(ra_slot(ra), memory_order_relaxed) ^ ra;
    if (((x << 8) | (x >> 56)) - 1 >= WH_TOKEN_MAX)
        return (struct span_regs){0, 0};
    return span_learn(ra);
}

/* The frame after fp's whose record holds saved frame pointer next: next,
 * untagged (wh_fp_untag), when it lies above fp within a frame's stride;
 * else 0, the walk is over. */
static inline uintptr_t next_frame(uintptr_t fp, uintptr_t next) {
    if (WH_LIKELY(next - fp - 1 < WH_MAX_STRIDE && !(next & 7)))
        return next;
    next = wh_fp_untag(next);
    return next - fp - 1 < WH_MAX_STRIDE ? next : 0;
}

/* whence_callers' fast path at frame fp, whose record holds a saved frame
 * pointer next with bits no frame pointer has: a Swift async frame's tag
 * (then the general walk goes on from its caller's frame), or junk. */
WH_RT __attribute__((noinline)) static int callers_tagged(uintptr_t fp, uintptr_t next,
                                                          uintptr_t *pcs, int n, int max) {
    next = next_frame(fp, next);
    return next ? callers_general(next, 0, pcs, n, max, 0) : n;
}

/* The frames to keep, from fp on, into pcs[n..max).  A return address in
 * the code span held in registers costs an addition and a compare; any
 * other, a call that saves what it uses (span_refresh); one in no known
 * span ends the fast path. */
static inline __attribute__((always_inline)) int callers_keep(uintptr_t fp, uintptr_t *pcs,
                                                              int n, int max) {
    /* The first return address's span, read here: most walks never
     * leave it. */
    uintptr_t base0, size0;
    wh_span_of(wh_strip_ra(((const uintptr_t *)fp)[1]), &base0, &size0);
    struct span_regs sp = {-base0, size0};
    uintptr_t *const end = pcs + max;
    uintptr_t mask = WH_FP_BAD_BITS;
    intptr_t i = (intptr_t)n - max; /* < 0: end[i] is the next entry */
    for (;;) {
        uintptr_t ra = wh_strip_ra(((const uintptr_t *)fp)[1]);
        if (WH_UNLIKELY(ra + sp.nbase >= sp.size)) {
            sp = span_refresh(ra);
            if (ra + sp.nbase >= sp.size)
                return callers_general(fp, 0, pcs, (int)(i + max), max, 0);
        }
        end[i] = ra;
        /* (Opaque to the optimiser, which would otherwise count up to max
         * with one more compare per frame.) */
        __asm__("" : "+r"(i));
        if (WH_UNLIKELY(++i == 0))
            return max;
        /* The next frame: above this one, an address (bad_fp_bits).  (The
         * frame of a return address in instrumented code keeps a frame
         * record, so this guards against a stack the program overwrote,
         * and a saved frame pointer with a tag.) */
        uintptr_t next = ((const uintptr_t *)fp)[0];
        if (WH_UNLIKELY(next <= fp))
            return (int)(i + max);
        if (__builtin_expect(bad_fp_bits(next, mask), 0))
            return callers_tagged(fp, next, pcs, (int)(i + max), max);
        fp = next;
    }
}

/* whence_callers with frames to skip: remembered return addresses only
 * (ra_known, which knows their logical frames), then the frames to keep
 * as without a skip. */
WH_RT __attribute__((noinline)) static int callers_skip(uintptr_t fp, uint32_t sk,
                                                        uintptr_t *pcs, int max) {
    int n = 0;
    uintptr_t prev = 0; /* the last return address skipped */
    for (;;) {
        uintptr_t ra = wh_strip_ra(((const uintptr_t *)fp)[1]);
        uint32_t d = ra_known(ra);
        if (WH_UNLIKELY(d == 0))
            return callers_general(fp, sk, pcs, n, max, prev);
        if (sk < d) {
            pcs[n++] = wh_token_make(ra, sk);
            if (n >= max)
                return n;
        } else {
            sk -= d;
        }
        uintptr_t next = next_frame(fp, ((const uintptr_t *)fp)[0]);
        if (WH_UNLIKELY(!next))
            return n;
        fp = next;
        prev = ra;
        if (n > 0) /* the skip ended inside ra's frame */
            return callers_keep(fp, pcs, n, max);
        if (sk == 0)
            return callers_keep(fp, pcs, 0, max);
    }
}

/* Both captures start with the same fast path: follow the chain while every
 * return address is known to be in instrumented code (a few instructions
 * per frame), and hand over to the general walk at the first one that is
 * not. */
__thread uint8_t wh_callers_end;

WH_EXPORT WH_RT WH_CAPTURE int whence_callers(int skip, uintptr_t *pcs, int max) {
    /* (only the general walk can end before the stack does; before any
     * image registered, the thread may have no TLS yet, and no walk can
     * have said anything) */
    if (WH_LIKELY(atomic_load_explicit(&wh_nslots, memory_order_relaxed) != 0))
        wh_callers_end = WH_WALK_DONE;
    if (max <= 0 || !pcs || skip < 0)
        return 0;
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
    if (WH_UNLIKELY(skip != 0))
        return callers_skip(fp, (uint32_t)skip, pcs, max);
    return callers_keep(fp, pcs, 0, max);
}

/* ---- whence_caller --------------------------------------------------------------------- */

/* A frame the resolved-frame cache may hold under its entry's key: not a
 * return address in a module with frame slots (named by its slot, as a
 * LOC token, whenever the slot is found; by its call label never). */
WH_RT static inline bool fc_cacheable(const struct wh_pcinfo *pi, uintptr_t e) {
    return (e & (WH_TOKEN_LOC | WH_TOKEN_EXACT)) || !slot_module(pi);
}

struct caller_ctx {
    uint32_t skip;
    bool found;
    whence_frame *out;
};

WH_RT static bool caller_emit(void *vc, uintptr_t pc, struct wh_pcinfo *pi) {
    struct caller_ctx *c = vc;
    /* Code moved after the link: the frame asked for is it, or lies past
     * frames that cannot be counted: unknown. */
    if (WH_UNLIKELY(wh_pi_moved(pi)))
        return false;
    if (c->skip >= pi->depth) {
        c->skip -= pi->depth;
        return true;
    }
    uintptr_t key = c->skip <= WH_TOKEN_MAX ? wh_fc_key(pc, c->skip) : 0;
    if (key && wh_fc_read(key, 0, c->out, NULL)) {
        c->found = true;
        return false;
    }
    uint64_t salt = wh_fc_now();
    if (!wh_resolve(pi, pc))
        return true;
    if ((pc & WH_TOKEN_EXACT) && c->skip == 0 && wh_exact_api_frame(pi, pc, c->out)) {
        c->found = true; /* an interrupted pc: its own line (lines/exact.c) */
        return false;
    }
    wh_fill_frame(pi, c->skip, pc, c->out);
    if (key && fc_cacheable(pi, pc))
        wh_fc_put(key, c->out, 0, salt);
    c->found = true;
    return false;
}

/* Logical frame sk of the remembered return address ra, resolved (the
 * cache missed) and remembered under key: false if ra was forgotten. */
WH_RT __attribute__((noinline)) static bool caller_resolve(uintptr_t key, uintptr_t ra,
                                                          uint32_t sk, whence_frame *out) {
    uint64_t salt = wh_fc_now();
    struct wh_pcinfo pi;
    pi.fn = NULL;
    if (!wh_resolve(&pi, ra) || sk >= pi.depth)
        return false;
    wh_fill_frame(&pi, sk, ra, out);
    wh_fc_put(key, out, 0, salt);
    return true;
}

/* Follows the frame chain from *fp over remembered return addresses (each
 * worth its logical frames) until logical frame *sk lies in one: true, with
 * *ra that return address, *fp its frame, *sk the logical frame within it
 * and *hops the frame records stepped over.  False at a return address not
 * remembered (*fp is its frame) or a broken chain (*fp = 0). */
static inline __attribute__((always_inline)) bool caller_find(uintptr_t *fp, uint32_t *sk,
                                                              uintptr_t *ra, uintptr_t *prev,
                                                              uint32_t *hops) {
    uint32_t h = 0;
    for (uintptr_t f = *fp;; h++) {
        uintptr_t r = wh_strip_ra(((const uintptr_t *)f)[1]);
        uint32_t d = ra_known(r);
        if (WH_UNLIKELY(d == 0)) {
            *fp = f;
            return false;
        }
        if (*sk < d) {
            *fp = f;
            *ra = r;
            *hops = h;
            return true;
        }
        *sk -= d;
        uintptr_t next = next_frame(f, ((const uintptr_t *)f)[0]);
        if (WH_UNLIKELY(!next)) {
            *fp = 0;
            return false;
        }
        f = next;
        *prev = r;
    }
}

/* whence_caller when its fast path missed; fp is whence_caller's frame (0
 * for a negative skip).  A frame at most one record above the caller's
 * own is remembered under whence_caller's key as well (WH_FC_HOP), so
 * that the next call finds it with one probe. */
WH_RT __attribute__((noinline)) static bool caller_slow(int skip, whence_frame *out, uintptr_t fp) {
    whence_frame tmp;
    if (!out)
        out = &tmp;
    uint64_t salt = wh_fc_now();
    uint32_t sk = (uint32_t)skip, hops;
    uintptr_t ra, prev = 0;
    uintptr_t ra0 = fp ? wh_strip_ra(((const uintptr_t *)fp)[1]) : 0;
    if (fp && caller_find(&fp, &sk, &ra, &prev, &hops)) {
        /* The frame named before, else resolved and remembered. */
        uintptr_t key = wh_fc_key(ra, sk);
        if (key && (wh_fc_read(key, 0, out, NULL) || caller_resolve(key, ra, sk, out))) {
            if (hops == 1 && (uint32_t)skip <= WH_TOKEN_MAX)
                wh_fc_put(wh_fc_caller_key(ra0, (uint32_t)skip), out, WH_FC_HOP, salt);
            return true;
        }
        /* forgotten meanwhile: the general walk decides, from ra's frame */
    }
    /* (false: whence_callers_end says why, as after whence_callers; before
     * any image registered the thread may have no TLS yet: early-start.c) */
    bool tls = atomic_load_explicit(&wh_nslots, memory_order_relaxed) != 0;
    uint8_t end = WH_WALK_DONE;
    if (fp) {
        struct caller_ctx c = {.skip = sk, .found = false, .out = out};
        uint8_t outer = tls ? wh_walk_end : WH_WALK_DONE; /* (a stack's writer's) */
        if (tls)
            wh_walk_end = WH_WALK_DONE;
        walk_fp_from(fp, prev, caller_emit, &c);
        if (tls) {
            end = wh_walk_end;
            wh_walk_end = outer;
        }
        if (c.found)
            return true;
    }
    if (tls)
        wh_callers_end = end;
    wh_unknown_frame(out, 0);
    return false;
}

/* The fast path is one probe of the resolved-frame cache by the return
 * address into the caller and the skip, and a copy; it holds nothing
 * across a call, so it saves no registers. */
WH_EXPORT WH_RT WH_CAPTURE bool whence_caller(int skip, whence_frame *out) {
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
    if (WH_LIKELY((uint32_t)skip <= WH_TOKEN_MAX && out != NULL)) {
        uintptr_t ra = wh_strip_ra(((const uintptr_t *)fp)[1]);
        if (WH_LIKELY(wh_fc_read(wh_fc_caller_key(ra, (uint32_t)skip), fp, out, NULL)))
            return true;
    }
    return caller_slow(skip, out, skip >= 0 ? fp : 0);
}
