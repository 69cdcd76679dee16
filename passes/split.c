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
LLVMValueRef wp_split_end_marker(LLVMModuleRef M, uint64_t key) {
  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMTypeRef i64 = LLVMInt64TypeInContext(C);
  LLVMTypeRef fty = LLVMFunctionType(i64, NULL, 0, 0);
  int fdes = module_has_fdes(M);
  LLVMValueRef F = LLVMAddFunction(M, WHENCE_RESERVED_PREFIX ".fence", fty);
  LLVMSetLinkage(F, LLVMPrivateLinkage);
  add_enum_attr(F, "nounwind", 0);
  if (fdes)
    add_enum_attr(F, "uwtable", 2 /* UWTableKind::Async */);
  add_enum_attr(F, "disable_sanitizer_instrumentation", 0);
  LLVMBuilderRef B = LLVMCreateBuilderInContext(C);
  LLVMPositionBuilderAtEnd(B, LLVMAppendBasicBlockInContext(C, F, "entry"));
  LLVMBuildRet(B, LLVMConstInt(i64, key, 0));
  LLVMDisposeBuilder(B);
  wp_attach_fn_record(F, key, WHENCE_FN_FENCE);
  return F;
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
