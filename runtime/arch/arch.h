/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * arch.h - what the runtime reads differently on each architecture it
 * supports (x86-64 and AArch64 Linux): return addresses in frame records,
 * the registers of an interrupted context, the signal return trampoline
 * and its frame, a function's prologue and epilogue around an interrupted
 * pc, the call instruction before a return address, PLT stubs and CFI
 * jump-table entries.  Everything else (records, lookups, the walk itself)
 * is shared: both keep frame records as {previous frame pointer, return
 * address} pairs at the frame pointer, so [fp] and [fp+8] mean the same.
 *
 * Each architecture's header defines, as static inline functions (they sit
 * on the capture fast paths):
 *
 *   WH_DWARF_FP                     DWARF number of the frame pointer
 *   wh_strip_ra(ra)                 a return address as a code address
 *   wh_regs_of(uc, regs)            pc, fp, sp (and lr) of a ucontext_t
 *   wh_arch_is_sigreturn(ra)        ra is the signal return trampoline (reads the
 *                                   WH_ARCH_SIGRETURN_LEN bytes at ra), whose
 *                                   system call is at WH_ARCH_SIGRETURN_SYSCALL
 *   wh_arch_sigframe(fp, regs)      the interrupted registers, from the
 *                                   handler's frame fp (whose ra that is)
 *   wh_arch_sigframe_at(sp, regs)   the same from the handler's CFA (the
 *                                   stack pointer the .eh_frame unwinder
 *                                   gives the trampoline's frame)
 *   wh_arch_frame_cfa(e, n, fp, &c) the CFA of the frame whose record is
 *                                   at fp, in the function [e, e + n):
 *                                   where the unwinder starts the foreign
 *                                   code that called it
 *   wh_arch_where(...)              where an interrupted function's caller
 *                                   continues (enum wh_where)
 *   wh_arch_thunk_ra(regs, &ra, &S) the pc is in a thunk past a call of its
 *                                   own: its caller's return address
 *   wh_arch_tail_jump(e, n, pc)     the pc is on a tail call's jump after
 *                                   the epilogue: its target, 1 if unknown
 *   wh_arch_after_call(end, size)   the function's code ends with a call
 *   wh_arch_call_target(e, n, &a)   the callee (or the GOT slot) of the call
 *                                   ending at e
 *   wh_arch_morestack_call(ra, n)   the call ending at ra is a -fsplit-stack
 *                                   prologue's call of __morestack
 *   wh_arch_frame_set_up(e, ra)     the function at e pushed its frame record
 *                                   before the call that returns to ra
 *   wh_arch_fp_setup_at(c, before)  the instruction at c sets up a frame
 *                                   pointer (WH_ARCH_FP_SETUP_LEN bytes,
 *                                   at WH_ARCH_INSN_ALIGN; `before` bytes
 *                                   before c readable)
 *   wh_arch_fn_boundary_at(c)       c looks like a function's start or
 *                                   the end before its padding
 *   wh_arch_stub_target(c, pc, &a, &len)  a PLT stub or CFI jump-table
 *                                   entry at pc (its first WH_STUB_BYTES
 *                                   bytes c), its jump ending len bytes on
 *   wh_arch_jump_entry_size(len)    the size of a CFI jump-table entry
 *   WH_ARCH_RA_CFA_EXACT            WH_AT_RA's S is the unwinder's CFA
 *   WH_PAD_UNIT, wh_arch_is_pad(a)  the unit at a is padding between
 *                                   functions (no return address in it)
 *
 * Any other target stops the build here with one message.
 */
#ifndef WHENCE_RUNTIME_ARCH_H
#define WHENCE_RUNTIME_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* The registers a walk starts from at an interrupted pc.  lr: AArch64's
 * link register (the return address until the frame record is written,
 * and again after it is restored); 0 on x86-64.  uc: the interrupted
 * context they were read from (a ucontext_t on the stack, valid while the
 * walk runs), whose other registers the .eh_frame unwinder needs where a
 * foreign function's CFA is not its stack or frame pointer (the dynamic
 * linker's lazy binding keeps it in %rbx); NULL when the walk did not
 * start from one. */
struct wh_regs {
    uintptr_t pc, fp, sp, lr;
    const void *uc;
};

/* Where an interrupted function's caller continues (wh_arch_where). */
enum wh_where {
    WH_AT_FRAME, /* the frame is set up: regs->fp is its frame pointer */
    WH_AT_RA,    /* not (or no longer) set up: *ra is the return address,
                    regs->fp still the caller's frame pointer, *S a lower
                    bound of the caller's stack pointer at the call */
    WH_AT_CFI,   /* where the return address is, only the CFI knows */
    WH_AT_NONE,  /* nothing usable: the walk is over */
};

/* What a stub decodes to (wh_arch_stub_target). */
enum wh_stub { WH_STUB_NONE, WH_STUB_GOT /* *a: the GOT slot it jumps through */,
               WH_STUB_DIRECT /* *a: the function it jumps to */ };

/* Copies the n bytes at a, or false where nothing is mapped: process_vm_readv
 * on this process faults on nothing (async-signal-safe), for the few reads
 * of memory no walk has proved (a damaged frame record, a call's operand). */
static inline bool wh_safe_copy(void *dst, uintptr_t a, size_t n) {
    struct iovec l = {dst, n}, r = {(void *)a, n};
    return syscall(SYS_process_vm_readv, getpid(), &l, 1UL, &r, 1UL, 0UL) == (long)n;
}

/* The 8 bytes at a (wh_safe_copy). */
static inline bool wh_safe_read(uintptr_t a, uintptr_t *v) {
    return wh_safe_copy(v, a, sizeof *v);
}

#if defined(__x86_64__)
#include "arch/x86_64.h"
#elif defined(__aarch64__) && defined(__LP64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#include "arch/aarch64.h"
#else
#error "whence: the runtime supports x86-64 and AArch64 (little-endian, LP64) Linux only"
#endif

#endif /* WHENCE_RUNTIME_ARCH_H */
