/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * liveness.c - stack-liveness clearing for modules that use finalizers: the
 * driver (docs/LIVENESS.md).
 *
 * A conservative collector (BDWGC) treats every stack word as a possible
 * pointer, so a pointer left in a dead stack slot keeps its object, and its
 * finalizer, alive for as long as the frame lives.  This pass zeroes such
 * words as soon as they are provably dead, never a word that a live alias
 * or an integer may still need: a clear goes only where no instruction that
 * could read the word (through any pointer derived from its object) can
 * follow.
 *
 * Order in a module: strict mode first (it rewrites the collecting
 * functions' pointer values into slots, liveness_strict.c), then the callee
 * rule is planned over all call sites (liveness_callee.c), then each
 * function is planned on its unchanged IR (liveness_track.c,
 * liveness_plan.c) and its clears emitted (liveness_emit.c).  Functions
 * that call setjmp & co. are left alone: the second return arrives along an
 * edge the CFG does not show.
 */
#include "liveness.h"

#include <llvm-c/Target.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


int wp_liveness_mode(LLVMModuleRef M, int opt)
{
    int v = opt;
    if (v == WHENCE_AUTO) {
        const char *e = getenv("WHENCE_LIVENESS");
        if (!e || !*e || !strcmp(e, "auto"))
            v = WHENCE_AUTO;
        else if (!strcmp(e, "0") || !strcmp(e, "off"))
            v = WHENCE_OFF;
        else if (!strcmp(e, "1") || !strcmp(e, "on"))
            v = WHENCE_ON;
        else if (!strcmp(e, "strict"))
            v = WHENCE_STRICT;
        else
            fprintf(stderr,
                    "whence: warning: WHENCE_LIVENESS='%s' is not 0, 1, strict or auto; using "
                    "auto\n",
                    e);
    }
    if (v == WHENCE_AUTO)
        v = wp_module_uses_finalizers(M) ? WHENCE_ON : WHENCE_OFF;
    return v;
}

int wp_module_uses_finalizers(LLVMModuleRef M)
{
    static const char *const api[] = {"whence_set_finalizer", "whence_gc", "whence_gc_alloc",
                                      "whence_keep_alive"};
    for (unsigned i = 0; i < sizeof api / sizeof api[0]; i++) {
        LLVMValueRef f = LLVMGetNamedFunction(M, api[i]);
        if (f && LLVMGetFirstUse(f))
            return 1;
    }
    return 0;
}

int lv_calls_returns_twice(const struct lv_module *m, LLVMValueRef fn)
{
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i)) {
            LLVMOpcode op = LLVMGetInstructionOpcode(i);
            if (op != LLVMCall && op != LLVMInvoke && op != LLVMCallBr)
                continue;
            if (LLVMGetCallSiteEnumAttribute(i, LLVMAttributeFunctionIndex, m->k_returns_twice))
                return 1;
            LLVMValueRef callee = LLVMGetCalledValue(i);
            if (callee && LLVMIsAFunction(callee) &&
                (LLVMGetEnumAttributeAtIndex(callee, LLVMAttributeFunctionIndex,
                                             m->k_returns_twice) ||
                 (m->sjlj_setjmp_id && LLVMGetIntrinsicID(callee) == m->sjlj_setjmp_id)))
                return 1;
        }
    return 0;
}

int lv_is_eligible(const struct lv_module *m, LLVMValueRef fn)
{
    return wp_map_get(&m->eligible, (uintptr_t)fn) != UINT32_MAX;
}

static unsigned kind(const char *name)
{
    return LLVMGetEnumAttributeKindForName(name, strlen(name));
}

