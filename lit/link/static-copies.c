// Three shared objects, each linked with its own copy of the static
// libwhence.a, loaded RTLD_LOCAL into a host that links no whence (what a
// Python process does with C extensions that vendor the runtime): each copy
// has its own registry, and before peers.c each named only its own
// object's frames, so a walk from one object through another stopped at
// the first frame of the other.  Now a registration at one copy is passed
// on to the others (and a copy loaded later takes theirs), so each copy
// names every frame, with its line; after a dlclose no copy names the
// closed object's code, and a reloaded object's new copy sees the others.
// -O2 -gline-tables-only (call labels) and -O2 -g (frame slots).
// One source: -DMOD -DNAME=x builds a module, -DHOST the host.
// REQUIRES: x86_64-linux
// DEFINE: %{mod} = %clang -O2 -fPIC -shared -DMOD %whence_cflags %s %whence_static -lpthread -ldl
// RUN: rm -rf %t && mkdir -p %t/l %t/g
// RUN: %{mod} -gline-tables-only -DNAME=one -o %t/l/one.so
// RUN: %{mod} -gline-tables-only -DNAME=two -o %t/l/two.so
// RUN: %{mod} -gline-tables-only -DNAME=three -o %t/l/three.so
// RUN: %clang -O2 -DHOST %s -ldl -o %t/host
// RUN: %t/host %t/l/one.so %t/l/two.so %t/l/three.so 2>&1 | FileCheck %s --implicit-check-not=WRONG --implicit-check-not=whence:
// RUN: %{mod} -g -DNAME=one -o %t/g/one.so
// RUN: %{mod} -g -DNAME=two -o %t/g/two.so
// RUN: %{mod} -g -DNAME=three -o %t/g/three.so
// RUN: %t/host %t/g/one.so %t/g/two.so %t/g/three.so 2>&1 | FileCheck %s --implicit-check-not=WRONG --implicit-check-not=whence:
// A fork's child exits while a thread of the parent was inside
// dl_iterate_phdr (the C++ unwinder, backtrace(), a profiler): its copies
// pass their unregistrations on without the dynamic linker's lock, which
// no thread of the child will release (196 of 200 children hung before):
// RUN: %t/host %t/l/one.so %t/l/two.so %t/l/three.so fork 2>&1 | FileCheck %s --check-prefix=FORK
// An object with libwhence.a and no records of its own (it only asks),
// loaded after the others, names them (it took nothing before):
// RUN: %clang -O2 -fPIC -shared -DHELPER -I%whence_incdir %s %whence_static -lpthread -ldl -o %t/helper.so
// RUN: %t/host %t/l/one.so %t/l/two.so %t/l/three.so helper=%t/helper.so 2>&1 | FileCheck %s --check-prefix=HELPER
// Objects linked -Bsymbolic-functions (their hooks bind to their own copy)
// in a program with libwhence.so, which exports __whence_peer too: the
// objects' copies took the program's copy for their own and told it
// nothing; now the program's runtime names their code:
// RUN: %{mod} -gline-tables-only -Wl,-Bsymbolic-functions -DNAME=one -o %t/b1.so
// RUN: %{mod} -gline-tables-only -Wl,-Bsymbolic-functions -DNAME=two -o %t/b2.so
// RUN: %{mod} -gline-tables-only -Wl,-Bsymbolic-functions -DNAME=three -o %t/b3.so
// RUN: %clang -O2 -DHOST -DHOST_SHARED -I%whence_incdir %s -ldl %whence_libs -o %t/host_so
// RUN: %t/host_so %t/b1.so %t/b2.so %t/b3.so shared 2>&1 | FileCheck %s --check-prefix=SHARED --implicit-check-not=WRONG --implicit-check-not=whence:
// A crash handler installed and a CPU profile started through a copy are
// taken back and stopped when its object is unloaded (their handlers
// pointed into unmapped code: the next fault or SIGPROF crashed there):
// RUN: %t/host %t/l/one.so %t/l/two.so %t/l/three.so unload=%t/p.pb 2>&1 | FileCheck %s --check-prefix=UNLOAD
// The same objects in Python (ctypes loads RTLD_LOCAL):
// RUN: python3 -c 'import ctypes, sys; m = [ctypes.CDLL(p) for p in sys.argv[1:]]; m[1].two_report_here(); m[0].one_report_here()' %t/l/one.so %t/l/two.so %t/l/three.so | FileCheck %s --check-prefix=PY --implicit-check-not=WRONG
//
// CHECK: chain one two three: three sees three_report:ok three_entry:ok two_entry:ok one_entry:ok
// CHECK: chain three two one: one sees one_report:ok one_entry:ok two_entry:ok three_entry:ok
// CHECK: chain two one: one sees one_report:ok one_entry:ok two_entry:ok
// CHECK: two closed: one names its entry unknown, three names its entry unknown
// CHECK: chain one three: three sees three_report:ok three_entry:ok one_entry:ok
// CHECK: two reloaded
// CHECK: chain one two three: three sees three_report:ok three_entry:ok two_entry:ok one_entry:ok
// CHECK: chain three one two: two sees two_report:ok two_entry:ok one_entry:ok three_entry:ok
// UNLOAD: installed 0, started 0
// UNLOAD: after the unload: SIGSEGV's handler the previous one, SIGPROF's ignored
// FORK: forks 20, hung 0
// HELPER: the helper names one_entry, two_entry, three_entry
// SHARED: chain one two three: three sees three_report:ok three_entry:ok two_entry:ok one_entry:ok
// SHARED: the program's runtime names one_entry, two_entry, three_entry
// PY: two sees two_report:ok two_report_here:ok{{$}}
// PY: one sees one_report:ok one_report_here:ok{{$}}
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef MOD
#include <whence.h>
#define STR_(x) #x
#define STR(x) STR_(x)
#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define F(x) CAT(NAME, x)

