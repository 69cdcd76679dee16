// A heap profiler's malloc hook, built with the plugin and preloaded into a
// program that has nothing of whence (LD_PRELOAD): every allocation asks
// whence_callers, from the first one the dynamic linker makes on.  Those
// made inside libwhence's own constructors (a failing dlsym, the setenv of
// WHENCE_CPUPROFILE) came before the hook's image registered, and whence
// said "no code built with the whence plugin is loaded ... compile with
// ...", of a library built with it.  It says nothing now, and the hook's
// own frames are named once its image registered.  Nor when the program's
// own libraries' constructors allocate (libselinux's in /bin/ls): the
// loader runs them before the preloaded hook's, whose image has not
// registered yet; whence now finds its records in the hook's file and
// says nothing.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags -fPIC -shared -DHOOK %s %whence_libs -o %t/libhook.so
// RUN: %clang -O1 %s -o %t/host
// RUN: env LD_PRELOAD=%t/libhook.so %run %t/host 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%t/libhook.so WHENCE_CPUPROFILE=%t/cpu.prof %run %t/host 2>&1 | FileCheck %s
// RUN: %clang -O1 -fPIC -shared -DPLAIN %s -o %t/libplain.so
// RUN: %clang -O1 -DLINKED %s -L%t -lplain -Wl,-rpath,%t -o %t/host2
// RUN: env LD_PRELOAD=%t/libhook.so %run %t/host2 2>&1 | FileCheck %s
// CHECK-NOT: whence:
// CHECK: host ran
// CHECK-NOT: whence:
// CHECK: hook: named record at preload-malloc-hook.c:[[#@LINE+22]]
// CHECK-NOT: whence:
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HOOK
#include <whence.h>
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static _Thread_local int busy;
static uintptr_t last[8];
static int nlast;

/* (noinline: the frame the hook's own captures name) */
__attribute__((noinline)) static void record(void) {
    uintptr_t pcs[8];
    if (busy)
        return;
    busy = 1;
    int n = whence_callers(0, pcs, 8);
    if (n > 0) {
        memcpy(last, pcs, (size_t)n * sizeof pcs[0]);
        nlast = n;
    }
    busy = 0;
}

void *malloc(size_t n) {
    record();
    return __libc_malloc(n);
}
void *calloc(size_t a, size_t b) {
    record();
    return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
    record();
    return __libc_realloc(p, n);
}

__attribute__((destructor)) static void report(void) {
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, last, nlast);
    if (whence_frames_next(&it, &f)) {
        const char *b = strrchr(f.file, '/');
        fprintf(stderr, "hook: named %s at %s:%d\n", f.function, b ? b + 1 : f.file, f.line);
    } else {
        fprintf(stderr, "hook: nothing named\n");
    }
}
#elif defined(PLAIN)
/* a library whose constructor allocates, as libselinux's does */
void *plain_kept;
__attribute__((constructor)) static void plain_init(void) { plain_kept = malloc(64); }
#else
#ifdef LINKED
extern void *plain_kept;
#endif
int main(void) {
#ifdef LINKED
    free(plain_kept);
#endif
    char *p = malloc(100);
    p = realloc(p, 200);
    free(p);
    puts("host ran");
    fflush(stdout);
    return 0;
}
#endif
