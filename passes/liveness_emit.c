/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * liveness_emit.c - the clears: volatile zero-stores (so no later pass
 * deletes them as dead stores) with a line-0 location in the function's
 * scope.  A guarded clear compares each guard with the object's address
 * range [base, base + size] (one past the end included: such a pointer may
 * still be stepped back into the object) and, when any is inside, writes
 * its zero into a scratch slot instead: no branch, no new block.
 */
#include "liveness.h"

static unsigned field_align(unsigned a, uint64_t off)
{
    while (a > 1 && (off % a) != 0)
        a /= 2;
    return a ? a : 1;
}

static LLVMValueRef scratch(struct lv_fn *f, uint64_t size)
{
    if (f->scratch)
        return f->scratch;
    LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(f->fn);
    LLVMBuilderRef b = LLVMCreateBuilderInContext(f->m->ctx);
    LLVMPositionBuilderBefore(b, LLVMGetFirstInstruction(entry));
    LLVMTypeRef ty = LLVMArrayType2(LLVMInt8TypeInContext(f->m->ctx), size);
    f->scratch = LLVMBuildAlloca(b, ty, "whence.lv.scratch");
    LLVMSetAlignment(f->scratch, 16);
    LLVMDisposeBuilder(b);
    f->scratch_size = size;
    return f->scratch;
}

static void emit_one(struct lv_fn *f, const struct lv_clear *c, uint64_t scratch_size)
{
    LLVMContextRef C = f->m->ctx;
    LLVMBuilderRef b = f->b;
    LLVMPositionBuilderBefore(b, c->before);
    LLVMSetCurrentDebugLocation2(
        b, f->sp ? LLVMDIBuilderCreateDebugLocation(C, 0, 0, f->sp, NULL) : NULL);
    LLVMTypeRef i8 = LLVMInt8TypeInContext(C), i64 = LLVMInt64TypeInContext(C);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(C, 0);
    LLVMValueRef base = c->base;
    unsigned align = c->align ? c->align : 1;
    if (c->ng) {
        LLVMValueRef endidx = LLVMConstInt(i64, c->obj_size, 0);
        LLVMValueRef end = LLVMBuildInBoundsGEP2(b, i8, base, &endidx, 1, "whence.lv.end");
        LLVMValueRef inside = NULL;
        for (int k = 0; k < c->ng; k++) {
            LLVMValueRef g = c->g[k].v;
            if (c->g[k].holder) {
                g = LLVMBuildLoad2(b, ptr, g, "whence.lv.guard");
                LLVMSetAlignment(g, 8);
            }
            LLVMValueRef lo = LLVMBuildICmp(b, LLVMIntUGE, g, base, "");
            LLVMValueRef hi = LLVMBuildICmp(b, LLVMIntULE, g, end, "");
            LLVMValueRef in = LLVMBuildAnd(b, lo, hi, "");
            inside = inside ? LLVMBuildOr(b, inside, in, "") : in;
        }
        base = LLVMBuildSelect(b, inside, scratch(f, scratch_size), base, "whence.lv.dst");
        align = align < 16 ? align : 16;
    }
    LLVMValueRef p = base;
    if (c->off) {
        LLVMValueRef idx = LLVMConstInt(i64, c->off, 0);
        p = LLVMBuildInBoundsGEP2(b, i8, base, &idx, 1, "");
    }
    if (!c->whole) {
        LLVMValueRef st = LLVMBuildStore(b, LLVMConstNull(ptr), p);
        LLVMSetVolatile(st, 1);
        LLVMSetAlignment(st, field_align(align, c->off));
        return;
    }
    LLVMValueRef ms = LLVMBuildMemSet(b, p, LLVMConstInt(i8, 0, 0), LLVMConstInt(i64, c->size, 0),
                                      field_align(align, c->off));
    /* The volatile flag: never removed as a dead store. */
    LLVMSetOperand(ms, 3, LLVMConstInt(LLVMInt1TypeInContext(C), 1, 0));
}

void lv_emit(struct lv_fn *f, const struct lv_plan *p)
{
    uint64_t ss = 0;
    for (uint32_t i = 0; i < p->n; i++)
        if (p->c[i].ng && p->c[i].obj_size > ss)
            ss = p->c[i].obj_size;
    for (uint32_t i = 0; i < p->n; i++)
        emit_one(f, &p->c[i], ss);
}
