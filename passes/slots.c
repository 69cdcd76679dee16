/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * slots.c - caller-frame line slots, for modules without site labels
 * (by default: full-debug -g modules, where labels could perturb the
 * debugger).
 *
 * Each non-leaf instrumented function gets one struct whence_slot in its
 * frame and keeps it linked into the thread's list (head: the initial-exec
 * TLS pointer WHENCE_SLOT_TOP, defined by libwhence):
 *
 *   entry:        slot = {prev = top, frame = llvm.frameaddress(0), loc = 0}
 *                 top = &slot
 *   before call:  slot.loc = &<the call's whence_loc>
 *   ret/resume:   top = prev           (also before a musttail call, and
 *                                       before a tail call left in place)
 *   after setjmp: top = &slot          (a longjmp back here dropped the
 *   landing pad:  top = &slot           slots of the frames it skipped)
 *
 * All the stores are volatile: the compiler keeps volatile accesses in
 * program order (and never moves a call across them), and a signal handler
 * runs on the same thread, so it sees complete slots and a consistent head.
 * (A `fence syncscope("singlethread")` would say the same, but FastISel
 * cannot select it, and the SelectionDAG fallback changes -O0 code around
 * it: constants get shared across calls and reloaded after them, moving
 * the debugger's `step` stops.)  The loc is a
 * constant address inside this module's table: the runtime resolves it
 * without any label in the code.
 *
 * Debug locations: everything inserted joins the row of a neighbour (see
 * set_loc_before; the entry sequence gets line 0: a 0:0 row after the
 * prologue, which moves no breakpoint), so no line-table row is added,
 * moved or stolen.
 *
 * A function whose every call leaves its frame (tail calls kept in -g
 * modules) gets no slot: it could never be asked for a line.
 */
#include "internal.h"

#include <llvm-c/Comdat.h>

#include <string.h>

struct slot_ctx {
    LLVMContextRef ctx;
    LLVMBuilderRef b;
    LLVMValueRef top;   /* the TLS head */
    LLVMTypeRef ptr;
    LLVMTypeRef slot_ty;
    LLVMMetadataRef sp; /* function's DISubprogram, or NULL */
};

/* Inserted code joins an existing line-table row, so no row is added,
 * moved or stolen: the row of the instruction before it, unless that is a
 * call, whose return address must stay at the start of the next
 * instruction's row (where a `finish` or `step` out of the callee stops);
 * then the row of the instruction it is inserted before.  (A copy of a
 * call's own location placed after its argument set-up would start the
 * call's row early.)  With neither, line 0 in the function's scope. */
static void set_loc_before(struct slot_ctx *c, LLVMValueRef at)
{
    LLVMValueRef p = at ? LLVMGetPreviousInstruction(at) : NULL;
    LLVMMetadataRef loc = NULL;
    if (p && !LLVMIsACallInst(p) && !LLVMIsAInvokeInst(p))
        loc = LLVMInstructionGetDebugLoc(p);
    else if (at)
        loc = LLVMInstructionGetDebugLoc(at);
    if (!loc && c->sp)
        loc = LLVMDIBuilderCreateDebugLocation(c->ctx, 0, 0, c->sp, NULL);
    LLVMSetCurrentDebugLocation2(c->b, loc);
}

static void vstore(struct slot_ctx *c, LLVMValueRef val, LLVMValueRef ptr)
{
    LLVMValueRef st = LLVMBuildStore(c->b, val, ptr);
    LLVMSetVolatile(st, 1);
    LLVMSetAlignment(st, 8);
}

/* top = v, after the entry block.  An inline asm rather than an IR store:
 * at -O0 the selector would keep the thread-local address (and the entry's
 * `prev`) in registers from the entry to here, and the register allocator's
 * reloads after every call would carry the call's line and move the places
 * where the debugger's `step` stops. */
static void set_top(struct slot_ctx *c, LLVMValueRef v)
{
    static const char text[] = "movq " WHENCE_SLOT_TOP "@GOTTPOFF(%rip), $0\n"
                               "movq $1, %fs:($0)";
    static const char cons[] = "=&r,r,~{memory}"; /* $0 is scratch */
    LLVMTypeRef fty = LLVMFunctionType(c->ptr, &c->ptr, 1, 0);
    LLVMValueRef as = LLVMGetInlineAsm(fty, (char *)text, sizeof text - 1, (char *)cons,
                                       sizeof cons - 1, /*HasSideEffects=*/1, 0,
                                       LLVMInlineAsmDialectATT, /*CanThrow=*/0);
    LLVMBuildCall2(c->b, fty, as, &v, 1, "");
}

static LLVMValueRef slot_field(struct slot_ctx *c, LLVMValueRef slot, unsigned i)
{
    return LLVMBuildStructGEP2(c->b, c->slot_ty, slot, i, "");
}

LLVMValueRef wp_slot_head(LLVMModuleRef M)
{
    LLVMValueRef g = LLVMGetNamedGlobal(M, WHENCE_SLOT_TOP);
    if (g)
        return g;
    LLVMContextRef C = LLVMGetModuleContext(M);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(C, 0);
    g = LLVMAddGlobal(M, ptr, WHENCE_SLOT_TOP);
    LLVMSetThreadLocal(g, 1);
    /* A pointer of static TLS: two instructions per access, and small
     * enough for dlopen's static-TLS surplus. */
    LLVMSetThreadLocalMode(g, LLVMInitialExecTLSModel);
    /* Defined weakly in every image that uses it (and in libwhence), with
     * default visibility: the dynamic linker binds every reference to one
     * definition, so all images share one list, and an instrumented program
     * links even without libwhence.  (An undefined weak TLS symbol would
     * resolve to thread-pointer offset 0, the TCB itself.) */
    LLVMSetInitializer(g, LLVMConstNull(ptr));
    LLVMSetLinkage(g, LLVMLinkOnceODRLinkage);
    LLVMSetComdat(g, LLVMGetOrInsertComdat(M, WHENCE_SLOT_TOP));
    LLVMSetAlignment(g, 8);
    return g;
}

static int returns_twice_call(LLVMValueRef I)
{
    LLVMOpcode op = LLVMGetInstructionOpcode(I);
    if (op != LLVMCall && op != LLVMInvoke)
        return 0;
    unsigned k = LLVMGetEnumAttributeKindForName("returns_twice", 13);
    if (LLVMGetCallSiteEnumAttribute(I, LLVMAttributeFunctionIndex, k))
        return 1;
    LLVMValueRef callee = LLVMGetCalledValue(I);
    return callee && LLVMIsAFunction(callee) &&
           LLVMGetEnumAttributeAtIndex(callee, LLVMAttributeFunctionIndex, k) != NULL;
}

/* A `tail` call that x86-64 code generation cannot turn into a jump: an
 * argument that goes on the stack (passed byval, or past the sixth integer
 * or eighth floating-point register argument) and is certainly not one of
 * the caller's own incoming stack arguments must be stored into the
 * outgoing argument area,
 * i.e. the caller's frame (X86 IsEligibleForTailCallOptimization:
 * MatchingStackOffset).  Such a call stays a call, so its frame needs the
 * slot's line.  (zstd passes its ZSTD_customMem by value everywhere, and
 * has many calls of seven and more arguments.)  Arguments of other types
 * make no claim: the call may still be a jump. */
/* Non-zero when v is certainly not the caller's own incoming stack
 * argument (nor a load or address of one): a constant, or a value computed
 * by an instruction that neither loads, casts, offsets nor selects. */
static int not_incoming(LLVMValueRef v)
{
    if (LLVMIsAConstant(v))
        return 1;
    if (!LLVMIsAInstruction(v))
        return 0; /* an Argument, or something else we do not know */
    return !LLVMIsALoadInst(v) && !LLVMIsACastInst(v) && !LLVMIsAGetElementPtrInst(v) &&
           !LLVMIsAPHINode(v) && !LLVMIsASelectInst(v) && !LLVMIsAFreezeInst(v);
}

static int never_a_jump(LLVMValueRef I)
{
    /* not cached in a static: ThinLTO runs the pass on several threads */
    unsigned byval = LLVMGetEnumAttributeKindForName("byval", 5);
    unsigned n = LLVMGetNumArgOperands(I), gpr = 0, xmm = 0;
    for (unsigned i = 0; i < n; i++) {
        LLVMValueRef a = LLVMGetOperand(I, i);
        int stack;
        if (LLVMGetCallSiteEnumAttribute(I, i + 1, byval)) {
            stack = 1;
        } else {
            LLVMTypeRef t = LLVMTypeOf(a);
            LLVMTypeKind k = LLVMGetTypeKind(t);
            if (k == LLVMPointerTypeKind ||
                (k == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(t) <= 64))
                stack = ++gpr > 6;
            else if (k == LLVMFloatTypeKind || k == LLVMDoubleTypeKind)
                stack = ++xmm > 8;
            else
                return 0;
        }
        if (stack && not_incoming(a))
            return 1;
    }
    return 0;
}

/* A call that leaves the frame before it runs: musttail always, and a
 * `tail` call directly followed by ret when the pass keeps tail calls (in
 * full-debug modules; not one that can never be a jump) or when it is a
 * guaranteed one (tailcc, swifttailcc, GHC: instrument.c keeps those
 * everywhere). */
static int leaves_frame(LLVMValueRef I, int keep_tail_calls)
{
    if (LLVMGetInstructionOpcode(I) != LLVMCall)
        return 0;
    LLVMTailCallKind k = LLVMGetTailCallKind(I);
    if (k == LLVMTailCallKindMustTail)
        return 1;
    if (k != LLVMTailCallKindTail)
        return 0;
    unsigned cc = LLVMGetInstructionCallConv(I);
    int guaranteed = cc == 18 || cc == 20 || cc == LLVMGHCCallConv;
    if (!guaranteed && (!keep_tail_calls || never_a_jump(I)))
        return 0;
    LLVMValueRef next = LLVMGetNextInstruction(I);
    return next && LLVMGetInstructionOpcode(next) == LLVMRet;
}

static LLVMValueRef after_allocas(LLVMBasicBlockRef entry)
{
    LLVMValueRef i = LLVMGetFirstInstruction(entry);
    while (i && LLVMIsAAllocaInst(i))
        i = LLVMGetNextInstruction(i);
    return i;
}

void wp_insert_slots(LLVMModuleRef M, LLVMBuilderRef B, LLVMValueRef F,
                     const struct wp_site *calls, uint32_t ncalls, LLVMValueRef table,
                     uint32_t loc_off, int keep_tail_calls)
{
    uint32_t staying = 0;
    for (uint32_t k = 0; k < ncalls; k++)
        staying += !leaves_frame(calls[k].call, keep_tail_calls);
    if (staying == 0)
        return; /* a leaf, or only tail calls: no call can ask for a line */
    struct slot_ctx c;
    c.ctx = LLVMGetModuleContext(M);
    c.b = B;
    c.top = wp_slot_head(M);
    c.ptr = LLVMPointerTypeInContext(c.ctx, 0);
    LLVMTypeRef fields[3] = {c.ptr, c.ptr, c.ptr};
    c.slot_ty = LLVMStructTypeInContext(c.ctx, fields, 3, 0);
    c.sp = LLVMGetSubprogram(F);
    LLVMTypeRef i8 = LLVMInt8TypeInContext(c.ctx), i32 = LLVMInt32TypeInContext(c.ctx),
                i64 = LLVMInt64TypeInContext(c.ctx);

    /* Entry: the slot is a static alloca, linked after the other allocas. */
    LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(F);
    LLVMValueRef first = LLVMGetFirstInstruction(entry);
    LLVMPositionBuilderBefore(B, first);
    LLVMSetCurrentDebugLocation2(B, NULL);
    LLVMValueRef slot = LLVMBuildAlloca(B, c.slot_ty, "whence.slot");
    LLVMSetAlignment(slot, 8);
    LLVMValueRef at = after_allocas(entry);
    LLVMPositionBuilderBefore(B, at);
    set_loc_before(&c, NULL);
    LLVMValueRef prev = LLVMBuildLoad2(B, c.ptr, c.top, "whence.prev");
    LLVMSetVolatile(prev, 1);
    LLVMSetAlignment(prev, 8);
    vstore(&c, prev, slot_field(&c, slot, 0));
    LLVMTypeRef fa_ty = LLVMFunctionType(c.ptr, &i32, 1, 0);
    LLVMValueRef fa_fn = LLVMGetNamedFunction(M, "llvm.frameaddress.p0");
    if (!fa_fn)
        fa_fn = LLVMAddFunction(M, "llvm.frameaddress.p0", fa_ty);
    LLVMValueRef zero32 = LLVMConstInt(i32, 0, 0);
    LLVMValueRef fa = LLVMBuildCall2(B, fa_ty, fa_fn, &zero32, 1, "whence.frame");
    vstore(&c, fa, slot_field(&c, slot, 1));
    vstore(&c, LLVMConstNull(c.ptr), slot_field(&c, slot, 2));
    vstore(&c, slot, c.top);

    /* Before each call: which call is in progress. */
    for (uint32_t k = 0; k < ncalls; k++) {
        LLVMValueRef call = calls[k].call;
        if (leaves_frame(call, keep_tail_calls))
            continue; /* popped right before it, below */
        LLVMPositionBuilderBefore(B, call);
        set_loc_before(&c, call);
        LLVMValueRef off = LLVMConstInt(i64, (uint64_t)loc_off + sizeof(struct whence_loc) * calls[k].loc, 0);
        LLVMValueRef loc = LLVMConstInBoundsGEP2(i8, table, &off, 1);
        vstore(&c, loc, slot_field(&c, slot, 2));
    }

    /* Exits and re-entries.  Collect first: insertion changes the lists. */
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb; bb = LLVMGetNextBasicBlock(bb)) {
        for (LLVMValueRef I = LLVMGetFirstInstruction(bb); I;) {
            LLVMValueRef next = LLVMGetNextInstruction(I);
            LLVMOpcode op = LLVMGetInstructionOpcode(I);
            LLVMValueRef before = LLVMGetPreviousInstruction(I);
            int after_tail = op == LLVMRet && before && leaves_frame(before, keep_tail_calls);
            if (((op == LLVMRet || op == LLVMResume) && !after_tail) ||
                leaves_frame(I, keep_tail_calls)) {
                /* Nothing may come between a tail call and its ret: the pop
                 * goes before the call. */
                LLVMPositionBuilderBefore(B, I);
                set_loc_before(&c, I);
                LLVMValueRef p = LLVMBuildLoad2(B, c.ptr, slot_field(&c, slot, 0), "");
                LLVMSetVolatile(p, 1);
                LLVMSetAlignment(p, 8);
                set_top(&c, p);
            } else if (op == LLVMLandingPad) {
                LLVMPositionBuilderBefore(B, next);
                set_loc_before(&c, next);
                set_top(&c, slot);
            } else if (returns_twice_call(I) && op == LLVMInvoke) {
                /* After any call the frame's own slot is the right head,
                 * so the start of the normal destination is a safe place
                 * whatever its other predecessors. */
                LLVMBasicBlockRef nd = LLVMGetNormalDest(I);
                LLVMValueRef at = LLVMGetFirstInstruction(nd);
                while (at && LLVMIsAPHINode(at))
                    at = LLVMGetNextInstruction(at);
                if (at) {
                    LLVMPositionBuilderBefore(B, at);
                    set_loc_before(&c, at);
                    set_top(&c, slot);
                }
            } else if (returns_twice_call(I) && next) {
                LLVMPositionBuilderBefore(B, next);
                set_loc_before(&c, next);
                set_top(&c, slot);
            }
            I = next;
        }
    }
    LLVMSetCurrentDebugLocation2(B, NULL);
}
