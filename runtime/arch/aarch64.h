/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * arch/aarch64.h - the AArch64 side of arch.h (Linux, little-endian LP64).
 *
 * Frame records are {x29, x30} pairs.  clang puts the record at the bottom
 * of the callee-saved area and the locals below it:
 *
 *     stp x29, x30, [sp, #-N]!   or   sub sp, sp, #N
 *     stp x19, x20, [sp, #16]         stp x29, x30, [sp, #off]
 *     mov x29, sp                     add x29, sp, #off
 *
 * so a callee's frame pointer + 16 is a lower bound of its CFA (the
 * caller's stack pointer at the call), exact only without callee-saved
 * registers; the caller's locals (its frame slot) lie between that CFA and
 * the caller's own frame pointer.
 *
 * Return addresses in frame records and in the link register carry a
 * pointer authentication code under -mbranch-protection=standard/pac-ret
 * (paciasp at the entry signs x30 before it is saved).  wh_strip_ra removes
 * it with XPACLRI, which is in the hint space: a NOP on cores without
 * FEAT_PAuth, where nothing is signed either.  Masking the bits by hand
 * would need the kernel's VA size (39, 42, 47, 48 or 52 bits) and whether
 * top-byte-ignore covers instruction addresses; XPACLRI is what the core
 * itself strips, on any configuration, under qemu too.
 *
 * Between the prologue's first instruction and the one that sets x29, and
 * again from the epilogue's `ldp x29, x30` to its `ret` (or tail call), the
 * return address is in x30 and x29 is the caller's: wh_arch_where decodes
 * those states from the function's code; a leaf without a frame record and
 * any prologue it does not recognise (shrink-wrapped ones) are left to the
 * CFI.
 *
 * Signals: the kernel (and qemu-user) returns from a handler through
 * `mov x8, #139; svc #0` (rt_sigreturn; in the vDSO, or qemu's trampoline
 * page) and calls the handler with x29 pointing at a frame record {x29,
 * x30} it wrote right after the rt_sigframe {siginfo, ucontext}.  Extra
 * register state (SVE, SME) may sit between the two, so the ucontext is
 * looked for below the record, 16 bytes at a time, and accepted when its
 * x29 and x30 are the record's and its first register record is the
 * FP/SIMD one.
 */
#ifndef WHENCE_RUNTIME_ARCH_AARCH64_H
#define WHENCE_RUNTIME_ARCH_AARCH64_H

#include <signal.h>
#include <string.h>
#include <ucontext.h>

#define WH_DWARF_FP 29 /* x29 */

/* XPACLRI (hint #7) works on x30 only. */
static inline __attribute__((always_inline)) uintptr_t wh_strip_ra(uintptr_t ra) {
    register uintptr_t lr __asm__("x30") = ra;
    __asm__("hint #7" : "+r"(lr));
    return lr;
}

static inline void wh_regs_of(const void *ucv, struct wh_regs *r) {
    const ucontext_t *uc = ucv;
    r->pc = (uintptr_t)uc->uc_mcontext.pc;
    r->fp = (uintptr_t)uc->uc_mcontext.regs[29];
    r->sp = (uintptr_t)uc->uc_mcontext.sp;
    r->lr = wh_strip_ra((uintptr_t)uc->uc_mcontext.regs[30]);
    r->uc = ucv;
}

/* DWARF register i (x0..x30, 31 sp, 32 the pc: runtime/unwind/arch.h) of
 * an interrupted context: false for a number it does not hold. */
static inline bool wh_arch_dwarf_reg(const void *ucv, unsigned i, uintptr_t *v) {
    const ucontext_t *uc = ucv;
    if (i < 31)
        *v = (uintptr_t)uc->uc_mcontext.regs[i];
    else if (i == 31)
        *v = (uintptr_t)uc->uc_mcontext.sp;
    else if (i == 32)
        *v = (uintptr_t)uc->uc_mcontext.pc;
    else
        return false;
    return true;
}

static inline uint32_t wh_a64_insn(uintptr_t a) {
    uint32_t w;
    memcpy(&w, (const void *)a, 4);
    return w;
}

/* brk traps with the pc at the instruction itself. */
static inline uintptr_t wh_arch_trap_pc(uintptr_t pc) { return pc; }

#define WH_ARCH_SIGRETURN_LEN 8 /* bytes wh_arch_is_sigreturn reads */
#define WH_ARCH_SIGRETURN_SYSCALL 4 /* the svc's offset in it */
static inline bool wh_arch_is_sigreturn(uintptr_t ra) {
    if (ra & 3)
        return false;
    /* mov x8, #139 (rt_sigreturn); svc #0.  The second word is read only
     * after the first matched: an instruction that continues. */
    return wh_a64_insn(ra) == 0xd2801168u && wh_a64_insn(ra + 4) == 0xd4000001u;
}

#define WH_A64_FPSIMD_MAGIC 0x46508001u
#define WH_A64_SIGFRAME_EXTRA (64u << 10) /* extra register state searched at most */

static inline bool wh_arch_sigframe(uintptr_t fp, struct wh_regs *r) {
    uintptr_t rec = ((const uintptr_t *)fp)[0];
    if ((rec & 15) || rec <= fp + 16 || (rec >> 57)) /* (a tag: no address) */
        return false;
    uintptr_t rfp = ((const uintptr_t *)rec)[0], rlr = ((const uintptr_t *)rec)[1];
    uintptr_t frame = (sizeof(siginfo_t) + sizeof(ucontext_t) + 15) & ~(uintptr_t)15;
    if (rec - fp - 16 < frame)
        return false;
    /* Between the handler's frame and the record: stack the walk proved. */
    for (uintptr_t u = rec - frame + sizeof(siginfo_t);
         u >= fp + 16 + sizeof(siginfo_t) && rec - u <= WH_A64_SIGFRAME_EXTRA + frame; u -= 16) {
        const ucontext_t *uc = (const ucontext_t *)u;
        uint32_t magic;
        memcpy(&magic, uc->uc_mcontext.__reserved, 4);
        if (uc->uc_mcontext.regs[29] == rfp && uc->uc_mcontext.regs[30] == rlr &&
            magic == WH_A64_FPSIMD_MAGIC) {
            wh_regs_of(uc, r);
            return true;
        }
    }
    return false;
}

/* The signal frame as the unwinder meets it: the kernel (and qemu) enter
 * the handler with sp at the rt_sigframe, so the handler's CFA is the
 * siginfo, followed by the ucontext (checked by its FP/SIMD record). */
static inline bool wh_arch_sigframe_at(uintptr_t sp, struct wh_regs *r) {
    if (sp & 15)
        return false;
    const ucontext_t *uc = (const ucontext_t *)(sp + sizeof(siginfo_t));
    uint32_t magic;
    memcpy(&magic, uc->uc_mcontext.__reserved, 4);
    if (magic != WH_A64_FPSIMD_MAGIC)
        return false;
    wh_regs_of(uc, r);
    return true;
}

/* ---- instruction classes ---- */
static inline bool wh_a64_hint(uint32_t w) { return (w & 0xfffff01fu) == 0xd503201fu; }
static inline unsigned wh_a64_rn(uint32_t w) { return (w >> 5) & 31; }
/* stp/str of x or d registers with base sp, sub sp, sp, #imm */
static inline bool wh_a64_prologue_op(uint32_t w) {
    uint32_t op = w & 0xffc00000u;
    if ((op == 0xa9000000u || op == 0xa9800000u || op == 0x6d000000u || op == 0x6d800000u ||
         op == 0xf9000000u || op == 0xfd000000u || (w & 0xffe00c00u) == 0xf8000c00u) &&
        wh_a64_rn(w) == 31)
        return true;
    return (w & 0xff8003ffu) == 0xd10003ffu;
}
/* add x29, sp, #imm (mov x29, sp) */
static inline bool wh_a64_sets_fp(uint32_t w) { return (w & 0xff8003ffu) == 0x910003fdu; }
/* ldp/ldr of x or d registers with base sp; add sp, sp/x29, #imm; sub sp,
 * x29, #imm; autiasp and other hints */
static inline bool wh_a64_epilogue_op(uint32_t w) {
    uint32_t op = w & 0xffc00000u;
    if ((op == 0xa9400000u || op == 0xa8c00000u || op == 0xa9c00000u || op == 0x6d400000u ||
         op == 0x6cc00000u || op == 0x6dc00000u || op == 0xf9400000u || op == 0xfd400000u ||
         (w & 0xffe00c00u) == 0xf8400400u) &&
        wh_a64_rn(w) == 31)
        return true;
    return (w & 0xff8003ffu) == 0x910003ffu || (w & 0xff8003ffu) == 0x910003bfu ||
           (w & 0xff8003ffu) == 0xd10003bfu || wh_a64_hint(w);
}
/* A register cleared, as -fzero-call-used-regs does between the epilogue
 * and its ret (and code generation may, for a return value of 0): mov
 * xN/wN, #0; movi vN.2d/dN, #0; SVE's mov zN.d, #0 and pfalse pN.b. */
static inline bool wh_a64_clears(uint32_t w) {
    return (w & 0x7fffffe0u) == 0x52800000u || (w & 0xffffffe0u) == 0x6f00e400u ||
           (w & 0xffffffe0u) == 0x2f00e400u || (w & 0xffffffe0u) == 0x25f8c000u ||
           (w & 0xfffffff0u) == 0x2518e400u;
}
/* ldp x29, x30, [sp...] in any addressing mode */
static inline bool wh_a64_restores_fp_lr(uint32_t w) {
    uint32_t op = w & 0xffc00000u;
    return (op == 0xa9400000u || op == 0xa8c00000u || op == 0xa9c00000u) && wh_a64_rn(w) == 31 &&
           (w & 31) == 29 && ((w >> 10) & 31) == 30;
}

/* Whether t is inside the code [a, a + n). */
static inline bool wh_a64_in(uintptr_t t, uintptr_t a, uintptr_t n) { return t - a < n; }

/* The frame-record restore lies right before pc (only epilogue code in
 * between, none of it before `from`) and only epilogue code follows, inside
 * the code [from, from + n), up to a return or a jump out of the function
 * [entry, entry + size) (a tail call): x29 and x30 are the caller's again. */
static inline bool wh_a64_restored(uintptr_t entry, uintptr_t size, uintptr_t from, uintptr_t n,
                                   uintptr_t pc) {
    bool back = false;
    /* (the registers cleared, up to 64 of them, may lie in between) */
    for (uintptr_t a = pc; a >= from + 4 && pc - a < 288;) {
        a -= 4;
        uint32_t w = wh_a64_insn(a);
        if (wh_a64_restores_fp_lr(w)) {
            back = true;
            break;
        }
        if (!wh_a64_epilogue_op(w) && !wh_a64_clears(w))
            break;
    }
    if (!back)
        return false;
    for (uintptr_t a = pc; wh_a64_in(a, from, n) && a - pc < 288; a += 4) {
        uint32_t w = wh_a64_insn(a);
        if ((w & 0xfffffc1fu) == 0xd65f0000u || w == 0xd65f0bffu || w == 0xd65f0fffu)
            return true; /* ret, retaa, retab */
        if ((w & 0xfffffc1fu) == 0xd61f0000u || (w & 0xfefff800u) == 0xd61f0800u)
            return true; /* br, braa(z), brab(z): a tail call */
        if ((w & 0xfc000000u) == 0x14000000u) { /* b: out of the function? */
            int32_t imm = (int32_t)(w << 6) >> 6;
            uintptr_t t = a + (uintptr_t)(intptr_t)imm * 4;
            return !wh_a64_in(t, entry, size) && !wh_a64_in(t, from, n);
        }
        if (!wh_a64_epilogue_op(w) && !wh_a64_clears(w))
            return false;
    }
    return false;
}

static inline bool wh_a64_stores_fp_lr(uint32_t w) {
    uint32_t op = w & 0xffc00000u;
    return (op == 0xa9000000u || op == 0xa9800000u) && wh_a64_rn(w) == 31 && (w & 31) == 29 &&
           ((w >> 10) & 31) == 30;
}

/* The CFA of a frame whose record is at fp, from its function's prologue
 * [entry, entry + size): the stack it allocated before `add x29, sp, #k`
 * (pre-indexed stores, sub sp) less k.  False for a prologue not known
 * (then fp + 16 is only a lower bound). */
static inline bool wh_arch_frame_cfa(uintptr_t entry, uintptr_t size, uintptr_t fp,
                                     uintptr_t *cfa) {
    uintptr_t down = 0;
    bool stored = false;
    for (int i = 0; i < 16 && (uintptr_t)i * 4 + 4 <= size; i++) {
        uint32_t w = wh_a64_insn(entry + (uintptr_t)i * 4);
        if (wh_a64_sets_fp(w) && stored) {
            uintptr_t k = ((w >> 10) & 0xfffu) << ((w >> 22) & 1 ? 12 : 0);
            if (down < k + 16)
                return false;
            *cfa = fp - k + down;
            return true;
        }
        if (wh_a64_hint(w))
            continue;
        if (!wh_a64_prologue_op(w))
            return false;
        stored |= wh_a64_stores_fp_lr(w);
        uint32_t op = w & 0xffc00000u;
        if (op == 0xa9800000u || op == 0x6d800000u) /* stp x/d, [sp, #-n]! */
            down -= (uintptr_t)((int64_t)((int32_t)(w << 10) >> 25) * 8);
        else if ((w & 0xffe00c00u) == 0xf8000c00u) /* str x, [sp, #-n]! */
            down -= (uintptr_t)(int64_t)((int32_t)(w << 11) >> 23);
        else if ((w & 0xff8003ffu) == 0xd10003ffu) /* sub sp, sp, #n */
            down += ((w >> 10) & 0xfffu) << ((w >> 22) & 1 ? 12 : 0);
    }
    return false;
}

/* A tail call's `b` after the epilogue needs no help: the epilogue's
 * restored x29/x30 are decoded below (wh_arch_where). */
static inline uintptr_t wh_arch_tail_jump(uintptr_t entry, uintptr_t size, uintptr_t pc) {
    (void)entry, (void)size, (void)pc;
    return 0;
}

/* The function [entry, entry + size); the code holding pc [from, from + n):
 * the function itself, or a fragment split off it (frag; frag_framed: its
 * CFI says the frame is set up where it starts). */
static inline enum wh_where wh_arch_where(uintptr_t entry, uintptr_t size, uintptr_t from,
                                          uintptr_t n, bool frag, bool frag_framed, bool tail,
                                          const struct wh_regs *r, uintptr_t *ra, uintptr_t *S) {
    (void)tail; /* a tail call's `b` after the epilogue is decoded below (x30 restored) */
    uintptr_t pc = r->pc;
    if ((pc & 3) || !wh_a64_in(pc, from, n))
        return WH_AT_CFI;
    if (__builtin_expect(frag, 0)) {
        if (!frag_framed)
            return WH_AT_CFI;
    } else {
        /* The prologue: hints (bti c, paciasp), stores to the stack and
         * sp adjustments up to the instruction that sets x29, after the
         * {x29, x30} store. */
        int set = -1;
        bool stored = false;
        for (int i = 0; i < 16 && (uintptr_t)i * 4 < size; i++) {
            uint32_t w = wh_a64_insn(entry + (uintptr_t)i * 4);
            if (wh_a64_sets_fp(w) && stored) {
                set = i;
                break;
            }
            if (wh_a64_prologue_op(w)) {
                stored |= wh_a64_stores_fp_lr(w);
                continue;
            }
            if (!wh_a64_hint(w))
                break;
        }
        if (set < 0)
            return WH_AT_CFI; /* a leaf without a record, or a prologue not known */
        if (pc <= entry + (uintptr_t)set * 4) {
            *ra = r->lr; /* x29 not yet ours */
            *S = r->sp;
            return WH_AT_RA;
        }
        from = entry + (uintptr_t)set * 4 + 4;
        n = size - (from - entry);
    }
    if (wh_a64_restored(entry, size, from, n, pc)) {
        *ra = r->lr;
        *S = r->sp;
        return WH_AT_RA;
    }
    return WH_AT_FRAME;
}
/* WH_AT_RA's S is only a lower bound: the unwinder's CFA cannot be matched
 * against it. */
#define WH_ARCH_RA_CFA_EXACT 0

/* No thunk of AArch64's compilers moves a return address (x86-64's
 * retpolines). */
static inline bool wh_arch_thunk_ra(const struct wh_regs *r, uintptr_t *ra, uintptr_t *S) {
    (void)r, (void)ra, (void)S;
    return false;
}

/* An interrupted context at a pc that is no code (the caller asks),
 * reached by a blr through a null or stale pointer: the return address is
 * the link register, the caller's stack pointer unchanged.  Trusted only
 * when the instruction before it is a `blr xN` whose xN is that pc
 * (wh_arch_call_reached). */
static inline bool wh_arch_bad_call(const struct wh_regs *r, uintptr_t *ra, uintptr_t *S) {
    if (!r->uc || !r->lr || (r->lr & 3))
        return false;
    *ra = r->lr;
    *S = r->sp;
    return true;
}

static inline bool wh_arch_call_reached(const struct wh_regs *r, uintptr_t ra, uint32_t n,
                                        uintptr_t pc) {
    if (n < 4)
        return false;
    uint32_t w = wh_a64_insn(ra - 4);
    const ucontext_t *uc = r->uc;
    return (w & 0xfffffc1fu) == 0xd63f0000u && (w >> 5 & 31) < 31 &&
           (uintptr_t)uc->uc_mcontext.regs[w >> 5 & 31] == pc;
}

/* bl, blr, blraa(z), blrab(z) */
static inline bool wh_arch_after_call(uintptr_t end, uint32_t size) {
    if (size < 4 || (end & 3))
        return false;
    uint32_t w = wh_a64_insn(end - 4);
    return (w & 0xfc000000u) == 0x94000000u || (w & 0xfffffc1fu) == 0xd63f0000u ||
           (w & 0xfefff800u) == 0xd63f0800u;
}

/* The end of the call that holds byte pc (x86_64.h): instructions are
 * 4 bytes and aligned, so it is the one at pc & ~3 (at or above from,
 * below limit), when no call lies between from and it. */
#define WH_ARCH_HOLDING_WINDOW 96u
static inline uintptr_t wh_arch_call_holding(uintptr_t from, uintptr_t pc, uintptr_t limit) {
    uintptr_t s = pc & ~(uintptr_t)3;
    if (s < from || s + 4 > limit || pc - from >= WH_ARCH_HOLDING_WINDOW ||
        !wh_arch_after_call(s + 4, 4))
        return 0;
    for (uintptr_t a = from & ~(uintptr_t)3; a < s; a += 4)
        if (wh_arch_after_call(a + 4, 4))
            return 0;
    return s + 4;
}

/* The 8 readable bytes before end end with a call (x86_64.h). */
static inline bool wh_arch_ends_call(uintptr_t end) { return wh_arch_after_call(end, 8); }

/* The target of the call ending at end (x86_64.h): bl imm26. */
static inline enum wh_stub wh_arch_call_target(uintptr_t end, uint32_t size, uintptr_t *a) {
    if (size < 4 || (end & 3))
        return WH_STUB_NONE;
    uint32_t w = wh_a64_insn(end - 4);
    if ((w & 0xfc000000u) != 0x94000000u)
        return WH_STUB_NONE;
    int32_t imm = (int32_t)(w << 6) >> 6;
    *a = end - 4 + (uintptr_t)((intptr_t)imm * 4);
    return WH_STUB_DIRECT;
}

/* A -fsplit-stack prologue's call of __morestack (x86_64.h): none, LLVM 19
 * makes no segmented stacks for AArch64 (clang accepts the flag and
 * ignores it). */
static inline bool wh_arch_morestack_call(uintptr_t ra, uint32_t n) {
    (void)ra, (void)n;
    return false;
}

/* The function at entry has its frame record set up when a call returns
 * to ra (x86_64.h): not decoded here yet, taken as so. */
static inline bool wh_arch_frame_set_up(uintptr_t entry, uintptr_t ra) {
    (void)entry, (void)ra;
    return true;
}

/* The bytes the prologue instruction w moves sp down by: stp/str with a
 * pre-index below sp, sub sp, sp, #n; 0 for any other. */
static inline uintptr_t wh_a64_alloc(uint32_t w) {
    uint32_t op = w & 0xffc00000u;
    int64_t d = 0;
    if (op == 0xa9800000u || op == 0x6d800000u) /* stp x/d, [sp, #-n]! */
        d = -(int64_t)((int32_t)(w << 10) >> 25) * 8;
    else if ((w & 0xffe00c00u) == 0xf8000c00u) /* str x, [sp, #-n]! */
        d = -(int64_t)((int32_t)(w << 11) >> 23);
    else if ((w & 0xff8003ffu) == 0xd10003ffu) /* sub sp, sp, #n */
        d = (int64_t)(((w >> 10) & 0xfffu) << ((w >> 22) & 1 ? 12 : 0));
    return d > 0 ? (uintptr_t)d : 0;
}

/* The prologue at a (n bytes of code there): the bytes between the frame
 * record it sets up (`add x29, sp, #k` after the {x29, x30} store) and the
 * stack pointer at the end of its stores and allocations (where a call
 * that passes no argument on the stack and follows no alloca is made).
 * false when no record is set up. */
static inline bool wh_a64_frame_from(uintptr_t a, uintptr_t n, uintptr_t *below) {
    uintptr_t down = 0, at = 0, k = 0;
    bool stored = false, set = false;
    for (uintptr_t i = 0; i < 24 && i * 4 + 4 <= n; i++) {
        uint32_t w = wh_a64_insn(a + i * 4);
        if (wh_a64_hint(w))
            continue;
        if (!set && stored && wh_a64_sets_fp(w)) {
            set = true;
            k = ((w >> 10) & 0xfffu) << ((w >> 22) & 1 ? 12 : 0);
            at = down;
            continue;
        }
        if (!wh_a64_prologue_op(w))
            break;
        stored |= wh_a64_stores_fp_lr(w);
        down += wh_a64_alloc(w);
    }
    if (!set || at < k)
        return false;
    *below = k + (down - at);
    return true;
}

/* The fixed frame below the frame record of the function at entry, its
 * prologue at the entry (x86_64.h). */
static inline bool wh_arch_fixed_frame(uintptr_t entry, uintptr_t size, uintptr_t *below) {
    return wh_a64_frame_from(entry, size, below);
}

/* (x86_64.h) `mov x29, sp` or `add x29, sp, #k`. */
#define WH_ARCH_FP_SETUP_LEN 4u
#define WH_ARCH_INSN_ALIGN 4u
static inline bool wh_arch_fp_setup_at(const unsigned char *c, uintptr_t before) {
    (void)before;
    uint32_t w;
    memcpy(&w, c, 4);
    return (w & 0xffc003ffu) == 0x910003fdu;
}
/* (x86_64.h) none on AArch64. */
#define WH_ARCH_THUNK_BYTES 4u
static inline bool wh_arch_is_thunk(const unsigned char *t, size_t n) {
    (void)t, (void)n;
    return false;
}
/* (x86_64.h) ret; bti c, paciasp: a function's start. */
#define WH_ARCH_BOUNDARY_LEN 4u
static inline bool wh_arch_fn_boundary_at(const unsigned char *c) {
    uint32_t w;
    memcpy(&w, c, 4);
    return w == 0xd65f03c0u || w == 0xd503245fu || w == 0xd503233fu;
}

/* The same for a prologue later in the function (shrink-wrapped): the
 * first `add x29, sp, #k` past the entry's prologue, decoded from the run
 * of prologue instructions before it, in the first 4 KiB. */
static inline bool wh_arch_inner_frame(uintptr_t entry, uintptr_t size, uintptr_t *below) {
    uintptr_t n = (size < 4096 ? size : 4096) / 4;
    for (uintptr_t j = 1; j < n; j++) {
        if (!wh_a64_sets_fp(wh_a64_insn(entry + j * 4)))
            continue;
        uintptr_t s = j;
        while (s > 0 && (wh_a64_prologue_op(wh_a64_insn(entry + (s - 1) * 4)) ||
                         wh_a64_hint(wh_a64_insn(entry + (s - 1) * 4))))
            s--;
        if (s == 0)
            return false; /* the entry's own prologue */
        return wh_a64_frame_from(entry + s * 4, size - s * 4, below);
    }
    return false;
}

/* How much of its own stack a function without a frame record (a leaf,
 * or code before a shrink-wrapped prologue) may have allocated at its pc:
 * none, or what each allocating instruction of its saves adds (x86_64.h).
 * Never unsure: x30 is the return address until a call, and a function
 * past a call of its own has its record set up.
 * Up to max offsets into off; their count. */
static inline uint32_t wh_arch_leaf_slots(uintptr_t entry, uintptr_t size, uintptr_t pc,
                                          uintptr_t *off, uint32_t max, bool *unsure) {
    (void)pc; /* (the return address is in x30 whatever the offset) */
    *unsure = false;
    uintptr_t down = 0, i = 0;
    uint32_t n = 0;
    off[n++] = 0;
    /* (a shrink-wrapped leaf saves after its early exit: the first run of
     * prologue instructions in its first 64) */
    while (i < 64 && i * 4 + 4 <= size && !wh_a64_alloc(wh_a64_insn(entry + i * 4)))
        i++;
    for (; i < 64 && i * 4 + 4 <= size && n < max; i++) {
        uint32_t w = wh_a64_insn(entry + i * 4);
        if (wh_a64_hint(w))
            continue;
        if (!wh_a64_prologue_op(w) || wh_a64_sets_fp(w))
            break;
        uintptr_t d = wh_a64_alloc(w);
        if (d)
            off[n++] = down += d;
    }
    return n;
}

/* A function without a frame record that allocated o bytes of its own
 * stack: its return address (still in x30: it made no call) and its
 * caller's stack pointer at the call (bl pushes nothing). */
static inline bool wh_arch_leaf_ra(const struct wh_regs *r, uintptr_t o, uintptr_t *ra,
                                   uintptr_t *S) {
    *ra = r->lr;
    *S = r->sp + o;
    return r->lr != 0;
}

/* Bytes a stub is decoded from. */
#define WH_STUB_BYTES 24
/* A PLT entry (lld and GNU ld): [bti c] adrp x16, page; ldr x17, [x16,
 * #off]; add x16, x16, #off; [autia1716]; br x17: jumps through the GOT
 * slot at page + off.  A -fsanitize=cfi jump-table entry: [bti c] b f.
 * *len: the bytes from pc to the branch's end. */
static inline enum wh_stub wh_arch_stub_target(const unsigned char *c, uintptr_t pc,
                                               uintptr_t *a, uint32_t *len) {
    uint32_t w[6];
    memcpy(w, c, sizeof w);
    unsigned p = w[0] == 0xd503245fu; /* bti c */
    if ((w[p] & 0xfc000000u) == 0x14000000u) {
        int32_t imm = (int32_t)(w[p] << 6) >> 6;
        *a = pc + 4 * p + (uintptr_t)(intptr_t)imm * 4;
        *len = 4 * p + 4;
        return WH_STUB_DIRECT;
    }
    uint32_t adrp = w[p], ldr = w[p + 1], add = w[p + 2], br = w[p + 3];
    if ((adrp & 0x9f00001fu) != 0x90000010u || (ldr & 0xffc003ffu) != 0xf9400211u ||
        (add & 0xffc003ffu) != 0x91000210u)
        return WH_STUB_NONE;
    *len = 4 * p + 16;
    if (br == 0xd503219fu) { /* autia1716 */
        br = w[p + 4];
        *len += 4;
    }
    if (br != 0xd61f0220u) /* br x17 */
        return WH_STUB_NONE;
    int64_t page = (int64_t)((((adrp >> 5) & 0x7ffffu) << 2) | ((adrp >> 29) & 3u)) << 43 >> 31;
    uintptr_t at = pc + 4 * p;
    *a = (at & ~(uintptr_t)0xfff) + (uintptr_t)page + ((ldr >> 10) & 0xfffu) * 8;
    return WH_STUB_GOT;
}

/* The size of a -fsanitize=cfi jump-table entry whose branch ends len
 * bytes after its start: `b f`, or `bti c; b f` (nothing pads them). */
static inline uint32_t wh_arch_jump_entry_size(uint32_t len) {
    return len;
}

/* Padding between functions is made of aligned words. */
#define WH_PAD_UNIT 4
/* The word at a (4-aligned) is one padding between functions is made of:
 * nop, zero (udf #0) or lld's trap filler; none is a bl or blr, so no
 * return address follows one. */
static inline bool wh_arch_is_pad(uintptr_t a) {
    uint32_t w = wh_a64_insn(a);
    return w == 0xd503201fu || w == 0 || w == 0xd4d4d4d4u;
}

#endif /* WHENCE_RUNTIME_ARCH_AARCH64_H */
