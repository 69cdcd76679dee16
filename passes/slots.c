/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * slots.c - frame slots: exact call lines for modules without site labels
 * (by default: full-debug -g modules, where labels could perturb the
 * debugger).
 *
 * Each instrumented function that makes a call keeps one struct
 * whence_slot {frame, loc, tag} in its own frame:
 *
 *   entry:        slot.frame = llvm.frameaddress(0); slot.tag = the module's tag
 *   before call:  slot.loc = index of the call's whence_loc
 *
 * and nothing else: no list, no thread-local head, nothing at returns,
 * landing pads or setjmp.  The runtime finds a calling frame's slot from
 * that frame's own frame pointer (runtime/slots.c: the word equal to the
 * frame pointer, followed by a loc of that very function), so whatever
 * leaves a frame without returning through it (a tail call, longjmp, an
 * exception, a fiber switch) leaves nothing to repair, and a call the
 * backend does or does not turn into a jump is right either way: jumped, the
 * frame is gone and so is its slot; called, the slot names the call.  The
 * stores change no control flow, so tail calls stay exactly the jumps they
 * would be without the pass.
 *
 * The stores are volatile: they stay in program order before their call
 * and are never deleted, and a signal handler on the same thread sees the
 * slot complete.  The slot's address never escapes (safe-stack keeps it on
 * the ordinary stack, ASan leaves it uninstrumented).  All three are
 * immediates or the frame pointer itself, so no register is taken: the
 * store before a call is one `movl $index, off(%rbp)`.  (An address inside
 * the module table needed a register in PIC code, and the register the
 * allocator picked could hold a variable only the debugger still reads,
 * whose location range then ended early.)  The runtime finds the module
 * from the frame's pc, so an index and the module's tag suffice.
 *
 * Debug locations: everything inserted joins the row of a neighbour (see
 * set_loc_before; the entry store gets line 0: a 0:0 row after the
 * prologue, which moves no breakpoint), so no line-table row is added,
 * moved or stolen.
 *
 * A function gets no slot when every call it makes leaves its frame:
 * certainly (musttail, a guaranteed tail call of tailcc/swifttailcc/GHC), or
 * as far as the IR shows, a `tail` call that x86-64 code generation will
 * turn into a jump (likely_jump).  Such a function's code is then exactly
 * what it is without the pass; if the backend keeps a call after all, that
 * frame's line is reported as unknown, never as another line.
 */
#include "internal.h"
#include "target.h"

#include <stdio.h>
#include <string.h>

struct slot_ctx {
    LLVMContextRef ctx;
    LLVMBuilderRef b;
    LLVMTypeRef ptr;
    LLVMTypeRef slot_ty;
    LLVMMetadataRef sp; /* function's DISubprogram, or NULL */
};

/* A value without side effects whose uses are all such values, none used
 * (`(void)x;`, `(void)(x + 1);`, `(void)!write(...)`'s compare at -O0):
 * instruction selection drops it, and its line has no row; the store took
 * its position and gave it a row, a breakpoint and a `next` stop
 * (helper-119, helper-123).  Up to depth uses deep. */
static int dead_value(LLVMValueRef I, int depth)
{
    switch (LLVMGetInstructionOpcode(I)) {
    case LLVMLoad:
        if (LLVMGetVolatile(I) || LLVMGetOrdering(I) != LLVMAtomicOrderingNotAtomic)
            return 0;
        break;
    case LLVMAdd: case LLVMFAdd: case LLVMSub: case LLVMFSub: case LLVMMul: case LLVMFMul:
    case LLVMShl: case LLVMLShr: case LLVMAShr: case LLVMAnd: case LLVMOr: case LLVMXor:
    case LLVMFNeg: case LLVMICmp: case LLVMFCmp: case LLVMSelect: case LLVMGetElementPtr:
    case LLVMZExt: case LLVMSExt: case LLVMTrunc: case LLVMBitCast: case LLVMFPTrunc:
    case LLVMFPExt: case LLVMFPToUI: case LLVMFPToSI: case LLVMUIToFP: case LLVMSIToFP:
    case LLVMPtrToInt: case LLVMIntToPtr: case LLVMAddrSpaceCast: case LLVMExtractElement:
    case LLVMInsertElement: case LLVMShuffleVector: case LLVMInsertValue: case LLVMFreeze:
        break;
    default:
        return 0;
    }
    for (LLVMUseRef u = LLVMGetFirstUse(I); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (depth <= 0 || !LLVMIsAInstruction(user) || !dead_value(user, depth - 1))
            return 0;
    }
    return 1;
}

