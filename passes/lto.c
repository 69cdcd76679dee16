/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * lto.c - instrumenting once, after the link, when the pass runs at the
 * link too.
 *
 * Under -flto the pass runs in the pre-link compile (it cannot know whether
 * the linker will load it as well) and instruments the module there: a
 * program linked without the plugin still gets records.  But LTO then
 * inlines across modules and deletes calls after the labels were placed,
 * so a pre-link instrumentation cannot describe the final code exactly.
 * When the linker loads the pass too (lld -Wl,--load-pass-plugin=...), the
 * LTO backend takes the pre-link instrumentation out again, before its
 * optimizations run (PipelineEarlySimplification in a ThinLTO backend,
 * FullLinkTimeOptimizationEarly for full LTO) or, should that extension
 * point not have run, right before instrumenting, and instruments the
 * final code once, like a non-LTO compile.
 *
 * The module flag WHENCE_DONE_FLAG says which: WHENCE_DONE_FINAL (leave
 * alone), WHENCE_DONE_PRELINK (instrumented before an LTO link: may be
 * taken out), WHENCE_DONE_NONE (taken out: instrument again).  Everything
 * the pre-link pass inserted into a function body carries !whence.inserted
 * (tagged from a snapshot of the body, so no part of the pass needs to know
 * about it); records and tables are found by their sections and names.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WP_TAG "whence.inserted"

/* ---- the done flag --------------------------------------------------------- */

uint64_t wp_done_state(LLVMModuleRef M) {
  LLVMMetadataRef md = LLVMGetModuleFlag(M, WHENCE_DONE_FLAG, sizeof(WHENCE_DONE_FLAG) - 1);
  if (!md)
    return WHENCE_DONE_NONE;
  /* ConstantAsMetadata: through an MDNode operand it reads back as the
   * constant (as the code model flag in pass.c). */
  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMValueRef node = LLVMMetadataAsValue(C, LLVMMDNodeInContext2(C, &md, 1));
  LLVMValueRef v = NULL;
  LLVMGetMDNodeOperands(node, &v);
  return v && LLVMIsAConstantInt(v) ? LLVMConstIntGetZExtValue(v) : WHENCE_DONE_FINAL;
}

void wp_set_done_state(LLVMModuleRef M, uint64_t state) {
  whence_set_module_flag(M, WHENCE_DONE_FLAG, (uint32_t)state);
}

/* ---- tagging what the pre-link pass inserts ----------------------------- */

struct wp_lto_snap {
  struct wp_map seen; /* every instruction of the functions, before */
  LLVMValueRef *fns;
  uint32_t nfns;
};

struct wp_lto_snap *wp_lto_snapshot(LLVMValueRef *fns, uint32_t nfns) {
  struct wp_lto_snap *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->fns = fns;
  s->nfns = nfns;
  for (uint32_t i = 0; i < nfns; i++)
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fns[i]); bb; bb = LLVMGetNextBasicBlock(bb))
      for (LLVMValueRef I = LLVMGetFirstInstruction(bb); I; I = LLVMGetNextInstruction(I))
        if (wp_map_put(&s->seen, (uintptr_t)I, 1)) {
          wp_lto_snapshot_free(s);
          return NULL;
        }
  return s;
}

void wp_lto_tag_inserted(struct wp_lto_snap *s) {
  if (!s->nfns)
    return;
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(s->fns[0]));
  unsigned kind = LLVMGetMDKindIDInContext(C, WP_TAG, sizeof(WP_TAG) - 1);
  LLVMValueRef tag = LLVMMetadataAsValue(C, LLVMMDNodeInContext2(C, NULL, 0));
  for (uint32_t i = 0; i < s->nfns; i++)
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(s->fns[i]); bb; bb = LLVMGetNextBasicBlock(bb))
      for (LLVMValueRef I = LLVMGetFirstInstruction(bb); I; I = LLVMGetNextInstruction(I))
        if (wp_map_get(&s->seen, (uintptr_t)I) == UINT32_MAX)
          LLVMSetMetadata(I, kind, tag);
}

