; A huge function stays verifier-clean and compiles: 16000 calls with three-level inline chains (48000 locs), and a random llvm-stress function.
; RUN: python3 %S/Inputs/gen-huge.py 16000 > %t.gen.ll
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' %t.gen.ll -o %t.bc
; RUN: %llc -O2 -filetype=obj %t.bc -o %t.o
; RUN: python3 %S/Inputs/whence-dump.py %t.o > %t.dump
; RUN: FileCheck %s < %t.dump
; RUN: grep -c '^site ' %t.dump | FileCheck %s --check-prefix=COUNT
; RUN: llvm-stress -size=2000 -seed=7 | %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -o %t.stress.bc 2>/dev/null
; RUN: %llc -O2 -filetype=obj %t.stress.bc -o /dev/null

; CHECK: mod[0] name=/src/huge.c key=0x{{[0-9a-f]+}} flags=LINES|SITES subprogs=3 locs=48000 {{.*}} layout=ok
; CHECK: site label=.text+{{[0-9]+}} loc=2 chain=leaf:1:3 <- mid:1:2 <- huge:1:1
; CHECK: site label=.text+{{[0-9]+}} loc=47999 chain=leaf:16000:3 <- mid:16000:2 <- huge:16000:1
; COUNT: 16000
