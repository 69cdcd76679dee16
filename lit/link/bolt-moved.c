// A function BOLT moved, asking from itself (helper-81): its frame is in
// BOLT's new segment, in no record, and the walks skipped it as they skip
// a foreign library's frames, uncounted: whence_caller(0) named its
// in-place caller's line as its own, whence_callers and whence_write_stack
// dropped it and the moved main without a word.  A frame in an executable
// segment of an instrumented image that holds none of its records' code
// (runtime/moved.c) is now an unknown frame to whence_caller and
// whence_callers, a frame named from the symbol and line tables in a
// written stack, and frames still to skip end there, said.
// REQUIRES: x86_64-linux, bolt
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -fuse-ld=lld -Wl,--emit-relocs -o %t
// RUN: rm -f %t.fdata
// RUN: llvm-bolt %t -o %t.inst -instrument --instrumentation-file=%t.fdata > %t.log 2>&1
// RUN: %t.inst 3000 > /dev/null
// RUN: llvm-bolt %t -o %t.bolt -data=%t.fdata -reorder-blocks=ext-tsp -reorder-functions=hfsort -split-functions -split-all-cold -update-debug-sections >> %t.log 2>&1
// RUN: cp %t %t.wl && %whence_link %t.wl
// RUN: llvm-bolt %t.wl -o %t.wl.bolt -data=%t.fdata -reorder-blocks=ext-tsp -reorder-functions=hfsort -split-functions -split-all-cold -update-debug-sections >> %t.log 2>&1
// RUN: %whence_link --check %t.wl.bolt 2>&1 | FileCheck %s --check-prefix=WL-CHECK
// RUN: %t.wl.bolt 1 x | FileCheck %s --check-prefix=AFTER
// RUN: llvm-nm %t.bolt | FileCheck %s --check-prefix=NM
// RUN: %t 1 x | FileCheck %s --check-prefix=BEFORE
// RUN: %t.bolt 1 x | FileCheck %s --check-prefix=AFTER
// A profile of the BOLTed program: each location's mapping is its own
// segment's, with that segment's file offset (one mapping per object from
// its first segment's offset put BOLT's code 4 KiB off with lld's layout,
// where a segment's address and file offset differ: helper-81).
// RUN: %t.bolt prof %t.pb.gz
// RUN: python3 %S/../profile/Inputs/pprof_check.py %t.pb.gz --min-samples 20 --foreign %basename_t.tmp.bolt=%t.bolt | FileCheck %s --check-prefix=PROF
// PROF: mismatches=0 samples=enough foreign={{[1-9][0-9]*$}}
// WL-CHECK: its table answers as its records do at every byte of the code they describe, but BOLT moved code after the link (.bolt.org.text): the code it moved is in no record
// NM-DAG: {{^0*4[0-9a-f]{5} }}T hot
// NM-DAG: {{^0*[0-3]?[0-9a-f]{1,5} }}T in_place
// BEFORE: caller(0): hot {{.*}}bolt-moved.c:[[#HERE:]]
// BEFORE-NEXT: frame: hot {{.*}}bolt-moved.c:[[#CALLERS:]]
// BEFORE-NEXT: frame: in_place {{.*}}bolt-moved.c:[[#CALL:]]
// BEFORE-NEXT: frame: main
// BEFORE-NEXT: end: (null)
// BEFORE-NEXT: skip 1: in_place {{.*}}bolt-moved.c:[[#CALL]]
// BEFORE-NEXT: report's caller(1): hot
// BEFORE: skip 1:
// BEFORE-NEXT: in_place(...)
// AFTER: caller(0): unknown
// AFTER-NEXT: frame: ? ?:0
// AFTER-NEXT: frame: in_place {{.*}}bolt-moved.c:[[#CALL:]]
// AFTER-NEXT: frame: ? ?:0
// AFTER-NEXT: end: (null)
// AFTER-NEXT: skip 1: none, end: (the stack ends here: the next frame is in instrumented code that whence's records do not describe (moved after the link by BOLT, {{.*}})
// AFTER-NEXT: report's caller(1): unknown
// AFTER-NEXT: hot{{.*}}(...) (instrumented code without records)
// AFTER-NEXT: bolt-moved.c:[[#WRITE:]]
// AFTER-NEXT: in_place(...)
// AFTER-NEXT: bolt-moved.c:[[#CALL]]
// AFTER-NEXT: main{{.*}}(...) (instrumented code without records)
// AFTER-NOT: _start
// AFTER: skip 1:
// AFTER-NEXT: (the stack ends here: the next frame is in instrumented code that whence's records do not describe (moved after the link by BOLT, {{.*}})
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>

__attribute__((noinline)) static void report(void) {
    whence_frame f;
    if (whence_caller(1, &f))
        printf("report's caller(1): %s %s:%d\n", f.function, f.file, f.line);
    else
        printf("report's caller(1): unknown\n");
    fflush(stdout);
}

__attribute__((noinline)) int hot(int x) {
    int s = 0;
    for (int i = 0; i < 1000; i++)
        s += (x * i) % 7;
    if (x == -1) {
        whence_frame f;
        if (whence_caller(0, &f))
            printf("caller(0): %s %s:%d\n", f.function, f.file, f.line);
        else
            printf("caller(0): unknown\n");
        uintptr_t pcs[16];
        int n = whence_callers(0, pcs, 16);
        whence_frames it;
        whence_frames_init(&it, pcs, n);
        while (whence_frames_next(&it, &f))
            printf("frame: %s %s:%d\n", f.function, f.file, f.line);
        printf("end: %s\n", whence_callers_end() ? whence_callers_end() : "(null)");
        n = whence_callers(1, pcs, 16);
        whence_frames_init(&it, pcs, n);
        if (n && whence_frames_next(&it, &f))
            printf("skip 1: %s %s:%d\n", f.function, f.file, f.line);
        else
            printf("skip 1: none, end: %s\n",
                   whence_callers_end() ? whence_callers_end() : "(null)");
        report();
        whence_write_stack(1, 0);
        printf("skip 1:\n");
        fflush(stdout);
        whence_write_stack(1, 1);
    }
    return s;
}

/* Never run in the training run: BOLT leaves it where it was. */
__attribute__((noinline)) int in_place(int x) {
    return hot(x) + 1;
}

int main(int argc, char **argv) {
    if (argc > 2 && !strcmp(argv[1], "prof")) {
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || whence_profile_start(fd, 1000))
            return 1;
        long t = 0;
        for (int64_t end = whence_nanotime() + 300000000; whence_nanotime() < end;)
            for (int i = 0; i < 100; i++)
                t += hot(i) + in_place(i);
        whence_profile_stop();
        close(fd);
        return t == 42;
    }
    int n = argc > 1 ? atoi(argv[1]) : 3000;
    long t = 0;
    for (int i = 0; i < n; i++)
        t += hot(i);
    if (argc > 2)
        t += in_place(-1);
    printf("%ld\n", t);
    return 0;
}
