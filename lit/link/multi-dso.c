// An instrumented program, an instrumented DSO it links (libwlinked.so) and
// an instrumented DSO it dlopens (libwplug.so): one stack crosses the image
// boundaries both ways, five times,
//   main -> run (exe) -> linked_entry (linked) -> exe_cb (exe)
//        -> plug_entry (plug) -> linked_cb (linked) -> plug_leaf (plug)
//        -> [plug_helper, always_inline] -> whence_callers
// and every frame has the right name, file and line (checked against the
// source with [[@LINE]]), whence_caller agrees skip by skip, and function
// pointers into each image are resolved to their entry.  After dlclose, the
// plugin's pcs are unknown (no stale answer) and the others still resolve.
// Variants: libwhence.so (every image linked against it), and the static
// libwhence.a in the program exported with -rdynamic (the DSOs are not
// linked against libwhence: their hooks resolve to the program's); GNU ld
// and lld; a non-PIE program.
// REQUIRES: x86_64-linux, lld, ld.bfd
// DEFINE: %{cc} = %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s
// RUN: rm -rf %t && mkdir -p %t/so %t/st %t/bfd
// RUN: %{cc} -fPIC -shared -DLINKED %whence_libs -o %t/so/libwlinked.so
// RUN: %{cc} -fPIC -shared -DPLUG %whence_libs -o %t/so/libwplug.so
// RUN: %{cc} -DMAIN -fuse-ld=lld -L%t/so -lwlinked -Wl,-rpath,%t/so %whence_libs -o %t/so/main
// RUN: %t/so/main %t/so/libwplug.so 2>&1 | FileCheck %s --implicit-check-not=BAD --implicit-check-not=whence:
// RUN: %{cc} -fPIC -shared -DLINKED -o %t/st/libwlinked.so
// RUN: %{cc} -fPIC -shared -DPLUG -o %t/st/libwplug.so
// RUN: %{cc} -DMAIN -fuse-ld=lld -rdynamic -L%t/st -lwlinked -Wl,-rpath,%t/st -Wl,--whole-archive %whence_static -Wl,--no-whole-archive -lpthread -ldl -o %t/st/main
// RUN: %t/st/main %t/st/libwplug.so 2>&1 | FileCheck %s --implicit-check-not=BAD --implicit-check-not=whence:
// RUN: %{cc} -DMAIN -fuse-ld=bfd -fno-pie -no-pie -rdynamic -L%t/st -lwlinked -Wl,-rpath,%t/st -Wl,--whole-archive %whence_static -Wl,--no-whole-archive -lpthread -ldl -o %t/bfd/main
// RUN: %t/bfd/main %t/st/libwplug.so 2>&1 | FileCheck %s --implicit-check-not=BAD --implicit-check-not=whence:
// RUN: %{cc} -fPIC -shared -DLINKED -fuse-ld=bfd %whence_libs -o %t/bfd/libwlinked.so
// RUN: %{cc} -fPIC -shared -DPLUG -fuse-ld=bfd %whence_libs -o %t/bfd/libwplug.so
// RUN: %{cc} -DMAIN -fuse-ld=bfd -L%t/bfd -lwlinked -Wl,-rpath,%t/bfd %whence_libs -o %t/bfd/main2
// RUN: %t/bfd/main2 %t/bfd/libwplug.so 2>&1 | FileCheck %s --implicit-check-not=BAD --implicit-check-not=whence:
//
// CHECK:      frame 0 fn=plug_helper file=multi-dso.c line=[[#HELPER:]] inl=1
// CHECK-NEXT: frame 1 fn=plug_leaf file=multi-dso.c line=[[#LEAF:]] inl=0
// CHECK-NEXT: frame 2 fn=linked_cb file=multi-dso.c line=[[#LCB:]] inl=0
// CHECK-NEXT: frame 3 fn=plug_entry file=multi-dso.c line=[[#PENTRY:]] inl=0
// CHECK-NEXT: frame 4 fn=exe_cb file=multi-dso.c line=[[#ECB:]] inl=0
// CHECK-NEXT: frame 5 fn=linked_entry file=multi-dso.c line=[[#LENTRY:]] inl=0
// CHECK-NEXT: frame 6 fn=run file=multi-dso.c line=[[#RUNF:]] inl=0
// CHECK-NEXT: frame 7 fn=main file=multi-dso.c line=[[#MAIN:]] inl=0
// CHECK-NEXT: frames=8 entries=7
// CHECK-NEXT: callers agree=8/8 past_end_unknown=1
// CHECK-NEXT: for_pc linked_entry=linked_entry/1 linked_cb=linked_cb/1 plug_entry=plug_entry/1 plug_leaf=plug_leaf/1 exe_cb=exe_cb/1 run=run/1
// CHECK-NEXT: after dlclose: plug_entry=(null) plug_leaf=(null) plug_frame0=? linked_cb=linked_cb exe_cb=exe_cb
// CHECK-NEXT: after dlclose: frame 2 fn=linked_cb line=[[#LCB]]
#include "whence_e2e.h"

