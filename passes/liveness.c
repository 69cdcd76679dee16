/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * liveness.c - stack-liveness clearing for modules that use finalizers.
 *
 * A conservative collector (BDWGC) treats every stack word as a possible
 * pointer, so a pointer left in a dead stack slot keeps its object, and its
 * finalizer, alive for as long as the frame lives.  This pass zeroes such
 * slots as soon as they are provably dead, with volatile stores (so no later
 * pass deletes them as dead stores).
 *
 * What is cleared, and why it is safe: a store of zero into alloca A at point
 * X is inserted only if all three hold -
 *   1. A does not escape: every use of A (through constant or variable GEPs)
 *      is the address operand of a load or store, of memcpy/memmove/memset,
 *      or of llvm.lifetime.*.  So no other pointer can ever read A's memory.
 *   2. A is dead at X: no path from X reaches a read of A (backward may-
 *      liveness over the CFG, loops included), so no later read observes the
 *      zero.  Every read counts as a read of the whole slot.
 *   3. A is inside its lifetime at X on every path (forward must-analysis of
 *      llvm.lifetime.start/end; slots without markers are always inside), so
 *      stack colouring cannot have given A's memory to another slot.
 * Only slots whose type may hold a pointer are considered (pointers, and
 * aggregates containing one); integers are never touched.  Nothing else on
 * the stack or in registers is ever written.
 *
 * Where: right after the last access in a block when A is dead after it, and
 * at the start of a block where A is dead on entry but live at the end of
 * some predecessor.
 */
#include "internal.h"

#include <llvm-c/Target.h>

#include <stdlib.h>
#include <string.h>

enum { ACC_NONE = 0, ACC_READ = 1, ACC_WRITE = 2, ACC_START = 4, ACC_END = 8 };

struct intrinsics {
    unsigned memcpy_id, memcpy_inline_id, memmove_id, memset_id, memset_inline_id;
    unsigned lt_start_id, lt_end_id;
};

struct fn_ctx {
    LLVMContextRef ctx;
    LLVMTargetDataRef td;
    LLVMBuilderRef b;
    LLVMMetadataRef sp;
    const struct intrinsics *ids;
    /* per-function block numbering */
    LLVMBasicBlockRef *blocks;
    unsigned nblocks;
    unsigned *succ_start, *succ; /* CSR successor lists */
    unsigned *pred_start, *pred;
};

static int type_may_hold_pointer(LLVMTypeRef t, int depth)
{
    if (depth > 16)
        return 1; /* absurdly nested: assume yes, still subject to 1-3 */
    switch (LLVMGetTypeKind(t)) {
    case LLVMPointerTypeKind:
        return 1;
    case LLVMArrayTypeKind:
    case LLVMVectorTypeKind:
        return type_may_hold_pointer(LLVMGetElementType(t), depth + 1);
    case LLVMStructTypeKind: {
        unsigned n = LLVMCountStructElementTypes(t);
        for (unsigned i = 0; i < n; i++)
            if (type_may_hold_pointer(LLVMStructGetTypeAtIndex(t, i), depth + 1))
                return 1;
        return 0;
    }
    default:
        return 0;
    }
}

static unsigned callee_intrinsic(LLVMValueRef call)
{
    LLVMValueRef callee = LLVMGetCalledValue(call);
    if (!callee || !LLVMIsAFunction(callee))
        return 0;
    return LLVMGetIntrinsicID(callee);
}

/* Classifies one use of a pointer derived from the slot.  Returns the access
 * kind, or -1 if the use lets the address escape. */