/* A call of a module instrumented before an LTO link keeps its label: the
 * LTO link's optimizations would otherwise merge calls of one callee from
 * several branches (SimplifyCFG's sinking, branch folding's tail merge:
 * the separator after a call is deleted after a noreturn one), leaving
 * one call after whichever label came last (Lua 5.4: 10 calls named
 * another call's line).  nomerge, marked !whence.nomerge so that an LTO
 * backend that instruments again takes it off (not a nomerge the program
 * put there itself); the instrumentation for good that follows gives the
 * last labelled call of each block a nomerge of its own, unmarked
 * (instrument.c, wp_sites_apart), which nothing takes off. */
#define WP_NOMERGE "whence.nomerge"
void wp_lto_nomerge(LLVMValueRef call) {
  /* (a site that code generation makes a call, a thread-local access or
   * an fp128 operation, is no call yet) */
  if (!LLVMIsACallInst(call) && !LLVMIsAInvokeInst(call))
    return;
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(call));
  unsigned nm = LLVMGetEnumAttributeKindForName("nomerge", 7);
  if (!nm || LLVMGetCallSiteEnumAttribute(call, LLVMAttributeFunctionIndex, nm))
    return;
  LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(C, nm, 0));
  LLVMSetMetadata(call, LLVMGetMDKindIDInContext(C, WP_NOMERGE, sizeof(WP_NOMERGE) - 1),
                  LLVMMetadataAsValue(C, LLVMMDNodeInContext2(C, NULL, 0)));
}

/* A noinline the pass gave a function (liveness_strict.c: the clearing
 * asm must not be inlined after it) is marked so that a backend that
 * instruments again takes it off (not one the program put there). */
#define WP_NOINLINE "whence.noinline"
void wp_lto_noinline(LLVMValueRef F) {
  LLVMContextRef C = LLVMGetModuleContext(LLVMGetGlobalParent(F));
  unsigned ni = LLVMGetEnumAttributeKindForName("noinline", 8);
  if (LLVMGetEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex, ni))
    return;
  LLVMAddAttributeAtIndex(F, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(C, ni, 0));
  LLVMAddAttributeAtIndex(F, LLVMAttributeFunctionIndex,
                          LLVMCreateStringAttribute(C, WP_NOINLINE, sizeof(WP_NOINLINE) - 1, "", 0));
}

static void strip_noinline(LLVMValueRef F) {
  if (!LLVMGetStringAttributeAtIndex(F, LLVMAttributeFunctionIndex, WP_NOINLINE,
                                     sizeof(WP_NOINLINE) - 1))
    return;
  LLVMRemoveStringAttributeAtIndex(F, LLVMAttributeFunctionIndex, WP_NOINLINE,
                                   sizeof(WP_NOINLINE) - 1);
  LLVMRemoveEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex,
                                 LLVMGetEnumAttributeKindForName("noinline", 8));
}

static void strip_nomerge(LLVMValueRef I, unsigned kind) {
  if (!LLVMGetMetadata(I, kind) || (!LLVMIsACallInst(I) && !LLVMIsAInvokeInst(I)))
    return;
  unsigned nm = LLVMGetEnumAttributeKindForName("nomerge", 7);
  LLVMRemoveCallSiteEnumAttribute(I, LLVMAttributeFunctionIndex, nm);
  LLVMSetMetadata(I, kind, NULL);
}

void wp_lto_snapshot_free(struct wp_lto_snap *s) {
  if (!s)
    return;
  wp_map_free(&s->seen);
  free(s);
}

/* ---- ThinLTO importing ----------------------------------------------------
 * A ThinLTO summary marks every function holding inline asm (our labels)
 * not eligible for import when the module has a local in llvm.used (the
 * asm might name it): a private table or end marker would keep the thin
 * link from inlining any instrumented function across modules.  Before an
 * LTO link they are hidden weak_odr instead, named by the module key (two
 * modules with one key have identical tables). */
void wp_lto_unlocalize(LLVMValueRef G, uint64_t key) {
  size_t len = 0;
  const char *name = LLVMGetValueName2(G, &len);
  char buf[128];
  if (!name || len > 64)
    return;
  snprintf(buf, sizeof buf, "%.*s.%010llx", (int)len, name, (unsigned long long)key);
  LLVMSetValueName2(G, buf, strlen(buf));
  LLVMSetLinkage(G, LLVMWeakODRLinkage);
  LLVMSetVisibility(G, LLVMHiddenVisibility);
}

/* ---- taking it out again ------------------------------------------------- */

/* md (a !pcsections node) without our sections' entries: the node itself
 * when it has none, NULL when only ours were there. */
