/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * liveness.h - shared by the stack-liveness clearing files (liveness*.c,
 * docs/LIVENESS.md): the module and function contexts, the tracking of every
 * pointer derived from one stack object, the per-unit liveness and the
 * clears planned from it.
 *
 * The files, one rule each:
 *   liveness.c         driver: modes, which functions, plan then emit
 *   liveness_cfg.c     blocks, edges, positions
 *   liveness_track.c   derived pointers, holders, non-capturing arguments
 *   liveness_plan.c    units, liveness, where plain and guarded clears go
 *   liveness_emit.c    the clears themselves
 *   liveness_callee.c  a callee clears its caller's dead stack object
 *   liveness_strict.c  strict mode: demotion and register clobbers
 */
#ifndef WHENCE_PASS_LIVENESS_H
#define WHENCE_PASS_LIVENESS_H

#include "internal.h"

/* Access kinds of one instruction to a stack object. */
enum { LV_READ = 1, LV_WRITE = 2, LV_START = 4, LV_END = 8 };

#define LV_UNKNOWN UINT64_MAX
#define LV_MAX_UNITS 64   /* pointer fields analysed one by one */
#define LV_MAX_ORIGINS 8  /* holders and merges usable as guards */
#define LV_MAX_DERIVED 4096

/* ---- module context (liveness.c) -------------------------------------- */

struct lv_cc; /* liveness_callee.c */

struct lv_module {
    LLVMModuleRef M;
    LLVMContextRef ctx;
    LLVMTargetDataRef td;
    unsigned memcpy_id, memcpy_inline_id, memmove_id, memset_id, memset_inline_id;
    unsigned sjlj_setjmp_id; /* __builtin_setjmp: returns twice, without the attribute */
    unsigned lt_start_id, lt_end_id;
    unsigned k_nocapture, k_byval, k_returned, k_returns_twice;
    unsigned k_readonly, k_readnone, k_memory;
    LLVMValueRef keep_alive; /* whence_keep_alive, or NULL */
    struct wp_map nocap;     /* parameter -> LV_NC_* (memo of our own analysis) */
    int nc_depth;            /* nesting of those analyses */
    struct wp_map eligible;  /* functions whose bodies we analyse and change */
    /* callee clears (liveness_callee.c) */
    struct lv_cc *cc;
    uint32_t ncc, capcc;
    struct wp_map ccidx; /* parameter -> index into cc */
    /* strict mode (liveness_strict.c) */
    struct wp_map collecting; /* function -> 1: can reach whence_gc */
};

int lv_is_eligible(const struct lv_module *m, LLVMValueRef fn);
/* setjmp & co.: no liveness of such a function is sound. */
int lv_calls_returns_twice(const struct lv_module *m, LLVMValueRef fn);

/* ---- function context (liveness_cfg.c) --------------------------------- */

struct lv_fn {
    struct lv_module *m;
    LLVMValueRef fn;
    LLVMBasicBlockRef *blocks;
    unsigned nblocks;
    unsigned *succ_start, *succ; /* CSR successor lists */
    unsigned *pred_start, *pred;
    struct wp_map bidx; /* block -> index */
    LLVMBuilderRef b;
    LLVMMetadataRef sp;
    LLVMValueRef scratch; /* where guarded clears write when the guard fails */
    uint64_t scratch_size;
};

int lv_fn_init(struct lv_fn *f, struct lv_module *m, LLVMValueRef fn);
void lv_fn_free(struct lv_fn *f);
unsigned lv_block_index(const struct lv_fn *f, LLVMBasicBlockRef bb);
unsigned lv_ins_block(const struct lv_fn *f, LLVMValueRef ins);
/* First instruction a non-PHI may be inserted before, or NULL. */
LLVMValueRef lv_first_insertion_point(LLVMBasicBlockRef bb);
/* Non-zero when an instruction may be inserted before ins (not between a
 * musttail call and its ret). */
int lv_can_insert_before(LLVMValueRef ins);
/* Where code that belongs before call C goes: before C's site label (an
 * inline asm right before it) so that the label stays next to the call. */
LLVMValueRef lv_before_call(LLVMValueRef call);
/* Non-zero when i is the pass's site label asm. */
int lv_is_site_label(LLVMValueRef i);
/* A call that may reach another function: not inline asm, not an
 * intrinsic (except the memory ones that can become libc calls). */
int lv_is_real_call(const struct lv_module *m, LLVMValueRef ins);
/* Non-zero when block `to` is reachable from the successors of `from`. */
int lv_reachable_after(const struct lv_fn *f, unsigned from, unsigned to);

/* ---- derived pointers (liveness_track.c) -------------------------------- */

/* One instruction's access to the object: kind, byte range [lo, hi) (hi ==
 * LV_UNKNOWN when unknown) and through what: -1 directly (GEPs of the
 * object itself), else the index of the origin (a holder or a merge). */
struct lv_access {
    LLVMValueRef ins;
    int kind;
    uint64_t lo, hi;
    int origin;
};

