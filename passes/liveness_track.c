/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * liveness_track.c - every pointer derived from one stack object, and every
 * instruction that can read or write the object through one of them.
 *
 * A clear is safe when no later instruction can read the object; that is
 * only decidable when all the ways to reach its memory are known.  From the
 * object's address (an alloca, or a parameter for the callee rule) we
 * follow:
 *   - getelementptr (offset known when constant),
 *   - phi and select (a "merge": may or may not point into the object),
 *   - stores of the address into a "holder": a pointer alloca that is only
 *     loaded and stored, so that its loads are derived pointers too,
 *   - calls whose argument does not capture the pointer (LLVM's nocapture
 *     or byval, whence_keep_alive, and this module's own local functions,
 *     analysed here by the same rules): an access of the whole object at
 *     the call.
 * Loads, stores, memcpy/memmove/memset through a derived pointer are the
 * accesses; icmp reads no memory.  Anything else (a store of the address to
 * other memory, ptrtoint, a capturing or variadic argument, an indirect
 * callee, a return) means the address escapes: the caller of lv_track then
 * leaves the object alone.
 */
#include "liveness.h"

#include <stdlib.h>
#include <string.h>

enum { LV_NC_BUSY = 1, LV_NC_YES = 2, LV_NC_NO = 3 };

struct item {
    LLVMValueRef v;
    uint64_t off; /* from the object's start, or LV_UNKNOWN */
    int origin;   /* -1: derived from the object itself */
    int inrange;  /* known to lie in [object, object + size] */
};

struct work {
    struct item *it;
    uint32_t n, cap;
};

int lv_exact_definition(LLVMValueRef fn)
{
    if (LLVMIsDeclaration(fn))
        return 0;
    LLVMLinkage l = LLVMGetLinkage(fn);
    /* Only local functions: an exported one may be interposed, a weak or
     * linkonce one replaced by another definition at link time. */
    return l == LLVMInternalLinkage || l == LLVMPrivateLinkage;
}

const struct lv_access *lv_track_get(const struct lv_track *t, LLVMValueRef ins)
{
    uint32_t i = wp_map_get(&t->idx, (uintptr_t)ins);
    return i == UINT32_MAX ? NULL : &t->a[i];
}

int lv_track_derived(const struct lv_track *t, LLVMValueRef v)
{
    return wp_map_get(&t->seen, (uintptr_t)v) != UINT32_MAX;
}

int lv_track_origin(const struct lv_track *t, LLVMValueRef v)
{
    uint32_t o = wp_map_get(&t->seen, (uintptr_t)v);
    return o == UINT32_MAX ? -2 : (int)o - 2;
}

static int add_access(struct lv_track *t, LLVMValueRef ins, int kind, uint64_t lo, uint64_t hi,
                      int origin)
{
    uint32_t i = wp_map_get(&t->idx, (uintptr_t)ins);
    if (i != UINT32_MAX) {
        struct lv_access *a = &t->a[i];
        a->kind |= kind;
        if (lo < a->lo)
            a->lo = lo;
        if (hi > a->hi)
            a->hi = hi;
        if (a->origin != origin)
            a->origin = -1; /* through two ways: the stricter one */
        return 0;
    }
    if (wp_grow((void **)&t->a, &t->cap, t->n + 1, sizeof *t->a) ||
        wp_map_put(&t->idx, (uintptr_t)ins, t->n))
        return -1;
    t->a[t->n++] = (struct lv_access){ins, kind, lo, hi, origin};
    return 0;
}

/* Index of origin v (a holder alloca or a merge), added when new; -1 when
 * the table is full (the accesses through it then count as direct, which
 * only forbids guarded clears). */
static int origin_of(struct lv_track *t, LLVMValueRef v, int holder)
{
    for (int i = 0; i < t->no; i++)
        if (t->o[i].v == v)
            return i;
    if (t->no == LV_MAX_ORIGINS)
        return -1;
    t->o[t->no] = (struct lv_origin){v, holder};
    return t->no++;
}