/* Instructions that emit no code of their own. */
static int emits_no_code(LLVMValueRef I)
{
    switch (LLVMGetInstructionOpcode(I)) {
    case LLVMPHI: case LLVMLandingPad: case LLVMCatchPad: case LLVMCleanupPad:
    case LLVMExtractValue: /* picks a register of an aggregate value */
    /* a narrower view of a register, or the same bits as another type
     * (a call's `(int)x` argument: its row is the argument's line, which
     * the store would start before the call's) */
    case LLVMTrunc: case LLVMBitCast: case LLVMFreeze:
        return 1;
    case LLVMCall: {
        LLVMValueRef f = LLVMGetCalledValue(I);
        if (!f || !LLVMIsAFunction(f) || !LLVMGetIntrinsicID(f))
            return 0;
        size_t n;
        const char *name = LLVMGetValueName2(f, &n);
        return !strncmp(name, "llvm.dbg.", 9) || !strncmp(name, "llvm.lifetime.", 14) ||
               !strcmp(name, "llvm.assume") ||
               !strcmp(name, "llvm.experimental.noalias.scope.decl");
    }
    default:
        return dead_value(I, 4);
    }
}

/* The instruction before `at` that emits code, or NULL. */
static LLVMValueRef prev_code(LLVMValueRef at)
{
    LLVMValueRef p = at ? LLVMGetPreviousInstruction(at) : NULL;
    while (p && emits_no_code(p))
        p = LLVMGetPreviousInstruction(p);
    return p;
}

/* Inserted code joins an existing line-table row, so no row is added,
 * moved or stolen: the row of the instruction before it, unless that is a
 * call, whose return address must stay at the start of the next
 * instruction's row (where a `finish` or `step` out of the callee stops);
 * then the row of the instruction it is inserted before.  (A copy of a
 * call's own location placed after its argument set-up would start the
 * call's row early; at -O0 the store goes before that set-up, args_start.)
 * With neither, line 0 in the function's scope.
 *
 * The landing pad of a catch starts with code the row of the first call
 * after it names; the landingpad instruction itself, which clang gives the
 * function's closing brace, emits nothing, so joining its row would start a
 * row of that line inside the catch (a breakpoint on the brace would land
 * there, `next` over a rethrow would stop there).  Nor do phis, the
 * extractvalue that reads the exception pointer, debug and lifetime
 * markers: the neighbour is the instruction before them. */
static void set_loc_before(struct slot_ctx *c, LLVMValueRef at)
{
    LLVMValueRef p = prev_code(at);
    LLVMMetadataRef loc = NULL;
    if (p && !LLVMIsACallInst(p) && !LLVMIsAInvokeInst(p))
        loc = LLVMInstructionGetDebugLoc(p);
    else if (at)
        loc = LLVMInstructionGetDebugLoc(at);
    if (!loc && c->sp)
        loc = LLVMDIBuilderCreateDebugLocation(c->ctx, 0, 0, c->sp, NULL);
    LLVMSetCurrentDebugLocation2(c->b, loc);
}

/* At -O0 the instructions right before a call that compute only its
 * arguments (loads, casts, address arithmetic, each used only by them and
 * the call): the first of them, or the call.  The store goes before them:
 * between them it keeps the instruction selector (fast-isel) from folding
 * an argument's load into the call's set-up, and the load then starts the
 * line's row at the argument's column, or a line-0 address computation
 * comes after a row the store started.  Nothing between them can see the
 * slot. */
