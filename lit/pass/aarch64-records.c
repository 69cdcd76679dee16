// AArch64 modules get the records x86-64 ones get, in AArch64 assembler:
// a whence_fn record per function from !pcsections (two 32-bit
// PC-relative words, begin and size, then the 64-bit key), a site label
// before each call with its whence_site record tied to the function (or,
// at -O0, to its own label), frame records kept (stp x29, x30 / mov x29,
// sp), and every record field a R_AARCH64_PREL32 relocation.  With
// -mbranch-protection=standard the records sit beside paciasp and bti.
// RUN: %clang --target=aarch64-linux-gnu -O2 -gline-tables-only %whence_cflags -S %s -o - | FileCheck %s --check-prefixes=CHECK,O2
// RUN: %clang --target=aarch64-linux-gnu -O0 -mbranch-protection=standard -gline-tables-only %whence_cflags -S %s -o - | FileCheck %s --check-prefixes=CHECK,PAC
// RUN: %clang --target=aarch64-linux-gnu -O2 -gline-tables-only %whence_cflags -c %s -o %t.o
// RUN: llvm-readelf -r %t.o | FileCheck %s --check-prefix=REL
// The same source for x86-64 names its records the same way.
// RUN: %clang --target=x86_64-linux-gnu -O2 -gline-tables-only %whence_cflags -S %s -o - | FileCheck %s --check-prefix=X86
void ext(int);

__attribute__((noinline)) void two_calls(int x) {
  ext(x);
  ext(x + 1);
}

int main(void) {
  two_calls(1);
  return 0;
}

// CHECK-LABEL: two_calls:
// PAC: hint #25
// O2: stp x29, x30, [sp, #-32]!
// O2: mov x29, sp
// PAC: stp x29, x30, [sp, #16]
// PAC: add x29, sp, #16
// CHECK: .Lwhence_site[[S0:[0-9]+]]:
// CHECK-NEXT: .Ltmp{{[0-9]+}}:
// CHECK-NEXT: .reloc .Ltmp{{[0-9]+}}, BFD_RELOC_NONE, .L__whence.mod+{{[0-9]+}}
// O2-NEXT: .section whence_site,"ao",@progbits,two_calls
// PAC-NEXT: .section whence_site,"ao",@progbits,.Lwhence_site[[S0]]
// CHECK: .word .Lwhence_site[[S0]]-
// CHECK: bl ext
// CHECK: .Lwhence_site[[S1:[0-9]+]]:
// CHECK: .word .Lwhence_site[[S1]]-
// CHECK: bl ext
// CHECK: ret
// CHECK: .section whence_fn,"awo",@progbits,.text
// CHECK-NEXT: .Lpcsection_base{{[0-9]+}}:
// CHECK-NEXT: .word .Lfunc_begin{{[0-9]+}}-.Lpcsection_base{{[0-9]+}}
// CHECK-NEXT: .word .Lfunc_end{{[0-9]+}}-.Lfunc_begin{{[0-9]+}}
// CHECK-NEXT: .xword
// CHECK-LABEL: main:
// CHECK: .Lwhence_site{{[0-9]+}}:
// CHECK: bl two_calls
// CHECK: .section whence_fn,"awo",@progbits,.text

// REL: Relocation section '.relawhence_site'
// REL-NEXT: Offset
// REL-NEXT: R_AARCH64_PREL32 {{.*}} .text + c
// REL-NEXT: R_AARCH64_PREL32 {{.*}} .text + 14
// REL: Relocation section '.relawhence_fn'
// REL-NEXT: Offset
// REL-NEXT: R_AARCH64_PREL32 {{.*}} .text + 0
// REL-NEXT: R_AARCH64_PREL32 {{.*}} .text + 28

// X86-LABEL: two_calls:
// X86: .section whence_site,"ao",@progbits,two_calls
// X86: callq ext
// X86: .section whence_fn,"awo",@progbits,.text
