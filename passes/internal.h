/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * internal.h - declarations shared by the C files of the pass (not by the
 * shim).  The pass works in two phases so that a module it cannot handle is
 * left untouched: a planning phase that only reads IR and fills a struct
 * wp_table (records.c), and a mutation phase that cannot fail.
 */
#ifndef WHENCE_PASS_INTERNAL_H
#define WHENCE_PASS_INTERNAL_H

#include "whence_abi.h"
#include "whence_pass.h"

#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Target.h>
#include <stddef.h>
#include <stdint.h>

/* ---- small containers (records.c) ---------------------------------------- */

/* Grow *p (an array of *cap elements of size elsz) to hold need elements.
 * Returns 0 on success, -1 when out of memory (the array is unchanged). */
int wp_grow(void **p, uint32_t *cap, uint32_t need, size_t elsz);

/* Open-addressing map from a non-zero pointer-sized key to a uint32_t. */
struct wp_map {
  uintptr_t *keys;
  uint32_t *vals;
  uint32_t cap; /* power of two, or 0 */
  uint32_t n;
};
/* Value for key, or UINT32_MAX when absent. */
uint32_t wp_map_get(const struct wp_map *m, uintptr_t key);
int wp_map_put(struct wp_map *m, uintptr_t key, uint32_t val);
void wp_map_free(struct wp_map *m);

/* ---- the per-module table being planned (records.c) ---------------------- */

/* Subprogs and locs as planned, unpacked (whence_abi.h packs them). */
struct wp_sub {
  uint32_t name; /* string offset */
  uint32_t file; /* 0, or 1 + index into the table's files */
  uint32_t line;
  uint32_t qualified; /* name is a demangled C++ name (names.c) */
};
struct wp_loc {
  uint32_t subprog, line, column;
  uint32_t file;   /* 0: the subprog's, else 1 + index into the files */
  uint32_t parent; /* 1 + index, 0 for none */
};

struct wp_table {
  LLVMContextRef ctx;
  struct wp_sub *sub;
  uint32_t nsub, capsub;
  struct wp_loc *loc;
  uint32_t nloc, caploc;
  char *str; /* string pool; offset 0 is "" */
  uint32_t nstr, capstr;
  struct wp_map submap; /* DISubprogram, or tagged Function -> subprog */
  struct wp_map locmap; /* DILocation, or tagged Function -> loc */
  struct wp_map strmap; /* string hash -> 1 + offset (chained by probing) */
  uint32_t *files;      /* string offsets of the files subprogs and locs name */
  uint32_t nfiles, capfiles;
  struct wp_map filemap; /* 1 + string offset -> 1 + index into files */
  uint32_t module_name; /* string offset */
  int oom;              /* set once any allocation failed */
  struct wp_names {     /* what names.c knows of the module (wp_names_load) */
    struct wp_lambda {  /* "f::$_0" -> "f::{lambda(int)}" (clang's lambdas) */
      char *key, *val;
      LLVMMetadataRef cu;   /* its compile unit (NULL: unknown) */
    } *lambdas;
    uint32_t nlambdas, caplambdas;
  } names;
};

void wp_table_init(struct wp_table *t, LLVMContextRef ctx);
void wp_table_free(struct wp_table *t);
uint32_t wp_intern(struct wp_table *t, const char *s, size_t len);

/* The module's name in its table: its first compile unit's file as the
 * (prefix-mapped) debug info spells it, else the source file's base name. */
uint32_t wp_module_name(struct wp_table *t, LLVMModuleRef M);

/* Subprog of a defined function (its DISubprogram, or its IR name when it
 * has none). */
uint32_t wp_subprog_for_function(struct wp_table *t, LLVMValueRef F);
/* Subprogs for functions inlined into F without a loc of their own. */
void wp_inlined_starts(struct wp_table *t, LLVMValueRef F);

/* Loc of a call whose DILocation is L (NULL: none) in function F whose
 * subprog is fn_sub.  Memoized on L; inlinedAt chains become parent links. */
uint32_t wp_loc_for(struct wp_table *t, LLVMMetadataRef L, LLVMValueRef F,
                    uint32_t fn_sub);

/* Site word (whence_abi.h) of a call at L in F: a flat position when
 * flat_ok and the call is F's own (not inlined, F's file, in range), else
 * a loc index as wp_loc_for gives. */
uint32_t wp_site_word(struct wp_table *t, LLVMMetadataRef L, LLVMValueRef F,
                      uint32_t fn_sub, int flat_ok);
