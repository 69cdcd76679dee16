/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * instrument.c - what the pass does to one function: keep its frame on the
 * frame-pointer chain (frame-pointer, disable-tail-calls), give it a
 * whence_fn record (function-level !pcsections), and put a site label
 * before each call the runtime may see as a return address.
 */
#include "internal.h"
#include "target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- which calls get a site label ----------------------------------------- */

int wp_function_allows_sites(LLVMValueRef F) {
  /* Inside a funclet every call needs a "funclet" operand bundle; the site
   * asm has none, so leave such functions without sites.  (Windows EH only;
   * never on Linux, but the verifier must stay happy.) */
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb;
       bb = LLVMGetNextBasicBlock(bb))
    for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i;
         i = LLVMGetNextInstruction(i)) {
      LLVMOpcode op = LLVMGetInstructionOpcode(i);
      if (op == LLVMCatchPad || op == LLVMCleanupPad || op == LLVMCatchSwitch)
        return 0;
    }
  return 1;
}

static int has_prefix(const char *s, size_t len, const char *p) {
  size_t n = strlen(p);
  return len >= n && !memcmp(s, p, n);
}

int wp_is_site_call(LLVMValueRef I) {
  LLVMOpcode op = LLVMGetInstructionOpcode(I);
  /* -finstrument-functions-after-inlining: code generation's own IR
   * passes put a __cyg_profile_func_exit call right before each return,
   * after the pass ran.  A label before the return gives that call the
   * return's line (the entry's call, before everything, has no label: its
   * line is unknown). */
  if (op == LLVMRet) {
    LLVMValueRef F = LLVMGetBasicBlockParent(LLVMGetInstructionParent(I));
    return LLVMGetStringAttributeAtIndex(F, LLVMAttributeFunctionIndex,
                                         "instrument-function-exit-inlined", 32) != NULL;
  }
  /* Code generation (DwarfEHPrepare) makes each resume a call of
   * _Unwind_Resume, after the pass ran and with no position of its own: a
   * label before the resume gives that call the resume's (the end of the
   * cleanup that unwinding then leaves; 0 where the optimizer merged
   * several).  Without one, the call took the label of a cleanup's call
   * before it, on another path.  (Labels only: pass.c.) */
  if (op == LLVMResume)
    return 1;
  if (op != LLVMCall && op != LLVMInvoke && op != LLVMCallBr)
    return wp_instruction_may_call(I); /* a library call after all? (libcalls.c) */
  LLVMValueRef callee = LLVMGetCalledValue(I);
  if (!callee)
    return 0;
  if (LLVMIsAInlineAsm(callee))
    return wp_asm_may_call(I, callee); /* asm("call f"): asmcalls.c */
  if (LLVMIsAGlobalValue(callee)) {
    size_t len = 0;
    const char *name = LLVMGetValueName2(callee, &len);
    if (wp_is_reserved_name(name, len))
      return 0; /* the runtime's own hooks */
    if (has_prefix(name, len, "llvm.") || (LLVMIsAFunction(callee) &&
                                           LLVMGetIntrinsicID(callee)))
      return wp_intrinsic_may_call(I, name, len);
  }
  return 1; /* direct and indirect calls alike */
}

/* ---- function attributes and record ---------------------------------------- */

static void set_string_attr(LLVMValueRef F, const char *k, const char *v) {
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(F));
  LLVMAddAttributeAtIndex(
      F, LLVMAttributeFunctionIndex,
      LLVMCreateStringAttribute(C, k, (unsigned)strlen(k), v, (unsigned)strlen(v)));
}

static int string_attr_is(LLVMValueRef F, const char *k, const char *v) {
  LLVMAttributeRef a =
      LLVMGetStringAttributeAtIndex(F, LLVMAttributeFunctionIndex, k, (unsigned)strlen(k));
  if (!a)
    return 0;
  unsigned len = 0;
  const char *s = LLVMGetStringAttributeValue(a, &len);
  return s && len == strlen(v) && !memcmp(s, v, len);
}

/* Attach {"whence_fn", {i64 keysub}} to F's !pcsections, after any
 * sections already there (the metadata is a list of section names each
 * followed by its aux nodes, so appending keeps other users' records). */
/* ours appended to an existing !pcsections node (NULL: none). */
static LLVMMetadataRef merge_pcsections(LLVMContextRef C, LLVMMetadataRef old,
                                        LLVMMetadataRef ours[2]) {
  if (!old)
    return LLVMMDNodeInContext2(C, ours, 2);
  unsigned n = whence_md_operands(old, NULL, 0);
  LLVMMetadataRef *ops = malloc(sizeof *ops * ((size_t)n + 2));
  if (!ops) /* out of memory: ours alone beats no record */
    return LLVMMDNodeInContext2(C, ours, 2);
  whence_md_operands(old, ops, n);
  ops[n] = ours[0];
  ops[n + 1] = ours[1];
  LLVMMetadataRef node = LLVMMDNodeInContext2(C, ops, n + 2);
  free(ops);
  return node;
}

static LLVMMetadataRef find_kind(LLVMValueMetadataEntry *ents, size_t nent, unsigned kind) {
  LLVMMetadataRef old = NULL;
  for (unsigned i = 0; i < nent; i++)
    if (LLVMValueMetadataEntriesGetKind(ents, i) == kind)
      old = LLVMValueMetadataEntriesGetMetadata(ents, i);
  return old;
}

/* Our !pcsections entry: the section name, then its one aux constant. */
static void our_entry(LLVMContextRef C, const char *sect, LLVMValueRef aux,
                      LLVMMetadataRef ours[2]) {
  LLVMMetadataRef a = LLVMValueAsMetadata(aux);
  ours[0] = LLVMMDStringInContext2(C, sect, strlen(sect));
  ours[1] = LLVMMDNodeInContext2(C, &a, 1);
}

void wp_attach_fn_record(LLVMValueRef F, uint64_t key, uint32_t subprog) {
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(F));
  unsigned kind = LLVMGetMDKindIDInContext(C, "pcsections", 10);
  uint64_t keysub = (key & WHENCE_KEY_MASK) << WHENCE_FN_SUB_BITS | subprog;
  LLVMMetadataRef ours[2];
  our_entry(C, WHENCE_SECT_FN, LLVMConstInt(LLVMInt64TypeInContext(C), keysub, 0), ours);
  size_t nent = 0;
  LLVMValueMetadataEntry *ents = LLVMGlobalCopyAllMetadata(F, &nent);
  LLVMMetadataRef old = find_kind(ents, nent, kind);
  LLVMGlobalSetMetadata(F, kind, merge_pcsections(C, old, ours));
  if (ents)
    LLVMDisposeValueMetadataEntries(ents);
}

