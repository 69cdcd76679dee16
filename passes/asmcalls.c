/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * asmcalls.c - inline asm that makes a call.
 *
 * `asm("call f")` (a hand-written trampoline, a syscall shim that calls
 * into a vDSO, a retpoline by hand) pushes a return address inside the
 * function as any call does, and a stack walk meets it.  Without a site of
 * its own, that return address took the site before it: the line of the
 * function's previous call, given as exact.  Such an asm is a site: its
 * label (or slot store) comes before the asm, at the asm's position, so
 * every return address inside it reads the asm statement's line; and the
 * runtime's check that a label is its call's (within WH_CALL_LABEL_NEAR
 * bytes of the call's end, and no call code generation made) holds for a
 * call the asm makes among its first instructions, else the line is
 * unknown.
 *
 * The asm text is scanned for a statement whose mnemonic is a call of the
 * module's architecture (AT&T and Intel spellings; prefixes such as
 * `notrack` skipped); directives and labels are not calls, so the pass's
 * own asms never are.  A call hidden behind an assembler macro is not seen.
 */
#include "internal.h"
#include "target.h"

#include <ctype.h>
#include <string.h>

static int word_is(const char *w, size_t n, const char *const *set) {
  for (; *set; set++)
    if (strlen(*set) == n && !strncasecmp(w, *set, n))
      return 1;
  return 0;
}

static const char *const x86_calls[] = {"call", "callq", "calll", "callw", "lcall", "lcallq",
                                        "lcalll", "lcallw", NULL};
static const char *const x86_prefixes[] = {"notrack", "rex", "rex.w", "data16", "addr32",
                                           "bnd", "ds", "cs", "{disp8}", "{disp32}", NULL};
static const char *const a64_calls[] = {"bl", "blr", "blraa", "blraaz", "blrab", "blrabz", NULL};

/* Does one statement [p, end) start with a call mnemonic? */
static int statement_calls(const char *p, const char *end, enum wp_arch a) {
  for (;;) {
    while (p < end && isspace((unsigned char)*p))
      p++;
    const char *w = p;
    while (p < end && !isspace((unsigned char)*p) && *p != ':')
      p++;
    size_t n = (size_t)(p - w);
    if (!n)
      return 0;
    if (p < end && *p == ':') { /* a label: the statement goes on after it */
      p++;
      continue;
    }
    if (a == WP_ARCH_X86_64) {
      if (word_is(w, n, x86_prefixes))
        continue;
      return word_is(w, n, x86_calls);
    }
    return a == WP_ARCH_AARCH64 && word_is(w, n, a64_calls);
  }
}

int wp_asm_may_call(LLVMValueRef I, LLVMValueRef callee) {
  size_t len = 0;
  const char *s = LLVMGetInlineAsmAsmString(callee, &len);
  if (!s || !len)
    return 0;
  LLVMModuleRef M = LLVMGetGlobalParent(LLVMGetBasicBlockParent(LLVMGetInstructionParent(I)));
  enum wp_arch a = wp_module_arch(M);
  const char *end = s + len;
  /* statements end at a newline or a ';' (x86-64's and AArch64's separator) */
  for (const char *p = s; p < end;) {
    const char *q = p;
    while (q < end && *q != '\n' && *q != ';')
      q++;
    if (statement_calls(p, q, a))
      return 1;
    p = q + 1;
  }
  return 0;
}