static LLVMValueRef args_start(LLVMValueRef call)
{
    LLVMValueRef first = call;
    for (LLVMValueRef p = LLVMGetPreviousInstruction(call); p; p = LLVMGetPreviousInstruction(p)) {
        switch (LLVMGetInstructionOpcode(p)) {
        case LLVMLoad:
            if (LLVMGetVolatile(p) || LLVMGetOrdering(p) != LLVMAtomicOrderingNotAtomic)
                return first;
            break;
        case LLVMTrunc: case LLVMZExt: case LLVMSExt: case LLVMFPTrunc: case LLVMFPExt:
        case LLVMBitCast: case LLVMPtrToInt: case LLVMIntToPtr: case LLVMGetElementPtr:
        case LLVMSIToFP: case LLVMUIToFP: case LLVMFPToSI: case LLVMFPToUI:
            break;
        default:
            return first;
        }
        /* only this call's arguments, or what computes them (an unused
         * value, `(void)x;`, makes no code: the store would take its
         * position and start a row of that line, helper-119) */
        if (dead_value(p, 4))
            return first;
        for (LLVMUseRef u = LLVMGetFirstUse(p); u; u = LLVMGetNextUse(u)) {
            LLVMValueRef user = LLVMGetUser(u);
            int ours = user == call;
            for (LLVMValueRef q = first; !ours && q && q != call; q = LLVMGetNextInstruction(q))
                ours = q == user;
            if (!ours)
                return first;
        }
        first = p;
    }
    return first;
}

/* Code before `at` in its block?  (At -O0 a block's first instructions are
 * fast-isel's own choice: a store before its argument set-up with none of
 * them has no position of its own, and starts no row there.) */
static int code_before(LLVMValueRef at)
{
    return prev_code(at) != NULL;
}

/* One of the call's arguments is a global's address (SelectionDAG gives
 * its materialisation the call's position; a constant's or a local's
 * address, and the set-up of an argument computed before, it gives none). */
static int global_arg(LLVMValueRef call)
{
    LLVMOpcode op = LLVMGetInstructionOpcode(call);
    int n = op == LLVMCall || op == LLVMInvoke ? (int)LLVMGetNumArgOperands(call) : 0;
    for (int i = 0; i < n; i++)
        if (LLVMIsAGlobalValue(LLVMGetOperand(call, (unsigned)i)))
            return 1;
    return 0;
}

/* At -O0, is the call selected by SelectionDAG rather than fast-isel?
 * There the code that sets up a call's arguments (a constant, a local's
 * address) has no position, so the call's row starts at the call itself
 * and a return address before it stays in the row before (a line-0 row at
 * a block's start).  A store with the call's position would start the
 * call's row before that set-up: `finish` named the next line, and at a
 * loop's back edge gdb's `next` stopped once where it stopped twice
 * (helper's finding): its store has no position either.  Fast-isel gives
 * the set-up the call's position, and the store takes it too (with none
 * it joined the row before: a return address after a call stayed in the
 * previous line's row, helper-119).
 * Fast-isel selects a block from its end, and gives up at the first
 * instruction it cannot lower: SelectionDAG takes that one and everything
 * before it.  A terminator other than br, ret and unreachable (an invoke,
 * a switch), atomics, and values of types it does not handle (__int128,
 * x87 and 128-bit floats, vectors) send the call there (helper-123).
 * Calls it cannot lower go alone, and leave the rest as it was. */
static int sdag_block(LLVMValueRef call)
{
    for (LLVMValueRef i = call; i; i = LLVMGetNextInstruction(i)) {
        switch (LLVMGetInstructionOpcode(i)) {
        case LLVMBr: case LLVMRet: case LLVMUnreachable:
            break;
        case LLVMInvoke: case LLVMSwitch: case LLVMIndirectBr: case LLVMCallBr:
        case LLVMResume: case LLVMCatchSwitch: case LLVMCatchRet: case LLVMCleanupRet:
        case LLVMAtomicRMW: case LLVMAtomicCmpXchg: case LLVMFence:
            return 1;
        case LLVMLoad: case LLVMStore:
            if (LLVMGetOrdering(i) != LLVMAtomicOrderingNotAtomic)
                return 1;
            break;
        case LLVMCall:
            continue;
        default:
            break;
        }
        LLVMTypeRef t = LLVMTypeOf(i);
        unsigned n = (unsigned)LLVMGetNumOperands(i);
        for (unsigned k = 0; k <= n; k++) {
            if (k)
                t = LLVMTypeOf(LLVMGetOperand(i, k - 1));
            LLVMTypeKind tk = LLVMGetTypeKind(t);
            if (tk == LLVMVectorTypeKind || tk == LLVMScalableVectorTypeKind ||
                tk == LLVMX86_FP80TypeKind || tk == LLVMFP128TypeKind ||
                tk == LLVMPPC_FP128TypeKind ||
                (tk == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(t) > 64))
                return 1;
        }
    }
    return 0;
}

