/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * arch/x86_64.h - the x86-64 side of arch.h.  Frame records are pushed by
 * `push %rbp; mov %rsp,%rbp` right at the entry (after endbr64), so the
 * callee's frame pointer + 16 is exactly its CFA, the caller's stack
 * pointer at the call; return addresses are plain code addresses.
 */
#ifndef WHENCE_RUNTIME_ARCH_X86_64_H
#define WHENCE_RUNTIME_ARCH_X86_64_H

#include <string.h>
#include <ucontext.h>

#include "x86_64_insn.h"

#define WH_DWARF_FP 6 /* rbp */

static inline uintptr_t wh_strip_ra(uintptr_t ra) { return ra; }

/* glibc names the gregs indexes (REG_RIP...) only under _GNU_SOURCE, which
 * not every includer defines first; they are the kernel's sigcontext order. */
enum { WH_GREG_RBP = 10, WH_GREG_RSP = 15, WH_GREG_RIP = 16 };
#ifdef REG_RIP
_Static_assert(REG_RIP == WH_GREG_RIP && REG_RBP == WH_GREG_RBP && REG_RSP == WH_GREG_RSP,
               "glibc's x86-64 gregs order");
#endif
static inline void wh_regs_of(const void *ucv, struct wh_regs *r) {
    const ucontext_t *uc = ucv;
    r->pc = (uintptr_t)uc->uc_mcontext.gregs[WH_GREG_RIP];
    r->fp = (uintptr_t)uc->uc_mcontext.gregs[WH_GREG_RBP];
    r->sp = (uintptr_t)uc->uc_mcontext.gregs[WH_GREG_RSP];
    r->lr = 0;
    r->uc = ucv;
}

/* DWARF register i (the psABI's numbering, runtime/unwind/arch.h) of an
 * interrupted context: false for a number it does not hold. */
static inline bool wh_arch_dwarf_reg(const void *ucv, unsigned i, uintptr_t *v) {
    /* the kernel's sigcontext order of rax, rdx, rcx, rbx, rsi, rdi, rbp,
     * rsp, r8..r15, rip */
    static const unsigned char greg[17] = {13, 12, 14, 11, 9, 8, 10, 15, 0,
                                           1,  2,  3,  4,  5, 6, 7,  16};
    if (i >= sizeof greg)
        return false;
    *v = (uintptr_t)((const ucontext_t *)ucv)->uc_mcontext.gregs[greg[i]];
    return true;
}

/* __restore_rt: mov $0xf,%rax; syscall (rt_sigreturn).  Compared byte by
 * byte: each matching byte belongs to an instruction that continues, so no
 * read can run past the mapped code. */
#define WH_ARCH_SIGRETURN_LEN 9 /* bytes wh_arch_is_sigreturn reads */
#define WH_ARCH_SIGRETURN_SYSCALL 7 /* the syscall's offset in it */
static inline bool wh_arch_is_sigreturn(uintptr_t ra) {
    static const unsigned char code[9] = {0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05};
    const volatile unsigned char *p = (const volatile unsigned char *)ra;
    for (int i = 0; i < 9; i++)
        if (p[i] != code[i])
            return false;
    return true;
}

/* rt_sigframe: pretcode (= ra, at fp+8), then struct ucontext. */
static inline bool wh_arch_sigframe(uintptr_t fp, struct wh_regs *r) {
    wh_regs_of((const ucontext_t *)(fp + 16), r);
    return true;
}

/* The signal frame as the unwinder meets it: the handler's CFA (the stack
 * pointer after its return into __restore_rt popped pretcode) is the
 * ucontext. */
static inline bool wh_arch_sigframe_at(uintptr_t sp, struct wh_regs *r) {
    wh_regs_of((const ucontext_t *)sp, r);
    return true;
}

/* The CFA of the frame whose record is at fp: push %rbp right at the entry
 * puts it just above the record, whatever the function. */
static inline bool wh_arch_frame_cfa(uintptr_t entry, uintptr_t size, uintptr_t fp,
                                     uintptr_t *cfa) {
    (void)entry, (void)size;
    *cfa = fp + 16;
    return true;
}

/* The bytes of the register clearing at ip (n bytes of the function left)
 * that -fzero-call-used-regs puts between an epilogue and its ret: each
 * register xor'ed with itself (general ones: [REX] 31/33; vector ones:
 * [66] [REX] 0f 57/ef, VEX and EVEX 57/ef, mask ones: VEX 47), the x87
 * stack's fldz and fstp %st(0), and a vzeroupper after them.  0 where there
 * is none. */
