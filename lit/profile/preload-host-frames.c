// A malloc hook built with the plugin, preloaded into a program built
// without it (a heap profiler's shape), under WHENCE_CPUPROFILE: a sample
// in the hook keeps the program's own frames below it (leaf, level2,
// level1, main: frame pointers and unwind tables), and only the start code
// at the bottom (__libc_start_call_main, __libc_start_main, _start) is
// cut.  Every such sample ended at the hook's outermost frame, as if the
// program's frames were start code (helper, heap-profiler processes).
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && split-file %s %t
// RUN: %clang -O1 -g -fno-omit-frame-pointer %t/host.c -o %t/host
// RUN: %clang -O2 -gline-tables-only -fPIC -shared %whence_cflags %t/hook.c %whence_libs -o %t/libhook.so
// RUN: env LD_PRELOAD=%t/libhook.so WHENCE_CPUPROFILE=%t/p.pb.gz WHENCE_CPUPROFILE_HZ=1000 %run %t/host | FileCheck %s --check-prefix=OUT
// RUN: %pprof -traces -symbolize=none %t/p.pb.gz > %t/p.traces
// RUN: python3 %t/check.py %t/p.traces | FileCheck %s
// OUT: host done
// CHECK: hook samples: {{[1-9][0-9]*}}
// CHECK-NEXT: main below all but the start-up's and exit's (at most 2): yes
// CHECK-NEXT: with start code: 0

//--- host.c
#include <stdio.h>
#include <stdlib.h>
__attribute__((noinline)) void *leaf(size_t n) { return malloc(n); }
__attribute__((noinline)) void level2(int k) {
    for (int i = 0; i < k; i++)
        free(leaf(16 + (i & 63)));
}
__attribute__((noinline)) void level1(int k) { level2(k); }
int main(void) {
    for (int r = 0; r < 100; r++)
        level1(20000);
    puts("host done");
    return 0;
}

//--- hook.c
#include <stddef.h>
extern void *__libc_malloc(size_t);
static volatile unsigned long sink;
__attribute__((noinline)) static void hook_work(size_t n) {
    for (size_t i = 0; i < 200 + n; i++)
        sink += i;
}
void *malloc(size_t n) {
    hook_work(n);
    return __libc_malloc(n);
}

//--- check.py
import sys
traces = sys.stdin.read() if sys.argv[1] == "-" else open(sys.argv[1]).read()
hook = nomain = start = 0
for t in traces.split("-----------+"):
    if "hook_work" not in t:
        continue
    hook += 1
    if not any(" main" in l or l.strip().endswith("main") for l in t.splitlines()):
        nomain += 1
    if "_start" in t or "__libc_start" in t:
        start += 1
print("hook samples:", hook)
# (an allocation before main or after it returned may be sampled too)
print("main below all but the start-up's and exit's (at most 2):",
      "yes" if nomain <= 2 and nomain < hook else "no (%d of %d)" % (nomain, hook))
print("with start code:", start)
