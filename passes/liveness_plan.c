/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * liveness_plan.c - where one object's pointer fields are dead, and the
 * clears that follow from it.
 *
 * Per unit (a pointer field, or the whole object when it has too many):
 *   - plain clears: a backward may-liveness over the CFG counting every read
 *     through any derived pointer (lv_track) shows no path from the point to
 *     a read.  Placed right after the last access in a block out of which
 *     the unit is dead, and at the start of a block entered dead from a
 *     predecessor where it was live.  Writes are not kills, which can only
 *     over-estimate liveness.
 *   - guarded clears: every later read goes through holders or merges (no
 *     direct one), and each of those is checked at run time: the clear is
 *     done only if none of them points into the object.  Placed after the
 *     last "event" of a block (a direct access, a store of the address into
 *     a holder, a merge), and only where each guard is stable: no store of
 *     the address into that holder can follow, and the merge is computed in
 *     this block and cannot be recomputed (no cycle through the block).
 * Both stay inside the object's lifetime (forward must-analysis of
 * llvm.lifetime markers; none: always inside), so stack colouring cannot
 * have given the memory to another object.
 */
#include "liveness.h"

#include <stdlib.h>
#include <string.h>

int lv_is_ptr(LLVMTypeRef t)
{
    return LLVMGetTypeKind(t) == LLVMPointerTypeKind && LLVMGetPointerAddressSpace(t) == 0;
}

int lv_type_may_hold_pointer(LLVMTypeRef t, int depth)
{
    if (depth > 16)
        return 1; /* absurdly nested: assume yes, still subject to the rules */
    switch (LLVMGetTypeKind(t)) {
    case LLVMPointerTypeKind:
        return lv_is_ptr(t);
    case LLVMArrayTypeKind:
    case LLVMVectorTypeKind:
        return lv_type_may_hold_pointer(LLVMGetElementType(t), depth + 1);
    case LLVMStructTypeKind: {
        unsigned n = LLVMCountStructElementTypes(t);
        for (unsigned i = 0; i < n; i++)
            if (lv_type_may_hold_pointer(LLVMStructGetTypeAtIndex(t, i), depth + 1))
                return 1;
        return 0;
    }
    default:
        return 0;
    }
}

static unsigned leaves(const struct lv_module *m, LLVMTypeRef ty, uint64_t base,
                       struct lv_unit *out, unsigned n, int depth)
{
    if (n > LV_MAX_UNITS || depth > 16)
        return LV_MAX_UNITS + 1;
    switch (LLVMGetTypeKind(ty)) {
    case LLVMPointerTypeKind:
        if (!lv_is_ptr(ty))
            return n;
        if (n == LV_MAX_UNITS)
            return LV_MAX_UNITS + 1;
        out[n].off = base;
        out[n].size = LLVMABISizeOfType(m->td, ty);
        return n + 1;
    case LLVMStructTypeKind: {
        unsigned k = LLVMCountStructElementTypes(ty);
        for (unsigned i = 0; i < k && n <= LV_MAX_UNITS; i++)
            n = leaves(m, LLVMStructGetTypeAtIndex(ty, i),
                       base + LLVMOffsetOfElement(m->td, ty, i), out, n, depth + 1);
        return n;
    }
    case LLVMArrayTypeKind: {
        LLVMTypeRef el = LLVMGetElementType(ty);
        uint64_t len = LLVMGetArrayLength2(ty), es = LLVMABISizeOfType(m->td, el);
        if (!lv_type_may_hold_pointer(el, 0))
            return n;
        if (len > LV_MAX_UNITS)
            return LV_MAX_UNITS + 1;
        for (uint64_t i = 0; i < len && n <= LV_MAX_UNITS; i++)
            n = leaves(m, el, base + i * es, out, n, depth + 1);
        return n;
    }
    case LLVMVectorTypeKind:
        return lv_type_may_hold_pointer(ty, 0) ? LV_MAX_UNITS + 1 : n;
    default:
        return n;
    }
}