static int classify_use(const struct fn_ctx *c, LLVMValueRef user, LLVMValueRef ptr,
                        unsigned opno)
{
    LLVMOpcode op = LLVMGetInstructionOpcode(user);
    if (op == LLVMLoad)
        return ACC_READ;
    if (op == LLVMStore)
        return opno == 1 ? ACC_WRITE : -1; /* storing the address escapes it */
    if (op == LLVMCall) {
        unsigned id = callee_intrinsic(user);
        const struct intrinsics *k = c->ids;
        if (id == 0)
            return -1;
        if (id == k->lt_start_id)
            return ACC_START;
        if (id == k->lt_end_id)
            return ACC_END;
        if (id == k->memset_id || id == k->memset_inline_id)
            return opno == 0 ? ACC_WRITE : -1;
        if (id == k->memcpy_id || id == k->memcpy_inline_id || id == k->memmove_id) {
            if (opno == 0)
                return ACC_WRITE | (LLVMGetOperand(user, 1) == ptr ? ACC_READ : 0);
            if (opno == 1)
                return ACC_READ;
            return -1;
        }
        return -1;
    }
    return -1;
}

/* One instruction's access to the slot: its kind and the byte range it
 * touches ([lo, hi); hi == UINT64_MAX when unknown). */
struct access {
    LLVMValueRef ins;
    int kind;
    uint64_t lo, hi;
};

struct access_list {
    struct access *a;
    uint32_t n, cap;
    struct wp_map idx; /* instruction -> index into a */
};

static const struct access *alist_get(const struct access_list *l, LLVMValueRef ins)
{
    uint32_t i = wp_map_get(&l->idx, (uintptr_t)ins);
    return i == UINT32_MAX ? NULL : &l->a[i];
}

static int alist_add(struct access_list *l, LLVMValueRef ins, int kind, uint64_t lo, uint64_t hi)
{
    struct access *old = (struct access *)alist_get(l, ins);
    if (old) {
        old->kind |= kind;
        if (lo < old->lo)
            old->lo = lo;
        if (hi > old->hi)
            old->hi = hi;
        return 0;
    }
    if (wp_grow((void **)&l->a, &l->cap, l->n + 1, sizeof *l->a) ||
        wp_map_put(&l->idx, (uintptr_t)ins, l->n))
        return -1;
    l->a[l->n++] = (struct access){ins, kind, lo, hi};
    return 0;
}

static void alist_free(struct access_list *l)
{
    free(l->a);
    wp_map_free(&l->idx);
}

#define UNKNOWN UINT64_MAX

/* Constant byte offset of a GEP, or UNKNOWN. */
static uint64_t gep_offset(const struct fn_ctx *c, LLVMValueRef gep)
{
    LLVMTypeRef t = LLVMGetGEPSourceElementType(gep);
    unsigned n = (unsigned)LLVMGetNumOperands(gep);
    uint64_t off = 0;
    for (unsigned i = 1; i < n; i++) {
        LLVMValueRef idx = LLVMGetOperand(gep, i);
        if (!LLVMIsAConstantInt(idx))
            return UNKNOWN;
        long long v = LLVMConstIntGetSExtValue(idx);
        if (v < 0)
            return UNKNOWN;
        if (i == 1) {
            off += (uint64_t)v * LLVMABISizeOfType(c->td, t);
            continue;
        }
        switch (LLVMGetTypeKind(t)) {
        case LLVMStructTypeKind:
            if ((unsigned long long)v >= LLVMCountStructElementTypes(t))
                return UNKNOWN;
            off += LLVMOffsetOfElement(c->td, t, (unsigned)v);
            t = LLVMStructGetTypeAtIndex(t, (unsigned)v);
            break;
        case LLVMArrayTypeKind:
            t = LLVMGetElementType(t);
            off += (uint64_t)v * LLVMABISizeOfType(c->td, t);
            break;
        default:
            return UNKNOWN;
        }
    }
    return off;
}

static uint64_t const_len(LLVMValueRef v)
{
    return LLVMIsAConstantInt(v) ? LLVMConstIntGetZExtValue(v) : UNKNOWN;
}

static uint64_t range_end(uint64_t off, uint64_t size)
{
    if (off == UNKNOWN || size == UNKNOWN || off + size < off)
        return UNKNOWN;
    return off + size;
}

