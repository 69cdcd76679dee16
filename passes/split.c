/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * split.c - code that leaves a function's own range after the pass ran.
 *
 * The backend may move blocks of an instrumented function out of the range
 * its whence_fn record names: machine function splitting (-fsplit-machine-
 * functions, PGO), basic block sections (-fbasic-block-sections=all|list,
 * Propeller).  Those fragments run in their function's frame; each gets an
 * FDE of its own in .eh_frame, right after its function's FDE (the
 * assembler writes FDEs in the order the functions are emitted).  The
 * runtime names a fragment by that order (runtime/fragments.c), so what it
 * needs from the pass is where one function's FDEs end: every other
 * function body of the module gets a fence record (a whence_fn record with
 * subprog WHENCE_FN_FENCE), and the module ends with a tiny function that
 * has one, so the next object's first function is never taken for a
 * fragment of this module's last one.
 *
 * The machine outliner makes new functions instead (OUTLINED_FUNCTION_N,
 * shared by several functions, a pc in which has no frame of its own): it
 * is off for instrumented functions ("nooutline", always: it may be asked
 * for at an LTO link the pass cannot see), and said once when the command
 * line asked for it.  Hot/cold splitting, which makes *.cold.N functions
 * with frames of their own, is turned off by the plugin itself (plugin.cpp:
 * it runs in the same pipeline, and its only per-function switch, noinline,
 * would stop LTO's inlining too).
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static void add_enum_attr(LLVMValueRef F, const char *name, uint64_t val) {
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(F));
  unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
  if (kind)
    LLVMAddAttributeAtIndex(F, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(C, kind, val));
}

static void add_string_attr(LLVMValueRef F, const char *k) {
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(F));
  LLVMAddAttributeAtIndex(F, LLVMAttributeFunctionIndex,
                          LLVMCreateStringAttribute(C, k, (unsigned)strlen(k), "", 0));
}

/* Said once per compiler process (ThinLTO backends share one). */
static void say_once(int *said, const char *what) {
  if (!__atomic_exchange_n(said, 1, __ATOMIC_RELAXED))
    fprintf(stderr, "whence: note: %s\n", what);
}

static int said_outliner; /* __atomic builtins: set once */

/* Some function of M gets an FDE: unwind tables asked for, or code that
 * may throw (an FDE for its landing pads). */
static int module_has_fdes(LLVMModuleRef M) {
  unsigned uw = LLVMGetEnumAttributeKindForName("uwtable", 7);
  unsigned nu = LLVMGetEnumAttributeKindForName("nounwind", 8);
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F)) {
    if (LLVMIsDeclaration(F))
      continue;
    if (LLVMGetEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex, uw) ||
        !LLVMGetEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex, nu))
      return 1;
  }
  return 0;
}

/* A private function with nothing but a fence record: the last FDE of the
 * module's own functions (only the constructors, which get fences, follow).
 * uwtable when the module's functions have FDEs, so that it has one too
 * (and none in a module built without unwind tables); it returns
 * the module key, so that no two modules' markers are identical code a
 * linker could fold into one (--icf). */
static LLVMValueRef end_marker(LLVMModuleRef M, uint64_t key, LLVMValueRef personality) {
  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMTypeRef i64 = LLVMInt64TypeInContext(C);
  LLVMTypeRef fty = LLVMFunctionType(i64, NULL, 0, 0);
  LLVMValueRef F = LLVMAddFunction(M, WHENCE_RESERVED_PREFIX ".fence", fty);
  LLVMSetLinkage(F, LLVMPrivateLinkage);
  add_enum_attr(F, "disable_sanitizer_instrumentation", 0);
  LLVMBuilderRef B = LLVMCreateBuilderInContext(C);
  LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(C, F, "entry");
  LLVMPositionBuilderAtEnd(B, entry);
  if (!personality) {
    add_enum_attr(F, "nounwind", 0);
    if (module_has_fdes(M))
      add_enum_attr(F, "uwtable", 2 /* UWTableKind::Async */);
    LLVMBuildRet(B, LLVMConstInt(i64, key, 0));
  } else {
    /* A landing pad gives it the personality and an LSDA, as the
     * module's functions with landing pads have: its FDE is under their
     * CIE.  It invokes itself (it never runs) and its pad ends in
     * unreachable, so it needs nothing the module did not. */
    LLVMSetPersonalityFn(F, personality);
    LLVMBasicBlockRef ok = LLVMAppendBasicBlockInContext(C, F, "ok");
    LLVMBasicBlockRef pad = LLVMAppendBasicBlockInContext(C, F, "pad");
    LLVMBuildInvoke2(B, fty, F, NULL, 0, ok, pad, "");
    LLVMPositionBuilderAtEnd(B, ok);
    LLVMBuildRet(B, LLVMConstInt(i64, key, 0));
    LLVMPositionBuilderAtEnd(B, pad);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(C, 0);
    LLVMTypeRef lp_fields[2] = {ptr, LLVMInt32TypeInContext(C)};
    LLVMValueRef lp = LLVMBuildLandingPad(B, LLVMStructTypeInContext(C, lp_fields, 2, 0), NULL,
                                          0, "");
    LLVMSetCleanup(lp, 1);
    LLVMBuildUnreachable(B);
  }
  LLVMDisposeBuilder(B);
  wp_attach_fn_record(F, key, WHENCE_FN_FENCE);
  return F;
}