unsigned lv_units(const struct lv_module *m, LLVMTypeRef ty, struct lv_unit *out, int *whole)
{
    *whole = 0;
    unsigned n = leaves(m, ty, 0, out, 0, 0);
    if (n > LV_MAX_UNITS) {
        *whole = 1;
        out[0].off = 0;
        out[0].size = LLVMABISizeOfType(m->td, ty);
        return 1;
    }
    return n;
}

static int overlaps(const struct lv_access *a, const struct lv_unit *u)
{
    return a->lo < u->off + u->size && u->off < a->hi;
}

/* Forward must-analysis: inside the lifetime at each block's entry? */
static void lifetime_in(const struct lv_fn *f, const struct lv_track *t, unsigned char *lt_in)
{
    unsigned n = f->nblocks;
    int marks = 0;
    for (uint32_t i = 0; i < t->n; i++)
        if (t->a[i].kind & (LV_START | LV_END))
            marks = 1;
    memset(lt_in, 1, n);
    if (!marks)
        return;
    unsigned char *lt_out = malloc(n ? n : 1);
    if (!lt_out) {
        memset(lt_in, 0, n);
        return;
    }
    memset(lt_out, 1, n);
    for (int changed = 1; changed;) {
        changed = 0;
        for (unsigned i = 0; i < n; i++) {
            unsigned char in = i != 0;
            for (unsigned e = f->pred_start[i]; e < f->pred_start[i + 1]; e++)
                if (!lt_out[f->pred[e]])
                    in = 0;
            unsigned char st = in;
            for (LLVMValueRef ins = LLVMGetFirstInstruction(f->blocks[i]); ins;
                 ins = LLVMGetNextInstruction(ins)) {
                const struct lv_access *a = lv_track_get(t, ins);
                if (a && (a->kind & LV_START))
                    st = 1;
                if (a && (a->kind & LV_END))
                    st = 0;
            }
            if (in != lt_in[i] || st != lt_out[i]) {
                lt_in[i] = in;
                lt_out[i] = st;
                changed = 1;
            }
        }
    }
    free(lt_out);
}

/* Which reads count: all of them, the direct ones, or one origin's. */
enum { CLS_ALL = -2, CLS_DIRECT = -1 };

static int counts(const struct lv_access *a, int cls)
{
    return cls == CLS_ALL || a->origin == cls;
}

/* Backward may-liveness of reads of unit u of class cls. */
static void liveness(const struct lv_fn *f, const struct lv_track *t, const struct lv_unit *u,
                     int cls, unsigned char *live_in, unsigned char *live_out)
{
    unsigned n = f->nblocks;
    unsigned char *gen = live_in; /* gen first, then folded into live_in */
    memset(live_out, 0, n);
    memset(gen, 0, n);
    for (uint32_t k = 0; k < t->n; k++) {
        const struct lv_access *a = &t->a[k];
        if ((a->kind & LV_READ) && counts(a, cls) && overlaps(a, u)) {
            unsigned b = lv_ins_block(f, a->ins);
            if (b < n)
                gen[b] = 1;
        }
    }
    unsigned char *g = malloc(n ? n : 1);
    if (!g) {
        memset(live_in, 1, n);
        memset(live_out, 1, n);
        return;
    }
    memcpy(g, gen, n);
    for (int changed = 1; changed;) {
        changed = 0;
        for (unsigned i = n; i-- > 0;) {
            unsigned char out = 0;
            for (unsigned e = f->succ_start[i]; e < f->succ_start[i + 1]; e++)
                if (f->succ[e] < n && live_in[f->succ[e]])
                    out = 1;
            unsigned char in = g[i] | out;
            if (out != live_out[i] || in != live_in[i]) {
                live_out[i] = out;
                live_in[i] = in;
                changed = 1;
            }
        }
    }
    free(g);
}

