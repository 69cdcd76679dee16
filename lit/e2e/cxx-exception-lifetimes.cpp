// Exception traces that outlive or miss what they were taken from (a
// helper's findings, runtime/cxx/exceptions.c):
//   deep     a throw 100 frames deep kept only the innermost 64 frames,
//            silently: 128 are kept now, and the crash report of a deeper
//            one says that more were not;
//   foreign  catch (...) of a foreign exception (_Unwind_RaiseException)
//            whose _Unwind_Exception starts a page after an unreadable one:
//            whence_exception_callers read the word libstdc++'s "header"
//            would start with, 80 bytes before it, and crashed; its class
//            is read first now: 0 frames;
//   reload   an exception thrown in a library, kept (std::exception_ptr)
//            while that library is closed and another is loaded where it
//            was: its trace named the new library's functions; frames of
//            an image unloaded since the throw are 0 ("?") now, main's
//            frame stays;
//   local    an instrumented module linked with libwhence.so, loaded
//            RTLD_LOCAL by a C host after a C++ module without whence
//            (the host's first libstdc++ user): libstdc++ freed the first
//            exception without passing libwhence, and a second exception
//            at the same address took the first one's trace; a nonce in
//            libstdc++'s header ties a trace to its allocation now.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// DEFINE: %{cxx} = %clangxx -std=c++17 %whence_cflags %s
// RUN: %{cxx} -O0 -g -fPIC -shared -DLIB1 -o %t/lib1.so
// RUN: %{cxx} -O0 -g -fPIC -shared -DLIB2 -o %t/lib2.so
// RUN: %{cxx} -O2 -g %whence_libs -ldl -o %t/main
// RUN: cd %t && %run ./main deep | FileCheck %s --check-prefix=DEEP
// RUN: cd %t && %run ./main foreign | FileCheck %s --check-prefix=FOREIGN
// RUN: cd %t && %run ./main reload | FileCheck %s --check-prefix=RELOAD --implicit-check-not=zulu
// RUN: cd %t && not --crash %run ./main deeper 2> %t/deeper.r
// RUN: FileCheck %s --check-prefix=DEEPER < %t/deeper.r
// RUN: %clangxx -O0 -fPIC -shared -DPLAIN %s -o %t/plain.so
// RUN: %{cxx} -O0 -g -fPIC -shared -DMODULE %whence_libs -o %t/module.so
// RUN: %clang -O0 -x c -DHOST %s -ldl -o %t/host
// RUN: cd %t && %run ./host | FileCheck %s --check-prefix=LOCAL
// DEEP: deep: 102 frames, the last main
// FOREIGN: foreign: 0 frames
// RELOAD: before: alpha_inner alpha_mid lib1_entry main
// RELOAD: after: ? ? ? main
// DEEPER: exception thrown at:
// DEEPER-COUNT-128: {{^}}deep(...)
// DEEPER-NEXT: cxx-exception-lifetimes.cpp
// DEEPER-NEXT: (more frames: only the innermost 128 were kept)
// DEEPER-NEXT: stack:
// LOCAL: small: small_thrower small_2 small_3 small_4 small_5 small_6 small_7 plugin_run
// LOCAL-NEXT: big: big_thrower plugin_run
#if defined(HOST)
#include <dlfcn.h>
#include <stdio.h>
int main(void) {
    void *a = dlopen("./plain.so", RTLD_NOW | RTLD_LOCAL);
    if (!a)
        return printf("%s\n", dlerror()), 1;
    ((int (*)(void))dlsym(a, "plain_run"))();
    void *b = dlopen("./module.so", RTLD_NOW | RTLD_LOCAL);
    if (!b)
        return printf("%s\n", dlerror()), 1;
    ((void (*)(void))dlsym(b, "plugin_run"))();
    return 0;
}
#elif defined(PLAIN)
#include <stdexcept>
extern "C" int plain_run(void) {
    try {
        throw std::runtime_error("plain");
    } catch (std::exception &) {
        return 1;
    }
}
#elif defined(MODULE)
#include <cstdio>
#include <whence.h>
#define NOINLINE __attribute__((noinline))
static volatile int sink;
struct Small {
    int a;
};
struct Big {
    int a;
    char pad[60];
    NOINLINE Big(int x) : a(x) {}
};
static void names(const char *tag) {
    uintptr_t pcs[64];
    int n = whence_exception_callers(pcs, 64);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    printf("%s:", tag);
    while (whence_frames_next(&it, &f))
        printf(" %s", f.function);
    printf("\n");
}
NOINLINE void small_thrower() { sink++; throw Small{1}; }
NOINLINE void small_2() { sink++; small_thrower(); sink++; }
NOINLINE void small_3() { sink++; small_2(); sink++; }
NOINLINE void small_4() { sink++; small_3(); sink++; }
NOINLINE void small_5() { sink++; small_4(); sink++; }
NOINLINE void small_6() { sink++; small_5(); sink++; }
NOINLINE void small_7() { sink++; small_6(); sink++; }
/* (its pad left as the allocation was: the first exception's trace) */
NOINLINE void big_thrower() { sink++; throw Big(2); }
extern "C" NOINLINE void plugin_run(void) {
    try { small_7(); } catch (Small &) { names("small"); }
    try { big_thrower(); } catch (Big &) { names("big"); }
}
#elif defined(LIB1)
#include <stdexcept>
static volatile int sink;
__attribute__((noinline)) static void alpha_inner(int x) {
    sink++;
    if (x)
        throw std::runtime_error("lib1");
    sink++;
}
__attribute__((noinline)) static void alpha_mid(int x) { sink++; alpha_inner(x); sink++; }
extern "C" __attribute__((noinline)) void lib1_entry(int x) { sink++; alpha_mid(x); sink++; }
#elif defined(LIB2)
static volatile int sink;
__attribute__((noinline)) static void zulu_one(int x) { sink++; if (x) sink += 2; sink++; }
__attribute__((noinline)) static void zulu_two(int x) { sink++; zulu_one(x); sink++; }
extern "C" __attribute__((noinline)) void lib2_entry(int x) { sink++; zulu_two(x); sink++; }
__attribute__((noinline)) void zulu_pad1(int x) { sink++; zulu_two(x); sink++; zulu_two(x + 1); }
__attribute__((noinline)) void zulu_pad2(int x) { sink++; zulu_one(x); sink++; zulu_pad1(x + 1); }
#else
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <exception>
#include <stdexcept>
#include <sys/mman.h>
#include <unwind.h>
#include <whence.h>