#include <stdbool.h>

typedef void (*fn_t)(int);
typedef void (*entry_t)(fn_t, fn_t, int);

#ifdef LINKED
static volatile int linked_sink;
fn_t linked_next; // plug_leaf, set by the program

void linked_cb(int x) {
    linked_next(x + 1);
    // CHECK: recap linked_cb call=[[#LCB]] line=[[@LINE-1]]{{$}}
    linked_sink = x;
}

void linked_entry(fn_t cb, int x) {
    cb(x + 1);
    // CHECK-NEXT: recap linked_entry call=[[#LENTRY]] line=[[@LINE-1]]{{$}}
    linked_sink = x;
}
#endif

#ifdef PLUG
static volatile int plug_sink;
uintptr_t plug_pcs[16];
int plug_n;
whence_frame plug_cf[9];
bool plug_ok[9];

ALWAYS_INLINE int plug_helper(void) {
    return whence_callers(0, plug_pcs, 16);
    // CHECK-NEXT: recap plug_helper call=[[#HELPER]] line=[[@LINE-1]]{{$}}
}

void plug_leaf(int x) {
    plug_n = plug_helper(); for (int s = 0; s < 9; s++) plug_ok[s] = whence_caller(s, &plug_cf[s]);
    // CHECK-NEXT: recap plug_leaf call=[[#LEAF]] line=[[@LINE-1]]{{$}}
    plug_sink = x;
}

void plug_entry(fn_t next, fn_t leaf, int x) {
    (void)leaf;
    next(x + 1);
    // CHECK-NEXT: recap plug_entry call=[[#PENTRY]] line=[[@LINE-1]]{{$}}
    plug_sink = x;
}
#endif

#ifdef MAIN
#include <dlfcn.h>

extern fn_t linked_next;
void linked_cb(int x);
void linked_entry(fn_t cb, int x);
static volatile int sink;
static entry_t plug_entry_fp;

NOINLINE void exe_cb(int x) {
    plug_entry_fp(linked_cb, linked_next, x + 1);
    // CHECK-NEXT: recap exe_cb call=[[#ECB]] line=[[@LINE-1]]{{$}}
    sink = x;
}

NOINLINE void run(void) {
    linked_entry(exe_cb, 1);
    // CHECK-NEXT: recap run call=[[#RUNF]] line=[[@LINE-1]]{{$}}
    sink = 0;
}

static const char *name_at(uintptr_t pc) {
    const whence_func *f = whence_func_for_pc(pc);
    return f ? whence_func_name(f) : "(null)";
}