/* ---- line records ------------------------------------------------------------
 * Instruction-level !pcsections on a memory operation: kept by SelectionDAG,
 * FastISel and GlobalISel alike for loads, stores and atomics, and code and
 * line tables stay byte-identical.  The record names the instruction's own
 * position, so a fault or a profiler sample between calls has its line. */

int wp_is_line_inst(LLVMValueRef I) {
  switch (LLVMGetInstructionOpcode(I)) {
  case LLVMLoad:
  case LLVMStore:
  case LLVMAtomicRMW:
  case LLVMAtomicCmpXchg:
    return LLVMInstructionGetDebugLoc(I) != NULL;
  default:
    return 0;
  }
}

void wp_attach_line(LLVMValueRef I, uint32_t loc) {
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(I));
  unsigned kind = LLVMGetMDKindIDInContext(C, "pcsections", 10);
  LLVMMetadataRef ours[2];
  our_entry(C, WHENCE_SECT_LINE, LLVMConstInt(LLVMInt32TypeInContext(C), WHENCE_LINE_LOC_TAG | loc, 0),
            ours);
  size_t nent = 0;
  LLVMValueMetadataEntry *ents = LLVMInstructionGetAllMetadataOtherThanDebugLoc(I, &nent);
  LLVMMetadataRef old = find_kind(ents, nent, kind);
  LLVMSetMetadata(I, kind, LLVMMetadataAsValue(C, merge_pcsections(C, old, ours)));
  if (ents)
    LLVMDisposeValueMetadataEntries(ents);
}

/* llvm::CallingConv::Tail = 18, SwiftTail = 20: a `tail` call in these
 * conventions is a guaranteed tail call (GHC = 10 under -tailcallopt). */
static int guaranteed_tail_call(LLVMValueRef I) {
  if (LLVMGetInstructionOpcode(I) != LLVMCall ||
      LLVMGetTailCallKind(I) != LLVMTailCallKindTail)
    return 0;
  unsigned cc = LLVMGetInstructionCallConv(I);
  return cc == 18 || cc == 20 || cc == LLVMGHCCallConv;
}

/* A call of whence_caller & co. (WHENCE_FRAME_API_NAMES), not musttail. */
static int calls_frame_api(LLVMValueRef I) {
  static const char *const api[] = {WHENCE_FRAME_API_NAMES};
  if (LLVMGetInstructionOpcode(I) != LLVMCall ||
      LLVMGetTailCallKind(I) == LLVMTailCallKindMustTail)
    return 0;
  LLVMValueRef callee = LLVMGetCalledValue(I);
  if (!callee || !LLVMIsAFunction(callee))
    return 0;
  size_t n;
  const char *name = LLVMGetValueName2(callee, &n);
  for (size_t k = 0; k < sizeof api / sizeof api[0]; k++)
    if (strlen(api[k]) == n && !memcmp(name, api[k], n))
      return 1;
  return 0;
}

void wp_keep_out_of_line(LLVMValueRef F) {
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(F));
  unsigned always = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
  unsigned never = LLVMGetEnumAttributeKindForName("noinline", 8);
  /* (alwaysinline and noinline together fail the verifier) */
  if (!LLVMGetEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex, always))
    LLVMAddAttributeAtIndex(F, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(C, never, 0));
}

void wp_instrument_function(LLVMValueRef F, uint64_t key, uint32_t subprog,
                            int keep_tail_calls) {
  /* The runtime walks the frame-pointer chain: every non-leaf frame must be
   * on it.  "all" already satisfies that. */
  if (!string_attr_is(F, "frame-pointer", "all"))
    set_string_attr(F, "frame-pointer", "non-leaf");

  /* A tail call replaces this frame with the callee's: the caller would
   * vanish from the stack.  So disable them (musttail calls stay tail calls,
   * verified), unless the function relies on guaranteed tail calls
   * (tailcc/swifttailcc): "disable-tail-calls" would turn those into
   * ordinary calls and grow the stack without bound.
   * In full-debug (-g) modules tail calls are kept: there the promise is
   * that the debugger sees exactly the code it would see without whence
   * (LLDB shows a tail-called-through frame as [artificial] and `finish`
   * returns past it); whence's frame walk then skips that frame, as the
   * debugger's own unwinder does. */
  int guaranteed = keep_tail_calls;
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb && !guaranteed;
       bb = LLVMGetNextBasicBlock(bb))
    for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i && !guaranteed;
         i = LLVMGetNextInstruction(i))
      guaranteed = guaranteed_tail_call(i);
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb; bb = LLVMGetNextBasicBlock(bb))
    for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i))
      if (calls_frame_api(i))
        LLVMSetTailCallKind(i, LLVMTailCallKindNoTail);
  if (!guaranteed) {
    set_string_attr(F, "disable-tail-calls", "true");
    /* Drop the optimizer's `tail` hints too, so codegen sees what clang
     * -fno-optimize-sibling-calls gives (identical code and line tables; a
     * hint left behind changed epilogue line rows).  Never musttail. */
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb; bb = LLVMGetNextBasicBlock(bb))
      for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i))
        if (LLVMGetInstructionOpcode(i) == LLVMCall &&
            LLVMGetTailCallKind(i) == LLVMTailCallKindTail)
          LLVMSetTailCallKind(i, LLVMTailCallKindNone);
  }
  wp_attach_fn_record(F, key, subprog);
}

/* ---- site labels ------------------------------------------------------------ */

/* Branch folding merges identical block tails after the pass ran: two
 * arms ending in the same call (`abort(); }` twice, `f(x); return 0;` in two
 * switch arms) would keep one call, after the last arm's label, and the
 * other arm's frames would read that arm's line (so would, on AArch64,
 * SimplifyCFG's sinking in code generation's own IR passes).  Two things
 * keep each call in its arm:
 *  - `nomerge` on the call: SelectionDAG makes it the call instruction's
 *    NoMerge flag, and branch folding ends a common tail at such an
 *    instruction (SimplifyCFG neither sinks nor hoists the call).  It costs
 *    nothing where no merge was possible: no instruction, no scheduling
 *    barrier, nothing more for instruction selection;
 *  - an empty inline asm after the call (no bytes; clobbering memory, so
 *    that nothing deletes it): branch folding never merges across an inline
 *    asm.  For what `nomerge` cannot reach, a call that code generation
 *    makes (what follows), or a module compiled for LTO (lto.c).
 * Needed only after the last call of a block: a call followed by another
 * keeps that one's label between itself and the block's end. */