static inline uintptr_t wh_x86_clearing_len(const unsigned char *ip, uintptr_t n) {
    uintptr_t p = 0;
    for (int k = 0; k < 128 && p + 2 <= n; k++) {
        const unsigned char *i = ip + p;
        uintptr_t m = n - p, q = 0;
        if ((i[0] == 0xd9 && i[1] == 0xee) || (i[0] == 0xdd && i[1] == 0xd8)) {
            p += 2; /* fldz, fstp %st(0) */
            continue;
        }
        if (i[0] == 0xc5 && m >= 3 && i[1] == 0xf8 && i[2] == 0x77) {
            p += 3; /* vzeroupper */
            continue;
        }
        if (i[0] == 0xc5 && m >= 4 && (i[2] == 0x57 || i[2] == 0xef || i[2] == 0x47) &&
            i[3] >= 0xc0) {
            p += 4; /* VEX2 vxorps, vpxor, kxor */
            continue;
        }
        /* (VEX3 and EVEX in the 0f opcode map only: 0f3a 57 is vreducesd,
         * whose immediate may be a 0xc3 that read as a ret) */
        if (i[0] == 0xc4 && m >= 5 && (i[1] & 0x1f) == 1 &&
            (i[3] == 0x57 || i[3] == 0xef || i[3] == 0x47) && i[4] >= 0xc0) {
            p += 5; /* VEX3 */
            continue;
        }
        if (i[0] == 0x62 && m >= 6 && (i[1] & 0x07) == 1 && (i[4] == 0x57 || i[4] == 0xef) &&
            i[5] >= 0xc0) {
            p += 6; /* EVEX vxorps, vpxord */
            continue;
        }
        if (i[q] == 0x66)
            q++;
        unsigned rex = 0;
        if (q < m && (i[q] & 0xf0) == 0x40)
            rex = i[q++];
        bool same_ext = ((rex >> 2) & 1) == (rex & 1); /* REX.R == REX.B */
        unsigned char r;
        if (q + 2 <= m && (i[q] == 0x31 || i[q] == 0x33) && (r = i[q + 1]) >= 0xc0 &&
            ((r >> 3) & 7) == (r & 7) && same_ext) {
            p += q + 2; /* xor %reg,%reg */
            continue;
        }
        if (q + 3 <= m && i[q] == 0x0f && (i[q + 1] == 0x57 || i[q + 1] == 0xef) &&
            (r = i[q + 2]) >= 0xc0 && ((r >> 3) & 7) == (r & 7) && same_ext) {
            p += q + 3; /* xorps, xorpd, pxor %xmm,%xmm */
            continue;
        }
        break;
    }
    return p;
}

/* A ret at ip, after any register clearing (n bytes of the function left):
 * the epilogue has restored everything, %rbp too. */
static inline bool wh_x86_ret_ahead(const unsigned char *ip, uintptr_t n) {
    uintptr_t z = wh_x86_clearing_len(ip, n);
    ip += z, n -= z;
    return (n >= 1 && ip[0] == 0xc3) || (n >= 2 && ip[0] == 0xf3 && ip[1] == 0xc3);
}

/* At the entry, right after push %rbp, or on a ret, the frame is not (or
 * no longer) set up and the caller's return address is read at rsp.  Code
 * split off its function (frag) has no prologue of its own: its CFI says
 * whether the frame is set up where it starts (frag_framed). */
static inline enum wh_where wh_arch_where(uintptr_t entry, uintptr_t size, uintptr_t from,
                                          uintptr_t n, bool frag, bool frag_framed, bool tail,
                                          const struct wh_regs *r, uintptr_t *ra, uintptr_t *S) {
    (void)from;
    (void)n;
    uintptr_t off = r->pc - entry, p = 0, slot;
    const unsigned char *c = (const unsigned char *)entry;
    const unsigned char *ip = (const unsigned char *)r->pc;
    if (size >= 5 && c[0] == 0xf3 && c[1] == 0x0f && c[2] == 0x1e && c[3] == 0xfa)
        p = 4; /* endbr64 */
    bool push = p < size && c[p] == 0x55;                         /* push %rbp */
    bool mov = push && p + 4 <= size && c[p + 1] == 0x48 && c[p + 2] == 0x89 &&
               c[p + 3] == 0xe5;                                  /* mov %rsp,%rbp */
    if (__builtin_expect(frag, 0)) {
        push = false;
        mov = frag_framed;
        p = 0;
        off = 4;
    }
    if (off <= p)
        slot = r->sp;      /* nothing pushed yet */
    else if (push && off == p + 1)
        slot = r->sp + 8;  /* rbp pushed, not yet ours */
    else if (off < size && wh_x86_ret_ahead(ip, size - off))
        slot = r->sp;      /* on the ret (or clearing registers before it):
                            * rbp already restored */
    else if (tail && mov && off > p + 4)
        slot = r->sp;      /* on a tail call's jmp: rbp already restored */
    else if (mov && off >= p + 4)
        return WH_AT_FRAME;
    else
        return WH_AT_CFI;  /* a leaf without a frame */
    if (slot & 7)
        return WH_AT_NONE;
    *ra = *(const uintptr_t *)slot;
    *S = slot + 8;         /* exact: just above the return address */
    return WH_AT_RA;
}

/* The bytes at ip (n of them in the function) are a jmp through a pointer
 * or a register that a tail call leaves by: jmp *disp32(%rip) (-fno-plt),
 * jmp *%reg (a call through a function pointer), jmp *disp(%reg) and
 * jmp *(%reg) (a virtual call), with or without REX.B.  Not the forms
 * with an index (SIB: jump tables), which no tail call uses. */
static inline bool wh_x86_indirect_jmp(const unsigned char *ip, uintptr_t n) {
    if (n >= 1 && (ip[0] & 0xf0) == 0x40) /* REX (B: r8-r15) */
        ip++, n--;
    if (n < 2 || ip[0] != 0xff || (ip[1] & 0x38) != 0x20) /* FF /4 */
        return false;
    unsigned mod = ip[1] >> 6, rm = ip[1] & 7;
    switch (mod) {
    case 3: /* %reg */
        return true;
    case 0: /* (%reg), or disp32(%rip) */
        return rm == 5 ? n >= 6 : rm != 4;
    case 1: /* disp8(%reg) */
        return rm != 4 && n >= 3;
    default: /* disp32(%reg) */
        return rm != 4 && n >= 6;
    }
}