static volatile int sink;

/* Each module is this source: its frames' lines are the same in all. */
enum { LINE_WALK = __LINE__ + 5, LINE_HOP = __LINE__ + 31, LINE_LEAF = __LINE__ + 32,
       LINE_HERE = __LINE__ + 36 };

__attribute__((noinline)) int F(report)(void) {
    uintptr_t pcs[64];
    int n = whence_callers(0, pcs, 64);
    whence_frames it;
    whence_frame fr;
    whence_frames_init(&it, pcs, n);
    printf(STR(NAME) " sees");
    while (whence_frames_next(&it, &fr)) {
        if (!fr.function || !strcmp(fr.function, "?"))
            continue; /* the host's frames: not instrumented */
        const char *k = strrchr(fr.function, '_');
        int want = !k                      ? -1
                   : !strcmp(k, "_report") ? LINE_WALK
                   : !strcmp(k, "_here")   ? LINE_HERE
                   : !strcmp(k, "_entry")  ? -2
                                           : -1;
        int ok = want == -2 ? fr.line == LINE_HOP || fr.line == LINE_LEAF : fr.line == want;
        printf(" %s:%s", fr.function, ok ? "ok" : "WRONG");
        if (!ok)
            printf("(%s:%d)", fr.file, fr.line);
    }
    printf("\n");
    fflush(stdout);
    return n;
}

__attribute__((noinline)) int F(entry)(int (*hop)(int), int d) {
    if (hop)
        return hop(d + 1) + 1;
    return F(report)() + d;
}

/* For the Python host: a walk from here (its caller is ctypes'). */
int F(report_here)(void) {
    int n = F(report)();
    sink = n;
    return 0;
}

/* What a program may ask of this copy before its object is unloaded. */
int F(install)(void) { return whence_install_crash_handler(); }
int F(prof_start)(int fd) { return whence_profile_start(fd, 100); }

/* The name this copy gives a pc ("unknown" for none). */
const char *F(name_of)(uintptr_t pc) {
    const whence_func *f = whence_func_for_pc(pc);
    return f ? whence_func_name(f) : "unknown";
}
#endif

#ifdef HELPER
#include <whence.h>
/* Not instrumented: names pcs with its own copy of the runtime. */
const char *helper_name_of(uintptr_t pc) {
    const whence_func *f = whence_func_for_pc(pc);
    return f ? whence_func_name(f) : "unknown";
}
#endif

#ifdef HOST
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef HOST_SHARED
#include <whence.h>
#endif

typedef int (*entry_t)(int (*)(int), int);
static const char *names[] = {"one", "two", "three"};
static void *mods[3];
static const char *path[3];
static const int *order;
static int norder, at;

static entry_t entry_of(int m) {
    char s[32];
    snprintf(s, sizeof s, "%s_entry", names[m]);
    return (entry_t)dlsym(mods[m], s);
}

/* The next module of the chain; the last one walks. */
static int hop(int d) {
    int m = order[at++];
    return entry_of(m)(at < norder ? hop : NULL, d);
}

static void chain(const int *o, int n) {
    printf("chain");
    for (int i = 0; i < n; i++)
        printf(" %s", names[o[i]]);
    printf(": ");
    fflush(stdout);
    order = o, norder = n, at = 0;
    hop(0);
}

