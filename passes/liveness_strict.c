/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * liveness_strict.c - the roots an IR pass cannot see directly, the
 * register allocator's spill slots and callee-saved registers, in the
 * functions that collect.
 *
 * At -O2 a pointer live across calls sits in a callee-saved register or in
 * a spill slot of the register allocator; after its last use nothing
 * overwrites it, and whence_gc (or BDWGC's own prologue) saves the register
 * in a frame that is scanned.  In the "collecting" functions - those that
 * call whence_gc (liveness=on), or that reach it through direct calls in
 * this module (liveness=strict):
 *   - demotion: every pointer value live across a call is stored into a
 *     pass-owned slot right after its definition; between two calls one
 *     value serves its uses (itself right after the definition, else one
 *     reload), so no use is reached across a call in a register or spill
 *     slot; the ordinary analysis then clears the slot after its last
 *     reload;
 *   - before each call that can collect, an inline asm zeroes rax, rbx and
 *     r12-r15 (AArch64: x19-x28; target.c) and declares them clobbered: the register allocator keeps
 *     nothing live in them across it (the prologue saved the caller's
 *     values), so only dead values are zeroed, and the callee's prologue
 *     and the collector's register push see zeros.  (rax: prologues push it
 *     as alignment padding, copying a dead return value into the frame.)
 *     The same asm zeroes the dead stack below the stack pointer, where the
 *     callee's frame will be.
 * Both keep every value the program computes: a reload reads what the
 * store wrote, and the registers and stack zeroed hold nothing live.
 * Values that point only into the stack or globals are not demoted (no heap
 * object to free); neither are integers (a disguised pointer stays).
 * Not covered: collections inside allocation (whence_gc_alloc may collect
 * without running finalizers) and calls that reach whence_gc through
 * function pointers or other modules.
 */
#include "liveness.h"
#include "target.h"

#include <stdlib.h>
#include <string.h>

void lv_strict_plan(struct lv_module *m, int transitive)
{
    LLVMValueRef gc = LLVMGetNamedFunction(m->M, "whence_gc");
    if (!gc)
        return;
    LLVMValueRef *stack = NULL;
    uint32_t sp = 0, cap = 0;
    if (wp_map_put(&m->collecting, (uintptr_t)gc, 1) ||
        wp_grow((void **)&stack, &cap, 1, sizeof *stack)) {
        free(stack);
        return;
    }
    stack[sp++] = gc;
    while (sp) {
        LLVMValueRef fn = stack[--sp];
        for (LLVMUseRef u = LLVMGetFirstUse(fn); u; u = LLVMGetNextUse(u)) {
            LLVMValueRef call = LLVMGetUser(u);
            LLVMOpcode op = LLVMIsAInstruction(call) ? LLVMGetInstructionOpcode(call) : 0;
            if ((op != LLVMCall && op != LLVMInvoke) || LLVMGetCalledValue(call) != fn)
                continue;
            LLVMValueRef caller = LLVMGetBasicBlockParent(LLVMGetInstructionParent(call));
            if (wp_map_get(&m->collecting, (uintptr_t)caller) != UINT32_MAX)
                continue;
            if (wp_map_put(&m->collecting, (uintptr_t)caller, 1) ||
                wp_grow((void **)&stack, &cap, sp + 1, sizeof *stack))
                break;
            if (transitive)
                stack[sp++] = caller;
        }
    }
    free(stack);
}

int lv_is_collecting(const struct lv_module *m, LLVMValueRef fn)
{
    return wp_map_get(&m->collecting, (uintptr_t)fn) != UINT32_MAX;
}

static int is_collecting_call(const struct lv_module *m, LLVMValueRef ins)
{
    LLVMOpcode op = LLVMGetInstructionOpcode(ins);
    if (op != LLVMCall && op != LLVMInvoke)
        return 0;
    LLVMValueRef callee = LLVMGetCalledValue(ins);
    return callee && LLVMIsAFunction(callee) && lv_is_collecting(m, callee);
}

/* ---- which values point only at the stack or at globals ------------------ */

enum { NH_BUSY = 1, NH_NONHEAP = 2, NH_STACK = 4, NH_DONE = 8 };