/* The pc is on a tail call's jump right after the epilogue's `pop %rbp`:
 * a jmp rel32/rel8 whose target lies outside [entry, entry + size) (returned:
 * the caller checks it is no code split off the same function), or a jmp
 * through a pointer or a register (wh_x86_indirect_jmp; returns 1).  0
 * otherwise.  The byte before the pc could end another instruction, hence
 * the target check; a jump table's indirect jump follows the add of its
 * base (a ModRM byte of 0xc0 and above), never a byte 0x5d.  Reads stay
 * inside the function: the pc is past its prologue, and the jmp fits
 * before its end. */
static inline uintptr_t wh_arch_tail_jump(uintptr_t entry, uintptr_t size, uintptr_t pc) {
    const unsigned char *ip = (const unsigned char *)pc;
    uintptr_t end = entry + size, len;
    intptr_t rel;
    if (pc <= entry || pc >= end || ip[-1] != 0x5d) /* pop %rbp */
        return 0;
    if (end - pc >= 5 && ip[0] == 0xe9) {
        int32_t r32;
        memcpy(&r32, ip + 1, 4);
        rel = r32, len = 5;
    } else if (end - pc >= 2 && ip[0] == 0xeb) {
        rel = (int8_t)ip[1], len = 2;
    } else {
        return wh_x86_indirect_jmp(ip, end - pc) ? 1 : 0;
    }
    uintptr_t target = pc + len + (uintptr_t)rel;
    return target >= entry && target < end ? 0 : target;
}

/* The unwinder's CFA of the frame that returns to an ra read at S - 8 is S
 * itself (WH_AT_RA's S is exact here). */
#define WH_ARCH_RA_CFA_EXACT 1

/* call rel32, call *disp32(%rip), call *%reg (with or without REX).  Only
 * the function's own bytes are read (instrumented code: mapped). */
static inline bool wh_arch_after_call(uintptr_t end, uint32_t size) {
    const unsigned char *e = (const unsigned char *)end;
    return (size >= 5 && e[-5] == 0xe8) || (size >= 6 && e[-6] == 0xff && e[-5] == 0x15) ||
           (size >= 2 && e[-2] == 0xff && (e[-1] & 0xf8) == 0xd0);
}

/* The end of the near call that holds byte pc, decoded forward from from
 * (an instruction boundary: a call label, at or below pc) with every byte
 * read below limit (the function's end), when it is the first call from
 * there; 0 when pc is in another instruction, after another call, past the
 * window (WH_ARCH_HOLDING_WINDOW bytes from from), or in bytes this does
 * not decode (x86_64_insn.h). */
#define WH_ARCH_HOLDING_WINDOW 96u
static inline uintptr_t wh_arch_call_holding(uintptr_t from, uintptr_t pc, uintptr_t limit) {
    if (pc < from || pc >= limit || pc - from >= WH_ARCH_HOLDING_WINDOW)
        return 0;
#pragma clang loop unroll(disable)
    for (uintptr_t a = from;;) {
        bool call;
        unsigned len = 0;
        if (__builtin_expect(limit - a >= 16, 1))
            len = wh_x86_insn_len_quick((const unsigned char *)a, &call);
        if (!len && !(len = wh_x86_insn_len((const unsigned char *)a, limit - a, &call)))
            return 0;
        if (len > limit - a)
            return 0;
        if (pc < a + len)
            return call ? a + len : 0;
        /* (a call before pc: the label's own is the first after it, and
         * any later one another's; a call written as bytes in inline asm
         * was claimed for the label before: helper-144) */
        if (call)
            return 0;
        a += len;
    }
}

/* The 8 readable bytes before end end with a call instruction of any form:
 * call rel32, or call through a register or memory (ff /2, with or without
 * a REX prefix, any ModRM, SIB and displacement).  For code of unknown
 * extent (a return address in code without unwind tables): bytes that
 * merely look like a call make it permissive, never strict. */
static inline bool wh_arch_ends_call(uintptr_t end) {
    const unsigned char *e = (const unsigned char *)end;
    if (e[-5] == 0xe8)
        return true;
    for (int l = 2; l <= 7; l++) {
        const unsigned char *o = e - l;
        unsigned m = o[1], mod = m >> 6, rm = m & 7;
        if (o[0] != 0xff || ((m >> 3) & 7) != 2)
            continue;
        int len = 2;
        if (mod != 3 && rm == 4)
            len++; /* SIB */
        if (mod == 0 && (rm == 5 || (rm == 4 && (o[2] & 7) == 5)))
            len += 4; /* disp32(%rip), or a SIB without base */
        else if (mod == 1)
            len += 1;
        else if (mod == 2)
            len += 4;
        if (len == l)
            return true;
    }
    return false;
}

/* An interrupted context that faulted fetching its own instruction, at a
 * pc that is no code (the caller asks), reached there by a call through a
 * null or stale pointer: the call pushed *ra (at sp), and the caller's
 * stack pointer at the call was *S.  Trusted only when the call ending at
 * *ra (n: bytes of its function before it) is an indirect call whose
 * operand, computed from the interrupted registers (the target ran no
 * instruction), is that very pc: `call *%reg`, `call *disp(%reg,...)`,
 * `call *disp(%rip)`.  A ret to a smashed address, a jump, or a call of
 * another target is not. */
enum { WH_GREG_ERR = 19, WH_GREG_TRAPNO = 20 };
static inline bool wh_arch_bad_call(const struct wh_regs *r, uintptr_t *ra, uintptr_t *S) {
    const ucontext_t *uc = r->uc;
    /* a page fault (14) on an instruction fetch (error code bit 4) */
    if (!uc || uc->uc_mcontext.gregs[WH_GREG_TRAPNO] != 14 ||
        !(uc->uc_mcontext.gregs[WH_GREG_ERR] & 16) || !r->sp || (r->sp & 7) ||
        !wh_safe_read(r->sp, ra))
        return false;
    *S = r->sp + 8;
    return true;
}