static int add_clear(struct lv_plan *p, const struct lv_clear *c)
{
    if (wp_grow((void **)&p->c, &p->cap, p->n + 1, sizeof *p->c))
        return -1;
    p->c[p->n++] = *c;
    return 0;
}

void lv_plan_free(struct lv_plan *p)
{
    free(p->c);
    memset(p, 0, sizeof *p);
}

/* Blocks from which a store of the address into holder o is reachable. */
static void holder_future(const struct lv_fn *f, const struct lv_track *t, int o,
                          unsigned char *fut)
{
    unsigned n = f->nblocks;
    memset(fut, 0, n);
    for (uint32_t k = 0; k < t->nhs; k++)
        if (t->hs[k].origin == o || t->hs[k].origin < 0) {
            unsigned b = lv_ins_block(f, t->hs[k].ins);
            if (b < n)
                fut[b] = 1;
        }
    for (int changed = 1; changed;) {
        changed = 0;
        for (unsigned i = n; i-- > 0;) {
            if (fut[i])
                continue;
            for (unsigned e = f->succ_start[i]; e < f->succ_start[i + 1]; e++)
                if (f->succ[e] < n && fut[f->succ[e]]) {
                    fut[i] = 1;
                    changed = 1;
                    break;
                }
        }
    }
}

static int is_event(const struct lv_track *t, LLVMValueRef ins, const struct lv_access *a,
                    const struct lv_unit *u)
{
    if (a && a->origin < 0 && (a->kind & (LV_READ | LV_WRITE)) && overlaps(a, u))
        return 1;
    for (int o = 0; o < t->no; o++)
        if (!t->o[o].holder && t->o[o].v == ins)
            return 1;
    for (uint32_t k = 0; k < t->nhs; k++)
        if (t->hs[k].ins == ins)
            return 1;
    return 0;
}

struct unit_state {
    unsigned char *lt_in;
    unsigned char *in, *out;           /* all reads */
    unsigned char *din, *dout;         /* direct reads */
    unsigned char *oin[LV_MAX_ORIGINS], *oout[LV_MAX_ORIGINS];
    unsigned char *fut[LV_MAX_ORIGINS]; /* holders only */
    unsigned char other[LV_MAX_ORIGINS]; /* may hold something else */
    signed char *cyc;                   /* per block: -1 unknown, 0, 1 */
};

/* Plain clears of one unit. */
static unsigned plain_clears(struct lv_fn *f, const struct lv_track *t, const struct lv_clear *tmpl,
                             const struct lv_unit *u, struct unit_state *s, struct lv_plan *p)
{
    unsigned n = f->nblocks, added = 0;
    for (unsigned i = 0; i < n; i++) {
        LLVMBasicBlockRef bb = f->blocks[i];
        if (!s->out[i]) {
            LLVMValueRef last = NULL;
            unsigned char lt = s->lt_in[i], lt_at_last = 0;
            for (LLVMValueRef ins = LLVMGetFirstInstruction(bb); ins;
                 ins = LLVMGetNextInstruction(ins)) {
                const struct lv_access *a = lv_track_get(t, ins);
                if (!a)
                    continue;
                if (a->kind & LV_START)
                    lt = 1;
                if (a->kind & LV_END)
                    lt = 0;
                if ((a->kind & (LV_READ | LV_WRITE)) && overlaps(a, u)) {
                    last = ins;
                    lt_at_last = lt;
                }
            }
            LLVMValueRef next = last ? LLVMGetNextInstruction(last) : NULL;
            if (next && lt_at_last && lv_can_insert_before(next)) {
                struct lv_clear c = *tmpl;
                c.before = next;
                if (add_clear(p, &c) == 0)
                    added++;
            }
        }
        if (i != 0 && !s->in[i] && s->lt_in[i]) {
            int from_live = 0;
            for (unsigned e = f->pred_start[i]; e < f->pred_start[i + 1]; e++)
                if (s->out[f->pred[e]])
                    from_live = 1;
            LLVMValueRef at = lv_first_insertion_point(bb);
            if (from_live && at) {
                struct lv_clear c = *tmpl;
                c.before = at;
                if (add_clear(p, &c) == 0)
                    added++;
            }
        }
    }
    return added;
}