/* FNV-1a 64 over every instrumented function's name and every defined non-private variable's
 * (NUL separated), the function count and the
 * serialized table (its key field still 0), folded to WHENCE_KEY_MASK:
 * two modules of one image share a key only when their tables are
 * identical or by a 2^-40 chance (the runtime reports that). */
uint64_t wp_module_key(LLVMModuleRef M, LLVMValueRef *fns, uint32_t nfns,
                       const unsigned char *table, uint32_t size);
/* Store key into a serialized table's header. */
void wp_table_set_key(unsigned char *table, uint64_t key);

/* Non-zero when every subprog and loc index fits its packed field. */
int wp_table_fits(const struct wp_table *t);
/* Serialize the table (whence_abi.h layout).  Returns a malloc'ed buffer
 * of *size bytes (a multiple of 8), or NULL when out of memory or too big. */
unsigned char *wp_table_bytes(const struct wp_table *t, uint64_t key,
                              uint32_t flags, uint32_t *size);

/* Add the serialized table to M as a private constant in WHENCE_SECT_MOD.
 * Returns the global (the caller puts it in llvm.used). */
LLVMValueRef wp_emit_table(LLVMModuleRef M, const unsigned char *bytes,
                           uint32_t size);

/* ---- function names (names.c) -------------------------------------------- */

/* The qualified, demangled name of a C++ function without return type and
 * parameter list, from its linkage name; malloc'ed, NULL when the name is
 * not a mangled C++ function name (or on out of memory).  nm (may be NULL)
 * names the module's clang lambdas. */
char *wp_cxx_name(const char *linkage, size_t len, const struct wp_names *nm,
                  LLVMMetadataRef cu);
/* What names.c needs to know of M: the parameters of its clang lambdas
 * (its functions', those inlined into them, those whence_note_names
 * noted).  Failure leaves less readable names, never an error. */
void wp_names_load(struct wp_table *t, LLVMModuleRef M);
void wp_names_free(struct wp_names *nm);
/* String offset of the name of subprogram sp (may be NULL) of function F
 * (may be NULL): the demangled name of its linkage name (the
 * subprogram's, F's, or the one noted before inlining) for C++, else its
 * debug-info name, else F's name.  *qualified says which.  0: none. */
uint32_t wp_subprog_name(struct wp_table *t, LLVMMetadataRef sp, LLVMValueRef F,
                         int *qualified);

/* ---- self-exclusion (skip.c) --------------------------------------------- */

/* Non-zero when F must not be instrumented at all. */
int wp_skip_function(LLVMValueRef F);
/* Non-zero when a name carries WHENCE_RESERVED_PREFIX. */
int wp_is_reserved_name(const char *name, size_t len);

/* ---- per-function instrumentation (instrument.c) ------------------------- */

struct wp_site {
  LLVMValueRef call; /* call/invoke/callbr (or an instruction that may become
                        a library call) to put a label before */
  uint32_t loc;      /* site word (a loc index where slots need one) */
};

/* Non-zero when a site label may be put in F (no funclet EH pads). */
int wp_function_allows_sites(LLVMValueRef F);
/* Non-zero when instruction I gets a site label (or slot store): a call,
 * or what code generation may turn into one. */
int wp_is_site_call(LLVMValueRef I);
/* libcalls.c: code generation may make a library call of I (not a call),
 * or of the intrinsic call I of callee name (len bytes). */
int wp_instruction_may_call(LLVMValueRef I);
/* Inline asm (callee of call I) that makes a call: asmcalls.c. */
int wp_asm_may_call(LLVMValueRef I, LLVMValueRef callee);
int wp_intrinsic_may_call(LLVMValueRef I, const char *name, size_t len);
/* tls.c: I is an llvm.threadlocal.address that code generation makes a
 * call (general- or local-dynamic model). */
int wp_tls_access_calls(LLVMValueRef I);
/* Thread-local variables that fns (of M) reach without
 * llvm.threadlocal.address, where code generation makes a call of it: each
 * such operand becomes the intrinsic's result, a site like clang's own. */
void wp_tls_direct_accesses(LLVMModuleRef M, LLVMValueRef *fns, uint32_t nfns);
/* Ends I's block before I with a callbr of as(args) (fty) to the rest,
 * from I on; returns the callbr.  The builder is left before I. */
LLVMValueRef wp_tls_fence_before(LLVMBuilderRef B, LLVMValueRef I, LLVMTypeRef fty,
                                 LLVMValueRef as, LLVMValueRef *args, unsigned nargs);
