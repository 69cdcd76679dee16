/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * reserve.c - the room each module reserves for the post-link lookup table
 * (whence_abi.h, whence_tab; written by tools/whence-link).
 *
 * An SHT_NOBITS section costs no byte of the object or of the linked file
 * and no page of memory until something writes it, so a program that is
 * never given to whence-link pays only address space.  LLVM gives a global
 * with an explicit section name PROGBITS even when it is all zeros, and the
 * C API cannot give a global the "bss-section" attribute that would make
 * it NOBITS, so the room is module-level assembly: a retained ("R", so
 * --gc-sections keeps it) writable NOBITS section the linker places after
 * .bss.  Its size comes from what the module knows (whence_abi.h,
 * WHENCE_TAB_RESERVE_*): its records, sites, frame-slot subprogs, IR
 * instructions (the table's buckets follow the code's size) and blocks
 * (code the backend may split off).  An LTO backend that takes a pre-link
 * instrumentation out takes its room out too (wp_unreserve_table) and
 * reserves again for the final code.
 *
 * The same module assembly opens an empty whence_mod first (module
 * assembly precedes all code in the object): a linker places sections it
 * has no rule for in the order it meets them, so whence_mod lands right
 * after .rodata instead of after whence_site.  A first lookup reads its
 * module's header, and .rodata's pages are mostly mapped by then (the
 * kernel maps a read fault's neighbours too), so it pays no page fault
 * for it.  Nothing is written or read at start-up for that.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPEN "\t.pushsection " WHENCE_SECT_TAB ",\"awR\",@nobits\n"
#define CLOSE "\t.popsection\n"
#define ORDER "\t.pushsection " WHENCE_SECT_MOD ",\"aR\",@progbits\n" CLOSE

void wp_reserve_table(LLVMModuleRef M, uint32_t nsites, uint32_t nslot_subprogs) {
  uint64_t nfn = 0, ninstr = 0, nbb = 0;
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F)) {
    if (LLVMIsDeclaration(F) || LLVMGetLinkage(F) == LLVMAvailableExternallyLinkage)
      continue;
    nfn++;
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb; bb = LLVMGetNextBasicBlock(bb)) {
      nbb++;
      for (LLVMValueRef I = LLVMGetFirstInstruction(bb); I; I = LLVMGetNextInstruction(I))
        ninstr++;
    }
  }
  uint64_t size = WHENCE_TAB_RESERVE_BASE + WHENCE_TAB_RESERVE_FUNC * nfn +
                  WHENCE_TAB_RESERVE_SITE * (uint64_t)nsites +
                  WHENCE_TAB_RESERVE_SUBPROG * (uint64_t)nslot_subprogs +
                  ninstr / WHENCE_TAB_RESERVE_INSTRS + WHENCE_TAB_RESERVE_BLOCK * nbb;
  size = (size + 7) & ~(uint64_t)7;
  char text[224];
  snprintf(text, sizeof text, ORDER OPEN "\t.p2align 3\n\t.zero %llu\n" CLOSE,
           (unsigned long long)size);
  LLVMAppendModuleInlineAsm(M, text, strlen(text));
}

void wp_unreserve_table(LLVMModuleRef M) {
  size_t len = 0;
  const char *asm_text = LLVMGetModuleInlineAsm(M, &len);
  if (!asm_text || !len)
    return;
  char *out = malloc(len + 1);
  if (!out)
    return; /* the room stays: a pre-link table's room, never written */
  size_t n = 0, i = 0, olen = strlen(OPEN), clen = strlen(CLOSE), rlen = strlen(ORDER);
  int changed = 0;
  while (i < len) {
    if (len - i >= rlen && !memcmp(asm_text + i, ORDER, rlen)) {
      i += rlen;
      changed = 1;
      continue;
    }
    if (len - i >= olen && !memcmp(asm_text + i, OPEN, olen)) {
      const char *end = NULL;
      for (size_t j = i + olen; j + clen <= len; j++)
        if (!memcmp(asm_text + j, CLOSE, clen)) {
          end = asm_text + j + clen;
          break;
        }
      if (end) {
        i = (size_t)(end - asm_text);
        changed = 1;
        continue;
      }
    }
    out[n++] = asm_text[i++];
  }
  if (changed)
    LLVMSetModuleInlineAsm2(M, out, n);
  free(out);
}