enum tail_slot {
  TAIL_COVERED, /* another site's label follows it in its block */
  TAIL_OPEN,    /* the last site of its block: a separator can follow it */
  TAIL_FIXED    /* nothing can follow it (invoke, callbr, musttail, a kept tail call) */
};

static enum tail_slot tail_slot(LLVMValueRef F, LLVMValueRef call) {
  LLVMOpcode op = LLVMGetInstructionOpcode(call);
  if (op != LLVMCall || LLVMGetTailCallKind(call) == LLVMTailCallKindMustTail)
    return TAIL_FIXED; /* invoke/callbr end their block; musttail must precede its ret */
  LLVMValueRef next = LLVMGetNextInstruction(call);
  /* A tail call that may become a jump (a convention with guaranteed tail
   * calls keeps them) must stay right before its ret; as a jump it leaves
   * no frame to name. */
  if (LLVMGetTailCallKind(call) == LLVMTailCallKindTail && next &&
      LLVMGetInstructionOpcode(next) == LLVMRet && !string_attr_is(F, "disable-tail-calls", "true"))
    return TAIL_FIXED;
  for (LLVMValueRef i = next; i; i = LLVMGetNextInstruction(i))
    if (wp_is_site_call(i))
      return TAIL_COVERED;
  return TAIL_OPEN;
}

static void keep_tail_apart(LLVMBuilderRef B, LLVMValueRef F, LLVMValueRef call) {
  if (tail_slot(F, call) != TAIL_OPEN)
    return;
  LLVMValueRef next = LLVMGetNextInstruction(call);
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(F));
  LLVMTypeRef fty = LLVMFunctionType(LLVMVoidTypeInContext(C), NULL, 0, 0);
  static const char cons[] = "~{memory}";
  LLVMValueRef as = LLVMGetInlineAsm(fty, (char *)"", 0, (char *)cons, sizeof cons - 1,
                                     /*HasSideEffects=*/0, /*IsAlignStack=*/0,
                                     LLVMInlineAsmDialectATT, /*CanThrow=*/0);
  LLVMPositionBuilderBefore(B, next);
  LLVMValueRef m = LLVMBuildCall2(B, fty, as, NULL, 0, "");
  unsigned nounwind = LLVMGetEnumAttributeKindForName("nounwind", 8);
  LLVMAddCallSiteAttribute(m, LLVMAttributeFunctionIndex,
                           LLVMCreateEnumAttribute(C, nounwind, 0));
  /* The call's own position: no line-table row of its own. */
  LLVMInstructionSetDebugLoc(m, LLVMInstructionGetDebugLoc(call));
}

/* `nomerge` on a site call (a nomerge the program gave it stays as it is;
 * nothing takes this one off: only lto.c's, which it marks). */
static void keep_call_apart(LLVMValueRef call) {
  unsigned nm = LLVMGetEnumAttributeKindForName("nomerge", 7);
  if (!nm || LLVMGetCallSiteEnumAttribute(call, LLVMAttributeFunctionIndex, nm))
    return;
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(call));
  LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(C, nm, 0));
}

/* A direct call that code generation may make another call of, which has
 * no IR call to carry `nomerge` (LLVM 19, x86-64 and AArch64, measured:
 * lit/pass/nomerge-sites.ll):
 *  - SelectionDAG turns a call of a math function that does not touch
 *    memory into a node (sin -> FSIN), which becomes a library call again
 *    where there is no instruction for it (sin, log2, ldexp; floor without
 *    SSE4.1; fmin at -Oz), and mempcpy into a memcpy node;
 *  - CodeGenPrepare makes a fortified call whose check it can drop a call
 *    of the plain function (__memcpy_chk -> llvm.memcpy -> memcpy).
 * Those are told by name (with the f and l variants; the math functions
 * are the ones SelectionDAGBuilder::visitCall takes, whether or not the
 * call touches memory): a call of one of them is kept apart by the asm
 * instead.  (memcmp, bcmp, strlen, strcpy and the like are rewritten only
 * on other targets, or into no call; asin, pow, exp, log and the like stay
 * calls: they keep NoMerge.) */
static int dag_may_remake(LLVMValueRef callee) {
  size_t len = 0;
  const char *name = LLVMGetValueName2(callee, &len);
  if (!name || !len)
    return 0;
  if (len > 6 && !memcmp(name, "__", 2) && !memcmp(name + len - 4, "_chk", 4))
    return 1;
  if (len == 7 && !memcmp(name, "mempcpy", 7))
    return 1;
  static const char *const math[] = {"copysign", "fabs", "fmin",  "fmax",  "sin",
                                     "cos",      "tan",  "sqrt",  "floor", "ceil",
                                     "trunc",    "rint", "nearbyint", "round", "log2",
                                     "exp2",     "exp10", "ldexp", NULL};
  for (const char *const *m = math; *m; m++) {
    size_t n = strlen(*m);
    if (len >= n && len <= n + 1 && !memcmp(name, *m, n) &&
        (len == n || name[n] == 'f' || name[n] == 'l'))
      return 1;
  }
  return 0;
}

/* Of the calls that could merge with one another only identical machine
 * calls merge: direct calls of one function, indirect calls, and what code
 * generation makes a call (its callee is known only then, and may be one
 * the function also calls by name).  So:
 *  - an IR call or invoke whose call code generation keeps gets `nomerge`
 *    (direct and indirect: NoMerge on either of two calls stops a merge);
 *  - what code generation makes a call, or may remake (dag_may_remake),
 *    keeps its separator, but for direct calls of one such callee, of which
 *    the first whose block ends after it goes without: a call with no
 *    separator merges with none whose tail ends in one (all of them where
 *    one is an invoke, which can have nothing after it);
 *  - modules compiled for LTO keep every separator (lto.c adds `nomerge`
 *    too): the LTO link's optimizations still run, inlining may bring
 *    another call of a callee, and the library-call simplifier replaces a
 *    call by another (printf -> puts) without its attributes.
 * Each separator costs code: its memory clobber is a barrier to the
 * scheduler, and instruction selection sees one more node.  `nomerge`
 * costs only the merges it prevents, the ones that would have lost a
 * line (against the separators: the same run-time instructions, a few
 * fewer at compile time; REALWORLD.md, ninth round). */