/* I's value, for all its users, through an empty asm that clobbers memory. */
void wp_tls_fence_after(LLVMBuilderRef B, LLVMValueRef I);

/* Attributes and the whence_fn record of one function.  keep_tail_calls:
 * leave tail calls as the optimizer made them (full-debug modules). */
void wp_instrument_function(LLVMValueRef F, uint64_t key, uint32_t subprog,
                            int keep_tail_calls);
/* F's whence_fn record (function-level !pcsections), after any
 * !pcsections already there. */
void wp_attach_fn_record(LLVMValueRef F, uint64_t key, uint32_t subprog);
/* Memory operations with a debug location get line records. */
int wp_is_line_inst(LLVMValueRef I);
void wp_attach_line(LLVMValueRef I, uint32_t loc);
/* A module instrumented before an LTO link names each site's loc by its
 * address (whence_abi.h, WHENCE_MOD_PRELINK): its table and where the locs
 * are in it. */
struct wp_locref {
  LLVMValueRef table;
  uint32_t loc_off, loc_size;
};
/* The site label before one call (F is the call's function; n the site's
 * index in the module; tie_to_function: no inlining can follow, so its
 * record may be tied to F's symbol rather than to its own label; unfold:
 * the module table, for one site of F, whose code then refers to it at
 * F's subprog so that identical code folding leaves F alone; lr: before an
 * LTO link, where its loc is). */
void wp_insert_site(LLVMBuilderRef B, LLVMValueRef F, const struct wp_site *s, uint32_t n,
                    int tie_to_function, int apart, LLVMValueRef unfold, uint32_t subprog,
                    const struct wp_locref *lr);
/* I becomes a library call chained to nothing whose first operand can go
 * through an asm (and so be ordered after it): the asm's register
 * constraint ("x", "w"), else NULL. */
const char *wp_through_label(LLVMValueRef I);
/* The value that goes into that asm, and I's operand made of what it gives
 * back (at the builder's position, before I). */
LLVMValueRef wp_through_in(LLVMBuilderRef B, LLVMValueRef I);
void wp_through_out(LLVMBuilderRef B, LLVMValueRef I, LLVMValueRef out);
/* An empty asm at the builder that hands x back in a register (constraint
 * reg) and clobbers memory, nounwind: its call, x's new value. */
LLVMValueRef wp_empty_asm(LLVMBuilderRef B, LLVMValueRef x, const char *reg, int side_effects);
/* I's other half operands, each through an empty asm of its own. */
void wp_through_rest(LLVMBuilderRef B, LLVMValueRef I);
/* I's value, for all its users, through an empty asm that clobbers memory
 * (the call comes before the next label or slot store). */
void wp_through_after(LLVMBuilderRef B, LLVMValueRef I);
/* A function instrumented for good, with labels or a slot for its calls,
 * is never inlined later: its labels and slot describe its own frame.  No
 * inlining follows the pass in a compile; a module whose IR is written out
 * and optimized again (-emit-llvm, then llvm-link and -O2: wllvm, gllvm,
 * KLEE's whole-program bitcode) would otherwise carry the labels into
 * another function's code, naming a symbol that may come later in the
 * assembly ("linked-to symbol is not in a section"). */
void wp_keep_out_of_line(LLVMValueRef F);

/* apart[i]: what keeps branch folding from merging the call of site i of
 * one function's n with another (prelink: a module compiled for LTO). */
enum wp_apart {
  WP_APART_NONE,   /* nothing needed */
  WP_APART_ASM,    /* an empty asm after it (a call code generation makes) */
  WP_APART_NOMERGE /* `nomerge` on the IR call */
};
void wp_sites_apart(const struct wp_site *s, uint32_t n, int prelink, unsigned char *apart);

/* ---- split code layouts (split.c) ------------------------------------------ */

/* The module's end markers: functions with a fence record, after every
 * function of the module, one per group of FDEs the assembler makes (so
 * the runtime can tell which FDEs are fragments of which function): at
 * most max of them, in out.  The caller puts them in llvm.used. */
#define WP_MAX_END_MARKERS 8
uint32_t wp_split_end_markers(LLVMModuleRef M, uint64_t key, LLVMValueRef *out, uint32_t max);
/* Fence records on the module's other bodies, and no machine outlining of
 * the fns[] instrumented with key.  Call after wp_emit_ctors (its functions
 * get fences too). */