static LLVMMetadataRef without_ours(LLVMContextRef C, LLVMMetadataRef md, int *changed) {
  unsigned n = whence_md_operands(md, NULL, 0);
  LLVMMetadataRef *ops = malloc(sizeof *ops * (n ? n : 1));
  if (!ops)
    return md; /* out of memory: keep it (the runtime drops stale records) */
  whence_md_operands(md, ops, n);
  unsigned k = 0;
  *changed = 0;
  /* A section name, then its aux nodes (anything that is not a string). */
  for (unsigned i = 0; i < n;) {
    unsigned len = 0;
    const char *s = ops[i] ? LLVMGetMDString(LLVMMetadataAsValue(C, ops[i]), &len) : NULL;
    unsigned j = i + 1;
    while (j < n && !(ops[j] && LLVMGetMDString(LLVMMetadataAsValue(C, ops[j]), &(unsigned){0})))
      j++;
    int ours = s && ((len == sizeof(WHENCE_SECT_FN) - 1 && !memcmp(s, WHENCE_SECT_FN, len)) ||
                     (len == sizeof(WHENCE_SECT_LINE) - 1 && !memcmp(s, WHENCE_SECT_LINE, len)));
    if (ours)
      *changed = 1;
    else
      while (i < j)
        ops[k++] = ops[i++];
    i = j;
  }
  LLVMMetadataRef out = !*changed ? md : k ? LLVMMDNodeInContext2(C, ops, k) : NULL;
  free(ops);
  return out;
}

static void strip_function_record(LLVMValueRef F, unsigned kind) {
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(F));
  size_t n = 0;
  LLVMValueMetadataEntry *ents = LLVMGlobalCopyAllMetadata(F, &n);
  for (size_t i = 0; i < n; i++) {
    if (LLVMValueMetadataEntriesGetKind(ents, (unsigned)i) != kind)
      continue;
    int changed = 0;
    LLVMMetadataRef keep =
        without_ours(C, LLVMValueMetadataEntriesGetMetadata(ents, (unsigned)i), &changed);
    if (changed && keep)
      LLVMGlobalSetMetadata(F, kind, keep);
    else if (changed)
      LLVMGlobalEraseMetadata(F, kind);
  }
  if (ents)
    LLVMDisposeValueMetadataEntries(ents);
}

static void strip_instruction_record(LLVMValueRef I, unsigned kind) {
  LLVMValueRef v = LLVMGetMetadata(I, kind);
  if (!v)
    return;
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(I));
  int changed = 0;
  LLVMMetadataRef keep = without_ours(C, LLVMValueAsMetadata(v), &changed);
  if (changed)
    LLVMSetMetadata(I, kind, keep ? LLVMMetadataAsValue(C, keep) : NULL);
}

/* The function holding nothing but a module's end marker, or a table. */
static int is_named(LLVMValueRef G, const char *prefix) {
  size_t len = 0;
  const char *name = LLVMGetValueName2(G, &len);
  size_t n = strlen(prefix);
  return name && len >= n && !memcmp(name, prefix, n);
}

static int is_ours_global(LLVMValueRef G) {
  if (LLVMIsAFunction(G))
    return (LLVMGetLinkage(G) == LLVMPrivateLinkage ||
            LLVMGetLinkage(G) == LLVMWeakODRLinkage) &&
           is_named(G, WHENCE_RESERVED_PREFIX ".fence");
  const char *sect = LLVMIsAGlobalVariable(G) ? LLVMGetSection(G) : NULL;
  return sect && (!strcmp(sect, WHENCE_SECT_MOD) ||
                  (!strcmp(sect, WHENCE_NOTE_SECT) && is_named(G, WHENCE_NOTE_GLOBAL)));
}

static int is_our_declaration(LLVMValueRef G) {
  return LLVMIsDeclaration(G) &&
         (is_named(G, WHENCE_RESERVED_PREFIX) || is_named(G, WHENCE_START("whence_")) ||
          is_named(G, WHENCE_STOP("whence_")));
}

static int is_structor(LLVMValueRef F) {
  size_t len = 0;
  const char *name = F && LLVMIsAFunction(F) ? LLVMGetValueName2(F, &len) : NULL;
  return name && ((len == sizeof(WHENCE_MODULE_CTOR) - 1 && !memcmp(name, WHENCE_MODULE_CTOR, len)) ||
                  (len == sizeof(WHENCE_MODULE_DTOR) - 1 && !memcmp(name, WHENCE_MODULE_DTOR, len)));
}