/* The address of the breakpoint instruction whose trap (#BP, SIGTRAP)
 * left the pc right after it: int3 (0xcc) or int $3 (0xcd 0x03); pc
 * itself if the bytes before it are neither or cannot be read. */
static inline uintptr_t wh_arch_trap_pc(uintptr_t pc) {
    uintptr_t v;
    if (pc < 8 || !wh_safe_read(pc - 8, &v))
        return pc;
    if (v >> 56 == 0xcc)
        return pc - 1;
    return (v >> 48) == 0x03cd ? pc - 2 : pc;
}

static inline uintptr_t wh_x86_after_endbr(const unsigned char *c, uintptr_t size);

/* A retpoline thunk (-mretpoline, -mspeculative-load-hardening; GCC's
 * -mindirect-branch=thunk alike) is `[endbr64] call 1f; 2: pause; lfence;
 * jmp 2b; [padding]; 1: mov %reg,(%rsp); ret`: the mov puts the target over
 * the inner call's return address, and the ret jumps there.  Given the
 * bytes at its mov (5 of them, and `before` before them, readable), the
 * register (0-15), or -1 for other code. */
static inline int wh_x86_thunk_mov(const unsigned char *m, uintptr_t before) {
    if ((m[0] != 0x48 && m[0] != 0x4c) || m[1] != 0x89 || (m[2] & 0xc7) != 0x04 || m[3] != 0x24 ||
        m[4] != 0xc3)
        return -1;
    for (uintptr_t d = 12; d <= 24 && d <= before; d++) {
        const unsigned char *c = m - d;
        int32_t rel;
        memcpy(&rel, c + 1, 4);
        if (c[0] == 0xe8 && rel == (int32_t)d - 5 && c[5] == 0xf3 && c[6] == 0x90 && c[7] == 0x0f &&
            c[8] == 0xae && c[9] == 0xe8 && c[10] == 0xeb && c[11] == 0xf9)
            return (m[2] >> 3 & 7) | (m[0] & 4) << 1;
    }
    return -1;
}

/* The register a thunk whose first n bytes are t jumps to: a retpoline
 * thunk (above), or an LVI one (`lfence; jmp *%reg`, -mlvi-cfi); -1 for
 * other code. */
static inline int wh_x86_thunk_reg(const unsigned char *t, size_t n) {
    size_t p = wh_x86_after_endbr(t, n);
    if (p + 6 <= n && t[p] == 0x0f && t[p + 1] == 0xae && t[p + 2] == 0xe8) {
        const unsigned char *j = t + p + 3;
        unsigned rex = (j[0] & 0xf0) == 0x40 ? *j++ : 0;
        if (j[0] == 0xff && (j[1] & 0xf8) == 0xe0 && !(rex & ~0x41u))
            return (j[1] & 7) | (rex & 1) << 3;
        return -1;
    }
    int32_t rel;
    if (p + 5 > n || t[p] != 0xe8)
        return -1;
    memcpy(&rel, t + p + 1, 4);
    size_t m = p + 5 + (size_t)rel;
    return rel >= 7 && rel <= 19 && m + 5 <= n ? wh_x86_thunk_mov(t + m, m) : -1;
}

/* The pc is in a retpoline thunk past its inner call, at its mov or its
 * ret (the bytes from pc - 28 to pc + 8 readable): the word at the stack
 * pointer is that call's return address or the target, and the thunk's
 * caller's return address is the next one, *ra; *S its stack pointer at
 * the call.  Its unwind tables (the default rules only) took the target
 * for the return address. */
static inline bool wh_arch_thunk_ra(const struct wh_regs *r, uintptr_t *ra, uintptr_t *S) {
    const unsigned char *ip = (const unsigned char *)r->pc;
    bool ret = ip[0] == 0xc3;
    if (wh_x86_thunk_mov(ret ? ip - 4 : ip, ret ? 24 : 28) < 0 || !r->sp || (r->sp & 7) || !wh_safe_read(r->sp + 8, ra))
        return false;
    *S = r->sp + 16;
    return true;
}

/* Is the call ending at ra (n bytes of its function before it, mapped) an
 * indirect call whose target, from context uc, is pc?  (wh_arch_bad_call) */