static void vstore(struct slot_ctx *c, LLVMValueRef val, LLVMValueRef ptr)
{
    LLVMValueRef st = LLVMBuildStore(c->b, val, ptr);
    LLVMSetVolatile(st, 1);
    LLVMSetAlignment(st, LLVMTypeOf(val) == LLVMInt32TypeInContext(c->ctx) ? 4 : 8);
}

/* A call that leaves the frame before it runs, in every build: musttail,
 * and a `tail` call of a convention with guaranteed tail calls (tailcc,
 * swifttailcc, GHC: instrument.c keeps those) directly followed by ret. */
static int leaves_frame(LLVMValueRef I)
{
    if (LLVMGetInstructionOpcode(I) != LLVMCall)
        return 0;
    LLVMTailCallKind k = LLVMGetTailCallKind(I);
    if (k == LLVMTailCallKindMustTail)
        return 1;
    if (k != LLVMTailCallKindTail)
        return 0;
    unsigned cc = LLVMGetInstructionCallConv(I);
    if (cc != 18 && cc != 20 && cc != LLVMGHCCallConv) /* Tail, SwiftTail, GHC */
        return 0;
    LLVMValueRef next = LLVMGetNextInstruction(I);
    return next && LLVMGetInstructionOpcode(next) == LLVMRet;
}

/* ---- will code generation turn a `tail` call into a jump? -------------------
 * Only to decide whether a function whose calls all look like jumps needs
 * a slot at all: without one its code is exactly what it would be without
 * the pass (the debugger's view of -g builds).  A wrong "yes" costs that
 * frame its line (reported as unknown, never as another line); a wrong
 * "no" costs a slot that is never read.  So everything uncertain is "no".
 * The rules are those of LLVM 19's isInTailCallPosition and
 * X86TargetLowering::IsEligibleForTailCallOptimization that the IR shows;
 * AArch64's differ in what the IR shows only in the number of argument
 * registers (x0-x7: target.c). */

static int not_incoming(LLVMValueRef v)
{
    if (LLVMIsAConstant(v))
        return 1;
    if (!LLVMIsAInstruction(v))
        return 0; /* an Argument, or something else we do not know */
    return !LLVMIsALoadInst(v) && !LLVMIsACastInst(v) && !LLVMIsAGetElementPtrInst(v) &&
           !LLVMIsAPHINode(v) && !LLVMIsASelectInst(v) && !LLVMIsAFreezeInst(v);
}
/* Where argument a of type t goes: 1 on the stack, 0 in a register, -1
 * not known here (a type this does not classify). */
static int on_stack(LLVMTypeRef t, int byval, unsigned *gpr, unsigned *xmm,
                    struct wp_arch_args regs)
{
    if (byval)
        return 1;
    LLVMTypeKind k = LLVMGetTypeKind(t);
    if (k == LLVMPointerTypeKind || (k == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(t) <= 64))
        return ++*gpr > regs.gprs;
    if (k == LLVMFloatTypeKind || k == LLVMDoubleTypeKind)
        return ++*xmm > regs.fprs;
    return -1;
}

/* Whether function F receives an argument on the stack: 1 yes, 0 no, -1
 * not known. */
static int takes_stack_args(LLVMValueRef F, struct wp_arch_args regs)
{
    unsigned byval = LLVMGetEnumAttributeKindForName("byval", 5), gpr = 0, xmm = 0;
    if (LLVMIsFunctionVarArg(LLVMGlobalGetValueType(F)))
        return -1;
    unsigned n = LLVMCountParams(F);
    for (unsigned i = 0; i < n; i++) {
        LLVMValueRef p = LLVMGetParam(F, i);
        int st = on_stack(LLVMTypeOf(p), LLVMGetEnumAttributeAtIndex(F, i + 1, byval) != NULL,
                          &gpr, &xmm, regs);
        if (st)
            return st;
    }
    return 0;
}

