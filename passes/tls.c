/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * tls.c - thread-local accesses that code generation makes a call: in a
 * shared library (position-independent code that is no executable), a
 * variable of the general-dynamic or local-dynamic model is reached
 * through __tls_get_addr on x86-64 and through a TLS descriptor's function
 * on AArch64 (`blr`).  Such an access (clang's llvm.threadlocal.address)
 * is a site like any call: a frame, a crash or a profiler sample whose
 * return address follows that call is named with the access's line.
 *
 * The address is no ordinary call for instruction selection, though: it is
 * computed from nothing (the call sequence hangs off the block's entry), so
 * the scheduler may put it anywhere in its block (before the label asm, even
 * before the call before it) or after the next label.  So, in optimized
 * code, the label (or, in slot mode, an empty asm after the slot's store)
 * ends its block as a `callbr` with no other destination: the access, in
 * the next block, cannot move above it (nothing merges a block that a
 * callbr ends before selection).  And the address goes through an empty
 * asm that clobbers memory, ordered before the next label and the next
 * slot store: the call cannot move below them.  Neither emits code; the
 * block boundary only narrows what the scheduler may do there.  -O0 code is
 * selected in program order (FastISel) and needs neither.
 */
#include "internal.h"
#include "target.h"

#include <stdio.h>
#include <string.h>

/* The model TargetMachine::getTLSModel gives the variable G of M on ELF:
 * the default one of the relocation model (a shared library: dynamic;
 * else exec), local or not as G is dso_local, unless G's own model is more
 * specific.  Enum order as LLVM's: general, local dynamic, initial, local
 * exec. */
static int tls_model_calls(LLVMModuleRef M, LLVMValueRef G) {
  unsigned pic = 0, pie = 0;
  whence_module_pic_levels(M, &pic, &pie);
  int shared = pic != 0 && pie == 0;
  int local = whence_global_dso_local(G);
  LLVMThreadLocalMode model =
      shared ? (local ? LLVMLocalDynamicTLSModel : LLVMGeneralDynamicTLSModel)
             : (local ? LLVMLocalExecTLSModel : LLVMInitialExecTLSModel);
  LLVMThreadLocalMode own = LLVMGetThreadLocalMode(G);
  if (own > model)
    model = own;
  return model == LLVMGeneralDynamicTLSModel || model == LLVMLocalDynamicTLSModel;
}

int wp_tls_access_calls(LLVMValueRef I) {
  if (LLVMGetInstructionOpcode(I) != LLVMCall || LLVMGetNumArgOperands(I) < 1)
    return 0;
  LLVMValueRef callee = LLVMGetCalledValue(I);
  size_t len = 0;
  const char *name = callee && LLVMIsAFunction(callee) ? LLVMGetValueName2(callee, &len) : "";
  static const char intr[] = "llvm.threadlocal.address";
  if (len < sizeof intr - 1 || memcmp(name, intr, sizeof intr - 1))
    return 0;
  LLVMValueRef G = LLVMGetOperand(I, 0);
  if (!G || !LLVMIsAGlobalVariable(G) || !LLVMIsThreadLocal(G))
    return 0;
  LLVMValueRef F = LLVMGetBasicBlockParent(LLVMGetInstructionParent(I));
  return tls_model_calls(LLVMGetGlobalParent(F), G);
}

/* ---- direct accesses ----------------------------------------------------
 * clang 19 reaches a few thread-local variables without
 * llvm.threadlocal.address: the guard of a function-local thread_local with
 * a dynamic initializer (`load i1, ptr @_ZGVZ...`), and, in the thread
 * initializer of a namespace-scope one (__cxx_global_var_init, __tls_init),
 * the variable and its guard, in operands and constant GEPs.  Code
 * generation makes those calls too (__tls_get_addr), with no label: their
 * return address would take the label of the call before, another line.
 * Each such operand becomes the intrinsic's result (the same address, as
 * LLVM defines it), which the pass then labels like clang's own. */

/* A global of M that code generation reaches through a call. */
static int calls_for(LLVMModuleRef M, LLVMValueRef v) {
  return v && LLVMIsAGlobalVariable(v) && LLVMIsThreadLocal(v) && tls_model_calls(M, v);
}

/* The address of G (through llvm.threadlocal.address, intrinsic id) built
 * before I, with dl's position. */
static LLVMValueRef tl_address(LLVMBuilderRef B, LLVMModuleRef M, unsigned id, LLVMValueRef G,
                               LLVMValueRef before, LLVMMetadataRef dl) {
  LLVMTypeRef pty = LLVMTypeOf(G);
  LLVMValueRef fn = LLVMGetIntrinsicDeclaration(M, id, &pty, 1);
  LLVMTypeRef fty = LLVMIntrinsicGetType(LLVMGetModuleContext(M), id, &pty, 1);
  LLVMPositionBuilderBefore(B, before);
  LLVMValueRef a = LLVMBuildCall2(B, fty, fn, &G, 1, "");
  if (dl)
    LLVMInstructionSetDebugLoc(a, dl);
  return a;
}

void wp_tls_direct_accesses(LLVMModuleRef M, LLVMValueRef *fns, uint32_t nfns) {
  int any = 0;
  for (LLVMValueRef G = LLVMGetFirstGlobal(M); G && !any; G = LLVMGetNextGlobal(G))
    any = calls_for(M, G);
  if (!any)
    return;
  static const char intr[] = "llvm.threadlocal.address";
  unsigned tl_id = LLVMLookupIntrinsicID(intr, sizeof intr - 1);
  LLVMBuilderRef B = LLVMCreateBuilderInContext(LLVMGetModuleContext(M));
  for (uint32_t f = 0; f < nfns; f++)
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fns[f]); bb; bb = LLVMGetNextBasicBlock(bb))
      for (LLVMValueRef I = LLVMGetFirstInstruction(bb); I; I = LLVMGetNextInstruction(I)) {
        LLVMOpcode op = LLVMGetInstructionOpcode(I);
        if (op == LLVMLandingPad || op == LLVMCatchPad || op == LLVMCleanupPad ||
            op == LLVMCatchSwitch)
          continue;
        int n = LLVMGetNumOperands(I);
        if (op == LLVMCall || op == LLVMInvoke || op == LLVMCallBr) {
          LLVMValueRef callee = LLVMGetCalledValue(I);
          if (callee && LLVMIsAFunction(callee) && LLVMGetIntrinsicID(callee) == tl_id)
            continue; /* clang's own */
          n = (int)LLVMGetNumArgOperands(I); /* not the callee nor the destinations */
        }
        for (int k = 0; k < n; k++) {
          LLVMValueRef v = LLVMGetOperand(I, k);
          LLVMValueRef G = calls_for(M, v) ? v : NULL;
          int gep = 0;
          if (!G && v && LLVMIsAConstantExpr(v) && LLVMGetConstOpcode(v) == LLVMGetElementPtr &&
              calls_for(M, LLVMGetOperand(v, 0)))
            G = LLVMGetOperand(v, 0), gep = 1;
          if (!G)
            continue;
          /* before I, or for a phi at the end of the block it comes from */
          LLVMValueRef at = LLVMIsAPHINode(I)
                                ? LLVMGetBasicBlockTerminator(LLVMGetIncomingBlock(I, (unsigned)k))
                                : I;
          LLVMValueRef idx[8];
          unsigned ni = gep ? (unsigned)LLVMGetNumOperands(v) - 1 : 0;
          if (ni > sizeof idx / sizeof idx[0])
            continue;
          for (unsigned j = 0; j < ni; j++)
            idx[j] = LLVMGetOperand(v, j + 1);
          LLVMValueRef a = tl_address(B, M, tl_id, G, at, LLVMInstructionGetDebugLoc(at));
          if (gep) {
            LLVMTypeRef et = LLVMGetGEPSourceElementType(v);
            a = LLVMIsInBounds(v) ? LLVMBuildInBoundsGEP2(B, et, a, idx, ni, "")
                                  : LLVMBuildGEP2(B, et, a, idx, ni, "");
          }
          LLVMSetOperand(I, (unsigned)k, a);
        }
      }
  LLVMDisposeBuilder(B);
}

LLVMValueRef wp_tls_fence_before(LLVMBuilderRef B, LLVMValueRef I, LLVMTypeRef fty,
                                 LLVMValueRef as, LLVMValueRef *args, unsigned nargs) {
  LLVMBasicBlockRef from = LLVMGetInstructionParent(I);
  LLVMBasicBlockRef to = whence_split_block(I);
  LLVMValueRef br = LLVMGetBasicBlockTerminator(from);
  LLVMPositionBuilderBefore(B, br);
  LLVMValueRef cb = LLVMBuildCallBr(B, fty, as, to, NULL, 0, args, nargs, NULL, 0, "");
  LLVMInstructionSetDebugLoc(cb, LLVMInstructionGetDebugLoc(br));
  LLVMInstructionEraseFromParent(br);
  /* Allocas of the entry block after I stay there: in another block they
   * would be dynamic ones. */
  if (LLVMGetEntryBasicBlock(LLVMGetBasicBlockParent(from)) == from) {
    LLVMPositionBuilderBefore(B, cb);
    for (LLVMValueRef i = LLVMGetNextInstruction(I), n; i; i = n) {
      n = LLVMGetNextInstruction(i);
      if (LLVMIsAAllocaInst(i) && LLVMIsAConstant(LLVMGetOperand(i, 0))) {
        size_t len = 0;
        const char *name = LLVMGetValueName2(i, &len);
        char keep[256];
        snprintf(keep, sizeof keep, "%.*s", (int)(len < sizeof keep ? len : sizeof keep - 1), name);
        LLVMInstructionRemoveFromParent(i);
        LLVMInsertIntoBuilderWithName(B, i, keep);
      }
    }
  }
  LLVMPositionBuilderBefore(B, I);
  return cb;
}

void wp_tls_fence_after(LLVMBuilderRef B, LLVMValueRef I) {
  LLVMValueRef next = LLVMGetNextInstruction(I);
  if (!next)
    return;
  LLVMPositionBuilderBefore(B, next);
  LLVMValueRef out = wp_empty_asm(B, I, "r", /*side_effects=*/0);
  LLVMInstructionSetDebugLoc(out, LLVMInstructionGetDebugLoc(I));
  LLVMReplaceAllUsesWith(I, out);
  LLVMSetOperand(out, 0, I); /* RAUW made it its own operand */
}
