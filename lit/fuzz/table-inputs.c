// The reader of whence-link's table (runtime/table.c) over the inputs its
// libFuzzer target once failed on (tests/fuzz/regress/table-*), then a short
// mutation run from them: no sanitizer report, no failed check of
// tests/fuzz/fuzz_table.c.  scripts/fuzz.sh table is the long version, from
// the tables of real programs.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t/corpus
// RUN: %S/../../tests/fuzz/build_fuzz_records.sh %t %S/../.. fuzz_table > %t/build.log
// RUN: cp %S/../../tests/fuzz/regress/table-* %t/corpus/
// RUN: cd %t && %t/fuzz_table %S/../../tests/fuzz/regress/table-* 2>&1 | FileCheck %s --check-prefix=REPLAY
// RUN: cd %t && %t/fuzz_table -runs=1000 -seed=1 -max_len=4096 %t/corpus 2>&1 | FileCheck %s --check-prefix=MUT
// REPLAY: Running: {{.*}}table-dir-misaligned
// REPLAY-NOT: ERROR
// REPLAY-NOT: runtime error
// REPLAY: Executed {{.*}}table-dir-misaligned
// MUT-NOT: ERROR
// MUT-NOT: runtime error
// MUT: Done 1000 runs
