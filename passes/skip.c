/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * skip.c - self-exclusion: which defined functions the pass leaves alone.
 * Bodies that are not really emitted here (declarations,
 * available_externally), bodies whose frame the pass must not touch (naked),
 * bodies that opted out of compiler instrumentation
 * (disable_sanitizer_instrumentation), bodies in a foreign stack discipline
 * (GHC and HiPE calling conventions pass arguments in %rbp: a frame pointer
 * would clobber them), and everything carrying the reserved prefix: the
 * runtime's hooks and the pass's own constructor/destructor.
 */
#include "internal.h"

#include <string.h>

int wp_is_reserved_name(const char *name, size_t len) {
  const size_t plen = sizeof(WHENCE_RESERVED_PREFIX) - 1;
  return name && len >= plen && !memcmp(name, WHENCE_RESERVED_PREFIX, plen);
}

static int has_fn_attr(LLVMValueRef F, const char *attr) {
  unsigned kind = LLVMGetEnumAttributeKindForName(attr, strlen(attr));
  return kind &&
         LLVMGetEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex, kind) != NULL;
}

int wp_skip_function(LLVMValueRef F) {
  if (LLVMIsDeclaration(F))
    return 1;
  if (LLVMGetLinkage(F) == LLVMAvailableExternallyLinkage)
    return 1; /* the real body (and its record) is in another module */
  size_t len = 0;
  const char *name = LLVMGetValueName2(F, &len);
  if (wp_is_reserved_name(name, len))
    return 1;
  /* llvm::CallingConv::GHC = 10, HiPE = 11 (no LLVM-C names for HiPE). */
  unsigned cc = LLVMGetFunctionCallConv(F);
  if (cc == LLVMGHCCallConv || cc == 11)
    return 1;
  /* naked: no prologue may be added, not even a frame pointer. */
  if (has_fn_attr(F, "naked") || has_fn_attr(F, "disable_sanitizer_instrumentation"))
    return 1;
  return 0;
}