/* Collects every access to the slot through it and its GEPs; returns 0 if
 * the slot does not escape, -1 if it does (or is too complex to prove). */
static int collect_accesses(const struct fn_ctx *c, LLVMValueRef ptr, uint64_t off,
                            struct access_list *l, int depth)
{
    if (depth > 8)
        return -1;
    for (LLVMUseRef u = LLVMGetFirstUse(ptr); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (!LLVMIsAInstruction(user))
            return -1;
        if (LLVMGetInstructionOpcode(user) == LLVMGetElementPtr) {
            if (LLVMGetOperand(user, 0) != ptr)
                return -1; /* the address is used as an index */
            uint64_t g = off == UNKNOWN ? UNKNOWN : gep_offset(c, user);
            if (collect_accesses(c, user, g == UNKNOWN ? UNKNOWN : off + g, l, depth + 1) < 0)
                return -1;
            continue;
        }
        unsigned n = (unsigned)LLVMGetNumOperands(user);
        int found = 0;
        for (unsigned i = 0; i < n; i++) {
            if (LLVMGetOperand(user, i) != ptr)
                continue;
            int k = classify_use(c, user, ptr, i);
            if (k < 0)
                return -1;
            uint64_t size = UNKNOWN;
            LLVMOpcode op = LLVMGetInstructionOpcode(user);
            if (op == LLVMLoad)
                size = LLVMABISizeOfType(c->td, LLVMTypeOf(user));
            else if (op == LLVMStore)
                size = LLVMABISizeOfType(c->td, LLVMTypeOf(LLVMGetOperand(user, 0)));
            else if (k & (ACC_READ | ACC_WRITE))
                size = const_len(LLVMGetOperand(user, 2));
            uint64_t lo = off == UNKNOWN ? 0 : off;
            uint64_t hi = off == UNKNOWN ? UNKNOWN : range_end(off, size);
            if (k & (ACC_START | ACC_END)) {
                lo = 0;
                hi = UNKNOWN;
            }
            if (alist_add(l, user, k, lo, hi) < 0)
                return -1;
            found = 1;
        }
        if (!found)
            return -1;
    }
    return 0;
}

static int build_cfg(struct fn_ctx *c, LLVMValueRef fn)
{
    c->nblocks = LLVMCountBasicBlocks(fn);
    c->blocks = calloc(c->nblocks ? c->nblocks : 1, sizeof *c->blocks);
    c->succ_start = calloc(c->nblocks + 1, sizeof(unsigned));
    c->pred_start = calloc(c->nblocks + 1, sizeof(unsigned));
    if (!c->blocks || !c->succ_start || !c->pred_start)
        return -1;
    LLVMGetBasicBlocks(fn, c->blocks);

    /* LLVM-C has no block ids: a map from each block to its position. */
    struct wp_map idx = {0};
    for (unsigned i = 0; i < c->nblocks; i++)
        if (wp_map_put(&idx, (uintptr_t)c->blocks[i], i))
            goto fail;
    unsigned total = 0;
    for (unsigned i = 0; i < c->nblocks; i++) {
        LLVMValueRef t = LLVMGetBasicBlockTerminator(c->blocks[i]);
        total += t ? LLVMGetNumSuccessors(t) : 0;
    }
    c->succ = calloc(total ? total : 1, sizeof(unsigned));
    c->pred = calloc(total ? total : 1, sizeof(unsigned));
    if (!c->succ || !c->pred)
        goto fail;
    unsigned k = 0;
    for (unsigned i = 0; i < c->nblocks; i++) {
        c->succ_start[i] = k;
        LLVMValueRef t = LLVMGetBasicBlockTerminator(c->blocks[i]);
        unsigned ns = t ? LLVMGetNumSuccessors(t) : 0;
        for (unsigned s = 0; s < ns; s++) {
            uint32_t j = wp_map_get(&idx, (uintptr_t)LLVMGetSuccessor(t, s));
            if (j == UINT32_MAX)
                j = c->nblocks;
            c->succ[k++] = j;
            if (j < c->nblocks)
                c->pred_start[j + 1]++;
        }
    }
    c->succ_start[c->nblocks] = k;
    for (unsigned i = 0; i < c->nblocks; i++)
        c->pred_start[i + 1] += c->pred_start[i];
    unsigned *fill = calloc(c->nblocks ? c->nblocks : 1, sizeof(unsigned));
    if (!fill)
        goto fail;
    for (unsigned i = 0; i < c->nblocks; i++)
        for (unsigned e = c->succ_start[i]; e < c->succ_start[i + 1]; e++) {
            unsigned j = c->succ[e];
            if (j < c->nblocks)
                c->pred[c->pred_start[j] + fill[j]++] = i;
        }
    free(fill);
    wp_map_free(&idx);
    return 0;
fail:
    wp_map_free(&idx);
    return -1;
}

