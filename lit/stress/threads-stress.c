// Thread stress (docs/PROOF.md), CI size: tests/stress/stress.c with 32
// threads on disjoint call paths, >= 1e6 checked operations, concurrent first
// use, two instrumented libraries loaded and unloaded in a loop by another
// thread; then the same under SIGPROF at 1 kHz (handler walks and checks its
// own stack); then -O0 against the static runtime; then --selftest, which
// must fail (the checks do check).  scripts/stress.sh runs the long version.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DVARIANT=0 %whence_cflags %S/../../tests/stress/stress_dso.c %whence_libs -o %t/libA.so
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DVARIANT=1 %whence_cflags %S/../../tests/stress/stress_dso.c %whence_libs -o %t/libB.so
// RUN: %clang -O2 -gline-tables-only -pthread %whence_cflags %S/../../tests/stress/stress.c %whence_libs -o %t/stress
// RUN: %t/stress --threads 32 --ops 1000000 --dso %t/libA.so --dso %t/libB.so | FileCheck %s --check-prefix=DSO
// DSO: stress: threads=32 ops={{[0-9][0-9][0-9][0-9][0-9][0-9][0-9]+}} mismatches=0 dso_loads={{[1-9][0-9]*}} dso_unload_checks={{[0-9]+}} dso_mismatches=0
// RUN: %t/stress --threads 32 --ops 3000000 --dso %t/libA.so --dso %t/libB.so --sigprof 1000 | FileCheck %s --check-prefix=SIG
// SIG: stress: threads=32 ops={{[0-9][0-9][0-9][0-9][0-9][0-9][0-9]+}} mismatches=0 dso_loads={{[1-9][0-9]*}} dso_unload_checks={{[0-9]+}} dso_mismatches=0 signals={{[1-9][0-9]+}} sig_bad=0
// RUN: %clang -O0 -gline-tables-only -pthread -fno-pie -no-pie %whence_cflags %S/../../tests/stress/stress.c %whence_static -lpthread -ldl -o %t/stress-O0
// RUN: %t/stress-O0 --threads 32 --ops 1000000 --sigprof 1000 | FileCheck %s --check-prefix=O0
// O0: stress: threads=32 ops={{[0-9][0-9][0-9][0-9][0-9][0-9][0-9]+}} mismatches=0 {{.*}} sig_bad=0
// RUN: not %t/stress --threads 4 --ops 20000 --selftest | FileCheck %s --check-prefix=SELF
// SELF: BAD thread 1
// SELF: mismatches={{[1-9]}}