struct callee_key {
  uintptr_t callee;
  uint32_t site;
  enum tail_slot slot;
};

static int callee_cmp(const void *a, const void *b) {
  const struct callee_key *x = a, *y = b;
  if (x->callee != y->callee)
    return x->callee < y->callee ? -1 : 1;
  return x->site < y->site ? -1 : x->site > y->site;
}

static LLVMValueRef direct_callee(LLVMValueRef site) {
  LLVMOpcode op = LLVMGetInstructionOpcode(site);
  if (op != LLVMCall && op != LLVMInvoke)
    return NULL;
  LLVMValueRef c = LLVMGetCalledValue(site);
  return c && LLVMIsAFunction(c) && !LLVMGetIntrinsicID(c) ? c : NULL;
}

/* An IR call or invoke that stays the call it is (not an intrinsic, not a
 * callee code generation may remake): `nomerge` reaches its instruction. */
static int keeps_its_call(LLVMValueRef site) {
  LLVMOpcode op = LLVMGetInstructionOpcode(site);
  if (op != LLVMCall && op != LLVMInvoke)
    return 0;
  LLVMValueRef c = LLVMGetCalledValue(site);
  if (!c || LLVMIsAInlineAsm(c))
    return 0;
  /* A call through the GOT (-fno-plt: `nonlazybind`) loses its NoMerge
   * flag in a loop: MachineLICM unfolds the GOT load to hoist it and the
   * call it rebuilds carries no flags (LLVM 19), so branch folding merged
   * two such calls of two arms into one after one label (std::sort's
   * __insertion_sort: one arm's 8-frame chain for both;
   * lit/pass/nomerge-got-loop.ll).  The separator is no flag. */
  unsigned nlb = LLVMGetEnumAttributeKindForName("nonlazybind", 11);
  if (LLVMIsAFunction(c) && LLVMGetEnumAttributeAtIndex(c, LLVMAttributeFunctionIndex, nlb))
    return 0;
  if (LLVMIsAFunction(c))
    return !LLVMGetIntrinsicID(c) && !dag_may_remake(c);
  if (LLVMIsAGlobalValue(c)) { /* an alias or ifunc: its name may be one too */
    size_t len = 0;
    const char *name = LLVMGetValueName2(c, &len);
    return !(len > 5 && !memcmp(name, "llvm.", 5)) && !dag_may_remake(c);
  }
  return 1; /* indirect */
}

void wp_sites_apart(const struct wp_site *s, uint32_t n, int prelink, unsigned char *apart) {
  memset(apart, WP_APART_ASM, n);
  if (prelink || !n)
    return;
  LLVMValueRef F = LLVMGetBasicBlockParent(LLVMGetInstructionParent(s[0].call));
  struct callee_key *key = NULL;
  uint32_t m = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (keeps_its_call(s[i].call)) {
      enum tail_slot slot = tail_slot(F, s[i].call);
      /* (a kept tail call has no frame to name: left as it is) */
      apart[i] = slot == TAIL_COVERED || (slot == TAIL_FIXED && LLVMIsACallInst(s[i].call))
                     ? WP_APART_NONE
                     : WP_APART_NOMERGE;
      continue;
    }
    LLVMValueRef c = direct_callee(s[i].call);
    if (!c)
      continue;
    if (!key && !(key = malloc(sizeof *key * n)))
      return; /* out of memory: every other site keeps its separator */
    key[m++] = (struct callee_key){(uintptr_t)c, i, tail_slot(F, s[i].call)};
  }
  /* by callee, then in site order: the choice below is the same in every
   * compile (reproducible objects) */
  if (m)
    qsort(key, m, sizeof *key, callee_cmp);
  for (uint32_t i = 0, j; i < m; i = j) {
    int fixed = 0;
    for (j = i; j < m && key[j].callee == key[i].callee; j++)
      fixed |= key[j].slot == TAIL_FIXED;
    if (fixed)
      continue;
    for (uint32_t k = i; k < j; k++)
      if (key[k].slot == TAIL_OPEN) {
        apart[key[k].site] = WP_APART_NONE;
        break;
      }
  }
  free(key);
}

/* The register constraint an asm hands a value of type t in (F's
 * registers), or NULL: "r" for an integer of up to 64 bits, an i128's low
 * half and a half's 16 bits (no constraint takes a half without
 * AVX512-FP16); "x" / "w" for float, double and fp128 (__multf3, __lttf2:
 * the same vector registers; AArch64's long double is fp128).  NULL for
 * vectors (a register of their width may not exist), x87's long double,
 * and floating point in a function without floating-point registers
 * (-mno-sse, -mgeneral-regs-only). */
static const char *reg_for(LLVMValueRef F, LLVMTypeRef t) {
  LLVMTypeKind k = LLVMGetTypeKind(t);
  if (k == LLVMIntegerTypeKind)
    return LLVMGetIntTypeWidth(t) <= 64 || LLVMGetIntTypeWidth(t) == 128 ? "r" : NULL;
  if (k == LLVMHalfTypeKind || k == LLVMBFloatTypeKind)
    return "r";
  if (k != LLVMFloatTypeKind && k != LLVMDoubleTypeKind && k != LLVMFP128TypeKind)
    return NULL;
  if (string_attr_is(F, "use-soft-float", "true"))
    return NULL;
  switch (wp_module_arch(LLVMGetGlobalParent(F))) {
  case WP_ARCH_X86_64:
    return wp_fn_feature(F, "-sse") || wp_fn_feature(F, "-sse2") ? NULL : "x";
  case WP_ARCH_AARCH64:
    return wp_fn_feature(F, "-fp-armv8") || wp_fn_feature(F, "-neon") ? NULL : "w";
  default:
    return NULL;
  }
}

/* I may become a library call of its own: an intrinsic or an instruction
 * that is no call (a real call is on the chain, memcpy and friends too). */
static int lowered_call(LLVMValueRef I) {
  LLVMOpcode op = LLVMGetInstructionOpcode(I);
  if (op == LLVMCall) {
    LLVMValueRef callee = LLVMGetCalledValue(I);
    return callee && LLVMIsAFunction(callee) && LLVMGetIntrinsicID(callee);
  }
  return op != LLVMInvoke && op != LLVMCallBr && op != LLVMRet && op != LLVMResume;
}