/* Flags of v's leaves through GEP/phi/select: NH_NONHEAP when every leaf is
 * an alloca, a global or a constant; NH_STACK when some leaf is an alloca.
 * A cycle answers optimistically, which at worst skips a demotion. */
static unsigned leaf_flags(struct wp_map *memo, LLVMValueRef v, int depth)
{
    if (LLVMIsAAllocaInst(v))
        return NH_NONHEAP | NH_STACK;
    if (LLVMIsAConstant(v))
        return NH_NONHEAP; /* globals, null, constant expressions of them */
    if (!LLVMIsAInstruction(v) || depth > 32)
        return 0;
    LLVMOpcode op = LLVMGetInstructionOpcode(v);
    if (op != LLVMGetElementPtr && op != LLVMPHI && op != LLVMSelect && op != LLVMAddrSpaceCast)
        return 0;
    uint32_t s = wp_map_get(memo, (uintptr_t)v);
    if (s != UINT32_MAX)
        return s & NH_DONE ? s & (NH_NONHEAP | NH_STACK) : NH_NONHEAP;
    wp_map_put(memo, (uintptr_t)v, NH_BUSY);
    unsigned r = NH_NONHEAP;
    if (op == LLVMGetElementPtr || op == LLVMAddrSpaceCast) {
        r = leaf_flags(memo, LLVMGetOperand(v, 0), depth + 1);
    } else {
        unsigned first = op == LLVMSelect ? 1 : 0;
        unsigned n = op == LLVMSelect ? 3 : LLVMCountIncoming(v);
        for (unsigned i = first; i < n; i++) {
            unsigned x = leaf_flags(memo, LLVMGetOperand(v, i), depth + 1);
            r = (r & x & NH_NONHEAP) | ((r | x) & NH_STACK);
        }
    }
    wp_map_put(memo, (uintptr_t)v, r | NH_DONE);
    return r;
}

/* ---- live across a call ---------------------------------------------------- */

struct strict_ctx {
    struct lv_fn *f;
    struct wp_map pos; /* instruction -> position (1-based, block order) */
    uint32_t *first, *last;  /* per block: positions of its first and last instruction */
    uint32_t *calls_before;  /* per position: real calls strictly before it */
    /* per value, reset by stamp */
    uint32_t *stamp_in, *stamp_out, *lastuse, stamp;
    unsigned *work;
};

static int any_call_between(const struct strict_ctx *s, uint32_t a, uint32_t b)
{
    /* calls at positions p with a < p < b */
    if (b <= a + 1)
        return 0;
    return s->calls_before[b] - s->calls_before[a + 1] > 0;
}

static uint32_t pos_of(const struct strict_ctx *s, LLVMValueRef ins)
{
    uint32_t p = wp_map_get(&s->pos, (uintptr_t)ins);
    return p == UINT32_MAX ? 0 : p;
}