static volatile int sink;

static void names(const char *tag) {
    uintptr_t pcs[256];
    int n = whence_exception_callers(pcs, 256);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    printf("%s:", tag);
    while (whence_frames_next(&it, &f))
        printf(" %s", f.function);
    printf("\n");
}

__attribute__((noinline)) void deep(int n) {
    sink++;
    if (n == 0)
        throw std::runtime_error("deep");
    deep(n - 1);
    sink++;
}

static void cleanup(_Unwind_Reason_Code, _Unwind_Exception *) {}
__attribute__((noinline)) static void raise_foreign() {
    char *p = (char *)mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                           -1, 0);
    mprotect(p, 4096, PROT_NONE);
    _Unwind_Exception *ue = (_Unwind_Exception *)(p + 4096);
    memset(ue, 0, sizeof *ue);
    ue->exception_class = 0x4d4f4f4e46524e31ull; /* not C++ */
    ue->exception_cleanup = cleanup;
    _Unwind_RaiseException(ue);
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "deep")) {
        try {
            deep(100);
        } catch (std::exception &) {
            uintptr_t pcs[256];
            int n = whence_exception_callers(pcs, 256);
            whence_frame f = {};
            whence_frames it;
            whence_frames_init(&it, pcs, n);
            int k = 0;
            const char *last = "";
            while (whence_frames_next(&it, &f)) {
                k++;
                last = f.function;
            }
            printf("deep: %d frames, the last %s\n", k, last);
        }
    } else if (!strcmp(mode, "deeper")) {
        deep(140);
    } else if (!strcmp(mode, "foreign")) {
        try {
            throw 1;
        } catch (...) {
        }
        try {
            raise_foreign();
        } catch (...) {
            uintptr_t pcs[64];
            printf("foreign: %d frames\n", whence_exception_callers(pcs, 64));
        }
    } else if (!strcmp(mode, "reload")) {
        void *h = dlopen("./lib1.so", RTLD_NOW);
        void (*f)(int) = (void (*)(int))dlsym(h, "lib1_entry");
        std::exception_ptr ep;
        try {
            f(1);
        } catch (...) {
            names("before");
            ep = std::current_exception();
        }
        dlclose(h);
        void *h2 = dlopen("./lib2.so", RTLD_NOW);
        ((void (*)(int))dlsym(h2, "lib2_entry"))(0);
        try {
            std::rethrow_exception(ep);
        } catch (...) {
            names("after");
        }
    }
    return 0;
}
#endif
