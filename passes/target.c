/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * target.c - which modules the pass instruments, and the few things it
 * writes or predicts at the machine level that differ by architecture: the
 * register argument counts its tail-call prediction uses (slots.c), and
 * liveness=strict's clearing asm (liveness_strict.c).  Everything else the
 * pass emits is target-independent IR and metadata; the site label asm
 * (instrument.c) reads the same in the x86-64 and AArch64 ELF assemblers.
 */
#include "target.h"

#include <llvm-c/TargetMachine.h>
#include <string.h>

static int has_prefix(const char *s, const char *p) { return !strncmp(s, p, strlen(p)); }

enum wp_arch wp_triple_arch(const char *triple) {
  if (!triple)
    return WP_ARCH_NONE;
  /* Object formats other than ELF show in the OS/environment parts, and so
   * do the ILP32 ABIs, AArch64's and x86-64's x32 (-mx32: "gnux32"; 32-bit
   * pointers: not the records' layout, and no runtime is built for them). */
  static const char *const not_ours[] = {"-apple-", "-darwin", "-macos", "-ios",
                                         "-windows", "-win32", "-mingw", "-cygwin",
                                         "-uefi", "-coff", "-macho", "ilp32", "gnux32"};
  for (size_t i = 0; i < sizeof not_ours / sizeof *not_ours; i++)
    if (strstr(triple, not_ours[i]))
      return WP_ARCH_NONE;
  if (has_prefix(triple, "x86_64-"))
    return WP_ARCH_X86_64;
  /* Little-endian AArch64 only ("aarch64_be" is not "aarch64-"). */
  if (has_prefix(triple, "aarch64-") || has_prefix(triple, "arm64-"))
    return WP_ARCH_AARCH64;
  return WP_ARCH_NONE;
}

enum wp_arch wp_module_arch(LLVMModuleRef M) {
  const char *triple = LLVMGetTarget(M);
  if (triple && *triple)
    return wp_triple_arch(triple);
  char *def = LLVMGetDefaultTargetTriple();
  enum wp_arch a = wp_triple_arch(def);
  LLVMDisposeMessage(def);
  return a;
}

struct wp_arch_args wp_arch_args(enum wp_arch a) {
  /* SysV x86-64: rdi rsi rdx rcx r8 r9, xmm0-7.  AAPCS64: x0-x7, v0-v7. */
  struct wp_arch_args r = {6, 8};
  if (a == WP_ARCH_AARCH64)
    r.gprs = 8;
  return r;
}

/* Dead stack below the stack pointer zeroed before a collecting call: the
 * callee's frame goes there, and the words it leaves uninitialised
 * (padding, slots written late) would otherwise be stale copies from
 * returned calls.  Nothing lives there (a function that calls does not use
 * the red zone; AArch64 has none).  The stack pointer is lowered over the
 * area first: stores below it may not grow the stack (valgrind refuses,
 * verified on x86-64).  Keep the two sizes in step (256 bytes). */
void wp_arch_clear_asm(enum wp_arch a, const char **text, const char **cons) {
  if (a == WP_ARCH_AARCH64) {
    /* The callee-saved x19-x28 (callee prologues save them into the new
     * frames), then 256 bytes below sp, 16 at a time; sp stays 16-aligned. */
    *text = "mov x19, xzr\n\tmov x20, xzr\n\tmov x21, xzr\n\tmov x22, xzr\n\t"
            "mov x23, xzr\n\tmov x24, xzr\n\tmov x25, xzr\n\tmov x26, xzr\n\t"
            "mov x27, xzr\n\tmov x28, xzr\n\t"
            "sub sp, sp, #256\n\t"
            "mov x9, sp\n\t"
            "add x10, x9, #256\n"
            "1:\n\t"
            "stp xzr, xzr, [x9], #16\n\t"
            "cmp x9, x10\n\t"
            "b.lo 1b\n\t"
            "add sp, sp, #256";
    *cons = "~{x9},~{x10},~{x19},~{x20},~{x21},~{x22},~{x23},~{x24},~{x25},~{x26},~{x27},"
            "~{x28},~{memory},~{cc}";
    return;
  }
  /* rax too: prologues push it as alignment padding, copying a dead
   * return value into the frame. */
  *text = "xorl %eax, %eax\n\t"
          "xorl %ebx, %ebx\n\t"
          "xorl %r12d, %r12d\n\t"
          "xorl %r13d, %r13d\n\t"
          "xorl %r14d, %r14d\n\t"
          "xorl %r15d, %r15d\n\t"
          "subq $$256, %rsp\n\t"
          "movq %rsp, %rdi\n\t"
          "movl $$32, %ecx\n\t"
          "rep stosq\n\t"
          "addq $$256, %rsp";
  *cons = "~{rax},~{rbx},~{rcx},~{rdi},~{r12},~{r13},~{r14},~{r15},~{memory},"
          "~{dirflag},~{fpsr},~{flags}";
}