static int live_across_call(struct strict_ctx *s, LLVMValueRef v)
{
    struct lv_fn *f = s->f;
    unsigned n = f->nblocks;
    unsigned d;
    uint32_t dpos;
    if (LLVMIsAArgument(v)) {
        d = 0;
        dpos = s->first[0] ? s->first[0] - 1 : 0;
    } else {
        d = lv_ins_block(f, v);
        dpos = pos_of(s, v);
        if (d >= n || !dpos)
            return 0;
    }
    uint32_t st = ++s->stamp;
    uint32_t lastd = 0;
    int outd = 0;
    unsigned sp = 0;
#define MARK_IN(b)                                                                                 \
    do {                                                                                           \
        if (s->stamp_in[b] != st) {                                                                \
            s->stamp_in[b] = st;                                                                   \
            s->lastuse[b] = 0;                                                                     \
            s->work[sp++] = (b);                                                                   \
        }                                                                                          \
    } while (0)
    for (LLVMUseRef u = LLVMGetFirstUse(v); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (!LLVMIsAInstruction(user))
            return 1; /* unexpected: call it live */
        if (LLVMIsAPHINode(user)) {
            unsigned k = LLVMCountIncoming(user);
            for (unsigned i = 0; i < k; i++) {
                if (LLVMGetIncomingValue(user, i) != v)
                    continue;
                unsigned p = lv_block_index(f, LLVMGetIncomingBlock(user, i));
                if (p >= n)
                    continue;
                if (p == d) {
                    outd = 1;
                } else {
                    MARK_IN(p);
                    s->stamp_out[p] = st;
                }
            }
            continue;
        }
        unsigned b = lv_ins_block(f, user);
        uint32_t up = pos_of(s, user);
        if (b >= n)
            continue;
        if (b == d) {
            if (up > lastd)
                lastd = up;
        } else {
            MARK_IN(b);
            if (up > s->lastuse[b])
                s->lastuse[b] = up;
        }
    }
    /* The blocks it is live into, up to its definition. */
    for (unsigned i = 0; i < sp; i++) {
        unsigned b = s->work[i];
        for (unsigned e = f->pred_start[b]; e < f->pred_start[b + 1]; e++) {
            unsigned y = f->pred[e];
            if (y == d) {
                outd = 1;
                continue;
            }
            s->stamp_out[y] = st;
            MARK_IN(y);
        }
    }
#undef MARK_IN
    uint32_t end = outd ? s->last[d] + 1 : lastd;
    if (end && any_call_between(s, dpos, end))
        return 1;
    for (unsigned i = 0; i < sp; i++) {
        unsigned b = s->work[i];
        uint32_t e = s->stamp_out[b] == st ? s->last[b] + 1 : s->lastuse[b];
        if (any_call_between(s, s->first[b] - 1, e))
            return 1;
    }
    return 0;
}

/* ---- demotion ---------------------------------------------------------------- */

static void set_loc(struct lv_fn *f, LLVMValueRef from)
{
    LLVMMetadataRef loc = from ? LLVMInstructionGetDebugLoc(from) : NULL;
    if (!loc && f->sp)
        loc = LLVMDIBuilderCreateDebugLocation(f->m->ctx, 0, 0, f->sp, NULL);
    LLVMSetCurrentDebugLocation2(f->b, loc);
}

static LLVMValueRef first_non_alloca(LLVMBasicBlockRef entry)
{
    LLVMValueRef i = LLVMGetFirstInstruction(entry);
    while (i && LLVMIsAAllocaInst(i))
        i = LLVMGetNextInstruction(i);
    return i;
}

static int is_call_like(LLVMValueRef ins)
{
    LLVMOpcode op = LLVMGetInstructionOpcode(ins);
    return op == LLVMCall || op == LLVMInvoke || op == LLVMCallBr;
}

static LLVMValueRef reload(struct lv_fn *f, LLVMValueRef slot, LLVMValueRef before, LLVMValueRef loc)
{
    LLVMPositionBuilderBefore(f->b, before);
    set_loc(f, loc);
    LLVMValueRef r = LLVMBuildLoad2(f->b, LLVMPointerTypeInContext(f->m->ctx, 0), slot, "");
    LLVMSetAlignment(r, 8);
    return r;
}

/* v into a slot: stored after its definition; between two calls one value
 * serves every use (v itself right after its definition, else one reload),
 * so no use of v is reached across a call (an inline asm counts as one). */
