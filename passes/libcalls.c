/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * libcalls.c - IR that is not a call but that code generation may turn
 * into one (x86-64 and AArch64, target.h): a call of libm, libgcc or libatomic whose return address
 * is then a frame of the function (a signal or a crash in fmod, __divti3
 * or __atomic_load lands there).  Such a place gets a site label or a slot
 * store like any call; without one, the frame would be named by the call
 * before it.  A "yes" that code generation then expands inline costs one
 * unused record; a wrong "no" is a wrong line, so everything uncertain is
 * "yes".
 *
 * What LLVM 19's x86-64 backend makes a library call:
 *  - integer division and remainder of 65..128 bits (__divti3, __umodti3;
 *    wider ones are expanded into loops before instruction selection), and
 *    signed multiplication with overflow check of more than 64 bits
 *    (__muloti4);
 *  - frem (fmod, fmodf, fmodl), and every operation, conversion and
 *    comparison of fp128 (__addtf3, __lttf2 ...);
 *  - half and bfloat conversions without F16C (__extendhfsf2 ...);
 *  - conversions between floating point and integers of more than 64 bits
 *    (__floattidf, __fixdfti);
 *  - atomics of more than 16 bytes, 16 bytes without CX16, or misaligned
 *    (__atomic_load, __atomic_compare_exchange ...);
 *  - math intrinsics it has no instruction for (pow, exp, log, sin ...), the
 *    rounding family (floor, ceil, trunc, rint, nearbyint, round, roundeven)
 *    without SSE4.1 or on x87 long double, fma without FMA, and any math
 *    intrinsic on fp128 or half;
 *  - minimum and maximum (and their vector reductions) of long double
 *    (fmaxl) and of half even with F16C (fmaxf), and conversions between
 *    half and double, long double or an integer even with F16C
 *    (__truncdfhf2, __extendhfxf2);
 *  - every floating-point operation in a function without the x87 unit and
 *    SSE (-mgeneral-regs-only: __muldf3, __ltdf2 ...);
 *  - llvm.trap, llvm.ubsantrap and llvm.debugtrap when the call or its
 *    function names a trap function (-ftrap-function=F);
 *  - fixed-point division of 64-bit values (a 128-bit division), XRay's
 *    event sleds, ASan's outlined checks (-asan-optimize-callbacks).
 * Not seen from IR: -femulated-tls (every thread-local access a call of
 * __emutls_get_address; the option reaches only code generation): the
 * runtime knows those calls by their target (runtime/plt.c).
 *
 * What LLVM 19's AArch64 backend makes a library call differs in four ways:
 *  - long double is fp128 there: every operation on it is a call;
 *  - half converts and computes in hardware (promoted to float without
 *    +fullfp16): never a call of its own;
 *  - the rounding family and fma are instructions (frint*, fmadd) for
 *    float and double;
 *  - with outline atomics (clang's default on Linux: +outline-atomics) and
 *    without LSE, every read-modify-write and compare-exchange is a call
 *    of a libgcc helper (__aarch64_cas4_acq_rel ...); 16-byte atomics
 *    without LSE2 are taken as calls too;
 *  - clear_cache is a call of __clear_cache, and HWASan's checks are
 *    outlined calls (__hwasan_check_x0_...).
 */
#include "internal.h"
#include "target.h"

#include <string.h>

static int has_prefix(const char *s, size_t len, const char *p) {
  size_t n = strlen(p);
  return len >= n && !memcmp(s, p, n);
}

int wp_fn_feature(LLVMValueRef F, const char *feature) {
  LLVMAttributeRef a =
      F ? LLVMGetStringAttributeAtIndex(F, LLVMAttributeFunctionIndex, "target-features", 15)
        : NULL;
  if (!a)
    return 0;
  unsigned len = 0;
  const char *s = LLVMGetStringAttributeValue(a, &len);
  size_t n = strlen(feature);
  for (unsigned i = 0; s && i + n <= len; i++)
    if ((i == 0 || s[i - 1] == ',') && !memcmp(s + i, feature, n) &&
        (i + n == len || s[i + n] == ','))
      return 1;
  return 0;
}

/* The function of I names feature. */
static int has_feature(LLVMValueRef I, const char *feature) {
  return wp_fn_feature(LLVMGetBasicBlockParent(LLVMGetInstructionParent(I)), feature);
}

static enum wp_arch arch_of(LLVMValueRef I) {
  LLVMValueRef F = LLVMGetBasicBlockParent(LLVMGetInstructionParent(I));
  return F ? wp_module_arch(LLVMGetGlobalParent(F)) : WP_ARCH_X86_64;
}

static LLVMTypeRef scalar(LLVMTypeRef t) {
  LLVMTypeKind k = LLVMGetTypeKind(t);
  return k == LLVMVectorTypeKind || k == LLVMScalableVectorTypeKind ? LLVMGetElementType(t) : t;
}

/* Kinds of a type (or of its vector's elements) that only library code
 * computes on: fp128 always, half and bfloat without F16C, and on x86-64
 * in a function without the x87 unit (-mgeneral-regs-only, -mno-80387) any
 * type its SSE level does not compute on (float without SSE, double
 * without SSE2, long double always): __muldf3, __ltdf2 ... */
static int soft_float(LLVMValueRef I, LLVMTypeRef t) {
  int x86 = arch_of(I) == WP_ARCH_X86_64;
  switch (LLVMGetTypeKind(scalar(t))) {
  case LLVMFP128TypeKind:
  case LLVMPPC_FP128TypeKind:
  case LLVMBFloatTypeKind:
    return 1;
  case LLVMHalfTypeKind:
    return x86 && !has_feature(I, "+f16c");
  case LLVMFloatTypeKind:
    return x86 && has_feature(I, "-x87") && has_feature(I, "-sse");
  case LLVMDoubleTypeKind:
    return x86 && has_feature(I, "-x87") && (has_feature(I, "-sse") || has_feature(I, "-sse2"));
  case LLVMX86_FP80TypeKind:
    return x86 && has_feature(I, "-x87");
  default:
    return 0;
  }
}

/* On x86-64, half that F16C does not help with: it converts only from and
 * to float, so a conversion between half and a wider floating type or an
 * integer is a call (__truncdfhf2, __extendhfxf2, __floatdihf), and half
 * minimum and maximum are promoted to calls of fminf and fmaxf. */
static int half_x86(LLVMValueRef I, LLVMTypeRef t) {
  return arch_of(I) == WP_ARCH_X86_64 && LLVMGetTypeKind(scalar(t)) == LLVMHalfTypeKind;
}

static int half_conversion(LLVMValueRef I) {
  LLVMValueRef op = LLVMGetNumOperands(I) > 0 ? LLVMGetOperand(I, 0) : NULL;
  if (!op || arch_of(I) != WP_ARCH_X86_64)
    return 0;
  LLVMTypeKind r = LLVMGetTypeKind(scalar(LLVMTypeOf(I)));
  LLVMTypeKind o = LLVMGetTypeKind(scalar(LLVMTypeOf(op)));
  if (r == LLVMHalfTypeKind)
    return o != LLVMFloatTypeKind && o != LLVMHalfTypeKind;
  return o == LLVMHalfTypeKind && r != LLVMFloatTypeKind && r != LLVMHalfTypeKind &&
         r != LLVMIntegerTypeKind;
}

static int wide_int(LLVMTypeRef t, unsigned above) {
  t = scalar(t);
  return LLVMGetTypeKind(t) == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(t) > above;
}

/* The result or an operand of I is of a type that needs library code. */
static int any_type(LLVMValueRef I, int (*pred)(LLVMValueRef, LLVMTypeRef)) {
  if (pred(I, LLVMTypeOf(I)))
    return 1;
  int n = LLVMGetNumOperands(I);
  for (int i = 0; i < n; i++) {
    LLVMValueRef op = LLVMGetOperand(I, i);
    if (op && !LLVMIsABasicBlock(op) && pred(I, LLVMTypeOf(op)))
      return 1;
  }
  return 0;
}

static int wider_than_64(LLVMValueRef I, LLVMTypeRef t) {
  (void)I;
  return wide_int(t, 64);
}

static int wider_than_32(LLVMValueRef I, LLVMTypeRef t) {
  (void)I;
  return wide_int(t, 32);
}

static int x87_or_soft(LLVMValueRef I, LLVMTypeRef t) {
  return soft_float(I, t) || LLVMGetTypeKind(scalar(t)) == LLVMX86_FP80TypeKind;
}

/* Minimum and maximum: on long double (fmaxl: x87 has no such instruction)
 * and on half (promoted to fmaxf) they are calls. */
static int minmax_calls(LLVMValueRef I, LLVMTypeRef t) {
  return x87_or_soft(I, t) || half_x86(I, t);
}

/* An atomic access of a value the processor cannot access atomically
 * (rmw: a read-modify-write or compare-exchange). */
static int atomic_may_call(LLVMValueRef I, LLVMTypeRef t, int rmw) {
  t = scalar(t);
  unsigned bits = 0;
  switch (LLVMGetTypeKind(t)) {
  case LLVMIntegerTypeKind:
    bits = LLVMGetIntTypeWidth(t);
    break;
  case LLVMFloatTypeKind:
    bits = 32;
    break;
  case LLVMDoubleTypeKind:
  case LLVMPointerTypeKind:
    bits = 64;
    break;
  default:
    return 1; /* x86_fp80, fp128, vectors: no instruction for them */
  }
  unsigned bytes = (bits + 7) / 8, align = LLVMGetAlignment(I);
  if (bytes > 16 || (bytes & (bytes - 1)) || (align && align < bytes))
    return 1;
  if (arch_of(I) == WP_ARCH_AARCH64) {
    if (rmw && has_feature(I, "+outline-atomics") && !has_feature(I, "+lse"))
      return 1;
    return bytes == 16 && !has_feature(I, "+lse2");
  }
  return bytes == 16 && !has_feature(I, "+cx16");
}

/* The trap call I, or its function, names a function to call instead. */
static int names_trap_function(LLVMValueRef I) {
  static const char k[] = "trap-func-name";
  LLVMValueRef F = LLVMGetBasicBlockParent(LLVMGetInstructionParent(I));
  return LLVMGetCallSiteStringAttribute(I, LLVMAttributeFunctionIndex, k, sizeof k - 1) ||
         (F && LLVMGetStringAttributeAtIndex(F, LLVMAttributeFunctionIndex, k, sizeof k - 1));
}

/* Name of the math intrinsic called (after "llvm." and an
 * "experimental.constrained." prefix), up to its type suffix. */
static int math_name_is(const char *name, size_t len, const char *const *list) {
  for (; *list; list++) {
    size_t n = strlen(*list);
    if (len > n && !memcmp(name, *list, n) && name[n] == '.')
      return 1;
  }
  return 0;
}

int wp_intrinsic_may_call(LLVMValueRef I, const char *name, size_t len) {
  if (has_prefix(name, len, "llvm.memcpy.inline") || has_prefix(name, len, "llvm.memset.inline"))
    return 0;
  if (has_prefix(name, len, "llvm.memcpy.") || has_prefix(name, len, "llvm.memmove.") ||
      has_prefix(name, len, "llvm.memset."))
    return 1;
  if (has_prefix(name, len, "llvm.threadlocal.address."))
    return wp_tls_access_calls(I); /* tls.c */
  if (!has_prefix(name, len, "llvm."))
    return 0;
  name += 5, len -= 5;
  if (has_prefix(name, len, "experimental.constrained."))
    name += 25, len -= 25;
  static const char *const always[] = {
      "pow", "powi", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh",
      "tanh", "exp", "exp2", "exp10", "log", "log2", "log10", "ldexp", "frexp", "lround",
      "llround", "frem", NULL};
  static const char *const rounding[] = {"floor", "ceil", "trunc", "rint", "nearbyint",
                                         "round", "roundeven", NULL};
  static const char *const fused[] = {"fma", NULL};
  static const char *const simple[] = {
      "sqrt", "fabs", "copysign", "lrint", "llrint", "fmuladd", "canonicalize", "fadd", "fsub",
      "fmul", "fdiv", "fcmp", "fcmps", "fptosi", "fptoui", NULL};
  static const char *const conversions[] = {"fptrunc", "fpext", "sitofp", "uitofp", NULL};
  static const char *const minmax[] = {
      "minnum", "maxnum", "minimum", "maximum", "minimumnum", "maximumnum",
      "vector.reduce.fmin", "vector.reduce.fmax", "vector.reduce.fminimum",
      "vector.reduce.fmaximum", NULL};
  if (math_name_is(name, len, always))
    return 1;
  if (math_name_is(name, len, minmax))
    return any_type(I, minmax_calls);
  if (math_name_is(name, len, conversions))
    return any_type(I, soft_float) || any_type(I, wider_than_64) || half_conversion(I);
  /* A trap made a call of a function (-ftrap-function=F; SelectionDAG does
   * so for the three when the call names one). */
  if ((len == 4 && !memcmp(name, "trap", 4)) || (len == 9 && !memcmp(name, "debugtrap", 9)) ||
      (len == 9 && !memcmp(name, "ubsantrap", 9)))
    return names_trap_function(I);
  /* Fixed-point division of 64-bit values divides 128-bit ones (__divti3). */
  static const char *const fixdiv[] = {"sdiv.fix", "udiv.fix", "sdiv.fix.sat", "udiv.fix.sat",
                                       NULL};
  if (math_name_is(name, len, fixdiv))
    return any_type(I, wider_than_32);
  /* XRay's event sleds call __xray_CustomEvent / __xray_TypedEvent;
   * sanitizers' outlined checks (ASan with -asan-optimize-callbacks,
   * HWASan on AArch64) call __asan_check_* / __hwasan_check_*; AArch64
   * makes clear_cache a call of __clear_cache. */
  if (has_prefix(name, len, "xray.customevent") || has_prefix(name, len, "xray.typedevent") ||
      has_prefix(name, len, "asan.check.memaccess") ||
      has_prefix(name, len, "hwasan.check.memaccess"))
    return 1;
  if (len == 11 && !memcmp(name, "clear_cache", 11))
    return arch_of(I) == WP_ARCH_AARCH64;
  /* Other reductions expand to the element operations: calls on the types
   * only library code computes on. */
  if (has_prefix(name, len, "vector.reduce."))
    return any_type(I, soft_float);
  int a64 = arch_of(I) == WP_ARCH_AARCH64;
  if (math_name_is(name, len, rounding))
    return any_type(I, x87_or_soft) || (!a64 && !has_feature(I, "+sse4.1"));
  if (math_name_is(name, len, fused))
    return any_type(I, x87_or_soft) ||
           (!a64 && !(has_feature(I, "+fma") || has_feature(I, "+fma4")));
  if (math_name_is(name, len, simple))
    return any_type(I, soft_float) || any_type(I, wider_than_64);
  static const char *const mul_overflow[] = {"smul.with.overflow", "umul.with.overflow", NULL};
  if (math_name_is(name, len, mul_overflow))
    return any_type(I, wider_than_64);
  return 0;
}

/* -fsplit-stack: a dynamic alloca is a call of
 * __morestack_allocate_stack_space when the stack segment is too small
 * (X86's SEG_ALLOCA; AArch64 has no split stacks in LLVM 19). */
static int split_stack_alloca(LLVMValueRef I) {
  LLVMBasicBlockRef bb = LLVMGetInstructionParent(I);
  LLVMValueRef F = LLVMGetBasicBlockParent(bb);
  if (!LLVMGetStringAttributeAtIndex(F, LLVMAttributeFunctionIndex, "split-stack", 11))
    return 0;
  return bb != LLVMGetEntryBasicBlock(F) || !LLVMIsAConstant(LLVMGetOperand(I, 0));
}

int wp_instruction_may_call(LLVMValueRef I) {
  switch (LLVMGetInstructionOpcode(I)) {
  case LLVMAlloca:
    return split_stack_alloca(I);
  case LLVMSDiv:
  case LLVMUDiv:
  case LLVMSRem:
  case LLVMURem: {
    LLVMTypeRef t = scalar(LLVMTypeOf(I));
    return LLVMGetTypeKind(t) == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(t) > 64 &&
           LLVMGetIntTypeWidth(t) <= 128;
  }
  case LLVMFRem:
    return 1;
  case LLVMFAdd:
  case LLVMFSub:
  case LLVMFMul:
  case LLVMFDiv:
  case LLVMFCmp:
    return any_type(I, soft_float);
  case LLVMFPExt:
  case LLVMFPTrunc:
    return any_type(I, soft_float) || half_conversion(I);
  case LLVMFPToSI:
  case LLVMFPToUI:
    return any_type(I, soft_float) || any_type(I, wider_than_64);
  case LLVMSIToFP:
  case LLVMUIToFP:
    return any_type(I, soft_float) || any_type(I, wider_than_64) || half_conversion(I);
  case LLVMLoad:
    return LLVMGetOrdering(I) != LLVMAtomicOrderingNotAtomic &&
           atomic_may_call(I, LLVMTypeOf(I), 0);
  case LLVMStore:
    return LLVMGetOrdering(I) != LLVMAtomicOrderingNotAtomic &&
           atomic_may_call(I, LLVMTypeOf(LLVMGetOperand(I, 0)), 0);
  case LLVMAtomicRMW:
    return atomic_may_call(I, LLVMTypeOf(I), 1);
  case LLVMAtomicCmpXchg:
    return atomic_may_call(I, LLVMTypeOf(LLVMGetOperand(I, 1)), 1);
  default:
    return 0;
  }
}