/* Array `name` without the elements drop() picks (for a structor array: by
 * its function, field 1). */
static void strip_array(LLVMModuleRef M, const char *name, int structors) {
  LLVMValueRef g = LLVMGetNamedGlobal(M, name);
  LLVMValueRef init = g ? LLVMGetInitializer(g) : NULL;
  if (!init || LLVMGetTypeKind(LLVMTypeOf(init)) != LLVMArrayTypeKind)
    return;
  uint64_t n = LLVMGetArrayLength2(LLVMTypeOf(init));
  LLVMValueRef *keep = malloc(sizeof *keep * (n ? n : 1));
  if (!keep)
    return;
  uint64_t k = 0;
  for (uint64_t i = 0; i < n; i++) {
    LLVMValueRef e = LLVMGetAggregateElement(init, (unsigned)i);
    if (!e)
      continue;
    if (structors ? !is_structor(LLVMGetAggregateElement(e, 1)) : !is_ours_global(e))
      keep[k++] = e;
  }
  if (k != n) {
    LLVMTypeRef elty = LLVMGetElementType(LLVMTypeOf(init));
    const char *sect = LLVMGetSection(g);
    char *sect_copy = sect ? strdup(sect) : NULL;
    LLVMDeleteGlobal(g);
    if (k) {
      LLVMValueRef arr = LLVMConstArray2(elty, keep, k);
      LLVMValueRef ng = LLVMAddGlobal(M, LLVMTypeOf(arr), name);
      LLVMSetInitializer(ng, arr);
      LLVMSetLinkage(ng, LLVMAppendingLinkage);
      if (sect_copy)
        LLVMSetSection(ng, sect_copy);
    }
    free(sect_copy);
  }
  free(keep);
}

/* The one value stored into slot A (a tagged alloca) by a plain store, or
 * NULL: liveness's demotion (liveness_strict.c) keeps a value live across
 * calls in a slot of its own, stored once after its definition, reloaded
 * after calls and cleared (volatile stores of null) after its last use. */
static LLVMValueRef demoted_value(LLVMValueRef A, unsigned tag) {
  if (!LLVMIsAAllocaInst(A) || !LLVMGetMetadata(A, tag))
    return NULL;
  LLVMValueRef v = NULL;
  for (LLVMUseRef u = LLVMGetFirstUse(A); u; u = LLVMGetNextUse(u)) {
    LLVMValueRef user = LLVMGetUser(u);
    if (LLVMIsALoadInst(user))
      continue;
    if (!LLVMIsAStoreInst(user) || LLVMGetOperand(user, 1) != A || !LLVMGetMetadata(user, tag))
      return NULL; /* the slot's address goes elsewhere: not a demotion */
    if (LLVMGetVolatile(user))
      continue;
    if (v)
      return NULL;
    v = LLVMGetOperand(user, 0);
  }
  return v;
}