static void demote(struct lv_fn *f, LLVMValueRef v)
{
    LLVMTypeRef ptr = LLVMPointerTypeInContext(f->m->ctx, 0);
    LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(f->fn);
    LLVMValueRef at;
    if (LLVMIsAArgument(v))
        at = first_non_alloca(entry);
    else if (LLVMIsAPHINode(v))
        at = lv_first_insertion_point(LLVMGetInstructionParent(v));
    else
        at = LLVMGetNextInstruction(v);
    if (!at || !lv_can_insert_before(at))
        return;
    /* A phi's value for an edge out of an invoke would need the edge
     * split: leave such values alone. */
    struct wp_map users = {0};
    for (LLVMUseRef u = LLVMGetFirstUse(v); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (LLVMIsAPHINode(user)) {
            unsigned ni = LLVMCountIncoming(user);
            for (unsigned i = 0; i < ni; i++)
                if (LLVMGetIncomingValue(user, i) == v) {
                    LLVMValueRef t = LLVMGetBasicBlockTerminator(LLVMGetIncomingBlock(user, i));
                    if (!t || is_call_like(t)) {
                        wp_map_free(&users);
                        return;
                    }
                }
        }
        if (wp_map_put(&users, (uintptr_t)user, 1)) {
            wp_map_free(&users);
            return;
        }
    }
    LLVMPositionBuilderBefore(f->b, LLVMGetFirstInstruction(entry));
    LLVMSetCurrentDebugLocation2(f->b, NULL);
    LLVMValueRef slot = LLVMBuildAlloca(f->b, ptr, "whence.lv.v");
    LLVMSetAlignment(slot, 8);
    LLVMPositionBuilderBefore(f->b, at);
    set_loc(f, LLVMIsAInstruction(v) && !LLVMIsAPHINode(v) ? v : at);
    LLVMValueRef st = LLVMBuildStore(f->b, v, slot);
    LLVMSetAlignment(st, 8);

    /* The blocks to walk: the definition's and the users'. */
    LLVMBasicBlockRef *bbs = NULL;
    LLVMValueRef *phis = NULL;
    uint32_t nbbs = 0, capbbs = 0, nphis = 0, capphis = 0;
    struct wp_map seen_bb = {0}, at_end = {0}; /* block -> 1 + index into ends */
    LLVMValueRef *ends = NULL;
    uint32_t nends = 0, capends = 0;
    LLVMBasicBlockRef defbb = LLVMGetInstructionParent(st);
    for (LLVMUseRef u = LLVMGetFirstUse(v); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (LLVMIsAPHINode(user)) {
            if (wp_grow((void **)&phis, &capphis, nphis + 1, sizeof *phis))
                goto done;
            phis[nphis++] = user;
            continue;
        }
        LLVMBasicBlockRef bb = LLVMGetInstructionParent(user);
        if (wp_map_get(&seen_bb, (uintptr_t)bb) != UINT32_MAX)
            continue;
        if (wp_map_put(&seen_bb, (uintptr_t)bb, 1) ||
            wp_grow((void **)&bbs, &capbbs, nbbs + 1, sizeof *bbs))
            goto done;
        bbs[nbbs++] = bb;
    }
    for (uint32_t k = 0; k < nbbs; k++) {
        LLVMBasicBlockRef bb = bbs[k];
        LLVMValueRef cur = NULL;
        LLVMValueRef ins = bb == defbb ? st : LLVMGetFirstInstruction(bb);
        for (; ins; ins = LLVMGetNextInstruction(ins)) {
            if (ins == st) {
                cur = v;
                continue;
            }
            if (!LLVMIsAPHINode(ins) && wp_map_get(&users, (uintptr_t)ins) != UINT32_MAX) {
                unsigned no = (unsigned)LLVMGetNumOperands(ins);
                for (unsigned i = 0; i < no; i++) {
                    if (LLVMGetOperand(ins, i) != v)
                        continue;
                    if (!cur)
                        cur = reload(f, slot, lv_before_call(ins), ins);
                    LLVMSetOperand(ins, i, cur);
                }
            }
            if (is_call_like(ins))
                cur = NULL;
        }
        if (cur && !wp_grow((void **)&ends, &capends, nends + 1, sizeof *ends)) {
            ends[nends++] = cur;
            wp_map_put(&at_end, (uintptr_t)bb, nends);
        }
    }
    /* Phis: the value at the end of the incoming block.  (The definition's
     * block, when it has no other use, was not walked: v itself is fine
     * there only if no call follows the store, so reload.) */
    for (uint32_t k = 0; k < nphis; k++) {
        LLVMValueRef user = phis[k];
        unsigned ni = LLVMCountIncoming(user);
        for (unsigned i = 0; i < ni; i++) {
            if (LLVMGetIncomingValue(user, i) != v)
                continue;
            LLVMBasicBlockRef pb = LLVMGetIncomingBlock(user, i);
            uint32_t e = wp_map_get(&at_end, (uintptr_t)pb);
            LLVMValueRef r = e != UINT32_MAX ? ends[e - 1] : NULL;
            if (!r) {
                LLVMValueRef term = LLVMGetBasicBlockTerminator(pb);
                r = reload(f, slot, term, term);
                if (!wp_grow((void **)&ends, &capends, nends + 1, sizeof *ends)) {
                    ends[nends++] = r;
                    wp_map_put(&at_end, (uintptr_t)pb, nends);
                }
            }
            LLVMSetOperand(user, i, r);
        }
    }
done:
    free(bbs);
    free(phis);
    wp_map_free(&seen_bb);
    free(ends);
    wp_map_free(&at_end);
    wp_map_free(&users);
}