/* A holder is a pointer alloca the object's address was stored into (read
 * back only by plain loads); a merge is a phi or select of the address. */
struct lv_origin {
    LLVMValueRef v;
    int holder;
};

/* A store of a derived pointer into a holder: the holder's origin, and the
 * stored pointer's (-1: the object itself). */
struct lv_hstore {
    LLVMValueRef ins;
    int origin;
    int vorigin;
};

struct lv_track {
    struct lv_access *a;
    uint32_t n, cap;
    struct wp_map idx; /* instruction -> index into a */
    struct lv_origin o[LV_MAX_ORIGINS];
    int no;
    struct lv_hstore *hs;
    uint32_t nhs, caphs;
    struct wp_map seen; /* derived values -> 1 */
    uint32_t nseen;
    uint64_t size;  /* the object's size in bytes */
    int escapes;    /* some use lets the address go where we cannot follow */
    int guardable;  /* every address that reached a holder or merge lies in
                       [object, object + size]: a guard can test it */
};

/* Follows every pointer derived from root (an alloca or a parameter) of an
 * object of size bytes.  Returns 0 when none escapes. */
int lv_track(struct lv_module *m, LLVMValueRef root, uint64_t size, struct lv_track *t);
void lv_track_free(struct lv_track *t);
const struct lv_access *lv_track_get(const struct lv_track *t, LLVMValueRef ins);
int lv_track_derived(const struct lv_track *t, LLVMValueRef v);
/* Origin of a derived value (-1: the object itself), -2 if not derived. */
int lv_track_origin(const struct lv_track *t, LLVMValueRef v);
/* Non-zero when argument argno of call does not capture the pointer. */
int lv_call_arg_nocapture(struct lv_module *m, LLVMValueRef call, unsigned argno);
/* Non-zero when fn's body is the one that runs (local linkage). */
int lv_exact_definition(LLVMValueRef fn);

/* ---- units, liveness and planned clears (liveness_plan.c) --------------- */

/* What is cleared as one: a pointer field, or the whole object. */
struct lv_unit {
    uint64_t off, size;
};

int lv_type_may_hold_pointer(LLVMTypeRef t, int depth);
/* A pointer of the default address space: the only kind the rules treat as
 * a pointer (a __seg_fs or __ptr32 one is left alone, as an integer is:
 * not clearing is always safe, and its width or its meaning is not a
 * plain pointer's). */
int lv_is_ptr(LLVMTypeRef t);
/* Pointer fields of ty; returns the count, or 0 with *whole set when there
 * are too many (then the object is one unit). */
unsigned lv_units(const struct lv_module *m, LLVMTypeRef ty, struct lv_unit *out, int *whole);

/* A planned clear: zero [off, off + size) of base before `before`; with
 * guards, only when none of them points into [base, base + obj_size]. */
struct lv_clear {
    LLVMValueRef before, base;
    uint64_t off, size, obj_size;
    unsigned align;
    int whole;
    int ng;
    struct lv_origin g[LV_MAX_ORIGINS];
};

struct lv_plan {
    struct lv_clear *c;
    uint32_t n, cap;
};

/* Plans the clears of one object (t tracked from base).  lifetime: analyse
 * llvm.lifetime markers (an alloca) or treat the object as always alive (a
 * caller's object seen through a parameter).  guarded: also plan guarded
 * clears.  units/nunits/whole: what to clear.  Returns how many. */
unsigned lv_plan_object(struct lv_fn *f, const struct lv_track *t, LLVMValueRef base,
                        const struct lv_unit *units, unsigned nunits, int whole, unsigned align,
                        int lifetime, int guarded, struct lv_plan *p);
/* Per unit: is it dead right after instruction `at` (a call to the callee,
 * liveness_callee.c) and inside its lifetime there?  Fills a mask. */
uint64_t lv_dead_after(struct lv_fn *f, const struct lv_track *t, const struct lv_unit *units,
                       unsigned nunits, LLVMValueRef at);
void lv_plan_free(struct lv_plan *p);

/* ---- emission (liveness_emit.c) ---------------------------------------- */

void lv_emit(struct lv_fn *f, const struct lv_plan *p);

/* ---- callee clears (liveness_callee.c) ---------------------------------- */

void lv_callee_plan(struct lv_module *m, LLVMValueRef *fns, unsigned nfns);
/* The callee side in fn: clears through its parameters. */
unsigned lv_callee_clears(struct lv_fn *f, struct lv_plan *p);
void lv_callee_free(struct lv_module *m);

/* ---- strict mode (liveness_strict.c) ------------------------------------ */

/* Marks whence_gc and the functions that call it directly, or (transitive)
 * every function that reaches it through direct calls in the module. */
void lv_strict_plan(struct lv_module *m, int transitive);
int lv_is_collecting(const struct lv_module *m, LLVMValueRef fn);
/* Demotes fn's pointer values live across calls into slots and clobbers
 * the callee-saved registers before each collecting call. */
void lv_strict_function(struct lv_module *m, LLVMValueRef fn);

#endif /* WHENCE_PASS_LIVENESS_H */