/* An operation that code generation turns into a library call of a
 * function that touches no memory (floor without SSE4.1, pow, fmod from
 * frem) is chained to nothing: the scheduler may put that call before the
 * label, whose memory clobber orders it only against memory operations,
 * and the call then reads the label of the call before it.  Its first
 * operand, when a float or a double (a register the asm can hand on: "x"
 * on x86-64, "w" on AArch64) or the low half of an i128 ("r"), goes
 * through the label asm, so that the call must follow it (slots.c does the
 * same after a frame slot's store).  So does an fp128 or half operand
 * (__multf3, __extendhfsf2) and an integer that becomes one (__floatditf).
 * The constraint code (reg_for), or NULL. */
const char *wp_through_label(LLVMValueRef I) {
  if (!lowered_call(I) || LLVMGetNumOperands(I) < 1 ||
      (LLVMGetInstructionOpcode(I) == LLVMCall && LLVMGetNumArgOperands(I) < 1))
    return NULL;
  LLVMValueRef F = LLVMGetBasicBlockParent(LLVMGetInstructionParent(I));
  return reg_for(F, LLVMTypeOf(LLVMGetOperand(I, 0)));
}

LLVMValueRef wp_empty_asm(LLVMBuilderRef B, LLVMValueRef x, const char *reg, int side_effects) {
  LLVMTypeRef t = LLVMTypeOf(x);
  LLVMTypeRef fty = LLVMFunctionType(t, &t, 1, 0);
  char cons[24];
  snprintf(cons, sizeof cons, "=%s,0,~{memory}", reg);
  LLVMValueRef as = LLVMGetInlineAsm(fty, (char *)"", 0, cons, strlen(cons), side_effects,
                                     /*IsAlignStack=*/0, LLVMInlineAsmDialectATT, /*CanThrow=*/0);
  LLVMValueRef out = LLVMBuildCall2(B, fty, as, &x, 1, "");
  unsigned nounwind = LLVMGetEnumAttributeKindForName("nounwind", 8);
  LLVMAddCallSiteAttribute(out, LLVMAttributeFunctionIndex,
                           LLVMCreateEnumAttribute(LLVMGetTypeContext(t), nounwind, 0));
  return out;
}

/* x as the asm takes it: itself, an i128's low half, a half's bits. */
static LLVMValueRef to_reg(LLVMBuilderRef B, LLVMValueRef x) {
  LLVMTypeRef t = LLVMTypeOf(x);
  LLVMContextRef C = LLVMGetTypeContext(t);
  if (LLVMGetTypeKind(t) == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(t) == 128)
    return LLVMBuildTrunc(B, x, LLVMInt64TypeInContext(C), "");
  if (LLVMGetTypeKind(t) == LLVMHalfTypeKind || LLVMGetTypeKind(t) == LLVMBFloatTypeKind)
    return LLVMBuildBitCast(B, x, LLVMInt16TypeInContext(C), "");
  return x;
}

/* x made of what the asm handed back (out): for an i128, its high half and
 * out as the low one (the same two registers, no instruction). */
static LLVMValueRef from_reg(LLVMBuilderRef B, LLVMValueRef x, LLVMValueRef out) {
  LLVMTypeRef t = LLVMTypeOf(x);
  if (LLVMTypeOf(out) == t)
    return out;
  if (LLVMGetTypeKind(t) != LLVMIntegerTypeKind)
    return LLVMBuildBitCast(B, out, t, ""); /* a half's bits */
  const uint64_t high[2] = {0, ~(uint64_t)0};
  LLVMValueRef hi = LLVMBuildAnd(B, x, LLVMConstIntOfArbitraryPrecision(t, 2, high), "");
  return LLVMBuildOr(B, hi, LLVMBuildZExt(B, out, t, ""), "");
}

LLVMValueRef wp_through_in(LLVMBuilderRef B, LLVMValueRef I) {
  return to_reg(B, LLVMGetOperand(I, 0));
}

void wp_through_out(LLVMBuilderRef B, LLVMValueRef I, LLVMValueRef out) {
  LLVMSetOperand(I, 0, from_reg(B, LLVMGetOperand(I, 0), out));
}

/* x lies after from and before to, in one block. */
static int is_between(LLVMValueRef from, LLVMValueRef x, LLVMValueRef to) {
  for (LLVMValueRef i = LLVMGetNextInstruction(from); i && i != to; i = LLVMGetNextInstruction(i))
    if (i == x)
      return 1;
  return 0;
}

/* The other side: a library call whose value is used only after the next
 * labelled call could be put after that call's label.  Its value goes
 * through an empty asm that clobbers memory, ordered before the next label
 * and the next slot store (so the call comes before them).  Only where its
 * first operand went through the label (wp_through_label): the call is
 * then ordered on both sides. */
void wp_through_after(LLVMBuilderRef B, LLVMValueRef I) {
  LLVMValueRef F = LLVMGetBasicBlockParent(LLVMGetInstructionParent(I));
  LLVMTypeRef t = LLVMTypeOf(I);
  const char *reg = reg_for(F, t);
  LLVMValueRef next = LLVMGetNextInstruction(I);
  if (!reg || !next)
    return;
  LLVMPositionBuilderBefore(B, next);
  /* No location: no line-table row of its own after the call's. */
  LLVMMetadataRef loc = LLVMGetCurrentDebugLocation2(B);
  LLVMSetCurrentDebugLocation2(B, NULL);
  LLVMValueRef out = wp_empty_asm(B, to_reg(B, I), reg, /*side_effects=*/0);
  LLVMValueRef v = from_reg(B, I, out);
  LLVMSetCurrentDebugLocation2(B, loc);
  /* Every use of I but those just built becomes v, and so do the
   * variables it is the location of: I's register dies at the asm, and a
   * debugger would find the variable nowhere (or read another value). */
  whence_move_dbg_uses(I, v);
  LLVMUseRef u = LLVMGetFirstUse(I);
  while (u) {
    LLVMValueRef user = LLVMGetUser(u);
    u = LLVMGetNextUse(u);
    if (is_between(I, user, next))
      continue; /* in, out and v themselves */
    for (int i = 0, n = LLVMGetNumOperands(user); i < n; i++)
      if (LLVMGetOperand(user, i) == I)
        LLVMSetOperand(user, i, v);
  }
}

/* An operation on two halves (fmul half without F16C) becomes a library
 * call for each operand (__extendhfsf2), and only the first one's goes
 * through the label asm: the others go through an empty asm of their own,
 * which clobbers memory and so is ordered after the label (or the slot's
 * store). */
