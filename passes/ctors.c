/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * ctors.c - the module constructor/destructor pair that registers an image's
 * records with the runtime, and the appending arrays that hold them
 * (llvm.global_ctors, llvm.global_dtors, llvm.used).  The LLVM-C API cannot
 * append to those arrays, so they are rebuilt: existing entries first, ours
 * last.
 *
 * The constructor is linkonce_odr hidden in a comdat keyed on its own name
 * (like SanitizerCoverage's sancov.module_ctor_*): every instrumented object
 * carries one, the linker keeps one per image, and it hands the image's
 * hidden __start_/__stop_ bounds of all the sections to the runtime (with
 * the post-link table's room to a runtime that has the hook for it).  The
 * hooks are extern_weak so objects link and run without libwhence.
 */
#include "internal.h"

#include <llvm-c/Comdat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static LLVMValueRef named_value(LLVMModuleRef M, const char *name) {
  size_t len = strlen(name);
  LLVMValueRef v = LLVMGetNamedFunction(M, name);
  if (!v)
    v = LLVMGetNamedGlobal(M, name);
  if (!v)
    v = LLVMGetNamedGlobalAlias(M, name, len);
  if (!v)
    v = LLVMGetNamedGlobalIFunc(M, name, len);
  return v;
}

/* ---- checks before anything is changed -------------------------------------- */

static int check_array(LLVMModuleRef M, const char *name, int structors,
                       char *why, size_t whylen) {
  LLVMValueRef g = named_value(M, name);
  if (!g)
    return 0;
  LLVMTypeRef ty = LLVMIsAGlobalVariable(g) ? LLVMGlobalGetValueType(g) : NULL;
  if (!ty || LLVMGetTypeKind(ty) != LLVMArrayTypeKind || !LLVMGetInitializer(g) ||
      LLVMGetFirstUse(g)) {
    snprintf(why, whylen, "%s has an unexpected form", name);
    return -1;
  }
  LLVMTypeRef el = LLVMGetElementType(ty);
  if (structors) {
    unsigned nf = LLVMGetTypeKind(el) == LLVMStructTypeKind ? LLVMCountStructElementTypes(el) : 0;
    if (nf != 2 && nf != 3) {
      snprintf(why, whylen, "%s has entries of an unexpected type", name);
      return -1;
    }
  } else if (LLVMGetTypeKind(el) != LLVMPointerTypeKind) {
    snprintf(why, whylen, "%s has entries of an unexpected type", name);
    return -1;
  }
  return 0;
}

/* Our constructor's name may exist only as a definition we made before. */
static int check_fn_name(LLVMModuleRef M, const char *name, char *why, size_t whylen) {
  LLVMValueRef v = named_value(M, name);
  if (!v || (LLVMIsAFunction(v) && !LLVMIsDeclaration(v)))
    return 0;
  snprintf(why, whylen, "the reserved name %s is already declared", name);
  return -1;
}

int wp_ctors_check(LLVMModuleRef M, char *why, size_t whylen) {
  if (check_array(M, "llvm.global_ctors", 1, why, whylen) ||
      check_array(M, "llvm.global_dtors", 1, why, whylen) ||
      check_array(M, "llvm.used", 0, why, whylen) ||
      check_fn_name(M, WHENCE_MODULE_CTOR, why, whylen) ||
      check_fn_name(M, WHENCE_MODULE_DTOR, why, whylen))
    return -1;
  return 0;
}

/* ---- appending arrays ------------------------------------------------------- */

/* Replace global `name` by an appending array of elty holding its old
 * elements (converted by conv, if given) followed by extra[]. */
static void rebuild_array(LLVMModuleRef M, const char *name, LLVMTypeRef elty,
                          LLVMValueRef (*conv)(LLVMContextRef, LLVMValueRef),
                          LLVMValueRef *extra, unsigned nextra, const char *section) {
  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMValueRef old = LLVMGetNamedGlobal(M, name);
  uint64_t nold = 0;
  LLVMValueRef init = NULL;
  if (old) {
    nold = LLVMGetArrayLength2(LLVMGlobalGetValueType(old));
    init = LLVMGetInitializer(old);
  }
  LLVMValueRef *els = malloc(sizeof *els * (size_t)(nold + nextra));
  if (!els) { /* keep the old entries: losing ours only loses registration */
    fprintf(stderr, "whence: out of memory extending %s\n", name);
    return;
  }
  uint64_t n = 0;
  for (uint64_t i = 0; i < nold; i++) {
    LLVMValueRef e = LLVMGetAggregateElement(init, (unsigned)i);
    if (e)
      els[n++] = conv ? conv(C, e) : e;
  }
  for (unsigned i = 0; i < nextra; i++)
    els[n++] = extra[i];
  if (old)
    LLVMDeleteGlobal(old);
  LLVMValueRef arr = LLVMConstArray2(elty, els, n);
  LLVMValueRef g = LLVMAddGlobal(M, LLVMTypeOf(arr), name);
  LLVMSetInitializer(g, arr);
  LLVMSetLinkage(g, LLVMAppendingLinkage);
  if (section)
    LLVMSetSection(g, section);
  free(els);
}

static LLVMTypeRef structor_type(LLVMContextRef C) {
  LLVMTypeRef f[3] = {LLVMInt32TypeInContext(C), LLVMPointerTypeInContext(C, 0),
                      LLVMPointerTypeInContext(C, 0)};
  return LLVMStructTypeInContext(C, f, 3, 0);
}

/* {prio, fn} and {prio, fn, data} entries both become {prio, fn, data}:
 * a missing data field means null (the LLVM 19 form). */
static LLVMValueRef structor_conv(LLVMContextRef C, LLVMValueRef e) {
  LLVMTypeRef st = LLVMTypeOf(e);
  LLVMValueRef f[3] = {LLVMGetAggregateElement(e, 0), LLVMGetAggregateElement(e, 1),
                       NULL};
  f[2] = LLVMCountStructElementTypes(st) == 3
             ? LLVMGetAggregateElement(e, 2)
             : LLVMConstPointerNull(LLVMPointerTypeInContext(C, 0));
  return LLVMConstStructInContext(C, f, 3, 0);
}

void wp_append_used(LLVMModuleRef M, LLVMValueRef *vals, unsigned n) {
  LLVMContextRef C = LLVMGetModuleContext(M);
  rebuild_array(M, "llvm.used", LLVMPointerTypeInContext(C, 0), NULL, vals, n,
                "llvm.metadata");
}

/* ---- constructor / destructor ------------------------------------------------ */

static LLVMValueRef hook(LLVMModuleRef M, const char *name, LLVMTypeRef fty) {
  LLVMValueRef v = named_value(M, name);
  if (v)
    return v; /* whatever it is, it is the address we must call */
  v = LLVMAddFunction(M, name, fty);
  LLVMSetLinkage(v, LLVMExternalWeakLinkage);
  return v;
}

/* The linker defines __start_X/__stop_X for a section X named like a C
 * identifier; hidden keeps the reference local to the image. */
static LLVMValueRef bound(LLVMModuleRef M, const char *name) {
  LLVMValueRef v = named_value(M, name);
  if (v)
    return v;
  LLVMContextRef C = LLVMGetModuleContext(M);
  v = LLVMAddGlobal(M, LLVMArrayType2(LLVMInt8TypeInContext(C), 0), name);
  LLVMSetLinkage(v, LLVMExternalWeakLinkage);
  LLVMSetVisibility(v, LLVMHiddenVisibility);
  return v;
}

static void add_fn_attr(LLVMValueRef F, const char *attr) {
  LLVMContextRef C = LLVMGetTypeContext(LLVMTypeOf(F));
  unsigned kind = LLVMGetEnumAttributeKindForName(attr, strlen(attr));
  if (kind)
    LLVMAddAttributeAtIndex(F, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(C, kind, 0));
}

/* A hook to call, with its arguments. */
struct call {
  LLVMValueRef hk;
  LLVMTypeRef ty;
  LLVMValueRef *args;
  unsigned nargs;
};

/* void name(void) { if (hk) hk(args...); } in its own comdat, listed in
 * `array` with itself as associated data (dropped with the comdat).  With a
 * preferred hook: { f = pref.hk ? pref.hk : hk; if (f) f(pref.args...); }:
 * one call with the preferred hook's arguments, which are more (the older
 * hook reads its own and ignores the rest: the x86-64 caller pops stack
 * arguments).  One call, not two: each __start_/__stop_ symbol referenced
 * twice in an object makes GNU ld (2.40, -z start-stop-gc) keep one
 * record section of a dead function alive. */
static void structor(LLVMModuleRef M, const char *name, const char *array,
                     const struct call *pref, LLVMValueRef hk, LLVMTypeRef hkty,
                     LLVMValueRef *args, unsigned nargs) {
  LLVMValueRef old = LLVMGetNamedFunction(M, name);
  if (old && !LLVMIsDeclaration(old))
    return; /* already there (checked in wp_ctors_check) */
  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMTypeRef vty = LLVMFunctionType(LLVMVoidTypeInContext(C), NULL, 0, 0);
  LLVMValueRef F = LLVMAddFunction(M, name, vty);
  LLVMSetLinkage(F, LLVMLinkOnceODRLinkage);
  LLVMSetVisibility(F, LLVMHiddenVisibility);
  LLVMSetComdat(F, LLVMGetOrInsertComdat(M, name));
  add_fn_attr(F, "nounwind");
  add_fn_attr(F, "disable_sanitizer_instrumentation");

  LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(C, F, "entry");
  LLVMBasicBlockRef call = LLVMAppendBasicBlockInContext(C, F, "call");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(C, F, "done");
  LLVMBuilderRef B = LLVMCreateBuilderInContext(C);
  LLVMPositionBuilderAtEnd(B, entry);
  if (pref) {
    LLVMValueRef phave = LLVMBuildIsNotNull(B, pref->hk, "have.pref");
    hk = LLVMBuildSelect(B, phave, pref->hk, hk, "hook");
    hkty = pref->ty;
    args = pref->args;
    nargs = pref->nargs;
  }
  LLVMValueRef have = LLVMBuildIsNotNull(B, hk, "have");
  LLVMBuildCondBr(B, have, call, done);
  LLVMPositionBuilderAtEnd(B, call);
  LLVMBuildCall2(B, hkty, hk, args, nargs, "");
  LLVMBuildBr(B, done);
  LLVMPositionBuilderAtEnd(B, done);
  LLVMBuildRetVoid(B);
  LLVMDisposeBuilder(B);

  LLVMValueRef f[3] = {LLVMConstInt(LLVMInt32TypeInContext(C), WHENCE_CTOR_PRIORITY, 0), F, F};
  LLVMValueRef entryc = LLVMConstStructInContext(C, f, 3, 0);
  rebuild_array(M, array, structor_type(C), structor_conv, &entryc, 1, NULL);
}

/* The constructor also named by the image's note (whence_abi.h), in a
 * comdat of its own (one per image): a library's initializer runs before
 * the program's constructors and may call into the program (a replaced
 * operator new or malloc, a callback), whose frames were then nobody's:
 * skipped, and the first instrumented frame below them named as the
 * caller.  The runtime calls the program's registration itself then
 * (runtime/note.c).  (A .preinit_array entry did it before the loader ran
 * any initializer, but GNU ld refuses one in a shared object, and -fPIE
 * objects go into shared objects: a static library linked into a shared
 * one.)  The offset is resolved by the linker: the note needs no
 * relocation at run time. */
static void note(LLVMModuleRef M) {
  LLVMValueRef F = LLVMGetNamedFunction(M, WHENCE_MODULE_CTOR);
  if (!F || LLVMIsDeclaration(F) || LLVMGetNamedGlobal(M, WHENCE_NOTE_GLOBAL))
    return;
  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMTypeRef i32 = LLVMInt32TypeInContext(C), i64 = LLVMInt64TypeInContext(C);
  static const char name[8] = WHENCE_NOTE_NAME;
  LLVMTypeRef fields[6] = {i32, i32, i32, LLVMArrayType2(LLVMInt8TypeInContext(C), sizeof name),
                           i32, i32};
  LLVMTypeRef ty = LLVMStructTypeInContext(C, fields, 6, 0);
  LLVMValueRef g = LLVMAddGlobal(M, ty, WHENCE_NOTE_GLOBAL);
  LLVMValueRef idx[2] = {LLVMConstInt(i32, 0, 0), LLVMConstInt(i32, 5, 0)};
  LLVMValueRef at = LLVMConstInBoundsGEP2(ty, g, idx, 2);
  LLVMValueRef init[6] = {
      LLVMConstInt(i32, sizeof WHENCE_NOTE_NAME, 0),
      LLVMConstInt(i32, 8, 0),
      LLVMConstInt(i32, WHENCE_NOTE_TYPE, 0),
      LLVMConstStringInContext(C, name, sizeof name, 1),
      LLVMConstInt(i32, WHENCE_ABI_VERSION, 0),
      LLVMConstTrunc(LLVMConstSub(LLVMConstPtrToInt(F, i64), LLVMConstPtrToInt(at, i64)), i32),
  };
  LLVMSetInitializer(g, LLVMConstStructInContext(C, init, 6, 0));
  LLVMSetGlobalConstant(g, 1);
  LLVMSetLinkage(g, LLVMLinkOnceODRLinkage);
  LLVMSetVisibility(g, LLVMHiddenVisibility);
  LLVMSetSection(g, WHENCE_NOTE_SECT);
  LLVMSetAlignment(g, 4);
  LLVMSetComdat(g, LLVMGetOrInsertComdat(M, WHENCE_NOTE_GLOBAL));
  wp_append_used(M, &g, 1);
}

/* An empty section of each kind of record a module may lack (its sites
 * under -g or with sites off, the opt-in line records), so that every bound
 * the constructor names is defined in the image that references it.  Else a
 * program without sites took a library's: GNU ld lists a shared library's
 * hidden __start_whence_site in .dynsym, and mold bound the program's weak
 * hidden reference to it and refused the link ("undefined symbol").  Linked
 * (SHF_LINK_ORDER) to the module's table, which is retained, as the records
 * are linked to their functions: an output section of both kinds of input
 * is one section in every linker (mold made two of a link-order one and a
 * plain one).  Flags as the records': sites read-only, lines writable
 * (!pcsections). */
static void own_bounds(LLVMModuleRef M, LLVMValueRef table) {
  static const struct {
    const char *sect, *name;
    int constant;
  } kinds[] = {
      {WHENCE_SECT_SITE, WHENCE_RESERVED_PREFIX ".own_site", 1},
      {WHENCE_SECT_LINE, WHENCE_RESERVED_PREFIX ".own_line", 0},
  };
  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMTypeRef ty = LLVMArrayType2(LLVMInt8TypeInContext(C), 0);
  LLVMMetadataRef to = LLVMValueAsMetadata(table);
  LLVMMetadataRef assoc = LLVMMDNodeInContext2(C, &to, 1);
  unsigned kind = LLVMGetMDKindIDInContext(C, "associated", 10);
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    if (LLVMGetNamedGlobal(M, kinds[i].name))
      continue;
    LLVMValueRef g = LLVMAddGlobal(M, ty, kinds[i].name);
    LLVMSetInitializer(g, LLVMConstNull(ty));
    LLVMSetGlobalConstant(g, kinds[i].constant);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetSection(g, kinds[i].sect);
    LLVMSetAlignment(g, 4);
    LLVMGlobalSetMetadata(g, kind, assoc);
    wp_append_used(M, &g, 1);
  }
}

