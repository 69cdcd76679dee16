/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * arch.h - what the .eh_frame unwinder needs to know about the machine:
 * the DWARF register numbers it tracks and which of them are the stack
 * pointer, the frame pointer and the return-address column.  Everything
 * else in runtime/unwind/ is architecture-neutral; another target (aarch64:
 * x29, sp = 31, ra = x30) adds its block here.
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
#else
#error "runtime/unwind: no register description for this architecture"
#endif

#endif /* WHENCE_RUNTIME_UNWIND_ARCH_H */
