; Every C++ function libstdc++ exports (thousands of real mangled names,
; Inputs/real-cxx-names.py): the pass names them all without a crash and
; leaves verifier-clean IR, and no name keeps what names.c rewrites away:
; ABI tags, the demangler's 'lambda' and 'unnamed', std::__cxx11::, the
; standard library's defaulted arguments, a local entity's enclosing
; parameter list.  Only what LLVM's demangler rejects (transaction-safe
; clones, _ZGTt) stays mangled.
; RUN: python3 %S/Inputs/real-cxx-names.py %clangxx %t.in.ll 2> %t.count
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' %t.in.ll -o %t.bc 2>/dev/null
; RUN: %llc -O0 -filetype=obj %t.bc -o %t.o
; RUN: python3 %S/Inputs/whence-dump.py %t.o > %t.dump
; RUN: FileCheck %s < %t.dump
; CHECK: mod[0] name=libstdc++
; CHECK-NOT: {{name=.*(\[abi:|'lambda|'unnamed|std::__cxx11::|basic_string<char, std::char_traits<char>, std::allocator<char>>|\)::)}}
; CHECK-NOT: {{subprog\[[0-9]+\] name=_Z[^G]}}
; CHECK: fn entry