static void free_cfg(struct fn_ctx *c)
{
    free(c->blocks);
    free(c->succ_start);
    free(c->succ);
    free(c->pred_start);
    free(c->pred);
    c->blocks = NULL;
    c->succ_start = c->succ = c->pred_start = c->pred = NULL;
}

static LLVMValueRef first_insertion_point(LLVMBasicBlockRef bb)
{
    LLVMValueRef i = LLVMGetFirstInstruction(bb);
    while (i && (LLVMIsAPHINode(i) || LLVMIsALandingPadInst(i) ||
                 LLVMGetInstructionOpcode(i) == LLVMCatchPad ||
                 LLVMGetInstructionOpcode(i) == LLVMCleanupPad ||
                 LLVMGetInstructionOpcode(i) == LLVMCatchSwitch))
        i = LLVMGetNextInstruction(i);
    return i;
}

/* A unit is what is cleared as one: a pointer-sized pointer field at a
 * constant offset, or the whole slot when it has too many of them. */
struct unit {
    uint64_t off, size;
};

#define MAX_UNITS 64

/* Flattens ty into the offsets of its pointer leaves; returns the count, or
 * MAX_UNITS + 1 when there are too many (the caller then clears the slot
 * as a whole). */
static unsigned pointer_leaves(const struct fn_ctx *c, LLVMTypeRef ty, uint64_t base,
                               struct unit *out, unsigned n, int depth)
{
    if (n > MAX_UNITS || depth > 16)
        return MAX_UNITS + 1;
    switch (LLVMGetTypeKind(ty)) {
    case LLVMPointerTypeKind:
        if (n == MAX_UNITS)
            return MAX_UNITS + 1;
        out[n].off = base;
        out[n].size = LLVMABISizeOfType(c->td, ty);
        return n + 1;
    case LLVMStructTypeKind: {
        unsigned k = LLVMCountStructElementTypes(ty);
        for (unsigned i = 0; i < k && n <= MAX_UNITS; i++)
            n = pointer_leaves(c, LLVMStructGetTypeAtIndex(ty, i),
                               base + LLVMOffsetOfElement(c->td, ty, i), out, n, depth + 1);
        return n;
    }
    case LLVMArrayTypeKind: {
        LLVMTypeRef el = LLVMGetElementType(ty);
        uint64_t len = LLVMGetArrayLength2(ty), es = LLVMABISizeOfType(c->td, el);
        if (!type_may_hold_pointer(el, 0))
            return n;
        if (len > MAX_UNITS)
            return MAX_UNITS + 1;
        for (uint64_t i = 0; i < len && n <= MAX_UNITS; i++)
            n = pointer_leaves(c, el, base + i * es, out, n, depth + 1);
        return n;
    }
    case LLVMVectorTypeKind:
        return type_may_hold_pointer(ty, 0) ? MAX_UNITS + 1 : n;
    default:
        return n;
    }
}