static inline bool wh_arch_call_reached(const struct wh_regs *r, uintptr_t ra, uint32_t n,
                                        uintptr_t pc) {
    /* x86 register number -> the kernel's sigcontext order */
    static const unsigned char greg[16] = {13, 14, 12, 11, 15, 10, 9, 8, 0, 1, 2, 3, 4, 5, 6, 7};
    const ucontext_t *uc = r->uc;
    const unsigned char *e = (const unsigned char *)ra;
    for (uint32_t len = 2; len <= 8 && len <= n; len++) {
        const unsigned char *p = e - len;
        unsigned rex = (p[0] & 0xf0) == 0x40 ? p[0] : 0;
        p += rex != 0;
        if (p + 2 > e || p[0] != 0xff || ((p[1] >> 3) & 7) != 2)
            continue;
        unsigned mod = p[1] >> 6, rm = p[1] & 7;
        p += 2;
        uintptr_t v, a = 0;
#define WH_X86_REG(i) ((i) == 4 ? r->sp + 8 : (uintptr_t)uc->uc_mcontext.gregs[greg[(i)]])
        if (mod == 3) {
            if (p != e)
                continue;
            v = WH_X86_REG(rm | (rex & 1) << 3);
        } else {
            bool rip = false, base = true;
            unsigned b = rm | (rex & 1) << 3;
            if (rm == 4) { /* SIB */
                if (p >= e)
                    continue;
                unsigned sib = *p++, idx = (sib >> 3 & 7) | (rex >> 1 & 1) << 3;
                b = (sib & 7) | (rex & 1) << 3;
                if (idx != 4)
                    a += WH_X86_REG(idx) << (sib >> 6);
                base = !((sib & 7) == 5 && mod == 0);
            } else if (rm == 5 && mod == 0) {
                rip = true;
            }
            int32_t d = 0;
            unsigned dl = mod == 1 ? 1 : (mod == 2 || rip || !base) ? 4 : 0;
            if (p + dl != e)
                continue;
            if (dl == 1)
                d = (int8_t)p[0];
            else if (dl == 4)
                memcpy(&d, p, 4);
            a += (uintptr_t)(intptr_t)d + (rip ? ra : base ? WH_X86_REG(b) : 0);
            if (!wh_safe_read(a, &v))
                continue;
        }
        if (v == pc)
            return true;
    }
    /* A direct call of a thunk that jumps through a register
     * (wh_x86_thunk_reg) that holds pc. */
    int32_t rel;
    unsigned char t[48];
    if (n >= 5 && e[-5] == 0xe8) {
        memcpy(&rel, e - 4, 4);
        int reg = wh_safe_copy(t, ra + (uintptr_t)(intptr_t)rel, sizeof t)
                      ? wh_x86_thunk_reg(t, sizeof t)
                      : -1;
        if (reg >= 0 && reg != 4 && WH_X86_REG(reg) == pc)
            return true;
    }
#undef WH_X86_REG
    return false;
}

/* The target of the call ending at end (size bytes of the function before
 * it, mapped): WH_STUB_DIRECT with *a the callee (call rel32), WH_STUB_GOT
 * with *a the slot it calls through (call *disp32(%rip), -fno-plt), else
 * WH_STUB_NONE (a call through a register). */
static inline enum wh_stub wh_arch_call_target(uintptr_t end, uint32_t size, uintptr_t *a) {
    const unsigned char *e = (const unsigned char *)end;
    int32_t d;
    if (size >= 5 && e[-5] == 0xe8) {
        memcpy(&d, e - 4, 4);
        *a = end + (uintptr_t)(intptr_t)d;
        return WH_STUB_DIRECT;
    }
    if (size >= 6 && e[-6] == 0xff && e[-5] == 0x15) {
        memcpy(&d, e - 4, 4);
        *a = end + (uintptr_t)(intptr_t)d;
        return WH_STUB_GOT;
    }
    return WH_STUB_NONE;
}

/* The call ending at ra (n bytes of its function before ra, at least one
 * readable at ra) is a -fsplit-stack prologue's call of __morestack, which
 * code generation makes (X86FrameLowering, as GCC does) in a block of its
 * own: `mov $frame, %r10[d]; mov $args, %r11[d]; call __morestack; ret`.
 * A call followed by a bare ret with %r11 just loaded is nothing else in
 * code whose functions all keep frame pointers (their epilogues pop %rbp
 * before ret). */
static inline bool wh_arch_morestack_call(uintptr_t ra, uint32_t n) {
    const unsigned char *e = (const unsigned char *)ra;
    if (n < 11 || e[0] != 0xc3 || e[-5] != 0xe8)
        return false;
    return (e[-11] == 0x41 && e[-10] == 0xbb) ||               /* mov $imm32, %r11d */
           (n >= 15 && e[-15] == 0x49 && e[-14] == 0xbb);      /* movabs $imm64, %r11 */
}

/* The function at entry has pushed its frame record by the time a call
 * returns to ra: false for a call made before `push %rbp; mov %rsp,%rbp`
 * (an XRay entry sled, __fentry__) or from a function that never sets one
 * up (a leaf at -O2 with a sled), whose %rbp is still its caller's.  The
 * prologue right at the entry (after endbr64) answers at once; else its
 * bytes are looked for before ra (a shrink-wrapped prologue), over at most
 * 4 KiB. */
static inline bool wh_arch_frame_set_up(uintptr_t entry, uintptr_t ra) {
    const unsigned char *c = (const unsigned char *)entry;
    size_t n = ra - entry, p = 0;
    if (n >= 8 && c[0] == 0xf3 && c[1] == 0x0f && c[2] == 0x1e && c[3] == 0xfa)
        p = 4;
    if (n >= p + 4 && c[p] == 0x55 && c[p + 1] == 0x48 && c[p + 2] == 0x89 && c[p + 3] == 0xe5)
        return true;
    if (n > 4096)
        return true; /* not looked at: as before */
    for (size_t i = p; i + 4 <= n; i++)
        if (c[i] == 0x55 && c[i + 1] == 0x48 && c[i + 2] == 0x89 && c[i + 3] == 0xe5)
            return true;
    return false;
}

/* The register saves of a prologue from c + p on (the function's size
 * bytes at c): pushes of registers (clang pushes %rax for an 8-byte
 * adjustment), then [sub $n,%rsp]; their count, n, and where each push
 * ends (ends[i] for push i, up to 16; ends[k]: where the sub ends, or the
 * last push's end without one). */