/* The stack slot (in 8-byte words, in order) where F receives its
 * parameter p: -1 in a register, -2 not known here (a byval or a type
 * this does not classify before it). */
static int param_slot(LLVMValueRef F, LLVMValueRef p, struct wp_arch_args regs)
{
    unsigned byval = LLVMGetEnumAttributeKindForName("byval", 5), gpr = 0, xmm = 0;
    int slot = 0;
    unsigned n = LLVMCountParams(F);
    for (unsigned i = 0; i < n; i++) {
        LLVMValueRef q = LLVMGetParam(F, i);
        int st = on_stack(LLVMTypeOf(q), LLVMGetEnumAttributeAtIndex(F, i + 1, byval) != NULL,
                          &gpr, &xmm, regs);
        if (st < 0 || LLVMGetEnumAttributeAtIndex(F, i + 1, byval))
            return -2;
        if (q == p)
            return st ? slot : -1;
        slot += st;
    }
    return -2;
}

/* A stack argument of the call makes it a jump only where the caller
 * received the same value at the same place on its own stack (the
 * backend's MatchingStackOffset): never for a value computed in the
 * caller, never when the caller received nothing on the stack, and never
 * for a parameter the caller received in a register or in another stack
 * slot (Ruby's onig_search passing on a register parameter to its callee's
 * stack: a call, helper-137); out of the entry block, not surely (so:
 * no). */
static int never_a_jump(LLVMValueRef F, LLVMValueRef I, struct wp_arch_args regs)
{
    /* not cached in a static: ThinLTO runs the pass on several threads */
    unsigned byval = LLVMGetEnumAttributeKindForName("byval", 5);
    unsigned n = LLVMGetNumArgOperands(I), gpr = 0, xmm = 0;
    int caller_stack = -2; /* (asked at the first stack argument) */
    int slot = 0, sized = 1; /* the call's stack slots so far (sized: all counted) */
    for (unsigned i = 0; i < n; i++) {
        LLVMValueRef a = LLVMGetOperand(I, i);
        int bv = LLVMGetCallSiteEnumAttribute(I, i + 1, byval) != NULL;
        int stack = on_stack(LLVMTypeOf(a), bv, &gpr, &xmm, regs);
        if (stack < 0)
            return 0;
        if (!stack)
            continue;
        if (not_incoming(a))
            return 1;
        int at = slot;
        slot++;
        if (bv)
            sized = 0; /* (a byval takes its size's words) */
        if (sized && LLVMIsAArgument(a) && LLVMGetParamParent(a) == F) {
            int ps = param_slot(F, a, regs);
            if (ps == -1 || (ps >= 0 && ps != at))
                return 1;
        }
        if (caller_stack == -2)
            caller_stack = takes_stack_args(F, regs);
        if (caller_stack == 0)
            return 1;
        /* An incoming argument is seen as its stack slot in the entry
         * block only; elsewhere the backend may not match it (CPython's
         * compiler_comprehension_generator: the entry's call a jump, the
         * other block's a call). */
        if (LLVMGetInstructionParent(I) != LLVMGetEntryBasicBlock(F))
            return 1;
    }
    return 0;
}

static LLVMValueRef next_non_debug(LLVMValueRef I)
{
    LLVMValueRef n = LLVMGetNextInstruction(I);
    while (n && LLVMIsADbgInfoIntrinsic(n))
        n = LLVMGetNextInstruction(n);
    return n;
}

/* The ret that follows call I: directly, or as the only instruction (but
 * phis) of the block its block branches to (CodeGenPrepare duplicates such
 * a ret into the call's block).  *via is the phi I reaches it through. */