void wp_through_rest(LLVMBuilderRef B, LLVMValueRef I) {
  LLVMOpcode op = LLVMGetInstructionOpcode(I);
  if (op == LLVMCall || op == LLVMInvoke || op == LLVMCallBr)
    return; /* (intrinsics on halves take one operand but fma's three) */
  int n = LLVMGetNumOperands(I);
  for (int i = 1; i < n; i++) {
    LLVMValueRef x = LLVMGetOperand(I, i);
    LLVMTypeRef t = LLVMTypeOf(x);
    LLVMTypeKind k = LLVMGetTypeKind(t);
    if ((k != LLVMHalfTypeKind && k != LLVMBFloatTypeKind) || LLVMIsAConstant(x))
      continue;
    LLVMValueRef out = wp_empty_asm(B, to_reg(B, x), "r", /*side_effects=*/1);
    LLVMSetOperand(I, i, from_reg(B, x, out));
  }
}

/* A value of the call's block that a conditional move computes: a select,
 * or min, max or abs, or what is made of one in a few steps.  X86's cmov
 * conversion makes such a cmov a branch after scheduling, and the
 * scheduler is free to put the label asm before the cmov: the label then
 * lies before the branch, block placement may put another call's block
 * between them, and the call reads that call's line (zstd's
 * ZSTD_compressLiterals: an indirect call through a select of a loaded
 * function address; lit/tools/whence-link-label-branch.ll). */
static int from_cmov(LLVMValueRef v, LLVMBasicBlockRef bb, int depth) {
  if (!LLVMIsAInstruction(v) || LLVMGetInstructionParent(v) != bb)
    return 0;
  LLVMOpcode op = LLVMGetInstructionOpcode(v);
  if (op == LLVMSelect)
    return 1;
  if (op == LLVMCall) {
    LLVMValueRef callee = LLVMGetCalledValue(v);
    if (!callee || !LLVMIsAFunction(callee) || !LLVMGetIntrinsicID(callee))
      return 0; /* a call's result comes after its own label */
    size_t len;
    const char *name = LLVMGetValueName2(callee, &len);
    return has_prefix(name, len, "llvm.smax.") || has_prefix(name, len, "llvm.smin.") ||
           has_prefix(name, len, "llvm.umax.") || has_prefix(name, len, "llvm.umin.") ||
           has_prefix(name, len, "llvm.abs.");
  }
  if (depth == 0 || op == LLVMPHI)
    return 0;
  for (int i = 0, n = LLVMGetNumOperands(v); i < n; i++)
    if (from_cmov(LLVMGetOperand(v, i), bb, depth - 1))
      return 1;
  return 0;
}

/* The callee of an indirect call I when from_cmov finds it, or NULL:
 * the label asm takes it as an input, so that it follows its cmov (and
 * with it any branch made of one); it is in a register for the call
 * anyway.  Only the callee: an argument held by the asm changes where the
 * register allocator keeps it, and a stale copy of a heap pointer kept a
 * finalizer's object alive past Go's phase (lit/gc/liveness-go-stackobj3.c,
 * an argument that is a select at -O2); a label before a cmov that feeds
 * an argument has not been seen. */
static LLVMValueRef cmov_callee(LLVMValueRef I) {
  LLVMOpcode op = LLVMGetInstructionOpcode(I);
  if ((op != LLVMCall && op != LLVMInvoke) || lowered_call(I))
    return NULL;
  LLVMValueRef callee = LLVMGetCalledValue(I);
  if (!callee || LLVMIsAFunction(callee) ||
      LLVMGetTypeKind(LLVMTypeOf(callee)) != LLVMPointerTypeKind ||
      !from_cmov(callee, LLVMGetInstructionParent(I), 3))
    return NULL;
  return callee;
}

/* Is v made, within depth steps, of the call I or of a load or call that
 * follows I in its block (seen: those, in order)?  Then what v feeds cannot
 * be scheduled before I. */
static int after_call(LLVMValueRef v, LLVMValueRef I, LLVMValueRef *seen, int nseen, int depth) {
  if (!LLVMIsAInstruction(v) || LLVMGetInstructionParent(v) != LLVMGetInstructionParent(I))
    return 0;
  if (v == I)
    return 1;
  for (int k = 0; k < nseen; k++)
    if (seen[k] == v)
      return 1;
  if (depth == 0 || LLVMGetInstructionOpcode(v) == LLVMPHI)
    return 0;
  for (int i = 0, n = LLVMGetNumOperands(v); i < n; i++)
    if (after_call(LLVMGetOperand(v, i), I, seen, nseen, depth - 1))
      return 1;
  return 0;
}

/* The other side of from_cmov: a select (min, max, abs) after the labelled
 * call I in its block, made of values from before I, may be scheduled
 * between I's label and I, and X86's cmov conversion then makes it a branch
 * there: I goes to a block of its own, which block placement put before
 * the label's (a loop rotated), and the call read the line of the label
 * before it, another call's (a heap's sift loop, std::sort's
 * __adjust_heap: lit/e2e/label-cmov-after.c).  One of its inputs goes
 * through an empty asm with side effects, which is ordered after I, and
 * the cmov with it: for a select whose condition is a compare, the
 * compare's operand, in a copy of the compare next to the select (compare
 * and cmov stay fused: a pinned condition cost a setcc and a test, +0.9%
 * of Lua's instructions); else its condition (or a min/max/abs's first
 * operand).  No memory clobber: loads and stores around it stay free. */
/* v through an empty asm with side effects, built before x: an int or
 * pointer of at most 64 bits that nothing orders after the call yet. */
static int pinnable(LLVMValueRef v, LLVMValueRef I, LLVMValueRef *seen, int nseen) {
  LLVMTypeRef t = LLVMTypeOf(v);
  LLVMTypeKind k = LLVMGetTypeKind(t);
  return !LLVMIsAConstant(v) && (k == LLVMIntegerTypeKind || k == LLVMPointerTypeKind) &&
         (k != LLVMIntegerTypeKind || LLVMGetIntTypeWidth(t) <= 64) &&
         !after_call(v, I, seen, nseen, 3);
}
static LLVMValueRef pinned(LLVMBuilderRef B, LLVMValueRef x, LLVMValueRef v) {
  LLVMTypeRef t = LLVMTypeOf(v);
  LLVMContextRef C = LLVMGetTypeContext(t);
  LLVMPositionBuilderBefore(B, x);
  int bit = LLVMGetTypeKind(t) == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(t) == 1;
  LLVMValueRef in = bit ? LLVMBuildZExt(B, v, LLVMInt8TypeInContext(C), "") : v;
  LLVMTypeRef it = LLVMTypeOf(in);
  LLVMTypeRef fty = LLVMFunctionType(it, &it, 1, 0);
  LLVMValueRef as = LLVMGetInlineAsm(fty, (char *)"", 0, (char *)"=r,0", 4, /*side effects*/ 1,
                                     /*IsAlignStack=*/0, LLVMInlineAsmDialectATT, /*CanThrow=*/0);
  LLVMValueRef out = LLVMBuildCall2(B, fty, as, &in, 1, "");
  unsigned nounwind = LLVMGetEnumAttributeKindForName("nounwind", 8);
  LLVMAddCallSiteAttribute(out, LLVMAttributeFunctionIndex,
                           LLVMCreateEnumAttribute(C, nounwind, 0));
  return bit ? LLVMBuildTrunc(B, out, t, "") : out;
}