enum whence_result whence_strip_module(LLVMModuleRef M) {
  if (wp_done_state(M) != WHENCE_DONE_PRELINK)
    return WHENCE_UNCHANGED;
  LLVMContextRef C = LLVMGetModuleContext(M);
  unsigned tag = LLVMGetMDKindIDInContext(C, WP_TAG, sizeof(WP_TAG) - 1);
  unsigned pcs = LLVMGetMDKindIDInContext(C, "pcsections", 10);
  unsigned nomerge = LLVMGetMDKindIDInContext(C, WP_NOMERGE, sizeof(WP_NOMERGE) - 1);
  /* Everything tagged goes, users before what they use: erase whatever has
   * no use left until nothing changes (an inserted value is only used by
   * inserted instructions, but for liveness's reloads, below). */
  LLVMValueRef *tagged = NULL;
  uint32_t ntag = 0, cap = 0;
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F)) {
    strip_function_record(F, pcs);
    strip_noinline(F);
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb; bb = LLVMGetNextBasicBlock(bb))
      for (LLVMValueRef I = LLVMGetFirstInstruction(bb); I; I = LLVMGetNextInstruction(I)) {
        if (!LLVMGetMetadata(I, tag)) {
          strip_instruction_record(I, pcs);
          strip_nomerge(I, nomerge);
          continue;
        }
        if (wp_grow((void **)&tagged, &cap, ntag + 1, sizeof *tagged))
          continue; /* out of memory: it stays (stale records the runtime drops) */
        tagged[ntag++] = I;
      }
  }
  /* A demoted value's reloads took its place in the function's own
   * instructions: the value goes back there (it dominates them: it was
   * there before), so that slot, store and reloads all go. */
  for (uint32_t i = 0; i < ntag; i++) {
    LLVMValueRef v = LLVMIsALoadInst(tagged[i]) ? demoted_value(LLVMGetOperand(tagged[i], 0), tag)
                                                : NULL;
    if (v)
      LLVMReplaceAllUsesWith(tagged[i], v);
  }
  /* An asm a value went through (a label that orders a library call, the
   * asms after a library call or a thread-local address) hands back its
   * first operand; a callbr that ends a block before a thread-local access
   * becomes the branch it was. */
  LLVMBuilderRef B = LLVMCreateBuilderInContext(C);
  for (uint32_t i = 0; i < ntag; i++) {
    LLVMValueRef I = tagged[i];
    LLVMOpcode op = LLVMGetInstructionOpcode(I);
    LLVMValueRef callee = op == LLVMCall || op == LLVMCallBr ? LLVMGetCalledValue(I) : NULL;
    if (!callee || !LLVMIsAInlineAsm(callee))
      continue;
    if (op == LLVMCallBr) {
      LLVMPositionBuilderBefore(B, I);
      LLVMBuildBr(B, LLVMGetCallBrDefaultDest(I));
    } else if (LLVMGetNumArgOperands(I) >= 1 &&
               LLVMTypeOf(LLVMGetOperand(I, 0)) == LLVMTypeOf(I)) {
      LLVMReplaceAllUsesWith(I, LLVMGetOperand(I, 0));
    }
  }
  LLVMDisposeBuilder(B);
  /* (a half went through as its bits: the two casts cancel) */
  for (uint32_t i = 0; i < ntag; i++) {
    LLVMValueRef I = tagged[i], J = LLVMIsABitCastInst(I) ? LLVMGetOperand(I, 0) : NULL;
    if (J && LLVMIsABitCastInst(J) && LLVMGetMetadata(J, tag) &&
        LLVMTypeOf(LLVMGetOperand(J, 0)) == LLVMTypeOf(I))
      LLVMReplaceAllUsesWith(I, LLVMGetOperand(J, 0));
  }
  for (int progress = 1; progress;) {
    progress = 0;
    for (uint32_t i = 0; i < ntag; i++)
      if (tagged[i] && !LLVMGetFirstUse(tagged[i])) {
        LLVMInstructionEraseFromParent(tagged[i]);
        tagged[i] = NULL;
        progress = 1;
      }
  }
  free(tagged);
  /* The constructors too: a ThinLTO backend may hold only a declaration of
   * the one another module's copy provides; the instrumentation makes its
   * own again. */
  strip_array(M, "llvm.used", 0);
  /* (the note's initializer refers to the note itself: it would never be
   * dead) */
  LLVMValueRef note = LLVMGetNamedGlobal(M, WHENCE_NOTE_GLOBAL);
  if (note && !LLVMIsDeclaration(note))
    LLVMSetInitializer(note, LLVMConstNull(LLVMGlobalGetValueType(note)));
  wp_unreserve_table(M);
  strip_array(M, "llvm.global_ctors", 1);
  strip_array(M, "llvm.global_dtors", 1);
  /* Then what only they referred to: section bounds, hooks, the slot head
   * (functions first: the constructors use the bounds and the hooks; the
   * note, a global, uses the constructor: three rounds). */
  for (int round = 0; round < 3; round++) {
    for (LLVMValueRef F = LLVMGetFirstFunction(M); F;) {
      LLVMValueRef next = LLVMGetNextFunction(F);
      if (is_ours_global(F) || is_structor(F) || is_our_declaration(F))
        whence_erase_if_dead(F);
      F = next;
    }
    for (LLVMValueRef G = LLVMGetFirstGlobal(M); G;) {
      LLVMValueRef next = LLVMGetNextGlobal(G);
      if (is_ours_global(G) || is_our_declaration(G))
        whence_erase_if_dead(G);
      G = next;
    }
  }
  wp_set_done_state(M, WHENCE_DONE_NONE);
  return WHENCE_CHANGED;
}