static void load(int m) {
    mods[m] = dlopen(path[m], RTLD_NOW | RTLD_LOCAL);
    if (!mods[m]) {
        printf("dlopen %s: %s WRONG\n", path[m], dlerror());
        _exit(1);
    }
}

static volatile int spun;
static int count_phdrs(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size, (void)arg;
    for (int k = 0; k < 100; k++)
        spun += info->dlpi_phnum;
    return 0;
}
static void *spin(void *arg) {
    (void)arg;
    for (;;)
        dl_iterate_phdr(count_phdrs, NULL);
    return NULL;
}

/* Children that exit while a thread of the parent iterates the objects. */
static int forks(void) {
    pthread_t t;
    pthread_create(&t, NULL, spin, NULL);
    int hung = 0, n = 20;
    for (int f = 0; f < n; f++) {
        pid_t p = fork();
        if (p == 0)
            exit(0);
        int st, done = 0;
        for (int k = 0; k < 200 && !done; k++) /* up to 2 s */
            if (waitpid(p, &st, WNOHANG) == p)
                done = 1;
            else
                usleep(10000);
        if (!done) {
            hung++;
            kill(p, SIGKILL);
            waitpid(p, &st, 0);
        }
    }
    printf("forks %d, hung %d\n", n, hung);
    fflush(stdout);
    _exit(hung != 0);
}

static uintptr_t inside(int m) { return (uintptr_t)entry_of(m) + 4; }

int main(int argc, char **argv) {
    if (argc < 4)
        return 2;
    for (int m = 0; m < 3; m++)
        path[m] = argv[m + 1], load(m);
    const char *mode = argc > 4 ? argv[4] : "";
    if (!strcmp(mode, "fork"))
        return forks();
    if (!strncmp(mode, "unload=", 7)) {
        struct sigaction segv0, segv1, prof1;
        sigaction(SIGSEGV, NULL, &segv0);
        int fd = open(mode + 7, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int i = ((int (*)(void))dlsym(mods[1], "two_install"))();
        int p = ((int (*)(int))dlsym(mods[0], "one_prof_start"))(fd);
        printf("installed %d, started %d\n", i, p);
        dlclose(mods[1]);
        dlclose(mods[0]);
        sigaction(SIGSEGV, NULL, &segv1);
        sigaction(SIGPROF, NULL, &prof1);
        /* (SIGPROF ignored rather than the default, which would kill) */
        printf("after the unload: SIGSEGV's handler %s, SIGPROF's %s\n",
               segv1.sa_handler == segv0.sa_handler ? "the previous one" : "still set",
               prof1.sa_handler == SIG_IGN ? "ignored" : "still set");
        return 0;
    }
    if (!strncmp(mode, "helper=", 7)) {
        void *h = dlopen(mode + 7, RTLD_NOW | RTLD_LOCAL);
        const char *(*name)(uintptr_t) = h ? (const char *(*)(uintptr_t))dlsym(h, "helper_name_of") : NULL;
        if (!name)
            return 3;
        printf("the helper names %s, %s, %s\n", name(inside(0)), name(inside(1)), name(inside(2)));
        return 0;
    }
#ifdef HOST_SHARED
    if (!strcmp(mode, "shared")) {
        chain((const int[]){0, 1, 2}, 3);
        const char *n[3];
        for (int m = 0; m < 3; m++) {
            const whence_func *f = whence_func_for_pc(inside(m));
            n[m] = f ? whence_func_name(f) : "unknown";
        }
        printf("the program's runtime names %s, %s, %s\n", n[0], n[1], n[2]);
        return 0;
    }
#endif
    chain((const int[]){0, 1, 2}, 3);
    chain((const int[]){2, 1, 0}, 3);
    chain((const int[]){1, 0}, 2);
    uintptr_t two = (uintptr_t)entry_of(1);
    dlclose(mods[1]);
    const char *(*one_name)(uintptr_t) = (const char *(*)(uintptr_t))dlsym(mods[0], "one_name_of");
    const char *(*three_name)(uintptr_t) =
        (const char *(*)(uintptr_t))dlsym(mods[2], "three_name_of");
    printf("two closed: one names its entry %s, three names its entry %s\n", one_name(two),
           three_name(two));
    chain((const int[]){0, 2}, 2);
    load(1);
    printf("two reloaded\n");
    chain((const int[]){0, 1, 2}, 3);
    chain((const int[]){2, 0, 1}, 3);
    return 0;
}
#endif
