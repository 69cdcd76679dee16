// dlclose / dlopen of instrumented plugins 1,100 times while 3 other
// threads look up pcs without pause: no crash, no stale answer, no growth.
//  * Two different plugins (libcycA.so, libcycB.so: other function names,
//    other code layout) are loaded in turn, so each usually lands where the
//    other just was: a stale index or cache would name the other plugin's
//    function.  Each cycle: dlopen, call exe -> plug_entry -> exe_cb ->
//    plug_leaf (both ways across the boundary), check every frame (names and
//    lines), publish the plugin's pcs to the readers, let them look, take
//    them back, dlclose, and check that the closed plugin's pcs are unknown.
//  * Reader 0 walks its own stack in the program and resolves the program's
//    functions; readers 1 and 2 resolve the published plugin pcs (entries,
//    mid-function pcs, the captured return addresses with their lines) and
//    expand the captured stack, only while the plugin is published (a
//    writer-preferring rwlock: no reader ever looks up a closed plugin);
//    both check every load of a plugin before it is closed.
//  * Memory: VmSize and VmRSS after cycle 100 and at the end differ by at
//    most 512 KiB (a new registry slot and index per load would be 1,000
//    indexes; 1,100 loads would also overflow the 1,024 slots, which
//    prints "registry is full" and fails --implicit-check-not=whence:).
// Variants: libwhence.so everywhere; static libwhence.a in the program with
// -rdynamic, plugins not linked against libwhence.
// REQUIRES: x86_64-linux || aarch64-linux
// DEFINE: %{cc} = %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: %{cc} -fPIC -shared -DPLUG -DPLUG_A %whence_libs -o %t/libcycA.so
// RUN: %{cc} -fPIC -shared -DPLUG -DPLUG_B %whence_libs -o %t/libcycB.so
// RUN: %{cc} -pthread -DMAIN %emulated_cflags %whence_libs -o %t/main
// RUN: %run %t/main %t/libcycA.so %t/libcycB.so 2>&1 | FileCheck %s --implicit-check-not=BAD --implicit-check-not=whence:
// RUN: %{cc} -fPIC -shared -DPLUG -DPLUG_A -o %t/libcycA-nolib.so
// RUN: %{cc} -fPIC -shared -DPLUG -DPLUG_B -o %t/libcycB-nolib.so
// RUN: %{cc} -pthread -DMAIN %emulated_cflags -rdynamic -Wl,--whole-archive %whence_static -Wl,--no-whole-archive -ldl -o %t/main-static
// RUN: %run %t/main-static %t/libcycA-nolib.so %t/libcycB-nolib.so 2>&1 | FileCheck %s --implicit-check-not=BAD --implicit-check-not=whence:
//
// The first cycle of each plugin, frame by frame:
// CHECK:      A frame 0 fn=plugA_leaf file=dlopen-cycle.c line=[[#LEAF:]] inl=0
// CHECK-NEXT: A frame 1 fn=exe_cb file=dlopen-cycle.c line=[[#CB:]] inl=0
// CHECK-NEXT: A frame 2 fn=plugA_entry file=dlopen-cycle.c line=[[#ENTRY:]] inl=0
// CHECK-NEXT: A frame 3 fn=cycle file=dlopen-cycle.c line=[[#CYCLE:]] inl=0
// CHECK-NEXT: A frame 4 fn=main file=dlopen-cycle.c line=[[#MAIN:]] inl=0
// CHECK-NEXT: B frame 0 fn=plugB_leaf file=dlopen-cycle.c line=[[#LEAF]] inl=0
// CHECK-NEXT: B frame 1 fn=exe_cb file=dlopen-cycle.c line=[[#CB]] inl=0
// CHECK-NEXT: B frame 2 fn=plugB_entry file=dlopen-cycle.c line=[[#ENTRY]] inl=0
// CHECK-NEXT: B frame 3 fn=cycle file=dlopen-cycle.c line=[[#CYCLE]] inl=0
// CHECK-NEXT: B frame 4 fn=main file=dlopen-cycle.c line=[[#MAIN]] inl=0
// CHECK:      cycles=1100 bad_cycles=0 stale_after_close=0
// CHECK-NEXT: readers: program_bad=0 plugin_bad=0 program_rounds_ok=1 plugin_lookups_ok=1
// CHECK-NEXT: memory: ok=1
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))
typedef void (*cb_t)(int);

