/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * target.h - the targets the pass instruments (64-bit little-endian ELF:
 * x86-64 and AArch64) and what differs between them where the pass writes
 * machine-level text or predicts machine-level decisions.
 */
#ifndef WHENCE_PASS_TARGET_H
#define WHENCE_PASS_TARGET_H

#include <llvm-c/Core.h>

enum wp_arch { WP_ARCH_NONE = 0, WP_ARCH_X86_64, WP_ARCH_AARCH64 };

/* The architecture of a target triple the pass instruments, WP_ARCH_NONE
 * for any other (another architecture, an object format other than ELF,
 * an ILP32 ABI). */
enum wp_arch wp_triple_arch(const char *triple);
/* The same for a module (its triple, else the host's default). */
enum wp_arch wp_module_arch(LLVMModuleRef M);
/* Function F's "target-features" names feature ("+sse4.1", "-sse2"):
 * libcalls.c. */
int wp_fn_feature(LLVMValueRef F, const char *feature);

/* How many integer and floating-point arguments a call passes in
 * registers under the C convention (the rest go on the stack). */
struct wp_arch_args {
  unsigned gprs, fprs;
};
struct wp_arch_args wp_arch_args(enum wp_arch a);

/* liveness=strict's register and dead-stack clearing before a collecting
 * call: the inline asm text and its constraint string (clobbers). */
void wp_arch_clear_asm(enum wp_arch a, const char **text, const char **constraints);

#endif /* WHENCE_PASS_TARGET_H */
