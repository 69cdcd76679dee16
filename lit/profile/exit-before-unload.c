// WHENCE_CPUPROFILE writes its file at exit before any image is unloaded:
// a library loaded with dlopen and never closed (PostgreSQL's plpgsql.so,
// its extensions) is unloaded by the loader's destructor pass at exit, and
// each instrumented one named the samples so far first, under the
// profile: 110-140 ms per PostgreSQL backend reading the program's line
// table at exit, 27-85% of its profile, as pthread_sigmask (helper-112).
// The library's destructor finds the file already written (the
// program's constructor registers the writer again, after the C
// library's start registered the loader's pass), and an exit handler the
// program registered before the dlopen still runs before the writer: its
// time is in the profile (a library's constructor registering the writer
// again left it out: helper-117).
// One source: -DLIB builds the library.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %s %whence_libs -o %t/liblate.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -ldl -o %t/main
// RUN: env WHENCE_CPUPROFILE=%t/p.pb.gz %run %t/main %t/liblate.so %t/p.pb.gz | FileCheck %s
// CHECK: worked
// CHECK-NEXT: exit handler: profile written: no
// CHECK-NEXT: library destructor: profile written: yes
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#ifdef LIB
const char *profile_path;

__attribute__((noinline)) double late_work(long n) {
    double s = 0;
    for (long i = 1; i < n; i++)
        s += 1.0 / (double)i;
    return s;
}

__attribute__((destructor)) static void at_unload(void) {
    struct stat st;
    printf("library destructor: profile written: %s\n",
           profile_path && stat(profile_path, &st) == 0 && st.st_size > 0 ? "yes" : "no");
    fflush(stdout);
}
#else
static const char *path;

static void at_exit(void) {
    struct stat st;
    printf("exit handler: profile written: %s\n",
           stat(path, &st) == 0 && st.st_size > 0 ? "yes" : "no");
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc < 3)
        return 2;
    path = argv[2];
    atexit(at_exit); /* (before the dlopen) */
    void *h = dlopen(argv[1], RTLD_NOW);
    if (!h) {
        printf("error: %s\n", dlerror());
        return 1;
    }
    *(const char **)dlsym(h, "profile_path") = argv[2];
    double (*work)(long) = (double (*)(long))dlsym(h, "late_work");
    printf("%s\n", work(20000000) > 0 ? "worked" : "?");
    fflush(stdout);
    return 0; /* (never closed: unloaded at exit) */
}
#endif