#ifdef PLUG
#ifdef PLUG_A
#define P(name) plugA_##name
#else
#define P(name) plugB_##name
// Other code before the functions: B's functions sit at other offsets.
static volatile int pad_sink;
NOINLINE void plugB_pad1(int x) { pad_sink = x * 3; pad_sink += x; pad_sink ^= 7; }
NOINLINE void plugB_pad2(int x) { plugB_pad1(x); plugB_pad1(x + 1); pad_sink = x; }
#endif
static volatile int plug_sink;
uintptr_t plug_pcs[16];
int plug_n;

NOINLINE void P(leaf)(int x) {
    plug_n = whence_callers(0, plug_pcs, 16);
    // CHECK: recap leaf line=[[#LEAF]] call=[[@LINE-1]]{{$}}
    plug_sink = x;
}

void P(entry)(cb_t cb, int x) {
    cb(x + 1);
    // CHECK-NEXT: recap entry line=[[#ENTRY]] call=[[@LINE-1]]{{$}}
    plug_sink = x;
}
#endif

#ifdef MAIN
#include "whence_emulated.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define CYCLES 1100
int main(int argc, char **argv);
static volatile int sink;
static cb_t leaf_fp;

// ---- what the main thread publishes about the loaded plugin -------------
struct pub {
    bool live;
    const char *names[2];       // entry, leaf
    uintptr_t fns[2];           // their entries
    uintptr_t mids[2];          // a pc inside each
    uintptr_t pcs[16];          // the stack captured in plug_leaf
    int n;
    const char *frame_fn[8];    // its expected frames
    int frame_line[8];
};
static struct pub pub;
static int pub_gen, pub_seen; // publication number, readers done with it
static pthread_rwlock_t pub_lock;
static volatile int stop;
static long program_bad, plugin_bad, program_rounds, plugin_lookups;
static pthread_mutex_t count_mu = PTHREAD_MUTEX_INITIALIZER;

// Readers pause now and then: 3 busy readers on 2 cores would starve the
// main thread's dlopen/dlclose.
static void nap(void) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
}

// ---- reader 0: the program's own pcs -------------------------------------
static int r_lines[3];
NOINLINE static long reader_leaf(void) {
    long bad = 0, rounds = 0;
    uintptr_t pcs[16];
    static const char *const want[] = {"reader_leaf", "reader_mid", "reader_main"};
    while (!stop) {
        r_lines[0] = __LINE__; int n = whence_callers(0, pcs, 16);
        whence_frames it;
        whence_frame f;
        int k = 0;
        whence_frames_init(&it, pcs, n);
        while (whence_frames_next(&it, &f)) {
            if (k >= 3 || strcmp(f.function, want[k]) != 0 || f.line != r_lines[k])
                bad++;
            k++;
        }
        bad += k != 3;
        const whence_func *fn = whence_func_for_pc((uintptr_t)&reader_leaf);
        bad += !fn || strcmp(whence_func_name(fn), "reader_leaf") != 0;
        fn = whence_func_for_pc((uintptr_t)&main);
        bad += !fn || strcmp(whence_func_name(fn), "main") != 0;
        if ((++rounds & 7) == 0)
            nap();
    }
    pthread_mutex_lock(&count_mu);
    program_rounds += rounds;
    pthread_mutex_unlock(&count_mu);
    return bad;
}
NOINLINE static long reader_mid(void) {
    r_lines[1] = __LINE__; long r = reader_leaf();
    sink = (int)r;
    return r;
}
static void *reader_main(void *arg) {
    (void)arg;
    r_lines[2] = __LINE__; long bad = reader_mid();
    __atomic_add_fetch(&program_bad, bad, __ATOMIC_SEQ_CST);
    return NULL;
}