static inline void wh_x86_saves_at(const unsigned char *c, uintptr_t p, uintptr_t size,
                                   uint32_t *pushes, uintptr_t *sub, uintptr_t *ends) {
    uint32_t k = 0;
    for (; p < size && k < 16; k++) {
        if ((c[p] & 0xf8) == 0x50) /* push %rax..%rdi */
            p++;
        else if (p + 1 < size && c[p] == 0x41 && (c[p + 1] & 0xf8) == 0x50) /* %r8..%r15 */
            p += 2;
        else
            break;
        ends[k] = p;
    }
    *pushes = k;
    *sub = 0;
    if (p + 4 <= size && c[p] == 0x48 && c[p + 1] == 0x83 && c[p + 2] == 0xec && c[p + 3] < 0x80) {
        *sub = c[p + 3]; /* sub $imm8,%rsp */
        p += 4;
    } else if (p + 7 <= size && c[p] == 0x48 && c[p + 1] == 0x81 && c[p + 2] == 0xec) {
        int32_t d; /* sub $imm32,%rsp */
        memcpy(&d, c + p + 3, 4);
        *sub = d > 0 ? (uintptr_t)d : 0;
        p += *sub ? 7 : 0;
    }
    ends[k] = p;
}
static inline void wh_x86_saves(const unsigned char *c, uintptr_t p, uintptr_t size,
                                uint32_t *pushes, uintptr_t *sub) {
    uintptr_t ends[17];
    wh_x86_saves_at(c, p, size, pushes, sub, ends);
}

/* A prologue's saves that end at c + p (wh_x86_saves_at) allocate more
 * after them, which they do not count: a stack probe of
 * -fstack-clash-protection (a store to (%rsp), then more `sub`s, or a loop
 * that starts from a copy of %rsp or an lea below it), or a second `sub`.
 * The frame is then not fixed as far as they can tell. */
static inline bool wh_x86_allocates_more(const unsigned char *c, uintptr_t p, uintptr_t size) {
    if (p + 4 > size)
        return false;
    const unsigned char *i = c + p;
    return (i[0] == 0x48 && (i[1] == 0x83 || i[1] == 0x81) && i[2] == 0xec) || /* sub */
           (i[0] == 0x48 && i[1] == 0xc7 && i[2] == 0x04 && i[3] == 0x24) ||   /* movq $,(%rsp) */
           (i[0] == 0x48 && (i[1] == 0x83 || i[1] == 0x81) && i[2] == 0x0c &&
            i[3] == 0x24) ||                                                   /* orq $,(%rsp) */
           ((i[0] == 0x49 || i[0] == 0x48) && i[1] == 0x89 && (i[2] & 0xf8) == 0xe0) || /* mov %rsp,r */
           ((i[0] == 0x4c || i[0] == 0x48) && i[1] == 0x8d && (i[2] & 0xc7) == 0x84 &&
            i[3] == 0x24); /* lea d(%rsp),r */
}

/* The bytes an epilogue starting at pc still has to release before its
 * ret (or a tail call's jmp): [add $n,%rsp] then pops of registers, in
 * the function's code up to end.  1 with *left; 0 when pc starts no such
 * sequence; -1 on a bare jmp, which may be a tail call's after the pops
 * or any jump of the body. */
static inline int wh_x86_epilogue_left(uintptr_t pc, uintptr_t end, uintptr_t *left) {
    const unsigned char *ip = (const unsigned char *)pc;
    uintptr_t n = end - pc, p = 0, b = 0;
    if (n >= 4 && ip[0] == 0x48 && ip[1] == 0x83 && ip[2] == 0xc4 && ip[3] < 0x80) {
        b = ip[3]; /* add $imm8,%rsp */
        p = 4;
    } else if (n >= 7 && ip[0] == 0x48 && ip[1] == 0x81 && ip[2] == 0xc4) {
        int32_t d; /* add $imm32,%rsp */
        memcpy(&d, ip + 3, 4);
        if (d <= 0)
            return 0;
        b = (uintptr_t)d;
        p = 7;
    }
    for (int k = 0; k < 16; k++) {
        if (p < n && (ip[p] & 0xf8) == 0x58) { /* pop %rax..%rdi */
            p++, b += 8;
            continue;
        }
        if (p + 1 < n && ip[p] == 0x41 && (ip[p + 1] & 0xf8) == 0x58) { /* %r8..%r15 */
            p += 2, b += 8;
            continue;
        }
        break;
    }
    /* (registers are cleared before a ret only: a body's xor before a jmp
     * is no epilogue) */
    uintptr_t z = wh_x86_clearing_len(ip + p, n - p);
    if (p + z < n && (ip[p + z] == 0xc3 || (p + z + 1 < n && ip[p + z] == 0xf3 &&
                                            ip[p + z + 1] == 0xc3)))
        p += z;
    if (p < n && (ip[p] == 0xe9 || ip[p] == 0xeb) && p == 0)
        return -1;
    if (p < n && (ip[p] == 0xc3 || ip[p] == 0xe9 || ip[p] == 0xeb ||
                  (p + 1 < n && ip[p] == 0xf3 && ip[p + 1] == 0xc3))) {
        *left = b;
        return 1;
    }
    return 0;
}

/* Where the prologue at entry (size bytes) leaves its saves: after an
 * endbr64, *p. */
static inline uintptr_t wh_x86_after_endbr(const unsigned char *c, uintptr_t size) {
    return size >= 4 && c[0] == 0xf3 && c[1] == 0x0f && c[2] == 0x1e && c[3] == 0xfa ? 4 : 0;
}

/* The bytes between the frame record of the function at entry and its
 * stack pointer at a call it makes, when its prologue at the entry is the
 * usual one: [endbr64] push %rbp; mov %rsp,%rbp; its saves (wh_x86_saves).
 * That holds at every call that passes no argument on the stack and
 * follows no alloca.  false for any other prologue (shrink-wrapped,
 * realigned, probed: wh_x86_allocates_more). */
