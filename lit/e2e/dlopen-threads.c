// Libraries registering while other threads read: 4 threads hammer
// whence_callers / whence_frames / whence_func_for_pc over their own known
// call paths while the main thread dlopens 8 copies of an instrumented
// library one after another and calls through each (exe -> lib -> exe
// callback -> lib leaf).  Every answer is checked: the readers' frames never
// change, and each new library's frames have the right names and lines as
// soon as dlopen has returned.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t-dir && mkdir -p %t-dir
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %s %whence_libs -o %t-dir/libcopy0.so
// RUN: cp %t-dir/libcopy0.so %t-dir/libcopy1.so
// RUN: cp %t-dir/libcopy0.so %t-dir/libcopy2.so
// RUN: cp %t-dir/libcopy0.so %t-dir/libcopy3.so
// RUN: cp %t-dir/libcopy0.so %t-dir/libcopy4.so
// RUN: cp %t-dir/libcopy0.so %t-dir/libcopy5.so
// RUN: cp %t-dir/libcopy0.so %t-dir/libcopy6.so
// RUN: cp %t-dir/libcopy0.so %t-dir/libcopy7.so
// RUN: %clang -O2 -gline-tables-only -pthread -DMAIN %whence_cflags %s %whence_libs -o %t-dir/main
// RUN: %run %t-dir/main %t-dir | FileCheck %s
// CHECK: libs=8 lib_mismatches=0 reader_mismatches=0 reader_rounds_ok=1
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))
typedef void (*cb_t)(int);

#ifdef LIB
static volatile int lib_sink;
uintptr_t lib_pcs[16];
int lib_n;
int lib_leaf_line, lib_entry_line;

NOINLINE void lib_leaf(int x) {
    lib_leaf_line = __LINE__; lib_n = whence_callers(0, lib_pcs, 16);
    lib_sink = x;
}

void lib_entry(cb_t cb, int x) {
    lib_entry_line = __LINE__; cb(x + 1);
    lib_sink = x;
}
#endif

#ifdef MAIN
#include <dlfcn.h>
#include <pthread.h>

static volatile int sink;
static volatile int stop;
static volatile int started;
static void (*leaf_fp)(int);
static int cb_line, main_call_line;

// ---- readers ----
static long reader_mism, reader_rounds;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

NOINLINE static long reader_leaf(int *lines) {
    long bad = 0, rounds = 0;
    uintptr_t pcs[16];
    while (!stop || rounds < 1000) {
        lines[0] = __LINE__; int n = whence_callers(0, pcs, 16);
        whence_frames it;
        whence_frame f;
        static const char *const want[] = {"reader_leaf", "reader_mid", "reader_main"};
        int k = 0;
        whence_frames_init(&it, pcs, n);
        while (whence_frames_next(&it, &f)) {
            if (k >= 3 || strcmp(f.function, want[k]) != 0 || f.line != lines[k])
                bad++;
            k++;
        }
        if (k != 3)
            bad++;
        const whence_func *fn = whence_func_for_pc((uintptr_t)&reader_leaf);
        if (!fn || strcmp(whence_func_name(fn), "reader_leaf") != 0)
            bad++;
        if (++rounds == 100)
            __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
    }
    pthread_mutex_lock(&mu);
    reader_rounds += rounds;
    pthread_mutex_unlock(&mu);
    return bad;
}

NOINLINE static long reader_mid(int *lines) {
    lines[1] = __LINE__; long r = reader_leaf(lines);
    sink = (int)r;
    return r;
}

static void *reader_main(void *arg) {
    (void)arg;
    int lines[3];
    lines[2] = __LINE__; long bad = reader_mid(lines);
    pthread_mutex_lock(&mu);
    reader_mism += bad;
    pthread_mutex_unlock(&mu);
    return NULL;
}

// ---- the libraries ----
NOINLINE static void main_cb(int x) {
    cb_line = __LINE__; leaf_fp(x * 2);
    sink = x;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, reader_main, NULL);
    while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < 4) // readers are running
        ;
    int libs = 0, lib_mism = 0;
    for (int i = 0; i < 8; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/libcopy%d.so", argv[1], i);
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            printf("BAD dlopen %s: %s\n", path, dlerror());
            continue;
        }
        libs++;
        void (*entry)(cb_t, int) = (void (*)(cb_t, int))dlsym(h, "lib_entry");
        leaf_fp = (void (*)(int))dlsym(h, "lib_leaf");
        uintptr_t *pcs = dlsym(h, "lib_pcs");
        int *n = dlsym(h, "lib_n");
        int *leaf_line = dlsym(h, "lib_leaf_line"), *entry_line = dlsym(h, "lib_entry_line");
        main_call_line = __LINE__; entry(main_cb, i);
        const char *want[] = {"lib_leaf", "main_cb", "lib_entry", "main"};
        int wline[] = {*leaf_line, cb_line, *entry_line, main_call_line};
        whence_frames it;
        whence_frame f;
        int k = 0, bad = 0;
        whence_frames_init(&it, pcs, *n);
        while (whence_frames_next(&it, &f)) {
            if (k >= 4 || strcmp(f.function, want[k]) != 0 || f.line != wline[k]) {
                printf("BAD lib %d frame %d: %s:%d\n", i, k, f.function, f.line);
                bad++;
            }
            k++;
        }
        if (k != 4)
            bad++;
        const whence_func *fe = whence_func_for_pc((uintptr_t)entry);
        if (!fe || strcmp(whence_func_name(fe), "lib_entry") != 0 ||
            whence_func_entry(fe) != (uintptr_t)entry)
            bad++;
        lib_mism += bad != 0;
    }
    stop = 1;
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    printf("libs=%d lib_mismatches=%d reader_mismatches=%ld reader_rounds_ok=%d\n", libs, lib_mism,
           reader_mism, reader_rounds >= 4000);
    return 0;
}
#endif