static void emit_clear(struct fn_ctx *c, LLVMValueRef slot, const struct unit *u, int whole,
                       LLVMValueRef before)
{
    LLVMPositionBuilderBefore(c->b, before);
    LLVMSetCurrentDebugLocation2(
        c->b, c->sp ? LLVMDIBuilderCreateDebugLocation(c->ctx, 0, 0, c->sp, NULL) : NULL);
    LLVMTypeRef i8 = LLVMInt8TypeInContext(c->ctx), i64 = LLVMInt64TypeInContext(c->ctx);
    LLVMValueRef p = slot;
    if (u->off) {
        LLVMValueRef idx = LLVMConstInt(i64, u->off, 0);
        p = LLVMBuildInBoundsGEP2(c->b, i8, slot, &idx, 1, "");
    }
    if (!whole) {
        LLVMTypeRef pty = LLVMPointerTypeInContext(c->ctx, 0);
        LLVMValueRef st = LLVMBuildStore(c->b, LLVMConstNull(pty), p);
        LLVMSetVolatile(st, 1);
        unsigned a = LLVMGetAlignment(slot);
        /* the field's alignment: the slot's, reduced by the offset */
        while (a > 1 && (u->off % a) != 0)
            a /= 2;
        LLVMSetAlignment(st, a ? a : 1);
        return;
    }
    LLVMValueRef ms = LLVMBuildMemSet(c->b, p, LLVMConstInt(i8, 0, 0), LLVMConstInt(i64, u->size, 0),
                                      LLVMGetAlignment(slot));
    /* Volatile, so it is never removed as a dead store. */
    LLVMSetOperand(ms, 3, LLVMConstInt(LLVMInt1TypeInContext(c->ctx), 1, 0));
}

static int overlaps(const struct access *a, const struct unit *u)
{
    return a->lo < u->off + u->size && u->off < a->hi;
}

/* Forward must-analysis: is the slot inside its lifetime at each block's
 * entry and exit?  Without lifetime markers it lives for the whole
 * function. */
static void lifetime_analysis(const struct fn_ctx *c, const struct access_list *l,
                              unsigned char *lt_in, unsigned char *lt_out)
{
    unsigned n = c->nblocks;
    int any_marks = 0;
    for (unsigned i = 0; i < l->n; i++)
        if (l->a[i].kind & (ACC_START | ACC_END))
            any_marks = 1;
    memset(lt_in, 1, n);
    memset(lt_out, 1, n);
    if (!any_marks)
        return;
    /* Optimistic start, entry block fixed "outside", iterate downwards. */
    for (int changed = 1; changed;) {
        changed = 0;
        for (unsigned i = 0; i < n; i++) {
            unsigned char in = i != 0;
            for (unsigned e = c->pred_start[i]; e < c->pred_start[i + 1]; e++)
                if (!lt_out[c->pred[e]])
                    in = 0;
            unsigned char st = in;
            for (LLVMValueRef ins = LLVMGetFirstInstruction(c->blocks[i]); ins;
                 ins = LLVMGetNextInstruction(ins)) {
                const struct access *a = alist_get(l, ins);
                if (a && (a->kind & ACC_START))
                    st = 1;
                if (a && (a->kind & ACC_END))
                    st = 0;
            }
            if (in != lt_in[i] || st != lt_out[i]) {
                lt_in[i] = in;
                lt_out[i] = st;
                changed = 1;
            }
        }
    }
}