static inline bool wh_arch_fixed_frame(uintptr_t entry, uintptr_t size, uintptr_t *below) {
    const unsigned char *c = (const unsigned char *)entry;
    uintptr_t p = wh_x86_after_endbr(c, size), sub, ends[17];
    uint32_t k;
    if (size < p + 4 || c[p] != 0x55 || c[p + 1] != 0x48 || c[p + 2] != 0x89 || c[p + 3] != 0xe5)
        return false;
    wh_x86_saves_at(c, p + 4, size, &k, &sub, ends);
    if (wh_x86_allocates_more(c, ends[k], size))
        return false;
    *below = 8 * (uintptr_t)k + sub;
    return true;
}

/* An instruction that sets up a frame pointer, `mov %rsp,%rbp`, at c,
 * after a `push %rbp` among the 15 bytes before it (GCC schedules other
 * instructions between them: crtstuff's __do_global_dtors_aux), of which
 * `before` can be read (a function of code without records keeps a frame
 * pointer: unwind.c, may_keep_fp); instructions start at any byte.  The
 * push too: the three bytes of the mov alone in a constant (0xe58948)
 * answered for a function without a frame pointer (helper-121). */
#define WH_ARCH_FP_SETUP_LEN 3u
#define WH_ARCH_INSN_ALIGN 1u
static inline bool wh_arch_fp_setup_at(const unsigned char *c, uintptr_t before) {
    if (c[0] != 0x48 || c[1] != 0x89 || c[2] != 0xe5)
        return false;
    for (uintptr_t k = 1; k <= before && k <= 15; k++)
        if (c[-(intptr_t)k] == 0x55)
            return true;
    return false;
}
/* What looks like a function's start at c (endbr64) or its end before the
 * padding that aligns the next one (a ret, then a nop or int3) or the next
 * one itself, or before
 * the stack protector's failure call that GCC places after it (a ret,
 * then a call: the scan went on into the function before, helper-121);
 * those bytes inside another instruction stop a scan early, which makes
 * it stricter, not wrong. */
#define WH_ARCH_BOUNDARY_LEN 4u
static inline bool wh_arch_fn_boundary_at(const unsigned char *c) {
    if (c[0] == 0xf3 && c[1] == 0x0f && c[2] == 0x1e && c[3] == 0xfa)
        return true;
    return c[0] == 0xc3 && (c[1] == 0x90 || c[1] == 0xcc || c[1] == 0xe8 ||
                            (c[1] == 0x0f && c[2] == 0x1f) ||
                            (c[1] == 0x66 && (c[2] == 0x0f || c[2] == 0x2e || c[2] == 0x66)) ||
                            /* a ret, then the next function's first push or
                             * stack allocation with no padding between
                             * (-Os, -falign-functions=1: helper-123) */
                            (c[1] & 0xf8) == 0x50 || (c[1] == 0x41 && (c[2] & 0xf8) == 0x50) ||
                            (c[1] == 0x48 && (c[2] == 0x83 || c[2] == 0x81) && c[3] == 0xec));
}

/* The n bytes at t are a thunk that jumps through a register (a
 * retpoline's, an LVI one's): a direct call of it is an indirect call. */
#define WH_ARCH_THUNK_BYTES 48u
static inline bool wh_arch_is_thunk(const unsigned char *t, size_t n) {
    return wh_x86_thunk_reg(t, n) >= 0;
}

/* The fixed frame below the frame record of a function whose prologue is
 * not at its entry (shrink-wrapped: `push %rbp; mov %rsp,%rbp` and its
 * saves after an early exit), as wh_arch_fixed_frame, in its first 4 KiB.
 * Those four bytes may also lie inside another instruction (a constant):
 * every place they appear must decode to the same frame, the real
 * prologue's among them, or there is no answer. */
static inline bool wh_arch_inner_frame(uintptr_t entry, uintptr_t size, uintptr_t *below) {
    const unsigned char *c = (const unsigned char *)entry;
    uintptr_t n = size < 4096 ? size : 4096, sub, b = 0, ends[17];
    uint32_t k, seen = 0;
    for (uintptr_t i = 1; i + 4 <= n; i++) {
        if (c[i] != 0x55 || c[i + 1] != 0x48 || c[i + 2] != 0x89 || c[i + 3] != 0xe5)
            continue;
        wh_x86_saves_at(c, i + 4, size, &k, &sub, ends);
        if (wh_x86_allocates_more(c, ends[k], size) || (seen++ && b != 8 * (uintptr_t)k + sub))
            return false;
        b = 8 * (uintptr_t)k + sub;
    }
    *below = b;
    return seen != 0;
}

/* Code at c (n bytes) may restore saved registers before a return: a pop
 * right before a ret or a jmp (those bytes inside other instructions say
 * so too, which only makes the caller stricter). */
static inline bool wh_x86_may_restore(const unsigned char *c, uintptr_t n) {
    for (uintptr_t i = 1; i < n; i++) {
        if ((c[i - 1] & 0xf8) != 0x58)
            continue;
        if (c[i] == 0xc3 || c[i] == 0xe9 || c[i] == 0xeb)
            return true;
        uintptr_t z = wh_x86_clearing_len(c + i, n - i); /* (cleared before a ret) */
        if (z && i + z < n && c[i + z] == 0xc3)
            return true;
    }
    return false;
}

