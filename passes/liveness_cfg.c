/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * liveness_cfg.c - the control-flow graph the liveness analyses run on:
 * LLVM-C has no block numbers, so blocks get indexes and CSR edge lists;
 * plus the few position helpers every rule needs.
 */
#include "liveness.h"

#include <stdlib.h>
#include <string.h>

int lv_fn_init(struct lv_fn *f, struct lv_module *m, LLVMValueRef fn)
{
    memset(f, 0, sizeof *f);
    f->m = m;
    f->fn = fn;
    f->sp = LLVMGetSubprogram(fn);
    f->nblocks = LLVMCountBasicBlocks(fn);
    unsigned n = f->nblocks;
    f->blocks = calloc(n ? n : 1, sizeof *f->blocks);
    f->succ_start = calloc(n + 1, sizeof(unsigned));
    f->pred_start = calloc(n + 1, sizeof(unsigned));
    if (!f->blocks || !f->succ_start || !f->pred_start)
        return -1;
    LLVMGetBasicBlocks(fn, f->blocks);
    for (unsigned i = 0; i < n; i++)
        if (wp_map_put(&f->bidx, (uintptr_t)f->blocks[i], i))
            return -1;
    unsigned total = 0;
    for (unsigned i = 0; i < n; i++) {
        LLVMValueRef t = LLVMGetBasicBlockTerminator(f->blocks[i]);
        total += t ? LLVMGetNumSuccessors(t) : 0;
    }
    f->succ = calloc(total ? total : 1, sizeof(unsigned));
    f->pred = calloc(total ? total : 1, sizeof(unsigned));
    unsigned *fill = calloc(n ? n : 1, sizeof(unsigned));
    if (!f->succ || !f->pred || !fill) {
        free(fill);
        return -1;
    }
    unsigned k = 0;
    for (unsigned i = 0; i < n; i++) {
        f->succ_start[i] = k;
        LLVMValueRef t = LLVMGetBasicBlockTerminator(f->blocks[i]);
        unsigned ns = t ? LLVMGetNumSuccessors(t) : 0;
        for (unsigned s = 0; s < ns; s++) {
            uint32_t j = wp_map_get(&f->bidx, (uintptr_t)LLVMGetSuccessor(t, s));
            if (j == UINT32_MAX)
                j = n;
            f->succ[k++] = j;
            if (j < n)
                f->pred_start[j + 1]++;
        }
    }
    f->succ_start[n] = k;
    for (unsigned i = 0; i < n; i++)
        f->pred_start[i + 1] += f->pred_start[i];
    for (unsigned i = 0; i < n; i++)
        for (unsigned e = f->succ_start[i]; e < f->succ_start[i + 1]; e++) {
            unsigned j = f->succ[e];
            if (j < n)
                f->pred[f->pred_start[j] + fill[j]++] = i;
        }
    free(fill);
    f->b = LLVMCreateBuilderInContext(m->ctx);
    return 0;
}

void lv_fn_free(struct lv_fn *f)
{
    free(f->blocks);
    free(f->succ_start);
    free(f->succ);
    free(f->pred_start);
    free(f->pred);
    wp_map_free(&f->bidx);
    if (f->b)
        LLVMDisposeBuilder(f->b);
    memset(f, 0, sizeof *f);
}

unsigned lv_block_index(const struct lv_fn *f, LLVMBasicBlockRef bb)
{
    return wp_map_get(&f->bidx, (uintptr_t)bb);
}

unsigned lv_ins_block(const struct lv_fn *f, LLVMValueRef ins)
{
    return lv_block_index(f, LLVMGetInstructionParent(ins));
}

LLVMValueRef lv_first_insertion_point(LLVMBasicBlockRef bb)
{
    LLVMValueRef i = LLVMGetFirstInstruction(bb);
    while (i && (LLVMIsAPHINode(i) || LLVMIsALandingPadInst(i)))
        i = LLVMGetNextInstruction(i);
    if (i && (LLVMGetInstructionOpcode(i) == LLVMCatchPad ||
              LLVMGetInstructionOpcode(i) == LLVMCleanupPad ||
              LLVMGetInstructionOpcode(i) == LLVMCatchSwitch))
        return NULL; /* funclet pads: nothing goes before or around them */
    return i;
}

/* The pass's site label: an inline asm whose text starts with the label
 * (instrument.c; in optimized functions it names its function through an
 * "s" operand, a use of the function that is no call and takes nothing). */
int lv_is_site_label(LLVMValueRef i)
{
    if (!i || !LLVMIsACallInst(i))
        return 0;
    LLVMValueRef callee = LLVMGetCalledValue(i);
    if (!callee || !LLVMIsAInlineAsm(callee))
        return 0;
    size_t len = 0;
    const char *s = LLVMGetInlineAsmAsmString(callee, &len);
    static const char lab[] = ".Lwhence_site";
    return s && len >= sizeof lab - 1 && !memcmp(s, lab, sizeof lab - 1);
}

int lv_can_insert_before(LLVMValueRef ins)
{
    if (!ins)
        return 0;
    /* A musttail call must be followed by its ret (and at most a cast). */
    for (LLVMValueRef p = LLVMGetPreviousInstruction(ins); p; p = LLVMGetPreviousInstruction(p)) {
        if (LLVMIsACallInst(p))
            return LLVMGetTailCallKind(p) != LLVMTailCallKindMustTail;
        if (!LLVMIsABitCastInst(p))
            return 1;
    }
    return 1;
}

LLVMValueRef lv_before_call(LLVMValueRef call)
{
    LLVMValueRef p = LLVMGetPreviousInstruction(call);
    return lv_is_site_label(p) ? p : call;
}

int lv_is_real_call(const struct lv_module *m, LLVMValueRef ins)
{
    LLVMOpcode op = LLVMGetInstructionOpcode(ins);
    if (op != LLVMCall && op != LLVMInvoke && op != LLVMCallBr)
        return 0;
    LLVMValueRef callee = LLVMGetCalledValue(ins);
    if (!callee || LLVMIsAInlineAsm(callee))
        return 0;
    if (LLVMIsAFunction(callee)) {
        unsigned id = LLVMGetIntrinsicID(callee);
        if (id)
            return id == m->memcpy_id || id == m->memmove_id || id == m->memset_id;
    }
    return 1;
}

int lv_reachable_after(const struct lv_fn *f, unsigned from, unsigned to)
{
    unsigned n = f->nblocks;
    unsigned char *seen = calloc(n ? n : 1, 1);
    unsigned *stack = malloc((n ? n : 1) * sizeof *stack);
    int found = 1; /* out of memory: say reachable (the cautious answer) */
    if (seen && stack) {
        unsigned sp = 0;
        found = 0;
        for (unsigned e = f->succ_start[from]; e < f->succ_start[from + 1]; e++)
            if (f->succ[e] < n && !seen[f->succ[e]]) {
                seen[f->succ[e]] = 1;
                stack[sp++] = f->succ[e];
            }
        while (sp && !found) {
            unsigned b = stack[--sp];
            if (b == to) {
                found = 1;
                break;
            }
            for (unsigned e = f->succ_start[b]; e < f->succ_start[b + 1]; e++)
                if (f->succ[e] < n && !seen[f->succ[e]]) {
                    seen[f->succ[e]] = 1;
                    stack[sp++] = f->succ[e];
                }
        }
    }
    free(seen);
    free(stack);
    return found;
}