/* The module's end markers: one for the functions without a personality,
 * and one for each personality of functions with landing pads.  The
 * assembler writes a module's FDEs grouped by CIE (stable within a group:
 * MCDwarf sorts them by personality and LSDA encoding), so each group
 * needs a fence of its own at its end; without one, the first FDE of an
 * uninstrumented object linked next, if under the same (merged) CIE, was
 * taken for a fragment of the group's last function (runtime/fragments.c;
 * lit/e2e/fence-per-cie.cpp).  Returns how many it put in out. */
uint32_t wp_split_end_markers(LLVMModuleRef M, uint64_t key, LLVMValueRef *out, uint32_t max) {
  LLVMValueRef pers[WP_MAX_END_MARKERS];
  uint32_t np = 0;
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F)) {
    if (LLVMIsDeclaration(F) || !LLVMHasPersonalityFn(F))
      continue;
    LLVMValueRef p = LLVMGetPersonalityFn(F);
    int pads = 0;
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb && !pads;
         bb = LLVMGetNextBasicBlock(bb)) {
      LLVMValueRef I = LLVMGetFirstInstruction(bb);
      while (I && LLVMGetInstructionOpcode(I) == LLVMPHI)
        I = LLVMGetNextInstruction(I);
      pads = I && LLVMGetInstructionOpcode(I) == LLVMLandingPad;
    }
    uint32_t k = 0;
    while (k < np && pers[k] != p)
      k++;
    if (pads && k == np && np + 1 < max && np < WP_MAX_END_MARKERS)
      pers[np++] = p;
  }
  uint32_t n = 0;
  out[n++] = end_marker(M, key, NULL);
  for (uint32_t k = 0; k < np; k++)
    out[n++] = end_marker(M, key, pers[k]);
  return n;
}

/* F carries a whence_fn record already (the end marker). */
static int has_record(LLVMValueRef F) {
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(F));
  unsigned kind = LLVMGetMDKindIDInContext(C, "pcsections", 10);
  size_t n = 0;
  LLVMValueMetadataEntry *ents = LLVMGlobalCopyAllMetadata(F, &n);
  int found = 0;
  for (size_t i = 0; i < n && !found; i++) {
    if (LLVMValueMetadataEntriesGetKind(ents, (unsigned)i) != kind)
      continue;
    LLVMMetadataRef ops[64];
    LLVMMetadataRef md = LLVMValueMetadataEntriesGetMetadata(ents, (unsigned)i);
    unsigned nops = whence_md_operands(md, ops, 64);
    for (unsigned j = 0; j < nops && j < 64 && !found; j++) {
      unsigned len = 0;
      const char *str = ops[j] ? LLVMGetMDString(LLVMMetadataAsValue(C, ops[j]), &len) : NULL;
      found = str && len == strlen(WHENCE_SECT_FN) && !memcmp(str, WHENCE_SECT_FN, len);
    }
  }
  if (ents)
    LLVMDisposeValueMetadataEntries(ents);
  return found;
}

void wp_split_module(LLVMModuleRef M, uint64_t key, LLVMValueRef *fns, uint32_t nfns) {
  for (uint32_t i = 0; i < nfns; i++)
    add_string_attr(fns[i], "nooutline");
  /* Fences on every other body the backend emits here (bodies the pass
   * skips: instrumented ones all have records), naked ones included: LLVM
   * 19 gives those an FDE too, which without a fence was taken for a
   * fragment of the function before (lit/e2e/naked-fence.c).  A fence is
   * function metadata: the naked body itself is left as it is. */
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F))
    if (!LLVMIsDeclaration(F) && LLVMGetLinkage(F) != LLVMAvailableExternallyLinkage &&
        wp_skip_function(F) && !has_record(F))
      wp_attach_fn_record(F, key, WHENCE_FN_FENCE);
  if (whence_llvm_option_on("enable-machine-outliner"))
    say_once(&said_outliner, "the machine outliner (-enable-machine-outliner) does not "
                             "outline instrumented functions: outlined code has no records");
}