static void pin_later_cmovs(LLVMBuilderRef B, LLVMValueRef I) {
  LLVMValueRef seen[64];
  int nseen = 0;
  for (LLVMValueRef x = LLVMGetNextInstruction(I); x; x = LLVMGetNextInstruction(x)) {
    LLVMOpcode op = LLVMGetInstructionOpcode(x);
    int pin = -1;
    if (op == LLVMCall || op == LLVMInvoke) {
      LLVMValueRef callee = LLVMGetCalledValue(x);
      if (!callee || !LLVMIsAFunction(callee) || !LLVMGetIntrinsicID(callee))
        return; /* the next call: what follows is its label's */
      if (from_cmov(x, LLVMGetInstructionParent(x), 0))
        pin = 0; /* min, max, abs */
    } else if (op == LLVMSelect) {
      pin = 0;
    }
    if (op == LLVMLoad || op == LLVMCall) {
      if (nseen == (int)(sizeof seen / sizeof *seen))
        return;
      seen[nseen++] = x;
    }
    if (pin < 0)
      continue;
    LLVMValueRef v = LLVMGetOperand(x, pin);
    if (!pinnable(v, I, seen, nseen))
      continue;
    LLVMMetadataRef loc = LLVMGetCurrentDebugLocation2(B);
    LLVMSetCurrentDebugLocation2(B, NULL);
    LLVMValueRef c0;
    if (op == LLVMSelect && LLVMIsAICmpInst(v) &&
        pinnable(c0 = LLVMGetOperand(v, 0), I, seen, nseen)) {
      /* A compare's operand, in a copy of the compare next to the
       * select: the compare and the cmov stay fused (a pinned condition
       * costs a setcc and a test). */
      LLVMValueRef p = pinned(B, x, c0);
      LLVMSetOperand(x, 0, LLVMBuildICmp(B, LLVMGetICmpPredicate(v), p,
                                         LLVMGetOperand(v, 1), ""));
    } else {
      LLVMSetOperand(x, pin, pinned(B, x, v));
    }
    LLVMSetCurrentDebugLocation2(B, loc);
  }
}

/* Optimized functions: the label asm has no side effects but clobbers
 * memory.  That keeps it in place between the calls around it (every pass
 * orders it against them as a memory access, and nothing deletes it), but
 * it is no "unmodeled side effect" for the machine passes: LiveRangeShrink
 * rebuilds its instruction order after every such instruction, which made
 * compile time quadratic in the calls of a block (10,000 calls: 23 s instead
 * of 1.5).  Where no inlining can follow (tie_to_function: not a module
 * compiled for LTO, whose functions may yet be inlined elsewhere) its
 * record is tied (SHF_LINK_ORDER) to the function's own symbol, an operand
 * rather than a name in the text so that renaming follows it: one record
 * section per function instead of one per call.  Otherwise, and in -O0
 * (optnone) functions, to its own label.  -O0 functions keep the form
 * FastISel selects itself (no operands, side effects): anything else would
 * send the asm through SelectionDAG and change the -O0 code around it. */
/* The assembler reads F's symbol, as the printer writes it, as a section's
 * linked-to symbol: a name of letters, digits, '_' and '.' only.  Other
 * names are printed quoted or in parentheses (Swift's `$s4main3fooyyF`, a
 * C asm label), which .pushsection does not take: the record is tied to
 * its label then. */
static int plain_symbol(LLVMValueRef F) {
  size_t len = 0;
  const char *n = LLVMGetValueName2(F, &len);
  if (!n || !len || (n[0] >= '0' && n[0] <= '9'))
    return 0;
  for (size_t i = 0; i < len; i++) {
    char c = n[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '_' || c == '.'))
      return 0;
  }
  return 1;
}