static int push(struct lv_track *t, struct work *w, LLVMValueRef v, uint64_t off, int origin,
                int inrange)
{
    if (wp_map_get(&t->seen, (uintptr_t)v) != UINT32_MAX)
        return 0;
    if (++t->nseen > LV_MAX_DERIVED || wp_map_put(&t->seen, (uintptr_t)v, (uint32_t)(origin + 2)) ||
        wp_grow((void **)&w->it, &w->cap, w->n + 1, sizeof *w->it))
        return -1;
    w->it[w->n++] = (struct item){v, off, origin, inrange};
    return 0;
}

/* Constant byte offset of a GEP, or LV_UNKNOWN. */
static uint64_t gep_offset(const struct lv_module *m, LLVMValueRef gep)
{
    LLVMTypeRef t = LLVMGetGEPSourceElementType(gep);
    unsigned n = (unsigned)LLVMGetNumOperands(gep);
    uint64_t off = 0;
    for (unsigned i = 1; i < n; i++) {
        LLVMValueRef idx = LLVMGetOperand(gep, i);
        if (!LLVMIsAConstantInt(idx))
            return LV_UNKNOWN;
        long long v = LLVMConstIntGetSExtValue(idx);
        if (v < 0)
            return LV_UNKNOWN;
        if (i == 1) {
            off += (uint64_t)v * LLVMABISizeOfType(m->td, t);
            continue;
        }
        switch (LLVMGetTypeKind(t)) {
        case LLVMStructTypeKind:
            if ((unsigned long long)v >= LLVMCountStructElementTypes(t))
                return LV_UNKNOWN;
            off += LLVMOffsetOfElement(m->td, t, (unsigned)v);
            t = LLVMStructGetTypeAtIndex(t, (unsigned)v);
            break;
        case LLVMArrayTypeKind:
            t = LLVMGetElementType(t);
            off += (uint64_t)v * LLVMABISizeOfType(m->td, t);
            break;
        default:
            return LV_UNKNOWN;
        }
    }
    return off;
}

static uint64_t range_end(uint64_t off, uint64_t size)
{
    if (off == LV_UNKNOWN || size == LV_UNKNOWN || off + size < off)
        return LV_UNKNOWN;
    return off + size;
}

/* A holder: a single pointer alloca (not the object itself) used only as
 * the address of plain loads of a pointer and of stores. */
static int holder_ok(LLVMValueRef h, LLVMValueRef root)
{
    if (h == root || !LLVMIsAAllocaInst(h))
        return 0;
    LLVMValueRef count = LLVMGetOperand(h, 0);
    if (!LLVMIsAConstantInt(count) || LLVMConstIntGetZExtValue(count) != 1 ||
        !lv_is_ptr(LLVMGetAllocatedType(h)))
        return 0;
    for (LLVMUseRef u = LLVMGetFirstUse(h); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (!LLVMIsAInstruction(user))
            return 0;
        LLVMOpcode op = LLVMGetInstructionOpcode(user);
        if (op == LLVMLoad && lv_is_ptr(LLVMTypeOf(user)))
            continue;
        if (op == LLVMStore && LLVMGetOperand(user, 1) == h && LLVMGetOperand(user, 0) != h)
            continue;
        return 0;
    }
    return 1;
}

static unsigned callee_intrinsic(LLVMValueRef call)
{
    LLVMValueRef callee = LLVMGetCalledValue(call);
    if (!callee || !LLVMIsAFunction(callee))
        return 0;
    return LLVMGetIntrinsicID(callee);
}

static int attr_at(LLVMValueRef call, LLVMValueRef callee, unsigned idx, unsigned kind)
{
    if (!kind)
        return 0;
    return LLVMGetCallSiteEnumAttribute(call, idx, kind) != NULL ||
           LLVMGetEnumAttributeAtIndex(callee, idx, kind) != NULL;
}

static int param_nocapture(struct lv_module *m, LLVMValueRef param);

