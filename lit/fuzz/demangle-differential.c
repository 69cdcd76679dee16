// The runtime's demangler (runtime/cxx/demangle.c) against LLVM's own
// (libLLVMDemangle, what llvm-cxxfilt prints) on mutations of the unit
// test's vectors: whenever the runtime answers, the answer is LLVM's, byte
// for byte, with its name span inside it; no sanitizer report.  A short
// run; tests/fuzz/build_fuzz_demangle.sh builds the target for long ones.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t/corpus
// RUN: %S/../../tests/fuzz/build_fuzz_demangle.sh %t %S/../.. > %t/build.log
// RUN: python3 %S/../../tests/fuzz/seed_demangle.py %S/../../tests/test_demangle.c %t/corpus
// RUN: cd %t && %t/fuzz_demangle -runs=30000 -seed=1 -max_len=256 %t/corpus 2>&1 | FileCheck %s
// CHECK-NOT: MISMATCH
// CHECK-NOT: ERROR
// CHECK-NOT: runtime error
// CHECK: Done 30000 runs