static void module_init(struct lv_module *m, LLVMModuleRef M)
{
    memset(m, 0, sizeof *m);
    m->M = M;
    m->ctx = LLVMGetModuleContext(M);
    m->td = LLVMCreateTargetData(LLVMGetDataLayoutStr(M));
    /* Looked up per module, not cached in statics: ThinLTO runs the pass on
     * several threads at once. */
#define ID(s) LLVMLookupIntrinsicID(s, sizeof(s) - 1)
    m->memcpy_id = ID("llvm.memcpy");
    m->memcpy_inline_id = ID("llvm.memcpy.inline");
    m->memmove_id = ID("llvm.memmove");
    m->memset_id = ID("llvm.memset");
    m->memset_inline_id = ID("llvm.memset.inline");
    m->lt_start_id = ID("llvm.lifetime.start");
    m->lt_end_id = ID("llvm.lifetime.end");
    m->sjlj_setjmp_id = ID("llvm.eh.sjlj.setjmp");
#undef ID
    m->k_nocapture = kind("nocapture");
    m->k_byval = kind("byval");
    m->k_returned = kind("returned");
    m->k_returns_twice = kind("returns_twice");
    m->k_readonly = kind("readonly");
    m->k_readnone = kind("readnone");
    m->k_memory = kind("memory");
    LLVMValueRef ka = LLVMGetNamedFunction(M, "whence_keep_alive");
    m->keep_alive = ka && LLVMCountParams(ka) == 1 ? ka : NULL;
}

static void module_free(struct lv_module *m)
{
    lv_callee_free(m);
    wp_map_free(&m->nocap);
    wp_map_free(&m->eligible);
    wp_map_free(&m->collecting);
    LLVMDisposeTargetData(m->td);
}

/* The stack objects of one function: every alloca of a static size whose
 * type may hold a pointer. */
static unsigned plan_slots(struct lv_fn *f, struct lv_plan *p)
{
    struct lv_module *m = f->m;
    unsigned added = 0;
    for (unsigned i = 0; i < f->nblocks; i++)
        for (LLVMValueRef ins = LLVMGetFirstInstruction(f->blocks[i]); ins;
             ins = LLVMGetNextInstruction(ins)) {
            if (!LLVMIsAAllocaInst(ins) || wp_is_slot_alloca(ins)) /* read by the runtime */
                continue;
            LLVMTypeRef ty = LLVMGetAllocatedType(ins);
            LLVMValueRef count = LLVMGetOperand(ins, 0);
            if (!LLVMIsAConstantInt(count) || LLVMConstIntGetZExtValue(count) != 1)
                continue; /* dynamic or array allocas: size unknown here */
            if (!LLVMTypeIsSized(ty) || !lv_type_may_hold_pointer(ty, 0))
                continue;
            uint64_t size = LLVMABISizeOfType(m->td, ty);
            if (size == 0 || size > (1u << 20))
                continue;
            struct lv_track t;
            if (lv_track(m, ins, size, &t) == 0 && t.n) {
                struct lv_unit units[LV_MAX_UNITS];
                int whole = 0;
                unsigned nu = lv_units(m, ty, units, &whole);
                if (nu)
                    added += lv_plan_object(f, &t, ins, units, nu, whole, LLVMGetAlignment(ins), 1,
                                            1, p);
            }
            lv_track_free(&t);
        }
    return added;
}

static unsigned clear_function(struct lv_module *m, LLVMValueRef fn)
{
    struct lv_fn f;
    struct lv_plan p = {0};
    unsigned n = 0;
    if (lv_fn_init(&f, m, fn) == 0) {
        n = plan_slots(&f, &p);
        n += lv_callee_clears(&f, &p);
        lv_emit(&f, &p);
    }
    lv_plan_free(&p);
    lv_fn_free(&f);
    return n;
}

unsigned wp_liveness_module(LLVMModuleRef M, LLVMValueRef *fns, uint32_t nfns, int mode)
{
    if (mode != WHENCE_ON && mode != WHENCE_STRICT)
        return 0;
    struct lv_module m;
    module_init(&m, M);
    for (uint32_t i = 0; i < nfns; i++)
        if (!LLVMIsDeclaration(fns[i]) && LLVMCountBasicBlocks(fns[i]) &&
            !lv_calls_returns_twice(&m, fns[i]))
            wp_map_put(&m.eligible, (uintptr_t)fns[i], 1);
    /* The register and spill-slot roots: in the functions that call
     * whence_gc themselves, or (strict) in every one that can reach it. */
    lv_strict_plan(&m, mode == WHENCE_STRICT);
    for (uint32_t i = 0; i < nfns; i++)
        if (lv_is_eligible(&m, fns[i]))
            lv_strict_function(&m, fns[i]);
    lv_callee_plan(&m, fns, nfns);
    unsigned total = 0;
    for (uint32_t i = 0; i < nfns; i++)
        if (lv_is_eligible(&m, fns[i]))
            total += clear_function(&m, fns[i]);
    module_free(&m);
    return total;
}