// ---- readers 1, 2: the plugin's pcs, while it is published ----------------
static void *plugin_reader(void *arg) {
    (void)arg;
    long bad = 0, lookups = 0;
    int gen = 0;
    while (!stop) {
        pthread_rwlock_rdlock(&pub_lock);
        if (pub.live) {
            for (int i = 0; i < 2; i++) {
                const whence_func *f = whence_func_for_pc(pub.fns[i]);
                bad += !f || strcmp(whence_func_name(f), pub.names[i]) != 0 ||
                       whence_func_entry(f) != pub.fns[i];
                f = whence_func_for_pc(pub.mids[i]);
                bad += !f || strcmp(whence_func_name(f), pub.names[i]) != 0;
            }
            // Return addresses: the function and the line of the call.
            for (int i = 0; i < pub.n; i++) {
                const whence_func *f = whence_func_for_pc(pub.pcs[i]);
                const char *file = NULL;
                bad += !f || strcmp(whence_func_name(f), pub.frame_fn[i]) != 0 ||
                       whence_func_line(f, pub.pcs[i] - 1, &file) != pub.frame_line[i];
            }
            whence_frames it;
            whence_frame fr;
            int k = 0;
            whence_frames_init(&it, pub.pcs, pub.n);
            while (whence_frames_next(&it, &fr)) {
                bad += k >= 8 || strcmp(fr.function, pub.frame_fn[k]) != 0 ||
                       fr.line != pub.frame_line[k];
                k++;
            }
            bad += k != pub.n;
            lookups++;
            if (gen != pub_gen) {
                gen = pub_gen;
                __atomic_add_fetch(&pub_seen, 1, __ATOMIC_SEQ_CST);
            }
        }
        pthread_rwlock_unlock(&pub_lock);
        if ((lookups & 7) == 0)
            nap();
    }
    __atomic_add_fetch(&plugin_bad, bad, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&plugin_lookups, lookups, __ATOMIC_SEQ_CST);
    return NULL;
}

// ---- the cycles ---------------------------------------------------------------
static int cb_line, cycle_line, main_line;
NOINLINE static void exe_cb(int x) {
    cb_line = __LINE__; leaf_fp(x * 2);
    // CHECK-NEXT: recap exe_cb line=[[#CB]] call=[[@LINE-1]]{{$}}
    sink = x;
}

// Loads lib, checks one crossing, publishes it, unpublishes and closes it.
// Returns the number of wrong answers; *first prints the frames.
static int first_lines[2][5];
NOINLINE static int cycle(const char *path, int which, bool print, uintptr_t *where) {
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        printf("BAD dlopen %s: %s\n", path, dlerror());
        return 1;
    }
    const char *ename = which ? "plugB_entry" : "plugA_entry";
    const char *lname = which ? "plugB_leaf" : "plugA_leaf";
    void (*entry)(cb_t, int) = (void (*)(cb_t, int))dlsym(h, ename);
    leaf_fp = (cb_t)dlsym(h, lname);
    uintptr_t *pcs = dlsym(h, "plug_pcs");
    int *n = dlsym(h, "plug_n");
    *where = (uintptr_t)entry;
    cycle_line = __LINE__; entry(exe_cb, which);
    // CHECK-NEXT: recap cycle line=[[#CYCLE]] call=[[@LINE-1]]{{$}}
    const char *want[5] = {lname, "exe_cb", ename, "cycle", "main"};
    int bad = 0, k = 0;
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, *n);
    while (whence_frames_next(&it, &f)) {
        if (print)
            printf("%c frame %d fn=%s file=dlopen-cycle.c line=%d inl=%d\n", 'A' + which, k,
                   f.function, f.line, (int)f.inlined);
        if (k < 5 && print)
            first_lines[which][k] = f.line;
        if (k >= 5 || strcmp(f.function, want[k]) != 0 || f.line != first_lines[which][k] ||
            f.inlined)
            bad++;
        k++;
    }
    bad += k != 5 || *n != 5;
    // Publish.
    pthread_rwlock_wrlock(&pub_lock);
    pub.names[0] = ename;
    pub.names[1] = lname;
    pub.fns[0] = (uintptr_t)entry;
    pub.fns[1] = (uintptr_t)leaf_fp;
    pub.mids[0] = (uintptr_t)entry + 3;
    pub.mids[1] = (uintptr_t)leaf_fp + 5;
    memcpy(pub.pcs, pcs, sizeof pub.pcs);
    pub.n = *n;
    for (int i = 0; i < 5; i++) {
        pub.frame_fn[i] = want[i];
        pub.frame_line[i] = first_lines[which][i];
    }
    pub.live = true;
    pub_gen++;
    __atomic_store_n(&pub_seen, 0, __ATOMIC_SEQ_CST);
    pthread_rwlock_unlock(&pub_lock);
    // Both plugin readers check this load before it goes away.
    while (__atomic_load_n(&pub_seen, __ATOMIC_SEQ_CST) < 2)
        sched_yield();
    pthread_rwlock_wrlock(&pub_lock);
    pub.live = false;
    pthread_rwlock_unlock(&pub_lock);
    uintptr_t pe = (uintptr_t)entry, pl = (uintptr_t)leaf_fp, ra = pcs[0];
    if (dlclose(h) != 0) {
        printf("BAD dlclose: %s\n", dlerror());
        bad++;
    }
    // Closed: its pcs are unknown (nothing else is instrumented there).
    if (whence_func_for_pc(pe) || whence_func_for_pc(pl) || whence_func_for_pc(ra))
        bad += 1000;
    return bad;
}