static int origin_index(const struct lv_track *t, LLVMValueRef v)
{
    for (int o = 0; o < t->no; o++)
        if (t->o[o].v == v)
            return o;
    return 0;
}

/* Can origin o hold something other than an address in the object: a
 * holder something else is stored into, a merge of something else, or of
 * an origin that can?  (If not, a guard on it would never let a clear
 * through.) */
static int may_be_other(const struct lv_track *t, int o, int depth)
{
    if (o < 0)
        return 0;
    if (depth > LV_MAX_ORIGINS)
        return 1;
    LLVMValueRef v = t->o[o].v;
    if (t->o[o].holder) {
        for (LLVMUseRef u = LLVMGetFirstUse(v); u; u = LLVMGetNextUse(u)) {
            LLVMValueRef user = LLVMGetUser(u);
            if (LLVMGetInstructionOpcode(user) != LLVMStore)
                continue;
            int ours = 0;
            for (uint32_t k = 0; k < t->nhs && !ours; k++)
                if (t->hs[k].ins == user) {
                    ours = 1;
                    if (t->hs[k].vorigin != o && may_be_other(t, t->hs[k].vorigin, depth + 1))
                        return 1;
                }
            if (!ours)
                return 1;
        }
        return 0;
    }
    unsigned first = LLVMIsASelectInst(v) ? 1 : 0;
    unsigned n = LLVMIsASelectInst(v) ? 3 : LLVMCountIncoming(v);
    for (unsigned i = first; i < n; i++) {
        int vo = lv_track_origin(t, LLVMGetOperand(v, i));
        if (vo == -2 || (vo != o && may_be_other(t, vo, depth + 1)))
            return 1;
    }
    return 0;
}

/* Is a pointer read from holder h before X (`before`, in block bi) still
 * used at or after X?  A guard tests what h holds at X, so a read through
 * a copy loaded earlier, when h has been pointed elsewhere meanwhile,
 * would not be seen.  Conservative: every load of h must have all the
 * values derived from it and their users in its own block (else: yes),
 * and in block bi not on both sides of X. */
static int holder_copy_crosses(const struct lv_fn *f, const struct lv_track *t, LLVMValueRef h,
                               unsigned bi, LLVMValueRef before)
{
    LLVMBasicBlockRef bb = f->blocks[bi];
    struct wp_map pos = {0};
    uint32_t k = 0, at = 0;
    int crosses = 0;
    for (LLVMValueRef ins = LLVMGetFirstInstruction(bb); ins; ins = LLVMGetNextInstruction(ins)) {
        if (ins == before)
            at = k;
        if (wp_map_put(&pos, (uintptr_t)ins, k++)) {
            wp_map_free(&pos);
            return 1;
        }
    }
    LLVMValueRef stack[64];
    for (LLVMUseRef u = LLVMGetFirstUse(h); u && !crosses; u = LLVMGetNextUse(u)) {
        LLVMValueRef l = LLVMGetUser(u);
        if (LLVMGetInstructionOpcode(l) != LLVMLoad)
            continue;
        LLVMBasicBlockRef lb = LLVMGetInstructionParent(l);
        uint32_t lp = lb == bb ? wp_map_get(&pos, (uintptr_t)l) : 0;
        int early = lb == bb && lp < at; /* read from h before X */
        int n = 0, work = 0;
        stack[n++] = l;
        while (n && !crosses) {
            LLVMValueRef v = stack[--n];
            for (LLVMUseRef w = LLVMGetFirstUse(v); w && !crosses; w = LLVMGetNextUse(w)) {
                LLVMValueRef user = LLVMGetUser(w);
                if (++work > 4096 || !LLVMIsAInstruction(user) ||
                    LLVMGetInstructionParent(user) != lb ||
                    (early && wp_map_get(&pos, (uintptr_t)user) >= at))
                    crosses = 1;
                else if (lv_track_derived(t, user)) {
                    if (n == (int)(sizeof stack / sizeof *stack))
                        crosses = 1;
                    else
                        stack[n++] = user;
                }
            }
        }
    }
    wp_map_free(&pos);
    return crosses;
}