void wp_insert_site(LLVMBuilderRef B, LLVMValueRef F, const struct wp_site *s, uint32_t n,
                    int tie_to_function, int apart, LLVMValueRef unfold, uint32_t subprog,
                    const struct wp_locref *lr) {
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(F));
  unsigned optnone = LLVMGetEnumAttributeKindForName("optnone", 7);
  int fast = LLVMGetEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex, optnone) != NULL;
  int tied = tie_to_function && !fast && plain_symbol(F);
  /* A unique local label (${:uid}, expanded per emitted copy, so inlining,
   * unrolling and tail duplication are fine), a record pc-relative to it in
   * a link-order section ("o"), in the group of the function's own section
   * ("?": a comdat function's records go with its group).
   * unfold (the caller passes it for one site per function): a relocation
   * without effect (R_*_NONE)
   * from the function's code to the module table, at an offset of its own
   * subprog.  Identical code folding (lld and gold --icf) merges functions
   * whose bytes and relocations are equal and drops the records of the one
   * folded away, whose calls would then read the other's lines.  With it,
   * two functions fold only when they are one subprog of one table: one
   * source function.  An operand, so that ThinLTO's renaming follows it
   * (at -O0, whose asm has no operands, its name); inlined elsewhere, it
   * only keeps that function from folding too. */
  const char *dep = fast ? NULL : wp_through_label(s->call);
  int base = dep ? 2 : 0; /* $0 the operand out, $1 it in, then the symbols */
  char reloc[160] = "";
  /* -O0: the module table (private: ".L" and its name in the assembly) is
   * named in the text, as the asm may have no operand; not before an LTO
   * link, which may rename it. */
  size_t unlen = 0;
  const char *unname = fast && unfold && tie_to_function ? LLVMGetValueName2(unfold, &unlen) : NULL;
  if (unname && unlen && unlen < 100 && !memchr(unname, '"', unlen))
    snprintf(reloc, sizeof reloc, ".reloc ., BFD_RELOC_NONE, .L%.*s+%u\n", (int)unlen, unname,
             (unsigned)subprog);
  unfold = fast ? NULL : unfold;
  if (unfold)
    snprintf(reloc, sizeof reloc, ".reloc ., BFD_RELOC_NONE, ${%d:c}+%u\n", base + (tied ? 1 : 0),
             (unsigned)subprog);
  char tie[16];
  snprintf(tie, sizeof tie, "${%d:c}", base);
  /* The site's word: its loc, or before an LTO link the loc's address
   * (lr): an operand, so that ThinLTO's renaming follows it; in an -O0
   * function (nothing is inlined into it, nor it anywhere) the table's
   * name, which is hidden and named by the module key then (lto.c). */
  char word[160];
  uint64_t off = lr ? lr->loc_off + (uint64_t)s->loc * lr->loc_size : 0;
  size_t tlen = 0;
  const char *tname = lr && fast ? LLVMGetValueName2(lr->table, &tlen) : NULL;
  if (!lr)
    snprintf(word, sizeof word, "%u", (unsigned)s->loc);
  else if (!fast)
    snprintf(word, sizeof word, "${%d:c} - .", base + (tied ? 1 : 0) + (unfold ? 1 : 0));
  else if (tname && tlen && tlen < 100 && !memchr(tname, '"', tlen))
    snprintf(word, sizeof word, "%.*s+%llu - .", (int)tlen, tname, (unsigned long long)off);
  else
    snprintf(word, sizeof word, "0"); /* (no name: no loc; the runtime passes over it) */
  char text[640];
  snprintf(text, sizeof text,
           ".Lwhence_site${:uid}:\n"
           "%s"
           ".pushsection " WHENCE_SECT_SITE ",\"ao?\",@progbits,%s\n"
           ".balign 4\n"
           ".long .Lwhence_site${:uid} - .\n"
           ".long %s\n"
           ".popsection",
           reloc, tied ? tie : ".Lwhence_site${:uid}", word);
  LLVMTypeRef ptr = LLVMPointerTypeInContext(C, 0);
  LLVMTypeRef types[5];
  LLVMValueRef args[5];
  unsigned nargs = 0;
  char cons[52] = "";
  LLVMPositionBuilderBefore(B, s->call);
  if (dep) {
    args[nargs] = wp_through_in(B, s->call);
    types[nargs++] = LLVMTypeOf(args[0]);
    snprintf(cons, sizeof cons, "=%s,0,", dep);
  }
  if (tied) {
    args[nargs] = F;
    types[nargs++] = ptr;
    strcat(cons, "s,");
  }
  if (unfold) {
    args[nargs] = unfold;
    types[nargs++] = ptr;
    strcat(cons, "s,");
  }
  if (lr && !fast) {
    LLVMTypeRef i8 = LLVMInt8TypeInContext(C);
    LLVMValueRef idx = LLVMConstInt(LLVMInt64TypeInContext(C), off, 0);
    args[nargs] = LLVMConstGEP2(i8, lr->table, &idx, 1);
    types[nargs++] = ptr;
    strcat(cons, "s,");
  }
  /* (an input the text does not name: after the symbols, whose $N it names) */
  LLVMValueRef held = fast ? NULL : cmov_callee(s->call);
  if (held) {
    args[nargs] = held;
    types[nargs++] = ptr;
    strcat(cons, "r,");
  }
  strcat(cons, "~{memory}");
  LLVMTypeRef fty = LLVMFunctionType(dep ? types[0] : LLVMVoidTypeInContext(C), types, nargs, 0);
  const char *cs = fast ? "" : cons;
  LLVMValueRef as = LLVMGetInlineAsm(fty, text, strlen(text), (char *)cs, strlen(cs),
                                     /*HasSideEffects=*/fast, /*IsAlignStack=*/0,
                                     LLVMInlineAsmDialectATT, /*CanThrow=*/0);
  /* A thread-local access that becomes a call is ordered by a block
   * boundary (tls.c; lto.c makes the callbr a branch again). */
  int tls = !fast && wp_tls_access_calls(s->call);
  LLVMValueRef call = tls ? wp_tls_fence_before(B, s->call, fty, as, args, nargs)
                          : LLVMBuildCall2(B, fty, as, args, nargs, "");
  if (dep) {
    wp_through_out(B, s->call, call);
    wp_through_rest(B, s->call);
    wp_through_after(B, s->call);
  }
  /* willreturn too: a resume code generation finds unreachable (no
   * cleanup leads to it: DwarfEHPrepare) becomes unreachable, and the
   * label before it goes with it, as what precedes an unreachable and
   * always returns does; kept, it held a dead branch to a label past the
   * function's end (a record the runtime drops, and says so). */
  static const char *const attrs[] = {"nounwind", "willreturn"};
  for (unsigned i = 0; i < 2; i++)
    LLVMAddCallSiteAttribute(
        call, LLVMAttributeFunctionIndex,
        LLVMCreateEnumAttribute(C, LLVMGetEnumAttributeKindForName(attrs[i], strlen(attrs[i])), 0));
  if (lr)
    wp_lto_nomerge(s->call);
  /* A !srcloc of its own, as clang gives every inline asm: SelectionDAG
   * looks each asm's srcloc up in its node set, and all asms without one
   * share one entry whose lookups got slower with every asm of the block
   * (quadratic again).  n is the site's index in the module. */
  LLVMMetadataRef v = LLVMValueAsMetadata(LLVMConstInt(LLVMInt64TypeInContext(C), n, 0));
  LLVMSetMetadata(call, LLVMGetMDKindIDInContext(C, "srcloc", 6),
                  LLVMMetadataAsValue(C, LLVMMDNodeInContext2(C, &v, 1)));
  /* Line 0 in the function's own scope: a copy of the call's location would
   * make the record's data consume the call's line-table row. */
  LLVMMetadataRef sp = LLVMGetSubprogram(F);
  if (sp)
    LLVMInstructionSetDebugLoc(call, LLVMDIBuilderCreateDebugLocation(C, 0, 0, sp, NULL));
  if (!fast && wp_module_arch(LLVMGetGlobalParent(F)) == WP_ARCH_X86_64)
    pin_later_cmovs(B, s->call);
  if (tls) /* (that asm also keeps branch folding away) */
    wp_tls_fence_after(B, s->call);
  else if (fast) /* -O0 code is not tail-merged */
    ;
  else if (apart == WP_APART_NOMERGE)
    keep_call_apart(s->call);
  else if (apart == WP_APART_ASM)
    keep_tail_apart(B, F, s->call);
}
