// Any number of images over a process's life, and thousands at once: 1,100
// distinct DSOs (copies of one module whose records differ by a name, so no
// two are the same image) opened, used and closed in turn, then 3,000 of
// them loaded together, each naming its own function with its own name and
// its caller's line; closed images are forgotten (their pcs unknown) and the
// registry's memory follows what is loaded, not what ever was (dead slots
// are reused).  (A registry of 1,024 fixed slots said "registry is full" at
// the 1,025th image.)
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DMOD %whence_cflags %s %whence_libs -o %t/mod.so
// RUN: %clang -O2 -gline-tables-only -DHOST %whence_cflags %s %whence_libs -o %t/host
// RUN: python3 %S/Inputs/copy-renamed.py %t/mod.so %t/m 3000 mod_fn_AAAA
// RUN: %t/host %t 1100 3000 2>&1 | FileCheck %s --implicit-check-not=whence: --implicit-check-not=BAD
// CHECK: cycles=1100 ok=1100
// CHECK-NEXT: closed-forgotten=1100
// CHECK-NEXT: at-once=3000 ok=3000
// CHECK-NEXT: memory: ok=1
#include <stdio.h>
#include <string.h>
#include <whence.h>

#ifdef MOD
/* The copies rename this function (the same length: the symbol table and
 * whence's string pool); static, so the dynamic linker never looks it up. */
__attribute__((noinline)) static const char *mod_fn_AAAA(int *line) {
    whence_frame f;
    whence_caller(0, &f); /* this very function, at this line */
    *line = f.line;
    return whence_func_name(whence_func_for_pc((uintptr_t)&mod_fn_AAAA));
}
const char *mod_run(int *line) { return mod_fn_AAAA(line); }
const void *mod_addr(void) { return (const void *)&mod_fn_AAAA; }
#endif

#ifdef HOST
#include <dlfcn.h>
#include <stdlib.h>

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char l[256];
    long v = -1;
    while (f && fgets(l, sizeof l, f))
        if (sscanf(l, "VmRSS: %ld kB", &v) == 1)
            break;
    if (f)
        fclose(f);
    return v;
}

static int ncopies; /* files m0.so .. there are: cycles go round them */

/* Opens copy i, checks that it names itself; returns the handle. */
static void *use(const char *dir, int i, int *ok) {
    char path[512], want[32];
    i %= ncopies;
    snprintf(path, sizeof path, "%s/m%d.so", dir, i);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        printf("BAD dlopen %s: %s\n", path, dlerror());
        return NULL;
    }
    const char *(*fn)(int *) = NULL;
    *(void **)&fn = dlsym(h, "mod_run");
    int line = 0;
    const char *name = fn ? fn(&line) : "(no symbol)";
    snprintf(want, sizeof want, "mod_fn_%c%c%c%c", 'A' + i / 17576 % 26, 'A' + i / 676 % 26,
             'A' + i / 26 % 26, 'A' + i % 26);
    if (strcmp(name, want) || line != 28)
        printf("BAD copy %d named %s line %d, want %s line 28\n", i, name, line, want);
    else
        (*ok)++;
    return h;
}

int main(int argc, char **argv) {
    const char *dir = argv[1];
    int cycles = atoi(argv[2]), at_once = atoi(argv[3]), ok = 0, forgotten = 0;
    ncopies = at_once;
    long rss100 = 0;
    for (int i = 0; i < cycles; i++) {
        void *h = use(dir, i, &ok);
        if (!h)
            continue;
        const void *(*addr)(void);
        *(void **)&addr = dlsym(h, "mod_addr");
        uintptr_t a = (uintptr_t)addr();
        dlclose(h);
        forgotten += whence_func_for_pc(a) == NULL;
        if (i == 100)
            rss100 = rss_kib();
    }
    long rss_end = rss_kib();
    printf("cycles=%d ok=%d\nclosed-forgotten=%d\n", cycles, ok, forgotten);
    void **hs = calloc((size_t)at_once, sizeof *hs);
    ok = 0;
    for (int i = 0; i < at_once; i++)
        hs[i] = use(dir, i, &ok);
    printf("at-once=%d ok=%d\n", at_once, ok);
    for (int i = 0; i < at_once; i++)
        if (hs[i])
            dlclose(hs[i]);
    /* 1,000 loads more after cycle 100: no growth beyond noise. */
    printf("memory: ok=%d (%ld -> %ld KiB)\n", rss_end - rss100 < 1024, rss100, rss_end);
    return 0;
}
#endif