/* Liveness of one unit and its clears; returns how many were inserted. */
static unsigned clear_unit(struct fn_ctx *c, LLVMValueRef slot, const struct access_list *l,
                           const struct unit *u, int whole, const unsigned char *lt_in,
                           unsigned char *gen, unsigned char *touched, unsigned char *live_in,
                           unsigned char *live_out)
{
    unsigned n = c->nblocks, cleared = 0;
    memset(gen, 0, n);
    memset(touched, 0, n);
    memset(live_in, 0, n);
    memset(live_out, 0, n);
    int any = 0;
    for (unsigned i = 0; i < n; i++)
        for (LLVMValueRef ins = LLVMGetFirstInstruction(c->blocks[i]); ins;
             ins = LLVMGetNextInstruction(ins)) {
            const struct access *a = alist_get(l, ins);
            if (!a || !(a->kind & (ACC_READ | ACC_WRITE)) || !overlaps(a, u))
                continue;
            /* Writes are not treated as kills: liveness can only be
             * over-estimated, which only means fewer clears. */
            if (a->kind & ACC_READ)
                gen[i] = 1;
            touched[i] = 1;
            any = 1;
        }
    if (!any)
        return 0;

    /* Backward may-liveness to a fixed point (loops included). */
    for (int changed = 1; changed;) {
        changed = 0;
        for (unsigned ii = n; ii-- > 0;) {
            unsigned char out = 0;
            for (unsigned e = c->succ_start[ii]; e < c->succ_start[ii + 1]; e++)
                if (c->succ[e] < n && live_in[c->succ[e]])
                    out = 1;
            unsigned char in = gen[ii] | out;
            if (out != live_out[ii] || in != live_in[ii]) {
                live_out[ii] = out;
                live_in[ii] = in;
                changed = 1;
            }
        }
    }

    for (unsigned i = 0; i < n; i++) {
        LLVMBasicBlockRef bb = c->blocks[i];
        /* After the last access of a block out of which the unit is dead:
         * nothing after it in the block touches the unit, nothing after the
         * block reads it. */
        if (touched[i] && !live_out[i]) {
            LLVMValueRef last = NULL;
            unsigned char lt = lt_in[i], lt_at_last = 0;
            for (LLVMValueRef ins = LLVMGetFirstInstruction(bb); ins;
                 ins = LLVMGetNextInstruction(ins)) {
                const struct access *a = alist_get(l, ins);
                if (!a)
                    continue;
                if (a->kind & ACC_START)
                    lt = 1;
                if (a->kind & ACC_END)
                    lt = 0;
                if ((a->kind & (ACC_READ | ACC_WRITE)) && overlaps(a, u)) {
                    last = ins;
                    lt_at_last = lt;
                }
            }
            LLVMValueRef next = last ? LLVMGetNextInstruction(last) : NULL;
            if (next && lt_at_last) {
                emit_clear(c, slot, u, whole, next);
                cleared++;
            }
        }
        /* At the start of a block the unit enters dead from a predecessor
         * where it was live. */
        if (i != 0 && !live_in[i] && lt_in[i]) {
            int from_live = 0;
            for (unsigned e = c->pred_start[i]; e < c->pred_start[i + 1]; e++)
                if (live_out[c->pred[e]])
                    from_live = 1;
            LLVMValueRef at = first_insertion_point(bb);
            if (from_live && at && !LLVMIsACatchSwitchInst(at)) {
                emit_clear(c, slot, u, whole, at);
                cleared++;
            }
        }
    }
    return cleared;
}

/* Runs the analyses for one slot and inserts its clears; returns how many. */
static unsigned clear_slot(struct fn_ctx *c, LLVMValueRef slot)
{
    LLVMTypeRef ty = LLVMGetAllocatedType(slot);
    LLVMValueRef count = LLVMGetOperand(slot, 0);
    if (!LLVMIsAConstantInt(count) || LLVMConstIntGetZExtValue(count) != 1)
        return 0; /* dynamic or array allocas: size unknown here */
    if (!LLVMTypeIsSized(ty) || !type_may_hold_pointer(ty, 0))
        return 0;
    uint64_t size = LLVMABISizeOfType(c->td, ty);
    if (size == 0 || size > (1u << 20))
        return 0;

    struct access_list l = {0};
    struct unit units[MAX_UNITS];
    unsigned nunits = 0, cleared = 0;
    int whole = 0;
    if (collect_accesses(c, slot, 0, &l, 0) < 0 || l.n == 0)
        goto out;
    nunits = pointer_leaves(c, ty, 0, units, 0, 0);
    if (nunits == 0)
        goto out;
    if (nunits > MAX_UNITS) {
        nunits = 1;
        units[0].off = 0;
        units[0].size = size;
        whole = 1;
    }

    unsigned n = c->nblocks;
    unsigned char *buf = calloc(n, 6);
    if (!buf)
        goto out;
    unsigned char *lt_in = buf, *lt_out = buf + n, *gen = buf + 2 * n, *touched = buf + 3 * n,
                  *live_in = buf + 4 * n, *live_out = buf + 5 * n;
    lifetime_analysis(c, &l, lt_in, lt_out);
    for (unsigned k = 0; k < nunits; k++)
        cleared += clear_unit(c, slot, &l, &units[k], whole, lt_in, gen, touched, live_in, live_out);
    free(buf);
out:
    alist_free(&l);
    return cleared;
}