static LLVMValueRef following_ret(LLVMValueRef I, LLVMValueRef *via)
{
    *via = NULL;
    LLVMValueRef n = next_non_debug(I);
    if (!n)
        return NULL;
    if (LLVMGetInstructionOpcode(n) == LLVMRet)
        return n;
    if (LLVMGetInstructionOpcode(n) != LLVMBr || LLVMIsConditional(n))
        return NULL;
    LLVMBasicBlockRef from = LLVMGetInstructionParent(I);
    LLVMBasicBlockRef to = LLVMValueAsBasicBlock(LLVMGetOperand(n, 0));
    LLVMValueRef t = LLVMGetFirstInstruction(to);
    LLVMValueRef phi = NULL;
    for (; t && LLVMIsAPHINode(t); t = LLVMGetNextInstruction(t)) {
        if (phi)
            return NULL; /* more than one phi: not the simple shape */
        phi = t;
    }
    while (t && LLVMIsADbgInfoIntrinsic(t))
        t = LLVMGetNextInstruction(t);
    if (!t || LLVMGetInstructionOpcode(t) != LLVMRet)
        return NULL;
    if (phi) {
        LLVMValueRef in = NULL;
        for (unsigned k = 0; k < LLVMCountIncoming(phi); k++)
            if (LLVMGetIncomingBlock(phi, k) == from)
                in = LLVMGetIncomingValue(phi, k);
        if (in != I || LLVMGetNumOperands(t) != 1 || LLVMGetOperand(t, 0) != phi)
            return NULL;
        *via = phi;
    }
    return t;
}

static int same_return_attrs(LLVMValueRef F, LLVMValueRef I)
{
    static const char *const kinds[] = {"zeroext", "signext", "noalias", "inreg"};
    for (unsigned k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        unsigned id = LLVMGetEnumAttributeKindForName(kinds[k], strlen(kinds[k]));
        int a = LLVMGetEnumAttributeAtIndex(F, LLVMAttributeReturnIndex, id) != NULL;
        int b = LLVMGetCallSiteEnumAttribute(I, LLVMAttributeReturnIndex, id) != NULL;
        if (a != b)
            return 0;
    }
    return 1;
}

/* An alloca aligned past 16 makes the backend realign the frame, and a
 * realigned frame never sibcalls. */
static int overaligned_frame(LLVMValueRef F)
{
    LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(F);
    for (LLVMValueRef i = LLVMGetFirstInstruction(entry); i; i = LLVMGetNextInstruction(i))
        if (LLVMIsAAllocaInst(i) && LLVMGetAlignment(i) > 16)
            return 1;
    return 0;
}

/* A value returned in x87 registers: x86_fp80, or a struct of them. */
static int x87_value(LLVMTypeRef t)
{
    LLVMTypeKind k = LLVMGetTypeKind(t);
    if (k == LLVMX86_FP80TypeKind)
        return 1;
    if (k == LLVMStructTypeKind)
        for (unsigned i = 0; i < LLVMCountStructElementTypes(t); i++)
            if (x87_value(LLVMStructGetTypeAtIndex(t, i)))
                return 1;
    return 0;
}

