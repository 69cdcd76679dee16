/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * arch.h - what the .eh_frame unwinder needs to know about the machine:
 * the DWARF register numbers it tracks and which of them are the stack
 * pointer, the frame pointer and the column that holds a frame's pc.
 * Everything else in runtime/unwind/ is architecture-neutral.
 *
 * On x86-64 the CIE's return-address column (16) is a column of its own,
 * so it doubles as the pc.  On AArch64 the return address is a register,
 * x30 (the link register, WH_UW_LR), whose value at an interrupted pc is
 * not that pc: the pc gets a column of its own past the registers (32,
 * DWARF's number for the PC).  AArch64 return addresses may carry a pointer
 * authentication code (pac-ret): steps strip it (WH_UW_STRIP), and the
 * CFA instruction that flips the signing state (DW_CFA_AARCH64_negate_ra_state)
 * is accepted (WH_UW_NEGATE_RA_STATE) and changes nothing else.
 */
#ifndef WHENCE_RUNTIME_UNWIND_ARCH_H
#define WHENCE_RUNTIME_UNWIND_ARCH_H

#if defined(__x86_64__)
/* DWARF numbering of the x86-64 psABI: 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi,
 * 5 rdi, 6 rbp, 7 rsp, 8..15 r8..r15, 16 the return address. */
#define WH_UW_NREGS 17
#define WH_UW_FP    6
#define WH_UW_SP    7
#define WH_UW_RA    16
#define WH_UW_STRIP(ra) (ra)
#elif defined(__aarch64__)
/* x0..x30, 31 sp, 32 the pc. */
#define WH_UW_NREGS 33
#define WH_UW_FP    29
#define WH_UW_LR    30
#define WH_UW_SP    31
#define WH_UW_RA    32
#define WH_UW_NEGATE_RA_STATE 0x2d
#define WH_UW_STRIP(ra) wh_uw_strip(ra)
/* XPACLRI (hint #7, a NOP without FEAT_PAuth) works on x30 only. */
static inline __attribute__((always_inline)) unsigned long wh_uw_strip(unsigned long ra) {
    register unsigned long lr __asm__("x30") = ra;
    __asm__("hint #7" : "+r"(lr));
    return lr;
}
#else
#error "runtime/unwind: no register description for this architecture"
#endif

/* One bit per tracked register (more than 32 on AArch64). */
typedef unsigned long long wh_uw_mask;
#define WH_UW_BIT(i) ((wh_uw_mask)1 << (i))

#endif /* WHENCE_RUNTIME_UNWIND_ARCH_H */