/* ---- the transformation of one function -------------------------------------- */

static int has_dynamic_alloca_or_funclets(LLVMValueRef fn)
{
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i)) {
            LLVMOpcode op = LLVMGetInstructionOpcode(i);
            if (op == LLVMCatchPad || op == LLVMCleanupPad || op == LLVMCatchSwitch)
                return 1;
            if (op == LLVMAlloca && (bb != LLVMGetEntryBasicBlock(fn) ||
                                     !LLVMIsAConstantInt(LLVMGetOperand(i, 0))))
                return 1;
            /* asm goto with outputs: LLVM 19 spills an output that is live
             * across a later call on the fall-through edge only (its
             * INLINEASM_BR spill bug), and the clearing asm leaves no
             * callee-saved register to keep it in: the other edge read
             * garbage (helper-120). */
            if (op == LLVMCallBr && LLVMGetTypeKind(LLVMTypeOf(i)) != LLVMVoidTypeKind)
                return 1;
        }
    return 0;
}

/* The clearing asm before a collecting call (target.c: the registers
 * callee prologues save, and the dead stack below the stack pointer). */
static LLVMValueRef clobber_before(struct lv_fn *f, LLVMValueRef call)
{
    LLVMContextRef C = f->m->ctx;
    const char *text, *cons;
    wp_arch_clear_asm(wp_module_arch(f->m->M), &text, &cons);
    LLVMTypeRef fty = LLVMFunctionType(LLVMVoidTypeInContext(C), NULL, 0, 0);
    LLVMValueRef as = LLVMGetInlineAsm(fty, (char *)text, strlen(text), (char *)cons, strlen(cons),
                                       /*HasSideEffects=*/1, /*IsAlignStack=*/0,
                                       LLVMInlineAsmDialectATT, /*CanThrow=*/0);
    LLVMPositionBuilderBefore(f->b, lv_before_call(call));
    set_loc(f, call);
    LLVMValueRef c = LLVMBuildCall2(f->b, fty, as, NULL, 0, "");
    unsigned nounwind = LLVMGetEnumAttributeKindForName("nounwind", 8);
    LLVMAddCallSiteAttribute(c, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(C, nounwind, 0));
    return c;
}