/* setjmp & co. return a second time along an edge the CFG does not show:
 * locals the program reads after the longjmp look dead on the first return
 * (C keeps them valid when they were not modified in between).  No
 * liveness analysis of such a function is sound, so it is left alone. */
static int calls_returns_twice(LLVMValueRef fn)
{
    unsigned k = LLVMGetEnumAttributeKindForName("returns_twice", 13);
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i)) {
            LLVMOpcode op = LLVMGetInstructionOpcode(i);
            if (op != LLVMCall && op != LLVMInvoke)
                continue;
            if (LLVMGetCallSiteEnumAttribute(i, LLVMAttributeFunctionIndex, k))
                return 1;
            LLVMValueRef callee = LLVMGetCalledValue(i);
            if (callee && LLVMIsAFunction(callee) &&
                LLVMGetEnumAttributeAtIndex(callee, LLVMAttributeFunctionIndex, k))
                return 1;
        }
    return 0;
}

unsigned wp_liveness_function(LLVMValueRef fn, LLVMTargetDataRef td)
{
    if (LLVMIsDeclaration(fn) || LLVMCountBasicBlocks(fn) == 0 || calls_returns_twice(fn))
        return 0;
    /* Looked up per function, not cached in statics: ThinLTO runs the pass
     * on several threads at once. */
    struct intrinsics ids;
#define ID(s) LLVMLookupIntrinsicID(s, sizeof(s) - 1)
    ids.memcpy_id = ID("llvm.memcpy");
    ids.memcpy_inline_id = ID("llvm.memcpy.inline");
    ids.memmove_id = ID("llvm.memmove");
    ids.memset_id = ID("llvm.memset");
    ids.memset_inline_id = ID("llvm.memset.inline");
    ids.lt_start_id = ID("llvm.lifetime.start");
    ids.lt_end_id = ID("llvm.lifetime.end");
#undef ID
    struct fn_ctx c = {0};
    c.ctx = LLVMGetTypeContext(LLVMTypeOf(fn));
    c.td = td;
    c.ids = &ids;
    c.sp = LLVMGetSubprogram(fn);
    if (build_cfg(&c, fn) < 0) {
        free_cfg(&c);
        return 0;
    }
    c.b = LLVMCreateBuilderInContext(c.ctx);

    /* Snapshot the slots first: clearing inserts instructions. */
    unsigned total = 0, nslots = 0, cap = 0;
    LLVMValueRef *slots = NULL;
    for (unsigned i = 0; i < c.nblocks; i++)
        for (LLVMValueRef ins = LLVMGetFirstInstruction(c.blocks[i]); ins;
             ins = LLVMGetNextInstruction(ins)) {
            if (!LLVMIsAAllocaInst(ins) || wp_is_slot_alloca(ins))
                continue;
            if (nslots == cap) {
                cap = cap ? cap * 2 : 16;
                LLVMValueRef *ns = realloc(slots, cap * sizeof *ns);
                if (!ns)
                    goto done;
                slots = ns;
            }
            slots[nslots++] = ins;
        }
    for (unsigned s = 0; s < nslots; s++)
        total += clear_slot(&c, slots[s]);
done:
    free(slots);
    LLVMDisposeBuilder(c.b);
    free_cfg(&c);
    return total;
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