static void for_pc(const char *label, uintptr_t fp, bool last) {
    const whence_func *f = whence_func_for_pc(fp);
    printf("%s=%s/%d%s", label, f ? whence_func_name(f) : "(null)", whence_func_entry(f) == fp,
           last ? "\n" : " ");
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        printf("BAD dlopen: %s\n", dlerror());
        return 1;
    }
    plug_entry_fp = (entry_t)dlsym(h, "plug_entry");
    fn_t plug_leaf = (fn_t)dlsym(h, "plug_leaf");
    uintptr_t *pcs = dlsym(h, "plug_pcs");
    int *n = dlsym(h, "plug_n");
    whence_frame *cf = dlsym(h, "plug_cf");
    bool *ok = dlsym(h, "plug_ok");
    linked_next = plug_leaf;
    run();
    // CHECK-NEXT: recap main call=[[#MAIN]] line=[[@LINE-1]]{{$}}
    whence_frames it;
    whence_frame f;
    int k = 0, line[9] = {0}, agree = 0;
    whence_frames_init(&it, pcs, *n);
    while (whence_frames_next(&it, &f)) {
        char tag[16];
        snprintf(tag, sizeof tag, "frame %d", k);
        e2e_print(tag, &f);
        // whence_caller(0) in plug_leaf is plug_leaf: skip s is frame s + 1.
        if (k < 9) {
            line[k] = f.line;
            agree += k == 0 || (ok[k - 1] && strcmp(cf[k - 1].function, f.function) == 0 &&
                                cf[k - 1].line == f.line && cf[k - 1].inlined == f.inlined);
        }
        k++;
    }
    printf("frames=%d entries=%d\n", k, *n);
    printf("callers agree=%d/%d past_end_unknown=%d\n", agree, k, k < 10 && !ok[k - 1] && e2e_is_unknown(&cf[k - 1]));
    // Function pointers: the linked DSO's through the program (in a non-PIE
    // program &linked_cb may be a PLT slot, so use what the DSO stores).
    printf("for_pc ");
    for_pc("linked_entry", whence_func_entry(whence_func_for_pc(pcs[4])), false);
    for_pc("linked_cb", whence_func_entry(whence_func_for_pc(pcs[1])), false);
    for_pc("plug_entry", (uintptr_t)plug_entry_fp, false);
    for_pc("plug_leaf", (uintptr_t)plug_leaf, false);
    for_pc("exe_cb", (uintptr_t)&exe_cb, false);
    for_pc("run", (uintptr_t)&run, true);
    uintptr_t saved[16];
    int ns = *n;
    memcpy(saved, pcs, sizeof saved);
    uintptr_t pe = (uintptr_t)plug_entry_fp, pl = (uintptr_t)plug_leaf;
    dlclose(h);
    // The plugin is gone (glibc unmaps it: RTLD_LOCAL, no other reference):
    // its pcs name nothing; the other images' pcs are unchanged.
    whence_frame f0;
    whence_frames_init(&it, saved, ns);
    whence_frames_next(&it, &f0);
    printf("after dlclose: plug_entry=%s plug_leaf=%s plug_frame0=%s linked_cb=%s exe_cb=%s\n",
           name_at(pe), name_at(pl), f0.function, name_at(saved[1]), name_at((uintptr_t)&exe_cb));
    whence_frames_init(&it, saved + 1, ns - 1);
    whence_frames_next(&it, &f);
    printf("after dlclose: frame 2 fn=%s line=%d\n", f.function, f.line);
    // Recaps, in source order.
    printf("recap linked_cb call=%d line=%d\n", line[2], line[2]);
    printf("recap linked_entry call=%d line=%d\n", line[5], line[5]);
    printf("recap plug_helper call=%d line=%d\n", line[0], line[0]);
    printf("recap plug_leaf call=%d line=%d\n", line[1], line[1]);
    printf("recap plug_entry call=%d line=%d\n", line[3], line[3]);
    printf("recap exe_cb call=%d line=%d\n", line[4], line[4]);
    printf("recap run call=%d line=%d\n", line[6], line[6]);
    printf("recap main call=%d line=%d\n", line[7], line[7]);
    return 0;
}
#endif