int lv_call_arg_nocapture(struct lv_module *m, LLVMValueRef call, unsigned argno)
{
    LLVMOpcode op = LLVMGetInstructionOpcode(call);
    if (op != LLVMCall && op != LLVMInvoke)
        return 0;
    LLVMValueRef callee = LLVMGetCalledValue(call);
    if (!callee || !LLVMIsAFunction(callee) ||
        LLVMGetCalledFunctionType(call) != LLVMGlobalGetValueType(callee))
        return 0;
    if (argno >= LLVMGetNumArgOperands(call) || argno >= LLVMCountParams(callee))
        return 0; /* variadic part: va_arg may copy it anywhere */
    unsigned idx = argno + 1;
    if (attr_at(call, callee, idx, m->k_returned))
        return 0; /* the result is the pointer */
    if (attr_at(call, callee, idx, m->k_nocapture) || attr_at(call, callee, idx, m->k_byval))
        return 1;
    if (m->keep_alive && callee == m->keep_alive)
        return 1; /* whence_gc.h declares it noescape; also older headers */
    if (lv_exact_definition(callee))
        return param_nocapture(m, LLVMGetParam(callee, argno));
    return 0;
}

/* Our own answer for a parameter of a local function, memoized.  A
 * recursive query (the function passes its parameter on to itself, directly
 * or through others) finds it busy and answers "captures". */
static int param_nocapture(struct lv_module *m, LLVMValueRef param)
{
    uint32_t s = wp_map_get(&m->nocap, (uintptr_t)param);
    if (s != UINT32_MAX)
        return s == LV_NC_YES;
    /* Bounded: a long chain of local functions handing the pointer down
     * would otherwise nest this as deep as the chain. */
    if (m->nc_depth >= 32 || wp_map_put(&m->nocap, (uintptr_t)param, LV_NC_BUSY))
        return 0;
    m->nc_depth++;
    struct lv_track t;
    int ok = lv_track(m, param, LV_UNKNOWN, &t) == 0;
    lv_track_free(&t);
    m->nc_depth--;
    wp_map_put(&m->nocap, (uintptr_t)param, ok ? LV_NC_YES : LV_NC_NO);
    return ok;
}

