/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * cfi.h - whence's own .eh_frame unwinder.
 *
 * Where the frame-pointer walk meets code that keeps no frame pointer
 * (glibc's qsort calling an instrumented comparator), the stack is stepped
 * with the call-frame information the images carry: the FDE covering the
 * pc is found through the image's .eh_frame_hdr, its CIE and FDE programs
 * are run up to the pc, and the row they give recovers the caller's stack
 * pointer, return address and callee-saved registers.  Unlike libgcc's
 * _Unwind_Backtrace it starts from any register state (the one the FP walk
 * holds where it broke) and needs no CFI for the instrumented frames.
 *
 * Two layers:
 *   ehframe.c  parsing and interpreting CIE/FDE records held in memory the
 *              caller declared readable (pure: no system calls; the unit
 *              tests and fuzzers feed it hand-built bytes);
 *   unwind.c   finding an image's .eh_frame_hdr and segments
 *              (_dl_find_object, or dl_iterate_phdr outside signal context)
 *              and stepping a register state to its caller.
 * Async-signal-safe, allocation-free, bounded: every byte read is checked
 * against the image's readable segments (or, for the stack, against the
 * frame's bounds), unsupported opcodes (DW_CFA_def_cfa_expression, ...) and
 * malformed data end the walk cleanly.
 */
#ifndef WHENCE_RUNTIME_UNWIND_CFI_H
#define WHENCE_RUNTIME_UNWIND_CFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"

/* Outcomes of parsing, interpreting and stepping. */
enum {
    WH_CFI_OK = 0,
    WH_CFI_BAD,     /* malformed or out-of-bounds data */
    WH_CFI_UNSUP,   /* a construct this unwinder does not interpret */
    WH_CFI_NOFDE,   /* no FDE covers the pc */
    WH_CFI_STOPPED, /* no FDE covers the pc, and the frame record at the
                       frame pointer cannot be shown to lead to its caller:
                       the stack goes on, nothing says where */
    WH_CFI_END,     /* the return address is undefined: the stack's bottom */
    WH_CFI_FAR,     /* the CFA is not above the frame's stack pointer on the
                       same stack: a switch of stacks, or a damaged one */
};

/* Address ranges that may be read (an image's readable PT_LOADs). */
#define WH_CFI_MAXSEG 16
struct wh_cfi_mem {
    uint32_t n;
    uintptr_t lo[WH_CFI_MAXSEG], hi[WH_CFI_MAXSEG];
};
bool wh_cfi_readable(const struct wh_cfi_mem *m, uintptr_t p, size_t n);
/* The end of the readable range holding p (0 if none). */
uintptr_t wh_cfi_range_end(const struct wh_cfi_mem *m, uintptr_t p);

/* A parsed FDE with what its CIE says. */
struct wh_cfi_fde {
    uintptr_t pc_begin, pc_end;
    const uint8_t *ins, *ins_end;          /* the FDE's instructions */
    const uint8_t *cie_ins, *cie_ins_end;  /* the CIE's initial instructions */
    uint64_t code_align;
    int64_t data_align;
    uint32_t ra_reg;
    bool signal_frame;                     /* augmentation 'S' */
};

/* Parses the FDE whose length word is at fde; dbase is the base of
 * DW_EH_PE_datarel pointers (the .eh_frame_hdr's address). */
int wh_cfi_parse_fde(const struct wh_cfi_mem *m, uintptr_t fde, uintptr_t dbase,
                     struct wh_cfi_fde *out);

/* The unwind row at one pc. */
enum { WH_RULE_SAME = 0, WH_RULE_UNDEF, WH_RULE_OFFSET, WH_RULE_VAL_OFFSET, WH_RULE_REG,
       WH_RULE_UNSUP };
struct wh_cfi_rule {
    uint8_t kind, reg;
    int32_t off;   /* larger offsets are rejected as malformed */
};
struct wh_cfi_row {
    uint32_t ra_reg;       /* the FDE's return-address column */
    bool signal_frame;     /* the FDE's CIE has augmentation 'S' */
    uint32_t cfa_reg;
    int64_t cfa_off;
    /* A CFA given by DW_CFA_def_cfa_expression (PLT entries): the
     * expression's bytes, or NULL. */
    const uint8_t *cfa_expr, *cfa_expr_end;
    struct wh_cfi_rule r[WH_UW_NREGS];
};
/* Runs the CIE's and then the FDE's program while the location is <= pc. */
int wh_cfi_row_at(const struct wh_cfi_fde *f, uintptr_t pc, struct wh_cfi_row *row);

/* Reads size (1 to 8) bytes at a for a DWARF expression's deref, zero-
 * extended; false where the caller does not let it read. */
typedef bool (*wh_cfi_deref)(void *ctx, uintptr_t a, unsigned size, uintptr_t *out);

/* Evaluates a DWARF expression of the kinds compilers and assemblers give a
 * CFA by (register + constant, bit operations, comparisons: PLT entries;
 * a load of a saved stack pointer, DW_OP_deref or deref_size: OpenSSL's
 * hand-written functions that realign their stack) with the registers
 * known in regs[] (bit i of known), memory read through deref (NULL: no
 * reads).  False when it uses anything else. */
bool wh_cfi_eval(const uint8_t *p, const uint8_t *end, const uintptr_t *regs, wh_uw_mask known,
                 wh_cfi_deref deref, void *ctx, uintptr_t *out);

/* Looks pc up in a binary-search table of .eh_frame_hdr at hdr, with the
 * FDEs in readable memory m; on success *out covers pc. */
int wh_cfi_find_fde(const struct wh_cfi_mem *m, uintptr_t hdr, uintptr_t pc,
                    struct wh_cfi_fde *out);

/* ---- stepping (unwind.c) -------------------------------------------------- */
struct wh_uw_regs {
    uintptr_t v[WH_UW_NREGS];  /* v[WH_UW_RA] is the frame's pc */
    wh_uw_mask known;          /* bit i: v[i] is valid */
};
#define WH_UW_KNOWN(r, i) (((r)->known >> (i)) & 1u)

/* A frame the walk reached: exact when its pc is an interrupted
 * instruction rather than a return address.  Returns true to go on. */
typedef bool (*wh_uw_visit_fn)(void *ctx, const struct wh_uw_regs *r, bool exact);

/* Visits the frame r describes, steps to its caller, visits that, ... for
 * at most max frames.  Returns WH_CFI_OK when the visitor stopped, else
 * why the walk ended (WH_CFI_END at the bottom of the stack). */
int wh_uw_walk(struct wh_uw_regs *r, bool exact, bool in_signal, uint32_t max,
               wh_uw_visit_fn visit, void *ctx);

/* The registers of an interrupted context at (its ucontext's, when it has
 * one), its pc in the return address's column: where an exact walk
 * starts (capture.c). */
struct wh_regs;
void wh_uw_regs_interrupted(const struct wh_regs *at, struct wh_uw_regs *r);

/* The len bytes at pc (code or data) lie in a readable segment of some
 * loaded object (true when that cannot be asked without the loader's
 * lock: then the caller trusts pc as the frame pointer walk trusts a
 * return address). */
bool wh_uw_readable(uintptr_t pc, size_t len);
/* pc is no code: in no loaded object, in none of its segments, or in one
 * that is not executable (an image's data; an execute-only segment is
 * code): where a call through a bad pointer may jump. */
bool wh_uw_no_code(uintptr_t pc);
/* pc lies in a loaded object but in none of its executable segments (its
 * data, a gap): no return address is there.  (One outside every object
 * may be a JIT's code.) */
bool wh_uw_object_data(uintptr_t pc);
/* pc is in the C library's own object (libc.so.6): where code without
 * unwind tables is the start of a context (makecontext's __start_context
 * below a fiber's first frame), not a frame that hides its caller. */
bool wh_uw_in_libc(uintptr_t pc);
/* Return address ra is the bottom of a Boost.Context fiber's stack
 * (make_fcontext's end, pushed by hand: no call made it). */
bool wh_uw_context_finish(uintptr_t ra);
/* pc is in the dynamic loader's own object (ld.so): its start code
 * (_dl_start_user, which runs the initializers at start) and the frames
 * between it and an initializer (_dl_init, call_init) are start code, as
 * the C library's below main are. */
bool wh_uw_in_loader(uintptr_t pc);
/* pc is in libwhence.so's own code (not a program that linked libwhence.a):
 * its wh_thread_start lies below the start routine of every thread it
 * starts, start code as start_thread is. */
bool wh_uw_in_self(uintptr_t pc);
/* pc (ra: a return address, after a call) lies in mapped memory outside
 * every loaded object: code a JIT compiled, or a jump to a bad address.
 * False where the loader cannot be asked without its lock, nothing is
 * mapped there, or a return address follows no call (the unwinder read
 * past a stack's bottom). */
bool wh_uw_outside_objects(uintptr_t pc, bool ra);
/* The loaded object holding pc has no .eh_frame_hdr (no PT_GNU_EH_FRAME),
 * the index this unwinder finds an FDE by: linked without --eh-frame-hdr
 * (gcc's driver passes none for -static; -Wl,--no-eh-frame-hdr), so its
 * .eh_frame, if it has one, is never read.  False when the object is not
 * found, or cannot be asked without the loader's lock (in_signal without
 * _dl_find_object). */
bool wh_uw_no_index(uintptr_t pc, bool in_signal);
/* The range of the FDE that covers pc: 1 with [*lo, *hi), 0 when none
 * does (its object has an index), -1 when that cannot be told. */
int wh_uw_fde_span(uintptr_t pc, bool in_signal, uintptr_t *lo, uintptr_t *hi);
/* The function the call ending at ra (n bytes of code before it) entered,
 * where its code says: a direct call, or through one GOT slot or PLT stub
 * (bound: a function that runs was bound before it was entered).  1 with
 * *t; 0 for a call through a register (or no call); -1 when a slot cannot
 * be read. */
int wh_uw_call_target(uintptr_t ra, uint32_t n, uintptr_t *t);

#endif /* WHENCE_RUNTIME_UNWIND_CFI_H */
