/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * liveness_callee.c - a callee clears its caller's dead stack object.
 *
 * f(): struct s s; s.h = obj; g(&s); ...      (s never read again)
 * g(p): ...; last use of *p; collect         <- s.h is dead from here on
 *
 * While g runs, f is suspended at the call, so only g can end the object's
 * liveness early enough (Go's stackobj test expects the collection inside g).
 * g zeroes the pointer fields through its parameter after its own last use
 * when all of this holds:
 *   - g has local linkage and every use of it is a direct `call` (not an
 *     invoke: an unwinding callee leaves the caller's frame entirely), in a
 *     function this pass analyses (none calling setjmp & co.);
 *   - at every call site the argument is a whole alloca of the same type
 *     whose address does not escape the caller (lv_track), that appears in
 *     no other operand of the call, that is inside its lifetime at the call,
 *     and whose cleared fields are dead right after the call;
 *   - in g, every pointer derived from the parameter is followed (lv_track:
 *     no escape), and the fields are dead there (liveness_plan.c).
 * Nothing else can read the object meanwhile: its address reached nothing but
 * non-capturing arguments, and f runs again only after g returns.  g then
 * writes memory, so `readonly`/`readnone`/`memory(...)` claims on g, its
 * parameter and its call sites are dropped.
 */
#include "liveness.h"

#include <stdlib.h>
#include <string.h>

struct lv_cc {
    LLVMValueRef fn, param;
    unsigned argno;
    LLVMTypeRef ty;    /* the callers' alloca type */
    unsigned align;    /* the smallest alloca alignment */
    uint64_t mask;     /* units dead after every call */
    uint32_t sites, nuses;
    int bad;
};

/* Every use of fn is a direct call of it (with its own type), or -1. */
static int count_direct_calls(LLVMValueRef fn)
{
    int n = 0;
    for (LLVMUseRef u = LLVMGetFirstUse(fn); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (lv_is_site_label(user))
            continue; /* a label naming its function: no call, no escape */
        if (!LLVMIsACallInst(user) || LLVMGetCalledValue(user) != fn ||
            LLVMGetCalledFunctionType(user) != LLVMGlobalGetValueType(fn))
            return -1;
        unsigned nargs = LLVMGetNumArgOperands(user);
        for (unsigned i = 0; i < nargs; i++)
            if (LLVMGetOperand(user, i) == fn)
                return -1; /* also passed as a callback */
        n++;
    }
    return n;
}

static struct lv_cc *cc_for(struct lv_module *m, LLVMValueRef param)
{
    uint32_t i = wp_map_get(&m->ccidx, (uintptr_t)param);
    return i == UINT32_MAX ? NULL : &m->cc[i];
}

/* One call site of g, argument k: does it qualify, and which units die? */
static void visit_site(struct lv_fn *f, struct lv_cc *cc, LLVMValueRef call)
{
    struct lv_module *m = f->m;
    LLVMValueRef s = LLVMGetOperand(call, cc->argno);
    if (!LLVMIsAAllocaInst(s) || lv_ins_block(f, s) == UINT32_MAX) {
        cc->bad = 1;
        return;
    }
    LLVMValueRef count = LLVMGetOperand(s, 0);
    LLVMTypeRef ty = LLVMGetAllocatedType(s);
    if (!LLVMIsAConstantInt(count) || LLVMConstIntGetZExtValue(count) != 1 ||
        !LLVMTypeIsSized(ty) || (cc->ty && cc->ty != ty)) {
        cc->bad = 1;
        return;
    }
    struct lv_unit units[LV_MAX_UNITS];
    int whole = 0;
    unsigned nunits = lv_units(m, ty, units, &whole);
    if (whole || nunits == 0) {
        cc->bad = 1;
        return;
    }
    struct lv_track t;
    uint64_t size = LLVMABISizeOfType(m->td, ty);
    if (lv_track(m, s, size, &t) == 0) {
        int other = 0;
        unsigned nops = (unsigned)LLVMGetNumOperands(call);
        for (unsigned i = 0; i < nops && !other; i++)
            other = i != cc->argno && lv_track_derived(&t, LLVMGetOperand(call, i));
        uint64_t mask = other ? 0 : lv_dead_after(f, &t, units, nunits, call);
        cc->mask &= mask;
        cc->ty = ty;
        unsigned a = LLVMGetAlignment(s);
        if (!cc->align || a < cc->align)
            cc->align = a;
        cc->sites++;
    } else {
        cc->bad = 1;
    }
    lv_track_free(&t);
}

void lv_callee_plan(struct lv_module *m, LLVMValueRef *fns, unsigned nfns)
{
    /* Candidates: local functions called only directly, by eligible code. */
    for (unsigned i = 0; i < nfns; i++) {
        LLVMValueRef g = fns[i];
        if (!lv_is_eligible(m, g) || !lv_exact_definition(g) || LLVMIsFunctionVarArg(LLVMGlobalGetValueType(g)))
            continue;
        int nuses = count_direct_calls(g);
        if (nuses <= 0)
            continue;
        unsigned np = LLVMCountParams(g);
        for (unsigned k = 0; k < np; k++) {
            LLVMValueRef p = LLVMGetParam(g, k);
            if (!lv_is_ptr(LLVMTypeOf(p)))
                continue;
            if (wp_grow((void **)&m->cc, &m->capcc, m->ncc + 1, sizeof *m->cc) ||
                wp_map_put(&m->ccidx, (uintptr_t)p, m->ncc))
                return;
            m->cc[m->ncc++] = (struct lv_cc){g, p, k, NULL, 0, ~0ull, 0, (uint32_t)nuses, 0};
        }
    }
    if (!m->ncc)
        return;
    /* Call sites, caller by caller (one CFG each). */
    for (unsigned i = 0; i < nfns; i++) {
        LLVMValueRef fn = fns[i];
        if (!lv_is_eligible(m, fn))
            continue;
        struct lv_fn f;
        int have = 0;
        for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
            for (LLVMValueRef ins = LLVMGetFirstInstruction(bb); ins;
                 ins = LLVMGetNextInstruction(ins)) {
                if (!LLVMIsACallInst(ins))
                    continue;
                LLVMValueRef callee = LLVMGetCalledValue(ins);
                if (!callee || !LLVMIsAFunction(callee))
                    continue;
                unsigned np = LLVMCountParams(callee);
                for (unsigned k = 0; k < np; k++) {
                    struct lv_cc *cc = cc_for(m, LLVMGetParam(callee, k));
                    if (!cc || cc->bad)
                        continue;
                    if (!have) {
                        if (lv_fn_init(&f, m, fn)) {
                            lv_fn_free(&f);
                            cc->bad = 1;
                            continue;
                        }
                        have = 1;
                    }
                    visit_site(&f, cc, ins);
                }
            }
        if (have)
            lv_fn_free(&f);
    }
}

static void drop_write_claims(struct lv_module *m, struct lv_cc *cc)
{
    unsigned idx = cc->argno + 1;
    unsigned fnattrs[] = {m->k_memory, m->k_readonly, m->k_readnone};
    unsigned argattrs[] = {m->k_readonly, m->k_readnone};
    for (unsigned a = 0; a < 3; a++)
        if (fnattrs[a])
            LLVMRemoveEnumAttributeAtIndex(cc->fn, LLVMAttributeFunctionIndex, fnattrs[a]);
    for (unsigned a = 0; a < 2; a++)
        if (argattrs[a])
            LLVMRemoveEnumAttributeAtIndex(cc->fn, idx, argattrs[a]);
    for (LLVMUseRef u = LLVMGetFirstUse(cc->fn); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef call = LLVMGetUser(u);
        if (lv_is_site_label(call))
            continue;
        for (unsigned a = 0; a < 3; a++)
            if (fnattrs[a])
                LLVMRemoveCallSiteEnumAttribute(call, LLVMAttributeFunctionIndex, fnattrs[a]);
        for (unsigned a = 0; a < 2; a++)
            if (argattrs[a])
                LLVMRemoveCallSiteEnumAttribute(call, idx, argattrs[a]);
    }
}

unsigned lv_callee_clears(struct lv_fn *f, struct lv_plan *p)
{
    struct lv_module *m = f->m;
    unsigned added = 0;
    unsigned np = LLVMCountParams(f->fn);
    for (unsigned k = 0; k < np; k++) {
        struct lv_cc *cc = cc_for(m, LLVMGetParam(f->fn, k));
        if (!cc || cc->bad || cc->sites != cc->nuses || !cc->mask || !cc->ty)
            continue;
        struct lv_unit all[LV_MAX_UNITS], units[LV_MAX_UNITS];
        int whole = 0;
        unsigned n = lv_units(m, cc->ty, all, &whole), nu = 0;
        for (unsigned i = 0; i < n && !whole; i++)
            if (cc->mask & (1ull << i))
                units[nu++] = all[i];
        if (!nu)
            continue;
        struct lv_track t;
        uint64_t size = LLVMABISizeOfType(m->td, cc->ty);
        if (lv_track(m, cc->param, size, &t) == 0) {
            unsigned c = lv_plan_object(f, &t, cc->param, units, nu, 0, cc->align, 0, 0, p);
            if (c)
                drop_write_claims(m, cc);
            added += c;
        }
        lv_track_free(&t);
    }
    return added;
}

void lv_callee_free(struct lv_module *m)
{
    free(m->cc);
    wp_map_free(&m->ccidx);
    m->cc = NULL;
    m->ncc = m->capcc = 0;
}