static int likely_jump(LLVMValueRef F, LLVMValueRef I)
{
    if (LLVMGetInstructionOpcode(I) != LLVMCall || LLVMGetTailCallKind(I) != LLVMTailCallKindTail)
        return 0;
    LLVMAttributeRef dtc = LLVMGetStringAttributeAtIndex(F, LLVMAttributeFunctionIndex,
                                                         "disable-tail-calls", 18);
    if (dtc) {
        unsigned n = 0;
        const char *v = LLVMGetStringAttributeValue(dtc, &n);
        if (n == 4 && !memcmp(v, "true", 4))
            return 0;
    }
    if (LLVMGetInstructionCallConv(I) != LLVMGetFunctionCallConv(F))
        return 0; /* another convention (ms_abi, preserve_*): not matched here */
    static const char *const stack_kinds[] = {"inalloca", "preallocated", "sret"};
    for (unsigned a = 1; a <= LLVMGetNumArgOperands(I); a++)
        for (unsigned k = 0; k < sizeof stack_kinds / sizeof *stack_kinds; k++)
            if (LLVMGetCallSiteEnumAttribute(
                    I, a, LLVMGetEnumAttributeKindForName(stack_kinds[k], strlen(stack_kinds[k]))))
                return 0;
    LLVMModuleRef M = LLVMGetGlobalParent(F);
    enum wp_arch arch = wp_module_arch(M);
    /* An x86-64 function that returns through sret returns the pointer in
     * %rax too: it never sibcalls (a call's own sret is excluded above).
     * AArch64 keeps x8 and does. */
    if (arch != WP_ARCH_AARCH64) {
        unsigned sret = LLVMGetEnumAttributeKindForName("sret", 4);
        for (unsigned a = 1; a <= LLVMCountParams(F); a++)
            if (LLVMGetEnumAttributeAtIndex(F, a, sret))
                return 0;
    }
    if (never_a_jump(F, I, wp_arch_args(arch)) || overaligned_frame(F))
        return 0;
    LLVMValueRef via;
    LLVMValueRef ret = following_ret(I, &via);
    if (!ret || !same_return_attrs(F, I))
        return 0;
    LLVMValueRef v = LLVMGetNumOperands(ret) ? LLVMGetOperand(ret, 0) : NULL;
    if (v && (v == I || (via && v == via)))
        return 1;
    /* The call's value is unused (ret void, or another value).  An x87
     * value (long double, its complex) must still be popped off the x87
     * stack after the call: x86-64 keeps such a call. */
    if (arch != WP_ARCH_AARCH64 && x87_value(LLVMTypeOf(I)))
        return 0;
    return !v || LLVMIsUndef(v);
}

int wp_is_slot_alloca(LLVMValueRef I)
{
    LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(I));
    return LLVMIsAAllocaInst(I) &&
           LLVMGetMetadata(I, LLVMGetMDKindIDInContext(C, WP_SLOT_MD, sizeof WP_SLOT_MD - 1));
}

static LLVMValueRef after_allocas(LLVMBasicBlockRef entry)
{
    LLVMValueRef i = LLVMGetFirstInstruction(entry);
    while (i && LLVMIsAAllocaInst(i))
        i = LLVMGetNextInstruction(i);
    return i;
}