static void statm(long *size, long *rss) {
#if WHENCE_EMULATED
    // qemu-user: /proc/self/statm is qemu's own (its translation cache
    // grows with each dlopen's new code, VmRSS +11 MiB without whence);
    // its /proc/self/maps is the program's.  whence allocates only with
    // mmap (runtime/mem.c): the program's mappings are its VmSize, and
    // its VmRSS cannot be seen.
    long total = emulated_mapped_bytes();
    *size = *rss = (total < 0 ? 0 : total) / sysconf(_SC_PAGESIZE);
#else
    FILE *f = fopen("/proc/self/statm", "r");
    *size = *rss = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", size, rss) != 2)
            *size = *rss = 0;
        fclose(f);
    }
#endif
}

int main(int argc, char **argv) {
    if (argc < 3)
        return 2;
    pthread_rwlockattr_t ra;
    pthread_rwlockattr_init(&ra);
    pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&pub_lock, &ra);
    pthread_t th[3];
    pthread_create(&th[0], NULL, reader_main, NULL);
    pthread_create(&th[1], NULL, plugin_reader, NULL);
    pthread_create(&th[2], NULL, plugin_reader, NULL);
    int bad_cycles = 0, stale = 0, same = 1;
    long size0 = 0, rss0 = 0, size1, rss1, page = sysconf(_SC_PAGESIZE);
    uintptr_t where[2] = {0, 0};
    for (int i = 0; i < CYCLES; i++) {
        int which = i & 1;
        uintptr_t at;
        main_line = __LINE__; int bad = cycle(argv[1 + which], which, i < 2, &at);
        // CHECK-NEXT: recap main line=[[#MAIN]] call=[[@LINE-1]]{{$}}
        if (i >= 2 && where[which] != at)
            same = 0;
        where[which] = at;
        stale += bad >= 1000;
        bad_cycles += bad != 0;
        if (bad && bad_cycles <= 3)
            printf("BAD cycle %d: %d\n", i, bad);
        if (i == 99)
            statm(&size0, &rss0);
    }
    statm(&size1, &rss1);
    stop = 1;
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    printf("cycles=%d bad_cycles=%d stale_after_close=%d\n", CYCLES, bad_cycles, stale);
    printf("readers: program_bad=%ld plugin_bad=%ld program_rounds_ok=%d plugin_lookups_ok=%d\n",
           program_bad, plugin_bad, program_rounds >= 1000, plugin_lookups >= 2 * CYCLES);
    long dsize = (size1 - size0) * page / 1024, drss = (rss1 - rss0) * page / 1024;
    printf("memory: ok=%d\n", dsize <= 512 && drss <= 512);
    fprintf(stderr, "memory after cycle 100 -> end: VmSize %+ld KiB, VmRSS %+ld KiB; "
                    "reader lookups %ld; program rounds %ld; "
                    "each plugin always at one address: %d\n",
            dsize, drss, plugin_lookups, program_rounds, same);
    // Recaps, in source order (the program's own lines are __LINE__ on the
    // line of each call).
    printf("recap leaf line=%d call=%d\n", first_lines[0][0], first_lines[0][0]);
    printf("recap entry line=%d call=%d\n", first_lines[0][2], first_lines[0][2]);
    printf("recap exe_cb line=%d call=%d\n", first_lines[0][1], cb_line);
    printf("recap cycle line=%d call=%d\n", first_lines[0][3], cycle_line);
    printf("recap main line=%d call=%d\n", first_lines[0][4], main_line);
    return 0;
}
#endif
