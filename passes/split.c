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
 * Two transformations make new functions instead, which would carry calls
 * without records and leave their caller at a wrong line: hot/cold
 * splitting (its *.cold.N functions run after OptimizerLast, in the same
 * pipeline) and the machine outliner (OUTLINED_FUNCTION_N, a pc in which
 * has no frame of its own).  Both are turned off for instrumented
 * functions (noinline is hot/cold splitting's only off switch that changes
 * no code, and no inlining runs after OptimizerLast; "nooutline" is the
 * outliner's), and said once when the command line asked for them.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* Marks a noinline the pass added, so that a module instrumented again
 * (LTO, lto.c) can take it back. */
#define WP_NOINLINE_MARK "whence-noinline"

static int has_enum_attr(LLVMValueRef F, const char *name) {
  unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
  return kind && LLVMGetEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex, kind) != NULL;
}

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

static int said_hcs, said_outliner; /* __atomic builtins: set once */

/* "nooutline" always: the outliner may be asked for at an LTO link the
 * pass cannot see.  noinline only when hot/cold splitting is on in this
 * process (it is its only switch), and never before an LTO link, which
 * must still inline (hot/cold splitting runs only after the link there). */
static void keep_together(LLVMValueRef F, int hcs) {
  add_string_attr(F, "nooutline");
  if (hcs && !has_enum_attr(F, "noinline") && !has_enum_attr(F, "optnone")) {
    add_enum_attr(F, "noinline", 0);
    add_string_attr(F, WP_NOINLINE_MARK);
  }
}

/* A private function with nothing but a fence record: the last FDE of the
 * module's own functions (only the constructors, which get fences, follow).  uwtable, so it has an FDE whenever the module's
 * functions do; it returns the module key, so that no two modules' markers
 * are identical code a linker could fold into one (--icf). */
LLVMValueRef wp_split_end_marker(LLVMModuleRef M, uint64_t key) {
  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMTypeRef i64 = LLVMInt64TypeInContext(C);
  LLVMTypeRef fty = LLVMFunctionType(i64, NULL, 0, 0);
  LLVMValueRef F = LLVMAddFunction(M, WHENCE_RESERVED_PREFIX ".fence", fty);
  LLVMSetLinkage(F, LLVMPrivateLinkage);
  add_enum_attr(F, "nounwind", 0);
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

void wp_split_module(LLVMModuleRef M, uint64_t key, LLVMValueRef *fns, uint32_t nfns,
                     int lto_prelink) {
  int hcs = !lto_prelink && whence_llvm_option_on("hot-cold-split");
  for (uint32_t i = 0; i < nfns; i++)
    keep_together(fns[i], hcs);
  /* Fences on every other body the backend emits here (bodies the pass
   * skips: instrumented ones all have records), but naked ones, which have
   * no CFI and so no FDE to tell apart. */
  unsigned naked = LLVMGetEnumAttributeKindForName("naked", 5);
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F))
    if (!LLVMIsDeclaration(F) && LLVMGetLinkage(F) != LLVMAvailableExternallyLinkage &&
        !LLVMGetEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex, naked) &&
        wp_skip_function(F) && !has_record(F))
      wp_attach_fn_record(F, key, WHENCE_FN_FENCE);

  if (hcs)
    say_once(&said_hcs, "hot/cold splitting (-hot-cold-split) is off for instrumented "
                        "functions: their cold parts would be functions without records");
  if (whence_llvm_option_on("enable-machine-outliner"))
    say_once(&said_outliner, "the machine outliner (-enable-machine-outliner) does not "
                             "outline instrumented functions: outlined code has no records");
}

int wp_split_is_our_noinline(LLVMValueRef F) {
  return LLVMGetStringAttributeAtIndex(F, LLVMAttributeFunctionIndex, WP_NOINLINE_MARK,
                                       (unsigned)strlen(WP_NOINLINE_MARK)) != NULL;
}

void wp_split_undo(LLVMValueRef F) {
  if (!wp_split_is_our_noinline(F))
    return;
  unsigned kind = LLVMGetEnumAttributeKindForName("noinline", 8);
  LLVMRemoveEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex, kind);
  LLVMRemoveStringAttributeAtIndex(F, LLVMAttributeFunctionIndex, WP_NOINLINE_MARK,
                                   (unsigned)strlen(WP_NOINLINE_MARK));
}