void wp_split_module(LLVMModuleRef M, uint64_t key, LLVMValueRef *fns, uint32_t nfns);

/* reserve.c: the module's room for the post-link lookup table (whence_abi.h,
 * whence_tab), sized from its function bodies (call last), its nsites site
 * labels and its subprogs when it has frame slots; and taking a pre-link
 * room out again (LTO). */
void wp_reserve_table(LLVMModuleRef M, uint32_t nsites, uint32_t nslot_subprogs);
void wp_unreserve_table(LLVMModuleRef M);

/* ---- instrumenting once under LTO (lto.c) ---------------------------------- */

/* Values of the WHENCE_DONE_FLAG module flag (absent: NONE). */
#define WHENCE_DONE_NONE    0u /* not instrumented, or taken out again */
#define WHENCE_DONE_FINAL   1u /* instrumented for good */
#define WHENCE_DONE_PRELINK 2u /* instrumented before an LTO link */
uint64_t wp_done_state(LLVMModuleRef M);
void wp_set_done_state(LLVMModuleRef M, uint64_t state);
/* Before a pre-link instrumentation: what the functions hold; after it:
 * !whence.inserted on everything the pass added (NULL: out of memory). */
struct wp_lto_snap;
struct wp_lto_snap *wp_lto_snapshot(LLVMValueRef *fns, uint32_t nfns);
void wp_lto_tag_inserted(struct wp_lto_snap *s);
void wp_lto_snapshot_free(struct wp_lto_snap *s);
/* A site call of a module instrumented before an LTO link: nomerge (lto.c),
 * which an LTO backend that instruments again takes off. */
void wp_lto_nomerge(LLVMValueRef call);
void wp_lto_noinline(LLVMValueRef fn);
/* A global only llvm.used refers to, made non-local for ThinLTO importing
 * (hidden weak_odr, the key in its name). */
void wp_lto_unlocalize(LLVMValueRef G, uint64_t key);

/* ---- frame slots (slots.c) -------------------------------------------------- */

/* Metadata kind marking the slot alloca: its stores are read by the
 * runtime, not by the program, so liveness clearing must leave it alone. */
#define WP_SLOT_MD "whence.slot"
int wp_is_slot_alloca(LLVMValueRef I);

/* The frame slot of F: calls are F's site calls with their locs (indices
 * into the module table's whence_loc array); key is the module's key, whose
 * WHENCE_SLOT_TAG marks the slot.  Optimizations may still follow (an LTO
 * link, IR written out and optimized again), which must not split the
 * slot.  1 when F got one (0: no call keeps the frame). */
int wp_insert_slots(LLVMModuleRef M, LLVMBuilderRef B, LLVMValueRef F,
                    const struct wp_site *calls, uint32_t ncalls, uint64_t key);

/* ---- stack-liveness clearing (liveness*.c) -------------------------------- */

/* Non-zero when M references the finalizer API (liveness=auto turns the
 * clearing on there only). */
int wp_module_uses_finalizers(LLVMModuleRef M);
/* The liveness option resolved: the pass parameter, else WHENCE_LIVENESS
 * (0, 1, strict, auto), else the module.  WHENCE_OFF, WHENCE_ON or
 * WHENCE_STRICT. */
int wp_liveness_mode(LLVMModuleRef M, int opt);
/* Volatile zero-stores into provably dead stack words of the functions fns
 * that may hold pointers (docs/LIVENESS.md), and the register and
 * spill-slot roots of those that call whence_gc (WHENCE_ON) or can reach it
 * (WHENCE_STRICT).  Returns how many clears were planned. */
unsigned wp_liveness_module(LLVMModuleRef M, LLVMValueRef *fns, uint32_t nfns, int mode);

/* ---- module constructor and appending arrays (ctors.c) ------------------- */

/* 0 when llvm.global_ctors, llvm.global_dtors and llvm.used are absent or
 * have a shape this pass can merge with and the names it must create are
 * free; else -1 with a reason in why. */
int wp_ctors_check(LLVMModuleRef M, char *why, size_t whylen);
/* Append vals to llvm.used (created when absent). */
void wp_append_used(LLVMModuleRef M, LLVMValueRef *vals, unsigned n);
/* The per-image register/unregister constructor pair; with the module's
 * table (a final, not a pre-link, instrumentation) the empty sections that
 * define every bound in the image. */
void wp_emit_ctors(LLVMModuleRef M, LLVMValueRef table);

#endif /* WHENCE_PASS_INTERNAL_H */