void wp_emit_ctors(LLVMModuleRef M, LLVMValueRef table) {
  LLVMContextRef C = LLVMGetModuleContext(M);
  if (table)
    own_bounds(M, table);
  LLVMTypeRef ptr = LLVMPointerTypeInContext(C, 0);
  LLVMTypeRef i32 = LLVMInt32TypeInContext(C);
  LLVMTypeRef voidt = LLVMVoidTypeInContext(C);

  /* __whence_register(version, fn_start, fn_stop, site_start, site_stop,
   *                   mod_start, mod_stop, line_start, line_stop)
   * -- see whence_abi.h. */
  LLVMTypeRef rp[9] = {i32, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr};
  LLVMTypeRef regty = LLVMFunctionType(voidt, rp, 9, 0);
  LLVMValueRef reg = hook(M, WHENCE_HOOK_REGISTER, regty);
  LLVMValueRef args[11] = {
      LLVMConstInt(i32, WHENCE_ABI_VERSION, 0),
      bound(M, WHENCE_START(WHENCE_SECT_FN)),   bound(M, WHENCE_STOP(WHENCE_SECT_FN)),
      bound(M, WHENCE_START(WHENCE_SECT_SITE)), bound(M, WHENCE_STOP(WHENCE_SECT_SITE)),
      bound(M, WHENCE_START(WHENCE_SECT_MOD)),  bound(M, WHENCE_STOP(WHENCE_SECT_MOD)),
      bound(M, WHENCE_START(WHENCE_SECT_LINE)), bound(M, WHENCE_STOP(WHENCE_SECT_LINE)),
      bound(M, WHENCE_START(WHENCE_SECT_TAB)),  bound(M, WHENCE_STOP(WHENCE_SECT_TAB)),
  };
  /* __whence_register_tab(the same, tab_start, tab_stop): the post-link
   * table's room too, when the runtime knows it (whence_abi.h). */
  LLVMTypeRef rtp[11] = {i32, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr};
  LLVMTypeRef regtabty = LLVMFunctionType(voidt, rtp, 11, 0);
  struct call regtab = {hook(M, WHENCE_HOOK_REGISTER_TAB, regtabty), regtabty, args, 11};
  structor(M, WHENCE_MODULE_CTOR, "llvm.global_ctors", &regtab, reg, regty, args, 9);

  /* __whence_unregister(mod_start): the image's identity for the runtime. */
  LLVMTypeRef unregty = LLVMFunctionType(voidt, &ptr, 1, 0);
  LLVMValueRef unreg = hook(M, WHENCE_HOOK_UNREGISTER, unregty);
  structor(M, WHENCE_MODULE_DTOR, "llvm.global_dtors", NULL, unreg, unregty, &args[5], 1);
  note(M);
}