/* Where the return address of a function without a frame record (a leaf,
 * or code before a shrink-wrapped prologue) lies above its stack pointer at
 * pc (in off[0]; 1 returned), when its saves are at its entry: inside
 * them, those made before pc; in an epilogue, what it has yet to release;
 * elsewhere, all of them.  0 when pc is inside a save instruction, or on a
 * jmp that may be a tail call's after the restores.  With no
 * save at its entry, the word at the stack pointer, which is the return
 * address before a shrink-wrapped prologue or saves made later in the
 * code; *unsure then says that such code may follow (a prologue, or a
 * restore before a return): the word may be one of the function's own. */
static inline uint32_t wh_arch_leaf_slots(uintptr_t entry, uintptr_t size, uintptr_t pc,
                                          uintptr_t *off, uint32_t max, bool *unsure) {
    const unsigned char *c = (const unsigned char *)entry;
    uintptr_t sub, ends[17], p = wh_x86_after_endbr(c, size), o = pc - entry, left, below;
    uint32_t k;
    *unsure = false;
    if (!max)
        return 0;
    wh_x86_saves_at(c, p, size, &k, &sub, ends);
    if (k == 0 && sub == 0) {
        *unsure = wh_arch_inner_frame(entry, size, &below) || wh_x86_may_restore(c, size);
        off[0] = 0;
        return 1;
    }
    if (o <= p) {
        off[0] = 0;
        return 1;
    }
    if (o < ends[k]) { /* in the prologue: the saves that ended by pc */
        for (uint32_t i = 0; i < k; i++)
            if (ends[i] == o) {
                off[0] = 8 * ((uintptr_t)i + 1);
                return 1;
            }
        return 0;
    }
    int e = o == ends[k] ? 0 : wh_x86_epilogue_left(pc, entry + size, &left);
    if (e < 0)
        return 0;
    off[0] = e ? left : 8 * (uintptr_t)k + sub;
    return 1;
}

/* A function without a frame record whose saves took o bytes of its own
 * stack: its return address, the word above them, and its caller's stack
 * pointer at the call (above that word). */
static inline bool wh_arch_leaf_ra(const struct wh_regs *r, uintptr_t o, uintptr_t *ra,
                                   uintptr_t *S) {
    *S = r->sp + o + 8;
    return wh_safe_read(r->sp + o, ra);
}

/* Bytes a stub is decoded from. */
#define WH_STUB_BYTES 16
/* mold's lazy PLT entry `[endbr64] mov $index, %r11d; jmp *disp32(%rip)`
 * (16 bytes): the offset of its jump, and *index; 0 for another entry. */
static inline size_t wh_x86_mold_plt(const unsigned char *c, uint32_t *index) {
    size_t p = wh_x86_after_endbr(c, WH_STUB_BYTES);
    if (c[p] != 0x41 || c[p + 1] != 0xbb || c[p + 6] != 0xff || c[p + 7] != 0x25)
        return 0;
    memcpy(index, c + p + 2, 4);
    return p + 6;
}

/* A PLT entry `[endbr64] [bnd] jmp *disp32(%rip)` (.plt.sec, .plt.got,
 * .plt; mold's `[endbr64] mov $index, %r11d; jmp *disp32(%rip)`) jumps
 * through a GOT slot; a -fsanitize=cfi jump-table entry `[endbr64] jmp
 * rel32` is padded with int3.  *len: the bytes from pc to the jump's end. */
static inline enum wh_stub wh_arch_stub_target(const unsigned char *c, uintptr_t pc,
                                               uintptr_t *a, uint32_t *len) {
    size_t p = wh_x86_after_endbr(c, WH_STUB_BYTES);
    if (c[p] == 0xe9 && c[p + 5] == 0xcc) { /* CFI jump table: jmp rel32; int3 */
        int32_t rel;
        memcpy(&rel, c + p + 1, 4);
        *a = pc + p + 5 + (uintptr_t)(intptr_t)rel;
        *len = (uint32_t)p + 5;
        return WH_STUB_DIRECT;
    }
    uint32_t index;
    size_t m = wh_x86_mold_plt(c, &index);
    if (m)
        p = m;
    else if (c[p] == 0xf2)
        p++; /* bnd */
    if (c[p] != 0xff || c[p + 1] != 0x25)
        return WH_STUB_NONE;
    int32_t disp;
    memcpy(&disp, c + p + 2, 4);
    *a = pc + p + 6 + (uintptr_t)(intptr_t)disp;
    *len = (uint32_t)p + 6;
    return WH_STUB_GOT;
}

/* The size of a -fsanitize=cfi jump-table entry whose jump ends len bytes
 * after its start: `jmp rel32` and three int3 (8), or with endbr64 padded
 * to 16. */
static inline uint32_t wh_arch_jump_entry_size(uint32_t len) {
    return len <= 8 ? 8 : 16;
}

/* Padding between functions is made of bytes of this unit. */
#define WH_PAD_UNIT 1
/* The byte at a is one that padding between functions is made of: int3,
 * nop and the bytes of the multi-byte nops assemblers and linkers fill
 * with (0f 1f /0 with prefixes 66 and 2e, and their ModRM, SIB and zero
 * displacement bytes), or zero.  None is a call's opcode (e8, ff, 9a), so
 * no call instruction ends in a run of them that follows a whole
 * instruction: no return address points into one. */
static inline bool wh_arch_is_pad(uintptr_t a) {
    switch (*(const unsigned char *)a) {
    case 0x00: case 0x0f: case 0x1f: case 0x2e: case 0x40: case 0x44:
    case 0x66: case 0x80: case 0x84: case 0x90: case 0xcc:
        return true;
    default:
        return false;
    }
}

#endif /* WHENCE_RUNTIME_ARCH_X86_64_H */
