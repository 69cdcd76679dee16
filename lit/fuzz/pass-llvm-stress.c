// Pass fuzzing, CI size (docs/PROOF.md): 40 llvm-stress seeds, raw and
// mutated (calls, inlining, pointer slots, invoke, setjmp), each through one
// option variant of the whence pass in turn (opt ... whence ...,verify), then
// llc -O0 or -O2 -verify-machineinstrs -filetype=obj, checking the record
// sections.  scripts/fuzz.sh pass (no --rotate) is the long version.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t
// RUN: %S/../../scripts/fuzz.sh pass --rotate --seeds 40 --start 5000 --sizes 80 --jobs 2 --plugin %plugin --work %t | FileCheck %s
// CHECK: pass-fuzz: cases=40 checks=40 ok=40 fail_whence=0 fail_llvm=0 bad_mutation=0