int wp_insert_slots(LLVMModuleRef M, LLVMBuilderRef B, LLVMValueRef F,
                    const struct wp_site *calls, uint32_t ncalls, uint64_t key)
{
    /* A slot only where some call may keep the frame. */
    uint32_t staying = 0;
    for (uint32_t k = 0; k < ncalls; k++)
        staying += !leaves_frame(calls[k].call) && !likely_jump(F, calls[k].call);
    if (staying == 0)
        return 0; /* a leaf, or only (likely) tail calls */
    struct slot_ctx c;
    c.ctx = LLVMGetModuleContext(M);
    c.b = B;
    c.ptr = LLVMPointerTypeInContext(c.ctx, 0);
    LLVMTypeRef i32 = LLVMInt32TypeInContext(c.ctx);
    LLVMTypeRef fields[3] = {c.ptr, i32, i32};
    c.slot_ty = LLVMStructTypeInContext(c.ctx, fields, 3, 0);
    c.sp = LLVMGetSubprogram(F);

    /* Entry: the slot is a static alloca; its frame word is written after
     * the other allocas, before anything that could call. */
    LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(F);
    LLVMPositionBuilderBefore(B, LLVMGetFirstInstruction(entry));
    LLVMSetCurrentDebugLocation2(B, NULL);
    LLVMValueRef slot = LLVMBuildAlloca(B, c.slot_ty, "whence.slot");
    LLVMSetAlignment(slot, 8);
    LLVMSetMetadata(slot, LLVMGetMDKindIDInContext(c.ctx, WP_SLOT_MD, sizeof WP_SLOT_MD - 1),
                    LLVMMetadataAsValue(c.ctx, LLVMMDNodeInContext2(c.ctx, NULL, 0)));
    LLVMPositionBuilderBefore(B, after_allocas(entry));
    set_loc_before(&c, NULL);
    LLVMTypeRef fa_ty = LLVMFunctionType(c.ptr, &i32, 1, 0);
    LLVMValueRef fa_fn = LLVMGetNamedFunction(M, "llvm.frameaddress.p0");
    if (!fa_fn)
        fa_fn = LLVMAddFunction(M, "llvm.frameaddress.p0", fa_ty);
    LLVMValueRef zero32 = LLVMConstInt(i32, 0, 0);
    LLVMValueRef fa = LLVMBuildCall2(B, fa_ty, fa_fn, &zero32, 1, "whence.frame");
    LLVMValueRef tag = LLVMConstInt(i32, WHENCE_SLOT_TAG(key), 0);
    /* Optimizations may follow (an LTO link; IR written out with
     * -emit-llvm and optimized again), and SROA splits an alloca whose
     * fields are accessed apart into one alloca per field, which the frame
     * layout then places anywhere: the runtime would read another word as
     * the call in progress.  One store of the whole slot makes it one
     * piece. */
    LLVMValueRef fields0[3] = {LLVMGetPoison(c.ptr), LLVMGetPoison(i32), tag};
    LLVMValueRef agg = LLVMConstStructInContext(c.ctx, fields0, 3, 0);
    agg = LLVMBuildInsertValue(B, agg, fa, 0, "");
    vstore(&c, agg, slot);

    /* Before each call: which call is in progress. */
    int optnone = LLVMGetEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex,
                                              LLVMGetEnumAttributeKindForName("optnone", 7)) != NULL;
    for (uint32_t k = 0; k < ncalls; k++) {
        LLVMValueRef call = calls[k].call;
        if (leaves_frame(call))
            continue;
        LLVMValueRef at = optnone ? args_start(call) : call;
        LLVMPositionBuilderBefore(B, at);
        /* A resume's call of _Unwind_Resume has no position of its own
         * (its row goes on from the code before it): nor has its store,
         * which so joins whatever row the call would have joined. */
        if (LLVMGetInstructionOpcode(call) == LLVMResume || (at != call && !code_before(at)) ||
            (optnone && at == call && sdag_block(call) && !global_arg(call)))
            LLVMSetCurrentDebugLocation2(B, NULL);
        else
            set_loc_before(&c, at);
        vstore(&c, LLVMConstInt(i32, calls[k].loc, 0),
               LLVMBuildStructGEP2(B, c.slot_ty, slot, 1, ""));
        /* A thread-local access that becomes a call (tls.c): ordered after
         * the store by a block boundary, before the next store by an asm. */
        if (!optnone && wp_tls_access_calls(call)) {
            LLVMTypeRef vty = LLVMFunctionType(LLVMVoidTypeInContext(c.ctx), NULL, 0, 0);
            LLVMValueRef none = LLVMGetInlineAsm(vty, (char *)"", 0, (char *)"", 0, 0, 0,
                                                 LLVMInlineAsmDialectATT, 0);
            LLVMValueRef cb = wp_tls_fence_before(B, call, vty, none, NULL, 0);
            LLVMInstructionSetDebugLoc(cb, LLVMGetCurrentDebugLocation2(B));
            LLVMValueRef next = LLVMGetNextInstruction(call);
            int fenced = next && LLVMIsACallInst(next) && LLVMIsAInlineAsm(LLVMGetCalledValue(next)) &&
                         LLVMGetOperand(next, 0) == call; /* sites mode did it too */
            if (!fenced)
                wp_tls_fence_after(B, call);
            continue;
        }
        /* A library call chained to nothing (instrument.c) could run before
         * the store: its operand goes through an asm ordered after it. */
        const char *dep = optnone ? NULL : wp_through_label(call); /* -O0: in order */
        if (dep) {
            LLVMValueRef x = wp_through_in(B, call);
            LLVMTypeRef xt = LLVMTypeOf(x);
            char cons[24];
            snprintf(cons, sizeof cons, "=%s,0,~{memory}", dep);
            LLVMValueRef as = LLVMGetInlineAsm(LLVMFunctionType(xt, &xt, 1, 0), (char *)"", 0, cons,
                                               strlen(cons), /*HasSideEffects=*/1, 0,
                                               LLVMInlineAsmDialectATT, 0);
            wp_through_out(B, call, LLVMBuildCall2(B, LLVMFunctionType(xt, &xt, 1, 0), as, &x, 1, ""));
            wp_through_rest(B, call);
            wp_through_after(B, call);
        }
    }
    LLVMSetCurrentDebugLocation2(B, NULL);
    return 1;
}
