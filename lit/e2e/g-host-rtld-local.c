// Two -g modules (frame slots) loaded RTLD_LOCAL into a host that does not
// link libwhence -- what Python's ctypes and plugin hosts do -- and then
// hundreds of copies of one module: every frame of every module has its
// exact call line.  Nothing of whence's frame slots is process-wide (no
// thread-local list head that the first RTLD_LOCAL module and the second
// would each bind on their own, no static TLS that runs out after ~200
// modules).
// One source: -DMOD builds a module (named by -DNAME), -DHOST the host.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t-dir && mkdir -p %t-dir
// RUN: %clang -O2 -g -fPIC -shared -DMOD -DNAME=one %whence_cflags %s %whence_libs -o %t-dir/one.so
// RUN: %clang -O2 -g -fPIC -shared -DMOD -DNAME=two %whence_cflags %s %whence_libs -o %t-dir/two.so
// RUN: %clang -O2 -g -DHOST %s -ldl -o %t-dir/host
// RUN: %t-dir/host %t-dir/one.so %t-dir/two.so | FileCheck %s
// 400 copies of one module, each a distinct image in the process:
// RUN: python3 -c 'import shutil, sys; [shutil.copy(sys.argv[1], "%%s/copy%%d.so" %% (sys.argv[2], i)) for i in range(400)]' %t-dir/one.so %t-dir
// RUN: %t-dir/host %t-dir/copy*.so | FileCheck %s --check-prefix=MANY
// RUN: python3 -u -c 'import ctypes, sys; [print(ctypes.CDLL(p).run(0)) for p in sys.argv[1:]]' %t-dir/one.so %t-dir/two.so | FileCheck %s --check-prefix=PY
//
// CHECK: one: ok
// CHECK: two: ok
// CHECK: modules=2 ok=2
// MANY: modules=400 ok=400
// PY: one: ok
// PY: 0
// PY: two: ok
// PY: 0
#include <stdio.h>
#include <string.h>

#ifdef MOD
#include <whence.h>
#define STR_(x) #x
#define STR(x) STR_(x)

static volatile int sink;

/* Checks frames 1 and 2 of its caller against the lines given. */
__attribute__((noinline)) int check(int l1, int l2) {
    whence_frame a, b;
    int ok = whence_caller(1, &a) && whence_caller(2, &b) && !strcmp(a.function, "middle") &&
             a.line == l1 && !strcmp(b.function, "run") && b.line == l2;
    if (!ok)
        printf(STR(NAME) ": %s:%d %s:%d, want middle:%d run:%d\n", a.function, a.line,
               b.function, b.line, l1, l2);
    return ok;
}

__attribute__((noinline)) int middle(int l2) {
    int ok = check(__LINE__, l2);
    sink = ok;
    return ok;
}

int run(int quiet) {
    int ok = middle(__LINE__);
    sink = ok;
    if (!quiet)
        printf(STR(NAME) ": %s\n", ok ? "ok" : "WRONG");
    fflush(stdout); /* the Python host prints too */
    return !ok;
}
#endif

#ifdef HOST
#include <dlfcn.h>
int main(int argc, char **argv) {
    int ok = 0;
    for (int i = 1; i < argc; i++) {
        void *h = dlopen(argv[i], RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            printf("dlopen %s: %s\n", argv[i], dlerror());
            continue;
        }
        int (*run)(int) = (int (*)(int))dlsym(h, "run");
        ok += run && run(argc > 3) == 0;
    }
    printf("modules=%d ok=%d\n", argc - 1, ok);
    return ok != argc - 1;
}
#endif