/* One use of a derived pointer; returns -1 when it escapes. */
static int visit_use(struct lv_module *m, struct lv_track *t, struct work *w, LLVMValueRef root,
                     const struct item *it, LLVMValueRef user)
{
    if (!LLVMIsAInstruction(user))
        return -1;
    LLVMValueRef v = it->v;
    LLVMOpcode op = LLVMGetInstructionOpcode(user);
    switch (op) {
    case LLVMGetElementPtr: {
        unsigned n = (unsigned)LLVMGetNumOperands(user);
        for (unsigned i = 1; i < n; i++)
            if (LLVMGetOperand(user, i) == v)
                return -1; /* the address used as an index */
        uint64_t g = gep_offset(m, user);
        uint64_t off = it->off == LV_UNKNOWN || g == LV_UNKNOWN ? LV_UNKNOWN : it->off + g;
        if (off != LV_UNKNOWN && off < it->off)
            off = LV_UNKNOWN;
        int inrange = it->inrange && (LLVMIsInBounds(user) ||
                                      (off != LV_UNKNOWN && t->size != LV_UNKNOWN && off <= t->size));
        return push(t, w, user, off, it->origin, inrange);
    }
    case LLVMPHI:
    case LLVMSelect: {
        if (op == LLVMSelect && LLVMGetOperand(user, 0) == v)
            return -1;
        if (!it->inrange)
            t->guardable = 0;
        return push(t, w, user, LV_UNKNOWN, origin_of(t, user, 0), 1);
    }
    case LLVMICmp: {
        /* A test against null reads nothing.  Any other compare may learn
         * the address (found again by walking up from a frame and
         * compared: helper-120), as LLVM's capture tracking counts it. */
        LLVMValueRef a = LLVMGetOperand(user, 0), b = LLVMGetOperand(user, 1);
        LLVMValueRef other = a == v ? b : a;
        return LLVMIsConstant(other) && LLVMIsNull(other) ? 0 : -1;
    }
    case LLVMLoad: {
        uint64_t size = LLVMABISizeOfType(m->td, LLVMTypeOf(user));
        uint64_t lo = it->off == LV_UNKNOWN ? 0 : it->off;
        return add_access(t, user, LV_READ, lo, range_end(it->off, size), it->origin);
    }
    case LLVMStore: {
        LLVMValueRef val = LLVMGetOperand(user, 0), ptr = LLVMGetOperand(user, 1);
        if (val == v) {
            if (ptr == v || !holder_ok(ptr, root))
                return -1;
            if (!it->inrange)
                t->guardable = 0;
            int o = origin_of(t, ptr, 1);
            if (wp_grow((void **)&t->hs, &t->caphs, t->nhs + 1, sizeof *t->hs))
                return -1;
            t->hs[t->nhs++] = (struct lv_hstore){user, o, it->origin};
            if (t->nhs > LV_MAX_ORIGINS * 8)
                t->guardable = 0; /* keeps the guarded placement cheap */
            /* Every load of the holder may yield the address. */
            for (LLVMUseRef u = LLVMGetFirstUse(ptr); u; u = LLVMGetNextUse(u)) {
                LLVMValueRef l = LLVMGetUser(u);
                if (LLVMGetInstructionOpcode(l) == LLVMLoad && push(t, w, l, LV_UNKNOWN, o, 1))
                    return -1;
            }
            return 0;
        }
        uint64_t size = LLVMABISizeOfType(m->td, LLVMTypeOf(val));
        uint64_t lo = it->off == LV_UNKNOWN ? 0 : it->off;
        return add_access(t, user, LV_WRITE, lo, range_end(it->off, size), it->origin);
    }
    case LLVMCall:
    case LLVMInvoke: {
        if (LLVMGetCalledValue(user) == v)
            return -1;
        unsigned nargs = LLVMGetNumArgOperands(user);
        unsigned id = callee_intrinsic(user);
        for (unsigned i = 0; i < nargs; i++) {
            if (LLVMGetOperand(user, i) != v)
                continue;
            uint64_t lo = it->off == LV_UNKNOWN ? 0 : it->off;
            int kind;
            uint64_t hi;
            if (id) {
                if (id == m->lt_start_id || id == m->lt_end_id) {
                    if (it->origin != -1 || i != 1)
                        return -1;
                    if (add_access(t, user, id == m->lt_start_id ? LV_START : LV_END, 0, LV_UNKNOWN,
                                   -1))
                        return -1;
                    continue;
                }
                int set = id == m->memset_id || id == m->memset_inline_id;
                int cpy = id == m->memcpy_id || id == m->memcpy_inline_id || id == m->memmove_id;
                if ((!set && !cpy) || i > (cpy ? 1u : 0u))
                    return -1;
                LLVMValueRef len = LLVMGetOperand(user, 2);
                uint64_t n = LLVMIsAConstantInt(len) ? LLVMConstIntGetZExtValue(len) : LV_UNKNOWN;
                kind = i == 0 ? LV_WRITE : LV_READ;
                hi = range_end(it->off, n);
            } else {
                if (!lv_call_arg_nocapture(m, user, i))
                    return -1;
                /* The callee may touch any byte of the object. */
                kind = LV_READ | LV_WRITE;
                lo = 0;
                hi = LV_UNKNOWN;
            }
            if (add_access(t, user, kind, lo, hi, it->origin))
                return -1;
        }
        /* Operand bundles and anything past the arguments. */
        unsigned n = (unsigned)LLVMGetNumOperands(user);
        for (unsigned i = nargs; i < n; i++)
            if (LLVMGetOperand(user, i) == v)
                return -1;
        return 0;
    }
    default:
        return -1;
    }
}

int lv_track(struct lv_module *m, LLVMValueRef root, uint64_t size, struct lv_track *t)
{
    memset(t, 0, sizeof *t);
    t->size = size;
    t->guardable = 1;
    struct work w = {0};
    if (push(t, &w, root, 0, -1, 1)) {
        t->escapes = 1;
        free(w.it);
        return -1;
    }
    /* Depth first; the item array may move while a use is visited. */
    while (w.n && !t->escapes) {
        struct item it = w.it[--w.n];
        for (LLVMUseRef u = LLVMGetFirstUse(it.v); u; u = LLVMGetNextUse(u))
            if (visit_use(m, t, &w, root, &it, LLVMGetUser(u)) < 0) {
                t->escapes = 1;
                break;
            }
    }
    free(w.it);
    return t->escapes ? -1 : 0;
}

void lv_track_free(struct lv_track *t)
{
    free(t->a);
    free(t->hs);
    wp_map_free(&t->idx);
    wp_map_free(&t->seen);
    memset(t, 0, sizeof *t);
}