void lv_strict_function(struct lv_module *m, LLVMValueRef fn)
{
    /* C, fast and cold calling conventions only: others may give the
     * registers the asm clears other roles. */
    unsigned cc = LLVMGetFunctionCallConv(fn);
    unsigned always = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
    if (!lv_is_collecting(m, fn) || has_dynamic_alloca_or_funclets(fn) ||
        (cc != LLVMCCallConv && cc != LLVMFastCallConv && cc != LLVMColdCallConv) ||
        LLVMGetEnumAttributeAtIndex(fn, LLVMAttributeFunctionIndex, always))
        return;
    struct lv_fn f;
    if (lv_fn_init(&f, m, fn)) {
        lv_fn_free(&f);
        return;
    }
    /* Clobbers first, so that reloads go between the asm and the call.  A
     * value live across the asm is demoted like one live across a call: the
     * register allocator would otherwise spill it around the asm (at -O0
     * even a call's argument) into a slot nobody clears. */
    struct strict_ctx s;
    memset(&s, 0, sizeof s);
    struct wp_map asms = {0}, memo = {0};
    LLVMValueRef *cand = NULL;
    uint32_t ncand = 0, capcand = 0;
    unsigned n = f.nblocks;
    for (unsigned i = 0; i < f.nblocks; i++)
        for (LLVMValueRef ins = LLVMGetFirstInstruction(f.blocks[i]); ins;
             ins = LLVMGetNextInstruction(ins))
            if (is_collecting_call(m, ins) &&
                wp_map_put(&asms, (uintptr_t)clobber_before(&f, ins), 1))
                goto out;
    /* The asm's clobbers are safe where it is now (no dynamic alloca: no
     * base pointer in rbx/x19).  An LTO link without the plugin inlined it
     * into a function with a VLA and an over-aligned local, whose base
     * pointer it zeroed (helper-120): it stays out of line. */
    if (asms.n)
        wp_lto_noinline(fn);

    s.f = &f;
    uint32_t npos = 0;
    for (unsigned i = 0; i < n; i++)
        for (LLVMValueRef ins = LLVMGetFirstInstruction(f.blocks[i]); ins;
             ins = LLVMGetNextInstruction(ins))
            npos++;
    s.first = calloc(n ? n : 1, sizeof *s.first);
    s.last = calloc(n ? n : 1, sizeof *s.last);
    s.calls_before = calloc((size_t)npos + 2, sizeof *s.calls_before);
    s.stamp_in = calloc(n ? n : 1, sizeof *s.stamp_in);
    s.stamp_out = calloc(n ? n : 1, sizeof *s.stamp_out);
    s.lastuse = calloc(n ? n : 1, sizeof *s.lastuse);
    s.work = calloc(n ? 2 * (size_t)n : 1, sizeof *s.work);
    if (!s.first || !s.last || !s.calls_before || !s.stamp_in || !s.stamp_out || !s.lastuse ||
        !s.work)
        goto out;
    uint32_t p = 0, calls = 0;
    for (unsigned i = 0; i < n; i++) {
        s.first[i] = p + 1;
        for (LLVMValueRef ins = LLVMGetFirstInstruction(f.blocks[i]); ins;
             ins = LLVMGetNextInstruction(ins)) {
            ++p;
            s.calls_before[p] = calls;
            if (lv_is_real_call(m, ins) || wp_map_get(&asms, (uintptr_t)ins) != UINT32_MAX)
                calls++;
            if (wp_map_put(&s.pos, (uintptr_t)ins, p))
                goto out;
        }
        s.last[i] = p;
    }
    s.calls_before[p + 1] = calls;

    /* Candidates, collected before any change. */
    unsigned np = LLVMCountParams(fn);
    for (unsigned k = 0; k < np; k++) {
        LLVMValueRef a = LLVMGetParam(fn, k);
        if (lv_is_ptr(LLVMTypeOf(a)) && LLVMGetFirstUse(a) &&
            live_across_call(&s, a)) {
            if (wp_grow((void **)&cand, &capcand, ncand + 1, sizeof *cand))
                goto out;
            cand[ncand++] = a;
        }
    }
    for (unsigned i = 0; i < n; i++)
        for (LLVMValueRef ins = LLVMGetFirstInstruction(f.blocks[i]); ins;
             ins = LLVMGetNextInstruction(ins)) {
            if (!lv_is_ptr(LLVMTypeOf(ins)) || !LLVMGetFirstUse(ins))
                continue;
            LLVMOpcode op = LLVMGetInstructionOpcode(ins);
            if (op == LLVMAlloca || op == LLVMInvoke || op == LLVMCallBr)
                continue;
            unsigned lf = leaf_flags(&memo, ins, 0);
            if (lf & (NH_NONHEAP | NH_STACK))
                continue;
            if (!live_across_call(&s, ins))
                continue;
            if (wp_grow((void **)&cand, &capcand, ncand + 1, sizeof *cand))
                goto out;
            cand[ncand++] = ins;
        }
    for (uint32_t k = 0; k < ncand; k++)
        demote(&f, cand[k]);
out:
    wp_map_free(&asms);
    free(cand);
    wp_map_free(&memo);
    wp_map_free(&s.pos);
    free(s.first);
    free(s.last);
    free(s.calls_before);
    free(s.stamp_in);
    free(s.stamp_out);
    free(s.lastuse);
    free(s.work);
    lv_fn_free(&f);
}