/* Guarded clears of one unit. */
static unsigned guarded_clears(struct lv_fn *f, const struct lv_track *t, const struct lv_clear *tmpl,
                               const struct lv_unit *u, struct unit_state *s, struct lv_plan *p)
{
    unsigned n = f->nblocks, added = 0;
    for (unsigned i = 0; i < n; i++) {
        LLVMBasicBlockRef bb = f->blocks[i];
        LLVMValueRef ev = NULL;
        unsigned char lt = s->lt_in[i], lt_ev = 0;
        int read_all = 0, read_o[LV_MAX_ORIGINS] = {0};
        for (LLVMValueRef ins = LLVMGetFirstInstruction(bb); ins;
             ins = LLVMGetNextInstruction(ins)) {
            const struct lv_access *a = lv_track_get(t, ins);
            if (a && (a->kind & LV_START))
                lt = 1;
            if (a && (a->kind & LV_END))
                lt = 0;
            if (is_event(t, ins, a, u)) {
                ev = ins;
                lt_ev = lt;
                read_all = 0;
                memset(read_o, 0, sizeof read_o);
                continue;
            }
            if (a && (a->kind & LV_READ) && overlaps(a, u)) {
                read_all = 1;
                if (a->origin >= 0)
                    read_o[a->origin] = 1;
            }
        }
        if (!ev || !lt_ev || s->dout[i] || !(read_all || s->out[i]))
            continue;
        LLVMValueRef before = LLVMIsAPHINode(ev) ? lv_first_insertion_point(bb)
                                                 : LLVMGetNextInstruction(ev);
        if (!before || !lv_can_insert_before(before))
            continue;
        struct lv_clear c = *tmpl;
        c.ng = 0;
        int ok = 1;
        for (int o = 0; o < t->no && ok; o++) {
            if (!read_o[o] && !s->oout[o][i])
                continue; /* nothing read through it from here on */
            if (t->o[o].holder) {
                for (unsigned e = f->succ_start[i]; e < f->succ_start[i + 1]; e++)
                    if (f->succ[e] < n && s->fut[o][f->succ[e]])
                        ok = 0; /* the address may be stored into it again */
                if (ok && holder_copy_crosses(f, t, t->o[o].v, i, before))
                    ok = 0; /* a copy read from it earlier is used after X */
            } else {
                if (LLVMGetInstructionParent(t->o[o].v) != bb)
                    ok = 0;
                else {
                    if (s->cyc[i] < 0)
                        s->cyc[i] = (signed char)lv_reachable_after(f, i, i);
                    if (s->cyc[i])
                        ok = 0; /* recomputed in a later iteration */
                }
            }
            if (ok)
                c.g[c.ng++] = t->o[o];
        }
        int useful = 0;
        for (int k = 0; k < c.ng; k++)
            useful |= s->other[origin_index(t, c.g[k].v)];
        if (!ok || c.ng == 0 || !useful)
            continue; /* (every guard always points into the object) */
        c.before = before;
        if (add_clear(p, &c) == 0)
            added++;
    }
    return added;
}

