// A library destructor at exit (a leak or profile report) names frames of the
// main program: its image stays registered while the process exits, although
// the main program's module destructor runs before the libraries'.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t-dir && mkdir -p %t-dir
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %s %whence_libs -o %t-dir/libexr.so
// RUN: %clang -O2 -gline-tables-only -DMAIN %whence_cflags %s -L%t-dir -lexr -Wl,-rpath,%t-dir %whence_libs -o %t-dir/main
// RUN: %run %t-dir/main | FileCheck %s
#include <whence.h>
#include <stdio.h>
#include <string.h>

#ifdef LIB
static uintptr_t pcs[4];
static int n;
void remember(void) { n = whence_callers(1, pcs, 4); }
static void show(const char *tag) {
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    if (whence_frames_next(&it, &f)) {
        const char *b = strrchr(f.file, '/');
        printf("%s: %s at %s:%d\n", tag, f.function, b ? b + 1 : f.file, f.line);
    }
}
void report_now(void) { show("from main"); }
__attribute__((destructor)) static void at_exit_report(void) { show("library destructor"); }
#endif

#ifdef MAIN
void remember(void);
void report_now(void);
int main(void) {
    remember(); // CHECK: from main: main at exit-destructor.c:[[#@LINE]]
    report_now();
    return 0;
}
// CHECK-NEXT: library destructor: main at exit-destructor.c:[[#@LINE-4]]
#endif