unsigned lv_plan_object(struct lv_fn *f, const struct lv_track *t, LLVMValueRef base,
                        const struct lv_unit *units, unsigned nunits, int whole, unsigned align,
                        int lifetime, int guarded, struct lv_plan *p)
{
    unsigned n = f->nblocks, added = 0;
    int no = guarded && t->guardable ? t->no : 0;
    /* lt_in, in, out, din, dout, per origin oin, oout, fut, and cyc. */
    size_t nb = (size_t)n ? n : 1;
    unsigned char *buf = calloc(nb, 5 + 3 * (size_t)LV_MAX_ORIGINS + 1);
    if (!buf)
        return 0;
    struct unit_state s;
    s.lt_in = buf;
    s.in = buf + nb;
    s.out = buf + 2 * nb;
    s.din = buf + 3 * nb;
    s.dout = buf + 4 * nb;
    for (int o = 0; o < LV_MAX_ORIGINS; o++) {
        s.oin[o] = buf + (5 + 3 * (size_t)o) * nb;
        s.oout[o] = s.oin[o] + nb;
        s.fut[o] = s.oout[o] + nb;
    }
    s.cyc = (signed char *)(buf + (5 + 3 * (size_t)LV_MAX_ORIGINS) * nb);
    memset(s.cyc, -1, nb);
    if (lifetime)
        lifetime_in(f, t, s.lt_in);
    else
        memset(s.lt_in, 1, nb);
    for (int o = 0; o < no; o++) {
        if (t->o[o].holder)
            holder_future(f, t, o, s.fut[o]);
        s.other[o] = (unsigned char)may_be_other(t, o, 0);
    }

    struct lv_clear tmpl;
    memset(&tmpl, 0, sizeof tmpl);
    tmpl.base = base;
    tmpl.obj_size = t->size;
    tmpl.align = align;
    tmpl.whole = whole;
    for (unsigned k = 0; k < nunits; k++) {
        const struct lv_unit *u = &units[k];
        int any = 0;
        for (uint32_t j = 0; j < t->n && !any; j++)
            any = (t->a[j].kind & (LV_READ | LV_WRITE)) && overlaps(&t->a[j], u);
        if (!any)
            continue;
        tmpl.off = u->off;
        tmpl.size = u->size;
        liveness(f, t, u, CLS_ALL, s.in, s.out);
        added += plain_clears(f, t, &tmpl, u, &s, p);
        if (!no)
            continue;
        liveness(f, t, u, CLS_DIRECT, s.din, s.dout);
        for (int o = 0; o < no; o++)
            liveness(f, t, u, o, s.oin[o], s.oout[o]);
        added += guarded_clears(f, t, &tmpl, u, &s, p);
    }
    free(buf);
    return added;
}

uint64_t lv_dead_after(struct lv_fn *f, const struct lv_track *t, const struct lv_unit *units,
                       unsigned nunits, LLVMValueRef at)
{
    unsigned n = f->nblocks;
    unsigned b = lv_ins_block(f, at);
    size_t nb = (size_t)n ? n : 1;
    unsigned char *buf = calloc(nb, 3);
    if (b >= n || !buf) {
        free(buf);
        return 0;
    }
    unsigned char *lt_in = buf, *in = buf + nb, *out = buf + 2 * nb;
    lifetime_in(f, t, lt_in);
    /* Inside the lifetime at the call. */
    unsigned char lt = lt_in[b];
    for (LLVMValueRef ins = LLVMGetFirstInstruction(f->blocks[b]); ins && ins != at;
         ins = LLVMGetNextInstruction(ins)) {
        const struct lv_access *a = lv_track_get(t, ins);
        if (a && (a->kind & LV_START))
            lt = 1;
        if (a && (a->kind & LV_END))
            lt = 0;
    }
    uint64_t mask = 0;
    for (unsigned k = 0; lt && k < nunits; k++) {
        liveness(f, t, &units[k], CLS_ALL, in, out);
        int live = out[b];
        for (LLVMValueRef ins = LLVMGetNextInstruction(at); ins && !live;
             ins = LLVMGetNextInstruction(ins)) {
            const struct lv_access *a = lv_track_get(t, ins);
            live = a && (a->kind & LV_READ) && overlaps(a, &units[k]);
        }
        if (!live)
            mask |= 1ull << k;
    }
    free(buf);
    return mask;
}
